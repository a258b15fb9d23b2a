"""Full-width, half-width and other compatibility characters: the fold that texts
and lexicon keys share folds them as NFKC does, for the kinds chosen in
``_text_tokenize.COMPAT_TYPES``; VADER keeps seeing the text as given. The NRC files are read
from ../shared/data when present (never copied); otherwise a fixture written here is used."""

from __future__ import annotations

import re
import sys
import unicodedata

import numpy as np
import pytest
from _text_data import all_texts, goemotions_texts, isear_texts, vader_reference
from conftest import SHARED_DATA
from emofeat.extractors import _text_features, _text_tokenize
from emofeat.extractors._lexicons import Lexicon, load_nrc_emolex, load_user_lexicon
from emofeat.extractors._text_features import TextFeaturizer
from emofeat.extractors._text_tokenize import (
    _COMPAT_SCANNED,
    _FOLD,
    TextTokenizer,
    _compat_fold,
    _fold_table,
    fold,
)
from test_text_lexicon_edge_cases import _afinn_file

pytest.importorskip("nltk", reason="text features need NLTK: pip install 'emofeat[text]'")

#: ASCII printable characters to their full-width forms (U+FF01..U+FF5E), as East-Asian input
#: methods write them; the space stays.
WIDE = {c: c + 0xFEE0 for c in range(0x21, 0x7F)}
EMOLEX = SHARED_DATA / "lexicons" / "nrc_emolex" / "NRC-Emotion-Lexicon-Wordlevel-v0.92.txt"
TEXT = SHARED_DATA / "text"
HAND = ["I LOVE this!!! 😍", "isn't good at all :(", "&amp; it's . . . fine", "can't stand it",
        "@you http://x.com #great :-))) xD", "sooooo happy?!", "¯\\_(ツ)_/¯ whatever…",
        "a\x1cdoesn't", "good. bad! ok? fine", "Ｉ’ｍ ｈａｐｐｙ ❤️"]


def _wide(text: str) -> str:
    return text.translate(WIDE)


def _non_vader(f: TextFeaturizer) -> np.ndarray:
    return np.array([not n.startswith("lexicon_vader") for n in f.feature_names()])


def _row(f: TextFeaturizer, text: str) -> dict[str, float]:
    return dict(zip(f.feature_names(), f.transform([text])[0], strict=True))


@pytest.mark.parametrize("fast", [True, False])
def test_full_width_spellings_match_the_bundled_afinn(fast):
    """Every AFINN-en-165 word and phrase spelt in full-width letters (``ｈａｐｐｙ``), upper-case
    full-width (``ＨＡＰＰＹ``) or with the ``ﬁ``/``ﬂ`` ligatures scores what the file says.
    Without the compatibility fold none of them matched (n_matched 0)."""
    entries = _afinn_file("AFINN-en-165.txt")
    assert len(entries) > 3000
    f = TextFeaturizer(["afinn"], style=False, normalise="raw", negation="none",
                       intensifiers=False, fast=fast)
    names = f.feature_names()
    spellings = {"wide": lambda w: _wide(w), "WIDE": lambda w: _wide(w.upper()),
                 "ligature": lambda w: w.replace("fi", "\ufb01").replace("fl", "\ufb02")}
    for kind, spell in spellings.items():
        X = f.transform([f"zzz {spell(w)} zzz" for w, _ in entries])
        got = dict(zip(names, X.T, strict=True))
        scores = np.array([s for _, s in entries])
        bad = np.flatnonzero(got["lexicon_afinn_sum"] != scores)
        assert not len(bad), (kind, [entries[k] for k in bad[:5]])
        assert (got["lexicon_afinn_n_matched"] == (scores != 0)).all(), kind
    row = _row(f, "Ｉ ＬＯＶＥ ｉｔ ＢＵＴ ｃａｎ＇ｔ ｓｔａｎｄ ｔｈｅ 𝐡𝐚𝐭𝐞 ⓗⓐⓣⓔ")
    # AFINN: love 3, can't stand -3, hate -3 (twice: bold and circled letters)
    assert row["lexicon_afinn_sum"] == 3 - 3 - 3 - 3 and row["lexicon_afinn_n_matched"] == 4


def _emolex_lines() -> list[str]:
    if EMOLEX.exists():
        return EMOLEX.read_text(encoding="utf-8").splitlines()
    return ["abandon\tfear\t1", "abandon\tjoy\t0", "happy\tjoy\t1", "can't stand\tanger\t1",
            "fine\tjoy\t1"]  # a fixture in the same format


