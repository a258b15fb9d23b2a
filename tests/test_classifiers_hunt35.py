"""Persistence, explanations and reports on real speech (EmoDB, RAVDESS): what the CLI says
of a model file it cannot read, and what it shows of the importances it computed."""

from __future__ import annotations

import pytest
from emofeat.classifiers import train

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
