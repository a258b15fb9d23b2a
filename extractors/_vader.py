"""VADER sentiment (Hutto & Gilbert 2014), an independent implementation that scores like
vaderSentiment 3.3.2 and is many times faster on batches.

Why it is fast: each distinct whitespace token is analysed once (punctuation stripping, lower
case, all-caps test, lexicon/booster/negator look-ups) and cached as an integer code; the rules
then run in one Numba kernel over the codes of every text (:mod:`._vader_kernels`). The
reference re-lowercases the whole text for every lexicon word (quadratic in length); this is
linear apart from the "but" rule.

Why it is exact: the kernel keeps the reference's order of floating-point operations, the sum of
token valences follows the running Python's ``sum`` (compensated from 3.12), and the final
rounding is Python's ``round`` (decimal-correct), applied vectorised with an exact fallback near
ties. Texts are split on whitespace and emoji replaced by their descriptions as the reference
does (a space is added before an emoji description unless the emoji follows a space).

The lexicons are the files shipped with vaderSentiment 3.3.2 (MIT), bundled in
``emofeat/lexicons/vader``.
"""

from __future__ import annotations

import math
import re
import string
import sys
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path

import numpy as np

from emofeat.lexicons import lexicon_path

B_INCR = 0.293
B_DECR = -0.293

#: Words that negate the following lexicon word (besides any word containing "n't").
NEGATORS = frozenset("""
aint arent cannot cant couldnt darent didnt doesnt ain't aren't can't couldn't daren't didn't
doesn't dont hadnt hasnt havent isnt mightnt mustnt neither don't hadn't hasn't haven't isn't
mightn't mustn't neednt needn't never none nope nor not nothing nowhere oughtnt shant shouldnt
uhuh wasnt werent oughtn't shan't shouldn't uh-uh wasn't weren't without wont wouldnt won't
wouldn't rarely seldom despite
""".split())

_INCREASE = """
absolutely amazingly awfully completely considerable considerably decidedly deeply effing
enormous enormously entirely especially exceptional exceptionally extreme extremely fabulously
flipping flippin frackin fracking fricking frickin frigging friggin fully fuckin fucking fuggin
fugging greatly hella highly hugely incredible incredibly intensely major majorly more most
particularly purely quite really remarkably so substantially thoroughly total totally
tremendous tremendously uber unbelievably unusually utter utterly very
""".split()
_DECREASE = """
almost barely hardly kinda kindof kind-of less little marginal marginally occasional
occasionally partly scarce scarcely slight slightly somewhat sorta sortof sort-of
""".split()
#: Degree adverbs: one-token boosters/dampeners with their increments.
BOOSTERS: dict[str, float] = {**{w: B_INCR for w in _INCREASE}, **{w: B_DECR for w in _DECREASE}}
#: Two-word dampeners (they act only through the idiom check, as in the reference).
BOOSTER_BIGRAMS: dict[tuple[str, str], float] = {
    ("just", "enough"): B_DECR, ("kind", "of"): B_DECR, ("sort", "of"): B_DECR,
}
#: Idioms and phrases containing lexicon words, with the valence they take.
SPECIAL_CASES: dict[tuple[str, ...], float] = {
    ("the", "shit"): 3.0, ("the", "bomb"): 3.0, ("bad", "ass"): 1.5, ("bus", "stop"): 0.0,
    ("yeah", "right"): -2.0, ("kiss", "of", "death"): -1.5, ("to", "die", "for"): 3.0,
    ("beating", "heart"): 3.5,
}
# function words the rules test, in the order of the kernel's SP_* constants
_SPECIAL_WORDS = ("no", "or", "nor", "kind", "of", "never", "so", "this", "without", "doubt",
                  "least", "at", "very", "but")

SCORE_NAMES = ("neg", "neu", "pos", "compound")
_PUNCT = string.punctuation
_NON_ASCII = re.compile(r"[^\x00-\x7f]")


def read_vader_lexicon(path: str | Path | None = None) -> dict[str, float]:
    """The VADER lexicon as {token: mean valence}.

    Parameters
    ----------
    path : str or Path, optional
        A file in VADER's format (token, tab, mean valence, ...). Default: the bundled
        vaderSentiment 3.3.2 lexicon. Later duplicates override earlier ones, as in the
        reference.
    """
    path = Path(path) if path is not None else lexicon_path("vader", "vader_lexicon.txt")
    return dict(_parsed(str(path), path.stat().st_mtime_ns, "vader"))


