"""RQA: the O(N)-memory kernels against a full-matrix NumPy reference and against pyunicorn.

* Brute force: every combination of options on small random series; histograms identical,
  measures within 1e-12 (relative, absolute for values near 0).
* pyunicorn 1.0 ``RecurrencePlot`` (preset ``pyunicorn``): identical histograms and the 12
  measures within 1e-12 on >= 200 real 20 ms speech frames (RAVDESS and EmoDB) under three
  thresholds, and on EEG segments (Muse recordings).
"""

from __future__ import annotations

import functools
import itertools
import math
import warnings

import numpy as np
import pytest
from conftest import shared_path
from emofeat.extractors.rqa import MEASURES, rqa_measures

from emofeat.errors import NonFiniteInputError, TooShortError

TOL = 1e-12


# --------------------------------------------------------------------------------------------
# brute-force reference: the definitions of docs/rqa.md, written on the full matrix


def _runs(bits: np.ndarray) -> list[int]:
    """Lengths of the runs of ones in a 1-D 0/1 array."""
    padded = np.concatenate(([0], bits.astype(np.int8), [0]))
    d = np.diff(padded)
    return list(np.flatnonzero(d == -1) - np.flatnonzero(d == 1))


def _hist(lengths: list[int], n: int) -> np.ndarray:
    h = np.zeros(n + 1, np.int64)
    for L in lengths:
        h[L] += 1
    return h


def brute_force(x, dim, delay, metric, radius=None, radius_std=None, recurrence_rate=None,
                theiler=1, main_diagonal=True, l_min=2, v_min=2, w_min=1, entropy_base=None,
                epsilon=0.0, precision="float64"):
    x = np.asarray(x, np.float32 if precision == "float32" else np.float64).astype(np.float64)
    n = len(x) - (dim - 1) * delay
    emb = np.stack([x[l * delay:l * delay + n] for l in range(dim)], axis=1)
    diff = np.abs(emb[:, None, :] - emb[None, :, :])
    if metric == "euclidean":
        dist = np.sqrt((diff * diff).sum(axis=2))
    elif metric == "maximum":
        dist = diff.max(axis=2)
    else:
        dist = diff.sum(axis=2)
    if radius is not None:
        thr = radius
    elif radius_std is not None:
        if precision == "float32":
            thr = radius_std * x.astype(np.float32).reshape(-1, 1).std()
        else:
            thr = radius_std * x.std()
    else:
        flat = np.sort(dist.ravel())
        thr = flat[int(recurrence_rate * (n * n - 1))]
    R = (dist < thr).astype(np.int8)
    if not main_diagonal:
        np.fill_diagonal(R, 0)
    diag = []
    for k in range(-(n - 1), n):
        if abs(k) >= theiler:
            diag += _runs(np.diagonal(R, k))
    vert = [L for j in range(n) for L in _runs(R[:, j])]
    white = [L for j in range(n) for L in _runs(1 - R[:, j])]
    hd, hv, hw = _hist(diag, n), _hist(vert, n), _hist(white, n)
    lengths = np.arange(n + 1)

    def ratio(a, b):
        den = float(b) + epsilon
        return a / den if den != 0 else 0.0

    def entropy(h, lo):
        sel = h[lo:]
        sel = sel[sel > 0]
        den = float(sel.sum()) + epsilon
        if den == 0:
            return 0.0
        p = sel / den
        e = float(-(p * np.log(p)).sum())
        return e / math.log(entropy_base) if entropy_base else e

    cells = n * n if main_diagonal else n * (n - 1)
    out = {"RR": R.sum() / cells if cells else 0.0}
    out["DET"] = ratio((lengths * hd)[l_min:].sum(), (lengths * hd).sum())
    out["L"] = ratio((lengths * hd)[l_min:].sum(), hd[l_min:].sum())
    out["Lmax"] = max(diag, default=0)
    out["DIV"] = 1.0 / out["Lmax"] if out["Lmax"] else 0.0
    out["ENTR"] = entropy(hd, l_min)
    out["LAM"] = ratio((lengths * hv)[v_min:].sum(), (lengths * hv).sum())
    out["TT"] = ratio((lengths * hv)[v_min:].sum(), hv[v_min:].sum())
    out["Vmax"] = max(vert, default=0)
    out["V_ENTR"] = entropy(hv, v_min)
    out["W_max"] = max(white, default=0)
    out["W_mean"] = ratio((lengths * hw)[w_min:].sum(), hw[w_min:].sum())
    out["W_ENTR"] = entropy(hw, w_min)
    out["DET_RR"] = out["DET"] / out["RR"] if out["RR"] > 0 else 0.0
    out["LAM_DET"] = out["LAM"] / out["DET"] if out["DET"] > 0 else 0.0
    return out, hd, hv, hw


def _close(a: float, b: float) -> bool:
    return abs(a - b) <= TOL * max(1.0, abs(a), abs(b))


def _check(got: dict, ref: tuple, context) -> None:
    meas, hd, hv, hw = ref
    assert np.array_equal(got["diagonal_hist"], hd), context
    assert np.array_equal(got["vertical_hist"], hv), context
    assert np.array_equal(got["white_vertical_hist"], hw), context
    bad = {k: (got[k], meas[k]) for k in MEASURES if not _close(got[k], meas[k])}
    assert not bad, (context, bad)


