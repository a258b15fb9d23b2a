"""A one-column ``.txt`` of texts whose first line is ``text`` (leftover of session 50).

A table of one column saved as ``.txt`` (``df[["text"]].to_csv("texts.txt", index=False)``)
was read one text a line: its header became a row, the text "text", and every text that
holds a comma or a quote kept the quotes the CSV writer put around it (doubled inside). Its
first line is now its header, and its texts are read as written: the rows equal those of the
same file named ``.csv`` (read by pandas), and the VADER scores of the texts equal
vaderSentiment's on the corpus's own texts.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from _text_data import goemotions_texts, vader_reference
from conftest import shared_path

from emofeat import read_table
from emofeat.cli import main


@pytest.fixture(scope="module")
def texts() -> list[str]:
    # GoEmotions' dev split: Reddit comments, many with commas and quotes
    got = goemotions_texts(shared_path("text"), "dev")[:300]
    assert sum("," in t for t in got) > 30 and any('"' in t for t in got)
    return got


def _extract(capsys, path, out, sets="text_surface") -> tuple[int, str]:
    capsys.readouterr()
    code = main(["extract", "-q", "--set", sets, str(path), "-o", str(out)])
    return code, capsys.readouterr().err


def test_the_header_line_is_no_text_and_quoted_texts_are_read_as_written(
        tmp_path, capsys, texts):
    pd.DataFrame({"text": texts}).to_csv(tmp_path / "texts.txt", index=False)
    (tmp_path / "texts.csv").write_bytes((tmp_path / "texts.txt").read_bytes())
    code, err = _extract(capsys, tmp_path / "texts.txt", tmp_path / "a.parquet")
    assert code == 0, err
    assert "its first line 'text' is read as the header" in err, err
    a = read_table(tmp_path / "a.parquet").to_pandas()
    assert a.text.tolist() == texts  # 301 rows before, the first 'text', quotes kept
    assert _extract(capsys, tmp_path / "texts.csv", tmp_path / "b.parquet")[0] == 0
    b = read_table(tmp_path / "b.parquet").to_pandas()
    pd.testing.assert_frame_equal(a, b, check_exact=True)  # the .csv's rows, exactly


def test_vader_scores_of_such_a_file_are_vadersentiment_s(tmp_path, capsys, texts):
    pd.DataFrame({"text": texts}).to_csv(tmp_path / "texts.txt", index=False)
    code, err = _extract(capsys, tmp_path / "texts.txt", tmp_path / "v.parquet",
                         "lexicon")
    assert code == 0, err
    table = read_table(tmp_path / "v.parquet").to_pandas()
    cols = [f"lexicon_vader_{k}" for k in ("neg", "neu", "pos", "compound")]
    assert set(cols) <= set(table.columns), list(table.columns)[:20]
    # tolerance 1e-6: vaderSentiment rounds neg/neu/pos to 3 places and compound to 4; ours
    # rounds the same way (tests/test_text_vader.py); before, 'text' was a row of its own
    np.testing.assert_allclose(table[cols].to_numpy(float), vader_reference(texts), atol=1e-6)


def test_a_plain_file_of_texts_keeps_its_lines(tmp_path, capsys, texts):
    # no header line: every line a text, quotes and all (a text may begin with a quote)
    body = [t.replace("\n", " ") for t in texts[:50]] + ['"quoted," she said']
    (tmp_path / "plain.txt").write_text("\n".join(body) + "\n", encoding="utf-8")
    code, err = _extract(capsys, tmp_path / "plain.txt", tmp_path / "p.parquet")
    assert code == 0 and "header" not in err, err
    assert read_table(tmp_path / "p.parquet").to_pandas().text.tolist() == body
    # a header, then lines that are no CSV writer's (a comma outside quotes): kept as lines
    (tmp_path / "hand.txt").write_text("text\n" + "\n".join(body) + "\n", encoding="utf-8")
    assert _extract(capsys, tmp_path / "hand.txt", tmp_path / "h.parquet")[0] == 0
    assert read_table(tmp_path / "h.parquet").to_pandas().text.tolist() == body


@pytest.mark.parametrize("column", [None, "text"])
def test_carer_txt_with_or_without_input_column_is_told_to_be_a_csv(tmp_path, capsys, column):
    # CARER's val.txt (text;label_name) with --input-column text was told first to leave the
    # flag out ("no input has columns to choose from"), and only then, run again, that the
    # file is a table; now both commands get the table's advice at once, and it works
    val = shared_path("text", "carer", "val.txt")
    flag = [] if column is None else ["--input-column", column]
    capsys.readouterr()
    assert main(["extract", "-q", "--set", "text_surface", str(val), *flag,
                 "-o", str(tmp_path / "x.parquet")]) == 2
    err = capsys.readouterr().err
    assert "is a table, not one text a line" in err and "val.csv" in err, err
    assert "no input has columns" not in err and "leave --input-column out" not in err, err
    assert not (tmp_path / "x.parquet").exists()
    # the advice followed: a copy named val.csv, the same flag
    (tmp_path / "val.csv").write_bytes(val.read_bytes())
    assert main(["extract", "-q", "--set", "text_surface", str(tmp_path / "val.csv"), *flag,
                 "-o", str(tmp_path / "x.parquet")]) == 0, capsys.readouterr().err
    table = read_table(tmp_path / "x.parquet").to_pandas()
    rows = val.read_text(encoding="utf-8").splitlines()[1:]
    assert table.text.tolist() == [r.rsplit(";", 1)[0] for r in rows]
    assert table.label_name.tolist() == [r.rsplit(";", 1)[1] for r in rows]


def test_the_note_s_way_to_keep_a_first_text_text_works(tmp_path, capsys, texts):
    # the note says how to keep a first text that is the word itself: a header line above it
    body = ["text", *[t.replace("\n", " ").replace('"', "") for t in texts[:20]]]
    (tmp_path / "t.txt").write_text("\n".join(body) + "\n", encoding="utf-8")
    code, err = _extract(capsys, tmp_path / "t.txt", tmp_path / "t.parquet")
    assert code == 0 and "keeps it with a line 'text' above it" in err, err
    (tmp_path / "k.txt").write_text("\n".join(["text", *body]) + "\n", encoding="utf-8")
    assert _extract(capsys, tmp_path / "k.txt", tmp_path / "k.parquet")[0] == 0
    assert read_table(tmp_path / "k.parquet").to_pandas().text.tolist() == body
