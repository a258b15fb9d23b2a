"""emofeat's eGeMAPS formant columns against openSMILE's on synthetic probes (a diagnostic).

Feeds openSMILE (eGeMAPSv02, LLD level, ``process_signal`` at 16 kHz) and emofeat signals
whose content is known and prints the F1-F3 frequency and bandwidth both report, and the
largest difference. Two kinds of probe:

* periodic probes whose period divides the 10 ms hop, so every frame holds the same samples
  and each side writes one constant (the median of the middle rows is shown): tones in
  sine and cosine phase, tone pairs, impulse trains, vowels synthesised from resonances,
  and the same frames played backwards (the same power spectrum);
* single-frame probes: content only in the first 160 samples (silence after) reaches frame
  0 and no other, and ``sma3nz`` then leaves row 0 equal to that frame's raw value: clicks
  at several offsets, a short tone burst, a noise burst.

These probes show that openSMILE's columns are not a function of the frame's power
spectrum (the reversed frames, the tone phases), and no LPC variant of the plain frame
reproduces them. The reason (docs/egemaps.md, "openSMILE's formant path"): openSMILE analyses
the first 220 of the 352 samples of the frame resampled to 11 kHz from its spectrum's bins
below 3.4 kHz only, and takes the roots of the LPC polynomial with the opposite sign.
Every probe here then agrees within openSMILE's float32 rounding (~1e-2 Hz; up to a few Hz
on ill-conditioned frames).

    python benchmarks/egemaps_formant_probe.py

Prints a markdown table (no results file: a diagnostic, not a benchmark; ~10 s).
"""

from __future__ import annotations

import numpy as np
import scipy.signal

SR = 16000
N = SR  # 1 s probes
COLS = [16, 17, 19, 20, 22, 23]  # F1 freq, bw, F2 freq, bw, F3 freq, bw


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


def periodic_probes() -> dict[str, np.ndarray]:
    t = np.arange(N)

    def tone(f, phase=0.0):
        return np.sin(2 * np.pi * f * t / SR + phase)

    p = {
        "tone 1000 Hz": 0.3 * tone(1000),
        "tone 1000 Hz, cosine phase": 0.3 * tone(1000, np.pi / 2),
        "tone 1000 Hz, phase 1 rad": 0.3 * tone(1000, 1.0),
        "tone 2000 Hz": 0.3 * tone(2000),
        "tone 500 Hz": 0.3 * tone(500),
        "tone 3000 Hz": 0.3 * tone(3000),
        "tones 500 + 2000 Hz": 0.3 * (tone(500) + tone(2000)),
        "tones 1000 + 3000 Hz": 0.3 * tone(1000) + 0.1 * tone(3000),
        "impulses every 160 samples": np.where(t % 160 == 0, 0.5, 0.0),
        "impulses every 80 samples": np.where(t % 80 == 0, 0.5, 0.0),
        "vowel 500/1500/2500 Hz, F0 100 Hz": resonances([500, 1500, 2500], [60, 80, 120], 160),
        "vowel 300/2200/3000 Hz, F0 100 Hz": resonances([300, 2200, 3000], [60, 80, 120], 160),
        "vowel 400/1000/2800 Hz, F0 200 Hz": resonances([400, 1000, 2800], [60, 80, 120], 80),
        "vowel 700/1200/2600 Hz, F0 160 Hz": resonances([700, 1200, 2600], [80, 90, 150], 100),
    }
    p["tones 1000 + 3000 Hz, frames reversed"] = reversed_frames(p["tones 1000 + 3000 Hz"], 160)
    p["vowel 500/1500/2500 Hz, frames reversed"] = reversed_frames(
        p["vowel 500/1500/2500 Hz, F0 100 Hz"], 160)
    p["vowel 500/1500/2500 Hz, shifted 40 samples"] = np.roll(
        p["vowel 500/1500/2500 Hz, F0 100 Hz"], 40)
    return p


def single_frame_probes() -> dict[str, np.ndarray]:
    rng = np.random.default_rng(0)
    p = {}
    for offset in (0, 17, 40, 80, 120, 156):
        x = np.zeros(N)
        x[offset] = 0.5
        p[f"click at sample {offset}"] = x
    x = np.zeros(N)
    x[:160] = 0.3 * np.sin(2 * np.pi * 1000 * np.arange(160) / SR)
    p["1000 Hz burst, samples 0-159"] = x
    x = np.zeros(N)
    x[:160] = 0.1 * rng.standard_normal(160)
    p["noise burst, samples 0-159"] = x
    x = np.zeros(N)
    x[:160] = resonances([600, 1700, 2600], [70, 90, 130], 160)[:160]
    p["one glottal period (600/1700/2600 Hz)"] = x
    return p


def main() -> None:
    import warnings

    import opensmile
    from emofeat.extractors import egemaps as E

    smile = opensmile.Smile(opensmile.FeatureSet.eGeMAPSv02,
                            opensmile.FeatureLevel.LowLevelDescriptors)
    print("| probe | openSMILE F1 / BW1, F2 / BW2, F3 / BW3 (Hz) | emofeat | max diff (Hz) |")
    print("|---|---|---|---:|")
    worst = 0.0
    kinds = [(periodic_probes(), lambda m: np.median(m[20:-20], axis=0)),
             (single_frame_probes(), lambda m: m[0])]
    for probes, pick in kinds:
        for name, x in probes.items():
            ref = pick(smile.process_signal(x, SR).to_numpy(np.float64)[:, COLS])
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                ours = pick(E.egemaps_lld(x)[0][:, COLS])
            diff = float(np.max(np.abs(ref - ours)))
            worst = max(worst, diff)

            def fmt(v):
                return ", ".join(f"{v[i]:.1f} / {v[i + 1]:.1f}" for i in (0, 2, 4))

            print(f"| {name} | {fmt(ref)} | {fmt(ours)} | {diff:.2f} |")
    print(f"\nlargest difference: {worst:.2f} Hz")


if __name__ == "__main__":
    main()
