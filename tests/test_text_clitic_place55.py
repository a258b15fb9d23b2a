"""The clitic ``'s`` in a lexicon phrase, and hashtags in phrases with ``lowercase=False``.

Numbers version 10 of the ``lexicon`` set (mend of 0346bbb after review):

* A word with ``'s`` reads as its word in a phrase only as the phrase's last word, as the
  afinn package (its author's reference for AFINN) matches phrases at word boundaries:
  ``bad luck's`` holds ``bad luck`` (-2), ``the bad's luck end`` does not (``bad`` -3 and
  ``luck`` +3, 0); ``#not's good`` is ``not`` and ``good`` (+3), not ``not good`` (-2). At
  numbers version 9 the clitic's word was read at any place of a phrase.
* With ``lowercase=False`` a hashtag's (or a word with ``'s``) reading in phrases depended on
  the tokens seen before: ``bad #Luck`` and ``bad Luck's`` scored -2 (``bad luck``) in a new
  extractor and 0 once a text with the word ``Luck`` had been seen, before it in the same
  batch, after it, or in an earlier ``transform`` call. A text's columns must not depend on
  its batch, its chunking or ``-j``.

Checks are exact (sums of AFINN's integer scores): every scored AFINN phrase with ``'s`` on
each word but the last (and as a hashtag with ``'s``) against the afinn package's documented
matching (reimplemented, tests/test_text_possessive54.py), and each hashtag or clitic spelling
of every scored AFINN phrase alone, in a batch with the other spelling before and after it,
and after a transform call that saw it.
"""

from __future__ import annotations

import numpy as np
from emofeat.extractors import LexiconFeatures
from emofeat.extractors._lexicons import load_afinn
from test_text_possessive54 import _afinn_reference_sum


def _afinn() -> dict[str, float]:
    return {w: v["score"] for w, v in load_afinn(emoticons=False).entries.items()}


def _scored_phrases(afinn: dict[str, float]) -> list[list[str]]:
    phrases = [w.split() for w in afinn if " " in w and afinn[w] != 0]
    assert len(phrases) >= 25  # AFINN-165's scored phrases: the point is exercised
    return phrases


def _lf(**kwargs) -> LexiconFeatures:
    return LexiconFeatures(lexicons=["afinn"], style=False, normalise="raw", negation="none",
                           intensifiers=False,
                           **kwargs)


def test_the_clitic_reads_as_its_word_only_at_a_phrase_s_last_word():
    afinn = _afinn()
    texts = []
    for parts in _scored_phrases(afinn):
        for k in range(len(parts) - 1):  # every place but the last
            for mark in ("", "#"):
                words = [*parts[:k], f"{mark}{parts[k]}'s", *parts[k + 1:]]
                texts.append(f"the {' '.join(words)} end")
    want = np.array([_afinn_reference_sum(t, afinn) for t in texts])
    got = np.asarray(_lf().fit_transform(texts))[:, 0]  # lexicon_afinn_sum
    bad = np.flatnonzero(got != want)  # tolerance: none, integer scores
    assert bad.size == 0, f"{bad.size} of {len(texts)} differ, e.g. " + ", ".join(
        f"{texts[k]!r} {got[k]:g} vs {want[k]:g}" for k in bad[:5])
    # the last word still reads as its word (numbers version 9's point)
    last = [f"the {' '.join(p)}'s end" for p in _scored_phrases(afinn)]
    assert list(np.asarray(_lf().fit_transform(last))[:, 0]) == [
        _afinn_reference_sum(t, afinn) for t in last]


def test_a_text_s_columns_do_not_depend_on_the_texts_seen_with_lowercase_off():
    afinn = _afinn()
    cases = []
    for parts in _scored_phrases(afinn):
        head, last = " ".join(parts[:-1]), parts[-1]
        cap = last[:1].upper() + last[1:]
        cases += [(f"the {head} #{cap} today", cap), (f"the {head} {cap}'s today", cap),
                  (f"the {head} #{cap}'s today", cap)]
    texts = [t for t, _ in cases]
    alone = np.vstack([_lf(lowercase=False).fit_transform([t]) for t in texts])
    for t, other in cases[:12]:  # the point, quick: a few phrases in every arrangement
        k = texts.index(t)
        before = np.asarray(_lf(lowercase=False).fit_transform([other, t]))[1]
        after = np.asarray(_lf(lowercase=False).fit_transform([t, other]))[0]
        lf = _lf(lowercase=False)
        lf.fit_transform([other])
        later = np.asarray(lf.transform([t]))[0]
        for got, how in ((before, "after the word"), (after, "before the word"),
                         (later, "in a later call")):
            np.testing.assert_array_equal(got, alone[k], err_msg=f"{t!r} {how}")  # exact
    # one batch of all of them, with every other spelling first: the same rows
    others = [o for _, o in cases]
    batch = np.asarray(_lf(lowercase=False).fit_transform(others + texts))[len(others):]
    np.testing.assert_array_equal(batch, alone)  # tolerance: none
    # and the phrase is read (a new extractor read it so before: this is its reading)
    assert np.array_equal(alone[:, 0], [afinn[" ".join(p)] for p in _scored_phrases(afinn)
                                        for _ in range(3)])
