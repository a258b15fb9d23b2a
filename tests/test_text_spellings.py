"""Spellings users type that the lexicon set must read as they are meant: accents
typed for an apostrophe, emoji keycaps and subdivision flags, hashtags that start a phrase."""

from __future__ import annotations

import re

import numpy as np
import pytest
from _text_data import all_texts, vader_reference
from conftest import SHARED_DATA
from emofeat.extractors._lexicons import Lexicon
from emofeat.extractors._text_features import TextFeaturizer
from emofeat.extractors._text_tokenize import TextTokenizer, fold

pytest.importorskip("nltk", reason="text features need NLTK: pip install 'emofeat[text]'")

#: an acute or grave accent between two letters, as typed for an apostrophe
_ACCENT_APOSTROPHE = re.compile(r"(?<=[^\W\d_])[\u00b4`](?=[^\W\d_])")


def _with_corpus_texts(hand: list[str], pattern: str) -> list[str]:
    """``hand`` and every text of the shared corpora that ``pattern`` finds in (if present)."""
    root = SHARED_DATA / "text"
    if not root.exists():
        return hand
    return hand + [t for texts in all_texts(root).values() for t in texts
                   if re.search(pattern, t)]


def _accent_texts() -> list[str]:
    hand = ["I don´t like it", "it isn`t good at all", "CAN´T STAND IT!!", "you´re welcome :)",
            "Can´t believe it´s not butter", "they´ve gone. I´m sad", "#don´t &amp; won´t"]
    texts = _with_corpus_texts(hand, _ACCENT_APOSTROPHE.pattern)
    # six GoEmotions comments with ´, one with `
    assert not (SHARED_DATA / "text").exists() or len(texts) - len(hand) >= 7
    return texts


@pytest.mark.parametrize("fast", [True, False])
def test_accents_typed_for_an_apostrophe_read_as_one(fast, tmp_path):
    """``don´t`` (an acute accent, as Spanish and Portuguese keyboards give it) and ``isn`t``
    (a backtick) are the tokens ``don't`` and ``isn't``: the negator and the lexicon entries
    match, and every lexicon and style column equals that of the text written with ``'``, on
    the real texts that spell a word so and hand-made ones (before: ``don``, ``´``, ``t``,
    no negation, AFINN's ``can't stand`` missed). VADER's columns stay vaderSentiment's, which
    reads the text as given (``don´t`` is no negator there)."""
    texts = _accent_texts()
    plain = [_ACCENT_APOSTROPHE.sub("'", t) for t in texts]
    user = tmp_path / "mine.tsv"
    user.write_text("can't stand\tx\t-2\nyou're welcome\tx\t2\nit's\tx\t1\n", encoding="utf-8")
    lexicons = ["vader", "afinn", ("user", user)]
    f = TextFeaturizer(lexicons, style=True, fast=fast, normalise="raw")
    keep = np.array([not n.startswith("lexicon_vader") for n in f.feature_names()])
    a = f.transform(texts)
    b = TextFeaturizer(lexicons, style=True, fast=fast, normalise="raw").transform(plain)
    bad = np.flatnonzero(np.any(a[:, keep] != b[:, keep], axis=1))
    assert not len(bad), f"{len(bad)} texts differ, e.g. {texts[bad[0]]!r}"
    row = dict(zip(f.feature_names(), a[0], strict=True))
    assert row["lexicon_afinn_sum"] == -2  # "like" (+2) negated by "don´t"
    assert TextTokenizer().tokenize(texts[2]) == ["can't", "stand", "it", "!", "!"]
    assert np.array_equal(a[:, :4], vader_reference(texts))


def test_accents_elsewhere_stay():
    """Only an accent between two letters is an apostrophe: kaomoji, Markdown code spans, an
    accent at a word's edge or beside another accent are left as written."""
    for text in ["(´ω`)", "(´・ω・`)", "`code` here", "´", "James´ car", "a´´b", "x`", "1´2"]:
        assert fold(text) == text, text
    assert fold("don´t isn`t ÉTÉ´S") == "don't isn't ÉTÉ'S"


KEYCAPS = ["#\ufe0f\u20e3", "*\ufe0f\u20e3", "0\ufe0f\u20e3", "7\u20e3", "#\u20e3"]
#: Scotland, Wales, England (NLTK knows these three) and Texas, Bavaria (tag sequences NLTK cut)
FLAGS = ["\U0001f3f4" + "".join(chr(0xE0000 + ord(c)) for c in code) + "\U000e007f"
         for code in ("gbsct", "gbwls", "gbeng", "ustx", "debe")]


