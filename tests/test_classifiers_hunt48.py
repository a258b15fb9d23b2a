"""Session 48 (helper D): classifiers and explanations on real tables."""
import json
import re

import numpy as np
import pytest
from _classifier_data import make_table
from emofeat.classifiers import evaluate
from sklearn.metrics import balanced_accuracy_score

# --- an evaluation without groups holds no group out, anywhere --------------------------------


@pytest.mark.parametrize("pool", [None, "trial"], ids=["rows", "pooled"])
def test_no_groups_means_no_group_in_per_group_or_predictions(tmp_path, pool):
    # per-fold test_groups became missing in session 47, while per_group kept a row for the
    # placeholder group 'all' (the pooled figures again, as if a speaker's) and every
    # prediction's group said 'all' (session 47's leftover)
    t = make_table()
    res = evaluate(t, "emotion", None, "logreg", protocol="trialwise", trials="trial",
                   n_splits=3, pool=pool)
    grouped = evaluate(t, "emotion", "speaker", "logreg", protocol="group_kfold", n_splits=3,
                       pool=pool)
    assert len(res.per_group) == 0
    assert list(res.per_group.columns) == list(grouped.per_group.columns)
    assert res.per_group["group"].dtype == grouped.per_group["group"].dtype
    group = res.predictions["group"]
    assert group.isna().all() and len(group) == len(res.predictions)
    assert group.dtype == grouped.predictions["group"].dtype
    assert res.per_fold["test_groups"].isna().all()
    # the figures are still those of the predictions
    p = res.predictions
    assert res.uar == pytest.approx(balanced_accuracy_score(p["true"], p["pred"]), abs=1e-12)
    with pytest.raises(ValueError, match="no groups"):
        res.plot_per_group()
    report = res.report(tmp_path / "rep").read_text()
    assert "No groups: evaluated without a group column (`groups=`)" in report
    assert "| all |" not in report
    assert not (tmp_path / "rep" / "per_group.png").exists()
    assert json.loads((tmp_path / "rep" / "result.json").read_text())["per_group"] == []
    if pool is None:  # the command's report names the command's option
        from emofeat.cli import EXIT_OK, main

        t.to_parquet(tmp_path / "t.parquet")
        assert main(["evaluate", str(tmp_path / "t.parquet"), "--target", "emotion",
                     "--protocol", "trialwise", "--trials", "trial", "--folds", "3", "--model",
                     "logreg", "-q", "--report", str(tmp_path / "cli")]) == EXIT_OK
        assert "without a group column (`--groups`)" in (tmp_path / "cli" / "report.md").read_text()


def test_with_groups_per_group_and_predictions_unchanged():
    t = make_table()
    res = evaluate(t, "emotion", "speaker", "logreg", protocol="trialwise", trials="trial",
                   n_splits=3)
    assert sorted(res.per_group["group"]) == sorted(np.unique(t.index["speaker"].astype(str)))
    assert (res.predictions["group"].to_numpy()
            == t.index["speaker"].astype(str).to_numpy()[res.predictions["row"]]).all()


# --- the default feature groups of eGeMAPS' voiced MFCCs --------------------------------------

@pytest.mark.parametrize("set_name", ["egemaps", "gemaps"])
def test_voiced_mfccs_are_one_group_as_the_other_mfccs(set_name):
    # the catalogue keeps an eGeMAPS {desc} in the group name, coefficient number and all:
    # mfcc1V..mfcc4V were four groups of 2 columns beside one mfcc_sma3 group of 8, against
    # the rule (a group spans the coefficients); --importance groups split the voiced MFCCs
    from emofeat.classifiers import feature_group, group_features

    from emofeat.registry import get_extractor

    names = [str(n) for n in get_extractor(set_name).get_feature_names_out()]
    groups = {g: [names[j] for j in cols] for g, cols in group_features(names).items()}
    voiced = [n for n in names if re.match(rf"{set_name}_mfcc\dV_", n)]
    assert len(voiced) == 8 if set_name == "egemaps" else not voiced
    if voiced:
        assert groups[f"{set_name}_mfccV_sma3nz"] == voiced
        assert feature_group(f"{set_name}_mfcc3V_sma3nz_stddevNorm") == f"{set_name}_mfccV_sma3nz"
        assert len(groups[f"{set_name}_mfcc_sma3"]) == 8
    # the other {desc} groups are named as before, every column in one group
    assert feature_group(f"{set_name}_alphaRatioV_sma3nz_amean") == \
        f"{set_name}_alphaRatioV_sma3nz"
    assert sorted(n for cols in groups.values() for n in cols) == sorted(names)
    if set_name == "egemaps":
        assert len(groups) == 28


# --- the default regressor's figures do not depend on the target's unit ----------------------

#: a rating of arousal for each RAVDESS emotion, 0-100 (circumplex placements, rounded)
_AROUSAL = {"neutral": 20, "calm": 10, "happy": 60, "sad": 25, "angry": 85, "fearful": 80,
            "disgust": 55, "surprised": 75}


