"""scikit-learn's estimator checks over every model and ready pipeline of emofeat.classifiers.

``sklearn.utils.estimator_checks`` is the peer test suite of any sklearn estimator. Every
check runs on every estimator below; the few that cannot apply are listed in
:data:`NOT_APPLICABLE` with the reason, and run as strict expected failures (a check listed
here that starts passing fails the suite, so the list cannot go stale).

A check also has to call the estimator (``fit``, ``predict``, ...): sklearn returns early from
a check whose subject the estimator lacks (``partial_fit``, ``max_iter``, ...), and such a
check passes whatever the estimator does. Those are listed in :func:`nothing_to_check` with
the reason (and must then call nothing, or skip), the checks of construction, parameters and
tags only in :data:`NO_DATA_CHECKS`; every other check must call the estimator.

``check_array_api_input`` needs ``SCIPY_ARRAY_API=1`` before SciPy is imported (without it
sklearn skips the check); :func:`test_array_api_checks_run_with_scipy_array_api` runs it for
every estimator in a fresh process with the variable set, so the rest of the suite keeps
SciPy's default.
"""

from __future__ import annotations

import functools
import importlib
import inspect
import os
import pkgutil
from pathlib import Path
from unittest import SkipTest

import numpy as np
import pytest
import sklearn
import xgboost
from _contract import NO_DATA_CHECKS, run_array_api_cases, run_counting_calls
from emofeat.classifiers import (
    GroupStandardScaler,
    build_estimator,
    list_models,
    make_classifier,
    make_regressor,
)
from emofeat.classifiers._forest import RandomForestLabelClassifier
from emofeat.classifiers._svr import ScaledTargetSVR
from emofeat.classifiers.models import XGBLabelClassifier, XGBRegressorCPU
from packaging.version import Version
from sklearn.base import clone, is_classifier
from sklearn.utils.estimator_checks import (
    check_sample_weight_equivalence_on_dense_data,
    check_sample_weight_equivalence_on_sparse_data,
    parametrize_with_checks,
)

# few trees: the checks fit each estimator dozens of times on tiny data
SMALL = {"rf": {"n_estimators": 10}, "xgb": {"n_estimators": 5}}
# regression needs a few more boosting rounds: check_regressors_train asks for R^2 > 0.5
SMALL_REG = {"rf": {"n_estimators": 10}, "xgb": {"n_estimators": 10}}


class RowGroupStandardScaler(GroupStandardScaler):
    """The per-speaker standardiser with the group of each row read from the row itself.

    The checks call ``fit(X, y)`` and ``transform(X)`` without ``groups`` (and the real
    scaler rightly refuses that). This adapter supplies them: the group of a row is the parity
    of the third decimal of its first feature, a function of the row alone (so the groups
    follow the rows when the checks reorder, subsample or copy them) and unrelated to the
    class (so, like real speakers, the groups do not separate the classes). Everything else
    is the real class.
    """

    @staticmethod
    def _row_groups(X):
        try:
            first = np.asarray(X)[:, 0]
            parity = np.floor(np.real(first).astype(float) * 1000) % 2
            return np.where(parity == 1, "odd", "even")
        except Exception:  # noqa: BLE001 - not a 2-D array: the real validation reports it
            return None

    def fit(self, X, y=None, groups=None):
        return super().fit(X, y, groups=self._row_groups(X) if groups is None else groups)

    def transform(self, X, groups=None):
        return super().transform(X, groups=self._row_groups(X) if groups is None else groups)


_FACTORIES = {"classification": (make_classifier, SMALL), "regression": (make_regressor, SMALL_REG)}
# a model of emofeat's own checked alone, outside the pipeline that imputes and scales its
# input: XGBoost's regressor needs more and larger steps on the checks' unscaled data
# (check_regressors_train asks for R^2 > 0.5)
_ALONE = {XGBRegressorCPU: {"n_estimators": 30, "learning_rate": 0.3}}


def _own(est) -> bool:
    """Whether ``est`` is of a class of emofeat's (scikit-learn checks its own classes)."""
    return type(est).__module__.startswith("emofeat.")


