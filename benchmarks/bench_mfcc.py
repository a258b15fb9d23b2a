"""MFCC speed: emofeat vs librosa vs the bare FFT floor, side by side in one process.

Same in-memory signals (decoded once), same parameters (13 coefficients, n_fft 400, hop 160,
40 mels, 16 kHz, no deltas), warm-up excluded, ``--passes`` interleaved passes over all files
(librosa, emofeat, floor, librosa, ...): each time is the median over passes with the minimum
beside it, each ratio the median of the per-pass ratios. The floor is ``scipy.fft.rfft``
alone over the very frames emofeat analyses (same precision), i.e. what no MFCC implementation
built on that FFT can beat. BLAS is limited to one thread by default (both sides on one core).

    python benchmarks/bench_mfcc.py [--files 240] [--passes 5] [--data ../shared/data]

Figures go to ``benchmarks/results/bench_mfcc.json``.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
from pathlib import Path

import numpy as np
import scipy.fft
import soundfile as sf
from _common import interleaved, median_min, ratio_median, setting, write_results

PARAMS = dict(n_mfcc=13, n_fft=400, hop_length=160, n_mels=40)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", default=str(Path(__file__).resolve().parents[2] / "shared" / "data"))
    ap.add_argument("--files", type=int, default=240)
    ap.add_argument("--passes", "--repeats", type=int, default=5, dest="passes")
    ap.add_argument("--blas-threads", type=int, default=1,
                    help="BLAS threads (librosa's mel product uses BLAS; 1 = a fair single core)")
    args = ap.parse_args()

    from threadpoolctl import threadpool_limits

    threadpool_limits(args.blas_threads)

    import librosa
    from emofeat.extractors import MFCC
    from emofeat.extractors import _spectral_kernels as KS

    files = sorted(Path(args.data, "speech", "ravdess").glob("Actor_*/*.flac"))
    if not files:
        sys.exit(f"no RAVDESS files under {args.data}")
    files = files[:: max(1, len(files) // args.files)][: args.files]
    signals = [sf.read(f, dtype="float32")[0] for f in files]
    seconds = sum(len(y) for y in signals) / 16000

    ext = MFCC(deltas=0, **PARAMS)
    plan = ext._plan()

    def run_emofeat():
        for y in signals:
            ext.mfcc_frames(y)

    def run_librosa():
        for y in signals:
            librosa.feature.mfcc(y=y, sr=16000, **PARAMS)

    frames = []
    for y in signals:  # the exact frames emofeat transforms
        n, first, ws = ext.frame_layout(len(y))
        fr = np.empty((n, ext.n_fft), dtype=np.float32)
        KS.frame_signal(y, plan.window, ext.hop_length, n, first, ws, ext.n_fft, 0.0,
                        KS.PAD_CONSTANT, fr)
        frames.append(fr)

    def run_fft_floor():
        for fr in frames:
            scipy.fft.rfft(fr, axis=1)

    runs = {"librosa.feature.mfcc": run_librosa, "emofeat MFCC": run_emofeat,
            "scipy.fft.rfft floor": run_fft_floor}
    print(setting(args.blas_threads, args.passes))
    times = interleaved(runs, args.passes)  # warm-up first: JIT, FFT plans, caches
    print(f"{len(signals)} RAVDESS files, {seconds:.0f} s of 16 kHz speech")
    print("| implementation | seconds, median (min) | x real time (median) |")
    print("|---|---|---|")
    rows = []
    for name, v in times.items():
        med, low = median_min(v)
        print(f"| {name} | {med:.3f} ({low:.3f}) | {seconds / med:,.0f} |")
        rows.append({"implementation": name, "median_s": med, "min_s": low,
                     "x_real_time": seconds / med, "passes": len(v)})
    ratio = ratio_median(times["librosa.feature.mfcc"], times["emofeat MFCC"])
    floor = ratio_median(times["emofeat MFCC"], times["scipy.fft.rfft floor"])
    print(f"emofeat / librosa throughput: {ratio:.2f}x (median of per-pass ratios)")
    print(f"emofeat time / FFT floor: {floor:.2f}x")

    code = "import time; t = time.perf_counter(); import emofeat; print(time.perf_counter() - t)"
    imports = [float(subprocess.run([sys.executable, "-c", code], capture_output=True,
                                    text=True, check=True).stdout) for _ in range(args.passes)]
    t_imp, t_imp_min = median_min(imports)
    print(f"import emofeat: {t_imp * 1000:.1f} ms (min {t_imp_min * 1000:.1f} ms; "
          f"{args.passes} fresh interpreters)")
    write_results(
        "bench_mfcc", "python benchmarks/" + " ".join([Path(sys.argv[0]).name, *sys.argv[1:]]),
        {"MFCC frames": rows, "ratios": [
            {"what": "emofeat / librosa throughput", "median_ratio": ratio},
            {"what": "emofeat time / FFT floor", "median_ratio": floor},
            {"what": "import emofeat, ms", "median_ratio": t_imp * 1000}]},
        notes=f"{len(signals)} RAVDESS files, {args.passes} interleaved passes, BLAS "
              f"{args.blas_threads} thread(s)")


if __name__ == "__main__":
    main()
