"""Words joined by dots, file names and quantities are no web addresses (numbers version 10).

At numbers version 8-9 of the ``lexicon`` set a lone host of several labels ending in any
country code was a URL, and so was one label before a country code that is a file extension
or a chat word: ``i.love.it`` (AFINN's ``love`` lost), ``it.is.what.it.is``, ``will.i.am``,
``la.la.la``, ``I.AM.SO``, ``main.py``, ``notes.md``, ``setup.sh``, ``photo.ai``,
``tired.af``, ``well.er``, ``luck.gl``, and numbers before the code (``8.30.am``, ``100.ml``,
``24.hr``) were masked as ``<url>``. A lone host ending in a country code that is an English
word, abbreviation or file extension is now an address only after a common second-level
domain (``abc.gov.in``), and the label before the ending must hold a letter. The real corpus
addresses stay URLs (tests/test_text_urls55.py).

Check, exact: each such text has the columns of the same text with a space after each dot
(words joined by a full stop typed without its space), VADER's and the per-whitespace-word
style columns aside, which read the text as written (tests/test_text_urls55.py's helper); the
numbers are no URL and no word joined so.
"""

from __future__ import annotations

import numpy as np
from emofeat.extractors import LexiconFeatures
from emofeat.extractors._text_tokenize import TextTokenizer
from test_text_urls55 import _assert_same

_JOINED = ["i.love.it", "it.is.what.it.is", "will.i.am", "you.me.us", "so.so.so",
           "la.la.la", "no.no.no", "I.AM.SO", "i.redd.it", "main.py", "notes.md", "setup.sh",
           "main.rs", "script.pl", "file.ps", "photo.ai", "tired.af", "well.er", "nope.ph",
           "luck.gl"]


def test_words_joined_by_dots_and_file_names_are_words():
    texts = [f"honestly {w} lol" for w in _JOINED]
    _assert_same(texts, [t.replace(".", ". ") for t in texts])
    lf = LexiconFeatures(lexicons=["afinn"], normalise="raw", negation="none")
    X = np.asarray(lf.fit_transform(["i.love.it", "i love it"]))
    names = list(lf.get_feature_names_out())
    assert X[0, names.index("lexicon_afinn_sum")] == 3.0  # AFINN's love, +3
    assert X[0, names.index("lexicon_style_n_urls")] == 0


def test_numbers_before_a_code_are_no_urls():
    tok = TextTokenizer()
    for w in ("8.30.am", "100.ml", "24.hr", "100.ml/x", "10.kg"):
        assert "<url>" not in tok.tokenize(f"at {w} today"), w
    lf = LexiconFeatures(lexicons=["afinn"], normalise="raw")
    X = np.asarray(lf.fit_transform(["meet at 8.30.am with 100.ml of water"]))
    assert X[0, list(lf.get_feature_names_out()).index("lexicon_style_n_urls")] == 0
