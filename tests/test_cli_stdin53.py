"""``-`` given as the input (the Unix convention for standard input) says that emofeat does
not read standard input and what to give instead (CLI leftover of session 53): it said only
'-: no such file or folder' (audio sets) or '- does not exist' (text sets), which reads as if
a file went missing. A file really named ``-`` is still read as any file is."""

from __future__ import annotations

import pytest

from emofeat.cli import main


@pytest.mark.parametrize("name", ["mfcc", "lexicon"])
def test_a_dash_is_said_to_be_no_standard_input(tmp_path, capsys, monkeypatch, name):
    monkeypatch.chdir(tmp_path)
    code = main(["extract", "-q", "--set", name, "-o", str(tmp_path / "f.parquet"), "--", "-"])
    err = capsys.readouterr().err
    assert code == 2, err
    assert "'-' is not standard input here" in err, err
    assert "save the inputs to a file and give its name" in err
    assert not (tmp_path / "f.parquet").exists()


def test_a_file_named_dash_is_read(tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "-").write_text("I love this\nI hate that\n", encoding="utf-8")
    # a file named '-' without a suffix is no text file; as a text manifest it is refused for
    # its form, not as missing
    code = main(["extract", "-q", "--set", "lexicon", "-o", str(tmp_path / "f.parquet"), "--",
                 "-"])
    err = capsys.readouterr().err
    assert "not standard input" not in err, err
    assert "does not exist" not in err and "no such file" not in err, (code, err)
