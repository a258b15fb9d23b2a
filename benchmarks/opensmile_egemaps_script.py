"""The script a typical user writes today: openSMILE's eGeMAPSv02 functionals of every file
of a manifest, one ``Smile.process_file`` call per file, to parquet. The baseline of
``bench_cli_egemaps.py`` (the same work as ``emofeat extract --set egemaps``).

    python benchmarks/opensmile_egemaps_script.py labels.csv out.parquet
"""

from __future__ import annotations

import sys
from pathlib import Path

import opensmile
import pandas as pd


def main(manifest: str, output: str) -> None:
    df = pd.read_csv(manifest)
    base = Path(manifest).resolve().parent
    smile = opensmile.Smile(opensmile.FeatureSet.eGeMAPSv02, opensmile.FeatureLevel.Functionals)
    rows = []
    for rel in df["path"]:
        path = Path(rel) if Path(rel).is_absolute() else base / rel
        rows.append(smile.process_file(str(path)))
    out = pd.concat(rows)
    out.to_parquet(output)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
