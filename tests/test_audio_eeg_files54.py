"""An EEG file given to an audio set says it is one, whatever its format.

An EEG CSV (Muse) or BrainFlow file given to an audio set was named as an EEG recording, with
the sets to give it to; the files MNE reads (EDF, BDF, BrainVision, FIF, ...), the common EEG
formats, said only libsndfile's "Format not recognised". Real files: MNE's test recordings.
"""

from __future__ import annotations

import re

import pytest
from conftest import shared_path
from emofeat.extractors import MFCC

from emofeat.errors import AudioReadError


@pytest.fixture(scope="module")
def mne_files():
    return shared_path("eeg", "mne_testdata")


@pytest.mark.parametrize("name,said", [
    ("test.edf", r"it is an EEG recording \(\.edf file, read by MNE\): give an EEG set"),
    ("test.bdf", r"it is an EEG recording \(\.bdf file, read by MNE\): give an EEG set"),
    ("test.vhdr", r"it is an EEG recording \(\.vhdr file, read by MNE\): give an EEG set"),
    ("test.eeg", r"it is part of a BrainVision EEG recording: give its \.vhdr file to an EEG set"),
])
def test_an_eeg_file_is_named_as_one(mne_files, name, said):
    path = mne_files / name
    with pytest.raises(AudioReadError, match=rf"^{re.escape(str(path))}: cannot decode audio \(.*\); {said}"):
        MFCC().fit_transform([str(path)])


def test_a_text_file_that_is_no_recording_gets_no_eeg_hint(tmp_path):
    """Control (passes before and after): a .txt file that is no recording gets libsndfile's
    words alone."""
    path = tmp_path / "notes.txt"
    path.write_text("not audio\n")
    with pytest.raises(AudioReadError) as err:
        MFCC().fit_transform([str(path)])
    assert "EEG" not in str(err.value) and "Format not recognised" in str(err.value)
