"""stem= stems the tokens, not the lexicon words: said with a LexiconWarning.

With stem="porter" the default AFINN columns of "I am so happy and excited, this is
amazing" were 0 without a word ("happy", "excited", "amazing" are the tokens "happi",
"excit", "amaz", and AFINN spells none of them). The numbers are unchanged; the featurizer
says which lexicons' words the stemmer changes, and how many.
"""

from __future__ import annotations

import warnings

import pytest
from emofeat.extractors import LexiconFeatures, LexiconWarning
from emofeat.extractors._lexicons import load_afinn
from emofeat.extractors._text_tokenize import TextTokenizer


@pytest.mark.parametrize("stem", ["porter", "snowball"])
def test_stemming_tokens_beside_an_unstemmed_lexicon_is_said(stem):
    words = {w for key in load_afinn().entries for w in key.split() if w.isalpha()}
    tok = TextTokenizer(stem=stem)
    changed = sum(tok._stem(w) != w for w in words)
    assert changed  # a reference count, from the lexicon and NLTK's stemmer
    with pytest.warns(LexiconWarning, match=(
            rf"stem='{stem}' stems the tokens, not the words of lexicon 'afinn': "
            rf"{changed:,} of its {len(words):,} words change when stemmed \('\w+' is the "
            r"token '\w+'\) and match no token; give a lexicon of stemmed words, or leave "
            r"stem=None")):
        X = LexiconFeatures(stem=stem, style=False).fit_transform(["I am so happy"])
    assert X.shape == (1, 12)


def test_no_word_without_stemming_or_with_a_stemmed_lexicon(tmp_path):
    stemmed = tmp_path / "stems.tsv"
    stemmed.write_text("happi\tjoy\t1\nexcit\tjoy\t1\n", encoding="utf-8")
    with warnings.catch_warnings():
        warnings.simplefilter("error", LexiconWarning)
        LexiconFeatures().fit_transform(["I am so happy"])
        lf = LexiconFeatures(lexicons=[("user", str(stemmed), "mine")], stem="porter",
                             style=False, normalise="raw")
        X = lf.fit_transform(["so happy and excited"])
    assert X[0, list(lf.get_feature_names_out()).index("lexicon_mine_joy")] == 2.0
