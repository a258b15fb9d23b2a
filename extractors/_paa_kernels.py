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
def _block_entropy(x, n, total, n_blocks, eps):
    """Entropy (bits) of the energies of ``n_blocks`` consecutive blocks of ``x[:n]``.

    Blocks are ``n // n_blocks`` long (a remainder is left out); energies are divided by
    ``total + eps`` (``total`` covers all of ``x[:n]``, remainder included).
    """
    width = n // n_blocks
    h = 0.0
    for b in range(n_blocks):
        e = 0.0
        for j in range(b * width, (b + 1) * width):
            e += x[j] * x[j]
        s = e / (total + eps)
        h -= s * np.log2(s + eps)
    return h


@njit
def _sign(v):
    return np.float64(v > 0.0) - np.float64(v < 0.0)


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
    for k in range(m):
        freq[k] = (k + 1) * half / m
    for t in range(n_frames):
        x = frames[t]
        # ---- time domain
        crossings = 0.0
        energy = x[0] * x[0]
        s_prev = _sign(x[0])
        for i in range(1, win):
            v = x[i]
            energy += v * v
            s_cur = _sign(v)
            crossings += abs(s_cur - s_prev)
            s_prev = s_cur
        out[t, 0] = crossings / 2.0 / (win - 1.0)
        out[t, 1] = energy / win
        out[t, 2] = _block_entropy(x, win, energy, n_blocks, eps)
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
        num = 0.0
        den = 0.0
        for k in range(m):
            xt = mag[k] * inv
            num += freq[k] * xt
            den += xt
        den += eps
        centroid = num / den
        acc = 0.0
        for k in range(m):
            d = freq[k] - centroid
            acc += d * d * (mag[k] * inv)
        out[t, 3] = centroid / half
        out[t, 4] = np.sqrt(acc / den) / half
        # ---- spectral entropy, flux, roll-off
        power = 0.0
        total = 0.0
        total_prev = 0.0
        for k in range(m):
            power += mag[k] * mag[k]
            total += mag[k] + eps
            total_prev += prev[k] + eps
        out[t, 5] = _block_entropy(mag, m, power, n_blocks, eps)
        flux = 0.0
        a = 1.0 / total
        b = 1.0 / total_prev
        for k in range(m):
            d = mag[k] * a - prev[k] * b
            flux += d * d
        out[t, 6] = flux
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
            acc = 0.0
            for j in range(n_mels):
                acc += basis[c, j] * logmel[j]
            out[t, N_TIME_SPECTRAL + c] = acc
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
        for k in range(m):
            prev[k] = mag[k]


@njit
def mid_term(short, win_ratio, step_ratio, out):
    """pyAudioAnalysis's mid-term statistics of short-term descriptors.

    Window ``w`` covers short frames ``w*step_ratio`` up to ``w*step_ratio + win_ratio``
    (clipped at the end); ``out[w] = [means..., stds...]`` (population std), with NaN and
    infinities replaced as ``numpy.nan_to_num`` does.
    """
    n, n_feat = short.shape
    big = np.finfo(np.float64).max
    for w in range(out.shape[0]):
        lo = w * step_ratio
        hi = min(lo + win_ratio, n)
        cnt = hi - lo
        for f in range(n_feat):
            if cnt <= 0:
                mean = np.nan
                std = np.nan
            else:
                s = 0.0
                for i in range(lo, hi):
                    s += short[i, f]
                mean = s / cnt
                v = 0.0
                for i in range(lo, hi):
                    v += (short[i, f] - mean) ** 2
                std = np.sqrt(v / cnt)
            out[w, f] = _nan_to_num(mean, big)
            out[w, f + n_feat] = _nan_to_num(std, big)


@njit
def _nan_to_num(val, big):
    if np.isnan(val):
        return 0.0
    if val == np.inf:
        return big
    if val == -np.inf:
        return -big
    return val