def _series(kind: str, n: int, seed: int) -> np.ndarray:
    rng = np.random.default_rng(seed)
    if kind == "walk":
        return np.cumsum(rng.standard_normal(n)) * 0.3
    if kind == "sine":
        return np.sin(0.4 * np.arange(n)) + 0.05 * rng.standard_normal(n)
    return np.round(rng.standard_normal(n) * 2) / 2  # coarse values: ties everywhere


THRESHOLDS = [dict(radius=0.6), dict(radius_std=0.4), dict(recurrence_rate=0.12),
              dict(radius=0.0)]
GEOMETRY = list(itertools.product(
    ["euclidean", "maximum", "manhattan"],
    range(len(THRESHOLDS)),
    [0, 1, 3],                  # theiler
    [True, False],              # main diagonal
    [(1, 1), (3, 2)],           # dim, delay
    ["float64", "float32"],     # precision
))
# Options that act on the histograms only (the kernels never see them).
LINE_OPTIONS = list(itertools.product(
    [(2, 2, 1), (3, 1, 2)],     # l_min, v_min, w_min
    [None, 2.0],                # entropy base
    [0.0, 1e-8],                # epsilon
))


@pytest.mark.parametrize("kind", ["walk", "sine", "ties"])
def test_every_option_combination_against_brute_force(kind):
    """Every combination of the geometric options; the line options cycle through theirs."""
    x = _series(kind, 47, seed=len(kind))
    for i, (metric, ti, theiler, md, (dim, delay), prec) in enumerate(GEOMETRY):
        (lm, vm, wm), base, eps = LINE_OPTIONS[i % len(LINE_OPTIONS)]
        opts = dict(dim=dim, delay=delay, metric=metric, theiler=theiler, main_diagonal=md,
                    l_min=lm, v_min=vm, w_min=wm, entropy_base=base, epsilon=eps,
                    precision=prec, **THRESHOLDS[ti])
        got = rqa_measures(x, histograms=True, **opts)
        _check(got, brute_force(x, **opts), opts)


def test_every_line_option_combination_against_brute_force():
    for kind, ti, md in itertools.product(["walk", "sine", "ties"], range(3), [True, False]):
        x = _series(kind, 40, seed=7)
        for (lm, vm, wm), base, eps in LINE_OPTIONS:
            opts = dict(dim=2, delay=1, metric="euclidean", theiler=1, main_diagonal=md,
                        l_min=lm, v_min=vm, w_min=wm, entropy_base=base, epsilon=eps,
                        **THRESHOLDS[ti])
            _check(rqa_measures(x, histograms=True, **opts), brute_force(x, **opts), opts)


def test_parallel_kernel_equals_serial_and_brute_force():
    for seed, n in [(1, 200), (2, 331)]:
        x = _series("walk", n, seed)
        for metric, thr in [("euclidean", dict(radius=0.8)), ("manhattan",
                                                              dict(recurrence_rate=0.2))]:
            opts = dict(dim=2, delay=3, metric=metric, theiler=2, **thr)
            ref = brute_force(x, **opts)
            for nb in (1, 2, 3, 7, 64, n):
                got = rqa_measures(x, histograms=True, parallel=True, n_blocks=nb, **opts)
                _check(got, ref, (seed, metric, nb))
            _check(rqa_measures(x, histograms=True, **opts), ref, (seed, metric, "serial"))


def test_recurrence_rate_threshold_on_a_long_series_uses_the_bracketing_pass():
    # n large enough that the exact selection ends with the gather-and-sort pass
    x = _series("walk", 700, 5)
    opts = dict(dim=3, delay=1, metric="euclidean", recurrence_rate=0.07)
    _check(rqa_measures(x, histograms=True, **opts), brute_force(x, **opts), opts)


def test_presets_set_the_reference_conventions():
    x = _series("walk", 120, 3)
    uni = rqa_measures(x, preset="pyunicorn", radius=0.5, histograms=True)
    ref = brute_force(x, 1, 1, "maximum", radius=0.5, theiler=1, w_min=1, epsilon=1e-8,
                      precision="float32")
    _check(uni, ref, "pyunicorn")
    pyrqa = rqa_measures(x, preset="pyrqa", radius=0.5, histograms=True)
    ref = brute_force(x, 2, 2, "euclidean", radius=0.5, theiler=1, l_min=2, v_min=2, w_min=2)
    _check(pyrqa, ref, "pyrqa")
    # explicit options override the preset
    assert rqa_measures(x, preset="pyrqa", radius=0.5, dim=1)["N"] == 120


