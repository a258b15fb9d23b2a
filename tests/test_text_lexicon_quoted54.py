"""A user lexicon saved as CSV with quoted text fields is read as CSV quotes it.

R's ``write.csv`` and ``write.table`` quote every text field by default (``"happy","joy",2``),
Python's csv module with ``QUOTE_NONNUMERIC`` or ``QUOTE_ALL`` likewise, and Excel and every
CSV writer quote a field holding a comma (``"well, well"``). Until 2026-12-07 the user lexicon
loader split such lines at each comma and kept the quotes: every key was ``"happy"`` with its
quotes and matched no token, and the columns were 0 without a word (a quoted score was refused,
a quoted word was not). The check needs no re-implementation: the bundled AFINN words and
phrases (real entries, 3,382), written as each of these writers writes them, give on real
GoEmotions texts the same columns as the same words written plainly with tabs (exactly).
"""

from __future__ import annotations

import csv

import numpy as np
import pytest
from _text_data import goemotions_texts
from conftest import shared_path
from emofeat.extractors import LexiconFeatures, LexiconFormatError
from emofeat.extractors._lexicons import load_afinn, load_user_lexicon

WRITERS = {  # how each writer writes the rows: (delimiter, csv quoting)
    "R write.csv": (",", csv.QUOTE_NONNUMERIC),
    "R write.table sep='\\t'": ("\t", csv.QUOTE_NONNUMERIC),
    "csv QUOTE_ALL": (",", csv.QUOTE_ALL),
    "Excel / csv QUOTE_MINIMAL": (",", csv.QUOTE_MINIMAL),
}


def _rows() -> list[tuple[str, str, float]]:
    afinn = load_afinn(emoticons=False).entries
    return [(w, "score", float(v["score"])) for w, v in afinn.items()]


def _write(path, rows, delimiter: str, quoting: int) -> None:
    with open(path, "w", encoding="utf-8", newline="") as f:
        out = csv.writer(f, delimiter=delimiter, quoting=quoting, lineterminator="\n")
        out.writerow(["word", "category", "score"])
        out.writerows(rows)


def _columns(path, texts) -> np.ndarray:
    lf = LexiconFeatures(lexicons=[("user", str(path), "mine")], style=False, normalise="raw")
    return np.asarray(lf.fit_transform(texts))


@pytest.mark.parametrize("writer", list(WRITERS))
def test_quoted_csv_reads_as_the_plain_file_on_real_texts(tmp_path, writer):
    folder = shared_path("text")
    texts = goemotions_texts(folder, "dev")[:2000]
    rows = _rows()
    plain = tmp_path / "plain.tsv"
    plain.write_text("word\tcategory\tscore\n" + "".join(f"{w}\t{c}\t{v:g}\n" for w, c, v in rows),
                     encoding="utf-8")
    quoted = tmp_path / "mine.csv"
    _write(quoted, rows, *WRITERS[writer])
    assert set(load_user_lexicon(quoted).entries) == set(load_user_lexicon(plain).entries)
    want = _columns(plain, texts)
    assert want[:, -1].sum() > 500  # lexicon_mine_n_matched: AFINN words in the texts
    np.testing.assert_array_equal(_columns(quoted, texts), want)


def test_a_comma_inside_quotes_and_row_numbers(tmp_path):
    path = tmp_path / "mine.csv"
    path.write_text('word,category,score\n"well, well",mood,1\n"say ""hi""",mood,2\n'
                    'happy, "mood", 2\n:"(,mood,-2\n', encoding="utf-8")
    assert load_user_lexicon(path).entries == {"well, well": {"mood": 1.0},
                                               'say "hi"': {"mood": 2.0},
                                               "happy": {"mood": 2.0}, ':"(': {"mood": -2.0}}
    # pandas' to_csv and R's write.csv write row numbers first unless told not to
    path.write_text('"","word","category","score"\n"1","happy","mood",2\n', encoding="utf-8")
    with pytest.raises(LexiconFormatError, match=r"line 1: .*\(a first column of row numbers"):
        load_user_lexicon(path)


def test_r_write_table_row_names_get_the_row_number_hint(tmp_path):
    """R's write.table(sep="\t") writes row names without an empty header field: the header
    has 3 fields and each row 4, the first its number (review RD, session 54)."""
    path = tmp_path / "mine.tsv"
    path.write_text('"word"\t"category"\t"score"\n"1"\t"happy"\t"mood"\t2\n', encoding="utf-8")
    with pytest.raises(LexiconFormatError, match=r"line 2: .*\(a first column of row numbers"):
        load_user_lexicon(path)
