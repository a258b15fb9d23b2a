"""Signals given in memory in an output are found by their content key on a rerun.

A signal in memory is named by its place in the list (``<array 3>``), which a reordered or
longer list gives another signal. An output keeps each such row's resume key in a
``signal_key`` column and a rerun finds the rows by it: their name and labels are the
current listing's, their features never move to another signal's name. Before, a rerun of
a reordered list kept the old names on the rows (``<array 0>`` held the features of the
signal now listed third), a list with one signal inserted gave two rows ``<array 1>``, and
labels beside signals in memory were refused an output for that reason. Every expected
table here is a fresh run of the same list without an output (real RAVDESS files read into
memory, MNE's BrainVision test recording)."""

from __future__ import annotations

import json

import numpy as np
import pytest
from conftest import shared_path
from emofeat.extractors.mfcc import MFCC

from emofeat.runner import run
from emofeat.store import DONE_KEY, SIGNAL_KEY
from emofeat.table import read_table

pd = pytest.importorskip("pandas")
sf = pytest.importorskip("soundfile")
pq = pytest.importorskip("pyarrow.parquet")


@pytest.fixture(scope="module")
def signals(ravdess_files):
    return [sf.read(p) for p in ravdess_files[:5]]


def _counts(res) -> tuple[int, int]:
    """Inputs extracted and skipped (already done) by a run."""
    return res.n_inputs - res.n_skipped - res.n_repeated - len(res.errors), res.n_skipped


def _rows(table) -> pd.DataFrame:
    return table.to_pandas().reset_index()


def _same_as_fresh(out, inputs, labels=()) -> pd.DataFrame:
    """The output's rows of the listed inputs equal a fresh run's without an output: names,
    labels and features, in order."""
    fresh = run(inputs, [MFCC()]).table
    held = _rows(read_table(out))
    listed = held[~held["path"].str.endswith("of an earlier list>")].reset_index(drop=True)
    expect = _rows(fresh)
    assert listed["path"].tolist() == expect["path"].tolist()
    for c in labels:
        assert listed[c].tolist() == expect[c].tolist()
    np.testing.assert_array_equal(listed[fresh.feature_names].to_numpy(), fresh.X)
    return held


@pytest.mark.parametrize("layout", ["o.parquet", "folder"])
@pytest.mark.parametrize("n_jobs", [1, 2])
def test_a_reordered_labelled_manifest_keeps_each_signal_its_label(signals, tmp_path, layout,
                                                                   n_jobs):
    out = tmp_path / layout
    frame = pd.DataFrame({"path": signals[:3], "emotion": ["calm", "sad", "angry"]})
    first = run(frame, [MFCC()], output=out, n_jobs=n_jobs)
    assert _counts(first) == (3, 0)
    _same_as_fresh(out, frame, ["emotion"])
    # the same signals, the rows of the frame reversed, one label edited
    again = pd.DataFrame({"path": signals[2::-1], "emotion": ["ANGRY", "sad", "calm"]})
    res = run(again, [MFCC()], output=out, n_jobs=n_jobs)
    assert _counts(res) == (0, 3)  # found by content: nothing extracted again
    assert res.reordered
    assert res.n_renamed == 2  # <array 1> stays where it was
    assert "2 rows of signals in memory renamed by their place in the list" in res.summary()
    held = _same_as_fresh(out, again, ["emotion"])
    assert len(held) == 3


@pytest.mark.parametrize("layout", ["o.parquet", "folder"])
def test_a_signal_inserted_moves_the_names_of_those_after_it(signals, tmp_path, layout):
    out = tmp_path / layout
    run(signals[:3], [MFCC()], output=out)
    longer = [signals[0], signals[3], signals[1], signals[2]]
    res = run(longer, [MFCC()], output=out)
    assert _counts(res) == (1, 3)
    held = _same_as_fresh(out, longer)
    # was <array 0>, <array 1>, <array 1>, <array 2>: two rows of one name
    assert held["path"].tolist() == ["<array 0>", "<array 1>", "<array 2>", "<array 3>"]


