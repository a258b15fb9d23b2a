"""A trialwise summary with groups= says its folds split trials (hunt of session 49).

``evaluate(..., protocol="trialwise", trials="path", groups="speaker")`` said "trialwise by
speaker", as if its folds held speakers out, where they hold out trials and train on every
speaker's other trials; the groups only standardise and score per speaker (session 48 mended
the same reading of a cross-corpus summary). Real RAVDESS mfcc functionals, 80 files of 4
actors, each file a trial.
"""

from __future__ import annotations

from emofeat.classifiers import evaluate


def test_trialwise_with_groups_says_by_trials(ravdess_four_speakers_mfcc):
    table = ravdess_four_speakers_mfcc
    res = evaluate(table, "emotion", "speaker", "logreg", protocol="trialwise", trials="path",
                   standardize="group")
    summary = res.summary()
    assert summary.startswith("logreg | trialwise by trials (path), per-group standardised "
                              "(5 folds, 80 rows, "), summary
    assert f"(per speaker UAR {res.per_group['uar'].mean():.3f} +- " in summary
    # a test fold holds every speaker: none is held out
    for _, fold in res.predictions.groupby("fold"):
        assert fold["group"].nunique() == 4
    # without groups, and the protocols whose folds are of groups, as before
    plain = evaluate(table, "emotion", model="logreg", protocol="trialwise", trials="path")
    assert plain.summary().startswith("logreg | trialwise by trials (path) (5 folds, ")
    loso = evaluate(table, "emotion", "speaker", "logreg", protocol="loso")
    assert loso.summary().startswith("logreg | loso by speaker (4 folds, ")
    sd = evaluate(table, "emotion", "speaker", "logreg", protocol="subject_dependent",
                  n_splits=2)
    assert sd.summary().startswith("logreg | subject_dependent by speaker (8 folds, ")


def test_pooled_trialwise_without_trials_says_by_utterances(ravdess_dir):
    # pool= without trials=: the utterances are the trials; the summary said "trialwise by
    # speaker" with groups=, and nothing ("trialwise (5 folds ...") without
    import numpy as np

    import emofeat
    from emofeat.datasets import load_ravdess

    m = load_ravdess(ravdess_dir)
    m = m[m.speaker.astype(str).isin(["01", "02", "03", "04"])]
    m = m[m.emotion.isin(["angry", "calm", "sad"])].groupby(["speaker", "emotion"]).head(2)
    frames = emofeat.extract(m.reset_index(drop=True), "mfcc", level="lld")
    frames = frames.select(rows=np.flatnonzero(frames.index["frame"].to_numpy() % 5 == 0))
    for groups in ("speaker", None):
        res = evaluate(frames, "emotion", groups, "logreg", protocol="trialwise", pool="path",
                       n_splits=3, max_frames_per_unit=10)
        assert res.summary().startswith(
            "logreg | trialwise by utterances (path) (3 folds, 24 rows, 3 classes): "), \
            res.summary()
