"""Words joined by a dot that are no web address (``sick.Getting``) are words and a full stop.

NLTK's ``TweetTokenizer`` keeps ``sick.Getting`` one token, and only by its pattern for a web
address without a scheme (letters, a dot, then 2-13 letters taken for a domain ending); it
cuts ``e.g`` and ``U.S.A``, whose last part is too short. The lexicon set masks as URLs only the
addresses its own rule knows (``change.org``: tests/test_text_urls54.py), so until numbers
version 6 of the ``lexicon`` set ``sick.Getting`` was one word matching no lexicon entry
(the reference ``afinn`` package, matching at word boundaries, scores ``sick`` -2 in it), one
token and no sentence end. The check needs no re-implementation: the text with a space after
such a dot has the same tokens, so the same lexicon and token-count columns (exactly); the
columns counted per whitespace word (all-caps, elongation) and VADER's, which reads the text
as vaderSentiment does, are left out.
"""

from __future__ import annotations

import re

import numpy as np
from _text_data import goemotions_texts, isear_texts
from conftest import shared_path
from emofeat.extractors import LexiconFeatures
from emofeat.extractors._text_tokenize import url_start

_DOTTED = re.compile(r"(?<![\w.@/])([^\W\d_]+(?:\.[^\W\d_]+)+)(?![\w.@/])")
#: columns of whitespace words or of VADER: not the same when a space is written
_PER_CHUNK = ("lexicon_vader", "lexicon_style_allcaps_ratio", "lexicon_style_n_allcaps",
              "lexicon_style_n_elongated")


def _dotted(text: str) -> list[re.Match]:
    return [m for m in _DOTTED.finditer(text) if not url_start(m.group(1))]


def _spaced(text: str) -> str:
    for m in reversed(_dotted(text)):
        text = text[:m.start()] + m.group(1).replace(".", ". ") + text[m.end():]
    return text


def _columns(texts: list[str], lexicons) -> tuple[list[str], np.ndarray]:
    lf = LexiconFeatures(lexicons=lexicons, normalise="raw")
    X = np.asarray(lf.fit_transform(texts))
    names = list(lf.get_feature_names_out())
    keep = [k for k, n in enumerate(names) if not n.startswith(_PER_CHUNK)]
    return [names[k] for k in keep], X[:, keep]


def test_real_texts_read_as_with_a_space_after_the_dot():
    folder = shared_path("text")
    texts = [t for split in ("train", "dev", "test") for t in goemotions_texts(folder, split)]
    texts = [t for t in texts + isear_texts(folder) if _dotted(t)]
    assert len(texts) > 40  # real typos and file names: sick.Getting, shocked.jpg, foul.He
    emolex = shared_path("lexicons", "nrc_emolex", "NRC-Emotion-Lexicon-Wordlevel-v0.92.txt")
    lexicons = ["vader", "afinn", ("nrc_emolex", str(emolex))]
    names, got = _columns(texts, lexicons)
    _, want = _columns([_spaced(t) for t in texts], lexicons)
    bad = np.flatnonzero((got != want).any(axis=1))
    assert bad.size == 0, (f"{bad.size} of {len(texts)} texts differ, e.g. {texts[bad[0]]!r}: "
                           + ", ".join(f"{names[c]} {got[bad[0], c]:g} vs {want[bad[0], c]:g}"
                                       for c in np.flatnonzero(got[bad[0]] != want[bad[0]])[:4]))


def test_afinn_scores_the_words_as_the_afinn_package_does():
    # the afinn package matches "sick" (-2) at word boundaries in "sick.Getting", and "better"
    names, X = _columns(["I was sick.Getting better", "go to change.org now"], ["afinn"])
    row = dict(zip(names, X[0], strict=True))
    assert row["lexicon_afinn_sum"] == -2 + 2 and row["lexicon_afinn_n_matched"] == 2
    assert row["lexicon_style_n_sentences"] == 2 and row["lexicon_style_n_tokens"] == 6
    url = dict(zip(names, X[1], strict=True))  # a web address stays one URL token
    assert url["lexicon_style_n_urls"] == 1 and url["lexicon_style_n_tokens"] == 4
