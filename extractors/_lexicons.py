"""Word lexicons: the bundled AFINN, the NRC lexicons from a user's copy, and user lexicons.

A :class:`Lexicon` maps lower-case words and phrases (several words separated by spaces) to a
score per category. Three kinds decide how a text is summarised (:mod:`._text_features`):

``signed``
    Scores can be negative (AFINN -5..5, a user's polarity list), centred on 0. A negated
    word's score flips sign; an intensifier ("very") scales it. Features per category: ``sum``,
    ``mean`` (over matched words), ``n_pos``, ``n_neg``. A 0 score is not a match (AFINN's
    0-scored phrases "kind of", "some kind" only stop "kind" +2 from matching).
``binary``
    Word-category associations (NRC EmoLex). Features: the count per category. A negated word
    is not counted; intensifiers do not weight counts.
``rating``
    Intensities or ratings (NRC VAD v1 0..1 or v2 -1..1, NRC Emotion Intensity 0..1).
    Features per category: ``sum`` and ``mean``. A negated word is not counted; intensifiers
    do not scale ratings (a bounded scale, VAD centred on 0.5 or 0, has no direction to
    strengthen), and 0 is a rating like any other.

The NRC lexicons are never bundled (their terms forbid redistribution): pass the path of your
own download. Their formats:

- EmoLex word level v0.92: ``word<TAB>category<TAB>0|1`` (10 categories);
- VAD v1: ``word<TAB>valence<TAB>arousal<TAB>dominance`` (optional header line ``Word ...``),
  scores 0..1; v2 the same with scores -1..1 (read as given; outside -1..1 refused);
- Emotion Intensity v1: ``word<TAB>emotion<TAB>score`` (8 emotions), scores 0..1 (outside
  refused).

A user lexicon is a UTF-8 text file of ``word<TAB>category<TAB>score`` lines (commas are also
accepted as separators; an optional header line whose third field is a name, not a number
(``score``), is skipped, and a first line whose score is a mistyped number is refused;
``#`` starts a comment line, unless the line is ``#key<TAB>category<TAB>number``: a hashtag
or keycap entry). Use one file per language if you like: each is its own lexicon.

Every loader spells a key as the tokens it must match are spelt (:func:`lexicon_key`: the
:func:`._text_tokenize.fold` that texts get before tokenising, lower case, single spaces), and
holds to the same rules:

- a key has at most :data:`MAX_PHRASE_WORDS` words (the matcher looks for nothing longer;
  :func:`load_nrc_vad` leaves a longer one out with a warning, the others refuse it);
- a word and a category must not be empty;
- a (word, category) pair given twice (after that normalisation: ``isn't`` and ``isn’t`` are
  one word) with the same score is kept once; with another score the file is refused naming
  both lines. (The NRC files as released repeat no pair, and EmoLex gives each pair one line,
  so its old "1 if any line says 1" reading never applied to a real file.)

Each breach raises :class:`LexiconFormatError` naming the file and line.
"""

from __future__ import annotations

import csv
import functools
import hashlib
import math
import numbers
import os
import re
import warnings
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from operator import itemgetter
from pathlib import Path

from emofeat._wording import noun
from emofeat.lexicons import lexicon_path

from ._text_tokenize import fold, keeps_case

KINDS = ("signed", "binary", "rating")
#: The longest key, in words: :class:`._text_features.TextFeaturizer` looks for phrases of 3,
#: then 2 words, then single words, so a longer key could never match.
MAX_PHRASE_WORDS = 3


def lexicon_key(word: str, *, lower: bool = True) -> str:
    """A lexicon word or phrase spelt as the tokens it has to match.

    The apostrophe look-alikes, variation selectors, invisible format characters,
    full-width and other compatibility characters and Unicode form get the same :func:`fold`
    as every text before it is tokenised (one function for both, so keys and tokens cannot
    drift apart: ``can’t stand`` matches "can't stand" and "can’t stand", ``❤️`` matches
    ``❤``, an NFD ``café`` the NFC one, ``ｈａｐｐｙ`` "happy"), the
    words are joined by single spaces, and the key is lower-cased unless ``lower`` is false
    (the AFINN emoticons, ``xD``, are matched as written).

    Parameters
    ----------
    word : str
        A word or a phrase of words separated by white space.
    lower : bool
        Lower-case the key (tokens are lower-cased by default).

    Returns
    -------
    str
        The key; empty when ``word`` is only white space, variation selectors or invisible
        format characters.
    """
    key = " ".join(fold(word).split())
    return key.lower() if lower else key


class LexiconFormatError(ValueError):
    """A lexicon file does not have the expected format (names the file and line)."""

    def __init__(self, path, line_no: int, problem: str) -> None:
        self.path = str(path)
        self.line_no = line_no
        # line 0: the file as a whole ("no entries")
        super().__init__(f"{path}, line {line_no}: {problem}" if line_no else
                         f"{path}: {problem}")


class LexiconWarning(UserWarning):
    """A lexicon file was read, but a line may not have been read as meant (names the file
    and line)."""


class LexiconFileNotFoundError(FileNotFoundError, ValueError):
    """A lexicon path that is no file: a ``FileNotFoundError``, and a ``ValueError`` (a bad
    parameter value), so that ``emofeat extract`` reports it as a usage error (exit 2), not
    as a bug in emofeat."""


def _file(path: str | os.PathLike) -> Path:
    """A lexicon's path, a leading ``~`` the home folder (``~/emolex.txt``), as for the
    paths of a manifest and of the datasets' loaders (the command line's ``--param`` too):
    given from Python it was looked for in a folder named ``~``. ``~name/...`` with no user
    ``name`` is left as it is (``os.path.expanduser``; ``Path.expanduser`` raises)."""
    return Path(os.path.expanduser(path))


def _not_a_file(path) -> LexiconFileNotFoundError:
    if Path(path).is_dir():
        return LexiconFileNotFoundError(f"lexicon file {path} is a folder: give the file")
    return LexiconFileNotFoundError(f"lexicon file not found: {path}")


