"""Run extractors over many inputs: shared decoding, parallel files, recorded failures.

:func:`run` is what the CLI, :func:`emofeat.extract` and ``Extractor.extract`` go through.
Each input is decoded and resampled once per distinct analysis rate, however many feature
sets are asked for; inputs are processed in chunks by joblib worker processes when
``n_jobs > 1``; output order is input order whatever ``n_jobs`` is.
"""

from __future__ import annotations

import datetime as _dt
import gc
import logging
import math
import os
import platform
import sys
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from ._version import __version__
from .audio import Audio
from .blocks import blockwise_features, file_seconds, supports_blocks
from .errors import InputError
from .segments import FixedSegments, manifest_spans, parse_duration, read_span, slice_audio
from .table import FeatureTable, _jsonable

log = logging.getLogger("emofeat.runner")

ERROR_COLUMNS = ["path", "stage", "error_type", "message"]


@dataclass
class RunResult:
    """What a run produced.

    Attributes
    ----------
    table : FeatureTable or None
        Features of every input that succeeded (``None`` if none did, or when the run wrote
        to an ``output``: read it with :meth:`FeatureTable.read_parquet`).
    errors : DataFrame
        One row per failed input: ``path``, ``stage`` (``read`` or ``extract``),
        ``error_type``, ``message``.
    n_inputs : int
        Inputs given (files, or manifest rows).
    seconds : float
        Wall time of the run.
    audio_seconds : float
        Total duration of the inputs processed in this run that succeeded.
    n_skipped : int
        Inputs skipped because the output already held them (resume).
    n_segments : int
        Segments analysed (one per input unless cutting into windows).
    n_rows : int
        Rows produced in this run.
    output : str or None
        Where the rows were written.
    """

    table: FeatureTable | None
    errors: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=ERROR_COLUMNS))
    n_inputs: int = 0
    seconds: float = 0.0
    audio_seconds: float = 0.0
    n_skipped: int = 0
    n_segments: int = 0
    n_rows: int | None = None
    output: str | None = None

    def __post_init__(self) -> None:
        if self.n_rows is None:
            self.n_rows = 0 if self.table is None else len(self.table)

    @property
    def n_failed(self) -> int:
        return len(self.errors)

    def read(self) -> FeatureTable | None:
        """The features: the table in memory, or the whole ``output`` read back (rows of
        earlier runs included)."""
        if self.table is not None or self.output is None:
            return self.table
        return FeatureTable.read_parquet(self.output)

    def summary(self) -> str:
        """One line: files, done, skipped, failed, segments, rows, time, times real time."""
        speed = self.audio_seconds / self.seconds if self.seconds > 0 else float("nan")
        done = self.n_inputs - self.n_failed - self.n_skipped
        skipped = f"{self.n_skipped} skipped (already done), " if self.n_skipped else ""
        return (
            f"{self.n_inputs} inputs, {done} done, {skipped}{self.n_failed} failed, "
            f"{self.n_segments} segments, {self.n_rows} rows, {self.seconds:.1f} s "
            f"({speed:.0f}x real time)"
        )


def normalize_inputs(inputs: Any) -> tuple[list[Any], pd.DataFrame]:
    """Split inputs into the items to process and their identity columns.

    A DataFrame is a manifest: its ``path`` column is processed and every column is carried
    into the output. A list may hold paths, arrays or ``(array, sr)`` pairs; arrays are named
    ``<array i>`` in the ``path`` column.
    """
    if isinstance(inputs, pd.DataFrame):
        if "path" not in inputs.columns:
            raise ValueError("a manifest needs a 'path' column")
        ident = inputs.reset_index(drop=True).copy()
        ident["path"] = ident["path"].map(os.fspath)
        return list(ident["path"]), ident
    if isinstance(inputs, str | os.PathLike):
        inputs = [inputs]
    items = list(inputs)
    paths = [
        os.fspath(it) if isinstance(it, str | os.PathLike) else f"<array {i}>"
        for i, it in enumerate(items)
    ]
    return items, pd.DataFrame({"path": paths})


