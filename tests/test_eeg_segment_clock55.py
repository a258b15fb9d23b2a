"""Manifest segments of recordings with gaps: remedies that are taken, and no segment placed
where the clock does not know the time (review RB of 91ae797, session 55).

- The gap error printed its times with ``%.6g`` (1 ms at 700 s), so the remedy "end it by
  720.669 s" of the Muse recording ``subjectb-relaxed-2`` (a segment 719.469-720.669 s, the
  gap from 720.66856 s) was itself refused: 2 of its 18 remedies. Now the times are given
  to the microsecond, "end by" rounded down and "start at" up to the stretches' samples.
- An OpenBCI file whose loss the ``Timestamp`` column does not tell ("at least 44 samples
  lost") has stretches after it that start at the earliest where the clock says: a segment
  there was placed there, a turn of the counter (1.024 s) off the samples at that time. A
  Ganglion impedance check without stamps likewise (and a span across it was called a join
  of raws). Now such segments are refused naming the break.
"""

from __future__ import annotations

import re
import warnings

import numpy as np
import pytest
from conftest import shared_path
from test_eeg_ganglion_impedance55 import _write as _ganglion_write
from test_eeg_openbci_ganglion54 import _ganglion_eeg
from test_eeg_openbci_losses53 import RATE, _cyton_eeg

from emofeat import get_extractor
from emofeat.eeg_input import read_recording
from emofeat.runner import run

pd = pytest.importorskip("pandas")


def _run(paths, spans, sfreq=None):
    manifest = pd.DataFrame({"path": [p if hasattr(p, "info") else str(p) for p in paths], "start": [a for a, _ in spans],
                             "end": [b for _, b in spans]})
    ext = get_extractor("eeg_bands", **({"sfreq": sfreq} if sfreq else {}))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return run(manifest, [ext], on_error="record")


def _errors(res):
    return [] if res.errors is None else res.errors["message"].tolist()


def test_every_remedy_of_a_muse_gap_is_taken():
    path = shared_path("eeg", "muse_mental_state", "subjectb-relaxed-2.csv")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        rec = read_recording(path)
    rate, starts, edges = rec.sfreq, rec.stretch_starts, [0, *rec.breaks, rec.n_times]
    # a segment across each gap: 0.9 s on either side, where both stretches are long enough
    spans = []
    for k in range(len(rec.breaks)):
        if min(edges[k + 1] - edges[k], edges[k + 2] - edges[k + 1]) >= 300:
            last = starts[k] + (edges[k + 1] - edges[k]) / rate
            spans.append((last - 0.9, starts[k + 1] + 0.9))
    messages = _errors(_run([path] * len(spans), spans))
    assert len(messages) == len(spans) >= 8
    fixes = []
    for m in messages:
        got = re.search(r"end it by ([0-9.]+) s, or start it at ([0-9.]+) s or later", m)
        assert got, m
        end, start = float(got.group(1)), float(got.group(2))
        fixes += [(end - 1.2, end), (start, start + 1.2)]
    res = _run([path] * len(fixes), fixes)
    # before: 2 of 18 refused ("end it by 720.669 s": past the stretch's last sample)
    assert _errors(res) == [] and len(res.table) == len(fixes) == 18


def test_a_segment_after_a_loss_of_unknown_length_is_refused(tmp_path):
    """A Cyton file (real EEG at 250 Hz) losing 300 samples at 2 s and no arrival time
    that tells it: the counter gives 44 (300 modulo 256)."""
    data = _cyton_eeg(4)
    n = data.shape[1]
    keep = np.r_[0:500, 800:n]
    path = tmp_path / "OpenBCI-RAW-loss300.txt"
    lines = ["%OpenBCI Raw EXG Data", "%Number of channels = 4", f"%Sample Rate = {RATE} Hz",
             "%Board = OpenBCI_GUI$BoardCytonSerial",
             ", ".join(["Sample Index", *(f"EXG Channel {k}" for k in range(4))])]
    lines += [", ".join([f"{i % 256}.0", *(f"{v:.6f}" for v in data[:, i])]) for i in keep]
    path.write_text("\n".join(lines) + "\n")
    res = _run([path] * 3, [(4.0, 6.0), (0.5, 1.5), (1.0, 2.5)], sfreq=RATE)
    # before: 4-6 s placed, with the source's samples from 5.024 s (a turn late)
    assert _errors(res) == [
        "the segment (start 4 s, end 6 s) lies after a break of the recording whose length "
        "is not known, at least 44 samples lost at 2 s: where the samples after it lie on "
        "the clock is not known, so no segment is placed there (its windows, without "
        "start/end, are timed from the earliest)",
        "the segment (start 1 s, end 2.5 s) spans a break of the recording whose length is "
        "not known, at least 44 samples lost at 2 s: where the samples after it lie on the "
        "clock is not known; end it by 2 s"]
    rows = res.table.to_pandas().reset_index()
    assert list(zip(rows["start"], rows["end"], strict=True)) == [(0.5, 1.5)]


