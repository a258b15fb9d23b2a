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

import llvmlite.ir as llvmir
import numba
import numpy as np
from numba.core import types
from numba.extending import intrinsic

from emofeat._numba import njit

METRIC_EUCLIDEAN = 0  # compared as squared distance
METRIC_MAXIMUM = 1
METRIC_MANHATTAN = 2

MEASURES = (
    "RR", "DET", "L", "Lmax", "DIV", "ENTR", "LAM", "TT", "Vmax", "V_ENTR",
    "W_max", "W_mean", "W_ENTR", "DET_RR", "LAM_DET",
)
N_MEASURES = len(MEASURES)


_ONE = np.uint64(1)


@intrinsic
def _cttz(typingctx, word):
    """Index of the lowest set bit of a non-zero uint64 (LLVM ``cttz``)."""
    sig = types.int64(types.uint64)

    def codegen(context, builder, signature, args):
        return builder.cttz(args[0], llvmir.Constant(llvmir.IntType(1), 1))

    return sig, codegen


@njit(inline="always")
def _bit(words, i):
    return (words[i >> 6] >> np.uint64(i & 63)) & _ONE


_PACK = np.uint64(0x0102040810204080)  # gathers the low bits of 8 bytes into one byte


@intrinsic
def _popcount(typingctx, word):
    """Number of set bits of a uint64 (LLVM ``ctpop``)."""
    sig = types.int64(types.uint64)

    def codegen(context, builder, signature, args):
        return builder.ctpop(args[0])

    return sig, codegen


@njit(inline="always")
def _column_values(E, m, metric, j, out):
    """The compared values of the pairs ``(i, j)``, ``i < j``, into ``out[:j]``.

    Loops over ``i`` that LLVM vectorises; :func:`_upper_bits` compares these values (its
    fused cases for m <= 3 do the same operations in the same order, so the same values to
    the bit), and the counting passes of ``recurrence_rate`` use them too (a pair at a time,
    with the metric tested inside, a pass cost about 17 sweeps of the whole plot).
    """
    a0 = E[0, j]
    if metric == METRIC_EUCLIDEAN:
        for i in range(j):
            d = E[0, i] - a0
            out[i] = d * d
        for l in range(1, m):
            al = E[l, j]
            for i in range(j):
                d = E[l, i] - al
                out[i] += d * d
    elif metric == METRIC_MAXIMUM:
        for i in range(j):
            out[i] = abs(E[0, i] - a0)
        for l in range(1, m):
            al = E[l, j]
            for i in range(j):
                out[i] = max(out[i], abs(E[l, i] - al))
    else:
        for i in range(j):
            out[i] = abs(E[0, i] - a0)
        for l in range(1, m):
            al = E[l, j]
            for i in range(j):
                out[i] += abs(E[l, i] - al)


@njit(inline="always")
def _upper_bits(E, m, metric, thr, j, sbuf, fbuf, fwords, cur):
    """Column ``j``'s upper part, ``R(i, j)`` for rows ``i < j``, into the bits of ``cur``.

    Writes every word that holds bits ``0..j`` (bit ``j`` and above left 0); returns the
    number of black cells. Distances accumulate over the embedding coordinates in order
    ``0..m-1`` (the reference tools' order; ``max`` is order-free) in vectorisable loops
    (fused for the common m <= 3, passes over ``sbuf`` otherwise); the 0/1 flags (``fbuf``,
    viewed as ``fwords``) are packed eight at a time by a multiplication. ``E`` is indexed
    directly (no row views: creating views per column cost more than the arithmetic).
    """
    if metric == METRIC_EUCLIDEAN and m == 3:
        a0 = E[0, j]
        a1 = E[1, j]
        a2 = E[2, j]
        for i in range(j):
            d = E[0, i] - a0
            s = d * d
            d = E[1, i] - a1
            s += d * d
            d = E[2, i] - a2
            s += d * d
            fbuf[i] = s < thr
    elif metric == METRIC_EUCLIDEAN and m == 2:
        a0 = E[0, j]
        a1 = E[1, j]
        for i in range(j):
            d = E[0, i] - a0
            s = d * d
            d = E[1, i] - a1
            s += d * d
            fbuf[i] = s < thr
    elif metric == METRIC_EUCLIDEAN and m == 1:
        a0 = E[0, j]
        for i in range(j):
            d = E[0, i] - a0
            fbuf[i] = d * d < thr
    elif metric == METRIC_MAXIMUM and m == 3:
        a0 = E[0, j]
        a1 = E[1, j]
        a2 = E[2, j]
        for i in range(j):
            fbuf[i] = max(max(abs(E[0, i] - a0), abs(E[1, i] - a1)), abs(E[2, i] - a2)) < thr
    elif metric == METRIC_MANHATTAN and m == 3:
        a0 = E[0, j]
        a1 = E[1, j]
        a2 = E[2, j]
        for i in range(j):
            fbuf[i] = abs(E[0, i] - a0) + abs(E[1, i] - a1) + abs(E[2, i] - a2) < thr
    else:
        _column_values(E, m, metric, j, sbuf)
        for i in range(j):
            fbuf[i] = sbuf[i] < thr
    nw = (j + 64) >> 6
    for i in range(j, nw << 6):
        fbuf[i] = 0
    black = 0
    for w in range(nw):
        word = np.uint64(0)
        for q in range(8):
            word |= ((fwords[(w << 3) + q] * _PACK) >> np.uint64(56)) << np.uint64(q << 3)
        cur[w] = word
        black += _popcount(word)
    return black


