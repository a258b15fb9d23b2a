"""A replacement stopped after staging rows, continued with every input failing, keeps the
output (leftover of session 50).

``emofeat extract m.csv -o f.parquet --overwrite --fail-fast`` over 4 RAVDESS files whose
second is missing stages the first file's row and stops; its continuation (the same command
without ``--overwrite``, as the docs say) run while the corpus is away found every input
missing and swapped the staged row in: the output went from 4 rows to 1. Now the output
stays as it was and the staged row stays staged; once the files are back the continuation
finishes the replacement, every row present.
"""

from __future__ import annotations

import shutil

import numpy as np
import pytest
import test_batch_missing_files50 as missing_files50

from emofeat import read_table
from emofeat.cli import main

corpus = missing_files50.corpus  # the fixture: 4 RAVDESS files copied, m.csv listing them


def _extract(capsys, corpus, out, *extra) -> tuple[int, str]:
    capsys.readouterr()
    code = main(["extract", "-q", "-j", "1", "--set", "mfcc", str(corpus / "m.csv"),
                 "-o", str(out), "--param", "n_mfcc=20", *extra])
    return code, capsys.readouterr().err


def _table(out):
    return read_table(out).to_pandas()


@pytest.mark.parametrize("name", ["f.parquet", "ds"])
def test_a_continuation_that_extracts_nothing_keeps_output_and_staged_rows(
        tmp_path, capsys, corpus, name):
    out = tmp_path / name
    capsys.readouterr()
    assert main(["extract", "-q", "--set", "mfcc", str(corpus / "m.csv"), "-o", str(out)]) == 0
    before = _table(out)
    assert len(before) == 4 and "mfcc19_mean" not in before.columns
    files = [corpus / line.split(",")[0]  # in the manifest's order
             for line in (corpus / "m.csv").read_text(encoding="utf-8").splitlines()[1:]]
    away = tmp_path / "away"
    away.mkdir()
    shutil.move(str(files[1]), away)  # the second input missing: --fail-fast stops there
    code, err = _extract(capsys, corpus, out, "--overwrite", "--fail-fast")
    assert code == 3 and "--fail-fast" in err, err
    # the stop says how to go on: "run the same command again to resume" (with --overwrite:
    # the replacement started again, its staged row removed), counting the old output's rows
    assert "1 input of the replacement is kept in" in err, err
    assert "run the same command without --overwrite to go on from them" in err, err
    for f in files[:1] + files[2:]:
        shutil.move(str(f), away)  # the corpus away (mtimes kept: the same files)
    code, err = _extract(capsys, corpus, out)
    assert code == 3 and err.count("no such file") == 4, err
    assert "kept as it was, nothing replaced" in err and "1 input" in err, err
    kept = _table(out)
    # the output as it was, every row (1 of 4 before the fix: the staged row swapped in)
    assert kept.path.tolist() == before.path.tolist()
    names = [c for c in before.columns if c.startswith("mfcc")]
    np.testing.assert_array_equal(kept[names].to_numpy(), before[names].to_numpy())  # exact
    # the files back: the continuation skips the staged input and finishes the replacement
    for f in files:
        shutil.move(str(away / f.name), f)
    code, err = _extract(capsys, corpus, out)
    assert code == 0 and "1 skipped" in err and "3 rows" in err, err
    after = _table(out)
    assert after.path.tolist() == before.path.tolist() and "mfcc19_mean" in after.columns
    assert not any(p.name.endswith((".parts", ".overwrite")) for p in tmp_path.iterdir())
