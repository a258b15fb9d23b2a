"""Ready pipelines and the per-group standardiser."""

from __future__ import annotations

import numpy as np
import pytest
import sklearn
from _classifier_data import make_table
from emofeat.classifiers import (
    GroupStandardScaler,
    evaluate,
    list_models,
    make_classifier,
    make_regressor,
)
from sklearn.model_selection import GroupKFold, cross_validate

SMALL = {"rf": {"n_estimators": 20}, "xgb": {"n_estimators": 10}}


@pytest.fixture(scope="module")
def table():
    return make_table()


@pytest.mark.parametrize("name", sorted(list_models()))
def test_every_classifier_fits_string_labels(name, table):
    pipe = make_classifier(name, **SMALL.get(name, {}))
    assert [s for s, _ in pipe.steps] == ["impute", "scale", "model"]
    y = table.index["emotion"].to_numpy()
    pred = pipe.fit(table.X, y).predict(table.X)
    assert set(pred) <= set(y)
    assert np.mean(pred == y) > 0.5


@pytest.mark.parametrize("name", sorted(list_models("regression")))
def test_every_regressor_fits(name, table):
    y = table.index["valence"].to_numpy()
    pred = make_regressor(name, **SMALL.get(name, {})).fit(table.X, y).predict(table.X)
    assert pred.shape == y.shape and np.isfinite(pred).all()


def test_defaults_are_overridable_and_balanced():
    svm = make_classifier("svm").named_steps["model"]
    assert svm.class_weight == "balanced" and svm.kernel == "rbf"
    assert make_classifier("svm", kernel="linear", C=3).named_steps["model"].kernel == "linear"
    assert make_classifier("rf", class_weight=None).named_steps["model"].class_weight is None
    xgb = make_classifier("xgb", n_estimators=7, gamma=0.5).named_steps["model"]
    assert xgb.n_estimators == 7 and xgb.device == "cpu" and xgb.xgb_params == {"gamma": 0.5}
    assert make_classifier("xgb", device="cuda").named_steps["model"].device == "cuda"
    with pytest.raises(ValueError, match="unknown classifier"):
        make_classifier("deepnet")


def test_xgb_decodes_labels_and_has_importances(table):
    y = table.index["emotion"].to_numpy()
    pipe = make_classifier("xgb", n_estimators=10).fit(table.X, y)
    model = pipe.named_steps["model"]
    assert list(model.classes_) == sorted(set(y))
    assert pipe.predict(table.X[:3]).dtype.kind in "UO"
    assert model.predict_proba(table.X[:3]).shape == (3, len(set(y)))
    assert model.feature_importances_.shape == (table.shape[1],)


def test_nan_features_are_imputed_inside_the_pipeline(table):
    X = table.X.copy()
    X[::7, 0] = np.nan
    X[:, 1] = np.nan  # a column empty everywhere
    y = table.index["emotion"].to_numpy()
    pred = make_classifier("svm").fit(X, y).predict(X)
    assert len(pred) == len(y)


# ----------------------------------------------------------------------- per-group scaling
def test_group_scaler_standardises_each_group():
    rng = np.random.default_rng(0)
    X = np.vstack([rng.normal(5, 2, (10, 3)), rng.normal(-3, 0.5, (12, 3))])
    g = np.array(["a"] * 10 + ["b"] * 12)
    Z = GroupStandardScaler().fit_transform(X, groups=g)
    for grp in "ab":
        assert np.allclose(Z[g == grp].mean(axis=0), 0, atol=1e-12)
        assert np.allclose(Z[g == grp].std(axis=0), 1)
    # a single row of an unseen group falls back to the pooled training statistics
    sc = GroupStandardScaler().fit(X, groups=g)
    one = sc.transform(X[:1], groups=["new"])
    assert np.allclose(one, (X[:1] - X.mean(axis=0)) / X.std(axis=0))
    with pytest.raises(ValueError, match="groups"):
        GroupStandardScaler().fit(X)


def test_group_scaler_ignores_labels():
    rng = np.random.default_rng(1)
    X = rng.normal(size=(30, 4))
    g = np.repeat(["a", "b", "c"], 10)
    y1 = rng.integers(0, 3, 30)
    y2 = rng.permutation(y1)
    a = GroupStandardScaler().fit(X, y1, groups=g).transform(X, groups=g)
    b = GroupStandardScaler().fit(X, y2, groups=g).transform(X, groups=g)
    assert np.array_equal(a, b)


def test_group_scaler_through_metadata_routing(table):
    y = table.index["emotion"].to_numpy()
    g = table.index["speaker"].to_numpy()
    pipe = make_classifier("logreg", standardize="group")
    assert [s for s, _ in pipe.steps] == ["group_std", "impute", "scale", "model"]
    with sklearn.config_context(enable_metadata_routing=True):
        pipe.fit(table.X, y, groups=g)
        pred = pipe.predict(table.X, groups=g)
    assert np.mean(pred == y) > 0.5
    with pytest.raises(ValueError, match="needs groups"):
        pipe.predict(table.X)


def test_group_scaler_from_a_dataframe_column_in_cross_validate(table):
    y = table.index["emotion"].to_numpy()
    df = table.to_pandas()[["speaker", *table.feature_names]]
    pipe = make_classifier("logreg", standardize="group", group_column="speaker")
    cv = cross_validate(pipe, df, y, groups=df["speaker"], cv=GroupKFold(3),
                        scoring="balanced_accuracy")
    plain = cross_validate(make_classifier("logreg"), table.X, y, groups=df["speaker"],
                           cv=GroupKFold(3), scoring="balanced_accuracy")
    assert cv["test_score"].mean() > plain["test_score"].mean()


def test_per_group_standardisation_never_uses_test_fold_labels(table):
    """Shuffling the labels of a held-out speaker cannot change its predictions."""
    base = evaluate(table, "emotion", "speaker", "logreg", "loso", standardize="group")
    shuffled = table.select()
    shuffled.index = table.index.copy()
    rows = np.flatnonzero(table.index["speaker"] == "02")
    rng = np.random.default_rng(0)
    shuffled.index.loc[rows, "emotion"] = rng.permutation(table.index["emotion"].to_numpy()[rows])
    other = evaluate(shuffled, "emotion", "speaker", "logreg", "loso", standardize="group")
    p0 = base.predictions.set_index("row").loc[rows, "pred"]
    p1 = other.predictions.set_index("row").loc[rows, "pred"]
    assert (p0 == p1).all()
    # and the speaker-shift is what per-speaker scaling removes
    plain = evaluate(table, "emotion", "speaker", "logreg", "loso")
    assert base.uar > plain.uar
