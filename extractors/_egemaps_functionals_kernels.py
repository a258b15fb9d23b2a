"""Numba kernel of the 88 eGeMAPSv02 functionals: every statistic of every LLD in one call.

The statistics are the ones :func:`emofeat.extractors.egemaps.functionals_of` documents
(measured openSMILE conventions). They used to be computed with about a hundred NumPy calls
per file (12 % of the functionals' time, almost all of it call overhead); here they are one
compiled pass. The arithmetic is NumPy's, operation for operation, so the values are the same
to the bit: sums are NumPy's pairwise summation (:func:`_psum`, the algorithm of its
``add.reduce`` on float64: 8 partial sums in blocks of up to 128, halves above; before NumPy
2.3, of each 8192 values, added in order: :func:`numpy_sum_block`), means
``sum / n``, standard deviations ``sqrt(sum((x - mean) ** 2) / n)`` as ``numpy.std``, and
percentiles ``numpy.percentile``'s linear interpolation (``_lerp``: from below for a
fraction under 0.5, from above otherwise). Transcendental functions (the F0 semitone scale,
the level in dB) stay in NumPy in the caller: NumPy may evaluate them with other (SIMD)
implementations than Numba's libm calls.

The helpers are inlined into the kernel by Numba (``inline="always"``): compiled as
separate functions, each nesting level re-typed and re-optimised its callees (measured: the
kernel's cold compile 13.0 -> 9.8 s CPU). Serial kernels only: files are parallel one level
up.
"""

from __future__ import annotations

import numpy as np

from emofeat._numba import njit

N_FUNCTIONALS = 88
# voiced and unvoiced runs shorter than this (after 1-frame unvoiced gaps are filled) are no
# segment (measured on openSMILE's own voicing: see egemaps_functionals)
SEGMENT_MIN_FRAMES = 3
# spectral columns with sma3 statistics (loudness, flux, MFCC 1-4) and the voice columns in
# functional order (jitter, shimmer, HNR, H1-H2, H1-A3)
_SMA_COLUMNS = (0, 5, 6, 7, 8, 9)
_VOICE_COLUMNS = (3, 4, 0, 1, 2)
# openSMILE's voiced-only functionals (F0, jitter, shimmer, HNR, H1-H2, H1-A3, and the
# voiced statistics of the 20 ms descriptors: formant frequencies and bandwidths, the
# ``...V_sma3nz`` spectral ones) see a prefix of the LLD rows, as smoothed with the rest: the
# caller's ``n_60`` (``egemaps.descriptors``' ``n_seen``: up to the frame after the last one
# on which the pitch smoother's paths into every state agree once every full 60 ms frame is
# in, never the last two: exact on every file voiced to its last row whose F0
# is openSMILE's; the rule before, all rows but the last three, was exact on 133 of those
# 171).
# Files ending unvoiced are not affected. The voice quality and formant columns (jitter,
# shimmer, HNR, H1-H2, H1-A3, formant frequencies, bandwidths and levels) are smoothed as if
# the rows ended there instead, the last row seen its own right neighbour (measured:
# openSMILE's on 187-210 of 210 whole files for jitter, shimmer and H1-H2 where smoothing
# with the rows after gave 157-172); F0 and the voiced 20 ms columns are not (worse so).


@njit(inline="always")
def _psum_block(x, lo, n):
    """NumPy's pairwise sum of ``x[lo:lo + n]`` for ``n <= 128`` (one block: 8 partial
    sums, then the rest one by one; below 8 values, one by one)."""
    if n < 8:
        res = 0.0
        for i in range(lo, lo + n):
            res += x[i]
        return res
    r0 = x[lo]
    r1 = x[lo + 1]
    r2 = x[lo + 2]
    r3 = x[lo + 3]
    r4 = x[lo + 4]
    r5 = x[lo + 5]
    r6 = x[lo + 6]
    r7 = x[lo + 7]
    m = n - n % 8
    i = 8
    while i < m:
        j = lo + i
        r0 += x[j]
        r1 += x[j + 1]
        r2 += x[j + 2]
        r3 += x[j + 3]
        r4 += x[j + 4]
        r5 += x[j + 5]
        r6 += x[j + 6]
        r7 += x[j + 7]
        i += 8
    res = ((r0 + r1) + (r2 + r3)) + ((r4 + r5) + (r6 + r7))
    while i < n:
        res += x[lo + i]
        i += 1
    return res


