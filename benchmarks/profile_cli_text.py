"""Where a text command's seconds go: ``emofeat extract --set <set> texts.csv -o out.parquet
--overwrite -j 1 -q`` in fresh processes, with timers around its stages.

The command runs as the ``emofeat`` program does (``emofeat.cli.main`` with the program's
start-up shortcuts on), in a process whose first lines start the clocks and wrap these
functions where the command looks them up (a timer costs about a microsecond a call, and the
wrapped functions are called a few dozen times in all):

===============================  =========================================================
stage                            what it is
===============================  =========================================================
``import emofeat.cli``           NumPy, the CLI and the runner's modules
``set import``                   ``registry.get_extractor``: the set's modules (for
                                 ``lexicon`` Numba too, its kernels' module imports it)
``set set-up``                   ``check_params``: lexicons read, VADER's tables, the
                                 tokenizer (``lexicon``)
``reading the CSV``              ``cli.collect_inputs``: pandas, the manifest
``inputs and keys``              ``runner.normalize_inputs`` and ``input_keys`` (the resume
                                 key of each text, a hash of its content)
``the set's features``           the set's ``features_of_many`` on every shard
``runner, per text``             the rest of ``compute._batched``: each text read into a
                                 signal, each row handed on
``parts written``                the rest of ``schedule.run_shard``: rows gathered, an Arrow
                                 part written and synced per shard
``merged into the output``       ``FeatureStore.finalize``
``rest of the run``              the rest of ``runner.run`` (plan, shards, first kernel loads)
``rest of the command``          the rest of ``cli.main`` (Numba's start-up shortcuts, output
                                 folder, messages)
===============================  =========================================================

and the interpreter's own start-up (``python -c pass``) beside them. CPU seconds
(``time.process_time``) are the headline: they move much less with other jobs on a shared
machine than wall seconds, which are given too. Medians (and minima) over ``--passes``
fresh processes per set, the sets interleaved; kernels warm (``emofeat warmup``); BLAS one
thread. Writes ``benchmarks/results/profile_cli_text.json``.

    python benchmarks/profile_cli_text.py [--sets lexicon,text_surface] [--passes 5]
        [--texts 43227] [--emolex] [--out DIR | --no-write]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from _common import DATA, RESULTS, environment, setting
from bench_cli_sets import prepare_inputs
from bench_cli_text import load_span, report

EMOLEX = DATA / "lexicons" / "nrc_emolex" / "NRC-Emotion-Lexicon-Wordlevel-v0.92.txt"

CHILD = r"""
import json, sys, time
CLOCKS = (time.process_time, time.perf_counter)
T0 = [c() for c in CLOCKS]
acc = {}
def wrap(owner, name, label):
    f = getattr(owner, name)
    def timed(*a, **k):
        t = [c() for c in CLOCKS]
        try:
            return f(*a, **k)
        finally:
            got = acc.setdefault(label, [0.0, 0.0])
            for i, c in enumerate(CLOCKS):
                got[i] += c() - t[i]
    setattr(owner, name, timed)
import emofeat.cli as C, emofeat.registry as RG, emofeat.runner as R, emofeat.compute as CO
import emofeat.schedule as SC, emofeat.store as S
acc["import emofeat.cli"] = [c() - t for c, t in zip(CLOCKS, T0)]
for owner, name, label in ((C, "collect_inputs", "reading the CSV"),
                           (R, "normalize_inputs", "normalize"), (R, "input_keys", "keys"),
                           (CO, "_batched", "batched"), (SC, "run_shard", "shards"),
                           (S.FeatureStore, "finalize", "merged into the output"),
                           (R, "run", "run"), (RG, "get_extractor", "set import")):
    wrap(owner, name, label)
get = RG.get_extractor
def get_extractor(*a, **k):
    ext = get(*a, **k)
    if "features" not in acc:
        acc["features"] = [0.0, 0.0]
        wrap(type(ext), "features_of_many", "features")
        wrap(type(ext), "check_params", "set set-up")
    return ext
