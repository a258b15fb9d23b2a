"""A label map that maps none of a column's labels says which labels and what it knows.

GoEmotions as released (and HuggingFace's ``to_json``) gives label ids, ``27`` or ``[27]``;
``label_map="ekman"`` knows the names. Every row dropped, and the only word was "no rows
left: every 'labels' value is missing or unmapped" (hunt of session 45).
"""

from __future__ import annotations

import pandas as pd
import pytest
from conftest import shared_path
from emofeat.classifiers import DataError, evaluate, train

from emofeat import get_extractor
from emofeat.runner import run


def _goemotions(n: int = 60):
    path = shared_path("text", "goemotions", "dev.tsv")
    df = pd.read_csv(path, sep="\t", header=None, names=["text", "ids", "id"], quoting=3,
                     dtype=str, nrows=n)
    manifest = pd.DataFrame({"text": df.text, "comment_id": df.id,
                             "first_id": [int(s.split(",")[0]) for s in df.ids],
                             "id_set": [[int(x) for x in s.split(",")] for s in df.ids]})
    return run(manifest, [get_extractor("lexicon")], progress=False).table


def test_ids_under_a_name_map_are_named_with_the_way_out():
    table = _goemotions()
    with pytest.raises(DataError) as err:
        train(table, "first_id", "logreg", label_map="ekman", corpus="goemotions")
    said = str(err.value)
    assert "no 'first_id' label maps ('0', '1', '2', '3'" in said
    assert "the map knows 'admiration', 'amusement', 'anger'" in said
    assert "the labels are numbers where the map knows names" in said
    assert "load_goemotions" in said
    with pytest.raises(DataError, match=r"no 'id_set' label maps \('0', '1', '2', '3'.*"
                                        r"numbers where the map knows names"):
        evaluate(table, "id_set", "comment_id", "logreg", "group_kfold", task="multilabel",
                 label_map="ekman", corpus="goemotions")


def test_a_dict_that_maps_nothing_names_its_keys():
    table = _goemotions()
    with pytest.raises(DataError, match=r"no 'first_id' label maps .*; the map knows "
                                        r"'100', '101'$"):
        train(table, "first_id", "logreg", label_map={100: "joy", 101: "anger"})


def test_the_goemotions_hint_is_for_goemotions_and_a_dict_of_none_says_so():
    # review 3 of d819af8: RAVDESS's codes under "ekman" were told of GoEmotions' files; a
    # dict taking every label to None was said to "know" the labels it did not map
    table = _goemotions()
    table.index["code"] = [3, 4] * (len(table.index) // 2)  # RAVDESS's happy, sad codes
    with pytest.raises(DataError) as err:
        train(table, "code", "logreg", label_map="ekman", corpus="ravdess")
    assert "numbers where the map knows names: give the names" in str(err.value)
    assert "GoEmotions" not in str(err.value)
    with pytest.raises(DataError, match=r"no 'code' label maps \('3', '4'\); the map takes "
                                        r"'3', '4' to nothing$"):
        train(table, "code", "logreg", label_map={3: None, 4: None})
