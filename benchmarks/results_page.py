"""Generate docs/results.md: every accuracy and speed table, with its command and machine.

Each section of the page comes from one benchmark script. When the script has written its
result file (``benchmarks/results/<name>.json``, see ``_common.write_results``), the section
is rendered from it: the tables, the command that regenerates them, the UTC date and the
machine (CPU, cores, load average, library versions). When it has not, the section quotes the
table(s) of the docs page where the figures were published, names the page and section, the
date (as stated on the page, or else the date of the git commit that last changed the first
row of the table), and repeats the command and the machine as the page states them; the
command and machine quotes are checked against the page text, so a quote cannot drift from
its source. A section with neither says "Not measured yet" and names its result file(s).
Ratios read the same in every file: ``speed_up`` is the median of the per-pass ratios and
``speed_up_of_medians`` the ratio of the medians (older files' keys are renamed so on
rendering). Nothing is measured here.

    python benchmarks/results_page.py [--check]     # --check: fail if docs/results.md differs
"""

from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
from pathlib import Path

from _common import RESULTS, markdown_table

REPO = Path(__file__).resolve().parents[1]
DOCS = REPO / "docs"
PAGE = DOCS / "results.md"

# kind, title, result file(s), and the docs page section to quote when no result file exists.
# ``command`` and ``machine`` must appear verbatim (up to white space) on the page.
SECTIONS: list[dict] = [
    # ---------------------------------------------------------------- accuracy
    dict(kind="accuracy", title="RQA fusion: the seed paper's experiment (RAVDESS, EmoDB)",
         results=["uar_rqa", "uar_rqa_s52_egemaps", "uar_rqa_s56_spkstd"],
         page="classifiers.md",
         about="`acoustic` (mfcc+librosa+paa+prosody), `egemaps`, `rqa_speech` and their "
               "fusions, one RBF SVM, speaker-independent and speaker-dependent, with and "
               "without per-speaker standardisation; definitions and conclusions in "
               "[classifiers.md](classifiers.md), section \"RQA fusion\". The first run "
               "below is the whole 60-cell grid (2026-12-06, `egemaps` at numbers version 1, "
               "`rqa_speech` at 1); the second the `egemaps`, `rqa_speech` and "
               "`rqa_speech+egemaps` rows again (2026-12-07, `egemaps` at numbers version 12, "
               "`rqa_speech` at 2), which replace those rows of the first; the `acoustic` "
               "rows and their fusion are the first run's. Both computed the SD +spk-std "
               "and SD-1spk +spk-std columns with a held-out speaker's own statistics; the "
               "third run (2026-12-07 19:29-19:45, session 56) computed those columns of "
               "every row again with the training rows' statistics, as `evaluate` now "
               "does, and replaces them (its SD and SD-1spk columns are given beside them)."),
    dict(kind="accuracy", title="eGeMAPS task parity: emofeat vs openSMILE, same SVM "
                                "(RAVDESS, EmoDB, LOSO)",
         results=["uar_egemaps_s37", "uar_egemaps_s52"], page="classifiers.md",
         about="Leave one speaker out, `make_classifier(\"svm\")` defaults, on emofeat's 88 "
               "eGeMAPSv02 functionals and openSMILE's, with and without per-speaker "
               "standardisation; target: emofeat within 1.0 UAR point of openSMILE or better "
               "in every cell. The first run has both tools (emofeat at `egemaps` numbers "
               "version 1); the second emofeat's column again at numbers version 12, the "
               "figures of the parity table in [classifiers.md](classifiers.md), section "
               "\"eGeMAPS: emofeat vs openSMILE, same SVM\" (openSMILE's features do not "
               "change, so its column is the first run's)."),
    dict(kind="accuracy", title="MFCC functionals x four classifiers (RAVDESS, EmoDB, LOSO)",
         results=["accuracy_mfcc"], page="classifiers.md",
         heading="Accuracy on the shared corpora",
         about="emofeat's 663 MFCC functionals, four models (svm, xgb and logreg at their "
               "defaults, rf with 300 trees), leave one speaker out, with and without per-speaker "
               "standardisation; measured again in full on 2026-12-06 (the table below) after "
               "the runs of 2026-11-25 and of the `logreg` rows on 2026-12-05; the earlier "
               "runs, the XGBoost defaults' rounds and what the figures say in "
               "[classifiers.md](classifiers.md), section \"Accuracy on the shared corpora\".",
         date="2026-11-25, the `logreg` rows again on 2026-12-05",
         command="python benchmarks/accuracy_mfcc.py",
         machine="on the project's 2-core machine"),
    dict(kind="accuracy", title="Functionals vs pooled frames (LLD) per feature set",
         results=["uar_levels"], page="classifiers.md",
         heading="Functionals vs. pooled frames (LLD), per feature set",
         date="2026-11-25, the `prosody` rows again on 2026-12-06",
         command="python benchmarks/uar_levels.py",
         machine="on the shared 2-core machine, two runs at a time"),
    dict(kind="accuracy", title="librosa, paa, prosody functionals on RAVDESS (LOSO, SVM)",
         results=["uar_ravdess"], page="feature_sets.md",
         heading="Speaker-independent UAR on RAVDESS",
         about="Functionals of each set and of the three together for the 1440 RAVDESS "
               "files, leave one speaker out, standard-scaled RBF SVM (C = 1, balanced "
               "classes); the earlier runs in [feature_sets.md](feature_sets.md), section "
               "\"Speaker-independent UAR on RAVDESS\".",
         command="benchmarks/uar_ravdess.py", machine=None),
    dict(kind="accuracy", title="EEG: protocols and leakage on the Muse recordings",
         results=[], page="eeg.md", heading="Figures: leakage on the Muse recordings",
         command="python benchmarks/eeg_muse_protocols.py", machine=None),
    dict(kind="accuracy", title="Text: lexicon, style and TF-IDF on CARER, GoEmotions",
         results=[], page="text.md", heading="Classification figures",
         date="2026-12-07 22:29-22:37 UTC: every row at lexicon numbers version 13 (4f611c8; "
              "version 14 changes no default column of any corpus text)",
         command="python benchmarks/text_classification.py",
         machine="on the shared 2-core machine"),
    # ---------------------------------------------------------------- speed
    dict(kind="speed", title="MFCC vs librosa vs the FFT floor",
         results=["bench_mfcc"], page="performance.md", heading="MFCC vs librosa vs the FFT floor",
         date="2026-12-04", command="python benchmarks/bench_mfcc.py --passes 9",
         machine="on this project's 2-core machine"),
    dict(kind="speed", title="Delta kernel vs librosa.feature.delta",
         results=["bench_deltas"], page="performance.md",
         about="`emofeat.functionals.deltas` (orders 1 and 2, width 9) against "
               "`librosa.feature.delta` on the same RAVDESS MFCC frames, and against the "
               "tree before the exact-zero pair sums (fresh processes, interleaved passes); "
               "see [performance.md](performance.md), section \"Current figures\"."),
    dict(kind="speed", title="RQA at a recurrence rate vs pyunicorn",
         results=["bench_rqa_rate"], page="rqa.md",
         about="`rqa_measures(..., recurrence_rate=0.05)` (the radius searched, then the plot "
               "measured) on 4,000 samples of a Muse EEG channel against pyunicorn's "
               "`RecurrencePlot` at that rate and its 12 measures (equal radii), and against "
               "the tree before the session 41 search (fresh processes, interleaved passes); "
               "see [rqa.md](rqa.md)."),
    dict(kind="speed", title="The whole `emofeat extract` command vs a librosa script",
         results=["cli_mfcc", "startup", "profile_cli_mfcc", "profile_cli_mfcc_startup"],
         page="performance.md",
         about="`emofeat extract --set mfcc` against the plain librosa script on the 1,440 "
               "RAVDESS files (fresh processes, interleaved passes), the time to the first "
               "file processed, and where the command's seconds go; see "
               "[performance.md](performance.md), section \"Current figures\", and its "
               "measurement log from \"2026-11-30 to 2026-12-01: the whole command, as a user "
               "runs it\" on."),
    dict(kind="speed", title="Cold and warm start of every feature set",
         results=["bench_coldstart"], page="performance.md",
         command="python benchmarks/bench_coldstart.py --passes 5",
         about="One small real input per set through the whole `emofeat extract` command in a "
               "fresh process, first on an empty Numba cache (cold: compiles its kernels), "
               "then again (warm), pairs interleaved across sets; `emofeat warmup` of every "
               "set and `emofeat --version` beside them; see "
               "[performance.md](performance.md), section \"Cold start\"."),
    dict(kind="speed", title="`paa`, `librosa`, `prosody` vs pyAudioAnalysis and librosa",
         results=["bench_paa", "bench_librosa", "bench_prosody"], page="feature_sets.md",
         heading="Speed", command="`benchmarks/bench_paa.py`, `bench_librosa.py`",
         machine="2-core shared machine"),
    dict(kind="speed", title="eGeMAPS vs openSMILE",
         results=["bench_egemaps"], page="egemaps.md", heading="Speed",
         command="benchmarks/bench_egemaps.py --files 60 --repeats 5",
         machine="on the shared 2-core development machine under load"),
    dict(kind="speed", title="The whole `emofeat extract --set egemaps` command vs openSMILE",
         results=["bench_cli_egemaps", "profile_cli_egemaps"], page="egemaps.md",
         about="`emofeat extract --set egemaps` against a loop over openSMILE's "
               "`Smile.process_file` on RAVDESS files (fresh processes, interleaved passes), "
               "and where the command's seconds go; see [egemaps.md](egemaps.md), section "
               "\"The whole command: where every second goes\"."),
    dict(kind="speed", title="The whole `emofeat extract` command for `librosa`, `paa`, "
                             "`prosody`, `lexicon`, `eeg_bands` vs the reference libraries",
         results=["cli_sets"], page="performance.md",
         command="python benchmarks/bench_cli_sets.py --passes 5",
         about="`emofeat extract -j 1` of each set against the plain script a user of the "
               "reference library writes (librosa from one shared STFT, pyAudioAnalysis "
               "short-term features, librosa's pYIN, vaderSentiment, MNE's "
               "`psd_array_welch` on the same windows), each writing parquet, fresh "
               "processes, interleaved passes, BLAS one thread; both sides' tables are "
               "compared before timing (the `agreement` table)."),
    dict(kind="speed", title="One-hour recording: peak memory of every blockwise set",
         results=["mem_long_file"], page="batch.md",
         about="`/usr/bin/time -v` maximum RSS of `emofeat extract` on one hour of speech, "
               "warm and cold Numba cache; see [egemaps.md](egemaps.md), section \"One hour "
               "under 500 MB of max RSS\", and [batch.md](batch.md)."),
    dict(kind="speed", title="RQA per 20 ms speech frame vs pyunicorn",
         results=["bench_rqa_frames"], page="rqa.md",
         heading="Speed and memory (benchmarks/bench_rqa.py)", tables=[0],
         command="python benchmarks/bench_rqa.py --frames 300 --passes 5",
         machine="2-core machine, shared with other jobs"),
    dict(kind="speed", title="RQA on a 50,000-point series: memory and the parallel kernel",
         results=["bench_rqa_long"], page="rqa.md",
         about="Serial and parallel kernels in fresh processes, medians of interleaved passes; "
               "see [rqa.md](rqa.md), section \"Speed and memory\"."),
    dict(kind="speed", title="EEG band power and Hjorth vs mne-features and MNE",
         results=["bench_eeg"], page="eeg.md",
         about="Windowed functions, the runner and `transform` against mne-features and MNE "
               "on the real EDF and Muse recordings, medians of interleaved passes; see "
               "[eeg.md](eeg.md), section \"Speed\"."),
    dict(kind="speed", title="Modality-neutral core: `eeg_stats` and `text_surface` vs "
                             "NumPy/SciPy and plain Python",
         results=["bench_core_sets"], page="performance.md",
         command="python benchmarks/bench_core_sets.py --passes 7",
         about="`eeg_stats` on the Muse recordings (4 s windows every 2 s) against NumPy/SciPy "
               "per window, through the public API and the kernel alone, and `text_surface` "
               "on the GoEmotions training comments against the plain-Python loop with the "
               "same tokeniser; interleaved passes, BLAS one thread; `speed_up` = reference "
               "time / emofeat time, the median of the per-pass ratios."),
    dict(kind="speed", title="VADER and the `lexicon` set vs vaderSentiment",
         results=["bench_text"], page="text.md", heading="Speed",
         command="benchmarks/bench_text.py",
         machine="on the 2-core development machine when quiet"),
    dict(kind="speed", title="Scaling over worker processes and Dask",
         results=[], page="batch.md", heading="Throughput",
         command="python benchmarks/scaling.py ../shared/data/speech/ravdess --jobs 1,2 --loky 2",
         machine="on the project's 2-core development VM, 2026-11-25"),
    dict(kind="speed", title="`-j 2` against one process, and the machine's own split",
         results=["scaling", "scaling_floor", "cli_stages"], page="performance.md",
         about="`emofeat extract --set mfcc -j 1` and `-j 2` on the 1,440 RAVDESS files "
               "(fresh processes, interleaved passes, start-up included), and beside them "
               "the floor loop (decoding + the MFCC kernel) in one process against two "
               "processes released together after their start-up: how far two busy cores of "
               "the machine split this work with nothing serial, and two plain `-j 1` "
               "commands at once on the manifest's halves; see "
               "[performance.md](performance.md), sections \"2026-12-04: `-j 2` and the "
               "machine's own split, measured\" and \"2026-12-04: `-j 2` against two plain "
               "processes, and at a twofold run split\"."),
    dict(kind="speed", title="`-j N` on a 16-core machine, and pinned to two idle cores",
         results=["device_scaling_2cores", "device_scaling_floor_2cores",
                  "device_cli_stages_2cores", "device_startup_2cores",
                  "device_scaling_2cores_x2", "device_scaling_16", "device_cli_stages_16",
                  "device_cli_stages_merge_ab"], page="performance.md",
         about="The same scripts on a 16-vCPU machine lent for 15 minutes (2026-12-04): "
               "pinned with `taskset -c 0,1` to two idle vCPUs (the `-j 2` target's idle "
               "2-core machine), then 1-16 workers on all 16, and the merge changed that day "
               "against the one before it; see [performance.md](performance.md), section "
               "\"2026-12-04: `-j N` on a 16-core machine\"."),
]


