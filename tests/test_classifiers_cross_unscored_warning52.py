"""evaluate_cross_corpus names the table whose unscored rows cannot join their groups.

Review RA of session 52 (after 17ebd02): with a GroupStandardScaler behind another step, the
cross-corpus run warned twice, "the 35 rows of the table ..." and "the 46 rows of the table
...", without saying which was the training table and which the test table. On EmoDB
``mfcc`` split by speaker (boredom left out by ``'ekman'``), each warning now names its
table, with that table's count of boredom rows (counted from the data, exact).
"""

from __future__ import annotations

import warnings

import pytest
from conftest import shared_path
from emofeat.classifiers import GroupStandardScaler, evaluate_cross_corpus


@pytest.fixture(scope="module")
def tables():
    """``mfcc`` functionals of 3 files of each emotion of EmoDB speakers 03, 08, 09
    (training; 9 of boredom) and 10, 11 (test; 6 of boredom)."""
    import emofeat
    from emofeat.datasets import load_emodb

    man = load_emodb(shared_path("speech", "emodb"))
    man = man.groupby(["speaker", "emotion"]).head(3)
    return (emofeat.extract(man[man.speaker.isin(["03", "08", "09"])], "mfcc"),
            emofeat.extract(man[man.speaker.isin(["10", "11"])], "mfcc"))


def test_each_warning_names_its_table(tables):
    from sklearn.compose import ColumnTransformer
    from sklearn.pipeline import make_pipeline
    from sklearn.svm import SVC

    train, test = tables
    bored = [int((t.index["emotion"].astype(str) == "boredom").sum()) for t in tables]
    assert bored[0] != bored[1] and min(bored) > 0  # the counts tell the tables apart too
    n = train.X.shape[1]
    nested = make_pipeline(ColumnTransformer([("g", GroupStandardScaler(), list(range(n)))]),
                           SVC(class_weight="balanced"))
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        evaluate_cross_corpus(train, test, "emotion", nested, train_corpus="emodb",
                              test_corpus="emodb", groups="speaker")
    said = [str(w.message) for w in caught
            if "cannot join their groups' statistics" in str(w.message)]
    assert len(said) == 2, said
    assert sum(f"the {bored[0]} rows of the training table that are not scored" in m
               for m in said) == 1, said
    assert sum(f"the {bored[1]} rows of the test table that are not scored" in m
               for m in said) == 1, said
