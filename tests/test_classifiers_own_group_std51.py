"""A ``GroupStandardScaler`` in the user's own pipeline is what ``standardize="group"`` is:
the evaluation's summary and settings say so, and a model ``train`` fits with it keeps the
group column it needs to predict.

Session 51, helper D, on EmoDB's 535 files (``mfcc`` functionals, leave one speaker out):
``evaluate(table, "emotion", "speaker", make_pipeline(GroupStandardScaler(), SVC()))``
said "Pipeline | loso by speaker (10 folds, ...)" with ``settings["standardize"] = None``,
where the model z-scores every speaker with that speaker's own statistics; and ``train`` with
the same pipeline gave a model whose ``predict`` failed ("GroupStandardScaler.transform needs
groups=...": the model kept no group column).

References: (1) the named model with ``standardize="group"`` (the same pipeline, built by
``make_classifier``) gives the same predictions in every fold, exactly; (2) the trained
model's predictions equal those of the same SVC fitted by scikit-learn alone on each
speaker's rows z-scored by its own ``StandardScaler`` (exact label equality on all 535 rows).
"""

from __future__ import annotations

import numpy as np
import pytest
from emofeat.classifiers import (
    GroupStandardScaler,
    evaluate,
    evaluate_cross_corpus,
    make_classifier,
    train,
)
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.svm import SVC


def _own():
    """make_classifier('svm', standardize='group') written out by a user."""
    return make_classifier("svm", standardize="group")


def _plain_own():
    return make_pipeline(GroupStandardScaler(), SVC(class_weight="balanced", random_state=0))


def sklearn_alone(table):
    """scikit-learn alone: every speaker z-scored with its own StandardScaler, one SVC
    (the pipeline's), predicting the table's own rows."""
    X = np.asarray(table.X, dtype=np.float64)
    spk = table.index["speaker"].astype(str).to_numpy()
    Z = np.empty_like(X)
    for s in np.unique(spk):
        Z[spk == s] = StandardScaler().fit_transform(X[spk == s])
    y = table.index["emotion"].astype(str).to_numpy()
    return SVC(class_weight="balanced", random_state=0).fit(Z, y).predict(Z)


def test_summary_says_a_pipeline_standardises_per_group(emodb_mfcc):
    own = evaluate(emodb_mfcc, "emotion", "speaker", _plain_own(), "loso")
    assert own.settings["standardize"] == "group"
    assert "per-group standardised" in own.summary()
    named = evaluate(emodb_mfcc, "emotion", "speaker", "svm", "loso", standardize="group")
    mine = evaluate(emodb_mfcc, "emotion", "speaker", _own(), "loso")
    assert mine.summary().split(" | ", 1)[1] == named.summary().split(" | ", 1)[1]
    assert (mine.predictions["pred"] == named.predictions["pred"]).all()


@pytest.mark.filterwarnings("ignore:evaluate_cross_corpus leaves out")
def test_cross_corpus_settings_say_so(emodb_mfcc):
    half = emodb_mfcc.index["speaker"].astype(str).isin(["03", "08", "09", "10", "11"])
    tr = emodb_mfcc.select(rows=np.flatnonzero(half.to_numpy()))
    te = emodb_mfcc.select(rows=np.flatnonzero(~half.to_numpy()))
    res = evaluate_cross_corpus(tr, te, "emotion", groups="speaker", model=_plain_own())
    assert res.settings["standardize"] == "group"


def test_trained_pipeline_predicts_with_each_speakers_statistics(emodb_mfcc):
    model = train(emodb_mfcc, "emotion", groups="speaker", model=_plain_own())
    assert model.groups == "speaker" and model.settings["standardize"] == "group"
    got = model.predict(emodb_mfcc)["pred"].astype(str).to_numpy()
    ref = sklearn_alone(emodb_mfcc)
    assert len(got) == 535 and (got == ref).all(), f"{(got != ref).sum()} rows differ"


def test_a_pipeline_of_groups_without_groups_is_refused(emodb_mfcc):
    """trialwise folds need no groups=; the scaler then had one placeholder group of every
    row, a global scaling."""
    with pytest.raises(ValueError, match="needs groups="):
        evaluate(emodb_mfcc, "emotion", None, _plain_own(), "trialwise", trials="path",
                 n_splits=3)
