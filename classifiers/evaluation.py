"""Leakage-safe evaluation of a model on a :class:`~emofeat.table.FeatureTable`.

:func:`evaluate` runs a protocol (:mod:`emofeat.classifiers.protocols`): every fold's model,
imputer, scaler, per-group standardiser and optional hyperparameter search are fitted on that
fold's training rows only. :func:`evaluate_cross_corpus` trains on one table and tests on
another after mapping both to a shared label set.
"""

from __future__ import annotations

import platform
from typing import Any

import numpy as np
import pandas as pd
import sklearn
from sklearn.base import clone
from sklearn.model_selection import ParameterGrid

from . import metrics as M
from .explain import builtin_importances, group_features, permutation_drops, summarize_importance
from .label_maps import get_label_map, map_labels
from .models import make_classifier, make_regressor, uses_groups
from .protocols import ProtocolError, inner_cv, split
from .result import EvaluationResult
from .validation import DataError, Prepared, check_columns, prepare

__all__ = ["EvaluationResult", "build_estimator", "evaluate", "evaluate_cross_corpus"]


def build_estimator(
    model: Any,
    task: str,
    *,
    standardize: str | None = None,
    model_params: dict[str, Any] | None = None,
    random_state: int | None = 0,
):
    """A fresh estimator from a model name or an sklearn estimator (cloned)."""
    if isinstance(model, str):
        factory = make_classifier if task == "classification" else make_regressor
        return factory(model, standardize=standardize, random_state=random_state,
                       **(model_params or {}))
    if standardize == "group" and not uses_groups(model):
        raise ValueError("standardize='group' applies to models given by name; for your own "
                         "estimator put a GroupStandardScaler in its pipeline")
    if model_params:
        model = clone(model).set_params(**model_params)
    return clone(model)


def _nested_search(estimator, param_grid, X, y, g, units, task: str, inner_splits: int,
                   seed) -> tuple[Any, dict[str, Any], float]:
    """Grid search on one training fold with inner folds of whole ``units``; refit the best.

    Written out (rather than GridSearchCV) so that a per-group standardiser gets the groups at
    predict time in the inner folds too.
    """
    steps = getattr(estimator, "steps", None)
    if steps:  # keys without "__" address the pipeline's last step (the model)
        grid = {(k if "__" in k else f"{steps[-1][0]}__{k}"): v for k, v in param_grid.items()}
    else:
        grid = dict(param_grid)
    cv = inner_cv(len(np.unique(units)), inner_splits, seed)
    score = M.unweighted_average_recall if task == "classification" else M.concordance_correlation
    inner = list(cv.split(X, y, units))
    best, best_score = None, -np.inf
    for params in ParameterGrid(grid):
        vals = []
        for tr, te in inner:
            est = clone(estimator).set_params(**params)
            vals.append(score(y[te], _fit(est, X[tr], y[tr], g[tr]).predict(X[te], groups=g[te])))
        if np.mean(vals) > best_score:
            best, best_score = params, float(np.mean(vals))
    return clone(estimator).set_params(**best), best, best_score


class _Fitted:
    """A fitted fold model, with the metadata its predict needs."""

    def __init__(self, est, needs_groups: bool):
        self.est, self.needs_groups = est, needs_groups

    def predict(self, X, groups=None):
        if self.needs_groups:
            with sklearn.config_context(enable_metadata_routing=True):
                return self.est.predict(X, groups=groups)
        return self.est.predict(X)

    def frame_scores(self, X, groups=None) -> tuple[np.ndarray, str]:
        """Class probabilities of each row (columns in ``classes_`` order) and how they were
        obtained: ``predict_proba`` when the model has it, otherwise the softmax over classes
        of ``decision_function`` (an SVC without ``probability=True``)."""
        kw = {"groups": groups} if self.needs_groups else {}
        with sklearn.config_context(enable_metadata_routing=self.needs_groups):
            if hasattr(self.est, "predict_proba"):
                return np.asarray(self.est.predict_proba(X, **kw), dtype=float), "predict_proba"
            if not hasattr(self.est, "decision_function"):
                raise ValueError("pooling needs a model with predict_proba or decision_function")
            d = np.asarray(self.est.decision_function(X, **kw), dtype=float)
        if d.ndim == 1:  # binary: the score of the second class
            d = np.column_stack([-d, d])
        e = np.exp(d - d.max(axis=1, keepdims=True))
        return e / e.sum(axis=1, keepdims=True), "softmax(decision_function)"


