"""Small synthetic feature tables for the classifier tests (no audio, fast)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from emofeat.table import FeatureTable

EMOTIONS = ("angry", "happy", "neutral", "sad")


def make_table(n_speakers: int = 6, per_class: int = 6, n_features: int = 8,
               speaker_shift: float = 3.0, seed: int = 0,
               emotions: tuple[str, ...] = EMOTIONS) -> FeatureTable:
    """Rows per speaker x class; features = class signal + a per-speaker offset + noise."""
    rng = np.random.default_rng(seed)
    centres = rng.normal(0, 1.5, (len(emotions), n_features))
    rows, X = [], []
    for s in range(n_speakers):
        offset = rng.normal(0, speaker_shift, n_features)
        for c, emo in enumerate(emotions):
            for r in range(per_class):
                X.append(centres[c] + offset + rng.normal(0, 1, n_features))
                rows.append({"path": f"spk{s:02d}/{emo}_{r}.wav", "speaker": f"{s:02d}",
                             "emotion": emo, "trial": f"{s:02d}-{emo}-{r // 2}",
                             "valence": float(c) + rng.normal(0, 0.3)})
    names = [f"mfcc{j}_mean" if j < n_features // 2 else f"f0_stat{j}" for j in range(n_features)]
    return FeatureTable(X=np.asarray(X), feature_names=names, index=pd.DataFrame(rows),
                        provenance={"sets": [{"name": "synthetic"}]})
