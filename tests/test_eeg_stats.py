"""The EEG reader and the eeg_stats proof set, end to end: arrays, MNE objects and files in,
per-channel statistics equal to scipy's out, through the API, the CLI, parquet and evaluate."""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest
from conftest import shared_path
from emofeat.extractors import EEGStats
from emofeat.extractors.eeg_stats import STATS
from scipy import stats

from emofeat.errors import ChannelError, SignalTypeError, TooShortError
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


def test_a_flat_channel_of_a_long_recording_gets_its_defined_values():
    """A flat channel (an electrode held at one value) gets std, skewness, kurtosis and line
    length exactly 0 and its value as mean, however long the recording: the 24 Muse files
    end to end (over 300,000 samples, 20+ min at 250 Hz) with AF7 held at its first sample
    gave a mean 1.3e-10 uV off, std 1.3e-10 uV, skewness -1 and kurtosis -2 (the rounding of
    the sum taken for spread). The other channels still equal scipy (rtol 1e-9)."""
    import glob

    files = sorted(glob.glob(str(shared_path("eeg", "muse_mental_state") / "*.csv")))
    x = np.concatenate([pd.read_csv(f, usecols=["TP9", "AF7", "AF8", "TP10"])
                        .to_numpy(np.float64).T for f in files], axis=1)
    assert x.shape[1] > 300_000
    held = x[1, 0]
    x[1] = held
    row = EEGStats().fit_transform([(np.ascontiguousarray(x), 250.0, NAMES)])[0]
    flat = row.reshape(5, 4)[:, 1]
    assert flat[0] == held and (flat[1:] == 0.0).all(), flat
    keep = [0, 2, 3]
    assert_matches(row.reshape(5, 4)[:, keep].reshape(-1), x[keep])


def test_skewness_and_kurtosis_do_not_depend_on_the_unit(brainvision):
    """Skewness and kurtosis are unit-free: the BrainVision recording scaled by 1e-9 (a
    standard deviation of ~1e-14, as MEG-sized values in tesla) equals scipy as in volts
    (rtol 1e-9). A spread below 1e-12 in absolute terms was taken for a flat channel and gave
    0 for both."""
    path, raw = brainvision
    eeg = raw.copy().pick("eeg")
    x = eeg.get_data()
    for scale in (1.0, 1e-9):
        got = EEGStats().fit_transform([(x * scale, eeg.info["sfreq"], eeg.ch_names)])[0]
        assert_matches(got, x * scale)


def test_how_the_statistics_relate_to_mne_features():
    """mne-features 0.3 on a real Muse recording (uV): mean, skewness and line length equal
    (rtol 1e-9, observed ~1e-13); its std has ddof=1 and its kurtosis is Pearson's, so they
    equal ours times sqrt(n / (n - 1)) and ours + 3 (docs/eeg.md says so)."""
    mf = pytest.importorskip("mne_features.univariate")
    x = pd.read_csv(shared_path("eeg", "muse_mental_state", "subjecta-relaxed-1.csv"),
                    usecols=["TP9", "AF7", "AF8", "TP10"]).to_numpy(np.float64).T
    mean, std, skew, kurt, line = EEGStats().fit_transform(
        [(np.ascontiguousarray(x), 250.0, NAMES)])[0].reshape(5, 4)
    n = x.shape[1]
    np.testing.assert_allclose(mean, mf.compute_mean(x), rtol=1e-9)
    np.testing.assert_allclose(std * np.sqrt(n / (n - 1)), mf.compute_std(x), rtol=1e-9)
    np.testing.assert_allclose(skew, mf.compute_skewness(x), rtol=1e-9)
    np.testing.assert_allclose(kurt + 3.0, mf.compute_kurtosis(x), rtol=1e-9)
    np.testing.assert_allclose(line, mf.compute_line_length(x), rtol=1e-9)


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


