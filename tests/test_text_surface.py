"""The text reader and the text_surface proof set, end to end: strings in (lists, Series,
manifests of CSV/TSV/JSON lines/plain text), per-token cues summarised by the shared
functionals, through the API, the CLI (resume keyed by content), parquet and evaluate."""

from __future__ import annotations

import json
import math
import re
import unicodedata

import numpy as np
import pandas as pd
import pytest
from _text_data import all_texts, goemotions_texts
from conftest import SHARED_DATA
from emofeat.extractors import TextSurface
from emofeat.extractors.text_surface import tokenize
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from emofeat.errors import SignalTypeError
from emofeat.table import FeatureTable


def features(texts, **params) -> pd.DataFrame:
    ext = TextSurface(**params).set_output(transform="pandas")
    return ext.fit_transform(texts)


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=200))
def test_counts_equal_plain_string_counts(text):
    """Every non-space character belongs to exactly one token, so the sums are the string's
    own counts (HTML entities decoded), whatever the Unicode."""
    row = features([text]).iloc[0]
    text = as_read(text)
    assert row["text_surface_chars_sum"] == sum(not c.isspace() for c in text)
    assert row["text_surface_exclamation_sum"] == text.count("!")
    assert row["text_surface_question_sum"] == text.count("?")


# -- real texts against the documented definitions, written plainly ---------------------------
# The set's reference is plain string counting. The definitions (module docstring of
# emofeat.extractors.text_surface, docs/catalogue.md) are re-implemented here with a character
# scanner and str methods, not with the set's regular expression: a token is a run of word
# characters (what re's \w matches in a str pattern: str.isalnum() or "_") with inner apostrophes
# (' or one of ’ ‘ ＇ between word characters, ´ or ` between two letters: word characters but
# decimal digits and "_", the one before with any combining marks on it), a run of two or more
# dots (an ellipsis), or one other non-space (str.isspace) character; the
# extending characters after a character belong to its token: combining marks (unicodedata
# category M*), the zero-width non-joiner and joiner, emoji skin-tone modifiers and tag
# characters. Emoji sequences: two regional indicators in a row are one element (pairs from the
# left), and a token begun by an element (a symbol, category S*, or such a pair) whose
# extending characters end in a zero-width joiner goes on with the next element.
# Before that, as the lexicon set's tokenizer reads a text (docs/text.md): the characters that
# only format it are dropped (FORMAT below: the variation selectors, the soft hyphen, zero-width
# space, word joiner, byte-order mark, Arabic letter mark, direction marks, embeddings,
# overrides and isolates; then each run of zero-width joiners and non-joiners at the start or
# end of a whitespace chunk or beside a punctuation character, category P*), HTML entities are
# decoded by NLTK's rule, a surrogate made U+FFFD, and what they make is dropped in turn. Since
# 2026-12-05 the set reads the text through the lexicon set's own normalisation, one rule for
# both (_text_tokenize.fold: compatibility forms such as circled, full-width and font letters
# folded as NFKC folds them, NFC, apostrophe look-alikes and accents between letters as ',
# tested in tests/test_text_tokenize.py), before and after the entities are decoded. The
# dropping of invisible characters has a plain reference of its own here, visible() (the
# characters listed, and a joiner's neighbours judged by unicodedata categories), checked
# against the set's (test_invisible_characters_are_dropped_by_the_plain_rule) and applied
# before the fold in as_read(), so the fold's own dropping has nothing left to do there.
APOSTROPHES = "'\u2019\u2018\uff07"
ACCENTS = "\u00b4`"
ZWJ = "\u200d"
JOINERS = "\u200c\u200d"
FORMAT = ("\ufe0e\ufe0f\u00ad\u200b\u2060\ufeff\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e"
          "\u2066\u2067\u2068\u2069")


def visible(text: str) -> str:
    """The text without the characters that only format it (the comment above)."""
    text = "".join(c for c in text if c not in FORMAT)
    out, i, n = [], 0, len(text)
    while i < n:
        if text[i] not in JOINERS:
            out.append(text[i])
            i += 1
            continue
        j = i
        while j < n and text[j] in JOINERS:
            j += 1
        loose = (i == 0 or j == n or text[i - 1].isspace() or text[j].isspace()
                 or unicodedata.category(text[i - 1])[0] == "P"
                 or unicodedata.category(text[j])[0] == "P")
        if not loose:
            out.append(text[i:j])
        i = j
    return "".join(out)


def as_read(text: str) -> str:
    """The text as the set reads it: formatting characters dropped (:func:`visible`), the
    lexicon set's fold (compatibility forms folded, NFC, apostrophes), HTML entities decoded
    by NLTK's own function, those naming no character kept as written
    (``remove_illegal=False``: the set counts their characters), and what they made dropped
    and folded in turn."""
    from emofeat.extractors._text_tokenize import fold
    from nltk.tokenize.casual import _replace_html_entities

    text = fold(visible(text))
    if "&" not in text:
        return text
    decoded = _replace_html_entities(text, remove_illegal=False)
    return fold(visible(re.sub("[\ud800-\udfff]", "\ufffd", decoded)))


