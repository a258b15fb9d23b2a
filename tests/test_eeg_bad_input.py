"""Bad EEG input: each file gets a defined result or an error naming it, and a batch run records
the failures and finishes the rest.

Covered here: an unreadable first input of a batch (the channels are learnt from the first
input that can be read), a CSV channel column with a cell that is not a number, a truncated
EDF (MNE's warning passed on, naming the file), recordings and windows too short for a set's
frequency resolution (``TooShortError`` naming the input, its length and what is enough), and
the error types of unreadable and empty EEG files. Synthetic data where it can be; the EDF
cases use the MNE test files under ``../shared/data`` and skip without them.
"""

from __future__ import annotations

import re
import shutil
import warnings

import numpy as np
import pandas as pd
import pytest
from conftest import shared_path
from emofeat.extractors import (
    RQAEEG,
    EEGAsymmetry,
    EEGBandPower,
    EEGDifferentialEntropy,
    EEGHjorth,
    EEGSpectral,
    EEGStats,
)
from emofeat.extractors.eeg import EEGChannelWarning

import emofeat
from emofeat.cli import EXIT_SOME_FAILED, EXIT_USAGE, main
from emofeat.eeg_input import EEGReadWarning, read_recording
from emofeat.errors import (
    AudioReadError,
    EEGReadError,
    EmptyInputError,
    InputError,
    TooShortError,
)
from emofeat.registry import get_extractor
from emofeat.runner import run

MUSE = ("TP9", "AF7", "AF8", "TP10")
SF = 128.0


def muse_csv(path, n=4 * 128, seed=0, aux=True):
    """A Muse-like export: timestamps, four channels in microvolts, ``Right AUX``."""
    rng = np.random.default_rng(seed)
    df = pd.DataFrame(rng.standard_normal((n, 4)) * 20.0, columns=list(MUSE))
    df.insert(0, "timestamps", 1.5e9 + np.arange(n) / SF)
    if aux:
        df["Right AUX"] = rng.standard_normal(n)
    df.to_csv(path, index=False)
    return path


def table_of(path):
    return emofeat.FeatureTable.read_parquet(path)


# ---------------------------------------------------------------- 1: first input unreadable


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_cli_batch_with_an_unreadable_first_input_records_it_and_does_the_rest(tmp_path, jobs):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a_empty.edf").write_bytes(b"")
    (folder / "b_junk.edf").write_text("not an EDF file\n" * 20)
    muse_csv(folder / "c_good.csv")
    muse_csv(folder / "d_good.csv", seed=1)
    manifest = tmp_path / "manifest.csv"  # in this order: the unreadable files first
    pd.DataFrame({"path": [str(folder / n) for n in ("a_empty.edf", "b_junk.edf",
                                                     "c_good.csv", "d_good.csv")]}
                 ).to_csv(manifest, index=False)
    out = tmp_path / "out.parquet"
    code = main(["extract", "--set", "eeg_stats,eeg_bands", str(manifest), "-o", str(out),
                 "-q", "-j", jobs])
    assert code == EXIT_SOME_FAILED
    table = table_of(out)
    assert sorted(p.rsplit("/", 1)[-1] for p in table.index["path"]) == ["c_good.csv",
                                                                       "d_good.csv"]
    assert "eeg_stats_std_AF7" in table.feature_names
    errors = pd.read_csv(tmp_path / "out.errors.csv").set_index("path")
    assert errors.loc[str(folder / "a_empty.edf"), "error_type"] == "EmptyInputError"
    assert "(0 bytes)" in errors.loc[str(folder / "a_empty.edf"), "message"]
    assert errors.loc[str(folder / "b_junk.edf"), "error_type"] == "EEGReadError"
    assert set(errors["stage"]) == {"read"}


