"""A text listed more than once in a manifest is one row per listing (a corpus may hold the
same comment twice with different labels: 58 texts of GoEmotions' training split, 30 of
CARER's), numbered by an ``occurrence`` column; resume and relabelling keep working."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from emofeat.cli import main

pytest.importorskip("nltk", reason="text features need NLTK: pip install 'emofeat[text]'")


def _extract(csv, out) -> int:
    return main(["extract", "--set", "lexicon", str(csv), "--input-column", "text", "-o",
                 str(out), "-q"])


def test_repeated_texts_keep_one_row_each_with_their_labels(tmp_path):
    csv, out = tmp_path / "m.csv", tmp_path / "t.parquet"
    csv.write_text("text,emotion\nhello world,joy\nhello world,anger\nfine,joy\n"
                   "hello world,joy\n")
    assert _extract(csv, out) == 0
    df = pd.read_parquet(out)
    assert list(df["emotion"]) == ["joy", "anger", "joy", "joy"]
    assert list(df["occurrence"]) == [0, 1, 0, 2]
    feats = [c for c in df.columns if c.startswith("lexicon_")]
    rows = df.loc[df["text"] == "hello world", feats].to_numpy()
    np.testing.assert_array_equal(rows, rows[[0, 0, 0]])  # features depend on the text only


def test_a_text_repeated_after_a_first_run_is_added_and_labels_follow(tmp_path):
    csv, out = tmp_path / "m.csv", tmp_path / "t.parquet"
    csv.write_text("text,emotion\nhello world,joy\nfine,sad\n")
    assert _extract(csv, out) == 0
    assert "occurrence" not in pd.read_parquet(out).columns  # no repeats, no extra column
    csv.write_text("text,emotion\nhello world,surprise\nfine,sad\nhello world,fear\n")
    assert _extract(csv, out) == 0
    df = pd.read_parquet(out)
    assert list(zip(df["text"], df["emotion"], df["occurrence"], strict=True)) == [
        ("hello world", "surprise", 0), ("fine", "sad", 0), ("hello world", "fear", 1)]
    assert _extract(csv, out) == 0  # a third run finds everything done
    pd.testing.assert_frame_equal(pd.read_parquet(out), df)


def test_a_manifest_column_named_occurrence_is_refused_when_texts_repeat(tmp_path, capsys):
    csv, out = tmp_path / "m.csv", tmp_path / "t.parquet"
    csv.write_text("text,occurrence\nhi,1\nhi,2\n")
    assert _extract(csv, out) == 2
    assert "occurrence" in capsys.readouterr().err
