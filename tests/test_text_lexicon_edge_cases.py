"""Edge cases of the lexicon set found by an audit: look-alike apostrophes, AFINN emoticons,
variation selectors, 0-scored entries, intensifiers on bounded scales, and lexicon files that
are empty, not UTF-8, or whose names would clash. Every NRC-format file here is a tiny fixture
written by the test (the NRC lexicons may not be redistributed)."""

from __future__ import annotations

import math
import random

import numpy as np
import pytest
from _text_data import goemotions_texts, isear_texts
from conftest import SHARED_DATA
from emofeat.extractors import LexiconFeatures
from emofeat.extractors._lexicons import (
    Lexicon,
    LexiconFormatError,
    LexiconWarning,
    load_afinn,
    load_nrc_emolex,
    load_nrc_intensity,
    load_nrc_vad,
    load_user_lexicon,
)
from emofeat.extractors._text_features import TextFeaturizer
from emofeat.extractors._text_tokenize import TextTokenizer

from emofeat.lexicons import lexicon_path

pytest.importorskip("nltk", reason="text features need NLTK: pip install 'emofeat[text]'")

APOSTROPHES = ("\u2019", "\u2018", "\u02bc", "\uff07")


def _row(featurizer, text):
    return dict(zip(featurizer.feature_names(), featurizer.transform([text])[0], strict=True))


def _afinn(**kw):
    return TextFeaturizer(["afinn"], style=False, normalise="raw", **kw)


# -- 1. curly apostrophes ----------------------------------------------------------------------
def test_curly_apostrophes_negate_and_match_phrases():
    X = LexiconFeatures(lexicons=["afinn"], style=False, normalise="raw").fit_transform(
        ["isn't good", "isn’t good", "can't stand it", "can’t stand it"])
    assert X[:, 0].tolist() == [-3.0, -3.0, -3.0, -3.0]
    tok = TextTokenizer()
    for a in APOSTROPHES:
        assert tok.tokenize(f"I don{a}t like it") == ["i", "don't", "like", "it"], hex(ord(a))
        assert tok.tokenize_many([f"isn{a}t good"]) == [["isn't", "good"]]


def _non_vader(f: TextFeaturizer) -> np.ndarray:
    return np.array([not n.startswith("lexicon_vader") for n in f.feature_names()])


def _curly_texts():
    root = SHARED_DATA / "text"
    hand = ["isn’t it good?", "‘good’ — I can’t stand it’s", "don＇t", "donʼt stop", "’’’ok’’’",
            "I’M SOOO HAPPY’", "Wasn’t bad at all :)", "&amp; it’s . . . fine", "a\x1cdoesn’t"]
    if not root.exists():
        return hand
    rng = random.Random(11)
    curly = [t for t in goemotions_texts(root, "train") if "\u2019" in t]
    straight = [t for t in goemotions_texts(root, "train") + isear_texts(root) if "'" in t]
    texts = hand + curly  # every GoEmotions train text with a U+2019 (5,328)
    for k, a in enumerate(APOSTROPHES):  # and straight ones made curly, each look-alike
        texts += [t.replace("'", a) for t in rng.sample(straight, 400 if k else 100)]
    return texts


@pytest.mark.parametrize("fast", [True, False])
def test_curly_and_straight_apostrophes_give_identical_features(fast, tmp_path):
    """Real texts: every lexicon and style column (n_tokens, n_words included) is the same
    with curly and with straight apostrophes; only VADER's columns (VADER sees the text as
    given, as vaderSentiment does) may differ."""
    texts = _curly_texts()
    straight = [t.translate({ord(a): "'" for a in APOSTROPHES}) for t in texts]
    assert straight != texts
    user = tmp_path / "mine.tsv"
    user.write_text("don't\tx\t1\nit's\tx\t0.5\ncan't stand\tx\t2\n", encoding="utf-8")
    lexicons = ["vader", "afinn", ("user", user)]
    for kw in ({}, {"normalise": "raw", "negation": "drop", "negation_scope": 2}):
        f = TextFeaturizer(lexicons, style=True, fast=fast, **kw)
        keep = _non_vader(f)
        a = f.transform(texts)[:, keep]
        b = TextFeaturizer(lexicons, style=True, fast=fast, **kw).transform(straight)[:, keep]
        bad = np.flatnonzero(np.any(a != b, axis=1))
        assert not len(bad), f"{len(bad)} texts differ, e.g. {texts[bad[0]]!r}"


