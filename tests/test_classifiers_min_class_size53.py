"""``evaluate``'s ``min_class_size`` is checked as its other counts are: an integer of at
least 0, else a ``ValueError`` naming it (session 53, helper A; 0 ran before and keeps every
class, as 1 does: review RA), on EmoDB's ``mfcc``
functionals of speakers 03 and 08.

Before: ``-3`` and ``True`` refused no class, ``2.5`` refused classes of 2 rows as if the
parameter were 3, and ``"5"`` (a value read from a config file) failed in numpy with
"ufunc 'less' did not contain a loop with signature matching types", naming nothing.
Definition: scikit-learn's parameter validation, which refuses a bool or a float where an
int is documented; 0 and 1 keep every class.
"""

from __future__ import annotations

import warnings

import numpy as np
import pytest
from conftest import shared_path
from emofeat.classifiers import evaluate
from emofeat.classifiers.validation import DataError


@pytest.fixture(scope="module")
def table():
    import emofeat
    from emofeat.datasets import load_emodb

    man = load_emodb(shared_path("speech", "emodb"))
    return emofeat.extract(man[man.speaker.isin(["03", "08"])], "mfcc")


@pytest.mark.parametrize("value", [2.5, 3.0, True, -3, "5"])
def test_a_class_size_that_is_no_count_is_refused_naming_it(table, value):
    with pytest.raises(ValueError, match=r"^min_class_size must be an integer of at least 0 "
                                         rf"\(0 or 1 keeps every class\), got {value!r}$"):
        evaluate(table, "emotion", "speaker", "logreg", "loso", min_class_size=value)


def test_an_integer_class_size_refuses_the_rarer_classes(table):
    counts = table.index["emotion"].value_counts()
    rarest = int(counts.min())
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        res = evaluate(table, "emotion", "speaker", "logreg", "loso",
                       min_class_size=np.int64(rarest))
    assert len(res.predictions) == len(table)
    with pytest.raises(DataError, match=str(counts.idxmin())):
        evaluate(table, "emotion", "speaker", "logreg", "loso", min_class_size=rarest + 1)


def test_zero_keeps_every_class_as_one_does(table):
    """0 ("no minimum") ran before c2f3b30 and keeps every class (review RA): the same
    predictions as 1."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        zero = evaluate(table, "emotion", "speaker", "logreg", "loso", min_class_size=0)
        one = evaluate(table, "emotion", "speaker", "logreg", "loso", min_class_size=1)
    assert len(zero.predictions) == len(table)
    assert zero.predictions.equals(one.predictions)
