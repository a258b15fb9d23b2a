"""A JSON-lines manifest whose records have a key ``""`` (what pandas' ``to_json(orient=
'records', lines=True)`` writes of a column named ``''``) gave the table an identity column
named ``''`` without a word (CLI leftover of session 53). Decided as a CSV manifest's column
under no header name is (session 53, tests/test_manifest_unnamed53.py): kept under pandas'
name for its place, ``Unnamed: N``, with a warning naming the file and the line; dropped
where no record gives it a value.
"""

from __future__ import annotations

import json
import warnings

import pandas as pd
import pytest

from emofeat.cli import main
from emofeat.datasets import load_manifest


def _manifest(emodb_dir, tmp_path, cells, key=""):
    """Four EmoDB rows of labels.csv as JSON lines, paths absolute, ``key`` after speaker."""
    frame = pd.read_csv(emodb_dir / "labels.csv", dtype=str).head(4)
    frame["path"] = [str(emodb_dir / p) for p in frame["path"]]
    frame = frame[["path", "speaker", "emotion"]]
    frame.insert(2, key, cells)
    out = tmp_path / "m.jsonl"
    frame.to_json(out, orient="records", lines=True)
    return out


def test_values_under_an_empty_key_are_kept_and_said(emodb_dir, tmp_path, capsys):
    notes = ["ok", "noisy", "ok", "clipped"]
    manifest = _manifest(emodb_dir, tmp_path, notes)
    assert '"":"ok"' in manifest.read_text().splitlines()[0]
    with pytest.warns(UserWarning, match=r"m\.jsonl: line 1: the key '' names no column; its "
                      r"values are kept as 'Unnamed: 2' \(after 'speaker', before 'emotion'\)"):
        read = load_manifest(manifest)
    assert list(read.columns) == ["path", "speaker", "Unnamed: 2", "emotion"]
    assert list(read["Unnamed: 2"]) == notes
    out = tmp_path / "f.parquet"
    capsys.readouterr()
    assert main(["extract", "-q", "--set", "mfcc", str(manifest), "-o", str(out)]) == 0
    err = capsys.readouterr().err
    assert err.count("the key '' names no column") == 1, err
    written = pd.read_parquet(out)
    assert "" not in written.columns
    assert list(written["Unnamed: 2"]) == notes


def test_an_empty_key_without_values_is_dropped(emodb_dir, tmp_path):
    manifest = _manifest(emodb_dir, tmp_path, [None] * 4)
    assert '"":null' in manifest.read_text()
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        read = load_manifest(manifest)
    assert list(read.columns) == ["path", "speaker", "emotion"]


def test_a_text_manifest_too(tmp_path, capsys):
    """A text set's JSON-lines manifest (five CARER test tweets) reads its keys alike."""
    from conftest import shared_path

    carer = shared_path("text", "carer")
    source = next(p for p in sorted(carer.iterdir()) if "test" in p.name)
    rows = [line.rsplit(";", 1) for line in source.read_text().splitlines()[1:6]]
    manifest = tmp_path / "t.jsonl"
    manifest.write_text("".join(json.dumps({"text": t, "": lab}) + "\n" for t, lab in rows))
    out = tmp_path / "t.parquet"
    assert main(["extract", "-q", "--set", "text_surface", str(manifest), "-o", str(out)]) == 0
    assert "the key '' names no column" in capsys.readouterr().err
    written = pd.read_parquet(out)
    assert list(written["Unnamed: 1"]) == [lab for _, lab in rows]
    assert "" not in written.columns

