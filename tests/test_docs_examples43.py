"""What the documentation's examples promise, run as a user runs them (session 43).

docs/text.md evaluates GoEmotions label sets from a CSV made by ``load_goemotions(...)
.to_csv(...)``; pandas writes each tuple of labels as its repr, ``"('approval', 'neutral')"``,
which a split on ``,`` turned into the labels ``"('approval'"`` and ``"'neutral')"``: figures
of made-up labels, no error.
"""

from __future__ import annotations

import contextlib
import io
import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from emofeat.classifiers import evaluate
from emofeat.classifiers.validation import infer_task, prepare

from emofeat.datasets import load_goemotions
from emofeat.table import FeatureTable


def _goemotions_table(labels: pd.Series) -> FeatureTable:
    sample = load_goemotions()  # the bundled 600 comments: no shared data needed
    # features need not mean anything here: the labels are what is checked
    X = np.random.default_rng(0).standard_normal((len(sample), 4))
    df = pd.DataFrame(X, columns=[f"f{i}" for i in range(4)])
    df.insert(0, "labels", labels.to_numpy())
    df.insert(0, "comment_id", sample["comment_id"].to_numpy())
    return FeatureTable.from_pandas(df, [f"f{i}" for i in range(4)])


def test_label_sets_written_to_csv_by_pandas_read_back_as_sets():
    sample = load_goemotions()
    buf = io.StringIO()
    sample.to_csv(buf, index=False)
    from_csv = pd.read_csv(io.StringIO(buf.getvalue()))["labels"]
    assert from_csv[2] == "('disapproval', 'realization')", "pandas wrote the tuple's repr"

    want = prepare(_goemotions_table(sample["labels"].str.join(",")), "labels",
                   task="multilabel")
    got = prepare(_goemotions_table(from_csv), "labels", task="multilabel")
    assert got.classes == want.classes
    np.testing.assert_array_equal(got.y, want.y)
    assert got.classes == sorted({lab for labs in sample["labels"] for lab in labs})
    # a list written by pandas, and the one-label tuple's trailing comma
    two = prepare(_goemotions_table(pd.Series(["['joy', 'anger']", "('joy',)"] * 300)),
                  "labels", task="multilabel")
    assert two.classes == ["anger", "joy"]
    np.testing.assert_array_equal(two.y[:2], [[1, 1], [0, 1]])


def test_the_text_md_goemotions_example_evaluates_the_label_sets():
    # docs/text.md: the CSV as load_goemotions(...).to_csv writes it, --multilabel,
    # --label-map ekman --corpus goemotions; the figures are those of the label sets
    sample = load_goemotions()
    buf = io.StringIO()
    sample.to_csv(buf, index=False)
    from_csv = pd.read_csv(io.StringIO(buf.getvalue()))["labels"]
    kw = dict(target="labels", groups="comment_id", model="logreg", protocol="group_kfold",
              task="multilabel", label_map="ekman", corpus="goemotions", n_splits=3)
    ref = evaluate(_goemotions_table(sample["labels"].str.join(",")), **kw)
    res = evaluate(_goemotions_table(from_csv), **kw)
    assert list(res.per_class["label"]) == list(ref.per_class["label"])
    assert res.scores == ref.scores


def test_text_that_only_looks_like_a_tuple_is_split_as_before():
    # "(none)", "(a,b" and "('a')" (a string, not a tuple) are no label sets written by
    # Python: split on the separator, as before
    cells = pd.Series(["(none),joy", "joy", "(a,b", "('a')"] * 150)
    got = prepare(_goemotions_table(cells), "labels", task="multilabel")
    assert got.classes == ["('a')", "(a", "(none)", "b", "joy"]


def test_label_sets_read_from_arrays_printed_by_numpy_and_only_with_the_comma():
    """Review of ebcd3fa: a column of label lists read from parquet or Arrow holds NumPy
    arrays, which ``to_csv`` writes as ``"['joy' 'anger']"``: Python joins adjacent string
    literals, so the cell became the one made-up label ``'joyanger'``. It is the set of its
    labels now (and a tuple of adjacent literals is no set: split as before). With another
    separator than the comma these forms are not read, so one column is read one way."""
    sample = load_goemotions()
    arrays = pd.Series([np.asarray(v) for v in sample["labels"]])
    buf = io.StringIO()
    pd.DataFrame({"labels": arrays}).to_csv(buf, index=False)
    from_csv = pd.read_csv(io.StringIO(buf.getvalue()))["labels"]
    assert from_csv[2] == "['disapproval' 'realization']", "pandas wrote the array's str"
    got = prepare(_goemotions_table(from_csv), "labels", task="multilabel")
    want = prepare(_goemotions_table(pd.Series([list(v) for v in sample["labels"]])),
                   "labels", task="multilabel")
    assert got.classes == want.classes
    np.testing.assert_array_equal(got.y, want.y)
    cells = pd.Series(["('joy' 'anger')", "(1,2);(3,4)", "(1,2)", "{'joy', 'love'}"] * 150)
    by_semicolon = prepare(_goemotions_table(cells), "labels", task="multilabel",
                           label_sep=";")
    assert by_semicolon.classes == ["('joy' 'anger')", "(1,2)", "(3,4)", "{'joy', 'love'}"]
    by_comma = prepare(_goemotions_table(cells), "labels", task="multilabel")
    assert by_comma.classes == ["('joy' 'anger')", "(1", "1", "2", "2);(3", "4)", "joy", "love"]



