"""``lexicon_style_n_elongated`` counts words with a *letter* stretched ("sooo", "GOOOD").

Until numbers version 3 of the ``lexicon`` set a run of any three equal characters inside a
whitespace word counted, so two words written around an ellipsis or a run of ``!`` without a
space (``wrong...I``, ``Wow!!!Great``), digits (``2000RPM``) or an emoji run (``yet👍👍👍``)
were "elongated words", while the same text with a space after the run had none: 569 of the
81,929 corpus texts had such a count. The check here needs no re-implementation of the
column: writing a space after a run of one non-letter character splits a word there and
stretches no letter, so the count must not change (exactly: counts are integers).
"""

from __future__ import annotations

import re

import numpy as np
from _text_data import goemotions_texts
from conftest import shared_path
from emofeat.extractors import LexiconFeatures

#: a run of three or more of one character that is not a letter, inside a whitespace word
#: (a word character or punctuation on both sides of it)
_INNER_RUN = re.compile(r"(?<=\S)(([^\W_]|[^\w\s])\2{2,})(?=\S)")


def _elongated(texts: list[str]) -> np.ndarray:
    lf = LexiconFeatures(lexicons=[], vader_sentences=False)
    X = np.asarray(lf.fit_transform(texts))
    return X[:, list(lf.get_feature_names_out()).index("lexicon_style_n_elongated")]


def _spaced(text: str) -> str:
    """The text with a space after every inner run of one non-letter character."""
    return _INNER_RUN.sub(lambda m: m.group(1) if m.group(2).isalpha() else m.group(1) + " ",
                          text)


def test_a_run_of_punctuation_digits_or_emoji_between_words_is_no_elongation():
    texts = ["wrong...I know", "Wow!!!Great.", "2000RPM engine", "yet👍👍👍 fine",
             "sooo...good", "sooooo", "GOOOD!!!", "hmmm", "Wow!!! Great.", "ÉTÉÉÉ", "été"]
    # by the definition: a word with one letter three or more times in a row
    want = [0, 0, 0, 0, 1, 1, 1, 1, 0, 1, 0]
    assert _elongated(texts).tolist() == want


def test_goemotions_counts_do_not_change_when_a_space_follows_a_run():
    folder = shared_path("text", "goemotions")
    texts = [t for split in ("dev", "test") for t in goemotions_texts(folder.parent, split)]
    # web addresses, hashtags and mentions are no words either way; split they could be
    texts = [t for t in texts if _INNER_RUN.search(t) and not re.search(r"://|www\.|[#@]", t)]
    spaced = [_spaced(t) for t in texts]
    changed = [k for k, (a, b) in enumerate(zip(texts, spaced, strict=True)) if a != b]
    assert len(changed) > 50  # real texts with such runs: the point is exercised
    got, want = _elongated(texts), _elongated(spaced)
    bad = np.flatnonzero(got != want)
    assert bad.size == 0, (f"{bad.size} of {len(texts)} texts: e.g. {texts[bad[0]]!r} has "
                           f"{got[bad[0]]:g} elongated words, {spaced[bad[0]]!r} {want[bad[0]]:g}")
