"""Rates below any audio rate are refused, saying the rate may be in kHz or the signal no audio.

A rate under 1000 Hz is no audio rate (telephone speech is 8000 Hz; the lowest rates formats
use, 4 and 5.5 kHz, are above it): it is a rate in kHz (``(y, 16)`` for 16000) or a signal of
another kind (EEG at 256 Hz). Resampling to the set's rate stretched such a signal 1000-fold
without a word: 2 s of EmoDB speech given as ``(y, 16)`` came out of the ``mfcc`` set as
200,001 frames, a 2,000 s recording (4 s of work; 60 s of speech given so: 3.8 GB of
float32 samples). librosa resamples it too. Now a ``SampleRateError`` naming the input; a fraction such as 44.1
(refused before) says it too may be kHz. Whole-Hz rates from 1000 Hz up are read as before.
"""

from __future__ import annotations

import numpy as np
import pytest
from emofeat.extractors import MFCC

from emofeat.audio import load_audio
from emofeat.errors import SampleRateError

sf = pytest.importorskip("soundfile")


@pytest.fixture(scope="module")
def speech(emodb_dir):
    path = sorted(emodb_dir.glob("*.flac"))[0]
    y, sr = sf.read(path, dtype="float32")
    assert sr == 16000
    return path, y


def test_a_rate_in_khz_is_refused_saying_so(speech):
    _, y = speech
    with pytest.raises(SampleRateError, match=r"^<array 0>: sample rate 16 Hz is below any "
                       r"audio rate .*a rate in kHz\? 16 kHz is 16000 Hz: give it in Hz"):
        MFCC(level="lld").fit_transform([(y, 16)])
    with pytest.raises(SampleRateError, match=r"invalid sample rate 44.1 .*44.1 kHz is 44100 Hz"):
        MFCC().fit_transform([(y, 44.1)])


def test_an_eeg_rate_is_refused_naming_another_modality(speech, tmp_path):
    path, y = speech
    with pytest.raises(SampleRateError, match=r"sample rate 256 Hz is below any audio rate.*"
                       r"EEG at 256 Hz\)\? give it to a set of its modality"):
        MFCC().fit_transform([(y, 256)])
    low = tmp_path / "low.wav"  # a header's rate: the file is named
    sf.write(low, y, 500, subtype="PCM_16")
    with pytest.raises(SampleRateError, match=rf"^{low}: sample rate 500 Hz is below"):
        load_audio(low)


def test_audio_rates_are_read_as_before(speech):
    """Control (passes before and after): the file's rate as an int, a float or a NumPy
    integer, and 1000 Hz, the lowest rate read, give features (the same ones at 16 kHz)."""
    path, y = speech
    ext = MFCC()
    want = ext.fit_transform([str(path)])
    for rate in (16000, 16000.0, np.int64(16000)):
        np.testing.assert_array_equal(ext.fit_transform([(y, rate)]), want)
    assert np.isfinite(ext.fit_transform([(y[:4000], 1000)])).all()


def test_a_rate_in_khz_is_not_offered_as_the_sets_rate(speech):
    """A rate in kHz is a mistake: 'give the set sr=16' would analyse 16 kHz speech as 16
    samples a second (review R2, session 54). A low rate that is no audio rate in kHz (500)
    keeps the offer."""
    _, y = speech
    with pytest.raises(SampleRateError) as info:
        MFCC(level="lld").fit_transform([(y, 16)])
    assert "sr=16" not in str(info.value)
    with pytest.raises(SampleRateError, match=r"give the set sr=500"):
        MFCC(level="lld").fit_transform([(y[:8000], 500)])
