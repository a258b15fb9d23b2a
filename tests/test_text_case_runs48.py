"""A capitalised elongation matches the lexicon entry its lower-case spelling matches.

NLTK cuts runs of a character to three before case is folded, so "Eeeek" is the token
"eeeek" (four e's) where "eeeeek" is "eeek"; the lexicon's keys are cut to three when
loaded. Until 2026-12-06 such a token matched no entry: the ISEAR/GoEmotions-like
"Eeeek." scored nothing in NRC Emotion Intensity, whose "eeeek" key is "eeek" there.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from emofeat.extractors import LexiconFeatures

INTENSITY = (Path(__file__).resolve().parents[1].parent / "shared" / "data" / "lexicons"
             / "nrc_emotion_intensity" / "NRC-Emotion-Intensity-Lexicon-v1.txt")
GOEMOTIONS = Path(__file__).resolve().parents[1].parent / "shared" / "data" / "text" / "goemotions"


def _columns(spec, texts, **params):
    lf = LexiconFeatures(lexicons=[spec], style=False, vader_sentences=False,
                         normalise="raw", **params)
    return np.asarray(lf.fit_transform(texts)), list(lf.get_feature_names_out())


def test_a_capitalised_elongation_matches_as_typed_in_lower_case(tmp_path):
    words = tmp_path / "mine.tsv"
    # "aaaah" only long (kept as "aaah"); "eeeek" beside "eeek"
    words.write_text("eeek\tfear\t0.5\neeeek\tfear\t0.25\naaaah\tfear\t0.75\n",
                     encoding="utf-8")
    texts = ["Eeeek", "eeeeek", "eeeek", "Aaaah", "aaaah", "Aaaaaah!", "EEEEK"]
    X, names = _columns(("user", str(words)), texts)
    got = X[:, names.index("lexicon_mine_fear_sum")]
    assert got.tolist() == [0.5, 0.5, 0.5, 0.75, 0.75, 0.75, 0.5]
    # without the cut, tokens are looked up as spelt
    X, names = _columns(("user", str(words)), ["Eeeek", "eeeek"], reduce_len=False)
    assert X[:, names.index("lexicon_mine_fear_sum")].tolist() == [0.25, 0.25]


@pytest.mark.skipif(not INTENSITY.is_file() or not (GOEMOTIONS / "train.tsv").is_file(),
                    reason="NRC Emotion Intensity or GoEmotions is absent from "
                           "../shared/data (NRC's terms forbid bundling it)")
def test_the_real_comment_scores_as_in_lower_case():
    from emofeat.datasets import load_goemotions

    texts = [t for s in ("train", "dev", "test") for t in load_goemotions(GOEMOTIONS, s).text
             if "Eeeek" in t]
    assert texts  # "Yay! (Tech will be improved. Eeeek.)"
    lowered = [t.replace("Eeeek", "eeeek") for t in texts]
    X, names = _columns(("nrc_intensity", str(INTENSITY)), texts + lowered)
    fear = X[:, names.index("lexicon_nrc_intensity_fear_sum")]
    assert (fear[: len(texts)] > 0).all()
    np.testing.assert_array_equal(X[: len(texts)], X[len(texts):])
