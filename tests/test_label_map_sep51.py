"""``map_labels`` and ``apply_label_map`` read label sets written as text with the separator
the user gives (``sep=","``: ``"anger,annoyance"``), as ``evaluate(..., label_sep=...)``
and ``emofeat evaluate --label-sep`` read a multi-label target.

Session 51, helper D: GoEmotions' dev split with its label sets joined by ``","`` (the form
of the release's own ``label_ids`` column, and of any CSV a user writes with
``",".join``): ``apply_label_map(table, "labels", "ekman", corpus="goemotions")`` looked
each joined cell up whole, dropped the 878 rows of two labels or more with a count only, and
without ``corpus`` refused "no shipped mapping covers the labels"; there was no way to name
the separator.

The reference is the release's ``ekman/dev.tsv`` (each dev row's labels mapped through
``ekman_mapping.json``): exact equality of every row's label set, no tolerance.
"""

from __future__ import annotations

import warnings

import numpy as np
import pytest
from emofeat.classifiers import apply_label_map, map_labels
from test_classifiers_label_sets50 import _release_ekman, dev  # noqa: F401 (a fixture)

from emofeat.table import FeatureTable


@pytest.mark.parametrize("sep", [",", ";", " | "])
@pytest.mark.parametrize("corpus", [None, "goemotions"])
def test_apply_label_map_reads_sets_joined_by_sep(dev, sep, corpus):  # noqa: F811
    root, manifest = dev
    joined = manifest["labels"].map(sep.join)
    assert (joined.str.contains(sep, regex=False)).sum() > 800  # sets of two labels or more
    table = FeatureTable(X=np.zeros((len(manifest), 1)), feature_names=["x"],
                         index=manifest.assign(labels=joined).reset_index(drop=True))
    mapped, dropped = apply_label_map(table, "labels", "ekman", corpus=corpus, sep=sep)
    reference = _release_ekman(root)
    assert dropped == 0 and len(mapped) == len(reference) == 5426
    got = dict(zip(mapped.index["comment_id"], mapped.index["labels"], strict=True))
    # written back in the user's form: text joined by the same separator, each label once
    assert all(isinstance(v, str) for v in got.values())
    sets = {c: v.split(sep) for c, v in got.items()}
    assert all(len(set(v)) == len(v) for v in sets.values())
    wrong = [(c, sorted(ref), got[c]) for c, ref in reference.items() if set(sets[c]) != ref]
    assert not wrong, f"{len(wrong)} rows differ from ekman/dev.tsv, e.g. {wrong[:3]}"


def test_map_labels_with_sep_as_evaluate_reads_label_sep(dev):  # noqa: F811
    """Each cell's mapped set equals that of the tuples load_goemotions reads (the form
    map_labels already mapped), and blank, missing and written-set cells are read as
    evaluate's multi-label target reads them."""
    _, manifest = dev
    from_tuples = map_labels(manifest["labels"], "ekman")
    from_text = map_labels(manifest["labels"].map(",".join), "ekman", sep=",")
    assert [set(t) for t in from_tuples] == [set(s.split(",")) for s in from_text]
    got = map_labels(["anger,annoyance", " joy , love ", "", None, "pride,neutral",
                      "('fear', 'nervousness')"], "ekman", corpus="goemotions", sep=",")
    assert got.tolist() == ["anger", "joy", "", None, "joy,neutral", ("fear",)]
    # without sep a text cell stays one label, as before (a class is never split)
    assert map_labels(["anger,annoyance"], {"anger,annoyance": "x"}).tolist() == ["x"]


def test_joined_sets_without_sep_name_it(dev):  # noqa: F811
    """Without ``sep`` (and without the corpus) the refusal said to evaluate them with
    task='multilabel', and nothing of the separator map_labels now takes."""
    _, manifest = dev
    with pytest.raises(ValueError, match=r"look like label sets joined by ','.*"
                                         r"map_labels and apply_label_map read them with "
                                         r"sep=','"):
        map_labels(manifest["labels"].map(",".join), "ekman")


def test_joined_sets_with_the_corpus_named_and_no_sep_are_said(dev):  # noqa: F811
    """Review of 9eca788: with ``corpus="goemotions"`` and no ``sep`` the 878 joined rows of
    the dev split were dropped with a count only. They are still dropped (the corpus named,
    a text cell is one label; the CLI's note names --multilabel), now with a warning naming
    ``sep=','`` and the count of such rows: those of two labels or more in the release's
    own label lists (the reference), exactly; with ``sep=','`` none is dropped (above)."""
    _, manifest = dev
    joined = manifest["labels"].map(",".join)
    n_sets = int((manifest["labels"].map(len) >= 2).sum())
    assert n_sets == 878
    table = FeatureTable(X=np.zeros((len(manifest), 1)), feature_names=["x"],
                         index=manifest.assign(labels=joined).reset_index(drop=True))
    with pytest.warns(UserWarning, match=rf"dropped {n_sets} rows whose labels are label "
                                         r"sets joined by ','.*give sep=','"):
        _, dropped = apply_label_map(table, "labels", "ekman", corpus="goemotions")
    assert dropped == n_sets
    # one label per cell: nothing dropped, nothing said
    single = table.select(rows=np.flatnonzero((manifest["labels"].map(len) == 1).to_numpy()))
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert apply_label_map(single, "labels", "ekman", corpus="goemotions")[1] == 0


@pytest.mark.parametrize("sep, error, words", [("", ValueError, r"sep='' separates nothing"),
                                               (1, TypeError, r"sep must be a string")])
def test_an_empty_or_non_text_sep_is_named(sep, error, words):
    # Python's own "empty separator" from str.split named neither sep nor a way out
    with pytest.raises(error, match=words):
        map_labels(["anger,annoyance"], "ekman", corpus="goemotions", sep=sep)
