"""Functionals against numpy/scipy on real frame-level descriptors."""

import numpy as np
import pytest
import scipy.stats
from emofeat.extractors import MFCC
from emofeat.extractors.functionals import (
    DEFAULT_FUNCTIONALS,
    compute_functionals,
    deltas,
    functional_names,
    validate_functionals,
)


@pytest.fixture(scope="module")
def lld(ravdess_files):
    values, times = MFCC(level="lld").compute_lld(str(ravdess_files[0]))
    return values, times


def reference(x, t, f):
    return {
        "mean": np.mean(x), "std": np.std(x), "var": np.var(x), "min": np.min(x),
        "max": np.max(x), "range": np.ptp(x), "skew": scipy.stats.skew(x),
        "kurtosis": scipy.stats.kurtosis(x), "median": np.median(x),
        "iqr": np.percentile(x, 75) - np.percentile(x, 25),
        "slope": np.polyfit(t, x, 1)[0], "offset": np.polyfit(t, x, 1)[1],
        "valid_fraction": 1.0,
    }.get(f) if not f.startswith("p") else np.percentile(x, float(f[1:]))


def test_matches_numpy_and_scipy_on_real_llds(lld):
    values, times = lld
    funcs = (*DEFAULT_FUNCTIONALS, "var", "median", "p2.5", "valid_fraction")
    got = compute_functionals(values, times, funcs).reshape(values.shape[1], len(funcs))
    for d in range(values.shape[1]):
        for j, f in enumerate(funcs):
            ref = reference(values[:, d].astype(np.float64), times, f)
            assert got[d, j] == pytest.approx(ref, rel=1e-9, abs=1e-9), (d, f)


def test_nan_frames_are_left_out(lld):
    values, times = lld
    x = values[:, :3].copy()
    x[::3, 0] = np.nan
    got = compute_functionals(x, times, ("mean", "p50", "valid_fraction")).reshape(3, 3)
    keep = ~np.isnan(x[:, 0])
    assert got[0, 0] == pytest.approx(x[keep, 0].mean())
    assert got[0, 1] == pytest.approx(np.median(x[keep, 0]))
    assert got[0, 2] == pytest.approx(keep.mean())
    x[:, 1] = np.nan
    all_nan = compute_functionals(x, times, ("mean", "valid_fraction")).reshape(3, 2)[1]
    assert np.isnan(all_nan[0]) and all_nan[1] == 0


def test_constant_and_tiny_inputs():
    const = np.full((50, 2), 3.0)
    got = dict(zip(DEFAULT_FUNCTIONALS, compute_functionals(const, None).reshape(2, -1)[0], strict=True))
    assert got["std"] == 0 and got["skew"] == 0 and got["kurtosis"] == 0 and got["slope"] == 0
    assert got["offset"] == 3.0 and got["p1"] == 3.0
    one = compute_functionals(np.array([[2.0]]), None, ("mean", "std", "slope", "p99"))
    np.testing.assert_array_equal(one, [2.0, 0.0, 0.0, 2.0])
    empty = compute_functionals(np.empty((0, 2)), None, ("mean", "valid_fraction"))
    assert np.isnan(empty[0]) and empty[1] == 0



def test_skew_and_kurtosis_cut_off_is_the_documented_one(lld):
    """docs/functionals.md: skewness and kurtosis are 0 where the variance is at most 1e-24
    (absolute) or 1e-24 mean**2: rounding noise of about 1e-13 (SciPy's skewness of such
    noise is anything) gets 0; real MFCCs scaled to a spread just above the bound get SciPy's
    values, and just below it 0 (a chosen difference from SciPy, stated there)."""
    values, _ = lld
    # noise at the size the deltas of silence had before they were exact zeros
    noise = values[:, 13:26] * (1e-13 / np.abs(values[:, 13:26]).max())
    assert 0 < np.abs(noise).max() < 1e-12
    with np.errstate(all="ignore"):
        assert np.nanmax(np.abs(scipy.stats.skew(noise, axis=0))) > 1
    got = compute_functionals(noise, None, ("skew", "kurtosis"))
    np.testing.assert_array_equal(got, 0.0)
    x = values[:, 1] - values[:, 1].mean()  # mean 0: the absolute bound applies
    for std, zero in ((1.01e-12, False), (0.99e-12, True)):
        y = x * (std / x.std())
        got = compute_functionals(y[:, None], None, ("skew", "kurtosis"))
        if zero:
            np.testing.assert_array_equal(got, 0.0)
        else:
            np.testing.assert_allclose(got, [scipy.stats.skew(y), scipy.stats.kurtosis(y)],
                                       rtol=1e-9)