@pytest.mark.parametrize("layout", ["o.parquet", "folder"])
def test_a_signal_no_longer_listed_keeps_its_rows_under_a_past_name(signals, tmp_path, layout):
    out = tmp_path / layout
    run(signals[:3], [MFCC()], output=out)
    first = _rows(read_table(out))
    res = run([signals[2], signals[1]], [MFCC()], output=out)
    assert _counts(res) == (0, 2)
    assert res.n_renamed == 2 and not res.n_relabelled  # <array 1> is still <array 1>
    held = _same_as_fresh(out, [signals[2], signals[1]])
    gone = held[held["path"] == "<array 0 of an earlier list>"]
    assert len(gone) == 1  # nothing lost, and no second row named <array 0>
    assert gone[SIGNAL_KEY].tolist() == first.loc[0:0, SIGNAL_KEY].tolist()
    assert (held["path"] == "<array 0>").sum() == 1
    # listed again: named by its place once more, not extracted again
    res = run(signals[:3], [MFCC()], output=out)
    assert _counts(res) == (0, 3)
    assert res.n_renamed == 2
    assert run(signals[:3], [MFCC()], output=out).changes() == []  # up to date
    held = _same_as_fresh(out, signals[:3])
    assert len(held) == 3


def test_the_key_column_holds_the_resume_keys(signals, tmp_path):
    out = tmp_path / "o.parquet"
    listed = [signals[0], signals[1], signals[0]]
    run(listed, [MFCC()], output=out)
    held = _rows(read_table(out))
    done = json.loads(pq.read_schema(out).metadata[DONE_KEY])
    assert held[SIGNAL_KEY].tolist() == [k[0] for k in done]
    assert held[SIGNAL_KEY][0].startswith("sha256:")
    assert held[SIGNAL_KEY][2] == held[SIGNAL_KEY][0] + "#1"  # the repeat, numbered
    # without an output nothing is hashed, and the table has no such column
    assert SIGNAL_KEY not in _rows(run(listed, [MFCC()]).table).columns


def test_a_repeated_signal_keeps_each_listing_its_label(signals, tmp_path):
    out = tmp_path / "o.parquet"
    frame = pd.DataFrame({"path": [signals[0], signals[1], signals[0]],
                          "emotion": ["calm", "sad", "angry"]})
    run(frame, [MFCC()], output=out)
    again = frame.iloc[[2, 1, 0]].reset_index(drop=True)
    again["emotion"] = ["calm", "sad", "angry"]
    res = run(again, [MFCC()], output=out)
    assert res.n_skipped == 3
    _same_as_fresh(out, again, ["emotion"])


def test_files_and_signals_mixed(signals, ravdess_files, tmp_path):
    out = tmp_path / "o.parquet"
    frame = pd.DataFrame({"path": [str(ravdess_files[0]), signals[1], signals[2]],
                          "emotion": ["a", "b", "c"]})
    run(frame, [MFCC()], output=out)
    held = _rows(read_table(out))
    assert held[SIGNAL_KEY].isna().tolist() == [True, False, False]  # a file: its path
    again = pd.DataFrame({"path": [signals[2], str(ravdess_files[0]), signals[1]],
                          "emotion": ["C", "A", "B"]})
    res = run(again, [MFCC()], output=out)
    assert res.n_skipped == 3
    _same_as_fresh(out, again, ["emotion"])


def test_a_manifest_column_named_like_the_key_is_refused(signals, tmp_path):
    frame = pd.DataFrame({"path": signals[:2], SIGNAL_KEY: ["x", "y"]})
    with pytest.raises(ValueError, match=f"has a '{SIGNAL_KEY}' column.*rename it"):
        run(frame, [MFCC()], output=tmp_path / "o.parquet")
    assert not (tmp_path / "o.parquet").exists()
    # files alone, or no output: the column is the user's
    assert SIGNAL_KEY in _rows(run(frame, [MFCC()]).table).columns