def test_bad_options_and_inputs_are_named():
    x = np.ones(10)
    with pytest.raises(ValueError, match="exactly one of radius"):
        rqa_measures(x)
    with pytest.raises(ValueError, match="exactly one of radius"):
        rqa_measures(x, radius=1, radius_std=1)
    with pytest.raises(ValueError, match="metric"):
        rqa_measures(x, radius=1, metric="cosine")
    with pytest.raises(ValueError, match="theiler"):
        rqa_measures(x, radius=1, theiler=-1)
    with pytest.raises(ValueError, match="l_min"):
        rqa_measures(x, radius=1, l_min=0)
    with pytest.raises(ValueError, match="recurrence_rate"):
        rqa_measures(x, recurrence_rate=1.5)
    with pytest.raises(ValueError, match="entropy_base"):
        rqa_measures(x, radius=1, entropy_base=1)
    with pytest.raises(ValueError, match="preset"):
        rqa_measures(x, radius=1, preset="crp")
    with pytest.raises(TypeError, match="unknown RQA option"):
        rqa_measures(x, radius=1, radius_sd=1)
    with pytest.raises(NonFiniteInputError, match="NaN"):
        rqa_measures(np.array([0.0, np.nan, 1.0]), radius=1)
    with pytest.raises(TooShortError, match="no state vector"):
        rqa_measures(np.ones(4), radius=1, dim=3, delay=2)
    with pytest.raises(ValueError, match="1-D"):
        rqa_measures(np.ones((3, 3)), radius=1)


def test_non_numeric_entropy_base_and_epsilon_are_named():
    # a string compared with a number raised a bare TypeError that named no option
    x = np.random.default_rng(0).standard_normal(60)
    for name, bad in [("entropy_base", "e"), ("entropy_base", True), ("epsilon", "a"),
                      ("epsilon", [0.1]), ("epsilon", float("nan"))]:
        with pytest.raises(ValueError, match=name):
            rqa_measures(x, radius=1.0, **{name: bad})
    assert rqa_measures(x, radius=1.0, entropy_base=np.float32(2.0), epsilon=np.int64(0))[
        "RR"] == rqa_measures(x, radius=1.0)["RR"]


def test_infinite_line_options_and_boolean_radii_are_refused():
    # an infinite epsilon made every entropy NaN (0 * log 0) and every ratio 0, an infinite
    # entropy_base every entropy 0; radius=True was measured as radius 1.0
    x = np.random.default_rng(0).standard_normal(60)
    for name, bad in [("epsilon", float("inf")), ("entropy_base", float("inf")),
                      ("radius", True), ("radius_std", np.bool_(True)),
                      ("recurrence_rate", False)]:
        kw = {name: bad} if name in ("radius", "radius_std", "recurrence_rate") \
            else {"radius": 1.0, name: bad}
        with pytest.raises(ValueError, match=f"{name} must be a (finite )?number"):
            rqa_measures(x, **kw)
    # an infinite radius stays a defined one: every cell recurrent
    assert rqa_measures(x, radius=float("inf"))["RR"] == 1.0


def test_bad_block_counts_are_named():
    # n_blocks=0 or -1 was clamped to one block, 2.5 truncated, True read as 1, "a" failed in
    # int() naming no option
    x = np.random.default_rng(0).standard_normal(200)
    for bad in (0, -1, 2.5, True, "a"):
        with pytest.raises(ValueError, match="n_blocks must be an integer >= 1"):
            rqa_measures(x, radius=0.5, parallel=True, n_blocks=bad)
    ref = rqa_measures(x, radius=0.5, histograms=True)
    got = rqa_measures(x, radius=0.5, parallel=True, n_blocks=np.int64(500), histograms=True)
    assert np.array_equal(got["diagonal_hist"], ref["diagonal_hist"])


def test_series_that_are_not_real_numbers_are_named():
    # complex values lost their imaginary part with only NumPy's ComplexWarning; strings and
    # ragged lists failed in NumPy's conversion, naming no input
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("error")
        for bad, problem in [(np.exp(1j * np.arange(20.0)), "real series, got complex"),
                             (np.array(["a", "b", "c"]), "series of numbers, got dtype"),
                             (np.array([1.0, "a"], dtype=object), "series of numbers"),
                             ([[1.0, 2.0], [3.0]], "1-D series of numbers")]:
            with pytest.raises(ValueError, match=f"^x must be a {problem}"):
                rqa_measures(bad, radius=1.0)
    y = np.random.default_rng(0).standard_normal(30)
    assert rqa_measures(y.astype(object), radius=1.0) == rqa_measures(y, radius=1.0)


@pytest.mark.parametrize("options", [dict(radius_std=0.25), dict(recurrence_rate=0.1),
                                     dict(radius_std=0.25, metric="maximum", dim=3),
                                     dict(radius_std=0.25, preset="pyunicorn")])
def test_huge_and_tiny_series_are_measured_scale_free(options):
    from emofeat.extractors.rqa import frame_measures, resolve_options

    # beyond ~1e154 squared distances and the std overflowed (radius_std 0.25 gave RR 0.0167
    # instead of 0.19 at 1e200), below ~1e-138 they underflowed (float32 std, preset
    # pyunicorn: beyond ~1e19, below ~1e-12); a power of two scales exactly, so every
    # measure must equal the unscaled series' to the bit
    x = np.random.default_rng(0).standard_normal(60).cumsum()
    ref = rqa_measures(x, histograms=True, **options)
    opts = resolve_options(**options)
    starts = np.array([0, 7, 20])
    ref_frames = frame_measures(x, starts, 40, opts)
    # float32 holds 2**-100 .. 2**100 (the input is rounded to float32 first)
    scales = (-100, 100) if opts.precision == "float32" else (-1000, -700, -480, 480, 700,
                                                               1000)
    for k in scales:
        xk = np.ldexp(x, k)
        with warnings.catch_warnings():
            warnings.simplefilter("error")  # the overflow RuntimeWarning was the only sign
            got = rqa_measures(xk, histograms=True, **options)
            frames = frame_measures(xk, starts, 40, opts)
        assert [got[m] for m in MEASURES] == [ref[m] for m in MEASURES], k
        assert got["radius"] == math.ldexp(ref["radius"], k)
        for h in ("diagonal_hist", "vertical_hist", "white_vertical_hist"):
            np.testing.assert_array_equal(got[h], ref[h])
        np.testing.assert_array_equal(frames, ref_frames)
    if opts.precision == "float64":  # not a power of two: no distance lies near the radius
        assert rqa_measures(x * 1e200, **options)["RR"] == ref["RR"]


