"""Numba kernels of the ``librosa`` feature set: everything one STFT gives, in one pass.

Definitions are those of ``librosa.feature`` 0.11 (see :mod:`emofeat.extractors.librosa_set`).
"""

from __future__ import annotations

import numpy as np

from emofeat._numba import njit

# columns of the ``shape`` output of :func:`spectral_frames`
I_CENTROID, I_BANDWIDTH, I_FLATNESS, I_ROLLOFF, I_RMS = range(5)
N_SHAPE = 5


@njit
def spectral_frames(spec, freq, roll_percent, flat_amin, bw_p, n_fft, tiny, band_lo, band_hi,
                    band_q, mag, power, shape, peak, valley, power_w, power_out, mag_w,
                    mag_out):
    """Magnitude/power spectra and the frame-wise spectral descriptors of one STFT.

    Parameters
    ----------
    spec : (n_frames, n_bins) complex
        The STFT.
    freq : (n_bins,) float64
        Bin frequencies in Hz.
    roll_percent, flat_amin, bw_p : float
        Roll-off fraction, flatness floor (on the power), bandwidth exponent.
    n_fft : int
        FFT size (RMS scaling and whether the last bin is Nyquist).
    tiny : float
        Smallest normal number of the analysis precision: a frame whose magnitude sum is below
        it is left unnormalised (librosa's ``util.normalize``), so silence gives 0.
    band_lo, band_hi, band_q : (n_bands + 1,) int64
        Spectral-contrast bands: bins ``band_lo[k]:band_hi[k]`` sorted, ``band_q[k]`` values
        averaged at each end.
    mag, power : (n_bins,) float64, scratch
        ``|X|`` and ``|X|**2`` of the current frame (one row, kept in cache: the full
        spectrograms are never stored).
    shape : (n_frames, 5) float64, written
        centroid, bandwidth, flatness, roll-off, RMS.
    peak, valley : (n_frames, n_bands + 1) float64, written
        Spectral-contrast peaks and valleys (linear magnitude).
    power_w, mag_w : (n_p, n_bins), (n_m, n_bins) float64
        Projections of each frame's power and magnitude spectrum (the chroma filterbank and
        the polynomial fit), written to ``power_out`` (n_frames, n_p) and ``mag_out``
        (n_frames, n_m) by :func:`project_row`, as ``power @ power_w.T`` would.
    """
    n_frames, n_bins = spec.shape
    n_bands = band_lo.shape[0]
    q_max = 1
    for b in range(n_bands):
        q_max = max(q_max, band_q[b])
    low = np.empty(q_max, dtype=np.float64)
    high = np.empty(q_max, dtype=np.float64)
    for t in range(n_frames):
        total = 0.0
        weighted = 0.0
        log_sum = 0.0
        lin_sum = 0.0
        chunk = 1.0
        rms = 0.0
        for k in range(n_bins):
            re = np.float64(spec[t, k].real)
            im = np.float64(spec[t, k].imag)
            p = re * re + im * im
            m = np.sqrt(p)
            mag[k] = m
            power[k] = p
            total += m
            weighted += freq[k] * m
            # flatness: the log of a product of 16 floored powers (>= 1e-160, no underflow);
            # a NaN power (a frame touching admitted NaN samples) stays NaN, not the floor
            q = m * m
            if q < flat_amin:
                q = flat_amin
            lin_sum += q
            chunk *= q
            if (k & 15) == 15:
                log_sum += np.log(chunk)
                chunk = 1.0
            if k == 0 or (k == n_bins - 1 and n_fft % 2 == 0):
                p *= 0.5
            rms += p
        log_sum += np.log(chunk)
        norm = total if total >= tiny else 1.0
        centroid = weighted / norm
        acc = 0.0
        cum = 0.0
        threshold = roll_percent * total
        rolloff = np.nan
        for k in range(n_bins):
            m = mag[k]
            dev = abs(freq[k] - centroid)
            if bw_p == 2.0:
                acc += m * dev * dev
            else:
                acc += m * dev**bw_p
            if rolloff != rolloff:
                cum += m
                if cum >= threshold:
                    rolloff = freq[k]
        shape[t, I_CENTROID] = centroid
        shape[t, I_BANDWIDTH] = (acc / norm) ** (1.0 / bw_p)
        shape[t, I_FLATNESS] = np.exp(log_sum / n_bins) / (lin_sum / n_bins)
        shape[t, I_ROLLOFF] = rolloff
        shape[t, I_RMS] = np.sqrt(2.0 * rms / (n_fft * n_fft))
        for b in range(n_bands):
            q = band_q[b]
            _extremes(mag, band_lo[b], band_hi[b], q, low, high)
            lo = 0.0
            hi = 0.0
            for j in range(q):
                lo += low[j]
                hi += high[q - 1 - j]
            valley[t, b] = lo / q
            peak[t, b] = hi / q
        project_row(power, power_w, power_out[t])
        project_row(mag, mag_w, mag_out[t])


# Reassociation lets LLVM vectorise the dot products; the same flags and loop as the MFCC
# module's ``cepstra`` (which projected the stored spectrograms before), so the same bits.
@njit(fastmath={"reassoc", "nsz", "contract"})
def project_row(v, weights, out):
    """``out = weights @ v`` for one frame (``weights`` (n_out, n_bins), ``v`` (n_bins,))."""
    n_out, n_bins = weights.shape
    for k in range(n_out):
        acc = 0.0
        for m in range(n_bins):
            acc += weights[k, m] * v[m]
        out[k] = acc


