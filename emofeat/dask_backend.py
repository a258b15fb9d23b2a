"""Run shards on a Dask distributed cluster.

Each shard is one task; the worker that runs it extracts its inputs and writes its own parquet
part straight into the output folder (which must be on a file system every worker sees), and
sends back only counts and error rows. The scheduler can be an existing cluster
(``tcp://host:8786``, a :class:`distributed.Client`), or, when none is given, a
:class:`distributed.LocalCluster` of ``n_jobs`` single-threaded worker processes started for
the run and closed after it.

A worker computes with the emofeat installed there, which may not be the run's: its sets'
numbers versions (:func:`emofeat.runner.numbers_version`) are checked against the run's, on
the workers connected when the run starts and again in every task (for workers that join
later), and a worker computing another set's numbers, or unable to load the run's sets or
task, stops the run before it writes a row (:class:`WorkerVersionError`).
"""

from __future__ import annotations

import builtins
import logging
import os
import types
import warnings
from collections.abc import Callable, Iterator, Sequence
from contextlib import ExitStack
from typing import Any

from ._numbers import sets_said
from ._wording import noun
from .errors import EmofeatError
from .schedule import WarningRelay, relay_result, with_warnings

log = logging.getLogger("emofeat.dask")

#: the key of the details a worker's failed check sends back (``RuntimeError(text, details)``)
_CHECK = "emofeat_numbers_check"


class WorkerVersionError(EmofeatError, RuntimeError):
    """A Dask worker's emofeat computes a set's numbers otherwise than the run's (another
    :attr:`~emofeat.extractor.Extractor.numbers_version`): its rows would go into the output
    under the run's numbers versions. A configuration error, not an input's: the run stops,
    nothing is recorded as failed, and the worker wrote nothing."""


class WorkerVersionWarning(UserWarning):
    """A Dask worker runs another emofeat version than the run's, whose sets compute the
    same numbers (equal numbers versions): its rows are kept."""


def _worker_numbers(sets: Any) -> dict[str, Any]:
    """On a worker: its address, its emofeat's version and folder, and the numbers versions
    of ``sets`` (the plan's sets, or the pickled bytes of their classes) as the classes
    installed there say (``numbers``; ``None`` with ``error`` where they cannot be loaded).

    Sent by value (:func:`_by_value`) with builtins and ``_CHECK`` only: it runs where the
    emofeat installed has no such function (an older one)."""
    import os
    import pickle

    import emofeat

    try:
        from distributed import get_worker

        address = get_worker().address
    except (ImportError, ValueError):  # client.run: no task; the caller knows the address
        address = None
    info = {_CHECK: True, "address": address,
            "version": str(getattr(emofeat, "__version__", "unknown")),
            "folder": os.path.dirname(getattr(emofeat, "__file__", None) or ""),
            "numbers": None, "error": None}
    try:
        if isinstance(sets, bytes):
            sets = pickle.loads(sets)
        info["numbers"] = [
            int(getattr(s if isinstance(s, type) else type(s), "numbers_version", 0) or 0)
            for s in sets]
    except Exception as exc:  # noqa: BLE001 - a set this emofeat does not have: said
        info["error"] = f"{type(exc).__name__}: {exc}"
    return info