@njit
def _pairwise_sum(x, lo, n):
    """NumPy's pairwise sum of ``x[lo:lo + n]`` (float64), to the bit
    (blocks of up to 128 values; above, the sum of the two halves, the first a multiple of
    8 long). The recursion is unrolled on an explicit stack: a self-recursive kernel
    crashes when Numba loads it from its disk cache (measured here)."""
    if n <= 128:
        return _psum_block(x, lo, n)
    los = np.empty(64, dtype=np.int64)
    ns = np.empty(64, dtype=np.int64)
    stage = np.empty(64, dtype=np.int64)
    left = np.empty(64, dtype=np.float64)
    los[0] = lo
    ns[0] = n
    stage[0] = 0
    top = 1
    ret = 0.0
    while top > 0:
        i = top - 1
        nn = ns[i]
        if nn <= 128:
            ret = _psum_block(x, los[i], nn)
            top -= 1
            continue
        n2 = nn // 2
        n2 -= n2 % 8
        if stage[i] == 0:  # first half
            stage[i] = 1
            los[top] = los[i]
            ns[top] = n2
            stage[top] = 0
            top += 1
        elif stage[i] == 1:  # second half
            left[i] = ret
            stage[i] = 2
            los[top] = los[i] + n2
            ns[top] = nn - n2
            stage[top] = 0
            top += 1
        else:
            ret = left[i] + ret
            top -= 1
    return ret


@njit
def _psum(x, lo, n, block):
    """``numpy.sum(x[lo:lo + n])`` of float64 values, to the bit, for ``lo`` 0 (a whole
    array): the pairwise sums of its ``block``-value blocks added in order where that NumPy
    sums so (:func:`numpy_sum_block`), the pairwise sum of them all where ``block`` is 0."""
    if block <= 0 or n <= block:
        return _pairwise_sum(x, lo, n)
    res = 0.0
    for start in range(lo, lo + n, block):
        res += _pairwise_sum(x, start, min(block, lo + n - start))
    return res


def numpy_sum_block() -> int:
    """How the installed NumPy sums a long float64 array: ``numpy.getbufsize()`` (8192) where
    it adds the pairwise sums of blocks of that many values in order, 0 where it sums the
    whole array pairwise. Before NumPy 2.3 a reduction ran through its iterator's buffer of
    ``getbufsize()`` values (2.0, the floor, measured); 2.3 (numpy#27883) gives the inner loop
    the whole array. Asked of NumPy itself, on arrays for which the two sums differ (a probe
    where they coincide, as one did at a buffer of 16384 values, decides nothing: another is
    drawn): the kernel takes the answer as an argument, since Numba's disk cache would keep
    a global's value across a NumPy upgrade."""
    size = int(np.getbufsize())
    got = _SUM_BLOCK.get(size)
    if got is None:
        got = _SUM_BLOCK[size] = _probe_sum_block(size)
    return got


def _probe_sum_block(size: int) -> int:
    for seed in range(16):
        rng = np.random.default_rng(seed)
        x = rng.standard_normal(3 * size + 5) * 10.0 ** rng.uniform(-3, 3, 3 * size + 5)
        blocks = 0.0
        for start in range(0, x.size, size):
            blocks += float(np.sum(x[start:start + size]))
        pairwise = _numpy_pairwise(x, size)
        if blocks != pairwise:
            whole = float(np.sum(x))
            if whole == blocks:
                return size
            if whole == pairwise:
                return 0
            break
    # no probe told them apart, or NumPy summed otherwise: by its version (numpy#27883)
    major, minor = (int(v) for v in np.__version__.split(".")[:2])
    return 0 if (major, minor) >= (2, 3) else size


def _numpy_pairwise(x: np.ndarray, size: int) -> float:
    """NumPy's pairwise sum of all of ``x``: its halving (the first half a multiple of 8
    long) down to pieces of at most ``size`` values, which ``numpy.sum`` adds pairwise
    whatever the version (one buffer each)."""
    if x.size <= size:
        return float(np.sum(x))
    half = x.size // 2
    half -= half % 8
    return _numpy_pairwise(x[:half], size) + _numpy_pairwise(x[half:], size)


_SUM_BLOCK: dict[int, int] = {}


@njit(inline="always")
def _mean_std(x, n, tmp, block):
    """``numpy.mean`` and ``numpy.std`` of ``x[:n]`` (``tmp``: scratch of ``n`` values)."""
    m = _psum(x, 0, n, block) / n
    for i in range(n):
        d = x[i] - m
        tmp[i] = d * d
    return m, np.sqrt(_psum(tmp, 0, n, block) / n)


