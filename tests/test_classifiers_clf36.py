"""Session 36 classifier leftovers: counts worded through one helper, what ``emofeat info``
says of a model, the per-fold table of report.md, and warning filters on emofeat's
warning classes."""

from __future__ import annotations

from emofeat._wording import counted


# ------------------------------------------------------------------------ wording
def test_counts_are_singular_for_one_in_the_small_groups_warning():
    """The warning on speakers with few rows said '1 speaker value(s) have fewer than...';
    it counts through the helper the evaluation summary uses ('1 fold', '2 folds')."""
    from emofeat.classifiers import compatibility as C
    from emofeat.classifiers import result

    one = C.small_groups_message("speaker", {"03": (1, None)})
    assert one.startswith("1 speaker value has fewer than") and "'03': 1 row)" in one
    two = C.small_groups_message("speaker", {"03": (1, None), "07": (4, 1)})
    assert two.startswith("2 speaker values have fewer than")
    assert "'07': 4 rows of 1 recording" in two
    assert result.counted is counted  # one helper, not a copy
    assert [counted(n, "class", "classes") for n in (0, 1, 2, "?")] == [
        "0 classes", "1 class", "2 classes", "? classes"]


# ---------------------------------------------------------------------- report.md
def test_report_caps_the_per_fold_table_of_many_folds(tmp_path):
    """report.md's per-fold table had a row per fold: leave-one-subject-out on ISEAR's 1096
    respondents made 1096 rows (the per-group table was capped in session 35). Past 60 folds
    it shows the 20 lowest and 20 highest folds by UAR, as the per-group table does, and says
    that per_fold.csv, which keeps every fold, holds them all; up to 60 folds it is whole."""
    import numpy as np
    import pandas as pd
    from conftest import shared_path
    from emofeat.classifiers import evaluate
    from emofeat.classifiers.plots import MAX_BARS

    import emofeat
    from emofeat.datasets import load_isear

    isear = load_isear(shared_path("text", "isear", "isear.csv"))
    subjects = sorted(isear["subject"].unique(), key=str)[:70]
    few = isear[isear["subject"].isin(subjects)].reset_index(drop=True)
    table = emofeat.extract(few, "text_surface", n_jobs=1)
    res = evaluate(table, "emotion", "subject", model="logreg", protocol="loso",
                   label_map=None)
    assert len(res.per_fold) == 70 > MAX_BARS
    md = res.report(tmp_path / "many").read_text()
    section = md.split("## Per fold")[1].split("Predictions:")[0]
    rows = [ln for ln in section.splitlines()
            if ln.startswith("| ") and not ln.startswith("| fold |")]
    shown = [int(ln.split(" | ")[0].removeprefix("| ")) for ln in rows]
    ranked = res.per_fold.set_index("fold")["uar"].sort_values(kind="stable")
    assert shown == [*ranked.index[:20], *ranked.index[::-1][:20]], shown
    assert "70 folds: the 20 lowest and the 20 highest by UAR are shown" in section
    assert "every fold is in `per_fold.csv`" in section
    assert len(pd.read_csv(tmp_path / "many" / "per_fold.csv")) == 70
    # 60 folds or fewer: every one, in fold order
    keep = np.flatnonzero(table.index["subject"].isin(subjects[:MAX_BARS]).to_numpy())
    res = evaluate(table.select(rows=keep), "emotion", "subject", model="logreg",
                   protocol="loso", label_map=None)
    section = res.report(tmp_path / "few").read_text().split("## Per fold")[1]
    section = section.split("Predictions:")[0]
    rows = [ln for ln in section.splitlines()
            if ln.startswith("| ") and not ln.startswith("| fold |")]
    assert [int(ln.split(" | ")[0].removeprefix("| ")) for ln in rows] == list(
        res.per_fold["fold"]) and len(rows) == MAX_BARS
    assert "per_fold.csv" not in section
