"""Counts in messages are worded in the singular for one and the plural otherwise
(``emofeat._wording.counted``, 177ca9c): '1 cell(s) that are not numbers', '1 sample(s) ...
are too short', 'bad channel(s)', 'unknown RQA option(s)' and their like said both at once."""

from __future__ import annotations

import re
import warnings

import numpy as np
import pandas as pd
import pytest
from emofeat.extractors import EEGStats
from emofeat.extractors.eeg_sets import _check_distinct, short_windows
from emofeat.extractors.rqa import resolve_options

from emofeat.eeg_input import check_channels, read_recording
from emofeat.errors import ChannelError
from emofeat.signal import EEGSignal

NAMES = ("TP9", "AF7", "AF8", "TP10")


def _warned(call) -> list[str]:
    with warnings.catch_warnings(record=True) as rec:
        warnings.simplefilter("always")
        call()
    return [str(w.message) for w in rec]


@pytest.mark.parametrize(("rows", "said"), [
    ([50], "has 1 cell that is not a number (in data row 51: 'bad')"),
    ([50, 60], "has 2 cells that are not numbers (the first in data row 51: 'bad')"),
])
def test_text_cells_of_a_channel(tmp_path, rows, said):
    rng = np.random.default_rng(0)
    df = pd.DataFrame({"timestamps": 1.6e9 + np.arange(256) / 256,
                       **{c: rng.standard_normal(256) for c in NAMES}}).astype({"AF7": object})
    df.loc[rows, "AF7"] = "bad"
    path = tmp_path / "cells.csv"
    df.to_csv(path, index=False)
    got = _warned(lambda: read_recording(path, picks=None))
    assert [m for m in got if "'AF7'" in m] == [f"{path}: column 'AF7' {said}; read as NaN"]


@pytest.mark.parametrize(("bad", "said"), [
    ([1], "NaN or infinite samples in channel AF7: its features are NaN in each window that "
          "holds one (the whole signal, when it is not cut into windows)"),
    ([1, 2], "NaN or infinite samples in channels AF7, AF8: their features are NaN in each "
             "window that holds one (the whole signal, when it is not cut into windows)"),
])
def test_non_finite_channels_of_an_array(bad, said):
    x = np.random.default_rng(0).standard_normal((4, 512))
    x[bad, 10] = np.nan
    ext = EEGStats(sfreq=256, ch_names=NAMES).fit()
    got = _warned(lambda: ext.transform([(x, 256.0, NAMES)]))
    assert f"<array 0>: {said}" in got, got


@pytest.mark.parametrize(("flat", "said"), [
    ([0], "bad channel: TP9 (flat)"), ([0, 3], "bad channels: TP9 (flat), TP10 (flat)"),
])
def test_bad_channels_refused(flat, said):
    x = np.random.default_rng(0).standard_normal((4, 256))
    x[flat] = 1.0
    with pytest.raises(ChannelError) as exc:
        check_channels(x, NAMES, on_bad="raise")
    assert str(exc.value) == f"<array>: {said}"


@pytest.mark.parametrize(("spans", "said"), [
    ([[0, 200], [200, 202]], "1 window from 0.781 s on gives NaN features: 2 samples "
                             "(0.00781 s at 256 Hz) are too short"),
    ([[0, 200], [200, 201], [201, 202]], "2 windows from 0.781 s on give NaN features: 1 "
                                         "sample (0.00391 s at 256 Hz) is too short"),
])
def test_short_windows(spans, said):
    x = np.random.default_rng(0).standard_normal((4, 512))
    ext = EEGStats(sfreq=256, ch_names=NAMES).fit()
    got = _warned(lambda: short_windows(ext, EEGSignal(x, 256.0, NAMES, "rec.csv", {}),
                                        np.array(spans)))
    assert len(got) == 1 and got[0].startswith(f"rec.csv: {said} for the 'eeg_stats' set"), got


@pytest.mark.parametrize(("options", "said"), [
    ({"foo": 1}, "unknown RQA option: ['foo']"),
    ({"foo": 1, "bar": 2}, "unknown RQA options: ['bar', 'foo']"),
])
def test_unknown_rqa_options(options, said):
    with pytest.raises(TypeError) as exc:
        resolve_options(**options)
    assert str(exc.value) == said


