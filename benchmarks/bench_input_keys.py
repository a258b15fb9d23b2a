"""The resume key of an input given in memory: an EEG array pair, a Fortran-order array, an MNE
Raw and an MNE Epochs of about 100 MB each, keyed by ``EEGReader.key`` (a SHA-256 of the
samples, then the rate, channels and annotations), and the whole ``run([epochs], ...,
output=...)`` that keys and extracts the Epochs (band power) into a parquet file.

Each pass runs every variant (this tree, and ``--baseline-src``'s, a ``git archive`` laid out as
installed) in a fresh process, interleaved; each process builds the same seeded data, times
the key twice (wall seconds: the first call, which pays the process's first use of the
code path, MNE's channel picking for a Raw, and a second call, the cost per input) and then
measures its peak of newly allocated memory with tracemalloc
in a second call (tracemalloc slows the call it watches). Medians and minima; the ratio of the
baseline to this tree as the median of the per-pass ratios. BLAS one thread.

    python benchmarks/bench_input_keys.py [--passes 5] [--baseline-src DIR] [--no-write]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

from _common import child_json, median_min, ratio_median, write_results

CHILD = r"""
import json, sys, tempfile, time, tracemalloc, warnings
import numpy as np
import mne
from emofeat.extractors.eeg_sets import EEGBandPower
from emofeat.readers import EEGReader
from emofeat.runner import run

mne.set_log_level("error")
warnings.simplefilter("ignore")
rng = np.random.default_rng(0)
n_ch, sfreq = 32, 256.0
data = rng.standard_normal((n_ch, 402_000)) * 1e-5          # 103 MB of float64
names = [f"EEG{i:03d}" for i in range(n_ch)]
info = mne.create_info(names, sfreq, "eeg")
epochs = mne.EpochsArray(data[:, :400_000].reshape(n_ch, 400, 1000).transpose(1, 0, 2).copy(),
                         info, verbose="error")
items = {
    "array pair": (data, sfreq),
    "Fortran-order array pair": (np.asfortranarray(data), sfreq),
    "MNE Raw": mne.io.RawArray(data, info, verbose="error"),
    "MNE Epochs": epochs,
}
reader = EEGReader()
out = {}
for name, item in items.items():
    t0 = time.perf_counter()
    reader.key(item, 0)
    first = time.perf_counter() - t0
    t0 = time.perf_counter()
    reader.key(item, 0)
    seconds = time.perf_counter() - t0
    tracemalloc.start()
    reader.key(item, 0)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    out[name] = {"s": seconds, "first_s": first, "peak_mb": peak / 1e6}
with tempfile.TemporaryDirectory() as tmp:
    t0 = time.perf_counter()
    run([epochs], [EEGBandPower()], output=f"{tmp}/o.parquet")
    out["run([epochs], output=)"] = {"s": time.perf_counter() - t0, "first_s": None,
                                     "peak_mb": None}
print(json.dumps(out))
"""


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--passes", type=int, default=5)
    ap.add_argument("--baseline-src", default=None, metavar="DIR")
    ap.add_argument("--no-write", action="store_true")
    args = ap.parse_args()
    if args.passes < 5:
        raise SystemExit("--passes must be >= 5 (medians of interleaved passes)")
    trees = {"this tree": None, **({"baseline": args.baseline_src} if args.baseline_src else {})}
    cwd = tempfile.gettempdir()  # outside this checkout: a baseline must not import it
    runs: dict[str, list[dict]] = {t: [] for t in trees}
    for _ in range(args.passes):
        for tree, src in trees.items():
            runs[tree].append(child_json(CHILD, [], src, cwd, f"{tree} keys"))
    print(f"resume keys of ~103 MB inputs in memory, {args.passes} interleaved passes, "
          "fresh processes; median (min) wall seconds of a second call, the first call's "
          "median, median peak of new memory")
    rows = []
    for tree in trees:
        for name in runs[tree][0]:
            s = [r[name]["s"] for r in runs[tree]]
            (med, low) = median_min(s)
            peaks = [r[name]["peak_mb"] for r in runs[tree] if r[name]["peak_mb"] is not None]
            firsts = [r[name]["first_s"] for r in runs[tree] if r[name]["first_s"] is not None]
            row = {"tree": tree, "input": name, "median_s": round(med, 4),
                   "min_s": round(low, 4),
                   "first_call_median_s": round(median_min(firsts)[0], 4) if firsts else None,
                   "peak_mb": round(sorted(peaks)[len(peaks) // 2], 1) if peaks else None}
            if tree == "this tree" and "baseline" in runs:
                row["baseline_over_this"] = round(ratio_median(
                    [r[name]["s"] for r in runs["baseline"]], s), 2)
            rows.append(row)
            print(f"  {tree:10s} {name:28s} {med:.3f} ({low:.3f}) s"
                  + (f"  first call {row['first_call_median_s']:.3f} s" if firsts else "")
                  + (f"  peak {row['peak_mb']:.1f} MB" if peaks else "")
                  + (f"  baseline/this {row['baseline_over_this']:.2f}x"
                     if "baseline_over_this" in row else ""))
    if not args.no_write:
        path = write_results(
            "bench_input_keys", "python benchmarks/" + " ".join([Path(sys.argv[0]).name,
                                                                 *sys.argv[1:]]),
            {"keys": rows}, notes="EEGReader.key of seeded ~103 MB inputs and the whole "
            "run([epochs], output=) with band power; fresh processes, trees interleaved; "
            "ratios: medians of per-pass ratios")
        print(f"wrote {path}")


if __name__ == "__main__":
    main()
