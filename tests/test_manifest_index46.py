"""A manifest saved with ``to_csv()`` (pandas writes its index unless ``index=False``) after
filtering or sorting the frame: its first, unnamed column holds row numbers that are not
0..n-1. Session 45 dropped only 0..n-1, so a filtered RAVDESS manifest (a common first step:
leave out neutral, keep some actors) carried an ``Unnamed: 0`` identity column into every
output row without a word. Such a column cannot be told from a user's unnamed ids or trial
numbers (review 1 of b7d8c0e, which dropped those too): it is kept, with a warning saying
both ways out. A first unnamed column of anything else stays a column, without one."""

from __future__ import annotations

import re

import pytest
from conftest import shared_path

from emofeat import read_table
from emofeat.cli import main
from emofeat.datasets import load_manifest, load_ravdess


@pytest.fixture(scope="module")
def ravdess():
    return load_ravdess(shared_path("speech", "ravdess"))


@pytest.mark.parametrize("how", ["filtered", "sorted", "sampled", "ids"])
def test_a_filtered_or_sorted_frames_index_is_kept_with_a_warning(tmp_path, ravdess, how,
                                                                 capsys):
    if how == "filtered":
        frame = ravdess[ravdess.emotion != "neutral"].head(6)
    elif how == "sorted":
        frame = ravdess.head(6).sort_values("emotion")
    elif how == "sampled":
        frame = ravdess.sample(6, random_state=1)
    else:  # a user's trial numbers 1..n, or ids from 1001, left without a name
        frame = ravdess.head(6).set_axis([1001, 1002, 1003, 1004, 1005, 1006])
    assert list(frame.index) != list(range(6))
    frame.to_csv(tmp_path / "m.csv")
    assert (tmp_path / "m.csv").read_text(encoding="utf-8").startswith(",path,")
    with pytest.warns(UserWarning, match=re.escape(
            f"{tmp_path / 'm.csv'}: its first column has no name and holds distinct whole "
            "numbers, kept as the column 'Unnamed: 0' in every row: if it is pandas' index "
            "of a frame filtered or sorted before to_csv, write the manifest with "
            "index=False; if it is a column of ids, give it a name")):
        read = load_manifest(tmp_path / "m.csv")
    assert list(read.columns) == ["Unnamed: 0", *frame.columns]
    assert list(read["Unnamed: 0"]) == list(frame.index)
    if how == "filtered":
        assert main(["extract", "--set", "mfcc", str(tmp_path / "m.csv"), "-o",
                     str(tmp_path / "f.parquet"), "-q"]) == 0
        assert "emofeat extract: warning: " in capsys.readouterr().err
        assert "Unnamed: 0" in read_table(tmp_path / "f.parquet").index.columns


@pytest.mark.parametrize("cells", [["3", "3", "4"], ["-1", "2", "5"], ["a", "b", "c"],
                                   ["1.5", "2", "3"]],
                         ids=["repeated", "negative", "text", "decimal"])
def test_a_first_unnamed_column_of_other_values_stays(tmp_path, ravdess, cells):
    import warnings

    frame = ravdess.head(3).set_axis(cells)
    frame.to_csv(tmp_path / "m.csv")
    with warnings.catch_warnings():
        warnings.filterwarnings("error", message=".*its first column has no name")
        assert "Unnamed: 0" in load_manifest(tmp_path / "m.csv").columns
