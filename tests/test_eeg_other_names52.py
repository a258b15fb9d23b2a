"""Two more non-EEG channel names (session 52, found by reviews RB and R2).

- BioSemi ActiView's sensor inputs are "Erg1", "Erg2", "Resp", "Plet" (plethysmograph) and
  "Temp"; "Plet" alone was read as EEG.
- Muse exports (Muse Direct, muse-lsl recordings saved with markers) carry an ``Elements``
  column of event text (``/muse/elements/blink``), empty on most rows: pandas reads an empty
  column as NaN floats, so it became a fifth EEG channel of NaN samples, whose NaN made the
  recording's features NaN for it.

Written from a real Muse recording of ../shared/data: the channels read must be the
source's four electrodes, the samples exactly the source's.
"""

from __future__ import annotations

import numpy as np
import pytest
from conftest import shared_path

from emofeat.eeg_input import other_signal_name, read_recording


@pytest.mark.parametrize("name", ["Plet", "Elements", "ELEMENTS"])
def test_named_as_other_signals(name):
    assert other_signal_name(name)


@pytest.mark.parametrize("cell", ["", "/muse/elements/blink"])
def test_a_muse_export_with_an_elements_column(tmp_path, cell):
    src = shared_path("eeg", "muse_mental_state", "subjecta-relaxed-1.csv")
    lines = src.read_text().splitlines()
    rows = [f"{line}," + (cell if i == 100 else "") for i, line in enumerate(lines[1:])]
    path = tmp_path / "muse_elements.csv"
    path.write_text("\n".join([lines[0] + ",Elements", *rows]) + "\n")
    want = read_recording(src)
    got = read_recording(path)
    assert got.ch_names == want.ch_names == ("TP9", "AF7", "AF8", "TP10")
    np.testing.assert_array_equal(got.data, want.data)
