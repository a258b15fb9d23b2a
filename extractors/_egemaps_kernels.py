"""Numba kernels of the eGeMAPS set: per-frame spectral descriptors, subharmonic-summation
pitch, harmonic amplitudes, autocorrelation HNR, period jitter/shimmer, LPC formants and the
``sma3`` / ``sma3nz`` smoothers.

Every definition is written from the GeMAPS paper (Eyben et al. 2016), its published
parameters and measurements of openSMILE's outputs; see :mod:`emofeat.extractors.egemaps`
for the conventions and :doc:`docs/egemaps` for what matches and what does not.
Serial kernels only: files are parallel one level up.
"""

from __future__ import annotations

import numpy as np

from emofeat._numba import njit

# column layout of spectral_descriptors' output
N_SPECTRAL = 10
DB_PER_NEPER = 10.0 / np.log(10.0)
(S_LOUDNESS, S_ALPHA, S_HAMMARBERG, S_SLOPE_LO, S_SLOPE_HI, S_FLUX,
 S_MFCC1, S_MFCC2, S_MFCC3, S_MFCC4) = range(N_SPECTRAL)


@njit
def _regression_slope(y, x0, dx, k0, k1):
    """openSMILE's spectral slope of ``y[k0:k1]`` against ``x = x0 + dx * k`` (measured):
    the least-squares formula ``(N sum(xy) - sum(x) sum(y)) / (N sum(x^2) - sum(x)^2)``
    with ``N`` one less than the number of points summed. The slope of a flat spectrum is
    then ``y sum(x) / (-D)``, not 0: that is why openSMILE's slopes depend on the level and
    read 0.112 / 0.0764 on digital silence (-140 dB), both reproduced here."""
    n = k1 - k0
    if n < 3:
        return 0.0
    sx = 0.0
    sy = 0.0
    sxx = 0.0
    sxy = 0.0
    for k in range(k0, k1):
        x = x0 + dx * k
        sx += x
        sy += y[k]
        sxx += x * x
        sxy += x * y[k]
    m = n - 1.0
    den = m * sxx - sx * sx
    if den == 0.0:
        return 0.0
    return (m * sxy - sx * sy) / den


@njit(inline="always")
def _sums4(p0, p1, p2, p3, k0, k1, peak):
    """The sums (``peak``: the maxima, from 0) of ``p0[k0:k1]`` .. ``p3[k0:k1]``, four
    chains side by side, each in increasing ``k`` (the bits of one chain alone)."""
    a0 = 0.0
    a1 = 0.0
    a2 = 0.0
    a3 = 0.0
    if peak:
        for k in range(k0, k1):
            a0 = max(a0, p0[k])
            a1 = max(a1, p1[k])
            a2 = max(a2, p2[k])
            a3 = max(a3, p3[k])
    else:
        for k in range(k0, k1):
            a0 += p0[k]
            a1 += p1[k]
            a2 += p2[k]
            a3 += p3[k]
    return a0, a1, a2, a3


@njit
def spectral_descriptors(spec, starts, lengths, band, mel_floor, mfcc_floor, eql, loud_scale,
                         loud_power, dct, bands, df, flux_scale, db_floor, out):
    """The ten 20 ms-frame descriptors of eGeMAPS from a complex spectrum ``spec``.

    ``out[t]`` = loudness, alpha ratio, Hammarberg index, slope 0-500, slope 500-1500,
    spectral flux, MFCC 1-4 (columns ``S_*``). ``starts/lengths/band``: the sparse 26-band
    mel filterbank on the power spectrum; every band is floored, at ``mel_floor`` for the
    loudness and at ``mfcc_floor`` for the MFCC (digital silence gives a finite, constant
    value, as in openSMILE, whose two paths floor the bands apart). Loudness =
    ``loud_scale * sum_m (eql[m] * band_m) ** loud_power``. MFCC = ``dct @ ln(band)``
    (lifter folded into ``dct``). ``bands`` (int, 10 entries) holds bin ranges
    ``[lo0, lo1, hi0, hi1]`` (alpha ratio: ``10 log10`` of the power in ``hi`` over ``lo``),
    ``[h0, h1, h2, h3]`` (Hammarberg: peak power in ``h0:h1`` over peak in ``h2:h3``, dB),
    and the flux's last bin + 1 and unused; flux = L2 norm of the change in magnitude over
    bins ``0 .. bands[8]`` divided by ``flux_scale``. Slopes: least-squares slope of
    ``10 log10(max(power, db_floor))`` against frequency in Hz over 0-500 and 500-1500 Hz.
    """
    n_frames, n_bins = spec.shape
    n_mels = starts.shape[0]
    n_ceps = dct.shape[0]
    # four frames at a time: the mel band sums, the alpha-ratio band sums, the
    # Hammarberg peaks and the flux of each frame are chains of dependent additions (or
    # maxima) over 5-160 bins, latency-bound one frame at a time; taken for four frames side
    # by side, each frame's chain has the same terms in the same order (the same bits).
    # Rows of frames past the end hold zeros or stale values, unused.
    powers = np.zeros((4, n_bins), dtype=np.float64)
    mags = np.zeros((4, n_bins), dtype=np.float64)
    prev = np.zeros(n_bins, dtype=np.float64)
    logp = np.empty(n_bins, dtype=np.float64)
    mel = np.empty(n_mels, dtype=np.float64)
    mels = np.empty((4, n_mels), dtype=np.float64)
    log_eql = np.log(eql)
    log_mel_floor = np.log(mel_floor)
    log_mfcc_floor = np.log(mfcc_floor)
    low_floor = min(mel_floor, mfcc_floor)
    # 0-500 and 500-1500 Hz, both ends included (bins 0-16 and 16-48 at 31.25 Hz)
    k_s0 = 0
    k_s1 = int(np.floor(500.0 / df)) + 1
    k_s2 = int(np.ceil(500.0 / df))
    k_s3 = int(np.floor(1500.0 / df)) + 1
    lo = np.empty(4, dtype=np.float64)
    hi = np.empty(4, dtype=np.float64)
    pk_lo = np.empty(4, dtype=np.float64)
    pk_hi = np.empty(4, dtype=np.float64)
    flux = np.empty(4, dtype=np.float64)
    for t0 in range(0, n_frames, 4):
        n_g = min(4, n_frames - t0)
        for f in range(n_g):
            t = t0 + f
            power = powers[f]
            mag = mags[f]
            for k in range(n_bins):
                re = spec[t, k].real
                im = spec[t, k].imag
                p = re * re + im * im
                power[k] = p
            for k in range(bands[8]):
                mag[k] = np.sqrt(power[k])
            for k in range(k_s3):
                logp[k] = DB_PER_NEPER * np.log(max(power[k], db_floor))
            out[t, S_SLOPE_LO] = _regression_slope(logp, 0.0, df, k_s0, k_s1)
            out[t, S_SLOPE_HI] = _regression_slope(logp, 0.0, df, k_s2, k_s3)
        p0 = powers[0]
        p1 = powers[1]
        p2 = powers[2]
        p3 = powers[3]
        for m in range(n_mels):
            s = starts[m]
            bm = band[m]
            a0 = 0.0
            a1 = 0.0
            a2 = 0.0
            a3 = 0.0
            for j in range(lengths[m]):
                w = bm[j]
                a0 += w * p0[s + j]
                a1 += w * p1[s + j]
                a2 += w * p2[s + j]
                a3 += w * p3[s + j]
            mels[0, m] = a0
            mels[1, m] = a1
            mels[2, m] = a2
            mels[3, m] = a3
        for f in range(n_g):
            t = t0 + f
            loud = 0.0
            for m in range(n_mels):
                lm = np.log(max(mels[f, m], low_floor))
                mel[m] = max(lm, log_mfcc_floor)
                loud += np.exp(loud_power * (max(lm, log_mel_floor) + log_eql[m]))
            out[t, S_LOUDNESS] = loud_scale * loud
            for c in range(n_ceps):
                acc = 0.0
                for m in range(n_mels):
                    acc += dct[c, m] * mel[m]
                out[t, S_MFCC1 + c] = acc
        lo[0], lo[1], lo[2], lo[3] = _sums4(p0, p1, p2, p3, bands[0], bands[1], False)
        hi[0], hi[1], hi[2], hi[3] = _sums4(p0, p1, p2, p3, bands[2], bands[3], False)
        pk_lo[0], pk_lo[1], pk_lo[2], pk_lo[3] = _sums4(p0, p1, p2, p3, bands[4], bands[5],
                                                        True)
        pk_hi[0], pk_hi[1], pk_hi[2], pk_hi[3] = _sums4(p0, p1, p2, p3, bands[6], bands[7],
                                                        True)
        m0 = mags[0]
        m1 = mags[1]
        m2 = mags[2]
        m3 = mags[3]
        a0 = 0.0
        a1 = 0.0
        a2 = 0.0
        a3 = 0.0
        for k in range(bands[8]):
            d0 = m0[k] - prev[k]
            d1 = m1[k] - m0[k]
            d2 = m2[k] - m1[k]
            d3 = m3[k] - m2[k]
            a0 += d0 * d0
            a1 += d1 * d1
            a2 += d2 * d2
            a3 += d3 * d3
        flux[0], flux[1], flux[2], flux[3] = a0, a1, a2, a3
        for f in range(n_g):
            t = t0 + f
            lo_f = lo[f]
            hi_f = hi[f]
            out[t, S_ALPHA] = 10.0 * np.log10(hi_f / lo_f) if lo_f > 0.0 and hi_f > 0.0 else 0.0
            pl = pk_lo[f]
            ph = pk_hi[f]
            out[t, S_HAMMARBERG] = 10.0 * np.log10(pl / ph) if pl > 0.0 and ph > 0.0 else 0.0
            out[t, S_FLUX] = np.sqrt(flux[f] if t > 0 else 0.0) / flux_scale
        last = mags[n_g - 1]
        for k in range(bands[8]):
            prev[k] = last[k]


