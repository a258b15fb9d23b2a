"""A segment manifest (``path``, ``start``, ``end``) of EEG recordings read whole.

A recording with gaps (a Muse CSV's timestamp gaps) is cut into gap-free stretches. A
manifest segment of it was cut from every stretch on that stretch's clock: the row 0-10 s of
``subjectb-relaxed-2`` (10 stretches, 41 s) gave 10 rows, about 41 s of data, all labelled
0-10 s, and the row 30-40 s was refused as starting "after the end of the recording (4.579
s)", the longest stretch. Such a segment was then refused whatever its span; since session
55 the stretches' one clock places it (tests/test_eeg_segment_gaps55.py), and a segment that
spans a gap or starts in one is an error of its row naming the gap; a recording without gaps
is cut as before. An epochs file is cut
epoch by epoch (time-locked, a row per epoch), and a segment past every epoch says so.
Real Muse recordings and MNE's BrainVision test recording."""

from __future__ import annotations

import numpy as np
import pytest
from conftest import shared_path

from emofeat import get_extractor
from emofeat.runner import run

pd = pytest.importorskip("pandas")


def test_a_segment_of_a_recording_with_gaps_is_an_error_of_its_row():
    from emofeat.eeg_input import read_recording

    gaps = shared_path("eeg", "muse_mental_state", "subjectb-relaxed-2.csv")
    plain = shared_path("eeg", "muse_mental_state", "subjecta-relaxed-1.csv")
    assert len(read_recording(gaps).breaks) == 9 and not read_recording(plain).breaks
    manifest = pd.DataFrame({"path": [str(gaps), str(gaps), str(plain)],
                             "start": [0.0, 30.0, 0.0], "end": [10.0, 40.0, 10.0],
                             "label": ["a", "b", "c"]})
    res = run(manifest, [get_extractor("eeg_bands")], on_error="record")
    errors = res.errors
    assert errors["path"].tolist() == [str(gaps), str(gaps)]
    assert errors["start"].tolist() == [0.0, 30.0]
    # 0-10 s spans the first gap (4.39-13.08 s); 30-40 s starts in the second (17.5-717.5 s)
    first, second = errors["message"].tolist()
    assert first.startswith("the segment (start 0 s, end 10 s) spans a gap of the recording")
    assert second.startswith("the segment (start 30 s, end 40 s) starts in a gap of the "
                             "recording, from 17.")
    rows = res.table.to_pandas().reset_index()
    assert rows["label"].tolist() == ["c"]  # one row for its one manifest row
    # the gap-free recording's segment: its first 10 s, as the same samples given alone
    rec = read_recording(plain)
    n = int(round(10.0 * rec.sfreq))
    alone = run([(rec.data[:, :n], rec.sfreq, rec.ch_names)], [get_extractor("eeg_bands")])
    np.testing.assert_allclose(res.table.X, alone.table.X, rtol=1e-9)


def test_a_segment_of_an_epochs_file_is_cut_from_each_epoch(tmp_path):
    mne = pytest.importorskip("mne")
    raw = mne.io.read_raw(shared_path("eeg", "mne_testdata", "test.vhdr"), preload=True,
                          verbose="error")
    epochs = mne.make_fixed_length_epochs(raw, duration=2.0, preload=True, verbose="error")
    path = tmp_path / "rec-epo.fif"
    epochs.save(path, verbose="error")
    manifest = pd.DataFrame({"path": [str(path), str(path)], "start": [0.5, 5.0],
                             "end": [1.5, 6.0]})
    res = run(manifest, [get_extractor("eeg_bands")], on_error="record")
    assert res.errors["message"].tolist() == [
        f"segment starts at 5.0 s, after the end of each of its {len(epochs)} epochs (the "
        "longest 2.000 s)"]
    rows = res.table.to_pandas().reset_index()
    assert rows["epoch"].tolist() == list(range(len(epochs)))
    assert set(rows["start"]) == {0.5}
    # as the file holds them (FIF stores float32 samples)
    cropped = mne.read_epochs(path, verbose="error").crop(0.5, 1.5, include_tmax=False)
    alone = run([cropped], [get_extractor("eeg_bands")])
    np.testing.assert_allclose(res.table.X, alone.table.X, rtol=1e-9)


@pytest.mark.parametrize("onset", [0.0, 3.0])
def test_a_segment_of_a_recording_with_an_acquisition_skip_is_an_error(tmp_path, onset):
    """MNE's BAD_ACQ_SKIP holes (EDF+D, FIF skips) cut a recording as a Muse file's gaps do:
    a hole in the middle makes two stretches; one at the start leaves one signal whose time
    starts after it, so the row 0-1 s gave the recording's 1-2 s under 0-1 s. On the
    recording's clock (session 55) the row 0-1 s before a hole at 3 s is the first second;
    one in a hole at the start is its row's error naming the hole."""
    mne = pytest.importorskip("mne")
    raw = mne.io.read_raw(shared_path("eeg", "mne_testdata", "test.vhdr"), preload=True,
                          verbose="error")
    raw.set_annotations(mne.Annotations([onset], [1.0], ["BAD_ACQ_SKIP"]))
    path = tmp_path / "rec_raw.fif"
    raw.save(path, verbose="error")
    manifest = pd.DataFrame({"path": [str(path)], "start": [0.0], "end": [1.0]})
    for listed in (manifest, manifest.assign(path=[raw])):
        res = run(listed, [get_extractor("eeg_bands")], on_error="record")
        if onset == 0 and listed is manifest:
            # MNE writes a hole at the start as a later first sample: the file's time, as
            # MNE's raw.times, starts there, and the segment is its first second
            saved = mne.io.read_raw(path, preload=True, verbose="error").pick("eeg")
            assert saved.first_time == 1.0 and len(res.errors) == 0
            n = int(round(saved.info["sfreq"]))
            alone = run([(saved.get_data()[:, :n], saved.info["sfreq"], saved.ch_names)],
                        [get_extractor("eeg_bands")])
            np.testing.assert_allclose(res.table.X, alone.table.X, rtol=1e-9)
            continue
        if onset == 3.0:
            assert res.errors is None or len(res.errors) == 0
            # the file holds float32 samples, the object its own
            held = (mne.io.read_raw(path, preload=True, verbose="error")
                    if listed is manifest else raw).copy().pick("eeg")
            n = int(round(held.info["sfreq"]))
            alone = run([(held.get_data()[:, :n], held.info["sfreq"], held.ch_names)],
                        [get_extractor("eeg_bands")])
            np.testing.assert_allclose(res.table.X, alone.table.X, rtol=1e-9)
            continue
        assert len(res.errors) == 1
        assert res.errors["message"][0] == (
            "the segment (start 0 s, end 1 s) starts in a gap of the recording, from 0 s to "
            "1 s, where no sample was recorded: start it at 1 s or later")
    # without a hole the same segment is cut as before
    raw.set_annotations(None)
    res = run(manifest.assign(path=[raw]), [get_extractor("eeg_bands")])
    assert len(res.table) == 1
