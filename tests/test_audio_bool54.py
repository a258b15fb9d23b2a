"""Boolean arrays given as audio are refused, saying they look like a mask.

No audio format holds booleans and librosa refuses any audio that is not floating-point; a
boolean array handed to an audio set is a mask given for the samples (``y > 0`` of EmoDB
speech below), which every set analysed as a 0/1 pulse train, without a word (the ``mfcc``
set gave that pulse train's coefficients). Now a ``SignalTypeError`` naming the input.
"""

from __future__ import annotations

import numpy as np
import pytest
from emofeat.extractors import MFCC
from emofeat.extractors.paa import PyAudioAnalysis

from emofeat.audio import load_audio
from emofeat.errors import SignalTypeError


@pytest.fixture(scope="module")
def speech(emodb_dir):
    return load_audio(sorted(emodb_dir.glob("*.flac"))[0]).y


@pytest.mark.parametrize("extractor", [MFCC, PyAudioAnalysis])
@pytest.mark.parametrize("given", ["bare", "pair"])
def test_a_mask_is_not_audio(speech, extractor, given):
    mask = speech > 0
    item = mask if given == "bare" else (mask, 16000)
    with pytest.raises(SignalTypeError, match=r"^<array 0>: samples of type bool are not a "
                       r"signal \(a mask"):
        extractor().fit_transform([item])


def test_the_samples_themselves_are_read(speech):
    """Control (passes before and after): the float samples give finite features."""
    assert np.isfinite(MFCC().fit_transform([speech])).all()