def test_names_and_validation():
    assert functional_names(["a", "b"], ("mean", "p5")) == ["a_mean", "a_p5", "b_mean", "b_p5"]
    assert validate_functionals("mean, std") == ("mean", "std")
    for bad in [("mean", "mean"), ("average",), (), ("p200",)]:
        with pytest.raises(ValueError):
            validate_functionals(bad)


def test_deltas_match_librosa_and_handle_short_inputs(lld):
    librosa = pytest.importorskip("librosa")
    values = lld[0][:, :13]
    np.testing.assert_allclose(deltas(values, 1), librosa.feature.delta(values.T).T, atol=1e-10)
    np.testing.assert_allclose(deltas(values, 2), librosa.feature.delta(values.T, order=2).T,
                               atol=1e-10)
    short = values[:5]
    np.testing.assert_allclose(deltas(short, 1),
                               librosa.feature.delta(short.T, width=5).T, atol=1e-10)
    assert not deltas(values[:2], 1).any()


def test_deltas_kernel_equals_librosa_for_every_width_and_order(ravdess_files):
    """The Numba kernel against librosa.feature.delta (scipy's savgol_filter), rtol 1e-6 as
    the speed issue asks, on real MFCC frames of several files."""
    librosa = pytest.importorskip("librosa")
    for f in ravdess_files[:3]:
        values = MFCC(level="lld", deltas=0, precision="float64").compute_lld(str(f))[0]
        for width in (3, 5, 7, 9, 11):
            for order in (1, 2):
                if order >= width:
                    continue
                want = librosa.feature.delta(values.T, width=width, order=order).T
                np.testing.assert_allclose(deltas(values, order, width), want, rtol=1e-6,
                                           atol=1e-9 * np.abs(want).max())


def test_count_and_sum_skip_missing_frames():
    rng = np.random.default_rng(3)
    x = rng.standard_normal((50, 3))
    x[rng.random((50, 3)) < 0.3] = np.nan
    got = compute_functionals(x, None, ("count", "sum")).reshape(3, 2)
    np.testing.assert_array_equal(got[:, 0], np.isfinite(x).sum(axis=0))
    np.testing.assert_allclose(got[:, 1], np.nansum(x, axis=0), rtol=1e-12)
    empty = compute_functionals(np.full((4, 1), np.nan), None, ("count", "sum", "mean"))
    assert empty[0] == 0 and empty[1] == 0 and np.isnan(empty[2])


ALL_FUNCTIONALS = (*DEFAULT_FUNCTIONALS, "var", "median", "p2.5", "valid_fraction", "count",
                   "sum")


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_frame_by_frame_path_equals_column_by_column_path(lld, dtype):
    """The kernel sums an all-finite input frame by frame (all descriptors side by side) and
    any other input one column at a time; over the same finite frames both make the same
    numbers bit for bit (tolerance: none). A column holding a NaN sends the whole input down
    the column path, so the finite columns next to it are computed there."""
    values, times = lld
    values = values.astype(dtype)
    rng = np.random.default_rng(5)
    for x in (values, values[:7], values[:1], rng.standard_normal((40, 6)).astype(dtype) * 1e4,
              np.full((9, 3), 2.5, dtype=dtype)):
        t = times[: x.shape[0]] if x.shape[0] <= times.size else np.arange(x.shape[0]) * 0.01
        nan_col = np.full((x.shape[0], 1), np.nan, dtype=dtype)
        for funcs in (ALL_FUNCTIONALS, ("mean", "std")):
            rows = compute_functionals(x, t, funcs)
            cols = compute_functionals(np.concatenate([x, nan_col], axis=1), t, funcs)
            np.testing.assert_array_equal(rows.view(np.int64),
                                          cols[: rows.size].view(np.int64))


