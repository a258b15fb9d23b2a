"""Shared helpers of the benchmark scripts: real files decoded once, timing, a report line."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

import numpy as np

DATA = Path(__file__).resolve().parents[1].parent / "shared" / "data"


def add_common_args(parser) -> None:
    """``--blas-threads`` (default 1: both sides on one core, as bench_mfcc.py)."""
    parser.add_argument("--blas-threads", type=int, default=1,
                        help="BLAS threads for numpy/scipy (the references use BLAS; emofeat's "
                             "kernels are serial)")


def limit_blas(n_threads: int) -> None:
    """Limit BLAS/OpenMP threads for the rest of the process."""
    from threadpoolctl import threadpool_limits

    threadpool_limits(n_threads)


def ravdess_signals(n_files: int, sr: int = 16000) -> list[np.ndarray]:
    """``n_files`` RAVDESS files spread over actors, decoded once into float32 arrays."""
    from emofeat.audio import load_audio

    files = sorted((DATA / "speech" / "ravdess").glob("Actor_*/*.flac"))
    if not files:
        raise SystemExit(f"no RAVDESS files under {DATA} (see shared/data/README.md)")
    step = max(1, len(files) // n_files)
    return [load_audio(f, sr).y for f in files[::step][:n_files]]


def time_over(signals: list[np.ndarray], fn: Callable[[np.ndarray], object]) -> float:
    """Seconds ``fn`` takes over all signals (after one warm-up call on the first)."""
    fn(signals[0])
    t0 = time.perf_counter()
    for y in signals:
        fn(y)
    return time.perf_counter() - t0


def report(name: str, audio_s: float, ref_s: float, ours_s: float) -> str:
    """One line: throughput of both sides in x real time, and the speed-up."""
    return (
        f"{name:<28} reference {audio_s / ref_s:9.0f}x real time   emofeat "
        f"{audio_s / ours_s:9.0f}x real time   speed-up {ref_s / ours_s:6.1f}x"
    )
