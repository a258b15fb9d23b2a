"""EEG input handling: readers (real MNE test files, Muse CSV), windows with ids, filtering,
baseline correction, bad channels, and the DEAP/DREAMER/SEED readers on small files written here
in the corpora's own formats (the corpora themselves need signed agreements)."""

from __future__ import annotations

import os
import pickle
import warnings

import numpy as np
import pandas as pd
import pytest
from conftest import shared_path

from emofeat.datasets import eeg_corpora as C
from emofeat.eeg_input import (
    EEGChannelError,
    EEGRecording,
    baseline_correct,
    check_channels,
    filter_recording,
    read_recording,
    window_recording,
    window_recordings,
    window_starts,
)
from emofeat.errors import InputError, NonFiniteInputError, TooShortError

mne = pytest.importorskip("mne")


@pytest.mark.parametrize("name", ["test.edf", "test.bdf", "test.vhdr", "test_edf_stim_channel.edf"])
def test_mne_formats_read_eeg_channels(name):
    path = shared_path("eeg", "mne_testdata", name)
    rec = read_recording(path, ids={"subject": "s1"})
    raw = mne.io.read_raw(path, preload=True, verbose="error").pick("eeg")
    # MNE types every EDF channel EEG: the stim file's EOG, ECG and trigger channels, so
    # labelled, are left out (tests/test_eeg_hunt.py), and BioSemi's EOG leads (since
    # session 51, tests/test_eeg_other_signal_names51.py), and BioSemi's ERGO inputs (since
    # session 52, tests/test_eeg_ergo52.py), and the reference's own channel REF_EEG (since
    # session 54, tests/test_eeg_reference_channel54.py)
    raw.pick([n for n in raw.ch_names if n.split(" ")[0] not in ("EOG", "ECG", "DIG")
              and n not in ("REOG", "LEOG", "IEOG", "Ergo-Left", "Ergo-Right",
                            "REF_EEG REF_EEG")])
    assert rec.ch_names == tuple(raw.ch_names) and "STI 014" not in rec.ch_names
    assert rec.sfreq == raw.info["sfreq"]
    np.testing.assert_array_equal(rec.data, raw.get_data())
    micro = read_recording(path, units="uV")
    np.testing.assert_allclose(micro.data, rec.data * 1e6, rtol=1e-12)
    assert rec.ids == {"subject": "s1"} and rec.source == str(path)


@pytest.mark.parametrize("name", ["test.vhdr", "test.edf", "test.bdf"])
def test_mne_object_is_labelled_by_the_file_its_path_is(name, tmp_path):
    """Regression: a BrainVision Raw was labelled by its data file ``test.eeg`` (MNE's
    ``filenames``), the same recording given by path by ``test.vhdr``: two ids, two rows on
    resume. Both are the file the user named now, in the API and in a run's table; a FIF
    copy keeps its own name, and a Raw built in memory its placeholder."""
    import emofeat
    from emofeat.readers import EEGReader

    path = str(shared_path("eeg", "mne_testdata", name))
    raw = mne.io.read_raw(path, preload=True, verbose="error")
    assert EEGReader().label(raw, 0) == path == EEGReader().label(path, 0)
    assert EEGReader().label(raw.copy().crop(0, 0.5), 0) == path
    # MNE's own reference for what was opened: the reader's argument
    assert os.path.basename(raw.filenames[0]) == name.replace(".vhdr", ".eeg")
    by_obj, by_path = (emofeat.extract([x], "eeg_hjorth") for x in (raw, path))
    assert list(by_obj.index["path"]) == list(by_path.index["path"]) == [path]
    np.testing.assert_array_equal(by_obj.X, by_path.X)
    fif = tmp_path / "copy_raw.fif"
    raw.save(fif, verbose="error")
    assert EEGReader().label(mne.io.read_raw_fif(fif, verbose="error"), 0) == str(fif)
    arr = mne.io.RawArray(raw.get_data()[:2], mne.create_info(2, raw.info["sfreq"], "eeg"),
                          verbose="error")
    assert EEGReader().label(arr, 3) == "<RawArray 3>"


def test_epochs_read_from_a_file_are_labelled_by_it(tmp_path):
    """Regression: an Epochs read from a file (``EpochsFIF``) was ``<EpochsFIF k>`` where a
    Raw is labelled by its file, and the same file given by path by the path: two ids for one
    recording. MNE keeps the file opened in ``filename`` (absolute), not the reader's
    argument; an Epochs cut from a Raw in memory has no file and keeps its placeholder."""
    import emofeat
    from emofeat.readers import EEGReader

    raw = mne.io.read_raw_brainvision(shared_path("eeg", "mne_testdata", "test.vhdr"),
                                      preload=True, verbose="error")
    epochs = mne.make_fixed_length_epochs(raw, duration=2.0, preload=True, verbose="error")
    path = str(tmp_path / "rec-epo.fif")
    epochs.save(path, verbose="error")
    read = mne.read_epochs(path, verbose="error")
    assert EEGReader().label(read, 0) == path == EEGReader().label(path, 0)
    by_obj, by_path = (emofeat.extract([x], "eeg_hjorth") for x in (read, path))
    assert list(by_obj.index["path"]) == list(by_path.index["path"]) == [path] * len(epochs)
    np.testing.assert_array_equal(by_obj.X, by_path.X)
    assert EEGReader().label(epochs, 3) == "<Epochs 3>"


