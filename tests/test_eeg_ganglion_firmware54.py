"""A Ganglion of firmware 2 sends its uncompressed packet 0 at every turn (session 54, B2).

The firmware (OpenBCI_Ganglion_Library, ``processData``) counts its samples 0-200 and wraps
(``if (sampleCounter >= 201) sampleCounter = 0``); at 0 it sends the raw packet 0, one
uncompressed sample, and then packets 1-100 (101-200 in 19-bit mode) of two samples each.
BrainFlow writes a packet's number on each of its rows, so a complete file's ``Sample
Index`` reads 0, 1, 1, 2, 2, ..., 100, 100, 0, 1, 1, ...: a turn of 201 samples. ed3c57f
read each step 100 -> 0 as 99 packets lost (7 losses, "at least 1386 samples lost of 2966
(47 %)" on the 7.9 s file below, its windows cut every second). The files are written as
the GUI writes them from real EEG: 4 channels of MNE's BrainVision test recording at the
Ganglion's 200 Hz.
"""

from __future__ import annotations

import warnings

import numpy as np
from test_eeg_openbci_ganglion54 import RATE, _ganglion_eeg, _write

# a file read with its EEGReadWarnings' messages
from test_eeg_openbci_losses53 import _read

TURN = 201  # samples of a turn of firmware 2: packet 0 (one), packets 1-100 (two each)


def _fw2_numbers(n):
    """Each sample's packet number: place 0 of a turn is packet 0, places 2p-1 and 2p
    packet p (1-100)."""
    place = np.arange(n) % TURN
    return np.where(place == 0, 0, (place + 1) // 2)


def _fw2_arrivals(samples):
    # a BLE packet's rows are stamped on its arrival, after its last sample, 20-40 ms late
    place = samples % TURN
    last = samples + ((place > 0) & (place % 2 == 1))
    rng = np.random.default_rng(11)
    return np.maximum.accumulate(1.7e9 + (last + 1) / RATE + rng.uniform(0.02, 0.04,
                                                                         samples.size))


def test_a_complete_firmware2_file_is_one_stretch(tmp_path):
    data = _ganglion_eeg()
    n = data.shape[1]  # 1580 samples, 7.9 s: 7 turns of the packet number
    samples = np.arange(n)
    path = tmp_path / "OpenBCI-RAW-ganglion-fw2.txt"
    _write(path, data, samples, _fw2_arrivals(samples), _fw2_numbers)
    assert int(np.count_nonzero(_fw2_numbers(n) == 0)) == 8  # packet 0 at each turn
    rec, said = _read(path)
    # nothing lost: no warning, no break (ed3c57f: 7 breaks, every 201 rows)
    assert not said and rec.breaks == () and getattr(rec, "stretch_starts", ()) == ()
    np.testing.assert_allclose(rec.data, data, rtol=0, atol=5e-7)


def test_firmware2_losses_across_its_turns_are_counted(tmp_path):
    data = _ganglion_eeg()
    n = data.shape[1]
    # lost: packets 100 and 0 of the first turn's end (samples 199-201: 3 samples); the
    # lone packet 0 of the third turn (sample 402: 1); 301 samples from packet 49 of the
    # fourth turn (sample 700) to packet 98 of the fifth (sample 1000: a turn and 100
    # samples, 100 by the packet number alone, the Timestamp column telling the turn)
    gone = np.r_[199:202, 402, 700:1001]
    samples = np.setdiff1d(np.arange(n), gone)
    path = tmp_path / "OpenBCI-RAW-ganglion-fw2-lost.txt"
    _write(path, data, samples, _fw2_arrivals(samples), _fw2_numbers)
    rec, said = _read(path)
    assert rec.breaks == (199, 399, 696)  # the rows after each loss
    assert len(said) == 1 and "3 packet losses" in said[0] and "201 samples a turn" in said[0]
    assert f"305 samples lost of {n} " in said[0]  # 3 + 1 + 301, exact
    # each stretch at its first sample's place in what the board sent (exact, to 1e-12 s)
    np.testing.assert_allclose(rec.stretch_starts, np.array([0, 202, 403, 1001]) / RATE,
                               rtol=0, atol=1e-12)
    np.testing.assert_allclose(rec.data, data[:, samples], rtol=0, atol=5e-7)
    # without its Timestamp column the counter tells the last loss modulo a turn: 100
    bare = tmp_path / "OpenBCI-RAW-ganglion-fw2-bare.txt"
    text = path.read_text().splitlines()
    bare.write_text("\n".join(line.rsplit(",", 1)[0] for line in text) + "\n")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        rec, said = _read(bare)
    assert rec.breaks == (199, 399, 696)
    assert f"at least 104 samples lost of {samples.size + 104} " in said[0]