_INVISIBLE_TEXT = st.text(st.sampled_from(
    list(FORMAT + JOINERS) + list("ab ,.!🙂\u0301\u2019´") + ["\U0001f469", "\u00e9"]),
    max_size=30)


@settings(max_examples=300, deadline=None)
@given(st.one_of(st.text(max_size=60), _INVISIBLE_TEXT))
def test_invisible_characters_are_dropped_by_the_plain_rule(text):
    """The set's dropping of formatting characters (``strip_invisible``, the first step of
    its fold) against the plain rule of :func:`visible`: the listed characters wherever
    they are, and zero-width joiners and non-joiners at a chunk's ends or beside punctuation
    (unicodedata category P*). as_read() relies on it instead of the package's own fold."""
    from emofeat.extractors._text_tokenize import fold, strip_invisible

    assert strip_invisible(text) == visible(text)
    assert fold(text) == fold(visible(text))


@pytest.mark.parametrize(("written", "tokens"), [
    ("Q&A; next", ["Q", "&", "A", ";", "next"]),
    ("R&D;ok", ["R", "&", "D", ";", "ok"]),
    ("&bogus; &#x110000; &#129;", ["&", "bogus", ";", "&", "#", "x110000", ";", "&", "#",
                                   "129", ";"]),
    ("R&amp;D &lt;3", ["R", "&", "D", "<", "3"]),
])
def test_a_reference_naming_no_character_is_text_as_written(written, tokens):
    """Regression: text_surface dropped HTML references that name no character, as NLTK
    does for the lexicon set ('Q&A; next' was Q, next; 'R&D;ok' was 'Rok'), though its
    counts are of the text as written. Known entities are still decoded; unknown ones are
    kept, as NLTK keeps them with remove_illegal=False."""
    from nltk.tokenize.casual import _replace_html_entities

    assert tokenize(written) == tokens
    assert tokenize(written) == tokenize(_replace_html_entities(written, remove_illegal=False))
    row = TextSurface().fit([]).transform([written])[0]
    names = list(TextSurface().fit([]).get_feature_names_out())
    assert row[names.index("text_surface_chars_count")] == len(tokens)


def _word_char(c: str) -> bool:
    return c.isalnum() or c == "_"


def _letter(c: str) -> bool:  # re's [^\W\d_]
    return _word_char(c) and not c.isdecimal() and c != "_"


def _mark(c: str) -> bool:
    return unicodedata.category(c)[0] == "M"


def _extending(c: str) -> bool:  # stays with the character before it
    return (_mark(c) or c in "\u200c\u200d" or 0x1F3FB <= ord(c) <= 0x1F3FF
            or 0xE0020 <= ord(c) <= 0xE007F)


def _base_before(chunk: str, j: int) -> str:
    """The character before ``chunk[j]`` that carries the combining marks between them."""
    k = j - 1
    while k > 0 and _mark(chunk[k]):
        k -= 1
    return chunk[k]


def _symbol(c: str) -> bool:
    return unicodedata.category(c)[0] == "S"


def _regional(c: str) -> bool:
    return 0x1F1E6 <= ord(c) <= 0x1F1FF


def _element_end(chunk: str, i: int) -> int:
    """Where the emoji element at ``chunk[i]`` ends, or -1 if no element starts there."""
    if _regional(chunk[i]) and i + 1 < len(chunk) and _regional(chunk[i + 1]):
        return i + 2
    return i + 1 if _symbol(chunk[i]) else -1


def plain_tokens(text: str) -> list[str]:
    text = as_read(text)
    tokens = []
    for chunk in text.split():  # str.split() splits at str.isspace characters
        if chunk.isalnum():  # only word characters: one token (the common case, taken whole)
            tokens.append(chunk)
            continue
        i, n = 0, len(chunk)
        while i < n:
            if _word_char(chunk[i]):
                j = i + 1
                while j < n:
                    if _word_char(chunk[j]) or _extending(chunk[j]):
                        j += 1
                    elif j + 1 < n and (
                            chunk[j] in APOSTROPHES and _word_char(chunk[j + 1])
                            or chunk[j] in ACCENTS and _letter(_base_before(chunk, j))
                            and _letter(chunk[j + 1])):
                        j += 2
                    else:
                        break
            elif chunk.startswith("..", i):
                j = i + 2
                while j < n and chunk[j] == ".":
                    j += 1
                while j < n and _extending(chunk[j]):
                    j += 1
            else:
                j = _element_end(chunk, i)
                emoji = j > 0
                j = j if emoji else i + 1
                while j < n:
                    if _extending(chunk[j]):
                        j += 1
                    elif emoji and chunk[j - 1] == ZWJ and _element_end(chunk, j) > 0:
                        j = _element_end(chunk, j)
                    else:
                        break
            tokens.append(chunk[i:j])
            i = j
    return tokens


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.characters(codec="utf-8"), max_size=60)
       | st.lists(st.sampled_from(["a", "É", "\u0301", "\u093e", "\ufe0f", "'", "!", " ", "न",
                                   "\u094d", "❤", "_", "1", ZWJ, "\u200c", "👍", "🏽", "🇫",
                                   "🇷", "🏴", "\U000e0067", "\U000e007f", "+", "?", "ℹ",
                                   "\u20e3", "`", "\u00b4", "&amp;", "&#8419;", "&#xFE0F;",
                                   "&#x200D;", "&", ";"]), max_size=20).map("".join))
