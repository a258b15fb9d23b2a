"""Rows with a field more than the header are read as the header names them (session 52).

pandas takes the first column of a CSV as the row index where the rows hold one field more
than the header line, shifting every column left by one. A Muse export whose rows end in
a delimiter (``...,0.977,``) was refused as "time column 'timestamps' is not increasing" (the
TP9 samples read as the time); an OpenBCI GUI file whose header line lacks a column its rows
hold (a header without ``Marker Channel``) read each EXG channel's samples from the next
channel's column without a word. pandas' ``index_col=False`` is its documented remedy for
"a malformed file with delimiters at the end of each line".

Written from real recordings of ../shared/data; what is read must be the source's samples
(exactly for the Muse file, whose cells are copied; to the 6 decimals written, 5e-7 uV, for
the OpenBCI file) at the source's rate.
"""

from __future__ import annotations

import numpy as np
from conftest import shared_path

from emofeat.eeg_input import read_recording


def _muse_path():
    return shared_path("eeg", "muse_mental_state", "subjecta-relaxed-1.csv")


def test_a_muse_export_with_a_delimiter_ending_each_row(tmp_path):
    lines = _muse_path().read_text().splitlines()
    path = tmp_path / "muse_trailing.csv"
    path.write_text("\n".join([lines[0], *(f"{line}," for line in lines[1:])]) + "\n")
    want = read_recording(_muse_path())
    got = read_recording(path)
    assert got.ch_names == want.ch_names == ("TP9", "AF7", "AF8", "TP10")
    assert got.sfreq == want.sfreq and got.breaks == want.breaks
    np.testing.assert_array_equal(got.data, want.data)


def test_an_openbci_file_whose_header_lacks_a_column_its_rows_hold(tmp_path):
    want = read_recording(_muse_path())
    data = want.data[:, :2000]
    header = ("Sample Index, EXG Channel 0, EXG Channel 1, EXG Channel 2, EXG Channel 3, "
              "Accel Channel 0, Accel Channel 1, Accel Channel 2, Timestamp, "
              "Timestamp (Formatted)")  # no 'Marker Channel', which the rows hold
    lines = ["%OpenBCI Raw EXG Data", "%Number of channels = 4", "%Sample Rate = 256 Hz",
             "%Board = OpenBCI_GUI$BoardGanglionBLE", header]
    for i in range(data.shape[1]):
        lines.append(", ".join([str(i % 256), *(f"{v:.6f}" for v in data[:, i]),
                                "0.000", "0.000", "0.000", f"{1.6e9 + i / 256:.6f}", "0.0",
                                "2020-09-13 12:26:40.000"]))
    path = tmp_path / "OpenBCI-RAW-marker.txt"
    path.write_text("\n".join(lines) + "\n")
    got = read_recording(path)
    assert got.sfreq == 256
    assert got.ch_names == tuple(f"EXG Channel {k}" for k in range(4))
    np.testing.assert_allclose(got.data, data, rtol=0, atol=5e-7)
