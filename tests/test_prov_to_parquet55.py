"""FeatureTable.to_parquet names the pyarrow that wrote the file (review RC of e9f8bfb, helper
C3, session 55).

Since e9f8bfb a run names pyarrow only where it wrote an output; a run's table in memory names
none, and to_parquet wrote it without adding it: run(EmoDB 03a01Fa, 03a01Nc).table.to_parquet(p)
recorded {'miniaudio'} (at 4cec1bb {'miniaudio', 'pyarrow'}) though pyarrow wrote the file.
Exact comparison of the version (no tolerance).
"""

from __future__ import annotations

import json

import pyarrow as pa
import pyarrow.parquet as pq

from emofeat.registry import get_extractor
from emofeat.runner import run
from emofeat.table import FeatureTable


def _environment(path) -> dict:
    return json.loads(pq.read_schema(path).metadata[b"emofeat"])["provenance"]["environment"]


def test_to_parquet_names_pyarrow(tmp_path, emodb_dir):
    table = run([str(emodb_dir / f) for f in ("03a01Fa.flac", "03a01Nc.flac")],
                [get_extractor("mfcc")]).table
    assert "pyarrow" not in table.provenance["environment"]  # in memory: written by nothing
    path = tmp_path / "t.parquet"
    table.to_parquet(path)
    assert _environment(path).get("pyarrow") == pa.__version__
    assert "pyarrow" not in table.provenance["environment"]  # the table itself is unchanged
    # a file written by another pyarrow, read and written again here, names both
    again = FeatureTable.from_arrow(pq.read_table(path))
    again.provenance["environment"]["pyarrow"] = "0.1.0"
    again.to_parquet(tmp_path / "u.parquet")
    assert _environment(tmp_path / "u.parquet")["pyarrow"] == f"0.1.0, {pa.__version__}"