@njit
def _sweep_block(E, n, m, metric, thr, c, theiler, a, b,
                 ds, dpre, dsuf, dhad, dopen, rs, rpre, rsuf, rsufcol, ropen, hd, hvw,
                 sbuf, fbuf, fwords, cur, prev):
    """Sweep columns ``a..b-1`` of the upper triangle; return the number of black cells.

    Runs are tracked by their start (``ds[k]``: row where diagonal k's black run began;
    ``rs[i]``: column where row i's run began) and closed at colour changes found with word
    operations, so the work per column is O(N / 64 + runs). Closed runs go to ``hd`` (diagonal,
    upper triangle) and ``hvw[colour]`` (vertical; 1 black, 0 white). Runs that cross the
    block's left edge (rows ``i < a``; diagonals whose cell before the block is black) close
    into ``rpre``/``dpre`` instead; runs open at the right edge are left in ``rsuf``/``dsuf``.
    """
    k0 = theiler if theiler > 1 else 1
    hv = hvw[1]
    hw = hvw[0]
    nwords = cur.shape[0]
    for w in range(nwords):
        prev[w] = np.uint64(0)
        cur[w] = np.uint64(0)
    if a > 0:
        _upper_bits(E, m, metric, thr, a - 1, sbuf, fbuf, fwords, prev)
        if c:
            prev[(a - 1) >> 6] |= _ONE << np.uint64((a - 1) & 63)
    for i in range(a):
        rs[i] = a
        ropen[i] = 1
    for k in range(k0, n):
        dhad[k] = 0
        dopen[k] = 0
        ds[k] = 0
        dpre[k] = 0
        if k < a and _bit(prev, a - 1 - k):
            dhad[k] = 1
            dopen[k] = 1
            ds[k] = a - k
    n_black = 0
    for j in range(a, b):
        n_black += _upper_bits(E, m, metric, thr, j, sbuf, fbuf, fwords, cur)
        if c:
            cur[j >> 6] |= _ONE << np.uint64(j & 63)
        nw = (j + 64) >> 6
        # runs of the column's upper part, rows 0..j (colour changes between rows i-1, i)
        s = 0
        col = np.int64(cur[0] & _ONE)
        carry = np.uint64(0)
        for w in range(nw):
            word = cur[w]
            t = word ^ ((word << _ONE) | carry)
            carry = word >> np.uint64(63)
            if w == 0:
                t &= ~_ONE
            if w == nw - 1:
                t &= (np.uint64(2) << np.uint64(j & 63)) - _ONE
            base = w << 6
            while t:  # runs alternate colours: no bit test per run
                p = base + _cttz(t)
                hvw[col, p - s] += 1
                col ^= 1
                s = p
                t &= t - _ONE
        rs[j] = s  # the run reaching the diagonal goes on down column j = along row j
        # rows i < j: colour change between columns j-1 and j ends row i's run
        for w in range(nw):
            pw = prev[w]
            t = cur[w] ^ pw
            if w == nw - 1:
                t &= (_ONE << np.uint64(j & 63)) - _ONE
            base = w << 6
            for colour in (1, 0):  # black runs ended (were black), then white ones
                tc = t & pw if colour else t & ~pw
                hc = hv if colour else hw
                while tc:
                    i = base + _cttz(tc)
                    L = j - rs[i]
                    if i < a and ropen[i]:
                        rpre[i] = L
                        ropen[i] = 0
                    else:
                        hc[L] += 1
                    rs[i] = j
                    tc &= tc - _ONE
        # diagonals k = j - i >= k0: cell (i, j) against (i-1, j-1)
        lim = j - k0
        if lim >= 0:
            carry = np.uint64(0)
            for w in range((lim >> 6) + 1):
                pw = prev[w]
                t = cur[w] ^ ((pw << _ONE) | carry)
                carry = pw >> np.uint64(63)
                if w == lim >> 6:
                    t &= (np.uint64(2) << np.uint64(lim & 63)) - _ONE
                base = w << 6
                cw = cur[w]
                ts = t & cw  # a black run starts at (i, j): diagonal k = j - i has one cell here
                while ts:
                    i = base + _cttz(ts)
                    ds[j - i] = i
                    ts &= ts - _ONE
                te = t & ~cw  # the black run ended at (i-1, j-1)
                while te:
                    i = base + _cttz(te)
                    k = j - i
                    L = i - ds[k]
                    if dopen[k]:
                        dpre[k] = L
                        dopen[k] = 0
                    else:
                        hd[L] += 1
                    te &= te - _ONE
        for w in range(nw):
            prev[w] = cur[w]
    # runs open at the right edge (prev holds column b-1 with its diagonal bit)
    for i in range(b):
        rsuf[i] = b - rs[i]
        rsufcol[i] = _bit(prev, i)
    for k in range(k0, b):
        dsuf[k] = (b - k) - ds[k] if _bit(prev, b - 1 - k) else 0
    return n_black