@pytest.mark.parametrize("fast", [True, False])
def test_keycaps_and_subdivision_flags_are_one_emoji_token(fast):
    """A keycap (``#️⃣``, ``*️⃣``, ``0️⃣``..``9️⃣``) and a subdivision flag (an emoji tag
    sequence) are one emoji token, as Unicode's grapheme clusters and the ``text_surface`` set
    have them: NLTK made ``#️⃣`` two punctuation tokens, ``1️⃣`` a number glued to the digits
    beside it, and a flag other than the UK's ``🏴`` plus one punctuation token per tag
    character. Whole text and chunk by chunk agree, both paths give the same rows."""
    regex = pytest.importorskip("regex")
    from emofeat.extractors.text_surface import tokenize as surface_tokens

    text = " ".join(KEYCAPS + FLAGS) + " go1\ufe0f\u20e3 ab#\ufe0f\u20e3cd " + "".join(FLAGS[3:])
    tok = TextTokenizer(lowercase=False)
    tokens = tok.tokenize(text)
    assert tok.tokenize_many([text]) == [tokens]
    clusters = [c for c in regex.findall(r"\X", fold(text))
                if regex.search(r"\u20e3|\U000e007f", c)]
    assert [t for t in tokens if "\u20e3" in t or "\U000e007f" in t] == clusters
    alone = " ".join(KEYCAPS + FLAGS)
    assert clusters[:len(KEYCAPS + FLAGS)] == [t.replace("\ufe0f", "")
                                               for t in surface_tokens(alone)]
    f = TextFeaturizer([], style=True, fast=fast, normalise="raw")
    row = dict(zip(f.feature_names(), f.transform([text])[0], strict=True))
    n = len(KEYCAPS) + len(FLAGS) + 2 + 2
    assert row["lexicon_style_n_emoji"] == n
    assert row["lexicon_style_n_tokens"] == n + 3  # go, ab, cd
    assert row["lexicon_style_n_punct"] == row["lexicon_style_n_numbers"] == 0


def test_random_mixtures_with_keycaps_and_flags():
    """2,000 random strings of keycaps, flags, their parts, HTML entities, runs, private-use
    characters of plane 16 (the tokenizer's stand-ins) and white space: the batch tokens equal
    the whole text's, the chunk path's rows equal the text-by-text path's, and the VADER
    columns equal vaderSentiment's."""
    import random

    pieces = [*KEYCAPS, *FLAGS, "#", "*", "1", "\u20e3", "\U0001f3f4", "\U000e0067",
              "\U000e007f", "\U00100000", "\U0010fffd", "&amp;", "&#35;", "a", "ok", "!", " ",
              "  ", "\u200d", "\u2764", "#x", ":)", ". .", "...", "😂"]
    rng = random.Random(34)
    texts = ["".join(rng.choice(pieces) for _ in range(rng.randint(0, 12))) for _ in range(2000)]
    for kwargs in ({}, {"reduce_len": False, "lowercase": False}):
        tok = TextTokenizer(**kwargs)
        assert tok.tokenize_many(texts) == [tok.tokenize(t) for t in texts], kwargs
    a = TextFeaturizer(["vader", "afinn"], style=True).transform(texts)
    b = TextFeaturizer(["vader", "afinn"], style=True, fast=False).transform(texts)
    assert np.array_equal(a, b)
    assert np.array_equal(a[:, :4], vader_reference(texts))  # VADER reads the text as given


#: HTML entities as a text export writes them, each with the text as typed: keycaps (with and
#: without the variation selector), a subdivision flag, an apostrophe, a zero-width space (the
#: two GoEmotions comments with an entity hold one), a letter, an emoticon and "&"
ENTITY_TEXTS = {
    "1&#xFE0F;&#x20E3; go": "1\ufe0f\u20e3 go",
    "&#49;&#8419;&#35;&#xfe0f;&#x20e3; top": "1\u20e3#\ufe0f\u20e3 top",
    "vote #&#8419; *&#x20E3;!": "vote #\u20e3 *\u20e3!",
    "".join(f"&#x{ord(c):X};" for c in FLAGS[0]) + " wales": FLAGS[0] + " wales",
    "I don&#8217;t like it &#x200B; at all": "I don\u2019t like it \u200b at all",
    "caf&eacute; &lt;333 &amp; more &#33;": "caf\u00e9 <333 & more !",
}


