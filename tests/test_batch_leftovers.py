"""Batch-run leftovers: every output has an errors table of its own (outputs named alike,
given by links, a stale table of an earlier run), and a rerun with nothing left to do."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pandas as pd
import pytest

from emofeat.cli import main


@pytest.fixture
def corpus(tmp_path, sample) -> list[str]:
    """Four short real recordings copied to a folder the test may change, and a file that
    is not audio (it fails to read) as the last input."""
    folder = tmp_path / "corpus"
    folder.mkdir()
    for p in sample["path"].iloc[:4]:
        shutil.copy(p, folder / Path(p).name)
    broken = folder / "broken.flac"
    broken.write_bytes(b"not a FLAC file")
    return sorted(str(p) for p in folder.glob("*.flac") if p != broken) + [str(broken)]


def _extract(capsys, inputs, output, *options) -> int:
    code = main(["extract", *map(str, inputs), "-o", str(output), "-q", *options])
    capsys.readouterr()
    return code


def _failed(table: Path) -> list[str]:
    return list(pd.read_csv(table)["path"])


def _bad_copy(tmp_path: Path, name: str) -> str:
    """Another file that fails to read, named so that the tables can be told apart."""
    path = tmp_path / name
    path.write_bytes(b"not a FLAC file either")
    return str(path)


@pytest.mark.parametrize(("first", "second"), [
    (("out.parquet",), ("out",)),                           # a file and a folder
    (("out.parquet",), ("out", "--format", "file")),        # two files, one without .parquet
    (("out.parquet", "--format", "dataset"), ("out",)),     # two folders
])
def test_outputs_named_alike_keep_their_own_errors_table(tmp_path, corpus, capsys, first,
                                                         second):
    """``out.parquet`` and ``out`` (either layout) in one folder both wrote
    ``out.errors.csv``: each run overwrote the other's table, and the one without failures
    removed it."""
    other_bad = _bad_copy(tmp_path, "other.flac")
    a, *a_opts = first
    b, *b_opts = second
    assert _extract(capsys, corpus, tmp_path / a, *a_opts) == 3
    assert _extract(capsys, [*corpus[:2], other_bad], tmp_path / b, *b_opts) == 3
    tables = sorted(p.name for p in tmp_path.glob("*errors.csv"))
    assert len(tables) == 2, tables
    table_a, table_b = tmp_path / "out.errors.csv", tmp_path / "out_errors.csv"
    assert _failed(table_a) == [corpus[-1]]
    assert _failed(table_b) == [other_bad]
    # the second output's rerun without failures removes its own table, not the first's
    assert _extract(capsys, corpus[:2], tmp_path / b, *b_opts) == 0
    assert not table_b.exists()
    assert _failed(table_a) == [corpus[-1]]


def test_an_output_given_by_links_has_one_errors_table_beside_its_target(tmp_path, corpus,
                                                                         capsys):
    """Two links to one output (``latest.parquet`` and ``best.parquet``) each had a table
    beside the link: a rerun through the other one without failures left the first
    claiming failures that no longer exist."""
    runs = tmp_path / "runs"
    runs.mkdir()
    target = runs / "r1.parquet"
    (tmp_path / "latest.parquet").symlink_to(target)
    (tmp_path / "best.parquet").symlink_to(target)
    assert _extract(capsys, corpus, tmp_path / "latest.parquet") == 3
    assert sorted(p.name for p in tmp_path.rglob("*errors.csv")) == ["r1.errors.csv"]
    assert _failed(runs / "r1.errors.csv") == [corpus[-1]]
    os.unlink(corpus[-1])  # no longer an input: the next run has no failure
    assert _extract(capsys, corpus[:-1], tmp_path / "best.parquet") == 0
    assert list(tmp_path.rglob("*errors.csv")) == []
    assert (tmp_path / "latest.parquet").is_symlink()


def test_fail_fast_leaves_no_table_of_an_earlier_run(tmp_path, corpus, capsys):
    """``--fail-fast`` writes no errors table; the earlier run's stayed, listing an input
    that this run extracted before it stopped."""
    out = tmp_path / "feats.parquet"
    assert _extract(capsys, corpus, out, "--chunk-size", "1") == 3
    table = tmp_path / "feats.errors.csv"
    assert _failed(table) == [corpus[-1]]
    fixed = corpus[-1]
    shutil.copy(corpus[0], fixed)  # the failed input now reads
    later_bad = _bad_copy(tmp_path, "later.flac")
    assert _extract(capsys, [*corpus, later_bad], out, "--fail-fast") == 3
    assert not table.exists()


def test_a_file_in_the_way_of_the_errors_table_is_left_alone(tmp_path, corpus, capsys):
    """An output named as another output's errors table (``res.errors.csv``, a parquet file
    of ``--format file``) was replaced by that table, or removed as a stale one."""
    other = tmp_path / "res.errors.csv"
    assert _extract(capsys, corpus[:2], other, "--format", "file") == 0
    before = other.read_bytes()
    for inputs in (corpus, corpus[:2]):  # with failures (written) and without (removed)
        code = main(["extract", *inputs, "-o", str(tmp_path / "res.parquet"), "-q"])
        err = capsys.readouterr().err
        assert code == 2
        assert f"{other}, where the errors table of {tmp_path / 'res.parquet'} goes" in err
        assert other.read_bytes() == before
    assert not (tmp_path / "res.parquet").exists()  # refused before the run


@pytest.mark.parametrize("beside", [False, True])
def test_a_folders_table_of_earlier_versions_is_removed(tmp_path, corpus, capsys, beside):
    """A dataset folder ``ds/`` had its table in ``ds.errors.csv``: a run now removes it
    (it would go on claiming failures), unless ``ds.parquet`` is beside, whose table it is
    then."""
    out = tmp_path / "ds"
    assert _extract(capsys, corpus, out) == 3
    legacy = tmp_path / "ds.errors.csv"
    shutil.copy(tmp_path / "ds_errors.csv", legacy)
    if beside:
        assert _extract(capsys, corpus[:1], tmp_path / "ds.parquet") == 0
        shutil.copy(tmp_path / "ds_errors.csv", legacy)
    assert _extract(capsys, corpus[:-1], out) == 0
    assert not (tmp_path / "ds_errors.csv").exists()
    assert legacy.exists() == beside
