"""A NUL character in a text file given to the command is refused, naming where (session 47).

A ``.txt`` file with a NUL in its first 4 KB was refused as binary, while a NUL in a CSV or TSV
cell, or past a ``.txt`` file's first 4 KB, was kept in its text (pandas 3), or ended the cell
there (pandas 2: ``"ab\\0c"`` read as ``"ab"``, ``"\\0abc"`` as a missing text), and the run
exited 0. No text holds a NUL: the file is binary or was cut short (a block of NULs). A JSON
``"\\u0000"`` is a character a program wrote on purpose, and stays (docs/inputs.md).
"""

from __future__ import annotations

import csv
import json

import pytest
from _text_data import goemotions_texts
from conftest import shared_path

from emofeat import read_table
from emofeat.cli import EXIT_OK, EXIT_USAGE, main


def _texts(n: int) -> list[str]:
    return goemotions_texts(shared_path("text"), "dev")[:n]


def _extract(capsys, tmp_path, path):
    out = tmp_path / "out.parquet"
    code = main(["extract", "--set", "text_surface", str(path), "-o", str(out), "-q"])
    return code, capsys.readouterr().err, out


def _manifest(path, rows, sep=",", encoding="utf-8"):
    with open(path, "w", encoding=encoding, newline="") as fh:
        writer = csv.writer(fh, delimiter=sep)
        writer.writerow(["text", "label"])
        writer.writerows(rows)


@pytest.mark.parametrize("sep, name", [(",", "t.csv"), ("\t", "t.tsv")])
@pytest.mark.parametrize("where", ["middle", "start", "label"])
def test_a_nul_in_a_manifest_cell_is_refused_naming_row_line_and_column(tmp_path, capsys,
                                                                        sep, name, where):
    texts = _texts(8)
    rows = [[t, "joy"] for t in texts]
    rows[1][0] = "two\nlines"  # a quoted cell over two lines: rows and lines differ after it
    if where == "label":
        rows[5][1] = "jo\0y"
    else:
        rows[5][0] = ("\0" + texts[5]) if where == "start" else texts[5][:7] + "\0" + texts[5][7:]
    path = tmp_path / name
    _manifest(path, rows, sep)
    code, err, out = _extract(capsys, tmp_path, path)
    column = "label" if where == "label" else "text"
    assert code == EXIT_USAGE, err
    assert (f"{path} is not text: it holds a NUL character (row 6, line 8, column "
            f"{column!r}), which no text holds") in err
    assert not out.exists()