def test_radius_beyond_squared_range_and_float32_overflow():
    y = np.array([1e200, -1e200, 1e200, 0.0])
    # every distance (<= 2.9e200) is below 1e300: all recurrent (squares overflowed: 0.33)
    assert rqa_measures(y, dim=2, radius=1e300)["RR"] == 1.0
    assert rqa_measures(y, dim=2, radius=1e300)["radius"] == 1e300
    assert rqa_measures(y, dim=2, radius=2e200)["RR"] == rqa_measures(y * 1e-200, dim=2,
                                                                      radius=2.0)["RR"]
    # float32 precision cannot hold such a series: refused naming the option, not read as
    # "NaN or infinite values"
    with pytest.raises(ValueError, match="precision='float32'"):
        rqa_measures(y, radius=1.0, preset="pyunicorn")
    from emofeat.extractors.rqa import frame_measures, resolve_options

    with pytest.raises(ValueError, match="precision='float32'"):
        frame_measures(y, np.array([0]), 4, resolve_options("pyunicorn", radius=1.0))


def test_constant_and_single_point_series_have_defined_measures():
    flat = rqa_measures(np.zeros(30), radius=0.1)
    # theiler=1: the diagonals k = 1..29 are full lines of length 30 - k, both triangles;
    # only the two corner cells (length 1) fall short of l_min = 2
    assert flat["RR"] == 1.0 and flat["DET"] == 1 - 2 / (30 * 29) and flat["Lmax"] == 29
    assert flat["LAM"] == 1.0 and flat["Vmax"] == 30 and flat["W_max"] == 0
    one = rqa_measures(np.array([1.0]), radius=0.1)
    assert one["N"] == 1 and one["RR"] == 1.0 and one["DET"] == 0.0 and one["DIV"] == 0.0


# --------------------------------------------------------------------------------------------
# pyunicorn on real data


def _pyunicorn_measures(rp, l_min=2, v_min=2, w_min=1):
    return {
        "RR": rp.recurrence_rate(), "DET": rp.determinism(l_min),
        "L": rp.average_diaglength(l_min), "Lmax": rp.max_diaglength(),
        "ENTR": rp.diag_entropy(l_min), "LAM": rp.laminarity(v_min),
        "TT": rp.average_vertlength(v_min), "Vmax": rp.max_vertlength(),
        "V_ENTR": rp.vert_entropy(v_min), "W_max": rp.max_white_vertlength(),
        "W_mean": rp.average_white_vertlength(w_min), "W_ENTR": rp.white_vert_entropy(w_min),
    }


def _compare_with_pyunicorn(frames, configs):
    from pyunicorn.timeseries import RecurrencePlot

    worst = 0.0
    for f, x in enumerate(frames):
        for cfg in configs:
            if f % cfg.get("every", 1):
                continue
            rp = RecurrencePlot(x, dim=cfg["dim"], tau=cfg["delay"], metric=cfg["metric"],
                                silence_level=10, **cfg["pyunicorn"])
            ref = _pyunicorn_measures(rp)
            got = rqa_measures(x, preset="pyunicorn", histograms=True, dim=cfg["dim"],
                               delay=cfg["delay"], metric=cfg["metric"], **cfg["ours"])
            assert np.array_equal(got["diagonal_hist"][1:], rp.diagline_dist()), cfg
            assert np.array_equal(got["vertical_hist"][1:], rp.vertline_dist()), cfg
            assert np.array_equal(got["white_vertical_hist"][1:], rp.white_vertline_dist()), cfg
            for k, v in ref.items():
                assert _close(got[k], float(v)), (cfg, k, got[k], v)
                worst = max(worst, abs(got[k] - float(v)))
    return worst


SPEECH_CONFIGS = [
    # the Tzinis et al. recipe: euclidean, m=3, tau=1, radius 0.1 on [-1, 1] samples
    dict(dim=3, delay=1, metric="euclidean", pyunicorn=dict(threshold=0.1),
         ours=dict(radius=0.1)),
    # thresholds that give structured plots on every frame (on every second frame, for time)
    dict(dim=3, delay=1, metric="euclidean", pyunicorn=dict(threshold_std=0.25),
         ours=dict(radius_std=0.25), every=2),
    dict(dim=4, delay=2, metric="supremum", pyunicorn=dict(recurrence_rate=0.08),
         ours=dict(recurrence_rate=0.08), every=2),
]


