"""The Python API as a scikit-learn user drives it: extractors as transformers, feature tables
into the classifiers, the evaluation protocols. Each test reproduces a defect found by using
the API that way (on the bundled RAVDESS sample), and pins its fix."""

from __future__ import annotations

import copy
import warnings

import numpy as np
import pytest
from emofeat.classifiers import GroupStandardScaler, ProtocolError, evaluate, split, train
from emofeat.classifiers.compatibility import provenance_differences
from emofeat.classifiers.metrics import unweighted_average_recall

from emofeat.registry import get_extractor

EMOTIONS = ("angry", "happy", "neutral", "sad")


@pytest.fixture(scope="module")
def manifest(sample):
    """Two files of each of four emotions of each of the sample's four speakers."""
    rows = sample[sample.emotion.isin(EMOTIONS)].sort_values("path")
    return rows.groupby(["speaker", "emotion"]).head(2).reset_index(drop=True)


@pytest.fixture(scope="module")
def table(manifest):
    return get_extractor("mfcc").extract(manifest)


# ----------------------------------------------------------------- extractor inputs
@pytest.mark.parametrize("n", [2, 3])
def test_a_tuple_of_two_or_three_items_is_a_list_of_them(manifest, n):
    """A tuple of two or three paths (or texts) was refused as "a single (signal, rate)
    pair"; a tuple of four was a list. It is a list of items, whatever its length."""
    paths = tuple(manifest.path[:n])
    mfcc = get_extractor("mfcc")
    np.testing.assert_array_equal(mfcc.transform(paths), mfcc.transform(list(paths)))
    texts = ("I am so happy today", "what a sad day", "fine")[:n]
    surface = get_extractor("text_surface")
    np.testing.assert_array_equal(surface.transform(texts), surface.transform(list(texts)))


def test_a_single_signal_and_rate_is_still_refused():
    y = np.zeros(16000, dtype=np.float32)
    for item in ((y, 16000), (y, 16000.0)):
        with pytest.raises(ValueError, match=r"wrap a single \(signal, rate\) pair in a list"):
            get_extractor("mfcc").transform(item)


def test_a_column_transformer_given_a_list_of_one_column(manifest):
    """``ColumnTransformer([("m", MFCC(), ["file"])])`` hands over a one-column DataFrame;
    the error said only that a 'path' column was needed, not what came or what to do."""
    from sklearn.compose import ColumnTransformer

    df = manifest[["path"]].rename(columns={"path": "file"}).head(2)
    with pytest.raises(ValueError, match=r"it has the columns \['file'\].*the column name as "
                                         "a string, not a list"):
        ColumnTransformer([("m", get_extractor("mfcc"), ["file"])]).fit_transform(df)
    by_name = ColumnTransformer([("m", get_extractor("mfcc"), "file")]).fit_transform(df)
    np.testing.assert_array_equal(by_name, get_extractor("mfcc").transform(df["file"]))


def test_fit_transform_of_a_generator(manifest):
    """fit read a generator to its end and transform found it empty: ``fit_transform`` of
    ``(p for p in paths)`` gave a (0, 663) matrix without a word."""
    paths = list(manifest.path[:3])
    for name, items in (("mfcc", paths), ("text_surface", ["so happy", "a sad day", "ok"])):
        ext = get_extractor(name)
        want = ext.transform(items)
        np.testing.assert_array_equal(ext.fit_transform(x for x in items), want)
        np.testing.assert_array_equal(ext.fit_transform(iter(items)), want)


def test_parameters_changed_after_fit_size_the_output(table):
    """An EEG set fitted, then given fewer kinds with set_params (as a grid search or a user
    does), sized its output rows with the count remembered by fit: "could not broadcast
    input array from shape (6,20) into shape (6,60)"."""
    rng = np.random.default_rng(0)
    epochs = rng.standard_normal((6, 4, 1024)) * 1e-5
    items = [(x, 256.0, ("AF3", "AF4", "F3", "F4")) for x in epochs]
    bands = get_extractor("eeg_bands").fit(items)
    assert bands.n_features_out_ == 60
    bands.set_params(kinds=("abs",))
    fresh = get_extractor("eeg_bands", kinds=("abs",)).fit(items)
    np.testing.assert_array_equal(bands.transform(items), fresh.transform(items))
    assert bands.n_features_out_ == len(bands.get_feature_names_out()) == 20


