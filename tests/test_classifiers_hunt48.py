"""Session 48 (helper D): classifiers and explanations on real tables."""
import json

import numpy as np
import pytest
from _classifier_data import make_table
from emofeat.classifiers import evaluate
from sklearn.metrics import balanced_accuracy_score

# --- an evaluation without groups holds no group out, anywhere --------------------------------


@pytest.mark.parametrize("pool", [None, "trial"], ids=["rows", "pooled"])
def test_no_groups_means_no_group_in_per_group_or_predictions(tmp_path, pool):
    # per-fold test_groups became missing in session 47, while per_group kept a row for the
    # placeholder group 'all' (the pooled figures again, as if a speaker's) and every
    # prediction's group said 'all' (session 47's leftover)
    t = make_table()
    res = evaluate(t, "emotion", None, "logreg", protocol="trialwise", trials="trial",
                   n_splits=3, pool=pool)
    grouped = evaluate(t, "emotion", "speaker", "logreg", protocol="group_kfold", n_splits=3,
                       pool=pool)
    assert len(res.per_group) == 0
    assert list(res.per_group.columns) == list(grouped.per_group.columns)
    assert res.per_group["group"].dtype == grouped.per_group["group"].dtype
    group = res.predictions["group"]
    assert group.isna().all() and len(group) == len(res.predictions)
    assert group.dtype == grouped.predictions["group"].dtype
    assert res.per_fold["test_groups"].isna().all()
    # the figures are still those of the predictions
    p = res.predictions
    assert res.uar == pytest.approx(balanced_accuracy_score(p["true"], p["pred"]), abs=1e-12)
    with pytest.raises(ValueError, match="no groups"):
        res.plot_per_group()
    report = res.report(tmp_path / "rep").read_text()
    assert "No groups: evaluated without a group column" in report
    assert "| all |" not in report
    assert not (tmp_path / "rep" / "per_group.png").exists()
    assert json.loads((tmp_path / "rep" / "result.json").read_text())["per_group"] == []


def test_with_groups_per_group_and_predictions_unchanged():
    t = make_table()
    res = evaluate(t, "emotion", "speaker", "logreg", protocol="trialwise", trials="trial",
                   n_splits=3)
    assert sorted(res.per_group["group"]) == sorted(np.unique(t.index["speaker"].astype(str)))
    assert (res.predictions["group"].to_numpy()
            == t.index["speaker"].astype(str).to_numpy()[res.predictions["row"]]).all()
