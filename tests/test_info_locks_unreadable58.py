"""The readers where the kernel's table of locks cannot be read or lists no locks (session 58).

``emofeat info`` and ``read_table`` name the run holding an output's lock from
``/proc/locks`` (:func:`emofeat.store.writing_now`). Where that table is missing (not
Linux), not readable, or empty (gVisor), they cannot tell a run going on from an
interrupted one: they must say what they said before runs were named ('interrupted (or is
still running)', 'run the same extraction again'), not fail. The table is replaced here
(monkeypatched) while the test really holds the output's lock, so this runs on any
platform with flock. Real data: EmoDB recordings, the run stopped before its end.
"""
from __future__ import annotations

import io
import warnings

import pytest
from test_cli_info_parts_norows57 import no_part_yet
from test_cli_info_running57 import _said, _unfinished

import emofeat.store as store
from emofeat import read_table
from emofeat.cli import main


def _no_table(how):
    def fake_open(name, *args, **kwargs):
        if name != "/proc/locks":
            return open(name, *args, **kwargs)
        if how == "missing":
            raise FileNotFoundError(2, "No such file or directory", name)
        if how == "denied":
            raise PermissionError(13, "Permission denied", name)
        return io.StringIO("")  # listed, but no lock in it
    return fake_open


@pytest.fixture(params=["missing", "denied", "empty"])
def no_table(request, monkeypatch):
    monkeypatch.setattr(store, "open", _no_table(request.param), raising=False)


def _held(out):
    lock = store.OutputLock(out.with_name(out.name + ".lock"))
    lock.acquire()  # as the run writing it holds it
    return lock


def test_a_file_output(emodb_dir, tmp_path, monkeypatch, capsys, no_table):
    out = tmp_path / "feats.parquet"
    _unfinished(emodb_dir, out, "file", monkeypatch)
    lock = _held(out)
    try:
        assert store.writing_now(out) is None
        said = _said(out, capsys)
        assert f"{out}: not written yet: a run into it was interrupted (or is still running)" \
            in said, said
        assert "still writing" not in said, said
        with pytest.raises(FileNotFoundError, match=r"was interrupted \(or is still running\)"):
            read_table(out)
    finally:
        lock.release()


def test_a_dataset_folder(emodb_dir, tmp_path, monkeypatch, capsys, no_table):
    out = tmp_path / "feats"
    _unfinished(emodb_dir, out, "dataset", monkeypatch)
    lock = _held(out)
    try:
        said = _said(out, capsys)
        assert "are those of a run into it that has not finished (interrupted, or still " \
            "running)" in said, said
        with pytest.warns(store.IncompleteDatasetWarning,
                          match=r"has not finished \(interrupted, or still running\)"):
            assert len(read_table(out)) > 0
    finally:
        lock.release()


def test_a_parts_folder_with_no_part_yet(emodb_dir, tmp_path, monkeypatch, capsys, no_table):
    out = tmp_path / "feats.parquet"
    parts = tmp_path / "feats.parquet.parts"
    no_part_yet(emodb_dir, tmp_path, monkeypatch, parts)
    lock = _held(out)
    try:
        with pytest.raises(ValueError) as err:
            read_table(parts)
        assert str(err.value) == (
            f"{parts}: no rows yet: a run into it was interrupted (or is still running) "
            f"{store.NOTHING_SAVED} yet; run the same extraction again"), str(err.value)
        capsys.readouterr()
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            assert main(["info", str(parts)]) == 2
        said = capsys.readouterr().err
        assert f"{parts}: no rows yet: a run into it was interrupted (or is still running)" \
            in said, said
    finally:
        lock.release()
