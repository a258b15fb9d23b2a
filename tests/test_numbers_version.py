"""A set's numbers version (``Extractor.numbers_version``): an output whose rows another
version of a set's numbers wrote is not resumed, and a model trained on them warns."""

from __future__ import annotations

import json
import re
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

# runs that 7690730 counts otherwise: kept whole now, cut to 3 before
TEXTS = ["great 😂😂😂😂", "wait,,,, what?", "fine.", "ok ^^^^ sure", "ＷＯＷ！", "meh"]
#: the lexicon set's numbers version now (6 since session 54's dotted words)
NOW = LexiconFeatures.numbers_version


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
    the new ones with nothing to tell them apart. The sets' numbers version (1, the
    lexicon set's 2) is part of
    the fingerprint; the refusal says the set's numbers changed, since which emofeat
    version, and the way out."""
    out = tmp_path / ("out.parquet" if layout == "file" else "out")
    with monkeypatch.context() as m:
        _as_before(m, cls)
        run(_manifest(TEXTS[:3]), [get_extractor(name)], output=out, layout=layout,
            input_column="text")
    assert cls.numbers_version >= 1
    written = out if layout == "file" else sorted(out.rglob("*.parquet"))[0]
    assert "numbers_version" not in _provenance(written)["sets"][0]  # the old shape
    said = (rf"holds rows whose numbers emofeat now computes otherwise: the {name} set's "
            r"numbers changed for the same parameters since these rows were computed "
            r"\(written \d{4}-\d\d-\d\d \d\d:\d\d UTC; numbers version 0 there, "
            + str(cls.numbers_version) + r" now\); "
            "refusing to mix the two in one table")
    with pytest.raises(ParameterMismatchError, match=r"overwrite=True to extract it again") \
            as err:
        run(_manifest(TEXTS), [get_extractor(name)], output=out, layout=layout,
            input_column="text")
    assert re.search(said, str(err.value)), str(err.value)
    # the installed version is no date: the version was not bumped with the numbers
    assert f"emofeat {__version__}" not in str(err.value)
    result = run(_manifest(TEXTS), [get_extractor(name)], output=out, layout=layout,
                 input_column="text", overwrite=True)
    assert result.n_rows == len(TEXTS)
    assert _provenance(out if layout == "file" else sorted(out.rglob("*.parquet"))[0]
                       )["sets"][0]["numbers_version"] == cls.numbers_version
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
    it, written before numbers versions existed, keep resuming (paa here; a guard, passing
    before too; checked also with an output the code before wrote: mfcc and paa resume)."""
    from emofeat.runner import _describe_sets

    assert Extractor.numbers_version == 0
    assert "numbers_version" not in _describe_sets([get_extractor("paa")])[0]
    files = list(sample["path"].iloc[:2])
    out = tmp_path / "paa.parquet"
    run(files[:1], [get_extractor("paa")], output=out)
    assert "numbers_version" not in _provenance(out)["sets"][0]
    assert run(files, [get_extractor("paa")], output=out).n_skipped == 1


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
            rf"training table \(numbers version 0\) and this table \({NOW}\)")):
        model.predict(new)
    with warnings.catch_warnings():
        warnings.simplefilter("error", PredictionWarning)
        train(new, "label", "logreg").predict(new)


def _old_and_new(monkeypatch, texts=None, labels=None):
    """Lexicon tables of the older numbers (version 0) and of the current ones."""
    labels = labels or ["pos", "neg"] * (len(TEXTS) * 2)
    texts = texts or (TEXTS * 4)[:len(labels)]
    manifest = pd.DataFrame({"text": texts, "label": labels})
    with monkeypatch.context() as m:
        _as_before(m, LexiconFeatures)
        old = run(manifest, [get_extractor("lexicon")], input_column="text").table
    new = run(manifest, [get_extractor("lexicon")], input_column="text").table
    return old, new


