"""CSV recordings as other tools write them (review of session 52's CSV reader changes).

Each file is written from a real Muse recording of ../shared/data, so what is read must be
that recording: the same four electrodes, the same samples (exactly: the cells are copied),
the same rate.

- R's ``write.table(sep=",")`` writes its row names as each row's first field without a
  header cell: pandas' default takes them as the index. ``index_col=False`` (for rows ending
  in a delimiter) read such a file's columns shifted and refused it.
- pandas' ``DataFrame.to_csv`` writes the row index first under an empty header cell
  ("Unnamed: 0"): its row numbers were read as a fifth EEG channel.
- Blanks after the last line break are no row: the cut-row rule dropped the last (complete)
  sample with a "cut short" warning.
- A Muse file whose samples reach the headband's input limits warns of them when
  ``Right AUX`` is picked too.
"""

from __future__ import annotations

import warnings

import numpy as np
import pytest
from conftest import shared_path

from emofeat.eeg_input import read_recording
from emofeat.readers import EEGChannelWarning


def _muse(name: str = "subjecta-relaxed-1.csv"):
    return shared_path("eeg", "muse_mental_state", name)


def _same(got, want) -> None:
    assert got.ch_names == want.ch_names == ("TP9", "AF7", "AF8", "TP10")
    assert got.sfreq == want.sfreq and got.breaks == want.breaks
    np.testing.assert_array_equal(got.data, want.data)


def _read_quietly(path):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        return read_recording(path)


def test_r_write_table_row_names(tmp_path):
    lines = _muse().read_text().splitlines()
    header = ",".join(f'"{name}"' for name in lines[0].split(","))
    path = tmp_path / "r_table.csv"
    path.write_text("\n".join([header, *(f'"{i}",{line}' for i, line in
                                         enumerate(lines[1:], 1))]) + "\n")
    _same(_read_quietly(path), read_recording(_muse()))


def test_pandas_to_csv_index_is_no_channel(tmp_path):
    lines = _muse().read_text().splitlines()
    path = tmp_path / "pd_index.csv"
    path.write_text("\n".join(["," + lines[0], *(f"{i},{line}" for i, line in
                                                 enumerate(lines[1:]))]) + "\n")
    _same(_read_quietly(path), read_recording(_muse()))


@pytest.mark.parametrize("tail", [" ", "\t", "  \n", "\n \n"])
def test_blanks_after_the_last_line_break(tmp_path, tail):
    path = tmp_path / "blank_end.csv"
    path.write_bytes(_muse().read_bytes().rstrip(b"\r\n") + b"\n" + tail.encode())
    _same(_read_quietly(path), read_recording(_muse()))


def test_muse_limits_warned_with_right_aux_picked():
    path = _muse("subjectc-neutral-1.csv")  # AF8 at the limits in 109 of 15,204 samples
    with warnings.catch_warnings(record=True) as said:
        warnings.simplefilter("always")
        rec = read_recording(path, picks=["TP9", "AF7", "AF8", "TP10", "Right AUX"])
    assert rec.ch_names[-1] == "Right AUX"
    clipped = [str(w.message) for w in said if issubclass(w.category, EEGChannelWarning)
               and "input limits" in str(w.message)]
    assert len(clipped) == 1 and "AF8 109 of 15204" in clipped[0]
    assert "Right AUX" not in clipped[0].split(":", 1)[1]


@pytest.mark.parametrize("case", ["header_one_name_short", "first_row_one_more_value"])
def test_one_more_value_that_is_no_row_name_reads_as_before(tmp_path, case):
    """Review R2 of the R row-names re-read: pandas warns of one more value than the header
    for files that are no R files too (a header without its last name, 'Right AUX', while
    every row holds it; one malformed first row). Those were read right, with pandas'
    warning, and were then refused ('time column is not increasing': the time read as the
    index). Only an index of R's row names (1, 2, ..., n, or text) is taken as such."""
    lines = _muse().read_text().splitlines()
    if case == "header_one_name_short":
        text = [lines[0].rsplit(",", 1)[0], *lines[1:]]
    else:
        text = [lines[0], lines[1] + ",5.0", *lines[2:]]
    path = tmp_path / f"{case}.csv"
    path.write_text("\n".join(text) + "\n")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # pandas' own ParserWarning, as before
        got = read_recording(path)
    _same(got, read_recording(_muse()))
