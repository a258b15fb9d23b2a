"""OpenBCI GUI recordings are read (session 52).

The OpenBCI GUI (OpenBCI's Cyton, Cyton+Daisy and Ganglion boards, common in research and
hobby EEG) saves ``OpenBCI-RAW-*.txt``: comment lines starting with ``%`` (the rate in
``%Sample Rate = 250 Hz``), then, from GUI 4 on, a header line ``Sample Index, EXG Channel
0, ...`` and the rows; in older files the rows alone (sample index, EEG in microvolts, three
accelerometer columns, a time of day). Until session 52 no reader took them: a ``.txt`` went
to MNE ("cannot read EEG"), the same file named ``.csv`` to pandas, which failed on the
comment lines.

The files here are written in those layouts from real EEG (a Muse recording of
../shared/data, MNE's BrainVision test recording), as the GUI writes them; what is read
back must be the source's samples (to the 6 decimals written: 5e-7 uV) at the rate of
the ``%Sample Rate`` line, the EXG channels only by default.
"""

from __future__ import annotations

import numpy as np
import pytest
from conftest import shared_path
from emofeat.extractors import EEGBandPower

from emofeat.eeg_input import read_recording
from emofeat.errors import EEGReadError, InputError

WRITTEN = 5e-7  # uV: samples are written with 6 decimals

NEW_COLUMNS = ["Accel Channel 0", "Accel Channel 1", "Accel Channel 2", "Not Used",
               "Digital Channel 0 (D11)", "Digital Channel 1 (D12)", "Digital Channel 2 (D13)",
               "Digital Channel 3 (D17)", "Not Used", "Digital Channel 4 (D18)",
               "Analog Channel 0", "Analog Channel 1", "Analog Channel 2", "Timestamp",
               "Marker Channel", "Timestamp (Formatted)"]


def _muse():
    rec = read_recording(shared_path("eeg", "muse_mental_state", "subjecta-relaxed-1.csv"))
    return rec.data, 256  # the Muse's rate; the file's stamps give 256.0 within 0.1 %


def _new_format(path, data, rate, board="OpenBCI_GUI$BoardGanglionBLE"):
    """GUI 5: '%' lines, a header line, rows of every column the GUI writes."""
    n, t = data.shape
    lines = ["%OpenBCI Raw EXG Data", f"%Number of channels = {n}", f"%Sample Rate = {rate} Hz",
             f"%Board = {board}",
             ", ".join(["Sample Index", *(f"EXG Channel {k}" for k in range(n)), *NEW_COLUMNS])]
    stamp0 = 1.6e9
    for i in range(t):
        stamp = stamp0 + i / rate
        other = ["0.000", "0.000", "0.000", "0.0", "0.0", "0.0", "0.0", "0.0", "0.0", "0.0",
                 "0.0", "0.0", "0.0", f"{stamp:.6f}", "0.0",
                 f"2020-09-13 12:26:{40 + (i / rate) % 20:06.3f}"]
        lines.append(", ".join([f"{i % 256}.0", *(f"{v:.6f}" for v in data[:, i]), *other]))
    path.write_text("\n".join(lines) + "\n")


def _old_format(path, data, rate, count_line=False, unix=False):
    """The GUI 3 layout: '%' lines, then rows without a header: index, EEG, 3 accelerometer
    columns (zero but every tenth row), a time of day."""
    n, t = data.shape
    lines = ["%OpenBCI Raw EEG Data", f"%Number of channels = {n}" if count_line else "%",
             f"%Sample Rate = {float(rate):.1f} Hz", "%First Column = SampleIndex",
             "%Last Column = Timestamp ",
             "%Other Columns = EEG data in microvolts followed by Accel Data (in G) "
             "interleaved with Aux Data"]
    for i in range(t):
        acc = ["-0.026", "0.468", "-0.062"] if i % 10 == 0 else ["0.000"] * 3
        lines.append(", ".join([str(i % 256), *(f"{v:.6f}" for v in data[:, i]), *acc,
                                f"15:31:{23 + (i / rate) % 30:06.3f}",
                                *([str(1524418283878 + i)] if unix else [])]))
    path.write_text("\n".join(lines) + "\n")