def _fit(estimator, X, y, groups) -> _Fitted:
    """Fit, passing ``groups`` through metadata routing when a step asks for them."""
    needs_groups = uses_groups(estimator)
    if needs_groups:
        with sklearn.config_context(enable_metadata_routing=True):
            estimator.fit(X, y, groups=groups)
    else:
        estimator.fit(X, y)
    return _Fitted(estimator, needs_groups)


def _scores(task: str, y_true, y_pred) -> dict[str, float]:
    if task == "classification":
        return M.classification_scores(y_true, y_pred)
    return M.regression_scores(y_true, y_pred)


def evaluate(
    table,
    target: str,
    groups: str | None = None,
    model: Any = "svm",
    protocol: str = "loso",
    *,
    trials: str | None = None,
    n_splits: int = 5,
    label_map: Any = None,
    corpus: str | None = None,
    standardize: str | None = None,
    model_params: dict[str, Any] | None = None,
    param_grid: dict[str, list] | None = None,
    inner_splits: int = 3,
    task: str = "auto",
    importance: bool | str = False,
    feature_groups: Any = None,
    n_repeats: int = 3,
    random_state: int = 0,
    min_class_size: int = 2,
    pool: str | None = None,
    max_frames_per_unit: int | None = None,
    max_test_frames_per_unit: int | None = None,
) -> EvaluationResult:
    """Evaluate a model on a feature table with a leakage-free protocol.

    Parameters
    ----------
    table : FeatureTable
    target : str
        Identity column with the labels (``emotion``) or a numeric dimension (``valence``).
    groups : str, optional
        Identity column with the speaker / subject. Required except for ``trialwise``.
    model : str or sklearn estimator
        A name for :func:`make_classifier` / :func:`make_regressor` or an estimator (cloned
        for every fold).
    protocol : {"loso", "logo", "group_kfold", "subject_dependent", "trialwise"}
        See :mod:`emofeat.classifiers.protocols`.
    trials : str, optional
        Identity column with the trial / recording of each row (windowed data).
    n_splits : int
        Folds of the k-fold protocols.
    label_map : str, dict or callable, optional
        Map the target first (``"ekman"``, ``"valence"``, ``"arousal"``, ``"4class"`` or your
        own dict); rows mapped to ``None`` are dropped.
    corpus : str, optional
        Corpus of a named label map (detected from the labels when omitted).
    standardize : {None, "group"}
        ``"group"``: z-score each speaker / subject with its own statistics (unsupervised,
        fitted per fold; held-out groups use their own unlabelled rows).
    model_params : dict, optional
        Overrides of the model's defaults.
    param_grid : dict, optional
        Hyperparameter grid searched inside each training fold (``{"C": [0.1, 1, 10]}``; keys
        without ``__`` address the model step), with inner folds grouped like the protocol.
    inner_splits : int
        Folds of the nested search.
    task : {"auto", "classification", "regression"}
    importance : bool or {"all", "groups"}
        Compute permutation importance on each held-out fold, per feature and per feature
        group (``True`` / ``"all"``), or per feature group only (``"groups"``, much faster
        for large feature sets).
    feature_groups : callable or dict, optional
        How features are grouped for group importance (see
        :func:`emofeat.classifiers.explain.group_features`).
    n_repeats : int
        Permutations per feature and fold.
    random_state : int
        Seed of the model, the k-fold shuffling, the search and the permutations.
    min_class_size : int
        Fewest rows a class may have.
    pool : str, optional
        Frame-level classification with per-utterance pooling: the identity column naming
        the utterance of each row (``"path"`` for an LLD table). Frames are the training rows;
        the model's class probabilities (``predict_proba``, or for a model without it such as
        the default SVC the softmax over classes of ``decision_function``) are averaged over
        the frames of each held-out utterance, the argmax is the utterance's prediction and
        every figure, per-group row and prediction is per utterance. All frames of an
        utterance must share one speaker and one label, and they stay on one side of every
        split. Classification only; not combined with ``param_grid`` or ``importance``.
    max_frames_per_unit : int, optional
        With ``pool``: train on at most this many frames per utterance, evenly spaced over it
        (deterministic). Default ``None``: every frame (an RBF SVM on a whole corpus' frames
        is slow; 10-50 is a practical range).
    max_test_frames_per_unit : int, optional
        With ``pool``: score held-out utterances on at most this many evenly spaced frames
        each. Default ``None``: every frame.

    Returns
    -------
    EvaluationResult
        Pooled, per-fold and per-group figures, predictions, settings (seeds, versions) and
        importances. With ``pool``: one prediction per utterance, with ``n_frames`` (frames
        scored) and ``p_<class>`` (pooled probabilities) columns.

    Raises
    ------
    DataError
        Missing column, too rare class, no rows.
    ProtocolError
        Too few groups or trials for the protocol.
    """
    if protocol != "trialwise" and groups is None:
        raise ProtocolError(f"protocol {protocol!r} needs groups= (the speaker/subject column)")
    if pool is None and (max_frames_per_unit is not None
                         or max_test_frames_per_unit is not None):
        raise ValueError("max_frames_per_unit / max_test_frames_per_unit need pool=")
    prep = prepare(table, target, columns=(groups, trials, pool), label_map=label_map,
                   corpus=corpus, task=task, min_class_size=min_class_size)
    if pool is not None:
        return _evaluate_pooled(
            table, prep, target, groups, model, protocol, pool=pool, trials=trials,
            n_splits=n_splits, label_map=label_map, standardize=standardize,
            model_params=model_params, param_grid=param_grid, importance=importance,
            random_state=random_state, max_frames_per_unit=max_frames_per_unit,
            max_test_frames_per_unit=max_test_frames_per_unit)
    g = (prep.index[groups].astype(str).to_numpy() if groups is not None
         else np.full(len(prep.y), "all"))
    t = None if trials is None else prep.index[trials].astype(str).to_numpy()
    if standardize == "group" and groups is None:
        raise ValueError("standardize='group' needs groups=")
    estimator = build_estimator(model, prep.task, standardize=standardize,
                                model_params=model_params, random_state=random_state)
    if importance not in (False, True, "all", "groups"):
        raise ValueError(f"importance must be True, False, 'all' or 'groups', got {importance!r}")
    search = bool(param_grid)
    folds = list(split(protocol, prep.y if prep.task == "classification" else None, g, t,
                       n_splits=n_splits, random_state=random_state))
    names = list(table.feature_names)
    fgroups = group_features(names, feature_groups) if importance else {}
    rng = np.random.default_rng(random_state)
    score_fn = (M.unweighted_average_recall if prep.task == "classification"
                else M.concordance_correlation)

    n = len(prep.y)
    pred = np.empty(n, dtype=object if prep.task == "classification" else float)
    fold_of = np.full(n, -1)
    fold_rows, best_params, feat_drops, group_drops, builtin = [], [], [], [], []
    for k, fold in enumerate(folds):
        tr, te = fold.train, fold.test
        est = clone(estimator)
        if search:
            # inner folds keep together what the outer protocol keeps together
            inner_units = t if t is not None else (
                np.arange(n).astype(str) if protocol == "subject_dependent" else g)
            est, best, _ = _nested_search(est, param_grid, prep.X[tr], prep.y[tr], g[tr],
                                          inner_units[tr], prep.task, inner_splits,
                                          random_state)
            best_params.append(best)
        fitted = _fit(est, prep.X[tr], prep.y[tr], g[tr])
        pred[te] = fitted.predict(prep.X[te], groups=g[te])
        fold_of[te] = k
        row = {"fold": k, "test_groups": ",".join(sorted(set(g[te]))), "n_train": len(tr),
               "n_test": len(te)}
        if fold.subject is not None:
            row["subject"] = fold.subject
        row.update(_scores(prep.task, prep.y[te], pred[te]))
        if search:
            row["best_params"] = str(best)
        fold_rows.append(row)
        imp = builtin_importances(fitted.est)
        if imp is not None and len(imp) == len(names):
            builtin.append(imp)
        if importance:
            def predict(X, _f=fitted, _g=g[te]):
                return _f.predict(X, groups=_g)
            if importance != "groups":
                feat_drops.append(permutation_drops(predict, prep.X[te], prep.y[te], score_fn,
                                                    [[j] for j in range(len(names))], n_repeats,
                                                    rng))
            group_drops.append(permutation_drops(predict, prep.X[te], prep.y[te], score_fn,
                                                 list(fgroups.values()), n_repeats, rng))

    if (fold_of < 0).any():
        raise ProtocolError("some rows were never tested; the protocol did not cover the table")
    return _result(
        prep, pred, g, t, fold_of, fold_rows, protocol,
        settings={
            "model": model if isinstance(model, str) else type(model).__name__,
            "model_params": dict(model_params or {}), "estimator": repr(estimator),
            "protocol": protocol, "target": target, "groups": groups, "trials": trials,
            "n_splits": n_splits if protocol not in ("loso", "logo") else None,
            "n_folds": len(folds), "label_map": label_map if isinstance(label_map, str | None)
            else "custom", "standardize": standardize, "param_grid": param_grid,
            "inner_splits": inner_splits if search else None, "best_params": best_params,
            "random_state": random_state, "dropped_rows": prep.dropped,
            "n_features": len(names), "versions": _versions(),
        },
        importances=summarize_importance(feat_drops, names) if feat_drops else None,
        group_importances=(summarize_importance(group_drops, list(fgroups), label="group")
                           if group_drops else None),
        builtin=(pd.DataFrame({"feature": names, "importance": np.mean(builtin, axis=0)})
                 .sort_values("importance", ascending=False, ignore_index=True)
                 if builtin else None),
    )


