"""Small defects of the classifiers found by a bug hunt, on real speech (EmoDB):
home-folder paths of model files, the one-line summary's counts, where warnings point, the
per-group table of report.md, frame-level tables at training, and rows without a finite
feature in a cross-corpus test table."""

from __future__ import annotations

import warnings

import numpy as np
import pytest
from emofeat.classifiers import load_model, train


@pytest.fixture(scope="module")
def emodb(emodb_dir):
    """mfcc functionals of every 4th EmoDB file (all 10 speakers, 7 classes)."""
    import emofeat
    from emofeat.datasets import load_emodb

    emo = load_emodb(emodb_dir).iloc[::4].reset_index(drop=True)
    return emofeat.extract(emo, "mfcc", n_jobs=1)


def test_save_and_load_model_read_a_tilde_as_the_home_folder(emodb, tmp_path, monkeypatch):
    """``save('~/m.joblib')`` wrote a folder named '~' under the working directory (or failed
    where it is missing), and ``load_model`` looked there, where the CLI reads the home
    folder."""
    home, work = tmp_path / "home", tmp_path / "work"
    home.mkdir()
    work.mkdir()
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.chdir(work)
    model = train(emodb, "emotion", "logreg")
    model.save("~/m.joblib")
    assert (home / "m.joblib").is_file() and not (work / "~").exists()
    back = load_model("~/m.joblib")
    np.testing.assert_array_equal(back.predict(emodb), model.predict(emodb))


def test_the_summary_line_counts_in_the_singular_for_one(emodb):
    """A cross-corpus result (one fold) was summarised as '(1 folds, ...)'; the counts of
    the line are singular for one only, plural otherwise."""
    from emofeat.classifiers import evaluate, evaluate_cross_corpus

    half = np.arange(len(emodb)) % 2 == 0
    tr, te = emodb.select(rows=np.flatnonzero(half)), emodb.select(rows=np.flatnonzero(~half))
    res = evaluate_cross_corpus(tr, te, "emotion", "logreg")
    line = res.summary()
    assert "(1 fold, " in line and "folds" not in line, line
    assert f" {len(res.predictions)} rows, {len(res.labels)} classes)" in line, line
    res = evaluate(emodb, "emotion", "speaker", model="logreg", protocol="group_kfold",
                   n_splits=2)
    line = res.summary()
    assert "(2 folds, " in line and f"{len(emodb)} rows, 7 classes" in line, line


def test_importance_undefined_is_attributed_to_the_callers_line(emodb):
    """The 'permutation importance undefined' warning (EmoDB speakers' ages held out one
    speaker a fold: a constant truth each fold) named classifiers/explain.py, the line of
    tables() that summarised the drops, so Python's default filter showed it once for every
    evaluation in a session, pointing nowhere in the user's code; now it names the caller."""
    from emofeat.classifiers import evaluate

    table = emodb.select([n for n in emodb.feature_names if n.endswith("_mean")][:8])
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        evaluate(table, "age", "speaker", model="ridge", task="regression", importance=True,
                 n_repeats=2)
    undefined = [w for w in caught if "permutation importance undefined" in str(w.message)]
    assert len(undefined) == 2, [str(w.message) for w in caught]  # features and groups
    assert all(w.filename == __file__ for w in undefined), [w.filename for w in undefined]


