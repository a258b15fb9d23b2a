"""The script a typical pyAudioAnalysis user writes for one row per file: the short-term
features with deltas (``ShortTermFeatures.feature_extraction``, 50 ms frames every 25 ms, the
README's values), then their mean and std over the file, to parquet. The baseline of
``bench_cli_sets.py --sets paa`` (the same work as ``emofeat extract --set paa``, whose default
functionals are exactly these: pyAudioAnalysis's mid-term statistics over one window spanning
the file).

pyAudioAnalysis's own reader (``audioBasicIO.read_audio_file``) reads WAV, AIFF and, through
ffmpeg, MP3/AU/OGG, not FLAC: the RAVDESS copy is FLAC, so the file is read with soundfile as
16-bit integers, the scale pyAudioAnalysis expects.

    python benchmarks/ref_paa_script.py manifest.csv out.parquet
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pandas as pd
import soundfile as sf
from pyAudioAnalysis import ShortTermFeatures


def main(manifest: str, output: str) -> None:
    df = pd.read_csv(manifest)
    base = Path(manifest).resolve().parent
    rows = []
    for rel in df["path"]:
        signal, fs = sf.read(rel if Path(rel).is_absolute() else base / rel, dtype="int16")
        feats, names = ShortTermFeatures.feature_extraction(
            signal, fs, round(0.050 * fs), round(0.025 * fs))
        row = {}
        for name, values in zip(names, feats, strict=True):
            name = name.replace(" ", "_")  # "delta zcr" -> "delta_zcr"
            row[f"{name}_mean"] = np.mean(values)
            row[f"{name}_std"] = np.std(values)
        rows.append(row)
    out = pd.DataFrame(rows)
    out.insert(0, "path", df["path"])
    out.to_parquet(output)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
