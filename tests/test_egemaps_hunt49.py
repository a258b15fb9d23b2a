"""eGeMAPS on inputs users meet (session 49, helper A's hunt)."""

from __future__ import annotations

import re
import warnings

import numpy as np
import pytest
from emofeat.extractors import egemaps as E

from emofeat.audio import load_audio

sf = pytest.importorskip("soundfile")
soxr = pytest.importorskip("soxr")


def test_the_clipping_warning_shows_a_peak_beyond_one(emodb_dir, tmp_path):
    """EmoDB 08a02Wc peaks at 0.99997 (full scale); written at 22.05 kHz and read back at
    16 kHz (soxr HQ both ways, as the command reads it) one sample overshoots to 1.00014. The
    warning said "1 of 32000 samples lies beyond +-1 (peak 1)": a peak of 1 contradicting
    its own words. It now shows the digits that put it beyond 1."""
    y, sr = sf.read(emodb_dir / "08a02Wc.flac")
    path = tmp_path / "08a02Wc_22050.wav"
    sf.write(path, soxr.resample(y, sr, 22050, quality="HQ"), 22050, subtype="PCM_16")
    x = load_audio(path, E.SR).y
    assert np.abs(x).max() > 1.0
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        E.pcm16(x, str(path))
    said = [str(w.message) for w in caught if "beyond +-1" in str(w.message)]
    assert len(said) == 1, said
    peak = float(re.search(r"\(peak ([0-9.e+-]+)\)", said[0]).group(1))
    assert 1.0 < peak == pytest.approx(np.trunc(np.abs(x).max() * 32768.0) / 32768.0, rel=1e-5)
    assert said[0].startswith(f"{path}: 1 of 32000 samples lies beyond +-1 (peak 1.0001")


@pytest.mark.parametrize("peak,shown", [(3.0, "3"), (1.5, "1.5"), (1.0 + 2**-14, "1.00006")])
def test_the_clipping_warning_keeps_short_peaks_short(peak, shown):
    y = np.zeros(100)
    y[3] = peak
    with pytest.warns(UserWarning, match=rf"\(peak {re.escape(shown)}\): clipped"):
        E.pcm16(y, "x.wav")
