"""Tokenizer: NLTK TweetTokenizer with normalisation; the cached batch path equals the per-text
path (NLTK on the whole text) on real corpus texts and crafted edge cases."""

from __future__ import annotations

import random

import pytest
from _text_data import carer_texts, goemotions_texts, isear_texts
from conftest import SHARED_DATA
from emofeat.extractors._text_tokenize import TextTokenizer, clean_text, is_elongated


def _has_redos() -> bool:
    import importlib.util
    from pathlib import Path

    spec = importlib.util.find_spec("nltk")  # None without NLTK: the module skips below
    return spec is not None and any(
        (Path(p) / "redos.py").exists() for p in spec.submodule_search_locations)


#: the tokenizer is loaded without the nltk package only from NLTK's layout with nltk/redos.py
#: (3.10.4 has it; 3.10.0 and older, such as the text extra's floor 3.8, do not): those are
#: imported the usual way
needs_redos = pytest.mark.skipif(
    not _has_redos(),
    reason="this NLTK has no nltk/redos.py: the lexicon set imports NLTK the usual way")

pytest.importorskip("nltk", reason="text features need NLTK: pip install 'emofeat[text]'")

EDGE = [
    "", "   ", "Sooooo HAPPY :D :-) 😁👍🏽 @bob http://x.com/a #yay I can't!!! ... . . .",
    "call 555 123 4567 now", "&amp; &lt;3 &#32;x&#46; .", "a\x1cb", "é\u00a0ü\u2003ok",
    "👨‍👩‍👧 🇫🇷 ❤️", "www.example.org/path?q=1 ok", "@user_name:hi", "WHY THE FUCK", "<3 </3",
    "noooooo!!!!!!", "it's well-known x_y", "good\ud800bad", "1,000.50 -3 +4", "e-mail a@b.co",
    '""word [NAME] word....!!!!! (well-known) *hi* x"""" wooooow!! D. Do. a- -a 8) word;) P:',
    "rock'n'roll!? ((x)) [[y]] a--b x-y-z ...hi hi... \"quoted\" it's\" (:",
]


def test_batch_equals_single_on_edge_cases():
    for kwargs in ({}, {"lowercase": False, "reduce_len": False, "mask_urls": False,
                        "mask_mentions": False}, {"stem": "snowball"}):
        tok = TextTokenizer(**kwargs)
        assert tok.tokenize_many(EDGE) == [tok.tokenize(t) for t in EDGE], kwargs


def test_batch_equals_single_on_corpora():
    root = SHARED_DATA / "text"
    if not root.exists():
        pytest.skip(f"real data not available: {root} (see ../shared/data/README.md)")
    rng = random.Random(14)
    texts = (rng.sample(goemotions_texts(root, "train"), 1500) + rng.sample(isear_texts(root), 500)
             + rng.sample(carer_texts(root, "train"), 300))
    for kwargs in ({}, {"stem": "porter", "lowercase": False}):
        tok = TextTokenizer(**kwargs)
        batch = tok.tokenize_many(texts)
        single = [tok.tokenize(t) for t in texts]
        bad = [i for i in range(len(texts)) if batch[i] != single[i]]
        assert not bad, f"{kwargs}: {len(bad)} texts differ, e.g. {texts[bad[0]]!r}"


def test_emoji_sequences_of_real_texts_are_one_token():
    """NLTK's TweetTokenizer keeps emoji ZWJ sequences, skin tones and flags whole, as the
    text_surface set does: on every GoEmotions comment (train, dev, test) with a zero-width
    joiner, a skin-tone modifier or a regional indicator, the tokens holding an emoji are the
    extended grapheme clusters holding one (UAX #29, the ``regex`` module's ``\\X``) of the
    folded text. Runs of 4+ of one emoji are whole: NLTK cuts runs of a character that is no
    letter or digit to 3 whatever ``reduce_len`` says, and such runs were cut here until
    2026-12-05 (``😂😂😂😂😂😂`` 3 tokens); not a run of regional indicators or skin-tone
    modifiers (``counted_whole``), which NLTK still cuts. NLTK glued ``roommates.\\u200d♀️`` (an
    emoji cut out of a joiner sequence) into the one token ``.\\u200d♀`` before joiners that
    join nothing were dropped."""
    regex = pytest.importorskip("regex")
    from emofeat.extractors._text_tokenize import counted_whole, fold

    root = SHARED_DATA / "text"
    if not (root / "goemotions").exists():
        pytest.skip(f"real data not available: {root / 'goemotions'} (see ../shared/data/README.md)")
    texts = [t for split in ("train", "dev", "test") for t in goemotions_texts(root, split)
             if regex.search("[\u200d\U0001f3fb-\U0001f3ff\U0001f1e6-\U0001f1ff]", t)]
    assert len(texts) > 50
    emoji = regex.compile(r"[\p{Extended_Pictographic}\p{Regional_Indicator}]")
    tok = TextTokenizer(reduce_len=False)
    for text, tokens in zip(texts, tok.tokenize_many(texts), strict=True):
        runs_cut = regex.sub(r"([^\p{L}\p{N}])\1{3,}",
                             lambda m: m[0] if counted_whole(m[1]) else m[1] * 3, fold(text))
        clusters = [c for c in regex.findall(r"\X", runs_cut) if emoji.search(c)]
        assert [t for t in tokens if emoji.search(t)] == clusters, text


