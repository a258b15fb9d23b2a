"""Lexicon loaders, negation/intensifier counting, normalisation, style cues and bad input.

Counting is checked against a plain-Python re-implementation of the documented rules on real
corpus texts (exact equality up to float summation order, rtol 1e-12), and on hand-made cases.
"""

from __future__ import annotations

import math
import random

import numpy as np
import pytest
from _text_data import goemotions_texts, isear_texts
from conftest import SHARED_DATA
from emofeat.extractors._lexicons import (
    Lexicon,
    LexiconFormatError,
    load_afinn,
    load_nrc_emolex,
    load_nrc_intensity,
    load_nrc_vad,
    load_user_lexicon,
    resolve_lexicon,
)
from emofeat.extractors._text_features import STYLE_NAMES, TextFeaturizer
from emofeat.extractors._text_tokenize import TextTokenizer
from emofeat.extractors._vader import BOOSTERS, NEGATORS, vader_scores

pytest.importorskip("nltk", reason="text features need NLTK: pip install 'emofeat[text]'")

LEX = SHARED_DATA / "lexicons"


# -- fixtures in the NRC formats, written for the tests (the real files may not be bundled) --
@pytest.fixture
def nrc_files(tmp_path):
    emolex = tmp_path / "emolex.txt"
    rows = []
    for word, cats in {"happy": {"joy", "positive"}, "afraid": {"fear", "negative"},
                       "table": set()}.items():
        for cat in ("anger", "fear", "joy", "negative", "positive"):
            rows.append(f"{word}\t{cat}\t{int(cat in cats)}")
    emolex.write_text("\r\n".join(rows) + "\r\n", encoding="utf-8")
    vad = tmp_path / "vad.txt"
    vad.write_text("Word\tValence\tArousal\tDominance\nhappy\t0.960\t0.732\t0.850\n"
                   "afraid\t0.010\t0.840\t0.200\nalarm clock\t0.5\t0.7\t0.6\n", encoding="utf-8")
    intensity = tmp_path / "intensity.txt"
    intensity.write_text("happy\tjoy\t0.8\r\nafraid\tfear\t0.7\r\nterrified\tfear\t0.95\r\n",
                         encoding="utf-8")
    user = tmp_path / "My-Lexicon.tsv"
    user.write_text("# my words\nword\tcategory\tscore\nhappy\tmood\t2\nsad\tmood\t-2\n"
                    "over the moon\tmood\t3\n", encoding="utf-8")
    return {"emolex": emolex, "vad": vad, "intensity": intensity, "user": user}


def test_loaders_on_fixtures(nrc_files):
    emo = load_nrc_emolex(nrc_files["emolex"])
    assert emo.kind == "binary" and emo.categories == ("anger", "fear", "joy", "negative",
                                                        "positive")
    assert emo.entries == {"happy": {"joy": 1.0, "positive": 1.0},
                           "afraid": {"fear": 1.0, "negative": 1.0}}
    vad = load_nrc_vad(nrc_files["vad"])
    assert vad.kind == "rating" and len(vad) == 3 and vad.entries["happy"]["arousal"] == 0.732
    inten = load_nrc_intensity(nrc_files["intensity"])
    assert inten.categories == ("joy", "fear") and inten.entries["terrified"] == {"fear": 0.95}
    user = load_user_lexicon(nrc_files["user"])
    assert user.name == "my_lexicon" and user.kind == "signed" and user.max_words == 3
    assert resolve_lexicon(("user", nrc_files["user"], "mine")).name == "mine"


def test_loader_errors_name_file_and_line(tmp_path):
    bad = tmp_path / "bad.txt"
    bad.write_text("happy\tjoy\t1\nsad\tjoy\tlots\n", encoding="utf-8")
    with pytest.raises(LexiconFormatError, match=r"bad.txt, line 2: score 'lots'"):
        load_user_lexicon(bad)
    with pytest.raises(LexiconFormatError, match="line 1"):
        load_nrc_emolex(tmp_path / "bad.txt") if (tmp_path / "bad.txt").write_text(
            "happy\tjoy\t2\n") else None
    with pytest.raises(FileNotFoundError, match="lexicon file not found"):
        load_nrc_vad(tmp_path / "missing.txt")
    with pytest.raises(ValueError, match="not bundled"):
        resolve_lexicon("nrc_emolex")
    with pytest.raises(ValueError, match="unknown lexicon"):
        resolve_lexicon("sentiwordnet")


