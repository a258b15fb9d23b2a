"""Loading the NRC lexicons from the user's files: the first load in a fresh process and every
further fit of a ``LexiconFeatures`` with the lexicon (a model fitted again: cross-validation,
grid search), for this source tree and, with ``--baseline-src``, another one.

Each pass runs one fresh process per tree and garbage-collector setting, all interleaved:
``gc on`` as in a user's script or notebook, ``gc paused`` as in the ``emofeat extract``
command (which pauses the collector while it sets up). A process times, in CPU seconds
(``time.process_time``; wall seconds beside them), the first ``load_nrc_emolex`` (likewise
``load_nrc_vad``) of the file in ../shared/data/lexicons, then ``--fits`` featurizers of
``LexiconFeatures(lexicons=["vader", "afinn", ("nrc_emolex", path)])`` built one after the
other (the first one of the process made before, untimed). Every tree's lexicons are checked
equal first (entries, their order, categories). Medians and minima over ``--passes`` (default
5); the load average before and after is printed and written.

    python benchmarks/bench_lexicon_load.py [--passes 5] [--fits 5] [--baseline-src DIR]
        [--src DIR] [--out DIR | --no-write]

``--baseline-src DIR`` / ``--src DIR``: a tree laid out as installed (``DIR/emofeat`` with
``extractors`` inside, e.g. from ``git archive``); "this tree" is the installed package unless
``--src`` is given. Writes ``benchmarks/results/lexicon_load.json``.
"""

from __future__ import annotations

import argparse
import os
import statistics
import tempfile

from _common import DATA, RESULTS, child_json, setting
from bench_cli_text import load_span, report

FILES = {"emolex": DATA / "lexicons" / "nrc_emolex" / "NRC-Emotion-Lexicon-Wordlevel-v0.92.txt",
         "vad": DATA / "lexicons" / "nrc_vad" / "NRC-VAD-Lexicon.txt"}

CHILD = r"""
import gc, hashlib, json, sys, time
if sys.argv[1] == "paused":
    gc.disable()
from emofeat.extractors import _lexicons
from emofeat.extractors.lexicon import LexiconFeatures
emolex, vad, fits = sys.argv[2], sys.argv[3], int(sys.argv[4])
out, digest = {}, hashlib.sha256()
for name, load, path in (("emolex", _lexicons.load_nrc_emolex, emolex),
                         ("vad", _lexicons.load_nrc_vad, vad)):
    w, c = time.perf_counter(), time.process_time()
    lex = load(path)
    out[name + "_cpu_s"], out[name + "_wall_s"] = time.process_time() - c, time.perf_counter() - w
    digest.update(repr((lex.name, lex.categories, lex.kind,
                        [(k, list(v.items())) for k, v in lex.entries.items()])).encode())
spec = ["vader", "afinn", ("nrc_emolex", emolex)]
LexiconFeatures(lexicons=spec)._featurizer()
w, c = time.perf_counter(), time.process_time()
for _ in range(fits):
    LexiconFeatures(lexicons=spec)._featurizer()
out["fit_cpu_s"], out["fit_wall_s"] = ((time.process_time() - c) / fits,
                                       (time.perf_counter() - w) / fits)
out["lexicons"] = digest.hexdigest()
print(json.dumps(out))
"""


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--passes", type=int, default=5)
    ap.add_argument("--fits", type=int, default=5)
    ap.add_argument("--baseline-src", default=None, metavar="DIR")
    ap.add_argument("--src", default=None, metavar="DIR")
    ap.add_argument("--out", default=str(RESULTS))
    ap.add_argument("--no-write", action="store_true")
    args = ap.parse_args()
    missing = [str(p) for p in FILES.values() if not p.exists()]
    if missing:
        raise SystemExit(f"NRC lexicon file(s) not found: {missing} (see shared/data/README.md)")
    trees = {"this tree": args.src}
    if args.baseline_src:
        trees["baseline"] = args.baseline_src
    print(setting(1, args.passes), flush=True)
    load_before = os.getloadavg()
    runs: dict[tuple[str, str], list[dict]] = {(t, g): [] for t in trees
                                               for g in ("gc on", "gc paused")}
    with tempfile.TemporaryDirectory() as tmp:  # not the checkout: it would shadow the trees
        for _ in range(args.passes):
            for tree, gc_mode in runs:
                runs[(tree, gc_mode)].append(child_json(
                    CHILD, [gc_mode.split()[1], str(FILES["emolex"]), str(FILES["vad"]),
                            str(args.fits)], trees[tree], tmp, f"{tree}, {gc_mode}"))
    load_after = os.getloadavg()
    digests = {r["lexicons"] for v in runs.values() for r in v}
    if len(digests) != 1:
        raise SystemExit("the trees load different lexicons")
    rows = []
    for (tree, gc_mode), v in runs.items():
        row = {"tree": tree, "gc": gc_mode, "passes": len(v)}
        for key in ("emolex_cpu_s", "emolex_wall_s", "vad_cpu_s", "vad_wall_s", "fit_cpu_s",
                    "fit_wall_s"):
            row[key] = statistics.median(r[key] for r in v)
            row[key.replace("_s", "_min_s")] = min(r[key] for r in v)
        rows.append(row)
        print(f"{tree:<10} {gc_mode:<10} EmoLex first load {row['emolex_cpu_s']:.3f} s CPU "
              f"(min {row['emolex_cpu_min_s']:.3f}, wall {row['emolex_wall_s']:.3f}); VAD "
              f"{row['vad_cpu_s']:.3f} s; a further fit {row['fit_cpu_s']:.4f} s CPU "
              f"(min {row['fit_cpu_min_s']:.4f})")
    loads = load_span(load_before, load_after)
    report("lexicon_load", f"lexicons identical in every process; {loads}", args,
           {"lexicon loading": rows},
           notes=f"fresh processes, trees and GC settings interleaved, {args.passes} passes, "
                 f"medians (and minima); a further fit: the mean of {args.fits} featurizers "
                 f"built in a row after the first; lexicons identical in every tree; {loads}",
           extra={"trees": trees})


if __name__ == "__main__":
    main()
