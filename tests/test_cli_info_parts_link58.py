"""A file output's parts folder holding parts, typed through a link of the same name in
another folder (``proj/feats.parquet.parts -> scratch/feats.parquet.parts``) or as ``.``
(review of 370277a, session 58). Its run was given ``scratch/feats.parquet``: it locks
``scratch/feats.parquet.lock`` and merges into ``scratch/feats.parquet``. For a folder with
no part yet the typed name is used only where it is the folder's own path (review RG,
store.folder_writer); with parts, info and read_table still took the typed name: they said
'then emofeat info feats.parquet' / 'then read feats.parquet' of a file that is not there
(proj's), and looked for proj's lock, so a run going on was called interrupted and the user
sent to run the extraction again (refused while that run holds the output). They now say
what the folder's own path says. Real data: EmoDB recordings, the run stopped before its
merge; the lock held by the test where a run going on is said."""
from __future__ import annotations

import contextlib
import os
import warnings

import pytest
from test_cli_info_link_unfinished58 import _both as both_said
from test_cli_info_parts_norows57 import no_part_yet
from test_cli_info_running57 import _unfinished
from test_locks_listed58 import lists_own_locks

import emofeat.store as store
from emofeat import read_table
from emofeat.cli import main


def _both(name, capsys):
    """What ``info`` and ``read_table`` (a ValueError: a folder) say of ``name``."""
    return both_said(name, capsys, ValueError)


def _linked(emodb_dir, tmp_path, monkeypatch):
    """An EmoDB run into scratch/feats.parquet stopped before its merge, its parts folder
    linked from proj under its own name; the current folder proj."""
    scratch, proj = tmp_path / "scratch", tmp_path / "proj"
    scratch.mkdir()
    proj.mkdir()
    out = scratch / "feats.parquet"
    _unfinished(emodb_dir, out, "file", monkeypatch)
    (proj / "feats.parquet.parts").symlink_to(scratch / "feats.parquet.parts")
    monkeypatch.chdir(proj)
    return out


@contextlib.contextmanager
def _held(out):
    """``out``'s lock held, as the run writing it holds it."""
    lock = store.OutputLock(out.with_name(out.name + ".lock"))
    lock.acquire()
    try:
        yield
    finally:
        lock.release()


def _going_on(out, capsys):
    """What is said of ``out``'s parts folder, typed in full, while its run goes on."""
    code, said, raised = _both(f"{out}.parts", capsys)
    assert f"a run into it is still writing it (pid {os.getpid()} on " in said, said
    assert said.rstrip().endswith(f"run emofeat info {out} once that run has finished")
    assert raised.endswith(f"read {out} once that run has finished"), raised
    return code, said, raised


def _interrupted(out, capsys):
    """What is said of ``out``'s parts folder, typed in full, its run interrupted."""
    code, said, raised = _both(f"{out}.parts", capsys)
    assert code == 2 and f"holds the parts of {out}, not written yet: a run into it was " \
        "interrupted" in said, said
    assert said.rstrip().endswith(f"then emofeat info {out}"), said
    assert raised.endswith(f"then read {out}"), raised
    return code, said, raised


def _as_typed(out, typed, said):
    """What was said of ``out``'s parts folder (typed in full), as it reads of ``typed``."""
    return said.replace(f"{out}.parts holds", f"{typed} holds", 1)


def test_interrupted_parts_through_a_link_or_dot(emodb_dir, tmp_path, monkeypatch, capsys):
    out = _linked(emodb_dir, tmp_path, monkeypatch)
    code, said, raised = _interrupted(out, capsys)
    link = _both("feats.parquet.parts", capsys)
    assert "then emofeat info feats.parquet" not in link[1], link[1]
    assert link == (code, _as_typed(out, "feats.parquet.parts", said),
                    _as_typed(out, "feats.parquet.parts", raised))
    monkeypatch.chdir(f"{out}.parts")
    assert _both(".", capsys) == (code, _as_typed(out, ".", said), _as_typed(out, ".", raised))


@lists_own_locks
def test_parts_of_a_run_going_on_through_a_link(emodb_dir, tmp_path, monkeypatch, capsys):
    out = _linked(emodb_dir, tmp_path, monkeypatch)
    with _held(out):
        code, said, raised = _going_on(out, capsys)
        link = _both("feats.parquet.parts", capsys)
        assert link == (code, _as_typed(out, "feats.parquet.parts", said),
                        _as_typed(out, "feats.parquet.parts", raised))


