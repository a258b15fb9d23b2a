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
from collections.abc import Callable, Iterator, Sequence
from contextlib import ExitStack
from typing import Any

from .schedule import WarningRelay, relay_result, with_warnings

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
        # the worker's warnings come back with the shard; the worker's filters decide
        futures = client.map(with_warnings, [func] * len(shards),
                             [plan_future] * len(shards), shards, pure=False)
        by_key = {f.key: s for f, s in zip(futures, shards, strict=True)}
        relay = WarningRelay()
        try:
            for future in as_completed(futures):
                yield by_key[future.key], relay_result(relay, future.result)
        finally:
            client.cancel(futures)
