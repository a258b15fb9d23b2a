"""eeg_stats' skewness and kurtosis on channels that sit on a DC offset (session 56).

A DC-coupled amplifier records the electrode offset with the EEG: MNE's BioSemi test file
(test.bdf) has channels at up to 0.26 V under microvolts of signal (mean/std 20 to 290,000),
the stim-channel EDF at up to 0.22 V (mean/std up to 28,000). The mean of a sum in order is off by its rounding, which
is small against the mean but not against the spread; moments about that mean erred by up
to 2e-9 (skewness) and 5e-8 (kurtosis) relative before the kernel corrected its second pass.

The reference is scipy.stats (and mne_features, which calls it) on the same samples moved
by one of them, k: x - k is exact (Sterbenz: x and k within a factor 2 of each other, checked),
so its moments are those of x exactly, and scipy computes them without a DC offset.
"""

from __future__ import annotations

import numpy as np
import pytest
from conftest import shared_path
from emofeat.extractors import EEGStats
from scipy import stats

#: relative tolerance against the centred reference: both are float64 two-pass moments of
#: thousands of samples (seen <= 1e-12 for skewness and 3.4e-11 for kurtosis (the EDF) after
#: the fix; 6e-10 to 5e-8 before)
RTOL = 1e-10


def offset_channels(name: str) -> tuple[np.ndarray, np.ndarray, float, tuple[str, ...]]:
    """The EEG channels of a real file whose offset is over 10 times their spread, and for
    each a sample k, shape (n, 1), from which every sample subtracts exactly."""
    mne = pytest.importorskip("mne")
    raw = mne.io.read_raw(shared_path("eeg", "mne_testdata", name), preload=True,
                          verbose="error").pick("eeg")
    x = raw.get_data()
    k = np.median(x, axis=1, keepdims=True)
    k = x[np.arange(len(x)), np.abs(x - k).argmin(axis=1)][:, None]   # a sample itself
    # Sterbenz: k/2 <= x <= 2k (same sign) makes x - k exact
    with np.errstate(divide="ignore", invalid="ignore"):
        keep = ((x / k >= 0.5) & (x / k <= 2.0)).all(axis=1)
    keep &= np.abs(x.mean(axis=1)) > 10 * x.std(axis=1)
    assert keep.sum() >= 20, "the file has fewer offset channels than this test expects"
    x, k = np.ascontiguousarray(x[keep]), k[keep]
    names = tuple(np.asarray(raw.ch_names)[keep])
    return x, k, raw.info["sfreq"], names


@pytest.mark.parametrize("name", ["test.bdf", "test_edf_stim_channel.edf"])
def test_skewness_and_kurtosis_on_a_dc_offset_equal_scipy_on_the_centred_samples(name):
    x, k, sfreq, names = offset_channels(name)
    centred = x - k
    row = EEGStats(stats=("skew", "kurtosis")).fit_transform([(x, sfreq, names)])[0]
    skew, kurt = np.split(row, 2)
    np.testing.assert_allclose(skew, stats.skew(centred, axis=1), rtol=RTOL, atol=0)
    np.testing.assert_allclose(kurt, stats.kurtosis(centred, axis=1), rtol=RTOL, atol=0)
    mf = pytest.importorskip("mne_features.univariate")
    np.testing.assert_allclose(skew, mf.compute_skewness(centred), rtol=RTOL, atol=0)
    # mne_features' kurtosis is Pearson's (fisher=False): 3 more than the excess kurtosis
    np.testing.assert_allclose(kurt + 3.0, mf.compute_kurtosis(centred), rtol=RTOL, atol=0)


def test_the_mean_and_std_on_a_dc_offset_equal_those_of_the_centred_samples():
    """mean within 1e-15 relative (4 units in the last place) of k + the centred samples'
    mean (rounded once; 3e-15 off before), std to 1e-12 relative."""
    x, k, sfreq, names = offset_channels("test.bdf")
    centred = x - k
    row = EEGStats(stats=("mean", "std")).fit_transform([(x, sfreq, names)])[0]
    mean, std = np.split(row, 2)
    np.testing.assert_allclose(mean, k[:, 0] + centred.mean(axis=1), rtol=1e-15, atol=0)
    np.testing.assert_allclose(std, centred.std(axis=1), rtol=1e-12, atol=0)
