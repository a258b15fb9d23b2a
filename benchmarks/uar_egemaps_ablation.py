"""Why emofeat's and openSMILE's eGeMAPS differ in UAR: column-group swaps and a speaker bootstrap.

Reads the tables ``benchmarks/uar_egemaps.py`` caches (``<corpus>_egemaps.parquet`` and
``<corpus>_opensmile.parquet`` in ``--cache``; run that script first) and, with the same
``evaluate(..., model="svm", protocol="loso", random_state=0)`` cell, measures:

* both sets as they are (the task-parity cell);
* emofeat's table with one group of columns replaced by openSMILE's (formant frequency and
  bandwidth, formant levels, jitter/shimmer, F0 slopes, F0 CoV/range, HNR and harmonic
  differences, voiced/unvoiced segment statistics, CoVs of the voiced spectral descriptors,
  and the reproduced columns: loudness, spectral, MFCC and Leq), and the reverse: openSMILE's
  table with one group of emofeat's columns (what each of emofeat's groups costs);
* how sensitive the cell is to differences of the size measured: openSMILE's table with each
  column multiplied by ``1 + rel * N(0, 1)``, ``rel`` the column's median relative
  difference between the two tables, over ``--perturb`` seeds (the spread of UAR that a
  table as close to openSMILE's as emofeat's typical file gives);
* the noise: the difference emofeat - openSMILE under SVM C in {0.5, 1, 2} (1 is the
  pipeline's default; nothing is tuned), and a paired bootstrap over speakers (1000 draws of
  the held-out speakers, with replacement) of every difference.

    python benchmarks/uar_egemaps_ablation.py [--cache /tmp/uar_egemaps] [--corpora ravdess,emodb]
        [--boot 1000] [--perturb 20]

Writes ``benchmarks/results/uar_egemaps_ablation.json`` and ``.md``.
"""

from __future__ import annotations

import argparse
import sys
import warnings
from pathlib import Path

import numpy as np
from _common import cache_is_current, markdown_table, write_results

GROUPS = {
    "formant frequency + bandwidth": lambda c: c.startswith(
        tuple(f"F{k}{w}" for k in "123" for w in ("frequency", "bandwidth"))),
    "formant levels (amplitudeLogRelF0)": lambda c: "amplitudeLogRelF0" in c,
    "jitter + shimmer": lambda c: c.startswith(("jitter", "shimmer")),
    "F0 slopes": lambda c: c.startswith("F0") and "Slope" in c,
    "F0 CoV + range": lambda c: c.startswith("F0") and ("stddevNorm" in c or "pctlrange" in c),
    "HNR + H1-H2 + H1-A3": lambda c: c.startswith(("HNR", "logRelF0")),
    "voiced/unvoiced segments": lambda c: "Segment" in c,
    "CoV of voiced spectral/MFCC": lambda c: c.endswith("stddevNorm") and c.startswith(
        ("alphaRatioV", "hammarbergIndexV", "slopeV", "spectralFluxV", "mfcc1V", "mfcc2V",
         "mfcc3V", "mfcc4V")),
    "reproduced: loudness, spectral, MFCC, Leq": lambda c: c.startswith(
        ("loudness", "alphaRatio", "hammarbergIndex", "slope", "spectralFlux", "mfcc",
         "equivalentSoundLevel")) and not (c.endswith("stddevNorm") and "V_" in c),
}


def load(cache: Path, corpus: str):
    import pandas as pd

    from emofeat.table import FeatureTable

    path = cache / f"{corpus}_egemaps.parquet"
    if not cache_is_current(path):
        raise SystemExit(f"{path}: an older numbers version of a set computed it; run "
                         "uar_egemaps.py --no-fusion again first, which extracts it afresh")
    t = FeatureTable.read_parquet(path)
    o = pd.read_parquet(cache / f"{corpus}_opensmile.parquet")
    if list(o["path"]) != list(t.index["path"]):
        raise SystemExit(f"{corpus}: the openSMILE rows do not follow emofeat's")
    names = [n.removeprefix("egemaps_") for n in t.feature_names]
    return t, names, o[names].to_numpy(dtype=np.float64)


def run(t, X, names, std: bool, C: float = 1.0):
    """UAR and per-row predictions of the benchmark's SVM cell on the feature matrix X."""
    from emofeat.classifiers import evaluate

    from emofeat.table import FeatureTable

    tab = FeatureTable(X=X, feature_names=["egemaps_" + n for n in names], index=t.index,
                       provenance={"sets": [{"name": "egemaps"}]})
    res = evaluate(tab, target="emotion", groups="speaker", model="svm", protocol="loso",
                   standardize="group" if std else None, random_state=0,
                   model_params=None if C == 1.0 else {"C": C})
    p = res.predictions
    return float(res.uar), (p["group"].to_numpy(), p["true"].to_numpy(), p["pred"].to_numpy())


