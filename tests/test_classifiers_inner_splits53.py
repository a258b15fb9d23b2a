"""``evaluate``'s ``inner_splits`` (the folds of a nested search, ``param_grid``) is checked
as ``n_splits`` is: an integer of at least 2, else a ``ValueError`` naming it (session 53,
helper A), on EmoDB's ``mfcc`` functionals of speakers 03, 08, 09 and 10.

Before: ``2.5`` failed in scikit-learn with "The number of folds must be of Integral type",
naming no parameter of ``evaluate``; ``"3"`` with "'<' not supported between instances of
'str' and 'int'"; ``True`` was refused as "at least 2, got True", which it is not about.
Definition: scikit-learn's ``n_splits``, an int of at least 2 (a bool refused).
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
    return emofeat.extract(man[man.speaker.isin(["03", "08", "09", "10"])], "mfcc")


@pytest.mark.parametrize("value", [2.5, 3.0, "3", True, 1])
def test_inner_splits_that_are_no_count_are_refused_naming_them(table, value):
    with pytest.raises(ValueError, match=r"^inner_splits must be an integer of at least 2, "
                                         rf"got {value!r}$"):
        evaluate(table, "emotion", "speaker", "logreg", param_grid={"C": [0.1, 1.0]},
                 inner_splits=value)


def test_integer_inner_splits_run(table):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        res = evaluate(table, "emotion", "speaker", "logreg", param_grid={"C": [0.1, 1.0]},
                       inner_splits=np.int64(2))
    assert res.settings["inner_splits"] == 2 and len(res.predictions) == len(table)
