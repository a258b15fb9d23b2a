"""A hashtag or mention inside punctuation is no word to the case cues: ``(@NASA)``, ``"#BLM"``.

The style columns ``allcaps_ratio``, ``n_allcaps`` and ``n_elongated`` read whitespace words
with their punctuation stripped, hashtags, mentions and URLs excluded (docs/text.md); the
exclusion looked at the chunk's first character only, so ``#YES`` was no word but ``(#YES)``
an all-caps one, while the token columns read both as a hashtag (NLTK's tokens ``(``,
``#YES``, ``)``). Until numbers version 14 of the ``lexicon`` set, wrapping the hashtags and
mentions of the 113 corpus texts holding one in brackets changed these columns of 33 (GoEmotions'
"Yes YES #YES": ``allcaps_ratio`` 1/2 -> 2/3); no corpus text as written changes.

Reference: the definition, checked on real texts: every corpus text with a hashtag or mention
has the same case columns (exact) with each such word wrapped in brackets or quotes.
"""

from __future__ import annotations

import re

import numpy as np
import pytest
from _text_data import all_texts
from conftest import shared_path
from emofeat.extractors import LexiconFeatures

_TAG = re.compile(r"(?<!\S)([#@]\w[\w'\-]*)(?!\S)")
_COLUMNS = ("allcaps_ratio", "n_allcaps", "n_elongated", "n_words", "n_mentions", "n_hashtags")


@pytest.mark.parametrize("wrap", [r"(\1)", r'"\1"', r"[\1]."])
def test_a_tag_in_punctuation_is_no_word_on_the_corpora(wrap):
    texts = [t for v in all_texts(shared_path("text")).values() for t in v if _TAG.search(t)]
    assert len(texts) > 100
    lf = LexiconFeatures()
    names = list(lf.get_feature_names_out())
    cols = [names.index(f"lexicon_style_{c}") for c in _COLUMNS]
    plain = lf.fit_transform(texts)[:, cols]
    wrapped = lf.fit_transform([_TAG.sub(wrap, t) for t in texts])[:, cols]
    assert np.count_nonzero(plain[:, 1]) > 10  # all-caps words beside the tags: the ratio bites
    np.testing.assert_array_equal(wrapped, plain)  # exact


def test_a_tag_in_brackets_in_a_real_comment():
    text = "Yes YES #YES"  # GoEmotions
    assert any(text in t for v in all_texts(shared_path("text")).values() for t in v)
    lf = LexiconFeatures()
    names = list(lf.get_feature_names_out())
    ratio = names.index("lexicon_style_allcaps_ratio")
    got = lf.fit_transform([text, "Yes YES (#YES)", "Yes YES (@YES)"])[:, ratio]
    assert got.tolist() == [0.5, 0.5, 0.5]  # "YES" of the words "Yes", "YES"


def test_an_at_after_a_stripped_star_bang_or_underscore_is_no_mention():
    """An ``@`` right after ``*``, ``!`` or ``_`` is no mention (NLTK's ``HANDLES_RE`` finds no
    handle there; the token columns count none), so a word such as ``*@NASA*`` is an all-caps
    word to the case cues, though its punctuation is stripped: from numbers version 14 until
    its mend in the same session it was excluded as a mention (``n_allcaps`` 1, ratio 1/2).
    Reference: NLTK's handle pattern and the definition (words ``Yes``, ``YES``, ``NASA``)."""
    from nltk.tokenize.casual import HANDLES_RE

    texts = ["Yes YES *@NASA*", "Yes YES !@NASA", "Yes YES _@NASA_"]
    assert not any(HANDLES_RE.search(t) for t in texts)
    lf = LexiconFeatures()
    names = list(lf.get_feature_names_out())
    cols = [names.index(f"lexicon_style_{c}") for c in ("n_mentions", "n_allcaps",
                                                         "allcaps_ratio")]
    got = lf.fit_transform(texts)[:, cols]
    np.testing.assert_allclose(got, [[0, 2, 2 / 3]] * 3, rtol=0, atol=1e-15)
    # non-ASCII chunks: read by _case_counts, not the ASCII scan kernel (_scan_chunks)
    texts = ["Yes YES *@ÉTÉ*", "Yes YES !@ÉTÉ", "Yes YES _@ÉTÉ_"]
    assert not any(HANDLES_RE.search(t) for t in texts)
    got = lf.fit_transform(texts)[:, cols]
    np.testing.assert_allclose(got, [[0, 2, 2 / 3]] * 3, rtol=0, atol=1e-15)
