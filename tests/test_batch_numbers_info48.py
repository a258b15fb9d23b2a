"""``emofeat info`` of a table or model whose sets the installed emofeat computes at another
numbers version (hunt of session 48, after egemaps, gemaps and lexicon moved to version 2).

Such an output is refused on resume, refused in a stack and warned of by a model, but
``info`` printed its recorded version alone (``numbers version 1``), with nothing to tell the
user who runs it to see why that it is out of date. It now adds the installed version where
it differs, and nothing where it is the same.
"""

from __future__ import annotations

import csv

import pytest
from conftest import shared_path
from emofeat.extractors.lexicon import LexiconFeatures

from emofeat.cli import main


@pytest.fixture(scope="module")
def texts(tmp_path_factory):
    dev = shared_path("text", "goemotions") / "dev.tsv"
    manifest = tmp_path_factory.mktemp("ge") / "dev40.csv"
    with open(dev, encoding="utf-8") as src, open(manifest, "w", newline="",
                                                  encoding="utf-8") as dst:
        out = csv.writer(dst)
        out.writerow(["text", "labels", "id", "neutral"])
        for _, line in zip(range(40), src, strict=False):
            text, labels, cid = line.rstrip("\n").split("\t")
            out.writerow([text, labels, cid, "yes" if labels == "27" else "no"])
    return manifest


def _set_line(capsys, path) -> str:
    capsys.readouterr()
    assert main(["info", str(path)]) == 0
    return next(line for line in capsys.readouterr().out.splitlines()
                if line.startswith("set lexicon"))


def test_info_says_the_installed_numbers_version_where_it_differs(
        tmp_path, texts, capsys, monkeypatch):
    now = LexiconFeatures.numbers_version
    old = tmp_path / "old.parquet"
    with monkeypatch.context() as m:  # a table of the numbers before the last bump
        m.setattr(LexiconFeatures, "numbers_version", now - 1)
        assert main(["extract", "-q", "--set", "lexicon", str(texts), "-o", str(old)]) == 0
    line = _set_line(capsys, old)
    assert (f"numbers version {now - 1}; the installed emofeat computes numbers version "
            f"{now})") in line, line

    # a model trained on it says so too
    model = tmp_path / "m.joblib"
    assert main(["train", "--target", "neutral", "--model", "logreg", str(old),
                 "-o", str(model)]) == 0
    assert f"the installed emofeat computes numbers version {now})" in _set_line(capsys, model)

    new = tmp_path / "new.parquet"
    assert main(["extract", "-q", "--set", "lexicon", str(texts), "-o", str(new)]) == 0
    line = _set_line(capsys, new)
    assert line.endswith(f"numbers version {now}):"), line