# -- 2. AFINN emoticons ------------------------------------------------------------------------
def _afinn_file(name):
    out = []
    for line in lexicon_path("afinn", name).read_text(encoding="utf-8").splitlines():
        if line.strip():
            word, score = line.rsplit("\t", 1)
            out.append((word, float(score)))
    return out


@pytest.mark.parametrize("fast", [True, False])
def test_every_afinn_emoticon_scores_itself(fast):
    entries = _afinn_file("AFINN-emoticon-8.txt")
    assert len(entries) == 96
    for kw in ({"negation": "none", "intensifiers": False}, {}):
        f = _afinn(fast=fast, **kw)
        X = f.transform([f"zzz {e} zzz" for e, _ in entries])
        for (e, score), row in zip(entries, X, strict=True):
            assert row[0] == score, (e, score, row[0])
            assert row[4] == (score != 0), e  # '://' is 0: no match (see the 0-entry rule)
    # an emoticon is one token, counted as an emoticon, whatever its case
    f = TextFeaturizer([], style=True, fast=fast)
    for e in (":-))))))", "xD", "XD", "\\o/", "<333", ":S", "8D"):
        row = _row(f, f"zzz {e} zzz")
        assert row["lexicon_style_n_tokens"] == 3 and row["lexicon_style_n_emoticon"] == 1, e
    # inside a chunk, a token NLTK makes equal to one of them keeps its case
    assert _row(_afinn(fast=fast), "zzz xD.")["lexicon_afinn_sum"] == 3.0


def test_tokenizer_keeps_the_bundled_emoticons():
    from emofeat.extractors._text_tokenize import emoticons

    assert emoticons() == {e for e, _ in _afinn_file("AFINN-emoticon-8.txt")}


def test_every_afinn_word_and_phrase_scores_itself():
    entries = _afinn_file("AFINN-en-165.txt")
    assert len(entries) == 3382
    f = _afinn(negation="none", intensifiers=False)
    X = f.transform([f"zzz {w} zzz" for w, _ in entries])
    bad = [(w, s, row[0]) for (w, s), row in zip(entries, X, strict=True) if row[0] != s]
    assert not bad, bad[:10]
    # an emoticon chunk does not change how other chunks tokenise (URLs, words)
    tok = TextTokenizer()
    assert tok.tokenize("see http://x.co/a :// ok") == ["see", "<url>", "://", "ok"]


# -- 3. empty NRC VAD file ---------------------------------------------------------------------
@pytest.mark.parametrize("content", ["", "# only a comment\n\n",
                                     "Word\tValence\tArousal\tDominance\n"])
def test_empty_vad_file_raises_no_entries(tmp_path, content):
    path = tmp_path / "vad.txt"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(LexiconFormatError, match=r"vad.txt: no entries"):  # no "line 0"
        load_nrc_vad(path)
    for loader in (load_nrc_emolex, load_nrc_intensity, load_user_lexicon):
        if content.startswith("Word"):
            continue  # a 4-field line is malformed for them
        with pytest.raises(LexiconFormatError, match="no entries"):
            loader(path)


def test_a_one_line_lexicon_whose_score_is_no_number_says_so(tmp_path):
    """The only line of an NRC Intensity (or user) file with a bad score was taken as a
    header and the error read "line 0: no entries"; it names that line and its score (a
    mistyped number is no header name: refused as the score it is; a header alone, as
    having no entries)."""
    path = tmp_path / "intensity.txt"
    path.write_text("outraged\tanger\t0.9x\n", encoding="utf-8")
    for loader in (load_nrc_intensity, load_user_lexicon):
        with pytest.raises(LexiconFormatError, match=r"intensity.txt, line 1: score '0.9x' is "
                           r"not a number"):
            loader(path)
    path.write_text("word\temotion\tscore\n", encoding="utf-8")
    for loader in (load_nrc_intensity, load_user_lexicon):
        with pytest.raises(LexiconFormatError, match=r"intensity.txt, line 1: no entries: the "
                           r"only line was taken as a header \(its score 'score' is not a "
                           r"number\)"):
            loader(path)


