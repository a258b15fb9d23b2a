"""Where the serial seconds of ``emofeat extract`` go: the command's own process, stage by
stage, in wall and CPU seconds from the process' launch.

Each pass is a fresh process running the command as the ``emofeat`` program does, with the
stage functions wrapped to note the time: the manifest read (its imports before it), the
kernels loaded (when the workers are forked next, ``-j N``), the workers forked, the output
opened, the shards submitted, the first and the last shard back, the merge done, the
command's return, the process' end (with the CPU of all its processes, workers included).
What lies before "shards submitted" and after "last shard back" is serial: it caps what
``-j 2`` can gain over one process. ``--baseline-src DIR`` (a source tree laid out as
installed, see bench_startup.py) is measured in the same passes, interleaved.

    python benchmarks/profile_cli_stages.py [--jobs 2] [--files 1440] [--passes 5]
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
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--files", type=int, default=1440)
    ap.add_argument("--passes", type=int, default=5)
    ap.add_argument("--baseline-src", default=None,
                    help="a source tree to compare with (interleaved passes)")
    ap.add_argument("--no-write", action="store_true", help="do not write results/*.json")
    args = ap.parse_args()
    tmp = Path(tempfile.mkdtemp())
    manifest = tmp / "labels.csv"
    ravdess_labels(args.files).to_csv(manifest, index=False)
    env, variants = warm_command_variants(args.set, args.baseline_src)
    runs: dict[str, list] = {k: [] for k in variants}
    for _ in range(args.passes):
        for name, src in variants.items():
            out = tmp / f"{name.replace(' ', '_')}.parquet"
            runs[name].append(one_pass(src, ["extract", "--set", args.set, str(manifest),
                                             "-o", str(out), "-q", "--overwrite", "-j",
                                             str(args.jobs)], env))
    load = os.getloadavg()[0]
    print(f"emofeat extract --set {args.set} -j {args.jobs}, {args.files} RAVDESS files, "
          f"{args.passes} interleaved passes, medians of wall and CPU seconds from the "
          f"process' launch; load average {load:.2f}")
    rows = []
    stages = [m[0] for m in runs["this tree"][0]]
    for i, stage in enumerate(stages):
        row = {"stage": stage}
        for name, recs in runs.items():
            row[f"{name} wall s"] = statistics.median(r[i][1] for r in recs)
            row[f"{name} CPU s"] = statistics.median(r[i][2] for r in recs)
        rows.append(row)
        print(f"  {stage:<40} " + "  ".join(
            f"{name}: wall {row[f'{name} wall s']:6.2f} CPU {row[f'{name} CPU s']:6.2f}"
            for name in runs))
    if not args.no_write:
        write_results("cli_stages", "python benchmarks/" + " ".join(
            [Path(sys.argv[0]).name, *sys.argv[1:]]), {"stages": rows},
            notes=f"emofeat extract --set {args.set} -j {args.jobs} on {args.files} RAVDESS "
                  "files: the command's own process by stage (wall and CPU seconds since "
                  "launch); the last row's CPU is that of all its processes")


if __name__ == "__main__":
    main()
