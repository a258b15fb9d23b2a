"""Throughput of the two proof sets of the modality-neutral core, beside what a user would write.

* ``eeg_stats`` on real EEG (the Muse recordings in shared/data: 4 channels + AUX, 256 Hz,
  cut into 4 s windows every 2 s) against NumPy/SciPy per window (mean, std,
  ``scipy.stats.skew``/``kurtosis``, mean |diff|), through the public API (``transform`` of
  a list of windows) and the kernel alone.
* ``text_surface`` on the GoEmotions training comments against the plain-Python loop a user
  would write with the same tokeniser (counts per text), through the public API.

Interleaved passes (reference, emofeat, reference, ...), BLAS one thread: throughputs are
medians over passes (minima beside them); every ``speed_up`` is reference time / emofeat time
(> 1: emofeat faster), the median of the per-pass ratios. Figures go to
``benchmarks/results/bench_core_sets.json``.

Usage: ``python benchmarks/bench_core_sets.py [--passes 7] [--texts 43410] [--windows N]``
(``--texts 2000 --windows 200 --passes 5`` for a quick check)
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

import numpy as np
from _common import (
    DATA,
    add_common_args,
    interleaved,
    limit_blas,
    median_min,
    ratio_median,
    setting,
    write_results,
)


def muse_windows(seconds: float = 4.0, hop: float = 2.0) -> tuple[list[np.ndarray], float]:
    import pandas as pd

    windows, sfreq = [], None
    for f in sorted((DATA / "eeg" / "muse_mental_state").glob("*.csv")):
        df = pd.read_csv(f)
        t = df["timestamps"].to_numpy()
        sfreq = float(round(1.0 / np.median(np.diff(t))))
        x = df.drop(columns=["timestamps"]).to_numpy(dtype=np.float64).T
        n, step = int(seconds * sfreq), int(hop * sfreq)
        windows += [np.ascontiguousarray(x[:, a : a + n])
                    for a in range(0, x.shape[1] - n + 1, step)]
    if not windows:
        raise SystemExit(f"no Muse recordings under {DATA}")
    return windows, sfreq


def goemotions(n: int) -> list[str]:
    import pandas as pd

    df = pd.read_csv(DATA / "text" / "goemotions" / "train.tsv", sep="\t", header=None,
                     quoting=3, names=["text", "labels", "id"], dtype=str, keep_default_na=False)
    return df["text"].tolist()[:n]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--passes", type=int, default=7)
    parser.add_argument("--texts", type=int, default=43410)
    parser.add_argument("--windows", type=int, default=0,
                        help="use only the first N EEG windows (0: all)")
    add_common_args(parser)
    args = parser.parse_args()
    limit_blas(args.blas_threads)

    from emofeat.extractors import EEGStats, TextSurface
    from emofeat.extractors import _eeg_stats_kernels as K
    from emofeat.extractors.text_surface import tokenize
    from scipy import stats

    print(setting(args.blas_threads, args.passes))
    windows, sfreq = muse_windows()
    if args.windows:
        windows = windows[: args.windows]
    names = tuple(f"c{k}" for k in range(windows[0].shape[0]))
    items = [(w, sfreq, names) for w in windows]
    ext = EEGStats().fit(items[:1])

    def eeg_reference():
        for x in windows:
            np.concatenate([x.mean(1), x.std(1), stats.skew(x, axis=1),
                            stats.kurtosis(x, axis=1), np.abs(np.diff(x, axis=1)).mean(1)])

    def eeg_kernel():
        out = np.empty((windows[0].shape[0], K.N_STATS))
        for x in windows:
            K.channel_stats(x, out)

    ext.transform(items[:2])
    times = interleaved({"reference": eeg_reference, "api": lambda: ext.transform(items),
                         "kernel": eeg_kernel}, args.passes)
    n = len(windows)
    print(f"eeg_stats, {n} windows of 4 s x {windows[0].shape[0]} channels at {sfreq:g} Hz")
    rows = []
    for k, v in times.items():
        med, low = median_min(v)
        print(f"  {k:<10} {n / med:10.0f} windows/s (fastest pass {n / low:.0f})")
        rows.append({"set": "eeg_stats", "what": k, "items_per_s": n / med,
                     "items_per_s_fastest": n / low, "items": n, "passes": len(v)})
    # speed-up = reference time / emofeat time, the median over passes of the per-pass ratio
    # (> 1: emofeat faster); the ratio of the minima beside it
    api, kern = (ratio_median(times["reference"], times[k]) for k in ("api", "kernel"))
    api_lo, kern_lo = (min(times["reference"]) / min(times[k]) for k in ("api", "kernel"))
    print(f"  speed-up over NumPy/SciPy (reference time / emofeat time, median of per-pass "
          f"ratios): API {api:.2f}x, kernel {kern:.2f}x (of minima: {api_lo:.2f}x, "
          f"{kern_lo:.2f}x)")
    ratios = [{"what": "eeg_stats API speed-up over NumPy/SciPy (reference s / API s)",
               "speed_up": api, "speed_up_of_minima": api_lo},
              {"what": "eeg_stats kernel speed-up over NumPy/SciPy (reference s / kernel s)",
               "speed_up": kern, "speed_up_of_minima": kern_lo}]

    texts = goemotions(args.texts)
    ts = TextSurface()
    word = re.compile(r"[^\W\d_]")

    def text_reference():
        for text in texts:
            toks = tokenize(text)
            words = [t for t in toks if len(word.findall(t)) >= 2]
            _ = (len(toks), sum(len(t) for t in toks), toks.count("!"), toks.count("?"),
                 sum(t.isupper() for t in words) / len(words) if words else float("nan"))

    ts.fit_transform(texts[:10])
    times = interleaved({"reference": text_reference,
                         "api": lambda: ts.fit_transform(texts)}, args.passes)
    n = len(texts)
    print(f"text_surface, {n} GoEmotions comments")
    for k, v in times.items():
        med, low = median_min(v)
        print(f"  {k:<10} {n / med:10.0f} texts/s (fastest pass {n / low:.0f})")
        rows.append({"set": "text_surface", "what": k, "items_per_s": n / med,
                     "items_per_s_fastest": n / low, "items": n, "passes": len(v)})
    # reference over emofeat, as above (it was API / reference: 1.83 meant 1.83x slower)
    rel = ratio_median(times["reference"], times["api"])
    rel_lo = min(times["reference"]) / min(times["api"])
    print(f"  API speed-up over the plain-Python loop (loop time / API time, median of "
          f"per-pass ratios): {rel:.2f}x (of minima: {rel_lo:.2f}x; < 1: emofeat slower)")
    ratios.append({"what": "text_surface API speed-up over the plain-Python loop "
                           "(loop s / API s)", "speed_up": rel, "speed_up_of_minima": rel_lo})
    write_results("bench_core_sets", "python benchmarks/" + " ".join(
        [Path(sys.argv[0]).name, *sys.argv[1:]]), {"throughput": rows, "ratios": ratios},
        notes=f"{args.passes} interleaved passes, BLAS {args.blas_threads} thread(s); "
              "speed_up = reference seconds / emofeat seconds, median over passes of the "
              "per-pass ratio (> 1: emofeat faster); speed_up_of_minima = fastest reference "
              "pass / fastest emofeat pass")


if __name__ == "__main__":
    main()