# -- 4. intensifiers on bounded scales ---------------------------------------------------------
@pytest.fixture
def rating_files(tmp_path):
    vad = tmp_path / "vad.txt"
    vad.write_text("terrible\t0.05\t0.8\t0.3\nhappy\t0.95\t0.7\t0.8\n", encoding="utf-8")
    inten = tmp_path / "intensity.txt"
    inten.write_text("terrible\tfear\t0.6\nhappy\tjoy\t0.7\n", encoding="utf-8")
    return vad, inten


def test_intensifiers_scale_signed_lexicons_only(rating_files):
    vad, inten = rating_files
    f = TextFeaturizer(["afinn", ("nrc_vad", vad), ("nrc_intensity", inten)], style=False,
                       normalise="raw")
    for word in ("terrible", "happy"):
        plain = _row(f, word)
        for adverb in ("very", "extremely", "slightly"):
            row = _row(f, f"{adverb} {word}")
            for name, value in plain.items():
                if name.startswith(("lexicon_nrc_vad", "lexicon_nrc_intensity")):
                    assert row[name] == value, (adverb, word, name)
    assert _row(f, "very happy")["lexicon_nrc_vad_valence_mean"] == 0.95
    assert _row(f, "very terrible")["lexicon_nrc_vad_valence_mean"] == 0.05
    # AFINN (signed, centred on 0) still is: "very bad" more negative, "very good" more positive
    assert math.isclose(_row(f, "very terrible")["lexicon_afinn_sum"], -3 * 1.293)
    assert math.isclose(_row(f, "very happy")["lexicon_afinn_sum"], 3 * 1.293)
    # a user lexicon follows its kind
    rating = Lexicon("r", ("x",), {"calm": {"x": 0.4}}, "rating")
    signed = Lexicon("s", ("x",), {"calm": {"x": 0.4}}, "signed")
    g = TextFeaturizer([rating, signed], style=False, normalise="raw")
    row = _row(g, "very calm")
    assert row["lexicon_r_x_sum"] == 0.4 and math.isclose(row["lexicon_s_x_sum"], 0.4 * 1.293)


# -- 5. variation selectors and skin tones -----------------------------------------------------
@pytest.mark.parametrize("fast", [True, False])
def test_variation_selector_stays_with_its_emoji(fast):
    f = TextFeaturizer([], style=True, fast=fast)
    heart = _row(f, "❤")
    for text in ("❤️", "❤\ufe0e"):
        row = _row(f, text)
        assert row["lexicon_style_n_tokens"] == 1 and row["lexicon_style_n_punct"] == 0
        assert row["lexicon_style_n_emoji"] == 1
        assert row["lexicon_style_emoji_valence_sum"] == heart["lexicon_style_emoji_valence_sum"]
    row = _row(f, "I ❤️ you 👍🏽 ☺️ 🏳️‍🌈")
    assert row["lexicon_style_n_tokens"] == 6 and row["lexicon_style_n_emoji"] == 4
    assert row["lexicon_style_n_punct"] == 0
    tok = TextTokenizer()
    texts = ["❤️", "I ❤️ you", "👍🏽👍🏽", "🤷\u200d♀️ ok", "a \ufe0f b", "&amp; ❤️", "\ufe0f"]
    assert tok.tokenize("🏳️‍🌈") == ["🏳\u200d🌈"] and tok.tokenize("👍🏽") == ["👍🏽"]
    assert tok.tokenize_many(texts) == [tok.tokenize(t) for t in texts]
    assert tok.tokenize("a \ufe0f b") == ["a", "b"]


