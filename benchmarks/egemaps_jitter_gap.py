"""How much of the jitter/shimmer gap to openSMILE is the F0 and voicing, how much the kernel.

The measurement behind docs/egemaps.md, "jitter, where the rest of the gap is". Per file,
on the same
16 kHz samples: openSMILE's eGeMAPSv02 LLDs (the reference), emofeat's descriptors, and the
black-box chain of ``egemaps_jitter_path.py`` (openSMILE's own components in a configuration
written from their option names, with ``greedyPeakAlgo=1`` as the pitch path measured;
``cPitchJitter`` at ``minCC`` 0.5). Three versions of the four jitter/shimmer functionals
(``amean``, ``stddevNorm`` of ``jitterLocal_sma3nz`` and ``shimmerLocaldB_sma3nz``) and of
their LLD frames are correlated with eGeMAPSv02's:

* A: emofeat as it is (its F0, voicing and ``period_jitter``);
* B: ``period_jitter`` on openSMILE's voicing (eGeMAPSv02's voiced LLD rows) and the
  chain's F0 (so only the kernel differs from openSMILE);
* C: the chain's own raw jitter/shimmer on the same rows (the black box itself: about 1.0
  when the chain and the functionals below are right).

A - B is the part the F0/voicing costs, B - C the kernel's. With ``--periods`` it also
reruns the chain at ``minCC`` 0.011, whose period dump then lists (nearly) every period
its chain marks, and prints how many of those its ``minCC`` 0.5 run accepts.

    python benchmarks/egemaps_jitter_gap.py [--step 8] [--offset 0] [--files 0] [--periods]

Prints the table (no results file: a diagnostic; ~1 s a file).
"""

from __future__ import annotations

import argparse
import tempfile
import warnings
from pathlib import Path

import numpy as np
from _common import DATA


def functionals(voiced: np.ndarray, jitter: np.ndarray, shimmer: np.ndarray) -> list[float]:
    """``amean`` and ``stddevNorm`` of the ``sma3nz`` jitter and shimmer (non-zero rows)."""
    from emofeat.extractors import egemaps as E

    out = []
    for x in (jitter, shimmer):
        lld = E._smooth(np.where(voiced, x, 0.0), nz=True)
        z = lld[lld != 0.0]
        m = float(z.mean()) if z.size else 0.0
        out += [m, float(z.std()) / m if m else 0.0]
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--step", type=int, default=8)
    parser.add_argument("--offset", type=int, default=0)
    parser.add_argument("--files", type=int, default=0, help="at most this many (0: all)")
    parser.add_argument("--periods", action="store_true")
    args = parser.parse_args()

    import egemaps_jitter_path as JP
    import opensmile
    from emofeat.extractors import _egemaps_kernels as K
    from emofeat.extractors import egemaps as E

    from emofeat.audio import load_audio

    files = (sorted((DATA / "speech" / "ravdess").glob("Actor_*/*.flac"))[args.offset::args.step]
             + sorted((DATA / "speech" / "emodb").rglob("*.flac"))[args.offset::args.step])
    if args.files:
        files = files[:: max(1, len(files) // args.files)][: args.files]
    lld_s = opensmile.Smile(opensmile.FeatureSet.eGeMAPSv02,
                            opensmile.FeatureLevel.LowLevelDescriptors)
    fun_s = opensmile.Smile(opensmile.FeatureSet.eGeMAPSv02, opensmile.FeatureLevel.Functionals)
    cols = [E.EGEMAPS_FUNCTIONALS.index(f"{d}_sma3nz_{s}") for d in ("jitterLocal",
            "shimmerLocaldB") for s in ("amean", "stddevNorm")]
    names = ("A emofeat", "B kernel on openSMILE's F0 + voicing", "C the chain's own values")
    fun = {k: [] for k in names}
    frames = {k: ([], []) for k in names}
    ref_f = []
    n_lo = n_hi = n_both = 0
    with tempfile.TemporaryDirectory() as tmp:
        for path in files:
            y = np.asarray(load_audio(path, E.SR).y, np.float64)
            ref = lld_s.process_signal(y, E.SR).to_numpy(np.float64)
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                d = E.descriptors(y, all_formants=False)
            out, per = JP.chain(y, Path(tmp), greedy=True)
            n = min(len(ref), d.voiced.size, len(out))
            v_os = np.zeros(d.voiced.size, bool)
            v_os[:n] = ref[:n, 10] > 0
            f_os = np.zeros(d.voiced.size)
            f_os[:n] = np.where(out[:n, JP.F0] > 0, out[:n, JP.F0],
                                27.5 * 2.0 ** (ref[:n, 10] / 12.0))
            v_os &= f_os > 0
            jb, sb = np.zeros(v_os.size), np.zeros(v_os.size)
            K.period_jitter(y, v_os, f_os, E.HOP, float(E.SR), E.JITTER_SEARCH,
                            E.JITTER_MIN_CC, float(E.JITTER_LIMIT), float(E.JITTER_FIRST), jb, sb)
            jc, sc = np.zeros(v_os.size), np.zeros(v_os.size)
            jc[:n], sc[:n] = out[:n, JP.JIT], out[:n, JP.SHIM_DB]
            versions = {names[0]: (d.voiced, d.voice[:, 3], d.voice[:, 4]),
                        names[1]: (v_os, jb, sb), names[2]: (v_os, jc, sc)}
            for k, (v, j, s) in versions.items():
                fun[k].append(functionals(v, j, s))
                both = v[:n] & v_os[:n]
                for q, x in enumerate((j, s)):
                    frames[k][q].append((E._smooth(np.where(v, x, 0.0), nz=True)[:n][both],
                                         ref[:n, 11 + q][both]))
            ref_f.append(fun_s.process_signal(y, E.SR).to_numpy(np.float64)[0, cols])
            if args.periods:
                _, lo = JP.chain(y, Path(tmp), mincc=0.011, greedy=True)
                a = set(lo[:, 0].astype(int)) if len(lo) else set()
                b = set(per[:, 0].astype(int)) if len(per) else set()
                n_lo, n_hi, n_both = n_lo + len(a), n_hi + len(b), n_both + len(a & b)
    ref_f = np.array(ref_f)
    print(f"{len(files)} files (--step {args.step} --offset {args.offset}); Pearson r with "
          "eGeMAPSv02's values (functionals: across files; frames: its voiced LLD "
          "rows)\n")
    print("| version | jitter mean | jitter CoV | shimmer mean | shimmer CoV | frames jitter | "
          "frames shimmer |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    for k in names:
        f = np.array(fun[k])
        rs = [np.corrcoef(f[:, c], ref_f[:, c])[0, 1] for c in range(4)]
        for q in range(2):
            x = np.concatenate([a for a, _ in frames[k][q]])
            r = np.concatenate([b for _, b in frames[k][q]])
            rs.append(np.corrcoef(x, r)[0, 1])
        print(f"| {k} | " + " | ".join(f"{x:.3f}" for x in rs) + " |")
    if args.periods:
        print(f"\nPeriods the chain marks (minCC 0.011 dump): {n_lo}; accepted at minCC 0.5: "
              f"{n_hi} ({n_both} of them in the 0.011 dump)")


if __name__ == "__main__":
    main()