def test_deltas_kernel_equals_the_plain_sum_bit_for_bit(lld):
    """All columns at once, the kernel makes each output as the plain loop over one column
    does (tolerance: none): ``acc += h[k] * (x[i - w//2 + k] - x[i + w//2 - k])`` over the
    mirror pairs k = 0..w//2-1 (odd orders; even ones ``h[k] * ((a + b) - 2 c)`` with ``c``
    the centre frame), and at the edges ``e[k] * (x[k] - x[0])`` (the last frame at
    the end)."""
    from emofeat.functionals import _savgol_plan

    x = lld[0][:40, :6].astype(np.float64)
    n = x.shape[0]
    for width in (3, 5, 9):
        for order in (1, 2):
            h, edge = _savgol_plan(width, order)
            half = width // 2
            want = np.empty_like(x)
            for j in range(x.shape[1]):
                left = right = 0.0
                for k in range(width):
                    left += float(edge[k]) * (float(x[k, j]) - float(x[0, j]))
                    right += float(edge[k]) * (float(x[n - width + k, j]) - float(x[n - 1, j]))
                want[:half, j], want[n - half :, j] = left, right
                for i in range(half, n - half):
                    acc, c = 0.0, float(x[i, j])
                    for k in range(half):
                        a, b = float(x[i - half + k, j]), float(x[i + half - k, j])
                        acc += float(h[k]) * ((a - b) if order == 1 else ((a + b) - 2.0 * c))
                    want[i, j] = acc
            np.testing.assert_array_equal(deltas(x, order, width).view(np.int64),
                                          want.view(np.int64))


def test_mfcc_deltas_in_one_call_equal_the_deltas_of_each_order(lld):
    """MFCC's deltas of every order in one kernel call (``with_deltas``) are the columns
    ``deltas`` gives order by order, bit for bit (tolerance: none), for every width and for
    inputs shorter than the window (which take the general way)."""
    from emofeat.extractors.mfcc import _delta_stack

    x = np.ascontiguousarray(lld[0][:, :13], dtype=np.float64)
    for n in (1, 2, 3, 4, 7, 8, 9, 10, 60, x.shape[0]):
        for width in (3, 5, 9):
            for orders in (1, 2):
                m = MFCC(deltas=orders, delta_width=width)
                got = m.from_frame_state(np.zeros((n, m.n_mels)))  # shape and dtype only
                assert got.shape == (n, 13 * (1 + orders))
                if _delta_stack(orders, width, n) is None:
                    continue
                from emofeat import _functionals_kernels as K

                out = np.empty((n, 13 * (1 + orders)))
                K.with_deltas(x[:n], *_delta_stack(orders, width, n), out)
                want = np.concatenate([x[:n]] + [deltas(x[:n], o, width)
                                                 for o in range(1, orders + 1)], axis=1)
                np.testing.assert_array_equal(out.view(np.int64), want.view(np.int64))


def test_moments_only_summary_equals_the_full_one(lld):
    """Asking only for count, sum, mean, std, var, valid_fraction skips the other moments;
    those functionals are the same bits as when they are asked for beside all the others
    (tolerance: none), with and without missing frames."""
    x, t = lld
    ask = ("mean", "std", "var", "count", "sum", "valid_fraction")
    holed = x.copy()
    holed[3, 2] = np.nan
    for values in (x, holed, x.astype(np.float32), x[:1]):
        alone = compute_functionals(values, t[: len(values)], ask)
        full = compute_functionals(values, t[: len(values)], ask + ("skew", "p10", "slope"))
        k = len(ask) + 3
        beside = full.reshape(-1, k)[:, : len(ask)].reshape(-1)
        np.testing.assert_array_equal(alone.view(np.int64), beside.view(np.int64))