@pytest.mark.parametrize("fast", [True, False])
def test_joiners_that_join_nothing_are_dropped(fast):
    """GoEmotions cut emoji out of joiner sequences and left their joiners
    (``roommates.\\u200d♀️``): NLTK glued the full stop to the emoji (one emoji token, no
    punctuation, no sentence end) and made a joiner after white space a punctuation token. A
    joiner at a chunk's start or end or beside punctuation joins nothing: the style cues are
    those of the text without it. Joiners in emoji sequences and inside words stay."""
    f = TextFeaturizer(["vader", "afinn"], style=True, fast=fast)
    keep = [n for n in f.feature_names() if not n.startswith("lexicon_vader")]
    for dirty, clean in (("Just get divorced and be roommates.\u200d♀️",
                          "Just get divorced and be roommates.♀️"),
                         ("He’s still a handsome fella, imo. \u200d♀️",
                          "He’s still a handsome fella, imo. ♀️"),
                         ("the daily fam \u200d♀️\u200d♂️\u200d", "the daily fam ♀️\u200d♂️"),
                         ("so good\u200d!", "so good!")):
        a, b = _row(f, dirty), _row(f, clean)
        assert [a[n] for n in keep] == [b[n] for n in keep], dirty
    row = _row(f, "Just get divorced and be roommates.\u200d♀️")
    assert row["lexicon_style_n_punct"] == 1 and row["lexicon_style_n_emoji"] == 1
    assert row["lexicon_style_n_sentences"] == 2 and row["lexicon_style_n_tokens"] == 8
    tok = TextTokenizer()
    kept = ["👨\u200d👩\u200d👧", "क्\u200dष", "می\u200cخواهم", "🏳️\u200d🌈"]
    assert tok.tokenize(" ".join(kept)) == [t.replace("\ufe0f", "") for t in kept]



def test_joiners_beside_letters_the_fold_makes_punctuation_are_dropped():
    """Regression: since joiners were judged before the compatibility fold (69f7d94), a
    joiner beside a letter that folds to punctuation (U+013F and U+0140: L and a middle dot;
    U+0149: an apostrophe and n; U+02BC: an apostrophe) stayed, so the tokenizer made it a
    token of its own: '  Ŀ\u200c´' gave a '\u200c' token. They are judged again after the
    fold where one of the four is in the text, as the tokenizer sees them; and these four are
    all the fold table's characters that change a neighbour of a joiner between punctuation
    (or white space) and not."""
    import unicodedata

    from emofeat.extractors._text_tokenize import (
        _FOLD_MAKES_PUNCTUATION,
        _fold_table,
        fold,
    )

    tok = TextTokenizer()
    for text in ("  \u013f\u200c\u00b4", "x\u02bc\u200cy", "x\u200c\u02bcy",
                 "a\u0140\u200d b", "\u0149\u200d!"):
        got = tok.tokenize(text)
        assert not any(set(t) <= {"\u200c", "\u200d"} for t in got), (text, got)
        assert "\u200c" not in fold(text) and "\u200d" not in fold(text), text
    # between letters as the tokenizer sees them, a joiner stays ('n, then x)
    assert fold("\u0149\u200cx") == "'n\u200cx"

    def loose(c):
        return c.isspace() or unicodedata.category(c)[0] == "P"

    changing = {chr(c) for c, to in _fold_table().items()
                if to and (loose(chr(c)) != loose(to[0]) or loose(chr(c)) != loose(to[-1]))}
    assert changing == set(_FOLD_MAKES_PUNCTUATION)

# -- 6. 0-scored entries -----------------------------------------------------------------------
def test_zero_scored_entries_consume_words_but_are_not_matches():
    f = _afinn()
    row = _row(f, "kind of good")
    assert row["lexicon_afinn_sum"] == 3.0 and row["lexicon_afinn_mean"] == 3.0
    assert row["lexicon_afinn_n_matched"] == 1.0
    row = _row(f, "some kind of idiot")  # the afinn package: scores [0, -3]
    assert row["lexicon_afinn_sum"] == -3.0 and row["lexicon_afinn_mean"] == -3.0
    assert row["lexicon_afinn_n_matched"] == 1.0
    assert _row(f, "a kind")["lexicon_afinn_sum"] == 2.0  # "kind" alone still matches
    row = _row(f, "kind of")
    assert row["lexicon_afinn_n_matched"] == 0.0 and row["lexicon_afinn_mean"] == 0.0
    # a 0 rating (the lowest valence of a 0..1 scale) is a rating and counts
    lex = Lexicon("v", ("valence",), {"awful": {"valence": 0.0}, "nice": {"valence": 1.0}},
                  "rating")
    row = _row(TextFeaturizer([lex], style=False, normalise="raw"), "awful nice")
    assert row["lexicon_v_valence_mean"] == 0.5 and row["lexicon_v_n_matched"] == 2.0
    # a 0 in a binary lexicon built by hand is no association
    lex = Lexicon("b", ("joy",), {"meh": {"joy": 0.0}, "yay": {"joy": 1.0}}, "binary")
    row = _row(TextFeaturizer([lex], style=False, normalise="raw"), "meh yay")
    assert row["lexicon_b_joy"] == 1.0 and row["lexicon_b_n_matched"] == 1.0


