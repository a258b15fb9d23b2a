"""Classifier edge cases a careful user runs into: rows without their speaker, small
speaker batches at prediction time, nested searches with trials, missing labels under a named
label map, ordinal figures of subject-dependent runs, cross-corpus extraction parameters, and
forcing the task from the command line."""

from __future__ import annotations

import warnings

import numpy as np
import pytest
from _classifier_data import make_table
from emofeat.classifiers import (
    DataError,
    GroupStandardScaler,
    ProtocolError,
    evaluate,
    evaluate_cross_corpus,
    train,
)
from emofeat.classifiers.compatibility import (
    MIN_ROWS_PER_GROUP,
    PredictionWarning,
    ProvenanceError,
)
from emofeat.classifiers.evaluation import inner_units
from emofeat.classifiers.metrics import concordance_correlation

from emofeat.table import FeatureTable


@pytest.fixture(scope="module")
def table():
    return make_table()


def _with_index(table, **columns):
    idx = table.index.copy()
    for name, values in columns.items():
        idx[name] = values
    return FeatureTable(X=table.X, feature_names=table.feature_names, index=idx,
                        provenance=table.provenance)


@pytest.mark.parametrize("missing", [None, np.nan])
def test_group_scaler_refuses_rows_without_a_group(missing):
    """A missing group equals no row, not even itself: its rows would be left unwritten."""
    X = np.arange(12, dtype=float).reshape(6, 2)
    groups = np.array(["a", "a", "a", missing, "b", "b"], dtype=object)
    with pytest.raises(ValueError, match="missing for 1 of 6 rows"):
        GroupStandardScaler().fit(X, groups=groups)
    scaler = GroupStandardScaler().fit(X, groups=["a"] * 3 + ["b"] * 3)
    with pytest.raises(ValueError, match=r"missing for 1 of 6 rows \(rows 3\)"):
        scaler.transform(X, groups=groups)
    # numeric groups with NaN too
    with pytest.raises(ValueError, match="missing"):
        scaler.transform(X, groups=[1.0, 1.0, 1.0, np.nan, 2.0, 2.0])


def test_predict_refuses_rows_without_their_speaker(table):
    model = train(table, "emotion", "logreg", groups="speaker", standardize="group")
    speakers = table.index["speaker"].astype(object).to_numpy().copy()
    speakers[:24] = None
    with pytest.raises(DataError, match="24 of 144 rows have no 'speaker' value"):
        model.predict(_with_index(table, speaker=speakers))


def test_predict_warns_when_a_speaker_has_few_rows(table):
    """Per-speaker statistics at prediction time come from the rows predicted together."""
    model = train(table, "emotion", "logreg", groups="speaker", standardize="group")
    few = table.select(rows=np.arange(3))  # three rows of one speaker
    with pytest.warns(PredictionWarning, match=f"fewer than {MIN_ROWS_PER_GROUP} rows"):
        model.predict(few)
    one_speaker = table.select(rows=np.flatnonzero(table.index["speaker"] == "01"))
    with warnings.catch_warnings():
        warnings.simplefilter("error", PredictionWarning)
        model.predict(one_speaker)  # 24 rows: no warning
    plain = train(table, "emotion", "logreg")
    with warnings.catch_warnings():
        warnings.simplefilter("error", PredictionWarning)
        plain.predict(few)  # nothing is standardised per speaker


def test_inner_units_follow_the_outer_protocol():
    g = np.array(["s1", "s1", "s2", "s2"])
    t = np.array(["t1", "t2", "t1", "t3"])
    for protocol in ("loso", "logo", "group_kfold"):
        assert (inner_units(protocol, g, t) == g).all()  # speakers, trials or not
        assert (inner_units(protocol, g, None) == g).all()
    assert len(set(inner_units("trialwise", g, t))) == 4  # trial ids are per speaker
    assert (inner_units("subject_dependent", g, t) == t).all()
    assert len(set(inner_units("subject_dependent", g, None))) == 4  # rows


class _SpyScaler(GroupStandardScaler):
    """Records the groups of every fit and transform call."""

    log: list = []

    def fit(self, X, y=None, groups=None):
        self.log.append(("fit", frozenset(np.asarray(groups))))
        return super().fit(X, y, groups=groups)

    def transform(self, X, groups=None):
        self.log.append(("transform", frozenset(np.asarray(groups))))
        return super().transform(X, groups=groups)


