"""Bug hunt 40 in the feature table, its parquet files and the commands that read them
(``info``, ``evaluate``, ``train``, ``predict``), on real EmoDB features as ``emofeat extract``
writes them: each test failed before its fix."""

from __future__ import annotations

import numpy as np
import pytest

from emofeat.cli import EXIT_OK, EXIT_USAGE, main


@pytest.fixture(scope="module")
def emodb(emodb_dir, tmp_path_factory):
    """The path of emofeat's mfcc functionals of EmoDB, written by ``emofeat extract``."""
    from emofeat.datasets import load_emodb

    folder = tmp_path_factory.mktemp("hunt40")
    load_emodb(emodb_dir).to_csv(folder / "emodb.csv", index=False)
    path = folder / "emodb.parquet"
    assert main(["extract", str(folder / "emodb.csv"), "--set", "mfcc", "-q", "-o",
                 str(path)]) == EXIT_OK
    return path


@pytest.mark.parametrize("command", ["evaluate", "train"])
def test_a_group_column_without_values_is_named_not_the_target(emodb, tmp_path, capsys,
                                                                command):
    # a session column left empty (every EmoDB row has its emotion): the refusal said
    # "every 'emotion' value is missing or unmapped", sending the user to a column that is
    # whole
    import emofeat

    table = emofeat.read_table(emodb)
    table.index["session"] = np.nan
    path = tmp_path / "sessions.parquet"
    table.to_parquet(path)
    args = (["--groups", "session", "-q"] if command == "evaluate"
            else ["--normalize-per", "session", "-o", str(tmp_path / "m.joblib")])
    assert main([command, str(path), "--target", "emotion", *args]) == EXIT_USAGE
    err = capsys.readouterr().err
    assert "'session' column has no value" in err
    assert "every 'emotion' value is missing" not in err
    # the target's own absence and a table of no rows are each said as they are
    table.index["emotion"] = None
    table.to_parquet(path)
    assert main([command, str(path), "--target", "emotion", *args]) == EXIT_USAGE
    assert "every 'emotion' value is missing" in capsys.readouterr().err
    table.index["emotion"] = "anger"
    table.select(rows=[]).to_parquet(path)
    assert main([command, str(path), "--target", "emotion", *args]) == EXIT_USAGE
    assert "the table has no rows" in capsys.readouterr().err
