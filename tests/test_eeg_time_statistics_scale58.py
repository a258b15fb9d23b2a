"""The pure ``time_statistics`` of finite samples of any magnitude (session 58).

Its moments overflowed for deviations past about 1e77 (kurtosis inf, then skewness and std
NaN), as ``scipy.stats`` does, and lost the fourth powers of deviations under about 1e-68.
``eeg_stats``' kernels were mended so in 530df56; this public function now takes such rows
again scaled by exact powers of two. Scaling samples by ``2**k`` scales mean, std,
peak-to-peak and line length by ``2**k`` and leaves skewness, kurtosis and the zero-crossing
rate as they are: the statistics of the scaled recording are compared with numpy's and
scipy's of the recording itself, scaled analytically.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from conftest import shared_path
from emofeat.extractors import eeg
from scipy import stats

NAMES = ["TP9", "AF7", "AF8", "TP10"]


@pytest.fixture(scope="module")
def muse() -> np.ndarray:
    path = shared_path("eeg", "muse_mental_state", "subjecta-relaxed-1.csv")
    return np.ascontiguousarray(pd.read_csv(path, usecols=NAMES, nrows=2048).to_numpy(float).T)


@pytest.mark.parametrize("k", [250, 300, 600, 1000, -300, -600])
def test_statistics_of_scaled_samples_are_the_samples_statistics_scaled(k, muse):
    names, v = eeg.time_statistics(np.ldexp(muse, k))
    d = muse - muse.mean(-1, keepdims=True)
    want = {"mean": np.ldexp(muse.mean(-1), k), "std": np.ldexp(muse.std(-1), k),
            "skew": stats.skew(muse, axis=-1), "kurtosis": stats.kurtosis(muse, axis=-1),
            "ptp": np.ldexp(np.ptp(muse, axis=-1), k),
            "line_length": np.ldexp(np.abs(np.diff(muse, axis=-1)).mean(-1), k),
            "zcr": (np.diff(np.signbit(d).astype(int), axis=-1) != 0).mean(-1)}
    for i, name in enumerate(names):
        np.testing.assert_allclose(v[:, i], want[name], rtol=1e-12, err_msg=name)


def test_ordinary_rows_keep_the_plain_definitions(muse):
    # the rows that need no rescaling are computed as before, whatever their neighbours
    both = np.concatenate([muse, np.ldexp(muse, 300)])
    _, v = eeg.time_statistics(both)
    d = muse - muse.mean(-1, keepdims=True)
    np.testing.assert_array_equal(v[:4, 1], np.sqrt((d * d).mean(-1)))
    np.testing.assert_array_equal(v[:4, 0], muse.mean(-1))
    assert np.isfinite(v).all()
