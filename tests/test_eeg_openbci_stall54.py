"""The Timestamp column tells an OpenBCI file's losses when the host stalls next to a loss
(review R2 of 06d1c6b, session 54).

The GUI's stamps are the computer's arrival times: rows come in chunks (each stamped at its
arrival) and a host busy elsewhere reads the rows of a stall late, stamping them with the
stall's end. 06d1c6b took the arrival next to a loss as the median over a second of rows, so
a stall of 1.2 s right after a loss of 10 samples moved it by more than half a turn: the
warning said 266 samples lost "told by the Timestamp column". The arrival is now a low
quantile over up to 4 s of rows (stamps are only ever late). Real EEG: 2 channels of MNE's
BrainVision test recording at 250 Hz, tiled to 4 minutes.
"""

from __future__ import annotations

import numpy as np
import pytest
from test_eeg_openbci_drift54 import L, _eeg

# a file read with its EEGReadWarnings' messages
from test_eeg_openbci_losses53 import _read
from test_eeg_stretch_clock54 import RATE, _write_openbci


@pytest.mark.parametrize("where", ["after", "before"])
@pytest.mark.parametrize("stall", [1.2, 3.0])
@pytest.mark.parametrize("lost", [10, 300])
def test_a_host_stall_next_to_a_loss_tells_the_right_count(tmp_path, lost, stall, where):
    n = 2 * L
    data = _eeg(n)
    rows = np.r_[0:L, L + lost:n]  # `lost` samples lost after 2 minutes
    rng = np.random.default_rng(7)
    stamps = 1.7e9 + (rows // 10 + 1) * 10 / RATE + 0.03 + rng.uniform(0, 0.02, rows.size)
    # the host stalls `stall` s from the first row after the loss (or up to the last before
    # it): the rows it reads then are stamped at the stall's end
    t0 = stamps[L] if where == "after" else stamps[L - 1] - stall
    late = (stamps >= t0) & (stamps < t0 + stall)
    stamps[late] = t0 + stall
    path = tmp_path / "OpenBCI-RAW-stall.txt"
    _write_openbci(path, data, rows, np.maximum.accumulate(stamps))
    rec, said = _read(path)
    assert rec.breaks == (L,)
    assert len(said) == 1
    # the count exact and told by the stamps (06d1c6b: 266 / 556 told, a stall after the
    # loss; 'at least 10' before it)
    assert f": {lost} samples lost of {rows.size + lost} " in said[0], said[0]
    assert "told by the Timestamp column" in said[0]
    np.testing.assert_allclose(rec.stretch_starts, [0.0, (L + lost) / RATE], rtol=0, atol=1e-9)
