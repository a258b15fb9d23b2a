"""Tokenising social-media text: NLTK's ``TweetTokenizer`` with normalisation options.

Nothing here downloads NLTK data: ``TweetTokenizer`` and the Porter/Snowball stemmers are pure
code. Emoticons (``:-)``, ``<3``) and emoji (including skin-tone and ZWJ sequences, and the
keycaps and subdivision flags NLTK would cut: :data:`HELD`) come out as tokens of their own;
emoticons keep their case when the rest is lower-cased.

Before tokenising, :func:`fold` maps the curly and other look-alike apostrophes (U+2018, U+2019,
U+02BC, U+FF07; the acute and grave accents between two letters) to ``'`` (so ``isn’t`` and
``don´t`` are the one tokens ``isn't`` and ``don't``, not ``isn``, ``’``, ``t``)
and drops the variation selectors U+FE0E/U+FE0F (they only choose text or emoji presentation:
``❤️`` is the one token ``❤``) and zero-width joiners and non-joiners that join nothing,
folds full-width, half-width and other compatibility forms as NFKC does (``ＬＯＶＥ`` is the
token ``love``, ``ﬁne`` ``fine``; superscripts, ``…`` and emoji are kept: see
:data:`COMPAT_TYPES`), then composes the text to Unicode NFC (``naïve`` typed with a combining
diaeresis is the token ``naïve``). A whitespace chunk that is exactly one of the bundled AFINN
emoticons (``:-)))``, ``\\o/``, ``xD``, ``<333``) is one token, kept as written (not shortened,
not lower-cased), and a token equal to one of them keeps its case. HTML entities are decoded
before the fold (:func:`unescape`, NLTK's rule, then :func:`fold` again for the characters they
make), so ``1&#xFE0F;&#x20E3;`` is the keycap token of ``1️⃣`` and ``don&#8217;t`` is ``don't``.

Speed: ``TweetTokenizer`` runs one large regular expression over the text (~4,000 texts/s on a
busy 2-core machine). :meth:`TextTokenizer.tokenize_many` instead tokenises each distinct
whitespace-separated chunk once and caches it; every pattern of the tokenizer stays inside a
chunk (with phone numbers off), except spaced ellipses (". . .") and HTML entities, so texts
containing those are tokenised whole. The result equals the one-text-at-a-time result (tested on
every corpus text).
"""

from __future__ import annotations

import html.entities
import math
import re
import sys
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import lru_cache

URL_TOKEN = "<url>"
USER_TOKEN = "<user>"

# A token that starts with a scheme or ``www.`` is a URL whatever follows
_URL_SCHEME = re.compile(r"(?:https?://|www\d{0,3}\.)", re.I)
# A host name as NLTK's address pattern finds one (labels of ASCII letters and digits joined by
# dots or hyphens, then a last label of 2-13 letters), followed by ``/`` or the end
_URL_HOST = re.compile(r"([a-z0-9]+(?:[.\-][a-z0-9]+)*)\.([a-z]{2,13})(/|$)", re.I)
#: The country-code top-level domains (IANA root zone, every two-letter ASCII TLD delegated,
#: 248 as of 2026-11; ``uk``, ``eu``, ``su`` and ``ac`` included)
CC_TLDS = frozenset("""
    ac ad ae af ag ai al am ao aq ar as at au aw ax az ba bb bd be bf bg bh bi bj bm bn bo br bs
    bt bv bw by bz ca cc cd cf cg ch ci ck cl cm cn co cr cu cv cw cx cy cz de dj dk dm do dz ec
    ee eg er es et eu fi fj fk fm fo fr ga gb gd ge gf gg gh gi gl gm gn gp gq gr gs gt gu gw gy
    hk hm hn hr ht hu id ie il im in io iq ir is it je jm jo jp ke kg kh ki km kn kp kr kw ky kz
    la lb lc li lk lr ls lt lu lv ly ma mc md me mg mh mk ml mm mn mo mp mq mr ms mt mu mv mw mx
    my mz na nc ne nf ng ni nl no np nr nu nz om pa pe pf pg ph pk pl pm pn pr ps pt pw py qa re
    ro rs ru rw sa sb sc sd se sg sh si sj sk sl sm sn so sr ss st su sv sx sy sz tc td tf tg th
    tj tk tl tm tn to tr tt tv tw tz ua ug uk us uy uz va vc ve vg vi vn vu wf ws ye yt za zm zw
    """.split())
#: Generic top-level domains that end a web address written alone (``imgur.com``,
#: ``change.org``): the original ones and a few others that spell no English word. The newer
#: generic domains mostly do (``.lol``, ``.dog``, ``.fun``, ``.news``, ``.pro``, ``.name``), and
#: ``mind.lol``, ``term.dog`` in the corpora are two words joined by a full stop typed without
#: its space; with a path after them (``mind.lol/x``) they are addresses
GENERIC_TLDS = frozenset("com net org edu gov mil int info biz mobi aero asia coop xyz".split())
#: Country codes that are also English words, common abbreviations or file extensions
#: (``trust.me``, ``work.as``, ``that.is``, ``et.al``, ``ok.gg``, ``tired.af``, ``well.er``,
#: ``main.py``, ``notes.md``, ``setup.sh``, ``photo.ai``): a word, a dot and one of them is
#: two words joined by a full stop, or a file name, unless a path follows (``youtu.be/x``,
#: ``amzn.to/x``) or a common second-level domain comes before it (``bbc.co.uk`` is no such
#: code, ``abc.net.au`` neither; ``gov.in``, ``ox.ac.be``-like hosts are addresses)
CC_WORDS = frozenset("""
    ad af ai al am as at be bf by cc cu do er es et gg gl gm gn hm id im in is it la ma md me
    ml mm mr ms my no nu om pa ph pl pm ps py re rs sh so st to us ye
    """.split())
#: Second-level domains under which a country code is a registry's (``gov.in``,
#: ``co.id``, ``ac.in``): a host ending in one of them and a code of :data:`CC_WORDS` is an
#: address written alone; other hosts of several labels ending so are words joined by dots
#: (``i.love.it``, ``it.is.what.it.is``, ``will.i.am``, ``la.la.la``)
SECOND_LEVEL = frozenset("ac co com edu gov net org".split())


