"""An input that ``os.stat`` cannot reach for another reason than its absence says that
reason (session 57, helper C's hunt): a loop of symbolic links was "no such file (a broken
symbolic link to loop2.flac)", and a name longer than the file system takes "no such file",
which sent the user looking for a file that may be there. Each is a failed input of the run,
the others extracted. A real RAVDESS recording beside them."""

from __future__ import annotations

import shutil
import sys

import pandas as pd
import pytest
from conftest import shared_path

from emofeat.cli import main

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="symbolic links need rights")


def _extract(tmp_path, capsys, *inputs) -> tuple[int, dict[str, str], int]:
    out = tmp_path / "out.parquet"
    code = main(["extract", "--set", "mfcc", *map(str, inputs), "-o", str(out), "-q"])
    capsys.readouterr()
    errors = pd.read_csv(tmp_path / "out.errors.csv")
    rows = len(pd.read_parquet(out)) if out.exists() else 0
    return code, dict(zip(errors.path, errors.message, strict=True)), rows


def test_a_loop_of_links_and_a_too_long_name_say_so(tmp_path, capsys):
    real = sorted(shared_path("speech", "ravdess").glob("Actor_01/*.flac"))[0]
    folder = tmp_path / "audio"
    folder.mkdir()
    shutil.copy(real, folder / "real.flac")
    (folder / "loop1.flac").symlink_to(folder / "loop2.flac")
    (folder / "loop2.flac").symlink_to(folder / "loop1.flac")
    code, rows, n = _extract(tmp_path, capsys, folder)
    assert code != 0 and n == 1  # the real file extracted, the two links failed
    loop = "a loop of symbolic links (or too many of them in a row)"
    assert rows == {str(folder.resolve() / "loop1.flac"): loop,
                    str(folder.resolve() / "loop2.flac"): loop}

    long = folder / ("x" * 300 + ".flac")
    (tmp_path / "second").mkdir()
    manifest = tmp_path / "second" / "labels.csv"  # a name on the command line is a usage error
    pd.DataFrame({"path": [str(folder / "real.flac"), str(long)]}).to_csv(manifest, index=False)
    code, rows, n = _extract(tmp_path / "second", capsys, manifest)
    assert n == 1 and list(rows.values()) == ["file name too long"], rows


def test_a_loop_typed_on_the_command_line_says_so(tmp_path, capsys):
    """Review RM of 1117fb6: ``Path.exists()`` is False for a loop of links, and a typed
    path said "no such file or folder" (audio) or "does not exist" (text), exit 2."""
    real = sorted(shared_path("speech", "ravdess").glob("Actor_01/*.flac"))[0]
    shutil.copy(real, tmp_path / "real.flac")
    for ext, name in ((".flac", "mfcc"), (".txt", "text_surface")):
        (tmp_path / f"l1{ext}").symlink_to(tmp_path / f"l2{ext}")
        (tmp_path / f"l2{ext}").symlink_to(tmp_path / f"l1{ext}")
        code = main(["extract", "--set", name, str(tmp_path / f"l1{ext}"),
                     "-o", str(tmp_path / f"o{ext}.parquet"), "-q"])
        err = capsys.readouterr().err
        assert code == 2, err
        assert f"l1{ext}: a loop of symbolic links (or too many of them in a row)" in err, err
    assert main(["extract", "--set", "mfcc", str(tmp_path / "gone.flac"), "-o",
                 str(tmp_path / "g.parquet"), "-q"]) == 2
    assert "gone.flac: no such file or folder" in capsys.readouterr().err