def test_normalisation_options():
    text = "Sooooo HAPPY :D @bob http://x.com/a #Yay"
    assert TextTokenizer().tokenize(text) == ["sooo", "happy", ":D", "<user>", "<url>", "#yay"]
    raw = TextTokenizer(lowercase=False, reduce_len=False, mask_urls=False, mask_mentions=False)
    assert raw.tokenize(text) == ["Sooooo", "HAPPY", ":D", "@bob", "http://x.com/a", "#Yay"]
    assert TextTokenizer(stem="porter").tokenize("running happily") == ["run", "happili"]
    assert TextTokenizer(stem="snowball").tokenize("running happily") == ["run", "happili"]
    with pytest.raises(ValueError, match="stem"):
        TextTokenizer(stem="lancaster")


def test_emoji_and_emoticons_are_tokens():
    toks = TextTokenizer().tokenize("so fun😂😂 :-( 👍🏽 ok")
    assert toks == ["so", "fun", "😂", "😂", ":-(", "👍🏽", "ok"]


def test_bad_input():
    tok = TextTokenizer()
    long_text = "word " * 20_000
    out = tok.tokenize_many([None, float("nan"), "", "😂", long_text, "a\ud800b", b"bytes \xff"])
    assert out[0] == out[1] == out[2] == []
    assert out[3] == ["😂"]
    assert len(out[4]) == 20_000
    assert "".join(out[5]) == "a\ufffdb"
    assert out[6][0] == "bytes"
    with pytest.raises(TypeError, match="expected a string"):
        clean_text(3)


def test_is_elongated():
    assert is_elongated("sooo") and is_elongated("nooo!")
    assert not is_elongated("good") and not is_elongated("!!!")


def _distinct_chunks(texts):
    return list(dict.fromkeys(c for t in texts for c in t.split()))


def test_many_chunks_at_once_equal_chunk_by_chunk():
    """raw_tokens_many (joined regex passes, NLTK many chunks per call) gives each chunk's own
    tokens: every distinct chunk of every corpus, and the edge cases."""
    chunks = _distinct_chunks(EDGE + ["a\x00b . . x", "&amp;&lt;3 ...", "🤷\u200d♀️ don’t"])
    root = SHARED_DATA / "text"
    if root.exists():
        corpus = (goemotions_texts(root, "train") + goemotions_texts(root, "dev")
                  + goemotions_texts(root, "test") + isear_texts(root)
                  + carer_texts(root, "train"))
        chunks += _distinct_chunks(corpus)
    for kwargs, some in (({}, chunks),
                         ({"reduce_len": False, "lowercase": False, "stem": "porter"},
                          chunks[:20000])):
        tok = TextTokenizer(**kwargs)
        tok._tweet_tokenizer()
        chunks = some
        many = [tuple(map(tok._normalise, raw)) for raw in tok.raw_tokens_many(chunks)]
        one = [tok._chunk(c, cache=False) for c in chunks]
        bad = [i for i in range(len(chunks)) if many[i] != one[i]]
        assert not bad, f"{kwargs}: {len(bad)} chunks differ, e.g. {chunks[bad[0]]!r}"


def test_split_kernel_equals_str_split():
    """The Numba split + numbering of chunks equals str.split() on every white-space
    character Python knows (and on none it does not)."""
    import sys

    import numpy as np
    from emofeat.extractors._text_features import _WHITESPACE
    from emofeat.extractors._text_kernels import split_chunks

    spaces = [chr(i) for i in range(sys.maxunicode + 1) if chr(i).isspace()]
    assert max(map(ord, spaces)) < len(_WHITESPACE)
    texts = ["", " ", "a b  a", "x" + "y".join(spaces) + "x", "\u200bzero\u200bwidth \u180e",
             "😂 a😂 😂", "a\x1cb", "tail ", " lead", "a b a b"] + [f"w{i % 7} v{i}" for i in range(50)]
    joined = "".join(texts)
    cp = np.frombuffer(joined.encode("utf-32-le"), dtype=np.uint32)
    off = np.concatenate([[0], np.cumsum([len(t) for t in texts])]).astype(np.int64)
    local, starts, u_start, u_len = split_chunks(cp, off, _WHITESPACE)
    uniq = [joined[a : a + m] for a, m in zip(u_start, u_len, strict=True)]
    assert uniq == list(dict.fromkeys(c for t in texts for c in t.split()))
    for t, text in enumerate(texts):
        assert [uniq[k] for k in local[starts[t] : starts[t + 1]]] == text.split()


