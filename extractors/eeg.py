"""EEG emotion features as pure functions: band power, differential entropy, asymmetry, Hjorth.

Every function takes EEG as an array ``(..., n_channels, n_times)`` (one window, or epochs
``(n_epochs, n_channels, n_times)``) in microvolts with its sampling rate ``sfreq`` in Hz, and
returns features with the leading axes kept: ``(..., n_channels, n_bands)`` and so on. The
sklearn extractors (``eeg_bands``, ``eeg_de``, ``eeg_asymmetry``, ``eeg_hjorth``) call these.

Conventions (written out in ``docs/eeg.md``):

- Welch PSD exactly as :func:`mne.time_frequency.psd_array_welch` with the same parameters
  (periodic Hamming window, per-segment mean removal, density scaling, one-sided, mean over
  segments).
- Bands are half-open ``[lo, hi)`` on the PSD bins (a bin on an edge belongs to one band);
  ``closed=True`` uses ``[lo, hi]`` as mne-features does.
- Absolute band power is the integral of the PSD over the band (sum of bins times the bin
  width, in uV^2); relative power divides by the power of ``total_band`` (default: the whole
  spectrum, 0 Hz to Nyquist, as mne-features); dB is ``10 log10`` of the absolute power.
- Differential entropy (Gaussian): ``0.5 ln(2 pi e var)`` of the band-passed signal (MNE's
  zero-phase FIR band-pass), or from the PSD: ``0.5 ln(2 pi e P_band)`` with ``P_band`` the
  absolute band power (the band-passed variance by Parseval).
- Channels that are flat (constant) or hold a non-finite sample give NaN for every feature of
  that channel; :func:`bad_channel_mask` finds them and :func:`warn_bad_channels` names them.
"""

from __future__ import annotations

import collections
import contextlib
import functools
import math
import re
import threading
import warnings
from collections.abc import Mapping, Sequence
from fractions import Fraction
from typing import NamedTuple

import numpy as np

from emofeat._libraries import used
from emofeat.readers import EEGChannelWarning  # re-exported: one warning class for EEG

#: Default EEG bands in Hz, half-open ``[lo, hi)``, contiguous from 1 to 45 Hz.
DEFAULT_BANDS: dict[str, tuple[float, float]] = {
    "delta": (1.0, 4.0),
    "theta": (4.0, 8.0),
    "alpha": (8.0, 13.0),
    "beta": (13.0, 30.0),
    "gamma": (30.0, 45.0),
}

#: Electrode pairs used for frontal alpha asymmetry when both are present (left, right).
FAA_PAIRS: tuple[tuple[str, str], ...] = (
    ("Fp1", "Fp2"),
    ("AF3", "AF4"),
    ("AF7", "AF8"),
    ("F3", "F4"),
    ("F7", "F8"),
)

#: Row pairs (frontal, posterior) mirrored about the central row, for caudality (DCAU): the
#: 10-10 rows FC/CP, FT/TP, F/P, AF/PO and Fp/O. On SEED's 62 channels they pair every frontal
#: electrode, 23 pairs, the count of Zheng and Lu (2015) and Zheng et al. (2017); until session
#: 33 only FC/CP and FT/TP were used (9 pairs there: F3-P3, Fp1-O1, ... were missing).
CAUDAL_ROWS: tuple[tuple[str, str], ...] = (
    ("FC", "CP"), ("FT", "TP"), ("F", "P"), ("AF", "PO"), ("FP", "O"))


# --------------------------------------------------------------------------- input helpers


_K = None


def _kernels():
    """The Numba kernels module, imported on first use (numba is not loaded with this module)
    and kept: a function-level import costs microseconds on every call of many small ones."""
    global _K
    if _K is None:
        from . import _eeg_kernels

        _K = _eeg_kernels
    return _K


def as_rows(data: np.ndarray) -> tuple[np.ndarray, tuple[int, ...]]:
    """View ``(..., n_times)`` data as C-contiguous float64 rows ``(n_rows, n_times)``."""
    x = np.asarray(data, dtype=np.float64)
    if x.ndim < 1 or x.shape[-1] == 0:
        raise ValueError(f"EEG data must have shape (..., n_times) with n_times > 0, got {x.shape}")
    lead = x.shape[:-1]
    return np.ascontiguousarray(x.reshape(-1, x.shape[-1])), lead


def bad_channel_mask(data: np.ndarray) -> np.ndarray:
    """True where a row ``(..., n_channels)`` is flat (constant) or holds NaN/inf.

    Parameters
    ----------
    data : ndarray, shape (..., n_channels, n_times)

    Returns
    -------
    ndarray of bool, shape (..., n_channels)
    """
    return row_status(data) > 0


def row_status(data: np.ndarray) -> np.ndarray:
    """Per row of ``(..., n_times)``: 0 usable, 1 flat (constant), 2 NaN or inf (one pass)."""
    K = _kernels()

    x, lead = as_rows(data)
    out = np.empty(x.shape[0], dtype=np.int8)
    K.row_status(x, out)
    return out.reshape(lead)


def warn_bad_channels(
    data: np.ndarray, ch_names: Sequence[str], source: str = "<array>", *,
    nonfinite: bool = True, said: str = "its features are NaN",
) -> np.ndarray:
    """Warn (:class:`EEGChannelWarning`) naming the input and each flat or non-finite channel.

    ``nonfinite=False`` names the flat channels only (for signals from the core reader, which
    has already named the non-finite ones). ``said``: what the features of a flat channel are
    (a set's ``flat_said``). Returns the mask of :func:`bad_channel_mask`.
    """
    from emofeat.flat_channels import say_flat

    mask = bad_channel_mask(data)
    per_channel = mask.reshape(-1, mask.shape[-1]).any(axis=0) if mask.ndim else mask
    x = np.asarray(data)
    for c in np.flatnonzero(per_channel):
        rows = x[..., c, :]
        finite = np.isfinite(rows).all()
        if not finite and not nonfinite:
            continue
        name = ch_names[c] if c < len(ch_names) else f"#{c}"
        if finite:  # a report a run says once for a recording's signals
            say_flat(source, name, said, stacklevel=2)
            continue
        warnings.warn(
            f"{source}: channel {name} has non-finite samples; its features are NaN",
            EEGChannelWarning,
            stacklevel=2,
        )
    return mask


def _nan_bad_rows(values: np.ndarray, bad: np.ndarray) -> np.ndarray:
    if bad.any():
        values[bad] = np.nan
    return values


def check_bands(
    bands: Mapping[str, tuple[float, float]] | None, sfreq: float
) -> dict[str, tuple[float, float]]:
    """Validate bands ``{name: (lo, hi)}`` (Hz, ``0 <= lo < hi <= sfreq / 2``)."""
    bands = DEFAULT_BANDS if bands is None else bands
    if not isinstance(bands, Mapping) or not bands:
        raise ValueError(f"bands must be a non-empty mapping name -> (lo, hi) in Hz, got {bands!r}")
    try:
        key = tuple((k, tuple(v)) for k, v in bands.items())
        hash(key)
    except TypeError:
        return _check_bands(bands, sfreq)
    return dict(_check_bands_cached(key, float(sfreq)))


@functools.lru_cache(maxsize=256)
def _check_bands_cached(key, sfreq):
    # called once per window: the checked bands of a (bands, rate) pair are remembered
    return tuple(_check_bands(dict(key), sfreq).items())


def _check_bands(bands, sfreq: float) -> dict[str, tuple[float, float]]:
    out = {}
    for name, edges in bands.items():
        if not isinstance(name, str) or not re.fullmatch(r"[A-Za-z0-9_]+", name):
            raise ValueError(
                f"band name {name!r} must be letters, digits or '_' (it goes into feature names)"
            )
        try:
            lo, hi = (float(e) for e in edges)
        except (TypeError, ValueError):
            raise ValueError(f"band {name!r} must be (lo, hi) in Hz, got {edges!r}") from None
        if not 0 <= lo < hi:
            raise ValueError(f"band {name!r} needs 0 <= lo < hi, got ({lo}, {hi})")
        if hi > sfreq / 2:
            raise ValueError(
                f"band {name!r} ends at {hi} Hz, above Nyquist ({sfreq / 2} Hz at sfreq={sfreq})"
            )
        out[name] = (lo, hi)
    return out


# --------------------------------------------------------------------------- PSD


@functools.lru_cache(maxsize=64)
def _window(name: str, n: int) -> np.ndarray:
    # the usual windows without importing scipy.signal (0.6 s, half of a short EEG command)
    from .filters import get_window

    # periodic (fftbins=True) window, as scipy.signal.spectrogram / welch use
    w = np.ascontiguousarray(get_window(name, n, periodic=True), dtype=np.float64)
    w.setflags(write=False)
    return w


def welch_params(
    n_times: int, n_fft: int = 256, n_per_seg: int | None = None, n_overlap: int = 0
) -> tuple[int, int, int]:
    """Effective ``(n_fft, n_per_seg, n_overlap)`` under MNE's rules for ``psd_array_welch``.

    ``n_fft`` longer than the signal is an error unless ``n_per_seg`` is given (zero padding);
    ``n_per_seg`` defaults to ``n_fft`` and is cut to the signal length.
    """
    if n_per_seg is None and n_fft > n_times:
        raise ValueError(
            f"n_fft={n_fft} is longer than the signal ({n_times} samples); lower n_fft or set "
            "n_per_seg for zero padding"
        )
    n_per_seg = n_fft if n_per_seg is None or n_per_seg > n_fft else int(n_per_seg)
    n_per_seg = min(n_per_seg, n_times)
    if not 0 <= n_overlap < n_per_seg:
        raise ValueError(
            f"need 0 <= n_overlap < n_per_seg ({n_per_seg}), got n_overlap={n_overlap}"
        )
    return int(n_fft), int(n_per_seg), int(n_overlap)


def welch_psd(
    data: np.ndarray,
    sfreq: float,
    *,
    fmin: float = 0.0,
    fmax: float = np.inf,
    n_fft: int = 256,
    n_per_seg: int | None = None,
    n_overlap: int = 0,
    window: str = "hamming",
    remove_dc: bool = True,
) -> tuple[np.ndarray, np.ndarray]:
    """Welch power spectral density, as :func:`mne.time_frequency.psd_array_welch`.

    Parameters
    ----------
    data : ndarray, shape (..., n_times)
    sfreq : float
        Sampling rate in Hz.
    fmin, fmax : float
        Frequency range kept (inclusive).
    n_fft, n_per_seg, n_overlap : int
        FFT length, segment length (default ``n_fft``) and overlap in samples (MNE's rules,
        :func:`welch_params`).
    window : str
        SciPy window name (periodic).
    remove_dc : bool
        Subtract each segment's mean before windowing.

    Returns
    -------
    psd : ndarray, shape (..., n_freqs)
        One-sided density (units^2 / Hz); NaN rows for rows with a non-finite sample.
    freqs : ndarray, shape (n_freqs,)
    """
    x, lead = as_rows(data)
    psd_rows, freqs, _ = _welch_rows(
        x, sfreq, fmin, fmax, n_fft, n_per_seg, n_overlap, window, remove_dc
    )
    return psd_rows.reshape(lead + (psd_rows.shape[1],)), freqs


