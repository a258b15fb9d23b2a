"""Speaker-independent UAR of functionals vs. pooled frame-level (LLD) classification.

For RAVDESS speech (1440 files, 24 actors, 8 emotions) and EmoDB (535 files, 10 speakers,
7 emotions; this checkout's copy is cut/padded to 2.0 s, so the figures are not comparable
with published EmoDB numbers), the ``librosa``, ``paa`` and ``prosody`` sets at both levels:

* ``functionals``: one row per file, as in ``uar_ravdess.py``;
* ``lld``: one row per frame; training frames subsampled to ``--train-frames`` evenly spaced
  frames per file and held-out files scored on ``--test-frames`` evenly spaced frames each;
  the model's class probabilities are averaged over the frames of each held-out file
  (``evaluate(..., pool="path")``) and every figure is per file.

Leave-one-speaker-out, models ``make_classifier("svm")`` (RBF, C=1, balanced; frame scores
from the softmax of its decision function) and ``make_classifier("xgb", n_estimators=50)``
with depth-4 trees, learning rate 0.1 and 256 bins (the former defaults).
Extracted tables are cached as parquet under ``~/.cache/emofeat/benchmarks`` (reruns only
evaluate). Results are appended to ``--out`` (CSV) as each cell finishes.

    python benchmarks/uar_levels.py [--corpora ravdess,emodb] [--sets librosa,paa,prosody]
        [--levels functionals,lld] [--models svm,xgb] [--jobs 2] [--extract-only]
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

import pandas as pd
from _common import DATA, cache_is_current

CACHE = Path.home() / ".cache" / "emofeat" / "benchmarks"


def manifest(corpus: str) -> pd.DataFrame:
    """The corpus' manifest (path, speaker, emotion, ...)."""
    from emofeat.datasets import load_emodb, load_ravdess

    loader = {"ravdess": load_ravdess, "emodb": load_emodb}[corpus]
    return loader(DATA / "speech" / corpus)


def cached_table(corpus: str, name: str, level: str, jobs: int):
    """The extracted FeatureTable, read from the parquet cache or extracted and cached."""
    from emofeat.runner import extract
    from emofeat.table import FeatureTable

    path = CACHE / f"{corpus}_{name}_{level}.parquet"
    if path.exists() and cache_is_current(path):
        return FeatureTable.read_parquet(path)
    t0 = time.perf_counter()
    table = extract(manifest(corpus), name, level=level, n_jobs=jobs)
    path.parent.mkdir(parents=True, exist_ok=True)
    table.to_parquet(path)
    print(f"extracted {corpus} {name} {level}: {table.shape} in "
          f"{time.perf_counter() - t0:.0f} s", flush=True)
    return table


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--corpora", default="ravdess,emodb")
    parser.add_argument("--sets", default="librosa,paa,prosody")
    parser.add_argument("--levels", default="functionals,lld")
    parser.add_argument("--models", default="svm,xgb")
    parser.add_argument("--train-frames", type=int, default=5,
                        help="training frames per file (evenly spaced) at the lld level")
    parser.add_argument("--test-frames", type=int, default=20,
                        help="held-out frames per file (evenly spaced) at the lld level")
    parser.add_argument("--xgb-trees", type=int, default=50)
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--extract-only", action="store_true")
    parser.add_argument("--out", default="uar_levels.csv")
    args = parser.parse_args()
    for corpus in args.corpora.split(","):
        for name in args.sets.split(","):
            for level in args.levels.split(","):
                table = cached_table(corpus, name, level, args.jobs)
                if args.extract_only:
                    continue
                for model in args.models.split(","):
                    run_cell(corpus, name, level, model, table, args)
    if not args.extract_only and Path(args.out).exists():
        import sys

        from _common import write_results  # results/uar_levels.json for docs/results.md

        write_results("uar_levels", " ".join(["python benchmarks/uar_levels.py", *sys.argv[1:]]),
                      {"UAR": pd.read_csv(args.out).fillna("").to_dict("records")})


def run_cell(corpus: str, name: str, level: str, model: str, table, args) -> None:
    """Evaluate one cell of the grid, print it and append it to the CSV."""
    from emofeat.classifiers import evaluate

    # depth 4, learning rate 0.1, 256 bins: the trees of docs/classifiers.md's figures
    params = ({"n_estimators": args.xgb_trees, "max_depth": 4, "learning_rate": 0.1,
               "max_bin": 256, "n_jobs": args.jobs} if model == "xgb" else {})
    pool = {"pool": "path", "max_frames_per_unit": args.train_frames,
            "max_test_frames_per_unit": args.test_frames} if level == "lld" else {}
    t0 = time.perf_counter()
    res = evaluate(table, target="emotion", groups="speaker", model=model, protocol="loso",
                   model_params=params, **pool)
    secs = time.perf_counter() - t0
    row = {"corpus": corpus, "set": name, "level": level, "model": model,
           "features": table.shape[1], "rows": len(table), "files": len(res.predictions),
           "train_frames": args.train_frames if level == "lld" else "",
           "test_frames": args.test_frames if level == "lld" else "",
           "uar": round(res.uar, 3), "wa": round(res.wa, 3),
           "speaker_uar_mean": round(float(res.per_group["uar"].mean()), 3),
           "speaker_uar_std": round(float(res.per_group["uar"].std(ddof=0)), 3),
           "seconds": round(secs)}
    print(" ".join(f"{k}={v}" for k, v in row.items()), flush=True)
    out = Path(args.out)
    pd.DataFrame([row]).to_csv(out, mode="a", header=not out.exists(), index=False)


if __name__ == "__main__":
    main()
