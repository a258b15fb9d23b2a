"""Numba kernels for recurrence quantification analysis (RQA) without an N x N matrix.

The recurrence plot of a delay-embedded series is symmetric, so one sweep over its upper
triangle, column by column, sees every cell once. While sweeping it keeps O(N) state:

* one run length per diagonal (black diagonal lines, upper triangle; the lower one mirrors it),
* one run (length and colour) per row: a row of the upper triangle is, by symmetry, the lower
  half of the column with the same index, so row runs are the lower parts of vertical lines,
* the current run of the column being swept (the upper part of that column).

A column's upper run that reaches the main diagonal continues in the lower half of the same
column, i.e. in row ``j`` of the upper triangle: it is handed over to that row's state, so
vertical black and white lines crossing the diagonal are counted once at their full length.

The parallel kernel splits the columns into blocks of equal area. A diagonal or a row that
crosses a block boundary is cut there: each block records the run touching its left edge
(prefix) apart, and a serial merge joins prefixes to the open runs of the block before.

Cell colours: ``R(i, j) = dist(v_i, v_j) < threshold`` (strict, as pyunicorn and PyRQA).
For the euclidean metric the kernels compare squared distances with a squared threshold that
is chosen (:func:`sq_threshold`) so that ``s < thr`` holds exactly when ``sqrt(s) < radius``,
which keeps results bit-identical to comparing square roots. Main-diagonal cells are black when
the radius is positive and ``main_diagonal`` is on, white otherwise.

Histograms have length ``N + 1`` and are indexed by line length (index 0 unused).
"""

from __future__ import annotations

import math

import numba
import numpy as np

from emofeat._numba import njit

METRIC_EUCLIDEAN = 0  # compared as squared distance
METRIC_MAXIMUM = 1
METRIC_MANHATTAN = 2

MEASURES = (
    "RR", "DET", "L", "Lmax", "DIV", "ENTR", "LAM", "TT", "Vmax", "V_ENTR",
    "W_max", "W_mean", "W_ENTR", "DET_RR", "LAM_DET",
)
N_MEASURES = len(MEASURES)


@njit
def _column_flags(x, j, m, tau, metric, thr, buf):
    """``buf[i] = R(i, j)`` for the rows ``i < j`` of column ``j`` (upper triangle)."""
    if metric == METRIC_EUCLIDEAN:
        for i in range(j):
            s = 0.0
            for l in range(m):
                d = x[i + l * tau] - x[j + l * tau]
                s += d * d
            buf[i] = 1 if s < thr else 0
    elif metric == METRIC_MAXIMUM:
        for i in range(j):
            s = 0.0
            for l in range(m):
                d = abs(x[i + l * tau] - x[j + l * tau])
                if d > s:
                    s = d
            buf[i] = 1 if s < thr else 0
    else:
        for i in range(j):
            s = 0.0
            for l in range(m):
                s += abs(x[i + l * tau] - x[j + l * tau])
            buf[i] = 1 if s < thr else 0


