"""The rows that join a group's statistics without being scored, as the warnings and the
pooled cut see them (session 53, helper A).

1. ``evaluate``'s warning that a held-out group is z-scored with the statistics of a single
   recording counted the scored rows only, while since session 52 the unscored rows (a
   label the map leaves out) join the statistics. Muse windows (4 s every 2 s),
   ``subject_dependent`` folds of whole recordings, ``'neutral'`` mapped to nothing: each
   subject's two neutral recordings join every held-out recording's statistics, yet the
   warning said "15 of those 15 sets of rows are of a single recording". (Since session 54
   those folds take the subject's training statistics; the case tested is a subject of one
   scored recording held out by leave one subject out.) Definition: the
   rows a scaler's statistics are of (``GroupStandardScaler.transform``: the held-out rows
   of the group and the further rows of its ``GroupRows``), checked here by counting the
   recordings of those rows from the table (no figure of ours).
2. Frames without a pool value (the utterance column) are not scored and join their
   speakers' statistics; with ``standardize="group"`` they made ``evaluate`` fail with a
   ``TypeError`` (pandas 3 keeps the missing value through ``astype(str)``; as text they
   would be one utterance ``'nan'`` of every speaker, cut to N frames in all). Now they join
   uncut, exactly as frames of a known utterance whose label is missing do, and where a cut
   applies they are left out with a warning: the predictions and pooled probabilities equal
   those of the table without them (exact, tolerance 0).
"""

from __future__ import annotations

import warnings

import numpy as np
import pytest
from conftest import shared_path
from emofeat.classifiers import evaluate

STATES = {"concentrating": "concentrating", "relaxed": "relaxed", "neutral": None}


@pytest.fixture(scope="module")
def muse():
    """``eeg_bands`` of the 24 Muse recordings in 4 s windows every 2 s (608 rows)."""
    from emofeat.datasets.eeg_corpora import load_muse_mental_state
    from emofeat.registry import get_extractor
    from emofeat.runner import run

    manifest = load_muse_mental_state(shared_path("eeg", "muse_mental_state"))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # the Muse's clipped samples
        return run(manifest, [get_extractor("eeg_bands")], segment=4.0, hop=2.0).table


def _single_recording_warnings(table, **kw):
    with warnings.catch_warnings(record=True) as got:
        warnings.simplefilter("always")
        res = evaluate(table, "state", groups="subject", standardize="group", **kw)
    return res, [str(w.message) for w in got if "of a single recording" in str(w.message)]


def test_unscored_recordings_of_a_subject_count_in_the_single_recording_warning(muse):
    # leave one subject out, subject d recorded once concentrating (and twice neutral): its
    # held-out statistics are of that recording and of its neutral ones, which 'neutral'
    # mapped to nothing leaves unscored. (Until session 54 the case was subject-dependent
    # folds of whole recordings, whose held-out rows now take their subject's training
    # statistics: tests/test_classifiers_seen_group_std54.py.)
    idx = muse.index
    subject = idx["subject"].astype(str).to_numpy()
    state = idx["state"].astype(str).to_numpy()
    d = subject == "d"
    kept = idx["path"][d & (state == "concentrating")].iloc[0]
    one = muse.select(rows=~d | (idx["path"] == kept).to_numpy() | (d & (state == "neutral")))
    assert one.index["path"][one.index["subject"].astype(str) == "d"].nunique() == 3
    neutral = one.index["state"].astype(str).to_numpy() == "neutral"
    res, said = _single_recording_warnings(one, label_map=STATES)
    assert len(res.predictions) == int((~neutral).sum())  # the neutral rows are not scored
    assert said == [], said
    # control: without its neutral recordings, subject d's held-out rows are one recording
    alone = muse.select(rows=~d | (idx["path"] == kept).to_numpy())
    _, said = _single_recording_warnings(alone, label_map=STATES)
    assert len(said) == 1 and "1 of those 4 sets of rows are of a single recording" in said[0]


@pytest.fixture(scope="module")
def frames():
    """``paa`` frames of two EmoDB files of each emotion of speakers 03, 08, 09 (38 files),
    with an utterance column ``utt`` (the path) left empty for the first file of each
    speaker."""
    import emofeat
    from emofeat.datasets import load_emodb

    man = load_emodb(shared_path("speech", "emodb"))
    man = man[man.speaker.isin(["03", "08", "09"])].groupby(["speaker", "emotion"]).head(2)
    table = emofeat.extract(man, "paa", level="lld")
    path = table.index["path"].astype(str)
    first = table.index.groupby("speaker")["path"].transform("first").astype(str)
    table.index["utt"] = path.astype(object).where(path != first, None).to_numpy()
    return table


def _pooled(table, **kw):
    with warnings.catch_warnings(record=True) as got:
        warnings.simplefilter("always")
        res = evaluate(table, "emotion", "speaker", "svm", "loso", standardize="group",
                       pool="utt", random_state=0, **kw)
    p = res.predictions.set_index("utt").sort_index()
    cols = [c for c in p.columns if c.startswith("p_")]
    return p["pred"].astype(str), p[cols].to_numpy(float), [str(w.message) for w in got]


