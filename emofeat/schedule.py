"""Scheduling: how a run's shards reach the workers.

Shards are runs of consecutive pending inputs. They run in this process (``n_jobs=1``), in
worker processes forked from it once the kernels are loaded (Linux default), in joblib's loky
workers, or on a Dask cluster (:mod:`emofeat.dask_backend`). Every path yields ``(shard,
report)`` pairs as shards finish; the runner puts them back in input order.
"""

from __future__ import annotations

import contextlib
import gc
import logging
import math
import os
import pickle
import sys
import uuid
import warnings
from collections.abc import Callable
from typing import Any

from . import _thread_warnings
from .columns import take_rows
from .compute import Plan, Shard, ShardReport, run_shard
from .errors import option

log = logging.getLogger("emofeat.runner")


#: inputs per shard at most, when the run writes parts: audio and EEG files (about 1-2 ms of
#: work each for MFCC), texts (about 12 us each for the lexicon set: a part costs about 10
#: ms, so 256 texts a part spent most of a text run on its parts: 43,227 texts, 169 parts,
#: 4.0 s against 3.2 s at 2,048 a part)
MOST_PER_PART = {"timed": 256, "text": 4096}


def make_shards(positions, items, ident, keys, store, n_jobs, chunk_size,
                most: int | None = None, forward_files: bool = False) -> list[Shard]:
    """Shards of pending inputs, consecutive in ``positions`` (the run's list of inputs to
    do), of the same size wherever the inputs sit in the whole list: new inputs among inputs
    already done (a folder that gained files here and there) make parts of the usual size,
    not one a run of them. Each part holds its inputs in input order, the parts of one run
    follow each other in it; the end of the run puts them among the rows of earlier runs
    (:meth:`emofeat.store.FeatureStore.finalize`).

    With several workers and no ``chunk_size`` given, the last quarter of the inputs goes in
    shards a quarter of the size of the others, so that the workers finish together: with
    shards of equal size one worker is left alone with the last one for half a shard's time
    on average (0.3-0.5 s of a 3-4 s run of 1,440 files on 2 workers), for a few more parts
    (about 10 ms each as Arrow files). ``most``: the largest shard when ``chunk_size`` is not
    given (default: 32 in memory, :data:`MOST_PER_PART` ``"timed"`` with an output).

    ``forward_files``: the inputs are an audio manifest's segments; consecutive segments of
    one file libsndfile cannot seek in, each starting no more than
    :attr:`~emofeat.segments.ForwardStream.KEEP` seconds before the highest start the
    shard's stream has read (the frames it keeps), stay in one shard, however many (the shard grows
    past its size): the shard reads them forward from the file held open, once, where each
    shard holding some of them decoded the file from its start up to them (with ``-j 2``
    and the default shards, eight segments of one G.721 file decoded its start eight
    times). Only the two inputs on each side of a cut are compared, and a file's
    seekability asked once. With several workers (``n_jobs`` other than 1) such grown shards
    come first in the list, the order they are sent in; the others keep input order."""
    tail_from, tail_size = len(positions), 0
    if chunk_size is None:
        workers = n_workers(n_jobs)
        if most is None:
            most = 32 if store is None else MOST_PER_PART["timed"]
        chunk_size = max(1, min(most, math.ceil(len(positions) / (4 * workers))))
        if workers > 1 and chunk_size >= 4:
            tail_from, tail_size = len(positions) - len(positions) // 4, chunk_size // 4
    runs: list[list[int]] = []
    grown: set[int] = set()  # runs kept together past their size
    stream = _ForwardStreamOfShard(items, ident) if forward_files else None
    for k, p in enumerate(positions):
        size = chunk_size if k < tail_from else tail_size
        if runs and len(runs[-1]) < size:
            runs[-1].append(p)
        elif runs and stream is not None and stream.goes_on(p):
            runs[-1].append(p)
            grown.add(len(runs) - 1)
        else:
            runs.append([p])
        if stream is not None:
            stream.read(p, new_shard=len(runs[-1]) == 1)
    if grown and n_jobs != 1:
        # sent first: placed late, such a shard ran alone at the end while the other
        # workers had nothing left (the runner puts the rows back in input order)
        runs = [r for k, r in enumerate(runs) if k in grown] + [
            r for k, r in enumerate(runs) if k not in grown]
    return [
        Shard(positions=r, items=[items[p] for p in r],
              # the whole manifest in order: itself (iloc copies it)
              ident=ident if len(r) == len(ident) and r[-1] == len(r) - 1 else take_rows(ident, r),
               keys=None if keys is None else [keys[p] for p in r],
               part_name=None if store is None else _part_name(store, r, keys))
        for r in runs
    ]


