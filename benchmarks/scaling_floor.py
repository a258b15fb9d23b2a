"""How far two processes can split the MFCC work on this machine at all, beside how far
``emofeat extract -j 2`` splits it: the ceiling of the `-j 2` target, measured.

Each pass times these, interleaved:

* the floor loop (decoding every file and the MFCC kernel: ``floor_mfcc.py``) in one
  process over the 1,440 files;
* the same loop in two processes at once, each over every other file, started together
  after both have imported everything and loaded the kernels (a pipe releases them), timed
  from the release to the last one's end: no interpreter, no imports, no fork, no merge,
  nothing serial; what is left is what two busy cores of this machine give against one
  (shared caches, memory bandwidth, clock boost, the host's other guests);
* ``emofeat extract --set mfcc -j 1`` and ``-j 2`` on the same manifest, fresh processes,
  ``--overwrite``, start-up included (the target's measure);
* two ``emofeat extract -j 1`` commands started at once, each on every other file of the
  manifest, into two files: what a user gets from two processes without ``-j`` (each pays
  the whole start-up, on its own core), timed from the launch to the second one's end.
  ``-j 2`` against this pair shows what the forked workers, the shared start-up and the one
  merged output cost or save against plain processes.

Prints the medians, the floor's split (one process' loop over the two processes' loop, median
of per-pass ratios), the command's split, the command's split as a fraction of the
floor's, the pair's split and ``-j 2`` against the pair. The free-core probe of
``scaling.py`` runs before each pass.

    python benchmarks/scaling_floor.py [--files 1440] [--passes 7] [--no-write]
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from _common import ravdess_labels, timed_command, warm_command_variants, write_results
from scaling import free_cores

HERE = Path(__file__).resolve().parent


def floor_loop(manifest: Path, n: int, env: dict) -> tuple[float, float]:
    """Wall seconds from the release of ``n`` ready workers to the last one's end (the clock
    is CLOCK_MONOTONIC, shared by the processes), and their CPU seconds in all."""
    procs = [subprocess.Popen([sys.executable, str(HERE / "floor_mfcc.py"), str(manifest),
                               "--part", str(k), str(n), "--wait"],
                              stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
                              env=env, cwd=tempfile.gettempdir()) for k in range(n)]
    try:
        for p in procs:
            if p.stdout.readline().strip() != "ready":
                raise SystemExit("floor_mfcc.py failed before its loop")
        for p in procs:
            p.stdin.write("go\n")
            p.stdin.flush()
        outs = [json.loads(p.stdout.readline()) for p in procs]
    except BaseException:
        for p in procs:  # a worker still waiting for "go" would never end
            p.kill()
        raise
    finally:
        for p in procs:
            p.wait()
    return (max(o["t1"] for o in outs) - min(o["t0"] for o in outs),
            sum(o["loop_cpu_s"] for o in outs))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--files", type=int, default=1440)
    ap.add_argument("--passes", type=int, default=7)
    ap.add_argument("--no-write", action="store_true", help="do not write results/*.json")
    args = ap.parse_args()
    tmp = Path(tempfile.mkdtemp())
    manifest = tmp / "labels.csv"
    table = ravdess_labels(args.files)
    table.to_csv(manifest, index=False)
    env, _ = warm_command_variants("mfcc")
    out = tmp / "out.parquet"

    halves = [tmp / "half0.csv", tmp / "half1.csv"]
    for k, half in enumerate(halves):
        table.iloc[k::2].to_csv(half, index=False)

    def extract(rows: Path, output: Path, jobs: int) -> list[str]:
        return [sys.executable, "-m", "emofeat", "extract", "--set", "mfcc", str(rows), "-o",
                str(output), "-q", "--overwrite", "-j", str(jobs)]

    def pair() -> tuple[float, float]:
        """Two one-process commands at once, on the two halves: wall seconds from the launch
        to the second one's end, CPU seconds of both."""
        r0 = resource.getrusage(resource.RUSAGE_CHILDREN)
        t0 = time.perf_counter()
        procs = [subprocess.Popen(extract(half, tmp / f"half{k}.parquet", 1), env=env,
                                  cwd=tempfile.gettempdir(), stdout=subprocess.DEVNULL,
                                  stderr=subprocess.PIPE, text=True)
                 for k, half in enumerate(halves)]
        stderr = [p.communicate()[1] for p in procs]  # read while they run: no full pipe
        wall = time.perf_counter() - t0
        r1 = resource.getrusage(resource.RUSAGE_CHILDREN)
        errors = [e for p, e in zip(procs, stderr, strict=True) if p.returncode]
        if errors:
            raise SystemExit("a half's command failed:\n" + "".join(errors)[-2000:])
        return wall, (r1.ru_utime - r0.ru_utime) + (r1.ru_stime - r0.ru_stime)

    def command(jobs: int) -> tuple[float, float]:
        return timed_command(extract(manifest, out, jobs), env,
                             cwd=Path(tempfile.gettempdir()))

    variants = {"floor, 1 process": lambda: floor_loop(manifest, 1, env),
                "floor, 2 processes": lambda: floor_loop(manifest, 2, env),
                "command -j 1": lambda: command(1),
                "command -j 2": lambda: command(2),
                "2 commands, halves": pair}
    for fn in variants.values():  # untimed: page cache, kernels, byte code
        fn()
    wall: dict[str, list[float]] = {k: [] for k in variants}
    cpu: dict[str, list[float]] = {k: [] for k in variants}
    free: list[float] = []
    for _ in range(args.passes):
        free.append(free_cores(2))
        for name, fn in variants.items():
            w, c = fn()
            wall[name].append(w)
            cpu[name].append(c)

    def split(a: str, b: str) -> float:
        return statistics.median(x / y for x, y in zip(wall[a], wall[b], strict=True))

    floor_split = split("floor, 1 process", "floor, 2 processes")
    cmd_split = split("command -j 1", "command -j 2")
    pair_split = split("command -j 1", "2 commands, halves")
    j2_vs_pair = split("2 commands, halves", "command -j 2")
    print(f"{args.files} RAVDESS files, {args.passes} interleaved passes, BLAS one thread; "
          f"free cores before each pass {min(free):.2f}-{max(free):.2f} (median "
          f"{statistics.median(free):.2f}); load average {os.getloadavg()[0]:.2f}")
    rows = []
    for name in variants:
        rows.append({"variant": name, "wall_s": round(statistics.median(wall[name]), 3),
                     "wall_min_s": round(min(wall[name]), 3),
                     "cpu_s": round(statistics.median(cpu[name]), 3)})
        print(f"  {name:20s} wall median {rows[-1]['wall_s']:6.2f} s  min "
              f"{rows[-1]['wall_min_s']:6.2f} s  CPU median {rows[-1]['cpu_s']:6.2f} s")
    print(f"  the floor's split (two processes against one, nothing serial): "
          f"{floor_split:.2f}x (median of per-pass ratios)")
    print(f"  the command's split (-j 2 against -j 1, start-up and merge included): "
          f"{cmd_split:.2f}x, {cmd_split / floor_split:.0%} of the floor's")
    print(f"  two -j 1 commands on halves at once against -j 1: {pair_split:.2f}x; "
          f"-j 2 against that pair: {j2_vs_pair:.2f}x (above 1: -j 2 faster)")
    if not args.no_write:
        write_results(
            "scaling_floor", "python benchmarks/" + " ".join([Path(sys.argv[0]).name,
                                                              *sys.argv[1:]]),
            {"variants": rows,
             "splits": [{"floor_split": round(floor_split, 3),
                         "command_split": round(cmd_split, 3),
                         "pair_split": round(pair_split, 3),
                         "j2_vs_pair": round(j2_vs_pair, 3),
                         "free_cores_min": min(free), "free_cores_median":
                         statistics.median(free), "free_cores_max": max(free)}]},
            notes="floor split: the floor loop (decoding + MFCC kernel) in one process "
                  "against two processes released together after their start-up; command "
                  "split: emofeat extract --set mfcc -j 1 against -j 2, whole command; pair "
                  "split: -j 1 against two -j 1 commands on the manifest's halves at once",
            extra={"passes": {k: {"wall_s": wall[k], "cpu_s": cpu[k]} for k in variants},
                   "free_cores": free})


if __name__ == "__main__":
    main()