RG.get_extractor = get_extractor
C._CONSOLE = True  # the emofeat program's start-up shortcuts, as console_main sets them
rc = C.main(sys.argv[1:])
acc["total"] = [c() - t for c, t in zip(CLOCKS, T0)]
print(json.dumps({"rc": rc, **acc}))
"""

STAGES = ("import emofeat.cli", "set import", "set set-up", "reading the CSV", "inputs and keys",
          "the set's features", "runner, per text", "parts written", "merged into the output",
          "rest of the run", "rest of the command")


def stages(acc: dict) -> dict[str, list[float]]:
    """The table's stages from the child's accumulated timers ([cpu, wall] each)."""
    def get(k):
        return acc.get(k, [0.0, 0.0])

    def minus(a, *bs):
        return [a[i] - sum(b[i] for b in bs) for i in range(2)]

    keys = [a + b for a, b in zip(get("normalize"), get("keys"), strict=True)]
    out = {"import emofeat.cli": get("import emofeat.cli"), "set import": get("set import"),
           "set set-up": get("set set-up"), "reading the CSV": get("reading the CSV"),
           "inputs and keys": keys, "the set's features": get("features"),
           "runner, per text": minus(get("batched"), get("features")),
           "parts written": minus(get("shards"), get("batched")),
           "merged into the output": get("merged into the output"),
           "rest of the run": minus(get("run"), keys, get("shards"),
                                    get("merged into the output"))}
    out["rest of the command"] = minus(get("total"), *out.values())
    out["total"] = get("total")
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sets", default="lexicon,text_surface")
    ap.add_argument("--passes", type=int, default=5)
    ap.add_argument("--texts", type=int, default=43410)
    ap.add_argument("--emolex", action="store_true",
                    help="also the lexicon set with NRC EmoLex from ../shared/data")
    ap.add_argument("--out", default=str(RESULTS))
    ap.add_argument("--no-write", action="store_true")
    args = ap.parse_args()
    env = environment(None)
    print(setting(1, args.passes), flush=True)
    load_before = os.getloadavg()
    with tempfile.TemporaryDirectory(prefix="profile_cli_text_") as tmp:
        csv, n, _ = prepare_inputs("lexicon", args.texts, Path(tmp))
        variants = {s: [] for s in args.sets.split(",") if s}
        if args.emolex and EMOLEX.exists():
            variants["lexicon + EmoLex"] = [
                "--param", f"lexicons=('vader', 'afinn', ('nrc_emolex', {str(EMOLEX)!r}))"]
        subprocess.run([sys.executable, "-m", "emofeat", "warmup", "--set",
                        ",".join(dict.fromkeys(s.split()[0] for s in variants))], check=True,
                       capture_output=True, env=env, cwd=tmp)
        runs: dict[str, list[dict]] = {k: [] for k in [*variants, "python -c pass"]}
        for _ in range(args.passes):
            for name, params in variants.items():
                cmd = [sys.executable, "-c", CHILD, "extract", "--set", name.split()[0],
                       str(csv), "--input-column", "text", "-o", str(Path(tmp) / "out.parquet"),
                       "--overwrite", "-j", "1", "-q", *params]
                proc = subprocess.run(cmd, capture_output=True, text=True, env=env, cwd=tmp,
                                      check=False)
                if proc.returncode:
                    raise SystemExit(f"{name} failed:\n{proc.stderr[-2000:]}")
                runs[name].append(stages(json.loads(proc.stdout.strip().splitlines()[-1])))
            r0, w = os.times(), time.perf_counter()
            subprocess.run([sys.executable, "-c", "pass"], check=True, env=env, cwd=tmp)
            r1, w = os.times(), time.perf_counter() - w
            runs["python -c pass"].append({"total": [
                (r1.children_user - r0.children_user) + (r1.children_system - r0.children_system),
                w]})
    load_after = os.getloadavg()
    rows = []
    for name, v in runs.items():
        for stage in (*STAGES, "total") if name != "python -c pass" else ("total",):
            cpu = [r[stage][0] for r in v]
            wall = [r[stage][1] for r in v]
            rows.append({"command": name, "stage": stage, "cpu_median_s": statistics.median(cpu),
                         "cpu_min_s": min(cpu), "wall_median_s": statistics.median(wall),
                         "passes": len(v)})
    for name in runs:
        what = "" if name == "python -c pass" else f" ({n} texts)"
        print(f"\n{name}{what}: CPU median (min) s, wall median s")
        for r in rows:
            if r["command"] == name:
                print(f"  {r['stage']:<24} {r['cpu_median_s']:7.3f} ({r['cpu_min_s']:.3f})"
                      f" {r['wall_median_s']:8.3f}")
    loads = load_span(load_before, load_after)
    report("profile_cli_text", loads, args, {"stages": rows},
           notes=f"{n} distinct GoEmotions training comments; emofeat extract -j 1 --overwrite "
                 f"in fresh processes with timers around its stages, {args.passes} passes, sets "
                 f"interleaved; medians (and minima) of CPU seconds, wall beside; the stages do "
                 f"not include the interpreter's own start-up (python -c pass, beside); {loads}")


if __name__ == "__main__":
    main()