_SHS_GROUP = 8  # frames side by side in shs_pitch's recurrences


@njit(inline="always")
def _vertex(lo, mid, hi):
    """Offset and value of the parabola's vertex through three equally spaced values around
    a maximum (0 and ``mid`` where they are not concave)."""
    den = lo - 2.0 * mid + hi
    if den < 0.0:
        dl = 0.5 * (lo - hi) / den
        return dl, mid - 0.25 * (lo - hi) * dl
    return 0.0, mid


@njit
def shs_pitch(mag, active, pos_i, pos_b, pos_h, aw, thomas_c, thomas_d, offsets, weights, lo_k,
              hi_k, p_lo, p_hi, log_lo, ppo, cand_f, cand_v):
    """openSMILE's pitch front-end as measured on its own components (docs/egemaps.md,
    "openSMILE's pitch path" and "openSMILE's pitch front end to float precision, and its
    candidate list"): per magnitude spectrum ``mag[i]`` (LLD row
    ``active[i]``), the bins between the first and the last local maximum (either end bin
    counted) farther than 2 bins from every local maximum set to 0, and with a single maximum
    the bins more than 2 above it (peak enhancement), a ``[1/4, 1/2, 1/4]`` smoothing (a zero
    below the DC bin, the last bin kept), a natural cubic spline through the bins on
    log2-frequency knots evaluated at the log2-scale points (interval ``pos_i``, fraction
    ``pos_b``, ``h^2 / 6`` of the interval ``pos_h``), weighted by ``aw`` and floored at 0,
    subharmonic summation ``sum_h weights[h] x[p + offsets[h]]``, and its candidates: the
    local maxima in ``lo_k .. hi_k`` refined by a parabola: the ``n_keep`` highest by the
    summation at the maximum's point, in that order, the one with the highest vertex swapped
    into the first slot, and of these those whose position (in points) lies in
    ``p_lo .. p_hi`` (openSMILE's ``greedyPeakAlgo=1``, which eGeMAPSv02's output follows:
    measured, the order on openSMILE's smoother fed designed candidates).
    ``cand_f`` (Hz) and ``cand_v`` (voicing ``1 - mean / peak``, floored at 0; the mean over
    all points) get the candidates; unused slots 0. ``thomas_c`` /
    ``thomas_d``: the back-substitution and forward factors of the natural spline's
    tridiagonal system (``M`` 0 at both ends; ``_pitch_plan`` in egemaps.py).

    ``_SHS_GROUP`` frames at a time through the spline's two recurrences (each a chain of
    dependent steps: side by side they overlap; each frame gets the same operations as
    alone)."""
    n_frames, n_bins = mag.shape
    n_pts = pos_i.shape[0]
    n_keep = cand_f.shape[1]
    n_h = offsets.shape[0]
    n_c = hi_k - lo_k + 3  # the summation at lo_k - 1 .. hi_k + 1
    c0 = lo_k - 1
    # the weight of each point in the summation's total (its mean without the summation at
    # every point): the weights of the harmonics whose offset is at most the point's index
    wsum = np.zeros(n_pts)
    for h in range(n_h):
        for q in range(offsets[h], n_pts):
            wsum[q] += weights[h]
    # the spline's weights at each point, times the auditory weighting
    sp_a = np.empty(n_pts)
    sp_b = np.empty(n_pts)
    sp_ca = np.empty(n_pts)
    sp_cb = np.empty(n_pts)
    for p in range(n_pts):
        b = pos_b[p]
        a = 1.0 - b
        sp_a[p] = aw[p] * a
        sp_b[p] = aw[p] * b
        sp_ca[p] = aw[p] * (a * a * a - a) * pos_h[p]
        sp_cb[p] = aw[p] * (b * b * b - b) * pos_h[p]
    peaks = np.empty(n_c, dtype=np.int64)
    pos_u = pos_i.astype(np.uint64)
    pk = np.zeros(n_bins + 4, dtype=np.uint8)  # peak flags, 2 guard entries each side
    e = np.empty(n_bins)
    sm = np.zeros((n_bins, _SHS_GROUP))  # the smoothed spectra, a column per frame
    dp = np.zeros((n_bins, _SHS_GROUP))
    m2 = np.zeros((n_bins, _SHS_GROUP))
    x = np.empty((n_pts, _SHS_GROUP))
    sh = np.empty((n_c, _SHS_GROUP))
    tot = np.empty(_SHS_GROUP)
    run_v = np.empty(max(1, n_keep))
    run_p = np.empty(max(1, n_keep))
    run_x = np.empty(max(1, n_keep))
    for f0 in range(0, n_frames, _SHS_GROUP):
        n_g = min(_SHS_GROUP, n_frames - f0)
        for g in range(n_g):
            row = mag[f0 + g]
            # peak enhancement: keep the bins within 2 of a local maximum (an end bin counts
            # when above its neighbour: the DC bin of a frame with an offset or rumble,
            # measured, openSMILE keeps bins 0-2 there), those below the first maximum and,
            # with two or more, those above the last (measured); flags and
            # selects without branches
            pk[2] = row[0] > row[1]
            pk[n_bins + 1] = row[n_bins - 1] > row[n_bins - 2]
            for k in range(1, n_bins - 1):
                pk[k + 2] = (row[k] > row[k - 1]) & (row[k] >= row[k + 1])
            first = 0
            while first < n_bins and not pk[first + 2]:
                first += 1
            last = n_bins - 1
            while last > first and not pk[last + 2]:
                last -= 1
            if last <= first:  # one maximum or none: nothing above it is kept for that
                last = n_bins
            for k in range(n_bins):
                near = pk[k] | pk[k + 1] | pk[k + 2] | pk[k + 3] | pk[k + 4]
                near |= (k < first) | (k > last)
                e[k] = row[k] * near
            sm[0, g] = 0.5 * e[0] + 0.25 * e[1]
            sm[n_bins - 1, g] = e[n_bins - 1]
            for k in range(1, n_bins - 1):
                sm[k, g] = 0.25 * e[k - 1] + 0.5 * e[k] + 0.25 * e[k + 1]
        # natural cubic spline: second derivatives by the Thomas algorithm, frames side by side
        # (all columns: a column past the last frame holds an earlier frame's finite values
        # or zeros, never read)
        for k in range(1, n_bins - 1):
            r_lo = thomas_d[k, 0]
            r_mid = thomas_d[k, 1]
            r_hi = thomas_d[k, 2]
            r_dp = thomas_d[k, 3]
            for g in range(_SHS_GROUP):
                dp[k, g] = (r_lo * sm[k - 1, g] + r_mid * sm[k, g] + r_hi * sm[k + 1, g]
                            - r_dp * dp[k - 1, g])
        for k in range(n_bins - 2, 0, -1):
            ck = thomas_c[k]
            for g in range(_SHS_GROUP):
                m2[k, g] = dp[k, g] - ck * m2[k + 1, g]
        # the spline at the points, the summation's total and the summation itself, all
        # frames of the group at once (the frames are the inner, contiguous dimension)
        for g in range(_SHS_GROUP):
            tot[g] = 0.0
        for p in range(n_pts):
            i = pos_u[p]  # unsigned: no negative-index fix-up per load
            i1 = i + np.uint64(1)
            a = sp_a[p]
            b = sp_b[p]
            ca = sp_ca[p]
            cb = sp_cb[p]
            ws = wsum[p]
            for g in range(_SHS_GROUP):
                # negative values (the spline's undershoot) are 0 (measured)
                v = max(a * sm[i, g] + b * sm[i1, g] + ca * m2[i, g] + cb * m2[i1, g], 0.0)
                x[p, g] = v
                tot[g] += ws * v
        sh[:, :] = 0.0
        for h in range(n_h):
            o = c0 + offsets[h]
            w = weights[h]
            # a slice, so that the index is known non-negative (no wraparound select)
            xs = x[o : o + max(0, min(n_c, n_pts - o))]
            for c in range(xs.shape[0]):
                for g in range(_SHS_GROUP):
                    sh[c, g] += w * xs[c, g]
        for g in range(n_g):
            t = active[f0 + g]
            mean = tot[g] / n_pts
            # the n_keep highest local maxima by their value at the maximum's point, highest
            # first (equal ones: the lower first), then the one with the highest parabola
            # vertex swapped into the first slot; of these, those whose vertex lies outside
            # p_lo .. p_hi (55-1000 Hz) are left out (measured: openSMILE lists
            # fewer candidates, none where the highest maxima lie above 1 kHz, as in
            # fricatives; with lo_k .. hi_k all points but the ends). The order of the slots
            # after the first is openSMILE's in 93.6 % of frames this way, 84.6 % ranked by
            # the vertex: the smoother's jump cost reads the slot before a
            # candidate's. (The maxima listed without a branch per point first: a branch on
            # each comparison mispredicts at every turn of the summation.)
            n_pk = 0
            for c in range(1, n_c - 1):
                peaks[n_pk] = c
                n_pk += (sh[c, g] > sh[c - 1, g]) & (sh[c, g] >= sh[c + 1, g])
            m = 0
            for q in range(n_pk):
                c = peaks[q]
                dl, vx = _vertex(sh[c - 1, g], sh[c, g], sh[c + 1, g])
                v = sh[c, g]
                pos = c0 + c + dl
                if m < n_keep:
                    j = m
                    m += 1
                elif v > run_v[m - 1]:
                    j = m - 1
                else:
                    continue
                while j > 0 and run_v[j - 1] < v:
                    run_v[j] = run_v[j - 1]
                    run_p[j] = run_p[j - 1]
                    run_x[j] = run_x[j - 1]
                    j -= 1
                run_v[j] = v
                run_p[j] = pos
                run_x[j] = vx
            bq = 0
            for q in range(1, m):
                if run_x[q] > run_x[bq]:
                    bq = q
            if bq > 0:
                run_p[0], run_p[bq] = run_p[bq], run_p[0]
                run_x[0], run_x[bq] = run_x[bq], run_x[0]
            for j in range(n_keep):
                cand_f[t, j] = 0.0
                cand_v[t, j] = 0.0
            j = 0
            for q in range(m):
                pos = run_p[q]
                if pos < p_lo or pos > p_hi:
                    continue
                pv = run_x[q]
                cand_f[t, j] = 2.0 ** (log_lo + pos / ppo)
                if pv > 0.0 and mean > 0.0:
                    cand_v[t, j] = max(0.0, 1.0 - mean / pv)
                j += 1


