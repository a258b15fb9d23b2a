"""Ready pipelines with defaults suited to small, imbalanced emotion corpora.

Every pipeline imputes missing values (median) and scales (z-score) inside itself, so
cross-validation fits both on training folds only. Optionally a per-group standardiser
(:class:`~emofeat.classifiers.standardize.GroupStandardScaler`) comes first.

Classifiers: ``svm`` (RBF; ``kernel="linear"`` for a linear kernel), ``linear_svm``
(liblinear), ``logreg``, ``rf``, ``xgb``, ``knn``. Regressors (valence, arousal, dominance,
intensities): ``svr``, ``ridge``, ``rf``, ``xgb``, ``knn``.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from sklearn.base import BaseEstimator, ClassifierMixin, RegressorMixin
from sklearn.impute import SimpleImputer
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import LabelEncoder, StandardScaler
from sklearn.utils.multiclass import type_of_target
from sklearn.utils.validation import check_is_fitted, validate_data

from .label_maps import class_weight_key
from .standardize import GroupStandardScaler

_CLASSIFIERS = {
    "svm": "support vector machine, RBF kernel (C=1, gamma='scale', balanced class weights); "
           "kernel='linear' for a linear one",
    "linear_svm": "linear support vector machine, liblinear (C=0.1, balanced class weights)",
    "logreg": "multinomial logistic regression (C=1, balanced class weights)",
    "rf": "random forest, 300 trees (balanced class weights)",
    "xgb": "XGBoost gradient boosting, 100 rounds of depth-3 trees on 64-bin histograms, "
           "learning rate 0.15 (balanced sample weights, one CPU thread; device='cuda' for a "
           "GPU)",
    "knn": "k nearest neighbours (k=5, distance-weighted)",
}
_REGRESSORS = {
    "svr": "support vector regression, RBF kernel (C=1, epsilon=0.1), target z-scored",
    "ridge": "ridge regression (alpha=1)",
    "rf": "random forest regression, 300 trees",
    "xgb": "XGBoost regression, 100 rounds of depth-3 trees on 64-bin histograms, learning "
           "rate 0.15 (one CPU thread; device='cuda' for a GPU)",
    "knn": "k nearest neighbours regression (k=5, distance-weighted)",
}


def list_models(task: str = "classification") -> dict[str, str]:
    """Model names accepted by :func:`make_classifier` (or :func:`make_regressor`).

    Parameters
    ----------
    task : {"classification", "regression"}

    Returns
    -------
    dict
        Name -> description of the defaults.
    """
    if task == "classification":
        return dict(_CLASSIFIERS)
    if task == "regression":
        return dict(_REGRESSORS)
    raise ValueError(f"task must be 'classification' or 'regression', got {task!r}")


# Defaults sized for emotion corpora (hundreds to a few thousand rows, hundreds of
# functionals): 64 histogram bins are ~20 rows per bin on RAVDESS and cut the per-tree cost of
# split finding ~3x against 256; depth-3 trees with a learning rate of 0.15 reach, within
# noise, the UAR of 300 depth-4 rounds at 0.1 in 100 rounds (docs/classifiers.md: measured
# leave-one-speaker-out on RAVDESS). One thread: folds are the parallel unit
# (evaluate(n_jobs=...)), and XGBoost's threads on a few thousand rows mostly wait for each
# other.


class _XGBBase(BaseEstimator):
    """Shared parameters of the XGBoost wrappers (explicit, so clone/get_params work).

    Input validation follows scikit-learn's own estimators (``validate_data``): ``fit`` records
    ``n_features_in_`` (and ``feature_names_in_`` for a DataFrame), later calls refuse a
    different number of columns or differently named ones, and every method but ``fit`` raises
    :class:`~sklearn.exceptions.NotFittedError` before ``fit``. NaN is accepted (XGBoost treats
    it as missing and learns a default direction); infinity is refused.
    """

    def __init__(
        self,
        *,
        n_estimators: int = 100,
        max_depth: int = 3,
        learning_rate: float = 0.15,
        max_bin: int = 64,
        subsample: float = 0.8,
        colsample_bytree: float = 0.5,
        device: str = "cpu",
        n_jobs: int = 1,
        random_state: int | None = 0,
        xgb_params: dict[str, Any] | None = None,
    ):
        self.n_estimators = n_estimators
        self.max_depth = max_depth
        self.learning_rate = learning_rate
        self.max_bin = max_bin
        self.subsample = subsample
        self.colsample_bytree = colsample_bytree
        self.device = device
        self.n_jobs = n_jobs
        self.random_state = random_state
        self.xgb_params = xgb_params

    def _xgb_kwargs(self) -> dict[str, Any]:
        return {
            "n_estimators": self.n_estimators, "max_depth": self.max_depth,
            "learning_rate": self.learning_rate, "max_bin": self.max_bin,
            "subsample": self.subsample,
            "colsample_bytree": self.colsample_bytree, "device": self.device,
            "n_jobs": self.n_jobs, "random_state": self.random_state, "tree_method": "hist",
            **(self.xgb_params or {}),
        }

    def _check_X(self, X) -> np.ndarray:
        """``X`` of a fitted model: same width (and names) as at fit, NaN allowed."""
        check_is_fitted(self, "booster_")
        return validate_data(self, X, reset=False, ensure_all_finite="allow-nan",
                             dtype=np.float64)

    @property
    def feature_importances_(self) -> np.ndarray:
        """Gain-based importance of each input column (XGBoost's ``feature_importances_``)."""
        check_is_fitted(self, "booster_")
        return self.booster_.feature_importances_

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.allow_nan = True  # missing values go down a learnt default branch
        return tags


class XGBLabelClassifier(ClassifierMixin, _XGBBase):
    """XGBoost classifier that takes and returns the user's own labels (strings included).

    Labels are encoded with a :class:`~sklearn.preprocessing.LabelEncoder` for XGBoost and
    decoded on prediction. Runs on the CPU unless ``device="cuda"``. Any other XGBoost
    parameter goes in ``xgb_params``.

    Parameters
    ----------
    n_estimators, max_depth, learning_rate, max_bin, subsample, colsample_bytree : number
        XGBoost's parameters of the same names. The defaults (100 rounds of depth-3 trees,
        learning rate 0.15, 64 histogram bins, ``tree_method="hist"``) finish a
        leave-one-speaker-out evaluation of RAVDESS MFCC functionals in about 2.4 CPU
        minutes; ``n_estimators=300, max_depth=4, learning_rate=0.1, max_bin=256`` (the
        former defaults) take about ten times as long for a UAR within noise of it
        (docs/classifiers.md).
    class_weight : "balanced", dict or None
        ``"balanced"`` weights samples inversely to their class frequency (counted with any
        ``sample_weight``, as scikit-learn and the random forest count it); a dict maps a
        label to its weight (labels it does not name weigh 1), as in scikit-learn, whose
        lookup it shares: a key names a class when both read as the same integer (``1``,
        ``1.0``, ``"1"``) or have the same text. The class
        weights multiply any ``sample_weight`` given to :meth:`fit`.
    device : str
        ``"cpu"`` or ``"cuda"``.
    n_jobs : int
        Threads of XGBoost (1: parallelise over folds instead, which scales better on small
        tables).
    random_state : int or None
        Seed of XGBoost's row and column subsampling.
    xgb_params : dict, optional
        Any other XGBoost parameter (``{"gamma": 0.5}``).

    Attributes
    ----------
    classes_ : ndarray
        The labels, sorted.
    booster_ : xgboost.XGBClassifier
        The fitted XGBoost model (on label codes ``0..n_classes-1``).
    n_features_in_ : int
    feature_names_in_ : ndarray of str
        Only when fitted on a DataFrame with string column names.
    """

    def __init__(self, *, n_estimators: int = 100, max_depth: int = 3,
                 learning_rate: float = 0.15, max_bin: int = 64, subsample: float = 0.8,
                 colsample_bytree: float = 0.5,
                 class_weight: str | dict | None = "balanced", device: str = "cpu",
                 n_jobs: int = 1, random_state: int | None = 0,
                 xgb_params: dict[str, Any] | None = None):
        super().__init__(n_estimators=n_estimators, max_depth=max_depth,
                         learning_rate=learning_rate, max_bin=max_bin, subsample=subsample,
                         colsample_bytree=colsample_bytree, device=device, n_jobs=n_jobs,
                         random_state=random_state, xgb_params=xgb_params)
        self.class_weight = class_weight

    def fit(self, X, y, sample_weight=None) -> XGBLabelClassifier:
        """Fit on ``X`` (n_samples, n_features) and class labels ``y``.

        Raises
        ------
        ValueError
            A continuous (float) target, fewer than two classes, a ``class_weight`` naming
            labels absent from ``y``, or ``X`` with infinite values.
        """
        from xgboost import XGBClassifier

        X, y = validate_data(self, X, y, ensure_all_finite="allow-nan", dtype=np.float64)
        y_type = type_of_target(y, input_name="y")
        if y_type not in ("binary", "multiclass"):
            # without this a float target (valence 0.13, 0.57, ...) became one class per value
            raise ValueError(
                f"Unknown label type: {y_type}. XGBLabelClassifier needs class labels; y holds "
                f"{len(np.unique(y))} distinct values such as {np.unique(y)[:3].tolist()}; "
                "for a numeric dimension use a regressor (make_regressor('xgb'))")
        self.encoder_ = LabelEncoder().fit(y)
        self.classes_ = self.encoder_.classes_
        if len(self.classes_) < 2:
            raise ValueError(f"XGBLabelClassifier needs at least 2 classes in y, got 1 class "
                             f"({self.classes_[:1].tolist()[0]!r})")
        y_enc = self.encoder_.transform(y)
        weight = _check_sample_weight(sample_weight, X) if sample_weight is not None else None
        weight = self._class_weights(y, weight)
        self.booster_ = XGBClassifier(**self._xgb_kwargs())
        self.booster_.fit(X, y_enc, sample_weight=weight)
        return self

    def _class_weights(self, y: np.ndarray, weight: np.ndarray | None) -> np.ndarray | None:
        """The per-sample weights ``weight`` (``sample_weight``, None: none) with
        ``class_weight``'s folded in (None when both are None)."""
        cw = self.class_weight
        if cw is None:
            return weight
        if isinstance(cw, dict):
            # keys and labels compared as scikit-learn does (class_weight_key): {1: 2.0}
            # weighs the label "1" (integer classes of a table are strings after prepare)
            # and 1.0 the label 1
            weights = {class_weight_key(k): float(w) for k, w in cw.items()}
            known = {class_weight_key(c) for c in self.classes_.tolist()}
            unknown = [k for k in cw if class_weight_key(k) not in known]
            if unknown:
                raise ValueError(f"class_weight names labels absent from y: {unknown}; the "
                                 f"labels are {self.classes_.tolist()}")
            per_row = np.array([weights.get(class_weight_key(lab), 1.0) for lab in y.tolist()])
            return per_row if weight is None else weight * per_row
        if isinstance(cw, str) and cw == "balanced":
            # classes counted with the weights, as the forest (and scikit-learn) count them
            from ._forest import balanced_sample_weight

            return balanced_sample_weight(y, weight)
        raise ValueError(f"class_weight must be 'balanced', a dict or None, got {cw!r}")

    def predict_proba(self, X) -> np.ndarray:
        """Class probabilities, columns in ``classes_`` order."""
        X = self._check_X(X)
        return self.booster_.predict_proba(X)

    def predict(self, X) -> np.ndarray:
        """The most probable label of each row (the user's labels, not codes)."""
        proba = self.predict_proba(X)  # first: raises NotFittedError before fit
        return self.classes_[np.argmax(proba, axis=1)]


class XGBRegressorCPU(RegressorMixin, _XGBBase):
    """XGBoost regressor with emofeat's defaults (CPU unless ``device="cuda"``).

    Parameters are those of :class:`XGBLabelClassifier` less ``class_weight``.
    """

    def fit(self, X, y, sample_weight=None) -> XGBRegressorCPU:
        """Fit on ``X`` (n_samples, n_features) and a numeric target ``y``."""
        from xgboost import XGBRegressor

        X, y = validate_data(self, X, y, ensure_all_finite="allow-nan", dtype=np.float64,
                             y_numeric=True)
        if sample_weight is not None:
            sample_weight = _check_sample_weight(sample_weight, X)
        self.booster_ = XGBRegressor(**self._xgb_kwargs())
        self.booster_.fit(X, np.asarray(y, dtype=float), sample_weight=sample_weight)
        return self

    def predict(self, X) -> np.ndarray:
        """Predicted target of each row."""
        X = self._check_X(X)
        return self.booster_.predict(X)


def _check_sample_weight(sample_weight, X: np.ndarray) -> np.ndarray:
    """``sample_weight`` as a float array of one finite, non-negative weight per row of X."""
    w = np.asarray(sample_weight, dtype=np.float64)
    if w.ndim == 0:
        w = np.full(X.shape[0], float(w))
    if w.shape != (X.shape[0],):
        raise ValueError(f"sample_weight has shape {w.shape}, expected ({X.shape[0]},)")
    if not np.isfinite(w).all() or (w < 0).any():
        raise ValueError("sample_weight must be finite and non-negative")
    if not w.any():
        raise ValueError("sample_weight is zero for every row; at least one weight must be "
                         "positive")
    return w


def _split_xgb_params(params: dict[str, Any], known: set[str]) -> dict[str, Any]:
    """Move parameters the wrapper does not name into ``xgb_params``."""
    extra = {k: params.pop(k) for k in list(params) if k not in known}
    if extra:
        params["xgb_params"] = {**(params.get("xgb_params") or {}), **extra}
    return params


def _classifier(name: str, random_state: int | None, params: dict[str, Any]):
    if name == "svm":
        from sklearn.svm import SVC

        return SVC(**{"kernel": "rbf", "C": 1.0, "gamma": "scale", "class_weight": "balanced",
                      "random_state": random_state, **params})
    if name == "linear_svm":
        from sklearn.svm import LinearSVC

        return LinearSVC(**{"C": 0.1, "class_weight": "balanced", "max_iter": 5000,
                            "random_state": random_state, **params})
    if name == "logreg":
        from sklearn.linear_model import LogisticRegression

        return LogisticRegression(**{"C": 1.0, "max_iter": 3000, "class_weight": "balanced",
                                     "random_state": random_state, **params})
    if name == "rf":
        # RandomForestClassifier, with balanced weights that work on integer-like labels
        # (its own module: sklearn.ensemble is imported only when a forest is asked for)
        from ._forest import RandomForestLabelClassifier

        return RandomForestLabelClassifier(**{"n_estimators": 300, "class_weight": "balanced",
                                              "n_jobs": 1, "random_state": random_state,
                                              **params})
    if name == "xgb":
        known = set(XGBLabelClassifier().get_params())
        return XGBLabelClassifier(**_split_xgb_params(
            {"random_state": random_state, **params}, known))
    if name == "knn":
        from sklearn.neighbors import KNeighborsClassifier

        return KNeighborsClassifier(**{"n_neighbors": 5, "weights": "distance", **params})
    raise ValueError(f"unknown classifier {name!r}; choose from {sorted(_CLASSIFIERS)}")


def _regressor(name: str, random_state: int | None, params: dict[str, Any]):
    if name == "svr":
        # the target in standard units: C and epsilon are in the target's unit otherwise
        from ._svr import ScaledTargetSVR

        return ScaledTargetSVR(**{"kernel": "rbf", "C": 1.0, "epsilon": 0.1, "gamma": "scale",
                                  **params})
    if name == "ridge":
        from sklearn.linear_model import Ridge

        return Ridge(**{"alpha": 1.0, **params})
    if name == "rf":
        from sklearn.ensemble import RandomForestRegressor

        return RandomForestRegressor(**{"n_estimators": 300, "n_jobs": 1,
                                        "random_state": random_state, **params})
    if name == "xgb":
        known = set(XGBRegressorCPU().get_params())
        return XGBRegressorCPU(**_split_xgb_params(
            {"random_state": random_state, **params}, known))
    if name == "knn":
        from sklearn.neighbors import KNeighborsRegressor

        return KNeighborsRegressor(**{"n_neighbors": 5, "weights": "distance", **params})
    raise ValueError(f"unknown regressor {name!r}; choose from {sorted(_REGRESSORS)}")


def _pipeline(model, standardize: str | None, group_column: str | None) -> Pipeline:
    steps = []
    if standardize == "group":
        # NaN-aware, so it can come before the imputer (and take a string group column)
        steps.append(("group_std", GroupStandardScaler(group_column=group_column)))
    elif standardize not in (None, "none", "global"):
        raise ValueError(f"standardize must be None or 'group', got {standardize!r}")
    elif group_column is not None:
        raise ValueError("group_column is only used with standardize='group'")
    steps += [("impute", SimpleImputer(strategy="median", keep_empty_features=True)),
              ("scale", StandardScaler()), ("model", model)]
    return Pipeline(steps)


def make_classifier(
    name: str = "svm",
    *,
    standardize: str | None = None,
    group_column: str | None = None,
    random_state: int | None = 0,
    **params: Any,
) -> Pipeline:
    """An sklearn ``Pipeline``: [per-group z-score], median imputation, z-score, classifier.

    Parameters
    ----------
    name : str
        One of :func:`list_models` (``svm``, ``linear_svm``, ``logreg``, ``rf``, ``xgb``,
        ``knn``).
    standardize : {None, "group"}
        ``"group"`` starts with a :class:`GroupStandardScaler` (per speaker / subject), which
        needs the groups at fit and predict time (see :mod:`emofeat.classifiers.standardize`).
    group_column : str, optional
        With ``standardize="group"``: read the groups from this column of a DataFrame ``X``
        instead of from ``groups=`` metadata.
    random_state : int or None
        Seed for models that use randomness.
    **params
        Overrides for the model's parameters (``C=10``, ``n_estimators=100``,
        ``class_weight=None``, ``device="cuda"`` for XGBoost, ...).

    Returns
    -------
    Pipeline
        Steps [``group_std``], ``impute``, ``scale``, ``model``.
    """
    return _pipeline(_classifier(name, random_state, dict(params)), standardize, group_column)


def make_regressor(
    name: str = "svr",
    *,
    standardize: str | None = None,
    group_column: str | None = None,
    random_state: int | None = 0,
    **params: Any,
) -> Pipeline:
    """An sklearn ``Pipeline`` for dimensional targets (valence, arousal, intensity).

    Parameters
    ----------
    name : str
        One of ``list_models("regression")``: ``svr``, ``ridge``, ``rf``, ``xgb``, ``knn``.
    standardize : {None, "group"}
    group_column : str, optional
        As in :func:`make_classifier`.
    random_state : int or None
    **params
        Overrides for the model's parameters.

    Returns
    -------
    Pipeline
    """
    return _pipeline(_regressor(name, random_state, dict(params)), standardize, group_column)


def _parts(estimator) -> list:
    """The estimators ``estimator`` is built of: a pipeline's steps, a ColumnTransformer's
    transformers and a FeatureUnion's transformer list (``"drop"``/``"passthrough"`` and
    ``None`` left out), so that a GroupStandardScaler nested in any of them is found."""
    parts = [step for _, step in getattr(estimator, "steps", None) or []]
    # a fitted ColumnTransformer's own fitted transformers (its `transformers` stay unfitted)
    parts += [tr for _, tr, *_ in getattr(estimator, "transformers_", None)
              or getattr(estimator, "transformers", None) or []]
    parts += [tr for _, tr in getattr(estimator, "transformer_list", None) or []]
    return [p for p in parts if p is not None and not isinstance(p, str)]


def nested_parts(estimator) -> list:
    """``estimator`` and every estimator it is built of, at any depth (see :func:`_parts`)."""
    return [estimator, *(p for part in _parts(estimator) for p in nested_parts(part))]


def uses_groups(estimator) -> bool:
    """Whether an estimator (or a part of it: a pipeline's step, a ColumnTransformer's or
    FeatureUnion's transformer, at any depth) needs ``groups`` metadata."""
    # a scaler inside a ColumnTransformer or FeatureUnion was missed: evaluate and train
    # then gave it no groups and failed, advising metadata routing, which cannot help
    return any(isinstance(part, GroupStandardScaler) and part.group_column is None
               for part in nested_parts(estimator))


def scalers_see_features(estimator) -> bool:
    """Whether every :class:`GroupStandardScaler` of ``estimator`` that takes ``groups``
    receives the features as they are: the estimator itself, the first step of a pipeline
    (at any depth) or a member of a FeatureUnion that does. Such scalers can take a
    :class:`~.standardize.GroupRows` (rows of the table's features); one behind another step
    or inside a ColumnTransformer receives something else."""
    def heads(est) -> list:
        steps = getattr(est, "steps", None)
        if steps:
            return [est, *heads(steps[0][1])]
        members = [tr for _, tr in getattr(est, "transformer_list", None) or []
                   if tr is not None and not isinstance(tr, str)]
        return [est, *(h for m in members for h in heads(m))]

    first = {id(p) for p in heads(estimator)}
    return all(id(part) in first for part in nested_parts(estimator)
               if isinstance(part, GroupStandardScaler) and part.group_column is None)


def groups_kept_from_fit(estimator, *, every: bool = True) -> frozenset[str]:
    """The groups (as text) that every :class:`GroupStandardScaler` of ``estimator`` (a fitted
    one; itself or a part of it, as for :func:`uses_groups`) standardises with the statistics
    it stored in fit (``seen_groups="fit"``), not with their rows in the table transformed.

    Parameters
    ----------
    estimator : estimator
        A fitted estimator.
    every : bool
        ``False``: the groups that *any* such scaler standardises with stored statistics
        (their rows set nothing in that scaler, though they may in another).

    Returns
    -------
    frozenset of str
        Empty (``every=True``) when any such scaler standardises with the rows' own
        statistics (``"own"``, the default) or there is none: a group's rows then set its
        statistics somewhere.
    """
    kept = None
    for part in nested_parts(estimator):
        if isinstance(part, GroupStandardScaler):
            # a scaler pickled before seen_groups existed, or fitted with "own" and set to
            # "fit" afterwards, stored no group's statistics
            ids = (set(getattr(part, "group_stats_", None) or ())
                   if getattr(part, "seen_groups", "own") == "fit" else set())
            kept = ids if kept is None else kept & ids if every else kept | ids
    return frozenset(kept or ())


def scalers_keeping_fit_groups(estimator) -> bool:
    """Whether a :class:`GroupStandardScaler` of ``estimator`` (at any depth) is set to
    ``seen_groups="fit"``: fitted, it standardises a group it saw in fit with the
    statistics stored then, wherever that group's id turns up again."""
    return any(isinstance(part, GroupStandardScaler)
               and getattr(part, "seen_groups", "own") == "fit"
               for part in nested_parts(estimator))


def group_column_of(estimator) -> str | None:
    """The ``group_column`` of a :class:`GroupStandardScaler` in ``estimator`` (itself or a
    part of it, as for :func:`uses_groups`) that reads the groups from a DataFrame column,
    else ``None``."""
    return next((part.group_column for part in nested_parts(estimator)
                 if isinstance(part, GroupStandardScaler) and part.group_column is not None),
                None)
