"""The whole command a user runs, side by side: ``emofeat extract --set mfcc`` against the
plain librosa script (``librosa_mfcc_script.py``), both as fresh processes on the same RAVDESS
manifest, start-up, decoding, deltas, functionals and parquet writing included (the shared
RAVDESS copy is 16 kHz FLAC: no resampling on either side).

Also the floor: decoding every file (soundfile + soxr, as both do) plus emofeat's MFCC kernel
alone, in one warm process. Passes are interleaved (librosa, emofeat, librosa, ...) and the
median is reported with the minimum; BLAS one thread; emofeat's kernels are warm (compiled by
``emofeat warmup`` first, as after install); emofeat runs with ``--overwrite`` so no pass is a
resume that skips the work.

    python benchmarks/bench_cli_mfcc.py [--files 1440] [--passes 5]

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

from _common import ONE_THREAD_ENV, ravdess_labels, timed_command, write_results

HERE = Path(__file__).resolve().parent


def floor_seconds(paths: list[str]) -> tuple[float, float]:
    from emofeat.extractors import MFCC

    from emofeat.audio import load_audio

    ext = MFCC(deltas=0)
    ext.mfcc_frames(load_audio(paths[0], 16000).y)
    t0, c0 = time.perf_counter(), time.process_time()
    for p in paths:
        ext.mfcc_frames(load_audio(p, 16000).y)
    return time.perf_counter() - t0, time.process_time() - c0


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--files", type=int, default=1440)
    ap.add_argument("--passes", type=int, default=5)
    args = ap.parse_args()
    df = ravdess_labels(args.files)
    tmp = Path(tempfile.mkdtemp())
    manifest = tmp / "m.csv"
    df.to_csv(manifest, index=False)
    env = {**os.environ, **ONE_THREAD_ENV}
    # as after a pip install: byte code written once (an environment that forbids it makes
    # every pass recompile emofeat's own modules from source, about 0.9 s here)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    subprocess.run([sys.executable, "-m", "emofeat", "warmup", "--set", "mfcc"], check=True,
                   env=env, capture_output=True)
    ours = [sys.executable, "-m", "emofeat", "extract", "--set", "mfcc", str(manifest),
            "-o", str(tmp / "e.parquet"), "-q", "--overwrite", "--param",
            "functionals=('mean','std')"]
    ref = [sys.executable, str(HERE / "librosa_mfcc_script.py"), str(manifest),
           str(tmp / "l.parquet")]
    times: dict[str, list[float]] = {"librosa script": [], "emofeat extract": []}
    cpu: dict[str, list[float]] = {"librosa script": [], "emofeat extract": []}
    for _ in range(args.passes):
        for name, cmd in (("librosa script", ref), ("emofeat extract", ours)):
            wall, used = timed_command(cmd, env)
            times[name].append(wall)
            cpu[name].append(used)
    floors = [floor_seconds(list(df["path"])) for _ in range(3)]
    floor = statistics.median(f[0] for f in floors)
    floor_cpu = statistics.median(f[1] for f in floors)
    print(f"{len(df)} RAVDESS files, {args.passes} interleaved passes, one process each, "
          f"BLAS 1 thread")
    for k, v in times.items():
        print(f"  {k:<16} median {statistics.median(v):6.2f} s   min {min(v):6.2f} s   "
              f"CPU median {statistics.median(cpu[k]):6.2f} s")
    lib, emo = (statistics.median(v) for v in times.values())
    lib_cpu, emo_cpu = (statistics.median(v) for v in cpu.values())
    load = os.getloadavg()
    print(f"  floor (decode + MFCC kernel, warm process) {floor:.2f} s, CPU {floor_cpu:.2f} s")
    print(f"  speed-up of the whole command over the librosa script: {lib / emo:.2f}x "
          f"(CPU time {lib_cpu / emo_cpu:.2f}x); emofeat takes {emo / floor:.2f}x the floor "
          f"(CPU time {emo_cpu / floor_cpu:.2f}x); load average {load[0]:.2f}")
    rows = [{"what": k, "median_s": statistics.median(v), "min_s": min(v),
             "cpu_median_s": statistics.median(cpu[k]), "passes": len(v)}
            for k, v in times.items()]
    rows.append({"what": "floor: decode + MFCC kernel, warm process", "median_s": floor,
                 "min_s": min(f[0] for f in floors), "cpu_median_s": floor_cpu, "passes": 3})
    write_results("cli_mfcc", "python benchmarks/" + " ".join(
        [Path(sys.argv[0]).name, *sys.argv[1:]]), {"whole command": rows},
        notes=f"{len(df)} RAVDESS files, fresh processes, interleaved passes, BLAS one "
              f"thread, warm kernels, --overwrite; speed-up {lib / emo:.2f}x over the librosa "
              f"script ({lib_cpu / emo_cpu:.2f}x in CPU time), {emo / floor:.2f}x the floor "
              f"({emo_cpu / floor_cpu:.2f}x in CPU time)")


if __name__ == "__main__":
    main()
