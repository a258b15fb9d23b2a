"""``label_sep=""`` (``emofeat evaluate --label-sep ""``) is refused naming the option and what
it must be; it was Python's bare ``empty separator`` from ``str.split`` (exit 2 with only those
words), found while reviewing session 51's ``sep=`` of the label maps, which refuse ``sep=""``
the same way. The multi-label path itself is checked against scikit-learn elsewhere
(tests/test_classifiers_multilabel.py); here 40 EmoDB files' mfcc functionals."""

from __future__ import annotations

import pandas as pd
import pytest

import emofeat
from emofeat.cli import main


@pytest.fixture(scope="module")
def features(tmp_path_factory, emodb_dir):
    labels = pd.read_csv(emodb_dir / "labels.csv", dtype=str).iloc[::13].head(40)
    labels["path"] = [str(emodb_dir / p) for p in labels.path]
    out = tmp_path_factory.mktemp("emodb40") / "f.parquet"
    emofeat.extract(labels, "mfcc").to_parquet(out)
    return out


def test_python_refuses_an_empty_label_sep(features):
    from emofeat.classifiers import evaluate

    table = emofeat.read_table(features)
    with pytest.raises(ValueError, match=r"label_sep \(--label-sep\) must be the separator"):
        evaluate(table, target="emotion", groups="speaker", label_sep="")


def test_the_command_names_the_option(features, capsys):
    code = main(["evaluate", str(features), "--target", "emotion", "--groups", "speaker",
                 "--label-sep", ""])
    err = capsys.readouterr().err
    assert code == 2 and "--label-sep" in err and "empty separator" not in err, err