def test_a_block_of_nuls_cut_into_a_csv_is_refused(tmp_path, capsys):
    # what a copy or a save cut short leaves: NUL bytes in place of the file's tail
    path = tmp_path / "cut.csv"
    _manifest(path, [[t, "joy"] for t in _texts(40)])
    data = path.read_bytes()
    path.write_bytes(data[:len(data) // 2] + b"\0" * 512)
    code, err, out = _extract(capsys, tmp_path, path)
    assert code == EXIT_USAGE and "it holds a NUL character (row " in err, err
    assert not out.exists()


def test_a_utf16_manifest_is_read_and_its_nul_characters_refused(tmp_path, capsys):
    # UTF-16's code units hold NUL bytes: only a NUL character is refused
    texts = _texts(4)
    path = tmp_path / "u.csv"
    _manifest(path, [[t, "joy"] for t in texts], encoding="utf-16")
    code, err, out = _extract(capsys, tmp_path, path)
    assert code == EXIT_OK, err
    assert list(read_table(out).index["text"]) == texts
    out.unlink()
    _manifest(path, [[t, "joy"] for t in texts[:2]] + [["a\0b", "joy"]], encoding="utf-16")
    code, err, out = _extract(capsys, tmp_path, path)
    assert code == EXIT_USAGE and "(row 3, line 4, column 'text')" in err, err


def test_a_nul_in_the_header_is_refused(tmp_path, capsys):
    path = tmp_path / "h.csv"
    path.write_text("te\0xt,label\n" + "".join(f'"{t}",joy\n' for t in ["a", "b"]),
                    encoding="utf-8")
    code, err, _ = _extract(capsys, tmp_path, path)
    assert code == EXIT_USAGE and "(the header, line 1)" in err, err


@pytest.mark.parametrize("codec", ["utf-8", "utf-16"])
def test_a_nul_past_a_txt_files_first_4kb_is_refused_naming_its_line(tmp_path, capsys, codec):
    texts = _texts(200)
    assert len("\n".join(texts[:150]).encode(codec)) > 4096  # past the bytes first looked at
    texts[150] = texts[150] + "\0" * 64
    path = tmp_path / "t.txt"
    path.write_bytes("\n".join(texts).encode(codec))
    code, err, out = _extract(capsys, tmp_path, path)
    assert code == EXIT_USAGE, err
    assert f"{path} is not text: it holds a NUL character (line 151)" in err
    assert not out.exists()


def test_a_raw_nul_in_json_lines_is_named_and_an_escaped_one_is_a_character(tmp_path, capsys):
    texts = _texts(6)
    lines = [json.dumps({"text": t}) for t in texts]
    path = tmp_path / "t.jsonl"
    path.write_bytes(b"\n".join(line.encode() for line in lines[:3])
                     + b'\n{"text": "ab\0c"}\n' + b"\n".join(line.encode() for line in lines[3:]))
    code, err, _ = _extract(capsys, tmp_path, path)
    # it said "line 4: Invalid control character at at column 13"
    assert code == EXIT_USAGE, err
    assert f"cannot read {path}: line 4: a NUL character at column 13: the file is binary" in err
    # "\u0000" is JSON's way of writing the character: the file is whole, as with "\ud800"
    path.write_text("\n".join(lines[:3] + [json.dumps({"text": "ab\0c"})] + lines[3:]),
                    encoding="utf-8")
    code, err, out = _extract(capsys, tmp_path, path)
    assert code == EXIT_OK, err
    assert read_table(out).index["text"][3] == "ab\0c"


# --- the corpus loaders (helper C's leftover): a copy with a NUL read its texts with it ----

def _copy_with_nul(src, dst, line: int, n: int = 40) -> None:
    """The first ``n`` lines of ``src`` into ``dst``, a NUL put in the middle of ``line``."""
    lines = src.read_text(encoding="utf-8").split("\n")[:n]
    text = lines[line - 1]
    lines[line - 1] = text[: len(text) // 2] + "\0" + text[len(text) // 2:]
    dst.write_text("\n".join(lines) + "\n", encoding="utf-8")


@pytest.mark.parametrize("corpus", ["goemotions", "carer", "isear"])
def test_a_corpus_file_holding_a_nul_is_refused_naming_its_line(tmp_path, corpus):
    from emofeat.datasets import load_carer, load_goemotions, load_isear

    if corpus == "goemotions":
        for name in ("emotions.txt",):
            (tmp_path / name).write_bytes(shared_path("text", "goemotions", name).read_bytes())
        target, load = tmp_path / "dev.tsv", lambda: load_goemotions(tmp_path, "dev")
        src = shared_path("text", "goemotions", "dev.tsv")
    elif corpus == "carer":
        target, load = tmp_path / "val.txt", lambda: load_carer(tmp_path, "val")
        src = shared_path("text", "carer", "val.txt")
    else:
        target, load = tmp_path / "isear.csv", lambda: load_isear(tmp_path / "isear.csv")
        src = shared_path("text", "isear", "isear.csv")
    _copy_with_nul(src, target, 7)
    with pytest.raises(ValueError, match=f"{target}: line 7 holds a NUL character"):
        load()
    # the same lines without it read as before
    target.write_text("\n".join(src.read_text(encoding="utf-8").split("\n")[:40]) + "\n",
                      encoding="utf-8")
    assert len(load()) > 0
