"""The ``librosa`` set warns of overflowing amplitudes once, in its own words, naming the input.

Samples far beyond [-1, 1] (EmoDB speech at 1e20, a float file written without scaling by a
factor gone wrong) overflow the float32 power spectrum: the set's warning names the input and
the remedy. Beside it, NumPy's "overflow encountered in square" (the tuning estimate's power
spectrum) came out too, naming no input: ``emofeat extract`` printed it as
``warning: RuntimeWarning: overflow encountered in square``. Now the set's warning is the only
one; the rows are unchanged (NaN frames, as before) and ordinary speech warns of nothing.
"""

from __future__ import annotations

import warnings

import numpy as np
import pytest
from emofeat.extractors.librosa_set import LibrosaFeatures

from emofeat.audio import load_audio


@pytest.fixture(scope="module")
def speech(emodb_dir):
    return load_audio(sorted(emodb_dir.glob("*.flac"))[0]).y


def test_overflow_gives_the_sets_warning_alone(speech):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        rows = LibrosaFeatures(level="lld").fit_transform([(speech * np.float32(1e20), 16000)])
    said = [(w.category.__name__, str(w.message)) for w in caught]
    assert len(said) == 1, said
    category, message = said[0]
    assert category == "UserWarning", said
    assert message.startswith("<array 0>: ") and "frames have NaN or infinite" in message, said
    assert np.isnan(rows).any()  # the overflowing frames: NaN, as before


def test_ordinary_speech_warns_of_nothing(speech):
    """Control (passes before and after)."""
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert np.isfinite(LibrosaFeatures().fit_transform([(speech, 16000)])).all()
