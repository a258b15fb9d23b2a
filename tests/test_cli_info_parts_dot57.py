"""Review RF of e14b8b7: a file output's parts folder with no part yet, its run holding the
lock, read as '.' (from inside it) or through a link: info and read_table looked for the
lock of '.'/the link, missed the run and said to run the extraction again (refused while
that run holds it). Real data: EmoDB; the lock held by the test."""
from __future__ import annotations

import os
import warnings

import pytest
from test_cli_info_parts_norows57 import no_part_yet
from test_locks_listed58 import lists_own_locks

import emofeat.store as store
from emofeat import read_table
from emofeat.cli import main


@lists_own_locks
def test_parts_folder_as_dot_or_link(emodb_dir, tmp_path, monkeypatch, capsys):
    out = tmp_path / "feats.parquet"
    parts = tmp_path / "feats.parquet.parts"
    no_part_yet(emodb_dir, tmp_path, monkeypatch, parts)
    (tmp_path / "p").symlink_to(parts)
    lock = store.OutputLock(tmp_path / "feats.parquet.lock")
    lock.acquire()
    try:
        for cwd, arg in ((parts, "."), (tmp_path, "p")):
            monkeypatch.chdir(cwd)
            with pytest.raises(ValueError) as err:
                read_table(arg)
            said = str(err.value)
            assert f"still writing it (pid {os.getpid()} on " in said, said
            assert f"read {out} once that run has finished" in said, said
            capsys.readouterr()
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                assert main(["info", arg]) == 2
            said = capsys.readouterr().err
            assert said.rstrip().endswith(f"run emofeat info {out} once that run has finished"), said
    finally:
        lock.release()


@lists_own_locks
def test_dataset_output_named_parts(emodb_dir, tmp_path, monkeypatch, capsys):
    """A dataset output named 'feats.parts' (extract writes it, its lock feats.parts.lock),
    its run holding the lock before its first part: e14b8b7 made read_table look for
    'feats.lock' only and say 'run the same extraction again' (be4b391 named the run)."""
    ds = tmp_path / "feats.parts"
    no_part_yet(emodb_dir, tmp_path, monkeypatch, ds, dataset=True)
    lock = store.OutputLock(tmp_path / "feats.parts.lock")
    lock.acquire()
    try:
        with pytest.raises(ValueError) as err:
            read_table(ds)
        said = str(err.value)
        assert f"still writing it (pid {os.getpid()} on " in said, said
        assert said.endswith("read it once that run has finished"), said
        capsys.readouterr()
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            assert main(["info", str(ds)]) == 2
        said = capsys.readouterr().err
        assert f"still writing it (pid {os.getpid()} on " in said, said
        assert said.rstrip().endswith("read it once that run has finished"), said
    finally:
        lock.release()
