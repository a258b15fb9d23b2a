"""The base every extractor derives from, whatever its modality.

An extractor is an sklearn transformer whose input is a list of *items* (audio files, EEG
recordings, texts). Its one modality-specific step is its :meth:`Extractor.reader`, which turns
an item into :mod:`signals <emofeat.signal>`; everything else is shared: parameter checks,
feature names, ``set_output``, levels, ``clone``, and :meth:`Extractor.extract` to a
:class:`~emofeat.table.FeatureTable` through the batch runner.

A subclass supplies:

* ``modality`` (``"audio"``, ``"eeg"``, ``"text"``) and ``set_name`` (registry name and the
  prefix of its feature names);
* ``__init__`` with keyword-only parameters stored as given (sklearn's rule); parameters whose
  names match the reader's fields (``sr``, ``resample``, ``sfreq``) configure the reader;
* :meth:`Extractor.feature_names`, :meth:`Extractor.features_of` and
  :meth:`Extractor.warmup_input`; optionally :meth:`Extractor._check_params`.

Frame-level extractors (descriptors x frames, then functionals) derive from
:class:`emofeat.extractors.base.FrameExtractor`, which implements ``features_of`` and
``feature_names`` from ``_compute`` and ``descriptor_names``.
"""

from __future__ import annotations

import contextlib
import contextvars
import dataclasses
import functools
import itertools
import os
import sys
import warnings
from collections.abc import Iterable, Iterator, Sequence
from typing import Any, ClassVar

import numpy as np

from ._wording import NFC_NAMES_SINCE, alike_in_nfc, names_shown
from .errors import ChannelError, SignalTypeError
from .estimator import Estimator
from .readers import READERS, Reader, _is_mne

MODALITIES = tuple(READERS)

#: whether :func:`warn_param` warns: off while parameters whose warnings were just given are
#: checked again (:meth:`Extractor.fit_transform`'s transform after its fit, the command's run
#: after its own early check). A context variable, not an attribute: the extractor is not
#: changed, and another thread's checks still warn.
_WARN_PARAMS: contextvars.ContextVar[bool] = contextvars.ContextVar("emofeat_warn_params",
                                                                    default=True)


def warn_param(message: str, category: type[Warning] = UserWarning) -> None:
    """Warn (``UserWarning``, or the subclass ``category``) about a parameter value that is
    used but questionable; for a set's :meth:`Extractor._check_params`.

    Every check of the parameters warns (a ``transform`` of a model whose parameters changed
    after ``fit`` must say so again), except the second check of one call that checks them
    twice (:func:`params_warned`): ``fit_transform`` warns once, as sklearn's transformers do.
    The warning is attributed to the first caller outside emofeat (the user's line), so
    Python's default filter shows it once per line that fits or transforms.

    Parameters
    ----------
    message : str
        What is questionable and what to give instead, naming the parameter.
    category : type of Warning
        A subclass of ``UserWarning`` where one names the kind (``LexiconWarning``).
    """
    if not _WARN_PARAMS.get():
        return
    warnings.warn(message, category, stacklevel=_outside_emofeat(2))


def check_sets_params(named: Iterable[tuple[str, Any]]) -> None:
    """Check each named set's parameters ahead of a run, without their warnings (the run
    checks again and warns: :func:`params_warned`). Of several sets, a plain ``ValueError``
    is refused again naming the set that refused it ("set 'librosa': spectral-contrast bands
    exceed Nyquist", under ``--set mfcc,librosa --param sr=8000``, named none), every such
    set on a line of its own, so that one correction of the command fixes them all; a
    refusal of its own kind (a lexicon file's, which names the file) keeps its type."""
    named = list(named)
    refused = []
    with params_warned():
        for name, ext in named:
            try:
                ext.check_params()
            except ValueError as exc:
                if len(named) == 1 or type(exc) is not ValueError:
                    raise
                refused.append(f"set {name!r}: {exc}")
    if refused:
        raise ValueError("\n".join(refused))


@contextlib.contextmanager
def params_warned() -> Iterator[None]:
    """Checks of the parameters inside this block still refuse what is invalid, but give no
    :func:`warn_param` warning: the caller checked the same parameters, with their warnings,
    just before."""
    token = _WARN_PARAMS.set(False)
    try:
        yield
    finally:
        _WARN_PARAMS.reset(token)