@njit
def _merge_blocks(n, c, theiler, bounds, ds, dpre, dsuf, dhad, dopen, rpre, rsuf, rsufcol,
                  ropen, hd, hvw):
    """Join runs cut at block edges (blocks in column order) and close the open ones."""
    n_blocks = bounds.shape[0] - 1
    k0 = theiler if theiler > 1 else 1
    for k in range(k0, n):
        carry = 0
        for t in range(n_blocks):
            if bounds[t + 1] <= k:  # diagonal k starts at column k
                continue
            if dhad[t, k]:
                if dopen[t, k]:
                    carry += dsuf[t, k]
                    continue
                total = carry + dpre[t, k]
                if total:
                    hd[total] += 1
            elif carry:
                hd[carry] += 1
            carry = dsuf[t, k]
        if carry:
            hd[carry] += 1
    for i in range(n):
        ccol = 0
        clen = 0
        for t in range(n_blocks):
            if bounds[t + 1] <= i:  # row i starts at column i
                continue
            if i < bounds[t]:
                if ropen[t, i]:
                    clen += rsuf[t, i]
                    continue
                total = clen + rpre[t, i]
                if total:
                    hvw[ccol, total] += 1
            clen = rsuf[t, i]
            ccol = rsufcol[t, i]
        if clen:
            hvw[ccol, clen] += 1
    # the lower triangle mirrors the upper one; the main diagonal is one line if it counts
    for L in range(n + 1):
        hd[L] *= 2
    if theiler == 0 and c == 1:
        hd[n] += 1


@njit
def _embed(x, m, tau):
    n = x.shape[0] - (m - 1) * tau
    E = np.empty((m, n), np.float64)
    for l in range(m):
        for i in range(n):
            E[l, i] = x[i + l * tau]
    return E


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
    E = _embed(x, m, tau)
    n = E.shape[1]
    bounds = np.empty(2, np.int64)
    bounds[0] = 0
    bounds[1] = n
    ds = np.zeros((1, n), np.int64)
    dpre = np.zeros((1, n), np.int64)
    dsuf = np.zeros((1, n), np.int64)
    dhad = np.zeros((1, n), np.int8)
    dopen = np.zeros((1, n), np.int8)
    rs = np.zeros((1, n), np.int64)
    rpre = np.zeros((1, n), np.int64)
    rsuf = np.zeros((1, n), np.int64)
    rsufcol = np.zeros((1, n), np.int64)
    ropen = np.zeros((1, n), np.int8)
    nwords = (n >> 6) + 2
    fbuf = np.zeros(nwords << 6, np.uint8)
    n_black = _sweep_block(E, n, m, metric, thr, c, theiler, 0, n, ds[0], dpre[0], dsuf[0],
                           dhad[0], dopen[0], rs[0], rpre[0], rsuf[0], rsufcol[0], ropen[0],
                           hd, hvw, np.empty(n), fbuf, fbuf.view(np.uint64),
                           np.zeros(nwords, np.uint64), np.zeros(nwords, np.uint64))
    _merge_blocks(n, c, theiler, bounds, ds, dpre, dsuf, dhad, dopen, rpre, rsuf, rsufcol,
                  ropen, hd, hvw)
    return 2 * n_black + c * n


@njit(parallel=True)
def _sweep_blocks(E, n, m, metric, thr, c, theiler, bounds, ds, dpre, dsuf, dhad, dopen, rs,
                  rpre, rsuf, rsufcol, ropen, hd_b, hvw_b, black):
    """The blocks of :func:`rqa_hist_parallel`, one per ``prange`` iteration (kept minimal:
    the parallel compiler's cost grows with what it sees)."""
    nwords = (n >> 6) + 2
    for t in numba.prange(bounds.shape[0] - 1):
        fbuf = np.zeros(nwords << 6, np.uint8)
        black[t] = _sweep_block(E, n, m, metric, thr, c, theiler, bounds[t], bounds[t + 1],
                                ds[t], dpre[t], dsuf[t], dhad[t], dopen[t], rs[t], rpre[t],
                                rsuf[t], rsufcol[t], ropen[t], hd_b[t], hvw_b[t],
                                np.empty(n), fbuf, fbuf.view(np.uint64),
                                np.zeros(nwords, np.uint64), np.zeros(nwords, np.uint64))


@njit
def rqa_hist_parallel(x, m, tau, metric, thr, c, theiler, bounds, hd, hvw):
    """:func:`rqa_hist_serial` over the column blocks ``bounds`` (increasing, 0 .. n) in parallel.

    Each block has its own state and histograms (O(N) memory per block); a serial merge joins
    the runs cut at block edges.
    """
    E = _embed(x, m, tau)
    n = E.shape[1]
    nb = bounds.shape[0] - 1
    ds = np.zeros((nb, n), np.int64)
    dpre = np.zeros((nb, n), np.int64)
    dsuf = np.zeros((nb, n), np.int64)
    dhad = np.zeros((nb, n), np.int8)
    dopen = np.zeros((nb, n), np.int8)
    rs = np.zeros((nb, n), np.int64)
    rpre = np.zeros((nb, n), np.int64)
    rsuf = np.zeros((nb, n), np.int64)
    rsufcol = np.zeros((nb, n), np.int64)
    ropen = np.zeros((nb, n), np.int8)
    hd_b = np.zeros((nb, n + 1), np.int64)
    hvw_b = np.zeros((nb, 2, n + 1), np.int64)
    black = np.zeros(nb, np.int64)
    _sweep_blocks(E, n, m, metric, thr, c, theiler, bounds, ds, dpre, dsuf, dhad, dopen, rs,
                  rpre, rsuf, rsufcol, ropen, hd_b, hvw_b, black)
    for t in range(nb):
        for L in range(n + 1):
            hd[L] += hd_b[t, L]
            hvw[0, L] += hvw_b[t, 0, L]
            hvw[1, L] += hvw_b[t, 1, L]
    _merge_blocks(n, c, theiler, bounds, ds, dpre, dsuf, dhad, dopen, rpre, rsuf, rsufcol,
                  ropen, hd, hvw)
    return 2 * black.sum() + c * n


