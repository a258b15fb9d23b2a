"""The whole ``librosa`` set vs librosa, two ways: one shared STFT, and one STFT per call.

Same RAVDESS files, decoded once into memory (float32, 16 kHz), one process, warm-up
excluded, the set's parameters on every side:

* **librosa, shared STFT** (the honest baseline, issue 9): one ``librosa.stft``, then every
  ``librosa.feature`` function given that spectrogram (``S=|X|`` or ``S=|X|**2``), chroma
  from it with its tuning estimated from it, tonnetz from that chroma (``chroma=``), MFCC from
  ``power_to_db`` of the mel spectrogram, deltas and delta-deltas (width 9), ZCR on ``y``;
* **librosa, separate calls**: what a user writes without ``S=``, each ``librosa.feature``
  function on ``y`` computing its own STFT (nine);
* **emofeat**: ``LibrosaFeatures(level="lld").compute_lld`` (the same descriptors).

The three run interleaved (shared, separate, emofeat, shared, ...), ``--passes`` times over
all files; each throughput is the median over passes (the minimum beside it), each speed-up
the median of the per-pass ratios. BLAS one thread (``--blas-threads 1``, the default).

    python benchmarks/bench_librosa.py [--files 40] [--passes 5] [--profile]

``--profile`` adds where the set's time goes: each stage run alone over all files (CPU time of
the process, median of the passes), in the order the set runs them; "Python and NumPy glue" is
the whole ``compute_lld`` minus the stages.

Figures go to ``benchmarks/results/bench_librosa.json``.
"""

from __future__ import annotations

import argparse

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


def librosa_reference(y: np.ndarray, sr: int = 16000) -> np.ndarray:
    """The set's descriptors with plain librosa, one function after another (each function
    on ``y``: its own STFT)."""
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


def librosa_shared_stft(y: np.ndarray, sr: int = 16000) -> np.ndarray:
    """The set's descriptors with librosa from one STFT (``S=`` / ``chroma=`` everywhere)."""
    import librosa

    f = librosa.feature
    mag = np.abs(librosa.stft(y))  # n_fft 2048, hop 512, centred, zero padding: the set's
    power = mag**2
    chroma = f.chroma_stft(S=power, sr=sr)
    mel = f.melspectrogram(S=power, sr=sr)
    mfcc = f.mfcc(S=librosa.power_to_db(mel), n_mfcc=20)
    parts = [
        chroma, mel, f.spectral_centroid(S=mag, sr=sr), f.spectral_bandwidth(S=mag, sr=sr),
        f.spectral_contrast(S=mag, sr=sr), f.spectral_flatness(S=mag),
        f.spectral_rolloff(S=mag, sr=sr), f.zero_crossing_rate(y), f.rms(S=mag),
        f.tonnetz(chroma=chroma, sr=sr), f.poly_features(S=mag, sr=sr), mfcc, f.delta(mfcc),
        f.delta(mfcc, order=2),
    ]
    return np.concatenate(parts, axis=0)