@needs_redos
def test_nltk_tokenizer_loaded_alone_equals_the_package():
    """The TweetTokenizer module loaded without the nltk package (``_load_casual``: 0.03 s
    instead of NLTK's 1.1 s import) tokenises as the package's own on the crafted edge texts
    and 3,000 corpus texts, for the settings the set uses and NLTK's defaults; the emoticon
    pattern is the same."""
    import importlib.util
    from pathlib import Path

    from emofeat.extractors._text_tokenize import _load_casual
    from nltk.tokenize import casual as package

    root = Path(next(iter(importlib.util.find_spec("nltk").submodule_search_locations)))
    alone = _load_casual(root)
    assert alone.TweetTokenizer is not package.TweetTokenizer  # really loaded apart
    assert alone.EMOTICON_RE.pattern == package.EMOTICON_RE.pattern
    texts = list(EDGE)
    data = SHARED_DATA / "text"
    if data.exists():
        rng = random.Random(5)
        texts += rng.sample(goemotions_texts(data, "train"), 2000) + rng.sample(
            isear_texts(data), 1000)
    for kwargs in ({"preserve_case": True, "reduce_len": True, "strip_handles": False,
                    "match_phone_numbers": False}, {}, {"preserve_case": False,
                                                       "strip_handles": True}):
        ours, theirs = alone.TweetTokenizer(**kwargs), package.TweetTokenizer(**kwargs)
        for text in texts:
            assert ours.tokenize(text) == theirs.tokenize(text), (kwargs, text)


def test_html_entities_decode_as_nltk_decodes():
    """:func:`unescape` (run before the fold, so that what an entity stands for is folded as
    typed) decodes as NLTK's own ``_replace_html_entities``, quirks included (``&x41;``,
    ``&xi;``, Windows-1252 for 128-159, illegal references removed), on 20,000 random strings
    of entity parts; only a surrogate differs, U+FFFD here. Decoded once: the tokenizer hands
    NLTK, which decodes again, ``&`` as ``&amp;``, so ``&amp;lt;3`` stays ``&``, ``lt``, ``;``,
    ``3`` as before."""
    from emofeat.extractors._text_tokenize import unescape
    from nltk.tokenize.casual import _replace_html_entities

    pieces = ["&", "#", "x", "X", ";", "1", "41", "D800", "20E3", "amp", "lt", "xi", "eacute",
              " ", "a", "\u0663", "-", "+", "_", "129", "128", "99999999", "\n"]
    rng = random.Random(35)
    for _ in range(20_000):
        text = "".join(rng.choice(pieces) for _ in range(rng.randint(0, 10)))
        want = _replace_html_entities(text)
        want = "".join("\ufffd" if "\ud800" <= c <= "\udfff" else c for c in want)
        assert unescape(text) == want, text
    tok = TextTokenizer(lowercase=False)
    assert tok.tokenize("&amp;lt;3 &amp;amp;") == ["&", "lt", ";", "3", "&", "amp", ";"]
    assert tok.tokenize("&#xD83D;&#xDE00; &#x1F600;") == ["\ufffd", "\ufffd", "\U0001f600"]


LEXICON_RUN = """
import json, sys
{first}
from emofeat.extractors import LexiconFeatures
texts = {texts!r}
X = LexiconFeatures().fit(texts).transform(texts)
print(json.dumps({{"X": X.tolist(), "mods": [m for m in ("nltk", "sklearn", "scipy.stats")
                                            if m in sys.modules]}}))
"""


@needs_redos
def test_lexicon_set_imports_no_nltk_package_and_gives_the_same_rows():
    """In a fresh process the lexicon set tokenises without importing the nltk package (nor
    scikit-learn or scipy.stats, which NLTK's import pulls in), and its rows equal those of a
    process that imported NLTK first (the package's own TweetTokenizer): identical numbers."""
    import json
    import subprocess
    import sys

    texts = EDGE + ["I am so happy today :)", "This is NOT good at all!!!", "meh... whatever"]
    out = {}
    for first in ("", "import nltk"):
        res = subprocess.run([sys.executable, "-c", LEXICON_RUN.format(first=first, texts=texts)],
                             capture_output=True, text=True, check=True)
        out[first] = json.loads(res.stdout.strip().splitlines()[-1])
    assert out[""]["mods"] == []
    assert "nltk" in out["import nltk"]["mods"]
    assert out[""]["X"] == out["import nltk"]["X"]


def test_tokenizer_pickles_after_use():
    import pickle

    tok = TextTokenizer()
    want = tok.tokenize_many(EDGE)
    again = pickle.loads(pickle.dumps(tok))
    assert again.tokenize_many(EDGE) == want
    assert [again.tokenize(t) for t in EDGE] == [tok.tokenize(t) for t in EDGE]
