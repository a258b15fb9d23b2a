"""Statistical functionals: one row of statistics per input from frame-level descriptors.

Every frame-level extractor summarises its descriptors (LLDs) here, so a statistic means the
same thing in every feature set. Output names are ``<descriptor>_<functional>``, e.g.
``mfcc3_mean``, ``mfcc3_delta_p25``.

Available functionals
---------------------
``mean``, ``std`` (population, ddof=0), ``var``, ``min``, ``max``, ``range`` (max - min),
``skew`` (Fisher-Pearson, biased), ``kurtosis`` (excess, biased), ``median``, ``p<q>`` for any
percentile ``q`` in [0, 100] (``p1``, ``p5``, ``p25``, ``p2.5``; linear interpolation),
``iqr`` (p75 - p25), ``slope`` and ``offset`` (least-squares line over frame time in seconds,
offset at time 0 = start of the input), ``valid_fraction`` (share of finite frames), ``count``
(number of finite frames: tokens of a text, voiced frames of a pitch track) and ``sum``.

Conventions
-----------
* Frames whose value is NaN (e.g. pitch in unvoiced frames) are left out per descriptor.
* A descriptor with no finite frame gives NaN for every functional (``valid_fraction`` 0).
* Skewness and kurtosis of a constant descriptor are 0 (not NaN), so silence does not poison a
  classifier with NaNs. Constant: a variance of at most ``1e-24`` or ``1e-24 mean**2``
  (rounding noise of a constant), so a descriptor varying by less than ``1e-12`` in its unit
  gets 0 too (docs/functionals.md).
"""

from __future__ import annotations

import functools
import numbers
import re
from collections.abc import Sequence
from types import ModuleType

import numpy as np

DEFAULT_FUNCTIONALS: tuple[str, ...] = (
    "mean",
    "std",
    "min",
    "max",
    "range",
    "skew",
    "kurtosis",
    "p1",
    "p5",
    "p25",
    "p50",
    "p75",
    "p95",
    "p99",
    "iqr",
    "slope",
    "offset",
)

_SIMPLE = {"mean", "std", "var", "min", "max", "range", "skew", "kurtosis", "median", "iqr",
           "slope", "offset", "valid_fraction", "count", "sum"}
_PCTL = re.compile(r"^p(\d+(?:\.\d+)?)$")


def validate_functionals(functionals: Sequence[str]) -> tuple[str, ...]:
    """Check functional names; return them as a tuple. Raises ``ValueError`` naming the bad one."""
    if isinstance(functionals, str):
        functionals = [f.strip() for f in functionals.split(",") if f.strip()]
    return _validated(tuple(functionals))


@functools.lru_cache(maxsize=128)
def _validated(names: tuple[str, ...]) -> tuple[str, ...]:
    if not names:
        raise ValueError("at least one functional is needed")
    for f in names:
        m = _PCTL.match(f)
        if f in _SIMPLE:
            continue
        if m and 0.0 <= float(m.group(1)) <= 100.0:
            continue
        raise ValueError(
            f"unknown functional {f!r}; choose from {sorted(_SIMPLE)} or p<q> with 0 <= q <= 100"
        )
    if len(set(names)) != len(names):
        raise ValueError(f"functionals listed twice: {names}")
    return names


def _percentiles_needed(names: Sequence[str]) -> list[float]:
    qs: list[float] = []
    for f in names:
        m = _PCTL.match(f)
        if m:
            qs.append(float(m.group(1)))
        elif f == "median":
            qs.append(50.0)
        elif f == "iqr":
            qs += [25.0, 75.0]
    return sorted(set(qs))


def functional_names(descriptors: Sequence[str], functionals: Sequence[str]) -> list[str]:
    """Output names, descriptor-major: ``[d0_f0, d0_f1, ..., d1_f0, ...]``."""
    return [f"{d}_{f}" for d in descriptors for f in functionals]


