"""NRC VAD Lexicon v2.1 in its documented layout, multiword expressions included.

The v2.1 README (March 2025) documents ``NRC-VAD-Lexicon-v2.1.txt`` as tab-separated
``term<TAB>valence<TAB>arousal<TAB>dominance`` with a header line of those names, scores
-1..1, ~55,000 words and multiword expressions (~10,000; also in ``MWE/``), and one file per
dimension in ``OneFilePerDimension/``. NRC's files may not be redistributed, so the files here
are written by the test in that layout with made-up scores (as the other NRC tests do).

The matcher looks for phrases of up to 3 words. Until 2026-12-07 an entry of 4 or more words
refused the whole file (``LexiconFormatError``), so an NRC file holding one (NRC's MWE
lexicons of the same group span two- to four-word sequences) could not be used at all, though
the user cannot mend NRC's file; now such entries are left out with one ``LexiconWarning``
naming their count and the first, and the rest is read. A user lexicon with one is still
refused (tests/test_text_lexicon_edge_cases.py).
"""

from __future__ import annotations

import re
import warnings

import numpy as np
import pytest
from _text_data import goemotions_texts
from conftest import shared_path
from emofeat.extractors import LexiconFeatures, LexiconFormatError, LexiconWarning
from emofeat.extractors._lexicons import load_nrc_vad

V21 = ("term\tvalence\tarousal\tdominance\n"
       "fall in love\t0.812\t0.554\t0.102\n"
       "love\t0.938\t0.412\t0.318\n"
       "serial killer\t-0.966\t0.822\t0.388\n"
       "sleep like a baby\t0.776\t-0.880\t0.104\n"
       "once in a blue moon\t0.204\t-0.120\t0.010\n"
       "sleep\t0.500\t-0.802\t-0.010\n")


def _file(tmp_path, text: str = V21):
    path = tmp_path / "NRC-VAD-Lexicon-v2.1.txt"
    path.write_text(text, encoding="utf-8")
    return path


def test_the_v21_layout_loads_leaving_out_phrases_of_more_than_three_words(tmp_path):
    path = _file(tmp_path)
    with pytest.warns(LexiconWarning, match=r"2 entries of more than 3 words left out \(the "
                      r"first: line 5, 'sleep like a baby'\)"):
        lex = load_nrc_vad(path)
    assert set(lex.entries) == {"fall in love", "love", "serial killer", "sleep"}
    assert lex.entries["serial killer"] == {"valence": -0.966, "arousal": 0.822,
                                            "dominance": 0.388}


def test_multiword_expressions_match_real_texts(tmp_path):
    folder = shared_path("text")
    phrase = re.compile(r"\b(fall in love|serial killer)\b", re.I)
    others = re.compile(r"\b(love|sleep)\b", re.I)  # the fixture's single words
    texts = [t for split in ("train", "dev", "test") for t in goemotions_texts(folder, split)
             if phrase.search(t) and not others.search(phrase.sub("", t))]
    assert len(texts) >= 2
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", LexiconWarning)
        # negation off: a rating word in a negator's scope is not counted ("don't fall in love")
        lf = LexiconFeatures(lexicons=[("nrc_vad", str(_file(tmp_path)))], style=False,
                             normalise="raw", negation="none")
        X = np.asarray(lf.fit_transform(texts + ["I sleep like a baby"]))
    names = list(lf.get_feature_names_out())
    valence = X[:, names.index("lexicon_nrc_vad_valence_sum")]
    # each phrase is one match of its own score (the "love" of "fall in love" not again)
    want = [sum(0.812 if m.lower() == "fall in love" else -0.966 for m in phrase.findall(t))
            for t in texts]
    np.testing.assert_allclose(valence[:-1], want, rtol=0, atol=1e-12)
    assert valence[-1] == 0.5  # the 4-word entry is left out: "sleep" alone matches


def test_a_file_of_long_phrases_only_or_another_form_is_refused(tmp_path):
    only_long = "term\tvalence\tarousal\tdominance\nsleep like a baby\t0.7\t-0.8\t0.1\n"
    with pytest.raises(LexiconFormatError, match="no entries"), \
            warnings.catch_warnings():
        warnings.simplefilter("ignore", LexiconWarning)
        load_nrc_vad(_file(tmp_path, only_long))
    # OneFilePerDimension/valence-NRC-VAD-Lexicon-v2.1.txt: term and one score
    with pytest.raises(LexiconFormatError, match="line 1: expected 'word<TAB>valence"):
        load_nrc_vad(_file(tmp_path, "term\tvalence\nlove\t0.938\n"))