def url_start(token: str) -> bool:
    """Whether ``token`` is a URL, or starts like one (a token or a whitespace chunk stripped
    of punctuation).

    A scheme (``http://``, ``https://``) or ``www.`` makes one; so does a host name as NLTK's
    address pattern finds it (``bbc.co.uk``, ``9gag.com``: labels of letters and digits joined
    by dots or hyphens, the last of 2-13 letters) whose last label is lower case (or the whole
    host upper case, ``CHANGE.ORG``: a capital after a dot starts a sentence or an
    abbreviation, ``sick.Getting``, ``M.Sc``, ``D.Va``), whose label before a country code has
    a letter (``8.30.am``, ``100.ml``, ``24.hr`` are a time and quantities; ``163.com`` is a
    site), and which is
    either followed by ``/`` (``youtu.be/x``, ``t.co/x``: any ending, as NLTK's pattern for a
    domain followed by a slash and twitter-text take it) or written alone and ending in a
    generic domain of :data:`GENERIC_TLDS` (``imgur.com``) or a country code of
    :data:`CC_TLDS`. Of a country code written alone, one that is an English word, an
    abbreviation or a file extension (:data:`CC_WORDS`) makes an address only after a
    second-level domain of :data:`SECOND_LEVEL` (``abc.gov.in``); another one after a label
    of 2 or more characters: ``amazon.ca`` and ``bbc.co.uk`` are addresses, ``trust.me``,
    ``i.love.it``, ``main.py`` and ``M.Sc`` are not. (twitter-text is stricter there: its
    ``invalidShortDomain`` takes no lone ``name.cc`` but ``.co`` and ``.tv``.)
    """
    if _URL_SCHEME.match(token):
        return True
    m = _URL_HOST.match(token)
    if m is None:
        return False
    host, tld, slash = m.groups()
    if not (tld.islower() or m.group(0).isupper()):
        return False
    labels = host.split(".")
    tld = tld.lower()
    # a number before a country code is a time or a quantity (8.30.am, 100.ml, 24.hr); before
    # a generic domain a site's name (163.com, 1688.com)
    if tld not in GENERIC_TLDS and not any(c.isalpha() for c in labels[-1]):
        return False
    if slash or tld in GENERIC_TLDS:
        return True
    if tld not in CC_TLDS:
        return False
    if tld in CC_WORDS:
        return len(labels) > 1 and labels[-1].lower() in SECOND_LEVEL
    return len(labels) > 1 or len(host) >= 2


_MENTION = re.compile(r"^@\w+$")
#: The characters that make an ``@`` right after them no mention (``t@gged``, ``3@z``,
#: ``x_@y``, ``wow!@bob``): the look-behind of NLTK's handle pattern
#: (``nltk.tokenize.casual.HANDLES_RE``, what ``strip_handles`` removes), as twitter-text's
#: ``validMentionOrList`` has it. NLTK's tokenizer still cuts ``t@gged`` into ``t``, ``@gged``;
#: only the second token's reading changes (see :func:`mark_glued`)
_BEFORE_NO_MENTION = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
                               "0123456789_!@#$%&*")
#: Prefixes (inside the lexicon set only) an ``@`` token glued to what precedes it, so that it
#: is kept apart from the mention of the same spelling: a lone surrogate, which no cleaned text
#: holds (:func:`clean_text`); the public token lists never show it
GLUED = "\ud800"


def _glued(tok: str, before: str) -> bool:
    return len(tok) > 1 and tok[0] == "@" and before in _BEFORE_NO_MENTION


def mark_glued(tokens, text: str | None = None):
    """``tokens`` with each ``@`` token that is no mention (its ``@`` right after a letter,
    digit, ``_`` or one of ``!@#$%&*``: :data:`_BEFORE_NO_MENTION`) prefixed by
    :data:`GLUED`; ``tokens`` itself when there is none.

    Without ``text`` the tokens are those of one whitespace chunk, each right after the one
    before it; with it, the tokens of ``text``, found in it in order (a token NLTK changed,
    an elongation cut or ``&amp;`` decoded, is found by its ``@``).
    """
    if text is None:
        if len(tokens) < 2 or not any(t[:1] == "@" for t in tokens[1:]):
            return tokens
        out = list(tokens)
        for k in range(1, len(out)):
            if _glued(out[k], out[k - 1][-1:]):
                out[k] = GLUED + out[k]
        return tuple(out) if isinstance(tokens, tuple) else out
    if "@" not in text:
        return tokens
    out, pos = list(tokens), 0
    for k, tok in enumerate(out):
        j = text.find(tok, pos)
        if j < 0:
            j = text.find(tok[:1], pos)
            if j < 0:
                continue
        if j > 0 and _glued(tok, text[j - 1]):
            out[k] = GLUED + tok
        pos = j + len(tok)
    return out


def unmark(tokens) -> list[str]:
    """``tokens`` without the :data:`GLUED` marks of :func:`mark_glued`."""
    return [t[1:] if t[:1] == GLUED else t for t in tokens]
_ELONGATED = re.compile(r"(.)\1{2,}")
#: What ``reduce_len`` shortens to 3: a run of 3+ of one character but one that NLTK makes
#: single-character tokens of (:func:`counted_whole`), which both text sets count as written
#: (:func:`_reduce_run`)
_REDUCED = re.compile(r"(.)\1{2,}", re.S)
_SPACED_DOTS = re.compile(r"\.[^\S\r\n]+\.")
_SIMPLE_CHUNK = re.compile(r"([(\[\"*]*)([A-Za-z]+(?:['\-][A-Za-z]+)*)([,.!?)\]\"*]*)\Z")
_RUNS = re.compile(r"(.)\1*")
# one line per chunk: (lead, word, trail, "") for a simple chunk, ("", "", "", chunk) otherwise
_SIMPLE_LINES = re.compile(r"^([(\[\"*]*)([A-Za-z]+(?:['\-][A-Za-z]+)*)([,.!?)\]\"*]*)$|^(.+)$",
                           re.M)
#: Invisible format characters dropped by :func:`fold`: NLTK makes each a token of its own
#: (``"\ufeffgood"`` -> ``\ufeff``, ``good``), so they inflate the token counts every
#: normalisation divides by, and a soft hyphen cuts its word (``won\xadder\xadful``). Soft
#: hyphen, zero-width space, word joiner, byte-order mark (inside a text: concatenated files),
#: the Arabic letter mark, left-to-right/right-to-left marks, embeddings and isolates (common
#: in Arabic, Hebrew and Persian posts). ZWJ and ZWNJ are kept: they join emoji sequences and
#: spell Persian and Indic words.
INVISIBLE = "\u00ad\u200b\u2060\ufeff\u061c\u200e\u200f" + "".join(
    map(chr, [*range(0x202A, 0x202F), *range(0x2066, 0x206A)]))
#: The characters typed for an apostrophe: ``’ ‘ ʼ ＇`` (U+2019, U+2018, U+02BC, U+FF07),
#: ``'`` wherever they are (:func:`fold`; the ``text_surface`` set joins words at them too).
APOSTROPHE_LOOKALIKES = "\u2019\u2018\u02bc\uff07"
#: The acute accent and the grave accent (backtick), typed for an apostrophe between two
#: letters only (:func:`inner_accents`).
APOSTROPHE_ACCENTS = "\u00b4`"
#: The characters :func:`strip_invisible` drops wherever they are: the variation selectors
#: U+FE0E/U+FE0F (they only choose text or emoji presentation: ``❤️`` is ``❤``) and
#: :data:`INVISIBLE`.
_DROP = str.maketrans(dict.fromkeys("\ufe0e\ufe0f" + INVISIBLE))
#: Apostrophe look-alikes mapped to ``'`` (:func:`fold`, after :func:`strip_invisible`).
_FOLD = str.maketrans(dict.fromkeys(APOSTROPHE_LOOKALIKES, "'"))
#: Any character :func:`strip_invisible` may drop (a search finds none in most texts sooner than
#: a translation copies them).
_DROPPABLE = re.compile("[\ufe0e\ufe0f\u200c\u200d" + re.escape(INVISIBLE) + "]")
#: The Unicode decomposition types that :func:`fold` folds as NFKC does: full-width and
#: half-width forms (``ｈａｐｐｙ``, ``ＬＯＶＥ！``, ``ｶ``), small and vertical CJK punctuation,
#: "font" variants (mathematical bold or script letters, ``𝐥𝐨𝐯𝐞``, as social-media "fancy
#: text" writes them), circled letters and digits (``ⓛⓞⓥⓔ``) and the positional forms of
#: Arabic letters (text copied out of PDFs).
COMPAT_TYPES = frozenset({"<wide>", "<narrow>", "<small>", "<vertical>", "<font>",
                          "<circle>", "<initial>", "<medial>", "<final>", "<isolated>"})
