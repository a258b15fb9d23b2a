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
