"""A shard of texts is computed at once (``compute._batched``: one block of rows, no result
object per text); its tables, parts and errors equal those of the general one-by-one path
on real texts with failing inputs among them, in memory and written, at every sharding."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from conftest import SHARED_DATA

from emofeat import compute
from emofeat.readers import NonText
from emofeat.registry import get_extractor
from emofeat.runner import run

pytest.importorskip("nltk", reason="text features need NLTK: pip install 'emofeat[text]'")
GOEMOTIONS = SHARED_DATA / "text" / "goemotions" / "train.tsv"


def _texts() -> pd.DataFrame:
    if not GOEMOTIONS.is_file():
        pytest.skip(f"GoEmotions is not at {GOEMOTIONS} (see shared/data/README)")
    texts = pd.read_csv(GOEMOTIONS, sep="\t", header=None, usecols=[0], nrows=300,
                        names=["text"], dtype=object, quoting=3)["text"].tolist()
    # inputs the text reader refuses, among the real ones: a number, a list
    texts[7] = NonText(3.5, "texts.jsonl:8")
    texts[150] = NonText([1, 2], "texts.jsonl:151")
    return pd.DataFrame({"text": texts, "emotion": [f"e{i % 5}" for i in range(len(texts))]})


def _one_by_one(monkeypatch):
    monkeypatch.setattr(compute, "_batched", lambda plan, shard: None)


@pytest.mark.parametrize("sets", [("text_surface",), ("text_surface", "lexicon")])
@pytest.mark.parametrize("chunk_size", [None, 64])
@pytest.mark.parametrize("written", [False, True])
def test_batched_shards_equal_the_one_by_one_path(sets, chunk_size, written, tmp_path,
                                                  monkeypatch):
    manifest = _texts()

    def extract(name: str):
        exts = [get_extractor(s) for s in sets]
        out = tmp_path / f"{name}.parquet" if written else None
        result = run(manifest, exts, on_error="record", chunk_size=chunk_size, output=out,
                     input_column="text")
        return result.read(), result.errors, result

    batched, errors, res = extract("batched")
    with monkeypatch.context() as m:
        _one_by_one(m)
        plain, plain_errors, plain_res = extract("plain")
    plain.provenance["created"] = batched.provenance["created"]  # the runs' own clocks
    assert batched.equals(plain)
    assert len(batched.X) == len(manifest) - 2
    pd.testing.assert_frame_equal(errors, plain_errors)
    assert list(errors["path"]) == ["texts.jsonl:8", "texts.jsonl:151"]
    assert (res.n_inputs, res.n_failed, res.n_rows, res.n_segments) == (
        plain_res.n_inputs, plain_res.n_failed, plain_res.n_rows, plain_res.n_segments)


def test_a_failing_text_stops_a_raising_run_as_one_by_one(monkeypatch):
    manifest = _texts()
    ext = get_extractor("text_surface")
    with pytest.raises(Exception) as batched:
        run(manifest, [ext], on_error="raise", input_column="text")
    with monkeypatch.context() as m:
        _one_by_one(m)
        with pytest.raises(Exception) as plain:
            run(manifest, [ext], on_error="raise", input_column="text")
    assert type(batched.value) is type(plain.value)
    assert str(batched.value) == str(plain.value) and "texts.jsonl:8" in str(batched.value)


def test_batched_rows_are_the_sets_own_rows():
    """The block the runner writes is each set's ``features_of_many`` rows side by side."""
    manifest = _texts().drop(index=[7, 150]).reset_index(drop=True)
    exts = [get_extractor("text_surface"), get_extractor("lexicon")]
    table = run(manifest, exts, input_column="text").table
    expected = np.concatenate([
        np.concatenate([r for r, _ in e.features_of_many(
            [e.read(t)[0] for t in manifest["text"]])]) for e in exts], axis=1)
    np.testing.assert_array_equal(table.X, expected)