def _spaced(rows: np.ndarray, units: np.ndarray, n: int | None) -> np.ndarray:
    """At most ``n`` rows of each unit, evenly spaced over the unit's rows (in table order).

    Parameters
    ----------
    rows : ndarray of int
        Row positions to choose from.
    units : ndarray of int
        Unit code of every row of the table (indexed by ``rows``).
    n : int or None
        Rows to keep per unit; ``None`` keeps all.

    Returns
    -------
    ndarray of int
        The kept positions, sorted.
    """
    if n is None:
        return np.asarray(rows)
    if n < 1:
        raise ValueError(f"frames per unit must be at least 1, got {n}")
    order = rows[np.argsort(units[rows], kind="stable")]
    _, starts, counts = np.unique(units[order], return_index=True, return_counts=True)
    keep = [order[s:s + c] if c <= n
            else order[s + np.unique(np.round(np.linspace(0, c - 1, n)).astype(int))]
            for s, c in zip(starts, counts, strict=True)]
    return np.sort(np.concatenate(keep)) if keep else np.asarray(rows[:0])


def _evaluate_pooled(table, prep: Prepared, target: str, groups: str | None, model: Any,
                     protocol: str, *, pool: str, trials: str | None, n_splits: int,
                     label_map: Any, standardize: str | None,
                     model_params: dict[str, Any] | None, param_grid: dict[str, list] | None,
                     importance: bool | str, random_state: int,
                     max_frames_per_unit: int | None,
                     max_test_frames_per_unit: int | None) -> EvaluationResult:
    """:func:`evaluate` with ``pool=``: frames train, utterances (pooled frames) are scored."""
    if prep.task != "classification":
        raise ValueError("pool= applies to classification (averaged class probabilities)")
    if param_grid or importance:
        raise ValueError("pool= cannot be combined with param_grid or importance yet")
    if standardize == "group" and groups is None:
        raise ValueError("standardize='group' needs groups=")
    utt_ids, ucode = np.unique(prep.index[pool].astype(str).to_numpy(), return_inverse=True)
    g = (prep.index[groups].astype(str).to_numpy() if groups is not None
         else np.full(len(prep.y), "all"))
    t = None if trials is None else prep.index[trials].astype(str).to_numpy()
    for what, values in (("speaker/group", g), ("label", prep.y)):
        spans = pd.Series(values).groupby(ucode).nunique()
        if (spans > 1).any():
            bad = utt_ids[spans.index[spans > 1].to_numpy()[:3]]
            col = groups if what == "speaker/group" else target
            raise DataError(f"the frames of {int((spans > 1).sum())} utterance(s) of {pool!r} "
                            f"have more than one {what} ({col!r}), e.g. {list(bad)}; "
                            f"{pool!r} must name one utterance of one speaker")
    estimator = build_estimator(model, prep.task, standardize=standardize,
                                model_params=model_params, random_state=random_state)
    # utterances are the units kept together by trial-based protocols
    units = t if t is not None else utt_ids[ucode]
    folds = list(split(protocol, prep.y, g, units, n_splits=n_splits,
                       random_state=random_state))
    _, first = np.unique(ucode, return_index=True)
    n_utt = len(utt_ids)
    labels = np.array(sorted(np.unique(prep.y)))
    proba = np.zeros((n_utt, len(labels)))
    n_frames = np.zeros(n_utt, dtype=int)
    fold_of = np.full(n_utt, -1)
    y_u, g_u = prep.y[first], g[first]
    fold_rows, how, n_train_frames = [], None, []
    for k, fold in enumerate(folds):
        if np.intersect1d(ucode[fold.train], ucode[fold.test]).size:
            raise ProtocolError(f"fold {k} puts frames of one utterance on both sides")
        tr = _spaced(fold.train, ucode, max_frames_per_unit)
        te = _spaced(fold.test, ucode, max_test_frames_per_unit)
        fitted = _fit(clone(estimator), prep.X[tr], prep.y[tr], g[tr])
        frame_p, how = fitted.frame_scores(prep.X[te], groups=g[te])
        cols = np.searchsorted(labels, np.asarray(fitted.est.classes_).astype(str))
        codes, inv = np.unique(ucode[te], return_inverse=True)
        sums = np.zeros((len(codes), len(labels)))
        np.add.at(sums, (inv[:, None], cols[None, :]), frame_p)
        counts = np.bincount(inv, minlength=len(codes))
        proba[codes] = sums / counts[:, None]
        n_frames[codes] = counts
        fold_of[codes] = k
        n_train_frames.append(len(tr))
        row = {"fold": k, "test_groups": ",".join(sorted(set(g[te]))), "n_train": len(tr),
               "n_train_units": len(np.unique(ucode[tr])), "n_test": len(codes),
               "n_test_frames": len(te)}
        if fold.subject is not None:
            row["subject"] = fold.subject
        row.update(_scores(prep.task, y_u[codes], labels[proba[codes].argmax(axis=1)]))
        fold_rows.append(row)
    if (fold_of < 0).any():
        raise ProtocolError("some utterances were never tested; the protocol did not cover "
                            "the table")
    pred = labels[proba.argmax(axis=1)].astype(object)
    # identity of each utterance: its first frame's columns, less those varying over frames
    varying = prep.index.groupby(ucode).nunique(dropna=False).max()
    index = prep.index.iloc[first].drop(columns=list(varying.index[varying > 1]))
    index = index.reset_index(drop=True)
    index["n_frames"] = n_frames
    utt = Prepared(X=np.empty((n_utt, 0)), y=y_u, rows=prep.rows[first], index=index,
                   task=prep.task, dropped=prep.dropped)
    res = _result(
        utt, pred, g_u, None if t is None else t[first], fold_of, fold_rows, protocol,
        settings={
            "model": model if isinstance(model, str) else type(model).__name__,
            "model_params": dict(model_params or {}), "estimator": repr(estimator),
            "protocol": protocol, "target": target, "groups": groups, "trials": trials,
            "pool": pool, "frame_scores": how, "max_frames_per_unit": max_frames_per_unit,
            "max_test_frames_per_unit": max_test_frames_per_unit,
            "n_frames": len(prep.y), "n_units": n_utt,
            "mean_train_frames": float(np.mean(n_train_frames)),
            "n_splits": n_splits if protocol not in ("loso", "logo") else None,
            "n_folds": len(folds), "label_map": label_map if isinstance(label_map, str | None)
            else "custom", "standardize": standardize, "param_grid": None,
            "random_state": random_state, "dropped_rows": prep.dropped,
            "n_features": len(table.feature_names), "versions": _versions(),
        },
    )
    for j, lab in enumerate(labels):
        res.predictions[f"p_{lab}"] = proba[:, j]
    return res


