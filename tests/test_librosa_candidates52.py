"""The float32 analysis's tuning peaks are librosa's ``piptrack`` candidates (session 52).

``piptrack`` zeroes the bins at or below ``threshold * S.max(axis=-2)``; on a float32
spectrum that product is float32. The set's kernel formed it in float64, so a bin between
the two thresholds counted as a candidate in ours only: RAVDESS
Actor_10/03-01-06-01-01-01-10 at 8 kHz (n_fft 512, hop 128) gave 1427 candidates for
piptrack's 1426 (frame 88, bin 244). Now the product is rounded to float32 as librosa's.

Tolerance: none: the candidates' count, frequencies and magnitudes equal (exactly, frame by
frame in order) those ``librosa.piptrack`` finds in librosa's float32 spectrum; the float64
analysis likewise against piptrack on the float64 spectrum.
"""

from __future__ import annotations

import numpy as np
import pytest
from emofeat.extractors.librosa_set import LibrosaFeatures

from emofeat.audio import load_audio

librosa = pytest.importorskip("librosa")

CONFIGS = [
    (8000, 512, 128, dict(n_bands=5, contrast_fmin=100.0)),
    (16000, 512, 160, {}),
    (16000, 2048, 512, {}),
]


def _piptrack(S: np.ndarray, sr: int, n_fft: int) -> tuple[np.ndarray, np.ndarray]:
    """piptrack's nonzero pitches and their magnitudes, frame by frame (ours' order)."""
    p, m = librosa.piptrack(S=S, sr=sr, n_fft=n_fft)
    keep = p.T > 0
    return p.T[keep], m.T[keep]


def _differ(files, sr: int, n_fft: int, hop: int, kw: dict, precision: str) -> list[str]:
    ext = LibrosaFeatures(sr=sr, n_fft=n_fft, hop_length=hop, precision=precision, **kw)
    off = []
    for f in files:
        y = load_audio(f, sr).y
        if precision == "float64":
            y = y.astype(np.float64)
        S = np.abs(librosa.stft(y, n_fft=n_fft, hop_length=hop)) ** 2
        ref_p, ref_m = _piptrack(S, sr, n_fft)
        p, m = ext.pitch_candidates(np.abs(ext.stft(y)) ** 2)
        if p.shape != ref_p.shape or not (np.array_equal(p, ref_p)
                                          and np.array_equal(m, ref_m)):
            off.append(f"{f.name}: {p.size} candidates, piptrack {ref_p.size}")
    return off


@pytest.mark.parametrize("sr, n_fft, hop, kw", CONFIGS)
def test_float32_candidates_are_piptracks(ravdess_dir, sr, n_fft, hop, kw):
    """The file where a bin fell between the float32 and float64 thresholds, and 24 more
    (every 60th: all actors)."""
    files = [ravdess_dir / "Actor_10" / "03-01-06-01-01-01-10.flac"]
    files += sorted(ravdess_dir.glob("Actor_*/*.flac"))[::60]
    assert len(files) == 25
    assert _differ(files, sr, n_fft, hop, kw, "float32") == []


def test_float64_candidates_are_piptracks(ravdess_dir):
    """The float64 analysis keeps float64 thresholds (librosa's on a float64 spectrum)."""
    files = [ravdess_dir / "Actor_10" / "03-01-06-01-01-01-10.flac"]
    files += sorted(ravdess_dir.glob("Actor_*/*.flac"))[::120]
    sr, n_fft, hop, kw = CONFIGS[0]
    assert _differ(files, sr, n_fft, hop, kw, "float64") == []
