"""Recurrence quantification analysis (RQA) of 1-D series, computed without an N x N matrix.

:func:`rqa_measures` is the pure-function entry point: one series in, a dict of measures (and,
on request, the line-length histograms) out. The numeric work is in
:mod:`emofeat.extractors._rqa_kernels` (Numba, O(N) memory, serial and parallel kernels).

Conventions (definitions in ``docs/rqa.md``):

* state vectors ``v_i = (x[i], x[i + delay], ..., x[i + (dim - 1) * delay])``,
  ``i = 0 .. N - 1`` with ``N = len(x) - (dim - 1) * delay``;
* ``R(i, j) = 1`` when ``dist(v_i, v_j) < radius`` (strict);
* diagonal lines are counted on the diagonals ``|i - j| >= theiler`` only (``theiler=1``
  leaves out the main diagonal); RR, vertical and white vertical lines use every cell, the
  main-diagonal cells included unless ``main_diagonal=False`` (they are then white and RR is
  taken over the ``N (N - 1)`` off-diagonal cells);
* DET = points in diagonal lines of length >= l_min / points in all diagonal lines (both on
  the Theiler-corrected histogram), LAM = points in vertical lines >= v_min / all recurrence
  points, entropies are Shannon entropies of the line-length distributions from the minimum
  length on.

Presets reproduce reference tools' conventions: ``"pyunicorn"`` (``RecurrencePlot``, 1.0) and
``"pyrqa"`` (PyRQA 8, see the docs for what differs).
"""

from __future__ import annotations

import math
import os
from collections.abc import Sequence
from dataclasses import dataclass, fields, replace
from typing import Any, ClassVar

import numpy as np
from emofeat.extractors import _rqa_kernels as K
from emofeat.extractors.base import FrameExtractor

from emofeat._wording import counted, noun
from emofeat.errors import NonFiniteInputError, TooShortError
from emofeat.functionals import DEFAULT_FUNCTIONALS, functional_names
from emofeat.signal import nan_filled, unmasked

MEASURES: tuple[str, ...] = K.MEASURES

METRICS = {
    "euclidean": K.METRIC_EUCLIDEAN,
    "maximum": K.METRIC_MAXIMUM,
    "supremum": K.METRIC_MAXIMUM,
    "chebyshev": K.METRIC_MAXIMUM,
    "manhattan": K.METRIC_MANHATTAN,
    "taxicab": K.METRIC_MANHATTAN,
    "cityblock": K.METRIC_MANHATTAN,
}


def _is_real(v: Any) -> bool:
    """Whether ``v`` is a real number an option may hold (bool is not one)."""
    return isinstance(v, (int, float, np.integer, np.floating)) and not isinstance(
        v, (bool, np.bool_))


_INT64_MAX = int(np.iinfo(np.int64).max)
_COUNT_OPTIONS = ("dim", "delay", "theiler", "l_min", "v_min", "w_min")


def _is_count(v: Any, least: int = 1) -> bool:
    """Whether ``v`` is an integer (bool is not one) of at least ``least``."""
    return isinstance(v, (int, np.integer)) and not isinstance(v, bool) and v >= least


@dataclass(frozen=True)
class RQAOptions:
    """Every convention of an RQA computation (see :func:`rqa_measures` for the meanings)."""

    dim: int = 1
    delay: int = 1
    metric: str = "euclidean"
    radius: float | None = None
    radius_std: float | None = None
    recurrence_rate: float | None = None
    theiler: int = 1
    main_diagonal: bool = True
    l_min: int = 2
    v_min: int = 2
    w_min: int = 1
    entropy_base: float | None = None
    epsilon: float = 0.0
    precision: str = "float64"

    def __post_init__(self) -> None:
        # NumPy integers as Python ints (replace() too goes through here, and so do options
        # given to frame_measures unchecked): np.uint64 failed in the kernels' typing, an
        # np.int64 product ((dim - 1) * delay) wrapped around, each NumPy integer type
        # compiled the kernels again, and NumPy 1.x compares np.uint64(2**63) with an int
        # as float64 (check's bound)
        for name in _COUNT_OPTIONS:
            v = getattr(self, name)
            if isinstance(v, np.integer):
                object.__setattr__(self, name, int(v))

    def check(self) -> RQAOptions:
        """Return self, or raise ValueError naming the first bad option."""
        # at most int64's largest: beyond it the kernels' typing failed (theiler=10**30: a
        # Numba TypingError of 40 lines) or NumPy overflowed (delay=2**63 with dim=1)
        for name in _COUNT_OPTIONS:
            v = getattr(self, name)
            least = 0 if name == "theiler" else 1
            if not _is_count(v, least):
                raise ValueError(f"{name} must be an integer >= {least}, got {v!r}")
            if v > _INT64_MAX:
                raise ValueError(f"{name} must be at most 2**63 - 1, got {v!r}")
        if self.metric not in METRICS:
            raise ValueError(f"metric must be one of {sorted(METRICS)}, got {self.metric!r}")
        given = [n for n in _THRESHOLDS
                 if getattr(self, n) is not None]
        if len(given) != 1:
            raise ValueError("give exactly one of radius, radius_std, recurrence_rate "
                             f"(got {given or 'none'})")
        value = getattr(self, given[0])
        # True is no radius (it read as 1.0); inf is one: every cell recurrent
        if not _is_real(value) or math.isnan(value) or value < 0:
            raise ValueError(f"{given[0]} must be a number >= 0, got {value!r}")
        if self.recurrence_rate is not None and self.recurrence_rate > 1:
            raise ValueError(f"recurrence_rate must be in [0, 1], got {self.recurrence_rate!r}")
        # type first: comparing a string with a number would raise a TypeError that does not
        # name the option
        # finite: an infinite base made every entropy 0, an infinite epsilon every entropy NaN
        # (0 * log 0) and every ratio 0
        if self.entropy_base is not None and not (_is_real(self.entropy_base)
                                                  and 0 < self.entropy_base < math.inf
                                                  and self.entropy_base != 1):
            raise ValueError(f"entropy_base must be a finite number > 0 and != 1 (or None), "
                             f"got {self.entropy_base!r}")
        if not (_is_real(self.epsilon) and 0 <= self.epsilon < math.inf):
            raise ValueError(f"epsilon must be a finite number >= 0, got {self.epsilon!r}")
        if self.precision not in ("float64", "float32"):
            raise ValueError(f"precision must be 'float64' or 'float32', got {self.precision!r}")
        if not isinstance(self.main_diagonal, (bool, np.bool_)):
            raise ValueError(f"main_diagonal must be True or False, got {self.main_diagonal!r}")
        return self


