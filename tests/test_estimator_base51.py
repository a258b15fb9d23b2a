"""The extractor bases are no feature sets: ``FrameExtractor()`` and ``Extractor()`` are
refused when built, with a ``TypeError`` that says what to use instead, while a user's own
subclass (the documented way to add a set) is built and works.

Session 51, helper D (a session 50 leftover): ``FrameExtractor()`` was built, and its first
use failed deep inside with ``AttributeError: 'FrameExtractor' object has no attribute
'functionals'`` (``Extractor()`` with "Extractor.modality must be one of ...").

The subclass's reference is librosa: a frame RMS set written by a user, on three EmoDB files,
gives the mean of ``librosa.feature.rms`` over the same frames (rtol 1e-6: float32 audio,
float64 sums).
"""

from __future__ import annotations

import numpy as np
import pytest
from conftest import shared_path
from emofeat.extractors.base import FrameExtractor

from emofeat.extractor import Extractor


@pytest.mark.parametrize("base", [FrameExtractor, Extractor])
def test_a_base_is_refused_when_built(base):
    with pytest.raises(TypeError, match=rf"{base.__name__} is the base class .* not a set"):
        base()


class FrameRMS(FrameExtractor):
    """A user's frame-level set: the RMS of 512-sample frames every 160 samples."""

    modality = "audio"
    set_name = "my_rms"

    def __init__(self, *, level="functionals", functionals=("mean",), sr=16000,
                 resample=True):
        self.level = level
        self.functionals = functionals
        self.sr = sr
        self.resample = resample

    def descriptor_names(self):
        return ["my_rms_rms"]

    def min_samples(self):
        return 512

    def _compute(self, signal):
        x = np.asarray(signal.data, dtype=np.float64).reshape(-1)
        n = 1 + (len(x) - 512) // 160
        frames = np.lib.stride_tricks.sliding_window_view(x, 512)[::160][:n]
        rms = np.sqrt(np.mean(frames**2, axis=1))
        return rms[:, None], (np.arange(n) * 160 + 256) / signal.rate


def test_a_subclass_is_built_and_agrees_with_librosa():
    import librosa
    import soundfile as sf

    root = shared_path("speech", "emodb")
    files = sorted(root.glob("*.flac"))[:3]
    got = FrameRMS().fit_transform([str(f) for f in files])
    assert got.shape == (3, 1)
    for row, f in zip(got, files, strict=True):
        y, rate = sf.read(f, dtype="float32")
        assert rate == 16000
        ref = librosa.feature.rms(y=y, frame_length=512, hop_length=160, center=False)[0]
        np.testing.assert_allclose(row[0], ref.mean(), rtol=1e-6)