@njit
def _range_cost(f):
    """The pitch smoother's frequency-range cost per unit weight (measured on tones through
    openSMILE's smoother): 0 in 100-350 Hz, rising linearly to 1 at 0 Hz below and
    to 1 at 600 Hz above, 1.2 above 600 Hz."""
    if f < 100.0:
        return (100.0 - f) / 100.0
    if f <= 350.0:
        return 0.0
    if f <= 600.0:
        return (f - 350.0) / 250.0
    return 1.2


@njit(inline="always")
def _first_min(x):
    """Index of the smallest value (the first of equal ones)."""
    q = 0
    for r in range(1, x.shape[0]):
        if x[r] < x[q]:
            q = r
    return q


@njit
def pitch_smoother(cand_f, cand_v, w_local, w_jump, w_switch, w_thr, w_range, cutoff, floor,
                   lag, out, agree_at, agree, first_step):
    """Viterbi path over each frame's pitch candidates and an unvoiced state, in the form
    measured on openSMILE's ``cPitchSmootherViterbi`` (docs/egemaps.md, "openSMILE's pitch
    smoother, measured" and "openSMILE's smoother fed designed candidates"): a
    candidate of voicing ``v`` at ``f`` Hz costs ``-w_local ln max(v, floor)``, plus
    ``w_thr w_local`` if ``v`` is under ``cutoff``, plus ``w_range`` times the range cost of
    ``f``; the unvoiced state ``w_thr w_local`` if the strongest candidate reaches the cutoff;
    a step from slot ``i`` of the previous frame to candidate ``j`` costs ``w_jump (|ln f_j -
    ln f_i| + |ln f_i - ln f_{i-1}|)``, ``f_{i-1}`` the previous frame's slot before ``i``
    (``2 w_jump |ln f_j - ln f_i|`` from the first slot; measured on openSMILE's smoother fed
    designed candidates); a change between voiced and unvoiced ``w_switch``,
    unvoiced to unvoiced 1. With ``first_step``, the step from the first frame's slot 0 to
    the second frame's slot 0 costs ``w_jump (|d| + |d + 1|)``, ``d = ln f_0 - ln f_j``,
    instead of ``2 w_jump |d|`` (measured: openSMILE's smoother on 1,600 random candidate
    arrays, every frame of every path; 86 % of the paths without it, 84-87 % per 400).
    Frame ``t`` is decided from the best path ending ``lag`` frames later (the last frames
    from the final one), as openSMILE's smoother decides at its buffer's lag.
    ``out[t]``: the F0 (Hz), 0 where unvoiced. Empty slots (``cand_f`` 0) are never taken.
    ``agree[0]``: once the first ``agree_at`` frames are in, the last frame on which the
    paths ending in every state agree (empty slots included: only the unvoiced state leads
    into one), -1 if none or never reached (it decides which rows openSMILE's voiced
    functionals see); ``agree[1]``, where ``agree`` has two slots, the same one
    frame earlier, once the first ``agree_at - 1`` frames are in (where that is
    -1 a short input's F0 functionals see its first row alone, as openSMILE's)."""
    n, k = cand_f.shape
    for i in range(agree.shape[0]):
        agree[i] = -1
    if n == 0:
        return
    ns = k + 1
    big = 1e30
    thr = w_thr * w_local
    d = np.empty(ns)
    dn = np.empty(ns)
    loc = np.empty(ns)
    lf = np.zeros((2, k))
    back = np.zeros((n, ns), dtype=np.int8)
    for t in range(n):
        cur = t % 2
        prev = 1 - cur
        for j in range(k):
            f = cand_f[t, j]
            if f > 0.0:
                v = cand_v[t, j]
                lf[cur, j] = np.log(f)
                loc[j] = (-w_local * np.log(max(v, floor)) + (thr if v < cutoff else 0.0)
                          + w_range * _range_cost(f))
            else:
                loc[j] = big
        loc[k] = thr if (cand_f[t, 0] > 0.0 and cand_v[t, 0] >= cutoff) else 0.0
        if t == 0:
            for q in range(ns):
                d[q] = loc[q]
        else:
            for q in range(ns):
                bc = big * 10.0
                bi = 0
                for p in range(ns):
                    if d[p] >= big:
                        continue
                    if p < k and q < k:
                        if cand_f[t - 1, p] <= 0.0 or cand_f[t, q] <= 0.0:
                            continue
                        step = abs(lf[cur, q] - lf[prev, p])
                        if p == 0 and q == 0 and t == 1 and first_step:
                            # measured, not understood: its second term reads ln f_j - 1
                            c = d[p] + w_jump * (step + abs(lf[prev, p] - lf[cur, q] + 1.0))
                        elif p == 0:
                            c = d[p] + w_jump * 2.0 * step
                        else:
                            # leaving slot p costs its distance to slot p - 1 of its frame
                            c = d[p] + w_jump * (step + abs(lf[prev, p] - lf[prev, p - 1]))
                    elif p == k and q == k:
                        c = d[p] + 1.0
                    else:
                        c = d[p] + w_switch
                    if c < bc:
                        bc = c
                        bi = p
                dn[q] = bc + loc[q]
                back[t, q] = bi
            for q in range(ns):
                d[q] = dn[q]
        if t == agree_at - 1:
            agree[0] = _paths_agree(back, t, ns)
        elif t == agree_at - 2 and agree.shape[0] > 1:
            agree[1] = _paths_agree(back, t, ns)
        if t >= lag:
            # frame t - lag from the best path ending at t
            q = _first_min(d)
            for u in range(t, t - lag, -1):
                q = back[u, q]
            out[t - lag] = cand_f[t - lag, q] if q < k else 0.0
    q = _first_min(d)
    for t in range(n - 1, -1, -1):
        if t + lag <= n - 1:
            break
        out[t] = cand_f[t, q] if q < k else 0.0
        if t > 0:
            q = back[t, q]


@njit(inline="always")
def _paths_agree(back, t, ns):
    """The last frame at or before ``t`` where the paths ending in every one of the ``ns``
    states at frame ``t`` (traced through ``back``; an empty candidate slot's from the
    unvoiced state before it) are in the same state; -1 if none."""
    st = np.arange(ns)
    u = t
    while True:
        same = True
        for i in range(1, ns):
            if st[i] != st[0]:
                same = False
                break
        if same:
            return u
        if u == 0:
            return -1
        for i in range(ns):
            st[i] = back[u, st[i]]
        u -= 1


@njit(inline="always")
def _is_peak(mag, c):
    """Whether bin ``c`` is a local maximum (``mag[c - 1] < mag[c] >= mag[c + 1]``)."""
    return 0 < c < mag.shape[0] - 1 and mag[c] > mag[c - 1] and mag[c] >= mag[c + 1]


