"""An output given by a symbolic link in a loop of links (``a.parquet -> b.parquet ->
a.parquet``) has no target to write (session 58, review RB3, checking 5226cb2d's link
chains). ``emofeat extract`` refused it as the errors table's namesake ('a.errors.csv, where
the errors table of a.parquet goes, is that of a.parquet too: give another output name, or
move a.parquet away'), and ``run`` wrote a file in the link's place, the user's link gone.
Both now refuse it before any work with the words the lock file's loop already had
(:func:`emofeat.store.blocked_path`), the link left as it was. Real data: RAVDESS."""
from __future__ import annotations

import os

import pytest

from emofeat.cli import EXIT_USAGE, main
from emofeat.registry import get_extractor
from emofeat.runner import run
from emofeat.store import OutputNotWritableError


@pytest.fixture
def files(ravdess_dir) -> list[str]:
    return [str(p) for p in sorted(ravdess_dir.glob("Actor_01/*.flac"))[:2]]


def _loop(tmp_path, name, other):
    (tmp_path / name).symlink_to(other)
    (tmp_path / other).symlink_to(name)
    return tmp_path / name


def _untouched(out, other):
    assert os.readlink(out) == other and sorted(p.name for p in out.parent.iterdir()) == \
        sorted([out.name, other]), list(out.parent.iterdir())


@pytest.mark.parametrize(("name", "other"), [("a.parquet", "b.parquet"), ("ds", "ds2")])
def test_the_command_names_the_loop(tmp_path, files, capsys, name, other):
    out = _loop(tmp_path, name, other)
    capsys.readouterr()
    assert main(["extract", *files, "--set", "mfcc", "-q", "-o", str(out)]) == EXIT_USAGE
    assert capsys.readouterr().err == (
        f"emofeat: cannot write {out}: {out} is a symbolic link to {other}, which leads back "
        "to itself (a loop of links); remove the link, or give another output\n")
    _untouched(out, other)


def test_run_names_the_loop(tmp_path, files):
    out = _loop(tmp_path, "a.parquet", "b.parquet")
    with pytest.raises(OutputNotWritableError) as err:
        run(files, [get_extractor("mfcc")], output=out)
    assert str(err.value) == (
        f"cannot write {out}: {out} is a symbolic link to b.parquet, which leads back to "
        "itself (a loop of links); remove the link, or give another output")
    _untouched(out, "b.parquet")