_OPTION_NAMES = frozenset(f.name for f in fields(RQAOptions))

# Conventions of the reference tools, read from their sources (pyunicorn 1.0
# timeseries/recurrence_plot.py; PyRQA 8.1 result.py and the baseline variant) and checked
# against pyunicorn in tests/test_rqa.py.
PRESETS: dict[str, dict[str, Any]] = {
    # RecurrencePlot: input cast to float32 before embedding, default metric supremum, main
    # diagonal left out of diagonal lines but in RR and vertical lines, 1e-8 added to every
    # denominator, w_min=1 defaults for white lines, natural logarithms.
    "pyunicorn": dict(metric="maximum", theiler=1, main_diagonal=True, l_min=2, v_min=2,
                      w_min=1, entropy_base=None, epsilon=1e-8, precision="float32"),
    # PyRQA: embedding 2 / delay 2, euclidean, Theiler corrector 1 for diagonal lines only,
    # l_min = v_min = w_min = 2, plain ratios, natural logarithms. (PyRQA itself computes in
    # float32 on OpenCL; this preset computes the same definitions in float64.)
    "pyrqa": dict(dim=2, delay=2, metric="euclidean", theiler=1, main_diagonal=True, l_min=2,
                  v_min=2, w_min=2, entropy_base=None, epsilon=0.0, precision="float64"),
}


def resolve_options(preset: str | None = None, **options: Any) -> RQAOptions:
    """Defaults, then the preset's conventions, then every option given (not None)."""
    base = RQAOptions()
    if preset is not None:
        if preset not in PRESETS:
            raise ValueError(f"preset must be one of {sorted(PRESETS)}, got {preset!r}")
        base = replace(base, **PRESETS[preset])
    unknown = set(options) - _OPTION_NAMES
    if unknown:
        raise TypeError(f"unknown RQA {noun(len(unknown), 'option')}: "
                        f"{sorted(unknown)}")
    return replace(base, **{k: v for k, v in options.items() if v is not None}).check()


def _real_array(x: Any, source: str) -> np.ndarray:
    """``x`` as an array of real numbers (any shape), or a ValueError naming ``source``."""
    try:
        arr = np.asarray(x)
    except ValueError as exc:  # a ragged nested list: NumPy's message names no input
        raise ValueError(f"{source} must be a 1-D series of numbers: {exc}") from None
    # complex values lost their imaginary part with only NumPy's ComplexWarning; strings and
    # dates failed in NumPy's conversion, naming no input
    if arr.dtype.kind == "c":
        raise ValueError(f"{source} must be a real series, got complex values ({arr.dtype}); "
                         "give its real part, magnitude or phase")
    if arr.dtype.kind not in "biufO":
        raise ValueError(f"{source} must be a series of numbers, got dtype {arr.dtype}")
    if arr.dtype.kind == "O":
        try:
            arr = arr.astype(np.float64)
        except (TypeError, ValueError) as exc:
            raise ValueError(f"{source} must be a series of numbers: {exc}") from None
    return arr


def _real_series(x: Any, source: str, masked_as_nan: bool = False,
                 column: bool = False) -> np.ndarray:
    """``x`` as a 1-D array of real numbers, or a ValueError naming ``source``.

    Checked in the order a user fixes them: the values' kind, the shape (with ``column``, a
    2-D array of one row or column is its values), then a masked array's mask: its masked
    values are refused as NaN values are (``NonFiniteInputError``: NumPy's conversion
    measured the values under the mask), or with ``masked_as_nan`` read as NaN; one with
    none masked is its data.
    """
    data, mask = unmasked(x)
    arr = _real_array(data, source)
    if column and arr.ndim == 2 and 1 in arr.shape:
        arr = arr.reshape(-1)
    if arr.ndim != 1:
        # before the mask: x.compressed() of a 2-D array joins its rows into one series
        raise ValueError(f"{source} must be a 1-D series, got shape {arr.shape}")
    if mask is None:
        return arr
    if not masked_as_nan:
        # masked samples have no value, as NaN ones: the same error, saying they are masked
        k = int(np.count_nonzero(mask))
        # compressed() of an all-masked series is empty: only filled() is a way out there
        joined = (f"{source}.compressed() (the samples around each gap joined) or "
                  if k < mask.size else "")
        raise NonFiniteInputError(source, f"{k} of {counted(mask.size, 'sample')} "
                                          f"{noun(k, 'is', 'are')} masked (a numpy.ma masked "
                                          "array): RQA has no rule for gaps in a series; give "
                                          f"{joined}{source}.filled(value)")
    return nan_filled(arr, mask.reshape(arr.shape),
                      np.float32 if arr.dtype == np.float32 else np.float64)


def prepare_series(x: Any, opts: RQAOptions, source: str = "x") -> np.ndarray:
    """The series as float64 (rounded through float32 first when ``precision='float32'``)."""
    arr = _real_series(x, source, column=True)
    if opts.precision == "float32":
        arr = _as_float32(arr, source)
    arr = np.ascontiguousarray(arr, dtype=np.float64)
    if not np.all(np.isfinite(arr)):
        raise NonFiniteInputError(source, "the series contains NaN or infinite values")
    n = arr.shape[0] - (opts.dim - 1) * opts.delay
    if n < 1:
        raise TooShortError(source, f"{counted(arr.shape[0], 'sample')} "
                                    f"{noun(arr.shape[0], 'gives', 'give')} no state "
                                    "vector with dim="
                                    f"{opts.dim}, delay={opts.delay}")
    return arr


def _as_float32(arr: np.ndarray, source: str) -> np.ndarray:
    """``arr`` rounded to float32 (``precision="float32"``); finite values beyond float32's
    range are refused rather than turned into infinities (which read as non-finite input)."""
    if arr.dtype == np.float32:
        return arr
    with np.errstate(over="ignore"):
        out = arr.astype(np.float32)
    if np.isinf(out).any() and (np.isinf(out) & np.isfinite(arr)).any():
        big = float(np.max(np.abs(arr), where=np.isfinite(arr), initial=0.0))
        raise ValueError(f"precision='float32' cannot hold {source}: its values reach "
                         f"{big:.3g}, beyond float32's range (3.4e+38); use "
                         "precision='float64'")
    return out


