"""Numba kernels of the EEG features: Welch segments and averaging, band sums, Hjorth.

The FFT itself runs in ``scipy.fft`` between :func:`welch_segments` and :func:`welch_average`
(Numba has no FFT). Serial kernels only: the rows (channels x epochs) of one input are small,
and parallelism lives one level up (recordings across processes).

Every kernel takes 2-D C-contiguous float64 rows ``(n_rows, n_times)`` (channels of all epochs
stacked) and writes into an output array given by the caller, so nothing is allocated per row.
"""

from __future__ import annotations

import numpy as np

from emofeat._numba import njit


@njit(inline="always")
def _cut_segment(src, window, remove_dc, dst):
    """One Welch segment: ``src`` less its mean (``remove_dc``) times ``window`` into
    ``dst``, zero-padded to its length (inlined, so compiled with its caller's flags)."""
    n_per_seg = window.shape[0]
    mean = 0.0
    if remove_dc:
        for j in range(n_per_seg):
            mean += src[j]
        mean /= n_per_seg
    for j in range(n_per_seg):
        dst[j] = (src[j] - mean) * window[j]
    for j in range(n_per_seg, dst.shape[0]):
        dst[j] = 0.0


# reassociation alone lets the segment means vectorise (NaN and inf still propagate)
@njit(fastmath={"reassoc"})
def welch_segments(x, window, step, n_seg, remove_dc, out):
    """Cut every row of ``x`` into Welch segments, remove each segment's mean, apply the window.

    Parameters
    ----------
    x : (n_rows, n_times) float64
    window : (n_per_seg,) float64
    step : int
        Samples between segment starts (``n_per_seg - n_overlap``).
    n_seg : int
    remove_dc : bool
        Subtract each segment's mean before windowing (SciPy's ``detrend="constant"``, MNE's
        ``remove_dc=True``).
    out : (n_rows, n_seg, n_fft) float64
        Windowed segments, zero-padded from ``n_per_seg`` to ``n_fft``.
    """
    n_rows = x.shape[0]
    n_per_seg = window.shape[0]
    for r in range(n_rows):
        for s in range(n_seg):
            _cut_segment(x[r, s * step : s * step + n_per_seg], window, remove_dc, out[r, s])


@njit
def welch_average(spec, scale, n_fft, out):
    """One-sided power spectral density: mean over segments of ``scale * |X|**2``.

    Parameters
    ----------
    spec : (n_rows, n_seg, n_bins) complex128
        ``rfft`` of the windowed segments.
    scale : float
        ``1 / (sfreq * sum(window**2))`` (density scaling).
    n_fft : int
        FFT length; bins other than DC (and Nyquist when ``n_fft`` is even) are doubled to fold
        the negative frequencies in.
    out : (n_rows, n_bins) float64
    """
    n_rows, n_seg, n_bins = spec.shape
    last_single = n_bins - 1 if n_fft % 2 == 0 else n_bins
    for r in range(n_rows):
        row = out[r]
        for k in range(n_bins):
            row[k] = 0.0
        for s in range(n_seg):
            for k in range(n_bins):
                z = spec[r, s, k]
                row[k] += z.real * z.real + z.imag * z.imag
        # same order as SciPy (scale each segment, then average): results agree to ~1 ulp
        for k in range(n_bins):
            v = row[k] * scale / n_seg
            if 0 < k < last_single:
                v *= 2.0
            row[k] = v


@njit
def band_sums(psd, lo, hi, out):
    """``out[r, b] = sum(psd[r, lo[b]:hi[b]])``; bands with no bin give 0."""
    n_rows = psd.shape[0]
    n_bands = lo.shape[0]
    for r in range(n_rows):
        for b in range(n_bands):
            acc = 0.0
            for k in range(lo[b], hi[b]):
                acc += psd[r, k]
            out[r, b] = acc


@njit(error_model="numpy")  # 0 / 0 gives NaN as numpy's division does, not an exception
def band_rows(sums, df, bad, kinds, rows):
    """Feature rows of band sums: what ``_kinds_of_sums`` and ``EEGBandPower._rows`` make
    of them, in one pass (the same operations on the same values, so the same bits).

    Parameters
    ----------
    sums : (n_windows * n_rows, n_bands + 1) float64
        Bin sums of each band and of the total (last), row ``w * n_rows + r``.
    df : float
        Bin width each sum is multiplied by.
    bad : (n_windows * n_rows,) bool
        Rows whose every feature is NaN.
    kinds : (n_kinds,) int64
        0 absolute (``sum * df``), 1 relative (``sum * df / (total * df)``).
    rows : (n_windows, n_kinds * n_bands * n_rows) float64
        Kind-major, then band, then row (channel): the order of the feature names.
    """
    n_w = rows.shape[0]
    nb = sums.shape[1] - 1
    n_rows = sums.shape[0] // n_w
    n_k = kinds.shape[0]
    for w in range(n_w):
        out = rows[w]
        for r in range(n_rows):
            i = w * n_rows + r
            src = sums[i]
            total = src[nb] * df
            for j in range(n_k):
                for b in range(nb):
                    a = src[b] * df
                    if bad[i]:
                        v = np.nan
                    elif kinds[j] == 0:
                        v = a
                    else:
                        v = a / total
                    out[(j * nb + b) * n_rows + r] = v