@dataclass(frozen=True)
class Lexicon:
    """A word/phrase lexicon with one or more score categories.

    Parameters
    ----------
    name : str
        Short name used in feature names (``lexicon_<name>_<category>_...``).
    categories : tuple of str
        Category names, in feature order.
    entries : dict
        ``{word or phrase: {category: score}}``. Keys are normalised on construction as the
        loaders normalise a user lexicon file's words (:func:`lexicon_key`): lower-cased,
        ``{"Happy": 2}`` is the entry ``happy``, but for an emoticon (``xD``, ``:P``), kept as
        written as the tokenizer keeps an emoticon token (a user lexicon *file*'s
        emoticons are lower-cased with its words: its ``:P`` is ``:p``). A key of more than
        :data:`MAX_PHRASE_WORDS` words, or one spelt two ways (``Happy`` and ``happy``) with
        different scores for a category, raises ``ValueError``.
    kind : {"signed", "binary", "rating"}
        How scores combine (see the module docstring).
    """

    name: str
    categories: tuple[str, ...]
    entries: dict[str, dict[str, float]] = field(repr=False)
    kind: str = "signed"

    def __post_init__(self) -> None:
        self._check()
        _check_scores(self.name, self.categories, self.entries)
        # a Lexicon built in code gets the keys the loaders give: without this a key with a
        # capital letter, a curly apostrophe or U+FE0F, or of 4+ words, would silently never
        # match; the file loaders have already done it, naming lines (:meth:`_of_keys`)
        object.__setattr__(self, "entries", _normalised_entries(self.name, self.entries))

    @classmethod
    def _of_keys(cls, name: str, categories: tuple[str, ...],
                 entries: dict[str, dict[str, float]], kind: str) -> Lexicon:
        """A Lexicon of a loader's entries, whose keys :class:`_Entries` has already made with
        :func:`lexicon_key` and checked naming file and line: the other checks only."""
        # not one place: a loader keys words itself to name the line of a repeat or long phrase
        lex = object.__new__(cls)
        for attr, value in (("name", name), ("categories", categories), ("entries", entries),
                            ("kind", kind)):
            object.__setattr__(lex, attr, value)
        lex._check()
        return lex

    def _check(self) -> None:
        if self.kind not in KINDS:
            raise ValueError(f"Lexicon kind must be one of {KINDS}, got {self.kind!r}")
        if not self.name or not self.name.replace("_", "").isalnum():
            raise ValueError(f"Lexicon name must be letters, digits and '_', got {self.name!r}")
        if isinstance(self.categories, str):
            # a string is a sequence too: "joy" would be the categories j, o, y
            raise ValueError(f"Lexicon {self.name!r}: categories must be a tuple of names, got "
                             f"the string {self.categories!r} (one category: "
                             f"({self.categories!r},))")
        if not self.categories:
            raise ValueError(f"Lexicon {self.name!r} has no categories")
        for cat in self.categories:
            if not isinstance(cat, str) or not cat:
                raise ValueError(f"Lexicon {self.name!r}: a category must be a non-empty "
                                 f"string, got {cat!r}")

    def __len__(self) -> int:
        return len(self.entries)

    @property
    def max_words(self) -> int:
        """Longest entry, in words."""
        return max((len(k.split()) for k in self.entries), default=1)


def _check_scores(name: str, categories: tuple[str, ...],
                  entries: dict[str, dict[str, float]]) -> None:
    """Refuses, naming the word, what a :class:`Lexicon` built in code cannot score: a word
    not mapped to ``{category: score}``, a category not among ``categories`` (a ``KeyError``
    deep inside before) and a score that is no finite number (NaN matched nothing, silently;
    a string was converted or failed with numpy's message)."""
    for word, scores in entries.items():
        if not isinstance(scores, Mapping):
            raise ValueError(f"Lexicon {name!r}: {word!r} maps to {scores!r}, not to "
                             f"{{category: score}} (e.g. {{{categories[0]!r}: 1.0}})")
        for cat, value in scores.items():
            if cat not in categories:
                raise ValueError(f"Lexicon {name!r}: {word!r} is scored for {cat!r}, which is "
                                 f"not one of its categories {list(categories)}")
            if not isinstance(value, numbers.Real) or not math.isfinite(value):
                raise ValueError(f"Lexicon {name!r}: {word!r} has the {cat!r} score "
                                 f"{value!r}; a score must be a finite number")


def _normalised_entries(name: str, entries: dict[str, dict[str, float]]
                        ) -> dict[str, dict[str, float]]:
    """``entries`` with :func:`lexicon_key` keys, checked as the loaders check.

    Keys are lower-cased, as a file's words are (tokens are lower-cased by default, and with
    ``lowercase=False`` a word is looked up as written, then lower-cased: a capitalised key
    matched no token at the default, silently, and only the capitalised spelling without it),
    but for an emoticon (:func:`._text_tokenize.keeps_case`: ``xD``, ``:P``), kept as written
    as the tokenizer keeps an emoticon token and the AFINN emoticon loader its words.
    Keys that become equal are merged category by category; one
    category scored differently under two spellings, an empty key or a key of more than
    :data:`MAX_PHRASE_WORDS` words raises ``ValueError`` naming them. ``entries`` itself is
    returned when no key changes.
    """
    out: dict[str, dict[str, float]] = {}
    spelt: dict[str, str] = {}  # key -> the first spelling that gave it
    changed = False
    for word, scores in entries.items():
        key = lexicon_key(word, lower=False)
        # an emoticon keeps its case, as the tokenizer keeps an emoticon token's and the
        # AFINN emoticon loader its words' (":P" 1.4 and ":p" 1.0 are vaderSentiment's two
        # keys, "xD" no "xd"); every other key is lower-cased
        if " " in key or not keeps_case(key):
            key = key.lower()
        if not key:
            raise ValueError(f"Lexicon {name!r}: empty word {word!r}")
        n = len(key.split())
        if n > MAX_PHRASE_WORDS:
            raise ValueError(f"Lexicon {name!r}: {word!r} has {n} words; a phrase may have at "
                             f"most {MAX_PHRASE_WORDS}")
        if key not in out:
            out[key] = scores
            spelt[key] = word
            changed |= key != word
            continue
        changed = True
        merged = dict(out[key])
        for cat, value in scores.items():
            if cat in merged and merged[cat] != value:
                raise ValueError(
                    f"Lexicon {name!r}: {spelt[key]!r} and {word!r} are the same key {key!r} "
                    f"once normalised (lower-cased, as a lexicon file's words are, and "
                    f"apostrophes and Unicode forms folded), scored {merged[cat]!r} and "
                    f"{value!r} for {cat!r}")
            merged[cat] = value
        out[key] = merged
    return out if changed else entries


