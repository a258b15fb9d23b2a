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
from collections.abc import Iterable, Sequence
from functools import lru_cache
from itertools import accumulate, chain

import numpy as np

from emofeat._wording import noun

from ._lexicons import Lexicon, resolve_lexicon, spec_name
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
    _BEFORE_NO_MENTION,
    _SPACED_DOTS,
    GLUED,
    HELD,
    URL_TOKEN,
    USER_TOKEN,
    TextTokenizer,
    clean_texts,
    emoticons,
    fold,
    fold_unsafe,
    is_elongated,
    tokenised_whole,
    unescape_folded,
    url_start,
)
from ._vader import BOOSTERS, NEGATORS, Column, Vader

#: a run of three or more of one character, as NLTK's ``reduce_lengthening`` finds it
_LONG_RUN = re.compile(r"(.)\1{2,}")
#: a run of four or more: left in a token only where lower-casing joined runs ("Eeeek")
_RUN_OF_4 = re.compile(r"(.)\1{3}")


#: the clitics the Penn Treebank tokenisation (NLTK's ``word_tokenize``) splits from a word
_CLITICS = ("'s", "'d", "'m", "'ll", "'re", "'ve")


def _possessive_base(token: str) -> str | None:
    """The word of a lower-cased token ending in a clitic (``friend's`` -> ``friend``,
    ``let's`` -> ``let``, ``lol'd`` -> ``lol``; :data:`_CLITICS`), or ``None``: looked up
    where the lexicon has no entry spelt with the clitic."""
    for clitic in _CLITICS:
        cut = len(clitic)
        if (len(token) > cut and token.endswith(clitic)
                and any(c.isalpha() for c in token[:-cut])):
            return token[:-cut]
    return None

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
_CASE_STRIP = ".,;:!?\"'()[]{}<>*-_"
#: A hashtag or mention once a chunk's punctuation is stripped ("(@NASA)", '"#BLM"'): no word to
#: the case cues, as "@NASA" and "#BLM" are not; "(#1)Just" is a word (it is not all one tag)
_TAG_WORD = re.compile(r"[#@]\w[\w'\-]*\Z")
#: ``str.isspace`` of every code point up to U+3000, the last white-space character
_WHITESPACE = np.array([chr(i).isspace() for i in range(0x3001)], dtype=np.bool_)
_CASE_STRIP_MASK = np.array([chr(i) in _CASE_STRIP for i in range(128)], dtype=np.bool_)


