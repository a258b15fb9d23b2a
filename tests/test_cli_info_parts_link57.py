"""A file output's parts folder typed through a link of the same name in another folder
(proj/feats.parquet.parts -> scratch/feats.parquet.parts), its run holding
scratch/feats.parquet.lock before its first part (review RG of 0bb8ea6): read_table looked
for proj/feats.parquet.lock and said to run the extraction again (refused while that run
holds the output), info said to read proj's feats.parquet, which is not there. One EmoDB
recording."""
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
def test_parts_link_same_name(emodb_dir, tmp_path, monkeypatch, capsys):
    scratch = tmp_path / "scratch"
    proj = tmp_path / "proj"
    scratch.mkdir()
    proj.mkdir()
    out = scratch / "feats.parquet"
    parts = scratch / "feats.parquet.parts"
    no_part_yet(emodb_dir, tmp_path, monkeypatch, parts)
    (proj / "feats.parquet.parts").symlink_to(parts)
    lock = store.OutputLock(scratch / "feats.parquet.lock")
    lock.acquire()
    try:
        monkeypatch.chdir(proj)
        with pytest.raises(ValueError) as err:
            read_table("feats.parquet.parts")
        said = str(err.value)
        capsys.readouterr()
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            main(["info", "feats.parquet.parts"])
        info = capsys.readouterr().err
        assert f"still writing it (pid {os.getpid()} on " in said, said
        assert f"still writing it (pid {os.getpid()} on " in info, info
        assert f"run emofeat info {out} once" in info, info
    finally:
        lock.release()
