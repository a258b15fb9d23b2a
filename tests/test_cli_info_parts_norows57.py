"""Review RC3 of 1566931: a file output's parts folder whose run holds the lock and has saved
no part yet: read_table said 'interrupted (or is still running) ... run the same extraction
again' (it looked for the lock of 'OUT.parquet.parts'), info said to 'read it' (the folder
only extract reads). Real data: EmoDB; the lock held by the test."""
from __future__ import annotations

import os
import shutil
import warnings
from pathlib import Path

import pytest
from test_locks_listed58 import lists_own_locks

import emofeat.store as store
from emofeat import read_table
from emofeat.cli import main
from emofeat.registry import get_extractor
from emofeat.runner import run


def _killed(*a, **k):
    raise KeyboardInterrupt


def no_part_yet(emodb_dir, tmp_path, monkeypatch, folder: Path, dataset: bool = False) -> None:
    """``folder`` made as a run leaves it before its first part: the run file of an EmoDB
    run into ``tmp_path / 'done.parquet'`` (or the dataset ``done``) stopped before its
    merge, copied in."""
    files = [str(p) for p in sorted(emodb_dir.glob("03a0*.flac"))[:1]]
    done = tmp_path / ("done" if dataset else "done.parquet")
    with monkeypatch.context() as m:
        m.setattr(store.FeatureStore, "finalize", _killed)
        with pytest.raises(KeyboardInterrupt):
            run(files, [get_extractor("mfcc")], output=done, chunk_size=1,
                **({"layout": "dataset"} if dataset else {}))
    folder.mkdir()
    shutil.copy((done if dataset else tmp_path / "done.parquet.parts") / store.RUN_FILE,
                folder / store.RUN_FILE)


@lists_own_locks
def test_parts_folder_with_no_part_of_a_run_going_on(emodb_dir, tmp_path, monkeypatch, capsys):
    out = tmp_path / "feats.parquet"
    parts = tmp_path / "feats.parquet.parts"
    no_part_yet(emodb_dir, tmp_path, monkeypatch, parts)
    lock = store.OutputLock(tmp_path / "feats.parquet.lock")
    lock.acquire()
    try:
        with pytest.raises(ValueError) as err:
            read_table(parts)
        assert f"still writing it (pid {os.getpid()} on " in str(err.value), str(err.value)
        assert f"read {out} once that run has finished" in str(err.value), str(err.value)
        capsys.readouterr()
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            main(["info", str(parts)])
        said = capsys.readouterr().err
        assert said.rstrip().endswith(f"run emofeat info {out} once that run has finished"), said
    finally:
        lock.release()