class _ForwardStreamOfShard:
    """The stream (:class:`emofeat.segments.ForwardStream`) a shard holds open after its
    inputs so far, followed input by input: :meth:`goes_on` whether input ``p`` reads on
    from it. The stream keeps the frames from :attr:`~emofeat.segments.ForwardStream.KEEP`
    seconds before the highest start it has read (since it was opened), not before the
    start of the segment before: a chain of segments each starting 1.5 s before the one it
    follows (7.2, 5.7, 4.2, 2.7, 1.2, 0 s) reopens the file at every other one, so keeping
    them in one shard sent them all to one worker (235,200 frames decoded by it, 192,000
    and 211,200 by two workers at b808095)."""

    def __init__(self, items, ident) -> None:
        from .segments import manifest_spans

        self.items = items
        spans = manifest_spans(ident)
        self.starts = None if spans is None else spans[:, 0]
        self.seekable: dict[str, bool] = {}
        self.last: int | None = None  # the shard's last input
        self.top = math.nan  # the highest start its stream has read since opened

    def _file(self, p: int) -> str | None:
        item = self.items[p]
        return os.fspath(item) if isinstance(item, str | os.PathLike) else None

    def goes_on(self, p: int) -> bool:
        """Whether input ``p`` reads on from the stream of the shard's last input: both are
        one audio file libsndfile cannot seek in (:func:`emofeat.blocks.file_seekable`,
        asked once a file), and ``p`` starts no earlier than the frames the stream keeps. A
        segment starting before them opens the file again in any shard, so keeping it only
        takes work from the other workers (a manifest grouped by emotion lists one file's
        segments out of order: eight such of an 8 s G.721 file all went to one worker, which
        decoded as many frames as two workers together did before). Where the manifest has
        no start, every consecutive segment of the file reads on."""
        from .blocks import file_seekable
        from .segments import ForwardStream

        key = self._file(p)
        if self.last is None or key is None or key != self._file(self.last):
            return False
        # a whole-file row (no start) reads no stream; NaN compares false
        if self.starts is not None and not self.starts[p] >= self.top - ForwardStream.KEEP:
            return False
        if key not in self.seekable:
            # not opened unless a regular file: libsndfile would wait on a named pipe
            self.seekable[key] = not os.path.isfile(key) or file_seekable(key)
        return not self.seekable[key]

    def read(self, p: int, new_shard: bool) -> None:
        """Follow input ``p`` put in the shard (``new_shard``: the first of its shard)."""
        from .segments import ForwardStream

        if self.starts is None:
            self.last = p
            return
        start = self.starts[p]
        same = (not new_shard and self.last is not None
                and self._file(p) is not None and self._file(p) == self._file(self.last))
        # a stream going back past its kept frames opens the file again, from the start
        self.top = (max(self.top, start)
                    if same and start >= self.top - ForwardStream.KEEP else start)
        self.last = p


def _part_name(store, positions: list[int], keys) -> str:
    """The name of a shard's part: numbered by its first input, and, with the inputs' keys,
    by the first input the part holds once written (its first inputs may fail:
    :class:`emofeat.store.PartName`)."""
    name = store.part_name(positions[0])
    if keys is None:
        return name
    from .store import PartName

    return PartName(name, {tuple(keys[p]): p for p in positions})