def read_emoji_lexicon(path: str | Path | None = None) -> dict[str, str]:
    """VADER's emoji lexicon as {emoji: description} (default: the bundled 3.3.2 file)."""
    path = Path(path) if path is not None else lexicon_path("vader", "emoji_utf8_lexicon.txt")
    return dict(_parsed(str(path), path.stat().st_mtime_ns, "emoji"))


@lru_cache(maxsize=16)
def _parsed(path: str, mtime_ns: int, kind: str) -> dict:
    """A lexicon file parsed once per path and modification time (callers copy it): a new
    scorer then costs no file parsing."""
    out: dict = {}
    text = Path(path).read_text(encoding="utf-8")
    for line in text.rstrip("\n").split("\n"):
        if kind == "vader":
            if not line:
                continue
            fields = line.strip().split("\t")
            out[fields[0]] = float(fields[1])
        else:
            fields = line.strip().split("\t")
            out[fields[0]] = fields[1]
    return out


def strip_punctuation(token: str) -> str:
    """VADER's token clean-up: strip ASCII punctuation at both ends unless <= 2 chars remain."""
    stripped = token.strip(_PUNCT)
    return token if len(stripped) <= 2 else stripped


def _round_exact(x: np.ndarray, ndigits: int) -> np.ndarray:
    """``round(v, ndigits)`` of every element, as Python's decimal-correct ``round``.

    ``rint(x * 10**n) / 10**n`` is the same double as Python's result except where
    ``x * 10**n`` lies next to a half-way point; those few are recomputed with ``round``.
    """
    scale = 10.0 ** ndigits
    y = x * scale
    out = np.rint(y) / scale
    frac = np.abs(y - np.floor(y) - 0.5)
    near = np.flatnonzero(frac < 1e-6)
    flat = x.reshape(-1)
    res = out.reshape(-1)
    for k in near:
        res[k] = round(float(flat[k]), ndigits)
    return res.reshape(x.shape)


def _char_class(chars: Iterable[str]) -> re.Pattern | None:
    """A compiled ``[...]`` matching any of ``chars``, written as code-point ranges.

    A class of ~1,200 single emoji listed one by one makes ``re`` scan slowly; merged into
    ranges it is a fast bitmap test.
    """
    points = sorted({ord(c) for c in chars})
    return re.compile("[" + class_ranges(points) + "]") if points else None


def class_ranges(points: list[int]) -> str:
    """Ascending, distinct code points (at least one) as the body of a character class: runs
    of consecutive ones as ``a-b`` ranges."""
    parts = []
    lo = prev = points[0]
    for p in points[1:] + [None]:
        if p is not None and p == prev + 1:
            prev = p
            continue
        parts.append(re.escape(chr(lo)) if lo == prev
                     else f"{re.escape(chr(lo))}-{re.escape(chr(prev))}")
        if p is not None:
            lo = prev = p
    return "".join(parts)


class Column:
    """A list mirrored into a NumPy array that grows by doubling.

    Vocabulary tables gain entries one text at a time (the batch runner calls an extractor per
    text); rebuilding whole arrays on every new word would be quadratic. :meth:`array` returns
    an array at least as long as the list (entries past it are unused).
    """

    def __init__(self, dtype) -> None:
        self.values: list = []
        self.dtype = np.dtype(dtype)
        self._arr = np.empty(0, dtype=self.dtype)
        self._done = 0
        # the list's own methods: no Python frame per call on the hot path
        self.append = self.values.append
        self.extend = self.values.extend

    def __len__(self) -> int:
        return len(self.values)

    def __getstate__(self):
        state = dict(self.__dict__)
        del state["append"], state["extend"]
        return state

    def __setstate__(self, state) -> None:
        self.__dict__.update(state)
        self.append = self.values.append
        self.extend = self.values.extend

    def __setitem__(self, i: int, value) -> None:
        self.values[i] = value
        if i < self._done:
            self._arr[i] = value

    def array(self) -> np.ndarray:
        n = len(self.values)
        if n > self._done:
            if n > len(self._arr):
                grown = np.empty(max(2 * len(self._arr), n, 64), dtype=self.dtype)
                grown[:self._done] = self._arr[:self._done]
                self._arr = grown
            self._arr[self._done:n] = self.values[self._done:n]
            self._done = n
        return self._arr


