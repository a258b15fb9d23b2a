"""Ready classification pipelines with defaults suited to small, imbalanced emotion corpora.

Every pipeline imputes and scales inside itself, so cross-validation fits both on training
folds only.
"""

from __future__ import annotations

from typing import Any

from sklearn.impute import SimpleImputer
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import StandardScaler

_MODELS = {
    "svm": "RBF support vector machine (C=1, gamma='scale', balanced class weights)",
    "linear_svm": "linear support vector machine (balanced class weights)",
    "logreg": "multinomial logistic regression (balanced class weights)",
    "rf": "random forest, 500 trees (balanced class weights)",
    "knn": "k nearest neighbours (k=5)",
}


def list_models() -> dict[str, str]:
    """Model names accepted by :func:`make_classifier`, with a description each."""
    return dict(_MODELS)


def make_classifier(name: str = "svm", random_state: int | None = 0, **params: Any) -> Pipeline:
    """An sklearn ``Pipeline``: median imputation, standard scaling, then the model.

    Parameters
    ----------
    name : str
        One of :func:`list_models`.
    random_state : int or None
        Seed for models that use randomness.
    **params
        Overrides for the model's parameters (e.g. ``C=10``).
    """
    if name == "svm":
        from sklearn.svm import SVC

        model = SVC(**{"kernel": "rbf", "C": 1.0, "gamma": "scale",
                       "class_weight": "balanced", "random_state": random_state, **params})
    elif name == "linear_svm":
        from sklearn.svm import LinearSVC

        model = LinearSVC(**{"C": 0.1, "class_weight": "balanced",
                             "random_state": random_state, **params})
    elif name == "logreg":
        from sklearn.linear_model import LogisticRegression

        model = LogisticRegression(**{"C": 1.0, "max_iter": 2000, "class_weight": "balanced",
                                      "random_state": random_state, **params})
    elif name == "rf":
        from sklearn.ensemble import RandomForestClassifier

        model = RandomForestClassifier(**{"n_estimators": 500, "class_weight": "balanced",
                                          "n_jobs": 1, "random_state": random_state, **params})
    elif name == "knn":
        from sklearn.neighbors import KNeighborsClassifier

        model = KNeighborsClassifier(**{"n_neighbors": 5, **params})
    else:
        raise ValueError(f"unknown model {name!r}; choose from {sorted(_MODELS)}")
    return Pipeline([
        ("impute", SimpleImputer(strategy="median", keep_empty_features=True)),
        ("scale", StandardScaler()),
        ("model", model),
    ])