def n_workers(n_jobs: int) -> int:
    """Worker processes for ``n_jobs`` as joblib counts them (``-1``: one per usable core,
    ``-2``: all but one, ...), without importing joblib (asyncio and loky: 0.05-0.3 s of a
    command's start-up) when the run does not use joblib's workers. A count that is no
    whole number (``0.5``: a ``ZeroDivisionError`` in the shards' sizes; ``2.5``: two; a
    ``bool``; text) is a ``ValueError``."""
    import numbers

    if isinstance(n_jobs, bool) or not isinstance(n_jobs, numbers.Integral):
        raise ValueError(f"n_jobs must be a whole number of worker processes (-1: one per "
                         f"core, None: 1), got {n_jobs!r}")
    if n_jobs == 0:
        raise ValueError(option("n_jobs == 0 has no meaning; use 1 for one process or -1 for "
                                "all cores", "-j 0 has no meaning; use -j 1 for one process "
                                "or -j -1 for all cores"))
    if n_jobs > 0:
        return int(n_jobs)
    try:
        cores = len(os.sched_getaffinity(0))  # the cores this process may run on
    except AttributeError:  # pragma: no cover - not Linux
        cores = os.cpu_count() or 1
    return max(cores + 1 + int(n_jobs), 1)


class _NoBar:
    """What ``progress=False`` gets: the progress bar's methods, doing nothing (tqdm is not
    imported: 0.03-0.2 s of start-up, asyncio included, for a bar nobody sees)."""

    def __enter__(self) -> _NoBar:
        return self

    def __exit__(self, *exc: object) -> None:
        return None

    def update(self, n: int = 1) -> None:
        return None

    def set_postfix(self, *args: object, **kwargs: object) -> None:
        return None


def progress_bar(total: int, progress: bool):
    """A tqdm bar over ``total`` inputs, or a stand-in that shows nothing."""
    if not progress:
        return _NoBar()
    if "IPython" in sys.modules:  # a notebook may be running us: tqdm picks its widget
        from tqdm.auto import tqdm
    else:  # a terminal: tqdm.auto would import asyncio to find out
        from tqdm import tqdm

    return tqdm(total=total, unit="file", dynamic_ncols=True, smoothing=0.1)


def loky_shards(plan: Plan, shards: list[Shard], n_jobs: int):
    """Shards in joblib's loky worker processes, yielded as they finish.

    Every worker starts with :func:`_start_loky_worker`, so that it ends when this process
    does, even by SIGKILL (a loky worker would otherwise wait for work, 300 s by default).
    The initializer and its argument are the same at every run of this process, so that
    joblib reuses its executor (and workers) from one run to the next, as before. The
    warnings of a shard come back with it (:func:`with_warnings`), under this process's
    filters, which a spawned worker does not inherit: each task takes them along. The
    ``emofeat`` program's display of warnings (one line each) goes to the workers too, for
    what they show outside a shard."""
    from joblib import Parallel, delayed, parallel_config

    shown = _thread_warnings.display()  # the caller's, not the one catching per thread
    show = shown if getattr(shown, "for_workers", False) else None
    with parallel_config(backend="loky", initializer=_start_loky_worker,
                         initargs=(os.getpid(), show)):
        parallel = Parallel(n_jobs=n_jobs, return_as="generator_unordered")
    relay, filters = WarningRelay(), list(warnings.filters)
    results = iter(parallel(delayed(with_warnings)(_shard_pair, plan, s, filters=filters)
                            for s in shards))
    while True:
        try:
            yield relay_result(relay, lambda: next(results))
        except StopIteration:
            return


#: seconds between a loky worker's looks at its parent process
_PARENT_WATCH_S = 0.2


def _start_loky_worker(driver: int, show: object = None) -> None:
    """A loky worker's start (POSIX): end when the process that started it ends, and show
    warnings with ``show`` (the ``emofeat`` program's ``warnings.showwarning``), if given.

    Not ``PR_SET_PDEATHSIG`` as in forked workers (:func:`_die_with_parent`): that signal
    comes when the *thread* that started the worker ends, and loky's executor outlives it
    (joblib reuses it from run to run, and it may start workers from its own thread or from
    a run in a thread that ends). A thread of the worker looks at its parent instead, every
    0.2 s (a system call), and ends the worker when the parent has changed: the parent died
    and the worker was handed to init (or a subreaper). ``driver``: the run's process, the
    parent (a worker whose parent is already gone when it starts ends at once)."""
    if show is not None:
        warnings.showwarning = show  # type: ignore[assignment]
    if os.name != "posix":  # pragma: no cover - Windows: no reparenting to look for
        return
    import threading

    parent = os.getppid()
    if parent != driver:  # the driver died before this (or another start method)
        try:
            os.kill(driver, 0)
        except ProcessLookupError:
            os._exit(1)
        except OSError:  # pragma: no cover - alive, another user's (pid reused)
            pass
    threading.Thread(target=_watch_parent, args=(parent,), name="emofeat-parent-watch",
                     daemon=True).start()


