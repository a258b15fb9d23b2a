"""Metrics equal sklearn's where sklearn has them; the others match hand-computed values."""

from __future__ import annotations

import numpy as np
import pytest
from emofeat.classifiers import metrics as M
from sklearn import metrics as skm


@pytest.fixture
def labels():
    rng = np.random.default_rng(1)
    classes = np.array(["anger", "joy", "neutral", "sadness"])
    y = classes[rng.integers(0, 4, 200)]
    p = np.where(rng.random(200) < 0.6, y, classes[rng.integers(0, 4, 200)])
    return y, p


def test_single_label_metrics_equal_sklearn(labels):
    y, p = labels
    assert M.unweighted_average_recall(y, p) == pytest.approx(skm.balanced_accuracy_score(y, p))
    assert M.unweighted_average_recall(y, p) == pytest.approx(
        skm.recall_score(y, p, average="macro"))
    assert M.weighted_accuracy(y, p) == pytest.approx(skm.accuracy_score(y, p))
    assert M.macro_f1(y, p) == pytest.approx(skm.f1_score(y, p, average="macro"))
    assert M.weighted_f1(y, p) == pytest.approx(skm.f1_score(y, p, average="weighted"))
    rec = M.per_class_recall(y, p)
    assert np.allclose(rec.to_numpy(), skm.recall_score(y, p, average=None, labels=rec.index))
    cm = M.normalized_confusion(y, p)
    assert np.allclose(np.diag(cm), rec.to_numpy())
    assert np.allclose(cm.sum(axis=1), 1)


def test_multilabel_metrics_equal_sklearn():
    rng = np.random.default_rng(2)
    Y = rng.random((50, 6)) < 0.3
    P = np.where(rng.random((50, 6)) < 0.7, Y, ~Y)
    s = M.multilabel_scores(Y, P)
    assert s["micro_f1"] == pytest.approx(skm.f1_score(Y, P, average="micro"))
    assert s["macro_f1"] == pytest.approx(skm.f1_score(Y, P, average="macro", zero_division=0))
    assert s["hamming_loss"] == pytest.approx(skm.hamming_loss(Y, P))
    assert s["jaccard"] == pytest.approx(
        skm.jaccard_score(Y, P, average="samples", zero_division=1))


def test_regression_metrics():
    rng = np.random.default_rng(3)
    t = rng.normal(size=100)
    p = 0.5 * t + rng.normal(scale=0.5, size=100) + 0.2
    assert M.rmse(t, p) == pytest.approx(np.sqrt(skm.mean_squared_error(t, p)))
    assert M.pearson(t, p) == pytest.approx(np.corrcoef(t, p)[0, 1])
    # CCC by its definition, and its known special cases
    ccc = 2 * np.cov(t, p, bias=True)[0, 1] / (t.var() + p.var() + (t.mean() - p.mean()) ** 2)
    assert M.concordance_correlation(t, p) == pytest.approx(ccc)
    assert M.concordance_correlation(t, t) == pytest.approx(1.0)
    c = t - t.mean()
    assert M.concordance_correlation(c, -c) == pytest.approx(-1.0)
    # a shifted copy is perfectly correlated but not concordant
    assert M.pearson(t, t + 1) == pytest.approx(1.0)
    assert M.concordance_correlation(t, t + 1) < 0.7


def test_ordinal_metrics():
    y = np.array([1, 2, 3, 4, 5])
    assert M.off_by_one_accuracy(y, [1, 3, 5, 4, 1]) == pytest.approx(3 / 5)
    classes = np.array([1, 2, 3, 4, 5])
    proba = np.eye(5)[[0, 2, 0, 0, 4]] + 0.1 * np.eye(5)[[1, 1, 1, 3, 0]]
    # top-2 of each row: {1,2}, {3,2}, {1,2}, {1,4}, {5,1}: row 2 (true 3) misses
    assert M.top2_hit_rate(y, proba, classes) == pytest.approx(4 / 5)
    assert M.top2_hit_rate(y, proba, classes) == pytest.approx(
        skm.top_k_accuracy_score(y, proba, k=2, labels=classes))
    # sequences: trial a = rows 0-1 (2 hits of 2), trial b = rows 2-4 (2 of 3)
    seq = ["a", "a", "b", "b", "b"]
    assert M.sequential_top2_hit_rate(y, proba, classes, seq) == pytest.approx((1 + 2 / 3) / 2)
    # one window per trial: equal to the plain top-2 hit rate
    assert M.sequential_top2_hit_rate(y, proba, classes, np.arange(5)) == pytest.approx(0.8)
