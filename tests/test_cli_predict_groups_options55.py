"""``emofeat predict``: ``--new-groups`` does not take the model file as its ids, and
``--same-groups`` says the table's ids are the training speakers (helper C4, session 55,
review RC2 gaps 1 and 2 of 6158441).

``--new-groups m.joblib t.parquet -o p.csv`` took ``m.joblib`` as the ids and argparse said
"the following arguments are required: features"; ``TrainedModel.predict(table,
new_groups=False)`` (the stored statistics, no warning) could not be asked for. Real data:
EmoDB mfcc, the model and table of tests/test_cli_predict_new_groups55.py. Reference: the
Python API's predictions of the same model and table (equal: the same code; scores
compared exactly).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
import test_cli_predict_new_groups55 as _ng

from emofeat.cli import main

_api, _predict = _ng._api, _ng._predict
model_and_table = _ng.model_and_table  # the same fixture (EmoDB mfcc model and table)


def test_new_groups_before_the_files_is_refused_naming_the_file(capsys, model_and_table):
    _, _, folder = model_and_table
    capsys.readouterr()
    with pytest.raises(SystemExit) as exc:
        main(["predict", "--new-groups", str(folder / "m.joblib"), str(folder / "t.parquet"),
              "-o", str(folder / "p.csv")])
    err = capsys.readouterr().err
    assert exc.value.code == 2
    assert "argument --new-groups: took" in err and "m.joblib" in err, err
    assert "write --new-groups=IDS" in err and "required: features" not in err, err
    # a file's name that does not exist yet is refused by its ending too
    with pytest.raises(SystemExit):
        main(["predict", "--new-groups", "other.joblib", str(folder / "m.joblib"),
              str(folder / "t.parquet"), "-o", str(folder / "p.csv")])
    assert "took 'other.joblib' as its ids" in capsys.readouterr().err


def test_unknown_ids_name_the_option(capsys, model_and_table):
    _, _, folder = model_and_table
    code, err, _ = _predict(capsys, folder, "--new-groups=3")
    assert code == 2 and "--new-groups names 1 id" in err, err


def test_same_groups_is_the_api_s_false_without_the_warning(capsys, model_and_table):
    model, test, folder = model_and_table
    code, err, got = _predict(capsys, folder, "--same-groups")
    assert code == 0, err
    assert "seen in training" not in err, err  # answered: no warning
    want = _api(model, test, new_groups=False)
    pd.testing.assert_series_equal(got["pred"], want["pred"], check_names=False)
    scores = [c for c in want.columns if c.startswith(("proba_", "score_"))]
    assert scores
    np.testing.assert_array_equal(got[scores].to_numpy(), want[scores].to_numpy())
    with pytest.raises(SystemExit) as exc:  # one answer or the other
        _predict(capsys, folder, "--same-groups", "--new-groups")
    assert exc.value.code == 2


def test_ids_after_the_files_are_ids_where_a_folder_has_their_name(capsys, monkeypatch,
                                                                   model_and_table):
    """Review RC3 of 4fa6608: with a speaker's folder ``03/`` (and a file ``08``) in the
    working directory, ``--new-groups=03`` after the files was refused as a file."""
    model, test, folder = model_and_table
    work = folder / "cwd"
    (work / "03").mkdir(parents=True, exist_ok=True)
    (work / "08").write_text("")
    monkeypatch.chdir(work)
    for argv in (["--new-groups=03"], ["--new-groups", "03"]):
        code, err, got = _predict(capsys, folder, *argv)
        assert code == 0, (argv, err)
        want = _api(model, test, new_groups=["03"])
        pd.testing.assert_series_equal(got["pred"], want["pred"], check_names=False)
