"""Where the seconds of ``emofeat extract --set egemaps`` go, without a profiler's overhead:
the command runs in a fresh process (as ``python -m emofeat extract``), with timers around
the functions that do each stage, in wall and CPU seconds.

Stages: interpreter start-up and the CLI's own import; the imports the command triggers
(runner, store, readers, pyarrow); the eGeMAPS module and its Numba kernel module;
kernel loading from Numba's disk cache (every ``load_overload`` call, Numba's one-off
set-up on first use included; the count of kernels loaded is reported); decoding
(``Reader.read``: file to float32 samples, checks, resampling when the file is not 16 kHz);
the set's features (``EGeMAPS.features_of`` less the kernel loading: frames, FFTs, kernels
and functionals); the runner's per-file rest (keys, manifest rows, progress), the table and
parquet writing (``store.write_part`` less the files it pulls through), and the rest.

    python benchmarks/profile_cli_egemaps.py [--files 240] [--passes 5] [--no-write]

The pass of median CPU time of ``--passes`` fresh processes. Writes
``benchmarks/results/profile_cli_egemaps.json``.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from _common import ONE_THREAD_ENV, environment, ravdess_labels, setting, write_results

CHILD = r"""
import time, sys, json
W0, C0 = time.perf_counter(), time.process_time()
T = {}
def add(k, w, c):
    a = T.setdefault(k, [0.0, 0.0, 0])
    a[0] += w; a[1] += c; a[2] += 1
def clock():
    return time.perf_counter(), time.process_time()
import emofeat.cli as cli
add("emofeat.cli import", *[x - y for x, y in zip(clock(), (W0, C0))])
S = clock()
# what the command itself imports (neither pandas nor soundfile, soxr or tqdm for 16 kHz
# FLAC without a progress bar: importing them here would overstate this stage by ~0.25 s
# of CPU)
import emofeat.runner, emofeat.readers, emofeat.store, emofeat.registry, pyarrow.parquet
add("imports: runner, store, readers, pyarrow", *[x - y for x, y in zip(clock(), S)])
S = clock()
import emofeat.extractors.egemaps as E
add("imports: eGeMAPS module (Numba, kernel module)", *[x - y for x, y in zip(clock(), S)])
from numba.core import caching
from emofeat import readers, store

def timed(owner, name, key, nest=None):
    fn = getattr(owner, name)
    def wrap(*a, **k):
        s = clock()
        inner = list(T.get(nest, [0.0, 0.0, 0])) if nest else None
        try:
            return fn(*a, **k)
        finally:
            w, c = (x - y for x, y in zip(clock(), s))
            if nest:
                now = T.get(nest, [0.0, 0.0, 0])
                w -= now[0] - inner[0]; c -= now[1] - inner[1]
            add(key, w, c)
    setattr(owner, name, wrap)

if hasattr(cli, "_lean_cache_loads"):  # the emofeat program's own loader, timed in its place
    cli._lean_cache_loads()
timed(caching.Cache, "load_overload", "Numba: kernels loaded from the disk cache")
timed(E.EGeMAPS, "features_of", "features: frames, FFTs, kernels, functionals",
      nest="Numba: kernels loaded from the disk cache")
timed(readers.AudioReader, "read", "decoding (file to float32 samples, checks)")
def gen_wrap(fn):
    def wrap(tables, *a, **k):
        # time the writer without the rows it pulls from the generator (the extraction)
        acc = [0.0, 0.0]
        def pulled():
            it = iter(tables)
            while True:
                s = clock()
                try:
                    t = next(it)
                except StopIteration:
                    d = [x - y for x, y in zip(clock(), s)]; acc[0] += d[0]; acc[1] += d[1]
                    return
                d = [x - y for x, y in zip(clock(), s)]; acc[0] += d[0]; acc[1] += d[1]
                yield t
        s = clock()
        try:
            return fn(pulled(), *a, **k)
        finally:
            w, c = (x - y for x, y in zip(clock(), s))
            add("parquet: part written (rows to Arrow, fsync)", w - acc[0], c - acc[1])
    return wrap
store.write_part = gen_wrap(store.write_part)  # compute imports it at call time
import atexit

@atexit.register  # runs in the command's own ending too (console_main may skip teardown)
def report():
    add("total", *[x - y for x, y in zip(clock(), (W0, C0))])
    print("STAGES " + json.dumps(T), flush=True)

