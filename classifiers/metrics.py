"""Metrics the emotion-recognition literature reports.

Where scikit-learn has the metric, the functions here call it, so the figures are sklearn's.

Classification: UAR (unweighted average recall = balanced accuracy), WA (weighted accuracy =
plain accuracy), macro and weighted F1, per-class recall, confusion matrix.
Multi-label: micro and macro F1, subset accuracy, Jaccard (sample-averaged), Hamming loss,
per-label precision, recall and F1.
Regression: concordance correlation coefficient (CCC), Pearson's r, RMSE; each refuses NaN
and infinite values with a ``ValueError`` naming the metric, as sklearn's metrics do.
Ordinal ratings (e.g. 1-5 self-assessment): off-by-one accuracy, top-2 hit rate and the
sequential top-2 hit rate.
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence

import numpy as np
import pandas as pd
from sklearn.metrics import (
    accuracy_score,
    balanced_accuracy_score,
    confusion_matrix,
    f1_score,
    hamming_loss,
    jaccard_score,
    mean_squared_error,
    precision_recall_fscore_support,
    recall_score,
)
from sklearn.utils.multiclass import unique_labels

from emofeat._wording import counted

from .label_maps import label_str

ArrayLike = Sequence | np.ndarray | pd.Series


# ----------------------------------------------------------------------------- single label
def sort_labels(labels: ArrayLike) -> list:
    """The distinct labels in display order: numeric order when every label is a number
    (``"2"`` before ``"10"``: rating scales stored as strings), else sorted as they are.

    Parameters
    ----------
    labels : array-like
        Labels, repeated or not.

    Returns
    -------
    list
        Each label once, as given.
    """
    distinct = list(np.unique(np.asarray(labels)))
    try:
        values = [float(lab) for lab in distinct]
    except (TypeError, ValueError):
        return sorted(distinct)
    if not all(np.isfinite(values)):  # "nan", "inf" are names here, not numbers
        return sorted(distinct)
    # ties ("1" and "1.0" are distinct labels here) keep a stable order by their text
    return [lab for _, _, lab in sorted(zip(values, map(str, distinct), distinct,
                                            strict=True))]


def _check_labels(metric: str, y_true: ArrayLike, y_pred: ArrayLike | None = None) -> None:
    """Refuse missing labels (None, NaN, ``pd.NA``) with a ``ValueError`` naming the metric,
    the side and the count: a row without a prediction (``TrainedModel.predict`` leaves a
    row without any finite feature unpredicted) has no defined hit or miss, and sklearn
    fails on it with "'<' not supported between instances of 'NoneType' and 'str'".
    Without ``y_pred`` (scores rather than labels predicted) only ``y_true`` is checked."""
    sides = (("y_true", y_true),) if y_pred is None else (("y_true", y_true),
                                                          ("y_pred", y_pred))
    for side, values in sides:
        missing = np.asarray(pd.isna(np.asarray(values, dtype=object)), dtype=bool)
        if missing.any():
            raise ValueError(f"{metric}: {side} holds "
                             f"{counted(int(missing.sum()), 'missing label')} "
                             f"(None/NaN) of {missing.size}; drop the rows without a label "
                             "or prediction before scoring")


def unweighted_average_recall(y_true: ArrayLike, y_pred: ArrayLike) -> float:
    """UAR: the mean of per-class recalls (equal to sklearn's ``balanced_accuracy_score``).

    Raises
    ------
    ValueError
        A missing label (None, NaN) in ``y_true`` or ``y_pred``; so do the other
        single-label metrics here.
    """
    _check_labels("unweighted_average_recall (UAR)", y_true, y_pred)
    with warnings.catch_warnings():
        # a held-out speaker often lacks a class the model predicts: not worth a warning
        warnings.filterwarnings("ignore", "y_pred contains classes not in y_true")
        # nor a held-out speaker of one class (or one row) all predicted right: sklearn's
        # confusion matrix then asks its caller for the labels, which a UAR does not need
        warnings.filterwarnings("ignore", "A single label was found in 'y_true' and 'y_pred'")
        return float(balanced_accuracy_score(y_true, y_pred))


def weighted_accuracy(y_true: ArrayLike, y_pred: ArrayLike) -> float:
    """WA: plain accuracy, i.e. recall weighted by class frequency."""
    _check_labels("weighted_accuracy (WA)", y_true, y_pred)
    return float(accuracy_score(np.asarray(y_true), np.asarray(y_pred)))


def macro_f1(y_true: ArrayLike, y_pred: ArrayLike) -> float:
    """Unweighted mean of per-class F1 (sklearn ``f1_score(average="macro")``)."""
    _check_labels("macro_f1", y_true, y_pred)
    return float(f1_score(y_true, y_pred, average="macro", zero_division=0))


def weighted_f1(y_true: ArrayLike, y_pred: ArrayLike) -> float:
    """Per-class F1 weighted by class support (sklearn ``f1_score(average="weighted")``)."""
    _check_labels("weighted_f1", y_true, y_pred)
    return float(f1_score(y_true, y_pred, average="weighted", zero_division=0))


def per_class_recall(y_true: ArrayLike, y_pred: ArrayLike, labels=None) -> pd.Series:
    """Recall of each class, indexed by label (classes absent from ``y_true`` are NaN-free 0;
    labels in :func:`sort_labels` order unless given)."""
    _check_labels("per_class_recall", y_true, y_pred)
    labels = sort_labels(y_true) if labels is None else list(labels)
    rec = recall_score(y_true, y_pred, labels=labels, average=None, zero_division=0)
    return pd.Series(rec, index=labels, name="recall")


def classification_scores(y_true: ArrayLike, y_pred: ArrayLike) -> dict[str, float]:
    """UAR, WA, macro-F1 and weighted-F1 in one dict."""
    return {
        "uar": unweighted_average_recall(y_true, y_pred),
        "wa": weighted_accuracy(y_true, y_pred),
        "macro_f1": macro_f1(y_true, y_pred),
        "weighted_f1": weighted_f1(y_true, y_pred),
    }


def normalized_confusion(y_true: ArrayLike, y_pred: ArrayLike, labels=None) -> np.ndarray:
    """Confusion matrix (rows true, columns predicted) with each row divided by that class's
    count in ``y_true``: the per-class recalls on the diagonal, equal to
    ``recall_score(y_true, y_pred, labels=labels, average=None)``.

    Parameters
    ----------
    y_true, y_pred : array-like
        True and predicted labels.
    labels : sequence, optional
        The classes of the rows and columns, in that order. Default: every class of
        ``y_true`` and ``y_pred`` together, in :func:`sort_labels` order, as scikit-learn's
        ``confusion_matrix`` takes them: a class predicted but absent from ``y_true`` (a
        held-out speaker without disgust) gets a column, and a row of zeros.
        Given, a row's denominator is still the class's count in ``y_true``: where the class
        was predicted as a class outside ``labels`` its row sums to less than 1 (the rest is
        that share), so its diagonal stays its recall. A class of ``y_true`` outside
        ``labels`` has no row (its rows count nowhere), as in scikit-learn's matrix.

    Returns
    -------
    ndarray
        ``len(labels)`` by ``len(labels)``; a row of a class absent from ``y_true`` is 0.

    Raises
    ------
    ValueError
        A missing label (None, NaN) in ``y_true`` or ``y_pred``, as the other single-label
        metrics here (sklearn failed on it with "'<' not supported between instances"); or
        labels of ``y_true`` and ``y_pred`` that mix strings and numbers (scikit-learn's
        check).

    Notes
    -----
    Until session 55 the default labels were those of ``y_true`` only and each row was
    divided by its sum over those labels, so a row predicted as a class absent from the
    truth counted nowhere: a RAVDESS ``ekman`` model predicting EmoDB (no surprise in the
    truth) had anger 0.133 on the diagonal, its recall 0.110. scikit-learn's
    ``confusion_matrix(normalize="true")`` divides by the row's sum over the labels given;
    with the default labels it equals this function.
    """
    _check_labels("normalized_confusion", y_true, y_pred)
    labels = (sort_labels(unique_labels(y_true, y_pred)) if labels is None
              else list(labels))
    cm = confusion_matrix(y_true, y_pred, labels=labels).astype(float)
    # each class's rows in y_true, matched to labels as confusion_matrix matches them
    counts = confusion_matrix(y_true, y_true, labels=labels).diagonal().astype(float)
    rows = counts[:, None]
    return np.divide(cm, rows, out=np.zeros_like(cm), where=rows > 0)


# ----------------------------------------------------------------------------- multi-label
def multilabel_scores(Y_true: np.ndarray, Y_pred: np.ndarray) -> dict[str, float]:
    """Figures of 0/1 indicator matrices (rows = samples, columns = labels).

    ``micro_f1`` and ``macro_f1`` (over labels; the GoEmotions figures), ``subset_accuracy``
    (share of rows whose whole label set is predicted exactly: sklearn's ``accuracy_score``
    on indicator matrices), ``jaccard`` (sample-averaged; SemEval-2018 Task 1 E-c) and
    ``hamming_loss``.
    """
    Y_true = np.asarray(Y_true).astype(int)
    Y_pred = np.asarray(Y_pred).astype(int)
    return {
        "micro_f1": float(f1_score(Y_true, Y_pred, average="micro", zero_division=0)),
        "macro_f1": float(f1_score(Y_true, Y_pred, average="macro", zero_division=0)),
        "subset_accuracy": float(accuracy_score(Y_true, Y_pred)),
        "jaccard": float(jaccard_score(Y_true, Y_pred, average="samples", zero_division=1)),
        "hamming_loss": float(hamming_loss(Y_true, Y_pred)),
    }


def per_label_scores(Y_true: np.ndarray, Y_pred: np.ndarray, labels: Sequence) -> pd.DataFrame:
    """Support, precision, recall and F1 of every column of 0/1 indicator matrices
    (sklearn's ``precision_recall_fscore_support(average=None)``, 0 where undefined)."""
    Y_true = np.asarray(Y_true).astype(int)
    Y_pred = np.asarray(Y_pred).astype(int)
    p, r, f, n = precision_recall_fscore_support(Y_true, Y_pred, average=None, zero_division=0)
    return pd.DataFrame({"label": list(labels), "n": n.astype(int),
                         "n_predicted": Y_pred.sum(axis=0).astype(int), "precision": p,
                         "recall": r, "f1": f})


# ----------------------------------------------------------------------------- regression
def _regression_inputs(metric: str, y_true: ArrayLike, y_pred: ArrayLike,
                       one_dimensional: bool = True) -> tuple[np.ndarray, np.ndarray]:
    """``y_true`` and ``y_pred`` as float arrays of the same shape holding finite values only.

    Every regression metric refuses NaN and infinity, as sklearn's metrics do, with a
    ``ValueError`` naming the metric, the side and the count: a NaN target or prediction has
    no defined error, and silently returning NaN (or a figure of the remaining rows) would
    hide it. Drop rows without a target before scoring (:func:`~emofeat.classifiers.evaluate`
    does). Also refused: non-numeric values, different lengths, no values at all.
    """
    arrays = []
    for side, values in (("y_true", y_true), ("y_pred", y_pred)):
        try:
            arrays.append(np.asarray(values, dtype=float))
        except (TypeError, ValueError) as exc:
            raise ValueError(f"{metric}: {side} holds values that are not numbers ({exc})"
                             ) from None
    t, p = arrays
    if t.shape != p.shape:
        raise ValueError(f"{metric}: y_true and y_pred differ in shape ({t.shape} and "
                         f"{p.shape})")
    if one_dimensional and t.ndim != 1:
        raise ValueError(f"{metric}: expected one value per row (1-D arrays), got shape "
                         f"{t.shape}")
    if t.size == 0:
        raise ValueError(f"{metric}: y_true and y_pred are empty")
    for side, a in (("y_true", t), ("y_pred", p)):
        finite = np.isfinite(a)
        if not finite.all():
            n_bad = int(a.size - finite.sum())
            n_nan = int(np.isnan(a).sum())
            what = " and ".join(kind for n, kind in ((n_nan, "NaN"), (n_bad - n_nan, "infinity"))
                                if n)
            raise ValueError(f"{metric}: {side} contains {what} ({n_bad} of {a.size} values); "
                             "drop the rows without a target (or prediction) before scoring")
    return t, p


def _constant(a: np.ndarray) -> bool:
    """All values equal (exactly: ``var()`` of ``[0.1] * 3`` is not 0 in floating point)."""
    return bool((a == a[0]).all())


def concordance_correlation(y_true: ArrayLike, y_pred: ArrayLike) -> float:
    """Lin's concordance correlation coefficient (CCC), the AVEC / MSP-Podcast figure.

    ``2 cov(t, p) / (var(t) + var(p) + (mean(t) - mean(p))**2)`` with population (1/N)
    moments. 1 is perfect agreement; unlike Pearson's r it penalises bias and scale.

    Undefined cases, as audEERING's ``audmetric.concordance_cc`` defines them: NaN (no
    warning) with fewer than 2 values or when both sides are constant and equal (a zero
    denominator); 0 when one side is constant and the other is not, or both are constant
    but different (no covariance, a positive denominator).

    Raises
    ------
    ValueError
        NaN or infinite values in ``y_true`` or ``y_pred`` (as sklearn's metrics), inputs of
        different lengths, no values, values that are not numbers.
    """
    t, p = _regression_inputs("concordance_correlation (CCC)", y_true, y_pred)
    if t.size < 2:
        return float("nan")
    if _constant(t) or _constant(p):
        # exactly: the rounding of a constant's mean would leave a covariance of ~1e-17
        return float("nan") if _constant(t) and _constant(p) and t[0] == p[0] else 0.0
    mt, mp = t.mean(), p.mean()
    cov = np.mean((t - mt) * (p - mp))
    denom = t.var() + p.var() + (mt - mp) ** 2
    return float(2 * cov / denom)


def pearson(y_true: ArrayLike, y_pred: ArrayLike) -> float:
    """Pearson's correlation coefficient.

    Undefined cases: NaN (no warning) when either side is constant or with fewer than 2
    values, as audEERING's ``audmetric.pearson_cc`` and scipy's ``pearsonr`` return (scipy
    adds a ``ConstantInputWarning``).

    Raises
    ------
    ValueError
        NaN or infinite values in ``y_true`` or ``y_pred`` (as sklearn's metrics), inputs of
        different lengths, no values, values that are not numbers.
    """
    t, p = _regression_inputs("pearson", y_true, y_pred)
    if t.size < 2 or _constant(t) or _constant(p):
        return float("nan")
    return float(np.corrcoef(t, p)[0, 1])


def rmse(y_true: ArrayLike, y_pred: ArrayLike) -> float:
    """Root mean squared error (sklearn's ``mean_squared_error``, square-rooted).

    Raises
    ------
    ValueError
        NaN or infinite values in ``y_true`` or ``y_pred`` (the message names this function;
        sklearn refuses them too), inputs of different lengths, no values, values that are not
        numbers.
    """
    t, p = _regression_inputs("rmse", y_true, y_pred, one_dimensional=False)
    return float(np.sqrt(mean_squared_error(t, p)))


def regression_scores(y_true: ArrayLike, y_pred: ArrayLike) -> dict[str, float]:
    """CCC, Pearson's r and RMSE in one dict (a ``ValueError`` on NaN or infinite values,
    from the first of them)."""
    return {"ccc": concordance_correlation(y_true, y_pred), "pearson": pearson(y_true, y_pred),
            "rmse": rmse(y_true, y_pred)}


# ----------------------------------------------------------------------------- ordinal
def off_by_one_accuracy(y_true: ArrayLike, y_pred: ArrayLike) -> float:
    """Share of predictions within one step of the true rating: ``|y_pred - y_true| <= 1``.

    Raises
    ------
    ValueError
        Missing (NaN, ``pd.NA``) or infinite ratings on either side (a row without a
        prediction is neither within one step nor not), ratings that are not numbers,
        inputs of different lengths, no values.
    """
    t, p = _regression_inputs("off_by_one_accuracy", y_true, y_pred)
    return float(np.mean(np.abs(p - t) <= 1))


def _top2_hits(y_true: ArrayLike, proba: np.ndarray, classes: ArrayLike) -> np.ndarray:
    proba = np.asarray(proba, dtype=float)
    if proba.ndim != 2 or proba.shape[1] != len(classes):
        raise ValueError(f"proba must have one column per class ({len(classes)}), "
                         f"got shape {proba.shape}")
    if np.isnan(proba).any():
        # argsort puts NaN last, so a row without scores "hit" its first two classes
        rows = np.flatnonzero(np.isnan(proba).any(axis=1))
        raise ValueError(f"top-2 hit rate: proba holds NaN in {len(rows)} of {len(proba)} "
                         "rows (rows without a prediction); drop them before scoring")
    truth = np.asarray(y_true, dtype=object)
    if len(truth) != len(proba):
        raise ValueError(f"y_true has {len(truth)} labels for {len(proba)} rows of proba")
    _check_labels("top-2 hit rate", truth)
    # canonical forms on both sides: a model's classes_ are the strings "1".."5" while a
    # table's ratings are the integers 1..5 (or 1.0..5.0), which never equal them
    classes = np.array([label_str(c) for c in classes], dtype=object)
    truth = np.array([label_str(v) for v in truth], dtype=object)
    # with fewer than two classes the "top two" are the classes there are: a row hits only
    # when its true label is one of them
    # stable order: ties go to the class listed first
    top2 = np.argsort(-proba, axis=1, kind="stable")[:, :2]
    return (classes[top2] == truth[:, None]).any(axis=1)


def top2_hit_rate(y_true: ArrayLike, proba: np.ndarray, classes: ArrayLike) -> float:
    """Share of rows whose true class is among the two classes with the highest score.

    Parameters
    ----------
    y_true : array, shape (n,)
    proba : array, shape (n, n_classes)
        Class probabilities or scores (``predict_proba`` / ``decision_function``).
    classes : array, shape (n_classes,)
        The label of each column of ``proba`` (``estimator.classes_``).

    This equals sklearn's ``top_k_accuracy_score(y_true, proba, k=2, labels=classes)``
    except for ties, which sklearn counts as hits and this function breaks by column order.
    """
    return float(np.mean(_top2_hits(y_true, proba, classes)))


def sequential_top2_hit_rate(
    y_true: ArrayLike,
    proba: np.ndarray,
    classes: ArrayLike,
    sequences: ArrayLike,
) -> float:
    """Top-2 hit rate computed within each sequence (trial), then averaged over sequences.

    Definition implemented (used for window-level predictions on DREAMER-style 1-5 ratings,
    as reported with HiSTN): the rows of one trial are its consecutive windows; a window is a
    hit when the trial's true rating is among the two highest-scored classes of that window;
    each trial's hit rate is the share of its windows that hit; the result is the unweighted
    mean over trials, so long trials do not outweigh short ones. With one window per trial it
    equals :func:`top2_hit_rate`. The paper's own code was not available to check against;
    this is the definition emofeat uses and documents.

    Parameters
    ----------
    y_true : array, shape (n,)
    proba : array, shape (n, n_classes)
    classes : array, shape (n_classes,)
    sequences : array, shape (n,)
        Trial (sequence) id of each row.
    """
    hits = _top2_hits(y_true, proba, classes)
    seq = np.asarray(sequences)
    if len(seq) != len(hits):
        raise ValueError(f"sequences has {len(seq)} entries for {len(hits)} rows")
    return float(pd.Series(hits).groupby(seq).mean().mean())


# ----------------------------------------------------------------------------- per group
# The figures of each group of held-out rows, from counts: sklearn's input checks cost 7 ms a
# group for classes and 40 ms for label sets, which made 43,410 GoEmotions comments (each
# its own group, as docs/text.md groups them) an evaluation of 11.5 minutes, 90 % of it
# per-group scoring. Equal to the functions above on each group (tested against them).
# Private: they skip the checks that make the functions above safe to call with any labels
# (int 1 beside "1" were one class here, float 1.0 never "1"); their caller, build_result,
# gives canonical labels, and users get the figures as EvaluationResult.per_group.
def _group_codes(groups: ArrayLike) -> tuple[np.ndarray, np.ndarray]:
    """``(the distinct groups, each row's index into them)``."""
    return np.unique(np.asarray(groups), return_inverse=True)


def _grouped_classification_scores(y_true: ArrayLike, y_pred: ArrayLike, groups: ArrayLike
                                   ) -> tuple[np.ndarray, dict[str, np.ndarray]]:
    """``(groups, {figure: its value in each group})``: :func:`classification_scores` of the
    rows of each group, with the labels present in that group's truth or prediction. The
    labels are of one kind (canonical strings): NumPy compares mixed kinds by their text."""
    _check_labels("per-group classification scores", y_true, y_pred)
    names, gi = _group_codes(groups)
    _, codes = np.unique(np.concatenate([np.asarray(y_true), np.asarray(y_pred)]),
                         return_inverse=True)
    n = len(gi)
    yt, yp = codes[:n], codes[n:]
    shape = (len(names), int(codes.max()) + 1 if n else 0)
    support, predicted, hit = np.zeros(shape), np.zeros(shape), np.zeros(shape)
    np.add.at(support, (gi, yt), 1)
    np.add.at(predicted, (gi, yp), 1)
    np.add.at(hit, (gi[yt == yp], yt[yt == yp]), 1)
    present = (support + predicted) > 0  # the labels sklearn's f1 takes in each group
    truth = support > 0  # the classes balanced_accuracy averages
    recall = np.divide(hit, support, out=np.zeros(shape), where=truth)
    f1 = np.divide(2 * hit, support + predicted, out=np.zeros(shape), where=present)
    rows = support.sum(axis=1)
    return names, {
        "uar": (recall * truth).sum(axis=1) / truth.sum(axis=1),
        "wa": hit.sum(axis=1) / rows,
        "macro_f1": (f1 * present).sum(axis=1) / present.sum(axis=1),
        "weighted_f1": (f1 * support).sum(axis=1) / rows,
    }


def _grouped_multilabel_scores(Y_true: np.ndarray, Y_pred: np.ndarray,
                               groups: ArrayLike) -> tuple[np.ndarray, dict[str, np.ndarray]]:
    """``(groups, {figure: its value in each group})``: :func:`multilabel_scores` of the rows
    of each group."""
    Y_true = np.asarray(Y_true).astype(bool)
    Y_pred = np.asarray(Y_pred).astype(bool)
    names, gi = _group_codes(groups)
    k = len(names)

    def by_group(values: np.ndarray) -> np.ndarray:  # rows x labels (or rows) summed
        out = np.zeros((k, *values.shape[1:]))
        np.add.at(out, gi, values)
        return out

    tp = by_group(Y_true & Y_pred)
    fp = by_group(~Y_true & Y_pred)
    fn = by_group(Y_true & ~Y_pred)
    rows = by_group(np.ones(len(gi)))
    micro_den = 2 * tp.sum(axis=1) + fp.sum(axis=1) + fn.sum(axis=1)
    label_den = 2 * tp + fp + fn
    union = (Y_true | Y_pred).sum(axis=1)
    jaccard = np.divide((Y_true & Y_pred).sum(axis=1), union, out=np.ones(len(gi)),
                        where=union > 0)
    return names, {
        "micro_f1": np.divide(2 * tp.sum(axis=1), micro_den, out=np.zeros(k),
                              where=micro_den > 0),
        "macro_f1": np.divide(2 * tp, label_den, out=np.zeros(tp.shape),
                              where=label_den > 0).mean(axis=1),
        "subset_accuracy": by_group((Y_true == Y_pred).all(axis=1)) / rows,
        "jaccard": by_group(jaccard) / rows,
        "hamming_loss": by_group((Y_true != Y_pred).mean(axis=1)) / rows,
    }