# ----------------------------------------------------------------- feature tables
def test_select_names_an_unknown_feature(table):
    """``select(["nope"])`` raised "'nope' is not in list"."""
    with pytest.raises(ValueError, match=r"1 name not among the feature columns: \['nope'\]"):
        table.select(["mfcc0_mean", "nope"])
    with pytest.raises(ValueError, match=r"\['emotion'\] are identity columns"):
        table.select(["emotion"])


def test_select_rows_by_slice(table):
    """A slice of rows was an IndexError ("arrays used as indices must be of integer")."""
    assert table.select(rows=slice(2, 5)).equals(table.select(rows=[2, 3, 4]))
    # one position ("too many indices for array" before): the table of that row
    assert table.select(rows=np.int64(3)).equals(table.select(rows=[3]))
    assert table.select(rows=3).equals(table.select(rows=[3]))


# ----------------------------------------------------------------- trained models
@pytest.mark.parametrize(("model", "params", "prefix"), [
    ("svm", {}, "score_"), ("logreg", {}, "proba_"), ("knn", {}, "proba_")])
def test_predicting_a_table_without_rows(table, model, params, prefix):
    """An empty table (a filter that kept nothing) failed in SimpleImputer ("Found array
    with 0 sample(s)"); it gives a frame without rows and with the usual columns."""
    trained = train(table, "emotion", model, model_params=params)
    full = trained.predict(table)
    empty = trained.predict(table.select(rows=[]))
    assert len(empty) == 0
    assert list(empty.columns) == list(full.columns)
    assert [c for c in full.columns if c.startswith(prefix)] == [
        f"{prefix}{c}" for c in trained.estimator.classes_]


def test_predicting_a_regression_table_without_rows(table):
    t = table.select()
    t.index = t.index.copy()
    t.index["arousal"] = np.linspace(0.0, 1.0, len(t))
    trained = train(t, "arousal", "ridge")
    empty = trained.predict(t.select(rows=[]))
    assert len(empty) == 0 and list(empty.columns) == list(trained.predict(t).columns)


@pytest.mark.parametrize("n_classes", [3, 4])
def test_pairwise_decision_scores_are_not_class_scores(table, n_classes):
    """An SVC with decision_function_shape="ovo" gives one score per pair of classes: its
    first columns were written as ``score_<class>`` (three classes have three pairs, so the
    shapes even matched), and pooled evaluation took their softmax as class probabilities."""
    keep = np.flatnonzero(table.index.emotion.isin(EMOTIONS[:n_classes]).to_numpy())
    t = table.select(rows=keep)
    ovo = train(t, "emotion", "svm", model_params={"decision_function_shape": "ovo"})
    assert ovo.estimator.decision_function(t.X[:2]).shape[1] == n_classes * (n_classes - 1) // 2
    out = ovo.predict(t)
    assert not [c for c in out.columns if c.startswith("score_")]
    np.testing.assert_array_equal(out.pred, train(t, "emotion", "svm").predict(t).pred)
    with pytest.raises(ValueError, match="decision_function_shape='ovo' gives one score per "
                                         "pair of classes"):
        evaluate(t, "emotion", "speaker", "svm", pool="path",
                 model_params={"decision_function_shape": "ovo"})
    # the default (ovr) scores are per class: the predicted class has the highest
    ovr = train(t, "emotion", "svm").predict(t)
    scores = ovr[[f"score_{c}" for c in sorted(EMOTIONS[:n_classes])]].to_numpy()
    np.testing.assert_array_equal(np.array(sorted(EMOTIONS[:n_classes]))[scores.argmax(1)],
                                  ovr.pred)


# ----------------------------------------------------------------- protocols
def _confounded(table):
    """Speakers 09 and 13 only: each emotion of the pair "a"/"b" recorded by one of them."""
    keep = np.flatnonzero(table.index.speaker.isin(["09", "13"]).to_numpy())
    t = table.select(rows=keep)
    t.index = t.index.copy()
    t.index["label"] = np.where(t.index.speaker == "09", "a", "b")
    return t