def _speech_frames(n_frames: int) -> list[np.ndarray]:
    import soundfile as sf

    files = sorted(shared_path("speech", "ravdess").glob("Actor_*/*.flac"))[::97][:8]
    files += sorted(shared_path("speech", "emodb").glob("*.flac"))[::67][:6]
    frames = []
    per_file = -(-n_frames // len(files))
    for f in files:
        y, sr = sf.read(f, dtype="float32")
        assert sr == 16000
        starts = np.arange(0, len(y) - 320, 160)
        # loudest frames first (speech, not silence), then a few quiet ones
        energy = np.array([float(np.sum(y[s:s + 320] ** 2)) for s in starts])
        order = np.argsort(energy)[::-1]
        pick = list(order[:per_file - 2]) + list(order[-2:])
        frames += [y[s:s + 320] for s in starts[pick]]
    return frames[:n_frames]


def test_pyunicorn_identical_on_200_speech_frames():
    pytest.importorskip("pyunicorn")
    frames = _speech_frames(210)
    assert len(frames) >= 200
    worst = _compare_with_pyunicorn(frames, SPEECH_CONFIGS)
    assert worst <= 1e-12


def test_pyunicorn_identical_on_eeg_segments():
    pytest.importorskip("pyunicorn")
    folder = shared_path("eeg", "muse_mental_state")
    segments = []
    for f in sorted(folder.glob("*.csv"))[::4][:4]:
        data = np.loadtxt(f, delimiter=",", skiprows=1, usecols=(1, 2, 3, 4), max_rows=3000)
        for ch in range(4):
            segments.append(data[1000:1400, ch])  # 1.6 s at 250 Hz
    configs = [
        dict(dim=3, delay=2, metric="supremum", pyunicorn=dict(threshold_std=0.5),
             ours=dict(radius_std=0.5)),
        dict(dim=2, delay=4, metric="manhattan", pyunicorn=dict(recurrence_rate=0.1),
             ours=dict(recurrence_rate=0.1)),
        dict(dim=3, delay=1, metric="euclidean", pyunicorn=dict(threshold=15.0),
             ours=dict(radius=15.0)),
    ]
    assert _compare_with_pyunicorn(segments, configs) <= 1e-12


# --------------------------------------------------------------------------------------------
# feature sets (sklearn wrappers)


def _paper_reference(lld: np.ndarray) -> np.ndarray:
    """The 18 statistics as the authors' stat_funcs.compute (scipy moments, sorted indices)."""
    from scipy.stats import kurtosis, skew

    out = []
    for col in lld.T:
        v = np.sort(col[np.isfinite(col)])
        n = len(v)
        with warnings.catch_warnings():  # scipy warns on (nearly) constant columns
            warnings.simplefilter("ignore", RuntimeWarning)
            k, s = kurtosis(v), skew(v)
        k, s = (0.0 if np.isnan(k) else k), (0.0 if np.isnan(s) else s)  # constant column
        pct = [v[int(p / 100 * n)] for p in (1, 5, 25, 50, 75, 95, 99)]
        rng = [v[int(b / 100 * n)] - v[int(a / 100 * n)]
               for b, a in ((99, 1), (75, 25), (50, 25), (75, 50))]
        out += [np.mean(v), np.var(v), k, s, np.median(v), v[0], v[-1], *pct, *rng]
    return np.array(out)


@pytest.fixture(scope="module")
def speech_items(ravdess_files):
    import soundfile as sf

    return [sf.read(f, dtype="float32") for f in ravdess_files[:3]]


def test_rqa_speech_is_the_papers_recipe(speech_items):
    from emofeat.extractors.rqa import SPEECH_MEASURES, RQASpeech
    from sklearn.base import clone

    ext = RQASpeech()
    X = ext.fit_transform(speech_items)
    names = ext.get_feature_names_out()
    assert X.shape == (3, 432) and len(names) == 432 == len(set(names))
    assert all(n.startswith("rqa_speech_") for n in names)
    assert names[0] == "rqa_speech_rr_mean" and names[-1] == "rqa_speech_w_entr_delta_range75_50"
    np.testing.assert_array_equal(clone(ext).fit_transform(speech_items), X)

    y, sr = speech_items[0]
    lld = RQASpeech(level="lld").fit_transform([(y, sr)])
    starts = np.arange(0, len(y) - 320, 160)  # the authors' framing: 20 ms, 10 ms hop
    assert lld.shape == (len(starts), 24)
    for f in (0, len(starts) // 3, len(starts) // 2, len(starts) - 1):
        ref = rqa_measures(y[starts[f]:starts[f] + 320], preset="pyunicorn", dim=3, delay=1,
                           metric="euclidean", radius=0.1)
        np.testing.assert_array_equal(lld[f, :12], [ref[m] for m in SPEECH_MEASURES])
    np.testing.assert_array_equal(lld[1:, 12:], np.diff(lld[:, :12], axis=0))
    assert np.isnan(lld[0, 12:]).all()
    np.testing.assert_allclose(X[0], _paper_reference(lld), rtol=1e-9, atol=1e-12)


def test_rqa_set_frames_equal_rqa_measures(speech_items):
    from emofeat.extractors.rqa import RQA

    y, sr = speech_items[1]
    ext = RQA(level="lld", metric="manhattan", radius_std=0.3, theiler=2)
    lld = ext.fit_transform([(y, sr)])
    names = ext.get_feature_names_out()
    assert lld.shape == (1 + (len(y) - 320) // 160, 15) and names[0] == "rqa_rr"
    for f in (0, lld.shape[0] // 2, lld.shape[0] - 1):
        ref = rqa_measures(y[f * 160:f * 160 + 320], dim=3, delay=1, metric="manhattan",
                           radius_std=0.3, theiler=2)
        np.testing.assert_array_equal(lld[f], [ref[m] for m in MEASURES])
    func = ext.set_params(level="functionals", functionals=("mean", "p50")).fit_transform(
        [(y, sr)])
    assert func.shape == (1, 30)
    np.testing.assert_allclose(func[0, ::2], lld.mean(axis=0), rtol=1e-12)


def test_rqa_eeg_is_per_channel():
    from emofeat.extractors.rqa import RQAEEG

    folder = shared_path("eeg", "muse_mental_state")
    data = np.loadtxt(sorted(folder.glob("*.csv"))[0], delimiter=",", skiprows=1,
                      usecols=(1, 2, 3, 4), max_rows=1500).T
    ext = RQAEEG(window=2.0, hop=1.0, dim=3, delay=2, radius_std=0.4, level="lld")
    lld = ext.fit_transform([(data, 250.0, ("TP9", "AF7", "AF8", "TP10"))])
    names = list(ext.get_feature_names_out())
    assert lld.shape == (5, 60) and names[:2] == ["rqa_eeg_rr_TP9", "rqa_eeg_rr_AF7"]
    for f, ch in [(0, 0), (3, 2), (4, 3)]:
        ref = rqa_measures(data[ch, f * 250:f * 250 + 500], dim=3, delay=2, radius_std=0.4)
        got = [lld[f, names.index(f"rqa_eeg_{stem}_{('TP9', 'AF7', 'AF8', 'TP10')[ch]}")]
               for stem in ("rr", "det", "l_entr", "w_mean")]
        assert got == [ref[m] for m in ("RR", "DET", "ENTR", "W_mean")]


def test_rqa_eeg_refuses_infinite_and_too_short_windows_naming_them():
    # an infinite window or hop passed fit and raised an OverflowError at transform; a window
    # of 0 samples at the data's rate a ZeroDivisionError, one shorter than a state vector a
    # TooShortError blaming the recording ("frames of 1 samples")
    from emofeat.extractors.rqa import RQAEEG

    x = np.random.default_rng(0).standard_normal((2, 1280))
    for bad in (dict(window=float("inf")), dict(window=1.0, hop=float("inf"))):
        (name, _), = ((k, v) for k, v in bad.items() if v == float("inf"))
        with pytest.raises(ValueError, match=f"{name} must be a finite positive duration"):
            RQAEEG(**bad).fit([(x, 128.0)])
    for window, samples in ((0.001, 0), (0.01, 1)):
        with pytest.raises(ValueError, match=rf"window={window} s is {samples} samples at "
                                             r"128 Hz, fewer than the 3 one state vector"):
            RQAEEG(window=window, level="lld").fit_transform([(x, 128.0)])
    assert RQAEEG(window=0.02, level="lld").fit_transform([(x, 128.0)]).shape == (426, 30)


def test_rqa_eeg_names_a_flat_channel_as_the_other_eeg_sets_do():
    # a flat channel (a loose electrode) gave RQA's zeros without a word, where every other
    # EEG set warns naming it; the measures stay RQA's defined result for a constant series
    import warnings

    from emofeat.extractors.rqa import RQAEEG

    from emofeat.readers import EEGChannelWarning

    x = np.random.default_rng(0).standard_normal((3, 512))
    x[1] = 4.0
    names = ("AF7", "TP9", "AF8")
    with pytest.warns(EEGChannelWarning, match=r"<array 0>: channel TP9 has a flat") as rec:
        row = RQAEEG(sfreq=256, level="lld").fit_transform([(x, 256.0, names)])
    assert len(rec) == 1
    cols = list(RQAEEG(sfreq=256, level="lld").fit([(x, 256.0, names)])
                .get_feature_names_out())
    assert row[0, cols.index("rqa_eeg_rr_TP9")] == 0.0
    assert row[0, cols.index("rqa_eeg_rr_AF7")] > 0.0
    # what the warning says of the measures is what they are (it said "all 0"): no
    # recurrence, so every column of the 510 state vectors is one white line
    flat = {c.removeprefix("rqa_eeg_").removesuffix("_TP9"): v
            for c, v in zip(cols, row[0], strict=True) if c.endswith("_TP9")}
    assert flat.pop("w_max") == flat.pop("w_mean") == 510.0
    assert set(flat.values()) == {0.0}
    assert "all 0" not in str(rec[0].message) and "0 but for w_max and w_mean" in str(
        rec[0].message)
    with warnings.catch_warnings():
        warnings.simplefilter("error", EEGChannelWarning)
        x[1] = np.random.default_rng(1).standard_normal(512)
        RQAEEG(sfreq=256, level="lld").fit_transform([(x, 256.0, names)])


def test_a_given_threshold_replaces_the_sets_default():
    from emofeat.extractors.rqa import RQA, RQAEEG, RQASpeech, frame_measures
    from sklearn.base import clone

    # RQASpeech's radius=0.1 default made RQASpeech(radius_std=0.25) a conflict of two
    # thresholds; the default now applies only when no threshold is given
    y = (0.1 * np.random.default_rng(0).standard_normal(4000)).astype(np.float32)
    assert RQASpeech().options().radius == 0.1 and RQASpeech().options().radius_std is None
    np.testing.assert_array_equal(RQASpeech().fit_transform([(y, 16000)]),
                                  RQASpeech(radius=0.1).fit_transform([(y, 16000)]))
    for kw in (dict(radius_std=0.25), dict(recurrence_rate=0.1), dict(radius=0.2)):
        ext = RQASpeech(level="lld", **kw)
        (name, value), = kw.items()
        opts = ext.options()
        assert getattr(opts, name) == value
        assert [t for t in ("radius", "radius_std", "recurrence_rate")
                if getattr(opts, t) is not None] == [name]
        lld = ext.fit_transform([(y, 16000)])
        starts = np.arange(0, len(y) - 320, 160)
        ref = frame_measures(y, starts, 320, opts)
        np.testing.assert_array_equal(lld[:, :12], ref[:, [MEASURES.index(m) for m in
                                                           ext.measures]])
        assert clone(ext).get_params() == ext.get_params()
        np.testing.assert_array_equal(clone(ext).fit_transform([(y, 16000)]), lld)
    for cls, default in ((RQA, "radius_std"), (RQAEEG, "radius_std"), (RQASpeech, "radius")):
        assert getattr(cls().options(), default) is not None
        assert cls(recurrence_rate=0.05).options().recurrence_rate == 0.05
        with pytest.raises(ValueError, match="exactly one of radius"):
            cls(radius=0.1, radius_std=0.25).options()


def test_feature_sets_refuse_bad_parameters_and_short_input():
    from emofeat.extractors.rqa import RQA, RQASpeech

    with pytest.raises(ValueError, match="metric"):
        RQA(metric="cosine").fit()
    with pytest.raises(ValueError, match="frame_length"):
        RQA(frame_length=2, dim=3).fit()
    with pytest.raises(TooShortError):
        RQASpeech().fit_transform([(np.zeros(100, np.float32), 16000)])
    # the paper's statistics are checked like any set's functionals: one sr rule for both
    # (paper mode took int(16000.5) and refused only sr <= 0)
    for functionals in ("paper", ("mean", "std")):
        for sr in (16000.5, 0, None, True):
            with pytest.raises(ValueError, match="sr must be a positive whole number"):
                RQASpeech(sr=sr, functionals=functionals).fit()
        RQASpeech(sr=8000, functionals=functionals).fit()
    with pytest.raises(ValueError, match="functional"):
        RQASpeech(functionals=("mean", "papers")).fit()


@functools.cache
def _pyrqa_unavailable() -> str:
    """Why PyRQA cannot run here, or ``""``. An OpenCL platform is not enough: pocl compiles
    each kernel with its LLVM for the host CPU, and pyopencl's wheel bundles LLVM 14, which
    knows no CPU newer than it (an AMD Zen 5, cpu family 26: "unknown target CPU 'generic'",
    seen on the 2-vCPU VM on 2026-12-06), so one tiny kernel is built first."""
    try:
        import pyopencl as cl
        import pyrqa  # noqa: F401
    except Exception as exc:  # not installed
        return (f"PyRQA with an OpenCL runtime is not installed ({type(exc).__name__}; the "
                "test extra has both: pip install PyRQA pocl-binary-distribution)")
    try:
        ctx = cl.Context(devices=[cl.get_platforms()[0].get_devices()[0]])
        cl.Program(ctx, "__kernel void k(__global float *a) { a[0] = 1.0f; }").build()
    except Exception as exc:  # no platform, or one that cannot compile for this CPU
        why = " ".join(str(exc).split())
        cut = why.find("error:")
        return ("PyRQA's OpenCL runtime cannot compile a kernel on this machine: "
                + (why[cut:cut + 120] if cut >= 0 else why[:160]))
    return ""


def _pyrqa_available() -> bool:
    return not _pyrqa_unavailable()


@pytest.mark.filterwarnings("ignore")  # pyopencl/PyRQA deprecation noise
@pytest.mark.skipif(not _pyrqa_available(), reason=_pyrqa_unavailable())
def test_pyrqa_identical_on_speech_frames():
    """PyRQA 8 (OpenCL on the CPU, float32) against preset ``pyrqa``: identical histograms,
    measures within 1e-6 (PyRQA returns float32 ratios)."""
    from pyrqa.analysis_type import Classic
    from pyrqa.computation import RQAComputation
    from pyrqa.metric import EuclideanMetric, MaximumMetric
    from pyrqa.neighbourhood import FixedRadius
    from pyrqa.settings import Settings
    from pyrqa.time_series import TimeSeries

    frames = _speech_frames(24)
    for f, x in enumerate(frames):
        metric, theiler = (EuclideanMetric, 1) if f % 2 else (MaximumMetric, 3)
        radius = 0.25 * float(np.asarray(x, np.float64).std())
        settings = Settings(TimeSeries(x, embedding_dimension=2, time_delay=2),
                            analysis_type=Classic, neighbourhood=FixedRadius(radius),
                            similarity_measure=metric, theiler_corrector=theiler)
        res = RQAComputation.create(settings, verbose=False).run()
        res.min_diagonal_line_length = res.min_vertical_line_length = 2
        res.min_white_vertical_line_length = 2
        got = rqa_measures(x, preset="pyrqa", radius=radius, theiler=theiler, histograms=True,
                           metric="euclidean" if f % 2 else "maximum")
        n = got["N"]
        assert np.array_equal(np.asarray(res.diagonal_frequency_distribution)[:n],
                              got["diagonal_hist"][1:]), f
        assert np.array_equal(np.asarray(res.vertical_frequency_distribution)[:n],
                              got["vertical_hist"][1:]), f
        assert np.array_equal(np.asarray(res.white_vertical_frequency_distribution)[:n],
                              got["white_vertical_hist"][1:]), f
        ref = {"RR": res.recurrence_rate, "DET": res.determinism, "L": res.average_diagonal_line,
               "Lmax": res.longest_diagonal_line, "ENTR": res.entropy_diagonal_lines,
               "LAM": res.laminarity, "TT": res.trapping_time,
               "Vmax": res.longest_vertical_line, "V_ENTR": res.entropy_vertical_lines,
               "W_max": res.longest_white_vertical_line,
               "W_mean": res.average_white_vertical_line,
               "W_ENTR": res.entropy_white_vertical_lines}
        for k, v in ref.items():
            if np.isnan(float(v)):  # PyRQA's 0/0 (no line of that kind); emofeat gives 0
                assert got[k] == 0.0, (f, k, got[k])
                continue
            assert abs(float(v) - got[k]) <= 1e-6 * max(1.0, abs(got[k])), (f, k, v, got[k])


@pytest.mark.filterwarnings("ignore")  # pyopencl/PyRQA deprecation noise
@pytest.mark.skipif(not _pyrqa_available(), reason=_pyrqa_unavailable())
def test_pyrqa_zero_radius_with_theiler_0_is_a_documented_difference():
    """docs/rqa.md: at radius 0 (a silent frame under radius_std) with Theiler corrector 0,
    PyRQA's diagonal histogram holds 2**64 - 1 (an unsigned -1) lines of length N though no
    cell is recurrent (its RR is 0), and its DET is 1, Lmax N; emofeat counts no line (DET,
    L, Lmax 0). Everywhere else the preset agrees:
    the same frame at the smallest radius that makes the diagonal recurrent gives PyRQA's
    histograms and measures."""
    from pyrqa.analysis_type import Classic
    from pyrqa.computation import RQAComputation
    from pyrqa.metric import EuclideanMetric
    from pyrqa.neighbourhood import FixedRadius
    from pyrqa.settings import Settings
    from pyrqa.time_series import TimeSeries

    x = _speech_frames(3)[0]
    for radius in (0.0, 1e-9):
        res = RQAComputation.create(Settings(
            TimeSeries(x, embedding_dimension=2, time_delay=2), analysis_type=Classic,
            neighbourhood=FixedRadius(radius), similarity_measure=EuclideanMetric,
            theiler_corrector=0), verbose=False).run()
        got = rqa_measures(x, preset="pyrqa", radius=radius, theiler=0, histograms=True)
        n = got["N"]
        ref_hist = np.asarray(res.diagonal_frequency_distribution)[:n]
        assert float(res.longest_diagonal_line) == n and float(res.determinism) == 1.0
        if radius == 0.0:
            # an unsigned -1 lines of length N, the only entry
            assert ref_hist[n - 1] == np.iinfo(ref_hist.dtype).max
            assert np.count_nonzero(ref_hist) == 1
            assert float(res.recurrence_rate) == got["RR"] == 0.0
            assert not got["diagonal_hist"].any() and got["Lmax"] == got["DET"] == 0.0
        else:
            assert np.array_equal(ref_hist, got["diagonal_hist"][1:])
            assert got["Lmax"] == n and got["RR"] == pytest.approx(float(res.recurrence_rate))


def test_non_finite_samples_give_nan_frames_in_the_sets():
    from emofeat.extractors.rqa import RQA, RQAEEG

    from emofeat.audio import prepare_signal

    rng = np.random.default_rng(1)
    y = (0.1 * rng.standard_normal(4000)).astype(np.float32)
    y[2000:2010] = np.nan
    audio = prepare_signal(y, 16000, 16000, source="<nan>", allow_nonfinite=True)
    ext = RQA(level="lld")
    rows, times = ext.features_of(audio)
    starts = np.rint(times * 16000).astype(int) - 160
    touches = (starts + 320 > 2000) & (starts < 2010)
    assert np.isnan(rows[touches]).all() and np.isfinite(rows[~touches]).all()
    f = int(np.flatnonzero(~touches)[-1])
    ref = rqa_measures(y[starts[f]:starts[f] + 320], dim=3, delay=1, radius_std=0.25)
    np.testing.assert_array_equal(rows[f], [ref[m] for m in MEASURES])
    assert np.isfinite(RQA().features_of(audio)[0]).all()  # functionals skip NaN frames
    eeg = rng.standard_normal((2, 600))
    eeg[1, 10] = np.nan
    ext = RQAEEG(sfreq=100.0)
    with pytest.warns(UserWarning, match="ch1"):  # the EEG reader names the broken channel
        out = ext.fit_transform([(eeg, 100.0, ("ch0", "ch1"))])
    names = list(ext.get_feature_names_out())
    bad = np.array(["_ch1_" in n for n in names])
    assert np.isnan(out[0, bad]).all() and np.isfinite(out[0, ~bad]).all()