class _Entries:
    """The entries of a lexicon being read, with the checks every loader makes (see the module
    docstring): normalised keys of at most :data:`MAX_PHRASE_WORDS` words, no empty word or
    category, and a (word, category) pair repeated only with the same score.

    A loader hands over a file's rows at once (:meth:`rows`). They are checked in bulk (a key
    per distinct word, one dict of the pairs); a file where that finds anything to report or
    a pair given twice is gone through line by line (:meth:`add`), which names the first
    offending line and keeps a repeated pair once, as reading line by line always did.
    """

    def __init__(self, path: Path, *, lower: bool = True) -> None:
        self.path = path
        self.lower = lower
        self.entries: dict[str, dict[str, float]] = {}
        self._files: list[tuple[Path, bool, list[tuple]]] = []  # (file, lower, rows) so far
        self._pairs: list[dict[tuple[str, str], float]] = []  # per file: (key, cat) -> score
        self._seen: dict[tuple[str, str], tuple[Path, int, float]] = {}  # line by line
        self._word: str | None = None  # the last word and its key
        self._key = ""

    @contextmanager
    def rows(self, path: Path | None = None) -> Iterator[list[tuple]]:
        """A list for the rows ``(line, word, category, score, keep)`` of a file (``path``
        when entries come from several: the bundled AFINN words and emoticons), entered when
        the block ends. ``keep=False`` checks a pair without entering it (EmoLex's 0 lines).
        When the block raises a format error, the rows before it are entered first: a problem
        on an earlier line is the one reported, as when each line was entered as read."""
        rows: list[tuple] = []
        late = None
        try:
            yield rows
        except LexiconFormatError as exc:
            late = exc
        self._add_rows(self.path if path is None else path, rows)
        if late is not None:
            raise late

    def _add_rows(self, path: Path, rows: list[tuple]) -> None:
        self._files.append((path, self.lower, rows))
        lower = self.lower
        words, cats = list(map(itemgetter(1), rows)), list(map(itemgetter(2), rows))
        keys = {w: lexicon_key(w, lower=lower) for w in set(words)}
        pairs = dict(zip(zip(map(keys.__getitem__, words), cats, strict=True),
                         map(itemgetter(3), rows), strict=True))
        regular = (len(pairs) == len(rows) and "" not in keys.values()
                   and all(k.count(" ") < MAX_PHRASE_WORDS for k in keys.values())
                   and all(cats))
        again: set[tuple[str, str]] = set()  # pairs an earlier file gave, with the same score
        for earlier in self._pairs if regular else ():
            common = earlier.keys() & pairs.keys()
            regular = all(earlier[p] == pairs[p] for p in common)
            again |= common
        if not regular:
            self._line_by_line()
            return
        self._pairs.append(pairs)
        entries = self.entries
        for row, pair in zip(rows, pairs, strict=True):
            if row[4] and pair not in again:
                entries.setdefault(pair[0], {})[pair[1]] = row[3]

    def _line_by_line(self) -> None:
        """Every row so far entered line by line: raises at the first line that breaks a rule,
        or keeps a pair given twice with one score once."""
        self.entries, self._seen = {}, {}
        for path, lower, rows in self._files:
            self.lower, self._word = lower, None
            for no, word, cat, value, keep in rows:
                self.add(no, word, cat, value, keep=keep, path=path)
        self._pairs = [{p: seen[2] for p, seen in self._seen.items()}]

    def add(self, no: int, word: str, cat: str, value: float, *, keep: bool = True,
            path: Path | None = None) -> None:
        """Enter ``word``'s ``value`` for ``cat`` from line ``no``.

        ``keep=False`` checks the pair without entering it (EmoLex's 0 lines); ``path`` is the
        file when entries come from several (the bundled AFINN words and emoticons).
        """
        path = self.path if path is None else path
        if word != self._word:  # EmoLex and VAD give one word on several pairs in a row
            key = lexicon_key(word, lower=self.lower)
            n = key.count(" ") + 1  # words: the key's are joined by single spaces
            if key and n > MAX_PHRASE_WORDS:
                raise LexiconFormatError(
                    path, no, f"{word!r} has {n} words; a lexicon phrase may have at most "
                    f"{MAX_PHRASE_WORDS} (longer ones could never match)")
            self._word, self._key = word, key
        key = self._key
        if not key or not cat:
            raise LexiconFormatError(path, no, "empty word or category")
        seen = self._seen.get((key, cat))
        if seen is not None:
            if seen[2] != value:
                where = f"line {seen[1]}" + ("" if seen[0] == path else f" of {seen[0]}")
                raise LexiconFormatError(
                    path, no, f"{key!r} is given {cat!r} {value!r} here and {seen[2]!r} on "
                    f"{where}; a word may have one score per category")
            return  # the same score again (maybe another apostrophe): kept once
        self._seen[(key, cat)] = (path, no, value)
        if keep:
            self.entries.setdefault(key, {})[cat] = value


