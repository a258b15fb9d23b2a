"""Windows, mel scales and mel filterbanks (NumPy, built once per parameter set).

Written here rather than taken from librosa so that extracting features never imports
librosa (seconds of start-up, librosa#1541), and so that filters come out in the sparse
(start, length, weights) form the Numba kernels use. Tests check them against
``librosa.filters.mel`` and ``scipy.signal.get_window``.
"""

from __future__ import annotations

import functools

import numpy as np

_F_SP = 200.0 / 3  # Slaney: 66.67 Hz per mel below 1 kHz
_MIN_LOG_HZ = 1000.0
_MIN_LOG_MEL = _MIN_LOG_HZ / _F_SP
_LOGSTEP = np.log(6.4) / 27.0


def hz_to_mel(f: np.ndarray | float, htk: bool = False) -> np.ndarray:
    """Hz to mel: Slaney's auditory toolbox scale (default) or HTK's ``2595 log10(1 + f/700)``."""
    f = np.asarray(f, dtype=np.float64)
    if htk:
        return 2595.0 * np.log10(1.0 + f / 700.0)
    mels = f / _F_SP
    return np.where(
        f >= _MIN_LOG_HZ,
        _MIN_LOG_MEL + np.log(np.maximum(f, _MIN_LOG_HZ) / _MIN_LOG_HZ) / _LOGSTEP,
        mels,
    )


def mel_to_hz(m: np.ndarray | float, htk: bool = False) -> np.ndarray:
    """Inverse of :func:`hz_to_mel`."""
    m = np.asarray(m, dtype=np.float64)
    if htk:
        return 700.0 * (10.0 ** (m / 2595.0) - 1.0)
    return np.where(
        m >= _MIN_LOG_MEL, _MIN_LOG_HZ * np.exp(_LOGSTEP * (m - _MIN_LOG_MEL)), _F_SP * m
    )


@functools.lru_cache(maxsize=64)
def mel_filterbank(
    sr: int,
    n_fft: int,
    n_mels: int = 128,
    fmin: float = 0.0,
    fmax: float | None = None,
    htk: bool = False,
    norm: str | float | None = "slaney",
    interpolate: str = "hz",
) -> np.ndarray:
    """Triangular mel filters, shape ``(n_mels, n_fft // 2 + 1)``, float64, read-only.

    Parameters
    ----------
    sr, n_fft : int
        Sample rate and FFT size.
    n_mels : int
        Number of filters.
    fmin, fmax : float
        Band edges in Hz; ``fmax=None`` means ``sr / 2``. A ``fmax`` above ``sr / 2`` gives
        librosa's filters: laid out up to ``fmax`` and cut at ``sr / 2``, where the spectrum
        ends (a filter wholly above it holds no bin).
    htk : bool
        Use the HTK mel formula instead of Slaney's.
    norm : "slaney", float or None
        ``"slaney"`` divides each triangle by its width in Hz (constant energy per band);
        ``None`` leaves unit peaks; a number ``p`` (``> 0``, ``inf``, or ``0``) divides each
        filter by its ``p``-norm over the FFT bins, as ``librosa.filters.mel(norm=p)``
        (``librosa.util.normalize``: ``inf`` the largest weight, ``0`` the count of nonzero
        weights; a filter without a bin is left at zero).
    interpolate : {"hz", "mel"}
        Triangles linear in Hz between mel-spaced edges (librosa, Slaney) or linear in mel
        (HTK's ``HBuild`` filterbank, which also leaves the DC bin out).
    """
    if fmax is None:
        fmax = sr / 2.0
    if not (0 <= fmin < fmax and np.isfinite(fmax)):
        raise ValueError(f"need 0 <= fmin < fmax (finite), got fmin={fmin}, fmax={fmax}, "
                         f"sr={sr}")
    if not (norm is None or norm == "slaney" or _is_p_norm(norm)):
        raise ValueError(f"norm must be 'slaney', None or a number >= 0 (a p-norm), got "
                         f"{norm!r}")
    if interpolate not in ("hz", "mel"):
        raise ValueError(f"interpolate must be 'hz' or 'mel', got {interpolate!r}")
    freqs = np.fft.rfftfreq(n_fft, 1.0 / sr)
    edges_mel = np.linspace(hz_to_mel(fmin, htk), hz_to_mel(fmax, htk), n_mels + 2)
    edges_hz = mel_to_hz(edges_mel, htk)
    if interpolate == "hz":
        axis, edges = freqs, edges_hz
    else:
        axis, edges = hz_to_mel(freqs, htk), edges_mel
    lower = (axis[None, :] - edges[:-2, None]) / np.diff(edges)[:-1, None]
    upper = (edges[2:, None] - axis[None, :]) / np.diff(edges)[1:, None]
    weights = np.maximum(0.0, np.minimum(lower, upper))
    if interpolate == "mel":
        weights[:, 0] = 0.0
    if norm == "slaney":
        weights *= (2.0 / (edges_hz[2:] - edges_hz[:-2]))[:, None]
    elif norm is not None:
        weights = p_normalized(weights, norm)
    weights.setflags(write=False)
    return weights