def stage_profile(ext, signals: list[np.ndarray], sr: int, passes: int) -> list[dict]:
    """CPU seconds per stage of the set over all files (median of ``passes``)."""
    import statistics
    import time

    from emofeat.extractors import _librosa_kernels as KL
    from emofeat.extractors import _mfcc_kernels as KM
    from emofeat.extractors import librosa_set as LS

    from emofeat.functionals import compute_functionals

    plan = ext._plan()
    n_fft, hop = ext.n_fft, ext.hop_length
    pre = []  # per file: signal, spectrum, chroma filterbank, state, lld, times
    for y in signals:
        spec = ext.stft(y)
        fb = LS.chroma_filterbank(sr, n_fft, ext.estimate_tuning(np.abs(spec) ** 2))
        state, times = ext.frame_state(ext.read((y, sr))[0])
        lld, _ = ext.compute_lld((y, sr))
        pre.append((y, spec, fb, state, lld, times))

    def mel(p):
        out = np.empty((p[1].shape[0], ext.n_mels))
        KM.mel_energies(p[1], 2.0, plan.mel_starts, plan.mel_lengths, plan.mel_band, 0.0, out)

    def zcr(p):
        n = p[1].shape[0]
        KL.zero_crossing_rate(p[0], n_fft, hop, n, 1e-10, False, np.empty(n))

    def chroma_tonnetz(p):
        chroma = ext._spectra(p[1], p[2])[3]
        chroma /= LS._norm_or_one(np.abs(chroma).max(axis=1, keepdims=True), 1e-38)
        with np.errstate(invalid="ignore", divide="ignore"):
            return (chroma / np.abs(chroma).sum(axis=1, keepdims=True)) @ plan.tonnetz.T

    stages = {
        "STFT (framing + rfft)": lambda p: ext.stft(p[0]),
        "tuning estimate (|X|**2, peaks, histogram)":
            lambda p: ext.estimate_tuning(np.abs(p[1]) ** 2),
        "chroma filterbank (cached per tuning)":
            lambda p: LS.chroma_filterbank(sr, n_fft, 0.0),
        "spectral pass (centroid, bandwidth, flatness, roll-off, RMS, contrast, chroma and "
        "poly projections)": lambda p: ext._spectra(p[1], p[2]),
        "mel": mel,
        "ZCR": zcr,
        "MFCC, contrast dB, deltas (second stage)": lambda p: ext.from_frame_state(p[3].copy()),
        "whole compute_lld": lambda p: ext.compute_lld((p[0], sr)),
        "chroma normalisation + tonnetz (with a spectral pass; not summed)": chroma_tonnetz,
        "functionals (not in the LLD timing)":
            lambda p: compute_functionals(p[4], p[5], ext.functionals),
    }

    def cpu(fn) -> float:
        t0 = time.process_time()
        for p in pre:
            fn(p)
        return time.process_time() - t0

    runs: dict[str, list[float]] = {k: [] for k in stages}
    for _ in range(passes):
        for k, fn in stages.items():
            runs[k].append(cpu(fn))
    med = {k: statistics.median(v) for k, v in runs.items()}
    whole = med["whole compute_lld"]
    last = list(med).index("whole compute_lld")
    inside = sum(list(med.values())[:last])
    med["Python and NumPy glue, cache misses (whole - stages above it)"] = whole - inside
    rows = [{"stage": k, "ms_per_file": 1e3 * v / len(signals),
             "share_of_lld": v / whole} for k, v in med.items()]
    return rows


def main() -> None:
    from emofeat.extractors.librosa_set import LibrosaFeatures

    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--files", type=int, default=40)
    parser.add_argument("--passes", "--repeats", type=int, default=5, dest="passes")
    parser.add_argument("--profile", action="store_true", help="also time each stage")
    add_common_args(parser)
    args = parser.parse_args()
    limit_blas(args.blas_threads)
    sr = 16000
    signals = ravdess_signals(args.files, sr)
    audio_s = sum(len(y) for y in signals) / sr
    ext = LibrosaFeatures(sr=sr, level="lld")
    print(setting(args.blas_threads, args.passes))
    print(f"{len(signals)} RAVDESS files, {audio_s:.0f} s of audio")
    times = interleaved({
        "shared": over(signals, librosa_shared_stft),
        "separate": over(signals, librosa_reference),
        "emofeat": over(signals, lambda y: ext.compute_lld((y, sr))),
    }, args.passes)
    print(report("librosa set (lld) vs shared STFT", audio_s, times["shared"], times["emofeat"]))
    print(report("librosa set (lld) vs separate calls", audio_s, times["separate"],
                 times["emofeat"]))
    if args.profile:
        from _common import _REPORTED

        rows = stage_profile(ext, signals, sr, args.passes)
        print("where the set's time goes (CPU ms per file, median of passes):")
        for r in rows:
            print(f"  {r['stage']:<78} {r['ms_per_file']:7.3f}  {100 * r['share_of_lld']:5.1f} %")
        _REPORTED.extend({"what": "stage: " + r["stage"], "ms_per_file": r["ms_per_file"],
                          "share_of_lld": r["share_of_lld"]} for r in rows)
    save_reported("bench_librosa", notes=(
        f"{args.passes} interleaved passes over {len(signals)} files, BLAS "
        f"{args.blas_threads} thread(s); 'shared STFT' is the baseline of issue 9"))


if __name__ == "__main__":
    main()