@pytest.mark.parametrize("shape", [(200, 1), (1, 5), (200, 3)])
def test_percentiles_sort_a_copy_never_the_descriptors(shape):
    """The percentiles' sort works on a copy of the LLDs (sorted in place to keep peak memory
    at one copy): the input and the functionals read from the frames in time order (slope,
    offset) are those of the unsorted frames, even where the transposed LLDs are contiguous
    (one descriptor: ``lld.T`` is then a view)."""
    from emofeat.functionals import compute_functionals

    x = np.random.default_rng(3).normal(size=shape)
    x0 = x.copy()
    out = compute_functionals(x, functionals=("slope", "offset", "p50")).reshape(shape[1], 3)
    assert np.array_equal(x, x0)
    if shape[0] > 1:
        t = np.arange(shape[0], dtype=np.float64)
        for d in range(shape[1]):
            slope, offset = np.polyfit(t, x[:, d], 1)
            np.testing.assert_allclose(out[d, :2], [slope, offset], rtol=1e-9, atol=1e-12)
    np.testing.assert_array_equal(out[:, 2], np.percentile(x, 50, axis=0))


@pytest.mark.parametrize("nan", [False, True])
def test_long_inputs_summarised_by_column_groups_equal_the_whole(monkeypatch, nan):
    """Descriptors above ``_GROUP_BYTES`` are summarised a group of columns at a time (peak
    memory of long recordings): the same functionals, bit for bit, as one call over every
    column, finite or with missing frames (which send the whole table, but only their own
    group, to the kernel's sort)."""
    import emofeat.functionals as F

    rng = np.random.default_rng(5)
    x = rng.normal(size=(3000, 7))
    x[::5, 1] = np.round(x[::5, 1], 1)  # ties for the percentiles
    if nan:
        x[17, 4] = np.nan
    t = np.arange(3000) * 0.01
    monkeypatch.setattr(F, "_GROUP_BYTES", 1 << 62)
    whole = F.compute_functionals(x, t)
    monkeypatch.setattr(F, "_GROUP_BYTES", 2 * 3000 * 8)  # two columns a group, one left over
    grouped = F.compute_functionals(x, t)
    assert np.array_equal(whole.view(np.int64), grouped.view(np.int64))
    monkeypatch.setattr(F, "_GROUP_BYTES", 1)  # a column a group
    assert np.array_equal(whole.view(np.int64), F.compute_functionals(x, t).view(np.int64))


ALL_FUNCTIONALS = (*DEFAULT_FUNCTIONALS, "var", "median", "p2.5", "valid_fraction", "count",
                   "sum")


@pytest.mark.parametrize("funcs", [ALL_FUNCTIONALS, ("count", "sum", "mean"), ("mean", "std")])
def test_many_inputs_in_one_call_equal_each_input_alone(lld, funcs):
    """compute_functionals_many of stacked inputs equals compute_functionals of each input,
    bit for bit (tolerance 0): real MFCC frames cut into inputs of 0-40 frames, some with NaN
    frames, one all NaN, one constant, one of a single frame; times given and omitted."""
    from emofeat.functionals import compute_functionals_many

    values, times = lld
    x = values.astype(np.float64)
    rng = np.random.default_rng(3)
    sizes = [0, 1, 0, 40, 2, 7, 13, 0, 25, 3, 1, 31]
    starts = np.concatenate([[0], np.cumsum(sizes)])
    x = x[: starts[-1]].copy()
    x[starts[4] : starts[5], :] = x[starts[4], :]  # constant input
    x[rng.random(x.shape) < 0.05] = np.nan  # scattered missing frames in most inputs
    x[starts[6] : starts[7], 2] = np.nan  # a descriptor without a finite frame
    x[starts[3] : starts[4]] = values[: sizes[3]]  # one input without NaN (the sorted path)
    t = np.concatenate([times[:n] for n in sizes]).astype(np.float64)
    for given in (t, None):
        got = compute_functionals_many(x, starts, given, funcs)
        assert got.shape == (len(sizes), x.shape[1] * len(funcs))
        for k, (a, b) in enumerate(zip(starts[:-1], starts[1:], strict=True)):
            want = compute_functionals(x[a:b], None if given is None else t[a:b], funcs)
            np.testing.assert_array_equal(got[k], want, err_msg=f"input {k}")


