"""smooth_table given a DataFrame says what it takes (session 48).

A user who reads the command's output with ``pd.read_parquet`` and smooths it, as docs/eeg.md
tells them to smooth DE features per trial, got "'DataFrame' object has no attribute
'feature_names'". Now a ``TypeError`` names the type and the two ways to a FeatureTable.
"""

from __future__ import annotations

import numpy as np
import pytest
from conftest import shared_path
from emofeat.extractors.eeg import lds_smooth

import emofeat
from emofeat.eeg_input import smooth_table
from emofeat.registry import get_extractor
from emofeat.runner import run


def _muse_de(tmp_path):
    path = shared_path("eeg", "muse_mental_state", "subjectd-concentrating-2.csv")  # skips
    out = tmp_path / "de.parquet"
    run([str(path)], [get_extractor("eeg_de")], segment=1.0, hop=0.5, output=str(out))
    return out


def test_a_dataframe_of_an_output_is_refused_with_the_way_to_a_table(tmp_path):
    pd = pytest.importorskip("pandas")
    out = _muse_de(tmp_path)
    with pytest.raises(TypeError, match=r"table must be a FeatureTable, got DataFrame: "
                       r"read an output with emofeat\.read_table\(path\)"):
        smooth_table(pd.read_parquet(out))
    # the way out works: the output's one stretch smoothed as one series
    table = emofeat.read_table(out)
    smoothed = smooth_table(table)
    order = np.argsort(table.index["start"].to_numpy())
    np.testing.assert_array_equal(smoothed.X[order], lds_smooth(table.X[order]))
