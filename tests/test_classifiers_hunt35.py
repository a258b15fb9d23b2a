"""Persistence, explanations and reports on real speech (EmoDB, RAVDESS): what the CLI says
of a model file it cannot read, and what it shows of the importances it computed."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from emofeat.classifiers import evaluate, train
from sklearn.base import BaseEstimator, TransformerMixin, clone
from sklearn.metrics import balanced_accuracy_score

from emofeat.cli import EXIT_OK, EXIT_USAGE, main


@pytest.fixture(scope="module")
def emodb(emodb_dir, tmp_path_factory):
    """mfcc functionals of every 4th EmoDB file (all 10 speakers, 7 classes), as a table and
    a parquet file."""
    import emofeat
    from emofeat.datasets import load_emodb

    emo = load_emodb(emodb_dir).iloc[::4].reset_index(drop=True)
    table = emofeat.extract(emo, "mfcc", n_jobs=1)
    folder = tmp_path_factory.mktemp("hunt35")
    table.to_parquet(folder / "emo.parquet")
    return table, folder


# ------------------------------------------------------------------------- info
def test_info_on_an_unreadable_model_says_why_as_predict_does(emodb, tmp_path, capsys):
    """``emofeat info`` on a cut-short model, or one of a newer format, said 'is not a
    parquet file' (the reason predict gives was lost); a file that is no pickle still gets
    that line."""
    import joblib

    table, _ = emodb
    model = tmp_path / "m.joblib"
    train(table, "emotion", "logreg").save(model)
    assert main(["info", str(model)]) == EXIT_OK
    assert "of 'emotion'" in capsys.readouterr().out
    data = model.read_bytes()
    cut = tmp_path / "cut.joblib"
    cut.write_bytes(data[: len(data) // 2])
    newer = tmp_path / "newer.joblib"
    joblib.dump({"format": 99, "model": None}, newer)
    squeezed = tmp_path / "cut.joblib.gz"  # compressed (joblib picks gzip from the suffix)
    joblib.dump({"format": 1, "model": "no model"}, squeezed)
    for path, said in ((cut, "truncated, corrupt"), (newer, "newer emofeat"),
                       (squeezed, "not an emofeat model file")):
        capsys.readouterr()
        assert main(["info", str(path)]) == EXIT_USAGE
        err = capsys.readouterr().err
        assert str(path) in err and said in err and "not a parquet file" not in err, err
    assert main(["info", str(table.index["path"].iloc[0])]) == EXIT_USAGE  # a FLAC file
    assert "is not a parquet file" in capsys.readouterr().err


# ------------------------------------------------------------------- importances
def test_evaluate_importance_prints_what_it_computed(emodb, capsys):
    """``emofeat evaluate --importance`` without ``--report`` computed permutation
    importances (the slow part) and printed nothing of them. The groups printed are those of
    evaluate(), whose drops equal UAR drops recomputed with scikit-learn on the same folds."""
    table, folder = emodb
    assert main(["evaluate", str(folder / "emo.parquet"), "--target", "emotion", "--groups",
                 "speaker", "--model", "logreg", "--importance", "groups", "-q"]) == EXIT_OK
    out = capsys.readouterr().out
    assert "permutation importance per feature group (drop of UAR" in out
    res = evaluate(table, "emotion", "speaker", model="logreg", importance="groups")
    for row in res.group_importances.itertuples():
        assert any(line.split()[:2] == [row.group, f"{row.importance:.3f}"]
                   for line in out.splitlines()), (row, out)
    # the drops themselves, by hand: the rng of evaluate (seed 0), 3 permutations a fold
    X = np.asarray(table.X, dtype=float)
    y = table.index["emotion"].astype(str).to_numpy()
    g = table.index["speaker"].astype(str).to_numpy()
    from emofeat.classifiers.explain import group_features
    from emofeat.classifiers.fitting import build_estimator

    groups = group_features(table.feature_names)
    rng, drops = np.random.default_rng(0), []
    est = build_estimator("logreg", "classification", random_state=0)
    for held in res.per_fold["test_groups"]:
        te = np.isin(g, held.split(","))
        fitted = clone(est).fit(X[~te], y[~te])
        base = balanced_accuracy_score(y[te], fitted.predict(X[te]))
        d = np.empty((len(groups), 3))
        for r in range(3):
            perm = rng.permutation(te.sum())
            for k, cols in enumerate(groups.values()):
                Xp = X[te].copy()
                Xp[:, cols] = X[te][perm][:, cols]
                d[k, r] = base - balanced_accuracy_score(y[te], fitted.predict(Xp))
        drops.append(d)
    mine = pd.Series(np.concatenate(drops, axis=1).mean(axis=1), index=list(groups))
    theirs = res.group_importances.set_index("group")["importance"]
    np.testing.assert_allclose(theirs[mine.index], mine, atol=1e-12)


# ------------------------------------------------------------------- label maps
def test_a_named_corpus_that_is_not_the_labels_corpus_is_refused(ravdess_dir, emodb, tmp_path,
                                                                 capsys):
    """``--corpus emodb`` for RAVDESS labels mapped all but 'disgust' and 'neutral' to
    nothing: ``train`` fitted a two-class model on 288 of 1440 rows with a note counting the
    dropped rows. The labels are now refused naming the corpus they are of; the right corpus,
    or none (detected), maps them all."""
    from emofeat.classifiers.label_maps import get_label_map, map_labels

    from emofeat.datasets import load_ravdess

    labels = load_ravdess(ravdess_dir)["emotion"]
    with pytest.raises(ValueError, match=r"not labels of corpus 'emodb'.*those of corpus "
                                         r"'ravdess'"):
        map_labels(labels, "ekman", corpus="emodb")
    right = map_labels(labels, "ekman", corpus="ravdess")
    assert right.equals(map_labels(labels, "ekman"))
    assert right.isna().sum() == (labels == "calm").sum()  # calm: no Ekman class
    # EmoDB's own labels with its corpus, and label sets no corpus covers, as before
    table, folder = emodb
    assert map_labels(table.index["emotion"], "ekman", corpus="emodb").notna().sum() == (
        table.index["emotion"] != "boredom").sum()
    assert get_label_map("ekman", "goemotions", labels=["joy", "approval,neutral"])["joy"] \
        == "joy"
    capsys.readouterr()
    assert main(["train", str(folder / "emo.parquet"), "--target", "emotion", "--label-map",
                 "ekman", "--corpus", "ravdess", "--model", "logreg",
                 "-o", str(tmp_path / "m.joblib")]) == EXIT_USAGE
    err = capsys.readouterr().err
    assert "not labels of corpus 'ravdess'" in err and "those of corpus 'emodb'" in err, err
    assert not (tmp_path / "m.joblib").exists()


# ------------------------------------------------------------------- class weights
def test_a_class_weight_naming_no_class_is_refused_naming_it(emodb):
    """A ``class_weight`` key that is no class of the (mapped) target: with the other
    classes named too, scikit-learn's models left it out without a word (EmoDB's classes at
    1 and 'joy', the Ekman name of its 'happiness', at 5: the model of all weights 1); alone,
    they said "The classes, [all seven], are not in class_weight". Both are refused naming
    the key; a dict of the table's labels weighs as scikit-learn's own model does."""
    from emofeat.classifiers import evaluate_cross_corpus
    from emofeat.classifiers.validation import DataError
    from sklearn.impute import SimpleImputer
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler

    table, _ = emodb
    classes = sorted(table.index["emotion"].unique())
    every = {c: 1.0 for c in classes}
    for weights in ({**every, "joy": 5.0}, {"joy": 5.0}):
        for model in ("logreg", "svm", "rf", "xgb"):
            with pytest.raises(DataError, match=r"class_weight names \['joy'\], no class"):
                train(table, "emotion", model, model_params={"class_weight": weights})
        with pytest.raises(DataError, match=r"class_weight names \['joy'\]"):
            evaluate(table, "emotion", "speaker", model="logreg",
                     model_params={"class_weight": weights})
    with pytest.raises(DataError, match=r"\['happiness'\].*after label_map 'ekman'"):
        train(table, "emotion", "logreg", label_map="ekman",
              model_params={"class_weight": {"happiness": 5.0}})
    with pytest.raises(DataError, match=r"class_weight names \['happiness'\]"):
        evaluate_cross_corpus(table, table, "emotion", "logreg",
                              model_params={"class_weight": {"happiness": 5.0}})
    model = train(table, "emotion", "logreg", model_params={"class_weight": {"happiness": 5.0}})
    X = np.asarray(table.X, dtype=float)
    y = table.index["emotion"].astype(str).to_numpy()
    params = model.estimator.steps[-1][1].get_params()
    theirs = make_pipeline(SimpleImputer(strategy="median", keep_empty_features=True),
                           StandardScaler(), LogisticRegression(**params)).fit(X, y)
    np.testing.assert_allclose(model.estimator.steps[-1][1].coef_, theirs[-1].coef_)


# ------------------------------------------------------------------- own classes
class _Shift(TransformerMixin, BaseEstimator):
    """A step of the user's, as a training script defines it (in module __main__)."""

    def fit(self, X, y=None):
        return self

    def transform(self, X):
        return np.asarray(X, dtype=float) + 1.0


