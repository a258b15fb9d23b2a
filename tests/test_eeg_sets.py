"""The EEG feature sets as extractors: names, layout, inputs (arrays, MNE objects, files),
registry, bad channels. Values are those of the pure functions (tested against MNE and
mne-features in test_eeg_features.py); here the columns must be those values, in name order."""

from __future__ import annotations

import warnings

import numpy as np
import pytest
from conftest import shared_path
from emofeat.extractors import eeg as E
from emofeat.extractors.eeg_sets import (
    EEGAsymmetry,
    EEGBandPower,
    EEGDifferentialEntropy,
    EEGHjorth,
    EEGSpectral,
)

MUSE = ("TP9", "AF7", "AF8", "TP10")


@pytest.fixture(scope="module")
def muse_epochs():
    import pandas as pd

    df = pd.read_csv(shared_path("eeg", "muse_mental_state", "subjecta-neutral-1.csv"))
    x = df[list(MUSE)].to_numpy(float).T
    return np.stack([x[:, i * 1024 : (i + 1) * 1024] for i in range(5)]), 256.0  # 4 s windows


def _col(ext, X, name):
    return X[:, list(ext.get_feature_names_out()).index(name)]


def _mne_welch(x, sf, **kw):
    """MNE's Welch PSD at the sets' defaults: 1 s Hamming segments, 50 % overlap, mean of the
    segments (``segment=1.0``, ``overlap=0.5``; ``_EEGSet._welch_kwargs``)."""
    mne = pytest.importorskip("mne")
    n = int(round(sf))
    return mne.time_frequency.psd_array_welch(
        x,
        sf,
        n_fft=n,
        n_per_seg=n,
        n_overlap=n // 2,
        window="hamming",
        average="mean",
        verbose="error",
        **kw,
    )


def _mne_de(x, sf):
    """Differential entropy per band ``{band: (..., n_channels)}`` built from MNE's Welch PSD
    alone: ``0.5 ln(2 pi e P)``, ``P`` the PSD summed over ``[lo, hi)`` times the bin width
    (the reference test_eeg_features.py holds ``differential_entropy`` to)."""
    psd, f = _mne_welch(x, sf)
    return {
        b: 0.5 * np.log(2 * np.pi * np.e * psd[..., (f >= lo) & (f < hi)].sum(-1) * (f[1] - f[0]))
        for b, (lo, hi) in E.DEFAULT_BANDS.items()
    }


def _asymmetry_ref(de, ch, kind, pairs):
    """Names and values ``(..., n_bands * n_pairs)`` (band-major, the set's order) of an
    asymmetry kind from per-band DE ``de`` and ``(left|frontal, right|posterior)`` name pairs:
    dasm/dcau = DE(first) - DE(second), rasm = DE(first) / DE(second) (docs/eeg.md)."""
    names, cols = [], []
    for b in E.DEFAULT_BANDS:
        for a, z in pairs:
            i, j = ch.index(a), ch.index(z)
            names.append(f"eeg_asymmetry_{kind}_{b}_{a}-{z}")
            cols.append(
                de[b][..., i] / de[b][..., j] if kind == "rasm" else de[b][..., i] - de[b][..., j]
            )
    return names, np.stack(cols, -1)


def _entropy_bits(psd):
    """Shannon entropy (bits) of each PSD row normalised to sum 1."""
    q = psd / psd.sum(-1, keepdims=True)
    return -np.sum(q * np.log2(q), axis=-1)


def test_band_power_columns(muse_epochs):
    x, sf = muse_epochs
    ext = EEGBandPower(sfreq=sf, ch_names=MUSE)
    X = ext.fit_transform(x)
    assert X.shape == (5, 3 * 5 * 4) and len(ext.get_feature_names_out()) == X.shape[1]
    ref = E.band_power_features(
        x,
        sf,
        kinds=("absolute", "relative", "db"),
        total_band=(1.0, 45.0),
        n_fft=256,
        n_per_seg=256,
        n_overlap=128,
    )
    np.testing.assert_allclose(
        _col(ext, X, "eeg_bands_abs_alpha_AF8"), ref["absolute"][:, 2, 2], rtol=1e-12
    )
    np.testing.assert_allclose(
        _col(ext, X, "eeg_bands_rel_theta_TP9"), ref["relative"][:, 0, 1], rtol=1e-12
    )
    np.testing.assert_allclose(
        _col(ext, X, "eeg_bands_db_gamma_TP10"), ref["db"][:, 3, 4], rtol=1e-12
    )
    rel = np.stack([_col(ext, X, f"eeg_bands_rel_{b}_AF7") for b in E.DEFAULT_BANDS], 1)
    np.testing.assert_allclose(rel.sum(1), 1.0, rtol=1e-12)
    assert all(n.startswith("eeg_bands_") for n in ext.get_feature_names_out())