@njit(inline="always")
def _mean_cov(x, n, tmp, out, k, block):
    """``out[k], out[k + 1]`` = mean and population std / mean (0 for a zero mean; NaN
    without values)."""
    if n == 0:
        out[k] = np.nan
        out[k + 1] = np.nan
        return
    m, s = _mean_std(x, n, tmp, block)
    out[k] = m
    out[k + 1] = s / m if m != 0.0 else 0.0


@njit(inline="always")
def _percentile(s, n, q):
    """``numpy.percentile`` (linear) of the sorted ``s[:n]`` at the fraction ``q``."""
    v = (n - 1) * q
    if v >= n - 1:
        return s[n - 1]
    p = int(np.floor(v))
    a = s[p]
    b = s[p + 1]
    g = v - p
    diff = b - a
    if g >= 0.5:
        return b - diff * (1.0 - g)
    return a + diff * g


@njit(inline="always")
def _threshold(x, n, hysteresis):
    """``hysteresis`` x the range of ``x[:n]`` (``n`` >= 1)."""
    mx = x[0]
    mn = x[0]
    for i in range(1, n):
        mx = max(mx, x[i])
        mn = min(mn, x[i])
    return hysteresis * (mx - mn)


@njit(inline="always")
def _replaces_max(v, a, raw_min, thr, margin):
    """Whether a local maximum ``v`` replaces the maximum turn ``a`` before it: higher and
    ``thr`` above the last local minimum ``raw_min``, or more than ``1 + margin`` times it."""
    return (v > a and v - raw_min >= thr) or v > (1.0 + margin) * a


