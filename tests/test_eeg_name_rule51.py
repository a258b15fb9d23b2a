"""The name rule of 0063d90 (emofeat.eeg_input.other_signal_name), mended after review
(session 51): TUH's and Nihon Kohden's labels read after their leading ``EEG``/``POL`` word,
TUH's eye, photic, burst and suppression channels, Emotiv exports' counter, quality, marker
and motion columns are other signals; channels typed sEEG, ECoG or DBS keep their type (the
rule is for the ``eeg`` type MNE gives every EDF/BDF channel). Channel names compared
exactly; samples at rtol 1e-12 (microvolts)."""

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


def _quiet(f, *args, **kwargs):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return f(*args, **kwargs)


def test_a_raw_labelled_as_tuh_files_gives_its_eeg_channels_only():
    """MNE's EDF test file with its channels labelled as the TUH corpus labels them (``EEG
    FP1-REF``; eyes ``EEG LOC-REF``/``EEG ROC-REF``, ``EEG EKG1-REF``, ``PHOTIC-REF``, and
    TUH's ``IBI``, ``BURSTS``, ``SUPPR``) and Nihon Kohden's ``POL EKG``, typed EEG as MNE
    reads such a file: the file's 19 electrodes and its reference, as read unlabelled (before:
    ``EEG LOC-REF``, ``EEG ROC-REF``, ``EEG EKG1-REF``, ``PHOTIC-REF``, ``POL EKG``, ``IBI``,
    ``BURSTS`` and ``SUPPR`` were EEG channels too)."""
    path = shared_path("eeg", "mne_testdata", "test_edf_stim_channel.edf")
    raw = _quiet(mne.io.read_raw_edf, path, preload=True, verbose="error")
    want = _quiet(read_recording, path).ch_names
    electrodes = {c: f"EEG {c.split(' ', 1)[1].upper()}-REF" for c in raw.ch_names
                  if c.startswith("EEG ")}
    raw.rename_channels({**electrodes, "EOG VEOG_I": "EEG LOC-REF",
                         "EOG VEOG_II": "EEG ROC-REF", "ECG ECG1": "EEG EKG1-REF",
                         "ECG ECG2": "POL EKG", "DIG DTRIG": "PHOTIC-REF"})
    extra = mne.io.RawArray(raw.get_data(picks=[0, 1, 2]),
                            mne.create_info(["IBI", "BURSTS", "SUPPR"], raw.info["sfreq"],
                                            "eeg"), verbose="error")
    raw.add_channels([extra])
    assert set(raw.get_channel_types()) == {"eeg"}
    got = tuple(_quiet(EEGReader().read, raw)[0].ch_names)
    assert got == tuple(electrodes.get(c, c) for c in want)
    # 19 electrodes (REF_EEG, the reference's own channel, is left out since session 54)
    assert len(got) == 19


def test_seeg_typed_contacts_keep_their_type():
    """sEEG contacts named by their place (temporal, anterior cingulate, hippocampus), typed
    ``seeg`` (real signals: six channels of MNE's BioSemi test file): all six are channels
    (before: only ``HIP1``; typed seeg ``TEMP1``, ``ACC1``, ``LEMG1`` were dropped by name),
    and their band powers are computed."""
    path = shared_path("eeg", "mne_testdata", "test.bdf")
    bdf = _quiet(mne.io.read_raw_bdf, path, preload=True, verbose="error")
    names = ["TEMP1", "TEMP2", "ACC1", "ACC2", "LEMG1", "HIP1"]
    raw = mne.io.RawArray(bdf.get_data(picks=list(range(6))),
                          mne.create_info(names, bdf.info["sfreq"], "seeg"), verbose="error")
    assert tuple(_quiet(EEGReader().read, raw)[0].ch_names) == tuple(names)
    table = _quiet(run, [raw], [get_extractor("eeg_bands")]).table
    assert all(any(n.endswith(c) or f"_{c}_" in n for n in table.feature_names) for c in names)


@pytest.mark.parametrize("motion", [("MOT.AccX", "MOT.GyroX"),
                                    ("AccX", "GyroX", "Accelerometer_X")])
def test_an_emotiv_export_gives_its_eeg_columns(tmp_path, motion):
    """A real Muse recording (muse_mental_state subject A, its four electrodes) written with
    an Emotiv export's columns: ``EEG.AF3`` ... ``EEG.AF4`` and the counter, interpolation,
    contact quality, battery, marker and motion columns beside them. The four EEG columns,
    their samples to rtol 1e-12 (before: counter, markers and motion were EEG channels)."""
    src = shared_path("eeg", "muse_mental_state", "subjecta-concentrating-1.csv")
    muse = pd.read_csv(src, nrows=2560)
    n = len(muse)
    eeg = {"EEG.AF3": muse["TP9"], "EEG.F7": muse["AF7"], "EEG.F8": muse["AF8"],
           "EEG.AF4": muse["TP10"]}
    zeros = np.zeros(n)
    df = pd.DataFrame({"Timestamp": muse["timestamps"], "EEG.Counter": np.arange(n) % 128,
                       "EEG.Interpolated": zeros, **eeg, "EEG.RawCq": zeros + 3,
                       "EEG.Battery": zeros + 80, "MarkerIndex": zeros, "MarkerType": zeros,
                       "MarkerValueInt": zeros, "CQ.AF3": zeros + 4,
                       **{m: np.sin(np.arange(n) / 50.0) for m in motion}})
    path = tmp_path / "emotiv.csv"
    df.to_csv(path, index=False)
    rec = _quiet(read_recording, path)
    assert rec.ch_names == tuple(eeg)
    np.testing.assert_allclose(rec.data, np.array([eeg[c] for c in eeg]), rtol=1e-12)