ROW_GROUP = 65_536  # rows per parquet row group in parts

_CAUGHT = (InputError, ValueError, OSError, RuntimeError, FloatingPointError)


@dataclass
class _Plan:
    """Everything a shard needs, sent once to each worker task (picklable)."""

    extractors: list[Any]
    level: str
    names: list[str]
    provenance: dict[str, Any]
    catch: bool
    segments: FixedSegments | None = None
    spans: bool = False
    long_file_seconds: float | None = 600.0
    block_seconds: float = 60.0
    part_dir: str | None = None
    schema: Any = None  # pyarrow.Schema of a part, in store mode
    driver_pid: int | None = None  # set for local worker processes (loky)


@dataclass
class _Shard:
    positions: list[int]
    items: list[Any]
    ident: pd.DataFrame
    keys: list[tuple] | None = None
    part_name: str | None = None


@dataclass
class _ShardReport:
    first: int = 0  # position of the shard's first input
    n_ok: int = 0
    n_segments: int = 0
    n_rows: int = 0
    audio_seconds: float = 0.0
    errors: list[tuple[str, str, str, str]] = field(default_factory=list)
    table: FeatureTable | None = None
    part: str | None = None


def align_frames(rows: np.ndarray, times: np.ndarray, ref_times: np.ndarray) -> np.ndarray:
    """Frame rows of one set resampled onto another set's frame times (frame-level runs).

    Sets with different frame rates land in one table on the frames of the *first* set: each
    reference time takes the row of the frame whose time (centre) is nearest, the earlier one
    on a tie; no interpolation, so every value is one the set computed. Rows whose times
    already match are returned unchanged.
    """
    if rows.shape[0] == ref_times.shape[0] and np.allclose(times, ref_times, atol=1e-9):
        return rows
    if rows.shape[0] == 0:
        return np.full((ref_times.shape[0], rows.shape[1]), np.nan)
    if times.shape[0] == 1:
        return rows[np.zeros(ref_times.shape[0], dtype=np.int64)]
    right = np.clip(np.searchsorted(times, ref_times), 1, times.shape[0] - 1)
    left = right - 1
    nearest = np.where(ref_times - times[left] <= times[right] - ref_times, left, right)
    return rows[nearest]


def _rows_of(extractors: Sequence[Any], audio_of) -> tuple[np.ndarray, np.ndarray]:
    """Rows of every set for one signal, columns side by side (``audio_of(ext)`` gives the
    signal at the set's rate)."""
    blocks, times = [], None
    for ext in extractors:
        rows, t = ext.features_of(audio_of(ext))
        if blocks and t.size and times is not None and times.size:
            rows = align_frames(rows, t, times)
        blocks.append(np.asarray(rows, dtype=np.float64))
        if times is None:
            times = t
    return (blocks[0] if len(blocks) == 1 else np.concatenate(blocks, axis=1)), times