def test_report_caps_the_per_group_table_of_many_groups(tmp_path):
    """report.md listed every group: ISEAR's 1096 respondents were 1096 table rows. Past the
    60 groups the per-group figure draws as bars (MAX_BARS), it shows the 20 lowest and 20
    highest by UAR and says per_group.csv holds all, which keeps every row; up to 60 groups
    the table is whole."""
    import pandas as pd
    from conftest import shared_path
    from emofeat.classifiers import evaluate
    from emofeat.classifiers.plots import MAX_BARS

    import emofeat
    from emofeat.datasets import load_isear

    isear = load_isear(shared_path("text", "isear", "isear.csv"))
    subjects = sorted(isear["subject"].unique(), key=str)[:80]
    few = isear[isear["subject"].isin(subjects)].reset_index(drop=True)
    table = emofeat.extract(few, "text_surface", n_jobs=1)
    res = evaluate(table, "emotion", "subject", model="logreg", protocol="group_kfold",
                   n_splits=3, label_map=None)
    assert len(res.per_group) == 80 > MAX_BARS
    md = res.report(tmp_path / "many").read_text()
    section = md.split("## Per group")[1].split("## Per fold")[0]
    rows = [ln for ln in section.splitlines() if ln.startswith("| ") and "| n |" not in ln]
    shown = [ln.split(" | ")[0].removeprefix("| ") for ln in rows]
    uar = res.per_group.set_index(res.per_group["group"].astype(str))["uar"]
    ranked = uar.sort_values(kind="stable")
    assert shown == [*ranked.index[:20], *ranked.index[::-1][:20]], shown
    assert "80 groups: the 20 lowest and the 20 highest by UAR" in section
    assert "`per_group.csv`" in section
    csv = pd.read_csv(tmp_path / "many" / "per_group.csv")
    assert len(csv) == 80
    # 60 groups or fewer: every one, in the table's order
    keep = np.flatnonzero(table.index["subject"].isin(subjects[:MAX_BARS]).to_numpy())
    res = evaluate(table.select(rows=keep), "emotion", "subject", model="logreg",
                   protocol="group_kfold", n_splits=3, label_map=None)
    section = res.report(tmp_path / "few").read_text().split("## Per group")[1]
    section = section.split("## Per fold")[0]
    rows = [ln for ln in section.splitlines() if ln.startswith("| ") and "| n |" not in ln]
    assert len(rows) == MAX_BARS and "per_group.csv" not in section


@pytest.fixture(scope="module")
def emodb_frames(emodb_dir, tmp_path_factory):
    """paa frames (level 'lld') of 10 EmoDB files of each of 3 speakers, as a parquet file."""
    import emofeat
    from emofeat.datasets import load_emodb

    man = load_emodb(emodb_dir)
    man = man[man.speaker.isin(["03", "08", "09"])].groupby("speaker").head(10)
    out = tmp_path_factory.mktemp("frames") / "frames.parquet"
    emofeat.extract(man, "paa", level="lld").to_parquet(out)
    return out


def test_train_on_frames_says_the_model_is_one_of_frames(emodb_frames, emodb, tmp_path,
                                                         capsys):
    """train() and ``emofeat train`` fitted a frame-level table's frames as samples of their
    own without the note evaluate() gives; train has no pooling, so the way out named is
    functionals. The check is evaluate's (one warning, naming the frames and recordings), and
    a functionals table gets none."""
    from emofeat.classifiers import train

    from emofeat.cli import EXIT_OK, main
    from emofeat.table import FeatureTable

    frames = FeatureTable.read_parquet(emodb_frames)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        train(frames, "emotion", "logreg")
    hits = [w for w in caught if "frame-level" in str(w.message)]
    assert len(hits) == 1, [str(w.message) for w in caught]
    said = [str(hits[0].message)]
    n = len(frames)
    assert said[0].startswith(f"the table is frame-level (level 'lld': {n} rows, frames of 30 "
                              "recordings): the model is fitted on every frame"), said[0]
    assert "train does not pool frames (no pool=)" in said[0]
    assert "extract functionals (level='functionals')" in said[0]
    assert hits[0].filename == __file__  # the caller's line, as evaluate's
    capsys.readouterr()
    assert main(["train", str(emodb_frames), "--target", "emotion", "--model", "logreg",
                 "-o", str(tmp_path / "m.joblib")]) == EXIT_OK
    err = capsys.readouterr().err
    assert "emofeat train: warning: the table is frame-level (level 'lld'" in err, err
    assert "emofeat train does not pool frames (no --pool)" in err
    assert "emofeat extract --level functionals" in err
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        train(emodb, "emotion", "logreg")
    assert not [w for w in caught if "frame-level" in str(w.message)]


def _holed(table, rows):
    """``table`` with the rows ``rows`` without any finite feature (NaN, one infinite)."""
    from emofeat.table import FeatureTable

    X = np.array(table.X, dtype=np.float64)
    X[rows] = np.nan
    X[rows[-1]] = np.inf
    X[rows[0] + 1, :5] = np.nan  # some features missing: imputed, evaluated
    return FeatureTable(X=X, feature_names=table.feature_names, index=table.index,
                        provenance=table.provenance)