def test_an_epochs_file_keeps_its_spelling_and_names_its_object_in_a_run(tmp_path,
                                                                        monkeypatch):
    """Regression (8499e6f): an epochs file's path was made absolute in the API while every
    other file kept its spelling: ``extract(['sub/rec-epo.fif', 'sub/rec_raw.fif'])`` gave
    ``['/.../sub/rec-epo.fif', 'sub/rec_raw.fif']``, a DataFrame manifest's path column was
    rewritten (a join back to it on ``path`` found nothing), and an output's epochs rows
    kept the old absolute path when the project folder moved (the relative-path resume rule
    read them nowhere). Now a path keeps its spelling; an Epochs object read from a file is
    labelled by the path the run gives for that file (its first listing), else relative to
    the working folder under it, else absolute. The object beside its path was 6 rows of
    one path, each epoch twice, silently: now one input where first listed, as a repeated
    path, and, where the run cannot merge them (other data, inputs that are not files), a
    warning naming both. Real BrainVision recording saved as epochs with F4 flat."""
    import shutil

    import emofeat
    from emofeat.eeg_input import EEGReadWarning
    from emofeat.errors import EEGReadError
    from emofeat.readers import EEGReader, read_eeg_file
    from emofeat.runner import run

    raw = mne.io.read_raw_brainvision(shared_path("eeg", "mne_testdata", "test.vhdr"),
                                      preload=True, verbose="error")
    proj = tmp_path / "proj"
    proj.mkdir()
    monkeypatch.chdir(proj)
    os.mkdir("sub")
    raw.save("sub/rec_raw.fif", verbose="error")
    epochs = mne.make_fixed_length_epochs(raw, duration=2.0, preload=True, verbose="error")
    data = epochs.get_data()
    data[:, epochs.ch_names.index("F4")] = 1e-6  # a loose electrode: a warning to name it
    mne.EpochsArray(data, epochs.info, verbose="error").save("sub/rec-epo.fif",
                                                             verbose="error")
    absolute = str(proj / "sub" / "rec-epo.fif")
    label = EEGReader().label
    spellings = ["sub/rec-epo.fif", "./sub/rec-epo.fif", "sub/../sub/rec-epo.fif", absolute]
    assert [label(x, 0) for x in spellings] == spellings
    read = mne.read_epochs("sub/../sub/rec-epo.fif", verbose="error")
    assert label(read, 0) == os.path.join("sub", "rec-epo.fif")  # under the working folder
    assert read_recording("./sub/rec-epo.fif").source == "./sub/rec-epo.fif"
    by_mne = mne.read_epochs("sub/rec-epo.fif", verbose="error").pick("eeg")
    mne_var = np.var(by_mne.get_data(), axis=-1)
    names = [by_mne.ch_names[0], by_mne.ch_names[-1]]
    act = None

    def extracted(items):
        with warnings.catch_warnings(record=True) as rec:
            warnings.simplefilter("always")
            table = emofeat.extract(items, "eeg_hjorth")
        flat = {str(w.message).split(": ")[0] for w in rec if "flat (constant)" in str(w.message)}
        return table, flat, [w for w in rec if issubclass(w.category, EEGReadWarning)]

    table, flat, _ = extracted(["sub/rec-epo.fif", "sub/rec_raw.fif"])
    assert list(table.index["path"]) == ["sub/rec-epo.fif"] * 3 + ["sub/rec_raw.fif"]
    frame = pd.DataFrame({"path": ["./sub/rec-epo.fif", "sub/rec_raw.fif"], "subject": [1, 2]})
    table, flat, _ = extracted(frame)
    assert list(frame["path"]) == ["./sub/rec-epo.fif", "sub/rec_raw.fif"]  # not rewritten
    joined = table.index.merge(frame, on="path", suffixes=("", "_m"))
    assert len(joined) == 4 and list(joined["subject_m"]) == [1, 1, 1, 2]
    assert flat == {"./sub/rec-epo.fif"}
    for spelling in spellings:
        for items in ([spelling, read], [read, spelling], [spelling, read, spelling]):
            table, flat, told = extracted(items)
            # one input, the first listing, named as the path given: not 6 rows
            assert list(table.index["path"]) == [spelling] * 3, items
            assert list(table.index["epoch"]) == [0, 1, 2] and flat == {spelling} and not told
            act = [table.feature_names.index(f"eeg_hjorth_activity_{c}") for c in names]
            np.testing.assert_allclose(table.X[:, act], mne_var[:, [0, -1]], rtol=1e-9)
    # the key of an Epochs saved from an EpochsArray (read back without annotations): it
    # raised AttributeError ('NoneType' ... 'onset'), in a run with an output too
    again = mne.read_epochs("sub/rec-epo.fif", verbose="error")
    assert EEGReader().key(read, 0) == EEGReader().key(again, 1)
    # not merged: other data than the file, or an input that is not a file beside them
    changed = read.copy()
    changed._data[:, 0] *= 2
    eeg = raw.copy().pick("eeg")
    x = (eeg.get_data()[:, :2000], eeg.info["sfreq"], tuple(eeg.ch_names))
    other = ("a selection of the file's epochs, a filtered copy, or data changed since "
             "reading), so both are extracted, their rows under one path: nothing in those "
             "rows tells which input gave them (in an output, their signal_key column tells "
             "them apart); "
             "to name each, give it as (data, sfreq, "
             "ch_names) or save it to a file of its own")
    table, flat, told = extracted(["sub/rec-epo.fif", changed])
    assert list(table.index["path"])[:6] == ["sub/rec-epo.fif"] * 6
    assert [str(w.message) for w in told] == [
        "sub/rec-epo.fif: inputs 0 ('sub/rec-epo.fif') and 1 (an EpochsFIF read from it) "
        f"are one file; input 1 holds other data than the file ({other}"], told
    # beside an input that is not a file, the object holding the file's data is the path
    # listed again too (session 41: both were extracted, the file's epochs twice)
    table, flat, told = extracted(["sub/rec-epo.fif", read, x])
    assert list(table.index["path"]) == ["sub/rec-epo.fif"] * 3 + ["<array 2>"] and not told
    # two objects of the file, no path for it: one input where they hold the same data (6
    # rows and a warning before), refused where they differ (6 rows of one path before)
    again = mne.read_epochs("sub/../sub/rec-epo.fif", verbose="error")
    for items in ([read, read], [read, again], [again, "sub/rec_raw.fif", read, again]):
        table, flat, told = extracted(items)
        rows = list(table.index["path"])
        assert rows[:3] == ["sub/rec-epo.fif"] * 3 and not told, items
        assert len(rows) == 3 + items.count("sub/rec_raw.fif") and flat == {"sub/rec-epo.fif"}
        np.testing.assert_allclose(table.X[:3, act], mne_var[:, [0, -1]], rtol=1e-9)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        res = run([read, again], [emofeat.get_extractor("eeg_hjorth")])
    assert res.n_repeated == 1 and len(res.table.X) == 3
    # objects of the file holding other data (changed since reading; a selection of its
    # epochs, as epochs['pos'] and epochs['neg']): both extracted, with the warning (session
    # 37 refused them for a while, aborting the run, with "one changed after reading?")
    for items in ([read, changed], [x, changed, read], [read[[0, 2]], read[[1]]]):
        table, flat, told = extracted(items)
        at, k = [i for i, it in enumerate(items) if not isinstance(it, tuple)]
        rows = list(table.index["path"])
        assert rows.count("sub/rec-epo.fif") == len(items[at]) + len(items[k]), items
        assert [str(w.message) for w in told] == [
            f"sub/rec-epo.fif: inputs {at} (an EpochsFIF read from it) and {k} (an EpochsFIF "
            f"read from it) are one file; input {k} holds other data than input {at} "
            f"({other}"], told
    # the same data beside an input that is not a file: one input too (session 41; both were
    # extracted with a warning); where the file changed since: both extracted, the warning
    table, flat, told = extracted([read, again, x])
    assert list(table.index["path"]) == ["sub/rec-epo.fif"] * 3 + ["<array 2>"] and not told
    read.save("sub/copy-epo.fif", verbose="error")
    copies = [mne.read_epochs("sub/copy-epo.fif", verbose="error") for _ in range(2)]
    changed.save("sub/copy-epo.fif", overwrite=True, verbose="error")
    table, flat, told = extracted(copies)
    assert list(table.index["path"]) == ["sub/copy-epo.fif"] * 6
    np.testing.assert_array_equal(table.X[:3], table.X[3:])
    assert [str(w.message) for w in told] == [
        "sub/copy-epo.fif: inputs 0 (an EpochsFIF read from it) and 1 (an EpochsFIF read from "
        "it) are one file; input 1 holds the data of input 0, which is not the file's (a "
        "selection of the file's epochs, a filtered copy, or data changed since reading), so "
        "both are extracted, their rows under one path: list the file once"], told
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        res = run(["./sub/rec-epo.fif", read], [emofeat.get_extractor("eeg_hjorth")],
                  output="merged.parquet")
    assert res.n_repeated == 1
    assert list(pd.read_parquet("merged.parquet")["path"]) == ["./sub/rec-epo.fif"] * 3
    # the object alone read from outside the working folder: absolute
    monkeypatch.chdir(tmp_path / "proj" / "sub")
    assert label(read, 0) == "rec-epo.fif"
    monkeypatch.chdir(tmp_path)
    os.mkdir("elsewhere")
    monkeypatch.chdir(tmp_path / "elsewhere")
    assert label(read, 0) == absolute
    # an output of relative paths, the project folder moved: its rows are read there
    monkeypatch.chdir(proj)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        run(["sub/rec-epo.fif", "sub/rec_raw.fif"], [emofeat.get_extractor("eeg_hjorth")],
            output="out.parquet")
        monkeypatch.chdir(tmp_path)
        shutil.move(str(proj), str(tmp_path / "moved"))
        monkeypatch.chdir(tmp_path / "moved")
        res = run(["sub/rec-epo.fif", "sub/rec_raw.fif"],
                  [emofeat.get_extractor("eeg_hjorth")], output="out.parquet")
    assert res.n_skipped == 2
    held = pd.read_parquet("out.parquet")
    assert sorted(held.groupby("path").size().items()) == [("sub/rec-epo.fif", 3),
                                                           ("sub/rec_raw.fif", 1)]
    with open("sub/bad-epo.fif", "wb") as f:
        f.write(b"not a FIF file")
    with pytest.raises(EEGReadError) as err:
        read_eeg_file("./sub/bad-epo.fif")
    assert err.value.source == "./sub/bad-epo.fif"


