"""The SVM's ``pred`` and ``score_<class>`` as docs/classifiers.md describes them (session 51,
helper D): ``pred`` is scikit-learn's one-vs-one vote, a tie going to the class first in
``classes_`` order, while ``score_<class>`` is the one-vs-rest decision function, which can
rank another tied class first. Predictions are kept as sklearn makes them (``break_ties``
would move every published figure); this checks the documented rule.

Reference: the votes counted here from the fitted SVC's own pairwise decision values
(``decision_function_shape="ovo"``, libsvm's pair order: class i against j for i < j, a
positive value a vote for i), the definition of one-vs-one prediction. Exact label
equality, no tolerance.
"""

from __future__ import annotations

import itertools
import warnings

import numpy as np
from conftest import shared_path
from emofeat.classifiers import train

import emofeat
from emofeat.datasets import load_ravdess


def test_pred_is_the_first_class_of_most_votes_and_scores_rank_ties():
    """All 1,440 RAVDESS files (mfcc), the model of them predicting them: 3 rows tie."""
    table = emofeat.extract(load_ravdess(shared_path("speech", "ravdess")), "mfcc", n_jobs=1)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        model = train(table, "emotion", groups="speaker", model="svm")
        pred = model.predict(table)
    est = model.estimator
    svc = est.steps[-1][1]
    classes = [str(c) for c in svc.classes_]
    Xt = est[:-1].transform(np.asarray(table.X, dtype=np.float64))
    svc_ovo = svc.set_params(decision_function_shape="ovo")
    pairs = svc_ovo.decision_function(Xt)
    votes = np.zeros((len(Xt), len(classes)), dtype=int)
    for col, (i, j) in enumerate(itertools.combinations(range(len(classes)), 2)):
        votes[:, i] += pairs[:, col] > 0
        votes[:, j] += pairs[:, col] <= 0
    first_of_most = np.array(classes)[np.argmax(votes, axis=1)]  # argmax: first of ties
    assert (pred["pred"].astype(str).to_numpy() == first_of_most).all()
    scores = pred[[f"score_{c}" for c in classes]].to_numpy()
    top = np.array(classes)[np.argmax(scores, axis=1)]
    tied = (votes == votes.max(axis=1, keepdims=True)).sum(axis=1) > 1
    # the score ranks the classes of most votes first, so it differs only on ties
    assert (np.floor(scores.max(axis=1) + 1 / 3) == votes.max(axis=1)).all()
    assert not (top != first_of_most)[~tied].any()
    # the documented case exists: tied rows whose highest score is another class
    assert (top != first_of_most)[tied].sum() >= 1