def test_tokens_equal_the_plain_definition(text):
    """Any Unicode, combining marks, joiners and emoji sequences included, against the
    scanner above."""
    assert tokenize(text) == plain_tokens(text)


def test_accents_join_words_between_letters_only_as_the_lexicon_set_reads_them():
    """The acute accent and the backtick are apostrophes between two letters only, as
    :func:`fold` of the lexicon set reads them: ``5`6`` and ``x´9`` were one token here (the
    accent joined any two word characters) and three there."""
    from emofeat.extractors._text_tokenize import fold

    cases = {"5`6": ["5", "`", "6"], "x\u00b49": ["x", "\u00b4", "9"], "_`a": ["_", "`", "a"],
             "isn`t": ["isn`t"], "DON\u00b4T": ["DON\u00b4T"], "a_b`c": ["a_b`c"],
             "caf\u00e9\u00b4s": ["caf\u00e9\u00b4s"]}
    for text, want in cases.items():
        # the tokens of the text as read: an accent that joins is the apostrophe of the fold
        assert tokenize(text) == [fold(w) for w in want], text
        assert (len(want) == 1) == ("'" in fold(text)), text


@settings(max_examples=500, deadline=None)
@given(st.lists(st.sampled_from(["d", "o", "N", "\u0301", "\u0308", "\u093e", "\u00b4", "`", "5",
                                 "_", " ", "!", "\u00e9", "\u0131", "\ufe0f", "\ufe0e", "\u00ad",
                                 "\u200b", "\u200d"]),
                max_size=14).map("".join))
def test_an_accent_joins_where_the_lexicon_set_reads_an_apostrophe(text):
    """One rule in both text sets (``inner_accents``): an accent that the lexicon set's fold
    makes ``'`` is inside a word token here, and no other. A combining mark before the accent
    (``doń´t`` typed with U+0301) joined there, where NFC composed the letter and its mark,
    and not here (``doń``, ``´``, ``t``); ``t́´s``, which NFC leaves apart, joined in neither.
    A variation selector on the accent (``d´️d``), or a soft hyphen or zero-width space
    beside it, is dropped by both sets now: ``d'd`` there, and here ``d´d`` (it was ``d``,
    ``´️``, ``d``). Since the set reads the folded text, such an accent is the ``'`` of its
    word token (the alphabet holds no ``'`` of its own)."""
    from emofeat.extractors._text_tokenize import fold

    joined = sum(t.count("'") for t in tokenize(text) if _word_char(t[0]))
    assert joined == fold(text).count("'")


def _lexicon_tokens(text: str) -> list[str]:
    from emofeat.extractors._text_tokenize import TextTokenizer

    return TextTokenizer(lowercase=False, reduce_len=False, mask_urls=False,
                         mask_mentions=False).tokenize(text)


def _as_lexicon_reads(tokens: list[str]) -> list[str]:
    """Tokens of this set as the lexicon set spells them: inner accents ``'``, in NFC."""
    from emofeat.extractors._text_tokenize import accent_apostrophes

    return [unicodedata.normalize("NFC", accent_apostrophes(t)) for t in tokens]


@settings(max_examples=500, deadline=None)
@given(st.lists(st.sampled_from(["a", "B", "\u00e9", " ", "!", "?", ".", ",", "^", "\u00b4", "`",
                                 "\u00ad", "\u200b", "\u2060", "\ufeff", "\u200e", "\u202a", "\u2066",
                                 "\ufe0e", "\ufe0f", "&shy;", "&#x200B;"]),
                max_size=14).map("".join))
def test_formatting_characters_split_no_word_in_either_set(text):
    """Words, punctuation, accents and the characters that only format a text: this set's
    tokens are the lexicon set's (NLTK's), accents it reads as apostrophes aside. A soft
    hyphen, zero-width space, byte-order mark or direction mark was a token of its own here
    (``won­der­ful`` 5 tokens, one there), a variation selector on an accent kept it from
    joining (``d´️d``). Runs of 4 or more ``!`` or ``?`` and of two or more dots too: NLTK
    cut ``!!!!`` to 3 tokens there (4 here) and made ``..`` one token (2 here); so ``,,,,`` and
    other runs of a character NLTK makes one token each (``counted_whole``) until
    2026-12-05. Left out: runs of 4 or more dots (one token in each set, NLTK's cut to
    ``...``) and of the characters NLTK joins (none in this alphabet), dots apart
    (``. .``: one NLTK token across the space) and dots between word characters (``a.aa``:
    NLTK's web addresses)."""
    from emofeat.extractors._text_tokenize import counted_whole

    read = as_read(text)
    assume(all(counted_whole(m.group(1)) for m in re.finditer(r"([^\w\s])\1{3,}", read)))
    assume(re.search(r"\.\s+\.|\w\.+\w", read) is None)
    assert _as_lexicon_reads(tokenize(text)) == _lexicon_tokens(text)


