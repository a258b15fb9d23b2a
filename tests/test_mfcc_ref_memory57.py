"""``ref=np.min/np.mean/np.median`` takes its statistic without copying the frame state
(session 57, mend of review RD of 91494d6).

91494d6's ``_ln_ref_level`` copied the whole frame state twice (each block without its NaN
values, then the blocks joined): on a one-hour input (RAVDESS files joined, 360,272 x 40
frames, 115 MB) ``ref="mean"`` and ``"median"`` peaked 230.6 MB above it, ``"min"`` 14.4 MB
(its NaN mask). Now a block without NaN is read in place, the mean is NumPy's pairwise sum
taken a subtree at a time (0.5 MB), and the median partitions the one array of energies it
fills (115.3 MB, the state's size). The level must be the one 91494d6 computed bit for bit:
the reference below is its code (the blocks joined, ``np.mean``/``np.median``), compared with
``==`` on real speech, in one block and in uneven blocks, with and without NaN frames.
Memory bounds (tracemalloc, of the state's bytes): min 5 %, mean 25 % (a 512 KB part at
most), median 110 %; 91494d6 took 12.5 %, 200 % and 200 %.
"""

from __future__ import annotations

import tracemalloc

import numpy as np
import pytest
import soundfile as sf
from emofeat.extractors import MFCC
from emofeat.extractors import mfcc as M


def _level_before(blocks, statistic):
    """91494d6's ``_ln_ref_level``, the reference (its copies included)."""
    if statistic == "min":
        low = min((float(np.min(b, initial=np.inf, where=~np.isnan(b)))
                   for b in blocks if b.size), default=np.inf)
        return low if np.isfinite(low) else -np.inf
    values = np.concatenate([b[~np.isnan(b)] for b in blocks if b.size] or [np.empty(0)])
    if not values.size:
        return -np.inf
    np.exp(values, out=values)
    level = float(np.mean(values)) if statistic == "mean" else float(np.median(values))
    return float(np.log(level)) if level > 0 else -np.inf


@pytest.fixture(scope="module")
def state(ravdess_dir):
    """The unfloored log-mel state of RAVDESS files joined to 150 s (15,000 frames), as
    ``ref="mean"``/``"median"`` keep it."""
    files = sorted(ravdess_dir.glob("Actor_*/*.flac"))[::29]
    ys, total = [], 0
    for f in files:
        y, sr = sf.read(f, dtype="float32")
        ys.append(y)
        total += y.size
        if total >= 150 * sr:
            break
    return MFCC(ref="median")._ln_mel(np.concatenate(ys))


@pytest.mark.parametrize("statistic", ["min", "mean", "median"])
def test_the_level_is_the_joined_arrays_bit_for_bit(statistic, state):
    with_nan = state.copy()
    with_nan[777:790] = np.nan
    with_nan[-3:] = np.nan
    cuts = [0, 1, 4099, 9000, state.shape[0]]  # uneven blocks, one of a single frame
    for s in (state, with_nan):
        for blocks in ([s], [c.copy() for c in np.split(s, cuts[1:-1])]):
            assert M._ln_ref_level(list(blocks), statistic) == _level_before(blocks, statistic)
    assert M._ln_ref_level([np.full((3, 40), np.nan)], statistic) == -np.inf


@pytest.mark.parametrize("statistic,bound", [("min", 0.05), ("mean", 0.25), ("median", 1.1)])
def test_the_level_does_not_copy_the_state(statistic, bound, state):
    blocks = [state]
    tracemalloc.start()
    try:
        tracemalloc.reset_peak()
        M._ln_ref_level(blocks, statistic)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak <= bound * state.nbytes, (peak, state.nbytes)


@pytest.mark.parametrize("n", [84632, 144522, 345965, 366661, 586298])
def test_the_mean_sum_is_numpys_bit_for_bit(n, state):
    """Review RD2: the level's log hides a one-bit change of the sum; the sum itself equals
    NumPy's (float ==) at lengths where a split at n // 2, or sequential 65,536-value parts,
    give other bits, in uneven parts, one of a single value."""
    v = state.reshape(-1)[:n]
    cuts = sorted([0, 1, 163963, n // 3, n])
    flat = [v[a:b] for a, b in zip(cuts, cuts[1:], strict=False)]
    assert M._exp_pairwise_sum(flat, 0, n) == float(np.sum(np.exp(v)))
