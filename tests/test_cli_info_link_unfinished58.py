"""A symbolic link to a file output whose first run has not finished (session 58).

A run into ``proj/feats.parquet -> scratch/feats.parquet`` writes and locks beside the
link's target (``scratch/feats.parquet.parts/``, ``scratch/feats.parquet.lock``): until its
merge the link leads to nothing. ``emofeat info`` and ``read_table`` of the link looked for
``proj/feats.parquet.parts`` beside the link, found nothing, and said 'no such file or
folder', where the target's own path says the run is not finished and how to finish it.
Now the link says what its target's path says, the parts folder named in full. Real data:
EmoDB recordings, the run stopped before its merge; the lock held by the test where a
run going on is said.
"""
from __future__ import annotations

import warnings

import pytest
from test_cli_info_parts_norows57 import no_part_yet
from test_cli_info_running57 import _unfinished
from test_locks_listed58 import lists_own_locks

import emofeat.store as store
from emofeat import read_table
from emofeat.cli import main


def _both(name, capsys, raised=FileNotFoundError):
    """What ``info`` (its exit status and error line) and ``read_table`` (raising
    ``raised``) say of ``name``."""
    capsys.readouterr()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        code = main(["info", str(name)])
    said = capsys.readouterr().err
    with pytest.raises(raised) as err:
        read_table(name)
    return code, said, str(err.value)


def _folders(tmp_path):
    scratch, proj = tmp_path / "scratch", tmp_path / "proj"
    scratch.mkdir()
    proj.mkdir()
    out, link = scratch / "feats.parquet", proj / "feats.parquet"
    link.symlink_to(out)  # to nothing yet: the run's first merge makes its target
    return out, link


def _as_said_of(out, link, said):
    """What was said of ``out`` (a full path), as it reads of ``link``: the name typed."""
    return said.replace(f"{out}: ", f"{link}: ", 1)


def test_a_link_to_an_interrupted_first_run(emodb_dir, tmp_path, monkeypatch, capsys):
    out, link = _folders(tmp_path)
    _unfinished(emodb_dir, link, "file", monkeypatch)  # the run given the link
    assert not out.exists() and (tmp_path / "scratch" / "feats.parquet.parts").is_dir()
    code, said, raised = _both(out, capsys)
    assert code == 2 and "not written yet: a run into it was interrupted" in said, said
    assert f"2 inputs extracted so far are kept in {out}.parts, which" in said, said
    link_code, link_said, link_raised = _both(link, capsys)
    assert "no such file or folder" not in link_said, link_said
    assert (link_code, link_said) == (code, _as_said_of(out, link, said))
    assert link_raised == _as_said_of(out, link, raised)


def test_a_link_to_a_run_with_no_part_yet(emodb_dir, tmp_path, monkeypatch, capsys):
    out, link = _folders(tmp_path)
    no_part_yet(emodb_dir, tmp_path, monkeypatch, out.with_name(out.name + ".parts"))
    code, said, raised = _both(out, capsys)
    assert "not written yet: a run into it was interrupted (or is still running) before" \
        in said, said
    link_code, link_said, link_raised = _both(link, capsys)
    assert (link_code, link_said) == (code, _as_said_of(out, link, said))
    assert link_raised == _as_said_of(out, link, raised)


@lists_own_locks
def test_a_link_to_a_first_run_going_on(emodb_dir, tmp_path, monkeypatch, capsys):
    out, link = _folders(tmp_path)
    _unfinished(emodb_dir, link, "file", monkeypatch)
    lock = store.OutputLock(out.with_name(out.name + ".lock"))
    lock.acquire()  # as the run writing it holds it
    try:
        code, said, raised = _both(out, capsys)
        assert "a run into it is still writing it (pid" in said, said
        link_code, link_said, link_raised = _both(link, capsys)
        assert (link_code, link_said) == (code, _as_said_of(out, link, said))
        assert link_raised == _as_said_of(out, link, raised)
    finally:
        lock.release()