def test_label_sets_written_by_pandas_are_detected_with_task_auto():
    """Session 44: with ``task="auto"`` (no ``--multilabel``) a CSV of label tuples written by
    pandas was read as one class per distinct set (``"('approval', 'neutral')"`` a class of its
    own), figures without a word. A column whose every given cell is such a set, of different
    sizes, is multi-label now; one cell of plain text keeps the column single-label."""
    from emofeat.classifiers import DataError, train

    sample = load_goemotions()
    buf = io.StringIO()
    sample.to_csv(buf, index=False)
    from_csv = pd.read_csv(io.StringIO(buf.getvalue()))["labels"]
    from_csv[5] = None  # a missing cell does not decide
    want = prepare(_goemotions_table(from_csv), "labels", task="multilabel")
    got = prepare(_goemotions_table(from_csv), "labels")
    assert got.task == "multilabel"
    assert got.classes == want.classes
    np.testing.assert_array_equal(got.y, want.y)
    kw = dict(target="labels", groups="comment_id", model="logreg", protocol="group_kfold",
              label_map="ekman", corpus="goemotions", n_splits=3)
    assert (evaluate(_goemotions_table(from_csv), **kw).scores
            == evaluate(_goemotions_table(from_csv), task="multilabel", **kw).scores)
    with pytest.raises(DataError, match="holds label sets"):
        train(_goemotions_table(from_csv), "labels", model="logreg")

    mixed = from_csv.copy()
    mixed[7] = "neutral"  # plain text among the sets: classes, as before
    assert infer_task(mixed) == infer_task(mixed.astype(object)) == "classification"
    # names that only look like sets are classes
    looks = pd.Series(["(none)", "[n/a]", "(a,b"] * 200)
    assert prepare(_goemotions_table(looks), "labels").task == "classification"
    assert infer_task(from_csv.astype(object)) == "multilabel"
    numbers = pd.Series(["[1]", "[2, 3]", "(3,)"] * 200)
    assert prepare(_goemotions_table(numbers), "labels").classes == ["1", "2", "3"]