#: "#" and every white-space character (``str.isspace``: tests/test_text_lexicon_loading.py)
_BLANK_OR_HASH = frozenset("#\t\n\x0b\x0c\r\x1c\x1d\x1e\x1f \x85\xa0\u1680\u2000\u2001\u2002\u2003"
                           "\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000")
_NEWLINE = re.compile("\r\n|\r|\n")
_NEWLINE_BYTES = re.compile(b"\r\n|\r|\n")
_BOMS = ((b"\xff\xfe\x00\x00", "UTF-32"), (b"\x00\x00\xfe\xff", "UTF-32"),
         (b"\xff\xfe", "UTF-16"), (b"\xfe\xff", "UTF-16"))


#: A user-lexicon line that starts with "#" and is an entry, not a comment: "#" with no white
#: space after it, then three tab-separated fields, the last a number (``#blessed<TAB>joy<TAB>1``,
#: the keycap ``#️⃣<TAB>fun<TAB>2``); such lines were skipped as comments without a word.
_HASH_ENTRY = re.compile(r"#\S[^\t]*\t[^\t]*\t *[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)? *")


def _content(line: str, hash_keys: bool) -> bool:
    """Whether a line is read: not blank, not a ``#`` comment (but, with ``hash_keys``, an
    entry whose key starts with ``#``: :data:`_HASH_ENTRY`)."""
    if not line.strip():
        return False
    return not line.lstrip().startswith("#") or (
        hash_keys and _HASH_ENTRY.fullmatch(line) is not None)


def _lines(path: Path, hash_keys: bool = False) -> Iterator[tuple[int, str]]:
    """(line number, stripped line) of a UTF-8 text file, skipping blank and # lines (but
    entries keyed ``#...`` with ``hash_keys``: :func:`_content`).

    A leading UTF-8 byte-order mark is dropped. A file that is not UTF-8 (UTF-16 or UTF-32,
    Latin-1, ...) raises :class:`LexiconFormatError` naming the file and the first bad line.
    """
    if not path.is_file():
        raise _not_a_file(path)
    data = _bytes_of(path)
    if not data.startswith(tuple(bom for bom, _ in _BOMS)):
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            text = "\x00"
        # the whole file at once; one that is not clean UTF-8 is read line by line, which
        # names the line (UTF-8 decodes line by line as it does whole: no byte of a
        # multi-byte character is a newline)
        if "\x00" not in text:
            # lone CRs end lines too (Excel for Mac's "CSV (Macintosh)"), as in text mode
            lines = _NEWLINE.split(text) if "\r" in text else text.split("\n")
            # a line that starts with neither white space nor "#" is kept without more ado
            return iter([(no, line) for no, line in enumerate(lines, 1)
                         if line and (line[0] not in _BLANK_OR_HASH
                                      or _content(line, hash_keys))])
    return _lines_one_by_one(path, hash_keys)


def _lines_one_by_one(path: Path, hash_keys: bool = False) -> Iterator[tuple[int, str]]:
    """:func:`_lines` of a file read line by line (its errors name the first bad line)."""
    with open(path, "rb") as f:
        for no, raw in enumerate(_NEWLINE_BYTES.split(f.read()), 1):
            if no == 1:
                for bom, enc in _BOMS:
                    if raw.startswith(bom):
                        raise LexiconFormatError(
                            path, 1, f"the file is {enc} (byte-order mark); lexicon files "
                            "must be UTF-8 text: save it as UTF-8")
                if raw.startswith(b"\xef\xbb\xbf"):
                    raw = raw[3:]
            try:
                line = raw.decode("utf-8")
            except UnicodeDecodeError as err:
                raise LexiconFormatError(
                    path, no, f"not UTF-8 text (byte {raw[err.start]:#04x} at column "
                    f"{err.start + 1}); lexicon files must be UTF-8: save it as UTF-8"
                ) from None
            if "\x00" in line:
                raise LexiconFormatError(
                    path, no, "NUL characters: the file looks like UTF-16 or UTF-32 text "
                    "without a byte-order mark; lexicon files must be UTF-8: save it as UTF-8")
            line = line.strip("\r\n")
            if _content(line, hash_keys):
                yield no, line


def _number(path, no, text) -> float:
    try:
        value = float(text)
    except ValueError:
        raise LexiconFormatError(path, no, f"score {text!r} is not a number") from None
    if not math.isfinite(value):
        raise LexiconFormatError(path, no, f"score {text!r} is not finite")
    return value


def _once_per_file_version(load):
    """``load(path, **options)`` reads and checks a file once per content in a process:
    models fitted again and again (cross-validation, grid search) load a lexicon once. The
    file's bytes are hashed on every call (a few ms for the largest NRC file), so a changed
    file is read again however quickly it was rewritten (its modification time may not move).
    Each call returns its own :class:`Lexicon` (entries copied: a caller may change them); a
    file that fails to load is not remembered."""
    parsed: dict[tuple, tuple] = {}

    def digest(path: Path) -> bytes | None:
        try:
            return _file_digest(path)
        except OSError:
            return None

    @functools.wraps(load)
    def cached(path: str | Path, **options) -> Lexicon:
        path = _file(path)
        before = digest(path) if path.is_file() else None
        if before is None:
            return load(path, **options)  # the loader's own error (no such file, a folder)
        key = (str(path), before, tuple(sorted(options.items())))  # the name is the file's
        got = parsed.get(key)
        if got is None:
            lex = load(path, **options)
            if digest(path) == before:  # not rewritten while it was read
                if len(parsed) >= 8:
                    parsed.clear()  # a bound that threads loading at once cannot trip over
                parsed[key] = (lex.name, lex.categories, lex.kind, tuple(
                    (word, tuple(scores.items())) for word, scores in lex.entries.items()))
            return lex
        name, categories, kind, entries = got
        return Lexicon._of_keys(name, categories, {w: dict(d) for w, d in entries}, kind)

    cached.cache_clear = parsed.clear  # type: ignore[attr-defined]
    return cached