def _watch_parent(parent: int) -> None:
    """In a loky worker: end the process (without exit handlers: nothing of a run that is
    gone may be written) once its parent is no longer ``parent``."""
    import time

    while os.getppid() == parent:
        time.sleep(_PARENT_WATCH_S)
    os._exit(1)


def _die_with_parent(parent: int) -> None:
    """In a forked worker: end when the run that started it ends, even by SIGKILL (Linux
    ``PR_SET_PDEATHSIG``); a worker would otherwise wait for work forever."""
    import ctypes
    import signal

    if sys.platform.startswith("linux"):
        try:
            libc = ctypes.CDLL(None, use_errno=True)
            libc.prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
        except (OSError, AttributeError):  # pragma: no cover - unusual libc
            pass
    if os.getppid() != parent:  # the run ended before the line above
        os._exit(1)


def _shard_pair(plan: Plan, shard: Shard) -> tuple[Shard, ShardReport]:
    return shard, run_shard(plan, shard)


#: in a worker process: the plan of the run it works for, unpickled once (run token, plan)
_PLAN: list[tuple[str, Plan]] = []


def _run_with_plan(token: str, blob: bytes, shard: Shard) -> ShardReport:
    """:func:`run_shard` in a worker with the run's plan unpickled once per worker, not once
    per shard: each unpickled plan has fresh extractors, whose per-parameter set-up (filter
    banks, windows, readers) was made again for every shard (30-50 ms of CPU a shard)."""
    global _IN_SHARD
    if not _PLAN or _PLAN[0][0] != token:
        _PLAN[:] = [(token, pickle.loads(blob))]
    _IN_SHARD = True
    try:
        return run_shard(_PLAN[0][1], shard)
    finally:
        _IN_SHARD = False


#: in a forked worker: whether it is running a shard (:func:`_worker_interrupted`)
_IN_SHARD = False


def _worker_interrupted(signum: int, frame: object) -> None:
    """A forked worker's SIGINT: Ctrl-C reaches every process of the terminal's group. A
    shard being computed stops (KeyboardInterrupt, as in the run itself, which ends); a
    worker waiting for work ends without a word: each printed the traceback of its
    KeyboardInterrupt in the queue's read (one per worker, after the run's own one-line
    message, when Ctrl-C came during the final merge or near the end)."""
    if _IN_SHARD:
        raise KeyboardInterrupt
    raise SystemExit(130)


def _start_worker(parent: int, unblock: tuple[int, ...] = ()) -> None:
    """A forked worker's start: end with the run (:func:`_die_with_parent`), and let glibc
    keep freed memory for the next file (:func:`emofeat.blocks.keep_freed_memory`, as the
    ``emofeat`` program sets it for itself): the worker is the run's own process, analysing
    file after file, also when the run was started from the Python API. Ctrl-C: see
    :func:`_worker_interrupted`. SIGTERM ends the worker at once (the run ends its workers
    with it), whatever the run's own process does with it (the ``emofeat`` program raises
    it there as an interrupt). ``unblock``: the signals blocked for the fork
    (:class:`ForkPool`), unblocked once the worker's handlers are set."""
    import signal

    from .blocks import keep_freed_memory

    _die_with_parent(parent)
    keep_freed_memory()
    signal.signal(signal.SIGINT, _worker_interrupted)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    if unblock:
        signal.pthread_sigmask(signal.SIG_UNBLOCK, set(unblock))


def _block_interrupts() -> set | None:
    """Block SIGINT and SIGTERM in this thread; the mask before (``None``: no such call
    here)."""
    import signal

    if not hasattr(signal, "pthread_sigmask"):
        return None
    return set(signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT, signal.SIGTERM}))


