"""The seed paper's experiment on our data: RQA functionals fused with an acoustic set.

Tzinis et al. ("Integrating Recurrence Dynamics for Speech Emotion Recognition", Interspeech
2018) report that concatenating utterance-level RQA functionals with a standard acoustic set
raises unweighted accuracy by up to 5.7 points speaker-dependent and 10.7 speaker-independent.
This script runs the same comparison on RAVDESS speech (1440 files, 24 actors, 8 emotions) and
EmoDB (535 files, 10 speakers, 7 emotions; the shared copy is cut/padded to 2.0 s, so its
figures are not comparable with published EmoDB results):

* feature sets (columns of ONE multi-set extraction per corpus, made with the CLI:
  ``emofeat extract --set rqa_speech,egemaps,mfcc,librosa,paa,prosody``; each set's columns
  are identical to that set extracted alone, as checked on 20 RAVDESS files):
  ``acoustic`` = mfcc+librosa+paa+prosody, ``egemaps``, ``rqa_speech``, and the fusions
  ``rqa_speech+acoustic`` and ``rqa_speech+egemaps``;
* one model: ``make_classifier("svm")`` (RBF SVC, C=1, gamma="scale", balanced class weights,
  median imputation and z-scoring fitted on the training rows of each fold), no tuning;
* protocols (:func:`emofeat.classifiers.evaluate`):

  - ``SI``: speaker-independent, leave one speaker out (``protocol="loso"``);
  - ``SD``: speaker-dependent as in the authors' code (nldrp,
    ``fuse_call_level_loso_opt_feats.py``): stratified k-fold over utterances, every speaker
    on both sides of every fold (``protocol="trialwise", trials="path"``, ``--sd-folds``
    folds, shuffled, seed 0; the authors used 3 folds, we use 5);
  - ``SD-1spk``: one model per speaker, stratified k-fold inside each speaker, UAR averaged
    over speakers (``protocol="subject_dependent"``), the other common meaning of
    "speaker-dependent";

* each with and without per-speaker standardisation (``standardize="group"``: every speaker's
  rows z-scored with that speaker's own statistics, from features only).

Extracted tables are cached under ``--cache`` (default /tmp/uar_rqa) and finished cells in
``--cache/cells.json``, so a rerun only evaluates what is missing; a cached table whose sets'
parameters or numbers versions are not today's is extracted again (a line says why) and the
cells of the sets that changed evaluated again (``--render-only`` extracts no table and
computes no cell: it names such a table, writes the cached cells and marks their corpus
``stale`` in the result file; with ``--measure-rqa`` it still times ``rqa_speech`` alone where
that timing is not cached). Results go to ``benchmarks/results/uar_rqa.json`` and ``.md``
(``--out-dir``).

    python benchmarks/uar_rqa.py [--corpora ravdess,emodb] [--protocols SI,SD,SD-1spk]
        [--configs acoustic,egemaps,rqa_speech,rqa_speech+acoustic,rqa_speech+egemaps]
        [--measure-rqa] [--jobs 1]
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
import time
from pathlib import Path

from _common import cli_extract, markdown_table, speech_manifest_csv, write_results

SETS = ("rqa_speech", "egemaps", "mfcc", "librosa", "paa", "prosody")
ACOUSTIC = ("mfcc", "librosa", "paa", "prosody")
CONFIGS = {
    "acoustic": ACOUSTIC,
    "egemaps": ("egemaps",),
    "rqa_speech": ("rqa_speech",),
    "rqa_speech+acoustic": ("rqa_speech", *ACOUSTIC),
    "rqa_speech+egemaps": ("rqa_speech", "egemaps"),
}
# fusion -> the baseline it is compared with
FUSIONS = {"rqa_speech+acoustic": "acoustic", "rqa_speech+egemaps": "egemaps"}
PROTOCOLS = {
    "SI": {"protocol": "loso"},
    "SD": {"protocol": "trialwise", "trials": "path"},
    "SD-1spk": {"protocol": "subject_dependent"},
}
PROTOCOL_TEXT = {
    "SI": "leave one speaker out",
    "SD": "stratified k-fold over utterances, speakers on both sides",
    "SD-1spk": "one model per speaker, stratified k-fold inside it, mean over speakers",
}


def set_columns(names: list[str]) -> dict[str, list[int]]:
    """Column positions of each set in a multi-set table, from the sets' name prefixes
    (``rqa_speech_``, ``egemaps_``, ``mfcc<k>``, ``librosa_``, ``paa_``, ``prosody_``);
    every column must belong to exactly one set."""
    pattern = {s: re.compile(rf"^{s}(_|\d)") for s in SETS}
    cols: dict[str, list[int]] = {s: [] for s in SETS}
    for i, n in enumerate(names):
        owners = [s for s, p in pattern.items() if p.match(n)]
        if len(owners) != 1:
            raise SystemExit(f"column {n!r} belongs to {owners or 'no set'}")
        cols[owners[0]].append(i)
    return cols


def today_config() -> dict:
    """The run config (sets, level, segments) that ``emofeat extract --set <SETS>`` records
    today: the command's defaults, level functionals and whole files (no segments)."""
    from emofeat.registry import get_extractor
    from emofeat.runner import _run_config

    return _run_config([get_extractor(s) for s in SETS], "functionals", None, False)


