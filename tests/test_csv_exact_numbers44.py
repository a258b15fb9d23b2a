"""Numbers in manifests are read as written (session 44).

pandas 2's default ``read_csv`` parser reads some 17-digit numbers a unit in the last place
off the double Python's ``float`` gives (pandas 3's default does not). Session 43 made EEG
CSV recordings exact; a segment manifest's ``start`` / ``end`` and a text manifest's number
columns were still read so: a segment a sample off where ``start * sr`` sits on a half, a
label that differed from the one written. Each is compared with Python's ``float`` of the
cells here, under whichever pandas is installed (the floors' pandas 2.2.2 failed these).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from emofeat.cli import _read_texts
from emofeat.datasets import load_manifest


def _written(path, column: str) -> np.ndarray:
    lines = path.read_text().splitlines()
    j = lines[0].split(",").index(column)
    return np.array([float(line.split(",")[j]) for line in lines[1:]])


def _numbers(n: int = 2000) -> np.ndarray:
    # 17 significant digits as to_csv writes a double's repr: where pandas 2's parser slipped
    return np.random.default_rng(44).uniform(0.0, 3.0, n)


def test_segment_manifest_start_and_end_are_the_numbers_written(tmp_path):
    start = _numbers()
    frame = pd.DataFrame({"path": [f"a{i}.wav" for i in range(len(start))],
                          "start": start, "end": start + 0.5})
    csv = tmp_path / "segments.csv"
    frame.to_csv(csv, index=False)
    got = load_manifest(csv, check_files=False)
    np.testing.assert_array_equal(got["start"].to_numpy(), _written(csv, "start"))
    np.testing.assert_array_equal(got["end"].to_numpy(), _written(csv, "end"))
    # to_csv writes each double's shortest repr: read exactly, the numbers come back
    np.testing.assert_array_equal(got["start"].to_numpy(), start)


def test_text_manifest_number_columns_are_the_numbers_written(tmp_path):
    valence = _numbers()
    frame = pd.DataFrame({"text": [f"text {i}" for i in range(len(valence))],
                          "valence": valence})
    csv = tmp_path / "texts.csv"
    frame.to_csv(csv, index=False)
    got = _read_texts(csv, "text")
    np.testing.assert_array_equal(got["valence"].to_numpy(), _written(csv, "valence"))
