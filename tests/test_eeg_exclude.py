"""``read_recording``'s ``exclude`` names columns that exist, or says so.

Regression: an ``exclude`` name matching no column was dropped without a word, so
``exclude='tp9'`` (a case slip) left TP9 among the channels and in every feature, and
``exclude=b'TP9'`` was read as the integers 84, 80, 57 and excluded nothing. A pick matching
no column was already refused; an exclusion now is too, naming the file, the name, the
columns and the one it may mean. Names holding ``AUX`` stay exempt: such columns are left
out wherever they appear, so the default ``("Right AUX",)`` need not be in every file.
"""

from __future__ import annotations

import numpy as np
import pytest
from conftest import shared_path

from emofeat.eeg_input import EEGChannelError, read_recording


@pytest.fixture
def muse() -> str:
    return str(shared_path("eeg", "muse_mental_state", "subjecta-neutral-1.csv"))


def test_a_name_in_another_case_is_refused_with_the_one_meant(muse):
    with pytest.raises(EEGChannelError, match=r"subjecta-neutral-1\.csv.*no column 'tp9' to "
                       r"exclude \(columns: \['timestamps', 'TP9', .*did you mean 'TP9'\?"):
        read_recording(muse, exclude="tp9")
    with pytest.raises(EEGChannelError, match=r"no column 'Fz' to exclude .*\]\)$"):
        read_recording(muse, exclude=("Right AUX", "Fz"))


@pytest.mark.parametrize("bad", [b"TP9", bytearray(b"TP9"), 9, [b"TP9"], ["TP9", 1]])
def test_names_that_are_not_text_are_refused(muse, bad):
    with pytest.raises(TypeError, match="exclude: "):
        read_recording(muse, exclude=bad)


def test_names_that_match_exclude_as_before(muse):
    whole = read_recording(muse)
    assert whole.ch_names == ("TP9", "AF7", "AF8", "TP10")  # Right AUX left out by default
    rec = read_recording(muse, exclude=["TP9", "AF8"])
    assert rec.ch_names == ("AF7", "TP10")
    np.testing.assert_array_equal(rec.data, whole.data[[1, 3]])
    # AUX names are exempt: a file without them, and names of other devices' AUX inputs
    assert read_recording(muse, exclude=("AUX_RIGHT", "Left AUX")).ch_names == whole.ch_names
    assert read_recording(muse, exclude=()).ch_names == whole.ch_names
