"""A dataset folder's schema file or one of its parts given as the table (hunt of session 49).

A dataset output is a folder of parts beside ``_common_metadata``. ``emofeat info
feats/_common_metadata`` said "0 rows x 751 features" of a folder of 200 rows (real RAVDESS,
egemaps,mfcc, /tmp/s49_c/h/ds), and ``read_table`` of a part its 5 rows, without a word that
either is not the table. The schema file is refused, naming the folder; a part is read with
a warning saying it is one of the folder's parts.
"""

from __future__ import annotations

import shutil
import warnings

import pytest

from emofeat import read_table
from emofeat.cli import main
from emofeat.registry import get_extractor
from emofeat.runner import run


@pytest.fixture(scope="module")
def dataset(tmp_path_factory, emodb_dir):
    out = tmp_path_factory.mktemp("piece") / "feats"
    files = [str(p) for p in sorted(emodb_dir.glob("*.flac"))[:4]]
    run(files, [get_extractor("mfcc")], output=out, layout="dataset", chunk_size=2)
    parts = sorted(out.glob("part-*.parquet"))
    assert len(parts) == 2 and (out / "_common_metadata").is_file()
    return out, parts


def test_the_schema_file_is_refused_naming_the_folder(dataset, capsys):
    out, _ = dataset
    with pytest.raises(ValueError, match=(
            rf"_common_metadata: the schema file of the dataset folder {out}, which holds "
            rf"no rows; read the folder: {out}$")):
        read_table(out / "_common_metadata")
    capsys.readouterr()
    assert main(["info", str(out / "_common_metadata")]) == 2
    got = capsys.readouterr()
    assert "0 rows" not in got.out and f"read the folder: {out}" in got.err, got


def test_a_part_is_read_with_a_warning(dataset, capsys):
    out, parts = dataset
    with pytest.warns(UserWarning, match=(
            rf"{parts[0].name}: one of the 2 parts of the dataset folder {out}, read alone: "
            r"its 2 rows, not the table's; read the folder for the whole table")):
        assert read_table(parts[0]).shape[0] == 2
    capsys.readouterr()
    assert main(["info", str(parts[0])]) == 0
    got = capsys.readouterr()
    assert got.out.startswith(f"{parts[0]}: 2 rows") and "one of the 2 parts" in got.err, got

    with warnings.catch_warnings():  # the folder itself: no word
        warnings.simplefilter("error")
        assert read_table(out).shape[0] == 4


def test_a_file_named_like_a_part_outside_a_dataset_is_read_as_before(dataset, tmp_path):
    _, parts = dataset
    alone = tmp_path / parts[0].name
    shutil.copy(parts[0], alone)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert read_table(alone).shape[0] == 2