def test_rows_without_a_finite_feature_are_left_out_as_predict_gives_them_none(emodb):
    """evaluate() and evaluate_cross_corpus() imputed such a row whole (the training medians'
    row) and scored its prediction, where predict() gives it none: now they leave it out of
    the evaluation, training and figures, with a warning naming the rows, and the figures
    are those of the table without it; a row with some features missing still counts."""
    from emofeat.classifiers import evaluate, evaluate_cross_corpus

    rows = np.array([2, 7])
    holed = _holed(emodb, rows)
    rest = np.setdiff1d(np.arange(len(emodb)), rows)
    with pytest.warns(UserWarning, match=r"2 of the \d+ rows have no finite feature \(rows "
                      r"2 \(.*\.flac\), 7 \(.*\)\): left out of the evaluation") as rec:
        res = evaluate(holed, "emotion", "speaker", model="logreg")
    assert [w.filename for w in rec if "no finite" in str(w.message)] == [__file__]
    ref = evaluate(holed.select(rows=rest), "emotion", "speaker", model="logreg")
    assert not set(rows) & set(res.predictions["row"]) and len(res.predictions) == len(rest)
    assert res.scores == ref.scores and res.settings["rows_without_features"] == 2
    # cross-corpus: the test table's rows, as predict() of the same model treats them
    half = np.arange(len(emodb)) % 2 == 0
    tr, te = np.flatnonzero(half), np.flatnonzero(~half)
    test = _holed(emodb.select(rows=te), rows)
    with pytest.warns(UserWarning, match=r"2 of the \d+ rows of the test table have no finite "
                      r"feature \(rows 2 \(.*\), 7 \(.*\)\)"):
        res = evaluate_cross_corpus(emodb.select(rows=tr), test, "emotion", "logreg")
    assert res.settings["rows_without_features"] == {"train": 0, "test": 2}
    assert not set(rows) & set(res.predictions["row"])
    from emofeat.table import FeatureTable

    # the same test table with its blank rows' features back (the partial hole kept)
    X = np.array(test.X)
    X[rows] = np.asarray(emodb.select(rows=te).X)[rows]
    full = evaluate_cross_corpus(emodb.select(rows=tr), FeatureTable(
        X=X, feature_names=test.feature_names, index=test.index, provenance=test.provenance),
        "emotion", "logreg")
    kept = full.predictions[~full.predictions["row"].isin(rows)].reset_index(drop=True)
    np.testing.assert_array_equal(res.predictions["pred"], kept["pred"])
    from sklearn.metrics import balanced_accuracy_score

    assert res.uar == pytest.approx(balanced_accuracy_score(kept["true"].astype(str),
                                                            kept["pred"].astype(str)))


def test_train_leaves_out_rows_without_a_finite_feature(emodb):
    """train() fitted a row without any finite feature as a sample of the training medians'
    row (imputed whole), where evaluate() leaves it out and predict() gives it no prediction:
    now train leaves it out too, with the warning naming the rows, and the model is the one
    trained on the table without them (same predictions on every row)."""
    from emofeat.classifiers import train

    rows = np.array([2, 7])
    holed = _holed(emodb, rows)
    rest = np.setdiff1d(np.arange(len(emodb)), rows)
    with pytest.warns(UserWarning, match=r"2 of the \d+ rows have no finite feature \(rows "
                      r"2 \(.*\.flac\), 7 \(.*\)\): left out of the training") as rec:
        model = train(holed, "emotion", model="logreg")
    assert [w.filename for w in rec if "no finite" in str(w.message)] == [__file__]
    ref = train(holed.select(rows=rest), "emotion", model="logreg")
    assert model.settings["rows_without_features"] == 2
    assert model.settings["n_train"] == ref.settings["n_train"] == len(rest)
    got, want = model.predict(emodb.select(rows=rest)), ref.predict(emodb.select(rows=rest))
    np.testing.assert_array_equal(got["pred"], want["pred"])