if hasattr(cli, "console_main"):  # as `python -m emofeat` runs it (its own way of ending)
    cli.console_main()
sys.exit(cli.main(sys.argv[1:]))
"""


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--files", type=int, default=240)
    ap.add_argument("--passes", type=int, default=5)
    ap.add_argument("--no-write", action="store_true",
                    help="print only (figures of a loaded machine)")
    args = ap.parse_args()
    print(setting(1, args.passes) + " (fresh processes: "
          + ", ".join(f"{k}={v}" for k, v in ONE_THREAD_ENV.items()) + ")", flush=True)
    df = ravdess_labels(args.files)
    tmp = Path(tempfile.mkdtemp())
    manifest = tmp / "m.csv"
    df.to_csv(manifest, index=False)
    # as after a pip install: byte code written once (_common.environment). An environment
    # that forbids it (PYTHONDONTWRITEBYTECODE, set on this machine) makes every pass
    # recompile emofeat's ~26 modules from source: 0.125 s of CPU per command here
    # (docs/egemaps.md, sixth round); openSMILE's installed package has its byte code
    env = environment(None)
    subprocess.run([sys.executable, "-m", "emofeat", "warmup", "--set", "egemaps"], check=True,
                   env=env, capture_output=True)
    runs = []
    load0 = os.getloadavg()[0]
    for _ in range(args.passes):
        r0, w0 = resource.getrusage(resource.RUSAGE_CHILDREN), time.perf_counter()
        res = subprocess.run([sys.executable, "-c", CHILD, "extract", "--set", "egemaps",
                              str(manifest), "-o", str(tmp / "e.parquet"), "-q", "--overwrite",
                              "-j", "1"], env=env, capture_output=True, text=True)
        wall = time.perf_counter() - w0
        r1 = resource.getrusage(resource.RUSAGE_CHILDREN)
        if res.returncode != 0:
            raise SystemExit(res.stderr[-3000:])
        run = json.loads(res.stdout.split("STAGES ", 1)[1].splitlines()[0])
        cpu = r1.ru_utime - r0.ru_utime + r1.ru_stime - r0.ru_stime
        # what the timers inside cannot see: the interpreter's start before the first line
        # and the process's exit (module teardown, freeing)
        run["interpreter start + exit"] = [wall - run["total"][0], cpu - run["total"][1], 1]
        run["total"] = [wall, cpu, 1]
        runs.append(run)
    load1 = os.getloadavg()[0]
    # the pass of median total CPU time, whole (medians of each stage would not add up)
    mid = sorted(runs, key=lambda r: r["total"][1])[len(runs) // 2]
    med = {k: tuple(v) for k, v in mid.items()}
    named = sum(v[0] for k, v in med.items() if k != "total")
    named_c = sum(v[1] for k, v in med.items() if k != "total")
    med["the rest: runner per file, manifest, table, progress, exit"] = (
        med["total"][0] - named, med["total"][1] - named_c, 0)
    total = med.pop("total")
    med["total"] = total
    print(f"{len(df)} RAVDESS files, {args.passes} fresh processes (the pass of median CPU "
          f"time); load average {load0:.1f} -> {load1:.1f}")
    rows = []
    for k, (w, c, n) in med.items():
        print(f"  {k:<62} {w:6.2f} s wall {c:6.2f} s CPU" + (f"  ({n} calls)" if n > 1 else ""))
        rows.append({"stage": k, "wall_s": round(w, 3), "cpu_s": round(c, 3), "calls": n})
    low_w, low_c = min(r["total"][0] for r in runs), min(r["total"][1] for r in runs)
    print(f"  {'total, fastest pass (min over passes)':<62} {low_w:6.2f} s wall {low_c:6.2f} s CPU")
    if args.no_write:
        return
    write_results(
        "profile_cli_egemaps",
        "python benchmarks/" + " ".join([Path(sys.argv[0]).name, *sys.argv[1:]]),
        {"stages": rows},
        notes=f"emofeat extract --set egemaps on {len(df)} RAVDESS files, -j 1, --overwrite, "
              f"kernels warm; timers around each stage; the pass of median CPU of {args.passes} "
              f"fresh processes (fastest pass: {low_w:.2f} s wall, {low_c:.2f} s CPU); BLAS "
              f"one thread; load {load0:.1f} -> {load1:.1f}.")


if __name__ == "__main__":
    main()