def test_nested_search_with_trials_keeps_speakers_apart(table):
    """With ``trials=`` under LOSO, the inner folds are still speaker-independent: every
    transform after a fit sees either that fit's speakers or none of them."""
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import Pipeline

    _SpyScaler.log = []
    pipe = Pipeline([("scale", _SpyScaler()), ("m", LogisticRegression(max_iter=300))])
    evaluate(table, "emotion", groups="speaker", model=pipe, protocol="loso", trials="trial",
             param_grid={"C": [0.1, 1.0]}, inner_splits=3)
    fits = 0
    last = None
    for kind, groups in _SpyScaler.log:
        if kind == "fit":
            last, fits = groups, fits + 1
        elif groups != last:
            assert not groups & last, "an inner validation fold shares speakers with its fit"
    assert fits >= 6 * 3  # the inner fits did run


def test_named_label_map_drops_missing_labels_when_detecting_the_corpus(table):
    emotions = table.index["emotion"].astype(object).to_numpy().copy()
    emotions[0] = None
    res = evaluate(_with_index(table, emotion=emotions), "emotion", "speaker", "logreg",
                   label_map="4class")
    assert res.settings["dropped_rows"] == 1
    assert len(res.predictions) == len(table) - 1


def test_subject_dependent_ordinal_figures_are_means_over_subjects(table):
    ratings = table.index["emotion"].map({"angry": "1", "sad": "2", "neutral": "3",
                                          "happy": "4"}).to_numpy()
    res = evaluate(_with_index(table, rating=ratings), "rating", "speaker", "logreg",
                   "subject_dependent", n_splits=3)
    assert "off_by_one" in res.per_group
    for key in ("uar", "wa", "off_by_one"):
        assert res.scores[key] == pytest.approx(res.per_group[key].mean())
    assert "off_by_one" in res.settings["pooled_over_all_rows"]


def _provenance(sr):
    return {"level": "functionals", "sets": [{"name": "mfcc", "params": {"sr": sr}}]}


def test_cross_corpus_refuses_other_extraction_parameters(table):
    spk = table.index["speaker"].to_numpy()
    a, b = table.select(rows=np.flatnonzero(spk < "03")), table.select(
        rows=np.flatnonzero(spk >= "03"))
    a = FeatureTable(X=a.X, feature_names=a.feature_names, index=a.index,
                     provenance=_provenance(16000))
    b8 = FeatureTable(X=b.X, feature_names=b.feature_names, index=b.index,
                      provenance=_provenance(8000))
    with pytest.raises(ProvenanceError, match=r"mfcc\.sr = 8000 \(model: 16000\)"):
        evaluate_cross_corpus(a, b8, "emotion", "logreg", label_map=None)
    with pytest.warns(PredictionWarning, match="extracted with other parameters"):
        res = evaluate_cross_corpus(a, b8, "emotion", "logreg", label_map=None, force=True)
    assert res.settings["provenance_differences"] == ["mfcc.sr = 8000 (model: 16000)"]
    b16 = FeatureTable(X=b.X, feature_names=b.feature_names, index=b.index,
                       provenance=_provenance(16000))
    same = evaluate_cross_corpus(a, b16, "emotion", "logreg", label_map=None)
    assert same.settings["provenance_differences"] == []


def test_cli_task_forces_regression_of_integer_ratings(table, tmp_path, capsys):
    from emofeat.cli import EXIT_OK, main

    ratings = table.index["emotion"].map({"angry": 1.0, "sad": 2.0, "neutral": 3.0,
                                          "happy": 4.0}).to_numpy()
    path = tmp_path / "ratings.parquet"
    _with_index(table, rating=ratings).to_parquet(path)
    args = ["evaluate", str(path), "--target", "rating", "--groups", "speaker",
            "--model", "ridge"]
    assert main([*args, "--model", "logreg"]) == EXIT_OK
    assert "UAR" in capsys.readouterr().out  # auto: integer ratings are classes
    assert main([*args, "--task", "regression"]) == EXIT_OK
    out = capsys.readouterr().out
    assert "CCC" in out and "UAR" not in out
    model_path = tmp_path / "m.joblib"
    assert main(["train", str(path), "--target", "rating", "--model", "ridge",
                 "--task", "regression", "-o", str(model_path)]) == EXIT_OK
    from emofeat.classifiers import load_model

    assert load_model(model_path).task == "regression"


