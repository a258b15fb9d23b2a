"""Dask workers of another emofeat: their sets' numbers versions are checked against the run's.

A worker computes with the emofeat installed there. One whose set is at another numbers
version wrote its rows into the output under the run's numbers version, mixed with the
others (nothing checked it). The workers here are real worker processes, made into "another
install" by ``client.run``: the set's class there reports another ``numbers_version``, its
emofeat another ``__version__``, and its ``emofeat.dask_backend`` lacks the checks (an
emofeat older than them: they travel with the tasks).
"""

from __future__ import annotations

import contextlib
import re
import threading

import numpy as np
import pytest

import emofeat
from emofeat.cli import main
from emofeat.registry import get_extractor
from emofeat.runner import run
from emofeat.table import FeatureTable

distributed = pytest.importorskip("distributed", reason="the dask extra is not installed")

import dask  # noqa: E402 - after the skip

from emofeat import dask_backend  # noqa: E402 - after the skip
from emofeat.dask_backend import WorkerVersionError, WorkerVersionWarning  # noqa: E402


@pytest.fixture(scope="module")
def client():
    """A client of two worker processes (each an install of its own to change)."""
    with (distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                   dashboard_address=None) as cluster,
          distributed.Client(cluster) as c):
        yield c


@pytest.fixture(scope="module")
def files(sample):
    return list(sample["path"].iloc[::30])[:8]


@contextlib.contextmanager
def _closed_despite_its_race(cluster):
    """``cluster``, closed at the end; distributed's close of a cluster whose worker was
    just removed may fail in its own status watcher (``KeyError`` of the worker's address in
    ``SpecCluster._update_worker_status``, 1 full run in 2 on the loaded 2-core machine),
    after everything this test checks: not a failure of the run under test."""
    try:
        yield cluster
    finally:
        try:
            cluster.close()
        except KeyError:
            runner = getattr(cluster, "_loop_runner", None)  # what close stops after _close
            if runner is not None:
                runner.stop()


@contextlib.contextmanager
def another_install(client, workers, numbers=None, version="0.0.9"):
    """The ``workers`` run "another emofeat": version ``version``, the mfcc set at numbers
    version ``numbers`` (``None``: unchanged), without the checks; restored after."""
    cls = type(get_extractor("mfcc"))
    own = vars(cls).get("numbers_version")  # None: inherited

    def change(cls, numbers, version):
        import emofeat
        import emofeat.dask_backend as backend

        emofeat.__version__ = version
        if numbers is not None:
            cls.numbers_version = numbers
        for name in ("_checked_shard", "_worker_numbers", "_by_value", "_Checks"):
            delattr(backend, name)

    def restore(cls, own, version):
        import importlib

        import emofeat
        import emofeat.dask_backend as backend

        emofeat.__version__ = version
        if own is None:
            if "numbers_version" in vars(cls):
                del cls.numbers_version
        else:
            cls.numbers_version = own
        importlib.reload(backend)

    client.run(change, cls, numbers, version, workers=workers)
    try:
        yield
    finally:
        client.run(restore, cls, own, emofeat.__version__, workers=workers)


def _parts(out):
    return sorted(out.glob("part-*.parquet")) if out.is_dir() else []


def _within(seconds, call):
    """``call()``'s result or exception (``("result", x)`` or ``("error", exc)``), failing the
    test where it has not returned after ``seconds`` (a run that hangs)."""
    box = []

    def target():
        try:
            box.append(("result", call()))
        except BaseException as exc:  # noqa: BLE001 - handed to the test
            box.append(("error", exc))

    thread = threading.Thread(target=target, daemon=True)
    thread.start()
    thread.join(seconds)
    if not box:
        pytest.fail(f"the run hung: still running after {seconds} s")
    return box[0]


