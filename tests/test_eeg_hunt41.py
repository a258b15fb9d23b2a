"""EEG bug hunt of session 41: each test reproduces a defect found on real recordings and fails
on the code before its fix."""

from __future__ import annotations

import os
import warnings
from dataclasses import replace

import numpy as np
import pytest
from conftest import shared_path

mne = pytest.importorskip("mne")

MUSE = ("eeg", "muse_mental_state")


def _muse_features(factor: float):
    """Band powers and Hjorth parameters of every Muse recording's gap-free stretches, the
    samples scaled by ``factor`` (1e-6: volts, as MNE's formats are read), with the subject
    and the feature names."""
    from emofeat.datasets.eeg_corpora import read_muse
    from emofeat.eeg_input import extract_recordings

    folder = shared_path(*MUSE)
    recs = []
    for name in sorted(os.listdir(folder)):
        rec = read_muse(str(folder / name))
        recs.append(replace(rec, data=rec.data * factor,
                            ids={"subject": name.split("-")[0], "rec": name[:-4]}))
    table = extract_recordings(recs, ["eeg_bands", "eeg_hjorth"])
    return table.X, table.to_pandas()["subject"].to_numpy(), table.feature_names


def test_per_subject_standardisation_does_not_depend_on_the_unit():
    """Regression: ``GroupStandardScaler``'s tolerances were absolute (a spread of at most
    1e-12 a constant set to 0, a deviation of at most 1e-12 not divided by), so the band
    powers and Hjorth activity of recordings read in volts (V^2, about 1e-11; what ``emofeat
    extract`` writes for MNE's formats) were centred and not scaled, or zeroed: the Muse
    recordings in volts, leave one subject out, UAR 0.488 (svm) and 0.549 (logreg) against
    0.529 and 0.591 in microvolts. The tolerances are now 1e-12 of each column's magnitude in
    the training rows: z-scores do not depend on the unit (to 1e-9, the rounding of the two
    extractions), and exact zeros stay exactly 0."""
    from emofeat.classifiers import GroupStandardScaler

    X_uv, groups, _ = _muse_features(1.0)
    X_v, _, _ = _muse_features(1e-6)
    # the case: columns whose deviation within a subject is under 1e-12 in volts
    stds = np.array([np.nanstd(X_v[groups == g], axis=0) for g in np.unique(groups)])
    assert (stds <= 1e-12).any()
    z_uv = GroupStandardScaler().fit_transform(X_uv, groups=groups)
    z_v = GroupStandardScaler().fit_transform(X_v, groups=groups)
    np.testing.assert_allclose(z_v, z_uv, rtol=1e-9, atol=1e-9)
    # pooled fall-back of a group of one row too
    one = GroupStandardScaler().fit(X_v, groups=groups)
    np.testing.assert_allclose(one.transform(X_v[:1], groups=["new"]),
                               GroupStandardScaler().fit(X_uv, groups=groups)
                               .transform(X_uv[:1], groups=["new"]), rtol=1e-9, atol=1e-9)
    # a column of exact zeros in one subject (a flat channel's powers) stays 0 there, and a
    # column of zeros everywhere stays 0
    X = X_v.copy()
    X[groups == groups[0], 0] = 0.0
    X[:, 1] = 0.0
    z = GroupStandardScaler().fit_transform(X, groups=groups)
    assert np.all(z[groups == groups[0], 0] == 0.0) and np.all(z[:, 1] == 0.0)


def test_a_column_mostly_of_exact_zeros_is_standardised_as_in_microvolts():
    """Regression (review of 9b38201): a column at least half of whose finite training values
    were exact zeros kept the absolute tolerance, so a flat channel's powers (exact 0 in some
    subjects) left another subject's real powers in V^2 centred but not scaled, depending on
    the fold: the Muse recordings' AF7 band powers set to 0 for subjects a and c (12 of 33
    rows; 12 of the 18 training rows where subject b is held out), subject b's held-out
    z-scores in volts were up to 3.3 from those in microvolts. Now a column's tolerance is of
    its largest value over the training rows however many are 0: the microvolts' z-scores
    in every fold of leave one subject out and over all rows, training and held-out rows (to
    1e-9, the rounding of the two extractions), and the zeros stay exactly 0."""
    from emofeat.classifiers import GroupStandardScaler

    X_uv, groups, names = _muse_features(1.0)
    X_v, _, _ = _muse_features(1e-6)
    af7 = [j for j, n in enumerate(names) if n.startswith("eeg_bands_abs_") and
           n.endswith("_AF7")]
    flat = np.isin(groups, ["subjecta", "subjectc"])
    for X in (X_uv, X_v):
        X[np.ix_(flat, af7)] = 0.0
    real = groups == "subjectb"
    # the case: subject b's deviations in volts are under the absolute tolerance, and its
    # fold's training rows mostly zeros
    assert (np.nanstd(X_v[np.ix_(real, af7)], axis=0) <= 1e-12).any()
    assert 2 * flat.sum() > (~real).sum()
    folds = [(groups != g, groups == g) for g in np.unique(groups)] + [(groups == groups,) * 2]
    for train, test in folds:
        z = {}
        for unit, X in (("uV", X_uv), ("V", X_v)):
            sc = GroupStandardScaler().fit(X[train], groups=groups[train])
            z[unit] = (sc.transform(X[train], groups=groups[train]),
                       sc.transform(X[test], groups=groups[test]))
        for z_v, z_uv in zip(z["V"], z["uV"], strict=True):
            np.testing.assert_allclose(z_v[:, af7], z_uv[:, af7], rtol=1e-9, atol=1e-9)
        held = z["V"][1]
        assert np.all(held[flat[test]][:, af7] == 0.0)
        if real[test].any():  # subject b's rows scaled: unit variance
            np.testing.assert_allclose(held[real[test]][:, af7].std(axis=0), 1.0, rtol=1e-9)