@pytest.mark.parametrize("fast", [True, False])
def test_full_width_lexicon_keys_load_and_match_like_ascii_ones(fast, tmp_path):
    """A lexicon saved in full-width letters (a spreadsheet from an East-Asian locale) loads to
    the same entries as the ASCII one, and its keys match ASCII and full-width texts alike."""
    lines = _emolex_lines()
    plain, wide = tmp_path / "plain.txt", tmp_path / "wide.txt"
    plain.write_text("\n".join(lines) + "\n", encoding="utf-8")
    # words full-width; the category and 0/1 fields stay as the format wants them
    wide.write_text("\n".join(_wide(ln.split("\t", 1)[0]) + "\t" + ln.split("\t", 1)[1]
                              for ln in lines if "\t" in ln) + "\n", encoding="utf-8")
    a, b = load_nrc_emolex(plain), load_nrc_emolex(wide)
    assert a.entries == b.entries
    assert set(b.entries) == {ln.split("\t")[0] for ln in lines if ln.endswith("\t1")}
    user = tmp_path / "mine.tsv"
    user.write_text("ｈａｐｐｙ\tjoy\t2\nＣＡＮ＇Ｔ ＳＴＡＮＤ\tanger\t3\n\ufb01ne\tjoy\t1\n", encoding="utf-8")
    assert set(load_user_lexicon(user).entries) == {"happy", "can't stand", "fine"}
    # lower-cased as a file's words are (session 57; the case was kept before)
    assert list(Lexicon("c", ("x",), {"ＬＯＶＥ": {"x": 1.0}}).entries) == ["love"]
    f = TextFeaturizer([("user", user, "mine")], style=False, normalise="raw", fast=fast)
    for text in ("so happy, I can't stand it, fine", _wide("so happy, I can't stand it, fine"),
                 "so ＨＡＰＰＹ, I can’t stand it, ﬁne"):
        row = _row(f, text)
        assert row["lexicon_mine_joy_sum"] == 3 and row["lexicon_mine_anger_sum"] == 3, text
        assert row["lexicon_mine_n_matched"] == 3


def _real_texts(step: int) -> list[str]:
    if not TEXT.exists():
        return HAND
    return HAND + isear_texts(TEXT)[::step] + goemotions_texts(TEXT, "dev")[::step]


#: Only the punctuation full-width (``great！！``), as Chinese and Japanese input methods type it
#: between ASCII words.
WIDE_PUNCT = {ord(c): ord(c) + 0xFEE0 for c in "!?.,:;'"}


@pytest.mark.parametrize("fast", [True, False])
@pytest.mark.parametrize("table", [WIDE, WIDE_PUNCT], ids=["all", "punctuation"])
def test_real_texts_and_their_full_width_forms_give_identical_columns(fast, table, tmp_path):
    """Real texts with every ASCII character (or only the punctuation) made full-width: every
    lexicon (AFINN, NRC EmoLex, a user lexicon) and style column equals the ASCII text's,
    ``n_exclamation``, ``n_question`` and ``n_sentences`` included (``！`` is ``!``); VADER's
    columns are vaderSentiment's on the full-width text as given (it does not normalise
    either: ``great！！`` is not the word "great" to it, and its ``!`` emphasis counts only
    ``!``)."""
    texts = _real_texts(1 if fast else 4)
    wide = [t.translate(table) for t in texts]
    user = tmp_path / "mine.tsv"
    user.write_text("don't\tx\t1\nhappy\tx\t2\ncan't stand\tx\t-2\n:)\tx\t1\n", encoding="utf-8")
    emolex = tmp_path / "emolex.txt"
    emolex.write_text("\n".join(_emolex_lines()) + "\n", encoding="utf-8")
    lexicons = ["vader", "afinn", ("nrc_emolex", emolex), ("user", user)]
    f = TextFeaturizer(lexicons, style=True, fast=fast)
    keep = _non_vader(f)
    a = f.transform(texts)
    b = TextFeaturizer(lexicons, style=True, fast=fast).transform(wide)
    bad = np.flatnonzero(np.any(a[:, keep] != b[:, keep], axis=1))
    assert not len(bad), f"{len(bad)} texts differ, e.g. {texts[bad[0]]!r}"
    row = dict(zip(f.feature_names(), b[0], strict=True))
    assert row["lexicon_style_n_exclamation"] == 3 and row["lexicon_style_n_tokens"] == 7
    assert row["lexicon_afinn_n_matched"] == 1 / 7  # "LOVE", per token
    vs = pytest.importorskip("vaderSentiment.vaderSentiment",
                             reason="reference: pip install vaderSentiment")
    ref = vs.SentimentIntensityAnalyzer()
    sample = list(range(0, len(wide), 1 if fast else 3))
    want = np.array([[ref.polarity_scores(wide[k])[c] for c in ("neg", "neu", "pos",
                                                                 "compound")] for k in sample])
    assert np.array_equal(b[sample, :4], want)
    if table is WIDE_PUNCT:  # the ASCII words still score, without the "!" emphasis
        assert (b[sample, 3] != a[sample, 3]).sum() > 100