def test_unclear_lexicon_spec_errors_are_clear(tmp_path):
    """Errors that named no input or misled: the known lexicons listed without 'vader' (the
    default one), a path that is no path gave os.fspath's 'expected str, bytes or os.PathLike
    object, not int', and a user file saved with ';' by a European Excel only 'expected
    word<TAB>category<TAB>score'."""
    with pytest.raises(ValueError, match=r"unknown lexicon 'VADER'; known: .*'vader'"):
        resolve_lexicon("VADER")
    with pytest.raises(TypeError, match=r"lexicons: the entry \('nrc_vad', 3\) has a path of "
                                        r"type int, not str or os.PathLike"):
        resolve_lexicon(("nrc_vad", 3))
    semi = tmp_path / "semi.csv"
    semi.write_text("happy;joy;1\nsad;joy;-1\n", encoding="utf-8")
    with pytest.raises(LexiconFormatError, match=r"semi.csv, line 1: expected 'word<TAB>"
                                                 r"category<TAB>score' \(fields separated by "
                                                 r"';': save it with tabs or commas\)"):
        load_user_lexicon(semi)


def test_nrc_vad_v2_scale_is_read_as_given(tmp_path):
    """NRC VAD v2 rates -1..1 (v1 0..1): a file in v2's layout (header ``term ...``, negative
    scores, phrases) loads with its scores as given, and the columns are on its scale."""
    vad = tmp_path / "NRC-VAD-Lexicon-v2.txt"
    vad.write_text("term\tvalence\tarousal\tdominance\njoy\t0.92\t0.74\t0.36\n"
                   "funeral\t-0.78\t-0.22\t-0.5\npower surge\t0.54\t0.63\t0.55\n"
                   "flat\t-1\t1\t0\n", encoding="utf-8")
    lex = load_nrc_vad(vad)
    assert lex.entries["funeral"] == {"valence": -0.78, "arousal": -0.22, "dominance": -0.5}
    f = TextFeaturizer([("nrc_vad", vad)], style=False, normalise="raw")
    row = dict(zip(f.feature_names(), f.transform(["joy at the funeral"])[0], strict=True))
    assert row["lexicon_nrc_vad_valence_sum"] == pytest.approx(0.92 - 0.78)
    assert row["lexicon_nrc_vad_dominance_mean"] == pytest.approx((0.36 - 0.5) / 2)


@pytest.mark.parametrize(("load", "lines", "message"), [
    ("vad", "happy\t0.96\t0.73\t0.85\nsad\t0.1\t1.5\t0.2\n",
     r"vad.txt, line 2: arousal '1.5' is outside -1..1 \(NRC VAD v1 rates 0..1, v2 -1..1\)"),
    ("vad", "Word\tValence\tArousal\tDominance\nsad\t-3\t0.5\t0.2\n",
     r"vad.txt, line 2: valence '-3' is outside -1..1"),
    ("intensity", "happy\tjoy\t0.8\nafraid\tfear\t-0.7\n",
     r"intensity.txt, line 2: fear score '-0.7' is outside 0..1 \(NRC Emotion Intensity"),
    ("intensity", "word\temotion\tscore\nhappy\tjoy\t0.8\nglee\tjoy\t80\n",
     r"intensity.txt, line 3: joy score '80' is outside 0..1"),
])
def test_nrc_scores_out_of_range_are_refused_naming_file_and_line(tmp_path, load, lines,
                                                                   message):
    """A score outside the lexicon's scale (a percentage, a typo, another file's format)
    loaded silently before; it is refused naming the file, the line and the value."""
    path = tmp_path / f"{load}.txt"
    path.write_text(lines, encoding="utf-8")
    loader = {"vad": load_nrc_vad, "intensity": load_nrc_intensity}[load]
    with pytest.raises(LexiconFormatError, match=message):
        loader(path)


