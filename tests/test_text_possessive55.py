"""The clitic ``'s`` on a hashtag (``#happy's``) or on a phrase's last word (``bad luck's``).

Since numbers version 4 a word with ``'s`` is looked up as its word (``friend's`` scores AFINN's
``friend``; tests/test_text_possessive54.py), but until numbers version 9 of the ``lexicon``
set a hashtag with it and a phrase ending in it were matched as written: ``#happy's`` matched
nothing (``#happy`` scores ``happy``), and ``bad luck's`` scored ``bad`` -3 and ``luck`` +3
(sum 0) instead of AFINN's phrase ``bad luck`` -2. The lexicon's author's own package
(``afinn``) matches words and phrases at regular-expression word boundaries (``\\b``, its
``regex_from_tokens``; ``'`` and ``#`` are no word characters), so it reads both as the
word and the phrase; so does the Penn Treebank tokenisation (``bad``, ``luck``, ``'s``). An
entry spelt with the ``'s`` still wins (a user lexicon's phrase ``mother's day``).

Checks, exact (sums of integer scores and counts): every AFINN phrase with ``'s`` on its last
word, and every AFINN word as a hashtag with ``'s``, scores as the afinn package's documented
matching scores it; real corpus texts holding an AFINN phrase score the same with ``'s`` on its
last word; the real GoEmotions comment "#LET'S NOT BRING UP ..." has the NRC VAD columns of the
comment without its ``#``.
"""

from __future__ import annotations

import re

import numpy as np
from _text_data import goemotions_texts, isear_texts
from conftest import shared_path
from emofeat.extractors import LexiconFeatures
from emofeat.extractors._lexicons import load_afinn
from test_text_possessive54 import _afinn_reference_sum


def _afinn_sum(texts: list[str]) -> np.ndarray:
    lf = LexiconFeatures(lexicons=["afinn"], style=False, normalise="raw", negation="none")
    return np.asarray(lf.fit_transform(texts))[:, 0]  # lexicon_afinn_sum


def _afinn() -> dict[str, float]:
    return {w: v["score"] for w, v in load_afinn(emoticons=False).entries.items()}


def test_afinn_phrases_and_hashtags_with_the_clitic_score_as_the_afinn_package():
    afinn = _afinn()
    phrases = [w for w in afinn if " " in w and afinn[w] != 0]
    words = [w for w in afinn if w.isalpha() and afinn[w] != 0]
    assert len(phrases) >= 25 and len(words) > 2000
    texts = [f"the {p}'s end" for p in phrases] + [f"the #{w}'s end" for w in words]
    want = np.array([_afinn_reference_sum(t, afinn) for t in texts])
    assert np.array_equal(want, [afinn[p] for p in phrases] + [afinn[w] for w in words])
    got = _afinn_sum(texts)
    bad = np.flatnonzero(got != want)  # tolerance: none, integer scores
    assert bad.size == 0, f"{bad.size} differ, e.g. " + ", ".join(
        f"{texts[k]!r} {got[k]:g} vs {want[k]:g}" for k in bad[:5])


def test_real_texts_with_a_phrase_score_the_same_with_the_clitic_on_its_last_word():
    folder = shared_path("text")
    texts = goemotions_texts(folder, "train") + isear_texts(folder)
    phrases = [w for w, s in _afinn().items() if " " in w and s != 0]
    found = re.compile(r"\b(" + "|".join(map(re.escape, phrases)) + r")\b(?!['’\w-])", re.I)
    real = [t for t in texts if found.search(t)][:300]
    assert len(real) >= 100  # 'fed up', 'not good', 'screwed up', 'bad luck', ...
    clitic = [found.sub(r"\1's", t) for t in real]
    got, want = _afinn_sum(clitic), _afinn_sum(real)
    bad = np.flatnonzero(got != want)  # tolerance: none
    assert bad.size == 0, [(clitic[k], got[k], want[k]) for k in bad[:5]]


def test_a_real_hashtag_with_the_clitic_reads_as_its_word():
    text = next(t for t in goemotions_texts(shared_path("text"), "train")
                if t.startswith("#LET'S NOT"))
    vad = shared_path("lexicons", "nrc_vad", "NRC-VAD-Lexicon.txt")
    lf = LexiconFeatures(lexicons=[("nrc_vad", str(vad))], style=False, normalise="raw")
    X = np.asarray(lf.fit_transform([text, text[1:]]))
    names = list(lf.get_feature_names_out())
    assert X[1, names.index("lexicon_nrc_vad_n_matched")] > 0
    np.testing.assert_array_equal(X[0], X[1])  # tolerance: none


def test_an_entry_spelt_with_the_clitic_still_wins(tmp_path):
    path = tmp_path / "mine.tsv"
    path.write_text("mother's day\tjoy\t1\nmother\tjoy\t0.5\nday\tjoy\t0.25\n", encoding="utf-8")
    lf = LexiconFeatures(lexicons=[("user", str(path))], style=False, normalise="raw")
    X = np.asarray(lf.fit_transform(["happy mother's day", "happy #mother's day",
                                     "my mother's car"]))
    names = list(lf.get_feature_names_out())
    col = X[:, names.index("lexicon_mine_joy_sum")]
    assert list(col) == [1.0, 1.0, 0.5]
