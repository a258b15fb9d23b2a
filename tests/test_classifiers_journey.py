"""The train -> save -> predict journey on real speech (RAVDESS, EmoDB): outputs that would
destroy an input, model files from other library versions or not models at all, tables
extracted by another emofeat version."""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest
from emofeat.classifiers import evaluate, load_model, train
from emofeat.classifiers.compatibility import PredictionWarning
from emofeat.classifiers.validation import DataError
from sklearn.metrics import confusion_matrix

from emofeat.cli import EXIT_OK, EXIT_USAGE, main
from emofeat.table import FeatureTable


@pytest.fixture(scope="module")
def corpora(ravdess_dir, emodb_dir, tmp_path_factory):
    """mfcc functionals of 4 RAVDESS actors (every 5th file) and 24 EmoDB files, as tables
    and parquet files."""
    import emofeat
    from emofeat.datasets import load_emodb, load_ravdess

    rav = load_ravdess(ravdess_dir)
    rav = rav[rav["speaker"].astype(int) <= 4].iloc[::5].reset_index(drop=True)
    emo = load_emodb(emodb_dir).iloc[::20].reset_index(drop=True)
    rav_t, emo_t = emofeat.extract(rav, "mfcc", n_jobs=1), emofeat.extract(emo, "mfcc", n_jobs=1)
    folder = tmp_path_factory.mktemp("journey")
    rav_t.to_parquet(folder / "rav.parquet")
    emo_t.to_parquet(folder / "emo.parquet")
    return rav_t, emo_t, folder


def _prediction_warnings(fn):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        out = fn()
    return out, caught


# ------------------------------------------------------------------- outputs over inputs
def test_train_and_predict_refuse_an_output_that_is_an_input(corpora, tmp_path, capsys):
    """`-o` naming the features table (or, for predict, the model) replaced it with a model
    or predictions; both commands now refuse before reading anything."""
    _, _, folder = corpora
    features = tmp_path / "rav.parquet"
    features.write_bytes((folder / "rav.parquet").read_bytes())
    before = features.read_bytes()
    rc = main(["train", str(features), "--target", "emotion", "--model", "logreg",
               "-o", str(features)])
    err = capsys.readouterr().err
    assert rc == EXIT_USAGE and "is the features table" in err and str(features) in err
    assert features.read_bytes() == before

    model = tmp_path / "m.joblib"
    assert main(["train", str(features), "--target", "emotion", "--model", "logreg",
                 "-o", str(model)]) == EXIT_OK
    saved = model.read_bytes()
    # the same file under another spelling of its path
    other_spelling = tmp_path / "." / "rav.parquet"
    for out, what in ((str(other_spelling), "features table"), (str(model), "model")):
        capsys.readouterr()
        rc = main(["predict", str(model), str(features), "-o", out])
        err = capsys.readouterr().err
        assert rc == EXIT_USAGE and f"is the {what}" in err, err
    assert features.read_bytes() == before and model.read_bytes() == saved
    assert main(["predict", str(model), str(features), "-o", str(tmp_path / "p.csv")]) == EXIT_OK


# ------------------------------------------------------------------------- model files
def test_a_file_that_is_no_model_is_named_once(corpora, tmp_path, capsys):
    _, _, folder = corpora
    junk = tmp_path / "junk.joblib"
    junk.write_bytes(b"not a model")
    rc = main(["predict", str(junk), str(folder / "emo.parquet"), "-o", str(tmp_path / "p.csv")])
    err = capsys.readouterr().err
    assert rc == EXIT_USAGE and err.count(str(junk)) == 1, err


