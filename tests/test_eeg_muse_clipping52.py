"""Muse samples at the headband's input limits are reported (session 52).

The Muse digitises each electrode with 12 bits: code ``c`` in 0..4095 is
``0.48828125 * (c - 2048)`` uV (muse-lsl's conversion), so its range ends at -1000 and
+999.51 uV. A sample at code 0 or 4095 is clipped: the signal went beyond the range and
is lost there. 8 of the 24 Muse recordings in ../shared/data have such samples (AF7/AF8, the
forehead electrodes: up to 0.72 % of a channel), which were read without a word, while a
flat or NaN channel is reported. Now one ``EEGChannelWarning`` per file names it and each
clipped channel with its count and fraction; the samples are kept (nothing dropped).
"""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest
from conftest import shared_path

from emofeat.eeg_input import read_recording
from emofeat.readers import EEGChannelWarning

ELECTRODES = ["TP9", "AF7", "AF8", "TP10"]
UV_PER_CODE = 0.48828125  # 2000 uV over 4096 codes


def _rail_counts(frame: pd.DataFrame) -> dict[str, int]:
    """Samples at code 0 or 4095, the codes taken back from the microvolts written (to 3
    decimals: a code is within 0.002 of a whole number, tolerance 0.01)."""
    out = {}
    for name in ELECTRODES:
        code = frame[name].to_numpy() / UV_PER_CODE + 2048
        assert np.all(np.abs(code - np.round(code)) < 0.01)  # the file's values are codes
        code = np.round(code)
        out[name] = int(((code <= 0) | (code >= 4095)).sum())
    return out


def _read(path):
    with warnings.catch_warnings(record=True) as got:
        warnings.simplefilter("always")
        rec = read_recording(path)
    return rec, [str(w.message) for w in got if issubclass(w.category, EEGChannelWarning)]


@pytest.mark.parametrize("name", ["subjectc-concentrating-1.csv", "subjectb-neutral-2.csv"])
def test_clipped_channels_are_named_with_their_counts(name):
    path = shared_path("eeg", "muse_mental_state", name)
    frame = pd.read_csv(path)
    counts = _rail_counts(frame)
    assert any(counts.values())  # the file is what the warning is for
    rec, said = _read(path)
    clipped = [m for m in said if "clipped" in m]
    assert len(clipped) == 1 and clipped[0].startswith(f"{path}: ")
    for channel, k in counts.items():
        if k:
            assert f"{channel} {k} of {len(frame)} samples" in clipped[0]
        else:
            assert f"{channel} " not in clipped[0].split("): ", 1)[1]
    # nothing dropped or changed: the samples are the file's
    np.testing.assert_array_equal(rec.data, frame[ELECTRODES].to_numpy().T)


def test_a_recording_within_the_limits_says_nothing():
    path = shared_path("eeg", "muse_mental_state", "subjecta-relaxed-1.csv")
    assert not any(_rail_counts(pd.read_csv(path)).values())
    _, said = _read(path)
    assert not [m for m in said if "clipped" in m]


def test_other_amplifiers_are_not_judged_by_the_muse_limits(tmp_path):
    # the same samples under 10-20 names another amplifier could give: its limits are not
    # the Muse's, so no warning (a value of 1000 uV there is a value)
    frame = pd.read_csv(shared_path("eeg", "muse_mental_state", "subjectc-concentrating-1.csv"))
    frame = frame.rename(columns=dict(zip(ELECTRODES, ["F7", "F8", "T7", "T8"], strict=True)))
    path = tmp_path / "other.csv"
    frame.to_csv(path, index=False)
    _, said = _read(path)
    assert not [m for m in said if "clipped" in m]