# --------------------------------------------------------------------------------------------
# dense bit matrix for short series (speech frames): the whole plot as bits, no run state per row

DENSE_MAX_N = 4096  # n * ceil(n / 64) words: 2 MiB at 4096 state vectors (see docs/rqa.md)


@intrinsic
def _euclid3_word(typingctx, e, j, base, thr):
    """``_chunk_bits`` for the euclidean metric and m = 3, written in LLVM IR on 64-lane
    vectors: ``(e[0, i] - e[0, j])^2 + (e[1, i] - ...)^2 + (e[2, i] - ...)^2 < thr`` for
    ``i = base .. base + 63``, the 64 comparisons bitcast straight into the word (LLVM turns
    that into mask moves instead of shifting and OR-ing each flag). The operations are the
    scalar ones, in the same order, without fast-math flags: results are bit-identical.
    ``e`` must be C-contiguous with at least ``base + 64`` columns.
    """
    sig = types.uint64(e, types.int64, types.int64, types.float64)

    def codegen(context, builder, signature, args):
        e_val, j_val, base_val, thr_val = args
        ary = context.make_array(signature.args[0])(context, builder, e_val)
        row = builder.extract_value(ary.strides, 0)
        row = builder.sdiv(row, llvmir.Constant(llvmir.IntType(64), 8))
        dbl = llvmir.DoubleType()
        vec_t = llvmir.VectorType(dbl, 64)
        i32 = llvmir.IntType(32)
        zeros = llvmir.Constant(llvmir.VectorType(i32, 64), [0] * 64)
        undef = llvmir.Constant(vec_t, llvmir.Undefined)

        def splat(value):
            one = builder.insert_element(undef, value, llvmir.Constant(i32, 0))
            return builder.shuffle_vector(one, undef, zeros)

        acc = None
        for l in range(3):
            off = builder.mul(llvmir.Constant(llvmir.IntType(64), l), row)
            a = builder.load(builder.gep(ary.data, [builder.add(off, j_val)]))
            ptr = builder.gep(ary.data, [builder.add(off, base_val)])
            v = builder.load(builder.bitcast(ptr, vec_t.as_pointer()), align=8)
            d = builder.fsub(v, splat(a))
            sq = builder.fmul(d, d)
            acc = sq if acc is None else builder.fadd(acc, sq)
        flags = builder.fcmp_ordered("<", acc, splat(thr_val))
        return builder.bitcast(flags, llvmir.IntType(64))

    return sig, codegen


@njit(inline="always")
def _chunk_bits(e, m, metric, thr, j, base, sb):
    """``R(base + b, j)`` for ``b = 0..63`` as the bits of one word.

    ``e`` is the embedding ``(m, 64 * words)`` padded with zeros past the last state vector
    (the caller masks the rows it does not want). A fixed trip count of 64 lets LLVM
    vectorise the distances and the compare-and-pack (an OR of shifted flags); the euclidean
    m = 3 case (the speech recipe) is written on 64-lane vectors (:func:`_euclid3_word`).
    Distances accumulate over the coordinates in order ``0..m-1``, as in :func:`_upper_bits`.
    ``e`` is indexed directly: a row view per call (reference counted) cost as much as the
    arithmetic.
    """
    word = np.uint64(0)
    if metric == METRIC_EUCLIDEAN and m == 3:
        return _euclid3_word(e, j, base, thr)
    if metric == METRIC_EUCLIDEAN and m == 2:
        a0 = e[0, j]
        a1 = e[1, j]
        for b in range(64):
            i = base + b
            d = e[0, i] - a0
            s = d * d
            d = e[1, i] - a1
            s += d * d
            word |= np.uint64(s < thr) << np.uint64(b)
    elif metric == METRIC_EUCLIDEAN and m == 1:
        a0 = e[0, j]
        for b in range(64):
            d = e[0, base + b] - a0
            word |= np.uint64(d * d < thr) << np.uint64(b)
    elif metric == METRIC_MAXIMUM and m == 3:
        a0 = e[0, j]
        a1 = e[1, j]
        a2 = e[2, j]
        for b in range(64):
            i = base + b
            s = max(max(abs(e[0, i] - a0), abs(e[1, i] - a1)), abs(e[2, i] - a2))
            word |= np.uint64(s < thr) << np.uint64(b)
    elif metric == METRIC_MANHATTAN and m == 3:
        a0 = e[0, j]
        a1 = e[1, j]
        a2 = e[2, j]
        for b in range(64):
            i = base + b
            s = abs(e[0, i] - a0) + abs(e[1, i] - a1) + abs(e[2, i] - a2)
            word |= np.uint64(s < thr) << np.uint64(b)
    else:
        a0 = e[0, j]
        if metric == METRIC_EUCLIDEAN:
            for b in range(64):
                d = e[0, base + b] - a0
                sb[b] = d * d
            for l in range(1, m):
                al = e[l, j]
                for b in range(64):
                    d = e[l, base + b] - al
                    sb[b] += d * d
        elif metric == METRIC_MAXIMUM:
            for b in range(64):
                sb[b] = abs(e[0, base + b] - a0)
            for l in range(1, m):
                al = e[l, j]
                for b in range(64):
                    sb[b] = max(sb[b], abs(e[l, base + b] - al))
        else:
            for b in range(64):
                sb[b] = abs(e[0, base + b] - a0)
            for l in range(1, m):
                al = e[l, j]
                for b in range(64):
                    sb[b] += abs(e[l, base + b] - al)
        for b in range(64):
            word |= np.uint64(sb[b] < thr) << np.uint64(b)
    return word