def test_a_worker_at_another_numbers_version_stops_the_run_before_any_task(
        tmp_path, client, files, monkeypatch, capsys):
    """Checked on the workers connected when the run starts, before any task is sent: the
    error names the worker, the set, both numbers versions and both emofeat versions, and
    the way out; the other worker is not named; the output holds no row; the command exits
    2 with the message and writes no errors table (no input failed)."""
    older, newer = sorted(client.scheduler_info()["workers"])
    sent = []
    with another_install(client, [older], numbers=7):
        with monkeypatch.context() as m:
            m.setattr(client, "map", lambda *a, **k: sent.append(a) or [])
            with pytest.raises(WorkerVersionError) as info:
                run(files, [get_extractor("mfcc")], output=tmp_path / "ds",
                    scheduler=client, chunk_size=1, on_error="record")
        assert not sent  # refused before any task
        message = str(info.value)
        assert f"the Dask worker {older} (emofeat 0.0.9 in " in message
        assert "computes the mfcc set's numbers otherwise: mfcc numbers version 7 there, 1 " \
               "here" in message
        assert f"(here emofeat {emofeat.__version__} in " in message
        assert "Install the same emofeat on the workers" in message
        assert newer not in message
        assert _parts(tmp_path / "ds") == []
        out = tmp_path / "cli"
        assert main(["extract", *files, "-o", str(out), "--scheduler",
                     client.scheduler.address, "-q"]) == 2
        err = capsys.readouterr().err
        # with --fail-fast too: a set-up to mend, not a first failure to resume after (exit 3)
        fast = tmp_path / "fast"
        assert main(["extract", *files, "-o", str(fast), "--scheduler",
                     client.scheduler.address, "-q", "--fail-fast"]) == 2
        err_fast = capsys.readouterr().err
    for said in (err, err_fast):
        assert f"emofeat: the Dask worker {older} (emofeat 0.0.9" in said
        assert "mfcc numbers version 7 there, 1 here" in said
        assert "first failure" not in said
    assert _parts(out) == [] and not (tmp_path / "cli_errors.csv").exists()
    assert _parts(fast) == [] and not (tmp_path / "fast_errors.csv").exists()


def test_every_task_checks_its_worker(tmp_path, client, files, monkeypatch):
    """A worker that joins after the run started (not checked up front: the check left out
    here) is checked by each task it runs, on the worker, by code sent with the task (its
    emofeat has no check): its tasks fail before extracting, the run raises (the inputs are
    not recorded as failed), and the output holds none of its rows."""
    workers = sorted(client.scheduler_info()["workers"])
    monkeypatch.setattr(dask_backend._Checks, "connected", lambda self, client: None)
    with another_install(client, workers, numbers=7):
        with pytest.raises(WorkerVersionError,
                           match="mfcc numbers version 7 there, 1 here") as info:
            run(files, [get_extractor("mfcc")], output=tmp_path / "ds", scheduler=client,
                chunk_size=1, on_error="record")
    assert re.search(r"the Dask worker (\S+) \(emofeat 0\.0\.9 in ", str(info.value))[1] \
        in workers
    assert _parts(tmp_path / "ds") == []


@pytest.mark.parametrize("up_front", [True, False])
def test_another_emofeat_version_with_the_same_numbers_warns_once_per_worker(
        tmp_path, client, files, monkeypatch, up_front):
    """A worker whose emofeat version differs but whose sets are at the run's numbers
    versions computes as before: its rows are kept, and the run warns once per such worker
    (not once per task), naming it; an up-to-date worker is not named."""
    workers = sorted(client.scheduler_info()["workers"])
    changed = workers[:1] if up_front else workers
    if not up_front:
        monkeypatch.setattr(dask_backend._Checks, "connected", lambda self, client: None)
    with another_install(client, changed, numbers=None):
        with pytest.warns(WorkerVersionWarning) as caught:
            res = run(files, [get_extractor("mfcc")], output=tmp_path / "ds",
                      scheduler=client, chunk_size=1)
    assert res.n_rows == len(files) and res.n_failed == 0
    named = [re.search(r"the Dask worker (\S+) runs emofeat 0\.0\.9", str(w.message))[1]
             for w in caught if w.category is WorkerVersionWarning]
    assert len(named) == len(set(named)) >= 1 and set(named) <= set(changed)
    if up_front:
        assert named == changed
    local = run(files, [get_extractor("mfcc")]).table
    np.testing.assert_array_equal(FeatureTable.read_parquet(tmp_path / "ds").X, local.X)


def test_a_worker_without_the_runs_set_is_named(tmp_path, client, files, monkeypatch):
    """A set the worker's emofeat does not have (a set newer than its install) is said as
    such, naming the worker and what failed there, before any task is sent."""
    mfcc = type(get_extractor("mfcc"))
    module = __import__(mfcc.__module__, fromlist=["_"])
    newer = type("NewerSet", (mfcc,), {"__module__": mfcc.__module__})
    monkeypatch.setattr(module, "NewerSet", newer, raising=False)  # here only
    with pytest.raises(WorkerVersionError, match=r"cannot load the run's sets \("
                       r"AttributeError: .*NewerSet") as info:
        run(files, [newer()], output=tmp_path / "ds", scheduler=client, chunk_size=1)
    for address in client.scheduler_info()["workers"]:
        assert f"the Dask worker {address} (emofeat " in str(info.value)
    assert "Their rows would go" in str(info.value)
    assert _parts(tmp_path / "ds") == []


