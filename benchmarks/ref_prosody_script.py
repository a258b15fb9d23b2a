"""The script a typical librosa user writes for pitch and energy prosody: ``librosa.pyin``
(60-600 Hz, frame 1024, hop 160 at 16 kHz: the ``prosody`` set's defaults, pYIN's own defaults
otherwise) and ``librosa.feature.rms`` on the same frames, F0 in semitones, then mean and std
over the file (F0 over voiced frames) and the voicing rates, to parquet. The baseline of
``bench_cli_sets.py --sets prosody`` (the same work as ``emofeat extract --set prosody --param
"functionals=('mean','std')"``).

    python benchmarks/ref_prosody_script.py manifest.csv out.parquet
"""

from __future__ import annotations

import sys
from pathlib import Path

import librosa
import numpy as np
import pandas as pd

HOP = 160


def runs(voiced: np.ndarray) -> tuple[int, int]:
    """Numbers of voiced and unvoiced runs of a boolean track."""
    starts = np.flatnonzero(np.diff(voiced.astype(int), prepend=-1) != 0)
    n_voiced = int(voiced[starts].sum())
    return n_voiced, len(starts) - n_voiced


def main(manifest: str, output: str) -> None:
    df = pd.read_csv(manifest)
    base = Path(manifest).resolve().parent
    rows = []
    for rel in df["path"]:
        y, sr = librosa.load(rel if Path(rel).is_absolute() else base / rel, sr=16000)
        f0, voiced, prob = librosa.pyin(y, fmin=60.0, fmax=600.0, sr=sr, frame_length=1024,
                                        hop_length=HOP)
        rms = librosa.feature.rms(y=y, frame_length=1024, hop_length=HOP)[0]
        tracks = {"f0_hz": f0, "f0_semitones": 12 * np.log2(f0 / 27.5),
                  "voiced": voiced.astype(float), "voiced_prob": prob, "rms": rms}
        row = {}
        for name, values in tracks.items():
            row[f"{name}_mean"] = np.nanmean(values)
            row[f"{name}_std"] = np.nanstd(values)
        n_v, n_u = runs(voiced)
        frame_s, n = HOP / sr, len(voiced)
        row["voiced_fraction"] = voiced.mean()
        row["voiced_segments_per_s"] = n_v / (n * frame_s)
        row["mean_voiced_segment_s"] = voiced.sum() / n_v * frame_s if n_v else np.nan
        row["mean_unvoiced_segment_s"] = (n - voiced.sum()) / n_u * frame_s if n_u else np.nan
        rows.append(row)
    out = pd.DataFrame(rows)
    out.insert(0, "path", df["path"])
    out.to_parquet(output)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