@njit(inline="always")
def _turns(x, n, thr, margin, idx, kind):
    """Turning points of ``x[:n]`` into ``idx`` / ``kind`` (+1 maximum, -1 minimum); returns
    how many. The rule of openSMILE's peak list as its debug output shows it (docs/egemaps.md,
    "the slope rule from openSMILE's peak debug output"): strict local extrema
    (``x[t - 1] < x[t] > x[t + 1]`` or the reverse) at ``t`` = 2 .. n - 3, read once from
    left to right.

    * A maximum after a minimum (or as the first turn) is a turn when it stands ``thr`` away
      from the lower of the last local minimum and the reference minimum ``r_min``; a
      maximum after a maximum replaces it when higher and ``thr`` above the last local
      minimum, or more than ``1 + margin`` times its value.
    * A minimum after a maximum (or as the first turn) is a turn when ``thr`` away from the
      reference maximum ``r_max``; a minimum after a minimum replaces it when lower.
    * ``r_min`` / ``r_max`` start at ``x[0]``; ``r_max`` is the last turn's maximum
      (replacements included), ``r_min`` the last minimum appended, set to a replacing
      minimum that is not weak (below), however little lower, the first turn's replacement
      included (session 51; the threshold below ``r_min`` was asked too before); a weak
      minimum replacing the first turn sets it only when ``thr`` below it.
    * A minimum turn (not the first) less than ``thr`` below the local maximum before it
      (judged where it set ``r_min``) is weak: a maximum that would follow it but is less
      than ``thr`` above its own local minimum drops it instead, and then only replaces the
      maximum before (as above).
    * A weak minimum turn reached after a plateau (the contour has been at or below it since
      the last maximum turn without a strict local minimum: digital silence, a loudness floor)
      is pending: it moves neither reference, and the next local maximum decides it. That
      maximum is kept as a turn after it when more than ``1 + margin`` times the local
      maximum before the minimum, less than ``thr`` above the minimum and ``thr`` above the
      lower of the last local minimum and ``r_min`` before it; otherwise the minimum is
      dropped and the
      maximum only replaces the maximum before (as above). A pending minimum not decided by
      the end is dropped (measured 2026-12-07 on openSMILE's debug list: 4,000 random
      contours, a fifth with floors, and real loudness contours of speech at -78 to -45 dBFS;
      docs/egemaps.md, "2026-12-07: minima after a plateau").
    * The last local minimum a maximum is measured from, after a maximum turn, is the lowest
      local extremum since that turn: the turn's own value, lowered by each local maximum
      that does not replace it, and set by each strict local minimum, a pending one
      included. It differs from the last strict local minimum only where the contour went
      through a plateau (no strict local minimum since the turn, or since a maximum).
    * A replacing minimum sets ``r_min`` when it is ``thr`` below the local maximum before
      it (not weak). A weak replacement moves no reference and makes nothing weak, except
      that one replacing the first turn (a minimum, itself never weak) sets ``r_min`` when it
      lies ``thr`` below it.
      (Both measured 2026-12-07 on openSMILE's debug list: designed contours, random and
      real contours, quiet loudness at -78 to -45 dBFS, RAVDESS 03-01-05-01-02-01-09's F0;
      docs/egemaps.md, "2026-12-07 (session 50): the last local minimum, weak replacements".)
    * A first turn that is a minimum less than ``thr`` below ``x[0]`` is dropped at the end.
    """
    m = 0
    r_min = x[0]
    r_max = x[0]
    raw_min = x[0]
    raw_max = x[0]
    weak = False
    # a pending minimum (see above): the local maximum before it, and the lowest value since
    # the last maximum turn
    pending = False
    p_max = x[0]
    low = np.inf
    for t in range(2, n - 2):
        v = x[t]
        if x[t - 1] < v and v > x[t + 1]:
            # whether this maximum becomes (or replaces) a maximum turn
            turn = False
            if pending:
                pending = False
                weak = False
                if (v > (1.0 + margin) * p_max and v - x[idx[m - 1]] < thr
                        and v - min(raw_min, r_min) >= thr):
                    idx[m] = t
                    kind[m] = 1
                    m += 1
                    turn = True
                else:
                    m -= 1
                    if _replaces_max(v, x[idx[m - 1]], raw_min, thr, margin):
                        idx[m - 1] = t
                        turn = True
            elif m == 0 or kind[m - 1] == -1:
                if abs(v - min(raw_min, r_min)) >= thr:
                    if m > 0 and weak and abs(v - raw_min) < thr:
                        m -= 1
                        weak = False
                        if _replaces_max(v, x[idx[m - 1]], raw_min, thr, margin):
                            idx[m - 1] = t
                            turn = True
                    else:
                        idx[m] = t
                        kind[m] = 1
                        m += 1
                        turn = True
            elif _replaces_max(v, x[idx[m - 1]], raw_min, thr, margin):
                idx[m - 1] = t
                turn = True
            if turn:
                r_max = v
                low = np.inf
                raw_min = v
            elif m > 0 and kind[m - 1] == 1:
                raw_min = min(raw_min, v)
            raw_max = v
        elif x[t - 1] > v and v < x[t + 1]:
            if m == 0 or kind[m - 1] == 1:
                if abs(v - r_max) >= thr:
                    weak = m > 0 and abs(v - raw_max) < thr
                    idx[m] = t
                    kind[m] = -1
                    m += 1
                    if weak and low <= v:
                        pending = True
                        p_max = raw_max
                        low = min(low, v)
                        raw_min = v
                        continue
                    r_min = v
            elif v < x[idx[m - 1]]:
                idx[m - 1] = t
                # a weak replacement (less than thr below the local maximum before it) moves
                # no reference, one that is not weak sets r_min however little it lies below
                # it (session 51: RAVDESS 03-01-07-01-01-02-10's F0, openSMILE's debug list),
                # the first turn's replacement too; a first minimum is never weak itself
                # (dropping it left no turn to go back to: idx[-1] was read, garbage or a
                # crash, on a random walk), and a weak one replacing it sets r_min only when
                # thr below it
                if abs(v - raw_max) >= thr or (m == 1 and r_min - v >= thr):
                    r_min = v
                    weak = False
            raw_min = v
        low = min(low, v)
    if pending:
        m -= 1
    if m > 0 and kind[0] == -1 and x[0] - x[idx[0]] < thr:
        for i in range(m - 1):
            idx[i] = idx[i + 1]
            kind[i] = kind[i + 1]
        m -= 1
    return m


@njit(inline="always")
def _slope_stats(v, n_v, last_out, tmp, out, k, block):
    """Mean of ``v[:n_v]`` and the root of the squared deviations from it, summed over all
    but the last value when ``last_out``, divided by ``n_v`` (measured: openSMILE leaves the
    open segment at the contour's end out of the spread but not out of the mean or the
    count); 0, 0 without values."""
    if n_v == 0:
        out[k] = 0.0
        out[k + 1] = 0.0
        return
    mean = _psum(v, 0, n_v, block) / n_v
    n_d = n_v - 1 if last_out else n_v
    for i in range(n_d):
        d = v[i] - mean
        tmp[i] = d * d
    out[k] = mean
    out[k + 1] = np.sqrt(_psum(tmp, 0, n_d, block) / n_v) if n_d else 0.0


