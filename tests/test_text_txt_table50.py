"""A ``.txt`` file that is a table (CARER's ``text;label_name``) is refused by the text sets
of ``emofeat extract``, not read one text a line (hunt of session 50).

CARER's files (``/work/shared/data/text/carer/*.txt``: a ``text;label_name`` header, then
``<text>;<label>`` lines) given as they are, ``emofeat extract --set lexicon val.txt``,
exited 0 with 2,001 rows: the header line a text of its own, and every text ending in its
label (``...snap out of it soon;sadness``), so the label was in each row's lexicon
features: all 2,000 rows differ from those of the texts alone (VADER compound by 0.091 on
average), and a logistic regression on them scored 5-fold accuracy 0.58 against 0.52 on
the texts' own features. The command now exits 2 saying what the file is and that a copy
named ``.csv`` is read as a manifest (its ``text`` column, ``label_name`` a label).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from conftest import shared_path
from emofeat.extractors import LexiconFeatures

from emofeat.cli import main


def _extract(capsys, *argv) -> tuple[int, str]:
    capsys.readouterr()
    code = main(["extract", "--set", "lexicon", "-q", *argv])
    return code, capsys.readouterr().err


def test_carer_as_given_is_refused_and_its_csv_copy_read(tmp_path, capsys):
    val = shared_path("text", "carer", "val.txt")
    out = tmp_path / "val.parquet"
    code, err = _extract(capsys, str(val), "-o", str(out))
    assert code == 2 and not out.exists(), (code, err)
    assert (f"{val} is a table, not one text a line: its first line 'text;label_name' is a "
            "header of ';'-separated columns") in err, err
    assert "a copy named val.csv is read by its 'text' column" in err, err
    # the way the message gives: the texts and labels of the file (split at the last ';',
    # as load_carer does), features equal to the set's on the texts (rtol 1e-12)
    copy = tmp_path / "val.csv"
    copy.write_bytes(val.read_bytes())
    code, err = _extract(capsys, str(copy), "-o", str(out))
    assert code == 0, err
    table = pd.read_parquet(out)
    lines = val.read_text(encoding="utf-8").splitlines()[1:]
    texts = [line.rsplit(";", 1)[0] for line in lines]
    assert table["text"].tolist() == texts
    assert table["label_name"].tolist() == [line.rsplit(";", 1)[1] for line in lines]
    lf = LexiconFeatures()
    want = lf.fit_transform(texts)
    np.testing.assert_allclose(table[list(lf.get_feature_names_out())].to_numpy(), want,
                               rtol=1e-12, atol=0)


@pytest.mark.parametrize("header,sep", [("text\tlabel", "\t"), ("id,text", ","),
                                        ("Text ; label_name ;", ";")])
def test_other_tables_saved_as_txt_are_refused(tmp_path, capsys, header, sep):
    texts = [t for t in pd.read_csv(shared_path("text", "carer", "val.txt"), sep=";").text[:20]]
    rows = [f"{t}{sep}joy" if not header.startswith("id") else f"{i}{sep}{t}"
            for i, t in enumerate(texts)]
    path = tmp_path / "t.txt"
    path.write_text("\n".join([header, *rows]) + "\n", encoding="utf-8")
    code, err = _extract(capsys, str(path), "-o", str(tmp_path / "o.parquet"))
    assert code == 2 and "is a table, not one text a line" in err, err


def test_texts_holding_the_separator_are_still_texts(tmp_path, capsys):
    # the same CARER lines without the header: texts ending in ';label' are odd, but the file
    # names no column, so it is read as written, one text a line
    val = shared_path("text", "carer", "val.txt")
    lines = val.read_text(encoding="utf-8").splitlines()
    plain = tmp_path / "plain.txt"
    plain.write_text("\n".join(lines[1:]) + "\n", encoding="utf-8")
    # a header naming the text column, but lines without its separator: a text, as before
    loose = tmp_path / "loose.txt"
    loose.write_text("text;label\nno separator here\nnor here\n", encoding="utf-8")
    for path, n in ((plain, 2000), (loose, 3)):
        out = tmp_path / f"{path.stem}.parquet"
        code, err = _extract(capsys, str(path), "-o", str(out))
        assert code == 0, err
        assert len(pd.read_parquet(out)) == n


def test_a_header_less_manifest_is_said_to_want_a_header(tmp_path, capsys):
    # GoEmotions' TSVs have no header line: their first comment was the header, and the
    # message said "name it with --input-column", which could only name that comment
    dev = shared_path("text", "goemotions", "dev.tsv")
    first = dev.read_text(encoding="utf-8").split("\n", 1)[0].split("\t")[0]
    code, err = _extract(capsys, str(dev), "-o", str(tmp_path / "o.parquet"))
    assert code == 2 and f"has no 'text' column (columns: {first}, " in err, err
    assert "its first line is read as the header: a file without one" in err, err
    # a header naming the column in another case: the flag's value is given as written
    texts = pd.read_csv(dev, sep="\t", header=None, nrows=5)[0]
    cap = tmp_path / "cap.tsv"
    pd.DataFrame({"Text": texts, "label": 1}).to_csv(cap, sep="\t", index=False)
    code, err = _extract(capsys, str(cap), "-o", str(tmp_path / "o.parquet"))
    assert code == 2 and "here --input-column 'Text'" in err, err
    code, err = _extract(capsys, str(cap), "--input-column", "Text",
                         "-o", str(tmp_path / "o.parquet"))
    assert code == 0, err


def test_a_real_header_with_long_or_numeric_cells_is_still_told_to_name_the_column(tmp_path,
                                                                                  capsys):
    """A header of the kind the hint looks for (Women's E-Commerce Clothing Reviews:
    ``Positive Feedback Count``, three words; a year column) is a header all the same: the
    message names --input-column for it as well as the header line for a file without one
    (review of session 50: the first version said only to add a header line). The texts
    are real GoEmotions comments."""
    texts = pd.read_csv(shared_path("text", "goemotions", "dev.tsv"), sep="\t", header=None,
                        nrows=3)[0]
    path = tmp_path / "reviews.csv"
    pd.DataFrame({"Clothing ID": [767, 1080, 1077], "Review Text": texts, "2024": 1,
                  "Positive Feedback Count": 0}).to_csv(path, index=False)
    code, err = _extract(capsys, str(path), "-o", str(tmp_path / "o.parquet"))
    assert code == 2 and "if its first line is its header, name the text column with " \
        "--input-column" in err, err
    code, err = _extract(capsys, str(path), "--input-column", "Review Text",
                         "-o", str(tmp_path / "o.parquet"))
    assert code == 0, err


def test_a_text_whose_first_word_is_text_is_no_table(tmp_path, capsys):
    """One text a line whose first line begins "Text," and whose lines all hold commas is
    read as texts: the header's other cells must be column names, not pieces of a sentence
    (review of session 50: the first version refused it as a ','-separated table)."""
    lines = ["Text, in the end, is all we have",
             "I waited, and waited, and nobody came",
             "Well, that went better than expected, honestly"]
    path = tmp_path / "poem.txt"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    out = tmp_path / "p.parquet"
    code, err = _extract(capsys, str(path), "-o", str(out))
    assert code == 0, err
    assert len(pd.read_parquet(out)) == 3