@lru_cache(maxsize=1)
def _emoji_re():
    """Unicode's emoji (UTS #51): pictographs (``Extended_Pictographic``: ``😂``, ``❤``, ``©``,
    ``‼``), regional indicators and skin-tone modifiers; keycaps are :data:`HELD`. Other
    symbols are no emoji (``°``, ``♪``, ``☆``, ``♡``, the Braille patterns of text art: a
    GoEmotions comment of such art counted 401 emoji), as for VADER, whose emoji lexicon is
    Unicode's list. ``regex`` comes with NLTK."""
    import regex

    return regex.compile(r"[\p{Extended_Pictographic}\p{Regional_Indicator}\p{Emoji_Modifier}]")


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
        Scale a signed lexicon word's score by 1 +/- 0.293 after an intensifier/dampener
        (VADER's degree adverbs: "very", "slightly", ...); rating and binary lexicons are not
        scaled.
    normalise : {"token", "sentence", "raw"}
        Divide lexicon sums and counts by the number of tokens, of sentences, or not at all
        (means are never divided).
    tokenizer : TextTokenizer, optional
        Default: lower-casing, elongations reduced, URLs and mentions masked, no stemming.
    vader_sentences : bool
        Add the sentence-level VADER aggregates.
    fast : bool
        Look up each distinct whitespace chunk once (same features; texts with emoji, HTML
        entities or spaced ellipses always take the text-by-text path).
    """

    def __init__(self, lexicons: Sequence = ("vader", "afinn"), *, style: bool = True,
                 negation: str = "flip", negation_scope: int = 0, intensifiers: bool = True,
                 normalise: str = "token", tokenizer: TextTokenizer | None = None,
                 vader_sentences: bool = True, fast: bool = True) -> None:
        if negation not in NEGATION_MODES:
            raise ValueError(f"negation must be one of {sorted(NEGATION_MODES)}, got {negation!r}")
        if normalise not in NORMALISATIONS:
            raise ValueError(f"normalise must be one of {NORMALISATIONS}, got {normalise!r}")
        if int(negation_scope) < 0:
            raise ValueError(f"negation_scope must be >= 0, got {negation_scope!r}")
        if isinstance(lexicons, (str, Lexicon)):
            lexicons = [lexicons]
        # "vader" is no Lexicon (its own scorer), but a name as theirs: each once, checked
        # from the specs before any file is read (a spec's name is its lexicon's, spec_name)
        bundled = [isinstance(spec, str) and spec == "vader" for spec in lexicons]
        _check_lexicon_names([spec_name(spec) for spec in lexicons], bundled, lexicons)
        self.lexicons = [resolve_lexicon(spec)
                         for spec, vader in zip(lexicons, bundled, strict=True) if not vader]
        self.use_vader = any(bundled)
        self.style = bool(style)
        self.negation = negation
        self.negation_scope = int(negation_scope)
        self.intensifiers = bool(intensifiers)
        self.normalise = normalise
        self.vader_sentences = bool(vader_sentences)
        self.fast = bool(fast)
        _check_column_names(self)
        self.tokenizer = tokenizer if tokenizer is not None else TextTokenizer()
        self.tokenizer._tweet_tokenizer()
        # said by LexiconFeatures' parameter check: once a run, not by each worker's build
        self.stem_notes = _unstemmed_notes(self.lexicons, self.tokenizer)
        self.vader = Vader()
        # vocabulary: token -> id, with per-id tables (Python lists, arrays made on demand)
        self._ids: dict[str, int] = {}
        self._tokens: list[str] = []
        self._type = Column(np.uint8)
        self._negator = Column(np.uint8)
        self._clause = Column(np.uint8)
        self._send = Column(np.uint8)
        self._boost = Column(np.float64)
        self._valence = Column(np.float64)
        self._pending_valence: list[int] = []
        # each token's id for phrase matching: a hashtag's is its word's where a lexicon
        # phrase has that word, so "#kind of" is "kind of"; the word as spelt, else
        # lower-cased. Decided against the lexicons' phrase words (fixed when built), never
        # the tokens seen so far, so a text's columns do not depend on the texts before it
        self._word_id = Column(np.int64)
        # each token's id at a phrase's last word: a word with the clitic 's is its word there
        # only ("bad luck's" is "bad luck", "the bad's luck" no phrase, as the afinn package's
        # word-boundary matching reads them)
        self._last_id = Column(np.int64)
        self._has_tags = False
        self._rows = [Column(np.int64) for _ in self.lexicons]
        self._chunks: dict[str, tuple] = {}
        self._reset_chunks()
        self._lex_tables = []
        self._phrase_words: set[str] = set()  # the words of the lexicons' phrases
        for lex in self.lexicons:
            cats = {c: k for k, c in enumerate(lex.categories)}
            matrix = np.full((len(lex.entries), len(cats)), np.nan)
            words1: dict[str, int] = {}
            phrases = []
            reduce = getattr(self.tokenizer, "reduce_len", False)
            for r, (key, vals) in enumerate(lex.entries.items()):
                for c, v in vals.items():
                    matrix[r, cats[c]] = v
                if reduce and key not in _EMOTICONS:  # emoticons are tokens as written
                    # the tokenizer cuts runs of a letter to three ("gooood" -> "goood"): an
                    # entry spelt with a longer run is looked up as the tokens are spelt,
                    # unless the lexicon has that spelling itself
                    short = _LONG_RUN.sub(r"\1\1\1", key)
                    if short != key and short in lex.entries:
                        continue
                    key = short
                parts = key.split()
                if len(parts) == 1:
                    words1.setdefault(key, r)
                elif len(parts) in (2, 3):
                    phrases.append((parts, r))
                    self._phrase_words.update(parts)
            self._lex_tables.append({"matrix": matrix, "words": words1, "phrases": phrases})
        # the plain phrase words first: a hashtag or a word with 's in a phrase ("#blessed
        # day") is read as its word where that is a phrase word already in the vocabulary
        ordered = dict.fromkeys(p for tab in self._lex_tables for parts, _ in tab["phrases"]
                                for p in parts)
        for w in sorted(ordered, key=lambda w: w.startswith("#") or "'" in w):
            self._token_id(w)
        for tab in self._lex_tables:
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
        tid = len(self._type.values)
        self._ids[tok] = tid
        # an "@" token glued to what precedes it ("t@gged"), marked by the tokenizer: read as
        # spelt without the mark, but no mention (its id is not the mention's of that spelling)
        glued = tok[:1] == GLUED
        if glued:
            tok = tok[1:]
        self._tokens.append(tok)
        self._word_id.append(tid)
        self._last_id.append(tid)
        ty = self._classify(tok, mention=not glued)
        self._type.append(ty)
        low = tok.lower()
        # a hashtag is its word to the lexicon columns (below; phrases: _tables): "#not" a
        # negator and "#very" an intensifier, as VADER reads them ("#don't" was one already)
        tag = tok[1:] if ty == T_HASHTAG else None
        word = tag.lower() if tag else low
        # a word with the clitic 's ("friend's", "nothing's"), or 'd, 'm, 'll, 're, 've
        # ("lol'd", "would've"), is its word, as the afinn package's word-boundary matching
        # and the Penn Treebank tokenisation (NLTK's word_tokenize: "friend", "'s"; "lol",
        # "'d") read it; TweetTokenizer keeps it whole. So is a
        # hashtag's ("#monday's", "#happy's"), and a phrase's last word ("bad luck's" is
        # AFINN's "bad luck"; "the bad's luck" holds no phrase): the afinn package matches
        # both at word boundaries
        base = _possessive_base(word) if ty in (T_WORD, T_HASHTAG) else None
        if base:
            cut, word = len(word) - len(base), base  # the clitic's length
        if tag:
            self._new_tag(tid, tag, self._word_id)
        elif ty == T_WORD and low != tok and low in self._phrase_words:
            # lowercase=False: a word is read in phrases as written, else lower-cased ("bad
            # Luck", "Can't stand" are AFINN's "bad luck", "can't stand"), as single words are
            # looked up and as the afinn package and vaderSentiment read every text
            self._word_id[tid] = self._token_id(low)
            self._has_tags = True
        spelt = tag if tag else tok
        if base and spelt.lower() not in self._phrase_words:
            # a phrase spelt with the 's ("mother's day") is matched as written instead
            self._new_tag(tid, spelt[:-cut], self._last_id)
        elif self._word_id.values[tid] != tid:
            self._last_id[tid] = self._word_id.values[tid]
        self._negator.append(int(word in NEGATORS or "n't" in low))
        # NLTK's spaced ellipsis (". . .", and "end. .next" as one token ". .") is an ellipsis:
        # it ends a clause and a sentence as "..." does
        marks = "".join(tok.split()) if ty == T_PUNCT else ""
        self._clause.append(int(bool(marks) and all(c in CLAUSE_PUNCT for c in marks)))
        self._send.append(int(bool(marks) and all(c in _SENT_END for c in marks)))
        self._boost.append(BOOSTERS.get(word, 0.0) if self.intensifiers else 0.0)
        # emoji/emoticon VADER valence: scored in one batch when the tables are next built
        self._valence.append(0.0)
        if ty in (T_EMOJI, T_EMOTICON):
            self._pending_valence.append(tid)
        # a hashtag spelt in the lexicon ("#blessed" in a user list) is that entry; else
        # "#happy" is the word "happy", as VADER (punctuation stripped) and the afinn package
        # (word boundaries) read it
        for li, tab in enumerate(self._lex_tables):
            get = tab["words"].get
            row = get(tok, get(low, -1))
            if row < 0 and tag:
                row = get(tag, get(tag.lower(), -1))
            if row < 0 and base:  # an entry spelt with the 's ("let's") wins, as a tag's
                row = get(base, -1)
            if row < 0 and _RUN_OF_4.search(low):
                row = self._cut_row(get, low)
            self._rows[li].append(row)
        return tid

    def _cut_row(self, get, word: str) -> int:
        """The entry of a word (a token of letters) holding a run of four or more, looked up
        with its runs cut to three, or -1. NLTK cuts runs before case is folded, so "Eeeek"
        is the token "eeeek" where "eeeeek" is "eeek", and the lexicon's keys are cut to three
        (its "eeeek" is "eeek", or dropped where it spells "eeek" too): the capitalised
        elongation matched no entry."""
        if not getattr(self.tokenizer, "reduce_len", False) or not word.isalpha():
            return -1
        cut = _LONG_RUN.sub(r"\1\1\1", word)
        return get(cut, -1) if cut != word else -1

    def _new_tag(self, tid: int, tag: str, column: Column) -> None:
        """Set ``column[tid]`` (``_word_id`` or ``_last_id``) of a new hashtag or word with the
        clitic ``'s`` to the id of its word ``tag`` (``#happy`` -> ``happy``, ``luck's`` and
        ``#luck's`` -> ``luck``) where a lexicon phrase has that word as spelt, else
        lower-cased; else it stays the token's own id.

        Decided against the lexicons' phrase words, which are fixed when the featurizer is
        built, not against the tokens seen so far: with ``lowercase=False``, ``bad #Luck``
        read as ``bad luck`` in a new featurizer but as ``bad Luck`` (no phrase) once a text
        with the word ``Luck`` had been seen, before or after it in a batch.
        """
        self._has_tags = True
        words = self._phrase_words
        word = tag if tag in words else tag.lower()
        wid = self._ids.get(word) if word in words else None
        if wid is not None:  # always, after __init__: every phrase word is in the vocabulary
            column[tid] = wid

    def _classify(self, tok: str, mention: bool = True) -> int:
        from ._text_tokenize import _nltk

        if tok in _EMOTICONS:  # the AFINN emoticons the tokenizer keeps whole (xD, \o/)
            return T_EMOTICON
        if HELD.match(tok):  # a keycap (1️⃣ is an emoji, not a number) or subdivision flag
            return T_EMOJI
        if tok.isalpha():
            return T_WORD
        if tok == URL_TOKEN or url_start(tok):  # the tokenizer's URLs, masked or not
            return T_URL
        if tok == USER_TOKEN or (mention and tok.startswith("@") and len(tok) > 1):
            return T_MENTION
        if tok.startswith("#") and len(tok) > 1 and any(c.isalnum() for c in tok):
            return T_HASHTAG
        if len(tok) > 1 and _nltk()[1].fullmatch(tok):
            return T_EMOTICON
        if any(c.isalpha() for c in tok):
            return T_WORD
        if any(c.isdigit() for c in tok):
            return T_NUMBER
        if _emoji_re().search(tok):
            return T_EMOJI
        if _PUNCT_CHARS.match(tok):
            return T_PUNCT
        return T_OTHER

    def _tables(self):
        if self._pending_valence:
            pending, self._pending_valence = self._pending_valence, []
            comp = self.vader.scores([self._tokens[i] for i in pending], rounded=False)[:, 3]
            for i, c in zip(pending, comp, strict=True):
                self._valence[i] = float(c)
        return {
            "word_id": self._word_id.array()[:len(self._word_id)], "has_tags": self._has_tags,
            "last_id": self._last_id.array()[:len(self._last_id)],
            "type": self._type.array(), "negator": self._negator.array(),
            "clause": self._clause.array(), "send": self._send.array(),
            "boost": self._boost.array(), "valence": self._valence.array(),
            "rows": [r.array() for r in self._rows],
        }

    # -- chunks -----------------------------------------------------------------------------
    def _reset_chunks(self) -> None:
        """Forget the chunk table (token ids stay): bounds memory on endless streams."""
        self._chunk_ids = _ChunkIds(self)
        self._chunk_cols = {k: Column(np.int64)
                            for k in ("vcode", "excl", "quest", "end", "alpha", "caps", "elong")}
        self._raw_ids: dict[str, int] = {}  # raw tokenizer token -> token id
        # chunk id -> ("!", "?") counts of the folded chunk less those VADER counts
        self._bang_delta: dict[int, tuple[int, int]] = {}
        self._chunk_tok = Column(np.int64)
        self._chunk_tok_off = Column(np.int64)
        self._chunk_tok_off.append(0)

    def _new_chunk(self, chunk: str) -> int:
        """Register one chunk (see :meth:`_new_chunks`); returns its id."""
        return self._new_chunks([chunk])

    def _new_chunks(self, chunks: list[str]) -> int:
        """Register distinct new chunks, in order; returns the id of the first.

        Per chunk: its VADER token code, ``!``/``?`` counts, whether it ends a sentence, its
        case cues, and its tokenizer tokens as ids. Every step runs over the whole list at once
        (list comprehensions of string methods, one regular-expression pass over the joined
        chunks, NLTK many chunks per call, look-ups only for tokens not seen before): this is
        the cost of a first pass over a new corpus.
        """
        cols = self._chunk_cols
        first = len(cols["vcode"].values)
        cols["vcode"].extend(self.vader._codes_of(chunks))  # VADER sees the chunk as it is
        # tokens and case cues see the folded chunk (apostrophes, variation selectors)
        folded = [fold(c) for c in chunks]
        scan = _scan_chunks(folded)
        for k, (c, f) in enumerate(zip(chunks, folded, strict=True)):
            if c is not f:  # VADER's sentence split looks at the chunk's own last character
                scan[k, 2] = int(c[-1] in ".!?")
                # and VADER counts the "!" and "?" as written; the style columns count those
                # of the folded chunk ("！" is "!"): their difference is kept aside
                excl, quest = c.count("!"), c.count("?")
                if excl != scan[k, 0] or quest != scan[k, 1]:
                    self._bang_delta[first + k] = (int(scan[k, 0]) - excl,
                                                   int(scan[k, 1]) - quest)
                    scan[k, 0], scan[k, 1] = excl, quest
        for j, key in enumerate(("excl", "quest", "end", None, None, "alpha", "caps", "elong")):
            if key is not None:
                cols[key].extend(scan[:, j].tolist())
        for k in np.flatnonzero(scan[:, 4] == 0).tolist():  # non-ASCII: Unicode case rules
            for key, value in zip(("alpha", "caps", "elong"), _case_counts(folded[k]),
                                  strict=True):
                cols[key][first + k] = value
        raw = self.tokenizer.raw_tokens_many(folded, np.flatnonzero(scan[:, 3]).tolist(),
                                             (scan[:, 4] + scan[:, 8]).tolist())
        flat = list(chain.from_iterable(raw))
        raw_ids = self._raw_ids
        new = [t for t in dict.fromkeys(flat) if t not in raw_ids]
        if new:
            ids = self._token_ids_many(self.tokenizer.normalise_many(new))
            raw_ids.update(zip(new, ids, strict=True))
        self._chunk_tok.extend(map(raw_ids.__getitem__, flat))
        off = accumulate(map(len, raw), initial=self._chunk_tok_off.values[-1])
        next(off)
        self._chunk_tok_off.extend(off)
        dict.update(self._chunk_ids, zip(chunks, range(first, first + len(chunks)), strict=True))
        return first

    def _token_ids_many(self, tokens: list[str]) -> list[int]:
        """:meth:`_token_id` of many normalised tokens; new all-letter tokens (most of them)
        are entered in one go."""
        ids = self._ids
        new = [t for t in dict.fromkeys(tokens) if t not in ids]
        words = [t for t in new if t.isalpha() and t not in _EMOTICONS]
        if words:
            self._add_words(words)
        for t in new:
            if t not in ids:
                self._token_id(t)
        return list(map(ids.__getitem__, tokens))

    def _add_words(self, words: list[str]) -> None:
        """New all-letter tokens: what :meth:`_token_id` records, for many at once (such a
        token is a word, not punctuation, emoji or emoticon)."""
        k = len(words)
        base = len(self._type.values)
        self._ids.update(zip(words, range(base, base + k), strict=True))
        self._tokens.extend(words)
        self._word_id.extend(range(base, base + k))
        self._last_id.extend(range(base, base + k))
        lows = [w.lower() for w in words]
        self._type.extend([T_WORD] * k)
        self._negator.extend([int(w in NEGATORS or "n't" in w) for w in lows])
        self._clause.extend([0] * k)
        self._send.extend([0] * k)
        self._boost.extend([BOOSTERS.get(w, 0.0) for w in lows] if self.intensifiers
                           else [0.0] * k)
        self._valence.extend([0.0] * k)
        # the few words with a run of 4+ (a capitalised elongation, "Eeeek"), found in one scan
        joined = "\n".join(lows)
        long_runs = set()
        for m in _RUN_OF_4.finditer(joined):  # "." stops at "\n": a run is within a word
            end = joined.find("\n", m.end())
            long_runs.add(joined[joined.rfind("\n", 0, m.start()) + 1 : end if end >= 0
                                 else len(joined)])
        for li, tab in enumerate(self._lex_tables):
            get = tab["words"].get
            rows = [get(w, get(lw, -1)) for w, lw in zip(words, lows, strict=True)]
            if long_runs:
                rows = [self._cut_row(get, lw) if row < 0 and lw in long_runs else row
                        for row, lw in zip(rows, lows, strict=True)]
            self._rows[li].extend(rows)
        # lowercase=False: a capitalised word is read in phrases as its lower-case spelling
        # (see _token_id); every phrase word is in the vocabulary since __init__
        phrase_words = self._phrase_words if not getattr(self.tokenizer, "lowercase", True) \
            else ()
        for tid, (w, lw) in enumerate(zip(words, lows, strict=True), start=base):
            if lw in phrase_words and lw != w:
                self._word_id[tid] = self._last_id[tid] = self._ids[lw]
                self._has_tags = True

    def _chunk_arrays(self) -> dict[str, np.ndarray]:
        d = {k: v.array() for k, v in self._chunk_cols.items()}
        d["tok"] = self._chunk_tok.array()
        d["tok_off"] = self._chunk_tok_off.array()
        return d

    def _fast_masks(self, texts: list[str]) -> tuple[np.ndarray, np.ndarray]:
        """Which texts the chunk path gives exactly (see :meth:`_prepare_fast`).

        Returns ``tokens_ok`` (tokens and style cues from the chunk table: not texts with ``&``,
        i.e. HTML entities, spaced dots, or separators that only ``str.split`` treats as
        white space) and ``vader_ok`` (VADER too: not texts with an emoji of VADER's lexicon,
        which VADER replaces by its description). One search over all texts joined by
        newlines (none of these patterns spans a newline).
        """
        n = len(texts)
        tokens_ok = np.full(n, self.fast)
        vader_ok = tokens_ok.copy()
        if not self.fast or n == 0:
            return tokens_ok, vader_ok
        joined = "\n".join(texts)
        # one pattern at a time: each has a literal first character the scan can skip to
        amp, pattern = "", _SPACED_DOTS
        if not joined.isascii():  # and what fold makes "&" or spaced dots ("． ．")
            amp, dots, spaced = fold_unsafe()
            if any(c in joined for c in dots):
                pattern = spaced  # finds the ASCII spaced dots too
        hits = [m.start() for m in pattern.finditer(joined)]
        for c in "&\x1c\x1d\x1e\x1f" + amp:
            if c in joined:
                hits += [m.start() for m in re.finditer(re.escape(c), joined)]
        if hits:
            ends = np.cumsum([len(t) + 1 for t in texts])
            tokens_ok[np.searchsorted(ends, np.array(hits), side="right")] = False
        vader_ok &= tokens_ok
        v = self.vader
        if v._emoji_re is not None:
            if v._emoji_ascii:
                emoji = [m.start() for m in v._emoji_re.finditer(joined)]
                if emoji:
                    ends = np.cumsum([len(t) + 1 for t in texts])
                    vader_ok[np.searchsorted(ends, np.array(emoji), side="right")] = False
            elif not joined.isascii():
                # only non-ASCII texts can hold an emoji (str.isascii is a flag look-up)
                keys = v._emoji_desc.keys()
                for t, text in enumerate(texts):
                    if not text.isascii() and not keys.isdisjoint(text):
                        vader_ok[t] = False
        return tokens_ok, vader_ok

    def _fast_ok(self, text: str) -> bool:
        """Whether the chunk path gives all of this text's features exactly."""
        return bool(self._fast_masks([text])[1][0])

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
            # "！" is "!" here (not in VADER's counts: text by text), "&#33;" too
            folded = unescape_folded(fold(text))
            if tokenised_whole(text):
                # tokenised whole, like the tokenizer's fallback; case cues still per chunk,
                # of the text as the tokenizer reads it ("&amp;" is no word)
                ids.extend(self._token_id(tk) for tk in self.tokenizer._tokenize(text))
                for c in folded.split():
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
            extra[t] = (n_alpha, n_caps, n_elong, folded.count("!"), folded.count("?"))
        return np.array(ids, dtype=np.int64), np.array(offsets, dtype=np.int64), extra

    # -- features ---------------------------------------------------------------------------
    def transform(self, texts: Iterable) -> np.ndarray:
        """(n_texts, n_features) float64 matrix; missing texts (None, NaN) count as empty."""
        texts = clean_texts(texts)
        n = len(texts)
        if len(self._chunk_ids) > self.tokenizer.max_cache:
            self._reset_chunks()
        tokens_ok, vader_ok = self._fast_masks(texts)
        if tokens_ok.all():
            return self._features(*self._prepare_fast(texts, vader_ok))
        out = np.empty((n, len(self.feature_names())))
        fast, slow = np.flatnonzero(tokens_ok), np.flatnonzero(~tokens_ok)
        if len(fast):
            out[fast] = self._features(*self._prepare_fast([texts[t] for t in fast],
                                                           vader_ok[fast]))
        out[slow] = self._features(*self._prepare_slow([texts[t] for t in slow]))
        return out

    # -- preparation: VADER scores, sentence compounds, token ids -------------------------------
    def _vader_texts(self, texts: list[str]):
        """VADER text by text: (n, 4) scores and the compounds of the regex-split sentences
        with the text of each (None when sentence aggregates are off)."""
        vader4 = self.vader.scores(texts)
        sent = None
        if self.vader_sentences:
            sents: list[str] = []
            group: list[int] = []
            for t, text in enumerate(texts):
                parts = [s for s in _SENT_SPLIT.split(text) if s.strip()]
                sents.extend(parts)
                group.extend([t] * len(parts))
            comp = self.vader.scores(sents, rounded=False)[:, 3] if sents else np.zeros(0)
            sent = (np.ascontiguousarray(comp), np.array(group, dtype=np.int64))
        return vader4, sent

    def _prepare_slow(self, texts: list[str]):
        """Text by text: VADER on the text and on its regex-split sentences, tokenizer tokens."""
        n = len(texts)
        vader4 = sent = None
        if self.use_vader:
            vader4, sent = self._vader_texts(texts)
        ids, offsets, extra = self._encode(texts) if (self.lexicons or self.style) else (
            None, None, None)
        return n, vader4, sent, ids, offsets, extra

    def _prepare_fast(self, texts: list[str], vader_ok: np.ndarray | None = None):
        """Whitespace chunks looked up once each: a chunk is one VADER token, a fixed run of
        tokenizer tokens, and ends a sentence when its last character is . ! or ?, which is
        what the regex sentence split does. Only for texts where that holds
        (:meth:`_fast_masks`); VADER of the texts where ``vader_ok`` is false (emoji) is
        computed text by text.
        """
        from ._text_kernels import chunk_sums, expand_chunks, gather_spans, sentence_spans

        n = len(texts)
        cids_a, starts_a = self._split(texts)
        ct = self._chunk_arrays()
        # per text: alpha words, all-caps words, elongated words, "!", "?"
        extra = np.empty((n, 5))
        chunk_sums(cids_a, starts_a, ct["alpha"], ct["caps"], ct["elong"], ct["excl"],
                   ct["quest"], extra)

        vader4 = sent = None
        if self.use_vader:
            from ._vader import _round_exact
            from ._vader_kernels import vader_batch

            v = self.vader
            lex, boost, neg = v._tables()
            codes = ct["vcode"][cids_a]
            excl, quest = extra[:, 3].astype(np.int64), extra[:, 4].astype(np.int64)
            vader4 = np.empty((n, 4))
            vader_batch(codes, starts_a, excl, quest, lex, boost, neg, v._special, v._sc2,
                        v._sc2v, v._sc3, v._sc3v, v._bo2, v._bo2v, v._neumaier, vader4)
            compound = vader4[:, 3].copy()  # unrounded
            vader4[:, :3] = _round_exact(vader4[:, :3], 3)
            vader4[:, 3] = _round_exact(vader4[:, 3], 4)
            if self.vader_sentences:
                sent_off, group, s_excl, s_quest = sentence_spans(
                    cids_a, starts_a, ct["end"], ct["excl"], ct["quest"])
                # a text of one sentence: the sentence is the text (same codes, same ! and ?),
                # so its compound is the text's; the kernel runs on the other sentences only
                comp = compound[group]
                many = np.flatnonzero(np.bincount(group, minlength=n)[group] > 1)
                if len(many):
                    sub_codes, sub_off = gather_spans(codes, sent_off[many], sent_off[many + 1])
                    sub = np.empty((len(many), 4))
                    vader_batch(sub_codes, sub_off, s_excl[many], s_quest[many], lex, boost, neg,
                                v._special, v._sc2, v._sc2v, v._sc3, v._sc3v, v._bo2, v._bo2v,
                                v._neumaier, sub)
                    comp[many] = sub[:, 3]
                sent = (comp, group)
            if vader_ok is not None and not vader_ok.all():
                # emoji texts: VADER text by text; a text's sentences stay in order, so the
                # per-text aggregates sum them in the same order
                other = np.flatnonzero(~vader_ok)
                v4, s2 = self._vader_texts([texts[t] for t in other])
                vader4[other] = v4
                if sent is not None:
                    keep = vader_ok[sent[1]]
                    sent = (np.concatenate([sent[0][keep], s2[0]]),
                            np.concatenate([sent[1][keep], other[s2[1]]]))
        if self._bang_delta:  # style's "!" and "?" counts: those of the folded chunks
            delta = self._bang_delta
            hit = np.flatnonzero(np.isin(cids_a, np.fromiter(delta, np.int64, len(delta))))
            text_of = np.searchsorted(starts_a, hit, side="right") - 1
            for t, c in zip(text_of.tolist(), cids_a[hit].tolist(), strict=True):
                extra[t, 3:5] += delta[c]
        ids = offsets = None
        if self.lexicons or self.style:
            ids, offsets = expand_chunks(cids_a, starts_a, ct["tok_off"], ct["tok"])
        return n, vader4, sent, ids, offsets, extra

    def _split(self, texts: list[str]) -> tuple[np.ndarray, np.ndarray]:
        """Chunk ids of the texts' ``str.split()`` chunks (new chunks registered) and each
        text's first chunk position (n_texts + 1).

        The split and the numbering of distinct chunks run in Numba over the code points of
        all texts; only each distinct chunk is made a Python string and looked up.
        """
        from ._text_kernels import split_chunks

        joined = "".join(texts)
        cp = np.frombuffer(joined.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
        text_off = np.zeros(len(texts) + 1, dtype=np.int64)
        np.cumsum(np.fromiter(map(len, texts), dtype=np.int64, count=len(texts)),
                  out=text_off[1:])
        local, starts, u_start, u_len = split_chunks(cp, text_off, _WHITESPACE)
        uniq = [joined[a : a + m] for a, m in zip(u_start.tolist(), u_len.tolist(),
                                                   strict=True)]
        get = self._chunk_ids.get
        gid = np.array([get(c, -1) for c in uniq], dtype=np.int64)
        new = np.flatnonzero(gid < 0)
        if len(new):
            first = self._new_chunks([uniq[k] for k in new.tolist()])
            gid[new] = np.arange(first, first + len(new))
        return gid[local], starts

    # -- features from the prepared pieces ------------------------------------------------------
    def _features(self, n, vader4, sent, ids, offsets, extra) -> np.ndarray:
        from ._text_kernels import group_stats, lexicon_counts, modifiers, style_counts

        blocks = []
        if self.use_vader:
            blocks.append(vader4)
            if self.vader_sentences:
                agg = np.empty((n, 3))
                group_stats(sent[0], sent[1], n, agg)
                blocks.append(agg)
        if not self.lexicons and not self.style:
            return np.hstack(blocks) if blocks else np.zeros((n, 0))
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
            word_ids = tab["word_id"][ids] if tab["has_tags"] else ids
            last_ids = tab["last_id"][ids] if tab["has_tags"] else ids
            for li, lex in enumerate(self.lexicons):
                lt = self._lex_tables[li]
                k = len(lex.categories)
                sums, n_pos, n_neg, n_cat = (np.empty((n, k)) for _ in range(4))
                n_matched = np.empty(n)
                # intensifiers scale signed scores (centred on 0) only: a 0..1 rating or a
                # binary association has no direction to strengthen
                lexicon_counts(ids, word_ids, last_ids, offsets, negated, tab["negator"],
                               tab["clause"],
                               self.negation_scope, factor, neg_mode,
                               _KINDS[lex.kind],
                               self.intensifiers and lex.kind == "signed", tab["rows"][li],
                               lt["matrix"], lt["keys2"],
                               lt["rows2"], lt["keys3"], lt["rows3"],
                               _phrase_first(lt, tab["word_id"]), sums, n_pos, n_neg,
                               n_cat, n_matched)
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


class _ChunkIds(dict):
    """Whitespace chunk -> chunk id, filled on first sight."""

    def __init__(self, owner: TextFeaturizer) -> None:
        super().__init__()
        self._owner = owner

    def __missing__(self, chunk: str) -> int:
        return self._owner._new_chunk(chunk)


def _unstemmed_notes(lexicons: list[Lexicon], tokenizer: TextTokenizer) -> list[str]:
    """What to say of each lexicon whose words look unstemmed beside the tokenizer's stemmer:
    the tokens are stemmed, the lexicon words are not, so such a word matches no token (with
    stem="porter" the default AFINN matched 0 of "happy", "excited", "amazing" without a
    word: they are the tokens "happi", "excit", "amaz"). A lexicon counts as unstemmed where
    more than an eighth of its words change when stemmed: 56-75 % of AFINN's and the NRC
    lexicons' words do, 20 % of a hand-made list of ten emotion words (happy, angry), 4-6 %
    of the same lexicons stemmed with the same stemmer (Porter and Snowball change some
    stems again: "agre" -> "agr"), which must not be told to stem."""
    if tokenizer.stem is None:
        return []
    notes = []
    for lex in lexicons:
        words = {w for key in lex.entries for w in key.split() if w.isalpha()}
        changed = sorted(w for w in words if tokenizer._stem(w) != w)
        if words and len(changed) > len(words) / 8:
            w = changed[len(changed) // 2]
            notes.append(
                f"stem={tokenizer.stem!r} stems the tokens, not the words of lexicon "
                f"{lex.name!r}: {len(changed):,} of its {len(words):,} words change when "
                f"stemmed ({w!r} is the token {tokenizer._stem(w)!r}) and match no token; "
                "give a lexicon of stemmed words, or leave stem=None")
    return notes


def _is_tag(chunk: str, word: str) -> bool:
    """Whether ``word``, ``chunk`` with its punctuation stripped, is one hashtag or mention.

    An ``@`` right after a stripped ``*``, ``!`` or ``_`` (``*@NASA*``) is no mention, as the
    tokenizer reads it (:data:`._text_tokenize._BEFORE_NO_MENTION`, NLTK's handle pattern):
    such a word is a word.
    """
    if not _TAG_WORD.match(word):
        return False
    lead = len(chunk) - len(chunk.lstrip(_CASE_STRIP))
    return word[0] == "#" or lead == 0 or chunk[lead - 1] not in _BEFORE_NO_MENTION


def _case_counts(chunk: str) -> tuple[int, int, int]:
    """(is a word, is an all-caps word, is elongated) of a raw chunk, punctuation stripped.

    A word has at least two letters and is not a hashtag, mention or URL; all-caps means every
    cased letter is upper case; elongated, a letter repeated three or more times in a row
    (:func:`._text_tokenize.is_elongated`).
    """
    chunk = fold(chunk)
    if chunk.startswith(("#", "@")) or "://" in chunk or chunk.lower().startswith("www."):
        return 0, 0, 0
    word = chunk.strip(_CASE_STRIP)
    # a web address without a scheme ("change.org"), a hashtag or mention in brackets: no word
    if url_start(word) or _is_tag(chunk, word):
        return 0, 0, 0
    letters = len(word) if word.isalpha() else sum(c.isalpha() for c in word)
    if letters < 2:
        return 0, 0, 0
    return 1, int(word.isupper()), int(is_elongated(word))


def _check_lexicon_names(names: list[str | None], bundled: list[bool], specs) -> None:
    """Refuse a lexicon name given more than once (``"vader"`` twice, two AFINNs, two user
    lexicons of one name), naming it: its columns would be made twice. ``names``: one per
    lexicon given, ``None`` where not known yet; ``bundled``: which are the string
    ``"vader"`` (a user lexicon named ``vader`` beside it is told to take another name);
    ``specs``: the lexicons as given, shown where the name is not known."""
    seen: set[str] = set()
    dup = list(dict.fromkeys(n for n in names
                             if n is not None and (n in seen or seen.add(n))))
    if not dup:
        return
    # an entry of no known form as it was given (it was '?'), refused on its own once read
    shown = "[" + ", ".join(repr(n if n is not None else spec)
                            for n, spec in zip(names, specs, strict=True)) + "]"
    theirs = any(n == "vader" and not b for n, b in zip(names, bundled, strict=True))
    if dup == ["vader"] and theirs and any(bundled):
        raise ValueError(f"lexicon 'vader' given more than once (lexicons {shown}): 'vader' "
                         "is the bundled VADER; name yours otherwise (('user', path, name))")
    raise ValueError(f"lexicon {', '.join(map(repr, dup))} given more than once (lexicons "
                     f"{shown}): name each lexicon once, and give two lexicons of one "
                     "kind distinct names (user lexicons: ('user', path, name))")


def _check_column_names(feat: TextFeaturizer) -> None:
    """Refuse lexicon and category names that would make one column name twice (a category
    called ``n_matched`` in a binary lexicon, a lexicon ``a`` with category ``b_c`` beside a
    lexicon ``a_b`` with category ``c``, a lexicon called ``style``)."""
    names = feat.feature_names()
    if len(set(names)) == len(names):
        return
    seen: set[str] = set()
    dup = [n for n in names if n in seen or seen.add(n)]
    where = [f"{lex.name!r} (categories {list(lex.categories)})" for lex in feat.lexicons]
    twice = sorted(set(dup))
    raise ValueError(f"lexicon column {noun(len(twice), 'name')} {twice} would "
                     "be made twice by the "
                     f"lexicons {', '.join(where)}; rename the clashing category or give the "
                     "lexicon another name (user lexicons: ('user', path, name))")


def _phrase_first(table: dict, word_id: np.ndarray) -> np.ndarray:
    """Which token ids begin a phrase of a lexicon table (its packed 2- and 3-word keys), as
    written or, a hashtag, read as its word (``word_id``: :meth:`TextFeaturizer._tables`)."""
    first = np.zeros(len(word_id), dtype=np.bool_)
    first[table["keys2"] >> ID_BITS] = True
    first[table["keys3"] >> (2 * ID_BITS)] = True
    return first | first[word_id]


def _scan_chunks(chunks: list[str]) -> np.ndarray:
    """:func:`._text_kernels.chunk_scan` of chunks (no white space in them): (n, 9) int64."""
    from ._text_kernels import chunk_scan

    n = len(chunks)
    joined = "\n".join(chunks)
    cp = np.frombuffer(joined.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
    starts = np.zeros(n + 1, dtype=np.int64)
    np.cumsum(np.fromiter(map(len, chunks), dtype=np.int64, count=n) + 1, out=starts[1:])
    out = np.empty((n, 9), dtype=np.int64)
    chunk_scan(cp, starts, _CASE_STRIP_MASK, out)
    # the kernel knows URLs by "://" and "www." and hashtags and mentions by the chunk's
    # first character; a web address without either, as the tokenizer finds it
    # ("goooogle.com", "CHANGE.ORG/p"), and a tag inside punctuation ("(@NASA)", '"#BLM"')
    # are no words either (as _case_counts)
    for k, c in enumerate(chunks):
        dot, tag = "." in c, "#" in c or "@" in c
        if (dot or tag) and out[k, 5]:
            w = c.strip(_CASE_STRIP)
            if (dot and url_start(w)) or (tag and _is_tag(c, w)):
                out[k, 5:8] = 0
    return out


_EMOTICONS = emoticons()


def lexicon_features(texts: Iterable, **kwargs) -> tuple[np.ndarray, list[str]]:
    """Features and names in one call (see :class:`TextFeaturizer` for the options)."""
    f = TextFeaturizer(**kwargs)
    return f.transform(texts), f.feature_names()