class _TokenCodes(dict):
    """Raw whitespace token -> ``word_id << 1 | is_all_caps``, filled on first sight."""

    def __init__(self, vader: Vader) -> None:
        super().__init__()
        self._vader = vader

    def __missing__(self, token: str) -> int:
        word = strip_punctuation(token)
        code = (self._vader._word_id(word.lower()) << 1) | int(word.isupper())
        if len(self) < self._vader.max_cache:
            self[token] = code
        return code


class Vader:
    """VADER scorer for batches of texts, identical to vaderSentiment 3.3.2's
    ``polarity_scores``.

    Parameters
    ----------
    lexicon : dict, optional
        {token: valence}; default the bundled VADER lexicon.
    emoji_lexicon : dict, optional
        {emoji: description}; default the bundled VADER emoji lexicon. Only single-code-point
        keys take effect, as in the reference (which scans the text character by character).
    max_cache : int
        Most distinct tokens remembered (codes are recomputed, not lost, past it).

    Examples
    --------
    >>> from emofeat.extractors._vader import Vader
    >>> Vader().scores(["VADER is smart, handsome, and funny!"])   # neg, neu, pos, compound
    array([[0.    , 0.248 , 0.752 , 0.8439]])
    """

    def __init__(self, lexicon: dict[str, float] | None = None,
                 emoji_lexicon: dict[str, str] | None = None, max_cache: int = 2_000_000) -> None:
        self.lexicon = read_vader_lexicon() if lexicon is None else dict(lexicon)
        self.emoji_lexicon = read_emoji_lexicon() if emoji_lexicon is None else dict(emoji_lexicon)
        self.max_cache = int(max_cache)
        self._emoji_desc = {k: v for k, v in self.emoji_lexicon.items() if len(k) == 1}
        self._emoji_re = _char_class(self._emoji_desc)
        self._emoji_ascii = any(k.isascii() for k in self._emoji_desc)
        self._words: dict[str, int] = {}
        self._lex = Column(np.float64)
        self._boost = Column(np.float64)
        self._neg = Column(np.uint8)
        for w in _SPECIAL_WORDS:
            self._word_id(w)
        self._special = np.array([self._words[w] for w in _SPECIAL_WORDS], dtype=np.int64)
        self._sc2, self._sc2v = self._ngram_table(SPECIAL_CASES, 2)
        self._sc3, self._sc3v = self._ngram_table(SPECIAL_CASES, 3)
        self._bo2, self._bo2v = self._ngram_table(BOOSTER_BIGRAMS, 2)
        self._codes = _TokenCodes(self)
        self._neumaier = sys.version_info >= (3, 12)

    # -- vocabulary -------------------------------------------------------------------------
    def _word_id(self, word: str) -> int:
        wid = self._words.get(word)
        if wid is None:
            wid = len(self._lex.values)
            self._words[word] = wid
            self._lex.append(self.lexicon.get(word, math.nan))
            self._boost.append(BOOSTERS.get(word, 0.0))
            self._neg.append(int(word in NEGATORS or "n't" in word))
        return wid

    def _word_ids(self, words: list[str]) -> list[int]:
        """:meth:`_word_id` of many words, each new word's table entries added in one go."""
        ids = self._words
        new = [w for w in dict.fromkeys(words) if w not in ids]
        if new:
            base = len(self._lex.values)
            ids.update(zip(new, range(base, base + len(new)), strict=True))
            lexicon = self.lexicon
            self._lex.extend([lexicon.get(w, math.nan) for w in new])
            self._boost.extend([BOOSTERS.get(w, 0.0) for w in new])
            self._neg.extend([int(w in NEGATORS or "n't" in w) for w in new])
        return list(map(ids.__getitem__, words))

    def _codes_of(self, tokens: list[str]) -> list[int]:
        """Codes of many raw whitespace tokens (as :class:`_TokenCodes`, without caching)."""
        stripped = [t.strip(_PUNCT) for t in tokens]
        words = [t if len(s) <= 2 else s for t, s in zip(tokens, stripped, strict=True)]
        wids = self._word_ids([w.lower() for w in words])
        return [(i << 1) | w.isupper() for i, w in zip(wids, words, strict=True)]

    def _ngram_table(self, table, size):
        keys = [k for k in table if len(k) == size]
        ids = np.array([[self._word_id(w) for w in k] for k in keys], dtype=np.int64)
        return ids.reshape(len(keys), size), np.array([table[k] for k in keys], dtype=np.float64)

    def _tables(self):
        return self._lex.array(), self._boost.array(), self._neg.array()

    # -- text preparation -------------------------------------------------------------------
    def replace_emoji(self, text: str) -> str:
        """Emoji -> their descriptions, spaced as the reference does, and stripped."""
        if self._emoji_re is None or (text.isascii() and not self._emoji_ascii):
            return text.strip()
        desc = self._emoji_desc

        def sub(m: re.Match) -> str:
            p = m.start()
            sep = " " if p > 0 and text[p - 1] != " " else ""
            return sep + desc[m.group()]

        return self._emoji_re.sub(sub, text).strip()

    def encode(self, texts: Iterable[str]):
        """Token codes, offsets and !/? counts of ``texts`` (the kernel's inputs)."""
        codes: list[int] = []
        offsets = [0]
        n_excl: list[int] = []
        n_quest: list[int] = []
        get = self._codes.__getitem__
        emoji_re = self._emoji_re
        check_ascii = not self._emoji_ascii
        emoji_keys = self._emoji_desc.keys()
        for text in texts:
            # most texts are ASCII; otherwise look only at their non-ASCII characters, which
            # is much faster than a regex over ~1,200 scattered code points
            if emoji_re is not None and not (check_ascii and text.isascii()) and (
                    not check_ascii or not emoji_keys.isdisjoint(_NON_ASCII.findall(text))):
                text = self.replace_emoji(text)
            codes.extend(map(get, text.split()))
            offsets.append(len(codes))
            n_excl.append(text.count("!"))
            n_quest.append(text.count("?"))
        return (np.array(codes, dtype=np.int64), np.array(offsets, dtype=np.int64),
                np.array(n_excl, dtype=np.int64), np.array(n_quest, dtype=np.int64))

    # -- scoring ----------------------------------------------------------------------------
    def scores(self, texts: Iterable[str], *, rounded: bool = True) -> np.ndarray:
        """(n_texts, 4) array of neg, neu, pos, compound.

        Parameters
        ----------
        texts : iterable of str
            The texts. ``None`` and float NaN (missing values) score as the empty text (all
            zeros); other non-strings raise ``TypeError`` naming the position.
        rounded : bool
            Round as the reference does (3 decimals for neg/neu/pos, 4 for compound). With
            ``False`` the unrounded values are returned (finer features; same rules).
        """
        from ._vader_kernels import vader_batch

        texts = _as_str_list(texts)
        codes, offsets, n_excl, n_quest = self.encode(texts)
        lex, boost, neg = self._tables()
        out = np.empty((len(texts), 4), dtype=np.float64)
        vader_batch(codes, offsets, n_excl, n_quest, lex, boost, neg, self._special, self._sc2,
                    self._sc2v, self._sc3, self._sc3v, self._bo2, self._bo2v, self._neumaier,
                    out)
        if rounded:
            out[:, :3] = _round_exact(out[:, :3], 3)
            out[:, 3] = _round_exact(out[:, 3], 4)
        return out

    def polarity_scores(self, text: str) -> dict[str, float]:
        """One text's scores as the reference's dict (slow path: use :meth:`scores` for many)."""
        row = self.scores([text])[0]
        return dict(zip(SCORE_NAMES, map(float, row), strict=True))


def _as_str_list(texts: Iterable) -> list[str]:
    """Texts as a list of str; missing values (None, NaN) become ''."""
    if isinstance(texts, str):
        raise TypeError("texts must be an iterable of strings, not one string")
    out = []
    for k, t in enumerate(texts):
        if isinstance(t, str):
            out.append(t)
        elif t is None or (isinstance(t, float) and math.isnan(t)):
            out.append("")
        else:
            try:
                import pandas as pd

                if pd.isna(t):
                    out.append("")
                    continue
            except (ImportError, TypeError, ValueError):
                pass
            raise TypeError(f"text {k}: expected a string, got {type(t).__name__}")
    return out


_DEFAULT: Vader | None = None


def vader_scores(texts: Iterable[str], *, rounded: bool = True) -> np.ndarray:
    """neg, neu, pos, compound of each text with the bundled lexicons (shared scorer)."""
    global _DEFAULT
    if _DEFAULT is None:
        _DEFAULT = Vader()
    return _DEFAULT.scores(texts, rounded=rounded)
