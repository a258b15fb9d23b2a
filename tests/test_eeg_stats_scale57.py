"""eeg_stats on samples of any finite magnitude (session 57).

The moments' sums overflow or underflow long before the samples do: the fourth powers of
deviations past about 1e77, the squares past 1e154, the sum of samples near 1.8e308, and the
fourth powers of deviations under about 1e-68. Until session 57 such rows got NaN or wrong
statistics (a Muse recording times 2**250: kurtosis inf; times 2**600: std, skewness and
kurtosis NaN; times 2**-300: kurtosis off by 3.1) where the data are finite and every statistic
defined.

The reference is numpy / scipy.stats on the recording itself: scaling by a power of two is
exact (no sample of these recordings under- or overflows), so the scaled recording's mean, std
and line length are the recording's times that power, and its skewness and kurtosis the
recording's.
"""

from __future__ import annotations

import numpy as np
import pytest
from conftest import shared_path
from emofeat.extractors import EEGStats
from scipy import stats

#: relative tolerance: the reference and the kernel are float64 two-pass moments of the same
#: samples in other units (seen within 4e-14 (kurtosis) on the Muse channels at every scale)
RTOL = 1e-10


def muse_seconds() -> tuple[np.ndarray, float, tuple[str, ...]]:
    """The first 8 s of a real Muse recording (4 channels, 2,048 samples), in microvolts."""
    import pandas as pd
    frame = pd.read_csv(shared_path("eeg", "muse_mental_state", "subjecta-relaxed-1.csv"),
                        usecols=["TP9", "AF7", "AF8", "TP10"], nrows=2048)
    x = np.ascontiguousarray(frame.to_numpy(dtype=np.float64).T)
    assert np.isfinite(x).all() and np.ptp(x, axis=1).min() > 0
    return x, 256.0, tuple(frame.columns)


def statistics(x: np.ndarray, sfreq: float, names: tuple[str, ...]) -> list[np.ndarray]:
    with np.errstate(all="raise"):   # nothing may overflow on the way to the kernel
        row = EEGStats(sfreq=sfreq, ch_names=names).fit_transform([(x, sfreq, names)])[0]
    return np.split(row, 5)


def check(x: np.ndarray, got: list[np.ndarray], p: int) -> None:
    """``got`` (mean, std, skew, kurtosis, line length of ``x * 2**p``) against numpy and
    scipy on ``x``."""
    mean, std, skew, kurt, line = got
    np.testing.assert_allclose(mean, np.ldexp(x.mean(axis=1), p), rtol=RTOL, atol=0)
    np.testing.assert_allclose(std, np.ldexp(x.std(axis=1), p), rtol=RTOL, atol=0)
    np.testing.assert_allclose(skew, stats.skew(x, axis=1), rtol=RTOL, atol=0)
    np.testing.assert_allclose(kurt, stats.kurtosis(x, axis=1), rtol=RTOL, atol=0)
    np.testing.assert_allclose(line, np.ldexp(np.abs(np.diff(x, axis=1)).mean(axis=1), p),
                               rtol=RTOL, atol=0)


@pytest.mark.parametrize("p", [250, 400, 600, -300, -600])
def test_statistics_of_a_recording_scaled_by_a_power_of_two(p):
    x, sfreq, names = muse_seconds()
    scaled = np.ldexp(x, p)
    assert np.array_equal(np.ldexp(scaled, -p), x)   # exact: nothing rounded
    check(x, statistics(scaled, sfreq, names), p)


def test_statistics_of_samples_whose_sum_overflows():
    """The largest sample at 2**1022: the sum of the 2,048 samples and every difference
    overflow (the mean was inf)."""
    x, sfreq, names = muse_seconds()
    p = 1022 - int(np.frexp(np.abs(x).max())[1])
    scaled = np.ldexp(x, p)
    assert np.isfinite(scaled).all() and np.array_equal(np.ldexp(scaled, -p), x)
    with np.errstate(over="ignore", invalid="ignore"):
        assert not np.isfinite(scaled.sum(axis=1)).any()
    check(x, statistics(scaled, sfreq, names), p)


def test_skewness_and_kurtosis_of_a_dc_offset_scaled_by_a_power_of_two():
    """Channels of MNE's BioSemi test file on their electrode offsets (mean/std up to
    290,000) times 2**600: the deviations' powers overflow, not the samples'. Against scipy
    on the samples less one of them (an exact shift, as tests/test_eeg_stats_dc56.py)."""
    mne = pytest.importorskip("mne")
    raw = mne.io.read_raw(shared_path("eeg", "mne_testdata", "test.bdf"), preload=True,
                          verbose="error").pick("eeg")
    x = raw.get_data()[:, :2048]
    k = x[:, :1]
    with np.errstate(divide="ignore", invalid="ignore"):
        keep = ((x / k >= 0.5) & (x / k <= 2.0)).all(axis=1)   # Sterbenz: x - k exact
    keep &= np.abs(x.mean(axis=1)) > 100 * x.std(axis=1)
    assert keep.sum() >= 20
    x = np.ascontiguousarray(x[keep])
    names = tuple(np.asarray(raw.ch_names)[keep])
    centred = x - x[:, :1]
    _, std, skew, kurt, _ = statistics(np.ldexp(x, 600), raw.info["sfreq"], names)
    np.testing.assert_allclose(std, np.ldexp(centred.std(axis=1), 600), rtol=1e-12, atol=0)
    np.testing.assert_allclose(skew, stats.skew(centred, axis=1), rtol=RTOL, atol=0)
    np.testing.assert_allclose(kurt, stats.kurtosis(centred, axis=1), rtol=RTOL, atol=0)
