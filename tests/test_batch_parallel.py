"""--jobs: worker processes give the rows of a serial run, in the same order."""

from __future__ import annotations

import os

import numpy as np
import pandas as pd
import pytest

from emofeat.cli import main
from emofeat.registry import get_extractor
from emofeat.runner import run
from emofeat.table import FeatureTable


def _same(a: FeatureTable, b: FeatureTable) -> None:
    assert a.feature_names == b.feature_names
    np.testing.assert_array_equal(a.X, b.X)
    pd.testing.assert_frame_equal(a.index, b.index)


@pytest.fixture(scope="module")
def manifest(sample):
    return sample.iloc[::10].reset_index(drop=True)  # 24 files, 4 speakers, labels carried


@pytest.fixture(scope="module")
def serial(manifest):
    return run(manifest, [get_extractor("mfcc")]).table


@pytest.mark.parametrize("backend, chunk_size", [("fork", 1), ("fork", 5), ("loky", 5)])
def test_jobs_in_memory_equal_serial(manifest, serial, backend, chunk_size):
    if backend == "fork" and not hasattr(os, "fork"):
        pytest.skip("no fork on this platform")
    table = run(manifest, [get_extractor("mfcc")], n_jobs=2, chunk_size=chunk_size,
                backend=backend).table
    _same(table, serial)
    assert list(table.index["speaker"]) == list(manifest["speaker"])


@pytest.mark.parametrize("fmt, backend", [("file", "auto"), ("dataset", "auto"),
                                         ("dataset", "loky")])
def test_cli_jobs_output_equals_serial(tmp_path, manifest, serial, fmt, backend):
    csv = tmp_path / "manifest.csv"
    manifest.to_csv(csv, index=False)
    outs = []
    for jobs in (1, 2):
        out = tmp_path / f"j{jobs}{'.parquet' if fmt == 'file' else ''}"
        assert main(["extract", str(csv), "-o", str(out), "-j", str(jobs), "-q",
                     "--format", fmt, "--chunk-size", "3", "--backend", backend]) == 0
        outs.append(FeatureTable.read_parquet(out))
    _same(outs[0], outs[1])
    np.testing.assert_array_equal(outs[0].X, serial.X)
    assert list(outs[0].index["path"]) == list(manifest["path"])


def test_lld_jobs_equal_serial(manifest):
    files = list(manifest["path"][:6])
    ext = get_extractor("mfcc", level="lld")
    _same(run(files, [ext], n_jobs=2, chunk_size=1).table, run(files, [ext]).table)


def test_label_missing_in_a_whole_shard_keeps_its_type(tmp_path, manifest):
    """A shard whose labels are all missing still writes a string column: the dataset
    reads back as one table."""
    m = manifest.iloc[:6][["path", "emotion"]].copy()
    m.loc[:2, "emotion"] = None
    out = tmp_path / "ds"
    run(m, [get_extractor("mfcc")], output=out, chunk_size=3)
    table = FeatureTable.read_parquet(out)
    assert list(table.index["emotion"].iloc[3:]) == list(m["emotion"].iloc[3:])
    assert table.index["emotion"].iloc[:3].isna().all()


def test_frame_rows_stream_into_row_groups(tmp_path, manifest, monkeypatch):
    """A part is written as its inputs finish, in row groups: the rows equal the in-memory
    table whatever the row-group size."""
    import pyarrow.parquet as pq

    import emofeat.compute

    monkeypatch.setattr(emofeat.compute, "ROW_GROUP", 500)
    files = list(manifest["path"][:4])
    ext = get_extractor("mfcc", level="lld")
    out = tmp_path / "lld"
    run(files, [ext], output=out, chunk_size=4)
    [part] = out.glob("part-*.parquet")
    assert pq.ParquetFile(part).num_row_groups > 2
    _same(FeatureTable.read_parquet(out), run(files, [ext]).table)