def compute_functionals(
    lld: np.ndarray,
    times: np.ndarray | None = None,
    functionals: Sequence[str] = DEFAULT_FUNCTIONALS,
) -> np.ndarray:
    """Functionals of each column of ``lld``.

    Parameters
    ----------
    lld : ndarray, shape (n_frames, n_descriptors)
        Frame-level descriptors, frames along axis 0; NaN marks frames without a value.
    times : ndarray, shape (n_frames,), optional
        Frame times in seconds for ``slope``/``offset``; frame indices if omitted.
    functionals : sequence of str
        Which statistics, in output order (see module docstring).

    Returns
    -------
    ndarray of float64, shape (n_descriptors * n_functionals,)
        Descriptor-major, matching :func:`functional_names`.
    """
    from . import _functionals_kernels as K

    names = validate_functionals(functionals)
    qs, columns, derived, full = _plan(names)
    lld = np.asarray(lld)
    if lld.ndim != 2:
        raise ValueError(f"lld must be 2-D (frames, descriptors), got shape {lld.shape}")
    n_frames, n_desc = lld.shape
    if times is None:
        times = np.arange(n_frames, dtype=np.float64)
    times = _checked_times(times, n_frames)
    summary = np.empty((n_desc, K.N_MOMENTS + qs.size), dtype=np.float64)
    if n_frames == 0:
        summary[:] = np.nan
        summary[:, K.I_COUNT] = 0
        summary[:, K.I_SUM] = 0
    else:
        # a long recording's descriptors a few columns at a time (each column's summary is
        # its own): the copies below are then of a group, not of every descriptor's frames
        # (a one-hour file's MFCCs: 112 MB each); short inputs in one group, as before
        size = n_frames * lld.dtype.itemsize
        step = n_desc if size * n_desc <= _GROUP_BYTES else max(1, _GROUP_BYTES // size)
        for a in range(0, n_desc, step):
            _summarize_group(K, np.ascontiguousarray(lld[:, a : a + step]), times, qs,
                             summary[a : a + step], full)
    return _read_summary(summary, columns, derived, max(n_frames, 1)).reshape(-1)


def compute_functionals_many(
    lld: np.ndarray,
    starts: np.ndarray,
    times: np.ndarray | None = None,
    functionals: Sequence[str] = DEFAULT_FUNCTIONALS,
) -> np.ndarray:
    """:func:`compute_functionals` of many inputs whose frames are stacked, in one kernel call.

    For many short inputs (texts: a few tokens each), where the per-call overhead of
    :func:`compute_functionals` is larger than the statistics themselves. The rows equal
    :func:`compute_functionals` of each input's frames (tested bit for bit; only a percentile
    of a column holding both ``0.0`` and ``-0.0`` may come out with the other sign of zero:
    the two paths sort differently).

    Parameters
    ----------
    lld : ndarray, shape (n_frames_total, n_descriptors)
        The frames of every input, input after input.
    starts : ndarray of int, shape (n_inputs + 1,)
        Input ``k`` is ``lld[starts[k]:starts[k + 1]]``; ``starts[0] == 0`` and
        ``starts[-1] == n_frames_total``.
    times : ndarray, shape (n_frames_total,), optional
        Each frame's time in seconds within its input; its position within its input
        (0, 1, ...) if omitted.
    functionals : sequence of str

    Returns
    -------
    ndarray of float64, shape (n_inputs, n_descriptors * n_functionals)
    """
    from . import _functionals_kernels as K

    names = validate_functionals(functionals)
    qs, columns, derived, full = _plan(names)
    lld = np.ascontiguousarray(lld, dtype=np.float64)
    starts = np.ascontiguousarray(starts, dtype=np.intp)
    if lld.ndim != 2:
        raise ValueError(f"lld must be 2-D (frames, descriptors), got shape {lld.shape}")
    n_total, n_desc = lld.shape
    if (starts.ndim != 1 or starts.size < 1 or starts[0] != 0 or starts[-1] != n_total
            or np.any(np.diff(starts) < 0)):
        raise ValueError(f"starts must rise from 0 to the {n_total} frames, one entry per "
                         "input and one more")
    if times is None:
        times = np.arange(n_total, dtype=np.float64) - np.repeat(
            starts[:-1].astype(np.float64), np.diff(starts))
    times = _checked_times(times, n_total)
    n_inputs = starts.size - 1
    summary = np.empty((n_inputs, n_desc, K.N_MOMENTS + qs.size), dtype=np.float64)
    K.summarize_many(lld, times, starts, qs, summary, full)
    frames = np.maximum(np.diff(starts), 1).astype(np.float64)[:, None]
    return _read_summary(summary, columns, derived, frames).reshape(n_inputs, n_desc * len(names))


def _checked_times(times: np.ndarray, n_frames: int) -> np.ndarray:
    """``times`` as the kernels read them (contiguous float64), or a ``ValueError`` naming
    ``times``: one finite time per frame (the kernels index it by frame without a bounds
    check: a shorter array was read past its end; a NaN time made every slope 0)."""
    times = np.ascontiguousarray(times, dtype=np.float64)
    if times.shape != (n_frames,):
        raise ValueError(f"times must have one entry per frame ({n_frames}), got shape "
                         f"{times.shape}")
    if not np.isfinite(times).all():
        raise ValueError(f"times must be finite numbers of seconds, got "
                         f"{int(np.count_nonzero(~np.isfinite(times)))} NaN or infinite "
                         f"of {n_frames}")
    return times


def _read_summary(summary: np.ndarray, columns: np.ndarray, derived: tuple,
                  n_frames: float | np.ndarray) -> np.ndarray:
    """The functionals from the kernel's ``summary`` (..., n_desc, n_summary) as ``_plan``
    says: (..., n_desc, n_functionals). ``n_frames``: all frames of each input (at least 1),
    broadcast against the descriptors, for ``valid_fraction``."""
    out = summary[..., columns]  # the functionals read straight from the summary
    for j, op, a, b in derived:
        if op == "diff":
            out[..., j] = summary[..., a] - summary[..., b]
        elif op == "square":
            out[..., j] = summary[..., a] ** 2
        else:  # "share": finite frames over all frames
            out[..., j] = summary[..., a] / n_frames
    return out


#: above this many bytes of descriptors, :func:`compute_functionals` summarises them a group
#: of columns of at most this size at a time (peak memory of long recordings)
_GROUP_BYTES = 8 << 20


def _summarize_group(K: ModuleType, lld: np.ndarray, times: np.ndarray, qs: np.ndarray,
                     summary: np.ndarray, full: bool) -> None:
    """The kernel's summary of the C-contiguous columns ``lld`` into ``summary``'s rows."""
    # percentiles from NumPy's sort (SIMD; the kernel's own sort cost 0.3-0.5 ms a file
    # of MFCCs) when every value is finite; otherwise the kernel sorts the finite ones.
    # Each column sorted as a contiguous row (the same sort of the same values as
    # np.sort(lld, axis=0), which copies every strided column in and out: a quarter
    # slower on 230 x 39 values). Sorted in place: np.sort would copy the copy
    if qs.size and np.isfinite(lld).all():
        srt = np.array(lld.T, order="C", copy=True)  # a copy even where .T is one
        srt.sort(axis=1)
    else:
        srt = np.empty((0, 0), dtype=lld.dtype)
    K.summarize(lld, times, qs, summary, srt, full)


@functools.lru_cache(maxsize=128)
def _plan(names: tuple[str, ...]) -> tuple[np.ndarray, np.ndarray, tuple, bool]:
    """How to read each functional from the kernel's summary (cached: small inputs such as
    texts call this once per input): the percentiles to compute, the summary column of each
    output, the outputs derived from two columns, and whether the kernel needs more than the
    count, sum, mean and std (``full``)."""
    from . import _functionals_kernels as K

    qs = _percentiles_needed(names)
    q_index = {q: K.N_MOMENTS + i for i, q in enumerate(qs)}
    direct = {"mean": K.I_MEAN, "std": K.I_STD, "min": K.I_MIN, "max": K.I_MAX,
              "skew": K.I_SKEW, "kurtosis": K.I_KURT, "slope": K.I_SLOPE,
              "offset": K.I_OFFSET, "count": K.I_COUNT, "sum": K.I_SUM}
    columns, derived = [], []
    for j, f in enumerate(names):
        m = _PCTL.match(f)
        if m:
            columns.append(q_index[float(m.group(1))])
        elif f == "median":
            columns.append(q_index[50.0])
        elif f in direct:
            columns.append(direct[f])
        else:
            columns.append(K.I_COUNT)  # overwritten below
            if f == "iqr":
                derived.append((j, "diff", q_index[75.0], q_index[25.0]))
            elif f == "range":
                derived.append((j, "diff", K.I_MAX, K.I_MIN))
            elif f == "var":
                derived.append((j, "square", K.I_STD, 0))
            else:  # valid_fraction
                derived.append((j, "share", K.I_COUNT, 0))
    full = not set(names) <= _MOMENTS_ONLY
    return (np.array(qs, dtype=np.float64), np.array(columns, dtype=np.intp), tuple(derived),
            full)


#: functionals read from the count, the sum, the mean and the std alone (no other moment)
_MOMENTS_ONLY = frozenset({"mean", "std", "var", "count", "sum", "valid_fraction"})


def deltas(lld: np.ndarray, order: int = 1, width: int = 9) -> np.ndarray:
    """Deltas along frames, as ``librosa.feature.delta`` (Savitzky-Golay, ``mode='interp'``).

    A Numba kernel (no temporaries, one pass per column; scipy's ``savgol_filter`` costs as
    much as the whole MFCC analysis) with the coefficients scipy computes, equal to
    ``librosa.feature.delta`` to 1e-10 relative in float64. Inputs with fewer than ``width``
    frames use the largest odd width that fits (at least 3); with fewer than 3 frames the
    deltas are 0. The result has the input's dtype.

    ``order`` must be a positive integer (an ``int`` or NumPy integer: ``1.0`` is refused,
    as ``librosa.feature.delta`` refuses it) and ``width`` an odd integer >= 3 above
    ``order`` (an ``int`` or NumPy integer too: ``9.0`` is refused, which
    ``librosa.feature.delta``'s own check lets through and scipy's filter then fails on),
    else a ``ValueError`` naming it.
    """
    from . import _functionals_kernels as K

    lld = np.asarray(lld)
    n = lld.shape[0]
    # librosa.feature.delta's rules: order 0 smoothed the frames, a fractional order or width
    # was truncated in one place and not another, an order >= width gave zeros; the order an
    # integer type (librosa refuses 1.0; a bool is no order)
    if (not isinstance(order, (int, np.integer)) or isinstance(order, bool)
            or order < 1):
        raise ValueError(f"delta order must be a positive whole number, an int "
                         f"(librosa.feature.delta refuses a float such as 1.0), got {order!r}")
    if not _whole(width) or width < 3 or width % 2 == 0:
        raise ValueError(f"delta width must be odd and >= 3, got {width!r}")
    if not isinstance(width, (int, np.integer)):
        # librosa lets 9.0 through its own check and scipy's savgol then fails on it
        # ("slice indices must be integers"): a float width is no width librosa takes
        raise ValueError(f"delta width must be a whole number, an int (librosa.feature.delta "
                         f"fails on a float such as 9.0), got {width!r}")
    order, width = int(order), int(width)
    if order >= width:
        raise ValueError(f"delta order must be below the width (the polynomial fitted over "
                         f"width frames), got order={order}, width={width}")
    w = min(width, n if n % 2 == 1 else n - 1)
    if w < 3 or w <= order:
        return np.zeros_like(lld)
    h, edge = _savgol_plan(w, order)
    x = np.ascontiguousarray(lld.reshape(n, -1))
    out = np.empty(x.shape, dtype=np.float64)
    K.savgol_deltas(x, h, edge, out)
    return out.reshape(lld.shape).astype(lld.dtype, copy=False)


def _whole(value: object) -> bool:
    """Whether ``value`` is a whole number (an int, a NumPy integer, or a float such as 9.0;
    not a bool, NaN or an infinity)."""
    return (isinstance(value, numbers.Real) and not isinstance(value, (bool, np.bool_))
            and (isinstance(value, numbers.Integral) or float(value).is_integer()))


@functools.lru_cache(maxsize=32)
def _savgol_plan(w: int, order: int) -> tuple[np.ndarray, np.ndarray]:
    """Interior and edge coefficients of the order-``order`` derivative over ``w`` frames."""
    from math import factorial

    h = savgol_dot_coeffs(w, order)
    # exactly (anti)symmetric about the centre, as the exact coefficients are (least squares
    # leaves 1e-17 of asymmetry): savgol_deltas sums mirror pairs, and a constant stretch
    # then gives exactly 0
    h = (h - h[::-1]) / 2.0 if order % 2 else (h + h[::-1]) / 2.0
    # least-squares polynomial of degree ``order`` through w frames; its order-th derivative
    # is order! times its leading coefficient, a fixed linear form of the frames
    vander = np.vander(np.arange(w, dtype=np.float64), order + 1, increasing=True)
    edge = factorial(order) * np.linalg.pinv(vander)[order]
    return h, np.ascontiguousarray(edge)


def savgol_dot_coeffs(w: int, order: int) -> np.ndarray:
    """``scipy.signal.savgol_coeffs(w, order, deriv=order, use="dot")``: the least-squares
    coefficients of the order-``order`` derivative over ``w`` centred frames (odd ``w``).

    Computed as scipy does (minimum-norm least squares, LAPACK ``gelsd``; equal to scipy's
    within 1e-15, tested) without importing ``scipy.signal``, which imports ``scipy.stats``
    and costs more start-up than the deltas of a few files.
    """
    from math import factorial

    half = w // 2
    x = np.arange(-half, w - half, dtype=np.float64)
    a = x ** np.arange(order + 1, dtype=np.float64).reshape(-1, 1)
    y = np.zeros(order + 1, dtype=np.float64)
    y[order] = float(factorial(order))
    return np.linalg.lstsq(a, y, rcond=None)[0]
