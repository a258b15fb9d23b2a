"""A label column whose values change type between runs into one output (hunt of session 46).

Words in one run and integer codes in the next (a relabel of the same files), decimals in one
batch and whole numbers in the next, a column blank in one batch and filled in the next: the
second run exited 0 and left a dataset folder that neither ``emofeat info`` nor
``pandas.read_parquet`` could read again (``Failed to parse string: 'surprised' as a scalar
of type int64``), or a file run failed on pyarrow's bare words, its parts stuck for every
retry. Now a type a run's values fit is taken (whole numbers where the output holds
decimals; a column this run leaves blank; a column the rows held leave blank, a dataset
folder's too since session 47), and any other mix is refused before anything is written, naming the column and both types.
"""

from __future__ import annotations

import re

import pandas as pd
import pytest

from emofeat import read_table
from emofeat.cli import main
from emofeat.store import _type_kind


@pytest.fixture(scope="module")
def files(ravdess_two_speakers_six):
    return ravdess_two_speakers_six


def _run(tmp_path, name, frame, out, capsys):
    manifest = tmp_path / name
    frame.to_csv(manifest, index=False)
    code = main(["extract", "--set", "mfcc", str(manifest), "-o", str(out), "-q"])
    return code, capsys.readouterr().err


def _out(tmp_path, layout):
    return tmp_path / ("out.parquet" if layout == "file" else "out")


@pytest.mark.parametrize("layout", ["file", "dataset"])
def test_words_then_codes_of_the_same_files_is_refused_and_the_output_stays(
        tmp_path, files, layout, capsys):
    out = _out(tmp_path, layout)
    words = pd.DataFrame({"path": files, "emotion": ["neutral", "calm", "happy"] * 2})
    assert _run(tmp_path, "a.csv", words, out, capsys)[0] == 0
    codes = words.assign(emotion=words.emotion.map({"neutral": 1, "calm": 2, "happy": 3}))
    code, err = _run(tmp_path, "b.csv", codes[:3], out, capsys)
    assert code == 2, err
    # pandas 3 writes text as large_string, pandas 2 (the floor) as string
    assert re.search(r"column 'emotion' holds whole numbers \(int64\) in this run's inputs "
                     r"and text \((large_)?string\) in the rows the output holds", err), err
    assert "write the column as text, or extract again with --overwrite" in err
    assert list(pd.read_parquet(out)["emotion"]) == list(words.emotion)
    assert list(read_table(out).index["emotion"]) == list(words.emotion)


@pytest.mark.parametrize("layout", ["file", "dataset"])
def test_whole_numbers_after_decimals_are_read_as_decimals(tmp_path, files, layout, capsys):
    out = _out(tmp_path, layout)
    first = pd.DataFrame({"path": files[:3], "arousal": [1.5, 2.5, 2.0]})
    second = pd.DataFrame({"path": files[3:], "arousal": [3, 4, 1]})
    assert _run(tmp_path, "a.csv", first, out, capsys)[0] == 0
    code, err = _run(tmp_path, "b.csv", second, out, capsys)
    assert code == 0, err
    got = pd.read_parquet(out)
    assert got["arousal"].dtype == "float64"
    assert list(got["arousal"]) == [1.5, 2.5, 2.0, 3.0, 4.0, 1.0]
    assert list(read_table(out).index["arousal"]) == list(got["arousal"])


@pytest.mark.parametrize("layout", ["file", "dataset"])
def test_decimals_after_whole_numbers_widen_the_column(tmp_path, files, layout, capsys):
    """Whole numbers, then a batch with a blank cell (pandas: decimals) and a half: the
    column becomes decimals; a folder's parts of whole numbers are rewritten, since a reader
    that takes the first part's type refused 0.5 ("Float value 0.5 was truncated")."""
    out = _out(tmp_path, layout)
    first = pd.DataFrame({"path": files[:3], "arousal": [1, 2, 3]})
    second = pd.DataFrame({"path": files[3:], "arousal": [1.5, None, 2.0]})
    assert _run(tmp_path, "a.csv", first, out, capsys)[0] == 0
    code, err = _run(tmp_path, "b.csv", second, out, capsys)
    assert code == 0, err
    got = pd.read_parquet(out)
    assert got["arousal"].dtype == "float64"
    assert got["arousal"].fillna(-1).tolist() == [1.0, 2.0, 3.0, 1.5, -1.0, 2.0]
    assert read_table(out).index["arousal"].fillna(-1).tolist() == got[
        "arousal"].fillna(-1).tolist()
    if layout == "dataset":
        import pyarrow.parquet as pq

        assert {str(pq.read_schema(p).field("arousal").type)
                for p in out.glob("part-*")} == {"double"}


@pytest.mark.parametrize("layout", ["file", "dataset"])
def test_a_column_blank_in_the_first_batch_then_filled(tmp_path, files, layout, capsys):
    out = _out(tmp_path, layout)
    first = pd.DataFrame({"path": files[:3], "split": [None] * 3})
    second = pd.DataFrame({"path": files[3:], "split": ["test"] * 3})
    assert _run(tmp_path, "a.csv", first, out, capsys)[0] == 0
    code, err = _run(tmp_path, "b.csv", second, out, capsys)
    # a file's merge writes every row anew, as text; a folder's parts that leave it blank
    # are rewritten as text (session 47: the folder refused the run, the file took it)
    assert code == 0, err
    assert list(pd.read_parquet(out)["split"].fillna("")) == [""] * 3 + ["test"] * 3
    assert list(read_table(out).index["split"].fillna("")) == [""] * 3 + ["test"] * 3
    if layout == "dataset":
        import pyarrow.parquet as pq

        assert {_type_kind(pq.read_schema(p).field("split").type)
                for p in [*out.glob("part-*"), out / "_common_metadata"]} == {"text"}


@pytest.mark.parametrize("layout", ["file", "dataset"])
def test_a_column_this_run_leaves_blank_takes_the_outputs_type(tmp_path, files, layout,
                                                                capsys):
    out = _out(tmp_path, layout)
    first = pd.DataFrame({"path": files[:3], "split": ["train"] * 3})
    second = pd.DataFrame({"path": files[3:], "split": [None] * 3})
    assert _run(tmp_path, "a.csv", first, out, capsys)[0] == 0
    code, err = _run(tmp_path, "b.csv", second, out, capsys)
    assert code == 0, err
    got = pd.read_parquet(out)
    assert list(got["split"].iloc[:3]) == ["train"] * 3 and got["split"].iloc[3:].isna().all()
