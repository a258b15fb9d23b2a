"""The ``paa`` set against pyAudioAnalysis 0.3.14 on real RAVDESS speech.

Tolerance: ``|ours - ref| <= 1e-6 |ref| + 1e-10 max(max|ref column|, 1e-3)``. The relative
term is the rtol 1e-6 the set promises; the tiny absolute term (1e-10 of the column's largest
magnitude, at least 1e-13) only covers values that are exact zeros or cancellations in the
reference (a delta of two equal frames, an MFCC of a silent frame near 1e-8), where
rounding-order noise of 1e-15 is all there is.
"""

from __future__ import annotations

import warnings

import numpy as np
import pytest
from emofeat.extractors.paa import PyAudioAnalysis

from emofeat.audio import load_audio
from emofeat.errors import TooShortError

warnings.filterwarnings("ignore", message="Couldn't find ffmpeg")
ST = pytest.importorskip("pyAudioAnalysis.ShortTermFeatures")
MT = pytest.importorskip("pyAudioAnalysis.MidTermFeatures")

SR = 16000


def _close(ours: np.ndarray, ref: np.ndarray) -> None:
    assert ours.shape == ref.shape
    scale = np.maximum(np.abs(ref).max(axis=0, keepdims=True), 1e-3)
    err = np.abs(ours - ref)
    bound = 1e-6 * np.abs(ref) + 1e-10 * scale
    worst = np.unravel_index(np.argmax(err - bound), err.shape)
    assert np.all(err <= bound), (worst, ours[worst], ref[worst])


@pytest.fixture(scope="module")
def signals(ravdess_files):
    return [load_audio(f, SR).y for f in ravdess_files[:4]]


@pytest.mark.parametrize("window,step", [(0.050, 0.025), (0.025, 0.010)])
def test_short_term_matches_pyaudioanalysis(signals, window, step):
    ext = PyAudioAnalysis(window=window, step=step, level="lld")
    win, hop = round(window * SR), round(step * SR)
    for y in signals:
        ref, ref_names = ST.feature_extraction(y.astype(np.float64) * 32768, SR, win, hop)
        lld, times = ext.compute_lld((y, SR))
        _close(lld, ref.T)
        assert list(ext.descriptor_names()) == [
            "paa_" + n.replace("delta ", "delta_") for n in ref_names
        ]
        assert times.shape == (lld.shape[0],)


@pytest.mark.parametrize("sr,window,step", [(8000, 0.032, 0.016), (44100, 0.03, 0.01)])
def test_short_term_matches_pyaudioanalysis_at_other_rates(ravdess_files, sr, window, step):
    """Other rates and windows whose half is not a multiple of the 10 entropy blocks (128 and
    661 bins: the remainder is left out of the blocks but not of the total): the filterbank
    positions, the chroma map and the entropies follow the rate and the window, as
    pyAudioAnalysis's do. Tolerance: the module's, widened where the reference itself is
    rounding noise: an MFCC is a DCT of 40 log energies, so near silence (log energies near
    log10(eps), resampled edges at 44.1 kHz) a small coefficient is a cancellation of terms
    the size of mfcc_1: 1e-9 |mfcc_1| more (observed: 1.5e-11 |mfcc_1| beyond 1e-6
    relative); the spread of a frame of digital silence (a constant after the DC removal, all
    its energy in bin 0) is FFT noise in both tools (observed 3.2e-9 apart, 6e-9 vs 2.7e-9):
    1e-7 more there. A delta is a difference of two frames: the sum of their bounds."""
    ext = PyAudioAnalysis(sr=sr, window=window, step=step, level="lld")
    win, hop = round(window * sr), round(step * sr)
    for f in ravdess_files[:2]:
        y = load_audio(f, sr).y
        ref = ST.feature_extraction(y.astype(np.float64) * 32768, sr, win, hop)[0].T
        lld, _ = ext.compute_lld((y, sr))
        assert lld.shape == ref.shape
        short = ref[:, :34]
        bound = 1e-6 * np.abs(short) + 1e-10 * np.maximum(np.abs(short).max(axis=0), 1e-3)
        bound[:, 8:21] += 1e-9 * np.abs(short[:, 8:9])
        frames = np.lib.stride_tricks.sliding_window_view(y, win)[::hop][: ref.shape[0]]
        bound[frames.min(axis=1) == frames.max(axis=1), 4] += 1e-7
        err = np.abs(lld - ref)
        assert np.all(err[:, :34] <= bound), np.unravel_index(np.argmax(err[:, :34] - bound),
                                                             bound.shape)
        delta_bound = bound[1:] + bound[:-1]
        assert np.all(err[1:, 34:] <= delta_bound), np.unravel_index(
            np.argmax(err[1:, 34:] - delta_bound), delta_bound.shape)
        assert np.all(lld[0, 34:] == 0) and np.all(ref[0, 34:] == 0)


