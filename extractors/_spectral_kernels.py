"""Numba kernels shared by the spectral extractors: framing and mel filterbanks.

Serial kernels only; parallelism lives one level up (files across processes), where it
scales without fighting the FFT library for cores.
"""

from __future__ import annotations

import numpy as np

from emofeat._numba import njit

PAD_CONSTANT = 0
PAD_REFLECT = 1


@njit
def _padded_sample(y, i, pad_mode):
    n = y.shape[0]
    if 0 <= i < n:
        return y[i]
    if pad_mode == PAD_CONSTANT or n == 1:
        return 0.0
    # reflect without repeating the edge sample (numpy 'reflect'), folding as often as needed
    period = 2 * (n - 1)
    i = abs(i) % period
    if i >= n:
        i = period - i
    return y[i]


@njit
def frame_signal(y, window, hop, n_frames, first, win_start, win_len, preemph, pad_mode, out):
    """Write windowed frames into ``out`` (n_frames, n_fft).

    Frame ``t`` covers samples ``first + t*hop + win_start ... + win_len`` of the signal
    (negative or past-the-end indices are padded per ``pad_mode``); the rest of the n_fft
    frame is zero. ``preemph != 0`` applies HTK's per-frame pre-emphasis
    ``x[i] - k x[i-1]`` with ``x[0] (1 - k)`` before windowing.
    """
    n_fft = out.shape[1]
    n = y.shape[0]
    w = window[win_start : win_start + win_len]
    for t in range(n_frames):
        row = out[t]
        for j in range(win_start):
            row[j] = 0.0
        for j in range(win_start + win_len, n_fft):
            row[j] = 0.0
        dst = row[win_start : win_start + win_len]
        base = first + t * hop + win_start
        if base >= 0 and base + win_len <= n:
            seg = y[base : base + win_len]
            if preemph != 0.0:  # a negative coefficient too, as in the padded frames below
                dst[0] = seg[0] * (1.0 - preemph) * w[0]
                for j in range(1, win_len):
                    dst[j] = (seg[j] - preemph * seg[j - 1]) * w[j]
            else:
                # contiguous views without offsets let LLVM vectorise the hot loop
                for j in range(win_len):
                    dst[j] = seg[j] * w[j]
        else:
            prev = _padded_sample(y, base, pad_mode)
            dst[0] = prev * (1.0 - preemph) * w[0]
            for j in range(1, win_len):
                cur = _padded_sample(y, base + j, pad_mode)
                dst[j] = (cur - preemph * prev) * w[j]
                prev = cur


@njit
def mel_from_spectrum(spec, power, starts, lengths, band, out):
    """Mel energies of a complex spectrum: ``out[t, m] = sum_k w[m, k] |X[t, k]|**power``.

    Accumulates in float64; ``starts/lengths/band`` is the sparse filterbank.
    """
    n_frames = spec.shape[0]
    n_bins = spec.shape[1]
    n_mels = starts.shape[0]
    mag = np.empty(n_bins, dtype=np.float64)
    for t in range(n_frames):
        for k in range(n_bins):
            re = spec[t, k].real
            im = spec[t, k].imag
            p = re * re + im * im
            if power == 2.0:
                mag[k] = p
            elif power == 1.0:
                mag[k] = np.sqrt(p)
            else:
                mag[k] = p ** (0.5 * power)
        for m in range(n_mels):
            acc = 0.0
            s = starts[m]
            for j in range(lengths[m]):
                acc += band[m, j] * mag[s + j]
            out[t, m] = acc
