"""pyAudioAnalysis short-term features (with deltas) vs emofeat's ``paa`` set, side by side.

Same RAVDESS files, decoded once into memory, one process, warm-up excluded; the signal is
handed to pyAudioAnalysis on the 16-bit scale, as its own reader does. Frames of 50 ms every
25 ms (pyAudioAnalysis's README) and 25/10 ms.

    python benchmarks/bench_paa.py [--files 40] [--passes 5]

The two sides run interleaved (reference, emofeat, reference, ...) ``--passes`` times over all
files; throughputs are medians over passes (minima beside them), the speed-up the median of the
per-pass ratios. BLAS is limited to one thread (``--blas-threads 1``, the default) so both
sides use one core. Figures go to ``benchmarks/results/bench_paa.json``.
"""

from __future__ import annotations

import argparse
import warnings

import numpy as np
from _common import (
    add_common_args,
    interleaved,
    limit_blas,
    over,
    ravdess_signals,
    report,
    save_reported,
    setting,
)

warnings.filterwarnings("ignore", message="Couldn't find ffmpeg")


def main() -> None:
    from emofeat.extractors.paa import PyAudioAnalysis
    from pyAudioAnalysis import ShortTermFeatures

    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--files", type=int, default=40)
    parser.add_argument("--passes", "--repeats", type=int, default=5, dest="passes")
    add_common_args(parser)
    args = parser.parse_args()
    limit_blas(args.blas_threads)
    sr = 16000
    signals = ravdess_signals(args.files, sr)
    audio_s = sum(len(y) for y in signals) / sr
    print(setting(args.blas_threads, args.passes))
    print(f"{len(signals)} RAVDESS files, {audio_s:.0f} s of audio")
    for window, step in ((0.050, 0.025), (0.025, 0.010)):
        ext = PyAudioAnalysis(sr=sr, window=window, step=step, level="lld")
        win, hop = round(window * sr), round(step * sr)
        times = interleaved({
            "reference": over(signals, lambda y, win=win, hop=hop:
                              ShortTermFeatures.feature_extraction(
                                  y.astype(np.float64) * 32768, sr, win, hop)),
            "emofeat": over(signals, lambda y, ext=ext: ext.compute_lld((y, sr))),
        }, args.passes)
        print(report(f"paa short-term {win}/{hop}", audio_s, times["reference"],
                     times["emofeat"]))
    save_reported("bench_paa", notes=f"{args.passes} interleaved passes over {len(signals)} "
                  f"files, BLAS {args.blas_threads} thread(s)")


if __name__ == "__main__":
    main()
