"""Readers of GoEmotions and CARER, and the bundled GoEmotions sample."""

from __future__ import annotations

import pytest
from conftest import shared_path

from emofeat.datasets import GOEMOTIONS_SAMPLE_DIR, load_carer, load_goemotions


def test_bundled_sample_loads_with_names():
    names = (GOEMOTIONS_SAMPLE_DIR / "emotions.txt").read_text().split()
    assert len(names) == 28 and names[27] == "neutral"
    for split, n in (("train", 600), ("test", 300)):
        df = load_goemotions(split=split)
        assert len(df) == n
        assert df.text.map(len).min() > 0
        # every label tuple is the ids of its row, mapped through emotions.txt
        for labels, ids in zip(df.labels, df.label_ids, strict=True):
            assert labels == tuple(names[int(k)] for k in ids.split(","))


def test_bundled_sample_rows_are_unchanged_lines_of_the_release():
    root = shared_path("text", "goemotions")
    for split in ("train", "test"):
        release = set((root / f"{split}.tsv").read_text(encoding="utf-8").splitlines())
        sample = (GOEMOTIONS_SAMPLE_DIR / f"{split}.tsv").read_text(encoding="utf-8").splitlines()
        assert set(sample) <= release
        full = load_goemotions(root, split).set_index("comment_id")
        mine = load_goemotions(split=split).set_index("comment_id")
        assert (full.loc[mine.index, "text"] == mine.text).all()


def test_goemotions_release_sizes():
    root = shared_path("text", "goemotions")
    # the sizes of the official splits (GoEmotions README / the shared data README)
    sizes = {s: len(load_goemotions(root, s)) for s in ("train", "dev", "test")}
    assert sizes == {"train": 43410, "dev": 5426, "test": 5427}


def test_carer_matches_a_plain_parse():
    root = shared_path("text", "carer")
    for split, n in (("train", 16000), ("val", 2000), ("test", 2000)):
        df = load_carer(root, split)
        lines = (root / f"{split}.txt").read_text(encoding="utf-8").splitlines()[1:]
        assert len(df) == n == len(lines)
        assert df.text.iloc[0] + ";" + df.emotion.iloc[0] == lines[0]
        assert set(df.emotion) == {"sadness", "joy", "love", "anger", "fear", "surprise"}


def test_bad_arguments_name_the_problem(tmp_path):
    with pytest.raises(ValueError, match="split"):
        load_goemotions(split="validation")
    with pytest.raises(FileNotFoundError, match="GoEmotions"):
        load_goemotions(tmp_path / "nope")
    with pytest.raises(FileNotFoundError, match="CARER"):
        load_carer(tmp_path)
    (tmp_path / "emotions.txt").write_text("a\nb\n")
    (tmp_path / "train.tsv").write_text("hello\t5\tx1\n")
    with pytest.raises(ValueError, match="line 1"):
        load_goemotions(tmp_path)
    (tmp_path / "train.txt").write_text("text;label_name\nno separator here\n")
    with pytest.raises(ValueError, match="line 2"):
        load_carer(tmp_path)


@pytest.mark.parametrize("ids", ["-1", "0,-2", "2", "1,2", "x", "", "1,"])
def test_label_ids_outside_the_names_are_refused(tmp_path, ids):
    """Every id must index emotions.txt: a negative id was once read as a Python negative index
    (-1 -> the last name, "neutral" in the release)."""
    (tmp_path / "emotions.txt").write_text("admiration\nneutral\n")
    (tmp_path / "train.tsv").write_text(f"fine\t1\tc0\nwhat a day\t{ids}\tc1\n")
    with pytest.raises(ValueError, match=rf"train.tsv: line 2: label ids '{ids}' are not "
                                         r"indices into the 2 names of emotions.txt"):
        load_goemotions(tmp_path)
    (tmp_path / "train.tsv").write_text("fine\t1\tc0\nwhat a day\t0,1\tc1\n")
    assert load_goemotions(tmp_path).labels.tolist() == [("neutral",), ("admiration", "neutral")]