def public_estimators() -> list:
    """Every estimator the public API builds, listed from it rather than by hand.

    For each task and each name of :func:`list_models`: the pipeline of
    :func:`make_classifier` / :func:`make_regressor`, the same with
    ``standardize="group"`` (its ``GroupStandardScaler`` replaced by the adapter above, which
    gives it the groups the checks cannot pass) and, for classifiers, the multi-label form
    :func:`build_estimator` makes (one-vs-rest over the model step); the model step alone
    where its class is emofeat's own; and the per-group standardiser alone.
    ``GroupStandardScaler(group_column=...)`` reads its groups from a column of a DataFrame
    and refuses the checks' arrays, so it is checked through the adapter only (its column
    form: tests/test_classifiers_*; listed in :data:`NOT_CHECKED`).
    """
    pipelines, alone = [], {}
    for task, (factory, small) in _FACTORIES.items():
        for name in sorted(list_models(task)):
            params = small.get(name, {})
            pipe = factory(name, **params)
            pipelines += [pipe, factory(name, standardize="group", **params).set_params(
                group_std=RowGroupStandardScaler())]
            if task == "classification":
                pipelines.append(build_estimator(name, "multilabel", model_params=params))
            model = pipe.named_steps["model"]
            if _own(model):
                cls = type(model)
                alone[cls] = clone(model).set_params(**_ALONE.get(cls, {}))
    return [*alone.values(), RowGroupStandardScaler(), *pipelines]


ESTIMATORS = public_estimators()

# public estimator classes the checks cannot take, with the reason
NOT_CHECKED = {
    "GroupStandardScaler(group_column=...)": "reads the groups from a column of a DataFrame; "
                                             "the checks pass arrays (checked through "
                                             "RowGroupStandardScaler, which gives the groups)",
}

# ---------------------------------------------------------------- checks that cannot apply
_PIPELINE = {
    # sklearn's Pipeline stores its fitted steps in ``steps``; scikit-learn lists these two
    # as expected failures of Pipeline itself (sklearn/utils/_test_common/instance_generator.py)
    "check_dont_overwrite_parameters": "sklearn's Pipeline fits its steps in place",
    "check_estimators_overwrite_params": "sklearn's Pipeline fits its steps in place",
    # the pipeline imputes NaN by design (median of the training rows), but sklearn's Pipeline
    # does not carry its first step's allow_nan tag, so the check expects NaN to be refused;
    # that NaN is imputed and inf refused is tested in test_pipelines_impute_nan_refuse_inf
    "check_estimators_nan_inf": "NaN is imputed by the pipeline's first step",
}
_SUBSAMPLED = {
    # rows and columns are subsampled (subsample=0.8, colsample_bytree=0.5) and classes
    # balanced from their counts, so a weight of 2 is not a duplicated row; without all
    # three the check passes (test_xgb_sample_weight_is_row_repetition_without_subsampling
    # below)
    "check_sample_weight_equivalence_on_dense_data":
        "row and column subsampling and count-based class balancing",
}
_SVR_SOLVER = {
    # SVR's own: libsvm stops at tol=1e-3 of its optimum, and gamma="scale" is 1 / (n_features
    # * X.var()) of the rows as given, not as weighted; scikit-learn lists SVR for both checks
    # (sklearn/utils/_test_common/instance_generator.py). The target's weighted mean and
    # standard deviation are those of the repeated rows: with tol=1e-10 and a numeric gamma
    # the checks pass (test_scaled_svr_sample_weight_is_row_repetition below)
    f"check_sample_weight_equivalence_on_{kind}_data":
        "SVR's solver tolerance and gamma='scale' from the unweighted rows"
    for kind in ("dense", "sparse")
}
_FOREST = {
    # bootstrap draws rows by count, not weight; without it, the balanced weights (counted
    # with sample_weight, so equal to the repeated rows', test_forest_balanced_weights_...
    # below) differ from them by rounding (0.9 * 3 against 0.9 + 0.9 + 0.9), which picks
    # another of two equally good splits; scikit-learn lists its forest for both checks
    f"check_sample_weight_equivalence_on_{kind}_data":
        "bootstrap by count, and ties between splits under rounded class weights"
    for kind in ("dense", "sparse")
}
_PER_CALL_GROUPS = {
    # the statistics of each group come from the rows of the transform call (a held-out
    # speaker is standardised with its own unlabelled rows): transforming a subset gives
    # other statistics than transforming the whole, by design
    "check_methods_subset_invariance": "per-group statistics come from the call's own rows",
}