@njit(inline="always")
def _harmonic_peak(mag, w, h, skip):
    """The bin of harmonic ``h`` (F0 is ``h = 1``) of an F0 of ``w`` bins, or -1 when it has
    none: of the local maxima whose bin lies within ``(h -+ 1/2) w`` widened by half a bin
    (the bin's span overlaps the harmonic's half-F0 window), other than ``skip`` (the peak
    of the harmonic before), the one closest to the bin nearest ``h w``, the one above first
    at equal distance. Measured (docs/egemaps.md, "inputs users meet"): openSMILE's
    harmonic is missing exactly when no such peak exists (every one of 97 real frames with a
    peak 0.3-1 F0 from its harmonic, 99.2 % of 66,000 frames of designed tones; half a bin
    less or more: 96.3 % / 97.2 %)."""
    x = h * w
    b = int(x + 0.5)
    lo = x - 0.5 * w - 0.5
    hi = x + 0.5 * w + 0.5
    n = mag.shape[0]
    for off in range(n):
        up = b + off
        dn = b - off
        if up > hi and dn < lo:
            break
        if up <= hi and up != skip and _is_peak(mag, up):
            return up
        if dn >= lo and dn != skip and _is_peak(mag, dn):
            return dn
    return -1


@njit(inline="always")
def _peak_vertex(mag, c):
    """The vertex of the parabola through bins ``c - 1 .. c + 1``: (its magnitude, its
    position in bins); the bin itself where the three are collinear or ``c`` is an edge."""
    if 0 < c < mag.shape[0] - 1:
        a = mag[c - 1]
        b = mag[c]
        g = mag[c + 1]
        den = a - 2.0 * b + g
        if den != 0.0:
            p = 0.5 * (a - g) / den
            return b - 0.25 * (a - g) * p, c + p
    return mag[c], float(c)


# half width of the range around a formant whose highest harmonic is its amplitude, relative
# to the formant frequency (on openSMILE's H1-A3 and formant levels, 0.18 / 0.19 /
# 0.20 / 0.21 / 0.22 reproduce 69-74 / 81-83 / 88-94 / 79-83 / 72-74 % of the frames; half the
# formant's bandwidth, its help text's wording, 4-48 %)
FORMANT_HARMONIC_RANGE = 0.2
# a harmonic without a peak (_harmonic_peak) enters H1-H2 and H1-A3 at HARMONIC_MISSING_DB
# below F0's peak, the other term at most HARMONIC_CAP_DB above it: openSMILE writes
# +-(200 + min(L, 1)) dB there, L the present harmonic's level re F0's peak (measured on
# every such frame found: 97 real frames, designed tones)
HARMONIC_MISSING_DB = 200.0
HARMONIC_CAP_DB = 1.0
# the formant levels of a frame without F0 or whose F0 has no peak (egemaps.AMP_UNVOICED)
AMP_UNVOICED = -201.0


@njit
def _formant_harmonic(mag, w, c0, df, f):
    """The level of the highest harmonic of an F0 of ``w`` bins whose peak (its parabola's
    vertex; F0's own: its raw magnitude ``mag[c0]``, so that it reads 0 dB re F0, which the
    smoothing leaves out as openSMILE's does) lies within ``FORMANT_HARMONIC_RANGE`` of
    formant frequency ``f``; 0 when none does. Harmonic h is :func:`_harmonic_peak`, the
    peak of the harmonic before excluded (F0's is ``c0``)."""
    lo = f * (1.0 - FORMANT_HARMONIC_RANGE)
    hi = f * (1.0 + FORMANT_HARMONIC_RANGE)
    best = 0.0
    n_bins = mag.shape[0]
    prev = c0
    if lo <= c0 * df <= hi:
        best = mag[c0]
    h = 2
    while True:
        # a harmonic's window starts half an F0 and half a bin below it; a vertex lies within
        # half a bin of its peak: past these, no later harmonic can be in range
        start = (h - 0.5) * w - 0.5
        if start >= n_bins - 1 or (start - 0.5) * df > hi:
            break
        c = _harmonic_peak(mag, w, h, prev)
        if c >= 0:
            prev = c
            level, pos = _peak_vertex(mag, c)
            if lo <= pos * df <= hi and level > best:
                best = level
        h += 1
    return best


@njit
def _quality_row(mag, acf, f0, df, sr, f3, out):
    """HNR, H1-H2 and H1-A3 of one frame (:func:`voiced_quality_levels`; ``f0`` not > 0:
    zeros)."""
    for j in range(5):
        out[j] = 0.0
    if not f0 > 0.0:
        return
    period = sr / f0
    # HNR: the autocorrelation at the positive local maximum nearest the period in whole
    # samples, ``int(sr / f0)`` (the earlier of two equally near), none: no value (measured
    # on openSMILE's HNR LLD: every one of 1,218 frames of the 20 test files whose F0
    # and neighbours agree, within 1e-3 dB; 0.973 with the largest value within 0.8-1.2
    # periods where that is a local maximum). Not the largest value: under a DC offset the
    # autocorrelation falls through the period, so a ripple peak near 0.8 periods is the
    # largest there, and openSMILE reads the one at the period
    n_acf = acf.shape[0]
    if acf[0] > 0.0:
        # outward from the period, the earlier lag first at each distance: the first
        # maximum met is the nearest (a scan of every lag: 0.512 s for the functionals of 100
        # files against 0.483 s, medians of 5 interleaved passes, the same values)
        k_period = int(period)
        k_best = -1
        for dist in range(max(k_period, n_acf - 1 - k_period)):
            for k in (k_period - dist, k_period + dist):
                if (1 <= k < n_acf - 1 and acf[k] > 0.0 and acf[k] > acf[k - 1]
                        and acf[k] >= acf[k + 1]):
                    k_best = k
                    break
            if k_best >= 0:
                break
        if k_best >= 0:
            r = min(max(acf[k_best] / acf[0], 1e-9), 1.0 - 1e-9)
            out[0] = 10.0 * np.log10(r / (1.0 - r))
    # harmonic levels as openSMILE's harmonics component takes them (measured):
    # harmonic h (h F0, 1-based) is the peak of :func:`_harmonic_peak`, its level the
    # parabola's vertex through that peak. "H1-H2" is harmonics 2 and 3 (openSMILE counts F0
    # as H0); A3 the highest harmonic within FORMANT_HARMONIC_RANGE of F3 (none: no value).
    # Without F0's own peak neither has a value; a missing harmonic 2 or 3 enters at
    # HARMONIC_MISSING_DB below F0's peak (the other term capped at HARMONIC_CAP_DB above
    # it), where openSMILE writes +-(200 + ...) dB
    w = f0 / df
    c0 = _harmonic_peak(mag, w, 1, -1)
    if c0 < 0:
        return
    h0 = mag[c0]
    c2 = _harmonic_peak(mag, w, 2, c0)
    c3 = _harmonic_peak(mag, w, 3, c2 if c2 >= 0 else c0)
    h2 = _peak_vertex(mag, c2)[0] if c2 >= 0 else 0.0
    h3 = _peak_vertex(mag, c3)[0] if c3 >= 0 else 0.0
    if h0 <= 0.0:
        return
    if h2 > 0.0 and h3 > 0.0:
        out[1] = 20.0 * np.log10(h2 / h3)
    elif h2 > 0.0:
        out[1] = HARMONIC_MISSING_DB + min(20.0 * np.log10(h2 / h0), HARMONIC_CAP_DB)
    elif h3 > 0.0:
        out[1] = -HARMONIC_MISSING_DB - min(20.0 * np.log10(h3 / h0), HARMONIC_CAP_DB)
    if f3 > 0.0:
        a3 = _formant_harmonic(mag, w, c0, df, f3)
        if a3 > 0.0:
            if h2 > 0.0:
                out[2] = 20.0 * np.log10(h2 / a3)
            else:
                out[2] = -HARMONIC_MISSING_DB - min(20.0 * np.log10(a3 / h0), HARMONIC_CAP_DB)


@njit
def _levinson(r, order, a, tmp):
    """Levinson-Durbin: ``a[0..order]`` (``a[0] = 1``) of the predictor of autocorrelation
    ``r``; returns the residual energy (0 when ``r[0]`` is 0). ``tmp``: scratch of
    ``order + 1``."""
    for i in range(order + 1):
        a[i] = 0.0
    a[0] = 1.0
    err = r[0]
    if err <= 0.0:
        return 0.0
    for i in range(1, order + 1):
        acc = r[i]
        for j in range(1, i):
            acc += a[j] * r[i - j]
        k = -acc / err
        for j in range(i + 1):
            tmp[j] = a[j]
        for j in range(1, i):
            a[j] = tmp[j] + k * tmp[i - j]
        a[i] = k
        err *= 1.0 - k * k
        if err <= 0.0:
            return 0.0
    return err


@njit(inline="always")
def _horner_complex(coef, n, xr, xm):
    """The monic polynomial ``coef`` (degree ``n``, ``coef[0]`` = 1) and its derivative at
    ``xr + i xm`` by Horner's rule in real arithmetic: ``(p.real, p.imag, p'.real,
    p'.imag)``."""
    pr = 1.0
    pm = 0.0
    dr = 0.0
    dm = 0.0
    for k in range(1, n + 1):
        tr = dr * xr - dm * xm + pr
        dm = dr * xm + dm * xr + pm
        dr = tr
        tr = pr * xr - pm * xm + coef[k]
        pm = pr * xm + pm * xr
        pr = tr
    return pr, pm, dr, dm