@njit(inline="always")
def _slopes(x, n, dt, hysteresis, margin, tmp, out, k, block):
    """Mean / std of the rising and falling slopes of ``x[:n]`` into ``out[k:k + 4]``
    (see ``egemaps.functionals_of``): segments between the turning points of
    :func:`_turns` (threshold ``hysteresis`` x range, replacement margin ``margin``), the
    first from the contour's start; a segment ending in a maximum is a rise, ``(x[b] -
    x[a]) / ((b - a) dt)``, one ending in a minimum a fall, ``(x[a] - x[b]) / ((b - a)
    dt)``; the open segment from the last turn to the end is a slope of the other kind,
    signed as a rise (``(x[end] - x[a]) / ...``) either way, and a contour without a turn
    has the one value ``(x[end] - x[0]) / n`` (per frame, not per second), a fall if
    negative. All measured on openSMILE's own contours. Returns the number of maxima among
    the turning points: openSMILE's peak count (``loudnessPeaksPerSec``: equal
    to its count on 98.6 % of 659 files, against 94.4 % for a separate peak rule,
    and no peak on a contour whose only maximum is a plateau, as openSMILE)."""
    if n < 2:
        for i in range(4):
            out[k + i] = np.nan
        return 0
    idx = np.empty(n + 1, dtype=np.int64)
    kind = np.empty(n + 1, dtype=np.int64)
    m = _turns(x, n, _threshold(x, n, hysteresis), margin, idx, kind)
    n_max = 0
    for i in range(m):
        if kind[i] == 1:
            n_max += 1
    rises = np.empty(m + 1, dtype=np.float64)
    falls = np.empty(m + 1, dtype=np.float64)
    n_r = 0
    n_f = 0
    a = 0
    for i in range(m):
        b = idx[i]
        if b > a:
            if kind[i] == 1:
                rises[n_r] = (x[b] - x[a]) / ((b - a) * dt)
                n_r += 1
            else:
                falls[n_f] = (x[a] - x[b]) / ((b - a) * dt)
                n_f += 1
        a = b
    # the open segment: after the last turn, or the whole contour without a turn
    s = 0.0
    open_rise = False
    open_fall = False
    if m == 0:
        s = (x[n - 1] - x[0]) / n
        open_rise = s >= 0.0
        open_fall = not open_rise
    elif a < n - 1:
        s = (x[n - 1] - x[a]) / ((n - 1 - a) * dt)
        open_rise = kind[m - 1] == -1
        open_fall = not open_rise
    if open_rise:
        rises[n_r] = s
        n_r += 1
    elif open_fall:
        falls[n_f] = s
        n_f += 1
    _slope_stats(rises, n_r, open_rise, tmp, out, k, block)
    _slope_stats(falls, n_f, open_fall, tmp, out, k + 2, block)
    return n_max


@njit(inline="always")
def _contour(x, n, dt, hysteresis, margin, tmp, out, k, block):
    """Mean, CoV, percentiles 20 / 50 / 80, range 20-80 and the four slope statistics of
    ``x[:n]`` into ``out[k:k + 10]``; returns the number of peaks (:func:`_slopes`)."""
    if n == 0:
        for i in range(10):
            out[k + i] = np.nan
        return 0
    _mean_cov(x, n, tmp, out, k, block)
    s = np.sort(x[:n])
    p20 = _percentile(s, n, 0.2)
    p80 = _percentile(s, n, 0.8)
    out[k + 2] = p20
    out[k + 3] = _percentile(s, n, 0.5)
    out[k + 4] = p80
    out[k + 5] = p80 - p20
    return _slopes(x, n, dt, hysteresis, margin, tmp, out, k + 6, block)


