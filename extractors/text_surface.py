"""Surface cues of texts: the smallest text set, and a template for the lexicon sets.

A text's tokens are its frames: each token gets four descriptors, and the shared functionals
summarise them over the text, exactly as frame-level audio descriptors are summarised over an
utterance. Tokens are runs of word characters (with inner apostrophes: ``don't``, also spelt
``don’t``, ``don‘t``, ``don＇t``, ``don´t`` or ``don`t``, each ``'`` after the fold below),
runs of two or more dots (an ellipsis, ``..`` or ``...``, one token as ``…`` is) or single
other non-space characters, so ``"WOW!!"`` is ``WOW``, ``!``, ``!`` and ``"wait..."`` is
``wait``, ``...`` (until 2026-12-05 each dot a token, where the lexicon set's NLTK tokens
have one). A
character's token takes the extending characters after it, as Unicode's grapheme clusters
(UAX #29) do: combining marks
(category M: an accent written apart, a Devanagari vowel sign), the zero-width joiner
and non-joiner (U+200D, U+200C), emoji skin-tone modifiers (U+1F3FB-U+1F3FF) and tag characters
(U+E0020-U+E007F). So ``नमस्ते`` is one word, ``क्‍ष`` and ``می‌خواهم`` (a joiner inside) too,
and ``❤️``, ``👍🏽`` and ``🏴󠁧󠁢󠁳󠁣󠁴󠁿`` are one token each. Emoji sequences are one token: two
regional indicators in a row (a flag, ``🇫🇷``; pairs taken from the left), and a symbol token
(Unicode category S, or a flag) ending in a zero-width joiner takes the symbol or flag after
it with its extending characters (``👨‍👩‍👧``, ``❤️‍🔥``, ``👩🏽‍💻``). An extending character
with nothing before it (at the start, after white space) is a token of its own.

Descriptors per token (prefix ``text_surface_``):

``chars``
    Its length in characters.
``exclamation``, ``question``
    1 for a ``!`` / ``?`` token, else 0.
``allcaps``
    For a word token of two or more characters with a cased letter: 1 if every cased letter
    is upper case (``str.isupper``), else 0. NaN for other tokens (``I``, numbers,
    punctuation, emoji), so that functionals count word tokens only.

Default functionals: ``count`` (tokens; for ``allcaps``: word tokens), ``sum`` (characters,
exclamation and question marks), ``mean`` (``text_surface_allcaps_mean`` is the all-caps ratio).
An empty text has 0 tokens: counts and sums 0, means NaN.

The text is read as the lexicon set's tokenizer reads it, one rule for both sets
(:func:`._text_tokenize.fold`, then :func:`._text_tokenize.unescape`, NLTK's rule, then the
fold again): characters that only format the text are dropped, so that a word splits where it
splits in the lexicon set. Those are the variation selectors U+FE0E and U+FE0F (``❤️`` is the
one-character token ``❤``), the invisible format characters of
:data:`._text_tokenize.INVISIBLE` (a soft hyphen, ``won\xadder\xadful``, a zero-width space,
a byte-order mark, direction marks: each was a token of its own), and zero-width joiners and
non-joiners that join nothing (at the start or end of a whitespace chunk, or beside
punctuation). Full-width, half-width, circled and font letters, digits and punctuation and the
Latin ligatures are folded as NFKC folds them (``ＬＯＶＥ！`` is ``LOVE``, ``!``: one ``!``;
``ⓓ´ⓣ`` the one word ``d't``, as in the lexicon set; superscripts, ``…`` and emoji stay:
:data:`._text_tokenize.COMPAT_TYPES`), the text is composed to NFC (``naïve`` typed with a
combining diaeresis has 5 characters) and apostrophe look-alikes, and accents typed for one
between two letters, are ``'``. Until 2026-12-05 this set kept those as typed (``ⓓ´ⓣ`` was
three symbol tokens here, one word there; ``！`` no exclamation mark): of the 81,929 corpus
texts 2 GoEmotions comments change (a full-width ``？`` is a question mark; a text of stacked
combining marks composes to fewer characters). HTML entities are read as the characters they
stand for: ``&amp;`` is the one character ``&``, ``1&#xFE0F;&#x20E3;`` the keycap ``1⃣``, one
emoji token; a reference that names no character is text as written (``Q&A;`` is ``Q``,
``&``, ``A``, ``;``, where the lexicon set drops it as NLTK does). The counts are of the text
as so read.
"""

from __future__ import annotations

import re
import sys
import unicodedata
from collections.abc import Sequence
from functools import lru_cache
from itertools import chain
from typing import Any, ClassVar

import numpy as np

from emofeat.extractor import one_row_each
from emofeat.functionals import compute_functionals_many
from emofeat.readers import _as_text
from emofeat.signal import TextSignal

from ._text_tokenize import fold, unescape_folded
from ._vader import class_ranges
from .base import FrameExtractor

