"""MFCC against librosa.feature.mfcc on real speech, the HTK preset, and bad input.

Tolerance: 1e-3 absolute on every coefficient of every frame (the issue's bound). The
difference comes from single-precision framing/FFT on our side (librosa runs the FFT of a
float32 signal through a float64 window product); seen here: ~1.5e-4.
"""

from __future__ import annotations

import warnings

import numpy as np
import pytest
import soundfile as sf
from emofeat.extractors import MFCC

from emofeat.audio import load_audio
from emofeat.errors import EmptyInputError, NonFiniteInputError, SampleRateError, TooShortError

librosa = pytest.importorskip("librosa")

ATOL = 1e-3
SPEECH = dict(n_mfcc=13, n_fft=400, hop_length=160, n_mels=40)


def librosa_mfcc(y, sr=16000, deltas=2, n_mfcc=20, lifter=0, mel_norm="slaney", top_db=80.0,
                 **mel_kw):
    # librosa.feature.mfcc does not pass top_db on to power_to_db, so build its two steps here
    S = librosa.power_to_db(
        librosa.feature.melspectrogram(y=y, sr=sr, norm=mel_norm, **mel_kw), top_db=top_db
    )
    m = librosa.feature.mfcc(S=S, n_mfcc=n_mfcc, lifter=lifter)
    if top_db == 80.0 and mel_norm == "slaney":  # the one-call form must agree with the two steps
        np.testing.assert_array_equal(
            m, librosa.feature.mfcc(y=y, sr=sr, n_mfcc=n_mfcc, lifter=lifter, **mel_kw)
        )
    parts = [m]
    if deltas >= 1:
        parts.append(librosa.feature.delta(m))
    if deltas >= 2:
        parts.append(librosa.feature.delta(m, order=2))
    return np.concatenate(parts, axis=0).T


def ours(y, **kw):
    lld, _ = MFCC(level="lld", **kw).compute_lld(y)
    return lld


def test_matches_librosa_on_every_sample_file(sample):
    worst = 0.0
    ext = MFCC(level="lld")
    for path in sample.path:
        y, sr = sf.read(path, dtype="float32")
        ref = librosa_mfcc(y, sr, **SPEECH)
        got, _ = ext.compute_lld(path)
        assert got.shape == ref.shape, path
        worst = max(worst, float(np.abs(got - ref).max()))
    assert worst < ATOL, worst


def test_matches_librosa_on_shared_ravdess(ravdess_files):
    ext = MFCC(level="lld")
    for path in ravdess_files:
        y, sr = sf.read(path, dtype="float32")
        np.testing.assert_allclose(ext.compute_lld(path)[0], librosa_mfcc(y, sr, **SPEECH),
                                   rtol=0, atol=ATOL, err_msg=str(path))


CONFIGS = [
    dict(),  # librosa's own defaults at 16 kHz: n_fft 2048, hop 512, 128 mels, 20 coefficients
    dict(n_mfcc=20, n_fft=512, hop_length=128, n_mels=64, fmin=50.0, fmax=7000.0),
    dict(n_mfcc=13, n_fft=400, hop_length=160, n_mels=40, center=False),
    dict(n_mfcc=13, n_fft=512, win_length=400, hop_length=160, n_mels=40, window="hamming",
         pad_mode="reflect"),
    dict(n_mfcc=13, n_fft=400, hop_length=160, n_mels=40, htk=True, mel_norm=None, lifter=22),
    dict(n_mfcc=13, n_fft=400, hop_length=160, n_mels=40, power=1.0, top_db=None),
]


@pytest.mark.parametrize("params", CONFIGS, ids=lambda p: ",".join(f"{k}={v}" for k, v in p.items()) or "librosa-defaults")
def test_parameter_variants_match_librosa(params, ravdess_files):
    full = {"n_mfcc": 20, "n_fft": 2048, "hop_length": 512, "n_mels": 128, **params}
    for path in ravdess_files[:3]:
        y, sr = sf.read(path, dtype="float32")
        ref = librosa_mfcc(y, sr, **full)
        np.testing.assert_allclose(ours(y, **full), ref, rtol=0, atol=ATOL, err_msg=str(path))


