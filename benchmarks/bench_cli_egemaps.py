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

    python benchmarks/bench_cli_egemaps.py [--files 240] [--passes 5]

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

from _common import ONE_THREAD_ENV, ravdess_labels, timed_command, write_results

HERE = Path(__file__).resolve().parent


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--files", type=int, default=240)
    ap.add_argument("--passes", type=int, default=5)
    args = ap.parse_args()
    df = ravdess_labels(args.files)
    import soundfile as sf

    audio_s = sum(sf.info(p).duration for p in df["path"])
    tmp = Path(tempfile.mkdtemp())
    manifest = tmp / "m.csv"
    df.to_csv(manifest, index=False)
    env = {**os.environ, **ONE_THREAD_ENV}
    # as after a pip install: byte code written once (bench_cli_mfcc.py does the same).
    # An environment that forbids it (PYTHONDONTWRITEBYTECODE, set on this machine) makes
    # every pass recompile emofeat's ~26 modules from source: 0.125 s of CPU per command
    # here (docs/egemaps.md, sixth round); openSMILE's installed package has its byte code
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    subprocess.run([sys.executable, "-m", "emofeat", "warmup", "--set", "egemaps"], check=True,
                   env=env, capture_output=True)
    ours = [sys.executable, "-m", "emofeat", "extract", "--set", "egemaps", str(manifest),
            "-o", str(tmp / "e.parquet"), "-q", "--overwrite", "-j", "1"]
    ref = [sys.executable, str(HERE / "opensmile_egemaps_script.py"), str(manifest),
           str(tmp / "o.parquet")]
    load0 = os.getloadavg()
    times: dict[str, list[float]] = {"openSMILE loop": [], "emofeat extract": []}
    cpu: dict[str, list[float]] = {k: [] for k in times}
    for _ in range(args.passes):
        for name, cmd in (("openSMILE loop", ref), ("emofeat extract", ours)):
            wall, used = timed_command(cmd, env)
            times[name].append(wall)
            cpu[name].append(used)
    load1 = os.getloadavg()
    ratios = [a / b for a, b in zip(*times.values(), strict=True)]
    cpu_ratios = [a / b for a, b in zip(*cpu.values(), strict=True)]
    print(f"{len(df)} RAVDESS files ({audio_s:.0f} s), {args.passes} interleaved passes, one "
          f"fresh process each, BLAS 1 thread; load average {load0[0]:.1f} -> {load1[0]:.1f}")
    rows = []
    for k, v in times.items():
        med = statistics.median(v)
        cpu_med = statistics.median(cpu[k])
        print(f"  {k:<16} median {med:6.2f} s   min {min(v):6.2f} s   "
              f"{audio_s / med:6.0f}x real time   CPU median {cpu_med:6.2f} s")
        rows.append({"command": k, "median_s": med, "min_s": min(v),
                     "x_real_time": audio_s / med, "cpu_median_s": cpu_med})
    speed_up = statistics.median(ratios)
    cpu_speed_up = statistics.median(cpu_ratios)
    print(f"  speed-up of the whole command (median of per-pass ratios): {speed_up:.2f}x wall, "
          f"{cpu_speed_up:.2f}x CPU (user + system of each process)")
    write_results(
        "bench_cli_egemaps",
        "python benchmarks/" + " ".join([Path(sys.argv[0]).name, *sys.argv[1:]]),
        {"whole command": rows,
         "speed-up": [{"files": len(df), "audio_s": audio_s, "passes": args.passes,
                       "speed_up_median": speed_up, "speed_up_min_pass": min(ratios),
                       "speed_up_max_pass": max(ratios), "cpu_speed_up_median": cpu_speed_up,
                       "load_before": load0[0], "load_after": load1[0]}]},
        notes="emofeat extract --set egemaps (one worker) vs a loop over "
              "opensmile.Smile.process_file writing parquet; fresh processes, interleaved.")


if __name__ == "__main__":
    main()
