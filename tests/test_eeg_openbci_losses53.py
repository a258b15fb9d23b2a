"""Packets lost in an OpenBCI GUI recording are found in its sample index (session 53).

The first column of an OpenBCI GUI file is the Cyton's packet counter: 0..255, wrapping, by 1
a sample (by 2 on a Cyton with the Daisy, 16 channels at 125 Hz; OpenBCI's Cyton data format
page, and the forum's Daisy files "in intervals of 2, 0.0 to 254.0"). A packet the computer
never received leaves a jump in it: the samples on either side are not contiguous in time, so
a window spanning the jump would join two moments as if one followed the other. Until session
53 the file was read as one stretch without a word; now each loss is a break of the
recording (windows never span it, one row per gap-free stretch as for a CSV's timestamp
gaps) and one ``EEGReadWarning`` names the file, the losses and the samples lost at least
(the counter wraps: a loss is known modulo 256 samples).

The files are written here as the GUI writes them from real EEG (8 channels of MNE's
BrainVision test recording resampled to the Cyton's 250 Hz), rows then removed as a
dropped packet removes them.
"""

from __future__ import annotations

import warnings

import numpy as np
import pytest
from conftest import shared_path
from emofeat.extractors import EEGBandPower

from emofeat.eeg_input import EEGReadWarning, read_recording

RATE = 250
CYTON = "OpenBCI_GUI$BoardCytonSerial"


def _cyton_eeg(n_channels=8):
    mne = pytest.importorskip("mne")
    raw = mne.io.read_raw_brainvision(shared_path("eeg", "mne_testdata", "test.vhdr"),
                                      preload=True, verbose=False)
    raw.pick(list(range(n_channels))).resample(RATE, verbose=False)
    return raw.get_data(units="uV")  # (n, 1975)


def _write(path, data, index, board=CYTON, rate=RATE):
    """GUI 5 layout: '%' lines, header, rows of index, EXG channels, a Unix timestamp."""
    n = data.shape[0]
    lines = ["%OpenBCI Raw EXG Data", f"%Number of channels = {n}",
             f"%Sample Rate = {rate} Hz", *([f"%Board = {board}"] if board else []),
             ", ".join(["Sample Index", *(f"EXG Channel {k}" for k in range(n)),
                        "Timestamp"])]
    for i, k in enumerate(index):
        lines.append(", ".join([f"{k}.0", *(f"{v:.6f}" for v in data[:, i]),
                                f"{1.6e9 + i / rate:.6f}"]))
    path.write_text("\n".join(lines) + "\n")


def _read(path):
    with warnings.catch_warnings(record=True) as got:
        warnings.simplefilter("always")
        rec = read_recording(path)
    return rec, [str(w.message) for w in got if issubclass(w.category, EEGReadWarning)]


def test_lost_packets_cut_the_recording_and_are_said(tmp_path):
    data = _cyton_eeg()
    n = data.shape[1]
    counter = np.arange(n) % 256
    # two losses: 10 samples after row 500, 300 after row 1200 (more than the counter's
    # 256: seen as 300 - 256 = 44 at least)
    keep = np.r_[0:500, 510:1200, 1500:n]
    path = tmp_path / "OpenBCI-RAW-2024-01-01_10-00-00.txt"
    _write(path, data[:, keep], counter[keep])
    rec, said = _read(path)
    assert rec.breaks == (500, 1190)  # the rows after each jump
    np.testing.assert_allclose(rec.data, data[:, keep], rtol=0, atol=5e-7)
    lost = [m for m in said if "packet loss" in m]
    assert len(lost) == 1 and lost[0].startswith(f"{path}: 2 packet losses")
    # at least 10 + 44 of the 1665 + 54 samples; the first loss at line 5 + 500 + 1
    assert "at least 54 samples lost of 1719 (3.1 %)" in lost[0]
    assert "line 506" in lost[0]
    # the extractors take each stretch apart: the rows are those of the source's pieces
    ext = EEGBandPower(sfreq=RATE)
    got = ext.fit_transform([str(path)])
    pieces = [data[:, keep][:, a:b] for a, b in ((0, 500), (500, 1190), (1190, len(keep)))]
    want = np.vstack([ext.fit_transform([(p, float(RATE))]) for p in pieces])
    assert got.shape == want.shape == (3, want.shape[1])
    np.testing.assert_allclose(got, want, rtol=1e-6)  # samples written to 5e-7 uV