def _process_one(
    plan: _Plan, item: Any, position: int, span: tuple[float, float] | None = None
) -> dict[str, Any]:
    """Features of one input (a file, an array, or one manifest segment of a file).

    Returns ``{"ok": True, "pieces": [(start, end, rows, times), ...], "duration", "orig_sr",
    "orig_channels"}`` or ``{"ok": False, "stage", "exc"}``.
    """
    exts = plan.extractors
    stage = "read"
    try:
        is_path = isinstance(item, str | os.PathLike)
        long_file = False
        if is_path and span is None and plan.long_file_seconds is not None:
            seconds = file_seconds(item)
            long_file = seconds is not None and seconds > plan.long_file_seconds
        if long_file and plan.segments is not None:
            # long file cut in windows: read each window on its own
            spans = [(a / 1000.0, b / 1000.0)
                     for a, b in plan.segments.spans(int(round(seconds * 1000)), 1000)]
            return _process_spans(exts, item, spans, seconds)
        if long_file and all(supports_blocks(e) for e in exts):
            return _process_blocks(plan, item)
        if span is not None:
            return _process_spans(exts, item, [span], None, manifest=True)
        audio_by_sr: dict[int, Audio] = {}

        def audio_of(ext: Any) -> Audio:
            sr = int(ext.sr)
            if sr not in audio_by_sr:
                audio_by_sr[sr] = ext.to_audio(item, position)
            return audio_by_sr[sr]

        for ext in exts:
            audio_of(ext)
        first = audio_by_sr[int(exts[0].sr)]
        stage = "extract"
        pieces = []
        if plan.segments is None:
            rows, times = _rows_of(exts, audio_of)
            pieces.append((0.0, first.duration, rows, times))
        else:
            shortest = _min_seconds(exts)
            spans = plan.segments.spans(first.y.shape[0], first.sr)
            for k, (a, b) in enumerate(spans):
                if k and (b - a) / first.sr < shortest:
                    continue  # a tail window too short to analyse
                t0, t1 = a / first.sr, b / first.sr

                def seg_of(ext: Any, t0: float = t0, t1: float = t1) -> Audio:
                    au = audio_of(ext)
                    return slice_audio(au, int(round(t0 * au.sr)), int(round(t1 * au.sr)))

                rows, times = _rows_of(exts, seg_of)
                pieces.append((t0, t1, rows, times + t0 if times.size else times))
        return {"ok": True, "pieces": pieces, "duration": first.duration,
                "orig_sr": first.orig_sr, "orig_channels": first.orig_channels}
    except _CAUGHT as exc:
        return {"ok": False, "stage": stage, "exc": exc}


def _min_seconds(exts: Sequence[Any]) -> float:
    """The shortest signal every set can analyse, in seconds."""
    return max(int(getattr(e, "min_samples", lambda: 1)()) / float(e.sr) for e in exts)


def _process_spans(
    exts: Sequence[Any],
    path: str | os.PathLike,
    spans: Sequence[tuple[float, float]],
    duration: float | None,
    manifest: bool = False,
) -> dict[str, Any]:
    """Segments read one by one from disk (manifest segments, or windows of a long file;
    ``duration``: of the whole file, ``None`` to count the segments' own)."""
    pieces, first = [], None
    shortest = _min_seconds(exts)
    for k, (t0, t1) in enumerate(spans):
        if not manifest and k and t1 - t0 < shortest:
            continue  # a tail window too short to analyse
        cache: dict[int, Audio] = {}

        def audio_of(ext: Any, t0: float = t0, t1: float = t1,
                     cache: dict[int, Audio] = cache) -> Audio:
            sr = int(ext.sr)
            if sr not in cache:
                cache[sr] = read_span(path, sr, t0, t1, resample=getattr(ext, "resample", True))
            return cache[sr]

        try:
            for ext in exts:
                audio_of(ext)
        except _CAUGHT as exc:
            return {"ok": False, "stage": "read", "exc": exc}
        au = cache[int(exts[0].sr)]
        first = first or au
        try:
            rows, times = _rows_of(exts, audio_of)
        except _CAUGHT as exc:
            return {"ok": False, "stage": "extract", "exc": exc}
        end = t0 + au.duration
        pieces.append((t0, end, rows, times + t0 if times.size else times))
    return {"ok": True, "pieces": pieces,
            "duration": duration if duration is not None else first.duration,
            "orig_sr": first.orig_sr, "orig_channels": first.orig_channels}


def _process_blocks(plan: _Plan, path: Any) -> dict[str, Any]:
    """A long file, block by block, one set after the other."""
    parts, times, stub = [], None, None
    for ext in plan.extractors:
        try:
            rows, t, stub = blockwise_features(ext, path, block_seconds=plan.block_seconds)
        except _CAUGHT as exc:
            return {"ok": False, "stage": "extract", "exc": exc}
        if parts and t.size and times is not None and times.size:
            rows = align_frames(rows, t, times)
        parts.append(rows)
        times = t if times is None else times
    rows = parts[0] if len(parts) == 1 else np.concatenate(parts, axis=1)
    return {"ok": True, "pieces": [(0.0, stub.duration, rows, times)],
            "duration": stub.duration, "orig_sr": stub.orig_sr,
            "orig_channels": stub.orig_channels}


