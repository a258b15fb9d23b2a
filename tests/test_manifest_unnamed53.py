"""A manifest column that holds values under no name in the header (leftover of session 52).

``path,speaker,,gender`` (a spreadsheet's notes column left without a heading, or pandas'
``to_csv`` of a frame with a column named ``''``) gave every output row a label column
``Unnamed: 2`` without a word: pandas' name for the column's place, which a column added
before it turns into ``Unnamed: 3`` (a rerun then relabels the rows under the new name and
drops the old). Decided as pandas and R's readr do (readr names it ``...3`` and says so): the
column is kept under pandas' name and a warning names the file, the column's place and the
way out (a name in the header). An all-empty unnamed column is dropped, as before; a column
whose header really says ``Unnamed: 2`` is a name like any other.
"""

from __future__ import annotations

import warnings

import pandas as pd
import pytest

from emofeat.cli import main
from emofeat.datasets import load_manifest


def _manifest(emodb_dir, tmp_path, cells, name=""):
    """Six EmoDB rows of labels.csv, paths absolute, an unnamed column after ``speaker``."""
    frame = pd.read_csv(emodb_dir / "labels.csv", dtype=str).head(6)
    frame["path"] = [str(emodb_dir / p) for p in frame["path"]]
    frame.insert(2, name, cells)
    out = tmp_path / "m.csv"
    frame.to_csv(out, index=False)
    return out


def test_values_under_no_name_are_kept_and_said(emodb_dir, tmp_path, capsys):
    notes = ["ok", "noisy", "ok", "ok", "clipped", "ok"]
    manifest = _manifest(emodb_dir, tmp_path, notes)
    assert manifest.read_text().splitlines()[0].startswith("path,speaker,,gender")
    with pytest.warns(UserWarning, match=r"m\.csv: a column holds values under no name in "
                      r"the header, kept as 'Unnamed: 2' \(after 'speaker', before 'gender'\)"):
        read = load_manifest(manifest)
    assert list(read["Unnamed: 2"]) == notes
    # the command: one warning line, the column carried into the table as pandas names it
    out = tmp_path / "f.parquet"
    capsys.readouterr()
    assert main(["extract", "-q", "--set", "mfcc", str(manifest), "-o", str(out)]) == 0
    err = capsys.readouterr().err
    assert err.count("values under no name in the header") == 1, err  # 0 before
    assert list(pd.read_parquet(out)["Unnamed: 2"]) == notes


def test_an_empty_unnamed_column_is_dropped(emodb_dir, tmp_path):
    manifest = _manifest(emodb_dir, tmp_path, [None] * 6)  # 'path,speaker,,gender', no cells
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        read = load_manifest(manifest)
    assert not any(c.startswith("Unnamed") for c in read.columns)


def test_a_column_named_so_is_a_name(emodb_dir, tmp_path):
    manifest = _manifest(emodb_dir, tmp_path, list("abcdef"), name="Unnamed: 2")
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        read = load_manifest(manifest)
    assert list(read["Unnamed: 2"]) == list("abcdef")
