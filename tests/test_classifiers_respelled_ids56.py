"""Speaker ids of one table read as integers, of the other as zero-padded text (session 56,
helper E, leftover 2 of session 55).

A model that stores its training speakers' statistics (``GroupStandardScaler(seen_groups=
"fit")``) matches a new table's ids to them as text. A training table that went through a CSV
has RAVDESS actor ``01`` as the integer ``1`` (stored as ``'1'``), while a table extracted
afresh has ``'01'``: no id matched, and ``predict`` standardised every row with its own rows'
statistics, as new speakers, without a word (RAVDESS actors 01-03, ``mfcc``, svm, trained on
repetition 01 with integer ids, predicting repetition 02: 7 of the 90 predictions differ from
those of the same rows with the ids written as training wrote them). ``predict`` now warns,
naming each such id with the training id of the same number, unless ``new_groups=True`` says
they are new speakers.

Reference: the definition of the matching (ids as text) and RAVDESS's file names, which make
``'01'`` and ``1`` actor 01: the rows of a warned id are standardised as new speakers, so
their predictions equal those of ``new_groups=True`` (every one, exactly).
"""

from __future__ import annotations

import warnings

import numpy as np
import pytest
from conftest import shared_path
from emofeat.classifiers import PredictionWarning, make_classifier, train

WORDS = "written otherwise"


@pytest.fixture(scope="module")
def ravdess_three_actors():
    """``mfcc`` of the 180 files of RAVDESS actors 01-03: (training rows of repetition 01
    with integer ids, as a CSV reads them back; rows of repetition 02 with the text ids)."""
    import emofeat
    from emofeat.datasets import load_ravdess

    manifest = load_ravdess(shared_path("speech", "ravdess"))
    manifest = manifest[manifest.speaker.astype(str).isin(["01", "02", "03"])]
    table = emofeat.extract(manifest.reset_index(drop=True), "mfcc", n_jobs=1)
    rep = table.index["repetition"].astype(str).to_numpy()
    train_t, test_t = table.select(rows=rep == "01"), table.select(rows=rep == "02")
    train_t.index["speaker"] = train_t.index["speaker"].astype(int)
    assert len(train_t) == len(test_t) == 90
    return train_t, test_t


def _predict(model, table, **kw):
    with warnings.catch_warnings(record=True) as got:
        warnings.simplefilter("always")
        out = model.predict(table, **kw)
    return out, [str(w.message) for w in got
                 if issubclass(w.category, PredictionWarning) and WORDS in str(w.message)]


@pytest.fixture(scope="module")
def fitted(ravdess_three_actors):
    """An svm of per-speaker standardisation storing its training speakers' statistics,
    trained on the integer ids; the table of text ids to predict."""
    train_t, test_t = ravdess_three_actors
    model = make_classifier("svm", standardize="group").set_params(
        group_std__seen_groups="fit")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # train's own warning of seen_groups='fit'
        fit = train(train_t, "emotion", groups="speaker", model=model)
    return fit, test_t


def test_text_ids_of_training_integers_are_named(fitted):
    fit, test_t = fitted
    pred, said = _predict(fit, test_t)
    assert len(said) == 1, said
    for k in ("01", "02", "03"):
        assert f"'{k}' (30 rows) is training's '{int(k)}'" in said[0]
    # what the warning says: these rows were standardised as new speakers (exactly)
    new, said_new = _predict(fit, test_t, new_groups=True)
    assert said_new == []
    np.testing.assert_array_equal(np.asarray(pred["pred"]), np.asarray(new["pred"]))
    # a list naming them new silences it for those ids only
    _, said_some = _predict(fit, test_t, new_groups=["01", "02"])
    assert len(said_some) == 1 and "'03'" in said_some[0] and "'01'" not in said_some[0]

    # written as training wrote them, they take the stored statistics: no such warning, and
    # the predictions are not those of new speakers (else the warning would not matter)
    same = test_t.select(rows=np.ones(len(test_t), dtype=bool))
    same.index["speaker"] = same.index["speaker"].astype(int)
    stored, said_same = _predict(fit, same, new_groups=False)
    assert said_same == []
    assert (np.asarray(stored["pred"]) != np.asarray(pred["pred"])).any()


def test_respelled_groups_pairs_only_one_number():
    from emofeat.classifiers.compatibility import respelled_groups

    stored = frozenset({"1", "3", "03", "12", "S05"})
    got = respelled_groups({"01", "3.0", "012", "5", "S05", "12 ", "x"}, stored)
    # '3.0' is 3, written as both '3' and '03' in training: no single id, left out
    assert got == {"01": "1", "012": "12", "12 ": "12"}


def test_ids_named_new_by_a_generator_are_not_warned_of(fitted):
    # a generator is read once (helper E2, mend of f59c299): _new_groups used it up and the
    # warning then named the very ids the user had named new ('01', '02', '03')
    fit, test_t = fitted
    listed, said_list = _predict(fit, test_t, new_groups=["01", "02", "03"])
    gen, said_gen = _predict(fit, test_t, new_groups=(k for k in ["01", "02", "03"]))
    assert said_list == [] and said_gen == [], said_gen
    # and the generator's ids are standardised as new, as the list's (exactly)
    np.testing.assert_array_equal(np.asarray(gen["pred"]), np.asarray(listed["pred"]))
    _, said_part = _predict(fit, test_t, new_groups=iter(["01"]))
    assert len(said_part) == 1 and "'01'" not in said_part[0] and "'02'" in said_part[0]


def test_long_numeric_ids_are_read_as_whole_numbers_not_floats():
    from emofeat.classifiers.compatibility import id_number, respelled_groups

    # 10000000000000000 and ...001 are one float64 (2**53 < 1e16): two people's ids, no pair
    assert respelled_groups({"10000000000000000"}, frozenset({"10000000000000001"})) == {}
    assert respelled_groups({"010000000000000001"},
                            frozenset({"10000000000000001"})) == {
        "010000000000000001": "10000000000000001"}
    assert id_number("10000000000000001") == 10000000000000001
    # '3.0' is a float column's whole number; exponent, hex and non-ASCII digits are no ids
    # a column of integers is written as
    assert id_number("3.0") == 3 and id_number("-2") == -2
    assert [id_number(v) for v in ("3.5", "1e1", "0x1", "\uff11", "nan", "")] == [None] * 6