def _error_row(path: str, res: dict[str, Any]) -> tuple[str, str, str, str]:
    exc = res["exc"]
    message = exc.problem if isinstance(exc, InputError) else str(exc)
    return (path, res["stage"], type(exc).__name__, message)


def _assemble(plan: _Plan, ident: pd.DataFrame, done: list[tuple[int, dict]]) -> FeatureTable:
    """One table from the results of some inputs (``done``: local row in ``ident``, result)."""
    rows, local, starts, ends, srs, chans, frames, times = [], [], [], [], [], [], [], []
    for i, res in done:
        for t0, t1, r, t in res["pieces"]:
            n = r.shape[0]
            rows.append(r)
            local.append(np.full(n, i, dtype=np.int64))
            starts.append(np.full(n, t0))
            ends.append(np.full(n, t1))
            srs.append(np.full(n, res["orig_sr"], dtype=np.int64))
            chans.append(np.full(n, res["orig_channels"], dtype=np.int64))
            if plan.level == "lld":
                frames.append(np.arange(n, dtype=np.int64))
                times.append(np.asarray(t, dtype=np.float64))
    index = ident.iloc[np.concatenate(local)].reset_index(drop=True)
    added = {"start": starts, "end": ends, "orig_sr": srs, "orig_channels": chans}
    if plan.level == "lld":
        added["frame"] = frames
        added["time"] = times
    for col, values in added.items():
        if col not in index.columns:
            index[col] = np.concatenate(values)
    X = rows[0] if len(rows) == 1 else np.concatenate(rows, axis=0)
    return FeatureTable(X=X, feature_names=plan.names, index=index, provenance=plan.provenance)


def _shard_results(plan: _Plan, shard: _Shard, report: _ShardReport):
    """Process a shard's inputs one by one, counting into ``report``; yield ``(local row,
    result)`` for each that succeeded (failures are recorded, or raised without ``catch``)."""
    spans = manifest_spans(shard.ident) if plan.spans else None
    for i, (position, item) in enumerate(zip(shard.positions, shard.items, strict=True)):
        span = None  # a manifest row without start and end is the whole file
        if spans is not None and not np.isnan(spans[i]).all():
            span = (float(spans[i, 0]), float(spans[i, 1]))
        res = _process_one(plan, item, position, span)
        if not res["ok"]:
            if not plan.catch:
                raise res["exc"]
            report.errors.append(_error_row(str(shard.ident["path"].iat[i]), res))
            continue
        report.n_ok += 1
        report.n_segments += len(res["pieces"])
        report.n_rows += sum(p[2].shape[0] for p in res["pieces"])
        report.audio_seconds += float(res["duration"])
        yield i, res


def _row_groups(plan: _Plan, shard: _Shard, report: _ShardReport, keys: list[tuple]):
    """Arrow row groups of a shard, made as its inputs finish: rows are written once
    ``ROW_GROUP`` of them are waiting, so that a shard of long recordings at the LLD level
    holds about one recording in memory, not all of them. Appends the key of every input
    that succeeded to ``keys``."""
    waiting: list[tuple[int, dict]] = []
    n_waiting = 0
    results = _shard_results(plan, shard, report)
    while True:
        item = next(results, None)
        if item is not None:
            waiting.append(item)
            keys.append(shard.keys[item[0]])
            n_waiting += sum(p[2].shape[0] for p in item[1]["pieces"])
        if waiting and (item is None or n_waiting >= ROW_GROUP):
            table = _assemble(plan, shard.ident, waiting)
            waiting, n_waiting = [], 0
            for a in range(0, len(table), ROW_GROUP):
                yield FeatureTable(
                    X=table.X[a : a + ROW_GROUP], feature_names=plan.names,
                    index=table.index.iloc[a : a + ROW_GROUP], provenance=plan.provenance,
                ).to_arrow()
            del table
        if item is None:
            return


