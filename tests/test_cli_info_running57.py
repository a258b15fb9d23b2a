"""``emofeat info`` and ``read_table`` of an output a run is writing now say so (session 57).

An output read while its run goes on (120 RAVDESS files, ``-j 2``, ``info`` 2.5 s in) was
said to be of a run 'that has not finished (interrupted, or still running)' with 'Run the
same emofeat extract command again to finish it', which is refused while that run holds
the output ('another emofeat run is writing to ...'). Where the kernel's table of locks
shows the output's lock held (Linux ``/proc/locks``; nothing is locked to find out), the
readers now name the run and say to read the output once it has finished; a lock no run
holds keeps the old words. Real data: EmoDB recordings; the run is stopped before its end
and its lock held by the test. Words are exact.
"""
from __future__ import annotations

import os
import warnings

import pytest
from test_locks_listed58 import lists_own_locks

import emofeat.store as store
from emofeat import read_table
from emofeat.cli import main
from emofeat.registry import get_extractor
from emofeat.runner import run

pytestmark = lists_own_locks


def _unfinished(emodb_dir, out, layout, monkeypatch):
    def killed(*args, **kwargs):
        raise KeyboardInterrupt

    files = [str(p) for p in sorted(emodb_dir.glob("03a0*.flac"))[:2]]
    with monkeypatch.context() as m:
        m.setattr(store.FeatureStore, "finalize", killed)
        with pytest.raises(KeyboardInterrupt):
            run(files, [get_extractor("mfcc")], output=out, layout=layout, chunk_size=1)


def _said(out, capsys):
    capsys.readouterr()
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        main(["info", str(out)])
    return capsys.readouterr().err + " | ".join(str(w.message) for w in caught)


def test_a_dataset_folder_being_written(emodb_dir, tmp_path, monkeypatch, capsys):
    out = tmp_path / "feats"
    _unfinished(emodb_dir, out, "dataset", monkeypatch)
    lock = store.OutputLock(tmp_path / "feats.lock")
    lock.acquire()  # as the run writing it holds it
    try:
        said = _said(out, capsys)
        assert (f"are those of a run into it that is still writing to it (pid {os.getpid()} "
                "on ") in said, said
        assert "Read it again once that run has finished" in said, said
        assert "Run the same emofeat extract command again" not in said, said
        with pytest.warns(store.IncompleteDatasetWarning, match="still writing to it"):
            read_table(out)
    finally:
        lock.release()
    said = _said(out, capsys)  # its run gone: interrupted
    assert "(interrupted, or still running)" in said and "still writing" not in said, said


def test_a_file_output_being_written(emodb_dir, tmp_path, monkeypatch, capsys):
    out = tmp_path / "feats.parquet"
    _unfinished(emodb_dir, out, "file", monkeypatch)
    lock = store.OutputLock(tmp_path / "feats.parquet.lock")
    lock.acquire()
    try:
        said = _said(out, capsys)
        assert (f"not written yet: a run into it is still writing it (pid {os.getpid()} on "
                ) in said, said
        assert said.rstrip().endswith("read it once that run has finished"), said
        with pytest.raises(FileNotFoundError, match="is still writing it"):
            read_table(out)
    finally:
        lock.release()
    assert "was interrupted (or is still running)" in _said(out, capsys)