def _without_key_column(out) -> None:
    """The file or folder ``out`` as an earlier version wrote it: no ``signal_key`` column,
    in its rows nor in the emofeat and pandas metadata that list its columns."""
    def schema_without(schema):
        meta = dict(schema.metadata)
        info = json.loads(meta[b"emofeat"])
        info["index_columns"].remove(SIGNAL_KEY)
        frame = json.loads(meta[b"pandas"])
        frame["columns"] = [c for c in frame["columns"] if c["name"] != SIGNAL_KEY]
        meta[b"emofeat"], meta[b"pandas"] = json.dumps(info).encode(), json.dumps(frame).encode()
        return schema.remove(schema.get_field_index(SIGNAL_KEY)).with_metadata(meta)

    for src in [out] if out.is_file() else sorted(out.glob("part-*.parquet")):
        table = pq.read_table(src)
        # a part's keys are in its file's metadata, not in the schema's
        held = {k: v for k, v in pq.read_metadata(src).metadata.items() if k != b"ARROW:schema"}
        schema = schema_without(table.schema.with_metadata(held))
        pq.write_table(table.drop_columns([SIGNAL_KEY]).cast(schema), src)
    if out.is_dir():
        pq.write_metadata(schema_without(pq.read_schema(out / "_common_metadata")),
                          out / "_common_metadata")


@pytest.mark.parametrize("layout", ["o.parquet", "folder"])
def test_an_earlier_versions_output_of_signals_is_refused_them(signals, ravdess_files,
                                                               tmp_path, layout):
    """Rows written without a key column (an earlier version) have nothing but their name,
    a place in the list, to tell which signal each is: a run of signals into that output is
    refused, saying so and the way out; a run of files goes on, those rows as they were."""
    out = tmp_path / layout
    run(signals[:3], [MFCC()], output=out)
    _without_key_column(out)
    before = _rows(read_table(out))
    for listed in (signals[:3], signals[2::-1], [str(ravdess_files[0]), signals[0]]):
        with pytest.raises(ValueError, match=r"earlier version of emofeat, without their "
                                             r"content key \(signal_key\).*overwrite=True"):
            run(listed, [MFCC()], output=out)
    res = run([str(ravdess_files[0])], [MFCC()], output=out)
    assert _counts(res) == (1, 0)
    held = _rows(read_table(out))
    assert held["path"].tolist() == [*before["path"], str(ravdess_files[0])]
    np.testing.assert_array_equal(held[before.columns[before.columns.str.startswith("mfcc")]]
                                  .to_numpy()[:3],
                                  before[before.columns[before.columns.str.startswith("mfcc")]]
                                  .to_numpy())
    with pytest.raises(ValueError, match="earlier version"):  # still: nothing was keyed
        run(signals[:3], [MFCC()], output=out)
    run(signals[2::-1], [MFCC()], output=out, overwrite=True)
    _same_as_fresh(out, signals[2::-1])


def test_a_file_row_is_not_taken_for_a_signal_named_by_the_file(tmp_path):
    """An MNE object is named by its file: a row of that file, no longer listed, kept its
    label, not the object's (a fallback by name for an earlier version's rows took it)."""
    mne = pytest.importorskip("mne")
    from emofeat.extractors.eeg_sets import EEGBandPower

    path = shared_path("eeg", "mne_testdata", "test.vhdr")
    raw = mne.io.read_raw(path, preload=True, verbose="error")
    out = tmp_path / "o.parquet"
    run(pd.DataFrame({"path": [str(path)], "condition": ["full"]}), [EEGBandPower()],
        output=out)
    crop = pd.DataFrame({"path": [raw.copy().crop(0, 2)], "condition": ["crop"]})
    res = run(crop, [EEGBandPower()], output=out)
    assert res.n_relabelled == 0
    held = _rows(read_table(out))
    assert held["condition"].tolist() == ["full", "crop"]
    assert held[SIGNAL_KEY].isna().tolist() == [True, False]


@pytest.mark.parametrize("layout", ["o.parquet", "folder"])
@pytest.mark.parametrize("frame", [False, True])
def test_a_run_of_files_marks_the_signals_it_no_longer_lists(signals, ravdess_files, tmp_path,
                                                             layout, frame):
    """A list of files, or a manifest DataFrame of them (whose empty key column was typed
    null: "Unsupported cast from large_string to null" after the extraction)."""
    out = tmp_path / layout
    run([signals[0], str(ravdess_files[1]), signals[2], str(ravdess_files[3])], [MFCC()],
        output=out)
    files = [str(ravdess_files[1]), str(ravdess_files[3])]
    res = run(pd.DataFrame({"path": files, "emotion": ["a", "b"]}) if frame else files,
              [MFCC()], output=out)
    assert _counts(res) == (0, 2) and res.n_renamed == 2
    held = _rows(read_table(out))
    assert held["path"].tolist() == ["<array 0 of an earlier list>", files[0],
                                     "<array 2 of an earlier list>", files[1]]
    assert held[SIGNAL_KEY].isna().tolist() == [False, True, False, True]


