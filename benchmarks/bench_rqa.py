"""RQA speed and memory: emofeat vs pyunicorn per 20 ms speech frame; a 50,000-point series.

Part 1, side by side in one process on the same real frames (RAVDESS, 320 samples = 20 ms at
16 kHz, embedding 3 / delay 1, euclidean, the 12 measures of Tzinis et al.):

* pyunicorn 1.0: ``RecurrencePlot`` + the 12 measure methods, one frame at a time;
* emofeat batch: :func:`emofeat.extractors.rqa.frame_measures` over the frames of each file
  (what the ``rqa_speech`` set runs);
* emofeat per call: :func:`rqa_measures` on each frame (Python overhead included).

Two frame regimes: the recipe's radius 0.1 (on [-1, 1] samples most plots are nearly all
recurrent) and ``radius_std=0.25`` (structured plots on every frame: many short lines, the
costlier regime). Warm-up excluded; every pass runs pyunicorn and each emofeat path once on
the same frames (interleaved); the speed-up is reported as the median and the minimum (worst
pass) of the per-pass ratios, in wall and in CPU (process) time, with the load average before
and after, because the machine may be shared. BLAS is limited to one thread, Numba to one
thread. The 20 ms frames (318 state vectors) go through the dense bit-matrix kernel.

Part 2: one 50,000-point series (Muse EEG channel TP9, recordings concatenated), m=3,
delay=2, euclidean, radius_std=0.25, all 15 measures and the histograms: serial kernel time,
parallel kernel time with 2 threads, and peak private memory (RssAnon sampled every 2 ms in
a fresh process, after imports and warm-up, and its increase during the call). pyunicorn
would need the 2.5 G-entry matrix (20 GB as float64 distances) and is not run.

    python benchmarks/bench_rqa.py [--frames 300] [--passes 5] [--points 50000] [--long-passes 5]
                                   [--skip-frames] [--skip-long]

Results: benchmarks/results/bench_rqa_frames.json and bench_rqa_long.json (machine, load).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
from _common import write_results

DATA = Path(__file__).resolve().parents[2] / "shared" / "data"
SPEECH = ("RR", "Lmax", "DET", "L", "ENTR", "Vmax", "LAM", "TT", "V_ENTR", "W_max", "W_mean",
          "W_ENTR")


def speech_frames(n_frames: int) -> tuple[list[np.ndarray], list[np.ndarray]]:
    """Frames (and the files' signals with their frame starts) spread over RAVDESS."""
    import soundfile as sf

    files = sorted((DATA / "speech" / "ravdess").glob("Actor_*/*.flac"))
    if not files:
        sys.exit(f"no RAVDESS files under {DATA}")
    files = files[:: max(1, len(files) // 12)][:12]
    per_file = -(-n_frames // len(files))
    frames, signals = [], []
    for f in files:
        y = sf.read(f, dtype="float32")[0]
        starts = np.arange(0, len(y) - 320, 160)
        pick = starts[np.linspace(0, len(starts) - 1, per_file).astype(int)]
        frames += [y[s:s + 320] for s in pick]
        signals.append((y, pick))
    return frames[:n_frames], signals


def part1(args) -> dict:
    from emofeat.extractors.rqa import frame_measures, resolve_options, rqa_measures
    from pyunicorn.timeseries import RecurrencePlot

    frames, signals = speech_frames(args.frames)
    n = sum(len(p) for _, p in signals)
    rows = []
    for label, uni_kw, our_kw in [("radius 0.1 (recipe)", dict(threshold=0.1),
                                   dict(radius=0.1)),
                                  ("radius_std 0.25 (structured)", dict(threshold_std=0.25),
                                   dict(radius_std=0.25))]:
        opts = resolve_options("pyunicorn", dim=3, delay=1, metric="euclidean", **our_kw)

        def pyunicorn_run(uni_kw=uni_kw):
            for x in frames:
                rp = RecurrencePlot(x, dim=3, tau=1, metric="euclidean", silence_level=10,
                                    **uni_kw)
                (rp.recurrence_rate(), rp.max_diaglength(), rp.determinism(2),
                 rp.average_diaglength(2), rp.diag_entropy(2), rp.max_vertlength(),
                 rp.laminarity(2), rp.average_vertlength(2), rp.vert_entropy(2),
                 rp.max_white_vertlength(), rp.average_white_vertlength(1),
                 rp.white_vert_entropy(1))

        def batch_run(opts=opts):
            for y, starts in signals:
                frame_measures(y, starts, 320, opts)

        def call_run(our_kw=our_kw):
            for x in frames:
                rqa_measures(x, preset="pyunicorn", dim=3, delay=1, metric="euclidean",
                             **our_kw)

        runs = {"pyunicorn": (pyunicorn_run, len(frames)), "emofeat batch": (batch_run, n),
                "emofeat per call": (call_run, len(frames))}
        for fn, _ in runs.values():
            fn()
        rr = statistics.mean(rqa_measures(x, preset="pyunicorn", dim=3, delay=1,
                                          metric="euclidean", **our_kw)["RR"] for x in frames)
        load_before = os.getloadavg()[0]
        wall = {k: [] for k in runs}
        cpu = {k: [] for k in runs}
        for _ in range(args.passes):
            for k, (fn, _) in runs.items():
                t, c = time.perf_counter(), time.process_time()
                fn()
                wall[k].append(time.perf_counter() - t)
                cpu[k].append(time.process_time() - c)
        load_after = os.getloadavg()[0]
        print(f"\n20 ms frames, {label}, mean RR {rr:.3f}: frames/s (median of {args.passes} "
              f"passes; load average {load_before:.2f} before, {load_after:.2f} after)")
        for k, (_, count) in runs.items():
            print(f"  {k:<18} wall {count / statistics.median(wall[k]):10.0f}   "
                  f"cpu {count / statistics.median(cpu[k]):10.0f}")
        for k in ("emofeat batch", "emofeat per call"):
            cnt = runs[k][1]
            ratios_w = [(wall["pyunicorn"][i] / len(frames)) / (wall[k][i] / cnt)
                        for i in range(args.passes)]
            ratios_c = [(cpu["pyunicorn"][i] / len(frames)) / (cpu[k][i] / cnt)
                        for i in range(args.passes)]
            print(f"  speed-up {k:<16} wall median {statistics.median(ratios_w):6.1f}x "
                  f"min {min(ratios_w):6.1f}x   cpu median {statistics.median(ratios_c):6.1f}x "
                  f"min {min(ratios_c):6.1f}x")
            rows.append({"threshold": label, "emofeat": k, "frames": len(frames),
                         "passes": args.passes, "mean_rr": round(rr, 4),
                         "pyunicorn_frames_s": len(frames) / statistics.median(wall["pyunicorn"]),
                         "emofeat_frames_s": cnt / statistics.median(wall[k]),
                         "speed_up_wall": statistics.median(ratios_w),
                         "speed_up_wall_min": min(ratios_w),
                         "speed_up_cpu": statistics.median(ratios_c),
                         "speed_up_cpu_min": min(ratios_c),
                         "load_before": round(load_before, 2),
                         "load_after": round(load_after, 2)})
    return {"frames": rows}


CHILD = r"""
import json, re, sys, threading, time
import numpy as np
import numba
from emofeat.extractors.rqa import rqa_measures

def field(name):
    return int(re.search(name + r":\s+(\d+) kB", open("/proc/self/status").read())[1]) / 1024

x = np.load(sys.argv[1])
mode = sys.argv[2]
kw = dict(dim=3, delay=2, metric="euclidean", radius_std=0.25, histograms=True)
numba.set_num_threads(int(sys.argv[3]))
rqa_measures(x[:2000], parallel=(mode == "parallel"), **kw)  # compile / load, warm
base = field("RssAnon")
peak = [base]
done = threading.Event()
def sample():
    while not done.is_set():
        peak[0] = max(peak[0], field("RssAnon"))
        time.sleep(0.002)
threading.Thread(target=sample, daemon=True).start()
t, c = time.perf_counter(), time.process_time()
r = rqa_measures(x, parallel=(mode == "parallel"), **kw)
wall, cpu = time.perf_counter() - t, time.process_time() - c
done.set()
peak[0] = max(peak[0], field("RssAnon"))
print(json.dumps(dict(wall=wall, cpu=cpu, base_mb=base, peak_mb=peak[0], RR=r["RR"],
                      DET=r["DET"], LAM=r["LAM"], N=r["N"])))
"""


def part2(args) -> dict:
    import tempfile

    files = sorted((DATA / "eeg" / "muse_mental_state").glob("*.csv"))
    if not files:
        sys.exit(f"no Muse EEG files under {DATA}")
    parts, total = [], 0
    for f in files:
        col = np.loadtxt(f, delimiter=",", skiprows=1, usecols=(1,))
        parts.append(col)
        total += len(col)
        if total >= args.points:
            break
    x = np.concatenate(parts)[: args.points]
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "x.npy"
        np.save(path, x)
        print(f"\n{len(x)}-point series (Muse TP9), m=3, delay=2, euclidean, radius_std=0.25")
        modes = [("serial", 1), ("parallel", 2), ("parallel", 1)]
        runs = {m: [] for m in modes}
        load_before = os.getloadavg()
        for _ in range(args.long_passes):  # interleaved: every pass runs each mode once
            for mode, threads in modes:
                out = subprocess.run([sys.executable, "-c", CHILD, str(path), mode,
                                      str(threads)], capture_output=True, text=True, check=True)
                runs[(mode, threads)].append(json.loads(out.stdout.strip().splitlines()[-1]))
        load_after = os.getloadavg()
        rows = []
        for (mode, threads), rs in runs.items():
            r = rs[0]
            row = {"kernel": mode, "threads": threads,
                   "wall_s": statistics.median(x["wall"] for x in rs),
                   "cpu_s": statistics.median(x["cpu"] for x in rs),
                   "peak_private_mb": max(x["peak_mb"] for x in rs),
                   "during_call_mb": max(x["peak_mb"] - x["base_mb"] for x in rs)}
            rows.append(row)
            print(f"  {mode:<8} {threads} thread(s): wall {row['wall_s']:7.2f} s  cpu "
                  f"{row['cpu_s']:7.2f} s (medians of {len(rs)})  peak private "
                  f"{row['peak_private_mb']:6.0f} MB (+{row['during_call_mb']:.0f} MB during "
                  f"the call)  RR {r['RR']:.5f} DET {r['DET']:.5f}")
        s = [x["wall"] for x in runs[("serial", 1)]]
        p1 = [x["wall"] for x in runs[("parallel", 1)]]
        p2 = [x["wall"] for x in runs[("parallel", 2)]]
        over_p1 = statistics.median(a / b for a, b in zip(p1, p2, strict=True))
        over_s = statistics.median(a / b for a, b in zip(s, p2, strict=True))
        print(f"  parallel speed-up on 2 threads (median of {args.long_passes} per-pass "
              f"ratios): {over_p1:.2f}x over the parallel kernel on 1 thread, {over_s:.2f}x "
              f"over the serial kernel (wall time); load average before "
              f"{load_before[0]:.2f}, after {load_after[0]:.2f}")
        return {"series": rows, "speed_up": [{
            "points": len(x), "passes": args.long_passes,
            "parallel_2_vs_parallel_1": round(over_p1, 3),
            "parallel_2_vs_serial": round(over_s, 3),
            "per_pass_vs_serial": [round(a / b, 3) for a, b in zip(s, p2, strict=True)],
            "load_before": round(load_before[0], 2), "load_after": round(load_after[0], 2)}]}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--frames", type=int, default=300)
    ap.add_argument("--passes", type=int, default=5)
    ap.add_argument("--points", type=int, default=50000)
    ap.add_argument("--skip-frames", action="store_true")
    ap.add_argument("--skip-long", action="store_true")
    ap.add_argument("--long-passes", type=int, default=5,
                    help="interleaved passes of the 50,000-point series (each mode per pass)")
    args = ap.parse_args()

    from threadpoolctl import threadpool_limits

    threadpool_limits(1)
    import numba

    numba.set_num_threads(1)
    command = "python benchmarks/bench_rqa.py " + " ".join(sys.argv[1:])
    notes = ("one BLAS and one Numba thread except the 2-thread parallel kernel; wall time "
             "on a shared machine: see the load average")
    # one result file per part, so running one part does not drop the other's figures
    if not args.skip_frames:
        write_results("bench_rqa_frames", command, part1(args), notes=notes)
    if not args.skip_long:
        write_results("bench_rqa_long", command, part2(args), notes=notes)


if __name__ == "__main__":
    main()