def test_bare_mne_objects_of_every_class_are_one_recording(brainvision):
    """Every MNE Raw and Epochs class given bare (not in a list) is one recording with its own
    rate and channel names, as ``[obj]`` is: ``mne.EpochsArray`` used to be split into bare
    arrays (channels ``ch0``.., the extractor's ``sfreq`` taken for its rate, silently)."""
    mne = pytest.importorskip("mne")
    from emofeat.extractors import EEGBandPower

    _, raw = brainvision
    raw = raw.copy().pick("eeg").crop(0.0, 6.0)
    rng = np.random.default_rng(0)
    info = mne.create_info(list(NAMES), 250.0, "eeg")
    objects = [
        mne.EpochsArray(rng.standard_normal((3, 4, 500)) * 1e-5, info, verbose="error"),
        mne.io.RawArray(rng.standard_normal((4, 1000)) * 1e-5, info, verbose="error"),
        mne.make_fixed_length_epochs(raw, duration=2.0, preload=True, verbose="error"),
        raw,
    ]
    for obj in objects:
        sfreq, names = obj.info["sfreq"], obj.ch_names
        for cls in (EEGStats, EEGBandPower):
            want = cls().fit_transform([obj])
            for given in (None, sfreq):  # with the extractor's sfreq, the object's own rate
                ext = cls(sfreq=given)
                np.testing.assert_array_equal(ext.fit_transform(obj), want)
                assert ext.channels_ == tuple(names), type(obj).__name__
    # the object's rate is checked against the extractor's: never analysed at another
    ep500 = mne.EpochsArray(rng.standard_normal((2, 4, 1000)) * 1e-5,
                            mne.create_info(list(NAMES), 500.0, "eeg"), verbose="error")
    for X in (ep500, [ep500]):
        with pytest.raises(SignalTypeError, match="sampled at 500 Hz, the extractor expects 250"):
            EEGBandPower(sfreq=250.0).fit_transform(X)


@pytest.mark.parametrize("cls_name", ["EEGStats", "EEGBandPower", "EEGHjorth"])
def test_ch_names_given_as_one_string_is_refused_at_fit(cls_name):
    """``ch_names="Cz"`` is a ValueError naming ``ch_names`` at fit (sklearn's rule:
    parameters are checked at fit), not two channels "C" and "z"."""
    import emofeat.extractors as X

    cls = getattr(X, cls_name)
    x = np.random.default_rng(0).standard_normal((1, 1000))
    for ch_names in ("Cz", b"Cz"):
        for fit in (lambda e: e.fit(), lambda e: e.fit([x]), lambda e: e.fit_transform([x])):
            with pytest.raises(ValueError, match=r"ch_names must be a sequence .*'Cz'"):
                fit(cls(sfreq=250.0, ch_names=ch_names))
    assert cls(sfreq=250.0, ch_names=["Cz"]).fit([x]).channels_ == ("Cz",)


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
    with pytest.warns(EEGChannelWarning, match=r"<array 0>.*channel F3: its"):
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


def test_a_channel_with_an_inf_sample_gets_nan_for_every_statistic():
    """A channel with a NaN, +inf or -inf sample (or both infinities) gets NaN for all five
    statistics, as the reader's warning says and the other EEG sets do (an inf sample gave an
    infinite mean and line length); the other channels are untouched, bit for bit; the same
    through the windows of a recording. Huge finite samples are not flagged."""
    rng = np.random.default_rng(0)
    x = rng.standard_normal((4, 1000))
    good = EEGStats().fit_transform([(x, 250.0, NAMES)])[0].reshape(5, 4)
    for values in ([np.nan], [np.inf], [-np.inf], [np.inf, -np.inf]):
        bad = x.copy()
        bad[1, 5:5 + len(values)] = values
        ext = EEGStats()
        with pytest.warns(EEGChannelWarning, match=r"<array 0>.*channel AF4: its "
                          "features are NaN"):
            row = ext.fit_transform([(bad, 250.0, NAMES)])[0].reshape(5, 4)
        assert np.isnan(row[:, 1]).all(), (values, row[:, 1])
        np.testing.assert_array_equal(row[:, [0, 2, 3]], good[:, [0, 2, 3]])
        with pytest.warns(EEGChannelWarning):
            rows = ext.features_of_windows(ext.read((bad, 250.0, NAMES))[0],
                                           [(0, 500), (500, 1000)]).reshape(2, 5, 4)
        assert np.isnan(rows[0, :, 1]).all() and np.isfinite(rows[1]).all()
    huge = x.copy()
    huge[1] = np.where(np.arange(1000) % 2, 1.0e308, 1.5e308)  # finite, its sum overflows
    with warnings.catch_warnings():
        warnings.simplefilter("error", EEGChannelWarning)
        row = EEGStats().fit_transform([(huge, 250.0, NAMES)])[0].reshape(5, 4)
    assert np.isfinite(row[:, [0, 2, 3]]).all()  # not a flagged one
    # its statistics, by definition (two values alternating): the sum's overflow gave a mean
    # of inf until session 57 (tests/test_eeg_stats_scale57.py); rtol 1e-12 for the rounding
    # of sums in order of 1,000 samples (3e-14 seen)
    np.testing.assert_allclose(row[:, 1], [1.25e308, 0.25e308, 0.0, -2.0, 0.5e308],
                               rtol=1e-12, atol=1e-12)


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


