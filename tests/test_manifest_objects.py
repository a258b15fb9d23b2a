"""A manifest DataFrame whose input column holds in-memory signals ((array, sr) pairs, MNE
objects) beside their labels: read as a list of the same signals is, the labels kept in their
rows; an empty cell or an object the reader cannot take is refused naming its row (was
os.fspath's ``TypeError: expected str, bytes or os.PathLike object, not tuple``, naming
neither). Real RAVDESS files and MNE's BrainVision test recording."""

from __future__ import annotations

import numpy as np
import pytest
from conftest import shared_path
from emofeat.extractors.mfcc import MFCC

from emofeat.errors import SignalTypeError
from emofeat.runner import run

pd = pytest.importorskip("pandas")
sf = pytest.importorskip("soundfile")


@pytest.fixture(scope="module")
def pairs(ravdess_files):
    return [sf.read(p) for p in ravdess_files[:3]]


def test_pairs_in_a_manifest_are_read_as_a_list_of_them(pairs):
    listed = run(list(pairs), [MFCC()]).table
    frame = pd.DataFrame({"path": list(pairs), "emotion": ["calm", "sad", "calm"]})
    table = run(frame, [MFCC()]).table
    np.testing.assert_array_equal(table.X, listed.X)
    rows = table.to_pandas().reset_index()
    assert rows["emotion"].tolist() == ["calm", "sad", "calm"]
    assert rows["path"].tolist() == ["<array 0>", "<array 1>", "<array 2>"]


def test_paths_and_pairs_mixed_keep_each_rows_label(pairs, ravdess_files):
    frame = pd.DataFrame({"path": [str(ravdess_files[0]), pairs[1]], "emotion": ["a", "b"]})
    rows = run(frame, [MFCC()]).table.to_pandas().reset_index()
    assert rows["path"].tolist() == [str(ravdess_files[0]), "<array 1>"]
    assert rows["emotion"].tolist() == ["a", "b"]
    alone = run([str(ravdess_files[0])], [MFCC()]).table
    np.testing.assert_array_equal(run(frame, [MFCC()]).table.X[:1], alone.X)


@pytest.mark.parametrize("empty", [np.nan, None, pd.NA, pd.NaT, np.float32("nan"),
                                   np.datetime64("NaT")])
def test_an_empty_cell_beside_signals_names_its_row(pairs, empty):
    frame = pd.DataFrame({"path": [pairs[0], empty, pairs[1]], "y": [0, 1, 2]})
    with pytest.raises(ValueError, match=r"empty 'path' cell in 1 row: 1 \(positions"):
        run(frame, [MFCC()])


def test_an_object_the_reader_cannot_take_is_named(pairs):
    frame = pd.DataFrame({"path": [pairs[0], {"array": [0.0]}], "y": [0, 1]})
    with pytest.raises(SignalTypeError, match=r"<array 1>: samples of type object are not"):
        run(frame, [MFCC()])


def test_an_output_of_labelled_signals_keeps_their_labels(pairs, tmp_path, ravdess_files):
    """Labels beside signals in memory go to an output too (they were refused one: a rerun
    matched rows by their name, a place in the list); a rerun finds the rows by their
    content key (tests/test_signal_keys.py), so the signals alone resume too."""
    from emofeat.table import read_table

    frame = pd.DataFrame({"path": list(pairs), "emotion": ["calm", "sad", "calm"]})
    out = tmp_path / "o.parquet"
    run(frame, [MFCC()], output=out)
    rows = read_table(out).to_pandas().reset_index()
    assert rows["emotion"].tolist() == ["calm", "sad", "calm"]
    np.testing.assert_array_equal(read_table(out).X, run(frame, [MFCC()]).table.X)
    mixed = pd.DataFrame({"path": [str(ravdess_files[0]), pairs[1]], "emotion": ["a", "b"]})
    run(mixed, [MFCC()], output=tmp_path / "m.parquet")
    rows = read_table(tmp_path / "m.parquet").to_pandas().reset_index()
    assert rows["emotion"].tolist() == ["a", "b"]
    alone = pd.DataFrame({"path": list(pairs)})
    out = tmp_path / "alone.parquet"
    run(alone, [MFCC()], output=out)
    first = read_table(out)
    assert run(alone, [MFCC()], output=out).n_skipped == len(pairs)
    np.testing.assert_array_equal(read_table(out).X, first.X)


def test_mne_objects_in_a_manifest(tmp_path):
    mne = pytest.importorskip("mne")
    from emofeat.extractors.eeg_sets import EEGBandPower

    from emofeat.table import read_table

    raw = mne.io.read_raw(shared_path("eeg", "mne_testdata", "test.vhdr"), preload=True,
                          verbose="error")
    halves = [raw.copy().crop(0, 2), raw.copy().crop(2, 4)]
    with pytest.warns(UserWarning, match="are one file"):
        listed = run(halves, [EEGBandPower()]).table
    # two crops of one file, each labelled: both extracted, as in a list, their labels kept
    # (the label check took them for one file listed twice with two labels)
    frame = pd.DataFrame({"path": halves, "condition": ["rest", "task"]})
    with pytest.warns(UserWarning, match="are one file"):
        table = run(frame, [EEGBandPower()]).table
    np.testing.assert_array_equal(table.X, listed.X)
    assert table.to_pandas().reset_index()["condition"].tolist() == ["rest", "task"]
    # rows of one file both: an output tells them apart by their content key
    with pytest.warns(UserWarning, match="are one file"):
        run(frame, [EEGBandPower()], output=tmp_path / "o.parquet")
    held = read_table(tmp_path / "o.parquet").to_pandas().reset_index()
    assert held["condition"].tolist() == ["rest", "task"]
    # the same data twice with two labels is one input listed twice: refused
    same = pd.DataFrame({"path": [shared_path("eeg", "mne_testdata", "test.vhdr"), raw],
                         "condition": ["rest", "task"]})
    with pytest.raises(ValueError, match="2 times with different labels"):
        run(same, [EEGBandPower()])


@pytest.mark.parametrize("n_jobs", [1, 2])
def test_a_signal_listed_twice_is_a_row_each_with_an_output_too(pairs, tmp_path, n_jobs):
    """Signals in memory are named by their place (``<array 1>``): the same samples listed
    twice are two rows, as in a run without an output (an output kept one row, under the
    first listing's name)."""
    from emofeat.table import read_table

    listed = [pairs[0], pairs[1], pairs[0]]
    alone = run(listed, [MFCC()]).table
    out = tmp_path / "o.parquet"
    first = run(listed, [MFCC()], output=out, n_jobs=n_jobs)
    assert first.n_repeated == 0
    table = read_table(out)
    np.testing.assert_array_equal(table.X, alone.X)
    assert table.to_pandas().reset_index()["path"].tolist() == [
        "<array 0>", "<array 1>", "<array 2>"]
    assert run(listed, [MFCC()], output=out, n_jobs=n_jobs).n_skipped == 3
    frame = pd.DataFrame({"path": listed, "emotion": ["calm", "sad", "angry"]})
    rows = run(frame, [MFCC()], n_jobs=n_jobs).table.to_pandas().reset_index()
    assert rows["emotion"].tolist() == ["calm", "sad", "angry"]
