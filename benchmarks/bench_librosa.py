"""The whole ``librosa`` set vs the same ``librosa.feature`` calls one after another.

Same RAVDESS files, decoded once into memory (float32, 16 kHz), one process, warm-up
excluded. The librosa side is what a user writes to get the same descriptors from a signal:
each ``librosa.feature`` function called on ``y`` with the set's parameters (each computes its
own STFT), tonnetz from the STFT chroma, MFCC from a melspectrogram of ``y``, deltas of it.

    python benchmarks/bench_librosa.py [--files 40]

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


def librosa_reference(y: np.ndarray, sr: int = 16000) -> np.ndarray:
    """The set's descriptors with plain librosa, one function after another."""
    import librosa

    f = librosa.feature
    chroma = f.chroma_stft(y=y, sr=sr)
    mel = f.melspectrogram(y=y, sr=sr)
    mfcc = f.mfcc(S=librosa.power_to_db(mel), n_mfcc=20)
    parts = [
        chroma, mel, f.spectral_centroid(y=y, sr=sr), f.spectral_bandwidth(y=y, sr=sr),
        f.spectral_contrast(y=y, sr=sr), f.spectral_flatness(y=y), f.spectral_rolloff(y=y, sr=sr),
        f.zero_crossing_rate(y), f.rms(S=np.abs(librosa.stft(y))),
        f.tonnetz(chroma=chroma, sr=sr), f.poly_features(y=y, sr=sr), mfcc, f.delta(mfcc),
        f.delta(mfcc, order=2),
    ]
    return np.concatenate(parts, axis=0)


def main() -> None:
    from emofeat.extractors.librosa_set import LibrosaFeatures

    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--files", type=int, default=40)
    parser.add_argument("--repeats", type=int, default=3)
    add_common_args(parser)
    args = parser.parse_args()
    limit_blas(args.blas_threads)
    sr = 16000
    signals = ravdess_signals(args.files, sr)
    audio_s = sum(len(y) for y in signals) / sr
    print(f"{len(signals)} RAVDESS files, {audio_s:.0f} s of audio, median of {args.repeats}")
    ext = LibrosaFeatures(sr=sr, level="lld")
    ref = statistics.median(time_over(signals, librosa_reference) for _ in range(args.repeats))
    ours = statistics.median(
        time_over(signals, lambda y: ext.compute_lld((y, sr))) for _ in range(args.repeats)
    )
    print(report("librosa set (lld)", audio_s, ref, ours))
    save_reported("bench_librosa")


if __name__ == "__main__":
    main()