@njit(inline="always")
def _swap_round(a, width, mask):
    """One round of :func:`_transpose64`: in every pair of rows ``k``, ``k + width`` (``k`` with
    bit ``width`` clear), swap the high ``width`` bits of each ``width``-bit group of ``a[k]``
    with the low ones of ``a[k + width]``. A fixed trip count of 32, unrolled."""
    sh = np.uint64(width)
    for r in range(32):
        k = ((r & ~(width - 1)) << 1) | (r & (width - 1))
        t = ((a[k] >> sh) ^ a[k + width]) & mask
        a[k] ^= t << sh
        a[k + width] ^= t


@njit(inline="always")
def _transpose64(a):
    """Transpose the 64 x 64 bit block ``a`` in place (``a[s]`` bit ``t`` <-> ``a[t]`` bit ``s``)
    by swapping ever smaller off-diagonal sub-blocks (6 rounds of 32 word swaps)."""
    _swap_round(a, 32, np.uint64(0x00000000FFFFFFFF))
    _swap_round(a, 16, np.uint64(0x0000FFFF0000FFFF))
    _swap_round(a, 8, np.uint64(0x00FF00FF00FF00FF))
    _swap_round(a, 4, np.uint64(0x0F0F0F0F0F0F0F0F))
    _swap_round(a, 2, np.uint64(0x3333333333333333))
    _swap_round(a, 1, np.uint64(0x5555555555555555))


@njit
def _chunk_boxes(e, n, m, nw, lo, hi):
    """Per 64-row chunk and coordinate, the smallest and largest embedded value (real rows)."""
    for w in range(nw):
        top = min(n, (w + 1) << 6)
        for l in range(m):
            a = e[l, w << 6]
            b = a
            for i in range((w << 6) + 1, top):
                v = e[l, i]
                a = min(a, v)
                b = max(b, v)
            lo[l, w] = a
            hi[l, w] = b


@njit
def _block_colours(m, metric, thr, nw, lo, hi, dec):
    """``dec[wi, wj]`` (``wi <= wj``): 1 if every cell with its row in chunk ``wi`` and its
    column in chunk ``wj`` is black, 0 if every one is white, -1 if undecided.

    Exact, not approximate: rounding is monotone (``fl(u - v)`` grows with ``u`` and falls
    with ``v``; squares of magnitudes and sums grow with their operands), so every cell's
    computed distance lies between the same arithmetic applied to the nearest and the
    farthest corners of the two chunks' boxes. Decided blocks cost no distance at all (on the
    recipe's nearly all-recurrent speech frames, most of them).
    """
    for wj in range(nw):
        for wi in range(wj + 1):
            up = 0.0
            down = 0.0
            for l in range(m):
                d1 = lo[l, wi] - hi[l, wj]  # smallest difference row - column
                d2 = hi[l, wi] - lo[l, wj]  # largest
                far = max(abs(d1), abs(d2))
                near = 0.0 if (d1 <= 0.0 and d2 >= 0.0) else min(abs(d1), abs(d2))
                if metric == METRIC_EUCLIDEAN:
                    if l == 0:
                        up = far * far
                        down = near * near
                    else:
                        up += far * far
                        down += near * near
                elif metric == METRIC_MAXIMUM:
                    up = max(up, far)
                    down = max(down, near)
                else:
                    if l == 0:
                        up = far
                        down = near
                    else:
                        up += far
                        down += near
            dec[wi, wj] = 1 if up < thr else (0 if not down < thr else -1)


