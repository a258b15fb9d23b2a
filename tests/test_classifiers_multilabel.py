"""Multi-label targets in `evaluate` and `emofeat evaluate` (synthetic tables, GoEmotions labels).

The path is one-vs-rest over a MultiLabelBinarizer target; the tests compare it with the same
folds fitted by hand in plain sklearn, its figures with sklearn's metrics, and check with a
spy model that no group is ever on both sides of a fold.
"""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest
import sklearn.metrics as skm
from conftest import shared_path
from emofeat.classifiers import DataError, evaluate, split, train
from emofeat.classifiers.validation import prepare
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.impute import SimpleImputer
from sklearn.linear_model import LogisticRegression
from sklearn.multiclass import OneVsRestClassifier
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import MultiLabelBinarizer, StandardScaler

from emofeat.cli import EXIT_OK, main
from emofeat.table import FeatureTable

LABELS = ("anger", "fear", "joy", "sadness")


def make_multilabel(n: int = 160, n_groups: int = 8, seed: int = 0, p: float = 0.35,
                    cells: str = "string") -> tuple[FeatureTable, np.ndarray]:
    """Rows with 0-4 labels; features = a label signal + a per-group offset + noise."""
    rng = np.random.default_rng(seed)
    Y = (rng.random((n, len(LABELS))) < p).astype(int)
    groups = np.array([f"g{i % n_groups}" for i in range(n)])
    offsets = {g: rng.normal(0, 1.0, 6) for g in np.unique(groups)}
    X = Y @ rng.normal(0, 2.0, (len(LABELS), 6)) + rng.normal(0, 1.0, (n, 6))
    X += np.array([offsets[g] for g in groups])
    names = np.array(LABELS)
    sets = [list(names[row.astype(bool)]) for row in Y]
    col = [",".join(s) for s in sets] if cells == "string" else sets
    index = pd.DataFrame({"labels": pd.Series(col, dtype=object), "speaker": groups,
                          "path": [f"t{i}" for i in range(n)]})
    table = FeatureTable(X=X, feature_names=[f"lexicon_f{j}" for j in range(6)], index=index,
                         provenance={"sets": [{"name": "synthetic"}]})
    return table, Y


def test_equals_one_vs_rest_by_hand_and_sklearn_metrics():
    table, Y = make_multilabel()
    res = evaluate(table, "labels", groups="speaker", model="logreg", protocol="group_kfold",
                   n_splits=4, task="multilabel")
    assert res.task == "multilabel" and res.labels == sorted(LABELS)
    # the same folds, fitted by hand: imputation and scaling once, one logistic model a label
    g = table.index["speaker"].to_numpy()
    P = np.zeros_like(Y)
    folds = list(split("group_kfold", None, g, n_splits=4, random_state=0))
    for fold in folds:
        pipe = Pipeline([("impute", SimpleImputer(strategy="median")),
                         ("scale", StandardScaler()),
                         ("model", OneVsRestClassifier(LogisticRegression(
                             C=1.0, max_iter=3000, class_weight="balanced", random_state=0)))])
        pipe.fit(table.X[fold.train], Y[fold.train])
        P[fold.test] = pipe.predict(table.X[fold.test])
    mlb = MultiLabelBinarizer(classes=sorted(LABELS))
    got = mlb.fit_transform([s.split(",") if s else [] for s in res.predictions["pred"]])
    np.testing.assert_array_equal(got, P)
    # the figures are sklearn's on those predictions
    s = res.scores
    assert s["micro_f1"] == pytest.approx(skm.f1_score(Y, P, average="micro"), abs=1e-12)
    assert s["macro_f1"] == pytest.approx(skm.f1_score(Y, P, average="macro"), abs=1e-12)
    assert s["subset_accuracy"] == pytest.approx(skm.accuracy_score(Y, P), abs=1e-12)
    assert s["hamming_loss"] == pytest.approx(skm.hamming_loss(Y, P), abs=1e-12)
    assert s["jaccard"] == pytest.approx(
        skm.jaccard_score(Y, P, average="samples", zero_division=1), abs=1e-12)
    f1 = skm.f1_score(Y, P, average=None)
    np.testing.assert_allclose(res.per_class["f1"].to_numpy(), f1, atol=1e-12)
    np.testing.assert_array_equal(res.per_class["n"].to_numpy(), Y.sum(axis=0))
    # a learnable signal: far above predicting every label everywhere
    assert s["micro_f1"] > skm.f1_score(Y, np.ones_like(Y), average="micro") + 0.2
    # per-fold rows score that fold's rows only
    for k, fold in enumerate(folds):
        assert res.per_fold.loc[k, "micro_f1"] == pytest.approx(
            skm.f1_score(Y[fold.test], P[fold.test], average="micro"), abs=1e-12)