def test_a_model_fitted_before_the_relative_tolerances_keeps_its_own():
    """A ``GroupStandardScaler`` pickled before ``unit_`` existed transforms as it did."""
    from emofeat.classifiers import GroupStandardScaler

    rng = np.random.default_rng(0)
    X = rng.normal(size=(12, 3)) * np.array([1.0, 1e-13, 1e-5])
    g = np.repeat(["a", "b", "c"], 4)
    old = GroupStandardScaler().fit(X, groups=g)
    del old.unit_
    z = old.transform(X, groups=g)
    assert np.all(z[:, 1] == 0.0)  # spread under 1e-12: a constant, as before
    assert np.all(np.isfinite(z))


@pytest.mark.parametrize("output", [None, "out.parquet"])
def test_a_raw_listed_with_a_crop_and_its_path_is_the_path_listed_again(tmp_path, output):
    """Regression: ``[lazy Raw, path]`` is one input (the object holds the file's data: the
    path listed again), but ``[lazy Raw, crop of it, path]`` extracted the file's data twice,
    as input 0 and input 2, under one label with a warning that 'a run extracts one file
    listed twice once only in a list of files' (3 rows, with or without an output). A run
    without an output also gave a path listed twice beside a signal in memory a row per
    listing where an output gave one. Now the object is the path listed again in any list,
    and a file listed twice is one row there with or without an output: 2 rows, the crop's
    warning alone. Real BrainVision recording."""
    import emofeat
    from emofeat.eeg_input import EEGReadWarning
    from emofeat.runner import run

    path = str(shared_path("eeg", "mne_testdata", "test.vhdr"))
    raw = mne.io.read_raw_brainvision(path, preload=False, verbose="error")
    crop = raw.copy().crop(0, 2.5)
    want = emofeat.extract([path], "eeg_hjorth")
    out = None if output is None else str(tmp_path / output)
    for items, crop_at in (([raw, path], None), ([raw, crop, path], 1),
                           ([path, crop, raw], 1), ([crop, raw, path], 0)):
        with warnings.catch_warnings(record=True) as rec:
            warnings.simplefilter("always")
            res = run(items, [emofeat.get_extractor("eeg_hjorth")], output=out,
                      overwrite=True)
        table = res.table if out is None else emofeat.read_table(out)
        told = [str(w.message) for w in rec if issubclass(w.category, EEGReadWarning)]
        assert len(table) == len(items) - 1 and res.n_repeated == 1, items
        whole = [r for r in range(len(table)) if r != crop_at]
        assert len(whole) == 1
        np.testing.assert_array_equal(table.X[whole], want.X)
        assert len(told) == (crop_at is not None)
        assert all("holds other data than" in t and "a crop of" in t for t in told)
    # a path listed twice beside a signal in memory: one row, as with an output
    eeg = raw.copy().pick("eeg")
    x = (eeg.get_data()[:, :2000], eeg.info["sfreq"], tuple(eeg.ch_names))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        res = run([path, x, path], [emofeat.get_extractor("eeg_hjorth")], output=out,
                  overwrite=True)
    table = res.table if out is None else emofeat.read_table(out)
    assert list(table.index["path"]) == [path, "<array 1>"] and res.n_repeated == 1


@pytest.mark.parametrize("output", [None, "out.parquet"])
def test_a_file_spelled_two_ways_beside_a_signal_in_memory_is_one_input(tmp_path,
                                                                       monkeypatch, output):
    """Regression (review of f85296e): beside a signal in memory, the files of a run were one
    input where listed alike only, each path as written: ``['a.flac', (x, sr),
    './a.flac']`` and its absolute path beside ``a.flac`` gave 3 rows, no warning, and
    ``[raw, crop, 'sub/test.vhdr', './sub/test.vhdr']`` 3 rows (the Raw is the path listed
    again), with or without an output, where a list of files alone gives one row per file
    however it is spelled. Now files are one input by their identity in any list: 2 rows,
    the file's the same as extracting it alone. Real RAVDESS and BrainVision recordings,
    copied under tmp_path (the working folder)."""
    import shutil

    import soundfile as sf

    import emofeat
    from emofeat.runner import run

    monkeypatch.chdir(tmp_path)
    out = output and str(tmp_path / output)
    src = shared_path("speech", "ravdess", "Actor_01", "03-01-01-01-01-01-01.flac")
    shutil.copy(src, "a.flac")
    x, sr = sf.read("a.flac")
    want = emofeat.extract(["a.flac"], "mfcc")
    for first, again in (("a.flac", "./a.flac"), (str(tmp_path / "a.flac"), "a.flac")):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            res = run([first, (x, sr), again], [emofeat.get_extractor("mfcc")], output=out,
                      overwrite=True)
        table = res.table if out is None else emofeat.read_table(out)
        assert list(table.index["path"]) == [first, "<array 1>"] and res.n_repeated == 1
        np.testing.assert_array_equal(table.X[:1], want.X)

    os.mkdir("sub")
    for name in ("test.vhdr", "test.vmrk", "test.eeg"):
        shutil.copy(shared_path("eeg", "mne_testdata", name), os.path.join("sub", name))
    path = os.path.join("sub", "test.vhdr")
    raw = mne.io.read_raw_brainvision(path, preload=False, verbose="error")
    crop = raw.copy().crop(0, 2.5)
    want = emofeat.extract([path], "eeg_hjorth")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        res = run([raw, crop, path, "./" + path], [emofeat.get_extractor("eeg_hjorth")],
                  output=out, overwrite=True)
    table = res.table if out is None else emofeat.read_table(out)
    assert list(table.index["path"]) == [path, path] and res.n_repeated == 2
    np.testing.assert_array_equal(table.X[:1], want.X)
    assert not np.array_equal(table.X[1:], want.X)  # the crop's row