@njit
def _sweep_block(x, n, m, tau, metric, thr, c, theiler, a, b,
                 dlen, dopen, dpre, rlen, rcol, ropen, rpre, rprecol, hd, hvw, buf):
    """Sweep columns ``a..b-1`` of the upper triangle; return the number of black cells.

    Closed runs go to ``hd`` (diagonal, upper triangle only) and ``hvw[colour]`` (vertical,
    colour 1 black, 0 white). Runs still open at the block's edges stay in the state arrays:
    ``dlen``/``rlen``, ``rcol`` the open (suffix) runs; ``dpre``, ``rpre``/``rprecol`` the
    runs that touched the left edge (``dopen``/``ropen`` still 1: the whole segment is one run).
    """
    k0 = theiler if theiler > 1 else 1
    for k in range(1, n):
        dlen[k] = 0
        dpre[k] = 0
        dopen[k] = 1 if k < a else 0  # diagonal k starts at column k
    for i in range(n):
        rlen[i] = 0
        rcol[i] = -1
        rpre[i] = 0
        rprecol[i] = -1
        ropen[i] = 1 if i < a else 0
    n_black = 0
    for j in range(a, b):
        _column_flags(x, j, m, tau, metric, thr, buf)
        tcol = -1
        tlen = 0
        for i in range(j):
            r = buf[i]
            n_black += r
            # diagonal k = j - i (only outside the Theiler window)
            k = j - i
            if k >= k0:
                if r:
                    dlen[k] += 1
                else:
                    L = dlen[k]
                    if dopen[k]:
                        dpre[k] = L
                        dopen[k] = 0
                    elif L:
                        hd[L] += 1
                    dlen[k] = 0
            # row i of the upper triangle (= lower half of column i)
            if r == rcol[i]:
                rlen[i] += 1
            else:
                if rlen[i]:
                    if ropen[i]:
                        rpre[i] = rlen[i]
                        rprecol[i] = rcol[i]
                        ropen[i] = 0
                    else:
                        hvw[rcol[i], rlen[i]] += 1
                rcol[i] = r
                rlen[i] = 1
            # upper part of column j
            if r == tcol:
                tlen += 1
            else:
                if tlen:
                    hvw[tcol, tlen] += 1
                tcol = r
                tlen = 1
        # the diagonal cell closes the column's upper part; its open run continues in row j
        if c == tcol:
            tlen += 1
        else:
            if tlen:
                hvw[tcol, tlen] += 1
            tcol = c
            tlen = 1
        rcol[j] = c
        rlen[j] = tlen
        ropen[j] = 0
    return n_black


@njit
def _merge_blocks(n, c, theiler, bounds, dlen, dopen, dpre, rlen, rcol, ropen, rpre, rprecol,
                  hd, hvw):
    """Join runs cut at block edges (blocks in column order) and close the open ones."""
    n_blocks = bounds.shape[0] - 1
    k0 = theiler if theiler > 1 else 1
    for k in range(k0, n):
        carry = 0
        for t in range(n_blocks):
            if bounds[t + 1] <= k:  # no cell of diagonal k in this block
                continue
            if dopen[t, k]:
                carry += dlen[t, k]
            else:
                total = carry + dpre[t, k]
                if total:
                    hd[total] += 1
                carry = dlen[t, k]
        if carry:
            hd[carry] += 1
    for i in range(n):
        ccol = -1
        clen = 0
        for t in range(n_blocks):
            if bounds[t + 1] <= i:
                continue
            if ropen[t, i]:
                if rcol[t, i] == ccol:
                    clen += rlen[t, i]
                else:
                    if clen:
                        hvw[ccol, clen] += 1
                    ccol = rcol[t, i]
                    clen = rlen[t, i]
            else:
                if rpre[t, i]:
                    if rprecol[t, i] == ccol:
                        hvw[ccol, clen + rpre[t, i]] += 1
                    else:
                        if clen:
                            hvw[ccol, clen] += 1
                        hvw[rprecol[t, i], rpre[t, i]] += 1
                elif clen:
                    hvw[ccol, clen] += 1
                ccol = rcol[t, i]
                clen = rlen[t, i]
        if clen:
            hvw[ccol, clen] += 1
    # the lower triangle mirrors the upper one; the main diagonal is one line if it counts
    for L in range(n + 1):
        hd[L] *= 2
    if theiler == 0 and c == 1:
        hd[n] += 1


