"""Lexicon phrases with ``lowercase=False`` are matched whatever the case of their words.

With ``lowercase=False`` a single word was looked up as written, then lower-cased (``Happy``
scores AFINN's ``happy``), and a hashtag or a word with the clitic ``'s`` was read in phrases
lower-cased (``bad #Luck``, ``bad Luck's``: ``bad luck``, -2), but a plain word was read in
phrases as written only: ``bad Luck`` scored ``bad`` -3 and ``Luck`` +3 (0), ``Can't stand``
was no phrase (``Can't`` a negator of what follows), ``Kind of good`` scored ``kind`` +2 and
``good`` +3. The afinn package lower-cases every text before matching (``Afinn.find_all``:
``self._pattern.findall(text.lower())``) and vaderSentiment looks up every word, idiom and
negator lower-cased, so a phrase matches in any case; numbers version 11 of the ``lexicon``
set reads a word in phrases as written, else lower-cased. Before it, the AFINN or NRC columns
of 37 of the 81,929 corpus texts differed between ``lowercase=False`` and the default
(GoEmotions' "Can't stand people who spam their terrible youtube channels": AFINN sum +5, the
afinn package's -8); now none do.

Checks, exact (sums of AFINN's integer scores; the NRC columns are the same arithmetic on the
same entries): every scored AFINN phrase written with capitals in three ways against the afinn
package's documented matching; real GoEmotions comments holding an AFINN phrase written with a
capital score with ``lowercase=False`` as at the default, on the AFINN and NRC VAD columns.
"""

from __future__ import annotations

import re

import numpy as np
from _text_data import goemotions_texts
from conftest import shared_path
from emofeat.extractors import LexiconFeatures
from emofeat.extractors._lexicons import load_afinn
from test_text_possessive54 import _afinn_reference_sum


def _afinn() -> dict[str, float]:
    return {w: v["score"] for w, v in load_afinn(emoticons=False).entries.items()}


def _lf(lexicons=("afinn",), **kwargs) -> LexiconFeatures:
    return LexiconFeatures(lexicons=list(lexicons), style=False, normalise="raw",
                           negation="none", intensifiers=False, **kwargs)


def test_every_afinn_phrase_in_capitals_scores_as_the_afinn_package_scores_it():
    afinn = _afinn()
    phrases = [w for w in afinn if " " in w and afinn[w] != 0]
    assert len(phrases) >= 25  # AFINN-165's scored phrases: the point is exercised
    texts = []
    for p in phrases:
        texts += [f"the {p[:1].upper()}{p[1:]} end", f"the {p.title()} end",
                  f"the {p.upper()} end"]
    want = np.array([_afinn_reference_sum(t, afinn) for t in texts])
    got = np.asarray(_lf(lowercase=False).fit_transform(texts))[:, 0]  # lexicon_afinn_sum
    bad = np.flatnonzero(got != want)  # tolerance: none, integer scores
    assert bad.size == 0, f"{bad.size} of {len(texts)} differ, e.g. " + ", ".join(
        f"{texts[k]!r} {got[k]:g} vs {want[k]:g}" for k in bad[:5])


def test_real_texts_with_a_capitalised_phrase_score_as_at_the_default_case():
    folder = shared_path("text")
    vad = shared_path("lexicons", "nrc_vad", "NRC-VAD-Lexicon.txt")
    texts = goemotions_texts(folder, "train")
    phrases = [w for w in _afinn() if " " in w]
    found = re.compile(r"\b(?:" + "|".join(map(re.escape, phrases)) + r")\b", re.I)
    real = [t for t in texts
            if any(m.group(0) != m.group(0).lower() for m in found.finditer(t))]
    assert len(real) >= 10  # "Can't stand", "Kind of", "Fucking love": the point is exercised
    lexicons = ("afinn", ("nrc_vad", str(vad)))
    kept = np.asarray(LexiconFeatures(lexicons=list(lexicons), style=False,
                                      lowercase=False).fit_transform(real))
    lowered = np.asarray(LexiconFeatures(lexicons=list(lexicons), style=False)
                         .fit_transform(real))
    # VADER reads the raw text whatever the tokenizer's case: equal too. Tolerance: none
    # (same entries, same arithmetic in the same order)
    bad = np.flatnonzero(np.any(kept != lowered, axis=1))
    assert bad.size == 0, f"{bad.size} of {len(real)} differ, e.g. {[real[k] for k in bad[:3]]}"
    spam = "Can't stand people who spam their terrible youtube channels"
    assert spam in real
    afinn = _afinn()
    got = np.asarray(_lf(lowercase=False).fit_transform([spam]))[0, 0]
    assert got == _afinn_reference_sum(spam, afinn) == -8  # can't stand, spam, terrible