def test_run_learns_channels_from_the_first_readable_input(tmp_path):
    empty = tmp_path / "empty.edf"
    empty.write_bytes(b"")
    good = muse_csv(tmp_path / "good.csv")
    result = run([str(empty), str(good)], [get_extractor("eeg_stats")], on_error="record")
    assert list(result.table.index["path"]) == [str(good)]
    assert result.errors["error_type"].tolist() == ["EmptyInputError"]
    # raising at the first failure still names the input that failed, not a fitting step
    with pytest.raises(EmptyInputError, match=re.escape(str(empty)) + r": the file is empty"):
        emofeat.extract([str(empty), str(good)], "eeg_stats")


def test_no_readable_input_is_a_clear_error(tmp_path):
    empty = tmp_path / "empty.edf"
    empty.write_bytes(b"")
    junk = tmp_path / "junk.csv"
    junk.write_text("no,time,column\n1,2,3\n")
    with pytest.raises(InputError, match="none of the 2 inputs could be read"):
        run([str(empty), str(junk)], [get_extractor("eeg_stats")], on_error="record")
    # one input: 'none of the 1 input(s) could be read' until 2026-12-05
    with pytest.raises(InputError, match="and its one input could not be read"):
        run([str(junk)], [get_extractor("eeg_stats")], on_error="record")
    code = main(["extract", "--set", "eeg_stats", str(empty), str(junk), "-o",
                 str(tmp_path / "o.parquet"), "-q"])
    assert code == EXIT_USAGE


# ---------------------------------------------------------------- 2: a text cell in a channel


def with_text_cell(path, column="AF7", row=50, value="bad", seed=0):
    muse_csv(path, seed=seed)
    df = pd.read_csv(path, dtype={column: object})
    df.loc[row, column] = value
    df.to_csv(path, index=False)
    return path


def test_a_text_cell_keeps_the_channel_as_nan_with_a_warning(tmp_path):
    path = with_text_cell(tmp_path / "textcell.csv")
    with pytest.warns(EEGChannelWarning) as caught:
        rec = read_recording(path, picks=None)
    assert rec.ch_names == MUSE  # Right AUX dropped as before, AF7 kept
    assert np.isnan(rec.data[1, 50]) and np.isfinite(np.delete(rec.data[1], 50)).all()
    message = str(caught[0].message)
    # one cell in the singular ('1 cell(s) that are not numbers (the first in data row 51'
    # before 177ca9c's rule reached it)
    assert str(path) in message and "'AF7'" in message
    assert "has 1 cell that is not a number (in data row 51: 'bad')" in message
    ext = EEGStats()
    with pytest.warns(EEGChannelWarning, match="AF7"):
        X = ext.fit_transform([str(path)])
    assert ext.channels_ == MUSE
    names = list(ext.get_feature_names_out())
    af7 = [i for i, n in enumerate(names) if n.endswith("_AF7")]
    assert np.isnan(X[0, af7]).all() and np.isfinite(np.delete(X[0], af7)).all()


def test_a_text_cell_in_the_first_file_does_not_fail_the_others(tmp_path):
    bad = with_text_cell(tmp_path / "a.csv")
    good = [muse_csv(tmp_path / f"b{k}.csv", seed=k) for k in range(2)]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", EEGChannelWarning)
        result = run([str(bad), *map(str, good)], [get_extractor("eeg_stats")],
                     on_error="record")
    assert result.n_failed == 0 and len(result.table) == 3


def test_text_columns_are_still_not_channels(tmp_path):
    path = muse_csv(tmp_path / "elements.csv")
    df = pd.read_csv(path)
    # Muse's marker column: mostly empty, a few text cells
    df["Elements"] = np.where(np.arange(len(df)) % 100 == 5, "/muse/elements/blink", None)
    df["note"] = "eyes closed"
    df.to_csv(path, index=False)
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # no warning: nothing was dropped from a channel
        rec = read_recording(path, picks=None)
    assert rec.ch_names == MUSE
    with pytest.raises(InputError, match=r"elements.csv: column 'note' holds text"):
        read_recording(path, picks=["TP9", "note"])


# ---------------------------------------------------------------- 3: truncated EDF


