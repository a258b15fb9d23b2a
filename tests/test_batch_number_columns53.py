"""A manifest frame whose columns are named by numbers (review RC of 1cedf96, session 53).

GoEmotions' ``test.tsv`` has no header line: pandas names its columns 0, 1, 2 and the texts
are column 0. Since 1cedf96 ``run(frame, [text_surface], input_column=0, output=...)`` wrote
the output with the columns named '0', '1', '2' (parquet stores names as text) while the run
kept 0, 1, 2 in memory; a resume of that output with more rows failed after its work
(``KeyError: "[0] not in the rows' columns"``) and left ``<output>.parts`` behind. The names
are now text in memory too, as the output has them.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from conftest import shared_path

from emofeat import read_table
from emofeat.registry import get_extractor
from emofeat.runner import run


def _goemotions(n: int) -> pd.DataFrame:
    tsv = shared_path("text", "goemotions", "test.tsv")
    frame = pd.read_csv(tsv, sep="\t", header=None, nrows=n, quoting=3, dtype=str,
                        keep_default_na=False)
    assert list(frame.columns) == [0, 1, 2]  # text, label ids, comment id
    return frame


def test_a_resume_of_an_output_of_number_columns(tmp_path):
    frame = _goemotions(12)
    out = tmp_path / "t0.parquet"
    first = run(frame.head(6), [get_extractor("text_surface")], input_column=0, output=out)
    assert first.n_rows == 6
    more = run(frame, [get_extractor("text_surface")], input_column=0, output=out)
    assert (more.n_skipped, more.n_rows) == (6, 6)  # before: KeyError after the work
    assert not (tmp_path / "t0.parquet.parts").exists()
    got = read_table(out)
    memory = run(frame, [get_extractor("text_surface")], input_column=0).table
    # memory and disk agree: the same names, rows and numbers (tolerance 0)
    assert list(got.index.columns) == list(memory.index.columns)
    assert got.index["0"].tolist() == memory.index["0"].tolist() == frame[0].tolist()
    assert got.index["2"].tolist() == frame[2].tolist()  # the comment ids kept
    np.testing.assert_array_equal(got.X, memory.X)