def test_a_daisy_file_counts_by_two(tmp_path):
    data = _cyton_eeg(16)[:, ::2]  # 16 channels at 125 Hz
    n = data.shape[1]
    counter = (2 * np.arange(n)) % 256
    keep = np.r_[0:300, 301:n]  # one sample (two packets) lost
    path = tmp_path / "daisy.txt"
    _write(path, data[:, keep], counter[keep], CYTON + "Daisy", 125)
    rec, said = _read(path)
    assert rec.breaks == (300,)
    lost = [m for m in said if "packet loss" in m]
    assert len(lost) == 1 and "1 packet loss" in lost[0] and "by 2" in lost[0]
    assert f"1 sample lost of {n}" in lost[0]


def test_complete_files_and_other_counters_say_nothing(tmp_path):
    data = _cyton_eeg(4)
    n = data.shape[1]
    whole = tmp_path / "whole.txt"
    _write(whole, data, np.arange(n) % 256)
    rec, said = _read(whole)
    assert rec.breaks == () and not said
    # a Ganglion's index counts compressed packets, not samples: not judged
    keep = np.r_[0:500, 510:n]
    ganglion = tmp_path / "ganglion.txt"
    _write(ganglion, data[:, keep], (np.arange(n) % 256)[keep],
           "OpenBCI_GUI$BoardGanglionBLE")
    rec, said = _read(ganglion)
    assert rec.breaks == () and not said
    # nor, without a board line, an index that counts 1..200 and wraps (packet ids, not the
    # Cyton's 0..255 sample counter): its wraps are no losses
    ids = tmp_path / "ids.txt"
    _write(ids, data, 1 + np.arange(n) % 200, board="")
    rec, said = _read(ids)
    assert rec.breaks == () and not said


def test_a_segment_of_a_file_with_losses_is_refused_naming_them(tmp_path):
    # a manifest's start/end places a segment on the board's clock (session 55): one that
    # spans the loss (10 samples at 2 s) is an error of that row naming the gap, as for a
    # CSV with timestamp gaps; the file listed whole is cut at the loss
    import pandas as pd

    from emofeat.cli import main

    data = _cyton_eeg(4)
    n = data.shape[1]
    keep = np.r_[0:500, 510:n]
    path = tmp_path / "OpenBCI-RAW-lossy.txt"
    _write(path, data[:, keep], (np.arange(n) % 256)[keep])
    manifest = tmp_path / "segments.csv"
    pd.DataFrame({"path": [path.name], "start": [0.5], "end": [3.5]}).to_csv(manifest,
                                                                          index=False)
    out = tmp_path / "out.parquet"
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", EEGReadWarning)
        code = main(["extract", "--set", "eeg_bands", str(manifest), "-o", str(out),
                     "--param", f"sfreq={RATE}"])
    assert code == 3  # the row failed
    errors = pd.read_csv(tmp_path / "out.errors.csv")
    assert len(errors) == 1
    assert errors["message"].iloc[0].startswith(
        "the segment (start 0.5 s, end 3.5 s) spans a gap of the recording, from 2 s to "
        "2.04 s, where no sample was recorded")