@njit
def poly_roots(coef, z, max_iter=200, tol=1e-9):
    """Roots of the monic polynomial ``z**n + coef[1] z**(n-1) + ... + coef[n]`` (``coef``
    real) by the Aberth-Ehrlich iteration, in place in ``z`` (complex, length ``n``), which
    holds the starting values (the previous frame's roots make a good start). Returns the
    number of iterations, or -1 if it did not converge (``z`` then holds the last iterate).

    The arithmetic is written out on real and imaginary parts (real coefficients in Horner's
    scheme, reciprocals as ``conj(d) / |d|**2``): the same iteration as complex arithmetic
    with Numba's scaled division, about 2x faster; the converged roots agree with it to
    rounding (the iteration stops at steps below ``tol``, and it converges cubically)."""
    n = z.shape[0]
    zr = np.empty(n, dtype=np.float64)
    zm = np.empty(n, dtype=np.float64)
    for i in range(n):
        zr[i] = z[i].real
        zm[i] = z[i].imag
    tol2 = tol * tol
    done = np.zeros(n, dtype=np.bool_)
    res = -1
    for it in range(max_iter):
        worst = 0.0
        for i in range(n):
            if done[i]:  # its last step was below tol; it stays where it is
                continue
            xr = zr[i]
            xm = zm[i]
            pr, pm, dr, dm = _horner_complex(coef, n, xr, xm)
            if pr == 0.0 and pm == 0.0:
                continue
            den = dr * dr + dm * dm
            if den == 0.0:
                rr = 1e-3
                rm = 0.0
            elif den > 1e-280:
                sc = 1.0 / den
                rr = (pr * dr + pm * dm) * sc
                rm = (pm * dr - pr * dm) * sc
            else:  # tiny derivative: scaled complex division
                rat = complex(pr, pm) / complex(dr, dm)
                rr = rat.real
                rm = rat.imag
            ar = 0.0
            am = 0.0
            for j in range(n):
                if j != i:
                    er = xr - zr[j]
                    em = xm - zm[j]
                    if er == 0.0 and em == 0.0:
                        er = 1e-12
                    sc = 1.0 / (er * er + em * em)
                    ar += er * sc
                    am -= em * sc
            qr = 1.0 - (rr * ar - rm * am)
            qm = -(rr * am + rm * ar)
            den = qr * qr + qm * qm
            if den > 1e-280:
                sc = 1.0 / den
                wr = (rr * qr + rm * qm) * sc
                wm = (rm * qr - rr * qm) * sc
            else:
                w = complex(rr, rm) / complex(qr, qm)
                wr = w.real
                wm = w.imag
            zr[i] = xr - wr
            zm[i] = xm - wm
            w2 = wr * wr + wm * wm
            worst = max(worst, w2)
            if w2 < tol2:
                done[i] = True
        if worst < tol2:
            res = it + 1
            break
    for i in range(n):
        z[i] = complex(zr[i], zm[i])
    return res


@njit
def poly_roots_real(coef, ur, um, nc, xr, nr, done, max_iter=12, tol=1e-9):
    """:func:`poly_roots` for a real polynomial whose roots are known to be ``nc`` complex
    conjugate pairs and ``nr`` real roots (``2 nc + nr`` = the degree): the Aberth-Ehrlich
    iteration on one root of each pair (``ur + i um``, ``um > 0``) and on the real roots
    (``xr``), in place, each correction summing over the whole conjugate-closed set.

    This is the same iteration as :func:`poly_roots` started from a conjugate-symmetric set
    (which it keeps symmetric in exact arithmetic), at half the cost: half the polynomial
    evaluations, and real arithmetic for real roots. It cannot change the structure (a pair
    cannot become two real roots or the reverse): when the warm start has the wrong
    structure it does not converge (returns -1), or pair ``i`` reaches the real axis
    (returns ``-2 - i``), and the caller changes the structure or runs :func:`poly_roots` on
    all the roots. Returns the number of iterations when it converged (the arrays hold the
    last iterate in every case). ``done``: boolean scratch as long as the degree.
    """
    n = coef.shape[0] - 1
    tol2 = tol * tol
    for i in range(n):
        done[i] = False
    done_c = done[:nc]
    done_r = done[nc:]
    for it in range(max_iter):
        worst = 0.0
        for i in range(nc):
            if done_c[i]:
                continue
            xre = ur[i]
            xim = um[i]
            pr, pm, dr, dm = _horner_complex(coef, n, xre, xim)
            if pr == 0.0 and pm == 0.0:
                done_c[i] = True
                continue
            den = dr * dr + dm * dm
            if not den > 1e-280:
                return -1
            sc = 1.0 / den
            rr = (pr * dr + pm * dm) * sc
            rm = (pm * dr - pr * dm) * sc
            ar = 0.0
            am = 0.0
            for j in range(nc):
                er = xre - ur[j]
                if j != i:  # the other pair's root in this half plane
                    em = xim - um[j]
                    sc = 1.0 / (er * er + em * em)
                    ar += er * sc
                    am -= em * sc
                em = xim + um[j]  # and its conjugate (this root's own included)
                sc = 1.0 / (er * er + em * em)
                ar += er * sc
                am -= em * sc
            for j in range(nr):
                er = xre - xr[j]
                sc = 1.0 / (er * er + xim * xim)
                ar += er * sc
                am -= xim * sc
            qr = 1.0 - (rr * ar - rm * am)
            qm = -(rr * am + rm * ar)
            den = qr * qr + qm * qm
            if not den > 1e-280:
                return -1
            sc = 1.0 / den
            wr = (rr * qr + rm * qm) * sc
            wm = (rm * qr - rr * qm) * sc
            ur[i] = xre - wr
            um[i] = xim - wm
            if not um[i] > 0.0:  # the pair reached the real axis: wrong structure
                return -2 - i
            w2 = wr * wr + wm * wm
            worst = max(worst, w2)
            if w2 < tol2:
                done_c[i] = True
        for i in range(nr):
            if done_r[i]:
                continue
            x = xr[i]
            p = 1.0
            d = 0.0
            for k in range(1, n + 1):
                d = d * x + p
                p = p * x + coef[k]
            if p == 0.0:
                done_r[i] = True
                continue
            if d == 0.0:
                return -1
            r = p / d
            a = 0.0
            for j in range(nr):
                if j != i:
                    e = x - xr[j]
                    if e == 0.0:
                        return -1
                    a += 1.0 / e
            for j in range(nc):  # 1/(x - w) + 1/(x - conj w) = 2 Re(1/(x - w))
                er = x - ur[j]
                a += 2.0 * er / (er * er + um[j] * um[j])
            q = 1.0 - r * a
            if q == 0.0:
                return -1
            w = r / q
            xr[i] = x - w
            worst = max(worst, w * w)
            if w * w < tol2:
                done_r[i] = True
        if not worst == worst:  # NaN
            return -1
        if worst < tol2:
            return it + 1
    return -1


@njit
def _cold_start(z):
    n = z.shape[0]
    for i in range(n):
        ang = 2.0 * np.pi * (i + 0.25) / n + 0.4
        z[i] = 0.9 * np.exp(1j * ang)



@njit
def _split_roots(z, ur, um, xr):
    """The roots ``z`` of a real polynomial as pairs (``ur + i um``, ``um > 0``) and real
    roots (``|imag| <= 1e-8``: the iteration leaves real roots a few ULP off the axis);
    returns the number of pairs, or -1 when the two half planes do not pair up."""
    nc = 0
    nr = 0
    nneg = 0
    for i in range(z.shape[0]):
        re = z[i].real
        im = z[i].imag
        if abs(im) <= 1e-8:
            xr[nr] = re
            nr += 1
        elif im > 0.0:
            ur[nc] = re
            um[nc] = im
            nc += 1
        else:
            nneg += 1
    return nc if nneg == nc else -1


@njit
def _flip_structure(ur, um, nc, xr, nr, pair):
    """Turn pair ``pair`` into two real roots (``ur +- um``); with ``pair`` -1, the two
    nearest real roots into a pair, or with fewer than two, the pair nearest the real axis
    into two real roots. Returns the new number of pairs (-1: nothing to turn)."""
    if pair < 0 and nr < 2 and nc >= 1:
        pair = 0
        for i in range(1, nc):
            if um[i] < um[pair]:
                pair = i
    if pair >= 0:
        if pair >= nc:
            return -1
        k = pair
        xr[nr] = ur[k] - um[k]
        xr[nr + 1] = ur[k] + um[k]
        ur[k] = ur[nc - 1]
        um[k] = um[nc - 1]
        return nc - 1
    if nr < 2:
        return -1
    i0 = 0
    i1 = 1
    best = abs(xr[0] - xr[1])
    for i in range(nr):
        for j in range(i + 1, nr):
            if abs(xr[i] - xr[j]) < best:
                best = abs(xr[i] - xr[j])
                i0 = i
                i1 = j
    ur[nc] = 0.5 * (xr[i0] + xr[i1])
    um[nc] = max(0.5 * best, 1e-3)
    m = 0
    for i in range(nr):
        if i != i0 and i != i1:
            xr[m] = xr[i]
            m += 1
    return nc + 1

