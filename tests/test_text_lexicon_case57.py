"""A :class:`Lexicon` built in code reads its keys as a lexicon file's words are read: lower-cased.

Every loader lower-cases a file's words (user lexicons, AFINN, the NRC files; the bundled
AFINN emoticons are kept as written, as the tokenizer keeps an emoticon token's case, and so
is an emoticon key built in code: ``xD``, ``:P``), and tokens are lower-cased by default, but
until session 57 a ``Lexicon`` built in code kept its keys' case: ``{"Happy": 2}`` matched nothing at
the default ``lowercase=True``, without a word (as an upper-case key added to vaderSentiment's
``lexicon`` dict, which looks every word up lower-cased, or to the afinn package's, which
lower-cases every text, matches nothing). Keys are now folded as a file's are; two spellings
of one key with different scores are refused, naming both, as a file repeating a word is.

Reference: the bundled AFINN word list, read from its file, scores real GoEmotions comments;
the same entries given in code with every key upper-cased must give the same columns (exact:
sums of AFINN's integer scores and counts), at ``lowercase=True`` and ``False``; and a user
lexicon file with capitalised words against the same dict built in code.
"""

from __future__ import annotations

import numpy as np
import pytest
from _text_data import all_texts, goemotions_texts
from conftest import shared_path
from emofeat.extractors import LexiconFeatures
from emofeat.extractors._lexicons import Lexicon, load_afinn, load_user_lexicon
from emofeat.extractors._text_tokenize import emoticons


def _comments() -> list[str]:
    return goemotions_texts(shared_path("text"), "test")


def _columns(lexicons, texts, lowercase=True):
    lf = LexiconFeatures(lexicons=lexicons, style=False, lowercase=lowercase)
    return dict(zip(lf.get_feature_names_out(), lf.fit_transform(texts).T, strict=True))


@pytest.mark.parametrize("lowercase", [True, False])
def test_upper_case_keys_in_code_score_as_the_afinn_file(lowercase):
    texts = _comments()
    afinn = load_afinn(emoticons=False)
    # but xo, xoxo, xoxoxo: XO, XOXO, XOXOXO are emoticons (AFINN's emoticon list), whose
    # case a key keeps as the tokenizer keeps an emoticon token's
    upper = Lexicon("upper", ("score",), {(k if k.upper() in emoticons() else k.upper()): dict(v)
                                          for k, v in afinn.entries.items()})
    cols = _columns([afinn, upper], texts, lowercase)
    assert np.count_nonzero(cols["lexicon_afinn_n_matched"]) > 1000  # the comparison bites
    for stat in ("sum", "mean", "n_pos", "n_neg"):
        np.testing.assert_array_equal(cols[f"lexicon_upper_{stat}"], cols[f"lexicon_afinn_{stat}"],
                                      err_msg=stat)  # exact
    np.testing.assert_array_equal(cols["lexicon_upper_n_matched"],
                                  cols["lexicon_afinn_n_matched"])


def test_a_dict_in_code_scores_as_the_same_file(tmp_path):
    words = {"Happy": 2.0, "Love": 3.0, "Thank you": 2.0, "Can't stand": -3.0, "HATE": -3.0}
    path = tmp_path / "mine.tsv"
    path.write_text("".join(f"{w}\tscore\t{s}\n" for w, s in words.items()), encoding="utf-8")
    from_file = load_user_lexicon(path)
    coded = Lexicon("coded", ("score",), {w: {"score": s} for w, s in words.items()})
    assert coded.entries == from_file.entries
    cols = _columns([from_file, coded], _comments())
    assert np.count_nonzero(cols["lexicon_mine_n_matched"]) > 100
    for stat in ("sum", "mean", "n_pos", "n_neg", "n_matched"):
        np.testing.assert_array_equal(cols[f"lexicon_coded_{stat}"], cols[f"lexicon_mine_{stat}"])


def test_two_spellings_with_other_scores_are_refused():
    with pytest.raises(ValueError, match=r"'Happy' and 'happy' are the same key 'happy'"):
        Lexicon("c", ("x",), {"Happy": {"x": 2.0}, "happy": {"x": 1.0}})
    assert Lexicon("c", ("x",), {"Happy": {"x": 2.0}, "happy": {"x": 2.0}}).entries == {
        "happy": {"x": 2.0}}
    # an emoticon keeps its case, as the tokenizer keeps an emoticon token's (below)
    assert Lexicon("c", ("x",), {"xD": {"x": 1.0}, "XD": {"x": 2.0}}).entries == {
        "xD": {"x": 1.0}, "XD": {"x": 2.0}}


@pytest.mark.parametrize("lowercase", [True, False])
def test_a_copy_of_afinn_built_in_code_scores_as_the_loaded_one(lowercase):
    """The AFINN emoticons are loaded as written (``xD`` and ``XD``, no ``xd``) and the
    tokenizer keeps an emoticon token's case, so a ``Lexicon`` built in code from the loaded
    entries must keep them too: until the mend of session 57 it lower-cased ``xD`` to ``xd``,
    which then matched the word ``xd`` (CARER's "ur mom is in purgatory xd": AFINN sum 0.0
    loaded, 0.5 copied). Reference: the loaded AFINN, on every corpus text with a
    whitespace chunk that is an AFINN emoticon in any case (exact)."""
    emo = emoticons()
    folded = {e.lower() for e in emo}
    texts = [t for v in all_texts(shared_path("text")).values() for t in v
             if any(c.lower() in folded for c in t.split())]
    # the comparison bites: texts with an emoticon spelt in a case AFINN does not list (xd)
    assert sum(any(c.lower() in folded and c not in emo for c in t.split()) for t in texts) > 5
    afinn = load_afinn()
    code = Lexicon("code", afinn.categories, {k: dict(v) for k, v in afinn.entries.items()},
                   afinn.kind)
    cols = _columns([afinn, code], texts, lowercase)
    assert np.count_nonzero(cols["lexicon_afinn_n_matched"]) > 100
    for stat in ("sum", "mean", "n_pos", "n_neg", "n_matched"):
        np.testing.assert_array_equal(cols[f"lexicon_code_{stat}"], cols[f"lexicon_afinn_{stat}"],
                                      err_msg=stat)  # exact
    assert code.entries == afinn.entries


def test_emoticon_keys_keep_their_case_other_keys_are_lower_cased():
    """vaderSentiment's own scores ``:P`` 1.4 and ``:p`` 1.0 are two keys (the tokenizer keeps
    ``:P`` and ``:p`` apart: NLTK's emoticon pattern matches each whole); a lone ``:P`` does
    not match ``:p``; a word is lower-cased (``Happy`` -> ``happy``)."""
    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

    vader = SentimentIntensityAnalyzer().lexicon
    both = {k: {"score": vader[k]} for k in (":P", ":p")}
    assert both[":P"] != both[":p"]
    lex = Lexicon("v", ("score",), {**both, "Happy": {"score": 1.0}})
    assert lex.entries == {**both, "happy": {"score": 1.0}}
    lone = Lexicon("lone", ("score",), {":P": {"score": vader[":P"]}})
    cols = _columns([lone], [":P", ":p", "fine :P", "fine :p"], lowercase=True)
    assert (cols["lexicon_lone_n_matched"] > 0).tolist() == [True, False, True, False]
