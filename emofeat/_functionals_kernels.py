"""Numba kernel for statistical functionals over frame-level descriptors."""

from __future__ import annotations

import numpy as np

from emofeat._numba import njit

# Layout of the per-descriptor summary the kernel returns, before percentiles.
N_MOMENTS = 10
I_COUNT, I_MEAN, I_STD, I_MIN, I_MAX, I_SKEW, I_KURT, I_SLOPE, I_OFFSET, I_SUM = range(N_MOMENTS)


@njit
def summarize(lld, times, qs, out):
    """Summaries of every column of ``lld`` (n_frames, n_desc) into ``out`` (n_desc, 10 + len(qs)).

    Non-finite frames are left out column by column. Moments are population moments
    (ddof=0); skewness is Fisher-Pearson (scipy's ``bias=True``), kurtosis is excess kurtosis;
    both are 0 for a constant column. Percentiles interpolate linearly (numpy's default).
    Slope and offset are the least-squares line against ``times`` (seconds).
    A column with no finite frame gives NaN everywhere but the count.
    """
    n_frames, n_desc = lld.shape
    n_q = qs.shape[0]
    vals = np.empty(n_frames, dtype=np.float64)
    tv = np.empty(n_frames, dtype=np.float64)
    for d in range(n_desc):
        n = 0
        for t in range(n_frames):
            v = lld[t, d]
            if np.isfinite(v):
                vals[n] = v
                tv[n] = times[t]
                n += 1
        out[d, I_COUNT] = n
        if n == 0:
            for i in range(1, N_MOMENTS + n_q):
                out[d, i] = np.nan
            out[d, I_SUM] = 0.0
            continue
        s = 0.0
        st = 0.0
        for i in range(n):
            s += vals[i]
            st += tv[i]
        mean = s / n
        tmean = st / n
        m2 = 0.0
        m3 = 0.0
        m4 = 0.0
        stt = 0.0
        stv = 0.0
        lo = vals[0]
        hi = vals[0]
        for i in range(n):
            dv = vals[i] - mean
            d2 = dv * dv
            m2 += d2
            m3 += d2 * dv
            m4 += d2 * d2
            dt = tv[i] - tmean
            stt += dt * dt
            stv += dt * dv
            if vals[i] < lo:
                lo = vals[i]
            if vals[i] > hi:
                hi = vals[i]
        m2 /= n
        m3 /= n
        m4 /= n
        out[d, I_MEAN] = mean
        out[d, I_SUM] = s
        out[d, I_STD] = np.sqrt(m2)
        out[d, I_MIN] = lo
        out[d, I_MAX] = hi
        # a tiny m2 relative to the mean is rounding noise of a constant column
        if m2 <= 1e-24 * max(1.0, mean * mean):
            out[d, I_SKEW] = 0.0
            out[d, I_KURT] = 0.0
        else:
            out[d, I_SKEW] = m3 / m2**1.5
            out[d, I_KURT] = m4 / (m2 * m2) - 3.0
        if stt > 0.0:
            slope = stv / stt
        else:
            slope = 0.0
        out[d, I_SLOPE] = slope
        out[d, I_OFFSET] = mean - slope * tmean
        if n_q == 0:
            continue  # no percentile asked for: the sort is most of this kernel's time
        srt = np.sort(vals[:n])
        for k in range(n_q):
            pos = qs[k] / 100.0 * (n - 1)
            i0 = int(np.floor(pos))
            if i0 >= n - 1:
                out[d, N_MOMENTS + k] = srt[n - 1]
            else:
                frac = pos - i0
                out[d, N_MOMENTS + k] = srt[i0] + (srt[i0 + 1] - srt[i0]) * frac


@njit
def savgol_deltas(x, h, edge, out):
    """Savitzky-Golay derivative of every column of ``x`` (n, d) into ``out`` (n, d), as
    ``scipy.signal.savgol_filter(mode="interp")`` with ``polyorder == deriv``.

    ``h`` (w,) are the interior coefficients (``out[i] = sum_k h[k] x[i - w//2 + k]``);
    ``edge`` (w,) gives the first and last ``w//2`` outputs, which are the derivative of the
    polynomial fitted to the first (last) ``w`` frames: with ``polyorder == deriv`` that
    derivative is one number, the same linear form of those frames. Sums in float64.
    """
    n, d = x.shape
    w = h.shape[0]
    half = w // 2
    for j in range(d):
        left = 0.0
        right = 0.0
        for k in range(w):
            left += edge[k] * x[k, j]
            right += edge[k] * x[n - w + k, j]
        for i in range(half):
            out[i, j] = left
            out[n - half + i, j] = right
        for i in range(half, n - half):
            acc = 0.0
            for k in range(w):
                acc += h[k] * x[i - half + k, j]
            out[i, j] = acc