def test_a_truncated_edf_warns_naming_the_file(tmp_path):
    source = shared_path("eeg", "mne_testdata", "test.edf")
    pytest.importorskip("mne")
    data = source.read_bytes()
    trunc = tmp_path / "trunc.edf"
    trunc.write_bytes(data[: len(data) * 2 // 3])
    with pytest.warns(EEGReadWarning, match=re.escape(str(trunc)) + ": Number of records"):
        rec = read_recording(trunc)
    assert rec.n_times > 0
    with pytest.warns(EEGReadWarning, match="trunc.edf"):
        EEGStats().fit_transform([str(trunc)])
    # an intact file: no warning from MNE's reader
    whole = tmp_path / "whole.edf"
    shutil.copy(source, whole)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        read_recording(whole)


# ---------------------------------------------------------------- 4: too short


SETS = [EEGBandPower, EEGDifferentialEntropy, EEGAsymmetry, EEGSpectral, EEGHjorth]


@pytest.mark.parametrize("cls", SETS)
@pytest.mark.parametrize("n", [1, 2, 10])
def test_too_short_for_the_resolution_raises_naming_input_length_and_minimum(cls, n):
    x = np.random.default_rng(0).standard_normal((4, 8 * int(SF)))
    ext = cls(sfreq=SF, ch_names=("AF3", "AF4", "F3", "F4")).fit()
    if cls is EEGSpectral and n == 10 or cls is EEGHjorth and n >= 3:
        assert np.isfinite(ext.transform([(x[:, :n], SF)])).all()  # long enough for these
        return
    with warnings.catch_warnings():
        # not a flat-channel warning: the length is the problem, said once, in the error
        warnings.simplefilter("error")
        with pytest.raises(TooShortError) as exc:
            ext.transform([(x, SF), (x[:, :n], SF)])
    message = str(exc.value)
    assert message.startswith("<array 1>: ") and f"{n} sample" in message
    assert ext.set_name in message
    assert re.search(r"3 samples|\d+ samples \(\d\.\d+ s\) or more", message)


def test_too_short_lands_in_the_errors_table_of_a_batch(tmp_path):
    good = muse_csv(tmp_path / "good.csv")
    short = muse_csv(tmp_path / "short.csv", n=12)
    result = run([str(short), str(good)], [get_extractor("eeg_bands")], on_error="record")
    assert list(result.table.index["path"]) == [str(good)]
    assert result.errors["error_type"].tolist() == ["TooShortError"]
    assert "12 samples" in result.errors["message"][0]
    assert np.isfinite(result.table.X).all()


def test_a_short_last_window_is_dropped_by_the_runner_and_nan_when_asked_for():
    """A set without ``sfreq`` (the command line's) judges the last window at the
    recording's rate: 6 samples at 128 Hz are dropped; asked for explicitly, that window is
    NaN with a warning naming the input, the others are kept."""
    x = np.random.default_rng(0).standard_normal((4, int(SF * 8) + 6))
    names = ("AF3", "AF4", "F3", "F4")
    ext = get_extractor("eeg_bands")
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        result = run([(x, SF, names)], [ext], segment=4)
    assert result.table.index[["start", "end"]].to_numpy().tolist() == [[0, 4], [4, 8]]
    assert np.isfinite(result.table.X).all()
    sig = ext.fit([(x, SF, names)]).reader().read((x, SF, names))[0]
    with pytest.warns(EEGChannelWarning, match=r"<array 0>: 1 window from 8.000 s on gives"):
        X = ext.features_of_windows(sig, [(0, 512), (512, 1024), (1024, 1030)])
    assert np.isfinite(X[:2]).all() and np.isnan(X[2]).all()
    np.testing.assert_array_equal(X[:2], result.table.X)


def test_cli_windows_of_recordings_with_a_gap_drop_each_stretch_short_tail(tmp_path):
    """``emofeat extract --segment 4s`` on a Muse-like CSV with a gap: each gap-free stretch
    is cut on its own (``epoch``), and each stretch's last window too short for a set
    (eeg_bands: 33 samples at 128 Hz) is dropped; ``start``/``end`` are on the file's clock,
    its timestamps (since session 54: they counted from the start of the stretch)."""
    rng = np.random.default_rng(5)
    n1, n2 = 2 * 512 + 20, 512 + 40  # tails of 20 (dropped) and 40 samples (kept)
    t = np.concatenate([np.arange(n1) / SF, 100.0 + np.arange(n2) / SF]) + 1.5e9
    df = pd.DataFrame(rng.standard_normal((n1 + n2, 4)) * 20.0, columns=list(MUSE))
    df.insert(0, "timestamps", t)
    path = tmp_path / "gap.csv"
    df.to_csv(path, index=False)
    out = tmp_path / "w.parquet"
    with warnings.catch_warnings():
        warnings.simplefilter("error", EEGChannelWarning)
        assert main(["extract", "--set", "eeg_stats,eeg_bands", str(path), "-o", str(out),
                     "--segment", "4s", "-q"]) == 0
    table = table_of(out)
    got = table.index[["epoch", "start", "end"]].to_numpy().tolist()
    assert got == [[0, 0.0, 4.0], [0, 4.0, 8.0], [1, 100.0, 104.0],
                   [1, 104.0, 104.0 + 40 / SF]]
    assert np.isfinite(table.X).all()
    # the kept short window's row: that of its samples alone
    last = df[list(MUSE)].to_numpy().T[:, n1 + 512:]
    ext = get_extractor("eeg_stats").fit([(last, SF, MUSE)])
    np.testing.assert_allclose(table.X[3, :len(ext.feature_names())],
                               ext.transform([(last, SF, MUSE)])[0], rtol=1e-12)


NAMES4 = ("AF3", "AF4", "F3", "F4")


def _rqa_eeg_1s(**kw):  # RQA windows of 1 s inside each --segment window: 128 samples
    return RQAEEG(window=1.0, **kw)


#: fewest samples each set analyses at 128 Hz with its defaults: the 1-4 Hz delta band needs
#: bins under 4 Hz apart (33 samples), eeg_spectral's 1-45 Hz range two bins (6: one bin's
#: entropy and edges do not depend on the signal, session 57; 3, one bin, before), Hjorth two
#: second differences (4: the complexity's variance of one is 0, session 56), eeg_stats'
#: kurtosis 4 samples to depend on them, rqa_eeg one state vector (dim 3, delay 1) or, with
#: 1 s RQA windows, one window
MIN_AT_128 = {EEGStats: 4, EEGBandPower: 33, EEGDifferentialEntropy: 33, EEGAsymmetry: 33,
              EEGSpectral: 6, EEGHjorth: 4, RQAEEG: 3, _rqa_eeg_1s: 128}


@pytest.mark.parametrize("cls", [EEGStats, *SETS])
@pytest.mark.parametrize("sf", [128.0, 250.0, 512.0])
def test_min_samples_is_where_too_short_ends(cls, sf):
    """``min_samples`` at a rate is one more than the longest input the set refuses as too
    short: one sample less is ``TooShortError``, and every length from there to 4 s is
    analysed (the runner's rule for a last window rests on it)."""
    ext = cls(sfreq=sf, ch_names=NAMES4).fit()
    m = ext.min_samples()
    assert m == cls().min_samples(sf)  # the set's rate, or the one asked about
    x = np.random.default_rng(4).standard_normal((4, int(4 * sf)))
    if m > 1:
        with pytest.raises(TooShortError, match=rf"{m - 1} sample.* {m} samples( \(|$)"):
            ext.transform([(x[:, : m - 1], sf)])  # naming the minimum
    assert not any((ext._length_problem(n, sf) or (False,))[0] for n in range(m, x.shape[1]))
    assert np.isfinite(ext.transform([(x[:, :m], sf)])).all()


@pytest.mark.parametrize("given", [True, False], ids=["sfreq", "no-sfreq"])
@pytest.mark.parametrize("cls", [EEGStats, *SETS, RQAEEG, _rqa_eeg_1s])
def test_a_last_window_too_short_for_the_set_is_dropped_as_for_audio(cls, given):
    """``--segment``: a last window shorter than the others but at least ``min_samples``
    long, and longer than the EEG tail rule's quarter second (33 samples at 128 Hz, the band
    sets' minimum, whatever the set: compute.EEG_TAIL_SECONDS, test_audio_left42.py), is
    kept, a shorter one is dropped (the first window is kept however short), as the
    runner does for an audio set's last window shorter than 60 ms; no NaN row and no
    warning (it was a NaN row with a warning, a row of statistics of 1-3 samples for
    ``eeg_stats``); ``start``/``end`` are those of the windows kept, and each row is the
    features of its window alone. A set without ``sfreq`` (the command line's) judges the
    window at the recording's rate."""
    from emofeat.segments import FixedSegments

    sf = 128.0
    ext = cls(sfreq=sf if given else None, ch_names=NAMES4).fit()
    m = MIN_AT_128[cls]
    # the set's own minimum, or more than 0.25 s: the band sets' minimum at the rate
    quarter = EEGBandPower(sfreq=sf, ch_names=NAMES4).min_samples(sf)
    keep = max(m, quarter)
    seg = int(4 * sf)
    for tail in sorted({max(m - 1, 1), m, m + 5, quarter - 1, quarter}):
        n = 2 * seg + tail
        x = np.random.default_rng(tail).standard_normal((4, n))
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            result = run([(x, sf, NAMES4)], [ext], segment=4)
        # a window after the first shorter than ``keep`` is left out
        want = [(a, b) for j, (a, b) in enumerate(FixedSegments(4.0).spans(n, sf))
                if j == 0 or b - a >= keep]
        assert len(want) == (3 if tail >= keep else 2)
        table = result.table
        assert len(table) == result.n_rows == result.n_segments == len(want)
        np.testing.assert_array_equal(table.index["start"], [a / sf for a, _ in want])
        np.testing.assert_array_equal(table.index["end"], [b / sf for _, b in want])
        for w, (a, b) in enumerate(want):
            np.testing.assert_allclose(table.X[w], ext.transform([(x[:, a:b], sf, NAMES4)])[0],
                                       rtol=1e-12)
    # a recording shorter than the set can analyse is still an error, not an empty result
    result = run([(x[:, : m - 1], sf, NAMES4)], [ext], segment=4, on_error="record")
    assert result.errors["error_type"].tolist() == ["TooShortError"]
    assert ext.min_samples(sf) == m


def test_a_segment_too_short_for_the_bands_is_a_parameter_problem():
    x = np.random.default_rng(0).standard_normal((2, 8 * int(SF)))
    with pytest.raises(InputError, match=r"Welch segments of 13 samples .* segment of 0.336 s") \
            as exc:
        EEGBandPower(segment=0.1, sfreq=SF).fit_transform([x])
    assert not isinstance(exc.value, TooShortError)


# ---------------------------------------------------------------- 5: error types


def test_eeg_read_errors_are_typed_and_empty_files_say_so(tmp_path):
    empty = tmp_path / "empty.edf"
    empty.write_bytes(b"")
    with pytest.raises(EmptyInputError, match=re.escape(str(empty)) + r": .*\(0 bytes\)"):
        EEGStats().fit_transform([str(empty)])
    empty_csv = tmp_path / "empty.csv"
    empty_csv.write_bytes(b"")
    with pytest.raises(EmptyInputError, match=r"\(0 bytes\)"):
        read_recording(empty_csv)
    with pytest.raises(EEGReadError, match="missing.edf: no such file"):
        read_recording(tmp_path / "missing.edf")
    pytest.importorskip("mne")
    junk = tmp_path / "junk.edf"
    junk.write_text("not an EDF\n" * 30)
    with pytest.raises(EEGReadError, match="junk.edf: cannot read EEG") as exc:
        EEGStats().fit_transform([str(junk)])
    assert isinstance(exc.value, InputError) and not isinstance(exc.value, AudioReadError)