class ForkPool:
    """Worker processes forked from this one at the start of a run (POSIX).

    The kernels are loaded here first (compiled once if the disk cache is cold), so that
    every worker inherits them, with Numba's library of implementations, instead of loading
    them again (0.3-0.5 s of CPU each). The workers are forked before the run reads the
    output's rows, takes its lock or starts any thread (pyarrow's, Numba's threading layer:
    the kernels are serial), which makes forking safe, and they start while this process
    plans the run. Only the keys the output holds are read before, from its parquet files'
    footers, which starts no thread (:func:`emofeat.store.keys_held`): a run with nothing
    left to do starts no pool.
    """

    def __init__(self, extractors: list, workers: int) -> None:
        import multiprocessing as mp
        from concurrent.futures import ProcessPoolExecutor

        # what a set says of its own made-up warmup input is no input's: a serial run, which
        # warms up nothing, would not say it. Caught in this thread and dropped (always: a
        # filter turning it into an error does not stop the run), not
        # catch_warnings + simplefilter("ignore"), which silenced every thread of the caller
        # meanwhile (a program extracting from several threads)
        with _thread_warnings.caught(always=True):
            for ext in extractors:
                if hasattr(ext, "warmup"):
                    ext.warmup()
        self.workers = int(workers)
        # objects that exist now are left out of the workers' garbage collections, which
        # would otherwise walk (and so copy, page by page) the whole inherited heap
        gc.freeze()
        import signal

        # Ctrl-C during the fork was lost: the KeyboardInterrupt was raised in an at-fork
        # callback (logging's), where CPython prints and drops it, and the run went on to
        # exit 0. SIGINT (and SIGTERM, an interrupt too in the emofeat program) waits,
        # blocked, until the workers are forked (each unblocks it once its handlers are
        # set) and is then raised here, the workers ended at once
        before = _block_interrupts()
        unblock = () if before is None else tuple(
            int(s) for s in (signal.SIGINT, signal.SIGTERM) if s not in before)
        # the mask is this thread's: a signal sent to the process goes to a thread that does
        # not block it (OpenBLAS's), and its Python handler then ran here, in an at-fork
        # callback, and was dropped (review RM). The handlers only note it meanwhile
        import threading

        held: list[int] = []
        saved: dict = {}
        try:
            if threading.current_thread() is threading.main_thread():
                for s in (signal.SIGINT, signal.SIGTERM):
                    if callable(signal.getsignal(s)):
                        saved[s] = signal.signal(s, lambda signum, frame: held.append(signum))
            self.executor = ProcessPoolExecutor(
                self.workers, mp_context=mp.get_context("fork"), initializer=_start_worker,
                initargs=(os.getpid(), unblock))
            self.executor.submit(int)  # forked workers start with the first task, all at once
            # kept: a pool broken by a dead worker drops it, and ends the others (SIGTERM)
            self.processes = list((getattr(self.executor, "_processes", None) or {}).values())
            # kept too: a shutdown without waiting (forked_shards' early stop) forgets it,
            # and a later shutdown(wait=True) then waited for nothing (close)
            self.manager = getattr(self.executor, "_executor_manager_thread", None)
        finally:
            # every handler put back and the mask undone, whatever a handler put back first
            # raises meanwhile, wherever it is raised (a check of getsignal too): the whole
            # restore is retried until done, the first such exception raised after
            first: BaseException | None = None
            done = False
            try:
                while not done:
                    try:
                        for s, handler in saved.items():
                            if signal.getsignal(s) is not handler:
                                signal.signal(s, handler)
                        if unblock:
                            signal.pthread_sigmask(signal.SIG_UNBLOCK, set(unblock))
                        done = True
                    except BaseException as exc:  # raised below
                        first = first or exc
                for s in dict.fromkeys(held):  # each signal that came, once, in order
                    try:  # every handler runs, as CPython runs each pending one
                        signal.raise_signal(s)
                    except BaseException as exc:  # raised below
                        first = first or exc
                if first is not None:
                    raise first
            except BaseException:  # the Ctrl-C (or SIGTERM) that came meanwhile, ...
                if hasattr(self, "processes"):
                    self.close(now=True)
                raise

    def close(self, now: bool = False) -> None:
        """Wait for the workers to end (each finishes its task; queued tasks are dropped), or
        (``now``: the run was interrupted, Ctrl-C) end them at once: the shards they compute
        are lost as in a run killed, and done again by the next run. Waiting, Ctrl-C took as
        long as every shard running and queued (up to one more than the workers: a minute
        for shards of 256 files of a second each); loky's workers end at once too."""
        try:
            if now:
                for proc in self.processes:
                    proc.terminate()
            self.executor.shutdown(wait=True, cancel_futures=True)
            # the shards begun, where forked_shards' early stop has already shut the
            # executor down without waiting: the run returned (raised) with its workers
            # still writing parts, its output's lock released (review RA of 392638de)
            manager = getattr(self, "manager", None)
            if manager is not None:
                manager.join()
        finally:
            gc.unfreeze()

    def __enter__(self) -> ForkPool:
        return self

    def __exit__(self, exc_type, *_) -> None:
        # Ctrl-C ends the workers now; any other end waits for them
        self.close(now=exc_type is not None and issubclass(exc_type, KeyboardInterrupt))


