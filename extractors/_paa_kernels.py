"""Numba kernels of the pyAudioAnalysis (``paa``) feature set.

One fused pass per frame computes the 34 short-term descriptors from the frame's samples and
its spectrum; a second kernel computes pyAudioAnalysis's mid-term mean/std statistics.
The conventions (and their quirks) are documented in :mod:`emofeat.extractors.paa`.
"""

from __future__ import annotations

import numpy as np

from emofeat._numba import njit

#: float64 machine epsilon, the ``eps`` pyAudioAnalysis's short-term features add everywhere
EPS = float(np.finfo(np.float64).eps)

N_TIME_SPECTRAL = 8
N_MFCC = 13
N_CHROMA = 12
N_SHORT = N_TIME_SPECTRAL + N_MFCC + N_CHROMA + 1  # 34


@njit
def _sum_sq(x, lo, hi):
    """``sum(x[lo:hi] ** 2)`` (see :func:`_dot`)."""
    part = x[lo:hi]
    return _dot(part, part, hi - lo)


@njit
def _dot(x, y, n):
    """``sum(x[:n] * y[:n])`` with four interleaved accumulators (the order differs from
    numpy's pairwise sum by rounding only)."""
    a0 = 0.0
    a1 = 0.0
    a2 = 0.0
    a3 = 0.0
    i = 0
    while i + 4 <= n:
        a0 += x[i] * y[i]
        a1 += x[i + 1] * y[i + 1]
        a2 += x[i + 2] * y[i + 2]
        a3 += x[i + 3] * y[i + 3]
        i += 4
    while i < n:
        a0 += x[i] * y[i]
        i += 1
    return (a0 + a1) + (a2 + a3)


@njit
def _block_entropy(x, n, n_blocks, eps):
    """Entropy (bits) of the energies of ``n_blocks`` consecutive blocks of ``x[:n]``, and the
    total energy of ``x[:n]``.

    Blocks are ``n // n_blocks`` long (a remainder is left out of the blocks); energies are
    divided by ``total + eps``, the total covering all of ``x[:n]``.
    """
    width = n // n_blocks
    energies = np.empty(n_blocks, dtype=np.float64)
    total = _sum_sq(x, n_blocks * width, n)
    for b in range(n_blocks):
        energies[b] = _sum_sq(x, b * width, (b + 1) * width)
        total += energies[b]
    h = 0.0
    for b in range(n_blocks):
        s = energies[b] / (total + eps)
        h -= s * np.log2(s + eps)
    return h, total


@njit
def _sign(v):
    return np.int64(v > 0.0) - np.int64(v < 0.0)