@njit
def _dense_hist(e, n, m, metric, thr, c, theiler, B, ds, lo, hi, dec, blk, sb, hd, hvw):
    """Histograms of the plot of the embedding ``e`` (padded, see :func:`_chunk_bits`) through
    the whole plot held as bits; return the number of black cells.

    ``B[j, w]``: bits ``64 w .. 64 w + 63`` of column ``j`` (``n x ceil(n / 64)`` words).
    1. Upper triangle, column by column (each distance computed once, and not at all for a
       64 x 64 block that bounding boxes decide whole, :func:`_block_colours`); diagonal lines
       are followed on the fly by comparing column ``j`` with column ``j - 1`` shifted by one
       row (a diagonal's run starts or ends where the colour changes; ``ds[k]`` holds the row
       where diagonal k's black run began).
    2. The lower triangle is the transpose of the upper one: 64 x 64 bit blocks.
    3. Vertical black and white lines are the runs of each full column, from its colour
       changes (runs alternate colours).
    ``hd``, ``hvw``: zeroed outputs as in :func:`rqa_hist_serial`. The per-line indices are
    cast to unsigned (they are never negative): Numba then skips its negative-index fix-up,
    a few instructions on each of the thousands of lines of a structured plot.
    """
    nw = B.shape[1]
    k0 = theiler if theiler > 1 else 1
    _chunk_boxes(e, n, m, nw, lo, hi)
    _block_colours(m, metric, thr, nw, lo, hi, dec)
    n_black = 0
    for j in range(n):
        top = j >> 6  # word holding row j: rows < j are the upper part
        for w in range(top + 1):
            if w == top and not j & 63:
                word = np.uint64(0)
            else:
                colour = dec[w, top]
                if colour == 1:
                    word = ~np.uint64(0)
                elif colour == 0:
                    word = np.uint64(0)
                else:
                    word = _chunk_bits(e, m, metric, thr, j, w << 6, sb)
                if w == top:
                    word &= (_ONE << np.uint64(j & 63)) - _ONE
                n_black += _popcount(word)
            B[j, w] = word
        for w in range(top + 1, nw):
            B[j, w] = np.uint64(0)
        lim = j - k0  # diagonals k = j - i >= k0: rows i <= lim
        if lim >= 0:
            carry = np.uint64(0)
            last = lim >> 6
            for w in range(last + 1):
                pw = B[j - 1, w]
                cw = B[j, w]
                t = cw ^ ((pw << _ONE) | carry)
                carry = pw >> np.uint64(63)
                if w == last:
                    t &= (np.uint64(2) << np.uint64(lim & 63)) - _ONE
                base = w << 6
                ts = t & cw  # a black run starts at (i, j)
                while ts:
                    i = base + _cttz(ts)
                    ds[np.uint64(j - i)] = i
                    ts &= ts - _ONE
                te = t & ~cw  # a black run ended at (i - 1, j - 1)
                while te:
                    i = base + _cttz(te)
                    hd[np.uint64(i - ds[np.uint64(j - i)])] += 1
                    te &= te - _ONE
    # diagonal k ends at (n - 1 - k, n - 1)
    for k in range(k0, n):
        i = n - 1 - k
        if (B[n - 1, i >> 6] >> np.uint64(i & 63)) & _ONE:
            hd[i + 1 - ds[k]] += 1
    for L in range(n + 1):
        hd[L] *= 2
    if theiler == 0 and c == 1:
        hd[n] += 1
    # lower triangle: block (rows bi, columns bj) of the upper part, transposed, is block
    # (rows bj, columns bi) of the lower part
    for bj in range(nw):
        for bi in range(bj + 1):
            for t in range(64):
                col = (bj << 6) + t
                blk[t] = B[col, bi] if col < n else np.uint64(0)
            _transpose64(blk)
            for t in range(64):
                col = (bi << 6) + t
                if col < n:
                    B[col, bj] |= blk[t]
    if c:
        for j in range(n):
            B[j, j >> 6] |= _ONE << np.uint64(j & 63)
    # vertical lines: runs of each full column (bits past n are 0 and masked)
    tail = n & 63
    for j in range(n):
        carry = np.uint64(0)
        s = 0
        col = np.int64(B[j, 0] & _ONE)
        for w in range(nw):
            word = B[j, w]
            t = word ^ ((word << _ONE) | carry)
            carry = word >> np.uint64(63)
            if w == 0:
                t &= ~_ONE
            if w == nw - 1 and tail:
                t &= (_ONE << np.uint64(tail)) - _ONE
            base = w << 6
            while t:
                p = base + _cttz(t)
                hvw[np.uint64(col), np.uint64(p - s)] += 1
                col ^= 1
                s = p
                t &= t - _ONE
        hvw[col, n - s] += 1
    return 2 * n_black + c * n


@njit
def _dense_buffers(n, m):
    """Work arrays of :func:`_dense_hist` for ``n`` state vectors (reused across frames)."""
    nw = (n + 63) >> 6
    e = np.zeros((m, nw << 6), np.float64)
    B = np.empty((n, nw), np.uint64)
    lo = np.empty((m, nw), np.float64)
    hi = np.empty((m, nw), np.float64)
    return (e, B, np.zeros(n, np.int64), lo, hi, np.empty((nw, nw), np.int64),
            np.empty(64, np.uint64), np.empty(64, np.float64))


@njit
def _embed_into(x, m, tau, n, e):
    for l in range(m):
        for i in range(n):
            e[l, i] = x[i + l * tau]


@njit
def rqa_hist_dense(x, m, tau, metric, thr, c, theiler, hd, hvw):
    """:func:`rqa_hist_serial` through the plot held as bits (``n * ceil(n / 64)`` words).

    Same arguments and results; meant for ``n <= DENSE_MAX_N`` (memory ``n^2 / 8`` bytes).
    """
    n = x.shape[0] - (m - 1) * tau
    e, B, ds, lo, hi, dec, blk, sb = _dense_buffers(n, m)
    _embed_into(x, m, tau, n, e)
    return _dense_hist(e, n, m, metric, thr, c, theiler, B, ds, lo, hi, dec, blk, sb, hd, hvw)


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


_NO_VALUE = np.iinfo(np.int64).max  # above every bit pattern of a non-negative double


@njit
def _count_column_le(E, j, m, metric, vb, buf):
    """Pairs ``(i, j)``, ``i < j``, whose compared value is <= v (``vb``: v's bit pattern),
    with the bit patterns of the largest such value and of the smallest value above v (-1
    and ``_NO_VALUE`` where there is none); ``buf``: at least ``j`` floats.

    Those two let the bisection jump to values that occur (on quantised data, many ties, it
    ran to adjacent doubles: about 60 passes). Compared as bit patterns, whose order is that
    of non-negative doubles: integer maxima vectorise, those of doubles do not (NaN rules).
    """
    _column_values(E, m, metric, j, buf)
    bits = buf.view(np.int64)
    cnt = 0
    below = -1
    above = _NO_VALUE
    for i in range(j):
        b = bits[i]
        le = b <= vb
        cnt += le
        below = max(below, b if le else -1)
        above = min(above, _NO_VALUE if le else b)
    return cnt, below, above


@njit
def _count_le(E, n, m, metric, v):
    """:func:`_count_column_le` over the upper triangle."""
    buf = np.empty(n)
    vb = _as_bits(v)
    cnt = 0
    below = -1
    above = _NO_VALUE
    for j in range(1, n):
        c, lo, hi = _count_column_le(E, j, m, metric, vb, buf)
        cnt += c
        below = max(below, lo)
        above = min(above, hi)
    return cnt, below, above


