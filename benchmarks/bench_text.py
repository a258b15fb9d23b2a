"""Text speed: emofeat's VADER vs vaderSentiment 3.3.2, and the whole ``lexicon`` set, on the
43,410 GoEmotions training comments, side by side in one process.

Both sides score the same list of comments. Passes are interleaved (reference, emofeat cold,
emofeat warm, lexicon set cold, lexicon set warm), ``--repeats`` times; each figure is the
median over passes. "Cold" builds a fresh scorer per pass, so its token cache starts empty (what
a user's single call over a new corpus costs); "warm" reuses one scorer, whose cache already
holds every token (a second call on similar text, e.g. a test split after the train split).
Numba compilation is excluded (one warm-up call first). Scores are checked identical (rounded
neg/neu/pos/compound) before timing. BLAS is limited to one thread. Wall-clock and CPU-time
figures are both printed: on a shared machine the CPU time of this process is the steadier one.
The machine's load average (``os.getloadavg``, as ``uptime`` shows it) is printed before and
after the passes: state it with every figure.

    python benchmarks/bench_text.py [--passes 5] [--n 43410] [--data ../shared/data]

(``--n 2000`` for a quick check.) Each figure is printed with the fastest pass's beside it;
each speed-up is the median over passes of the per-pass ratio (vaderSentiment's time / emofeat's
time in the same pass), the ratio of the medians beside it; figures go to
``benchmarks/results/bench_text.json``.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import DATA, limit_blas, setting, write_results  # noqa: E402


def read_goemotions(root: Path, n: int) -> list[str]:
    path = root / "text" / "goemotions" / "train.tsv"
    if not path.exists():
        sys.exit(f"GoEmotions not found at {path} (see shared/data/README.md)")
    with open(path, encoding="utf-8", newline="") as f:
        texts = [line.rstrip("\r\n").split("\t")[0] for line in f if line.strip()]
    return texts[:n]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", default=str(DATA))
    ap.add_argument("--n", type=int, default=43410)
    ap.add_argument("--passes", "--repeats", type=int, default=5, dest="repeats")
    args = ap.parse_args()
    limit_blas(1)
    print(setting(1, args.repeats))

    from emofeat.extractors import LexiconFeatures
    from emofeat.extractors._vader import SCORE_NAMES, Vader
    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

    texts = read_goemotions(Path(args.data), args.n)
    ref = SentimentIntensityAnalyzer()
    Vader().scores(["warm up :) 😂"])
    LexiconFeatures().fit([]).transform(["warm up :) 😂 not good, very bad!"])

    want = np.array([[d[k] for k in SCORE_NAMES] for d in map(ref.polarity_scores, texts)])
    got = Vader().scores(texts)
    n_diff = int((np.abs(want - got).max(axis=1) > 0).sum())
    print(f"{len(texts)} GoEmotions train comments; texts whose scores differ from "
          f"vaderSentiment: {n_diff} (max |diff| {np.abs(want - got).max():.1e})")

    warm_vader = Vader()
    warm_vader.scores(texts)
    warm_set = LexiconFeatures().fit([])
    warm_set.transform(texts)
    n_set = len(warm_set.get_feature_names_out())

    def timed(fn) -> tuple[float, float]:
        w0, c0 = time.perf_counter(), time.process_time()
        fn()
        return time.perf_counter() - w0, time.process_time() - c0

    def load() -> str:
        return "load average " + ", ".join(f"{x:.2f}" for x in os.getloadavg())

    load_before = load()
    keys = ("ref", "vader_cold", "vader_warm", "set_cold", "set_warm")
    runs: dict[str, list[tuple[float, float]]] = {k: [] for k in keys}
    for _ in range(args.repeats):
        runs["ref"].append(timed(lambda: [ref.polarity_scores(t) for t in texts]))
        runs["vader_cold"].append(timed(lambda: Vader().scores(texts)))
        runs["vader_warm"].append(timed(lambda: warm_vader.scores(texts)))
        runs["set_cold"].append(timed(lambda: LexiconFeatures().fit([]).transform(texts)))
        runs["set_warm"].append(timed(lambda: warm_set.transform(texts)))
    load_after = load()
    n = len(texts)
    print(f"before the passes: {load_before}; after: {load_after} (1, 5, 15 min); "
          f"{os.cpu_count()} cores, BLAS 1 thread")
    rows = []
    for which, label_ in ((0, "wall-clock"), (1, "CPU time of this process")):
        med = {k: statistics.median(r[which] for r in v) for k, v in runs.items()}
        low = {k: min(r[which] for r in v) for k, v in runs.items()}
        # the headline: median over passes of the per-pass ratio (reference / emofeat, each
        # pass's pair ran back to back); the ratio of the medians beside it
        speed = {k: statistics.median(a[which] / b[which]
                                      for a, b in zip(runs["ref"], v, strict=True))
                 for k, v in runs.items()}
        rows += [{"clock": label_, "what": k, "texts_per_s": n / med[k],
                  "texts_per_s_fastest": n / low[k], "speed_up": speed[k],
                  "speed_up_of_medians": med["ref"] / med[k], "passes": len(v)}
                 for k, v in runs.items()]
        print(f"-- {label_} (median of {args.repeats} interleaved passes; fastest pass in "
              "brackets; speed-up = median of per-pass ratios vaderSentiment / emofeat, ratio "
              "of medians in brackets)")
        print(f"vaderSentiment polarity_scores loop  {n / med['ref']:9.0f} texts/s "
              f"({n / low['ref']:.0f})")
        for key, label in (("vader_cold", "emofeat Vader, fresh scorer"),
                           ("vader_warm", "emofeat Vader, warm cache")):
            print(f"{label:<36} {n / med[key]:9.0f} texts/s ({n / low[key]:.0f})  speed-up "
                  f"{speed[key]:5.1f}x ({med['ref'] / med[key]:.1f}x)  (identical scores)")
        for key, label in (("set_cold", "lexicon set, fresh extractor"),
                           ("set_warm", "lexicon set, warm cache")):
            print(f"{label:<36} {n / med[key]:9.0f} texts/s ({n / low[key]:.0f})  "
                  f"{speed[key]:5.1f}x ({med['ref'] / med[key]:.1f}x) "
                  f"vaderSentiment's rate  ({n_set} features: VADER + sentence aggregates, "
                  "AFINN, style)")
    print("all passes, wall s: " + ", ".join(f"{k}={[round(x[0], 2) for x in v]}"
                                           for k, v in runs.items()))
    write_results("bench_text", "python benchmarks/" + " ".join(
        [Path(sys.argv[0]).name, *sys.argv[1:]]), {"speed": rows},
        notes=f"{n} GoEmotions comments, {args.repeats} interleaved passes, BLAS 1 thread; "
              "speed_up: median over passes of vaderSentiment's time / emofeat's time in the "
              "same pass (speed_up_of_medians: ratio of the medians); "
              f"{n_diff} texts differ from vaderSentiment; load {load_before} before, "
              f"{load_after} after")


if __name__ == "__main__":
    main()
