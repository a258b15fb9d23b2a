"""Labels padded with spaces under a label map named by taxonomy only.

A CSV whose label cells are padded (``'happy '``) read as labels of no corpus: "no shipped
mapping covers the labels [...]", without a word of the spaces (helper A's leftover of
session 47). The refusal now names them and the strip that makes them a corpus's labels.
"""

from __future__ import annotations

import re

import pandas as pd
import pytest
from conftest import shared_path
from emofeat.classifiers import train

from emofeat import get_extractor
from emofeat.runner import run


def _texts_labelled(labels: list[str]):
    path = shared_path("text", "goemotions", "dev.tsv")
    df = pd.read_csv(path, sep="\t", header=None, names=["text", "ids", "id"], quoting=3,
                     dtype=str, nrows=len(labels))
    manifest = pd.DataFrame({"text": df.text, "emotion": labels})
    return run(manifest, [get_extractor("lexicon")], progress=False).table


@pytest.mark.parametrize("pad", [" ", "\ufeff"])
def test_padded_labels_are_named_with_the_strip_that_maps_them(pad):
    labels = ["happy" + pad, "sad", "angry", "neutral" + pad] * 10
    table = _texts_labelled(labels)
    with pytest.raises(ValueError) as err:
        train(table, "emotion", "logreg", label_map="ekman")
    said = str(err.value)
    shown = "'happy '" if pad == " " else "'happy\\ufeff'"
    assert f"the labels {shown}, 'neutral" in said, said
    assert "every label is one of ravdess's" in said
    strip = said.rsplit("labels.str.", 1)[1]
    assert strip.startswith("strip(")
    # the strip the message gives makes them RAVDESS's labels, which the map takes
    cleaned = eval(f"pd.Series(labels).str.{strip}")  # noqa: S307 - the message's own code
    assert set(cleaned) == {"happy", "sad", "angry", "neutral"}
    table.index["emotion"] = list(cleaned)
    train(table, "emotion", "logreg", label_map="ekman")


def test_labels_of_no_corpus_even_stripped_keep_the_plain_refusal():
    table = _texts_labelled(["happy ", "xyz"] * 10)
    with pytest.raises(ValueError, match="no shipped mapping covers"):
        train(table, "emotion", "logreg", label_map="ekman")


def test_padded_labels_of_a_named_corpus_are_named_not_dropped():
    # review 3 of session 47 (N3): with corpus="ravdess" named, 'happy ' mapped to nothing
    # and its rows were dropped with a count only
    table = _texts_labelled(["happy ", "sad", "angry", "neutral "] * 10)
    with pytest.raises(ValueError, match=re.escape(
            "the labels 'happy ', 'neutral ' have spaces around them: taken off, they are "
            "labels of corpus 'ravdess', which otherwise map to nothing; strip them first, "
            "e.g. labels.str.strip()")):
        train(table, "emotion", "logreg", label_map="ekman", corpus="ravdess")