@njit(error_model="numpy")
def _var(x, n, ddof):
    # two-pass variance: the one-pass formula loses digits on EEG with a large DC offset
    mean = 0.0
    for i in range(n):
        mean += x[i]
    mean /= n
    acc = 0.0
    for i in range(n):
        d = x[i] - mean
        acc += d * d
    return acc / (n - ddof)


@njit(error_model="numpy")  # flat rows: 0/0 gives NaN (the caller marks them), not an exception
def hjorth(x, mne_features_convention, out):
    """Hjorth activity, mobility and complexity of every row, in two passes over the samples.

    Parameters
    ----------
    x : (n_rows, n_times) float64, n_times >= 3
    mne_features_convention : bool
        False: Hjorth (1970), ``activity = var(x)``, ``mobility = sqrt(var(x') / var(x))``,
        ``complexity = mobility(x') / mobility(x)``, with ``x'`` the first difference (n - 1
        samples) and population variances. True: mne-features 0.3, which prepends a zero to the
        series before each difference and uses sample standard deviations (ddof=1); activity is
        then ``var(x, ddof=1)`` (its ``compute_variance``).
    out : (n_rows, 3) float64
        Activity, mobility (per sample), complexity.

    Notes
    -----
    The differences are never stored: their means follow from the end samples (a sum of
    differences telescopes), so one pass gives the three sums of squared deviations.
    """
    n_rows = x.shape[0]
    for r in range(n_rows):
        hjorth_row(x[r], mne_features_convention, out[r])


@njit(error_model="numpy")
def hjorth_at(x, starts, ends, mne_features_convention, out):
    """:func:`hjorth` of the windows ``x[:, starts[w]:ends[w]]`` of every row, without copies.

    ``out`` : (n_windows, n_rows, 3) float64.

    Row by row, every window of a row in turn: the row stays in the core's L1/L2 cache
    through its windows (window by window, each window swept every row of the recording:
    1.1 MB a window on a 138-channel one); each window's sums are the same, so the same bits.
    """
    n_rows = x.shape[0]
    for r in range(n_rows):
        row = x[r]
        for w in range(starts.shape[0]):
            hjorth_row(row[starts[w] : ends[w]], mne_features_convention, out[w, r])


# reassociation alone (no other fast-math flag: NaN and inf still propagate) lets LLVM
# vectorise the three sums of squares; results move by a few ulp from the serial sums
@njit(error_model="numpy", fastmath={"reassoc"})
def hjorth_row(row, mne_features_convention, out):
    """Hjorth activity, mobility, complexity of one series into ``out`` (3,) (see
    :func:`hjorth`)."""
    n = row.shape[0]
    total = 0.0
    for i in range(n):
        total += row[i]
    m0 = total / n
    if mne_features_convention:
        # d1 = diff([0, x]) = [x0, x1 - x0, ...]; d2 = diff([0, d1]) = [x0, x1 - 2 x0, ...]
        m1 = row[n - 1] / n
        m2 = (row[n - 1] - row[n - 2]) / n
        a = row[0] - m0
        ss0 = a * a
        a = row[0] - m1
        ss1 = a * a
        a = row[0] - m2
        ss2 = a * a
        a = row[1] - 2.0 * row[0] - m2
        ss2 += a * a
        a = row[1] - m0
        ss0 += a * a
        a = row[1] - row[0] - m1
        ss1 += a * a
        # the three lags as slices: unsigned indices, no wraparound test per sample (the
        # loop vectorises; 2x faster than row[i - 1], row[i - 2]), the same sums
        u, v, z = row[2:], row[1 : n - 1], row[: n - 2]
        for j in range(n - 2):
            a = u[j] - m0
            ss0 += a * a
            a = u[j] - v[j] - m1
            ss1 += a * a
            a = u[j] - 2.0 * v[j] + z[j] - m2
            ss2 += a * a
        # the prepended zeros: shift a sum of squares to another mean and add the zero's term
        mz = total / (n + 1)
        ss_xz = ss0 + n * (m0 - mz) * (m0 - mz) + mz * mz
        m1z = row[n - 1] / (n + 1)
        ss_d1z = ss1 + n * (m1 - m1z) * (m1 - m1z) + m1z * m1z
        mob_x = np.sqrt((ss1 / (n - 1)) / (ss_xz / n))
        mob_d = np.sqrt((ss2 / (n - 1)) / (ss_d1z / n))
        out[0] = ss0 / (n - 1)
        out[1] = mob_x
        out[2] = mob_d / mob_x
    else:
        m1 = (row[n - 1] - row[0]) / (n - 1)
        m2 = ((row[n - 1] - row[n - 2]) - (row[1] - row[0])) / (n - 2)
        a = row[0] - m0
        ss0 = a * a
        a = row[1] - m0
        ss0 += a * a
        a = row[1] - row[0] - m1
        ss1 = a * a
        ss2 = 0.0
        # the three lags as slices: unsigned indices, no wraparound test per sample (the
        # loop vectorises; 2x faster than row[i - 1], row[i - 2]), the same sums
        u, v, z = row[2:], row[1 : n - 1], row[: n - 2]
        for j in range(n - 2):
            a = u[j] - m0
            ss0 += a * a
            a = u[j] - v[j] - m1
            ss1 += a * a
            a = u[j] - 2.0 * v[j] + z[j] - m2
            ss2 += a * a
        v0 = ss0 / n
        v1 = ss1 / (n - 1)
        v2 = ss2 / (n - 2)
        mob = np.sqrt(v1 / v0)
        out[0] = v0
        out[1] = mob
        out[2] = np.sqrt(v2 / v1) / mob