def load_afinn(path: str | Path | None = None, *, emoticons: bool = True) -> Lexicon:
    """AFINN (Nielsen 2011): words and phrases scored -5..5, ``signed``.

    Parameters
    ----------
    path : str or Path, optional
        An AFINN file (``word<TAB>score``). Default: the bundled AFINN-en-165 (Apache-2.0).
    emoticons : bool
        Also add the bundled AFINN emoticon list (used only with the default path).
    """
    files = [_file(path)] if path is not None else [lexicon_path("afinn", "AFINN-en-165.txt")]
    if path is None and emoticons:
        files.append(lexicon_path("afinn", "AFINN-emoticon-8.txt"))
    for p in files:
        if not p.is_file():
            raise _not_a_file(p)
    entries = {key: {"score": score} for key, score in _afinn_entries(tuple(
        (str(p), _file_digest(p)) for p in files))}
    return Lexicon._of_keys("afinn", ("score",), entries, "signed")


def _file_digest(path: Path) -> bytes:
    """A hash of the file's bytes (30 us for AFINN's 2,477 lines): a file rewritten within
    its modification time's resolution, or given back an old time (``cp -p``, ``touch -r``),
    is read again."""
    return hashlib.blake2b(_bytes_of(path), digest_size=16).digest()


def _bytes_of(path: Path) -> bytes:
    """The file's bytes; a file this user may not read is a :class:`LexiconFormatError` naming
    it (a bad parameter: the CLI's exit 2), not a ``PermissionError`` that ``emofeat extract``
    reported as an output it 'cannot write'."""
    try:
        return path.read_bytes()
    except PermissionError as exc:
        raise LexiconFormatError(path, 0, f"cannot read it ({exc.strerror})") from None


@functools.lru_cache(maxsize=16)
def _afinn_entries(files: tuple[tuple[str, bytes], ...]) -> tuple[tuple[str, float], ...]:
    """(key, score) of AFINN files (path, hash of the bytes), read once per such tuple.

    The bundled word and emoticon files share a few entries (``xo``, ``xoxo``) with the same
    scores: kept once, as a repeat within one file is (see :class:`_Entries`).
    """
    found = _Entries(Path(files[0][0]))
    for path, _ in files:
        p = Path(path)
        found.lower = "emoticon" not in p.name  # emoticons keep their case (``xD``, ``xd``)
        with found.rows(p) as rows:
            for no, line in _lines(p):
                word, sep, score = line.rpartition("\t")
                if not sep:
                    raise LexiconFormatError(p, no, "expected 'word<TAB>score'")
                rows.append((no, word, "score", _number(p, no, score), True))
    return tuple((key, d["score"]) for key, d in found.entries.items())


#: What an EmoLex loading error tells to give instead.
_EMOLEX_WORDLEVEL = ("give the word-level file (NRC-Emotion-Lexicon-Wordlevel-v0.92.txt, "
                     "'word<TAB>category<TAB>0|1')")
#: EmoLex's ten categories, in the order of its word-level file
EMOLEX_CATEGORIES = ("anger", "anticipation", "disgust", "fear", "joy", "negative",
                     "positive", "sadness", "surprise", "trust")


def _emolex_form_hint(parts: list[str]) -> str:
    """What an EmoLex line that is not ``word<TAB>category<TAB>0|1`` may be: the header of
    the one-column-per-category form of NRC's download (``NRC-Emotion-Lexicon-
    ForVariousLanguages.txt``, the ``OneFilePerLanguage`` files: ``English Word<TAB>anger
    <TAB>...``), or an EmoLex row of that form (a word and ten 0/1 flags)."""
    fields = [p.strip().lower() for p in parts]
    if sum(c in fields for c in EMOLEX_CATEGORIES) >= 8 or (
            len(fields) >= 11 and all(f in ("0", "1") for f in fields[1:11])):
        return (" (this looks like the one-column-per-category form, NRC-Emotion-Lexicon-"
                f"ForVariousLanguages.txt or a OneFilePerLanguage file; {_EMOLEX_WORDLEVEL})")
    return ""


@_once_per_file_version
def load_nrc_emolex(path: str | Path) -> Lexicon:
    """NRC Word-Emotion Association Lexicon (EmoLex) from your copy, ``binary``.

    Parameters
    ----------
    path : str or Path
        ``NRC-Emotion-Lexicon-Wordlevel-v0.92.txt`` (or a file in its format).
    """
    path = _file(path)
    found = _Entries(path)
    categories: dict[str, None] = {}  # in file order
    # the sense-level file's keys are all 'abandon--leave, desert', which match no token, so
    # every column was 0 without a word; a word-level file may hold a few keys with '--' of
    # its own ('anti--war', ':--(' are tokens), so only a file of senses alone is refused
    all_senses, first_sense = True, None
    with found.rows() as rows:
        add = rows.append
        for no, line in _lines(path):
            parts = line.split("\t")
            flag = parts[2].strip() if len(parts) == 3 else ""
            if flag not in ("0", "1"):
                raise LexiconFormatError(path, no, "expected 'word<TAB>category<TAB>0|1'"
                                         + _emolex_form_hint(parts))
            if "--" not in parts[0]:
                all_senses = False
            elif first_sense is None:
                first_sense = (no, parts[0])
            cat = parts[1].strip()
            # 0 lines are checked too: a pair said 1 on one line and 0 on another is refused
            add((no, parts[0], cat, 1.0 if flag == "1" else 0.0, flag == "1"))
            categories[cat] = None
    if not categories:
        raise LexiconFormatError(path, 0, "no entries")
    if all_senses:
        no, key = first_sense
        raise LexiconFormatError(
            path, no, f"{key!r} is a word sense ('word--near synonyms'), as is every key of "
            "the file: this is NRC EmoLex's sense-level file (NRC-Emotion-Lexicon-Senselevel-"
            f"v0.92.txt), whose senses match no word of a text; {_EMOLEX_WORDLEVEL}")
    return Lexicon._of_keys("nrc_emolex", tuple(categories), found.entries, "binary")


