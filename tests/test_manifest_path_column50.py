"""A manifest without a ``path`` column says how to name the column that holds the paths
(hunt of session 50).

EmoDB's labels.csv with its header written ``Path`` (or ``file``, as many corpora's tables
name it) said ``a manifest needs a 'path' column, found ['Path', 'speaker', ...]`` and no
more, from ``emofeat extract`` and from ``emofeat.datasets.load_manifest``, though
``--input-column Path`` (``path_column='Path'``) reads it. The message now names the flag,
with the column's own spelling where it differs only in case.
"""

from __future__ import annotations

import pandas as pd
import pytest
from conftest import shared_path

from emofeat.cli import main
from emofeat.datasets import load_manifest


@pytest.mark.parametrize("header,said", [
    ("Path", "; to read 'Path': path_column='Path' (emofeat extract: --input-column Path)"),
    ("file", "; if a column of another name holds the paths, name it with path_column= "
             "(emofeat extract: --input-column)")])
def test_the_column_of_paths_is_said_to_be_named(tmp_path, capsys, header, said):
    labels = pd.read_csv(shared_path("speech", "emodb", "labels.csv"), dtype=str).head(3)
    labels["path"] = [str(shared_path("speech", "emodb", p)) for p in labels.path]
    manifest = tmp_path / "m.csv"
    labels.rename(columns={"path": header}).to_csv(manifest, index=False)
    with pytest.raises(ValueError, match="a manifest needs a 'path' column") as info:
        load_manifest(manifest)
    assert str(info.value).endswith(said), info.value
    capsys.readouterr()
    assert main(["extract", "-q", str(manifest), "-o", str(tmp_path / "o.parquet")]) == 2
    assert said in capsys.readouterr().err
    # the way the message gives reads it: the same rows as under 'path'
    assert main(["extract", "-q", str(manifest), "--input-column", header,
                 "-o", str(tmp_path / "o.parquet")]) == 0
    assert pd.read_parquet(tmp_path / "o.parquet")[header].tolist() == labels.path.tolist()