def working_exponent(max_abs: float, n_terms: int, opts: RQAOptions) -> int:
    """Binary exponent ``e`` to divide a series by (``np.ldexp(x, -e)``) before measuring it.

    Squared euclidean distances, the sums of squares of ``std`` and the order statistics of
    ``recurrence_rate`` overflow for values beyond about 1e154 (float32 ``std``: 1e19) and
    lose their precision to subnormals below about 1e-138 (float32: 1e-12), which gave
    wrong radii and recurrences. Dividing by a power of two is exact (short of subnormals),
    and every distance, radius and comparison scales with it, so the measures are those of
    the exact computation. 0 (no rescaling: results bit-identical to computing directly)
    unless ``max_abs`` (the largest finite ``|x|``) is outside that range; then ``e`` brings
    it into [0.5, 1). ``n_terms``: the most values summed at once (series or frame length
    for ``std``, ``dim`` for distances).
    """
    if not (max_abs > 0.0 and math.isfinite(max_abs)):
        return 0
    dtypes = [np.float64]
    if opts.precision == "float32" and opts.radius_std is not None:
        dtypes.append(np.float32)  # pyunicorn's std is taken in float32
    for dtype in dtypes:
        fi = np.finfo(dtype)
        low = max_abs * float(fi.eps)  # the resolution of the largest values: differences
        # Python floats: products overflow to inf, never raise
        if 4.0 * max(n_terms, 1) * max_abs * max_abs > float(fi.max) \
                or low * low < float(fi.smallest_normal):
            return math.frexp(max_abs)[1]
    return 0


def _ldexp(v: float, e: int) -> float:
    """``v * 2**e`` as a float (inf past the largest double, not an OverflowError)."""
    try:
        return math.ldexp(v, e)
    except OverflowError:
        return math.inf


def radius_of(x: np.ndarray, opts: RQAOptions, parallel: bool = False) -> float:
    """The recurrence radius in distance units for the prepared series ``x``.

    Series beyond float64's comfortable range are measured divided by a power of two
    (:func:`working_exponent`), exactly, so ``radius_std`` and ``recurrence_rate`` stay
    scale-free there too.
    """
    x = np.asarray(x, dtype=np.float64)  # a float32 frame: exact, and float64 arithmetic
    if opts.radius is not None:
        return float(opts.radius)
    e = working_exponent(float(np.max(np.abs(x), initial=0.0)), x.shape[0], opts)
    if e:
        return _ldexp(_scaled_radius(np.ldexp(x, -e), opts, parallel), e)
    return _scaled_radius(x, opts, parallel)


def _scaled_radius(x: np.ndarray, opts: RQAOptions, parallel: bool) -> float:
    """:func:`radius_of` (``radius_std`` or ``recurrence_rate``) of a series in range."""
    if opts.radius_std is not None:
        if x.size and x.max() == x.min():
            # a constant series' deviation is 0, so is its radius (nothing recurrent);
            # NumPy's std is the rounding of its mean there (np.full(400, -80.3).std() is
            # 1.4e-14), a radius under which every cell was recurrent, where the constant
            # 12.7 gave no recurrence at all
            return 0.0
        if opts.precision == "float32":
            # pyunicorn: threshold_std * time_series.std() on its float32 (n, 1) copy
            return float(opts.radius_std * x.astype(np.float32).reshape(-1, 1).std())
        return float(opts.radius_std * x.std())
    n = x.shape[0] - (opts.dim - 1) * opts.delay
    q = int(opts.recurrence_rate * (n * n - 1))  # pyunicorn's index into the n*n sorted values
    metric = METRICS[opts.metric]
    v = K.quantile_value(x, opts.dim, opts.delay, metric, q, parallel)
    return math.sqrt(v) if metric == K.METRIC_EUCLIDEAN else float(v)


_CGROUP_LIMITS = ("/sys/fs/cgroup/memory.max",  # cgroup v2
                  "/sys/fs/cgroup/memory/memory.limit_in_bytes")  # v1


def _physical_memory() -> float:
    """The memory this process may use, in bytes: the machine's physical memory, or a
    container's cgroup limit where that is lower (a container sees the host's pages);
    infinite where neither is known (Windows has no sysconf and does not overcommit)."""
    limit = math.inf
    try:
        page, pages = os.sysconf("SC_PAGE_SIZE"), os.sysconf("SC_PHYS_PAGES")
        if page > 0 and pages > 0:  # -1: not known
            limit = float(page * pages)
    except (AttributeError, ValueError, OSError):
        pass
    for path in _CGROUP_LIMITS:
        try:
            with open(path) as f:
                text = f.read().strip()
        except OSError:
            continue
        if text.isdigit() and int(text) > 0:  # "max": no limit
            limit = min(limit, float(text))
    return limit


def _dense_too_large(n: int, need: int, memory: float | None = None) -> MemoryError:
    """The refusal of a dense plot of ``n`` state vectors (``need`` bytes), larger than
    ``memory`` (bytes), or that Numba could not allocate (``memory`` None)."""
    def size(b: float) -> str:
        return f"{b / 2**30:,.1f} GiB" if b >= 2**30 else f"{b / 2**20:,.0f} MiB"

    beyond = ("could not be allocated" if memory is None
              else f"more than this machine's memory ({size(memory)})")
    return MemoryError(f"kernel='dense' holds the recurrence plot as bits: {n:,} state "
                       f"vectors need {size(need)}, {beyond}; kernel='sweep' (or 'auto', "
                       f"which sweeps beyond {K.DENSE_MAX_N:,}) needs O(N) memory")


def compared_threshold(radius: float, metric: str) -> float:
    """The threshold the kernels compare with (squared, exactly, for euclidean)."""
    if METRICS[metric] == K.METRIC_EUCLIDEAN:
        return float(K.sq_threshold(float(radius)))
    return float(radius)


def _log_base(opts: RQAOptions) -> float:
    return 0.0 if opts.entropy_base is None else math.log(opts.entropy_base)


