"""The sklearn contract of every registered extractor, checked with sklearn's own checks.

An extractor's input is a list of signals (paths, arrays, recordings, texts), not a numeric
table, and it says so in its tags (``input_tags.two_d_array = False``, ``string=True`` for
text, the way sklearn's text vectorisers do). ``check_estimator`` therefore skips it entirely.
Here every check that ``check_estimator`` would run on a table-taking transformer is run on the
real extractor; the checks that feed a numeric table and check what comes out cannot apply
(the extractor must refuse that table, which ``test_numeric_tables_are_refused`` asserts) and
are listed below with the reason. Everything else must pass, and the signal-input versions of
the inapplicable checks (pickling, idempotence, order and subset invariance, dtypes, inputs
left unchanged) are written below for every extractor.

Each check run as applicable must call the extractor (``fit``, ``transform``, ...) at least
once, unless it is one of the few that test construction, parameters or tags only
(:data:`NO_DATA_CHECKS`): a check that returns before calling it (sklearn returns early from
checks whose subject the estimator lacks) would pass whatever the extractor does.

``check_array_api_input`` needs ``SCIPY_ARRAY_API=1`` before SciPy is imported (without it
sklearn skips the check); :func:`test_array_api_checks_run_with_scipy_array_api` runs it in a
fresh process with the variable set, so the rest of the suite keeps SciPy's default.
"""

from __future__ import annotations

import inspect
import os
import pickle
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import sklearn
from _contract import NO_DATA_CHECKS, run_array_api_cases, run_counting_calls
from packaging.version import Version
from sklearn.base import clone
from sklearn.utils import estimator_checks as ec

from emofeat.errors import SignalTypeError
from emofeat.registry import get_extractor, list_sets

SETS = [info.name for infos in list_sets().values() for info in infos]

# checks that fit or transform a numeric table and test the numbers that come out: an
# extractor refuses such a table (the right answer for signal input), so they cannot apply
TABLE_IN = "feeds a numeric (n_samples, n_features) table and checks the output of it"
NOT_APPLICABLE = {
    "check_fit_score_takes_y": TABLE_IN,
    "check_estimators_dtypes": TABLE_IN + " for float32/int dtypes",
    "check_dtype_object": TABLE_IN + " of dtype object holding numbers",
    "check_pipeline_consistency": TABLE_IN,
    "check_estimators_pickle": TABLE_IN + " (signal version: test_pickle_round_trip)",
    "check_f_contiguous_array_estimator": TABLE_IN + " in Fortran order",
    "check_transformer_general": TABLE_IN + " (signal version: test_fit_is_idempotent)",
    "check_transformer_preserve_dtypes": TABLE_IN + " (signal version: test_output_dtype)",
    "check_transformers_unfitted_stateless": TABLE_IN,
    "check_methods_sample_order_invariance": TABLE_IN + " (signal version below)",
    "check_methods_subset_invariance": TABLE_IN + " (signal version below)",
    "check_dict_unchanged": TABLE_IN + " (signal version: test_inputs_are_not_modified)",
    "check_fit_idempotent": TABLE_IN + " (signal version: test_fit_is_idempotent)",
    "check_fit2d_1sample": TABLE_IN + " of one row",
    "check_fit2d_1feature": TABLE_IN + " of one column",
    "check_fit2d_predict1d": "expects sklearn's 'Reshape your data' message for a 1-D "
                             "table; extractors refuse 1-D input with their own ValueError",
    "check_n_features_in": "n_features_in_ counts table columns; a signal has none",
    "check_fit_check_is_fitted": TABLE_IN + " before checking the fitted state",
    "check_transformer_data_not_an_array": TABLE_IN + " wrapped in a non-array container",
    "check_array_api_input": "Array API namespaces hold numeric tables, not signals",
    "check_readonly_memmap_input": TABLE_IN + " memory-mapped read-only",
    "check_estimators_empty_data_messages": "expects sklearn's '0 feature(s)' message for an "
                                            "empty table; extractors refuse any table",
    "check_dont_overwrite_parameters": "fits a numeric table (fit refuses it); parameters are "
                                       "checked unchanged by check_estimators_overwrite_params' "
                                       "signal version, test_fit_is_idempotent",
    "check_estimators_fit_returns_self": "fits a numeric table (fit refuses it); fit returning "
                                         "self on signals: test_fit_returns_self",
    "check_estimators_overwrite_params": "fits a numeric table (fit refuses it); signal "
                                         "version: test_fit_keeps_parameters",
    "check_positive_only_tag_during_fit": TABLE_IN + " with negative values",
}
# checks that return without calling the extractor at all: what they test is absent from it
# (test_not_applicable_checks_really_cannot_apply asserts that they call nothing)
NOTHING_TO_CHECK = {
    "check_n_features_in_after_fitting": "n_features_in_ counts table columns; a signal has "
                                         "none (sklearn returns at once for input that is "
                                         "not a 2-D array)",
    "check_estimators_unfitted": "tests predict, predict_proba and decision_function before "
                                 "fit; an extractor has none (its unfitted transform: "
                                 "check_transformers_unfitted)",
    "check_transformer_n_iter": "tests n_iter_ of a transformer with a max_iter parameter; "
                                "no extractor has one",
}
NOT_APPLICABLE.update(NOTHING_TO_CHECK)

