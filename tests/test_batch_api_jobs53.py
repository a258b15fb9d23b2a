"""``emofeat.runner.run``'s ``n_jobs`` checked before any work (hunt of session 53).

``n_jobs=0.5`` failed inside the shards' sizes with a ``ZeroDivisionError`` (reported as a bug
by anyone catching ``ValueError``), ``"2"`` with ``TypeError: '>' not supported``, and
``True`` and ``-0.5`` ran; ``n_jobs=None``, one process in joblib and scikit-learn (whose
``n_jobs`` users pass through), was a ``TypeError``. Now a count that is no whole number is a
``ValueError`` naming it, and ``None`` is 1.
"""

from __future__ import annotations

import numpy as np
import pytest

from emofeat.registry import get_extractor
from emofeat.runner import run


@pytest.fixture
def paths(emodb_dir) -> list[str]:
    return [str(p) for p in sorted(emodb_dir.glob("03a01*.flac"))[:2]]


@pytest.mark.parametrize("jobs", [0.5, -0.5, "2", True])
def test_counts_that_are_no_whole_number_are_refused(paths, jobs):
    with pytest.raises(ValueError, match=r"^n_jobs must be a whole number of worker processes"):
        run(paths, [get_extractor("mfcc")], n_jobs=jobs)


def test_none_is_one_process(paths):
    none = run(paths, [get_extractor("mfcc")], n_jobs=None).table
    one = run(paths, [get_extractor("mfcc")], n_jobs=1).table
    np.testing.assert_array_equal(none.X, one.X)  # the same computation: tolerance 0


def test_numpy_integers_run(paths):
    table = run(paths, [get_extractor("mfcc")], n_jobs=np.int64(2)).table
    assert table.shape[0] == len(paths)
