"""The whole command for five more sets, side by side with the script a user of the reference
library writes: ``emofeat extract --set <set> <manifest> -o out.parquet --overwrite -j 1 -q``
against a plain loop of the reference library writing parquet with pandas, both as fresh
processes on the same inputs (start-up, reading and decoding, the features, the functionals
and the parquet writing included).

=========  ==========================================  =====================================
set        reference script                            inputs (default)
=========  ==========================================  =====================================
librosa    ``ref_librosa_set_script.py``: one shared   240 RAVDESS files (spread over actors)
           STFT per file (``S=``, ``chroma=``), the
           set's descriptors, mean and std
paa        ``ref_paa_script.py``: pyAudioAnalysis      240 RAVDESS files
           ``ShortTermFeatures.feature_extraction``
           (50/25 ms, deltas), mean and std
prosody    ``ref_prosody_script.py``: ``librosa.pyin`` 40 RAVDESS files (librosa's pYIN runs
           + ``rms``, mean and std, voicing rates      at about 6x real time)
lexicon    ``ref_vader_script.py``: vaderSentiment     5,000 distinct GoEmotions training
           ``polarity_scores`` per text                comments (a one-column CSV)
eeg_bands  ``ref_mne_eeg_script.py``: pandas CSV        the 24 Muse recordings, 4 s windows
           reader, the same windows, MNE's             every 2 s (``--segment 4s --hop 2s``)
           ``psd_array_welch``, band powers
=========  ==========================================  =====================================

Same work on both sides: ``librosa`` and ``prosody`` run with ``--param
"functionals=('mean','std')"`` (their default is 17 functionals), ``lexicon`` with the VADER
columns only (``lexicons=('vader',)``, ``style=False``, ``vader_sentences=False``; no AFINN
package is installed to be the reference of its AFINN columns); the set with its default
parameters is timed beside it as a third variant, not a headline. ``paa`` and ``eeg_bands``
run with their defaults. Before any pass is timed, one untimed run of every variant writes
its table (and warms the page cache for both sides alike), and the tables are compared: the
same rows, and every feature column of the reference script against emofeat's column of the
same name within the tolerance of the project's parity tests for that set (stated in the
``agreement`` table; a column outside it is listed there by name, and the run goes on; rows
that do not pair stop it). Differences the docs explain are checked, not just excused:
``prosody`` files whose voiced fraction differs (pYIN voicing flipped in a few frames, which
moves every run statistic) are counted and left out; ``librosa`` chroma and tonnetz of a file
are left out only when emofeat's and librosa's chroma tuning estimates of it are shown to
differ (a float32 histogram mode, often tied on speech), and a file still outside the float32
tolerance is analysed again in float64 on both sides to show whether float32 rounding alone
explains it (the ``note`` column says how many).

Conventions of ``bench_cli_mfcc.py`` and ``bench_cli_egemaps.py``: fresh processes; the
variants of a set interleaved in every pass (reference, emofeat, reference, ...), ``--passes``
passes (default 5); medians and minima of wall time and of CPU time (user + system of the
process tree); the headline ``speed_up`` is the median of the per-pass ratios (reference s /
emofeat s), the ratio of the medians beside it as ``speed_up_of_medians``; BLAS one thread
(``OMP_NUM_THREADS=OPENBLAS_NUM_THREADS=MKL_NUM_THREADS=1``) on both sides; emofeat's kernels
compiled first (``emofeat warmup --set``, as after install), its byte code written once; every
emofeat run with ``--overwrite`` (a fresh output, never a resume) and one worker (``-j 1``).

    python benchmarks/bench_cli_sets.py [--sets librosa,paa,prosody,lexicon,eeg_bands]
        [--passes 5] [--librosa-files 240] [--paa-files 240] [--prosody-files 40]
        [--texts 5000] [--eeg-files 24] [--check-only] [--out DIR | --no-write]

Writes ``benchmarks/results/cli_sets.json`` (``--out DIR``: ``DIR/cli_sets.json`` instead;
``--no-write``: print only; ``--check-only``: compare the outputs, time nothing, write
nothing).
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import sys
import tempfile
from pathlib import Path

import numpy as np
from _common import (
    DATA,
    ONE_THREAD_ENV,
    RESULTS,
    ravdess_labels,
    setting,
    timed_command,
    warm_command_variants,
    write_results,
)

HERE = Path(__file__).resolve().parent
EMOFEAT = [sys.executable, "-m", "emofeat"]
MEAN_STD = "functionals=('mean','std')"
VADER_ONLY = ["lexicons=('vader',)", "style=False", "vader_sentences=False"]

# per set: the reference script, its name, the emofeat parameters that make the same work,
# extra CLI options, the agreement tolerance |ours - ref| <= rtol |ref| + atol max|column|
# (the set's parity tests), and the keys that pair the rows of the two tables
SETS: dict[str, dict] = {
    "librosa": dict(
        script="ref_librosa_set_script.py", reference="librosa script (shared STFT)",
        params=[MEAN_STD], default_variant=True, rtol=1e-3, atol=1e-5, keys=["path"],
        tuning_columns=("chroma_", "tonnetz_"), float64_recheck=True,
        tolerance="rtol 1e-3, atol 1e-5 of the column's largest value (tests/"
                  "test_librosa_set.py, float32 analysis against librosa on float32 audio); "
                  "chroma and tonnetz of files whose chroma tuning estimates differ are left "
                  "out, counted in the note"),
    "paa": dict(
        script="ref_paa_script.py", reference="pyAudioAnalysis script",
        params=[], rtol=1e-6, atol=1e-10, keys=["path"],
        tolerance="rtol 1e-6, atol 1e-10 of the column's largest value (tests/test_paa.py)"),
    "prosody": dict(
        script="ref_prosody_script.py", reference="librosa pYIN script",
        params=[MEAN_STD], default_variant=True, rtol=1e-3, atol=1e-6, keys=["path"],
        voicing="voiced_fraction", abs_tol={"voiced_prob_mean": 0.01, "voiced_prob_std": 0.01},
        tolerance="rtol 1e-3, atol 1e-6 of the column's largest value; voiced_prob mean and "
                  "std within 0.01 (the functionals of tests/test_prosody.py's frame "
                  "tolerances: voicing equal in >= 99 % of frames, voicing probability to "
                  "1e-6 in >= 99 % of frames, F0 rtol 1e-9 where both are voiced, RMS rtol "
                  "1e-5; the reference runs pYIN on librosa.load's float32 samples); files "
                  "whose voiced fraction differs are left out, counted in the note"),
    "lexicon": dict(
        script="ref_vader_script.py", reference="vaderSentiment script",
        params=VADER_ONLY, default_variant=True, rtol=0.0, atol=0.0, keys=["text"],
        extra=["--input-column", "text"],
        tolerance="identical (tests/test_text_vader.py: every score bit-identical)"),
    "eeg_bands": dict(
        script="ref_mne_eeg_script.py", reference="MNE script (psd_array_welch)",
        params=[], rtol=1e-9, atol=0.0, keys=["path", "epoch", "start", "end"],
        extra=["--segment", "4s", "--hop", "2s"],
        tolerance="rtol 1e-9 (tests/test_eeg_features.py, band power against MNE's PSD)"),
}


def prepare_inputs(name: str, n: int, tmp: Path) -> tuple[Path, int, str]:
    """The input file of a set's commands, the number of inputs and a description."""
    import pandas as pd

    manifest = tmp / f"{name}_inputs.csv"
    if name in ("librosa", "paa", "prosody"):
        df = ravdess_labels(n)
        df.to_csv(manifest, index=False)
        import soundfile as sf

        audio_s = sum(sf.info(p).duration for p in df["path"])
        return manifest, len(df), f"{len(df)} RAVDESS files ({audio_s:.0f} s of audio)"
    if name == "lexicon":
        path = DATA / "text" / "goemotions" / "train.tsv"
        if not path.exists():
            raise SystemExit(f"GoEmotions not found at {path} (see shared/data/README.md)")
        with open(path, encoding="utf-8", newline="") as f:  # as bench_text.py reads it
            texts = [line.rstrip("\r\n").split("\t")[0] for line in f if line.strip()]
        # distinct, non-empty texts: the command extracts a repeated text once
        texts = list(dict.fromkeys(t for t in texts if t.strip()))[:n]
        pd.DataFrame({"text": texts}).to_csv(manifest, index=False)
        return manifest, len(texts), f"{len(texts)} distinct GoEmotions training comments"
    files = sorted((DATA / "eeg" / "muse_mental_state").glob("*.csv"))[:n]
    if not files:
        raise SystemExit(f"no Muse recordings under {DATA / 'eeg'} (see shared/data/README.md)")
    pd.DataFrame({"path": [str(p) for p in files]}).to_csv(manifest, index=False)
    return manifest, len(files), f"{len(files)} Muse recordings (4 channels, 256 Hz)"


