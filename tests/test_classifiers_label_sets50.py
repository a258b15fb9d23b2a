"""A label map applied to a column of label sets (GoEmotions' ``labels``, as
``load_goemotions`` reads them) maps each label of a set, as ``evaluate`` maps a multi-label
target.

Helper D of session 50: ``apply_label_map(table, "labels", "ekman", corpus="goemotions")``
on the GoEmotions dev split dropped all 5,426 rows without a word (each tuple was looked up
whole, and no map knows a tuple), and without ``corpus`` refused with "no shipped mapping
covers the labels [\"('admiration', 'amusement')\", ...]", where
``evaluate(..., task="multilabel", label_map="ekman")`` maps the same sets correctly.

The reference is the release's own ``ekman/dev.tsv``: the dev rows with every label mapped
through ``ekman_mapping.json`` (exact equality of the label sets, no tolerance).
"""

from __future__ import annotations

import csv

import numpy as np
import pandas as pd
import pytest
from conftest import shared_path
from emofeat.classifiers import apply_label_map, map_labels

from emofeat.datasets import load_goemotions
from emofeat.table import FeatureTable


@pytest.fixture(scope="module")
def dev():
    root = shared_path("text", "goemotions")
    return root, load_goemotions(root, "dev")


def _release_ekman(root) -> dict[str, set[str]]:
    """comment_id -> the Ekman label set of the release's ekman/dev.tsv."""
    names = (root / "ekman" / "labels.txt").read_text().split()
    with open(root / "ekman" / "dev.tsv", newline="", encoding="utf-8") as f:
        rows = list(csv.reader(f, delimiter="\t", quoting=csv.QUOTE_NONE))
    return {cid: {names[int(i)] for i in ids.split(",")} for _, ids, cid in rows}


@pytest.mark.parametrize("corpus", [None, "goemotions"])
def test_apply_label_map_maps_each_label_of_a_set(dev, corpus):
    root, manifest = dev
    table = FeatureTable(X=np.zeros((len(manifest), 1)), feature_names=["x"],
                         index=manifest.reset_index(drop=True))
    mapped, dropped = apply_label_map(table, "labels", "ekman", corpus=corpus)
    reference = _release_ekman(root)
    assert dropped == 0 and len(mapped) == len(manifest) == len(reference) == 5426
    got = dict(zip(mapped.index["comment_id"], mapped.index["labels"], strict=True))
    wrong = [(c, sorted(ref), got[c]) for c, ref in reference.items() if set(got[c]) != ref]
    assert not wrong, f"{len(wrong)} rows differ from ekman/dev.tsv, e.g. {wrong[:3]}"
    # each mapped label once: anger and annoyance are one 'anger'
    assert all(len(set(v)) == len(v) for v in got.values())


def test_map_labels_sets_beside_single_labels():
    """A set of labels all mapped to nothing is None (its row dropped, as evaluate drops
    it); an empty set stays empty; single labels and missing cells as before."""
    labels = pd.Series([("happy", "calm"), ("calm",), (), None, "angry", ["sad", "sad"]])
    out = map_labels(labels, "ekman", corpus="ravdess").tolist()
    assert out == [("joy",), None, (), None, "anger", ("sadness",)]


# review of session 50: the forms of a label set the first version of this fix left out


def test_sets_written_to_a_csv_and_read_back_map_as_the_release(dev, tmp_path):
    """The dev split written to a CSV and read back with pandas holds each set as Python
    writes it (``"('admiration', 'amusement')"``), the form ``evaluate`` reads: mapped label
    by label, equal to ekman/dev.tsv (exact); before, every row was dropped without a word
    (``rows 0, dropped 5426``)."""
    root, manifest = dev
    path = tmp_path / "dev.csv"
    manifest.to_csv(path, index=False)
    back = pd.read_csv(path)
    assert isinstance(back["labels"].iloc[0], str)
    table = FeatureTable(X=np.zeros((len(back), 1)), feature_names=["x"], index=back)
    mapped, dropped = apply_label_map(table, "labels", "ekman", corpus="goemotions")
    reference = _release_ekman(root)
    assert dropped == 0 and len(mapped) == 5426
    got = dict(zip(mapped.index["comment_id"], mapped.index["labels"], strict=True))
    wrong = [(c, sorted(ref), got[c]) for c, ref in reference.items() if set(got[c]) != ref]
    assert not wrong, f"{len(wrong)} rows differ from ekman/dev.tsv, e.g. {wrong[:3]}"


def test_a_python_set_maps_to_the_same_tuple_in_every_process():
    """A ``set`` has no order of its own (its iteration follows the strings' hashes, which
    change from process to process): its mapped labels come sorted, the same tuple under
    any hash seed; the first version gave ('fear', 'joy', 'sadness', 'anger') under seed 1
    and ('fear', 'joy', 'anger', 'sadness') under seed 2."""
    import os
    import subprocess
    import sys

    code = ("from emofeat.classifiers import map_labels\n"
            "print(map_labels([{'amusement', 'anger', 'joy', 'fear', 'sadness'}], 'ekman')"
            ".tolist())")
    outs = {subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                           check=True, env={**os.environ, "PYTHONHASHSEED": seed}
                           ).stdout.strip() for seed in ("1", "2", "3")}
    assert outs == {"[('anger', 'fear', 'joy', 'sadness')]"}


def test_a_zero_dimensional_array_is_one_label():
    """``np.array(5)`` is a label, not a set (the first version raised "iteration over a
    0-d array"); a 1-d array is a set."""
    assert map_labels([np.array(5), np.array([5, 6])], {5: "five", 6: "six"}).tolist() == [
        "five", ("five", "six")]
