"""EEG recordings the way users meet them (a bug hunt): each test reproduces a defect
found on real files and fails on the code before its fix."""

from __future__ import annotations

import numpy as np
import pytest
from conftest import shared_path
from emofeat.extractors.eeg_sets import EEGBandPower

from emofeat.errors import EmptyInputError

mne = pytest.importorskip("mne")


def _raw_with_other_channels():
    """The BrainVision test file (1000 Hz, 32 EEG channels) with an EOG, a misc, a stim channel
    and a bad EEG channel, as recordings come from a lab."""
    raw = mne.io.read_raw(shared_path("eeg", "mne_testdata", "test.vhdr"), preload=True,
                          verbose="error").crop(0, 4)
    types = raw.get_channel_types()[:-2] + ["misc", "eog", "stim"]
    stim = np.zeros((1, raw.n_times))
    stim[0, ::700] = 5.0  # trigger codes: not flat, so they would pass as a channel
    raw = mne.io.RawArray(np.vstack([raw.get_data(), stim]),
                          mne.create_info(raw.ch_names + ["STI 014"], raw.info["sfreq"], types),
                          verbose="error")
    raw.info["bads"] = [raw.ch_names[0]]
    return raw


def test_mne_objects_and_their_files_give_the_data_channels(tmp_path):
    # an MNE Raw or Epochs object gave features of its EOG, misc and stim channels too,
    # while the FIF file it was saved to gave the EEG channels only
    raw = _raw_with_other_channels()
    eeg = raw.copy().pick("data", exclude=[])
    assert not {"STI 014", raw.ch_names[-2], raw.ch_names[-3]} & set(eeg.ch_names)
    assert eeg.ch_names[0] in raw.info["bads"]
    epochs = mne.make_fixed_length_epochs(raw, duration=1.0, preload=True, verbose="error")
    raw.save(tmp_path / "rec_raw.fif", verbose="error")
    epochs.save(tmp_path / "rec-epo.fif", verbose="error")

    def bands(items):
        ext = EEGBandPower(sfreq=1000.0)
        return ext.fit_transform(items), ext.channels_

    ref, names = bands([(eeg.get_data(), 1000.0, tuple(eeg.ch_names))])
    assert names == tuple(eeg.ch_names)  # bad channels are kept: the montage stays fixed
    for item, rtol in ((raw, 1e-12), (str(tmp_path / "rec_raw.fif"), 1e-5)):
        got, got_names = bands([item])
        assert got_names == names
        np.testing.assert_allclose(got, ref, rtol=rtol)  # FIF stores float32: power 2e-6
    ref_ep, _ = bands([(epochs.get_data(picks=eeg.ch_names), 1000.0, tuple(eeg.ch_names))])
    for item, rtol in ((epochs, 1e-12), (str(tmp_path / "rec-epo.fif"), 1e-5)):
        got, got_names = bands([item])
        assert got_names == names
        np.testing.assert_allclose(got, ref_ep, rtol=rtol)


def test_mne_object_without_data_channel_is_refused_naming_it():
    raw = mne.io.RawArray(np.random.default_rng(0).standard_normal((2, 512)),
                          mne.create_info(["EOG1", "STI 014"], 256.0, ["eog", "stim"]),
                          verbose="error")
    with pytest.raises(EmptyInputError, match="no EEG .data. channel.*eog"):
        EEGBandPower(sfreq=256.0).fit_transform([raw])


def test_eeg_typed_channels_all_labelled_as_other_signals_are_named():
    """Every channel of an EEG type (an EDF's) labelled as another signal, a bare word too:
    the error said "no EEG (data) channel among its channel types ['eeg']"."""
    raw = mne.io.RawArray(np.random.default_rng(0).standard_normal((3, 512)),
                          mne.create_info(["EOG VEOG", "ECG ECG1", "ECG"], 256.0, "eeg"),
                          verbose="error")
    with pytest.raises(EmptyInputError, match=r"no EEG .data. channel: its EEG-typed channels "
                       r"are labelled as other signals \(EOG VEOG, ECG ECG1, ECG\)"):
        EEGBandPower(sfreq=256.0).fit_transform([raw])


