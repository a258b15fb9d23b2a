"""Manifests separated by "|", and lines with more cells than the header (session 45).

ISEAR as distributed (``isear.csv``) is "|"-separated: the command read its header as one
column and stopped with pandas' "Error tokenizing data. C error: Expected 2 fields in line 4,
saw 3". "|" is now sniffed as ","/";"/tab are, and a line with more cells than the header is
said in words, naming ``load_isear`` for ISEAR's own file (whose texts hold unquoted "|").
"""

from __future__ import annotations

import numpy as np
import pytest
from conftest import shared_path

from emofeat import read_table
from emofeat.cli import EXIT_USAGE, main
from emofeat.datasets import load_isear, load_manifest


def _isear():
    return shared_path("text", "isear", "isear.csv")


def test_isears_own_file_names_the_line_and_its_loader(tmp_path, capsys):
    code = main(["extract", "--set", "lexicon", str(_isear()), "--input-column", "SIT", "-o",
                 str(tmp_path / "out.parquet"), "-q"])
    err = capsys.readouterr().err
    assert code == EXIT_USAGE
    assert "line 199 has 44 '|'-separated cells where the header has 43" in err
    assert "emofeat.datasets.load_isear" in err and "Error tokenizing" not in err


def test_a_pipe_separated_manifest_reads_as_a_comma_one(tmp_path, capsys):
    isear = load_isear(_isear()).head(40)
    assert not isear.text.str.contains("|", regex=False).any()
    isear.to_csv(tmp_path / "pipe.csv", sep="|", index=False)
    isear.to_csv(tmp_path / "comma.csv", index=False)
    for name in ("pipe", "comma"):
        assert main(["extract", "--set", "lexicon", str(tmp_path / f"{name}.csv"), "-o",
                     str(tmp_path / f"{name}.parquet"), "-q"]) == 0, capsys.readouterr().err
    pipe, comma = (read_table(tmp_path / f"{n}.parquet") for n in ("pipe", "comma"))
    assert pipe.index["emotion"].tolist() == isear.emotion.tolist()
    assert pipe.index["text"].tolist() == isear.text.tolist()
    np.testing.assert_array_equal(pipe.X, comma.X)


def test_an_audio_manifest_line_with_an_extra_cell_is_said_in_words(tmp_path):
    wav = shared_path("speech", "ravdess", "Actor_01")
    files = sorted(wav.glob("*.flac"))[:3]
    assert len(files) == 3
    csv = tmp_path / "m.csv"
    csv.write_text("path,emotion\n" + "".join(
        f"{f},neutral{',extra' if i == 1 else ''}\n" for i, f in enumerate(files)),
        encoding="utf-8")
    with pytest.raises(ValueError, match=r"m\.csv: line 3 has 3 ','-separated cells where "
                                         r"the header has 2: quote a cell"):
        load_manifest(csv)


def test_the_line_said_is_the_files_where_a_quoted_cell_spans_lines(tmp_path, capsys):
    # review 3 of 9529f04: pandas counts records; Excel writes multi-line cells with CRLF
    texts = load_isear(_isear()).text.head(2).tolist()
    csv = tmp_path / "multi.csv"
    csv.write_bytes(("text,label\r\n\r\n"
                     f'"{texts[0]}\r\nsecond line",joy\r\n\r\n'
                     f"{texts[1]},fear,extra\r\n").encode())
    code = main(["extract", "--set", "lexicon", str(csv), "-o", str(tmp_path / "o.parquet"),
                 "-q"])
    err = capsys.readouterr().err
    assert code == EXIT_USAGE
    assert "line 6 has 3 ','-separated cells where the header has 2" in err, err


def test_pandas_index_written_by_to_csv_is_no_column(tmp_path, capsys):
    # hunt of session 45: a manifest saved with to_csv() (index=True, the default) carried
    # an 'Unnamed: 0' identity column of row numbers into every output row
    from emofeat.datasets import load_ravdess

    manifest = load_ravdess(shared_path("speech", "ravdess")).head(4)
    manifest.to_csv(tmp_path / "with_index.csv")
    assert (tmp_path / "with_index.csv").read_text(encoding="utf-8").startswith(",path,")
    read = load_manifest(tmp_path / "with_index.csv")
    assert list(read.columns) == list(manifest.columns)
    isear = load_isear(_isear()).head(5)
    isear.to_csv(tmp_path / "texts.csv")
    assert main(["extract", "--set", "lexicon", str(tmp_path / "texts.csv"), "-o",
                 str(tmp_path / "t.parquet"), "-q"]) == 0, capsys.readouterr().err
    assert "Unnamed: 0" not in read_table(tmp_path / "t.parquet").index.columns
    # a first column of other values stays a column (a filtered or sorted frame's index
    # too, with a warning: tests/test_manifest_index46.py)
    other = isear.set_axis([5, 6, 7, 8, 9])
    other.to_csv(tmp_path / "numbered.csv")
    with pytest.warns(UserWarning, match="its first column has no name"):
        assert "Unnamed: 0" in load_manifest_columns(tmp_path / "numbered.csv")


def load_manifest_columns(path):
    import pandas as pd

    from emofeat.datasets import _tidy_header

    return list(_tidy_header(pd.read_csv(path), path).columns)
