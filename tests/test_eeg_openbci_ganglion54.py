"""Packets lost by an OpenBCI Ganglion are found in its sample index (session 54).

The Ganglion samples 4 channels at 200 Hz and sends them over BLE in 100 packets a second,
two delta-compressed samples a packet, each packet numbered (its ``Byte ID``: 1-100 for 18-bit
packets with the accelerometer, 101-200 for 19-bit ones; 0 the uncompressed first packet;
OpenBCI's "Ganglion Data Format"). BrainFlow, which the OpenBCI GUI 5 records through,
writes a packet's two samples as two rows that both carry its number (its ganglion
decoder: ``package_num_channel = data[0]`` for both). So the ``Sample Index`` of a Ganglion
file reads 0, 1, 1, 2, 2, ..., 100, 100, 1, 1, ...: until session 54 such a file was never
judged, and a file with packets lost was read as one stretch, its windows spanning the
losses. Now a step of the packet number other than 1 is a loss (2 samples a packet), cut as
a Cyton's, and timed on the board's clock. The files are written here as the GUI writes
them from real EEG (4 channels of MNE's BrainVision test recording at the Ganglion's 200 Hz).
"""

from __future__ import annotations

import warnings

import numpy as np
import pytest
from conftest import shared_path
from emofeat.extractors import EEGBandPower

# a file read with its EEGReadWarnings' messages
from test_eeg_openbci_losses53 import _read

from emofeat.runner import run

RATE = 200
GANGLION = "OpenBCI_GUI$BoardGanglionBLE"


def _ganglion_eeg():
    mne = pytest.importorskip("mne")
    raw = mne.io.read_raw_brainvision(shared_path("eeg", "mne_testdata", "test.vhdr"),
                                      preload=True, verbose="error")
    raw.pick([0, 1, 2, 3]).resample(RATE, verbose="error")
    return raw.get_data(units="uV")  # (4, 1580)


def _packet_numbers(n):
    """Row k's packet number: row 0 the uncompressed packet 0, then two rows a packet
    numbered 1..100, 1..100, ..."""
    k = np.arange(n)
    return np.where(k == 0, 0, (k - 1) // 2 % 100 + 1)


def _write(path, data, rows, stamps, numbers=None):
    """GUI 5 layout of a Ganglion file: '%' lines, header, rows of the sample index (each
    sample's packet number: ``numbers(n)``, :func:`_packet_numbers` by default), the 4 EXG
    channels, the accelerometer, the computer's arrival time (Unix seconds)."""
    index = (numbers or _packet_numbers)(data.shape[1])
    lines = ["%OpenBCI Raw EXG Data", "%Number of channels = 4",
             f"%Sample Rate = {RATE} Hz", f"%Board = {GANGLION}",
             ", ".join(["Sample Index", *(f"EXG Channel {c}" for c in range(4)),
                        *(f"Accel Channel {c}" for c in range(3)), "Timestamp"])]
    for j, i in enumerate(rows):
        lines.append(", ".join([f"{index[i]}.0", *(f"{v:.6f}" for v in data[:, i]),
                                "0.000", "0.000", "0.000", f"{stamps[j]:.6f}"]))
    path.write_text("\n".join(lines) + "\n")


def _arrivals(rows):
    # BLE notifications stamped on arrival: both rows of a packet at once, 20-40 ms late
    rng = np.random.default_rng(3)
    packet_end = (rows + 1) // 2 * 2 + 1  # the packet's second sample
    return np.maximum.accumulate(1.7e9 + packet_end / RATE + rng.uniform(0.02, 0.04,
                                                                          rows.size))


def test_lost_ganglion_packets_cut_the_recording_on_its_clock(tmp_path):
    data = _ganglion_eeg()
    n = data.shape[1]
    # 5 packets (10 samples) lost after sample 400 (packet 200's end), 150 packets (300
    # samples, more than a turn of 100 packets: 50 modulo it) after sample 900
    rows = np.r_[0:401, 411:901, 1201:n]
    path = tmp_path / "OpenBCI-RAW-ganglion.txt"
    _write(path, data, rows, _arrivals(rows))
    rec, said = _read(path)
    assert rec.breaks == (401, 891)
    np.testing.assert_allclose(rec.data, data[:, rows], rtol=0, atol=5e-7)
    assert len(said) == 1 and "2 packet losses in its sample index (the Ganglion's" in said[0]
    assert f"310 samples lost of {n}" in said[0]  # the stamps tell the turn
    # the board's clock: each stretch at its first sample's place in what was sent
    np.testing.assert_allclose(rec.stretch_starts, [0.0, 411 / RATE, 1201 / RATE],
                               rtol=0, atol=1e-12)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        table = run([str(path)], [EEGBandPower()], segment=1.0, hop=1.0).table
    rows_out = table.to_pandas().reset_index()
    firsts = rows_out.groupby("epoch")["start"].min().to_numpy()
    np.testing.assert_allclose(firsts, [0.0, 411 / RATE, 1201 / RATE], rtol=0, atol=1e-9)
    # on that clock a window's start and end are its samples' places in the source: its
    # features are those of the source's samples there
    ext = EEGBandPower(sfreq=RATE)
    spans = np.round(rows_out[["start", "end"]].to_numpy() * RATE).astype(int)
    want = np.vstack([ext.fit_transform([(data[:, a:b], float(RATE))]) for a, b in spans])
    # the samples written to 5e-7 uV: powers within 1e-5 (the smallest band's)
    np.testing.assert_allclose(table.X, want, rtol=1e-5)


def test_a_complete_ganglion_file_says_nothing(tmp_path):
    data = _ganglion_eeg()
    rows = np.arange(data.shape[1])
    path = tmp_path / "OpenBCI-RAW-ganglion-whole.txt"
    _write(path, data, rows, _arrivals(rows))
    rec, said = _read(path)
    assert rec.breaks == () and getattr(rec, "stretch_starts", ()) == () and not said
    np.testing.assert_allclose(rec.data, data, rtol=0, atol=5e-7)
