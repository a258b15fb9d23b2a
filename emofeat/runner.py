"""Run extractors over many inputs: shared decoding, parallel files, recorded failures.

:func:`run` is what the CLI, :func:`emofeat.extract` and ``Extractor.extract`` go through.
Each input is decoded and resampled once per distinct analysis rate, however many feature
sets are asked for; inputs are processed in chunks by joblib worker processes when
``n_jobs > 1``; output order is input order whatever ``n_jobs`` is.
"""

from __future__ import annotations

import datetime as _dt
import math
import os
import platform
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from ._version import __version__
from .errors import InputError
from .table import FeatureTable, _jsonable

ERROR_COLUMNS = ["path", "stage", "error_type", "message"]


@dataclass
class RunResult:
    """What a run produced.

    Attributes
    ----------
    table : FeatureTable or None
        Features of every input that succeeded (``None`` if none did).
    errors : DataFrame
        One row per failed input: ``path``, ``stage`` (``read`` or ``extract``),
        ``error_type``, ``message``.
    n_inputs : int
    seconds : float
        Wall time of the run.
    audio_seconds : float
        Total duration of the inputs that succeeded.
    """

    table: FeatureTable | None
    errors: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=ERROR_COLUMNS))
    n_inputs: int = 0
    seconds: float = 0.0
    audio_seconds: float = 0.0

    @property
    def n_failed(self) -> int:
        return len(self.errors)

    def summary(self) -> str:
        rows = 0 if self.table is None else len(self.table)
        speed = self.audio_seconds / self.seconds if self.seconds > 0 else float("nan")
        return (
            f"{self.n_inputs} inputs, {self.n_inputs - self.n_failed} done, {self.n_failed} "
            f"failed, {rows} rows, {self.seconds:.1f} s ({speed:.0f}x real time)"
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


def _process_one(extractors: Sequence[Any], item: Any, position: int) -> dict[str, Any]:
    audio_by_sr: dict[int, Any] = {}
    stage = "read"
    try:
        blocks, times = [], None
        for ext in extractors:
            stage = "read"
            sr = int(ext.sr)
            if sr not in audio_by_sr:
                audio_by_sr[sr] = ext.to_audio(item, position)
            audio = audio_by_sr[sr]
            stage = "extract"
            rows, t = ext.features_of(audio)
            if blocks and rows.shape[0] != blocks[0].shape[0]:
                raise ValueError(
                    f"frame-level sets disagree on the frame count ({blocks[0].shape[0]} vs "
                    f"{rows.shape[0]}); extract sets with different frame rates separately"
                )
            blocks.append(np.asarray(rows, dtype=np.float64))
            if times is None:
                times = t
        first = next(iter(audio_by_sr.values()))
        return {
            "ok": True,
            "rows": blocks[0] if len(blocks) == 1 else np.concatenate(blocks, axis=1),
            "times": times,
            "duration": first.duration,
            "orig_sr": first.orig_sr,
            "orig_channels": first.orig_channels,
        }
    except (InputError, ValueError, OSError, RuntimeError, FloatingPointError) as exc:
        return {"ok": False, "stage": stage, "exc": exc}


def _process_chunk(extractors, chunk, catch: bool) -> list[dict[str, Any]]:
    out = []
    for position, item in chunk:
        res = _process_one(extractors, item, position)
        if not res["ok"] and not catch:
            raise res["exc"]
        out.append(res)
    return out


def _provenance(extractors: Sequence[Any], level: str) -> dict[str, Any]:
    import numba
    import scipy

    from .registry import set_name_of

    return _jsonable({
        "emofeat_version": __version__,
        "created": _dt.datetime.now(_dt.UTC).isoformat(timespec="seconds"),
        "level": level,
        "sets": [
            {
                "name": set_name_of(ext),
                "class": f"{type(ext).__module__}.{type(ext).__qualname__}",
                "params": ext.get_params(deep=False),
            }
            for ext in extractors
        ],
        "environment": {
            "python": platform.python_version(),
            "numpy": np.__version__,
            "scipy": scipy.__version__,
            "numba": numba.__version__,
            "platform": platform.platform(),
        },
    })


def run(
    inputs: Iterable[Any] | pd.DataFrame,
    extractors: Sequence[Any],
    *,
    n_jobs: int = 1,
    on_error: str = "raise",
    progress: bool = False,
    chunk_size: int | None = None,
) -> RunResult:
    """Extract features of ``inputs`` with one or more extractors into one table.

    Parameters
    ----------
    inputs : list of paths / arrays / ``(array, sr)`` pairs, or a manifest DataFrame
    extractors : sequence of extractors
        All at the same ``level``; their columns are concatenated in order.
    n_jobs : int, default 1
        Worker processes (joblib/loky); ``-1`` for all cores.
    on_error : {"raise", "record"}
        Raise the first error (naming the input), or record every failure in
        ``RunResult.errors`` and go on with the rest.
    progress : bool
        Show a progress bar.
    chunk_size : int, optional
        Inputs per task sent to a worker (default: a balance of overhead and load).

    Returns
    -------
    RunResult
    """
    if on_error not in ("raise", "record"):
        raise ValueError(f"on_error must be 'raise' or 'record', got {on_error!r}")
    extractors = list(extractors)
    if not extractors:
        raise ValueError("no extractor given")
    levels = {ext.level for ext in extractors}
    if len(levels) != 1:
        raise ValueError(f"all sets must be at the same level, got {sorted(levels)}")
    level = levels.pop()
    for ext in extractors:
        ext._check_common()
    names: list[str] = []
    for ext in extractors:
        names += list(ext.get_feature_names_out())
    if len(set(names)) != len(names):
        raise ValueError("the feature sets produce clashing feature names")

    t0 = time.perf_counter()
    items, ident = normalize_inputs(inputs)
    n = len(items)
    catch = on_error == "record"
    indexed = list(enumerate(items))
    if n_jobs == 1 or n <= 1:
        results = _iter_serial(extractors, indexed, catch, progress)
    else:
        results = _iter_parallel(extractors, indexed, catch, progress, n_jobs, chunk_size)

    blocks, times, counts, extra, errors = [], [], [], [], []
    for position, res in results:
        if res["ok"]:
            blocks.append(res["rows"])
            times.append(res["times"])
            counts.append((position, res["rows"].shape[0]))
            extra.append((res["duration"], res["orig_sr"], res["orig_channels"]))
        else:
            exc = res["exc"]
            message = exc.problem if isinstance(exc, InputError) else str(exc)
            errors.append((ident["path"].iat[position], res["stage"], type(exc).__name__,
                           message))
    errors_df = pd.DataFrame(errors, columns=ERROR_COLUMNS)

    table = None
    audio_seconds = float(sum(e[0] for e in extra))
    if blocks:
        positions = np.array([p for p, _ in counts])
        reps = np.array([c for _, c in counts])
        index = ident.iloc[np.repeat(positions, reps)].reset_index(drop=True)
        dur = np.array([e[0] for e in extra])
        added = {
            "start": np.zeros(len(index)),
            "end": np.repeat(dur, reps),
            "orig_sr": np.repeat(np.array([e[1] for e in extra], dtype=np.int64), reps),
            "orig_channels": np.repeat(np.array([e[2] for e in extra], dtype=np.int64), reps),
        }
        if level == "lld":
            added["frame"] = np.concatenate([np.arange(c, dtype=np.int64) for c in reps])
            added["time"] = np.concatenate(times)
        for col, values in added.items():
            if col not in index.columns:
                index[col] = values
        provenance = _provenance(extractors, level)
        provenance["n_inputs"] = n
        provenance["n_failed"] = len(errors)
        table = FeatureTable(
            X=np.concatenate(blocks, axis=0), feature_names=names, index=index,
            provenance=provenance,
        )
    return RunResult(
        table=table, errors=errors_df, n_inputs=n, seconds=time.perf_counter() - t0,
        audio_seconds=audio_seconds,
    )


def _bar(total: int, progress: bool):
    from tqdm.auto import tqdm

    return tqdm(total=total, disable=not progress, unit="file", dynamic_ncols=True)


def _iter_serial(extractors, indexed, catch, progress):
    with _bar(len(indexed), progress) as bar:
        for position, item in indexed:
            res = _process_chunk(extractors, [(position, item)], catch)[0]
            bar.update(1)
            yield position, res


def _iter_parallel(extractors, indexed, catch, progress, n_jobs, chunk_size):
    from joblib import Parallel, delayed, effective_n_jobs

    workers = effective_n_jobs(n_jobs)
    if chunk_size is None:
        chunk_size = max(1, min(32, math.ceil(len(indexed) / (4 * workers))))
    chunks = [indexed[i : i + chunk_size] for i in range(0, len(indexed), chunk_size)]
    parallel = Parallel(n_jobs=n_jobs, return_as="generator")
    with _bar(len(indexed), progress) as bar:
        for chunk, results in zip(
            chunks, parallel(delayed(_process_chunk)(extractors, c, catch) for c in chunks),
            strict=True,
        ):
            bar.update(len(chunk))
            for (position, _), res in zip(chunk, results, strict=True):
                yield position, res


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