# -- 7. encodings, header after comments, clashing names ---------------------------------------
LOADERS = {"user": load_user_lexicon, "emolex": load_nrc_emolex, "vad": load_nrc_vad,
           "intensity": load_nrc_intensity}
CONTENT = {"user": "happy\tjoy\t1\ncafé\tjoy\t0.5\n", "emolex": "happy\tjoy\t1\ncafé\tjoy\t1\n",
           "vad": "happy\t0.9\t0.5\t0.6\ncafé\t0.6\t0.4\t0.5\n",
           "intensity": "happy\tjoy\t0.8\ncafé\tjoy\t0.5\n"}


@pytest.mark.parametrize("kind", sorted(LOADERS))
def test_non_utf8_lexicon_files_raise_format_errors(tmp_path, kind):
    load, text = LOADERS[kind], CONTENT[kind]
    cases = {"latin1": (text.encode("latin-1"), r"line 2: not UTF-8 text"),
             "utf16": (text.encode("utf-16"), r"line 1: the file is UTF-16"),
             "utf32": (text.encode("utf-32"), r"line 1: the file is UTF-32"),
             "utf16le": (text.encode("utf-16-le"), r"line 1: NUL characters")}
    for name, (data, message) in cases.items():
        path = tmp_path / f"{kind}_{name}.txt"
        path.write_bytes(data)
        with pytest.raises(LexiconFormatError, match=rf"{kind}_{name}.txt, {message}"):
            load(path)
    ok = tmp_path / f"{kind}_bom.txt"
    ok.write_bytes(b"\xef\xbb\xbf" + text.encode("utf-8"))
    assert "café" in load(ok).entries


def test_vad_header_after_comments(tmp_path):
    path = tmp_path / "vad.txt"
    path.write_text("# NRC VAD, my copy\n\nWord\tValence\tArousal\tDominance\n"
                    "happy\t0.9\t0.5\t0.6\n", encoding="utf-8")
    lex = load_nrc_vad(path)
    assert lex.entries == {"happy": {"valence": 0.9, "arousal": 0.5, "dominance": 0.6}}


def test_clashing_column_names_are_refused(tmp_path):
    path = tmp_path / "mine.tsv"
    path.write_text("happy\tjoy\t1\nsad\tn_matched\t1\n", encoding="utf-8")
    with pytest.raises(ValueError, match=r"lexicon_mine_n_matched.*would be made twice"):
        TextFeaturizer([("user", path)])
    with pytest.raises(ValueError, match="would be made twice"):
        LexiconFeatures(lexicons=[("user", path)]).fit([])
    a = Lexicon("a", ("b_c",), {"x": {"b_c": 1.0}}, "binary")
    ab = Lexicon("a_b", ("c",), {"y": {"c": 1.0}}, "binary")
    with pytest.raises(ValueError, match=r"lexicon_a_b_c"):
        TextFeaturizer([a, ab])
    style = Lexicon("style", ("n_tokens",), {"x": {"n_tokens": 1.0}}, "binary")
    with pytest.raises(ValueError, match=r"lexicon_style_n_tokens"):
        TextFeaturizer([style], style=True)
    # the same category in a rating lexicon makes distinct names: accepted
    path.write_text("happy\tjoy\t0.5\nsad\tn_matched\t0.2\n", encoding="utf-8")
    assert "lexicon_mine_n_matched_sum" in TextFeaturizer([("user", path)]).feature_names()


# -- 8. bytes ----------------------------------------------------------------------------------
def test_bytes_are_refused_as_docs_say():
    from emofeat.errors import SignalTypeError

    with pytest.raises(SignalTypeError, match=r"<text 0>: bytes is not a text"):
        LexiconFeatures().fit_transform([b"caf\xc3\xa9"])
    assert load_afinn().entries["good"] == {"score": 3.0}


