"""Per-group figures from counts (hunt of session 46): equal to the metrics of each group's
rows, as scikit-learn computes them, on real predictions; and no longer one sklearn call per
group (docs/text.md's GoEmotions evaluation, each of 43,410 comments its own group, took 11.5
minutes, 90 % of it scoring one-row groups)."""

from __future__ import annotations

import numpy as np
import pytest
from conftest import shared_path
from emofeat.classifiers import evaluate
from emofeat.classifiers import metrics as M


@pytest.fixture(scope="module")
def emodb_result(emodb_mfcc):
    return evaluate(emodb_mfcc, "emotion", "speaker", "logreg")


def test_per_speaker_figures_equal_sklearns_on_each_speakers_rows(emodb_result):
    pred = emodb_result.predictions
    assert len(emodb_result.per_group) == 10
    for row in emodb_result.per_group.itertuples():
        rows = pred[pred["group"] == row.group]
        want = M.classification_scores(rows["true"].astype(str), rows["pred"].astype(str))
        assert row.n == len(rows)
        for k, v in want.items():
            assert getattr(row, k) == pytest.approx(v, rel=0, abs=1e-12), (row.group, k)


@pytest.mark.parametrize("groups", ["speaker", "one row each", "two rows each"])
def test_grouped_classification_scores_equal_the_metrics_per_group(emodb_result, groups):
    pred = emodb_result.predictions
    y, p = pred["true"].astype(str).to_numpy(), pred["pred"].astype(str).to_numpy()
    g = {"speaker": pred["group"].astype(str).to_numpy(),
         "one row each": np.arange(len(y)).astype(str),
         "two rows each": (np.arange(len(y)) // 2).astype(str)}[groups]
    names, got = M._grouped_classification_scores(y, p, g)
    for i, name in enumerate(names[:200]):
        m = g == name
        for k, v in M.classification_scores(y[m], p[m]).items():
            assert got[k][i] == pytest.approx(v, rel=0, abs=1e-12), (name, k)


def test_grouped_multilabel_scores_equal_the_metrics_per_group():
    # GoEmotions' dev split, its real label sets against a shifted copy as predictions
    from emofeat.datasets import load_goemotions

    frame = load_goemotions(shared_path("text", "goemotions"), split="dev").head(600)
    labels = sorted({lab for s in frame["labels"] for lab in s})
    Y = np.array([[lab in s for lab in labels] for s in frame["labels"]], dtype=int)
    P = np.roll(Y, 1, axis=0) | np.roll(Y, 2, axis=1)
    for g in (np.arange(len(Y)) // 7, np.arange(len(Y)), np.arange(len(Y)) % 3):
        names, got = M._grouped_multilabel_scores(Y, P, g)
        for i, name in enumerate(names[:150]):
            m = g == name
            for k, v in M.multilabel_scores(Y[m], P[m]).items():
                assert got[k][i] == pytest.approx(v, rel=0, abs=1e-12), (name, k)
