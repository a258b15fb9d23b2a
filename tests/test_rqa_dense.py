"""RQA's dense kernel (the whole plot held as bits, for short series such as speech frames)
against the O(N)-memory sweep and the brute-force reference of tests/test_rqa.py.

Histograms must be identical and measures equal to 1e-12 (the brute force) or exactly (the
two kernels, whose histograms are identical and whose measures go through the same code).
Sizes around the 64-bit word boundaries, plots with no recurrence, entirely recurrent plots,
series whose 64-row blocks are decided whole by their bounding boxes, and distances exactly
equal to the radius are all covered.
"""

from __future__ import annotations

import itertools

import numpy as np
import pytest
from conftest import shared_path
from emofeat.extractors import _rqa_kernels as K
from emofeat.extractors.rqa import (
    MEASURES,
    frame_measures,
    frame_radii_std,
    radius_of,
    resolve_options,
    rqa_measures,
)
from test_rqa import GEOMETRY, LINE_OPTIONS, THRESHOLDS, _check, _series, brute_force

SIZES = [1, 2, 3, 63, 64, 65, 127, 128, 129]


def _blocky(n: int, seed: int) -> np.ndarray:
    """Quiet stretches at a few levels (whole 64 x 64 blocks decided by their boxes) with
    a little noise, and a loud stretch (blocks left to the distances)."""
    rng = np.random.default_rng(seed)
    levels = np.repeat(rng.choice([0.0, 0.5, 2.0], size=n // 40 + 2), 40)[:n]
    x = levels + 1e-3 * rng.standard_normal(n)
    x[n // 2: n // 2 + 30] += rng.standard_normal(min(30, max(0, n - n // 2)))
    return x


def _kinds(n: int, seed: int) -> dict[str, np.ndarray]:
    return {"walk": _series("walk", n, seed), "ties": _series("ties", n, seed),
            "blocky": _blocky(n, seed)}


def _same(a: dict, b: dict, context) -> None:
    for key in ("diagonal_hist", "vertical_hist", "white_vertical_hist"):
        assert np.array_equal(a[key], b[key]), (context, key)
    for key in MEASURES:
        assert a[key] == b[key], (context, key, a[key], b[key])


def test_dense_equals_sweep_and_brute_force_at_word_boundaries():
    """N = 1, 2, 3 and around 64 and 128 state vectors; no, some and all recurrences."""
    thresholds = [dict(radius=0.0), dict(radius=0.5), dict(radius_std=0.3), dict(radius=1e9)]
    for n, (kind_i, kind) in itertools.product(SIZES, enumerate(["walk", "ties", "blocky"])):
        for i, (metric, (dim, delay), thr) in enumerate(itertools.product(
                ["euclidean", "maximum", "manhattan"], [(1, 1), (3, 1), (2, 3)], thresholds)):
            x = _kinds(n + (dim - 1) * delay, seed=n + kind_i)[kind]
            theiler, main_diagonal = [(0, True), (1, False), (3, True), (1, True)][i % 4]
            opts = dict(dim=dim, delay=delay, metric=metric, theiler=theiler,
                        main_diagonal=main_diagonal, **thr)
            dense = rqa_measures(x, histograms=True, kernel="dense", **opts)
            sweep = rqa_measures(x, histograms=True, kernel="sweep", **opts)
            context = (n, kind, opts)
            _same(dense, sweep, context)
            _check(dense, brute_force(x, **opts), context)
            if "radius" in thr and thr["radius"] == 0.0:
                assert dense["RR"] == 0.0 and dense["vertical_hist"].sum() == 0
            if "radius" in thr and thr["radius"] == 1e9:
                assert dense["RR"] == 1.0 and dense["white_vertical_hist"].sum() == 0


@pytest.mark.parametrize("n", [65])
def test_every_option_combination_on_both_kernels(n):
    """The whole option grid of tests/test_rqa.py through each serial kernel explicitly."""
    for kind in ("walk", "ties"):
        x = _series(kind, n, seed=n)
        for i, (metric, ti, theiler, md, (dim, delay), prec) in enumerate(GEOMETRY):
            (lm, vm, wm), base, eps = LINE_OPTIONS[i % len(LINE_OPTIONS)]
            opts = dict(dim=dim, delay=delay, metric=metric, theiler=theiler,
                        main_diagonal=md, l_min=lm, v_min=vm, w_min=wm, entropy_base=base,
                        epsilon=eps, precision=prec, **THRESHOLDS[ti])
            ref = brute_force(x, **opts)
            for kernel in ("dense", "sweep"):
                _check(rqa_measures(x, histograms=True, kernel=kernel, **opts), ref,
                       (kernel, opts))


def test_block_decisions_are_exact_when_distances_equal_the_radius():
    """Constant stretches 0.5 apart: every cross-stretch distance equals the radius exactly,
    so strict recurrence hinges on the last bit (the boxes decide those blocks whole)."""
    x = np.repeat([0.0, 0.5, 0.0, 1.0, 0.5], [70, 64, 80, 30, 100]).astype(np.float64)
    for metric, dim in itertools.product(["euclidean", "maximum", "manhattan"], [1, 3]):
        for radius in (0.5, np.nextafter(0.5, 1.0), 1.0, np.nextafter(1.0, 2.0)):
            opts = dict(dim=dim, delay=1, metric=metric, radius=float(radius))
            dense = rqa_measures(x, histograms=True, kernel="dense", **opts)
            _same(dense, rqa_measures(x, histograms=True, kernel="sweep", **opts), opts)
            _check(dense, brute_force(x, **opts), opts)


def _ravdess_frames(n_frames: int) -> list[np.ndarray]:
    import soundfile as sf

    files = sorted(shared_path("speech", "ravdess").glob("Actor_*/*.flac"))[::131][:6]
    frames = []
    for f in files:
        y = sf.read(f, dtype="float32")[0]
        starts = np.linspace(0, len(y) - 320, -(-n_frames // len(files))).astype(int)
        frames += [y[s:s + 320] for s in starts]
    return frames[:n_frames]


def test_dense_equals_sweep_on_real_speech_frames():
    """60 RAVDESS frames (silence and speech), the recipe's radius and structured plots:
    identical histograms, and the batch path (dense kernel inside ``rqa_frames``) gives
    exactly the sweep's measures."""
    frames = _ravdess_frames(60)
    y = np.concatenate(frames)
    starts = np.arange(len(frames)) * 320
    for thr in (dict(radius=0.1), dict(radius_std=0.25)):
        opts = dict(preset="pyunicorn", dim=3, delay=1, metric="euclidean", **thr)
        batch = frame_measures(y, starts, 320, resolve_options(**opts))
        for f, x in enumerate(frames):
            sweep = rqa_measures(x, histograms=True, kernel="sweep", **opts)
            dense = rqa_measures(x, histograms=True, kernel="dense", **opts)
            _same(dense, sweep, (f, thr))
            assert np.array_equal(batch[f], [sweep[k] for k in MEASURES]), (f, thr)


def test_frames_longer_than_the_dense_limit_use_the_sweep():
    n = K.DENSE_MAX_N + 3
    x = _series("walk", n + 2, seed=4)
    opts = resolve_options(dim=3, delay=1, metric="euclidean", radius_std=0.2)
    batch = frame_measures(x, np.array([0]), n + 2, opts)[0]
    dense = rqa_measures(x, kernel="dense", dim=3, delay=1, metric="euclidean",
                         radius_std=0.2)
    assert np.array_equal(batch, [dense[k] for k in MEASURES])


@pytest.mark.parametrize("precision", ["float32", "float64"])
def test_frame_radii_std_identical_to_radius_of(precision):
    rng = np.random.default_rng(3)
    for dtype in (np.float32, np.float64):
        y = (rng.standard_normal(5000) * rng.uniform(0.01, 1, 5000)).astype(dtype)
        for frame in (5, 47, 320, 1000):
            starts = np.arange(0, len(y) - frame, 37)
            opts = resolve_options(dim=3, delay=1, radius_std=0.25, precision=precision)
            got = frame_radii_std(y, starts, frame, opts)
            ref = [radius_of(y[s:s + frame], opts) for s in starts]
            assert np.array_equal(got, ref), (dtype, frame)


def test_transpose64_is_the_bit_transpose():
    from numba import njit

    @njit
    def transpose(a):
        K._transpose64(a)

    rng = np.random.default_rng(5)
    for _ in range(5):
        a = rng.integers(0, 2**64 - 1, 64, dtype=np.uint64, endpoint=True)
        bits = (a[:, None] >> np.arange(64, dtype=np.uint64)) & np.uint64(1)
        b = a.copy()
        transpose(b)
        assert np.array_equal((b[:, None] >> np.arange(64, dtype=np.uint64)) & np.uint64(1),
                              bits.T)


def test_kernel_option_is_checked():
    with pytest.raises(ValueError, match="kernel"):
        rqa_measures(np.arange(10.0), radius=1.0, kernel="matrix")
    with pytest.raises(ValueError, match="kernel"):
        rqa_measures(np.arange(10.0), radius=1.0, kernel="dense", parallel=True)