def test_default_groups_follow_the_catalogue_for_every_set():
    from emofeat.classifiers import feature_group

    cases = {
        "mfcc3_delta_std": "mfcc_delta", "mfcc_htk12_delta2_iqr": "mfcc_htk_delta2",
        "librosa_mel_98_p5": "librosa_mel", "librosa_chroma_C#_mean": "librosa_chroma",
        "librosa_mfcc_19_delta2_slope": "librosa_mfcc_delta2", "paa_mfcc_4_std": "paa_mfcc",
        "paa_delta_chroma_12_std": "paa_delta_chroma",
        "egemaps_mfcc2_sma3_amean": "egemaps_mfcc_sma3",
        "egemaps_F0semitoneFrom27.5Hz_sma3nz_percentile20.0":
            "egemaps_F0semitoneFrom27.5Hz_sma3nz",
        "egemaps_slopeV0-500_sma3nz_amean": "egemaps_slopeV_sma3nz",
        "rqa_speech_det_range75_25": "rqa_speech_det",
        "rqa_speech_det_delta_range75_25": "rqa_speech_det_delta",
        "eeg_bands_rel_alpha_AF3": "eeg_bands_rel_alpha", "eeg_stats_std_TP9": "eeg_stats_std",
        # not a registered set's name: the first part without its number, the last part gone
        "f0_stat4": "f0", "loudness": "loudness",
    }
    for name, group in cases.items():
        assert feature_group(name) == group, name


def test_a_partial_feature_to_group_dict_is_read_as_such(table):
    from emofeat.classifiers import group_features

    names = table.feature_names
    got = group_features(names, {names[0]: "energy", names[1]: "other"})
    assert got == {"energy": [0], "other": [1]}
    with pytest.raises(ValueError, match="forms no group"):
        group_features(names, {"nothing": "^zzz"})


def test_builtin_importances_are_traced_through_the_pipeline(table):
    from sklearn.ensemble import RandomForestClassifier
    from sklearn.feature_selection import VarianceThreshold
    from sklearn.pipeline import make_pipeline

    X = table.X.copy()
    X[:, 2] = 1.0  # a constant column the first step drops
    t = FeatureTable(X=X, feature_names=table.feature_names, index=table.index)
    model = make_pipeline(VarianceThreshold(), RandomForestClassifier(n_estimators=20,
                                                                       random_state=0))
    res = evaluate(t, "emotion", "speaker", model, "group_kfold", n_splits=3)
    imp = res.builtin_importances.set_index("feature")["importance"]
    assert len(imp) == len(table.feature_names)
    assert imp[table.feature_names[2]] == 0.0 and imp.drop(table.feature_names[2]).gt(0).all()


def test_report_leaves_no_files_of_an_earlier_report(table, tmp_path):
    ev = evaluate(table, "emotion", "speaker", "rf", "group_kfold", n_splits=3,
                  model_params={"n_estimators": 10}, importance="groups")
    assert ev.settings["importance"] == "groups" and ev.settings["n_repeats"] == 3
    ev.report(tmp_path)
    assert (tmp_path / "group_importance.csv").exists()
    import json

    assert json.loads((tmp_path / "result.json").read_text())["group_importances"]
    plain = evaluate(table, "emotion", "speaker", "logreg")
    plain.report(tmp_path)
    assert not (tmp_path / "group_importance.csv").exists()
    assert not (tmp_path / "builtin_importance.csv").exists()


@pytest.mark.parametrize("bad", [np.inf, -np.inf])
def test_infinite_regression_targets_are_refused_naming_the_column(bad):
    """An infinite target has no defined error: refused when the data are prepared, naming
    the column and the count (it reached the metrics, which refused it naming a metric); a
    missing target is dropped as before."""
    table = make_table(n_speakers=4, per_class=4)
    table.index["valence"] = table.index["valence"].astype(float)
    table.index.loc[[3, 7], "valence"] = bad
    with pytest.raises(DataError, match=r"column 'valence' holds 2 infinite values for a "
                                        r"regression"):
        evaluate(table, target="valence", task="regression", protocol="loso",
                 groups="speaker", model="ridge")
    table.index.loc[[3, 7], "valence"] = np.nan
    result = evaluate(table, target="valence", task="regression", protocol="loso",
                      groups="speaker", model="ridge")
    assert len(result.predictions) == len(table) - 2 and np.isfinite(result.scores["ccc"])


