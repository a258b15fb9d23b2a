"""Two file outputs whose parts folders are symbolic links to the same folder
(``a.parquet.parts`` and ``b.parquet.parts -> scratch/x``; session 58, review RB4 of
5068906b). Each output has its own lock file, so a run into each at once went on together
in one folder: the second took the first's parts for an interrupted run of its own (their
rows in its output), and its merge, which since 5068906b removes emofeat's files from a
linked folder, removed the first run's parts and temporary files under it (that run then
failed, '[Errno 2] No such file or directory: ...tmp-part-...'). The folder a parts link
leads to is now locked with the output: the second run is refused before any work, and the
first writes the table the same run writes into a plain output (the reference: no link).
Real data: RAVDESS recordings."""
from __future__ import annotations

import subprocess
import sys

import pandas as pd
import pytest

import emofeat.store as store
from emofeat import read_table
from emofeat.cli import EXIT_USAGE, main


@pytest.fixture
def files(ravdess_dir) -> list[str]:
    return [str(p) for p in sorted(ravdess_dir.glob("Actor_01/*.flac"))[:6]]


def _extract(files, out):
    return ["extract", *files, "--set", "mfcc", "--chunk-size", "1", "-q", "-o", str(out)]


def test_a_second_run_into_the_same_linked_folder_is_refused(tmp_path, files, monkeypatch):
    scratch, proj = tmp_path / "scratch" / "x", tmp_path / "proj"
    scratch.mkdir(parents=True)
    proj.mkdir()
    for name in ("a", "b"):
        (proj / f"{name}.parquet.parts").symlink_to(scratch)
    other = {}
    finalize = store.FeatureStore.finalize

    def with_another_run(self, *args, **kwargs):
        # a.parquet's parts are all written: a run into b.parquet starts now
        other["run"] = subprocess.run(
            [sys.executable, "-m", "emofeat", *_extract(files[3:], proj / "b.parquet")],
            capture_output=True, text=True, timeout=300)
        return finalize(self, *args, **kwargs)

    monkeypatch.setattr(store.FeatureStore, "finalize", with_another_run)
    assert main(_extract(files[:3], proj / "a.parquet")) == 0
    monkeypatch.setattr(store.FeatureStore, "finalize", finalize)
    run = other["run"]
    assert (run.returncode, run.stderr) == (EXIT_USAGE, (
        f"emofeat: cannot write {proj / 'b.parquet'}: its parts folder "
        f"{proj / 'b.parquet.parts'} is a symbolic link to {scratch}, where another emofeat "
        f"run is writing its parts now; wait for it to finish, or link "
        f"{proj / 'b.parquet.parts'} to a folder of its own\n"))
    assert not (proj / "b.parquet").exists()
    assert main(_extract(files[:3], tmp_path / "plain.parquet")) == 0
    pd.testing.assert_frame_equal(read_table(proj / "a.parquet").to_pandas(),
                                  read_table(tmp_path / "plain.parquet").to_pandas())
    assert list(scratch.iterdir()) == []
    # once it is done, the other output's run goes through the same folder
    assert main(_extract(files[3:], proj / "b.parquet")) == 0
    assert main(_extract(files[3:], tmp_path / "plain_b.parquet")) == 0
    pd.testing.assert_frame_equal(read_table(proj / "b.parquet").to_pandas(),
                                  read_table(tmp_path / "plain_b.parquet").to_pandas())
    assert list(scratch.iterdir()) == []