@njit(inline="always")
def sma3nz_nonzero(g, n, vals, n_out=-1, cut=0):
    """``sma3nz`` of ``g[:n]`` (the mean of each non-zero value and its non-zero neighbours;
    zeros stay zero; the first value repeats itself before the signal, as in openSMILE's),
    its non-zero values among the first ``n_out`` rows (all ``n`` when negative) written in
    order to ``vals``; returns their count. ``cut`` 1 (True): smoothed as if ``g`` ended
    after those rows, the last one repeating itself after them; 2: every row smoothed as if
    ``g`` ended there (itself its right neighbour)."""
    cnt = 0
    m = n if n_out < 0 else min(n, n_out)
    for t in range(m):
        if g[t] == 0.0:
            continue
        acc = g[t]
        c = 1
        if t == 0 or g[t - 1] != 0.0:
            acc += g[t - 1] if t > 0 else g[0]
            c += 1
        if cut == 2 or (cut == 1 and t + 1 == m):
            acc += g[t]
            c += 1
        elif t + 1 < n and g[t + 1] != 0.0:
            acc += g[t + 1]
            c += 1
        v = acc / c
        if v != 0.0:
            vals[cnt] = v
            cnt += 1
    return cnt


@njit(inline="always")
def gated_column(x, col, mask, mode, n, g, vals, out, k, n_out=-1, cut=0):
    """``sma3nz`` of column ``col`` of ``x[:n]`` kept where the frame is selected (``mode``
    0: ``mask`` set, 1: ``mask`` unset, 2: every frame), then the mean and CoV of its
    non-zero values among the first ``n_out`` rows (all when negative; ``cut`` 1: smoothed
    as if those were all, 2: each as if it were the last, :func:`sma3nz_nonzero`) into
    ``out[k], out[k + 1]`` (NaN without values): the arithmetic of the reference
    ``_gated_mean_cov`` of tests/test_egemaps_speed.py, operation for statement."""
    for t in range(n):
        keep = True if mode == 2 else (mask[t] if mode == 0 else not mask[t])
        g[t] = x[t, col] if keep else 0.0
    cnt = sma3nz_nonzero(g, n, vals, n_out, cut)
    s1 = 0.0
    s2 = 0.0
    for i in range(cnt):
        s1 += vals[i]
    if cnt == 0:
        out[k] = np.nan
        out[k + 1] = np.nan
        return
    mean = s1 / cnt
    for i in range(cnt):
        s2 += (vals[i] - mean) ** 2
    out[k] = mean
    out[k + 1] = np.sqrt(s2 / cnt) / mean if mean != 0.0 else 0.0