def p_normalized(weights: np.ndarray, norm: float) -> np.ndarray:
    """``weights`` (filters x FFT bins) with each filter divided by its ``norm``-norm over
    the bins, as ``librosa.util.normalize(weights, norm=norm, axis=-1)``.

    Parameters
    ----------
    weights : np.ndarray
        Filters by rows, float64; not changed.
    norm : float
        ``p > 0``, ``inf`` (the largest weight) or ``0`` (the count of nonzero weights).

    Returns
    -------
    np.ndarray
        A new array; a filter without a bin (norm 0) is left at zero, as librosa leaves
        vectors below its threshold (the dtype's tiny) unscaled.
    """
    p = float(norm)
    if np.isinf(p):
        length = weights.max(axis=1)
    elif p == 0:
        length = np.count_nonzero(weights, axis=1).astype(np.float64)
    else:
        length = (weights**p).sum(axis=1) ** (1.0 / p)
    length[length < np.finfo(np.float64).tiny] = 1.0
    return weights / length[:, None]


def _is_p_norm(norm: object) -> bool:
    """A number that ``librosa.filters.mel(norm=...)`` takes as a p-norm: ``> 0``, ``inf`` or
    ``0`` (not a bool, NaN, a negative number or ``-inf``)."""
    import numbers

    return (isinstance(norm, numbers.Real) and not isinstance(norm, bool | np.bool_)
            and float(norm) >= 0)