def changed_sets(provenance: dict) -> set[str]:
    """The sets of ``SETS`` whose columns in a cached table may differ from today's: those
    whose record (class, parameters, numbers version) differs or is missing; all of them
    where no fingerprint, another level or other segments leave every column open, or where
    the records show nothing of why the fingerprint differs."""
    today = today_config()
    cached = provenance.get("sets")
    if (provenance.get("fingerprint") is None or not isinstance(cached, list)
            or any(provenance.get(k) != today[k] for k in ("level", "segments"))):
        return set(SETS)
    old = {d.get("name"): d for d in cached if isinstance(d, dict)}
    return {d["name"] for d in today["sets"] if old.get(d["name"]) != d} or set(SETS)


def stale_because(provenance: dict) -> str | None:
    """Why a cached table is not what ``emofeat extract --set <SETS>`` gives today (``None``
    when it is): the resume key of emofeat's output store (:func:`emofeat.store.fingerprint`
    of the sets' parameters and numbers versions, level and segments) is compared, as the
    store does before adding rows to an output; what differs is named: no fingerprint
    recorded, the list of sets, a set's numbers version or parameters, another field of a
    set's record (its class), the level or segments, else other extraction parameters."""
    from emofeat._numbers import numbers_changes, numbers_differ
    from emofeat.store import fingerprint
    from emofeat.table import _difference, _sets_differ

    today = today_config()
    key, found = fingerprint(today), provenance.get("fingerprint")
    if found == key:
        return None
    if found is None:
        # a table not written by the command (or by one older than fingerprints): no record
        # to compare, and its whole provenance would be no reason
        return f"no fingerprint recorded; today's {key}"
    cached, sets = provenance.get("sets"), today["sets"]
    # in the words of FeatureTable.concat's refusal to stack two such tables
    said = []
    if _names(cached) != _names(sets):
        said.append(f"sets {_names(cached)} vs {_names(sets)}")
    changes = numbers_changes(cached, sets)
    if changes:
        said.append(numbers_differ(changes))
    elif _sets_differ(cached, sets):
        said.append(_difference("sets", cached, sets))
    else:
        said += _record_fields_differ(cached, sets)
    said += [f"{k} {provenance.get(k)!r} vs {today[k]!r}" for k in ("level", "segments")
             if provenance.get(k) != today[k]]
    return (f"{'; '.join(said) or 'other extraction parameters'}, cached vs today; "
            f"fingerprint {found} vs {key}")


def _names(sets: object) -> object:
    """The set names of a provenance's ``sets`` in order (what it holds where not a list)."""
    if not isinstance(sets, list):
        return sets
    return [d.get("name") if isinstance(d, dict) else d for d in sets]


def _record_fields_differ(cached: object, today: list[dict]) -> list[str]:
    """``set field: cached vs today`` for each field other than the parameters (such as the
    class) where the record of a set both hold differs."""
    if not isinstance(cached, list):
        return []
    old = {d.get("name"): d for d in cached if isinstance(d, dict)}
    return [f"{d['name']} {k}: {old[d['name']].get(k)!r} vs {d.get(k)!r}" for d in today
            if d["name"] in old for k in sorted(old[d["name"]].keys() | d.keys())
            if k != "params" and old[d["name"]].get(k) != d.get(k)]


