"""A web address without a scheme is a URL by a general rule, not by a short list of endings.

Until numbers version 8 of the ``lexicon`` set only addresses ending in one of 18 domains
(``.com .org .net .edu .gov .io .co .ly .me .uk .de .fr .jp .ru .info .biz .tv``) were URLs:
the GoEmotions comment "Vapenorth.ca is a great place to order the Dyna from." read
``vapenorth``, ``.``, ``ca`` (two words and a sentence end), ``youtu.be/dQw4w9WgXcQ`` was a
word, and ``trust.me`` (two words joined by a full stop typed without its space) was a URL.
Now (:func:`emofeat.extractors._text_tokenize.url_start`) an address followed by a path is a
URL whatever its ending (NLTK's own pattern for a domain followed by a slash), and one written
alone ends in a generic domain (``.com``, ``.org``, ...) or a country code, where a single label
before a country code that spells an English word (``me``, ``as``, ``it``) or a label of one
letter (``M.Sc``) is words; a capital after the dot (``sick.Getting``, ``D.Va``) is a sentence
start or an abbreviation. The checks need no re-implementation: an address has the columns of
the same text with ``http://`` written before it, words joined by a dot those of the text with
a space after the dot (exact equality of every compared column).
"""

from __future__ import annotations

import re

import numpy as np
from _text_data import goemotions_texts, isear_texts
from conftest import shared_path
from emofeat.extractors import LexiconFeatures
from emofeat.extractors._text_tokenize import TextTokenizer

#: columns read per whitespace word or by VADER (which reads the text as vaderSentiment does):
#: writing a space or a scheme changes them by definition
_PER_CHUNK = ("lexicon_vader", "lexicon_style_allcaps_ratio", "lexicon_style_n_allcaps",
              "lexicon_style_n_elongated")


def _columns(texts: list[str], **kw) -> tuple[list[str], np.ndarray]:
    lf = LexiconFeatures(lexicons=["vader", "afinn"], normalise="raw", **kw)
    X = np.asarray(lf.fit_transform(texts))
    names = list(lf.get_feature_names_out())
    keep = [k for k, n in enumerate(names) if not n.startswith(_PER_CHUNK)]
    return [names[k] for k in keep], X[:, keep]


def _assert_same(texts: list[str], rewritten: list[str], **kw) -> None:
    assert all(a != b for a, b in zip(texts, rewritten, strict=True))
    names, got = _columns(texts, **kw)
    _, want = _columns(rewritten, **kw)
    bad = np.flatnonzero((got != want).any(axis=1))  # tolerance: none, exact equality
    assert bad.size == 0, [(texts[k], {names[c]: (got[k, c], want[k, c])
                                       for c in np.flatnonzero(got[k] != want[k])})
                           for k in bad[:3]]


def _corpus(*words: str) -> list[str]:
    """The GoEmotions and ISEAR texts holding one of ``words`` as written."""
    folder = shared_path("text")
    texts = [t for split in ("train", "dev", "test") for t in goemotions_texts(folder, split)]
    texts += isear_texts(folder)
    found = [t for t in texts if any(re.search(rf"(?<!\S){re.escape(w)}(?![\w.])", t)
                                     for w in words)]
    assert len(found) >= len(words)  # each is in the corpora
    return found


def test_a_country_domain_in_a_real_comment_is_a_url():
    # 'Vapenorth.ca is a great place ...' (GoEmotions dev): a URL, 'great' scored once, no
    # sentence end after 'vapenorth'
    texts = _corpus("Vapenorth.ca")
    for mask_urls in (True, False):
        _assert_same(texts, [t.replace("Vapenorth.ca", "http://Vapenorth.ca") for t in texts],
                     mask_urls=mask_urls)


def test_real_words_joined_by_a_dot_stay_words():
    # endings that are domains to a long list (.lol, .dog, .as, .sc, .us, .va, .pro) but
    # are words here: a sentence end typed without its space, or an abbreviation
    words = ("mind.lol", "term.dog", "work.as", "M.SC", "Exactly.US", "D.Va", "Virtus.pro",
             "M.Sc")
    texts = _corpus(*words)
    spaced = []
    for t in texts:
        for w in words:
            t = re.sub(rf"(?<!\S){re.escape(w)}(?![\w.])", w.replace(".", ". "), t)
        spaced.append(t)
    _assert_same(texts, spaced)


def test_addresses_a_user_writes_are_urls_and_words_stay_words():
    tok = TextTokenizer()
    # (i.redd.it alone is words since numbers version 10, as i.love.it: with its path here)
    urls = ["youtu.be/dQw4w9WgXcQ", "amazon.ca", "bbc.co.uk/news", "bbc.co.uk", "amzn.to/3xYzAbc",
            "i.redd.it/x7k2m9q.jpg", "abc.gov.in", "163.com", "126.com/abc", "1688.com",
            "open.spotify.com/track/4uLU6hMCjMI75M1A2tKUQC", "t.co/AbC123", "spiegel.de", "CHANGE.ORG", "discord.gg/abcdef", "itch.io", "github.io"]
    for u in urls:
        assert tok.tokenize(f"look {u} now") == ["look", "<url>", "now"], u
    words = {"trust.me": ["trust", ".", "me"], "sick.Getting": ["sick", ".", "getting"],
             "that.is": ["that", ".", "is"], "M.Sc": ["m", ".", "sc"],
             "et.al": ["et", ".", "al"], "e.g.": ["e", ".", "g", "."],
             "i.e.": ["i", ".", "e", "."], "mind.lol": ["mind", ".", "lol"]}
    for w, want in words.items():
        assert tok.tokenize(f"look {w} now") == ["look", *want, "now"], w
    # the style cues count an address as a URL and no word, with or without masking
    for mask_urls in (True, False):
        _assert_same([f"see {u} now" for u in urls], [f"see http://{u} now" for u in urls],
                     mask_urls=mask_urls)