#: Of the generic ``<compat>`` type only these are folded: the Latin and Armenian ligatures
#: (``ﬁ``, ``ﬂ``: PDF extraction), the digraph letters ``Ĳ ĳ Ŀ ŀ ŉ Ǆ..ǌ Ǳ..ǳ``, the long s, and
#: the Kangxi and CJK radicals that PDF extraction puts for ideographs. The rest of it is
#: left alone on purpose: ``…``, ``‼`` and ``⁉`` (one token either way, and ``‼`` is an
#: emoji), spacing accents (NFKC makes ``¯`` of the shrug ``¯\_(ツ)_/¯`` and ``´`` of
#: ``don´t`` a space and a combining mark, cutting the chunk), Hangul compatibility jamo
#: (NFKC turns ``ㅋㅋ`` into conjoining jamo, and ``ㅋㅏ`` into ``카``), Roman numerals, units,
#: parenthesised and full-stop digits. Superscripts and subscripts (``<super>``, ``<sub>``)
#: stay as well: NFKC makes ``™`` (an emoji) ``TM``, ``nº`` (number) the negator ``no`` and
#: ``m²`` ``m2``; fractions and squared forms (``㎏``, the emoji ``🈚``) stay too.
_COMPAT_CHOSEN = frozenset([*range(0xFB00, 0xFB07), *range(0xFB13, 0xFB18), 0x132, 0x133,
                            0x13F, 0x140, 0x149, 0x17F, *range(0x1C4, 0x1CD),
                            *range(0x1F1, 0x1F4), *range(0x2F00, 0x2FD6), 0x2E9F, 0x2EF3])
#: Emoji among the folded types (``ℹ``, ``Ⓜ``, ``㊗``, ``㊙``, ``🉐``, ``🉑``): kept, NFKC would
#: make them letters.
_COMPAT_EMOJI = frozenset([0x2139, 0x24C2, 0x3297, 0x3299, 0x1F250, 0x1F251])
#: Where the folded characters are, as (start, stop): a test checks every code point of the
#: running Python's Unicode version. Scanning these (~7,000 code points) takes a few ms, all
#: 1.1 million 0.4 s.
_COMPAT_SCANNED = ((0x0130, 0x0200), (0x1E9B, 0x1E9C), (0x2100, 0x2150), (0x2460, 0x2500),
                   (0x2E80, 0x3300), (0xFB00, 0xFFF0), (0x1D400, 0x1D800), (0x1EE00, 0x1EF00),
                   (0x1F100, 0x1F300), (0x1FBF0, 0x1FC00))
#: The half-width (semi-)voiced sound marks: NFKC makes them combining marks, which compose
#: with the kana before them (``ｶﾞ`` -> ``ガ``) but attach to anything else (``(ﾟ∀ﾟ)``, a
#: kaomoji): :func:`fold` makes them combining marks only where they compose.
_SOUND_MARKS = re.compile("(?<=.)[\uff9e\uff9f]", re.S)
_JOIN_MAX = 20_000  # characters per joined NLTK call (NLTK times out one call after 5 s)
_JOINERS = re.compile("[\u200c\u200d]+")
#: letters :func:`fold` makes punctuation, or a letter and punctuation (U+013F, U+0140: L and
#: a middle dot; U+0149: an apostrophe and n; U+02BC: an apostrophe): the only characters that
#: change a joiner's neighbour from letter to punctuation (checked over every code point in
#: tests/test_text_surface.py), so joiners beside them are judged again after the fold
_FOLD_MAKES_PUNCTUATION = "\u013f\u0140\u0149\u02bc"
#: An accent of :data:`APOSTROPHE_ACCENTS` before a letter, and a letter (re's ``[^\W\d_]``):
#: :func:`inner_accents` looks back from the first to the second.
_ACCENT_BEFORE_LETTER = re.compile(rf"[{APOSTROPHE_ACCENTS}](?=[^\W\d_])")
_LETTER = re.compile(r"[^\W\d_]")
_SURROGATE = re.compile("[\ud800-\udfff]")
#: Emoji sequences NLTK cuts (after :func:`fold` dropped U+FE0F): the keycaps ``#️⃣``, ``*️⃣``
#: and ``0️⃣``-``9️⃣`` (NLTK: ``#`` and ``⃣``, two punctuation tokens; a digit keycap glued to
#: the digits or letters beside it) and emoji tag sequences, the subdivision flags (NLTK knows
#: only England's, Scotland's and Wales's: ``🏴`` and one punctuation token per tag).
HELD = re.compile("[0-9#*]\u20e3|\U0001f3f4[\U000e0020-\U000e007e]+\U000e007f")
#: :func:`_held_tokens` stands one private-use character of plane 16 in for each such sequence
_HOLDER, _HOLDERS_N = 0x100000, 0xFFFE
_HELD_ANY = re.compile(f"{HELD.pattern}|[\U00100000-\U0010fffd]")
#: A run of 4 or more of one character that is no letter, digit or space: NLTK cuts every
#: such run to 3 (its ``HANG_RE``), so ``!!!!`` and ``,,,,`` were 3 tokens where the text has
#: 4 marks, ``n_exclamation`` counts 4 and the ``text_surface`` set has 4 tokens:
#: :func:`_runs_apart` gives NLTK such a run of a :func:`counted_whole` character in threes
_LONG_RUN = re.compile(r"([^\w\s])\1{3,}")
#: Punctuation and symbols that NLTK's patterns join into tokens of more than one character
#: with one of their own kind: ellipses (``.``), words and e-mail addresses (``' - _ +``),
#: arrows (``-->``, ``<--``), hashtags (``##tag``), mentions (``@``), the emoticon ``::``,
#: HTML-like tags (``<...>``), numbers and web addresses (``/``), and ``&`` (HTML entities,
#: decoded before the cut). Their runs stay cut to 3, as NLTK cuts them.
_JOINED_BY_NLTK = frozenset(".'-_+#@:<>/&")
#: An HTML character reference as NLTK's ``TweetTokenizer`` reads one (its ``ENT_RE``): ``&``,
#: ``#`` or ``#x`` or ``x`` or nothing, a body without ``&``, ``;`` or white space, and ``;``.
#: No ``;``, no reference (``&amp`` stays as written).
_ENTITY = re.compile(r"&(#?(x?))([^&;\s]+);")


@lru_cache(maxsize=1)
def _nltk():
    """NLTK's TweetTokenizer class and its emoticon pattern.

    Recent NLTK wraps its patterns in a time-limited matcher (a Python call per match); the
    emoticon pattern is recompiled here from its own text and flags with the same ``regex``
    engine, so one token's full match is the same without the wrapper's per-call cost.
    """
    casual = _casual_alone()
    if casual is not None:
        EMOTICON_RE, TweetTokenizer = casual.EMOTICON_RE, casual.TweetTokenizer
    else:
        try:
            from nltk.tokenize.casual import EMOTICON_RE, TweetTokenizer
        except ImportError as err:  # pragma: no cover - exercised only without the extra
            raise ImportError("text features need NLTK: pip install 'emofeat[text]'") from err
    try:
        import regex

        emoticon = regex.compile(EMOTICON_RE.pattern, EMOTICON_RE.flags)
    except (ImportError, AttributeError, TypeError):  # pragma: no cover - older NLTK
        emoticon = EMOTICON_RE
    return TweetTokenizer, emoticon


