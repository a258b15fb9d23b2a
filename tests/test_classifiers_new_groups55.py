"""A model that stores its training speakers' statistics, predicting another corpus whose
speaker ids collide with them (session 55, helper A, leftover 1 of session 54).

``GroupStandardScaler(seen_groups="fit")`` keeps each training speaker's mean and standard
deviation, and ``TrainedModel.predict`` standardised the rows of any id seen in training with
them, without a word: RAVDESS's actor ``03`` and EmoDB's speaker ``03`` are two people, yet
EmoDB's 03 was z-scored with RAVDESS actor 03's statistics (a model of all 24 RAVDESS actors
predicting EmoDB, ``mfcc``, svm, ekman: every one of the 535 predictions 'fear', UAR 0.167;
0.336 with each EmoDB speaker's own statistics). ``predict`` now warns, naming the ids seen in
training with their rows, and takes ``new_groups=`` to say which they are.

Reference: scikit-learn alone. A ``StandardScaler`` fitted on each RAVDESS actor's rows
z-scores them, then ``SimpleImputer(median)``, ``StandardScaler`` and ``SVC`` as
``make_classifier("svm")`` sets them are fitted; EmoDB's speakers, new people, are z-scored
each with a ``StandardScaler`` fitted on its own rows. With ``new_groups=True`` the
predictions equal these (every one) and the decision scores agree to 1e-12.
"""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest
from conftest import shared_path
from emofeat.classifiers import PredictionWarning, make_classifier, train
from sklearn.impute import SimpleImputer
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.svm import SVC

TOL = 1e-12  # decision scores against scikit-learn's: the same arithmetic, summed in another order


@pytest.fixture(scope="module")
def ravdess_four_actors():
    """``mfcc`` of all 240 files of RAVDESS actors 01-04 (every emotion)."""
    import emofeat
    from emofeat.datasets import load_ravdess

    manifest = load_ravdess(shared_path("speech", "ravdess"))
    manifest["speaker"] = manifest.speaker.astype(str)
    manifest = manifest[manifest.speaker.isin(["01", "02", "03", "04"])].reset_index(drop=True)
    assert len(manifest) == 240
    return emofeat.extract(manifest, "mfcc", n_jobs=1)


def _seen_warnings(model, table, **kw):
    with warnings.catch_warnings(record=True) as got:
        warnings.simplefilter("always")
        out = model.predict(table, **kw)
    return out, [str(w.message) for w in got
                 if issubclass(w.category, PredictionWarning) and "seen in training" in
                 str(w.message)]


def _own_z(X: np.ndarray, groups: np.ndarray) -> np.ndarray:
    out = np.empty_like(X)
    for g in np.unique(groups):
        rows = groups == g
        out[rows] = StandardScaler().fit_transform(X[rows])
    return out


def test_ids_of_another_corpus_are_named_and_new_groups_standardises_them_as_new(
        ravdess_four_actors, emodb_mfcc):
    train_t = ravdess_four_actors
    spk_e = emodb_mfcc.index["speaker"].astype(str).to_numpy()
    # EmoDB speaker 03 (an id of a RAVDESS actor) and 08 (no RAVDESS actor of the four)
    test_t = emodb_mfcc.select(rows=np.isin(spk_e, ["03", "08"]))
    model = make_classifier("svm", standardize="group").set_params(
        group_std__seen_groups="fit")
    # train's own warning of seen_groups='fit' names the way to say so at predict
    with pytest.warns(UserWarning, match=r"seen_groups='fit'.*predict\(table, "
                                         r"new_groups=True\)"):
        fit = train(train_t, "emotion", groups="speaker", model=model, label_map="ekman")

    # emofeat info MODEL said "each one's rows with their own mean and sd" of this model
    described = [line for line in fit.describe().splitlines() if "standardisation" in line]
    assert "the 4 speakers of training with the statistics stored for each" in described[0]
    assert "each one's rows with their own mean and sd" not in described[0]
    # ... and names the way to say that a table's ids are other people
    assert "predict(table, new_groups=True)" in described[0], described[0]

    # scikit-learn alone: each speaker of either corpus z-scored with its own rows
    ekman = {"neutral": "neutral", "happy": "joy", "sad": "sadness", "angry": "anger",
             "fearful": "fear", "disgust": "disgust", "surprised": "surprise"}
    y = train_t.index["emotion"].map(ekman)
    keep = y.notna().to_numpy()
    spk_r = train_t.index["speaker"].astype(str).to_numpy()[keep]
    ref = Pipeline([("impute", SimpleImputer(strategy="median", keep_empty_features=True)),
                    ("scale", StandardScaler()),
                    ("model", SVC(kernel="rbf", C=1.0, gamma="scale", class_weight="balanced",
                                  random_state=0))])
    # calm (RAVDESS) maps to nothing but joins its actor's statistics, as in train
    Z = _own_z(np.asarray(train_t.X, float), train_t.index["speaker"].astype(str).to_numpy())
    ref.fit(Z[keep], y[keep].to_numpy())
    assert len(set(spk_r)) == 4
    spk_t = test_t.index["speaker"].astype(str).to_numpy()
    Zt = _own_z(np.asarray(test_t.X, float), spk_t)
    ref_pred, ref_score = ref.predict(Zt), ref.decision_function(Zt)

    # not said: EmoDB's 03 takes RAVDESS actor 03's statistics, with a warning naming it
    # (before: no warning at all) and not 08, whose own rows set its statistics
    stored, said = _seen_warnings(fit, test_t)
    assert len(said) == 1, said
    assert "'03': 49 rows" in said[0] and "'08'" not in said[0], said[0]
    assert "new_groups=True" in said[0]
    of03 = spk_t == "03"
    # ... which changes its predictions (the reference's are those of its own statistics)
    assert (stored["pred"].to_numpy()[of03] != ref_pred[of03]).sum() >= 10
    assert (stored["pred"].to_numpy()[~of03] == ref_pred[~of03]).all()

    # speaker 03 alone: all 49 predictions one class, and the collapse warning told this
    # per-speaker model to "train with standardize='group'"; it now names the way out
    with warnings.catch_warnings(record=True) as got:
        warnings.simplefilter("always")
        alone = fit.predict(test_t.select(rows=of03))
    collapsed = [str(w.message) for w in got if "collapsed onto one class" in str(w.message)]
    assert alone["pred"].nunique() == 1 and len(collapsed) == 1, collapsed
    assert "standardize='group'" not in collapsed[0], collapsed[0]
    assert "standardises each speaker already" in collapsed[0]
    assert "new_groups=True" in collapsed[0]

    # new_groups=True: both are new people, standardised with their own rows (before:
    # TypeError, no such argument)
    new, said_new = _seen_warnings(fit, test_t, new_groups=True)
    assert not said_new
    assert (new["pred"].to_numpy() == ref_pred).all()
    scores = new[[f"score_{c}" for c in fit.estimator.classes_]].to_numpy()
    np.testing.assert_allclose(scores, ref_score, rtol=0, atol=TOL)
    # the ids listed: the same here (08 was not seen); False: the training speakers, quietly
    listed, _ = _seen_warnings(fit, test_t, new_groups=["03"])
    pd.testing.assert_frame_equal(listed, new, check_like=False)
    same, said_same = _seen_warnings(fit, test_t, new_groups=False)
    assert not said_same
    assert (same["pred"].to_numpy() == stored["pred"].to_numpy()).all()
    # an id that is no speaker of the table is refused (a typo would go unnoticed)
    with pytest.raises(ValueError, match=r"no speaker of the table: '3'"):
        fit.predict(test_t, new_groups=[3])
    with pytest.raises(TypeError, match="new_groups must be True, False or an iterable"):
        fit.predict(test_t, new_groups="03")


