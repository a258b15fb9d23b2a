"""Shared helpers of the benchmark scripts: real files decoded once, timing, a report line."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

import numpy as np

DATA = Path(__file__).resolve().parents[1].parent / "shared" / "data"


def add_common_args(parser) -> None:
    """``--blas-threads`` (default 1: both sides on one core, as bench_mfcc.py)."""
    parser.add_argument("--blas-threads", type=int, default=1,
                        help="BLAS threads for numpy/scipy (the references use BLAS; emofeat's "
                             "kernels are serial)")


def limit_blas(n_threads: int) -> None:
    """Limit BLAS/OpenMP threads for the rest of the process."""
    from threadpoolctl import threadpool_limits

    threadpool_limits(n_threads)


def ravdess_signals(n_files: int, sr: int = 16000) -> list[np.ndarray]:
    """``n_files`` RAVDESS files spread over actors, decoded once into float32 arrays."""
    from emofeat.audio import load_audio

    files = sorted((DATA / "speech" / "ravdess").glob("Actor_*/*.flac"))
    if not files:
        raise SystemExit(f"no RAVDESS files under {DATA} (see shared/data/README.md)")
    step = max(1, len(files) // n_files)
    return [load_audio(f, sr).y for f in files[::step][:n_files]]


def time_over(signals: list[np.ndarray], fn: Callable[[np.ndarray], object]) -> float:
    """Seconds ``fn`` takes over all signals (after one warm-up call on the first)."""
    fn(signals[0])
    t0 = time.perf_counter()
    for y in signals:
        fn(y)
    return time.perf_counter() - t0


_REPORTED: list[dict] = []


def report(name: str, audio_s: float, ref_s: float, ours_s: float) -> str:
    """One line: throughput of both sides in x real time, and the speed-up (the figures are
    also kept for :func:`save_reported`)."""
    _REPORTED.append({"what": name, "reference_x_real_time": audio_s / ref_s,
                      "emofeat_x_real_time": audio_s / ours_s, "speed_up": ref_s / ours_s})
    return (
        f"{name:<28} reference {audio_s / ref_s:9.0f}x real time   emofeat "
        f"{audio_s / ours_s:9.0f}x real time   speed-up {ref_s / ours_s:6.1f}x"
    )


# ---------------------------------------------------------------------------------------------
# Result files: what docs/results.md is generated from (benchmarks/results_page.py)

RESULTS = Path(__file__).resolve().parent / "results"


def machine() -> dict:
    """The machine a figure was measured on: CPU model, cores, memory, load, versions."""
    import os
    import platform

    cpu = "?"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem_gb = None
    try:
        kb = int(Path("/proc/meminfo").read_text().split("MemTotal:")[1].split()[0])
        mem_gb = round(kb / 2**20, 1)
    except (OSError, IndexError, ValueError):
        pass
    versions = {"python": platform.python_version()}
    for mod in ("emofeat", "numpy", "scipy", "sklearn", "numba", "xgboost"):
        try:
            versions[mod] = __import__(mod).__version__
        except Exception:  # noqa: BLE001 - a missing optional package is just not reported
            pass
    return {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "memory_gb": mem_gb,
        "os": platform.platform(terse=True),
        "load_average": [round(x, 2) for x in os.getloadavg()],
        "versions": versions,
    }


def write_results(name: str, command: str, tables: dict[str, list[dict]], *,
                  notes: str = "", extra: dict | None = None,
                  markdown: str | None = None, out_dir: Path | None = None) -> Path:
    """Write ``results/<name>.json`` (and ``<name>.md`` when ``markdown`` is given).

    ``tables`` maps a table title to its rows (dicts of one row each, same keys, in column
    order). The JSON also holds the command that regenerates the figures, the UTC date and
    :func:`machine` (load average at the time of writing), which is what
    ``benchmarks/results_page.py`` renders into docs/results.md.
    """
    import datetime as dt
    import json

    out_dir = RESULTS if out_dir is None else Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    doc = {
        "name": name,
        "command": command,
        "date": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "machine": machine(),
        "notes": notes,
        "tables": tables,
        **(extra or {}),
    }
    path = out_dir / f"{name}.json"
    path.write_text(json.dumps(doc, indent=1, default=float) + "\n")
    if markdown is not None:
        (out_dir / f"{name}.md").write_text(markdown.rstrip() + "\n")
    return path


def save_reported(name: str, notes: str = "") -> Path:
    """Write every :func:`report` line of this run to ``results/<name>.json``."""
    import sys

    return write_results(name, "python benchmarks/" + " ".join([Path(sys.argv[0]).name,
                                                                *sys.argv[1:]]),
                         {"speed": list(_REPORTED)}, notes=notes)


def markdown_table(rows: list[dict], columns: list[str] | None = None) -> str:
    """A Markdown table of ``rows`` (floats with 3 decimals)."""
    if not rows:
        return "(no rows)"
    columns = columns or list(rows[0])

    def cell(v) -> str:
        if isinstance(v, float):
            return f"{v:.3f}"
        return "" if v is None else str(v)

    lines = ["| " + " | ".join(columns) + " |", "|" + "---|" * len(columns)]
    lines += ["| " + " | ".join(cell(r.get(c)) for c in columns) + " |" for r in rows]
    return "\n".join(lines)