@pytest.mark.parametrize("output", [None, "out.parquet"])
def test_an_object_merged_with_its_path_is_named_where_its_row_is(tmp_path, caplog, output):
    """Review of f85296e (nits): in ``[raw, crop, path]`` the Raw is the path listed again,
    its row at input 0, but the crop's warning named 'inputs 2 ('path') and 1', the later
    first and not input 0; and the run's log said the path was 'listed more than once'
    where it was listed once beside the Raw read from it. The warning names inputs 0 and 1,
    input 0 as the file's data that input 2 lists, and the log says the file was given again
    as that object. Real BrainVision recording."""
    import logging

    import emofeat
    from emofeat.eeg_input import EEGReadWarning
    from emofeat.runner import run

    path = str(shared_path("eeg", "mne_testdata", "test.vhdr"))
    raw = mne.io.read_raw_brainvision(path, preload=False, verbose="error")
    crop = raw.copy().crop(0, 2.5)
    out = output and str(tmp_path / output)
    for items, warned in (([raw, crop, path], True), ([raw, path], False)):
        caplog.clear()
        with warnings.catch_warnings(record=True) as rec, \
                caplog.at_level(logging.WARNING, logger="emofeat.runner"):
            warnings.simplefilter("always")
            run(items, [emofeat.get_extractor("eeg_hjorth")], output=out, overwrite=True)
        told = [str(w.message) for w in rec if issubclass(w.category, EEGReadWarning)]
        if warned:
            assert len(told) == 1 and told[0].startswith(
                f"{path}: inputs 0 (a RawBrainVision read from it, the file's data, as input "
                f"2 ('{path}')) and 1 (a RawBrainVision read from it) are one file; input 1 "
                "holds other data than the file"), told
        else:
            assert told == []
        said = [r.getMessage() for r in caplog.records]
        assert (f"1 input is given more than once (such as {path}, given again as a "
                "RawBrainVision read from it): each is extracted once, one row where it is "
                "first listed") in said, said
        assert not any("listed more than once" in m for m in said)


def test_epochs_of_one_file_with_other_rejections_are_other_inputs(tmp_path):
    """What docs/eeg.md says of the resume key and MNE's ``selection`` (decided in session
    41, not a column): two Epochs of one file with different rejections hold other samples,
    so they are two inputs of an output and each is found on a rerun, whichever order; the
    rows map to MNE's numbers through ``selection[epoch]`` and to events through
    ``events[epoch]``. Real BrainVision recording cut at its events."""
    import emofeat
    from emofeat.runner import run

    raw = mne.io.read_raw(shared_path("eeg", "mne_testdata", "test.vhdr"), preload=True,
                          verbose="error")
    events, _ = mne.events_from_annotations(raw, verbose="error")
    epochs = mne.Epochs(raw, events, tmin=0, tmax=0.3, baseline=None, preload=True,
                        verbose="error")
    a, b = epochs.copy().drop([1], verbose="error"), epochs.copy().drop([2], verbose="error")
    out = str(tmp_path / "out.parquet")
    ex = [emofeat.get_extractor("eeg_hjorth")]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        first = run([a, b], ex, output=out)
        table = emofeat.read_table(out)
        again = run([b, a], ex, output=out)
    assert first.n_repeated == 0 and len(table) == len(a) + len(b)
    assert again.n_skipped == 2 and len(emofeat.read_table(out)) == len(table)
    keys = table.index["signal_key"].to_numpy()  # rows in listing order: b's last
    assert (keys == keys[-1]).sum() == len(b) and keys[0] != keys[-1]
    rows_b = table.index[keys == keys[-1]]
    # the second object's rows: positions 0..n-1, MNE's number through its selection
    # (epoch 2 dropped: position 2 is MNE's 3), its samples the rows' numbers
    assert list(rows_b["epoch"]) == list(range(len(b)))
    assert list(b.selection[rows_b["epoch"]]) == [0, 1] + list(range(3, len(epochs)))
    act = table.feature_names.index(f"eeg_hjorth_activity_{b.ch_names[0]}")
    np.testing.assert_allclose(table.X[keys == keys[-1], act],
                               np.var(b.get_data()[:, 0], axis=-1), rtol=1e-9)


