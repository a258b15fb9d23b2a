"""Numba kernels for MFCC: power spectrum -> mel energies; then log scaling, floor and DCT.

Two passes because librosa's ``top_db`` floor depends on the maximum over the whole input,
which is only known once every frame's mel energies exist.
"""

from __future__ import annotations

import numpy as np

from emofeat._numba import njit

DB_PER_NEPER = 10.0 / np.log(10.0)


@njit
def mel_energies(spec, power, starts, lengths, band, amin, out):
    """``out[t, m] = max(amin, sum_k w[m, k] |X[t, k]|**power)``; returns the maximum.

    Accumulates in float64. The log is taken afterwards by NumPy, whose SIMD ``log`` is
    faster than a scalar one here.
    """
    n_frames, n_bins = spec.shape
    n_mels = starts.shape[0]
    mag = np.empty(n_bins, dtype=np.float64)
    peak = amin
    for t in range(n_frames):
        row = spec[t]
        if power == 2.0:
            for k in range(n_bins):
                mag[k] = row[k].real * row[k].real + row[k].imag * row[k].imag
        elif power == 1.0:
            for k in range(n_bins):
                mag[k] = np.sqrt(row[k].real * row[k].real + row[k].imag * row[k].imag)
        else:
            for k in range(n_bins):
                mag[k] = (row[k].real * row[k].real + row[k].imag * row[k].imag) ** (0.5 * power)
        for m in range(n_mels):
            acc = 0.0
            s = starts[m]
            for j in range(lengths[m]):
                acc += band[m, j] * mag[s + j]
            acc = max(amin, acc)
            out[t, m] = acc
            if acc > peak:
                peak = acc
    return peak


@njit
def cepstra(lnmel, scale, offset, floor, basis_t, out):
    """``out[t] = max(scale * lnmel[t] - offset, floor) @ basis_t``.

    ``scale``/``offset`` turn natural-log energies into the wanted log (dB: 10/ln 10 and
    ``10 log10(ref)``); ``floor`` is librosa's ``top_db`` floor (``-inf``: none);
    ``basis_t`` (n_mels, n_ceps) is the DCT-II with the lifter folded in.
    """
    n_frames, n_mels = lnmel.shape
    n_ceps = basis_t.shape[1]
    acc = np.empty(n_ceps, dtype=np.float64)
    for t in range(n_frames):
        for k in range(n_ceps):
            acc[k] = 0.0
        for m in range(n_mels):
            v = max(scale * lnmel[t, m] - offset, floor)
            for k in range(n_ceps):
                acc[k] += basis_t[m, k] * v
        for k in range(n_ceps):
            out[t, k] = acc[k]
