"""YIN and pYIN: emofeat's prosody kernels vs ``librosa.yin`` / ``librosa.pyin``, side by side.

Same RAVDESS files, decoded once into memory (float64), one process, warm-up excluded, the
same parameters (16 kHz, frame 1024, hop 160, fmin 60, fmax 600). pYIN runs on fewer files:
librosa's takes about a second per file.

    python benchmarks/bench_prosody.py [--files 40] [--pyin-files 8] [--passes 5]

The two sides run interleaved (reference, emofeat, reference, ...) ``--passes`` times over all
files; throughputs are medians over passes (minima beside them), the speed-up the median of the
per-pass ratios. BLAS is limited to one thread (``--blas-threads 1``, the default) so both
sides use one core. Figures go to ``benchmarks/results/bench_prosody.json``.
"""

from __future__ import annotations

import argparse

import numpy as np
from _common import (
    add_common_args,
    interleaved,
    limit_blas,
    median_min,
    over,
    ravdess_signals,
    report,
    save_reported,
    setting,
)

KW = dict(fmin=60.0, fmax=600.0, sr=16000, frame_length=1024, hop_length=160)


def main() -> None:
    import librosa
    from emofeat.extractors.prosody import Prosody

    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--files", type=int, default=40)
    parser.add_argument("--pyin-files", type=int, default=8)
    parser.add_argument("--passes", "--repeats", type=int, default=5, dest="passes")
    add_common_args(parser)
    args = parser.parse_args()
    limit_blas(args.blas_threads)
    print(setting(args.blas_threads, args.passes))
    ext = Prosody(level="lld")
    for name, n_files, ref_fn, our_fn in (
        ("YIN", args.files, lambda y: librosa.yin(y, **KW), ext.yin_f0),
        ("pYIN", args.pyin_files, lambda y: librosa.pyin(y, **KW), ext.pyin_f0),
    ):
        signals = [y.astype(np.float64) for y in ravdess_signals(n_files)]
        audio_s = sum(len(y) for y in signals) / 16000
        times = interleaved({"reference": over(signals, ref_fn),
                             "emofeat": over(signals, our_fn)}, args.passes)
        print(report(f"{name} ({len(signals)} files, {audio_s:.0f} s)", audio_s,
                     times["reference"], times["emofeat"]))
    signals = ravdess_signals(args.files)
    audio_s = sum(len(y) for y in signals) / 16000
    whole_ext = Prosody(level="functionals")
    whole, whole_min = median_min(interleaved(
        {"whole": over(signals, lambda y: whole_ext.compute_lld((y, 16000)))},
        args.passes)["whole"])
    line = (f"whole prosody set (pYIN + RMS + rates): {audio_s / whole:.0f}x real time "
            f"(median of {args.passes} passes; {audio_s / whole_min:.0f}x at the fastest)")
    print(line)
    save_reported("bench_prosody", notes=f"{line}; {args.passes} interleaved passes, BLAS "
                  f"{args.blas_threads} thread(s)")


if __name__ == "__main__":
    main()
