"""evaluate_cross_corpus refuses a target that evaluate reads as a regression or as label sets
(hunt of session 49), on real EmoDB and GoEmotions tables.

It took each distinct value of the target for a class: an arousal rating of 0-1 in steps of
0.1 (a regression for evaluate) ran as 11 classes, UAR 0.24, without a word; GoEmotions' label
sets were one class per combination (refused, if at all, for a combination of one row).
"""

from __future__ import annotations

import warnings

import numpy as np
import pytest
from conftest import shared_path
from emofeat.classifiers import DataError, evaluate, evaluate_cross_corpus

import emofeat
from emofeat.table import FeatureTable

# arousal of EmoDB's emotions on 0-1 (a rating a listener might give), noise, 0.1 steps
_AROUSAL = {"anger": .8, "fear": .7, "happiness": .7, "disgust": .5, "neutral": .3,
            "boredom": .2, "sadness": .15}
_FIRST = ["03", "08", "09", "10", "11"]


def _halves(table, values):
    """The table with a target column ``rating``, split into EmoDB's first five speakers and
    the other five."""
    df = table.to_pandas()
    df["rating"] = values
    first = df["speaker"].astype(str).isin(_FIRST).to_numpy()
    return (FeatureTable.from_pandas(df[first].reset_index(drop=True), table.feature_names),
            FeatureTable.from_pandas(df[~first].reset_index(drop=True), table.feature_names))


def _arousal(table) -> np.ndarray:
    rng = np.random.default_rng(0)
    a = table.index["emotion"].map(_AROUSAL).to_numpy(float) + rng.normal(0, .08, len(table))
    return np.clip(a, 0, 1).round(1)


def test_a_rating_evaluate_reads_as_a_regression_is_refused(emodb_mfcc):
    values = _arousal(emodb_mfcc)
    assert len(np.unique(values)) == 11
    train_t, test_t = _halves(emodb_mfcc, values)
    # evaluate reads the column as a regression
    assert evaluate(train_t, "rating", "speaker", "ridge", protocol="loso").task == "regression"
    for label_map in (None, "ekman"):  # "ekman" is the default
        with pytest.raises(DataError, match=(
                r"the training table's 'rating' holds numbers read as a regression target "
                r"\(11 distinct values, 0 to 1\).*task='regression'.*regression_scores")):
            evaluate_cross_corpus(train_t, test_t, "rating", label_map=label_map)
    # the test table's alone
    with pytest.raises(DataError, match="the test table's 'rating' holds numbers"):
        evaluate_cross_corpus(*_halves(emodb_mfcc, np.where(
            emodb_mfcc.index["speaker"].astype(str).isin(_FIRST), np.round(values * 4),
            values)), "rating", label_map=None)
    # numbers that a map of one's own takes to classes are classes
    res = evaluate_cross_corpus(train_t, test_t, "rating", "logreg",
                                label_map=lambda v: "high" if float(v) >= .5 else "low")
    assert res.labels == ["high", "low"] and res.task == "classification"


def test_whole_number_ratings_stay_classes(emodb_mfcc):
    # 1-5 ratings read as floats (a missing cell): classes for evaluate, and here
    values = np.round(_arousal(emodb_mfcc) * 4) + 1
    values[0] = np.nan
    train_t, test_t = _halves(emodb_mfcc, values)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        res = evaluate_cross_corpus(train_t, test_t, "rating", "logreg", label_map=None)
    assert res.task == "classification" and set(res.labels) <= {1.0, 2.0, 3.0, 4.0, 5.0}


def test_label_sets_are_refused():
    from emofeat.datasets import load_goemotions

    ge = load_goemotions(shared_path("text", "goemotions")).head(600)
    table = emofeat.extract(ge, "lexicon")  # the manifest's other columns kept
    assert isinstance(table.index["labels"].iloc[0], tuple)
    a, b = table.select(rows=np.arange(300)), table.select(rows=np.arange(300, 600))
    for label_map in (None, "ekman"):
        with pytest.raises(DataError, match=(
                r"the training table's 'labels' holds sets of labels \(a multi-label target")):
            evaluate_cross_corpus(a, b, "labels", "logreg", label_map=label_map)


def test_class_codes_of_more_than_ten_classes_pass_with_task_classification(emodb_mfcc):
    """Review 1 of session 49: codes 0-10 stored as floats (a missing cell) read as a
    regression and were refused with no way through but a label map; task='classification'
    takes each value for a class, as evaluate's does, and 'regression' is refused."""
    values = np.round(_arousal(emodb_mfcc) * 10)
    values[0] = np.nan
    train_t, test_t = _halves(emodb_mfcc, values)
    with pytest.raises(DataError, match="or, for class codes, pass task='classification'"):
        evaluate_cross_corpus(train_t, test_t, "rating", "logreg", label_map=None)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        res = evaluate_cross_corpus(train_t, test_t, "rating", "logreg", label_map=None,
                                    task="classification")
    assert res.task == "classification" and len(res.labels) > 5
    with pytest.raises(ValueError, match="task must be 'auto' or 'classification'"):
        evaluate_cross_corpus(train_t, test_t, "rating", label_map=None, task="regression")