def test_de_hjorth_spectral_columns(muse_epochs):
    x, sf = muse_epochs
    de = EEGDifferentialEntropy(sfreq=sf, ch_names=MUSE)
    X = de.fit_transform(x)
    ref = E.differential_entropy(x, sf, method="psd", n_fft=256, n_per_seg=256, n_overlap=128)
    np.testing.assert_allclose(_col(de, X, "eeg_de_beta_AF7"), ref[:, 1, 3], rtol=1e-12)
    filt = EEGDifferentialEntropy(method="filter", sfreq=sf, ch_names=MUSE).fit_transform(x)
    np.testing.assert_allclose(
        filt.reshape(5, 5, 4), E.differential_entropy(x, sf).transpose(0, 2, 1), rtol=1e-12
    )
    hj = EEGHjorth(sfreq=sf, ch_names=MUSE)
    X = hj.fit_transform(x)
    np.testing.assert_allclose(
        _col(hj, X, "eeg_hjorth_complexity_TP10"), E.hjorth_parameters(x)[:, 3, 2], rtol=1e-12
    )
    sp = EEGSpectral(sfreq=sf, ch_names=MUSE)
    X = sp.fit_transform(x)
    assert list(sp.get_feature_names_out()[[0, 4, 8]]) == [
        "eeg_spectral_entropy_TP9",
        "eeg_spectral_sef50_TP9",
        "eeg_spectral_sef90_TP9",
    ]
    psd, f = E.welch_psd(x, sf, n_fft=256, n_overlap=128)
    np.testing.assert_allclose(
        _col(sp, X, "eeg_spectral_sef90_AF8"),
        E.spectral_edge_frequency(psd, f, 0.9, fmin=1.0, fmax=45.0)[:, 2],
    )
    assert np.all((X[:, :4] > 0) & (X[:, :4] <= 1))  # range only: values in the next test


def test_spectral_entropy_matches_mne_welch(muse_epochs):
    # the set's own convention (not mne-features', which keeps the DC bin in the normalising
    # sum: test_eeg_features.py): entropy of MNE's Welch PSD (1 s Hamming segments, 50 %
    # overlap) over the bins in [fmin, fmax], both ends included, normalised to sum 1;
    # divided by log2(n_bins) with normalize=True (default, 1-45 Hz: 45 bins of 1 Hz here).
    # Observed error 6.7e-16 (default) / 3.3e-16 (normalize=False, 4-30 Hz); rtol 1e-9.
    x, sf = muse_epochs
    psd, f = _mne_welch(x, sf, fmin=1.0, fmax=45.0)
    assert (f[0], f[-1], f.size) == (1.0, 45.0, 45)
    X = EEGSpectral(sfreq=sf, ch_names=MUSE).fit_transform(x)
    np.testing.assert_allclose(X[:, :4], _entropy_bits(psd) / np.log2(f.size), rtol=1e-9)
    # bits, over another band: fmin/fmax and normalize reach the values
    psd, f = _mne_welch(x, sf, fmin=4.0, fmax=30.0)
    sp = EEGSpectral(fmin=4.0, fmax=30.0, normalize=False, sfreq=sf, ch_names=MUSE)
    X = sp.fit_transform(x)
    assert list(sp.get_feature_names_out()[:4]) == [f"eeg_spectral_entropy_{c}" for c in MUSE]
    np.testing.assert_allclose(X[:, :4], _entropy_bits(psd), rtol=1e-9)