#: An inner apostrophe: ``'`` alone, as the tokens are found in the folded text
#: (:func:`_tokens`), where :func:`._text_tokenize.fold` has made ``'`` of its look-alikes
#: ``’ ‘ ＇`` between word characters and of the accents typed for one between two letters
#: (``don´t``, ``isn`t``; the lexicon set's rule, :func:`._text_tokenize.inner_accents`);
#: ``ʼ`` (U+02BC) is a letter, ``\w``, and ``5`6`` stays three tokens.
_INNER = "'"
#: a run of two or more dots: one token, an ellipsis (as ``…`` is, and as NLTK's tokens of
#: the lexicon set have it), where each dot was a token of its own (``..`` two tokens there,
#: one in the lexicon set)
_DOTS = r"\.\.+"
_ASCII_TOKEN = re.compile(rf"\w+(?:{_INNER}\w+)*|{_DOTS}|[^\w\s]")
DESCRIPTORS = ("chars", "exclamation", "question", "allcaps")


def tokenize(text: str) -> list[str]:
    """Word tokens (with inner apostrophes), emoji sequences and single punctuation or symbol
    tokens, each with the extending characters that follow it (see the module docstring)."""
    return _tokens(text)


#: The code points that hold combining marks and symbols, as (start, stop): the Basic
#: Multilingual Plane without the blocks of letters only or of no character (CJK unified
#: ideographs, Hangul syllables, surrogates, private use), the Supplementary Multilingual Plane
#: and the tags and variation selectors of the Supplementary Special-purpose Plane; the
#: other planes hold CJK ideographs (2, 3), nothing yet (4-13) and private use (15, 16). Half
#: of the code points of planes 0, 1 and 14; a test checks every code point of this Python's
#: Unicode version.
_SCANNED = ((0x0000, 0x4E00), (0xA000, 0xAC00), (0xD7A4, 0xD800), (0xF900, 0x20000),
            (0xE0000, 0xE1000))
#: Extending characters besides the marks: zero-width non-joiner and joiner, emoji skin-tone
#: modifiers (category Sk) and tag characters (Cf), as ranges of a character class.
_EXTEND_OTHER = r"\u200c\u200d\U0001f3fb-\U0001f3ff\U000e0020-\U000e007f"
_REGIONAL = r"\U0001f1e6-\U0001f1ff"  # regional indicators: two make a flag


def _scanned_codes() -> chain[int]:
    return chain.from_iterable(range(a, min(b, sys.maxunicode + 1)) for a, b in _SCANNED)


@lru_cache(maxsize=1)
def _token_re() -> re.Pattern:
    """The token pattern: ``re``'s ``\\w`` has no combining marks (Unicode categories Mn, Mc,
    Me), which would cut Hindi ``नमस्ते`` into 4 words and 3 vowel-sign tokens, and ``naïve``
    written with a combining diaeresis (NFD) into ``nai``, a mark and ``ve``; marks and the
    other extending characters stay with the character before them, and emoji sequences are
    one token (module docstring). Built on first use, from the code points that hold marks
    and symbols (:data:`_SCANNED`: 95,000 of 1.1 million, ~20 ms with the compilation, as much as
    the marks of planes 0, 1 and 14 alone took; all code points took 0.14 s of a text
    command)."""
    marks, symbols, wide = [], [], []
    for c in _scanned_codes():
        cat = unicodedata.category(chr(c))[0]
        if cat == "M":
            marks.append(c)
        elif cat == "S":
            (symbols if c < 0x10000 else wide).append(c)
    ext = class_ranges(marks) + _EXTEND_OTHER
    # an emoji element: a symbol or a flag (two regional indicators); a zero-width joiner at
    # the end of its extending characters joins the next element. re tests the ranges of a
    # class above U+FFFF one by one, so those (emoji) are tried only for such a character.
    elem = (rf"(?:[{class_ranges(symbols)}]|(?=[\U00010000-\U0010ffff])"
            f"(?:[{_REGIONAL}]{{2}}|[{class_ranges(wide)}]))")
    return re.compile(rf"\w[\w{ext}]*(?:{_INNER}\w[\w{ext}]*)*"
                      rf"|{elem}(?:[{ext}]|(?<=\u200d){elem})*"
                      rf"|{_DOTS}[{ext}]*|[^\w\s][{ext}]*")


def _tokens(text: str) -> list[str]:
    # the lexicon set's normalisation, one rule for both sets: the text as its tokenizer reads
    # it (fold: invisible characters dropped, compatibility forms folded, NFC, apostrophes),
    # HTML entities read as the characters they stand for and those folded in turn; ASCII
    # texts without a backtick (most) come back from fold as they are
    text = fold(text)
    if "&" in text:
        text = unescape_folded(text, fold, keep_unknown=True)
    # ASCII texts (most) have no marks: the plain pattern, the same tokens
    pattern = _ASCII_TOKEN if text.isascii() else _token_re()
    return pattern.findall(text)