def test_csv_with_a_repeated_channel_name_is_refused_naming_it(tmp_path):
    # pandas renamed the second AF7 column to "AF7.1", which passed as a channel of its own
    # (features "..._AF7.1"); an array with repeated names is refused by the reader
    import pandas as pd

    from emofeat.eeg_input import EEGChannelError, read_recording

    src = shared_path("eeg", "muse_mental_state", "subjecta-neutral-1.csv")
    lines = open(src).read().splitlines()[:600]
    assert lines[0] == "timestamps,TP9,AF7,AF8,TP10,Right AUX"
    path = tmp_path / "dup.csv"
    path.write_text("\n".join(["timestamps,TP9,AF7,AF7,TP10,Right AUX", *lines[1:]]) + "\n")
    with pytest.raises(EEGChannelError, match=r"dup\.csv.*repeat.*'AF7'"):
        read_recording(path)
    with pytest.raises(EEGChannelError, match="repeat"):
        EEGBandPower(sfreq=256.0).fit_transform([str(path)])
    # distinct names that pandas would also write are kept as they are
    other = tmp_path / "other.csv"
    other.write_text("\n".join(["timestamps,TP9,AF7,AF7.1,TP10,Right AUX", *lines[1:]]) + "\n")
    assert read_recording(other).ch_names == ("TP9", "AF7", "AF7.1", "TP10")
    assert pd.read_csv(other).shape[1] == 6


def test_physionet_dotted_labels_pair_as_their_names():
    # the EEG Motor Movement/Imagery EDF files pad labels with dots ("Fc5.", "Fp1.", "T9..");
    # none of them paired, so eeg_asymmetry refused the montage at fit
    from emofeat.extractors.eeg import caudal_pairs, symmetric_pairs

    dotted = ["Fc5.", "Fc6.", "Cp5.", "Cp6.", "Fp1.", "Fp2.", "T9..", "T10.", "Fpz.", "Iz.."]
    plain = [n.rstrip(".") for n in dotted]
    assert symmetric_pairs(dotted) == symmetric_pairs(plain) == [(0, 1), (2, 3), (4, 5), (6, 7)]
    assert caudal_pairs(dotted) == caudal_pairs(plain) != []


def test_acquisition_skips_split_files_and_raw_objects_as_read_recording(tmp_path):
    # a BAD_ACQ_SKIP annotation (a hole in an EDF+D or FIF recording, which MNE fills with
    # zeros) was a break for read_recording only, and its samples were kept: the path of the
    # same file and its Raw gave one row spanning the hole
    from emofeat.eeg_input import read_recording
    from emofeat.runner import run

    raw = mne.io.read_raw(shared_path("eeg", "mne_testdata", "test.vhdr"), preload=True,
                          verbose="error")
    raw.set_annotations(mne.Annotations([3.3, 6.0], [1.0, 0.0], ["BAD_ACQ_SKIP"] * 2))
    path = tmp_path / "skip_raw.fif"
    raw.save(path, verbose="error")
    raw = mne.io.read_raw(path, preload=True, verbose="error")
    # get_data's exclude is MNE 1.7's: the channels picked first, as mne>=1.6 allows 1.6
    picked = raw.copy().pick("data", exclude=[])
    x, names = picked.get_data(), tuple(picked.ch_names)
    stretches = [(x[:, a:b], 1000.0, names) for a, b in ((0, 3300), (4300, 6000), (6000, None))]
    ref = EEGBandPower(sfreq=1000.0).fit_transform(stretches)
    rec = read_recording(path, picks=None)
    assert rec.breaks == (3300, 5000) and rec.n_times == x.shape[1] - 1000
    for item in (str(path), raw, rec):
        np.testing.assert_array_equal(EEGBandPower(sfreq=1000.0).fit_transform([item]), ref)
    table = run([str(path)], [EEGBandPower()], segment=2.0).table.to_pandas().reset_index()
    # timed on MNE's clock, raw.times, through the hole (session 54: each stretch from 0)
    got = table[["epoch", "start", "end"]].to_numpy()
    np.testing.assert_allclose(got, [[0, 0.0, 2.0], [0, 2.0, 3.3], [1, 4.3, 6.0],
                                     [2, 6.0, 7.9]], rtol=0, atol=1e-12)


