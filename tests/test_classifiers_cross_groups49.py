"""evaluate_cross_corpus with groups=: its one fold's test_groups lists the test table's groups
(session 49), on real RAVDESS and EmoDB tables.

With ``groups=`` the speakers standardise and score the test table per speaker; the fold holds
out the test table, so its held-out groups are the test table's speakers, as every other
protocol's ``test_groups`` lists the groups it held out. Until session 49 the cell said the
literal ``test table`` in ``per_fold``, report.md, per_fold.csv and result.json.
"""

from __future__ import annotations

import csv
import json
import warnings

import numpy as np
import pandas as pd
import pytest
from emofeat.classifiers import evaluate_cross_corpus
from emofeat.classifiers.result import split_group_ids

import emofeat
from emofeat._natural import natural_key
from emofeat.datasets import load_emodb, load_ravdess


@pytest.fixture(scope="module")
def rav_mfcc(ravdess_dir):
    """RAVDESS, 12 actors (more than report.md lists in a cell), one normal-intensity file
    of each of their emotions: 96 files."""
    m = load_ravdess(ravdess_dir)
    actors = sorted(m.speaker.astype(str).unique())[:12]
    m = m[m.speaker.astype(str).isin(actors) & (m.intensity == "normal")]
    m = m.groupby(["speaker", "emotion"]).head(1).reset_index(drop=True)
    return emofeat.extract(m, "mfcc", n_jobs=1, progress=False)


@pytest.fixture(scope="module")
def emo_mfcc(emodb_dir):
    """EmoDB, the first 40 of one file per speaker and emotion (6 speakers)."""
    m = load_emodb(emodb_dir)
    m = m.groupby(["speaker", "emotion"]).head(1).reset_index(drop=True).iloc[:40]
    return emofeat.extract(m, "mfcc", n_jobs=1, progress=False)


def _cross(train, test, **kw):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)  # the labels only one table has
        return evaluate_cross_corpus(train, test, "emotion", "svm", label_map="ekman", **kw)


def _scored_speakers(res) -> list[str]:
    """The test table's speakers among the scored rows (boredom has no ekman class, and
    RAVDESS's surprise none in EmoDB: their rows are left out), in natural order."""
    return sorted(set(res.predictions["group"].astype(str)), key=natural_key)


def test_ravdess_to_emodb_fold_lists_the_test_table_s_speakers(rav_mfcc, emo_mfcc, tmp_path):
    res = _cross(rav_mfcc, emo_mfcc, groups="speaker", standardize="group")
    speakers = _scored_speakers(res)
    # the EmoDB speakers of the scored rows, from the test table itself
    rows = res.predictions["row"].to_numpy()
    assert speakers == sorted(set(emo_mfcc.index["speaker"].astype(str).iloc[rows]),
                              key=natural_key)
    assert speakers == list(res.per_group["group"].astype(str))
    assert len(speakers) == 6
    cell = res.per_fold["test_groups"].iloc[0]
    assert cell == ",".join(speakers), cell  # '03,08,09,10,11,12', not 'test table'
    assert split_group_ids(cell) == speakers
    folder = tmp_path / "report"
    md = res.report(folder).read_text()  # the path of report.md
    fold_lines = [line for line in md.splitlines() if line.startswith("| 0 | ")]
    assert fold_lines and fold_lines[0].startswith(f"| 0 | {cell} | "), fold_lines
    assert "test table" not in md
    with open(folder / "per_fold.csv", newline="") as fh:
        record = next(csv.DictReader(fh))
    assert split_group_ids(record["test_groups"]) == speakers
    saved = json.loads((folder / "result.json").read_text())
    assert saved["per_fold"][0]["test_groups"] == cell
    # the figures are those of the scored rows, as before
    assert res.per_fold["n_test"].iloc[0] == len(res.predictions)


def test_emodb_to_ravdess_past_ten_speakers_report_shortens_the_cell(rav_mfcc, emo_mfcc,
                                                                      tmp_path):
    res = _cross(emo_mfcc, rav_mfcc, groups="speaker")
    speakers = _scored_speakers(res)
    assert len(speakers) == 12
    cell = res.per_fold["test_groups"].iloc[0]
    assert split_group_ids(cell) == speakers  # per_fold keeps every one
    md = res.report(tmp_path / "report").read_text()
    shown = f"12 speakers: {', '.join(speakers[:5])}, ..."
    assert f"| 0 | {shown} | " in md, [line for line in md.splitlines() if "| 0 |" in line]


def test_without_groups_the_fold_still_holds_out_no_group(rav_mfcc, emo_mfcc, tmp_path):
    res = _cross(rav_mfcc, emo_mfcc)
    assert res.per_fold["test_groups"].isna().all()
    # the type of a column of ids as pandas reads them: str (pandas 3), object (pandas 2)
    assert res.per_fold["test_groups"].dtype == pd.Series(["id"]).dtype
    saved = json.loads((res.report(tmp_path / "report").parent / "result.json").read_text())
    assert saved["per_fold"][0]["test_groups"] is None
    # the groups change no figure: they only score (and here do not standardise) per speaker
    with_groups = _cross(rav_mfcc, emo_mfcc, groups="speaker")
    assert with_groups.uar == res.uar
    np.testing.assert_array_equal(with_groups.predictions["pred"], res.predictions["pred"])
