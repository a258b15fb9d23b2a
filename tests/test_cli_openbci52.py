"""OpenBCI GUI recordings through the command (session 52).

The EEG reader reads OpenBCI GUI files (``OpenBCI-RAW-*.txt``, or renamed ``.csv``; 7833a07),
but the command refused a ``.txt`` given directly ("a .txt file is no eeg input"), skipped
such files in a folder, and read a renamed ``.csv`` given directly as a manifest ("needs a
'path' column"). Here each way in gives the same features as a manifest listing the file
(the way that already worked), exactly; the files are written from a real Muse recording
of ../shared/data.
"""

from __future__ import annotations

import pytest
from conftest import shared_path
from test_eeg_openbci52 import _new_format, _old_format

from emofeat import read_table
from emofeat.cli import main
from emofeat.eeg_input import read_recording


def _source():
    rec = read_recording(shared_path("eeg", "muse_mental_state", "subjecta-relaxed-1.csv"))
    return rec.data[:, : 256 * 12]


def _features(capsys, out, *inputs):
    code = main(["extract", "--set", "eeg_bands", *map(str, inputs), "-o", str(out), "-q"])
    err = capsys.readouterr().err
    assert code == 0, err
    return read_table(out).to_pandas()


def _manifest_features(capsys, tmp_path, path):
    manifest = tmp_path / f"m_{path.stem}.csv"
    manifest.write_text(f"path\n{path}\n")
    return _features(capsys, tmp_path / f"via_manifest_{path.stem}.parquet", manifest)


def _same(got, want):
    cols = [c for c in want.columns if c.startswith("eeg_bands_")]
    assert cols and list(got[cols].columns) == cols
    assert got[cols].to_numpy().tolist() == want[cols].to_numpy().tolist()


@pytest.mark.parametrize("layout, name", [("new", "OpenBCI-RAW-2020-09-13_12-26-40.txt"),
                                          ("old", "OpenBCI-RAW-2018-04-22_15-31-23.txt"),
                                          ("new", "OpenBCI-session.csv")])
def test_a_recording_given_directly(capsys, tmp_path, layout, name):
    path = tmp_path / name
    (_new_format if layout == "new" else _old_format)(path, _source(), 256)
    want = _manifest_features(capsys, tmp_path, path)
    _same(_features(capsys, tmp_path / "direct.parquet", path), want)


def test_a_folder_of_recordings(capsys, tmp_path):
    folder = tmp_path / "sessions"
    folder.mkdir()
    _new_format(folder / "OpenBCI-RAW-a.txt", _source(), 256)
    _new_format(folder / "b.csv", _source()[:, ::-1].copy(), 256)
    (folder / "notes.txt").write_text("subject a, eyes closed\n")  # not a recording
    got = _features(capsys, tmp_path / "folder.parquet", folder)
    assert sorted(got["path"].map(lambda p: p.rsplit("/", 1)[-1])) == ["OpenBCI-RAW-a.txt",
                                                                       "b.csv"]
    for name in ("OpenBCI-RAW-a.txt", "b.csv"):
        want = _manifest_features(capsys, tmp_path, folder / name)
        _same(got[got["path"].str.endswith("/" + name)].reset_index(drop=True), want)


def test_a_plain_txt_is_still_refused_for_eeg_sets(capsys, tmp_path):
    path = tmp_path / "files.txt"
    path.write_text("a.edf\nb.edf\n")
    code = main(["extract", "--set", "eeg_bands", str(path), "-o", str(tmp_path / "o.parquet")])
    assert code == 2 and "a .txt file is no eeg input" in capsys.readouterr().err


def test_an_audio_set_is_told_the_file_is_eeg(capsys, tmp_path):
    """Review R2: given to an audio set (mfcc, the default), an OpenBCI recording directly
    or a folder of them was told 'a .txt is read by text sets' / 'no audio files'."""
    folder = tmp_path / "bci"
    folder.mkdir()
    path = folder / "OpenBCI-RAW-a.txt"
    _new_format(path, _source()[:, :512], 256)
    for given in (path, folder):
        code = main(["extract", str(given), "-o", str(tmp_path / "o.parquet")])
        err = capsys.readouterr().err
        assert code == 2 and "EEG recording" in err and "eeg_bands" in err, err
    empty = tmp_path / "notes"
    empty.mkdir()
    (empty / "notes.txt").write_text("eyes closed\n")
    code = main(["extract", "--set", "eeg_bands", str(empty), "-o", str(tmp_path / "p.parquet")])
    assert code == 2 and ".txt (OpenBCI GUI)" in capsys.readouterr().err
