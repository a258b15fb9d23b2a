"""An output whose every input failed holds no rows: a run of other parameters starts it
again instead of refusing to mix them with nothing (hunt of session 53).

``emofeat extract`` of EmoDB files with ``--param resample=false --param sr=8000`` fails
every 16 kHz file (SampleRateError) and writes a table without rows (its errors table names
them), saying ``nothing new written to f.parquet`` of a file it had just created. The run
the user then makes, without the mistaken parameters, was refused: ``f.parquet was made with
other extraction parameters: mfcc resample: False there, True now ...; refusing to mix them in
one table`` (exit 2), with no row to mix or keep. Now it warns and starts the output again, as
``--overwrite`` would, and the table equals a fresh run's; an output with rows is refused as
before, and the fresh all-failed run says that it wrote the file without rows.
"""

from __future__ import annotations

import os

import numpy as np
import pytest

from emofeat import read_table
from emofeat.cli import main

WRONG = ["--param", "resample=false", "--param", "sr=8000"]


def _run(capsys, paths, out, *more) -> tuple[int, str]:
    capsys.readouterr()
    code = main(["extract", "-q", "--set", "mfcc", *map(str, paths), "-o", str(out), *more])
    return code, capsys.readouterr().err


@pytest.mark.parametrize("name", ["f.parquet", "feats/"])
def test_a_rowless_output_is_started_again(tmp_path, capsys, emodb_dir, name):
    paths = sorted(emodb_dir.glob("03a01*.flac"))[:3]
    out = tmp_path / name
    code, err = _run(capsys, paths, out, *WRONG)
    assert code == 3 and "SampleRateError" in err, err
    assert read_table(out).shape[0] == 0
    if name.endswith(".parquet"):  # it did write the file: 'nothing new written' before
        assert f"wrote {out} without rows: every input failed" in err, err
    code, err = _run(capsys, paths, out)  # the mistaken parameters left out
    assert code == 0, err  # 2 before: 'refusing to mix them in one table'
    assert "holds no rows (every input of the run that wrote it failed)" in err
    fresh = tmp_path / "fresh.parquet"
    assert _run(capsys, paths, fresh)[0] == 0
    got, want = read_table(out), read_table(fresh)
    assert got.index["path"].tolist() == want.index["path"].tolist()
    # the same files (the command records a path through a linked data folder resolved, as
    # CI's clone reaches the data: compared as real paths)
    assert [os.path.realpath(p) for p in got.index["path"]] == [
        os.path.realpath(p) for p in paths]
    np.testing.assert_array_equal(got.X, want.X)  # the same computation: exactly equal


def test_an_output_with_rows_is_still_refused(tmp_path, capsys, emodb_dir):
    paths = sorted(emodb_dir.glob("03a01*.flac"))[:2]
    out = tmp_path / "f.parquet"
    assert _run(capsys, paths, out)[0] == 0
    code, err = _run(capsys, paths, out, "--param", "n_mfcc=20")
    assert code == 2 and "refusing to mix them in one table" in err, err
    assert read_table(out).shape[0] == 2