def test_mid_term_matches_pyaudioanalysis(signals):
    ext = PyAudioAnalysis(mid_window=1.0, mid_step=0.5, level="lld")
    for y in signals[:2]:
        mid, _, names = MT.mid_feature_extraction(
            y.astype(np.float64) * 32768, SR, 1.0 * SR, 0.5 * SR, 0.050 * SR, 0.025 * SR
        )
        lld, _ = ext.compute_lld((y, SR))
        _close(lld, mid.T)
        assert ext.descriptor_names() == [
            "paa_" + n.replace("delta ", "delta_") for n in names
        ]


def test_functionals_are_whole_file_mid_term(signals):
    """mean/std functionals = pyAudioAnalysis mid-term stats with one window over the file."""
    y = signals[0]
    ext = PyAudioAnalysis()
    row = ext.fit_transform([(y, SR)])[0]
    mid, _, names = MT.mid_feature_extraction(
        y.astype(np.float64) * 32768, SR, len(y) + 1000, len(y) + 1000, 800, 400
    )
    ref = dict(zip(names, mid[:, 0], strict=True))
    ours = dict(zip(ext.get_feature_names_out(), row, strict=True))
    for name, value in ref.items():
        key = "paa_" + name.replace("delta ", "delta_")
        assert ours[key] == pytest.approx(value, rel=1e-6, abs=1e-12), key


