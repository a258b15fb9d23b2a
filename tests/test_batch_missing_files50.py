"""A rerun while listed files are missing keeps their rows (hunt of session 50).

A rerun of the same command with the corpus unavailable (a drive not mounted, a folder
moved, a network share down) computed each missing file's key as size and time -1, took
that for a change of the file and removed its rows from the output before failing it:
``emofeat extract corpus.csv -o f.parquet`` over 4 RAVDESS files, run again with the files
moved away, exited 3 with ``nothing new written to f.parquet`` and left 0 rows (a dataset
folder too: its rows were dropped from its parts). A file missing has not changed: its
rows are kept, its input recorded as failed (``no such file``) as before, and when it is
back unchanged the next run skips it; a file back changed is extracted again, as a changed
file always is.
"""

from __future__ import annotations

import shutil

import numpy as np
import pytest

from emofeat import read_table
from emofeat.cli import main


@pytest.fixture()
def corpus(tmp_path, ravdess_two_speakers_six):
    folder = tmp_path / "corpus"
    folder.mkdir()
    rows = ["path,speaker"]
    for f in ravdess_two_speakers_six[:4]:
        shutil.copy2(f, folder / f.rsplit("/", 1)[1])
        rows.append(f"{f.rsplit('/', 1)[1]},{f.rsplit('/', 2)[1]}")
    (folder / "m.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    return folder


def _run(capsys, manifest, out) -> tuple[int, str]:
    capsys.readouterr()
    code = main(["extract", "-q", "--set", "mfcc", str(manifest), "-o", str(out)])
    return code, capsys.readouterr().err


def _features(out) -> tuple[list[str], np.ndarray]:
    table = read_table(out).to_pandas()
    names = [c for c in table.columns if c.startswith("mfcc")]
    return table.path.tolist(), table[names].to_numpy()


def _extracted_then_moved(tmp_path, capsys, corpus, name):
    """The output of a first run over the corpus, the corpus's files then moved away: the
    output, its paths and features, and where the files went."""
    out = tmp_path / name
    assert _run(capsys, corpus / "m.csv", out)[0] == 0
    paths, before = _features(out)
    away = tmp_path / "away"
    away.mkdir()
    for p in paths:
        shutil.move(p, away)  # mtime and size kept: the same files, moved
    return out, paths, before, away


@pytest.mark.parametrize("name", ["f.parquet", "ds"])
def test_rows_of_missing_files_are_kept(tmp_path, capsys, corpus, name):
    out, paths, before, away = _extracted_then_moved(tmp_path, capsys, corpus, name)
    assert len(paths) == 4
    code, err = _run(capsys, corpus / "m.csv", out)
    assert code == 3 and err.count("no such file") == 4, err
    assert _features(out)[0] == paths  # every row kept (0 before the fix)
    np.testing.assert_array_equal(_features(out)[1], before)  # exactly, nothing recomputed
    # one file missing among present ones: only it fails, the others are skipped
    for p in paths[1:]:
        shutil.move(str(away / p.rsplit("/", 1)[1]), p)
    code, err = _run(capsys, corpus / "m.csv", out)
    assert code == 3 and err.count("no such file") == 1 and "3 skipped" in err, err
    assert _features(out)[0] == paths
    # back unchanged: skipped, nothing extracted; the rows still those of the first run
    shutil.move(str(away / paths[0].rsplit("/", 1)[1]), paths[0])
    code, err = _run(capsys, corpus / "m.csv", out)
    assert code == 0 and "4 skipped" in err, err
    np.testing.assert_array_equal(_features(out)[1], before)


@pytest.mark.parametrize("name", ["f.parquet", "ds"])
def test_an_overwrite_whose_every_input_failed_replaces_nothing(tmp_path, capsys, corpus, name):
    # --overwrite with the corpus away replaced the output by an empty table (0 rows of 4),
    # saying "nothing new written"; now the output is kept, and said so
    out, paths, before, away = _extracted_then_moved(tmp_path, capsys, corpus, name)
    capsys.readouterr()
    code = main(["extract", "-q", "--set", "mfcc", str(corpus / "m.csv"), "-o", str(out),
                 "--overwrite", "--param", "n_mfcc=20"])
    err = capsys.readouterr().err
    assert code == 3 and f"every input failed: {out} kept as it was, nothing replaced" in err
    assert _features(out)[0] == paths
    np.testing.assert_array_equal(_features(out)[1], before)
    errors = "f.errors.csv" if name == "f.parquet" else f"{name}_errors.csv"
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(
        ["corpus", "away", name, f"{name}.lock", errors])  # no parts or staging folder left
    # the files back: the same command replaces it (13 -> 20 coefficients)
    for p in paths:
        shutil.move(str(away / p.rsplit("/", 1)[1]), p)
    capsys.readouterr()
    assert main(["extract", "-q", "--set", "mfcc", str(corpus / "m.csv"), "-o", str(out),
                 "--overwrite", "--param", "n_mfcc=20"]) == 0
    table = read_table(out).to_pandas()
    assert len(table) == 4 and "mfcc19_mean" in table.columns


@pytest.mark.parametrize("name", ["f.parquet", "ds"])
def test_a_replacement_continued_with_every_input_failing_replaces_nothing(
        tmp_path, capsys, corpus, name):
    # --overwrite --fail-fast stopped at its first input (missing), then the same command
    # without --overwrite continues the replacement, as the docs say: with every input still
    # failing it replaced the output by an empty table too
    out, paths, before, away = _extracted_then_moved(tmp_path, capsys, corpus, name)
    assert main(["extract", "-q", "--set", "mfcc", str(corpus / "m.csv"), "-o", str(out),
                 "--overwrite", "--fail-fast"]) == 3
    code, err = _run(capsys, corpus / "m.csv", out)
    assert code == 3 and f"every input failed: {out} kept as it was, nothing replaced" in err
    np.testing.assert_array_equal(_features(out)[1], before)
    assert not any(p.name.endswith((".parts", ".overwrite")) for p in tmp_path.iterdir())