def start_fork_pool(extractors: list, n_jobs: int, n_items: int) -> ForkPool | None:
    """A :class:`ForkPool` of ``n_jobs`` workers (at most one per input), or ``None`` where
    this process may not have children (a daemon process of someone else's pool) or there is
    not more than one input."""
    import multiprocessing as mp

    workers = min(n_workers(n_jobs), n_items)
    if workers <= 1 or mp.current_process().daemon:
        return None
    return ForkPool(extractors, workers)


def forked_shards(plan: Plan, shards: list[Shard], n_jobs: int, pool: ForkPool | None = None):
    """Shards in worker processes forked from this one, yielded as they finish.

    With a ``pool`` started at the beginning of the run (:func:`start_fork_pool`), its
    workers; otherwise workers forked now. Either way the kernels are loaded before the fork
    and shared. The kernels are serial (no threads), which makes forking safe for them. The
    warnings of a shard come back with it (:func:`with_warnings`); the workers have the
    filters this process had when they were forked, at the start of the run.
    """
    import multiprocessing as mp
    from concurrent.futures import as_completed
    from concurrent.futures.process import BrokenProcessPool

    if pool is None and mp.current_process().daemon:  # in someone else's pool: no children
        log.info("running serially: this process may not start worker processes")
        yield from ((s, run_shard(plan, s)) for s in shards)
        return
    own = pool is None
    if own:
        pool = ForkPool(plan.extractors, min(n_workers(n_jobs), len(shards)))
    with pool if own else contextlib.nullcontext():
        token, blob = uuid.uuid4().hex, pickle.dumps(plan, protocol=pickle.HIGHEST_PROTOCOL)
        futures = {pool.executor.submit(with_warnings, _run_with_plan, token, blob, s): s
                   for s in shards}
        relay = WarningRelay()
        # the shards not begun when the run ends early (an error, --fail-fast, Ctrl-C,
        # SIGTERM) are dropped at once, by the executor's own thread (shutdown with
        # cancel_futures, not waiting), not cancelled from this one: that thread fails every
        # pending shard once a worker has died, and a shard cancelled here meanwhile (SIGTERM
        # to the whole group: the workers die as this thread stops) raised InvalidStateError
        # there. The thread then ended without closing its queue to the workers, whose
        # feeder thread waited forever, at the process' exit, on a pipe no worker read (3
        # runs of about 200 under load). Left to the pool's end (ForkPool.close), the
        # workers went on taking shards until then, the store's close included
        try:
            for future in as_completed(futures):
                try:
                    report = relay_result(relay, future.result)
                except BrokenProcessPool as exc:
                    raise worker_died(pool) from exc
                yield futures[future], report
        except BaseException:  # GeneratorExit too: the caller stopped early
            pool.executor.shutdown(wait=False, cancel_futures=True)
            raise


class WorkerDiedError(RuntimeError):
    """A worker process of a run ended without finishing its shard (killed by the system for
    lack of memory, or a crash in a library)."""