def test_svr_figures_do_not_depend_on_the_target_unit(ravdess_four_speakers_mfcc):
    # SVR's C and epsilon are in the target's unit while the features are z-scored: EmoDB's
    # arousal as a 0-100 rating scored leave-one-speaker-out CCC 0.55, as 0-1 0.78 and x10
    # 0.07 (/tmp/s48d/h6_svrunit.py); the target is now fitted in standard units
    from emofeat.classifiers import make_regressor

    t = ravdess_four_speakers_mfcc.select(rows=slice(None))
    t.index = t.index.copy()
    rng = np.random.default_rng(0)
    rating = t.index["emotion"].map(_AROUSAL).to_numpy(float) + rng.integers(-10, 11, len(t))
    figures, preds = {}, {}
    for scale in (1.0, 0.01, 10.0):
        t.index["arousal"] = rating * scale
        res = evaluate(t, "arousal", "speaker", "svr", protocol="loso", task="regression")
        figures[scale] = res.scores
        preds[scale] = res.predictions["pred"].to_numpy(float) / scale
    for scale in (0.01, 10.0):
        assert figures[scale]["ccc"] == pytest.approx(figures[1.0]["ccc"], abs=1e-6)
        assert figures[scale]["pearson"] == pytest.approx(figures[1.0]["pearson"], abs=1e-6)
        assert figures[scale]["rmse"] == pytest.approx(figures[1.0]["rmse"] * scale, rel=1e-6)
        np.testing.assert_allclose(preds[scale], preds[1.0], rtol=1e-6, atol=1e-6)
    # the model as documented: an SVR fitted to the target z-scored, mapped back
    from sklearn.svm import SVR

    X = np.asarray(t.X, dtype=float)
    pipe = make_regressor("svr").fit(X, rating)
    z = (rating - rating.mean()) / rating.std()
    ref = make_regressor("svr").set_params(model=SVR(C=1.0, epsilon=0.1)).fit(X, z)
    np.testing.assert_allclose(pipe.predict(X), ref.predict(X) * rating.std() + rating.mean(),
                               rtol=1e-9, atol=1e-9)


# --- a cross-corpus summary says what was held out --------------------------------------------

def test_cross_corpus_summary_says_by_corpus_with_groups():
    # with groups= the one-line summary said "cross_corpus by speaker (1 fold ...)", as if the
    # folds held out speakers; the test table is held out, the speakers only standardise and
    # score it per speaker
    from emofeat.classifiers import evaluate_cross_corpus

    t = make_table()
    speakers = np.asarray(t.index["speaker"].astype(str))
    first = np.isin(speakers, sorted(set(speakers))[:len(set(speakers)) // 2])
    train, test = t.select(rows=np.flatnonzero(first)), t.select(rows=np.flatnonzero(~first))
    res = evaluate_cross_corpus(train, test, "emotion", "logreg", label_map=None,
                                groups="speaker", standardize="group")
    assert res.summary().startswith("logreg | cross_corpus by corpus, per-group standardised "
                                    "(1 fold, "), res.summary()
    assert f"(per speaker UAR {res.per_group['uar'].mean():.3f} +- " in res.summary()
    plain = evaluate_cross_corpus(train, test, "emotion", "logreg", label_map=None)
    assert plain.summary().startswith("logreg | cross_corpus by corpus (1 fold, ")


# --- the importance plot's title stays in the figure --------------------------------------------

def test_importance_title_is_inside_the_figure(tmp_path):
    # eGeMAPS' group names push the bars right; the report's title, centred over the bars,
    # ran off the right edge ("... (held-out f")
    import pandas as pd
    from emofeat.classifiers.explain import group_features
    from emofeat.classifiers.plots import plot_importance
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    from emofeat.registry import get_extractor

    names = [str(n) for n in get_extractor("egemaps").get_feature_names_out()]
    groups = sorted(group_features(names), key=len, reverse=True)[:20]
    imp = pd.DataFrame({"group": groups, "importance": np.linspace(0.1, 0.0, len(groups)),
                        "std": 0.02})
    title = "Permutation importance per feature group (held-out folds)"
    fig = plot_importance(imp, tmp_path / "g.png", title=title)
    canvas = FigureCanvasAgg(fig)
    canvas.draw()  # lays the figure out, as savefig does
    renderer = canvas.get_renderer()
    shown = [t for t in fig.findobj(match=lambda a: hasattr(a, "get_text"))
             if a_text(t) == title]
    assert shown, "the title is drawn"
    box, frame = shown[0].get_window_extent(renderer), fig.bbox
    assert frame.x0 - 0.5 <= box.x0 and box.x1 <= frame.x1 + 0.5, (box, frame)
    assert (tmp_path / "g.png").stat().st_size > 0


def a_text(artist) -> str:
    try:
        return artist.get_text()
    except Exception:  # noqa: BLE001 - an artist of another kind
        return ""
