"""Per-group standardisation of held-out rows whose group trained the fold's model (session 54,
helper A).

``evaluate(..., protocol="subject_dependent", standardize="group")`` z-scored the held-out
rows of a subject with the statistics of those held-out rows themselves, although the same
subject's training rows were at hand: a transductive use of the test fold (its mean depends
on which labels it holds). On the Muse windows, folds of whole recordings, a held-out
recording's own mean is its state, and UAR fell to 0.278 (3 states), below chance. Now a
group with training rows in the fold is standardised with their statistics
(``GroupStandardScaler(seen_groups="fit")``), in ``subject_dependent`` and ``trialwise``
folds. The reference is scikit-learn alone: a ``StandardScaler`` fitted on each subject's
training rows of the fold, applied to that subject's training and held-out rows, then the
named model's pipeline. Tolerance: every prediction equal (exact).
"""

from __future__ import annotations

import warnings

import numpy as np
import pytest
from emofeat.classifiers import evaluate, make_classifier
from emofeat.classifiers.protocols import split
from emofeat.classifiers.standardize import GroupStandardScaler
from sklearn.base import clone
from sklearn.preprocessing import StandardScaler

# the eeg_bands of the 24 Muse recordings in 4 s windows every 2 s (608 rows)
from test_classifiers_unscored_recordings53 import muse  # noqa: F401 (a fixture)


def _by_training_statistics(X, y, g, folds, model="svm"):
    """Held-out predictions of ``model`` with each group z-scored by a StandardScaler fitted
    on that group's training rows of the fold (scikit-learn alone)."""
    pred = np.empty(len(y), dtype=object)
    for fold in folds:
        tr, te = fold.train, fold.test
        Xtr, Xte = X[tr].copy(), X[te].copy()
        for grp in np.unique(g[tr]):
            scaler = StandardScaler().fit(X[tr][g[tr] == grp])
            Xtr[g[tr] == grp] = scaler.transform(X[tr][g[tr] == grp])
            if (g[te] == grp).any():
                Xte[g[te] == grp] = scaler.transform(X[te][g[te] == grp])
        # every held-out group trained (no group of its own statistics in these folds)
        assert np.isin(g[te], g[tr]).all()
        est = clone(make_classifier(model)).fit(Xtr, y[tr])
        pred[te] = est.predict(Xte)
    return pred


def _uar(y, pred):
    from sklearn.metrics import recall_score

    return recall_score(y, pred, average="macro")


def test_subject_dependent_emodb_uses_each_speakers_training_statistics(emodb_mfcc):
    table = emodb_mfcc
    y = table.index["emotion"].astype(str).to_numpy()
    g = table.index["speaker"].astype(str).to_numpy()
    res = evaluate(table, "emotion", "speaker", "svm", "subject_dependent",
                   standardize="group")
    folds = list(split("subject_dependent", y, g, n_splits=5, random_state=0))
    ref = _by_training_statistics(table.X, y, g, folds)
    # one prediction per row of the table, in its order
    assert (res.predictions["row"].to_numpy() == np.arange(len(y))).all()
    pred = res.predictions["pred"].astype(str).to_numpy()
    assert (pred == ref).all(), int((pred != ref).sum())
    # control: the held-out rows' own statistics (the behaviour before) give other
    # predictions, so this test can tell the two apart
    own = np.empty(len(y), dtype=object)
    for fold in folds:
        tr, te = fold.train, fold.test
        est = clone(make_classifier("svm")).fit(StandardScaler().fit_transform(table.X[tr]),
                                                y[tr])
        own[te] = est.predict(StandardScaler().fit_transform(table.X[te]))
    assert (own != ref).sum() > 5


def test_trialwise_and_subject_dependent_muse_recordings(muse):  # noqa: F811
    y = muse.index["state"].astype(str).to_numpy()
    g = muse.index["subject"].astype(str).to_numpy()
    t = muse.index["path"].astype(str).to_numpy()
    for protocol in ("subject_dependent", "trialwise"):
        with warnings.catch_warnings(record=True) as got:
            warnings.simplefilter("always")
            res = evaluate(muse, "state", "subject", "svm", protocol, trials="path",
                           standardize="group")
        # no held-out set is standardised with its own statistics now: nothing to warn of
        assert not [w for w in got if "of a single recording" in str(w.message)]
        folds = list(split(protocol, y, g, t, n_splits=5, random_state=0))
        ref = _by_training_statistics(muse.X, y, g, folds)
        assert (res.predictions["row"].to_numpy() == np.arange(len(y))).all()
        pred = res.predictions["pred"].astype(str).to_numpy()
        assert (pred == ref).all(), (protocol, int((pred != ref).sum()))
        # a held-out recording z-scored by its own mean lost its state: below chance (1/3)
        assert _uar(y, pred) > 0.5, protocol


