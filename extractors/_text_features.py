"""Lexicon and style features of texts: the pure-function core of the ``lexicon`` set.

:class:`TextFeaturizer` turns a batch of texts into a float64 matrix with named columns:

- ``lexicon_vader_{neg,neu,pos,compound}``: VADER, identical to vaderSentiment 3.3.2 on the
  text as given (after missing-value and lone-surrogate clean-up), and
  ``lexicon_vader_sent_compound_{mean,min,max}`` over its sentences (split after ``.``, ``!``,
  ``?`` followed by white space), because the document compound saturates on long texts;
- per lexicon (AFINN bundled; NRC and user lexicons from your files), counts and scores of
  matched words with negation scope and intensifiers (see :mod:`._lexicons` for the kinds);
- style cues ``lexicon_style_*``: tokens, type-token ratio, ``!``/``?`` counts, all-caps ratio,
  elongated words, emoji/emoticon counts and their VADER sentiment, hashtags, mentions, URLs,
  sentences.

Tokens come from :class:`._text_tokenize.TextTokenizer` (NLTK TweetTokenizer). Every distinct
whitespace chunk is tokenised and classified once and cached; the per-text work runs in Numba
(:mod:`._text_kernels`).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence

import numpy as np

from ._lexicons import Lexicon, resolve_lexicon
from ._text_kernels import (
    ID_BITS,
    KIND_BINARY,
    KIND_RATING,
    KIND_SIGNED,
    NEG_DROP,
    NEG_FLIP,
    NEG_NONE,
    T_EMOJI,
    T_EMOTICON,
    T_HASHTAG,
    T_MENTION,
    T_NUMBER,
    T_OTHER,
    T_PUNCT,
    T_URL,
    T_WORD,
)
from ._text_tokenize import (
    _ELONGATED,
    _SPACED_DOTS,
    _SPLIT_ONLY_WS,
    URL_TOKEN,
    USER_TOKEN,
    TextTokenizer,
    clean_text,
)
from ._vader import BOOSTERS, NEGATORS, Vader

PREFIX = "lexicon_"
NEGATION_MODES = {"none": NEG_NONE, "flip": NEG_FLIP, "drop": NEG_DROP}
NORMALISATIONS = ("token", "sentence", "raw")
_KINDS = {"signed": KIND_SIGNED, "binary": KIND_BINARY, "rating": KIND_RATING}

STYLE_NAMES = (
    "n_tokens", "type_token_ratio", "n_words", "n_sentences", "n_exclamation", "n_question",
    "allcaps_ratio", "n_allcaps", "n_elongated", "n_emoji", "n_emoticon", "emoji_valence_sum",
    "emoticon_valence_sum", "n_hashtags", "n_mentions", "n_urls", "n_numbers", "n_punct",
)
_SENT_SPLIT = re.compile(r"(?<=[.!?])\s+")
_SENT_END = frozenset(".!?…")
#: Punctuation that ends a negation scope (a token made only of these characters).
CLAUSE_PUNCT = frozenset(".,;:!?…()[]{}")
_PUNCT_CHARS = re.compile(r"^[\W_]+$")


def _is_emoji_char(c: str) -> bool:
    return unicodedata.category(c) == "So" or 0x1F000 <= ord(c) <= 0x1FAFF


class TextFeaturizer:
    """Lexicon + style features of texts (see the module docstring for the columns).

    Parameters
    ----------
    lexicons : sequence
        ``"vader"``, ``"afinn"``, ``(name, path)`` for ``nrc_emolex``/``nrc_vad``/
        ``nrc_intensity``/``user``, or :class:`Lexicon` objects.
    style : bool
        Add the style cues.
    negation : {"flip", "drop", "none"}
        What a negator ("not", "never", "n't" words, ...) does to the lexicon words after it in
        its clause: flip signed scores (unsigned words are then not counted), drop them, or
        nothing. VADER keeps its own rules.
    negation_scope : int
        Most words a negation reaches (0: up to the next punctuation token).
    intensifiers : bool
        Scale a lexicon word's score by 1 +/- 0.293 after an intensifier/dampener (VADER's
        degree adverbs: "very", "slightly", ...).
    normalise : {"token", "sentence", "raw"}
        Divide lexicon sums and counts by the number of tokens, of sentences, or not at all
        (means are never divided).
    tokenizer : TextTokenizer, optional
        Default: lower-casing, elongations reduced, URLs and mentions masked, no stemming.
    vader_sentences : bool
        Add the sentence-level VADER aggregates.
    """

    def __init__(self, lexicons: Sequence = ("vader", "afinn"), *, style: bool = True,
                 negation: str = "flip", negation_scope: int = 0, intensifiers: bool = True,
                 normalise: str = "token", tokenizer: TextTokenizer | None = None,
                 vader_sentences: bool = True) -> None:
        if negation not in NEGATION_MODES:
            raise ValueError(f"negation must be one of {sorted(NEGATION_MODES)}, got {negation!r}")
        if normalise not in NORMALISATIONS:
            raise ValueError(f"normalise must be one of {NORMALISATIONS}, got {normalise!r}")
        if int(negation_scope) < 0:
            raise ValueError(f"negation_scope must be >= 0, got {negation_scope!r}")
        if isinstance(lexicons, (str, Lexicon)):
            lexicons = [lexicons]
        self.use_vader = any(isinstance(s, str) and s == "vader" for s in lexicons)
        self.lexicons = [resolve_lexicon(s) for s in lexicons
                         if not (isinstance(s, str) and s == "vader")]
        names = [lex.name for lex in self.lexicons]
        if len(set(names)) != len(names):
            raise ValueError(f"two lexicons share a name: {names}; give them distinct names")
        self.style = bool(style)
        self.negation = negation
        self.negation_scope = int(negation_scope)
        self.intensifiers = bool(intensifiers)
        self.normalise = normalise
        self.vader_sentences = bool(vader_sentences)
        self.tokenizer = tokenizer if tokenizer is not None else TextTokenizer()
        self.tokenizer._tweet_tokenizer()
        self.vader = Vader()
        # vocabulary: token -> id, with per-id tables (Python lists, arrays made on demand)
        self._ids: dict[str, int] = {}
        self._type: list[int] = []
        self._negator: list[int] = []
        self._clause: list[int] = []
        self._send: list[int] = []
        self._boost: list[float] = []
        self._valence: list[float] = []
        self._rows: list[list[int]] = [[] for _ in self.lexicons]
        self._arrays = None
        self._chunks: dict[str, tuple] = {}
        self._lex_tables = []
        for li, lex in enumerate(self.lexicons):
            cats = {c: k for k, c in enumerate(lex.categories)}
            matrix = np.full((len(lex.entries), len(cats)), np.nan)
            words1: dict[str, int] = {}
            phrases = []
            for r, (key, vals) in enumerate(lex.entries.items()):
                for c, v in vals.items():
                    matrix[r, cats[c]] = v
                parts = key.split()
                if len(parts) == 1:
                    words1[key] = r
                elif len(parts) in (2, 3):
                    phrases.append((parts, r))
            self._lex_tables.append({"matrix": matrix, "words": words1, "phrases": phrases})
        for li, tab in enumerate(self._lex_tables):
            k2, r2, k3, r3 = [], [], [], []
            for parts, r in tab["phrases"]:
                pid = [self._token_id(p) for p in parts]
                if max(pid) >= 1 << ID_BITS:
                    continue
                if len(pid) == 2:
                    k2.append((pid[0] << ID_BITS) | pid[1])
                    r2.append(r)
                else:
                    k3.append((pid[0] << (2 * ID_BITS)) | (pid[1] << ID_BITS) | pid[2])
                    r3.append(r)
            o2, o3 = np.argsort(k2), np.argsort(k3)
            tab["keys2"] = np.array(k2, dtype=np.int64)[o2]
            tab["rows2"] = np.array(r2, dtype=np.int64)[o2]
            tab["keys3"] = np.array(k3, dtype=np.int64)[o3]
            tab["rows3"] = np.array(r3, dtype=np.int64)[o3]

    # -- names ------------------------------------------------------------------------------
    def feature_names(self) -> list[str]:
        """Column names, all starting with ``lexicon_``."""
        names = []
        if self.use_vader:
            names += [f"vader_{k}" for k in ("neg", "neu", "pos", "compound")]
            if self.vader_sentences:
                names += [f"vader_sent_compound_{k}" for k in ("mean", "min", "max")]
        for lex in self.lexicons:
            for c in lex.categories:
                stem = lex.name if lex.categories == ("score",) else f"{lex.name}_{c}"
                if lex.kind == "binary":
                    names.append(stem)
                elif lex.kind == "signed":
                    names += [f"{stem}_sum", f"{stem}_mean", f"{stem}_n_pos", f"{stem}_n_neg"]
                else:
                    names += [f"{stem}_sum", f"{stem}_mean"]
            names.append(f"{lex.name}_n_matched")
        if self.style:
            names += [f"style_{k}" for k in STYLE_NAMES]
        return [PREFIX + n for n in names]

    # -- vocabulary -------------------------------------------------------------------------
    def _token_id(self, tok: str) -> int:
        tid = self._ids.get(tok)
        if tid is not None:
            return tid
        tid = len(self._type)
        self._ids[tok] = tid
        ty = self._classify(tok)
        self._type.append(ty)
        low = tok.lower()
        self._negator.append(int(low in NEGATORS or "n't" in low))
        self._clause.append(int(ty == T_PUNCT and all(c in CLAUSE_PUNCT for c in tok)))
        self._send.append(int(ty == T_PUNCT and all(c in _SENT_END for c in tok)))
        self._boost.append(BOOSTERS.get(low, 0.0) if self.intensifiers else 0.0)
        val = 0.0
        if ty in (T_EMOJI, T_EMOTICON):
            val = float(self.vader.scores([tok], rounded=False)[0, 3])
        self._valence.append(val)
        for li, tab in enumerate(self._lex_tables):
            self._rows[li].append(tab["words"].get(tok, tab["words"].get(low, -1)))
        self._arrays = None
        return tid

    def _classify(self, tok: str) -> int:
        from ._text_tokenize import _nltk

        if tok == URL_TOKEN or tok.startswith(("http://", "https://", "www.")):
            return T_URL
        if tok == USER_TOKEN or (tok.startswith("@") and len(tok) > 1):
            return T_MENTION
        if tok.startswith("#") and len(tok) > 1 and any(c.isalnum() for c in tok):
            return T_HASHTAG
        if len(tok) > 1 and _nltk()[1].fullmatch(tok):
            return T_EMOTICON
        if any(c.isalpha() for c in tok):
            return T_WORD
        if any(c.isdigit() for c in tok):
            return T_NUMBER
        if any(_is_emoji_char(c) for c in tok):
            return T_EMOJI
        if _PUNCT_CHARS.match(tok):
            return T_PUNCT
        return T_OTHER

    def _tables(self):
        if self._arrays is None:
            self._arrays = {
                "type": np.array(self._type, dtype=np.uint8),
                "negator": np.array(self._negator, dtype=np.uint8),
                "clause": np.array(self._clause, dtype=np.uint8),
                "send": np.array(self._send, dtype=np.uint8),
                "boost": np.array(self._boost, dtype=np.float64),
                "valence": np.array(self._valence, dtype=np.float64),
                "rows": [np.array(r, dtype=np.int64) for r in self._rows],
            }
        return self._arrays

    # -- chunks -----------------------------------------------------------------------------
    def _chunk(self, chunk: str) -> tuple:
        """(token ids, n_alpha_words, n_allcaps, n_elongated) of one whitespace chunk."""
        out = self._chunks.get(chunk)
        if out is None:
            toks = self.tokenizer._chunk(chunk)
            ids = tuple(self._token_id(t) for t in toks)
            out = (ids,) + _case_counts(chunk)
            if len(self._chunks) < self.tokenizer.max_cache:
                self._chunks[chunk] = out
        return out

    def _encode(self, texts: list[str]):
        ids: list[int] = []
        offsets = [0]
        extra = np.zeros((len(texts), 5))  # n_alpha, n_caps, n_elong, n_excl, n_quest
        chunk = self._chunk
        for t, text in enumerate(texts):
            n_alpha = n_caps = n_elong = 0
            if "&" in text or _SPACED_DOTS.search(text) or _SPLIT_ONLY_WS.search(text):
                # tokenised whole, like the tokenizer's fallback; case cues still per chunk
                ids.extend(self._token_id(tk) for tk in self.tokenizer.tokenize(text))
                for c in text.split():
                    _, a, b, e = chunk(c)
                    n_alpha += a
                    n_caps += b
                    n_elong += e
            else:
                for c in text.split():
                    cid, a, b, e = chunk(c)
                    ids.extend(cid)
                    n_alpha += a
                    n_caps += b
                    n_elong += e
            offsets.append(len(ids))
            extra[t] = (n_alpha, n_caps, n_elong, text.count("!"), text.count("?"))
        return np.array(ids, dtype=np.int64), np.array(offsets, dtype=np.int64), extra

    # -- features ---------------------------------------------------------------------------
    def transform(self, texts: Iterable) -> np.ndarray:
        """(n_texts, n_features) float64 matrix; missing texts (None, NaN) count as empty."""
        from ._text_kernels import group_stats, lexicon_counts, modifiers, style_counts

        texts = [clean_text(t) for t in texts]
        n = len(texts)
        blocks = []
        if self.use_vader:
            blocks.append(self.vader.scores(texts))
            if self.vader_sentences:
                sents: list[str] = []
                group: list[int] = []
                for t, text in enumerate(texts):
                    parts = [s for s in _SENT_SPLIT.split(text) if s.strip()]
                    sents.extend(parts)
                    group.extend([t] * len(parts))
                comp = self.vader.scores(sents, rounded=False)[:, 3] if sents else np.zeros(0)
                agg = np.empty((n, 3))
                group_stats(np.ascontiguousarray(comp), np.array(group, dtype=np.int64), n, agg)
                blocks.append(agg)
        if not self.lexicons and not self.style:
            return np.hstack(blocks) if blocks else np.zeros((n, 0))
        ids, offsets, extra = self._encode(texts)
        tab = self._tables()
        counts = np.empty((n, 13))
        style_counts(ids, offsets, tab["type"], tab["send"], tab["valence"], counts)
        n_tokens = counts[:, 0]
        n_sent = counts[:, 10]
        if self.normalise == "token":
            denom = np.maximum(n_tokens, 1.0)
        elif self.normalise == "sentence":
            denom = np.maximum(n_sent, 1.0)
        else:
            denom = np.ones(n)
        if self.lexicons:
            negated = np.empty(len(ids), dtype=np.uint8)
            factor = np.empty(len(ids), dtype=np.float64)
            modifiers(ids, offsets, tab["negator"], tab["clause"], tab["boost"],
                      self.negation_scope, negated, factor)
            neg_mode = NEGATION_MODES[self.negation]
            for li, lex in enumerate(self.lexicons):
                lt = self._lex_tables[li]
                k = len(lex.categories)
                sums, n_pos, n_neg, n_cat = (np.empty((n, k)) for _ in range(4))
                n_matched = np.empty(n)
                lexicon_counts(ids, offsets, negated, factor, neg_mode, _KINDS[lex.kind],
                               self.intensifiers, tab["rows"][li], lt["matrix"], lt["keys2"],
                               lt["rows2"], lt["keys3"], lt["rows3"], sums, n_pos, n_neg,
                               n_cat, n_matched)
                d = denom[:, None]
                means = np.divide(sums, n_cat, out=np.zeros_like(sums), where=n_cat > 0)
                cols = []
                for c in range(k):
                    if lex.kind == "binary":
                        cols.append(sums[:, c] / denom)
                    elif lex.kind == "signed":
                        cols += [sums[:, c] / denom, means[:, c], n_pos[:, c] / denom,
                                 n_neg[:, c] / denom]
                    else:
                        cols += [sums[:, c] / denom, means[:, c]]
                del d
                cols.append(n_matched / denom)
                blocks.append(np.column_stack(cols))
        if self.style:
            n_alpha = extra[:, 0]
            style = np.column_stack([
                n_tokens,
                np.divide(counts[:, 1], n_tokens, out=np.zeros(n), where=n_tokens > 0),
                counts[:, 2], n_sent, extra[:, 3], extra[:, 4],
                np.divide(extra[:, 1], n_alpha, out=np.zeros(n), where=n_alpha > 0),
                extra[:, 1], extra[:, 2], counts[:, 4], counts[:, 5], counts[:, 11],
                counts[:, 12], counts[:, 6], counts[:, 7], counts[:, 8], counts[:, 9],
                counts[:, 3],
            ])
            blocks.append(style)
        return np.hstack(blocks) if blocks else np.zeros((n, 0))


def _case_counts(chunk: str) -> tuple[int, int, int]:
    """(is a word, is an all-caps word, is elongated) of a raw chunk, punctuation stripped.

    A word has at least two letters and is not a hashtag, mention or URL; all-caps means every
    cased letter is upper case.
    """
    if chunk.startswith(("#", "@")) or "://" in chunk or chunk.lower().startswith("www."):
        return 0, 0, 0
    word = chunk.strip(".,;:!?\"'()[]{}<>*-_")
    letters = sum(c.isalpha() for c in word)
    if letters < 2:
        return 0, 0, 0
    return 1, int(word.isupper()), int(_ELONGATED.search(word) is not None)


def lexicon_features(texts: Iterable, **kwargs) -> tuple[np.ndarray, list[str]]:
    """Features and names in one call (see :class:`TextFeaturizer` for the options)."""
    f = TextFeaturizer(**kwargs)
    return f.transform(texts), f.feature_names()
