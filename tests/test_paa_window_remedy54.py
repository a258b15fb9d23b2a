"""paa: a window too short for pyAudioAnalysis's chroma is refused naming one long enough.

pyAudioAnalysis's chroma puts every FFT bin of a frame into a slot ``round(12 log2(f /
27.5))``; the top bin is ``sr / 2`` whatever the window, so at 16 kHz 99 slots need 99 bins, a
window of 198 samples. A 10 ms window (160 samples) was refused "80 bins for 99 chroma
slots" (pyAudioAnalysis fails there with a broadcasting error), leaving the window that works
to be worked out; now the error names it ("window >= 0.012375 s"), and that value, given
back, analyses EmoDB speech as pyAudioAnalysis does.
"""

from __future__ import annotations

import re

import numpy as np
import pytest
from emofeat.extractors.paa import PyAudioAnalysis

import emofeat
from emofeat.audio import load_audio


@pytest.fixture(scope="module")
def path(emodb_dir):
    return str(sorted(emodb_dir.glob("*.flac"))[0])


def test_the_refusal_names_a_window_that_works(path):
    with pytest.raises(ValueError, match=r"80 bins for 99 chroma slots; a window of at least "
                       r"198 samples holds them: window >= 0.012375 s$") as err:
        emofeat.extract([path], ["paa"], params={"window": 0.010, "step": 0.005})
    window = float(re.search(r"window >= ([\d.]+) s", str(err.value))[1])
    st = pytest.importorskip("pyAudioAnalysis.ShortTermFeatures")
    lld = PyAudioAnalysis(window=window, step=0.005, level="lld").fit_transform([path])
    ref = st.feature_extraction(load_audio(path).y.astype(np.float64) * 32768, 16000,
                                round(window * 16000), 80)[0].T
    assert lld.shape == ref.shape  # rtol 1e-6 + 1e-8 of the column, as test_paa's
    bound = 1e-6 * np.abs(ref) + 1e-8 * np.maximum(np.abs(ref).max(axis=0), 1e-3)
    assert np.all(np.abs(lld - ref) <= bound)