def test_real_nrc_files_when_present():
    paths = {"emolex": LEX / "nrc_emolex" / "NRC-Emotion-Lexicon-Wordlevel-v0.92.txt",
             "vad": LEX / "nrc_vad" / "NRC-VAD-Lexicon.txt",
             "intensity": LEX / "nrc_emotion_intensity" / "NRC-Emotion-Intensity-Lexicon-v1.txt"}
    if not all(p.exists() for p in paths.values()):
        pytest.skip(f"real NRC lexicons not available under {LEX}")
    emo = load_nrc_emolex(paths["emolex"])
    assert len(emo.categories) == 10
    n_words = len({line.split("\t")[0] for line in
                   paths["emolex"].read_text(encoding="utf-8").splitlines() if line})
    assert n_words == 14154 and 0 < len(emo) < n_words  # words with no association are dropped
    vad = load_nrc_vad(paths["vad"])
    assert len(vad) == 19971 and vad.max_words >= 2
    inten = load_nrc_intensity(paths["intensity"])
    assert len(inten.categories) == 8
    assert sum(len(d) for d in inten.entries.values()) == 9835 - _duplicates(paths["intensity"])


def _duplicates(path):
    pairs = [tuple(line.split("\t")[:2]) for line in
             path.read_text(encoding="utf-8").splitlines() if line]
    return len(pairs) - len(set(pairs))


def test_bundled_afinn():
    lex = load_afinn()
    assert lex.kind == "signed" and lex.entries["good"] == {"score": 3.0}
    assert lex.entries["does not work"] == {"score": -3.0}
    assert ":)" in lex.entries
    shared = LEX / "afinn" / "AFINN-en-165.txt"
    if shared.exists():
        words = load_afinn(shared).entries
        assert len(words) == 3382 and words == {k: v for k, v in lex.entries.items() if k in words}


# -- counting rules ----------------------------------------------------------------------------
def afinn_row(text, **kw):
    f = TextFeaturizer(["afinn"], style=False, normalise="raw", **kw)
    return dict(zip(f.feature_names(), f.transform([text])[0], strict=True))


def test_negation_modes_and_scope():
    assert afinn_row("not happy")["lexicon_afinn_sum"] == -3.0
    assert afinn_row("not happy", negation="drop")["lexicon_afinn_sum"] == 0.0
    assert afinn_row("not happy", negation="none")["lexicon_afinn_sum"] == 3.0
    # the scope ends at punctuation
    assert afinn_row("not at all happy, happy")["lexicon_afinn_sum"] == 0.0
    # ... or after negation_scope words
    assert afinn_row("not at all happy", negation_scope=2)["lexicon_afinn_sum"] == 3.0
    assert afinn_row("I don't love it")["lexicon_afinn_sum"] == -3.0
    row = afinn_row("never good")
    assert row["lexicon_afinn_n_neg"] == 1.0 and row["lexicon_afinn_n_pos"] == 0.0


def test_intensifiers_and_phrases():
    assert math.isclose(afinn_row("very happy")["lexicon_afinn_sum"], 3 * 1.293)
    assert math.isclose(afinn_row("slightly happy")["lexicon_afinn_sum"], 3 * (1 - 0.293))
    assert afinn_row("very happy", intensifiers=False)["lexicon_afinn_sum"] == 3.0
    # a phrase is matched whole, once, and its words are not counted again
    row = afinn_row("it does not work")
    assert row["lexicon_afinn_sum"] == -3.0 and row["lexicon_afinn_n_matched"] == 1.0


