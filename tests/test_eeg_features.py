"""EEG feature functions against MNE and mne-features on the real EEG in ../shared/data/eeg.

Tolerances: Welch PSD, band power, the FIR filter and Hjorth (mne-features convention) are the
same arithmetic as the references, so they must agree to rtol 1e-9 (observed ~1e-15); the
differential entropy compares logs, atol 1e-9 nats.
"""

from __future__ import annotations

import math
import re
import warnings

import numpy as np
import pytest
from conftest import shared_path
from emofeat.extractors import eeg

mne = pytest.importorskip("mne")

RTOL = 1e-9


def _epochs(raw, seconds: float, n: int) -> np.ndarray:
    x = raw.get_data(picks="eeg", units="uV")
    step = int(seconds * raw.info["sfreq"])
    n = min(n, x.shape[1] // step)
    return np.stack([x[:, i * step : (i + 1) * step] for i in range(n)])


@pytest.fixture(scope="module")
def edf():
    """139-channel EDF, 512 Hz: 3 epochs of 2 s."""
    raw = mne.io.read_raw_edf(shared_path("eeg", "mne_testdata", "test.edf"), verbose="error")
    return _epochs(raw, 2.0, 3), raw.info["sfreq"]


@pytest.fixture(scope="module")
def brainvision():
    """32-channel BrainVision, 1000 Hz, with 10-20 names: 2 epochs of 3 s."""
    raw = mne.io.read_raw_brainvision(
        shared_path("eeg", "mne_testdata", "test.vhdr"), verbose="error"
    )
    raw.pick("eeg")
    return _epochs(raw, 3.0, 2), raw.info["sfreq"], raw.ch_names


@pytest.fixture(scope="module")
def muse():
    """Muse recording (TP9, AF7, AF8, TP10 at 256 Hz, uV): 4 windows of 4 s."""
    import pandas as pd

    df = pd.read_csv(shared_path("eeg", "muse_mental_state", "subjecta-relaxed-1.csv"))
    names = ["TP9", "AF7", "AF8", "TP10"]
    x = df[names].to_numpy(float).T
    return np.stack([x[:, i * 1024 : (i + 1) * 1024] for i in range(4)]), 256.0, names


def _close(a, b, rtol=RTOL):
    a, b = np.asarray(a), np.asarray(b)
    assert a.shape == b.shape
    np.testing.assert_allclose(a, b, rtol=rtol, atol=rtol * np.nanmax(np.abs(b)))


@pytest.mark.parametrize(
    "params",
    [
        {},
        {"n_fft": 512},
        {"n_fft": 256, "n_overlap": 128},
        {"n_fft": 512, "n_per_seg": 300, "n_overlap": 100, "fmin": 1.0, "fmax": 45.0},
        {"n_fft": 128, "window": "hann", "remove_dc": False},
    ],
)
def test_welch_matches_mne(edf, params):
    x, sfreq = edf
    ours, f1 = eeg.welch_psd(x, sfreq, **params)
    ref, f2 = mne.time_frequency.psd_array_welch(x, sfreq, verbose="error", **params)
    np.testing.assert_array_equal(f1, f2)
    _close(ours, ref)


def test_welch_matches_mne_other_formats(brainvision, muse):
    for x, sfreq, *_ in (brainvision, muse):
        ours, _ = eeg.welch_psd(x, sfreq, n_fft=int(sfreq), n_overlap=int(sfreq) // 2)
        ref, _ = mne.time_frequency.psd_array_welch(
            x, sfreq, n_fft=int(sfreq), n_overlap=int(sfreq) // 2, verbose="error"
        )
        _close(ours, ref)


def test_welch_rejects_what_mne_rejects():
    x = np.random.default_rng(0).standard_normal((2, 100))
    with pytest.raises(ValueError, match="n_fft"):
        eeg.welch_psd(x, 100.0, n_fft=256)
    with pytest.raises(ValueError, match="n_overlap"):
        eeg.welch_psd(x, 100.0, n_fft=64, n_overlap=64)


def test_band_power_from_mne_psd(edf):
    x, sfreq = edf
    bands = eeg.DEFAULT_BANDS
    psd, freqs = mne.time_frequency.psd_array_welch(x, sfreq, n_fft=512, verbose="error")
    df = freqs[1] - freqs[0]
    ab = np.stack(
        [psd[..., (freqs >= lo) & (freqs < hi)].sum(-1) * df for lo, hi in bands.values()], axis=-1
    )
    got = eeg.band_power_features(x, sfreq, bands, n_fft=512, total_band=(1.0, 45.0))
    _close(got["absolute"], ab)
    total = psd[..., (freqs >= 1) & (freqs < 45)].sum(-1) * df
    _close(got["relative"], ab / total[..., None])
    _close(got["db"], 10 * np.log10(ab))
    # default bands tile 1-45 Hz, so relative powers to that range sum to one
    _close(got["relative"].sum(-1), np.ones(x.shape[:2]))


def test_band_power_matches_mne_features(muse):
    mf = pytest.importorskip("mne_features.univariate")
    x, sfreq, _ = muse
    edges = np.array([0.5, 4.0, 8.0, 13.0, 30.0, 100.0])  # mne-features' default bands
    bands = {f"b{i}": (edges[i], edges[i + 1]) for i in range(5)}
    psd_params = {"welch_n_fft": 256, "welch_n_overlap": 128}
    for epoch in x:
        psd, freqs = eeg.welch_psd(epoch, sfreq, n_fft=256, n_overlap=128)
        df = freqs[1] - freqs[0]
        rel = eeg.band_power(psd, freqs, bands, kind="relative", closed=True)
        ref = mf.compute_pow_freq_bands(sfreq, epoch, edges, normalize=True, psd_params=psd_params)
        _close(rel.ravel(), ref)
        # mne-features sums PSD bins without the bin width
        ab = eeg.band_power(psd, freqs, bands, kind="absolute", closed=True)
        ref = mf.compute_pow_freq_bands(sfreq, epoch, edges, normalize=False, psd_params=psd_params)
        _close(ab.ravel() / df, ref)
        db = eeg.band_power(psd, freqs, bands, kind="db", closed=True)
        ref = mf.compute_pow_freq_bands(
            sfreq, epoch, edges, normalize=False, log=True, psd_params=psd_params
        )
        _close(db.ravel() - 10 * np.log10(df), ref)


def test_multitaper_band_power_matches_mne_features(muse):
    mf = pytest.importorskip("mne_features.univariate")
    x, sfreq, _ = muse
    edges = np.array([1.0, 4.0, 8.0, 13.0, 30.0, 45.0])
    bands = {f"b{i}": (edges[i], edges[i + 1]) for i in range(5)}
    got = eeg.band_power_features(x[0], sfreq, bands, kinds=("relative",), psd_method="multitaper")
    psd, freqs = eeg.multitaper_psd(x[0], sfreq)
    rel = eeg.band_power(psd, freqs, bands, kind="relative", closed=True)
    ref = mf.compute_pow_freq_bands(sfreq, x[0], edges, normalize=True, psd_method="multitaper")
    _close(rel.ravel(), ref)
    # the features themselves (half-open bands, over the whole spectrum) from MNE's multitaper
    # PSD summed in NumPy, independently of band_power
    from mne.time_frequency import psd_array_multitaper

    mt, f = psd_array_multitaper(np.asarray(x[0], np.float64), sfreq, verbose="error")
    expected = np.stack([mt[:, (f >= lo) & (f < hi)].sum(-1) for lo, hi in bands.values()],
                        axis=-1) / mt.sum(-1, keepdims=True)
    assert got["relative"].shape == (4, 5)
    _close(got["relative"].ravel(), expected.ravel())


def test_hjorth_matches_mne_features(edf, muse):
    mf = pytest.importorskip("mne_features.univariate")
    for x, *_ in (edf, muse):
        for epoch in x:
            h = eeg.hjorth_parameters(epoch, convention="mne_features")
            _close(h[:, 0], mf.compute_variance(epoch))
            _close(h[:, 1], mf.compute_hjorth_mobility(epoch))
            _close(h[:, 2], mf.compute_hjorth_complexity(epoch))


def test_hjorth_definition(muse):
    x, *_ = muse
    h = eeg.hjorth_parameters(x)
    d1, d2 = np.diff(x, axis=-1), np.diff(x, n=2, axis=-1)
    mob = np.sqrt(d1.var(-1) / x.var(-1))
    _close(h[..., 0], x.var(-1))
    _close(h[..., 1], mob)
    _close(h[..., 2], np.sqrt(d2.var(-1) / d1.var(-1)) / mob)
    # the mne-features convention (a zero prepended before differencing) is biased by a DC offset
    off = eeg.hjorth_parameters(x + 500.0)
    _close(off[..., 1:], h[..., 1:])
    biased = eeg.hjorth_parameters(x + 500.0, convention="mne_features")
    assert np.all(biased[..., 1] > 1.01 * h[..., 1])


@pytest.mark.parametrize("band", [(1.0, 4.0), (8.0, 13.0), (30.0, 45.0), (None, 40.0), (0.5, None)])
def test_fir_filter_matches_mne(muse, band):
    x, sfreq, _ = muse
    ours = eeg.fir_filter(x, sfreq, *band)
    ref = mne.filter.filter_data(x, sfreq, *band, verbose="error")
    _close(ours, ref)


def test_fir_filter_short_signal_matches_mne():
    # a 1 s window shorter than the delta filter: MNE pads with what the signal has
    x = np.random.default_rng(1).standard_normal((3, 128))
    ref = mne.filter.filter_data(x, 128.0, 1.0, 4.0, verbose="error")
    _close(eeg.fir_filter(x, 128.0, 1.0, 4.0), ref)


def test_differential_entropy_matches_mne(muse):
    x, sfreq, _ = muse
    bands = eeg.DEFAULT_BANDS
    de = eeg.differential_entropy(x, sfreq, bands)
    for b, (lo, hi) in enumerate(bands.values()):
        var = mne.filter.filter_data(x, sfreq, lo, hi, verbose="error").var(-1)
        np.testing.assert_allclose(
            de[..., b], 0.5 * np.log(2 * np.pi * np.e * var), rtol=0, atol=1e-9
        )
    de_psd = eeg.differential_entropy(x, sfreq, bands, method="psd", n_fft=256)
    psd, freqs = mne.time_frequency.psd_array_welch(x, sfreq, n_fft=256, verbose="error")
    for b, (lo, hi) in enumerate(bands.values()):
        power = psd[..., (freqs >= lo) & (freqs < hi)].sum(-1) * (freqs[1] - freqs[0])
        np.testing.assert_allclose(
            de_psd[..., b], 0.5 * np.log(2 * np.pi * np.e * power), rtol=0, atol=1e-9
        )


def test_differential_entropy_of_white_noise():
    # white noise of variance s2 at rate fs has band variance s2 * width / (fs / 2): the PSD
    # variant must find the Gaussian DE of that (0.05 nats, about 3 standard errors of a Welch
    # estimate over 600 s with 1 Hz bins in the 3 Hz delta band)
    rng = np.random.default_rng(2)
    fs, s2 = 200.0, 4.0
    x = rng.normal(0.0, math.sqrt(s2), size=(2, int(600 * fs)))
    de = eeg.differential_entropy(x, fs, method="psd", n_fft=200)
    widths = np.array([hi - lo for lo, hi in eeg.DEFAULT_BANDS.values()])
    expected = 0.5 * np.log(2 * np.pi * np.e * s2 * widths / (fs / 2))
    np.testing.assert_allclose(de, np.broadcast_to(expected, de.shape), atol=0.05)


def test_lds_smooth_is_least_squares_path():
    rng = np.random.default_rng(3)
    y = np.cumsum(rng.standard_normal(40)) + rng.standard_normal(40)
    q, r = 0.5, 2.0
    # minimise sum (y - z)^2 / r + sum (z_t - z_{t-1})^2 / q: (I / r + D'D / q) z = y / r
    n = y.size
    d = np.diff(np.eye(n), axis=0)
    z = np.linalg.solve(np.eye(n) / r + d.T @ d / q, y / r)
    got = eeg.lds_smooth(y[:, None], process_var=q, obs_var=r)[:, 0]
    np.testing.assert_allclose(got, z, rtol=1e-9, atol=1e-9)
    const = np.full((5, 2, 3), 1.5)
    np.testing.assert_allclose(eeg.lds_smooth(const), const)


def test_channel_pairs():
    names = [
        "EEG Fp1",
        "Fp2",
        "F3",
        "F4",
        "Fz",
        "AF7",
        "AF8",
        "TP9",
        "TP10",
        "T3",
        "T4-REF",
        "FC5",
        "CP5",
        "FCz",
        "CPz",
        "A1",
        "A2",
    ]
    pairs = eeg.symmetric_pairs(names)
    assert eeg.pair_names(names, pairs) == [
        "EEG Fp1-Fp2",
        "F3-F4",
        "AF7-AF8",
        "TP9-TP10",
        "T3-T4-REF",
    ]
    assert eeg.pair_names(names, eeg.caudal_pairs(names)) == ["FC5-CP5", "FCz-CPz"]
    assert eeg.pair_names(names, eeg.faa_pairs(names)) == ["EEG Fp1-Fp2", "AF7-AF8", "F3-F4"]
    # BioSemi labels are not 10-20 positions
    assert eeg.symmetric_pairs(["A1", "A2", "B3", "B4"]) == []


def test_caudal_pairs_of_the_seed_montage():
    """SEED's 62 channels: 27 hemispheric pairs (DASM/RASM) and 23 frontal-posterior pairs
    (DCAU), the counts of Zheng and Lu (2015); the 23 are every frontal electrode of the cap
    with its mirror about the central row, not the FC/CP and FT/TP rows only (9 pairs,
    F7-P7 ... Fp2-O2 missing), as DCAU once took them."""
    from emofeat.datasets.eeg_corpora import SEED_CHANNELS as ch

    assert len(eeg.symmetric_pairs(ch)) == 27
    mirror = {"FP": "O", "AF": "PO", "F": "P", "FT": "TP", "FC": "CP"}
    want = []
    for row, back in mirror.items():
        for name in ch:
            m = re.fullmatch(r"([A-Z]+?)(Z|\d+)", name)
            if m.group(1) == row:
                want.append((name, back + m.group(2)))
    assert len(want) == 23 and all(b in ch for _, b in want)
    got = eeg.pair_names(ch, eeg.caudal_pairs(ch))
    assert sorted(got) == sorted(f"{a}-{b}" for a, b in want)


def test_asymmetry_on_real_montage(brainvision):
    x, sfreq, names = brainvision
    de = eeg.differential_entropy(x, sfreq, method="psd", n_fft=1000)
    pairs = eeg.symmetric_pairs(names)
    assert ("F3", "F4") in [(names[i], names[j]) for i, j in pairs]
    dasm = eeg.asymmetry(de, pairs, "dasm")
    rasm = eeg.asymmetry(de, pairs, "rasm")
    for k, (i, j) in enumerate(pairs):
        _close(dasm[:, k], de[:, i] - de[:, j])
        _close(rasm[:, k], de[:, i] / de[:, j])
    assert dasm.shape == (x.shape[0], len(pairs), len(eeg.DEFAULT_BANDS))


def test_frontal_alpha_asymmetry(muse):
    x, sfreq, names = muse
    alpha = eeg.band_power_features(
        x, sfreq, {"alpha": (8.0, 13.0)}, kinds=("absolute",), n_fft=256
    )["absolute"][..., 0]
    pairs = eeg.faa_pairs(names)
    assert eeg.pair_names(names, pairs) == ["AF7-AF8"]
    psd, freqs = mne.time_frequency.psd_array_welch(x, sfreq, n_fft=256, verbose="error")
    a = psd[..., (freqs >= 8) & (freqs < 13)].sum(-1)
    _close(eeg.frontal_alpha_asymmetry(alpha, pairs)[:, 0], np.log(a[:, 2]) - np.log(a[:, 1]))


def test_flat_and_nan_channels_give_nan_features(muse):
    x, sfreq, names = muse
    bad = x[0].copy()
    bad[1] = 7.0  # flat
    bad[2, 100] = np.nan
    with pytest.warns(eeg.EEGChannelWarning) as record:
        mask = eeg.warn_bad_channels(bad, names, "subjecta-relaxed-1.csv")
    text = " ".join(str(w.message) for w in record)
    assert (
        "subjecta-relaxed-1.csv" in text and "AF7" in text and "AF8" in text and "TP9" not in text
    )
    assert mask.tolist() == [False, True, True, False]
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # no numpy warnings leak out
        outs = [
            *eeg.band_power_features(bad, sfreq, n_fft=256).values(),
            eeg.differential_entropy(bad, sfreq),
            eeg.differential_entropy(bad, sfreq, method="psd", n_fft=256),
            eeg.hjorth_parameters(bad),
        ]
    good = [eeg.hjorth_parameters(x[0]), eeg.differential_entropy(x[0], sfreq)]
    for out in outs:
        assert np.isnan(out[1:3]).all() and np.isfinite(out[[0, 3]]).all()
    _close(outs[-1][[0, 3]], good[0][[0, 3]])
    _close(outs[-2 - 1][[0, 3]], good[1][[0, 3]])


def test_bad_parameters_are_named():
    with pytest.raises(ValueError, match="above Nyquist"):
        eeg.check_bands({"gamma": (30, 70)}, 128.0)
    with pytest.raises(ValueError, match="band name"):
        eeg.check_bands({"al pha": (8, 13)}, 128.0)
    with pytest.raises(ValueError, match="kind"):
        eeg.band_power(np.ones((1, 10)), np.arange(10.0), kind="log")
    with pytest.raises(ValueError, match="convention"):
        eeg.hjorth_parameters(np.ones((1, 10)), convention="x")


def test_spectral_entropy_and_edge_match_mne_features(muse):
    mf = pytest.importorskip("mne_features.univariate")
    x, sfreq, _ = muse
    params = {"welch_n_fft": 256}
    for epoch in x:
        psd, freqs = eeg.welch_psd(epoch, sfreq, n_fft=256)
        for edge in (0.5, 0.9):
            ref = mf.compute_spect_edge_freq(
                sfreq, epoch, ref_freq=40.0, edge=[edge], psd_params=params
            )
            _close(eeg.spectral_edge_frequency(psd, freqs, edge, fmax=40.0), ref)
        # mne-features keeps the DC bin (share e of the power) in the normalising sum only, so
        # its entropy is (1 - e) H - (1 - e) log2(1 - e) with H ours over the bins above DC
        ref = mf.compute_spect_entropy(sfreq, epoch, psd_params=params)
        h = eeg.spectral_entropy(psd, freqs, fmin=freqs[1])
        e = psd[:, 0] / psd.sum(-1)
        _close((1 - e) * h - (1 - e) * np.log2(1 - e), ref)


def test_time_statistics(muse):
    from scipy import stats

    x, *_ = muse
    names, v = eeg.time_statistics(x)
    assert names[:4] == ["mean", "std", "skew", "kurtosis"]
    _close(v[..., 0], x.mean(-1))
    _close(v[..., 1], x.std(-1))
    _close(v[..., 2], stats.skew(x, axis=-1))
    _close(v[..., 3], stats.kurtosis(x, axis=-1))
    _close(v[..., 4], np.ptp(x, axis=-1))
    _close(v[..., 5], np.abs(np.diff(x, axis=-1)).mean(-1))
    d = x - x.mean(-1, keepdims=True)
    _close(v[..., 6], (np.diff(np.signbit(d).astype(int), axis=-1) != 0).mean(-1))