@pytest.mark.parametrize("band", [(1.0, 4.0), (None, 40.0), (8.0, 13.0)])
def test_a_nan_sample_spoils_only_the_filter_outputs_it_enters(band):
    # one dropout sample in a Muse channel made NaN 52 % of the channel filtered by
    # filter_recording (the FFT blocks of the convolution, far longer than the filter); the
    # outputs beyond the filter's reach of it are those of the channel without it
    from emofeat.extractors.eeg import _fir

    from emofeat.eeg_input import filter_recording, read_recording

    rec = read_recording(shared_path("eeg", "muse_mental_state", "subjecta-relaxed-1.csv"))
    x = np.asarray(rec.data, dtype=np.float64)
    n_h = _fir(rec.sfreq, *band).shape[0]
    reach = np.arange(x.shape[1])
    for i in (5000, 2, x.shape[1] - 3):  # the middle and each padded edge
        y, z = x.copy(), x.copy()
        y[1, i], z[1, i] = np.nan, 0.0
        got = filter_recording(y, rec.sfreq, *band)
        ref = filter_recording(z, rec.sfreq, *band)
        near = np.abs(reach - i) <= (n_h - 1) // 2
        assert np.isnan(got[1, near]).all() and np.isfinite(got[1, ~near]).all()
        np.testing.assert_allclose(got[1, ~near], ref[1, ~near], rtol=0,
                                   atol=1e-12 * np.abs(ref[1]).max())
        np.testing.assert_array_equal(got[[0, 2, 3]], ref[[0, 2, 3]])
        # MNE's block-wise filter: NaN over more samples, the same values where it has some
        mne_out = mne.filter.filter_data(y, rec.sfreq, *band, verbose="error")
        assert np.isfinite(mne_out[1])[near].sum() == 0
        finite = np.isfinite(mne_out[1])
        np.testing.assert_allclose(got[1, finite], mne_out[1, finite], rtol=0,
                                   atol=1e-12 * np.abs(ref[1]).max())


@pytest.mark.parametrize("cls", ["EEGBandPower", "EEGDifferentialEntropy"])
def test_band_and_channel_names_that_run_into_one_another_are_refused(cls):
    # band 'alpha' with channel 'b_AF8' and band 'alpha_b' with channel 'AF8' both named
    # '..._alpha_b_AF8': transform gave two columns of one name, the runner said "the feature
    # sets produce clashing feature names ...; give each set once" of a single set
    from emofeat.extractors import eeg_sets

    from emofeat.eeg_input import read_recording
    from emofeat.runner import run

    rec = read_recording(shared_path("eeg", "muse_mental_state", "subjecta-relaxed-1.csv"))
    item = (np.asarray(rec.data)[:, :2048], 256.0, ["TP9", "AF7", "b_AF8", "AF8"])
    make = getattr(eeg_sets, cls)
    bands = {"alpha": (8.0, 13.0), "alpha_b": (13.0, 30.0)}
    with pytest.raises(ValueError, match=r"alpha_b_AF8.*more than once.*rename the bands"):
        make(bands=bands).fit([item])
    with pytest.raises(ValueError, match=r"alpha_b_AF8.*more than once"):
        run([item], [make(bands=bands)])
    # names that stay apart are unchanged
    est = make(bands={"alpha": (8.0, 13.0), "beta": (13.0, 30.0)}).fit([item])
    names = list(est.get_feature_names_out())
    assert len(set(names)) == len(names) and est.transform([item]).shape == (1, len(names))


def test_units_of_a_csv_are_refused_and_of_mne_files_named():
    # units="V" on a Muse CSV gave its microvolts as they are, silently (the CSV has no unit
    # to convert from); a unit MNE does not know failed after the read, without the name of
    # the parameter, and the Greek mu of "μV" was one of those
    from emofeat.eeg_input import read_recording

    csv = shared_path("eeg", "muse_mental_state", "subjecta-relaxed-1.csv")
    for units in ("V", "uV"):
        with pytest.raises(ValueError, match=r"subjecta-relaxed-1\.csv: units=.* CSV"):
            read_recording(csv, units=units)
    vhdr = shared_path("eeg", "mne_testdata", "test.vhdr")
    volts = read_recording(vhdr).data
    np.testing.assert_array_equal(read_recording(vhdr, units="\u03bcV").data,
                                  read_recording(vhdr, units="uV").data)
    np.testing.assert_allclose(read_recording(vhdr, units="uV").data, volts * 1e6, rtol=1e-12)
    for units in ("volts", "UV", 1e6):
        with pytest.raises(ValueError, match=r"units=.*: give volts"):
            read_recording(vhdr, units=units)