def commands(name: str, manifest: Path, tmp: Path) -> dict[str, list[str]]:
    """The variants of a set: the reference script, emofeat doing the same work and, where
    that differs from the set's defaults, emofeat with its defaults."""
    spec = SETS[name]
    ref = [sys.executable, str(HERE / spec["script"]), str(manifest),
           str(tmp / f"{name}_ref.parquet")]

    def ours(params: list[str], tag: str) -> list[str]:
        cmd = [*EMOFEAT, "extract", "--set", name, str(manifest), "-o",
               str(tmp / f"{name}_{tag}.parquet"), "--overwrite", "-j", "1", "-q",
               *spec.get("extra", [])]
        for p in params:
            cmd += ["--param", p]
        return cmd

    out = {spec["reference"]: ref, "emofeat extract": ours(spec["params"], "emofeat")}
    if spec.get("default_variant"):
        out["emofeat extract, set defaults"] = ours([], "defaults")
    return out


def tunings_differ(path: str) -> bool:
    """Whether emofeat's chroma tuning estimate of a file (float32 analysis) differs from
    librosa's (``chroma_stft``'s, from ``librosa.load``'s float32 samples)."""
    import librosa
    from emofeat.extractors.librosa_set import LibrosaFeatures

    from emofeat.audio import load_audio

    ext = LibrosaFeatures()
    ours = ext.estimate_tuning(np.abs(ext.stft(load_audio(path, 16000).y)) ** 2)
    y, sr = librosa.load(path, sr=16000)
    ref = librosa.estimate_tuning(S=np.abs(librosa.stft(y)) ** 2, sr=sr, n_fft=2048,
                                  bins_per_octave=12)
    return bool(ours != ref)