@pytest.mark.parametrize("fmin", [128.0, 130.0])
def test_spectral_fmin_at_or_above_nyquist_is_refused_naming_the_input(muse_epochs, fmin):
    # fmax is cut to Nyquist: at 256 Hz fmin 130 left no bin ("no PSD bin between fmin=130.0
    # and fmax=128.0 Hz", a bare ValueError naming no input) and fmin 128 one, the Nyquist
    # bin, whose entropy is 0 and edge 128 Hz whatever the signal
    from emofeat.errors import InputError

    x, sf = muse_epochs
    ext = EEGSpectral(fmin=fmin, fmax=200.0, sfreq=sf, ch_names=MUSE).fit(None)
    with pytest.raises(InputError, match=rf"<array 0>: fmin={fmin:g} Hz is not below Nyquist "
                       r"\(128 Hz at 256 Hz\)"):
        ext.transform([(x[0], sf, MUSE)])


def test_spectral_edges_of_the_set_match_mne_features(muse_epochs):
    # the set's sef columns at mne-features' settings (fmin 0, fmax its ref_freq on a bin;
    # the set's 1 s Hamming segments, 50 % overlap, as psd_params): exactly its
    # spect_edge_freq (the first bin where the cumulative power reaches the fraction), rtol
    # 1e-9, observed 0. Until now only the pure function was compared with it.
    mf = pytest.importorskip("mne_features.univariate")
    x, sf = muse_epochs
    n = int(sf)
    params = {"welch_n_fft": n, "welch_n_per_seg": n, "welch_n_overlap": n // 2}
    for fmax, edges in ((40.0, (0.5, 0.9)), (sf / 2, (0.25, 0.95))):
        sp = EEGSpectral(fmin=0.0, fmax=fmax, edges=edges, sfreq=sf, ch_names=MUSE)
        X = sp.fit_transform(x)
        for e in edges:
            ref = np.stack([mf.compute_spect_edge_freq(sf, epoch, ref_freq=fmax, edge=[e],
                                                       psd_params=params) for epoch in x])
            cols = [f"eeg_spectral_{sp._edge_name(e)}_{c}" for c in MUSE]
            got = np.stack([_col(sp, X, c) for c in cols], axis=1)
            np.testing.assert_allclose(got, ref, rtol=1e-9)


def test_asymmetry_on_muse(muse_epochs):
    x, sf = muse_epochs
    ext = EEGAsymmetry(sfreq=sf, ch_names=MUSE)
    X = ext.fit_transform(x)
    names = list(ext.get_feature_names_out())
    assert (
        "eeg_asymmetry_dasm_alpha_AF7-AF8" in names and "eeg_asymmetry_rasm_delta_TP9-TP10" in names
    )
    assert names[-1] == "eeg_asymmetry_faa_AF7-AF8" and not any("dcau" in n for n in names)
    de = E.differential_entropy(x, sf, method="psd", n_fft=256, n_per_seg=256, n_overlap=128)
    np.testing.assert_allclose(
        _col(ext, X, "eeg_asymmetry_dasm_alpha_AF7-AF8"), de[:, 1, 2] - de[:, 2, 2], rtol=1e-12
    )
    alpha = E.band_power_features(
        x, sf, {"alpha": (8, 13)}, kinds=("absolute",), n_fft=256, n_per_seg=256, n_overlap=128
    )["absolute"][..., 0]
    np.testing.assert_allclose(X[:, -1], np.log(alpha[:, 2]) - np.log(alpha[:, 1]), rtol=1e-12)
    with pytest.raises(ValueError, match="no symmetric 10-20 electrode pair"):
        EEGAsymmetry(sfreq=sf, ch_names=("ch0", "ch1")).fit(None)
    with pytest.raises(ValueError, match="alpha"):
        EEGAsymmetry(bands={"low": (1, 8)}, sfreq=sf, ch_names=MUSE).fit(None)


# DE-based asymmetry against DE built from MNE's Welch PSD alone (_mne_de), every column,
# with the pairs written out here (not found by the library). DASM/DCAU are differences of DE
# values of ~2-4 nats (Muse, uV) and ~-9 to -15 nats (BrainVision, V) that cancel to as
# little as 6e-6 nats, so an absolute tolerance: atol 1e-12 nats, rtol 0 (1e-13 of the DE
# values; test_eeg_features.py holds DE itself to MNE at 1e-9 nats); observed 8.9e-16 nats
# (Muse), 5.3e-15 (BrainVision DASM), 8.9e-15 (DCAU). RASM, a ratio of DE values: rtol 1e-12;
# observed 3.3e-16.
_ASYM_TOL = {
    "dasm": {"rtol": 0, "atol": 1e-12},
    "rasm": {"rtol": 1e-12},
    "dcau": {"rtol": 0, "atol": 1e-12},
}


def _check_asymmetry(ext, X, de, ch, pairs):
    # FAA: test_asymmetry_on_muse; a kind without pairs has no column
    refs = {k: _asymmetry_ref(de, ch, k, pairs[k]) for k in ext.kinds if pairs.get(k)}
    names = list(ext.get_feature_names_out())
    assert [n for n in names if "_faa_" not in n] == [n for k in refs for n in refs[k][0]]
    for kind, (want, ref) in refs.items():
        got = X[:, [names.index(n) for n in want]]
        np.testing.assert_allclose(got, ref, **_ASYM_TOL[kind], err_msg=kind)


def test_asymmetry_on_muse_matches_mne_de(muse_epochs):
    x, sf = muse_epochs
    ext = EEGAsymmetry(sfreq=sf, ch_names=MUSE)
    X = ext.fit_transform(x)
    sym = [("TP9", "TP10"), ("AF7", "AF8")]  # odd n with n + 1, in the left channels' order
    _check_asymmetry(ext, X, _mne_de(x, sf), MUSE, {"dasm": sym, "rasm": sym})


def test_asymmetry_on_brainvision_matches_mne_de():
    mne = pytest.importorskip("mne")
    raw = mne.io.read_raw_brainvision(
        shared_path("eeg", "mne_testdata", "test.vhdr"), preload=True, verbose="error"
    )
    raw.pick("eeg")
    ch = raw.ch_names
    sym = [
        ("FP1", "FP2"),
        ("F3", "F4"),
        ("C3", "C4"),
        ("P3", "P4"),
        ("O1", "O2"),
        ("F7", "F8"),
        ("P7", "P8"),
        ("FC1", "FC2"),
        ("CP1", "CP2"),
        ("FC5", "FC6"),
    ]
    # caudal: each frontal row with the same number (or z) in its mirror about the central
    # row, FC/CP then F/P then Fp/O (CAUDAL_ROWS), in channel order (CP5 is a misc channel);
    # not only the FC/CP and FT/TP rows (the first three), as DCAU once took
    cau = [("FCz", "CPz"), ("FC1", "CP1"), ("FC2", "CP2"),
           ("F3", "P3"), ("F4", "P4"), ("F7", "P7"), ("F8", "P8"), ("Fz", "Pz"),
           ("FP1", "O1"), ("FP2", "O2")]
    pairs = {"dasm": sym, "rasm": sym, "dcau": cau}
    epochs = mne.make_fixed_length_epochs(raw, duration=2.0, preload=True, verbose="error")
    for item, data in (([raw], raw.get_data()[None]), (epochs, epochs.get_data())):
        ext = EEGAsymmetry(kinds=("dasm", "rasm", "dcau"))
        X = ext.fit_transform(item)
        assert X.shape == (data.shape[0], 5 * (2 * len(sym) + len(cau)))
        _check_asymmetry(ext, X, _mne_de(data, raw.info["sfreq"]), ch, pairs)


def test_mne_epochs_and_raw_input():
    mne = pytest.importorskip("mne")
    raw = mne.io.read_raw_brainvision(
        shared_path("eeg", "mne_testdata", "test.vhdr"), preload=True, verbose="error"
    )
    raw.pick("eeg")
    epochs = mne.make_fixed_length_epochs(raw, duration=2.0, preload=True, verbose="error")
    ext = EEGHjorth()
    X = ext.fit_transform(epochs)
    assert X.shape == (len(epochs), 3 * len(raw.ch_names))
    np.testing.assert_allclose(
        X.reshape(len(epochs), 3, -1),
        E.hjorth_parameters(epochs.get_data()).transpose(0, 2, 1),
        rtol=1e-12,
    )
    assert ext.get_feature_names_out()[0] == f"eeg_hjorth_activity_{raw.ch_names[0]}"
    # EEGAsymmetry on Raw and Epochs: test_asymmetry_on_brainvision_matches_mne_de


def test_files_and_table():
    path = shared_path("eeg", "mne_testdata", "test_edf_stim_channel.edf")
    ext = EEGBandPower(kinds=("rel",))
    table = ext.extract([str(path)])
    assert table.X.shape[0] == 1 and table.X.shape[1] == len(ext.get_feature_names_out())
    assert all(n.startswith("eeg_bands_rel_") for n in table.feature_names)


def test_registry():
    import emofeat

    for name in ("eeg_bands", "eeg_de", "eeg_asymmetry", "eeg_hjorth", "eeg_spectral"):
        ext = emofeat.get_extractor(name)
        assert ext.set_name == name and ext.modality == "eeg"


def test_flat_channel_gives_nan_columns(muse_epochs):
    x, sf = muse_epochs
    bad = x.copy()
    bad[:, 2] = 3.0  # AF8 flat
    for cls in (EEGBandPower, EEGDifferentialEntropy, EEGHjorth, EEGSpectral, EEGAsymmetry):
        ext = cls(sfreq=sf, ch_names=MUSE)
        with pytest.warns(E.EEGChannelWarning, match="AF8"):
            X = ext.fit_transform(bad)
        good = cls(sfreq=sf, ch_names=MUSE).fit_transform(x)
        names = ext.get_feature_names_out()
        hit = np.array(["AF8" in n for n in names])
        assert np.isnan(X[:, hit]).all() and np.isfinite(X[:, ~hit]).all()
        np.testing.assert_array_equal(X[:, ~hit], good[:, ~hit])


def test_bad_parameters_and_inputs(muse_epochs):
    x, sf = muse_epochs
    with pytest.raises(ValueError, match="kinds"):
        EEGBandPower(kinds=("abs", "log")).fit(None)
    with pytest.raises(ValueError, match="overlap"):
        EEGBandPower(overlap=1.0, sfreq=sf, ch_names=MUSE).fit(None)
    with pytest.raises(ValueError, match="convention"):
        EEGHjorth(convention="x", sfreq=sf, ch_names=MUSE).fit(None)
    ext = EEGBandPower(bands={"high": (60.0, 100.0)}, sfreq=100.0, ch_names=MUSE).fit(None)
    with pytest.raises(Exception, match="Nyquist"):
        ext.transform(x[:, :, :500])
    ext = EEGHjorth(sfreq=sf, ch_names=MUSE).fit(None)
    with pytest.raises(Exception, match="channels"):
        ext.transform([(x[0, :3], sf, MUSE[:3])])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        EEGHjorth(sfreq=sf, ch_names=MUSE).fit_transform(x)


def test_muse_csv_windows_skip_gaps_and_aux():
    from emofeat.runner import run

    path = shared_path("eeg", "muse_mental_state", "subjectb-relaxed-2.csv")
    ext = EEGHjorth()
    res = run([str(path)], [ext], segment=4.0, hop=2.0, on_error="raise")
    table = res.table
    names = list(table.feature_names)
    assert not any("AUX" in n for n in names) and "eeg_hjorth_mobility_AF7" in names
    ident = table.index
    # the file has gaps: one stretch per 'epoch', windows inside a stretch
    assert ident["epoch"].nunique() > 1
    import pandas as pd

    t = pd.read_csv(path)["timestamps"].to_numpy()
    from emofeat.eeg_input import read_recording

    rec = read_recording(path)
    edges = np.array([0, *rec.breaks, rec.n_times])
    for e, start, end in zip(ident["epoch"], ident["start"], ident["end"], strict=True):
        # on the file's clock: its stretch's first stamp (less the file's first) plus the
        # samples within the stretch
        a = edges[e] + int(round((start - rec.stretch_starts[e]) * rec.sfreq))
        b = edges[e] + int(round((end - rec.stretch_starts[e]) * rec.sfreq))
        assert b <= edges[e + 1] and t[b - 1] - t[a] < (b - a) * 1.5 / rec.sfreq


def test_extract_recordings_with_ids_and_baseline():
    from emofeat.eeg_input import EEGRecording, extract_recordings

    rng = np.random.default_rng(5)
    names = ("AF3", "F7", "F3", "F4", "F8", "AF4")
    recs = []
    for s in range(2):
        for t in range(2):
            x = rng.standard_normal((6, 128 * 6)) * (1 + s)
            recs.append(
                EEGRecording(
                    x,
                    128.0,
                    names,
                    f"<subject {s} trial {t}>",
                    {"subject": f"0{s}", "trial": t + 1, "valence": float(t)},
                    (),
                    x.copy(),
                )
            )
    table = extract_recordings(recs, "eeg_de,eeg_asymmetry", segment=2.0, hop=1.0)
    assert list(table.index.columns[:4]) == ["path", "subject", "trial", "valence"]
    assert table.X.shape[0] == 4 * 5 and table.index["path"].iloc[0] == "<subject 0 trial 0>"
    assert table.feature_names[0] == "eeg_de_delta_AF3"
    # with the baseline equal to the stimulus, subtracting its mean features centres each trial
    corrected = extract_recordings(recs, ["eeg_de"], segment=2.0, hop=1.0, baseline="subtract")
    for _, rows in corrected.index.groupby(["subject", "trial"]).groups.items():
        np.testing.assert_allclose(corrected.X[rows].mean(axis=0), 0.0, atol=1e-9)
    plain = extract_recordings(recs, ["eeg_de"], segment=2.0, hop=1.0)
    np.testing.assert_allclose(
        plain.X - corrected.X,
        np.repeat([plain.X[i * 5 : (i + 1) * 5].mean(0) for i in range(4)], 5, axis=0),
        atol=1e-9,
    )


def test_smooth_table_per_recording():
    from emofeat.eeg_input import EEGRecording, extract_recordings, smooth_table

    rng = np.random.default_rng(6)
    names = ("AF3", "AF4")
    recs = [
        EEGRecording(rng.standard_normal((2, 128 * 8)), 128.0, names, f"<r{i}>", {"trial": i})
        for i in range(2)
    ]
    table = extract_recordings(recs, ["eeg_de", "eeg_hjorth"], segment=1.0)
    smoothed = smooth_table(table, process_var=0.01, obs_var=1.0)
    de = [i for i, n in enumerate(table.feature_names) if n.startswith("eeg_de_")]
    other = [i for i, n in enumerate(table.feature_names) if not n.startswith("eeg_de_")]
    np.testing.assert_array_equal(smoothed.X[:, other], table.X[:, other])
    for path in ("<r0>", "<r1>"):
        rows = np.flatnonzero(table.index["path"] == path)
        expect = E.lds_smooth(table.X[np.ix_(rows, de)], process_var=0.01, obs_var=1.0)
        np.testing.assert_allclose(smoothed.X[np.ix_(rows, de)], expect, rtol=1e-12)
    assert np.var(np.diff(smoothed.X[:, de], axis=0)) < np.var(np.diff(table.X[:, de], axis=0))


def test_band_power_multitaper(muse_epochs):
    pytest.importorskip("mne")
    x, sf = muse_epochs
    ext = EEGBandPower(kinds=("rel", "db"), psd_method="multitaper", sfreq=sf, ch_names=MUSE)
    X = ext.fit_transform(x[:2])
    ref = E.band_power_features(
        x[:2], sf, kinds=("relative", "db"), total_band=(1.0, 45.0), psd_method="multitaper"
    )
    np.testing.assert_allclose(_col(ext, X, "eeg_bands_rel_alpha_AF7"), ref["relative"][:, 1, 2])
    np.testing.assert_allclose(_col(ext, X, "eeg_bands_db_beta_TP10"), ref["db"][:, 3, 3])


@pytest.mark.parametrize("cls, param, value", [
    ("EEGBandPower", "kinds", None), ("EEGBandPower", "kinds", 3),
    ("EEGBandPower", "kinds", "abs"), ("EEGBandPower", "kinds", ("abs", "abs")),
    ("EEGAsymmetry", "kinds", None), ("EEGAsymmetry", "kinds", ()),
    ("EEGStats", "stats", None), ("EEGStats", "stats", "mean"),
    ("EEGStats", "stats", ["mean", 1]),
])
def test_name_list_parameters_are_named_when_not_a_list_of_names(cls, param, value):
    # None or a number gave "'NoneType' object is not iterable" from tuple(); a bare string
    # would be read as its characters
    import emofeat.extractors as extractors

    ext = getattr(extractors, cls)(sfreq=128.0, ch_names=["AF3", "AF4", "F3", "F4"],
                                   **{param: value})
    with pytest.raises(ValueError, match=f"^{param} must be a sequence of distinct names"):
        ext.fit()


@pytest.mark.parametrize("value", [0.5, None, "0.5", ("a", 0.9), (0.5, 0.5), (0.0,), (1.0,)])
def test_spectral_edges_that_are_not_distinct_fractions_are_named(value):
    # a bare number or None gave "'float' object is not iterable" (TypeError) from tuple();
    # non-numbers "'<' not supported" from the comparison
    ext = EEGSpectral(edges=value, sfreq=128.0, ch_names=["AF3", "AF4"])
    with pytest.raises(ValueError, match=r"^edges must be a sequence of distinct fractions in "
                       r"\(0, 1\)") as err:
        ext.fit()
    assert str(err.value).endswith(f"got {value!r}")


@pytest.mark.parametrize("raw, name", [("EEG_F3", "F3"), ("EEG-Fp1", "FP1"), ("EEG Fp1", "FP1"),
                                       ("eeg_Cz", "CZ"), ("EEG-T3-REF", "T7")])
def test_an_eeg_prefix_is_stripped_whatever_joins_it(raw, name):
    # r"^(EEG|EEG_|EEG-)" matched "EEG" first: "EEG_F3" became "_F3" and found no pair
    assert E.normalise_channel_name(raw) == name


def test_faa_with_the_filter_method_refuses_an_alpha_band_without_a_bin():
    # FAA is a Welch alpha power whatever the method; with method="filter" nothing was
    # checked and FAA was NaN without a word, where method="psd" names the band
    from emofeat.errors import InputError, TooShortError

    x = np.random.default_rng(0).standard_normal((4, 1024))
    names = ["TP9", "AF7", "AF8", "TP10"]
    narrow = {"alpha": (10.2, 10.7), "beta": (13.0, 30.0)}
    for method in ("psd", "filter"):
        with pytest.raises(InputError, match="band alpha"):
            EEGAsymmetry(bands=narrow, method=method).fit_transform([(x, 256.0, names)])
        with pytest.raises(TooShortError, match="too short for the 'eeg_asymmetry' set"):
            EEGAsymmetry(method=method).fit_transform([(x[:, :18], 256.0, names)])
    assert EEGAsymmetry(method="filter").min_samples(256.0) > 1
    assert EEGAsymmetry(method="filter", kinds=("dasm",)).min_samples(256.0) == 1


def test_hjorth_of_overlapping_windows_on_a_dc_offset(muse_epochs):
    """Windows that share blocks sum squares per block: on a large DC offset (raw DC-coupled
    EEG) that lost the variance to cancellation (1e-11 relative at 1e6 uV); the rows are now
    shifted by their mean first, and agree with each window computed alone."""
    x, sf = muse_epochs
    rec = np.ascontiguousarray(np.concatenate(list(x), axis=1))  # 20 s
    a = np.arange(0, rec.shape[1] - 1024 + 1, 128, dtype=np.int64)  # 4 s every 0.5 s
    b = a + 1024
    for offset in (0.0, 1e4, 1e6, 1e8):
        y = rec + offset
        got = E._hjorth_at(y, a, b, "hjorth")
        assert E._layout(a, b)[1]  # the block path
        for k in (0, len(a) // 2, len(a) - 1):
            w = y[:, a[k]:b[k]]
            d1, d2 = np.diff(w, axis=1), np.diff(w, n=2, axis=1)
            act = w.var(axis=1)
            mob = np.sqrt(d1.var(axis=1) / act)
            cpx = np.sqrt(d2.var(axis=1) / d1.var(axis=1)) / mob
            np.testing.assert_allclose(got[k], np.stack([act, mob, cpx], axis=1), rtol=1e-12)


def test_no_numpy_warning_for_an_inf_sample_in_windows():
    x = np.random.default_rng(1).standard_normal((4, 2048))
    x[3, 500] = np.inf
    ext = EEGBandPower(sfreq=256.0, ch_names=["TP9", "AF7", "AF8", "TP10"]).fit()
    with pytest.warns(E.EEGChannelWarning, match="TP10"):  # the one warning there should be
        sig = ext.read((x, 256.0))[0]
    with warnings.catch_warnings():
        warnings.simplefilter("error", RuntimeWarning)
        rows = ext.features_of_windows(sig, np.array([[0, 1024], [1024, 2048]]))
    names = list(ext.get_feature_names_out())
    tp10 = [i for i, n in enumerate(names) if n.endswith("_TP10")]
    assert np.isnan(rows[0, tp10]).all() and np.isfinite(rows[1, tp10]).all()
