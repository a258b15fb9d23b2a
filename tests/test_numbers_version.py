"""A set's numbers version (``Extractor.numbers_version``): an output whose rows another
version of a set's numbers wrote is not resumed, and a model trained on them warns."""

from __future__ import annotations

import json
import warnings

import numpy as np
import pandas as pd
import pyarrow.parquet as pq
import pytest
from emofeat.extractors.lexicon import LexiconFeatures
from emofeat.extractors.text_surface import TextSurface

from emofeat import __version__
from emofeat.cli import EXIT_OK, EXIT_USAGE, main
from emofeat.extractor import Extractor
from emofeat.registry import get_extractor
from emofeat.runner import run
from emofeat.store import ParameterMismatchError

# runs that 7690730 (session 37) counts otherwise: kept whole now, cut to 3 before
TEXTS = ["great 😂😂😂😂", "wait,,,, what?", "fine.", "ok ^^^^ sure", "ＷＯＷ！", "meh"]


def _manifest(texts: list[str]) -> pd.DataFrame:
    return pd.DataFrame({"text": texts})


def _provenance(path) -> dict:
    return json.loads(pq.read_schema(path).metadata[b"emofeat"])["provenance"]


def _as_before(monkeypatch, *classes) -> None:
    """The sets as the code before numbers versions wrote them: version 0, left out of the
    fingerprint and provenance (asserted below), so the outputs it writes are those of the
    pre-change code."""
    for cls in classes:
        monkeypatch.setattr(cls, "numbers_version", 0)


@pytest.mark.parametrize("name, cls", [("lexicon", LexiconFeatures),
                                       ("text_surface", TextSurface)])
@pytest.mark.parametrize("layout", ["file", "dataset"])
def test_an_output_of_the_older_numbers_is_not_resumed(name, cls, layout, tmp_path,
                                                       monkeypatch):
    """Regression: the fingerprint held the parameters only, so a text output begun before
    7690730 resumed and its rows of the old tokenisation ('😂😂😂😂' three tokens) sat beside
    the new ones with nothing to tell them apart. The sets' numbers version 1 is part of
    the fingerprint; the refusal says the set's numbers changed, since which emofeat
    version, and the way out."""
    out = tmp_path / ("out.parquet" if layout == "file" else "out")
    with monkeypatch.context() as m:
        _as_before(m, cls)
        run(_manifest(TEXTS[:3]), [get_extractor(name)], output=out, layout=layout,
            input_column="text")
    assert cls.numbers_version == 1
    written = out if layout == "file" else sorted(out.rglob("*.parquet"))[0]
    assert "numbers_version" not in _provenance(written)["sets"][0]  # the old shape
    said = (f"holds rows whose numbers emofeat now computes otherwise: the {name} set's "
            f"numbers changed for the same parameters since emofeat {__version__} computed "
            "them (numbers version 0 there, 1 now); refusing to mix the two in one table")
    with pytest.raises(ParameterMismatchError, match=r"overwrite=True to extract it again") \
            as err:
        run(_manifest(TEXTS), [get_extractor(name)], output=out, layout=layout,
            input_column="text")
    assert said in str(err.value)
    result = run(_manifest(TEXTS), [get_extractor(name)], output=out, layout=layout,
                 input_column="text", overwrite=True)
    assert result.n_rows == len(TEXTS)
    assert _provenance(out if layout == "file" else sorted(out.rglob("*.parquet"))[0]
                       )["sets"][0]["numbers_version"] == 1
    # the output of the new numbers resumes
    again = run(_manifest(TEXTS), [get_extractor(name)], output=out, layout=layout,
                input_column="text")
    assert again.n_skipped == len(TEXTS)


def test_the_command_refuses_it_with_its_own_option(tmp_path, monkeypatch, capsys):
    texts = tmp_path / "texts.csv"
    _manifest(TEXTS).to_csv(texts, index=False)
    out = tmp_path / "out.parquet"
    command = ["extract", "--set", "lexicon", str(texts), "--input-column", "text", "-o",
               str(out), "-j", "1", "-q"]
    with monkeypatch.context() as m:
        _as_before(m, LexiconFeatures)
        assert main(command) == EXIT_OK
    capsys.readouterr()
    assert main(command) == EXIT_USAGE
    err = capsys.readouterr().err
    assert "the lexicon set's numbers changed for the same parameters" in err
    assert "pass --overwrite to extract it again" in err


def test_other_sets_keep_their_fingerprint_and_resume(tmp_path, sample):
    """Version 0 is left out of the fingerprint: the outputs of every set that never bumped
    it, written before numbers versions existed, keep resuming (mfcc here; a guard, passing
    before too; checked also with an output the code before wrote: mfcc and paa resume)."""
    from emofeat.runner import _describe_sets

    assert Extractor.numbers_version == 0
    assert "numbers_version" not in _describe_sets([get_extractor("mfcc")])[0]
    files = list(sample["path"].iloc[:2])
    out = tmp_path / "mfcc.parquet"
    run(files[:1], [get_extractor("mfcc")], output=out)
    assert "numbers_version" not in _provenance(out)["sets"][0]
    assert run(files, [get_extractor("mfcc")], output=out).n_skipped == 1


def test_a_model_of_the_older_numbers_warns_naming_the_set(monkeypatch):
    """A model whose training table another numbers version of a set computed warns (not
    a refusal: the columns and parameters are the same, the numbers may be close), naming
    the set; a model of the same numbers does not."""
    from emofeat.classifiers import PredictionWarning, train

    labels = ["pos", "neg"] * (len(TEXTS) * 2)
    texts = (TEXTS * 4)[:len(labels)]
    manifest = pd.DataFrame({"text": texts, "label": labels})
    with monkeypatch.context() as m:
        _as_before(m, LexiconFeatures)
        old = run(manifest, [get_extractor("lexicon")], input_column="text").table
    new = run(manifest, [get_extractor("lexicon")], input_column="text").table
    np.testing.assert_equal(old.feature_names, new.feature_names)
    model = train(old, "label", "logreg")
    with pytest.warns(PredictionWarning, match=(
            r"the lexicon set's numbers changed for the same parameters between the model's "
            r"training table \(numbers version 0\) and this table \(1\)")):
        model.predict(new)
    with warnings.catch_warnings():
        warnings.simplefilter("error", PredictionWarning)
        train(new, "label", "logreg").predict(new)