def _one_row_speakers(n_single: int = 2):
    """Six speakers, the last ``n_single`` with a single row: the CCC of such a held-out
    fold is undefined (NaN)."""
    t = make_table(n_speakers=6, per_class=4, n_features=6)
    spk = t.index.speaker.to_numpy()
    singles = sorted(set(spk))[-n_single:]
    rows = [i for i in range(len(t)) if spk[i] not in singles]
    rows += [int(np.flatnonzero(spk == s)[0]) for s in singles]
    return t.select(rows=sorted(rows))


def test_folds_with_an_undefined_score_are_left_out_of_means():
    """A one-row regression fold has CCC NaN: the nested search chose nothing
    (set_params(**None)) and every permutation importance was NaN."""
    from emofeat.classifiers.explain import summarize_importance
    from emofeat.classifiers.fitting import nested_search
    from emofeat.classifiers.models import make_regressor
    from emofeat.classifiers.protocols import ProtocolError, inner_folds
    from emofeat.classifiers.validation import prepare

    t = _one_row_speakers()
    res = evaluate(t, "valence", "speaker", "ridge", param_grid={"alpha": [0.1, 10]},
                   importance="groups")
    assert res.per_fold["ccc"].isna().sum() == 2  # the two one-row speakers
    assert len(res.settings["best_params"]) == 6
    assert np.isfinite(res.group_importances["importance"]).all()
    # the search's figure is the mean over the inner folds with a defined CCC
    prep = prepare(t, "valence")
    g = prep.index.speaker.astype(str).to_numpy()
    est, best, score = nested_search(make_regressor("ridge"), {"alpha": [0.1, 10]}, prep.X,
                                     prep.y, g, g, "regression", 5, 0)
    expected = {}
    for alpha in (0.1, 10):
        vals = []
        for tr, te in inner_folds(None, g, 5, 0):
            m = make_regressor("ridge", alpha=alpha).fit(prep.X[tr], prep.y[tr])
            vals.append(concordance_correlation(prep.y[te], m.predict(prep.X[te])))
        assert np.isnan(vals).any() and not np.isnan(vals).all()
        expected[alpha] = np.nanmean(vals)
    assert best == {"model__alpha": max(expected, key=expected.get)}
    assert score == pytest.approx(max(expected.values()))
    # every inner fold undefined: a clear error, not a TypeError
    single = _one_row_speakers(6)
    p1 = prepare(single, "valence")
    g1 = p1.index.speaker.astype(str).to_numpy()
    with pytest.raises(ProtocolError, match="no defined inner score"):
        nested_search(make_regressor("ridge"), {"alpha": [1.0]}, p1.X, p1.y, g1, g1,
                      "regression", 6, 0)  # six inner folds of one row each
    # importances: the defined drops averaged, an all-undefined feature NaN with a warning
    drops = [np.array([[1.0, 2.0], [np.nan, np.nan]]), np.array([[np.nan, np.nan],
                                                                 [np.nan, np.nan]])]
    with pytest.warns(UserWarning, match="undefined for 1 feature"):
        imp = summarize_importance(drops, ["a", "b"]).set_index("feature")
    assert imp.loc["a", "importance"] == pytest.approx(1.5)
    assert imp.loc["a", "std"] == pytest.approx(np.std([1.0, 2.0]))
    assert np.isnan(imp.loc["b", "importance"])