def test_many_inputs_refuse_bad_bounds():
    from emofeat.functionals import compute_functionals_many

    x = np.zeros((5, 2))
    for starts in ([0, 3], [1, 5], [0, 4, 3, 5], []):
        with pytest.raises(ValueError, match="starts must rise"):
            compute_functionals_many(x, np.array(starts))
    with pytest.raises(ValueError, match="times must have"):
        compute_functionals_many(x, np.array([0, 5]), np.zeros(4))
    assert compute_functionals_many(np.zeros((0, 2)), np.array([0]), None,
                                    ("mean",)).shape == (0, 2)


def test_times_of_another_length_or_not_finite_are_refused(lld):
    """``times`` must hold one finite time per frame: a shorter array was read past its end
    by the kernel (a slope from whatever memory followed), a longer or 2-D one was taken
    silently or failed inside Numba, and a NaN time made every slope 0."""
    from emofeat.functionals import compute_functionals_many

    values, times = lld
    x = values[:, :2]
    for bad in (times[:-3], np.r_[times, 1.0], times[:, None]):
        with pytest.raises(ValueError, match=r"times must have one entry per frame"):
            compute_functionals(x, bad, ("mean", "slope"))
    for value in (np.nan, np.inf):
        bad = times.copy()
        bad[5] = value
        with pytest.raises(ValueError, match=r"times must be finite.* 1 NaN or infinite"):
            compute_functionals(x, bad, ("mean", "slope"))
        with pytest.raises(ValueError, match=r"times must be finite"):
            compute_functionals_many(x, np.array([0, x.shape[0]]), bad, ("mean", "slope"))
    # the frame times themselves: the slope of np.polyfit
    got = compute_functionals(x, times, ("slope",))
    np.testing.assert_allclose(got, [np.polyfit(times, x[:, d], 1)[0] for d in range(2)],
                               rtol=1e-9)


@pytest.mark.parametrize("order, width, problem", [
    (0, 9, "order must be a positive whole number"),
    (-1, 9, "order must be a positive whole number"),
    (1.5, 9, "order must be a positive whole number"),
    ("1", 9, "order must be a positive whole number"),
    (1, 7.5, "width must be odd and >= 3"),
    (1, "9", "width must be odd and >= 3"),
    (3, 3, "order must be below the width"),
    (9, 9, "order must be below the width"),
])
def test_deltas_refuse_orders_and_widths_librosa_refuses(lld, order, width, problem):
    """librosa.feature.delta refuses these; deltas smoothed the frames for order 0, truncated
    1.5 to 1, took a width of 7.5, gave zeros for an order >= the width, or failed inside
    math.factorial."""
    librosa = pytest.importorskip("librosa")
    values, _ = lld
    with pytest.raises(Exception):  # noqa: B017 - librosa's ParameterError or scipy's
        librosa.feature.delta(values.T, order=order, width=width)
    with pytest.raises(ValueError, match=rf"delta {problem}"):
        deltas(values, order, width)
    # whole numbers of NumPy's integer types are those numbers
    np.testing.assert_array_equal(deltas(values, np.int64(2), np.int32(9)), deltas(values, 2, 9))


@pytest.mark.parametrize("width", [9.0, np.float64(5.0)])
def test_deltas_refuse_a_float_width_as_librosa_fails_on_it(width):
    """librosa.feature.delta's own check lets a width of 9.0 through and its filter then
    fails on it (how, and in whose words, is librosa's and scipy's); deltas took it as 9."""
    librosa = pytest.importorskip("librosa")
    values = np.random.default_rng(0).normal(size=(20, 3))
    with pytest.raises(Exception):  # noqa: B017 - any failure: no width librosa takes
        librosa.feature.delta(values.T, width=width)
    with pytest.raises(ValueError, match=r"delta width must be a whole number, an int"):
        deltas(values, 1, width)


@pytest.mark.parametrize("order", [1.0, np.float64(2.0)])
def test_deltas_refuse_a_float_order_as_librosa_does(order):
    """librosa.feature.delta wants an integer order and refuses 1.0; deltas took it as 1."""
    librosa = pytest.importorskip("librosa")
    values = np.random.default_rng(0).normal(size=(20, 3))
    with pytest.raises(librosa.util.exceptions.ParameterError, match="order"):
        librosa.feature.delta(values.T, order=order)
    with pytest.raises(ValueError, match=r"delta order must be a positive whole number, an int"):
        deltas(values, order)
