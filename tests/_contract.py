"""Helpers shared by the sklearn contract tests (tests/test_sklearn_contract_*.py): counting
the calls a check makes to an estimator, and running the array-API check in a process of its
own."""

from __future__ import annotations

import functools
import inspect
import os
import re
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest

# applicable checks that test construction, parameters, repr or tags, never data: the only
# ones allowed to pass without calling the estimator (and required not to call it)
NO_DATA_CHECKS = {
    "check_do_not_raise_errors_in_init_or_set_params": "constructs and calls set_params only",
    "check_estimator_repr": "calls repr only",
    "check_estimator_tags_renamed": "inspects the class's tag methods only",
    "check_get_params_invariance": "calls get_params only",
    "check_mixin_order": "inspects the class's bases only",
    "check_no_attributes_set_in_init": "constructs only",
    "check_parameters_default_constructible": "constructs with the defaults only",
    "check_set_params": "calls get_params and set_params only",
    "check_valid_tag_types": "reads the tags only",
}

# the methods through which a check hands data to an estimator
DATA_METHODS = ("fit", "partial_fit", "fit_transform", "fit_predict", "transform", "predict",
                "predict_proba", "predict_log_proba", "decision_function", "score",
                "score_samples", "inverse_transform")


class _CountedMethod:
    """A class attribute standing for a method of the class, counting the calls of it on any
    instance (clone() makes new ones); the original's own descriptor decides what an instance
    gets (a method that sklearn's ``available_if`` hides stays hidden)."""

    def __init__(self, original, name: str, calls: Counter):
        self.original, self.name, self.calls = original, name, calls

    def __get__(self, obj, owner=None):
        bound = self.original.__get__(obj, owner)
        if obj is None:
            return bound

        @functools.wraps(bound)  # keeps the signature the checks inspect
        def counted(*args, **kwargs):
            self.calls[self.name] += 1
            return bound(*args, **kwargs)

        return counted


def run_counting_calls(cls: type, run) -> Counter:
    """``run()`` with the data methods of ``cls`` counted: the calls made, by method."""
    calls = Counter()
    with pytest.MonkeyPatch.context() as mp:
        for name in DATA_METHODS:
            try:
                original = inspect.getattr_static(cls, name)
            except AttributeError:
                continue
            if hasattr(original, "__get__"):
                mp.setattr(cls, name, _CountedMethod(original, name, calls))
        run()
    return calls


def run_array_api_cases(target: str, check: str, expected: int) -> None:
    """Run the cases of ``check`` selected from ``target`` (a test file or node id) in a fresh
    process with SCIPY_ARRAY_API=1, which SciPy reads when it is imported and sklearn needs
    for the array-API check (it skips without): all ``expected`` must run and pass, none
    skip."""
    root = Path(__file__).resolve().parents[1]
    proc = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-n", "0", "-rs",
         target, "-k", check],
        capture_output=True, text=True, cwd=root,
        env={**os.environ, "SCIPY_ARRAY_API": "1"}, timeout=300)
    summary = proc.stdout.strip().splitlines()[-1] if proc.stdout.strip() else ""
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    assert re.match(rf"{expected} passed, \d+ deselected(, \d+ warnings?)? in ", summary), (
        proc.stdout[-3000:])
