"""Per-speaker standardisation takes a speaker's statistics over all its rows, those a label
map leaves out included, in evaluate, train and evaluate_cross_corpus alike.

Session 52, helper A, on EmoDB's 535 files (``mfcc`` functionals), ``label_map='ekman'``
(boredom, 81 rows, maps to nothing): ``evaluate`` standardised a held-out speaker over the
454 rows the map keeps, so its statistics depended on the test labels, while
``TrainedModel.predict`` of that speaker's recordings standardises over all of them (UAR
0.764 against 0.783). Reference: scikit-learn alone, each speaker's rows z-scored by a
``StandardScaler`` fitted on all its 535-row share, then the named model's imputer, scaler
and SVC on the kept rows, leave one speaker out: every prediction equal (exact; the
figures are then equal to machine precision, compared at 1e-12).
"""

from __future__ import annotations

import warnings

import numpy as np
import pytest
from emofeat.classifiers import (
    evaluate,
    evaluate_cross_corpus,
    make_classifier,
    map_labels,
    train,
)
from sklearn.base import clone
from sklearn.preprocessing import StandardScaler


def _by_speaker(X, speakers):
    """Each speaker's rows z-scored over all its rows (scikit-learn's StandardScaler)."""
    Z = np.empty_like(X)
    for s in np.unique(speakers):
        rows = speakers == s
        Z[rows] = StandardScaler().fit_transform(X[rows])
    return Z


def _reference(table):
    y = map_labels(table.index["emotion"].astype(str), "ekman", corpus="emodb")
    keep = y.notna().to_numpy() & (y.astype(str) != "None").to_numpy()
    sp = table.index["speaker"].astype(str).to_numpy()
    Z = _by_speaker(np.asarray(table.X, dtype=np.float64), sp)
    rest = make_classifier("svm", standardize="group", random_state=0)[1:]
    pred = np.empty(len(sp), dtype=object)
    for s in np.unique(sp):
        tr, te = (sp != s) & keep, (sp == s) & keep
        pred[te] = clone(rest).fit(Z[tr], y[tr].astype(str)).predict(Z[te])
    return keep, pred


def test_evaluate_standardises_a_speaker_over_all_its_rows(emodb_mfcc):
    keep, ref = _reference(emodb_mfcc)
    assert keep.sum() == 454  # boredom left out
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        res = evaluate(emodb_mfcc, "emotion", "speaker", "svm", "loso", standardize="group",
                       label_map="ekman", random_state=0)
    got = res.predictions.set_index("row")["pred"].astype(str)
    want = ref[got.index.to_numpy()].astype(str)
    assert (got.to_numpy() == want).all(), f"{(got.to_numpy() != want).sum()} rows differ"


def test_train_predict_and_evaluate_agree_on_a_held_out_speaker(emodb_mfcc):
    sp = emodb_mfcc.index["speaker"].astype(str).to_numpy()
    held = "03"
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        res = evaluate(emodb_mfcc, "emotion", "speaker", "svm", "loso", standardize="group",
                       label_map="ekman", random_state=0)
        model = train(emodb_mfcc.select(rows=np.flatnonzero(sp != held)), "emotion",
                      groups="speaker", model="svm", standardize="group", label_map="ekman",
                      random_state=0)
        te = np.flatnonzero(sp == held)
        out = model.predict(emodb_mfcc.select(rows=te))
    by_row = dict(zip(te.tolist(), out["pred"].astype(str), strict=True))
    ours = res.predictions[res.predictions["speaker"].astype(str) == held]
    assert len(ours) > 0
    differ = sum(by_row[r] != p for r, p in zip(ours["row"], ours["pred"].astype(str),
                                                strict=True))
    assert differ == 0, f"{differ} of {len(ours)} predictions differ"


def test_cross_corpus_standardises_each_speaker_over_all_its_rows(emodb_mfcc):
    sp = emodb_mfcc.index["speaker"].astype(str).to_numpy()
    first = np.isin(sp, ["03", "08", "09", "10", "11"])
    a, b = (emodb_mfcc.select(rows=np.flatnonzero(m)) for m in (first, ~first))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        res = evaluate_cross_corpus(a, b, "emotion", groups="speaker", model="svm",
                                    standardize="group", label_map="ekman", random_state=0)
    y = map_labels(emodb_mfcc.index["emotion"].astype(str), "ekman", corpus="emodb")
    keep = y.notna().to_numpy() & (y.astype(str) != "None").to_numpy()
    Z = _by_speaker(np.asarray(emodb_mfcc.X, dtype=np.float64), sp)
    rest = make_classifier("svm", standardize="group", random_state=0)[1:]
    ref = clone(rest).fit(Z[first & keep], y[first & keep].astype(str)).predict(
        Z[~first & keep])
    got = res.predictions["pred"].astype(str).to_numpy()
    assert len(got) == len(ref) and (got == ref).all(), f"{(got != ref).sum()} rows differ"


@pytest.mark.parametrize("where", ["first", "behind"])
def test_only_a_scaler_given_the_features_takes_further_rows(where):
    from emofeat.classifiers import GroupStandardScaler
    from emofeat.classifiers.models import scalers_see_features
    from sklearn.feature_selection import VarianceThreshold
    from sklearn.pipeline import make_pipeline
    from sklearn.svm import SVC

    steps = ([GroupStandardScaler(), SVC()] if where == "first"
             else [VarianceThreshold(), GroupStandardScaler(), SVC()])
    assert scalers_see_features(make_pipeline(*steps)) == (where == "first")


def test_a_scaler_that_cannot_take_the_unscored_rows_says_so(emodb_mfcc):
    """A GroupStandardScaler inside a ColumnTransformer receives its columns, not the table's,
    so the 81 boredom rows 'ekman' leaves out cannot join the speakers' statistics: a warning
    names them (exact count); the named model (scaler first) and the same nested model
    without a label map (nothing unscored) do not warn."""
    from emofeat.classifiers import GroupStandardScaler
    from sklearn.compose import ColumnTransformer
    from sklearn.pipeline import make_pipeline
    from sklearn.svm import SVC

    n = emodb_mfcc.X.shape[1]
    nested = make_pipeline(ColumnTransformer([("g", GroupStandardScaler(), list(range(n)))]),
                           SVC(class_weight="balanced"))
    said = "cannot join their groups' statistics"
    for model, label_map, warned in ((nested, "ekman", True), ("svm", "ekman", False),
                                     (nested, None, False)):
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            evaluate(emodb_mfcc, "emotion", "speaker", model, "loso",
                     standardize="group" if model == "svm" else None, label_map=label_map)
        msgs = [str(w.message) for w in caught if said in str(w.message)]
        assert bool(msgs) == warned, (label_map, warned, msgs)
        assert all("81 rows of the table" in m for m in msgs), msgs