def _casual_alone():
    """NLTK's ``nltk.tokenize.casual`` (TweetTokenizer), its own code loaded without the
    ``nltk`` package, or ``None`` where NLTK is imported already, absent or laid out otherwise.

    Importing it the usual way runs ``nltk/__init__``, which imports most of NLTK, scikit-learn
    and ``scipy.stats``: 1.1 s of the 2.3 s ``emofeat extract --set lexicon`` command, for one
    regular-expression tokenizer. Of NLTK the module needs only ``nltk.redos`` (standard
    library and ``regex``), loaded the same way, and the abstract ``TokenizerI`` as its base
    class, given a stand-in. The two are served by the loaded module's own ``__import__``;
    nothing is added to ``sys.modules``, and any other import it makes goes the usual way.
    The tokens are NLTK's (tested against the package's TweetTokenizer on every corpus text).
    """
    import importlib.util
    import sys
    from pathlib import Path

    if "nltk" in sys.modules:  # imported already: nothing to save
        return None
    try:
        spec = importlib.util.find_spec("nltk")  # finds the package without running it
        return _load_casual(Path(next(iter(spec.submodule_search_locations))))
    except Exception:  # any other layout or version: the usual import
        return None


def _load_casual(root):
    """``casual.py`` of the NLTK package folder ``root``, loaded as :func:`_casual_alone`
    says (raises where that cannot be done)."""
    import builtins
    from types import ModuleType

    redos = _module_from_file("nltk.redos", root / "redos.py", vars(builtins))

    class TokenizerI:  # noqa: B024 - the stand-in base: TweetTokenizer defines tokenize
        """Stand-in for ``nltk.tokenize.api.TokenizerI`` (an abstract base class)."""

    served = {"nltk": ModuleType("nltk"), "nltk.tokenize.api": ModuleType("nltk.tokenize.api")}
    served["nltk"].redos = redos
    served["nltk.tokenize.api"].TokenizerI = TokenizerI

    def serve(name, globals=None, locals=None, fromlist=(), level=0):
        if level == 0 and fromlist and name in served:
            return served[name]
        return builtins.__import__(name, globals, locals, fromlist, level)

    own = dict(vars(builtins), __import__=serve)
    casual = _module_from_file("nltk.tokenize.casual", root / "tokenize" / "casual.py", own)
    casual.TweetTokenizer, casual.EMOTICON_RE  # noqa: B018 - the names this module needs
    return casual


def _module_from_file(name: str, path, builtins_dict: dict):
    """The module at ``path`` executed under ``name`` with its own builtins (its imports go
    through their ``__import__``), not registered in ``sys.modules``."""
    import importlib.util

    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    module.__dict__["__builtins__"] = builtins_dict
    spec.loader.exec_module(module)
    return module


def inner_accents(text: str) -> list[int]:
    """Where ``text`` has an acute accent or a grave accent (backtick) typed for an apostrophe:
    between two letters, the one before with any combining marks on it (Unicode category M:
    ``doń´t`` typed with U+0301 reads as ``doń't``, whether or not NFC composes the letter
    and its mark). Typed so (``don´t`` on Spanish and Portuguese keyboards, ``isn`t``), the
    accent would cut the word in three (``don``, ``´``, ``t``) and hide the negator. Elsewhere
    it stays: kaomoji (``(´ω`)``), Markdown code spans (a backtick before or after a word), a
    lone accent, an accent beside a digit. The one rule of both text sets: :func:`fold` makes
    these accents ``'``, and the ``text_surface`` set joins its words at them."""
    out = []
    for m in _ACCENT_BEFORE_LETTER.finditer(text):
        i = m.start() - 1
        while i >= 0 and unicodedata.category(text[i])[0] == "M":
            i -= 1
        if i >= 0 and _LETTER.match(text, i):
            out.append(m.start())
    return out


def accent_apostrophes(text: str) -> str:
    """``text`` with its :func:`inner_accents` as ``'``."""
    at = inner_accents(text)
    if not at:
        return text
    chars = list(text)
    for i in at:
        chars[i] = "'"
    return "".join(chars)


def strip_invisible(text: str) -> str:
    """``text`` without the characters that only format it: variation selectors (U+FE0E,
    U+FE0F), invisible format characters (:data:`INVISIBLE`: soft hyphen, zero-width space,
    byte-order mark, direction marks, ...) and zero-width joiners that join nothing
    (:func:`_loose_joiner`). The first step of both text sets (:func:`fold` for the lexicon
    set's tokenizer, the ``text_surface`` set's tokens), so a soft hyphen cuts a word in
    neither and an accent typed for an apostrophe with a variation selector on it
    (``d´️d``) joins the word in both. Chunk by chunk equals the whole text."""
    if text.isascii() or _DROPPABLE.search(text) is None:
        return text
    text = text.translate(_DROP)
    if "\u200d" in text or "\u200c" in text:
        text = _JOINERS.sub(_loose_joiner, text)
    return text


def fold(text: str) -> str:
    """A text (or chunk) with its invisible characters removed (:func:`strip_invisible`), its
    apostrophe look-alikes (U+2018, U+2019, U+02BC, U+FF07; and the acute and grave accents
    between two letters, :func:`inner_accents`) as ``'``, its full-width,
    half-width, font, circled and positional compatibility characters folded as NFKC folds
    them (:data:`COMPAT_TYPES`: ``ＬＯＶＥ`` -> ``LOVE``, ``ﬁne`` -> ``fine``, ``ｶﾞ`` -> ``ガ``;
    not superscripts, ``…`` or emoji), in Unicode NFC: what the tokenizer sees. Chunk by
    chunk equals the whole text: no fold holds white space."""
    if text.isascii():
        return accent_apostrophes(text) if "`" in text else text
    text = strip_invisible(text)
    # the characters whose fold puts punctuation beside a joiner that a letter was beside
    # (Ŀ, ŀ: a middle dot after the L; ŉ, ʼ: an apostrophe), checked before the fold
    judged_again = (("\u200c" in text or "\u200d" in text)
                    and any(c in text for c in _FOLD_MAKES_PUNCTUATION))
    text = text.translate(_fold_table())
    if "\uff9e" in text or "\uff9f" in text:
        text = _SOUND_MARKS.sub(_sound_mark, text)
    if judged_again:  # as the tokenizer sees them: 'Ŀ\u200c´' left a lone joiner token
        text = _JOINERS.sub(_loose_joiner, text)
    # NFD text (macOS file names and clipboards, some corpora) spells "naïve" with a combining
    # mark; lexicon keys get the same fold, so both forms match. NFC never composes across
    # white space, so folding chunk by chunk equals folding the whole text.
    # (normalize hands an NFC text back as it is, after its own quick check)
    text = unicodedata.normalize("NFC", text)
    if "\u00b4" in text or "`" in text:
        text = accent_apostrophes(text)
    return text