def test_group_standard_scaler_seen_groups():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(40, 3)) + np.repeat([[0, 0, 0], [5, 5, 5]], 20, axis=0)
    g = np.repeat(["a", "b"], 20)
    fit = GroupStandardScaler(seen_groups="fit").fit(X[::2], groups=g[::2])
    own = GroupStandardScaler().fit(X[::2], groups=g[::2])
    held, gh = X[1::2], g[1::2]
    for grp in ("a", "b"):
        scaler = StandardScaler().fit(X[::2][g[::2] == grp])
        np.testing.assert_allclose(fit.transform(held, groups=gh)[gh == grp],
                                   scaler.transform(held[gh == grp]), rtol=1e-12)
        np.testing.assert_allclose(own.transform(held, groups=gh)[gh == grp],
                                   StandardScaler().fit_transform(held[gh == grp]),
                                   rtol=1e-12)
    # a group fit did not see takes its own statistics
    new = rng.normal(3, 2, size=(6, 3))
    np.testing.assert_allclose(fit.transform(new, groups=["c"] * 6),
                               StandardScaler().fit_transform(new), rtol=1e-12)
    # training rows are standardised alike either way
    np.testing.assert_allclose(fit.fit_transform(X, groups=g), own.fit_transform(X, groups=g))
    with pytest.raises(ValueError, match="seen_groups must be 'own' or 'fit'"):
        GroupStandardScaler(seen_groups="test").fit(X, groups=g)


def test_a_scaler_pickled_before_seen_groups_loads_as_own():
    # a model saved before the parameter existed has no seen_groups: it standardised every
    # group with its own statistics, and still does (get_params and clone work on it)
    import pickle

    rng = np.random.default_rng(1)
    X, g = rng.normal(size=(30, 2)), np.repeat(["a", "b", "c"], 10)
    old = GroupStandardScaler().fit(X[:20], groups=g[:20])
    del old.seen_groups
    back = pickle.loads(pickle.dumps(old))
    assert back.get_params()["seen_groups"] == "own"
    np.testing.assert_array_equal(back.transform(X, groups=g),
                                  GroupStandardScaler().fit(X[:20], groups=g[:20])
                                  .transform(X, groups=g))
    assert clone(back).seen_groups == "own"


def test_cross_corpus_test_speakers_take_their_own_statistics_whatever_their_ids(emodb_mfcc):
    # the test table's speakers are other people than the training table's even where an
    # id is in both (EmoDB's 03 and RAVDESS's actor 03): a scaler of the user's set to
    # seen_groups="fit" took a training speaker's statistics for the test speaker of the
    # same id. Reference: the same run with the default scaler (own statistics). Exact.
    from emofeat.classifiers import evaluate_cross_corpus

    spk = emodb_mfcc.index["speaker"].astype(str).to_numpy()
    first = np.isin(spk, ["03", "08", "09", "10", "11"])
    train_t, test_t = emodb_mfcc.select(rows=first), emodb_mfcc.select(rows=~first)
    test_t.index = test_t.index.copy()
    rename = dict(zip(["12", "13", "14", "15", "16"], ["03", "08", "09", "10", "11"],
                      strict=True))
    test_t.index["speaker"] = test_t.index["speaker"].astype(str).map(rename).to_numpy()
    assert set(test_t.index["speaker"]) == set(train_t.index["speaker"].astype(str))
    own = make_classifier("logreg", standardize="group")
    fit = make_classifier("logreg", standardize="group").set_params(
        group_std__seen_groups="fit")
    res = [evaluate_cross_corpus(train_t, test_t, "emotion", groups="speaker", model=m,
                                 label_map=None).predictions["pred"].astype(str).to_numpy()
           for m in (own, fit)]
    assert (res[0] == res[1]).all(), int((res[0] != res[1]).sum())