def test_concat_refuses_tables_of_other_numbers(monkeypatch):
    """Regression: FeatureTable.concat stacked a table of the older lexicon numbers with one
    of the new silently, keeping the first table's provenance (version 0), so the stack
    passed a model's check unseen. Refused in either order, naming the versions and the
    way out; tables of one version stack."""
    from emofeat.table import FeatureTable

    old, new = _old_and_new(monkeypatch)
    for first, second, versions in ((old, new, f"0 vs {NOW}"), (new, old, f"{NOW} vs 0")):
        with pytest.raises(ValueError, match=(
                rf"extracted differently \(lexicon numbers version {versions}: the same "
                r"parameters computed otherwise by another emofeat; extract the older table "
                r"again\)")):
            FeatureTable.concat([first, second])
    assert len(FeatureTable.concat([new, new])) == 2 * len(new)


def test_cross_corpus_evaluation_warns_on_other_numbers_and_versions(monkeypatch):
    """Regression: evaluate_cross_corpus trained on a table of the older lexicon numbers and
    tested on the new without a word (predict warns). It warns as predict does, with the
    side to extract again, and records the warning in the settings; also for another emofeat
    version recorded (version_message was not called either)."""
    from emofeat.classifiers import PredictionWarning, evaluate_cross_corpus

    old, new = _old_and_new(monkeypatch)
    with pytest.warns(PredictionWarning, match=(
            r"the lexicon set's numbers changed for the same parameters between the training "
            rf"table \(numbers version 0\) and the test table \({NOW}\): .*; extract the training "
            r"table again$")):
        result = evaluate_cross_corpus(old, new, "label", "logreg", label_map=None)
    assert any("numbers version 0" in w for w in result.settings["extraction_warnings"])
    with pytest.warns(PredictionWarning, match=r"extract the test table again$"):
        evaluate_cross_corpus(new, old, "label", "logreg", label_map=None)
    other = new.select(rows=np.arange(len(new)))
    other.provenance = {**other.provenance, "emofeat_version": "0.0.9"}
    with pytest.warns(PredictionWarning, match=r"the model's training table by emofeat "):
        result = evaluate_cross_corpus(other, new, "label", "logreg", label_map=None)
    assert len(result.settings["extraction_warnings"]) == 1
    with warnings.catch_warnings():
        warnings.simplefilter("error", PredictionWarning)
        assert evaluate_cross_corpus(new, new, "label", "logreg", label_map=None
                                     ).settings["extraction_warnings"] == []


def test_a_model_newer_than_the_table_asks_for_the_table_again(monkeypatch):
    """Regression: the warning told to train the model again whichever side was older; a
    model of the new numbers predicting on a table of the old ones wants the table
    extracted again."""
    from emofeat.classifiers import PredictionWarning, train

    old, new = _old_and_new(monkeypatch)
    with pytest.warns(PredictionWarning, match=(
            rf"between the model's training table \(numbers version {NOW}\) and this table \(0\): "
            r".*; extract this table again with the emofeat installed$")):
        train(new, "label", "logreg").predict(old)
    with pytest.warns(PredictionWarning, match=r"; train the model again on a table extracted "
                      r"now$"):
        train(old, "label", "logreg").predict(new)


def test_other_parameters_and_other_numbers_say_both(tmp_path, monkeypatch):
    """Regression: an old lexicon output resumed with other parameters (style=False) was
    refused with the numbers' words alone ('changed for the same parameters'), which is not
    so, and without the usual message. It gets the usual message with the set's numbers
    version beside its parameters (until session 57 a sentence 'Besides, the lexicon set's
    numbers changed for the same parameters' followed, false again); a user lexicon edited
    since keeps its 'edited since?' hint."""
    out = tmp_path / "out.parquet"
    with monkeypatch.context() as m:
        _as_before(m, LexiconFeatures)
        run(_manifest(TEXTS[:3]), [get_extractor("lexicon")], output=out,
            input_column="text")
    with pytest.raises(ParameterMismatchError) as err:
        run(_manifest(TEXTS), [get_extractor("lexicon", style=False)], output=out,
            input_column="text")
    said = str(err.value)
    assert re.search(r"was made with other extraction parameters and numbers versions: "
                     rf"lexicon style: True there, False now; lexicon numbers version 0 there, "
                     rf"{NOW} now \(fingerprint [^)]+\); refusing to mix them in one table\. "
                     r"These rows were written [^.]+\. Write to another output, or pass "
                     r"overwrite=True to start it again", said), said
    assert "now computes otherwise" not in said and "same parameters" not in said, said
    words = tmp_path / "words.csv"
    words.write_text("fine\tjoy\t0.5\n")
    out2 = tmp_path / "user.parquet"
    with monkeypatch.context() as m:
        _as_before(m, LexiconFeatures)
        run(_manifest(TEXTS[:3]), [get_extractor("lexicon", lexicons=(("user", str(words)),))],
            output=out2, input_column="text")
    words.write_text("fine\tjoy\t0.7\n")
    with pytest.raises(ParameterMismatchError, match=r"edited since\? These rows were "
                       r"written ") as err:
        run(_manifest(TEXTS), [get_extractor("lexicon", lexicons=(("user", str(words)),))],
            output=out2, input_column="text")
    # the file's content is the parameter that changed (session 57: 'the same parameters')
    said = str(err.value)
    assert "same parameters" not in said, said
    assert f"lexicon file {str(words)!r}: content sha256 " in said, said


