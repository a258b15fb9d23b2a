"""The command's one-line escaping of names, mended after review RC of session 54.

85b37b4 escaped control characters in the listing of failed inputs as Python's repr does
(a line break as ``\\n``), but left a backslash as it is, so that a file named with a real
backslash and ``n`` was listed as one named with a line break; ``ls -b`` doubles the
backslash for that reason. And the command's warning lines were not escaped at all: a
truncated WAV (EmoDB 03a01Fa cut in half) named with ESC [31m wrote the escape sequence to
the terminal in its TruncatedAudioWarning line, which the terminal ran.
"""

from __future__ import annotations

import soundfile as sf

from emofeat.cli import main


def test_a_backslash_is_doubled_in_the_failure_listing(tmp_path, emodb_dir, capsys):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "c\nd.flac").write_bytes(b"not audio")  # a line break
    (folder / "c\\nd.flac").write_bytes(b"not audio")  # a backslash and an n
    assert main(["extract", "-q", "--set", "mfcc", str(folder), "-o",
                 str(tmp_path / "f.parquet")]) == 3
    listed = [line for line in capsys.readouterr().err.splitlines() if line.startswith("  ")]
    names = sorted(line.split(": ")[0].strip() for line in listed)
    # as ls -b shows them: one backslash for the escape, two for a backslash
    assert names == sorted([f"{folder}/c\\nd.flac", f"{folder}/c\\\\nd.flac"]), listed


def cut_wav(tmp_path, emodb_dir, name: str):
    """``tmp_path/in/name``: EmoDB 03a01Fa as 16-bit WAV cut in half (its header promises
    twice what is there: a TruncatedAudioWarning naming it); the folder is returned."""
    samples, sr = sf.read(emodb_dir / "03a01Fa.flac", dtype="int16")
    whole = tmp_path / "whole.wav"
    sf.write(whole, samples, sr, subtype="PCM_16")
    data = whole.read_bytes()
    whole.unlink()
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / name).write_bytes(data[: len(data) // 2])
    return folder


def test_a_warning_line_is_escaped(tmp_path, emodb_dir, capsys):
    folder = cut_wav(tmp_path, emodb_dir, "e\x1b[31mf.wav")
    assert main(["extract", "-q", "--set", "mfcc", str(folder), "-o",
                 str(tmp_path / "f.parquet")]) == 0
    err = capsys.readouterr().err
    assert "\x1b" not in err, err
    warned = [line for line in err.splitlines() if ": warning: " in line]
    assert len(warned) == 1 and f"{folder}/e\\x1b[31mf.wav: the file is truncated" in warned[0], err
