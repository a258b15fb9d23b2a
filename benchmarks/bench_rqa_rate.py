"""RQA at a fixed recurrence rate: emofeat's radius search against pyunicorn's, and against a
baseline source tree, on the same real EEG series.

The series is ``--points`` samples of the Muse channel AF7 (``subjecta-neutral-1.csv`` of the
shared Muse recordings, microvolts, quantised in the headband's steps: many equal distances,
the case that made the search slow). Each pass starts one fresh process per variant (this
tree; ``--baseline-src`` when given), in turn, so drifts in load hit all alike; in it, after a
warm-up call on the first 300 points, it times, on the whole series (dim 3, delay 2,
euclidean, recurrence rate 0.05, the pyunicorn preset):

* ``rqa_measures(..., recurrence_rate=0.05)``: the radius chosen, then the plot measured;
* ``rqa_measures(..., radius=<that radius>)``: the plot measured alone, so the search's own
  cost is the difference;
* in this tree's process only, what a user otherwise runs: pyunicorn 1.0's
  ``RecurrencePlot(..., recurrence_rate=0.05)`` (the full distance matrix, sorted) and its
  12 measures; the radii must be equal.

Times are thread CPU seconds (one thread, BLAS one thread), each the median over passes with
the minimum beside it; each ratio is the median of the per-pass ratios.

    python benchmarks/bench_rqa_rate.py [--points 4000] [--passes 5] [--baseline-src TREE]

Figures go to ``benchmarks/results/bench_rqa_rate.json`` (``--no-write``: printed only).
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
import numpy as np
from threadpoolctl import threadpool_limits
threadpool_limits(1)
from emofeat.extractors.rqa import rqa_measures
data, n, with_pyunicorn = sys.argv[1], int(sys.argv[2]), sys.argv[3] == "1"
x = np.loadtxt(f"{data}/eeg/muse_mental_state/subjecta-neutral-1.csv", delimiter=",",
               skiprows=1, usecols=(2,), max_rows=n + 500)[500:500 + n]
opts = dict(preset="pyunicorn", dim=3, delay=2, metric="euclidean")
def timed(fn, warm=True):
    if warm:
        fn(x[:300])  # warm-up: compilation, caches
    t0 = time.thread_time()
    out = fn(x)
    return time.thread_time() - t0, out
by_rate = lambda s: rqa_measures(s, recurrence_rate=0.05, **opts)
t_rate, got = timed(by_rate)
t_radius, _ = timed(lambda s: rqa_measures(s, radius=got["radius"], **opts))
out = {"points": int(x.size), "by_rate": t_rate, "by_radius": t_radius,
       "radius": got["radius"]}
def unicorn(s):
    from pyunicorn.timeseries import RecurrencePlot
    rp = RecurrencePlot(s, dim=3, tau=2, metric="euclidean", recurrence_rate=0.05,
                        silence_level=10)
    for m in ("recurrence_rate", "determinism", "average_diaglength", "max_diaglength",
              "diag_entropy", "laminarity", "trapping_time", "max_vertlength",
              "vert_entropy", "max_white_vertlength", "average_white_vertlength",
              "white_vert_entropy"):
        getattr(rp, m)()
    return RecurrencePlot.threshold_from_recurrence_rate(rp.distance_matrix("euclidean"), 0.05)
if with_pyunicorn:
    t, radius = timed(unicorn, warm=False)
    out["pyunicorn"] = t
    out["pyunicorn_radius"] = float(radius)
print(json.dumps(out))
"""


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", default=str(Path(__file__).resolve().parents[2] / "shared" / "data"))
    ap.add_argument("--points", type=int, default=4000)
    ap.add_argument("--passes", type=int, default=5)
    ap.add_argument("--baseline-src", default=None)
    ap.add_argument("--no-write", action="store_true")
    args = ap.parse_args()
    if not Path(args.data, "eeg", "muse_mental_state").is_dir():
        sys.exit(f"no Muse recordings under {args.data}")

    variants = {"this tree": None}
    if args.baseline_src:
        variants["baseline"] = args.baseline_src
    print(setting(1, args.passes))
    times: dict[str, list[float]] = {"pyunicorn RecurrencePlot + 12 measures": []}
    for v in variants:
        times[f"emofeat rqa_measures(recurrence_rate), {v}"] = []
        times[f"emofeat rqa_measures(radius), {v}"] = []
    points = 0
    cwd = tempfile.gettempdir()
    for _ in range(args.passes):
        for name, src in variants.items():
            got = child_json(CHILD, [args.data, str(args.points), "1" if src is None else "0"],
                             src, cwd, f"rqa of {name}")
            times[f"emofeat rqa_measures(recurrence_rate), {name}"].append(got["by_rate"])
            times[f"emofeat rqa_measures(radius), {name}"].append(got["by_radius"])
            if src is None:
                times["pyunicorn RecurrencePlot + 12 measures"].append(got["pyunicorn"])
                if got["pyunicorn_radius"] != got["radius"]:
                    raise SystemExit(f"radii differ: pyunicorn {got['pyunicorn_radius']!r}, "
                                     f"emofeat {got['radius']!r}")
            points = got["points"]
    rows = []
    print(f"{points} Muse AF7 samples, dim 3, delay 2, euclidean, recurrence rate 0.05 "
          "(thread CPU seconds)")
    for name, v in times.items():
        med, low = median_min(v)
        print(f"  {name:48s} median {med:8.3f} s   min {low:8.3f} s")
        rows.append({"implementation": name, "median_s": med, "min_s": low, "passes": len(v)})
    rate = "emofeat rqa_measures(recurrence_rate), "
    ratios = [{"what": "pyunicorn / emofeat at a recurrence rate (this tree)",
               "median_ratio": ratio_median(times["pyunicorn RecurrencePlot + 12 measures"],
                                            times[rate + "this tree"])},
              {"what": "emofeat at a recurrence rate / at its radius given (this tree)",
               "median_ratio": ratio_median(times[rate + "this tree"],
                                            times["emofeat rqa_measures(radius), this tree"])}]
    if args.baseline_src:
        ratios.append({"what": "baseline / this tree, at a recurrence rate",
                       "median_ratio": ratio_median(times[rate + "baseline"],
                                                    times[rate + "this tree"])})
    for r in ratios:
        print(f"  {r['what']}: {r['median_ratio']:.2f}x (median of per-pass ratios)")
    if not args.no_write:
        write_results(
            "bench_rqa_rate",
            "python benchmarks/" + " ".join([Path(sys.argv[0]).name, *sys.argv[1:]]),
            {"rqa at a recurrence rate": rows, "ratios": ratios},
            notes=f"{points} Muse AF7 samples, {args.passes} interleaved passes of fresh "
                  "processes, thread CPU time, BLAS 1 thread; radii equal to pyunicorn's; "
                  "baseline: "
                  f"{os.path.basename(os.path.normpath(args.baseline_src or '-'))}")


if __name__ == "__main__":
    main()
