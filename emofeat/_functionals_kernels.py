"""Numba kernel for statistical functionals over frame-level descriptors."""

from __future__ import annotations

import numpy as np

from emofeat._numba import njit

# Layout of the per-descriptor summary the kernel returns, before percentiles.
N_MOMENTS = 10
I_COUNT, I_MEAN, I_STD, I_MIN, I_MAX, I_SKEW, I_KURT, I_SLOPE, I_OFFSET, I_SUM = range(N_MOMENTS)


@njit
def summarize(lld, times, qs, out, srt, full=True):
    """Summaries of every column of ``lld`` (n_frames, n_desc) into ``out`` (n_desc, 10 + len(qs)).

    Non-finite frames are left out column by column. Moments are population moments
    (ddof=0); skewness is Fisher-Pearson (scipy's ``bias=True``), kurtosis is excess kurtosis;
    both are 0 for a constant column. Percentiles interpolate linearly (numpy's default).
    Slope and offset are the least-squares line against ``times`` (seconds).
    A column with no finite frame gives NaN everywhere but the count.

    ``srt``: each column of ``lld`` sorted, as the rows of an (n_desc, n_frames) array
    (``np.sort(lld.T)``: NumPy's SIMD sort, 8-10x Numba's on 39 columns of a few hundred
    frames, on contiguous rows), used for the percentiles when every value is finite, or an
    empty array: then the kernel sorts.

    ``full=False``: only count, sum, mean and std are asked for; when every value is finite
    the other moments (min, max, skewness, kurtosis, slope, offset) are then not computed
    and their entries hold no meaningful number. Count, sum, mean and std are the same bits
    either way (the same sums in the same order).
    """
    n_frames, n_desc = lld.shape
    n_q = qs.shape[0]
    vals = np.empty(n_frames, dtype=np.float64)
    tv = np.empty(n_frames, dtype=np.float64)
    # every frame finite (the usual case): frame by frame, every descriptor's sums side by
    # side in the rows' memory order (SIMD across descriptors, no strided reads); each sum
    # runs over the same frames in the same order, with the same operations, as the
    # column-by-column loop below: the same numbers, bit for bit (tested)
    if n_frames > 0 and _summarize_rows(lld, times, qs, out, vals, srt, full):
        return
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
        _store_column(out, d, n, s, m2, m3, m4, stt, stv, lo, hi, tmean, vals, False, qs)


@njit
def summarize_many(lld, times, starts, qs, out, full=True):
    """:func:`summarize` of each of many short inputs stacked in ``lld``: input ``k`` is
    rows ``starts[k]:starts[k + 1]`` (its frames; ``times`` likewise), summarised into
    ``out[k]`` (n_inputs, n_desc, 10 + len(qs)). One call for thousands of texts, where a
    call per text cost more than its statistics. The kernel sorts for the percentiles (the
    values and so the numbers are those of :func:`summarize`). An input without frames gets
    count and sum 0 and NaN elsewhere, as :func:`emofeat.functionals.compute_functionals`."""
    no_sort = np.empty((0, 0), dtype=lld.dtype)
    for k in range(starts.shape[0] - 1):
        a = starts[k]
        b = starts[k + 1]
        if b > a:
            summarize(lld[a:b], times[a:b], qs, out[k], no_sort, full)
        else:
            out[k, :, :] = np.nan
            out[k, :, I_COUNT] = 0.0
            out[k, :, I_SUM] = 0.0


@njit
def _summarize_rows(lld, times, qs, out, vals, srt, full):
    """:func:`summarize` frame by frame, when every value of ``lld`` is finite; returns
    False (``out`` untouched) otherwise. ``vals``: n_frames of scratch; ``full``: as
    :func:`summarize`'s."""
    n, n_desc = lld.shape
    n_q = qs.shape[0]
    s = np.zeros(n_desc, dtype=np.float64)
    st = 0.0
    for t in range(n):
        st += times[t]
        for d in range(n_desc):
            s[d] += lld[t, d]
    for d in range(n_desc):
        # a NaN or infinite value makes its column's sum NaN or infinite (so does an
        # overflow of finite ones: the general loop handles it too)
        if not np.isfinite(s[d]):
            return False
    tmean = st / n
    mean = np.empty(n_desc, dtype=np.float64)
    for d in range(n_desc):
        mean[d] = s[d] / n
    m2 = np.zeros(n_desc, dtype=np.float64)
    m3 = np.zeros(n_desc, dtype=np.float64)
    m4 = np.zeros(n_desc, dtype=np.float64)
    stv = np.zeros(n_desc, dtype=np.float64)
    lo = lld[0].copy()
    hi = lld[0].copy()
    stt = 0.0
    for t in range(n if not full else 0):  # count, sum, mean and std only: m2 alone
        for d in range(n_desc):
            dv = lld[t, d] - mean[d]
            m2[d] += dv * dv
    for t in range(n if full else 0):
        dt = times[t] - tmean
        stt += dt * dt
        for d in range(n_desc):
            v = lld[t, d]
            dv = v - mean[d]
            d2 = dv * dv
            m2[d] += d2
            m3[d] += d2 * dv
            m4[d] += d2 * d2
            stv[d] += dt * dv
            lo[d] = v if v < lo[d] else lo[d]  # as "if v < lo: lo = v", branch-free
            hi[d] = v if v > hi[d] else hi[d]
    presorted = srt.shape[0] == n_desc and srt.shape[1] == n
    for d in range(n_desc):
        if n_q:
            for t in range(n):
                vals[t] = srt[d, t] if presorted else lld[t, d]
        _store_column(out, d, n, s[d], m2[d], m3[d], m4[d], stt, stv[d], lo[d], hi[d], tmean,
                      vals, presorted, qs)
    return True