def _compat_fold(c: int) -> str:
    """Code point ``c`` decomposed through canonical and :data:`COMPAT_TYPES` mappings (and
    :data:`_COMPAT_CHOSEN`), recursively: what NFKC would make of it, short of the other
    compatibility types."""
    d = unicodedata.decomposition(chr(c))
    if not d or c in _COMPAT_EMOJI:
        return chr(c)
    parts = d.split()
    if parts[0].startswith("<"):
        if parts[0] not in COMPAT_TYPES and c not in _COMPAT_CHOSEN:
            return chr(c)
        parts = parts[1:]
    return "".join(_compat_fold(int(h, 16)) for h in parts)


@lru_cache(maxsize=1)
def _fold_table() -> dict[int, str]:
    """The translation table of :func:`fold`: :data:`_FOLD` and the compatibility characters
    (:data:`COMPAT_TYPES`) with their NFC-composed folds. A fold holding white space (the
    ideographic space, which ``str.split`` splits at anyway, Arabic ligatures of whole
    phrases) or starting with a combining mark (the isolated Arabic vowel signs, which would
    attach to the character before them) is left out."""
    table = dict(_FOLD)
    for a, b in _COMPAT_SCANNED:
        for c in range(a, min(b, sys.maxunicode + 1)):
            to = unicodedata.normalize("NFC", _compat_fold(c).translate(_FOLD).translate(_DROP))
            # empty: a character strip_invisible drops (the byte-order mark, U+FE0E/U+FE0F)
            if to and to != unicodedata.normalize("NFC", chr(c)) and (
                    not any(x.isspace() for x in to)
                    and unicodedata.category(to[0])[0] != "M"):
                table[c] = to
    return table


@lru_cache(maxsize=1)
def fold_unsafe() -> tuple[str, str, re.Pattern]:
    """What the batch paths look for besides ``&`` and spaced dots (the two NLTK patterns that
    reach across white space; a text holding one is tokenised whole) once :func:`fold` has
    made ``＆`` and ``﹠`` an ``&`` and ``．`` and ``﹒`` a ``.``: the characters that fold
    makes an ``&``, those it makes a ``.``, and spaced dots of either kind."""
    folds = sorted(_fold_table().items())
    amp = "".join(chr(c) for c, to in folds if to and "&" in to)
    dots = "".join(chr(c) for c, to in folds if to and "." in to)
    return amp, dots, re.compile(f"[.{re.escape(dots)}][^\\S\\r\\n]+[.{re.escape(dots)}]")


def _fold_unsafe_in(text: str) -> bool:
    if text.isascii():
        return False
    amp, dots, spaced = fold_unsafe()
    return (any(c in text for c in amp)
            or any(c in text for c in dots) and spaced.search(text) is not None)


def _sound_mark(m: re.Match) -> str:
    """A half-width (semi-)voiced sound mark as the combining mark where that composes with
    the character before it (``カ`` + ``ﾞ``), else as it is."""
    mark = "\u3099" if m.group() == "\uff9e" else "\u309a"
    prev = m.string[m.start() - 1]
    return mark if len(unicodedata.normalize("NFC", prev + mark)) == 1 else m.group()


def _loose_joiner(m: re.Match) -> str:
    """A run of zero-width joiners/non-joiners, or nothing where it joins nothing: at the
    start or end of a whitespace chunk, or beside punctuation (Unicode category P). NLTK's
    emoji pattern joins any two non-space characters around a joiner (``roommates.\\u200d♀``,
    an emoji cut from a joiner sequence, gave the one emoji token ``.\\u200d♀``: no full stop, no
    sentence end) and makes a joiner with nothing before it a punctuation token. Between
    letters (Persian, Indic spelling) and in emoji sequences joiners stay. Decided by the
    run's neighbours in the chunk alone, so chunk by chunk equals the whole text."""
    text, a, b = m.string, m.start(), m.end()
    if a == 0 or b == len(text):
        return ""
    for c in (text[a - 1], text[b]):
        if c.isspace() or unicodedata.category(c)[0] == "P":
            return ""
    return m.group()


def unescape(text: str, *, keep_unknown: bool = False) -> str:
    """``text`` with its HTML character references decoded as NLTK's ``TweetTokenizer``
    decodes them (:data:`_ENTITY`): a name of HTML 4 (``&amp;``, ``&eacute;``), a decimal or
    hexadecimal number (``&#8419;``, ``&#x20E3;``; 128-159 read as the Windows-1252 bytes, as
    browsers do), and nothing for a reference that names no character (``&bogus;``,
    ``&#x110000;``, the five numbers 129, 141, 143, 144 and 157 that Windows-1252 leaves
    undefined). NLTK's quirks are kept, so that its tokens stay the same: a reference
    starting with ``x`` is hexadecimal even without ``#`` (``&x41;`` is ``A``, and the Greek
    ``&xi;`` nothing). A surrogate (``&#xD83D;``) is U+FFFD, as :func:`clean_text` makes a
    lone one (NLTK kept it, which no parquet file can hold). Decoded once: ``&amp;lt;`` is
    ``&lt;``.

    ``keep_unknown``: a reference that names no character is kept as written (``Q&A;``,
    ``R&D;``: the ``text_surface`` set counts such a reference's characters), not
    dropped."""
    if "&" not in text:
        return text
    return _ENTITY.sub(_entity_or_reference if keep_unknown else _entity_char, text)


def _entity_char(m: re.Match) -> str:
    got = _entity(m)
    return "" if got is None else got


def _entity_or_reference(m: re.Match) -> str:
    got = _entity(m)
    return m.group(0) if got is None else got


def _entity(m: re.Match) -> str | None:
    """The character of the reference ``m`` (:data:`_ENTITY`), ``None`` where it names
    none."""
    prefix, hexadecimal, body = m.groups()
    if prefix:
        try:
            code = int(body, 16 if hexadecimal else 10)
            if 0x80 <= code <= 0x9F:
                return bytes((code,)).decode("cp1252")
        except ValueError:  # not a number, or a byte Windows-1252 leaves undefined
            return None
    else:
        code = html.entities.name2codepoint.get(body)
        if code is None:
            return None
    if 0xD800 <= code <= 0xDFFF:
        return "\ufffd"
    try:
        return chr(code)
    except (ValueError, OverflowError):  # beyond U+10FFFF, or negative ("&#-1;")
        return None


def unescape_folded(text: str, again: Callable[[str], str] = fold,
                    keep_unknown: bool = False) -> str:
    """A folded text with its HTML entities decoded (:func:`unescape`) and the characters
    they make folded in turn: ``1&#xFE0F;&#x20E3;`` is the keycap ``1⃣``, ``don&#8217;t`` is
    ``don't``, as typed. The fold before decoding is kept (``＆amp;`` was decoded already).
    ``again``: the fold of the decoded characters (:func:`fold` for both text sets since
    2026-12-05). ``keep_unknown``: see :func:`unescape` (the ``text_surface`` set keeps a
    reference naming no character as written, the lexicon set drops it). Shared by the
    lexicon set's tokenizer and the ``text_surface`` set."""
    if "&" not in text:
        return text
    decoded = unescape(text, keep_unknown=keep_unknown)
    return decoded if decoded == text else again(decoded)