@pytest.mark.parametrize("text, want", [
    ("won\u00adder\u00adful", ["wonderful"]), ("\ufeffgood", ["good"]), ("a\u200bb", ["ab"]),
    ("d\u00b4\ufe0fd", ["d'd"]), ("isn`\ufe0et", ["isn't"]), ("\u202aStill", ["Still"]),
    ("\u2764\ufe0f", ["\u2764"]), ("x&shy;y", ["xy"]), ("\u200dhi\u200d", ["hi"]),
    ("Ripping! \u200d\u2640\ufe0f", ["Ripping", "!", "\u2640"])])
def test_formatting_characters_are_dropped_as_the_lexicon_set_drops_them(text, want):
    assert tokenize(text) == want
    assert _as_lexicon_reads(want) == _lexicon_tokens(text)
    assert features([text]).iloc[0]["text_surface_chars_count"] == len(want)


@pytest.mark.parametrize("text, want", [
    ("do\u0144\u00b4t", ["do\u0144\u00b4t"]), ("don\u0301\u00b4t", ["don\u0301\u00b4t"]),
    ("t\u0301\u00b4s", ["t\u0301\u00b4s"]), ("ISN\u0301`T", ["ISN\u0301`T"]),
    ("x\u0301\u00b49", ["x\u0301", "\u00b4", "9"]), ("5\u0301`a", ["5\u0301", "`", "a"])])
def test_a_combining_mark_before_the_accent_keeps_the_word(text, want):
    from emofeat.extractors._text_tokenize import TextTokenizer, fold

    # tokens of the folded text: the joining accent as "'", the letter and mark in NFC
    assert tokenize(text) == [fold(w) for w in want]
    lexicon = TextTokenizer(lowercase=False).tokenize(text)
    assert len(lexicon) == len(want) and ("'" in "".join(lexicon)) == (len(want) == 1)


def test_every_mark_and_symbol_is_in_the_code_points_scanned():
    """The token pattern's marks and symbols come from the code points of ``_SCANNED`` only
    (a twelfth of them): every code point of this Python's Unicode version is checked, so a
    version that puts marks or symbols elsewhere fails here instead of splitting tokens."""
    import sys

    from emofeat.extractors import text_surface

    found = [c for c in range(sys.maxunicode + 1) if _mark(chr(c)) or _symbol(chr(c))]
    assert len(found) > 9000
    outside = [hex(c) for c in found if not any(a <= c < b for a, b in text_surface._SCANNED)]
    assert not outside


@pytest.mark.parametrize(("text", "tokens"), [
    ("👨\u200d👩\u200d👧", ["👨\u200d👩\u200d👧"]),  # ZWJ sequence: was 5 tokens
    ("👍🏽", ["👍🏽"]),  # skin tone (category Sk, not a mark): was 2
    ("🇫🇷", ["🇫🇷"]),  # two regional indicators: was 2
    ("🇫🇷🇩🇪🇮", ["🇫🇷", "🇩🇪", "🇮"]),  # pairs from the left
    ("🏴\U000e0067\U000e0062\U000e0073\U000e0063\U000e0074\U000e007f",  # Scotland: tags
     ["🏴\U000e0067\U000e0062\U000e0073\U000e0063\U000e0074\U000e007f"]),
    ("1\ufe0f\u20e3", ["1\u20e3"]),  # keycap: a mark (the variation selector dropped)
    ("❤\ufe0f\u200d🔥 ok!", ["❤\u200d🔥", "ok", "!"]),
    ("👩🏽\u200d💻👍", ["👩🏽\u200d💻", "👍"]),  # no joiner, no join
    ("क्\u200dष", ["क्\u200dष"]),  # Devanagari with a ZWJ inside the word: was 3
    ("می\u200cخواهم", ["می\u200cخواهم"]),  # Persian with a ZWNJ: was 3
    ("wow\u200d1", ["wow\u200d1"]),  # a joiner keeps a word together
    ("👍\u200d1", ["👍\u200d", "1"]),  # and joins symbols only
    # joiners beside punctuation or white space join nothing: dropped, as the lexicon set
    # drops them (they were tokens of their own, or a "!" token two characters long)
    ("wow\u200d!", ["wow", "!"]), ("👍\u200d!?", ["👍", "!", "?"]),
    ("x \u200d♀\ufe0f", ["x", "♀"]), ("roommates.\u200d♀", ["roommates", ".", "♀"]),
    ("\u0301x \u0301", ["\u0301", "x", "\u0301"]),  # a mark with nothing before: its own
])
def test_emoji_sequences_and_joiners_by_hand(text, tokens):
    assert tokenize(text) == tokens
    assert plain_tokens(text) == tokens