def test_binary_and_rating_kinds(nrc_files):
    f = TextFeaturizer([("nrc_emolex", nrc_files["emolex"]), ("nrc_vad", nrc_files["vad"])],
                       style=False, normalise="raw")
    row = dict(zip(f.feature_names(), f.transform(["happy happy, not afraid. alarm clock"])[0], strict=True))
    assert row["lexicon_nrc_emolex_joy"] == 2.0 and row["lexicon_nrc_emolex_fear"] == 0.0
    assert row["lexicon_nrc_emolex_n_matched"] == 2.0
    assert math.isclose(row["lexicon_nrc_vad_valence_sum"], 0.96 * 2 + 0.5)
    assert math.isclose(row["lexicon_nrc_vad_valence_mean"], (0.96 * 2 + 0.5) / 3)
    assert row["lexicon_nrc_vad_n_matched"] == 3.0


def test_normalisation():
    text = "good. bad. good good"
    raw = afinn_row(text)["lexicon_afinn_sum"]
    tok = TextFeaturizer(["afinn"], style=False, normalise="token")
    sent = TextFeaturizer(["afinn"], style=False, normalise="sentence")
    assert raw == 6.0
    assert tok.transform([text])[0, 0] == raw / 6  # 6 tokens
    assert sent.transform([text])[0, 0] == raw / 3  # 3 sentences
    with pytest.raises(ValueError, match="normalise"):
        TextFeaturizer(["afinn"], normalise="words")
    with pytest.raises(ValueError, match="negation"):
        TextFeaturizer(["afinn"], negation="invert")


def _hashtag(token: str) -> bool:
    return token.startswith("#") and any(c.isalnum() for c in token[1:])


def naive_counts(tokens, lex: Lexicon, negation="flip", scope=0, intensifiers=True):
    """The documented rules, written plainly: (sum, n_pos, n_neg, n_matched) of a signed
    one-category lexicon."""
    # a token of these only (NLTK's spaced ellipsis ". . ." too) ends a negation scope
    punct = [all(c in ".,;:!?…()[]{}" for c in "".join(t.split())) for t in tokens]
    # a hashtag is its word ("#not" a negator, "#very" an intensifier, phrases below)
    words = [t[1:] if _hashtag(t) else t for t in tokens]
    # a word with the clitic 's is its word too ("friend's" is "friend", "nothing's" a
    # negator), where no entry is spelt with the 's; phrases are matched as written
    heads = [w[:-2] if len(w) > 2 and w.endswith("'s") and any(c.isalpha() for c in w[:-2])
             and not _hashtag(t) else w for t, w in zip(tokens, words, strict=True)]
    total = n_pos = n_neg = n_matched = 0.0
    # the words of a matched phrase: a negator among them is a word of the phrase ("can't
    # stand", "not good"), not a negator of what follows
    in_phrase = [False] * len(tokens)
    i = 0
    while i < len(tokens):
        width, entry = 1, None
        for w in (3, 2, 1):
            key = " ".join(tokens[i:i + w]) if i + w <= len(tokens) else None
            if key is not None and (key in lex.entries or (w == 1 and key.lower() in lex.entries)):
                width, entry = w, lex.entries.get(key, lex.entries.get(key.lower()))
                break
            # a phrase as written, else with its hashtags read as their words
            key = " ".join(words[i:i + w]) if i + w <= len(tokens) else None
            if w > 1 and key is not None and key in lex.entries:
                width, entry = w, lex.entries[key]
                break
        tag = tokens[i][1:]
        if entry is None and _hashtag(tokens[i]):
            entry = lex.entries.get(tag, lex.entries.get(tag.lower()))  # "#happy" is "happy"
        if entry is None and heads[i] != words[i]:
            entry = lex.entries.get(heads[i].lower())  # "friend's" is "friend"
        if entry is None:
            i += 1
            continue
        if width > 1:
            in_phrase[i:i + width] = [True] * width
        negated = False
        for back in range(1, i + 1):
            j = i - back
            if punct[j]:
                break
            if not in_phrase[j] and (heads[j].lower() in NEGATORS or "n't" in tokens[j].lower()):
                negated = scope == 0 or back <= scope
                break
        mult = 1.0
        if intensifiers and i > 0:
            mult = 1.0 + BOOSTERS.get(heads[i - 1].lower(), 0.0)
        if negated and negation == "drop":
            i += width
            continue
        if negated and negation == "flip":
            mult = -mult
        v = entry["score"] * mult
        total += v
        n_pos += v > 0
        n_neg += v < 0
        n_matched += entry["score"] != 0  # a 0 entry consumes its words but is no match
        i += width
    return total, n_pos, n_neg, n_matched