def test_extract_recordings_cuts_a_recording_at_its_gaps():
    # extract_recordings ran the recordings' tuples, which hold no breaks: on the Muse file
    # with 9 timestamp gaps, 20 windows of 4 s (some spanning a gap, one of 700 s) where 18
    # fit between them, and one row for the whole recording instead of one per stretch
    from emofeat.eeg_input import extract_recordings, read_recording
    from emofeat.runner import run

    rec = read_recording(shared_path("eeg", "muse_mental_state", "subjectb-relaxed-2.csv"),
                         ids={"subject": "b"})
    assert len(rec.breaks) == 9
    for window in ({"segment": 4.0, "hop": 2.0}, {}):
        got = extract_recordings([rec], [EEGBandPower()], **window)
        ref = run([rec], [EEGBandPower()], **window).table
        np.testing.assert_array_equal(got.X, ref.X)
        for column in ("path", "start", "end", "epoch"):
            assert got.index[column].tolist() == ref.index[column].tolist()
        assert set(got.index["subject"]) == {"b"}
        assert got.index["epoch"].max() == 9


def test_extract_recordings_names_the_recordings_in_warnings_and_errors():
    # the runner sees the recordings as <array k> (to match its rows back): a flat channel
    # of the second Muse file was "<array 1>: ... flat", a baseline too short for the set
    # "<array 0>: ... too short", naming no recording. Now each names its recording's source
    import re
    import warnings
    from dataclasses import replace

    from emofeat.extractors import eeg

    from emofeat.eeg_input import extract_recordings, read_recording
    from emofeat.errors import TooShortError

    paths = [shared_path("eeg", "muse_mental_state", f"subjecta-{s}-1.csv")
             for s in ("relaxed", "neutral")]
    recs = [read_recording(p, ids={"subject": "a"}) for p in paths]
    recs[1].data[1] = 7.0  # AF7 flat
    with warnings.catch_warnings(record=True) as rec:
        warnings.simplefilter("always")
        table = extract_recordings(recs, "eeg_de", segment=4.0)
    said = [str(w.message) for w in rec if issubclass(w.category, eeg.EEGChannelWarning)]
    assert len(said) == 1 and said[0].startswith(f"{paths[1]}: flat (constant) signal in "
                                                 "channel AF7 (15 of 15 windows)"), said
    assert table.index["path"].tolist()[-1] == str(paths[1])
    recs = [replace(r, baseline=r.data[:, :n].copy()) for r, n in zip(recs, (10, 1024),
                                                                        strict=True)]
    with warnings.catch_warnings(), pytest.raises(
            TooShortError, match=rf"^{re.escape(str(paths[0]))} \(baseline\): 10 samples"):
        warnings.simplefilter("ignore", eeg.EEGChannelWarning)  # AF7, named above
        extract_recordings(recs, "eeg_de", segment=4.0, baseline="subtract")


def test_extract_recordings_names_the_recording_in_the_problem_too():
    """Regression: only the error's source was renamed from ``<array k>``: a recording
    analysed at another rate than the one the sets were fitted at was refused as '...
    from the rate the set was fitted at, 256.02 Hz (<array 0>)', naming no recording."""
    import re
    from dataclasses import replace

    from emofeat.eeg_input import extract_recordings, read_recording
    from emofeat.errors import InputError

    paths = [shared_path("eeg", "muse_mental_state", f"subjecta-{s}-1.csv")
             for s in ("relaxed", "neutral")]
    first, second = (read_recording(p) for p in paths)
    half = replace(second, data=second.data[:, ::2].copy(), sfreq=float(second.sfreq) / 2)
    with pytest.raises(InputError) as got:
        extract_recordings([first, half], "eeg_hjorth")
    assert re.fullmatch(rf"{re.escape(str(paths[1]))}: analysed at 128\.\d+ Hz, more than 2% "
                        rf"from the rate the set was fitted at, 256\.02 Hz "
                        rf"\({re.escape(str(paths[0]))}\), the one rate a table records: .*",
                        str(got.value)), str(got.value)
    assert "<array" not in got.value.problem


