"""The script a typical user writes today: librosa MFCC + deltas + mean/std per file, to
parquet. The baseline of ``bench_cli_mfcc.py`` (the same work as ``emofeat extract --set mfcc``
with the ``mean`` and ``std`` functionals).

    python benchmarks/librosa_mfcc_script.py labels.csv out.parquet
"""

from __future__ import annotations

import sys
from pathlib import Path

import librosa
import numpy as np
import pandas as pd


def main(manifest: str, output: str) -> None:
    df = pd.read_csv(manifest)
    base = Path(manifest).resolve().parent
    rows = []
    for rel in df["path"]:
        y, sr = librosa.load(base / rel if not Path(rel).is_absolute() else rel, sr=16000)
        m = librosa.feature.mfcc(y=y, sr=sr, n_mfcc=13, n_fft=400, hop_length=160, n_mels=40)
        feats = np.vstack([m, librosa.feature.delta(m), librosa.feature.delta(m, order=2)])
        rows.append(np.concatenate([feats.mean(axis=1), feats.std(axis=1)]))
    out = pd.DataFrame(np.asarray(rows), columns=[f"f{k}" for k in range(len(rows[0]))])
    out.insert(0, "path", df["path"])
    out.to_parquet(output)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
