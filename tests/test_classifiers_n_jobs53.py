"""``evaluate``'s ``n_jobs`` is checked before any fit, as ``run()``'s is (helper A's
leftover of session 53), on EmoDB's ``mfcc`` functionals of speakers 03, 08 and 09.

Before: ``2.5`` ran (joblib took it as 2 workers), ``True`` ran as 1, and ``'2'`` and ``0``
failed inside joblib with its own words, naming neither the parameter nor what it takes.
Definition: joblib's and scikit-learn's ``n_jobs``, "int, default=None" (``None``: 1; ``-1``:
every core; 0 has no meaning), and the command's ``-j``, whole numbers alone.
"""

from __future__ import annotations

import warnings

import numpy as np
import pytest
from conftest import shared_path
from emofeat.classifiers import evaluate


@pytest.fixture(scope="module")
def table():
    import emofeat
    from emofeat.datasets import load_emodb

    man = load_emodb(shared_path("speech", "emodb"))
    return emofeat.extract(man[man.speaker.isin(["03", "08", "09"])], "mfcc")


@pytest.mark.parametrize("n_jobs", [2.5, 2.0, True, "2", 0])
def test_an_n_jobs_that_is_no_count_of_workers_is_refused_naming_it(table, n_jobs):
    with pytest.raises(ValueError, match=r"^n_jobs must be None or a whole number other than "
                                         rf"0 .*got {n_jobs!r}$"):
        evaluate(table, "emotion", "speaker", "logreg", "loso", n_jobs=n_jobs)


def test_whole_numbers_and_none_run_with_the_serial_figures(table):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        ref = evaluate(table, "emotion", "speaker", "logreg", "loso", n_jobs=1).predictions
        for n_jobs in (None, np.int64(2), -1):
            got = evaluate(table, "emotion", "speaker", "logreg", "loso",
                           n_jobs=n_jobs).predictions
            assert got.equals(ref), n_jobs
