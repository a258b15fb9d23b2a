"""The cost of folding full-width and other compatibility characters (0c350b1) in the
``lexicon`` set: this tree against a baseline tree, in fresh processes, interleaved.

Every pass runs each tree once in a fresh process (this tree, baseline, this tree, ...). A
process reads the corpora, compiles (one untimed call on 200 texts with a throwaway
featurizer), then times, per corpus, a fresh ``TextFeaturizer(["vader", "afinn"],
style=True)`` (the 30 default columns: empty chunk and token tables, what one call over a
new corpus costs) and a second call of that featurizer on the same texts (every chunk seen).
Corpora: the 43,410 GoEmotions training comments (mostly ASCII; 946 hold emoji), the 16,000
CARER training texts (ASCII only: the ASCII fast path), and the GoEmotions comments with every
ASCII character made full-width (``ｈａｐｐｙ``; the fold's worst case, all of it non-ASCII).
Figures: CPU seconds of the timed call (``time.process_time``; the steadier figure on a shared
machine) and wall seconds, median and min over passes, and the median of per-pass ratios
(this tree / baseline). BLAS one thread.

    python benchmarks/bench_text_fold.py --baseline-src DIR [--src DIR] [--passes 7]

``DIR`` is a tree laid out as installed (``DIR/emofeat`` with ``extractors`` and
``classifiers`` inside, e.g. from ``git archive``); ``--src`` runs "this tree" from such a
folder instead of the installed package (away from edits in progress).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import (  # noqa: E402
    DATA,
    environment,
    median_min,
    ratio_median,
    setting,
    write_results,
)

CHILD = r"""
import json, sys, time
sys.path.insert(0, sys.argv[2])
from _text_data import carer_texts, goemotions_texts
from pathlib import Path
from emofeat.extractors._text_features import TextFeaturizer
root = Path(sys.argv[1])
ge = goemotions_texts(root, "train")
wide = {c: c + 0xFEE0 for c in range(0x21, 0x7F)}
corpora = {"goemotions": ge, "carer": carer_texts(root, "train"),
           "goemotions full-width": [t.translate(wide) for t in ge]}
TextFeaturizer(["vader", "afinn"], style=True).transform(ge[:200])  # compile, untimed
out = {}
for name, texts in corpora.items():
    f = TextFeaturizer(["vader", "afinn"], style=True)
    for kind in ("fresh", "warm"):
        c0, w0 = time.process_time(), time.perf_counter()
        f.transform(texts)
        out[f"{name}, {kind}"] = (time.process_time() - c0, time.perf_counter() - w0)
print(json.dumps(out))
"""


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", default=str(DATA))
    ap.add_argument("--baseline-src", required=True, metavar="DIR")
    ap.add_argument("--src", default=None, metavar="DIR")
    ap.add_argument("--passes", type=int, default=7)
    ap.add_argument("--no-write", action="store_true")
    args = ap.parse_args()
    if args.passes < 5:
        raise SystemExit("--passes must be >= 5 (medians of interleaved passes)")
    print(setting(1, args.passes), flush=True)
    tests = str(Path(__file__).resolve().parent.parent / "tests")
    trees = {"this tree": args.src, "baseline": str(Path(args.baseline_src).resolve())}
    cmd = [sys.executable, "-c", CHILD, str(Path(args.data) / "text"), tests]

    def run(src):
        env = environment(str(Path(src).resolve()) if src else None)
        proc = subprocess.run(cmd, env=env, capture_output=True, text=True, check=False,
                              cwd=tempfile.gettempdir())
        if proc.returncode:
            raise SystemExit(proc.stderr)
        return json.loads(proc.stdout.splitlines()[-1])

    for src in trees.values():  # Numba caches of both trees filled, untimed
        run(src)
    load0 = os.getloadavg()
    runs: dict[str, list[dict]] = {k: [] for k in trees}
    for _ in range(args.passes):
        for name, src in trees.items():
            runs[name].append(run(src))
    load1 = os.getloadavg()
    rows = []
    for what in runs["this tree"][0]:
        row = {"what": what}
        for name in trees:
            cpu = [r[what][0] for r in runs[name]]
            wall = [r[what][1] for r in runs[name]]
            (cm, cn), (wm, wn) = median_min(cpu), median_min(wall)
            row[f"{name} CPU s"] = f"{cm:.3f} ({cn:.3f})"
            row[f"{name} wall s"] = f"{wm:.3f} ({wn:.3f})"
        this = [r[what][0] for r in runs["this tree"]]
        base = [r[what][0] for r in runs["baseline"]]
        row["this / baseline CPU"] = round(ratio_median(this, base), 3)
        rows.append(row)
        print(f"  {what:32s} this {row['this tree CPU s']} baseline {row['baseline CPU s']} "
              f"CPU s; this/baseline {row['this / baseline CPU']:.3f}")
    print(f"load average before {load0[0]:.2f}, after {load1[0]:.2f} (1 min)")
    if not args.no_write:
        path = write_results(
            "bench_text_fold",
            "python benchmarks/bench_text_fold.py " + " ".join(sys.argv[1:]),
            {"lexicon set, fresh and warm calls, CPU and wall seconds, median (min)": rows},
            notes=f"load average before {load0[0]:.2f}, after {load1[0]:.2f}")
        print(f"wrote {path}")


if __name__ == "__main__":
    main()
