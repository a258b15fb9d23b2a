"""An ``@`` glued to a letter, digit or ``_`` before it is no mention (``t@gged``).

NLTK's ``TweetTokenizer`` cuts GoEmotions' "... the newest season of t@gged kinda sucked." into
``t``, ``@gged``; until numbers version 13 of the ``lexicon`` set the second token was a
mention: masked as ``<user>`` and counted in ``lexicon_style_n_mentions``. NLTK's own handle
pattern (``nltk.tokenize.casual.HANDLES_RE``, what ``strip_handles`` removes) takes no ``@``
right after ``[A-Za-z0-9_!@#$%&*]``, nor does twitter-text's ``validMentionOrList``; the set now
reads mentions so. Of the 81,929 corpus texts 27 hold an ``@``; only that one changes.

Reference: the number of ``HANDLES_RE`` matches of each real corpus text holding an ``@``
(exact counts), against the ``<user>`` tokens of the tokenizer (whole-text and chunk paths)
and ``lexicon_style_n_mentions`` with masking on and off.
"""

from __future__ import annotations

import pytest
from _text_data import all_texts
from conftest import shared_path
from emofeat.extractors import LexiconFeatures
from emofeat.extractors._text_tokenize import TextTokenizer


def _texts_with_at() -> list[str]:
    texts = [t for v in all_texts(shared_path("text")).values() for t in v if "@" in t]
    assert any("t@gged" in t for t in texts)  # the GoEmotions train comment this is about
    return texts


@pytest.mark.parametrize("mask", [True, False])
def test_mentions_are_nltks_handles_on_the_corpora(mask):
    casual = pytest.importorskip("nltk.tokenize.casual", reason="reference: pip install nltk")
    texts = _texts_with_at()
    # the same texts with an HTML entity: tokenised whole, not chunk by chunk
    texts = texts + [t + " &amp; so on" for t in texts]
    ref = [len(casual.HANDLES_RE.findall(t)) for t in texts]
    lf = LexiconFeatures(mask_mentions=mask)
    col = list(lf.get_feature_names_out()).index("lexicon_style_n_mentions")
    got = lf.fit_transform(texts)[:, col]
    assert got.tolist() == ref  # exact counts
    if mask:
        tk = TextTokenizer()
        assert [toks.count("<user>") for toks in tk.tokenize_many(texts)] == ref
        assert [tk.tokenize(t).count("<user>") for t in texts] == ref


def test_a_glued_at_keeps_nltks_token():
    text = next(t for t in _texts_with_at() if "t@gged" in t)
    casual = pytest.importorskip("nltk.tokenize.casual", reason="reference: pip install nltk")
    want = [t.lower() for t in casual.TweetTokenizer().tokenize(text)]
    assert "@gged" in want
    tk = TextTokenizer()
    assert tk.tokenize(text) == want
    assert tk.tokenize_many([text])[0] == want