def test_emoji_sequences_of_real_texts_are_the_grapheme_clusters():
    """Every GoEmotions comment (train, dev, test) with a zero-width joiner, a skin-tone
    modifier or a regional indicator: its tokens holding an emoji are its extended grapheme
    clusters holding one (UAX #29, as the ``regex`` module's ``\\X`` finds them, in the text as
    read: without variation selectors and joiners that join nothing), in order.
    Before, ``🤷‍♀️`` was 3 tokens, ``👍🏽`` and ``🇫🇷`` 2."""
    regex = pytest.importorskip("regex")
    root = SHARED_DATA / "text"
    if not (root / "goemotions").exists():
        pytest.skip(f"real data not available: {root / 'goemotions'} (see ../shared/data/README.md)")
    texts = [t for split in ("train", "dev", "test") for t in goemotions_texts(root, split)]
    kinds = {"joiner": "\u200d", "skin tone": "[\U0001f3fb-\U0001f3ff]",
             "flag": "[\U0001f1e6-\U0001f1ff]"}
    picked = {k: [t for t in texts if regex.search(p, t)] for k, p in kinds.items()}
    assert all(picked.values()), {k: len(v) for k, v in picked.items()}
    emoji = regex.compile(r"[\p{Extended_Pictographic}\p{Regional_Indicator}]")
    for kind, group in picked.items():
        for text in group:
            # of the text as read: no variation selectors, no joiner that joins nothing
            clusters = [c for c in regex.findall(r"\X", as_read(text)) if emoji.search(c)]
            tokens = [t for t in tokenize(text) if emoji.search(t)]
            assert tokens == clusters, (kind, text)
            assert tokens == [t for t in plain_tokens(text) if emoji.search(t)]


def plain_allcaps(token: str) -> float:
    """A word token of 2+ characters with a cased letter: 1 if every cased letter is upper case,
    else 0; NaN for every other token."""
    if len(token) < 2 or not _word_char(token[0]):
        return math.nan
    if token.islower():  # has a cased letter, all of them lower case (most words)
        return 0.0
    cased = [c for c in token if c.isupper() or c.islower() or c.istitle()]
    if not cased:
        return math.nan
    return float(all(c.isupper() for c in cased))


def plain_row(text: str) -> dict[str, float]:
    """Every column of the default set (functionals count, sum, mean) from its definition."""
    tokens = plain_tokens(text)
    text = as_read(text)
    n = len(tokens)
    caps = [v for v in map(plain_allcaps, tokens) if not math.isnan(v)]
    sums = {"chars": sum(map(len, tokens)), "exclamation": text.count("!"),
            "question": text.count("?"), "allcaps": sum(caps)}
    counts = {"chars": n, "exclamation": n, "question": n, "allcaps": len(caps)}
    row = {}
    for d in ("chars", "exclamation", "question", "allcaps"):
        row[f"text_surface_{d}_count"] = counts[d]
        row[f"text_surface_{d}_sum"] = sums[d]
        row[f"text_surface_{d}_mean"] = sums[d] / counts[d] if counts[d] else math.nan
    return row


def test_every_column_equals_its_definition_on_real_texts():
    """All 81,929 texts of GoEmotions (train/dev/test), CARER (train/val/test) and ISEAR: every
    column equals the plain computation exactly (NaN where both are NaN; tolerance 0: the sums
    are integers and the means one division of the same integers). Measured: 0 mismatches in
    all 12 columns; ~4-5.5 s here (2.5-4.5 s in the set, ~1.5 s in the plain code)."""
    root = SHARED_DATA / "text"
    missing = [c for c in ("goemotions", "carer", "isear") if not (root / c).exists()]
    if missing:
        pytest.skip(f"real data not available: {[str(root / c) for c in missing]} "
                    "(see ../shared/data/README.md)")
    texts = [t for corpus in all_texts(root).values() for t in corpus]
    assert len(texts) == 81_929
    from emofeat.extractors._text_tokenize import strip_invisible

    # the plain rule of the invisible characters on every real text (174 hold some)
    assert [t for t in texts if strip_invisible(t) != visible(t)] == []
    ts = TextSurface().fit([])
    got = ts.transform(texts)
    names = list(ts.get_feature_names_out())
    rows = [plain_row(t) for t in texts]
    assert set(rows[0]) == set(names), "a column of the set has no plain definition here"
    want = np.array([[r[name] for name in names] for r in rows])
    for k, name in enumerate(names):
        bad = np.flatnonzero(~((got[:, k] == want[:, k])
                               | (np.isnan(got[:, k]) & np.isnan(want[:, k]))))
        assert len(bad) == 0, (f"{name}: {len(bad)} of {len(texts)} texts differ; first "
                               f"{texts[bad[0]]!r}: set {got[bad[0], k]}, plain {want[bad[0], k]}")
    # and the string's own count of non-space characters, as in the property test above
    chars_sum = got[:, names.index("text_surface_chars_sum")]
    texts = list(map(as_read, texts))
    assert np.array_equal(chars_sum, [len(t) - sum(map(str.isspace, t)) for t in texts])