def load_table(corpus: str, cache: Path, jobs: int, log: dict, done: dict,
               extract: bool = True, stale: dict | None = None):
    """The corpus' multi-set table, extracted once with the CLI and cached as parquet; a
    cached table extracted otherwise than today's sets would (:func:`stale_because`: a set's
    numbers version bumped, a default changed) is extracted again, and the cells evaluated on
    its changed sets' columns (:func:`changed_sets`; all where the new table's rows differ)
    are dropped from ``done``, as is the timing of ``rqa_speech`` alone where it changed.
    Without ``extract`` (``--render-only``) nothing is extracted and no cell dropped: the
    cached table as it is (a line says why it is stale, and ``stale[corpus]`` holds why), or
    ``None`` where none is cached."""
    from emofeat.table import FeatureTable

    path = cache / f"{corpus}_features.parquet"
    old = None
    if path.exists():
        table = FeatureTable.read_parquet(path)
        why = stale_because(table.provenance)
        if why is None:
            return table
        if not extract:
            if stale is not None:
                stale[corpus] = why
            print(f"{path}: cached table is not what today's sets give ({why}); "
                  "--render-only: not extracted again, its cached cells written as they are",
                  flush=True)
            return table
        print(f"{path}: cached table not reused ({why}); extracting it again", flush=True)
        old = table
    elif not extract:
        print(f"{path}: no cached table; --render-only: not extracted", flush=True)
        return None
    log[f"extract_{corpus}"] = cli_extract(",".join(SETS), speech_manifest_csv(corpus, cache),
                                           path, jobs)
    table = FeatureTable.read_parquet(path)
    if old is not None:
        changed = changed_sets(old.provenance)
        if not old.index.reset_index(drop=True).equals(table.index.reset_index(drop=True)):
            changed = set(SETS)  # other rows (a file failing now, or no more): every cell
        for key in [k for k in done if k.startswith(f"{corpus}|")]:
            config = key.split("|")[1]
            if config not in CONFIGS or changed & set(CONFIGS[config]):
                del done[key]
        if "rqa_speech" in changed:
            log.pop(f"rqa_only_{corpus}", None)
    return table


def measure_rqa(corpus: str, cache: Path, jobs: int) -> dict:
    """Extraction cost of ``rqa_speech`` alone over the whole corpus (fresh output)."""
    out = cache / f"{corpus}_rqa_only.parquet"
    out.unlink(missing_ok=True)
    for extra in (Path(str(out) + ".lock"),):
        extra.unlink(missing_ok=True)
    return cli_extract("rqa_speech", speech_manifest_csv(corpus, cache), out, jobs)


def run_cell(table, cols, corpus, config, proto, std, sd_folds) -> dict:
    """Evaluate one cell with :func:`emofeat.classifiers.evaluate` and return its row."""
    from emofeat.classifiers import evaluate

    idx = [i for s in CONFIGS[config] for i in cols[s]]
    sub = table.select([table.feature_names[i] for i in idx])
    kw = dict(PROTOCOLS[proto])
    if proto != "SI":
        kw["n_splits"] = sd_folds
    t0 = time.perf_counter()
    res = evaluate(sub, target="emotion", groups="speaker", model="svm",
                   standardize="group" if std else None, random_state=0, **kw)
    per = res.per_group["uar"]
    return {"corpus": corpus, "features": config, "n_features": len(idx), "protocol": proto,
            "per_speaker_std": "yes" if std else "no", "UAR": float(res.uar),
            "WA": float(res.wa), "macro_F1": float(res.macro_f1),
            "speaker_UAR_mean": float(per.mean()), "speaker_UAR_std": float(per.std(ddof=0)),
            "seconds": round(time.perf_counter() - t0, 1)}


def gains(rows: list[dict]) -> list[dict]:
    """Fusion minus its baseline, in UAR points, for every corpus/protocol/standardisation."""
    by = {(r["corpus"], r["features"], r["protocol"], r["per_speaker_std"]): r for r in rows}
    out = []
    for (corpus, feat, proto, std), r in by.items():
        if feat not in FUSIONS:
            continue
        base = by.get((corpus, FUSIONS[feat], proto, std))
        rqa = by.get((corpus, "rqa_speech", proto, std))
        if base is None:
            continue
        out.append({"corpus": corpus, "protocol": proto, "per_speaker_std": std,
                    "baseline": FUSIONS[feat], "baseline_UAR": base["UAR"],
                    "rqa_speech_UAR": rqa["UAR"] if rqa else None,
                    "fusion_UAR": r["UAR"],
                    "gain_points": round(100 * (r["UAR"] - base["UAR"]), 1)})
    return out


