"""Numba kernel of per-channel time-domain statistics (the ``eeg_stats`` set)."""

from __future__ import annotations

import math

import numpy as np

from emofeat._numba import njit

N_STATS = 5
I_MEAN, I_STD, I_SKEW, I_KURT, I_LINE = range(N_STATS)

#: a row's fourth-power sum below this (2**-900; deviations under 2**-225, about 2e-68,
#: none of a real signal in any unit) may hold terms that underflowed: its moments are taken
#: again on exactly rescaled samples, as are those whose sums overflowed
_M4_FLOOR = 2.0**-900
#: the exponents by which a row is rescaled are kept within this, so that their powers of two
#: are normal numbers (subnormal samples are brought up to 2**-74 or so, not to 1)
_MAX_SHIFT = 1000


@njit
def _first_pass(x, c, scale):
    """Compensated sum (sum, compensation) and line-length sum of row ``c`` of ``x`` times
    ``scale`` (1, or a power of two: exact)."""
    n = x.shape[1]
    s = x[c, 0] * scale
    comp = 0.0
    line = 0.0
    for t in range(1, n):
        v = x[c, t] * scale
        u = s + v
        # Knuth's TwoSum: the rounding error of s + v, exact in floating point and
        # without a branch, summed apart
        w = u - s
        comp += (s - (u - w)) + (v - w)
        s = u
        line += abs(v - x[c, t - 1] * scale)
    return s, comp, line


@njit
def _second_pass(x, c, scale, a, dscale):
    """Sums of the deviations ``d = (x * scale - a) * dscale`` of row ``c`` and of their
    2nd, 3rd and 4th powers (``scale``, ``dscale``: 1 or powers of two)."""
    n = x.shape[1]
    m1 = 0.0
    m2 = 0.0
    m3 = 0.0
    m4 = 0.0
    for t in range(n):
        d = (x[c, t] * scale - a) * dscale
        d2 = d * d
        m1 += d
        m2 += d2
        m3 += d2 * d
        m4 += d2 * d2
    return m1, m2, m3, m4


@njit
def _finish(out, c, n, a, m1, m2, m3, m4, line, k, j):
    """Statistics of row ``c`` into ``out[c]`` from the passes' sums, taken on the samples
    times ``2**-k`` (mean ``a`` and line length in that unit) and deviations times
    ``2**-j`` more (the moments' sums): ``k = j = 0`` unless the row was rescaled."""
    # moments about a, moved to the mean a + e: e is what a misses, to the spread's
    # precision (a's half unit in the last place, against the spread of a channel on a DC
    # offset, still moved the skewness by 3e-10 on the BDF test file without it)
    e = m1 / n
    if not np.isfinite(e):
        # finite samples whose sum overflowed (a = inf): no correction
        e = 0.0
    # a is within 2 units in its last place of the mean (2**-51 |a| bounds them), so e
    # is too: beyond that e is the rounding of the deviations' sum, which on float32
    # samples (a exact) had moved the skewness of the Muse recordings by 6.5e-11
    # relative where 1.1e-12 is the moments' own rounding
    bound = math.ldexp(abs(a), -j) * 4.440892098500626e-16
    if e > bound:
        e = bound
    elif e < -bound:
        e = -bound
    m2 /= n
    m3 /= n
    m4 /= n
    e2 = e * e
    m4 = m4 - 4.0 * e * m3 + 6.0 * e2 * m2 - 3.0 * e2 * e2
    m3 = m3 - 3.0 * e * m2 + 2.0 * e2 * e
    m2 = m2 - e2
    # the mean reported is a, not a + e: a is correctly rounded (the compensated sum),
    # while e carries the rounding of the deviations x - a and of their sum
    out[c, I_MEAN] = math.ldexp(a, k)
    out[c, I_STD] = math.ldexp(np.sqrt(m2), j + k)
    # a spread at the rounding of the mean (relative, never absolute: the moments are
    # unit-free) holds no shape; m2 divided out step by step so that small-valued units
    # do not underflow m2**1.5 or m2**2
    mean = math.ldexp(a, -j)
    if m2 <= 1e-24 * mean * mean:
        out[c, I_SKEW] = 0.0
        out[c, I_KURT] = 0.0
    else:
        out[c, I_SKEW] = m3 / m2 / np.sqrt(m2)
        out[c, I_KURT] = m4 / m2 / m2 - 3.0
    out[c, I_LINE] = math.ldexp(line / (n - 1), k)


@njit
def _exponent(v):
    """The exponent ``k`` of ``v = f * 2**k`` (``0.5 <= |f| < 1``) within ``_MAX_SHIFT``."""
    return min(max(math.frexp(v)[1], -_MAX_SHIFT), _MAX_SHIFT)


