"""A model whose GroupStandardScaler reads the groups from a DataFrame column is refused by
evaluate, evaluate_cross_corpus and train with the way out (helper D of session 50).

The classifiers guide and ``emofeat.classifiers.standardize`` show
``make_classifier("svm", standardize="group", group_column="speaker")`` for scikit-learn code
of one's own. Given to ``evaluate`` (which hands the model arrays, and each row's group
through ``groups=``) it failed in the first fold with "GroupStandardScaler(group_column=
'speaker') needs a DataFrame with that column", a table the caller cannot give, and no word
of ``standardize="group"``. Real RAVDESS mfcc functionals (80 files, 4 actors).
"""

from __future__ import annotations

import pytest
from emofeat.classifiers import evaluate, evaluate_cross_corpus, make_classifier, train

WAY_OUT = (r"GroupStandardScaler\(group_column='speaker'\) reads each row's group from a "
           r"column of a DataFrame X.*use standardize='group' with a model name, or a "
           r"GroupStandardScaler\(\) without group_column")


def test_group_column_model_is_refused_with_the_way_out(ravdess_four_speakers_mfcc):
    table = ravdess_four_speakers_mfcc
    model = make_classifier("logreg", standardize="group", group_column="speaker")
    with pytest.raises(ValueError, match=WAY_OUT):
        evaluate(table, "emotion", "speaker", model=model)
    with pytest.raises(ValueError, match=WAY_OUT):
        train(table, "emotion", model=model, groups="speaker")
    with pytest.raises(ValueError, match=WAY_OUT):
        evaluate_cross_corpus(table, table, "emotion", model=model, label_map=None,
                              groups="speaker")
    # the way out runs: the same pipeline without group_column, the groups from groups=
    named = evaluate(table, "emotion", "speaker", model="logreg", standardize="group")
    own = evaluate(table, "emotion", "speaker",
                   model=make_classifier("logreg", standardize="group"))
    assert own.scores == named.scores