def _run_shard(plan: _Plan, shard: _Shard) -> _ShardReport:
    """Extract one shard; in store mode write it as one part and return only the counts."""
    report = _ShardReport(first=shard.positions[0])
    if plan.part_dir is None:
        done = list(_shard_results(plan, shard, report))
        if done:
            report.table = _assemble(plan, shard.ident, done)
        return report
    from .store import write_part

    keys: list[tuple] = []
    part = write_part(_row_groups(plan, shard, report, keys), plan.schema, plan.part_dir,
                      shard.part_name, keys, still_wanted=lambda: _run_alive(plan))
    if part is not None:
        report.part = str(part)
        log.debug("wrote %s (%d rows)", part, report.n_rows)
    return report


def _run_alive(plan: _Plan) -> bool:
    """False in a local worker whose run was killed (a resumed run may be doing its shard)."""
    if plan.driver_pid is None or os.getpid() == plan.driver_pid:
        return True
    if os.getppid() == plan.driver_pid:
        return True
    log.warning("the run that started this worker is gone; not writing its shard")
    return False


def _provenance(extractors: Sequence[Any], level: str) -> dict[str, Any]:
    import numba
    import scipy

    return _jsonable({
        "emofeat_version": __version__,
        "created": _dt.datetime.now(_dt.UTC).isoformat(timespec="seconds"),
        "level": level,
        "sets": _describe_sets(extractors),
        "environment": {
            "python": platform.python_version(),
            "numpy": np.__version__,
            "scipy": scipy.__version__,
            "numba": numba.__version__,
            "platform": platform.platform(),
        },
    })


def _describe_sets(extractors: Sequence[Any]) -> list[dict[str, Any]]:
    from .registry import set_name_of

    return [
        {
            "name": set_name_of(ext),
            "class": f"{type(ext).__module__}.{type(ext).__qualname__}",
            "params": ext.get_params(deep=False),
        }
        for ext in extractors
    ]


def _check_extractors(extractors: Sequence[Any]) -> tuple[list[Any], str, list[str]]:
    extractors = list(extractors)
    if not extractors:
        raise ValueError("no extractor given")
    levels = {ext.level for ext in extractors}
    if len(levels) != 1:
        raise ValueError(f"all sets must be at the same level, got {sorted(levels)}")
    for ext in extractors:
        ext._check_common()
    names: list[str] = []
    for ext in extractors:
        names += list(ext.get_feature_names_out())
    if len(set(names)) != len(names):
        raise ValueError("the feature sets produce clashing feature names")
    return extractors, levels.pop(), names