def _checked_shard(numbers_of: Callable[[Any], dict[str, Any]], expected: list[int],
                   classes: bytes, task: bytes, key: str, shard: bytes
                   ) -> tuple[Any, dict[str, Any]]:
    """A task: ``run(func, plan, shard)`` (``task`` pickles ``(run, func, plan)``, sent once
    per worker under ``key``) once the worker's sets (``classes``, pickled) are found at the
    run's numbers versions (``expected``, in the plan's order), with the worker's details for
    the run to compare its emofeat version; otherwise ``RuntimeError(text, details)`` before
    anything is extracted or written.

    Sent by value, as :func:`_worker_numbers`, and given only bytes and builtins: what
    pickle names (the sets, the plan's and shard's classes, ``run`` and ``func``) is loaded
    here, where a name the worker's emofeat lacks is said. A task or scattered value Dask
    itself could not unpickle hung the run (a worker that joined later fetched it over and
    over). The loaded ``task`` is kept on the worker under ``key`` (the last few runs'):
    the sets' state loaded once per worker, as the scattered plan was."""
    import pickle

    info = numbers_of(classes)
    if info["numbers"] == expected:
        try:
            try:
                from distributed import get_worker

                kept = get_worker().__dict__.setdefault("_emofeat_tasks", {})
            except (ImportError, ValueError):
                kept = {}
            if key not in kept:
                if len(kept) >= 4:
                    kept.clear()
                kept[key] = pickle.loads(task)
            run, func, plan = kept[key]
            shard = pickle.loads(shard)
        except Exception as exc:  # noqa: BLE001 - a name this emofeat lacks: said
            info.update(numbers=None, error=f"{type(exc).__name__}: {exc}",
                        loading="the run's task")
    if info["numbers"] != expected:
        raise RuntimeError(
            f"emofeat {info['version']} on this worker computes the sets' numbers at numbers "
            f"versions {info['numbers']}, the run at {expected}; not running the shard",
            info)
    return run(func, plan, shard), info


def _by_value(func: Callable[..., Any]) -> Callable[..., Any]:
    """``func`` as a function pickled by value (its code travels with it): a copy that is
    not the module's, so that pickle cannot name it and Dask sends it with cloudpickle.
    By name, a worker without it (an older emofeat) failed to read the task, which hung
    the run."""
    copy = types.FunctionType(func.__code__, {"__builtins__": builtins, "_CHECK": _CHECK},
                              func.__name__, func.__defaults__, func.__closure__)
    copy.__module__, copy.__qualname__, copy.__doc__ = (func.__module__, func.__qualname__,
                                                        func.__doc__)
    return copy


def _pickled(obj: Any) -> bytes:
    """``obj`` pickled for a worker to load in its check (:func:`_checked_shard`)."""
    import cloudpickle

    return cloudpickle.dumps(obj)


def _here() -> tuple[str, str]:
    """This process's emofeat version and folder."""
    from . import __version__

    return __version__, os.path.dirname(os.path.abspath(__file__))


def _mismatch(found: list[dict[str, Any]], names: list[str], expected: list[int]
              ) -> WorkerVersionError:
    """The error for the workers in ``found`` whose sets are at other numbers versions (or
    cannot be loaded) than ``expected``: each worker's address, emofeat and sets, this
    process's, and the way out."""
    version, folder = _here()
    said = []
    for info in found:
        where = (f"the Dask worker {info.get('address') or '(address unknown)'} (emofeat "
                 f"{info['version']} in {info['folder']})")
        if info["numbers"] is None or len(info["numbers"]) != len(expected):
            what = info.get("loading") or "the run's sets"
            said.append(f"{where} cannot load {what} ({info['error']})")
            continue
        changes = [(n, w, e) for n, w, e in zip(names, info["numbers"], expected,
                                                strict=True) if w != e]
        said.append(f"{where} computes {sets_said(changes)} numbers otherwise: "
                    + "; ".join(f"{n} numbers version {w} there, {e} here"
                                for n, w, e in changes))
    n = len(found)
    whose, which = noun(n, "Its", "Their"), noun(n, "that worker", "those workers")
    return WorkerVersionError(
        "; ".join(said) + f" (here emofeat {version} in {folder}). {whose} rows would go "
        "into the output under this run's numbers versions, mixed with the others: the run "
        f"stopped before {which} wrote any. Install the same emofeat on the workers as "
        "here (python -c \"import emofeat; print(emofeat.__version__, emofeat.__file__)\" "
        "on each, or client.run of it), then run again.")


