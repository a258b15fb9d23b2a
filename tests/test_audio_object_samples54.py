"""An ``emofeat.audio.Audio`` given as an input is read as its samples are, whatever their type.

An ``Audio`` at the set's rate was taken as it is, its samples unchecked: int16 samples were
analysed unscaled, 32768 times too loud (EmoDB speech: ``mfcc`` coefficients up to 571 off the
file's, the ``librosa`` set's up to 2.6e11), and (samples, channels) ones failed inside the
kernels (``mfcc``: "2 samples ... shorter than one analysis frame"; ``librosa``: a Numba
TypingError, reported as a bug in emofeat). Now such samples are read as an ``(array, sr)``
pair is (integers scaled, channels averaged): the file's features exactly. An ``Audio`` of
mono float32 samples, as the reader makes it, is still taken as it is, admitted NaN samples
included (``load_audio(..., allow_nonfinite=True)``).
"""

from __future__ import annotations

import numpy as np
import pytest
from emofeat.extractors import MFCC
from emofeat.extractors.librosa_set import LibrosaFeatures

from emofeat.audio import Audio, load_audio

sf = pytest.importorskip("soundfile")


@pytest.fixture(scope="module")
def speech(emodb_dir):
    path = sorted(emodb_dir.glob("*.flac"))[0]
    y16, sr = sf.read(path, dtype="int16")
    return str(path), y16, sr


def _audio(y, sr):
    return Audio(y=y, sr=sr, source="mine", orig_sr=sr, orig_channels=1)


@pytest.mark.parametrize("extractor", [MFCC, LibrosaFeatures])
def test_int16_and_two_channel_samples_give_the_files_features(speech, extractor):
    path, y16, sr = speech
    ext = extractor()
    want = ext.fit_transform([path])
    np.testing.assert_array_equal(ext.fit_transform([_audio(y16, sr)]), want)
    y = load_audio(path).y
    np.testing.assert_array_equal(ext.fit_transform([_audio(np.stack([y, y], axis=1), sr)]),
                                  want)


def test_reader_made_audio_with_admitted_nan_is_taken_as_it_is(speech):
    """Control (passes before and after): float32 mono samples with a NaN admitted by
    ``allow_nonfinite`` give NaN frames, not a refusal."""
    path, _, sr = speech
    y = load_audio(path).y.copy()
    y[5000] = np.nan
    lld = MFCC(level="lld").fit_transform([_audio(y, sr)])
    assert 0 < np.isnan(lld).any(axis=1).sum() < lld.shape[0]
