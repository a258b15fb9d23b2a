"""A web address without a scheme (``change.org``, ``goooogle.com``) is a URL to every style cue.

The tokenizer takes such an address for a URL (it is masked as ``<url>`` and counted in
``lexicon_style_n_urls``), but until numbers version 5 of the ``lexicon`` set the case cues
knew URLs only by ``://`` and a leading ``www.``: ``CHANGE.ORG`` was an all-caps word
(``n_allcaps``, ``allcaps_ratio``), ``goooogle.com`` an elongated word, and with
``mask_urls=False`` the address was a word token, not a URL (``n_urls`` 0, ``n_words`` 1),
while ``http://change.org`` was a URL everywhere. The check needs no re-implementation:
writing ``http://`` before such an address changes no style column (exactly: counts and
ratios of the same counts), on the real corpus texts that hold one, as written and in
capitals, and on a few made-up ones.
"""

from __future__ import annotations

import re

import numpy as np
import pytest
from _text_data import goemotions_texts
from conftest import shared_path
from emofeat.extractors import LexiconFeatures
from emofeat.extractors._text_tokenize import url_start

_CORE = re.compile(r"(?<!\S)([(\[\"']*)(\S+?)([.,;:!?\"')\]]*)(?!\S)")


def _domains(text: str) -> list[tuple[int, int]]:
    """Spans of the whitespace words that are web addresses without a scheme or www."""
    return [m.span(2) for m in _CORE.finditer(text)
            if "://" not in m.group(0) and not m.group(2).lower().startswith("www.")
            and url_start(m.group(2))]


def _with(text: str, spans, how) -> str:
    for a, b in reversed(spans):
        text = text[:a] + how(text[a:b]) + text[b:]
    return text


def _style(texts: list[str], **kw) -> tuple[list[str], np.ndarray]:
    lf = LexiconFeatures(lexicons=["afinn"], vader_sentences=False, **kw)
    X = np.asarray(lf.fit_transform(texts))
    names = list(lf.get_feature_names_out())
    keep = [k for k, n in enumerate(names) if not n.startswith("lexicon_vader")]
    return [names[k] for k in keep], X[:, keep]


def _real_texts() -> list[str]:
    folder = shared_path("text", "goemotions")
    texts = [t for split in ("train", "dev") for t in goemotions_texts(folder.parent, split)]
    return [t for t in texts if _domains(t)]


@pytest.mark.parametrize("mask_urls", [True, False])
def test_an_address_without_a_scheme_gives_the_style_of_one_with_it(mask_urls):
    real = _real_texts()
    assert len(real) >= 5  # change.org, itch.io, gov.uk, ...: the point is exercised
    texts = real + [_with(t, _domains(t), str.upper) for t in real] + [
        "see goooogle.com now", "SIGN IT AT CHANGE.ORG!", "looool.io is sooo good",
        "(www2.example.com) ok"]
    schemed = [_with(t, _domains(t), lambda d: "http://" + d) for t in texts]
    assert all(a != b for a, b in zip(texts, schemed, strict=True))
    names, got = _style(texts, mask_urls=mask_urls)
    _, want = _style(schemed, mask_urls=mask_urls)
    bad = np.flatnonzero((got != want).any(axis=1))
    assert bad.size == 0, [(texts[k], {names[c]: (got[k, c], want[k, c])
                                       for c in np.flatnonzero(got[k] != want[k])})
                           for k in bad[:3]]


def test_words_joined_by_a_dot_stay_words():
    # no web address (its ending is no domain the tokenizer knows): a word, as before
    names, X = _style(["sooo sick.Getting better", "virtus.pro WON"])
    row = dict(zip(names, X[0], strict=True))
    assert row["lexicon_style_n_urls"] == 0 and row["lexicon_style_n_elongated"] == 1
    assert dict(zip(names, X[1], strict=True))["lexicon_style_n_allcaps"] == 1