@pytest.mark.parametrize("fast", [True, False])
def test_html_entities_read_as_the_characters_they_stand_for(fast):
    """A keycap written as HTML entities (``1&#xFE0F;&#x20E3;``, ``&#49;&#8419;``) is the one
    emoji token of the keycap as typed, in both text sets: NLTK decoded the entities after
    the tokenizer's fold and keycap holding, so the lexicon set kept U+FE0F in ``1️⃣`` and cut
    ``#&#8419;`` into ``#`` and ``⃣``, and ``don&#8217;t`` into ``don``, ``’``, ``t`` (no
    negator); ``text_surface`` did not decode at all (``&amp;`` was 3 tokens, the keycap 10).
    Every lexicon and style column equals that of the text as typed, on both paths; VADER's
    columns stay vaderSentiment's, which reads the entities as written."""
    from emofeat.extractors.text_surface import tokenize as surface_tokens

    written, typed = list(ENTITY_TEXTS), list(ENTITY_TEXTS.values())
    tok = TextTokenizer()
    for w, t in zip(written, typed, strict=True):
        assert tok.tokenize(w) == tok.tokenize(t), w
        assert tok.tokenize_many([w]) == [tok.tokenize(t)], w
        assert surface_tokens(w) == surface_tokens(t), w
    assert tok.tokenize(written[1])[:2] == ["1\u20e3", "#\u20e3"]
    f = TextFeaturizer(["vader", "afinn"], style=True, fast=fast, normalise="raw")
    keep = np.array([not n.startswith("lexicon_vader") for n in f.feature_names()])
    a, b = f.transform(written), f.transform(typed)
    bad = np.flatnonzero(np.any(a[:, keep] != b[:, keep], axis=1))
    assert not len(bad), f"{len(bad)} texts differ, e.g. {written[bad[0]]!r}"
    assert np.array_equal(a[:, :4], vader_reference(written))


def _hashtag_texts() -> list[str]:
    return _with_corpus_texts(
        ["#kind of good", "#not good at all", "this is no #fun", "#never forget",
         "#very good", "so #no fun!", "#NotGood but #Kind of #Happy", "#no #fun"],
        r"(?<!\S)#[^\W\d_]")


@pytest.mark.parametrize("fast", [True, False])
def test_a_hashtag_is_its_word_in_phrases_negation_and_intensifiers(fast, tmp_path):
    """A hashtag reads as its word everywhere in the lexicon columns, as it already did for a
    single word (``#happy``): ``#kind of good`` has the AFINN phrase ``kind of`` (0, it stops
    ``kind`` +2), ``#not good`` the phrase ``not good``, ``no #fun`` ``no fun``; ``#never`` is a
    negator and ``#very`` an intensifier (as VADER, which strips the ``#``, reads them; the
    afinn package matches words and phrases at word boundaries, so inside hashtags too).
    Every lexicon column of the hand texts and of every real text with a hashtag equals that
    of the text with the hashtags' ``#`` removed. ``#not_good`` and ``#feelinggood`` stay one
    word that no lexicon spells (NLTK and the afinn package alike read one word)."""
    texts = _hashtag_texts()
    plain = [re.sub(r"(?<!\S)#(?=[^\W\d_])", "", t) for t in texts]
    user = tmp_path / "mine.tsv"
    user.write_text("kind of\tx\t1\nno fun\tx\t-2\nfun\tx\t2\nnot good\tx\t-1\n",
                    encoding="utf-8")
    lexicons = ["afinn", ("user", user)]
    emolex = SHARED_DATA / "lexicons" / "nrc_emolex" / "NRC-Emotion-Lexicon-Wordlevel-v0.92.txt"
    if emolex.exists():
        lexicons.append(("nrc_emolex", emolex))
    for kw in ({}, {"negation": "drop", "negation_scope": 2}):
        f = TextFeaturizer(lexicons, style=False, fast=fast, normalise="raw", **kw)
        a = f.transform(texts)
        b = TextFeaturizer(lexicons, style=False, fast=fast, normalise="raw", **kw).transform(
            plain)
        bad = np.flatnonzero(np.any(a != b, axis=1))
        assert not len(bad), f"{kw}: {len(bad)} texts differ, e.g. {texts[bad[0]]!r}"
    # a key spelt with "#" (a Lexicon built in code: "#" starts a comment line in a file)
    tags = Lexicon("tags", ("x",), {"#blessed day": {"x": 3.0}, "blessed": {"x": 1.0}})
    f = TextFeaturizer([*lexicons, tags], style=False, fast=fast, normalise="raw")
    rows = [dict(zip(f.feature_names(), r, strict=True)) for r in f.transform(
        ["#kind of good", "#not good", "#not_good #feelinggood", "#blessed day", "blessed day",
         "#never #forget"])]
    assert (rows[0]["lexicon_afinn_sum"], rows[0]["lexicon_afinn_n_matched"]) == (3, 1)
    assert rows[1]["lexicon_afinn_sum"] == -2 and rows[1]["lexicon_mine_x_sum"] == -1
    assert rows[2]["lexicon_afinn_n_matched"] == rows[2]["lexicon_mine_n_matched"] == 0
    assert rows[3]["lexicon_tags_x_sum"] == 3  # a phrase spelt with "#" matches as written
    assert rows[4]["lexicon_tags_x_sum"] == 1  # and only so: "blessed day" is "blessed"
    assert rows[5]["lexicon_afinn_sum"] == 1  # AFINN forget -1, negated