@njit(parallel=True)
def _count_le_parallel(E, n, m, metric, v):
    """:func:`_count_le` on Numba threads: each column's results into arrays, reduced after
    the loop (no reduction of a counter inside it)."""
    # the column's count in a function of its own: with its loop written inline, Numba's
    # parfor pass failed on the bytecode of Python 3.12 and 3.13 ("AssertionError: unexpected
    # cycle in lookup()", get_parfor_reductions on the inner counter; Numba 0.68.1; numba#10132,
    # open, whose workaround this is)
    vb = _as_bits(v)
    cnt = np.zeros(n, np.int64)
    below = np.full(n, -1, np.int64)
    above = np.full(n, _NO_VALUE, np.int64)
    for j in numba.prange(1, n):
        cnt[j], below[j], above[j] = _count_column_le(E, j, m, metric, vb, np.empty(j))
    return cnt.sum(), below.max(), above.min()


@njit
def _max_value(E, n, m, metric):
    buf = np.empty(n)
    hi = 0.0
    for j in range(1, n):
        _column_values(E, m, metric, j, buf)
        for i in range(j):
            hi = max(hi, buf[i])
    return hi


@njit
def _as_bits(v):
    return np.array([v], np.float64).view(np.int64)[0]


@njit
def _as_float(b):
    return np.array([b], np.int64).view(np.float64)[0]


# The bisection's state, one int64 array stepped alike by the serial and the parallel search:
# the rank sought plus one, the bracket's ends (bit patterns: the answer lies in (lo, hi]), the
# pairs at or below each end, and the next value to count at (its bit pattern)
_NEED, _LO, _HI, _C_LO, _C_HI, _MID = range(6)


@njit
def _search_start(q):
    """The state before the first counting pass, which counts the pairs at distance 0."""
    st = np.zeros(6, np.int64)
    st[_NEED] = q + 1  # smallest v with n + 2 * count_le(v) >= need
    st[_LO] = _as_bits(0.0)
    st[_HI] = -1  # unknown until the pass at 0 is in
    st[_MID] = _as_bits(0.0)
    return st


@njit
def _search_step(E, m, metric, st, counted):
    """Take in a counting pass at ``st[_MID]`` (``_count_le``'s three results); whether
    another pass is needed (at the new ``st[_MID]``)."""
    n = E.shape[1]
    c_mid, below, above = counted
    if st[_HI] < 0:  # the pass at 0: the zeros may be enough, else bracket all values
        st[_C_LO] = c_mid
        if st[_NEED] <= n + 2 * c_mid:
            st[_HI] = st[_LO]  # the answer is 0
            return False
        st[_HI] = _as_bits(_max_value(E, n, m, metric))
        st[_C_HI] = n * (n - 1) // 2
    elif n + 2 * c_mid >= st[_NEED]:
        # the bracket's ends may jump to the values next to mid that occur: the counts at
        # them are c_mid too (nothing lies between)
        st[_HI] = below if below >= 0 else st[_MID]
        st[_C_HI] = c_mid
    else:
        st[_LO] = above - 1 if above < _NO_VALUE else st[_MID]
        st[_C_LO] = c_mid
    # once at most 4 n + 64 values lie in the bracket one pass gathers and sorts them
    if st[_HI] - st[_LO] > 1 and st[_C_HI] - st[_C_LO] > 4 * n + 64:
        st[_MID] = st[_LO] + (st[_HI] - st[_LO]) // 2
        return True
    return False


@njit
def _settle(E, m, metric, st):
    """The answer in the bracket the bisection left: its upper end if nothing else lies in
    it, else its values gathered in one pass and sorted."""
    n = E.shape[1]
    lo, hi, c_lo, c_hi = st[_LO], st[_HI], st[_C_LO], st[_C_HI]
    if hi - lo <= 1:
        return _as_float(hi)
    lo_v = _as_float(lo)
    hi_v = _as_float(hi)
    vals = np.empty(c_hi - c_lo, np.float64)
    buf = np.empty(n)
    p = 0
    for j in range(1, n):
        _column_values(E, m, metric, j, buf)
        for i in range(j):
            s = buf[i]
            if s > lo_v and s <= hi_v:
                vals[p] = s
                p += 1
    vals = np.sort(vals[:p])
    for idx in range(p):
        if n + 2 * (c_lo + idx + 1) >= st[_NEED]:
            return vals[idx]
    return hi_v


# The serial and the parallel search are two functions, each calling its own counting kernel
# by name: one function taking a ``parallel`` flag compiled both kernels on its first call
# (Numba types both branches of a runtime flag; numba.literally does not prune the other), a
# serial first call paying for the parallel compiler too. The loop stays compiled: driven from
# Python it cost 30 % more CPU on 20 ms frames.


@njit
def quantile_value_serial(x, m, tau, metric, q):
    """The ``q``-th smallest (0-based) of the ``n * n`` compared values of the full matrix.

    The full matrix holds ``n`` zeros on its diagonal and every upper-triangle value twice
    (pyunicorn's ``threshold_from_recurrence_rate`` sorts exactly these ``n * n`` values).
    Found without storing them: bisection on the bit patterns of non-negative doubles (their
    order is the integers' order) with counting passes (:func:`_count_le`), then, once at most
    ``4 n + 64`` values lie in the bracket, one pass gathers and sorts them.
    """
    E = _embed(x, m, tau)
    st = _search_start(q)
    while _search_step(E, m, metric, st,
                       _count_le(E, E.shape[1], m, metric, _as_float(st[_MID]))):
        pass
    return _settle(E, m, metric, st)