@pytest.mark.parametrize("text", ["DON'T go", "DON’T go", "DON‘T go", "DON＇T go", "DON´T go",
                                  "DON`T go", "DONʼT go"])
def test_apostrophes_typed_as_accents_keep_the_word_whole(text):
    """``don´t`` (an acute accent, as Spanish and Portuguese keyboards give it), ``isn`t`` and
    the other apostrophe look-alikes are one word token as ``don't`` is (the lexicon set reads
    them as ``'`` too); ``DON´T`` was ``DON``, ``´``, ``T``: 4 tokens, no all-caps word."""
    assert tokenize(text) == ["DON'T", "go"]  # the text as read: every look-alike is "'"
    assert tokenize(text + " `code`") == ["DON'T", "go", "`", "code", "`"]
    row = features([text]).iloc[0]
    assert row["text_surface_chars_count"] == 2 and row["text_surface_allcaps_mean"] == 0.5


def test_tokens_and_caps_ratio_by_hand():
    row = features(["I LOVE it!! Don't YOU?"]).iloc[0]
    # tokens: I LOVE it ! ! Don't YOU ?  -> 8; word tokens of 2+ letters: LOVE it Don't YOU
    assert row["text_surface_chars_count"] == 8
    assert row["text_surface_allcaps_count"] == 4
    assert row["text_surface_allcaps_mean"] == pytest.approx(2 / 4)
    lld = TextSurface(level="lld").fit_transform(["I LOVE it!!"])
    assert lld.shape == (5, 4)
    np.testing.assert_array_equal(lld[:, 1], [0, 0, 0, 1, 1])


def test_bad_texts_give_defined_rows():
    texts = [None, np.nan, "", "😀😀🎉", "x" * 100_000, "bad \ud800 surrogate", "Ünïcödé ÉTÉ"]
    X = features(texts)
    assert X.shape[0] == len(texts)
    for k in (0, 1, 2):  # missing and empty texts: no token
        assert X.iloc[k]["text_surface_chars_count"] == 0
        assert X.iloc[k]["text_surface_chars_sum"] == 0
    assert X.iloc[3]["text_surface_chars_count"] == 3  # emoji are symbol tokens
    assert X.iloc[4]["text_surface_chars_sum"] == 100_000
    assert X.iloc[6]["text_surface_allcaps_mean"] == 0.5
    with pytest.raises(SignalTypeError, match="not a text"):
        TextSurface().fit_transform(["ok", 3.5])
    # a Series or a manifest's text column is checked as a list is (numbers and bytes were
    # once measured as their str())
    for bad in (pd.Series(["ok", 1]), pd.DataFrame({"text": [b"x", "ok"]}),
                pd.Series([["a"], "ok"])):
        with pytest.raises(SignalTypeError, match="<text [01]>.*not a text"):
            TextSurface().fit_transform(bad)
    with pytest.raises(ValueError, match="wrap a single"):
        TextSurface().fit_transform("a single string")


def test_tokens_are_frames_and_levels_share_functionals():
    from emofeat.functionals import compute_functionals

    ext = TextSurface(level="lld")
    lld = ext.fit_transform(["Hello there!! WHAT?"])
    row = TextSurface(functionals=("count", "sum", "mean", "max")).fit_transform(
        ["Hello there!! WHAT?"])[0]
    np.testing.assert_array_equal(row, compute_functionals(
        lld, np.arange(len(lld), dtype=float), ("count", "sum", "mean", "max")))


@pytest.mark.parametrize("fmt", ["csv", "tsv", "jsonl", "txt"])
def test_cli_manifests_parquet_resume_and_evaluate(tmp_path, fmt):
    from emofeat.classifiers import evaluate

    from emofeat.cli import main

    rng = np.random.default_rng(0)
    rows = []
    for k in range(40):
        happy = k % 2 == 0
        text = ("WOW this is GREAT!!! " if happy else "well, ok... is it? ") * int(rng.integers(1, 4))
        rows.append({"text": text + f"#{k}", "author": f"a{k % 5}",
                     "label": "happy" if happy else "flat"})
    df = pd.DataFrame(rows)
    src = tmp_path / f"texts.{fmt}"
    if fmt == "csv":
        df.to_csv(src, index=False)
    elif fmt == "tsv":
        df.to_csv(src, sep="\t", index=False)
    elif fmt == "jsonl":
        src.write_text("\n".join(json.dumps(r) for r in rows))
    else:
        src.write_text("\n".join(df.text))
    out = tmp_path / "t.parquet"
    args = ["extract", "--set", "text_surface", str(src), "-o", str(out), "-q"]
    assert main(args) == 0
    table = FeatureTable.read_parquet(out)
    assert len(table) == 40
    assert table.index["text"].tolist() == df.text.tolist()
    assert not {"start", "end", "orig_sr"} & set(table.index.columns)
    assert table.provenance["modality"] == "text"
    np.testing.assert_array_equal(table.X, TextSurface().fit_transform(list(df.text)))
    # resume: the same texts are recognised by content and skipped
    mtime = out.stat().st_mtime_ns
    assert main(args) == 0
    assert out.stat().st_mtime_ns == mtime
    if fmt != "txt":
        res = evaluate(table, target="label", groups="author", model="logreg")
        assert res.scores["uar"] > 0.9


