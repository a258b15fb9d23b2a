"""Ready pipelines and the per-group standardiser."""

from __future__ import annotations

import numpy as np
import pandas as pd
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
from emofeat.classifiers.models import XGBLabelClassifier, XGBRegressorCPU
from packaging.version import Version
from sklearn.base import clone
from sklearn.exceptions import NotFittedError
from sklearn.model_selection import GroupKFold, cross_validate

from emofeat.table import FeatureTable

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


def test_nan_features_are_imputed_with_the_training_median(table):
    """A missing value of a held-out row becomes the median of that column's training rows.

    The training and held-out rows are built with very different medians, so imputing with
    the held-out rows' statistics, the whole table's, or the mean would all give other values
    and other probabilities.
    """
    y = table.index["emotion"].to_numpy()
    train = table.index["speaker"].to_numpy() != "00"
    X = table.X.copy()
    X[~train, 0] += 50.0  # the held-out speaker's median of column 0 is far from training's
    X[np.flatnonzero(train)[::5], 0] = np.nan
    X[:, 1] = np.nan  # a column empty everywhere (a descriptor undefined on this corpus)
    X_tr, X_te = X[train], X[~train].copy()
    X_te[::3, 0] = np.nan
    pipe = make_classifier("logreg").fit(X_tr, y[train])
    med = np.nanmedian(X_tr[:, 0])
    assert abs(med - np.nanmedian(X[:, 0])) > 1e-3 and abs(med - np.nanmean(X_tr[:, 0])) > 1e-3
    imputed = pipe.named_steps["impute"].transform(X_te)
    assert np.array_equal(imputed[::3, 0], np.full(len(X_te[::3]), med))
    # the empty column is kept (so feature positions do not shift) and constant
    assert imputed.shape == X_te.shape and np.all(imputed[:, 1] == 0)
    # and the model sees exactly that: probabilities equal those of the row filled by hand
    filled = X_te.copy()
    filled[np.isnan(filled[:, 0]), 0] = med
    filled[:, 1] = 0.0
    assert np.allclose(pipe.predict_proba(X_te), pipe.predict_proba(filled), rtol=0, atol=0)
    assert pipe.n_features_in_ == X.shape[1]


