"""``evaluate --report`` into the dataset folder of the features is refused before any fold
runs (hunt of session 50).

``emofeat evaluate feats/ --report feats/`` (the table's own folder, or a folder in it)
wrote report.md, the CSVs and the figures among the parts; every later ``emofeat extract``
into ``feats/`` (to resume it, add files, or ``--overwrite``) then exited 2, "feats holds
files that emofeat did not write (['per_group.png', 'confusion.png', ...]); give an empty
or new folder as output". Real EmoDB files (60, mfcc).
"""

from __future__ import annotations

import pandas as pd
import pytest
from conftest import shared_path

from emofeat.cli import main


@pytest.fixture()
def features(tmp_path, capsys):
    labels = pd.read_csv(shared_path("speech", "emodb", "labels.csv"), dtype=str)
    labels = labels.groupby("speaker").head(6).copy()
    labels["path"] = [str(shared_path("speech", "emodb", p)) for p in labels.path]
    manifest = tmp_path / "m.csv"
    labels.to_csv(manifest, index=False)
    out = tmp_path / "feats"
    assert main(["extract", "-q", str(manifest), "-o", str(out)]) == 0
    capsys.readouterr()
    return manifest, out


@pytest.mark.parametrize("inside", ["", "report", "a/b"])
def test_a_report_in_the_features_folder_is_refused(features, capsys, inside):
    manifest, out = features
    before = sorted(p.name for p in out.iterdir())
    report = out / inside if inside else out
    code = main(["evaluate", str(out), "--target", "emotion", "--groups", "speaker", "-q",
                 "--report", str(report)])
    err = capsys.readouterr().err
    assert code == 2 and f"{out} is a dataset folder of features" in err, err
    assert sorted(p.name for p in out.iterdir()) == before
    # the output still resumes
    assert main(["extract", "-q", str(manifest), "-o", str(out)]) == 0


def test_a_report_beside_it_is_written(features, capsys, tmp_path):
    _, out = features
    assert main(["evaluate", str(out), "--target", "emotion", "--groups", "speaker", "-q",
                 "--report", str(tmp_path / "report")]) == 0
    assert (tmp_path / "report" / "report.md").is_file()


def test_a_model_or_predictions_in_the_features_folder_are_refused(features, capsys, tmp_path):
    # train -o feats/model.joblib and predict -o feats/pred.csv broke the output alike
    manifest, out = features
    before = sorted(p.name for p in out.iterdir())
    model = tmp_path / "model.joblib"
    for argv in (["train", str(out), "--target", "emotion", "-o", str(out / "model.joblib")],
                 ["train", str(out), "--target", "emotion", "-o", str(model)],
                 ["predict", str(model), str(out), "-o", str(out / "sub" / "pred.csv")]):
        capsys.readouterr()
        code = main(argv)
        err = capsys.readouterr().err
        if argv[-1] == str(model):
            assert code == 0, err  # beside the folder: written
        else:
            assert code == 2 and f"is in {out}, a dataset folder of features" in err, err
    assert sorted(p.name for p in out.iterdir()) == before
    assert main(["extract", "-q", str(manifest), "-o", str(out)]) == 0


@pytest.mark.parametrize("inner", ["inner.parquet", "sub/"])
def test_an_output_in_the_features_folder_is_refused(features, capsys, inner):
    # extract -o feats/inner.parquet wrote inner.parquet and its lock among the parts
    manifest, out = features
    before = sorted(p.name for p in out.iterdir())
    capsys.readouterr()
    code = main(["extract", "-q", str(manifest), "-o", f"{out}/{inner}"])
    err = capsys.readouterr().err
    assert code == 2 and f"is in {out}, a dataset folder of features" in err, err
    assert sorted(p.name for p in out.iterdir()) == before
    assert main(["extract", "-q", str(manifest), "-o", str(out)]) == 0
    assert main(["extract", "-q", str(manifest), "-o", f"{out}/"]) == 0  # itself: resumed


def test_outputs_that_leave_the_folder_through_dot_dot_are_written(features, capsys,
                                                                   monkeypatch):
    """From inside the features folder, ``--report ../rep``, ``train -o ../model.joblib`` and
    ``extract -o feats/../x.parquet`` name places outside it: written, as before these
    refusals (review of session 50: the lexical parents of ``../rep`` are ``..`` and ``.``,
    so the first version took them for the folder itself and refused all three); a model
    named inside it is still refused."""
    manifest, out = features
    monkeypatch.chdir(out)
    before = sorted(p.name for p in out.iterdir())
    assert main(["evaluate", ".", "--target", "emotion", "--groups", "speaker", "-q",
                 "--report", "../rep"]) == 0, capsys.readouterr().err
    assert (out.parent / "rep" / "report.md").is_file()
    assert main(["train", ".", "--target", "emotion", "-o", "../model.joblib"]) == 0
    assert (out.parent / "model.joblib").is_file()
    capsys.readouterr()
    assert main(["train", ".", "--target", "emotion", "-o", "model.joblib"]) == 2
    assert "a dataset folder of features" in capsys.readouterr().err
    monkeypatch.chdir(out.parent)
    assert main(["extract", "-q", str(manifest), "-o", f"{out.name}/../x.parquet"]) == 0
    assert (out.parent / "x.parquet").is_file()
    assert sorted(p.name for p in out.iterdir()) == before
