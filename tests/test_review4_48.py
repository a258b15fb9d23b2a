"""Mends of review 4 of session 48.

- ``emofeat.extract`` with several sets named the set that refused a parameter (12d3729) by
  raising a plain ``ValueError``, which lost the refusal's own kind: a missing user lexicon
  beside ``text_surface`` was no longer a ``FileNotFoundError``, a malformed one no longer
  the documented ``LexiconFormatError``. Only plain ``ValueError`` refusals are prefixed now.
- ``read_table`` of a dataset output the user named ``*.parts`` (interrupted, or copied
  without ``_common_metadata``) was refused as "the parts of" another output not written yet
  (f373739); a file output's run writes Arrow parts, a dataset's parquet ones.
- ``stem=`` beside a small hand-made lexicon of unstemmed words (2 of 10 words change under
  Porter) gave zeros without a word after 4e1edd0's threshold of a quarter.
"""

from __future__ import annotations

import warnings

import pytest
from conftest import shared_path
from emofeat.extractors import LexiconFeatures, LexiconWarning
from emofeat.extractors._lexicons import LexiconFileNotFoundError, LexiconFormatError

import emofeat
from emofeat import read_table
from emofeat.registry import get_extractor
from emofeat.runner import run
from emofeat.store import FeatureStore, IncompleteDatasetWarning

TEXTS = ["so happy today", "not good at all"]


def test_extract_of_several_sets_keeps_a_lexicon_refusals_kind(tmp_path):
    missing = tmp_path / "missing.tsv"
    params = {"lexicon.lexicons": [("user", str(missing), "mine")]}
    with pytest.raises(LexiconFileNotFoundError, match="lexicon file not found") as err:
        emofeat.extract(TEXTS, "lexicon,text_surface", params=params)
    assert isinstance(err.value, FileNotFoundError)
    bad = tmp_path / "bad.tsv"
    bad.write_text("happy\n", encoding="utf-8")
    params = {"lexicon.lexicons": [("user", str(bad), "mine")]}
    with pytest.raises(LexiconFormatError, match=r"bad\.tsv, line 1"):
        emofeat.extract(TEXTS, "lexicon,text_surface", params=params)


@pytest.fixture
def emodb4():
    folder = shared_path("speech", "emodb")
    return [str(p) for p in sorted(folder.glob("*.flac"))[:4]]


def test_a_dataset_output_named_parts_is_read_as_one(emodb4, tmp_path, monkeypatch):
    out = tmp_path / "feats.parts"

    def killed(*args, **kwargs):
        raise KeyboardInterrupt

    with monkeypatch.context() as m:
        m.setattr(FeatureStore, "finalize", killed)
        with pytest.raises(KeyboardInterrupt):
            run(emodb4, [get_extractor("mfcc")], output=str(out), chunk_size=1,
                layout="dataset")
    with pytest.warns(IncompleteDatasetWarning):
        assert read_table(out).shape[0] == 4
    # an interrupted file output is still said to be one
    fout = tmp_path / "feats.parquet"
    with monkeypatch.context() as m:
        m.setattr(FeatureStore, "finalize", killed)
        with pytest.raises(KeyboardInterrupt):
            run(emodb4, [get_extractor("mfcc")], output=str(fout), chunk_size=1)
    with pytest.raises(FileNotFoundError, match="not written yet: a run into it was "
                       "interrupted"):
        read_table(fout)


def test_a_small_unstemmed_lexicon_beside_stem_is_said(tmp_path):
    words = ["happy", "sad", "joy", "angry", "love", "hate", "fear", "calm", "glad", "mad"]
    path = tmp_path / "mine.tsv"
    path.write_text("".join(f"{w}\temo\t1\n" for w in words), encoding="utf-8")
    lf = LexiconFeatures(lexicons=[("user", str(path), "mine")], stem="porter", style=False,
                         normalise="raw")
    with pytest.warns(LexiconWarning, match=r"'mine': 2 of its 10 words change when stemmed"):
        lf.fit_transform(["so happy", "so angry", "so sad"])
    with warnings.catch_warnings():  # without stem=, nothing to say
        warnings.simplefilter("error", LexiconWarning)
        LexiconFeatures(lexicons=[("user", str(path), "mine")], style=False).fit_transform(
            ["so happy"])