def _outside_emofeat(level: int, also: tuple[str, ...] = ()) -> int:
    """The ``stacklevel`` of the first frame outside the emofeat package, for a
    ``warnings.warn`` in this function's caller (``level``: where to start, as ``stacklevel``
    counts there); ``also``: other top-level packages whose frames are skipped too
    (``"contextlib"`` for a warning raised inside one of emofeat's ``with`` blocks)."""
    skipped = ("emofeat", *also)
    frame = sys._getframe(level)
    while frame is not None and frame.f_globals.get("__name__", "").split(".")[0] in skipped:
        frame = frame.f_back
        level += 1
    return level


class Extractor(Estimator):
    """Base of every feature extractor (see the module docs for what a subclass supplies).

    An sklearn transformer through :class:`emofeat.estimator.Estimator`, which implements
    sklearn's estimator protocol without importing scikit-learn (an extraction fits nothing,
    and the import would cost more start-up than the extraction of a few files).
    """

    #: ``"audio"``, ``"eeg"`` or ``"text"``: which reader turns items into signals
    modality: ClassVar[str] = ""
    #: registry name; every feature name starts with it
    set_name: ClassVar[str] = ""
    #: levels this extractor offers (``level`` parameter, when it has one)
    levels: ClassVar[tuple[str, ...]] = ("functionals",)
    #: feature names depend on the data (EEG channels): learnt by :meth:`fit`
    names_from_data: ClassVar[bool] = False
    #: the Numba kernels its default path calls, ``"module:kernel,kernel"`` (cold start)
    kernels: ClassVar[tuple[str, ...]] = ()
    #: bumped when the set's numbers change for the same parameters (a fix, a reference
    #: followed more closely): an output whose rows another numbers version wrote is not
    #: resumed, and a model trained on such rows warns. 0 is left out of the run's
    #: fingerprint, so the outputs of sets that never bumped it keep resuming.
    numbers_version: ClassVar[int] = 0
    #: set in the body of a base class that is no feature set (this class, FrameExtractor):
    #: constructing it is refused; a subclass is a set unless it sets the flag itself
    _base_only: ClassVar[bool] = True

    def __init__(self) -> None:
        # a base is no set: FrameExtractor() was built and failed only when used, with
        # "AttributeError: 'FrameExtractor' object has no attribute 'functionals'". An
        # __init__, not a __new__(cls, *args, **kwargs): each set's signature stays its own
        # __init__'s (Sphinx, inspect.signature), and a subclass without an __init__ of its
        # own still refuses arguments instead of ignoring them
        if type(self).__dict__.get("_base_only", False):
            raise TypeError(
                f"{type(self).__name__} is the base class of emofeat's feature sets, not a "
                "set: use a set (emofeat.extractors.MFCC, ...; `emofeat sets` lists them, "
                "emofeat.get_extractor(name) builds one) or subclass it, as "
                "docs/architecture.md (Writing an extractor) describes")

    # ------------------------------------------------------------------ to implement
    def feature_names(self) -> list[str]:
        """Output feature names at the current level."""
        raise NotImplementedError

    def features_of(self, signal: Any) -> tuple[np.ndarray, np.ndarray]:
        """Output rows of one signal: ``(rows (n_rows, n_features), times (n_rows,))``;
        ``times`` is empty when rows are not frames (functionals)."""
        raise NotImplementedError

    def warmup_input(self) -> Any:
        """A small, typical input item: what :meth:`warmup` runs to compile the kernels."""
        raise NotImplementedError

    def features_of_many(self, signals: list[Any]) -> list[tuple[np.ndarray, np.ndarray]]:
        """:meth:`features_of` of many signals at once. A set whose per-input overhead matters
        (texts: thousands a second) overrides this with a batched computation; the runner
        and :meth:`transform` call it for untimed inputs."""
        return [self.features_of(s) for s in signals]

    def _check_params(self) -> None:
        """Raise ``ValueError`` naming any invalid parameter (called before any work)."""

    # ------------------------------------------------------------------ reading
    def reader(self) -> Reader:
        """The reader of this extractor's modality, configured by the parameters that share
        its fields' names (``sr``/``resample`` for audio, ``sfreq``/``ch_names`` for EEG)."""
        cls = READERS[self.modality]
        kwargs = {}
        for name in _reader_params(type(self), cls):
            value = getattr(self, name)
            kwargs[name] = tuple(value) if isinstance(value, list) else value
        return cls(**kwargs)

    def read(self, item: Any, position: int = 0) -> list[Any]:
        """Signals of one input item (one, or one per epoch of an epoched recording)."""
        reader = self.reader()
        reader.check_item(item, position)
        return reader.read(item, position)

    # ------------------------------------------------------------------ checks
    def check_params(self) -> None:
        """Check every parameter; ``ValueError`` names the first invalid one."""
        if self.modality not in MODALITIES:
            raise TypeError(f"{type(self).__name__}.modality must be one of {MODALITIES}")
        _check_types(self)
        level = getattr(self, "level", None)
        if level is not None and level not in self.levels:
            raise ValueError(f"level must be one of {self.levels}, got {level!r}")
        ch_names = getattr(self, "ch_names", None)
        if isinstance(ch_names, str | bytes):
            # a string is a sequence too: "Cz" would name two channels, "C" and "z"
            raise ValueError(f"ch_names must be a sequence of channel names, got the string "
                             f"{ch_names!r} (one channel: [{ch_names!r}])")
        self._check_params()

    def check_channels(self, signal: Any) -> None:
        """Refuse a signal whose channels differ from the fitted ones (names from data), or
        that is analysed at a rate more than :data:`emofeat.table.EEG_RATE_RTOL` from the
        one the extractor was fitted at (``sfreq_``, where ``sfreq`` is None), as a run
        refuses it: Hjorth mobility, line length, zero-crossing rate and RQA's delays count
        samples, so the rows of a 500 Hz and a 1000 Hz recording of one signal differed by
        1.9x in mobility in one matrix, without a word."""
        self._check_rate(signal)
        fitted = getattr(self, "channels_", None)
        if self.names_from_data and fitted is not None and tuple(signal.channels) != fitted:
            # the difference first: after two lists of 64 names it was easily missed
            apart = alike_in_nfc(fitted, signal.channels)
            raise ChannelError(
                signal.source, "channels differ from the ones the extractor was fitted on: "
                f"{channel_difference(tuple(signal.channels), fitted)} "
                f"({names_shown(list(signal.channels), apart)} against fitted "
                f"{names_shown(list(fitted), apart)})")

    def _check_rate(self, signal: Any) -> None:
        """:meth:`check_channels`' rate: the signal's analysis rate against ``sfreq_``."""
        fitted = getattr(self, "sfreq_", None)
        rate = getattr(signal, "sfreq", None)
        # the fitted rate itself first: transform checks every window of a list
        if fitted is None or rate is None or rate == fitted or not self.names_from_data \
                or getattr(self, "sfreq", None) is not None:
            return  # a set's own sfreq: every input is analysed at it or refused (analysis_rate)
        from .table import EEG_RATE_RTOL, rate_difference

        if rate_difference(fitted, rate):
            of = getattr(self, "sfreq_source_", None) or "its sfreq"
            raise SignalTypeError(
                signal.source, f"analysed at {float(rate):g} Hz, more than "
                f"{EEG_RATE_RTOL:.0%} from the rate {type(self).__name__} was fitted at, "
                f"{float(fitted):g} Hz ({of}): one extractor's rows are of one rate (Hjorth "
                "mobility, line length and RQA's delays count samples); fit one for each "
                "rate (EEG is never resampled silently)")

    # ------------------------------------------------------------------ sklearn API
    def get_feature_names_out(self, input_features: Any = None) -> np.ndarray:
        """Output feature names (``mfcc3_mean``, ``eeg_stats_std_AF3``, ...)."""
        self._check_fitted()
        return np.asarray(self.feature_names(), dtype=object)

    def fit(self, X: Any = None, y: Any = None) -> Extractor:
        """Check the parameters; learn the channel names where names depend on the data.

        Parameters
        ----------
        X : list of input items, optional
            Needed only by extractors whose names depend on the data (the first item's
            channels are learnt).
        y : ignored
        """
        self.check_params()
        # the items are checked (not read): a feature matrix or complex array is refused at
        # fit as at transform
        items = self._items(X) if X is not None else []
        if self.names_from_data:
            given = getattr(self, "ch_names", None)
            if not items and given:
                from .eeg_input import column_channel_names

                # as the reader names a signal's channels: the columns of one montage agree
                self.channels_ = column_channel_names(tuple(str(c) for c in given),
                                                      "ch_names")
                rate = getattr(self, "sfreq", None)
                source = None  # the set's sfreq
            elif not items:
                raise ValueError(f"{type(self).__name__} learns its channel names from the "
                                 "data: fit it on a list of recordings")
            else:
                from . import _thread_warnings

                # the channel names only: a bad channel is reported once, by transform. Caught
                # in this thread (catch_warnings would swallow other threads' meanwhile), every
                # one (always: a warning the filters let through once would be marked shown,
                # and transform's own saying of it dropped); what is no UserWarning is shown
                with _thread_warnings.caught(always=True) as got:
                    first = self.read(items[0], 0)[0]
                for message, category, filename, lineno in got:
                    if not issubclass(category, UserWarning):
                        warnings.warn_explicit(message, category, filename, lineno)
                self.channels_ = tuple(first.channels)
                rate = getattr(first, "sfreq", None)
                source = first.source
            # the rate the first recording is analysed at (its own where sfreq is None): a
            # run records it in its provenance, and a model refuses a table of another rate
            self.sfreq_ = None if rate is None else float(rate)
            # the recording that rate is of, which a run names when it refuses another rate:
            # a set fitted before the run keeps the rate of that fit
            self.sfreq_source_ = source
        self.feature_names()  # a parameter the names cannot be made of fails here, not later
        return self

    @property
    def n_features_out_(self) -> int:
        """Number of output features at the current parameters: computed, not stored by
        :meth:`fit`, so that a parameter changed after it (``set_params(kinds=...)``) cannot
        leave a stale count behind (the EEG sets size their output rows with it)."""
        self._check_fitted()
        return len(self.feature_names())

    def transform(self, X: Any) -> np.ndarray:
        """Features of each input item.

        Parameters
        ----------
        X : list (or Series) of input items, or a manifest DataFrame with the reader's input
            column (``path`` for files, ``text`` for texts)

        Returns
        -------
        ndarray of float64
            One row per item at the functionals level (one per epoch for epoched EEG, one
            per gap-free stretch of an EEG recording with gaps: a stretch too short among
            longer ones is left out with a warning, as :func:`emofeat.runner.run` leaves it
            out, ``docs/eeg.md``); at the LLD level the frames of every item stacked. An
            item listed twice is two rows (``transform([a, a, b])``: 3 rows), so that the
            rows line up with ``y`` in a scikit-learn pipeline; :meth:`extract`,
            :func:`emofeat.extract` and :func:`emofeat.runner.run` extract a file listed
            twice once, one row where it is first listed (2 rows), and
            :attr:`~emofeat.runner.RunResult.n_repeated` counts the repeat.
        """
        self.check_params()
        self._check_fitted()
        reader = self.reader()
        items = self._items(X)  # checked already
        per_item = [reader.read(item, i) for i, item in enumerate(items)]
        signals = [sig for sigs in per_item for sig in sigs]
        for signal in signals:
            self.check_channels(signal)
        if reader.modality == "eeg" and any(len(sigs) > 1 for sigs in per_item):
            # an input's epochs or stretches: one flat warning each, counted per input (by
            # source over all of them, gaps.csv listed twice was '20 of 20'); a short one
            # among longer ones left out as a run leaves it out (rows_of_signals)
            from .compute import rows_of_signals, signals_unit

            rows = []
            for item, sigs in zip(items, per_item, strict=True):
                rows += rows_of_signals(self, sigs, signals_unit(item))
        else:
            rows = [np.asarray(r, dtype=np.float64)
                    for r, _ in self.features_of_many(signals)]
        n_out = len(self.feature_names())
        if not rows:
            return np.empty((0, n_out))
        return np.concatenate(rows, axis=0)

    def fit_transform(self, X: Any, y: Any = None, **fit_params: Any) -> np.ndarray:
        """:meth:`fit`, then :meth:`transform` of the same inputs (a generator or other
        one-pass iterator is read once: fit would leave transform nothing to read)."""
        # an MNE Epochs is an iterator of its epochs' arrays, but one recording (see _items)
        if isinstance(X, Iterator) and not _is_mne(X):
            X = list(X)
        self.fit(X, y)
        with params_warned():  # the parameters fit just checked, and warned about
            return self.transform(X)

    def _check_fitted(self) -> None:
        """sklearn's ``NotFittedError`` where names depend on the data and no fit learnt
        them (sklearn is imported on that error path only)."""
        if self.names_from_data and getattr(self, "channels_", None) is None:
            from sklearn.utils.validation import check_is_fitted

            check_is_fitted(self, "channels_")

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        # the input is a list of signals, not a numeric table; sklearn's text vectorisers
        # declare their input the same way
        tags.input_tags.two_d_array = False
        tags.input_tags.string = self.modality == "text"
        tags.input_tags.allow_nan = True
        tags.requires_fit = self.names_from_data
        tags.transformer_tags.preserves_dtype = ["float64"]
        return tags

    # ------------------------------------------------------------------ items
    def _items(self, X: Any) -> list[Any]:
        """The items of ``X`` as a list; refuse what is not a list of this modality's items."""
        column = READERS[self.modality].input_column
        pd = sys.modules.get("pandas")  # not loaded: X is no pandas object
        if pd is not None and isinstance(X, pd.DataFrame):
            if column not in X.columns:
                # a ColumnTransformer given ["file"] hands over a one-column DataFrame
                shown = [str(c) for c in X.columns[:5]] + (["..."] if X.shape[1] > 5 else [])
                raise ValueError(
                    f"a DataFrame input needs a {column!r} column (a manifest); it has the "
                    f"columns {shown}. To take the items from another column, give that column "
                    "as a Series (in a ColumnTransformer: the column name as a string, "
                    "not a list)")
            return self._checked(list(X[column]))
        if pd is not None and isinstance(X, pd.Series):
            return self._checked(list(X))
        if hasattr(X, "tocsr") and hasattr(X, "nnz"):  # scipy.sparse, without importing it
            raise TypeError("Sparse data was passed, but dense data is required: an extractor "
                            "takes signals, not a sparse matrix (sparse input is not supported)")
        if isinstance(X, str | os.PathLike) or _is_signal_object(X):
            raise ValueError(f"{type(self).__name__}.transform expects a list of inputs; wrap "
                             "a single input in a list")
        if self.modality == "eeg" and isinstance(X, np.ndarray) and X.ndim == 3:
            return [X if getattr(self, "sfreq", None) is None else (X, self.sfreq)]
        if self.modality == "eeg" and _is_mne(X):
            # any MNE Raw or Epochs class (EpochsArray, EpochsFIF, RawEDF, ...) is one
            # recording carrying its rate and channel names, as a 3-D array is one item
            return [X]
        if (isinstance(X, tuple) and len(X) in (2, 3) and np.isscalar(X[1])
                and not isinstance(X[0], str | bytes | os.PathLike)):
            # a signal and its rate; a tuple of two or three paths or texts is a list of them
            raise ValueError("transform expects a list of inputs; wrap a single (signal, rate) "
                             "pair in a list")
        if isinstance(X, np.ndarray) and X.ndim == 1 and X.dtype.kind in "US":
            # strings (texts, paths) as sklearn's text vectorisers take them; bytes become the
            # bytes items the reader refuses, naming the first
            return self._checked(X.tolist())
        if isinstance(X, np.ndarray) and X.dtype != object:
            if np.iscomplexobj(X):
                raise ValueError("Complex data not supported: an extractor takes real "
                                 "signals (pass the real part or the magnitude explicitly)")
            if X.ndim == 1:
                raise ValueError(f"expected a list of {self.modality} inputs, got a "
                                 f"{X.ndim}-D {X.dtype} array; wrap a single signal in a list")
            raise SignalTypeError(
                "<input>", f"a {X.ndim}-D {X.dtype} array of shape {X.shape} looks like a feature "
                f"matrix, not a list of {self.modality} inputs (give a list of "
                + {"audio": "paths or 1-D signals", "eeg": "recordings",
                   "text": "strings"}.get(self.modality, "items") + ")")
        if not hasattr(X, "__iter__"):
            raise ValueError(f"expected a list of {self.modality} inputs, got "
                             f"{type(X).__name__}")
        return self._checked(list(X))

    def _checked(self, items: list[Any]) -> list[Any]:
        """``items``, each checked by the reader (a number or bytes where a text belongs, a
        feature matrix where a recording belongs: an error naming its position)."""
        reader = self.reader()
        for i, item in enumerate(items):
            reader.check_item(item, i)
        return items

    # ------------------------------------------------------------------ tables and warm-up
    def extract(self, inputs: Iterable[Any], *, n_jobs: int = 1, progress: bool = False):
        """Features of ``inputs`` as a :class:`~emofeat.table.FeatureTable` with row identity
        (input, manifest columns, ``start``/``end``, the reader's columns) and provenance.

        Errors are raised, naming the input; :func:`emofeat.runner.run` with
        ``on_error="record"`` collects them and carries on. A file listed twice (under any
        spelling of its path) is one row, where it is first listed, unlike :meth:`transform`
        (one row per item, as ``y`` has).
        """
        from .runner import run

        return run(inputs, [self], n_jobs=n_jobs, progress=progress, on_error="raise").table

    def warmup(self) -> None:
        """Compile (or load from the disk cache) every kernel this extractor uses, on its own
        :meth:`warmup_input`."""
        from . import _thread_warnings

        # a warning about the made-up input (a montage without a kind's pair, given ch_names)
        # says nothing of the user's: caught in this thread and dropped, not
        # catch_warnings + simplefilter("ignore"), which silences every thread meanwhile
        with _thread_warnings.caught(always=True):
            self._clone().fit_transform([self.warmup_input()])


