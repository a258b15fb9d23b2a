"""Speaker-independent accuracy of emofeat's MFCC functionals on RAVDESS and EmoDB.

For each corpus under ``../shared/data/speech`` (or ``--data``), the script extracts emofeat's
``mfcc`` functionals once (cached as parquet in ``--cache``,
``~/.cache/emofeat/benchmarks`` by default), then runs leave-one-speaker-out
evaluation for svm, rf, xgb and logreg, with and without per-speaker standardisation, and prints
a Markdown table of UAR, WA and macro-F1. Finished cells are cached in
``--cache/results.json``, so an interrupted run resumes (``--fresh`` recomputes).

::

    python benchmarks/accuracy_mfcc.py                    # the whole grid
    python benchmarks/accuracy_mfcc.py --extract-only     # just build the caches
    python benchmarks/accuracy_mfcc.py --corpus emodb --models svm,logreg

EmoDB caveat: the shared copy was cut or zero-padded to exactly 2.0 s per file, so its figures
must not be compared with published EmoDB results.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
DEFAULT_DATA = REPO.parent / "shared" / "data"
# outside the repository, so neither parquet nor results end up in git
_XDG = Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache"))
DEFAULT_CACHE = _XDG / "emofeat" / "benchmarks"

# sizes chosen so the whole grid runs in minutes on 2 cores
MODEL_PARAMS = {
    "svm": {},
    "rf": {"n_estimators": 300},
    # 8 classes x 100 rounds of depth-3 trees on 64-bin histograms: ~5 s a fold on one core
    "xgb": {"n_estimators": 100, "max_depth": 3, "learning_rate": 0.15, "max_bin": 64},
    "logreg": {},
}


def load_features(corpus: str, data: Path, cache: Path, n_jobs: int):
    """The corpus's MFCC functionals, extracted once and cached as parquet."""
    import emofeat
    from emofeat.datasets import load_emodb, load_ravdess
    from emofeat.table import FeatureTable

    cache.mkdir(parents=True, exist_ok=True)
    path = cache / f"{corpus}_mfcc.parquet"
    if path.exists():
        return FeatureTable.read_parquet(path)
    loader = {"ravdess": load_ravdess, "emodb": load_emodb}[corpus]
    manifest = loader(data / "speech" / corpus)
    t0 = time.perf_counter()
    table = emofeat.extract(manifest, "mfcc", n_jobs=n_jobs)
    print(f"# extracted {corpus}: {table.shape} in {time.perf_counter() - t0:.0f} s",
          file=sys.stderr)
    table.to_parquet(path)
    return table


def run_grid(corpora, models, data: Path, cache: Path, n_jobs: int,
             fresh: bool = False) -> list[dict]:
    """Evaluate every cell; finished cells are kept in ``cache/results.json`` and reused
    (same corpus, model, parameters and standardisation) unless ``fresh``."""
    from emofeat.classifiers import evaluate

    store = cache / "results.json"
    done = {} if fresh or not store.exists() else json.loads(store.read_text())
    rows = []
    for corpus in corpora:
        table = load_features(corpus, data, cache, n_jobs)
        n_classes = table.index["emotion"].nunique()
        for model in models:
            for std in (False, True):
                key = f"{corpus}|{model}|{json.dumps(MODEL_PARAMS.get(model, {}))}|{std}"
                if key in done:
                    rows.append(done[key])
                    continue
                t0 = time.perf_counter()
                res = evaluate(
                    table, target="emotion", groups="speaker", model=model, protocol="loso",
                    model_params=MODEL_PARAMS.get(model, {}),
                    standardize="group" if std else None,
                )
                rows.append({
                    "corpus": corpus, "files": len(table), "classes": n_classes,
                    "model": model, "per-speaker std": "yes" if std else "no",
                    "UAR": res.uar, "WA": res.wa, "macro-F1": res.macro_f1,
                    "seconds": time.perf_counter() - t0,
                })
                done[key] = rows[-1]
                store.write_text(json.dumps(done, indent=1))
                print(f"# {corpus} {model} std={std}: {res.summary()}", file=sys.stderr)
    return rows


def markdown(rows: list[dict]) -> str:
    head = "| corpus | files | classes | model | per-speaker std | UAR | WA | macro-F1 | time (s) |"
    lines = [head, "|" + "---|" * 9]
    for r in rows:
        lines.append(
            f"| {r['corpus']} | {r['files']} | {r['classes']} | {r['model']} | "
            f"{r['per-speaker std']} | {r['UAR']:.3f} | {r['WA']:.3f} | {r['macro-F1']:.3f} | "
            f"{r['seconds']:.0f} |"
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", type=Path, default=DEFAULT_DATA)
    ap.add_argument("--cache", type=Path, default=DEFAULT_CACHE,
                    help=f"features and finished cells (default {DEFAULT_CACHE})")
    ap.add_argument("--corpus", default="ravdess,emodb")
    ap.add_argument("--models", default="svm,rf,xgb,logreg")
    ap.add_argument("-j", "--jobs", type=int, default=2)
    ap.add_argument("--extract-only", action="store_true")
    ap.add_argument("--fresh", action="store_true", help="ignore results cached in --cache")
    args = ap.parse_args(argv)
    corpora = [c.strip() for c in args.corpus.split(",") if c.strip()]
    if args.extract_only:
        for corpus in corpora:
            print(load_features(corpus, args.data, args.cache, args.jobs))
        return 0
    rows = run_grid(corpora, [m.strip() for m in args.models.split(",")], args.data,
                    args.cache, args.jobs, fresh=args.fresh)
    print(markdown(rows))
    from _common import write_results  # results/accuracy_mfcc.json for docs/results.md

    write_results("accuracy_mfcc", " ".join(["python benchmarks/accuracy_mfcc.py",
                                             *(sys.argv[1:] if argv is None else argv)]),
                  {"UAR": rows}, markdown=markdown(rows))
    return 0


if __name__ == "__main__":
    sys.exit(main())
