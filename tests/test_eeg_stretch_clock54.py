"""Windows of a recording with gaps are timed on the recording's one clock (session 54).

A recording cut at its gaps (MNE's ``BAD_ACQ_SKIP`` holes, raws joined end to end, a CSV's
timestamp gaps, an OpenBCI file's packet losses) gives a row per window of each gap-free
stretch. Until session 54 each stretch's windows were timed from the stretch's own start:
the second stretch of a FIF file with a hole at 3-4 s began at ``start`` 0.0, where MNE's
``raw.times`` puts its first sample at 4.0 s, and a window at 2.04 s of an OpenBCI file
after a packet loss said 0.0. The references: MNE's ``raw.times`` (which runs through holes
and joins), the CSV's own timestamps, and, for an OpenBCI file, the board's clock (the
sample counter, the samples lost counted in: the place of the sample in the recording the
board sent).
"""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest
from conftest import shared_path
from emofeat.extractors import EEGBandPower

from emofeat.eeg_input import read_recording, window_recording
from emofeat.runner import run

RATE = 250


def _starts(items, **kw):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        table = run(items, [EEGBandPower()], **kw).table.to_pandas().reset_index()
    return table


def _brainvision(n_channels=8):
    mne = pytest.importorskip("mne")
    raw = mne.io.read_raw_brainvision(shared_path("eeg", "mne_testdata", "test.vhdr"),
                                      preload=True, verbose=False)
    return raw.pick(list(range(n_channels)))


def test_a_hole_and_a_join_are_timed_as_mne_times_them(tmp_path):
    mne = pytest.importorskip("mne")
    raw = _brainvision()
    holed = raw.copy()
    holed.set_annotations(mne.Annotations([3.0], [1.0], ["BAD_ACQ_SKIP"]))
    first = raw.copy().crop(0, 3)
    joined = mne.concatenate_raws([first.copy(), raw.copy().crop(4, 7)])
    for rec in (holed, joined):
        path = tmp_path / "rec_raw.fif"
        rec.save(path, overwrite=True, verbose="error")
        got = _starts([str(path)], segment=1.0, hop=1.0)
        sf = rec.info["sfreq"]
        # MNE's clock: the time of each stretch's first sample (raw.times), where the first
        # window of each epoch (stretch) starts
        skip = np.zeros(rec.n_times, bool)
        for a in rec.annotations:
            if a["description"].upper().startswith("BAD_ACQ_SKIP"):
                skip[int(round(a["onset"] * sf)):int(round((a["onset"] + a["duration"])
                                                            * sf))] = True
        kept = np.flatnonzero(~skip)
        firsts = got.groupby("epoch")["start"].min().to_numpy()
        edges = [0, *np.flatnonzero(np.diff(kept) > 1) + 1]
        if rec is joined:  # the EDGE join takes no sample: the second raw's first sample
            edges = [0, first.n_times]
        want = rec.times[kept[edges]]
        np.testing.assert_allclose(firsts, want, rtol=0, atol=0.5 / sf)  # half a sample
        assert firsts[1] > 3.0  # timed from its stretch's start it was 0.0
        # within a stretch the windows follow each other by the hop
        for _, g in got.groupby("epoch"):
            np.testing.assert_allclose(np.diff(g["start"]), 1.0, rtol=0, atol=1e-9)


def test_a_csv_with_a_gap_is_timed_by_its_timestamps():
    path = shared_path("eeg", "muse_mental_state", "subjectb-relaxed-2.csv")
    t = pd.read_csv(path, usecols=["timestamps"])["timestamps"].to_numpy()
    got = _starts([str(path)], segment=4.0, hop=4.0)
    assert got["epoch"].nunique() > 1  # the gap in its timestamps (the data README)
    dt = np.diff(t)
    rows = np.r_[0, np.flatnonzero(dt > 2 * np.median(dt)) + 1]  # each stretch's first row
    firsts = got.groupby("epoch")["start"].min()
    # each stretch's first window starts at its first timestamp from the file's first
    # (seconds; the stamps are written to 1 ms)
    np.testing.assert_allclose(firsts.to_numpy(), (t[rows] - t[0])[firsts.index.to_numpy()],
                               rtol=0, atol=1e-6)
    assert firsts.iloc[1:].gt(0).all()
    # window_recording times its windows on the same clock (the run's rows hold them all)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        meta = window_recording(read_recording(path), 4.0)[1]
    near = np.abs(meta["start"].to_numpy()[:, None] - got["start"].to_numpy()[None, :])
    assert meta["start"].max() > 700 and near.min(axis=1).max() < 1e-9


def _write_openbci(path, data, rows, stamps=None):
    """The OpenBCI GUI 5 layout: '%' lines, header, rows of the sample index (the Cyton's
    counter: the sample's place modulo 256), EXG channels, and (``stamps``) the computer's
    arrival time of each row, Unix seconds."""
    n = data.shape[0]
    head = ["Sample Index", *(f"EXG Channel {k}" for k in range(n))]
    head += ["Timestamp"] if stamps is not None else []
    lines = ["%OpenBCI Raw EXG Data", f"%Number of channels = {n}",
             f"%Sample Rate = {RATE} Hz", "%Board = OpenBCI_GUI$BoardCytonSerial",
             ", ".join(head)]
    for j, i in enumerate(rows):
        cells = [f"{i % 256}.0", *(f"{v:.6f}" for v in data[:, i])]
        cells += [f"{stamps[j]:.6f}"] if stamps is not None else []
        lines.append(", ".join(cells))
    path.write_text("\n".join(lines) + "\n")


def test_an_openbci_file_with_packet_losses_is_timed_on_the_boards_clock(tmp_path):
    raw = _brainvision()
    raw.resample(RATE, verbose=False)
    data = raw.get_data(units="uV")
    n = data.shape[1]
    # packets lost: 10 samples after row 500, 300 (more than a turn of the counter: 44
    # modulo 256) after row 1200
    rows = np.r_[0:500, 510:1200, 1500:n]
    # BrainFlow stamps rows as they arrive: in chunks of 10 samples, 30 ms late, jittered
    rng = np.random.default_rng(7)
    chunk = (rows // 10 + 1) * 10  # the sample that closes each row's chunk
    stamps = 1.7e9 + chunk / RATE + 0.03 + rng.uniform(0, 0.02, rows.size)
    stamped = tmp_path / "OpenBCI-RAW-stamped.txt"
    _write_openbci(stamped, data, rows, np.maximum.accumulate(stamps))
    got = _starts([str(stamped)], segment=1.0, hop=1.0)
    firsts = got.groupby("epoch")["start"].min().to_numpy()
    # the board's clock: each stretch's first sample at its place in the recording sent
    np.testing.assert_allclose(firsts, [0.0, 510 / RATE, 1500 / RATE], rtol=0, atol=1e-9)
    for _, g in got.groupby("epoch"):
        np.testing.assert_allclose(np.diff(g["start"]), 1.0, rtol=0, atol=1e-9)
    # without timestamps the counter tells each loss modulo a turn: its least count
    bare = tmp_path / "OpenBCI-RAW-bare.txt"
    _write_openbci(bare, data, rows)
    got = _starts([str(bare)], segment=1.0, hop=1.0)
    firsts = got.groupby("epoch")["start"].min().to_numpy()
    np.testing.assert_allclose(firsts, [0.0, 510 / RATE, (1500 - 256) / RATE], rtol=0,
                               atol=1e-9)
