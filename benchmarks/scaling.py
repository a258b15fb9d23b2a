"""Throughput of ``emofeat extract`` against the number of worker processes.

Runs the real command line (a fresh process per measurement, so interpreter start, kernel
cache loading and worker start are counted) on a corpus folder for each worker count, with the
default process pool (forked workers on Linux) and optionally joblib's loky pool and a Dask
``LocalCluster``, and prints a table: wall
seconds, files per second, audio seconds per wall second (x real time) and speed-up over one
process (the median over passes of the per-pass ratio; the ratio of the medians beside it).
Every command runs with BLAS on one thread (``OMP_NUM_THREADS`` etc. = 1, as the other
benchmarks).

Examples
--------
On this project's data (RAVDESS, 1440 files, 89 min)::

    python benchmarks/scaling.py ../shared/data/speech/ravdess --jobs 1,2 --loky 2 --dask 2

The `-j 2` target of the speed issue (>= 1.7x one worker on an idle 2-core machine, the whole
command, start-up included)::

    python benchmarks/scaling.py ../shared/data/speech/ravdess --jobs 1,2 --passes 5

The same, interleaved with the command of another source tree (laid out as installed:
``DIR/emofeat`` with ``extractors`` inside, e.g. ``git archive`` of an earlier commit), so
that both trees are measured under the same load (each tree's speed-up is over its own one
process)::

    python benchmarks/scaling.py ../shared/data/speech/ravdess --jobs 1,2 --passes 5 \
        --baseline-src /tmp/base

Up to 16 cores on a larger machine, repeating the corpus so that each worker has enough work::

    python benchmarks/scaling.py ../shared/data/speech/ravdess --jobs 1,2,4,8,16 --repeat 4

Notes
-----
Measure on an otherwise idle machine. Before each run the script measures how many cores it
really gets (``free cores``: busy loops in parallel against one alone), which also sees
contention from outside a virtual machine that the load average misses. The CPU seconds of
each run (command and workers) depend little on other work: they show the overhead of each
kind of worker.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import ONE_THREAD_ENV, environment, setting  # noqa: E402

SUMMARY = re.compile(r"(\d+) inputs, (\d+) done.* ([0-9.]+) s \(([0-9]+)x real time\)")


def _manifest(corpus: Path, repeat: int, folder: Path) -> Path:
    import pandas as pd

    from emofeat.audio import AUDIO_EXTENSIONS

    files = sorted(p.resolve() for p in corpus.rglob("*") if p.suffix.lower() in AUDIO_EXTENSIONS)
    if not files:
        raise SystemExit(f"no audio files under {corpus}")
    paths, copies = [str(f) for f in files], [0] * len(files)
    for k in range(1, repeat):  # other names for the same files: distinct inputs to emofeat
        for i, f in enumerate(files):
            link = folder / f"copy{k}" / f"{i:07d}{f.suffix}"
            link.parent.mkdir(exist_ok=True)
            link.symlink_to(f.resolve())
            paths.append(str(link))
            copies.append(k)
    df = pd.DataFrame({"path": paths, "copy": copies})
    path = folder / "manifest.csv"
    df.to_csv(path, index=False)
    return path


def _spin(n: int) -> float:
    t0 = time.perf_counter()
    x = 0
    for i in range(n):
        x += i * i
    return time.perf_counter() - t0


def free_cores(n: int, loops: int = 3_000_000) -> float:
    """How many of ``n`` cores this process really gets now: ``n`` identical busy loops in
    parallel against one alone. The load average misses contention from outside a virtual
    machine; this does not."""
    import multiprocessing as mp

    one = min(_spin(loops) for _ in range(2))
    with mp.Pool(n) as pool:
        pool.map(_spin, [loops // 10] * n)  # start-up out of the way
        t0 = time.perf_counter()
        pool.map(_spin, [loops] * n)
        together = time.perf_counter() - t0
    return round(n * one / together, 2)


def measure(manifest: Path, out: Path, jobs: int, backend: str, sets: str,
            env: dict | None = None, cwd: Path | None = None) -> dict:
    """One fresh ``emofeat extract`` process; wall time and the run's own summary (``env``,
    ``cwd``: those of the process, for a baseline tree on ``PYTHONPATH``)."""
    cmd = [sys.executable, "-m", "emofeat", "extract", str(manifest), "-o", str(out),
           "--set", sets, "-j", str(jobs), "--backend", backend, "--overwrite", "-q"]
    load0 = os.getloadavg()[0]
    free = free_cores(max(jobs, 2))
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    res = subprocess.run(cmd, capture_output=True, text=True, env=env, cwd=cwd)
    wall = time.perf_counter() - t0
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    # CPU seconds of the command and every process it waited for (workers included; a Dask
    # LocalCluster's workers too, as the command closes the cluster)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    if res.returncode != 0:
        raise SystemExit(f"{' '.join(cmd)} failed (exit code {res.returncode}):\n"
                         f"{res.stderr[-2000:]}")
    m = SUMMARY.search(res.stderr)
    if m is None:
        raise SystemExit(f"no summary line in:\n{res.stderr}")
    n_done, run_s, xrt = int(m[2]), float(m[3]), int(m[4])
    return {"backend": backend, "jobs": jobs, "files": n_done, "wall_s": round(wall, 2),
            "cpu_s": round(cpu, 2), "run_s": run_s, "files_per_s": round(n_done / wall, 1),
            "x_real_time": round(xrt * run_s / wall), "free_cores": free,
            "load_before": round(load0, 2), "load_after": round(os.getloadavg()[0], 2)}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("corpus", type=Path, help="folder of audio files (searched recursively)")
    parser.add_argument("--jobs", default="1,2", help="worker counts, comma-separated")
    parser.add_argument("--loky", default="", help="worker counts with joblib's loky processes")
    parser.add_argument("--dask", default="", help="worker counts for a Dask LocalCluster")
    parser.add_argument("--repeat", type=int, default=1, help="list every file this many times")
    parser.add_argument("--set", default="mfcc", help="feature set(s)")
    parser.add_argument("--json", type=Path, default=None, help="also write the rows here")
    parser.add_argument("--passes", type=int, default=5,
                        help="passes over all configurations, interleaved; medians reported")
    parser.add_argument("--no-write", action="store_true",
                        help="do not write benchmarks/results/scaling.json")
    parser.add_argument("--baseline-src", type=Path, default=None, metavar="DIR",
                        help="also run every configuration with the emofeat of this source "
                             "tree (laid out as installed), interleaved")
    args = parser.parse_args(argv)
    # every command (and its workers, which inherit it) with BLAS on one thread, as the
    # other benchmarks (-j N then means N single-threaded workers), and byte code written
    # once, as after a pip install, not recompiled by every fresh process
    env_one = environment(None)
    print(setting(1, max(1, args.passes)) + " (every command: "
          + ", ".join(f"{k}={v}" for k, v in ONE_THREAD_ENV.items()) + ")", flush=True)

    trees: dict[str, tuple[dict, Path | None]] = {"this tree": (env_one, None)}
    rows = []
    with tempfile.TemporaryDirectory(prefix="emofeat-scaling-") as tmp:
        if args.baseline_src is not None:
            # python -m puts the working folder first on the path: run it elsewhere
            trees["baseline"] = (environment(str(args.baseline_src.resolve())), Path(tmp))
        for env, cwd in trees.values():
            subprocess.run([sys.executable, "-m", "emofeat", "warmup", "--set", args.set],
                           check=True, capture_output=True, env=env, cwd=cwd)
        manifest = _manifest(args.corpus, args.repeat, Path(tmp))
        plan = [("auto", int(j)) for j in args.jobs.split(",") if j]
        plan += [("loky", int(j)) for j in args.loky.split(",") if j]
        plan += [("dask", int(j)) for j in args.dask.split(",") if j]
        plan3 = [(tree, b, j) for b, j in plan for tree in trees]
        passes: dict[tuple[str, str, int], list[dict]] = {cfg: [] for cfg in plan3}
        for _ in range(max(1, args.passes)):  # configurations interleaved within each pass
            for tree, backend, jobs in plan3:
                env, cwd = trees[tree]
                row = measure(manifest, Path(tmp) / f"out-{backend}-{jobs}", jobs, backend,
                              args.set, env, cwd)
                row["tree"] = tree
                passes[(tree, backend, jobs)].append(row)
                print(json.dumps(row), flush=True)
        for (tree, backend, jobs), runs in passes.items():
            row = {k: round(statistics.median(r[k] for r in runs), 2) for k in
                   ("wall_s", "cpu_s", "run_s", "files_per_s", "x_real_time", "free_cores")}
            row.update(tree=tree, backend=backend, jobs=jobs, files=runs[0]["files"],
                       wall_min_s=min(r["wall_s"] for r in runs), passes=len(runs),
                       load_before=min(r["load_before"] for r in runs),
                       load_after=max(r["load_after"] for r in runs))
            rows.append(row)
    for r in rows:
        same = [b for b in rows if b["tree"] == r["tree"]]
        base = next((b for b in same if b["jobs"] == 1), same[0])
        # the headline: the median over passes of the per-pass ratio against the same pass's
        # one process (the same load); the ratio of the medians beside it
        ones = passes.get((r["tree"], base["backend"], base["jobs"]), [])
        mine = passes[(r["tree"], r["backend"], r["jobs"])]
        r["speed_up"] = round(statistics.median(
            a["wall_s"] / b["wall_s"] for a, b in zip(ones, mine, strict=True)), 2)
        r["speed_up_of_medians"] = round(base["wall_s"] / r["wall_s"], 2)
    print(f"\n{os.cpu_count()} CPUs; corpus {args.corpus} x{args.repeat}; set {args.set}; "
          f"BLAS one thread in every command ({', '.join(ONE_THREAD_ENV)} = 1)\n")
    print(f"medians of {args.passes} interleaved passes (wall min in brackets); speed-up: "
          "median over passes of (one process's wall time / this one's in the same pass), "
          "the ratio of the medians in brackets\n")
    print("| tree | backend | workers | files | wall s | run s | CPU s | files/s | x real time | "
          "speed-up (of medians) | free cores | load |")
    print("|---|---|---|---|---|---|---|---|---|---|---|---|")
    for r in rows:
        print(f"| {r['tree']} | {r['backend']} | {r['jobs']} | {r['files']} | "
              f"{r['wall_s']:.2f} ({r['wall_min_s']:.2f}) | {r['run_s']} | "
              f"{r['cpu_s']} | {r['files_per_s']} | {r['x_real_time']} | "
              f"{r['speed_up']:.2f} ({r['speed_up_of_medians']:.2f}) | "
              f"{r['free_cores']} | {r['load_before']}-{r['load_after']} |")
    print("\nwall s: the whole command; run s: the run's own time from its summary line (no "
          "interpreter start-up); CPU s: user + system time of the command and its workers; "
          "free cores: measured just before the run (busy loops in parallel against one "
          "alone); a figure is only a scaling figure where free cores is close to workers.")
    if args.json:
        args.json.write_text(json.dumps(rows, indent=1))
    if not args.no_write:
        from _common import write_results

        write_results("scaling", "python benchmarks/" + " ".join(
            [Path(sys.argv[0]).name, *(argv if argv is not None else sys.argv[1:])]),
            {"workers": rows}, notes=f"corpus {args.corpus} x{args.repeat}, set {args.set}; "
            f"medians of {args.passes} interleaved passes, BLAS one thread in every command; "
            "speed_up = median over passes of (one process's wall time / this one's in the "
            "same pass), start-up included; speed_up_of_medians = the ratio of the medians")
    return 0


if __name__ == "__main__":
    sys.exit(main())