def dask_setup(worker: Any) -> None:
    """In a worker process of the local cluster a run starts (its ``preload``): SIGINT and
    SIGTERM are left to the run's process, which closes the cluster. Ctrl-C in a terminal
    and a batch system's SIGTERM reach every process of the group, and each worker printed
    its own KeyboardInterrupt traceback and distributed's warnings (a task cancelled, a
    worker unknown to the scheduler, a worker killed after 4 s), after the run's one line."""
    import signal
    import threading

    if threading.current_thread() is threading.main_thread():
        for s in (signal.SIGINT, signal.SIGTERM):
            signal.signal(s, signal.SIG_IGN)
    # the warning of a task cut short by the worker's close, which only the run's end
    # does here (an interrupt, an error): "Async instruction for <Task cancelled ...>
    # ended with CancelledError"
    logging.getLogger("distributed.worker.state_machine").addFilter(_not_closing_noise)


def _preloads() -> tuple[list[str], list[list[str]]]:
    """The worker preloads of a local cluster: the user's configured ones, each with its
    ``preload-argv``, then this module (:func:`dask_setup`), with none. The arguments go
    as distributed reads them: one list of strings for every preload, or a list per
    preload; given a preload of ours, a list per preload of the user's made every worker
    fail to start ("preload and preload_argv have mismatched lengths 2 != 1": review RA of
    cea2bff7). A mismatch of the user's own is left for distributed to tell, as before."""
    import dask

    preload = dask.config.get("distributed.worker.preload", None) or []
    preload = [preload] if isinstance(preload, str) else list(preload)
    argv = dask.config.get("distributed.worker.preload-argv", None) or []
    if argv and isinstance(argv[0], str):
        argv = [list(argv)] * len(preload)
    elif not argv:
        argv = [[]] * len(preload)
    return [*preload, __name__], [*argv, []]


def _not_closing_noise(record: logging.LogRecord) -> bool:
    return not record.getMessage().endswith("ended with CancelledError")


def _not_killing_noise(record: logging.LogRecord) -> bool:
    return not record.getMessage().startswith("Worker process still alive after")


class _Checks:
    """The run's side of the numbers-version checks: what the workers must find, the
    workers seen, and one :class:`WorkerVersionWarning` per worker of another emofeat
    version whose numbers are the same."""

    def __init__(self, plan: Any) -> None:
        from .registry import set_name_of
        from .runner import numbers_version

        sets = list(getattr(plan, "extractors", None) or [])
        self.names = [set_name_of(e) for e in sets]
        self.expected = [numbers_version(e) for e in sets]
        # pickled here, read in the worker's check: a class its emofeat lacks is said
        # there, not a message the worker cannot read
        self.classes_pickled = _pickled([type(e) for e in sets])
        self.version = _here()[0]
        self.seen: set[str | None] = set()
        self.numbers_of = _by_value(_worker_numbers)
        self.task = _by_value(_checked_shard)

    def connected(self, client: Any) -> None:
        """Check the workers connected now, before any task is sent (the user hears at
        once, not after the first shard).

        Raises
        ------
        WorkerVersionError
            Naming every worker at another numbers version.
        """
        try:
            found = client.run(self.numbers_of, self.classes_pickled)
        except Exception as exc:  # noqa: BLE001 - a worker lost meanwhile: the tasks check
            log.info("dask: could not check the workers up front: %r", exc)
            return
        bad = []
        for address, info in sorted(found.items()):
            info["address"] = address
            if info["numbers"] != self.expected:
                bad.append(info)
            else:
                self.saw(info)
        if bad:
            raise _mismatch(bad, self.names, self.expected)

    def saw(self, info: dict[str, Any]) -> None:
        """A worker found at the run's numbers versions: warned of once where its emofeat
        version differs."""
        if info["address"] in self.seen:
            return
        self.seen.add(info["address"])
        if info["version"] != self.version:
            warnings.warn(
                f"the Dask worker {info['address']} runs emofeat {info['version']} (in "
                f"{info['folder']}), this run {self.version}: its sets compute the same "
                "numbers (the same numbers versions), so its rows are kept; install one "
                "emofeat everywhere", WorkerVersionWarning, stacklevel=2)

    def result(self, future: Any) -> Any:
        """A task's result (:func:`with_warnings`'s), or a :class:`WorkerVersionError` where
        the worker's check failed."""
        try:
            out, info = future.result()
        except RuntimeError as exc:
            details = exc.args[1] if len(exc.args) == 2 else None
            if isinstance(details, dict) and details.get(_CHECK):
                raise _mismatch([details], self.names, self.expected) from None
            raise
        self.saw(info)
        return out