def worker_died(pool: ForkPool) -> WorkerDiedError:
    """What to tell of a pool broken by a dead worker: how it died, that the parts written
    are kept, and what to try (it was Python's "A process in the process pool was terminated
    abruptly while the future was running or pending")."""
    import signal

    for p in pool.processes:
        p.join(0.1)  # reaped: its exit code known
    # the one that died first, not those the broken pool ended with SIGTERM
    codes = sorted((p.exitcode for p in pool.processes if p.exitcode),
                   key=lambda c: c == -signal.SIGTERM)
    code = codes[0] if codes else None
    if code == -signal.SIGKILL:
        how = ("killed by SIGKILL, most often the system's out-of-memory killer: if memory "
               f"ran out, use fewer workers ({option('n_jobs', '-j')}) or read long recordings "
               f"in blocks ({option('long_file_seconds', '--long-file')})")
    elif code is not None and code < 0:
        try:
            name = signal.Signals(-code).name
        except ValueError:
            name = f"signal {-code}"
        how = f"killed by {name}: a crash in a library, or killed from outside"
    else:
        how = "it ended abruptly" + (f" with exit code {code}" if code is not None else "")
    return WorkerDiedError(
        f"a worker process died while extracting ({how}). The inputs of the parts written "
        "so far are kept: " + option("run again with the same output",
                                     "run the same command again (the same output)")
        + " to resume from them")


def run_shards(plan: Plan, shards: list[Shard], *, backend: str, n_jobs: int, scheduler=None,
               pool: ForkPool | None = None):
    """Every shard's ``(shard, report)``, as they finish, on the chosen backend (``pool``:
    forked workers started earlier in the run, for the fork backend)."""
    if backend == "dask":
        from .dask_backend import run_shards as dask_shards

        return dask_shards(run_shard, plan, shards, scheduler, n_jobs)
    if n_jobs == 1 or len(shards) <= 1:
        return ((s, run_shard(plan, s)) for s in shards)
    plan.driver_pid = os.getpid()
    if backend == "fork":
        return forked_shards(plan, shards, n_jobs, pool)
    return loky_shards(plan, shards, n_jobs)


def check_scheduler(scheduler: Any) -> None:
    """Refuse a blank scheduler address, for ``run`` and ``emofeat extract --scheduler``.

    Passed on, it reached Dask after the inputs were listed, whose "missing port number in
    address ''" named no parameter.

    Parameters
    ----------
    scheduler : str, distributed.Client or None
        What the caller gave as the scheduler.

    Raises
    ------
    ValueError
        ``scheduler`` is an empty or blank string; the message names the parameter (the
        option, in the command).
    """
    if isinstance(scheduler, str) and not scheduler.strip():
        raise ValueError(option(
            f"scheduler must be the address of a Dask scheduler (tcp://host:8786) or a "
            f"distributed.Client, got {scheduler!r}",
            f"expected a Dask scheduler address (tcp://host:8786), got {scheduler!r}"))


def choose_backend(backend: str, scheduler=None) -> str:
    """``fork``, ``loky`` or ``dask`` from the user's choice (``auto``: fork on Linux)."""
    check_scheduler(scheduler)
    if scheduler is not None:
        backend = "dask"
    if backend == "auto":
        backend = "fork" if sys.platform.startswith("linux") else "loky"
    if backend == "fork" and not hasattr(os, "fork"):
        raise ValueError(option("backend='fork' needs a POSIX system; use 'loky'",
                                "--backend fork needs a POSIX system; use --backend loky"))
    if backend not in ("fork", "loky", "dask"):
        raise ValueError(f"backend must be 'auto', 'fork', 'loky' or 'dask', got {backend!r}")
    return backend


#: a warning shown in a worker: message, category, file and line of the code that warned
Caught = _thread_warnings.Caught

#: the attribute of a shard's exception holding the warnings the shard showed before it
_CAUGHT_ATTR = "emofeat_shard_warnings"


