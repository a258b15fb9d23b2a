"""Shared helpers of the benchmark scripts: real files decoded once, timing, a report line."""

from __future__ import annotations

import statistics
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


def ravdess_labels(n_files: int):
    """``n_files`` rows of RAVDESS's ``labels.csv`` spread over actors, paths made absolute."""
    import pandas as pd

    labels = DATA / "speech" / "ravdess" / "labels.csv"
    if not labels.exists():
        raise SystemExit(f"no RAVDESS labels at {labels} (see shared/data/README.md)")
    df = pd.read_csv(labels)
    df["path"] = [str((labels.parent / p).resolve()) for p in df["path"]]
    return df.iloc[:: max(1, len(df) // n_files)].head(n_files)


ONE_THREAD_ENV = {"OMP_NUM_THREADS": "1", "OPENBLAS_NUM_THREADS": "1", "MKL_NUM_THREADS": "1"}


def environment(src: str | None) -> dict[str, str]:
    """A fresh process's environment: BLAS one thread, byte code written once (as after a pip
    install), and the tree's folder first on the path (``src``; the installed package when
    None)."""
    import os

    env = {**os.environ, **ONE_THREAD_ENV}
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    if src:
        env["PYTHONPATH"] = src
    return env


def child_json(code: str, argv: list[str], src: str | None, cwd: str, what: str) -> dict:
    """Run ``code`` (Python printing one JSON object) in a fresh process with BLAS on one
    thread and byte code written, importing emofeat from the tree ``src`` (laid out as
    installed) or the installed package; its JSON. A failure stops the benchmark naming
    ``what``."""
    import json
    import subprocess
    import sys

    env = environment(str(Path(src).resolve()) if src else None)
    proc = subprocess.run([sys.executable, "-c", code, *argv], capture_output=True, text=True,
                          env=env, cwd=cwd, check=False)
    if proc.returncode:
        raise SystemExit(f"{what}: failed\n{proc.stderr[-2000:]}")
    return json.loads(proc.stdout)


def warm_command_variants(set_name: str, baseline_src: str | None = None
                          ) -> tuple[dict, dict[str, str | None]]:
    """The environment of fresh ``emofeat`` command processes (BLAS one thread; byte code
    written once, as after a pip install: an environment that forbids it recompiles
    emofeat's modules from source on every run) and the source trees to time, ``{"this
    tree": None, "baseline": baseline_src}`` (``PYTHONPATH`` of the baseline), each with its
    kernels warmed for ``set_name`` as after ``emofeat warmup``."""
    import subprocess
    import sys
    import tempfile

    variants: dict[str, str | None] = {"this tree": None}
    if baseline_src:
        variants["baseline"] = baseline_src
    for src in variants.values():
        subprocess.run([sys.executable, "-m", "emofeat", "warmup", "--set", set_name],
                       check=True, capture_output=True, env=environment(src),
                       cwd=tempfile.gettempdir())
    return environment(None), variants


def timed_command(cmd: list[str], env: dict | None = None, *,
                  capture: bool = True, cwd: Path | None = None) -> tuple[float, float]:
    """Wall seconds and CPU seconds (user + system of the child) of one fresh process; on a
    shared machine the CPU seconds move much less with the load than the wall time. A failing
    command stops the benchmark with its stderr. ``cwd``: the folder it runs in (``python -m``
    puts it first on the path: a baseline tree must be run outside this checkout)."""
    import resource
    import subprocess

    r0 = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    proc = subprocess.run(cmd, env=env, capture_output=capture, text=True, cwd=cwd)
    wall = time.perf_counter() - t0
    r1 = resource.getrusage(resource.RUSAGE_CHILDREN)
    if proc.returncode != 0:
        raise SystemExit(f"{' '.join(cmd)} failed ({proc.returncode})"
                         + (f":\n{proc.stderr[-2000:]}" if capture else ""))
    return wall, (r1.ru_utime - r0.ru_utime) + (r1.ru_stime - r0.ru_stime)


def speech_manifest_csv(corpus: str, cache: Path) -> Path:
    """The corpus' manifest (path, speaker, emotion, ...) written once as a CSV for the CLI."""
    from emofeat.datasets import load_emodb, load_ravdess

    path = cache / f"{corpus}_manifest.csv"
    if not path.exists():
        loader = {"ravdess": load_ravdess, "emodb": load_emodb}[corpus]
        loader(DATA / "speech" / corpus).to_csv(path, index=False)
    return path


def cli_extract(sets: str, manifest: Path, out: Path, jobs: int) -> dict:
    """Run ``emofeat extract`` once (a user's command); its wall and CPU seconds."""
    import os
    import sys

    # --overwrite: a leftover partial output of an interrupted run would otherwise be resumed,
    # and the logged seconds would be those of the remaining files only
    cmd = [sys.executable, "-m", "emofeat", "extract", "--set", sets, "-j", str(jobs), "-q",
           "--overwrite", "-o", str(out), str(manifest)]
    print("$ emofeat " + " ".join(cmd[3:]), flush=True)
    wall, cpu = timed_command(cmd, capture=False)
    return {"command": "emofeat " + " ".join(cmd[3:]), "wall_s": wall, "cpu_s": cpu,
            "load_average": list(os.getloadavg())}


def cache_is_current(path: Path) -> bool:
    """Whether a cached output's sets were computed with today's numbers: a set whose
    ``numbers_version`` was bumped since (eGeMAPS to 1) computes other numbers for the
    same parameters, and the scripts that read their cache would report the old ones."""
    import json

    import pyarrow.parquet as pq

    from emofeat.registry import get_extractor

    meta = json.loads(pq.read_schema(path).metadata[b"emofeat"])
    return all(int(s.get("numbers_version") or 0)
               == get_extractor(s["name"]).numbers_version
               for s in meta["provenance"]["sets"])


def interleaved(fns: dict[str, Callable[[], object]], passes: int, *,
                warmup: bool = True) -> dict[str, list[float]]:
    """Seconds of each of ``passes`` interleaved passes (a, b, c, a, b, c, ...) of every
    variant, so drifts in machine load hit all alike; one untimed warm-up call of each first
    (compilation, caches) unless ``warmup`` is false."""
    if passes < 1:
        raise ValueError(f"passes must be >= 1, got {passes}")
    if warmup:
        for fn in fns.values():
            fn()
    times: dict[str, list[float]] = {k: [] for k in fns}
    for _ in range(passes):
        for k, fn in fns.items():
            t0 = time.perf_counter()
            fn()
            times[k].append(time.perf_counter() - t0)
    return times


def over(signals: list[np.ndarray], fn: Callable[[np.ndarray], object]) -> Callable[[], None]:
    """A no-argument pass of ``fn`` over every signal (for :func:`interleaved`)."""

    def run() -> None:
        for y in signals:
            fn(y)

    return run


def median_min(times: list[float]) -> tuple[float, float]:
    """``(median, min)`` of the passes' seconds."""
    return statistics.median(times), min(times)


def ratio_median(num: list[float], den: list[float]) -> float:
    """Median over passes of the per-pass ratio ``num / den`` (interleaved pairs)."""
    return statistics.median(a / b for a, b in zip(num, den, strict=True))


def setting(blas_threads: int, passes: int) -> str:
    """The statement every benchmark prints first: machine, load, threads, passes."""
    import os

    m = machine()
    load = ", ".join(f"{x:.2f}" for x in m["load_average"])
    return (f"machine: {m['cpu']}, {m['cores']} cores, load average {load} (1/5/15 min); "
            f"BLAS threads {blas_threads}, emofeat kernels serial, NUMBA_NUM_THREADS="
            f"{os.environ.get('NUMBA_NUM_THREADS', 'default')}; {passes} interleaved passes, "
            "median (min)")


def time_over(signals: list[np.ndarray], fn: Callable[[np.ndarray], object]) -> float:
    """Seconds ``fn`` takes over all signals (after one warm-up call on the first)."""
    fn(signals[0])
    t0 = time.perf_counter()
    for y in signals:
        fn(y)
    return time.perf_counter() - t0


_REPORTED: list[dict] = []


def report(name: str, audio_s: float, ref_s: float | list[float],
           ours_s: float | list[float]) -> str:
    """One line: throughput of both sides in x real time, and the speed-up (the figures are
    also kept for :func:`save_reported`).

    Given the lists of interleaved passes' seconds, the throughputs are the medians (the
    minima beside them) and the speed-up is the median of the per-pass ratios.
    """
    row: dict = {"what": name}
    if isinstance(ref_s, list):
        (r_med, r_min), (o_med, o_min) = median_min(ref_s), median_min(ours_s)
        ratio = ratio_median(ref_s, ours_s)
        row.update({"passes": len(ref_s), "reference_x_real_time": audio_s / r_med,
                    "emofeat_x_real_time": audio_s / o_med, "speed_up": ratio,
                    "reference_s_median": r_med, "reference_s_min": r_min,
                    "emofeat_s_median": o_med, "emofeat_s_min": o_min,
                    "speed_up_of_minima": r_min / o_min})
        _REPORTED.append(row)
        return (
            f"{name:<34} reference {audio_s / r_med:7.0f}x ({audio_s / r_min:.0f}x) real time  "
            f"emofeat {audio_s / o_med:7.0f}x ({audio_s / o_min:.0f}x)  speed-up "
            f"{ratio:5.2f}x ({r_min / o_min:.2f}x of minima)"
        )
    row.update({"reference_x_real_time": audio_s / ref_s, "emofeat_x_real_time": audio_s / ours_s,
                "speed_up": ref_s / ours_s})
    _REPORTED.append(row)
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