def _held_tokens(tt, text: str) -> list[str]:
    """``tt.tokenize(text)`` with each :data:`HELD` sequence one token (or inside the token
    NLTK glues it into, as any emoji: a zero-width joiner sequence).

    Each sequence is replaced by a private-use character of plane 16 of its own (to NLTK one
    "other" token, no letter or digit, no emoticon, never cut by its run rules as a run of one
    character) and put back in the tokens. Plane-16 characters already in the text are held
    too, one stand-in per distinct character, so that their tokens stay NLTK's (runs of one
    included) and a text tokenises the same whole or chunk by chunk.
    """
    text = _LONG_RUN.sub(_runs_apart, text)
    if "\u20e3" not in text and "\U000e007f" not in text:
        return tt.tokenize(text)
    stand_in: dict[str, str] = {}
    back: dict[int, str] = {}

    def hold(m: re.Match) -> str:
        seq = m.group()
        if len(seq) == 1 and seq in stand_in:  # a plane-16 character seen before
            return stand_in[seq]
        c = chr(_HOLDER + len(back))
        back[ord(c)] = seq
        if len(seq) == 1:
            stand_in[seq] = c
        return c

    if len(_HELD_ANY.findall(text)) > _HOLDERS_N:  # more than plane 16 has stand-ins for
        return tt.tokenize(text)
    held = _HELD_ANY.sub(hold, text)
    return [t.translate(back) if not t.isascii() else t for t in tt.tokenize(held)]


@lru_cache(maxsize=4096)
def counted_whole(c: str) -> bool:
    """Whether a run of the character ``c`` is as many tokens as it has characters in both text
    sets, NLTK's cut of long runs (``HANG_RE``) and ``reduce_len`` undone: punctuation and
    symbols (Unicode categories P and S: ``! ? , " ^ ~ $ * ( )``, ``…``, emoji) that NLTK
    makes one token each wherever they stand, whatever is beside them. Not those of
    :data:`_JOINED_BY_NLTK`, nor regional indicators (two make a flag) and skin-tone modifiers
    (they join the character before them): NLTK keeps those in tokens of several
    characters, so a run of them given apart would change other tokens."""
    if (c in _JOINED_BY_NLTK or "\U0001f1e6" <= c <= "\U0001f1ff"
            or "\U0001f3fb" <= c <= "\U0001f3ff"):
        return False
    return unicodedata.category(c)[0] in "PS"


def _reduce_run(m: re.Match) -> str:
    """``reduce_len``'s cut of a run of 3+ of one character to 3, but for a run of a
    :func:`counted_whole` character, kept as written."""
    run = m.group()
    return run if counted_whole(run[0]) else run[:3]


def _runs_apart(m: re.Match) -> str:
    """A run of :data:`_LONG_RUN` of a :func:`counted_whole` character in threes apart
    (``!!! !!! !``): one token per character from NLTK, which makes each such character a
    token of its own whatever is beside it, and cuts no run of three. Other runs as they are
    (NLTK cuts them to 3)."""
    run = m.group()
    if not counted_whole(run[0]):
        return run
    return " ".join(run[i : i + 3] for i in range(0, len(run), 3))


@lru_cache(maxsize=1)
def emoticons() -> frozenset[str]:
    """The bundled AFINN emoticon list (as written): kept whole as tokens (see the module
    docstring), whatever lexicons are used."""
    from emofeat.lexicons import lexicon_path

    path = lexicon_path("afinn", "AFINN-emoticon-8.txt")
    with open(path, encoding="utf-8") as f:
        return frozenset(line.rsplit("\t", 1)[0].strip() for line in f if "\t" in line)


def keeps_case(token: str) -> bool:
    """Whether ``token`` is an emoticon, whose case :class:`TextTokenizer` keeps at
    ``lowercase=True``: one of :func:`emoticons` (``xD``, ``XD``), or not all letters and
    digits and matched whole by NLTK's emoticon pattern (``:P``, ``:p``, ``D:``)."""
    return token in emoticons() or (not token.isalnum()
                                    and _nltk()[1].fullmatch(token) is not None)


@lru_cache(maxsize=1)
def _emoticon_chunks() -> re.Pattern:
    """A whitespace-delimited chunk that is one of :func:`emoticons` (longest first; the
    white space of ``str.split``)."""
    alts = "|".join(re.escape(e) for e in sorted(emoticons(), key=len, reverse=True))
    return re.compile(rf"(?<!\S)(?:{alts})(?!\S)")


@lru_cache(maxsize=4)
def _stemmer(kind: str):
    if kind == "porter":
        from nltk.stem import PorterStemmer

        return PorterStemmer()
    if kind == "snowball":
        from nltk.stem.snowball import SnowballStemmer

        return SnowballStemmer("english")
    raise ValueError(f"stem must be None, 'porter' or 'snowball', got {kind!r}")


def clean_text(text) -> str:
    """A text made safe to process: missing values -> '', lone surrogates -> U+FFFD.

    ``None``, float NaN and pandas' missing values become the empty string; bytes are decoded
    as UTF-8 with replacement; anything else that is not a string raises ``TypeError``.
    """
    if isinstance(text, str):
        if not text.isascii():
            # lone surrogates cannot be encoded anywhere downstream (parquet, print)
            try:
                text.encode("utf-8")
            except UnicodeEncodeError:
                text = _SURROGATE.sub("\ufffd", text)
        return text
    if text is None or (isinstance(text, float) and math.isnan(text)):
        return ""
    if isinstance(text, (bytes, bytearray)):
        return bytes(text).decode("utf-8", "replace")
    try:
        import pandas as pd

        if pd.isna(text):
            return ""
    except (TypeError, ValueError):
        pass
    raise TypeError(f"expected a string, got {type(text).__name__}")


def clean_texts(texts: Iterable) -> list[str]:
    """:func:`clean_text` of each text; a list of clean strings costs two C-level scans."""
    texts = list(texts)
    if all(type(t) is str for t in texts):
        try:
            "".join(texts).encode("utf-8")
            return texts
        except UnicodeEncodeError:  # a lone surrogate somewhere
            pass
    return [clean_text(t) for t in texts]


def _simple_tokens(chunk: str, reduce_len: bool) -> list[str] | None:
    """TweetTokenizer's tokens of a simple ASCII chunk, or None if the chunk is not simple.

    Simple: opening ``( [ " *``, one word (letters, inner ``'`` or ``-``), closing
    ``, . ! ? ) ] " *``. None of these characters is an emoticon eye, so only the word pattern
    and single-character tokens apply: a run of one character is cut to 3 (NLTK's long-run
    rule; not a run of a :func:`counted_whole` character: all of these but the dot), and a run
    of dots is one ellipsis
    token. Checked against the tokenizer on the whole text on every corpus text.
    """
    m = _SIMPLE_CHUNK.match(chunk)
    if m is None:
        return None
    lead, word, trail = m.groups()
    if reduce_len:
        word = _ELONGATED.sub(r"\1\1\1", word)
    if "-" in word and len(word) < 3:
        return None
    return [*_punct_run_tokens(lead), word, *_punct_run_tokens(trail)]


@lru_cache(maxsize=4096)
def _punct_run_tokens(part: str) -> tuple[str, ...]:
    """Tokens of the punctuation around a simple chunk's word: a run of one character is cut
    to 3 (NLTK's long-run rule), but for a :func:`counted_whole` character (one token each),
    and a run of dots is one ellipsis token."""
    out: list[str] = []
    for run in _RUNS.finditer(part):
        c = run.group(1)
        k = len(run.group(0)) if counted_whole(c) else min(len(run.group(0)), 3)
        if c == ".":
            out.append("." * k)
        else:
            out.extend([c] * k)
    return tuple(out)


