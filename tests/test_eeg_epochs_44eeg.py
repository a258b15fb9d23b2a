"""Session 44: the EEG channels of an MNE Epochs with other channels too (EOG, misc, stim)
are read without a copy of them more than needed.

A lazy Epochs (``preload=False``) is loaded once per run and the loaded copy kept
(:func:`emofeat.eeg_input.epochs_loaded_once`); its EEG channels were picked with
``data[:, picks]``, a strided copy that the reader copied again to make it contiguous, so
a run held them twice beside the kept copy (tracemalloc peak on the BrainVision test file
cut in 79 epochs: 49.1 MB where the EEG channels are 14.4 MB and the loaded copy 17.7 MB).
EEG channels side by side are now read in place, others copied once; the features are the
same.

Every test runs on MNE's BrainVision test recording beside the repository (skipped when
absent): 26 EEG channels, then 6 misc ones.
"""

from __future__ import annotations

import warnings

import numpy as np
import pytest
from conftest import shared_path

import emofeat
from emofeat.registry import get_extractor

mne = pytest.importorskip("mne")

SETS = ("eeg_hjorth", "eeg_bands", "eeg_stats")


def _raw(order: str):
    """The BrainVision test recording, its misc channels after the EEG ones as in the
    file (``"end"``) or three of them among the EEG ones (``"mid"``)."""
    raw = mne.io.read_raw(shared_path("eeg", "mne_testdata", "test.vhdr"), preload=True,
                          verbose="error")
    names = raw.ch_names
    assert raw.get_channel_types()[26:] == ["misc"] * 6  # the case: misc after the EEG
    if order == "mid":
        raw.reorder_channels(names[:10] + names[26:29] + names[10:26] + names[29:])
    return raw


def _epochs(raw, preload: bool = False):
    events = mne.make_fixed_length_events(raw, duration=0.5)
    return mne.Epochs(raw, events, tmin=0, tmax=1.0, baseline=None, preload=preload,
                      verbose="error")


@pytest.mark.parametrize("order", ["end", "mid"])
def test_epochs_with_misc_channels_give_the_features_of_their_eeg_channels(order):
    """A lazy and a preloaded Epochs with misc channels (after or among the EEG ones) give,
    bit for bit, the features of the same Epochs with their EEG channels only."""
    raw = _raw(order)
    only = _epochs(raw, preload=True).pick("eeg")
    for name in SETS:
        want = emofeat.extract([only], name).X
        for preload in (False, True):
            item = _epochs(raw, preload=preload)
            got = emofeat.extract([item], name)
            np.testing.assert_array_equal(got.X, want, err_msg=f"{name} {preload}")
            assert item.preload is preload  # the user's object as it was


def test_a_nan_sample_of_an_eeg_channel_read_in_place_is_said():
    """The reader's check of non-finite samples covers EEG channels read in place (each
    epoch apart): a NaN in one EEG channel of a lazy Epochs with misc channels is said and
    makes that channel's features NaN, as with its EEG channels only."""
    raw = _raw("end")
    raw._data[3, 700] = np.nan
    only = _epochs(raw, preload=True).pick("eeg")
    with pytest.warns(UserWarning, match=r"NaN or infinite samples in channel "
                      + raw.ch_names[3]):
        want = emofeat.extract([only], "eeg_stats")
    with pytest.warns(UserWarning, match=r"NaN or infinite samples in channel "
                      + raw.ch_names[3]):
        got = emofeat.extract([_epochs(raw)], "eeg_stats")
    np.testing.assert_array_equal(got.X, want.X)
    assert np.isnan(got.X).any() and not np.isnan(got.X).all()


def test_eeg_channels_side_by_side_are_read_in_place_of_the_kept_copy():
    """Within a run, the signals of a lazy Epochs whose misc channels follow its EEG ones
    are views of the loaded copy the run keeps: no copy of the EEG channels beside it. They
    were a copy of them (made twice). Channels not side by side are one copy, contiguous."""
    from emofeat.eeg_input import epochs_loaded_once, loaded_epochs

    @epochs_loaded_once
    def read(item):
        sigs = get_extractor("eeg_hjorth").read(item)
        return sigs, loaded_epochs(item).get_data(copy=False)

    for order, in_place in (("end", True), ("mid", False)):
        lazy = _epochs(_raw(order))
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            sigs, kept = read(lazy)
        assert len(sigs) > 10 and sigs[0].data.shape[0] == 26
        assert all(s.data.flags.c_contiguous for s in sigs)
        assert all(np.shares_memory(s.data, kept) for s in sigs) is in_place, order
        if not in_place:
            assert not any(np.shares_memory(s.data, kept) for s in sigs)
