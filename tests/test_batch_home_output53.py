"""``run(..., output='~/feats.csv')`` where that is a dataset folder (review RC of 8a5fed1,
session 53).

8a5fed1 checked the output's name before ``~`` was expanded: an existing dataset folder
named ``feats.csv`` in the home folder, given as ``~/feats.csv`` (which run has read as the
home folder's since session 52), was refused as 'run writes parquet, not CSV' (the check
looked for a folder ``~`` in the working folder). The check now looks where run writes; its
messages keep the text the user gave.
"""

from __future__ import annotations

import numpy as np
import pytest

from emofeat import read_table
from emofeat.registry import get_extractor
from emofeat.runner import run


def test_a_dataset_folder_in_the_home_folder_is_resumed(tmp_path, monkeypatch, emodb_dir):
    paths = [str(p) for p in sorted(emodb_dir.glob("03a01*.flac"))[:3]]
    monkeypatch.setenv("HOME", str(tmp_path))
    folder = tmp_path / "feats.csv"  # a dataset folder may be named so (8a5fed1's control)
    run(paths[:2], [get_extractor("mfcc")], output=folder, layout="dataset")
    res = run(paths, [get_extractor("mfcc")], output="~/feats.csv")  # before: refused
    assert (res.n_skipped, res.n_rows) == (2, 1)
    got = read_table(folder)
    assert got.index["path"].tolist() == paths
    whole = run(paths, [get_extractor("mfcc")]).table
    np.testing.assert_array_equal(got.X, whole.X)  # the same computation: exactly equal


def test_a_refusal_names_the_output_as_given(tmp_path, monkeypatch, emodb_dir):
    paths = [str(p) for p in sorted(emodb_dir.glob("03a01*.flac"))[:1]]
    monkeypatch.setenv("HOME", str(tmp_path))
    with pytest.raises(ValueError, match=r"^output='~/new\.csv': run writes parquet, not CSV"):
        run(paths, [get_extractor("mfcc")], output="~/new.csv")
    assert not (tmp_path / "new.csv").exists()
