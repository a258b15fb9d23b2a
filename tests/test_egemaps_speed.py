"""The eGeMAPS pipeline's speed-ups change no number: reused buffers, kernels run over kept
spectra, per-hop frame powers (docs/egemaps.md, "Speed")."""

from __future__ import annotations

import math
import warnings

import numpy as np
import pytest
from emofeat.extractors import _egemaps_kernels as K
from emofeat.extractors import egemaps as E

from emofeat.audio import load_audio


@pytest.fixture(scope="module")
def signals(ravdess_files):
    return [load_audio(f, 16000).y.astype(np.float64) for f in ravdess_files[:3]]


def _all(y):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return E.egemaps_functionals(y), E.egemaps_lld(y)[0]


def test_results_do_not_depend_on_what_ran_before(signals):
    """The workspace is reused from file to file: a file's numbers are the same bits whether
    a longer or a shorter signal ran before it, and after a multi-block one."""
    a, b, c = signals
    long = np.concatenate([a, b, c, a])
    first = _all(a)
    _all(long)  # grows the buffers
    E.descriptors(long, block_frames=97)  # the multi-block path (no kept spectra)
    again = _all(a)
    _all(b[: 2000])
    third = _all(a)
    for x, y, z in zip(first, again, third, strict=True):
        np.testing.assert_array_equal(x, y)
        np.testing.assert_array_equal(x, z)