@njit
def lpc_formants(acf, rows, order, fs, fmin, fmax, n_formants, freq, bw, skip_keeps_warm):
    """Formants from autocorrelations ``acf`` (one row per frame, lag 0 first) sampled at
    ``fs``: LPC ``1 + sum a_k z^-k`` of ``order`` by Levinson-Durbin, then, as openSMILE's
    formant columns (measured on its own LPC output, docs/egemaps.md, "openSMILE's formant
    path (frequencies and bandwidths)"), the roots
    of ``1 - sum a_k z^-k`` (Aberth iteration, warm-started from the previous frame): the
    roots in the upper half plane give frequency ``angle fs / 2 pi`` and bandwidth ``|ln|z||
    fs / pi`` (roots may lie outside the unit circle); the lowest ``n_formants`` with
    frequency in ``(fmin, fmax)``. Only frames with ``rows[t]`` set are
    analysed; missing formants (and skipped frames) are NaN. With ``skip_keeps_warm`` a
    skipped frame does not end the warm start (the next analysed frame starts from the last
    analysed one's roots: the same as analysing the selected rows packed together).
    """
    n_frames = acf.shape[0]
    a = np.empty(order + 1, dtype=np.float64)
    z = np.empty(order, dtype=np.complex128)
    fr = np.empty(order, dtype=np.float64)
    which = np.empty(order, dtype=np.int64)
    tmp = np.empty(order + 1, dtype=np.float64)
    done = np.empty(order, dtype=np.bool_)
    # the previous frame's roots as conjugate pairs (one of each: ur + i um) and real roots
    ur = np.empty(order, dtype=np.float64)
    um = np.empty(order, dtype=np.float64)
    xr = np.empty(order, dtype=np.float64)
    nc = -1  # pairs in the previous frame's roots; -1: not known (then the full search)
    nr = 0
    warm = False
    for t in range(n_frames):
        for i in range(n_formants):
            freq[t, i] = np.nan
            bw[t, i] = np.nan
        if not rows[t]:
            if not skip_keeps_warm:
                warm = False
            continue
        if _levinson(acf[t], order, a, tmp) <= 0.0:
            warm = False
            continue
        for i in range(1, order + 1):
            a[i] = -a[i]
        # warm: first the half-cost search on the previous frame's pairs and real roots
        # (the same iteration restricted to conjugate-symmetric sets); when the structure
        # changed (a pair split into two real roots or the reverse), the search on all the
        # roots from the previous frame's, as before
        ok = False
        if warm and nc >= 0:
            res = poly_roots_real(a, ur, um, nc, xr, nr, done)
            ok = res > 0
            if not ok:
                # the structure changed (often a pair near the real axis that splits into
                # two real roots, or the reverse): retry once from the previous frame's
                # roots with the nearest pair split, or the two nearest real roots paired
                nc = _split_roots(z, ur, um, xr)
                nr = order - 2 * nc
                if nc >= 0:
                    nc = _flip_structure(ur, um, nc, xr, nr, -res - 2 if res <= -2 else -1)
                    nr = order - 2 * nc
                    ok = nc >= 0 and poly_roots_real(a, ur, um, nc, xr, nr, done) > 0
        if ok:
            for i in range(nc):
                z[i] = complex(ur[i], um[i])
                z[nc + i] = complex(ur[i], -um[i])
            for i in range(nr):
                z[2 * nc + i] = xr[i]
        else:
            if not warm:
                _cold_start(z)
            else:
                for i in range(order):  # nudge equal roots apart (conjugate real pairs)
                    z[i] = z[i] * (1.0 + 1e-7 * (i + 1)) + 1e-9j * (i + 1)
            if poly_roots(a, z) < 0:
                _cold_start(z)
                if poly_roots(a, z) < 0:
                    warm = False
                    continue
            nc = _split_roots(z, ur, um, xr)
            nr = order - 2 * nc
        warm = True
        # the lowest n_formants roots in range by insertion (no sort array allocated), the
        # bandwidth's logarithm only for them
        m = 0
        for i in range(order):
            zi = z[i]
            if zi.imag <= 0.0:
                continue
            f = np.arctan2(zi.imag, zi.real) * fs / (2.0 * np.pi)
            if f <= fmin or f >= fmax:
                continue
            j = m
            while j > 0 and fr[j - 1] > f:
                fr[j] = fr[j - 1]
                which[j] = which[j - 1]
                j -= 1
            fr[j] = f
            which[j] = i
            m += 1
        for i in range(min(m, n_formants)):
            freq[t, i] = fr[i]
            bw[t, i] = abs(np.log(abs(z[which[i]]))) * fs / np.pi


@njit
def sma3(x, out):
    """3-frame moving average of each column; the edges repeat the first / last frame."""
    n, d = x.shape
    for j in range(d):
        for t in range(n):
            a = x[t - 1, j] if t > 0 else x[0, j]
            b = x[t + 1, j] if t + 1 < n else x[n - 1, j]
            out[t, j] = (a + x[t, j] + b) / 3.0


@njit
def sma3nz(x, out):
    """3-frame moving average over non-zero frames only; zero frames stay zero. The first
    frame repeats itself before the signal (measured: openSMILE's LLD table and voiced
    functionals where a file is voiced from its first row; the last rows are never read)."""
    n, d = x.shape
    for j in range(d):
        for t in range(n):
            if x[t, j] == 0.0:
                out[t, j] = 0.0
                continue
            acc = x[t, j]
            cnt = 1
            if t == 0 or x[t - 1, j] != 0.0:
                acc += x[t - 1, j] if t > 0 else x[0, j]
                cnt += 1
            if t + 1 < n and x[t + 1, j] != 0.0:
                acc += x[t + 1, j]
                cnt += 1
            out[t, j] = acc / cnt


@njit
def _levels_row(mag, f0, ffreq, df, out):
    """The formant levels of one frame (:func:`voiced_quality_levels`): the highest
    harmonic near each formant (:func:`_formant_harmonic`) over the magnitude of F0's peak
    (:func:`_harmonic_peak`; measured: that peak's own magnitude, not its parabola's
    vertex, is openSMILE's reference); 0 without that formant or harmonic, and 0 dB (also
    left out) where F0's own peak is the highest in range; ``AMP_UNVOICED`` (-201) for all
    three where F0 has no peak, as openSMILE writes."""
    n_form = ffreq.shape[0]
    for i in range(n_form):
        out[i] = 0.0
    if not f0 > 0.0:
        return
    w = f0 / df
    c0 = _harmonic_peak(mag, w, 1, -1)
    if c0 < 0:
        for i in range(n_form):
            out[i] = AMP_UNVOICED
        return
    h0 = mag[c0]
    if h0 <= 0.0:
        return
    for i in range(n_form):
        if not np.isfinite(ffreq[i]):
            continue
        a = _formant_harmonic(mag, w, c0, df, ffreq[i])
        if a > 0.0:
            out[i] = 20.0 * np.log10(a / h0)


@njit
def voiced_quality_levels(mag, acf, where, voiced, f0, ffreq, a, b, df, sr, voice, levels):
    """Per voiced 60 ms frame ``t`` of ``a .. b - 1``, from its magnitude spectrum and
    autocorrelation ``mag[i]``, ``acf[i]`` with ``i = where[t - a]``: ``voice[t]`` = [HNR (dB),
    "H1-H2", "H1-A3" (dB), 0, 0] (jitter and shimmer come from :func:`period_jitter`) and
    ``levels[t]`` = the three formant levels, the formants read from ``ffreq[t]`` (NaN:
    none). Unvoiced rows are left as they are. Returns False, writing nothing, when a voiced
    row has no spectrum (``where`` < 0).

    HNR = ``10 log10(r / (1 - r))`` with ``r`` the normalised autocorrelation at the
    positive local maximum nearest the pitch period in whole samples (``int(sr / f0)``, the
    earlier of two equally near; 0, no value, without one). The harmonic levels
    follow openSMILE's harmonics component as measured (see the module docs):
    harmonic h is the spectral peak closest to the bin of h F0 at its parabola's vertex;
    ``H1-H2`` = harmonic 2 over
    harmonic 3, ``H1-A3`` = harmonic 2 over the highest harmonic within 20 % of F3, a
    formant level the highest harmonic within 20 % of the formant over the magnitude of the
    peak closest to F0's bin (0 without that formant or harmonic)."""
    for t in range(a, b):
        if voiced[t] and where[t - a] < 0:
            return False
    for t in range(a, b):
        if not voiced[t]:
            continue
        i = where[t - a]
        _quality_row(mag[i], acf[i], f0[t], df, sr, ffreq[t, 2], voice[t])
        _levels_row(mag[i], f0[t], ffreq[t], df, levels[t])
    return True


@njit
def formant_spectra(spec, rows, shift, out):
    """The spectra openSMILE's formant frames are resynthesised from (its resampling to
    11 kHz, measured: docs/egemaps.md, "openSMILE's formant path (frequencies and
    bandwidths)"). For each ``i``, with ``t = rows[i]``:
    ``out[i, k] = spec[t, k] * shift[k]`` for ``0 < k < K`` (``K = shift.shape[0]``),
    ``out[i, 0]`` twice the real part of ``spec[t, 0]`` and 0 from ``K`` on, so that
    ``irfft(out[i], n)[m]`` is ``2 / n`` times the real part of ``sum_(k < K) spec[t, k]
    shift[k] exp(2 pi i k m / n)``."""
    n_bins = shift.shape[0]
    width = out.shape[1]
    for i in range(rows.shape[0]):
        t = rows[i]
        row = out[i]
        row[0] = 2.0 * spec[t, 0].real
        for k in range(1, n_bins):
            row[k] = spec[t, k] * shift[k]
        for k in range(n_bins, width):
            row[k] = 0.0