@pytest.mark.parametrize("kw", [{}, {"negation": "drop", "negation_scope": 3},
                                {"negation": "none", "intensifiers": False}])
def test_counts_match_plain_rules_on_real_texts(kw):
    root = SHARED_DATA / "text"
    if not root.exists():
        pytest.skip(f"real data not available: {root}")
    rng = random.Random(3)
    texts = rng.sample(goemotions_texts(root, "train"), 300) + rng.sample(isear_texts(root), 100)
    lex = load_afinn()
    f = TextFeaturizer([lex], style=False, normalise="raw",
                       **{k: v for k, v in kw.items()})
    got = f.transform(texts)
    tok = TextTokenizer()
    for text, row in zip(texts, got, strict=True):
        want = naive_counts(tok.tokenize(text), lex, kw.get("negation", "flip"),
                            kw.get("negation_scope", 0), kw.get("intensifiers", True))
        np.testing.assert_allclose(row[[0, 2, 3, 4]], want, rtol=1e-12, atol=1e-12,
                                   err_msg=repr(text))


def test_hashtags_match_their_word_on_real_texts():
    """'#thankful' scores as 'thankful' (AFINN, NRC, user lexicons), as VADER and the afinn
    package read it; it scored nothing before."""
    root = SHARED_DATA / "text"
    if not root.exists():
        pytest.skip(f"real data not available: {root}")
    texts = [t for t in goemotions_texts(root, "train") if "#" in t]
    lex = load_afinn()
    got = TextFeaturizer([lex], style=False, normalise="raw").transform(texts)
    tok = TextTokenizer()
    tagged = 0
    for text, row in zip(texts, got, strict=True):
        tokens = tok.tokenize(text)
        np.testing.assert_allclose(row[[0, 2, 3, 4]], naive_counts(tokens, lex), rtol=1e-12,
                                   atol=1e-12, err_msg=repr(text))
        tagged += any(t.startswith("#") and t[1:] in lex.entries for t in tokens)
    assert tagged >= 3  # real hashtags that are AFINN words (#thankful, #YES, ...)
    # the text without its "#" signs gives the same AFINN columns; a key spelt with "#" is
    # matched as spelt
    plain = TextFeaturizer([lex], style=False, normalise="raw").transform(
        [t.replace("#", "") for t in texts])
    hashed = [i for i, t in enumerate(texts) if any(
        w.startswith("#") and w[1:].lower() in lex.entries for w in tok.tokenize(t))]
    np.testing.assert_allclose(got[hashed], plain[hashed], rtol=1e-12, atol=1e-12)
    user = Lexicon("tags", ("score",), {"thankful": {"score": 1.0}, "#metoo": {"score": -1.0},
                                        "metoo": {"score": 5.0}})
    row = TextFeaturizer([user], style=False, normalise="raw").transform(
        ["we #Thankful #MeToo"])[0]
    assert row[0] == 0.0 and row[4] == 2.0  # 1 (thankful) - 1 (#metoo as spelt, not metoo)


def test_a_negator_is_never_negated():
    """docs/text.md: a new negator restarts the scope and is itself never negated (EmoLex has
    'wont', anticipation); the word after it is negated."""
    lex = Lexicon("u", ("score",), {"wont": {"score": -2.0}, "good": {"score": 3.0}})
    for negation in ("flip", "drop"):
        row = TextFeaturizer([lex], style=False, normalise="raw", negation=negation).transform(
            ["i cant wont good"])[0]
        want = (-2.0 - 3.0, 2.0) if negation == "flip" else (-2.0, 1.0)
        assert (row[0], row[4]) == want
    # an emoticon made of punctuation characters is no clause break: ":)" (+2) and "good" flip
    row = TextFeaturizer([load_afinn()], style=False, normalise="raw").transform(
        ["not :) good", "not . good"])
    assert list(row[:, 0]) == [-5.0, 3.0]


