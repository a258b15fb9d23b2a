"""A JSON-lines record without the text key is a failure naming its line (session 45).

A record whose text sat under a misspelled key (``"Text"``, ``"txt"``) was read as a missing
text, the empty one, and scored as such (all-zero lexicon features) with exit 0, its text
carried along as a label column; two such records were one input ("1 repeated"), the second
in no errors table. A missing text is still written ``null`` (the empty text, documented).
"""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
from conftest import shared_path

from emofeat import read_table
from emofeat.cli import EXIT_SOME_FAILED, main


def _texts(n: int) -> list[str]:
    path = shared_path("text", "goemotions", "dev.tsv")
    df = pd.read_csv(path, sep="\t", header=None, names=["text", "labels", "id"],
                     quoting=3, dtype=str, nrows=n)
    return df["text"].tolist()


def _extract(capsys, jl, out):
    code = main(["extract", "--set", "lexicon", str(jl), "-o", str(out), "-q"])
    return code, capsys.readouterr().err


def test_records_without_the_text_key_fail_by_line(tmp_path, capsys):
    texts = _texts(6)
    records = [{"text": t, "id": i} for i, t in enumerate(texts)]
    records[2] = {"Text": texts[2], "id": 2}  # misspelled
    records[4] = {"txt": texts[4], "id": 4}
    records[5] = {"text": None, "id": 5}  # a missing text, as documented: the empty one
    jl = tmp_path / "go.jsonl"
    jl.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    code, err = _extract(capsys, jl, tmp_path / "out.parquet")
    assert code == EXIT_SOME_FAILED, err
    errors = pd.read_csv(tmp_path / "out.errors.csv")
    assert errors.path.tolist() == [f"{jl}:3", f"{jl}:5"]
    assert errors.message.tolist() == [
        "the record has no 'text' key (its keys: 'Text', 'id'); a text that is missing is "
        'written "text": null',
        "the record has no 'text' key (its keys: 'txt', 'id'); a text that is missing is "
        'written "text": null']
    table = read_table(tmp_path / "out.parquet")
    assert table.index["text"].tolist() == [texts[0], texts[1], texts[3], ""]
    # the texts that were read are scored as in a clean file of them alone
    clean = tmp_path / "clean.jsonl"
    clean.write_text("".join(json.dumps({"text": texts[i], "id": i}) + "\n"
                             for i in (0, 1, 3)), encoding="utf-8")
    code, err = _extract(capsys, clean, tmp_path / "clean.parquet")
    assert code == 0, err
    np.testing.assert_array_equal(table.X[:3], read_table(tmp_path / "clean.parquet").X)


def test_a_file_without_the_key_anywhere_is_a_usage_error(tmp_path, capsys):
    jl = tmp_path / "none.jsonl"
    jl.write_text("".join(json.dumps({"Text": t}) + "\n" for t in _texts(2)), encoding="utf-8")
    code, err = _extract(capsys, jl, tmp_path / "out.parquet")
    assert code == 2 and "has no 'text' column" in err and "--input-column" in err
