"""A CSV timestamp step of exactly twice the median is no gap, whatever the doubles' rounding
(hunt of session 50).

A step over ``gap_factor`` (2) times the median step is a gap (docs/eeg.md): one sample lost
at a whole rate is a step of exactly twice the median (8 ms after steps of 4 ms), no gap. Read
as doubles, Unix stamps (ulp 2.4e-7 s) give that step and the median a hair more or less than
the times written, so whether the loss cut the recording in two depended on where it fell:
17 of 40 such losses in 250 Hz stamps written to 1 ms, 25 of 40 at 1000 Hz to 0.1 ms, cut
it (a second ``epoch`` row, windows stopping there). Two samples lost (three steps) are a
gap wherever they fall."""

from __future__ import annotations

import numpy as np
import pytest
from conftest import shared_path

from emofeat.eeg_input import read_recording

pd = pytest.importorskip("pandas")

CHANNELS = ["TP9", "AF7", "AF8", "TP10"]


def _muse(n: int) -> tuple[np.ndarray, float]:
    """``n`` real Muse samples (rows) and the file's first Unix stamp."""
    frame = pd.read_csv(shared_path("eeg", "muse_mental_state", "subjecta-neutral-1.csv"))
    return frame[CHANNELS].to_numpy()[:n], float(frame["timestamps"].iloc[0])


@pytest.mark.parametrize(("rate", "decimals"), [(250.0, 3), (1000.0, 4)])
def test_one_lost_sample_is_no_gap_and_two_are(tmp_path, rate, decimals):
    """Real samples stamped t0 + k / rate (Unix seconds) with ``decimals`` decimals, one
    sample left out at each of 40 places: never a break; two samples left out: a break
    there every time."""
    x, t0 = _muse(3000)
    stamps = t0 + np.arange(len(x)) / rate
    path = tmp_path / "lost.csv"
    for lost in (1, 2):
        breaks = []
        for at in range(1500, 1540):
            keep = np.ones(len(x), bool)
            keep[at:at + lost] = False
            frame = pd.DataFrame(x[keep], columns=CHANNELS)
            frame.insert(0, "timestamps", [f"{s:.{decimals}f}" for s in stamps[keep]])
            frame.to_csv(path, index=False)
            breaks.append(read_recording(path).breaks)
        want = [()] * 40 if lost == 1 else [(at,) for at in range(1500, 1540)]
        assert breaks == want, f"{lost} lost: {sum(map(bool, breaks))} of 40 breaks"
