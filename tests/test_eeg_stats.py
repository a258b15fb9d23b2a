"""The EEG reader and the eeg_stats proof set, end to end: arrays, MNE objects and files in,
per-channel statistics equal to scipy's out, through the API, the CLI, parquet and evaluate."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from conftest import shared_path
from emofeat.extractors import EEGStats
from scipy import stats

from emofeat.errors import ChannelError, SignalTypeError
from emofeat.readers import EEGChannelWarning
from emofeat.table import FeatureTable

NAMES = ("AF3", "AF4", "F3", "F4")


def reference(x: np.ndarray) -> np.ndarray:
    """Statistic-major row of one (n_channels, n_times) recording, by scipy and numpy."""
    return np.concatenate([
        x.mean(axis=1), x.std(axis=1),
        stats.skew(x, axis=1, bias=True), stats.kurtosis(x, axis=1, fisher=True, bias=True),
        np.abs(np.diff(x, axis=1)).mean(axis=1),
    ])


def assert_matches(got: np.ndarray, x: np.ndarray) -> None:
    """Equal to the reference to 1e-9 relative; where a statistic is near 0 (a mean near 0
    of large samples, a skewness near 0), to 1e-10 of the samples' scale (volts) or 1e-9
    (dimensionless): the kernel sums in order, numpy pairwise."""
    want = reference(x)
    scale = np.abs(x).max()
    for k, (g, w) in enumerate(zip(np.split(got, 5), np.split(want, 5), strict=True)):
        atol = 1e-9 if k in (2, 3) else 1e-10 * scale
        np.testing.assert_allclose(g, w, rtol=1e-9, atol=atol)


@pytest.fixture(scope="module")
def brainvision():
    mne = pytest.importorskip("mne")
    path = shared_path("eeg", "mne_testdata", "test.vhdr")
    return path, mne.io.read_raw_brainvision(path, preload=True, verbose="error")


def test_statistics_equal_scipy_on_real_eeg(brainvision):
    """BrainVision 32 channels, 1000 Hz, 7.9 s of real EEG (rtol 1e-9: both are float64
    two-pass moments)."""
    path, raw = brainvision
    raw = raw.copy().pick("eeg")
    ext = EEGStats().fit([raw])
    got = ext.transform([raw])
    assert_matches(got[0], raw.get_data())
    assert ext.get_feature_names_out()[0] == f"eeg_stats_mean_{raw.ch_names[0]}"
    assert len(ext.get_feature_names_out()) == 5 * len(raw.ch_names)


def test_epochs_give_one_row_each_never_downmixed(brainvision):
    mne = pytest.importorskip("mne")
    _, raw = brainvision
    raw = raw.copy().pick("eeg")
    epochs = mne.make_fixed_length_epochs(raw, duration=2.0, preload=True, verbose="error")
    X = EEGStats().fit_transform(epochs)
    data = epochs.get_data()
    assert X.shape == (len(epochs), 5 * data.shape[1])
    for e in range(len(epochs)):
        assert_matches(X[e], data[e])


def test_arrays_in_mne_layout_with_rate_and_names():
    rng = np.random.default_rng(0)
    x = rng.standard_normal((6, 4, 512)) * 1e-5
    ext = EEGStats(sfreq=128, ch_names=NAMES)
    X = ext.fit_transform(x)
    assert X.shape == (6, 20)
    assert_matches(X[3], x[3])
    assert list(ext.get_feature_names_out()[:2]) == ["eeg_stats_mean_AF3", "eeg_stats_mean_AF4"]
    # the same recording as (array, sfreq, names) pairs
    X2 = EEGStats().fit_transform([(x[k], 128.0, NAMES) for k in range(6)])
    np.testing.assert_array_equal(X, X2)


def test_bad_eeg_is_refused_naming_input_and_channel():
    x = np.random.default_rng(0).standard_normal((4, 256))
    ext = EEGStats(sfreq=128, ch_names=NAMES).fit()
    bad = x.copy()
    bad[2, 10] = np.nan
    with pytest.warns(EEGChannelWarning, match=r"<array 0>.*channel\(s\) F3"):
        row = ext.transform([(bad, 128.0, NAMES)])[0].reshape(5, 4)
    assert np.isnan(row[:, 2]).all() and np.isfinite(row[:, [0, 1, 3]]).all()
    with pytest.raises(ChannelError, match="differ"):
        ext.transform([(x, 128.0, ("A", "B", "C", "D"))])
    with pytest.raises(SignalTypeError, match="never resampled"):
        ext.transform([(x, 256.0, NAMES)])
    with pytest.raises(SignalTypeError, match=r"\(n_channels, n_times\)"):
        EEGStats(sfreq=128).fit([np.random.default_rng(0).standard_normal((5000, 300))])
    with pytest.raises(SignalTypeError, match="needs its rate"):
        EEGStats().fit([x])
    flat = x.copy()
    flat[1] = 3.0  # a flat channel: defined values, skewness and kurtosis 0
    row = ext.transform([(flat, 128.0, NAMES)])[0].reshape(5, 4)
    assert row[1, 1] == 0.0 and row[2, 1] == 0.0 and row[3, 1] == 0.0 and row[4, 1] == 0.0


def test_files_through_mne_windows_parquet_and_evaluate(tmp_path):
    """Muse-like CSV recordings (timestamp column) of two 'subjects' x two states through the
    CLI with 2 s windows, to parquet, then a subject-independent evaluation."""
    from emofeat.cli import main

    rng = np.random.default_rng(1)
    rows = []
    for subject in ("a", "b", "c"):
        for state, scale in (("calm", 1.0), ("busy", 3.0)):
            t = 1.6e9 + np.arange(256 * 8) / 256
            data = rng.standard_normal((4, t.size)) * scale
            df = pd.DataFrame({"timestamps": t, **{c: data[k] for k, c in enumerate(NAMES)}})
            path = tmp_path / f"subject{subject}-{state}.csv"
            df.to_csv(path, index=False)
            rows.append({"path": str(path), "subject": subject, "state": state})
    manifest = tmp_path / "m.csv"
    pd.DataFrame(rows).to_csv(manifest, index=False)
    out = tmp_path / "eeg.parquet"
    assert main(["extract", "--set", "eeg_stats", str(manifest), "-o", str(out), "-q",
                 "--segment", "2s", "--hop", "1s"]) == 0
    table = FeatureTable.read_parquet(out)
    assert len(table) == 6 * 7  # 8 s in 2 s windows every 1 s
    assert {"subject", "state", "start", "end", "epoch"} <= set(table.index.columns)
    assert "orig_sr" not in table.index.columns  # audio identity only for audio
    assert table.provenance["modality"] == "eeg"
    assert "eeg_stats_std_AF3" in table.feature_names
    # a window's row equals the statistics of that window's samples
    first = pd.read_csv(rows[0]["path"])[list(NAMES)].to_numpy().T
    assert_matches(table.X[1], first[:, 256:768])
    from emofeat.classifiers import evaluate

    res = evaluate(table, target="state", groups="subject", model="logreg")
    assert res.summary()  # runs end to end on EEG windows
    assert res.scores["uar"] > 0.9  # std differs threefold between states


def test_warmup_input_is_the_class_own():
    ext = EEGStats(sfreq=256.0, ch_names=("Fz", "Cz"))
    x, sfreq, names = ext.warmup_input()
    assert x.shape[0] == 2 and sfreq == 256.0 and names == ("Fz", "Cz")
    ext.warmup()
    assert not hasattr(ext, "channels_")  # warm-up runs on a clone
