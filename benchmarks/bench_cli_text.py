"""The text commands as a user runs them, against the script the user would otherwise write and,
with ``--baseline-src``, against another source tree: whole commands in fresh processes
(start-up, reading the texts, the features, writing parquet).

==========================  ==========================================================
variant                     command
==========================  ==========================================================
``vader script``            ``ref_vader_script.py``: vaderSentiment ``polarity_scores``
                            per text, pandas, parquet
``lexicon, VADER only``     ``emofeat extract --set lexicon`` with ``lexicons=('vader',)``,
                            ``style=False``, ``vader_sentences=False``: the same 4 columns
``lexicon``                 the set's defaults (30 columns: VADER and its sentence
                            aggregates, AFINN, style cues)
``lexicon + EmoLex``        the defaults and NRC EmoLex from the user's file (11 more
                            columns; ``../shared/data/lexicons``; left out when absent)
``surface script``          ``ref_text_surface_script.py``: a regular expression and
                            plain Python per text, the same 12 columns, parquet
``text_surface``            ``emofeat extract --set text_surface`` (its defaults)
==========================  ==========================================================

Inputs: the distinct GoEmotions training comments (``--texts``, default all 43,227) as a
one-column CSV. Every emofeat command runs with ``-j 1 --overwrite -q`` (a fresh output,
never a resume), its kernels compiled first (``emofeat warmup``) and its byte code written
once, as after an install; BLAS one thread (``OMP_NUM_THREADS=OPENBLAS_NUM_THREADS=
MKL_NUM_THREADS=1``) everywhere. ``--baseline-src DIR`` (a tree laid out as installed:
``DIR/emofeat`` with ``extractors`` and ``classifiers`` inside, e.g. from ``git archive``)
adds every emofeat variant run from that tree; ``--src DIR`` runs "this tree" from such a
folder too instead of the installed package (an A/B of two snapshots, away from edits in
progress).

Before any pass is timed, every variant runs once untimed and the tables are compared: the
VADER columns of the script and of ``lexicon, VADER only`` identical, the 12 columns of the
two surface variants identical (NaN where both are NaN), and every baseline table identical
to this tree's, column for column, bit for bit (the outputs did not change), except in the
rows of texts with joined sequences (:func:`joined_sequence`: combining marks, joiners,
emoji modifiers, flags, tags), which emofeat tokenises as Unicode's grapheme clusters (since
272d9da and b426639) and the plain script's pattern and an older tree do not, and, against a
baseline tree, the rows of texts with compatibility forms (:func:`compat_folded`: ``！``,
``ＬＯＶＥ``), which the lexicon set folds since 0c350b1, and the rows of texts with an
apostrophe look-alike inside a word (:func:`apostrophe_like`: ``don‘t``, ``don´t``), which
text_surface reads as an apostrophe since bc7a793, and of texts with invisible format
characters or HTML references (:func:`invisible_or_entity`), which text_surface drops or
decodes since 1c05da9 and 69f7d94; the rows that differ are counted
(``--baseline-changed WHY``: a baseline older than deliberate output changes, its differing
rows counted, not refused). Then
``--passes`` passes (default 5), every variant once per pass, in the same order; medians and
minima of wall time and of CPU time (user + system of the process); ratios are medians of
the per-pass ratios (the ratio of the medians beside them). The machine, its load average
before and after, and the thread settings are printed and written with the figures to
``benchmarks/results/cli_text.json`` (``--out DIR``: ``DIR/cli_text.json``; ``--no-write``:
print only).

    python benchmarks/bench_cli_text.py [--passes 5] [--texts 43227]
        [--baseline-src DIR] [--src DIR] [--no-emolex] [--out DIR | --no-write]
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import unicodedata
from pathlib import Path

import numpy as np
from _common import (
    DATA,
    ONE_THREAD_ENV,
    RESULTS,
    environment,
    setting,
    timed_command,
    write_results,
)
from bench_cli_sets import prepare_inputs

HERE = Path(__file__).resolve().parent
EMOLEX = DATA / "lexicons" / "nrc_emolex" / "NRC-Emotion-Lexicon-Wordlevel-v0.92.txt"
VADER_ONLY = ["lexicons=('vader',)", "style=False", "vader_sentences=False"]


def prepare_texts(n: int, tmp: Path) -> tuple[Path, int]:
    """The distinct, non-empty GoEmotions training comments (the first ``n``) as a CSV, as
    ``bench_cli_sets.py`` makes them (the command extracts a repeated text once)."""
    csv, n_texts, _ = prepare_inputs("lexicon", n, tmp)
    return csv, n_texts


def variants(csv: Path, tmp: Path, trees: dict[str, str | None], emolex: bool
             ) -> dict[str, tuple[list[str], str | None, Path]]:
    """Name -> (command, source tree or None, output) of every variant, in pass order."""
    out: dict[str, tuple[list[str], str | None, Path]] = {}

    def script(name: str, file: str) -> None:
        target = tmp / f"{file}.parquet"
        out[name] = ([sys.executable, str(HERE / file), str(csv), str(target)], None, target)

    def ours(name: str, sets: str, params: list[str]) -> None:
        for tree, src in trees.items():
            label = name if tree == "this tree" else f"{name} [{tree}]"
            target = tmp / f"{label.replace(' ', '_').replace(',', '')}.parquet"
            cmd = [sys.executable, "-m", "emofeat", "extract", "--set", sets, str(csv),
                   "--input-column", "text", "-o", str(target), "--overwrite", "-j", "1", "-q"]
            for p in params:
                cmd += ["--param", p]
            out[label] = (cmd, src, target)

    script("vader script", "ref_vader_script.py")
    ours("lexicon, VADER only", "lexicon", VADER_ONLY)
    ours("lexicon", "lexicon", [])
    if emolex:
        ours("lexicon + EmoLex", "lexicon",
             [f"lexicons=('vader', 'afinn', ('nrc_emolex', {str(EMOLEX)!r}))"])
    script("surface script", "ref_text_surface_script.py")
    ours("text_surface", "text_surface", [])
    return out


def load_span(before: tuple[float, ...], after: tuple[float, ...]) -> str:
    """The load averages before and after the passes, as the figures state them."""
    return (f"load average {' '.join(f'{x:.2f}' for x in before)} before, "
            f"{' '.join(f'{x:.2f}' for x in after)} after (1, 5, 15 min)")


def report(name: str, loads: str, args: argparse.Namespace, tables: dict, notes: str,
           extra: dict | None = None) -> None:
    """Print the load; unless ``--no-write``, write ``<--out>/<name>.json`` with the command
    line that made it."""
    print(loads)
    if args.no_write:
        return
    path = write_results(
        name, "python benchmarks/" + " ".join([Path(sys.argv[0]).name, *sys.argv[1:]]),
        tables, notes=notes, extra=extra, out_dir=Path(args.out))
    print(f"wrote {path}")


def joined_sequence(text: str) -> bool:
    """Whether a text holds what joins characters into one token since 272d9da and b426639
    (docs/catalogue.md ``text_surface``, docs/text.md): a combining mark (variation selectors
    included), a zero-width joiner or non-joiner, a skin-tone modifier, a regional indicator
    (flags) or a tag character. Only such texts may differ from the plain script's ASCII-era
    pattern, or from a baseline tree before those changes."""
    return any(unicodedata.category(ch)[0] == "M" or ch in "\u200c\u200d"
               or "\U0001f3fb" <= ch <= "\U0001f3ff" or "\U0001f1e6" <= ch <= "\U0001f1ff"
               or "\U000e0020" <= ch <= "\U000e007f" for ch in text)


#: an apostrophe look-alike inside a word (``don‘t``, ``donʼt``, ``don＇t``; an acute accent or
#: backtick between letters, ``don´t``), which text_surface reads as an apostrophe since
#: bc7a793 (docs/text.md) and the plain script's pattern does not
APOSTROPHE_LIKE = re.compile("\\w[\u2018\u02bc\uff07]\\w|[^\\W\\d_][\u00b4`][^\\W\\d_]")


def apostrophe_like(text: str) -> bool:
    """Whether a text holds an apostrophe look-alike inside a word (:data:`APOSTROPHE_LIKE`):
    only such texts may differ from the plain script's pattern, besides those of
    :func:`joined_sequence`."""
    return APOSTROPHE_LIKE.search(text) is not None


#: the compatibility forms emofeat folds for the lexicon since 0c350b1 (docs/text.md):
#: full-width, half-width, font, circled, small, vertical and Arabic positional forms
COMPAT_TAGS = ("<wide>", "<narrow>", "<font>", "<circle>", "<small>", "<vertical>",
               "<initial>", "<medial>", "<final>", "<isolated>")


#: what text_surface reads otherwise than the plain script since 1c05da9 and 69f7d94
#: (docs/text.md):
#: invisible format characters it drops (soft hyphen, zero-width space, byte-order mark,
#: direction marks and isolates; variation selectors are in :func:`joined_sequence`), and HTML
#: character references it decodes (``&amp;``, ``&#x200B;``)
INVISIBLE_OR_ENTITY = re.compile(
    "[\u00ad\u200b\u2060\ufeff\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]"
    "|&(?:#[0-9]+|#[xX][0-9a-fA-F]+|[A-Za-z][A-Za-z0-9]*);")


def invisible_or_entity(text: str) -> bool:
    """Whether a text holds what :data:`INVISIBLE_OR_ENTITY` matches: only such texts may
    differ from the plain script for that reason."""
    return INVISIBLE_OR_ENTITY.search(text) is not None


def compat_folded(text: str) -> bool:
    """Whether a text holds a compatibility form the lexicon set folds since 0c350b1
    (``！``, ``ＬＯＶＥ``: by its Unicode decomposition tag); only such rows may differ from a
    baseline tree before that change, besides those of :func:`joined_sequence`."""
    return not text.isascii() and any(
        unicodedata.decomposition(ch).startswith(COMPAT_TAGS) for ch in text)


def agreement(runs: dict[str, tuple[list[str], str | None, Path]],
              baseline_changed: bool = False) -> list[dict]:
    """The checks of the module docstring, one row each; a failed one stops the benchmark.
    ``baseline_changed``: the baseline tree predates deliberate output changes (named by the
    run's --baseline-changed): its rows that differ are counted, not refused."""
    import pandas as pd

    tables = {name: pd.read_parquet(target) for name, (_, _, target) in runs.items()}
    rows = []

    def check(what: str, ref: str, ours: str, columns: dict[str, str],
              sequences_may_differ: bool = False) -> None:
        a, b = tables[ref], tables[ours]
        if not a["text"].equals(b["text"]):
            raise SystemExit(f"{what}: {ref} and {ours} hold other texts or another order")
        differ = np.zeros(len(a), dtype=bool)
        for c, d in columns.items():
            x, y = a[c].to_numpy(np.float64), b[d].to_numpy(np.float64)
            differ |= ~((x == y) | (np.isnan(x) & np.isnan(y)))
        texts = a["text"][differ]
        against_baseline = ref.endswith("]")
        may = [bool(sequences_may_differ and (
            joined_sequence(t) or apostrophe_like(t) or invisible_or_entity(t)
            or (against_baseline and (baseline_changed or compat_folded(t))))) for t in texts]
        allowed = sum(may)
        rows.append({"check": what, "reference": ref, "compared": ours, "rows": len(a),
                     "columns": len(columns), "rows_differing": int(differ.sum()),
                     "rows_differing_joined_sequences": int(allowed)})
        print(f"  {what}: {len(a)} rows, {len(columns)} columns, {int(differ.sum())} rows "
              f"differing ({allowed} of them texts with joined sequences or, against a "
              f"baseline, folded compatibility forms)", flush=True)
        if differ.sum() > allowed:
            others = [t for t, ok in zip(texts, may, strict=True) if not ok]
            raise SystemExit(f"{what}: {ours} differs from {ref} in rows other than texts "
                             f"with joined sequences or folded forms: {others[:3]}")

    vader = {f"vader_{k}": f"lexicon_vader_{k}" for k in ("neg", "neu", "pos", "compound")}
    check("VADER identical to vaderSentiment", "vader script", "lexicon, VADER only", vader)
    surface = [c for c in tables["surface script"].columns if c != "text"]
    check("surface cues identical to the plain script but for joined sequences",
          "surface script", "text_surface", {c: c for c in surface}, sequences_may_differ=True)
    for name in runs:
        if "[" in name:  # a baseline tree's table: every column as this tree's
            mine = name.split(" [")[0]
            cols = [c for c in tables[mine].columns if c != "text"]
            if list(tables[name].columns) != list(tables[mine].columns):
                raise SystemExit(f"{name}: other columns than this tree's {mine}")
            check("outputs unchanged but for joined sequences", name, mine,
                  {c: c for c in cols}, sequences_may_differ=True)
    return rows


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--passes", type=int, default=5)
    ap.add_argument("--texts", type=int, default=43410)
    ap.add_argument("--baseline-src", default=None, metavar="DIR")
    ap.add_argument("--src", default=None, metavar="DIR",
                    help="run 'this tree' from this folder instead of the installed package")
    ap.add_argument("--no-emolex", action="store_true", help="leave the EmoLex variant out")
    ap.add_argument("--out", default=str(RESULTS))
    ap.add_argument("--no-write", action="store_true")
    ap.add_argument("--baseline-changed", default=None, metavar="WHY",
                    help="the baseline predates deliberate output changes (say which): its "
                         "differing rows are counted and reported, not refused")
    args = ap.parse_args()
    if args.passes < 1:
        raise SystemExit("--passes must be >= 1")
    trees: dict[str, str | None] = {"this tree": args.src and str(Path(args.src).resolve())}
    if args.baseline_src:
        trees["baseline"] = str(Path(args.baseline_src).resolve())
    emolex = EMOLEX.exists() and not args.no_emolex
    tmp = Path(tempfile.mkdtemp(prefix="bench_cli_text_"))
    load_before = os.getloadavg()
    print(setting(1, args.passes) + " (every command: "
          + ", ".join(f"{k}={v}" for k, v in ONE_THREAD_ENV.items()) + ")", flush=True)
    csv, n = prepare_texts(args.texts, tmp)
    print(f"{n} distinct GoEmotions training comments; EmoLex variant: "
          f"{'yes' if emolex else 'no (file absent or --no-emolex)'}", flush=True)
    for src in trees.values():  # kernels compiled as after `emofeat warmup`, byte code written
        subprocess.run([sys.executable, "-m", "emofeat", "warmup", "--set",
                        "lexicon,text_surface"], check=True, capture_output=True,
                       env=environment(src), cwd=tmp)
    runs = variants(csv, tmp, trees, emolex)
    for cmd, src, _ in runs.values():  # one untimed run each: the tables to compare
        timed_command(cmd, environment(src), cwd=tmp)
    print("agreement (before timing):", flush=True)
    agree = agreement(runs, baseline_changed=args.baseline_changed is not None)
    wall: dict[str, list[float]] = {k: [] for k in runs}
    cpu: dict[str, list[float]] = {k: [] for k in runs}
    for _ in range(args.passes):
        for name, (cmd, src, _) in runs.items():
            w, c = timed_command(cmd, environment(src), cwd=tmp)
            wall[name].append(w)
            cpu[name].append(c)
    load_after = os.getloadavg()
    shutil.rmtree(tmp, ignore_errors=True)

    def ratio(t: dict[str, list[float]], num: str, den: str) -> float:
        return statistics.median(a / b for a, b in zip(t[num], t[den], strict=True))

    whole = [{"what": k, "texts": n, "median_s": statistics.median(v), "min_s": min(v),
              "cpu_median_s": statistics.median(cpu[k]), "cpu_min_s": min(cpu[k]),
              "passes": len(v)} for k, v in wall.items()]
    print(f"\n{'variant':<34} {'wall median (min) s':>20} {'CPU median (min) s':>20}")
    for r in whole:
        print(f"{r['what']:<34} {r['median_s']:11.2f} ({r['min_s']:.2f}) "
              f"{r['cpu_median_s']:11.2f} ({r['cpu_min_s']:.2f})")
    # (faster, than): the speed-up of a variant over the script it replaces, and of this
    # tree over the baseline; ``than``'s seconds over ``faster``'s, > 1 when it is faster
    pairs = [(k, "vader script") for k in runs if k.startswith("lexicon")]
    pairs += [(k, "surface script") for k in runs if k.startswith("text_surface")]
    pairs += [(k.split(" [")[0], k) for k in runs if "[" in k]
    ratios = []
    for fast, than in pairs:
        row = {"faster": fast, "than": than,
               "median_of_per_pass_ratios": ratio(wall, than, fast),
               "ratio_of_medians": statistics.median(wall[than]) / statistics.median(wall[fast]),
               "cpu_median_of_per_pass_ratios": ratio(cpu, than, fast)}
        ratios.append(row)
        print(f"{fast} over {than}: {row['median_of_per_pass_ratios']:.2f}x (ratio of medians "
              f"{row['ratio_of_medians']:.2f}x; CPU {row['cpu_median_of_per_pass_ratios']:.2f}x)")
    loads = load_span(load_before, load_after)
    report("cli_text", loads, args, {"whole command": whole, "ratios": ratios, "agreement": agree},
           notes=f"{n} distinct GoEmotions training comments (a one-column CSV); fresh "
                 f"processes, every variant once per pass in the same order, {args.passes} "
                 "passes; emofeat -j 1 --overwrite, warm kernels; BLAS one thread; ratios: "
                 f"medians of the per-pass ratios of wall seconds; {loads}"
                 + (f"; baseline outputs changed since: {args.baseline_changed}"
                    if args.baseline_changed else ""),
           extra={"commands": {k: " ".join(v[0]) for k, v in runs.items()},
                  "trees": trees, "passes_wall_s": wall, "passes_cpu_s": cpu})


if __name__ == "__main__":
    main()
