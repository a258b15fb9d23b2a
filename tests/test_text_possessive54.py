"""A word with the clitic ``'s`` (``friend's``, ``mother's``, ``let's``) is looked up as its word.

NLTK's ``TweetTokenizer`` keeps ``friend's`` one token, and until numbers version 4 of the
``lexicon`` set that token matched no AFINN or NRC entry (none is spelt with ``'s``), while the
reference ``afinn`` package, which matches its words at regular-expression word boundaries
(``\\b``, its ``regex_from_tokens``; ``'`` is no word character), scores the ``friend`` of
``friend's`` (+1), and the Penn Treebank tokenisation NRC's lexicons are used with (NLTK's
``word_tokenize``) makes it ``friend``, ``'s``. Of the corpus tokens 110 matched AFINN that way
(GoEmotions 43, ISEAR 67), 350 NRC EmoLex, 1,071 NRC VAD.

Two checks, exact (the columns are sums of lexicon values and counts; equal means bit-equal):
the afinn package's documented matching on every corpus possessive whose word is an AFINN
word, and, for AFINN and the NRC lexicons, the columns of every real text with a possessive
equal those of the same text with its ``'s`` dropped (same tokens, same count).
"""

from __future__ import annotations

import re

import numpy as np
from _text_data import goemotions_texts, isear_texts
from conftest import shared_path
from emofeat.extractors import LexiconFeatures
from emofeat.extractors._lexicons import load_afinn

#: the clitic 's after a letter, at the end of a word
_POSSESSIVE = re.compile(r"(?<=[^\W\d_])['’]s\b")


def _texts() -> list[str]:
    folder = shared_path("text")
    texts = goemotions_texts(folder, "dev") + goemotions_texts(folder, "test") + isear_texts(folder)
    return [t for t in texts if _POSSESSIVE.search(t)]


def _afinn_reference_sum(text: str, words: dict[str, float]) -> float:
    """The afinn package's documented score: its words (longest first) matched at word
    boundaries in the lower-cased text, summed (``Afinn.score_with_pattern``)."""
    alternatives = "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))
    return float(sum(words[m] for m in re.findall(rf"\b(?:{alternatives})\b", text.lower())))


def test_possessives_of_afinn_words_score_as_the_afinn_package_scores_them():
    texts = _texts()
    afinn = {w: v["score"] for w, v in load_afinn(emoticons=False).entries.items()}
    found = sorted({m.group(0).lower() for t in texts
                    for m in re.finditer(r"\b[^\W\d_]+['’]s\b", t)
                    if re.split("['’]", m.group(0).lower())[0] in afinn})
    assert len(found) >= 10, found  # real possessives of AFINN words: the point is exercised
    lf = LexiconFeatures(lexicons=["afinn"], style=False, normalise="raw", negation="none")
    got = np.asarray(lf.fit_transform(found))[:, 0]  # lexicon_afinn_sum
    want = np.array([_afinn_reference_sum(w, afinn) for w in found])
    assert np.all(want != 0)
    bad = np.flatnonzero(got != want)  # exact: integer scores
    assert bad.size == 0, [(found[k], got[k], want[k]) for k in bad[:10]]


def _lexicons() -> list:
    lexicons = ["afinn"]
    emolex = shared_path("lexicons", "nrc_emolex", "NRC-Emotion-Lexicon-Wordlevel-v0.92.txt")
    lexicons.append(("nrc_emolex", str(emolex)))
    vad = shared_path("lexicons", "nrc_vad", "NRC-VAD-Lexicon.txt")
    lexicons.append(("nrc_vad", str(vad)))
    return lexicons


def test_real_texts_score_as_with_the_possessive_s_dropped():
    texts = _texts()
    dropped = [_POSSESSIVE.sub("", t) for t in texts]
    assert len(texts) > 300
    lf = LexiconFeatures(lexicons=_lexicons(), style=False, normalise="raw")
    got = np.asarray(lf.fit_transform(texts))
    want = np.asarray(lf.fit_transform(dropped))
    names = list(lf.get_feature_names_out())
    lexicon_cols = [k for k, n in enumerate(names) if not n.startswith("lexicon_vader")]
    # VADER reads the text as vaderSentiment does (whitespace words): not compared here
    got, want = got[:, lexicon_cols], want[:, lexicon_cols]
    same = (got == want) | (np.isnan(got) & np.isnan(want))
    bad = np.flatnonzero(~same.all(axis=1))
    assert bad.size == 0, (f"{bad.size} of {len(texts)} texts differ, e.g. {texts[bad[0]]!r}: "
                           + ", ".join(f"{names[lexicon_cols[c]]} {got[bad[0], c]:g} vs "
                                       f"{want[bad[0], c]:g}"
                                       for c in np.flatnonzero(~same[bad[0]])[:4]))
    matched = [k for k, n in enumerate(names) if n.endswith("_n_matched")]
    # the possessives matter: the texts match more words than the tree before gave them
    assert want[:, [lexicon_cols.index(k) for k in matched]].sum() > 0


def test_an_entry_spelt_with_the_s_wins_and_non_words_stay_unmatched():
    from emofeat.extractors._lexicons import Lexicon

    lex = Lexicon("mine", ("score",), {"friend": {"score": 1.0}, "let's": {"score": -2.0}},
                  kind="signed")
    lf = LexiconFeatures(lexicons=[lex], style=False, normalise="raw", negation="none")
    X = np.asarray(lf.fit_transform(["friend's", "let's", "'s", "90's", "friends'"]))
    assert X[:, 0].tolist() == [1.0, -2.0, 0.0, 0.0, 0.0]  # lexicon_mine_sum
