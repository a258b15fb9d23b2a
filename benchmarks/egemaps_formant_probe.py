"""What openSMILE's eGeMAPS formant columns respond to: synthetic probes (a diagnostic).

Feeds openSMILE (eGeMAPSv02, LLD level, ``process_signal`` at 16 kHz) signals whose
spectra are known and prints the F1-F3 frequency and bandwidth it reports, next to the LPC
roots of the same 20 ms frame (Hamming, order 11 after resampling to 11 kHz: the published
parameters). Every probe is periodic with a period dividing the 10 ms hop, so every frame
holds the same samples and openSMILE's value is one constant per probe. The findings are
in docs/egemaps.md ("Formant frequencies and bandwidths"): a pure tone does not come out
at its own frequency, and the same frame played backwards (same power spectrum) gives
other formants, so no LPC of any spectrum of the frame can reproduce the columns.

    python benchmarks/egemaps_formant_probe.py

Prints a markdown table (no results file: a diagnostic, not a benchmark; ~10 s).
"""

from __future__ import annotations

import numpy as np
import scipy.linalg
import scipy.signal

SR = 16000
N = SR  # 1 s probes


def resonances(freqs: list[float], bws: list[float], period: int) -> np.ndarray:
    """An impulse train (``period`` samples) through second-order resonances."""
    x = np.zeros(N + 4000)
    x[::period] = 1.0
    for f, b in zip(freqs, bws, strict=True):
        r = np.exp(-np.pi * b / SR)
        x = scipy.signal.lfilter([1.0], [1.0, -2.0 * r * np.cos(2 * np.pi * f / SR), r * r], x)
    x = x[4000:]
    return 0.3 * x / np.abs(x).max()


def reversed_frames(x: np.ndarray, period: int) -> np.ndarray:
    """The periodic signal whose every 20 ms frame is the time-reversed frame of ``x`` (same
    power spectrum, opposite phase)."""
    one = x[10 * period : 11 * period]
    return np.tile(one[(period - 1 - np.arange(period)) % period], N // period)


def lpc_roots(x: np.ndarray, order: int = 11, fs_out: int = 11000) -> list[float]:
    """F1-F3 and bandwidths of the autocorrelation LPC of one 20 ms Hamming frame resampled
    to ``fs_out`` (roots in 50-5450 Hz, by frequency)."""
    frame = x[1600:1920] * np.hamming(320)
    frame = scipy.signal.resample(frame, int(round(320 * fs_out / SR)))
    r = np.correlate(frame, frame, "full")[frame.size - 1 : frame.size + order]
    a = scipy.linalg.solve_toeplitz(r[:order], -r[1:])
    z = np.roots(np.r_[1.0, a])
    z = z[z.imag > 0]
    f = np.angle(z) * fs_out / (2 * np.pi)
    bw = -np.log(np.abs(z)) * fs_out / np.pi
    keep = np.argsort(f)
    f, bw = f[keep], bw[keep]
    ok = (f > 50) & (f < 5450)
    out = []
    for fi, bi in list(zip(f[ok], bw[ok], strict=True))[:3]:
        out += [fi, bi]
    return out + [np.nan] * (6 - len(out))


def main() -> None:
    import opensmile

    smile = opensmile.Smile(opensmile.FeatureSet.eGeMAPSv02,
                            opensmile.FeatureLevel.LowLevelDescriptors)
    cols = [16, 17, 19, 20, 22, 23]  # F1 freq, bw, F2 freq, bw, F3 freq, bw
    t = np.arange(N)
    probes = {
        "tone 1000 Hz": 0.3 * np.sin(2 * np.pi * 1000 * t / SR),
        "tone 1000 Hz, cosine phase": 0.3 * np.cos(2 * np.pi * 1000 * t / SR),
        "tone 2000 Hz": 0.3 * np.sin(2 * np.pi * 2000 * t / SR),
        "tones 500 + 2000 Hz": 0.3 * (np.sin(2 * np.pi * 500 * t / SR)
                                      + np.sin(2 * np.pi * 2000 * t / SR)),
        "tones 1000 + 3000 Hz": 0.3 * np.sin(2 * np.pi * 1000 * t / SR)
        + 0.1 * np.sin(2 * np.pi * 3000 * t / SR),
        "impulses every 160 samples": np.where(t % 160 == 0, 0.5, 0.0),
        "vowel 500/1500/2500 Hz, F0 100 Hz": resonances([500, 1500, 2500], [60, 80, 120], 160),
        "vowel 300/2200/3000 Hz, F0 100 Hz": resonances([300, 2200, 3000], [60, 80, 120], 160),
        "vowel 400/1000/2800 Hz, F0 200 Hz": resonances([400, 1000, 2800], [60, 80, 120], 80),
    }
    probes["tones 1000 + 3000 Hz, frames reversed"] = reversed_frames(
        probes["tones 1000 + 3000 Hz"], 160)
    probes["vowel 500/1500/2500 Hz, frames reversed"] = reversed_frames(
        probes["vowel 500/1500/2500 Hz, F0 100 Hz"], 160)
    probes["near-silence (noise, RMS 1e-6)"] = np.random.default_rng(0).standard_normal(N) * 1e-6
    print("| probe | openSMILE F1 / BW1, F2 / BW2, F3 / BW3 (Hz) "
          "| LPC 11 @ 11 kHz, 20 ms Hamming |")
    print("|---|---|---|")
    for name, x in probes.items():
        lld = smile.process_signal(x, SR).to_numpy(np.float64)[20:-20]
        v = np.median(lld[:, cols], axis=0)
        ours = lpc_roots(x)
        fmt = ", ".join(f"{v[i]:.0f} / {v[i + 1]:.0f}" for i in (0, 2, 4))
        fmt_l = ", ".join(f"{ours[i]:.0f} / {ours[i + 1]:.0f}" for i in (0, 2, 4))
        print(f"| {name} | {fmt} | {fmt_l} |")


if __name__ == "__main__":
    main()