def test_a_truncated_model_file_is_a_data_error_naming_it(corpora, tmp_path):
    rav, _, _ = corpora
    path = tmp_path / "m.joblib"
    train(rav, "emotion", "logreg").save(path)
    cut = tmp_path / "cut.joblib"
    data = path.read_bytes()
    cut.write_bytes(data[: len(data) // 2])
    with pytest.raises(DataError, match=r"cut\.joblib: not a readable .*truncated"):
        load_model(cut)


def test_a_model_naming_classes_that_are_not_installed_says_so(tmp_path):
    """A pickle whose classes cannot be imported (another emofeat / scikit-learn / xgboost
    layout) is not 'not a model file': it says which class and what to do."""
    path = tmp_path / "moved.joblib"
    path.write_bytes(b"c" + b"emofeat_module_that_does_not_exist\nTrainedModel\n" + b".")
    with pytest.raises(DataError, match=r"moved\.joblib: cannot be read with the installed "
                                        r"libraries \(ModuleNotFoundError.*emofeat train"):
        load_model(path)


def test_a_model_pickled_by_another_sklearn_is_one_warning_naming_the_file(
        corpora, tmp_path, monkeypatch):
    """scikit-learn warned once per pickled estimator without naming the file or what to
    do; now one PredictionWarning names the file and both versions."""
    import sklearn.base
    from sklearn.exceptions import InconsistentVersionWarning

    rav, emo, _ = corpora
    model = train(rav, "emotion", "logreg")
    path = tmp_path / "old.joblib"
    with monkeypatch.context() as m:
        m.setattr(sklearn.base, "__version__", "1.0.2")  # what __getstate__ records
        model.save(path)
    loaded, caught = _prediction_warnings(lambda: load_model(path))
    assert not [w for w in caught if issubclass(w.category, InconsistentVersionWarning)]
    ours = [str(w.message) for w in caught if issubclass(w.category, PredictionWarning)]
    assert len(ours) == 1 and "old.joblib" in ours[0] and "sklearn 1.0.2" in ours[0], ours
    # still a working model (EmoDB through a RAVDESS model: the shift warning is expected)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", PredictionWarning)
        np.testing.assert_array_equal(loaded.predict(emo)["pred"], model.predict(emo)["pred"])

    # the same installation: no warning
    model.save(tmp_path / "now.joblib")
    _, caught = _prediction_warnings(lambda: load_model(tmp_path / "now.joblib"))
    assert not [w for w in caught if issubclass(w.category, PredictionWarning)]


def test_the_xgboost_version_counts_only_for_xgboost_models(corpora, tmp_path):
    rav, _, _ = corpora
    for name, warned in (("xgb", True), ("logreg", False)):
        model = train(rav, "emotion", name, model_params={"n_estimators": 5}
                      if name == "xgb" else None)
        model.settings["versions"]["xgboost"] = "0.90"
        model.save(tmp_path / f"{name}.joblib")
        _, caught = _prediction_warnings(lambda n=name: load_model(tmp_path / f"{n}.joblib"))
        msgs = [str(w.message) for w in caught if issubclass(w.category, PredictionWarning)]
        assert bool(msgs) == warned and all("xgboost 0.90" in m for m in msgs), (name, msgs)


# ------------------------------------------------------------------- emofeat versions
def test_a_table_of_another_emofeat_version_is_warned_about(corpora):
    """Same names, same parameters, another emofeat: a feature whose definition changed
    would go unnoticed; the prediction now says which versions differ."""
    rav, emo, _ = corpora
    model = train(rav, "emotion", "logreg")
    version = rav.provenance["emofeat_version"]
    _, caught = _prediction_warnings(lambda: model.predict(emo))
    assert not [w for w in caught if "extracted by emofeat" in str(w.message)]
    newer = FeatureTable(X=emo.X, feature_names=emo.feature_names, index=emo.index,
                         provenance={**emo.provenance, "emofeat_version": "99.0"})
    _, caught = _prediction_warnings(lambda: model.predict(newer))
    msgs = [str(w.message) for w in caught if issubclass(w.category, PredictionWarning)
            and "extracted by emofeat" in str(w.message)]
    assert len(msgs) == 1 and f"emofeat 99.0, the model's training table by emofeat {version}" \
        in msgs[0], msgs


# ------------------------------------------------------------------------- column order
def test_the_same_sets_extracted_in_another_order_are_matched_by_name(corpora, tmp_path,
                                                                      capsys):
    """`--set mfcc,prosody` for training and `--set prosody,mfcc` for new files: the same
    features, other column positions. `emofeat predict` refused them with a Python-only
    remedy (table.select); the columns are now matched by name, giving the predictions of
    the table in the model's order."""
    import emofeat

    rav, _, _ = corpora
    train_t = emofeat.extract(rav.index[["path", "speaker", "emotion"]].iloc[::2], "mfcc,prosody",
                              n_jobs=1)
    new = emofeat.extract(rav.index[["path", "speaker", "emotion"]].iloc[1::2], "prosody,mfcc",
                          n_jobs=1)
    assert sorted(new.feature_names) == sorted(train_t.feature_names)
    assert list(new.feature_names) != list(train_t.feature_names)
    model = train(train_t, "emotion", "logreg")
    got = model.predict(new)
    expected = model.predict(new.select(model.feature_names))
    np.testing.assert_array_equal(got["pred"], expected["pred"])
    proba = [c for c in got.columns if c.startswith("proba_")]
    np.testing.assert_allclose(got[proba].to_numpy(), expected[proba].to_numpy(), rtol=0,
                               atol=0)

    model.save(tmp_path / "m.joblib")
    new.to_parquet(tmp_path / "new.parquet")
    assert main(["predict", str(tmp_path / "m.joblib"), str(tmp_path / "new.parquet"),
                 "-o", str(tmp_path / "p.csv")]) == EXIT_OK, capsys.readouterr().err


# ------------------------------------------------------------------------ NaN, inf rows
@pytest.mark.parametrize("name, task", [("logreg", "classification"), ("svm", "classification"),
                                        ("ridge", "regression")])
def test_a_row_without_any_finite_feature_gets_no_prediction(corpora, tmp_path, name, task):
    """Such a row was imputed whole with the training medians and got a confident-looking
    prediction (the same for every such row); now pred is missing, its probabilities NaN,
    and the other rows' predictions are those of the table without it."""
    rav, emo, _ = corpora
    target = "emotion" if task == "classification" else "intensity_level"
    rav = FeatureTable(X=rav.X, feature_names=rav.feature_names,
                       index=rav.index.assign(intensity_level=(rav.index["intensity"]
                                                               == "strong").astype(float)),
                       provenance=rav.provenance)
    model = train(rav, target, name, task=task)
    X = np.array(emo.X, dtype=np.float64)
    X[0] = np.nan
    X[3] = np.inf
    X[5, :10] = np.nan  # some features missing: imputed, predicted
    holed = FeatureTable(X=X, feature_names=emo.feature_names, index=emo.index,
                         provenance=emo.provenance)
    pred, caught = _prediction_warnings(lambda: model.predict(holed))
    msgs = [str(w.message) for w in caught if "no finite feature" in str(w.message)]
    assert len(msgs) == 1 and f"2 of the {len(emo)} rows" in msgs[0] and "rows 0, 3" in msgs[0], msgs
    assert pred["pred"].isna().tolist() == [i in (0, 3) for i in range(len(emo))]
    scores = [c for c in pred.columns if c.startswith(("proba_", "score_"))]
    assert (task == "regression") == (not scores)
    assert pred.loc[[0, 3], scores].isna().all().all()
    assert pred.drop(index=[0, 3])[scores].notna().all().all()
    keep = [i for i in range(len(emo)) if i not in (0, 3)]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", PredictionWarning)
        alone = model.predict(holed.select(rows=keep))
    if task == "classification":
        np.testing.assert_array_equal(pred["pred"].iloc[keep].to_numpy(),
                                      alone["pred"].to_numpy())
    else:  # the same rows in another batch: BLAS rounding only
        np.testing.assert_allclose(pred["pred"].iloc[keep].to_numpy(dtype=float),
                                   alone["pred"].to_numpy(dtype=float), rtol=1e-12, atol=1e-12)
    # written by the CLI's writers as missing values
    pred.to_parquet(tmp_path / "p.parquet", index=False)
    assert pd.read_parquet(tmp_path / "p.parquet")["pred"].isna().sum() == 2


# ------------------------------------------------------------------ how rows were cut
@pytest.fixture(scope="module")
def windows(corpora):
    """mfcc functionals of 1 s windows of 12 RAVDESS files (labels from the manifest), every
    1 s and every 0.5 s."""
    from emofeat.registry import get_extractor
    from emofeat.runner import run

    rav, _, _ = corpora
    manifest = rav.index[["path", "speaker", "emotion"]].iloc[:12]
    return tuple(run(manifest, [get_extractor("mfcc")], segment=1.0, hop=hop).table
                 for hop in (1.0, 0.5))


def test_windows_and_whole_utterances_are_other_extractions(corpora, windows):
    """Functionals of 1 s windows are other statistics than over whole utterances (range,
    slope, percentiles grow with the duration), with the same column names and set
    parameters: predict took them silently. Now refused like another parameter, naming both
    cuts; the hop, which only places the rows, is not a difference."""
    from emofeat.classifiers.compatibility import ProvenanceError

    rav, _, _ = corpora
    every_1s, every_half_s = windows
    assert list(every_1s.feature_names) == list(rav.feature_names)
    whole_model = train(rav, "emotion", "logreg")
    with pytest.raises(ProvenanceError, match=r"rows = windows of 1 s \(model: whole inputs "
                                              r"or manifest segments\)"):
        whole_model.predict(every_1s)
    _, caught = _prediction_warnings(lambda: whole_model.predict(every_1s, force=True))
    assert any("rows = windows of 1 s" in str(w.message) for w in caught)

    window_model = train(every_1s, "emotion", "logreg")
    window_model.predict(every_half_s)  # same windows, other hop: no error
    with pytest.raises(ProvenanceError, match=r"rows = whole inputs or manifest segments "
                                              r"\(model: windows of 1 s\)"):
        window_model.predict(rav)


def test_a_table_of_another_level_says_so_among_the_missing_columns(corpora, tmp_path, capsys):
    """A functionals model given frame-level (LLD) features: the error listed missing and
    unexpected columns only; it now also names the level."""
    import emofeat

    rav, _, folder = corpora
    model = tmp_path / "m.joblib"
    train(rav, "emotion", "logreg").save(model)
    lld = emofeat.extract(rav.index[["path"]].iloc[:2], "mfcc", level="lld", n_jobs=1)
    lld.to_parquet(tmp_path / "lld.parquet")
    rc = main(["predict", str(model), str(tmp_path / "lld.parquet"), "-o", str(tmp_path / "p.csv")])
    err = capsys.readouterr().err
    assert rc == EXIT_USAGE and "663 missing" in err
    assert "level = 'lld' (model: 'functionals')" in err, err


# ------------------------------------------------------------------ predictions' record
def test_predictions_record_the_model_and_table_they_come_from(corpora, tmp_path):
    """A predictions parquet held ids, pred and probabilities but not which model (file,
    settings, versions) made them from which table; it now keeps both in its metadata."""
    import hashlib

    rav, _, folder = corpora
    model = tmp_path / "m.joblib"
    assert main(["train", str(folder / "rav.parquet"), "--target", "emotion", "--label-map",
                 "ekman", "--model", "logreg", "-o", str(model)]) == EXIT_OK
    out = tmp_path / "p.parquet"
    assert main(["predict", str(model), str(folder / "rav.parquet"), "-o", str(out)]) == EXIT_OK
    rec = pd.read_parquet(out).attrs["emofeat_predictions"]
    assert rec["model_file"] == str(model.resolve())
    assert rec["model_sha256"] == hashlib.sha256(model.read_bytes()).hexdigest()
    assert rec["features_file"] == str((folder / "rav.parquet").resolve())
    assert rec["table"]["created"] == rav.provenance["created"]
    assert rec["model"]["label_map"] == "ekman" and rec["model"]["target"] == "emotion"
    assert rec["model"]["classes"] == load_model(model).classes
    assert rec["model"]["training_table"]["sets"][0]["params"]["sr"] == 16000
    assert rec["forced"] is False


# ------------------------------------------------------------------------ integer labels
def _with_codes(table, codes):
    return FeatureTable(X=table.X, feature_names=table.feature_names,
                        index=table.index.assign(code=codes), provenance=table.provenance)


def test_integer_labels_are_predicted_as_integers(corpora):
    """RAVDESS's emotion codes (1-8, the third field of a file name) as an integer column:
    pred came back as the strings '1'..'8', so pred == table's column was False for every
    row (accuracy 0 with no error). pred now holds integers (Int64 where a row has none)."""
    rav, _, _ = corpora
    codes = rav.index["path"].map(lambda p: int(str(p).rsplit("/", 1)[-1].split("-")[2]))
    table = _with_codes(rav, codes.to_numpy(dtype=np.int64))
    model = train(table, "code", "logreg")
    pred = model.predict(table)
    as_text = (pred["pred"].astype(str) == pred["code"].astype(str)).mean()
    assert as_text > 0.5  # the training rows themselves
    assert pd.api.types.is_integer_dtype(pred["pred"])
    assert (pred["pred"] == pred["code"]).mean() == as_text
    assert model.classes == sorted(set(codes))  # of pred's kind: integers
    assert list(pred.filter(like="proba_").columns) == [f"proba_{c}" for c in model.classes]

    # a float column of whole numbers (a missing cell) is integer labels too
    floats = codes.to_numpy(dtype=np.float64)
    floats[0] = np.nan
    model = train(_with_codes(rav, floats), "code", "logreg", task="classification")
    X = np.array(rav.X, dtype=np.float64)
    X[1] = np.nan
    holed = FeatureTable(X=X, feature_names=rav.feature_names, index=table.index,
                         provenance=rav.provenance)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", PredictionWarning)
        pred = model.predict(holed)
    assert str(pred["pred"].dtype) == "Int64" and pred["pred"].isna().tolist()[:3] == [
        False, True, False]

    # labels through a label map are names: strings
    model = train(table, "emotion", "logreg", label_map="ekman")
    assert not pd.api.types.is_integer_dtype(model.predict(table)["pred"])


def test_integer_labels_of_an_object_column_stay_integers(corpora):
    """RAVDESS's emotion codes as Python ints in an object column (a column built from mixed
    sources, or after astype(object)) were taken as string labels: train's pred, evaluate's
    true / pred / labels came back as the strings '1'..'8' and compared unequal with the
    table's column on every row. They are integers now, as sklearn keeps them, equal to what
    an int64 column gives."""
    rav, _, _ = corpora
    codes = rav.index["path"].map(lambda p: int(str(p).rsplit("/", 1)[-1].split("-")[2]))
    ints = _with_codes(rav, codes.to_numpy(dtype=np.int64))
    objs = _with_codes(rav, codes.astype(object).to_numpy())
    assert objs.index["code"].dtype == object and isinstance(objs.index["code"][0], int)

    ref = train(ints, "code", "logreg").predict(ints)
    pred = train(objs, "code", "logreg").predict(objs)
    assert pd.api.types.is_integer_dtype(pred["pred"])
    assert pred["pred"].tolist() == ref["pred"].tolist()
    assert (pred["pred"] == pred["code"]).mean() == (ref["pred"] == ref["code"]).mean() > 0.5

    res = evaluate(objs, "code", "speaker", "logreg")
    want = evaluate(ints, "code", "speaker", "logreg")
    p = res.predictions
    assert res.labels == want.labels == sorted(set(codes))
    assert list(p["true"]) == list(codes[p["row"]])  # the table's own labels
    assert p["pred"].tolist() == want.predictions["pred"].tolist()
    assert res.wa == pytest.approx(np.mean(p["pred"] == objs.index["code"][p["row"]].to_numpy()))
    assert np.array_equal(res.confusion, confusion_matrix(p["true"], p["pred"],
                                                          labels=res.labels))

    # "3" from a CSV stays text, as sklearn keeps it
    text = _with_codes(rav, codes.astype(str).to_numpy())
    assert evaluate(text, "code", "speaker", "logreg").labels == [str(c) for c in want.labels]


def test_metrics_of_predict_outputs(corpora):
    """The figures of TrainedModel.predict's own output on RAVDESS (emotion codes 1-8):
    top2_hit_rate(table's codes, proba, estimator.classes_) was 0.0 (the integers never
    equal the classes "1".."8"); it equals sklearn's top-2 accuracy now. A row without any
    finite feature gets no prediction and NaN probabilities: UAR failed with "'<' not
    supported between 'NoneType' and 'str'" (string labels), the top-2 hit rate counted it
    as a hit of its first two classes and off-by-one accuracy as a miss; each names the
    missing rows now."""
    from emofeat.classifiers import metrics as M
    from sklearn.metrics import top_k_accuracy_score

    rav, _, _ = corpora
    codes = rav.index["path"].map(lambda p: int(str(p).rsplit("/", 1)[-1].split("-")[2]))
    table = _with_codes(rav, codes.to_numpy(dtype=np.int64))
    model = train(table, "code", "logreg")
    out = model.predict(table)
    proba = out.filter(like="proba_").to_numpy()
    classes = model.estimator.classes_
    ref = top_k_accuracy_score(out["code"].astype(str), proba, k=2, labels=classes)
    assert 0.5 < M.top2_hit_rate(out["code"], proba, classes) == pytest.approx(ref)
    assert M.top2_hit_rate(out["code"], proba, model.classes) == pytest.approx(ref)

    X = np.array(rav.X, dtype=np.float64)
    X[3] = np.nan
    for target in ("code", "emotion"):
        holed = FeatureTable(X=X, feature_names=rav.feature_names, index=table.index,
                             provenance=rav.provenance)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", PredictionWarning)
            got = train(table, target, "logreg").predict(holed)
        for fn in (M.unweighted_average_recall, M.weighted_accuracy, M.macro_f1,
                   M.per_class_recall, M.classification_scores):
            with pytest.raises(ValueError, match=r"y_pred holds 1 missing label \(None/NaN\) of 48"):
                fn(got[target], got["pred"])
        with pytest.raises(ValueError, match="proba holds NaN in 1 of 48 rows"):
            M.top2_hit_rate(got[target], got.filter(like="proba_").to_numpy(),
                            train(table, target, "logreg").classes)
        if target == "code":  # ratings: Int64 with one missing prediction
            with pytest.raises(ValueError,
                               match=r"off_by_one_accuracy: y_pred contains NaN \(1 of 48"):
                M.off_by_one_accuracy(got["code"], got["pred"])


@pytest.mark.parametrize("name", ["p.tsv", "p.txt", "p.json"])
def test_predictions_in_a_format_not_written_are_refused(corpora, tmp_path, capsys, name):
    """Every suffix but .csv was written as parquet: p.tsv held parquet bytes."""
    rav, _, folder = corpora
    train(rav, "emotion", "logreg").save(tmp_path / "m.joblib")
    rc = main(["predict", str(tmp_path / "m.joblib"), str(folder / "rav.parquet"),
               "-o", str(tmp_path / name)])
    assert rc == EXIT_USAGE and ".csv or .parquet" in capsys.readouterr().err
    assert not (tmp_path / name).exists()


def test_a_speaker_id_shared_with_training_uses_only_the_predicted_rows(corpora):
    """Cross-corpus with per-speaker standardisation: EmoDB speakers renamed to RAVDESS
    actor ids the model was trained on predict exactly as under ids it never saw (the
    documented behaviour: statistics from the predicted table only, never stored per id)."""
    rav, emo, _ = corpora
    model = train(rav, "emotion", "logreg", groups="speaker", standardize="group")
    trained_ids = sorted(set(rav.index["speaker"].astype(str)))
    emo_ids = sorted(set(emo.index["speaker"].astype(str)))

    def renamed(names):
        index = emo.index.assign(speaker=emo.index["speaker"].astype(str).map(
            dict(zip(emo_ids, names, strict=False))))
        return FeatureTable(X=emo.X, feature_names=emo.feature_names, index=index,
                            provenance=emo.provenance)

    shared = [trained_ids[i % len(trained_ids)] + ("" if i < len(trained_ids) else f"-{i}")
              for i in range(len(emo_ids))]
    unseen = [f"new{i}" for i in range(len(emo_ids))]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", PredictionWarning)
        a, b = model.predict(renamed(shared)), model.predict(renamed(unseen))
    proba = [c for c in a.columns if c.startswith("proba_")]
    np.testing.assert_array_equal(a["pred"], b["pred"])
    np.testing.assert_array_equal(a[proba].to_numpy(), b[proba].to_numpy())


def test_a_model_file_of_a_newer_format_is_refused_naming_it(corpora, tmp_path):
    """The file records its format (1); a later format read by this emofeat was taken as
    format 1, its new fields ignored."""
    import joblib

    rav, _, _ = corpora
    path = tmp_path / "future.joblib"
    joblib.dump({"format": 2, "model": train(rav, "emotion", "logreg")}, path)
    with pytest.raises(DataError, match=r"future\.joblib: a model file of format 2, written by "
                                        r"a newer emofeat"):
        load_model(path)


# ------------------------------------------------------------- label maps across corpora
def test_a_label_mapped_model_maps_the_table_labels_it_is_compared_with(corpora):
    """RAVDESS -> EmoDB through the Ekman map: pred is 'joy', the EmoDB column 'happiness',
    so comparing them gave 0 for that class with no sign. predict now adds `true`, the
    table's labels through the model's map (EmoDB detected), comparable with pred."""
    from emofeat.classifiers.label_maps import get_label_map

    rav, emo, _ = corpora
    model = train(rav, "emotion", "logreg", label_map="ekman")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", PredictionWarning)
        pred = model.predict(emo)
    emodb = get_label_map("ekman", corpus="emodb")
    assert [None if pd.isna(v) else v for v in pred["true"]] == [
        emodb[e] for e in emo.index["emotion"]]
    assert "joy" in set(pred["true"]) and "happiness" not in set(pred["true"])
    assert set(pred["true"].dropna()) <= set(get_label_map("ekman", corpus="ravdess").values())
    proba = [c for c in pred.columns if c.startswith("proba_")]
    picked = np.array([c[len("proba_"):] for c in proba])[pred[proba].to_numpy().argmax(1)]
    np.testing.assert_array_equal(picked, pred["pred"].to_numpy(dtype=str))
    # no map, no column; labels of no known corpus: a warning, no column
    assert "true" not in train(rav, "emotion", "logreg").predict(rav).columns
    odd = FeatureTable(X=emo.X, feature_names=emo.feature_names,
                       index=emo.index.assign(emotion="zzz"), provenance=emo.provenance)
    out, caught = _prediction_warnings(lambda: model.predict(odd))
    assert "true" not in out.columns
    assert any("not mapped to the model's 'ekman' labels" in str(w.message) for w in caught)


@pytest.mark.parametrize("suffix", [".parquet", ".csv"])
def test_an_interrupted_write_leaves_the_previous_output_whole(corpora, tmp_path, capsys,
                                                                monkeypatch, suffix):
    """predict and train wrote their output in place: Ctrl-C (or a full disk) mid-write left
    a truncated file where the previous predictions or model were. They are written to a
    temporary name and renamed, so the previous file stays whole and no temporary is left."""
    _, _, folder = corpora
    model = tmp_path / "m.joblib"
    args = ["train", str(folder / "rav.parquet"), "--target", "emotion", "--model", "logreg"]
    assert main([*args, "-o", str(model)]) == EXIT_OK
    out = tmp_path / f"pred{suffix}"
    assert main(["predict", str(model), str(folder / "emo.parquet"), "-o", str(out)]) == EXIT_OK
    before, model_before = out.read_bytes(), model.read_bytes()

    def cut_short(self, path, *a, **k):  # a few bytes, then the interrupt
        with open(path, "wb") as f:
            f.write(b"PAR1")
        raise KeyboardInterrupt

    monkeypatch.setattr(pd.DataFrame, "to_parquet" if suffix == ".parquet" else "to_csv",
                        cut_short)
    assert main(["predict", str(model), str(folder / "emo.parquet"), "-o", str(out)]) == 130
    assert out.read_bytes() == before

    import joblib

    monkeypatch.setattr(joblib, "dump", lambda obj, path, *a, **k: cut_short(None, path))
    assert main([*args, "-o", str(model)]) == 130
    assert model.read_bytes() == model_before
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(["m.joblib", out.name])
    capsys.readouterr()


def test_true_labels_map_from_the_training_corpus_when_the_table_is_of_its_vocabulary():
    """A GoEmotions ekman model on a table whose labels are only "love", "joy" and
    "neutral": detected from those labels the corpus reads as canonical names, and "love"
    (GoEmotions' joy) mapped to no 'true' label, so its rows counted as unlabelled. The
    model keeps its training corpus and the table's labels map through it when they are of
    its vocabulary."""
    from conftest import shared_path

    import emofeat
    from emofeat.datasets import load_goemotions

    g = load_goemotions(shared_path("text", "goemotions"), split="dev")
    g = g[g["labels"].map(len) == 1].copy()
    g["emotion"] = g["labels"].map(lambda t: t[0])
    g = g.groupby("emotion").head(12).reset_index(drop=True)  # 12 of each of the 28 labels
    table = emofeat.extract(g[["text", "emotion"]], "text_surface")
    model = train(table, "emotion", "logreg", label_map="ekman")
    assert model.settings["corpus"] == "goemotions"
    rows = np.flatnonzero(g["emotion"].isin(["love", "joy", "neutral"]).to_numpy())
    sub = table.select(table.feature_names, rows=rows)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        out = model.predict(sub)
    want = g["emotion"].iloc[rows].map({"love": "joy", "joy": "joy", "neutral": "neutral"})
    assert out["true"].tolist() == want.tolist()
