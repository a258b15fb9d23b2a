"""A Ganglion file with impedance rows: those rows left out, packet losses still found.

While the OpenBCI GUI checks a Ganglion's electrode impedance, the board stops streaming EEG
and sends impedance packets instead: ids 201-204 for channels 1-4 and 205 for the reference,
each an ASCII value ending in 'Z' (OpenBCI's "Ganglion Data Format"). BrainFlow, which GUI 5
records through, writes each as a row of its own: the id in the packet-number column (the
file's ``Sample Index``), 0 in the EXG columns, the values in its resistance columns (the
GUI's ``Other`` columns). Until session 55 such rows turned packet-loss detection off for the
whole file (no break, no warning) and were read as EEG samples of 0 uV between the two
stretches. Now they are left out, the recording is cut where they were (the stretch after
timed by the Timestamp column), and the packets on either side are judged as before.

The files are written here in the GUI 5 Ganglion layout from real EEG: 4 channels of MNE's
BrainVision test recording at the Ganglion's 200 Hz (firmware 3 numbering, 0-99 twice each).
"""

from __future__ import annotations

import warnings

import numpy as np
import pytest
from emofeat.extractors import EEGBandPower

# real EEG at 200 Hz (4, 1580), and a file read with its EEGReadWarnings' messages
from test_eeg_openbci_ganglion54 import GANGLION, RATE, _ganglion_eeg
from test_eeg_openbci_losses53 import _read

from emofeat.errors import EmptyInputError
from emofeat.runner import run

T0 = 1.7e9  # the arrival times' epoch (Unix seconds)


def _numbers(rows):
    """Firmware 3: each packet of two samples numbered 0-99; the count starts at 0 when
    streaming starts, so again after the impedance check (``rows`` counted from there)."""
    return rows // 2 % 100


def _eeg_row(number, samples, stamp):
    return ", ".join([f"{number}.0", *(f"{v:.6f}" for v in samples), "0.000", "0.000", "0.000",
                      "0.0", "0.0", "0.0", "0.0", "0.0", f"{stamp:.6f}", "0.0",
                      "2026-12-07 16:00:00.000"])


def _impedance_row(k, stamp):
    # packet 201 + k % 5; BrainFlow writes the latest value of each of the five (kOhm)
    values = [12.0 + (k % 5), 15.0, 9.0, 30.0, 5.0]
    return ", ".join([f"{201 + k % 5}.0", "0.000000", "0.000000", "0.000000", "0.000000",
                      "0.000", "0.000", "0.000", *(f"{v:.1f}" for v in values),
                      f"{stamp:.6f}", "0.0", "2026-12-07 16:00:00.000"])