def test_crops_of_one_raw_file_are_both_extracted_with_a_warning():
    """Regression: two Raw objects of one file holding different data (crops of a
    session's blocks, as a study cuts one recording into conditions) were refused with an
    ``InputError`` ("one changed after reading?"), which ended a run even under
    ``on_error="record"``, and named the objects "an RawBrainVision". They are two inputs
    again, their rows under the file's path, with a warning that says what they may be and
    how to tell their rows apart. Real BrainVision recording."""
    import emofeat
    from emofeat.eeg_input import EEGReadWarning
    from emofeat.readers import same_mne_data
    from emofeat.runner import run

    path = str(shared_path("eeg", "mne_testdata", "test.vhdr"))
    raw = mne.io.read_raw_brainvision(path, preload=True, verbose="error")
    a, b = raw.copy().crop(0, 2.5), raw.copy().crop(2.5, 5.0)
    with warnings.catch_warnings(record=True) as rec:
        warnings.simplefilter("always")
        res = run([a, b], [emofeat.get_extractor("eeg_hjorth")], on_error="record")
    assert len(res.errors) == 0 and list(res.table.index["path"]) == [path, path]
    told = [str(w.message) for w in rec if issubclass(w.category, EEGReadWarning)]
    assert told == [
        f"{path}: inputs 0 (a RawBrainVision read from it) and 1 (a RawBrainVision read from "
        "it) are one file; input 1 holds other data than input 0 (a crop of the file's "
        "recording, a filtered copy, or data changed since reading), so both are extracted, "
        "their rows under one path: nothing in those rows tells which input gave them (in "
        "an output, their signal_key column tells them apart); to "
        "name each, give it as (data, sfreq, ch_names) or save it to a file of its own"]
    # the comparison: the same object, an equal copy, and what tells other data apart
    again = mne.io.read_raw_brainvision(path, preload=True, verbose="error")
    assert same_mne_data(raw, raw) and same_mne_data(raw, again)
    assert not same_mne_data(a, b) and not same_mne_data(raw, a)
    assert not same_mne_data(raw, raw.copy().filter(1.0, 40.0, verbose="error"))
    renamed = again.copy()
    renamed.rename_channels({renamed.ch_names[0]: "X"})
    assert not same_mne_data(raw, renamed)


def test_fif_raw_and_epochs(tmp_path):
    raw = mne.io.read_raw_brainvision(
        shared_path("eeg", "mne_testdata", "test.vhdr"), preload=True, verbose="error"
    )
    raw.pick("eeg")
    fif = tmp_path / "rec_raw.fif"
    raw.save(fif, verbose="error")
    rec = read_recording(fif)
    np.testing.assert_allclose(rec.data, raw.get_data(), rtol=1e-6)  # FIF stores float32
    epochs = mne.make_fixed_length_epochs(raw, duration=2.0, preload=True, verbose="error")
    efif = tmp_path / "rec-epo.fif"
    epochs.save(efif, verbose="error")
    rec = read_recording(efif)
    n = epochs.get_data().shape[2]
    assert rec.breaks == tuple(n * k for k in range(1, len(epochs)))
    # windows never straddle two epochs
    ep, meta = window_recording(rec, window=1.5, hop=1.0)
    assert len(ep) == len(epochs) and (meta["start"] * rec.sfreq % n == 0).all()


@pytest.mark.parametrize("name", ["s01-epo.fif.gz", "s01_epo.fif.gz", "s01-epo.fif",
                                  "s01_epo.fif"])
def test_epochs_fif_named_any_mne_way_is_read_by_the_extractors_too(tmp_path, name):
    """One rule (``is_epochs_fif``) for ``read_recording`` and the extractors' reader: an
    epochs file saved as ``-epo.fif.gz`` (or ``_epo.fif.gz``) was read by the first and
    refused by every extractor ("No raw data")."""
    from emofeat.extractors import EEGBandPower, EEGStats

    x = np.random.default_rng(0).standard_normal((3, 3, 500)) * 1e-5
    info = mne.create_info(["Fp1", "Fp2", "Cz"], 250.0, "eeg")
    path = tmp_path / name
    mne.EpochsArray(x, info, verbose="error").save(path, verbose="error")
    rec = read_recording(path)
    assert rec.data.shape == (3, 1500) and rec.breaks == (500, 1000)
    data = mne.read_epochs(path, verbose="error").get_data()  # as the file stores it
    for cls in (EEGStats, EEGBandPower):
        ext = cls(sfreq=250.0)
        got = ext.fit_transform([str(path)])
        assert ext.channels_ == ("Fp1", "Fp2", "Cz")
        np.testing.assert_array_equal(got, cls().fit_transform([(data, 250.0, info.ch_names)]))
    from emofeat.eeg_input import is_epochs_fif

    assert is_epochs_fif(path) and is_epochs_fif(str(path).upper())
    assert not is_epochs_fif(tmp_path / "s01_raw.fif.gz") and not is_epochs_fif("epo.fif.csv")


def test_epochs_are_read_and_compared_without_mne_16s_copy_warning(tmp_path):
    """MNE 1.6 (which mne>=1.6 allows) warns "The current default of copy=False will change
    to copy=True in 1.7" (a FutureWarning, naming no file) for each ``Epochs.get_data``
    left without ``copy``: :func:`read_recording` of an epochs file told it once, and
    ``same_mne_data`` of two Epochs once a block of epochs. Nothing is told now, and the
    samples are MNE's. (MNE 1.7 and later do not warn, so only a run on 1.6 tells the old
    code from the new.)"""
    from emofeat import readers

    x = np.random.default_rng(1).standard_normal((4, 2, 300)) * 1e-5
    info = mne.create_info(["Fz", "Cz"], 200.0, "eeg")
    path = tmp_path / "s02-epo.fif"
    mne.EpochsArray(x, info, verbose="error").save(path, verbose="error")
    a = mne.read_epochs(path, preload=True, verbose="error")
    b = mne.read_epochs(path, preload=True, verbose="error")
    want = a.get_data(copy=True)
    with warnings.catch_warnings(record=True) as rec:
        warnings.simplefilter("always")
        got = read_recording(path)
        assert readers.same_mne_data(a, b)
        b.get_data(copy=False)[-1, -1, -1] += 1.0  # the last epoch's last sample
        assert not readers.same_mne_data(a, b)
    assert [f"{w.category.__name__}: {w.message}" for w in rec] == []
    np.testing.assert_array_equal(got.data, np.concatenate(list(want), axis=1))
    assert got.breaks == (300, 600, 900)
    np.testing.assert_array_equal(a.get_data(copy=True), want)  # read, not written to


def test_eeglab_set(tmp_path):
    pytest.importorskip("eeglabio", reason="writing an EEGLAB file for the test needs eeglabio")
    raw = mne.io.read_raw_brainvision(
        shared_path("eeg", "mne_testdata", "test.vhdr"), preload=True, verbose="error"
    )
    raw.pick("eeg")
    path = tmp_path / "rec.set"
    mne.export.export_raw(path, raw, fmt="eeglab", verbose="error")
    rec = read_recording(path)
    np.testing.assert_allclose(rec.data, raw.get_data(), rtol=1e-5, atol=1e-12)


def test_muse_csv_with_gaps():
    folder = shared_path("eeg", "muse_mental_state")
    path = folder / "subjectb-relaxed-2.csv"
    rec = C.read_muse(path)
    df = pd.read_csv(path)
    assert rec.ch_names == ("TP9", "AF7", "AF8", "TP10")
    assert rec.ids == {"subject": "b", "state": "relaxed", "session": "2"}
    t = df["timestamps"].to_numpy()
    dt = np.diff(t)
    assert rec.breaks and set(rec.breaks) == set(np.flatnonzero(dt > 2 * np.median(dt)) + 1)
    # the rate: sample intervals over the time they span between the gaps; this file's stamps
    # are uneven around its gaps (one stretch in 4-5 ms steps), 254.2 Hz for the 256 Hz headband
    first, last = np.array([0, *rec.breaks]), np.array([*rec.breaks, len(t)]) - 1
    assert rec.sfreq == pytest.approx((last - first).sum() / (t[last] - t[first]).sum(),
                                      rel=1e-12)
    assert abs(rec.sfreq - 256.0) < 0.01 * 256.0
    ep, meta = window_recording(rec, window=2.0, hop=1.0)
    n = int(round(2.0 * rec.sfreq))
    # the windows' starts are on the file's clock (session 54): back to samples, each from
    # its stretch's first
    edges, clock = np.array([0, *rec.breaks]), np.asarray(rec.stretch_starts)
    k = np.searchsorted(clock, meta["start"].to_numpy() + 1e-9, side="right") - 1
    samples = edges[k] + ((meta["start"].to_numpy() - clock[k]) * rec.sfreq).round().astype(int)
    np.testing.assert_array_equal(ep[:, 0, 0], rec.data[0, samples])
    for start in samples:
        span = t[start + n - 1] - t[start]
        assert span < (n - 1) * np.median(dt) * 1.5  # no gap inside a window
    assert (meta["subject"] == "b").all() and (meta["state"] == "relaxed").all()
    np.testing.assert_array_equal(ep[3], rec.data[:, samples[3]:][:, :n])