@pytest.mark.parametrize("onset, duration", [(1.0037, 0.0046), (2.125, 0.0125), (3.0064, 0.3372)])
def test_a_skip_off_the_sample_grid_leaves_out_the_samples_mne_leaves_out(tmp_path, onset,
                                                                         duration):
    """Regression: a ``BAD_ACQ_SKIP`` span's end was its onset's sample plus its rounded
    duration, where MNE rounds the end's time: one sample apart for a span off the sample
    grid (the BrainVision test recording at 1000 Hz, onset 1.0037 s, 4.6 ms: 5 samples left
    out where MNE's ``get_data(reject_by_annotation='omit')`` leaves out 4; 12.5 ms from
    2.125 s: 12 for MNE's 13; 337.2 ms from 3.0064 s: 337 for MNE's 338), so a sample of
    the signal was lost or one of the hole's zeros stayed in the data. The recording's
    samples and the features of its stretches are MNE's now (the same samples, exactly)."""
    import emofeat
    from emofeat.eeg_input import read_recording

    raw = mne.io.read_raw(shared_path("eeg", "mne_testdata", "test.vhdr"), preload=True,
                          verbose="error").pick("eeg").crop(0, 6)
    raw.set_annotations(mne.Annotations([onset], [duration], ["BAD_ACQ_SKIP"]))
    kept = raw.get_data(reject_by_annotation="omit", verbose="error")
    raw.save(tmp_path / "rec_raw.fif", fmt="double", verbose="error")
    rec = read_recording(tmp_path / "rec_raw.fif")
    assert rec.data.shape == kept.shape
    np.testing.assert_array_equal(rec.data, kept)
    start = int(round(onset * raw.info["sfreq"]))
    assert rec.breaks == (start,)
    table = emofeat.extract([raw], "eeg_hjorth")
    act = [table.feature_names.index(f"eeg_hjorth_activity_{c}") for c in raw.ch_names]
    np.testing.assert_allclose(table.X[:, act],
                               [np.var(kept[:, :start], axis=-1),
                                np.var(kept[:, start:], axis=-1)], rtol=1e-9)


def _muse_text():
    return shared_path(*MUSE, "subjecta-neutral-1.csv").read_text(encoding="utf-8")


@pytest.mark.parametrize("codec", ["utf-16", "utf-16-be", "utf-32"])
def test_a_csv_recording_with_a_byte_order_mark_is_read_in_its_encoding(tmp_path, codec):
    """Regression: a Muse CSV saved as UTF-16 (Excel's "Unicode" formats, a Windows tool's
    export) was refused by the reader as "cannot read CSV (UnicodeDecodeError: 'utf-8' codec
    can't decode byte 0xff in position 0 ...)", and the command took it for a manifest ("a
    manifest needs a 'path' column", exit 2). It is read in the encoding its byte-order mark
    names, as manifests are: the recording and the features of the UTF-8 original."""
    import emofeat
    from emofeat.cli import EXIT_OK, main
    from emofeat.eeg_input import read_recording

    original = shared_path(*MUSE, "subjecta-neutral-1.csv")
    path = tmp_path / "rec.csv"
    mark = "\ufeff" if codec.endswith("-be") else ""  # Python's utf-16/32 write the mark
    path.write_text(mark + _muse_text(), encoding=codec, newline="")
    want, got = read_recording(original), read_recording(path)
    assert got.ch_names == want.ch_names and got.breaks == want.breaks
    np.testing.assert_array_equal(got.data, want.data)
    assert main(["extract", "-q", "--set", "eeg_hjorth", "-o", str(tmp_path / "o.parquet"),
                 str(path)]) == EXIT_OK
    table = emofeat.read_table(tmp_path / "o.parquet")
    np.testing.assert_array_equal(table.X, emofeat.extract([str(original)], "eeg_hjorth").X)


def test_a_csv_recording_not_in_utf8_is_refused_saying_so(tmp_path):
    """A CSV recording whose bytes are not UTF-8 (a Latin-1 ``µV`` in its header) or that
    looks like UTF-16 without a mark: an ``EEGReadError`` naming the file, the encoding
    problem and the way out (it was pandas' codec message alone)."""
    from emofeat.eeg_input import read_recording
    from emofeat.errors import EEGReadError

    latin = tmp_path / "latin.csv"
    latin.write_bytes(_muse_text().replace("TP9", "TP9 \u00b5V", 1).encode("latin-1"))
    bare = tmp_path / "bare.csv"
    bare.write_bytes(_muse_text().encode("utf-16-le"))
    for path, words in ((latin, "it is not UTF-8 text"), (bare, "without a byte-order mark")):
        with pytest.raises(EEGReadError) as err:
            read_recording(path)
        assert err.value.source == str(path) and words in str(err.value)
        assert "save it as UTF-8" in str(err.value)
    # a mark does not make Latin-1 bytes readable: UTF-8 is the one way out (review of b6cb371)
    with pytest.raises(EEGReadError, match="save it as UTF-8$"):
        read_recording(latin)


