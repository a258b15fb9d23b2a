"""Text classification figures: lexicon + style features, TF-IDF, and both, on CARER, GoEmotions
(28 labels multi-label, and the Ekman 7) and ISEAR.

What is computed (one run, fixed seeds; the figures go in docs/text.md):

* **CARER**: train on the official train split (16,000 tweets), test on the test split
  (2,000); 6 single-label classes. The validation split is not used.
* **GoEmotions, 28 labels**: train on train (43,410 comments), test on test (5,427);
  multi-label (27 emotions + neutral), one-vs-rest. The dev split is not used.
* **GoEmotions, Ekman 7**: the same rows, every label mapped with the official
  ``ekman_mapping.json`` (27 emotions -> 6 Ekman, neutral kept), still multi-label; the script
  checks the mapped label sets equal the release's ``ekman/*.tsv`` files.
* **ISEAR**: 7,666 texts, 7 classes; no official split, so 5-fold group k-fold over the
  respondent column ``ID`` (1,096 respondents; stratified by class with
  ``emofeat.classifiers.split("group_kfold", ...)``, seed 0): a respondent's texts are never
  on both sides. Figures pooled over the held-out predictions of the 5 folds.

Models (every one fitted on training rows only; multi-label targets are one-vs-rest over a
MultiLabelBinarizer indicator matrix, ``emofeat.classifiers.fitting.one_vs_rest``):

* ``lexicon+style / logreg``: ``LexiconFeatures()`` defaults (VADER + sentence aggregates,
  AFINN, style: 30 columns) -> ``make_classifier("logreg")`` (median imputation, z-score,
  logistic regression C=1, balanced class weights);
* ``lexicon+style / xgb``: the same features -> ``make_classifier("xgb", n_estimators=200)``
  (hist, depth 4, learning rate 0.1, balanced sample weights);
* ``tfidf / logreg``: ``TfidfVectorizer(ngram_range=(1, 2), min_df=2, sublinear_tf=True)``
  -> logistic regression (C=1, balanced class weights);
* ``lexicon+style + tfidf / logreg``: ``FeatureUnion`` of ``LexiconFeatures()`` ->
  ``StandardScaler`` and the same TF-IDF, -> the same logistic regression (the pipeline
  shown in docs/text.md);
* ``lexicon+style/sqrt(30) + tfidf / logreg``: the same with the lexicon block weighted by
  1/sqrt(30) (``transformer_weights``), so that its expected squared norm equals a TF-IDF
  row's (1). Added after the unweighted union scored below TF-IDF alone; the weight comes
  from that norm argument, not from a search.

Figures: single-label: macro-F1 and accuracy (and UAR); multi-label: macro-F1 over labels,
micro-F1 and subset accuracy (the whole label set right), all from sklearn's metrics
(``emofeat.classifiers.metrics``). A decision is a probability above 0.5 for each label (no
threshold tuning).

    python benchmarks/text_classification.py [--data ../shared/data] [--only carer,isear]
        [--n-estimators 200] [--json out.json]
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import DATA, limit_blas  # noqa: E402

CORPORA = ("carer", "goemotions28", "goemotions_ekman", "isear")


# ----------------------------------------------------------------------------- data
def read_carer(root: Path, split: str) -> tuple[list[str], list[str]]:
    lines = (root / "text" / "carer" / f"{split}.txt").read_text(encoding="utf-8").splitlines()
    pairs = [line.rsplit(";", 1) for line in lines[1:] if line]
    return [p[0] for p in pairs], [p[1] for p in pairs]


def read_goemotions(root: Path, split: str, ekman: bool = False
                    ) -> tuple[list[str], list[list[str]]]:
    """Texts and label-name sets of one split (28 labels, or mapped to the Ekman 7)."""
    base = root / "text" / "goemotions"
    names = (base / "emotions.txt").read_text().split()
    texts, sets = [], []
    with open(base / f"{split}.tsv", encoding="utf-8", newline="") as f:
        for line in f:
            line = line.rstrip("\r\n")
            if line:
                text, ids, _ = line.split("\t")
                texts.append(text)
                sets.append([names[int(i)] for i in ids.split(",")])
    if ekman:
        mapping = json.loads((base / "ekman_mapping.json").read_text())
        to_ekman = {fine: coarse for coarse, fines in mapping.items() for fine in fines}
        to_ekman["neutral"] = "neutral"
        sets = [sorted({to_ekman[lab] for lab in s}) for s in sets]
        # the release's own mapped files must agree
        ek_names = (base / "ekman" / "labels.txt").read_text().split()
        with open(base / "ekman" / f"{split}.tsv", encoding="utf-8", newline="") as f:
            official = [sorted(ek_names[int(i)] for i in line.rstrip("\r\n").split("\t")[1]
                               .split(",")) for line in f if line.strip()]
        if official != sets:
            raise SystemExit(f"ekman_mapping.json disagrees with ekman/{split}.tsv")
    return texts, sets


def read_isear(root: Path) -> tuple[list[str], list[str], list[str]]:
    """Texts, labels and respondent ids; the text is parsed by position (it may hold '|')."""
    lines = (root / "text" / "isear" / "isear.csv").read_text(encoding="utf-8").split("\n")[1:]
    texts, labels, ids = [], [], []
    for line in lines:
        fields = line.rstrip("\r").split("|")
        if len(fields) < 43:
            continue
        texts.append("|".join(fields[40:-2]))
        labels.append(fields[36])
        ids.append(fields[0])
    return texts, labels, ids


# ----------------------------------------------------------------------------- models
def tfidf():
    from sklearn.feature_extraction.text import TfidfVectorizer

    return TfidfVectorizer(ngram_range=(1, 2), min_df=2, sublinear_tf=True)


def logreg():
    from sklearn.linear_model import LogisticRegression

    return LogisticRegression(C=1.0, max_iter=3000, class_weight="balanced", random_state=0)


def models(n_estimators: int) -> dict[str, tuple[str, object]]:
    """name -> (input, unfitted estimator); input "lexicon" = precomputed lexicon rows,
    "text" = raw texts."""
    from emofeat.classifiers import make_classifier
    from emofeat.extractors import LexiconFeatures
    from sklearn.base import clone
    from sklearn.pipeline import FeatureUnion, Pipeline, make_pipeline
    from sklearn.preprocessing import StandardScaler

    union = FeatureUnion([("lexicon", make_pipeline(LexiconFeatures(), StandardScaler())),
                          ("tfidf", tfidf())])
    # the same union with the z-scored lexicon block scaled by 1/sqrt(its width), so that its
    # expected squared norm (1) matches a TF-IDF row's (L2-normalised); not tuned on any data
    n_lex = LexiconFeatures().fit_transform(["a"]).shape[1]
    weighted = clone(union).set_params(transformer_weights={"lexicon": 1 / np.sqrt(n_lex)})
    return {
        "lexicon+style / logreg": ("lexicon", make_classifier("logreg")),
        # depth 4, learning rate 0.1, 256 bins: the trees docs/text.md's figures were made with
        "lexicon+style / xgb": ("lexicon", make_classifier(
            "xgb", n_estimators=n_estimators, max_depth=4, learning_rate=0.1, max_bin=256,
            n_jobs=2)),
        "tfidf / logreg": ("text", Pipeline([("tfidf", tfidf()), ("model", logreg())])),
        "lexicon+style + tfidf / logreg": ("text", Pipeline([("features", union),
                                                               ("model", logreg())])),
        "lexicon+style/sqrt(30) + tfidf / logreg": ("text", Pipeline([
            ("features", weighted), ("model", logreg())])),
    }


# ----------------------------------------------------------------------------- evaluation
def scores(y_true, y_pred, multilabel: bool) -> dict[str, float]:
    from emofeat.classifiers import metrics as M

    if multilabel:
        s = M.multilabel_scores(y_true, y_pred)
        return {"macro_f1": s["macro_f1"], "accuracy": s["subset_accuracy"],
                "micro_f1": s["micro_f1"]}
    s = M.classification_scores(y_true, y_pred)
    return {"macro_f1": s["macro_f1"], "accuracy": s["wa"], "uar": s["uar"]}


def run_split(name, est, inputs, y_tr, y_te, tr_in, te_in, multilabel):
    from emofeat.classifiers.fitting import one_vs_rest
    from sklearn.base import clone

    est = clone(est)
    if multilabel:
        est = one_vs_rest(est)
    t0 = time.perf_counter()
    est.fit(tr_in, y_tr)
    pred = est.predict(te_in)
    return pred, time.perf_counter() - t0


def evaluate_corpus(corpus: str, root: Path, n_estimators: int) -> list[dict]:
    from emofeat.classifiers import split
    from emofeat.extractors import LexiconFeatures
    from sklearn.preprocessing import MultiLabelBinarizer

    multilabel = corpus.startswith("goemotions")
    if corpus == "carer":
        tr_x, tr_y = read_carer(root, "train")
        te_x, te_y = read_carer(root, "test")
        protocol = "official split: train 16,000 -> test 2,000"
    elif multilabel:
        ek = corpus.endswith("ekman")
        tr_x, tr_y = read_goemotions(root, "train", ek)
        te_x, te_y = read_goemotions(root, "test", ek)
        mlb = MultiLabelBinarizer().fit(tr_y + te_y)
        tr_y, te_y = mlb.transform(tr_y), mlb.transform(te_y)
        protocol = (f"official split: train {len(tr_x):,} -> test {len(te_x):,}, "
                    f"{len(mlb.classes_)} labels, one-vs-rest")
    else:
        texts, labels, ids = read_isear(root)
        folds = list(split("group_kfold", np.array(labels), np.array(ids), n_splits=5,
                           random_state=0))
        for f in folds:
            assert not set(np.array(ids)[f.train]) & set(np.array(ids)[f.test])
        protocol = (f"5-fold group k-fold by respondent ID ({len(set(ids))} respondents), "
                    "pooled")
    t0 = time.perf_counter()
    lex = LexiconFeatures()
    if corpus == "isear":
        lex_all = lex.transform(texts)
    else:
        lex_tr, lex_te = lex.transform(tr_x), lex.transform(te_x)
    t_lex = time.perf_counter() - t0
    print(f"{corpus}: lexicon features in {t_lex:.1f} s; {protocol}", file=sys.stderr)
    rows = []
    for name, (kind, est) in models(n_estimators).items():
        if corpus == "isear":
            y = np.array(labels)
            X = lex_all if kind == "lexicon" else np.array(texts, dtype=object)
            pred = np.empty(len(y), dtype=object)
            secs = 0.0
            for f in folds:
                p, s = run_split(name, est, kind, y[f.train], y[f.test], X[f.train],
                                 X[f.test], False)
                pred[f.test], secs = p, secs + s
            y_true = y
        else:
            tr_in = lex_tr if kind == "lexicon" else tr_x
            te_in = lex_te if kind == "lexicon" else te_x
            pred, secs = run_split(name, est, kind, tr_y if multilabel else np.array(tr_y),
                                   te_y, tr_in, te_in, multilabel)
            y_true = te_y if multilabel else np.array(te_y)
        row = {"corpus": corpus, "model": name, "protocol": protocol, "seconds": secs,
               **scores(y_true, np.asarray(pred), multilabel)}
        print(json.dumps(row), file=sys.stderr)
        rows.append(row)
    return rows


def markdown(rows: list[dict]) -> str:
    out = ["| corpus | features / model | macro-F1 | accuracy | micro-F1 / UAR | fit+predict s |",
           "|---|---|---|---|---|---|"]
    for r in rows:
        third = r.get("micro_f1", r.get("uar"))
        out.append(f"| {r['corpus']} | {r['model']} | {r['macro_f1']:.3f} | "
                   f"{r['accuracy']:.3f} | {third:.3f} | {r['seconds']:.0f} |")
    return "\n".join(out)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", type=Path, default=DATA)
    ap.add_argument("--only", default=",".join(CORPORA),
                    help=f"comma-separated subset of {', '.join(CORPORA)}")
    ap.add_argument("--n-estimators", type=int, default=200)
    ap.add_argument("--json", type=Path, default=None, help="write the rows here")
    args = ap.parse_args()
    limit_blas(1)
    t0 = time.perf_counter()
    rows = []
    for corpus in args.only.split(","):
        if corpus not in CORPORA:
            raise SystemExit(f"unknown corpus {corpus!r}; choose from {CORPORA}")
        rows += evaluate_corpus(corpus, args.data, args.n_estimators)
    print(markdown(rows))
    print(f"\ntotal {time.perf_counter() - t0:.0f} s")
    if args.json:
        args.json.write_text(json.dumps(rows, indent=2))


if __name__ == "__main__":
    main()