@njit
def _extremes(x, start, stop, q, low, high):
    """The ``q`` smallest of ``x[start:stop]`` ascending into ``low[:q]`` and the ``q``
    largest descending into ``high[:q]`` (insertion into short sorted buffers)."""
    n_low = 0
    n_high = 0
    for i in range(start, stop):
        v = x[i]
        if n_low < q or v < low[n_low - 1]:
            j = n_low if n_low < q else q - 1
            while j > 0 and low[j - 1] > v:
                low[j] = low[j - 1]
                j -= 1
            low[j] = v
            if n_low < q:
                n_low += 1
        if n_high < q or v > high[n_high - 1]:
            j = n_high if n_high < q else q - 1
            while j > 0 and high[j - 1] < v:
                high[j] = high[j - 1]
                j -= 1
            high[j] = v
            if n_high < q:
                n_high += 1


@njit
def pitch_candidates(power, freq, fmin, fmax, threshold, sr, n_fft, single, pitches, mags):
    """Spectral peaks for tuning estimation (librosa's ``piptrack`` on a spectrogram).

    In each frame, a bin in ``[fmin, fmax)`` is a candidate when it is a local maximum
    (strictly above its lower neighbour, not below its upper one) of the spectrum with values
    under ``threshold`` times the frame's maximum zeroed. Its frequency is refined by parabolic
    interpolation (no shift when the vertex lies beyond a neighbour, or at the first/last bin)
    and its magnitude by half the central-difference gradient times the shift. Returns the
    number of candidates written to ``pitches`` and ``mags``.

    With ``single`` (a float32 ``power``: librosa's float32 analysis) each peak is refined as
    ``piptrack`` does in float32: its shift, peak frequency, gradient and magnitude are each
    rounded to float32 where librosa stores them (its ``shifts``, ``pitches``,
    ``np.gradient`` and ``mags`` arrays are float32), and the threshold times the frame's
    maximum is a float32 product, so that the candidates and the tuning histogram's ties
    fall as librosa's; otherwise every step stays in float64, as librosa's float64 analysis.
    """
    n_frames, n_bins = power.shape
    x = np.empty(n_bins, dtype=np.float64)
    n = 0
    for t in range(n_frames):
        top = power[t, 0]
        for k in range(1, n_bins):
            if power[t, k] > top:
                top = power[t, k]
        # librosa's threshold times a float32 frame maximum is a float32 product: in
        # float64 a bin just above it (or at it) fell on the other side (1427 candidates for
        # piptrack's 1426 in a RAVDESS file at 8 kHz)
        ref = np.float32(np.float32(threshold) * top) if single else threshold * top
        for k in range(n_bins):
            v = power[t, k]
            x[k] = v if v > ref else 0.0
        for k in range(n_bins):
            if not (fmin <= freq[k] < fmax):
                continue
            if k == 0:
                continue  # librosa's stencil leaves the first bin out
            if k == n_bins - 1:
                is_max = x[k] > x[k - 1]
            else:
                is_max = x[k] > x[k - 1] and x[k] >= x[k + 1]
            if not is_max:
                continue
            s = power[t]
            shift = 0.0
            if k < n_bins - 1:
                a = s[k + 1] + s[k - 1] - 2.0 * s[k]
                b = (s[k + 1] - s[k - 1]) / 2.0
                if abs(b) < abs(a):
                    shift = -b / a
            if k == n_bins - 1:
                grad = s[k] - s[k - 1]
            else:
                grad = (s[k + 1] - s[k - 1]) / 2.0
            if single:
                shift32 = np.float32(shift)
                skew = np.float32(np.float32(0.5 * grad) * shift32)
                pitches[n] = np.float32((k + np.float64(shift32)) * sr / n_fft)
                mags[n] = np.float32(s[k] + skew)
            else:
                pitches[n] = (k + shift) * sr / n_fft
                mags[n] = s[k] + 0.5 * grad * shift
            n += 1
    return n


@njit
def zero_crossing_rate(y, frame_length, hop, n_frames, threshold, nonfinite, out):
    """librosa's ``zero_crossing_rate`` (centred, edge padding, ``zero_pos=True``).

    Frame ``t`` covers ``y[t*hop - frame_length//2 ...]`` with out-of-range samples replaced
    by the nearest edge sample; samples within ``threshold`` of 0 count as 0 (positive); a
    crossing is a change of sign bit between consecutive samples inside the frame. With
    ``nonfinite`` (``y`` may hold a NaN or infinite sample: admitted non-finite audio), a
    frame holding one is NaN, as the spectral descriptors are; without it no sample is
    looked at for that (the caller knows every frame finite).
    """
    n = y.shape[0]
    half = frame_length // 2
    # crossings before sample i (prefix count); padding repeats an edge sample, so it adds none
    before = np.zeros(n, dtype=np.int64)
    # non-finite samples up to and including sample i (NaN read as positive: made-up crossings)
    nans = np.zeros(n if nonfinite else 1, dtype=np.int64)
    prev = y[0] < -threshold
    if nonfinite:
        nans[0] = 0 if np.isfinite(y[0]) else 1
    for i in range(1, n):
        neg = y[i] < -threshold
        before[i] = before[i - 1] + (1 if neg != prev else 0)
        if nonfinite:
            nans[i] = nans[i - 1] + (0 if np.isfinite(y[i]) else 1)
        prev = neg
    for t in range(n_frames):
        first = max(t * hop - half, 0)
        last = min(t * hop - half + frame_length - 1, n - 1)
        if nonfinite and nans[last] - (nans[first - 1] if first > 0 else 0) > 0:
            out[t] = np.nan
        else:
            out[t] = (before[last] - before[first]) / frame_length if last > first else 0.0
