"""Metrics the emotion-recognition literature reports."""

from __future__ import annotations

import numpy as np
from sklearn.metrics import accuracy_score, balanced_accuracy_score


def unweighted_average_recall(y_true, y_pred) -> float:
    """UAR: the mean of per-class recalls (= sklearn's balanced accuracy)."""
    return float(balanced_accuracy_score(y_true, y_pred))


def weighted_accuracy(y_true, y_pred) -> float:
    """WA: plain accuracy, i.e. recall weighted by class frequency."""
    return float(accuracy_score(np.asarray(y_true), np.asarray(y_pred)))
