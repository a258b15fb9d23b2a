"""An output named with a slash at its end is a folder (helper C, session 54): ``-o
feats.parquet/`` (a dataset folder as Spark and Dask name theirs) was written as one parquet
file, the slash dropped with ``Path``. POSIX (Base Definitions 4.13, pathname resolution): a
pathname ending in a slash resolves only to a directory, or to a directory to be created.
A file already there stays the output (its run resumed, as before). Two EmoDB recordings.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

import emofeat
from emofeat.cli import main
from emofeat.registry import get_extractor
from emofeat.runner import run


@pytest.fixture(scope="module")
def two(emodb_dir) -> list[str]:
    return [str(emodb_dir / n) for n in ("03a01Fa.flac", "03a01Nc.flac")]


def _same_rows(a, b):
    assert list(a.feature_names) == list(b.feature_names)
    np.testing.assert_array_equal(a.X, b.X)  # the same extraction: exactly the same numbers


def test_the_command_writes_a_folder(tmp_path, two):
    assert main(["extract", "-q", "--set", "mfcc", *two, "-o", f"{tmp_path / 'f.parquet'}/"]) == 0
    out = tmp_path / "f.parquet"
    assert out.is_dir() and (out / "_common_metadata").is_file()
    assert main(["extract", "-q", "--set", "mfcc", *two, "-o", str(tmp_path / "g.parquet")]) == 0
    assert (tmp_path / "g.parquet").is_file()  # without the slash: one file, as before
    _same_rows(emofeat.read_table(out), emofeat.read_table(tmp_path / "g.parquet"))


def test_run_writes_a_folder(tmp_path, two):
    result = run(two, [get_extractor("mfcc")], output=f"{tmp_path / 'f.pq'}/", progress=False)
    assert result.n_failed == 0
    assert (tmp_path / "f.pq" / "_common_metadata").is_file()


def test_a_file_there_stays_the_output(tmp_path, two, capsys):
    out = tmp_path / "f.parquet"
    assert main(["extract", "-q", "--set", "mfcc", *two, "-o", str(out)]) == 0
    capsys.readouterr()
    assert main(["extract", "-q", "--set", "mfcc", *two, "-o", f"{out}/"]) == 0
    assert "2 skipped (already done)" in capsys.readouterr().err
    assert out.is_file()


def test_the_parts_of_a_file_output_are_resumed_under_the_slash(tmp_path, two, capsys):
    """Review RC of session 54: a run into ``-o s.parquet`` stopped before its end leaves its
    parts in ``s.parquet.parts/`` (here a --fail-fast stop at a file that is no audio, one
    input a part); the rerun named ``-o s.parquet/`` began a new dataset folder beside them,
    both recordings extracted again and the parts left orphaned. Those parts are the
    output's run: it is resumed, the file layout kept."""
    folder = tmp_path / "in"
    folder.mkdir()
    for f in two:
        (folder / Path(f).name).symlink_to(f)
    (folder / "zz.wav").write_bytes(b"junk")  # sorted last: the two are done before it
    out = tmp_path / "s.parquet"
    assert main(["extract", "-q", "--set", "mfcc", str(folder), "-o", str(out), "--fail-fast",
                 "--chunk-size", "1"]) != 0
    assert (tmp_path / "s.parquet.parts" / "_emofeat_run.json").is_file() and not out.exists()
    capsys.readouterr()
    (folder / "zz.wav").unlink()
    assert main(["extract", "-q", "--set", "mfcc", str(folder), "-o", f"{out}/",
                 "--chunk-size", "1"]) == 0
    assert "2 skipped (already done)" in capsys.readouterr().err
    assert out.is_file() and not (tmp_path / "s.parquet.parts").exists()
    assert main(["extract", "-q", "--set", "mfcc", *two, "-o", str(tmp_path / "g.parquet")]) == 0
    _same_rows(emofeat.read_table(out), emofeat.read_table(tmp_path / "g.parquet"))