# ------------------------------------------------------------------------ XGBoost wrappers
def _blobs(n=60, seed=0):
    """Two overlapping classes ("a" around 0, "b" around 1) on 3 features."""
    rng = np.random.default_rng(seed)
    y = np.array(["a", "b"] * (n // 2))
    X = rng.normal(0, 1.0, (n, 3)) + (y == "b")[:, None] * 1.0
    return X, y


@pytest.mark.parametrize("cls", [XGBLabelClassifier, XGBRegressorCPU])
def test_xgb_wrappers_raise_not_fitted_before_fit(cls):
    est = cls(n_estimators=3)
    for method in ("predict", *(["predict_proba"] if cls is XGBLabelClassifier else [])):
        with pytest.raises(NotFittedError):
            getattr(est, method)(np.zeros((2, 3)))
    with pytest.raises(NotFittedError):
        est.feature_importances_  # noqa: B018
    assert not hasattr(est, "feature_importances_")  # NotFittedError is an AttributeError


@pytest.mark.parametrize("cls", [XGBLabelClassifier, XGBRegressorCPU])
def test_xgb_wrappers_check_width_and_feature_names(cls):
    X, y = _blobs()
    y = y if cls is XGBLabelClassifier else (y == "b").astype(float)
    est = cls(n_estimators=3).fit(X, y)
    assert est.n_features_in_ == 3 and not hasattr(est, "feature_names_in_")
    with pytest.raises(ValueError, match="3 features"):
        est.predict(X[:, :2])
    df = pd.DataFrame(X, columns=["mfcc1_mean", "mfcc2_mean", "f0_mean"])
    est = cls(n_estimators=3).fit(df, y)
    assert list(est.feature_names_in_) == list(df.columns)
    with pytest.raises(ValueError, match="same order"):  # reordered: refused, not guessed
        est.predict(df[["mfcc1_mean", "f0_mean", "mfcc2_mean"]])
    with pytest.raises(ValueError, match="(?s)unseen at fit time:.*pitch_mean"):
        est.predict(df.rename(columns={"f0_mean": "pitch_mean"}))


def test_xgb_classifier_refuses_a_continuous_target():
    X, _ = _blobs()
    valence = np.random.default_rng(1).uniform(-1, 1, len(X))
    with pytest.raises(ValueError, match="continuous.*make_regressor"):
        XGBLabelClassifier(n_estimators=3).fit(X, valence)
    # integer-valued ratings are classes
    ratings = np.tile([1.0, 2.0, 3.0], len(X) // 3)
    assert list(XGBLabelClassifier(n_estimators=3).fit(X, ratings).classes_) == [1.0, 2.0, 3.0]


def test_xgb_class_weight_dict_is_sample_weight_per_class():
    X, y = _blobs()
    kw = {"n_estimators": 20, "random_state": 0}
    by_dict = XGBLabelClassifier(class_weight={"a": 5.0}, **kw).fit(X, y)
    by_rows = XGBLabelClassifier(class_weight=None, **kw).fit(
        X, y, sample_weight=np.where(y == "a", 5.0, 1.0))
    assert np.array_equal(by_dict.predict_proba(X), by_rows.predict_proba(X))
    # the weight changes the model: heavier "a" moves the probabilities towards "a"
    plain = XGBLabelClassifier(class_weight=None, **kw).fit(X, y)
    p_a = list(plain.classes_).index("a")
    assert by_dict.predict_proba(X)[:, p_a].mean() > plain.predict_proba(X)[:, p_a].mean() + 0.05
    # and class weights multiply a given sample_weight instead of being dropped
    w = np.random.default_rng(2).uniform(0.5, 2, len(y))
    both = XGBLabelClassifier(class_weight={"a": 5.0}, **kw).fit(X, y, sample_weight=w)
    manual = XGBLabelClassifier(class_weight=None, **kw).fit(
        X, y, sample_weight=w * np.where(y == "a", 5.0, 1.0))
    assert np.array_equal(both.predict_proba(X), manual.predict_proba(X))
    with pytest.raises(ValueError, match="'c'"):
        XGBLabelClassifier(class_weight={"c": 2.0}, **kw).fit(X, y)


def test_xgb_balanced_class_weight_equals_inverse_frequency_weights():
    X, y = _blobs(90)
    y[:40] = "a"  # 55 "a", 35 "b"
    kw = {"n_estimators": 10}
    bal = XGBLabelClassifier(class_weight="balanced", **kw).fit(X, y)
    n = {c: (y == c).sum() for c in "ab"}
    w = np.array([len(y) / (2 * n[c]) for c in y])
    manual = XGBLabelClassifier(class_weight=None, **kw).fit(X, y, sample_weight=w)
    assert np.allclose(bal.predict_proba(X), manual.predict_proba(X), atol=1e-6)


def test_xgb_parameters_are_keyword_only():
    with pytest.raises(TypeError):
        XGBLabelClassifier(100)
    with pytest.raises(TypeError):
        XGBRegressorCPU(100)
    with pytest.raises(TypeError):
        GroupStandardScaler(False)


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


def test_group_scaler_zeroes_columns_constant_within_a_group():
    # x - mean(x) of a constant column leaves a rounding residue (0.1 x 7: 1.4e-17); the
    # pipeline's StandardScaler then divides by the residue's own tiny spread and turns it
    # into O(1) noise that differs between training and test rows (seen on rqa_speech
    # percentiles, which are constant within many speakers: an SVM predicted one class)
    rng = np.random.default_rng(3)
    g = np.repeat(["a", "b", "c", "d"], [7, 12, 48, 9])
    const = np.select([g == "a", g == "b", g == "c"], [0.1, 0.9999801599110172, 159.4999999974],
                      1e6 + 0.1)
    X = np.column_stack([rng.normal(size=len(g)), const, np.where(g == "a", np.nan, const)])
    Z = GroupStandardScaler().fit_transform(X, groups=g)
    assert np.all(Z[:, 1] == 0.0)
    assert np.all(Z[g != "a", 2] == 0.0) and np.isnan(Z[g == "a", 2]).all()
    assert np.allclose(Z[g == "c", 0].std(), 1)  # other columns standardised as before
    pipe = make_classifier("svm", standardize="group")
    train, test = np.isin(g, ["a", "b", "c"]), g == "d"
    y = np.where(X[:, 0] > 0, "hi", "lo")
    with sklearn.config_context(enable_metadata_routing=True):
        pipe.fit(X[train], y[train], groups=g[train])
        Zt = pipe[:-1].transform(X[test], groups=g[test])
    assert np.all(Zt[:, 1:] == 0.0)


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


def _tree_depths_and_cuts(booster) -> tuple[int, dict[str, set[float]]]:
    """Deepest split level over all trees, and the split thresholds used per feature."""
    depth, cuts = 0, {}
    for tree in booster.get_dump():
        for line in tree.splitlines():
            if "[" in line:  # a split node: '\t\t2:[f3<0.25] yes=...'
                depth = max(depth, line.count("\t") + 1)
                feat, thr = line.split("[", 1)[1].split("]", 1)[0].split("<")
                cuts.setdefault(feat, set()).add(float(thr))
    return depth, cuts


@pytest.mark.parametrize("cls", [XGBLabelClassifier, XGBRegressorCPU])
def test_xgb_defaults_are_the_fast_histogram_configuration(cls):
    """The defaults that reach XGBoost: 100 rounds of depth-3 trees on at most 64 histogram
    bins per feature (hist), learning rate 0.15, one thread; checked on the fitted trees."""
    rng = np.random.default_rng(0)
    X = rng.standard_normal((600, 4))  # 600 distinct values per column: more than 64 bins
    y = np.where(X[:, 0] + 0.5 * X[:, 1] ** 2 > 0.5, "high", "low")
    target = y if cls is XGBLabelClassifier else (X[:, 0] + X[:, 1]).astype(float)
    est = cls().fit(X, target)
    params = est.booster_.get_params()
    assert params["tree_method"] == "hist" and params["n_jobs"] == 1
    assert (params["n_estimators"], params["max_depth"], params["learning_rate"],
            params["max_bin"]) == (100, 3, 0.15, 64)
    booster = est.booster_.get_booster()
    assert booster.num_boosted_rounds() == 100
    depth, cuts = _tree_depths_and_cuts(booster)
    assert depth == 3  # trees use their depth, and no more
    assert max(len(c) for c in cuts.values()) <= 63  # 64 bins: at most 63 cut points
    deep = cls(max_depth=5, max_bin=256).fit(X, target).booster_.get_booster()
    d5, cuts256 = _tree_depths_and_cuts(deep)
    assert d5 == 5 and max(len(c) for c in cuts256.values()) > 63  # the parameters bite


def test_folds_in_parallel_equal_serial_and_report_in_order(table):
    seen = []
    kw = {"target": "emotion", "groups": "speaker", "model": "xgb",
          "model_params": {"n_estimators": 10}}
    serial = evaluate(table, **kw)
    parallel = evaluate(table, **kw, n_jobs=2, progress=lambda row, n: seen.append(row["fold"]))
    assert seen == list(range(len(serial.per_fold)))
    pd.testing.assert_frame_equal(serial.predictions, parallel.predictions)
    assert serial.scores == parallel.scores


def _int_labelled(table):
    idx = table.index.copy()
    idx["emotion"] = idx["emotion"].map({"angry": 1, "happy": 2, "neutral": 3, "sad": 4})
    return FeatureTable(X=table.X, feature_names=table.feature_names, index=idx)


@pytest.mark.parametrize("key", [1, 1.0, "1"])
@pytest.mark.parametrize("name", ["xgb", "svm", "logreg", "rf"])
def test_class_weight_keys_name_integer_labels_for_every_model(name, key, table):
    """{1: 2.0} on integer labels: XGBoost refused it (the labels are the strings "1", ...)
    while SVC took it; {"1": 2.0} failed in sklearn's models. Every key form, every model."""
    from emofeat.classifiers.fitting import build_estimator, fit_model
    from emofeat.classifiers.validation import prepare

    prep = prepare(_int_labelled(table), "emotion")
    est = build_estimator(name, "classification", model_params={
        "class_weight": {key: 5.0}, **SMALL.get(name, {})})
    fitted = fit_model(est, prep.X, prep.y).est
    # the reference: no class weight, the weight given per row
    ref = make_classifier(name, class_weight=None, **SMALL.get(name, {}))
    ref.fit(prep.X, prep.y, model__sample_weight=np.where(prep.y == "1", 5.0, 1.0))
    assert np.allclose(fitted.decision_function(prep.X) if name == "svm"
                       else fitted.predict_proba(prep.X),
                       ref.decision_function(prep.X) if name == "svm"
                       else ref.predict_proba(prep.X))
    if key == 1:  # and through evaluate, as a user writes it
        res = evaluate(_int_labelled(table), "emotion", "speaker", name, "group_kfold",
                       n_splits=3, model_params={"class_weight": {1: 5.0},
                                                 **SMALL.get(name, {})})
        assert res.labels == [1, 2, 3, 4] and res.uar > 0.25


def test_random_forest_balanced_weights_on_integer_like_labels():
    """sklearn 1.9's forest fails on class_weight="balanced" with labels "1", "2" (it looks
    its own balanced dict up with int(label)); the named rf gives sklearn's figures."""
    from sklearn.ensemble import RandomForestClassifier

    rng = np.random.default_rng(0)
    X = rng.normal(size=(60, 4))
    # the letters sort as the digits do ("1" < "10" < "2"), so both fits number the classes
    # alike (numbered otherwise, scikit-learn 1.8.0 grew other trees, some probabilities apart)
    letters = np.array(["a"] * 35 + ["c"] * 15 + ["b"] * 10)
    digits = np.array(["1"] * 35 + ["2"] * 15 + ["10"] * 10)
    w = rng.uniform(0.5, 2, 60)
    ours = make_classifier("rf", n_estimators=20).named_steps["model"]
    ref = RandomForestClassifier(n_estimators=20, class_weight="balanced", random_state=0,
                                 n_jobs=1)
    # scikit-learn's forest counts the balanced classes with sample_weight from 1.9 (the rule
    # the named rf follows on every version); before, without it: only sw=None is the same
    weighted = Version(sklearn.__version__) >= Version("1.9")
    for sw in (None, w) if weighted else (None,):
        got = clone(ours).fit(X, digits, sample_weight=sw)
        want = clone(ref).fit(X, letters, sample_weight=sw)  # sklearn's own path
        assert np.array_equal(got.predict_proba(X), want.predict_proba(X))
        assert got.class_weight == "balanced"


def test_model_params_random_state_wins_over_the_seed(table):
    """model_params={"random_state": 5} raised "got multiple values for keyword argument
    'random_state'"; the explicit override now seeds the model."""
    kw = {"model": "rf", "protocol": "loso"}
    res = evaluate(table, "emotion", "speaker", model_params={"random_state": 5,
                                                              "n_estimators": 20}, **kw)
    ref = evaluate(table, "emotion", "speaker", model_params={"n_estimators": 20},
                   random_state=5, **kw)
    assert "random_state=5" in res.settings["estimator"]
    assert list(res.predictions["pred"]) == list(ref.predictions["pred"])
    assert make_classifier("rf", random_state=5).get_params()["model__random_state"] == 5