def test_frame_power_from_hop_sums(signals):
    """Per-hop sums give the frame powers of the direct sums to rounding, the zero-padded
    frames past the end included."""
    y = signals[0][:16000 * 2 + 77]
    for n in (E.N_SHORT, E.N_LONG):
        n_frames = (y.shape[0] - n) // E.HOP + 3  # two frames past the end
        direct = np.empty(n_frames)
        hops = np.empty(n_frames)
        K.frame_power(y, n, E.HOP, n_frames, direct)
        K.frame_power_hops(y, n // E.HOP, E.HOP, n_frames, hops)
        np.testing.assert_allclose(hops, direct, rtol=1e-13, atol=0)


def test_voicing_gate_equals_the_windowed_frames(signals):
    """The level gate decided from per-hop bounds equals the windowed frames' mean squares
    against the threshold, frame for frame (the signal scaled so that many frames lie near
    it, frames past the end included), and its plain mean squares are ``frame_power_hops``'s
    bit for bit."""
    plan = E._plan()
    thr = E.VOICING_RMS * E.VOICING_RMS
    y0 = np.ascontiguousarray(signals[1][: 16000 * 2 + 77], dtype=np.float64)
    peak = float(np.max(np.abs(y0)))
    # the loudest sample at 1x, 3x and 30x the gate's level, and the signal as it is
    mixed = 0
    for scale in (1.0, E.VOICING_RMS / peak, 3 * E.VOICING_RMS / peak, 30 * E.VOICING_RMS / peak):
        y = y0 * scale
        n_frames = (y.shape[0] - E.N_LONG) // E.HOP + 3
        msq = np.empty(n_frames)
        gate = np.empty(n_frames, dtype=np.bool_)
        K.long_power_gate(y, E.HOP, E.N_LONG // E.HOP, plan.gauss, plan.gauss2_lo,
                          plan.gauss2_hi, float(E.N_LONG), thr, n_frames, msq, gate)
        hops = np.empty(n_frames)
        K.frame_power_hops(y, E.N_LONG // E.HOP, E.HOP, n_frames, hops)
        np.testing.assert_array_equal(msq, hops)
        padded = np.r_[y, np.zeros(E.N_LONG)]
        power = np.array([np.sum((padded[t * E.HOP : t * E.HOP + E.N_LONG] * plan.gauss) ** 2)
                          for t in range(n_frames)]) / E.N_LONG
        np.testing.assert_array_equal(gate, power > thr)
        mixed += bool(0 < gate.sum() < n_frames)
    assert mixed >= 2  # the threshold falls inside the signal at two levels at least


@pytest.mark.parametrize("n", [500, 900, 1200])
@pytest.mark.parametrize("level", ["functionals", "lld"])
def test_block_protocol_on_inputs_shorter_than_its_frames(tmp_path, n, level):
    """Below and just above one 60 ms frame the block protocol gives the whole-file result
    (all-NaN functionals / no LLD rows below it, the same rows and times above)."""
    import soundfile as sf

    from emofeat.registry import get_extractor
    from emofeat.runner import run

    path = tmp_path / "short.wav"
    y = np.random.default_rng(0).standard_normal(n).astype(np.float32) * 0.1
    sf.write(path, y, 16000)
    ext = get_extractor("egemaps", level=level)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        whole = run([path], [ext], long_file_seconds=None).table
        blocks = run([path], [ext], long_file_seconds=0.001, block_seconds=0.02).table
    np.testing.assert_array_equal(blocks.X, whole.X)
    assert blocks.index.equals(whole.index)


def test_poly_roots_against_numpy_roots():
    """The formant root search (real-arithmetic Aberth iteration, converged roots frozen)
    finds the roots of order-14 predictor-like polynomials (conjugate pairs inside the unit
    circle, two of them close) from a cold start and from a perturbed warm start; checked
    against numpy.roots (companion-matrix eigenvalues) to 1e-9."""
    rng = np.random.default_rng(3)
    for _ in range(20):
        r = rng.uniform(0.5, 0.99, 7)
        ang = rng.uniform(0.05, 3.0, 7)
        ang[1] = ang[0] + 1e-3  # two nearby formants
        roots = np.concatenate([r * np.exp(1j * ang), r * np.exp(-1j * ang)])
        coef = np.real(np.poly(roots))
        ref = np.roots(coef)

        def far(z, ref=ref):  # each reference root's distance to the nearest root found
            return np.abs(ref[:, None] - z[None, :]).min(axis=1).max()

        z = np.empty(14, dtype=np.complex128)
        K._cold_start(z)
        assert K.poly_roots(coef, z) > 0
        assert far(z) < 1e-9
        z = ref * (1.0 + 1e-3 * np.arange(1, 15)) + 1e-4j  # warm start near the roots
        assert K.poly_roots(coef, z) > 0
        assert far(z) < 1e-9


def test_formants_against_numpy_roots_on_real_frames(signals):
    """``lpc_formants`` (the half-cost root search on the previous frame's pairs and real
    roots, with its structure changes and fallbacks) gives the formants of the roots that
    ``numpy.roots`` finds, to 1e-9, on every 20 ms frame of three real files (a third of
    the frames have two real roots, and the structure changes from frame to frame)."""
    plan = E._plan()
    for y in signals:
        n = (y.shape[0] - E.N_SHORT) // E.HOP + 1
        spec = np.fft.rfft(E._frames(y, E.N_SHORT, n, plan.ham, E.N_FFT_SHORT), axis=1)
        acf = np.zeros((n, E.FORMANT_ORDER + 1))
        E._formant_acf(spec, np.ones(n, dtype=np.bool_), acf)
        fq = np.empty((n, 3))
        bw = np.empty((n, 3))
        K.lpc_formants(acf, np.ones(n, dtype=np.bool_), E.FORMANT_ORDER, E.FORMANT_FS, 50.0,
                       5450.0, 3, fq, bw, True)
        a = np.empty(E.FORMANT_ORDER + 1)
        tmp = np.empty_like(a)
        n_real = 0
        for t in range(n):
            want_f = np.full(3, np.nan)
            want_b = np.full(3, np.nan)
            if K._levinson(acf[t], E.FORMANT_ORDER, a, tmp) > 0.0:
                z = np.roots(np.r_[1.0, -a[1:]])  # openSMILE's sign (the kernel's docs)
                n_real += bool(np.any(z.imag == 0.0))
                z = z[z.imag > 0.0]
                f = np.angle(z) * E.FORMANT_FS / (2.0 * np.pi)
                z, f = z[(f > 50.0) & (f < 5450.0)], f[(f > 50.0) & (f < 5450.0)]
                order = np.argsort(f)[:3]
                want_f[: order.size] = f[order]
                want_b[: order.size] = np.abs(np.log(np.abs(z[order]))) * E.FORMANT_FS / np.pi
            np.testing.assert_allclose(fq[t], want_f, rtol=1e-9, atol=1e-9)
            np.testing.assert_allclose(bw[t], want_b, rtol=1e-9, atol=1e-9)
        assert n_real > 0  # the real-root structure is exercised


def _descriptor_variants(y):
    """Raw descriptors of ``y`` as a whole file and through the block protocol's frame state
    (strided views: the other array layout the kernel is compiled for)."""
    d = E.descriptors(y, all_formants=False)
    yield d
    state = E._state_of(E.descriptors(y, all_formants=False, block_frames=E.LONG_BLOCK_FRAMES))
    yield E._descriptors_of_state(state)


def test_functionals_kernel_equals_the_numpy_functionals(signals, emodb_dir):
    """The one-call functionals kernel gives NumPy's numbers to the bit (pairwise sums,
    ``numpy.std``, ``numpy.percentile``), on real speech (RAVDESS, EmoDB), whole files and
    block-protocol frame states, and on degenerate contours: no voiced frame, one voiced
    run of 4 frames, a tone voiced to its end, a flat signal, the shortest input with rows."""
    ys = list(signals) + [load_audio(f, 16000).y.astype(np.float64)
                          for f in sorted(emodb_dir.glob("*.flac"))[::200][:2]]
    rng = np.random.default_rng(3)
    quiet = 1e-4 * rng.standard_normal(16000)  # below the voicing gate: no voiced frame
    tone = np.zeros(16000)
    tone[8000:8000 + 1440] = 0.3 * np.sin(2 * np.pi * 150 * np.arange(1440) / 16000)
    # a harmonic tone voiced to its last rows (the rows the functionals leave out)
    t = np.arange(int(0.6 * E.SR)) / E.SR
    phase = 2 * np.pi * np.cumsum(150.0 * 2.0 ** (t / 0.6)) / E.SR
    rising = 0.1 * sum(np.sin(k * phase) / k for k in range(1, 8))
    # and 70 ms of speech, where the pitch smoother's paths never agree (n_seen_vq)
    mid = signals[0].shape[0] // 3
    ys += [quiet, tone, rising, np.full(4000, 0.01), signals[0][:E.N_LONG + 5],
           signals[0][mid:mid + E.N_LONG + E.HOP]]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for y in ys:
            for d in _descriptor_variants(y):
                np.testing.assert_array_equal(E.functionals_of(d), _reference_functionals(d))


def test_pairwise_sum_is_numpys():
    """The kernels' sum is the installed NumPy's, to the bit: below NumPy 2.3 (2.0 is the
    floor) ``numpy.sum`` adds the pairwise sums of 8192-value blocks in order, and a sum of
    more values than that was the newer NumPy's whole-array pairwise sum (100003 values:
    2464.3640664244504 against NumPy 2.0's 2464.3640664244613)."""
    from emofeat.extractors._egemaps_functionals_kernels import _psum, numpy_sum_block

    block = numpy_sum_block()
    assert block in (0, np.getbufsize())
    rng = np.random.default_rng(1)
    for n in [*range(0, 300, 7), 1000, 8192, 8193, 9000, 16384, 16385, 20000, 100003]:
        x = rng.standard_normal(n) * 10 ** rng.uniform(-3, 3, n)
        assert _psum(x, 0, n, block) == np.sum(x), n
    # the two ways differ on long arrays: the choice is tested above, not moot
    x = rng.standard_normal(100003) * 10 ** rng.uniform(-3, 3, 100003)
    assert _psum(x, 0, x.size, 0) != _psum(x, 0, x.size, int(np.getbufsize()))


# ---- the functionals as they were computed before the functionals kernel (NumPy calls per
# statistic): the reference the kernel must equal to the bit


def _r_mean_cov(x: np.ndarray) -> tuple[float, float]:
    if x.size == 0:
        return np.nan, np.nan
    m = float(np.mean(x))
    return m, (float(np.std(x)) / m if m != 0 else 0.0)


def _r_turns(x: np.ndarray, thr: float, margin: float) -> list[tuple[int, int]]:
    """Turning points ``(index, +1 maximum / -1 minimum)`` of ``x``, as openSMILE's peak
    debug output lists them (docs/egemaps.md, "the slope rule from openSMILE's peak debug
    output"): strict local extrema at 2 .. n - 3
    in order; a maximum after a minimum (or first) counts when ``thr`` away from the lower
    of the last local minimum and the reference minimum, a minimum after a maximum (or
    first) when ``thr`` away from the reference maximum; a higher maximum replaces the last
    turn's maximum when ``thr`` above the last local minimum or more than ``1 + margin``
    times it, any lower minimum the last turn's minimum. The references start at ``x[0]``:
    the maximum follows the last turn's maximum, the minimum is set by an appended minimum
    and lowered by a replacing one ``thr`` below the local maximum before it, however little
    lower, the first turn's replacement included (numbers version 11); a replacing one less
    than ``thr`` below that maximum lowers it only where it replaces the first turn and lies
    ``thr`` below it. A minimum turn (not the first) less than ``thr`` below the local
    maximum before it, where it set the reference, is dropped by a maximum that would
    follow it but is less than ``thr`` above its own local minimum (which then only
    replaces the maximum before). Such a weak minimum reached
    after a plateau (no value since the last maximum turn, that turn's own included, above
    it) is pending (numbers version 3, 2026-12-07): it sets no reference, and the next local
    maximum keeps it, as a turn after it, when more
    than ``1 + margin`` times the local maximum before the minimum, less than ``thr`` above
    the minimum and ``thr`` above the lower of the last local minimum and the reference;
    else the minimum is dropped and the maximum only replaces the one before; undecided at
    the end, it is dropped. After a maximum turn the last local minimum starts at the
    turn's value and is lowered by every local maximum that is not a turn, set by every
    strict local minimum (a pending one included) (version 4). A first minimum less than
    ``thr`` below ``x[0]`` is dropped."""
    turns: list[list[int]] = []
    ref_lo = ref_hi = last_lo = last_hi = float(x[0])
    weak = False
    pending = False
    p_max = float(x[0])
    low = math.inf  # the lowest value since the last maximum turn (that turn's included)

    def replaces(v: float) -> bool:
        top = float(x[turns[-1][0]])
        return (v > top and v - last_lo >= thr) or v > (1.0 + margin) * top

    for t in range(2, x.shape[0] - 2):
        v = float(x[t])
        if x[t - 1] < v > x[t + 1]:
            turn = False
            if pending:
                pending = weak = False
                if (v > (1.0 + margin) * p_max and v - float(x[turns[-1][0]]) < thr
                        and v - min(last_lo, ref_lo) >= thr):
                    turns.append([t, 1])
                    turn = True
                else:
                    turns.pop()
                    if replaces(v):
                        turns[-1][0] = t
                        turn = True
            elif not turns or turns[-1][1] == -1:
                if abs(v - min(last_lo, ref_lo)) >= thr:
                    if turns and weak and abs(v - last_lo) < thr:
                        turns.pop()
                        weak = False
                        if replaces(v):
                            turns[-1][0] = t
                            turn = True
                    else:
                        turns.append([t, 1])
                        turn = True
            elif replaces(v):
                turns[-1][0] = t
                turn = True
            if turn:
                ref_hi, low, last_lo = v, math.inf, v
            elif turns and turns[-1][1] == 1:
                last_lo = min(last_lo, v)
            last_hi = v
        elif x[t - 1] > v < x[t + 1]:
            if not turns or turns[-1][1] == 1:
                if abs(v - ref_hi) >= thr:
                    weak = bool(turns) and abs(v - last_hi) < thr
                    turns.append([t, -1])
                    if weak and low <= v:
                        pending, p_max = True, last_hi
                        low = min(low, v)
                        last_lo = v
                        continue  # no reference
                    ref_lo = v
            elif v < x[turns[-1][0]]:
                turns[-1][0] = t
                if abs(v - last_hi) >= thr or (len(turns) == 1 and ref_lo - v >= thr):
                    ref_lo = v
                    weak = False
            last_lo = v
        low = min(low, v)
    if pending:
        turns.pop()
    if turns and turns[0][1] == -1 and x[0] - x[turns[0][0]] < thr:
        turns.pop(0)
    return [(t, k) for t, k in turns]


def _r_slope_stats(v: list[float], last_out: bool) -> list[float]:
    """Mean, and the root of the squared deviations (the last value's left out when
    ``last_out``: the open segment at the end) over the number of values."""
    if not v:
        return [0.0, 0.0]
    a = np.asarray(v)
    m = float(np.sum(a)) / a.size
    d = a[:-1] if last_out else a
    return [m, float(np.sqrt(np.sum((d - m) ** 2) / a.size)) if d.size else 0.0]


def _r_slopes(x: np.ndarray, dt: float, loudness: bool = False) -> tuple[int, list[float]]:
    """Peak count (the maxima among the turning points) and rising/falling slope
    statistics of a contour (loudness and F0 alike): segments between the turning points of
    ``_r_turns``
    (``E.PEAK_HYSTERESIS`` x range, ``E.PEAK_MARGIN``), the first from the start; one ending
    in a maximum is a rise ``(x[b] - x[a]) / ((b - a) dt)``, one ending in a minimum a fall
    ``(x[a] - x[b]) / ...``; the open segment after the last turn is a slope of the other
    kind, signed as a rise, in the mean but not in the std's sum; without a turn, the one
    value ``(x[-1] - x[0]) / n``, a fall if negative (all measured on openSMILE's own
    contours, docs/egemaps.md, "the slope rule found on openSMILE's own contours (loudness
    and F0)" and "the slope rule from openSMILE's peak debug output")."""
    nan = np.nan
    if x.size < 2:
        return 0, [nan] * 4
    thr = E.PEAK_HYSTERESIS * float(x.max() - x.min())
    turns = _r_turns(x, thr, E.PEAK_MARGIN)
    n_peaks = sum(kind == 1 for _, kind in turns) if loudness else 0
    rises: list[float] = []
    falls: list[float] = []
    a = 0
    for b, kind in turns:
        if b > a:
            if kind == 1:
                rises.append((x[b] - x[a]) / ((b - a) * dt))
            else:
                falls.append((x[a] - x[b]) / ((b - a) * dt))
        a = b
    n = x.shape[0]
    open_rise = open_fall = False
    if not turns:
        s = (x[n - 1] - x[0]) / n
        open_fall, open_rise = s < 0.0, s >= 0.0
        (falls if open_fall else rises).append(s)
    elif a < n - 1:
        s = (x[n - 1] - x[a]) / ((n - 1 - a) * dt)
        open_rise, open_fall = turns[-1][1] == -1, turns[-1][1] == 1
        (rises if open_rise else falls).append(s)
    return n_peaks, _r_slope_stats(rises, open_rise) + _r_slope_stats(falls, open_fall)


def _r_contour(x: np.ndarray, slopes: list[float] | None = None) -> list[float]:
    """Mean, CoV, percentiles 20/50/80, range 20-80 and the four slope statistics of a
    contour. Loudness and F0 (its voiced values, concatenated) share the slope rule of
    ``_r_slopes``. ``slopes``: the slope statistics when the caller has them already."""
    m, cov = _r_mean_cov(x)
    if x.size == 0:
        return [np.nan] * 10
    p20, p50, p80 = np.percentile(x, [20, 50, 80])
    if slopes is None:
        slopes = _r_slopes(x, E.HOP / E.SR)[1]
    return [m, cov, p20, p50, p80, p80 - p20, *slopes]


def _r_runs(v: np.ndarray) -> tuple[list[int], list[int]]:
    """Voiced and unvoiced run lengths (frames); 1-frame unvoiced gaps do not split voiced
    segments (measured)."""
    v = v.copy()
    if v.shape[0] > 2:
        gap = ~v[1:-1] & v[:-2] & v[2:]
        v[1:-1] |= gap
    _, lengths, vals = _np_run_bounds(v)
    return lengths[vals].tolist(), lengths[~vals].tolist()


def _gated_mean_cov(x: list[float], mask: list[bool], n_out: int | None = None,
                    cut: int = 0) -> list[float]:
    """``sma3nz`` of the values of ``x`` where ``mask`` is set (zero elsewhere), then the mean
    and the coefficient of variation (population std / mean) of the non-zero smoothed values
    among the first ``n_out`` rows (all by default; ``cut`` 1: smoothed as if ``x`` ended
    there, its last row repeated after it; 2: every row smoothed as if it were the last):
    ``[mean, cov, count]``, NaN without values.
    Plain Python floats (IEEE doubles, the same operations in the same order as the
    kernel's ``gated_column``)."""
    n = len(x)
    g = [v if m else 0.0 for v, m in zip(x, mask, strict=True)]
    vals = []
    last = n if n_out is None else min(n, n_out)
    for t in range(last):
        if g[t] == 0.0:
            continue
        acc = g[t]
        c = 1
        if t == 0 or g[t - 1] != 0.0:
            acc += g[t - 1] if t > 0 else g[0]
            c += 1
        if cut == 2 or (cut == 1 and t + 1 == last):
            acc += g[t]
            c += 1
        elif t + 1 < n and g[t + 1] != 0.0:
            acc += g[t + 1]
            c += 1
        v = acc / c
        if v != 0.0:
            vals.append(v)
    if not vals:
        return [np.nan, np.nan, 0.0]
    s1 = 0.0
    for v in vals:
        s1 += v
    mean = s1 / len(vals)
    s2 = 0.0
    for v in vals:
        d = v - mean
        s2 += d * d
    return [mean, math.sqrt(s2 / len(vals)) / mean if mean != 0.0 else 0.0, float(len(vals))]


def _reference_functionals(d) -> np.ndarray:
    """The 88 eGeMAPSv02 functionals (``EGEMAPS_FUNCTIONALS`` order) of raw descriptors."""
    n_lld = d.f0.shape[0]
    n_short = d.energy_short.shape[0]
    spectral = E._smooth(d.spectral[:n_short], nz=False)
    voiced = d.voiced
    out: list[float] = []
    st = np.where(voiced, 12.0 * np.log2(np.maximum(d.f0, 1e-9) / 27.5), 0.0)
    f0s = E._smooth(st, nz=True)
    # the rows the voiced-only functionals (and the formant amplitudes') see, as smoothed
    # with the rest (measured, docs/egemaps.md, "the 60 ms functionals end three rows before
    # the LLD table", "the voiced rows of the 20 ms descriptors, and openSMILE's harmonic
    # peaks" and "which rows the voiced functionals see, and the first row")
    n_60 = d.n_seen
    f0s = f0s[:n_60]
    if d.n_seen_vq >= 0:  # the smoother's paths agree late or never: the first row, raw
        f0s = st[:1]
    out += _r_contour(f0s[f0s != 0])
    # loudness peaks and slopes once: the slope functionals and loudnessPeaksPerSec
    n_peaks, loud_slopes = _r_slopes(spectral[:, K.S_LOUDNESS], E.HOP / E.SR, loudness=True)
    out += _r_contour(spectral[:, K.S_LOUDNESS], slopes=loud_slopes)
    for j in (K.S_FLUX, K.S_MFCC1, K.S_MFCC2, K.S_MFCC3, K.S_MFCC4):
        out += _r_mean_cov(spectral[:, j])

    def gated(x: np.ndarray, mask: np.ndarray, n_out: int | None = None,
              cut: int = 0) -> np.ndarray:
        return np.array([_gated_mean_cov(x[:, j].tolist(), mask.tolist(), n_out, cut)
                         for j in range(x.shape[1])]).reshape(-1, 3)

    # voice quality and formants: smoothed as if the rows ended at n_60 (as openSMILE's)
    # (more rows where the pitch smoother's paths agree late or never: Descriptors.n_seen_vq)
    n_vq = n_60 if d.n_seen_vq < 0 else d.n_seen_vq
    for m, c, _ in gated(d.voice[:, [3, 4, 0, 1, 2]], voiced, n_vq, 1):  # jitter .. H1-A3
        out += [m, c]
    # formant frequencies and bandwidths: voiced frames; amplitudes: every row (the same
    # rows seen, measured), AMP_UNVOICED where unvoiced and exact 0 dB (the formant's
    # highest harmonic is F0's own) left out as sma3nz zeros
    form = gated(d.formants, voiced, n_vq, 1)
    amp = gated(d.formants[:, 2::3], np.ones(n_lld, dtype=np.bool_), n_vq, 1)
    form[2::3] = amp
    for m, c, _ in form:
        out += [m, c]
    sp_rows = d.spectral[:n_lld] if d.spectral.shape[0] >= n_lld else d.spectral
    v_rows = voiced[: sp_rows.shape[0]]
    cols_v = [K.S_ALPHA, K.S_HAMMARBERG, K.S_SLOPE_LO, K.S_SLOPE_HI, K.S_FLUX, K.S_MFCC1,
              K.S_MFCC2, K.S_MFCC3, K.S_MFCC4]
    # where the paths agree late or never, the n_vq rows each smoothed as the last (measured)
    late = d.n_seen_vq >= 0
    for m, c, _ in gated(sp_rows[:, cols_v], v_rows, n_vq if late else n_60, 2 if late else 0):
        out += [m, c]
    n_uv = max(0, n_lld - 1)  # the full 60 ms frames, smoothed with the rest
    cols_uv = [K.S_ALPHA, K.S_HAMMARBERG, K.S_SLOPE_LO, K.S_SLOPE_HI, K.S_FLUX]
    # their statistics over the rows before n_60, as the voiced ones (measured)
    out += [m for m, _, _ in gated(sp_rows[:n_uv, cols_uv], ~v_rows[:n_uv], n_60)]
    out.append(n_peaks / (n_short * E.HOP / E.SR) if n_short else np.nan)
    # runs of fewer than 3 frames are no segment (measured)
    vr, ur = ([r for r in runs if r >= 3] for runs in _r_runs(voiced[:n_60]))
    span = max(n_60 if n_lld and voiced[-1] else n_lld - 2, 1) * E.HOP / E.SR
    out.append(len(vr) / span)
    vlen = (np.asarray(vr, dtype=np.float64) - 1.0) * E.HOP / E.SR
    ulen = (np.asarray(ur, dtype=np.float64) - 1.0) * E.HOP / E.SR
    out += [float(np.mean(vlen)), float(np.std(vlen))] if vr else [np.nan, np.nan]
    out += [float(np.mean(ulen)), float(np.std(ulen))] if ur else [np.nan, np.nan]
    # openSMILE floors the level at -120 dB (digital silence, measured)
    energy = float(np.mean(d.energy_short)) if n_short else np.nan
    out.append(10.0 * np.log10(max(energy, 1e-12)) if n_short else np.nan)
    return np.asarray(out, dtype=np.float64)


# ``K.dilate`` against the NumPy logic it replaced, bit for bit.


def _np_dilate(v: np.ndarray, k: int) -> np.ndarray:
    n = v.shape[0]
    c = np.concatenate(([0], np.cumsum(v, dtype=np.int64)))
    t = np.arange(n)
    return c[np.minimum(t + k + 1, n)] - c[np.maximum(t - k, 0)] > 0


def _runs(rng, n, mean_len):
    """A random boolean array of runs of about ``mean_len`` frames."""
    out = np.zeros(n, dtype=bool)
    t, on = 0, bool(rng.integers(2))
    while t < n:
        m = int(rng.integers(1, 2 * mean_len + 1))
        out[t : t + m] = on
        t, on = t + m, not on
    return out


def _np_run_bounds(v: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Starts, lengths and values of the runs of equal values in a boolean array."""
    if v.shape[0] == 0:
        return np.zeros(0, np.int64), np.zeros(0, np.int64), np.zeros(0, bool)
    change = np.flatnonzero(v[1:] != v[:-1]) + 1
    starts = np.r_[0, change]
    lengths = np.diff(np.r_[starts, v.shape[0]])
    return starts, lengths, v[starts]


def test_dilate_kernel_equals_the_numpy_rule():
    """``K.dilate`` (the rows whose pitch is analysed: within ``k`` frames of a frame above
    the level gate) gives the NumPy rule's frames exactly: random gates of runs of every
    length, runs at both ends, no frame above the gate, every frame, one frame, no frame."""
    rng = np.random.default_rng(10)
    gates = []
    for n in [0, 1, 2, 3, 5, 9, 40, 300]:
        for _ in range(60 if n else 1):
            gates.append(_runs(rng, n, int(rng.integers(2, 12))) | (rng.random() < 0.3))
    gates += [np.zeros(50, bool), np.ones(50, bool), np.ones(1, bool),
              np.array([1, 1, 0, 0, 0, 1, 1, 1], bool)]
    for gate in gates:
        n = gate.shape[0]
        for k in (0, 1, E.GATE_CONTEXT):
            on = np.empty(n, dtype=np.bool_)
            K.dilate(gate, k, on)
            np.testing.assert_array_equal(on, _np_dilate(gate, k))


def test_lpc_formants_skipping_rows_in_place_equals_packed_rows(signals):
    """``lpc_formants`` with ``skip_keeps_warm`` on every row and a selection (what
    ``_pass2`` runs on the kept spectra) gives, exactly (tolerance 0), the
    selected rows' formants of the selected rows packed together (as before), and NaN on
    the rest; every row selected and no row selected too."""
    plan = E._plan()
    rng = np.random.default_rng(3)
    y = signals[0]
    n = (y.shape[0] - E.N_SHORT) // E.HOP + 1
    spec = np.fft.rfft(E._frames(y, E.N_SHORT, n, plan.ham, E.N_FFT_SHORT), axis=1)
    acf = np.zeros((n, E.FORMANT_ORDER + 1))
    E._formant_acf(spec, np.ones(n, dtype=np.bool_), acf)
    for sel in [_runs(rng, n, 6), _runs(rng, n, 2), np.ones(n, bool), np.zeros(n, bool)]:
        fq = np.empty((n, 3))
        bw = np.empty((n, 3))
        K.lpc_formants(acf, sel, E.FORMANT_ORDER, E.FORMANT_FS, 50.0, 5450.0, 3, fq, bw, True)
        m = int(sel.sum())
        pf = np.empty((m, 3))
        pb = np.empty((m, 3))
        K.lpc_formants(np.ascontiguousarray(acf[sel]), np.ones(m, dtype=np.bool_),
                       E.FORMANT_ORDER, E.FORMANT_FS, 50.0, 5450.0, 3, pf, pb, True)
        np.testing.assert_array_equal(fq[sel], pf)
        np.testing.assert_array_equal(bw[sel], pb)
        assert np.isnan(fq[~sel]).all() and np.isnan(bw[~sel]).all()


def test_turns_of_random_walks_equal_the_reference():
    """A first minimum replaced by a lower one was marked weak, so a maximum after it dropped
    the only turn and read ``idx[-1]`` (the kernel: garbage or a segfault; the reference: an
    IndexError) on random walks such as seeds 1, 7 and 10."""
    from emofeat.extractors import _egemaps_functionals_kernels as KF

    for seed in range(120):
        x = np.cumsum(np.random.default_rng(seed).standard_normal(274))
        if seed >= 60:  # floored: the plateaus that the rule's version 3 and 4 cases need
            x = np.maximum(x, np.quantile(x, 0.4))
        thr = KF._threshold(x, x.size, E.PEAK_HYSTERESIS)
        idx, kind = np.zeros(x.size, np.int64), np.zeros(x.size, np.int64)
        m = KF._turns(x, x.size, thr, E.PEAK_MARGIN, idx, kind)
        got = list(zip(idx[:m].tolist(), kind[:m].tolist(), strict=True))
        assert got == _r_turns(x, thr, E.PEAK_MARGIN), seed


@pytest.mark.parametrize("bufsize", [4096, 16384])
def test_pairwise_sum_is_numpys_at_another_buffer_size(bufsize):
    """Regression: the probe of how NumPy sums drew one array, on which the two ways happened
    to agree at a buffer of 16384 values; at NumPy 2.4 it then answered 'blocks' and the
    kernel's sums differed from numpy.sum on 16 of 20 arrays of 100,003 values. A probe on
    which the two agree decides nothing now."""
    from emofeat.extractors import _egemaps_functionals_kernels as KF

    old = np.getbufsize()
    try:
        np.setbufsize(bufsize)
        KF._SUM_BLOCK.pop(bufsize, None)
        block = KF.numpy_sum_block()
        rng = np.random.default_rng(7)
        for _ in range(20):
            x = rng.standard_normal(100003) * 10 ** rng.uniform(-3, 3, 100003)
            assert KF._psum(x, 0, x.size, block) == np.sum(x)
    finally:
        np.setbufsize(old)
        KF._SUM_BLOCK.pop(bufsize, None)
