"""The command's listing of failed inputs is one line each whatever the file names hold
(helper C, session 54): a file named with a line break split its line in two, and an escape
sequence in a name (ESC [31m) went to the terminal as it is, which ran it. Control characters
are now escaped as ``ls`` (its shell-escape quoting) and ``git`` (core.quotePath) show them;
the errors table keeps the names as they are. A folder of an EmoDB recording and two files
that are no audio.
"""

from __future__ import annotations

import shutil

import pandas as pd

from emofeat.cli import main


def test_failure_lines_stay_one_line(tmp_path, emodb_dir, capsys):
    folder = tmp_path / "in"
    folder.mkdir()
    shutil.copy(emodb_dir / "03a01Fa.flac", folder / "a\nb.flac")  # a recording: a row
    bad = [folder / "c\nd.flac", folder / "e\x1b[31mf.flac"]
    for path in bad:
        path.write_bytes(b"not audio")
    out = tmp_path / "f.parquet"
    capsys.readouterr()
    assert main(["extract", "-q", "--set", "mfcc", str(folder), "-o", str(out)]) == 3
    err = capsys.readouterr().err
    assert "\x1b" not in err
    listed = [line for line in err.splitlines() if line.startswith("  ")]
    assert len(listed) == 2, err
    assert all("AudioReadError" in line for line in listed), listed
    assert any(line.startswith(f"  {folder}/c\\nd.flac: ") for line in listed), listed
    assert any(line.startswith(f"  {folder}/e\\x1b[31mf.flac: ") for line in listed), listed
    # the table holds the names as they are
    errors = pd.read_csv(tmp_path / "f.errors.csv")
    assert sorted(errors["path"]) == sorted(map(str, bad))
    assert list(pd.read_parquet(out)["path"]) == [str(folder / "a\nb.flac")]