def run_shards(
    func: Callable[[Any, Any], Any],
    plan: Any,
    shards: Sequence[Any],
    scheduler: Any = None,
    n_jobs: int = 1,
) -> Iterator[tuple[Any, Any]]:
    """Run ``func(plan, shard)`` for every shard on a Dask cluster, yielding
    ``(shard, result)`` as tasks finish.

    Every task first checks that the worker's sets (the plan's classes, as the worker's
    emofeat unpickles them) are at the numbers versions they have here, and that it can
    load the plan, the shard and ``func``; the workers connected when the run starts are
    checked before any task is sent.

    Parameters
    ----------
    func : the shard function (importable, so workers can unpickle it)
    plan : what every shard needs; sent to the cluster once
    shards : the shards
    scheduler : str, distributed.Client or None
        Scheduler address or client; ``None`` starts a local cluster.
    n_jobs : int
        Workers of the local cluster (``-1``: one per core).

    Raises
    ------
    ImportError
        ``distributed`` is not installed (``pip install emofeat[dask]``).
    WorkerVersionError
        A worker computes a set's numbers at another numbers version, or cannot load a
        set, the plan, a shard or ``func`` (another emofeat installed there): the run
        stops, the parts of other workers kept, none of its.

    Warns
    -----
    WorkerVersionWarning
        Once per worker whose emofeat version differs while its numbers versions are the
        same.
    """
    try:
        from distributed import Client, LocalCluster, as_completed
    except ImportError as exc:  # pragma: no cover - depends on the environment
        raise ImportError("the dask backend needs dask.distributed: "
                          "pip install 'emofeat[dask]'") from exc
    if not shards:
        return
    with ExitStack() as stack:
        if isinstance(scheduler, Client):
            client = scheduler
        elif scheduler is not None:
            client = stack.enter_context(Client(scheduler))
        else:
            from joblib import effective_n_jobs

            # the workers' preloads of the user's configuration, and this module's
            # (dask_setup: Ctrl-C and SIGTERM are the run's)
            preload, preload_argv = _preloads()
            # the run's end kills the workers of its own cluster still in a shard (they
            # leave Ctrl-C and SIGTERM to the run): the nanny's warning of each, in this
            # process after the run's one line, said what the run asked for
            nanny = logging.getLogger("distributed.nanny")
            nanny.addFilter(_not_killing_noise)
            stack.callback(nanny.removeFilter, _not_killing_noise)
            cluster = stack.enter_context(LocalCluster(
                n_workers=effective_n_jobs(n_jobs), threads_per_worker=1, processes=True,
                dashboard_address=None, preload=preload, preload_argv=preload_argv))
            client = stack.enter_context(Client(cluster))
        log.info("dask: %s", client)
        checks = _Checks(plan)
        checks.connected(client)
        # the worker's warnings come back with the shard (with_warnings); the worker's
        # filters decide. What pickle names goes as bytes, read in the task's check
        [task] = client.scatter([_pickled((with_warnings, func, plan))], broadcast=True)
        n = len(shards)
        futures = client.map(checks.task, [checks.numbers_of] * n, [checks.expected] * n,
                             [checks.classes_pickled] * n, [task] * n, [task.key] * n,
                             [_pickled(s) for s in shards], pure=False)
        by_key = {f.key: s for f, s in zip(futures, shards, strict=True)}
        relay = WarningRelay()
        try:
            for future in as_completed(futures):
                yield by_key[future.key], relay_result(relay,
                                                       lambda f=future: checks.result(f))
        finally:
            client.cancel(futures)
