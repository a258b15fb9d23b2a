"""evaluate(pool=...): frame-level training, per-utterance pooled predictions and figures."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from emofeat.classifiers import DataError, evaluate
from emofeat.classifiers.pooling import spaced_rows as _spaced
from sklearn.metrics import balanced_accuracy_score

from emofeat.table import FeatureTable


@pytest.fixture(scope="module")
def frames(sample) -> FeatureTable:
    """paa LLD frames of 24 sample files (4 speakers x 6 files, several emotions)."""
    from emofeat.runner import extract

    files = sample.sort_values("path").reset_index(drop=True)
    k = files.groupby("speaker").cumcount()
    subset = files[(k % 10 == 0) & (k < 60)].reset_index(drop=True)
    return extract(subset, "paa", level="lld", n_jobs=1)


def _eval(table, **kw):
    kw = {"target": "emotion", "groups": "speaker", "model": "logreg", "protocol": "loso",
          "pool": "path", "max_frames_per_unit": 15, **kw}
    return evaluate(table, **kw)


def test_one_prediction_per_utterance(frames):
    res = _eval(frames)
    p = res.predictions
    assert len(p) == frames.index["path"].nunique() == 24
    assert p["path"].is_unique and "frame" not in p and "time" not in p
    assert res.uar == pytest.approx(balanced_accuracy_score(p["true"], p["pred"]))
    assert res.confusion.sum() == 24 and res.per_group["n"].sum() == 24
    assert res.per_fold["n_test"].sum() == 24
    # training frames: at most 15 per file of the training speakers
    assert (res.per_fold["n_train"] <= 15 * 18).all()
    assert res.settings["pool"] == "path" and res.settings["max_frames_per_unit"] == 15
    assert res.settings["frame_scores"] == "predict_proba"


def test_no_speaker_on_both_sides(frames):
    res = _eval(frames, protocol="group_kfold", n_splits=2)
    p = res.predictions
    for _, fold in p.groupby("fold"):
        others = p[p["fold"] != fold["fold"].iloc[0]]
        assert not set(fold["speaker"]) & set(others["speaker"])
    assert (p.groupby("speaker")["fold"].nunique() == 1).all()


def test_pooled_probabilities_are_frame_means(frames):
    from emofeat.classifiers import make_classifier

    res = _eval(frames, model="svm", max_test_frames_per_unit=20)
    assert res.settings["frame_scores"] == "softmax(decision_function)"
    labels = res.labels
    pcols = [f"p_{lab}" for lab in labels]
    np.testing.assert_allclose(res.predictions[pcols].sum(axis=1), 1.0)
    assert (res.predictions["n_frames"] <= 20).all()
    # redo the first fold by hand
    spk = res.per_fold["test_groups"].iloc[0]
    ids = frames.index["path"].astype(str).to_numpy()
    _, code = np.unique(ids, return_inverse=True)
    is_test = (frames.index["speaker"].astype(str) == spk).to_numpy()
    tr = _spaced(np.flatnonzero(~is_test), code, 15)
    est = make_classifier("svm").fit(frames.X[tr], frames.index["emotion"].to_numpy()[tr])
    te = _spaced(np.flatnonzero(is_test), code, 20)
    d = est.decision_function(frames.X[te])
    p = np.exp(d - d.max(axis=1, keepdims=True))
    p /= p.sum(axis=1, keepdims=True)
    frame_p = pd.DataFrame(p, columns=[f"p_{c}" for c in est.classes_])
    frame_p["path"] = ids[te]
    manual = frame_p.groupby("path").mean()
    got = res.predictions.set_index("path").loc[manual.index]
    for col in manual.columns:
        np.testing.assert_allclose(got[col], manual[col], rtol=1e-9, atol=1e-12)
    assert (got["pred"] == manual.idxmax(axis=1).str[2:]).all()


def test_spaced_is_even_and_deterministic():
    units = np.repeat([0, 1, 2], [10, 3, 7])
    rows = np.arange(20)
    kept = _spaced(rows, units, 4)
    assert kept.tolist() == [0, 3, 6, 9, 10, 11, 12, 13, 15, 17, 19]
    assert _spaced(rows, units, 4).tolist() == kept.tolist()
    assert _spaced(rows, units, None).tolist() == rows.tolist()


def test_missing_pool_column(frames):
    with pytest.raises(DataError, match="no column 'utterance'"):
        _eval(frames, pool="utterance")


def test_utterance_spanning_speakers(frames):
    index = frames.index.copy()
    first = index["path"].iloc[0]
    rows = np.flatnonzero(index["path"] == first)
    index.loc[index.index[rows[: len(rows) // 2]], "speaker"] = "other"
    bad = FeatureTable(X=frames.X, feature_names=frames.feature_names, index=index,
                       provenance=frames.provenance)
    with pytest.raises(DataError, match="more than one speaker"):
        _eval(bad)


def test_frame_options_need_pool(frames):
    with pytest.raises(ValueError, match="need pool="):
        evaluate(frames, target="emotion", groups="speaker", max_frames_per_unit=5)


def test_cli_pool(frames, tmp_path, capsys):
    from emofeat.cli import EXIT_OK, EXIT_USAGE, main

    path = tmp_path / "frames.parquet"
    frames.to_parquet(path)
    base = ["evaluate", str(path), "--target", "emotion", "--groups", "speaker",
            "--model", "logreg", "--protocol", "loso"]
    rc = main([*base, "--pool", "path", "--max-frames", "10", "--max-test-frames", "30",
               "--report", str(tmp_path / "rep")])
    out = capsys.readouterr().out
    assert rc == EXIT_OK and "24 rows" in out and "| UAR |" in out
    assert len(pd.read_csv(tmp_path / "rep" / "predictions.csv")) == 24
    assert main([*base, "--pool", "utterance"]) == EXIT_USAGE
    assert "no column 'utterance'" in capsys.readouterr().err


@pytest.mark.parametrize("model", ["svm", "logreg"])
def test_pool_with_per_speaker_standardisation(model):
    from _classifier_data import make_table

    table = make_table()  # two rows per "trial": the trial is the utterance here
    res = evaluate(table, target="emotion", groups="speaker", model=model, pool="trial",
                   standardize="group")
    assert len(res.predictions) == table.index["trial"].nunique()
    assert res.uar > 0.5