def test_a_rate_estimated_from_timestamps_is_taken_as_the_nominal_one():
    """The Muse files' rate, estimated from their timestamps, is 256.02 Hz (80 ppm off the
    headband's 256 Hz): an extractor told ``sfreq=256`` analyses them at 256 Hz, within 0.1 %
    (``ESTIMATED_RATE_RTOL``) of the requested rate, as an extractor without ``sfreq`` would
    at 256 Hz exactly; ``sfreq=250`` (the median-step estimate of old) is refused."""
    from emofeat.extractors import EEGBandPower, EEGStats

    from emofeat.errors import SignalTypeError
    from emofeat.readers import EEGReader

    path = shared_path("eeg", "muse_mental_state", "subjecta-neutral-1.csv")
    rec = read_recording(path, picks=None)
    assert rec.sfreq != 256.0 and abs(rec.sfreq - 256.0) < 256.0 * 1e-4
    sigs = EEGReader(sfreq=256.0).read(str(path))
    assert {s.sfreq for s in sigs} == {256.0}
    for cls in (EEGStats, EEGBandPower):
        got = cls(sfreq=256.0).fit_transform([str(path)])
        want = cls().fit_transform([(rec.data, 256.0, rec.ch_names)])
        np.testing.assert_array_equal(got, want)
    with pytest.raises(SignalTypeError, match=r"sampled at 256.02 Hz \(estimated from its "
                       r"timestamps\), the extractor expects 250 Hz"):
        EEGBandPower(sfreq=250.0).fit_transform([str(path)])


def test_the_rate_of_a_muse_file_is_its_samples_over_their_timestamps_span():
    """Regression: the rate was one over the median timestamp step; the Muse timestamps are
    rounded to milliseconds (steps of 3 and 4 ms), so the median, 4 ms, gave 250.003 Hz for
    files holding 256 samples a second of their own timestamps: every frequency 2.4 % low."""
    path = shared_path("eeg", "muse_mental_state", "subjecta-relaxed-1.csv")
    t = pd.read_csv(path, usecols=["timestamps"])["timestamps"].to_numpy()
    steps = np.unique(np.round(np.diff(t) * 1000))
    assert steps.tolist() == [3.0, 4.0] and np.median(np.diff(t)) == pytest.approx(4e-3, 1e-4)
    rec = C.read_muse(path)
    assert rec.breaks == ()
    assert abs(rec.sfreq - 256.0) < 256.0 * 1e-3
    assert rec.sfreq == pytest.approx((len(t) - 1) / (t[-1] - t[0]), rel=1e-3)
    assert abs(rec.duration - (t[-1] - t[0])) < 0.01  # 59.38 s, not 60.8 s


def test_the_rate_of_millisecond_rounded_timestamps(tmp_path):
    """A synthetic 256 Hz CSV whose timestamps are rounded to 1 ms (as Muse exports): its
    rate is 256 Hz within 0.01 %, with a gap or not, and an extractor told ``sfreq=256``
    takes it (the median step, 4 ms, said 250 Hz and was refused)."""
    from emofeat.extractors import EEGBandPower

    rng = np.random.default_rng(3)
    names = ["TP9", "AF7", "AF8", "TP10"]
    x = rng.standard_normal((4, 30 * 256))
    t = 1.6e9 + np.arange(x.shape[1]) / 256.0
    t[4000:] += 5.0  # a 5 s gap
    for stamps, breaks in ((np.round(t - 5.0 * (np.arange(t.size) >= 4000), 3), ()),
                           (np.round(t, 3), (4000,))):
        path = tmp_path / f"rec{len(breaks)}.csv"
        frame = pd.DataFrame(x.T, columns=names)
        frame.insert(0, "timestamps", stamps)
        frame.to_csv(path, index=False, float_format="%.17g")
        assert np.median(np.diff(pd.read_csv(path)["timestamps"])) == pytest.approx(4e-3, 1e-4)
        rec = read_recording(path)
        assert rec.breaks == breaks
        assert abs(rec.sfreq - 256.0) < 256.0 * 1e-4, rec.sfreq
        got = EEGBandPower(sfreq=256.0).fit_transform([str(path)])
        assert got.shape[0] == 1 + len(breaks)


def test_csv_samples_are_the_numbers_the_file_holds(tmp_path):
    """A CSV recording's samples are the doubles nearest to the numbers written (Python's
    ``float`` of each cell): pandas 2's default parser read some a unit in
    the last place off (3.6e-15 on unit-variance samples written by ``to_csv``), so the
    features of a recording saved and read back differed from its own."""
    x = np.random.default_rng(0).standard_normal((4, 2500))
    names = ["TP9", "AF7", "AF8", "TP10"]
    frame = pd.DataFrame(x.T, columns=names)
    frame.insert(0, "timestamps", 1.6e9 + np.arange(x.shape[1]) / 250.0)
    path = tmp_path / "rec.csv"
    frame.to_csv(path, index=False)
    cells = [line.split(",") for line in path.read_text().splitlines()[1:]]
    written = np.array([[float(v) for v in row] for row in cells]).T
    rec = read_recording(str(path))
    assert rec.ch_names == tuple(names)
    np.testing.assert_array_equal(rec.data, written[1:])


def test_an_estimated_rate_further_off_or_a_declared_rate_off_at_all_is_refused(tmp_path):
    """Within 0.1 % of the extractor's ``sfreq`` an estimated rate (a CSV's timestamps) is
    taken as ``sfreq``; further off it is refused, naming the estimate; a rate the caller or
    a file header declares (a tuple, an MNE object, a FIF file) must match exactly."""
    from emofeat.extractors import EEGBandPower

    from emofeat.errors import SignalTypeError

    x = np.random.default_rng(0).standard_normal((4, 2500))
    names = ["TP9", "AF7", "AF8", "TP10"]
    want = EEGBandPower().fit_transform([(x, 250.0, names)])

    def csv(rate):
        path = tmp_path / f"rec_{rate}.csv"
        frame = pd.DataFrame(x.T, columns=names)
        frame.insert(0, "timestamps", 1.6e9 + np.arange(x.shape[1]) / rate)
        frame.to_csv(path, index=False)
        return str(path)

    for rate in (250.0, 250.2, 249.8):  # 0.08 %: clock drift, analysed at 250 Hz
        np.testing.assert_array_equal(EEGBandPower(sfreq=250.0).fit_transform([csv(rate)]),
                                      want)
    for rate in (250.3, 256.0):
        with pytest.raises(SignalTypeError, match=r"rec_.*sampled at 25\d(\.\d+)? Hz \(estimated "
                           r"from its timestamps\), the extractor expects 250 Hz"):
            EEGBandPower(sfreq=250.0).fit_transform([csv(rate)])
    declared = [(x, 250.0032, names),
                mne.io.RawArray(x * 1e-6, mne.create_info(names, 250.0032, "eeg"),
                                verbose="error")]
    fif = tmp_path / "rec_raw.fif"
    declared[1].save(fif, verbose="error")
    for item in (*declared, str(fif)):
        with pytest.raises(SignalTypeError, match="sampled at 250.003 Hz, the extractor "
                           "expects 250 Hz"):
            EEGBandPower(sfreq=250.0).fit_transform([item])
    from emofeat.readers import ESTIMATED_RATE_RTOL

    assert ESTIMATED_RATE_RTOL == 1e-3  # the tolerance docs/eeg.md and docs/inputs.md state


def test_muse_manifest():
    m = C.load_muse_mental_state(shared_path("eeg", "muse_mental_state"))
    assert len(m) == 24 and set(m["subject"]) == {"a", "b", "c", "d"}
    assert set(m["state"]) == {"concentrating", "neutral", "relaxed"} and set(m["session"]) == {
        "1",
        "2",
    }


def test_csv_errors_name_the_file(tmp_path):
    bad = tmp_path / "no_time.csv"
    pd.DataFrame({"TP9": [1.0, 2.0], "AF7": [1.0, 3.0]}).to_csv(bad, index=False)
    with pytest.raises(InputError, match="no_time.csv.*time column"):
        read_recording(bad)
    back = tmp_path / "backwards.csv"
    pd.DataFrame({"timestamps": [0.0, 0.004, 0.002, 0.006], "TP9": [1.0, 2.0, 3.0, 4.0]}).to_csv(
        back, index=False
    )
    with pytest.raises(InputError, match="backwards.csv.*backwards"):
        read_recording(back)
    with pytest.raises(EEGChannelError, match="backwards.csv.*AF7"):
        read_recording(back, picks=["AF7"])
    with pytest.raises(InputError, match="missing.edf.*no such file"):
        read_recording(tmp_path / "missing.edf")
    junk = tmp_path / "junk.edf"
    junk.write_bytes(b"not an edf")
    with pytest.raises(InputError, match="junk.edf.*cannot read EEG"):
        read_recording(junk)


