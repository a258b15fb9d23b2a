"""A file output whose parts folder is a symbolic link to another output's own (plain)
parts folder (``a.parquet.parts -> b.parquet.parts``, e.g. ``proj/out.parquet.parts ->
/scratch/out.parquet.parts`` and a run given ``/scratch/out.parquet`` too): session 58,
review RB5 of ea57e4bb. ea57e4bb locks the folder a parts link leads to, but a run into
the output whose plain parts folder it is takes no such lock and was not refused by it, nor
did the link's run look for that output's lock: runs into both at once went on together in
one folder, in either order. The second took the first's parts for an interrupted run of
its own ('3 rows of an interrupted run kept', the first's rows in its table) and its merge
removed them: the first run then wrote its output with no rows, saying '3 rows'. Now the
second run is refused before any work, and the first writes the table the same run writes
into an output of its own (the reference: no link). Real data: RAVDESS recordings."""
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


@pytest.mark.parametrize("first", ["plain", "link"])
def test_a_link_to_another_outputs_parts_folder(tmp_path, files, monkeypatch, first):
    proj = tmp_path / "proj"
    (proj / "b.parquet.parts").mkdir(parents=True)  # b's own: a run into b writes there
    (proj / "a.parquet.parts").symlink_to(proj / "b.parquet.parts")
    one, two = ("b", "a") if first == "plain" else ("a", "b")
    other = {}
    finalize = store.FeatureStore.finalize

    def with_another_run(self, *args, **kwargs):
        # the first run's parts are all written: a run into the other output starts now
        other["run"] = subprocess.run(
            [sys.executable, "-m", "emofeat", *_extract(files[3:], proj / f"{two}.parquet")],
            capture_output=True, text=True, timeout=300)
        return finalize(self, *args, **kwargs)

    monkeypatch.setattr(store.FeatureStore, "finalize", with_another_run)
    assert main(_extract(files[:3], proj / f"{one}.parquet")) == 0
    monkeypatch.setattr(store.FeatureStore, "finalize", finalize)
    run = other["run"]
    if two == "a":  # the link's run, the plain one going on
        said = (f"emofeat: cannot write {proj / 'a.parquet'}: its parts folder "
                f"{proj / 'a.parquet.parts'} is a symbolic link to {proj / 'b.parquet.parts'}, "
                f"where another emofeat run is writing its parts now; wait for it to finish, "
                f"or link {proj / 'a.parquet.parts'} to a folder of its own\n")
    else:  # the plain one's run, the link's going on
        said = (f"emofeat: cannot write {proj / 'b.parquet'}: another emofeat run is "
                f"writing into its parts folder {proj / 'b.parquet.parts'} now, through a "
                f"symbolic link to it; wait for it to finish, then run again\n")
    assert (run.returncode, run.stderr) == (EXIT_USAGE, said)
    assert not (proj / f"{two}.parquet").exists()
    assert main(_extract(files[:3], tmp_path / "ref.parquet")) == 0
    pd.testing.assert_frame_equal(read_table(proj / f"{one}.parquet").to_pandas(),
                                  read_table(tmp_path / "ref.parquet").to_pandas())
    # once it is done, the other output's run goes through (b's merge removed its folder)
    (proj / "b.parquet.parts").mkdir(exist_ok=True)
    assert main(_extract(files[3:], proj / f"{two}.parquet")) == 0
    assert main(_extract(files[3:], tmp_path / "ref_two.parquet")) == 0
    pd.testing.assert_frame_equal(read_table(proj / f"{two}.parquet").to_pandas(),
                                  read_table(tmp_path / "ref_two.parquet").to_pandas())
