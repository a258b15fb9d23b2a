"""Windows after a break whose length the clock does not know (session 56, helper B).

An OpenBCI Cyton file without a ``Timestamp`` column tells a packet loss only modulo a turn
of its counter (256 samples, 1.024 s at 250 Hz): ``at least 44 samples lost`` where 300
were. The windows after it keep numeric ``start``/``end``, the earliest the loss allows
(lower bounds: order, durations and the rows' identity stay; NaN would make the windows of
a stretch one row key), and the reader's warning now says so: it said they were "timed on
the board's clock with the samples lost counted in", as of a loss the stamps had timed.
"""

from __future__ import annotations

import warnings

import numpy as np
import pytest
from test_eeg_openbci_losses53 import RATE, _cyton_eeg

from emofeat import get_extractor
from emofeat.eeg_input import EEGReadWarning
from emofeat.runner import run

LOST = 300  # samples the file leaves out at 2 s; the counter (modulo 256) tells 44


def _cyton_file(folder, keep, stamps: bool):
    """A Cyton file (real EEG at 250 Hz, tests/test_eeg_openbci_losses53) of the samples
    ``keep``, with or without the computer's arrival times."""
    data = _cyton_eeg(4)
    head = ["Sample Index", *(f"EXG Channel {k}" for k in range(4))]
    head += ["Timestamp"] if stamps else []
    lines = ["%OpenBCI Raw EXG Data", "%Number of channels = 4", f"%Sample Rate = {RATE} Hz",
             "%Board = OpenBCI_GUI$BoardCytonSerial", ", ".join(head)]
    for i in keep:
        row = [f"{i % 256}.0", *(f"{v:.6f}" for v in data[:, i])]
        lines.append(", ".join(row + ([f"{1.7e9 + i / RATE:.6f}"] if stamps else [])))
    path = folder / f"OpenBCI-RAW-{'stamped' if stamps else 'bare'}.txt"
    path.write_text("\n".join(lines) + "\n")
    return path, data.shape[1]


def _windows(path):
    with warnings.catch_warnings(record=True) as got:
        warnings.simplefilter("always")
        res = run([str(path)], [get_extractor("eeg_bands", sfreq=RATE)], segment=1.0, hop=1.0)
    said = [str(w.message) for w in got if issubclass(w.category, EEGReadWarning)]
    return res.table.to_pandas().reset_index(), said


@pytest.mark.parametrize("stamps", [False, True])
def test_windows_after_a_loss_of_unknown_length_are_said_to_be_timed_at_the_earliest(
        tmp_path, stamps):
    n = _cyton_eeg(4).shape[1]
    path, _ = _cyton_file(tmp_path, np.r_[0:500, 500 + LOST:n], stamps)
    rows, said = _windows(path)
    assert len(said) == 1, said
    after = rows[rows["epoch"] == 1]
    # the samples' true times on the board's clock: the stretch after the loss starts at
    # sample 800, 3.2 s (exact within 1e-9 s)
    true = (500 + LOST) / RATE + np.arange(len(after)) * 1.0
    if stamps:
        # the stamps tell the turns: the loss timed, the windows where the samples are
        np.testing.assert_allclose(after["start"], true, rtol=0, atol=1e-9)
        assert "the turns of the counter told by the Timestamp column" in said[0]
        assert "at the earliest" not in said[0]
        return
    # without them: the earliest the loss allows, early by a whole turn (1.024 s)
    late = true - after["start"].to_numpy()
    np.testing.assert_allclose(late, 256 / RATE, rtol=0, atol=1e-9)
    # the windows' lengths as cut (1 s, the last the stretch's 0.7 s tail)
    np.testing.assert_allclose((after["end"] - after["start"])[:-1], 1.0, rtol=0, atol=1e-9)
    # before: "timed on the board's clock with the samples lost counted in)", as if timed
    assert "at least 44 samples lost" in said[0]
    assert ("timed on the board's clock with the least samples lost counted in: the "
            "stretches after a loss start at the earliest they can, their windows' "
            "start/end earlier than the samples' by whole turns of the counter (256 "
            "samples, 1.024 s) where more packets were lost; a Timestamp column of arrival "
            "times would tell)") in said[0]
