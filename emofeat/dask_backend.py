"""Run shards on a Dask distributed cluster.

Each shard is one task; the worker that runs it extracts its inputs and writes its own parquet
part straight into the output folder (which must be on a file system every worker sees), and
sends back only counts and error rows. The scheduler can be an existing cluster
(``tcp://host:8786``, a :class:`distributed.Client`), or, when none is given, a
:class:`distributed.LocalCluster` of ``n_jobs`` single-threaded worker processes started for
the run and closed after it.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Iterator, Sequence
from contextlib import ExitStack
from typing import Any

log = logging.getLogger("emofeat.dask")


def run_shards(
    func: Callable[[Any, Any], Any],
    plan: Any,
    shards: Sequence[Any],
    scheduler: Any = None,
    n_jobs: int = 1,
) -> Iterator[tuple[Any, Any]]:
    """Run ``func(plan, shard)`` for every shard on a Dask cluster, yielding
    ``(shard, result)`` as tasks finish.

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

            cluster = stack.enter_context(LocalCluster(
                n_workers=effective_n_jobs(n_jobs), threads_per_worker=1, processes=True,
                dashboard_address=None))
            client = stack.enter_context(Client(cluster))
        log.info("dask: %s", client)
        [plan_future] = client.scatter([plan], broadcast=True)
        futures = client.map(_recording_warnings, [func] * len(shards),
                             [plan_future] * len(shards), shards, pure=False)
        by_key = {f.key: s for f, s in zip(futures, shards, strict=True)}
        seen: dict = {}  # the warnings registry of the whole run: each warning shown once
        try:
            for future in as_completed(futures):
                result, caught = future.result()
                for message, category, filename, lineno in caught:
                    _show(message, category, filename, lineno, seen)
                yield by_key[future.key], result
        finally:
            client.cancel(futures)


#: in a worker process: its own ``warnings.showwarning``, once :func:`_collect` replaced it
_WORKER_SHOW: list[Callable[..., Any]] = []
_LOCAL = threading.local()  # .log: the warnings of the shard this thread runs
_INSTALL = threading.Lock()


def _collect(message, category, filename, lineno, file=None, line=None) -> None:
    """A worker's ``warnings.showwarning``: into the log of the shard the thread runs."""
    log = getattr(_LOCAL, "log", None)
    if log is None:  # not in a shard of ours
        _WORKER_SHOW[0](message, category, filename, lineno, file, line)
    else:
        log.append((str(message), category, filename, lineno))


def _recording_warnings(func: Callable[[Any, Any], Any], plan: Any, shard: Any
                        ) -> tuple[Any, list[tuple[str, type[Warning], str, int]]]:
    """``func(plan, shard)`` on a worker, with the warnings it shows recorded and sent back:
    a remote worker's warnings would otherwise stay in its own log, and a local cluster's
    spawned workers would print them raw, not in the ``emofeat`` program's one-line style.
    The worker's filters still decide (``error`` makes the input fail there, as locally).
    Per thread, not ``warnings.catch_warnings`` (which swaps process-wide state): a worker
    started with ``--nthreads 4`` runs four shards at once."""
    import warnings

    with _INSTALL:
        if not _WORKER_SHOW:
            _WORKER_SHOW.append(warnings.showwarning)
            warnings.showwarning = _collect
    _LOCAL.log = []
    try:
        # entered for its side effect: the warnings registries start afresh, so that a
        # warning shown in an earlier run on this worker is shown (and sent) again; what it
        # restores at the exit is what every shard found (the filters, _collect)
        with warnings.catch_warnings():
            result = func(plan, shard)
    finally:
        caught, _LOCAL.log = _LOCAL.log, None
    return result, caught


def _show(message: str, category: type[Warning], filename: str, lineno: int,
          seen: dict) -> None:
    """A worker's warning, shown here under this process's filters, once per run; a filter
    here that makes it an error only shows it (its input was extracted under the worker's)."""
    import warnings

    try:
        warnings.warn_explicit(message, category, filename, lineno, registry=seen)
    except Warning:
        warnings.showwarning(message, category, filename, lineno)
