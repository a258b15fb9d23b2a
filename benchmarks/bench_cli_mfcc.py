"""The whole command a user runs, side by side: ``emofeat extract --set mfcc`` against the
plain librosa script (``librosa_mfcc_script.py``), both as fresh processes on the same RAVDESS
manifest, start-up, decoding, deltas, functionals and parquet writing included (the shared
RAVDESS copy is 16 kHz FLAC: no resampling on either side).

The floor is the third variant of every pass (``floor_mfcc.py``, a fresh process on the same
files): decoding every file plus emofeat's MFCC kernel alone, timed inside that process over
the files (its imports and kernel loading are reported beside it, not counted). The three are
interleaved (librosa, emofeat, floor, librosa, ...); medians and minima are reported; each
ratio's headline (``speed_up``, ``times_floor``) is the median of the per-pass ratios, the
ratio of the medians beside it (``*_of_medians``). BLAS one thread;
emofeat's kernels are warm (compiled by ``emofeat warmup`` first, as after install); emofeat
runs with ``--overwrite`` so no pass is a resume that skips the work; byte code written once.

    python benchmarks/bench_cli_mfcc.py [--files 1440] [--passes 5] [--baseline-src DIR]

``--baseline-src DIR``: also ``emofeat extract`` from another source tree (laid out as
installed: ``DIR/emofeat`` with ``extractors`` inside, e.g. ``git archive`` of an earlier
commit), a fourth variant of every pass, to compare two versions under the same load.

Writes benchmarks/results/cli_mfcc.json. ``benchmarks/profile_cli_mfcc.py`` shows where the
command's seconds go; ``benchmarks/bench_startup.py`` the time to the first file processed.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from _common import (
    ONE_THREAD_ENV,
    environment,
    ravdess_labels,
    setting,
    timed_command,
    write_results,
)

HERE = Path(__file__).resolve().parent


def _timed_in(cmd: list[str], env: dict, cwd: Path) -> tuple[float, float]:
    """Wall and CPU seconds of ``cmd`` run in ``cwd`` (``python -m`` puts the working folder
    first on the path: the baseline tree must not be shadowed by this checkout)."""
    import resource

    r0 = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    proc = subprocess.run(cmd, env=env, cwd=cwd, capture_output=True, text=True)
    wall = time.perf_counter() - t0
    r1 = resource.getrusage(resource.RUSAGE_CHILDREN)
    if proc.returncode != 0:
        raise SystemExit(f"{' '.join(cmd)} failed:\n{proc.stderr[-2000:]}")
    return wall, (r1.ru_utime - r0.ru_utime) + (r1.ru_stime - r0.ru_stime)


def floor_pass(manifest: Path, env: dict) -> dict:
    """One fresh floor process: the loop's wall and CPU seconds, and the whole process'."""
    import json
    import resource

    r0 = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    proc = subprocess.run([sys.executable, str(HERE / "floor_mfcc.py"), str(manifest)],
                          env=env, capture_output=True, text=True)
    wall = time.perf_counter() - t0
    r1 = resource.getrusage(resource.RUSAGE_CHILDREN)
    if proc.returncode != 0:
        raise SystemExit(f"floor_mfcc.py failed:\n{proc.stderr[-2000:]}")
    rec = json.loads(proc.stdout.strip().splitlines()[-1])
    rec["wall_s"] = wall
    rec["cpu_s"] = (r1.ru_utime - r0.ru_utime) + (r1.ru_stime - r0.ru_stime)
    return rec


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--files", type=int, default=1440)
    ap.add_argument("--passes", type=int, default=5)
    ap.add_argument("--baseline-src", default=None,
                    help="also time emofeat extract from this source tree (a 4th variant)")
    args = ap.parse_args()
    print(setting(1, args.passes) + " (fresh processes: "
          + ", ".join(f"{k}={v}" for k, v in ONE_THREAD_ENV.items()) + ")", flush=True)
    df = ravdess_labels(args.files)
    tmp = Path(tempfile.mkdtemp())
    manifest = tmp / "m.csv"
    df.to_csv(manifest, index=False)
    # as after a pip install: byte code written once (_common.environment; an environment
    # that forbids it makes every pass recompile emofeat's own modules from source, about
    # 0.9 s here)
    env = environment(None)
    subprocess.run([sys.executable, "-m", "emofeat", "warmup", "--set", "mfcc"], check=True,
                   env=env, capture_output=True)
    base_env = None
    if args.baseline_src:
        base_env = environment(str(Path(args.baseline_src).resolve()))
        subprocess.run([sys.executable, "-m", "emofeat", "warmup", "--set", "mfcc"],
                       check=True, env=base_env, capture_output=True, cwd=tmp)
    ours = [sys.executable, "-m", "emofeat", "extract", "--set", "mfcc", str(manifest),
            "-o", str(tmp / "e.parquet"), "-q", "--overwrite", "--param",
            "functionals=('mean','std')"]
    ref = [sys.executable, str(HERE / "librosa_mfcc_script.py"), str(manifest),
           str(tmp / "l.parquet")]
    names = ("librosa script", "emofeat extract", "floor") + (
        ("emofeat extract, baseline tree",) if base_env else ())
    times: dict[str, list[float]] = {k: [] for k in names}
    cpu: dict[str, list[float]] = {k: [] for k in names}
    floor_process: list[float] = []
    for _ in range(args.passes):  # the three variants interleaved in every pass
        for name, cmd in (("librosa script", ref), ("emofeat extract", ours)):
            wall, used = timed_command(cmd, env)
            times[name].append(wall)
            cpu[name].append(used)
        if base_env is not None:
            wall, used = _timed_in(ours, base_env, tmp)
            times["emofeat extract, baseline tree"].append(wall)
            cpu["emofeat extract, baseline tree"].append(used)
        rec = floor_pass(manifest, env)
        times["floor"].append(rec["loop_s"])
        cpu["floor"].append(rec["loop_cpu_s"])
        floor_process.append(rec["wall_s"])
    med = {k: statistics.median(v) for k, v in times.items()}
    med_cpu = {k: statistics.median(v) for k, v in cpu.items()}
    lib, emo, floor = med["librosa script"], med["emofeat extract"], med["floor"]

    def per_pass(t: dict[str, list[float]], num: str, den: str) -> float:
        """Median over passes of ``num``'s seconds / ``den``'s in the same pass."""
        return statistics.median(a / b for a, b in zip(t[num], t[den], strict=True))

    # the headlines: medians of the per-pass ratios (each pass's variants ran back to back);
    # the ratios of the medians beside them, named so
    speed = per_pass(times, "librosa script", "emofeat extract")
    speed_cpu = per_pass(cpu, "librosa script", "emofeat extract")
    over_floor = per_pass(times, "emofeat extract", "floor")
    over_floor_cpu = per_pass(cpu, "emofeat extract", "floor")
    load = os.getloadavg()
    print(f"{len(df)} RAVDESS files, {args.passes} interleaved passes (librosa, emofeat, "
          f"floor), fresh processes, BLAS 1 thread; load average at the end "
          f"{load[0]:.2f} {load[1]:.2f} {load[2]:.2f}")
    for k, v in times.items():
        print(f"  {k:<16} median {statistics.median(v):6.2f} s   min {min(v):6.2f} s   "
              f"CPU median {med_cpu[k]:6.2f} s")
    print(f"  floor process as a whole (imports, kernel loading, the loop): median "
          f"{statistics.median(floor_process):.2f} s")
    print(f"  speed-up of the whole command over the librosa script (median of per-pass "
          f"ratios): {speed:.2f}x (ratio of medians {lib / emo:.2f}x; CPU time {speed_cpu:.2f}x"
          f"); emofeat takes {over_floor:.2f}x the floor (median of per-pass ratios; ratio of "
          f"medians {emo / floor:.2f}x; CPU time {over_floor_cpu:.2f}x)")
    rows = [{"what": k if k != "floor" else "floor: decode + MFCC kernel, timed inside a fresh "
             "process", "median_s": statistics.median(v), "min_s": min(v),
             "cpu_median_s": med_cpu[k], "passes": len(v)} for k, v in times.items()]
    rows.append({"what": "floor process as a whole (imports + kernel loading + loop)",
                 "median_s": statistics.median(floor_process), "min_s": min(floor_process),
                 "cpu_median_s": None, "passes": len(floor_process)})
    ratios = [
        {"what": "speed-up over the librosa script (librosa s / emofeat s)",
         "median_of_per_pass_ratios": speed, "ratio_of_medians": lib / emo,
         "ratio_of_minima": min(times["librosa script"]) / min(times["emofeat extract"]),
         "cpu_median_of_per_pass_ratios": speed_cpu},
        {"what": "emofeat extract over the floor (emofeat s / floor s)",
         "median_of_per_pass_ratios": over_floor, "ratio_of_medians": emo / floor,
         "ratio_of_minima": min(times["emofeat extract"]) / min(times["floor"]),
         "cpu_median_of_per_pass_ratios": over_floor_cpu},
    ]
    if base_env is not None:
        old = "emofeat extract, baseline tree"
        ratios.append({
            "what": "this tree over the baseline tree (baseline s / this tree s)",
            "median_of_per_pass_ratios": per_pass(times, old, "emofeat extract"),
            "ratio_of_medians": med[old] / emo,
            "ratio_of_minima": min(times[old]) / min(times["emofeat extract"]),
            "cpu_median_of_per_pass_ratios": per_pass(cpu, old, "emofeat extract")})
    write_results("cli_mfcc", "python benchmarks/" + " ".join(
        [Path(sys.argv[0]).name, *sys.argv[1:]]), {"whole command": rows, "ratios": ratios},
        notes=f"{len(df)} RAVDESS files, fresh processes, librosa / emofeat / floor "
              f"interleaved in each pass, BLAS one thread, warm kernels, --overwrite; "
              f"speed-up {speed:.2f}x over the librosa script (median of per-pass ratios; "
              f"ratio of medians {lib / emo:.2f}x; CPU {speed_cpu:.2f}x), {over_floor:.2f}x "
              f"the floor (median of per-pass ratios; ratio of medians {emo / floor:.2f}x; "
              f"CPU {over_floor_cpu:.2f}x); load average at the end {load[0]:.2f}",
        # speed_up / times_floor: medians of the per-pass ratios (the headlines); *_of_medians:
        # the ratios of the medians (before this change speed_up was the ratio of medians
        # and the per-pass median was speed_up_per_pass_median: results_page.py reads both)
        extra={"speed_up": speed, "speed_up_of_medians": lib / emo,
               "speed_up_cpu": speed_cpu,
               "times_floor": over_floor, "times_floor_of_medians": emo / floor,
               "times_floor_cpu": over_floor_cpu,
               "passes": {k: v for k, v in times.items()},
               "cpu_passes": {k: v for k, v in cpu.items()},
               "floor_process_s": floor_process})

if __name__ == "__main__":
    main()
