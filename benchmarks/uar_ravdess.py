"""Speaker-independent UAR on RAVDESS speech for the librosa, paa and prosody sets.

Functionals of each set (and of the three together) for all 1440 RAVDESS speech files,
then leave-one-speaker-out (24 actors) with a standard-scaled RBF SVM (C=1, balanced class
weights, median imputation of NaN functionals such as F0 statistics of files without voiced
frames). UAR = recall averaged over the 8 emotions, from the pooled out-of-speaker
predictions; the mean and std of the per-speaker UARs are printed too.

    python benchmarks/uar_ravdess.py [--sets librosa,paa,prosody] [--jobs 1] [--files N]

``--files N`` (a quick check: every k-th file, N in all) prints the figures without writing
``benchmarks/results/uar_ravdess.json``, which holds the whole corpus' figures. The extraction
seconds printed are a log of this run (API, no resume: always a fresh extraction).
"""

from __future__ import annotations

import argparse
import sys
import time

import numpy as np
import pandas as pd
from _common import DATA, write_results


def main() -> None:
    from sklearn.impute import SimpleImputer
    from sklearn.metrics import balanced_accuracy_score
    from sklearn.model_selection import LeaveOneGroupOut, cross_val_predict
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler
    from sklearn.svm import SVC

    from emofeat.runner import extract

    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sets", default="librosa,paa,prosody")
    parser.add_argument("--jobs", type=int, default=1)
    parser.add_argument("--files", type=int, default=0,
                        help="only N files spread over the corpus (quick check; 0: all)")
    args = parser.parse_args()
    root = DATA / "speech" / "ravdess"
    labels = pd.read_csv(root / "labels.csv")
    if args.files:
        labels = labels.iloc[:: max(1, len(labels) // args.files)].head(args.files)
    manifest = pd.DataFrame({"path": [str(root / p) for p in labels["path"]]})
    y = labels["emotion"].to_numpy()
    groups = labels["speaker"].to_numpy()
    blocks = {}
    for name in args.sets.split(","):
        t0 = time.perf_counter()
        table = extract(manifest, name, level="functionals", n_jobs=args.jobs)
        blocks[name] = np.asarray(table.X, dtype=np.float64)
        print(f"{name}: {blocks[name].shape[1]} features, extracted in "
              f"{time.perf_counter() - t0:.0f} s")
    runs = dict(blocks)
    if len(blocks) > 1:
        runs["+".join(blocks)] = np.concatenate(list(blocks.values()), axis=1)
    print(f"\n{len(y)} files, {len(np.unique(groups))} speakers, {len(np.unique(y))} emotions, "
          "leave-one-speaker-out, RBF SVM")
    print(f"{'set':<26}{'features':>9}{'UAR':>8}{'per-speaker UAR':>20}")
    rows = []
    for name, X in runs.items():
        X = np.where(np.isfinite(X), X, np.nan)
        model = make_pipeline(SimpleImputer(strategy="median"), StandardScaler(),
                              SVC(C=1.0, class_weight="balanced"))
        pred = cross_val_predict(model, X, y, groups=groups, cv=LeaveOneGroupOut())
        per = [balanced_accuracy_score(y[groups == g], pred[groups == g])
               for g in np.unique(groups)]
        print(f"{name:<26}{X.shape[1]:>9}{balanced_accuracy_score(y, pred):>8.3f}"
              f"{np.mean(per):>12.3f} +- {np.std(per):.3f}")
        rows.append({"set": name, "features": X.shape[1],
                     "UAR": balanced_accuracy_score(y, pred),
                     "speaker_UAR_mean": float(np.mean(per)),
                     "speaker_UAR_std": float(np.std(per))})
    if args.files:
        print("(a subset: benchmarks/results/uar_ravdess.json left as it is)")
        return
    write_results("uar_ravdess", " ".join(["python benchmarks/uar_ravdess.py", *sys.argv[1:]]),
                  {"UAR": rows})


if __name__ == "__main__":
    main()