#: The scores NRC's rating lexicons may hold: VAD v1 rates 0..1 and v2 -1..1 (both are read
#: as given); Emotion Intensity rates 0..1.
VAD_RANGE, INTENSITY_RANGE = (-1.0, 1.0), (0.0, 1.0)


def _in_range(path, no, what: str, value: float, text: str, bounds, scale: str) -> None:
    """Refuses a score outside ``bounds`` (a file in another format or scale, or a typo)."""
    if not bounds[0] <= value <= bounds[1]:
        raise LexiconFormatError(
            path, no, f"{what} {text.strip()!r} is outside {bounds[0]:g}..{bounds[1]:g} "
            f"({scale})")


@_once_per_file_version
def load_nrc_vad(path: str | Path) -> Lexicon:
    """NRC Valence-Arousal-Dominance lexicon from your copy, ``rating``.

    v1 (2018) rates 0..1 (neutral 0.5), v2 (2025) -1..1 (neutral 0): the scores are used as
    the file gives them, so the columns are on the file's scale. A score outside -1..1 is
    refused naming the file and line. v2's multiword expressions of more than
    :data:`MAX_PHRASE_WORDS` words, which the matcher never looks for, are left out with a
    :class:`LexiconWarning` naming their count and the first (the file is NRC's, not the
    user's to mend; a user lexicon with one is refused).
    """
    path = _file(path)
    found = _Entries(path)
    dims = ("valence", "arousal", "dominance")
    first = True
    too_long: list[tuple[int, str]] = []
    with found.rows() as rows:
        for no, line in _lines(path):  # comment and blank lines already skipped
            parts = line.split("\t")
            if len(parts) != 4:
                raise LexiconFormatError(
                    path, no, "expected 'word<TAB>valence<TAB>arousal<TAB>dominance'")
            if first:
                first = False
                if parts[1].strip().lower().startswith("valence"):
                    continue  # header: the first line that is not a comment
            if len(parts[0].split()) > MAX_PHRASE_WORDS:
                too_long.append((no, parts[0]))
                continue
            values = [_number(path, no, v) for v in parts[1:]]
            for dim, value, text in zip(dims, values, parts[1:], strict=True):
                _in_range(path, no, dim, value, text, VAD_RANGE,
                          "NRC VAD v1 rates 0..1, v2 -1..1")
            rows += [(no, parts[0], dim, value, True)
                     for dim, value in zip(dims, values, strict=True)]
    if not found.entries:
        raise LexiconFormatError(path, 0, "no entries")
    if too_long:
        no, words = too_long[0]
        warnings.warn(LexiconWarning(
            f"{path}: {len(too_long):,} {noun(len(too_long), 'entry', 'entries')} of more than "
            f"{MAX_PHRASE_WORDS} words left out (the first: line {no}, {words!r}): phrases are "
            f"matched up to {MAX_PHRASE_WORDS} words, so they could never match"), stacklevel=2)
    return Lexicon._of_keys("nrc_vad", dims, found.entries, "rating")


def load_nrc_intensity(path: str | Path) -> Lexicon:
    """NRC Emotion Intensity lexicon from your copy, ``rating`` (0..1; a score outside 0..1
    is refused naming the file and line).

    Version 1 (2020, ``NRC-Emotion-Intensity-Lexicon-v1.txt``, ``word<TAB>emotion<TAB>score``,
    8 emotions) and the earlier NRC Affect Intensity Lexicon v0.5
    (``NRC-AffectIntensity-Lexicon.txt``, 4 emotions, ``term<TAB>score<TAB>AffectDimension``
    after a header line of those names and a preamble of free text) are both read
    (:func:`_intensity_layout`)."""
    return load_user_lexicon(path, name="nrc_intensity", kind="rating",
                             _bounds=(INTENSITY_RANGE, "NRC Emotion Intensity rates 0..1"))


