"""``--param`` values read the way a user means them (leftover of session 50).

``--param top_db=inf`` reached the set as the text ``'inf'`` ("top_db must be int or float
or None, got 'inf'"), and so did ``nan``, ``true``/``false`` and ``none`` (each refused with
a hint to write the Python spelling), and ``n_mfcc=2e1`` was the float 20.0 ("n_mfcc must be
int, got 20.0"). Now a word the parameter's type takes is read as that value: the output
equals, bit for bit, the same command with the Python literal; a parameter that takes text
keeps it (the lexicon's ``negation=none``); what the parameter does not take is refused by
its own check, naming the value read (``top_db=nan``; ``top_db=inf`` is no floor since session 52).
"""

from __future__ import annotations

import pandas as pd
import pytest

from emofeat import read_table
from emofeat.cli import main


def _extract(capsys, inputs, out, *argv) -> tuple[int, str]:
    capsys.readouterr()
    code = main(["extract", "-q", *map(str, inputs), "-o", str(out), *argv])
    return code, capsys.readouterr().err


def _features(out) -> pd.DataFrame:
    return read_table(out).to_pandas()


@pytest.mark.parametrize(("sets", "typed", "literal"), [
    ("mfcc", "htk=true", "htk=True"),
    ("mfcc", "center=FALSE", "center=False"),
    ("mfcc", "fmax=none", "fmax=None"),
    ("mfcc", "mel_norm=null", "mel_norm=None"),  # a text parameter that takes None
    ("mfcc", "n_mfcc=2e1", "n_mfcc=20"),
    ("mfcc", "fmax=8e3", "fmax=8000.0"),
    ("mfcc,prosody", "mfcc.fmax=none", "mfcc.fmax=None"),
])
def test_a_word_is_the_value_it_names(tmp_path, capsys, emodb_dir, sets, typed, literal):
    files = sorted(emodb_dir.glob("*.flac"))[:3]
    code, err = _extract(capsys, files, tmp_path / "a.parquet", "--set", sets,
                         "--param", typed)
    assert code == 0, err  # exit 2 before: "... got 'true'" (or 'none', 20.0)
    assert _extract(capsys, files, tmp_path / "b.parquet", "--set", sets,
                    "--param", literal)[0] == 0
    a, b = _features(tmp_path / "a.parquet"), _features(tmp_path / "b.parquet")
    pd.testing.assert_frame_equal(a, b, check_exact=True)  # tolerance: none, the same run
    assert read_table(tmp_path / "a.parquet").provenance["sets"] == read_table(
        tmp_path / "b.parquet").provenance["sets"]  # one fingerprint: either resumes the other


@pytest.mark.parametrize(("typed", "said"), [
    ("top_db=-Infinity", "got -inf"), ("top_db=nan", "got nan"),  # inf: no floor (52)
    ("fmax=inf", "fmax=inf"),
])
def test_inf_and_nan_are_floats_refused_by_the_parameter_s_own_check(
        tmp_path, capsys, emodb_dir, typed, said):
    # before: "top_db must be int or float or None, got 'inf'": a float refused as text
    code, err = _extract(capsys, sorted(emodb_dir.glob("*.flac"))[:1], tmp_path / "x.parquet",
                         "--set", "mfcc", "--param", typed)
    assert code == 2 and said in err and "'" + typed.partition("=")[2] + "'" not in err, err
    if typed.startswith("top_db"):
        assert "(inf or None: no floor)" in err, err  # the way to say what inf means