def _vader_emoji() -> set[str]:
    """The single code points of VADER's emoji lexicon (Unicode's emoji list as vaderSentiment
    ships it), U+FE0F dropped."""
    from emofeat.lexicons import lexicon_path

    with open(lexicon_path("vader", "emoji_utf8_lexicon.txt"), encoding="utf-8") as f:
        keys = (line.split("\t")[0].replace("\ufe0f", "") for line in f)
        return {k for k in keys if len(k) == 1}


@pytest.mark.parametrize("fast", [True, False])
def test_emoji_are_unicode_emoji_not_every_symbol(fast):
    """An emoji token holds one of Unicode's emoji (as listed by VADER's emoji lexicon) or a
    flag; other symbols (``°``, ``♪``, ``☆``, ``♡``, the Braille patterns of text art) are no
    emoji: one GoEmotions comment of Braille art counted 401 emoji in ``n_emoji`` (every
    symbol of category So was one). Checked token by token on every corpus text (a token with
    a letter is a word, ``🅱endies``; AFINN's emoticon ``♥`` stays an emoticon)."""
    from emofeat.extractors._text_kernels import T_EMOJI, T_EMOTICON, T_WORD

    keys = _vader_emoji()
    hand = ["25°C ♪ ☆ ♡ ♫ ⣿⣿⣿ ¦", "©️ ‼️ 😂 🇫🇷 👍🏽", "⠀⣤⣶ ok"]
    root = SHARED_DATA / "text"
    corpus = [t for texts in all_texts(root).values() for t in texts] if root.exists() else []
    f = TextFeaturizer([], style=True, fast=fast, normalise="raw")
    X = f.transform(hand + corpus)
    n_emoji = X[:, f.feature_names().index("lexicon_style_n_emoji")]
    assert n_emoji[:3].tolist() == [0, 5, 0]
    for tok, ty in zip(f._tokens, f._type.values, strict=True):
        want = any(c in keys or 0x1F1E6 <= ord(c) <= 0x1F1FF for c in tok)
        if ty not in (T_EMOTICON, T_WORD):
            assert (ty == T_EMOJI) == want, tok
    if corpus:
        art = [k for k, t in enumerate(corpus) if "\u28ff" in t]
        assert len(art) == 1 and n_emoji[3 + art[0]] == 0  # 401 before


def test_a_hashtag_with_a_large_token_id_still_reads_as_its_word():
    """Phrase keys pack three token ids of 21 bits; a hashtag first seen after 2**21 other
    tokens (a long stream) has an id that does not fit, but its word, as every phrase word,
    does: the phrase is looked up with the word (the kernel's helper, run as Python)."""
    from emofeat.extractors._text_kernels import ID_BITS, _phrase

    kind, of = 5, 7  # ids of "kind" and "of"; "#kind" got an id past the packing limit
    tag = (1 << ID_BITS) + 3
    keys = np.array([(kind << ID_BITS) | of], dtype=np.int64)
    rows = np.array([42], dtype=np.int64)
    ids, words = np.array([tag, of]), np.array([kind, of])
    # (the third array reads the phrase's last word: a word with 's as its word, there only)
    assert _phrase.py_func(ids, words, words, 0, 2, 2, keys, rows) == 42
    assert _phrase.py_func(ids, ids, ids, 0, 2, 2, keys, rows) == -1  # no word to read it as
    assert _phrase.py_func(words, words, words, 0, 2, 2, keys, rows) == 42