@pytest.mark.parametrize("stamps", [False, True])
def test_a_segment_after_a_ganglion_impedance_check(tmp_path, stamps):
    """The Ganglion file of test_eeg_ganglion_impedance55 (real EEG at 200 Hz, 3 s, a 2 s
    check, 2.9 s more): without stamps the check's time is not known, with them it is."""
    data = _ganglion_eeg()
    path = tmp_path / f"OpenBCI-RAW-ganglion-{stamps}.txt"
    _ganglion_write(path, data, np.arange(600), np.arange(1000, data.shape[1]),
                    stamps=stamps)
    res = _run([path] * 3, [(4.0, 5.0), (2.0, 4.0), (5.5, 6.5)], sfreq=200)
    messages = _errors(res)
    assert not any("concatenate_raws" in m for m in messages)  # before: a "join of raws"
    if not stamps:
        # before: 4-5 s placed with the source's samples of 6-7 s
        unknown = ("a break of the recording whose length is not known, an impedance check "
                   "at 3 s whose length is not known (no Timestamp column of arrival times)")
        assert [m.split(":")[0] for m in messages] == [
            f"the segment (start 4 s, end 5 s) lies after {unknown}",
            f"the segment (start 2 s, end 4 s) spans {unknown}",
            f"the segment (start 5.5 s, end 6.5 s) lies after {unknown}"]
        return
    assert messages == [
        "the segment (start 4 s, end 5 s) starts in a gap of the recording, from 3 s to 5 s, "
        "where no sample was recorded: start it at 5 s or later",
        "the segment (start 2 s, end 4 s) spans a gap of the recording, from 3 s to 5 s, "
        "where no sample was recorded: its samples would not be contiguous; end it by 3 s, "
        "or start it at 5 s or later"]
    # 5.5-6.5 s: the source's samples at 5.5 s (the check took 2 s; written to 5e-7 uV)
    got = res.table
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        want = run([(data[:, 1100:1300], 200.0, [f"EXG Channel {c}" for c in range(4)])],
                   [get_extractor("eeg_bands", sfreq=200)]).table
    np.testing.assert_allclose(np.asarray(got.X), np.asarray(want.X), rtol=1e-5)


def test_the_join_s_time_is_given_to_the_sample():
    """Raws joined 20 minutes in at 1000 Hz (one channel of MNE's BrainVision test recording,
    repeated): the join at 1234.567 s was said '1234.57 s' (6 digits), 3 samples into the
    second run, so 'end it by that time' was refused; now both remedies are taken."""
    mne = pytest.importorskip("mne")
    src = mne.io.read_raw(shared_path("eeg", "mne_testdata", "test.vhdr"), preload=True,
                          verbose="error").pick([0])
    n = 1_234_567
    first = mne.io.RawArray(np.resize(src.get_data()[0], n)[None], src.info, verbose="error")
    joined = mne.concatenate_raws([first, src.copy()], verbose="error")
    (message,) = _errors(_run([joined], [(1234.0, 1235.0)]))
    assert "crosses the join of two raws at 1234.567 s" in message  # before: 1234.57 s
    at = float(re.search(r"join of two raws at ([0-9.]+) s", message).group(1))
    res = _run([joined] * 2, [(at - 1.0, at), (at, at + 1.0)])
    assert _errors(res) == [] and len(res.table) == 2