def test_a_worker_joining_mid_run_without_the_runs_set_stops_it(tmp_path, files, monkeypatch):
    """A worker that joins while the tasks are queued, whose emofeat lacks the run's set,
    stops the run with the error naming it (not the worker checked up front). The scattered
    plan, pickled by name, was unpicklable there: the new worker fetched it over and over
    and the run hung. The first worker holds its first task until the second has joined, so
    that the second is given tasks."""
    mfcc = type(get_extractor("mfcc"))
    module = __import__(mfcc.__module__, fromlist=["_"])
    monkeypatch.setattr(module, "NewerSet", type("NewerSet", (mfcc,),
                                                 {"__module__": mfcc.__module__}),
                        raising=False)
    flag = tmp_path / "joined"

    def newer_install(flag):
        import os
        import sys
        import time

        import emofeat.compute as compute
        from emofeat.registry import get_extractor

        cls = type(get_extractor("mfcc"))
        sys.modules[cls.__module__].NewerSet = type("NewerSet", (cls,),
                                                    {"__module__": cls.__module__})
        original = compute.run_shard

        def run_shard(plan, shard):
            deadline = time.monotonic() + 30
            while not os.path.exists(flag) and time.monotonic() < deadline:
                time.sleep(0.02)
            return original(plan, shard)

        compute.run_shard = run_shard  # the task's func, found by name on this worker

    with (dask.config.set({"distributed.scheduler.worker-saturation": 1.0}),
          _closed_despite_its_race(distributed.LocalCluster(
              n_workers=1, threads_per_worker=1, processes=True,
              dashboard_address=":0")) as cluster,
          distributed.Client(cluster) as c):
        [first] = c.scheduler_info()["workers"]
        c.run(newer_install, str(flag))
        checked = dask_backend._Checks.connected

        def connected(self, client):
            checked(self, client)  # the first worker passes

            def join():
                cluster.scale(2)
                client.wait_for_workers(2, timeout=60)
                flag.touch()

            threading.Thread(target=join, daemon=True).start()

        monkeypatch.setattr(dask_backend._Checks, "connected", connected)
        how, got = _within(90, lambda: run(
            files, [module.NewerSet()], output=tmp_path / "ds", scheduler=c, chunk_size=1,
            on_error="record"))
        workers = set(c.scheduler_info()["workers"])
    assert how == "error" and isinstance(got, WorkerVersionError), got
    named = re.search(r"the Dask worker (\S+) \(emofeat ", str(got))[1]
    assert named in workers - {first}
    assert re.search(r"cannot load the run's sets \(AttributeError: .*NewerSet", str(got))


def test_a_worker_lacking_the_tasks_code_is_named(tmp_path, client, files):
    """A worker whose emofeat lacks code the task runs by name (here the warnings relay, as
    in an emofeat older than it) while its sets are at the run's numbers versions: the task's
    check names the worker and the missing name, and the run stops. The task, pickled by
    name, could not be read there: the run ended with Dask's bare FutureCancelledError,
    naming neither the worker nor the cause."""

    def older(hide):
        import emofeat.schedule as schedule

        if hide:
            schedule._hidden = schedule.with_warnings
            del schedule.with_warnings
        elif "_hidden" in vars(schedule):
            schedule.with_warnings = vars(schedule).pop("_hidden")

    workers = sorted(client.scheduler_info()["workers"])
    client.run(older, True)
    try:
        how, got = _within(60, lambda: run(
            files, [get_extractor("mfcc")], output=tmp_path / "ds", scheduler=client,
            chunk_size=1, on_error="record"))
    finally:
        client.run(older, False)
    assert how == "error" and isinstance(got, WorkerVersionError), got
    assert re.search(r"the Dask worker (\S+) \(emofeat ", str(got))[1] in workers
    assert re.search(r"cannot load the run's task \(AttributeError: .*'with_warnings'",
                     str(got))
    assert _parts(tmp_path / "ds") == []