def with_warnings(func: Callable[..., Any], *args: Any, filters: list | None = None
                  ) -> tuple[Any, list[Caught]]:
    """``func(*args)`` in a worker process (forked, loky's, a Dask worker's), and the
    warnings it showed, for :class:`WarningRelay` to show in the run's process. Otherwise a
    forked worker's warnings went to its copy of the caller's ``catch_warnings(record=True)``
    list (lost), a loky worker printed them raw on stderr, and a remote Dask worker kept them
    in its own log. The worker's filters decide what it shows (``error`` makes the input fail
    there, as in a serial run); ``filters``: the run's, for a worker that does not inherit
    them (spawned; loky's workers run one task at a time, so that they are set for the task
    with ``warnings.catch_warnings``). Otherwise nothing process-wide is swapped (the
    warnings are caught per thread: :func:`emofeat._thread_warnings.caught`): a Dask worker
    started with ``--nthreads 4`` runs four shards at once, and ``catch_warnings`` there let
    one shard's warnings into another's list, or left the worker sending none. Where
    ``func`` raises, the warnings shown before go with the exception (:func:`relay_result`
    shows them before it is raised again: ``--fail-fast`` said nothing of a cut file that
    came before the broken one in its shard)."""
    with (warnings.catch_warnings() if filters is not None else contextlib.nullcontext()):
        if filters is not None:
            warnings.filters[:] = filters
        # the registries start afresh (caught does so), so that a warning shown in an earlier
        # shard or run on this worker is shown (and sent) again; the run's process shows it
        # once (WarningRelay)
        with _thread_warnings.caught() as log:
            try:
                result = func(*args)
            except BaseException as exc:
                with contextlib.suppress(AttributeError, TypeError):
                    setattr(exc, _CAUGHT_ATTR, list(log))
                raise
    return result, log


def relay_result(relay: WarningRelay, get: Callable[[], tuple[Any, list[Caught]]]) -> Any:
    """The result of a shard's :func:`with_warnings` (``get``: the future's ``result``),
    with its warnings shown by ``relay``; where the shard raised, those it showed before are
    shown, then its exception raised."""
    try:
        result, log = get()
    except BaseException as exc:
        log = getattr(exc, _CAUGHT_ATTR, None)
        if log is not None:
            with contextlib.suppress(AttributeError):
                delattr(exc, _CAUGHT_ATTR)
            relay(log)
        raise
    relay(log)
    return result


class WarningRelay:
    """Shows, in the run's process, the warnings its workers sent back (:func:`with_warnings`),
    as a serial run shows them: under this process's filters and display, which
    ``warnings.catch_warnings(record=True)``, ``pytest.warns`` and the ``emofeat`` program's
    one-line style see, each under the module that warned (for filters naming a module, and
    its registry). A warning of the same text from the same line is shown once a run unless
    a filter says ``always``: each shard's worker starts its registries afresh, so every
    shard sends it, and the registries here are emptied whenever a library changes the
    filters (pandas does, inside the run), which showed a repeat again."""

    def __init__(self) -> None:
        self._shown: set[tuple] = set()
        self._seen: dict = {}  # the registry of warnings of no module here (remote workers)
        self._modules: dict[str | None, Any] = {}
        self._n_modules = 0

    def _module(self, filename: str) -> Any:
        """The module of this process whose file warned; looked for again when modules were
        imported since (a set's own, imported as its first input is analysed)."""
        if filename not in self._modules and len(sys.modules) != self._n_modules:
            self._n_modules = len(sys.modules)
            self._modules.update((getattr(m, "__file__", None), m)
                                 for m in list(sys.modules.values()))
        return self._modules.get(filename)

    def __call__(self, caught: list[Caught]) -> None:
        for message, category, filename, lineno in caught:
            mod = self._module(filename)
            # a worker's file that is no module here: Python's own name for it
            name = mod.__name__ if mod is not None else (
                filename[:-3] if filename.endswith(".py") else filename)
            key = (message, category, name, lineno)
            if key in self._shown and _action(message, category, name, lineno) != "always":
                continue
            self._shown.add(key)
            registry = (self._seen if mod is None
                        else vars(mod).setdefault("__warningregistry__", {}))
            try:
                warnings.warn_explicit(message, category, filename, lineno, module=name,
                                       registry=registry)
            except Warning:  # an error here only: the worker's filters let its input pass
                warnings.showwarning(message, category, filename, lineno)


def _action(message: str, category: type[Warning], module: str, lineno: int) -> str:
    """What this process's filters do with a warning: Python's rule (the first filter that
    matches, else ``warnings.defaultaction``)."""
    for action, text, cat, mod, line in warnings.filters:
        if ((text is None or text.match(message)) and issubclass(category, cat)
                and (mod is None or mod.match(module)) and line in (0, lineno)):
            return action
    return warnings.defaultaction
