"""Manifest segments (``start``/``end``) of EEG recordings with gaps, on the recording's clock.

Until session 55 every segment of a recording cut at gaps (MNE's ``BAD_ACQ_SKIP`` holes, a
CSV's timestamp gaps, an OpenBCI file's packet losses) was refused, whatever its span. Since
ed3c57f the stretches are timed on one clock (MNE's ``raw.times``, the CSV's timestamps), so
a segment within one gap-free stretch is cut there, equal to MNE's ``raw.crop`` of the same
file, and one that spans a gap or starts in one is its row's error naming the file, the
segment and the gap. Real data: MNE's BrainVision test recording saved as FIF with a 1 s
``BAD_ACQ_SKIP`` hole, and the Muse recording ``subjectb-relaxed-2`` (9 timestamp gaps).
"""

from __future__ import annotations

import re
import warnings

import numpy as np
import pytest
from conftest import shared_path

from emofeat import get_extractor
from emofeat.eeg_input import read_recording
from emofeat.runner import run

pd = pytest.importorskip("pandas")
mne = pytest.importorskip("mne")


def _run(manifest):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return run(manifest, [get_extractor("eeg_bands")], on_error="record")


def _alone(data, sfreq, names):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return np.asarray(run([(data, float(sfreq), list(names))],
                              [get_extractor("eeg_bands")]).table.X)


@pytest.fixture(scope="module")
def holed(tmp_path_factory):
    raw = mne.io.read_raw(shared_path("eeg", "mne_testdata", "test.vhdr"), preload=True,
                          verbose="error")
    raw.pick(list(range(8)))
    raw.set_annotations(mne.Annotations([3.0], [1.0], ["BAD_ACQ_SKIP"]))
    path = tmp_path_factory.mktemp("holed") / "rec_raw.fif"
    raw.save(path, verbose="error")
    return path


def test_segments_of_a_file_with_a_hole_are_mne_s_crops(holed):
    spans = [(0.5, 2.5), (4.5, 6.5), (4.0, 7.0)]  # before the hole, after it, from its end
    manifest = pd.DataFrame({"path": [str(holed)] * 3, "start": [a for a, _ in spans],
                             "end": [b for _, b in spans]})
    res = _run(manifest)
    assert res.errors is None or len(res.errors) == 0  # before: 3 of 3 rows refused
    rows = res.table.to_pandas().reset_index()
    assert list(zip(rows["start"], rows["end"], strict=True)) == spans
    saved = mne.io.read_raw(holed, preload=True, verbose="error")
    for (a, b), x in zip(spans, np.asarray(res.table.X), strict=True):
        # MNE's clock (raw.times runs through the hole): the same file cropped by MNE
        crop = saved.copy().crop(a, b, include_tmax=False)
        assert crop.n_times == int(round((b - a) * saved.info["sfreq"]))
        want = _alone(crop.get_data(), saved.info["sfreq"], saved.ch_names)[0]
        np.testing.assert_allclose(x, want, rtol=1e-12)  # the same samples


def test_a_segment_across_or_in_the_hole_names_the_file_the_segment_and_the_gap(holed):
    manifest = pd.DataFrame({"path": [str(holed)] * 2, "start": [2.0, 3.2],
                             "end": [5.0, 3.8]})
    res = _run(manifest)
    assert res.table is None  # no row
    assert res.errors["path"].tolist() == [str(holed)] * 2
    assert res.errors["message"].tolist() == [
        "the segment (start 2 s, end 5 s) spans a gap of the recording, from 3 s to "
        "4 s, where no sample was recorded: its samples would not be contiguous; end it by "
        "3 s, or start it at 4 s or later",
        "the segment (start 3.2 s, end 3.8 s) starts in a gap of the recording, "
        "from 3 s to 4 s, where no sample was recorded: start it at 4 s or later"]


def test_a_muse_segment_within_a_later_stretch_is_cut_by_its_timestamps():
    path = shared_path("eeg", "muse_mental_state", "subjectb-relaxed-2.csv")
    csv = pd.read_csv(path)
    t = csv["timestamps"].to_numpy() - csv["timestamps"].iloc[0]
    rec = read_recording(path)
    rate = rec.sfreq
    assert len(rec.breaks) == 9
    manifest = pd.DataFrame({"path": [str(path)] * 2, "start": [774.0, 0.0],
                             "end": [778.0, 10.0]})
    res = _run(manifest)
    rows = res.table.to_pandas().reset_index()
    assert list(zip(rows["start"], rows["end"], strict=True)) == [(774.0, 778.0)]
    # the segment's samples: rows of the stretch from the one nearest 774 s on its clock
    # (its first stamp plus j / rate: within half a sample), its 4 s of samples (cut on the
    # stretch's own samples since the mend of 4f418b6, not on the recording's grid, which
    # put this stretch's samples 0.44 of a sample early)
    k = int(np.searchsorted(rec.stretch_starts, 774.0)) - 1  # the stretch holding 774 s
    first = rec.stretch_starts[k]
    n = int(round((778.0 - first) * rate)) - int(round((774.0 - first) * rate))
    j0 = rec.breaks[k - 1] + int(round((774.0 - first) * rate))
    assert abs(first + (j0 - rec.breaks[k - 1]) / rate - 774.0) <= 0.5 / rate
    # and its stamp near 774 s: within 2.5 samples (the stamps drift from the one rate,
    # by 1.8 samples here, up to 23 over this stretch)
    assert abs(t[j0] - 774.0) <= 2.5 / rate
    assert j0 + n <= rec.breaks[k]  # within that stretch's rows
    want = _alone(csv[list(rec.ch_names)].to_numpy().T[:, j0:j0 + n], rate, rec.ch_names)
    np.testing.assert_allclose(np.asarray(res.table.X)[0], want[0], rtol=1e-12)
    # 0-10 s spans the first gap: named by its ends on the timestamps' clock
    (message,) = res.errors["message"].tolist()
    got = re.search(r"spans a gap of the recording, from ([0-9.]+) s to ([0-9.]+) s", message)
    assert res.errors["path"].tolist() == [str(path)]
    assert message.startswith("the segment (start 0 s, end 10 s)") and got
    first_after = t[rec.breaks[0]]
    assert abs(float(got.group(2)) - first_after) < 1e-3  # to the us (6 digits until 4f418b6)
    # its start is the stretch's end on the clock (first stamp plus its samples at the
    # recording's one rate): the last stamp's next sample within 50 ms (29 ms here: the
    # Muse's stamps are not uniform at that rate)
    assert abs(float(got.group(1)) - (t[rec.breaks[0] - 1] + 1 / rate)) <= 0.05
    # the remedies it gives are taken: ending by the gap's start, starting at its end
    fixed = pd.DataFrame({"path": [str(path)] * 2, "start": [0.0, float(got.group(2))],
                          "end": [float(got.group(1)), float(got.group(2)) + 2.0]})
    res = _run(fixed)
    assert (res.errors is None or len(res.errors) == 0) and len(res.table) == 2
