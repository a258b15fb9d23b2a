"""A manifest's path that prints like the file's and names no file (hunt of session 49).

Two ways a path read from a manifest prints as the file's name and is not: the name in the
other Unicode form (a manifest written on macOS, whose names are decomposed, NFD, beside
files unpacked here in the composed form, NFC, or the reverse), and spaces around a cell (a
hand-written ``label, path`` manifest: ``' a.flac'`` is joined to the manifest's folder as
``'<folder>/ a.flac'``, ``' /data/a.flac'`` is no absolute path). Each input failed with
"no such file" alone, under a path that looks right. Found on real RAVDESS files copied
under a unicode folder (/tmp/s49_c/h/nfd.csv, odd/sp2.csv, odd/sp4.csv). The recorded
failure now names the file that is there; a path naming nothing is said as before.
"""

from __future__ import annotations

import csv
import shutil
import unicodedata

import pytest

from emofeat.audio import load_audio
from emofeat.cli import main
from emofeat.errors import AudioReadError

NAME = "ünï cödé/é_1 日本.flac"


@pytest.fixture()
def corpus(tmp_path, ravdess_two_speakers_six):
    """Two real RAVDESS files: one under a non-ASCII name (composed, NFC), one plain."""
    (tmp_path / "ünï cödé").mkdir()
    shutil.copy(ravdess_two_speakers_six[0], tmp_path / NAME)
    shutil.copy(ravdess_two_speakers_six[3], tmp_path / "plain.flac")
    return tmp_path


def _failures(tmp_path, manifest: str) -> dict[str, str]:
    """The errors table of ``emofeat extract MANIFEST`` as {path: message}."""
    out = tmp_path / "out.parquet"
    main(["extract", "-q", "--set", "mfcc", str(tmp_path / manifest), "-o", str(out)])
    errors = tmp_path / "out.errors.csv"
    if not errors.exists():
        return {}
    with open(errors, encoding="utf-8", newline="") as fh:
        return {r["path"]: r["message"] for r in csv.DictReader(fh)}


def test_a_path_in_the_other_unicode_form_names_the_file_there(corpus):
    nfd = unicodedata.normalize("NFD", NAME)
    assert nfd != NAME
    (corpus / "nfd.csv").write_text(f"path,label\n{nfd},a\nplain.flac,b\n", encoding="utf-8")
    failed = _failures(corpus, "nfd.csv")
    assert list(failed) == [str(corpus / nfd)], failed
    said = failed[str(corpus / nfd)]
    assert said.startswith("no such file (a file of this name, printed alike, is there in "
                           "Unicode's composed (NFC) form"), said
    assert "unicodedata.normalize('NFC', path)" in said, said

    with pytest.raises(AudioReadError, match=r"composed \(NFC\) form"):
        load_audio(corpus / nfd)

    # the reverse: a file named on macOS (decomposed), a manifest typed here (composed)
    (corpus / nfd).parent.mkdir(exist_ok=True)
    shutil.move(corpus / NAME, corpus / nfd)
    with pytest.raises(AudioReadError, match=r"decomposed \(NFD, as macOS writes names\)"):
        load_audio(corpus / NAME)


def test_spaces_around_a_cell_name_the_file_there(corpus):
    absolute = corpus / "plain.flac"
    (corpus / "spaces.csv").write_text(
        f"label, path\nhappy, plain.flac\nsad, {absolute}\ncalm,{absolute} \nx, nope.flac\n",
        encoding="utf-8")
    failed = _failures(corpus, "spaces.csv")
    assert len(failed) == 4, failed
    hint = " (spaces around the path? {} exists: a manifest's cells are read as written"
    assert hint.format(corpus / "plain.flac") in failed[f"{corpus}/ plain.flac"]
    assert hint.format(absolute) in failed[f"{corpus}/ {absolute}"]
    assert hint.format(absolute) in failed[f"{absolute} "]
    assert failed[f"{corpus}/ nope.flac"] == "no such file"  # nothing there: as before


def test_the_paths_written_right_are_read(corpus):
    (corpus / "ok.csv").write_text(f"path,label\n{NAME},a\nplain.flac,b\n", encoding="utf-8")
    assert _failures(corpus, "ok.csv") == {}
