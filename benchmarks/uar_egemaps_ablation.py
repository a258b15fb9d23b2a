"""Why emofeat's and openSMILE's eGeMAPS differ in UAR: column-group swaps and a speaker bootstrap.

Reads the tables ``benchmarks/uar_egemaps.py`` caches (``<corpus>_egemaps.parquet`` and
``<corpus>_opensmile.parquet`` in ``--cache``; run that script first) and, with the same
``evaluate(..., model="svm", protocol="loso", random_state=0)`` cell, measures:

* both sets as they are (the task-parity cell);
* emofeat's table with one group of columns replaced by openSMILE's (formant frequency and
  bandwidth, formant levels, jitter/shimmer, F0 slopes, F0 CoV/range, HNR and harmonic
  differences, voiced/unvoiced segment statistics, CoVs of the voiced spectral descriptors);
* the noise: the difference emofeat - openSMILE under SVM C in {0.5, 1, 2} (1 is the
  pipeline's default; nothing is tuned), and a paired bootstrap over speakers (1000 draws of
  the held-out speakers, with replacement) of every difference.

    python benchmarks/uar_egemaps_ablation.py [--cache /tmp/uar_egemaps] [--corpora ravdess,emodb]
        [--boot 1000]

Writes ``benchmarks/results/uar_egemaps_ablation.json`` and ``.md``.
"""

from __future__ import annotations

import argparse
import sys
import warnings
from pathlib import Path

import numpy as np
from _common import markdown_table, write_results

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
}


def load(cache: Path, corpus: str):
    import pandas as pd

    from emofeat.table import FeatureTable

    t = FeatureTable.read_parquet(cache / f"{corpus}_egemaps.parquet")
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
    ap.add_argument("--out-dir", type=Path, default=None)
    args = ap.parse_args(argv)

    from threadpoolctl import threadpool_limits

    threadpool_limits(1)
    warnings.filterwarnings("ignore", category=UserWarning)
    noise, swaps = [], []
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
                    base = (ue, pe)
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
    md = ("**emofeat - openSMILE, same SVM** (paired bootstrap over speakers)\n\n"
          + markdown_table(noise)
          + "\n\n**emofeat with one group of openSMILE's columns** (no per-speaker std, C = 1)"
          "\n\n" + markdown_table(swaps))
    print("\n" + md)
    write_results(
        "uar_egemaps_ablation",
        "python benchmarks/uar_egemaps_ablation.py " + " ".join(
            argv if argv is not None else sys.argv[1:]),
        {"difference and noise": noise, "group swaps": swaps},
        notes=("tables cached by benchmarks/uar_egemaps.py; evaluate(svm, loso, seed 0); "
               f"paired bootstrap: {args.boot} draws of the held-out speakers with replacement"),
        markdown=md, out_dir=args.out_dir)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
