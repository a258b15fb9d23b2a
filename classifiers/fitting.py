"""Fitting: a fresh estimator per fold, fitted on that fold's training rows only.

This is the part of an evaluation that touches a model. :func:`fit_folds` is the one fold
loop of :func:`~emofeat.classifiers.evaluate` (row-level and pooled alike): for every fold
it clones the estimator, optionally searches hyperparameters on the training rows, fits and
hands back a :class:`FittedModel`. What is done with the held-out rows (predicting rows,
pooling frames into utterances, permutation importance) belongs to the caller.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import sklearn
from sklearn.base import clone
from sklearn.model_selection import ParameterGrid
from sklearn.multiclass import OneVsRestClassifier
from sklearn.multioutput import ClassifierChain, MultiOutputClassifier
from sklearn.pipeline import Pipeline

from emofeat.errors import option

from . import metrics as M
from .label_maps import class_weight_key
from .models import group_column_of, make_classifier, make_regressor, uses_groups
from .protocols import Fold, ProtocolError, _is_count, inner_folds

__all__ = ["FittedModel", "FoldFit", "Search", "build_estimator", "fit_folds", "fit_model",
           "limited_threads", "model_threads", "nested_search", "one_vs_rest",
           "pairwise_scores", "selection_score"]

# estimators that already take a 0/1 indicator matrix as y
_MULTILABEL_WRAPPERS = (OneVsRestClassifier, MultiOutputClassifier, ClassifierChain)


def default_model(model: Any, task: str) -> Any:
    """``model``, or when it is ``None`` the default for the task: ``svr`` for a numeric
    target, ``svm`` for classes and label sets."""
    if model is not None:
        return model
    return "svr" if task == "regression" else "svm"


def model_threads(model: Any, model_params: Mapping[str, Any] | None = None) -> int | None:
    """The threads a model's BLAS and OpenMP calls may use: 1 for a model named by emofeat
    (``"logreg"``, ...), which is single-threaded by design, so that folds (``n_jobs``) are
    the parallel unit; ``None`` (as the libraries set them) for an estimator of your own.
    ``xgb`` and ``knn`` given threads of their own in ``model_params`` (``n_jobs``; XGBoost's
    ``nthread`` too, also in ``xgb_params``: the larger where both are given) get that many
    (``xgb`` with ``n_jobs=2`` ran on one thread; k-NN's distances on dense tables run on
    OpenMP threads, which its ``n_jobs`` does not set), and ``None`` for ``n_jobs=-1`` (every
    core). Another model's ``n_jobs`` (logistic regression's, which has no effect; a
    forest's joblib workers) leaves the limit at 1: it does not set the BLAS threads.

    Without the limit, logistic regression's solver and k-NN's distances ran on every core
    through OpenBLAS and OpenMP: on a busy 2-core machine an EmoDB leave-one-speaker-out
    evaluation of ``logreg`` took 10-12 s wall (18-20 s CPU) against 1.1 s with one thread,
    the same figures.

    The limit (:func:`limited_threads`, threadpoolctl) is set by the thread that runs the
    model: from the main thread, OpenBLAS's count (the process's: another thread's models
    run on it too) and OpenMP's (that thread's); from another thread (joblib's threading
    backend, a server's workers) OpenMP's alone, and BLAS runs on the process's count. Run
    concurrent evaluations in separate processes.
    """
    if not isinstance(model, str):
        return None
    if model not in ("xgb", "knn"):
        return 1
    params = dict(model_params or {})
    xgb = params.get("xgb_params") if model == "xgb" else None
    given = {**params, **(xgb if isinstance(xgb, Mapping) else {})}
    keys = ("nthread", "n_jobs") if model == "xgb" else ("n_jobs",)
    asked = [given[k] for k in keys if given.get(k) is not None]
    if not asked:
        return 1
    if any(int(n) < 1 for n in asked):  # -1: every core, as XGBoost takes it
        return None
    return max(int(n) for n in asked)


# the limit this thread of control holds (limited_threads): a fold fitted in the process
# whose evaluation holds it already does not enter it again
_HELD: ContextVar[int | None] = ContextVar("emofeat_threads_held", default=None)


_CONTROLLER: list[Any] = [None, -1]  # threadpoolctl's lookup of the libraries, sys.modules' size


def _controller() -> Any:
    """threadpoolctl's controller, looked up again only when modules were imported since
    (a library loaded with an import is found; one opened otherwise, by ctypes, at the next
    import): the lookup is 2.6 ms, and a one-row logreg predict took 4.4-8.8 ms with it
    against 1.7-1.8 ms without."""
    import sys

    from threadpoolctl import ThreadpoolController

    if _CONTROLLER[0] is None or _CONTROLLER[1] != len(sys.modules):
        _CONTROLLER[:] = [ThreadpoolController(), len(sys.modules)]
    return _CONTROLLER[0]


@contextlib.contextmanager
def limited_threads(threads: int | None) -> Iterator[None]:
    """A context in which BLAS and OpenMP libraries use at most ``threads`` threads
    (``threadpoolctl``, process-wide: see :func:`model_threads`); ``None``: as they are.
    Inside a context of the same count (in this thread) nothing is entered again.

    The main thread sets every library's count (OpenBLAS's is the process's); another thread
    (joblib's threading backend, a server's workers) sets OpenMP's alone, which is that
    thread's own. OpenBLAS's count set from a worker thread was not taken back when put back
    there: 4 threads predicting at once left the process's OpenBLAS on one thread."""
    import threading

    if threads is None or _HELD.get() == threads:
        yield
        return
    main = threading.current_thread() is threading.main_thread()
    limiter = _controller().limit(limits=threads, user_api=None if main else "openmp")
    token = _HELD.set(threads)
    try:
        yield
    finally:
        _HELD.reset(token)
        limiter.restore_original_limits()


def _check_seed(random_state: Any) -> None:
    """Refuse a ``random_state`` scikit-learn's estimators would refuse (see
    :func:`build_estimator`), before any fit, naming it."""
    if random_state is None or isinstance(random_state, np.random.RandomState):
        return
    if _is_count(random_state, 0) and random_state <= 2**32 - 1:
        return
    said = option("random_state must be None, an integer from 0 to 4294967295 or a "
                  "numpy.random.RandomState", "--seed must be an integer from 0 to 4294967295")
    raise ValueError(f"{said} (the seed of the model, and of evaluate's folds), got "
                     f"{random_state!r}")


def build_estimator(
    model: Any,
    task: str,
    *,
    standardize: str | None = None,
    model_params: dict[str, Any] | None = None,
    random_state: int | None = 0,
):
    """A fresh estimator from a model name or an sklearn estimator (cloned).

    Parameters
    ----------
    model : str or sklearn estimator
        A name for :func:`make_classifier` / :func:`make_regressor`, or an estimator.
    task : {"classification", "regression", "multilabel"}
        ``multilabel``: the model (a pipeline's last step) is wrapped in a
        :class:`~sklearn.multiclass.OneVsRestClassifier` (see :func:`one_vs_rest`).
    standardize : {None, "group"}
        Per-group standardisation (names only; put a ``GroupStandardScaler`` in your own
        pipeline otherwise).
    model_params : dict, optional
        Overrides of the model's parameters. A ``random_state`` here seeds the model and wins
        over ``random_state`` (CLI: ``--param random_state=3`` over ``--seed``). A
        ``class_weight`` dict names classes as the labels are written, matched in their
        canonical form (see :func:`canonical_class_weight`).
    random_state : int or None
        Seed of a named model (unless ``model_params`` gives one); in an estimator of your
        own, the value of every ``random_state`` parameter left at ``None`` (its own seeds
        are kept), so that a seed reproduces the figures whatever the model.

    Returns
    -------
    estimator
        Unfitted.

    Raises
    ------
    ValueError
        ``random_state`` neither ``None``, an integer from 0 to 2**32 - 1 nor a
        ``numpy.random.RandomState``: what scikit-learn's estimators take (``'a'``, ``2.5``
        and ``-1`` failed in numpy's seeding or in XGBoost, naming neither the parameter
        nor what it takes).
    """
    _check_seed(random_state)
    if isinstance(model, str):
        factory = make_regressor if task == "regression" else make_classifier
        params = dict(model_params or {})
        # the explicit override wins: passed on as well it would be a duplicate keyword
        seed = params.pop("random_state", random_state)
        est = factory(model, standardize=standardize, random_state=seed, **params)
        est = one_vs_rest(est) if task == "multilabel" else est
    else:
        column = group_column_of(model)
        if column is not None:
            # evaluate, evaluate_cross_corpus and train hand the model arrays, and each row's
            # group through groups=: such a scaler failed in the first fold with "needs a
            # DataFrame with that column", a table the caller cannot give
            raise ValueError(
                f"the model's GroupStandardScaler(group_column={column!r}) reads each row's "
                "group from a column of a DataFrame X, and evaluate, evaluate_cross_corpus "
                "and train give the model arrays, with the groups of groups=: use "
                "standardize='group' with a model name, or a GroupStandardScaler() without "
                "group_column in your pipeline (make_classifier(..., standardize='group'))")
        if standardize == "group" and not uses_groups(model):
            raise ValueError("standardize='group' applies to models given by name; for your "
                             "own estimator put a GroupStandardScaler in its pipeline")
        if model_params:
            model = clone(model).set_params(**model_params)
        est = one_vs_rest(clone(model)) if task == "multilabel" else clone(model)
        if random_state is not None:
            # an unseeded estimator of the user's (sklearn's default random_state=None) drew
            # from the global RNG: two runs with the same seed gave different figures
            est.set_params(**{k: random_state for k, v in est.get_params(deep=True).items()
                              if (k == "random_state" or k.endswith("__random_state"))
                              and v is None})
    if task == "classification":
        est.set_params(**canonical_class_weights(est.get_params(deep=True)))
    return est


def canonical_class_weight(weights: Mapping) -> dict:
    """A ``class_weight`` dict keyed the way every model finds the package's labels.

    :func:`~emofeat.classifiers.validation.prepare` turns class labels into their canonical
    strings (``1`` and ``1.0`` become ``"1"``), and scikit-learn looks a class ``c`` up as
    ``int(c)`` when it reads as an integer: each key becomes its
    :func:`~emofeat.classifiers.label_maps.class_weight_key`, so ``{1: 2.0}``,
    ``{1.0: 2.0}`` and ``{"1": 2.0}`` all weigh the class ``"1"`` for every model (the
    XGBoost wrapper matches keys the same way).
    """
    return {class_weight_key(key): weight for key, weight in weights.items()}


def canonical_class_weights(params: Mapping[str, Any]) -> dict[str, Any]:
    """The ``class_weight`` dicts among ``params`` (``get_params(deep=True)`` or a grid
    point: keys ``class_weight`` or ``<step>__class_weight``), made canonical."""
    return {k: canonical_class_weight(v) for k, v in params.items()
            if (k == "class_weight" or k.endswith("__class_weight")) and isinstance(v, Mapping)}


def check_class_weights(estimator, y, label_map: Any = None) -> None:
    """Refuse a ``class_weight`` dict of ``estimator`` naming a label that is no class of the
    (mapped) labels ``y``: scikit-learn's models said "The classes, [every class], are not
    in class_weight", naming the classes rather than the key at fault (a key of the labels
    before ``label_map``: ``{"happiness": 5}`` with EmoDB mapped to ``joy``), or, when the
    dict named every class as well, left the key out without a word.

    Raises
    ------
    DataError
    """
    from .validation import DataError

    classes = M.sort_labels(y)
    known = {class_weight_key(c) for c in classes}
    for weights in canonical_class_weights(estimator.get_params(deep=True)).values():
        unknown = [k for k in weights if k not in known]
        if unknown:
            mapped = (f" (the labels after label_map {label_map!r})"
                      if isinstance(label_map, str) else
                      " (the labels after label_map)" if label_map is not None else "")
            raise DataError(f"class_weight names {unknown}, no class of the target; its "
                            f"classes are {[str(c) for c in classes]}{mapped}")


def one_vs_rest(estimator):
    """The multi-label form of a classifier: one binary model per label.

    The last step of a pipeline (or the estimator itself) becomes
    ``OneVsRestClassifier(step)``, so imputation, scaling and per-group standardisation are
    fitted once per fold and shared by the labels. An estimator (or last step) that is
    already a ``OneVsRestClassifier``, ``MultiOutputClassifier`` or ``ClassifierChain`` is
    kept as it is.
    """
    if isinstance(estimator, Pipeline):
        name, last = estimator.steps[-1]
        if isinstance(last, _MULTILABEL_WRAPPERS):
            return estimator
        return estimator.set_params(**{name: OneVsRestClassifier(last)})
    if isinstance(estimator, _MULTILABEL_WRAPPERS):
        return estimator
    return OneVsRestClassifier(estimator)


class FittedModel:
    """A fitted estimator with the metadata its predictions need.

    A pipeline with a per-group standardiser needs the group of every row at predict time as
    well; this wrapper passes them through sklearn's metadata routing when it does, and
    ignores them when it does not.

    Parameters
    ----------
    est : fitted sklearn estimator
    needs_groups : bool
        Whether ``est`` asks for ``groups`` (see :func:`~emofeat.classifiers.models.uses_groups`).
    """

    def __init__(self, est, needs_groups: bool):
        self.est, self.needs_groups = est, needs_groups

    @classmethod
    def of(cls, est) -> FittedModel:
        """Wrap an already fitted estimator."""
        return cls(est, uses_groups(est))

    def predict(self, X, groups=None) -> np.ndarray:
        """``est.predict(X)``, with ``groups`` routed to the steps that ask for them."""
        if self.needs_groups:
            with sklearn.config_context(enable_metadata_routing=True):
                return self.est.predict(X, groups=groups)
        return self.est.predict(X)

    def predict_proba(self, X, groups=None) -> np.ndarray | None:
        """Class probabilities (columns in ``classes_`` order), or ``None`` for a model
        without them (an SVC without ``probability=True``)."""
        if not hasattr(self.est, "predict_proba"):
            return None
        kw = {"groups": groups} if self.needs_groups else {}
        with sklearn.config_context(enable_metadata_routing=self.needs_groups):
            return np.asarray(self.est.predict_proba(X, **kw), dtype=float)

    def decision_scores(self, X, groups=None) -> np.ndarray | None:
        """``decision_function`` as one column per class (``classes_`` order; a binary
        model's single score becomes ``(-d, d)``), or ``None`` for a model without it or
        whose scores are not per class (:func:`pairwise_scores`)."""
        if not hasattr(self.est, "decision_function") or pairwise_scores(self.est):
            return None
        kw = {"groups": groups} if self.needs_groups else {}
        with sklearn.config_context(enable_metadata_routing=self.needs_groups):
            d = np.asarray(self.est.decision_function(X, **kw), dtype=float)
        return np.column_stack([-d, d]) if d.ndim == 1 else d

    def frame_scores(self, X, groups=None) -> tuple[np.ndarray, str]:
        """Class probabilities of each row (columns in ``classes_`` order) and how they were
        obtained: ``predict_proba`` when the model has it, otherwise the softmax over classes
        of ``decision_function`` (an SVC without ``probability=True``)."""
        proba = self.predict_proba(X, groups)
        if proba is not None:
            return proba, "predict_proba"
        d = self.decision_scores(X, groups)
        if d is None and pairwise_scores(self.est):
            raise ValueError("pooling needs class scores, and decision_function_shape='ovo' "
                             "gives one score per pair of classes: use decision_function_shape="
                             "'ovr' (the default)")
        if d is None:
            raise ValueError("pooling needs a model with predict_proba or decision_function")
        e = np.exp(d - d.max(axis=1, keepdims=True))
        return e / e.sum(axis=1, keepdims=True), "softmax(decision_function)"


def pairwise_scores(est) -> bool:
    """Whether ``decision_function`` of a fitted classifier (or pipeline) gives one column
    per pair of classes, not per class: an SVC with ``decision_function_shape="ovo"`` and
    more than two classes (three classes give three columns, looking like class scores)."""
    final = est.steps[-1][1] if isinstance(est, Pipeline) else est
    return (getattr(final, "decision_function_shape", None) == "ovo"
            and len(getattr(est, "classes_", ())) > 2)


def standardization(estimator, standardize: str | None, groups: str | None) -> str | None:
    """What the model does, for its settings: ``"group"`` where ``standardize="group"`` or
    where ``estimator`` (a pipeline of the user's) holds a :class:`GroupStandardScaler`
    that takes ``groups``, else ``standardize``.

    Raises
    ------
    ValueError
        Per-group standardisation without ``groups``: the scaler would have no group per
        row (``evaluate``'s trialwise protocol gave it one placeholder group of every row,
        a global scaling said to be per group nowhere).
    """
    own = standardize != "group" and uses_groups(estimator)
    if (standardize == "group" or own) and groups is None:
        raise ValueError("the model's GroupStandardScaler standardises each group with its "
                         "own statistics and needs groups= (the speaker/subject column)"
                         if own else "standardize='group' needs groups=")
    return "group" if own else standardize


def fit_model(estimator, X, y, groups=None) -> FittedModel:
    """Fit ``estimator`` in place, passing ``groups`` through metadata routing when a step
    asks for them."""
    needs_groups = uses_groups(estimator)
    if needs_groups:
        with sklearn.config_context(enable_metadata_routing=True):
            estimator.fit(X, y, groups=groups)
    else:
        estimator.fit(X, y)
    return FittedModel(estimator, needs_groups)


def selection_score(task: str):
    """The score a search maximises (and permutation importance measures drops of): UAR for
    classification, macro-F1 over labels for multi-label, CCC for regression."""
    if task == "multilabel":
        return M.macro_f1
    return M.unweighted_average_recall if task == "classification" else M.concordance_correlation


def nested_search(estimator, param_grid: dict[str, list], X, y, groups, units, task: str,
                  inner_splits: int, seed) -> tuple[Any, dict[str, Any], float]:
    """Grid search on one training fold with inner folds of whole ``units``.

    Written out (rather than GridSearchCV) so that a per-group standardiser gets the groups at
    predict time in the inner folds too.

    An inner fold whose score is undefined (NaN: the CCC of a one-row fold or of a constant
    target predicted exactly) is left out of that grid point's mean; the mean is over the
    inner folds where the score is defined. So is, for a classification, an inner fold whose
    training rows hold one class (its units all of one class): no classifier can be fitted
    on it (an SVM refuses it, a random forest fits a one-class model whose score means
    nothing).

    Returns
    -------
    (estimator, params, score)
        An unfitted clone with the best parameters, those parameters and their mean inner
        score (UAR, or CCC for regression).

    Raises
    ------
    ProtocolError
        No grid point has a defined score on any inner fold, or every inner fold trains on
        one class.
    """
    steps = getattr(estimator, "steps", None)
    # keys without "__" address the model: the pipeline's last step, inside its one-vs-rest
    # wrapper for a multi-label target
    last = steps[-1][1] if steps else estimator
    inner = "estimator__" if isinstance(last, OneVsRestClassifier) else ""
    prefix = f"{steps[-1][0]}__{inner}" if steps else inner
    grid = {(k if "__" in k else f"{prefix}{k}"): v for k, v in param_grid.items()}
    score = selection_score(task)
    # stratified by class for a classification only: a multi-label target's rows have no
    # one class, a regression's none at all
    inner = inner_folds(y if task == "classification" else None, units, inner_splits, seed)
    if task == "classification":
        usable = [(tr, te) for tr, te in inner if len(np.unique(y[tr])) > 1]
        if not usable:
            raise ProtocolError(
                f"every inner fold of the nested search trains on one class: the "
                f"{len(np.unique(units))} units of a training fold of {len(y)} rows have their "
                "classes confounded with them; give each class rows of more groups, or "
                "evaluate without param_grid")
        inner = usable
    best, best_score = None, -np.inf
    for params in ParameterGrid(grid):
        params = {**params, **canonical_class_weights(params)}  # as build_estimator does
        vals = []
        for tr, te in inner:
            est = clone(estimator).set_params(**params)
            fitted = fit_model(est, X[tr], y[tr], groups[tr])
            vals.append(score(y[te], fitted.predict(X[te], groups=groups[te])))
        vals = np.asarray(vals, dtype=float)
        if np.isnan(vals).all():
            continue
        # a NaN would make every comparison false and leave the search without a choice
        mean = float(np.nanmean(vals))
        if mean > best_score:
            best, best_score = params, mean
    if best is None:
        raise ProtocolError(
            f"the nested search has no defined inner score: on each of the {len(inner)} inner "
            f"folds of a training fold of {len(y)} rows the {score.__name__} is undefined "
            "(NaN: e.g. the CCC of a one-row fold); give each training fold more groups "
            "or rows, or lower inner_splits")
    return clone(estimator).set_params(**best), best, best_score


@dataclass
class FoldFit:
    """One fold after fitting: its rows, the fitted model and the search's choice."""

    k: int
    fold: Fold
    train: np.ndarray  # the rows the model was fitted on
    test: np.ndarray  # the held-out rows to score
    model: FittedModel
    best_params: dict[str, Any] | None = field(default=None)


@dataclass
class Search:
    """A nested hyperparameter search inside every training fold."""

    param_grid: dict[str, list]
    units: np.ndarray  # inner folds keep each unit's rows together
    inner_splits: int
    seed: Any


def fit_folds(
    estimator,
    folds: Sequence[Fold],
    X: np.ndarray,
    y: np.ndarray,
    groups: np.ndarray,
    task: str,
    *,
    search: Search | None = None,
    select: Callable[[np.ndarray, str], np.ndarray] | None = None,
    n_jobs: int | None = 1,
    threads: int | None = None,
) -> Iterator[FoldFit]:
    """Fit a clone of ``estimator`` on the training rows of every fold, in order.

    Parameters
    ----------
    estimator : unfitted estimator
    folds : sequence of Fold
    X, y, groups : ndarray
        All rows; each fold uses its own.
    task : {"classification", "regression"}
    search : Search, optional
        Search hyperparameters on each training fold first (inner folds of whole units).
    select : callable, optional
        ``select(rows, "train" | "test")`` keeps a subset of a fold's rows (frame
        subsampling of pooled evaluation); the default keeps all.
    n_jobs : int or None
        Folds fitted at once, in separate processes (joblib; ``-1``: one per core). Each
        model keeps its own thread setting, so keep ``n_jobs`` x the model's threads within
        the cores. Folds are yielded in order whatever finishes first, and the results equal
        a serial run (every fold's seed is fixed).
    threads : int or None
        Threads of the BLAS and OpenMP libraries while a fold fits, in this process or a
        worker (:func:`model_threads`; ``None``: as they are; joblib's workers otherwise
        get the cores divided by ``n_jobs``).

    Yields
    ------
    FoldFit
    """
    rows = [(fold.train if select is None else select(fold.train, "train"),
             fold.test if select is None else select(fold.test, "test")) for fold in folds]
    if n_jobs in (None, 1) or len(folds) < 2:
        for k, fold in enumerate(folds):
            yield _fit_fold(estimator, k, fold, *rows[k], X, y, groups, task, search, threads)
        return
    from joblib import Parallel, delayed

    # the generator keeps the order and hands each fold over as soon as it and the ones
    # before it are done, so progress lines still come fold by fold
    yield from Parallel(n_jobs=n_jobs, return_as="generator")(
        delayed(_fit_fold)(estimator, k, fold, *rows[k], X, y, groups, task, search, threads)
        for k, fold in enumerate(folds))


def _fit_fold(estimator, k: int, fold: Fold, tr: np.ndarray, te: np.ndarray, X, y, groups,
              task: str, search: Search | None, threads: int | None = None) -> FoldFit:
    """Clone, optionally search, and fit on one fold's training rows (with at most
    ``threads`` BLAS/OpenMP threads: see :func:`model_threads`)."""
    est, best = clone(estimator), None
    with limited_threads(threads):
        if search is not None:
            est, best, _ = nested_search(est, search.param_grid, X[tr], y[tr], groups[tr],
                                         search.units[tr], task, search.inner_splits,
                                         search.seed)
        fitted = fit_model(est, X[tr], y[tr], groups[tr])
    return FoldFit(k, fold, tr, te, fitted, best)
