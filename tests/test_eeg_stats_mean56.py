"""eeg_stats' mean to within a unit in the last place on plain EEG (session 56, helper B2).

36eb5c5 reported the mean as ``a + e``: the first pass's mean ``a`` plus the mean ``e`` of the
deviations from it, summed in the second pass. Where ``a`` is already exact that adds the
rounding of the deviations and of their sum: float32 samples (FIF files, float32 arrays)
sum exactly in float64, so the mean was correctly rounded before, and ``a + e`` erred by up
to 9.7e-12 relative on the 24 Muse recordings cast to float32 (1.6e-12 on them as read).
The kernel now compensates the first pass's sum and reports that mean.

The reference is each channel's exact mean, correctly rounded: ``math.fsum`` gives the sum
correctly rounded and the residual it leaves, and their sum over n is rounded once as a
fraction (it agrees with the mean of the samples summed as Fractions on every Muse channel).
Until review RB2 the reference was the mean in long double: correctly rounded on x86 (80-bit)
on these files, but where long double is float64 (Windows, macOS on arm) it is numpy's
float64 mean, 209 ulps off on the Muse data as read, and the test failed a correct kernel.
Tolerance: one unit in the last place of the reference (the kernel rounds its compensated
sum before dividing by n: 1 ulp off on 34 of the 96 Muse channels as read, 0 in float32).
"""

from __future__ import annotations

import glob
import math
from fractions import Fraction

import numpy as np
import pandas as pd
import pytest
from conftest import shared_path
from emofeat.extractors import EEGStats

MUSE = ("TP9", "AF7", "AF8", "TP10")


def muse_recordings() -> list[np.ndarray]:
    files = sorted(glob.glob(str(shared_path("eeg", "muse_mental_state") / "*.csv")))
    if not files:
        pytest.skip("the Muse recordings are not in /work/shared/data/eeg/muse_mental_state")
    out = []
    for f in files:
        x = pd.read_csv(f, usecols=list(MUSE)).to_numpy(float).T
        out.append(np.ascontiguousarray(x[:, np.isfinite(x).all(axis=0)]))
    return out


def exact_mean(r: np.ndarray) -> float:
    """The row's mean correctly rounded to float64: fsum's correctly rounded sum S plus the
    residual it leaves (fsum of the samples and -S), divided by n as a fraction."""
    s = math.fsum(r.tolist())
    residual = math.fsum([*r.tolist(), -s])
    return float((Fraction(s) + Fraction(residual)) / r.size)


def assert_mean_within_an_ulp(x: np.ndarray, sfreq: float, names: tuple[str, ...]) -> None:
    got = EEGStats(stats=("mean",)).fit_transform([(x, sfreq, names)])[0]
    ref = np.array([exact_mean(r) for r in x])
    ulps = np.abs(got - ref) / np.spacing(np.abs(ref))
    assert ulps.max() <= 1.0, f"mean off by {ulps.max():.3g} units in the last place"


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_the_mean_of_muse_recordings_is_within_an_ulp(dtype):
    """float32: 9.7e-12 relative at 36eb5c5 (2,460 ulps on the first recording); float64 (the
    CSV's values): 1.6e-12 there, 9.0e-13 with the plain sum before it."""
    for x in muse_recordings():
        assert_mean_within_an_ulp(x.astype(dtype), 256.0, MUSE)


def test_the_skewness_of_float32_muse_recordings_is_not_moved_by_the_deviations_rounding():
    """The second pass's correction e (the mean of the deviations from the first pass's
    mean a) is bounded by a's own error, 2 ulps: on float32 samples a is exact and an
    unbounded e, the rounding of the deviations' sum, moved the skewness by up to 6.5e-11
    relative (36eb5c5 and 37e1dc6); 1.1e-12 with the plain two passes before, as now.
    Reference: the moments in long double; rtol 1e-11."""
    for x in muse_recordings():
        x = x.astype(np.float32).astype(np.float64)
        got = EEGStats(stats=("skew",)).fit_transform([(x, 256.0, MUSE)])[0]
        d = x.astype(np.longdouble) - x.astype(np.longdouble).mean(axis=1, keepdims=True)
        ref = (np.mean(d**3, axis=1) / np.mean(d**2, axis=1) ** 1.5).astype(np.float64)
        np.testing.assert_allclose(got, ref, rtol=1e-11, atol=0)


@pytest.mark.parametrize("name", ["test.vhdr", "test_edf_stim_channel.edf"])
def test_the_mean_of_mne_test_recordings_in_float32_is_within_an_ulp(name):
    """As a FIF file gives them (float32 samples): 2.7e-13 (BrainVision) and 3.5e-15 (the
    stim-channel EDF, on a DC offset) relative at 36eb5c5."""
    mne = pytest.importorskip("mne")
    raw = mne.io.read_raw(shared_path("eeg", "mne_testdata", name), preload=True,
                          verbose="error").pick("eeg")
    x = raw.get_data()
    keep = x.std(axis=1) > 0
    x = np.ascontiguousarray(x[keep].astype(np.float32))
    assert_mean_within_an_ulp(x, raw.info["sfreq"], tuple(np.asarray(raw.ch_names)[keep]))