# reassociation alone vectorises the sum (NaN still propagates: no nnan/ninf flag)
@njit(fastmath={"reassoc"})
def nonfinite_rows(x, out):
    """``out[r]`` = whether row ``r`` of ``x`` holds a NaN or an infinite sample: the sum of
    ``v - v`` over the row (0 for a finite sample, NaN otherwise) is NaN exactly then. One
    vectorised read of the rows, nothing allocated (the EEG reader's check of every input).

    ``x`` : (n_rows, n_times) float64, C-contiguous; ``out`` : (n_rows,) bool.
    """
    for r in range(x.shape[0]):
        row = x[r]
        s = 0.0
        for i in range(row.shape[0]):
            v = row[i]
            s += v - v
        out[r] = s != s


@njit(fastmath={"reassoc"})
def _row_nonfinite(row):
    # nonfinite_rows of one row (reassociation alone: the sum vectorises, NaN propagates)
    s = 0.0
    for i in range(row.shape[0]):
        v = row[i]
        s += v - v
    return s != s


@njit(error_model="numpy")  # flat rows: 0/0 gives NaN (the caller marks them)
def hjorth_status(x, mne_features_convention, out, status):
    """:func:`hjorth` of every row and the row's status (as :func:`row_status`: 0 usable, 1
    flat, 2 NaN/inf), each row read once from memory: its non-finite test, then its flat test
    up to its first change, then its Hjorth passes while it is in L1 (the status in a pass
    of its own read the rows twice). The same ``hjorth_row``, so the same bits.

    ``out`` : (n_rows, 3) float64; ``status`` : (n_rows,) int8.
    """
    for r in range(x.shape[0]):
        row = x[r]
        if _row_nonfinite(row):
            status[r] = 2
        else:
            st = 1
            v0 = row[0]
            for i in range(1, row.shape[0]):
                if row[i] != v0:
                    st = 0
                    break
            status[r] = st
        hjorth_row(row, mne_features_convention, out[r])


@njit
def row_status(x, out):
    """``out[r]`` = 0 for a usable row, 1 for a flat (constant) one, 2 for one with NaN/inf."""
    n_rows, n = x.shape
    for r in range(n_rows):
        row = x[r]
        lo = row[0]
        hi = row[0]
        finite = True
        for i in range(n):
            v = row[i]
            if v < lo:
                lo = v
            elif v > hi:
                hi = v
            if not np.isfinite(v):
                finite = False
        out[r] = 2 if not finite else (1 if lo == hi else 0)


@njit
def row_variance(x, out):
    """Population variance (ddof=0) of every row, two-pass."""
    n_rows, n = x.shape
    for r in range(n_rows):
        out[r] = _var(x[r], n, 0)


# ---------------------------------------------------------------- windows of one recording
# Consecutive windows of a continuous recording share Welch segments when they overlap: the
# segments are cut (and transformed) once at their distinct start samples and each window
# averages its own. Every shared segment is the same samples as in a window cut on its own, so
# the result is the per-window PSD, not an approximation.


