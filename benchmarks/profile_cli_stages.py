"""Where the serial seconds of ``emofeat extract`` go: the command's own process, stage by
stage, in wall and CPU seconds from the process' launch.

Each pass is a fresh process running the command as the ``emofeat`` program does, with the
stage functions wrapped to note the time: the manifest read (its imports before it), the
kernels loaded (when the workers are forked next, ``-j N``), the workers forked, the output
opened, the shards submitted, the first and the last shard back, the merge done, the
command's return, the process' end (with the CPU of all its processes, workers included).
What lies before "shards submitted" and after "last shard back" is serial: it caps what
``-j 2`` can gain over one process. ``--jobs 1,2`` profiles both in the same passes,
interleaved (two separate runs of this script drift with the host: the same stage read 0.15 s
in one and 0.24 s in the next), and prints the per-pass ratio of their whole times.
``--baseline-src DIR`` (a source tree laid out as installed, see bench_startup.py) is
measured in the same passes, interleaved.

    python benchmarks/profile_cli_stages.py [--jobs 2 | --jobs 1,2] [--files 1440] [--passes 5]
                                            [--baseline-src /tmp/base] [--no-write]
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

from _common import ravdess_labels, warm_command_variants, write_results

CHILD = r"""
import json, sys, time
T0 = float(sys.argv[1])
marks = []
def mark(name):
    marks.append((name, time.time() - T0, time.process_time()))
mark("interpreter up")
import emofeat.cli as cli
cli._CONSOLE = True  # as the emofeat program (console_main)
import emofeat.runner as R
def wrap(mod, name, before=None, after=None):
    f = getattr(mod, name)
    def g(*a, **k):
        if before:
            mark(before)
        out = f(*a, **k)
        if after:
            mark(after)
        return out
    setattr(mod, name, g)
wrap(cli, "collect_inputs", None, "manifest read (imports before it)")
wrap(R, "start_fork_pool", "kernels loaded (workers forked next)", "workers forked")
wrap(R, "_open_store", None, "output opened")
shards = R.run_shards
def run_shards(*a, **k):
    mark("shards submitted")
    first = True
    for pair in shards(*a, **k):
        if first:
            mark("first shard back")
            first = False
        yield pair
    mark("last shard back")
R.run_shards = run_shards
wrap(R, "_finish", None, "merge done")
rc = cli.main(sys.argv[2:])
mark("command returned")
print(json.dumps(marks), flush=True)
cli._end_now(rc)
"""


def one_pass(src: str | None, args: list[str], env: dict) -> list[tuple[str, float, float]]:
    env = dict(env)
    if src is not None:
        env["PYTHONPATH"] = src
    r0 = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.time()
    out = subprocess.run([sys.executable, "-c", CHILD, str(t0), *args], env=env,
                         capture_output=True, text=True, check=True,
                         cwd=tempfile.gettempdir())
    wall = time.time() - t0
    r1 = resource.getrusage(resource.RUSAGE_CHILDREN)
    marks = [tuple(m) for m in json.loads(out.stdout.strip().splitlines()[-1])]
    cpu = (r1.ru_utime - r0.ru_utime) + (r1.ru_stime - r0.ru_stime)
    return marks + [("process ended (CPU: all its processes)", wall, cpu)]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--set", default="mfcc")
    ap.add_argument("--jobs", default="2", help="workers, or a comma list (interleaved)")
    ap.add_argument("--files", type=int, default=1440)
    ap.add_argument("--passes", type=int, default=5)
    ap.add_argument("--baseline-src", default=None,
                    help="a source tree to compare with (interleaved passes)")
    ap.add_argument("--no-write", action="store_true", help="do not write results/*.json")
    args = ap.parse_args()
    tmp = Path(tempfile.mkdtemp())
    manifest = tmp / "labels.csv"
    ravdess_labels(args.files).to_csv(manifest, index=False)
    env, trees = warm_command_variants(args.set, args.baseline_src)
    jobs = [int(j) for j in str(args.jobs).split(",")]
    variants = {(name if len(jobs) == 1 else f"{name} -j {j}"): (src, j)
                for name, src in trees.items() for j in jobs}
    runs: dict[str, list] = {k: [] for k in variants}
    for _ in range(args.passes):
        for name, (src, j) in variants.items():
            out = tmp / f"{name.replace(' ', '_')}.parquet"
            runs[name].append(one_pass(src, ["extract", "--set", args.set, str(manifest),
                                             "-o", str(out), "-q", "--overwrite", "-j",
                                             str(j)], env))
    load = os.getloadavg()[0]
    print(f"emofeat extract --set {args.set} -j {args.jobs}, {args.files} RAVDESS files, "
          f"{args.passes} interleaved passes, medians of wall and CPU seconds from the "
          f"process' launch; load average {load:.2f}")
    rows = []
    for name, recs in runs.items():
        # the stages of each variant in order (-j 1 has no fork: its stages differ)
        for i, stage in enumerate(m[0] for m in recs[0]):
            rows.append({"variant": name, "stage": stage,
                         "wall_s": round(statistics.median(r[i][1] for r in recs), 3),
                         "cpu_s": round(statistics.median(r[i][2] for r in recs), 3)})
    width = max(len(k) for k in runs)
    for row in rows:
        print(f"  {row['variant']:<{width}}  {row['stage']:<40} wall {row['wall_s']:6.2f} "
              f"CPU {row['cpu_s']:6.2f}")
    ratios = []
    if len(jobs) > 1:
        for name in trees:
            one, many = (runs[f"{name} -j {j}"] for j in (jobs[0], jobs[-1]))
            ratio = statistics.median(a[-1][1] / b[-1][1] for a, b in zip(one, many,
                                                                           strict=True))
            ratios.append({"tree": name, "jobs": f"{jobs[0]} against {jobs[-1]}",
                           "whole_command_ratio_per_pass": round(ratio, 3)})
            print(f"  {name}: -j {jobs[0]} over -j {jobs[-1]}, whole command, median of "
                  f"per-pass ratios: {ratio:.2f}x")
    if not args.no_write:
        write_results("cli_stages", "python benchmarks/" + " ".join(
            [Path(sys.argv[0]).name, *sys.argv[1:]]),
            {"stages": rows, **({"ratios": ratios} if ratios else {})},
            notes=f"emofeat extract --set {args.set} -j {args.jobs} on {args.files} RAVDESS "
                  "files: the command's own process by stage (wall and CPU seconds since "
                  "launch); the last row's CPU is that of all its processes")


if __name__ == "__main__":
    main()
