"""Reporting: held-out predictions in, an :class:`EvaluationResult` out.

Nothing here fits a model. The fold loop (:mod:`~emofeat.classifiers.fitting`) and, for
frame-level tables, the pooling (:mod:`~emofeat.classifiers.pooling`) produce one prediction
and one fold number per evaluated unit; this module turns them into the pooled, per-fold,
per-group and per-class figures and records the settings and library versions.
"""

from __future__ import annotations

import platform
from typing import Any

import numpy as np
import pandas as pd
import sklearn
from sklearn.metrics import confusion_matrix

from emofeat._natural import natural_key

from . import metrics as M
from .label_maps import labels_as
from .protocols import Fold, ProtocolError
from .result import EvaluationResult, join_group_ids, split_group_ids
from .validation import DataError, Prepared, keep_identity_columns

__all__ = ["build_result", "check_covered", "fold_row", "join_group_ids", "library_versions",
           "model_label", "ordinal_labels", "split_group_ids", "task_scores"]


def task_scores(task: str, y_true, y_pred) -> dict[str, float]:
    """The headline figures of ``task`` (see :func:`~emofeat.classifiers.metrics`)."""
    if task == "classification":
        return M.classification_scores(y_true, y_pred)
    if task == "multilabel":
        return M.multilabel_scores(y_true, y_pred)
    return M.regression_scores(y_true, y_pred)


def fold_row(k: int, fold: Fold, test_groups: np.ndarray, **sizes: int) -> dict[str, Any]:
    """The start of a per-fold row: fold number, held-out groups, sizes (and the subject of a
    subject-dependent fold)."""
    # natural order, as per_group's rows: ISEAR respondent 11002 before 101001
    row = {"fold": k,
           "test_groups": join_group_ids(sorted(set(test_groups), key=natural_key)), **sizes}
    if fold.subject is not None:
        row["subject"] = fold.subject
    return row


def check_covered(fold_of: np.ndarray, what: str = "rows") -> None:
    """Raise :class:`ProtocolError` if some unit was never in a test fold."""
    if (fold_of < 0).any():
        raise ProtocolError(f"some {what} were never tested; the protocol did not cover the "
                            "table")


def model_label(model: Any) -> str:
    """The model's name for the settings: its name, or its class for an estimator."""
    return model if isinstance(model, str) else type(model).__name__


def library_versions() -> dict[str, str]:
    """Versions of emofeat and of the libraries that decide the figures."""
    from emofeat._version import __version__

    out = {"emofeat": __version__, "sklearn": sklearn.__version__, "numpy": np.__version__,
           "python": platform.python_version()}
    try:
        import xgboost

        out["xgboost"] = xgboost.__version__
    except ImportError:  # pragma: no cover
        pass
    return out


def _ordinal(y: np.ndarray) -> bool:
    """Whether class labels are integer ratings ("1".."5") more than one step apart: with
    labels 0 / 1 (or 3 / 4) every prediction is within one step, an off-by-one accuracy of
    1.0 whatever the model."""
    try:
        vals = np.asarray(y, dtype=float)
    except ValueError:
        return False
    return bool(len(vals) and np.all(vals == np.round(vals)) and np.ptp(vals) > 1)


def ordinal_labels(y: np.ndarray, task: str, ordinal: bool | None, target: str) -> bool:
    """Whether class labels ``y`` are scored as ratings (off-by-one accuracy).

    Parameters
    ----------
    y : ndarray
        The labels (canonical strings).
    task : str
        Only ``classification`` labels can be ratings.
    ordinal : bool or None
        ``None``: whole numbers more than one step apart are (the values alone cannot tell
        ratings from integer codes of nominal classes); ``False``: never; ``True``: they
        must be such numbers.
    target : str
        The target column, for the message.

    Returns
    -------
    bool

    Raises
    ------
    DataError
        ``ordinal=True`` for labels that are no whole numbers more than one step apart.
    """
    if (ordinal is not None and not ordinal) or (ordinal is None and task != "classification"):
        return False
    ok = task == "classification" and _ordinal(y)
    if ordinal and not ok:
        raise DataError(
            f"ordinal=True scores {target!r} with off-by-one accuracy, which needs class "
            f"labels that are whole numbers more than one step apart (ratings such as 1-5); "
            + (f"this is a {task} target" if task != "classification" else
               "these are not (with 0 / 1 every prediction is within one step)"))
    return ok


