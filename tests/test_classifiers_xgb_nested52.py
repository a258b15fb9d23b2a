"""A model file holding an XGBoost model anywhere in it, not only as a step of its pipeline,
is warned about when the installed xgboost is not the one that wrote it.

Session 52, helper A, on EmoDB's 535 files (``mfcc`` functionals): ``load_model`` compared
the xgboost version only where a step of the model's pipeline was an XGBoost model, so a
model with XGBoost in a nested pipeline, in a ColumnTransformer's or FeatureUnion's feature
selection (``SelectFromModel``) or in a voting ensemble loaded under another xgboost without
a word (scikit-learn's own version is warned about; an XGBoost booster unpickled by another
xgboost need not predict the same). The file's recorded xgboost version is set to 0.90, as
the existing test of the plain pipeline does; a logistic regression in the same nesting is
the control (no warning).
"""

from __future__ import annotations

import warnings

import pytest
from emofeat.classifiers import PredictionWarning, load_model, make_classifier, train
from sklearn.compose import ColumnTransformer
from sklearn.ensemble import VotingClassifier
from sklearn.feature_selection import SelectFromModel
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import FeatureUnion, make_pipeline
from sklearn.preprocessing import StandardScaler


def _inner(xgb: bool):
    return (make_classifier("xgb", n_estimators=5, random_state=0).named_steps["model"]
            if xgb else LogisticRegression(max_iter=200))


def _model(kind: str, xgb: bool, n_features: int):
    if kind == "nested_pipeline":
        return make_pipeline(StandardScaler(), make_pipeline(_inner(xgb)))
    if kind == "column_transformer":
        return make_pipeline(ColumnTransformer([("sel", SelectFromModel(_inner(xgb)),
                                                 list(range(n_features)))]),
                             LogisticRegression(max_iter=200))
    if kind == "feature_union":
        return make_pipeline(FeatureUnion([("sel", SelectFromModel(_inner(xgb)))]),
                             LogisticRegression(max_iter=200))
    return make_pipeline(StandardScaler(), VotingClassifier(
        [("a", _inner(xgb)), ("b", LogisticRegression(max_iter=200))]))


@pytest.mark.parametrize("kind", ["nested_pipeline", "column_transformer", "feature_union",
                                  "voting"])
def test_an_xgboost_model_inside_is_checked_for_its_version(emodb_mfcc, tmp_path, kind):
    for xgb in (True, False):
        model = train(emodb_mfcc, "emotion", _model(kind, xgb, emodb_mfcc.X.shape[1]),
                      random_state=0)
        model.settings["versions"]["xgboost"] = "0.90"
        path = tmp_path / f"{kind}_{xgb}.joblib"
        model.save(path)
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            load_model(path)
        msgs = [str(w.message) for w in caught if issubclass(w.category, PredictionWarning)]
        assert bool(msgs) == xgb and all("xgboost 0.90" in m for m in msgs), (kind, xgb, msgs)