@njit
def quantile_value_parallel(x, m, tau, metric, q):
    """:func:`quantile_value_serial` with its counting passes on Numba threads
    (:func:`_count_le_parallel`); same result."""
    E = _embed(x, m, tau)
    st = _search_start(q)
    while _search_step(E, m, metric, st,
                       _count_le_parallel(E, E.shape[1], m, metric, _as_float(st[_MID]))):
        pass
    return _settle(E, m, metric, st)


def quantile_value(x: np.ndarray, m: int, tau: int, metric: int, q: int,
                   parallel: bool = False) -> float:
    """:func:`quantile_value_serial` or, with ``parallel``, :func:`quantile_value_parallel`
    (chosen here, in Python, so that a call compiles only the kernels of its own kind)."""
    if parallel:
        return quantile_value_parallel(x, m, tau, metric, q)
    return quantile_value_serial(x, m, tau, metric, q)


# --------------------------------------------------------------------------------------------
# measures from histograms


_MEMO = 64


@njit
def _entropy(h, lo, n, eps, log_base):
    tot = 0
    for L in range(lo, n + 1):
        tot += h[L]
    den = float(tot) + eps
    if den == 0.0:
        return 0.0
    e = 0.0
    # the terms of small counts are computed once: most bins of a long tail hold 1, 2, 3 ...
    # lines, and the logarithm is most of the cost (same terms, same order: same sum)
    memo = np.ones(_MEMO)  # 1.0 marks "not computed": a term p log p is never positive
    for L in range(lo, n + 1):
        c = h[L]
        if c > 0:
            if c < _MEMO:
                term = memo[c]
                if term == 1.0:
                    p = c / den
                    term = p * math.log(p)
                    memo[c] = term
            else:
                p = c / den
                term = p * math.log(p)
            e -= term
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
def _longest(h, n):
    """Largest ``L`` with ``h[L] > 0`` (0 if none): the loops below stop there (a structured
    frame's lines are short, so most of a histogram of length ``N + 1`` is zeros)."""
    for L in range(n, 0, -1):
        if h[L] > 0:
            return L
    return 0


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
    lmax = _longest(hd, n)
    for L in range(1, lmax + 1):
        d_all += L * hd[L]
        if L >= l_min:
            d_min += L * hd[L]
            n_dmin += hd[L]
    out[1] = _ratio(d_min, d_all, eps)
    out[2] = _ratio(d_min, n_dmin, eps)
    out[3] = lmax
    out[4] = 1.0 / lmax if lmax > 0 else 0.0
    out[5] = _entropy(hd, max(l_min, 1), lmax, eps, log_base)
    v_all = 0
    v_min_pts = 0
    n_vmin = 0
    vmax = _longest(hv, n)
    for L in range(1, vmax + 1):
        v_all += L * hv[L]
        if L >= v_min:
            v_min_pts += L * hv[L]
            n_vmin += hv[L]
    out[6] = _ratio(v_min_pts, v_all, eps)
    out[7] = _ratio(v_min_pts, n_vmin, eps)
    out[8] = vmax
    out[9] = _entropy(hv, max(v_min, 1), vmax, eps, log_base)
    w_pts = 0
    n_w = 0
    wmax = _longest(hw, n)
    for L in range(max(w_min, 1), wmax + 1):
        w_pts += L * hw[L]
        n_w += hw[L]
    out[10] = wmax
    out[11] = _ratio(w_pts, n_w, eps)
    out[12] = _entropy(hw, max(w_min, 1), wmax, eps, log_base)
    out[13] = out[1] / out[0] if out[0] > 0.0 else 0.0
    out[14] = out[6] / out[1] if out[1] > 0.0 else 0.0


@njit
def rqa_frames(x, starts, frame, m, tau, metric, radii, c_main, main_diagonal, theiler, l_min,
               v_min, w_min, eps, log_base, out):
    """Measures of the frames ``x[s:s + frame]`` (``s`` in ``starts``) into ``out`` (n, 15).

    ``radii[f]`` is frame f's recurrence radius in distance units. No frame is copied; the
    buffers are allocated once for all frames. Frames of at most ``DENSE_MAX_N`` state vectors
    go through the bit matrix (:func:`_dense_hist`), longer ones through the O(N) sweep.
    """
    n = frame - (m - 1) * tau
    hd = np.zeros(n + 1, np.int64)
    hvw = np.zeros((2, n + 1), np.int64)
    dense = n <= DENSE_MAX_N
    e, B, ds, lo, hi, dec, blk, sb = _dense_buffers(n if dense else 1, m)
    for f in range(starts.shape[0]):
        hd[:] = 0
        hvw[:] = 0
        thr = sq_threshold(radii[f]) if metric == METRIC_EUCLIDEAN else radii[f]
        c = 1 if (c_main and thr > 0.0) else 0
        s = starts[f]
        if dense:
            _embed_into(x[s:s + frame], m, tau, n, e)
            n_rec = _dense_hist(e, n, m, metric, thr, c, theiler, B, ds, lo, hi, dec, blk, sb,
                                hd, hvw)
        else:
            n_rec = rqa_hist_serial(x[s:s + frame], m, tau, metric, thr, c, theiler, hd, hvw)
        measures_from_hist(hd, hvw, n_rec, n, main_diagonal, l_min, v_min, w_min, eps,
                           log_base, out[f])
