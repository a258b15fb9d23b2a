"""The ``librosa`` set's chroma at an odd ``n_fft`` with the tuning estimated (session 57).

``librosa.feature.chroma_stft`` calls ``estimate_tuning(S=S, sr=sr)`` without ``n_fft``, and
``piptrack`` infers it from the spectrogram as ``2 (bins - 1)``: at an odd ``n_fft`` (1001,
2047) the spectral peaks of the tuning estimate are placed at the bin frequencies of
``n_fft - 1``. The set placed them at ``n_fft``'s, so on speech, whose tuning histogram is
nearly flat, the estimate moved (0.32 against librosa's -0.47 semitone on a RAVDESS file)
and chroma and tonnetz were up to 0.89 from ``chroma_stft(y=y, n_fft=...)``. Now the
estimate equals ``librosa.estimate_tuning(S=|stft|**2, sr=sr)`` exactly, and chroma and
tonnetz follow within the module's tolerances (tests/test_librosa_set.py: float64 rtol
1e-5, atol 1e-7 of the column's largest value; float32 against librosa's float32 analysis
rtol 1e-3, atol 1e-5). Even sizes were right and are unchanged (numbers version 3).
"""

from __future__ import annotations

import numpy as np
import pytest
from emofeat.extractors.librosa_set import LibrosaFeatures

from emofeat.audio import load_audio

librosa = pytest.importorskip("librosa")
SR, HOP = 16000, 333
TOL = {"float64": (1e-5, 1e-7), "float32": (1e-3, 1e-5)}


@pytest.fixture(scope="module")
def signals(ravdess_files):
    return [load_audio(f, SR).y for f in ravdess_files[6:10]]


@pytest.mark.parametrize("precision", ["float64", "float32"])
@pytest.mark.parametrize("n_fft", [1001, 2047])
def test_chroma_and_tonnetz_follow_chroma_stft_at_an_odd_fft(n_fft, precision, signals):
    ext = LibrosaFeatures(level="lld", n_fft=n_fft, hop_length=HOP, precision=precision,
                          deltas=0)
    names = ext.descriptor_names()
    cols = [j for j, n in enumerate(names) if "_chroma_" in n or "_tonnetz_" in n]
    rtol, atol = TOL[precision]
    for y in signals:
        y = y.astype(np.float64) if precision == "float64" else y
        ours, _ = ext.compute_lld((y, SR))
        chroma = librosa.feature.chroma_stft(y=y, sr=SR, n_fft=n_fft, hop_length=HOP)
        ref = np.concatenate([chroma, librosa.feature.tonnetz(chroma=chroma)]).T
        got = ours[:, cols]
        assert got.shape == ref.shape
        bound = rtol * np.abs(ref) + atol * np.abs(ref).max(axis=0, keepdims=True)
        assert np.all(np.abs(got - ref) <= bound), float(np.abs(got - ref).max())


@pytest.mark.parametrize("n_fft", [1001, 2047, 2048])
def test_the_tuning_is_librosas_estimate(n_fft, signals):
    ext = LibrosaFeatures(n_fft=n_fft, hop_length=HOP, precision="float64")
    for y in signals:
        y = y.astype(np.float64)
        power = np.abs(librosa.stft(y, n_fft=n_fft, hop_length=HOP)) ** 2
        assert ext.estimate_tuning(np.ascontiguousarray(power.T)) == pytest.approx(
            librosa.estimate_tuning(S=power, sr=SR), abs=1e-12)
