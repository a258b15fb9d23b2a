"""The old rows of a changed file's segments are counted as segments (review RC2 of 835c777).

A segment manifest's inputs are its rows: three segments of one EmoDB recording, the file
touched since (other modification time), were said ``old rows of 3 inputs changed since
removed`` under a summary that counts ``3 segments (manifest rows)``: one file, not three
inputs. Now ``old rows of 3 segments changed since removed``. Real data: one EmoDB
recording; counts are exact.
"""
from __future__ import annotations

import os
import shutil

from emofeat.cli import main
from emofeat.datasets import load_manifest
from emofeat.registry import get_extractor
from emofeat.runner import run


def _manifest(emodb_dir, tmp_path):
    flac = tmp_path / "a.flac"
    shutil.copy(sorted(emodb_dir.glob("03a0*.flac"))[0], flac)
    manifest = tmp_path / "m.csv"
    manifest.write_text(f"path,start,end\n{flac},0,0.5\n{flac},0.5,1\n{flac},1,1.5\n")
    return flac, manifest


def test_the_command_counts_segments(emodb_dir, tmp_path, capsys):
    flac, manifest = _manifest(emodb_dir, tmp_path)
    argv = ["extract", "--set", "mfcc", str(manifest), "-o", str(tmp_path / "o.parquet")]
    assert main(argv) == 0
    os.utime(flac, (1, 1))  # touched: another modification time
    capsys.readouterr()
    assert main(argv) == 0
    err = capsys.readouterr().err
    assert "old rows of 3 segments changed since removed" in err, err
    assert "inputs changed" not in err, err


def test_run_summary_counts_segments(emodb_dir, tmp_path):
    flac, manifest = _manifest(emodb_dir, tmp_path)
    out = tmp_path / "feats"
    run(load_manifest(manifest), [get_extractor("mfcc")], output=out)
    os.utime(flac, (1, 1))
    res = run(load_manifest(manifest), [get_extractor("mfcc")], output=out)
    assert (res.n_changed, res.n_rows) == (3, 3)
    assert res.changes() == ["old rows of 3 segments changed since removed"], res.changes()
