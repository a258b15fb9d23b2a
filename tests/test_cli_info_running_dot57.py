"""An output read as '.' (from inside it), through a symbolic link, or a folder named just
'.parts': the readers find its run's lock and staged replacement, and never fail on the name
(review RC2 of c990be8, session 57 C2).

``store.writing_now`` built ``Path(output).with_name(...)`` outside its ``try``: ``read_table('.')``
of an unfinished dataset folder raised ``ValueError: PosixPath('.') has an empty name``, and
``emofeat info .`` did so of any dataset folder (its look for a staged replacement too); a
run into a symbolic link locks and stages beside the link's target, which the readers did
not look at; a folder named exactly ``.parts`` crashed ``info`` (cd7d5c9 dropped the guard
for it). Real data: EmoDB recordings; the run is stopped before its end and its lock held
by the test. Words are exact.
"""
from __future__ import annotations

import io
import os
import shutil
import warnings

import pytest
from test_locks_listed58 import lists_own_locks

import emofeat.store as store
from emofeat import read_table
from emofeat.cli import EXIT_OK, main
from emofeat.registry import get_extractor
from emofeat.runner import run


def _killed(*args, **kwargs):
    raise KeyboardInterrupt


def _files(emodb_dir):
    return [str(p) for p in sorted(emodb_dir.glob("03a0*.flac"))[:2]]


def _interrupted(files, out, monkeypatch, **kwargs):
    with monkeypatch.context() as m:  # the run stops before it finishes
        m.setattr(store.FeatureStore, "finalize", _killed)
        with pytest.raises(KeyboardInterrupt):
            run(files, [get_extractor("mfcc")], output=out, layout="dataset", chunk_size=1,
                **kwargs)


@lists_own_locks
def test_dot_and_a_link(emodb_dir, tmp_path, monkeypatch):
    out = tmp_path / "feats"
    _interrupted(_files(emodb_dir), out, monkeypatch)
    (tmp_path / "link").symlink_to(out)
    monkeypatch.chdir(out)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        assert len(read_table(".")) == 2  # raised ValueError: PosixPath('.') has an empty name
    assert "interrupted, or still running" in str(caught[-1].message)
    lock = store.OutputLock(tmp_path / "feats.lock")
    lock.acquire()  # as the run writing it holds it
    try:
        for name in (".", tmp_path / "link"):
            assert store.writing_now(name) == (tmp_path / "feats.lock").read_text().strip()
    finally:
        lock.release()
    assert store.writing_now(".") is None
    assert store.writing_now("/") is None  # no name to add '.lock' to


def test_info_of_dot(emodb_dir, tmp_path, monkeypatch, capsys):
    files = _files(emodb_dir)
    done, out = tmp_path / "done", tmp_path / "feats"
    run(files[:1], [get_extractor("mfcc")], output=done, layout="dataset")
    _interrupted(files, out, monkeypatch)
    for folder in (done, out):
        monkeypatch.chdir(folder)
        capsys.readouterr()
        assert main(["info", "."]) == EXIT_OK
        said = capsys.readouterr()
        assert said.out.startswith(".: "), said


def test_a_replacement_staged_through_a_link_is_said(emodb_dir, tmp_path, monkeypatch,
                                                     capsys):
    files = _files(emodb_dir)
    out, link = tmp_path / "feats", tmp_path / "link"
    run(files, [get_extractor("mfcc")], output=out, layout="dataset")
    link.symlink_to(out)
    _interrupted(files[:1], link, monkeypatch, overwrite=True)  # staged beside feats
    assert (tmp_path / "feats.overwrite").is_dir()
    monkeypatch.chdir(out)
    # the staging folder in full: neither the link's name nor '.' is the folder beside it
    shown = tmp_path / "feats.overwrite"
    for name in (str(link), "."):
        capsys.readouterr()
        assert main(["info", name]) == EXIT_OK
        said = capsys.readouterr().out
        assert (f"being replaced: a run with --overwrite into it was interrupted (or is still "
                f"running); its 1 input extracted so far is kept in {shown}, and this is the "
                "output before it.") in said, said


def test_a_folder_named_parts(emodb_dir, tmp_path, monkeypatch, capsys):
    out = tmp_path / "feats"
    _interrupted(_files(emodb_dir)[:1], out, monkeypatch)
    bare = tmp_path / "p" / ".parts"  # a run folder of no parts, named just '.parts'
    bare.mkdir(parents=True)
    shutil.copy(out / store.RUN_FILE, bare / store.RUN_FILE)
    capsys.readouterr()
    main(["info", str(bare)])  # raised ValueError: ... has an empty name
    assert f"{bare}: no rows yet: a run into it was interrupted" in capsys.readouterr().err


def test_a_malformed_line_of_the_table_of_locks(tmp_path, monkeypatch):
    lock = tmp_path / "feats.lock"
    lock.write_text("pid 1 on vm, since 2026-12-07T22:46:25\n")
    ino = os.stat(lock).st_ino
    table = f"1: FLOCK  ADVISORY  WRITE 1 fffffffffffffffff:00:{ino} 0 EOF\n"
    real_open = open

    def fake_open(name, *args, **kwargs):
        return io.StringIO(table) if name == "/proc/locks" else real_open(name, *args, **kwargs)

    monkeypatch.setattr(store, "open", fake_open, raising=False)
    # os.makedev's OverflowError passed out of writing_now; the pid confirms nothing here
    assert store.writing_now(tmp_path / "feats") is None
