"""A negator among the words of a matched lexicon phrase is a word of that phrase.

AFINN's phrases "can't stand", "not good", "does not work", "dont like" hold their negation
in their score. Until numbers version 2 of the ``lexicon`` set, the negator inside such a
phrase also opened a negation scope over the rest of the clause, so the words after the
phrase were flipped: the GoEmotions comment "Can't stand people who spam their terrible
youtube channels" scored AFINN +2 (-3, then "spam" and "terrible" flipped to +2 and +3),
against docs/text.md ("its 'not' negates nothing"). The expected sums are read from the
AFINN file the set loads, not typed in.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from emofeat.extractors import LexiconFeatures
from emofeat.extractors._lexicons import load_afinn

DATA = Path(__file__).resolve().parents[1].parent / "shared" / "data" / "text" / "goemotions"


def _afinn(texts, **params):
    lf = LexiconFeatures(lexicons=["afinn"], style=False, vader_sentences=False,
                         normalise="raw", **params)
    X = np.asarray(lf.fit_transform(texts))
    names = list(lf.get_feature_names_out())
    return {k: X[:, names.index(f"lexicon_afinn_{k}")] for k in ("sum", "n_pos", "n_neg")}


def _score(key):
    return load_afinn().entries[key]["score"]


def test_the_negator_of_a_phrase_negates_nothing_after_it():
    texts = ["not good deficiency", "does not work bad", "it does not work, bad",
             "dont like terrible", "not bad"]
    got = _afinn(texts)
    want = [_score("not good") + _score("deficiency"),
            _score("does not work") + _score("bad"),
            _score("does not work") + _score("bad"),
            _score("dont like") + _score("terrible"),
            -_score("bad")]  # a negator outside a phrase still flips
    assert got["sum"].tolist() == want
    assert got["n_pos"].tolist() == [0, 0, 0, 0, 1]


def test_a_negator_before_a_phrase_negates_it_and_the_scope_goes_on():
    # "never" opens the scope; the phrase's words are plain words of it
    got = _afinn(["never not good bad", "never does not work bad"], negation="flip")
    assert got["sum"].tolist() == [-_score("not good") - _score("bad"),
                                   -_score("does not work") - _score("bad")]
    # negation_scope=k counts the phrase's words: "not good" and "bad" are 3 tokens
    got = _afinn(["never not good bad", "never not good deficiency"], negation_scope=2)
    assert got["sum"].tolist() == [-_score("not good") + _score("bad"),
                                   -_score("not good") + _score("deficiency")]
    got = _afinn(["never not good bad"], negation="drop")
    assert got["sum"].tolist() == [0.0]


@pytest.mark.skipif(not (DATA / "train.tsv").is_file(),
                    reason="the GoEmotions corpus (../shared/data/text/goemotions) is absent")
def test_real_comments_with_a_negating_phrase():
    from emofeat.datasets import load_goemotions

    texts = set(load_goemotions(DATA, "train").text)
    real = ["Can't stand people who spam their terrible youtube channels",
            "180 is not good for checking enzyme deficiency which is what I am referring too."]
    assert set(real) <= texts
    got = _afinn(real)
    assert got["sum"].tolist() == [_score("can't stand") + _score("spam") + _score("terrible"),
                                   _score("not good") + _score("deficiency")]
    assert got["n_pos"].tolist() == [0, 0]