@njit
def rqa_hist_serial(x, m, tau, metric, thr, c, theiler, hd, hvw):
    """Line-length histograms of the recurrence plot of ``x``; return the black-cell count.

    Parameters
    ----------
    x : float64 array, the scalar series; ``n = len(x) - (m - 1) * tau`` state vectors.
    m, tau : embedding dimension and delay.
    metric : METRIC_* code; ``thr`` the threshold in the metric's compared unit.
    c : 1 if the main-diagonal cells are black, else 0.
    theiler : diagonal lines use only diagonals ``|i - j| >= theiler``.
    hd, hvw : zeroed outputs, ``(n + 1,)`` and ``(2, n + 1)`` int64.
    """
    n = x.shape[0] - (m - 1) * tau
    bounds = np.empty(2, np.int64)
    bounds[0] = 0
    bounds[1] = n
    dlen = np.zeros((1, n), np.int64)
    dopen = np.zeros((1, n), np.int8)
    dpre = np.zeros((1, n), np.int64)
    rlen = np.zeros((1, n), np.int64)
    rcol = np.zeros((1, n), np.int8)
    ropen = np.zeros((1, n), np.int8)
    rpre = np.zeros((1, n), np.int64)
    rprecol = np.zeros((1, n), np.int8)
    buf = np.empty(n, np.int8)
    n_black = _sweep_block(x, n, m, tau, metric, thr, c, theiler, 0, n, dlen[0], dopen[0],
                           dpre[0], rlen[0], rcol[0], ropen[0], rpre[0], rprecol[0], hd, hvw,
                           buf)
    _merge_blocks(n, c, theiler, bounds, dlen, dopen, dpre, rlen, rcol, ropen, rpre, rprecol,
                  hd, hvw)
    return 2 * n_black + c * n


@njit(parallel=True)
def rqa_hist_parallel(x, m, tau, metric, thr, c, theiler, bounds, hd, hvw):
    """:func:`rqa_hist_serial` over the column blocks ``bounds`` (increasing, 0 .. n) in parallel.

    Each block has its own state and histograms (O(N) memory per block); a serial merge joins
    the runs cut at block edges.
    """
    n = x.shape[0] - (m - 1) * tau
    nb = bounds.shape[0] - 1
    dlen = np.zeros((nb, n), np.int64)
    dopen = np.zeros((nb, n), np.int8)
    dpre = np.zeros((nb, n), np.int64)
    rlen = np.zeros((nb, n), np.int64)
    rcol = np.zeros((nb, n), np.int8)
    ropen = np.zeros((nb, n), np.int8)
    rpre = np.zeros((nb, n), np.int64)
    rprecol = np.zeros((nb, n), np.int8)
    hd_b = np.zeros((nb, n + 1), np.int64)
    hvw_b = np.zeros((nb, 2, n + 1), np.int64)
    black = np.zeros(nb, np.int64)
    for t in numba.prange(nb):
        buf = np.empty(n, np.int8)
        black[t] = _sweep_block(x, n, m, tau, metric, thr, c, theiler, bounds[t], bounds[t + 1],
                                dlen[t], dopen[t], dpre[t], rlen[t], rcol[t], ropen[t], rpre[t],
                                rprecol[t], hd_b[t], hvw_b[t], buf)
    for t in range(nb):
        for L in range(n + 1):
            hd[L] += hd_b[t, L]
            hvw[0, L] += hvw_b[t, 0, L]
            hvw[1, L] += hvw_b[t, 1, L]
    _merge_blocks(n, c, theiler, bounds, dlen, dopen, dpre, rlen, rcol, ropen, rpre, rprecol,
                  hd, hvw)
    return 2 * black.sum() + c * n


def block_bounds(n: int, n_blocks: int) -> np.ndarray:
    """Column-block edges with about equal upper-triangle area (column j has j cells)."""
    n_blocks = max(1, min(int(n_blocks), max(1, n)))
    edges = np.round(n * np.sqrt(np.arange(n_blocks + 1) / n_blocks)).astype(np.int64)
    edges[0], edges[-1] = 0, n
    return np.unique(edges)


# --------------------------------------------------------------------------------------------
# thresholds


@njit
def sq_threshold(radius):
    """Smallest ``s >= 0`` with ``sqrt(s) >= radius``: ``s < it`` iff ``sqrt(s) < radius``.

    Correctly rounded ``sqrt`` is monotone, so comparing squared sums with this value gives
    exactly the cells that comparing euclidean distances with ``radius`` gives.
    """
    if not radius > 0.0:
        return 0.0
    if math.isinf(radius):
        return np.inf
    s = radius * radius
    while s > 0.0 and math.sqrt(s) >= radius:
        s = np.nextafter(s, 0.0)
    while math.sqrt(s) < radius:
        s = np.nextafter(s, np.inf)
    return s