def test_an_eeglab_file_of_epochs_is_read_as_epochs(tmp_path):
    """Regression: an EEGLAB ``.set`` holding epochs (``EEG.trials`` > 1, how EEGLAB users
    save epoched data) was refused, by ``read_recording``, the extractors and the command
    (exit 2), with MNE's "The number of trials is 3. It must be 1 for raw files. Please use
    `mne.io.read_epochs_eeglab` ...". It is read as epochs, as an epochs FIF is: one row per
    epoch, the features of ``mne.read_epochs_eeglab``'s data (the same samples: Hjorth
    activity equal to NumPy's variance to 1e-9). Real BrainVision recording cut in 2 s."""
    pytest.importorskip("eeglabio", reason="writing an EEGLAB file for the test needs eeglabio")
    import emofeat
    from emofeat.cli import EXIT_OK, main
    from emofeat.eeg_input import read_recording

    raw = mne.io.read_raw(shared_path("eeg", "mne_testdata", "test.vhdr"), preload=True,
                          verbose="error").pick("eeg")
    epochs = mne.make_fixed_length_epochs(raw, duration=2.0, preload=True, verbose="error")
    path = tmp_path / "rec.set"
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # eeglabio's note on the annotations it leaves out
        mne.export.export_epochs(path, epochs, fmt="eeglab", verbose="error")
    theirs = mne.read_epochs_eeglab(path, verbose="error")
    x = theirs.get_data()
    rec = read_recording(path)
    n = x.shape[-1]
    assert rec.breaks == tuple(n * k for k in range(1, len(x)))
    np.testing.assert_array_equal(rec.data, np.concatenate(list(x), axis=1))
    out = tmp_path / "o.parquet"
    assert main(["extract", "-q", "--set", "eeg_hjorth", "-o", str(out), str(path)]) == EXIT_OK
    for table in (emofeat.read_table(out), emofeat.extract([str(path)], "eeg_hjorth")):
        assert list(table.index["epoch"]) == list(range(len(x)))
        act = [table.feature_names.index(f"eeg_hjorth_activity_{c}") for c in theirs.ch_names]
        np.testing.assert_allclose(table.X[:, act], np.var(x, axis=-1), rtol=1e-9)


def test_epochs_with_every_epoch_dropped_are_an_empty_input_saying_so(tmp_path):
    """Regression: an Epochs whose every epoch was dropped (a rejection threshold below the
    data's amplitude) was "the recording has no samples (shape (0, 26, 301))" after MNE's
    RuntimeWarning "epochs._get_data() can't run because this Epochs-object is empty", and,
    saved and read back, an ``EEGReadError`` of MNE's "epochs.adding, dropping, or
    reordering channels() can't run ...". It is an ``EmptyInputError`` naming the input,
    how many epochs were dropped and the drop_log's reasons, as an object, a file and in
    ``read_recording``; the command exits 2 as for any input that cannot be read alone.
    Real BrainVision recording cut at its 13 events."""
    import emofeat
    from emofeat.cli import EXIT_USAGE, main
    from emofeat.eeg_input import read_recording
    from emofeat.errors import EmptyInputError

    raw = mne.io.read_raw(shared_path("eeg", "mne_testdata", "test.vhdr"), preload=True,
                          verbose="error")
    events, _ = mne.events_from_annotations(raw, verbose="error")
    epochs = mne.Epochs(raw, events, tmin=0, tmax=0.3, baseline=None, preload=True,
                        reject={"eeg": 1e-12}, verbose="error")
    assert len(epochs) == 0
    path = tmp_path / "none-epo.fif"
    epochs.save(path, verbose="error")
    want = f"no epoch is left: {len(events)} epochs dropped (drop_log reasons: "
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # MNE's RuntimeWarning is not passed on
        for item, label in ((epochs, "<Epochs 0>"), (str(path), str(path))):
            with pytest.raises(EmptyInputError) as err:
                emofeat.extract([item], "eeg_hjorth")
            assert err.value.source == label and want in str(err.value)
        with pytest.raises(EmptyInputError) as err:
            read_recording(path)
        assert want in str(err.value)
    assert main(["extract", "-q", "--set", "eeg_hjorth", "-o", str(tmp_path / "o.parquet"),
                 str(path)]) == EXIT_USAGE


def test_other_channels_are_refused_saying_which_differ():
    """Regression: a recording whose channels differ from the fitted ones was refused
    listing both montages only (26 names each for the BrainVision test recording), so the
    one channel missing, a channel renamed, or a name that prints the same but differs in
    its Unicode form (a decomposed ``é``, as macOS writes names) or a blank was left to the
    reader to find; the last two read as two equal lists. The message now names them."""
    import unicodedata

    import emofeat
    from emofeat.errors import ChannelError

    raw = mne.io.read_raw(shared_path("eeg", "mne_testdata", "test.vhdr"), preload=True,
                          verbose="error").pick("eeg").crop(0, 2)
    x, sf, names = raw.get_data(), raw.info["sfreq"], list(raw.ch_names)
    composed = unicodedata.normalize("NFC", "C\u00e9")
    names[-1] = composed
    ext = emofeat.get_extractor("eeg_hjorth").fit([(x, sf, names)])
    decomposed = names[:-1] + [unicodedata.normalize("NFD", composed)]
    assert str(decomposed) == str(names).replace(composed, decomposed[-1])
    cases = (
        ((x[:-2], names[:-2]), f"missing {names[-2]!r}, {names[-1]!r}"),
        ((x, names[:-2] + ["X", names[-1]]), f"missing {names[-2]!r}; not fitted 'X'"),
        ((x, names[:-2] + [names[-2] + " ", names[-1]]),
         "named alike but for their Unicode form, blanks or case: "
         f"{names[-2]!r} fitted, {names[-2] + ' '!r} here"),
        ((x[::-1], names[::-1]), "the same channels in another order"),
    )
    for (data, chans), words in cases:
        with pytest.raises(ChannelError) as err:
            ext.transform([(data, sf, chans)])
        # the difference first, before the two lists (review of 1ede648)
        assert f"extractor was fitted on: {words} ([" in str(err.value), str(err.value)
    # session 42: the decomposed name is the composed channel (names are taken in NFC, the
    # form the columns carry), no longer refused as another
    np.testing.assert_array_equal(ext.transform([(x, sf, decomposed)]),
                                  ext.transform([(x, sf, names)]))


