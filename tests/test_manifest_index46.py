"""A manifest saved with ``to_csv()`` (pandas writes its index unless ``index=False``) after
filtering or sorting the frame: its first, unnamed column holds row numbers that are not
0..n-1. Session 45 dropped only 0..n-1, so a filtered RAVDESS manifest (a common first step:
leave out neutral, keep some actors) carried an ``Unnamed: 0`` identity column into every
output row. A first unnamed column of anything else stays a column."""

from __future__ import annotations

import pytest
from conftest import shared_path

from emofeat import read_table
from emofeat.cli import main
from emofeat.datasets import load_manifest, load_ravdess


@pytest.fixture(scope="module")
def ravdess():
    return load_ravdess(shared_path("speech", "ravdess"))


@pytest.mark.parametrize("how", ["filtered", "sorted", "sampled"])
def test_a_filtered_or_sorted_frames_index_is_no_column(tmp_path, ravdess, how):
    if how == "filtered":
        frame = ravdess[ravdess.emotion != "neutral"].head(6)
    elif how == "sorted":
        frame = ravdess.head(6).sort_values("emotion")
    else:
        frame = ravdess.sample(6, random_state=1)
    assert list(frame.index) != list(range(6))
    frame.to_csv(tmp_path / "m.csv")
    assert (tmp_path / "m.csv").read_text(encoding="utf-8").startswith(",path,")
    read = load_manifest(tmp_path / "m.csv")
    assert list(read.columns) == list(frame.columns)
    assert list(read["path"].map(lambda p: p.split("/")[-1])) == [
        p.split("/")[-1] for p in frame["path"]]
    if how == "filtered":
        assert main(["extract", "--set", "mfcc", str(tmp_path / "m.csv"), "-o",
                     str(tmp_path / "f.parquet"), "-q"]) == 0
        assert "Unnamed: 0" not in read_table(tmp_path / "f.parquet").index.columns


@pytest.mark.parametrize("cells", [["3", "3", "4"], ["-1", "2", "5"], ["a", "b", "c"],
                                   ["1.5", "2", "3"]],
                         ids=["repeated", "negative", "text", "decimal"])
def test_a_first_unnamed_column_of_other_values_stays(tmp_path, ravdess, cells):
    frame = ravdess.head(3).set_axis(cells)
    frame.to_csv(tmp_path / "m.csv")
    assert "Unnamed: 0" in load_manifest(tmp_path / "m.csv").columns