@njit
def resampled_acf(x, n, rows, out):
    """``out[rows[i], l] = sum_(j < n - l) x[i, j] x[i, j + l]`` (lags ``l < out.shape[1]``):
    the autocorrelation of the first ``n`` samples of each row of ``x``, into the rows
    ``rows`` of ``out`` (the others are left as they are)."""
    n_lags = out.shape[1]
    acc = np.empty(n_lags, dtype=np.float64)
    for i in range(rows.shape[0]):
        t = rows[i]
        xi = x[i]
        # every lag at once (n_lags independent sums, each in order of j): one chain per lag
        # lag by lag was latency-bound
        for lag in range(n_lags):
            acc[lag] = 0.0
        m = max(0, n - n_lags + 1)  # j below m: every lag's term exists
        for j in range(m):
            xj = xi[j]
            for lag in range(n_lags):
                acc[lag] += xj * xi[j + lag]
        for j in range(m, n):
            xj = xi[j]
            for lag in range(n - j):
                acc[lag] += xj * xi[j + lag]
        for lag in range(n_lags):
            out[t, lag] = acc[lag]


@njit
def clear_silent_frames(y, hop, n, thr, a, sel):
    """``sel[t - a] = False`` for the frames ``t`` (``n`` samples from ``t * hop``, zeros past
    the end of ``y``) whose every sample is below ``thr`` in magnitude."""
    n_y = y.shape[0]
    for i in range(sel.shape[0]):
        if not sel[i]:
            continue
        s = (a + i) * hop
        e = min(n_y, s + n)
        quiet = True
        for j in range(s, e):
            if abs(y[j]) >= thr:
                quiet = False
                break
        if quiet:
            sel[i] = False


@njit
def frame_power(y, n, hop, n_frames, out):
    """Mean square of ``n``-sample frames every ``hop`` samples (zeros past the end)."""
    total = y.shape[0]
    for t in range(n_frames):
        s = t * hop
        acc = 0.0
        for j in range(s, min(s + n, total)):
            acc += y[j] * y[j]
        out[t] = acc / n


