"""Leakage-safe evaluation protocols over a :class:`~emofeat.table.FeatureTable`."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
from sklearn.base import clone
from sklearn.metrics import confusion_matrix, f1_score
from sklearn.model_selection import GroupKFold, LeaveOneGroupOut

from .metrics import unweighted_average_recall, weighted_accuracy
from .models import make_classifier

PROTOCOLS = ("loso", "group_kfold")


@dataclass
class EvaluationResult:
    """Pooled and per-fold figures of one evaluation, with its predictions.

    Attributes
    ----------
    uar, wa, macro_f1 : float
        Pooled over all held-out predictions.
    per_fold : DataFrame
        One row per fold: held-out groups, n, UAR, WA, macro-F1.
    per_group : DataFrame
        One row per group (speaker/subject): n, UAR, WA.
    predictions : DataFrame
        Row position, group, fold, true and predicted label.
    labels : list
        Class order of :attr:`confusion`.
    confusion : ndarray
        Pooled confusion matrix (rows true, columns predicted).
    """

    uar: float
    wa: float
    macro_f1: float
    per_fold: pd.DataFrame
    per_group: pd.DataFrame
    predictions: pd.DataFrame
    labels: list
    confusion: np.ndarray
    settings: dict[str, Any] = field(default_factory=dict)

    def summary(self) -> str:
        s = self.settings
        return (
            f"{s.get('model', '?')} | {s.get('protocol', '?')} by {s.get('groups', '?')} "
            f"({s.get('n_folds', '?')} folds, {len(self.predictions)} rows, "
            f"{len(self.labels)} classes): UAR {self.uar:.3f}  WA {self.wa:.3f}  "
            f"macro-F1 {self.macro_f1:.3f}"
        )


def evaluate(
    table,
    target: str,
    groups: str,
    model: Any = "svm",
    protocol: str = "loso",
    n_splits: int = 5,
    random_state: int = 0,
) -> EvaluationResult:
    """Speaker- or subject-independent evaluation of a classifier on a feature table.

    Parameters
    ----------
    table : FeatureTable
    target : str
        Identity column holding the labels (``emotion``).
    groups : str
        Identity column holding the speaker or subject; no group is ever on both sides of a
        split.
    model : str or sklearn estimator
        A name for :func:`make_classifier` or an estimator (cloned for each fold).
    protocol : {"loso", "group_kfold"}
        Leave one group out, or ``n_splits``-fold grouped cross-validation.
    """
    for col in (target, groups):
        if col not in table.index.columns:
            raise ValueError(
                f"no column {col!r} in the table; identity columns are {list(table.index.columns)}"
            )
    y = table.index[target].astype(str).to_numpy()
    g = table.index[groups].astype(str).to_numpy()
    n_groups = len(np.unique(g))
    if protocol == "loso":
        splitter = LeaveOneGroupOut()
    elif protocol == "group_kfold":
        splitter = GroupKFold(n_splits=n_splits)
    else:
        raise ValueError(f"protocol must be one of {PROTOCOLS}, got {protocol!r}")
    if n_groups < 2 or (protocol == "group_kfold" and n_groups < n_splits):
        raise ValueError(f"{protocol} needs more groups than the {n_groups} in column {groups!r}")
    if isinstance(model, str):
        estimator = make_classifier(model, random_state=random_state)
    else:
        estimator = model
    X = table.X
    pred = np.empty(len(y), dtype=object)
    fold_of = np.empty(len(y), dtype=int)
    folds = []
    for k, (train, test) in enumerate(splitter.split(X, y, g)):
        est = clone(estimator).fit(X[train], y[train])
        pred[test] = est.predict(X[test])
        fold_of[test] = k
        folds.append({
            "fold": k, "test_groups": ",".join(sorted(set(g[test]))), "n": len(test),
            "uar": unweighted_average_recall(y[test], pred[test]),
            "wa": weighted_accuracy(y[test], pred[test]),
            "macro_f1": float(f1_score(y[test], pred[test].astype(str), average="macro")),
        })
    pred = pred.astype(str)
    labels = sorted(np.unique(y))
    per_group = pd.DataFrame([
        {"group": grp, "n": int(m.sum()),
         "uar": unweighted_average_recall(y[m], pred[m]), "wa": weighted_accuracy(y[m], pred[m])}
        for grp in sorted(np.unique(g)) for m in [g == grp]
    ])
    return EvaluationResult(
        uar=unweighted_average_recall(y, pred),
        wa=weighted_accuracy(y, pred),
        macro_f1=float(f1_score(y, pred, average="macro")),
        per_fold=pd.DataFrame(folds),
        per_group=per_group,
        predictions=pd.DataFrame({"row": np.arange(len(y)), "group": g, "fold": fold_of,
                                  "true": y, "pred": pred}),
        labels=labels,
        confusion=confusion_matrix(y, pred, labels=labels),
        settings={"model": model if isinstance(model, str) else type(model).__name__,
                  "protocol": protocol, "target": target, "groups": groups,
                  "n_folds": len(folds), "random_state": random_state},
    )
