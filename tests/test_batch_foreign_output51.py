"""``extract -o`` naming a parquet file that emofeat did not write as features (hunt of
session 51).

A parquet file without emofeat's metadata given as the output (EmoDB's labels saved with
pandas, ``emofeat predict``'s predictions table) crashed the run before any work:
``relative_folder`` read the missing metadata as JSON, ``TypeError: the JSON object must be
str, bytes or bytearray, not NoneType``, exit 1 "this is a bug in emofeat" with a traceback.
It is refused as any file emofeat did not write is, exit 2, and left as it was.
"""

from __future__ import annotations

import pandas as pd
import pytest

from emofeat.cli import main


@pytest.mark.parametrize("index", [False, True])
def test_a_parquet_emofeat_did_not_write_is_refused_untouched(tmp_path, capsys, emodb_dir,
                                                              index):
    labels = pd.read_csv(emodb_dir / "labels.csv", dtype=str)
    manifest = tmp_path / "m.csv"
    labels.head(3).assign(path=lambda d: [str(emodb_dir / p) for p in d.path]).to_csv(
        manifest, index=False)
    out = tmp_path / "labels.parquet"  # the user's own table, given as -o by mistake
    labels.to_parquet(out, index=index)
    before = out.read_bytes()
    capsys.readouterr()
    code = main(["extract", "-q", "--set", "mfcc", str(manifest), "-o", str(out)])
    err = capsys.readouterr().err
    assert code == 2, err  # 1 before: "this is a bug in emofeat", a TypeError's traceback
    assert "is no features table emofeat wrote" in err and "Traceback" not in err, err
    assert out.read_bytes() == before
