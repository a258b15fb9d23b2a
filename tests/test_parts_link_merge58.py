"""A file output whose parts folder is a symbolic link the user made to keep the parts on
other storage (``proj/out.parquet.parts -> scratch/x``; session 58, review RB3). The run
writes its parts through the link; its merge removed the folder with ``shutil.rmtree(...,
ignore_errors=True)``, which refuses a link, the error ignored: every part and the run file
stayed in scratch/x (as much again as the table), and ``emofeat info`` of the folder called
the finished run interrupted, to be run again. ``--overwrite`` through such a link failed
at once ('[Errno 20] Not a directory', the link given to ``rmdir``), and a link to a folder
that is not there said '[Errno 17] File exists'. Now the files emofeat wrote there go, and
nothing else: the link and its folder stay, for the next run, and so does a file of the
user's. The table is the one the same run writes into a plain output (the reference: no
link anywhere). Real data: RAVDESS recordings."""
from __future__ import annotations

import pandas as pd
import pytest

import emofeat.store as store
from emofeat import read_table
from emofeat.cli import EXIT_USAGE, main


@pytest.fixture
def files(ravdess_dir) -> list[str]:
    return [str(p) for p in sorted(ravdess_dir.glob("Actor_01/*.flac"))[:6]]


def _linked(tmp_path):
    """proj/out.parquet, its parts folder a link to scratch/x (made, empty)."""
    scratch, proj = tmp_path / "scratch" / "x", tmp_path / "proj"
    scratch.mkdir(parents=True)
    proj.mkdir()
    (proj / "out.parquet.parts").symlink_to(scratch)
    return proj / "out.parquet", scratch


def _extract(files, out, *more):
    return main(["extract", *files, "--set", "mfcc", "--chunk-size", "1", "-q", "-o",
                 str(out), *more])


def _same_table(out, reference):
    pd.testing.assert_frame_equal(read_table(out).to_pandas(),
                                  read_table(reference).to_pandas())


def _left_as_made(out, scratch, *others):
    """The link and its folder stay; in it, only ``others`` (no part, no run file)."""
    link = out.with_name(out.name + ".parts")
    assert link.is_symlink() and link.resolve() == scratch.resolve()
    assert sorted(p.name for p in scratch.iterdir()) == sorted(others)


def test_a_run_through_a_parts_link_leaves_none_of_its_files(tmp_path, files):
    out, scratch = _linked(tmp_path)
    assert _extract(files[:4], out) == 0
    assert _extract(files[:4], tmp_path / "plain.parquet") == 0
    _left_as_made(out, scratch)
    _same_table(out, tmp_path / "plain.parquet")
    # a rerun with more inputs writes its new parts through the link, and removes them
    assert _extract(files, out) == 0
    assert _extract(files, tmp_path / "plain.parquet") == 0
    _left_as_made(out, scratch)
    _same_table(out, tmp_path / "plain.parquet")
    assert _extract(files, out) == 0  # nothing new: its run file went too
    _left_as_made(out, scratch)
    _same_table(out, tmp_path / "plain.parquet")


def test_overwrite_through_a_parts_link(tmp_path, files, capsys):
    out, scratch = _linked(tmp_path)
    assert _extract(files[:2], out) == 0
    capsys.readouterr()
    assert _extract(files[2:5], out, "--overwrite") == 0, capsys.readouterr().err
    assert _extract(files[2:5], tmp_path / "plain.parquet") == 0
    _left_as_made(out, scratch)
    _same_table(out, tmp_path / "plain.parquet")


def test_a_file_of_the_users_stays(tmp_path, files, monkeypatch):
    """A file put in the link's folder while the run goes on (after its start, which refuses
    a folder holding others' files) is not the run's to remove."""
    out, scratch = _linked(tmp_path)
    finalize = store.FeatureStore.finalize

    def with_a_note(self, *args, **kwargs):
        (scratch / "notes.txt").write_text("mine")
        return finalize(self, *args, **kwargs)

    monkeypatch.setattr(store.FeatureStore, "finalize", with_a_note)
    assert _extract(files[:3], out) == 0
    _left_as_made(out, scratch, "notes.txt")
    assert (scratch / "notes.txt").read_text() == "mine"


def test_a_parts_link_to_nothing_is_named(tmp_path, files, capsys):
    """scratch/x not there (storage not mounted): '[Errno 17] File exists: ...parts'."""
    out, scratch = _linked(tmp_path)
    scratch.rmdir()
    capsys.readouterr()
    assert _extract(files[:2], out) == EXIT_USAGE
    err = capsys.readouterr().err
    assert err == (f"emofeat: cannot write {out}: {out}.parts is a symbolic link to {scratch}, "
                   "which does not exist (a broken link); make that folder, remove the link, "
                   "or give another output\n"), err
    assert not out.with_name("out.parquet.lock").exists()
