"""Raws joined with ``mne.concatenate_raws`` (hunt of session 49): the ``EDGE boundary``
annotation where one raw ends and the next begins is a break, as MNE's ``Raw.filter`` reads it
(its default ``skip_by_annotation=("edge", "bad_acq_skip")``).

Two real Muse sessions of one subject, joined as a user joins runs or sessions: before, the
junction was no break, so ``filter_recording`` filtered across it (up to 3.7e-5 V off MNE's
``Raw.filter``, a tenth of the signal's largest value, over 3.3 s around it) and the
``--segment`` windows of 56-60 s and 58-62 s mixed both sessions (MNE's
``make_fixed_length_epochs`` drops them: they overlap its ``BAD boundary``)."""

from __future__ import annotations

import numpy as np
import pytest
from conftest import shared_path
from emofeat.extractors.eeg_sets import EEGBandPower

from emofeat.eeg_input import filter_recording, read_recording
from emofeat.runner import run

mne = pytest.importorskip("mne")


def _sessions() -> list:
    """Sessions 1 and 2 of Muse subject a, relaxed, as Raw objects in volts at 256 Hz."""
    raws = []
    for name in ("subjecta-relaxed-1.csv", "subjecta-relaxed-2.csv"):
        rec = read_recording(shared_path("eeg", "muse_mental_state", name))
        info = mne.create_info(list(rec.ch_names), 256.0, "eeg")
        raws.append(mne.io.RawArray(rec.data * 1e-6, info, verbose="error"))
    return raws


@pytest.fixture(scope="module")
def joined(tmp_path_factory):
    raws = _sessions()
    cat = mne.concatenate_raws([r.copy() for r in raws], verbose="error")
    assert "EDGE boundary" in cat.annotations.description
    path = tmp_path_factory.mktemp("edges") / "joined_raw.fif"
    cat.save(path, fmt="double", verbose="error")
    return raws, cat, path


def test_a_file_of_joined_raws_is_filtered_run_by_run_as_mne(joined):
    """read_recording gives the junction as a break; filter_recording then equals MNE's
    Raw.filter of the file (1e-9 of the largest value; observed 1.6e-19 V where the largest is
    3.6e-4 V). Before: no break, 844 samples off by more than that, up to 3.7e-5 V."""
    raws, _, path = joined
    rec = read_recording(path)
    assert rec.breaks == (raws[0].n_times,)
    ref = mne.io.read_raw(path, preload=True, verbose="error").filter(
        1.0, 45.0, verbose="error").get_data()
    got = filter_recording(rec, l_freq=1.0, h_freq=45.0)
    np.testing.assert_allclose(got.data, ref, rtol=0, atol=1e-9 * np.abs(ref).max())


@pytest.mark.parametrize("given", ["object", "file"])
def test_windows_of_joined_raws_never_span_the_junction(joined, given):
    """4 s windows every 2 s: the rows of each run, numbered 0 and 1 in ``epoch``, are those
    of the run on its own (rtol 1e-12), none spans the junction. Before: one stretch, windows
    every 2 s straight across it (56-60 s and 58-62 s). The second run's rows are timed on
    the clock that runs through the join (MNE's ``raw.times``: from the first run's length;
    from the run's own start until session 54)."""
    raws, cat, path = joined
    table = run([cat if given == "object" else str(path)], [EEGBandPower()],
                segment=4.0, hop=2.0).read()
    index = table.index.reset_index() if not hasattr(table.index, "columns") else table.index
    epochs = np.asarray(index["epoch"])
    assert sorted(set(epochs.tolist())) == [0, 1]
    for k, raw in enumerate(raws):
        alone = run([raw], [EEGBandPower()], segment=4.0, hop=2.0).read()
        rows = epochs == k
        at = cat.times[raws[0].n_times] if k else 0.0  # the run's first sample in cat.times
        np.testing.assert_allclose(np.asarray(index["start"])[rows],
                                   at + np.asarray(alone.index["start"]), rtol=0, atol=1e-12)
        np.testing.assert_allclose(np.asarray(index["end"])[rows],
                                   at + np.asarray(alone.index["end"]), rtol=0, atol=1e-12)
        np.testing.assert_allclose(np.asarray(table.X)[rows], np.asarray(alone.X), rtol=1e-12)


def test_edge_read_as_mne_reads_it_in_any_case_and_other_annotations_cut_nothing():
    """MNE matches skip annotations by the start of their description in any case
    (``edge boundary`` too); a ``BAD boundary`` alone, or any other annotation, is no break
    (docs/eeg.md: other BAD_ annotations mark nothing for the extractors)."""
    raws = _sessions()
    cat = mne.concatenate_raws([r.copy() for r in raws], verbose="error")
    n1 = raws[0].n_times
    onset = cat.annotations.onset[list(cat.annotations.description).index("EDGE boundary")]
    for desc, want in (("edge boundary", (n1,)), ("BAD boundary", ()), ("EDGEx", (n1,)),
                       ("boundary", ())):
        raw = cat.copy().set_annotations(mne.Annotations([onset], [0.0], [desc]))
        table = run([raw], [EEGBandPower()]).read()
        assert len(table.X) == len(want) + 1, desc


def test_segments_of_joined_raws_are_placed_on_mne_s_clock(joined, tmp_path):
    """Review 1 of session 49: 8535c1a refused every manifest segment of a file of joined
    raws, as if its joins were gaps (2 of 2 rows failed); they take no sample, so MNE's
    clock (raw.times, raw.crop) places a span within one run. Each row equals the span cropped
    by MNE and given alone (rtol 1e-12); a span across the join is its row's error naming
    the join; one starting on the join's sample is the second run's."""
    import pandas as pd

    from emofeat.cli import main

    raws, cat, path = joined
    join = raws[0].n_times / 256.0
    spans = [(10.0, 20.0), (70.0, 80.0), (50.0, 65.0), (59.39, 70.0)]
    manifest = tmp_path / "seg.csv"
    pd.DataFrame({"path": [str(path)] * 4, "start": [a for a, _ in spans],
                  "end": [b for _, b in spans]}).to_csv(manifest, index=False)
    out = tmp_path / "o.parquet"
    assert main(["extract", str(manifest), "--set", "eeg_bands", "-o", str(out), "-q"]) == 3
    errors = pd.read_csv(tmp_path / "o.errors.csv")
    assert list(errors["start"]) == [50.0]
    # the join's time to the microsecond (59.390625 s: 15204 samples at 256 Hz; to 6
    # digits until session 55, which named another sample past 10,000 s)
    assert f"crosses the join of two raws at {join:.6f}".rstrip("0") + " s" in errors[
        "message"].iloc[0]
    got = pd.read_parquet(out)
    assert list(zip(got["start"], got["end"], strict=True)) == [(10, 20), (70, 80), (59.39, 70)]
    data = mne.io.read_raw(path, preload=True, verbose="error")
    for (a, b), (_, row) in zip([(10.0, 20.0), (70.0, 80.0), (59.39, 70.0)], got.iterrows(),
                                strict=True):
        n0, n1 = int(round(a * 256)), int(round(b * 256))
        alone = mne.io.RawArray(data.get_data()[:, n0:n1], data.info.copy(), verbose="error")
        ref = run([alone], [EEGBandPower()]).read()
        cols = list(ref.feature_names)
        np.testing.assert_allclose(row[cols].to_numpy(float), np.asarray(ref.X)[0], rtol=1e-12)