def test_input_column_is_named(tmp_path):
    from emofeat.cli import main

    src = tmp_path / "c.csv"
    pd.DataFrame({"comment": ["Hi!", "No?"], "y": [1, 0]}).to_csv(src, index=False)
    out = tmp_path / "c.parquet"
    assert main(["extract", "--set", "text_surface", str(src), "-o", str(out), "-q"]) == 2
    assert main(["extract", "--set", "text_surface", str(src), "-o", str(out), "-q",
                 "--input-column", "comment"]) == 0
    table = FeatureTable.read_parquet(out)
    assert table.index["comment"].tolist() == ["Hi!", "No?"]


def test_runner_reads_series_and_manifests():
    import emofeat

    s = pd.Series(["Yes!", "no"], name="utterance")
    t = emofeat.extract(s, "text_surface")
    assert t.index["text"].tolist() == ["Yes!", "no"]
    m = pd.DataFrame({"text": ["Yes!", None], "speaker": ["x", "y"]})
    t = emofeat.extract(m, "text_surface")
    assert t.index["speaker"].tolist() == ["x", "y"] and t.index["text"].tolist() == ["Yes!", ""]
    with pytest.raises(ValueError, match="no time axis"):
        emofeat.runner.run(["a b"], [TextSurface()], segment="1s")


def test_batched_texts_equal_one_text_at_a_time_on_real_texts():
    """The set's batched path (every token's descriptors at once, one functionals kernel call)
    equals the per-text definition (the text's tokens -> descriptors -> compute_functionals)
    bit for bit on 5,000 GoEmotions texts and odd ones, for every functional; the LLD level
    and the runner's rows (features_of_many) too."""
    from emofeat.functionals import compute_functionals
    from emofeat.readers import TextReader

    root = SHARED_DATA / "text"
    if not (root / "goemotions").exists():
        pytest.skip(f"real data not available: {root / 'goemotions'} (see ../shared/data/README.md)")
    texts = goemotions_texts(root)[:5000] + ["", "!!", "A", "ÉTÉ 42 :)", "x " * 300]
    funcs = ("count", "sum", "mean", "std", "min", "max", "p25", "median", "slope",
             "valid_fraction", "skew")
    ext = TextSurface(functionals=funcs).fit([])
    got = ext.transform(texts)
    lld_ext = TextSurface(level="lld").fit([])

    def plain_caps(t):  # the catalogue's definition, written apart from the set's code
        if len(t) < 2 or not (t[0].isalnum() or t[0] == "_") or t.upper() == t.lower():
            return math.nan
        return 1.0 if t.isupper() else 0.0

    for k, text in enumerate(texts):
        toks = tokenize(text)
        lld = np.array([[len(t), t == "!", t == "?", plain_caps(t)] for t in toks],
                       dtype=float).reshape(len(toks), 4)
        np.testing.assert_array_equal(
            got[k], compute_functionals(lld, np.arange(len(toks), dtype=float), funcs),
            err_msg=repr(text))
    signals = [sig for i, t in enumerate(texts) for sig in TextReader().read(t, i)]
    np.testing.assert_array_equal(np.concatenate([r for r, _ in ext.features_of_many(signals)]),
                                  got)
    lld_rows = lld_ext.features_of_many(signals[:50])
    for (rows, times), text in zip(lld_rows, texts[:50], strict=True):
        toks = tokenize(text)
        assert rows.shape == (len(toks), 4) and np.array_equal(times, np.arange(len(toks)))
        assert np.array_equal(rows[:, 0], [len(t) for t in toks])
    np.testing.assert_array_equal(lld_ext.transform(texts[:50]),
                                  np.concatenate([r for r, _ in lld_rows]))


