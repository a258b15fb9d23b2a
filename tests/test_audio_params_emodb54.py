"""The audio sets against their references on EmoDB at parameters a user sets (session 54 sweep).

The parity tests of each set mostly use RAVDESS at the default parameters. Here EmoDB files
(another corpus, every speaker), read and resampled as ``librosa.load(path, sr=sr)`` reads
them (soxr HQ, librosa's length), at non-default parameters:

* ``mfcc`` vs ``librosa.feature.mfcc`` over ``melspectrogram`` + ``power_to_db`` and
  ``librosa.feature.delta`` (orders 1 and 2): max abs. 1e-3, the set's stated tolerance
  (docs/mfcc.md). Seen in the sweep on 12 files a configuration: 9e-5 to 3.5e-4 (c0-c39,
  40 and 128 mels, 300-3400 Hz, Hamming frames shorter than the FFT, 8, 22.05 and 44.1 kHz
  from 16 kHz files). Not in it: ``lifter=22``, whose gain (up to 12 at c19) scales the same
  float32 rounding to 2.4e-3 (37 of 144,720 values above 1e-3; the relative error is the
  unliftered one's).
* ``paa`` vs ``ShortTermFeatures.feature_extraction``: rtol 1e-6 plus 1e-8 of the column's
  largest magnitude (values that are cancellations near 0). Seen: 1.4e-6 relative at most,
  every value within the bound, at 8-48 kHz and 20-50 ms windows.
* ``prosody`` (pYIN) vs ``librosa.pyin`` at 22.05 kHz with a 2048-sample frame and 220 hop:
  voicing identical in every frame, F0 to rtol 1e-9 where both are voiced, voicing
  probability to 1e-6 (seen: identical voicing and F0, probability 9e-16).
"""

from __future__ import annotations

import numpy as np
import pytest
from emofeat.extractors import MFCC
from emofeat.extractors.paa import PyAudioAnalysis
from emofeat.extractors.prosody import Prosody

librosa = pytest.importorskip("librosa")


@pytest.fixture(scope="module")
def files(emodb_dir):
    """Three EmoDB files of three speakers (every 180th file: 03, 10, 14 ...)."""
    return [str(p) for p in sorted(emodb_dir.glob("*.flac"))[::180]]


def _loaded(path: str, sr: int) -> np.ndarray:
    return librosa.load(path, sr=sr, res_type="soxr_hq")[0]


@pytest.mark.parametrize("params", [
    dict(n_mfcc=40, n_mels=64),
    dict(n_mels=128, n_mfcc=20),
    dict(fmin=300.0, fmax=3400.0, n_mels=26),
    dict(n_fft=512, hop_length=128, win_length=400, window="hamming"),
    dict(sr=8000, n_fft=200, hop_length=80, fmax=4000.0),
    dict(sr=22050, n_fft=2048, hop_length=512, n_mels=128, n_mfcc=20),
    dict(sr=44100, n_fft=2048, hop_length=441, n_mels=64),
], ids=lambda p: ",".join(f"{k}={v}" for k, v in p.items()))
def test_mfcc_matches_librosa(files, params):
    sr = params.get("sr", 16000)
    kw = dict(n_fft=params.get("n_fft", 400), hop_length=params.get("hop_length", 160),
              win_length=params.get("win_length"), window=params.get("window", "hann"),
              n_mels=params.get("n_mels", 40), fmin=params.get("fmin", 0.0),
              fmax=params.get("fmax"))
    ext = MFCC(level="lld", **params)
    for path in files:
        ours = ext.fit_transform([path])
        mel = librosa.feature.melspectrogram(y=_loaded(path, sr), sr=sr, **kw)
        m = librosa.feature.mfcc(S=librosa.power_to_db(mel), n_mfcc=params.get("n_mfcc", 13))
        ref = np.concatenate([m, librosa.feature.delta(m), librosa.feature.delta(m, order=2)]).T
        assert ours.shape == ref.shape
        assert np.abs(ours - ref).max() <= 1e-3, (path, np.abs(ours - ref).max())


@pytest.mark.parametrize("sr,window,step", [(8000, 0.025, 0.010), (22050, 0.050, 0.025),
                                            (48000, 0.025, 0.010), (16000, 0.020, 0.020)])
def test_paa_matches_pyaudioanalysis(files, sr, window, step):
    st = pytest.importorskip("pyAudioAnalysis.ShortTermFeatures")
    ext = PyAudioAnalysis(sr=sr, window=window, step=step, level="lld")
    for path in files:
        y = _loaded(path, sr)
        ref = st.feature_extraction(y.astype(np.float64) * 32768, sr, round(window * sr),
                                    round(step * sr))[0].T
        ours = ext.fit_transform([path])
        assert ours.shape == ref.shape
        bound = 1e-6 * np.abs(ref) + 1e-8 * np.maximum(np.abs(ref).max(axis=0), 1e-3)
        assert np.all(np.abs(ours - ref) <= bound), path


def test_prosody_matches_pyin_at_22050(files):
    kw = dict(sr=22050, frame_length=2048, hop_length=220)
    ext = Prosody(level="lld", **kw)
    path = files[0]  # librosa's pyin takes about a second a file
    ours = ext.fit_transform([path])
    f0, voiced, prob = librosa.pyin(_loaded(path, 22050).astype(np.float64), fmin=60.0,
                                    fmax=600.0, **kw)
    mine = ours[:, 2] > 0
    assert np.array_equal(mine, voiced) and voiced.sum() > 20
    np.testing.assert_allclose(ours[mine, 0], f0[voiced], rtol=1e-9)
    np.testing.assert_allclose(ours[:, 3], prob, rtol=0, atol=1e-6)
