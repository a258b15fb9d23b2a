"""A dataset folder with a part missing or a foreign part is not read silently; small
FeatureTable.select edge cases."""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest

import emofeat
from emofeat.runner import run
from emofeat.store import IncompleteDatasetWarning
from emofeat.table import FeatureTable


@pytest.fixture()
def dataset(tmp_path, sample):
    out = tmp_path / "ds"
    run(sample.head(8), [emofeat.get_extractor("mfcc")], output=str(out), chunk_size=3,
        on_error="record")
    parts = sorted(out.glob("part-*.parquet"))
    assert len(parts) == 3
    return out, parts


def test_a_missing_part_warns_and_a_rerun_restores_it(dataset, sample):
    out, parts = dataset
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert emofeat.read_table(out).shape[0] == 8
    parts[1].unlink()
    with pytest.warns(IncompleteDatasetWarning, match="rows of 5 inputs.*finished 8"):
        assert emofeat.read_table(out).shape[0] == 5
    run(sample.head(8), [emofeat.get_extractor("mfcc")], output=str(out), chunk_size=3,
        on_error="record")
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert emofeat.read_table(out).shape[0] == 8


def test_a_foreign_part_is_refused_naming_it(dataset):
    out, parts = dataset
    pd.DataFrame({"x": [1]}).to_parquet(parts[1])
    with pytest.raises(ValueError, match=f"{parts[1].name}: not a part of the dataset"):
        emofeat.read_table(out)


def test_select_no_rows_and_independent_provenance():
    t = FeatureTable(np.zeros((5, 3)), ["a", "b", "c"],
                     provenance={"sets": [{"params": {"k": 1}}]})
    assert t.select(rows=[]).shape == (0, 3)
    u = t.select()
    u.provenance["sets"][0]["params"]["k"] = 42
    assert t.provenance["sets"][0]["params"]["k"] == 1


def test_identity_column_names_are_strings_and_round_trip(tmp_path):
    t = FeatureTable(np.zeros((5, 3)), ["a", "b", "c"],
                     pd.DataFrame({0: list("vwxyz"), 5: range(5)}))
    assert list(t.index.columns) == ["0", "5"]
    t.to_parquet(tmp_path / "x.parquet")
    back = emofeat.read_table(tmp_path / "x.parquet")
    assert list(back.index.columns) == ["0", "5"] and back.index["0"].tolist() == list("vwxyz")
    with pytest.raises(ValueError, match="both as identity and feature"):
        FeatureTable(np.zeros((5, 3)), ["0", "b", "c"], pd.DataFrame({0: [1] * 5}))