@pytest.mark.parametrize("model", ["svm", "rf", "knn"])
def test_a_training_fold_of_one_class_is_refused(table, model):
    """Labels confounded with the speakers leave leave-one-speaker-out training folds of
    one class: an SVM failed with "The number of classes has to be greater than one"
    naming no fold; a random forest or k-NN fitted a one-class model and reported UAR 0."""
    t = _confounded(table)
    with pytest.raises(ProtocolError, match=r"holding out 1 group \('(09|13)'\) trains on the "
                                            r"class '(a|b)' only"):
        evaluate(t, "label", "speaker", model)


@pytest.mark.parametrize("protocol", ["loso", "group_kfold", "trialwise"])
def test_split_refuses_a_training_fold_of_one_class(table, protocol):
    t = _confounded(table)
    y, g = t.index.label.to_numpy(), t.index.speaker.to_numpy()
    trials = g if protocol == "trialwise" else None
    with pytest.raises(ProtocolError, match="trains on the class"):
        list(split(protocol, y, g if protocol != "trialwise" else None, trials, n_splits=2))
    # without labels (a regression target) nothing is refused
    assert len(list(split(protocol, None, g if protocol != "trialwise" else None, trials,
                          n_splits=2))) == 2


def test_uar_of_a_group_of_one_class_warns_nothing(table):
    """A held-out speaker whose rows are all of one class, all predicted right, made
    sklearn's confusion matrix warn "A single label was found in 'y_true' and 'y_pred' ...
    use the 'labels' parameter", addressed to the library, in every evaluation."""
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert unweighted_average_recall(["sad", "sad"], ["sad", "sad"]) == 1.0
        keep = np.r_[np.flatnonzero(table.index.speaker != "20"),
                     np.flatnonzero(table.index.speaker == "20")[:1]]
        result = evaluate(table.select(rows=keep), "emotion", "speaker", "logreg")
    assert result.per_group.set_index("group").loc["20", "n"] == 1


# ----------------------------------------------------------------- per-group scaler
def test_group_scaler_names_with_input_features(table):
    """``get_feature_names_out(input_features)`` returned the names given unchecked: with
    ``group_column`` the group column became an output name (one name too many), and a wrong
    number of names passed through."""
    df = table.to_pandas()[["speaker", *table.feature_names[:4]]]
    scaler = GroupStandardScaler(group_column="speaker").fit(df)
    np.testing.assert_array_equal(scaler.get_feature_names_out(df.columns),
                                  table.feature_names[:4])
    with pytest.raises(ValueError, match="input_features is not equal to feature_names_in_"):
        scaler.get_feature_names_out(["a", "b"])
    plain = GroupStandardScaler().fit(table.X[:, :4], groups=table.index.speaker)
    with pytest.raises(ValueError, match="input_features should have length equal"):
        plain.get_feature_names_out(["a"])


def test_nested_search_leaves_out_inner_folds_of_one_class(table):
    """Speakers 09 and 13 of class "a" only, 14 of "b" only, 20 of both: every outer
    leave-one-speaker-out fold trains on both classes, but the search's inner fold holding
    out speaker 14 trains on 09 and 13, class "a" only, and the SVM failed with "The number
    of classes has to be greater than one"."""
    from emofeat.classifiers.fitting import build_estimator, nested_search

    t = table.select()
    t.index = t.index.copy()
    sp = t.index.speaker.to_numpy()
    t.index["label"] = np.where(np.isin(sp, ["09", "13"]), "a", "b")
    t.index.loc[(sp == "20") & t.index.emotion.isin(["angry", "happy"]).to_numpy(),
                "label"] = "a"
    result = evaluate(t, "label", "speaker", "svm", param_grid={"C": [0.1, 1.0]})
    assert len(result.settings["best_params"]) == 4
    # no usable inner fold at all: a clear error, not the estimator's
    two = np.flatnonzero(np.isin(sp, ["09", "14"]))
    y, g = t.index.label.to_numpy()[two], sp[two]
    with pytest.raises(ProtocolError, match="every inner fold of the nested search trains on "
                                            "one class"):
        nested_search(build_estimator("svm", "classification"), {"C": [1.0]}, t.X[two], y, g,
                      g, "classification", 2, 0)


