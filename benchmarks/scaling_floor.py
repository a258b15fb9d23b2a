"""How far two processes can split the MFCC work on this machine at all, beside how far
``emofeat extract -j 2`` splits it: the ceiling of the `-j 2` target, measured.

Each pass times four things, interleaved:

* the floor loop (decoding every file and the MFCC kernel: ``floor_mfcc.py``) in one
  process over the 1,440 files;
* the same loop in two processes at once, each over every other file, started together
  after both have imported everything and loaded the kernels (a pipe releases them), timed
  from the release to the last one's end: no interpreter, no imports, no fork, no merge,
  nothing serial; what is left is what two busy cores of this machine give against one
  (shared caches, memory bandwidth, clock boost, the host's other guests);
* ``emofeat extract --set mfcc -j 1`` and ``-j 2`` on the same manifest, fresh processes,
  ``--overwrite``, start-up included (the target's measure).

Prints the medians, the floor's split (one process' loop over the two processes' loop, median
of per-pass ratios), the command's split, and the command's split as a fraction of the
floor's. The free-core probe of ``scaling.py`` runs before each pass.

    python benchmarks/scaling_floor.py [--files 1440] [--passes 7] [--no-write]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
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
    ravdess_labels(args.files).to_csv(manifest, index=False)
    env, _ = warm_command_variants("mfcc")
    out = tmp / "out.parquet"

    def command(jobs: int) -> tuple[float, float]:
        return timed_command([sys.executable, "-m", "emofeat", "extract", "--set", "mfcc",
                              str(manifest), "-o", str(out), "-q", "--overwrite", "-j",
                              str(jobs)], env, cwd=Path(tempfile.gettempdir()))

    variants = {"floor, 1 process": lambda: floor_loop(manifest, 1, env),
                "floor, 2 processes": lambda: floor_loop(manifest, 2, env),
                "command -j 1": lambda: command(1),
                "command -j 2": lambda: command(2)}
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
    if not args.no_write:
        write_results(
            "scaling_floor", "python benchmarks/" + " ".join([Path(sys.argv[0]).name,
                                                              *sys.argv[1:]]),
            {"variants": rows,
             "splits": [{"floor_split": round(floor_split, 3),
                         "command_split": round(cmd_split, 3),
                         "free_cores_min": min(free), "free_cores_median":
                         statistics.median(free), "free_cores_max": max(free)}]},
            notes="floor split: the floor loop (decoding + MFCC kernel) in one process "
                  "against two processes released together after their start-up; command "
                  "split: emofeat extract --set mfcc -j 1 against -j 2, whole command",
            extra={"passes": {k: {"wall_s": wall[k], "cpu_s": cpu[k]} for k in variants},
                   "free_cores": free})


if __name__ == "__main__":
    main()
