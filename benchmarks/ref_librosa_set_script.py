"""The script a typical librosa user writes for the ``librosa`` set's descriptors: one STFT per
file shared by every ``librosa.feature`` call (``S=``, ``chroma=``: librosa's documented way to
avoid recomputing the spectrogram), MFCC from the mel spectrogram, deltas, then mean and std
of every descriptor, to parquet. The baseline of ``bench_cli_sets.py --sets librosa`` (the
same work as ``emofeat extract --set librosa --param "functionals=('mean','std')"``; the
descriptors as in ``bench_librosa.py``'s ``librosa_shared_stft``).

    python benchmarks/ref_librosa_set_script.py manifest.csv out.parquet
"""

from __future__ import annotations

import sys
from pathlib import Path

import librosa
import numpy as np
import pandas as pd

NOTES = ["C", "C#", "D", "D#", "E", "F", "F#", "G", "G#", "A", "A#", "B"]


def features(y: np.ndarray, sr: int) -> dict[str, np.ndarray]:
    f = librosa.feature
    mag = np.abs(librosa.stft(y))  # n_fft 2048, hop 512, centred
    power = mag**2
    chroma = f.chroma_stft(S=power, sr=sr)
    mel = f.melspectrogram(S=power, sr=sr)
    mfcc = f.mfcc(S=librosa.power_to_db(mel), n_mfcc=20)
    blocks = {
        "chroma": (chroma, NOTES),
        "mel": (mel, range(mel.shape[0])),
        "spectral_centroid": (f.spectral_centroid(S=mag, sr=sr), None),
        "spectral_bandwidth": (f.spectral_bandwidth(S=mag, sr=sr), None),
        "spectral_contrast": (f.spectral_contrast(S=mag, sr=sr), range(7)),
        "spectral_flatness": (f.spectral_flatness(S=mag), None),
        "spectral_rolloff": (f.spectral_rolloff(S=mag, sr=sr), None),
        "zcr": (f.zero_crossing_rate(y), None),
        "rms": (f.rms(S=mag), None),
        "tonnetz": (f.tonnetz(chroma=chroma, sr=sr), range(6)),
        "poly": (f.poly_features(S=mag, sr=sr), ["f1", "f0"]),
        "mfcc": (mfcc, range(20)),
    }
    out = {}
    for name, (values, labels) in blocks.items():
        if labels is None:
            out[name] = values[0]
        else:
            for label, row in zip(labels, values, strict=True):
                out[f"{name}_{label}"] = row
    for k, row in enumerate(f.delta(mfcc)):
        out[f"mfcc_{k}_delta"] = row
    for k, row in enumerate(f.delta(mfcc, order=2)):
        out[f"mfcc_{k}_delta2"] = row
    return out


def main(manifest: str, output: str) -> None:
    df = pd.read_csv(manifest)
    base = Path(manifest).resolve().parent
    rows = []
    for rel in df["path"]:
        y, sr = librosa.load(rel if Path(rel).is_absolute() else base / rel, sr=16000)
        row = {}
        for name, values in features(y, sr).items():
            row[f"{name}_mean"] = values.mean()
            row[f"{name}_std"] = values.std()
        rows.append(row)
    out = pd.DataFrame(rows)
    out.insert(0, "path", df["path"])
    out.to_parquet(output)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