def test_a_recording_all_under_an_acquisition_skip_says_so():
    """Regression: a Raw whose every sample lies under a ``BAD_ACQ_SKIP`` annotation (MNE's
    hole, filled with zeros) was "the recording has no samples (shape (26, 0))": an
    ``EmptyInputError`` that named no cause. It says the samples lie under the annotation.
    (MNE 1.13.2 cannot save such a Raw: "Exceeded maximum number of splits".) Real
    BrainVision recording."""
    import emofeat
    from emofeat.errors import EmptyInputError

    raw = mne.io.read_raw(shared_path("eeg", "mne_testdata", "test.vhdr"), preload=True,
                          verbose="error").pick("eeg").crop(0, 2)
    raw.set_annotations(mne.Annotations([0.0], [raw.n_times / raw.info["sfreq"]],
                                        ["BAD_ACQ_SKIP"]))
    with pytest.raises(EmptyInputError, match="every sample .2.001 s. lies under a "
                                              "BAD_ACQ_SKIP annotation") as err:
        emofeat.extract([raw], "eeg_hjorth")
    assert err.value.source == str(shared_path("eeg", "mne_testdata", "test.vhdr"))


def test_filter_recording_names_the_recording_a_parameter_does_not_fit():
    """Regression: ``filter_recording`` of a recording refused an edge its rate cannot take
    without naming the recording ("h_freq=200 must be below Nyquist (128.01 Hz)": which of a
    corpus's trials?), and a NaN edge or notch was MNE's "cannot convert float NaN to
    integer" (the notch's until the review of cd5ece8). Real Muse recording (256 Hz)."""
    from emofeat.eeg_input import filter_recording, read_recording

    path = str(shared_path(*MUSE, "subjecta-neutral-1.csv"))
    rec = read_recording(path)
    for kw, words in ((dict(h_freq=200.0), "h_freq=200.0 must be below Nyquist"),
                      (dict(notch=150.0), "notch frequencies must lie in"),
                      (dict(l_freq=float("nan")), "l_freq must be a finite number of Hz"),
                      (dict(notch=float("nan")), "notch frequencies must be finite numbers"),
                      (dict(notch=[50.0, float("nan")]),
                       "notch frequencies must be finite numbers"),
                      # review of 1d727bd: NumPy's "can only convert an array of size 1",
                      # scipy's "Invalid cutoff frequency", and a lowpass at 0 Hz taken
                      (dict(notch=[]), "notch=[] holds no frequency"),
                      (dict(l_freq=200.0), "l_freq=200.0 must be below Nyquist"),
                      (dict(h_freq=0.0), "h_freq=0.0 must be above 0 Hz"),
                      (dict(l_freq=-1.0), "l_freq=-1.0 must be above 0 Hz"),
                      # review 8: NumPy's "only 0-dimensional arrays can be converted"
                      (dict(notch=[[50.0]]), "must be a frequency or a flat sequence")):
        with pytest.raises(ValueError) as err:
            filter_recording(rec, **kw)
        assert str(err.value).startswith(f"{path}: ") and words in str(err.value)
    with pytest.raises(ValueError, match="^h_freq must be a finite number of Hz or None"):
        filter_recording(rec.data, rec.sfreq, h_freq=float("nan"))
    # l_freq=0 is no highpass, as mne.filter.filter_data takes it: alone it was so already,
    # beside h_freq it was refused ("need 0 < l_freq < h_freq")
    lowpass = filter_recording(rec, h_freq=40.0).data
    assert np.array_equal(filter_recording(rec, l_freq=0, h_freq=40.0).data, lowpass)
    assert np.array_equal(filter_recording(rec, l_freq=0.0).data, rec.data)
    mne_lowpass = mne.filter.filter_data(rec.data[:, :2000], rec.sfreq, 0, 40.0,
                                         verbose="error")
    assert np.allclose(filter_recording(rec.data[:, :2000], rec.sfreq, l_freq=0,
                                        h_freq=40.0), mne_lowpass, rtol=0, atol=1e-9)  # uV


def test_a_csv_of_no_line_break_is_not_read_whole_to_find_its_header(tmp_path, monkeypatch):
    """Review of b6cb371's mend: the test of a CSV for an EEG recording read its whole first
    line, unbounded: a file of no line break (8 MiB, a binary file named .csv) was read
    whole. At most :data:`HEADER_CHARS` characters of it are."""
    import io

    from emofeat import _manifest_sniff
    from emofeat._manifest_sniff import HEADER_CHARS, is_eeg_recording

    read = [0]

    class Counted(io.FileIO):
        def readinto(self, b):
            n = super().readinto(b)
            read[0] += n or 0
            return n

    monkeypatch.setattr(_manifest_sniff, "open",
                        lambda p, mode: io.BufferedReader(Counted(p, "rb")), raising=False)
    path = tmp_path / "blob.csv"
    path.write_bytes(b"timestamps" + b"x" * (8 << 20))
    assert not is_eeg_recording(path)
    assert 0 < read[0] <= 2 * HEADER_CHARS