def run(
    inputs: Iterable[Any] | pd.DataFrame,
    extractors: Sequence[Any],
    *,
    n_jobs: int = 1,
    on_error: str = "raise",
    progress: bool = False,
    chunk_size: int | None = None,
    segment: float | str | None = None,
    hop: float | str | None = None,
    output: str | os.PathLike | None = None,
    layout: str = "auto",
    overwrite: bool = False,
    backend: str = "auto",
    scheduler: Any = None,
    long_file_seconds: float | None = 600.0,
    block_seconds: float = 60.0,
) -> RunResult:
    """Extract features of ``inputs`` with one or more extractors into one table.

    Parameters
    ----------
    inputs : list of paths / arrays / ``(array, sr)`` pairs, or a manifest DataFrame
        A manifest with ``start`` and ``end`` columns (seconds) lists segments: one output row
        (per frame at the LLD level) per manifest row, read from disk on its own.
    extractors : sequence of extractors
        All at the same ``level``; their columns are concatenated in order.
    n_jobs : int, default 1
        Worker processes (see ``backend``), or the workers of a local Dask cluster; ``-1``
        for one per core.
    on_error : {"raise", "record"}
        Raise the first error (naming the input), or record every failure in
        ``RunResult.errors`` and go on with the rest.
    progress : bool
        Show a progress bar (rate and remaining time).
    chunk_size : int, optional
        Inputs per shard (a task for a worker; a part of the output). Default: a balance of
        overhead and load: about four shards per worker, at most 32 inputs (256 with
        ``output``, where each shard is a parquet part).
    segment, hop : float or str, optional
        Cut every input into windows of ``segment`` seconds every ``hop`` seconds
        (``"3s"``, ``"500ms"``); see :mod:`emofeat.segments`.
    output : path, optional
        Write to this parquet file or dataset folder shard by shard instead of returning the
        table: crash-safe and resumable (inputs already in it are skipped); see
        :mod:`emofeat.store`. ``RunResult.table`` is then ``None``.
    layout : {"auto", "file", "dataset"}
        With ``output``: one file, or a folder of parts (``auto``: a file if the name ends
        in ``.parquet``).
    overwrite : bool
        With ``output``: start again instead of resuming.
    backend : {"auto", "fork", "loky", "dask"}
        How ``n_jobs > 1`` runs. ``fork``: worker processes forked from this one once the
        kernels are loaded, so they start at once (POSIX; the default on Linux). ``loky``:
        joblib's fresh worker processes, each importing emofeat and loading the kernels (about
        2 s each; the default elsewhere). ``dask``: shards on a Dask distributed cluster
        (``scheduler``), each worker writing its own parts; needs ``output`` on a file system
        every worker sees.
    scheduler : str or distributed.Client, optional
        Address of a Dask scheduler (``tcp://host:8786``) or a client; implies
        ``backend="dask"``. Without it, ``backend="dask"`` starts a local cluster of ``n_jobs``
        worker processes.
    long_file_seconds : float or None, default 600
        Files longer than this are analysed in blocks (bounded memory; see
        :mod:`emofeat.blocks`). ``None``: never.
    block_seconds : float, default 60
        Block length for long files.

    Returns
    -------
    RunResult
    """
    if on_error not in ("raise", "record"):
        raise ValueError(f"on_error must be 'raise' or 'record', got {on_error!r}")
    if scheduler is not None:
        backend = "dask"
    if backend == "auto":
        backend = "fork" if sys.platform.startswith("linux") else "loky"
    if backend == "fork" and not hasattr(os, "fork"):
        raise ValueError("backend='fork' needs a POSIX system; use 'loky'")
    if backend not in ("fork", "loky", "dask"):
        raise ValueError(f"backend must be 'auto', 'fork', 'loky' or 'dask', got {backend!r}")
    if backend == "dask" and output is None:
        raise ValueError("the dask backend writes parts: give an output")
    extractors, level, names = _check_extractors(extractors)
    fixed = None
    if segment is not None:
        fixed = FixedSegments(parse_duration(segment),
                              None if hop is None else parse_duration(hop))
    elif hop is not None:
        raise ValueError("hop needs segment")

    t0 = time.perf_counter()
    items, ident = normalize_inputs(inputs)
    spans = manifest_spans(ident) is not None
    if spans and fixed is not None:
        raise ValueError("the manifest lists segments (start, end); do not also cut windows")
    config = _run_config(extractors, level, fixed, spans)
    provenance = _provenance(extractors, level)
    provenance["segments"] = config["segments"]
    plan = _Plan(extractors=extractors, level=level, names=names, provenance=provenance,
                 catch=on_error == "record", segments=fixed, spans=spans,
                 long_file_seconds=long_file_seconds, block_seconds=float(block_seconds))
    n = len(items)
    positions = list(range(n))
    store, keys = None, None
    if output is not None:
        from .store import FeatureStore, input_key

        if any(not isinstance(it, str | os.PathLike) for it in items):
            raise ValueError("output= needs file paths as inputs (resume is keyed by path)")
        store = FeatureStore(output, config, layout=layout, overwrite=overwrite)
        provenance["fingerprint"] = store.key
        bounds = manifest_spans(ident)
        keys = [input_key(p, *(bounds[i] if bounds is not None else (None, None)))
                for i, p in enumerate(ident["path"])]
        done = store.open(keys)
        seen: set[tuple] = set()
        pending = []
        for i in positions:  # an input listed twice is extracted (and stored) once
            if keys[i] not in done and keys[i] not in seen:
                pending.append(i)
                seen.add(keys[i])
        repeated = sum(1 for i in positions if keys[i] not in done) - len(pending)
        if repeated:
            log.warning("%d inputs are listed more than once; each is extracted once", repeated)
        positions = pending
        if n - len(positions):
            log.info("%s: %d of %d inputs already done, skipped", output, n - len(positions), n)
        plan.part_dir = str(store.part_dir)
        plan.schema = _part_schema(plan, ident)
    shards = _make_shards(positions, items, ident, keys, store, n_jobs, chunk_size)
    log.info("%d inputs to do in %d shards (backend %s, %s jobs)%s", len(positions),
             len(shards), backend if n_jobs != 1 or backend == "dask" else "serial", n_jobs,
             "" if output is None else f", writing {output}")

    reports: list[_ShardReport] = []
    with _bar(len(positions), progress) as bar:
        if backend == "dask":
            from .dask_backend import run_shards

            stream = run_shards(_run_shard, plan, shards, scheduler, n_jobs)
        elif n_jobs == 1 or len(shards) <= 1:
            stream = ((s, _run_shard(plan, s)) for s in shards)
        else:
            plan.driver_pid = os.getpid()
            stream = (_forked if backend == "fork" else _loky)(plan, shards, n_jobs)
        for shard, rep in stream:
            reports.append(rep)
            bar.update(len(shard.positions))
            if rep.errors:
                bar.set_postfix(errors=sum(len(r.errors) for r in reports), refresh=False)

    reports.sort(key=lambda r: r.first)  # shards finish in any order; report in input order
    errors = pd.DataFrame([e for r in reports for e in r.errors], columns=ERROR_COLUMNS)
    n_failed = len(errors)
    provenance["n_inputs"] = n
    provenance["n_failed"] = n_failed
    table = None
    if store is not None:
        store.finalize(plan.schema, provenance)
    else:
        tables = [r.table for r in reports if r.table is not None]
        if tables:
            table = FeatureTable.concat(tables)
            table.provenance = provenance
    return RunResult(
        table=table, errors=errors, n_inputs=n, seconds=time.perf_counter() - t0,
        audio_seconds=float(sum(r.audio_seconds for r in reports)),
        n_skipped=n - len(positions), n_segments=sum(r.n_segments for r in reports),
        n_rows=sum(r.n_rows for r in reports),
        output=None if output is None else os.fspath(output),
    )


