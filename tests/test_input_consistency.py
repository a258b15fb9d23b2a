"""One input, one reading (session 32): the same input given in two ways (a path or the
object, a file or the flag that names its column, a first run or its rerun) is read alike,
or refused naming what differs. Each test fails on the code before its fix."""

from __future__ import annotations

import pytest
from conftest import shared_path


def _raw(mne):
    """Six seconds of the BrainVision test file (1000 Hz, 32 EEG channels) as a Raw."""
    return mne.io.read_raw(shared_path("eeg", "mne_testdata", "test.vhdr"), preload=True,
                           verbose="error").crop(0, 6)


def test_a_raw_changed_in_channel_types_or_annotations_is_not_taken_as_done(tmp_path):
    # the resume key of an MNE object hashed its samples, rate and channel names only: a
    # rerun after set_channel_types or a BAD_ACQ_SKIP annotation (both change the rows) was
    # skipped as already done
    mne = pytest.importorskip("mne")
    from emofeat.extractors.eeg_sets import EEGBandPower

    from emofeat.readers import EEGReader
    from emofeat.runner import run

    raw = _raw(mne)
    typed = raw.copy().set_channel_types({raw.ch_names[0]: "misc"}, verbose="error")
    skipped = raw.copy().set_annotations(mne.Annotations([2.0], [1.0], ["BAD_ACQ_SKIP"]))
    keys = [EEGReader().key(r, 0) for r in (raw, typed, skipped)]
    assert len(set(keys)) == 3
    assert EEGReader().key(raw.copy(), 0) == keys[0]  # an equal copy is still done

    out = tmp_path / "out.parquet"
    assert run([raw], [EEGBandPower()], output=out).n_rows == 1
    assert run([raw.copy()], [EEGBandPower()], output=out).n_rows == 0
    again = run([skipped], [EEGBandPower()], output=out)
    assert again.n_rows == 2  # the stretches around the hole, not "already done"