@_once_per_file_version
def load_user_lexicon(path: str | Path, *, name: str | None = None,
                      kind: str | None = None, _bounds: tuple | None = None) -> Lexicon:
    """A lexicon in the generic ``word<TAB>category<TAB>score`` format.

    Parameters
    ----------
    path : str or Path
        UTF-8 text; tab- or comma-separated, a field in double quotes read as CSV quotes it
        (R's ``write.csv``, Excel); ``#`` comment lines (not ``#key<TAB>category<TAB>
        number``, an entry) and an optional header skipped.
        Words are lower-cased; a word may be a phrase of 2 to :data:`MAX_PHRASE_WORDS` words
        separated by spaces. A (word, category) pair repeated with another score is refused.
    name : str, optional
        Name in feature names; default the file name without extension.
    kind : {"signed", "binary", "rating"}, optional
        Default: ``signed`` if any score is negative, ``binary`` if all scores are 0 or 1,
        else ``rating``.
    _bounds : ((low, high), scale), optional
        Private (:func:`load_nrc_intensity`): refuse a score outside low..high, naming the
        first such line and the scale (:func:`_in_range`), after the rules above (a file
        that breaks both is refused for those).
    """
    path = _file(path)
    found = _Entries(path)
    categories: dict[str, None] = {}  # in file order
    first = True
    header = None  # (line, score) of a first line taken as the header
    out = None  # the first score outside _bounds: refused after the file's own rules
    flags = _bounds is not None  # every score 0 or 1 so far (a rating file: EmoLex's flags?)
    zero = None  # (line, word, category) of the first score 0
    lines = list(_lines(path, hash_keys=True))  # "#blessed" keys too
    order = (0, 1, 2)  # the fields of word, category, score
    at = _ail_header_at(lines)
    if _bounds is not None and _bounds[0] == INTENSITY_RANGE:
        lines, order = _intensity_layout(lines, at)
    elif at is not None:
        raise LexiconFormatError(
            path, lines[at][0], "'term<TAB>score<TAB>AffectDimension' is the header of NRC "
            "Affect Intensity v0.5 (NRC-AffectIntensity-Lexicon.txt, the lines before it its "
            "preamble): give the file as ('nrc_intensity', path)")
    with found.rows() as rows:
        for no, line in lines:
            parts = _fields(line)
            if len(parts) != 3:
                raise LexiconFormatError(path, no, "expected 'word<TAB>category<TAB>score'" + (
                    " (fields separated by ';': save it with tabs or commas)"
                    if len(parts) == 1 and len(line.split(";")) == 3 else
                    " (a first column of row numbers, as pandas' to_csv and R's write.csv "
                    "and write.table write by default: save it without)" if len(parts) == 4 and (
                        first and not parts[0].strip() or parts[0].strip().isdigit()) else ""))
            word, cat, score = (parts[k].strip() for k in order)
            if _is_number(cat) and not _is_number(score):
                # the fields in the order word, score, category: NRC Affect Intensity v0.5's
                # layout given as a user lexicon, or a file of one's own saved so; each score
                # was 'not a number' before (a first line such as 'outraged<TAB>0.964<TAB>anger'
                # taken for a header), not saying why; or a numeric category's score is
                # missing ('happy<TAB>1<TAB>NA')
                raise LexiconFormatError(
                    path, no, f"the second field {cat!r} is a number and the third {score!r} "
                    "is not: the fields are in the order word, score, category (the layout of "
                    "NRC Affect Intensity v0.5, NRC-AffectIntensity-Lexicon.txt: give that as "
                    "('nrc_intensity', path)), or the score is missing; expected "
                    "'word<TAB>category<TAB>score'")
            if first:
                first = False
                try:
                    float(score)
                except ValueError:
                    # a header names its score column ('score', 'association'); a first
                    # entry whose score is mistyped ('0.8x', '1O', empty) was taken for one
                    # and dropped without a word
                    if score.strip("\"' ")[:1].isalpha():
                        header = (no, score, line, cat)
                        continue  # header line
            value = _number(path, no, score)
            if _bounds is not None and out is None and not (
                    _bounds[0][0] <= value <= _bounds[0][1]):
                out = (no, f"{cat} score", value, score)
            if flags:
                if value == 0.0 and zero is None:
                    zero = (no, word, cat)
                flags = value in (0.0, 1.0)
            rows.append((no, word, cat, value, True))
            categories[cat] = None
    entries = found.entries
    if not entries:
        if header is not None:  # a one-line file whose score is no number
            raise LexiconFormatError(path, header[0], f"no entries: the only line was taken "
                                     f"as a header (its score {header[1]!r} is not a number)")
        raise LexiconFormatError(path, 0, "no entries")
    if out is not None:
        _in_range(path, *out, *_bounds)
    if flags and zero is not None:
        # NRC EmoLex's word-level file read as ratings: each of its 14,154 words rated 0 or 1
        # in all ten categories, so every word was a match of every category's mean
        raise LexiconFormatError(
            path, zero[0], f"{zero[1]!r} {zero[2]!r} is 0 and every score of the file is 0 "
            "or 1: association flags, as in NRC EmoLex's word-level file, not the 0..1 "
            f"ratings of {_bounds[1].split(' rates')[0]}; give an EmoLex file as "
            "('nrc_emolex', path)")
    if header is not None and header[3] in categories:
        # a header names its columns ('word<TAB>category<TAB>score'); a first line whose
        # category is one of the file's and whose score is a word ('NA', 'high') is more
        # likely an entry, skipped without a word before
        warnings.warn(LexiconWarning(
            f"{path}, line {header[0]}: {header[2]!r} was taken as a header and skipped (its "
            f"score {header[1]!r} is not a number), but its category {header[3]!r} is one of "
            "the file's: if it is an entry, give its score as a number"), stacklevel=2)
    values = [v for d in entries.values() for v in d.values()]
    if kind is None:
        if min(values) < 0:
            kind = "signed"
        elif set(values) <= {0.0, 1.0}:
            kind = "binary"
        else:
            kind = "rating"
    if kind == "binary":
        entries = {w: {c: 1.0 for c, v in d.items() if v != 0} for w, d in entries.items()}
        entries = {w: d for w, d in entries.items() if d}
    if name is None:
        name = _file_name(path)
    return Lexicon._of_keys(name, tuple(categories), entries, kind)


#: The header line of NRC Affect Intensity v0.5 (``NRC-AffectIntensity-Lexicon.txt``, 2017-2018),
#: after a preamble of free text (36 lines in the release, as the textdata R package skips
#: them): its rows are ``term<TAB>score<TAB>AffectDimension``, score and emotion in the order
#: v1 does not have
_AIL_HEADER = ("term", "score", "affectdimension")
#: how many lines of preamble are looked through for that header
_AIL_PREAMBLE = 100


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def _ail_header_at(lines: list[tuple[int, str]]) -> int | None:
    """The index in ``lines`` of NRC Affect Intensity v0.5's header line
    (:data:`_AIL_HEADER`) among the first :data:`_AIL_PREAMBLE`, or ``None``."""
    for k, (_, line) in enumerate(lines[:_AIL_PREAMBLE]):
        if "\t" in line and tuple(f.strip().lower() for f in line.split("\t")) == _AIL_HEADER:
            return k
    return None