#: words joined by single dots inside a whitespace chunk (not part of an e-mail address, a
#: mention or a path), which NLTK's pattern for a web address without a scheme takes whole
#: where the last word has 2-13 letters (``sick.Getting``, read as a domain ending)
_DOTTED_WORDS = re.compile(r"(?<![\w.@/])[^\W\d_]+(?:\.[^\W\d_]+)+(?![\w@/]|\.\w)")


def _dots_apart(text: str) -> str:
    """The text with a space after each dot between words that are no web address to the
    tokenizer (:func:`url_start`: ``change.org``, ``www.x.org`` are, and stay whole), before
    NLTK sees it: ``sick.Getting`` (a sentence end typed without its space) is ``sick``,
    ``.``, ``Getting``, and ``Reality.Can't`` ``Reality``, ``.``, ``Can't``, as NLTK cuts
    ``e.g`` and ``U.S.A`` (their last word too short for a domain ending). NLTK keeps
    ``sick.Getting`` whole only because its address pattern knows no list of domains. The
    space goes inside a whitespace chunk, so a text gives the same tokens whole or chunk by
    chunk."""
    if "." not in text:
        return text
    return _DOTTED_WORDS.sub(_dotted_apart, text)


def _dotted_apart(m: re.Match) -> str:
    words = m.group()
    return words if url_start(words) else words.replace(".", ". ")


def is_elongated(word: str) -> bool:
    """Whether a letter (``str.isalpha``) is repeated three or more times in a row in ``word``
    ("sooo", "GOOOD", "nooo!"): an elongated word. A run of another character is none: the
    dots or ``!`` of two words written without a space (``wrong...I``, ``Wow!!!Great``),
    digits (``2000RPM``) or emoji (``yet👍👍👍``) stretch no word."""
    return any(m.group(1).isalpha() for m in _ELONGATED.finditer(word))


#: what :meth:`TextTokenizer._tweet_tokenizer` builds on first use
_BUILT = frozenset({"_tt", "_emoticon_re", "_cache"})