@njit
def egemaps_functionals(spectral, n_short, voiced, st, voice, formants, energy, hop, sr,
                        hysteresis, margin, n_60, n_vq, n_seg, out, block):
    """The 88 eGeMAPSv02 functionals (``EGEMAPS_FUNCTIONALS`` order) of raw descriptors.

    ``spectral`` (rows, 10): raw 20 ms descriptors (``_egemaps_kernels.S_*`` columns; the
    LLD rows first, ``n_short`` full frames); ``voiced`` (n_lld,) bool; ``st`` (n_lld,):
    F0 in semitones in voiced frames, 0 elsewhere; ``voice`` (n_lld, 5): HNR, H1-H2, H1-A3,
    jitter, shimmer; ``formants`` (n_lld, 9); ``energy`` (n_short,): mean square of the 20 ms
    frames; ``hop``, ``sr`` (int): the hop in samples and the rate; ``hysteresis``: the peak
    rule's fraction of the range, ``margin``: its replacement margin (:func:`_turns`).
    ``n_60``: the LLD rows the voiced-only functionals see, ``n_vq`` those the voice quality
    and formant ones see (``egemaps.Descriptors.n_seen`` and ``vq_rows``), ``n_seg`` those the
    voiced and unvoiced segment statistics see (``segment_rows``). The F0 ones see
    the ``n_60`` rows smoothed with the rest, or, where ``n_vq`` exceeds ``n_60`` (the pitch
    smoother's paths agree late or never, as openSMILE's), the first row alone,
    smoothed as if it were all. ``out[87]`` receives the *mean energy*: the caller turns it
    into ``equivalentSoundLevel_dBp`` (a logarithm: NumPy's, see the module docstring).
    """
    n_lld = st.shape[0]
    n_sp = spectral.shape[0]
    dt = hop / sr
    n_max = max(n_sp, n_lld) + 1
    buf = np.empty(n_max, dtype=np.float64)
    tmp = np.empty(n_max, dtype=np.float64)
    vals = np.empty(n_max, dtype=np.float64)
    # one call site per helper (a loop over the descriptors instead of a call per
    # descriptor): the compiled kernel stays small, and so does its compile time
    # F0 (sma3nz of the semitones, its non-zero values concatenated), then loudness, flux
    # and MFCC 1-4 (sma3 over the full 20 ms frames): contours for F0 and loudness, mean and
    # CoV for the others
    n_peaks = 0
    k = 0
    # n_60: the rows the voiced-only functionals see (smoothed with the rest; see above)
    n_60 = min(max(0, n_60), n_lld)
    n_vq = min(max(0, n_vq), n_lld)
    for which in range(7):
        if which == 0:
            n = (sma3nz_nonzero(st, n_lld, buf, 1, 1) if n_vq > n_60 else
                 sma3nz_nonzero(st, n_lld, buf, n_60))
        else:
            col = _SMA_COLUMNS[which - 1]
            n = n_short
            for t in range(n):
                a = spectral[t - 1, col] if t > 0 else spectral[0, col]
                b = spectral[t + 1, col] if t + 1 < n else spectral[n - 1, col]
                buf[t] = (a + spectral[t, col] + b) / 3.0
        if which <= 1:
            # F0 and loudness: the same slope rule (measured on openSMILE's own contours,
            # docs/egemaps.md, "the slope rule found on openSMILE's own contours (loudness
            # and F0)"); the loudness peaks are the maxima among its
            # turning points (openSMILE's count, measured)
            n_max = _contour(buf, n, dt, hysteresis, margin, tmp, out, k, block)
            if which == 1:
                n_peaks = n_max
            k += 10
        else:
            _mean_cov(buf, n, tmp, out, k, block)
            k += 2
    # sma3nz statistics of gated descriptors, 28 of them: jitter, shimmer, HNR, H1-H2,
    # H1-A3 (voiced); formant frequencies and bandwidths (voiced) and amplitudes (every row:
    # AMP_UNVOICED in unvoiced rows, exact zeros left out as sma3nz zeros); the voiced
    # spectral descriptors over the LLD rows; the unvoiced means over the full 60 ms frames.
    # All see the first n_60 rows, the formant amplitudes too (openSMILE's own
    # amplitude LLDs give its functionals over those rows on 1,946 of the 1,975 files, over
    # all rows but the last two, the rule before, on 1,729), and the unvoiced means (median
    # error 3e-8 over 105 whole files, against 1.5e-3 with all full 60 ms frames, the rule
    # before)
    n_rows = n_lld if n_sp >= n_lld else n_sp
    n_uv = min(max(0, n_lld - 1), n_rows)
    two = np.empty(2, dtype=np.float64)
    for g in range(28):
        if g < 5:
            src = voice
            col = _VOICE_COLUMNS[g]
            mode = 0
            n = n_lld
        elif g < 14:
            src = formants
            col = g - 5
            mode = 2 if col % 3 == 2 else 0
            n = n_lld
        elif g < 23:
            src = spectral
            col = g - 13
            mode = 0
            n = n_rows
        else:
            src = spectral
            col = g - 22
            mode = 1
            n = n_uv
        # the voice quality and formant columns smoothed as if the rows ended at n_60
        # (see the note on n_60 above); the others smoothed with the rows after,
        # but for the voiced 20 ms ones where the pitch smoother's paths agree late or never
        # (n_vq > n_60): those n_vq rows, each smoothed as if the rows ended there (at
        # 80 ms openSMILE's mean and CoV on 757 of 864 values of fully voiced cuts)
        seen = n_vq if g < 14 else n_60
        cut = 1 if g < 14 else 0
        if 14 <= g < 23 and n_vq > n_60:
            seen = n_vq
            cut = 2
        gated_column(src, col, voiced, mode, n, buf, vals, two, 0, seen, cut)
        out[k] = two[0]
        if g < 23:
            out[k + 1] = two[1]
            k += 2
        else:
            k += 1
    # rates and lengths with Python's int arithmetic where the old code had it:
    # ``n / ((rows * hop) / sr)``, lengths ``(frames - 1.0) * hop / sr``
    out[k] = n_peaks / ((n_short * hop) / sr) if n_short else np.nan
    k += 1
    # voiced / unvoiced segments: 1-frame unvoiced gaps do not split a voiced segment;
    # both over n_seg rows (those the voiced functionals see, n_60, but at 5 rows:
    # egemaps.Descriptors.segment_rows), runs of fewer than SEGMENT_MIN_FRAMES left out,
    # lengths (frames - 1) x hop; the voiced rate over the n_seg rows themselves (numbers
    # version 6: over n_lld - 2 where the last row was unvoiced before, which is n_seg on most
    # files but not where the paths agree late: 59 of the 1,975 files, e.g. every EmoDB
    # file whose n_seg is under 194; exact on all 1,975 now, and on 393 of 400 cuts of
    # 70 ms - 1 s, 370 before). On openSMILE's own voicing
    # this gave its voiced rate / mean / std on 97.5 / 99.8 / 99.8 % of the
    # 1,975 files (89.6 / 92.4 / 92.4 % with runs of any length) and its
    # unvoiced mean / std on 99.4 % since a lone voiced frame no longer splits an unvoiced
    # segment (97.5 % before; every row, runs of any length, the whole run's length: under
    # 1 %)
    n_seg = min(max(0, n_seg), n_lld)
    n_v = _segments(voiced, n_seg, True, hop, sr, buf)
    n_u = _segments(voiced, n_seg, False, hop, sr, vals)
    out[k] = n_v / ((max(n_seg, 1) * hop) / sr)
    k += 1
    _mean_std_or_nan(buf, n_v, tmp, out, k, block)
    _mean_std_or_nan(vals, n_u, tmp, out, k + 2, block)
    k += 4
    out[k] = _psum(energy, 0, n_short, block) / n_short if n_short else np.nan


