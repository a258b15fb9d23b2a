"""The default float32 ``librosa`` analysis is librosa's analysis of float32 audio (session 52).

``librosa.stft`` of float32 samples multiplies them by its float64 window, runs the FFT in
float64 and stores the result as complex64. The set ran its FFT in float32 (numbers version
1), which rounds every bin to float32's resolution of the *frame's* energy rather than the
bin's own: bins far below the frame's peak came out off librosa's. Measured before the fix
(at c8be294), librosa 0.11 on the same float32 samples: spectral contrast up to 0.33 dB off
(the top band's valleys, the 12 EmoDB files below), 1.08 dB in the top band of telephone-band
speech at 8 kHz (the 24 files below; 3.7 dB over 105 files), and the chroma tuning estimate
(the mode of a histogram with exact ties) fell otherwise than librosa's float32 one on 3 of
the 120 RAVDESS files below (8 of 240, every 6th; chroma off by up to 3.6 times). Now the
FFT is float64, rounded to complex64 as librosa's.

Tolerances (observed after the fix in brackets): spectral contrast within 1e-3 dB (1.0e-5 dB;
both sides round the same complex64 spectrum, librosa then sorts and averages in float32);
every other column ``|ours - ref| <= 1e-4 |ref| + 1e-5 max|ref column|`` (chroma 2e-6, mel
7e-7, flatness 5e-6 relative; the column-scaled term covers tonnetz values crossing zero,
2.2e-6 of the column's largest), MFCCs 1e-6 of the largest ``|mfcc_0|`` more (librosa's
float32 dB values), roll-off within one bin (librosa's cumulative sum is float32); the
tuning estimate equal to ``librosa.estimate_tuning`` of librosa's float32 spectrum on every
file at 16 kHz (on 240 RAVDESS files too, every 6th: 0 differ).
"""

from __future__ import annotations

import numpy as np
import pytest
from emofeat.extractors.librosa_set import LibrosaFeatures

from emofeat.audio import load_audio

librosa = pytest.importorskip("librosa")


def _reference(y: np.ndarray, sr: int, kw: dict) -> tuple[np.ndarray, float]:
    """librosa.feature on librosa's STFT of the float32 samples ``y`` (its float32 analysis),
    in the set's column order; the tuning ``kw['tuning']`` or librosa's estimate."""
    f = librosa.feature
    n_fft, hop = kw.get("n_fft", 2048), kw.get("hop_length", 512)
    S = np.abs(librosa.stft(y, n_fft=n_fft, hop_length=hop))
    tuning = kw.get("tuning")
    if tuning is None:
        tuning = librosa.estimate_tuning(S=S**2, sr=sr, n_fft=n_fft)
    chroma = f.chroma_stft(S=S**2, sr=sr, n_fft=n_fft, tuning=tuning)
    mel = f.melspectrogram(S=S**2, sr=sr, n_fft=n_fft)
    mfcc = f.mfcc(S=librosa.power_to_db(mel), n_mfcc=20)
    ref = np.concatenate([
        chroma, mel, f.spectral_centroid(S=S, sr=sr, n_fft=n_fft),
        f.spectral_bandwidth(S=S, sr=sr, n_fft=n_fft),
        f.spectral_contrast(S=S, sr=sr, n_fft=n_fft, n_bands=kw.get("n_bands", 6),
                            fmin=kw.get("contrast_fmin", 200.0)),
        f.spectral_flatness(S=S), f.spectral_rolloff(S=S, sr=sr, n_fft=n_fft),
        f.zero_crossing_rate(y, frame_length=n_fft, hop_length=hop),
        f.rms(S=S, frame_length=n_fft), f.tonnetz(chroma=chroma),
        f.poly_features(S=S, sr=sr, n_fft=n_fft), mfcc,
    ]).T.astype(np.float64)
    return ref, float(tuning)