@pytest.mark.parametrize("fmax, empty", [(9000.0, 0), (12000.0, 3)])
def test_the_fmax_warning_counts_empty_filters_only_where_there_are_some(fmax, empty):
    """Regression: fmax above sr / 2 warned '(0 of 40 hold no FFT bin)' where every filter
    holds one. The count is said where some filter is empty (librosa's filterbank: 3 of 40
    at fmax 12000, 16 kHz)."""
    bank = librosa.filters.mel(sr=16000, n_fft=SPEECH["n_fft"], n_mels=40, fmax=fmax)
    assert int((bank.max(axis=1) == 0).sum()) == empty
    with warnings.catch_warnings(record=True) as rec:
        warnings.simplefilter("always")
        MFCC(**dict(SPEECH, sr=16000, fmax=fmax, n_mels=40)).fit([])
    said = [str(w.message) for w in rec if "is above sr / 2" in str(w.message)]
    assert len(said) == 1
    assert ("hold no FFT bin" in said[0]) == bool(empty)
    if empty:
        assert f"cut at sr / 2 ({empty} of 40 hold no FFT bin); give fmax" in said[0]


@pytest.mark.parametrize("sr, fmax", [(16000, 9000.0), (16000, 12000.0), (8000, 8000.0)])
def test_fmax_above_nyquist_gives_librosas_filters_with_a_warning(sr, fmax, ravdess_files,
                                                                  emodb_dir):
    """``fmax`` above ``sr / 2`` was refused; librosa lays the filters out up to ``fmax`` and
    cuts them at ``sr / 2`` (warning only where a filter is left empty), a defined result a
    ported script relies on. Now the same filters, with a warning naming ``fmax`` and ``sr``,
    on 2 RAVDESS and 2 EmoDB files, tolerance ATOL; at ``sr=8000`` (a 16 kHz script's
    ``fmax=8000`` kept) against librosa on the file resampled with soxr HQ, as the set
    resamples it. Inputs of any rate are analysed at ``sr``, so the check is the set's own."""
    files = list(ravdess_files[:2]) + sorted(emodb_dir.glob("*.flac"))[:2]
    assert len(files) == 4
    params = dict(SPEECH, sr=sr, fmax=fmax)
    ext = MFCC(level="lld", **params)
    with pytest.warns(UserWarning, match=f"fmax={fmax:g} Hz is above sr / 2 = {sr / 2:g} Hz"):
        ext.fit([])
    for path in files:
        y, file_sr = sf.read(path, dtype="float32")
        if sr != file_sr:
            y = librosa.resample(y, orig_sr=file_sr, target_sr=sr, res_type="soxr_hq")
        with warnings.catch_warnings():  # librosa's "Empty filters detected", ours on fmax
            warnings.simplefilter("ignore", UserWarning)
            ref = librosa_mfcc(y, sr, **{k: v for k, v in params.items() if k != "sr"})
            got = ext.compute_lld(path)[0]
        np.testing.assert_allclose(got, ref, rtol=0, atol=ATOL, err_msg=str(path))


def test_float64_precision_is_closer(ravdess_files):
    """Against librosa run in float64: precision="float64" is at least 10x closer than the
    default float32 (observed ~1e-6 against ~6e-5 on three files)."""
    for f in ravdess_files[:3]:
        y, sr = sf.read(f, dtype="float32")
        ref = librosa_mfcc(y.astype(np.float64), sr, deltas=0, **SPEECH)
        err64 = np.abs(ours(y, deltas=0, precision="float64", **SPEECH) - ref).max()
        err32 = np.abs(ours(y, deltas=0, precision="float32", **SPEECH) - ref).max()
        assert err64 < 1e-5 and 10 * err64 < err32, (f.name, err64, err32)