def test_smoothing_a_trial_with_a_nan_window_keeps_the_others():
    # a channel NaN in one window (a dropout sample) made the LDS smoother's whole series of
    # that channel NaN, every window of the trial: the Kalman update took the NaN
    import warnings

    from emofeat.extractors.eeg import lds_smooth
    from emofeat.extractors.eeg_sets import EEGDifferentialEntropy

    from emofeat.eeg_input import read_recording, smooth_table
    from emofeat.runner import run

    rec = read_recording(shared_path("eeg", "muse_mental_state", "subjecta-relaxed-1.csv"))
    x = np.array(rec.data[:, : 30 * 256], dtype=np.float64)
    x[1, 10 * 256 + 5] = np.nan  # AF7, in the 1 s windows from 10 s
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # the NaN channel's warning
        table = run([(x, 256.0, list(rec.ch_names))], [EEGDifferentialEntropy()],
                    segment=1.0).table
    q, r = 0.01, 1.0
    smoothed = smooth_table(table, process_var=q, obs_var=r)
    cols = [i for i, n in enumerate(table.feature_names) if n.endswith("_AF7")]
    y = table.X[:, cols]
    assert np.isnan(y[10]).all() and np.isfinite(np.delete(y, 10, axis=0)).all()
    # the least-squares path of the windows observed: (W / r + D'D / q) z = W y / r
    n = y.shape[0]
    w = np.isfinite(y[:, 0]).astype(float)
    d = np.diff(np.eye(n), axis=0)
    z = np.linalg.solve(np.diag(w) / r + d.T @ d / q, np.nan_to_num(y) * w[:, None] / r)
    got = smoothed.X[:, cols]
    assert np.isnan(got[10]).all()
    np.testing.assert_allclose(np.delete(got, 10, axis=0), np.delete(z, 10, axis=0),
                               rtol=1e-9, atol=1e-9)
    # the channels without a NaN as before
    others = [i for i, n in enumerate(table.feature_names) if not n.endswith("_AF7")]
    np.testing.assert_allclose(smoothed.X[:, others],
                               lds_smooth(table.X[:, others], process_var=q, obs_var=r),
                               rtol=1e-12)


def test_baseline_correct_averages_the_baseline_windows_for_a_single_row():
    # a trial's features as one row (n_features,) with its baseline as windows
    # (n_windows, n_features) came back with one row per baseline window, each corrected by
    # one window instead of their mean; no window, or a 3-D array, had no clear error
    from emofeat.extractors.eeg_sets import EEGDifferentialEntropy

    from emofeat.eeg_input import baseline_correct, read_recording

    rec = read_recording(shared_path("eeg", "muse_mental_state", "subjecta-relaxed-1.csv"))
    x = np.asarray(rec.data, dtype=np.float64)
    de = EEGDifferentialEntropy(sfreq=256.0)
    trial = de.fit_transform([(x[:, 2560:5120], 256.0, list(rec.ch_names))])[0]
    base = de.transform([(x[:, a:a + 256], 256.0, list(rec.ch_names))
                         for a in range(0, 2560, 256)])
    got = baseline_correct(trial, base)
    assert got.shape == trial.shape
    np.testing.assert_allclose(got, trial - base.mean(axis=0), rtol=0, atol=1e-12)
    np.testing.assert_allclose(baseline_correct(trial, base, mode="ratio"),
                               trial / base.mean(axis=0), rtol=1e-12)
    with pytest.raises(ValueError, match="no windows"):
        baseline_correct(trial, base[:0])
    with pytest.raises(ValueError, match=r"shapes \(20,\) and \(2, 10, 20\)"):
        baseline_correct(trial, np.stack([base, base]))


def test_an_overlap_that_rounds_to_the_whole_segment_steps_one_sample():
    # overlap=0.999 of a 1 s segment at 256 Hz rounded to 256 samples, all of it: every set
    # and run failed with "need 0 <= n_overlap < n_per_seg", a parameter the user never gave
    from mne.time_frequency import psd_array_welch

    from emofeat.eeg_input import read_recording
    from emofeat.runner import run

    rec = read_recording(shared_path("eeg", "muse_mental_state", "subjecta-relaxed-1.csv"))
    x = np.asarray(rec.data, dtype=np.float64)[:, :2048]
    item = (x, 256.0, list(rec.ch_names))
    got = EEGBandPower(overlap=0.999, kinds=("abs",)).fit_transform([item])[0]
    psd, f = psd_array_welch(x, 256.0, n_fft=256, n_per_seg=256, n_overlap=255,
                             verbose="error")
    ref = np.stack([psd[:, (f >= lo) & (f < hi)].sum(-1) * (f[1] - f[0])
                    for lo, hi in ((1, 4), (4, 8), (8, 13), (13, 30), (30, 45))])
    np.testing.assert_allclose(got, ref.ravel(), rtol=1e-9)
    table = run([item], [EEGBandPower(overlap=0.999)], segment=2.0, hop=1.0).table
    assert table.shape[0] == 7 and np.isfinite(table.X).all()


