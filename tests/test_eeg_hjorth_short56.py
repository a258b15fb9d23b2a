"""Hjorth complexity of 3 samples (session 56, helper B).

In Hjorth's convention (population variances of the signal and its differences) the
complexity of 3 samples is sqrt(var(x'') / var(x')) / mobility with a single second
difference, whose variance is 0 whatever the samples: eeg_hjorth gave 0 (or the rounding's
6e-15) for every 3-sample input, a feature that says nothing of the signal, as eeg_stats'
kurtosis of 3 samples (-1.5), which that set refuses. The set now needs 4 samples in that
convention; mne-features' (a zero prepended before each difference) keeps 3.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from conftest import shared_path

from emofeat import get_extractor
from emofeat.errors import TooShortError

NAMES = ("TP9", "AF7", "AF8", "TP10")


@pytest.fixture(scope="module")
def muse():
    path = shared_path("eeg", "muse_mental_state", "subjecta-relaxed-1.csv")
    return np.ascontiguousarray(pd.read_csv(path, usecols=list(NAMES)).to_numpy(float).T)


def _hjorth(x):
    """Hjorth (1970) with population variances, by NumPy: activity, mobility, complexity."""
    d1, d2 = np.diff(x), np.diff(x, n=2)
    mob = np.sqrt(d1.var(axis=1) / x.var(axis=1))
    return np.stack([x.var(axis=1), mob, np.sqrt(d2.var(axis=1) / d1.var(axis=1)) / mob])


def test_three_samples_are_refused_in_hjorth_s_convention(muse):
    ext = get_extractor("eeg_hjorth").fit([(muse[:, :1000], 250.0, NAMES)])
    assert ext.min_samples() == 4
    for a in (1000, 2000, 3000):
        # the definition: one second difference, variance 0 whatever the samples
        assert (np.diff(muse[:, a:a + 3], n=2).var(axis=1) == 0).all()
        with pytest.raises(TooShortError, match="need 4 samples"):  # before: complexity 0
            ext.transform([(muse[:, a:a + 3], 250.0, NAMES)])
        # 4 samples: the definition's values (rtol 1e-9)
        row = ext.transform([(muse[:, a:a + 4], 250.0, NAMES)])[0].reshape(3, 4)
        np.testing.assert_allclose(row, _hjorth(muse[:, a:a + 4]), rtol=1e-9)
    # explicit windows of one recording: the 3-sample one NaN, the others computed
    sig = ext.read((muse[:, :1000], 250.0, NAMES))[0]
    with pytest.warns(UserWarning):
        rows = ext.features_of_windows(sig, [(0, 500), (500, 503)])
    assert np.isfinite(rows[0]).all() and np.isnan(rows[1]).all()


def test_three_samples_are_kept_in_mne_features_convention(muse):
    mf = pytest.importorskip("mne_features.univariate")
    ext = get_extractor("eeg_hjorth", convention="mne_features")
    x = muse[:, 1000:1003]
    row = ext.fit_transform([(x, 250.0, NAMES)])[0].reshape(3, 4)
    assert ext.min_samples() == 3
    np.testing.assert_allclose(row[2], mf.compute_hjorth_complexity(x), rtol=1e-9)
