"""What the reader says of a Ganglion file's stretches after an impedance check without
arrival times (session 56, helper B2, mend 2 of review RB of 6c70ec6).

Without a ``Timestamp`` column the stretch after an impedance check is timed as if the check
took no time, and so is every stretch after it: a packet loss after such a check is early by
the check's unknown length as well as by whole turns of the counter. 6c70ec6's warning said
"the stretch after is timed right after the one before" (only the next stretch) and, of the
loss, that its windows are early "by whole turns of the counter (200 samples, 1 s)": on the
file below (real EEG, MNE's BrainVision test recording at the Ganglion's 200 Hz: rows 0-599,
a check, rows 1050-1199 and 1210-) the stretch after the loss starts at 3.8 s where its
samples lie at 6.05 s, 2.25 s early, no whole number of turns.
"""

from __future__ import annotations

import numpy as np
from test_eeg_ganglion_impedance55 import _eeg_row, _impedance_row, _numbers, _read, _write
from test_eeg_openbci_ganglion54 import GANGLION, RATE, _ganglion_eeg

TURN = 1.0  # a turn of the firmware-3 counter: 200 samples at 200 Hz (0-99 twice)


def _check_then_loss(folder, stamps: bool):
    """Rows 0-599, an impedance check, rows 1050- less 1200-1209: the recording and the
    reader's one warning."""
    data = _ganglion_eeg()
    path = folder / "OpenBCI-RAW-g.txt"
    _write(path, data, np.arange(600), np.arange(1050, data.shape[1]),
           set(range(1200, 1210)), stamps=stamps)
    rec, said = _read(path)
    assert len(said) == 1, said
    return rec, said


def test_a_loss_after_a_check_without_stamps_is_said_early_by_the_check_too(tmp_path):
    rec, said = _check_then_loss(tmp_path, stamps=False)
    # where the stretches start on the reader's clock, and where their samples lie
    true = np.array([0, 1050, 1210]) / RATE
    np.testing.assert_allclose(rec.stretch_starts, [0.0, 3.0, 3.8], rtol=0, atol=1e-9)
    early = true - np.asarray(rec.stretch_starts)
    # the stretch after the loss: 2.25 s early, no whole number of turns (atol 1e-9 s)
    assert abs(early[2] / TURN - round(early[2] / TURN)) > 0.1
    np.testing.assert_allclose(early[1:], [2.25, 2.25], rtol=0, atol=1e-9)
    assert "so the stretches after it are timed as if it took no time" in said[0]
    assert "the stretch after is timed right after the one before" not in said[0]
    assert ("earlier than the samples' by whole turns of the counter (200 samples, 1 s) "
            "where more packets were lost, and after an impedance check by its unknown "
            "length; a Timestamp column of arrival times would tell") in said[0]


def test_with_stamps_the_loss_clause_names_no_check(tmp_path):
    """The stamps time the check and the loss: nothing is said to be early."""
    _, said = _check_then_loss(tmp_path, stamps=True)
    assert "told by the Timestamp column" in said[0]
    assert "unknown length" not in said[0] and "as if it took no time" not in said[0]


def test_two_checks_without_stamps_are_said_in_the_plural(tmp_path):
    """Rows 0-399, a check, rows 600-999, a check, rows 1200- less 1400-1409: the stretch
    after the second check is early by both (400 rows, 2 s, on the real samples' clock), and
    so is the stretch after the loss that follows it, which the loss clause says in the
    plural too (until review RB2 'after an impedance check by its unknown length')."""
    data = _ganglion_eeg()
    header = ["%OpenBCI Raw EXG Data", "%Number of channels = 4",
              f"%Sample Rate = {RATE} Hz", f"%Board = {GANGLION}",
              ", ".join(["Sample Index", *(f"EXG Channel {c}" for c in range(4)),
                         *(f"Accel Channel {c}" for c in range(3)), *(["Other"] * 5),
                         "Timestamp", "Marker Channel", "Timestamp (Formatted)"])]
    lines = list(header)
    pieces = [np.arange(400), np.arange(600, 1000), np.r_[1200:1400, 1410:data.shape[1]]]
    for k, rows in enumerate(pieces):
        if k:
            lines += [_impedance_row(j, 0.0) for j in range(50)]
        lines += [_eeg_row(_numbers(i - rows[0]), data[:, i], 0.0) for i in rows]
    path = tmp_path / "OpenBCI-RAW-g2.txt"
    path.write_text("\n".join(lines) + "\n")
    rec, said = _read(path)
    assert len(said) == 1, said
    # the samples lie at 0, 3, 6 and 7.05 s (atol 1e-9 s)
    np.testing.assert_allclose(rec.stretch_starts, [0.0, 2.0, 4.0, 5.05], rtol=0, atol=1e-9)
    assert ("the recording cut at 2 impedance checks (their lengths not known: no Timestamp "
            "column of arrival times, so the stretches after them are timed as if they took "
            "no time)") in said[0]
    assert ("where more packets were lost, and after impedance checks by their unknown "
            "lengths; a Timestamp column of arrival times would tell") in said[0]
