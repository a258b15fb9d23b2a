"""``--overwrite`` (``overwrite=True``) replaces an output only once the new one is complete:
a run with it that is interrupted leaves the old output as it was, and the next run without
it continues the interrupted one, none of the old rows mixed in."""

from __future__ import annotations

import os
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import emofeat.store as store
from emofeat.cli import main
from emofeat.registry import get_extractor
from emofeat.runner import run
from emofeat.table import FeatureTable

OLD = {"n_mfcc": 20}  # the old output's parameters (other than the new run's, but for one test)


@pytest.fixture
def files(sample) -> list[str]:
    """12 short real recordings, in input order (only read)."""
    return sorted(str(p) for p in sample["path"].iloc[:12])


def _read(out: Path) -> FeatureTable:
    """The output read back; a warning (IncompleteDatasetWarning: parts missing or held twice)
    fails the test."""
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        return FeatureTable.read_parquet(out)


def _same(a: FeatureTable, b: FeatureTable) -> None:
    assert a.feature_names == b.feature_names
    np.testing.assert_array_equal(a.X, b.X)
    pd.testing.assert_frame_equal(a.index, b.index)


def _interrupted_after(monkeypatch, parts: int, *args, **kwargs) -> None:
    """``run(*args, **kwargs)`` interrupted (Ctrl-C) once it has written ``parts`` parts."""
    written = []
    real = store.write_part

    def write(*a, **k):
        if len(written) == parts:
            raise KeyboardInterrupt
        written.append(real(*a, **k))
        return written[-1]

    with monkeypatch.context() as m:
        m.setattr(store, "write_part", write)
        with pytest.raises(KeyboardInterrupt):
            run(*args, **kwargs)
    assert len(written) == parts


@pytest.mark.parametrize("name", ["f.parquet", "ds"])
@pytest.mark.parametrize("old_params", [OLD, {}], ids=["other-parameters", "same-parameters"])
def test_an_interrupted_overwrite_keeps_the_old_output_and_is_continued(
        tmp_path, files, monkeypatch, name, old_params):
    """The old output (other inputs; other parameters, or the same) reads back as it was
    after the overwrite run is interrupted; the run continued without overwrite skips what
    the interrupted one wrote and ends with the table of one fresh run: none of the old rows,
    not even those of inputs both list. Before: the old output was removed at the start."""
    out = tmp_path / name
    run(files[:8], [get_extractor("mfcc", **old_params)], output=out, chunk_size=3)
    old = _read(out)
    new = files[4:]
    _interrupted_after(monkeypatch, 2, new, [get_extractor("mfcc")], output=out, chunk_size=2,
                       overwrite=True)
    _same(_read(out), old)

    res = run(new, [get_extractor("mfcc")], output=out, chunk_size=2)
    assert res.n_skipped == 4 and res.n_rows == 4  # the interrupted run's parts, not old rows
    _same(_read(out), run(new, [get_extractor("mfcc")]).table)
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted([name, f"{name}.lock"])


@pytest.mark.parametrize("name", ["f.parquet", "ds"])
def test_an_interrupted_overwrite_run_again_with_overwrite_starts_again(tmp_path, files,
                                                                        monkeypatch, name):
    """Rerun with ``--overwrite`` (the command as it was), an interrupted overwrite starts
    again, the old output still readable until it ends."""
    out = tmp_path / name
    run(files[:6], [get_extractor("mfcc", **OLD)], output=out)
    old = _read(out)
    _interrupted_after(monkeypatch, 1, files[3:], [get_extractor("mfcc")], output=out,
                       chunk_size=2, overwrite=True)
    _interrupted_after(monkeypatch, 2, files[3:], [get_extractor("mfcc")], output=out,
                       chunk_size=2, overwrite=True)  # the first one's part was removed
    _same(_read(out), old)
    assert main(["extract", *files[3:], "-o", str(out), "--set", "mfcc", "-q",
                 "--chunk-size", "2", "--overwrite"]) == 0
    _same(_read(out), run(files[3:], [get_extractor("mfcc")]).table)
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted([name, f"{name}.lock"])