def test_texts_without_compatibility_characters_are_unchanged(monkeypatch):
    """Every text of the real corpora with none of the compatibility characters ``fold``
    folds gets the row it gets when the fold's table is ``_FOLD`` alone (the apostrophe
    look-alikes; ``strip_invisible``'s variation selectors, invisibles and joiners, and NFC,
    run either way): folding the compatibility characters moves nothing else. (All 81,929
    texts; the one that changed, a GoEmotions comment
    ending in ``加油！在中国你做什么？``, did so in its ``!``, ``?`` and sentence counts.)"""
    if not TEXT.exists():
        pytest.skip("the corpora are not here")
    texts = [t for split in all_texts(TEXT).values() for t in split]
    lexicons = ["vader", "afinn"] + ([("nrc_emolex", EMOLEX)] if EMOLEX.exists() else [])
    new = TextFeaturizer(lexicons, style=True).transform(texts)
    slow = TextFeaturizer(lexicons, style=True, fast=False).transform(texts[::8])
    compat = {chr(c) for c in set(_fold_table()) - set(_FOLD)}
    has = np.array([not t.isascii() and not compat.isdisjoint(t) for t in texts])
    assert 0 < has.sum() < 100  # half-width katakana, full-width ! and ?
    monkeypatch.setattr(_text_tokenize, "_fold_table", lambda: _FOLD)
    nothing = ("", "", re.compile("(?!)"))
    monkeypatch.setattr(_text_tokenize, "fold_unsafe", lambda: nothing)
    monkeypatch.setattr(_text_features, "fold_unsafe", lambda: nothing)
    old = TextFeaturizer(lexicons, style=True).transform(texts)
    old_slow = TextFeaturizer(lexicons, style=True, fast=False).transform(texts[::8])
    assert np.array_equal(new[~has], old[~has])
    assert np.array_equal(slow[~has[::8]], old_slow[~has[::8]])
    assert np.array_equal(new[::8], slow)  # both paths agree on every 8th text


def test_fold_keeps_what_nfkc_would_damage():
    """The choices of ``COMPAT_TYPES``: what is folded, and what blind NFKC would change but
    the fold keeps (each of these spellings occurs in real texts)."""
    folded = {"ｈａｐｐｙ": "happy", "ＬＯＶＥ！": "LOVE!", "\ufb01ne": "fine", "ｶﾞｷﾞ": "ガギ",
              "ﾊﾟﾝ": "パン", "𝐥𝐨𝐯𝐞": "love", "ⓛⓞⓥⓔ": "love", "ﻻ": "لا", "Ａ\u0301": "Á",
              "don＇t": "don't", "ﾉ": "ノ"}
    for text, want in folded.items():
        assert fold(text) == want == unicodedata.normalize("NFKC", text), text
    kept = ["™", "nº", "m²", "¯\\_(ツ)_/¯", "´", "wait…", "‼", "⁉", "ℹ", "Ⓜ", "🈚", "㊗",
            "ㅋㅋ", "ㅋㅏ", "(ﾟ∀ﾟ)", "½", "㎏", "⑴", "x\u3000y"]
    for text in kept:
        assert fold(text) == text != unicodedata.normalize("NFKC", text), text
    tok = TextTokenizer()
    assert tok.tokenize("ＬＯＶＥ ｉｔ！！ ｄｏｎ＇ｔ ｓｔｏｐ") == ["love", "it", "!", "!", "don't", "stop"]


def test_fold_table_is_complete_idempotent_and_spares_emoji():
    """The table covers every code point of this Python's Unicode version that the chosen
    types fold (the scanned ranges miss none), folding twice changes nothing, no fold holds
    white space, and no emoji is folded."""
    regex = pytest.importorskip("regex")
    table = _fold_table()
    scanned = {c for a, b in _COMPAT_SCANNED for c in range(a, min(b, sys.maxunicode + 1))}
    for c in range(sys.maxunicode + 1):
        if c not in scanned and unicodedata.decomposition(chr(c)):
            to = unicodedata.normalize("NFC", _compat_fold(c))
            assert to == unicodedata.normalize("NFC", chr(c)), hex(c)
    emoji = regex.compile(r"\p{Emoji}")
    for c, to in table.items():
        ch = chr(c)
        if to is None or c in _FOLD:
            continue
        assert fold(fold(ch)) == fold(ch) == to and not emoji.match(ch), hex(c)
        assert not any(x.isspace() for x in to), hex(c)
    assert fold("ｶ ﾞ") == "カ ﾞ" and fold("ﾞﾞ") == "ﾞﾞ"  # a mark composes within its chunk only


