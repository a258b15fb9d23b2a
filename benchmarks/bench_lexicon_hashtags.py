"""A ``lexicon`` transform once many distinct hashtags are in the vocabulary: the batch runner
calls the set once per text, so a per-call cost that grows with the hashtags seen so far grows
with the corpus. For this source tree and, with ``--baseline-src``, another one.

Each pass runs one fresh process per tree, interleaved. A process fits
``LexiconFeatures()`` (VADER, AFINN, style cues), transforms ``--tags`` texts of one distinct
hashtag each (``#tag0 so happy``, ...: real vocabulary growth, untimed), then times
``--calls`` single-text calls ``transform(["I am so happy #tag7"])`` (CPU seconds per call,
``time.process_time``; wall beside it). The features of a fixed probe batch are hashed and
must agree between the trees. Medians and minima over ``--passes`` (default 5); the load
average before and after is printed and written.

    python benchmarks/bench_lexicon_hashtags.py [--passes 5] [--tags 100000] [--calls 20]
        [--baseline-src DIR] [--src DIR] [--out DIR | --no-write]

``--baseline-src DIR`` / ``--src DIR``: a tree laid out as installed (``DIR/emofeat`` with
``extractors`` inside, e.g. from ``git archive``); "this tree" is the installed package unless
``--src`` is given. Writes ``benchmarks/results/lexicon_hashtags.json``.
"""

from __future__ import annotations

import argparse
import os
import statistics
import tempfile

from _common import RESULTS, child_json, setting
from bench_cli_text import load_span, report

CHILD = r"""
import hashlib, json, sys, time
import numpy as np
from emofeat.extractors.lexicon import LexiconFeatures
tags, calls = int(sys.argv[1]), int(sys.argv[2])
lf = LexiconFeatures().fit([])
texts = [f"#tag{i} so happy" for i in range(tags)]
for k in range(0, tags, 5000):  # the vocabulary grows as a corpus would make it grow
    lf.transform(texts[k:k + 5000])
probe = ["I am so happy #tag7", "#kind of good", "#not good at all", "#Happy #happy", ""]
digest = hashlib.sha256(np.ascontiguousarray(lf.transform(probe)).tobytes()).hexdigest()
one = ["I am so happy #tag7"]
lf.transform(one)
w, c = time.perf_counter(), time.process_time()
for _ in range(calls):
    lf.transform(one)
print(json.dumps({"call_cpu_s": (time.process_time() - c) / calls,
                  "call_wall_s": (time.perf_counter() - w) / calls, "features": digest}))
"""


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--passes", type=int, default=5)
    ap.add_argument("--tags", type=int, default=100_000)
    ap.add_argument("--calls", type=int, default=20)
    ap.add_argument("--baseline-src", default=None, metavar="DIR")
    ap.add_argument("--src", default=None, metavar="DIR")
    ap.add_argument("--out", default=str(RESULTS))
    ap.add_argument("--no-write", action="store_true")
    args = ap.parse_args()
    trees = {"this tree": args.src}
    if args.baseline_src:
        trees["baseline"] = args.baseline_src
    print(setting(1, args.passes), flush=True)
    load_before = os.getloadavg()
    runs: dict[str, list[dict]] = {t: [] for t in trees}
    with tempfile.TemporaryDirectory() as tmp:  # not the checkout: it would shadow the trees
        for _ in range(args.passes):
            for tree in runs:
                runs[tree].append(child_json(CHILD, [str(args.tags), str(args.calls)],
                                             trees[tree], tmp, tree))
    load_after = os.getloadavg()
    if len({r["features"] for v in runs.values() for r in v}) != 1:
        raise SystemExit("the trees give different features for the probe texts")
    rows = []
    for tree, v in runs.items():
        row = {"tree": tree, "hashtags_in_vocabulary": args.tags, "passes": len(v)}
        for key in ("call_cpu_s", "call_wall_s"):
            row[key] = statistics.median(r[key] for r in v)
            row[key.replace("_s", "_min_s")] = min(r[key] for r in v)
        rows.append(row)
        print(f"{tree:<10} one-text transform after {args.tags} hashtags: "
              f"{1e3 * row['call_cpu_s']:.3f} ms CPU (min {1e3 * row['call_cpu_min_s']:.3f}, "
              f"wall {1e3 * row['call_wall_s']:.3f})")
    if "baseline" in runs:
        ratio = statistics.median(b["call_cpu_s"] / t["call_cpu_s"]
                                  for t, b in zip(runs["this tree"], runs["baseline"],
                                                  strict=True))
        print(f"baseline / this tree, median of per-pass CPU ratios: {ratio:.1f}x")
        rows.append({"tree": "baseline / this tree (median of per-pass CPU ratios)",
                     "ratio": ratio})
    loads = load_span(load_before, load_after)
    report("lexicon_hashtags", f"features identical in every process; {loads}", args,
           {"one-text transform": rows},
           notes=f"fresh processes, trees interleaved, {args.passes} passes, medians (and "
                 f"minima) of the mean of {args.calls} one-text calls after {args.tags} "
                 f"distinct hashtags entered the vocabulary; {loads}",
           extra={"trees": trees})


if __name__ == "__main__":
    main()