def _spaced_dot_texts() -> list[str]:
    return _with_corpus_texts(
        ["not . . . good", "I hope we win. .500 would be fine", "a . . . b. c", "so . . good"],
        r"\.[^\S\r\n]+\.")


@pytest.mark.parametrize("fast", [True, False])
def test_a_spaced_ellipsis_ends_sentences_and_clauses_as_dots_do(fast):
    """NLTK makes spaced dots one ellipsis token (``. . .``; also ``win. .500``, a full stop
    and the next chunk's dot, as ``. .``), which held white space and so was no sentence end
    and no clause break: ``not . . . good`` negated ``good`` where ``not... good`` did not,
    and 23 of the 31 corpus texts with such dots lost sentences. The sentence count and the
    lexicon columns of each text equal those of the text with the dots written together."""
    texts = _spaced_dot_texts()
    squeezed = [re.sub(r"\.(?:[^\S\r\n]*\.)+", lambda m: "".join(m.group().split()), t)
                for t in texts]
    assert squeezed != texts
    f = TextFeaturizer(["afinn"], style=True, fast=fast, normalise="raw")
    names = f.feature_names()
    keep = [names.index(c) for c in names
            if c.startswith("lexicon_afinn") or c in ("lexicon_style_n_sentences",
                                                      "lexicon_style_n_tokens")]
    a = f.transform(texts)[:, keep]
    b = TextFeaturizer(["afinn"], style=True, fast=fast, normalise="raw").transform(
        squeezed)[:, keep]
    bad = np.flatnonzero(np.any(a != b, axis=1))
    assert not len(bad), f"{len(bad)} texts differ, e.g. {texts[bad[0]]!r}"
    row = dict(zip(names, f.transform(["not . . . good"])[0], strict=True))
    assert row["lexicon_afinn_sum"] == 3 and row["lexicon_style_n_sentences"] == 2


@pytest.mark.parametrize("encoding", ["utf-8", "latin-1-fallback"])
def test_user_lexicon_keys_may_start_with_a_hash(tmp_path, encoding):
    """A user lexicon line keyed ``#blessed`` or by the keycap ``#️⃣`` (VADER's own emoji
    lexicon has two such lines) was skipped as a comment without a word, so hashtag and
    keycap entries could never match; a ``#`` line that is ``#key<TAB>category<TAB>number``
    is an entry now, and comments (``#`` then a space, or any other ``#`` line) stay
    comments. The file read whole and line by line (a file that is not clean UTF-8 is
    read line by line to name its bad line) keeps the same lines."""
    from emofeat.extractors._lexicons import LexiconFormatError, load_user_lexicon

    text = ("# my hashtags\n#blessed\tjoy\t1\n# word\tcategory\tscore\n#\ufe0f\u20e3\tfun\t2\n"
            "#metoo\tanger\t-0.5\nhappy\tjoy\t1\n# commented\tjoy\t3\n#also a comment\n")
    path = tmp_path / "tags.tsv"
    path.write_bytes(text.encode("utf-8") + (b"caf\xe9\tjoy\t1\n" if encoding != "utf-8" else b""))
    if encoding != "utf-8":  # the line-by-line reader: the same lines, then the bad one
        with pytest.raises(LexiconFormatError, match="line 9: not UTF-8"):
            load_user_lexicon(path)
        path.write_bytes(text.encode("utf-8"))
    lex = load_user_lexicon(path)
    assert lex.entries == {"#blessed": {"joy": 1.0}, "#\u20e3": {"fun": 2.0},
                           "#metoo": {"anger": -0.5}, "happy": {"joy": 1.0}}
    f = TextFeaturizer([("user", path, "tags")], style=False, normalise="raw")
    row = dict(zip(f.feature_names(), f.transform(["we #blessed #\ufe0f\u20e3 #MeToo"])[0],
                   strict=True))
    assert (row["lexicon_tags_joy_sum"], row["lexicon_tags_fun_sum"],
            row["lexicon_tags_anger_sum"]) == (1, 2, -0.5)