def test_frames_without_an_utterance_join_uncut_as_unlabelled_frames_do(frames):
    blank = frames.index["utt"].isna().to_numpy()
    assert frames.index["path"][blank].nunique() == 3
    pred, proba, _ = _pooled(frames)
    # the same frames with their utterance but no label: unscored, joining with every frame
    unlabelled = frames.select(rows=np.arange(len(frames)))
    unlabelled.index["utt"] = unlabelled.index["path"].astype(str).to_numpy()
    unlabelled.index["emotion"] = unlabelled.index["emotion"].astype(object).where(
        ~blank, None).to_numpy()
    ref_pred, ref_proba, _ = _pooled(unlabelled)
    assert pred.index.equals(ref_pred.index) and len(pred) == 38 - 3
    assert (pred == ref_pred).all()
    np.testing.assert_array_equal(proba, ref_proba)


def test_frames_without_an_utterance_are_left_out_where_utterances_are_cut(frames):
    blank = frames.index["utt"].isna().to_numpy()
    kw = dict(max_frames_per_unit=2, max_test_frames_per_unit=2)
    pred, proba, said = _pooled(frames, **kw)
    ref_pred, ref_proba, _ = _pooled(frames.select(rows=np.flatnonzero(~blank)), **kw)
    assert (pred == ref_pred).all()
    np.testing.assert_array_equal(proba, ref_proba)
    named = [m for m in said if "have no 'utt' value" in m]
    assert "their groups' statistics when they train and when they are held out" in named[0]
    assert len(named) == 1
    assert f"{int(blank.sum())} frames of 3 recordings" in named[0]
    assert "max_frames_per_unit=2 and max_test_frames_per_unit=2" in named[0]


def _cross(train_table, test_table, **kw):
    from emofeat.classifiers import evaluate_cross_corpus

    with warnings.catch_warnings(record=True) as got:
        warnings.simplefilter("always")
        res = evaluate_cross_corpus(train_table, test_table, "state", groups="subject",
                                    model="svm", label_map=None, random_state=0, **kw)
    return res, [str(w.message) for w in got if "of a single recording" in str(w.message)]


def test_cross_corpus_warns_of_test_subjects_standardised_with_one_recording(muse):
    """Subjects a and b -> one recording each of c and d: per-subject standardisation
    z-scores each test recording with its own statistics (UAR 0.500, chance, against 0.931
    without); ``TrainedModel.predict`` of those rows warns, ``evaluate_cross_corpus`` said
    nothing. Checked from the table: each test subject's rows are of one path."""
    import os

    from emofeat.classifiers import train

    idx = muse.index
    subject = idx["subject"].astype(str).to_numpy()
    base = idx["path"].astype(str).map(os.path.basename).to_numpy()
    tr = muse.select(rows=np.flatnonzero(np.isin(subject, ["a", "b"])))
    one = muse.select(rows=np.flatnonzero(np.isin(
        base, ["subjectc-concentrating-1.csv", "subjectd-relaxed-1.csv"])))
    two = muse.select(rows=np.flatnonzero(np.isin(
        base, ["subjectc-concentrating-1.csv", "subjectc-relaxed-1.csv",
               "subjectd-concentrating-1.csv", "subjectd-relaxed-1.csv"])))
    assert one.index.groupby("subject")["path"].nunique().eq(1).all()
    # predict of the same rows warns (the reference behaviour)
    with warnings.catch_warnings(record=True) as got:
        warnings.simplefilter("always")
        train(tr, "state", groups="subject", model="svm", standardize="group",
              random_state=0).predict(one)
    assert any("rows of a single recording" in str(w.message) for w in got)
    _, said = _cross(tr, one, standardize="group")
    assert len(said) == 1
    assert "the rows of each subject in the test table" in said[0]
    assert "2 of those 2 sets of rows are of a single recording" in said[0]
    assert ("evaluate with a test table holding several recordings of each subject, or "
            "without standardize='group'") in said[0]
    # two recordings of each test subject, or no per-subject standardisation: nothing to say
    assert _cross(tr, two, standardize="group")[1] == []
    assert _cross(tr, one)[1] == []


def test_the_warning_names_the_side_a_cap_cuts_and_one_frame_in_the_singular(frames):
    """Review RA of 4742fab/6a9b37b: with a cap on the held-out side alone, the frames without
    an utterance still join the training statistics whole, and the warning said 'left out of
    their groups' statistics' without a side; one frame was 'they'."""
    path = frames.index["path"].astype(str).to_numpy()
    utt = path.astype(object)
    utt[0] = None  # one frame without its utterance
    table = frames.select(rows=np.arange(len(path)))
    table.index["utt"] = utt
    _, _, said = _pooled(table, max_test_frames_per_unit=2)
    named = [m for m in said if "'utt' value" in m]
    assert len(named) == 1, said
    assert named[0].startswith("1 frame of 1 recording")
    assert "has no 'utt' value: it is not scored" in named[0]
    assert "left out of its group's statistics when it is held out too" in named[0]
    assert "give it its utterance's 'utt' value, or leave it out of the table" in named[0]
