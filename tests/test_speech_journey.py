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