@njit(inline="always")
def _hop_sums(y, hop, n_hops):
    """The sum of squares of each ``hop``-sample stretch of ``y`` (0 past its end).

    Four full hops side by side: each hop's sum is a chain of ``hop``
    dependent additions, latency-bound one hop at a time; each keeps its terms in order (the
    same bits)."""
    total = y.shape[0]
    part = np.zeros(n_hops, dtype=np.float64)
    n_full = min(n_hops, total // hop)  # hops that lie wholly inside y
    n4 = n_full - n_full % 4
    for k in range(0, n4, 4):
        y0 = y[k * hop : (k + 1) * hop]
        y1 = y[(k + 1) * hop : (k + 2) * hop]
        y2 = y[(k + 2) * hop : (k + 3) * hop]
        y3 = y[(k + 3) * hop : (k + 4) * hop]
        a0 = 0.0
        a1 = 0.0
        a2 = 0.0
        a3 = 0.0
        for j in range(hop):
            a0 += y0[j] * y0[j]
            a1 += y1[j] * y1[j]
            a2 += y2[j] * y2[j]
            a3 += y3[j] * y3[j]
        part[k] = a0
        part[k + 1] = a1
        part[k + 2] = a2
        part[k + 3] = a3
    for k in range(n4, n_hops):
        acc = 0.0
        for j in range(k * hop, min((k + 1) * hop, total)):
            acc += y[j] * y[j]
        part[k] = acc
    return part


@njit
def frame_power_hops(y, hops_per_frame, hop, n_frames, out):
    """:func:`frame_power` of ``hops_per_frame * hop``-sample frames every ``hop`` samples,
    from the sums of squares of each hop (each sample squared once instead of once per frame
    it falls in: the same values up to rounding, ~1e-16 relative)."""
    part = _hop_sums(y, hop, n_frames + hops_per_frame - 1)
    n = hops_per_frame * hop
    for t in range(n_frames):
        acc = 0.0
        for k in range(t, t + hops_per_frame):
            acc += part[k]
        out[t] = acc / n


@njit
def long_power_gate(y, hop, hops_per_frame, window, w2_lo, w2_hi, n_fft, thr, n_frames,
                    msq, gate):
    """The mean square of each ``hops_per_frame * hop``-sample frame every ``hop`` samples
    into ``msq`` (:func:`frame_power_hops`'s values, bit for bit), and into ``gate`` whether
    the frame times ``window`` (zeros past the end of ``y``), its sum of squares divided by
    ``n_fft`` (the frame's length, not the zero-padded FFT's: openSMILE's gate, measured),
    is above ``thr``. ``w2_lo[k]`` / ``w2_hi[k]``: the least / largest squared window value
    within hop ``k`` of the frame, so that the per-hop sums of squares bound the windowed
    power from both sides; only frames the bounds leave undecided are windowed sample by
    sample (a few near the threshold)."""
    total = y.shape[0]
    w = window.shape[0]
    part = _hop_sums(y, hop, n_frames + hops_per_frame - 1)
    n = hops_per_frame * hop
    for t in range(n_frames):
        acc = 0.0
        lo = 0.0
        hi = 0.0
        for k in range(hops_per_frame):
            acc += part[t + k]
            lo += part[t + k] * w2_lo[k]
            hi += part[t + k] * w2_hi[k]
        msq[t] = acc / n
        # the bounds with a margin for their rounding: a frame within 1e-9 of the
        # threshold is windowed exactly
        if lo * (1.0 - 1e-9) > thr * n_fft:
            gate[t] = True
        elif hi * (1.0 + 1e-9) <= thr * n_fft:
            gate[t] = False
        else:
            s = t * hop
            m = min(w, max(0, total - s))
            seg = y[s : s + m]
            e = 0.0
            for j in range(m):
                v = seg[j] * window[j]
                e += v * v
            gate[t] = e / n_fft > thr


@njit
def gather_frames(y, rows, hop, window, out):
    """``out[i, :len(window)] = window * y[rows[i] * hop : ... + len(window)]`` (zeros past
    the end of ``y``), the rest of each row zero: windowed frames of selected rows, padded
    for the FFT."""
    n = y.shape[0]
    w = window.shape[0]
    width = out.shape[1]
    for i in range(rows.shape[0]):
        s = rows[i] * hop
        m = min(w, max(0, n - s))
        # slices: indices known non-negative, so the loops vectorise (same products)
        ys = y[s : s + m]
        row = out[i]
        for j in range(m):
            row[j] = ys[j] * window[j]
        for j in range(m, width):
            row[j] = 0.0


@njit
def magnitude_dct1_input(spec, mag, power, u, s1, sin_tab, cos_tab):
    """``mag = |spec|`` and the input of the DCT-I of the power ``p = mag * mag`` (the
    square of the rounded magnitude, as ``numpy.multiply`` gives; ``m = N + 1`` bins, ``N``
    even) as a real FFT of ``N`` points instead of ``2 N`` (the even extension):
    ``u[j] = (p[j] + p[N-j]) / 2 - sin(pi j / N) (p[j] - p[N-j])``, ``j = 0 .. N - 1``, and
    ``s1`` = the DCT's lag 1 (halved): ``(p[0] - p[N]) / 2 + sum_{0 < j < N/2} cos(pi j / N)
    (p[j] - p[N-j])``. ``power``: a scratch row of ``m`` values. :func:`dct1_output`
    finishes the transform."""
    n, m = spec.shape
    big = m - 1
    h = big // 2
    for i in range(n):
        for k in range(m):
            re = spec[i, k].real
            im = spec[i, k].imag
            a = np.sqrt(re * re + im * im)
            mag[i, k] = a
            power[k] = a * a
        ui = u[i]
        p0 = power[0]
        pn = power[big]
        ui[0] = 0.5 * (p0 + pn)
        ui[h] = power[h]
        acc = 0.5 * (p0 - pn)
        # the mirrored half through unsigned indices (no negative-index fix-up per load)
        for j in range(1, h):
            r = np.uint64(big - j)
            a = power[j]
            b = power[r]
            d = a - b
            c = 0.5 * (a + b)
            w = sin_tab[j] * d
            ui[j] = c - w
            ui[r] = c + w
            acc += cos_tab[j] * d
        s1[i] = acc


@njit
def dct1_output(f, s1, acf):
    """The first ``acf.shape[1]`` values of the DCT-I ``X[k] = p[0] + (-1)^k p[N] +
    2 sum_{0<j<N} p[j] cos(pi j k / N)`` from ``f`` = the real FFT of
    :func:`magnitude_dct1_input`'s ``u``: ``X[2k] = 2 Re f[k]``, ``X[1] = 2 s1``,
    ``X[2k+1] = X[2k-1] - 2 Im f[k]`` (Numerical Recipes' ``cosft1``; the running sum keeps
    the odd lags within ~1e-14 of ``X[0]`` of the direct transform, measured)."""
    n, n_lags = acf.shape
    for i in range(n):
        fi = f[i]
        row = acf[i]
        y = s1[i]
        row[0] = 2.0 * fi[0].real
        for k in range(1, n_lags):
            if k % 2 == 1:
                if k > 1:
                    y -= fi[k // 2].imag
                row[k] = 2.0 * y
            else:
                row[k] = 2.0 * fi[k // 2].real


@njit
def dilate(v, k, out):
    """``out[t]`` set where any of ``v[t - k : t + k + 1]`` is set."""
    n = v.shape[0]
    for t in range(n):
        out[t] = False
    for t in range(n):
        if v[t]:
            for u in range(max(0, t - k), min(n, t + k + 1)):
                out[u] = True


@njit
def _finite(x):
    """``numpy.nan_to_num`` of one value: NaN -> 0, +-inf -> +-the largest float."""
    if x != x:
        return 0.0
    if x == np.inf:
        return 1.7976931348623157e308
    if x == -np.inf:
        return -1.7976931348623157e308
    return x


@njit
def pack_formants(freq, bw, levels, out):
    """``out[:, 3 i], out[:, 3 i + 1], out[:, 3 i + 2]`` = ``nan_to_num`` of formant ``i``'s
    frequency and bandwidth, and its level."""
    for t in range(freq.shape[0]):
        for i in range(freq.shape[1]):
            out[t, 3 * i] = _finite(freq[t, i])
            out[t, 3 * i + 1] = _finite(bw[t, i])
            out[t, 3 * i + 2] = levels[t, i]


@njit(inline="always")
def _peak_to_peak(y, a, b):
    """``max - min`` of ``y[a:b]``."""
    hi = y[a]
    lo = y[a]
    for k in range(a + 1, b):
        v = y[k]
        hi = max(hi, v)
        lo = min(lo, v)
    return hi - lo


@njit
def period_jitter(y, voiced, f0, hop, sr, search, min_cc, limit, first, jitter, shimmer):
    """Jitter and shimmer of the glottal periods chained through each voiced run of ``y``,
    openSMILE's ``cPitchJitter`` as measured on its own outputs (docs/egemaps.md,
    "openSMILE's jitter path" and "openSMILE's period chain, measured": its component run
    as a black box with its period dump and per-frame
    outputs; on its own F0 this reproduces its jitter and shimmer in 98.9 % of the frames).

    A voiced run's first frame starts the chain at sample ``s = hop t``. Each period
    compares the ``L`` samples from ``s`` with the ``L`` that follow, for every whole lag
    ``L`` from ``lo = int((1 - search) T0)`` to ``hi = int((1 + search) T0)`` (``T0 = sr /
    f0[t]`` of the frame that takes the period), by their Pearson correlation (each
    window's own mean removed). The period's lag is the largest interior local maximum of
    that curve; its length and correlation are the vertex of the parabola through it and
    its neighbours. A curve without an interior maximum (the best lag at either end, or a
    silent window) is not a period: the chain steps ``round(T0)`` samples on. Otherwise it
    steps the whole lag on, and the period is accepted when its correlation reaches
    ``min_cc``. Frame ``t`` takes periods while ``s + 2 hi < hop t + limit``, and at least
    one when its run starts there or the chain lies before ``hop t + first``.

    A frame's jitter is the mean ``|L_k - L_(k-1)|`` over its accepted periods that have an
    accepted predecessor (possibly from an earlier frame of the run) over the mean ``L_k`` of
    its accepted periods; its shimmer ``20 log10(1 + r)``, ``r`` = sum ``|A2 - A1|`` / sum
    ``(A1 + A2) / 2`` over them, ``A1`` and ``A2`` the peak-to-peak amplitudes of the two
    windows of the period's whole lag without their first and last samples (both ratios
    capped at 1, as openSMILE's). A frame that takes no period has jitter 0 and the run's
    last shimmer; one whose periods are all rejected repeats the run's last values (0
    before the first); unvoiced frames are 0 and end the run."""
    n_frames = voiced.shape[0]
    n = y.shape[0]
    acc = np.empty(0, dtype=np.float64)
    cc = np.empty(0, dtype=np.float64)
    pre = np.empty(0, dtype=np.float64)
    pre2 = np.empty(0, dtype=np.float64)
    s = -1
    prev_l = 0.0
    last_j = 0.0
    last_s = 0.0
    for t in range(n_frames):
        if not voiced[t] or f0[t] <= 0.0:
            s = -1
            prev_l = 0.0
            last_j = 0.0
            last_s = 0.0
            jitter[t] = 0.0
            shimmer[t] = 0.0
            continue
        t0 = sr / f0[t]
        lo = int((1.0 - search) * t0)
        hi = int((1.0 + search) * t0)
        n_l = hi - lo + 1
        fresh = s < 0
        if fresh:
            s = hop * t
            prev_l = 0.0
        if acc.shape[0] < n_l:
            acc = np.empty(2 * n_l, dtype=np.float64)
            cc = np.empty(2 * n_l, dtype=np.float64)
        if pre.shape[0] < 2 * hi + 1:
            pre = np.empty(4 * hi + 2, dtype=np.float64)
            pre2 = np.empty(4 * hi + 2, dtype=np.float64)
        cnt = 0
        sum_dl = 0.0
        n_dl = 0
        sum_l = 0.0
        n_acc = 0
        sum_da = 0.0
        sum_a = 0.0
        while True:
            if s + 2 * hi >= hop * t + limit and (cnt > 0 or not (fresh or s < hop * t + first)):
                break
            if lo < 2 or s + 2 * hi > n:
                break
            cnt += 1
            # running sums of the samples and their squares from s (window means and
            # energies of every lag), cross terms of every lag side by side
            pre[0] = 0.0
            pre2[0] = 0.0
            for j in range(2 * hi):
                v = y[s + j]
                pre[j + 1] = pre[j] + v
                pre2[j + 1] = pre2[j] + v * v
            for l in range(n_l):
                acc[l] = 0.0
            for j in range(hi):
                u = y[s + j]
                # lag lo + l uses sample j of its first window while j < lo + l
                l0 = max(0, j - lo + 1)
                yv = y[s + lo + j:]
                for l in range(l0, n_l):
                    acc[l] += u * yv[l]
            for l in range(n_l):
                lag = lo + l
                sa = pre[lag]
                sb = pre[2 * lag] - pre[lag]
                va = pre2[lag] - sa * sa / lag
                vb = pre2[2 * lag] - pre2[lag] - sb * sb / lag
                den = va * vb
                if den > 0.0:
                    cc[l] = (acc[l] - sa * sb / lag) / np.sqrt(den)
                else:
                    cc[l] = np.nan
            # the largest interior local maximum (the first of equal ones)
            bk = -1
            for l in range(1, n_l - 1):
                c = cc[l]
                if c >= cc[l - 1] and c >= cc[l + 1] and (bk < 0 or c > cc[bk]):
                    bk = l
            if bk < 0:
                s += int(np.floor(t0 + 0.5))
                continue
            lb = lo + bk
            bc = cc[bk]
            cm = cc[bk - 1]
            cp = cc[bk + 1]
            length = float(lb)
            vert = bc
            den = cm - 2.0 * bc + cp
            if den < 0.0:
                d = 0.5 * (cm - cp) / den
                length += d
                vert = bc - 0.25 * (cm - cp) * d
            if vert >= min_cc:
                if prev_l > 0.0:
                    sum_dl += abs(length - prev_l)
                    n_dl += 1
                sum_l += length
                n_acc += 1
                a1 = _peak_to_peak(y, s + 1, s + lb - 1)
                a2 = _peak_to_peak(y, s + lb + 1, s + 2 * lb - 1)
                sum_da += abs(a2 - a1)
                sum_a += 0.5 * (a1 + a2)
                prev_l = length
            s += lb
        if n_acc > 0:
            last_j = 0.0
            if n_dl > 0:
                last_j = min(1.0, (sum_dl / n_dl) / (sum_l / n_acc))
            last_s = 0.0
            if sum_a > 0.0:
                last_s = 20.0 * np.log10(1.0 + min(1.0, sum_da / sum_a))
        jitter[t] = last_j if cnt > 0 else 0.0
        shimmer[t] = last_s


@njit
def lone_samples(y, hop, hops_per_frame, n_frames, pos):
    """``pos[t]``: where in the ``hops_per_frame * hop``-sample frame ``t`` (frames every
    ``hop`` samples, zeros past the end of ``y``) its one nonzero sample lies, or -1 where
    the frame holds none or more than one. Each sample is read once: per hop, the count of
    nonzero samples and the first one's offset."""
    total = y.shape[0]
    n_hops = n_frames + hops_per_frame - 1
    count = np.zeros(n_hops, dtype=np.int64)
    first = np.full(n_hops, -1, dtype=np.int64)
    for k in range(n_hops):
        a = k * hop
        b = min(total, a + hop)
        for i in range(a, b):
            if y[i] != 0.0:
                if count[k] == 0:
                    first[k] = i - a
                count[k] += 1
    for t in range(n_frames):
        c = 0
        p = -1
        for j in range(hops_per_frame):
            k = t + j
            if count[k]:
                c += count[k]
                p = j * hop + first[k]
        pos[t] = p if c == 1 else -1