def test_tuples_of_one_size_stay_classes_and_two_labels_or_more_are_said():
    """Review of 3e1dc9b: classes coded as tuples of one size (a valence/arousal quadrant
    ``('high', 'low')``, where ``('low', 'high')`` is another class; ``pd.cut`` bins
    ``"[0, 5]"``) were read as label sets, quadrants merged without a word; and a GoEmotions
    column of single-label rows (``"('joy',)"``), trainable before, was refused by train().
    Sets all of one size stay classes; two labels or more a cell, a warning says how to read
    them as sets."""
    from emofeat.classifiers import train

    quadrants = [("high", "low"), ("low", "high"), ("high", "high"), ("low", "low")]
    buf = io.StringIO()
    pd.DataFrame({"q": quadrants * 150}).to_csv(buf, index=False)
    cells = pd.read_csv(io.StringIO(buf.getvalue()))["q"]
    assert cells[0] == "('high', 'low')"
    assert infer_task(cells) == "classification"
    with pytest.warns(UserWarning, match=r"2 labels as Python writes it \(e\.g\. \"\('high', "
                      r"'low'\)\"\).*task='multilabel'"):
        prep = prepare(_goemotions_table(cells), "labels")
    assert prep.task == "classification" and len(np.unique(prep.y)) == 4
    # asked for, they are sets
    assert prepare(_goemotions_table(cells), "labels", task="multilabel").classes == [
        "high", "low"]
    # an empty tuple is no size: one-label tuples with some "()" are classes, "()" a row
    # without one (review 3 of 03350d4: read as label sets, the empty rows all-zero negatives)
    some_empty = pd.Series(["('joy',)", "('anger',)", "()", "['sad']"] * 150)
    prep = prepare(_goemotions_table(some_empty), "labels")
    assert prep.task == "classification" and set(prep.y) == {"joy", "anger", "sad"}
    assert prep.dropped == 150
    # and pairs beside an empty tuple are still said
    with pytest.warns(UserWarning, match="2 labels"):
        prepare(_goemotions_table(pd.Series(["()", "('a', 'b')", "('b', 'a')"] * 200)),
                "labels")
    # read as classes, the tuples are no label a map knows: the refusal says why (review 3:
    # "no rows left: every 'labels' value is missing or unmapped")
    from emofeat.classifiers import DataError

    prim = pd.Series(["('joy', '')", "('anger', 'fear')", "('sadness', '')"] * 200)
    with pytest.warns(UserWarning, match="2 labels"), pytest.raises(
            DataError, match=r"tuples of 2 labels read as classes.*task='multilabel'"):
        prepare(_goemotions_table(prim), "labels", label_map="ekman", corpus="goemotions")
    # an empty part is a part: ("joy", "") is a tuple of two as ("joy", "anger") is (review
    # of 03350d4: dropped first, it made the sizes differ and the column label sets)
    buf = io.StringIO()
    pd.DataFrame({"q": [("joy", "anger"), ("joy", ""), ("sad", "anger")] * 200}).to_csv(
        buf, index=False)
    pairs = pd.read_csv(io.StringIO(buf.getvalue()))["q"]
    assert infer_task(pairs) == "classification"
    with pytest.warns(UserWarning, match="2 labels"):
        assert prepare(_goemotions_table(pairs), "labels").task == "classification"

    sample = load_goemotions()
    single = sample[sample["labels"].map(len) == 1].reset_index(drop=True)
    buf = io.StringIO()
    single.to_csv(buf, index=False)
    ones = pd.read_csv(io.StringIO(buf.getvalue()))["labels"]
    assert ones[0].endswith(",)")
    table = _goemotions_table(pd.concat([ones] * 3, ignore_index=True).head(600))
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("error")  # one label a cell: nothing to say
        prep = prepare(table, "labels", min_class_size=1)
    # the classes are the labels (review of 03350d4: "('joy',)", which no label map knew)
    assert prep.task == "classification"
    assert set(prep.y) == {labs[0] for labs in single["labels"]}
    mapped = prepare(table, "labels", min_class_size=1, label_map="ekman", corpus="goemotions")
    assert set(mapped.y) <= {"anger", "disgust", "fear", "joy", "sadness", "surprise",
                             "neutral"} and len(set(mapped.y)) > 3
    counts = table.index["labels"].value_counts()
    keep = table.index["labels"].isin(counts[counts >= 2].index).to_numpy()
    kept = FeatureTable(X=table.X[keep], feature_names=table.feature_names,
                        index=table.index[keep].reset_index(drop=True),
                        provenance=table.provenance)
    assert train(kept, "labels", model="logreg") is not None


# --- the getting-started examples run as written -----------------------------------------

DOCS = Path(__file__).resolve().parents[1] / "docs"
# an HTML comment before a fence: invisible on GitHub and in the built site
_MARKED = re.compile(r"^<!-- example: (run|output)\b.*?-->\n```(\w+)\n(.*?)^```$",
                     re.MULTILINE | re.DOTALL)


def _marked_blocks(page: str) -> list[tuple[str, str]]:
    return [(kind, code) for kind, _lang, code in _MARKED.findall((DOCS / page).read_text())]


def test_getting_started_python_examples_run_and_print_what_the_page_says(tmp_path,
                                                                          monkeypatch):
    # The bundled sample only (no ../shared/data): 240 files of MFCC and a 4-fold SVM
    blocks = _marked_blocks("getting_started.md")
    runs = [code for kind, code in blocks if kind == "run"]
    said = [code.strip() for kind, code in blocks if kind == "output"]
    assert len(runs) >= 2 and len(said) == 1, "the page's example markers are gone"
    # a marker the pattern misses (a blank line after it, a fence without a language) would
    # leave its block unrun without a word
    markers = (DOCS / "getting_started.md").read_text().count("<!-- example:")
    assert markers == len(blocks), f"{markers} markers, {len(blocks)} blocks found after them"
    monkeypatch.chdir(tmp_path)  # the examples write sample_mfcc.parquet and report/
    out = io.StringIO()
    namespace: dict = {}
    with contextlib.redirect_stdout(out):
        for i, code in enumerate(runs):
            exec(compile(code, f"getting_started.md example {i + 1}", "exec"), namespace)
    assert out.getvalue().strip() == said[0]
    assert (tmp_path / "sample_mfcc.parquet").is_file()
    assert (tmp_path / "report" / "report.md").is_file()
    # the last example's comment: (n_files, n_features), and tokens summarised per text
    assert namespace["X"].shape[0] == 2