@njit(fastmath={"reassoc"})
def welch_segments_at(x, starts, window, remove_dc, out):
    """:func:`welch_segments` at arbitrary start samples.

    Parameters
    ----------
    x : (n_rows, n_times) float64
    starts : (n_segments,) int64
        First sample of each segment (``starts + len(window) <= n_times``).
    window : (n_per_seg,) float64
    remove_dc : bool
    out : (n_rows, n_segments, n_fft) float64
    """
    n_rows = x.shape[0]
    n_per_seg = window.shape[0]
    for r in range(n_rows):
        row = x[r]
        for s in range(starts.shape[0]):
            a = starts[s]
            # 1-D slices, not x[r, a + j]: the two loops vectorise (2x faster), same values
            _cut_segment(row[a : a + n_per_seg], window, remove_dc, out[r, s])


@njit(fastmath={"reassoc"})
def welch_segments_win(xw, seg_win, seg_off, row0, window, remove_dc, out):
    """:func:`welch_segments_at` of a recording given as its windows: segment ``s`` of rows
    ``row0 + r`` is cut from window ``seg_win[s]`` at sample ``seg_off[s]``
    (``xw[seg_win[s], row0 + r, seg_off[s]:seg_off[s] + len(window)]``), the windows
    continuing one another bit for bit (:func:`continues_run`), so the same samples as from
    the rebuilt recording; the same loops, so the same bits (no copy of the recording).

    ``xw`` : (n_windows, n_all_rows, n_times) float64, C-contiguous; ``out`` : (n_rows,
    n_segments, n_fft) float64 (rows ``row0 .. row0 + n_rows`` of ``xw``).
    """
    n_rows = out.shape[0]
    n_per_seg = window.shape[0]
    for r in range(n_rows):
        for s in range(seg_win.shape[0]):
            a = seg_off[s]
            _cut_segment(xw[seg_win[s], row0 + r, a : a + n_per_seg], window, remove_dc,
                         out[r, s])


@njit
def welch_average_at(spec, seg_index, n_seg, scale, n_fft, row0, out):
    """:func:`welch_average` of windows whose segments are rows of ``spec``.

    Parameters
    ----------
    spec : (n_rows, n_segments, n_bins) complex128
        ``rfft`` of the distinct segments.
    seg_index : (n_windows, max_segments) int64
        Segments of window ``w``: ``spec[:, seg_index[w, :n_seg[w]]]``, in time order.
    n_seg : (n_windows,) int64
    scale : float
    n_fft : int
    row0 : int
        Row of ``out`` that the first row of ``spec`` fills (a chunk of rows; the whole
        C-contiguous output is passed so the kernel writes unit-stride rows).
    out : (n_windows, n_all_rows, n_bins) float64
    """
    n_rows = spec.shape[0]
    n_bins = spec.shape[2]
    last_single = n_bins - 1 if n_fft % 2 == 0 else n_bins
    for r in range(n_rows):
        for w in range(seg_index.shape[0]):
            row = out[w, row0 + r]
            for k in range(n_bins):
                row[k] = 0.0
            # the segments in time order and the same arithmetic as welch_average: every
            # window's PSD is the one of the window cut on its own, to the last bit
            for s in range(n_seg[w]):
                seg = spec[r, seg_index[w, s]]
                for k in range(n_bins):
                    z = seg[k]
                    row[k] += z.real * z.real + z.imag * z.imag
            for k in range(n_bins):
                v = row[k] * scale / n_seg[w]
                if 0 < k < last_single:
                    v *= 2.0
                row[k] = v