def float64_agrees(path: str) -> bool:
    """Whether the ``librosa`` set's frames of a file, analysed in float64, equal the reference
    script's descriptors on the float64 samples within the float64 tolerance of
    tests/test_librosa_set.py (rtol 1e-5, atol 1e-7 of the column's largest; roll-off and
    ZCR included): a float32 difference then comes from float32 rounding alone."""
    from emofeat.extractors.librosa_set import LibrosaFeatures
    from ref_librosa_set_script import features

    from emofeat.audio import load_audio

    ext = LibrosaFeatures(level="lld", precision="float64")
    y = load_audio(path, 16000).y.astype(np.float64)
    ours, _ = ext.compute_lld((y, 16000))
    ref = features(y, 16000)
    for j, n in enumerate(ext.descriptor_names()):
        r = ref[n.removeprefix("librosa_")]
        if not np.all(np.abs(ours[:, j] - r) <= 1e-5 * np.abs(r) + 1e-7 * np.abs(r).max()):
            return False
    return True


def agreement(name: str, tmp: Path) -> dict:
    """Rows and feature columns of the two tables of a set, compared."""
    import pandas as pd

    spec = SETS[name]
    ref = pd.read_parquet(tmp / f"{name}_ref.parquet")
    ours = pd.read_parquet(tmp / f"{name}_emofeat.parquet")
    keys = spec["keys"]
    for df in (ref, ours):
        for k in ("start", "end"):
            if k in df:
                df[k] = df[k].round(6)
    merged = ref.merge(ours, on=keys, how="inner", suffixes=("", "__emofeat"))
    prefix = f"{name}_"
    pairs = [(c, prefix + c) for c in ref.columns if c not in keys and prefix + c in ours]
    missing = [c for c in ref.columns if c not in keys and prefix + c not in ours]
    notes = ([f"reference columns without an emofeat column: {', '.join(missing)}"]
             if missing else [])
    compared = np.ones(len(merged), dtype=bool)
    if spec.get("voicing"):
        # pYIN's voicing may differ in a few frames (the tests ask for >= 99 % equal frames);
        # one flipped frame splits or joins a voiced run and moves every statistic of the
        # voiced frames and runs: files whose voiced fraction differs are counted here and
        # left out of the column comparison
        c = spec["voicing"]
        dv = np.abs(merged[c].to_numpy(dtype=np.float64)
                    - merged[prefix + c].to_numpy(dtype=np.float64))
        compared = dv == 0
        if not compared.all():
            notes.append(f"{int((~compared).sum())} of {len(merged)} files have another voiced "
                         f"fraction (pYIN voicing differing in a few frames), at most "
                         f"{dv.max():.4f} of the frames (the tests allow 0.01): left out of "
                         f"the comparison")
    ok, rel, over = {}, {}, {}
    for c, e in pairs:
        r = merged[c].to_numpy(dtype=np.float64)
        o = merged[e].to_numpy(dtype=np.float64)
        both_nan = np.isnan(r) & np.isnan(o)
        scale = np.nanmax(np.abs(r[compared])) if np.isfinite(r[compared]).any() else 0.0
        diff = np.where(both_nan, 0.0, np.abs(o - r))
        tol = np.maximum(spec["rtol"] * np.abs(r) + spec["atol"] * scale,
                         spec.get("abs_tol", {}).get(c, 0.0))
        ok[c] = diff <= tol
        with np.errstate(invalid="ignore", divide="ignore"):
            # the difference over the tolerance (<= 1: within), and relative to the value
            # (to 1e-3 of the column's largest for values nearer zero)
            over[c] = np.nan_to_num(np.where(diff == 0, 0.0, diff / tol), nan=np.inf)
            rel[c] = np.nan_to_num(diff / np.maximum(np.abs(r), 1e-3 * scale), nan=np.inf)
    tuned = [c for c in ok if c.startswith(spec["tuning_columns"])] if spec.get(
        "tuning_columns") else []
    other_tuning = np.zeros(len(merged), dtype=bool)
    if tuned:
        suspects = np.flatnonzero(compared & ~np.logical_and.reduce([ok[c] for c in tuned]))
        other_tuning[suspects] = [tunings_differ(p) for p in merged["path"].iloc[suspects]]
        if len(suspects):
            notes.append(f"chroma/tonnetz outside the tolerance on {len(suspects)} files, "
                         f"{int(other_tuning.sum())} of them with another chroma tuning "
                         f"estimate (the float32 histogram mode, often tied on speech: see "
                         f"docs/feature_sets.md): their chroma and tonnetz left out")
    worst, worst_col, worst_over, bad = 0.0, "", 0.0, []
    outside = np.zeros(len(merged), dtype=bool)
    for c in ok:
        use = compared & ~other_tuning if c in tuned else compared
        if not ok[c][use].all():
            bad.append(f"{c} ({int((~ok[c][use]).sum())} rows)")
            outside |= use & ~ok[c]
        if use.any():
            worst_over = max(worst_over, float(over[c][use].max()))
            if rel[c][use].max() > worst:
                worst, worst_col = float(rel[c][use].max()), c
    if spec.get("float64_recheck") and outside.any():
        rows = merged["path"][outside]
        same64 = sum(float64_agrees(p) for p in rows)
        notes.append(f"{len(rows)} files outside the float32 tolerance; analysed in float64 on "
                     f"both sides, {same64} of them agree within the float64 tolerance (rtol "
                     f"1e-5, atol 1e-7: float32 rounding of low-energy FFT bins, e.g. the "
                     f"contrast valleys of a near-silent frame)")
    return {"set": name, "rows_reference": len(ref), "rows_emofeat": len(ours),
            "rows_paired": len(merged), "rows_compared": int(compared.sum()),
            "columns_compared": len(pairs), "columns_outside_tolerance": len(bad),
            # as text: the page's tables print floats with 3 decimals
            "max_diff_over_tolerance": f"{worst_over:.2g}", "max_rel_diff": f"{worst:.1e}",
            "worst_column": worst_col, "tolerance": spec["tolerance"],
            "outside": ", ".join(bad[:12]) + (" ..." if len(bad) > 12 else ""),
            "note": "; ".join(notes)}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sets", default=",".join(SETS),
                    help=f"comma-separated, from {', '.join(SETS)} (default: all)")
    ap.add_argument("--passes", type=int, default=5)
    ap.add_argument("--librosa-files", type=int, default=240)
    ap.add_argument("--paa-files", type=int, default=240)
    ap.add_argument("--prosody-files", type=int, default=40,
                    help="fewer: librosa's pYIN runs at about 6x real time")
    ap.add_argument("--texts", type=int, default=43410)
    ap.add_argument("--eeg-files", type=int, default=24)
    ap.add_argument("--check-only", action="store_true",
                    help="compare the outputs of one run of each side; time nothing")
    ap.add_argument("--out", default=str(RESULTS),
                    help="folder of the results file (default benchmarks/results)")
    ap.add_argument("--no-write", action="store_true", help="print only")
    args = ap.parse_args()
    names = [s.strip() for s in args.sets.split(",") if s.strip()]
    unknown = [s for s in names if s not in SETS]
    if unknown or not names:
        raise SystemExit(f"unknown set(s) {unknown}; choose from {', '.join(SETS)}")
    if args.passes < 1:
        raise SystemExit("--passes must be >= 1")
    sizes = {"librosa": args.librosa_files, "paa": args.paa_files,
             "prosody": args.prosody_files, "lexicon": args.texts,
             "eeg_bands": args.eeg_files}
    print(setting(1, args.passes) + " (fresh processes: "
          + ", ".join(f"{k}={v}" for k, v in ONE_THREAD_ENV.items()) + ")", flush=True)
    tmp = Path(tempfile.mkdtemp(prefix="bench_cli_sets_"))
    whole, ratios, agree, per_set = [], [], [], {}
    for name in names:
        manifest, n_inputs, inputs = prepare_inputs(name, sizes[name], tmp)
        env, _ = warm_command_variants(name)  # BLAS one thread, byte code, kernels warm
        cmds = commands(name, manifest, tmp)
        ref_name = SETS[name]["reference"]
        print(f"\n{name}: {inputs}", flush=True)
        for cmd in cmds.values():  # one untimed run of every variant, then the check
            print(f"  $ {' '.join(Path(c).name if c == sys.executable else c for c in cmd)}",
                  flush=True)
            timed_command(cmd, env)
        check = agreement(name, tmp)
        agree.append(check)
        print(f"  agreement: {check['rows_reference']} / {check['rows_emofeat']} rows "
              f"(reference / emofeat, {check['rows_paired']} paired, "
              f"{check['rows_compared']} compared), "
              f"{check['columns_compared']} columns compared, "
              f"{check['columns_outside_tolerance']} outside tolerance"
              + (f" [{check['outside']}]" if check["outside"] else "")
              + f"; largest difference {check['max_diff_over_tolerance']}x the tolerance"
              f", largest relative difference {check['max_rel_diff']} "
              f"({check['worst_column']})", flush=True)
        if check["note"]:
            print(f"  note: {check['note']}")
        if not check["rows_reference"] == check["rows_emofeat"] == check["rows_paired"]:
            raise SystemExit(f"{name}: the two commands give different rows: not the same work")
        if check["columns_outside_tolerance"]:
            print(f"  WARNING: {check['columns_outside_tolerance']} columns outside the "
                  "tolerance (listed in the results' agreement table)", flush=True)
        if args.check_only:
            continue
        times: dict[str, list[float]] = {k: [] for k in cmds}
        cpu: dict[str, list[float]] = {k: [] for k in cmds}
        for _ in range(args.passes):  # the variants interleaved in every pass
            for what, cmd in cmds.items():
                wall, used = timed_command(cmd, env)
                times[what].append(wall)
                cpu[what].append(used)
        load = os.getloadavg()

        def per_pass(t: dict[str, list[float]], num: str, den: str) -> float:
            """Median over passes of ``num``'s seconds / ``den``'s in the same pass."""
            return statistics.median(a / b for a, b in zip(t[num], t[den], strict=True))

        med = {k: statistics.median(v) for k, v in times.items()}
        for what, v in times.items():
            whole.append({"set": name, "what": what, "inputs": n_inputs,
                          "median_s": med[what], "min_s": min(v),
                          "cpu_median_s": statistics.median(cpu[what]), "passes": len(v)})
            print(f"  {what:<34} median {med[what]:7.2f} s   min {min(v):7.2f} s   "
                  f"CPU median {statistics.median(cpu[what]):7.2f} s")
        rec: dict = {"inputs": inputs, "commands": {k: " ".join(v) for k, v in cmds.items()},
                     "passes": times, "cpu_passes": cpu, "load_average_at_end": list(load)}
        for what in cmds:
            if what == ref_name:
                continue
            speed = per_pass(times, ref_name, what)
            speed_cpu = per_pass(cpu, ref_name, what)
            ratios.append({
                "set": name, "what": f"{what} over the {ref_name} (reference s / emofeat s)",
                "median_of_per_pass_ratios": speed, "ratio_of_medians": med[ref_name] / med[what],
                "ratio_of_minima": min(times[ref_name]) / min(times[what]),
                "cpu_median_of_per_pass_ratios": speed_cpu})
            print(f"  speed-up of {what} (median of per-pass ratios): {speed:.2f}x (ratio "
                  f"of medians {med[ref_name] / med[what]:.2f}x; CPU time {speed_cpu:.2f}x)")
            if what == "emofeat extract":
                rec.update({"speed_up": speed, "speed_up_of_medians": med[ref_name] / med[what],
                            "speed_up_cpu": speed_cpu})
        print(f"  load average at the end {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}",
              flush=True)
        per_set[name] = rec
    shutil.rmtree(tmp, ignore_errors=True)
    if args.check_only or args.no_write:
        return
    heads = "; ".join(f"{k} {v['speed_up']:.2f}x" for k, v in per_set.items())
    path = write_results(
        "cli_sets", "python benchmarks/" + " ".join([Path(sys.argv[0]).name, *sys.argv[1:]]),
        {"whole command": whole, "ratios": ratios, "agreement": agree},
        notes="emofeat extract (-j 1, --overwrite) against a plain script of each reference "
              "library writing parquet, fresh processes, interleaved in every pass, BLAS one "
              "thread, warm kernels; inputs: " + "; ".join(
                  f"{k}: {v['inputs']}" for k, v in per_set.items())
              + ". librosa and prosody with the mean and std functionals (the scripts' "
              "statistics), lexicon with the VADER columns only (no AFINN package is "
              "installed to compare with); each set's defaults timed beside. Speed-up "
              f"(median of per-pass ratios, wall): {heads}.",
        extra={"sets": per_set}, out_dir=Path(args.out))
    print(f"\nwrote {path}")


if __name__ == "__main__":
    main()