@njit
def _pair_value(x, i, j, m, tau, metric):
    s = 0.0
    if metric == METRIC_EUCLIDEAN:
        for l in range(m):
            d = x[i + l * tau] - x[j + l * tau]
            s += d * d
    elif metric == METRIC_MAXIMUM:
        for l in range(m):
            d = abs(x[i + l * tau] - x[j + l * tau])
            if d > s:
                s = d
    else:
        for l in range(m):
            s += abs(x[i + l * tau] - x[j + l * tau])
    return s


@njit
def _count_le(x, n, m, tau, metric, v):
    """Upper-triangle pairs whose compared value is <= v."""
    cnt = 0
    for j in range(1, n):
        for i in range(j):
            if _pair_value(x, i, j, m, tau, metric) <= v:
                cnt += 1
    return cnt


@njit(parallel=True)
def _count_le_parallel(x, n, m, tau, metric, v):
    cnt = 0
    for j in numba.prange(1, n):
        cj = 0
        for i in range(j):
            if _pair_value(x, i, j, m, tau, metric) <= v:
                cj += 1
        cnt += cj
    return cnt


@njit
def _max_value(x, n, m, tau, metric):
    hi = 0.0
    for j in range(1, n):
        for i in range(j):
            s = _pair_value(x, i, j, m, tau, metric)
            if s > hi:
                hi = s
    return hi


@njit
def _as_bits(v):
    return np.array([v], np.float64).view(np.int64)[0]


@njit
def _as_float(b):
    return np.array([b], np.int64).view(np.float64)[0]


@njit
def _count(x, n, m, tau, metric, v, parallel):
    if parallel:
        return _count_le_parallel(x, n, m, tau, metric, v)
    return _count_le(x, n, m, tau, metric, v)


@njit
def quantile_value(x, m, tau, metric, q, parallel):
    """The ``q``-th smallest (0-based) of the ``n * n`` compared values of the full matrix.

    The full matrix holds ``n`` zeros on its diagonal and every upper-triangle value twice
    (pyunicorn's ``threshold_from_recurrence_rate`` sorts exactly these ``n * n`` values).
    Found without storing them: bisection on the bit patterns of non-negative doubles (their
    order is the integers' order) with counting passes, then, once at most ``4 n`` values lie
    in the bracket, one pass gathers and sorts them.
    """
    n = x.shape[0] - (m - 1) * tau
    need = q + 1  # smallest v with n + 2 * count_le(v) >= need
    if need <= n + 2 * _count(x, n, m, tau, metric, 0.0, parallel):
        return 0.0
    hi_v = _max_value(x, n, m, tau, metric)
    lo = _as_bits(0.0)
    hi = _as_bits(hi_v)
    c_lo = _count(x, n, m, tau, metric, 0.0, parallel)
    c_hi = n * (n - 1) // 2
    cap = 4 * n + 64
    while hi - lo > 1 and c_hi - c_lo > cap:
        mid = lo + (hi - lo) // 2
        c_mid = _count(x, n, m, tau, metric, _as_float(mid), parallel)
        if n + 2 * c_mid >= need:
            hi = mid
            c_hi = c_mid
        else:
            lo = mid
            c_lo = c_mid
    if hi - lo <= 1:
        return _as_float(hi)
    lo_v = _as_float(lo)
    hi_v = _as_float(hi)
    vals = np.empty(c_hi - c_lo, np.float64)
    p = 0
    for j in range(1, n):
        for i in range(j):
            s = _pair_value(x, i, j, m, tau, metric)
            if s > lo_v and s <= hi_v:
                vals[p] = s
                p += 1
    vals = np.sort(vals[:p])
    for idx in range(p):
        if n + 2 * (c_lo + idx + 1) >= need:
            return vals[idx]
    return hi_v