def build_result(prep: Prepared, pred, g, t, fold_of, fold_rows, protocol, settings,
                 importances=None, group_importances=None, builtin=None,
                 extra_columns: tuple[str, ...] = ()) -> EvaluationResult:
    """Figures of held-out predictions.

    Parameters
    ----------
    prep : Prepared
        The evaluated units (rows, or utterances for a pooled evaluation): labels, table
        positions and identity columns.
    pred : ndarray
        The held-out prediction of every unit.
    g, t : ndarray or None
        Group (speaker/subject) and trial of every unit.
    fold_of : ndarray of int
        The fold that held each unit out.
    fold_rows : list of dict
        Per-fold rows (:func:`fold_row` plus figures).
    protocol : str
        ``subject_dependent`` averages the headline figures over subjects.
    settings : dict
    importances, group_importances, builtin : DataFrame, optional
    extra_columns : tuple of str
        Columns the caller adds to ``predictions`` afterwards (the pooled ``p_<class>``): an
        identity column of that name is kept as ``table_<name>`` too.

    Returns
    -------
    EvaluationResult
    """
    y = prep.y
    task = prep.task
    if task == "multilabel":
        return _multilabel_result(prep, pred, g, t, fold_of, fold_rows, protocol, settings,
                                  importances, group_importances, builtin)
    per_fold = pd.DataFrame(fold_rows)
    shown = pred if task == "regression" else pred.astype(str)  # canonical, as y
    # the table's labels come back of its kind: integer labels as integers, so that true
    # and pred equal the table's column, not 3 == "3"
    predictions = _predictions(prep, g, t, fold_of, labels_as(y, prep.label_kind),
                               labels_as(shown, prep.label_kind), extra_columns)
    # ratings (e.g. 1-5 self-assessment): how often the prediction is within one step
    # settings["ordinal"]: what evaluate(ordinal=) decided; else from the labels
    ordinal = task == "classification" and bool(settings.get("ordinal", _ordinal(y)))
    if task == "classification":
        per_group = _grouped(g, *M._grouped_classification_scores(y, pred, g))
        if ordinal:
            near = np.abs(y.astype(float) - shown.astype(float)) <= 1
            per_group["off_by_one"] = per_group["group"].map(
                pd.Series(near).groupby(np.asarray(g)).mean())
    else:
        per_group = []
        for grp in sorted(np.unique(g), key=natural_key):
            m = g == grp
            per_group.append({"group": grp, "n": int(m.sum()),
                              **task_scores(task, y[m], pred[m])})
        per_group = pd.DataFrame(per_group)
    pooled = task_scores(task, y, shown)
    if ordinal:
        pooled["off_by_one"] = M.off_by_one_accuracy(y.astype(float), shown.astype(float))
    if protocol == "subject_dependent":
        # the subject-dependent figure is the mean over subjects of each subject's pooled one
        scores = {k: float(per_group[k].mean()) if k in per_group else v
                  for k, v in pooled.items()}
        settings = {**settings, "pooled_over_all_rows": pooled}
    else:
        scores = pooled
    labels, confusion, per_class = [], None, None
    if task == "classification":
        # rating classes "1".."11" in numeric order, not "1", "10", "11", "2", ...
        canonical = M.sort_labels(y)
        confusion = confusion_matrix(y, shown, labels=canonical)
        recall = M.per_class_recall(y, shown, canonical).to_numpy()
        # of the kind of true and pred, so that they index each other (sklearn's classes_)
        labels = labels_as(canonical, prep.label_kind).tolist()
        per_class = pd.DataFrame({"label": labels, "n": confusion.sum(axis=1), "recall": recall})
    return EvaluationResult(
        task=task, scores=scores, per_fold=per_fold, per_group=per_group,
        predictions=predictions, labels=labels, confusion=confusion, per_class=per_class,
        settings=settings, importances=importances, group_importances=group_importances,
        builtin_importances=builtin,
    )


def _grouped(g: np.ndarray, names: np.ndarray, figures: dict[str, np.ndarray]) -> pd.DataFrame:
    """The per-group table: a row per group in natural order (ISEAR respondent 11002 before
    101001), its row count and figures (``metrics._grouped_classification_scores`` or
    ``metrics._grouped_multilabel_scores``)."""
    _, counts = np.unique(np.asarray(g), return_counts=True)
    table = pd.DataFrame({"group": names, "n": counts.astype(int),
                          **{k: v.astype(float) for k, v in figures.items()}})
    order = sorted(range(len(names)), key=lambda i: natural_key(names[i]))
    return table.iloc[order].reset_index(drop=True)


#: the columns :func:`_predictions` adds to the identity columns
PREDICTION_COLUMNS = ("row", "group", "trial", "fold", "true", "pred")


def _predictions(prep: Prepared, g, t, fold_of, true, pred,
                 extra_columns: tuple[str, ...] = ()) -> pd.DataFrame:
    """One row per held-out unit: its identity, group (and trial), fold, truth, prediction.

    An identity column named like an added column is kept as ``table_<name>``
    (:func:`~emofeat.classifiers.validation.keep_identity_columns`).
    """
    added = [c for c in PREDICTION_COLUMNS if c != "trial" or t is not None]
    predictions = keep_identity_columns(prep.index, (*added, *extra_columns))
    predictions = predictions.copy()
    predictions.insert(0, "row", prep.rows)
    predictions["group"] = g
    if t is not None:
        predictions["trial"] = t
    predictions["fold"] = fold_of
    predictions["true"] = true
    predictions["pred"] = pred
    return predictions


def _multilabel_result(prep: Prepared, pred, g, t, fold_of, fold_rows, protocol, settings,
                       importances, group_importances, builtin) -> EvaluationResult:
    """Figures of held-out 0/1 indicator predictions (``prep.y`` and ``pred``: rows x labels)."""
    y, pred, classes = prep.y, np.asarray(pred, dtype=np.int64), list(prep.classes)
    per_group = _grouped(g, *M._grouped_multilabel_scores(y, pred, g))
    sep = settings.get("label_sep") or ","
    names = np.array(classes, dtype=object)

    def joined(Y):  # one readable label set per row, in class order
        return [sep.join(names[row.astype(bool)]) for row in Y]

    predictions = _predictions(prep, g, t, fold_of, joined(y), joined(pred))
    scores = M.multilabel_scores(y, pred)
    if protocol == "subject_dependent":  # as for classes: the mean of each subject's figures
        settings = {**settings, "pooled_over_all_rows": scores}
        scores = {k: float(per_group[k].mean()) for k in scores}
    return EvaluationResult(
        task="multilabel", scores=scores, per_fold=pd.DataFrame(fold_rows),
        per_group=per_group, predictions=predictions, labels=classes, confusion=None,
        per_class=M.per_label_scores(y, pred, classes), settings=settings,
        importances=importances, group_importances=group_importances,
        builtin_importances=builtin,
    )
