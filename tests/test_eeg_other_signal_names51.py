"""Channels named as EOG, ECG or EMG leads are not EEG in the files MNE reads either, as in a
CSV (session 51).

MNE types every channel of an EDF or BDF file EEG, and emofeat left out only those whose
EDF+ label begins with a type word (``EOG VEOG_I``). MNE's BioSemi test file holds the
BioSemi EOG leads ``REOG``, ``LEOG`` and ``IEOG`` beside its 64 EEG electrodes, and they
were read as EEG (band powers of eye movements); files labelled as the TUH corpus or the BCI
competition label them (``EKG1``, ``EMG-REF``, ``EOG-left``) likewise. One rule,
:func:`emofeat.eeg_input.other_signal_name`, now types MNE's EEG-typed channels and a CSV's
columns by name, so a recording gives the same channels as a file and as a CSV."""

from __future__ import annotations

import warnings

import numpy as np
import pytest
from conftest import shared_path

from emofeat.eeg_input import read_recording
from emofeat.readers import EEGReader
from emofeat.registry import get_extractor
from emofeat.runner import run

pd = pytest.importorskip("pandas")
mne = pytest.importorskip("mne")

BIOSEMI_EOG = ("REOG", "LEOG", "IEOG")


def _quiet(f, *args, **kwargs):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return f(*args, **kwargs)


def test_biosemi_eog_leads_are_not_eeg_channels():
    """The BioSemi test file: its 64 electrodes, M1, M2 and the EXG inputs without a lead's
    name (69 channels; before: 72, its three EOG leads among them)."""
    path = shared_path("eeg", "mne_testdata", "test.bdf")
    rec = _quiet(read_recording, path)
    raw = _quiet(mne.io.read_raw_bdf, path, verbose="error")
    want = [c for c in raw.ch_names if c not in (*BIOSEMI_EOG, "Status")]
    assert rec.ch_names == tuple(want) and len(want) == 69
    table = _quiet(run, [str(path)], [get_extractor("eeg_bands")]).table
    assert not [n for n in table.feature_names if n.endswith(BIOSEMI_EOG)]


def test_a_raw_labelled_as_tuh_or_bci_files_leaves_its_leads_out():
    """MNE's EDF test file with a stim channel, its channels labelled as a TUH or BCI
    competition file labels them and typed EEG as MNE reads such a file: the EEG channels of
    the file as it is (before: ``EKG1``, ``EKG2``, ``EOG-left``, ``EOG-right`` and
    ``EMG-REF`` were EEG channels too)."""
    path = shared_path("eeg", "mne_testdata", "test_edf_stim_channel.edf")
    raw = _quiet(mne.io.read_raw_edf, path, preload=True, verbose="error")
    want = _quiet(read_recording, path).ch_names
    raw.rename_channels({"EOG VEOG_I": "EOG-left", "EOG VEOG_II": "EOG-right",
                         "ECG ECG1": "EKG1", "ECG ECG2": "EKG2", "DIG DTRIG": "EMG-REF"})
    assert set(raw.get_channel_types()) == {"eeg"}
    assert tuple(_quiet(EEGReader().read, raw)[0].ch_names) == want
    table = _quiet(run, [raw], [get_extractor("eeg_de")]).table
    assert not [n for n in table.feature_names if n.endswith(("left", "right", "EKG1", "EKG2",
                                                               "EMG-REF"))]


def test_a_csv_of_the_file_gives_its_channels(tmp_path):
    """The BioSemi file written as a CSV (MNE's to_data_frame, microvolts) gives the file's
    channels and samples (rtol 1e-12): the same rule for both."""
    path = shared_path("eeg", "mne_testdata", "test.bdf")
    raw = _quiet(mne.io.read_raw_bdf, path, preload=True, verbose="error")
    csv = tmp_path / "biosemi.csv"
    raw.to_data_frame().to_csv(csv, index=False)
    rec = _quiet(read_recording, csv)
    ref = _quiet(read_recording, path, units="uV")
    assert rec.ch_names == ref.ch_names
    np.testing.assert_allclose(rec.data, ref.data, rtol=1e-12, atol=1e-9)
