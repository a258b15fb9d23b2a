"""Start-up of ``emofeat extract``: time from the command's start to the first file processed,
and what the command imports.

Each pass is a fresh process running the command (``emofeat.cli.main``) on a few RAVDESS
files with warm kernels (``emofeat warmup`` first) and ``--overwrite``; the time runs from
just before the process is launched to the moment the first file's features are computed
(the runner's ``process_one`` returns), and to the end of the command. The modules of
interest found in ``sys.modules`` at the end are reported (scikit-learn, ``scipy.stats``,
``scipy.signal``, matplotlib must not be there).

With ``--baseline-src DIR`` (a folder laid out as the installed package: ``DIR/emofeat`` with
``extractors`` and ``classifiers`` inside, e.g. from ``git archive``) the same is measured
for that source tree, passes interleaved, so two versions compare on the same machine load.

    python benchmarks/bench_startup.py [--set mfcc] [--files 1] [--passes 7]
                                       [--baseline-src /tmp/base]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from _common import DATA, warm_command_variants, write_results

HEAVY = ("sklearn", "scipy.stats", "scipy.signal", "scipy.sparse", "matplotlib",
         "pandas.plotting._matplotlib", "librosa",
         # start-up the extraction does not need either (issue 9): scipy.fft's package
         # (scipy.special, the array-API layer), scipy.linalg (through Numba's BLAS check),
         # tqdm without a bar, joblib without workers
         "scipy.fft", "scipy.special", "scipy.linalg", "tqdm", "joblib")

CHILD = r"""
import sys, time, json
t_import = time.time()
import emofeat.compute as C
first = []
_orig = C.process_one
def _hooked(*a, **k):
    out = _orig(*a, **k)
    if not first:
        first.append(time.time())
    return out
C.process_one = _hooked
import emofeat.cli as cli
cli._CONSOLE = True  # what the emofeat program does (console_main), e.g. Numba's lean loads
rc = cli.main(sys.argv[2:])
end = time.time()
heavy = [m for m in json.loads(sys.argv[1]) if m in sys.modules]
print(json.dumps({"rc": rc, "first": first[0] if first else None, "end": end,
                  "heavy": heavy}), flush=True)
if getattr(cli, "_END_FAST", False):  # as the console script ends (cli.console_main)
    cli._end_now(rc)
"""


def one_pass(src: str | None, args: list[str], env: dict) -> dict:
    env = dict(env)
    if src is not None:
        env["PYTHONPATH"] = src
    import resource

    r0 = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.time()
    out = subprocess.run([sys.executable, "-c", CHILD, json.dumps(HEAVY), *args], env=env,
                         capture_output=True, text=True, check=True, cwd=tempfile.gettempdir())
    total = time.time() - t0
    r1 = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (r1.ru_utime - r0.ru_utime) + (r1.ru_stime - r0.ru_stime)
    rec = json.loads(out.stdout.strip().splitlines()[-1])
    return {"first_file_s": rec["first"] - t0, "command_s": total, "cpu_s": cpu,
            "heavy": rec["heavy"]}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--set", default="mfcc")
    ap.add_argument("--files", type=int, default=1)
    ap.add_argument("--passes", type=int, default=7)
    ap.add_argument("--baseline-src", default=None,
                    help="a source tree to compare with (interleaved passes)")
    ap.add_argument("--no-write", action="store_true", help="do not write results/*.json")
    args = ap.parse_args()
    labels = DATA / "speech" / "ravdess" / "labels.csv"
    files = sorted(str(p) for p in (labels.parent).glob("Actor_*/*.flac"))[: args.files]
    if not files:
        raise SystemExit(f"no RAVDESS files under {labels.parent}")
    tmp = Path(tempfile.mkdtemp())
    manifest = tmp / "m.csv"
    manifest.write_text("path\n" + "\n".join(files) + "\n")
    env, variants = warm_command_variants(args.set, args.baseline_src)
    runs: dict[str, list[dict]] = {k: [] for k in variants}
    for _ in range(args.passes):
        for name, src in variants.items():
            out = tmp / f"{name.replace(' ', '_')}.parquet"
            runs[name].append(one_pass(src, ["extract", "--set", args.set, str(manifest),
                                             "-o", str(out), "-q", "--overwrite"], env))
    rows = []
    load = os.getloadavg()
    print(f"emofeat extract --set {args.set}, {len(files)} file(s), {args.passes} interleaved "
          f"passes, fresh processes, warm kernels; load average {load[0]:.2f}")
    for name, rs in runs.items():
        first = [r["first_file_s"] for r in rs]
        total = [r["command_s"] for r in rs]
        cpu = [r["cpu_s"] for r in rs]
        heavy = sorted({m for r in rs for m in r["heavy"]})
        rows.append({"variant": name, "first_file_median_s": statistics.median(first),
                     "first_file_min_s": min(first), "command_median_s": statistics.median(total),
                     "command_min_s": min(total), "command_cpu_median_s": statistics.median(cpu),
                     "heavy_modules": ", ".join(heavy) or "none"})
        print(f"  {name:<10} first file processed after {statistics.median(first):.2f} s "
              f"(min {min(first):.2f}); whole command {statistics.median(total):.2f} s "
              f"(min {min(total):.2f}), CPU {statistics.median(cpu):.2f} s; imported: "
              f"{', '.join(heavy) or 'none of ' + str(HEAVY)}")
    if not args.no_write:
        write_results("startup", "python benchmarks/" + " ".join(
            [Path(sys.argv[0]).name, *sys.argv[1:]]), {"start-up": rows},
            notes=f"emofeat extract --set {args.set} on {len(files)} RAVDESS file(s); time from "
                  "process launch to the first file's features, and to the command's end")


if __name__ == "__main__":
    main()