@pytest.mark.parametrize("n", [1, 2, 3])
def test_too_short_recordings_raise_naming_input_length_and_minimum(n):
    """Under 4 samples the kurtosis no longer depends on them (-2 with 2, -1.5 with 3): a
    recording that short is ``TooShortError`` naming it, its length and the minimum, as the
    other EEG sets (it was a row of finite zeros), from any input the reader takes."""
    x = np.random.default_rng(0).standard_normal((4, 256))
    ext = EEGStats(sfreq=128, ch_names=NAMES).fit()
    with pytest.raises(TooShortError) as exc:
        ext.transform([(x, 128.0, NAMES), (x[:, :n], 128.0, NAMES)])
    message = str(exc.value)
    # counted in the singular for 1 ('1 sample(s) (...) are too short' before)
    said = "1 sample (0.00781 s at 128 Hz) is" if n == 1 else f"{n} samples ("
    assert message.startswith(f"<array 1>: {said}"), message
    assert "'eeg_stats' set: kurtosis needs 4 samples" in message
    with pytest.raises(TooShortError, match=r"<array 0>: .*needs 4 samples"):
        ext.transform(x[None, :, :n])  # epochs
    with pytest.raises(TooShortError, match="needs 4 samples"):
        EEGStats().fit_transform([(x[:, :n], 128.0, NAMES)])  # learning the channels first
    assert_matches(ext.transform([x[:, :4]])[0], x[:, :4])  # 4 samples are enough
    assert ext.min_samples() == 4


@pytest.mark.parametrize(("chosen", "need"), [
    (("mean",), 1), (("mean", "std"), 2), (("line_length",), 2), (("skew", "mean"), 3),
    (("mean", "kurtosis"), 4), (STATS, 4),
])
def test_the_minimum_is_what_the_chosen_statistics_need(chosen, need):
    """mean 1 sample, std and line length 2, skewness 3, kurtosis 4: the fewest from which
    each depends on the samples; the set needs the most of its ``stats``."""
    x = np.random.default_rng(2).standard_normal((4, 16))
    ext = EEGStats(stats=chosen, sfreq=128, ch_names=NAMES).fit()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # scipy's moments of one sample
        want = reference(x[:, :need]).reshape(5, 4)[[STATS.index(s) for s in chosen]]
    got = ext.transform([x[:, :need]])[0]
    np.testing.assert_allclose(got, want.reshape(-1), rtol=1e-9, atol=1e-9)
    if need > 1:
        with pytest.raises(TooShortError, match=f"{need - 1} sample.*needs {need} samples"):
            ext.transform([x[:, : need - 1]])
    assert ext.min_samples() == need


def test_too_short_recordings_are_rows_of_the_errors_table_of_the_cli(tmp_path):
    """``emofeat extract --set eeg_stats``: a 1-sample FIF and a 3-sample CSV are rows of
    the errors table (TooShortError, naming the minimum), the good file is extracted, exit 3."""
    mne = pytest.importorskip("mne")
    from emofeat.cli import EXIT_SOME_FAILED, main

    rng = np.random.default_rng(3)
    info = mne.create_info(list(NAMES), 128.0, "eeg")
    paths = []
    for name, n in (("one_raw.fif", 1), ("good_raw.fif", 512)):
        raw = mne.io.RawArray(rng.standard_normal((4, n)) * 1e-5, info, verbose="error")
        raw.save(tmp_path / name, verbose="error")
        paths.append(str(tmp_path / name))
    three = tmp_path / "three.csv"
    pd.DataFrame({"timestamps": 1.6e9 + np.arange(3) / 128,
                  **{c: rng.standard_normal(3) for c in NAMES}}).to_csv(three, index=False)
    paths.insert(1, str(three))
    out = tmp_path / "out.parquet"
    assert main(["extract", "--set", "eeg_stats", *paths, "-o", str(out), "-q"]) \
        == EXIT_SOME_FAILED
    errors = pd.read_csv(tmp_path / "out.errors.csv")
    assert errors["path"].tolist() == paths[:2]
    assert errors["error_type"].tolist() == ["TooShortError"] * 2
    assert errors["stage"].tolist() == ["extract"] * 2
    assert "1 sample (" in errors["message"][0] and "3 samples (" in errors["message"][1]
    assert errors["message"].str.contains("kurtosis needs 4 samples").all()
    table = FeatureTable.read_parquet(out)
    assert table.index["path"].tolist() == [paths[2]] and np.isfinite(table.X).all()