# NO_DATA_CHECKS (tests/_contract.py): applicable checks of construction, parameters, repr or
# tags, the only ones allowed to pass without calling the extractor (and required not to);
# scikit-learn before 1.9 (the floor is 1.8) also yields check_estimator_cloneable
if Version(sklearn.__version__) < Version("1.9"):
    NO_DATA_CHECKS = {**NO_DATA_CHECKS, "check_estimator_cloneable": "calls clone only"}
# sklearn skips this check unless SCIPY_ARRAY_API=1 was set before SciPy was imported: it runs
# in a process of its own (test_array_api_checks_run_with_scipy_array_api)
ARRAY_API = "check_array_api_input"
IN_THIS_PROCESS = os.environ.get("SCIPY_ARRAY_API") == "1"

def _sklearn_checks(est):
    """The checks check_estimator yields for a table-taking transformer of the same class."""
    cls = type(est)

    def as_table_tags(self):
        tags = cls.__sklearn_tags__(self)
        tags.input_tags.two_d_array = True
        tags.input_tags.string = False
        return tags

    proxy_cls = type(cls.__name__, (cls,), {"__sklearn_tags__": as_table_tags,
                                            "__module__": cls.__module__})
    proxy = proxy_cls(**est.get_params())
    with warnings.catch_warnings():
        # extractors implement the estimator protocol themselves (emofeat.estimator: no
        # scikit-learn import for an extraction) instead of deriving from BaseEstimator,
        # which sklearn notes when it collects the checks; the checks themselves must pass
        warnings.filterwarnings("ignore", message=".* does not inherit from "
                                "`sklearn.base.BaseEstimator`", category=UserWarning)
        checks = list(ec._yield_all_checks(proxy, legacy=True))
    for check in checks:
        yield getattr(check, "func", check).__name__, check


def _cases(applicable: bool, array_api: bool | None = None if IN_THIS_PROCESS else False):
    """The (set, check) cases; ``array_api``: only (True) or none (False) of the
    check_array_api_input cases, or all cases (None); by default those that run here."""
    for name in SETS:
        est = get_extractor(name)
        for check_name, check in _sklearn_checks(est):
            if (check_name not in NOT_APPLICABLE) != applicable:
                continue
            if array_api is not None and (check_name == ARRAY_API) != array_api:
                continue
            yield pytest.param(name, check_name, check, id=f"{name}-{check_name}")


@pytest.mark.parametrize(("set_name", "check_name", "check"), list(_cases(True)))
def test_sklearn_check(set_name, check_name, check):
    """The check passes, and calls the extractor unless it tests no data."""
    est = get_extractor(set_name)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        calls = run_counting_calls(type(est), lambda: check(type(est).__name__, est))
    if check_name in NO_DATA_CHECKS:
        assert not calls, f"{check_name} calls the extractor: remove it from NO_DATA_CHECKS"
    else:
        assert calls, (f"{check_name} passed without calling fit, transform or any other "
                       "method of the extractor: it tests nothing here")


