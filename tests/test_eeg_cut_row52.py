"""A text recording that ends in the middle of a row (session 52).

A recording app that stops while writing, or a copy interrupted, leaves a CSV (or OpenBCI
GUI file) whose last line is part of a row, with no line break after it. That row was read
with NaN for its missing cells and its last cell cut short: a Muse recording of
../shared/data cut 200,025 bytes in read AF7's last sample 17.090 as 2 and AF8, TP10 as NaN,
which made the whole recording's eeg_bands features of AF8 and TP10 NaN (30 of 60). Now the
row is left out with an ``EEGReadWarning`` naming the file, as MNE reads a truncated EDF and
warns. What is read must be the complete file's rows before the cut line, exactly.
"""

from __future__ import annotations

import warnings

import numpy as np
import pytest
from conftest import shared_path
from emofeat.extractors import EEGBandPower

from emofeat.eeg_input import EEGReadWarning, read_recording


def _source():
    return shared_path("eeg", "muse_mental_state", "subjecta-relaxed-1.csv")


def _read(path):
    with warnings.catch_warnings(record=True) as got:
        warnings.simplefilter("always")
        rec = read_recording(path)
    return rec, [str(w.message) for w in got if issubclass(w.category, EEGReadWarning)]


@pytest.mark.parametrize("size", [200_025, 200_030, 350_012])
def test_a_muse_recording_cut_in_a_row_reads_as_the_rows_before(tmp_path, size):
    raw = _source().read_bytes()
    cut = raw[:size]
    tail = cut.rsplit(b"\n", 1)[1]
    assert 0 < tail.count(b",") < 4  # the cut falls before TP10: EEG cells are missing
    path = tmp_path / "cut.csv"
    path.write_bytes(cut)
    whole = read_recording(_source())
    n_rows = cut.count(b"\n") - 1  # complete rows: every line ended, less the header
    rec, said = _read(path)
    assert rec.n_times == n_rows
    np.testing.assert_array_equal(rec.data, whole.data[:, :n_rows])
    assert len(said) == 1 and said[0].startswith(f"{path}: it ends in the middle of a row")
    X = EEGBandPower(sfreq=256).fit_transform([str(path)])
    assert not np.isnan(X).any()


def test_a_complete_file_without_a_last_line_break_keeps_its_last_row(tmp_path):
    raw = _source().read_bytes().rstrip(b"\r\n")
    path = tmp_path / "no_break.csv"
    path.write_bytes(raw)
    rec, said = _read(path)
    whole = read_recording(_source())
    np.testing.assert_array_equal(rec.data, whole.data)
    assert said == []


def test_an_openbci_file_cut_in_a_row(tmp_path):
    whole = read_recording(_source())
    data = whole.data[:, :1000]
    lines = ["%OpenBCI Raw EXG Data", "%Number of channels = 4", "%Sample Rate = 256 Hz",
             "Sample Index, EXG Channel 0, EXG Channel 1, EXG Channel 2, EXG Channel 3, "
             "Timestamp"]
    lines += [", ".join([str(i % 256), *(f"{v:.3f}" for v in data[:, i]),
                         f"{1.6e9 + i / 256:.6f}"]) for i in range(data.shape[1])]
    text = "\n".join(lines)
    path = tmp_path / "OpenBCI-RAW-cut.txt"
    path.write_text(text[: text.rindex("\n") + 12])  # the GUI stopped in the last row
    rec, said = _read(path)
    assert rec.n_times == data.shape[1] - 1 and len(said) == 1
    np.testing.assert_allclose(rec.data, data[:, :-1], rtol=0, atol=5e-4)  # 3 decimals written


def test_rows_written_without_their_empty_last_cells_are_no_cut(tmp_path):
    # a writer that leaves out empty cells at a row's end: every row one field short of
    # the header (no Right AUX cell), the last one no shorter, and no final line break
    lines = _source().read_text().splitlines()
    rows = [line.rsplit(",", 1)[0] for line in lines[1:]]
    path = tmp_path / "short_rows.csv"
    path.write_text("\n".join([lines[0], *rows]))
    rec, said = _read(path)
    whole = read_recording(_source())
    np.testing.assert_array_equal(rec.data, whole.data)
    assert said == []
