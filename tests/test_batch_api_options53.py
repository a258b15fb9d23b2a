"""``emofeat.runner.run``'s ``input_column=`` and ``chunk_size=`` checked as the command's
``--input-column`` and ``--chunk-size`` are (hunt of session 53).

``run`` read its input column as ``input_column or reader's``: a falsy name was the
default column without a word. GoEmotions' TSV has no header line, so pandas names its
columns 0, 1, 2 and the texts are column 0: ``run(df, [TextSurface()], input_column=0)``
failed, ``a manifest needs a 'text' column``, for the column the caller had named; and
``input_column=''`` (refused by the command since session 50) read ``path`` instead. A
``chunk_size`` of 0, -5, 2.5 or True ran (the command refuses them: ``--chunk-size`` takes 1
or more).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from conftest import shared_path

from emofeat.registry import get_extractor
from emofeat.runner import run


def test_a_column_named_0_is_read(tmp_path):
    tsv = shared_path("text", "goemotions", "test.tsv")
    frame = pd.read_csv(tsv, sep="\t", header=None, nrows=20, quoting=3, dtype=str,
                        keep_default_na=False)
    assert list(frame.columns) == [0, 1, 2]  # text, label ids, comment id
    table = run(frame, [get_extractor("text_surface")], input_column=0).table
    assert table.shape[0] == 20  # before: ValueError, "a manifest needs a 'text' column"
    assert table.index["0"].tolist() == frame[0].tolist()  # named as an output names it
    # the same texts given as a list: the same numbers (tolerance 0)
    listed = run(frame[0].tolist(), [get_extractor("text_surface")]).table
    np.testing.assert_array_equal(table.X, listed.X)


def test_an_empty_column_name_is_refused(emodb_dir):
    frame = pd.read_csv(emodb_dir / "labels.csv", dtype=str).head(2)
    frame["path"] = [str(emodb_dir / p) for p in frame["path"]]
    for name in ("", "  "):
        with pytest.raises(ValueError, match=r"^input_column must name a column"):
            run(frame, [get_extractor("mfcc")], input_column=name)  # before: read 'path'


@pytest.mark.parametrize("size", [0, -5, 2.5, True])
def test_chunk_sizes_that_are_no_count_are_refused(emodb_dir, size):
    paths = [str(p) for p in sorted(emodb_dir.glob("03a01*.flac"))[:2]]
    with pytest.raises(ValueError, match=r"^chunk_size must be a whole number of 1 or more"):
        run(paths, [get_extractor("mfcc")], chunk_size=size)  # before: ran


def test_chunk_size_1_runs(emodb_dir):
    paths = [str(p) for p in sorted(emodb_dir.glob("03a01*.flac"))[:2]]
    one = run(paths, [get_extractor("mfcc")], chunk_size=1).table
    default = run(paths, [get_extractor("mfcc")]).table
    np.testing.assert_array_equal(one.X, default.X)
