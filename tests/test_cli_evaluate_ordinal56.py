"""``emofeat evaluate --no-ordinal`` / ``--ordinal``: ``evaluate(ordinal=)`` on the command line.

``evaluate`` scores off-by-one accuracy (the share of predictions within one step of the
truth) where class labels are whole numbers more than one step apart; integer codes of
nominal classes (ISEAR's ``EMOT``: 1 joy ... 7 guilt) get it too, a figure of no meaning.
Session 56 gave ``evaluate`` ``ordinal=False`` to leave it out (abd5304), but the command had
no option for it (review RC of session 56). Real data: ``text_surface`` of the ISEAR texts of
12 respondents, the target ISEAR's own integer code. Off-by-one checked against its
definition, mean(|pred - true| <= 1), from the predictions evaluate() gives for the same
settings (exact: a share of counts; the folds and model are seeded).
"""

from __future__ import annotations

import numpy as np
import pytest
from conftest import shared_path

from emofeat.cli import EXIT_OK, EXIT_USAGE, main


@pytest.fixture(scope="module")
def isear_coded(tmp_path_factory):
    import emofeat
    from emofeat.datasets import load_isear

    path = shared_path("text", "isear", "isear.csv")
    isear = load_isear(path)
    subjects = sorted(isear["subject"].unique(), key=str)[:12]
    few = isear[isear["subject"].isin(subjects)].reset_index(drop=True)
    # the codes ISEAR's own column gives these names (1 joy ... 7 guilt)
    codes = {"joy": 1, "fear": 2, "anger": 3, "sadness": 4, "disgust": 5, "shame": 6,
             "guilt": 7}
    few["code"] = few["emotion"].map(codes).astype(int)
    table = emofeat.extract(few, "text_surface", n_jobs=1)
    out = tmp_path_factory.mktemp("isear") / "t.parquet"
    table.to_parquet(out)
    return table, str(out)


ARGS = ["--target", "code", "--groups", "subject", "--model", "logreg", "--protocol",
        "group_kfold", "--folds", "3", "-q"]


def test_no_ordinal_leaves_off_by_one_out(isear_coded, capsys):
    from emofeat.classifiers import evaluate

    table, path = isear_coded
    res = evaluate(table, "code", groups="subject", model="logreg", protocol="group_kfold",
                   n_splits=3, random_state=0)
    t = res.predictions["true"].astype(int).to_numpy()
    p = res.predictions["pred"].astype(int).to_numpy()
    capsys.readouterr()
    assert main(["evaluate", path, *ARGS]) == EXIT_OK
    default = capsys.readouterr().out
    assert "off-by-one" in default and f"{np.mean(np.abs(p - t) <= 1):.3f}" in default, default
    assert main(["evaluate", path, *ARGS, "--no-ordinal"]) == EXIT_OK
    codes = capsys.readouterr().out
    assert "off-by-one" not in codes, codes
    assert f"UAR {res.uar:.3f}" in codes, codes  # the other figures as before
    assert main(["evaluate", path, *ARGS, "--ordinal"]) == EXIT_OK
    assert capsys.readouterr().out == default


def test_ordinal_refused_for_names(isear_coded, capsys):
    _, path = isear_coded
    args = [a if a != "code" else "emotion" for a in ARGS]
    capsys.readouterr()
    assert main(["evaluate", path, *args, "--ordinal"]) == EXIT_USAGE
    assert "whole numbers more than one step apart" in capsys.readouterr().err
