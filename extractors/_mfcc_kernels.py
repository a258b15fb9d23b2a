"""Numba kernels for MFCC: power spectrum -> mel energies; then log scaling, floor and DCT.

Two passes because librosa's ``top_db`` floor depends on the maximum over the whole input,
which is only known once every frame's mel energies exist.
"""

from __future__ import annotations

import numpy as np

from emofeat._numba import njit

DB_PER_NEPER = 10.0 / np.log(10.0)


@njit(fastmath={"reassoc", "nsz", "contract"})
def mel_energies(spec, power, starts, lengths, band, amin, out):
    """``out[t, m] = max(amin, sum_k w[m, k] |X[t, k]|**power)``; returns the maximum.

    Accumulates in float64. The log is taken afterwards by NumPy, whose SIMD ``log`` is
    faster than a scalar one here. A band of a frame touching NaN samples stays NaN (``max``
    would have made it ``amin``: silence).
    """
    n_frames, n_bins = spec.shape
    n_mels = starts.shape[0]
    if out.shape[0] != n_frames or out.shape[1] != n_mels:
        raise ValueError("mel_energies: out must be (n_frames, n_mels)")
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
            if not acc < amin:  # NaN stays NaN
                out[t, m] = acc
            else:
                acc = amin
                out[t, m] = acc
            if acc > peak:
                peak = acc
    return peak


# Reassociation lets LLVM vectorise the sums over mel bands; it changes results by ~1e-14.
_REASSOC = {"reassoc", "nsz", "contract"}


@njit(fastmath=_REASSOC)
def cepstra(lnmel, scale, offset, floor, basis, out):
    """``out[t] = basis @ max(scale * lnmel[t] - offset, floor)``.

    ``scale``/``offset`` turn natural-log energies into the wanted log (dB: 10/ln 10 and
    ``10 log10(ref)``); ``floor`` is librosa's ``top_db`` floor (``-inf``: none);
    ``basis`` (n_ceps, n_mels) is the DCT-II with the lifter folded in. A NaN energy (a
    frame touching NaN samples) stays NaN, and so does the frame's every coefficient.

    Rows after the first sum to zero (DCT-II), so they are applied to the energies' differences
    from band 0: a frame of equal energies (digital silence at the ``top_db`` floor, half of
    many RAVDESS clips) gets exactly 0 from c1 on, where the plain product left rounding
    residue (1e-15) that a scaler fitted on silent-majority files took for a feature.
    """
    n_frames, n_mels = lnmel.shape
    n_ceps = basis.shape[0]
    if basis.shape[1] != n_mels or out.shape[0] != n_frames or out.shape[1] != n_ceps:
        raise ValueError("cepstra: basis must be (n_ceps, n_mels) and out (n_frames, n_ceps)")
    v = np.empty(n_mels, dtype=np.float64)
    for t in range(n_frames):
        for m in range(n_mels):
            x = scale * lnmel[t, m] - offset
            v[m] = x if not x < floor else floor  # NaN stays NaN
        if n_ceps == 0:
            continue
        acc = 0.0
        for m in range(n_mels):
            acc += basis[0, m] * v[m]
        out[t, 0] = acc
        v0 = v[0]
        for k in range(1, n_ceps):
            acc = 0.0
            for m in range(n_mels):
                acc += basis[k, m] * (v[m] - v0)
            out[t, k] = acc