@njit(inline="always")
def _segments(voiced, n, kind, hop, sr, lengths):
    """The lengths in seconds, ``(frames - 1) * hop / sr``, of the runs of ``voiced[:n]``
    (1-frame gaps between voiced frames filled; for unvoiced runs, a lone voiced frame left
    after that does not split one: :func:`_run_state`) whose value is ``kind`` and that are
    at least ``SEGMENT_MIN_FRAMES`` long, into ``lengths``; returns their count."""
    cnt = 0
    t = 0
    while t < n:
        v0 = _run_state(voiced, t, n, kind)
        s = t
        while t < n and _run_state(voiced, t, n, kind) == v0:
            t += 1
        if v0 == kind and t - s >= SEGMENT_MIN_FRAMES:
            lengths[cnt] = (float(t - s) - 1.0) * hop / sr
            cnt += 1
    return cnt


@njit(inline="always")
def _mean_std_or_nan(x, n, tmp, out, k, block):
    if n:
        m, s = _mean_std(x, n, tmp, block)
        out[k] = m
        out[k + 1] = s
    else:
        out[k] = np.nan
        out[k + 1] = np.nan


@njit(inline="always")
def _run_state(v, t, n, kind):
    """Frame ``t``'s voicing as the segments of ``kind`` see it: :func:`_filled`, and for the
    unvoiced segments (``kind`` False) a lone voiced frame (no voiced neighbour in ``v``)
    counted unvoiced first, so that it does not split an unvoiced segment (measured on
    openSMILE's own voicing, equal to ours on all 1,975 files: its unvoiced segment mean and
    std to 1e-4 on 1,963 files, 1,925 when the frame split the segment; RAVDESS
    03-01-08-02-02-02-05: 0.3867 / 0.3584 s, openSMILE 0.4680 / 0.4517 s), and only then
    1-frame gaps filled, so that the gap beside a lone frame stays unvoiced (session 51: ``1 0
    1 0 0 1`` holds an unvoiced segment of four frames; filling first joined the lone frame to
    the run before it, RAVDESS 03-01-07-01-02-01-12: 0.515 s against openSMILE's 0.418; 1,963
    -> 1,972 files to 1e-4). A voiced first or last row stays voiced, as openSMILE counts it:
    recordings cut so that a lone voiced frame is the first or last row differed by up to
    32 % (review of session 50)."""
    if kind:
        return _filled(v, t, n)
    if _lone(v, t, n):
        return False
    if v[t]:
        return True
    # a 1-frame gap is filled only between frames that stay voiced
    return (0 < t < n - 1 and v[t - 1] and v[t + 1]
            and not _lone(v, t - 1, n) and not _lone(v, t + 1, n))


@njit(inline="always")
def _lone(v, t, n):
    """Whether ``v[t]`` is a voiced frame with no voiced neighbour, not the first or last row
    (which openSMILE's unvoiced segments count voiced)."""
    return v[t] and 0 < t < n - 1 and not v[t - 1] and not v[t + 1]


@njit(inline="always")
def _filled(v, t, n):
    """``v[t]`` with 1-frame gaps between voiced frames filled (from the original ``v``)."""
    if v[t]:
        return True
    return 0 < t < n - 1 and v[t - 1] and v[t + 1]