@pytest.mark.parametrize("layout", ["file", "dataset"])
def test_a_run_file_of_the_code_before_names_the_date_of_its_rows(layout, tmp_path,
                                                                  monkeypatch):
    """Regression: a run file written before f28cbc0 records no emofeat_version (the exact
    shape: fingerprint and config only), so every dataset output and interrupted file run
    of the old code said 'since an emofeat version not recorded computed them'. The date of
    the first part written (its provenance's ``created``) is named instead. Checked once by
    hand with an output of the tree before f28cbc0 (git archive f28cbc0^)."""
    from emofeat.store import RUN_FILE, FeatureStore

    out = tmp_path / ("out.parquet" if layout == "file" else "out")
    with monkeypatch.context() as m:
        _as_before(m, LexiconFeatures)
        if layout == "file":  # an interrupted file run: its parts, no output file
            def interrupted(*args, **kwargs):
                raise KeyboardInterrupt

            m.setattr(FeatureStore, "finalize", interrupted)
        try:
            run(_manifest(TEXTS[:3]), [get_extractor("lexicon")], output=out,
                layout=layout, input_column="text")
        except KeyboardInterrupt:
            pass
    store = FeatureStore(out, {}, layout=layout)
    part_dir = store.part_dir
    run_file = part_dir / RUN_FILE
    info = json.loads(run_file.read_text())
    assert info.pop("emofeat_version") == __version__
    run_file.write_text(json.dumps(info, indent=1))  # as the code before wrote it
    assert not out.is_file()
    created = store._provenance_of(store.parts()[0])["created"]
    with pytest.raises(ParameterMismatchError) as err:
        run(_manifest(TEXTS), [get_extractor("lexicon")], output=out, layout=layout,
            input_column="text")
    said = str(err.value)
    assert "not recorded" not in said
    assert (f"since these rows were computed (written {created[:10]} {created[11:16]} UTC; "
            f"numbers version 0 there, {NOW} now)") in said, said


def test_info_names_a_set_s_numbers_version(tmp_path, monkeypatch, capsys):
    """``emofeat info`` did not say a set's numbers version, so two tables of the lexicon
    set with the same parameters looked alike; it says it where it is not 0."""
    new = tmp_path / "new.parquet"
    old = tmp_path / "old.parquet"
    run(_manifest(TEXTS), [get_extractor("lexicon")], output=new, input_column="text")
    with monkeypatch.context() as m:
        _as_before(m, LexiconFeatures)
        run(_manifest(TEXTS), [get_extractor("lexicon")], output=old, input_column="text")
    capsys.readouterr()
    assert main(["info", str(new)]) == EXIT_OK
    assert re.search(rf"^set lexicon \([\w.]+LexiconFeatures; numbers version {NOW}\):$",
                     capsys.readouterr().out, re.M)
    assert main(["info", str(old)]) == EXIT_OK
    # version 0 is not said; the installed version beside it is (session 48)
    assert re.search(r"^set lexicon \([\w.]+LexiconFeatures; the installed emofeat computes "
                     rf"numbers version {NOW}\):$", capsys.readouterr().out, re.M)