_SCALARS = {"int": (int,), "float": (int, float), "bool": (bool,), "str": (str,)}


@functools.cache
def _declared_types(cls: type) -> dict[str, tuple[tuple[type, ...], bool]]:
    """``{param: (accepted types, None allowed)}`` for the parameters annotated with a plain
    scalar type (``int``, ``float | None``, ``str``, ...); others are left to the set."""
    import inspect

    out = {}
    for name, p in inspect.signature(cls.__init__).parameters.items():
        ann = p.annotation if isinstance(p.annotation, str) else getattr(
            p.annotation, "__name__", "")
        parts = [a.strip() for a in str(ann).split("|")]
        optional = "None" in parts
        kinds = [a for a in parts if a != "None"]
        if kinds and all(a in _SCALARS for a in kinds):
            out[name] = (tuple(t for a in kinds for t in _SCALARS[a]), optional)
    return out


def channel_difference(got: Sequence[str], fitted: Sequence[str], *,
                       theirs: str = "fitted") -> str:
    """What tells the channels ``got`` from the ``fitted`` ones, in words: those missing,
    those not fitted, names alike but for their Unicode form, blanks or case (shown as
    ``ascii`` shows them: a composed and a decomposed ``Fé`` print the same, ``'F\\xe9'``
    and ``'Fe\\u0301'``), or the same channels in another order. A message listing two
    montages of 64 channels left the reader to find the one apart.

    Parameters
    ----------
    got, fitted : sequence of str
        The channels of the signal refused, and the ones it is compared with.
    theirs : str
        How the words name ``fitted``'s side (``"not fitted 'X'"``, ``"'C\\xe9' fitted,
        'Ce\\u0301' here"``): ``"in the first recording"`` for the recordings
        :func:`~emofeat.eeg_input.window_recordings` stacks.
    """
    import unicodedata

    def shown(names: Sequence[str]) -> str:
        return ", ".join(map(repr, names[:8])) + (f", ... ({len(names)})" if len(names) > 8
                                                   else "")

    def key(name: str) -> str:
        return unicodedata.normalize("NFC", str(name)).strip().casefold()

    missing = [c for c in fitted if c not in got]
    extra = [c for c in got if c not in fitted]
    alike = {key(c): c for c in missing}
    pairs = [(alike[key(c)], c) for c in extra if key(c) in alike]
    parts = []
    if pairs:
        parts.append("named alike but for their Unicode form, blanks or case: " + ", ".join(
            f"{ascii(a)} {theirs}, {ascii(b)} here" for a, b in pairs[:8]))
        if theirs == "fitted" and any(unicodedata.normalize("NFC", str(a)) == b
                                      for a, b in pairs):
            # the input is the same: the names became NFC after the model was fitted
            parts.append(f"the extractor was fitted before emofeat made channel names NFC "
                         f"({NFC_NAMES_SINCE}), the form they now come in: fit it again")
        missing = [c for c in missing if c not in {a for a, _ in pairs}]
        extra = [c for c in extra if c not in {b for _, b in pairs}]
    if missing:
        parts.append(f"missing {shown(missing)}")
    if extra:
        parts.append(f"not {theirs} {shown(extra)}")
    if not parts:
        parts.append("the same channels in another order" if len(got) == len(fitted)
                     else "a channel repeated")
    return "; ".join(parts)