def _norm(text: str) -> str:
    return re.sub(r"\s+", " ", text)


def section_text(page: str, heading: str) -> str:
    """The text of ``## heading`` on a docs page, up to the next heading of its level."""
    lines = (DOCS / page).read_text().splitlines()
    for i, line in enumerate(lines):
        m = re.match(r"^(#+)\s+(.*)$", line)
        if m and m.group(2).strip() == heading:
            level = len(m.group(1))
            out = []
            for nxt in lines[i + 1:]:
                h = re.match(r"^(#+)\s", nxt)
                if h and len(h.group(1)) <= level:
                    break
                out.append(nxt)
            return "\n".join(out)
    raise SystemExit(f"docs/{page} has no section {heading!r}")


def tables_of(text: str) -> list[str]:
    """The Markdown tables (runs of lines starting with ``|``) of a text."""
    tables, cur = [], []
    for line in text.splitlines() + [""]:
        if line.startswith("|"):
            cur.append(line)
        elif cur:
            tables.append("\n".join(cur))
            cur = []
    return tables


def git_date(page: str, row: str) -> str | None:
    """Date of the last commit that changed ``row`` on the page (None outside git)."""
    try:
        out = subprocess.run(["git", "log", "-1", "--format=%cs", "-S", row, "--",
                              f"docs/{page}"], cwd=REPO, capture_output=True, text=True,
                             check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return None
    return out or None


def quoted(sec: dict) -> str:
    """A section quoted from its docs page, with page, date, command and machine."""
    text = section_text(sec["page"], sec["heading"])
    for key in ("command", "machine"):
        if sec.get(key) and _norm(sec[key]) not in _norm(text):
            raise SystemExit(f"the {key} quote {sec[key]!r} is not in docs/{sec['page']}, "
                             f"section {sec['heading']!r}: update benchmarks/results_page.py")
    # each date the section is said to be measured on must be on the page: a row measured
    # again later was published under the first date alone
    for day in re.findall(r"\d{4}-\d{2}-\d{2}", sec.get("date", "")):
        if day not in text:
            raise SystemExit(f"the date {day} is not in docs/{sec['page']}, section "
                             f"{sec['heading']!r}: update benchmarks/results_page.py")
    tabs = tables_of(text)
    tabs = [tabs[i] for i in sec.get("tables", range(len(tabs)))]
    first_row = tabs[0].splitlines()[2] if tabs and len(tabs[0].splitlines()) > 2 else ""
    when = (f"measured {sec['date']} (as stated on the page)" if sec.get("date") else
            f"table last changed on {git_date(sec['page'], first_row) or '?'} (git)")
    command = sec.get("command", "").strip("`")
    machine = (f"the page says: \"{sec['machine']}\"" if sec.get("machine") else
               "not stated in that section (the project's development machine has 2 cores)")
    head = (f"*Quoted from [{sec['page']}]({sec['page']}), section \"{sec['heading']}\"; "
            f"{when}. No result file in `benchmarks/results/` yet.*\n\n"
            f"* Command: `{command}` (see the page for the exact options)\n"
            f"* Machine: {machine}")
    return head + "\n\n" + "\n\n".join(tabs)


def not_measured(sec: dict) -> str:
    """The text of a section whose benchmark has written no result file yet."""
    files = ", ".join(f"`benchmarks/results/{n}.json`" for n in sec["results"])
    text = "Not measured yet" + (f": no result file ({files})." if files else ".")
    if sec.get("command"):
        text += f" Command: `{sec['command'].strip('`')}`."
    return text


# Ratios: ``speed_up`` is the median of the per-pass ratios, the headline, and the ratio of the
# medians sits beside it as ``speed_up_of_medians``. Result files written before that rule
# (scaling.py, bench_cli_mfcc.py) hold the ratio of the medians in ``speed_up`` and the
# per-pass median in ``speed_up_per_pass_median`` (``times_floor`` likewise): renamed on
# rendering so that every file reads the same way.
LEGACY_RATIOS = {"speed_up": "speed_up_per_pass_median",
                 "times_floor": "times_floor_per_pass_median"}


def _new_names(d: dict) -> dict:
    """``d`` with the legacy ratio keys renamed: where the legacy ``speed_up`` stood, the
    per-pass median as ``speed_up`` then the ratio of medians as ``speed_up_of_medians`` (the
    order the scripts now write); other keys untouched."""
    legacy = {k: per_pass for k, per_pass in LEGACY_RATIOS.items() if k in d and per_pass in d}
    if not legacy:
        return d
    out = {}
    for k, v in d.items():
        if k in legacy:
            out[k] = d[legacy[k]]
            out[f"{k}_of_medians"] = v
        elif k not in legacy.values():
            out[k] = v
    return out


def ratio_line(doc: dict) -> str | None:
    """The headline ratios a result file keeps outside its tables (bench_cli_mfcc.py)."""
    d = _new_names(doc)
    parts = []
    for key, what in (("speed_up", "speed-up"), ("times_floor", "times the floor")):
        if isinstance(d.get(key), int | float):
            part = f"{what} {d[key]:.2f}x (median of per-pass ratios"
            if isinstance(d.get(f"{key}_of_medians"), int | float):
                part += f"; ratio of medians {d[f'{key}_of_medians']:.2f}x"
            parts.append(part + ")")
    return "* Ratios: " + "; ".join(parts) if parts else None


def machine_line(m: dict) -> str:
    v = m.get("versions", {})
    vers = ", ".join(f"{k} {v[k]}" for k in ("emofeat", "numpy", "sklearn", "numba") if k in v)
    load = m.get("load_average", ["?"])
    return (f"{m.get('cpu', '?')}, {m.get('cores', '?')} cores, {m.get('memory_gb', '?')} GB, "
            f"load average {load[0]} (1 min) when the file was written; {vers}")


def render_result(doc: dict) -> str:
    """A section from a result file: its tables, command, date and machine."""
    parts = [f"* Command: `{doc['command']}`",
             f"* Date: {doc['date']} (UTC)",
             f"* Machine: {machine_line(doc.get('machine', {}))}"]
    if doc.get("notes"):
        parts.append(f"* Notes: {doc['notes']}")
    if (ratios := ratio_line(doc)) is not None:
        parts.append(ratios)
    body = "\n".join(parts)
    if doc["name"] == "uar_rqa":
        import uar_rqa

        tabs = doc["tables"]
        folds = re.search(r"stratified (\d+)-fold", doc.get("notes", ""))
        body += "\n\n" + uar_rqa.markdown(tabs["UAR per cell"], tabs["Fusion gain"],
                                          int(folds.group(1)) if folds else 5)
        if doc.get("not_computed"):
            body += ("\n\nNot computed yet (empty cells above; the command computes them, "
                     "reusing the cached ones): " + ", ".join(
                         f"`{k.rsplit('|', 1)[0]}`" for k in doc["not_computed"]) + ".")
        if doc.get("stale"):
            body += ("\n\nStale: the cells of " + "; ".join(
                f"`{corpus}` were computed on a cached table that is not what today's sets "
                f"give ({why})" for corpus, why in doc["stale"].items())
                + "; `--render-only` wrote them as cached, the command extracts the table "
                "again and computes the cells of its changed sets again.")
        return body
    for title, rows in doc["tables"].items():
        if not rows:
            # a table the run did not fill (uar_egemaps.py's parity table of one tool only)
            continue
        body += f"\n\n**{title}**\n\n" + markdown_table([_new_names(r) for r in rows])
    return body


def build() -> str:
    out = ["# Results",
           "",
           "Every accuracy and speed table of the project in one place. This page is generated "
           "by `python benchmarks/results_page.py` from the result files that the benchmark "
           "scripts write to `benchmarks/results/`; a table whose benchmark has not written a "
           "result file yet is quoted from the docs page that published it, with the page and "
           "the date. Each table says the command that regenerates it and the machine it ran "
           "on. Most figures come from a 2-core development machine shared with other jobs: "
           "read the speed figures as ratios measured side by side, not as absolute "
           "throughput.",
           "",
           "EmoDB here is a copy cut or zero-padded to exactly 2.0 s per file: its figures must "
           "not be compared with published EmoDB results.",
           ""]
    for kind, title in (("accuracy", "Accuracy"), ("speed", "Speed against the reference "
                                                            "tools")):
        out += [f"## {title}", ""]
        for sec in (s for s in SECTIONS if s["kind"] == kind):
            out += [f"### {sec['title']}", ""]
            if sec.get("about"):
                out += [sec["about"], ""]
            docs = [json.loads(p.read_text()) for p in
                    (RESULTS / f"{n}.json" for n in sec["results"]) if p.exists()]
            if docs:
                out += ["\n\n".join(render_result(d) for d in docs), ""]
                missing = [n for n in sec["results"] if not (RESULTS / f"{n}.json").exists()]
                if missing:
                    out += [f"(Not measured yet: no result file for {', '.join(missing)}.)",
                            ""]
            elif sec.get("heading"):
                out += [quoted(sec), ""]
            else:
                out += [not_measured(sec), ""]
    out += ["## Agreement with the reference tools", "",
            "Parity figures (how closely each feature matches librosa, pyAudioAnalysis, "
            "openSMILE, pyunicorn, PyRQA, MNE, vaderSentiment) are on the pages of the "
            "feature families: [mfcc.md](mfcc.md), [feature_sets.md](feature_sets.md), "
            "[egemaps_parity.md](egemaps_parity.md), [rqa.md](rqa.md), [eeg.md](eeg.md), "
            "[text.md](text.md).", ""]
    return "\n".join(out)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--check", action="store_true",
                    help="exit 1 if docs/results.md is not what this script generates")
    args = ap.parse_args()
    text = build()
    if args.check:
        same = PAGE.exists() and PAGE.read_text() == text
        print("docs/results.md is up to date" if same else "docs/results.md is stale")
        return 0 if same else 1
    PAGE.write_text(text)
    print(f"wrote {PAGE.relative_to(REPO)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
