"""After a rerun relabels the rows of listed files missing now, the table holds the columns
it holds with the files present (leftover of session 51).

A manifest in another folder (``meta/v2.csv`` listing ``../corpus/a.flac``) that lists every
input with other label columns (``emotion`` instead of ``speaker``) relabels every row: with
the files present the old ``speaker`` column is gone (no row holds it: the manifest decides
every row's labels, docs/cli.md). With the files missing (a drive not mounted) the rows took
the new labels (session 51) but an all-empty ``speaker`` column stayed. The table now holds
the same columns, in the same order, either way.
"""

from __future__ import annotations

import shutil

import pytest
import test_batch_missing_files50 as missing_files50

from emofeat import read_table
from emofeat.cli import main

corpus = missing_files50.corpus  # the fixture: 4 RAVDESS files copied, m.csv listing them


def _relabelled(tmp_path, capsys, corpus, out, present):
    """The table after a first run over ``m.csv``, then one over ``meta*/v2.csv`` (beside the
    corpus) with the files present or moved away (moved back after)."""
    capsys.readouterr()
    assert main(["extract", "-q", "--set", "mfcc", str(corpus / "m.csv"), "-o", str(out)]) == 0
    files = sorted(corpus.glob("*.flac"))
    meta = tmp_path / f"meta_{out.name}"  # beside the corpus
    meta.mkdir()
    lines = ["path,emotion"] + [f"../corpus/{f.name},e{f.stem.split('-')[2]}" for f in files]
    (meta / "v2.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    away = tmp_path / f"away_{out.name}"
    if not present:
        away.mkdir()
        for f in files:
            shutil.move(str(f), away)
    code = main(["extract", "-q", "--set", "mfcc", str(meta / "v2.csv"), "-o", str(out)])
    assert code == (0 if present else 3), capsys.readouterr().err
    table = read_table(out).to_pandas()
    if not present:
        for f in away.iterdir():
            shutil.move(str(f), corpus)
    return table


@pytest.mark.parametrize("name", ["f.parquet", "ds"])
def test_missing_files_relabelled_keep_no_empty_old_column(tmp_path, capsys, corpus, name):
    with_files = _relabelled(tmp_path, capsys, corpus, tmp_path / f"a_{name}", True)
    assert "speaker" not in with_files.columns  # the control: the manifest decides all rows
    without = _relabelled(tmp_path, capsys, corpus, tmp_path / f"b_{name}", False)
    # exact: the columns, in order (before the fix: an all-empty 'speaker' column stayed)
    assert without.columns.tolist() == with_files.columns.tolist()
    assert without.emotion.tolist() == with_files.emotion.tolist()
