"""Text inputs as users meet them (a bug hunt): Unicode normalisation forms."""

from __future__ import annotations

import unicodedata

import numpy as np
import pytest
from _text_data import goemotions_texts, isear_texts
from conftest import SHARED_DATA
from emofeat.extractors._lexicons import Lexicon
from emofeat.extractors._text_features import TextFeaturizer
from emofeat.extractors._text_tokenize import TextTokenizer

pytest.importorskip("nltk", reason="text features need NLTK: pip install 'emofeat[text]'")


def _nfd(text: str) -> str:
    return unicodedata.normalize("NFD", text)


def _nfd_texts() -> list[str]:
    hand = ["how naïve of me", "CAFÉ FÜR ALLE!!!", "déjà vu, not naïve", "Ångström ñandú",
            "e\u0301e\u0301e\u0301 good", "naïve😍", "&amp; naïve . . . fine"]
    root = SHARED_DATA / "text"
    if not root.exists():
        return hand
    real = [t for t in goemotions_texts(root, "train") + isear_texts(root)
            if _nfd(t) != t]
    return hand + real


@pytest.mark.parametrize("fast", [True, False])
def test_nfd_and_nfc_texts_give_identical_lexicon_and_style_features(fast, tmp_path):
    """A text in NFD (combining marks, as macOS and some exports write it) has the lexicon and
    style columns of its NFC form: AFINN's "naïve" (-2) matched only in NFC before. VADER's
    columns follow vaderSentiment, which sees the text as given."""
    texts = _nfd_texts()
    decomposed = [_nfd(t) for t in texts]
    assert decomposed != texts
    user = tmp_path / "mine.tsv"
    user.write_text("café\tx\t1\nnaïve\tx\t2\n", encoding="utf-8")
    lexicons = ["vader", "afinn", ("user", user)]
    f = TextFeaturizer(lexicons, style=True, fast=fast, normalise="raw")
    keep = np.array([not n.startswith("lexicon_vader") for n in f.feature_names()])
    a = f.transform(texts)[:, keep]
    b = TextFeaturizer(lexicons, style=True, fast=fast, normalise="raw").transform(
        decomposed)[:, keep]
    bad = np.flatnonzero(np.any(a != b, axis=1))
    assert not len(bad), f"{len(bad)} texts differ, e.g. {texts[bad[0]]!r}"
    names = [n for n, k in zip(f.feature_names(), keep, strict=True) if k]
    row = dict(zip(names, b[0], strict=True))
    assert row["lexicon_afinn_sum"] == -2 and row["lexicon_mine_x_sum"] == 2


def test_nfd_lexicon_keys_match_nfc_texts():
    """A lexicon saved in NFD matches the NFC text (keys get the texts' fold)."""
    lex = Lexicon("mine", ("x",), {_nfd("café"): {"x": 1.0}})
    f = TextFeaturizer([lex], style=False, normalise="raw")
    row = dict(zip(f.feature_names(), f.transform(["un café", _nfd("un café")])[1],
                   strict=True))
    assert row["lexicon_mine_x_sum"] == 1
    assert TextTokenizer().tokenize(_nfd("so naïve")) == ["so", "naïve"]


def test_text_surface_keeps_combining_marks_in_their_words():
    """``re``'s ``\\w`` has no combining marks: Hindi words were cut at every vowel sign and an
    NFD word at its accent (``naïve`` -> ``nai``, a mark, ``ve``)."""
    from emofeat.extractors import TextSurface

    ts = TextSurface().fit([])
    names = list(ts.get_feature_names_out())
    rows = ts.transform(["नमस्ते दुनिया", "how naïve", _nfd("how naïve"), "CAFÉ ❤️"])
    count = names.index("text_surface_chars_count")
    assert rows[:, count].tolist() == [2, 2, 2, 2]
    caps = names.index("text_surface_allcaps_mean")
    assert rows[3, caps] == 1.0
    # an NFD word is the same word: only its length in code points differs
    same = [k for k, n in enumerate(names) if not n.startswith("text_surface_chars_")]
    assert np.array_equal(rows[1, same], rows[2, same])


@pytest.mark.parametrize("newline", ["\n", "\r\n", "\r"])
def test_lexicon_files_with_any_line_ends(tmp_path, newline):
    """Excel for Mac's "CSV (Macintosh)" ends lines with a lone CR: such a file was one line,
    refused as malformed ("line 1: expected ..."); its lines are read as Python's text mode
    reads them."""
    from emofeat.extractors._lexicons import LexiconFormatError, load_nrc_vad, load_user_lexicon

    user = tmp_path / "mine.csv"
    user.write_bytes(newline.join(["word,category,score", "# mine", "happy,joy,2", "",
                                   "sad,joy,-1", ""]).encode())
    lex = load_user_lexicon(user)
    assert lex.entries == {"happy": {"joy": 2.0}, "sad": {"joy": -1.0}}
    vad = tmp_path / "vad.txt"
    vad.write_bytes(newline.join(["Word\tValence\tArousal\tDominance", "calm\t0.7\t0.1\t0.6",
                                  ""]).encode())
    assert load_nrc_vad(vad).entries["calm"]["valence"] == 0.7
    bad = tmp_path / "latin1.tsv"
    bad.write_bytes(newline.join(["happy\tjoy\t1", "café\tjoy\t1"]).encode("latin-1"))
    with pytest.raises(LexiconFormatError, match=r"line 2: not UTF-8"):
        load_user_lexicon(bad)


def _with_invisibles(texts: list[str], seed: int) -> list[str]:
    from emofeat.extractors._text_tokenize import INVISIBLE

    rng = np.random.default_rng(seed)
    out = []
    for t in texts:
        cuts = sorted(rng.integers(0, len(t) + 1, size=3).tolist())
        marks = rng.choice(list(INVISIBLE), size=3).tolist()
        pieces = [t[a:b] for a, b in zip([0, *cuts], [*cuts, len(t)], strict=True)]
        out.append("".join(p + m for p, m in zip(pieces, [*marks, ""], strict=True)))
    return out


@pytest.mark.parametrize("fast", [True, False])
def test_invisible_format_characters_change_no_lexicon_or_style_column(fast):
    """A BOM inside a text, zero-width spaces, word joiners, soft hyphens and bidi marks were
    tokens of their own (inflating n_tokens and every token-normalised column) and cut words
    (``won\\xadder\\xadful`` did not match AFINN's ``wonderful``)."""
    hand = ["\ufeffgood day", "won\xadder\xadful", "\u200fמצוין\u200e great", "a \u200b b",
            "\u202egood\u202c!!", "I \u2060love it", "\u200b", "not\u200b good"]
    root = SHARED_DATA / "text"
    texts = hand + (isear_texts(root)[:1500] if root.exists() else [])
    dirty = _with_invisibles(texts, 3)
    f = TextFeaturizer(["vader", "afinn"], style=True, fast=fast)
    keep = np.array([not n.startswith("lexicon_vader") for n in f.feature_names()])
    a = f.transform(texts)[:, keep]
    b = TextFeaturizer(["vader", "afinn"], style=True, fast=fast).transform(dirty)[:, keep]
    bad = np.flatnonzero(np.any(a != b, axis=1))
    assert not len(bad), f"{len(bad)} texts differ, e.g. {dirty[bad[0]]!r}"
    b = TextFeaturizer(["afinn"], style=False, normalise="raw").transform(["won\xadder\xadful"])
    assert b[0, 0] == 4  # AFINN's "wonderful"