def expected_failed_checks(est) -> dict[str, str]:
    name = type(est).__name__
    if name == "Pipeline":
        out = dict(_PIPELINE)
        if "group_std" in est.named_steps:
            out.update(_PER_CALL_GROUPS)
        return out
    if name in ("XGBLabelClassifier", "XGBRegressorCPU"):
        return dict(_SUBSAMPLED)
    if name == "RowGroupStandardScaler":
        return dict(_PER_CALL_GROUPS)
    if name == "ScaledTargetSVR":
        return dict(_SVR_SOLVER)
    if name == "RandomForestLabelClassifier":
        return dict(_FOREST)
    return {}


# ------------------------------------------------- checks that call no method of the estimator
# checks of construction, parameters, repr and tags (tests/_contract.py), and clone: never
# data, for any estimator (the only ones allowed to pass without calling the estimator, and
# required not to call it)
NO_DATA_CHECKS = {**NO_DATA_CHECKS, "check_estimator_cloneable": "calls clone only"}
_PREDICTS = ("predict", "predict_proba", "predict_log_proba", "decision_function")


def nothing_to_check(est, check_name: str) -> str | None:
    """Why the check has nothing to test on ``est`` (sklearn returns or skips before testing
    what the estimator lacks), or None."""
    has = functools.partial(hasattr, est)
    if check_name == "check_estimators_partial_fit_n_features" and not has("partial_fit"):
        return "no partial_fit method"
    if (check_name in ("check_non_transformer_estimators_n_iter", "check_transformer_n_iter")
            and not has("max_iter")):
        return "no max_iter parameter (a Pipeline's steps' parameters are not its own)"
    if check_name == "check_decision_proba_consistency" and not (
            has("decision_function") and has("predict_proba")):
        return "not both decision_function and predict_proba: nothing to compare"
    if check_name == "check_estimators_unfitted" and not any(map(has, _PREDICTS)):
        return ("no predict, predict_proba or decision_function (a transformer: its unfitted "
                "transform is check_transformers_unfitted)")
    if (check_name == "check_classifiers_multilabel_output_format_decision_function"
            and not has("decision_function")):
        return "no decision_function method"
    return None


def _check_name(check) -> str:
    return getattr(check, "func", check).__name__


# sklearn skips this check unless SCIPY_ARRAY_API=1 was set before SciPy was imported: it runs
# in a process of its own (test_array_api_checks_run_with_scipy_array_api)
ARRAY_API = "check_array_api_input"


_ALL_CASES = parametrize_with_checks(ESTIMATORS, expected_failed_checks=expected_failed_checks,
                                     xfail_strict=True)
_ARGNAMES, _CASES = _ALL_CASES.args
# scikit-learn 1.8 (the floor) hands the cases as a generator: counting the array-API ones
# below used it up, and the test ran no case at all ("got empty parameter set", a skip)
_CASES = list(_CASES)
assert _CASES, "parametrize_with_checks gave no case: the contract would be skipped unseen"


def _is_array_api(case) -> bool:
    return _check_name(getattr(case, "values", case)[1]) == ARRAY_API


N_ARRAY_API = sum(map(_is_array_api, _CASES))
if os.environ.get("SCIPY_ARRAY_API") != "1":
    _CASES = [case for case in _CASES if not _is_array_api(case)]


@pytest.mark.parametrize(_ARGNAMES, _CASES, **_ALL_CASES.kwargs)
def test_sklearn_estimator_checks(estimator, check):
    """The check passes, calling the estimator, unless it tests no data or has nothing to
    check on this estimator (then it must call nothing, or skip)."""
    name = _check_name(check)
    reason = nothing_to_check(estimator, name)
    skipped = False

    def run():
        nonlocal skipped
        try:
            check(estimator)
        except SkipTest:
            if not reason:
                raise
            skipped = True

    calls = run_counting_calls(type(estimator), run)
    if name in NO_DATA_CHECKS:
        assert not calls, f"{name} calls the estimator: remove it from NO_DATA_CHECKS"
    elif reason:
        assert skipped or not calls, (f"{name} tests the estimator ({dict(calls)}): "
                                      f"remove it from nothing_to_check ({reason})")
    else:
        assert calls, (f"{name} passed without calling fit, predict or any other method of "
                       "the estimator: it tests nothing here")