def _write(path, data, first, second, lost=(), n_impedance=50, stamps=True):
    """Rows ``first`` of ``data`` streamed, an impedance check of ``n_impedance`` rows (one
    every 40 ms), then rows ``second`` streamed again, their packet numbers from 0, with the
    samples ``lost`` (positions in the source) missing; each row stamped on arrival (its
    packet's end, 20-40 ms late)."""
    rng = np.random.default_rng(5)
    header = ["%OpenBCI Raw EXG Data", "%Number of channels = 4", f"%Sample Rate = {RATE} Hz",
              f"%Board = {GANGLION}",
              ", ".join(["Sample Index", *(f"EXG Channel {c}" for c in range(4)),
                         *(f"Accel Channel {c}" for c in range(3)), *(["Other"] * 5),
                         "Timestamp", "Marker Channel", "Timestamp (Formatted)"])]
    lines = list(header)
    for i in first:
        t = T0 + (i // 2 * 2 + 2) / RATE + rng.uniform(0.02, 0.04)
        lines.append(_eeg_row(_numbers(i), data[:, i], t if stamps else 0.0))
    t_imp = T0 + ((first[-1] + 1) / RATE if len(first) else 0.0) + 0.1
    for k in range(n_impedance):
        lines.append(_impedance_row(k, (t_imp + 0.04 * k) if stamps else 0.0))
    s0 = second[0] if len(second) else 0
    for i in second:
        if i in lost:
            continue
        t = T0 + (i // 2 * 2 + 2) / RATE + rng.uniform(0.02, 0.04)
        lines.append(_eeg_row(_numbers(i - s0), data[:, i], t if stamps else 0.0))
    path.write_text("\n".join(lines) + "\n")


def test_impedance_rows_are_left_out_and_losses_still_found(tmp_path):
    data = _ganglion_eeg()
    n = data.shape[1]
    # 3 s streamed, the impedance checked for 2 s (400 samples the board did not send), then
    # streaming again from sample 1000, with 5 packets (10 samples) lost after sample 1200
    first, second = np.arange(600), np.arange(1000, n)
    lost = set(range(1200, 1210))
    path = tmp_path / "OpenBCI-RAW-ganglion-impedance.txt"
    _write(path, data, first, second, lost)
    rec, said = _read(path)
    kept = np.r_[first, [i for i in second if i not in lost]]
    # no row of 0 uV among the samples: exactly the samples streamed (written to 5e-7 uV)
    assert rec.data.shape == (4, kept.size)
    np.testing.assert_allclose(rec.data, data[:, kept], rtol=0, atol=5e-7)
    # cut at the check and at the loss (before: no break at all)
    assert rec.breaks == (600, 800)
    # each stretch at its first sample's place on the board's clock: the check's 2 s told by
    # the arrival times, to the sample (a sample is 5 ms; the stamps 20-40 ms late)
    np.testing.assert_allclose(rec.stretch_starts, [0.0, 1000 / RATE, 1210 / RATE],
                               rtol=0, atol=1e-12)
    assert len(said) == 1
    assert "50 impedance rows (packet numbers 201-205, the first at line 606" in said[0]
    assert "1 packet loss in its sample index (the Ganglion's" in said[0]
    assert "10 samples lost" in said[0]  # the loss, not the check's 400
    # through the extractors, 1 s windows: the windows' features are the source's there
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        table = run([str(path)], [EEGBandPower()], segment=1.0, hop=1.0).table
    rows_out = table.to_pandas().reset_index()
    spans = np.round(rows_out[["start", "end"]].to_numpy() * RATE).astype(int)
    assert not any(a < 1000 < b or a < 600 < b for a, b in spans)
    ext = EEGBandPower(sfreq=RATE)
    want = np.vstack([ext.fit_transform([(data[:, a:b], float(RATE))]) for a, b in spans])
    # the samples written to 5e-7 uV: powers within 1e-5 (the smallest band's)
    np.testing.assert_allclose(table.X, want, rtol=1e-5)


def test_without_arrival_times_the_check_is_cut_but_not_timed(tmp_path):
    data = _ganglion_eeg()
    first, second = np.arange(600), np.arange(1000, data.shape[1])
    path = tmp_path / "OpenBCI-RAW-ganglion-impedance-nostamps.txt"
    _write(path, data, first, second, stamps=False)
    rec, said = _read(path)
    assert rec.breaks == (600,)
    np.testing.assert_allclose(rec.data, data[:, np.r_[first, second]], rtol=0, atol=5e-7)
    np.testing.assert_allclose(rec.stretch_starts, [0.0, 600 / RATE], rtol=0, atol=1e-12)
    assert len(said) == 1 and "its length not known" in said[0]


@pytest.mark.parametrize("where", ["start", "end"])
def test_impedance_rows_before_or_after_the_eeg_are_left_out_and_said(tmp_path, where):
    """A check before the GUI streams EEG, or after: its rows left out (before: 50 rows of
    0 uV read as EEG), the recording not cut, and a warning says so."""
    data = _ganglion_eeg()
    every, none = np.arange(data.shape[1]), np.arange(0)
    path = tmp_path / f"OpenBCI-RAW-ganglion-impedance-{where}.txt"
    _write(path, data, *((none, every) if where == "start" else (every, none)))
    rec, said = _read(path)
    assert rec.breaks == () and getattr(rec, "stretch_starts", ()) == ()
    np.testing.assert_allclose(rec.data, data, rtol=0, atol=5e-7)
    line = 6 if where == "start" else 6 + data.shape[1]
    assert len(said) == 1 and said[0].endswith(
        f"50 impedance rows (packet numbers 201-205, the first at line {line}: the electrodes' "
        "impedance, which the Ganglion sends instead of EEG while the GUI checks it; the rows' "
        "EXG columns hold no samples) left out, and the recording not cut (they lie before or "
        "after its EEG rows)")


def test_a_file_of_impedance_rows_only_is_empty(tmp_path):
    path = tmp_path / "OpenBCI-RAW-ganglion-only-impedance.txt"
    data = _ganglion_eeg()
    _write(path, data, np.arange(0), np.arange(0), n_impedance=30)
    with pytest.raises(EmptyInputError, match="all impedance rows"):
        _read(path)


@pytest.mark.parametrize("n_rows", [600, 206])
def test_a_cyton_file_keeps_its_rows_201_to_205(tmp_path, n_rows):
    """Control: a Cyton's counter passes 201-205 every turn, one row each: rows kept, no
    warning (passes before and after). 206 rows (index 0-205) end on those five, so only
    the rule of runs (a Ganglion writes each packet number on two rows) keeps them."""
    data = _ganglion_eeg()
    lines = ["%OpenBCI Raw EXG Data", "%Number of channels = 4", "%Sample Rate = 250 Hz",
             "%Board = OpenBCI_GUI$BoardCytonSerial",
             ", ".join(["Sample Index", *(f"EXG Channel {c}" for c in range(4)), "Timestamp"])]
    for i in range(n_rows):
        lines.append(", ".join([f"{i % 256}.0", *(f"{v:.6f}" for v in data[:, i]),
                                f"{T0 + i / 250:.6f}"]))
    path = tmp_path / "OpenBCI-RAW-cyton.txt"
    path.write_text("\n".join(lines) + "\n")
    rec, said = _read(path)
    assert rec.breaks == () and not said and rec.data.shape == (4, n_rows)
