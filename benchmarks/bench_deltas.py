"""Delta kernel speed: emofeat's Savitzky-Golay deltas against ``librosa.feature.delta``, and
against a baseline source tree, on the same MFCC frames.

The frames are RAVDESS MFCCs (13 coefficients, float64, the ``mfcc`` set's default analysis,
no deltas) of ``--files`` files, computed once in each process. Each pass starts one fresh
process per variant (this tree; ``--baseline-src`` when given), in turn, so drifts in load hit
all alike; in it, after a warm-up call, the first and second deltas of every file are timed
(``emofeat.functionals.deltas``, orders 1 and 2, width 9), and in this tree's process also
``librosa.feature.delta`` on the same frames. Each time is the median over passes with the
minimum beside it, each ratio the median of the per-pass ratios. BLAS one thread.

    python benchmarks/bench_deltas.py [--files 240] [--passes 7] [--baseline-src TREE]

Figures go to ``benchmarks/results/bench_deltas.json`` (``--no-write``: printed only).
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path

from _common import child_json, median_min, ratio_median, setting, write_results

CHILD = r"""
import json, sys, time
from pathlib import Path
from threadpoolctl import threadpool_limits
threadpool_limits(1)
from emofeat.extractors.mfcc import MFCC
from emofeat.functionals import deltas
data, n_files, with_librosa = sys.argv[1], int(sys.argv[2]), sys.argv[3] == "1"
files = sorted(Path(data, "speech", "ravdess").glob("Actor_*/*.flac"))
files = files[:: max(1, len(files) // n_files)][:n_files]
ext = MFCC(level="lld", deltas=0, precision="float64")
ceps = [ext.compute_lld(str(f))[0] for f in files]
def ours():
    for c in ceps:
        deltas(c, 1, 9)
        deltas(c, 2, 9)
out = {"frames": int(sum(c.shape[0] for c in ceps))}
runs = {"emofeat": ours}
if with_librosa:
    import librosa
    def ref():
        for c in ceps:
            librosa.feature.delta(c.T, width=9, order=1)
            librosa.feature.delta(c.T, width=9, order=2)
    runs["librosa"] = ref
for name, fn in runs.items():
    fn()  # warm-up: compilation, caches
    t0 = time.perf_counter()
    fn()
    out[name] = time.perf_counter() - t0
print(json.dumps(out))
"""


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", default=str(Path(__file__).resolve().parents[2] / "shared" / "data"))
    ap.add_argument("--files", type=int, default=240)
    ap.add_argument("--passes", type=int, default=7)
    ap.add_argument("--baseline-src", default=None)
    ap.add_argument("--no-write", action="store_true")
    args = ap.parse_args()
    if not Path(args.data, "speech", "ravdess").is_dir():
        sys.exit(f"no RAVDESS files under {args.data}")

    variants = {"this tree": None}
    if args.baseline_src:
        variants["baseline"] = args.baseline_src
    print(setting(1, args.passes))
    times: dict[str, list[float]] = {"librosa.feature.delta": [],
                                     **{f"emofeat deltas, {v}": [] for v in variants}}
    frames = 0
    cwd = tempfile.gettempdir()
    for _ in range(args.passes):
        for name, src in variants.items():
            got = child_json(CHILD, [args.data, str(args.files), "1" if src is None else "0"],
                             src, cwd, f"deltas of {name}")
            times[f"emofeat deltas, {name}"].append(got["emofeat"])
            if src is None:
                times["librosa.feature.delta"].append(got["librosa"])
            frames = got["frames"]
    rows = []
    print(f"{args.files} RAVDESS files, {frames} MFCC frames, orders 1 and 2, width 9")
    for name, v in times.items():
        med, low = median_min(v)
        print(f"  {name:32s} median {med * 1000:8.2f} ms   min {low * 1000:8.2f} ms")
        rows.append({"implementation": name, "median_s": med, "min_s": low, "passes": len(v)})
    ratios = [{"what": "librosa.feature.delta / emofeat (this tree)",
               "median_ratio": ratio_median(times["librosa.feature.delta"],
                                            times["emofeat deltas, this tree"])}]
    if args.baseline_src:
        ratios.append({"what": "baseline / this tree",
                       "median_ratio": ratio_median(times["emofeat deltas, baseline"],
                                                    times["emofeat deltas, this tree"])})
    for r in ratios:
        print(f"  {r['what']}: {r['median_ratio']:.2f}x (median of per-pass ratios)")
    if not args.no_write:
        write_results(
            "bench_deltas",
            "python benchmarks/" + " ".join([Path(sys.argv[0]).name, *sys.argv[1:]]),
            {"deltas": rows, "ratios": ratios},
            notes=f"{args.files} RAVDESS files ({frames} frames), {args.passes} interleaved "
                  "passes of fresh processes, BLAS 1 thread; baseline: "
                  f"{os.path.basename(os.path.normpath(args.baseline_src or '-'))}")


if __name__ == "__main__":
    main()