@pytest.mark.parametrize(("names", "said"), [
    (["x_a", "x_a"], "feature name 'x_a' more than once"),
    (["x_a", "x_a", "y", "y"], "feature names 'x_a', 'y' more than once"),
])
def test_eeg_feature_names_twice(names, said):
    with pytest.raises(ValueError) as exc:
        _check_distinct("eeg_bands", names)
    assert str(exc.value).startswith(f"eeg_bands: the band and channel names give the {said}")


def test_lexicon_column_name_twice(tmp_path):
    from emofeat.extractors._text_features import TextFeaturizer

    path = tmp_path / "mine.tsv"
    path.write_text("happy\tjoy\t1\nsad\tn_matched\t1\n", encoding="utf-8")
    with pytest.raises(ValueError) as exc:
        TextFeaturizer([("user", path)])
    assert str(exc.value).startswith(
        "lexicon column name ['lexicon_mine_n_matched'] would be made twice"), exc.value


@pytest.mark.parametrize(("rows", "n", "said"), [
    ([3], 10, "1 of the 10 rows has no finite feature (row 3): it gets no prediction"),
    ([0], 1, "the only row has no finite feature (row 0): it gets no prediction"),
    ([3, 4], 10, "2 of the 10 rows have no finite feature (rows 3, 4): they get no prediction"),
])
def test_rows_without_a_finite_feature(rows, n, said):
    """predict's, evaluate's and train's warning on blank rows said '1 of the 10 rows have
    no finite feature (rows 3): they get ...'."""
    from emofeat.classifiers.compatibility import blank_rows_message

    assert blank_rows_message(np.array(rows), n).startswith(said)
    test_table = blank_rows_message(np.array(rows), n, "left out", "rows of the test table")
    # '1 of the 1 row' read as a slip: 'the only row'
    start = ("the only row of the test table has" if n == 1 else
             f"{len(rows)} of the {n} rows of the test table "
             f"{'has' if len(rows) == 1 else 'have'}")
    assert test_table.startswith(start), test_table


@pytest.mark.parametrize(("n_blank", "said"), [(1, "imputed whole, it would be"),
                                               (2, "imputed whole, each would be")])
def test_training_rows_without_a_finite_feature(n_blank, said):
    """train()'s warning said '(imputed whole, each would be ...)' of one row."""
    from emofeat.classifiers.validation import Prepared, without_blank_rows

    X = np.ones((6, 2))
    X[:n_blank] = np.nan
    prep = Prepared(X=X, y=np.array(list("ab") * 3), rows=np.arange(6),
                    index=pd.DataFrame({"label": list("ab") * 3}), task="classification",
                    dropped=0)
    with pytest.warns(UserWarning, match=said):
        without_blank_rows(prep, training=True)


@pytest.mark.parametrize(("rows", "said"), [
    ([3], ["1 of the 10 rows is an input shorter", "row 3 (1.00 s); its features",
           "so its prediction (x)", "drop that row or treat its prediction as missing",
           "1 of the 10 rows has the features of a constant signal", "equal): row 3; its",
           "drop that row, or treat its prediction as missing",
           "1 of the 10 rows holds an empty text", "text; row 3): its features",
           "so its prediction (x)"]),
    ([3, 4], ["2 of the 10 rows are inputs shorter", "rows 3 (1.00 s), 4 (1.00 s); their",
              "so their prediction (x)", "drop those rows or treat their predictions",
              "2 of the 10 rows have the features of a constant signal",
              "equal): rows 3, 4; their", "drop those rows, or treat their predictions",
              "2 of the 10 rows hold an empty text", "text; rows 3, 4): their features",
              "so their prediction (x)"]),
])
def test_rows_of_short_constant_or_empty_inputs(rows, said):
    """predict's other warnings on rows said '1 of the 10 rows are inputs ... rows 3; their
    features ... drop those rows' (and 'have', 'hold') for one."""
    from emofeat.classifiers import compatibility as C

    r = np.array(rows)
    text = " | ".join([C.short_input_message(r, 10, np.ones(10), 3.0, None, ["x"]),
                       C.constant_signal_message(r, 10, None, ["x"]),
                       C.empty_text_message(r, 10, ["x"])])
    missing = [s for s in said if s not in text]
    assert not missing, (missing, text)