def paired_bootstrap(a, b, n: int, seed: int = 0):
    """UAR(b) - UAR(a) in points, its SD and 95 % interval over speakers drawn with replacement."""
    from sklearn.metrics import recall_score

    g, y, pa = a
    pb = b[2]
    spk = np.unique(g)
    rows_of = {s: np.flatnonzero(g == s) for s in spk}
    rng = np.random.default_rng(seed)
    d = np.empty(n)
    for i in range(n):
        r = np.concatenate([rows_of[s] for s in rng.choice(spk, len(spk))])
        d[i] = (recall_score(y[r], pb[r], average="macro")
                - recall_score(y[r], pa[r], average="macro"))
    full = recall_score(y, pb, average="macro") - recall_score(y, pa, average="macro")
    return 100 * full, 100 * d.std(), 100 * np.percentile(d, [2.5, 97.5])


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--cache", type=Path, default=Path("/tmp/uar_egemaps"))
    ap.add_argument("--corpora", default="ravdess,emodb")
    ap.add_argument("--boot", type=int, default=1000, help="bootstrap draws over speakers")
    ap.add_argument("--perturb", type=int, default=20,
                    help="seeds of the perturbed openSMILE table (0: skip)")
    ap.add_argument("--out-dir", type=Path, default=None)
    args = ap.parse_args(argv)

    from threadpoolctl import threadpool_limits

    threadpool_limits(1)
    warnings.filterwarnings("ignore", category=UserWarning)
    noise, swaps, reverse, perturb = [], [], [], []
    for corpus in args.corpora.split(","):
        t, names, O = load(args.cache, corpus)
        E = t.X
        for std in (False, True):
            for C in ((0.5, 1.0, 2.0) if not std else (1.0,)):
                uo, po = run(t, O, names, std, C)
                ue, pe = run(t, E, names, std, C)
                d, sd, ci = paired_bootstrap(po, pe, args.boot)
                noise.append({"corpus": corpus, "per_speaker_std": "yes" if std else "no",
                              "SVM C": C, "openSMILE UAR": round(uo, 4),
                              "emofeat UAR": round(ue, 4),
                              "difference (points)": round(float(d), 1),
                              "bootstrap SD": round(float(sd), 1),
                              "95% interval": f"[{ci[0]:+.1f}, {ci[1]:+.1f}]"})
                print(noise[-1], flush=True)
                if C == 1.0 and not std:
                    base, base_o = (ue, pe), (uo, po)
        for group, sel in GROUPS.items():
            idx = [i for i, c in enumerate(names) if sel(c)]
            X = E.copy()
            X[:, idx] = O[:, idx]
            u, p = run(t, X, names, False)
            d, sd, ci = paired_bootstrap(base[1], p, args.boot)
            swaps.append({"corpus": corpus, "openSMILE columns swapped in": group,
                          "n": len(idx), "UAR": round(u, 4), "change (points)": round(float(d), 1),
                          "bootstrap SD": round(float(sd), 1),
                          "95% interval": f"[{ci[0]:+.1f}, {ci[1]:+.1f}]"})
            print(swaps[-1], flush=True)
            X = O.copy()
            X[:, idx] = E[:, idx]
            u, p = run(t, X, names, False)
            d, sd, ci = paired_bootstrap(base_o[1], p, args.boot)
            reverse.append({"corpus": corpus, "emofeat columns swapped in": group,
                            "n": len(idx), "UAR": round(u, 4),
                            "change (points)": round(float(d), 1),
                            "bootstrap SD": round(float(sd), 1),
                            "95% interval": f"[{ci[0]:+.1f}, {ci[1]:+.1f}]"})
            print(reverse[-1], flush=True)
        if args.perturb:
            with np.errstate(divide="ignore", invalid="ignore"):
                rel = np.nanmedian(np.abs(E - O) / np.abs(O), axis=0)
            rel = np.nan_to_num(rel, nan=0.0, posinf=0.0)
            us = []
            for seed in range(args.perturb):
                rng = np.random.default_rng(seed)
                us.append(run(t, O * (1 + rel * rng.standard_normal(O.shape)), names, False)[0])
            us = 100 * (np.array(us) - base_o[0])
            perturb.append({"corpus": corpus, "seeds": args.perturb,
                            "openSMILE UAR": round(base_o[0], 4),
                            "median change (points)": round(float(np.median(us)), 1),
                            "SD (points)": round(float(us.std()), 1),
                            "min, max": f"[{us.min():+.1f}, {us.max():+.1f}]",
                            "emofeat - openSMILE": round(100 * (base[0] - base_o[0]), 1)})
            print(perturb[-1], flush=True)
    md = ("**emofeat - openSMILE, same SVM** (paired bootstrap over speakers)\n\n"
          + markdown_table(noise)
          + "\n\n**emofeat with one group of openSMILE's columns** (no per-speaker std, C = 1)"
          "\n\n" + markdown_table(swaps)
          + "\n\n**openSMILE with one group of emofeat's columns** (no per-speaker std, C = 1)"
          "\n\n" + markdown_table(reverse)
          + ("\n\n**openSMILE's table perturbed by the median relative difference of each "
             "column** (no per-speaker std, C = 1)\n\n" + markdown_table(perturb)
             if perturb else ""))
    print("\n" + md)
    write_results(
        "uar_egemaps_ablation",
        "python benchmarks/uar_egemaps_ablation.py " + " ".join(
            argv if argv is not None else sys.argv[1:]),
        {"difference and noise": noise, "group swaps": swaps, "reverse swaps": reverse,
         "perturbed openSMILE": perturb},
        notes=("tables cached by benchmarks/uar_egemaps.py; evaluate(svm, loso, seed 0); "
               f"paired bootstrap: {args.boot} draws of the held-out speakers with replacement"),
        markdown=md, out_dir=args.out_dir)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
