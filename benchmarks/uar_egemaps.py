"""Task parity of emofeat's eGeMAPS with openSMILE's: the same SVM, the same protocol.

The eGeMAPS issue asks that emofeat's independent eGeMAPSv02 functionals classify emotions as
well as openSMILE's: speaker-independent (leave one speaker out) UAR with one SVM pipeline on
RAVDESS (1440 files, 24 actors, 8 emotions) and EmoDB (535 files, 10 speakers, 7 emotions; the
shared copy is cut or zero-padded to 2.0 s), without and with per-speaker standardisation,
emofeat within 1.0 UAR point of openSMILE or better in all four cells.

* emofeat: ``emofeat extract --set egemaps manifest.csv`` (the command a user runs);
* openSMILE: ``opensmile.Smile(eGeMAPSv02, Functionals).process_signal`` on exactly the samples
  emofeat analyses (``emofeat.audio.load_audio(path, 16000)``), one row per file, rows aligned
  to emofeat's by path;
* the fusion the issue asks for, ``egemaps`` with the acoustic sets ``mfcc,librosa,paa,prosody``
  (``emofeat extract --set egemaps,mfcc,librosa,paa,prosody``), against the acoustic sets alone;
* one model for every cell: ``make_classifier("svm")`` (RBF SVC, C = 1, gamma "scale", balanced
  class weights, median imputation and z-scoring fitted inside each training fold), no tuning;
  :func:`emofeat.classifiers.evaluate` with ``protocol="loso"``, seed 0.

Extracted tables are cached under ``--cache`` (default /tmp/uar_egemaps; ``--fresh`` starts
again). Results: ``benchmarks/results/uar_egemaps.json`` and ``.md``.

    python benchmarks/uar_egemaps.py [--corpora ravdess,emodb] [--no-fusion] [-j 1]
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

import numpy as np
from _common import (
    cache_is_current,
    cli_extract,
    markdown_table,
    speech_manifest_csv,
    write_results,
)

ACOUSTIC = ("mfcc", "librosa", "paa", "prosody")
CONFIGS = ("openSMILE egemaps", "emofeat egemaps", "acoustic", "emofeat egemaps+acoustic")
TARGET_POINTS = 1.0


def opensmile_table(emofeat_table, cache: Path, corpus: str, log: dict):
    """openSMILE's 88 functionals of the same samples, rows in the emofeat table's order."""
    import pandas as pd

    from emofeat.audio import load_audio
    from emofeat.table import FeatureTable

    path = cache / f"{corpus}_opensmile.parquet"
    if path.exists():
        df = pd.read_parquet(path)
    else:
        import opensmile

        smile = opensmile.Smile(feature_set=opensmile.FeatureSet.eGeMAPSv02,
                                feature_level=opensmile.FeatureLevel.Functionals)
        rows = []
        t0 = time.perf_counter()
        for p in emofeat_table.index["path"]:
            y = load_audio(p, 16000).y
            rows.append(smile.process_signal(y, 16000).iloc[0].to_numpy(dtype=np.float64))
        log[f"opensmile_{corpus}"] = {"wall_s": time.perf_counter() - t0,
                                      "load_average": list(os.getloadavg())}
        df = pd.DataFrame(np.vstack(rows), columns=list(smile.feature_names))
        df.insert(0, "path", list(emofeat_table.index["path"]))
        df.to_parquet(path)
    if list(df["path"]) != list(emofeat_table.index["path"]):
        raise SystemExit(f"{path} rows do not follow the emofeat table: delete it")
    names = [c for c in df.columns if c != "path"]
    return FeatureTable(X=df[names].to_numpy(), feature_names=[f"opensmile_{n}" for n in names],
                        index=emofeat_table.index, provenance={"sets": [{"name": "opensmile"}]})


def join_acoustic(egemaps_table, path: Path):
    """``egemaps_table`` with the acoustic sets' columns of another extraction of the same
    files (rows matched by path)."""
    from emofeat.table import FeatureTable

    other = FeatureTable.read_parquet(path)
    pattern = tuple(f"{s}" for s in ACOUSTIC)
    cols = [n for n in other.feature_names if n.startswith(pattern)]
    pos = {p: i for i, p in enumerate(other.index["path"])}
    missing = [p for p in egemaps_table.index["path"] if p not in pos]
    if missing:
        raise SystemExit(f"{path} lacks {len(missing)} files, e.g. {missing[0]}")
    rows = np.array([pos[p] for p in egemaps_table.index["path"]])
    acoustic = other.select(cols, rows=rows)
    return FeatureTable(X=np.hstack([egemaps_table.X, acoustic.X]),
                        feature_names=egemaps_table.feature_names + acoustic.feature_names,
                        index=egemaps_table.index, provenance=egemaps_table.provenance)


def cell(table, corpus: str, config: str, std: bool) -> dict:
    from emofeat.classifiers import evaluate

    t0 = time.perf_counter()
    res = evaluate(table, target="emotion", groups="speaker", model="svm", protocol="loso",
                   standardize="group" if std else None, random_state=0)
    return {"corpus": corpus, "features": config, "n_features": table.shape[1],
            "per_speaker_std": "yes" if std else "no", "UAR": float(res.uar),
            "WA": float(res.wa), "macro_F1": float(res.macro_f1),
            "seconds": round(time.perf_counter() - t0, 1)}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--corpora", default="ravdess,emodb")
    ap.add_argument("--cache", type=Path, default=Path("/tmp/uar_egemaps"))
    ap.add_argument("--fresh", action="store_true", help="extract everything again")
    ap.add_argument("--no-fusion", action="store_true",
                    help="skip the acoustic sets (their extraction is the slow part)")
    ap.add_argument("--acoustic-from", type=Path, default=None,
                    help="take the acoustic sets' columns from this folder's "
                         "<corpus>_features.parquet (e.g. uar_rqa.py's cache, a multi-set "
                         "extraction with mfcc,librosa,paa,prosody), joined by path, instead "
                         "of extracting them again")
    ap.add_argument("--configs", default=",".join(CONFIGS),
                    help="comma-separated subset of the feature configurations (the parity "
                         "table needs the first two)")
    ap.add_argument("--name", default="uar_egemaps",
                    help="result file name under --out-dir (a subset run should not "
                         "overwrite the parity results)")
    ap.add_argument("-j", "--jobs", type=int, default=1, help="extraction worker processes")
    ap.add_argument("--out-dir", type=Path, default=None)
    args = ap.parse_args(argv)

    from threadpoolctl import threadpool_limits

    from emofeat.table import FeatureTable

    threadpool_limits(1)
    args.cache.mkdir(parents=True, exist_ok=True)
    if args.fresh:
        for p in args.cache.glob("*.parquet"):
            p.unlink()
    log: dict = {}
    rows = []
    for corpus in args.corpora.split(","):
        reuse = args.acoustic_from is not None and not args.no_fusion
        sets = "egemaps" if args.no_fusion or reuse else ",".join(("egemaps", *ACOUSTIC))
        path = args.cache / f"{corpus}_{sets.replace(',', '+')}.parquet"
        if not path.exists() or not cache_is_current(path):
            log[f"extract_{corpus}"] = cli_extract(sets, speech_manifest_csv(corpus, args.cache),
                                                   path, args.jobs)
        full = FeatureTable.read_parquet(path)
        if reuse:
            full = join_acoustic(full, args.acoustic_from / f"{corpus}_features.parquet")
            log[f"acoustic_{corpus}"] = {"from": str(args.acoustic_from)}
        ege = [n for n in full.feature_names if n.startswith("egemaps_")]
        acoustic = [n for n in full.feature_names if not n.startswith("egemaps_")]
        tables = {"openSMILE egemaps": opensmile_table(full, args.cache, corpus, log),
                  "emofeat egemaps": full.select(ege)}
        if not args.no_fusion:
            tables["acoustic"] = full.select(acoustic)
            tables["emofeat egemaps+acoustic"] = full
        wanted = args.configs.split(",")
        for config, table in tables.items():
            if config not in wanted:
                continue
            for std in (False, True):
                row = cell(table, corpus, config, std)
                rows.append(row)
                print(" ".join(f"{k}={v:.3f}" if isinstance(v, float) else f"{k}={v}"
                               for k, v in row.items()), flush=True)

    by = {(r["corpus"], r["features"], r["per_speaker_std"]): r["UAR"] for r in rows}
    parity = []
    for corpus in args.corpora.split(","):
        for std in ("no", "yes"):
            if (corpus, CONFIGS[0], std) not in by or (corpus, CONFIGS[1], std) not in by:
                continue
            ref, ours = by[(corpus, CONFIGS[0], std)], by[(corpus, CONFIGS[1], std)]
            diff = 100 * (ours - ref)
            parity.append({"corpus": corpus, "per_speaker_std": std, "openSMILE UAR": ref,
                           "emofeat UAR": ours, "difference (points)": round(diff, 1),
                           "within 1.0 point or better": "yes" if diff >= -TARGET_POINTS
                           else "**no**"})
    grid = []
    for corpus in args.corpora.split(","):
        for config in CONFIGS:
            if (corpus, config, "no") in by:
                n = next(r["n_features"] for r in rows
                         if r["corpus"] == corpus and r["features"] == config)
                grid.append({"corpus": corpus, "features": config, "n": n,
                             "SI": f"{by[(corpus, config, 'no')]:.3f}",
                             "SI +spk-std": f"{by[(corpus, config, 'yes')]:.3f}"})
    md = ("**Task parity** (leave one speaker out, SVM)\n\n" + markdown_table(parity)
          + "\n\n**All cells** (UAR)\n\n" + markdown_table(grid))
    print("\n" + md)
    write_results(
        args.name,
        "python benchmarks/uar_egemaps.py " + " ".join(argv if argv is not None
                                                       else sys.argv[1:]),
        {"Task parity": parity, "UAR per cell": rows},
        notes=("SVM = make_classifier('svm') defaults; leave one speaker out; openSMILE "
               "eGeMAPSv02 functionals from process_signal on the samples emofeat analyses; "
               "EmoDB is the shared 2.0 s cut/padded copy."),
        extra={"extraction": log}, markdown=md, out_dir=args.out_dir)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
