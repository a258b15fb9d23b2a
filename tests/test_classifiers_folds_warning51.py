"""``subject_dependent`` warns where a subject has fewer rows (trials) than ``n_splits``: its
folds are then leave-one-out, one per row (trial), which was documented but said nowhere at
run time.

Session 51, helper D (a session 50 leftover), on the real Muse recordings (4 subjects x 6
recordings, 4 s windows every 2 s, ``eeg_bands``): ``emofeat evaluate --protocol
subject_dependent --trials path --folds 10`` ran 6 folds per subject, leave one recording
out, without a word. The reference for the folds is scikit-learn's ``LeaveOneGroupOut`` over
each subject's recordings: the same number of folds per subject (24 in all), exactly.
"""

from __future__ import annotations

import json

import pytest
from conftest import shared_path

from emofeat.cli import EXIT_OK, main


@pytest.fixture(scope="module")
def muse(tmp_path_factory):
    from emofeat.datasets.eeg_corpora import load_muse_mental_state

    folder = tmp_path_factory.mktemp("muse51")
    manifest = load_muse_mental_state(shared_path("eeg", "muse_mental_state"))
    manifest.to_csv(folder / "muse.csv", index=False)
    out = folder / "muse.parquet"
    assert main(["extract", str(folder / "muse.csv"), "--set", "eeg_bands", "--segment",
                 "4s", "--hop", "2s", "-q", "-o", str(out)]) == EXIT_OK
    return out, manifest


def _run(muse, tmp_path, capsys, folds):
    out, _ = muse
    capsys.readouterr()
    report = tmp_path / f"rep{folds}"
    assert main(["evaluate", str(out), "--target", "state", "--groups", "subject", "-q",
                 "--protocol", "subject_dependent", "--trials", "path", "--folds", str(folds),
                 "--report", str(report)]) == EXIT_OK
    return capsys.readouterr().err, json.loads((report / "result.json").read_text())


def test_fewer_trials_than_folds_is_said(muse, tmp_path, capsys):
    from sklearn.model_selection import LeaveOneGroupOut

    _, manifest = muse
    err, result = _run(muse, tmp_path, capsys, 10)
    assert "subject_dependent with --folds 10: 4 subjects have fewer trials than folds" in err
    assert "'a': 6" in err and "leave one trial out" in err and "--folds 6" in err
    reference = sum(LeaveOneGroupOut().get_n_splits(groups=rows["path"])
                    for _, rows in manifest.groupby("subject"))
    assert result["settings"]["n_folds"] == len(result["per_fold"]) == reference == 24


def test_as_many_trials_as_folds_is_not_warned(muse, tmp_path, capsys):
    err, result = _run(muse, tmp_path, capsys, 6)
    assert "fewer trials than folds" not in err
    assert result["settings"]["n_folds"] == 24


def test_the_warning_states_the_training_share_of_the_folds_made(muse, tmp_path, capsys):
    # review of 5402f50: the warning said leave one trial out trains "on more of the
    # subject's data" than 10-fold; it trains on less, (n-1)/n of n trials against (k-1)/k.
    # Reference: the trials each fold's model is trained on, counted from the folds made
    # (sklearn's LeaveOneGroupOut over a subject's recordings), against 10-fold's 9/10.
    import re

    from sklearn.model_selection import LeaveOneGroupOut

    _, manifest = muse
    err, _ = _run(muse, tmp_path, capsys, 10)
    assert "more of the subject's data" not in err
    rows = manifest[manifest["subject"] == manifest["subject"].iloc[0]]
    shares = {len(set(rows["path"].iloc[train])) / rows["path"].nunique()
              for train, _ in LeaveOneGroupOut().split(rows, groups=rows["path"])}
    assert shares == {5 / 6}
    said = re.search(r"trained on (\d+) of its (\d+) trials \((\d+) %\) where 10-fold trains "
                     r"on (\d+) %", " ".join(err.split()))
    assert said, err
    assert int(said[1]) / int(said[2]) == 5 / 6
    assert int(said[3]) == round(100 * 5 / 6) < int(said[4]) == round(100 * 9 / 10)
