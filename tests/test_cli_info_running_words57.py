"""What the readers say of an output whose run is going on, in each branch (review RC2 of
c990be8, session 57 C2).

A run holding the output's lock that had saved no part yet was said to be 'still writing it
(pid ...) before it had saved any rows (rows are saved a part at a time), so nothing is kept
yet' (a run going on has kept nothing?); ``emofeat info f.parquet.parts`` during the run
ended 'read it once that run has finished; then emofeat info f.parquet', sending the user to
read the folder that only extract reads; ``read_table`` of such outputs did not look for the
run at all. Now 'has saved no rows yet', and 'run emofeat info f.parquet once that run has
finished'. The 'being replaced now' branch is checked too. Real data: EmoDB recordings; the
run is stopped before its end and its lock held by the test. Words are exact.
"""
from __future__ import annotations

import os
import shutil
import warnings

import pytest
from test_locks_listed58 import lists_own_locks

import emofeat.store as store
from emofeat import read_table
from emofeat.cli import main
from emofeat.registry import get_extractor
from emofeat.runner import run

pytestmark = lists_own_locks


def _killed(*args, **kwargs):
    raise KeyboardInterrupt


def _interrupted(emodb_dir, out, monkeypatch, layout, **kwargs):
    files = [str(p) for p in sorted(emodb_dir.glob("03a0*.flac"))[:2]]
    with monkeypatch.context() as m:  # the run stops before it finishes
        m.setattr(store.FeatureStore, "finalize", _killed)
        with pytest.raises(KeyboardInterrupt):
            run(files, [get_extractor("mfcc")], output=out, layout=layout, chunk_size=1,
                **kwargs)


def _info(name, capsys):
    capsys.readouterr()
    with warnings.catch_warnings(record=True):
        warnings.simplefilter("always")
        main(["info", str(name)])
    said = capsys.readouterr()
    return said.out + said.err


class _Held:
    """The output's lock held, as the run writing it holds it."""

    def __init__(self, out):
        self.lock = store.OutputLock(out.with_name(out.name + ".lock"))

    def __enter__(self):
        self.lock.acquire()
        return f"pid {os.getpid()} on "

    def __exit__(self, *exc):
        self.lock.release()


@pytest.mark.parametrize("layout", ["file", "dataset"])
def test_a_run_that_has_saved_no_part_yet(emodb_dir, tmp_path, monkeypatch, capsys, layout):
    done = tmp_path / ("done.parquet" if layout == "file" else "done")
    _interrupted(emodb_dir, done, monkeypatch, layout)
    out = tmp_path / ("feats.parquet" if layout == "file" else "feats")
    folder = out.with_name(out.name + ".parts") if layout == "file" else out
    folder.mkdir()  # a run file, no part yet: the run has just begun
    ran = done.with_name(done.name + ".parts") if layout == "file" else done
    shutil.copy(ran / store.RUN_FILE, folder / store.RUN_FILE)
    with _Held(out) as pid:
        said = _info(out, capsys)
        assert "before it had saved any rows" not in said, said
        assert (f"a run into it is still writing it ({pid}") in said, said
        assert (") and has saved no rows yet (rows are saved a part at a time); read it once "
                "that run has finished") in said, said
        with pytest.raises((FileNotFoundError, ValueError)) as err:
            read_table(out)
        assert (") and has saved no rows yet (rows are saved a part at a time); read it once "
                "that run has finished") in str(err.value), str(err.value)
    # its run gone: interrupted, as before
    said = _info(out, capsys)
    assert ("a run into it was interrupted (or is still running) before it had saved any rows"
            ) in said, said


def test_the_parts_folder_of_a_run_going_on(emodb_dir, tmp_path, monkeypatch, capsys):
    out = tmp_path / "feats.parquet"
    _interrupted(emodb_dir, out, monkeypatch, "file")
    parts = tmp_path / "feats.parquet.parts"
    with _Held(out):
        said = _info(parts, capsys)
        assert "then emofeat info" not in said, said
        assert said.rstrip().endswith(
            f"which only emofeat extract reads: run emofeat info {out} once that run has "
            "finished"), said
    said = _info(parts, capsys)  # interrupted: finish it, then read the output
    assert said.rstrip().endswith(f"; then emofeat info {out}"), said


def test_an_output_being_replaced_now(emodb_dir, tmp_path, monkeypatch, capsys):
    out = tmp_path / "feats"
    files = [str(p) for p in sorted(emodb_dir.glob("03a0*.flac"))[:2]]
    run(files, [get_extractor("mfcc")], output=out, layout="dataset")
    _interrupted(emodb_dir, out, monkeypatch, "dataset", overwrite=True)
    with _Held(out) as pid:
        said = _info(out, capsys)
        assert (f"being replaced: a run with --overwrite is writing its replacement now ({pid}"
                ) in said, said
        assert ("; its 2 inputs extracted so far are kept in "
                f"{out}.overwrite, and this is the output before it, until that run has "
                "finished") in said, said