def distinct_names(value: Any, param: str, allowed: Sequence[str]) -> tuple[str, ...]:
    """``value`` as a tuple of distinct names from ``allowed``; anything else (``None``, a
    number, one bare string, an unknown or repeated name, nothing) is a ``ValueError`` naming
    ``param`` (``kinds``, ``stats``), not "'NoneType' object is not iterable"."""
    items = None
    if not isinstance(value, str | bytes):
        try:
            items = tuple(value)
        except TypeError:
            pass
    if (not items or len(set(items)) != len(items)
            or any(not isinstance(k, str) or k not in allowed for k in items)):
        raise ValueError(f"{param} must be a sequence of distinct names from {tuple(allowed)}, "
                         f"got {value!r}")
    return items


def _check_types(ext: Any) -> None:
    """A parameter of the wrong type (``n_mfcc="abc"``, ``n_mfcc=20.5``) is a ``ValueError``
    naming it, not a ``TypeError`` deep inside a kernel."""
    import numbers

    for name, (types, optional) in _declared_types(type(ext)).items():
        value = getattr(ext, name)
        if value is None and optional:
            continue
        if int in types and float not in types:  # integers: numpy ints too, never bool
            ok = isinstance(value, numbers.Integral) and not isinstance(value, bool)
        elif float in types:  # a number, or text where the type takes text too (mel_norm)
            ok = ((isinstance(value, numbers.Real) and not isinstance(value, bool))
                  or (str in types and isinstance(value, str)))
        elif bool in types:
            ok = isinstance(value, bool | np.bool_)
        else:
            ok = isinstance(value, types)
        if not ok:
            kind = " or ".join(t.__name__ for t in types) + (" or None" if optional else "")
            raise ValueError(f"{name} must be {kind}, got {value!r}")


