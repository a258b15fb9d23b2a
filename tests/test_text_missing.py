"""Missing texts: ``None``, NaN and pandas' missing values (``pd.NA``, ``NaT``) are the empty
text everywhere a text is read (reader, transformer, CLI manifests), never the string "<NA>"
and never an error."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from emofeat.extractors import LexiconFeatures

from emofeat.cli import main
from emofeat.readers import TextReader, _as_text

pytest.importorskip("nltk", reason="text features need NLTK: pip install 'emofeat[text]'")

MISSING = [None, float("nan"), np.float64("nan"), pd.NA, pd.NaT, np.datetime64("NaT")]


@pytest.mark.parametrize("item", MISSING, ids=repr)
def test_reader_takes_missing_values_as_the_empty_text(item):
    reader = TextReader()
    reader.check_item(item, 0)  # no error
    assert _as_text(item) == ""
    assert reader.read(item, 3)[0].text == ""
    assert reader.key(item, 0) == reader.key("", 0)


def test_reader_still_refuses_other_non_texts():
    from emofeat.errors import SignalTypeError

    for item in (5, 2.5, [1, 2], {"a": 1}):
        with pytest.raises(SignalTypeError, match="<text 7>"):
            TextReader().check_item(item, 7)


def test_transformer_rows_of_missing_values_equal_the_empty_text():
    lf = LexiconFeatures().fit([])
    empty = lf.transform([""])
    X = lf.transform(MISSING + ["good"])
    np.testing.assert_array_equal(X[:-1], np.repeat(empty, len(MISSING), axis=0))
    np.testing.assert_array_equal(X[-1:], lf.transform(["good"]))


@pytest.mark.parametrize("dtype", ["string[python]", "string[pyarrow]", "object"])
def test_transformer_on_a_string_series_with_na(dtype):
    if dtype == "string[pyarrow]":
        pytest.importorskip("pyarrow")
    texts = ["I love it!!", None, "not good :(", "", "meh"]
    series = pd.Series(texts, dtype=dtype)
    assert series.isna().sum() == 1
    lf = LexiconFeatures().fit([])
    want = lf.transform(["" if t is None else t for t in texts])
    np.testing.assert_array_equal(lf.transform(series), want)
    np.testing.assert_array_equal(lf.transform(pd.DataFrame({"text": series})), want)


def test_cli_manifest_with_empty_cells(tmp_path):
    csv = tmp_path / "texts.csv"
    csv.write_text('text,label\n"I love it!!",joy\n,neutral\n"not good :(",sadness\n',
                   encoding="utf-8")  # one empty cell (two would be a duplicate text)
    out = tmp_path / "out.parquet"
    assert main(["extract", "--set", "lexicon", str(csv), "--input-column", "text", "-o",
                 str(out), "-q"]) == 0
    df = pd.read_parquet(out)
    lf = LexiconFeatures().fit([])
    names = list(lf.get_feature_names_out())
    assert len(df) == 3 and list(df["label"]) == ["joy", "neutral", "sadness"]
    want = lf.transform(["I love it!!", "", "not good :("])
    np.testing.assert_array_equal(df[names].to_numpy(), want)
    # the text column of the output holds the empty text, not "nan" or "<NA>"
    assert list(df["text"].fillna("")) == ["I love it!!", "", "not good :("]
