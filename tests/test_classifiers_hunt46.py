"""What the classifiers hunt of session 46 found, on the real EmoDB corpus (10 speakers).

* An integer target of more than 10 values (a 0-100 arousal rating) was read as classes
  without a word, where the same values with one missing cell (a float column) are a
  regression: 18 classes, UAR 0.12, against CCC 0.54. Now a warning says so and names
  ``task='regression'``.
* A recording listed under two speaker ids (speaker 03 appended again as '03b') was trained
  on while its copy was tested: both scored UAR 1.0, pooled UAR 0.71 against 0.65, without a
  word. Now a LeakageWarning names it.
* A class only one speaker has is tested, under ``loso``, by a fold whose training rows
  lack it: its recall is 0 by construction. Now a warning names the class and the speaker.
"""

from __future__ import annotations

import re
import warnings

import numpy as np
import pytest
from emofeat.classifiers import LeakageWarning, evaluate

import emofeat


@pytest.fixture(scope="module")
def emodb(emodb_mfcc):
    return emodb_mfcc


def _arousal(table) -> np.ndarray:
    """A 0-100 arousal rating by emotion, in steps of 5 (every value on several rows)."""
    base = {"anger": 85, "disgust": 60, "fear": 75, "sadness": 25, "boredom": 20,
            "neutral": 35, "happiness": 80}
    rng = np.random.default_rng(0)
    emotion = np.asarray(table.index["emotion"], dtype=object)
    raw = np.array([base[e] for e in emotion]) + rng.integers(-10, 11, len(emotion))
    return (np.round(raw / 5) * 5).astype(np.int64)


def test_an_integer_rating_of_many_values_read_as_classes_says_so(emodb):
    t = emodb.select(rows=slice(None))
    t.index["arousal"] = _arousal(emodb)
    n = t.index["arousal"].nunique()
    assert n > 10
    with pytest.warns(UserWarning, match=re.escape(
            f"column 'arousal' holds {n} distinct whole numbers ({t.index['arousal'].min()} "
            f"to {t.index['arousal'].max()}), read as {n} classes; pass task='regression' if "
            "they are ratings or scores")):
        res = evaluate(t, "arousal", "speaker", "logreg")
    assert res.task == "classification" and len(res.labels) == n
    with warnings.catch_warnings():  # asked for: no warning
        warnings.filterwarnings("error", message="column 'arousal' holds")
        assert evaluate(t, "arousal", "speaker", "ridge", task="regression").task == \
            "regression"
        evaluate(t, "arousal", "speaker", "logreg", task="classification")
        # ten values or fewer are classes, as a float column of them is
        t.index["arousal"] = np.minimum(t.index["arousal"] // 10, 9)
        assert evaluate(t, "arousal", "speaker", "logreg").task == "classification"


def test_a_recording_under_two_speaker_ids_is_a_leakage_warning(emodb):
    speaker = np.asarray(emodb.index["speaker"], dtype=object)
    copy = emodb.select(rows=speaker == "03")
    copy.index["speaker"] = "03b"
    both = emofeat.FeatureTable.concat([emodb, copy])
    first = copy.index["path"].iloc[0]
    with pytest.warns(LeakageWarning, match=re.escape(
            f"{len(copy.index)} recordings are listed under two speaker ids or more with the "
            f"same features (e.g. "
            f"{first} as '03' and '03b'): loso can train on one copy while it tests the "
            "other")):
        evaluate(both, "emotion", "speaker", "logreg")
    with warnings.catch_warnings():
        warnings.simplefilter("error", LeakageWarning)
        evaluate(emodb, "emotion", "speaker", "logreg")  # each recording one speaker


def test_a_class_of_one_speaker_tested_without_training_rows_is_named(emodb):
    speaker = np.asarray(emodb.index["speaker"], dtype=object)
    emotion = np.asarray(emodb.index["emotion"], dtype=object)
    t = emodb.select(rows=(emotion != "disgust") | (speaker == "11"))
    with pytest.warns(UserWarning, match=re.escape(
            "1 class ('disgust') is tested in folds whose training rows lack it: e.g. "
            "'disgust' where speaker 11 is held out, the only one with it; recall there is 0 "
            "by construction")):
        res = evaluate(t, "emotion", "speaker", "logreg")
    assert res.per_class.set_index("label").loc["disgust", "recall"] == 0
    with warnings.catch_warnings():
        warnings.filterwarnings("error", message=".*tested in folds whose training rows")
        evaluate(emodb, "emotion", "speaker", "logreg")  # every class in every fold's training


def test_a_summary_without_groups_says_what_the_folds_split():
    # "trialwise by -": the held-out units were not said (hunt of session 46, nit)
    from _classifier_data import make_table

    res = evaluate(make_table(), "emotion", None, "logreg", protocol="trialwise",
                   trials="trial", n_splits=3)
    assert "| trialwise by trials (trial) (3 folds" in res.summary()
    assert " by -" not in res.summary()