@pytest.mark.parametrize("fast", [True, False])
def test_batch_paths_equal_the_whole_text_on_folded_punctuation(fast):
    """``＆`` and ``﹠`` fold to ``&`` (an HTML entity may follow) and ``．``, ``﹒`` to ``.``:
    spaced, they are NLTK's spaced ellipsis, which reaches across white space, so such texts
    are tokenised whole, as texts with ``&`` or ``. .`` are (chunk by chunk, ``． ． ．`` gave
    three tokens instead of one)."""
    texts = ["ｇｏｏｄ ． ． ． ｂａｄ", "so ．  ．ok", "＆ａｍｐ； ｎｉｃｅ", "a ﹒ ﹒ b", "ok\u3000．\u3000．",
             "fine . ． done", "﹠lt; 3 ＯＫ", "ｎｏ ｓｐａｃｅ．．．ｏｋ", "ｗｏｗ！ ｏｋ？"]
    tok = TextTokenizer()
    assert tok.tokenize_many(texts) == [tok.tokenize(t) for t in texts]
    assert tok.tokenize(texts[0]) == ["good", ". . .", "bad"]
    f = TextFeaturizer(["vader", "afinn"], style=True, fast=fast)
    g = TextFeaturizer(["vader", "afinn"], style=True, fast=fast)
    X = f.transform(texts)
    assert np.array_equal(X, np.vstack([g.transform([t]) for t in texts]))
    ascii_rows = TextFeaturizer(["vader", "afinn"], style=True, fast=fast).transform(
        [fold(t) for t in texts])
    keep = _non_vader(f)
    assert np.array_equal(X[:, keep], ascii_rows[:, keep])


def test_text_surface_reads_full_width_text_through_the_shared_fold():
    """Regression: ``text_surface`` did not share the fold (plain string counting of the text
    as written): ``！`` and ``？`` were other symbols there, not ``!`` and ``?``, while the
    ``lexicon`` set's style columns, which see the folded text, counted them; circled letters
    (``ⓛⓞⓥⓔ``) were 4 symbol tokens there, one word here. Both sets now read the text through
    the one fold: a full-width or circled text has the ASCII text's row."""
    from emofeat.extractors import TextSurface

    ts = TextSurface().fit([])
    X = ts.transform(["I LOVE it!! ok?", "Ｉ ＬＯＶＥ ｉｔ！！ ｏｋ？", "I LOVE it!! ok?",
                      "I \u24c1\u24c4\u24cb\u24ba it!! ok?"])
    np.testing.assert_array_equal(X[1], X[0])
    np.testing.assert_array_equal(X[3], X[2])
    rows = dict(zip(ts.get_feature_names_out(), X.T, strict=True))
    assert rows["text_surface_allcaps_mean"][1] == 1 / 3  # LOVE of LOVE, it, ok
    assert rows["text_surface_exclamation_sum"][1] == 2
    assert rows["text_surface_question_sum"][1] == 1
    f = TextFeaturizer([], style=True)
    style = _row(f, "Ｉ ＬＯＶＥ ｉｔ！！ ｏｋ？")
    assert style["lexicon_style_n_exclamation"] == 2 and style["lexicon_style_n_question"] == 1
    assert style["lexicon_style_allcaps_ratio"] == 1 / 3


def test_random_mixtures_of_folded_characters():
    """3,000 random strings of folded and kept characters, entities, dots, joiners and white
    space: the batch tokens equal the whole text's, the chunk path's rows equal the
    text-by-text path's, folding twice changes nothing, and VADER's columns equal
    vaderSentiment's (on the text as given)."""
    import random

    pieces = [*"aZ.!?&;#@:)'- ", "  ", "\u3000", "ｶ", "ﾞ", "ﾟ", "＆", "．", "﹒", "﹠", "！", "？",
              "ＡＢ", "ｌｏｖｅ", "ｇｏｏｄ", "\ufb01", "\u200d", "❤", "\ufe0f", "amp", "lt", "good",
              "ﾊ", "…", "¯", "´", "™", "ℹ", "\xa0", "\u1100", "\u1161", "\u0301", "ﻻ", "𝐡", "ⓐ",
              "nº", "http://x.co", "\x1c"]
    rng = random.Random(5)
    texts = ["".join(rng.choice(pieces) for _ in range(rng.randint(0, 14))) for _ in range(3000)]
    tok = TextTokenizer()
    assert tok.tokenize_many(texts) == [tok.tokenize(t) for t in texts]
    assert all(fold(fold(t)) == fold(t) for t in texts)
    a = TextFeaturizer(["vader", "afinn"], style=True).transform(texts)
    b = TextFeaturizer(["vader", "afinn"], style=True, fast=False).transform(texts)
    assert np.array_equal(a, b)
    assert np.array_equal(a[:, :4], vader_reference(texts))