def test_a_text_parameter_keeps_its_text(tmp_path, capsys):
    from conftest import shared_path

    carer = shared_path("text", "carer", "test.txt")
    rows = carer.read_text(encoding="utf-8").splitlines()[1:41]
    manifest = tmp_path / "carer.csv"
    pd.DataFrame([r.rsplit(";", 1) for r in rows], columns=["text", "label"]).to_csv(
        manifest, index=False)
    outs = {}
    for typed in ("negation=none", "negation=flip", "stem=none", "stem=None"):
        outs[typed] = tmp_path / f"{typed.replace('=', '_')}.parquet"
        code, err = _extract(capsys, [manifest], outs[typed], "--set", "lexicon",
                             "--param", typed)
        assert code == 0, err
    params = {t: read_table(o).provenance["sets"][0]["params"] for t, o in outs.items()}
    assert params["negation=none"]["negation"] == "none"  # the mode 'none', not None
    assert params["stem=none"]["stem"] is None  # 'none' is no stemmer the set has: None
    # the modes differ on CARER's negated texts: the text reached the set
    assert not _features(outs["negation=none"]).equals(_features(outs["negation=flip"]))
    pd.testing.assert_frame_equal(_features(outs["stem=none"]), _features(outs["stem=None"]))


@pytest.fixture(scope="module")
def emodb_features(tmp_path_factory, emodb_dir):
    """mfcc of 70 EmoDB files (every 7th, 10 speakers), for evaluate."""
    folder = tmp_path_factory.mktemp("emodb70")
    labels = pd.read_csv(emodb_dir / "labels.csv", dtype=str).iloc[::7]
    labels["path"] = [str(emodb_dir / p) for p in labels.path]
    labels.to_csv(folder / "m.csv", index=False)
    out = folder / "f.parquet"
    assert main(["extract", "-q", "--set", "mfcc", str(folder / "m.csv"), "-o", str(out)]) == 0
    return out


def _figures(capsys, features, *params, model: str | None = None) -> tuple[int, str]:
    capsys.readouterr()
    argv = ["evaluate", str(features), "--target", "emotion", "--groups", "speaker", "-q"]
    if model is not None:
        argv += ["--model", model]
    for p in params:
        argv += ["--param", p]
    code = main(argv)
    got = capsys.readouterr()
    return code, got.out if code == 0 else got.err


@pytest.mark.parametrize(("typed", "literal"), [
    ("class_weight=none", "class_weight=None"),
    ("shrinking=false", "shrinking=False"),
    ("max_iter=5e3", "max_iter=5000"),
])
def test_evaluate_reads_a_model_s_words_as_meant(capsys, emodb_features, typed, literal):
    # before: "The 'class_weight' parameter of SVC must be a str among {'balanced'}, an
    # instance of 'dict' or None. Got 'none' instead." (exit 2), and so for the others
    code, out = _figures(capsys, emodb_features, typed)
    assert code == 0, out
    assert out == _figures(capsys, emodb_features, literal)[1]  # the same figures, exactly


def test_evaluate_c_inf_is_the_float_svc_takes(capsys, emodb_features):
    # SVC's C is "a float in the range (0.0, inf]"; 'inf' was the text, refused
    from emofeat.classifiers import evaluate

    from emofeat.table import FeatureTable

    code, out = _figures(capsys, emodb_features, "C=inf")
    assert code == 0, out
    res = evaluate(FeatureTable.read_parquet(emodb_features), target="emotion",
                   groups="speaker", model="svm", model_params={"C": float("inf")})
    assert f"UAR {res.uar:.3f}" in out, out  # the figure printed, as Python computes it
    code, err = _figures(capsys, emodb_features, "C=abc")
    assert code == 2 and "Got 'abc' instead" in err, err  # a text still refused as such


def test_evaluate_xgb_whole_number_float(capsys, emodb_features):
    # XGBoost's estimators declare no scikit-learn parameter constraints: a whole-number float
    # (subsample=1.0, read as a word to try as an int) crashed evaluate with AttributeError
    # "... no attribute '_parameter_constraints'" ("a bug in emofeat", exit 1)
    pytest.importorskip("xgboost")
    code, out = _figures(capsys, emodb_features, "subsample=1.0", "n_estimators=20", model="xgb")
    assert code == 0, out
    assert out == _figures(capsys, emodb_features, "subsample=1", "n_estimators=20",
                           model="xgb")[1]
