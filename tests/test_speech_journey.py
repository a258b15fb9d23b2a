"""The speech-emotion journey on the real corpora: loaders -> extract -> evaluate / cross-corpus
-> train -> predict (small manifests: a few dozen files per corpus)."""

from __future__ import annotations

import numpy as np
import pytest
from emofeat.classifiers import evaluate_cross_corpus

import emofeat
from emofeat.datasets import load_emodb, load_ravdess


@pytest.fixture(scope="module")
def rav_manifest(ravdess_dir):
    m = load_ravdess(ravdess_dir)
    m = m[m.speaker.isin(["01", "02", "03"]) & (m.intensity == "normal")]
    return m.groupby(["speaker", "emotion"]).head(2).reset_index(drop=True)


@pytest.fixture(scope="module")
def emo_manifest(emodb_dir):
    m = load_emodb(emodb_dir)
    return m.groupby(["speaker", "emotion"]).head(1).reset_index(drop=True).iloc[:40]


@pytest.fixture(scope="module")
def rav_mfcc(rav_manifest):
    return emofeat.extract(rav_manifest, "mfcc", n_jobs=1, progress=False)


@pytest.fixture(scope="module")
def emo_mfcc(emo_manifest):
    return emofeat.extract(emo_manifest, "mfcc", n_jobs=1, progress=False)


def test_cross_corpus_predictions_name_rows_and_labels_of_the_test_table(rav_mfcc, emo_mfcc):
    """EmoDB's boredom maps to nothing under ekman and its rows are left out: `row` must still
    be the position in the test table as given, and its target column EmoDB's own label (the
    mapped one is `true`), as in evaluate(); `row` was the position among the kept rows and
    the target column held the mapped label."""
    emotions = emo_mfcc.index["emotion"]
    assert (emotions == "boredom").any()
    with pytest.warns(UserWarning, match="'surprise'"):  # RAVDESS only
        res = evaluate_cross_corpus(rav_mfcc, emo_mfcc, "emotion", label_map="ekman",
                                    groups="speaker")
    p = res.predictions
    assert len(p) == int((emotions != "boredom").sum()) == p["row"].nunique()
    np.testing.assert_array_equal(p["emotion"].to_numpy(dtype=object),
                                  emotions.iloc[p["row"]].to_numpy(dtype=object))
    np.testing.assert_array_equal(p["path"].to_numpy(dtype=object),
                                  emo_mfcc.index["path"].iloc[p["row"]].to_numpy(dtype=object))
    emodb_to_ekman = {"happiness": "joy", "anger": "anger", "sadness": "sadness",
                      "fear": "fear", "disgust": "disgust", "neutral": "neutral"}
    assert [emodb_to_ekman[e] for e in p["emotion"]] == list(p["true"])


@pytest.fixture(scope="module")
def odd_wavs(tmp_path_factory, ravdess_files):
    """New recordings as a user has them: a silent file, a 0.2 s clip, a stereo one."""
    import soundfile as sf

    folder = tmp_path_factory.mktemp("new_wavs")
    x, sr = sf.read(ravdess_files[5])
    sf.write(folder / "silent.wav", np.zeros(2 * sr), sr)
    sf.write(folder / "clip.wav", x[sr:sr + sr // 5], sr)
    sf.write(folder / "stereo.wav", np.stack([x, 0.5 * x], axis=1), sr)
    return folder


def _journey_warnings(model, table):
    import warnings

    from emofeat.classifiers.compatibility import PredictionWarning

    with warnings.catch_warnings(record=True) as got:
        warnings.simplefilter("always")
        pred = model.predict(table)
    return pred, [str(w.message) for w in got if issubclass(w.category, PredictionWarning)]


def test_silent_and_too_short_files_are_named_at_prediction(rav_mfcc, emo_mfcc, odd_wavs):
    """A silent file and a 0.2 s clip got a prediction ('fearful', with equal scores) as
    confident-looking as any recording's, without a word: each is named in a
    PredictionWarning; the stereo recording and EmoDB's utterances are not."""
    from emofeat.classifiers import train

    model = train(rav_mfcc, "emotion")
    new = emofeat.extract(sorted(odd_wavs.glob("*.wav")), "mfcc")
    pred, msgs = _journey_warnings(model, new)
    assert len(pred) == 3 and pred["pred"].notna().all()
    short = [m for m in msgs if "shortest training input" in m]
    silent = [m for m in msgs if "constant signal" in m]
    assert len(short) == 1 and "clip.wav, 0.20 s" in short[0]
    assert "silent.wav" not in short[0] and "stereo.wav" not in short[0]
    assert len(silent) == 1 and "silent.wav" in silent[0]
    assert "clip.wav" not in silent[0] and "stereo.wav" not in silent[0]
    _, msgs = _journey_warnings(model, emo_mfcc)
    assert not [m for m in msgs if "shortest training input" in m or "constant signal" in m]


def test_cross_corpus_names_the_labels_one_table_lacks(rav_mfcc, emo_mfcc):
    """RAVDESS -> EmoDB without a label map shared only 'disgust' and 'neutral': the rows of
    every other class (most of both tables) were left out without a word, and with ekman
    RAVDESS's 'surprise' (EmoDB has none) too. Both are named in a warning, and kept in
    settings["unshared_labels"]."""
    with pytest.warns(UserWarning, match="the tables name their classes differently") as got:
        res = evaluate_cross_corpus(rav_mfcc, emo_mfcc, "emotion", label_map=None)
    msg = " ".join(str(w.message) for w in got)
    assert "'happy' (6 rows)" in msg and "'happiness'" in msg and "'boredom'" in msg
    assert res.settings["shared_labels"] == ["disgust", "neutral"]
    assert "happy" in res.settings["unshared_labels"]["train"]
    with pytest.warns(UserWarning, match="labels only one has") as got:
        res = evaluate_cross_corpus(rav_mfcc, emo_mfcc, "emotion", label_map="ekman")
    msg = " ".join(str(w.message) for w in got)
    assert "'surprise' (6 rows)" in msg and "differently" not in msg
    assert res.settings["unshared_labels"] == {"train": ["surprise"], "test": []}
