"""YIN and pYIN: emofeat's prosody kernels vs ``librosa.yin`` / ``librosa.pyin``, side by side.

Same RAVDESS files, decoded once into memory (float64), one process, warm-up excluded, the
same parameters (16 kHz, frame 1024, hop 160, fmin 60, fmax 600). pYIN runs on fewer files:
librosa's takes about a second per file.

    python benchmarks/bench_prosody.py [--files 40] [--pyin-files 8] [--repeats 3]

BLAS is limited to one thread (``--blas-threads 1``, the default) so both sides use one core.
"""

from __future__ import annotations

import argparse
import statistics

import numpy as np
from _common import (
    add_common_args,
    limit_blas,
    ravdess_signals,
    report,
    save_reported,
    time_over,
)

KW = dict(fmin=60.0, fmax=600.0, sr=16000, frame_length=1024, hop_length=160)


def main() -> None:
    import librosa
    from emofeat.extractors.prosody import Prosody

    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--files", type=int, default=40)
    parser.add_argument("--pyin-files", type=int, default=8)
    parser.add_argument("--repeats", type=int, default=3)
    add_common_args(parser)
    args = parser.parse_args()
    limit_blas(args.blas_threads)
    ext = Prosody(level="lld")
    for name, n_files, ref_fn, our_fn in (
        ("YIN", args.files, lambda y: librosa.yin(y, **KW), ext.yin_f0),
        ("pYIN", args.pyin_files, lambda y: librosa.pyin(y, **KW), ext.pyin_f0),
    ):
        signals = [y.astype(np.float64) for y in ravdess_signals(n_files)]
        audio_s = sum(len(y) for y in signals) / 16000
        ref = statistics.median(time_over(signals, ref_fn) for _ in range(args.repeats))
        ours = statistics.median(time_over(signals, our_fn) for _ in range(args.repeats))
        print(report(f"{name} ({len(signals)} files, {audio_s:.0f} s)", audio_s, ref, ours))
    signals = ravdess_signals(args.files)
    audio_s = sum(len(y) for y in signals) / 16000
    whole = statistics.median(
        time_over(signals, lambda y: Prosody(level="functionals").compute_lld((y, 16000)))
        for _ in range(args.repeats)
    )
    print(f"whole prosody set (pYIN + RMS + rates): {audio_s / whole:.0f}x real time")
    save_reported("bench_prosody", notes=f"whole prosody set: {audio_s / whole:.0f}x real time")


if __name__ == "__main__":
    main()