def test_lists_name_checks_that_run():
    """NO_DATA_CHECKS and NOTHING_TO_CHECK name checks sklearn runs here (none stale)."""
    assert set(NO_DATA_CHECKS) <= {p.values[1] for p in _cases(True, array_api=None)}
    assert set(NOTHING_TO_CHECK) <= {p.values[1] for p in _cases(False, array_api=None)}


@pytest.mark.parametrize(("set_name", "check_name", "check"), list(_cases(False)))
def test_not_applicable_checks_really_cannot_apply(set_name, check_name, check):
    """Every check listed as not applicable fails on the extractor (it refuses the table),
    or, listed in NOTHING_TO_CHECK, returns without calling it: the list hides no check that
    would test the extractor and pass."""
    est = get_extractor(set_name)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        if check_name in NOTHING_TO_CHECK:
            calls = run_counting_calls(type(est), lambda: check(type(est).__name__, est))
            assert not calls, f"{check_name} calls the extractor: {dict(calls)}"
            return
        with pytest.raises(Exception) as info:
            check(type(est).__name__, est)
    assert info.type.__name__ != "SkipTest", info.value


def test_array_api_checks_run_with_scipy_array_api():
    """The cases of check_array_api_input, in a fresh process with SCIPY_ARRAY_API=1 (set
    before SciPy is imported, which sklearn requires): every one must run and pass there,
    none skip."""
    if "only_numpy" not in inspect.signature(ec._yield_array_api_checks).parameters:
        pytest.skip(f"scikit-learn {sklearn.__version__} yields check_array_api_input only for "
                    "estimators tagged array_api_support (none of these), newer ones for all")
    expected = len([*_cases(False, array_api=True), *_cases(True, array_api=True)])
    assert expected == len(SETS)
    run_array_api_cases(str(Path(__file__).resolve()), ARRAY_API, expected)


# public extractor classes no set is built from, with the reason
BASES = {
    "Extractor": "the base of every extractor (no modality, no features of its own)",
    "FrameExtractor": "the base of the frame-level sets (no frames of its own)",
}


def test_every_public_extractor_class_is_checked():
    """Every extractor class emofeat.extractors exports is the class of a registered set
    (so the checks above run on it), or a base class of one, listed in BASES."""
    import emofeat.extractors as public

    from emofeat.extractor import Extractor

    checked = {type(get_extractor(name)) for name in SETS}
    exported = {name: getattr(public, name) for name in public.__all__}
    classes = {name: cls for name, cls in exported.items()
               if isinstance(cls, type) and issubclass(cls, Extractor)}
    assert "MFCC" in classes and "EEGStats" in classes  # the walk works
    missing = [name for name, cls in classes.items() if cls not in checked
               and not (name in BASES and any(issubclass(c, cls) for c in checked))]
    assert not missing, f"exported extractor classes no set builds: {missing}"


def test_extractors_declare_their_input_honestly():
    for name in SETS:
        tags = get_extractor(name).__sklearn_tags__()
        assert tags.input_tags.two_d_array is False, name
        assert tags.input_tags.string is (get_extractor(name).modality == "text"), name


def test_init_parameters_are_keyword_only():

    for name in SETS:
        sig = inspect.signature(type(get_extractor(name)).__init__)
        positional = [p.name for p in sig.parameters.values()
                      if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)]
        assert positional == ["self"], (name, positional)


@pytest.mark.parametrize("name", SETS)
def test_numeric_tables_are_refused(name):
    est = get_extractor(name)
    table = np.random.default_rng(0).standard_normal((30, 5))
    with pytest.raises(SignalTypeError, match="feature matrix"):
        est.fit_transform(table)
    with pytest.raises(ValueError, match="wrap a single"):
        est.fit_transform(table[:, 0])
    with pytest.raises(ValueError):
        est.fit_transform(table.astype(complex))
    with pytest.raises(ValueError, match="expected a list"):
        est.fit_transform(42)


