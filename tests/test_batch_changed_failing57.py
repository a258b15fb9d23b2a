"""An input that changed since its rows were written and fails now: the command says its
old rows went (session 57).

A resume removes the rows of an input whose file changed (other size or modification time)
and extracts it again (docs/batch.md); where that fails (the file truncated by a copy that
broke off), the output holds one input fewer, and the command said only ``nothing new
written to OUT``. Now the summary and the last line say ``old rows of 1 input changed since
removed``, and :class:`~emofeat.runner.RunResult` counts them (``n_changed``). Real data:
EmoDB recordings, one truncated to its first 5,000 bytes. Counts are exact.
"""
from __future__ import annotations

import shutil

from emofeat import read_table
from emofeat.cli import main
from emofeat.registry import get_extractor
from emofeat.runner import run


def _two(emodb_dir, tmp_path):
    files = []
    for p in sorted(emodb_dir.glob("03a0*.flac"))[:2]:
        files.append(tmp_path / p.name)
        shutil.copy(p, files[-1])
    return files


def test_the_command_says_the_rows_of_a_changed_failing_input_went(emodb_dir, tmp_path,
                                                                   capsys):
    files = _two(emodb_dir, tmp_path)
    out = tmp_path / "feats.parquet"
    argv = ["extract", "--set", "mfcc", *map(str, files), "-o", str(out)]
    assert main(argv) == 0
    files[1].write_bytes(files[1].read_bytes()[:5000])  # a copy that broke off
    capsys.readouterr()
    assert main(argv) == 3
    err = capsys.readouterr().err
    assert "nothing new written" not in err, err
    assert "old rows of 1 input changed since removed" in err, err
    assert len(read_table(out)) == 1


def test_run_counts_them_whether_or_not_the_input_fails_again(emodb_dir, tmp_path):
    files = _two(emodb_dir, tmp_path)
    out = tmp_path / "feats"
    run(files, [get_extractor("mfcc")], output=out)
    whole = files[1].read_bytes()
    files[1].write_bytes(whole[:5000])
    res = run(files, [get_extractor("mfcc")], output=out, on_error="record")
    assert (res.n_changed, res.n_failed, res.n_rows) == (1, 1, 0)
    assert "old rows of 1 input changed since removed" in res.summary()
    files[1].write_bytes(whole)  # back whole: no rows of it to remove, extracted again
    res = run(files, [get_extractor("mfcc")], output=out, on_error="record")
    assert (res.n_changed, res.n_failed, res.n_rows) == (0, 0, 1)
    assert len(read_table(out)) == 2
