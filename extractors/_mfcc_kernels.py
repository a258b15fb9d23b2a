"""Numba kernels for MFCC: log compression and the DCT, fused over frames."""

from __future__ import annotations

import numpy as np

from emofeat._numba import njit

LOG_DB = 0  # 10 log10(max(amin, S)) - 10 log10(max(amin, ref)), librosa's power_to_db
LOG_LN = 1  # ln(max(amin, S)), HTK and Kaldi


@njit
def log_compress(mel, log_kind, amin, ref, top_db):
    """In place: log of the mel energies; with ``top_db >= 0`` (dB only) floor every value at
    the signal's maximum minus ``top_db``, as librosa's ``power_to_db`` does."""
    n_frames, n_mels = mel.shape
    if log_kind == LOG_DB:
        offset = 10.0 * np.log10(max(amin, ref))
        peak = -np.inf
        for t in range(n_frames):
            for m in range(n_mels):
                v = 10.0 * np.log10(max(amin, mel[t, m])) - offset
                mel[t, m] = v
                if v > peak:
                    peak = v
        if top_db >= 0.0:
            floor = peak - top_db
            for t in range(n_frames):
                for m in range(n_mels):
                    if mel[t, m] < floor:
                        mel[t, m] = floor
    else:
        for t in range(n_frames):
            for m in range(n_mels):
                mel[t, m] = np.log(max(amin, mel[t, m]))


@njit
def cepstra(logmel, basis, out):
    """``out[t, k] = sum_m basis[k, m] * logmel[t, m]`` (DCT-II with the lifter folded in)."""
    n_frames, n_mels = logmel.shape
    n_ceps = basis.shape[0]
    for t in range(n_frames):
        for k in range(n_ceps):
            acc = 0.0
            for m in range(n_mels):
                acc += basis[k, m] * logmel[t, m]
            out[t, k] = acc