@pytest.mark.parametrize(("text", "surface", "lexicon"), [
    ("!!!!", ["!"] * 4, ["!"] * 4), ("????", ["?"] * 4, ["?"] * 4),
    ("wow!!!!!!", ["wow", *["!"] * 6], ["wow", *["!"] * 6]),
    ("what?!????", ["what", "?", "!", *["?"] * 4], ["what", "?", "!", *["?"] * 4]),
    ("！！！！", ["!"] * 4, ["!"] * 4),  # both sets fold the full-width mark (one fold)
    ("wait.. what", ["wait", "..", "what"], ["wait", "..", "what"]),
    ("so...", ["so", "..."], ["so", "..."]), ("..", [".."], [".."]),
    # other punctuation and symbols NLTK makes one token each (counted_whole): 3 tokens there
    # before 2026-12-05, NLTK's cut and reduce_len's
    (",,,,", [","] * 4, [","] * 4),
    ("wait,,,,, what", ["wait", *[","] * 5, "what"], ["wait", *[","] * 5, "what"]),
    ("^^^^", ["^"] * 4, ["^"] * 4), ("f****", ["f", *["*"] * 4], ["f", *["*"] * 4]),
    ('""""hi""""', ['"'] * 4 + ["hi"] + ['"'] * 4, ['"'] * 4 + ["hi"] + ['"'] * 4),
    ("lol)))))", ["lol", *[")"] * 5], ["lol", *[")"] * 5]),
    ("$$$$$$$5", [*["$"] * 7, "5"], [*["$"] * 7, "5"]),
    ("\U0001f602" * 4, ["\U0001f602"] * 4, ["\U0001f602"] * 4),
    ("nice\u2026\u2026\u2026\u2026", ["nice", *["\u2026"] * 4], ["nice", *["\u2026"] * 4]),
])
def test_punctuation_runs_are_tokens_alike_in_both_sets(text, surface, lexicon):
    """Regression: NLTK's own rules made the lexicon set's tokens of punctuation other than
    this set's: a run of 4 or more ``!`` or ``?`` was 3 tokens there (NLTK's long-run cut,
    and ``reduce_len``'s) while ``n_exclamation`` and this set counted every mark; ``..`` and
    ``...`` were one ellipsis token there and 2 and 3 here. Now one token per ``!`` and
    ``?`` and one per run of dots in both sets: the token, mark and punctuation counts agree
    (``！`` is ``!`` in both: one fold). Since 2026-12-05 likewise every run of a punctuation
    or symbol character that NLTK makes one token each (``,,,,``, ``^^^^``, ``😂😂😂😂``:
    ``counted_whole``), 3 tokens there before; the emoji counts and AFINN's emoji scores
    with them, as VADER, which scores each emoji of a run, reads them."""
    from emofeat.extractors import LexiconFeatures
    from emofeat.extractors._text_tokenize import TextTokenizer

    assert tokenize(text) == surface
    assert TextTokenizer(lowercase=False).tokenize(text) == lexicon
    lf = LexiconFeatures(lexicons=("afinn",)).fit([])
    row = dict(zip(lf.get_feature_names_out(), lf.transform([text])[0], strict=True))
    ours = features([text]).iloc[0]
    assert row["lexicon_style_n_tokens"] == len(lexicon)
    assert ours["text_surface_chars_count"] == len(surface)
    assert len(lexicon) == len(surface)
    assert row["lexicon_style_n_exclamation"] == ours["text_surface_exclamation_sum"]
    assert row["lexicon_style_n_question"] == ours["text_surface_question_sum"]
    if not any(unicodedata.category(c)[0] == "S" for c in text):  # n_punct: punctuation
        assert row["lexicon_style_n_punct"] == sum(not _word_char(t[0]) for t in surface)


@pytest.mark.parametrize("apostrophe", ["'", "\u2019"])
def test_an_accent_between_circled_letters_reads_alike_in_both_sets(apostrophe):
    """Regression: ``ⓓ´ⓣ`` was ``d't`` (one word) in the lexicon set, which folds circled
    letters to letters, and three tokens here (``ⓓ``, ``´``, ``ⓣ``: symbols, read as
    written). Both sets now read the text through the one fold: one word ``d't``, as
    ``ⓓ'ⓣ`` and ``d't`` are, with 3 characters."""
    from emofeat.extractors._text_tokenize import TextTokenizer

    lexicon = TextTokenizer(lowercase=False).tokenize
    for accent in ("\u00b4", "`"):
        for text in (f"\u24d3{accent}\u24e3", f"\u24d3{apostrophe}\u24e3"):
            assert lexicon(text) == tokenize(text) == ["d't"]
            row = features([text]).iloc[0]
            assert row["text_surface_chars_count"] == 1 and row["text_surface_chars_sum"] == 3


@pytest.mark.parametrize(("text", "surface", "lexicon"), [
    ("----", ["-"] * 4, ["-"] * 3), ("wait----->", ["wait", *["-"] * 5, ">"], ["wait", "--->"]),
    ("____", ["____"], ["___"]), ("####", ["#"] * 4, ["#"] * 3),
    ("@@@@", ["@"] * 4, ["@"] * 3), ("::::", [":"] * 4, ["::", ":"]),
])
def test_runs_of_characters_nltk_joins_stay_cut_there(text, surface, lexicon):
    """Documents what is left apart: runs of the characters NLTK joins into longer tokens
    of their own kind (arrows, words, hashtags, mentions, the emoticon ``::``, ...;
    ``_JOINED_BY_NLTK``) keep NLTK's cut to 3 in the lexicon set, as given apart they would
    change those tokens (``----->`` is NLTK's one arrow ``--->``). This set counts them as
    written. 11 of the 81,929 corpus texts have such a run (of ``-``, ``_`` or ``+``)."""
    from emofeat.extractors._text_tokenize import TextTokenizer

    assert tokenize(text) == surface
    assert TextTokenizer(lowercase=False, reduce_len=False).tokenize(text) == lexicon