class _Spy(ClassifierMixin, BaseEstimator):
    """Records the groups (feature 0 = group code) it was fitted on; refuses to predict a row
    of one of them."""

    log: list = []

    def fit(self, X, y):
        self.seen_ = set(np.unique(X[:, 0]).tolist())
        self.classes_ = np.unique(y)
        self.p_ = float(np.mean(y))
        _Spy.log.append(self.seen_)
        return self

    def decision_function(self, X):  # what OneVsRestClassifier asks a binary model for
        overlap = self.seen_ & set(np.unique(X[:, 0]).tolist())
        assert not overlap, f"groups {overlap} on both sides of a fold"
        return np.full(len(X), self.p_ - 0.5)

    def predict(self, X):
        return (self.decision_function(X) > 0).astype(int)


@pytest.mark.parametrize("protocol", ["loso", "group_kfold"])
def test_groups_never_on_both_sides(protocol):
    table, _ = make_multilabel(n_groups=6)
    codes = pd.factorize(table.index["speaker"])[0].astype(float)
    table = FeatureTable(X=np.column_stack([codes, table.X]),
                         feature_names=["lexicon_group_code", *table.feature_names],
                         index=table.index, provenance=table.provenance)
    _Spy.log = []
    # no scaling in front of the spy, so it sees the raw group codes
    res = evaluate(table, "labels", groups="speaker", model=_Spy(), protocol=protocol,
                   n_splits=3, task="multilabel")
    n_folds = res.settings["n_folds"]
    assert len(_Spy.log) == n_folds * len(LABELS)  # one binary model per label and fold
    # every row tested once, each group in exactly one fold
    assert (res.predictions["fold"] >= 0).all()
    assert (res.predictions.groupby("group")["fold"].nunique() == 1).all()


def test_list_cells_equal_string_cells_and_separator():
    t_str, _ = make_multilabel(seed=3)
    t_list, _ = make_multilabel(seed=3, cells="list")
    t_pipe, _ = make_multilabel(seed=3)
    t_pipe.index["labels"] = t_pipe.index["labels"].str.replace(",", "|")
    a = evaluate(t_str, "labels", groups="speaker", model="logreg", protocol="loso",
                 task="multilabel")
    b = evaluate(t_list, "labels", groups="speaker", model="logreg", protocol="loso")  # auto
    c = evaluate(t_pipe, "labels", groups="speaker", model="logreg", protocol="loso",
                 label_sep="|")
    assert b.task == "multilabel" and c.task == "multilabel"
    assert a.scores == b.scores == c.scores
    assert list(c.predictions["pred"].str.replace("|", ",")) == list(a.predictions["pred"])


def test_label_map_maps_each_label_and_drops_emptied_rows():
    table, Y = make_multilabel(seed=4)
    # fear -> None: rows labelled only fear are dropped; other sets lose fear
    mapping = {"anger": "negative", "sadness": "negative", "joy": "positive", "fear": None}
    prep = prepare(table, "labels", label_map=mapping, task="multilabel")
    assert prep.classes == ["negative", "positive"]
    names = np.array(LABELS)
    only_fear = [set(names[r.astype(bool)]) == {"fear"} for r in Y]
    assert prep.dropped == sum(only_fear)
    keep = np.flatnonzero(~np.array(only_fear))
    np.testing.assert_array_equal(prep.y[:, 0], Y[keep][:, [0, 3]].max(axis=1))
    np.testing.assert_array_equal(prep.y[:, 1], Y[keep][:, 2])


