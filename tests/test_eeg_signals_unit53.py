"""A continuous recording's gap-free stretches are not called epochs (session 53).

The flat-channel warning counts the signals of an input read whole: an epochs file's epochs,
a continuous recording's gap-free stretches. Until session 53 only a CSV path and an
``EEGRecording`` were said to have stretches: two raws of MNE's BrainVision test recording
joined by ``mne.concatenate_raws`` (an ``EDGE`` join, one row per run) and saved as a raw FIF
said "flat ... in channel F4 (2 of 2 epochs)", and so did an OpenBCI GUI ``.txt`` cut at a
packet loss. An epochs file keeps its word.
"""

from __future__ import annotations

import warnings

import numpy as np
import pytest
from conftest import shared_path
from emofeat.extractors import EEGBandPower


def _flat_messages(items, **params):
    with warnings.catch_warnings(record=True) as got:
        warnings.simplefilter("always")
        EEGBandPower(**params).fit_transform(items)
    return [str(w.message) for w in got if "flat (constant)" in str(w.message)]


def _raw_with_flat_f4():
    mne = pytest.importorskip("mne")
    raw = mne.io.read_raw_brainvision(shared_path("eeg", "mne_testdata", "test.vhdr"),
                                      preload=True, verbose=False).pick("eeg")
    raw._data[raw.ch_names.index("F4")] = 1e-6  # a flat channel (a constant 1 uV)
    return mne, raw


def test_a_joined_raw_file_has_gap_free_stretches(tmp_path):
    mne, raw = _raw_with_flat_f4()
    joined = mne.concatenate_raws([raw.copy(), raw.copy()])
    path = tmp_path / "joined_raw.fif"
    joined.save(path, verbose=False)
    for item in (str(path), joined):
        said = _flat_messages([item])
        assert len(said) == 1
        assert "F4 (2 of 2 gap-free stretches)" in said[0] and "epochs" not in said[0]


def test_an_epochs_file_keeps_its_epochs(tmp_path):
    mne, raw = _raw_with_flat_f4()
    epochs = mne.make_fixed_length_epochs(raw, duration=2.0, preload=True, verbose=False)
    path = tmp_path / "cut-epo.fif"
    epochs.save(path, verbose=False)
    said = _flat_messages([str(path)])
    assert len(said) == 1 and f"F4 ({len(epochs)} of {len(epochs)} epochs)" in said[0]


def test_an_openbci_file_cut_at_a_packet_loss_has_gap_free_stretches(tmp_path):
    from test_eeg_openbci_losses53 import RATE, _cyton_eeg, _write

    data = _cyton_eeg(4)
    data[2] = 5.0  # a flat channel
    n = data.shape[1]
    keep = np.r_[0:500, 510:n]
    path = tmp_path / "OpenBCI-RAW-flat.txt"
    _write(path, data[:, keep], (np.arange(n) % 256)[keep])
    said = _flat_messages([str(path)], sfreq=RATE)
    assert len(said) == 1 and "EXG Channel 2 (2 of 2 gap-free stretches)" in said[0]
