"""MFCC speed: emofeat vs librosa vs the bare FFT floor, side by side in one process.

Same in-memory signals (decoded once), same parameters (13 coefficients, n_fft 400, hop 160,
40 mels, 16 kHz, no deltas), warm-up excluded, best of ``--repeats`` passes over all files
(the least disturbed by other processes). The floor is ``scipy.fft.rfft`` alone over the very
frames emofeat analyses (same precision), i.e. what no MFCC implementation built on that FFT
can beat. BLAS is limited to one thread by default so that both sides use one core.

    python benchmarks/bench_mfcc.py [--files 240] [--repeats 5] [--data ../shared/data]
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import scipy.fft
import soundfile as sf

PARAMS = dict(n_mfcc=13, n_fft=400, hop_length=160, n_mels=40)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", default=str(Path(__file__).resolve().parents[2] / "shared" / "data"))
    ap.add_argument("--files", type=int, default=240)
    ap.add_argument("--repeats", type=int, default=5)
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
    for fn in runs.values():  # warm-up: JIT, FFT plans, caches
        fn()
    times: dict[str, list[float]] = {k: [] for k in runs}
    for _ in range(args.repeats):
        for name, fn in runs.items():  # interleaved, so drifts in machine load hit all alike
            t0 = time.perf_counter()
            fn()
            times[name].append(time.perf_counter() - t0)

    best = {k: min(v) for k, v in times.items()}
    print(f"{len(signals)} RAVDESS files, {seconds:.0f} s of 16 kHz speech, "
          f"{args.repeats} passes (best; median in brackets), BLAS threads: {args.blas_threads}")
    print("| implementation | seconds | x real time |")
    print("|---|---|---|")
    for name in runs:
        print(f"| {name} | {best[name]:.3f} ({statistics.median(times[name]):.3f}) | "
              f"{seconds / best[name]:,.0f} |")
    ratio = best["librosa.feature.mfcc"] / best["emofeat MFCC"]
    print(f"emofeat / librosa throughput: {ratio:.2f}x")
    print(f"emofeat time / FFT floor: {best['emofeat MFCC'] / best['scipy.fft.rfft floor']:.2f}x")

    code = "import time; t = time.perf_counter(); import emofeat; print(time.perf_counter() - t)"
    t_imp = min(float(subprocess.run([sys.executable, "-c", code], capture_output=True,
                                     text=True, check=True).stdout) for _ in range(5))
    print(f"import emofeat: {t_imp * 1000:.1f} ms (best of 5, fresh interpreters)")


if __name__ == "__main__":
    main()