@pytest.mark.parametrize("codec", ["utf-8", "utf-16"])
def test_a_csv_recording_whose_header_is_longer_than_the_bytes_sniffed_is_a_recording(
        tmp_path, codec):
    """Regression (review of b6cb371): the command's test of a CSV for an EEG recording read
    only its first 4,096 bytes, so a header longer than that with the time column last (200
    channels named 'EEG channel number 000 (uV)', 'timestamps' last: 5,610 bytes) was taken
    for a manifest ("a manifest needs a 'path' column", exit 2; exit 0 before b6cb371). The
    whole first line is read, in the encoding of the file's byte-order mark. Real Muse
    samples, the five columns repeated; the means are pandas' of the original's columns."""
    import pandas as pd

    import emofeat
    from emofeat._manifest_sniff import HEAD_BYTES, is_eeg_recording
    from emofeat.cli import EXIT_OK, main

    lines = _muse_text().splitlines()[1:1001]
    rows = [line.split(",") for line in lines]
    header = [f"EEG channel number {i:03d} (uV)" for i in range(200)] + ["timestamps"]
    body = [[r[1 + i % 5] for i in range(200)] + [r[0]] for r in rows]
    text = "\n".join(",".join(r) for r in [header, *body]) + "\n"
    path = tmp_path / "rec.csv"
    path.write_text(text, encoding=codec)
    assert len(",".join(header).encode(codec)) > HEAD_BYTES
    assert is_eeg_recording(path)
    out = tmp_path / "o.parquet"
    assert main(["extract", "-q", "--set", "eeg_stats", "-o", str(out), str(path)]) == EXIT_OK
    table = emofeat.read_table(out)
    means = [table.feature_names.index(f"eeg_stats_mean_{c}") for c in header[:200]]
    muse = pd.read_csv(shared_path(*MUSE, "subjecta-neutral-1.csv"), nrows=1000)
    want = muse.iloc[:, 1:6].mean().to_numpy()
    np.testing.assert_allclose(table.X[0, means], np.resize(want, 200), rtol=1e-12)


def _events_epochs(preload: bool, reject: dict | None, by_annotation: bool = True):
    """The BrainVision test recording cut at its events (0.3 s each): 13, or 14 where MNE
    keeps the file's first marker, "New Segment" (MNE 1.6, the floor)."""
    raw = mne.io.read_raw(shared_path("eeg", "mne_testdata", "test.vhdr"), preload=True,
                          verbose="error")
    events, _ = mne.events_from_annotations(raw, verbose="error")
    return raw, mne.Epochs(raw, events, tmin=0, tmax=0.3, baseline=None, preload=preload,
                           reject=reject, reject_by_annotation=by_annotation, verbose="error")


def test_an_epochs_with_no_epoch_left_fails_alone_in_a_run_with_an_output(tmp_path):
    """Regression (review of c8f180d): a run with an output keys an in-memory Epochs by its
    samples, read with ``get_data``; of an Epochs with every epoch dropped MNE warns there
    ("epochs._get_data() can't run because this Epochs-object is empty"), so the warning
    reached the user and, under ``-W error``, stopped the whole run while keying its inputs
    instead of failing that input. The run now writes the Raw's row and records the Epochs
    as the ``EmptyInputError`` its read gives."""
    import emofeat
    from emofeat.registry import get_extractor
    from emofeat.runner import run

    raw, empty = _events_epochs(True, {"eeg": 1e-12})
    assert len(empty) == 0
    first = raw.copy().pick("eeg").crop(0, 2)
    out = tmp_path / "o.parquet"
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        result = run([first, empty], [get_extractor("eeg_hjorth")], on_error="record",
                     output=str(out))
    assert [row[:3] for row in result.error_rows] == [("<Epochs 1>", "read", "EmptyInputError")]
    assert f"no epoch is left: {len(empty.drop_log)} epochs dropped" in result.error_rows[0][3]
    table = emofeat.read_table(out)
    act = [table.feature_names.index(f"eeg_hjorth_activity_{c}") for c in first.ch_names]
    np.testing.assert_allclose(table.X[:, act], [np.var(first.get_data(), axis=-1)],
                               rtol=1e-9)


