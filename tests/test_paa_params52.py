"""``paa``: mid-term parameters the user gave are the ones an error names, and the catalogue's
bin frequencies are pyAudioAnalysis's for odd windows too (session 52)."""

from __future__ import annotations

import warnings

import numpy as np
import pytest
from emofeat.extractors.paa import PyAudioAnalysis

import emofeat
from emofeat.audio import load_audio

warnings.filterwarnings("ignore", message="Couldn't find ffmpeg")
ST = pytest.importorskip("pyAudioAnalysis.ShortTermFeatures")


@pytest.mark.parametrize("params, named", [
    # no mid_step given: it defaults to mid_window, and the message named mid_step alone
    (dict(mid_window=0.01), r"mid_window=0.01 s \(mid_step defaults to it\) is less than one "
                            r"short-term step: .* 0 steps of step=0.025 s"),
    (dict(mid_window=1.0, mid_step=0.001), r"mid_step=0.001 s is less than one short-term "
                                           r"step"),
    (dict(mid_window=0.03, mid_step=0.05), r"mid_window=0.03 s spans no short-term frame: .* "
                                           r"gives 0 frames at window=0.05 s, step=0.025 s"),
])
def test_mid_term_refusals_name_the_given_parameter_and_its_value(ravdess_files, params, named):
    """``PyAudioAnalysis(mid_window=0.01)`` on real files was refused with 'mid_step must be at
    least one short-term step', naming a parameter the user had not set and no value; the
    refusal now names the parameter given, its value and the step it falls short of."""
    files = [str(f) for f in ravdess_files[:2]]
    with pytest.raises(ValueError, match=named):
        PyAudioAnalysis(**params).fit_transform(files)


def test_catalogue_centroid_bins_are_pyaudioanalysis_bins_for_an_odd_window(ravdess_files):
    """The catalogue said the centroid is taken over ``(k+1) sr / window`` Hz; pyAudioAnalysis
    (and the set) use ``(k+1) sr / (2 (window // 2))``, the same only for an even window. At
    44.1 kHz with 30 ms frames (1323 samples) the two differ by 1/1323: the catalogue's
    formula must reproduce pyAudioAnalysis's centroid on a real frame to 1e-9 relative (the
    set's rtol is 1e-6; the wrong bins are 7.6e-4 off)."""
    cat = emofeat.catalogue("paa")
    definition = cat.loc[cat.name == "paa_spectral_centroid", "definition"].item()
    assert "(k+1) sr / (2 (window // 2))" in definition, definition
    sr, win, hop = 44100, 1323, 441
    y = load_audio(ravdess_files[0], sr).y.astype(np.float64)
    ref = ST.feature_extraction(y * 32768, sr, win, hop, deltas=False)[0].T
    x = y - y.mean()
    x /= np.abs(x).max() + 1e-10  # as pyAudioAnalysis (its 16-bit samples / 2**15 are y)
    t = int(np.argmax(ref[:, 1]))  # the loudest frame: no cancellation near silence
    m = win // 2
    mag = np.abs(np.fft.fft(x[t * hop:t * hop + win]))[:m] / m
    mag /= mag.max()
    k = np.arange(m) + 1.0
    for bins, agrees in ((k * sr / (2 * m), True), (k * sr / win, False)):
        centroid = (bins * mag).sum() / (mag.sum() + np.finfo(float).eps) / (sr / 2)
        assert bool(abs(centroid - ref[t, 3]) <= 1e-9 * ref[t, 3]) is agrees, (centroid, ref[t, 3])