def test_window_layout_and_ids():
    rec = EEGRecording(
        np.arange(3 * 1000, dtype=float).reshape(3, 1000),
        100.0,
        ("a", "b", "c"),
        "<rec>",
        {"subject": "s7", "trial": 3},
    )
    ep, meta = window_recording(rec, window=2.0, hop=0.5)
    starts = window_starts(1000, 100.0, 2.0, 0.5)
    np.testing.assert_array_equal(starts, np.arange(0, 801, 50))
    assert ep.shape == (len(starts), 3, 200)
    for k, s in enumerate(starts):
        np.testing.assert_array_equal(ep[k], rec.data[:, s : s + 200])
    assert (meta["subject"] == "s7").all() and (meta["trial"] == 3).all()
    assert meta["window"].tolist() == list(range(len(starts)))
    np.testing.assert_allclose(meta["end"] - meta["start"], 2.0)
    # no overlap by default; breaks restart the layout
    np.testing.assert_array_equal(window_starts(1000, 100.0, 3.0), [0, 300, 600])
    np.testing.assert_array_equal(window_starts(1000, 100.0, 3.0, breaks=[450]), [0, 450])
    with pytest.raises(TooShortError, match="<rec>"):
        window_recording(rec, window=20.0)
    with pytest.raises(ValueError, match="hop"):
        window_starts(1000, 100.0, 1.0, -1.0)