def test_entries_spelt_with_long_runs_match_the_reduced_tokens(tmp_path):
    """The tokenizer cuts a run of one letter to three ("gooood" -> "goood"), so an entry
    spelt with a longer run (NRC VAD and Intensity have some) is looked up as the tokens are
    spelt; a lexicon's own three-letter spelling keeps its score."""
    path = tmp_path / "runs.txt"
    path.write_text("gooood\tscore\t3\nhateeee\tscore\t-2\nnice\tscore\t1\n"
                    "boooo\tscore\t-1\nbooo\tscore\t-4\n", encoding="utf-8")
    ext = LexiconFeatures(lexicons=[("user", str(path), "runs")], style=False,
                          normalise="raw")
    X = ext.fit_transform(["gooood", "goooooood", "hateeeeeee it", "nice", "boooo", "booo"])
    names = list(ext.get_feature_names_out())
    total = X[:, names.index("lexicon_runs_sum")]
    assert total.tolist() == [3, 3, -2, 1, -4, -4]


def test_series_and_manifest_items_that_are_not_texts_are_refused():
    """A Series or a DataFrame's text column is checked as a list is: a number, bytes or a list
    is refused naming its position (it was once scored as its str()); missing values are
    empty texts."""
    import pandas as pd

    from emofeat.errors import SignalTypeError

    for bad in (pd.Series(["ok", 2]), pd.DataFrame({"text": ["ok", b"bytes"]})):
        with pytest.raises(SignalTypeError, match="<text 1>.*not a text"):
            LexiconFeatures().fit_transform(bad)
    X = LexiconFeatures().fit_transform(pd.Series(["good", None, pd.NA]))
    assert X.shape[0] == 3


# -- 9. lexicon keys: folded like the texts, at most 3 words, one score per pair ---------------
@pytest.mark.parametrize("fast", [True, False])
def test_lexicon_keys_are_folded_like_the_texts(fast, tmp_path):
    """A key written with a curly apostrophe or an emoji variation selector (as Word, Excel or a
    copy-paste save it) matches: keys get the fold the texts get, so curly and straight
    apostrophes give identical columns whichever side they are on. (Such keys once matched
    nothing: n_matched 0.)"""
    path = tmp_path / "mine.tsv"
    path.write_text("can\u2019t stand\tneg\t-3\nisn\u2018t\tneg\t-1\ndon\uff07t care\tneg\t-2\n"
                    "\u2764\ufe0f\tlove\t3\n\u263a\ufe0e\tlove\t2\n", encoding="utf-8")
    lex = load_user_lexicon(path)
    assert set(lex.entries) == {"can't stand", "isn't", "don't care", "\u2764", "\u263a"}
    f = TextFeaturizer([("user", path, "mine")], style=False, normalise="raw", fast=fast)
    for texts, neg, love in ((["I can't stand it", "I can\u2019t stand it"], -3, 0),
                             (["isn't", "isn\u02bct", "isn\u2019t"], -1, 0),
                             (["I don't care", "I don\u2019t care"], -2, 0),
                             (["I \u2764\ufe0f you", "I \u2764 you"], 0, 3),
                             (["\u263a", "\u263a\ufe0f"], 0, 2)):
        for text in texts:
            row = _row(f, text)
            assert row["lexicon_mine_n_matched"] == 1.0, text
            assert row["lexicon_mine_neg_sum"] == neg and row["lexicon_mine_love_sum"] == love
    # every loader, and a Lexicon built in code (its keys' case kept)
    vad = tmp_path / "vad.txt"
    vad.write_text("can\u2019t\t0.2\t0.5\t0.4\n", encoding="utf-8")
    emolex = tmp_path / "emolex.txt"
    emolex.write_text("\u2764\ufe0f\tjoy\t1\n", encoding="utf-8")
    afinn = tmp_path / "afinn.txt"
    afinn.write_text("won\u2019t  work\t-2\n", encoding="utf-8")
    assert list(load_nrc_vad(vad).entries) == ["can't"]
    assert list(load_nrc_emolex(emolex).entries) == ["\u2764"]
    intensity = tmp_path / "intensity.txt"  # NRC Intensity rates 0..1
    intensity.write_text("can\u2019t stand\tanger\t0.5\nisn\u2018t\tsadness\t0.3\n",
                         encoding="utf-8")
    assert list(load_nrc_intensity(intensity).entries) == ["can't stand", "isn't"]
    assert list(load_afinn(afinn).entries) == ["won't work"]
    coded = Lexicon("c", ("x",), {"can\u2019t  stand": {"x": 1.0}, "\u2764\ufe0f": {"x": 2.0}})
    assert list(coded.entries) == ["can't stand", "\u2764"]
    assert _row(TextFeaturizer([coded], style=False, normalise="raw", fast=fast),
                "\u2764\ufe0f I can\u2019t stand")["lexicon_c_x_sum"] == 3.0
    assert list(Lexicon("c", ("x",), {"Isn\u2019t": {"x": 1.0}}).entries) == ["isn't"]


