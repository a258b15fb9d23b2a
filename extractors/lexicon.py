"""``lexicon``: VADER, AFINN, NRC and user lexicons with negation and intensifiers, plus style
cues, as an sklearn transformer over texts.

The numeric work is in :mod:`._text_features` (pure functions and Numba kernels); this module
is the thin wrapper on the extractor base. A batch ``transform`` featurises all texts at once
(each distinct whitespace chunk is analysed once); the batch runner (CLI) calls
:meth:`LexiconFeatures.features_of` text by text, with the same results.

Column definitions: docs/text.md.
"""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence, Set
from pathlib import Path
from typing import Any, ClassVar

import numpy as np

from emofeat.extractor import Extractor, one_row_each, warn_param
from emofeat.readers import _as_text

from ._lexicons import LexiconWarning
from ._text_features import NEGATION_MODES, NORMALISATIONS, TextFeaturizer
from ._text_tokenize import TextTokenizer

_PARAMS = ("lexicons", "style", "negation", "negation_scope", "intensifiers", "normalise",
           "vader_sentences", "lowercase", "reduce_len", "mask_urls", "mask_mentions", "stem")


class LexiconFeatures(Extractor):
    """Lexicon and style features of texts (one row per text).

    Parameters
    ----------
    lexicons : sequence, default ("vader", "afinn")
        Which lexicons: ``"vader"`` (neg/neu/pos/compound identical to vaderSentiment 3.3.2,
        plus sentence-level compound mean/min/max), ``"afinn"`` (bundled), and the lexicons
        you supply from a file: ``("nrc_emolex", path)``, ``("nrc_vad", path)``,
        ``("nrc_intensity", path)``, ``("user", path)`` or ``("user", path, name)`` in the
        ``word<TAB>category<TAB>score`` format, or a ``Lexicon`` object. Each lexicon once: a
        name given twice (``"vader"`` twice, two user lexicons of one name) is refused.
    style : bool, default True
        Add style cues (``lexicon_style_*``): tokens, type-token ratio, words, sentences, ``!``
        and ``?`` counts, all-caps ratio and count, elongated words, emoji and emoticon counts
        and VADER valence sums, hashtags, mentions, URLs, numbers, punctuation tokens.
    negation : {"flip", "drop", "none"}, default "flip"
        Effect of a negator on the lexicon words after it, up to the next punctuation.
    negation_scope : int, default 0
        Most words a negation reaches (0: up to the punctuation).
    intensifiers : bool, default True
        Scale a word after an intensifier ("very") or dampener ("slightly") by 1 +/- 0.293,
        in signed lexicons (AFINN, scores centred on 0) only: bounded ratings (NRC VAD 0..1,
        or -1..1 for v2, NRC Intensity 0..1) and binary counts are not scaled.
    normalise : {"token", "sentence", "raw"}, default "token"
        Divide lexicon sums and counts by the text's tokens, sentences, or nothing.
    vader_sentences : bool, default True
        Add ``lexicon_vader_sent_compound_{mean,min,max}``.
    lowercase, reduce_len, mask_urls, mask_mentions : bool, default True
        Tokenizer options (NLTK TweetTokenizer).
    stem : {None, "porter", "snowball"}, default None
        Stem tokens before lexicon look-up (lexicon words are not stemmed: use it with a
        stemmed user lexicon).

    Examples
    --------
    >>> from emofeat.extractors import LexiconFeatures
    >>> lf = LexiconFeatures().fit([])
    >>> X = lf.transform(["I love it!!", "not good at all :("])
    >>> X.shape[0], str(lf.get_feature_names_out()[3])
    (2, 'lexicon_vader_compound')
    """

    modality: ClassVar[str] = "text"
    set_name: ClassVar[str] = "lexicon"
    # 1: since 7690730 runs of 4+ of one punctuation or symbol character stay whole
    # (',,,,', four emoji), changing 45 GoEmotions rows for the same parameters. 2: a negator
    # among a matched phrase's words ("can't stand", "not good") opens no negation scope,
    # changing the AFINN columns of 35 of the 81,929 corpus texts. 3: an elongated word has a
    # letter repeated 3+ times ("sooo"), not a run of dots or "!" between two words
    # ("wrong...I"): lexicon_style_n_elongated of 569 of those texts. 4: a word with the
    # clitic 's ("friend's") is looked up as its word: the AFINN columns of 110 of them. 5: a
    # web address without a scheme ("change.org") is a URL to the case cues too (1 text's
    # allcaps_ratio), and a URL token with mask_urls=False. 6: words joined by a dot that are
    # no web address ("sick.Getting") are words and a full stop: token counts of 70 texts. 7:
    # a user lexicon's field in double quotes is read as CSV quotes it (R's write.csv): the
    # same file and parameters gave columns of 0 before (its keys kept their quotes). 8: a web
    # address without a scheme is a URL by a general rule (any country code or a path:
    # "amazon.ca", "youtu.be/x"), "trust.me" two words: 1 corpus text's columns. 9: the
    # clitic 's on a hashtag ("#happy's") or a phrase's last word ("bad luck's") is read as
    # on a word: 1 corpus text's NRC VAD columns (none at the defaults). 10: the clitic's
    # word only at a phrase's last word ("the bad's luck end" no phrase); a hashtag's reading
    # in phrases independent of the texts seen (lowercase=False); "i.love.it", "main.py",
    # "8.30.am" no URLs: no corpus text's columns. 11: with lowercase=False a plain word is
    # read in phrases as written, else lower-cased ("bad Luck", "Can't stand" are AFINN's
    # phrases, as the afinn package reads them): AFINN/NRC columns of 37 texts at that setting.
    # 12: the clitics 'd, 'm, 'll, 're, 've are read as 's is ("lol'd" is "lol"): AFINN
    # columns of 4 corpus texts, NRC VAD of 76 ("would've"), EmoLex and Intensity of 1.
    # 13: an "@" right after a letter, digit or "_" (or !@#$%&*) is no mention ("t@gged"), as
    # NLTK's HANDLES_RE and twitter-text read it: the style columns of 1 corpus text.
    # 14: a hashtag or mention inside punctuation ("(@NASA)", '"#BLM"') is no word to the
    # case cues (allcaps_ratio, n_allcaps, n_elongated): no corpus text's columns; one whose
    # "@" follows a stripped "*", "!" or "_" ("*@NASA*") is no mention, so a word (mended
    # within 14, never released)
    numbers_version: ClassVar[int] = 14

    def __init__(self, *, lexicons: Sequence = ("vader", "afinn"), style: bool = True,
                 negation: str = "flip", negation_scope: int = 0, intensifiers: bool = True,
                 normalise: str = "token", vader_sentences: bool = True, lowercase: bool = True,
                 reduce_len: bool = True, mask_urls: bool = True, mask_mentions: bool = True,
                 stem: str | None = None) -> None:
        self.lexicons = lexicons
        self.style = style
        self.negation = negation
        self.negation_scope = negation_scope
        self.intensifiers = intensifiers
        self.normalise = normalise
        self.vader_sentences = vader_sentences
        self.lowercase = lowercase
        self.reduce_len = reduce_len
        self.mask_urls = mask_urls
        self.mask_mentions = mask_mentions
        self.stem = stem

    # ------------------------------------------------------------------ parameters
    def _check_params(self) -> None:
        if self.negation not in NEGATION_MODES:
            raise ValueError(f"negation must be one of {sorted(NEGATION_MODES)}, "
                             f"got {self.negation!r}")
        if self.normalise not in NORMALISATIONS:
            raise ValueError(f"normalise must be one of {NORMALISATIONS}, got {self.normalise!r}")
        if not isinstance(self.negation_scope, (int, np.integer)) or self.negation_scope < 0:
            raise ValueError(f"negation_scope must be an integer >= 0, got "
                             f"{self.negation_scope!r}")
        if self.stem not in (None, "porter", "snowball"):
            raise ValueError(f"stem must be None, 'porter' or 'snowball', got {self.stem!r}")
        # a dict or set is iterable too: its keys, a set in no fixed order (column order
        # changing from one process to the next), were taken for the list
        if (isinstance(self.lexicons, str | Mapping | Set)
                or not hasattr(self.lexicons, "__iter__")):
            raise ValueError(f"lexicons must be a list of lexicon specs, got {self.lexicons!r}")
        # unknown lexicons, unreadable files: errors naming them. A lexicon file written since
        # the featurizer was built is read again where a fit or a run starts; transform keeps
        # the entries of the fit (a fitted model's features) and refuses a file changed since
        feat = self._featurizer(reread=not self.__dict__.get("_held", False))
        for note in feat.stem_notes:  # a parameter check's warning: once a run, as others
            warn_param(note, LexiconWarning)

    def data_files(self) -> list[str]:
        """The files this set reads (the paths of its NRC and user lexicon specs): the runner
        records their contents, so that an output resumed after one was edited is refused."""
        return [os.fspath(spec[1]) for spec in self.lexicons
                if isinstance(spec, tuple | list) and len(spec) in (2, 3)
                and isinstance(spec[1], str | os.PathLike)]

    def _files_state(self) -> tuple:
        """What the file system says of each lexicon file (inode, size, modification and
        change times): another state means the file was written since it was read (its
        change time moves even where its old modification time is put back)."""
        state = []
        for path in self.data_files():
            try:
                st = os.stat(os.path.expanduser(path))
            except OSError:
                state.append((path,))
                continue
            state.append((path, st.st_ino, st.st_size, st.st_mtime_ns, st.st_ctime_ns))
        return tuple(state)

    def _fit_record(self) -> dict[str, tuple]:
        """``{path: (file state, hash of the bytes)}`` of each lexicon file as it was read."""
        from ._lexicons import _file_digest

        record = {}
        for state in self.__dict__["_feat"][2]:
            if len(state) > 1:  # a file read (an unreadable one failed the build)
                record[state[0]] = (state, _file_digest(Path(os.path.expanduser(state[0]))))
        return record

    def _check_files_held(self) -> None:
        """Refuse a lexicon file whose content changed since :meth:`fit` read it.

        A fitted pipeline's next steps learnt the columns and numbers of the fit's entries:
        re-read silently, an edited entry changed its predictions, and a new category or kind
        changed the column count ('X has 3 features, but LogisticRegression is expecting 2').
        Refused rather than warned and run on the entries held in memory: those are lost on
        pickling, and a model saved and loaded would read the new file anyway."""
        from ._lexicons import _file_digest

        record = self.__dict__.get("_fit_files")
        if record is None:  # never fitted: the entries of its first transform are kept
            self.__dict__["_fit_files"] = self._fit_record()
            return
        for path, (state, digest) in list(record.items()):
            now = Path(os.path.expanduser(path))
            try:
                st = now.stat()
            except OSError:
                continue  # gone: the entries in memory are the fit's (a rebuild names it)
            if (path, st.st_ino, st.st_size, st.st_mtime_ns, st.st_ctime_ns) == state:
                continue
            if _file_digest(now) == digest:  # touched or copied back: the same content
                record[path] = ((path, st.st_ino, st.st_size, st.st_mtime_ns,
                                 st.st_ctime_ns), digest)
                continue
            if self.__dict__.get("_fitted_by_fit"):
                raise ValueError(
                    f"lexicon file {path} changed since this LexiconFeatures was fitted: its "
                    "features would not be the ones the fitted model learnt (other numbers, "
                    "or other columns); fit again (the whole pipeline) to use the file as it "
                    "is now, or put back the file as it was when fitted")
            raise ValueError(
                f"lexicon file {path} changed since this LexiconFeatures first read it (it "
                "was never fitted): its features would not match those it gave before; call "
                "fit to read the file as it is now")

    def fit(self, X: Any = None, y: Any = None) -> LexiconFeatures:
        """Check the parameters and read the lexicon files (again if written since).

        Parameters
        ----------
        X, y : ignored
            Texts and labels (nothing is learnt from them).

        Returns
        -------
        LexiconFeatures
            ``self``: :meth:`transform` refuses a lexicon file whose content changed since.
        """
        self.__dict__.pop("_fit_files", None)
        super().fit(X, y)
        self.__dict__["_fit_files"] = self._fit_record()
        self.__dict__["_fitted_by_fit"] = True
        return self

    def _featurizer(self, *, reread: bool = False) -> TextFeaturizer:
        """The featurizer for the current parameters (built once, rebuilt if they change,
        and, with ``reread``, if a lexicon file was written since it was built)."""
        # compared by value each call (cheap: the runner calls per text), so set_params and
        # direct attribute changes both rebuild it. The files are read again at fit and a
        # run's start (transform only checks them against the fit), not per text: a lexicon
        # file edited after a first transform was not read again by a refit or a run, whose
        # provenance then recorded the new file's SHA-256 beside numbers of the old one
        key = tuple(getattr(self, name) for name in _PARAMS)
        cached = self.__dict__.get("_feat")
        files = self._files_state() if reread or cached is None or cached[0] != key else None
        if cached is not None and cached[0] == key and (files is None or cached[2] == files):
            return cached[1]
        if files is None:
            files = self._files_state()
        tok = TextTokenizer(lowercase=self.lowercase, reduce_len=self.reduce_len,
                            mask_urls=self.mask_urls, mask_mentions=self.mask_mentions,
                            stem=self.stem)
        feat = TextFeaturizer(list(self.lexicons), style=self.style, negation=self.negation,
                              negation_scope=int(self.negation_scope),
                              intensifiers=self.intensifiers, normalise=self.normalise,
                              tokenizer=tok, vader_sentences=self.vader_sentences)
        self.__dict__["_feat"] = (key, feat, files)
        return feat

    def __getstate__(self) -> dict[str, Any]:
        # the featurizer is a cache (vocabulary, compiled patterns): rebuilt after unpickling.
        # The fit's record of its files (_fit_files, _fitted_by_fit) stays: a pickled model
        # refuses a file changed since its fit (the entries it learnt are not in the pickle)
        state = dict(super().__getstate__())
        state.pop("_feat", None)
        return state

    # ------------------------------------------------------------------ extractor API
    def feature_names(self) -> list[str]:
        return self._featurizer().feature_names()

    def features_of(self, signal: Any) -> tuple[np.ndarray, np.ndarray]:
        return self._featurizer().transform([signal.text]), np.empty(0)

    def features_of_many(self, signals: list[Any]) -> list[tuple[np.ndarray, np.ndarray]]:
        # the featurizer is batched (token cache, one kernel call): the runner's shards use it
        X = self._featurizer().transform([s.text for s in signals])
        return one_row_each(X)

    def warmup_input(self) -> Any:
        # no emoji: one text then takes the chunk path, whose kernels include all the others
        return "What a WONDERFUL day!! Isn't it? not bad at all :) #yay @you http://x.io"

    def transform(self, X: Any) -> np.ndarray:
        """Features of each text, all texts at once.

        Parameters
        ----------
        X : list or Series of str, or a DataFrame with a ``text`` column
            ``None``/NaN (missing) count as the empty text; lone surrogates are replaced.

        Returns
        -------
        ndarray of float64, shape (n_texts, n_features)

        Raises
        ------
        ValueError
            A lexicon file's content changed since :meth:`fit` (or, never fitted, the first
            ``transform``) read it: the features would not be the fitted ones; fit again.
        """
        self.__dict__["_held"] = True  # the fit's entries: no re-reading here
        try:
            self.check_params()
        finally:
            self.__dict__.pop("_held", None)
        texts = [_as_text(item) for item in self._items(X)]
        feat = self._featurizer()
        self._check_files_held()
        return feat.transform(texts)