@njit
def _rescaled(x, c, out):
    """Statistics of a row of finite samples whose sums overflowed or whose powers
    underflowed: the samples are scaled by the power of two ``2**-k`` that brings the
    largest near 1, and their deviations from the mean by ``2**-j`` that brings the largest
    deviation near 1 (both exact: powers of two), the passes taken on them, and the mean,
    std and line length scaled back (skewness and kurtosis do not depend on the scale)."""
    n = x.shape[1]
    amax = 0.0
    for t in range(n):
        amax = max(amax, abs(x[c, t]))
    k = _exponent(amax)
    scale = math.ldexp(1.0, -k)
    s, comp, line = _first_pass(x, c, scale)
    a = (s + comp) / n
    dmax = 0.0
    for t in range(n):
        dmax = max(dmax, abs(x[c, t] * scale - a))
    j = _exponent(dmax)
    m1, m2, m3, m4 = _second_pass(x, c, scale, a, math.ldexp(1.0, -j))
    _finish(out, c, n, a, m1, m2, m3, m4, line, k, j)


@njit
def channel_stats(x, out):
    """Statistics of every row of ``x`` (n_channels, n_times) into ``out`` (n_channels, 5).

    Population moments (ddof=0) in two passes. The mean is the first pass's sum compensated
    (each addition's rounding error, exact in floating point, summed apart and added back):
    a sum in order is off by its rounding, small against the mean but not against the
    spread when the channel sits on a DC offset (a DC-coupled amplifier's 0.2-0.3 V under
    microvolts of EEG: the MNE test BDF and EDF); compensated, the mean is within about a
    unit in the last place (1.7e-16 relative at most on the EEG corpus), and on samples whose
    plain sum was exact (float32 data: FIF files, float32 arrays) it is that sum's. The
    second pass is corrected (Chan, Golub & LeVeque's "corrected two-pass algorithm"): it
    also sums the deviations from that mean ``a``, whose mean ``e`` is what ``a`` still
    misses to the spread's precision, and the moments about ``a`` are moved to ``a + e``
    (binomial expansion), ``e`` bounded by 2 units in the last place of ``a``, as close as
    ``a`` is: beyond that ``e`` is the rounding of the deviations and of their sum, so the
    mean reported stays ``a`` (``a + e`` erred by up to 1e-11 relative on float32 Muse data,
    where ``a`` is exact, and their skewness by 6.5e-11 with ``e`` unbounded). Skewness
    and kurtosis erred by up to 2e-9 and 5e-8 relative on the BDF and EDF before both.
    Skewness Fisher-Pearson and excess kurtosis as ``scipy.stats`` with ``bias=True``, both
    0 for a flat channel (every sample equal, found exactly as a line length of 0, since the
    rounding of a long row's sum leaves spread around its computed mean); line length is the
    mean absolute first difference (0 with a single sample), summed in the first pass with
    the mean. Every statistic of a row with a NaN or infinite sample is NaN: the reader
    flags such a channel as one whose features are NaN (an inf sample would otherwise give
    an infinite mean and line length and NaN moments).

    Finite samples whose sums overflow (the fourth powers of deviations past about 1e77, the
    squares past 1e154, the sum of samples near 1.8e308) or whose fourth powers underflow
    (deviations under about 1e-68) are taken again scaled by exact powers of two
    (:func:`_rescaled`), the results scaled back: until session 57 their kurtosis, then
    skewness and std were NaN, or wrong (kurtosis of samples near 1e-89). Other rows never
    take that path: a check of the sums after each pass, nothing per sample.
    """
    n_ch, n = x.shape
    for c in range(n_ch):
        s, comp, line = _first_pass(x, c, 1.0)
        if not np.isfinite(s):
            # a sum is non-finite when a sample is, or when finite samples overflow it: only
            # then are the samples looked at again
            bad = False
            for t in range(n):
                if not np.isfinite(x[c, t]):
                    bad = True
                    break
            if bad:
                out[c, :] = np.nan
            else:
                _rescaled(x, c, out)
            continue
        # finite samples: two that differ never subtract to 0, so line length 0 is "flat"
        if line == 0.0:
            out[c, I_MEAN] = x[c, 0]
            out[c, I_STD] = 0.0
            out[c, I_SKEW] = 0.0
            out[c, I_KURT] = 0.0
            out[c, I_LINE] = 0.0
            continue
        a = (s + comp) / n
        m1, m2, m3, m4 = _second_pass(x, c, 1.0, a, 1.0)
        if not (np.isfinite(line) and np.isfinite(comp) and m4 >= _M4_FLOOR
                and m4 < np.inf):
            _rescaled(x, c, out)
            continue
        _finish(out, c, n, a, m1, m2, m3, m4, line, 0, 0)