def test_window_recordings_keeps_trials_apart():
    recs = [
        EEGRecording(
            np.random.default_rng(i).standard_normal((2, 400 + 50 * i)),
            100.0,
            ("x", "y"),
            f"<t{i}>",
            {"subject": f"s{i // 2}", "trial": i},
        )
        for i in range(4)
    ]
    short = EEGRecording(
        np.zeros((2, 50)), 100.0, ("x", "y"), "<short>", {"subject": "s9", "trial": 9}
    )
    with pytest.warns(UserWarning, match="<short>"):
        ep, meta = window_recordings([*recs, short], window=1.0)
    assert len(ep) == len(meta) == sum(4 + (50 * i) // 100 for i in range(4))
    assert meta.groupby("trial")["subject"].nunique().eq(1).all()
    other = EEGRecording(np.zeros((3, 400)), 100.0, ("x", "y", "z"), "<other>")
    with pytest.raises(EEGChannelError, match="<other>"):
        window_recordings([recs[0], other], window=1.0)


def test_window_recordings_of_muse_files_cut_at_the_device_rate():
    """The Muse files' rates are estimates from their timestamps, 256.01-256.20 Hz, a
    different one per file: window_recordings refused any two of them (and 4 s was 1024
    samples in one file, 1025 in another). At sfreq=256 they are cut as the extractors
    analyse them; the windows are the files' samples, and their band power is MNE's
    (psd_array_welch on each window at 256 Hz, 1 s segments, half overlap, half-open bands:
    rtol 1e-9; observed ~1e-15)."""
    from emofeat.extractors.eeg import DEFAULT_BANDS
    from emofeat.extractors.eeg_sets import EEGBandPower
    from mne.time_frequency import psd_array_welch

    from emofeat.errors import SignalTypeError

    names = ["subjecta-concentrating-1", "subjecta-concentrating-2", "subjectc-neutral-2",
             "subjectd-concentrating-2"]  # 256.01 and 256.20 Hz; 9 s; 3.5 s (no 4 s window)
    recs = [read_recording(shared_path("eeg", "muse_mental_state", f"{n}.csv")) for n in names]
    assert len({float(r.sfreq) for r in recs}) == len(recs)
    with pytest.raises(EEGChannelError, match="pass sfreq"):
        window_recordings(recs, 4.0, 2.0)
    with pytest.warns(UserWarning, match="subjectd-concentrating-2"):
        ep, meta = window_recordings(recs, 4.0, 2.0, sfreq=256)
    assert ep.shape[1:] == (4, 1024) and len(ep) == len(meta)
    for k in range(len(ep)):
        rec = recs[[r.source for r in recs].index(meta["source"][k])]
        a = round(meta["start"][k] * 256)
        assert meta["end"][k] - meta["start"][k] == 4.0
        np.testing.assert_array_equal(ep[k], rec.data[:, a : a + 1024])
    assert meta["source"].nunique() == 3
    ext = EEGBandPower(kinds=("abs",), sfreq=256, ch_names=recs[0].ch_names)
    X = ext.fit_transform(ep)
    psd, f = psd_array_welch(ep, 256.0, n_fft=256, n_per_seg=256, n_overlap=128,
                             verbose="error")
    ref = np.stack([psd[..., (f >= lo) & (f < hi)].sum(-1) * (f[1] - f[0])
                    for lo, hi in DEFAULT_BANDS.values()], 1)  # (window, band, channel)
    np.testing.assert_allclose(X, ref.reshape(len(ep), -1), rtol=1e-9)
    # a recording with dropped samples (254.2 Hz) is no 256 Hz recording: refused, named
    gap = read_recording(shared_path("eeg", "muse_mental_state", "subjectb-relaxed-2.csv"))
    with pytest.raises(SignalTypeError, match="subjectb-relaxed-2"):
        window_recordings([recs[0], gap], 4.0, 2.0, sfreq=256)


def test_filter_recording_matches_mne():
    rec = C.read_muse(shared_path("eeg", "muse_mental_state", "subjecta-neutral-1.csv"))
    x = rec.data[:, :5000]
    ours = filter_recording(x, rec.sfreq, 1.0, 45.0, notch=50.0)
    ref = mne.filter.filter_data(
        mne.filter.notch_filter(x, rec.sfreq, [50.0], verbose="error"),
        rec.sfreq,
        1.0,
        45.0,
        verbose="error",
    )
    np.testing.assert_allclose(ours, ref, rtol=1e-9, atol=1e-9 * np.abs(ref).max())
    with pytest.raises(ValueError, match="Nyquist"):
        filter_recording(x, rec.sfreq, 1.0, 200.0)


def test_baseline_correct():
    rng = np.random.default_rng(0)
    f, b = rng.standard_normal((6, 4)), rng.standard_normal((3, 4))
    np.testing.assert_allclose(baseline_correct(f, b), f - b.mean(0))
    np.testing.assert_allclose(baseline_correct(f, b, mode="ratio"), f / b.mean(0))
    np.testing.assert_allclose(baseline_correct(f, b.mean(0)), f - b.mean(0))
    with pytest.raises(ValueError, match="features"):
        baseline_correct(f, b[:, :3])


def test_check_channels_names_bad_ones():
    x = np.random.default_rng(1).standard_normal((2, 3, 100))
    x[1, 1] = 0.0
    x[0, 2, 5] = np.nan
    names = ["Fz", "Cz", "Pz"]
    with pytest.raises(EEGChannelError, match=r"<rec 1>.*Cz \(flat\).*Pz \(non-finite"):
        check_channels(x, names, "<rec 1>", on_bad="raise")
    with pytest.raises(NonFiniteInputError, match="Pz"):
        check_channels(x[:, [0, 2]], ["Fz", "Pz"], "<rec 2>", on_bad="raise")
    with pytest.warns(UserWarning) as record:
        mask = check_channels(x, names, "<rec 1>")
    assert sorted(str(w.message).split()[3] for w in record) == ["Cz", "Pz"]
    assert mask.tolist() == [False, True, True]
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert check_channels(x[:, :1], names[:1], on_bad="raise").tolist() == [False]


# --------------------------------------------------------------------------- corpora


def test_deap_reader(tmp_path):
    rng = np.random.default_rng(2)
    data = rng.standard_normal((3, 40, 8064)).astype(np.float32)
    labels = rng.uniform(1, 9, size=(3, 4))
    with open(tmp_path / "s07.dat", "wb") as fh:
        pickle.dump({"data": data, "labels": labels}, fh, protocol=2)
    trials = C.load_deap(tmp_path)
    assert len(trials) == 3
    t = trials[1]
    assert t.sfreq == 128.0 and t.ch_names == C.DEAP_EEG_CHANNELS and t.data.shape == (32, 7680)
    np.testing.assert_array_equal(t.baseline, data[1, :32, :384])
    np.testing.assert_array_equal(t.data, data[1, :32, 384:])
    assert t.ids["subject"] == "07" and t.ids["trial"] == 2
    assert [t.ids[k] for k in C.DEAP_LABELS] == labels[1].tolist()
    whole = C.read_deap(tmp_path / "s07.dat", peripheral=True, split_baseline=False)[0]
    assert whole.data.shape == (40, 8064) and whole.ch_names[-1] == "Temperature"
    (tmp_path / "s99.dat").write_bytes(b"junk")
    with pytest.raises(InputError, match="s99.dat"):
        C.read_deap(tmp_path / "s99.dat")


def _dreamer_file(path, n_subjects=2, n_clips=3, rng=None, trim=None):
    """A DREAMER.mat of random EEG; ``trim=(subject index, field)``: that subject's field
    (a score array, ``baseline``) one trial short."""
    from scipy.io import savemat

    rng = rng or np.random.default_rng(3)
    electrodes = [
        "AF3",
        "F7",
        "F3",
        "FC5",
        "T7",
        "P7",
        "O1",
        "O2",
        "P8",
        "T8",
        "FC6",
        "F4",
        "F8",
        "AF4",
    ]
    subjects = np.empty((1, n_subjects), dtype=object)
    truth = []
    for s in range(n_subjects):
        stim, base = np.empty((n_clips, 1), dtype=object), np.empty((n_clips, 1), dtype=object)
        for c in range(n_clips):
            stim[c, 0] = rng.standard_normal((300 + 10 * c, 14))
            base[c, 0] = rng.standard_normal((200, 14))
        scores = {
            k: rng.integers(1, 6, size=(n_clips, 1)).astype(float)
            for k in ("ScoreValence", "ScoreArousal", "ScoreDominance")
        }
        if trim is not None and trim[0] == s:
            if trim[1] == "baseline":
                base = base[:-1]
            else:
                scores[trim[1]] = scores[trim[1]][:-1]
        subjects[0, s] = {
            "Age": 20 + s,
            "Gender": "female",
            "EEG": {"baseline": base, "stimuli": stim},
            "ECG": {"baseline": base, "stimuli": stim},
            **scores,
        }
        truth.append((stim, base, scores))
    names = np.empty((1, 14), dtype=object)
    names[0, :] = electrodes
    savemat(
        path,
        {
            "DREAMER": {
                "Data": subjects,
                "EEG_SamplingRate": 128.0,
                "ECG_SamplingRate": 256.0,
                "EEG_Electrodes": names,
                "noOfSubjects": float(n_subjects),
                "noOfVideoSequences": float(n_clips),
            }
        },
    )
    return electrodes, truth


def test_dreamer_reader(tmp_path):
    path = tmp_path / "DREAMER.mat"
    electrodes, truth = _dreamer_file(path)
    trials = C.read_dreamer(path)
    assert len(trials) == 6
    t = trials[4]  # subject 2, clip 2
    stim, base, scores = truth[1]
    assert t.ch_names == tuple(electrodes) and t.sfreq == 128.0
    np.testing.assert_array_equal(t.data, stim[1, 0].T)
    np.testing.assert_array_equal(t.baseline, base[1, 0].T)
    assert t.ids["subject"] == "02" and t.ids["trial"] == 2 and t.ids["age"] == 21
    assert (
        t.ids["valence"] == scores["ScoreValence"][1, 0]
        and t.ids["dominance"] == scores["ScoreDominance"][1, 0]
    )
    # windows of a trial, baseline-corrected with the features of its baseline windows
    from emofeat.extractors.eeg import differential_entropy

    ep, meta = window_recording(t, window=1.0)
    bep, _ = window_recording(EEGRecording(t.baseline, t.sfreq, t.ch_names, t.source), window=1.0)
    de = differential_entropy(ep, t.sfreq, method="psd", n_fft=128).reshape(len(ep), -1)
    bde = differential_entropy(bep, t.sfreq, method="psd", n_fft=128).reshape(len(bep), -1)
    np.testing.assert_allclose(baseline_correct(de, bde), de - bde.mean(0))
    from scipy.io import savemat

    savemat(tmp_path / "other.mat", {"x": np.zeros(3)})
    with pytest.raises(InputError, match="other.mat.*DREAMER"):
        C.read_dreamer(tmp_path / "other.mat")


@pytest.mark.parametrize("field", ["ScoreValence", "ScoreDominance", "baseline"])
def test_dreamer_scores_fewer_than_trials_are_refused_naming_the_subject(tmp_path, field):
    """Regression: a subject whose score (or baseline) array was shorter than its trials
    gave a bare ``IndexError: index 2 is out of bounds``, naming neither the file nor the
    subject. Now an ``InputError`` naming both, the field and the counts."""
    path = tmp_path / "DREAMER.mat"
    _dreamer_file(path, trim=(1, field))
    shown = "EEG.baseline" if field == "baseline" else field
    with pytest.raises(InputError, match=rf"DREAMER\.mat#subject2: 3 trials in EEG\.stimuli, "
                       rf"but {shown} has 2 \(one per trial expected\)"):
        C.read_dreamer(path)
    _dreamer_file(path)
    assert len(C.read_dreamer(path)) == 6


def test_seed_zero_padded_file_names_give_the_same_subject(tmp_path):
    """Regression: ``01_20140404.mat`` (a renamed copy) was subject ``"01"`` beside
    ``1_20131027.mat``'s ``"1"``: one person as two subjects of a subject-wise split. Both
    are subject ``"1"`` now, in ``read_seed`` and ``load_seed``; the same session under
    both names is refused naming the two files."""
    from scipy.io import savemat

    savemat(tmp_path / "label.mat", {"label": np.array([[1, 0]])})
    arrays = {"ab_eeg1": np.zeros((62, 4)), "ab_eeg2": np.zeros((62, 4))}
    for name in ("1_20131027", "01_20140404", "002_20140101", "10_20131130"):
        savemat(tmp_path / f"{name}.mat", arrays)
    assert {t.ids["subject"] for t in C.read_seed(tmp_path / "01_20140404.mat")} == {"1"}
    trials = C.load_seed(tmp_path)
    assert [(t.ids["subject"], t.ids["session"]) for t in trials[::2]] == [
        ("1", "20131027"), ("1", "20140404"), ("2", "20140101"), ("10", "20131130")]
    savemat(tmp_path / "1_20140404.mat", arrays)
    with pytest.raises(ValueError, match=r"SEED: .*01_20140404\.mat and .*1_20140404\.mat are "
                       "both subject 1, session 20140404"):
        C.load_seed(tmp_path)


def test_seed_reader(tmp_path):
    from scipy.io import savemat

    rng = np.random.default_rng(4)
    labels = np.array([[1, 0, -1, -1, 0, 1, -1, 0, 1, 1, 0, -1, 0, 1, -1]])
    savemat(tmp_path / "label.mat", {"label": labels})
    arrays = {f"djc_eeg{k}": rng.standard_normal((62, 400 + k)) for k in range(1, 16)}
    savemat(tmp_path / "1_20131027.mat", arrays)
    savemat(
        tmp_path / "2_20140404.mat",
        {f"wyw_eeg{k}": rng.standard_normal((62, 300)) for k in range(1, 16)},
    )
    trials = C.read_seed(tmp_path / "1_20131027.mat")
    assert [t.ids["trial"] for t in trials] == list(
        range(1, 16)
    )  # numeric, not eeg1, eeg10, eeg11 ...
    t = trials[9]
    np.testing.assert_array_equal(t.data, arrays["djc_eeg10"])
    assert t.ids == {
        "subject": "1",
        "session": "20131027",
        "trial": 10,
        "label": 1,
        "emotion": "positive",
    }
    assert t.ch_names == C.SEED_CHANNELS and t.sfreq == 200.0
    assert len(C.load_seed(tmp_path)) == 30
    savemat(tmp_path / "3_20140101.mat", {"djc_eeg1": rng.standard_normal((32, 10))})
    with pytest.raises(InputError, match="djc_eeg1.*62"):
        C.read_seed(tmp_path / "3_20140101.mat")


def test_reader_names_the_channels_with_nonfinite_samples():
    """The EEG reader's check (one Numba pass, ``nonfinite_rows``) flags exactly the channels
    ``~isfinite(data).all()`` flags: NaN, +inf and -inf anywhere in a row (first and last
    sample, in one epoch only), huge finite values and -0.0 not; 2-D and epoched 3-D arrays."""
    from emofeat.readers import EEGChannelWarning, EEGReader, _nonfinite_channels

    rng = np.random.default_rng(3)
    x = rng.standard_normal((3, 6, 257))
    x[0, 1, 0] = np.nan
    x[1, 3, 256] = np.inf
    x[2, 4, 100] = -np.inf
    x[:, 5, 7] = 1.7e308  # finite, and v - v stays 0
    x[:, 0, 9] = -0.0
    for data in (x, x[0], x[1], x[2], np.ascontiguousarray(x[:, :, :3])):
        want = ~np.isfinite(data.reshape(-1, *data.shape[-2:])).all(axis=(0, 2))
        got = _nonfinite_channels(np.ascontiguousarray(data.reshape(-1, *data.shape[-2:])))
        assert got.dtype == np.bool_ and np.array_equal(got, want)
    names = ("Fp1", "Fp2", "F3", "F4", "C3", "C4")
    with pytest.warns(EEGChannelWarning, match=r"channels Fp2, F4, C3: their"):
        sigs = EEGReader(sfreq=128.0).read((x, 128.0, names))
    assert len(sigs) == 3
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        EEGReader(sfreq=128.0).read((x[:, [0, 2, 5]], 128.0, ("Fp1", "F3", "C4")))


def test_a_short_recordings_estimate_gets_one_sample_interval_of_tolerance(tmp_path):
    """Millisecond stamps move a 0.5 s recording's estimate by up to about one sample interval
    over its span (0.2 %; 12 % of such 256 Hz recordings were refused by the 0.1 % rule): the
    tolerance widens to 1/(n - 1), at most 1 %, so 250 Hz is still told from 256 Hz."""
    from emofeat.extractors import EEGStats

    from emofeat.errors import SignalTypeError
    from emofeat.readers import estimated_rate_rtol

    assert estimated_rate_rtol(15000) == 1e-3
    assert estimated_rate_rtol(127) == pytest.approx(1 / 127)
    assert estimated_rate_rtol(10) == 1e-2
    names = ["TP9", "AF7", "AF8", "TP10"]
    rng = np.random.default_rng(3)
    x = rng.standard_normal((4, 128))
    refused = 0
    for k in range(40):
        t = np.round(1.6e9 + rng.uniform(0, 1) + np.arange(128) / 256.0 * (1 + 8e-5), 3)
        path = tmp_path / f"short{k}.csv"
        frame = pd.DataFrame(x.T, columns=names)
        frame.insert(0, "timestamps", t)
        frame.to_csv(path, index=False, float_format="%.3f")
        try:
            EEGStats(sfreq=256.0).fit_transform([str(path)])
        except SignalTypeError:
            refused += 1
        with pytest.raises(SignalTypeError, match="expects 250 Hz"):
            EEGStats(sfreq=250.0).fit_transform([str(path)])
    assert refused == 0


@pytest.mark.parametrize(("factor", "unit"), [(1000, "milliseconds"), (10**6, "microseconds")])
def test_csv_time_column_in_another_unit_is_refused_with_its_unit(tmp_path, factor, unit):
    """A real Muse recording whose stamps count milliseconds (or microseconds) was read at
    0.256 Hz (0.000256 Hz), and every EEG band then failed as "above Nyquist (0.128 Hz)".
    It is refused at the read, naming the unit it looks like and the rate it would give; the
    same file in seconds reads at its ~256 Hz."""
    src = shared_path("eeg", "muse_mental_state", "subjecta-neutral-1.csv")
    frame = pd.read_csv(src)
    frame["timestamps"] = (frame["timestamps"] * factor).round()
    path = tmp_path / "stamped.csv"
    frame.to_csv(path, index=False)
    rate = float(read_recording(src).sfreq)
    assert 255 < rate < 257
    with pytest.raises(InputError, match=rf"they look like {unit} \(25\d\.?\d* Hz if so\): "
                       rf"divide the column by {factor}$"):
        read_recording(path)


def test_filter_recording_with_gaps_filters_each_stretch_as_mne():
    """A real Muse recording with dropped samples (9 gaps): filtered across its gaps, the
    samples after a gap took the filter's response to those before it. Each gap-free
    stretch is filtered on its own, as MNE's ``Raw.filter`` filters the segments between
    ``EDGE boundary`` annotations (raws of the stretches concatenated): equal to 1e-9."""
    rec = read_recording(shared_path("eeg", "muse_mental_state", "subjectb-relaxed-2.csv"))
    assert len(rec.breaks) == 9
    edges = [0, *rec.breaks, rec.n_times]
    info = mne.create_info(list(rec.ch_names), float(rec.sfreq), "eeg")
    raws = [mne.io.RawArray(rec.data[:, a:b] * 1e-6, info, verbose="error")
            for a, b in zip(edges[:-1], edges[1:], strict=True)]
    raw = mne.concatenate_raws(raws, verbose="error")
    ref = raw.filter(1.0, 45.0, verbose="error").get_data() * 1e6
    got = filter_recording(rec, l_freq=1.0, h_freq=45.0)
    assert got.breaks == rec.breaks and got.ch_names == rec.ch_names
    scale = np.abs(ref).max()
    np.testing.assert_allclose(got.data, ref, rtol=1e-9, atol=1e-9 * scale)
    np.testing.assert_array_equal(
        filter_recording(rec.data, rec.sfreq, 1.0, 45.0, breaks=rec.breaks), got.data)
    # across the gaps (the old behaviour) the stretches' edges differ from MNE's
    across = filter_recording(rec.data, rec.sfreq, 1.0, 45.0)
    assert np.abs(across - ref).max() > 1e-3 * scale


def _linked(tmp_path, header, companions):
    """``header`` and its ``companions`` copied to ``tmp_path/far``, and ``tmp_path/rec<ext>``
    a symbolic link to the copied header: how a dataset's entries point into a store."""
    import shutil

    far = tmp_path / "far"
    far.mkdir(exist_ok=True)
    for f in (header, *companions):
        shutil.copy(f, far / f.name)
    link = tmp_path / f"rec{header.suffix}"
    link.symlink_to(far / header.name)
    return link


@pytest.mark.skipif(os.name != "posix", reason="symbolic links")
def test_a_linked_header_reads_its_companions_beside_the_target(tmp_path, capsys):
    """A BrainVision header (or an EEGLAB .set with its .fdt) typed as a symbolic link to the
    header stored elsewhere: MNE looks for the .eeg/.vmrk (.fdt) beside the link, and the
    file could not be read since the command keeps a typed link's name (0271117). Read
    through the target now, the input named by the link; where the companions are missing
    beside both, the error says the header is a link and where they were looked for."""
    from emofeat.cli import main
    from emofeat.errors import EEGReadError
    from emofeat.table import FeatureTable

    src = shared_path("eeg", "mne_testdata", "test.vhdr")
    want = mne.io.read_raw_brainvision(src, preload=True, verbose="error")
    link = _linked(tmp_path, src, [src.with_suffix(".vmrk"), src.with_suffix(".eeg")])
    rec = read_recording(link)
    got = np.stack([rec.data[rec.ch_names.index(c)] for c in rec.ch_names])
    np.testing.assert_array_equal(got, want.get_data(picks=list(rec.ch_names)))
    out = tmp_path / "o.parquet"
    assert main(["extract", str(link), "--set", "eeg_bands", "-o", str(out), "-q"]) == 0
    assert FeatureTable.read_parquet(out).index["path"].tolist() == [str(link)]
    # EEGLAB: a .set whose data are in a .fdt beside it
    import scipy.io as sio

    pytest.importorskip("eeglabio", reason="writing an EEGLAB file for the test needs eeglabio")
    raw = want.copy().pick("eeg")
    whole = tmp_path / "whole.set"
    mne.export.export_raw(whole, raw, fmt="eeglab", verbose="error")
    mat = {k: v for k, v in sio.loadmat(whole).items() if not k.startswith("__")}
    (tmp_path / "made").mkdir()
    np.asarray(mat["data"], dtype="<f4").T.tofile(tmp_path / "made" / "rec.fdt")
    mat["data"] = np.array(["rec.fdt"])
    sio.savemat(tmp_path / "made" / "rec.set", mat, appendmat=False)
    eeglab = tmp_path / "made" / "rec.set"
    (tmp_path / "eeglab").mkdir()
    link = _linked(tmp_path / "eeglab", eeglab, [eeglab.with_suffix(".fdt")])
    np.testing.assert_allclose(read_recording(link).data, raw.get_data(), rtol=1e-5,
                               atol=1e-12)
    # the companions nowhere: the error says where they were looked for
    (tmp_path / "eeglab" / "far" / "rec.fdt").unlink()
    with pytest.raises(EEGReadError, match=(
            rf"{link} is a symbolic link to .*far/rec\.set; a file that goes with it was "
            rf"looked for beside the link, in {tmp_path / 'eeglab'} .* and beside its "
            r"target, in .*far .*: put the header's companion files beside one of them")):
        read_recording(link)


@pytest.mark.skipif(os.name != "posix", reason="symbolic links")
def test_an_unfetched_companion_is_said_to_be_a_broken_link(tmp_path):
    """A DataLad (git-annex) dataset whose header was fetched but not its .eeg: the entry
    beside the header's link is a broken link into the annex. The error says so, where it
    points and how to fetch it, instead of asking to put the companions beside the link or
    its target (the retry through the target cannot mend it)."""
    import shutil

    from emofeat.errors import EEGReadError

    src = shared_path("eeg", "mne_testdata", "test.vhdr")
    ds = tmp_path / "ds"
    for name, key in (("test.vhdr", "aa"), ("test.vmrk", "bb")):
        obj = ds / ".git" / "annex" / "objects" / key / f"SHA-{key}" / f"SHA-{key}{name[4:]}"
        obj.parent.mkdir(parents=True)
        shutil.copy(src.with_name(name), obj)
        (ds / name).symlink_to(obj.relative_to(ds))
    (ds / "test.eeg").symlink_to(".git/annex/objects/cc/SHA-cc/SHA-cc.eeg")  # not fetched
    with pytest.raises(EEGReadError) as err:
        read_recording(ds / "test.vhdr")
    said = str(err.value)
    assert (f"a file that goes with it, {ds / 'test.eeg'}, is a broken symbolic link to "
            ".git/annex/objects/cc/SHA-cc/SHA-cc.eeg" in said), said
    assert f"datalad get {ds / 'test.eeg'}" in said and "git annex get" in said, said
    assert "beside one of them" not in said, said


@pytest.mark.skipif(os.name != "posix", reason="symbolic links")
def test_a_header_under_a_linked_folder_is_not_taken_for_a_link(tmp_path):
    """Only a header that is itself a link is read again through its target: one under a
    linked folder (macOS /tmp, an HPC /home -> /gpfs) whose .eeg is missing gets MNE's
    words for it, not 'is a symbolic link to' (its realpath differs from its path, which
    triggered the retry and that error before)."""
    import shutil

    from emofeat.errors import EEGReadError

    src = shared_path("eeg", "mne_testdata", "test.vhdr")
    (tmp_path / "store").mkdir()
    shutil.copy(src, tmp_path / "store" / "test.vhdr")
    shutil.copy(src.with_suffix(".vmrk"), tmp_path / "store" / "test.vmrk")
    (tmp_path / "home").symlink_to(tmp_path / "store", target_is_directory=True)
    with pytest.raises(EEGReadError) as err:
        read_recording(tmp_path / "home" / "test.vhdr")
    said = str(err.value)
    assert "symbolic link" not in said and "test.eeg" in said, said
    # with its .eeg it reads through the linked folder as before
    shutil.copy(src.with_suffix(".eeg"), tmp_path / "store" / "test.eeg")
    want = mne.io.read_raw_brainvision(src, preload=True, verbose="error")
    rec = read_recording(tmp_path / "home" / "test.vhdr")
    np.testing.assert_array_equal(rec.data, want.get_data(picks=list(rec.ch_names)))


@pytest.mark.skipif(os.name != "posix", reason="symbolic links")
def test_a_linked_header_finds_its_marker_file_beside_the_target(tmp_path):
    """A linked header whose .eeg is beside the link but whose .vmrk is beside the target
    only: MNE read it without annotations, and its 'MarkerFile ... not found; no
    annotations.' warning was swallowed. It is read through the target (the real file's
    annotations, as MNE reads the original: 13 in MNE 1.13.2, 14 in 1.6.1, which keeps the
    'New Segment' marker); where the .vmrk is nowhere, the warning is passed on naming the
    file, or, with an MNE that raises for a missing marker file (1.6.1), the input is an
    EEGReadError naming the .vmrk in both folders."""
    import shutil

    from emofeat.eeg_input import EEGReadWarning
    from emofeat.errors import EEGReadError
    from emofeat.readers import read_mne_file

    src = shared_path("eeg", "mne_testdata", "test.vhdr")
    want = mne.io.read_raw_brainvision(src, preload=True, verbose="error")
    assert len(want.annotations) >= 13  # not none: the read through the target is seen
    link = _linked(tmp_path, src, [src.with_suffix(".vmrk"), src.with_suffix(".eeg")])
    shutil.copy(src.with_suffix(".eeg"), tmp_path / "test.eeg")  # beside the link too
    with warnings.catch_warnings(record=True) as rec:
        warnings.simplefilter("always")
        got = read_mne_file(link)
    assert not [w for w in rec if issubclass(w.category, EEGReadWarning)]
    assert list(got.annotations.description) == list(want.annotations.description)
    np.testing.assert_allclose(got.annotations.onset, want.annotations.onset)
    np.testing.assert_array_equal(got.get_data(), want.get_data())
    # the marker file nowhere: read without annotations, and said, as this MNE reads the
    # header so (asked of it); or not read, as MNE 1.6.1 raises FileNotFoundError for it
    far = tmp_path / "far"
    (far / "test.vmrk").unlink()
    try:
        mne.io.read_raw_brainvision(far / "test.vhdr", verbose="error")
    except FileNotFoundError:
        with pytest.raises(EEGReadError) as info:
            read_mne_file(link)
        message = str(info.value)
        assert message.startswith(f"{link}: ") and f"beside the link, in {tmp_path} (" in message
        for folder in (tmp_path, far):
            assert f"'{folder / 'test.vmrk'}'" in message, message
        return
    with warnings.catch_warnings(record=True) as rec:
        warnings.simplefilter("always")
        got = read_mne_file(link)
    told = [str(w.message) for w in rec if issubclass(w.category, EEGReadWarning)]
    assert len(got.annotations) == 0
    assert len(told) == 1 and told[0].startswith(f"{link}: MarkerFile 'test.vmrk' not found; "
                                                 "no annotations"), told


def test_same_mne_data_compares_past_the_first_block(tmp_path, monkeypatch):
    """:func:`~emofeat.readers.same_mne_data` compares the samples a block at a time; with
    blocks made small (a few samples of a Raw, one epoch of an Epochs), a change in a Raw's
    last sample or an Epochs' last epoch is found, NaN equals NaN but not 0, an EpochsFIF
    read lazily equals it read into memory, and two selections of a file's epochs differ.
    Real BrainVision recording."""
    from emofeat import readers

    path = shared_path("eeg", "mne_testdata", "test.vhdr")
    raw = mne.io.read_raw_brainvision(path, preload=True, verbose="error").pick("eeg")
    n_ch = len(raw.ch_names)
    monkeypatch.setattr(readers, "_COMPARED_AT_ONCE", 3 * n_ch)  # 3 samples a block
    assert len(raw.times) > 100 * 3
    same = readers.same_mne_data
    a, b = raw.copy(), raw.copy()
    assert same(a, b)
    b._data[n_ch - 1, -1] += 1e-6
    assert not same(a, b)
    a._data[n_ch - 1, -1] = b._data[n_ch - 1, -1] = np.nan
    assert same(a, b)
    b._data[n_ch - 1, -1] = 0.0
    assert not same(a, b) and not same(b, a)
    # Epochs of the recording, written and read back as MNE's epochs file
    events = mne.make_fixed_length_events(raw, duration=0.5)
    events[1::2, 2] = 2
    ep = mne.Epochs(raw, events, {"pos": 1, "neg": 2}, tmin=0, tmax=0.5 - 1 / raw.info["sfreq"],
                    baseline=None, preload=True, verbose="error")
    assert len(ep) >= 4
    fif = tmp_path / "rec-epo.fif"
    ep.save(fif, verbose="error")
    lazy = mne.read_epochs(fif, preload=False, verbose="error")
    loaded = mne.read_epochs(fif, preload=True, verbose="error")
    monkeypatch.setattr(readers, "_COMPARED_AT_ONCE", n_ch * len(ep.times))  # an epoch a block
    assert same(lazy, loaded) and same(loaded, lazy)
    changed = loaded.copy()
    changed._data[-1, 0, -1] += 1e-6
    assert not same(loaded, changed) and not same(lazy, changed)
    assert not same(loaded["pos"], loaded["neg"])
    assert same(loaded["pos"], lazy["pos"])