def test_phrases_longer_than_three_words_are_refused(tmp_path):
    """The matcher looks for phrases of at most 3 words, so a longer key, which would load and
    never match, is refused naming the file, line and limit; in NRC VAD, whose v2 lists
    multiword expressions, it is left out with a warning (tests/test_text_nrc_vad21_54.py)."""
    files = {load_user_lexicon: "happy\tjoy\t1\nover the moon today\tjoy\t3\n",
             load_nrc_intensity: "happy\tjoy\t0.5\nover the moon today\tjoy\t0.9\n",
             load_nrc_emolex: "happy\tjoy\t1\nover the moon today\tjoy\t0\n",
             load_afinn: "happy\t3\nover the moon today\t3\n"}
    vad = tmp_path / "vad.txt"
    vad.write_text("happy\t0.9\t0.5\t0.6\nover the moon today\t0.9\t0.5\t0.6\n", encoding="utf-8")
    with pytest.warns(LexiconWarning, match=r"vad.txt: 1 entry of more than 3 words left out "
                                            r"\(the first: line 2, 'over the moon today'\)"):
        assert list(load_nrc_vad(vad).entries) == ["happy"]
    for k, (load, text) in enumerate(files.items()):
        path = tmp_path / f"lex{k}.txt"
        path.write_text(text, encoding="utf-8")
        with pytest.raises(LexiconFormatError, match=rf"lex{k}.txt, line 2: 'over the moon "
                                                     r"today' has 4 words.* at most 3"):
            load(path)
        path.write_text(text.replace(" today", ""), encoding="utf-8")
        assert load(path).max_words == 3 or load is load_nrc_emolex  # its 0 line is no entry
    with pytest.raises(ValueError, match="'a b c d' has 4 words"):
        Lexicon("c", ("x",), {"a b c d": {"x": 1.0}})


@pytest.mark.parametrize("load", sorted(LOADERS))
def test_empty_words_are_refused_by_every_loader(tmp_path, load):
    text = {"user": "\tjoy\t2\n", "emolex": "\tjoy\t1\n", "vad": "\t0.5\t0.5\t0.5\n",
            "intensity": "\tjoy\t0.5\n"}[load]
    path = tmp_path / "empty_word.txt"
    path.write_text("happy" + text[text.index("\t"):] + text, encoding="utf-8")
    with pytest.raises(LexiconFormatError, match=r"empty_word.txt, line 2: empty word"):
        LOADERS[load](path)
    if load != "vad":
        path.write_text("happy\t\t1\n", encoding="utf-8")
        with pytest.raises(LexiconFormatError, match=r"line 1: empty word or category"):
            LOADERS[load](path)


@pytest.mark.parametrize("load", sorted(LOADERS))
def test_a_pair_repeated_with_another_score_is_refused_naming_both_lines(tmp_path, load):
    """One rule for every format: a (word, category) pair given twice, after the key
    normalisation, is kept once with the same score and refused with another one. (User and
    NRC VAD files once kept the last score silently, EmoLex a 1 over a 0.)"""
    same, other = {
        "user": ("happy\tjoy\t2\nhappy\tsad\t-1\nHappy\tjoy\t2\n", "happy\tjoy\t3\n"),
        "emolex": ("happy\tjoy\t1\nhappy\tfear\t0\nhappy\tjoy\t1\n", "happy\tjoy\t0\n"),
        "vad": ("happy\t0.9\t0.5\t0.6\nHAPPY\t0.9\t0.5\t0.6\n", "happy\t0.1\t0.5\t0.6\n"),
        "intensity": ("happy\tjoy\t0.8\nhappy\tfear\t0.1\nhappy\tjoy\t0.8\n",
                      "happy\tjoy\t0.2\n")}[load]
    path = tmp_path / "dup.txt"
    path.write_text(same, encoding="utf-8")
    entries = LOADERS[load](path).entries
    assert list(entries) == ["happy"] and len(entries["happy"]) in (1, 2, 3)
    path.write_text(same + other, encoding="utf-8")
    n = same.count("\n") + 1
    with pytest.raises(LexiconFormatError, match=rf"dup.txt, line {n}: 'happy' .* line 1;"):
        LOADERS[load](path)
    # two spellings that fold to one key are one word
    path.write_text("isn't\tneg\t-1\nisn\u2019t\tneg\t-1\nisn\u02bct\tneg\t-2\n", encoding="utf-8")
    if load in ("user", "intensity"):
        with pytest.raises(LexiconFormatError, match=r"line 3: \"isn't\" is given 'neg' -2.0 "
                                                     r"here and -1.0 on line 1"):
            LOADERS[load](path)
    with pytest.raises(ValueError, match=r"'isn\u2019t' and 'isn\u02bct' are the same key"):
        Lexicon("c", ("x",), {"isn\u2019t": {"x": 1.0}, "isn\u02bct": {"x": 2.0}})
    merged = Lexicon("c", ("x", "y"), {"isn't": {"x": 1.0}, "isn\u2019t": {"x": 1.0, "y": 2.0}})
    assert merged.entries == {"isn't": {"x": 1.0, "y": 2.0}}