@njit
def short_term(frames, spec, mel, basis, chroma_bin, chroma_class, chroma_weight, sr,
               n_blocks, rolloff, out):
    """The 34 pyAudioAnalysis short-term descriptors of every frame.

    Parameters
    ----------
    frames : (n_frames, win) float64
        Rectangular frames of the DC-removed, peak-normalised signal.
    spec : (n_frames, >= win // 2) complex
        Their FFT (bins 0 .. win // 2 - 1 are used).
    mel : (n_frames, 40) float64
        Filterbank outputs on the normalised magnitude ``|X| / (win // 2)``.
    basis : (13, 40) float64
        Orthonormal DCT-II rows.
    chroma_bin, chroma_class, chroma_weight : (K,) arrays
        Chroma map: bin ``chroma_bin[i]`` adds ``chroma_weight[i] |X|^2`` to class
        ``chroma_class[i]``.
    sr : float
        Sample rate.
    n_blocks : int
        Sub-frames (energy entropy) and sub-bands (spectral entropy): 10.
    rolloff : float
        Roll-off energy fraction: 0.90.
    out : (n_frames, 34) float64
        zcr, energy, energy_entropy, spectral centroid, spread, entropy, flux, roll-off,
        mfcc_1..13, chroma_1..12, chroma_std.
    """
    eps = EPS
    n_frames, win = frames.shape
    m = win // 2
    n_mels = mel.shape[1]
    mag = np.empty(m, dtype=np.float64)
    prev = np.empty(m, dtype=np.float64)
    chroma = np.empty(N_CHROMA, dtype=np.float64)
    logmel = np.empty(n_mels, dtype=np.float64)
    half = sr / 2.0
    inv_m = 1.0 / m
    freq = np.empty(m, dtype=np.float64)
    ones = np.ones(m, dtype=np.float64)
    dev = np.empty(m, dtype=np.float64)
    for k in range(m):
        freq[k] = (k + 1) * half / m
    for t in range(n_frames):
        x = frames[t]
        # ---- time domain
        crossings = 0
        for i in range(1, win):
            crossings += abs(_sign(x[i]) - _sign(x[i - 1]))
        entropy, energy = _block_entropy(x, win, n_blocks, eps)
        out[t, 0] = crossings / 2.0 / (win - 1.0)
        out[t, 1] = energy / win
        out[t, 2] = entropy
        # ---- magnitude spectrum |X| / m over bins 0 .. m-1
        peak = 0.0
        for k in range(m):
            re = spec[t, k].real
            im = spec[t, k].imag
            mag[k] = np.sqrt(re * re + im * im) * inv_m
            if mag[k] > peak:
                peak = mag[k]
        if t == 0:
            for k in range(m):
                prev[k] = mag[k]
        # ---- centroid and spread on the peak-normalised magnitude
        inv = 1.0 / (peak if peak != 0.0 else eps)
        den = _dot(mag, ones, m) * inv + eps
        centroid = _dot(freq, mag, m) * inv / den
        for k in range(m):
            dev[k] = (freq[k] - centroid) * (freq[k] - centroid)
        out[t, 3] = centroid / half
        out[t, 4] = np.sqrt(_dot(dev, mag, m) * inv / den) / half
        # ---- spectral entropy, flux, roll-off
        entropy, power = _block_entropy(mag, m, n_blocks, eps)
        out[t, 5] = entropy
        total = _dot(mag, ones, m) + m * eps
        total_prev = _dot(prev, ones, m) + m * eps
        a = 1.0 / total
        b = 1.0 / total_prev
        for k in range(m):
            dev[k] = mag[k] * a - prev[k] * b
        out[t, 6] = _sum_sq(dev, 0, m)
        threshold = rolloff * power
        cum = 0.0
        out[t, 7] = 0.0
        for k in range(m):
            cum += mag[k] * mag[k]
            if cum + eps > threshold:
                out[t, 7] = k / m
                break
        # ---- MFCC: log10 of the magnitude filterbank, DCT-II
        for j in range(n_mels):
            logmel[j] = np.log10(mel[t, j] + eps)
        for c in range(basis.shape[0]):
            out[t, N_TIME_SPECTRAL + c] = _dot(basis[c], logmel, n_mels)
        # ---- chroma
        for c in range(N_CHROMA):
            chroma[c] = 0.0
        for i in range(chroma_bin.shape[0]):
            v = mag[chroma_bin[i]]
            chroma[chroma_class[i]] += v * v * chroma_weight[i]
        norm = power if power != 0.0 else eps
        base = N_TIME_SPECTRAL + N_MFCC
        mean = 0.0
        for c in range(N_CHROMA):
            chroma[c] /= norm
            out[t, base + c] = chroma[c]
            mean += chroma[c]
        mean /= N_CHROMA
        var = 0.0
        for c in range(N_CHROMA):
            var += (chroma[c] - mean) ** 2
        out[t, base + N_CHROMA] = np.sqrt(var / N_CHROMA)
        if not np.isfinite(energy):
            # a frame touching a NaN or infinite sample (admitted non-finite audio; a finite
            # frame's energy is at most 1 after the peak normalisation): its zcr (sign(NaN)
            # counted as 0) and roll-off (no bin above a NaN threshold) came out as numbers
            for c in range(N_SHORT):
                out[t, c] = np.nan
        for k in range(m):
            prev[k] = mag[k]


@njit
def mid_term(short, win_ratio, step_ratio, out):
    """pyAudioAnalysis's mid-term statistics of short-term descriptors.

    Window ``w`` covers short frames ``w*step_ratio`` up to ``w*step_ratio + win_ratio``
    (clipped at the end); ``out[w] = [means..., stds...]`` (population std) over the window's
    finite values of each descriptor, NaN where it has none. Short-term values are finite
    except in frames touching admitted NaN samples; pyAudioAnalysis's ``numpy.nan_to_num``
    turned a window holding one into zeros, which read as real values.
    """
    n, n_feat = short.shape
    for w in range(out.shape[0]):
        lo = w * step_ratio
        hi = min(lo + win_ratio, n)
        for f in range(n_feat):
            s = 0.0
            cnt = 0
            for i in range(lo, hi):
                v = short[i, f]
                if np.isfinite(v):
                    s += v
                    cnt += 1
            if cnt == 0:
                out[w, f] = np.nan
                out[w, f + n_feat] = np.nan
                continue
            mean = s / cnt
            var = 0.0
            for i in range(lo, hi):
                v = short[i, f]
                if np.isfinite(v):
                    var += (v - mean) ** 2
            out[w, f] = mean
            out[w, f + n_feat] = np.sqrt(var / cnt)