@pytest.mark.parametrize(
    "kind", ["silence", "dc", "clipped", "one_frame"]
)
def test_bad_input_defined(kind):
    rng = np.random.default_rng(1)
    y = {
        "silence": np.zeros(SR // 2, dtype=np.float32),
        "dc": np.full(SR // 2, 0.3, dtype=np.float32) + 0.01 * rng.standard_normal(SR // 2)
        .astype(np.float32),
        "clipped": np.clip(3 * rng.standard_normal(SR // 2), -1, 1).astype(np.float32),
        "one_frame": (0.1 * rng.standard_normal(800)).astype(np.float32),
    }[kind]
    lld, _ = PyAudioAnalysis(level="lld").compute_lld((y, SR))
    assert np.all(np.isfinite(lld))
    if kind == "silence":
        assert np.all(lld[:, :8] == 0) and np.all(lld[:, 21:34] == 0)
    if kind == "one_frame":
        assert lld.shape[0] == 1 and np.all(lld[:, 34:] == 0)
    # pyAudioAnalysis gives the same numbers
    ref, _ = ST.feature_extraction(y.astype(np.float64) * 32768, SR, 800, 400)
    _close(lld, ref.T)


def test_too_short_and_nan():
    with pytest.raises(TooShortError):
        PyAudioAnalysis(level="lld").compute_lld((np.zeros(100, dtype=np.float32), SR))
    y = np.full(SR, np.nan, dtype=np.float32)
    with pytest.raises(ValueError):
        PyAudioAnalysis().fit_transform([(y, SR)])


@pytest.mark.parametrize("bad, named", [
    (dict(window=100000), "window=100000 s is 1600000000 samples .* at most 1048576"),
    (dict(window=float("nan")), "window must be a finite number > 0"),
    (dict(step=float("nan")), "step must be a finite number > 0"),
    (dict(input_scale=float("nan")), "input_scale must be a finite number > 0"),
    (dict(mid_window=float("nan")), "mid_window must be a finite number > 0"),
    (dict(mid_window=1.0, mid_step=float("inf")), "mid_step"),
    # a mid_step without mid_window was ignored: the rows stayed the short-term frames
    (dict(mid_step=0.5), "mid_step=0.5 needs mid_window"),
    (dict(functionals=None), "functionals must be a sequence"),
])
def test_parameters_are_checked_before_any_filterbank(bad, named):
    """A short-term window of 100000 s used to allocate its dense filterbank at fit
    (MemoryError, 6 GiB); NaN durations failed in int() and input_scale=nan gave NaN
    columns silently: all are ``ValueError`` s at fit naming the parameter."""
    with pytest.raises(ValueError, match=named):
        PyAudioAnalysis(**bad).fit()


def test_frames_touching_nan_samples_are_nan_in_every_descriptor(signals):
    """Admitted non-finite samples (``allow_nonfinite``): a frame touching one is NaN in all
    34 descriptors, as documented; its zcr (``sign(NaN)`` counted as 0) and roll-off (no bin
    above a NaN threshold) were numbers. Every other value equals pyAudioAnalysis on the same
    signal with the non-finite samples replaced by the finite samples' mean (which leaves the
    mean and the peak, hence the normalisation, unchanged), to the module's tolerance; only
    what depends on a NaN frame follows it into NaN: the next frame's flux and deltas, and
    the delta of that flux one frame later.

    That mean must be the same to the bit, or the first frames, near digital silence, follow
    the difference: with the finite mean of the signal as loaded, pyAudioAnalysis's
    ``numpy.mean`` of the filled signal was one unit in the last place off it under NumPy 2.0
    (its sums of 8192-value blocks; newer NumPy happened to agree), and frame 0's spectral
    spread moved 2.4e-9, 69 times the tolerance. So the signal is taken in 16-bit steps
    (multiples of 2**-15, whose float64 sums are exact in any order) with its finite sum made
    0 in steps of one (3,754 samples, from a quarter of the way in), then offset by 2**-7:
    the mean is exactly 2**-7 in both, and 2**-7 fills the non-finite samples."""
    from emofeat.audio import prepare_signal

    y = np.round(signals[1].astype(np.float64) * 32768) / 32768
    y[len(y) // 2:len(y) // 2 + 7] = np.nan
    y[len(y) // 3] = np.inf
    finite = np.isfinite(y)
    excess = int(round(float(y[finite].sum()) * 32768))
    steps = np.flatnonzero(finite)
    steps = steps[steps >= len(y) // 4][:abs(excess)]
    y[steps] -= np.sign(excess) / 32768
    assert y[finite].sum() == 0.0
    # then a DC of 2**-7, still exact: a set that counted the non-finite samples as 0 in its
    # mean would differ (with a mean of exactly 0 it could not)
    y[finite] += 2.0 ** -7
    assert y[finite].mean() == 2.0 ** -7
    audio = prepare_signal(y, SR, SR, source="<nan>", allow_nonfinite=True)
    lld, _ = PyAudioAnalysis(level="lld").features_of(audio)
    filled = np.where(finite, y, 2.0 ** -7)
    ref = ST.feature_extraction(filled * 32768, SR, 800, 400)[0].T
    assert lld.shape == ref.shape
    starts = np.arange(lld.shape[0]) * 400
    nbad = np.concatenate(([0], np.cumsum(~finite)))
    touches = np.flatnonzero(nbad[starts + 800] > nbad[starts])
    assert touches.size == 4  # two frames at each place
    expect_nan = np.zeros(lld.shape, dtype=bool)
    expect_nan[touches] = True
    for t in touches:
        if t + 1 < lld.shape[0] and t + 1 not in touches:
            expect_nan[t + 1, 6] = True  # flux against a NaN spectrum
            expect_nan[t + 1, 34:] = True  # differences with a NaN frame
            if t + 2 < lld.shape[0]:
                expect_nan[t + 2, 34 + 6] = True
    np.testing.assert_array_equal(np.isnan(lld), expect_nan)
    ours, theirs = lld.copy(), ref.copy()
    ours[expect_nan] = theirs[expect_nan] = 0.0
    _close(ours, theirs)


def test_mid_term_windows_leave_out_nan_frames(signals):
    """Mid-term windows over frames touching admitted NaN samples: the statistics of each
    descriptor are over the window's finite frames. pyAudioAnalysis's ``nan_to_num`` (which
    finite input never reaches) made every statistic of such a window 0, a fake silence that
    the functionals then averaged in. Reference: pyAudioAnalysis's short-term frames of the
    same signal with the non-finite samples replaced by the finite mean (the normalisation
    unchanged), summarised over the frames the set kept finite; windows without a NaN frame
    equal ``mid_feature_extraction`` itself. Tolerance as the module's."""
    from emofeat.audio import prepare_signal

    y = signals[2].copy()
    y[len(y) // 2:len(y) // 2 + 5] = np.nan
    audio = prepare_signal(y, SR, SR, source="<nan>", allow_nonfinite=True)
    ext = PyAudioAnalysis(mid_window=1.0, mid_step=0.5, level="lld")
    mid, _ = ext.features_of(audio)
    short, _ = PyAudioAnalysis(level="lld").features_of(audio)
    filled = y.astype(np.float64)
    filled[~np.isfinite(filled)] = np.nanmean(filled)
    ref_mid, ref_short, _ = MT.mid_feature_extraction(filled * 32768, SR, SR, SR // 2, 800, 400)
    ref_mid, ref_short = ref_mid.T, ref_short.T
    assert mid.shape == ref_mid.shape and short.shape == ref_short.shape
    win_ratio, step_ratio = ext._mid_ratios()
    touched = 0
    for w in range(mid.shape[0]):
        rows = slice(w * step_ratio, w * step_ratio + win_ratio)
        ok = np.isfinite(short[rows])
        if ok.all():
            _close(mid[w:w + 1], ref_mid[w:w + 1])
            continue
        touched += 1
        vals = np.where(ok, ref_short[rows], np.nan)
        expect = np.concatenate([np.nanmean(vals, axis=0), np.nanstd(vals, axis=0)])[None]
        _close(mid[w:w + 1], expect)
    assert touched == 2  # the NaN frames lie in two overlapping windows
    row = PyAudioAnalysis(mid_window=1.0, mid_step=0.5).fit_transform([audio])[0]
    np.testing.assert_allclose(row[0], mid[:, 0].mean(), rtol=1e-12)  # zcr_mean's mean