@lists_own_locks
def test_a_parts_link_to_a_folder_of_another_name(emodb_dir, tmp_path, monkeypatch, capsys):
    """proj/feats.parquet.parts -> scratch/run1, a run into proj/feats.parquet writing
    through the link, no part yet: its own name says whose parts it is (the resolved name,
    'run1', says nothing); folder_writer looked at no output's lock."""
    scratch, proj = tmp_path / "scratch", tmp_path / "proj"
    scratch.mkdir()
    proj.mkdir()
    no_part_yet(emodb_dir, tmp_path, monkeypatch, scratch / "run1")
    (proj / "feats.parquet.parts").symlink_to(scratch / "run1")
    lock = store.OutputLock(proj / "feats.parquet.lock")
    lock.acquire()  # as the run given proj/feats.parquet holds it
    try:
        parts = proj / "feats.parquet.parts"
        with pytest.raises(ValueError) as err:
            read_table(parts)
        assert f"still writing it (pid {os.getpid()} on " in str(err.value), str(err.value)
        assert f"read {proj / 'feats.parquet'} once that run has finished" in str(err.value)
        capsys.readouterr()
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            assert main(["info", str(parts)]) == 2
        said = capsys.readouterr().err
        assert said.rstrip().endswith(
            f"run emofeat info {proj / 'feats.parquet'} once that run has finished"), said
    finally:
        lock.release()


def test_parts_folder_typed_with_a_trailing_dot(emodb_dir, tmp_path, monkeypatch, capsys):
    """``feats.parquet.parts/.`` is the folder ``feats.parquet.parts``: info cut the last six
    characters of what was typed and named the output 'feats.parquet.p' (review of
    82931dca; read_table, given a Path, said 'feats.parquet')."""
    out = tmp_path / "feats.parquet"
    _unfinished(emodb_dir, out, "file", monkeypatch)
    monkeypatch.chdir(tmp_path)
    plain = _both("feats.parquet.parts", capsys)
    assert "holds the parts of feats.parquet, not written yet" in plain[1], plain[1]
    for typed in ("feats.parquet.parts/.", "feats.parquet.parts/./"):
        said = _both(typed, capsys)
        assert said[:2] == (plain[0], plain[1].replace(
            "feats.parquet.parts holds", f"{typed} holds", 1)), said[1]


def _through_a_link_of_its_name(emodb_dir, tmp_path, monkeypatch):
    """proj/feats.parquet.parts -> scratch/feats.parquet.parts, made before an EmoDB run given
    proj/feats.parquet (stopped before its merge): the run writes its parts through the link
    and locks proj/feats.parquet.lock; it merges into proj/feats.parquet."""
    scratch, proj = tmp_path / "scratch", tmp_path / "proj"
    (scratch / "feats.parquet.parts").mkdir(parents=True)
    proj.mkdir()
    (proj / "feats.parquet.parts").symlink_to(scratch / "feats.parquet.parts")
    _unfinished(emodb_dir, proj / "feats.parquet", "file", monkeypatch)
    assert store._part_files(scratch / "feats.parquet.parts")  # written through the link
    return proj / "feats.parquet"


def test_a_link_of_its_name_written_through(emodb_dir, tmp_path, monkeypatch, capsys):
    """The run given proj/feats.parquet, interrupted: its parts folder typed through the
    link names proj/feats.parquet (the resolved name's scratch/feats.parquet, which 82931dca
    said, is no run's output: 'then emofeat info scratch/feats.parquet' of a file that no
    run writes), as the output's own info says of its parts."""
    out = _through_a_link_of_its_name(emodb_dir, tmp_path, monkeypatch)
    _interrupted(out, capsys)
    assert f"kept in {out}.parts, which" in both_said(out, capsys)[1]


@lists_own_locks
def test_a_link_of_its_name_written_through_now(emodb_dir, tmp_path, monkeypatch, capsys):
    """The run given proj/feats.parquet going on, its lock held: 82931dca looked at
    scratch/feats.parquet's lock alone and said the run was interrupted, to be run again
    (refused while it runs); before it, the typed name's lock was looked at."""
    out = _through_a_link_of_its_name(emodb_dir, tmp_path, monkeypatch)
    with _held(out):
        _going_on(out, capsys)
