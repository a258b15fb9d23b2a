"""`emofeat evaluate`, `emofeat train`, `emofeat predict` (in-process, synthetic tables)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from _classifier_data import make_table

from emofeat.cli import EXIT_OK, EXIT_USAGE, main
from emofeat.table import FeatureTable


@pytest.fixture(scope="module")
def features(tmp_path_factory):
    path = tmp_path_factory.mktemp("cli") / "features.parquet"
    make_table().to_parquet(path)
    return path


def test_evaluate_prints_table_and_writes_report(features, tmp_path, capsys):
    rc = main(["evaluate", str(features), "--target", "emotion", "--groups", "speaker",
               "--model", "svm", "--protocol", "loso", "--report", str(tmp_path / "rep")])
    out = capsys.readouterr().out
    assert rc == EXIT_OK
    assert "| UAR | WA | macro-F1 | weighted-F1 |" in out and "chance level UAR: 0.250" in out
    assert (tmp_path / "rep" / "report.md").exists()
    assert (tmp_path / "rep" / "confusion.png").exists()


def test_evaluate_with_label_map_and_params(features, capsys):
    rc = main(["evaluate", str(features), "--target", "emotion", "--groups", "speaker",
               "--model", "rf", "--param", "n_estimators=10", "--label-map", "4class",
               "--corpus", "ravdess", "--per-group-std", "--protocol", "group_kfold",
               "--folds", "3", "--importance", "groups"])
    assert rc == EXIT_OK
    assert "per-group standardised" in capsys.readouterr().out


@pytest.mark.parametrize("args, message", [
    (["--target", "mood", "--groups", "speaker"], "no column 'mood'"),
    (["--target", "emotion", "--groups", "actor"], "no column 'actor'"),
    (["--target", "emotion", "--groups", "speaker", "--protocol", "group_kfold",
      "--folds", "9"], "needs at least 9 groups"),
    (["--target", "emotion", "--groups", "speaker", "--model", "deepnet"],
     "unknown classifier"),
])
def test_evaluate_bad_input_is_a_message_not_a_traceback(features, capsys, args, message):
    rc = main(["evaluate", str(features), *args])
    err = capsys.readouterr().err
    assert rc == EXIT_USAGE and message in err and "Traceback" not in err


def test_evaluate_rare_class(tmp_path, capsys):
    t = make_table()
    idx = t.index.copy()
    idx.loc[0, "emotion"] = "bored"
    path = tmp_path / "rare.parquet"
    FeatureTable(X=t.X, feature_names=t.feature_names, index=idx).to_parquet(path)
    rc = main(["evaluate", str(path), "--target", "emotion", "--groups", "speaker"])
    assert rc == EXIT_USAGE and "'bored': 1" in capsys.readouterr().err


def test_train_then_predict(features, tmp_path, capsys):
    model = tmp_path / "model.joblib"
    assert main(["train", str(features), "--target", "emotion", "--model", "logreg",
                 "-o", str(model)]) == EXIT_OK
    out = tmp_path / "pred.parquet"
    assert main(["predict", str(model), str(features), "-o", str(out)]) == EXIT_OK
    pred = pd.read_parquet(out)
    assert len(pred) == 144 and {"path", "speaker", "pred"} <= set(pred.columns)
    assert np.mean(pred["pred"] == pred["emotion"]) > 0.5
    # a table with other features is refused with a clear message
    t = make_table(n_features=6)
    other = tmp_path / "other.parquet"
    t.to_parquet(other)
    capsys.readouterr()
    rc = main(["predict", str(model), str(other), "-o", str(tmp_path / "x.parquet")])
    err = capsys.readouterr().err
    assert rc == EXIT_USAGE and "features differ from the model's" in err
    assert not (tmp_path / "x.parquet").exists()


def test_train_with_per_group_std_needs_groups_at_predict(features, tmp_path, capsys):
    model = tmp_path / "m.joblib"
    assert main(["train", str(features), "--target", "emotion", "--groups", "speaker",
                 "--per-group-std", "-o", str(model)]) == EXIT_OK
    out = tmp_path / "p.csv"
    assert main(["predict", str(model), str(features), "-o", str(out)]) == EXIT_OK
    assert len(pd.read_csv(out)) == 144


def test_predict_rejects_a_non_model_file(features, tmp_path, capsys):
    junk = tmp_path / "junk.joblib"
    junk.write_bytes(b"not a model")
    rc = main(["predict", str(junk), str(features), "-o", str(tmp_path / "p.parquet")])
    assert rc == EXIT_USAGE and "emofeat predict" in capsys.readouterr().err


def test_evaluate_reports_each_fold_as_it_goes(tmp_path, capsys):
    """One line per fold on stderr (held-out speaker, its UAR), equal to the per-fold table."""
    from emofeat.classifiers import evaluate

    import emofeat
    from emofeat.cli import main
    from emofeat.datasets import load_sample

    sample = load_sample()
    sample = sample[sample.emotion.isin(["angry", "calm", "happy"])]
    table = emofeat.extract(sample, "mfcc")
    path = tmp_path / "f.parquet"
    table.to_parquet(path)
    assert main(["evaluate", str(path), "--target", "emotion", "--groups", "speaker",
                 "--model", "logreg"]) == 0
    lines = [ln for ln in capsys.readouterr().err.splitlines() if ln.startswith("fold ")]
    res = evaluate(table, target="emotion", groups="speaker", model="logreg")
    assert len(lines) == len(res.per_fold) == 4
    for line, (_, row) in zip(lines, res.per_fold.iterrows(), strict=True):
        assert f"(test {row['test_groups']}): UAR {row['uar']:.3f}" in line
    seen = []
    evaluate(table, target="emotion", groups="speaker", model="logreg",
             progress=lambda row, n: seen.append((row["fold"], n)))
    assert seen == [(0, 4), (1, 4), (2, 4), (3, 4)]


def test_normalize_per_is_the_per_group_std(tmp_path, capsys):
    import emofeat
    from emofeat.cli import main
    from emofeat.datasets import load_sample

    sample = load_sample()
    sample = sample[sample.emotion.isin(["angry", "calm"])]
    path = tmp_path / "f.parquet"
    emofeat.extract(sample, "mfcc").to_parquet(path)
    base = ["evaluate", str(path), "--target", "emotion", "--model", "logreg", "-q"]
    assert main([*base, "--groups", "speaker", "--per-group-std"]) == 0
    old = capsys.readouterr().out
    assert main([*base, "--normalize-per", "speaker"]) == 0
    assert capsys.readouterr().out == old
    assert main([*base, "--groups", "speaker", "--normalize-per", "gender"]) == 2
    assert "must name the --groups column" in capsys.readouterr().err


def test_outputs_that_cannot_be_written_are_a_message_and_exit_2(features, tmp_path, capsys):
    """As for `extract`: a file in the way of the output's folder is one line, exit 2."""
    blocker = tmp_path / "file"
    blocker.write_text("")
    assert main(["train", str(features), "--target", "emotion", "--model", "logreg",
                 "-o", str(blocker / "m.joblib")]) == EXIT_USAGE
    err = capsys.readouterr().err
    assert "emofeat train: cannot write" in err and "a file is in the way" in err
    assert "Traceback" not in err and "bug" not in err
    model = tmp_path / "m.joblib"
    assert main(["train", str(features), "--target", "emotion", "--model", "logreg",
                 "-o", str(model)]) == EXIT_OK
    capsys.readouterr()
    assert main(["predict", str(model), str(features),
                 "-o", str(blocker / "sub" / "p.parquet")]) == EXIT_USAGE
    err = capsys.readouterr().err
    assert "emofeat predict: cannot write" in err and "Traceback" not in err


def test_per_group_std_without_groups_says_which_option(features, tmp_path, capsys):
    assert main(["train", str(features), "--target", "emotion", "--per-group-std",
                 "-o", str(tmp_path / "m.joblib")]) == EXIT_USAGE
    assert "--per-group-std needs --groups COLUMN" in capsys.readouterr().err


def test_param_random_state_seeds_the_model(features, tmp_path, capsys):
    """--param random_state=3 crashed: "make_classifier() got multiple values for keyword
    argument 'random_state'"; it seeds the model as --seed 3 would."""
    args = ["evaluate", str(features), "--target", "emotion", "--groups", "speaker",
            "--model", "rf", "--param", "n_estimators=10"]
    assert main([*args, "--param", "random_state=3", "--report", str(tmp_path / "a")]) == EXIT_OK
    assert main([*args, "--seed", "3", "--report", str(tmp_path / "b")]) == EXIT_OK
    capsys.readouterr()
    a = pd.read_csv(tmp_path / "a" / "predictions.csv")
    b = pd.read_csv(tmp_path / "b" / "predictions.csv")
    assert a["pred"].tolist() == b["pred"].tolist()
