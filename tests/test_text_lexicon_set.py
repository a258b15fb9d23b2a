"""The ``lexicon`` set: sklearn transformer on the extractor base, FeatureUnion with TF-IDF,
registry, the per-text (runner) path, and the CLI on text manifests."""

from __future__ import annotations

import random

import numpy as np
import pandas as pd
import pytest
from _text_data import goemotions_texts
from conftest import SHARED_DATA
from emofeat.extractors import LexiconFeatures
from emofeat.extractors._vader import vader_scores

from emofeat.cli import main
from emofeat.registry import get_extractor, list_sets
from emofeat.signal import TextSignal

pytest.importorskip("nltk", reason="text features need NLTK: pip install 'emofeat[text]'")

TEXTS = ["I LOVE this so much!!! 😍", "not good at all :(", "meh.", "What? No way... really?",
         "This is the worst day ever", "thanks, that is very kind of you", "", None,
         "sooo happy #blessed @amy http://t.co/x", "I am scared and angry"]


def test_registered_as_a_text_set():
    assert "lexicon" in [info.name for info in list_sets("text")["text"]]
    est = get_extractor("lexicon")
    assert isinstance(est, LexiconFeatures) and est.modality == "text"


def test_names_values_and_vader_parity():
    lf = LexiconFeatures().fit(TEXTS)
    X = lf.transform(TEXTS)
    names = list(lf.get_feature_names_out())
    assert X.shape == (len(TEXTS), len(names)) and np.isfinite(X).all()
    assert all(n.startswith("lexicon_") for n in names)
    assert len(set(names)) == len(names)
    np.testing.assert_array_equal(X[:, :4], vader_scores(["" if t is None else t for t in TEXTS]))
    df = lf.set_output(transform="pandas").transform(pd.Series(TEXTS))
    assert list(df.columns) == names


def test_runner_path_equals_batch_path():
    """features_of (one text at a time, as the CLI runs) gives the batch rows."""
    texts = [t or "" for t in TEXTS]
    root = SHARED_DATA / "text"
    if root.exists():
        texts += random.Random(2).sample(goemotions_texts(root, "dev"), 200)
    lf = LexiconFeatures().fit([])
    batch = lf.transform(texts)
    runner_side = LexiconFeatures().fit([])  # another instance, as in a worker process
    one = np.vstack([runner_side.features_of(TextSignal(t, f"<text {i}>"))[0]
                     for i, t in enumerate(texts)])
    np.testing.assert_array_equal(one, batch)


def test_feature_union_with_tfidf():
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import FeatureUnion, make_pipeline
    from sklearn.preprocessing import StandardScaler

    texts = [t or "" for t in TEXTS] * 3
    y = np.array([1, 0, 0, 0, 0, 1, 0, 0, 1, 0] * 3)
    lexical = make_pipeline(LexiconFeatures(), StandardScaler())
    union = FeatureUnion([("lexicon", lexical), ("tfidf", TfidfVectorizer(min_df=1))])
    model = make_pipeline(union, LogisticRegression(max_iter=500)).fit(texts, y)
    assert model.score(texts, y) >= 0.9
    names = union.get_feature_names_out()
    assert any(n.startswith("lexicon__lexicon_vader_compound") for n in names)
    assert any(n.startswith("tfidf__") for n in names)
    Xu = union.transform(texts)
    assert Xu.shape == (len(texts), len(names))


def test_parameters(tmp_path):
    user = tmp_path / "mine.tsv"
    user.write_text("happy\tjoy\t1\nscared\tfear\t1\n", encoding="utf-8")
    lf = LexiconFeatures(lexicons=[("user", str(user), "mine")], style=False).fit([])
    names = list(lf.get_feature_names_out())
    assert names == ["lexicon_mine_joy", "lexicon_mine_fear", "lexicon_mine_n_matched"]
    row = lf.set_params(normalise="raw").transform(["happy and scared, not happy"])[0]
    assert list(row) == [1.0, 1.0, 2.0]  # the negated "happy" is not counted (binary)
    for bad in ({"negation": "invert"}, {"normalise": "words"}, {"negation_scope": -1},
                {"stem": "lancaster"}, {"lexicons": "vader"}, {"lexicons": ["nrc_vad"]}):
        with pytest.raises(ValueError):
            LexiconFeatures(**bad).fit([])
    with pytest.raises(FileNotFoundError, match="missing.txt"):
        LexiconFeatures(lexicons=[("nrc_emolex", str(tmp_path / "missing.txt"))]).fit([])


def test_cli_extract_text_manifest(tmp_path):
    csv = tmp_path / "texts.csv"
    pd.DataFrame({"text": ["I love it!!", "not good :(", "", "😂😂", "x" * 5000],
                  "emotion": ["joy", "sadness", "neutral", "joy", "neutral"]}).to_csv(csv,
                                                                                      index=False)
    out = tmp_path / "out.parquet"
    assert main(["extract", "--set", "lexicon", str(csv), "--input-column", "text", "-o",
                 str(out), "-q"]) == 0
    df = pd.read_parquet(out)
    lf = LexiconFeatures()
    names = list(lf.fit([]).get_feature_names_out())
    assert len(df) == 5 and "emotion" in df.columns
    texts = pd.read_csv(csv, keep_default_na=False)["text"].tolist()
    np.testing.assert_allclose(df[names].to_numpy(), lf.transform(texts), rtol=0, atol=0)
    plain = tmp_path / "texts.txt"
    plain.write_text("great stuff\nterrible\n", encoding="utf-8")
    out2 = tmp_path / "plain.parquet"
    assert main(["extract", "--set", "lexicon", str(plain), "-o", str(out2), "-q"]) == 0
    assert len(pd.read_parquet(out2)) == 2


def test_parameter_list_matches_signature():
    """The featurizer cache key lists every __init__ parameter (else a change would be missed)."""
    import inspect

    from emofeat.extractors.lexicon import _PARAMS

    assert tuple(inspect.signature(LexiconFeatures.__init__).parameters)[1:] == _PARAMS


def test_bad_input_through_the_transformer():
    texts = [None, float("nan"), "", "😂😂😂", "good but bad " * 8000, "a\ud800b",
             "Это очень хорошо", "\x00\x1c"]
    lf = LexiconFeatures().fit([])
    X = lf.transform(texts)
    assert X.shape == (len(texts), len(lf.get_feature_names_out())) and np.isfinite(X).all()
    np.testing.assert_array_equal(X[0], X[2])
    np.testing.assert_array_equal(X[1], X[2])
    with pytest.raises(Exception, match="text 1"):
        lf.transform(["ok", 3.5])
