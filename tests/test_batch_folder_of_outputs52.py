"""A folder holding emofeat outputs, given as the table, is refused naming them (hunt of
session 52).

``emofeat info proj`` (or ``read_table``, ``evaluate``) of a project folder holding
``a.parquet`` and the dataset folder ``b`` (each the features of the same 4 EmoDB files) read
every ``*.parquet`` under it as one dataset: "8 rows" of 4 inputs, each input's row twice
(a classifier evaluated on it saw each recording twice, across folds too), and a warning
that a run into ``proj`` had not finished, which none had begun. The folder is no dataset
emofeat wrote (no parts at its top, no ``_common_metadata``, no run file): exit 2 naming the
tables it holds and saying to read one; each of them reads as before.
"""

from __future__ import annotations

import pytest

from emofeat import read_table
from emofeat.cli import main


@pytest.fixture
def project(tmp_path, capsys, emodb_dir):
    files = [str(p) for p in sorted(emodb_dir.glob("*.flac"))[:4]]
    proj = tmp_path / "proj"
    for out in ("a.parquet", "b"):
        assert main(["extract", "-q", "--set", "mfcc", *files, "-o", str(proj / out)]) == 0
    capsys.readouterr()
    return proj


def test_info_of_a_folder_of_outputs_names_them(project, capsys):
    code = main(["info", str(project)])
    out, err = capsys.readouterr()
    assert code == 2, out  # 0 before: "8 rows x 663 features" and an 'unfinished run' warning
    assert f"{project} is no dataset folder emofeat wrote" in err, err
    assert "2 features tables emofeat wrote" in err and "['a.parquet', 'b']" in err, err
    assert "rows" not in out
    for table in ("a.parquet", "b"):  # each on its own: its 4 rows
        assert main(["info", str(project / table)]) == 0
        assert "4 rows x 663 features" in capsys.readouterr().out


def test_read_table_refuses_it(project):
    with pytest.raises(ValueError, match="read one of them"):
        read_table(project)
    assert len(read_table(project / "b").to_pandas()) == 4  # exact: 4 inputs, one row each
