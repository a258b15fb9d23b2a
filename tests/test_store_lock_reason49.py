"""The system's reason an output's lock file cannot be made is the lock file's own (found by
helper E of session 49, running docs/batch.md's example): where a file or a broken symbolic
link stands in the place of the output's folder, the run made the folder first and gave
mkdir's reason, "(File exists)", as if the lock file existed; docs/batch.md quotes
``run(..., output="notes.txt/o.parquet")``: ``... (Not a directory): notes.txt is a file, not
a folder; give an output in a folder``."""

from __future__ import annotations

import numpy as np
import pytest

from emofeat import get_extractor
from emofeat.runner import run
from emofeat.store import OutputNotWritableError


def _refusal(output: str) -> str:
    with pytest.raises(OutputNotWritableError) as info:
        run([(np.zeros(16000), 16000)], [get_extractor("mfcc")], output=output)
    return str(info.value)


def test_a_file_in_the_folder_s_place_is_not_a_directory(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "notes.txt").write_text("notes")
    msg = _refusal("notes.txt/o.parquet")
    assert msg == ("cannot write notes.txt/o.parquet: cannot create its lock file "
                   "notes.txt/o.parquet.lock beside it (Not a directory): notes.txt is a file, "
                   "not a folder; give an output in a folder")
    assert (tmp_path / "notes.txt").read_text() == "notes"


@pytest.mark.parametrize("output", ["w/o.parquet", "w/out", "w/sub/o.parquet"])
def test_a_broken_link_in_the_folder_s_place_is_no_such_file(tmp_path, monkeypatch, output):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "w").symlink_to(tmp_path / "gone")
    msg = _refusal(output)
    assert "(File exists)" not in msg
    assert "beside it (No such file or directory): w is a symbolic link to " in msg
    assert "which does not exist (a broken link); make that folder" in msg
    assert not (tmp_path / "gone").exists()