def _run_config(extractors, level, fixed, spans) -> dict[str, Any]:
    """What defines the numbers of an output (its fingerprint is the resume key)."""
    return _jsonable({
        "sets": _describe_sets(extractors),
        "level": level,
        "segments": fixed.describe() if fixed is not None else ("manifest" if spans else None),
    })


def _part_schema(plan: _Plan, ident: pd.DataFrame):
    """The pyarrow schema of every part: identity columns typed from the whole manifest (a
    shard whose labels are all missing still gets string columns), then the features."""
    import pyarrow as pa

    cols: dict[str, Any] = {c: ident[c].iloc[:0] for c in ident.columns}
    extra = {"start": "float64", "end": "float64", "orig_sr": "int64",
             "orig_channels": "int64"}
    if plan.level == "lld":
        extra.update(frame="int64", time="float64")
    for c, dt in extra.items():
        cols.setdefault(c, pd.Series([], dtype=dt))
    empty = FeatureTable(X=np.empty((0, len(plan.names))), feature_names=plan.names,
                         index=pd.DataFrame(cols), provenance=plan.provenance).to_arrow()
    full = pa.Schema.from_pandas(ident, preserve_index=False)
    fields = [full.field(f.name) if f.name in full.names and f.type == pa.null() else f
              for f in empty.schema]
    return pa.schema(fields, metadata=empty.schema.metadata)


