"""A rerun into an existing output whose feature names differ from the output's (the EEG sets
name their columns by the channels of the first recording they read) is refused before
anything is written: the output's rows would otherwise lose the columns the run lacks.

Real Muse recordings (TP9, AF7, AF8, TP10) from ../shared/data/eeg; the other montage is one
of them with the TP9 electrode left out, as a headset export without a dead channel has it.
"""

from __future__ import annotations

import re
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from conftest import shared_path

from emofeat.cli import main
from emofeat.registry import get_extractor
from emofeat.runner import run
from emofeat.store import FeatureNamesMismatchError, FeatureStore
from emofeat.table import FeatureTable

MUSE = ("subjecta-relaxed-1.csv", "subjectb-relaxed-1.csv", "subjectc-relaxed-1.csv")


@pytest.fixture
def recordings(tmp_path) -> tuple[list[str], str]:
    """Three real Muse recordings (only read) and one of them without its TP9 column."""
    paths = [str(shared_path("eeg", "muse_mental_state", name)) for name in MUSE]
    frame = pd.read_csv(paths[0])
    fewer = tmp_path / "three-channels.csv"
    frame.drop(columns=["TP9"]).to_csv(fewer, index=False)
    return paths, str(fewer)


def _snapshot(folder: Path) -> dict[str, bytes]:
    """Every file under ``folder`` and its bytes, the lock file aside (its holder's pid is
    rewritten by every run that takes it)."""
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*"))
            if p.is_file() and p.suffix != ".lock"}


def _read(out: Path) -> FeatureTable:
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # parts missing or held twice fail the test
        return FeatureTable.read_parquet(out)


def _names(item) -> list[str]:
    return list(get_extractor("eeg_bands").fit([item]).get_feature_names_out())


def _few(names: list[str]) -> str:
    """How the message lists a few of ``names`` and their count."""
    more = f" and {len(names) - 3} more" if len(names) > 3 else ""
    return ", ".join(repr(n) for n in names[:3]) + more + f" ({len(names)} column"


@pytest.mark.parametrize("n_jobs", [1, 2])
@pytest.mark.parametrize("name", ["f.parquet", "ds"])
def test_real_recordings_of_another_montage_are_refused_and_the_output_kept(
        tmp_path, recordings, name, n_jobs):
    paths, fewer = recordings
    out = tmp_path / "out" / name
    run(paths[:2], [get_extractor("eeg_bands")], output=out, n_jobs=n_jobs, chunk_size=1)
    before = _read(out)
    files = _snapshot(tmp_path / "out")
    gone = [n for n in before.feature_names if n not in _names(fewer)]
    assert gone and all(n.endswith("_TP9") for n in gone)

    with pytest.raises(FeatureNamesMismatchError) as err:
        run([fewer, paths[2]], [get_extractor("eeg_bands")], output=out, n_jobs=n_jobs,
            chunk_size=1, on_error="record")  # not an input's failure: raised all the same
    message = str(err.value)
    assert str(out) in message
    assert f"lose {_few(gone)}" in message and "adds no column" in message
    assert "overwrite=True" in message and "another output" in message
    assert _snapshot(tmp_path / "out") == files  # nothing written, removed or rewritten

    # the output's own montage resumes as before: the rows already there kept, one added
    again = run([*paths, fewer], [get_extractor("eeg_bands")], output=out, n_jobs=n_jobs,
                chunk_size=1, on_error="record")
    assert again.n_skipped == 2 and again.n_rows == 1 and again.n_failed == 1  # its channels
    after = _read(out)
    assert after.feature_names == before.feature_names
    assert list(after.index["path"]) == paths
    np.testing.assert_array_equal(after.X[:2], before.X)


def test_the_command_refuses_another_montage_with_exit_2_and_forked_workers(
        tmp_path, recordings, capsys):
    paths, fewer = recordings
    out = tmp_path / "out" / "f.parquet"
    args = ["extract", "-o", str(out), "--set", "eeg_bands", "-q", "-j", "2"]
    assert main([*args, *paths[:2]]) == 0
    files = _snapshot(tmp_path / "out")
    capsys.readouterr()
    assert main([*args, fewer, paths[2]]) == 2
    err = capsys.readouterr().err
    assert str(out) in err and "'eeg_bands_abs_delta_TP9'" in err and "--overwrite" in err
    assert _snapshot(tmp_path / "out") == files
    assert main([*args, "--overwrite", fewer]) == 0  # what the message says replaces it
    table = _read(out)
    assert table.feature_names == _names(fewer) and len(table) == 1