def test_result_json_is_strict_json_with_null_for_undefined_figures(tmp_path):
    """A NaN figure (the CCC of a one-row fold) was written as a bare NaN, which strict JSON
    readers refuse."""
    import json

    res = evaluate(_one_row_speakers(1), "valence", "speaker", "ridge")
    nan_folds = res.per_fold["ccc"].isna().to_numpy()
    assert nan_folds.sum() == 1
    res.report(tmp_path)

    def refuse(const):
        raise ValueError(f"not strict JSON: {const}")

    data = json.loads((tmp_path / "result.json").read_text(), parse_constant=refuse)
    ccc = [row["ccc"] for row in data["per_fold"]]
    assert [c is None for c in ccc] == list(nan_folds)
    assert ccc[int(np.flatnonzero(~nan_folds)[0])] == pytest.approx(
        res.per_fold["ccc"][~nan_folds].iloc[0])
    assert res.to_dict()["per_fold"] == data["per_fold"]


def test_fold_and_repeat_counts_are_checked_naming_the_parameter(table):
    """n_splits=1 failed inside sklearn ("k-fold cross-validation requires ...") or, for
    subject_dependent, blamed every subject ("has 24 rows: ... need at least 2");
    inner_splits=1 said a training fold had too few groups (it had 5); n_repeats=0 gave NaN
    importances with numpy's "Mean of empty slice". Each names its parameter now."""
    for protocol in ("group_kfold", "subject_dependent", "trialwise"):
        for bad in (1, 0, 2.5):
            with pytest.raises(ProtocolError, match=f"n_splits must be an integer of at least 2 "
                                                    f"for protocol '{protocol}', got {bad}"):
                evaluate(table, "emotion", "speaker", "logreg", protocol, trials="trial",
                         n_splits=bad)
    with pytest.raises(ValueError, match="inner_splits must be an integer of at least 2, got 1"):
        evaluate(table, "emotion", "speaker", "logreg", param_grid={"C": [1, 2]},
                 inner_splits=1)
    with pytest.raises(ValueError, match="n_repeats must be an integer of at least 1, got 0"):
        evaluate(table, "emotion", "speaker", "logreg", importance="groups", n_repeats=0)
    # loso has no n_splits to check
    assert evaluate(table, "emotion", "speaker", "logreg", n_splits=1).uar > 0.3


@pytest.mark.parametrize("n_classes", [2, 3, 8])
def test_confusion_plot_keeps_its_title_and_labels_inside(n_classes):
    """With two or three classes the figure was sized by its cells alone, narrower than its
    title ("logreg - normalised confusion matrix" cut off on both sides) and the colourbar's
    label. Every text now lies inside the figure."""
    from emofeat.classifiers.plots import plot_confusion
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    emos = ("negative", "positive", "neutral", "a", "b", "c", "d", "e")[:n_classes]
    t = make_table(n_speakers=3, per_class=3, emotions=emos)
    res = evaluate(t, "emotion", "speaker", "logreg")
    fig = plot_confusion(res.confusion, res.labels, title="logreg - normalised confusion matrix")
    canvas = FigureCanvasAgg(fig)
    canvas.draw()
    box = fig.bbox
    texts = [t for ax in fig.axes for t in (ax.title, ax.xaxis.label, ax.yaxis.label)
             if t.get_text()]
    assert len(texts) == 4  # title, predicted, true, the colourbar's label
    for text in texts:
        ext = text.get_window_extent(canvas.get_renderer())
        assert box.x0 <= ext.x0 and ext.x1 <= box.x1 and box.y0 <= ext.y0 and ext.y1 <= box.y1, \
            text.get_text()


def test_group_scaler_takes_ids_of_mixed_types(table):
    """Speaker ids of mixed types in an object column (ints and strings from a hand-made
    column) failed with "'<' not supported between instances of 'str' and 'int'" in your own
    pipeline; they are compared as text, as evaluate and split() compare them."""
    text = table.index["speaker"].to_numpy().astype(str)
    mixed = np.array([int(s) if i % 2 else str(s) for i, s in enumerate(text)], dtype=object)
    assert {type(v) for v in mixed} == {int, str}
    ref = GroupStandardScaler().fit(table.X, groups=text).transform(table.X, groups=text)
    mixed_text = mixed.astype(str)  # "00" and 0 are different ids, as text
    got = GroupStandardScaler().fit(table.X, groups=mixed).transform(table.X, groups=mixed)
    want = GroupStandardScaler().fit(table.X, groups=mixed_text).transform(
        table.X, groups=mixed_text)
    np.testing.assert_array_equal(got, want)
    assert not np.array_equal(got, ref)  # 0 and "00" are two speakers here
