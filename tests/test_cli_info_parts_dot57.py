"""Review RF of e14b8b7: a file output's parts folder with no part yet, its run holding the
lock, read as '.' (from inside it) or through a link: info and read_table looked for the
lock of '.'/the link, missed the run and said to run the extraction again (refused while
that run holds it). Real data: EmoDB; the lock held by the test."""
from __future__ import annotations

import os
import shutil
import warnings

import pytest

import emofeat.store as store
from emofeat import read_table
from emofeat.cli import main
from emofeat.registry import get_extractor
from emofeat.runner import run


def _killed(*a, **k):
    raise KeyboardInterrupt


@pytest.mark.skipif(not os.path.exists("/proc/locks"), reason="reads the kernel's table of locks")
def test_parts_folder_as_dot_or_link(emodb_dir, tmp_path, monkeypatch, capsys):
    files = [str(p) for p in sorted(emodb_dir.glob("03a0*.flac"))[:1]]
    with monkeypatch.context() as m:
        m.setattr(store.FeatureStore, "finalize", _killed)
        with pytest.raises(KeyboardInterrupt):
            run(files, [get_extractor("mfcc")], output=tmp_path / "done.parquet", chunk_size=1)
    out = tmp_path / "feats.parquet"
    parts = tmp_path / "feats.parquet.parts"
    parts.mkdir()
    shutil.copy(tmp_path / "done.parquet.parts" / store.RUN_FILE, parts / store.RUN_FILE)
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


@pytest.mark.skipif(not os.path.exists("/proc/locks"), reason="reads the kernel's table of locks")
def test_dataset_output_named_parts(emodb_dir, tmp_path, monkeypatch, capsys):
    """A dataset output named 'feats.parts' (extract writes it, its lock feats.parts.lock),
    its run holding the lock before its first part: e14b8b7 made read_table look for
    'feats.lock' only and say 'run the same extraction again' (be4b391 named the run)."""
    files = [str(p) for p in sorted(emodb_dir.glob("03a0*.flac"))[:1]]
    with monkeypatch.context() as m:
        m.setattr(store.FeatureStore, "finalize", _killed)
        with pytest.raises(KeyboardInterrupt):
            run(files, [get_extractor("mfcc")], output=tmp_path / "done", layout="dataset",
                chunk_size=1)
    ds = tmp_path / "feats.parts"
    ds.mkdir()
    shutil.copy(tmp_path / "done" / store.RUN_FILE, ds / store.RUN_FILE)
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