def htk_reference(y, sr=16000, win=400, hop=160, n_fft=512, lofreq=None, hifreq=None,
                  norm=None):
    """HTK's MFCC_0 written straight from the HTK book (section 5.6), for this test only.
    ``n_fft`` is HTK's FFT size for the frame (the smallest power of two >= ``win``).
    ``lofreq``/``hifreq`` are HCopy's ``LOFREQ``/``HIFREQ``: the filters span that band and
    only the FFT bins of HSigP's passband enter them, bins counted from 1 at DC, from
    ``int(lofreq / df + 2.5)`` (2 without ``LOFREQ``: no DC) to ``int(hifreq / df + 0.5)``
    (the last bin below Nyquist without ``HIFREQ``, and at most that: ``n_fft / 2`` for
    HTK's power-of-two sizes, ``(n_fft + 1) / 2`` for an odd size, which has no Nyquist
    bin), ``df = sr / n_fft``. ``norm`` (not HTK's: emofeat's ``mel_norm``) divides each
    filter by its ``norm``-norm over the bins left in it (``np.linalg.norm``'s ``ord``)."""
    x = y.astype(np.float64) * 32768.0
    n_chans, n_ceps, L = 26, 13, 22
    n_frames = 1 + (len(x) - win) // hop
    ham = 0.54 - 0.46 * np.cos(2 * np.pi * np.arange(win) / (win - 1))
    mel = lambda f: 1127.0 * np.log(1 + f / 700.0)  # noqa: E731 - HTK's formula
    lo_hz = 0.0 if lofreq is None else lofreq
    hi_hz = sr / 2 if hifreq is None else hifreq
    centres = np.linspace(mel(lo_hz), mel(hi_hz), n_chans + 2)
    bin_mel = mel(np.arange(n_fft // 2 + 1) * sr / n_fft)
    fb = np.zeros((n_chans, n_fft // 2 + 1))
    for c in range(n_chans):
        lo, mid, hi = centres[c : c + 3]
        up = (bin_mel - lo) / (mid - lo)
        down = (hi - bin_mel) / (hi - mid)
        fb[c] = np.clip(np.minimum(up, down), 0, None)
    df = sr / n_fft
    klo = 2 if lofreq is None else max(2, int(lofreq / df + 2.5))  # 1-based, as HSigP
    last = (n_fft + 1) // 2  # the last bin below Nyquist, 1-based
    khi = last if hifreq is None else min(last, int(hifreq / df + 0.5))
    keep = np.zeros(n_fft // 2 + 1, dtype=bool)
    keep[klo - 1 : khi] = True  # 1-based klo..khi inclusive
    fb[:, ~keep] = 0
    if norm is not None:
        fb /= np.linalg.norm(fb, ord=norm, axis=1)[:, None]
    out = np.empty((n_frames, n_ceps))
    for t in range(n_frames):
        s = x[t * hop : t * hop + win].copy()
        s[1:] = s[1:] - 0.97 * s[:-1]
        s[0] *= 1 - 0.97
        mag = np.abs(np.fft.rfft(s * ham, n_fft))
        logfb = np.log(np.maximum(fb @ mag, 1.0))
        j = np.arange(n_chans)
        for i in range(n_ceps):
            c = np.sqrt(2.0 / n_chans) * np.sum(logfb * np.cos(np.pi * i / n_chans * (j + 0.5)))
            out[t, i] = c * (1 + L / 2 * np.sin(np.pi * i / L))
    return out


def test_htk_preset_follows_htk_book(ravdess_files):
    y, sr = sf.read(ravdess_files[1], dtype="float32")
    got, times = MFCC.htk(level="lld", deltas=0).compute_lld(y)
    ref = htk_reference(y, sr)
    assert got.shape == ref.shape
    np.testing.assert_allclose(got, ref, rtol=1e-4, atol=1e-3)
    assert times[0] == pytest.approx(200 / sr)  # centre of the first 25 ms frame


def test_htk_preset_sizes_frames_and_fft_as_htk_at_8khz(ravdess_files):
    """At 8 kHz HTK frames 200 samples every 80 and takes a 256-point FFT (the smallest power
    of two holding the frame; HSigP's InitFBank): the preset used 512 at every rate up to
    16 kHz, which moves the FFT bins under the filters (coefficients off by up to 5.5 against
    the reference). Same tolerance as at 16 kHz: rtol 1e-4, atol 1e-3."""
    y = load_audio(ravdess_files[1], 8000).y
    ext = MFCC.htk(sr=8000, level="lld", deltas=0)
    assert (ext.win_length, ext.hop_length, ext.n_fft) == (200, 80, 256)
    got, _ = ext.compute_lld((y, 8000))
    ref = htk_reference(y, 8000, win=200, hop=80, n_fft=256)
    assert got.shape == ref.shape
    np.testing.assert_allclose(got, ref, rtol=1e-4, atol=1e-3)
    # HTK truncates the 25 ms frame to whole samples (11025 Hz: 275.6 -> 275), and the FFT
    # follows an overridden frame length
    assert MFCC.htk(sr=11025).win_length == 275
    assert MFCC.htk(win_length=600).n_fft == 1024


def preemphasis_reference(y, k, n_fft=400, hop=160, n_mels=40, n_mfcc=13):
    """librosa's MFCC of per-frame pre-emphasised frames (HTK's rule, ``x[0] (1 - k)``):
    centred zero-padded frames from ``librosa.util.frame``, the rest from librosa."""
    x = np.pad(y.astype(np.float64), n_fft // 2)
    frames = librosa.util.frame(x, frame_length=n_fft, hop_length=hop, axis=0).copy()
    frames[:, 1:] -= k * frames[:, :-1].copy()
    frames[:, 0] *= 1 - k
    power = np.abs(np.fft.rfft(frames * librosa.filters.get_window("hann", n_fft), axis=1)) ** 2
    mel = librosa.filters.mel(sr=16000, n_fft=n_fft, n_mels=n_mels) @ power.T
    return librosa.feature.mfcc(S=librosa.power_to_db(mel), n_mfcc=n_mfcc).T


@pytest.mark.parametrize("k", [0.97, -0.5])
def test_preemphasis_matches_per_frame_reference(k, ravdess_files):
    """Pre-emphasis applies to every frame, whatever the coefficient's sign: a negative one
    was applied only to the zero-padded edge frames (the interior frames equalled those
    without pre-emphasis; max abs. difference 22). Tolerance as against librosa: 1e-3."""
    y, _ = sf.read(ravdess_files[2], dtype="float32")
    np.testing.assert_allclose(ours(y, deltas=0, preemphasis=k, **SPEECH),
                               preemphasis_reference(y, k), rtol=0, atol=ATOL)


@pytest.mark.parametrize("params", [dict(top_db=30.0), dict(ref=1e-3, amin=1e-6, top_db=None),
                                    dict(power=1.5, window="blackman"),
                                    dict(n_fft=401, hop_length=97, center=False),
                                    dict(n_fft=511, win_length=300, pad_mode="reflect")],
                         ids=lambda p: ",".join(f"{k}={v}" for k, v in p.items()))
def test_db_and_framing_variants_match_librosa(params, ravdess_files):
    """dB reference/floor/top_db, other exponents and windows, odd n_fft, hop and win_length
    against librosa (melspectrogram + power_to_db + mfcc), max abs. 1e-3 (seen <= 1.6e-4)."""
    full = {**SPEECH, **params}
    db = {k: full.pop(k) for k in ("ref", "amin") if k in full}
    y, sr = sf.read(ravdess_files[3], dtype="float32")
    mel = librosa.feature.melspectrogram(y=y, sr=sr, **{k: v for k, v in full.items()
                                                        if k not in ("n_mfcc", "top_db")})
    S = librosa.power_to_db(mel, top_db=full.get("top_db", 80.0), **db)
    ref = librosa.feature.mfcc(S=S, n_mfcc=13).T
    np.testing.assert_allclose(ours(y, deltas=0, **full, **db), ref, rtol=0, atol=ATOL)


@pytest.mark.parametrize("width", [3, 5, 11])
def test_delta_widths_match_librosa(width, ravdess_files):
    """``delta_width`` reaches librosa.feature.delta's ``width`` for both orders, 1e-3."""
    y, sr = sf.read(ravdess_files[4], dtype="float32")
    m = librosa.feature.mfcc(y=y, sr=sr, n_mfcc=13, n_fft=400, hop_length=160, n_mels=40)
    ref = np.concatenate([m, librosa.feature.delta(m, width=width),
                          librosa.feature.delta(m, width=width, order=2)]).T
    np.testing.assert_allclose(ours(y, delta_width=width, **SPEECH), ref, rtol=0, atol=ATOL)


def test_frame_times_are_frame_centres():
    ext = MFCC(level="lld", deltas=0)
    lld, t = ext.compute_lld(np.zeros(16000, dtype=np.float32))
    assert lld.shape[0] == 1 + 16000 // 160
    np.testing.assert_allclose(t, np.arange(lld.shape[0]) * 0.01)


# ------------------------------------------------------------------ bad input
def test_silence_gives_finite_values_equal_to_librosa():
    y = np.zeros(8000, dtype=np.float32)
    got = ours(y, **SPEECH)
    assert np.isfinite(got).all()
    np.testing.assert_allclose(got, librosa_mfcc(y, **SPEECH), atol=ATOL)
    row = MFCC().fit_transform([y])
    assert np.isfinite(row).all()  # skew/kurtosis of constant descriptors are 0, not NaN


def test_shorter_than_one_frame_raises_naming_input():
    with pytest.raises(TooShortError, match=r"<array 0>.*shorter than one analysis frame"):
        MFCC().fit_transform([np.ones(399, dtype=np.float32)])
    # exactly one window is enough
    assert MFCC().fit_transform([np.ones(400, dtype=np.float32)]).shape == (1, 39 * 17)


def test_nan_and_empty_inputs_raise(tmp_path):
    y = np.zeros(4000, dtype=np.float32)
    y[10] = np.nan
    with pytest.raises(NonFiniteInputError, match="1 of 4000 samples"):
        MFCC().transform([y])
    with pytest.raises(EmptyInputError):
        MFCC().transform([np.zeros(0, dtype=np.float32)])
    empty = tmp_path / "empty.wav"
    sf.write(empty, np.zeros(0, dtype=np.int16), 16000)
    with pytest.raises(EmptyInputError, match="empty.wav"):
        MFCC().transform([str(empty)])


def test_clipped_and_dc_offset_inputs_are_processed():
    rng = np.random.default_rng(1)
    y = np.clip(3 * rng.standard_normal(16000), -1, 1).astype(np.float32) + 0.5
    np.testing.assert_allclose(ours(y, **SPEECH), librosa_mfcc(y, **SPEECH), atol=ATOL)


def test_resampling_is_explicit(tmp_path, ravdess_files):
    y, sr = sf.read(ravdess_files[0], dtype="float32")
    path = tmp_path / "at22k.wav"
    y22 = librosa.resample(y, orig_sr=sr, target_sr=22050, res_type="soxr_hq")
    sf.write(path, y22, 22050, subtype="FLOAT")
    with pytest.raises(SampleRateError, match="22050 Hz"):
        MFCC(resample=False).transform([str(path)])
    table = MFCC().extract([str(path)])
    assert table.index["orig_sr"].iloc[0] == 22050
    back = librosa.resample(y22, orig_sr=22050, target_sr=16000, res_type="soxr_hq")
    np.testing.assert_allclose(table.X[0], MFCC().transform([back])[0], rtol=1e-5, atol=1e-4)


def test_stereo_is_downmixed(tmp_path, ravdess_files):
    y, sr = sf.read(ravdess_files[0], dtype="float32")
    stereo = np.stack([y, 0.5 * y], axis=1)
    path = tmp_path / "stereo.wav"
    sf.write(path, stereo, sr, subtype="FLOAT")
    table = MFCC(level="lld").extract([str(path)])
    assert table.index["orig_channels"].iloc[0] == 2
    np.testing.assert_allclose(table.X, ours(0.75 * y, **SPEECH), atol=ATOL)


# ------------------------------------------------------------------ sklearn API
def test_feature_names_and_pandas_output(sample):
    ext = MFCC(functionals=("mean", "std"), deltas=1).set_output(transform="pandas")
    df = ext.fit_transform(list(sample.path[:3]))
    assert list(df.columns[:3]) == ["mfcc0_mean", "mfcc0_std", "mfcc1_mean"]
    assert "mfcc3_delta_std" in df.columns and df.shape == (3, 26 * 2)
    assert MFCC(level="lld", deltas=0).get_feature_names_out().tolist()[:2] == ["mfcc0", "mfcc1"]


def test_clone_and_params_round_trip():
    from sklearn.base import clone

    ext = MFCC.htk(n_mfcc=12, functionals=("mean",))
    twin = clone(ext)
    assert twin.get_params() == ext.get_params()
    assert twin.set_params(n_mfcc=10).n_mfcc == 10 and ext.n_mfcc == 12


def test_pipeline_and_grid_search(sample):
    from sklearn.model_selection import GridSearchCV, GroupKFold
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler
    from sklearn.svm import SVC

    sub = sample[sample.emotion.isin(["angry", "calm"])]
    pipe = make_pipeline(MFCC(functionals=("mean", "std")), StandardScaler(), SVC())
    search = GridSearchCV(pipe, {"mfcc__n_mfcc": [4, 13]}, cv=GroupKFold(2), n_jobs=1)
    search.fit(list(sub.path), sub.emotion, groups=sub.speaker)
    # the grid parameter reached the extractor: each point gives other features and scores
    scores = search.cv_results_["split0_test_score"]
    assert scores[0] != scores[1] or search.cv_results_["split1_test_score"][0] != \
        search.cv_results_["split1_test_score"][1]
    best = search.best_params_["mfcc__n_mfcc"]
    refit = search.best_estimator_
    assert refit.named_steps["mfcc"].n_mfcc == best
    width = refit[:-2].transform(list(sub.path[:2])).shape[1]
    assert width == best * 3 * 2  # coefficients x (static, delta, delta2) x (mean, std)
    # the refit pipeline is the extractor, the scaler and the SVM composed by hand
    X = MFCC(n_mfcc=best, functionals=("mean", "std")).fit_transform(list(sub.path))
    scaler = StandardScaler().fit(X)
    svm = SVC().fit(scaler.transform(X), sub.emotion)
    np.testing.assert_array_equal(refit.predict(list(sub.path)),
                                  svm.predict(scaler.transform(X)))
    assert search.best_score_ > 0.6  # angry vs calm is easy even across speakers


def test_invalid_parameters_are_reported():
    cases = [(dict(level="frames"), "level"), (dict(convention="kaldi"), "convention"),
             (dict(n_mfcc=50), "n_mfcc"), (dict(win_length=500), "win_length"),
             (dict(functionals=("mean", "p101")), "p101"), (dict(fmax=float("inf")), "fmax"),
             (dict(fmin=7900.0, fmax=9000.0), "fmax=9000 Hz is above sr / 2.*most coefficients")]
    for bad, named in cases:
        with pytest.raises(ValueError, match=named):
            MFCC(**bad).fit()


def test_kernels_refuse_mismatched_shapes():
    from emofeat.extractors import _mfcc_kernels as KM

    with pytest.raises(ValueError, match="basis must be"):
        KM.cepstra(np.zeros((5, 40)), 1.0, 0.0, -np.inf, np.zeros((40, 13)), np.zeros((5, 13)))


@pytest.mark.parametrize("bad, named", [
    (dict(delta_width=4), "delta_width must be an odd integer >= 3"),
    (dict(delta_width=0), "delta_width"),
    (dict(delta_width=1), "delta_width"),
    (dict(amin=float("nan")), "amin must be a finite number > 0"),
    (dict(amin=float("inf")), "amin"),
    (dict(mel_norm="ortho"), "mel_norm must be 'slaney'"),  # the message said "norm"
    (dict(top_db=-5.0), "top_db must be a number >= 0"),  # librosa refuses it too
    (dict(top_db=float("nan")), "top_db"),
    (dict(ref=float("nan")), "ref must be a finite number"),
    (dict(preemphasis=float("nan")), "preemphasis must be a finite"),
    (dict(input_scale=0.0), "input_scale must be a finite number > 0"),
    (dict(input_scale=float("nan")), "input_scale"),
    (dict(lifter=float("nan")), "lifter must be a finite number >= 0"),
    (dict(lifter=-1.0), "lifter"),
    (dict(power=0.0), "power must be a finite number > 0"),
    (dict(power=float("nan")), "power"),
    (dict(n_mels=10**7), "n_mels=10000000 mel filters for 201 FFT bins"),
    (dict(sr=None), "sr must be a positive whole number of Hz, got None"),
    (dict(sr="abc"), "sr must be"),
    (dict(sr=float("nan")), "sr must be"),
    (dict(functionals=None), "functionals must be a sequence of functional names"),
    (dict(functionals=2.5), "functionals must be"),
    (dict(functionals=[]), "functionals: at least one functional"),
])
def test_parameters_failing_later_are_refused_at_fit(bad, named):
    """Values that used to pass fit and then fail at transform (an even ``delta_width``), give
    every coefficient NaN silently (``amin=nan``, ``lifter=nan``, ``power=nan``), build a
    filterbank too large for memory before the empty-filter check (``n_mels=10**7``), or fail
    inside ``int()`` or a ``for`` loop without naming the parameter (``sr=None``,
    ``functionals=None``), are ``ValueError`` s at fit naming it."""
    with pytest.raises(ValueError, match=named):
        MFCC(**bad).fit()


def test_overflowing_amplitude_warns_naming_the_input():
    """Finite samples far beyond [-1, 1] (1e20: finite in float32) overflow the float32
    power spectrum: the coefficients are NaN, and a warning names the input and says why
    (it was silent). precision="float64" holds them; normal amplitudes give no warning."""
    t = np.arange(16000) / 16000
    y = 0.3 * np.sin(2 * np.pi * 220 * t)
    with pytest.warns(UserWarning, match=r"<array 0>: samples up to 3e\+19 .* float32 power "
                                         "spectrum"):
        out = MFCC().fit_transform([y * 1e20])
    assert np.isnan(out).all()
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert np.isfinite(MFCC(precision="float64").fit_transform([y * 1e20])).all()
        assert np.isfinite(MFCC().fit_transform([y])).all()


def test_large_powers_and_unused_delta_widths_are_accepted(sample):
    """librosa bounds neither: power 10 or 12 gives finite coefficients on speech, and
    delta_width is unused without deltas (both were refused for a day)."""
    path = sample["path"].iat[0]
    for power in (10.0, 12.0):
        assert np.isfinite(MFCC(power=power).fit_transform([path])).all()
    assert MFCC(deltas=0, delta_width=1).fit_transform([path]).shape == (1, 13 * 17)


def _param_warnings(call) -> list[warnings.WarningMessage]:
    """The parameter warnings (fmax, empty filters) ``call()`` gives, every one recorded."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        call()
    return [w for w in caught if "FFT bin" in str(w.message) or "above sr / 2" in str(w.message)]


@pytest.mark.parametrize("params", [dict(fmax=9000.0), dict(n_mels=128, n_fft=256)],
                         ids=["fmax-above-nyquist", "empty-filters"])
def test_parameter_warnings_come_once_per_call(params, ravdess_files):
    """fit and transform both check the parameters, so ``fit_transform`` gave each parameter
    warning twice (fmax above sr / 2, filters without an FFT bin). Now once per
    ``fit_transform``, ``fit`` and ``transform``, attributed to the caller's line (it was
    emofeat's base.py), as a fitted model whose parameters changed is still checked by
    ``transform``: warned about, or refused."""
    files = [str(f) for f in ravdess_files[:2]]
    for call in (lambda: MFCC(**params).fit_transform(files),
                 lambda: MFCC(**params).fit(files), lambda: MFCC(**params).transform(files)):
        caught = _param_warnings(call)
        assert len(caught) == 1, [str(w.message) for w in caught]
        assert caught[0].filename == __file__
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler

    pipe = make_pipeline(MFCC(**params), StandardScaler())
    assert len(_param_warnings(lambda: pipe.fit_transform(files))) == 1
    assert len(_param_warnings(lambda: pipe.transform(files))) == 1
    model = MFCC().fit(files)
    assert _param_warnings(lambda: model.fit_transform(files)) == []
    model.set_params(**params)  # changed after fit: transform still checks and warns
    assert len(_param_warnings(lambda: model.transform(files))) == 1
    model.set_params(fmin=7900.0, fmax=9000.0)
    with pytest.raises(ValueError, match="most coefficients would be constant"):
        model.transform(files)


def test_command_gives_a_parameter_warning_once(ravdess_files, tmp_path, capsys):
    """``emofeat extract`` checks the parameters before reading its inputs and again in the
    run: with every warning shown (``-W always``), fmax above sr / 2 was two lines."""
    from emofeat.cli import EXIT_OK, main

    argv = ["extract", "--param", "fmax=9000", str(ravdess_files[0]), "-o",
            str(tmp_path / "out.parquet"), "-q"]
    with warnings.catch_warnings():
        warnings.simplefilter("always")
        assert main(argv) == EXIT_OK
    lines = capsys.readouterr().err.splitlines()
    assert sum("fmax=9000 Hz is above sr / 2" in line for line in lines) == 1, lines
