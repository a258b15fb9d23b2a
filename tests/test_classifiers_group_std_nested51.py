"""A ``GroupStandardScaler`` nested in a ColumnTransformer or FeatureUnion of the user's
pipeline is per-group standardisation too, and a model file of the old code with such a
scaler predicts.

Session 51, helper D2 (review of 4eaf989), on EmoDB's 535 files (``mfcc`` functionals):

* ``uses_groups`` walked only a Pipeline's ``steps``: with the scaler inside a
  ``ColumnTransformer`` (``transformers``) or ``FeatureUnion`` (``transformer_list``),
  ``evaluate``/``train`` gave it no groups and failed advising metadata routing. Reference:
  the named model with ``standardize="group"`` (leave one speaker out, every prediction
  equal) and, for ``train``, the same SVC fitted by scikit-learn alone on each speaker's rows
  z-scored by its own ``StandardScaler`` (all 535 labels equal).
* A model file ``train`` wrote before 4eaf989 (at af10287) from a pipeline of the user's
  holding a GroupStandardScaler kept ``groups=None`` (the column only in
  ``settings["groups"]``), and loaded now its ``predict`` still failed "transform needs
  groups=". The old file's state is built here from a model trained now (``groups`` and
  ``settings["standardize"]`` set back to what af10287 wrote: ``None``), saved as ``save``
  saves it. Reference: the same model trained now, and scikit-learn alone (535 labels equal).
* ``evaluate_cross_corpus`` with such a pipeline and ``groups=None`` standardised each corpus
  with its own statistics until 4eaf989, which refused it naming no way out. Per-corpus
  normalisation is a recognised cross-corpus technique (Schuller et al. 2010, "Cross-corpus
  acoustic emotion recognition: variances and strategies"), so it is kept and said
  (``settings["standardize"] = "corpus"``). Reference: scikit-learn alone, a StandardScaler
  fitted on each table, one SVC (EmoDB, 5 speakers -> the other 5, every prediction equal).
"""

from __future__ import annotations

import copy

import numpy as np
import pytest
from emofeat.classifiers import GroupStandardScaler, evaluate, train
from sklearn.compose import ColumnTransformer
from sklearn.pipeline import FeatureUnion, make_pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.svm import SVC
from test_classifiers_own_group_std51 import sklearn_alone


def _svc():
    return SVC(class_weight="balanced", random_state=0)


def _nested(kind, n_features):
    if kind == "column_transformer":
        inner = ColumnTransformer([("g", GroupStandardScaler(), list(range(n_features)))])
    else:
        inner = FeatureUnion([("g", GroupStandardScaler())])
    return make_pipeline(inner, _svc())


@pytest.mark.parametrize("kind", ["column_transformer", "feature_union"])
def test_nested_scaler_is_per_group_standardisation(emodb_mfcc, kind):
    n = emodb_mfcc.X.shape[1]
    res = evaluate(emodb_mfcc, "emotion", "speaker", _nested(kind, n), "loso")
    assert res.settings["standardize"] == "group"
    named = evaluate(emodb_mfcc, "emotion", "speaker", "svm", "loso", standardize="group")
    assert (res.predictions["pred"] == named.predictions["pred"]).all()
    model = train(emodb_mfcc, "emotion", groups="speaker", model=_nested(kind, n))
    assert model.groups == "speaker"
    got = model.predict(emodb_mfcc)["pred"].astype(str).to_numpy()
    ref = sklearn_alone(emodb_mfcc)
    assert len(got) == 535 and (got == ref).all(), f"{(got != ref).sum()} rows differ"


def test_a_model_file_of_the_old_code_predicts_with_its_group_column(emodb_mfcc, tmp_path):
    import joblib
    from emofeat.classifiers import load_model
    from emofeat.classifiers.persistence import FORMAT_VERSION

    new = train(emodb_mfcc, "emotion", groups="speaker",
                model=make_pipeline(GroupStandardScaler(), _svc()))
    want = new.predict(emodb_mfcc)["pred"].astype(str).to_numpy()
    old = copy.deepcopy(new)
    # what af10287's train wrote for this pipeline (checked on a file it wrote)
    old.groups = None
    old.settings["standardize"] = None
    assert old.settings["groups"] == "speaker"
    path = tmp_path / "old.joblib"
    joblib.dump({"format": FORMAT_VERSION, "model": old}, path)
    loaded = load_model(path)
    assert loaded.groups == "speaker" and loaded.settings["standardize"] == "group"
    got = loaded.predict(emodb_mfcc)["pred"].astype(str).to_numpy()
    assert len(got) == 535 and (got == want).all() and (got == sklearn_alone(emodb_mfcc)).all()


def _halves(table):
    half = table.index["speaker"].astype(str).isin(["03", "08", "09", "10", "11"]).to_numpy()
    return (table.select(rows=np.flatnonzero(half)), table.select(rows=np.flatnonzero(~half)))


def test_cross_corpus_without_groups_standardises_each_corpus(emodb_mfcc):
    from emofeat.classifiers import evaluate_cross_corpus

    tr, te = _halves(emodb_mfcc)
    res = evaluate_cross_corpus(tr, te, "emotion", label_map=None,
                                model=make_pipeline(GroupStandardScaler(), _svc()))
    assert res.settings["standardize"] == "corpus"
    assert "per-corpus standardised" in res.summary()

    def z(t):
        return StandardScaler().fit_transform(np.asarray(t.X, dtype=np.float64))

    ref = _svc().fit(z(tr), tr.index["emotion"].astype(str)).predict(z(te))
    got = res.predictions["pred"].astype(str).to_numpy()
    assert len(got) == len(te) == 292 and (got == ref).all(), f"{(got != ref).sum()} differ"


def test_cross_corpus_named_group_standardisation_without_groups_names_the_ways_out(
        emodb_mfcc):
    from emofeat.classifiers import evaluate_cross_corpus

    tr, te = _halves(emodb_mfcc)
    with pytest.raises(ValueError, match=r"needs groups=.*each corpus with its own statistics"
                                         r".*GroupStandardScaler\(\)"):
        evaluate_cross_corpus(tr, te, "emotion", label_map=None, standardize="group")


@pytest.mark.parametrize("kind", ["column_transformer", "feature_union"])
def test_model_description_says_the_nested_scaler(emodb_mfcc, kind):
    # `emofeat model info` said "standardisation: none in the pipeline" for such a model,
    # whose predictions are those of per-speaker standardisation (test above): its line is
    # the plain pipeline's
    from emofeat.classifiers.model_info import describe_model

    def line(model):
        fitted = train(emodb_mfcc, "emotion", groups="speaker", model=model)
        return [s for s in describe_model(fitted) if s.startswith("standardisation")]

    want = line(make_pipeline(GroupStandardScaler(), _svc()))
    assert "per speaker" in want[0] and "10 groups" in want[0]
    assert line(_nested(kind, emodb_mfcc.X.shape[1])) == want