def test_array_api_checks_run_with_scipy_array_api():
    """check_array_api_input for every estimator, in a fresh process with SCIPY_ARRAY_API=1
    (set before SciPy is imported, which sklearn requires): every one must run and pass
    there, none skip."""
    from sklearn.utils import estimator_checks

    if "only_numpy" not in inspect.signature(estimator_checks._yield_array_api_checks).parameters:
        pytest.skip(f"scikit-learn {sklearn.__version__} yields check_array_api_input only for "
                    "estimators tagged array_api_support (none of these), newer ones for all")
    assert N_ARRAY_API == len(ESTIMATORS)
    run_array_api_cases(f"{Path(__file__).resolve()}::test_sklearn_estimator_checks",
                        ARRAY_API, N_ARRAY_API)


# measured on the floors (xgboost 2.0.0 to 3.0.5): the classifier's predict_proba after the
# weighted fit differs from the repeated rows' by float32 rounding (1.4e-7 relative; the
# check's rtol is 1e-7); from 3.1.0 the two are equal to it
_XGB_OLD = Version(xgboost.__version__) < Version("3.1")


@pytest.mark.parametrize("estimator", [
    pytest.param(
        XGBLabelClassifier(n_estimators=10, subsample=1.0, colsample_bytree=1.0,
                           class_weight=None),
        marks=pytest.mark.xfail(_XGB_OLD, strict=True, reason=(
            f"xgboost {xgboost.__version__} < 3.1: weighted and repeated fits differ by "
            "float32 rounding (1.4e-7 relative, rtol 1e-7)"))),
    XGBRegressorCPU(n_estimators=30, learning_rate=0.3, subsample=1.0, colsample_bytree=1.0),
], ids=["classifier", "regressor"])
def test_xgb_sample_weight_is_row_repetition_without_subsampling(estimator):
    """The one check listed above as not applicable passes once its causes are off."""
    check_sample_weight_equivalence_on_dense_data(type(estimator).__name__, estimator)


@pytest.mark.parametrize("check", [check_sample_weight_equivalence_on_dense_data,
                                   check_sample_weight_equivalence_on_sparse_data],
                         ids=["dense", "sparse"])
def test_scaled_svr_sample_weight_is_row_repetition(check):
    """ScaledTargetSVR's checks listed above pass once SVR's causes are off: the target's
    mean and scale weighted by sample_weight are those of the repeated rows (a weight of 0
    drops the row)."""
    check("ScaledTargetSVR", ScaledTargetSVR(tol=1e-10, gamma=0.5))


def test_scaled_svr_weighted_target_statistics():
    """y_mean_ and y_scale_ are the weighted mean and population deviation: those of the
    rows repeated by their weights, negative weights counted as 0 (SVR drops such rows)."""
    rng = np.random.default_rng(0)
    X, y = rng.normal(size=(12, 2)), rng.normal(50, 20, size=12)
    w = np.array([0, 1, 2, 3, 1, 1, 2, -1, 1, 4, 1, 1])
    est = ScaledTargetSVR().fit(X, y, sample_weight=w)
    rep = np.repeat(y, np.clip(w, 0, None))
    np.testing.assert_allclose([est.y_mean_, est.y_scale_], [rep.mean(), rep.std()], rtol=1e-12)


def test_forest_balanced_weights_are_those_of_repeated_rows():
    """The balanced weights RandomForestLabelClassifier gives its trees, counted with
    sample_weight, weigh each class as the rows repeated by their weights do (the root's
    class totals agree to rounding; the sample-weight checks are listed for the forest's
    bootstrap and for ties between splits that rounding breaks)."""
    rng = np.random.default_rng(1)
    X, y = rng.normal(size=(15, 4)), rng.choice(["1", "2", "10"], size=15)
    sw = rng.integers(0, 5, size=15)
    kw = {"n_estimators": 1, "bootstrap": False, "class_weight": "balanced", "random_state": 0}
    weighted = RandomForestLabelClassifier(**kw).fit(X, y, sample_weight=sw)
    repeated = RandomForestLabelClassifier(**kw).fit(np.repeat(X, sw, axis=0), np.repeat(y, sw))
    roots = [f.estimators_[0].tree_ for f in (weighted, repeated)]
    np.testing.assert_allclose(roots[0].weighted_n_node_samples[0],
                               roots[1].weighted_n_node_samples[0], rtol=1e-12)
    np.testing.assert_allclose(roots[0].value[0], roots[1].value[0], rtol=1e-12)
    assert weighted.class_weight == "balanced"


