"""``emofeat info`` counts a text table's inputs as it counts files (leftover of session 52).

``info`` printed ``inputs: N`` (files with rows) for audio and EEG tables and nothing for text
tables, whose rows have no ``path``: the summary of a CARER run lacked the line. Now a text
table's inputs are its texts, a repeated text counted again (its rows told apart by their
``occurrence``), at the functionals level (a row each) and the frame level (a row per token);
a text manifest's ``path`` column (where each text came from) is a label, not the input.
"""

from __future__ import annotations

import json

import pandas as pd
import pytest
from _text_data import carer_texts, goemotions_texts
from conftest import shared_path

from emofeat.cli import main


def _inputs_line(capsys, out) -> list[str]:
    capsys.readouterr()
    assert main(["info", str(out)]) == 0
    return [line for line in capsys.readouterr().out.splitlines()
            if line.startswith("inputs:")]


@pytest.mark.parametrize("level", ["functionals", "lld"])
def test_text_table_says_its_inputs(tmp_path, capsys, level):
    texts = carer_texts(shared_path("text"), "test")[:30]
    # 31 rows: the first text listed again, with another label (an input of its own)
    # a 'path' label (the file each text came from) is no input of a text table
    frame = pd.DataFrame({"text": texts + texts[:1], "path": "carer/test.txt",
                          "emotion": ["a"] * 30 + ["b"]})
    manifest = tmp_path / "carer.csv"
    frame.to_csv(manifest, index=False)
    out = tmp_path / "t.parquet"
    assert main(["extract", "-q", "--set", "text_surface", "--level", level, str(manifest),
                 "-o", str(out)]) == 0
    # every CARER text has words, so each of the 31 manifest rows has rows in the table
    assert _inputs_line(capsys, out) == [f"inputs: {len(frame)}"]  # before: no line


def test_label_lists_of_a_json_lines_manifest(tmp_path, capsys):
    """GoEmotions rows with their label ids as JSON lists (HuggingFace's to_json): the
    count takes them (a list is no hashable value)."""
    root = shared_path("text")
    texts = goemotions_texts(root, "test")[:12]
    with open(root / "goemotions" / "test.tsv", encoding="utf-8") as fh:
        ids = [[int(i) for i in line.rstrip("\r\n").split("\t")[1].split(",")]
               for line, _ in zip(fh, range(12), strict=False)]
    manifest = tmp_path / "go.jsonl"
    manifest.write_text("".join(json.dumps({"text": t, "labels": i}) + "\n"
                                for t, i in zip(texts, ids, strict=True)), encoding="utf-8")
    out = tmp_path / "g.parquet"
    assert main(["extract", "-q", "--set", "text_surface", "--level", "lld", str(manifest),
                 "-o", str(out)]) == 0
    assert _inputs_line(capsys, out) == ["inputs: 12"]


def test_audio_table_keeps_its_line(tmp_path, capsys, emodb_dir):
    paths = sorted(emodb_dir.glob("03a01*.flac"))[:3]
    out = tmp_path / "a.parquet"
    assert main(["extract", "-q", "--set", "mfcc", *map(str, paths), "-o", str(out)]) == 0
    assert _inputs_line(capsys, out) == [f"inputs: {len(paths)}"]