def test_a_daisy_row_after_a_lost_odd_packet_is_no_loss(tmp_path):
    # BrainFlow (cyton_daisy.cpp's read_thread) writes a Cyton+Daisy row when the even
    # packet (channels 9-16) arrives, with the index and channels 1-8 of the odd packet
    # before it: an odd packet lost leaves a row with the previous row's index and channels
    # 1-8 (index N-2, N-2, N+2), a row of the sample's own time, no sample missing; an even
    # packet lost drops the row (N-2, N+2 with no repeat: one sample lost). Before the
    # mend each repeat was read as 127 samples lost and cut twice (6 losses, 'at least 384
    # samples lost of 1372' for 3 repeats and no sample missing)
    data = _cyton_eeg(16)[:, ::2]  # 16 channels at 125 Hz
    n = data.shape[1]
    counter = (2 * np.arange(n) + 1) % 256  # the odd packets' numbers
    written = data.copy()
    index = counter.copy()
    for r in (100, 400, 700):  # odd packet lost: index and channels 1-8 of the row before
        index[r] = index[r - 1]
        written[:8, r] = written[:8, r - 1]
    keep = np.r_[0:900, 901:n]  # an even packet lost: row 900 never written
    path = tmp_path / "OpenBCI-RAW-daisy.txt"
    _write(path, written[:, keep], index[keep], CYTON + "Daisy", 125)
    rec, said = _read(path)
    assert rec.breaks == (900,)  # the one loss; the repeated rows are kept, not cut
    assert rec.n_times == n - 1
    assert len(said) == 1
    # (the file's stamps, one per row written, show the loss as 1 sample: its count)
    assert f"1 packet loss in its sample index (the board's counter, 0-255 by 2; the first " \
           f"at line {5 + 900 + 1}): 1 sample lost of {n}" in said[0]
    assert "3 rows repeat the previous row's sample index (the first at line 106)" in said[0]
    assert "channels 1-8" in said[0]


def test_a_step_of_zero_without_repeated_channels_is_a_dropout(tmp_path):
    """Review R2 of d42b40d: a radio dropout of a whole turn of the counter (255 Cyton
    samples, 127 Daisy samples, about a second) also leaves a step of 0; d42b40d read every
    step of 0 as a repeated row ('no sample is missing there, kept, not cut'), joining the
    two sides of the dropout. Only a Daisy row repeating the previous row's channels 1-8 is
    BrainFlow's repeat; any other step of 0 is a loss, cut, as before d42b40d."""
    data = _cyton_eeg(8)
    n = data.shape[1]
    index = np.arange(n) % 256
    keep = np.r_[0:500, 755:n]  # 255 samples never received
    path = tmp_path / "cyton_dropout.txt"
    _write(path, data[:, keep], index[keep])
    rec, said = _read(path)
    assert rec.breaks == (500,)
    assert len(said) == 1 and "at least 255 samples lost of 1975" in said[0], said
    assert "repeat" not in said[0]
    d16 = _cyton_eeg(16)[:, ::2]
    n = d16.shape[1]
    index = (2 * np.arange(n) + 1) % 256
    keep = np.r_[0:500, 627:n]  # 127 Daisy samples lost
    path = tmp_path / "daisy_dropout.txt"
    _write(path, d16[:, keep], index[keep], CYTON + "Daisy", 125)
    rec, said = _read(path)
    assert rec.breaks == (500,)
    assert len(said) == 1 and f"at least 127 samples lost of {n}" in said[0], said
    assert "repeat" not in said[0]


def test_the_stretches_left_out_are_counted_past_the_first_few(tmp_path):
    # review RB of 6a0cd5d: at a realistic loss rate a file is hundreds of stretches, and the
    # tail rule's warning named every one it left out (an hour at 1 % lost: some 4,000
    # numbers); now the first 5, and the rest counted
    data = _cyton_eeg()
    n = data.shape[1]
    keep, a = [], 0
    while True:  # stretches of 200 and 20 samples, one sample lost after each
        b = a + (200 if len(keep) % 2 == 0 else 20)
        if b > n:
            break
        keep.append(np.arange(a, b))
        a = b + 1
    short = len(keep) // 2
    assert short > 5
    rows = np.concatenate(keep)
    path = tmp_path / "OpenBCI-RAW-lossy.txt"
    _write(path, data[:, rows], (np.arange(n) % 256)[rows])
    with warnings.catch_warnings(record=True) as got:
        warnings.simplefilter("always")
        EEGBandPower(sfreq=RATE).fit_transform([str(path)])
    left = [str(w.message) for w in got if "left out" in str(w.message)]
    assert len(left) == 1
    shown = ", ".join(str(2 * k + 1) for k in range(5))
    assert (f"{short} of {len(keep)} epochs left out (epoch {shown} and {short - 5} more), "
            "too short: 20 samples") in left[0]