def test_a_model_holding_a_class_of_the_training_script_says_so(emodb, tmp_path,
                                                                monkeypatch):
    """A model whose pipeline holds a class of the training script (``__main__``) saved
    without a word, and ``emofeat predict`` (another process) said it 'was probably written
    with other versions of emofeat, scikit-learn or xgboost: train it again'. save warns,
    and loading names the class and the way out."""
    import subprocess
    import sys

    from sklearn.impute import SimpleImputer
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline

    table, folder = emodb
    monkeypatch.setattr(_Shift, "__module__", "__main__")
    monkeypatch.setattr(sys.modules["__main__"], "_Shift", _Shift, raising=False)
    model = train(table, "emotion", make_pipeline(SimpleImputer(), _Shift(),
                                                  LogisticRegression(max_iter=200)))
    path = tmp_path / "own.joblib"
    with pytest.warns(UserWarning, match=r"own\.joblib: the model holds _Shift, defined in "
                                         r"the script or notebook"):
        model.save(path)
    done = subprocess.run([sys.executable, "-m", "emofeat", "predict", str(path),
                           str(folder / "emo.parquet"), "-o", str(tmp_path / "p.csv")],
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == EXIT_USAGE
    assert "defined in the script or notebook that trained it" in done.stderr, done.stderr
    assert "_Shift" in done.stderr and "other versions" not in done.stderr
    # a model of named models only: no warning
    import warnings

    named = train(table, "emotion", "logreg")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        named.save(tmp_path / "named.joblib")
    assert not [w for w in caught if "__main__" in str(w.message)]


# ------------------------------------------------------------------- report figures
def test_per_group_figure_of_many_groups_is_a_histogram_of_their_figures():
    """One bar per group made ISEAR's 1096 respondents a figure 385 inches (42361 pixels)
    wide whose bars and names nobody could read; past 60 groups (MAX_BARS) the figure is a
    histogram of the per-group figures (numpy's counts), mean and chance as lines. Up to
    MAX_BARS the bars are the per-group figures."""
    from emofeat.classifiers.plots import plot_per_group

    rng = np.random.default_rng(3)
    many = pd.DataFrame({"group": [f"s{i}" for i in range(1096)], "n": 7,
                         "uar": rng.integers(0, 8, 1096) / 7})
    many.loc[5, "uar"] = np.nan  # an undefined figure is left out, and said
    fig = plot_per_group(many, "uar", chance=1 / 7, group_name="subject")
    assert fig.get_size_inches()[0] <= 8
    ax = fig.axes[0]
    heights = [p.get_height() for p in ax.patches]
    finite = many["uar"].dropna().to_numpy()
    counts, _ = np.histogram(finite, bins=len(heights))
    np.testing.assert_array_equal(heights, counts)
    lines = {ln.get_label(): ln.get_xdata()[0] for ln in ax.get_lines()}
    assert lines["mean"] == pytest.approx(finite.mean()) and lines["chance"] == 1 / 7
    assert ax.get_title() == "UAR of 1096 subjects (1 undefined)"
    few = many.iloc[:60].fillna({"uar": 0.5})
    ax = plot_per_group(few, "uar").axes[0]
    assert [p.get_height() for p in ax.patches] == few["uar"].tolist()


def test_a_forced_cross_corpus_report_says_how_the_tables_differ(emodb, ravdess_dir, tmp_path):
    """report.md listed the shared labels of a cross-corpus evaluation but neither the labels
    left out nor, when forced, how the two tables' extractions differ (only result.json held
    them): a report of RAVDESS -> EmoDB features of other mel bands read as a clean run."""
    import json

    from emofeat.classifiers import evaluate_cross_corpus

    import emofeat
    from emofeat.datasets import load_ravdess

    table, _ = emodb
    rav = load_ravdess(ravdess_dir)
    rav = rav[rav["speaker"].astype(int) <= 2].reset_index(drop=True)
    other = emofeat.extract(rav, "mfcc", params={"n_mels": 64}, n_jobs=1)
    with pytest.warns(UserWarning):
        res = evaluate_cross_corpus(other, table, "emotion", "logreg", force=True)
    path = res.report(tmp_path / "rep")
    text = path.read_text()
    saved = json.loads((tmp_path / "rep" / "result.json").read_text())["settings"]
    assert saved["provenance_differences"] and saved["unshared_labels"]["train"]
    for key in ("provenance_differences", "unshared_labels"):
        row = next((ln for ln in text.splitlines() if ln.startswith(f"| {key} |")), None)
        assert row is not None, key
    assert "n_mels" in text and "surprise" in text


def test_importance_of_a_target_constant_in_every_held_out_fold_is_undefined(emodb):
    """EmoDB speakers' ages (the corpus' speaker table) held out one speaker a fold: the
    truth of each fold is constant, so its CCC is 0 whatever the predictions and every
    permutation drop was 0.0 (std 0.0): 'no feature matters', without a word. Such folds
    are left out like folds of one row: all NaN, with the warning; with folds of several
    speakers the drops are the CCC drops recomputed by hand."""
    table, _ = emodb
    table = table.select([n for n in table.feature_names if n.endswith("_mean")][:8])
    with pytest.warns(UserWarning, match="permutation importance undefined for 8 feature"):
        res = evaluate(table, "age", "speaker", model="ridge", task="regression",
                       importance=True, n_repeats=2)
    assert res.importances["importance"].isna().all()
    assert res.group_importances["importance"].isna().all()
    # several speakers a fold: defined, and the CCC drops of the same folds by hand
    from emofeat.classifiers.fitting import build_estimator
    from emofeat.classifiers.metrics import concordance_correlation

    res = evaluate(table, "age", "speaker", model="ridge", task="regression",
                   protocol="group_kfold", n_splits=3, importance=True, n_repeats=2)
    X = np.asarray(table.X, dtype=float)
    y = table.index["age"].astype(float).to_numpy()
    g = table.index["speaker"].astype(str).to_numpy()
    est, rng, drops = build_estimator("ridge", "regression"), np.random.default_rng(0), []
    for held in res.per_fold["test_groups"]:
        te = np.isin(g, held.split(","))
        fitted = clone(est).fit(X[~te], y[~te])
        base = concordance_correlation(y[te], fitted.predict(X[te]))
        d = np.empty((X.shape[1], 2))
        for r in range(2):
            perm = rng.permutation(te.sum())
            for j in range(X.shape[1]):
                Xp = X[te].copy()
                Xp[:, j] = X[te][perm, j]
                d[j, r] = base - concordance_correlation(y[te], fitted.predict(Xp))
        for _ in range(2):  # the group permutations
            rng.permutation(te.sum())
        drops.append(d)
    mine = pd.Series(np.concatenate(drops, axis=1).mean(axis=1), index=table.feature_names)
    theirs = res.importances.set_index("feature")["importance"]
    np.testing.assert_allclose(theirs[mine.index], mine, atol=1e-12)


def test_cross_corpus_takes_model_none_as_the_default_model(emodb):
    """evaluate and train take model=None as svm; evaluate_cross_corpus(model=None) failed
    in scikit-learn's clone ('Cannot clone object None'). Its figures equal the named svm's,
    whose UAR is scikit-learn's balanced accuracy of its predictions."""
    from emofeat.classifiers import evaluate_cross_corpus

    table, _ = emodb
    half = np.arange(len(table)) % 2 == 0
    tr, te = table.select(rows=np.flatnonzero(half)), table.select(rows=np.flatnonzero(~half))
    res = evaluate_cross_corpus(tr, te, "emotion", None)
    named = evaluate_cross_corpus(tr, te, "emotion", "svm")
    assert res.settings["model"] == "svm" and res.scores == named.scores
    p = res.predictions
    assert res.uar == pytest.approx(balanced_accuracy_score(p["true"].astype(str),
                                                            p["pred"].astype(str)))


def test_a_pooled_report_says_how_its_utterances_were_scored(emodb_dir, tmp_path):
    """report.md of a pooled evaluation listed max_frames_per_unit but neither
    max_test_frames_per_unit (held-out utterances scored on a few of their frames) nor which
    frame scores were averaged (an SVM's softmax of decision scores, not probabilities);
    result.json held both."""
    import json

    import emofeat
    from emofeat.datasets import load_emodb

    emo = load_emodb(emodb_dir).iloc[::8].reset_index(drop=True)
    frames = emofeat.extract(emo, "mfcc", level="lld", n_jobs=1)
    res = evaluate(frames, "emotion", "speaker", model="svm", pool="path",
                   max_frames_per_unit=10, max_test_frames_per_unit=7)
    text = res.report(tmp_path / "rep").read_text()
    saved = json.loads((tmp_path / "rep" / "result.json").read_text())["settings"]
    assert saved["max_test_frames_per_unit"] == 7 and saved["frame_scores"]
    assert "| max_test_frames_per_unit | 7 |" in text
    assert f"| frame_scores | {saved['frame_scores']} |" in text
