"""A rate below 1000 Hz is refused only where it would be resampled.

e2470b9 refused every rate under 1000 Hz, to catch a rate in kHz (``(y, 16)`` for 16000) or
an EEG signal given to an audio set at its default rate, both resampled 1000-fold (62.5-fold)
without a word. It also refused input a user reasonably gives: a signal already at the rate
of a set made for it (``RQA(sr=500)`` or ``MFCC(sr=500)`` given an array or a WAV at 500 Hz)
was refused, while a 16 kHz file to the same set, resampled down to 500 Hz, was taken. Now
only a low rate brought to another rate is refused, and the refusal of a file at 500 Hz to a
default set names ``sr=500``.
"""

from __future__ import annotations

import numpy as np
import pytest
from emofeat.extractors import MFCC

from emofeat.audio import load_audio
from emofeat.errors import SampleRateError

sf = pytest.importorskip("soundfile")
soxr = pytest.importorskip("soxr")


@pytest.fixture(scope="module")
def low(emodb_dir, tmp_path_factory):
    """EmoDB speech brought to 500 Hz (soxr HQ, as emofeat resamples), 2 s of it, as a
    16-bit WAV and as the float32 samples that WAV holds."""
    path = sorted(emodb_dir.glob("*.flac"))[0]
    y, sr = sf.read(path, dtype="float32")
    y500 = soxr.resample(y, sr, 500, quality="HQ")[:1000].astype(np.float32)
    wav = tmp_path_factory.mktemp("low") / "speech500.wav"
    sf.write(wav, y500, 500, subtype="PCM_16")
    return wav, sf.read(wav, dtype="float32")[0]


def _set():
    return MFCC(sr=500, n_mels=10, n_mfcc=8, fmax=250.0)


def test_a_signal_at_the_sets_own_low_rate_is_read(low):
    """The WAV at 500 Hz, its samples as (y, 500) and as a bare array (the set's rate) give
    the same features, finite (to the bit: the same float32 samples, no resampling)."""
    wav, y = low
    ext = _set()
    want = ext.fit_transform([str(wav)])
    assert want.shape[0] == 1 and np.isfinite(want).all()
    np.testing.assert_array_equal(ext.fit_transform([(y, 500)]), want)
    np.testing.assert_array_equal(ext.fit_transform([y]), want)
    assert load_audio(wav, sr=None).sr == 500


def test_a_low_rate_brought_to_another_is_refused_naming_the_sets_sr(low):
    wav, y = low
    with pytest.raises(SampleRateError, match=rf"^{wav}: sample rate 500 Hz is below any "
                       r"audio rate .*give the set sr=500 \(--param sr=500"):
        MFCC().fit_transform([str(wav)])
    with pytest.raises(SampleRateError, match=r"^<array 0>: sample rate 16 Hz is below any "
                       r"audio rate .*16 kHz is 16000 Hz: give it in Hz"):
        MFCC().fit_transform([(y, 16)])
    with pytest.raises(SampleRateError, match=r"sample rate 500 Hz is below"):
        _set().set_params(sr=1000).fit_transform([(y, 500)])


def test_the_long_file_block_read_refuses_a_low_rate_as_the_whole_file_read(low):
    """The block read (``--long-file``) resampled the 500 Hz WAV to the default 16 kHz
    without a word (the whole-file read refused it); now the same refusal, and at the set's
    own rate the blocks give the whole-file features' shape."""
    from emofeat.blocks import blockwise_features

    wav, _ = low
    with pytest.raises(SampleRateError, match=rf"^{wav}: sample rate 500 Hz is below any"):
        blockwise_features(MFCC(), wav, block_seconds=1.0)
    rows = blockwise_features(_set(), wav, block_seconds=1.0)[0]
    assert rows.shape == _set().fit_transform([str(wav)]).shape
