"""--jobs: worker processes give the rows of a serial run, in the same order."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time

import numpy as np
import pandas as pd
import pytest
from _slow_set import DRIVER, SLOW_SET

from emofeat.cli import main
from emofeat.registry import get_extractor
from emofeat.runner import run
from emofeat.table import FeatureTable


def _same(a: FeatureTable, b: FeatureTable) -> None:
    assert a.feature_names == b.feature_names
    np.testing.assert_array_equal(a.X, b.X)
    pd.testing.assert_frame_equal(a.index, b.index)


@pytest.fixture(scope="module")
def manifest(sample):
    return sample.iloc[::10].reset_index(drop=True)  # 24 files, 4 speakers, labels carried


@pytest.fixture(scope="module")
def serial(manifest):
    return run(manifest, [get_extractor("mfcc")]).table


@pytest.mark.parametrize("backend, chunk_size", [("fork", 1), ("fork", 5), ("loky", 5)])
def test_jobs_in_memory_equal_serial(manifest, serial, backend, chunk_size):
    if backend == "fork" and not hasattr(os, "fork"):
        pytest.skip("no fork on this platform")
    table = run(manifest, [get_extractor("mfcc")], n_jobs=2, chunk_size=chunk_size,
                backend=backend).table
    _same(table, serial)
    assert list(table.index["speaker"]) == list(manifest["speaker"])


@pytest.mark.parametrize("fmt, backend", [("file", "auto"), ("dataset", "auto"),
                                         ("dataset", "loky")])
def test_cli_jobs_output_equals_serial(tmp_path, manifest, serial, fmt, backend):
    csv = tmp_path / "manifest.csv"
    manifest.to_csv(csv, index=False)
    outs = []
    for jobs in (1, 2):
        out = tmp_path / f"j{jobs}{'.parquet' if fmt == 'file' else ''}"
        assert main(["extract", str(csv), "-o", str(out), "-j", str(jobs), "-q",
                     "--format", fmt, "--chunk-size", "3", "--backend", backend]) == 0
        outs.append(FeatureTable.read_parquet(out))
    _same(outs[0], outs[1])
    np.testing.assert_array_equal(outs[0].X, serial.X)
    assert list(outs[0].index["path"]) == list(manifest["path"])


def test_lld_jobs_equal_serial(manifest):
    files = list(manifest["path"][:6])
    ext = get_extractor("mfcc", level="lld")
    _same(run(files, [ext], n_jobs=2, chunk_size=1).table, run(files, [ext]).table)


def test_label_missing_in_a_whole_shard_keeps_its_type(tmp_path, manifest):
    """A shard whose labels are all missing still writes a string column: the dataset
    reads back as one table."""
    m = manifest.iloc[:6][["path", "emotion"]].copy()
    m.loc[:2, "emotion"] = None
    out = tmp_path / "ds"
    run(m, [get_extractor("mfcc")], output=out, chunk_size=3)
    table = FeatureTable.read_parquet(out)
    assert list(table.index["emotion"].iloc[3:]) == list(m["emotion"].iloc[3:])
    assert table.index["emotion"].iloc[:3].isna().all()


def test_frame_rows_stream_into_row_groups(tmp_path, manifest, monkeypatch):
    """A part is written as its inputs finish, in row groups: the rows equal the in-memory
    table whatever the row-group size."""
    import pyarrow.parquet as pq

    import emofeat.compute

    monkeypatch.setattr(emofeat.compute, "ROW_GROUP", 500)
    files = list(manifest["path"][:4])
    ext = get_extractor("mfcc", level="lld")
    out = tmp_path / "lld"
    run(files, [ext], output=out, chunk_size=4)
    [part] = out.glob("part-*.parquet")
    assert pq.ParquetFile(part).num_row_groups > 2
    _same(FeatureTable.read_parquet(out), run(files, [ext]).table)


def _proc_stat(pid: int) -> list[str] | None:
    """Fields of /proc/PID/stat after the command name (state, ppid, ...), or None."""
    try:
        with open(f"/proc/{pid}/stat") as f:
            return f.read().rsplit(")", 1)[1].split()
    except OSError:
        return None


def _loky_workers(parent: int) -> list[int]:
    """The loky worker processes whose parent is ``parent`` (a /proc scan)."""
    found = []
    for entry in os.listdir("/proc"):
        if entry.isdigit() and (fields := _proc_stat(int(entry))) and fields[1] == str(parent):
            try:
                with open(f"/proc/{entry}/cmdline", "rb") as f:
                    if b"popen_loky_posix" in f.read():
                        found.append(int(entry))
            except OSError:
                pass
    return found


def _running(pid: int) -> bool:
    fields = _proc_stat(pid)
    return fields is not None and fields[0] not in ("Z", "X")  # a zombie has ended


@pytest.mark.slow
@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="/proc: Linux")
def test_loky_workers_end_with_a_killed_run(tmp_path, sample):
    """`emofeat extract -j 2 --backend loky` killed with SIGKILL while its workers compute:
    the workers end within seconds (they watch their parent), instead of waiting for work
    for minutes (loky's idle timeout)."""
    (tmp_path / "slowset.py").write_text(textwrap.dedent(SLOW_SET))
    (tmp_path / "driver.py").write_text(textwrap.dedent(DRIVER))
    # the emofeat this test imports: a PYTHONPATH given to the tests (an old tree's, for
    # a "fails before" check) kept behind the driver's folder, not replaced by it
    path = os.pathsep.join(p for p in (str(tmp_path), os.environ.get("PYTHONPATH")) if p)
    env = dict(os.environ, PYTHONPATH=path)
    out = tmp_path / "ds"
    files = [str(p) for p in sample["path"].iloc[:24]]  # 24 x 0.15 s: 1.8 s on 2 workers
    cmd = [sys.executable, str(tmp_path / "driver.py"), "extract", *files, "-o", str(out),
           "--set", "slow_mfcc", "--chunk-size", "2", "-q", "-j", "2", "--backend", "loky"]
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                            start_new_session=True)
    try:
        deadline = time.monotonic() + 60
        workers: list[int] = []
        # the workers are computing once a part is written (each shard: 0.3 s)
        while proc.poll() is None and time.monotonic() < deadline and not (
                len(workers) == 2 and list(out.glob("part-*"))):
            workers = _loky_workers(proc.pid)
            time.sleep(0.02)
        assert proc.poll() is None and len(workers) == 2, proc.communicate()[1].decode()
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        deadline = time.monotonic() + 5
        while any(_running(w) for w in workers) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert not [w for w in workers if _running(w)], "loky workers outlived the killed run"
        assert len(list(out.glob("part-*"))) < 12  # killed in the middle indeed
    finally:
        try:
            os.killpg(proc.pid, signal.SIGKILL)  # whatever the session has left
        except ProcessLookupError:
            pass
        proc.wait()
        proc.stderr.close()