@pytest.mark.parametrize("kill", [1, 2])
def test_a_dataset_swap_interrupted_is_finished_by_the_next_run(tmp_path, files, monkeypatch,
                                                                kill):
    """A dataset replaced by an overwrite run killed while it renames the new folder into
    place (before the old one is moved away, or between the two renames): the next run
    finishes the renames, extracts nothing again, and the folder holds the new rows only."""
    out = tmp_path / "ds"
    run(files[:8], [get_extractor("mfcc", **OLD)], output=out)
    old = _read(out)
    staging = tmp_path / f"ds{store.STAGING_SUFFIX}"
    renames = []
    real = os.replace

    def replace(src, dst):
        if Path(src) in (out, staging):
            renames.append(src)
            if len(renames) == kill:
                raise KeyboardInterrupt
        return real(src, dst)

    with monkeypatch.context() as m:
        m.setattr(store.os, "replace", replace)
        with pytest.raises(KeyboardInterrupt):
            run(files[4:], [get_extractor("mfcc")], output=out, chunk_size=3, overwrite=True)
    if kill == 1:
        _same(_read(out), old)  # not touched yet
    else:
        assert not out.exists()  # moved away; the new folder is complete beside it
    assert (staging / store.COMMON_METADATA).is_file()
    res = run(files[4:], [get_extractor("mfcc")], output=out, chunk_size=3)
    assert res.n_rows == 0 and res.n_skipped == 8
    _same(_read(out), run(files[4:], [get_extractor("mfcc")]).table)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["ds", "ds.lock"]


def test_a_file_overwrite_killed_after_its_rename_keeps_the_new_file(tmp_path, files,
                                                                     monkeypatch):
    """Killed after the merged file replaced the old one but before its parts folder went
    (the marker saying that the old file is not to be kept is still there): the next run
    keeps the new file as it is, no input twice, none lost."""
    out = tmp_path / "f.parquet"
    run(files[:8], [get_extractor("mfcc", **OLD)], output=out)
    real = os.replace

    def replace(src, dst):
        real(src, dst)
        if Path(dst) == out:
            raise KeyboardInterrupt

    with monkeypatch.context() as m:
        m.setattr(store.os, "replace", replace)
        with pytest.raises(KeyboardInterrupt):
            run(files[4:], [get_extractor("mfcc")], output=out, chunk_size=3, overwrite=True)
    assert (tmp_path / f"f.parquet.parts/{store.SUPERSEDED_FILE}").is_file()
    fresh = run(files[4:], [get_extractor("mfcc")]).table
    _same(_read(out), fresh)
    res = run(files[4:], [get_extractor("mfcc")], output=out, chunk_size=3)
    assert res.n_rows == 0 and res.n_skipped == 8
    _same(_read(out), fresh)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["f.parquet", "f.parquet.lock"]


def test_outputs_named_like_the_staging_folders_are_left_alone(tmp_path, files):
    """Outputs of their own named ``ds.overwrite`` and ``ds.replaced`` are neither taken for
    an interrupted overwrite of ``ds`` nor removed: only marked folders are; an overwrite
    that would write its new folder where one is is refused, naming it."""
    mfcc = get_extractor("mfcc")
    out = tmp_path / "ds"
    others = [tmp_path / f"ds{store.STAGING_SUFFIX}", tmp_path / f"ds{store.REPLACED_SUFFIX}"]
    for other in others:
        run(files[:2], [mfcc], output=other)
    run(files[2:4], [mfcc], output=out)
    res = run(files[2:6], [mfcc], output=out)
    assert res.n_skipped == 2 and res.n_rows == 2
    with pytest.raises(ValueError, match=r"ds\.overwrite is in the way"):
        run(files[6:8], [mfcc], output=out, overwrite=True)
    _same(_read(out), run(files[2:6], [mfcc]).table)
    for other in others:
        _same(_read(other), run(files[:2], [mfcc]).table)
