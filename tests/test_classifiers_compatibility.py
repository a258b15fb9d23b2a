"""A trained model refuses features extracted differently, and warns when its predictions are
likely unreliable (inputs far from training, predictions collapsed onto one class)."""

from __future__ import annotations

import warnings

import numpy as np
import pytest
from _classifier_data import make_table
from emofeat.classifiers import TrainedModel, train
from emofeat.classifiers.compatibility import (
    PredictionWarning,
    ProvenanceError,
    class_collapse,
    provenance_differences,
)

from emofeat.cli import EXIT_OK, EXIT_USAGE, main
from emofeat.table import FeatureTable

PARAMS = {"sr": 16000, "n_mels": 40, "top_db": 80.0, "precision": "float32",
          "functionals": ["mean", "std"]}


def _with(table, level="functionals", **params):
    """``table`` claiming it was extracted by the mfcc set with ``params`` changed."""
    prov = {"emofeat_version": "0.1.0", "level": level,
            "sets": [{"name": "mfcc", "class": "emofeat.extractors.mfcc.MFCC",
                      "params": {**PARAMS, **params}}]}
    return FeatureTable(X=table.X, feature_names=table.feature_names, index=table.index,
                        provenance=prov)


def _split(table, test_speakers=("04", "05")):
    test = table.index["speaker"].isin(test_speakers).to_numpy()
    return table.select(rows=np.flatnonzero(~test)), table.select(rows=np.flatnonzero(test))


def _prediction_warnings(fn):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        out = fn()
    return out, [str(w.message) for w in caught if issubclass(w.category, PredictionWarning)]


@pytest.fixture(scope="module")
def data():
    # speakers shifted by about as much as real ones (held-out RAVDESS actors: median
    # |z| 0.3-0.5, see compatibility.SHIFT_Z); make_table's default shift is far larger
    train_t, test_t = _split(make_table(speaker_shift=1.0))
    model = train(_with(train_t), "emotion", "logreg")
    return model, test_t


# -------------------------------------------------------------------------------- provenance
@pytest.mark.parametrize("change, named", [
    ({"sr": 8000}, r"mfcc\.sr = 8000 \(model: 16000\)"),
    ({"n_mels": 64}, r"mfcc\.n_mels = 64 \(model: 40\)"),
    ({"top_db": 20.0}, r"mfcc\.top_db = 20\.0 \(model: 80\.0\)"),
    ({"functionals": ["mean", "max"]}, r"mfcc\.functionals"),
])
def test_predict_refuses_other_extraction_parameters(data, change, named):
    model, test = data
    with pytest.raises(ProvenanceError, match=named):
        model.predict(_with(test, **change))


def test_every_differing_parameter_is_named_and_force_overrides(data):
    model, test = data
    other = _with(test, sr=8000, n_mels=64)
    with pytest.raises(ProvenanceError, match=r"(?s)mfcc\.n_mels = 64.*mfcc\.sr = 8000.*--force"):
        model.predict(other)
    forced, warned = _prediction_warnings(lambda: model.predict(other, force=True))
    assert any("mfcc.sr = 8000" in w for w in warned)
    same = model.predict(_with(test))  # same numbers, matching provenance
    assert forced["pred"].tolist() == same["pred"].tolist()


def test_what_does_not_change_the_features_is_not_a_difference(data):
    model, test = data
    # float32 vs float64 computation; a JSON round trip turns 16000 into 16000.0 and tuples
    # into lists; a table built in memory has no parameters to compare
    for table in (_with(test, precision="float64"),
                  _with(test, sr=16000.0, functionals=("mean", "std")), test):
        _, warned = _prediction_warnings(lambda t=table: model.predict(t))
        assert not warned
    with pytest.raises(ProvenanceError, match="level = 'lld'"):
        model.predict(_with(test, level="lld"))


