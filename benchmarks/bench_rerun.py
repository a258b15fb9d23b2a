"""A rerun with nothing left to do: ``emofeat extract --set mfcc labels.csv -o OUT -j N`` run
again on an output that already holds every input, as a user reruns a finished command (a
script run twice, a make rule). With ``-j N`` the command used to fork its workers and load
their kernels before it read the output; since 5e19f72 it reads the keys the output holds
first (parquet footers, no thread started) and forks nothing when they cover every input.

Each variant's output is written once, untimed; then every pass runs each variant once in a
fresh process, interleaved (this tree and ``--baseline-src``'s, ``-j 1`` and ``-j 2``, file
and dataset outputs); medians and minima of wall and CPU seconds (user + system of the
process and its children), and the ratio of the baseline to this tree as the median of the
per-pass CPU ratios. BLAS one thread; kernels warm, as after ``emofeat warmup``.

    python benchmarks/bench_rerun.py [--files 1440] [--passes 7] [--baseline-src DIR]
                                     [--no-write]
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path

from _common import (
    median_min,
    ratio_median,
    ravdess_labels,
    timed_command,
    warm_command_variants,
    write_results,
)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--files", type=int, default=1440)
    ap.add_argument("--passes", type=int, default=7)
    ap.add_argument("--baseline-src", default=None, metavar="DIR")
    ap.add_argument("--no-write", action="store_true")
    args = ap.parse_args()
    if args.passes < 5:
        raise SystemExit("--passes must be >= 5 (medians of interleaved passes)")
    tmp = Path(tempfile.mkdtemp(prefix="bench_rerun_"))
    manifest = tmp / "labels.csv"
    ravdess_labels(args.files).to_csv(manifest, index=False)
    env, trees = warm_command_variants("mfcc", args.baseline_src)
    variants = {}
    for tree, src in trees.items():
        for layout, suffix in (("file", ".parquet"), ("dataset", "")):
            for jobs in (1, 2):
                name = f"{tree} {layout} -j {jobs}"
                out = tmp / f"{name.replace(' ', '_')}{suffix}"
                cmd = [sys.executable, "-m", "emofeat", "extract", "--set", "mfcc",
                       str(manifest), "-o", str(out), "--format", layout, "-q", "-j",
                       str(jobs)]
                variants[name] = (cmd, {**env, **({"PYTHONPATH": src} if src else {})})
    for cmd, e in variants.values():  # the outputs, complete: every later run is a rerun
        timed_command(cmd, e, cwd=tmp)
    wall = {k: [] for k in variants}
    cpu = {k: [] for k in variants}
    for _ in range(args.passes):
        for name, (cmd, e) in variants.items():
            w, c = timed_command(cmd, e, cwd=tmp)
            wall[name].append(w)
            cpu[name].append(c)
    rows = []
    print(f"rerun of a finished output, {args.files} RAVDESS files, mfcc, {args.passes} "
          f"interleaved passes; load average {os.getloadavg()[0]:.2f}")
    for name in variants:
        (wm, wn), (cm, cn) = median_min(wall[name]), median_min(cpu[name])
        row = {"variant": name, "wall_median_s": round(wm, 3), "wall_min_s": round(wn, 3),
               "cpu_median_s": round(cm, 3), "cpu_min_s": round(cn, 3)}
        base = name.replace("this tree", "baseline")
        if name.startswith("this tree") and base in cpu:
            row["baseline_over_this_cpu"] = round(ratio_median(cpu[base], cpu[name]), 3)
        rows.append(row)
        print(f"  {name:28s} wall {wm:.3f} ({wn:.3f}) s  CPU {cm:.3f} ({cn:.3f}) s"
              + (f"  baseline/this CPU {row['baseline_over_this_cpu']:.2f}x"
                 if "baseline_over_this_cpu" in row else ""))
    if not args.no_write:
        path = write_results(
            "bench_rerun", "python benchmarks/" + " ".join([Path(sys.argv[0]).name,
                                                            *sys.argv[1:]]),
            {"rerun": rows}, notes="a rerun with every input already in the output; fresh "
            "processes, variants interleaved; ratios: medians of per-pass CPU ratios")
        print(f"wrote {path}")


if __name__ == "__main__":
    main()
