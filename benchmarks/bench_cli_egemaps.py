"""The whole command, side by side: ``emofeat extract --set egemaps`` against a plain loop
over ``opensmile.Smile.process_file`` writing parquet (``opensmile_egemaps_script.py``), both
as fresh processes on the same RAVDESS manifest: start-up, decoding, functionals and parquet
writing included.

Passes are interleaved (openSMILE, emofeat, openSMILE, ...); the median and the minimum are
reported and the ratio is the median of the per-pass ratios, in wall time and in CPU time
(user + system of each process, which moves less with the machine's load). BLAS one
thread; emofeat's kernels are compiled first by ``emofeat warmup`` and its byte code is
written once (``PYTHONDONTWRITEBYTECODE`` dropped: as after install);
emofeat runs with ``--overwrite`` so no pass is a resume that skips the work; one worker (``-j 1``).

    python benchmarks/bench_cli_egemaps.py [--files 240] [--passes 5] [--baseline-src DIR]
        [--skip-opensmile] [--no-write]

``--baseline-src DIR``: also ``emofeat extract`` from another source tree (laid out as
installed: ``DIR/emofeat`` with ``extractors`` inside, e.g. ``git archive`` of main with its
``extractors/`` copied into ``emofeat/``), run from a folder outside this checkout with
``PYTHONPATH=DIR``, interleaved in every pass (the order of the two emofeat sides turns from
pass to pass), and the speed-up over it as the median of the per-pass CPU ratios: two
versions compared under the same load. ``--skip-opensmile`` leaves the openSMILE loop out
(an A/B of two trees only); ``--no-write`` prints without writing the results file (figures
of a loaded machine).

Writes ``benchmarks/results/bench_cli_egemaps.json``.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

from _common import environment, ravdess_labels, timed_command, write_results

HERE = Path(__file__).resolve().parent


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--files", type=int, default=240)
    ap.add_argument("--passes", type=int, default=5)
    ap.add_argument("--baseline-src", default=None,
                    help="also time emofeat extract from this source tree (interleaved)")
    ap.add_argument("--skip-opensmile", action="store_true",
                    help="leave the openSMILE loop out (with --baseline-src: an A/B only)")
    ap.add_argument("--no-write", action="store_true", help="print only")
    args = ap.parse_args()
    df = ravdess_labels(args.files)
    import soundfile as sf

    audio_s = sum(sf.info(p).duration for p in df["path"])
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
    base_env = None
    if args.baseline_src:
        base_env = environment(str(Path(args.baseline_src).resolve()))
        subprocess.run([sys.executable, "-m", "emofeat", "warmup", "--set", "egemaps"],
                       check=True, env=base_env, capture_output=True, cwd=tmp)
    ours = [sys.executable, "-m", "emofeat", "extract", "--set", "egemaps", str(manifest),
            "-o", str(tmp / "e.parquet"), "-q", "--overwrite", "-j", "1"]
    ref = [sys.executable, str(HERE / "opensmile_egemaps_script.py"), str(manifest),
           str(tmp / "o.parquet")]
    load0 = os.getloadavg()
    names = ((() if args.skip_opensmile else ("openSMILE loop",)) + ("emofeat extract",)
             + (("emofeat extract, baseline tree",) if base_env else ()))
    times: dict[str, list[float]] = {k: [] for k in names}
    cpu: dict[str, list[float]] = {k: [] for k in names}
    for i in range(args.passes):
        sides = [("emofeat extract", lambda: timed_command(ours, env))]
        if base_env is not None:
            side = ("emofeat extract, baseline tree",
                    lambda: timed_command(ours, base_env, cwd=tmp))
            sides = sides + [side] if i % 2 == 0 else [side] + sides
        if not args.skip_opensmile:
            sides = [("openSMILE loop", lambda: timed_command(ref, env))] + sides
        for name, run in sides:
            wall, used = run()
            times[name].append(wall)
            cpu[name].append(used)
    load1 = os.getloadavg()
    print(f"{len(df)} RAVDESS files ({audio_s:.0f} s), {args.passes} interleaved passes, one "
          f"fresh process each, BLAS 1 thread; load average {load0[0]:.1f} -> {load1[0]:.1f}")
    rows = []
    for k, v in times.items():
        med = statistics.median(v)
        cpu_med = statistics.median(cpu[k])
        print(f"  {k:<30} median {med:6.2f} s   min {min(v):6.2f} s   "
              f"{audio_s / med:6.0f}x real time   CPU median {cpu_med:6.2f} s")
        rows.append({"command": k, "median_s": med, "min_s": min(v),
                     "x_real_time": audio_s / med, "cpu_median_s": cpu_med})
    tables = {"whole command": rows}
    if not args.skip_opensmile:
        ratios = [a / b for a, b in zip(times["openSMILE loop"], times["emofeat extract"],
                                         strict=True)]
        cpu_ratios = [a / b for a, b in zip(cpu["openSMILE loop"], cpu["emofeat extract"],
                                             strict=True)]
        speed_up = statistics.median(ratios)
        cpu_speed_up = statistics.median(cpu_ratios)
        print(f"  speed-up of the whole command (median of per-pass ratios): {speed_up:.2f}x "
              f"wall, {cpu_speed_up:.2f}x CPU (user + system of each process)")
        tables["speed-up"] = [{"files": len(df), "audio_s": audio_s, "passes": args.passes,
                               "speed_up_median": speed_up, "speed_up_min_pass": min(ratios),
                               "speed_up_max_pass": max(ratios),
                               "cpu_speed_up_median": cpu_speed_up,
                               "load_before": load0[0], "load_after": load1[0]}]
    if base_env is not None:
        base = "emofeat extract, baseline tree"
        ab = [a / b for a, b in zip(cpu[base], cpu["emofeat extract"], strict=True)]
        ab_wall = [a / b for a, b in zip(times[base], times["emofeat extract"], strict=True)]
        print(f"  this tree against the baseline tree (median of per-pass ratios): "
              f"{statistics.median(ab):.3f}x CPU (passes {min(ab):.3f}-{max(ab):.3f}), "
              f"{statistics.median(ab_wall):.3f}x wall")
        tables["against baseline"] = [{"baseline_src": str(args.baseline_src),
                                       "cpu_speed_up_median": statistics.median(ab),
                                       "cpu_speed_up_min_pass": min(ab),
                                       "cpu_speed_up_max_pass": max(ab),
                                       "wall_speed_up_median": statistics.median(ab_wall)}]
    if args.no_write:
        return
    write_results(
        "bench_cli_egemaps",
        "python benchmarks/" + " ".join([Path(sys.argv[0]).name, *sys.argv[1:]]),
        tables,
        notes="emofeat extract --set egemaps (one worker) vs a loop over "
              "opensmile.Smile.process_file writing parquet; fresh processes, interleaved.")


if __name__ == "__main__":
    main()