def test_precision_is_compared_where_float32_and_float64_differ(data):
    """Regression: precision was never compared (float32 and float64 'differ by ~1e-6'),
    but where a set says float32's rounding shows (``precision_matters``: MFCC with
    ``power=1``, the librosa set) the two give other features (band-limited speech: up to
    0.94 and 2.7 standard deviations, test below). There a table computed in the other
    precision is refused, ``"auto"`` as it resolves (float64 with ``power=1``); elsewhere
    (the default ``power=2``) it is not a difference."""
    model, test = data  # trained with the default power=2: precision is no difference
    for precision in ("float64", "auto"):
        _, warned = _prediction_warnings(lambda p=precision: model.predict(
            _with(test, precision=p)))
        assert not warned
    trained, _ = _split(make_table(speaker_shift=1.0))
    model1 = train(_with(trained, power=1.0, precision="float64"), "emotion", "logreg")
    with pytest.raises(ProvenanceError, match=r"mfcc\.precision = 'float32' \(model: "
                       r"'float64'\): float32 and float64 may give other mfcc features with "
                       r"these parameters \(emofeat's conservative rule: precision is "
                       r"compared wherever float32's rounding may show in mfcc\)"):
        model1.predict(_with(test, power=1.0, precision="float32"))
    _, warned = _prediction_warnings(lambda: model1.predict(
        _with(test, power=1.0, precision="auto")))
    assert not warned
    # the librosa set: always; a set without precision_matters (rqa): never
    for name, refused in (("librosa", True), ("rqa", False)):
        got = provenance_differences(
            {"level": "functionals", "sets": [{"name": name, "params": {"precision": "float32"}}]},
            {"level": "functionals", "sets": [{"name": name, "params": {"precision": "float64"}}]})
        assert got == ([f"{name}.precision = 'float64' (model: 'float32'): float32 and float64 "
                        f"may give other {name} features with these parameters (emofeat's "
                        f"conservative rule: precision is compared wherever float32's "
                        f"rounding may show in {name})"] if refused else [])


def test_a_failing_precision_rule_is_not_taken_for_an_unknown_set(monkeypatch):
    """Regression: any exception of a set's ``precision_matters`` was swallowed as if the set
    were unknown here, so a bug in the rule silently turned the comparison off. Only
    get_extractor's refusals (an unknown set or parameter: ValueError) and a recorded value
    of a type the set cannot compare (TypeError) mean 'not compared'."""
    from emofeat.extractors.mfcc import MFCC

    def broken(self):
        raise ZeroDivisionError("a bug in the rule")

    prov = [{"level": "functionals", "sets": [{"name": "mfcc", "params": {"precision": p}}]}
            for p in ("float32", "float64")]
    monkeypatch.setattr(MFCC, "precision_matters", broken)
    with pytest.raises(ZeroDivisionError, match="a bug in the rule"):
        provenance_differences(*prov)
    # a set this version does not know, or a parameter it does not take: not compared
    for name, params in (("not_a_set", {}), ("mfcc", {"no_such": 1})):
        assert provenance_differences(*[
            {"level": "functionals",
             "sets": [{"name": name, "params": {**params, "precision": p}}]}
            for p in ("float32", "float64")]) == []