def _intensity_layout(lines: list[tuple[int, str]], at: int | None
                      ) -> tuple[list[tuple[int, str]], tuple[int, int, int]]:
    """The lines of an NRC Emotion Intensity file to read and the fields of (word, emotion,
    score) in them: v1's ``word<TAB>emotion<TAB>score`` as they are, or v0.5's
    ``term<TAB>score<TAB>AffectDimension`` (NRC-AffectIntensity-Lexicon.txt): its header
    line found among the first :data:`_AIL_PREAMBLE` lines, the preamble before it left out,
    or, without that header (a copy cut to its rows), a first line whose second field is a
    number and whose third is not (v1's second field is an emotion's name, never a
    number). ``at``: :func:`_ail_header_at` of the lines. Until session 55 v0.5's file was
    refused at the preamble's first line ("expected 'word<TAB>category<TAB>score'"), or, cut
    to its rows, at its second line ("score 'anger' is not a number"), its first taken for a
    header."""
    if at is not None:
        return lines[at + 1:], (0, 2, 1)
    if lines:
        parts = _fields(lines[0][1])
        if len(parts) == 3 and _is_number(parts[1]) and not _is_number(parts[2]):
            return lines, (0, 2, 1)
    return lines, (0, 1, 2)


def _fields(line: str) -> list[str]:
    """The fields of a user lexicon line: tab-separated if it holds a tab, else
    comma-separated; a field in double quotes is read as CSV quotes it (``"kind of"`` is
    ``kind of``, ``""`` a quote, a comma inside one no separator), as Excel, R's
    ``write.csv``/``write.table`` and Python's csv module write text fields. A line whose
    quotes do not make fields that way is split as written."""
    sep = "\t" if "\t" in line else ","
    parts = line.split(sep)
    if '"' in line:
        try:
            quoted = next(csv.reader([line], delimiter=sep, strict=True, skipinitialspace=True))
        except csv.Error:  # a stray quote ('"yay', ':")'): the text as written
            return parts
        if len(quoted) != len(parts) or any(p.strip().startswith('"') for p in parts):
            return quoted
    return parts


def _file_name(path: str | os.PathLike) -> str:
    """A user lexicon's default name: its file name without extension, lower-cased, other
    characters than letters and digits made ``_``."""
    stem = Path(path).stem.lower()
    return "".join(c if c.isalnum() else "_" for c in stem).strip("_") or "user"


_LOADERS = {
    "afinn": load_afinn,
    "nrc_emolex": load_nrc_emolex,
    "nrc_vad": load_nrc_vad,
    "nrc_intensity": load_nrc_intensity,
    "user": load_user_lexicon,
}


#: what a ``lexicons`` entry may be, said by the errors of one that is none of these
SPEC_FORMS = ("'vader', 'afinn', a Lexicon, (kind, path) with kind "
              + ", ".join(repr(k) for k in list(_LOADERS)[:-1]) + f" or {list(_LOADERS)[-1]!r}"
              + ", or ('user', path, name)")


class LexiconSpecError(TypeError, ValueError):
    """A ``lexicons`` entry of no known form (``("user", 3)``, ``3``, a dict): a ``TypeError``
    (an entry of the wrong type), and a ``ValueError`` (a bad parameter value), so that
    ``emofeat extract --param lexicons=...`` reports it as a usage error (exit 2), not as a
    bug in emofeat."""


def _bad_spec(spec, problem: str) -> LexiconSpecError:
    return LexiconSpecError(f"lexicons: the entry {spec!r} {problem}; an entry is {SPEC_FORMS}")


def spec_name(spec) -> str | None:
    """The name the lexicon of ``spec`` (as :func:`resolve_lexicon` takes it, or ``"vader"``)
    will have, found without reading its file; ``None`` for a spec of no known form (which
    :func:`resolve_lexicon` refuses)."""
    if isinstance(spec, Lexicon):
        return spec.name
    if isinstance(spec, str):
        return spec if spec in ("vader", "afinn") else None
    if not isinstance(spec, tuple | list) or len(spec) not in (2, 3):
        return None
    kind, path = spec[0], spec[1]
    if not (isinstance(kind, str) and kind in _LOADERS):
        return None
    if kind != "user":
        return kind
    if len(spec) == 3 and spec[2] is not None:
        return spec[2] if isinstance(spec[2], str) else None
    return _file_name(path) if isinstance(path, str | os.PathLike) else None


def resolve_lexicon(spec) -> Lexicon:
    """A :class:`Lexicon` from a spec: a Lexicon, ``"afinn"``, or ``(kind, path)`` /
    ``("user", path, name)`` for the NRC and user lexicons (which need your file).

    Raises
    ------
    LexiconSpecError
        ``spec`` is of none of these forms (a ``TypeError`` and a ``ValueError``).
    """
    if isinstance(spec, Lexicon):
        return spec
    if isinstance(spec, str):
        if spec == "afinn":
            return load_afinn()
        if spec in _LOADERS:
            raise ValueError(f"lexicon {spec!r} is not bundled (its licence forbids it): "
                             f"give ({spec!r}, path_to_your_copy)")
        raise ValueError(f"unknown lexicon {spec!r}; known: {sorted([*_LOADERS, 'vader'])} "
                         "or a Lexicon")
    if not isinstance(spec, tuple | list) or len(spec) not in (2, 3):
        raise _bad_spec(spec, "is of no known form")
    kind, path = spec[0], spec[1]
    # a str test first: an unhashable kind (a list) is no key to look up
    if not (isinstance(kind, str) and kind in _LOADERS):
        raise _bad_spec(spec, f"names no lexicon kind read from a file ({kind!r})")
    if not isinstance(path, str | os.PathLike):
        raise _bad_spec(spec, f"has a path of type {type(path).__name__}, not str or "
                              "os.PathLike")
    if len(spec) == 2:
        return _LOADERS[kind](path)
    name = spec[2]
    if kind != "user" and name is not None:
        # the name was dropped without a word: the columns were named after the kind. None
        # is no name, as ('user', path, None) is a user lexicon named after its file
        raise _bad_spec(spec, f"gives the name {name!r} to an {kind!r} lexicon; only "
                              "('user', path, name) takes a name: drop it")
    if kind != "user":
        return _LOADERS[kind](path)
    if name is not None and not isinstance(name, str):
        raise _bad_spec(spec, f"has a name of type {type(name).__name__}, not str")
    return load_user_lexicon(path, name=name)
