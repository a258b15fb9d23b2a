"""What openSMILE's eGeMAPS jitter and shimmer respond to: synthetic pulse-train probes.

Feeds openSMILE (eGeMAPSv02, LLD level, ``process_signal`` at 16 kHz) pulse trains whose
period sequence is set exactly (band-limited impulses at fractional positions through one
700 Hz resonance of 400 Hz bandwidth, or three vowel-like ones, 1 s) and prints its
per-frame ``jitterLocal`` next to emofeat's (the same kernel on openSMILE's own F0 and
voicing). ``sma3nz`` is undone
where needed: openSMILE's smoother leaves a zero frame at 0 and averages only the non-zero
frames of the three, so a run of non-zero rows is a small linear system (a run of two rows
is ambiguous: then only the pair's sum is known). The findings are in docs/egemaps.md
("jitter and shimmer from synthetic probes"):

* one period lengthened by ``d`` (period 160, 10 ms = one hop) puts about ``d / T`` into
  each of two frames at phases 0-144 of the train against the hop: each pair of
  consecutive periods is counted in one frame, the one whose hop-long region holds the
  pair's end;
* a period lengthened by 9.5 % or more (by 8.5 % at a 100-sample period) or shortened by
  11 % or more gives no jitter at all: the periods are searched within about +-10 % of the
  F0 period (``searchRangeRel`` 0.1, its documented default);
* alternating 100 / 100.5-sample periods give 0.5 / 100.25: periods are refined to a
  fraction of a sample;
* alternating 159 / 161-sample periods give exactly 2 / 160: each period is measured on its
  own, which a cross-correlation of the ``L`` samples from a mark on the pulse with the
  next ``L`` does not do (it straddles the next pulse's onset and averages neighbouring
  periods).

    python benchmarks/egemaps_jitter_probe.py

Prints markdown tables (no results file: a diagnostic, not a benchmark; ~15 s).
"""

from __future__ import annotations

import numpy as np
import scipy.signal

SR = 16000
N = SR  # 1 s probes
ONE = ((700.0, 400.0),)  # (Hz, bandwidth Hz): short ringing, so peaks stay on the pulses
VOWEL = ((700.0, 130.0), (1200.0, 150.0), (2600.0, 200.0))


def pulse_train(periods: np.ndarray, start: float = 13.0,
                resonances: tuple = ONE) -> np.ndarray:
    """Band-limited unit impulses at ``start + cumsum(periods)`` (fractional positions:
    a Hann-tapered sinc) through second-order resonances, scaled to a peak of 0.3."""
    pos = start + np.concatenate([[0.0], np.cumsum(periods)])
    x = np.zeros(N + 2000)
    for p in pos[pos < N - 40] + 2000:
        k = np.arange(int(p) - 32, int(p) + 33)
        x[k] += np.sinc(k - p) * (0.5 + 0.5 * np.cos(np.pi * (k - p) / 33))
    for f, bw in resonances:
        r = np.exp(-np.pi * bw / SR)
        x = scipy.signal.lfilter([1.0], [1.0, -2.0 * r * np.cos(2 * np.pi * f / SR), r * r], x)
    x = x[2000:]
    return (0.3 * x / np.abs(x).max()).astype(np.float32)


def unsmooth(v: np.ndarray) -> np.ndarray:
    """Raw frame values from openSMILE's ``sma3nz`` rows (see the module docstring)."""
    r = np.zeros(v.size)
    t = 0
    while t < v.size:
        if v[t] == 0:
            t += 1
            continue
        s = t
        while t < v.size and v[t] != 0:
            t += 1
        m = t - s
        a = np.zeros((m, m))
        for i in range(m):
            js = [j for j in (i - 1, i, i + 1) if 0 <= j < m]
            a[i, js] = 1.0 / len(js)
        r[s:t] = np.linalg.lstsq(a, v[s:t], rcond=None)[0]
    return r


def main() -> None:
    import opensmile
    from emofeat.extractors import _egemaps_kernels as K
    from emofeat.extractors import egemaps as E

    smile = opensmile.Smile(opensmile.FeatureSet.eGeMAPSv02,
                            opensmile.FeatureLevel.LowLevelDescriptors)

    def both(x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        df = smile.process_signal(x, SR)
        st = df["F0semitoneFrom27.5Hz_sma3nz"].to_numpy(np.float64)
        voiced = st > 0
        f0 = np.where(voiced, 27.5 * 2.0 ** (st / 12.0), 0.0)
        jit, shim = np.zeros(st.size), np.zeros(st.size)
        K.period_jitter(x.astype(np.float64), voiced, f0, E.HOP, float(E.SR), E.JITTER_SEARCH,
                        E.JITTER_MIN_CC, float(E.JITTER_LIMIT), float(E.JITTER_FIRST), jit, shim)
        ours = E._smooth(np.where(voiced, jit, 0.0), nz=True)
        return df["jitterLocal_sma3nz"].to_numpy(np.float64), ours

    print("## One period lengthened (period T, by d; pulses start at the phase given; three "
          "resonances)\n")
    print("| T | d | phase | long period (samples) | openSMILE raw frames (x T / d) | "
          "emofeat raw frames (x T / d) |")
    print("|---:|---:|---:|---|---|---|")
    for T, d, phases in ((160.0, 8.0, (0.0, 48.0, 96.0, 144.0, 152.0)), (100.0, 5.0, (13.0,))):
        for ph in phases:
            per = np.full(int(N / T) + 5, T)
            k = int(8000 / T)
            per[k] += d
            x = pulse_train(per, ph, VOWEL)
            ref, ours = both(x)
            cells = []
            for v in (ref, ours):
                raw = unsmooth(v)
                nz = np.flatnonzero(raw > 2e-4)
                cells.append(", ".join(f"{i}: {raw[i] * T / d:.2f}" for i in nz) or "none")
            a = ph + k * T
            print(f"| {T:.0f} | {d:.0f} | {ph:.0f} | {a:.0f}-{a + T + d:.0f} | {cells[0]} | "
                  f"{cells[1]} |")
    print("\n## Size of the perturbation: sum of the raw frames x T / |d| (2 for T = 160 when "
          "counted, 1.25 for T = 100)\n")
    print("| T | d / T | openSMILE | emofeat |")
    print("|---:|---:|---:|---:|")
    for T in (160.0, 100.0):
        for rel in (0.08, 0.09, 0.095, 0.1, -0.1, -0.12):
            per = np.full(int(N / T) + 5, T)
            per[int(8000 / T)] += rel * T
            ref, ours = both(pulse_train(per))
            print(f"| {T:.0f} | {rel:+.3f} | {unsmooth(ref).sum() / abs(rel):.2f} | "
                  f"{unsmooth(ours).sum() / abs(rel):.2f} |")
    print("\n## Constant and alternating periods (frame mean of jitterLocal_sma3nz)\n")
    print("| periods | exact | openSMILE | emofeat |")
    print("|---|---:|---:|---:|")
    for a, b in ((100.5, 100.5), (100.0, 100.5), (100.0, 101.0), (159.0, 161.0),
                 (61.0, 63.0)):
        per = np.where(np.arange(int(N / min(a, b)) + 5) % 2 == 0, a, b)
        ref, ours = both(pulse_train(per))
        exact = abs(a - b) / ((a + b) / 2)
        sl = slice(20, -10)
        print(f"| {a:g} / {b:g} | {exact:.5f} | {ref[sl].mean():.5f} | {ours[sl].mean():.5f} |")


if __name__ == "__main__":
    main()