def _versions() -> dict[str, str]:
    from emofeat._version import __version__

    out = {"emofeat": __version__, "sklearn": sklearn.__version__, "numpy": np.__version__,
           "python": platform.python_version()}
    try:
        import xgboost

        out["xgboost"] = xgboost.__version__
    except ImportError:  # pragma: no cover
        pass
    return out


def _result(prep: Prepared, pred, g, t, fold_of, fold_rows, protocol, settings,
            importances=None, group_importances=None, builtin=None) -> EvaluationResult:
    y = prep.y
    task = prep.task
    per_fold = pd.DataFrame(fold_rows)
    per_group = []
    for grp in sorted(np.unique(g)):
        m = g == grp
        per_group.append({"group": grp, "n": int(m.sum()), **_scores(task, y[m], pred[m])})
    per_group = pd.DataFrame(per_group)
    predictions = prep.index.copy()
    predictions.insert(0, "row", prep.rows)
    predictions["group"] = g
    if t is not None:
        predictions["trial"] = t
    predictions["fold"] = fold_of
    predictions["true"] = y
    predictions["pred"] = pred if task == "regression" else pred.astype(str)
    pooled = _scores(task, y, predictions["pred"].to_numpy())
    if task == "classification" and _ordinal(y):
        # ratings (e.g. 1-5 self-assessment): how often the prediction is within one step
        pooled["off_by_one"] = M.off_by_one_accuracy(y.astype(float),
                                                     predictions["pred"].astype(float))
    if protocol == "subject_dependent":
        # the subject-dependent figure is the mean over subjects of each subject's pooled one
        scores = {k: float(per_group[k].mean()) if k in per_group else v
                  for k, v in pooled.items()}
        settings = {**settings, "pooled_over_all_rows": pooled}
    else:
        scores = pooled
    labels, confusion, per_class = [], None, None
    if task == "classification":
        labels = sorted(np.unique(y))
        from sklearn.metrics import confusion_matrix

        confusion = confusion_matrix(y, predictions["pred"].to_numpy(), labels=labels)
        per_class = pd.DataFrame({
            "label": labels, "n": confusion.sum(axis=1),
            "recall": M.per_class_recall(y, predictions["pred"].to_numpy(), labels).to_numpy(),
        })
    return EvaluationResult(
        task=task, scores=scores, per_fold=per_fold, per_group=per_group,
        predictions=predictions, labels=labels, confusion=confusion, per_class=per_class,
        settings=settings, importances=importances, group_importances=group_importances,
        builtin_importances=builtin,
    )