@dataclass(frozen=True)
class TextTokenizer:
    """TweetTokenizer with lower-casing, elongation reduction, masking and stemming.

    Parameters
    ----------
    lowercase : bool
        Lower-case every token except emoticons (``:D`` stays ``:D``).
    reduce_len : bool
        Shorten runs of 3+ identical characters to 3 ("sooooo" -> "sooo"), as NLTK does, but
        runs of punctuation and symbols that are one token each (:func:`counted_whole`).
    mask_urls : bool
        Replace URLs by ``"<url>"``.
    mask_mentions : bool
        Replace user mentions (``@name``) by ``"<user>"``.
    stem : {None, "porter", "snowball"}
        Stem alphabetic tokens with NLTK's Porter or English Snowball stemmer.
    """

    lowercase: bool = True
    reduce_len: bool = True
    mask_urls: bool = True
    mask_mentions: bool = True
    stem: str | None = None
    max_cache: int = 1_000_000

    def __post_init__(self) -> None:
        if self.stem is not None:
            _stemmer(self.stem)  # raises ValueError naming the parameter value

    def __getstate__(self) -> dict:
        # NLTK's tokenizers (a class of a module loaded apart: :func:`_casual_alone`) and the
        # chunk cache are rebuilt after unpickling, not pickled
        return {k: v for k, v in self.__dict__.items() if k not in _BUILT}

    def __setstate__(self, state: dict) -> None:
        self.__dict__.update(state)
        self._tweet_tokenizer()

    # -- one text, exactly as NLTK ----------------------------------------------------------
    def _tweet_tokenizer(self):
        tok = self.__dict__.get("_tt")
        if tok is None:
            TweetTokenizer, emoticon_re = _nltk()
            # case is handled here, after masking, so that "<url>"/"<user>" and emoticons
            # come out the same whatever the setting. Elongations are reduced here, with the
            # same pattern, before NLTK: its reduce_lengthening recompiles its pattern through
            # a wrapper on every call
            tok = TweetTokenizer(preserve_case=True, reduce_len=False, strip_handles=False,
                                 match_phone_numbers=False)
            object.__setattr__(self, "_tt", tok)
            object.__setattr__(self, "_emoticon_re", emoticon_re)
            object.__setattr__(self, "_cache", {})
        return tok

    def _normalise(self, token: str, mention: bool = True) -> str:
        if token[:1] == GLUED:  # an "@" glued to what precedes it: no mention, never masked
            return GLUED + self._normalise(token[1:], mention=False)
        if token in _EMOTICONS:
            return token
        if token.isalpha():  # most tokens: no URL, mention or emoticon can be all letters
            if self.lowercase:
                token = token.lower()
            if self.stem is not None:
                token = self._stem(token)
            return token
        if self.mask_urls and url_start(token):
            return URL_TOKEN
        if mention and self.mask_mentions and _MENTION.match(token):
            return USER_TOKEN
        if not token.isalnum() and self._emoticon_re.fullmatch(token):
            return token
        if self.lowercase:
            token = token.lower()
        return token

    def _stem(self, token: str) -> str:
        stemmer = _stemmer(self.stem)
        return (stemmer.stem(token, to_lowercase=self.lowercase) if self.stem == "porter"
                else stemmer.stem(token))

    def tokenize(self, text) -> list[str]:
        """Tokens of one text (TweetTokenizer on the whole text, then normalisation)."""
        return unmark(self._tokenize(text))

    def _tokenize(self, text) -> list[str]:
        """:meth:`tokenize` with the :func:`mark_glued` marks (for the lexicon set)."""
        self._tweet_tokenizer()
        text = unescape_folded(fold(clean_text(text)))
        norm = self._normalise
        pos = 0
        out: list[str] = []
        # a chunk that is an AFINN emoticon is one token; no NLTK pattern reaches across such
        # a chunk (none holds "&" or "."), so the pieces between them are tokenised apart
        for m in _emoticon_chunks().finditer(text):
            piece = text[pos : m.start()]
            out.extend(norm(t) for t in mark_glued(self._nltk_tokens(piece), piece))
            out.append(m.group())
            pos = m.end()
        piece = text[pos:]
        out.extend(norm(t) for t in mark_glued(self._nltk_tokens(piece), piece))
        return out

    def _nltk_tokens(self, text: str) -> list[str]:
        """NLTK's tokens of a folded and decoded text or chunk (:func:`unescape_folded`),
        keycaps and subdivision flags whole (:func:`_held_tokens`). Elongations are reduced
        here before NLTK, as on the chunk paths."""
        if self.reduce_len:
            text = _REDUCED.sub(_reduce_run, text)
        if "&" in text:
            # NLTK decodes HTML entities first, whatever it is given: the text is decoded
            # already, and "&" as "&amp;" comes back as itself ("&amp;lt;" stays "&lt;")
            text = text.replace("&", "&amp;")
        return _held_tokens(self._tt, _dots_apart(text))

    # -- many texts, fast -------------------------------------------------------------------
    def _chunk(self, chunk: str, cache: bool = True) -> tuple[str, ...]:
        """Tokens of one whitespace chunk (cached unless ``cache`` is false: callers with
        their own chunk table)."""
        out = self._cache.get(chunk) if cache else None
        if out is None:
            key = chunk
            chunk = unescape_folded(fold(chunk))
            raw = _simple_tokens(chunk, self.reduce_len) if chunk.isascii() else None
            if chunk in _EMOTICONS:
                out = (chunk,)
            else:
                if raw is None:
                    raw = self._nltk_tokens(chunk)
                out = tuple(self._normalise(t) for t in mark_glued(raw))
            if cache and len(self._cache) < self.max_cache:
                self._cache[key] = out
        return out

    def normalise_many(self, tokens: list[str]) -> list[str]:
        """:meth:`_normalise` of each token (the common all-letter case without a call)."""
        if self.stem is None and self.lowercase:
            norm = self._normalise
            emo = _EMOTICONS
            return [t.lower() if t.isalpha() and t not in emo else norm(t) for t in tokens]
        return list(map(self._normalise, tokens))

    def raw_tokens_many(self, chunks: list[str], runs: list[int] | None = None,
                        kinds: list[int] | None = None) -> list[tuple[str, ...]]:
        """Un-normalised tokens of each whitespace chunk, many chunks at once.

        Equal to :meth:`_chunk` before normalisation, chunk by chunk. The chunks must come from
        ``str.split()`` (no whitespace in them). Cheaper per chunk: one multi-line match over
        the ASCII chunks joined by newlines sorts out the simple ones (a word with punctuation
        around it), and the remaining chunks go through NLTK many per call, joined by
        ``" \x00 "``: no NLTK pattern reaches across white space but the spaced ellipsis,
        which a lone ``\x00`` token interrupts, so each chunk keeps its own tokens (checked
        against chunk-by-chunk tokenising on every corpus chunk in the tests).

        An ``@`` token glued to what precedes it carries the :func:`mark_glued` mark, as in
        :meth:`_chunk`. ``runs``, if given, lists the chunks with a run of three equal
        characters (the only ones elongation reduction changes); ``kinds``, if given, says per
        chunk 2 for ASCII letters only (the chunk is its one token), 1 for other ASCII, 0 for
        non-ASCII. Both describe the chunks after :func:`fold`.
        """
        self._tweet_tokenizer()
        n = len(chunks)
        if n == 0:
            return []
        chunks = [fold(c) for c in chunks]
        if any("\n" in c for c in chunks):  # not from str.split()
            return [mark_glued(tuple(self._raw_chunk(c))) for c in chunks]
        if runs is None:
            runs = [k for k, c in enumerate(chunks) if _ELONGATED.search(c)]
        reduced = list(chunks)
        if self.reduce_len:
            for k in runs:
                reduced[k] = _REDUCED.sub(_reduce_run, chunks[k])
        if kinds is None:
            kinds = [(2 if c.isalpha() else 1) if c.isascii() else 0 for c in chunks]
        out: list = [None] * n
        emo = _EMOTICONS
        for k, c in enumerate(chunks):
            if not c:  # only variation selectors
                out[k] = ()
            elif c in emo:
                out[k] = (c,)
        hard = [k for k, kind in enumerate(kinds) if kind == 0 and out[k] is None]
        rest = []
        for k, kind in enumerate(kinds):
            if out[k] is not None:
                continue
            if kind == 2:
                out[k] = (reduced[k],)
            elif kind == 1:
                rest.append(k)
        rows = _SIMPLE_LINES.findall("\n".join([reduced[k] for k in rest]))
        if len(rows) != len(rest):  # pragma: no cover - guarded by the newline check
            return [mark_glued(tuple(self._raw_chunk(c))) for c in chunks]
        run_tokens = _punct_run_tokens
        for k, (lead, word, trail, other) in zip(rest, rows, strict=True):
            if other:
                hard.append(k)
            elif lead or trail:
                out[k] = (*run_tokens(lead), word, *run_tokens(trail))
            else:
                out[k] = (word,)
        group: list[int] = []
        size = 0
        for k in hard:
            c = reduced[k]
            if "&" in chunks[k] or "\x00" in c or len(c) > _JOIN_MAX:
                out[k] = tuple(self._raw_chunk(chunks[k]))
                continue
            group.append(k)
            size += len(c) + 3
            if size > _JOIN_MAX:
                self._raw_group(group, reduced, chunks, out)
                group, size = [], 0
        if group:
            self._raw_group(group, reduced, chunks, out)
        for k in [k for k, c in enumerate(chunks) if "@" in c]:
            out[k] = mark_glued(out[k])  # "t@gged": "@gged" is no mention, as in _chunk
        return out

    def _raw_chunk(self, chunk: str) -> list[str]:
        """Un-normalised tokens of one chunk (the branches of :meth:`_chunk`)."""
        chunk = unescape_folded(fold(chunk))
        if chunk in _EMOTICONS:
            return [chunk]
        if chunk.isascii():
            raw = _simple_tokens(chunk, self.reduce_len)
            if raw is not None:
                return raw
        return self._nltk_tokens(chunk)

    def _raw_group(self, group: list[int], reduced: list[str], chunks: list[str],
                   out: list) -> None:
        """NLTK tokens of several reduced chunks in one call, split back per chunk."""
        try:
            toks = _held_tokens(self._tt, _dots_apart(" \x00 ".join([reduced[k] for k in group])))
        except TimeoutError:  # NLTK's guard on one long call: go chunk by chunk
            toks = None
        parts: list[tuple[str, ...]] = []
        if toks is not None:
            start = 0
            for i, t in enumerate(toks):
                if t == "\x00":
                    parts.append(tuple(toks[start:i]))
                    start = i + 1
            parts.append(tuple(toks[start:]))
        if len(parts) != len(group):
            parts = [tuple(self._raw_chunk(chunks[k])) for k in group]
        for k, p in zip(group, parts, strict=True):
            out[k] = p

    def tokenize_many(self, texts: Iterable) -> list[list[str]]:
        """Tokens of each text; same result as :meth:`tokenize`, many times faster.

        Missing values (None, NaN) give no tokens; lone surrogates are replaced by U+FFFD.
        """
        self._tweet_tokenizer()
        chunk = self._chunk
        out = []
        for text in texts:
            text = clean_text(text)
            if tokenised_whole(text):
                out.append(self.tokenize(text))
                continue
            toks: list[str] = []
            for c in text.split():
                toks.extend(chunk(c))
            out.append(unmark(toks) if GLUED in "".join(toks) else toks)
        return out


_EMOTICONS = emoticons()

# characters str.split() treats as whitespace but the tokenizer's regex (\s in the `regex`
# module, Unicode White_Space) does not: a text containing one is tokenised whole
_SPLIT_ONLY_WS = re.compile("[\x1c-\x1f]")


def _split_safe(text: str) -> bool:
    return _SPLIT_ONLY_WS.search(text) is None


def tokenised_whole(text: str) -> bool:
    """Whether ``text`` must be tokenised whole rather than chunk by chunk: a pattern of
    the tokenizer may cross white space in it (HTML entities, spaced dots, also once
    folded) or ``str.split`` cuts it where the tokenizer does not."""
    return ("&" in text or _SPACED_DOTS.search(text) is not None or not _split_safe(text)
            or _fold_unsafe_in(text))
