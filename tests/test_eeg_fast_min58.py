"""The spectral EEG sets' shortest analysable input at a high rate is found at once (58).

``eeg_bands`` (and ``eeg_de``, ``eeg_asymmetry``, ``eeg_spectral``) find the fewest samples
from which on every band holds a bin of the PSD. Until session 58 they walked down the
lengths one at a time, building each length's grid of bins: the work grew with the square of
the rate (``eeg_bands`` on 2,048 samples: 16 s at 1 MHz, hours at 1e8 Hz). The answer is
checked here against the definition, independently of emofeat's search: in exact arithmetic
a band ``[lo, hi)`` holds no bin of an ``n``-point spectrum at ``S`` Hz exactly where no
integer ``k`` has ``lo <= k S / n < hi``, that is for ``n`` in ``(m S / lo, (m + 1) S / hi]``
for some integer ``m >= 0``; the largest such length below the search's top (every band
surely holds a bin from ``ceil(S / narrowest width)`` on, or the Welch segment) is found
with fractions, and the PSD's own float bins (``emofeat.extractors.eeg.empty_bands``, the
grids the sets count) are asked around it. The calls run in a subprocess with a generous
time limit: at the tree before, they do not end within it.
"""

from __future__ import annotations

import json
import math
import subprocess
import sys
from fractions import Fraction

import numpy as np
import pytest
from conftest import shared_path
from emofeat.extractors import eeg

NAMES = ("TP9", "AF7", "AF8", "TP10")
LIMIT_S = 60   # at the tree before: hours


def _exact_longest_empty(bands: dict, sfreq: float, top: int) -> int:
    """The longest length in ``[1, top]`` leaving a band without a bin, in exact arithmetic
    (0: none)."""
    S = Fraction(sfreq)
    best = 0
    for lo, hi in bands.values():
        lo, hi = Fraction(lo), Fraction(hi)
        if lo == 0:
            continue   # bin 0 is in it at every length
        for m in range(math.floor(lo * top / S), -1, -1):
            first, last = math.floor(m * S / lo) + 1, min(top, math.floor((m + 1) * S / hi))
            if first <= last:
                best = max(best, last)
                break
    return best


def _expected(bands: dict, sfreq: float, segment: float | None) -> int:
    """The fewest samples from which on no length below the search's top leaves a band
    without a bin: from the exact answer, confirmed on the PSD's own grids around it."""
    top = math.ceil(sfreq / min(hi - lo for lo, hi in bands.values()) - 1e-9)
    if segment is not None:
        top = min(top, round(segment * sfreq))
    method = "multitaper" if segment is None else "welch"
    exact = _exact_longest_empty(bands, sfreq, top - 1)
    assert exact > 0
    lengths = range(max(exact - 10, 1), min(exact + 10, top - 1) + 1)
    empty = [n for n in lengths if eeg.empty_bands(bands, sfreq, n, psd_method=method)]
    assert empty and empty[-1] < lengths[-1], (exact, empty)   # the window holds the answer
    return empty[-1] + 1


def _run(code: str, *args: str) -> dict:
    try:
        done = subprocess.run([sys.executable, "-c", code, *args], capture_output=True,
                              text=True, timeout=LIMIT_S, check=False)
    except subprocess.TimeoutExpired:
        pytest.fail(f"the search did not end within {LIMIT_S} s")
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


CALLS = r"""
import json, sys, warnings
import numpy as np, pandas as pd
from emofeat.extractors.eeg_sets import EEGBandPower
from emofeat.errors import TooShortError
warnings.simplefilter("ignore")
path, sfreq, method, bands = sys.argv[1], float(sys.argv[2]), sys.argv[3], json.loads(sys.argv[4])
names = ["TP9", "AF7", "AF8", "TP10"]
x = np.ascontiguousarray(pd.read_csv(path, usecols=names).to_numpy(float).T[:, :2048])
ext = EEGBandPower(psd_method=method, bands={k: tuple(v) for k, v in bands.items()})
least = ext.min_samples(sfreq)
try:
    ext.fit_transform([(x, sfreq, names)])
    said = None
except TooShortError as e:
    said = str(e)
print(json.dumps({"least": least, "said": said}))
"""


@pytest.mark.parametrize(("sfreq", "method", "bands"), [
    (1e8, "welch", dict(eeg.DEFAULT_BANDS)),
    (1e8, "welch", {"theta": (4.0, 8.0), "alpha": (8.0, 13.0), "mid": (12.3, 13.7)}),
    (3.3e6 + 0.7, "multitaper", {"delta": (1.0, 4.0), "alpha": (8.0, 8.5), "gamma": (30.0, 45.0)}),
], ids=["default-welch-1e8", "narrow-welch-1e8", "narrow-multitaper-3.3e6"])
def test_the_shortest_input_at_a_high_rate_is_the_definitions(sfreq, method, bands):
    path = shared_path("eeg", "muse_mental_state", "subjecta-relaxed-1.csv")
    expected = _expected(bands, sfreq, 1.0 if method == "welch" else None)
    got = _run(CALLS, str(path), repr(sfreq), method, json.dumps(bands))
    assert got["least"] == expected
    # the input of 2,048 samples is refused naming the same fewest samples
    assert got["said"] is not None and f"; {expected} samples (" in got["said"], got["said"]
    assert np.isfinite(expected)