def markdown(rows: list[dict], gain_rows: list[dict], sd_folds: int) -> str:
    """UAR grids (feature set x protocol/standardisation), one per corpus, then the gains."""
    parts = []
    combos = [(p, s) for p in PROTOCOLS for s in ("no", "yes")]
    for corpus in dict.fromkeys(r["corpus"] for r in rows):
        grid = []
        present = [(p, s) for p, s in combos if any(
            r["corpus"] == corpus and r["protocol"] == p and r["per_speaker_std"] == s
            for r in rows)]
        for config in CONFIGS:
            cell = {(r["protocol"], r["per_speaker_std"]): r for r in rows
                    if r["corpus"] == corpus and r["features"] == config}
            if not cell:
                continue
            row = {"features": f"`{config}`",
                   "n": next(iter(cell.values()))["n_features"]}
            for p, s in present:
                r = cell.get((p, s))
                row[f"{p}{' +spk-std' if s == 'yes' else ''}"] = (
                    f"{r['UAR']:.3f}" if r else "")
            grid.append(row)
        parts.append(f"**{corpus}** (UAR; SD = {sd_folds}-fold)\n\n" + markdown_table(grid))
    if gain_rows:
        parts.append("**Fusion gain** (UAR points, fusion minus its acoustic baseline)\n\n"
                     + markdown_table([{**g, "gain_points": f"{g['gain_points']:+.1f}"}
                                       for g in gain_rows]))
    return "\n\n".join(parts)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--corpora", default="ravdess,emodb")
    ap.add_argument("--configs", default=",".join(CONFIGS))
    ap.add_argument("--protocols", default=",".join(PROTOCOLS))
    ap.add_argument("--std", default="no,yes", help="per-speaker standardisation: no,yes")
    ap.add_argument("--sd-folds", type=int, default=5)
    ap.add_argument("--cache", type=Path, default=Path("/tmp/uar_rqa"))
    ap.add_argument("--out-dir", type=Path, default=None,
                    help="where uar_rqa.json/.md go (default benchmarks/results)")
    ap.add_argument("-j", "--jobs", type=int, default=1, help="extraction worker processes")
    ap.add_argument("--measure-rqa", action="store_true",
                    help="also time rqa_speech extracted alone over each corpus")
    ap.add_argument("--extract-only", action="store_true")
    ap.add_argument("--fresh", action="store_true", help="ignore cells cached in --cache")
    ap.add_argument("--render-only", action="store_true",
                    help="extract no table and compute no cell: write the results of the "
                         "cells cached so far (the cells not computed yet are listed in the "
                         "result file, the corpora whose cached table is stale marked); "
                         "--measure-rqa still times rqa_speech alone where not cached")
    ap.add_argument("--note", default="", help="appended to the result file's notes (e.g. "
                    "when and at what load the cells were computed)")
    ap.add_argument("--reverse", action="store_true",
                    help="most expensive cells first: a second process started with --reverse "
                         "on the same --cache shares the grid (cells are claimed in the cache)")
    args = ap.parse_args(argv)

    from threadpoolctl import threadpool_limits

    threadpool_limits(1)  # one core for BLAS: the machine is shared
    args.cache.mkdir(parents=True, exist_ok=True)
    store = args.cache / "cells.json"
    done = {} if args.fresh or not store.exists() else json.loads(store.read_text())
    log = done.pop("_log", {})

    def alive(pid: int) -> bool:
        try:
            os.kill(pid, 0)
        except OSError:
            return False
        return True

    # claims of processes that died (interrupted runs) are dropped, so their cells rerun
    done = {k: v for k, v in done.items() if "UAR" in v or alive(v.get("claimed_by", -1))}
    corpora = args.corpora.split(",")
    tables, cells, stale = {}, [], {}
    for corpus in corpora:
        table = load_table(corpus, args.cache, args.jobs, log, done,
                           extract=not args.render_only, stale=stale)
        if table is not None:
            tables[corpus] = (table, set_columns(table.feature_names))
        if args.measure_rqa and f"rqa_only_{corpus}" not in log:
            log[f"rqa_only_{corpus}"] = measure_rqa(corpus, args.cache, args.jobs)
        store.write_text(json.dumps({**done, "_log": log}, indent=1))
        cells += [(corpus, proto, config, std == "yes") for proto in args.protocols.split(",")
                  for config in args.configs.split(",") for std in args.std.split(",")]
    if not args.extract_only:
        # cheapest cells first (an RBF SVM costs ~ features x training rows^2 per fit), so an
        # interrupted run has the most cells; finished cells are cached and skipped
        def cost(cell):
            corpus, proto, config, _ = cell
            table, cols = tables[corpus]
            n_feat = sum(len(cols[s]) for s in CONFIGS[config])
            fits = {"SI": len(set(table.index["speaker"])), "SD": args.sd_folds}.get(proto, 0)
            return n_feat * len(table) ** 2 * (fits if fits else 0.05)

        def sync(key=None, value=None) -> None:
            """Merge the cells another process (``--reverse``) wrote into ``done``, add one."""
            disk = json.loads(store.read_text()) if store.exists() else {}
            log.update(disk.pop("_log", {}))
            done.update({k: v for k, v in disk.items()
                         if "UAR" in v or (k not in done and alive(v.get("claimed_by", -1)))})
            for k in [k for k, v in done.items() if "UAR" not in v
                      and not alive(v.get("claimed_by", -1))]:
                del done[k]  # a claim whose process died
            if key is not None:
                done[key] = value
            tmp = store.with_suffix(f".tmp{os.getpid()}")
            tmp.write_text(json.dumps({**done, "_log": log}, indent=1))
            os.replace(tmp, store)

        # --render-only computes no cell (and may have no table to cost them with)
        todo = [] if args.render_only else sorted(cells, key=cost, reverse=args.reverse)
        for corpus, proto, config, std in todo:
            key = f"{corpus}|{config}|{proto}|{std}|{args.sd_folds}"
            sync()
            if key in done:  # finished, or computed by another process
                continue
            sync(key, {"claimed_by": os.getpid()})
            table, cols = tables[corpus]
            row = run_cell(table, cols, corpus, config, proto, std, args.sd_folds)
            sync(key, row)
            print(" ".join(f"{k}={v:.3f}" if isinstance(v, float) else f"{k}={v}"
                           for k, v in row.items()), flush=True)
        sync()
        pending = [k for k, v in done.items() if "UAR" not in v]
        missing = [f"{c}|{cf}|{p}|{s}|{args.sd_folds}" for c, p, cf, s in cells
                   if "UAR" not in done.get(f"{c}|{cf}|{p}|{s}|{args.sd_folds}", {})]
        if args.render_only and missing:
            print(f"--render-only: {len(missing)} cell(s) not computed yet: {missing}")
        elif pending:
            print(f"{len(pending)} cell(s) still computed by another process: {pending}; "
                  "rerun when it has finished to write the complete results")
            return 1
    rows = [done[f"{c}|{cf}|{p}|{s}|{args.sd_folds}"] for c, p, cf, s in cells
            if "UAR" in done.get(f"{c}|{cf}|{p}|{s}|{args.sd_folds}", {})]
    if args.extract_only:
        print(json.dumps(log, indent=1))
        return 0
    gain_rows = gains(rows)
    md = markdown(rows, gain_rows, args.sd_folds)
    print("\n" + md)
    # the command that computes the cells (--render-only only wrote them out)
    command = "python benchmarks/uar_rqa.py " + " ".join(
        a for a in (argv if argv is not None else sys.argv[1:])
        if a not in ("--render-only", "--note", args.note))
    write_results(
        "uar_rqa", command.strip(),
        {"UAR per cell": rows, "Fusion gain": gain_rows},
        notes=("SVM = make_classifier('svm') defaults; SI = leave one speaker out; SD = "
               f"stratified {args.sd_folds}-fold over utterances (speakers on both sides); "
               "SD-1spk = one model per speaker; EmoDB is the shared 2.0 s cut/padded copy."
               + (f" {args.note}" if args.note else "")),
        # a stale table's cells (--render-only writes them as cached) are marked, with why
        extra={"extraction": log, "protocols": PROTOCOL_TEXT,
               "not_computed": [] if args.extract_only else missing, "stale": stale},
        markdown=md, out_dir=args.out_dir)
    return 0


if __name__ == "__main__":
    sys.exit(main())