def _make_shards(positions, items, ident, keys, store, n_jobs, chunk_size) -> list[_Shard]:
    """Shards of consecutive pending inputs; a shard never spans an input already done, so
    parts named by their first input read back in input order."""
    from joblib import effective_n_jobs

    if chunk_size is None:
        workers = effective_n_jobs(n_jobs) if n_jobs != 1 else 1
        most = 32 if store is None else 256
        chunk_size = max(1, min(most, math.ceil(len(positions) / (4 * workers))))
    runs: list[list[int]] = []
    for p in positions:
        if runs and p == runs[-1][-1] + 1 and len(runs[-1]) < chunk_size:
            runs[-1].append(p)
        else:
            runs.append([p])
    return [
        _Shard(positions=r, items=[items[p] for p in r], ident=ident.iloc[r],
               keys=None if keys is None else [keys[p] for p in r],
               part_name=None if store is None else store.part_name(r[0]))
        for r in runs
    ]


def _bar(total: int, progress: bool):
    from tqdm.auto import tqdm

    return tqdm(total=total, disable=not progress, unit="file", dynamic_ncols=True,
                smoothing=0.1)


def _loky(plan: _Plan, shards: list[_Shard], n_jobs: int):
    """Shards in joblib's loky worker processes, yielded as they finish."""
    from joblib import Parallel, delayed

    parallel = Parallel(n_jobs=n_jobs, return_as="generator_unordered")
    yield from parallel(delayed(_shard_pair)(plan, s) for s in shards)


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


def _shard_pair(plan: _Plan, shard: _Shard) -> tuple[_Shard, _ShardReport]:
    return shard, _run_shard(plan, shard)


def _forked(plan: _Plan, shards: list[_Shard], n_jobs: int):
    """Shards in worker processes forked from this one, yielded as they finish.

    The kernels are loaded before the fork, so the workers share them and start at once.
    The kernels are serial (no threads), which makes forking safe for them.
    """
    import multiprocessing as mp
    from concurrent.futures import ProcessPoolExecutor, as_completed

    from joblib import effective_n_jobs

    if mp.current_process().daemon:  # inside a worker of someone else's pool: no children
        log.info("running serially: this process may not start worker processes")
        yield from ((s, _run_shard(plan, s)) for s in shards)
        return
    for ext in plan.extractors:
        if hasattr(ext, "warmup"):
            ext.warmup()
    workers = min(effective_n_jobs(n_jobs), len(shards))
    # objects that exist now are left out of the workers' garbage collections, which would
    # otherwise walk (and so copy, page by page) the whole inherited heap
    gc.freeze()
    try:
        with ProcessPoolExecutor(workers, mp_context=mp.get_context("fork"),
                                 initializer=_die_with_parent, initargs=(os.getpid(),)) as pool:
            futures = {pool.submit(_run_shard, plan, s): s for s in shards}
            try:
                for future in as_completed(futures):
                    yield futures[future], future.result()
            finally:
                for future in futures:
                    future.cancel()
    finally:
        gc.unfreeze()


def extract(
    inputs: Iterable[Any] | pd.DataFrame,
    sets: str | Sequence[str] = "mfcc",
    *,
    level: str = "functionals",
    params: dict[str, Any] | None = None,
    n_jobs: int = 1,
    progress: bool = False,
) -> FeatureTable:
    """Extract one or more feature sets by name into a :class:`FeatureTable`.

    Parameters
    ----------
    inputs : list of paths / arrays / ``(array, sr)`` pairs, or a manifest DataFrame
    sets : str or list of str
        Feature-set names (``"mfcc"``, ``"mfcc,mfcc_htk"`` ...); see
        :func:`emofeat.list_extractors`.
    level : {"functionals", "lld"}
    params : dict, optional
        Parameters passed to every set (e.g. ``{"n_mfcc": 20}``).
    n_jobs : int
        Worker processes.

    Raises
    ------
    emofeat.errors.InputError
        For the first input that cannot be processed (the message names it).
    """
    from .registry import get_extractor

    if isinstance(sets, str):
        sets = [s.strip() for s in sets.split(",") if s.strip()]
    extractors = [get_extractor(s, level=level, **(params or {})) for s in sets]
    result = run(inputs, extractors, n_jobs=n_jobs, on_error="raise", progress=progress)
    if result.table is None:
        raise ValueError("no inputs given")
    return result.table