def _caps(tok: str) -> float:
    if len(tok) < 2 or not (tok[0].isalnum() or tok[0] == "_"):
        return np.nan
    if tok.isupper():
        return 1.0
    return 0.0 if tok.islower() or tok != tok.upper() else np.nan  # no cased letter: NaN


def token_descriptors(tokens: list[str]) -> np.ndarray:
    """The four descriptors of each token, (n_tokens, 4): each distinct token is measured
    once (word frequencies are Zipfian: 670,000 tokens of 43,000 comments are 40,000 distinct
    ones), and the rows are gathered by token id."""
    vocab = _Vocabulary()
    ids = np.fromiter(map(vocab.__getitem__, tokens), dtype=np.intp, count=len(tokens))
    words = list(vocab)  # in id order
    table = np.empty((len(words), len(DESCRIPTORS)))
    table[:, 0] = [len(t) for t in words]
    table[:, 1] = [t == "!" for t in words]
    table[:, 2] = [t == "?" for t in words]
    table[:, 3] = [_caps(t) for t in words]
    return table[ids]


class _Vocabulary(dict):
    """Token -> id, the next id for a token not seen before."""

    def __missing__(self, token: str) -> int:
        self[token] = i = len(self)
        return i


class TextSurface(FrameExtractor):
    """Token, character, exclamation, question-mark and all-caps cues of texts.

    Parameters
    ----------
    level : {"functionals", "lld"}, default "functionals"
        One row per text, or one row per token.
    functionals : sequence of str, default ("count", "sum", "mean")
        Statistics over tokens (:mod:`emofeat.functionals`).

    Examples
    --------
    >>> from emofeat.extractors import TextSurface
    >>> ts = TextSurface().fit(["a"])
    >>> X = ts.transform(["I LOVE it!!", "meh"])
    >>> float(dict(zip(ts.get_feature_names_out(), X[0]))["text_surface_exclamation_sum"])
    2.0
    """

    modality: ClassVar[str] = "text"
    set_name: ClassVar[str] = "text_surface"
    # 1: since 7690730 the text is read through the lexicon set's fold (NFC,
    # full-width and circled forms as ASCII), changing rows for the same parameters
    numbers_version: ClassVar[int] = 1
    kernels: ClassVar[tuple[str, ...]] = (
        "emofeat._functionals_kernels:summarize_many",
    )

    def __init__(self, *, level: str = "functionals",
                 functionals: Sequence[str] = ("count", "sum", "mean")) -> None:
        self.level = level
        self.functionals = functionals

    def descriptor_names(self) -> list[str]:
        return [f"{self.set_name}_{d}" for d in DESCRIPTORS]

    def _compute(self, signal: TextSignal) -> tuple[np.ndarray, np.ndarray]:
        # str methods per token (C loops); tokens are few per text, so no kernel is needed
        tokens = tokenize(signal.text)
        return token_descriptors(tokens), np.arange(len(tokens), dtype=np.float64)

    def features_of(self, signal: TextSignal) -> tuple[np.ndarray, np.ndarray]:
        return self.features_of_many([signal])[0]

    def features_of_many(self, signals: list[Any]) -> list[tuple[np.ndarray, np.ndarray]]:
        rows, starts = self._rows([s.text for s in signals])
        if self.level == "lld":
            return [(rows[a:b], np.arange(b - a, dtype=np.float64))
                    for a, b in zip(starts[:-1], starts[1:], strict=True)]
        return one_row_each(rows)

    def transform(self, X: Any) -> np.ndarray:
        """Features of each text, all texts at once.

        Parameters
        ----------
        X : list or Series of str, or a DataFrame with a ``text`` column
            ``None``/NaN (missing) count as the empty text.

        Returns
        -------
        ndarray of float64
            One row per text (functionals), or one row per token of every text (``lld``).
        """
        self.check_params()
        return self._rows([_as_text(item) for item in self._items(X)])[0]

    def _rows(self, texts: list[str]) -> tuple[np.ndarray, np.ndarray]:
        """The output rows of ``texts`` at this level and where each text's tokens start in
        the token rows: tokenised text by text, every token's descriptors at once, then one
        functionals kernel call for all texts (a call per text cost twice the plain loop)."""
        token_lists = [_tokens(t) for t in texts]
        starts = np.zeros(len(token_lists) + 1, dtype=np.intp)
        np.cumsum(np.fromiter(map(len, token_lists), dtype=np.intp, count=len(token_lists)),
                  out=starts[1:])
        lld = token_descriptors(list(chain.from_iterable(token_lists)))
        if self.level == "lld":
            return lld, starts
        return compute_functionals_many(lld, starts, functionals=self.functionals), starts

    def warmup_input(self) -> Any:
        return "What a WONDERFUL day!! Isn't it? :)"