@njit(inline="always")  # in both loops of summarize: no call per column
def _store_column(out, d, n, s, m2, m3, m4, stt, stv, lo, hi, tmean, vals, presorted, qs):
    """Row ``d`` of :func:`summarize`'s ``out`` from one column's sums over its ``n`` finite
    frames (``m2``, ``m3``, ``m4``: sums of powers of the deviations from the mean; ``stt``,
    ``stv``: of the time deviations squared and times the value deviations); ``vals[:n]``
    holds those frames' values when percentiles are asked for (in order if ``presorted``)."""
    n_q = qs.shape[0]
    mean = s / n
    m2 /= n
    m3 /= n
    m4 /= n
    out[d, I_COUNT] = n
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
        return  # no percentile asked for: the sort is most of this kernel's time
    srt = vals[:n] if presorted else np.sort(vals[:n])
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

    ``h`` (w,) are the interior coefficients (``out[i] = sum_k h[k] x[i - w//2 + k]``),
    antisymmetric (odd orders) or symmetric (even) about ``w//2`` as
    :func:`emofeat.functionals._savgol_plan` makes them; ``edge`` (w,) gives the first and
    last ``w//2`` outputs, which are the derivative of the polynomial fitted to the first
    (last) ``w`` frames: with ``polyorder == deriv`` that derivative is one number, the same
    linear form of those frames. Sums in float64.

    A NaN or infinite frame makes every output whose window holds it NaN or infinite (its
    own included), as the plain sum did.

    The coefficients sum to zero, so every sum is taken over differences of frames (of the
    mirror pair about the centre, or of their sum and twice the centre; at the edges, of a
    frame and the first or last): a constant stretch (the MFCC of digital silence) gives
    exactly 0, where the plain sum left ``value * sum(h)``, rounding residue of 1e-17 of the
    value that sklearn's scaler took for a feature with variance.
    """
    n, d = x.shape
    w = h.shape[0]
    half = w // 2
    left = np.zeros(d, dtype=np.float64)
    right = np.zeros(d, dtype=np.float64)
    for k in range(w):
        e = edge[k]
        for j in range(d):
            left[j] += e * (np.float64(x[k, j]) - np.float64(x[0, j]))
            right[j] += e * (np.float64(x[n - w + k, j]) - np.float64(x[n - 1, j]))
    for i in range(half):
        for j in range(d):
            out[i, j] = left[j]
            out[n - half + i, j] = right[j]
    # all columns at once: the interior outputs, as one run of (n - w + 1) * d values in
    # memory order, gather h[k] times the same runs of x shifted by k and w-1-k rows (one long
    # loop that SIMD takes whole); every output is the same sum in the same order from the
    # same 0.0 as one column at a time
    xf = x.reshape(n * d)
    of = out.reshape(n * d)
    first = half * d
    m = (n - 2 * half) * d
    # the pair sums equal the plain sum only for coefficients exactly antisymmetric (odd
    # orders) or symmetric (even) about the centre, as _savgol_plan makes them
    odd = h[half] == 0.0
    for k in range(half):
        if (h[k] != -h[w - 1 - k]) if odd else (h[k] != h[w - 1 - k]):
            raise ValueError("savgol_deltas: the coefficients must be antisymmetric or "
                             "symmetric about the centre")
    o = of[first : first + m]
    c = xf[first : first + m]
    for i in range(m):
        # the centre frame's own weight is 0 at odd orders, but 0 * NaN (or inf) is NaN: a
        # non-finite frame makes its own delta NaN, as the plain sum did (+ 0.0: +0, not -0)
        o[i] = 0.0 * np.float64(c[i]) + 0.0 if odd else 0.0
    for k in range(half):
        hk = h[k]
        # runs as slices: LLVM vectorises these loops, not the same ones over offsets
        a = xf[k * d : k * d + m]
        b = xf[(w - 1 - k) * d : (w - 1 - k) * d + m]
        if odd:  # in float64 from float32 frames too: their differences round in float32
            for i in range(m):
                o[i] += hk * (np.float64(a[i]) - np.float64(b[i]))
        else:
            for i in range(m):
                o[i] += hk * ((np.float64(a[i]) + np.float64(b[i])) - 2.0 * np.float64(c[i]))


@njit
def with_deltas(x, hs, edges, out):
    """``out`` (n, d * (1 + k)) = ``x`` (n, d) beside its ``k`` Savitzky-Golay derivatives,
    order ``o`` from ``hs[o - 1]``, ``edges[o - 1]`` (as :func:`savgol_deltas` gives each,
    the same numbers bit for bit: it is what runs here), in one call: a set with deltas
    made them in two kernel calls a file, each with its own output, slices and copies."""
    n, d = x.shape
    for i in range(n):
        for j in range(d):
            out[i, j] = x[i, j]
    tmp = np.empty((n, d), dtype=np.float64)
    for o in range(hs.shape[0]):
        savgol_deltas(x, hs[o], edges[o], tmp)
        a = (o + 1) * d
        for i in range(n):
            for j in range(d):
                out[i, a + j] = tmp[i, j]
