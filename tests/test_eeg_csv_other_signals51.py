"""CSV columns named as other signals than EEG are not EEG channels (session 51).

A CSV carries no channel types, so every numeric column but the time was read as an EEG
channel: an EOG, ECG or trigger column got band powers and asymmetries of blinks, heartbeats
and trigger codes beside the EEG's. MNE leaves such channels out of the files it reads (by
their types; for EDF+ labels ``EOG VEOG_I``, ``ECG ECG1``, ``DIG DTRIG`` by the label's first
word, :func:`emofeat.eeg_input.eeg_picks`; EDF/BDF ``Status``/``Trigger`` are stim), and the
CSV path now leaves them out by their names (:func:`emofeat.eeg_input.other_signal_name`),
unless picked. Shown on MNE's EDF test file with EOG, ECG and trigger channels written as a
CSV, and on a real Muse recording with muse-lsl's ``Marker0`` column."""

from __future__ import annotations

import warnings

import numpy as np
import pytest
from conftest import shared_path

from emofeat.eeg_input import read_recording
from emofeat.errors import EmptyInputError
from emofeat.registry import get_extractor
from emofeat.runner import run

pd = pytest.importorskip("pandas")
mne = pytest.importorskip("mne")

# the EDF+ labels of the file's other signals, and a name a CSV export gives each
RENAMED = {"EOG VEOG_I": "VEOG_I", "EOG VEOG_II": "EOG2", "ECG ECG1": "ECG1",
           "ECG ECG2": "ECG 2", "DIG DTRIG": "Trigger"}


@pytest.fixture(scope="module")
def edf_as_csv(tmp_path_factory):
    """MNE's EDF test file with a stim channel, as a CSV of stamps in seconds and microvolts,
    its channels named as a CSV export names them (EEG ones without the ``EEG `` type word);
    the EDF's path beside it."""
    edf = shared_path("eeg", "mne_testdata", "test_edf_stim_channel.edf")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        raw = mne.io.read_raw_edf(edf, preload=True, verbose=False)
    names = [RENAMED.get(c, c.removeprefix("EEG ")) for c in raw.ch_names]
    frame = pd.DataFrame(raw.get_data().T * 1e6, columns=names)
    frame.insert(0, "timestamps", raw.times)
    path = tmp_path_factory.mktemp("csv") / "edf.csv"
    frame.to_csv(path, index=False)
    return path, edf


def test_a_csv_reads_the_eeg_channels_an_mne_file_gives(edf_as_csv):
    """The CSV gives the channels the EDF gives through MNE (its EOG, ECG and trigger
    channels left out; before: all 25 columns, 5 of them not EEG), and the same samples to
    float formatting (rtol 1e-12 of microvolts written by pandas)."""
    path, edf = edf_as_csv
    rec = read_recording(path)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        ref = read_recording(edf, units="uV")
    assert rec.ch_names == tuple(c.removeprefix("EEG ") for c in ref.ch_names)
    assert not set(rec.ch_names) & set(RENAMED.values())
    np.testing.assert_allclose(rec.data, ref.data, rtol=1e-12, atol=1e-9)


def test_band_features_of_a_csv_hold_no_other_signal(edf_as_csv):
    """eeg_bands on the CSV has no column of an EOG, ECG or trigger channel, and the
    columns of the EDF's EEG channels (names without ``EEG ``), to rtol 1e-9 (relative powers,
    so volts against microvolts is no difference)."""
    path, edf = edf_as_csv
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        csv = run([str(path)], [get_extractor("eeg_bands")]).table
        ref = run([str(edf)], [get_extractor("eeg_bands")]).table
    other = [n for n in csv.feature_names if any(n.endswith("_" + o) for o in RENAMED.values())]
    assert other == []
    rel = [i for i, n in enumerate(ref.feature_names) if "_rel_" in n]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        channels = read_recording(edf).ch_names  # "EEG Fp1", ..., "REF_EEG REF_EEG"
    expected = [n[:-len(c)] + c.removeprefix("EEG ")
                for n in np.asarray(ref.feature_names)[rel] for c in channels
                if n.endswith("_" + c)]
    assert expected == [csv.feature_names[i] for i in rel]
    np.testing.assert_allclose(csv.X[:, rel], ref.X[:, rel], rtol=1e-9)


def test_a_pick_reads_such_a_column(edf_as_csv):
    """The choice is overridable: picked, an ECG or trigger column is read as any column."""
    path, _ = edf_as_csv
    rec = read_recording(path, picks=["Fp1", "ECG1", "Trigger"])
    assert rec.ch_names == ("Fp1", "ECG1", "Trigger")
    frame = pd.read_csv(path)
    np.testing.assert_array_equal(rec.data[1], frame["ECG1"].to_numpy())


def test_a_muse_recording_with_markers_reads_its_four_electrodes(tmp_path):
    """A real Muse recording with muse-lsl's marker column (``Marker0``: 0, an event code on
    a few rows): the four electrodes, not a fifth channel of marker codes."""
    src = shared_path("eeg", "muse_mental_state", "subjecta-neutral-1.csv")
    frame = pd.read_csv(src)
    frame["Marker0"] = 0
    frame.loc[[500, 4000, 9000], "Marker0"] = [1, 2, 1]
    path = tmp_path / "markers.csv"
    frame.to_csv(path, index=False)
    rec = read_recording(path)
    assert rec.ch_names == ("TP9", "AF7", "AF8", "TP10")
    np.testing.assert_array_equal(rec.data, read_recording(src).data)
    # excluding a marker column a file lacks is no error, as for AUX
    assert read_recording(src, exclude=("Marker0",)).ch_names == rec.ch_names


def test_a_csv_of_other_signals_only_is_refused_naming_them(edf_as_csv, tmp_path):
    path, _ = edf_as_csv
    frame = pd.read_csv(path)[["timestamps", "VEOG_I", "ECG1", "Trigger"]]
    only = tmp_path / "only.csv"
    frame.to_csv(only, index=False)
    with pytest.raises(EmptyInputError, match="'VEOG_I', 'ECG1', 'Trigger'.*other signals"):
        read_recording(only)


def test_an_mne_export_reads_the_channels_of_its_file(tmp_path):
    """MNE's ``to_data_frame`` written as a CSV (``time`` in seconds, microvolts, the EDF+
    labels ``EOG VEOG_I``, ``ECG ECG1``, ``DIG DTRIG``) gives the channels of the EDF read
    through MNE (before: its 25 columns), with its samples (rtol 1e-12)."""
    edf = shared_path("eeg", "mne_testdata", "test_edf_stim_channel.edf")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        raw = mne.io.read_raw_edf(edf, preload=True, verbose=False)
        ref = read_recording(edf, units="uV")
    path = tmp_path / "export.csv"
    raw.to_data_frame().to_csv(path, index=False)
    rec = read_recording(path)
    assert rec.ch_names == ref.ch_names
    np.testing.assert_allclose(rec.data, ref.data, rtol=1e-12, atol=1e-9)