def test_a_files_column_named_like_the_key_is_refused_where_signals_are_held(
        signals, ravdess_files, tmp_path):
    out = tmp_path / "o.parquet"
    run([signals[0], str(ravdess_files[1])], [MFCC()], output=out)
    frame = pd.DataFrame({"path": [str(ravdess_files[1])], SIGNAL_KEY: ["mine"]})
    with pytest.raises(ValueError, match=f"has a '{SIGNAL_KEY}' column.*o.parquet keeps"):
        run(frame, [MFCC()], output=out)
    # an output of files only: the column is the user's, a label
    plain = tmp_path / "plain.parquet"
    run(frame, [MFCC()], output=plain)
    assert _rows(read_table(plain))[SIGNAL_KEY].tolist() == ["mine"]


@pytest.mark.parametrize("layout", ["o.parquet", "folder"])
def test_an_interrupted_run_resumed_in_another_order(signals, tmp_path, layout):
    """Parts of a run stopped by an error, then the list reordered and longer."""
    out = tmp_path / layout
    broken = (np.full(16000, np.nan), 16000)
    first = [signals[0], signals[1], broken, signals[2]]
    with pytest.raises(Exception, match="NaN"):
        run(first, [MFCC()], output=out, chunk_size=1, on_error="raise")
    again = [signals[3], signals[1], signals[0], signals[2]]
    res = run(again, [MFCC()], output=out, chunk_size=1)
    assert res.n_skipped >= 2 and res.n_merged >= 2
    _same_as_fresh(out, again)


def test_segments_of_signals_keep_their_labels(signals, tmp_path):
    """A manifest of signals with start/end: a key per segment, its bounds beside it."""
    out = tmp_path / "o.parquet"
    frame = pd.DataFrame({"path": [signals[0], signals[0], signals[1]], "start": [0.0, 1.0, 0.0],
                          "end": [1.0, 2.0, 1.0], "emotion": ["a0", "a1", "b0"]})
    run(frame, [MFCC()], output=out)
    again = frame.iloc[[2, 1, 0]].reset_index(drop=True)
    again["emotion"] = ["B0", "A1", "A0"]
    res = run(again, [MFCC()], output=out)
    assert _counts(res) == (0, 3)
    held = _same_as_fresh(out, again, ["emotion"])
    assert held["start"].tolist() == [0.0, 1.0, 0.0]


def test_two_crops_of_one_recording_keep_their_labels(tmp_path):
    """Two MNE objects of one file are named by it: only the key tells their rows apart."""
    mne = pytest.importorskip("mne")
    from emofeat.extractors.eeg_sets import EEGBandPower

    raw = mne.io.read_raw(shared_path("eeg", "mne_testdata", "test.vhdr"), preload=True,
                          verbose="error")
    halves = [raw.copy().crop(0, 2), raw.copy().crop(2, 4)]
    out = tmp_path / "o.parquet"
    frame = pd.DataFrame({"path": halves, "condition": ["rest", "task"]})
    with pytest.warns(UserWarning, match="are one file"):
        run(frame, [EEGBandPower()], output=out)
    swapped = pd.DataFrame({"path": halves[::-1], "condition": ["task", "rest"]})
    with pytest.warns(UserWarning, match="are one file"):
        res = run(swapped, [EEGBandPower()], output=out)
    assert res.n_skipped == 2
    with pytest.warns(UserWarning, match="are one file"):
        fresh = run(swapped, [EEGBandPower()]).table
    held = _rows(read_table(out))
    assert held["condition"].tolist() == ["task", "rest"]
    np.testing.assert_array_equal(held[fresh.feature_names].to_numpy(), fresh.X)


