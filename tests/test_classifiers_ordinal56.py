"""Off-by-one accuracy of integer class codes that are no ratings (session 56, helper E,
leftover 1 of session 55).

``evaluate`` adds ``off_by_one`` (the share of predictions within one step of the truth) when
the class labels are whole numbers more than one step apart, since the values alone cannot
tell a 1-5 rating from integer codes of nominal classes. ISEAR's own emotion codes (column
``EMOT``: 1 joy, 2 fear, 3 anger, 4 sadness, 5 disgust, 6 shame, 7 guilt) are such codes: a
'sadness' predicted for 'anger' counted as near, a figure of no meaning, and nothing could
turn it off. ``evaluate(..., ordinal=False)`` now leaves it out (``ordinal=True`` requires
ratings); the default is as before, so that 1-5 self-assessments keep their figure.

Reference: the definition, off-by-one accuracy = mean(|pred - true| <= 1) over the held-out
predictions, computed here with numpy from ``res.predictions`` (exact: a share of counts);
the other figures do not depend on ``ordinal`` (UAR equal to scikit-learn's
``balanced_accuracy_score`` to 1e-12).
"""

from __future__ import annotations

import numpy as np
import pytest
from conftest import shared_path
from sklearn.metrics import balanced_accuracy_score

TOL = 1e-12  # UAR against scikit-learn's: the same counts, divided in another order


def _isear_codes(path) -> dict[str, int]:
    """ISEAR's emotion name (``Field1``) -> its code (``EMOT``), read from the file itself
    (the first 40 fields of a line are safe to split; the text may hold '|')."""
    pairs = set()
    with open(path, encoding="utf-8") as f:
        header = f.readline().split("|")
        emot, name = header.index("EMOT"), header.index("Field1")
        for line in f:
            fields = line.split("|")
            if len(fields) > 40:
                pairs.add((fields[name], int(fields[emot])))
    codes = dict(pairs)
    assert len(codes) == len(pairs) == 7  # one code per emotion
    return codes


@pytest.fixture(scope="module")
def isear_coded():
    """``text_surface`` of the ISEAR texts of 12 respondents, the target ``code`` ISEAR's
    integer emotion code."""
    import emofeat
    from emofeat.datasets import load_isear

    path = shared_path("text", "isear", "isear.csv")
    isear = load_isear(path)
    subjects = sorted(isear["subject"].unique(), key=str)[:12]
    few = isear[isear["subject"].isin(subjects)].reset_index(drop=True)
    few["code"] = few["emotion"].map(_isear_codes(path)).astype(int)
    return emofeat.extract(few, "text_surface", n_jobs=1)


def test_integer_codes_can_be_scored_without_off_by_one(isear_coded):
    from emofeat.classifiers import evaluate

    kw = dict(target="code", groups="subject", model="logreg", protocol="group_kfold",
              n_splits=3)
    auto = evaluate(isear_coded, **kw)
    codes = evaluate(isear_coded, **kw, ordinal=False)
    # the default is as before: whole numbers 1-7 read as ratings, by the definition
    t = auto.predictions["true"].astype(int).to_numpy()
    p = auto.predictions["pred"].astype(int).to_numpy()
    assert auto.settings["ordinal"] is True
    assert auto.scores["off_by_one"] == np.mean(np.abs(p - t) <= 1)
    # ordinal=False: no off-by-one figure anywhere, the others unchanged
    assert codes.settings["ordinal"] is False
    assert "off_by_one" not in codes.scores
    assert "off_by_one" not in codes.per_group.columns
    assert "off-by-one" not in codes.summary()
    assert abs(codes.uar - balanced_accuracy_score(t, p)) < TOL
    assert {k: v for k, v in auto.scores.items() if k != "off_by_one"} == codes.scores


def test_ordinal_true_needs_ratings(isear_coded):
    from emofeat.classifiers import DataError, evaluate

    kw = dict(groups="subject", model="logreg", protocol="group_kfold", n_splits=3)
    res = evaluate(isear_coded, "code", **kw, ordinal=True)
    assert "off_by_one" in res.scores
    # emotion names are no steps: asked for, the figure is refused, not left out unsaid
    with pytest.raises(DataError, match="whole numbers more than one step apart"):
        evaluate(isear_coded, "emotion", **kw, label_map=None, ordinal=True)
    with pytest.raises(TypeError, match="ordinal must be True, False or None"):
        evaluate(isear_coded, "code", **kw, ordinal="no")


def test_numpy_false_is_false(isear_coded):
    # np.False_ (a value read from an array or a config parsed by numpy) is no Python False:
    # `ordinal is False` missed it and the codes were scored off-by-one as with None
    # (helper E2, mend of abd5304)
    from emofeat.classifiers import evaluate

    kw = dict(target="code", groups="subject", model="logreg", protocol="group_kfold",
              n_splits=3)
    res = evaluate(isear_coded, **kw, ordinal=np.False_)
    assert res.settings["ordinal"] is False
    assert "off_by_one" not in res.scores and "off_by_one" not in res.per_group.columns
    assert evaluate(isear_coded, **kw, ordinal=np.True_).settings["ordinal"] is True


def test_cross_corpus_takes_ordinal(isear_coded):
    # evaluate_cross_corpus scored ISEAR's codes off-by-one with no way to say they are codes
    # (helper E2, mend of abd5304): ordinal= as in evaluate, settings["ordinal"] too
    from emofeat.classifiers import DataError, evaluate_cross_corpus

    subj = isear_coded.index["subject"].astype(str).to_numpy()
    first = np.isin(subj, sorted(set(subj))[:6])
    a, b = isear_coded.select(rows=first), isear_coded.select(rows=~first)
    kw = dict(target="code", model="logreg", label_map=None, groups="subject")
    auto = evaluate_cross_corpus(a, b, **kw)
    t = auto.predictions["true"].astype(int).to_numpy()
    p = auto.predictions["pred"].astype(int).to_numpy()
    assert auto.settings["ordinal"] is True
    assert auto.scores["off_by_one"] == np.mean(np.abs(p - t) <= 1)
    for off in (False, np.False_):
        codes = evaluate_cross_corpus(a, b, **kw, ordinal=off)
        assert codes.settings["ordinal"] is False
        assert "off_by_one" not in codes.scores
        assert "off_by_one" not in codes.per_group.columns
        assert "off-by-one" not in codes.summary()
        assert abs(codes.uar - balanced_accuracy_score(t, p)) < TOL
    with pytest.raises(DataError, match="whole numbers more than one step apart"):
        evaluate_cross_corpus(a, b, "emotion", model="logreg", label_map=None, ordinal=True)
    with pytest.raises(TypeError, match="ordinal must be True, False or None"):
        evaluate_cross_corpus(a, b, **kw, ordinal=0)