@pytest.mark.parametrize("suffix", [".txt", ".csv"])
def test_new_gui_file_of_a_muse_recording_reads_as_its_source(tmp_path, suffix):
    data, rate = _muse()
    path = tmp_path / f"OpenBCI-RAW-2020-09-13_12-26-40{suffix}"
    _new_format(path, data, rate)
    rec = read_recording(path)
    assert rec.sfreq == rate
    assert rec.ch_names == ("EXG Channel 0", "EXG Channel 1", "EXG Channel 2", "EXG Channel 3")
    np.testing.assert_allclose(rec.data, data, rtol=0, atol=WRITTEN)
    # another column only when picked, as a CSV's other signals
    acc = read_recording(path, picks=["Accel Channel 0", "EXG Channel 1"])
    assert acc.ch_names == ("Accel Channel 0", "EXG Channel 1")
    np.testing.assert_allclose(acc.data[1], data[1], rtol=0, atol=WRITTEN)
    two = read_recording(path, exclude=["EXG Channel 0", "EXG Channel 3"])
    assert two.ch_names == ("EXG Channel 1", "EXG Channel 2")


def test_old_headerless_file_of_brainvision_eeg_reads_as_its_source(tmp_path):
    mne = pytest.importorskip("mne")
    raw = mne.io.read_raw_brainvision(shared_path("eeg", "mne_testdata", "test.vhdr"),
                                      preload=True, verbose=False)
    data = raw.get_data(picks=list(range(8)), units="uV")  # a Cyton's 8 channels, in uV
    rate = int(raw.info["sfreq"])
    # GUI 3 wrote no count; later files do, and some a Unix time (ms) after the time of day
    for count_line, unix in ((False, False), (True, False), (False, True), (True, True)):
        path = tmp_path / f"OpenBCI-RAW-old-{count_line}-{unix}.txt"
        _old_format(path, data, rate, count_line, unix)
        rec = read_recording(path)
        assert rec.sfreq == rate == 1000
        assert rec.ch_names == tuple(f"EXG Channel {k}" for k in range(8))
        np.testing.assert_allclose(rec.data, data, rtol=0, atol=WRITTEN)


def test_the_extractors_and_the_file_reader_take_it(tmp_path):
    data, rate = _muse()
    path = tmp_path / "OpenBCI-RAW-muse.txt"
    _new_format(path, data, rate)
    rec = read_recording(path)
    ext = EEGBandPower(sfreq=rate)
    got = ext.fit_transform([str(path)])
    want = ext.fit_transform([(rec.data, rec.sfreq, rec.ch_names)])
    np.testing.assert_array_equal(got, want)  # the path gives what its samples give
    from emofeat.readers import read_eeg_file

    x, sfreq, names = read_eeg_file(path)
    assert sfreq == rate and names == rec.ch_names
    np.testing.assert_array_equal(x, rec.data)


def test_bad_openbci_files_are_refused_saying_why(tmp_path):
    no_rate = tmp_path / "no_rate.txt"
    no_rate.write_text("%OpenBCI Raw EXG Data\n%Number of channels = 4\n"
                       "Sample Index, EXG Channel 0\n0, 1.0\n1, 2.0\n")
    with pytest.raises(InputError, match="Sample Rate"):
        read_recording(no_rate)
    zero = tmp_path / "zero_rate.txt"
    zero.write_text("%OpenBCI Raw EXG Data\n%Sample Rate = 0 Hz\nSample Index, EXG Channel 0\n"
                    "0, 1.0\n1, 2.0\n")
    with pytest.raises(InputError, match="gives 0 Hz"):
        read_recording(zero)
    other = tmp_path / "notes.txt"
    other.write_text("just some notes\n")
    with pytest.raises(EEGReadError, match="OpenBCI GUI"):
        read_recording(other)
    with pytest.raises(ValueError, match="microvolts"):
        read_recording(no_rate, units="V")