def rqa_measures(x: Any, *, preset: str | None = None, parallel: bool = False,
                 n_blocks: int | None = None, histograms: bool = False, kernel: str = "auto",
                 **options: Any) -> dict[str, Any]:
    """RQA measures of one 1-D series, without building the N x N recurrence matrix.

    Parameters
    ----------
    x : array_like, 1-D
        The series (finite values).
    preset : {"pyunicorn", "pyrqa"}, optional
        Start from a reference tool's conventions; options given explicitly override them.
    parallel : bool
        Use the parallel kernel (Numba threads over column blocks); same results.
    n_blocks : int, optional
        Column blocks for the parallel kernel (default: 4 per Numba thread).
    histograms : bool
        Also return the line-length histograms (arrays of length N + 1, index = length).
    kernel : {"auto", "dense", "sweep"}
        Serial kernel: ``"dense"`` holds the plot as bits (N^2 / 8 bytes; fastest for short
        series), ``"sweep"`` streams columns with O(N) memory; ``"auto"`` takes the dense one
        up to ``N = 4096`` state vectors (2 MiB of bits). Same results. The parallel kernel
        always sweeps.
    **options
        ``dim``, ``delay`` (embedding); ``metric`` ("euclidean", "maximum"/"supremum",
        "manhattan"/"taxicab"); exactly one threshold: ``radius`` (distance units),
        ``radius_std`` (times the population standard deviation of ``x``) or
        ``recurrence_rate`` (pyunicorn's rule: the radius is the value at index
        ``int(rr * (N*N - 1))`` of the sorted N*N distances, recurrence is strictly below it);
        ``theiler`` (diagonal lines use ``|i - j| >= theiler``); ``main_diagonal``; ``l_min``,
        ``v_min``, ``w_min`` (minimum line lengths); ``entropy_base`` (None: natural log);
        ``epsilon`` (added to every ratio's denominator; pyunicorn adds 1e-8);
        ``precision`` ("float32" rounds the series to float32 first, as pyunicorn does).

    Returns
    -------
    dict
        ``RR, DET, L, Lmax, DIV, ENTR, LAM, TT, Vmax, V_ENTR, W_max, W_mean, W_ENTR, DET_RR,
        LAM_DET`` (floats), ``N`` (state vectors), ``radius`` (distance units) and, with
        ``histograms=True``, ``diagonal_hist``, ``vertical_hist``, ``white_vertical_hist``.
        The diagonal histogram counts both triangles (and the main diagonal when
        ``theiler=0``). A ratio whose denominator is 0 is 0; DIV is 0 when there is no line.

    Notes
    -----
    A series beyond about 1e154 (or below 1e-138) in magnitude is measured divided by a power
    of two (:func:`working_exponent`), exactly: its squared distances would overflow
    (underflow). ``radius`` is still returned in the series' units.
    """
    if kernel not in ("auto", "dense", "sweep"):
        raise ValueError(f"kernel must be 'auto', 'dense' or 'sweep', got {kernel!r}")
    if parallel and kernel == "dense":
        raise ValueError("kernel='dense' is serial; the parallel kernel sweeps (kernel='auto')")
    # 0, negative or fractional counts were clamped or truncated without a word, and "a" failed
    # in int() naming no option (more blocks than columns is clamped: a defined result)
    if n_blocks is not None and not _is_count(n_blocks):
        raise ValueError(f"n_blocks must be an integer >= 1 (or None), got {n_blocks!r}")
    opts = resolve_options(preset, **options)
    xs = prepare_series(x, opts)
    n = xs.shape[0] - (opts.dim - 1) * opts.delay
    # values beyond ~1e154 (or below ~1e-138): measured divided by 2**e, exactly, with the
    # radius in the same units (squared distances would overflow or underflow); e = 0 for
    # ordinary series, whose numbers are those of computing directly
    e = working_exponent(float(np.max(np.abs(xs))), xs.shape[0], opts)
    if e:
        xs = np.ldexp(xs, -e)
    if opts.radius is not None:
        radius = float(opts.radius)
        r_work = _ldexp(radius, -e)
    else:
        r_work = _scaled_radius(xs, opts, parallel)
        radius = _ldexp(r_work, e)
    thr = compared_threshold(r_work, opts.metric)
    c = 1 if (opts.main_diagonal and thr > 0.0) else 0
    hd = np.zeros(n + 1, np.int64)
    hvw = np.zeros((2, n + 1), np.int64)
    metric = METRICS[opts.metric]
    if parallel:
        import numba

        nb = n_blocks if n_blocks is not None else 4 * numba.get_num_threads()
        n_rec = K.rqa_hist_parallel(xs, opts.dim, opts.delay, metric, thr, c, opts.theiler,
                                    K.block_bounds(n, nb), hd, hvw)
    else:
        dense = kernel == "dense" or (kernel == "auto" and n <= K.DENSE_MAX_N)
        hist = K.rqa_hist_dense if dense else K.rqa_hist_serial
        need = n * ((n + 63) // 64) * 8  # the dense kernel's plot, as bits
        # refused before the kernel where it exceeds the machine's memory: with overcommit,
        # Numba's allocation may succeed and the sweep then touch pages until the OOM killer
        memory = _physical_memory() if dense else math.inf
        if need > memory:
            raise _dense_too_large(n, need, memory)
        try:
            n_rec = hist(xs, opts.dim, opts.delay, metric, thr, c, opts.theiler, hd, hvw)
        except MemoryError:
            if not dense:
                raise
            # Numba's "Allocation failed (probably too large)" named neither the kernel nor
            # the way out
            raise _dense_too_large(n, need) from None
    out = np.empty(K.N_MEASURES)
    K.measures_from_hist(hd, hvw, n_rec, n, opts.main_diagonal, opts.l_min, opts.v_min,
                         opts.w_min, opts.epsilon, _log_base(opts), out)
    result: dict[str, Any] = {name: float(v) for name, v in zip(MEASURES, out, strict=True)}
    result["N"] = n
    result["radius"] = radius
    if histograms:
        result["diagonal_hist"] = hd
        result["vertical_hist"] = hvw[1].copy()
        result["white_vertical_hist"] = hvw[0].copy()
    return result


# ============================================================================================
# many frames of a series, and the feature sets


_STD_CHUNK = 1024  # frames gathered at once for their standard deviations
# and at most this many samples: 1024 EEG windows of 10 s at 2048 Hz gathered 168 MB, twice
# (the rows and their index array), where the kernels need O(len(x) + frame)
_STD_CELLS = 1 << 20


def frame_radii_std(xs: np.ndarray, starts: np.ndarray, frame: int,
                    opts: RQAOptions) -> np.ndarray:
    """:func:`radius_of` (``radius_std``) of every frame ``xs[s:s + frame]``, without a Python
    call per frame: the frames are gathered into rows (``_STD_CHUNK`` at a time, fewer for
    long frames: at most ``_STD_CELLS`` samples) and NumPy's
    ``std`` runs along the rows. Along a contiguous row NumPy sums pairwise exactly as it does
    over a 1-D frame, so every radius is bit-identical to :func:`radius_of` of that frame
    (tests/test_rqa_dense.py checks it).
    """
    radii = np.empty(starts.size, np.float64)
    offsets = np.arange(frame)
    dtype = np.float32 if opts.precision == "float32" else np.float64
    chunk = max(1, min(_STD_CHUNK, _STD_CELLS // max(frame, 1)))
    for a in range(0, starts.size, chunk):
        rows = xs[starts[a:a + chunk, None] + offsets].astype(dtype, copy=False)
        # radius_std times a float32 std stays float32, as in radius_of (NumPy's promotion)
        r = opts.radius_std * rows.std(axis=1)
        r[rows.max(axis=1) == rows.min(axis=1)] = 0.0  # a constant frame: as radius_of
        radii[a:a + chunk] = r
    return radii


def frame_measures(x: Any, starts: Any, frame_length: int, opts: RQAOptions,
                   source: str = "x") -> np.ndarray:
    """The 15 measures (columns in ``MEASURES`` order) of the frames ``x[s:s + frame_length]``.

    Each frame is analysed on its own (its own radius for ``radius_std`` and
    ``recurrence_rate``), exactly as :func:`rqa_measures` of that frame; the loop over frames
    runs in Numba and no frame is copied (memory O(len(x) + frame_length)). A frame that
    touches a NaN or infinite sample, or a masked one of a masked array, gives a row of NaN
    (:func:`rqa_measures` refuses such a series instead).
    """
    # the checks of rqa_measures: complex values lost their imaginary part with NumPy's
    # ComplexWarning, strings failed in NumPy's conversion naming no input
    # masked samples are missing samples: the frames that touch them give NaN rows
    xs = _real_series(x, source, masked_as_nan=True)
    # float32 audio stays float32 (no copy of a long recording; the kernels widen each frame
    # to float64 exactly before any arithmetic)
    if opts.precision == "float32" or xs.dtype == np.float32:
        xs = np.ascontiguousarray(_as_float32(xs, source))
    else:
        xs = np.ascontiguousarray(xs, dtype=np.float64)
    starts = np.ascontiguousarray(starts, dtype=np.int64)
    frame = int(frame_length)
    if frame - (opts.dim - 1) * opts.delay < 1:
        raise TooShortError(source, f"frames of {frame} samples give no state vector with "
                                    f"dim={opts.dim}, delay={opts.delay}")
    if starts.size and (starts.min() < 0 or starts.max() + frame > xs.shape[0]):
        raise ValueError(f"frames run past the end of {source}")
    out = np.full((starts.size, K.N_MEASURES), np.nan)
    bad = ~np.isfinite(xs)
    if bad.any():
        # a frame touching a NaN or infinite sample gives NaN measures (admitted non-finite
        # audio, a broken EEG channel); the other frames are measured as usual
        nbad = np.concatenate(([0], np.cumsum(bad)))
        starts_ok = starts[nbad[starts + frame] == nbad[starts]]
        hi = np.max(xs, where=~bad, initial=-np.inf)
        lo = np.min(xs, where=~bad, initial=np.inf)
    else:
        starts_ok = starts
        hi = np.max(xs, initial=-np.inf)  # no |x| copy of a long recording
        lo = np.min(xs, initial=np.inf)
    max_abs = max(float(hi), -float(lo), 0.0)
    # one power of two for the whole series when its values are out of range (see
    # working_exponent): exact, so every frame's measures are those of the exact computation
    e = working_exponent(max_abs, frame, opts)
    if e:
        xs = np.ldexp(xs, -e)
    if opts.radius is not None:
        radii = np.full(starts_ok.size, _ldexp(float(opts.radius), -e))
    elif opts.radius_std is not None:
        radii = frame_radii_std(xs, starts_ok, frame, opts)
    else:
        radii = np.array([radius_of(xs[s:s + frame], opts) for s in starts_ok],
                         dtype=np.float64)
    if starts_ok.size:
        res = np.empty((starts_ok.size, K.N_MEASURES))
        K.rqa_frames(xs, starts_ok, frame, opts.dim, opts.delay, METRICS[opts.metric], radii,
                     1 if opts.main_diagonal else 0, opts.main_diagonal, opts.theiler,
                     opts.l_min, opts.v_min, opts.w_min, opts.epsilon, _log_base(opts), res)
        if starts_ok.size == starts.size:
            return res
        out[np.isin(starts, starts_ok)] = res
    return out


# feature-name stems of the measures (lower case, as every other set's names)
MEASURE_STEMS = {
    "RR": "rr", "DET": "det", "L": "l_mean", "Lmax": "l_max", "DIV": "div", "ENTR": "l_entr",
    "LAM": "lam", "TT": "tt", "Vmax": "v_max", "V_ENTR": "v_entr", "W_max": "w_max",
    "W_mean": "w_mean", "W_ENTR": "w_entr", "DET_RR": "det_rr", "LAM_DET": "lam_det",
}
# the 12 measures of Tzinis et al. (2018), in their order
SPEECH_MEASURES = ("RR", "Lmax", "DET", "L", "ENTR", "Vmax", "LAM", "TT", "V_ENTR", "W_max",
                   "W_mean", "W_ENTR")
# their 18 statistics (nldrp feature_extraction/stat_funcs.py): percentiles are the sorted
# frame at index int(q * n), ranges differences of those
PAPER_STATS = ("mean", "var", "kurtosis", "skew", "median", "min", "max", "p1", "p5", "p25",
               "p50", "p75", "p95", "p99", "range99_1", "range75_25", "range50_25",
               "range75_50")
_OPTION_PARAMS = ("dim", "delay", "metric", "radius", "radius_std", "recurrence_rate",
                  "theiler", "main_diagonal", "l_min", "v_min", "w_min", "entropy_base",
                  "epsilon", "precision")
_THRESHOLDS = ("radius", "radius_std", "recurrence_rate")
DEFAULT_RADIUS_STD = 0.25
#: the radius of Tzinis et al. (samples in [-1, 1]), ``rqa_speech``'s default threshold
SPEECH_RADIUS = 0.1


def _paper_stats(lld: np.ndarray) -> np.ndarray:
    """The 18 statistics of every column (descriptor-major), NaN frames left out."""
    out = np.full((lld.shape[1], len(PAPER_STATS)), np.nan)
    for d in range(lld.shape[1]):
        v = lld[:, d]
        v = np.sort(v[np.isfinite(v)])
        n = v.size
        if n == 0:
            continue
        mean = v.mean()
        dev = v - mean
        m2 = float(np.mean(dev ** 2))
        m3 = float(np.mean(dev ** 3))
        m4 = float(np.mean(dev ** 4))
        # biased moments (scipy's defaults); 0 for a constant column (the core's policy)
        skew = m3 / m2 ** 1.5 if m2 > 0 else 0.0
        kurt = m4 / m2 ** 2 - 3.0 if m2 > 0 else 0.0

        q = {p: v[int(p / 100 * n)] for p in (1, 5, 25, 50, 75, 95, 99)}
        out[d] = [mean, m2, kurt, skew, np.median(v), v[0], v[-1], q[1], q[5], q[25], q[50],
                  q[75], q[95], q[99], q[99] - q[1], q[75] - q[25], q[50] - q[25],
                  q[75] - q[50]]
    return out.reshape(-1)


class RQA(FrameExtractor):
    """Recurrence quantification analysis of audio frames: 15 measures per frame.

    Every frame (``frame_length`` samples, every ``hop_length``) is delay-embedded and its
    recurrence plot measured without building it (:func:`rqa_measures`); the ``functionals``
    level summarises the frames.

    Parameters
    ----------
    preset : {"pyunicorn", "pyrqa"} or None
        Reference conventions (metric, Theiler window, line minima, epsilon, precision); the
        options below that are not None override them.
    dim, delay : int
        Embedding dimension and delay (samples). A preset does not change them:
        ``preset="pyrqa"`` here embeds with 3 / 1, not PyRQA's 2 / 2 (give those to match).
    metric, radius, radius_std, recurrence_rate, theiler, main_diagonal, l_min, v_min, w_min, \
entropy_base, epsilon, precision
        As in :func:`rqa_measures`; None takes the preset's value or the default. With no
        threshold given, ``radius_std=0.25`` (a quarter of each frame's standard deviation;
        ``radius=0.1`` in :class:`RQASpeech`); a threshold given replaces that default.
    frame_length, hop_length : int
        Frame and hop in samples at ``sr``.
    sr : int
        Analysis rate; other rates are resampled (``resample=True``) or refused.
    level : {"functionals", "lld"}
    functionals : sequence of str
        Core functionals (:mod:`emofeat.functionals`).

    Examples
    --------
    >>> import numpy as np
    >>> from emofeat.extractors.rqa import RQA
    >>> y = np.sin(np.arange(8000) * 0.3).astype(np.float32)
    >>> RQA(level="lld").fit_transform([(y, 16000)]).shape
    (49, 15)
    """

    modality: ClassVar[str] = "audio"
    set_name: ClassVar[str] = "rqa"
    #: 1: a constant frame has radius 0 under ``radius_std`` at any level (version 0 took
    #: NumPy's std, the rounding of the frame's mean, and made every cell recurrent)
    numbers_version: ClassVar[int] = 1
    kernels: ClassVar[tuple[str, ...]] = ("emofeat.extractors._rqa_kernels:rqa_frames",)
    measures: ClassVar[tuple[str, ...]] = MEASURES
    # frames are independent and on a fixed hop grid: long recordings go block by block
    blockwise: ClassVar[bool] = True
    #: (option, value) used when none of radius, radius_std, recurrence_rate is given
    default_threshold: ClassVar[tuple[str, float]] = ("radius_std", DEFAULT_RADIUS_STD)

    def __init__(self, *, preset: str | None = None, dim: int = 3, delay: int = 1,
                 metric: str | None = None, radius: float | None = None,
                 radius_std: float | None = None, recurrence_rate: float | None = None,
                 theiler: int | None = None, main_diagonal: bool | None = None,
                 l_min: int | None = None, v_min: int | None = None, w_min: int | None = None,
                 entropy_base: float | None = None, epsilon: float | None = None,
                 precision: str | None = None, frame_length: int = 320, hop_length: int = 160,
                 sr: int = 16000, resample: bool = True, level: str = "functionals",
                 functionals: Sequence[str] = DEFAULT_FUNCTIONALS) -> None:
        self.preset = preset
        self.dim = dim
        self.delay = delay
        self.metric = metric
        self.radius = radius
        self.radius_std = radius_std
        self.recurrence_rate = recurrence_rate
        self.theiler = theiler
        self.main_diagonal = main_diagonal
        self.l_min = l_min
        self.v_min = v_min
        self.w_min = w_min
        self.entropy_base = entropy_base
        self.epsilon = epsilon
        self.precision = precision
        self.frame_length = frame_length
        self.hop_length = hop_length
        self.sr = sr
        self.resample = resample
        self.level = level
        self.functionals = functionals

    # ---------------------------------------------------------------- parameters
    def options(self) -> RQAOptions:
        """The resolved RQA conventions of this extractor."""
        kw = {p: getattr(self, p) for p in _OPTION_PARAMS}
        # the set's default threshold only when none is given: a default held in the
        # parameter itself (RQASpeech's radius=0.1 once) made every other threshold a conflict
        if all(kw[t] is None for t in _THRESHOLDS):
            name, value = self.default_threshold
            kw[name] = value
        return resolve_options(self.preset, **kw)

    def _frame_samples(self, rate: float) -> tuple[int, int]:
        return int(self.frame_length), int(self.hop_length)

    def _check_params(self) -> None:
        opts = self.options()
        for name in ("frame_length", "hop_length"):
            v = getattr(self, name)
            if not _is_count(v):
                raise ValueError(f"{name} must be an integer >= 1, got {v!r}")
        frame, _ = self._frame_samples(float(self.sr))
        if frame - (opts.dim - 1) * opts.delay < 1:
            raise ValueError(f"frame_length ({frame} samples) is too short for dim={opts.dim}"
                             f", delay={opts.delay}")

    # ---------------------------------------------------------------- frames
    def descriptor_names(self) -> list[str]:
        return [f"{self.set_name}_{MEASURE_STEMS[m]}" for m in self.measures]

    def min_samples(self) -> int:
        return self._frame_samples(float(self.sr))[0]

    def _starts(self, n_samples: int, frame: int, hop: int) -> np.ndarray:
        return np.arange(0, n_samples - frame + 1, hop)

    def _measure_frames(self, y: np.ndarray, rate: float, source: str) -> tuple[np.ndarray,
                                                                                np.ndarray]:
        frame, hop = self._frame_samples(rate)
        starts = self._starts(y.shape[0], frame, hop)
        meas = frame_measures(y, starts, frame, self.options(), source)
        cols = [MEASURES.index(m) for m in self.measures]
        return meas[:, cols], (starts + frame / 2.0) / rate

    def _compute(self, signal: Any) -> tuple[np.ndarray, np.ndarray]:
        return self._measure_frames(np.asarray(signal.data), float(signal.rate), signal.source)

    def frame_times(self, n_frames: int) -> np.ndarray:
        """Centre of each frame in seconds (whole-recording times for the block runner)."""
        frame, hop = self._frame_samples(float(self.sr))
        return (np.arange(n_frames, dtype=np.int64) * hop + frame / 2.0) / float(self.sr)


class RQASpeech(RQA):
    """The RQA recipe of Tzinis et al., "Integrating Recurrence Dynamics for Speech Emotion
    Recognition" (Interspeech 2018): 432 features per utterance.

    20 ms frames every 10 ms (``frame_length=320``, ``hop_length=160`` at ``sr=16000``: the
    authors' ``int(0.02 sr)`` / ``int(0.01 sr)``; set both with another ``sr``; frames start at
    ``0, hop, ...`` strictly before ``len - frame``, as the authors' code), samples in [-1, 1]
    (no per-frame normalisation: the authors divide the integer samples by ``2**(bits-1)``, as
    every audio reader does), embedding dimension 3, delay 1, euclidean distance, fixed radius
    0.1, pyunicorn's conventions (they called pyunicorn): l_min = v_min = 2, w_min = 1. The 12
    measures RR, Lmax, DET, L, ENTR, Vmax, LAM, TT, V_ENTR, W_max, W_mean, W_ENTR and their
    deltas (first differences ``m[t] - m[t-1]``; NaN for the first frame) are summarised by
    the paper's 18 statistics (``functionals="paper"``): mean, var, kurtosis, skew, median,
    min, max, percentiles 1/5/25/50/75/95/99 (the sorted frame at index ``int(q n)``), and
    the ranges 99-1, 75-25, 50-25, 75-50. ``functionals`` may instead name core functionals.

    The radius 0.1 applies when no threshold is given (``radius=None``, the default): a
    threshold given explicitly (``radius``, ``radius_std`` or ``recurrence_rate``) replaces it,
    so ``RQASpeech(radius_std=0.25)`` works; giving two of them is an error.
    """

    set_name: ClassVar[str] = "rqa_speech"
    #: 1: the deltas' mean is their telescoped sum (version 0 summed the differences, and
    #: left 1e-18..1e-15 where the value is 0); 2: a constant frame has radius 0 under
    #: ``radius_std`` (as :class:`RQA`'s version 1)
    numbers_version: ClassVar[int] = 2
    measures: ClassVar[tuple[str, ...]] = SPEECH_MEASURES
    default_threshold: ClassVar[tuple[str, float]] = ("radius", SPEECH_RADIUS)

    def __init__(self, *, preset: str | None = "pyunicorn", dim: int = 3, delay: int = 1,
                 metric: str | None = "euclidean", radius: float | None = None,
                 radius_std: float | None = None, recurrence_rate: float | None = None,
                 theiler: int | None = None, main_diagonal: bool | None = None,
                 l_min: int | None = 2, v_min: int | None = 2, w_min: int | None = 1,
                 entropy_base: float | None = None, epsilon: float | None = None,
                 precision: str | None = None, frame_length: int = 320,
                 hop_length: int = 160, sr: int = 16000, resample: bool = True,
                 level: str = "functionals", functionals: Any = "paper") -> None:
        super().__init__(preset=preset, dim=dim, delay=delay, metric=metric, radius=radius,
                         radius_std=radius_std, recurrence_rate=recurrence_rate,
                         theiler=theiler, main_diagonal=main_diagonal, l_min=l_min,
                         v_min=v_min, w_min=w_min, entropy_base=entropy_base, epsilon=epsilon,
                         precision=precision, frame_length=frame_length, hop_length=hop_length,
                         sr=sr, resample=resample, level=level, functionals=functionals)

    def _starts(self, n_samples: int, frame: int, hop: int) -> np.ndarray:
        return np.arange(0, n_samples - frame, hop)

    def min_samples(self) -> int:
        return self._frame_samples(float(self.sr))[0] + 1

    def _paper(self) -> bool:
        return isinstance(self.functionals, str) and self.functionals == "paper"

    def _check_functionals_param(self) -> None:
        if not self._paper():  # "paper" names the authors' 18 statistics, not core functionals
            super()._check_functionals_param()

    def descriptor_names(self) -> list[str]:
        base = super().descriptor_names()
        return base + [f"{d}_delta" for d in base]

    def _compute(self, signal: Any) -> tuple[np.ndarray, np.ndarray]:
        meas, times = super()._compute(signal)
        delta = np.full_like(meas, np.nan)
        delta[1:] = meas[1:] - meas[:-1]
        return np.concatenate([meas, delta], axis=1), times

    def feature_names(self) -> list[str]:
        if self.level == "functionals" and self._paper():
            return functional_names(self.descriptor_names(), PAPER_STATS)
        return super().feature_names()

    def functionals_of(self, lld: np.ndarray, times: np.ndarray) -> np.ndarray:
        out = _paper_stats(lld) if self._paper() else super().functionals_of(lld, times)
        return self._telescoped(lld, out)

    def _telescoped(self, lld: np.ndarray, out: np.ndarray) -> np.ndarray:
        """The mean (and sum) of each delta column as its telescoped sum ``m[-1] - m[0]``
        where every frame is finite: the same number, without the rounding residue that
        summing the differences leaves (1e-18..1e-15 where the true value is 0, an utterance
        whose first and last frames are silence: every RAVDESS clip), which a scaler took for
        a feature with variance."""
        n_meas = lld.shape[1] // 2
        if lld.shape[0] < 2 or out.ndim != 1:
            return out
        names = self.descriptor_names()
        index = {name: i for i, name in enumerate(self.feature_names())}
        for j in range(n_meas):
            m, d = lld[:, j], lld[1:, n_meas + j]
            if not (np.isfinite(m).all() and np.isfinite(d).all()):
                continue  # NaN frames: the mean is over the finite differences, not telescoped
            total = float(m[-1]) - float(m[0])
            stem = names[n_meas + j]
            if f"{stem}_mean" in index:
                out[index[f"{stem}_mean"]] = total / (lld.shape[0] - 1)
            if f"{stem}_sum" in index:
                out[index[f"{stem}_sum"]] = total
        return out


#: what rqa_eeg's warning of a flat channel of a signal says of its measures
RQA_FLAT = ("its RQA measures are those of a constant series, not NaN (with a radius_std "
            "threshold, the default: no recurrence, so 0 but for w_max and w_mean, every "
            "column one white line as long as the window)")


def _warn_flat_channels(data: np.ndarray, names: Sequence[str], source: str) -> None:
    """Name each flat channel (a loose electrode, as the other EEG sets warn), saying what
    its measures are: RQA's own defined result for a constant series, not NaN."""
    from emofeat.flat_channels import say_flat

    finite = np.isfinite(data).all(axis=-1)  # the reader named the non-finite channels
    flat = finite & (data.max(axis=-1) == data.min(axis=-1))
    for c in np.flatnonzero(flat):
        say_flat(source, names[c] if c < len(names) else f"#{c}", RQA_FLAT, stacklevel=3)


class RQAEEG(FrameExtractor):
    """RQA of every EEG channel, over windows of each recording (or the whole of it).

    Names ``rqa_eeg_<measure>_<channel>`` (``rqa_eeg_det_AF3``); channels are never mixed.
    Parameters as :class:`RQA`, with ``window`` and ``hop`` in seconds (``hop`` defaults to
    ``window``; ``window=None``: one window over the whole recording or epoch, and ``hop``
    must be ``None``) and the EEG reader's ``sfreq`` / ``ch_names``.
    """

    modality: ClassVar[str] = "eeg"
    set_name: ClassVar[str] = "rqa_eeg"
    #: 1: a flat channel or window has radius 0 under ``radius_std`` at any level (version
    #: 0: every cell recurrent where NumPy's std of the constant was not 0, as its warning
    #: did not say)
    numbers_version: ClassVar[int] = 1
    #: what its warning of a flat channel says (a run's one warning names the set with it)
    flat_said: ClassVar[str] = RQA_FLAT
    kernels: ClassVar[tuple[str, ...]] = ("emofeat.extractors._rqa_kernels:rqa_frames",)
    names_from_data: ClassVar[bool] = True
    default_threshold: ClassVar[tuple[str, float]] = ("radius_std", DEFAULT_RADIUS_STD)

    def __init__(self, *, preset: str | None = None, dim: int = 3, delay: int = 1,
                 metric: str | None = None, radius: float | None = None,
                 radius_std: float | None = None, recurrence_rate: float | None = None,
                 theiler: int | None = None, main_diagonal: bool | None = None,
                 l_min: int | None = None, v_min: int | None = None, w_min: int | None = None,
                 entropy_base: float | None = None, epsilon: float | None = None,
                 precision: str | None = None, window: float | None = None,
                 hop: float | None = None, sfreq: float | None = None,
                 ch_names: Sequence[str] | None = None, level: str = "functionals",
                 functionals: Sequence[str] = DEFAULT_FUNCTIONALS) -> None:
        self.preset = preset
        self.dim = dim
        self.delay = delay
        self.metric = metric
        self.radius = radius
        self.radius_std = radius_std
        self.recurrence_rate = recurrence_rate
        self.theiler = theiler
        self.main_diagonal = main_diagonal
        self.l_min = l_min
        self.v_min = v_min
        self.w_min = w_min
        self.entropy_base = entropy_base
        self.epsilon = epsilon
        self.precision = precision
        self.window = window
        self.hop = hop
        self.sfreq = sfreq
        self.ch_names = ch_names
        self.level = level
        self.functionals = functionals

    options = RQA.options

    def _check_params(self) -> None:
        self.options()
        for name in ("window", "hop"):
            v = getattr(self, name)
            # finite: an infinite window or hop failed at transform with an OverflowError
            if v is not None and not 0 < float(v) < math.inf:
                raise ValueError(f"{name} must be a finite positive duration in seconds, got "
                                 f"{v!r}")
        if self.hop is not None and self.window is None:
            # it was ignored without a word: one window over the whole recording
            raise ValueError(f"hop={self.hop} needs window (the RQA window in seconds); "
                             "without it each recording or epoch is one window")
        if self.sfreq is not None and not float(self.sfreq) > 0:
            raise ValueError(f"sfreq must be a positive rate in Hz, got {self.sfreq}")

    def descriptor_names(self) -> list[str]:
        channels = getattr(self, "channels_", None) or tuple(self.ch_names or ())
        return [f"{self.set_name}_{MEASURE_STEMS[m]}_{c}" for m in MEASURES for c in channels]

    def min_samples(self, sfreq: float | None = None) -> int:
        """Fewest samples of a recording (or ``--segment`` window) at ``sfreq`` Hz (default:
        the set's own ``sfreq``) this set analyses: one state vector, and with ``window``
        one RQA window; a shorter one is refused with
        :class:`~emofeat.errors.TooShortError`, and the runner drops a ``--segment`` run's
        last window when it is shorter, as for the other EEG sets. Without a rate: one state
        vector."""
        opts = self.options()
        need = (opts.dim - 1) * opts.delay + 1
        rate = sfreq if sfreq is not None else self.sfreq
        if self.window is not None and rate:
            need = max(need, int(round(float(self.window) * float(rate))))
        return need

    def _compute(self, signal: Any) -> tuple[np.ndarray, np.ndarray]:
        data = np.asarray(signal.data, dtype=np.float64)
        rate = float(signal.rate)
        n_times = data.shape[-1]
        frame = n_times if self.window is None else int(round(float(self.window) * rate))
        opts = self.options()
        need = (opts.dim - 1) * opts.delay + 1
        if frame < need:
            # a window of 0 samples (and no hop) divided by zero; one of too few samples was
            # blamed on the recording
            raise ValueError(f"window={self.window} s is {frame} samples at {rate:g} Hz, fewer "
                             f"than the {need} one state vector needs (dim={opts.dim}, delay="
                             f"{opts.delay}): lengthen window")
        hop = frame if self.hop is None else max(1, int(round(float(self.hop) * rate)))
        if frame > n_times:
            raise TooShortError(signal.source, f"{n_times} samples at {rate:g} Hz are shorter "
                                               f"than one window ({frame} samples)")
        starts = np.arange(0, n_times - frame + 1, hop)
        _warn_flat_channels(data, signal.channels, signal.source)
        per_channel = [frame_measures(ch, starts, frame, opts, signal.source) for ch in data]
        # measure-major columns: every channel's RR, then every channel's DET, ...
        lld = np.stack(per_channel, axis=2).reshape(len(starts), -1)
        return lld, (starts + frame / 2.0) / rate

    def warmup_input(self) -> Any:
        rng = np.random.default_rng(0)
        sfreq = float(self.sfreq or 128.0)
        n_ch = len(self.ch_names) if self.ch_names else 2
        return (rng.standard_normal((n_ch, int(2 * sfreq))) * 1e-5, sfreq,
                tuple(self.ch_names or (f"ch{k}" for k in range(n_ch))))