def test_rows_of_two_crops_aggregated_keep_no_provenance(tmp_path):
    """``signal_key`` tells rows apart that nothing else does (two crops of one file, same
    ``path`` and ``epoch``): a frame grouped without it was aggregated over both crops and
    gets no provenance back (``FeatureTable.from_pandas``); a row selection keeps it."""
    mne = pytest.importorskip("mne")
    from emofeat.extractors.eeg_sets import EEGBandPower

    from emofeat.table import FeatureTable

    raw = mne.io.read_raw(shared_path("eeg", "mne_testdata", "test.vhdr"), preload=True,
                          verbose="error")
    out = tmp_path / "o.parquet"
    with pytest.warns(UserWarning, match="are one file"):
        run([raw.copy().crop(0, 2), raw.copy().crop(2, 4)], [EEGBandPower()], output=out)
    table = read_table(out)
    df = table.to_pandas().reset_index()
    names = table.feature_names
    ids = [c for c in table.index.columns if c != SIGNAL_KEY]
    merged = df.groupby(ids, as_index=False, dropna=False)[names].mean()
    assert len(merged) == 1 and "emofeat" in merged.attrs
    assert FeatureTable.from_pandas(merged, names).provenance == {}
    assert FeatureTable.from_pandas(df.iloc[:1], names).provenance != {}


def test_mne_objects_built_in_memory_are_renamed_too(tmp_path):
    """An MNE object without a file is named by its place too (``<RawArray 1>``)."""
    mne = pytest.importorskip("mne")
    from emofeat.extractors.eeg_sets import EEGBandPower

    raw = mne.io.read_raw(shared_path("eeg", "mne_testdata", "test.vhdr"), preload=True,
                          verbose="error").pick("eeg")
    built = [mne.io.RawArray(raw.copy().crop(t, t + 2).get_data(), raw.info, verbose="error")
             for t in (0, 2, 4)]
    out = tmp_path / "o.parquet"
    run(built, [EEGBandPower()], output=out)
    res = run(built[:0:-1], [EEGBandPower()], output=out)
    assert _counts(res) == (0, 2)
    held = _rows(read_table(out))
    fresh = run(built[:0:-1], [EEGBandPower()]).table
    listed = held[~held["path"].str.endswith("of an earlier list>")]
    assert listed["path"].tolist() == _rows(fresh)["path"].tolist() == [
        "<RawArray 0>", "<RawArray 1>"]
    np.testing.assert_array_equal(listed[fresh.feature_names].to_numpy(), fresh.X)
    assert (held["path"] == "<RawArray 0 of an earlier list>").sum() == 1


def test_smoothing_keeps_two_crops_of_one_file_apart(tmp_path):
    """smooth_table's groups: two crops of one recording share ``path`` and ``epoch``; in an
    output their ``signal_key`` keeps the LDS smoothing from running across both."""
    mne = pytest.importorskip("mne")
    from emofeat.extractors.eeg import lds_smooth
    from emofeat.extractors.eeg_sets import EEGDifferentialEntropy

    from emofeat.eeg_input import smooth_table

    raw = mne.io.read_raw(shared_path("eeg", "mne_testdata", "test.vhdr"), preload=True,
                          verbose="error")
    out = tmp_path / "o.parquet"
    crops = [raw.copy().crop(0, 3), raw.copy().crop(3, 6)]
    with pytest.warns(UserWarning, match="are one file"):
        run(crops, [EEGDifferentialEntropy()], output=out, segment="1s")
    table = read_table(out)
    smoothed = smooth_table(table)
    de = [i for i, n in enumerate(table.feature_names) if n.startswith("eeg_de_")]
    keys = table.index[SIGNAL_KEY].to_numpy()
    for key in dict.fromkeys(keys):
        rows = np.flatnonzero(keys == key)
        np.testing.assert_allclose(smoothed.X[np.ix_(rows, de)],
                                   lds_smooth(table.X[np.ix_(rows, de)]), rtol=1e-12)
    # without an output nothing tells the crops apart: refused, not interleaved
    with pytest.warns(UserWarning, match="are one file"):
        alone = run(crops, [EEGDifferentialEntropy()], segment="1s").table
    with pytest.raises(ValueError, match="repeat a window's start: two inputs"):
        smooth_table(alone)