def test_blanks_around_csv_header_names_are_not_part_of_the_channel(tmp_path):
    # "timestamps, TP9, AF7, ..." (a blank after each comma, as hand-written and some
    # exported CSVs have it) named the channels " TP9", ...: features "..._delta_ TP9", a
    # montage other than the same file's without blanks, so a model fitted on one refused
    # the other
    from emofeat.eeg_input import read_recording

    src = shared_path("eeg", "muse_mental_state", "subjectd-concentrating-2.csv")
    header, *rows = src.read_text().splitlines()
    spaced = tmp_path / "spaced.csv"
    spaced.write_text("\n".join([", ".join(header.split(",")), *rows]) + "\n")
    ref, got = read_recording(src), read_recording(spaced)
    assert got.ch_names == ref.ch_names == ("TP9", "AF7", "AF8", "TP10")
    np.testing.assert_array_equal(got.data, ref.data)
    assert read_recording(spaced, picks=["AF7", " TP10"]).ch_names == ("AF7", "TP10")
    est = EEGBandPower().fit([str(src)])
    np.testing.assert_array_equal(est.transform([str(spaced)]), est.transform([str(src)]))


def test_hjorth_on_a_dc_coupled_recording():
    # the BioSemi BDF is DC-coupled: channel offsets up to 0.26 V under a signal of ~1 uV.
    # The default (Hjorth 1970) parameters are those of the signal less its mean, in every
    # path; in mne-features' convention (a zero prepended before each difference: equal to
    # mne-features, test_eeg_features.py) the step from 0 to the offset dominates mobility
    from emofeat.extractors.eeg import hjorth_parameters
    from emofeat.extractors.eeg_sets import EEGHjorth

    from emofeat.runner import run

    raw = mne.io.read_raw_bdf(shared_path("eeg", "mne_testdata", "test.bdf"), preload=True,
                              verbose="error").pick("eeg")
    x = raw.get_data()
    assert np.abs(x.mean(axis=-1)).max() > 1e4 * x.std(axis=-1).min()
    centred = x - x.mean(axis=-1, keepdims=True)
    d1, d2 = np.diff(centred, axis=-1), np.diff(centred, n=2, axis=-1)
    mobility = np.sqrt(d1.var(-1) / centred.var(-1))
    textbook = np.stack([centred.var(-1), mobility,
                         np.sqrt(d2.var(-1) / d1.var(-1)) / mobility], axis=-1)
    names = list(raw.ch_names)
    np.testing.assert_allclose(hjorth_parameters(x), textbook, rtol=1e-7)
    got = EEGHjorth().fit_transform([(x, 2048.0, names)])[0].reshape(3, -1).T
    np.testing.assert_allclose(got, textbook, rtol=1e-7)
    table = run([(x, 2048.0, names)], [EEGHjorth()], segment=0.25, hop=0.0625).table
    for row, start in zip(table.X, table.index["start"], strict=True):
        a = int(round(start * 2048))
        w = x[:, a:a + 512]
        np.testing.assert_allclose(row.reshape(3, -1).T, hjorth_parameters(w - w.mean(-1)[:, None]),
                                   rtol=1e-7)
    mfc = hjorth_parameters(x, convention="mne_features")
    assert (mfc[:, 1] / mobility).max() > 10


def test_edf_channels_labelled_as_another_signal_are_not_eeg(tmp_path):
    # MNE types every channel of an EDF file EEG: the test file's "EOG VEOG_I", "ECG ECG1"
    # and trigger "DIG DTRIG" channels got band powers of blinks, heartbeats and trigger
    # codes, by path, as a Raw object and through read_recording
    from emofeat.eeg_input import read_recording

    path = shared_path("eeg", "mne_testdata", "test_edf_stim_channel.edf")
    raw = mne.io.read_raw_edf(path, preload=True, verbose="error")
    assert set(raw.get_channel_types()) == {"eeg"}
    # MNE's own reading of the labels' types (it renames the channels, dropping the type)
    typed = mne.io.read_raw_edf(path, infer_types=True, verbose="error")
    others = [raw.ch_names[i] for i, k in enumerate(typed.get_channel_types()) if k != "eeg"]
    assert others == ["EOG VEOG_I", "EOG VEOG_II", "ECG ECG1", "ECG ECG2"]
    # and the reference's own channel (session 54: tests/test_eeg_reference_channel54.py)
    expected = tuple(n for n in raw.ch_names
                     if n not in [*others, "DIG DTRIG", "REF_EEG REF_EEG"])
    assert len(expected) == 19 and read_recording(path).ch_names == expected
    by_path = EEGBandPower().fit([str(path)])
    assert by_path.channels_ == expected
    np.testing.assert_array_equal(by_path.transform([raw]), by_path.transform([str(path)]))
    np.testing.assert_array_equal(
        by_path.transform([raw]),
        by_path.transform([(raw.get_data(picks=list(expected)), 128.0, list(expected))]))