def bin_freqs(n_fft: int, sfreq: float, psd_method: str = "welch") -> np.ndarray:
    """Frequencies of the bins of an ``n_fft``-point PSD at ``sfreq``, bit for bit as the
    PSD computes them.

    Parameters
    ----------
    n_fft : int
        Points of the FFT (the Welch segment, or the whole signal for multitaper).
    sfreq : float
    psd_method : {"welch", "multitaper"}
        ``"welch"``: ``arange(n_fft // 2 + 1) * (sfreq / n_fft)``, as MNE's
        ``psd_array_welch`` and :func:`welch_psd`; ``"multitaper"``: ``rfftfreq(n_fft, 1 /
        sfreq)``, as MNE's ``psd_array_multitaper``.

    Returns
    -------
    ndarray, shape (n_fft // 2 + 1,)

    Notes
    -----
    The two forms differ by an ulp where ``n_fft / sfreq`` is inexact: at 1000 Hz bin 7 of
    350 points is 20.0 Hz in the first, 19.999999999999996 Hz in the second. A bin on a band
    edge (or a range's ``fmin``) falls on the other side in the other form, so whoever counts
    the bins of a range for a PSD counts them here, with that PSD's form (until session 57
    the length checks used ``rfftfreq`` for the Welch PSD too, and refused or passed inputs
    by the bin that was not there).
    """
    n = max(int(n_fft), 1)
    if psd_method == "multitaper":
        return np.fft.rfftfreq(n, 1.0 / float(sfreq))
    if psd_method != "welch":
        raise ValueError(f"psd_method must be 'welch' or 'multitaper', got {psd_method!r}")
    return np.arange(n // 2 + 1, dtype=float) * (float(sfreq) / n)


@functools.lru_cache(maxsize=128)
def _welch_plan(
    n_times: int,
    sfreq: float,
    fmin: float,
    fmax: float,
    n_fft: int,
    n_per_seg: int | None,
    n_overlap: int,
    window: str,
):
    # everything about a Welch call that depends on its shape and parameters, not on the data:
    # computed once per window length (the feature sets call this for every window)
    n_fft, n_per_seg, n_overlap = welch_params(n_times, n_fft, n_per_seg, n_overlap)
    freqs = bin_freqs(n_fft, sfreq)
    keep = np.flatnonzero((freqs >= fmin) & (freqs <= fmax))
    if keep.size == 0:
        raise ValueError(f"no PSD bin between fmin={fmin} and fmax={fmax} Hz")
    step = n_per_seg - n_overlap
    n_seg = 1 + (n_times - n_per_seg) // step
    w = _window(window, n_per_seg)
    kept = freqs[keep[0] : keep[-1] + 1]
    kept.setflags(write=False)
    return (
        n_fft,
        step,
        n_seg,
        w,
        1.0 / (sfreq * float(np.dot(w, w))),
        slice(int(keep[0]), int(keep[-1]) + 1),
        kept,
    )


#: doubles of Welch segments transformed per ``rfft`` call: the segments of a few dozen rows
#: stay in the core's cache between cutting, transforming and averaging (one call over every
#: row of 17 windows x 138 channels was 1.6x slower than per window)
_CHUNK_DOUBLES = 1 << 17


#: scratch arrays of the Welch path reused from call to call, per thread: a fresh array of a
#: megabyte is new memory the kernel faults in page by page (the rfft of the 80 segments of
#: 4 channels took 3x as long into a new array as into a reused one). Up to 8 MB each (the
#: PSD of the windows of a 138-channel recording, 1.4 MB; that recording rebuilt by
#: ``transform``, 3.4 MB): allocations above glibc's mmap threshold come back as fresh pages
#: on every call once other code (MNE, pandas) has grown and trimmed the heap in between.
_SCRATCH = threading.local()
_SCRATCH_KEEP = 1 << 20  # elements: larger scratch arrays are not kept

#: numpy >= 2 transforms into a given array (its pocketfft is scipy.fft's: the same values)
_RFFT_OUT = np.lib.NumpyVersion(np.__version__) >= "2.0.0"


def _scratch(name: str, shape: tuple[int, ...], dtype) -> np.ndarray:
    n = math.prod(shape)
    if n > _SCRATCH_KEEP:
        return np.empty(shape, dtype)
    bufs = _SCRATCH.__dict__.setdefault("bufs", {})
    buf = bufs.get(name)
    if buf is None or buf.size < n:
        buf = bufs[name] = np.empty(_SCRATCH_KEEP if n > _SCRATCH_KEEP // 4 else 4 * n, dtype)
    return buf[:n].reshape(shape)


def _rfft_ufunc():
    """numpy's pocketfft ufunc of even and odd lengths (what ``numpy.fft.rfft`` calls after its
    argument checks, 6 us a call), or ``None`` (numpy < 2, another layout)."""
    try:
        from numpy.fft import _pocketfft_umath as pfu

        return pfu.rfft_n_even, pfu.rfft_n_odd
    except (ImportError, AttributeError):  # pragma: no cover - depends on numpy
        return None


_RFFT_UFUNC = _rfft_ufunc() if _RFFT_OUT else None


def _rfft(segs: np.ndarray, out: np.ndarray | None = None) -> np.ndarray:
    """Real FFT of the last axis of the scratch ``segs`` (overwritten) into ``out`` (scratch
    output when not given)."""
    if _RFFT_OUT:
        n = segs.shape[-1]
        if out is None:
            out = _scratch("spec", segs.shape[:-1] + (n // 2 + 1,), np.complex128)
        if _RFFT_UFUNC is not None:
            # numpy.fft.rfft(segs, axis=-1, out=out) without its checks: the same ufunc, the
            # same factor (1, norm="backward"), so the same bits
            ax = segs.ndim - 1
            # a segment with an inf sample gives NaN (its window is flagged and its features
            # are NaN, with an EEGChannelWarning): no RuntimeWarning on top
            with np.errstate(invalid="ignore"):
                return _RFFT_UFUNC[n % 2](segs, 1, axes=[(ax,), (), (ax,)], out=out)
        with np.errstate(invalid="ignore"):  # pragma: no cover - depends on numpy
            return np.fft.rfft(segs, axis=-1, out=out)
    import scipy.fft

    return scipy.fft.rfft(segs, axis=-1, workers=1, overwrite_x=True)


#: the same for the distinct segments of the windows of a recording: a quarter megabyte of
#: segments (and as much spectrum) stays in the core's L2 cache through cutting, rfft and
#: averaging (5-16 % faster on the bench layouts than a megabyte); the stacked rows of
#: ``_welch_rows`` have few segments each and keep the larger chunks (fewer calls)
_WINDOWS_CHUNK_DOUBLES = 1 << 15


def _chunks(n_rows: int, per_row: int, doubles: int = _CHUNK_DOUBLES):
    step = max(1, doubles // max(per_row, 1))
    for a in range(0, n_rows, step):
        yield a, min(a + step, n_rows)


def _welch_rows(
    x,
    sfreq,
    fmin=0.0,
    fmax=np.inf,
    n_fft=256,
    n_per_seg=None,
    n_overlap=0,
    window="hamming",
    remove_dc=True,
    status=None,
    scratch=False,
):
    """Welch PSD of C-contiguous rows: ``(psd (n_rows, n_freqs), freqs, row status)``.

    ``status``: :func:`row_status` of the rows when the caller has it already; ``scratch``:
    the PSD in this thread's scratch memory (callers that only read it before the next call).
    """

    K = _kernels()

    n_fft, step, n_seg, w, scale, sl, freqs = _welch_plan(
        int(x.shape[1]),
        float(sfreq),
        float(fmin),
        float(fmax),
        int(n_fft),
        None if n_per_seg is None else int(n_per_seg),
        int(n_overlap),
        str(window),
    )
    if status is None:
        status = np.empty(x.shape[0], dtype=np.int8)
        K.row_status(x, status)
    nonfinite = status == 2
    if nonfinite.any():
        x = np.where(nonfinite[:, None], 0.0, x)
    shape = (x.shape[0], n_fft // 2 + 1)
    psd = _scratch("psd", shape, np.float64) if scratch else np.empty(shape)
    for a, b in _chunks(x.shape[0], n_seg * n_fft):
        segs = _scratch("segs", (b - a, n_seg, n_fft), np.float64)
        K.welch_segments(x[a:b], w, step, n_seg, bool(remove_dc), segs)
        K.welch_average(_rfft(segs), scale, n_fft, psd[a:b])
    psd[nonfinite] = np.nan
    return psd[:, sl], freqs, status


def multitaper_psd(data: np.ndarray, sfreq: float, **kwargs) -> tuple[np.ndarray, np.ndarray]:
    """Multitaper PSD through :func:`mne.time_frequency.psd_array_multitaper` (needs ``mne``).

    Keyword arguments go to MNE (``fmin``, ``fmax``, ``bandwidth``, ``adaptive``,
    ``low_bias``, ``normalization``).
    """
    try:
        from mne.time_frequency import psd_array_multitaper
    except ImportError as exc:  # pragma: no cover - depends on the install
        raise ImportError("multitaper PSD needs mne: pip install 'emofeat[eeg]'") from exc
    x = np.asarray(data, dtype=np.float64)
    kwargs.setdefault("verbose", "error")
    used("mne")  # the run's provenance names MNE (emofeat._libraries)
    return psd_array_multitaper(x, sfreq, **kwargs)


def psd(
    data: np.ndarray, sfreq: float, method: str = "welch", **kwargs
) -> tuple[np.ndarray, np.ndarray]:
    """PSD by ``method``: ``"welch"`` (:func:`welch_psd`) or ``"multitaper"``
    (:func:`multitaper_psd`)."""
    if method == "welch":
        return welch_psd(data, sfreq, **kwargs)
    if method == "multitaper":
        return multitaper_psd(data, sfreq, **kwargs)
    raise ValueError(f"psd method must be 'welch' or 'multitaper', got {method!r}")


# --------------------------------------------------------------------------- band power


def band_bins(
    freqs: np.ndarray, bands: Mapping[str, tuple[float, float]], closed: bool = False
) -> tuple[np.ndarray, np.ndarray]:
    """First and one-past-last PSD bin of each band (``freqs`` ascending)."""
    f = np.asarray(freqs, dtype=float)
    edges = np.asarray(list(bands.values()), dtype=float).reshape(-1, 2)
    lo = np.searchsorted(f, edges[:, 0], side="left").astype(np.int64)
    hi = np.searchsorted(f, edges[:, 1], side="right" if closed else "left").astype(np.int64)
    return lo, hi


def empty_bands(
    bands: Mapping[str, tuple[float, float]], sfreq: float, n_fft: int, closed: bool = False,
    *, psd_method: str = "welch",
) -> list[str]:
    """Names of the bands that hold no bin of an ``n_fft``-point spectrum at ``sfreq``.

    A band without a bin has zero power: -inf in dB and differential entropy, NaN in
    relative power and asymmetry. It happens when the signal (or the Welch segment) is too
    short for the band's width: bins are ``sfreq / n_fft`` Hz apart.

    Parameters
    ----------
    bands : mapping name -> (lo, hi) in Hz
        Half-open ``[lo, hi)`` as :func:`band_bins` (``closed``: ``[lo, hi]``).
    sfreq : float
    n_fft : int
        Points of the FFT (the Welch segment; the whole signal for multitaper).
    closed : bool
    psd_method : {"welch", "multitaper"}
        Whose bins: :func:`bin_freqs` of that PSD (they differ by an ulp, enough to move a
        bin on a band edge across it).

    Returns
    -------
    list of str
        In the order of ``bands``.
    """
    f = bin_freqs(n_fft, sfreq, psd_method)
    lo, hi = band_bins(f, bands, closed=closed)
    return [name for name, a, b in zip(bands, lo, hi, strict=True) if b <= a]


def fft_length_for(bands: Mapping[str, tuple[float, float]], sfreq: float) -> int | None:
    """The FFT length from which every band holds a bin whatever the length: bins at most
    the narrowest band's width apart, ``ceil(sfreq / width)`` (``None`` when a band is
    empty, ``hi <= lo``). Shorter lengths may still give each band a bin, by where the bins
    fall (:func:`empty_bands` says)."""
    widths = [hi - lo for lo, hi in bands.values()]
    if not widths or min(widths) <= 0:
        return None
    return int(np.ceil(float(sfreq) / min(widths) - 1e-9))


def band_power(
    psd_values: np.ndarray,
    freqs: np.ndarray,
    bands: Mapping[str, tuple[float, float]] | None = None,
    *,
    kind: str = "absolute",
    total_band: tuple[float, float] | None = None,
    closed: bool = False,
) -> np.ndarray:
    """Band power from a PSD.

    Parameters
    ----------
    psd_values : ndarray, shape (..., n_freqs)
    freqs : ndarray, shape (n_freqs,)
        Evenly spaced, ascending (as :func:`welch_psd` returns).
    bands : mapping name -> (lo, hi), default :data:`DEFAULT_BANDS`
    kind : {"absolute", "relative", "db"}
        ``absolute``: sum of the band's bins times the bin width (uV^2 for uV input);
        ``relative``: band power over the power of ``total_band``; ``db``: ``10 log10``
        absolute.
    total_band : (lo, hi) or None
        Range of the total power for ``relative``; None: every bin given (mne-features).
    closed : bool
        Bands include their upper edge (mne-features) instead of half-open ``[lo, hi)``.

    Returns
    -------
    ndarray, shape (..., n_bands)
    """
    K = _kernels()

    bands = DEFAULT_BANDS if bands is None else bands
    p, lead = as_rows(psd_values)
    f = np.asarray(freqs, dtype=float)
    df = f[1] - f[0] if f.size > 1 else 1.0
    lo, hi = band_bins(f, bands, closed)
    out = np.empty((p.shape[0], len(bands)))
    K.band_sums(p, lo, hi, out)
    out *= df
    if kind == "absolute":
        pass
    elif kind == "relative":
        if total_band is None:
            total = p.sum(axis=1) * df
        else:
            tlo, thi = band_bins(f, {"total": total_band}, closed)
            tot = np.empty((p.shape[0], 1))
            K.band_sums(p, tlo, thi, tot)
            total = tot[:, 0] * df
        with np.errstate(invalid="ignore", divide="ignore"):
            out /= total[:, None]
    elif kind == "db":
        with np.errstate(divide="ignore", invalid="ignore"):
            out = 10.0 * np.log10(out)
    else:
        raise ValueError(f"band power kind must be 'absolute', 'relative' or 'db', got {kind!r}")
    return out.reshape(lead + (len(bands),))


def band_power_features(
    data: np.ndarray,
    sfreq: float,
    bands: Mapping[str, tuple[float, float]] | None = None,
    *,
    kinds: Sequence[str] = ("absolute", "relative", "db"),
    total_band: tuple[float, float] | None = None,
    psd_method: str = "welch",
    **psd_kwargs,
) -> dict[str, np.ndarray]:
    """Absolute, relative and dB band power of every channel from one PSD.

    Parameters
    ----------
    data : ndarray, shape (..., n_channels, n_times)
        One window, or windows/epochs ``(n_windows, n_channels, n_times)``.
    sfreq : float
        Sampling rate in Hz.
    bands : mapping name -> (lo, hi) Hz, optional
        Half-open ``[lo, hi)``; default :data:`DEFAULT_BANDS`.
    kinds : sequence of {"absolute", "relative", "db"}
    total_band : (lo, hi) Hz, optional
        Denominator of relative power; default the whole spectrum.
    psd_method : {"welch", "multitaper"}
    **psd_kwargs
        Passed to :func:`welch_psd` (``fmin``, ``fmax``, ``n_fft``, ``n_per_seg``,
        ``n_overlap``, ``window``, ``remove_dc``) or :func:`multitaper_psd`.

    Returns
    -------
    dict kind -> ndarray, shape (..., n_channels, n_bands)
        Flat and non-finite channels give NaN.

    Notes
    -----
    Windows that continue one another (window ``k + 1`` repeats the last samples of window
    ``k``, bit for bit: overlapping windows of one recording stacked, as
    ``mne.make_fixed_length_epochs(overlap=...)`` makes them) are found exactly (every
    sample compared) and computed as the windows of their recording
    (:func:`band_power_windows`): each Welch segment they share is cut and transformed once.
    The values are the same bits as each window's on its own; independent windows cost one
    look at the first channel of the first few pairs more.
    """
    bands = _check_kinds(bands, sfreq, kinds)
    x, lead = as_rows(data)
    if psd_method == "welch":
        got = _stacked_window_sums(x, lead, sfreq, bands, total_band, psd_kwargs)
        if got is not None:
            sums, f, status = got
            out = _kinds_of_sums(sums, f, status > 0, len(bands), kinds)
            return {k: v.reshape(lead + (len(bands),)) for k, v in out.items()}
        p, f, status = _welch_rows(x, sfreq, scratch=True, **psd_kwargs)
    else:
        p, f = psd(x, sfreq, psd_method, **psd_kwargs)
        status = row_status(x)
    out = _band_features(p, f, status > 0, bands, kinds, total_band)
    return {k: v.reshape(lead + (len(bands),)) for k, v in out.items()}


_NO_CONTEXT = contextlib.nullcontext()

#: the Welch parameters :func:`_welch_window_sums` takes (other keywords: the stacked path)
_WINDOW_WELCH_KW = frozenset(("fmin", "fmax", "n_fft", "n_per_seg", "n_overlap", "window",
                              "remove_dc"))


def _stacked_window_sums(x, lead, sfreq, bands, total_band, psd_kwargs):
    """The band bin sums ``(n_rows, n_bands + 1)`` (total last, unscaled), freqs and row
    status of the rows ``x`` of windows ``lead + (n_channels,)`` when some windows continue
    one another (:func:`_window_runs`): their runs through :func:`_welch_window_sums` (shared
    segments once), the other windows through :func:`_welch_rows` and :func:`band_sums`, as
    :func:`_band_features` sums them: the same bits. ``None`` when no window continues
    another (or the layout has no windows path): the caller's stacked path, unchanged."""
    if len(lead) < 2 or not set(psd_kwargs) <= _WINDOW_WELCH_KW:
        return None
    n_ch, n_t = lead[-1], x.shape[1]
    n_w = x.shape[0] // max(n_ch, 1)
    if n_w < 2 or n_ch < 1:
        return None
    S = x.reshape(n_w, n_ch, n_t)
    hop = _hop(S)
    if not hop:
        return None
    K = _kernels()
    sums = status = lo = hi = freqs = None
    for k, m, rec, starts, ends, st, windows in _window_runs(S, hop, direct=True):
        if rec is not None:
            # (the stacked path zeroes a row with a NaN or inf before its FFT; here its
            # segments are transformed as they are, NaN out, masked as there: no warning)
            with np.errstate(invalid="ignore") if (st == 2).any() else _NO_CONTEXT:
                s, f = _welch_window_sums(rec, sfreq, starts, ends, bands, total_band,
                                          windows=windows, **psd_kwargs)
            if sums is None:
                sums = np.empty((n_w, n_ch, s.shape[-1]))
                status = np.empty((n_w, n_ch), dtype=np.int8)
            sums[k:m] = s
            status[k:m] = st
            freqs = f
            continue
        rows = S[k:m].reshape((m - k) * n_ch, n_t)
        p, f, st = _welch_rows(rows, sfreq, scratch=True, **psd_kwargs)
        if lo is None:
            lo, hi = _band_bins_of(f, bands, total_band)
        if sums is None:
            sums = np.empty((n_w, n_ch, lo.shape[0]))
            status = np.empty((n_w, n_ch), dtype=np.int8)
        K.band_sums(np.ascontiguousarray(p), lo, hi, sums[k:m].reshape((m - k) * n_ch, -1))
        status[k:m] = st.reshape(m - k, n_ch)
        freqs = f
    return sums.reshape(n_w * n_ch, -1), freqs, status.reshape(-1)


def _check_kinds(bands, sfreq, kinds) -> dict[str, tuple[float, float]]:
    bands = check_bands(bands, sfreq)
    for k in kinds:
        if k not in ("absolute", "relative", "db"):
            raise ValueError(f"band power kind must be 'absolute', 'relative' or 'db', got {k!r}")
    return bands


def _band_features(p, f, bad, bands, kinds, total_band) -> dict[str, np.ndarray]:
    """Band power kinds ``{kind: (n_rows, n_bands)}`` of PSD rows ``p`` (NaN on ``bad``)."""
    K = _kernels()

    # one kernel call sums every band and the total; relative and dB follow from the sums
    lo, hi = _band_bins_of(f, bands, total_band)
    sums = np.empty((p.shape[0], lo.shape[0]))
    K.band_sums(np.ascontiguousarray(p), lo, hi, sums)
    return _kinds_of_sums(sums, f, bad, len(bands), kinds)


def _band_bins_of(f, bands, total_band) -> tuple[np.ndarray, np.ndarray]:
    """First and one-past-last bin of each band of ``bands`` and of the total (last)."""
    return _bins_with_total(
        np.ascontiguousarray(f, dtype=float).tobytes(),
        tuple(bands.values()),
        None if total_band is None else tuple(total_band),
    )


def _kinds_of_sums(sums, f, bad, nb, kinds) -> dict[str, np.ndarray]:
    """The band power kinds of the bin sums ``(n_rows, nb + 1)`` of the bands and the total
    (scaled here by the bin width, in place), NaN on ``bad``."""
    sums *= f[1] - f[0] if f.size > 1 else 1.0
    absolute = sums[:, :nb]
    out = {}
    with np.errstate(divide="ignore", invalid="ignore"):
        if "absolute" in kinds:
            out["absolute"] = absolute.copy()
        if "relative" in kinds:
            out["relative"] = absolute / sums[:, nb:]
        if "db" in kinds:
            out["db"] = 10.0 * np.log10(absolute)
    if bad.any():
        for k in kinds:
            out[k][bad] = np.nan
    return {k: out[k] for k in kinds}


# --------------------------------------------------------------------------- windows


def window_spans(n_times: int, n_window: int, n_hop: int | None = None) -> np.ndarray:
    """Sample spans ``[start, end)`` of the full windows of a recording, ``(n_windows, 2)``.

    Windows of ``n_window`` samples start at ``0, n_hop, 2 n_hop, ...`` (``n_hop`` defaults to
    ``n_window``); a tail shorter than a window is dropped (as
    :func:`emofeat.eeg_input.window_starts`).
    """
    n_window = int(n_window)
    n_hop = n_window if n_hop is None else int(n_hop)
    if n_window < 1 or n_hop < 1:
        raise ValueError(f"need n_window >= 1 and n_hop >= 1, got {n_window}, {n_hop}")
    starts = np.arange(0, int(n_times) - n_window + 1, n_hop, dtype=np.int64)
    return np.stack([starts, starts + n_window], axis=1)


#: checked spans ``(starts, ends)`` per (spans, length of the data, shortest window): every
#: recording of one length cut one way gives the same spans (never written by their users)
_SPANS: dict[tuple, tuple[np.ndarray, np.ndarray]] = {}


def _spans(spans, n_times: int, min_len: int = 1) -> tuple[np.ndarray, np.ndarray]:
    s = spans if isinstance(spans, np.ndarray) else np.asarray(spans)
    key = None
    if s.dtype == np.int64 and s.ndim == 2 and s.shape[1] == 2:
        key = (s.tobytes(), s.shape[0], int(n_times), int(min_len))
        got = _SPANS.get(key)
        if got is not None:
            return got
    a, b = _check_spans(s, n_times, min_len)
    if key is not None:
        if len(_SPANS) >= 256:
            _SPANS.clear()
        _SPANS[key] = (a, b)
    return a, b


def _check_spans(s, n_times: int, min_len: int) -> tuple[np.ndarray, np.ndarray]:
    if s.ndim != 2 or s.shape[1] != 2 or s.shape[0] == 0:
        raise ValueError(f"spans must be a non-empty (n_windows, 2) array of [start, end), got "
                         f"shape {s.shape}")
    if s.dtype != np.int64 and not np.issubdtype(s.dtype, np.integer):
        raise ValueError(f"spans must be integer sample indices, got {s.dtype}")
    a = np.ascontiguousarray(s[:, 0], dtype=np.int64)
    b = np.ascontiguousarray(s[:, 1], dtype=np.int64)
    if a.min() < 0 or b.max() > n_times:
        raise ValueError(f"spans must lie within the {n_times} samples of the data")
    lengths = b - a
    if lengths.min() < min_len:
        short = np.flatnonzero(lengths < min_len)
        raise ValueError(f"window {short[0]} ({a[short[0]]}:{b[short[0]]}) is shorter than "
                         f"{min_len} samples")
    return a, b


def _grid(a: np.ndarray, b: np.ndarray) -> int:
    """The largest block every start and end is a multiple of (gcd of the spans)."""
    return _layout(a, b)[0]


#: (block, dense) of window layouts (_layout)
_LAYOUTS: dict[tuple, tuple[int, bool]] = {}


def _layout(a: np.ndarray, b: np.ndarray) -> tuple[int, bool]:
    """``(block, dense)`` of the windows ``[a[w], b[w])``: the largest block every start and
    end is a multiple of (gcd of the spans), and whether each sample lies in more than 3
    windows on average (:func:`_hjorth_at` then merges per-block sums); remembered per
    layout (the sets of a recording and every recording cut the same way ask again)."""
    key = (a.tobytes(), b.tobytes())
    got = _LAYOUTS.get(key)
    if got is not None:
        return got
    if a.shape[0] <= 64:
        block = math.gcd(*a.tolist(), *b.tolist())
    else:
        block = int(np.gcd.reduce(np.concatenate([a, b])))
    dense = int((b - a).sum()) > 3 * (int(b.max()) - int(a.min()))
    if len(_LAYOUTS) >= 256:
        _LAYOUTS.clear()
    got = _LAYOUTS[key] = (block, dense)
    return got


#: the segment plans of window layouts (_windows_plan): a recording of the same length cut
#: the same way (every trial of a corpus, every pass over a data set) reuses its plan
_WINDOW_PLANS: dict[tuple, tuple] = {}


def _windows_plan(a, b, sfreq, fmin, fmax, n_fft, n_per_seg, n_overlap, window):
    """Everything about the Welch PSD of the windows ``[a[w], b[w])`` that depends on the
    spans and parameters, not on the data: ``(n_fft, window, scale, bin slice, freqs,
    distinct segment starts, seg_index, n_seg)``, remembered per layout (the arrays are
    never written by their users)."""
    key = (a.tobytes(), b.tobytes(), sfreq, fmin, fmax, n_fft, n_per_seg, n_overlap, window)
    got = _WINDOW_PLANS.get(key)
    if got is not None:
        return got
    K = _kernels()
    n_min, n_max = int((b - a).min()), int((b - a).max())
    plans = [_welch_plan(n, sfreq, fmin, fmax, n_fft, n_per_seg, n_overlap, window)
             for n in ((n_min,) if n_min == n_max else (n_min, n_max))]
    if plans[0][3].shape != plans[-1][3].shape or plans[0][0] != plans[-1][0]:
        raise ValueError(
            f"windows of {n_min} and {n_max} samples give different Welch segments "
            "(a window shorter than a segment): give windows of one length, or at least "
            "n_per_seg samples each"
        )
    n_fft, step, _, w, scale, sl, freqs = plans[-1]
    n_seg = 1 + (b - a - w.shape[0]) // step
    seg_index = np.empty((a.shape[0], int(n_seg.max())), dtype=np.int64)
    starts = K.segment_plan(a, n_seg, step, seg_index)
    if len(_WINDOW_PLANS) >= 64:
        _WINDOW_PLANS.clear()
    got = _WINDOW_PLANS[key] = (n_fft, w, scale, sl, freqs, starts, seg_index, n_seg)
    return got


def _segment_spectra(x, starts, w, n_fft, remove_dc, stack=None):
    """``(row0, rfft of the segments x[rows, starts[s]:starts[s] + len(w)] of that chunk of
    rows)`` for chunks of rows of about :data:`_WINDOWS_CHUNK_DOUBLES` segment samples: the
    distinct segments of :func:`_windows_plan`, windowed and detrended as Welch's.

    ``stack``: ``(xw, seg_win, seg_off)`` when the recording ``x`` (then only its shape is
    read) is the windows ``xw`` that continue one another bit for bit: segment ``s`` is cut
    from window ``seg_win[s]`` at ``seg_off[s]`` (:func:`welch_segments_win`), the same
    samples, not copied into a recording first."""
    K = _kernels()
    n_rows, n_st = x.shape[0], starts.shape[0]
    step = max(1, _WINDOWS_CHUNK_DOUBLES // max(n_st * n_fft, 1))
    # the scratch arrays of the largest chunk, taken once (a smaller last chunk uses their
    # first rows): 2-4 us a chunk less, and a 138-channel recording has 28 chunks
    h = min(step, n_rows)
    segs_all = _scratch("segs", (h, n_st, n_fft), np.float64)
    spec_all = (_scratch("spec", (h, n_st, n_fft // 2 + 1), np.complex128) if _RFFT_OUT
                else None)
    remove_dc = bool(remove_dc)
    for r0 in range(0, n_rows, step):
        n = min(step, n_rows - r0)
        segs = segs_all if n == h else segs_all[:n]
        if stack is None:
            K.welch_segments_at(x[r0:r0 + n], starts, w, remove_dc, segs)
        else:
            K.welch_segments_win(stack[0], stack[1], stack[2], r0, w, remove_dc, segs)
        spec = None if spec_all is None else (spec_all if n == h else spec_all[:n])
        yield r0, _rfft(segs, spec)


def _welch_windows(x, sfreq, a, b, fmin=0.0, fmax=np.inf, n_fft=256, n_per_seg=None,
                   n_overlap=0, window="hamming", remove_dc=True, status=None, scratch=False):
    """Welch PSD of the windows ``x[:, a[w]:b[w]]`` of C-contiguous rows, each distinct
    segment transformed once: ``(psd (n_windows, n_rows, n_freqs), freqs, status (n_windows,
    n_rows))`` (``status``: :func:`_status_at` of the windows when the caller has it;
    ``scratch``: the PSD in scratch memory, as :func:`_welch_rows`)."""

    K = _kernels()

    n_fft, w, scale, sl, freqs, starts, seg_index, n_seg = _windows_plan(
        a, b, float(sfreq), float(fmin), float(fmax), int(n_fft),
        None if n_per_seg is None else int(n_per_seg), int(n_overlap), str(window))
    if status is None:
        status = _status_at(x, a, b)
    shape = (a.shape[0], x.shape[0], n_fft // 2 + 1)
    psd = _scratch("psd", shape, np.float64) if scratch else np.empty(shape)
    for r0, spec in _segment_spectra(x, starts, w, n_fft, remove_dc):
        K.welch_average_at(spec, seg_index, n_seg, scale, n_fft, r0, psd)
    nonfinite = status == 2
    if nonfinite.any():
        psd[nonfinite] = np.nan
    return psd[..., sl], freqs, status


def _welch_window_bands(x, sfreq, a, b, bands, kinds, total_band, status, fmin=0.0,
                        fmax=np.inf, n_fft=256, n_per_seg=None, n_overlap=0, window="hamming",
                        remove_dc=True, windows=None) -> dict[str, np.ndarray]:
    """:func:`_band_features` of :func:`_welch_windows` (``{kind: (n_windows * n_rows,
    n_bands)}``, NaN where ``status`` > 0) without the PSD: each window's PSD row is summed
    per band as it is made (:func:`welch_bands_at`, the same bits)."""
    sums, freqs = _welch_window_sums(x, sfreq, a, b, bands, total_band, fmin, fmax, n_fft,
                                     n_per_seg, n_overlap, window, remove_dc, windows)
    n = a.shape[0] * x.shape[0]
    return _kinds_of_sums(sums.reshape(n, -1), freqs, status.reshape(n) > 0, len(bands), kinds)


def _welch_window_bands_status(x, sfreq, a, b, bands, kinds, total_band, block=None,
                               **psd_kwargs) -> tuple[dict[str, np.ndarray], np.ndarray]:
    """:func:`_welch_window_bands` and the windows' :func:`_status_at`, the status's pass for
    non-finite samples taken from the band sums where that is exact (:func:`_sums_nonfinite`):
    then only the rows it flags are read sample by sample, the others only up to each
    window's first change (:func:`status_known`). The same status, so the same values."""
    sums, freqs = _welch_window_sums(x, sfreq, a, b, bands, total_band, **psd_kwargs)
    nonfinite = _sums_nonfinite(a, b, sums, sfreq, bands, total_band, **psd_kwargs)
    status = (_status_at(x, a, b, block) if nonfinite is None
              else _status_at(x, a, b, nonfinite=nonfinite))
    n = a.shape[0] * x.shape[0]
    out = _kinds_of_sums(sums.reshape(n, -1), freqs, status.reshape(n) > 0, len(bands), kinds)
    return out, status


def _sums_nonfinite(a, b, sums, sfreq, bands, total_band, fmin=0.0, fmax=np.inf, n_fft=256,
                    n_per_seg=None, n_overlap=0, window="hamming", remove_dc=True):
    """Rows ``(n_rows,)`` bool that may hold a NaN or infinite sample in some window, from
    the windows' band sums ``(n_windows, n_rows, n_bands + 1)`` of :func:`_welch_window_sums`;
    ``None`` when that is not exact for this layout.

    Exact when each segment's mean is removed, the segments of every window cover it to its
    last sample and the total (the last sum) has a bin: a non-finite sample makes its
    segment's mean non-finite, so every windowed sample of that segment (``(v - mean) *
    w``, NaN where ``w`` is 0), hence every bin of its transform (each a sum of the segment's
    samples through the butterflies, zero padding or not), its ``|X|**2`` and every PSD bin
    of each window holding it: the window's total is NaN or infinite. A row is flagged when
    any window's total is; a finite row whose sums overflowed is flagged too, and a flagged
    row only gets the full check (never a wrong status)."""
    if not remove_dc:
        return None
    n_fft, w, scale, sl, freqs, starts, seg_index, n_seg = _windows_plan(
        a, b, float(sfreq), float(fmin), float(fmax), int(n_fft),
        None if n_per_seg is None else int(n_per_seg), int(n_overlap), str(window))
    lo, hi = _band_bins_of(freqs, bands, total_band)
    if hi[-1] <= lo[-1]:
        return None
    covered = starts[seg_index[np.arange(a.shape[0]), n_seg - 1]] + w.shape[0]
    if (covered < b).any():  # a window's last samples in none of its segments
        return None
    return ~np.isfinite(sums[:, :, -1]).all(axis=0)


def _welch_window_sums(x, sfreq, a, b, bands, total_band, fmin=0.0, fmax=np.inf, n_fft=256,
                       n_per_seg=None, n_overlap=0, window="hamming", remove_dc=True,
                       windows=None) -> tuple[np.ndarray, np.ndarray]:
    """The PSD bin sums of :func:`_welch_window_bands` before scaling: ``(sums (n_windows,
    n_rows, n_bands + 1), freqs)``, the total last.

    ``windows``: the windows themselves, ``(n_windows, n_rows, n_times)`` C-contiguous, when
    each continues the one before bit for bit (``transform``'s list of windows,
    :func:`continues_run`): ``x`` is then any array of the recording's shape (only its row
    count is read) and each segment is cut from a window holding it (the first window
    whose segments include it), the same samples and the same bits as from the recording."""
    K = _kernels()

    n_fft, w, scale, sl, freqs, starts, seg_index, n_seg = _windows_plan(
        a, b, float(sfreq), float(fmin), float(fmax), int(n_fft),
        None if n_per_seg is None else int(n_per_seg), int(n_overlap), str(window))
    lo, hi = _band_bins_of(freqs, bands, total_band)
    n_rows = x.shape[0]
    sums = np.empty((a.shape[0], n_rows, lo.shape[0]))
    k0 = int(sl.start)
    for w0, w1, s0, s1 in _window_chunks(seg_index, n_seg, starts.shape[0], n_fft):
        st = starts if s1 - s0 == starts.shape[0] else starts[s0:s1]
        si = seg_index[w0:w1] if s0 == 0 else seg_index[w0:w1] - s0
        out = sums if w1 - w0 == a.shape[0] else sums[w0:w1]
        stack = None
        if windows is not None:
            stack = (windows,) + _segment_sources(si, n_seg[w0:w1], st, a[w0:w1], w0)
        for r0, spec in _segment_spectra(x, st, w, n_fft, remove_dc, stack):
            K.welch_bands_at(spec, si, n_seg[w0:w1], scale, n_fft, k0, lo, hi, r0, out)
    return sums, freqs


def _segment_sources(seg_index, n_seg, starts, a, w0: int) -> tuple[np.ndarray, np.ndarray]:
    """``(seg_win, seg_off)``: for each distinct segment start ``starts[s]`` (of windows
    ``w0 + w`` starting at ``a[w]``, ``seg_index`` relative to ``starts``) a window whose
    segments include it (any: the windows agree there bit for bit) and its offset there."""
    used = np.arange(seg_index.shape[1]) < n_seg[:, None]
    seg_win = np.full(starts.shape[0], -1, dtype=np.int64)
    seg_win[seg_index[used]] = np.nonzero(used)[0]
    if (seg_win < 0).any():  # pragma: no cover - every distinct segment is some window's
        raise AssertionError("a Welch segment in no window")
    return seg_win + w0, starts - a[seg_win]


def _window_chunks(seg_index, n_seg, n_st: int, n_fft: int):
    """``(w0, w1, s0, s1)``: runs of windows whose distinct segments ``s0:s1`` fill about
    :data:`_WINDOWS_CHUNK_DOUBLES` a row, so that a long recording's segments and spectra
    stay in L2 through cutting, rfft and band sums as a short one's do (a 10-minute Muse
    recording has 4,800 segments of 250 samples a row: 9.6 MB, cut and transformed whole
    before); one run of all when they fit (twice the chunk: every bench layout). Each
    window's segments are the same ones, transformed and summed the same way (a segment
    of windows in two runs is transformed in both): the same bits."""
    if n_st * n_fft <= 2 * _WINDOWS_CHUNK_DOUBLES:
        yield 0, seg_index.shape[0], 0, n_st
        return
    per = max(1, _WINDOWS_CHUNK_DOUBLES // max(n_fft, 1))
    first = seg_index[:, 0]
    last = seg_index[np.arange(seg_index.shape[0]), n_seg - 1]
    w0, n_w = 0, seg_index.shape[0]
    while w0 < n_w:
        # windows whose last segment lies within `per` segments of this run's first (windows
        # in order of start, as cut; in another order a run may span more segments, with
        # the same values)
        w1 = max(w0 + 1, int(np.searchsorted(last, int(first[w0]) + per, side="left")))
        w1 = min(w1, n_w)
        yield w0, w1, int(first[w0:w1].min()), int(last[w0:w1].max()) + 1
        w0 = w1


def _hop(S: np.ndarray, max_pairs: int = 4, max_candidates: int = 64) -> int:
    """Samples by which window ``k + 1`` of ``S`` (n, n_channels, n_times) continues window
    ``k`` (its first samples repeat the end of window ``k``), found on the first channel of
    the first pairs; 0 when none does (a hint: :func:`_window_runs` checks every sample)."""
    n_t = S.shape[2]
    for k in range(min(S.shape[0] - 1, max_pairs)):
        a, b = S[k, 0], S[k + 1, 0]
        c = np.flatnonzero(a[1:] == b[0])[:max_candidates] + 1
        if c.size > 4:
            # candidates whose next 3 samples differ go (repeated values, e.g. integer
            # samples, match b[0] often), those too close to the end for it stay: the same
            # hop as comparing each in full, which the rest then are
            long = c < n_t - 3
            cl = c[long]
            same = (a[cl + 1] == b[1]) & (a[cl + 2] == b[2]) & (a[cl + 3] == b[3])
            c = np.concatenate([cl[same], c[~long]])
        for h in c:
            if np.array_equal(a[h:], b[: n_t - h]):
                return int(h)
    return 0


def _window_runs(S: np.ndarray, hop: int, direct: bool = False):
    """The windows ``S`` (n, n_rows, n_times) in runs, in order: ``(k, m, x, starts, ends,
    status, windows)`` for windows ``k .. m - 1`` each continuing the one before by ``hop``
    samples bit for bit (overlapping windows of one recording): ``x`` the recording they make
    (``x[:, starts[w]:ends[w]]`` is window ``k + w``; scratch memory, read it before the
    next run), ``status`` their :func:`_status_at`; and ``(k, m, None, None, None, None,
    None)`` for windows that continue nothing (compute them one by one or stacked).

    Pairs that may continue are found from two samples a row (:func:`continues_hint`), then
    each run is checked bit for bit while its recording is written (:func:`rebuild_run`), its
    rows' non-finite samples flagged in the same pass. ``direct`` (a C-contiguous ``S``, for
    callers whose computation takes ``windows``, :func:`_welch_window_sums`): a run of a
    megabyte or more whose windows overlap by half a window at most is checked without being
    written (:func:`continues_run`): ``x`` is then its first window (only its shape is read),
    ``windows`` the run's windows, where its segments are cut (the 5-window EDF: the copy was
    a third of ``rebuild_run``; the Muse recordings' short runs, 100 K doubles, and the 17
    windows of the EDF every quarter window, whose segments lie spread over 19 MB of windows,
    read faster from their copy). ``hop`` 0: every window alone."""
    K = _kernels()
    n, n_ch, n_t = S.shape
    if not hop:
        yield 0, n, None, None, None, None, None
        return
    S64 = S.view(np.int64)
    hint = K.continues_hint(S64, hop)
    whole = np.zeros(1, dtype=np.int64)
    whole_end = np.full(1, n_t, dtype=np.int64)
    k = 0
    while k < n:
        if k + 1 < n and hint[k]:
            m_max = k + 2
            while m_max < n and hint[m_max - 1]:
                m_max += 1
            if direct and (m_max - k) * n_ch * n_t >= _CHUNK_DOUBLES and 2 * hop >= n_t:
                # the run checked bit for bit and its rows' non-finite samples flagged in one
                # pass (as rebuild_run, without writing the recording): each window's status
                # read in it
                nonfinite = np.empty(n_ch, dtype=bool)
                m = K.continues_run(S64, S, hop, k, m_max, nonfinite)
                if m - k > 1:
                    starts = np.arange(m - k, dtype=np.int64) * hop
                    ends = starts + n_t
                    st = np.empty((m - k, n_ch), dtype=np.int8)
                    K.status_known(S[k:m].reshape((m - k) * n_ch, n_t), whole, whole_end,
                                   np.tile(nonfinite, m - k), st.reshape(1, (m - k) * n_ch))
                    yield k, m, S[k], starts, ends, st, S[k:m]
                    k = m
                    continue
            else:
                # (scratch memory reused from call to call)
                rec = _scratch("recording", (n_ch, n_t + (m_max - k - 1) * hop), np.float64)
                nonfinite = np.empty(n_ch, dtype=bool)  # rows of rec with a NaN or inf
                m = K.rebuild_run(S64, S, hop, k, m_max, rec.view(np.int64), nonfinite)
            if m - k > 1:
                if m < m_max:  # a pair the hint let through: the run's part, contiguous
                    rec = np.ascontiguousarray(rec[:, : n_t + (m - k - 1) * hop])
                starts = np.arange(m - k, dtype=np.int64) * hop
                ends = starts + n_t
                # (rows flagged past the run's end get the full check: the same status)
                st = _status_at(rec, starts, ends, nonfinite=nonfinite)
                yield k, m, rec, starts, ends, st, None
                k = m
                continue
        m = k + 1
        while m < n and not hint[m - 1]:
            m += 1
        yield k, m, None, None, None, None, None
        k = m


def _status_at(x, a, b, block: int | None = None, nonfinite: np.ndarray | None = None
               ) -> np.ndarray:
    """Row status ``(n_windows, n_rows)`` of the windows ``x[:, a[w]:b[w]]`` (0 usable, 1
    flat, 2 NaN/inf): per block of samples when the spans lie on a grid of 8 or more
    (``block``: :func:`_grid` of the spans, when the caller has it). ``nonfinite``: which
    rows of ``x`` hold a NaN or infinite sample, when the caller knows (the EEG reader's
    check of the same data): the rows without are then only tested for flat windows, each
    up to its first change (:func:`status_known`: the same status, no pass over the data)."""
    K = _kernels()

    status = np.empty((a.shape[0], x.shape[0]), dtype=np.int8)
    if nonfinite is not None:
        K.status_known(x, a, b, nonfinite, status)
        return status
    block = _grid(a, b) if block is None else block
    if block >= 8:
        K.status_blocks(x, a, b, block, status)
    else:
        K.status_at(x, a, b, status)
    return status


def welch_psd_windows(
    data: np.ndarray,
    sfreq: float,
    spans: np.ndarray,
    *,
    fmin: float = 0.0,
    fmax: float = np.inf,
    n_fft: int = 256,
    n_per_seg: int | None = None,
    n_overlap: int = 0,
    window: str = "hamming",
    remove_dc: bool = True,
) -> tuple[np.ndarray, np.ndarray]:
    """:func:`welch_psd` of windows of a continuous recording, each Welch segment once.

    Equal to ``welch_psd`` of every window cut on its own (the same segments, the same
    arithmetic; tested to the last bit), but a segment shared by overlapping windows is cut
    and transformed once: with windows every ``hop`` samples and segments every ``step``,
    the distinct segment starts lie on a grid of ``gcd(hop, step)`` samples.

    Parameters
    ----------
    data : ndarray, shape (..., n_times)
        The continuous recording (channels, or epochs x channels).
    sfreq : float
    spans : ndarray of int, shape (n_windows, 2)
        ``[start, end)`` sample spans of the windows, e.g. :func:`window_spans`; every window
        at least ``n_per_seg`` samples (windows may differ in length: each averages its own
        segments).
    fmin, fmax, n_fft, n_per_seg, n_overlap, window, remove_dc
        As :func:`welch_psd`, applied to each window.

    Returns
    -------
    psd : ndarray, shape (n_windows, ..., n_freqs)
        NaN for a window row with a non-finite sample.
    freqs : ndarray, shape (n_freqs,)
    """
    x, lead = as_rows(data)
    a, b = _spans(spans, x.shape[1])
    p, f, _ = _welch_windows(x, sfreq, a, b, fmin, fmax, n_fft, n_per_seg, n_overlap, window,
                             remove_dc)
    return p.reshape((a.shape[0],) + lead + (p.shape[-1],)), f


def band_power_windows(
    data: np.ndarray,
    sfreq: float,
    spans: np.ndarray,
    bands: Mapping[str, tuple[float, float]] | None = None,
    *,
    kinds: Sequence[str] = ("absolute", "relative", "db"),
    total_band: tuple[float, float] | None = None,
    **psd_kwargs,
) -> dict[str, np.ndarray]:
    """:func:`band_power_features` of windows of a continuous recording (Welch PSD through
    :func:`welch_psd_windows`: shared segments transformed once).

    Returns ``{kind: ndarray (n_windows, ..., n_channels, n_bands)}``; a channel flat or
    non-finite within a window gives NaN for that window.
    """
    bands = _check_kinds(bands, sfreq, kinds)
    x, lead = as_rows(data)
    a, b = _spans(spans, x.shape[1])
    out, _ = _welch_window_bands_status(x, sfreq, a, b, bands, kinds, total_band,
                                        **psd_kwargs)
    return {k: v.reshape((a.shape[0],) + lead + (len(bands),)) for k, v in out.items()}


def band_power_hjorth_windows(
    data: np.ndarray,
    sfreq: float,
    spans: np.ndarray,
    bands: Mapping[str, tuple[float, float]] | None = None,
    *,
    kinds: Sequence[str] = ("absolute", "relative", "db"),
    total_band: tuple[float, float] | None = None,
    convention: str = "hjorth",
    **psd_kwargs,
) -> tuple[dict[str, np.ndarray], np.ndarray]:
    """:func:`band_power_windows` and :func:`hjorth_windows` in one call: the windows' bad
    channels are found once and the checks run once (the same values as the two calls).

    Returns
    -------
    band_power : dict kind -> ndarray (n_windows, ..., n_channels, n_bands)
    hjorth : ndarray (n_windows, ..., n_channels, 3)
    """
    bands = _check_kinds(bands, sfreq, kinds)
    _check_convention(convention)
    x, lead = as_rows(data)
    a, b = _spans(spans, x.shape[1], 3)
    block = _grid(a, b)
    out, status = _welch_window_bands_status(x, sfreq, a, b, bands, kinds, total_band, block,
                                             **psd_kwargs)
    n = a.shape[0] * x.shape[0]
    flat = status.reshape(n) > 0
    h = _hjorth_at(x, a, b, convention, block)
    h.reshape(n, 3)[flat] = np.nan
    shape = (a.shape[0],) + lead
    return {k: v.reshape(shape + (len(bands),)) for k, v in out.items()}, h.reshape(shape + (3,))


def hjorth_windows(
    data: np.ndarray, spans: np.ndarray, *, convention: str = "hjorth"
) -> np.ndarray:
    """:func:`hjorth_parameters` of windows of a continuous recording, without copying them.

    Parameters
    ----------
    data : ndarray, shape (..., n_channels, n_times)
    spans : ndarray of int, shape (n_windows, 2)
        ``[start, end)`` of each window (at least 3 samples), e.g. :func:`window_spans`.
    convention : {"hjorth", "mne_features"}

    Returns
    -------
    ndarray, shape (n_windows, ..., n_channels, 3)
    """
    _check_convention(convention)
    x, lead = as_rows(data)
    a, b = _spans(spans, x.shape[1], 3)
    return _hjorth_windows(x, a, b, convention)[0].reshape((a.shape[0],) + lead + (3,))


def _hjorth_windows(x, a, b, convention, status=None) -> tuple[np.ndarray, np.ndarray]:
    """Hjorth ``(n_windows, n_rows, 3)`` and row status ``(n_windows, n_rows)`` of the windows
    ``x[:, a[w]:b[w]]`` of C-contiguous rows (NaN where flat or non-finite; ``status``: the
    windows' :func:`_status_at` when the caller has it)."""
    block = _grid(a, b)
    if status is None:
        status = _status_at(x, a, b, block)
    out = _hjorth_at(x, a, b, convention, block)
    out[status > 0] = np.nan
    return out, status


def _hjorth_at(x, a, b, convention, block: int | None = None) -> np.ndarray:
    """Hjorth ``(n_windows, n_rows, 3)`` of the windows ``x[:, a[w]:b[w]]`` (NaN not set;
    ``block``: :func:`_grid` of the spans, when the caller has it)."""
    K = _kernels()

    out = np.empty((a.shape[0], x.shape[0], 3))
    grid, dense = _layout(a, b)
    block = grid if block is None else block
    if block >= 16 and dense:
        # windows made of whole blocks, each sample in more than 3 of them (EDF: 2 s windows
        # every 0.25 s, 8): sums of squares once per block, merged per window (2x faster
        # there; at 2 windows per sample the two passes per window are faster)
        if convention == "hjorth":
            # shifted by each row's mean (finite samples): Hjorth's parameters are
            # shift-invariant, and the block means of a signal on a large DC offset (raw
            # DC-coupled EEG: tens of mV) lose the variance to cancellation (1e-11 relative at
            # 1 V, against 1e-16 per window). Not in mne_features' convention, whose
            # differences start from a prepended zero and so depend on the offset
            with np.errstate(invalid="ignore", over="ignore"):
                ref = x.mean(axis=1)
            for r in np.flatnonzero(~np.isfinite(ref)):  # rows with NaN/inf: finite samples'
                ok = np.isfinite(x[r])
                m = x[r][ok].mean() if ok.any() else 0.0
                ref[r] = m if np.isfinite(m) else 0.0
            x = x - ref[:, None]
        K.hjorth_blocks(x, a, b, block, convention == "mne_features", out)
    else:
        K.hjorth_at(x, a, b, convention == "mne_features", out)
    return out


@functools.lru_cache(maxsize=256)
def _bins_with_total(freqs: bytes, edges: tuple, total: tuple | None):
    # keyed on the exact bin frequencies: a band edge on a bin must fall as in band_power
    f = np.frombuffer(freqs, dtype=float)
    n = f.size
    lo, hi = band_bins(f, {str(i): e for i, e in enumerate(edges)})
    if total is None:  # every bin given, as band_power(kind="relative")
        tlo, thi = np.array([0]), np.array([n])
    else:
        tlo, thi = band_bins(f, {"total": total})
    lo, hi = np.concatenate([lo, tlo]), np.concatenate([hi, thi])
    lo.setflags(write=False)
    hi.setflags(write=False)
    return lo, hi


def spectral_entropy(
    psd_values: np.ndarray,
    freqs: np.ndarray,
    *,
    fmin: float = 0.0,
    fmax: float = np.inf,
    normalize: bool = False,
) -> np.ndarray:
    """Shannon entropy (bits) of the PSD normalised to a distribution over ``[fmin, fmax]``.

    ``normalize=True`` divides by ``log2(n_bins)`` (1 for a flat spectrum). With one bin in
    the range the distribution is that bin alone: its entropy is 0 (as mne-features' with one
    bin above DC), and its normalised entropy ``0 / log2(1)`` is undefined, NaN (until
    session 57 it was 0, the unnormalised value, given as normalised). mne-features'
    ``spect_entropy`` normalises by the power of every bin but leaves the DC bin out of the
    sum; with the DC bin excluded here too (``fmin`` above 0) and ``e`` the DC bin's share of
    the power (about 1 % on EEG: window leakage from the lowest bins),
    mne-features = ``(1 - e) H - (1 - e) log2(1 - e)``.

    Returns
    -------
    ndarray, shape (...,)
    """
    p = np.asarray(psd_values, dtype=np.float64)
    f = np.asarray(freqs, dtype=float)
    keep = (f >= fmin) & (f <= fmax)
    if not keep.any():
        raise ValueError(f"no PSD bin between fmin={fmin} and fmax={fmax} Hz")
    p = p[..., keep]
    with np.errstate(divide="ignore", invalid="ignore"):
        q = p / p.sum(axis=-1, keepdims=True)
        h = -np.sum(np.where(q > 0, q * np.log2(np.where(q > 0, q, 1.0)), 0.0), axis=-1)
        # + 0.0: a distribution of one outcome (q = 1) summed to -0.0 under the minus
        h = np.where(np.isfinite(q).all(axis=-1), h, np.nan) + 0.0
    if not normalize:
        return h
    if keep.sum() == 1:
        return np.full(h.shape, np.nan)  # 0 / log2(1): no entropy to reach
    return h / np.log2(keep.sum())


def spectral_edge_frequency(
    psd_values: np.ndarray,
    freqs: np.ndarray,
    edge: float = 0.5,
    *,
    fmin: float = 0.0,
    fmax: float = np.inf,
) -> np.ndarray:
    """Lowest frequency below which ``edge`` of the power in ``[fmin, fmax]`` lies.

    With ``fmin=0`` and ``fmax`` the reference frequency this is mne-features'
    ``spect_edge_freq``: the first bin where the cumulative power reaches ``edge`` times the
    power up to the reference. NaN for a row without power.

    Returns
    -------
    ndarray, shape (...,) in Hz
    """
    if not 0.0 <= edge <= 1.0:
        raise ValueError(f"edge must lie in [0, 1], got {edge}")
    p = np.asarray(psd_values, dtype=np.float64)
    f = np.asarray(freqs, dtype=float)
    keep = (f >= fmin) & (f <= fmax)
    if not keep.any():
        raise ValueError(f"no PSD bin between fmin={fmin} and fmax={fmax} Hz")
    p, f = p[..., keep], f[keep]
    c = np.cumsum(p, axis=-1)
    target = edge * c[..., -1:]
    idx = np.argmax(c >= target, axis=-1)
    out = f[idx]
    return np.where((c[..., -1] > 0) & np.isfinite(c[..., -1]), out, np.nan)


def time_statistics(data: np.ndarray) -> tuple[list[str], np.ndarray]:
    """Time-domain statistics of every channel: mean, std, skewness, kurtosis, peak-to-peak,
    line length (mean absolute first difference), zero-crossing rate of the mean-removed
    signal (crossings per sample).

    Population moments (ddof=0), Fisher (excess) kurtosis, as :func:`scipy.stats.skew` and
    :func:`scipy.stats.kurtosis` with ``bias=True``.

    Returns
    -------
    names : list of str
    values : ndarray, shape (..., n_channels, 7)
    """
    x = np.asarray(data, dtype=np.float64)
    names = ["mean", "std", "skew", "kurtosis", "ptp", "line_length", "zcr"]
    with np.errstate(over="ignore", under="ignore", invalid="ignore", divide="ignore"):
        out, m4 = _time_moments(x, 0, 0)
    bad = bad_channel_mask(x)
    # finite samples whose sums overflow (fourth powers of deviations past about 1e77) or
    # whose fourth powers underflow (deviations under about 1e-68): taken again scaled by
    # powers of two, as eeg_stats' kernels do (_eeg_stats_kernels._rescaled); until
    # session 58 their kurtosis, then skewness and std were inf or NaN, or wrong
    again = ~bad & ~(np.isfinite(out[..., :6]).all(axis=-1) & (m4 >= _M4_FLOOR))
    if again.any():
        out[again] = _time_statistics_rescaled(x[again])
    return names, _nan_bad_rows(out, bad)


#: the fourth moment under which :func:`time_statistics` takes a row again, rescaled (as
#: ``_eeg_stats_kernels._M4_FLOOR``): deviations under about 1e-68 lose their fourth powers
_M4_FLOOR = 2.0**-900


def _time_moments(x: np.ndarray, ex: np.ndarray | int, ed: np.ndarray | int
                  ) -> tuple[np.ndarray, np.ndarray]:
    """:func:`time_statistics` of ``x`` (its 7 values, and the fourth moment): the
    deviations scaled by ``2**-ed`` before their powers are taken, and mean, std,
    peak-to-peak and line length scaled by ``2**ex`` (``2**(ex + ed)``, std) after; with
    both 0, the plain definitions."""
    mean = x.mean(axis=-1)
    d = x - mean[..., None]
    sign = np.signbit(d)
    if np.any(ed):
        d = np.ldexp(d, -np.asarray(ed)[..., None])
    var = (d * d).mean(axis=-1)
    m4 = (d**4).mean(axis=-1)
    skew = (d**3).mean(axis=-1) / var**1.5
    kurt = m4 / var**2 - 3.0
    zcr = (sign[..., 1:] != sign[..., :-1]).mean(axis=-1)
    std = np.sqrt(var)
    ptp = np.ptp(x, axis=-1)
    line = np.abs(np.diff(x, axis=-1)).mean(axis=-1)
    if np.any(ex) or np.any(ed):
        mean, ptp, line = (np.ldexp(v, ex) for v in (mean, ptp, line))
        std = np.ldexp(std, np.asarray(ex) + ed)
    return np.stack([mean, std, skew, kurt, ptp, line, zcr], axis=-1), m4


def _time_statistics_rescaled(rows: np.ndarray) -> np.ndarray:
    """:func:`time_statistics` of finite, non-flat ``rows`` ``(k, n_times)`` of any
    magnitude: the samples scaled by the power of two that brings the largest near 1, their
    deviations by the one that brings the largest deviation near 1 (both exact but where a
    sample falls under the subnormal range), the results scaled back."""
    _, ex = np.frexp(np.abs(rows).max(axis=-1))
    scaled = np.ldexp(rows, -ex[:, None])
    d = scaled - scaled.mean(axis=-1, keepdims=True)
    _, ed = np.frexp(np.abs(d).max(axis=-1))
    with np.errstate(over="ignore", under="ignore", invalid="ignore", divide="ignore"):
        return _time_moments(scaled, ex, ed)[0]


# --------------------------------------------------------------------------- filtering and DE


#: The longest filter (taps) designed for a signal shorter than it. MNE's design and the
#: convolution hold about 160 bytes a tap (8.4 million taps, l_freq=1e-4 Hz at 256 Hz: 1.35 GB
#: and 17 s of CPU; 1e-9 Hz asks for 6 TiB): past this, a filter longer than the signal it
#: filters is refused. 2**21 taps is a 0.0016 Hz highpass at 1 kHz, 0.008 Hz at 5 kHz.
MAX_FIR_TAPS = 2**21

#: MNE's automatic filter length is this factor over the narrowest transition band (Hamming).
_HAMMING_LENGTH_FACTOR = 3.3


def fir_length(sfreq: float, l_freq: float | None, h_freq: float | None
               ) -> tuple[int, str | None, float]:
    """The length MNE's automatic rule gives the :func:`fir_filter` of these edges, computed
    without designing it.

    ``create_filter``'s defaults (``filter_length="auto"``, firwin, Hamming): transition
    bands ``min(max(l_freq / 4, 2), l_freq)`` and ``min(max(h_freq / 4, 2), sfreq / 2 -
    h_freq)``, and ``3.3 / narrowest`` seconds, rounded up to samples and to an odd count.

    Returns
    -------
    n_taps : int
        1 when neither edge is given.
    edge : {"l_freq", "h_freq"} or None
        The edge whose transition band sets the length.
    transition : float
        That transition band in Hz (``inf`` with no edge).
    """
    bands = {}
    if l_freq is not None:
        bands["l_freq"] = min(max(0.25 * l_freq, 2.0), l_freq)
    if h_freq is not None:
        bands["h_freq"] = min(max(0.25 * h_freq, 2.0), sfreq / 2.0 - h_freq)
    if not bands:
        return 1, None, math.inf
    edge = min(bands, key=bands.get)
    transition = bands[edge]
    if not transition > 0:  # an edge at 0 Hz or Nyquist: MNE's own error says so
        return 1, edge, transition
    samples = _HAMMING_LENGTH_FACTOR / transition * sfreq  # MNE's float operations
    if math.isinf(samples):  # an edge of 1e-310 Hz: the count exactly, past a float's range
        samples = Fraction(_HAMMING_LENGTH_FACTOR) / Fraction(transition) * Fraction(sfreq)
    n = max(math.ceil(samples), 1)
    return n + (n - 1) % 2, edge, transition


def check_fir_length(sfreq: float, l_freq: float | None, h_freq: float | None,
                     n_times: int, *, band: str | None = None,
                     source: str | None = None) -> None:
    """Refuse edges whose filter is longer than both ``n_times`` and :data:`MAX_FIR_TAPS`.

    A filter longer than the signal is MNE's "distortion is likely" warning, and MNE filters
    with it, so emofeat does too, up to :data:`MAX_FIR_TAPS` taps; past that (a highpass
    edge near 0 Hz, a lowpass edge near Nyquist) MNE's design ran out of memory or took
    gigabytes. A filter no longer than the signal is always designed: its cost is the data's.

    Parameters
    ----------
    band : str, optional
        The band whose edges these are (``"'delta' (1.0, 4.0)"``), said in place of
        ``l_freq``/``h_freq``.
    source : str, optional
        The input these samples are of: the refusal is then an
        :class:`~emofeat.errors.InputError` naming it.

    Raises
    ------
    ValueError
        (:class:`~emofeat.errors.InputError` where ``source`` is given) Naming the edge,
        the filter's length in samples and seconds, the signal's, and the way out.
    """
    n_taps, edge, transition = fir_length(sfreq, l_freq, h_freq)
    if n_taps <= max(int(n_times), MAX_FIR_TAPS):
        return
    value = l_freq if edge == "l_freq" else h_freq
    low = edge == "l_freq"
    if band is None:
        said = f"{edge}={value}"
        way_out = ("a larger l_freq, or l_freq=None (or 0) for no highpass" if low else
                   f"an h_freq further below Nyquist ({sfreq / 2} Hz), or h_freq=None for no "
                   "lowpass")
    else:
        said = f"band {band}'s {'lower' if low else 'upper'} edge {value} Hz"
        way_out = ("a larger lower edge, or 0 for no highpass" if low else
                   f"an upper edge further below Nyquist ({sfreq / 2} Hz), or Nyquist itself "
                   "for no lowpass")
    if n_taps < 1e300:
        taps, seconds = (str(n_taps) if n_taps < 1e15 else f"{n_taps:.3g}",
                         f"{n_taps / sfreq:.6g}")
    else:  # an edge of 1e-310 Hz: more taps than a float holds
        taps = seconds = "over 1e300"
    problem = (
        f"{said} needs a filter of {taps} samples ({seconds} s at "
        f"{sfreq:.6g} Hz: MNE's automatic length for its {transition:.3g} Hz transition band), "
        f"longer than the signal ({int(n_times)} samples, {int(n_times) / sfreq:.6g} s) and "
        f"than the {MAX_FIR_TAPS} samples emofeat designs for a shorter signal: give "
        f"{way_out}")
    if source is None:
        raise ValueError(problem)
    from emofeat.errors import InputError

    raise InputError(source, problem)


#: filters of more taps go to the cache bounded by their taps in all (_FIR_LONG_TAPS), not
#: to the one of 128 filters: 128 filters of up to MAX_FIR_TAPS taps held 2 GB; the short
#: ones (up to 0.5 MB each) hold at most 64 MB
_FIR_CACHED_TAPS = 2**16

#: taps of the long filters kept (32 MiB), most recently used first: eeg_de's
#: method="filter" asks for each band's filter in every window, and a design of 84,000
#: taps (0.01 Hz at 256 Hz) costs about as much CPU as filtering a 1 s window; a filter of
#: more taps than this is designed each time
_FIR_LONG_TAPS = 2**22
_fir_long: collections.OrderedDict[tuple, np.ndarray] = collections.OrderedDict()
_fir_long_lock = threading.Lock()


def _fir(sfreq: float, l_freq: float | None, h_freq: float | None) -> np.ndarray:
    used("mne")  # MNE's design, cached or not, decides the numbers: the provenance names it
    if fir_length(sfreq, l_freq, h_freq)[0] > _FIR_CACHED_TAPS:
        return _fir_long_cached(sfreq, l_freq, h_freq)
    return _fir_cached(sfreq, l_freq, h_freq)


def _fir_long_cached(sfreq: float, l_freq: float | None, h_freq: float | None) -> np.ndarray:
    """:func:`_fir_design`, kept while the long filters used since hold at most
    :data:`_FIR_LONG_TAPS` taps."""
    key = (sfreq, l_freq, h_freq)
    with _fir_long_lock:
        h = _fir_long.get(key)
        if h is not None:
            _fir_long.move_to_end(key)
            return h
    h = _fir_design(sfreq, l_freq, h_freq)
    if h.shape[0] <= _FIR_LONG_TAPS:
        with _fir_long_lock:
            _fir_long[key] = h
            kept = sum(v.shape[0] for v in _fir_long.values())
            while kept > _FIR_LONG_TAPS:
                kept -= _fir_long.popitem(last=False)[1].shape[0]
    return h


@functools.lru_cache(maxsize=128)
def _fir_cached(sfreq: float, l_freq: float | None, h_freq: float | None) -> np.ndarray:
    return _fir_design(sfreq, l_freq, h_freq)


def _fir_design(sfreq: float, l_freq: float | None, h_freq: float | None) -> np.ndarray:
    try:
        from mne.filter import create_filter
    except ImportError as exc:  # pragma: no cover - depends on the install
        raise ImportError("band-pass filtering needs mne: pip install 'emofeat[eeg]'") from exc
    h = create_filter(
        None,
        sfreq,
        l_freq,
        h_freq,
        method="fir",
        phase="zero",
        fir_window="hamming",
        fir_design="firwin",
        verbose="error",
    )
    h = np.ascontiguousarray(h, dtype=np.float64)
    h.setflags(write=False)
    return h


def fir_filter(
    data: np.ndarray, sfreq: float, l_freq: float | None, h_freq: float | None
) -> np.ndarray:
    """Zero-phase FIR band-, high- or low-pass, equal to :func:`mne.filter.filter_data` defaults.

    The filter is MNE's (``create_filter``: firwin, Hamming, automatic length and transition
    bands); it is applied the way MNE does (odd reflection of ``len(h) - 1`` samples at each
    edge, then the centred part of the convolution), with an FFT convolution of many rows at
    once instead of MNE's row-by-row loop: the rows go in blocks of at most
    ``_FIR_BLOCK_BYTES`` (256 MiB) of convolution work, so that a long filter on many
    channels costs a few blocks' memory.

    Parameters
    ----------
    data : ndarray, shape (..., n_times)
    sfreq : float
    l_freq, h_freq : float or None
        Pass band edges in Hz (None: no high-pass / no low-pass).

    Returns
    -------
    ndarray, same shape as ``data``, float64

    Raises
    ------
    ValueError
        When the filter is longer than ``data`` and than :data:`MAX_FIR_TAPS` samples
        (:func:`check_fir_length`), before it is designed.
    """
    x, _ = as_rows(data)
    check_fir_length(sfreq, l_freq, h_freq, x.shape[1])
    return _fir_filter_unchecked(data, sfreq, l_freq, h_freq)


def _fir_filter_unchecked(
    data: np.ndarray, sfreq: float, l_freq: float | None, h_freq: float | None
) -> np.ndarray:
    """:func:`fir_filter` with no check of the filter's length, for a caller that checked it
    against a longer signal (:func:`emofeat.eeg_input.filter_recording`: the recording, of
    which ``data`` is a stretch between gaps)."""
    x, lead = as_rows(data)
    h = _fir(
        float(sfreq),
        None if l_freq is None else float(l_freq),
        None if h_freq is None else float(h_freq),
    )
    return _apply_fir(x, h).reshape(lead + (x.shape[1],))


@functools.lru_cache(maxsize=32)
def _notch_taps(sfreq: float, freqs: tuple[float, ...]) -> np.ndarray:
    from mne.filter import create_filter

    # mne.filter.notch_filter's FIR defaults: a band-stop of width freq / 200 around each
    # line frequency, transition bands of 0.5 Hz on each side
    f = np.asarray(freqs, dtype=np.float64)
    stop = f / 200.0 / 2.0 + 0.5
    h = create_filter(None, sfreq, f + stop, f - stop, l_trans_bandwidth=0.5,
                      h_trans_bandwidth=0.5, method="fir", phase="zero", fir_window="hamming",
                      fir_design="firwin", verbose="error")
    h = np.ascontiguousarray(h, dtype=np.float64)
    h.setflags(write=False)
    return h


def _fir_notch(data: np.ndarray, sfreq: float, freqs: Sequence[float]) -> np.ndarray:
    """``mne.filter.notch_filter(data, sfreq, freqs)`` (its FIR defaults), applied as
    :func:`fir_filter` applies a band-pass, so that a NaN sample spoils only the outputs
    within the filter's reach of it (MNE's spread it over whole FFT blocks)."""
    x, lead = as_rows(data)
    used("mne")  # MNE's design, cached or not, decides the numbers: the provenance names it
    h = _notch_taps(float(sfreq), tuple(float(f) for f in freqs))
    return _apply_fir(x, h).reshape(lead + (x.shape[1],))


#: bytes of convolution work (padded rows and filter, 16 bytes a sample) filtered at once:
#: the rows past it go in further blocks, so that a filter of up to MAX_FIR_TAPS taps on many
#: channels costs a few blocks' memory, not channels x (samples + taps)
_FIR_BLOCK_BYTES = 256 << 20


def _fir_block_rows(n_times: int, n_h: int) -> int:
    """Rows of ``n_times`` samples one convolution with ``n_h`` taps takes within
    :data:`_FIR_BLOCK_BYTES` (at least one)."""
    n_edge = max(min(n_h, n_times) - 1, 0)
    return max(1, _FIR_BLOCK_BYTES // (16 * (n_times + 2 * n_edge + n_h)))


def _apply_fir(x: np.ndarray, h: np.ndarray) -> np.ndarray:
    """Rows ``x`` (n_rows, n_times) filtered by the zero-phase taps ``h`` as MNE applies them
    (odd reflection of ``len(h) - 1`` samples at each edge, the centred part of the
    convolution), a NaN/inf sample spoiling only the outputs it enters; the rows go in blocks
    of :func:`_fir_block_rows` (MNE filters one channel at a time)."""
    n_h = h.shape[0]
    if n_h == 1:
        return x * h[0]
    rows = _fir_block_rows(x.shape[1], n_h)
    if x.shape[0] <= rows:
        return _apply_fir_block(x, h)
    out = np.empty(x.shape)
    for start in range(0, x.shape[0], rows):
        out[start : start + rows] = _apply_fir_block(x[start : start + rows], h)
    return out


def _apply_fir_block(x: np.ndarray, h: np.ndarray) -> np.ndarray:
    """:func:`_apply_fir` of rows taken in one convolution."""
    from scipy.signal import oaconvolve

    n = x.shape[1]
    n_h = h.shape[0]
    n_edge = max(min(n_h, n) - 1, 0)
    if n_edge:
        # MNE's "reflect_limited" pad: odd reflection about the edge samples
        left = 2 * x[:, :1] - x[:, n_edge:0:-1]
        right = 2 * x[:, -1:] - x[:, -2 : -n_edge - 2 : -1]
        xp = np.concatenate([left, x, right], axis=1)
    else:
        xp = x
    # a NaN/inf sample would spoil every output of its FFT block (scipy's blocks, like MNE's,
    # are far longer than the filter: one dropout cost 52 % of a 59 s Muse channel):
    # convolve it as 0 and make NaN only the outputs within the filter's reach of it
    hit = ~np.isfinite(x).all(axis=1)  # the rows to look at sample by sample (few)
    if hit.any():
        bad = ~np.isfinite(xp[hit])
        xp = xp.copy() if xp is x else xp
        xp[hit] = np.where(bad, 0.0, xp[hit])
    full = oaconvolve(xp, h[None, :], mode="full", axes=1)
    shift = (n_h - 1) // 2 + n_edge
    out = np.ascontiguousarray(full[:, shift : shift + n])
    if hit.any():
        # output t is sum_k h[k] xp[shift + t - k]: the bad samples in that span of n_h
        counts = np.zeros((int(hit.sum()), xp.shape[1] + 1))
        np.cumsum(bad, axis=1, out=counts[:, 1:])
        # the span runs past the padded row where the filter is longer than the signal
        # (xp holds n + 2 (n - 1) samples there): what lies past it is not convolved
        last = xp.shape[1]
        top = np.arange(shift, shift + n) + 1
        reach = counts[:, np.minimum(top, last)] - counts[:, np.clip(top - n_h, 0, last)]
        out[hit] = np.where(reach > 0, np.nan, out[hit])
    return out


_LOG_2PIE = math.log(2.0 * math.pi * math.e)


def gaussian_de(variance: np.ndarray) -> np.ndarray:
    """Differential entropy of a Gaussian with this variance: ``0.5 ln(2 pi e var)`` (nats)."""
    with np.errstate(divide="ignore", invalid="ignore"):
        return 0.5 * (_LOG_2PIE + np.log(variance))


def differential_entropy(
    data: np.ndarray,
    sfreq: float,
    bands: Mapping[str, tuple[float, float]] | None = None,
    *,
    method: str = "filter",
    source: str | None = None,
    **psd_kwargs,
) -> np.ndarray:
    """Differential entropy of every channel in every band, Gaussian closed form.

    Parameters
    ----------
    data : ndarray, shape (..., n_channels, n_times)
    sfreq : float
    bands : mapping name -> (lo, hi), default :data:`DEFAULT_BANDS`
    method : {"filter", "psd"}
        ``filter``: ``0.5 ln(2 pi e var)`` of the signal band-passed by :func:`fir_filter`
        (SEED/DEAP/DREAMER practice; to follow it exactly, band-pass the continuous recording
        first with :func:`fir_filter` and take :func:`gaussian_de` of each window's variance).
        ``psd``: ``0.5 ln(2 pi e P)`` with ``P`` the absolute band power of the Welch PSD.
    source : str, optional
        The input ``data`` is of, named by the refusal of a band whose filter is too long
        (:func:`check_fir_length`, then an :class:`~emofeat.errors.InputError`).
    **psd_kwargs
        Passed to :func:`welch_psd` for ``method="psd"``.

    Returns
    -------
    ndarray, shape (..., n_channels, n_bands)
    """
    K = _kernels()

    bands = check_bands(bands, sfreq)
    bad = bad_channel_mask(data)
    if method == "psd":
        p, f = welch_psd(data, sfreq, **psd_kwargs)
        out = gaussian_de(band_power(p, f, bands, kind="absolute"))
    elif method == "filter":
        x, lead = as_rows(data)
        out = np.empty((x.shape[0], len(bands)))
        var = np.empty(x.shape[0])
        edges = [(lo if lo > 0 else None, hi if hi < sfreq / 2 else None)
                 for lo, hi in bands.values()]
        for name, (lo, hi) in zip(bands, edges, strict=True):
            # every band's filter checked before any is designed
            check_fir_length(sfreq, lo, hi, x.shape[1], band=f"{name!r} {bands[name]}",
                             source=source)
        for b, (lo, hi) in enumerate(edges):
            y = _fir_filter_unchecked(x, sfreq, lo, hi)
            K.row_variance(np.ascontiguousarray(y), var)
            out[:, b] = gaussian_de(var)
        out = out.reshape(lead + (len(bands),))
    else:
        raise ValueError(f"differential entropy method must be 'filter' or 'psd', got {method!r}")
    return _nan_bad_rows(out, bad)


def lds_smooth(
    features: np.ndarray, *, process_var: float = 1e-3, obs_var: float = 1.0
) -> np.ndarray:
    """Smooth features over consecutive windows with a linear dynamical system (RTS smoother).

    The model of Shi and Lu (2010), used on SEED's DE features: each feature follows a random
    walk ``z_t = z_{t-1} + w`` (variance ``process_var``) observed with noise (``obs_var``);
    the Kalman filter runs forward and the Rauch-Tung-Striebel smoother backward, independently
    for every feature. Variances are relative to the features' own scale, so standardise first
    if features differ in scale.

    Parameters
    ----------
    features : ndarray, shape (n_windows, ...)
        Windows of one recording in time order. A NaN (a window whose channel was flat or
        held a NaN sample) is a missing observation: the other windows are smoothed without
        it, and it stays NaN.

    Returns
    -------
    ndarray, same shape
    """
    y = np.asarray(features, dtype=np.float64)
    if y.shape[0] < 2:
        return y.copy()
    q, r = float(process_var), float(obs_var)
    if q <= 0 or r <= 0:
        raise ValueError(f"lds_smooth needs process_var > 0 and obs_var > 0, got {q}, {r}")
    seen = np.isfinite(y)
    if not seen.all():
        return _lds_missing(y, seen, q, r)
    n = y.shape[0]
    m = np.empty_like(y)
    p = np.empty(n)
    # diffuse prior: the first window sets the state with its observation noise, so the
    # smoothed series is the least-squares path that trades sum (y - z)^2 / r against
    # sum (z_t - z_{t-1})^2 / q
    m[0] = y[0]
    p[0] = r
    for t in range(1, n):
        m_prior = m[t - 1]
        p_prior = p[t - 1] + q
        k = p_prior / (p_prior + r)
        m[t] = m_prior + k * (y[t] - m_prior)
        p[t] = (1 - k) * p_prior
    s = m.copy()
    for t in range(n - 2, -1, -1):
        g = p[t] / (p[t] + q)
        s[t] = m[t] + g * (s[t + 1] - m[t])
    return s


def _lds_missing(y: np.ndarray, seen: np.ndarray, q: float, r: float) -> np.ndarray:
    """:func:`lds_smooth` with missing observations (``seen`` False): the Kalman step
    skips their update, so that one NaN window no longer made the whole trial's series NaN;
    variances per element, since the missing windows differ from feature to feature. The
    state is diffuse (infinite variance) until a feature's first observation."""
    n = y.shape[0]
    m = np.empty_like(y)
    p = np.empty_like(y)
    m[0] = np.where(seen[0], y[0], 0.0)
    p[0] = np.where(seen[0], r, np.inf)
    for t in range(1, n):
        p_prior = p[t - 1] + q
        first = np.isinf(p_prior)
        with np.errstate(invalid="ignore"):  # inf / inf and 0 * inf, where first holds
            k = np.where(seen[t], np.where(first, 1.0, p_prior / (p_prior + r)), 0.0)
            # the first observation sets the state with its noise, as window 0 does above
            p[t] = np.where(first & seen[t], r, (1 - k) * p_prior)
        # k is 0 where unseen: the state stays (the observation there taken as 0, not NaN)
        m[t] = m[t - 1] + k * (np.where(seen[t], y[t], 0.0) - m[t - 1])
    s = m.copy()
    for t in range(n - 2, -1, -1):
        with np.errstate(invalid="ignore"):
            g = p[t] / (p[t] + q)  # NaN before the first observation: those stay NaN
        s[t] = m[t] + g * (s[t + 1] - m[t])
    s[~seen] = np.nan
    return s


# --------------------------------------------------------------------------- Hjorth


def hjorth_parameters(data: np.ndarray, *, convention: str = "hjorth") -> np.ndarray:
    """Hjorth activity, mobility and complexity of every channel.

    Parameters
    ----------
    data : ndarray, shape (..., n_channels, n_times), n_times >= 3
    convention : {"hjorth", "mne_features"}
        ``hjorth``: Hjorth (1970) with population variances of the series and of its first
        and second differences. ``mne_features``: mne-features 0.3 (a zero is prepended before
        each difference, sample variances), which biases mobility upward on signals with a DC
        offset.

    Returns
    -------
    ndarray, shape (..., n_channels, 3)
        Activity (uV^2), mobility (per sample; times ``sfreq`` for Hz), complexity. NaN for
        a flat or non-finite channel.

    Notes
    -----
    Each row's status (flat, non-finite) and its Hjorth sums are taken in one read of the
    row (:func:`hjorth_status`: the row stays in cache between them). Windows that overlap
    share no Hjorth work with the same bits (a window's sums run over its own samples in one
    order): :func:`hjorth_windows` of their recording merges per-block sums instead, equal up
    to rounding.
    """
    _check_convention(convention)
    x, lead = as_rows(data)
    return _hjorth_status_rows(x, convention)[0].reshape(lead + (3,))


def _check_convention(convention: str) -> None:
    if convention not in ("hjorth", "mne_features"):
        raise ValueError(
            f"hjorth convention must be 'hjorth' or 'mne_features', got {convention!r}"
        )


def _hjorth_status_rows(x: np.ndarray, convention: str) -> tuple[np.ndarray, np.ndarray]:
    """Hjorth ``(n_rows, 3)`` of C-contiguous rows (NaN where flat or non-finite) and their
    :func:`row_status`, each row read once (:func:`hjorth_status`: the same ``hjorth_row``
    as :func:`hjorth`, the same status as :func:`row_status`)."""
    if x.shape[1] < 3:
        raise ValueError(f"Hjorth parameters need at least 3 samples, got {x.shape[1]}")
    out = np.empty((x.shape[0], 3))
    status = np.empty(x.shape[0], dtype=np.int8)
    _kernels().hjorth_status(x, convention == "mne_features", out, status)
    return _nan_bad_rows(out, status > 0), status



# --------------------------------------------------------------------------- asymmetry

_NAME_PREFIX = re.compile(r"^EEG[\s_-]*", re.IGNORECASE)  # "EEG Fp1", "EEG_F3", "EEG-Cz"
_NAME_SUFFIX = re.compile(r"[-_ ]?(REF|LE|AVG|A1|A2|M1|M2|CZ)$", re.IGNORECASE)
_OLD_NAMES = {"T3": "T7", "T4": "T8", "T5": "P7", "T6": "P8"}
_TEN_TWENTY = re.compile(r"^([A-Z]+?)(Z|\d+)$")


def normalise_channel_name(name: str) -> str:
    """10-20 spelling of a channel label: ``"EEG Fp1-REF"`` -> ``"FP1"``, ``"T3"`` -> ``"T7"``.

    Upper case; strips an ``EEG`` prefix, a reference suffix and trailing dots (the PhysioNet
    EEG Motor Movement/Imagery EDF labels pad names to 4 characters: ``"Fc5."``, ``"T9.."``);
    maps the old temporal names.
    """
    n = _bare(name)
    if "-" in n or "_" in n or " " in n:
        n = _NAME_SUFFIX.sub("", n)
    return _OLD_NAMES.get(n, n)


def _bare(name: str) -> str:
    """A label upper-cased without its ``EEG`` prefix and trailing dots."""
    return _NAME_PREFIX.sub("", str(name).strip().rstrip(".")).upper()


# row prefixes of the 10-20 / 10-10 / 10-5 systems (other labels, e.g. BioSemi "A1".."D32",
# are not electrode positions and must not be paired: _blocks)
_ROWS = frozenset(
    "N NFP FP AFP AF AFF F FFC FFT FC FCC FT FTT C CCP T TTP CP CPP TP TPP P PPO PO POO O OI I "
    "CB".split()
)


# a label of one letter and a number: BioSemi numbers the electrodes of its 128- to 256-channel
# caps by blocks of 32 ("A1".."A32", "B1".."B32", "C1", ...), where "C3" or "F4" is an
# electrode of block C or F, no 10-20 position
_BLOCK_LABEL = re.compile(r"^([A-Z])(\d{1,2})$")
# the highest number of each row in the 10-5 system (C1..C6, F1..F10, O9/O10, I1/I2, FC1..FC6,
# FT7..FT10, ...; every MNE montage of 10-20 names keeps within it): a label numbered beyond
# its row ("C7".."C32", "F11", "I3" of BioSemi's blocks) is no position (_position)
_ROW_TOP = {
    "N": 2, "NFP": 2, "FP": 2, "AFP": 10, "AF": 10, "AFF": 10, "F": 10, "FFC": 6, "FFT": 10,
    "FC": 6, "FCC": 6, "FT": 10, "FTT": 10, "C": 6, "CCP": 6, "T": 10, "TTP": 10, "CP": 6,
    "CPP": 6, "TP": 10, "TPP": 10, "P": 10, "PPO": 10, "PO": 10, "POO": 10, "O": 10, "OI": 2,
    "I": 2, "CB": 2,
}


def _blocks(names: Sequence[str]) -> frozenset[str]:
    """The block letters of a montage that numbers its electrodes by lettered blocks
    (BioSemi's ``A1``..``D32``), else none.

    Such a montage holds four labels ``A<n>`` and four ``B<n>`` at least, which no 10-20
    montage does (its only ``A`` labels are the ears A1 and A2; B is no row). Its blocks run
    from A to the last letter with a label that is no 10-5 position (``D7``; ``C12``, beyond
    the C row's C6; ``I5``), as BioSemi letters its blocks in turn: in a
    128-channel cap (A..D) ``F3`` is no block's electrode and reads as the 10-20 site (a name
    the user gave), in a 256-channel one (A..H) it is block F's. A label is read by its first end
    (``"C3-Pz"``: C3 against a Pz reference).
    """
    numbers: dict[str, set[int]] = {}
    for n in names:
        m = _BLOCK_LABEL.match(_ends(n)[0])
        if m is not None:
            numbers.setdefault(m.group(1), set()).add(int(m.group(2)))
    if not (len(numbers.get("A", ())) >= 4 and len(numbers.get("B", ())) >= 4):
        return _picked_blocks(numbers)
    # not C at least: a 64-channel cap (A, B) whose user named some electrodes C3, C4 pairs
    # them; a pick of blocks A..C numbered within C1..C6 alone reads them as sites (docs)
    last = max(k for k, v in numbers.items()
               if k not in _ROW_TOP or max(v) > _ROW_TOP[k])
    return frozenset(chr(c) for c in range(ord("A"), ord(last) + 1))


def _picked_blocks(numbers: dict[str, set[int]]) -> frozenset[str]:
    """The blocks of a pick of BioSemi blocks without A and B (``C1``..``D32``; ``E1``..``I8``),
    from ``numbers``, each one-letter label's numbers: letters in turn with four labels at
    least, each no row of the 10-5 system (``D``, ``E``) or numbered past its row's last site
    (``C7``.., ``F11``.., ``I3``..), a run holding such a row. Else none: a run of letters that
    are no row (an ECoG grid's ``G1``.. beside a strip's ``H1``..) changes no pair, and a row
    numbered within its sites (``C1``..``C6`` alone) reads as the sites (docs/eeg.md).
    """
    full = sorted(k for k, v in numbers.items()
                  if len(v) >= 4 and (k not in _ROW_TOP or max(v) > _ROW_TOP[k]))
    out: set[str] = set()
    run: list[str] = []
    for k in [*full, ""]:  # "" ends the last run
        if run and k and ord(k) == ord(run[-1]) + 1:
            run.append(k)
            continue
        if len(run) >= 2 and any(r in _ROW_TOP for r in run):
            out.update(run)
        run = [k]
    return frozenset(out)


def _block_label(name: str, blocks: frozenset[str]) -> bool:
    """Whether a label, or an end of it, is an electrode of one of ``blocks`` (``"C3"``,
    ``"A1-A2"`` of a cap lettered A..D)."""
    return any((m := _BLOCK_LABEL.match(e)) is not None and m.group(1) in blocks
               for e in _ends(name))


def _block_lookalikes(ch_names: Sequence[str]) -> list[str]:
    """Labels read as a block's electrodes that are also names of 10-5 sites (``F3`` of a cap
    lettered A..H): a 10-20 name the user gave one of them cannot be told apart."""
    blocks = _readings(ch_names).blocks
    out = []
    for n in ch_names:
        m = _BLOCK_LABEL.match(_ends(str(n))[0])
        if (m is not None and m.group(1) in blocks and m.group(1) in _ROW_TOP
                and int(m.group(2)) <= _ROW_TOP[m.group(1)]):
            out.append(str(n))
    return out


def _position(label: str) -> tuple[str, str] | None:
    """The 10-5 position (row, number) a normalised label names, else None: a row numbered
    past its last site (``C7``, ``F11``, ``I3``) is none, so that BioSemi's block electrodes
    ``C7``..``C16`` of a pick without blocks A and B are not paired as mirror sites."""
    m = _TEN_TWENTY.match(label)
    if m is None or m.group(1) not in _ROWS:
        return None
    if m.group(2) != "Z" and int(m.group(2)) > _ROW_TOP[m.group(1)]:
        return None
    return m.group(1), m.group(2)


def _parse(name: str) -> tuple[str, str] | None:
    return _position(normalise_channel_name(name))


# reference suffixes that are never an electrode: "FP1-REF", "F3-LE" read as one electrode
_ALWAYS_REF = re.compile(r"[-_ ]?(REF|LE|AVG)$", re.IGNORECASE)
# ear and mastoid electrodes: a reference ("T4-A2" is T4) unless the montage is a chain
# running from one of them (TCP's "A1-T3": then "T4-A2" is its mirror link; _montage)
_EAR_LABELS = frozenset(("A1", "A2", "M1", "M2"))
_CZ = ("C", "Z")


def _electrode(label: str, ears: frozenset = frozenset()) -> tuple[str, str] | None:
    """The 10-20 position of one end of a label; ``ears`` the ear/mastoid rows ("A", "M")
    that are positions in the montage."""
    label = label.strip()
    if label in _EAR_LABELS:
        return (label[0], label[1]) if label[0] in ears else None
    return _position(_OLD_NAMES.get(label, label))


def _ends(name: str) -> list[str]:
    n = _bare(name)
    if "-" in n or "_" in n or " " in n:
        n = _ALWAYS_REF.sub("", n)
    ends = n.split("-")
    if len(ends) == 3 and ends[2].isdigit():
        # MNE numbers a repeated label ("T8-P8-0", "T8-P8-1": CHB-MIT's EDFs hold T8-P8 twice)
        ends = ends[:2]
    return ends


def _derivation(name: str, ears: frozenset = frozenset()) -> tuple[tuple[str, str], ...] | None:
    """The two positions of a label ``"FP1-F7"`` (``"EEG T3-T5"``), else None; whether they
    are a derivation or an electrode and its reference the montage tells (:func:`_montage`)."""
    ends = _ends(name)
    if len(ends) != 2:
        return None
    a, b = _electrode(ends[0], ears), _electrode(ends[1], ears)
    if a is None or b is None or a == b:
        return None
    return a, b


class _Montage(NamedTuple):
    ears: frozenset  # ear/mastoid rows that are positions of a chain
    reference: frozenset  # the reference positions "A-X" names end at (Cz, a common one)
    bipolar: bool  # whether some channel is read as a derivation
    readings: tuple  # per channel ("mono", electrode), ("bi", (electrode, electrode)) or None
    blocks: frozenset  # the block letters of a montage numbered by blocks ("A1".."D32": A-D)


@functools.lru_cache(maxsize=64)
def _montage(names: tuple[str, ...]) -> _Montage:
    """How the montage's labels read: ``"A-B"`` (both ends positions) is the electrode A
    recorded against a reference B, or a bipolar derivation.

    Cz is a reference wherever no channel starts at it, as ``"X-Cz"`` was always read before
    derivations were paired (a Cz-referenced recording with EOG channels ``"F7-F8"``,
    ``"Fp1-Fp2"`` among its electrodes). Another position B is the common reference where
    more than half of the montage's two-position labels end at B, at least two, and no
    channel starts at B (``"F3-FCz"``): a referential recording keeps its electrodes beside
    a stray derivation, where a chain (a double banana) has no end that most of its links
    share, and runs on from its Cz (``"C3-Cz"``, ``"Cz-C4"``). Ear and mastoid ends
    (A1/A2, M1/M2) are a reference unless a channel runs from one to a position that is no
    reference (TCP's ``"A1-T3"``) and most labels do not end at an ear (``"F3-A2"``,
    ``"F4-A1"``, ... beside one ``"A2-Fpz"``: a recording against the ears).
    """
    # in a montage numbered by blocks (BioSemi's A1..D32: _blocks) a block's electrode is no
    # position, whatever its letter ("C3", "F4", "I1" of blocks C, F, I)
    blocks = _blocks(names)
    in_block = [_block_label(n, blocks) for n in names]
    kept = [n for n, b in zip(names, in_block, strict=True) if not b]
    # the references first, from the labels whose ends are 10-20 positions: an ear or mastoid
    # channel ending at one ("A1-Cz", "M2-Cz" of a Cz-referenced 10-05 cap) is an electrode
    # of the recording, no link of a chain
    two = [d for d in (_derivation(n) for n in kept) if d is not None]
    starts = {d[0] for d in two}
    ends = [e for e in map(_ends, kept) if len(e) == 2]
    reference = set()
    # ear channels too: "A1-Cz", "A2-Cz" beside plain labels are ears against Cz
    if any(e[1] == "CZ" for e in ends) and not any(e[0] == "CZ" for e in ends):
        reference.add(_CZ)
    if two:
        ref, k = collections.Counter(d[1] for d in two).most_common(1)[0]
        if 2 * k > len(two) and k >= 2 and ref not in starts:
            reference.add(ref)
    # a recording against the ears or mastoids (one ear, linked, ipsilateral, contralateral,
    # the AASM sleep montage's F4-M1, F3-M2): most labels end at an ear, where a chain's ear
    # links are two of many (TCP's A1-T3, T4-A2 among 22)
    n_ear_ends = sum(1 for e in ends if e[1] in _EAR_LABELS)
    ear_reference = 2 * n_ear_ends > len(ends) and n_ear_ends >= 2
    ears = frozenset() if ear_reference else frozenset(
        e[0][0] for e in ends
        if e[0] in _EAR_LABELS and (to := _electrode(e[1])) is not None and to not in reference
    )
    ders = [_derivation(n, ears) for n in names]
    out = []
    for name, d, b in zip(names, ders, in_block, strict=True):
        if b:
            out.append(None)
        elif d is None:
            p = _parse(name)
            out.append(None if p is None else ("mono", p))
        elif d[1] in reference:
            out.append(("mono", d[0]))
        else:
            out.append(("bi", d))
    bipolar = any(r is not None and r[0] == "bi" for r in out)
    return _Montage(ears, frozenset(reference), bipolar, tuple(out), blocks)


def _readings(ch_names: Sequence[str]) -> _Montage:
    return _montage(tuple(str(n) for n in ch_names))


def _electrode_index(readings: tuple) -> dict[tuple[str, str], int]:
    """The first single-electrode channel of each position."""
    index: dict[tuple[str, str], int] = {}
    for i, r in enumerate(readings):
        if r is not None and r[0] == "mono":
            index.setdefault(r[1], i)
    return index


def _side(e: tuple[str, str]) -> str:
    if e[1] == "Z":
        return "M"
    return "L" if int(e[1]) % 2 else "R"


def _lr_mirror(e: tuple[str, str]) -> tuple[str, str]:
    if e[1] == "Z":
        return e
    n = int(e[1])
    return e[0], str(n + 1 if n % 2 else n - 1)


def _bipolar_partner(readings, mirror, keep) -> list[tuple[int, int]]:
    """Pairs ``(i, j)`` of derivations: ``i`` one that ``keep`` accepts (of two channels
    joining the same two electrodes, the first), ``j`` the derivation of the mirrored ends.

    ``j`` may run the other way ("T3-C3" with "C4-T4", "C3-Cz" with "Cz-C4", the transverse
    chain of a double banana): a derivation's differential entropy and band power are those
    of its negative. The same direction is taken where both are present.
    """
    ordered, unordered = {}, {}
    for i, r in enumerate(readings):
        if r is not None and r[0] == "bi":
            ordered.setdefault(r[1], i)
            unordered.setdefault(frozenset(r[1]), i)
    pairs = []
    for i, r in enumerate(readings):
        if r is None or r[0] != "bi" or unordered[frozenset(r[1])] != i or not keep(r[1]):
            continue
        m = (mirror(r[1][0]), mirror(r[1][1]))
        j = ordered.get(m, unordered.get(frozenset(m)))
        if j is not None:
            pairs.append((i, j))
    return pairs


def _left(ends) -> bool:
    sides = {_side(e) for e in ends}
    return "L" in sides and "R" not in sides


def symmetric_pairs(ch_names: Sequence[str]) -> list[tuple[int, int]]:
    """Left/right electrode pairs among ``ch_names``: odd number ``n`` (left) with ``n + 1``.

    ``AF3``-``AF4``, ``F7``-``F8``, ``TP9``-``TP10``, ... for any montage with 10-20/10-10
    names; midline (``z``) and unparsable names are left out. A bipolar derivation
    (``"FP1-F7"``, ``"EEG T3-T5"``, both ends 10-20 positions) whose ends are left or midline,
    one at least left, pairs with the derivation of the mirrored ends (``"FP2-F8"``; in
    either direction: ``"T3-C3"`` with ``"C4-T4"``, ``"C3-CZ"`` with ``"CZ-C4"``); single
    electrodes pair with single electrodes only, derivations with derivations; ``"F3-Cz"``
    is the electrode F3 where no channel starts at Cz (``"F3-FCz"`` where most labels end at
    FCz and none starts at it), ``"T4-A2"`` a link where a channel runs from an ear to a
    position (``"A1-T3"``) and no ear is the montage's common end. In a montage numbered by
    blocks (BioSemi's ``A1``..``D32``) a block's electrode (``C3`` of a cap lettered A..D)
    is no position.
    Returns index pairs ``(left, right)`` in the order of the left channels.
    """
    readings = _readings(ch_names).readings
    index = _electrode_index(readings)
    pairs = []
    for i, r in enumerate(readings):
        if r is None or r[0] != "mono":
            continue
        p = r[1]
        if p[1] == "Z" or int(p[1]) % 2 == 0 or index.get(p) != i:
            continue
        j = index.get((p[0], str(int(p[1]) + 1)))
        if j is not None:
            pairs.append((i, j))
    pairs += _bipolar_partner(readings, _lr_mirror, _left)
    return sorted(pairs)


#: rows whose electrodes are their own front/back mirror (bipolar caudality)
_CENTRAL_ROWS = frozenset(("C", "T"))


def caudal_pairs(
    ch_names: Sequence[str], rows: Sequence[tuple[str, str]] = CAUDAL_ROWS
) -> list[tuple[int, int]]:
    """Frontal/posterior electrode pairs for caudality: ``FC5``-``CP5``, ``FT7``-``TP7``,
    ``F3``-``P3``, ``AF3``-``PO3``, ``Fp1``-``O1``, ...

    Pairs a channel of each frontal row with the channel of the same number (or ``z``) in the
    mirrored posterior row; ``rows`` lists the (frontal, posterior) row prefixes. A bipolar
    derivation whose ends lie in frontal rows or the central rows C and T (their own
    mirror), one at least frontal, pairs with the derivation of the mirrored ends, in
    either direction (``"FP1-F7"`` with ``"T5-O1"``, ``"F7-T3"`` with ``"T3-T5"``,
    ``"F3-C3"`` with ``"C3-P3"``); derivation pairs follow the single-electrode ones, in the
    order of the frontal derivations.
    """
    readings = _readings(ch_names).readings
    index = _electrode_index(readings)
    pairs = []
    for front, back in rows:
        for (prefix, num), i in sorted(index.items(), key=lambda kv: kv[1]):
            if prefix == front.upper() and (back.upper(), num) in index:
                pairs.append((i, index[(back.upper(), num)]))
    to_back = {f.upper(): b.upper() for f, b in rows}

    def mirror(e):  # of the ends of a frontal derivation only
        return e if e[0] in _CENTRAL_ROWS else (to_back[e[0]], e[1])

    def frontal(ends):
        places = {"F" if e[0] in to_back else "C" if e[0] in _CENTRAL_ROWS else "-"
                  for e in ends}
        return "F" in places and places <= {"F", "C"}

    return pairs + _bipolar_partner(readings, mirror, frontal)


def pair_names(ch_names: Sequence[str], pairs: Sequence[tuple[int, int]]) -> list[str]:
    """``"F3-F4"`` style names of index pairs (original channel labels); a bipolar
    derivation's label is put in parentheses, ``"(FP1-F7)-(FP2-F8)"``, so that the two
    channels of the pair stay apart."""
    readings = _readings(ch_names).readings

    def label(i):
        r = readings[i]
        return f"({ch_names[i]})" if r is not None and r[0] == "bi" else f"{ch_names[i]}"

    return [f"{label(i)}-{label(j)}" for i, j in pairs]


def asymmetry(
    features: np.ndarray, pairs: Sequence[tuple[int, int]], kind: str = "dasm"
) -> np.ndarray:
    """Asymmetry of per-channel features over electrode pairs.

    Parameters
    ----------
    features : ndarray, shape (..., n_channels, n_bands)
        For example :func:`differential_entropy` (the SEED convention) or band power.
    pairs : sequence of (i, j)
        From :func:`symmetric_pairs` (DASM/RASM) or :func:`caudal_pairs` (DCAU).
    kind : {"dasm", "rasm", "dcau"}
        ``dasm``/``dcau``: ``f[i] - f[j]``; ``rasm``: ``f[i] / f[j]``.

    Returns
    -------
    ndarray, shape (..., n_pairs, n_bands)
    """
    f = np.asarray(features, dtype=np.float64)
    idx = np.asarray(pairs, dtype=np.int64).reshape(-1, 2)
    left = f[..., idx[:, 0], :]
    right = f[..., idx[:, 1], :]
    if kind in ("dasm", "dcau"):
        return left - right
    if kind == "rasm":
        with np.errstate(divide="ignore", invalid="ignore"):
            return left / right
    raise ValueError(f"asymmetry kind must be 'dasm', 'rasm' or 'dcau', got {kind!r}")


def faa_pairs(
    ch_names: Sequence[str], pairs: Sequence[tuple[str, str]] = FAA_PAIRS
) -> list[tuple[int, int]]:
    """Index pairs of the frontal pairs (default :data:`FAA_PAIRS`) present in ``ch_names``.

    A pair names single electrodes (``("F3", "F4")``), found among the single-electrode
    channels only, or bipolar derivations (``("F3-C3", "F4-C4")``), found among the
    derivations in either direction (alpha power is that of the negative too); the defaults
    are single electrodes, so a bipolar montage has no FAA pair unless given one. A pair of
    one electrode and one derivation is a ``ValueError``. A montage numbered by blocks
    (BioSemi's ``A1``..``D32``, whose ``F3`` is an electrode of block F) has none.
    """
    m = _readings(ch_names)
    # a label given with no montage reference to read it by ("F3-Cz" beside "F3", "F4") is
    # read as before derivations were paired: Cz its reference
    given_ref = m.reference if m.reference or m.bipolar else frozenset((_CZ,))

    def key(name, ref):
        d = _derivation(name, m.ears)
        if d is None:
            return "mono", normalise_channel_name(name)
        if d[1] in ref:  # "Fp1-FCz" of an FCz-referenced recording is Fp1
            return "mono", "".join(d[0])
        return "bi", frozenset(d)

    found = {}
    for i, n in enumerate(ch_names):
        if not _block_label(n, m.blocks):  # BioSemi's "F3" of a cap with block F is its own
            found.setdefault(key(n, m.reference), i)

    out = []
    for left, right in pairs:
        given = key(left, given_ref), key(right, given_ref)
        if given[0][0] != given[1][0]:
            raise ValueError(
                f"faa pair {(left, right)!r} pairs a single electrode with a bipolar "
                "derivation: give two electrodes or two derivations"
            )
        i, j = found.get(given[0]), found.get(given[1])
        if i is not None and j is not None:
            out.append((i, j))
    return out


def frontal_alpha_asymmetry(
    alpha_power: np.ndarray, pairs: Sequence[tuple[int, int]]
) -> np.ndarray:
    """Frontal alpha asymmetry ``ln(P_right) - ln(P_left)`` (Davidson's convention).

    Positive values: more alpha power on the right than on the left, read as relatively
    greater left-frontal activity (alpha power is inversely related to cortical activity).

    Parameters
    ----------
    alpha_power : ndarray, shape (..., n_channels)
        Absolute alpha power.
    pairs : sequence of (left, right) indices, e.g. from :func:`faa_pairs`

    Returns
    -------
    ndarray, shape (..., n_pairs)
    """
    a = np.asarray(alpha_power, dtype=np.float64)
    idx = np.asarray(pairs, dtype=np.int64).reshape(-1, 2)
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.log(a[..., idx[:, 1]]) - np.log(a[..., idx[:, 0]])
