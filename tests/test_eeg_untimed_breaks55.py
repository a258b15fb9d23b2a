"""EEGRecording(untimed_breaks=...) of the wrong length, or a plain string, is refused
(review R2 of 4f418b6, session 55): it was emptied without a word, every break then taken
as timed, so a manifest segment after a break whose length is not known was placed."""

from __future__ import annotations

import dataclasses
import warnings

import pytest
from conftest import shared_path

from emofeat.eeg_input import read_recording


@pytest.fixture(scope="module")
def muse():
    """The Muse recording subjectb-relaxed-2: 9 timestamp gaps, a clock through them."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        rec = read_recording(shared_path("eeg", "muse_mental_state", "subjectb-relaxed-2.csv"))
    assert len(rec.breaks) == 9 and len(rec.stretch_starts) == 10 and rec.untimed_breaks == ()
    return rec


@pytest.mark.parametrize("given", [
    ("at least 44 samples lost at 2 s",),       # one text for 9 breaks
    ("",) * 8 + ("at least 44 samples lost at 2 s", ""),  # 10 for 9
    "at least 44 samples lost at 2 s",          # a plain string
    "lost at 2",                                # a plain string of 9 characters, 9 breaks
    (None,) * 9,                                # no text: was the text 'None', untimed
])
def test_untimed_breaks_that_do_not_fit_the_breaks_are_refused(muse, given):
    # before: emptied (or taken a character a break, None as 'None'), no error
    with pytest.raises(ValueError, match="untimed_breaks"):
        dataclasses.replace(muse, untimed_breaks=given)


def test_untimed_breaks_one_a_break_are_kept(muse):
    said = ("",) * 4 + ("at least 44 samples lost at 2 s",) + ("",) * 4
    assert dataclasses.replace(muse, untimed_breaks=said).untimed_breaks == said
    assert dataclasses.replace(muse, untimed_breaks=list(said)).untimed_breaks == said
    # the breaks replaced without their clock: no clock, nothing said of them (as before)
    other = dataclasses.replace(dataclasses.replace(muse, untimed_breaks=said), breaks=())
    assert other.stretch_starts == () and other.untimed_breaks == ()
