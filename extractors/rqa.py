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
from dataclasses import asdict, dataclass, replace
from typing import Any

import numpy as np

from emofeat.errors import NonFiniteInputError, TooShortError
from emofeat.extractors import _rqa_kernels as K

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

    def check(self) -> "RQAOptions":
        """Return self, or raise ValueError naming the first bad option."""
        for name in ("dim", "delay", "l_min", "v_min", "w_min"):
            v = getattr(self, name)
            if isinstance(v, bool) or not isinstance(v, (int, np.integer)) or v < 1:
                raise ValueError(f"{name} must be an integer >= 1, got {v!r}")
        if isinstance(self.theiler, bool) or not isinstance(self.theiler, (int, np.integer)) \
                or self.theiler < 0:
            raise ValueError(f"theiler must be an integer >= 0, got {self.theiler!r}")
        if self.metric not in METRICS:
            raise ValueError(f"metric must be one of {sorted(METRICS)}, got {self.metric!r}")
        given = [n for n in ("radius", "radius_std", "recurrence_rate")
                 if getattr(self, n) is not None]
        if len(given) != 1:
            raise ValueError("give exactly one of radius, radius_std, recurrence_rate "
                             f"(got {given or 'none'})")
        value = getattr(self, given[0])
        if not isinstance(value, (int, float, np.integer, np.floating)) or math.isnan(value) \
                or value < 0:
            raise ValueError(f"{given[0]} must be a number >= 0, got {value!r}")
        if self.recurrence_rate is not None and self.recurrence_rate > 1:
            raise ValueError(f"recurrence_rate must be in [0, 1], got {self.recurrence_rate!r}")
        if self.entropy_base is not None and not (self.entropy_base > 0
                                                  and self.entropy_base != 1):
            raise ValueError(f"entropy_base must be > 0 and != 1, got {self.entropy_base!r}")
        if not (self.epsilon >= 0):
            raise ValueError(f"epsilon must be >= 0, got {self.epsilon!r}")
        if self.precision not in ("float64", "float32"):
            raise ValueError(f"precision must be 'float64' or 'float32', got {self.precision!r}")
        if not isinstance(self.main_diagonal, (bool, np.bool_)):
            raise ValueError(f"main_diagonal must be True or False, got {self.main_diagonal!r}")
        return self


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
    unknown = set(options) - set(asdict(base))
    if unknown:
        raise TypeError(f"unknown RQA option(s): {sorted(unknown)}")
    return replace(base, **{k: v for k, v in options.items() if v is not None}).check()


def prepare_series(x: Any, opts: RQAOptions, source: str = "x") -> np.ndarray:
    """The series as float64 (rounded through float32 first when ``precision='float32'``)."""
    arr = np.asarray(x)
    if arr.ndim == 2 and 1 in arr.shape:
        arr = arr.reshape(-1)
    if arr.ndim != 1:
        raise ValueError(f"{source} must be a 1-D series, got shape {arr.shape}")
    if opts.precision == "float32":
        arr = arr.astype(np.float32)
    arr = np.ascontiguousarray(arr, dtype=np.float64)
    if not np.all(np.isfinite(arr)):
        raise NonFiniteInputError(source, "the series contains NaN or infinite values")
    n = arr.shape[0] - (opts.dim - 1) * opts.delay
    if n < 1:
        raise TooShortError(source, f"{arr.shape[0]} samples give no state vector with dim="
                                    f"{opts.dim}, delay={opts.delay}")
    return arr


def radius_of(x: np.ndarray, opts: RQAOptions, parallel: bool = False) -> float:
    """The recurrence radius in distance units for the prepared series ``x``."""
    if opts.radius is not None:
        return float(opts.radius)
    if opts.radius_std is not None:
        if opts.precision == "float32":
            # pyunicorn: threshold_std * time_series.std() on its float32 (n, 1) copy
            return float(opts.radius_std * x.astype(np.float32).reshape(-1, 1).std())
        return float(opts.radius_std * x.std())
    n = x.shape[0] - (opts.dim - 1) * opts.delay
    q = int(opts.recurrence_rate * (n * n - 1))  # pyunicorn's index into the n*n sorted values
    metric = METRICS[opts.metric]
    v = K.quantile_value(x, opts.dim, opts.delay, metric, q, parallel)
    return math.sqrt(v) if metric == K.METRIC_EUCLIDEAN else float(v)


def compared_threshold(radius: float, metric: str) -> float:
    """The threshold the kernels compare with (squared, exactly, for euclidean)."""
    if METRICS[metric] == K.METRIC_EUCLIDEAN:
        return float(K.sq_threshold(float(radius)))
    return float(radius)


def _log_base(opts: RQAOptions) -> float:
    return 0.0 if opts.entropy_base is None else math.log(opts.entropy_base)


def rqa_measures(x: Any, *, preset: str | None = None, parallel: bool = False,
                 n_blocks: int | None = None, histograms: bool = False,
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
    """
    opts = resolve_options(preset, **options)
    xs = prepare_series(x, opts)
    n = xs.shape[0] - (opts.dim - 1) * opts.delay
    radius = radius_of(xs, opts, parallel)
    thr = compared_threshold(radius, opts.metric)
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
        n_rec = K.rqa_hist_serial(xs, opts.dim, opts.delay, metric, thr, c, opts.theiler,
                                  hd, hvw)
    out = np.empty(K.N_MEASURES)
    K.measures_from_hist(hd, hvw, n_rec, n, opts.main_diagonal, opts.l_min, opts.v_min,
                         opts.w_min, opts.epsilon, _log_base(opts), out)
    result: dict[str, Any] = {name: float(v) for name, v in zip(MEASURES, out)}
    result["N"] = n
    result["radius"] = radius
    if histograms:
        result["diagonal_hist"] = hd
        result["vertical_hist"] = hvw[1].copy()
        result["white_vertical_hist"] = hvw[0].copy()
    return result