# --------------------------------------------------------------------------------------------
# measures from histograms


@njit
def _entropy(h, lo, n, eps, log_base):
    tot = 0
    for L in range(lo, n + 1):
        tot += h[L]
    den = float(tot) + eps
    if den == 0.0:
        return 0.0
    e = 0.0
    for L in range(lo, n + 1):
        if h[L] > 0:
            p = h[L] / den
            e -= p * math.log(p)
    if log_base > 0.0:
        e /= log_base
    return e


@njit
def _ratio(num, den, eps):
    d = float(den) + eps
    if d == 0.0:
        return 0.0
    return num / d


@njit
def measures_from_hist(hd, hvw, n_rec, n, main_diagonal, l_min, v_min, w_min, eps, log_base,
                       out):
    """The 15 measures of ``MEASURES`` into ``out`` from the histograms.

    ``eps`` is added to every denominator (pyunicorn adds 1e-8); a denominator that is still
    0 gives 0. ``log_base`` is ``log(base)`` of the entropy, or 0 for natural logarithms.
    """
    hv = hvw[1]
    hw = hvw[0]
    cells = n * n if main_diagonal else n * (n - 1)
    out[0] = n_rec / cells if cells > 0 else 0.0
    d_all = 0
    d_min = 0
    n_dmin = 0
    lmax = 0
    for L in range(1, n + 1):
        if hd[L] > 0:
            lmax = L
            d_all += L * hd[L]
            if L >= l_min:
                d_min += L * hd[L]
                n_dmin += hd[L]
    out[1] = _ratio(d_min, d_all, eps)
    out[2] = _ratio(d_min, n_dmin, eps)
    out[3] = lmax
    out[4] = 1.0 / lmax if lmax > 0 else 0.0
    out[5] = _entropy(hd, max(l_min, 1), n, eps, log_base)
    v_all = 0
    v_min_pts = 0
    n_vmin = 0
    vmax = 0
    for L in range(1, n + 1):
        if hv[L] > 0:
            vmax = L
            v_all += L * hv[L]
            if L >= v_min:
                v_min_pts += L * hv[L]
                n_vmin += hv[L]
    out[6] = _ratio(v_min_pts, v_all, eps)
    out[7] = _ratio(v_min_pts, n_vmin, eps)
    out[8] = vmax
    out[9] = _entropy(hv, max(v_min, 1), n, eps, log_base)
    w_pts = 0
    n_w = 0
    wmax = 0
    for L in range(1, n + 1):
        if hw[L] > 0:
            wmax = L
            if L >= w_min:
                w_pts += L * hw[L]
                n_w += hw[L]
    out[10] = wmax
    out[11] = _ratio(w_pts, n_w, eps)
    out[12] = _entropy(hw, max(w_min, 1), n, eps, log_base)
    out[13] = out[1] / out[0] if out[0] > 0.0 else 0.0
    out[14] = out[6] / out[1] if out[1] > 0.0 else 0.0


@njit
def rqa_frames(frames, m, tau, metric, thr, c_main, main_diagonal, theiler, l_min, v_min, w_min,
               eps, log_base, out):
    """Measures of every row of ``frames`` (n_frames, frame_len) into ``out`` (n_frames, 15).

    ``thr[f]`` is frame f's threshold in the metric's compared unit (see :func:`sq_threshold`).
    """
    n_frames = frames.shape[0]
    n = frames.shape[1] - (m - 1) * tau
    hd = np.zeros(n + 1, np.int64)
    hvw = np.zeros((2, n + 1), np.int64)
    for f in range(n_frames):
        hd[:] = 0
        hvw[:] = 0
        c = 1 if (c_main and thr[f] > 0.0) else 0
        n_rec = rqa_hist_serial(frames[f], m, tau, metric, thr[f], c, theiler, hd, hvw)
        measures_from_hist(hd, hvw, n_rec, n, main_diagonal, l_min, v_min, w_min, eps,
                           log_base, out[f])
