"""The feature table: parquet round trips, atomic writes, views."""

import numpy as np
import pandas as pd
import pyarrow.parquet as pq
import pytest
from emofeat.extractors import MFCC

from emofeat import FeatureTable, read_table


@pytest.fixture(scope="module")
def tables(sample):
    sub = sample.iloc[:4]
    return (MFCC(functionals=("mean", "std", "p50")).extract(sub),
            MFCC(level="lld", deltas=0).extract(sub))


def test_functionals_table_carries_identity_and_provenance(tables, sample):
    func, _ = tables
    assert func.shape == (4, 39 * 3)
    assert func.index["speaker"].tolist() == sample.speaker.iloc[:4].tolist()
    assert {"path", "emotion", "start", "end", "orig_sr", "orig_channels"} <= set(func.index.columns)
    assert func.index["start"].eq(0).all() and (func.index["end"] > 2.5).all()
    prov = func.provenance
    assert prov["level"] == "functionals" and prov["sets"][0]["name"] == "mfcc"
    assert prov["sets"][0]["params"]["n_mfcc"] == 13
    assert prov["emofeat_version"]


@pytest.mark.parametrize("which", [0, 1])
def test_parquet_round_trip_is_equal(tables, tmp_path, which):
    table = tables[which]
    path = tmp_path / "t.parquet"
    table.to_parquet(path)
    back = read_table(path)
    assert back.equals(table)
    assert back.index["speaker"].iloc[0] == table.index["speaker"].iloc[0]  # "09" stays "09"
    assert not list(tmp_path.glob("*.tmp-*"))  # no temporary file left behind


def test_parquet_is_a_plain_table_for_other_readers(tables, tmp_path):
    _, lld = tables
    path = tmp_path / "lld.parquet"
    lld.to_parquet(path)
    df = pd.read_parquet(path)
    assert list(df.columns[: len(lld.index.columns)]) == list(lld.index.columns)
    assert "mfcc3" in df.columns and len(df) == len(lld)
    np.testing.assert_array_equal(df["time"].to_numpy(), lld.index["time"].to_numpy())


def test_foreign_parquet_is_refused(tmp_path):
    path = tmp_path / "plain.parquet"
    pd.DataFrame({"a": [1.0]}).to_parquet(path)
    with pytest.raises(ValueError, match="not written by emofeat"):
        read_table(path)


def test_views_and_concat(tables):
    func, _ = tables
    both = FeatureTable.concat([func, func])
    assert len(both) == 8 and both.feature_names == func.feature_names
    sub = func.select(["mfcc0_mean", "mfcc1_std"], rows=[0, 2])
    assert sub.shape == (2, 2) and sub.index["path"].tolist() == func.index["path"].iloc[[0, 2]].tolist()
    df = func.to_pandas()
    assert FeatureTable.from_pandas(df, func.feature_names, func.provenance).equals(func)
    np.testing.assert_array_equal(func.column("mfcc0_mean"), func.X[:, 0])
    with pytest.raises(KeyError, match="no column"):
        func.column("valence")


def test_invalid_tables_are_refused():
    with pytest.raises(ValueError, match="duplicate"):
        FeatureTable(np.zeros((1, 2)), ["a", "a"])
    with pytest.raises(ValueError, match="both as identity and feature"):
        FeatureTable(np.zeros((1, 1)), ["path"], pd.DataFrame({"path": ["x"]}))
    with pytest.raises(ValueError, match="index has"):
        FeatureTable(np.zeros((2, 1)), ["a"], pd.DataFrame({"path": ["x"]}))


def test_metadata_holds_provenance(tables, tmp_path):
    import json

    func, _ = tables
    path = tmp_path / "f.parquet"
    func.to_parquet(path)
    meta = json.loads(pq.read_schema(path).metadata[b"emofeat"])
    assert meta["provenance"]["sets"][0]["class"] == "emofeat.extractors.mfcc.MFCC"
    assert meta["feature_names"] == func.feature_names