# -- VADER columns, sentence aggregates, style ---------------------------------------------------
def test_vader_columns_and_sentences():
    vs = pytest.importorskip("vaderSentiment.vaderSentiment")
    ref = vs.SentimentIntensityAnalyzer()
    texts = ["Great movie. Terrible ending! Meh?", "ok", "", "I love it.  I hate it."]
    f = TextFeaturizer(["vader"], style=False)
    X = f.transform(texts)
    assert np.array_equal(X[:, :4], vader_scores(texts))
    for text, row in zip(texts, X, strict=True):
        sents = [s for s in __import__("re").split(r"(?<=[.!?])\s+", text) if s.strip()]
        comp = [ref.polarity_scores(s)["compound"] for s in sents] or [0.0]
        np.testing.assert_allclose(row[4:], [np.mean(comp), min(comp), max(comp)], atol=1e-4)


def test_style_cues():
    f = TextFeaturizer([], style=True)
    text = "WOW this is sooo GOOD!!! 😂😂 :) #blessed @amy http://t.co/x?  Really? 42"
    row = dict(zip(f.feature_names(), f.transform([text])[0], strict=True))
    s = {k: row[f"lexicon_style_{k}"] for k in STYLE_NAMES}
    assert s["n_exclamation"] == 3 and s["n_question"] == 2
    assert s["n_emoji"] == 2 and s["n_emoticon"] == 1 and s["emoji_valence_sum"] > 0
    assert s["emoticon_valence_sum"] > 0
    assert s["n_hashtags"] == 1 and s["n_mentions"] == 1 and s["n_urls"] == 1
    assert s["n_numbers"] == 1 and s["n_elongated"] == 1
    # words of 2+ letters: WOW this is sooo GOOD Really -> 2 all-caps of 6
    assert s["n_allcaps"] == 2 and math.isclose(s["allcaps_ratio"], 2 / 6)
    toks = TextTokenizer().tokenize(text)
    assert s["n_tokens"] == len(toks)
    assert math.isclose(s["type_token_ratio"], len(set(toks)) / len(toks))


def test_bad_input_gives_defined_rows():
    f = TextFeaturizer(["vader", "afinn"], style=True)
    texts = [None, float("nan"), "", "😂😂😂", "x" * 100_000, "good " * 20_000,
             "bad\ud800 \udfff ok", "Это очень хорошо 好", "\x00\x1c\x1f", b"bytes ok"]
    X = f.transform(texts)
    assert X.shape == (len(texts), len(f.feature_names()))
    assert np.isfinite(X).all()
    assert np.all(X[0] == X[2]) and np.all(X[1] == X[2])
    assert X[3, f.feature_names().index("lexicon_style_n_emoji")] == 3


def test_chunk_path_equals_text_by_text_path():
    """The cached chunk path (default) and the text-by-text path give the same matrix."""
    root = SHARED_DATA / "text"
    texts = ["Great. Terrible!  ok?? fine", "a.b c! d", "not good, very bad... really?!",
             "😂 emoji text", "&amp; entity", ". . . spaced", "x\x1cy", "", None, "CAPS here!!"]
    if root.exists():
        rng = random.Random(5)
        texts += rng.sample(goemotions_texts(root, "train"), 600) + rng.sample(isear_texts(root),
                                                                               150)
    lexicons = ["vader", "afinn", Lexicon("mine", ("a", "b"), {"good": {"a": 1.0},
                                                               "very bad": {"b": 2.0}}, "rating")]
    for kw in ({}, {"normalise": "sentence", "negation": "drop"}):
        fast = TextFeaturizer(lexicons, **kw).transform(texts)
        slow = TextFeaturizer(lexicons, fast=False, **kw).transform(texts)
        np.testing.assert_array_equal(fast, slow)