def test_a_lazy_epochs_is_read_as_its_loaded_copy(tmp_path):
    """Regression (found reviewing c8f180d): the test for an Epochs with no epoch left took
    its ``len()``, which MNE refuses for an Epochs made with ``preload=False`` whose
    rejection has not run ("Since bad epochs have not been dropped, the length of the Epochs
    is not known"): every such input failed, with or without a rejection threshold. It is
    read as the same Epochs loaded is (the samples MNE gives, Hjorth activity to 1e-9), and
    one whose every epoch its rejection drops is the ``EmptyInputError`` saying so.

    Review of bfd2416: its mend ran ``drop_bad`` on the user's object, which MNE 1.13 skips
    where no rejection is asked for (``reject_by_annotation=False``, no reject/flat): the two
    last epochs, running past the recording's end, stayed unmarked and the read failed
    ("could not broadcast input array from shape (32,271) into shape (32,301)"), the user's
    object left unable to give its data. The object is read as its loaded copy and left
    as it was (MNE's ``get_data`` of it after the run: the 11 epochs). Its key, the resume
    of an output written before, is the loaded Epochs' (as it was: MNE's ``get_data``)."""
    import emofeat
    from emofeat.errors import EmptyInputError
    from emofeat.readers import EEGReader
    from emofeat.registry import get_extractor
    from emofeat.runner import run

    for reject, by_annotation in ((None, True), ({"eeg": 100e-6}, True), (None, False)):
        _, lazy = _events_epochs(False, reject, by_annotation)
        _, loaded = _events_epochs(True, reject, by_annotation)
        assert 0 < len(loaded)
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            table = emofeat.extract([lazy], "eeg_hjorth")
        x = loaded.copy().pick("eeg").get_data()
        act = [table.feature_names.index(f"eeg_hjorth_activity_{c}")
               for c in loaded.copy().pick("eeg").ch_names]
        np.testing.assert_allclose(table.X[:, act], np.var(x, axis=-1), rtol=1e-9)
        # the user's object as it was: still lazy, its data MNE's
        assert not lazy.preload
        np.testing.assert_array_equal(lazy.get_data(verbose="error"), loaded.get_data())
        _, lazy = _events_epochs(False, reject, by_annotation)
        assert EEGReader().key(lazy, 0) == EEGReader().key(loaded, 0)
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            out = tmp_path / f"{reject}{by_annotation}.parquet"
            got = run([lazy], [get_extractor("eeg_hjorth")], output=str(out))
        assert got.errors.empty
        np.testing.assert_array_equal(emofeat.read_table(out).X, table.X)
        np.testing.assert_array_equal(lazy.get_data(verbose="error"), loaded.get_data())
    _, lazy = _events_epochs(False, {"eeg": 1e-12})
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with pytest.raises(EmptyInputError,
                           match=f"no epoch is left: {len(lazy.drop_log)} epochs dropped"):
            emofeat.extract([lazy], "eeg_hjorth")


def test_window_recordings_says_which_channels_differ_from_the_first_recording():
    """Review of 1ede648: ``window_recordings`` refused a recording whose channels differ
    from the first one's listing both montages ("256.0 Hz [...] differs from <file> (256.0
    Hz [...])"), leaving the one channel apart, or a blank or Unicode form that prints the
    same, to be found by eye; it now says what differs first, in the extractors' words
    (``channel_difference``). Two real Muse recordings cut at 256 Hz."""
    from emofeat.eeg_input import read_recording, window_recordings
    from emofeat.errors import ChannelError

    first, rec = (read_recording(shared_path(*MUSE, f"subjecta-{n}.csv"))
                  for n in ("neutral-1", "relaxed-1"))
    names = list(rec.ch_names)
    cases = (
        (replace(rec, data=rec.data[:-1], ch_names=tuple(names[:-1])),
         f"missing {names[-1]!r}"),
        (replace(rec, ch_names=(names[0] + " ", *names[1:])),
         "named alike but for their Unicode form, blanks or case: "
         f"{names[0]!r} in the first recording, {names[0] + ' '!r} here"),
        (replace(rec, ch_names=(*names[:-1], "X")),
         f"missing {names[-1]!r}; not in the first recording 'X'"),
        (replace(rec, data=rec.data[::-1], ch_names=tuple(names[::-1])),
         "the same channels in another order"),
    )
    for other, words in cases:
        with pytest.raises(ChannelError) as err:
            window_recordings([first, other], 4.0, 2.0, sfreq=256)
        assert err.value.source == other.source
        assert f"its channels differ from {first.source}'s: {words} ([" in str(err.value)


def test_epochs_left_empty_by_a_selection_say_so():
    """Review of c8f180d: an Epochs emptied by a selection (``epochs[[]]``), whose events
    MNE's drop_log marks ``IGNORED``, was "no epoch is left: 0 epochs dropped"; it says how
    many a selection or event_id left out, beside those dropped and why. The BrainVision
    test recording's 13 events, 2 of them too near its end (MNE's ``TOO_SHORT``)."""
    import emofeat
    from emofeat.errors import EmptyInputError

    raw, epochs = _events_epochs(True, None)
    reasons = [d for d in epochs.drop_log if d]
    assert reasons and all(d == ("TOO_SHORT",) for d in reasons)
    inside = mne.Epochs(raw, epochs.events, tmin=0, tmax=0.3, baseline=None, preload=True,
                        verbose="error")
    cases = (
        (epochs[np.array([], int)],
         f"no epoch is left: {len(reasons)} epochs dropped (drop_log reasons: TOO_SHORT), "
         f"{len(epochs)} left out by a selection or event_id"),
        (inside[np.array([], int)],
         f"no epoch is left: {len(epochs)} left out by a selection or event_id"),
    )
    for empty, words in cases:
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            with pytest.raises(EmptyInputError) as err:
                emofeat.extract([empty], "eeg_hjorth")
        assert f"<Epochs 0>: {words} (" in str(err.value), str(err.value)