def sparse_filterbank(weights: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Compress a filterbank to ``(starts, lengths, band_weights)`` for the kernels.

    Each filter is non-zero on a short run of bins; the kernels loop over that run only,
    which is what makes the filterbank cost negligible beside the FFT.
    """
    n_filters = weights.shape[0]
    starts = np.zeros(n_filters, dtype=np.int64)
    lengths = np.zeros(n_filters, dtype=np.int64)
    for i in range(n_filters):
        nz = np.flatnonzero(weights[i])
        if nz.size:
            starts[i], lengths[i] = nz[0], nz[-1] - nz[0] + 1
    width = max(1, int(lengths.max(initial=0)))
    band = np.zeros((n_filters, width), dtype=np.float64)
    for i in range(n_filters):
        band[i, : lengths[i]] = weights[i, starts[i] : starts[i] + lengths[i]]
    return starts, lengths, band


@functools.lru_cache(maxsize=64)
def analysis_window(window: str | tuple | float, win_length: int, n_fft: int,
                    periodic: bool = True) -> np.ndarray:
    """Window of ``win_length`` samples centred in ``n_fft`` zeros (librosa's ``pad_center``).

    ``periodic=True`` is the DFT-even window used by librosa and scipy's STFT; HTK uses the
    symmetric one (``periodic=False``).
    """
    if win_length > n_fft:
        raise ValueError(f"win_length={win_length} exceeds n_fft={n_fft}")
    w = get_window(window, win_length, periodic)
    out = np.zeros(n_fft, dtype=np.float64)
    left = (n_fft - win_length) // 2
    out[left : left + win_length] = w
    out.setflags(write=False)
    return out


#: cosine-sum windows by name: their coefficients (scipy.signal.windows' definitions)
_COSINE_WINDOWS = {
    "hann": (0.5, 0.5), "hamming": (0.54, 1.0 - 0.54),
    "blackman": (0.42, 0.50, 0.08),
}


class WindowValues(tuple):
    """A window given by its samples (a tuple of floats: hashable, for the cached plans), as
    ``librosa.filters.get_window`` takes an array of ``n`` values: used as it is, whatever
    ``periodic`` says."""

    __slots__ = ()


def get_window(window: str | tuple | float, n: int, periodic: bool = True) -> np.ndarray:
    """``scipy.signal.get_window(window, n, fftbins=periodic)`` as float64; a
    :class:`WindowValues` is its own samples (``n`` of them).

    The usual windows (Hann, Hamming, Blackman, triangular, rectangular) are computed here,
    the way scipy computes them (a cosine sum over ``linspace(-pi, pi)``; the triangle's
    ramps; equal to scipy's to the last bit, tested), because importing ``scipy.signal``
    imports ``scipy.stats`` and costs more start-up than analysing a few files (0.6 s); any
    other window comes from scipy.
    """
    if isinstance(window, WindowValues):
        if len(window) != n:
            raise ValueError(f"a window given by its values must hold {n} of them, got "
                             f"{len(window)}")
        return np.array(window, dtype=np.float64)
    name = window if isinstance(window, str) else None
    if n >= 1 and name in ("boxcar", "box", "ones", "rect", "rectangular"):
        return np.ones(n, dtype=np.float64)
    if n > 1 and name in ("triang", "triangle", "tri"):
        m = n + 1 if periodic else n
        k = np.arange(1, (m + 1) // 2 + 1)
        if m % 2:  # odd: the peak is the middle sample, 1
            ramp = 2 * k / (m + 1.0)
            w = np.r_[ramp, ramp[-2::-1]]
        else:
            ramp = (2 * k - 1.0) / m
            w = np.r_[ramp, ramp[::-1]]
        return w[:-1] if periodic else w
    if n > 1 and name in _COSINE_WINDOWS:
        m = n + 1 if periodic else n
        fac = np.linspace(-np.pi, np.pi, m)
        w = np.zeros(m, dtype=np.float64)
        for k, a in enumerate(_COSINE_WINDOWS[name]):
            w += a * np.cos(k * fac)
        return w[:-1] if periodic else w
    import scipy.signal

    return np.asarray(scipy.signal.get_window(window, n, fftbins=periodic), dtype=np.float64)


@functools.lru_cache(maxsize=64)
def dct_matrix(n_out: int, n_in: int, scaling: str = "ortho") -> np.ndarray:
    """DCT-II as a matrix, shape ``(n_out, n_in)``.

    ``"ortho"``: orthonormal (scipy ``norm='ortho'``, librosa). ``"htk"``: ``sqrt(2/N)`` for
    every row, c0 included (HTK book, section 5.6).
    """
    k = np.arange(n_out)[:, None]
    j = np.arange(n_in)[None, :]
    m = np.sqrt(2.0 / n_in) * np.cos(np.pi * k * (2 * j + 1) / (2.0 * n_in))
    if scaling == "ortho":
        m[0] /= np.sqrt(2.0)
    elif scaling != "htk":
        raise ValueError(f"scaling must be 'ortho' or 'htk', got {scaling!r}")
    m.setflags(write=False)
    return m


def lifter_weights(n_ceps: int, lifter: float, convention: str = "librosa") -> np.ndarray:
    """Sinusoidal cepstral lifter ``1 + (L/2) sin(pi n / L)``.

    librosa indexes with ``n = k + 1`` for coefficient ``k`` (so c0 is liftered); HTK uses
    ``n = k`` (c0 untouched). ``lifter=0`` gives ones.
    """
    if lifter <= 0:
        return np.ones(n_ceps)
    n = np.arange(n_ceps, dtype=np.float64) + (1.0 if convention == "librosa" else 0.0)
    return 1.0 + (lifter / 2.0) * np.sin(np.pi * n / lifter)