def test_recording_breaks_given_unsorted_or_at_the_edges():
    # the runner cut a recording at its breaks as given: unsorted, repeated or edge breaks
    # made an empty stretch and the whole recording was refused as "the recording has no
    # samples", where window_recording and filter_recording took them sorted and inside
    from dataclasses import replace

    from emofeat.extractors.eeg_sets import EEGHjorth

    from emofeat.eeg_input import read_recording, window_recording
    from emofeat.runner import run

    rec = read_recording(shared_path("eeg", "muse_mental_state", "subjecta-relaxed-1.csv"))
    clean = replace(rec, breaks=(1000, 3000))
    messy = replace(rec, breaks=(3000, 1000, 1000, 0, rec.n_times))
    assert messy.breaks == clean.breaks == (1000, 3000)
    ref = run([clean], [EEGHjorth()]).table
    got = run([messy], [EEGHjorth()]).table
    np.testing.assert_array_equal(got.X, ref.X)
    assert got.index["epoch"].tolist() == [0, 1, 2]
    np.testing.assert_array_equal(window_recording(messy, 2.0)[0], window_recording(clean, 2.0)[0])
    with pytest.raises(ValueError, match="breaks must be sample indices"):
        replace(rec, breaks=(1000.5,))


def test_the_notch_of_filter_recording_is_mnes_and_keeps_a_nan_sample_in_reach():
    # filter_recording's notch went through mne.filter.notch_filter, whose FFT blocks spread
    # one NaN sample over 54 % of a 59 s Muse channel
    from emofeat.extractors.eeg import _notch_taps

    from emofeat.eeg_input import filter_recording, read_recording

    vhdr = read_recording(shared_path("eeg", "mne_testdata", "test.vhdr"))
    for freqs in ((50.0,), (50.0, 100.0, 150.0)):
        ref = mne.filter.notch_filter(vhdr.data, vhdr.sfreq, freqs, verbose="error")
        got = filter_recording(vhdr.data, vhdr.sfreq, notch=freqs)
        np.testing.assert_allclose(got, ref, rtol=0, atol=1e-12 * np.abs(ref).max())
    rec = read_recording(shared_path("eeg", "muse_mental_state", "subjecta-relaxed-1.csv"))
    x = np.asarray(rec.data, dtype=np.float64)
    n_h = _notch_taps(256.0, (50.0,)).shape[0]
    y, z = x.copy(), x.copy()
    y[1, 5000], z[1, 5000] = np.nan, 0.0
    got = filter_recording(y, 256.0, notch=50.0, l_freq=1.0, h_freq=40.0)
    ref = filter_recording(z, 256.0, notch=50.0, l_freq=1.0, h_freq=40.0)
    # the NaN enters the notch's outputs within its reach, and those the band-pass's
    reach = (n_h - 1) // 2 + (mne.filter.create_filter(None, 256.0, 1.0, 40.0,
                                                        verbose="error").shape[0] - 1) // 2
    near = np.abs(np.arange(x.shape[1]) - 5000) <= reach
    assert np.isnan(got[1, near]).all() and np.isfinite(got[1, ~near]).all()
    assert near.mean() < 0.25
    np.testing.assert_allclose(got[1, ~near], ref[1, ~near], rtol=0,
                               atol=1e-12 * np.abs(ref[1]).max())


