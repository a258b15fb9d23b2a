"""A DataFrame where the classifiers take a FeatureTable says what they take (session 48).

A user who reads an output with ``pd.read_parquet`` and passes the frame to ``evaluate`` got
"'RangeIndex' object has no attribute 'columns'" from deep inside the column checks (the same
for ``train``, ``evaluate_cross_corpus`` and a trained model's ``predict``). Now a
``TypeError`` names the type and the two ways to a FeatureTable, as ``smooth_table`` does.
"""

from __future__ import annotations

import pytest
from emofeat.classifiers import evaluate, evaluate_cross_corpus, train

import emofeat

WAY = (r"must be a FeatureTable, got DataFrame: read an output with "
       r"emofeat\.read_table\(path\)")


@pytest.fixture(scope="module")
def written(sample, tmp_path_factory):
    """The bundled RAVDESS sample's mfcc table (real speech) written as a parquet output."""
    out = tmp_path_factory.mktemp("df48") / "mfcc.parquet"
    emofeat.extract(sample, "mfcc").to_parquet(out)
    return out


def test_evaluate_refuses_a_dataframe_naming_read_table(written):
    pd = pytest.importorskip("pandas")
    frame = pd.read_parquet(written)
    with pytest.raises(TypeError, match="table " + WAY):
        evaluate(frame, "emotion", "speaker", "logreg", "loso")
    # without groups the protocol's own refusal came first: the table is checked before it
    with pytest.raises(TypeError, match="table " + WAY):
        evaluate(frame, "emotion", protocol="loso")
    # the way out works on the same file
    res = evaluate(emofeat.read_table(written), "emotion", "speaker", "logreg", "loso")
    assert len(res.per_group) == 4


def test_train_predict_and_cross_corpus_refuse_a_dataframe(written):
    pd = pytest.importorskip("pandas")
    frame = pd.read_parquet(written)
    table = emofeat.read_table(written)
    with pytest.raises(TypeError, match="table " + WAY):
        train(frame, "emotion", model="logreg")
    model = train(table, "emotion", model="logreg")
    with pytest.raises(TypeError, match="table " + WAY):
        model.predict(frame)
    assert len(model.predict(table)) == len(table)
    with pytest.raises(TypeError, match="test_table " + WAY):
        evaluate_cross_corpus(table, frame, "emotion", model="logreg")
    with pytest.raises(TypeError, match="train_table " + WAY):
        evaluate_cross_corpus(frame, table, "emotion", model="logreg")
