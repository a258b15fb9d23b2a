"""GroupRows whose further rows' groups and the rows' ids differ in type.

Review RA of session 52 (after 495bd99): ``GroupStandardScaler.transform(X,
groups=GroupRows(ids, X_more, groups_more))`` with integer ids (speaker 3, as an integer
column holds it) and text groups ("3", as a CSV or evaluate gives them) compared 3 with "3"
as unequal, so the further rows joined no group's statistics, without a word. Now both are
compared as text, as evaluate and split() compare ids; where then none matches (3 and "03",
EmoDB's speaker as pandas reads it from a CSV and as emofeat's tables hold it), a
ValueError. Reference: scikit-learn's StandardScaler fitted on all of a speaker's
rows (the rows and the further rows), on EmoDB mfcc functionals (rtol 1e-12).
"""

from __future__ import annotations

import numpy as np
import pytest
from conftest import shared_path
from emofeat.classifiers.standardize import GroupRows, GroupStandardScaler
from sklearn.preprocessing import StandardScaler


@pytest.fixture(scope="module")
def emodb_part():
    """``mfcc`` functionals of 4 files of each emotion of EmoDB speakers 03 and 08."""
    import emofeat
    from emofeat.datasets import load_emodb

    man = load_emodb(shared_path("speech", "emodb"))
    man = man[man.speaker.isin(["03", "08"])].groupby(["speaker", "emotion"]).head(4)
    return emofeat.extract(man, "mfcc")


def _split(table):
    X = np.asarray(table.X, dtype=np.float64)
    sp = table.index["speaker"].astype(str).to_numpy()
    more = table.index["emotion"].astype(str).to_numpy() == "boredom"
    return X, sp, more


def test_int_ids_take_text_groups_further_rows(emodb_part):
    X, sp, more = _split(emodb_part)
    assert more.sum() == 8
    scaler = GroupStandardScaler().fit(X[~more], groups=sp[~more])
    ids = sp[~more].astype(int)  # 3 and 8, as an integer column holds them
    text = sp[more].astype(int).astype(str)  # "3" and "8"
    got = scaler.transform(X[~more], groups=GroupRows(ids, X[more], text))
    ref = np.empty_like(got)
    for s in np.unique(sp):
        mine = sp[~more] == s
        ref[mine] = StandardScaler().fit(X[sp == s]).transform(X[~more][mine])
    # constant columns: none here (mfcc functionals of whole files)
    np.testing.assert_allclose(got, ref, rtol=1e-12, atol=1e-12)
    # and as text ids give it
    np.testing.assert_array_equal(
        got, scaler.transform(X[~more], groups=GroupRows(ids.astype(str), X[more], text)))


def test_further_rows_that_join_no_group_are_refused(emodb_part):
    X, sp, more = _split(emodb_part)
    scaler = GroupStandardScaler().fit(X[~more], groups=sp[~more])
    ids = sp[~more].astype(int)  # 3 and 8: "03" and "08" as text neither
    with pytest.raises(ValueError, match="further rows' groups '03', '08'"):
        scaler.transform(X[~more], groups=GroupRows(ids, X[more], sp[more]))


def test_further_rows_that_some_groups_miss_are_refused():
    """Review R2: with EmoDB's speakers 03 and 10, integer ids (3, 10) and emofeat's text
    groups ("03", "10"): "10" matched as text and "03" did not, so speaker 03's further rows
    were left out without a word (the refusal above needs every group to miss)."""
    import emofeat
    from emofeat.datasets import load_emodb

    man = load_emodb(shared_path("speech", "emodb"))
    man = man[man.speaker.isin(["03", "10"])].groupby(["speaker", "emotion"]).head(3)
    X, sp, more = _split(emofeat.extract(man, "mfcc"))
    assert set(sp[more]) == {"03", "10"}
    scaler = GroupStandardScaler().fit(X[~more], groups=sp[~more])
    with pytest.raises(ValueError, match="'03'"):
        scaler.transform(X[~more], groups=GroupRows(sp[~more].astype(int), X[more], sp[more]))