@pytest.mark.parametrize("segment", [None, 4.0], ids=["whole", "windows"])
def test_a_stretch_too_short_between_breaks_is_left_out_with_a_warning(segment):
    # a Muse recording whose first stretch before a gap is 50 samples (0.2 s) failed whole
    # (TooShortError of the 50 samples) for eeg_bands, losing the 59 s after the gap; the
    # stretch is now left out, with a warning naming the file and the epoch, and the rest
    # equals the recording after the gap given alone. Every stretch too short: the error.
    import dataclasses
    import warnings

    from emofeat.eeg_input import read_recording
    from emofeat.errors import TooShortError
    from emofeat.registry import get_extractor
    from emofeat.runner import run

    path = shared_path("eeg", "muse_mental_state", "subjecta-neutral-1.csv")
    rec = read_recording(path)
    gapped = dataclasses.replace(rec, breaks=(50,))
    alone = dataclasses.replace(rec, data=rec.data[:, 50:])
    for names in (["eeg_bands"], ["eeg_bands", "eeg_hjorth"]):
        sets = [get_extractor(n) for n in names]
        with pytest.warns(UserWarning, match=rf"{path}: 1 of 2 epochs left out \(epoch 0\), "
                                             r"too short: 50 samples"):
            got = run([gapped], sets, segment=segment).table
        ref = run([alone], sets, segment=segment).table
        assert list(got.index["epoch"].unique()) == [1]
        np.testing.assert_array_equal(got.X, ref.X)
        np.testing.assert_array_equal(got.index["end"] - got.index["start"],
                                      ref.index["end"] - ref.index["start"])
    # too short everywhere: the recording fails with the first stretch's error, as before
    both = dataclasses.replace(rec, data=rec.data[:, :100], breaks=(50,))
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        res = run([both], [get_extractor("eeg_bands")], segment=segment, on_error="record")
    assert res.n_failed == 1
    assert res.errors["error_type"].tolist() == [TooShortError.__name__]
    assert "50 samples" in res.errors["message"][0]


def test_a_nan_baseline_window_is_left_out_of_the_baseline_mean():
    # one NaN sample in a trial's baseline made that channel's every corrected feature of
    # the trial NaN (the mean over the baseline windows took the NaN window in); it is a
    # missing observation, as smooth_table takes it: the mean over the other windows
    from dataclasses import replace

    from emofeat.eeg_input import extract_recordings, read_recording

    rec = read_recording(shared_path("eeg", "muse_mental_state", "subjecta-relaxed-1.csv"))
    x = np.asarray(rec.data, dtype=np.float64)
    sf = rec.sfreq
    trial = replace(rec, data=x[:, int(10 * sf):int(20 * sf)], breaks=(),
                    baseline=x[:, : int(6 * sf)].copy(), source="muse#trial1")
    holed = trial.baseline.copy()
    holed[1, int(2.5 * sf)] = np.nan  # AF7, in the third of six 1 s baseline windows
    bad = replace(trial, baseline=holed)
    kw = dict(segment=1.0, hop=1.0)
    plain = extract_recordings([trial], "eeg_de", **kw)
    with pytest.warns(UserWarning, match=r"muse#trial1 \(baseline\)"):
        got = extract_recordings([bad], "eeg_de", baseline="subtract", **kw)
    with pytest.warns(UserWarning, match="NaN or infinite samples in channel AF7"):
        base = extract_recordings([replace(bad, data=holed, baseline=None)], "eeg_de", **kw)
    assert np.isfinite(got.X).all()
    af7 = [i for i, n in enumerate(plain.feature_names) if n.endswith("_AF7")]
    assert np.isnan(base.X[2, af7]).all() and np.isfinite(np.delete(base.X, 2, axis=0)).all()
    # the reference: NumPy's mean over the finite windows, feature by feature
    np.testing.assert_allclose(got.X, plain.X - np.nanmean(base.X, axis=0), rtol=0,
                               atol=1e-12)
    # a feature with no finite baseline window is NaN, the others as before
    dead = holed.copy()
    dead[1] = np.nan
    with pytest.warns(UserWarning):
        got = extract_recordings([replace(trial, baseline=dead)], "eeg_de",
                                 baseline="subtract", **kw)
    assert np.isnan(got.X[:, af7]).all()
    assert np.isfinite(np.delete(got.X, af7, axis=1)).all()


def test_an_infinite_baseline_window_is_left_out_too():
    # 2b80aa1: a baseline window whose feature is -inf (the log power of a dead window) is
    # a missing observation as a NaN one is, not a mean of -inf
    from emofeat.eeg_input import baseline_correct

    rng = np.random.default_rng(3)
    f, b = rng.standard_normal((4, 3)), rng.standard_normal((5, 3))
    holed = b.copy()
    holed[2, 1] = -np.inf
    holed[4, 2] = np.nan
    want = f - np.array([b[:, 0].mean(), np.delete(b[:, 1], 2).mean(), b[:4, 2].mean()])
    np.testing.assert_allclose(baseline_correct(f, holed), want, rtol=1e-12)