def _check(files, sr: int, kw: dict) -> float:
    """Every file's LLDs against librosa's float32 analysis; the largest contrast deviation."""
    ext = LibrosaFeatures(level="lld", sr=sr, deltas=0, **kw)
    names = ext.descriptor_names()
    contrast = [j for j, n in enumerate(names) if "spectral_contrast" in n]
    roll = names.index("librosa_spectral_rolloff")
    rest = [j for j in range(len(names)) if j not in contrast and j != roll]
    mfcc = np.array([names[j].startswith("librosa_mfcc_") for j in rest])
    worst = 0.0
    for f in files:
        y = load_audio(f, sr).y
        assert y.dtype == np.float32
        ours, _ = ext.compute_lld((y, sr))
        ref, tuning = _reference(y, sr, kw)
        if kw.get("tuning") is None:
            assert ext.estimate_tuning(np.abs(ext.stft(y)) ** 2) == tuning, f.name
        worst = max(worst, float(np.abs(ours[:, contrast] - ref[:, contrast]).max()))
        assert np.all(np.abs(ours[:, roll] - ref[:, roll]) <= sr / kw.get("n_fft", 2048) + 1e-9)
        scale = np.abs(ref[:, rest]).max(axis=0)
        bound = 1e-4 * np.abs(ref[:, rest]) + 1e-5 * scale
        # librosa's power_to_db is float32: its dB values near the 80 dB floor (-800 in a
        # near-silent frame) are 6e-5 apart, which every MFCC of the frame carries
        bound[:, mfcc] += 1e-6 * np.abs(ref[:, names.index("librosa_mfcc_0")]).max()
        bad = np.abs(ours[:, rest] - ref[:, rest]) > bound
        assert not bad.any(), (f.name, sorted({names[rest[j]] for j in np.nonzero(bad)[1]}))
    return worst


def test_float32_default_is_librosas_float32_analysis_on_emodb(emodb_dir):
    """12 EmoDB files across its speakers (the files the float32 contrast statistics of
    test_librosa_set use): the top contrast band was up to 0.33 dB off."""
    files = sorted(emodb_dir.glob("*.flac"))[::45][:12]
    assert len(files) == 12
    assert _check(files, 16000, {}) <= 1e-3


def test_float32_tuning_ties_fall_as_librosas_float32_on_ravdess(ravdess_dir):
    """120 RAVDESS files (every 12th: all actors and emotions): the tuning estimate equals
    librosa's float32 one on every file (it differed on 3, chroma up to 3.6 times off)."""
    files = sorted(ravdess_dir.glob("Actor_*/*.flac"))[::12]
    assert len(files) == 120
    assert _check(files, 16000, {}) <= 1e-3


def test_float32_telephone_band_contrast_at_8khz(ravdess_dir):
    """RAVDESS read at 8 kHz (telephone band), n_fft 512, 5 contrast bands from 100 Hz: the
    top band (3.2-4 kHz, where the resampler's anti-alias filter leaves the valleys far below
    the frame's peak) was up to 1.08 dB off librosa's float32 analysis. A fixed tuning, so
    that only the spectrum is compared (the tuning: the next test)."""
    files = sorted(ravdess_dir.glob("Actor_*/*.flac"))[::60]
    kw = dict(n_fft=512, hop_length=128, n_bands=5, contrast_fmin=100.0, tuning=0.0)
    assert _check(files, 8000, kw) <= 1e-3


@pytest.mark.parametrize("sr, n_fft, hop, kw", [
    (8000, 512, 128, dict(n_bands=5, contrast_fmin=100.0)),
    (16000, 512, 160, {}),
])
def test_float32_tuning_equals_librosas_with_short_ffts(ravdess_dir, sr, n_fft, hop, kw):
    """72 RAVDESS files (every 20th). librosa's ``piptrack`` on a float32 spectrum rounds
    each peak's shift, frequency and magnitude to float32, and its median and histogram run
    in float32: with the peaks kept in float64, a tie of the histogram fell otherwise on 1
    file at 8 kHz and on 2 at 16 kHz with n_fft 512 (03-01-01-01-01-01-16, -05, -06; none
    of 240 with the default n_fft), even after the spectrum was librosa's. Now the float32
    analysis refines its peaks as piptrack does: the estimate equals librosa's on every
    file (exactly; the float64 analysis keeps float64 peaks, equal to librosa's float64)."""
    files = sorted(ravdess_dir.glob("Actor_*/*.flac"))[::20]
    assert len(files) == 72
    ext = LibrosaFeatures(sr=sr, n_fft=n_fft, hop_length=hop, **kw)
    e64 = LibrosaFeatures(sr=sr, n_fft=n_fft, hop_length=hop, precision="float64", **kw)
    off = []
    for f in files:
        y = load_audio(f, sr).y
        S = np.abs(librosa.stft(y, n_fft=n_fft, hop_length=hop))
        if ext.estimate_tuning(np.abs(ext.stft(y)) ** 2) != librosa.estimate_tuning(
                S=S**2, sr=sr, n_fft=n_fft):
            off.append(f.name)
        y64 = y.astype(np.float64)
        S64 = np.abs(librosa.stft(y64, n_fft=n_fft, hop_length=hop))
        if e64.estimate_tuning(np.abs(e64.stft(y64)) ** 2) != librosa.estimate_tuning(
                S=S64**2, sr=sr, n_fft=n_fft):
            off.append(f"{f.name} (float64)")
    assert not off, off