# ------------------------------------------------------------------ signal versions
def _inputs(modality: str, n: int = 4) -> list:
    rng = np.random.default_rng(1)
    if modality == "audio":
        sr = 16000
        t = np.arange(int(0.6 * sr)) / sr
        return [((0.2 * np.sin(2 * np.pi * (120 + 40 * k) * t)
                  + 0.02 * rng.standard_normal(t.size)).astype(np.float32), sr)
                for k in range(n)]
    if modality == "eeg":
        names = ("AF3", "AF4", "F3", "F4")
        return [(rng.standard_normal((4, 256)) * (k + 1) * 1e-5, 128.0, names) for k in range(n)]
    return ["I LOVE this!!", "meh.", "What? No way...", "OK"][:n]


@pytest.fixture(params=SETS)
def fitted(request):
    est = get_extractor(request.param)
    X = _inputs(est.modality)
    return est, X, clone(est).fit(X).transform(X)


def test_output_dtype_and_names(fitted):
    est, X, out = fitted
    assert out.dtype == np.float64
    assert out.shape == (len(X), len(clone(est).fit(X).get_feature_names_out()))
    prefix = est.set_name
    assert all(n.startswith(prefix) for n in clone(est).fit(X).get_feature_names_out())


def test_fit_is_idempotent(fitted):
    est, X, out = fitted
    fitted_twice = clone(est).fit(X).fit(X)
    np.testing.assert_array_equal(fitted_twice.transform(X), out)
    np.testing.assert_array_equal(clone(est).fit_transform(X), out)


def test_fit_returns_self(fitted):
    est, X, _ = fitted
    est = clone(est)
    assert est.fit(X) is est


def test_fit_keeps_parameters(fitted):
    est, X, _ = fitted
    est = clone(est)
    before = pickle.dumps(est.get_params())
    est.fit(X).transform(X)
    assert pickle.dumps(est.get_params()) == before


def test_pickle_round_trip(fitted):
    est, X, out = fitted
    again = pickle.loads(pickle.dumps(clone(est).fit(X)))
    np.testing.assert_array_equal(again.transform(X), out)


def test_sample_order_and_subset_invariance(fitted):
    est, X, out = fitted
    order = [2, 0, 3, 1]
    np.testing.assert_array_equal(clone(est).fit(X).transform([X[i] for i in order]),
                                  out[order])
    one = clone(est).fit(X).transform(X[1:2])
    np.testing.assert_array_equal(one, out[1:2])


def test_inputs_are_not_modified(fitted):
    est, X, _ = fitted
    before = pickle.dumps(X)
    clone(est).fit(X).transform(X)
    assert pickle.dumps(X) == before


def test_set_output_pandas(fitted):
    est, X, out = fitted
    df = clone(est).set_output(transform="pandas").fit(X).transform(X)
    assert isinstance(df, pd.DataFrame)
    assert list(df.columns) == list(clone(est).fit(X).get_feature_names_out())
    np.testing.assert_array_equal(df.to_numpy(), out)


def test_set_output_pandas_when_rows_are_not_inputs(sample):
    # LLD rows are frames: the input frame's index (one entry per file) cannot label them;
    # sklearn's wrapper was handed it and pandas refused the shape
    manifest = pd.DataFrame({"path": list(sample["path"].iloc[:2])}, index=[10, 20])
    ext = get_extractor("mfcc", level="lld", n_mfcc=4)
    plain = ext.fit_transform(list(manifest["path"]))
    df = clone(ext).set_output(transform="pandas").fit_transform(manifest)
    assert isinstance(df, pd.DataFrame) and len(df) == len(plain) > 2
    assert list(df.index) == list(range(len(plain)))
    np.testing.assert_array_equal(df.to_numpy(), plain)
    # one row per input: the input's index is kept, as sklearn does
    funcs = get_extractor("mfcc", n_mfcc=4).set_output(transform="pandas")
    assert list(funcs.fit_transform(manifest).index) == [10, 20]
    assert list(funcs.transform(manifest["path"]).index) == [10, 20]