def test_real_lexicons_repeat_no_pair():
    """The rule above refuses nothing in the lexicons as released: no NRC file repeats a
    (word, category) pair, and the bundled AFINN word and emoticon lists share 4 entries
    with equal scores (xo, xoxo, ...), kept once."""
    root = SHARED_DATA / "lexicons"
    paths = [root / "nrc_emolex" / "NRC-Emotion-Lexicon-Wordlevel-v0.92.txt",
             root / "nrc_vad" / "NRC-VAD-Lexicon.txt",
             root / "nrc_emotion_intensity" / "NRC-Emotion-Intensity-Lexicon-v1.txt"]
    afinn = load_afinn()
    words, emoticons = _afinn_file("AFINN-en-165.txt"), _afinn_file("AFINN-emoticon-8.txt")
    assert len(afinn) == len(words) + len(emoticons) - 4
    if not all(p.exists() for p in paths):
        pytest.skip(f"real NRC lexicons not available under {root}")
    emolex, vad, inten = load_nrc_emolex(paths[0]), load_nrc_vad(paths[1]), \
        load_nrc_intensity(paths[2])
    assert len(emolex.categories) == 10 and len(vad) == 19971
    assert sum(map(len, inten.entries.values())) == 9835


@pytest.mark.parametrize(("entries", "message"), [
    ({"good": {"x": float("nan")}}, r"'good' has the 'x' score nan; a score must be a finite"),
    ({"good": {"x": float("inf")}}, r"'good' has the 'x' score inf"),
    ({"good": {"x": "1"}}, r"'good' has the 'x' score '1'"),
    ({"good": {"y": 1.0}}, r"'good' is scored for 'y', which is not one of its categories \['x'\]"),
    ({"good": 1.0}, r"'good' maps to 1.0, not to \{category: score\} \(e.g. \{'x': 1.0\}\)"),
])
def test_a_lexicon_built_in_code_refuses_scores_it_cannot_use(entries, message):
    """A NaN score matched nothing without a word (NaN marks "no score"), a category the
    lexicon does not have gave a bare KeyError when the featurizer was built, a string score
    was converted by numpy or failed with its message, and a word mapped to a number instead
    of {category: score} an AttributeError; each is a ValueError naming the lexicon and word.
    The file loaders refused non-finite and non-numeric scores already."""
    with pytest.raises(ValueError, match=r"Lexicon 'a': " + message):
        Lexicon("a", ("x",), entries)
    with pytest.raises(ValueError, match=r"Lexicon 'a': categories must be a tuple of names, "
                                         r"got the string 'joy' \(one category: \('joy',\)\)"):
        Lexicon("a", "joy", {"good": {"joy": 1.0}})  # was the categories j, o, y
    for bad in ("", 3):
        with pytest.raises(ValueError, match=r"a category must be a non-empty string, got"):
            Lexicon("a", ("x", bad), {"good": {"x": 1.0}})  # '' made lexicon_a__sum
    assert Lexicon("a", ("x",), {"good": {"x": 1}, "ok": {"x": True}}).entries["good"] == {"x": 1}