@pytest.mark.parametrize(("n", "said"), [
    (1, "1 sample at 16000 Hz is shorter than one analysis frame (400 samples)"),
    (2, "2 samples at 16000 Hz are shorter than one analysis frame (400 samples)"),
])
def test_an_input_shorter_than_a_frame(n, said):
    from emofeat.extractors import MFCC

    assert said in str(MFCC().too_short(n, 16000.0, "<x>"))


@pytest.mark.parametrize(("n", "said"), [
    (1, "1 sample gives no state vector"), (2, "2 samples give no state vector"),
])
def test_an_rqa_series_too_short(n, said):
    from emofeat.extractors.rqa import prepare_series

    from emofeat.errors import TooShortError

    with pytest.raises(TooShortError, match=said):
        prepare_series(np.arange(n, dtype=float), resolve_options(dim=3, delay=1, radius=1.0))


@pytest.mark.parametrize(("names", "said"), [
    (("a", "b"), "2 channel names for 1 channel"),
    (("a",), "1 channel name for 2 channels"),
])
def test_channel_names_against_channels(names, said):
    from emofeat.readers import EEGReader

    x = np.zeros((1 if len(names) == 2 else 2, 64))
    with pytest.raises(ChannelError, match=said):
        EEGReader().read((x, 256.0, names))


def test_a_table_of_one_row():
    from emofeat.table import FeatureTable

    one = FeatureTable(X=np.zeros((1, 1)), feature_names=["f"], index=pd.DataFrame({"a": [1]}))
    assert repr(one).startswith("FeatureTable(1 row x 1 feature, ")
    with pytest.raises(ValueError, match="index has 1 row, X has 2"):
        FeatureTable(X=np.zeros((2, 1)), feature_names=["f"], index=pd.DataFrame({"a": [1]}))


@pytest.mark.parametrize(("n", "said"), [
    (1, "1 sample (0.00391 s at 256 Hz) is too short for the 'eeg_bands' set: "),
    (2, "2 samples (0.00781 s at 256 Hz) are too short for the 'eeg_bands' set: "),
])
def test_a_spectrum_too_short_for_a_band(n, said):
    from emofeat.extractors.eeg_sets import _resolution_problem

    too_short, problem = _resolution_problem("eeg_bands", (("delta", (1.0, 4.0)),), False,
                                             256.0, n, 512)
    assert too_short and problem.startswith(said), problem


@pytest.mark.parametrize("n", [1, 2])
def test_egemaps_short_and_clipped_inputs(n):
    """eGeMAPS said '1 samples is shorter than one 60 ms pitch frame', '2 samples is', and
    '1 of 100 samples lie beyond +-1'."""
    from emofeat.extractors import egemaps as E

    with pytest.warns(UserWarning, match=(
            f"<x>: {n} sample{'s are' if n == 2 else ' is'} shorter than one 60 ms pitch "
            "frame")):
        E.egemaps_functionals(np.zeros(n), source="<x>")
    y = np.zeros(100)
    y[:n] = 2.0
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        E.pcm16(y, source="<x>")
    assert [str(w.message).split(" (")[0] for w in caught] == [
        f"<x>: {n} of 100 samples {'lie' if n == 2 else 'lies'} beyond +-1"]


@pytest.mark.parametrize(("y", "said"), [
    ([np.nan], "1 of 1 sample is NaN or infinite"),
    ([np.nan, 0.5], "1 of 2 samples is NaN or infinite"),
    ([np.nan, np.inf], "2 of 2 samples are NaN or infinite"),
])
def test_non_finite_samples(y, said):
    """The audio reader said '1 of 1 samples are NaN or infinite'."""
    from emofeat.audio import prepare_signal
    from emofeat.errors import NonFiniteInputError

    with pytest.raises(NonFiniteInputError, match=re.escape(said)):
        prepare_signal(np.array(y), 16000, 16000, source="x")


@pytest.mark.parametrize(("n", "said"), [(400, "1 of 1 frame has NaN or infinite descriptors"),
                                         (600, "2 of 2 frames have NaN or infinite")])
def test_librosa_frames_overflowing(n, said):
    """The librosa set said '1 of 1 frames have NaN or infinite descriptors'."""
    from emofeat.extractors import LibrosaFeatures

    y = np.sin(np.arange(n) / 5.0) * 1e20  # far beyond [-1, 1]: the analysis overflows
    with pytest.warns(UserWarning, match=f"<array 0>: {said}"), np.errstate(all="ignore"):
        LibrosaFeatures(level="lld").fit_transform([(y, 16000)])