def test_default_scaler_is_not_warned_of(ravdess_four_actors, emodb_mfcc):
    spk_e = emodb_mfcc.index["speaker"].astype(str).to_numpy()
    test_t = emodb_mfcc.select(rows=spk_e == "03")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        own = train(ravdess_four_actors, "emotion", groups="speaker",
                    model=make_classifier("svm", standardize="group"), label_map="ekman")
    assert "(each one's rows with their own mean and sd; 4 groups (speaker) in training)" \
        in own.describe()
    plain, said = _seen_warnings(own, test_t)
    assert not said
    # new_groups changes nothing for a model that stores no speaker's statistics
    again, _ = _seen_warnings(own, test_t, new_groups=True)
    pd.testing.assert_frame_equal(plain, again)


def _collapse_said(model, table, **kw):
    with warnings.catch_warnings(record=True) as got:
        warnings.simplefilter("always")
        out = model.predict(table, **kw)
    return out, [str(w.message) for w in got if "collapsed onto one class" in str(w.message)]


def test_collapse_hint_names_new_groups_only_where_stored_statistics_were_used(
        ravdess_four_actors, emodb_mfcc):
    """The collapse warning of a model with stored statistics said "predict(table,
    new_groups=True)" whatever the table: also where no id of the table was seen in training
    (nothing stored was used: new_groups changes nothing) and where the caller had passed
    new_groups=True already. Now only where some row took statistics stored for its id."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        fit = train(ravdess_four_actors, "emotion", groups="speaker", label_map="ekman",
                    model=make_classifier("svm", standardize="group").set_params(
                        group_std__seen_groups="fit"))
    spk_e = emodb_mfcc.index["speaker"].astype(str).to_numpy()
    # EmoDB speaker 03 alone, an id of a training actor: its rows take actor 03's statistics
    of03 = emodb_mfcc.select(rows=spk_e == "03")
    overlap, said = _collapse_said(fit, of03)
    assert overlap["pred"].nunique() == 1 and len(said) == 1, said
    assert "new_groups=True" in said[0], said[0]
    # ids are matched as text: speaker 03 given as the number 3 is no training actor '03'
    # (docs/classifiers.md says so; pinned, not changed)
    as_int = emodb_mfcc.select(rows=spk_e == "03")
    as_int.index["speaker"] = 3
    int_pred, said = _seen_warnings(fit, as_int)
    assert not said
    new_pred, _ = _seen_warnings(fit, of03, new_groups=True)
    assert (int_pred["pred"].to_numpy() == new_pred["pred"].to_numpy()).all()
    # 30 of those rows as speakers of one row each (which collapses: a row z-scored with its
    # own statistics is all zeros), under ids never seen in training (no stored statistics
    # used), and with one row of id '03' declared new with new_groups=True
    ids = [f"x{i}" for i in range(30)]
    unseen = of03.select(rows=np.arange(len(of03)) < 30)
    unseen.index["speaker"] = ids
    declared = of03.select(rows=np.arange(len(of03)) < 30)
    declared.index["speaker"] = ["03"] + ids[1:]
    for table, kw in ((unseen, {}), (declared, {"new_groups": True})):
        pred, said = _collapse_said(fit, table, **kw)
        assert pred["pred"].nunique() == 1 and len(said) == 1, (kw, said)
        assert "standardises each speaker already" in said[0], said[0]
        assert "new_groups" not in said[0], (kw, said[0])
