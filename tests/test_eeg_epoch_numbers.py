"""What the ``epoch`` column of an Epochs' rows is (docs/eeg.md): the epoch's position in the
object or file, 0 to n-1, and ``selection[epoch]`` is MNE's own number of it (the ``epoch``
of ``Epochs.to_data_frame``), for an epochs file with dropped epochs and for a subset of it.
Real BrainVision test recording, cut at its 13 events."""

from __future__ import annotations

import numpy as np
import pytest
from conftest import shared_path

mne = pytest.importorskip("mne")


def test_epoch_rows_map_to_mne_selection(tmp_path):
    from emofeat.extractors.eeg_sets import EEGBandPower

    from emofeat.runner import run

    raw = mne.io.read_raw(shared_path("eeg", "mne_testdata", "test.vhdr"), preload=True,
                          verbose="error")
    events, _ = mne.events_from_annotations(raw, verbose="error")
    epochs = mne.Epochs(raw, events, tmin=0, tmax=0.5, baseline=None, preload=True,
                        verbose="error")
    epochs.drop([1, 4], verbose="error")
    path = tmp_path / "rec-epo.fif"
    epochs.save(path, verbose="error")
    read = mne.read_epochs(path, verbose="error")
    subset = read[[0, 3, 5]]
    for given, obj in ((str(path), read), (read, read), (subset, subset)):
        rows = run([given], [EEGBandPower()]).table.to_pandas().reset_index()
        theirs = obj.to_data_frame(verbose="error")["epoch"].unique()
        assert rows["epoch"].tolist() == list(range(len(obj)))
        np.testing.assert_array_equal(obj.selection[rows["epoch"]], theirs)
    assert list(read.selection) != list(range(len(read)))  # the dropped epochs: a gap