@njit
def welch_bands_at(spec, seg_index, n_seg, scale, n_fft, k0, lo, hi, row0, out):
    """Band sums of the Welch PSD of windows (:func:`welch_average_at`, then
    :func:`band_sums` of bins ``k0 + lo[b] .. k0 + hi[b]``) without writing the PSD: each
    window's sums are the same additions in the same order, so the same bits. ``|X|**2`` of
    each distinct segment is taken once when segments are shared by 3 windows or more on
    average.

    The PSD rows of the chunk's windows (rows x windows, ``n_rows * n_windows`` of them) are
    made first, then summed per band four rows side by side: a band sum is a chain of
    dependent additions (bin order fixes the bits), and four independent chains per bin run
    in the time of one (2x faster on the EDF layouts than one row at a time).

    Parameters
    ----------
    spec : (n_rows, n_segments, n_bins) complex128
    seg_index, n_seg, scale, n_fft
        As :func:`welch_average_at`.
    k0 : int
        First PSD bin the band indices count from (the ``fmin`` slice).
    lo, hi : (n_bands,) int64
    row0 : int
        Row of ``out`` that the first row of ``spec`` fills.
    out : (n_windows, n_all_rows, n_bands) float64
    """
    n_rows, n_st, n_bins = spec.shape
    n_w = seg_index.shape[0]
    last_single = n_bins - 1 if n_fft % 2 == 0 else n_bins
    # |X|**2 of each distinct segment once when segments are in 3 windows or more on
    # average; with fewer (Muse: 1.75) writing and rereading the table costs more than
    # squaring again
    uses = 0
    for w in range(n_w):
        uses += n_seg[w]
    table = uses >= 3 * n_st
    power = np.empty((n_st if table else 1, n_bins))
    n_c = n_rows * n_w
    psd = np.empty((n_c, n_bins))  # row r, window w: psd[r * n_w + w]
    for r in range(n_rows):
        if table:
            for s in range(n_st):
                src = spec[r, s]
                dst = power[s]
                for k in range(n_bins):
                    z = src[k]
                    dst[k] = z.real * z.real + z.imag * z.imag
        for w in range(n_w):
            acc = psd[r * n_w + w]
            m = n_seg[w]
            # the first segment's power written, not added to 0.0: the same value (|X|**2
            # is never -0.0)
            if table:
                p = power[seg_index[w, 0]]
                for k in range(n_bins):
                    acc[k] = p[k]
                for j in range(1, m):
                    p = power[seg_index[w, j]]
                    for k in range(n_bins):
                        acc[k] += p[k]
            else:
                src = spec[r, seg_index[w, 0]]
                for k in range(n_bins):
                    z = src[k]
                    acc[k] = z.real * z.real + z.imag * z.imag
                for j in range(1, m):
                    src = spec[r, seg_index[w, j]]
                    for k in range(n_bins):
                        z = src[k]
                        acc[k] += z.real * z.real + z.imag * z.imag
            # welch_average_at's scaling (sum * scale / n, doubled off DC and Nyquist) in
            # three loops without a branch
            acc[0] = acc[0] * scale / m
            for k in range(1, last_single):
                acc[k] = acc[k] * scale / m * 2.0
            for k in range(last_single, n_bins):
                acc[k] = acc[k] * scale / m
    n_bands = lo.shape[0]
    for b in range(n_bands):
        ka = k0 + lo[b]
        kb = k0 + hi[b]
        c = 0
        while c + 4 <= n_c:
            p0 = psd[c]
            p1 = psd[c + 1]
            p2 = psd[c + 2]
            p3 = psd[c + 3]
            t0 = 0.0
            t1 = 0.0
            t2 = 0.0
            t3 = 0.0
            for k in range(ka, kb):
                t0 += p0[k]
                t1 += p1[k]
                t2 += p2[k]
                t3 += p3[k]
            out[c % n_w, row0 + c // n_w, b] = t0
            out[(c + 1) % n_w, row0 + (c + 1) // n_w, b] = t1
            out[(c + 2) % n_w, row0 + (c + 2) // n_w, b] = t2
            out[(c + 3) % n_w, row0 + (c + 3) // n_w, b] = t3
            c += 4
        while c < n_c:
            p0 = psd[c]
            t0 = 0.0
            for k in range(ka, kb):
                t0 += p0[k]
            out[c % n_w, row0 + c // n_w, b] = t0
            c += 1


@njit
def status_at(x, starts, ends, out):
    """:func:`row_status` of the windows ``x[:, starts[w]:ends[w]]``: ``out`` (n_windows,
    n_rows) int8, 0 usable, 1 flat, 2 NaN/inf.

    One pass over each row counts non-finite samples and sample-to-sample changes (prefix
    sums); a window is flat when no sample differs from the one before it.
    """
    n_rows, n = x.shape
    bad = np.zeros(n + 1, dtype=np.int64)
    changes = np.zeros(n + 1, dtype=np.int64)
    for r in range(n_rows):
        row = x[r]
        nb = 0
        nc = 0
        prev = row[0]
        for i in range(n):
            v = row[i]
            nb += 0 if v - v == 0.0 else 1  # v - v is NaN for NaN and +-inf
            nc += 1 if v != prev else 0
            prev = v
            bad[i + 1] = nb
            changes[i + 1] = nc
        for w in range(starts.shape[0]):
            a = starts[w]
            b = ends[w]
            if bad[b] - bad[a] > 0:
                out[w, r] = 2
            elif changes[b] - changes[a + 1] == 0:  # changes inside [a, b): samples a+1..b-1
                out[w, r] = 1
            else:
                out[w, r] = 0


@njit
def status_known(x, starts, ends, nonfinite, out):
    """:func:`status_at` of the windows of rows whose non-finite samples are known already
    (the EEG reader's :func:`nonfinite_rows` of the same data): a row without any (``nonfinite``
    False) has no window of status 2, and a window of it is flat when every sample equals its
    first, which the first change ends (on EEG, the window's second sample: no pass over the
    data). A row with some is checked window by window, sample by sample. The same status as
    :func:`status_at` (exact comparisons only).

    ``nonfinite`` : (n_rows,) bool; ``out`` : (n_windows, n_rows) int8.
    """
    n_rows = x.shape[0]
    for r in range(n_rows):
        row = x[r]
        check = nonfinite[r]
        for w in range(starts.shape[0]):
            a = starts[w]
            b = ends[w]
            st = 0
            if check:
                for i in range(a, b):
                    v = row[i]
                    if v - v != 0.0:  # NaN for NaN and +-inf
                        st = 2
                        break
            if st == 0:
                st = 1
                v0 = row[a]
                for i in range(a + 1, b):
                    if row[i] != v0:
                        st = 0
                        break
            out[w, r] = st


@njit(inline="always")
def _block3(row, a, b):
    # _block of the series over a..b-1, of its first difference over a+1..b-1 and of its
    # second over a+2..b-1, the three in one loop per pass (half the passes of three calls)
    s0 = row[a] + row[a + 1]
    s1 = row[a + 1] - row[a]
    s2 = 0.0
    # the lags as slices (see hjorth_row)
    u, v, z = row[a + 2 : b], row[a + 1 : b - 1], row[a : b - 2]
    for j in range(b - a - 2):
        s0 += u[j]
        s1 += u[j] - v[j]
        s2 += u[j] - 2.0 * v[j] + z[j]
    g = b - a
    m0 = s0 / g
    m1 = s1 / (g - 1)
    m2 = s2 / (g - 2)
    d = row[a] - m0
    q0 = d * d
    d = row[a + 1] - m0
    q0 += d * d
    d = row[a + 1] - row[a] - m1
    q1 = d * d
    q2 = 0.0
    for j in range(b - a - 2):
        d = u[j] - m0
        q0 += d * d
        d = u[j] - v[j] - m1
        q1 += d * d
        d = u[j] - 2.0 * v[j] + z[j] - m2
        q2 += d * d
    return s0, q0, s1, q1, s2, q2


@njit(inline="always")
def _d1(row, p):
    return row[p] - row[p - 1]


@njit(inline="always")
def _d2(row, p):
    return row[p] - 2.0 * row[p - 1] + row[p - 2]


@njit(error_model="numpy", fastmath={"reassoc"})
def hjorth_blocks(x, starts, ends, block, mne_features_convention, out):
    """:func:`hjorth_at` for windows made of whole blocks of ``block`` samples (starts and
    ends multiples of ``block``, ``block >= 3``): the sums and sums of squares of the series
    and of its differences are taken once per block (about the block's mean) and combined per
    window about the window's mean (``M2 = sum(M2_b + n_b (mean_b - mean)^2)``, as stable as
    two passes), so overlapping windows do not revisit their samples. Equal to
    :func:`hjorth_at` up to rounding.

    ``out`` : (n_windows, n_rows, 3) float64.
    """
    n_rows, n_times = x.shape
    n_blocks = n_times // block
    g = float(block)
    # per block: (sum, M2) of the series x (whole block), of the first difference without the
    # block's first sample and of the second without its first two (a window's own
    # differences start there; a later block adds those samples one by one)
    st = np.empty((n_blocks, 3, 2))
    for r in range(n_rows):
        row = x[r]
        for kb in range(n_blocks):
            a = kb * block
            b = a + block
            s0, q0, s1, q1, s2, q2 = _block3(row, a, b)
            st[kb, 0, 0] = s0
            st[kb, 0, 1] = q0
            st[kb, 1, 0] = s1
            st[kb, 1, 1] = q1
            st[kb, 2, 0] = s2
            st[kb, 2, 1] = q2
        for w in range(starts.shape[0]):
            a = starts[w]
            b = ends[w]
            k0 = a // block
            k1 = b // block
            n = b - a
            # pass 1: the window's sums, hence its means
            s0 = 0.0
            s1 = 0.0
            s2 = 0.0
            for kb in range(k0, k1):
                s0 += st[kb, 0, 0]
                s1 += st[kb, 1, 0]
                s2 += st[kb, 2, 0]
                if kb > k0:
                    p = kb * block
                    s1 += _d1(row, p)
                    s2 += _d2(row, p) + _d2(row, p + 1)
            if mne_features_convention:
                # diff([0, x]) starts with x[a]; diff([0, d1]) with x[a], x[a+1] - 2 x[a]
                e1 = row[a]
                e2 = row[a + 1] - 2.0 * row[a]
                s1 += e1
                s2 += e1 + e2
                n1 = n
                n2 = n
            else:
                n1 = n - 1
                n2 = n - 2
            m0 = s0 / n
            m1 = s1 / n1
            m2 = s2 / n2
            # pass 2: sums of squares about the window's means
            q0 = 0.0
            q1 = 0.0
            q2 = 0.0
            for kb in range(k0, k1):
                d = st[kb, 0, 0] / g - m0
                q0 += st[kb, 0, 1] + g * d * d
                d = st[kb, 1, 0] / (g - 1.0) - m1
                q1 += st[kb, 1, 1] + (g - 1.0) * d * d
                d = st[kb, 2, 0] / (g - 2.0) - m2
                q2 += st[kb, 2, 1] + (g - 2.0) * d * d
                if kb > k0:
                    p = kb * block
                    d = _d1(row, p) - m1
                    q1 += d * d
                    d = _d2(row, p) - m2
                    q2 += d * d
                    d = _d2(row, p + 1) - m2
                    q2 += d * d
            if mne_features_convention:
                d = row[a] - m1
                q1 += d * d
                d = row[a] - m2
                q2 += d * d
                d = row[a + 1] - 2.0 * row[a] - m2
                q2 += d * d
                # the prepended zeros: shift a sum of squares to another mean, add the zero
                mz = s0 / (n + 1)
                ss_xz = q0 + n * (m0 - mz) * (m0 - mz) + mz * mz
                m1z = s1 / (n + 1)
                ss_d1z = q1 + n * (m1 - m1z) * (m1 - m1z) + m1z * m1z
                mob_x = np.sqrt((q1 / (n - 1)) / (ss_xz / n))
                mob_d = np.sqrt((q2 / (n - 1)) / (ss_d1z / n))
                out[w, r, 0] = q0 / (n - 1)
                out[w, r, 1] = mob_x
                out[w, r, 2] = mob_d / mob_x
            else:
                v0 = q0 / n
                v1 = q1 / (n - 1)
                v2 = q2 / (n - 2)
                mob = np.sqrt(v1 / v0)
                out[w, r, 0] = v0
                out[w, r, 1] = mob
                out[w, r, 2] = np.sqrt(v2 / v1) / mob


# reassociation alone vectorises the two sums (NaN and inf still propagate: no nnan/ninf)
@njit(fastmath={"reassoc"})
def status_blocks(x, starts, ends, block, out):
    """:func:`status_at` for windows whose starts and ends are multiples of ``block``: per
    block, ``sum(v - v)`` (NaN iff a sample is NaN or inf) and ``sum(|x[i] - x[i-1]|)`` over the
    block's inner steps (0 iff no sample differs from the one before), both vectorised; a
    window adds its blocks' sums and the steps between its blocks. The same status as
    :func:`status_at` (only exact zeros and NaN are tested).

    ``out`` : (n_windows, n_rows) int8, 0 usable, 1 flat, 2 NaN/inf.
    """
    n_rows = x.shape[0]
    n_blocks = ends.max() // block
    nf = np.empty(n_blocks)
    ch = np.empty(n_blocks)
    for r in range(n_rows):
        row = x[r]
        for kb in range(n_blocks):
            lo = kb * block
            s = 0.0
            c = 0.0
            # slices: no wraparound test per sample (see hjorth_row)
            cur = row[lo + 1 : lo + block]
            prev = row[lo : lo + block - 1]
            for i in range(block - 1):
                v = cur[i]
                s += v - v
                c += abs(v - prev[i])
            v = row[lo]
            nf[kb] = s + (v - v)
            ch[kb] = c
        for w in range(starts.shape[0]):
            ka = starts[w] // block
            kz = ends[w] // block
            s = 0.0
            c = 0.0
            for kb in range(ka, kz):
                s += nf[kb]
                c += ch[kb]
                if kb > ka:
                    p = kb * block
                    c += abs(row[p] - row[p - 1])
            out[w, r] = 2 if s != s else (1 if c == 0.0 else 0)


@njit
def segment_plan(starts, n_seg, step, seg_index):
    """Distinct Welch segment starts of windows starting at ``starts`` with ``n_seg[w]``
    segments every ``step`` samples (sorted), and ``seg_index[w, k]`` the position among them
    of window ``w``'s ``k``-th segment."""
    n_w = starts.shape[0]
    total = 0
    for w in range(n_w):
        total += n_seg[w]
    flat = np.empty(total, dtype=np.int64)
    p = 0
    for w in range(n_w):
        for k in range(n_seg[w]):
            flat[p] = starts[w] + k * step
            p += 1
    uniq = np.unique(flat)
    for w in range(n_w):
        for k in range(n_seg[w]):
            seg_index[w, k] = np.searchsorted(uniq, starts[w] + k * step)
    return uniq


@njit
def continues_hint(x, hop):
    """``out[i]`` False when window ``i + 1`` of ``x`` (n_windows, n_rows, n_times: the bits
    of float64 samples viewed as int64) surely does not continue window ``i`` by ``hop``
    samples (``x[i + 1, :, :n_times - hop] == x[i, :, hop:]``): the first or last sample of
    the overlap of some row differs (two samples a row, not a pass over the data); True when
    it may (:func:`rebuild_run` checks every sample)."""
    n_w, n_rows, n = x.shape
    out = np.zeros(max(n_w - 1, 0), dtype=np.bool_)
    for i in range(n_w - 1):
        same = True
        for r in range(n_rows):
            if x[i + 1, r, 0] != x[i, r, hop] or x[i + 1, r, n - hop - 1] != x[i, r, n - 1]:
                same = False
                break
        out[i] = same
    return out


@njit(fastmath={"reassoc"})  # for the non-finite sums alone (the rest is integers)
def rebuild_run(x, xf, hop, k, m_max, rec, nonfinite):
    """The recording windows ``k, k + 1, ...`` of ``x`` (as in :func:`continues_hint`) come from,
    as long as each continues the one before by ``hop`` samples (bit for bit) and before
    window ``m_max``, written to ``rec`` (n_rows, n_times + (m_max - k - 1) * hop) in the same
    pass that compares them: window ``k`` whole, then the last ``hop`` samples of each
    following window. Returns the end ``m`` of the run (``rec[:, :n_times + (m - k - 1) *
    hop]`` holds it; ``m == k + 1`` when window ``k + 1`` does not continue window ``k``).

    Row by row, each row through the windows in turn: a window's row is compared with the
    previous window's, still in L1 (window by window, the previous window's row came back
    from L2 or memory). The run ends at the first window where some row does not continue;
    rows done before that row was found copied later windows too, past the run's end, where
    nothing reads them.

    ``xf`` is ``x`` as float64 (the same memory): ``nonfinite[r]`` (bool) is set when a
    sample copied to row ``r`` of ``rec`` is NaN or infinite (the sum of ``v - v`` over the
    copied samples, as :func:`nonfinite_rows`), so that the windows' status needs no other
    pass over the recording (:func:`status_known`). A row copied past the run's end may be
    flagged for a sample after it: never a row with a non-finite sample left unflagged."""
    n_w, n_rows, n = x.shape
    m_end = m_max
    copy = rec.shape[0] > 0  # (continues_run: no recording to write)
    for r in range(n_rows):
        src = x[k, r]
        srcf = xf[k, r]
        nf = 0.0
        if copy:
            dst = rec[r, :n]
            for j in range(n):
                dst[j] = src[j]
                v = srcf[j]
                nf += v - v
        else:
            for j in range(n):
                v = srcf[j]
                nf += v - v
        for m in range(k + 1, m_end):
            u = x[m, r]
            v = x[m - 1, r, hop:]
            diff = 0
            # or of xors: vectorised, no branch per sample
            for j in range(n - hop):
                diff |= u[j] ^ v[j]
            if diff != 0:
                m_end = m
                break
            srcf = xf[m, r, n - hop :]
            if copy:
                at = n + (m - k - 1) * hop
                dst = rec[r, at : at + hop]
                src = u[n - hop :]
                for j in range(hop):
                    dst[j] = src[j]
                    f = srcf[j]
                    nf += f - f
            else:
                for j in range(hop):
                    f = srcf[j]
                    nf += f - f
        nonfinite[r] = nf != nf
    return m_end


# the compiled kernel continues_run calls (bound at its compilation, whatever
# rebuild_run names then)
_rebuild_run = rebuild_run


@njit
def continues_run(x, xf, hop, k, m_max, nonfinite):
    """:func:`rebuild_run` without the copy: the end ``m`` of the run of windows ``k, k + 1,
    ...`` (before ``m_max``) each continuing the one before by ``hop`` samples bit for bit,
    and ``nonfinite[r]`` set when row ``r`` of the recording they make holds a NaN or an
    infinite sample (the same comparisons and sums; the copy was a third of
    :func:`rebuild_run`'s time on a 138-channel recording). For callers that read the run's
    samples in its windows (:func:`welch_segments_win`)."""
    return _rebuild_run(x, xf, hop, k, m_max, np.empty((0, 0), dtype=np.int64), nonfinite)
