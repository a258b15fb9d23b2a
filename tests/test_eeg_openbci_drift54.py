"""The Timestamp column tells an OpenBCI file's losses on a board whose clock is off its rate
(session 54, B2).

The Cyton's ADS1299 runs on its internal oscillator, within +-0.5 % of its nominal rate
(OpenBCI_Cyton_Library issue #25; TI's data sheet), so a file's 250 Hz samples arrive at
250 x (1 + e) Hz by the computer's clock. ed3c57f took each stretch's arrival time as the
median over the whole stretch of (stamp - place / rate), which is off by e x half the
stretch: with 2-minute stretches and a board 0.5 % slow the stamps told 276 samples lost
where 20 were, and 0.5 % fast they told a loss shorter than its least count (the stamps
disbelieved: 'at least'). The stamps are now read next to each loss (about a second of rows
on either side). The files are written as BrainFlow stamps them (chunks of 10 samples, 30 ms
late, jittered) from real EEG: 2 channels of MNE's BrainVision test recording at 250 Hz,
tiled to 4 minutes.
"""

from __future__ import annotations

import numpy as np
import pytest
from conftest import shared_path

# a file read with its EEGReadWarnings' messages
from test_eeg_openbci_losses53 import _read
from test_eeg_stretch_clock54 import RATE, _write_openbci

L = 120 * RATE  # rows of a 2-minute stretch


def _eeg(n):
    mne = pytest.importorskip("mne")
    raw = mne.io.read_raw_brainvision(shared_path("eeg", "mne_testdata", "test.vhdr"),
                                      preload=True, verbose=False)
    raw.pick([0, 1]).resample(RATE, verbose=False)
    d = raw.get_data(units="uV")
    return np.tile(d, n // d.shape[1] + 1)[:, :n]


@pytest.mark.parametrize("error", [-0.005, 0.005])
@pytest.mark.parametrize("second", [10, 300])
def test_losses_told_by_the_stamps_of_a_board_off_its_rate(tmp_path, error, second):
    n = 2 * L + second + 2000
    data = _eeg(n)
    # 10 samples lost after 2 minutes, `second` (300: a turn of the counter and 44) after 4
    rows = np.r_[0:L, L + 10:2 * L + 10, 2 * L + 10 + second:n]
    rng = np.random.default_rng(7)
    chunk = (rows // 10 + 1) * 10  # the sample that closes each row's chunk
    stamps = 1.7e9 + chunk / (RATE * (1 + error)) + 0.03 + rng.uniform(0, 0.02, rows.size)
    path = tmp_path / "OpenBCI-RAW-drift.txt"
    _write_openbci(path, data, rows, np.maximum.accumulate(stamps))
    rec, said = _read(path)
    assert rec.breaks == (L, 2 * L)
    lost = 10 + second
    assert len(said) == 1
    # the count exact, told by the stamps (ed3c57f: 276 and 532 when slow, 'at least' fast)
    assert f": {lost} samples lost of {rows.size + lost} " in said[0]
    assert "told by the Timestamp column" in said[0]
    # each stretch at its first sample's place on the board's clock (exact, to 1e-9 s)
    np.testing.assert_allclose(rec.stretch_starts,
                               [0.0, (L + 10) / RATE, (2 * L + 10 + second) / RATE],
                               rtol=0, atol=1e-9)