def test_sets_extracted_in_another_order_are_the_same_extraction(manifest):
    """A model trained on ``extract(..., ["mfcc", "prosody"])`` refused the table of
    ``["prosody", "mfcc"]`` reordered with ``select(model.feature_names)`` (the remedy its
    own error gives) with a ProvenanceError: "feature sets = ['prosody', 'mfcc'] (model:
    ['mfcc', 'prosody'])", the same features extracted with the same parameters.
    evaluate_cross_corpus, which reorders the columns itself, refused it too."""
    from emofeat.classifiers import evaluate_cross_corpus
    from emofeat.classifiers.validation import DataError

    import emofeat

    rows = manifest[manifest.emotion.isin(["angry", "sad"])
                    & manifest.speaker.isin(["09", "13"])]
    a = emofeat.extract(rows, ["mfcc", "prosody"])
    b = emofeat.extract(rows, ["prosody", "mfcc"])
    model = train(a, "emotion", "logreg")
    # the columns are matched by name (predict reorders them itself)
    np.testing.assert_array_equal(model.predict(b).pred, model.predict(a).pred)
    with pytest.raises(DataError, match="in a different order; reorder with table.select"):
        model.check_features(b)
    same = b.select(model.feature_names)
    np.testing.assert_array_equal(same.X, a.X)
    np.testing.assert_array_equal(model.predict(same).pred, model.predict(a).pred)
    assert evaluate_cross_corpus(a, b, "emotion", "logreg", label_map=None).uar == \
        evaluate_cross_corpus(a, a, "emotion", "logreg", label_map=None).uar
    # a parameter of a set both record is still a difference
    other = copy.deepcopy(b.provenance)
    other["sets"][1]["params"]["n_mfcc"] = 20
    assert provenance_differences(model.feature_provenance, other) == [
        "mfcc.n_mfcc = 20 (model: 13)"]


def test_a_model_of_some_sets_columns_applies_to_a_table_of_those_sets(manifest):
    """A model trained on the mfcc columns selected from an mfcc + prosody table refused the
    table of mfcc alone, the very same columns, with a ProvenanceError: "feature sets =
    ['mfcc'] (model: ['mfcc', 'prosody'])"; and a table of more sets, reduced to the model's
    columns, likewise."""
    import emofeat

    rows = manifest[manifest.emotion.isin(["angry", "sad"])
                    & manifest.speaker.isin(["09", "13"])]
    both = emofeat.extract(rows, ["mfcc", "prosody"])
    mfcc = [n for n in both.feature_names if n.startswith("mfcc")]
    alone = emofeat.extract(rows, "mfcc")
    model = train(both.select(mfcc), "emotion", "logreg")
    np.testing.assert_array_equal(model.predict(alone).pred,
                                  model.predict(both.select(mfcc)).pred)
    model = train(alone, "emotion", "logreg")
    np.testing.assert_array_equal(model.predict(both.select(mfcc)).pred,
                                  model.predict(alone).pred)
    # the table of the sets without the model's columns: the names say what is missing
    from emofeat.classifiers.validation import DataError

    with pytest.raises(DataError, match="663 missing"):
        model.predict(emofeat.extract(rows, "prosody"))


def test_concat_of_the_same_columns_of_tables_of_other_sets(manifest):
    """``concat`` refused the mfcc columns of an mfcc + prosody table stacked on an mfcc
    table ("sets differ in their provenance"), and tables of the same sets extracted in
    another order, reordered: the same extraction of the same columns. Another parameter of
    a set both record is still refused."""
    import emofeat
    from emofeat.table import FeatureTable

    rows = manifest[manifest.speaker.isin(["09", "13"])]
    head, tail = rows.iloc[:4], rows.iloc[4:8]
    alone = emofeat.extract(tail, "mfcc")
    both = emofeat.extract(head, ["mfcc", "prosody"])
    stacked = FeatureTable.concat([both.select(alone.feature_names), alone])
    np.testing.assert_array_equal(stacked.X, emofeat.extract(rows.iloc[:8], "mfcc").X)
    other = emofeat.extract(tail, ["prosody", "mfcc"])
    assert len(FeatureTable.concat([both, other.select(both.feature_names)])) == 8
    ten = emofeat.extract(tail, "mfcc", params={"n_mels": 30})
    # the message names what differs (it said "sets differ" for one parameter)
    with pytest.raises(ValueError, match=r"set parameters mfcc n_mels: 40 vs 30\)"):
        FeatureTable.concat([alone, ten])
