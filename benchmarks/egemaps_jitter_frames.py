"""Which frames count which periods: ``period_jitter`` against openSMILE's ``cPitchJitter`` on
pulse trains (a diagnostic).

The measurement behind docs/egemaps.md, "jitter, marks, ties and the frames that hold".
Band-limited pulse trains (``egemaps_jitter_probe.py``'s generator, +-2 % random
periods, after 0.2 s of silence) at constant periods of 55-220 samples and four phases, and
trains with an octave step in the period, go through the black-box chain
(``egemaps_jitter_path.chain``: openSMILE's own components, ``cPitchJitter`` at ``minCC``
0.5). ``period_jitter`` runs on the chain's own F0, so marks and lengths agree (clean trains:
to the printed digits) and what differs is which frame counts which period. Printed: the
share of the chain's voiced frames with a period whose raw jitter ours equals (to 0.1 %),
per period, for ``JITTER_FIRST`` as kept and for the rule that every frame marks at least
one period (``first`` unbounded: the second rule printed).

    python benchmarks/egemaps_jitter_frames.py

Prints a markdown table (no results file: a diagnostic; ~5 s).
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import numpy as np


def trains() -> list[tuple[str, np.ndarray]]:
    """(label, 16 kHz signal) of every probe train."""
    from egemaps_jitter_probe import pulse_train

    silence = np.zeros(3200, np.float32)
    out = []
    for p in (55.3, 62.1, 70.4, 80.2, 90.7, 100.4, 112.3, 125.3, 137.6, 150.2, 165.1, 180.4,
              200.2, 220.3):
        for phase in (0.0, 40.0, 80.0, 120.0):
            rng = np.random.default_rng(int(p * 10 + phase))
            per = p * (1 + 0.02 * rng.uniform(-1, 1, 400))
            out.append((f"{p:.0f}", np.concatenate([silence, pulse_train(per, 13 + phase)])))
    for p1, p2 in ((180.3, 90.2), (90.2, 180.3), (150.4, 75.1), (200.5, 100.2), (170.2, 120.3),
                   (120.3, 170.2)):
        for phase in (0.0, 40.0, 80.0, 120.0):
            n1, n2 = int(8000 / p1), int(8000 / p2) + 5
            per = np.concatenate([np.full(n1, p1), np.full(n2, p2)])
            per *= 1 + 0.01 * np.random.default_rng(int(phase)).uniform(-1, 1, n1 + n2)
            out.append(("step", np.concatenate([silence, pulse_train(per, 13 + phase)])))
    return out


def main() -> None:
    import egemaps_jitter_path as JP
    from emofeat.extractors import _egemaps_kernels as K
    from emofeat.extractors import egemaps as E

    rules = {f"JITTER_FIRST {E.JITTER_FIRST}": float(E.JITTER_FIRST),
             "every frame marks a period": 1e12}
    hits = {}
    with tempfile.TemporaryDirectory() as tmp:
        for label, x in trains():
            y = np.asarray(x, np.float32).astype(np.float64)
            out, _ = JP.chain(y, Path(tmp), greedy=True)
            f0 = out[:, JP.F0].copy()
            voiced = f0 > 0
            frames = voiced & (out[:, 5] > 0)  # voiced, with a period counted (refined F0)
            for name, first in rules.items():
                jit, shim = np.zeros(f0.size), np.zeros(f0.size)
                K.period_jitter(y, voiced, f0, E.HOP, float(E.SR), E.JITTER_SEARCH,
                                E.JITTER_MIN_CC, float(E.JITTER_LIMIT), first, jit, shim)
                same = np.abs(jit - out[:, JP.JIT]) <= 1e-3 * out[:, JP.JIT] + 1e-5
                h = hits.setdefault((label, name), [0, 0])
                h[0] += int(same[frames].sum())
                h[1] += int(frames.sum())
    labels = list(dict.fromkeys(k[0] for k in hits))
    print("| period (samples) | " + " | ".join(rules) + " |")
    print("|---|" + "---:|" * len(rules))
    for label in [*labels, "all"]:
        cells = []
        for name in rules:
            a = [hits[(lab, name)] for lab in labels if label in ("all", lab)]
            cells.append(f"{sum(h[0] for h in a) / max(1, sum(h[1] for h in a)):.3f}")
        print(f"| {label} | " + " | ".join(cells) + " |")


if __name__ == "__main__":
    main()