@pytest.mark.parametrize("pipe", [
    *[make_classifier(name, **SMALL.get(name, {})) for name in sorted(list_models())],
    *[make_regressor(name, **SMALL_REG.get(name, {})) for name in sorted(list_models("regression"))],
], ids=lambda p: type(p.steps[-1][1]).__name__)
def test_pipelines_impute_nan_refuse_inf(pipe):
    """What check_estimators_nan_inf would test, with the pipeline's real contract: NaN is
    imputed (fit and predict work), infinity is refused in fit and in predict."""
    rng = np.random.default_rng(0)
    X = rng.normal(size=(40, 3))
    y = np.repeat(["a", "b"], 20) if is_classifier(pipe) else X[:, 0]
    X[::4, 1] = np.nan
    pred = pipe.fit(X, y).predict(X)
    assert len(pred) == len(X)
    X_inf = X.copy()
    X_inf[3, 2] = np.inf
    with pytest.raises(ValueError, match="infinity"):
        pipe.predict(X_inf)
    with pytest.raises(ValueError, match="infinity"):
        pipe.fit(X_inf, y)


def _checked_parts(est) -> list:
    """``est`` and what it is made of (a pipeline's steps, a one-vs-rest model's own)."""
    parts = [est]
    for _, step in getattr(est, "steps", []):
        parts += _checked_parts(step)
    if hasattr(est, "estimator") and not isinstance(est, type):
        parts += _checked_parts(est.estimator)
    return parts


def _public_estimator_classes() -> dict[str, type]:
    """Every scikit-learn estimator class defined in a module of emofeat.classifiers."""
    import emofeat.classifiers as package
    from sklearn.base import BaseEstimator

    found = {}
    for info in pkgutil.iter_modules(package.__path__, package.__name__ + "."):
        module = importlib.import_module(info.name)
        for cls in vars(module).values():
            if (isinstance(cls, type) and issubclass(cls, BaseEstimator)
                    and cls.__module__ == info.name):
                found[f"{info.name}.{cls.__name__}"] = cls
    return found


def test_every_public_estimator_is_checked():
    """The checks cover every estimator class of emofeat.classifiers (an instance of it, or
    of a subclass, is checked or is a step of a checked pipeline), every model name of both
    tasks, bare and per-group standardised, and the multi-label form of every classifier: a
    new model or estimator class cannot be left out of the contract unnoticed."""
    parts = [p for est in ESTIMATORS for p in _checked_parts(est)]
    classes = _public_estimator_classes()
    assert "emofeat.classifiers.standardize.GroupStandardScaler" in classes  # the walk works
    missing = [name for name, cls in classes.items()
               if not any(isinstance(p, cls) for p in parts)]
    assert not missing, f"estimator classes no check reaches: {missing}"
    # each model alone where its class is emofeat's own, not only inside a pipeline
    own = {type(p) for p in parts if _own(p) and not isinstance(p, GroupStandardScaler)}
    assert own <= {type(e) for e in ESTIMATORS}
    pipes = [e for e in ESTIMATORS if hasattr(e, "steps")]
    for task, (factory, small) in _FACTORIES.items():
        for name in list_models(task):
            model = type(factory(name, **small.get(name, {})).named_steps["model"])
            kinds = {("group_std" in p.named_steps,
                      type(p.named_steps["model"]).__name__ == "OneVsRestClassifier")
                     for p in pipes if model in {type(q) for q in _checked_parts(p)}}
            wanted = {(False, False), (True, False)} | (
                {(False, True)} if task == "classification" else set())
            assert wanted <= kinds, (task, name, kinds)
