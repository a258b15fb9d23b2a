"""``emofeat evaluate --multilabel`` names each fold's macro-F1 (session 48, helper F).

The fold lines looked for UAR, CCC and R2 only, so a multi-label fold's line read
"fold 1/5 (test eczb6r7,...): , 1 s", where docs/cli.md promises the fold's figure.
"""

from __future__ import annotations

import re

import pytest
from conftest import shared_path

from emofeat.cli import main


def test_a_multilabel_fold_line_names_its_macro_f1(tmp_path, capsys):
    pytest.importorskip("pandas")
    from emofeat.classifiers import evaluate

    import emofeat
    from emofeat.datasets import load_goemotions

    ge = load_goemotions(shared_path("text", "goemotions")).head(600)
    manifest = tmp_path / "ge.csv"
    ge.to_csv(manifest, index=False)
    out = tmp_path / "ge.parquet"
    assert main(["extract", "--set", "lexicon", str(manifest), "--input-column", "text", "-o",
                 str(out), "-q"]) == 0
    capsys.readouterr()
    args = ["--target", "labels", "--groups", "comment_id", "--protocol", "group_kfold",
            "--model", "logreg", "--multilabel", "--label-map", "ekman", "--corpus",
            "goemotions"]
    assert main(["evaluate", str(out), *args]) == 0
    lines = [ln for ln in capsys.readouterr().err.splitlines() if ln.startswith("fold ")]
    res = evaluate(emofeat.read_table(out), target="labels", groups="comment_id",
                   protocol="group_kfold", model="logreg", task="multilabel",
                   label_map="ekman", corpus="goemotions")
    assert len(lines) == len(res.per_fold) > 1
    for ln, f1 in zip(lines, res.per_fold["macro_f1"], strict=True):
        assert re.search(rf": macro-F1 {f1:.3f}, \d+ s$", ln), ln