@functools.cache
def _reader_params(ext_cls: type, reader_cls: type) -> tuple[str, ...]:
    """The extractor parameters that configure its reader (cached: ``reader()`` is called
    per input)."""
    own = set(ext_cls._get_param_names())
    return tuple(f.name for f in dataclasses.fields(reader_cls) if f.name in own)


_NO_TIMES = np.empty(0)
_NO_TIMES.flags.writeable = False


def one_row_each(rows: np.ndarray) -> list[tuple[np.ndarray, np.ndarray]]:
    """``features_of_many``'s result for one functionals row per input: a ``(1, n)`` view of
    each row, made by iterating a 3-d view (a third of the time of a slice each), with one
    shared, read-only empty frame-time array."""
    return list(zip(rows[:, None, :], itertools.repeat(_NO_TIMES)))


def _is_signal_object(x: Any) -> bool:
    from .audio import Audio
    from .eeg_input import EEGRecording  # loaded with .readers
    from .signal import EEGSignal, TextSignal

    return isinstance(x, Audio | EEGSignal | TextSignal | EEGRecording)


def check_same_modality(extractors: Sequence[Extractor]) -> str:
    """The modality of a run's extractors; ``ValueError`` if they differ."""
    kinds = {getattr(e, "modality", "audio") or "audio" for e in extractors}
    if len(kinds) > 1:
        raise ValueError(f"one run reads one modality; these sets mix {sorted(kinds)}")
    return kinds.pop()
