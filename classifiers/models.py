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
from sklearn.utils.class_weight import compute_sample_weight
from sklearn.utils.validation import check_is_fitted

from .standardize import GroupStandardScaler

_CLASSIFIERS = {
    "svm": "support vector machine, RBF kernel (C=1, gamma='scale', balanced class weights); "
           "kernel='linear' for a linear one",
    "linear_svm": "linear support vector machine, liblinear (C=0.1, balanced class weights)",
    "logreg": "multinomial logistic regression (C=1, balanced class weights)",
    "rf": "random forest, 300 trees (balanced class weights)",
    "xgb": "XGBoost gradient boosting, 300 trees of depth 4 (balanced sample weights, CPU; "
           "device='cuda' for a GPU)",
    "knn": "k nearest neighbours (k=5, distance-weighted)",
}
_REGRESSORS = {
    "svr": "support vector regression, RBF kernel (C=1, epsilon=0.1)",
    "ridge": "ridge regression (alpha=1)",
    "rf": "random forest regression, 300 trees",
    "xgb": "XGBoost regression, 300 trees of depth 4 (CPU; device='cuda' for a GPU)",
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


class _XGBBase(BaseEstimator):
    """Shared parameters of the XGBoost wrappers (explicit, so clone/get_params work)."""

    def __init__(
        self,
        n_estimators: int = 300,
        max_depth: int = 4,
        learning_rate: float = 0.1,
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
        self.subsample = subsample
        self.colsample_bytree = colsample_bytree
        self.device = device
        self.n_jobs = n_jobs
        self.random_state = random_state
        self.xgb_params = xgb_params

    def _xgb_kwargs(self) -> dict[str, Any]:
        return {
            "n_estimators": self.n_estimators, "max_depth": self.max_depth,
            "learning_rate": self.learning_rate, "subsample": self.subsample,
            "colsample_bytree": self.colsample_bytree, "device": self.device,
            "n_jobs": self.n_jobs, "random_state": self.random_state, "tree_method": "hist",
            **(self.xgb_params or {}),
        }

    @property
    def feature_importances_(self) -> np.ndarray:
        check_is_fitted(self, "booster_")
        return self.booster_.feature_importances_


class XGBLabelClassifier(ClassifierMixin, _XGBBase):
    """XGBoost classifier that takes and returns the user's own labels (strings included).

    Labels are encoded with a :class:`~sklearn.preprocessing.LabelEncoder` for XGBoost and
    decoded on prediction. ``class_weight="balanced"`` weights samples inversely to their class
    frequency. Runs on the CPU unless ``device="cuda"``. Any other XGBoost parameter goes in
    ``xgb_params``.
    """

    def __init__(self, n_estimators: int = 300, max_depth: int = 4, learning_rate: float = 0.1,
                 subsample: float = 0.8, colsample_bytree: float = 0.5,
                 class_weight: str | None = "balanced", device: str = "cpu", n_jobs: int = 1,
                 random_state: int | None = 0, xgb_params: dict[str, Any] | None = None):
        super().__init__(n_estimators=n_estimators, max_depth=max_depth,
                         learning_rate=learning_rate, subsample=subsample,
                         colsample_bytree=colsample_bytree, device=device, n_jobs=n_jobs,
                         random_state=random_state, xgb_params=xgb_params)
        self.class_weight = class_weight

    def fit(self, X, y, sample_weight=None) -> XGBLabelClassifier:
        from xgboost import XGBClassifier

        self.encoder_ = LabelEncoder().fit(y)
        self.classes_ = self.encoder_.classes_
        y_enc = self.encoder_.transform(y)
        if sample_weight is None and self.class_weight == "balanced":
            sample_weight = compute_sample_weight("balanced", y_enc)
        self.booster_ = XGBClassifier(**self._xgb_kwargs())
        self.booster_.fit(np.asarray(X), y_enc, sample_weight=sample_weight)
        self.n_features_in_ = np.asarray(X).shape[1]
        return self

    def predict_proba(self, X) -> np.ndarray:
        check_is_fitted(self, "booster_")
        return self.booster_.predict_proba(np.asarray(X))

    def predict(self, X) -> np.ndarray:
        return self.classes_[np.argmax(self.predict_proba(X), axis=1)]


class XGBRegressorCPU(RegressorMixin, _XGBBase):
    """XGBoost regressor with emofeat's defaults (CPU unless ``device="cuda"``)."""

    def fit(self, X, y, sample_weight=None) -> XGBRegressorCPU:
        from xgboost import XGBRegressor

        self.booster_ = XGBRegressor(**self._xgb_kwargs())
        self.booster_.fit(np.asarray(X), np.asarray(y, dtype=float), sample_weight=sample_weight)
        self.n_features_in_ = np.asarray(X).shape[1]
        return self

    def predict(self, X) -> np.ndarray:
        check_is_fitted(self, "booster_")
        return self.booster_.predict(np.asarray(X))


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
        from sklearn.ensemble import RandomForestClassifier

        return RandomForestClassifier(**{"n_estimators": 300, "class_weight": "balanced",
                                         "n_jobs": 1, "random_state": random_state, **params})
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
        from sklearn.svm import SVR

        return SVR(**{"kernel": "rbf", "C": 1.0, "epsilon": 0.1, "gamma": "scale", **params})
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


def uses_groups(estimator) -> bool:
    """Whether an estimator (or a step of a pipeline) needs ``groups`` metadata."""
    if isinstance(estimator, GroupStandardScaler):
        return estimator.group_column is None
    return any(uses_groups(step) for _, step in getattr(estimator, "steps", []))