@pytest.mark.parametrize("name", ["out.parquet", "out"])
def test_arrays_of_fewer_channels_are_refused_and_overwrite_replaces(tmp_path, name):
    """The reported case: (x, 256, ABCD), then another array of channels BCD."""
    x = np.random.default_rng(0).standard_normal((4, 256 * 4))
    out = tmp_path / name
    run([(x, 256, ("A", "B", "C", "D"))], [get_extractor("eeg_bands")], output=out)
    before = _read(out)
    with pytest.raises(FeatureNamesMismatchError,
                       match=re.escape(f"{out} has 60 feature columns")) as err:
        run([(x[1:].copy(), 256, ("B", "C", "D"))], [get_extractor("eeg_bands")], output=out)
    gone = [n for n in before.feature_names if n.endswith("_A")]
    assert f"lose {_few(gone)}" in str(err.value)
    table = _read(out)
    assert table.feature_names == before.feature_names
    np.testing.assert_array_equal(table.X, before.X)

    run([(x[1:].copy(), 256, ("B", "C", "D"))], [get_extractor("eeg_bands")], output=out,
        overwrite=True)
    table = _read(out)
    assert len(table) == 1 and table.feature_names == _names((x[1:], 256, ("B", "C", "D")))


@pytest.mark.parametrize("name", ["out.parquet", "out"])
def test_arrays_of_more_channels_are_refused_and_the_same_ones_reordered_kept(tmp_path, name):
    """A run adding channels would leave the rows already there without them: refused,
    naming what it adds. The same channels in another order are the same columns: the run
    goes on, rows matched by name."""
    rng = np.random.default_rng(1)
    x, y = rng.standard_normal((2, 4, 256 * 4))
    out = tmp_path / name
    run([(x[:3].copy(), 256, ("A", "B", "C"))], [get_extractor("eeg_bands")], output=out)
    before = _read(out)
    with pytest.raises(FeatureNamesMismatchError) as err:
        run([(y, 256, ("A", "B", "C", "D"))], [get_extractor("eeg_bands")], output=out)
    added = [n for n in _names((y, 256, ("A", "B", "C", "D"))) if n.endswith("_D")]
    assert "lose no column" in str(err.value) and f"adds {_few(added)}" in str(err.value)

    res = run([(y[2::-1].copy(), 256, ("C", "B", "A"))], [get_extractor("eeg_bands")],
              output=out)
    assert res.n_rows == 1
    table = _read(out).to_pandas()
    assert set(table.columns) >= set(before.feature_names) and len(table) == 2
    np.testing.assert_array_equal(table.loc[0, before.feature_names].to_numpy(float),
                                  before.X[0])
    alone = run([(y[:3].copy(), 256, ("A", "B", "C"))], [get_extractor("eeg_bands")]).table
    np.testing.assert_allclose(table.loc[1, alone.feature_names].to_numpy(float), alone.X[0],
                               rtol=1e-12, atol=0)


@pytest.mark.parametrize("name", ["out.parquet", "out"])
def test_the_parts_of_an_interrupted_run_are_checked_too(tmp_path, recordings, monkeypatch,
                                                          name):
    """A run killed before its end leaves parts (no file; a dataset folder without
    ``_common_metadata``): another montage is refused naming the part, the output's own
    montage continues it."""
    paths, fewer = recordings
    out = tmp_path / "out" / name
    with monkeypatch.context() as m:
        m.setattr(FeatureStore, "finalize", lambda self, *a, **k: None)
        run(paths[:2], [get_extractor("eeg_bands")], output=out, chunk_size=1)
    files = _snapshot(tmp_path / "out")
    assert any(Path(f).name.startswith("part-") for f in files)
    with pytest.raises(FeatureNamesMismatchError, match=r"\(its part part-\d+-") as err:
        run([fewer], [get_extractor("eeg_bands")], output=out)
    assert "'eeg_bands_abs_delta_TP9'" in str(err.value)
    assert _snapshot(tmp_path / "out") == files
    res = run(paths, [get_extractor("eeg_bands")], output=out, chunk_size=1)
    assert res.n_skipped == 2 and res.n_rows == 1
    table = _read(out)
    assert list(table.index["path"]) == paths
    assert table.feature_names == _names(paths[0])