def _ordinal(y: np.ndarray) -> bool:
    """Whether class labels are integer ratings ("1".."5")."""
    try:
        vals = np.asarray(y, dtype=float)
    except ValueError:
        return False
    return bool(np.all(vals == np.round(vals)))


def evaluate_cross_corpus(
    train_table,
    test_table,
    target: str,
    model: Any = "svm",
    *,
    label_map: Any = "ekman",
    train_corpus: str | None = None,
    test_corpus: str | None = None,
    groups: str | None = None,
    standardize: str | None = None,
    model_params: dict[str, Any] | None = None,
    random_state: int = 0,
) -> EvaluationResult:
    """Train on one table, test on another, both mapped to a shared label set.

    Parameters
    ----------
    train_table, test_table : FeatureTable
        Must have the same feature names (extract both with the same sets and parameters).
    target : str
        Label column in both tables.
    model : str or estimator
    label_map : str, dict or callable, or a pair of them
        Taxonomy both corpora are mapped to (``"ekman"``, ``"4class"``, ...), or one mapping per
        table ``(train_map, test_map)``. Only labels present in both mapped tables are kept.
    train_corpus, test_corpus : str, optional
        Corpora of a named label map (detected from the labels when omitted).
    groups : str, optional
        Speaker column (both tables): per-speaker figures of the test table, and required by
        ``standardize="group"``.
    standardize : {None, "group"}
    model_params : dict, optional
    random_state : int

    Returns
    -------
    EvaluationResult
        One fold; ``settings["shared_labels"]`` lists the label set.
    """
    if list(train_table.feature_names) != list(test_table.feature_names):
        a, b = set(train_table.feature_names), set(test_table.feature_names)
        raise DataError(
            "the two tables have different feature columns "
            f"({len(a - b)} only in training, {len(b - a)} only in test); extract both with "
            "the same feature sets and parameters")
    maps = label_map if isinstance(label_map, tuple) else (label_map, label_map)
    mapped = []
    for tab, mp, corp in ((train_table, maps[0], train_corpus), (test_table, maps[1], test_corpus)):
        check_columns(tab, target, groups)
        if isinstance(mp, str):
            mp = get_label_map(mp, corpus=corp, labels=tab.index[target].dropna().astype(str))
        mapped.append(map_labels(tab.index[target], mp) if mp is not None
                      else tab.index[target].astype(object))
    shared = sorted(set(mapped[0].dropna()) & set(mapped[1].dropna()))
    if len(shared) < 2:
        raise DataError(f"the mapped tables share fewer than 2 labels ({shared}); choose "
                        "another label map")

    def restricted(tab, lab):
        keep = np.flatnonzero(lab.isin(shared).to_numpy())
        sub = tab.select(rows=keep)
        sub.index = sub.index.copy()
        sub.index[target] = lab.iloc[keep].to_numpy()
        return sub, len(tab) - len(keep)

    train_sub, drop_tr = restricted(train_table, mapped[0])
    test_sub, drop_te = restricted(test_table, mapped[1])
    ptr = prepare(train_sub, target, columns=(groups,), task="classification")
    pte = prepare(test_sub, target, columns=(groups,), task="classification", min_class_size=1)
    estimator = build_estimator(model, "classification", standardize=standardize,
                                model_params=model_params, random_state=random_state)
    if standardize == "group" and groups is None:
        raise ValueError("standardize='group' needs groups=")
    gtr = (ptr.index[groups].astype(str).to_numpy() if groups else np.full(len(ptr.y), "train"))
    gte = (pte.index[groups].astype(str).to_numpy() if groups else np.full(len(pte.y), "test"))
    fitted = _fit(estimator, ptr.X, ptr.y, gtr)
    pred = np.asarray(fitted.predict(pte.X, groups=gte), dtype=object)
    fold = {"fold": 0, "test_groups": "test table", "n_train": len(ptr.y), "n_test": len(pte.y),
            **M.classification_scores(pte.y, pred.astype(str))}
    return _result(
        pte, pred, gte, None, np.zeros(len(pte.y), dtype=int), [fold], "cross_corpus",
        settings={
            "model": model if isinstance(model, str) else type(model).__name__,
            "model_params": dict(model_params or {}), "protocol": "cross_corpus",
            "target": target, "groups": groups, "n_folds": 1, "shared_labels": shared,
            "label_map": [m if isinstance(m, str | None) else "custom" for m in maps],
            "standardize": standardize, "random_state": random_state,
            "dropped_rows": {"train": drop_tr + ptr.dropped, "test": drop_te + pte.dropped},
            "n_features": len(train_table.feature_names), "versions": _versions(),
        },
    )