def test_float32_and_float64_mfccs_of_band_limited_speech(tmp_path):
    """What the comparison above rests on, measured on real speech: 8 RAVDESS files
    resampled to 8 kHz and analysed at 16 kHz, float32 against float64. With ``power=1`` some
    functional moves by more than 0.1 of its standard deviation over the files (0.94 on 20
    files), at the default settings none by more than 1e-3 (1.4e-4 on 20 files)."""
    import glob

    import soundfile as sf
    from conftest import shared_path
    from scipy.signal import resample_poly

    from emofeat.registry import get_extractor

    root = shared_path("speech", "ravdess")
    found = sorted(glob.glob(str(root / "**" / "*.flac"), recursive=True))[::180][:8]
    if len(found) < 8:
        pytest.skip(f"real data not available: {root} (see ../shared/data/README.md)")
    files = []
    for path in found:
        y, sr = sf.read(path)
        out = tmp_path / (path.rsplit("/", 1)[-1][:-5] + ".wav")
        sf.write(out, resample_poly(y, 1, sr // 8000), 8000)
        files.append(str(out))

    def spread(**params):
        a, b = (get_extractor("mfcc", precision=p, **params).fit([]).transform(files)
                for p in ("float32", "float64"))
        sd = a.std(axis=0)
        return float((np.abs(a - b)[:, sd > 0] / sd[sd > 0]).max())

    assert spread(power=1.0) > 0.1
    assert spread() < 1e-3
    assert get_extractor("mfcc", power=1.0).precision_matters()
    assert not get_extractor("mfcc").precision_matters()


def test_provenance_differences_compares_only_what_both_sides_record():
    trained = {"level": "functionals", "sets": [{"name": "mfcc", "params": {"sr": 16000}}]}
    newer = {"level": "functionals",
             "sets": [{"name": "mfcc", "params": {"sr": 16000, "new_option": 1}}]}
    assert provenance_differences(trained, newer) == []
    assert provenance_differences(None, newer) == []  # a model saved before provenance
    assert provenance_differences(trained, {"level": "functionals", "sets": [
        {"name": "mfcc", "params": {"sr": True}}]}) == ["mfcc.sr = True (model: 16000)"]


# -------------------------------------------------------------------- shift and collapse
def test_held_out_speakers_of_the_same_corpus_give_no_warning(data):
    model, test = data
    _, warned = _prediction_warnings(lambda: model.predict(_with(test)))
    assert warned == []


def test_shifted_features_and_collapsed_predictions_are_warned(data):
    model, test = data
    # every feature moved by 3 training standard deviations along the direction that most
    # favours one class: the level shift of another corpus, in its worst form
    std = model.feature_stats["std"]
    coef = model.estimator.named_steps["model"].coef_
    favoured = int(np.argmax(np.abs(coef).sum(axis=1)))
    shifted = FeatureTable(X=test.X + 3 * std * np.sign(coef[favoured]),
                           feature_names=test.feature_names, index=test.index,
                           provenance=_with(test).provenance)
    pred, warned = _prediction_warnings(lambda: model.predict(shifted))
    shift = [w for w in warned if "far from the training distribution" in w]
    assert len(shift) == 1 and "standardize='group'" in shift[0]
    median_z = float(shift[0].split("a median ")[1].split(" ")[0])
    assert 2.0 < median_z < 4.0, shift[0]
    top = pred["pred"].value_counts()
    assert top.iloc[0] / len(pred) >= 0.9  # the shift pushed (almost) every row to one class
    assert any(f"are {top.index[0]!r}" in w and "collapsed" in w for w in warned)
    assert class_collapse(np.array(["a"] * 17 + ["b"] * 3), {"a": 0.25, "b": 0.75}) is None
    assert class_collapse(np.array(["a"] * 38 + ["b"] * 2), {"a": 0.25, "b": 0.75}) == ("a", 0.95)
    assert class_collapse(np.array(["a"] * 40), {"a": 0.6, "b": 0.4}) is None  # a majority class
    assert class_collapse(np.array(["a"] * 10), {"a": 0.25}) is None  # too few rows to judge


def test_collapse_is_warned_on_its_own():
    # a corpus with little speaker variation, so held-out predictions are mostly right
    train_t, test = _split(make_table(speaker_shift=0.3, n_features=16))
    model = train(_with(train_t), "emotion", "logreg")
    # rows of one held-out class only: predictions concentrate on it without any shift
    angry = test.select(rows=np.flatnonzero(test.index["emotion"].to_numpy() == "angry"))
    many = FeatureTable.concat([angry] * 2)
    pred, warned = _prediction_warnings(lambda: model.predict(_with(many)))
    assert len(pred) >= 20 and (pred["pred"] == "angry").mean() >= 0.9
    assert [w for w in warned if "collapsed" in w and "'angry'" in w and "25%" in w]
    assert not [w for w in warned if "far from the training" in w]


def test_group_standardised_models_skip_the_raw_feature_shift(data):
    _, test = data
    train_t, _ = _split(make_table())
    model = train(_with(train_t), "emotion", "logreg", groups="speaker", standardize="group")
    shifted = FeatureTable(X=test.X + 100.0, feature_names=test.feature_names,
                           index=test.index, provenance=_with(test).provenance)
    plain, warned = _prediction_warnings(lambda: model.predict(shifted))
    assert not any("far from the training" in w for w in warned)
    # and rightly so: each speaker's own statistics remove the shift
    assert plain["pred"].tolist() == model.predict(_with(test))["pred"].tolist()


def test_models_saved_before_the_checks_still_predict(data):
    model, test = data
    old = object.__new__(TrainedModel)
    old.__dict__.update({k: getattr(model, k) for k in (
        "estimator", "feature_names", "target", "task", "classes", "groups", "settings")})
    _, warned = _prediction_warnings(lambda: old.predict(_with(test, sr=8000)))
    assert warned == []


# --------------------------------------------------------------------------------- the CLI
def test_cli_predict_refuses_then_force_warns(tmp_path, capsys):
    train_t, test_t = _split(make_table())
    _with(train_t).to_parquet(tmp_path / "train.parquet")
    _with(test_t, sr=8000).to_parquet(tmp_path / "test.parquet")
    assert main(["train", str(tmp_path / "train.parquet"), "--target", "emotion", "--model",
                 "logreg", "-o", str(tmp_path / "m.joblib")]) == EXIT_OK
    capsys.readouterr()
    args = ["predict", str(tmp_path / "m.joblib"), str(tmp_path / "test.parquet"),
            "-o", str(tmp_path / "p.csv")]
    assert main(args) == EXIT_USAGE
    err = capsys.readouterr().err
    assert "mfcc.sr = 8000 (model: 16000)" in err and "--force" in err
    assert not (tmp_path / "p.csv").exists()
    assert main([*args, "--force"]) == EXIT_OK
    err = capsys.readouterr().err
    assert "emofeat predict: warning:" in err and "mfcc.sr = 8000" in err
    assert (tmp_path / "p.csv").exists()


# ------------------------------------------------------------------------------ real data
@pytest.fixture(scope="module")
def corpora(ravdess_dir, emodb_dir):
    """mfcc functionals of 12 actors of RAVDESS (every 4th file) and of 100 EmoDB files."""
    import emofeat
    from emofeat.datasets import load_emodb, load_ravdess

    rav = load_ravdess(ravdess_dir)
    rav = rav[rav["speaker"].astype(int) <= 12].iloc[::4].reset_index(drop=True)
    emo = load_emodb(emodb_dir).iloc[::5].reset_index(drop=True)
    return emofeat.extract(rav, "mfcc", n_jobs=1), emofeat.extract(emo, "mfcc", n_jobs=1), rav


def test_real_corpus_shift_is_warned_and_held_out_actors_are_not(corpora):
    """The issue's reproduction: a RAVDESS model on EmoDB predicts almost one class, with
    no word. Held-out RAVDESS actors must stay silent, EmoDB must be warned about."""
    rav, emo, _ = corpora
    held = rav.index["speaker"].astype(int).isin([11, 12]).to_numpy()
    model = train(rav.select(rows=np.flatnonzero(~held)), "emotion", "svm")
    _, warned = _prediction_warnings(lambda: model.predict(rav.select(rows=np.flatnonzero(held))))
    assert warned == []
    _, warned = _prediction_warnings(lambda: model.predict(emo))
    assert any("far from the training distribution" in w for w in warned), warned


def test_real_table_extracted_at_another_rate_is_refused(corpora, tmp_path):
    import emofeat

    rav, _, manifest = corpora
    model = train(rav, "emotion", "logreg")
    other = emofeat.extract(manifest.iloc[:12], "mfcc", n_jobs=1, params={"sr": 8000})
    assert list(other.feature_names) == list(rav.feature_names)  # same columns ...
    with pytest.raises(ProvenanceError, match=r"mfcc\.sr = 8000 \(model: 16000\)"):
        model.predict(other)  # ... other features