def test_bad_targets_are_errors_naming_them():
    table, _ = make_multilabel()
    table.index.loc[0, "labels"] = "anger,awe"  # one row of a label nobody else has
    with pytest.raises(DataError, match="'awe': 1"):
        evaluate(table, "labels", groups="speaker", model="logreg", task="multilabel")
    table, _ = make_multilabel()
    with pytest.raises(DataError, match="not yet trained"):
        train(table, "labels", model="logreg", task="multilabel")
    with pytest.raises(ValueError, match="single-label"):
        evaluate(table, "labels", groups="speaker", task="multilabel", pool="path")


def test_cli_multilabel(tmp_path, capsys):
    table, _ = make_multilabel()
    path = tmp_path / "features.parquet"
    table.to_parquet(path)
    rc = main(["evaluate", str(path), "--target", "labels", "--groups", "speaker",
               "--model", "logreg", "--protocol", "group_kfold", "--folds", "4",
               "--multilabel", "-q", "--report", str(tmp_path / "rep")])
    out = capsys.readouterr().out
    assert rc == EXIT_OK
    assert "micro-F1" in out and "subset acc." in out and "F1 per label (4 labels)" in out
    saved = json.loads((tmp_path / "rep" / "result.json").read_text())
    assert saved["task"] == "multilabel" and saved["labels"] == sorted(LABELS)
    assert "## Per label" in (tmp_path / "rep" / "report.md").read_text()


def test_goemotions_ekman_label_map_equals_official_ekman_files():
    """The 28 GoEmotions labels mapped label by label with label_map='ekman' give the label
    sets of the official Ekman files (dev split, all 5,426 rows)."""
    root = shared_path("text", "goemotions")
    names = (root / "emotions.txt").read_text().split()
    ekman = (root / "ekman" / "labels.txt").read_text().split()

    def ids(path):
        return [line.split("\t")[1] for line in path.read_text(encoding="utf-8").splitlines()
                if line]

    cells = [[names[int(i)] for i in c.split(",")] for c in ids(root / "dev.tsv")]
    index = pd.DataFrame({"labels": pd.Series(cells, dtype=object)})
    table = FeatureTable(X=np.zeros((len(cells), 1)), feature_names=["x"], index=index,
                         provenance={})
    prep = prepare(table, "labels", label_map="ekman", corpus="goemotions")
    assert prep.dropped == 0 and len(prep.classes) == 7
    want = [sorted(ekman[int(i)] for i in c.split(",")) for c in ids(root / "ekman" / "dev.tsv")]
    got = [sorted(np.array(prep.classes)[row.astype(bool)]) for row in prep.y]
    assert got == want


def test_builtin_importances_of_a_multilabel_forest():
    """A multi-label rf / xgb evaluation had no builtin_importances (the one-vs-rest wrapper
    has no feature_importances_ of its own): they are the mean over the labels' binary
    models, averaged over folds like a single-label model's, here checked against the
    same folds fitted by hand."""
    from sklearn.ensemble import RandomForestClassifier

    table, Y = make_multilabel()
    res = evaluate(table, "labels", groups="speaker", model="rf", protocol="group_kfold",
                   n_splits=4, task="multilabel", model_params={"n_estimators": 20})
    g = table.index["speaker"].to_numpy()
    per_fold = []
    for fold in split("group_kfold", None, g, n_splits=4, random_state=0):
        ovr = OneVsRestClassifier(RandomForestClassifier(
            n_estimators=20, class_weight="balanced", n_jobs=1, random_state=0))
        ovr.fit(StandardScaler().fit_transform(table.X[fold.train]), Y[fold.train])
        per_fold.append(np.mean([e.feature_importances_ for e in ovr.estimators_], axis=0))
    got = res.builtin_importances.set_index("feature")["importance"]
    np.testing.assert_allclose(got[table.feature_names].to_numpy(), np.mean(per_fold, axis=0),
                               rtol=1e-12)
    assert got.sum() == pytest.approx(1.0)
    xgb = evaluate(table, "labels", groups="speaker", model="xgb", protocol="group_kfold",
                   n_splits=4, task="multilabel", model_params={"n_estimators": 10})
    assert len(xgb.builtin_importances) == 6 and xgb.builtin_importances["importance"].gt(0).any()
