"""Classifiers on real data: the bundled RAVDESS sample, and the shared corpora's label sets.

Tests that need ../shared/data skip with the reason when it is absent.
"""

from __future__ import annotations

import numpy as np
import pytest
from conftest import shared_path
from emofeat.classifiers import evaluate, get_label_map, map_labels
from emofeat.classifiers.label_maps import detect_corpus

import emofeat


@pytest.fixture(scope="module")
def sample_mfcc(sample):
    return emofeat.extract(sample, "mfcc")


def test_sample_speaker_independent_above_chance(sample_mfcc, tmp_path):
    plain = evaluate(sample_mfcc, "emotion", "speaker", "svm", "loso")
    std = evaluate(sample_mfcc, "emotion", "speaker", "svm", "loso", standardize="group")
    chance = 1 / 8
    assert plain.uar > 2 * chance and std.uar > 2 * chance
    assert len(plain.per_group) == 4
    ekman = evaluate(sample_mfcc, "emotion", "speaker", "logreg", "loso", label_map="ekman")
    assert "calm" not in ekman.labels and len(ekman.labels) == 7
    assert ekman.settings["dropped_rows"] == 32  # the calm files
    path = ekman.report(tmp_path)
    assert "joy" in path.read_text()


def test_ravdess_labels_are_covered(ravdess_dir):
    from emofeat.datasets import load_ravdess

    emo = load_ravdess(ravdess_dir)["emotion"]
    assert detect_corpus(emo.unique()) == "ravdess"
    assert map_labels(emo, "ekman").isna().sum() == (emo == "calm").sum() == 192
    assert set(map_labels(emo, "arousal").dropna()) == {"high", "low"}


def test_emodb_labels_are_covered(emodb_dir):
    from emofeat.datasets import load_emodb

    emo = load_emodb(emodb_dir)["emotion"]
    assert detect_corpus(emo.unique()) == "emodb"
    four = map_labels(emo, "4class").value_counts().to_dict()
    assert four == {"angry": 127, "happy": 71, "neutral": 79, "sad": 62}


def test_carer_and_isear_labels_are_covered():
    carer = shared_path("text", "carer", "train.txt").read_text().splitlines()[1:]
    labels = {line.rsplit(";", 1)[1] for line in carer if ";" in line}
    # CARER's labels are canonical names already, so detection needs no corpus mapping
    assert detect_corpus(labels) in ("canonical", "carer")
    assert list(map_labels(sorted(labels), "ekman")) == list(
        map_labels(sorted(labels), "ekman", corpus="carer"))
    assert set(map_labels(sorted(labels), "valence", corpus="carer")) == {
        "positive", "negative", None}  # surprise has no valence
    isear = shared_path("text", "isear", "isear.csv").read_text(errors="replace").splitlines()
    header = isear[0].split("|")
    col = header.index("Field1")
    labels = {line.split("|")[col] for line in isear[1:] if line.count("|") > col}
    assert labels <= set(get_label_map("valence", "isear"))
    mapped = map_labels(sorted(labels), "valence", corpus="isear")
    assert set(mapped) == {"positive", "negative"}


def test_goemotions_fine_labels_are_covered():
    names = shared_path("text", "goemotions", "emotions.txt").read_text().split()
    mapped = map_labels(names, "ekman", corpus="goemotions")
    assert len(names) == 28 and mapped.notna().all()
    assert np.array_equal(np.sort(mapped.unique()),
                          ["anger", "disgust", "fear", "joy", "neutral", "sadness", "surprise"])
