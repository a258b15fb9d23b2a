"""A manifest in a subfolder whose paths were written from the working folder (hunt of
session 49).

A manifest's relative paths are joined to its own folder (docs/cli.md). One kept in
``meta/`` listing ``audio/a.flac``, run from the project's folder, failed every row with "no
such file" under ``<project>/meta/audio/a.flac``, a path the user never wrote, without a word
of why (real RAVDESS files: /tmp/s49_c/h/meta/cwdrel.csv). The command now warns, naming
the manifest's folder and the working folder where the files are.
"""

from __future__ import annotations

import shutil

import pytest

from emofeat.cli import main

SAID = "its paths are read from its own folder"


@pytest.fixture()
def project(tmp_path, ravdess_two_speakers_six, monkeypatch):
    (tmp_path / "audio").mkdir()
    (tmp_path / "meta").mkdir()
    for i, f in enumerate(ravdess_two_speakers_six[:2]):
        shutil.copy(f, tmp_path / "audio" / f"a{i}.flac")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def _run(capsys, manifest: str, out: str) -> tuple[int, str]:
    capsys.readouterr()
    code = main(["extract", "-q", "--set", "mfcc", manifest, "-o", out])
    return code, capsys.readouterr().err


@pytest.mark.parametrize("suffix", [".csv", ".tsv"])
def test_paths_written_from_the_working_folder_are_said(project, capsys, suffix):
    sep = "," if suffix == ".csv" else "\t"
    (project / "meta" / f"m{suffix}").write_text(
        f"path{sep}label\naudio/a0.flac{sep}x\naudio/a1.flac{sep}y\n", encoding="utf-8")
    code, err = _run(capsys, f"meta/m{suffix}", "out.parquet")
    assert code == 3  # every row failed, recorded
    assert (f"meta/m{suffix}: {SAID} ({project / 'meta'}), and its first 2 paths "
            f"('audio/a0.flac', ...) name no file there but files in the working folder "
            f"({project})") in err, err


def test_paths_written_from_the_manifest_s_folder_are_not(project, capsys):
    (project / "meta" / "ok.csv").write_text("path,label\n../audio/a0.flac,x\n"
                                             "../audio/a1.flac,y\n", encoding="utf-8")
    code, err = _run(capsys, "meta/ok.csv", "ok.parquet")
    assert code == 0 and SAID not in err, err
    # in the working folder itself the two are one folder
    (project / "here.csv").write_text("path,label\naudio/a0.flac,x\n", encoding="utf-8")
    code, err = _run(capsys, "here.csv", "here.parquet")
    assert code == 0 and SAID not in err, err
    # a path missing in both places: failed as before, nothing to point to
    (project / "meta" / "gone.csv").write_text("path,label\naudio/zz.flac,x\n",
                                               encoding="utf-8")
    code, err = _run(capsys, "meta/gone.csv", "gone.parquet")
    assert code == 3 and SAID not in err, err
