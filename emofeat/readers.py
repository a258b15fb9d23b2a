"""Readers: the one modality-specific step between an input item and an extractor.

An extractor names its reader (:meth:`emofeat.extractor.Extractor.reader`); the reader turns
each input item into one or more :mod:`signals <emofeat.signal>` and says how the item is named
in the output (its identity column) and how a batch run recognises it on resume (its key).
Readers are small frozen dataclasses: two extractors with equal readers share one decoding of
every input in a multi-set run (the runner's decode cache is keyed by the reader).

=============  ================================================  ===============  ==============
reader         items                                             one item gives   resume key
=============  ================================================  ===============  ==============
AudioReader    paths, 1-D arrays at ``sr``, ``(array, sr)``      one mono signal  path, size,
                                                                                  mtime
EEGReader      paths (MNE readers, Muse CSV), ``(array,          one signal per   path, size,
               sfreq[, ch_names])``, ``mne.io.Raw``,             epoch or gap-    mtime, or
               ``mne.Epochs``, ``EEGRecording``                  free stretch     content hash
TextReader     strings (``None``/NaN read as ``""``)             one text         content hash
=============  ================================================  ===============  ==============
"""

from __future__ import annotations

import hashlib
import os
import sys
import warnings
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, replace
from itertools import chain
from numbers import Number
from typing import Any, ClassVar

import numpy as np

from . import _thread_warnings
from ._libraries import used
from ._wording import counted
from .eeg_input import (
    MNE_EXTENSIONS,
    TEXT_EXTENSIONS,
    EEGReadWarning,
    EEGRecording,
    column_channel_names,
    eeg_picks,
    loaded_epochs,
    refuse_no_epochs,
    warn_unapplied_projectors,
)
from .errors import (
    ChannelError,
    EEGReadError,
    EmptyInputError,
    SignalTypeError,
)
from .signal import EEGSignal, TextSignal, masked_as_nan, nan_filled, unmasked

InputKey = tuple  # (id, size, mtime_ns, start, end): see emofeat.store


class EEGChannelWarning(UserWarning):
    """An EEG channel cannot be analysed (flat, or NaN samples): its features are NaN (or, for
    statistics that are defined on a flat channel, their defined value)."""


class EEGMontageWarning(UserWarning):
    """An EEG set's montage lacks what a feature it was asked for needs (an asymmetry kind
    without a single electrode pair): that feature has no column.

    Said once per line of the caller's code for a montage and its words
    (:func:`warn_montage`), at that line, under the filters a program has by default.
    """


#: the montage warnings this process has said under a filter that says a warning once:
#: (message, channels, where) -> that key and the code object of its line, see warn_montage
_MONTAGES_SAID: dict[tuple, tuple] = {}
#: packages whose code fits a set on the caller's behalf, and the standard library's
#: machinery of workers and threads: a montage warning points past them
_FITTING_FOR_CALLER = frozenset({"emofeat", "sklearn", "joblib", "concurrent",
                                 "multiprocessing", "threading", "contextlib", "runpy"})


def warn_montage(message: str, channels: Sequence[str]) -> None:
    """Warn :class:`EEGMontageWarning` about the montage ``channels`` once per line of the
    caller, as Python's ``default`` filter would, at the first line of the stack outside
    emofeat, scikit-learn, joblib and the standard library's worker and thread machinery
    (the user's ``fit``, ``fit_transform`` or ``cross_val_score``; the first line outside
    emofeat where no such line is on the stack, as in a loky worker, which says it once).

    Python's own record of what it said is forgotten whenever the filters change, and
    scikit-learn enters ``catch_warnings`` for each fold of ``cross_val_score`` (its
    ``Parallel`` hands each task the caller's filters): the montage warning came once per
    fold, and through ``fit_transform`` it pointed at emofeat's line. The record here
    outlives that, kept per line of a code object (a notebook cell run again is compiled
    again, and says it again, as it says its other warnings; per module under
    ``"module"``, once under ``"once"``), so that a fit on another line, or after a library's
    ``catch_warnings(record=True)`` took one, still says it. A filter whose action is
    ``always``, ``error`` or ``ignore`` decides as for any warning (``pytest.warns``,
    ``simplefilter("always")``), and every emofeat run says it once, as Python's filters
    decide (as before session 47)."""
    level, frame, first, in_run = 1, sys._getframe(1), None, False
    while frame is not None:
        name = _module_name(frame)
        in_run = in_run or name == "emofeat.runner"
        package = name.partition(".")[0]
        if first is None and package != "emofeat":
            first = (level, frame)
        if package not in _FITTING_FOR_CALLER:
            break
        level, frame = level + 1, frame.f_back
    if frame is None:  # no line of the caller's own: the first outside emofeat, if any
        level, frame = first or (level - 1, sys._getframe(level - 1))
    module = str(frame.f_globals.get("__name__", "<string>"))
    action = _thread_warnings.filter_action(message, EEGMontageWarning, module, frame.f_lineno)
    if (action not in ("always", "error", "ignore") and not in_run
            and not _thread_warnings.catching()):
        # the line's code object too (kept in the record, so that its id is not reused):
        # every cell of a notebook is module __main__ with its fits at lines 1-3, and a cell
        # run again is code compiled again, where Python says its warnings again (review 3
        # of session 47: later cells and reruns said nothing)
        code = frame.f_code
        where = (() if action == "once" else (module,) if action == "module"
                 else (module, id(code), frame.f_lineno))
        key = (message, tuple(map(str, channels)), *where)
        entry = (key, code)
        # setdefault is one step under the GIL: two threads fitting at once say it once
        if _MONTAGES_SAID.setdefault(key, entry) is not entry:
            return
    # level counts from this function's caller; warnings.warn's stacklevel from here
    warnings.warn(message, EEGMontageWarning, stacklevel=level + 1)


def _module_name(frame: Any) -> str:
    """The module of ``frame``'s code; for a ``__main__`` run as ``python -m`` (a loky
    worker's ``joblib.externals.loky.backend.popen_loky_posix``), the module it is."""
    name = str(frame.f_globals.get("__name__", ""))
    if name == "__main__":
        spec = frame.f_globals.get("__spec__")
        name = str(getattr(spec, "name", None) or name)
    return name


def file_key(path: str | os.PathLike) -> tuple[str, int, int]:
    """Path, size and modification time (ns); ``-1`` for a file that does not exist."""
    try:
        st = os.stat(path)
        return (os.fspath(path), int(st.st_size), int(st.st_mtime_ns))
    except OSError:
        return (os.fspath(path), -1, -1)


#: a payload part: bytes, or an array standing for its C-order bytes (``tobytes()``)
Part = bytes | np.ndarray


def content_key(payload: bytes | Iterable[Part]) -> tuple[str, int, int]:
    """A key for in-memory items: the SHA-256 of their bytes and their size.

    Parameters
    ----------
    payload : bytes or iterable of bytes and arrays
        The item's bytes, or their parts in order: an array is hashed as its ``tobytes()``
        without that copy being made (the key of an item of 100 MB made two to three
        copies of it), a non-contiguous one a block at a time (:func:`_c_order_blocks`).

    Returns
    -------
    tuple of (str, int, int)
        ``("sha256:" + the first 32 hex digits, the number of bytes, -1)``: the same for
        the parts as for the bytes they join into.
    """
    if isinstance(payload, bytes):
        return ("sha256:" + hashlib.sha256(payload).hexdigest()[:32], len(payload), -1)
    digest, size = hashlib.sha256(), 0
    for part in payload:
        for buf in ((part,) if isinstance(part, bytes) else _c_order_blocks(part)):
            digest.update(buf)
            size += len(buf)
    return ("sha256:" + digest.hexdigest()[:32], size, -1)


#: bytes of a non-contiguous array made contiguous at a time to be hashed
_HASHED_AT_ONCE = 1 << 24


def _c_order_blocks(a: np.ndarray) -> Iterator[bytes | memoryview]:
    """The bytes of ``a.tobytes()`` in order, in buffers: the array's own memory where it is
    C-contiguous, else contiguous copies of about :data:`_HASHED_AT_ONCE` bytes."""
    if a.flags.c_contiguous or a.nbytes <= _HASHED_AT_ONCE:
        a = np.ascontiguousarray(a)
        try:
            yield memoryview(a.reshape(-1).view(np.uint8))
        except (TypeError, ValueError):  # object or zero-size items: no byte view
            yield a.tobytes()
        return
    per = a[0].nbytes if a.ndim > 1 else a.itemsize
    step = _HASHED_AT_ONCE // per
    if step == 0:  # one index of the first axis is larger than a block: its own blocks
        for i in range(a.shape[0]):
            yield from _c_order_blocks(a[i])
    else:
        for i in range(0, a.shape[0], step):
            yield from _c_order_blocks(a[i:i + step])


def _array_parts(a: Any) -> tuple[bytes | np.ndarray, ...]:
    """An array as the key hashes it: its dtype and shape, then its samples in C order (a
    0-d array as its one element, shape ``(1,)``, as ``np.ascontiguousarray`` made it); a
    masked array masking some value, its mask after them (its masked samples are read as
    missing: masking them anew is another input to resume, not the same one), one with
    nothing masked as its data."""
    a, mask = unmasked(a)
    a = np.asarray(a)
    if a.ndim == 0:
        a = a.reshape(1)
    if mask is not None:
        return str((a.dtype.str, a.shape, "masked")).encode(), a, mask
    return str((a.dtype.str, a.shape)).encode(), a


#: where a preloaded MNE Raw holds its samples: MNE's private attribute, read by
#: :func:`raw_samples` alone
_RAW_SAMPLES = "_data"


def raw_samples(raw: Any) -> Any:
    """The samples ``(n_channels, n_times)`` of a preloaded MNE Raw as it holds them: the
    array itself (a masked one stays masked), MNE's private ``_data``, the one place emofeat
    reads it. MNE has no public accessor that does not copy them (``get_data()`` and
    ``raw[:, :]`` copy the whole, MNE 1.6 to 1.13). Where a version of MNE holds no such
    array (no attribute, or one of another shape), ``get_data()``'s copy: the same
    samples."""
    data = getattr(raw, _RAW_SAMPLES, None)
    if data is None or np.shape(data) != (len(raw.ch_names), int(raw.n_times)):
        return raw.get_data()
    return data


def _mne_parts(obj: Any) -> Iterator[Part]:
    """``_array_parts(obj.get_data())`` of an MNE Raw or Epochs without a copy of the whole:
    a preloaded Epochs' data in place, a preloaded Raw's a block of channels at a time (its
    ``get_data`` copies them all)."""
    import mne

    if isinstance(obj, mne.BaseEpochs):
        # verbose="error": of an Epochs left with no epoch, MNE warns ("... can't run because
        # this Epochs-object is empty", a lazy one's "All epochs were dropped!") and gives
        # (0, n_channels, n_times), the key of the empty array as before; the warning reached
        # the user, and under -W error stopped the whole run here instead of failing that
        # input, which its read refuses naming it (refuse_no_epochs)
        # a lazy one (preload=False) as its loaded copy, as its read takes it
        # (eeg_input.loaded_epochs): the same samples, the user's object not touched
        yield from _array_parts(loaded_epochs(obj).get_data(copy=False, verbose="error"))
        return
    raw = isinstance(obj, mne.io.BaseRaw)
    # n_times, not len(obj.times): MNE builds its times with a Numba function compiled on
    # first use, 0.4-0.55 s of a fresh process's first key
    n_ch, n_times = len(obj.ch_names), (int(obj.n_times) if raw else 0)
    held = raw_samples(obj) if raw and obj.preload and n_ch and n_times else None
    if held is None or unmasked(held)[1] is not None:
        # read from the file (once), another kind of object, or a RawArray of a masked
        # array masking samples (its blocks' masks would not be hashed): what it gives
        yield from _array_parts(obj.get_data())
        return
    if held is not getattr(obj, _RAW_SAMPLES, None):
        # raw_samples' copy already (an MNE holding no such array): hashed, not copied again
        # block by block beside it
        yield from _array_parts(held)
        return
    del held
    step = max(1, _HASHED_AT_ONCE // (8 * n_times))
    blocks = (obj.get_data(picks=np.arange(i, min(i + step, n_ch)))
              for i in range(0, n_ch, step))
    first = next(blocks)  # the dtype, for the header of the whole
    yield str((first.dtype.str, (n_ch, n_times))).encode()
    yield first
    del first
    yield from blocks


class Reader:
    """Interface every reader implements (see the module table)."""

    #: the modality this reader serves
    modality: ClassVar[str] = ""
    #: the manifest column holding the items
    input_column: ClassVar[str] = "path"
    #: whether signals have a time axis (``start``/``end`` columns, windows, segments)
    timed: ClassVar[bool] = True
    #: identity columns every signal adds to its rows, with their dtypes
    meta_columns: ClassVar[dict[str, str]] = {}

    def check_item(self, item: Any, position: int) -> None:
        """Raise :class:`~emofeat.errors.SignalTypeError` if ``item`` cannot be an input."""

    def label(self, item: Any, position: int) -> str:
        """The value of the input column for an item given outside a manifest."""
        if isinstance(item, str | os.PathLike):
            return os.fspath(item)
        return f"<array {position}>"

    def with_file_labels(self, items: list[Any]) -> list[Any]:
        """A run's ``items`` (a list) as its inputs: as given (the EEG reader names an
        object read from a file listed in the run by that listing)."""
        return items

    def key(self, item: Any, position: int) -> tuple[str, int, int]:
        """What identifies the item across runs (resume)."""
        if isinstance(item, str | os.PathLike):
            return file_key(item)
        return content_key(self._payload(item))

    def _payload(self, item: Any) -> Iterable[Part]:
        """What :meth:`key` hashes for an in-memory item, in parts (:func:`content_key`)."""
        raise NotImplementedError

    def read(self, item: Any, position: int = 0) -> list[Any]:
        """The signals of one item (one, or one per epoch)."""
        raise NotImplementedError

    def window(self, signal: Any, a: int, b: int) -> Any:
        """Samples ``a:b`` of a signal (fixed windows of a timed signal)."""
        raise NotImplementedError


# --------------------------------------------------------------------------------- audio
@dataclass(frozen=True)
class AudioReader(Reader):
    """Audio: decode (libsndfile), downmix to mono, resample to ``sr`` (soxr) unless
    ``resample=False``; see :mod:`emofeat.audio`."""

    sr: int = 16000
    resample: bool = True

    modality: ClassVar[str] = "audio"
    meta_columns: ClassVar[dict[str, str]] = {"orig_sr": "int64", "orig_channels": "int64"}

    def check_item(self, item: Any, position: int) -> None:
        from .audio import Audio

        if isinstance(item, str | os.PathLike | Audio):
            return
        if isinstance(item, bytes):  # has a length, yet is neither a path nor samples
            raise SignalTypeError(f"<array {position}>",
                                  "bytes is not an audio input (give a path as str, an array "
                                  "or an (array, sr) pair)")
        data = item[0] if isinstance(item, tuple) and len(item) == 2 else item
        if not hasattr(data, "__len__") and not hasattr(data, "__array__"):
            raise SignalTypeError(f"<array {position}>",
                                  f"{type(item).__name__} is not a path, an array or "
                                  "an (array, sr) pair")

    def _payload(self, item: Any) -> Iterable[Part]:
        from .audio import Audio

        if isinstance(item, Audio):
            return (*_array_parts(item.y), str(item.sr).encode())
        if isinstance(item, tuple):
            return (*_array_parts(item[0]), str(item[1]).encode())
        return _array_parts(item)

    def read(self, item: Any, position: int = 0) -> list[Any]:
        from .audio import Audio, load_audio, prepare_signal

        if isinstance(item, Audio):
            y = item.y
            # an Audio as the reader makes it (mono float32 samples, admitted NaN included:
            # load_audio(..., allow_nonfinite=True)) is taken as it is; any other samples
            # are read as an array is: int16 ones were analysed unscaled (32768 times too
            # loud) and (samples, channels) ones failed inside the kernels
            if (item.sr == self.sr and type(y) is np.ndarray and y.ndim == 1
                    and y.dtype == np.float32):
                return [item]
            got = prepare_signal(y, item.sr, self.sr, source=item.source,
                                 resample=self.resample)
            # the source's rate and channels, as the file's (a stereo file read at its own
            # rate is still stereo in the orig_channels column)
            return [replace(got, orig_sr=item.orig_sr, orig_channels=item.orig_channels)]
        if isinstance(item, str | os.PathLike):
            return [load_audio(item, self.sr, resample=self.resample)]
        source = f"<array {position}>"
        if isinstance(item, tuple):
            if len(item) != 2:
                raise SignalTypeError(source,
                                      f"expected (signal, sr), got a tuple of {len(item)}")
            return [prepare_signal(item[0], item[1], self.sr, source=source,
                                   resample=self.resample)]
        # an array as it is (a masked one stays masked: prepare_signal reads its mask, once)
        y = item if isinstance(item, np.ndarray) else np.asarray(item)
        if y.ndim == 2 and min(y.shape) > 1 and y.dtype != object:
            # an audio item is 1-D (or (samples, channels) with an explicit rate): a 2-D array
            # here is most often a feature matrix or an EEG recording given to the wrong set
            raise SignalTypeError(
                source, f"a 2-D array {y.shape} without a rate is not an audio signal; pass "
                "1-D samples at the extractor's sr, or (samples_by_channels, sr)")
        return [prepare_signal(y, self.sr, self.sr, source=source, resample=False)]

    def window(self, signal: Any, a: int, b: int) -> Any:
        from .segments import slice_audio

        return slice_audio(signal, a, b)


# --------------------------------------------------------------------------------- EEG
EEG_EXTENSIONS = (*MNE_EXTENSIONS, ".csv")  # what MNE reads, and the Muse CSV recordings


@dataclass(frozen=True)
class EEGReader(Reader):
    """EEG: multichannel, never downmixed.

    Parameters
    ----------
    sfreq : float or None
        Rate of bare arrays (``(array, sfreq)`` pairs carry their own). Signals are not
        resampled: an item at another rate than ``sfreq`` raises, because band limits and
        window lengths would silently change meaning; a rate estimated from timestamps (a
        CSV recording's, given as its path, as the :class:`~emofeat.eeg_input.EEGRecording`
        :func:`~emofeat.eeg_input.read_recording` makes of it, or as that recording's
        ``(data, sfreq[, ch_names])``: an :class:`EstimatedRate`) is analysed at ``sfreq``
        when within :func:`estimated_rate_rtol` of it (0.1 %; one sample interval over a
        short recording's span, at most 1 %): :func:`analysis_rate`.
    ch_names : tuple of str or None
        Names of bare arrays' channels (default ``ch0, ch1, ...``).
    """

    sfreq: float | None = None
    ch_names: tuple[str, ...] | None = None

    modality: ClassVar[str] = "eeg"
    meta_columns: ClassVar[dict[str, str]] = {"epoch": "int64"}

    def check_item(self, item: Any, position: int) -> None:
        # (array, sfreq[, names]) first: transform of a list of windows checks each one, and
        # the isinstance test of the union (os.PathLike an ABC) is the slow part
        if type(item) is tuple or isinstance(
                item, str | os.PathLike | EEGSignal | tuple | np.ndarray | EEGRecording):
            return
        if _is_mne(item):
            return
        raise SignalTypeError(f"<array {position}>",
                              f"{type(item).__name__} is not an EEG recording (a path, an "
                              "(array, sfreq[, ch_names]) tuple, an mne Raw or Epochs, an "
                              "EEGRecording)")

    def label(self, item: Any, position: int) -> str:
        if isinstance(item, str | os.PathLike):
            return os.fspath(item)
        if isinstance(item, EEGRecording):
            return item.source
        if _is_mne(item):
            fn = vars(item).get(_RUN_LABEL) or mne_file_name(item)
            return fn if fn else f"<{type(item).__name__} {position}>"
        return f"<array {position}>"

    def with_file_labels(self, items: list[Any]) -> list[Any]:
        """A run's ``items``, where an MNE object read from a file that the run also lists
        as a path is named by that listing (its first), as every row, warning and error of
        the run names the file: an Epochs keeps only its absolute file, so ``['sub/rec-epo.fif',
        mne.read_epochs('sub/rec-epo.fif')]`` gave two labels (until 8499e6f), or, with the
        path made absolute, a path column unlike the listing's spelling.

        The object holding the file's data (:meth:`key`'s content: read unchanged) becomes
        that path, so that the run extracts the file once, where it is first listed, as a
        path listed twice (it gave 6 rows for an epochs file of 3 epochs, each epoch twice),
        whatever else the list holds (until session 41 an input that was neither a file nor
        such an object, a crop of the Raw, left both extracted). Otherwise (other data)
        both are extracted, their rows under one path, and an :class:`EEGReadWarning` names
        both inputs.

        Objects read from one file that the run does not list as a path: holding the same
        data, they are one input as above (all of them that path, where the file holds that
        data too; else both extracted, with the warning). Holding different data (a selection
        of the file's epochs such as ``epochs['pos']`` and ``epochs['neg']``, crops of a Raw,
        a filtered copy, data changed since reading), both are extracted, their rows under
        one path, and the warning says that nothing in those rows tells which input gave
        them, as for such an object beside its path. The objects are not changed (a shallow
        copy carries the label).
        """
        named = [(k, it) for k, it in enumerate(items) if _is_mne(it) and mne_file_name(it)]
        if not named:
            return items
        first: dict[str, int] = {}  # file -> first position naming it (a path or an object)
        for k, it in enumerate(items):
            if isinstance(it, str | os.PathLike):
                first.setdefault(_same_file(os.fspath(it)), k)
        out = list(items)
        merge, told = [], []  # merge: (position, its file's label, the first listing)
        on_file: dict[int, bool] = {}  # a first object: whether the file holds its data
        for k, obj in named:
            f = _same_file(mne_file_name(obj))
            at = first.setdefault(f, k)
            if at == k:  # no path for it in the run, nor an object before it
                continue
            listed = items[at]
            other = True  # other data than the first listing's: the rows of two recordings
            if isinstance(listed, str | os.PathLike):
                label = os.fspath(listed)
                if self._holds_file(obj, label):
                    merge.append((k, label, at))
                    continue
                why = f"holds other data than the file ({_other_data(obj)})"
            else:
                label = self.label(listed, at)
                if not same_mne_data(listed, obj):
                    why = f"holds other data than input {at} ({_other_data(obj)})"
                else:
                    if at not in on_file:
                        on_file[at] = self._holds_file(listed, label)
                    if on_file[at]:
                        merge.append((k, label, at))
                        continue
                    why, other = (f"holds the data of input {at}, which is not the file's "
                                  f"({_other_data(obj)})"), False
            copy = _copy(obj)
            vars(copy)[_RUN_LABEL] = label
            out[k] = copy
            told.append((at, k, label, why, other))
        row = {}  # a first listing -> where the run keeps its row (an object merged before it)
        given = {}  # the objects that became a path: what the run's log names them by
        for k, label, at in merge:
            # a repeated path: one input, the first listing (the run merges a file listed
            # twice beside signals in memory too: it was extracted twice, under two labels)
            out[k] = out[at] = label
            row[at] = min(row.get(at, at), k)
            given[k] = _shown(items[k])
            if not isinstance(items[at], str | os.PathLike):
                given[at] = _shown(items[at])
        if given:
            out = ObjectsAsPaths(out)
            out.given = given
        import warnings

        said = sorted((row.get(at, at), k, at, label, why, other)
                      for at, k, label, why, other in told)
        for first, k, at, label, why, other in said:
            way_out = (": nothing in those rows tells which input gave them (in an output, "
                       "their signal_key column tells them apart); to name each, "
                       "give it as (data, sfreq, ch_names) or save it to a file of its own"
                       if other else ": list the file once")
            # the input whose row the file's data keep, and its listing where that is later
            shown = {first: _shown(items[first]) if first == at else
                     f"{_shown(items[first])}, the file's data, as input {at} "
                     f"({_shown(items[at])})", k: _shown(items[k])}
            a, b = sorted(shown)
            warnings.warn(f"{label}: inputs {a} ({shown[a]}) and {b} ({shown[b]}) are one "
                          f"file; input {k} {why}, so both are extracted, their rows under "
                          f"one path{way_out}", EEGReadWarning, stacklevel=3)
        return out

    def _holds_file(self, obj: Any, path: str) -> bool:
        """Whether the MNE ``obj`` holds what reading ``path`` gives (:meth:`key`'s content)."""
        from ._thread_warnings import caught

        try:
            # this thread's warnings only (a process-wide filter is unsafe on a Dask worker's
            # threads); said when the file is read for the run
            with caught(always=True):  # every one caught, under -W error too
                return same_mne_data(obj, read_mne_file(path))
        except (EEGReadError, EmptyInputError, OSError):  # the run reports the file's error
            return False

    def _payload(self, item: Any) -> Iterable[Part]:
        if isinstance(item, EEGSignal):
            return (*_array_parts(item.data), repr((item.sfreq, item.ch_names)).encode())
        if isinstance(item, EEGRecording):
            return (*_array_parts(item.data),
                    repr((item.sfreq, item.ch_names, item.breaks)).encode())
        if isinstance(item, tuple):
            return (*_array_parts(item[0]), repr(item[1:]).encode())
        if _is_mne(item):
            # lazily: a Raw's blocks are hashed one at a time
            return chain(_mne_parts(item), (repr(_mne_description(item)).encode(),))
        return _array_parts(item)

    def read(self, item: Any, position: int = 0) -> list[EEGSignal]:
        source = self.label(item, position)
        if isinstance(item, EEGSignal):
            data = masked_as_nan(item.data)
            if data is not item.data:  # a masked array: its masked samples missing (NaN)
                item = replace(item, data=np.ascontiguousarray(data, dtype=np.float64))
            rate = analysis_rate(item.source, item.sfreq, self.sfreq)
            names = column_channel_names(item.ch_names, item.source)
            # not compared by value: numpy's str_ names, equal to the str ones they become
            if names is not item.ch_names:
                item = replace(item, ch_names=names)
            return [item if rate == item.sfreq else _with_rate(item, rate)]
        if isinstance(item, str | os.PathLike) and os.fspath(item).lower().endswith(
                TEXT_EXTENSIONS):  # a CSV recording, an OpenBCI GUI .txt
            from .eeg_input import read_recording

            return _recording_signals(read_recording(source, picks=None), self.sfreq)
        if isinstance(item, EEGRecording):
            # MNE decided its samples: decoded (read_recording of an EDF) or filtered
            # (filter_recording's filters, MNE's design)
            if item.read_by_mne:
                used("mne")
            return _recording_signals(item, self.sfreq)
        if isinstance(item, str | os.PathLike):
            return _mne_signals(read_mne_file(source), source, self.sfreq)
        if _is_mne(item):
            return _mne_signals(item, source, self.sfreq)
        else:
            if isinstance(item, tuple):
                if len(item) not in (2, 3):
                    raise SignalTypeError(source, "expected (array, sfreq) or "
                                          f"(array, sfreq, ch_names), got a tuple of {len(item)}")
                data, sfreq = item[0], item[1]
                names = tuple(item[2]) if len(item) == 3 else None
            else:
                data, sfreq, names = item, self.sfreq, None
            if sfreq is None:
                raise SignalTypeError(source, "an EEG array needs its rate: pass (array, sfreq) "
                                      "or set the extractor's sfreq")
            names = names or self.ch_names
        return _epochs(source, data, sfreq, names, self.sfreq)

    def window(self, signal: EEGSignal, a: int, b: int) -> EEGSignal:
        return signal.span(a, b)


#: the arguments of MNE's readers that hold the file the user named (``_init_kwargs``):
#: BrainVision's header, EEGLAB's ``.set``, EDF/BDF/GDF and the others' one file, FIF's first
MNE_NAMED_FILE = ("vhdr_fname", "input_fname", "fname")


#: the label a run gives a shallow copy of an MNE object read from a file it lists
#: (:meth:`EEGReader.with_file_labels`)
_RUN_LABEL = "_emofeat_run_label"


def _same_file(path: str) -> str:
    """What tells that two paths name one file (links resolved, case where it is folded)."""
    return os.path.normcase(os.path.realpath(path))


def _copy(obj: Any) -> Any:
    import copy

    return copy.copy(obj)  # the data shared


class ObjectsAsPaths(list):
    """A run's inputs where MNE objects holding a file's data have become its path
    (:meth:`EEGReader.with_file_labels`): ``given`` maps each such position to what it was
    (``'a RawBrainVision read from it'``), so that the run's log does not say such a path
    was listed twice where it was listed once beside the object."""

    given: dict[int, str]


def _shown(item: Any) -> str:
    if isinstance(item, str | os.PathLike):
        return repr(os.fspath(item))
    kind = type(item).__name__
    return f"{'an' if kind[:1] in 'AEIOU' else 'a'} {kind} read from it"


def _other_data(obj: Any) -> str:
    """What an MNE object read from a file may hold other than the file's data."""
    part = ("a selection of the file's epochs" if hasattr(obj, "selection")
            else "a crop of the file's recording")
    return f"{part}, a filtered copy, or data changed since reading"


def _mne_description(obj: Any) -> tuple:
    """What, beside its samples, makes an MNE object another input (:meth:`EEGReader.key`)."""
    # the channel types choose the channels read and BAD_ACQ_SKIP annotations cut the
    # recording: an object changed in either is another input on resume (an Epochs saved
    # from an EpochsArray is read back with none: not an error)
    ann = obj.annotations
    marks = () if ann is None else (list(ann.onset), list(ann.duration),
                                    list(ann.description), list(getattr(ann, "ch_names", ())))
    return (obj.info["sfreq"], obj.ch_names, obj.get_channel_types(),
            getattr(obj, "first_samp", None), *marks)


#: samples compared at a time by :func:`same_mne_data` (float64: 32 MB a block)
_COMPARED_AT_ONCE = 1 << 22


def same_mne_data(a: Any, b: Any) -> bool:
    """Whether MNE Raw or Epochs ``a`` and ``b`` hold the same data: samples (NaN equal to
    NaN), rate, channels and their types, annotations, as :meth:`EEGReader.key` tells inputs
    apart, and an Epochs' selection of the file's epochs, which the key leaves out (since
    6b7dadc: two Epochs whose kept epochs hold the same samples share a key, docs/eeg.md).

    Cheap where it can be: the same object is its own data, a description or a shape that
    differs ends it, and the samples are compared a block at a time (an epochs file of 105 MB
    was copied whole into bytes, twice, for each object).
    """
    if a is b:
        return True
    sel_a, sel_b = getattr(a, "selection", None), getattr(b, "selection", None)
    if (sel_a is None) != (sel_b is None) or len(a.times) != len(b.times):
        return False
    if sel_a is not None and not np.array_equal(sel_a, sel_b):
        return False
    if _mne_description(a) != _mne_description(b):
        return False
    n_ch = max(1, len(a.ch_names))
    if sel_a is not None:  # Epochs: blocks of epochs
        step = max(1, _COMPARED_AT_ONCE // (n_ch * max(1, len(a.times))))
        # views, only read (copy said: MNE 1.6 warned for its default, once a block)
        blocks = ((a.get_data(item=slice(i, i + step), copy=False),
                   b.get_data(item=slice(i, i + step), copy=False))
                  for i in range(0, len(sel_a), step))
    else:  # Raw: blocks of samples
        step = max(1, _COMPARED_AT_ONCE // n_ch)
        blocks = ((a.get_data(start=i, stop=i + step), b.get_data(start=i, stop=i + step))
                  for i in range(0, len(a.times), step))
    return all(x.dtype == y.dtype and x.shape == y.shape and np.array_equal(x, y, equal_nan=True)
               for x, y in blocks)


def mne_file_name(obj: Any) -> str | None:
    """The file an MNE Raw or Epochs object was read from, as the user named it: the one a
    path given instead is labelled by. ``obj.filenames`` holds the data files, a
    BrainVision recording's ``.eeg`` (labelled so until 2026-12-05, while its path gave the
    ``.vhdr``) or an EEGLAB ``.set``'s ``.fdt``; the reader's own argument names the file
    opened (MNE keeps it in ``_init_kwargs``: without it, the first data file). ``None``
    for an object built in memory. An Epochs read from a file (``EpochsFIF``) keeps no
    reader arguments: its ``filename`` is the file opened, absolute as MNE makes it (it was
    labelled ``<EpochsFIF k>``): named relative to the working folder where it lies under
    it (``sub/rec-epo.fif``, as a path is usually given), else absolute, normalised (MNE
    keeps a ``..``); one cut from a Raw has none. In a run listing the file as a path, that
    listing names it (:meth:`EEGReader.with_file_labels`)."""
    given = getattr(obj, "_init_kwargs", None)
    if isinstance(given, dict):
        for key in MNE_NAMED_FILE:
            fn = given.get(key)
            if isinstance(fn, str | os.PathLike):
                return os.fspath(fn)
    fn = getattr(obj, "filename", None)
    if isinstance(fn, str | os.PathLike) and fn:
        fn, here = os.path.abspath(fn), os.getcwd()
        try:
            under = os.path.commonpath([here, fn]) == here
        except ValueError:  # another drive
            under = False
        return os.path.relpath(fn, here) if under else fn
    fn = (getattr(obj, "filenames", None) or [None])[0]
    return os.fspath(fn) if isinstance(fn, str | os.PathLike) and fn else None


def mne_data(obj: Any, source: str) -> tuple[np.ndarray, float, tuple[str, ...]]:
    """Samples, rate and names of the EEG channels of an MNE Raw or Epochs object.

    :func:`~emofeat.eeg_input.eeg_picks`, the rule of
    :func:`~emofeat.eeg_input.read_recording` too (EEG, sEEG, ECoG, DBS, CSD: not MEG, EOG,
    ECG, EMG, stim or misc), bad channels kept, so that an object, the file it is saved to
    and the recording read from that file give the same channels.

    Raises
    ------
    EmptyInputError
        Naming ``source``: the object has no EEG channel.
    """
    # a lazy Epochs: its loaded copy, read once here, the user's object left as it was
    read = refuse_no_epochs(obj, source)
    # a stim or EOG channel read as EEG gave band powers of trigger codes and blinks
    picks = eeg_picks(read, source)
    names = tuple(read.ch_names[i] for i in picks)
    warn_unapplied_projectors(read, names, source, stacklevel=3)
    import mne

    used("mne")  # MNE's object gives the samples (a lazy Epochs read from its file)
    if read is obj and not isinstance(obj, mne.BaseEpochs):
        # a Raw's picks (data[picks, :]) are a C-contiguous copy, as the reader takes them
        return obj.get_data(picks=picks), float(obj.info["sfreq"]), names
    # a lazy Epochs' loaded copy is emofeat's, kept for the run (loaded_epochs): its samples
    # in place where all are read (no reader writes to them); get_data's copy beside the kept
    # copy held two whole copies where a read without the keeping held one
    data = read.get_data(copy=False, verbose="error")
    picks = np.asarray(picks, dtype=np.intp)
    if read is not obj and picks.size and (np.diff(picks) == 1).all():
        # EEG channels side by side (EOG, misc or stim after or before them): each epoch's
        # in place too, a view the reader takes as it is (_epochs)
        return data[:, picks[0]:picks[-1] + 1], float(read.info["sfreq"]), names
    # the EEG channels of epochs as one C-contiguous copy: MNE's get_data(picks=) and
    # data[:, picks] give them strided (epoch-major fancy indexing), which the reader copied
    # again to make them contiguous: a lazy Epochs with EOG or misc channels held its EEG
    # channels twice beside the kept copy. The user's own preloaded Epochs are copied
    # (once), their samples not handed to the sets, as before
    return np.take(data, picks, axis=1), float(read.info["sfreq"]), names


def _is_mne(item: Any) -> bool:
    mod = type(item).__module__ or ""
    return mod.startswith("mne.") and hasattr(item, "get_data") and hasattr(item, "info")


_STR_TYPE = frozenset((str,))


def _epochs(source: str, data: Any, sfreq: Any, names: Sequence[str] | None,
            want_sfreq: float | None) -> list[EEGSignal]:
    # masked samples are missing samples: NaN, under the rule of NaN samples below (not
    # masked_as_nan here: a complex or non-numeric array is refused as such before any copy)
    data, mask = unmasked(data)
    data = np.asarray(data)
    if np.iscomplexobj(data):
        # as for audio: the imaginary part is never dropped silently
        raise SignalTypeError(source, "Complex data not supported: pass the real signal (or its "
                              "magnitude) explicitly")
    if not np.issubdtype(data.dtype, np.number):
        raise SignalTypeError(source, f"EEG samples of type {data.dtype} are not a signal")
    if data.ndim not in (2, 3):
        raise SignalTypeError(source, "expected (n_channels, n_times) or (n_epochs, n_channels, "
                              f"n_times), got shape {data.shape}")
    sfreq = analysis_rate(source, sfreq, want_sfreq)
    epoched = data.ndim == 3
    data3 = data if epoched else data[None]
    n_ch, n_times = data3.shape[1], data3.shape[2]
    if n_times == 0 or n_ch == 0 or data3.shape[0] == 0:
        raise EmptyInputError(source, f"the recording has no samples (shape {data.shape})")
    if n_ch > n_times and n_ch > 256:
        raise SignalTypeError(source, f"shape {data.shape} looks like (n_times, n_channels); EEG "
                              "arrays are (n_channels, n_times) as in MNE")
    if names is None:
        names = tuple(f"ch{k}" for k in range(n_ch))
    elif type(names) in (tuple, list) and set(map(type, names)) <= _STR_TYPE:
        # names of exact str (the usual): no str() call each
        names = tuple(names)
    else:
        names = tuple(str(c) for c in names)
    if len(names) != n_ch:
        raise ChannelError(source, f"{counted(len(names), 'channel name')} for "
                                   f"{counted(n_ch, 'channel')}")
    # the names the feature columns carry: composed (NFC), no invisible character
    names = column_channel_names(names, source)
    if len(set(names)) != n_ch:
        raise ChannelError(source, f"channel names repeat: {names}")
    if mask is None and not _epochs_in_place(data3):
        data3 = np.ascontiguousarray(data3, dtype=np.float64)
    elif mask is not None:
        data3 = nan_filled(data3, mask if epoched else mask[None], np.float64)
    rows = _nonfinite_rows(data3)
    bad = rows.any(axis=0) if rows.shape[0] > 1 else rows[0]
    if bad.any():
        # one broken electrode must not cost the others: its features become NaN, loudly
        import warnings

        shown = ", ".join(np.asarray(names)[bad])
        which = (f"channel {shown}: its" if bad.sum() == 1 else f"channels {shown}: their")
        # said before any window is cut: a recording cut into windows (--segment, rqa_eeg's
        # window) has NaN features in the windows holding such a sample only, where this
        # said "its features are NaN" of a channel finite in 18 of its 19 windows
        what = "NaN or infinite" if mask is None else "masked (read as NaN), NaN or infinite"
        warnings.warn(f"{source}: {what} samples in {which} features are NaN in "
                      "each window that holds one (the whole signal, when it is not cut into "
                      "windows)", EEGChannelWarning, stacklevel=3)
    out = [EEGSignal(data3[e], sfreq, names, source, {"epoch": e})
           for e in range(data3.shape[0])]
    for sig, flags in zip(out, rows, strict=True):
        _keep_nonfinite(sig, flags)
    return out


def _epochs_in_place(data3: np.ndarray) -> bool:
    """Whether float64 epochs ``(n_epochs, n_ch, n_times)`` are taken as they are: each
    epoch C-contiguous (the EEG channels of an Epochs side by side, a view of its array:
    :func:`mne_data`), whether or not the epochs are."""
    return (data3.dtype == np.float64 and data3.dtype.isnative and data3.flags.aligned
            and data3.strides[2] == data3.itemsize
            and data3.strides[1] == data3.itemsize * data3.shape[2])


def _nonfinite_rows(data3: np.ndarray) -> np.ndarray:
    """Whether each row of float64 epochs ``(n_epochs, n_ch, n_times)``, each C-contiguous,
    has a NaN or infinite sample, ``(n_epochs, n_ch)`` bool: one Numba pass over the samples
    (``~isfinite(...).all()`` wrote and read back a boolean array as large as an eighth of
    the data: half the time on the Muse recordings, a third on a 138-channel one)."""
    from .extractors._eeg_kernels import nonfinite_rows  # here: importing readers loads no Numba

    n_ep, n_ch, n_times = data3.shape
    out = np.empty(n_ep * n_ch, dtype=np.bool_)
    if data3.flags.c_contiguous:
        nonfinite_rows(data3.reshape(n_ep * n_ch, n_times), out)
    else:  # epochs apart (some channels of each in place, _epochs_in_place): one at a time
        per = out.reshape(n_ep, n_ch)
        for e in range(n_ep):
            nonfinite_rows(data3[e], per[e])
    return out.reshape(n_ep, n_ch)


def _nonfinite_channels(data3: np.ndarray) -> np.ndarray:
    """Whether each channel of epochs ``(n_epochs, n_ch, n_times)`` has a NaN or infinite
    sample in some epoch (:func:`_nonfinite_rows`)."""
    rows = _nonfinite_rows(data3)
    return rows.any(axis=0) if rows.shape[0] > 1 else rows[0]


def _keep_nonfinite(signal: EEGSignal, flags: np.ndarray) -> None:
    """Remember on ``signal`` (an attribute, not a field: ``dataclasses.replace`` and
    :meth:`EEGSignal.span` make signals without it) which of its channels the reader found
    NaN or infinite samples in: the EEG sets then find the windows' flat and non-finite
    channels without another pass over the samples (:func:`known_nonfinite`)."""
    object.__setattr__(signal, "_nonfinite", flags)


def known_nonfinite(signal: Any) -> np.ndarray | None:
    """The channels of ``signal`` with a NaN or infinite sample, ``(n_channels,)`` bool, as
    the reader found them in the data it made the signal of; ``None`` when the signal did
    not come from the reader as it is (built by hand, replaced, a span of one)."""
    flags = getattr(signal, "_nonfinite", None)
    if flags is None or flags.shape[0] != np.shape(signal.data)[0]:
        return None
    return flags


def read_eeg_file(path: str | os.PathLike) -> tuple[np.ndarray, float, tuple[str, ...]]:
    """Samples ``(n_channels, n_times)`` (or epochs), rate and channel names of an EEG file:
    EDF/BDF/GDF, BrainVision, FIF, EEGLAB through MNE (the ``eeg`` extra); a CSV with a
    timestamp column (Muse exports) through pandas; an OpenBCI GUI recording (``.txt``)."""
    from .eeg_input import read_recording

    source = os.fspath(path)
    ext = os.path.splitext(source)[1].lower()
    if ext in TEXT_EXTENSIONS:  # read_recording checks the file itself (CSV, OpenBCI .txt)
        rec = read_recording(source, picks=None)  # auxiliary columns dropped, as EEGReader.read
        return rec.data, rec.sfreq, rec.ch_names
    return mne_data(read_mne_file(source), source)


def read_mne_file(path: str | os.PathLike) -> Any:
    """The MNE Raw (or Epochs: a file named as MNE names epochs files, an EEGLAB ``.set``
    holding epochs) of an EEG file, data loaded; MNE's warning of a truncated file passed on.

    Raises
    ------
    EEGReadError
        Naming the file: missing, unreadable, no MNE. (:class:`EmptyInputError`: 0 bytes.)
    """
    from .eeg_input import audio_file_hint, check_file, is_epochs_fif, read_mne

    source = os.fspath(path)
    check_file(source)  # EEGReadError (missing), EmptyInputError (0 bytes)
    try:
        import mne  # noqa: F401
    except ImportError as exc:  # pragma: no cover - depends on the install
        raise EEGReadError(source, "reading EEG files needs MNE: pip install "
                           "'emofeat[eeg]'") from exc
    try:
        # the rule read_recording follows; read_mne passes on MNE's warning of a truncation
        return read_mne(source, epochs=is_epochs_fif(source))
    except Exception as exc:
        raise EEGReadError(source, f"cannot read EEG ({type(exc).__name__}: {exc})"
                           + audio_file_hint(source)) from exc


def _mne_signals(obj: Any, source: str, want_sfreq: float | None) -> list[EEGSignal]:
    # a Raw's BAD_ACQ_SKIP annotations are holes in the recording (EDF+D, FIF skips), its
    # EDGE annotations the joins of raws (concatenate_raws): one signal per stretch around
    # them, numbered in ``epoch``, as read_recording and a CSV's gaps
    from .eeg_input import skip_cut

    data, sfreq, names = mne_data(obj, source)
    breaks, lead, starts = (), 0, ()
    n_times = data.shape[-1]
    if data.ndim == 2:
        data, breaks, lead, starts = skip_cut(obj, data, source)
    if breaks:  # on MNE's one clock (raw.times), which runs through holes and joins
        return _recording_signals(EEGRecording(data, sfreq, names, source, {}, breaks,
                                               joins=data.shape[-1] == n_times,
                                               stretch_starts=starts), want_sfreq)
    out = _epochs(source, data, sfreq, names, want_sfreq)
    if lead:  # a hole at the start: the signal's samples start after it, at raw.times' lead
        import dataclasses

        out = [_kept_flags(dataclasses.replace(s, stretch=True, offset=starts[0]), s)
               for s in out]
    return out


#: relative difference within which a rate *estimated* from timestamps (a CSV recording's
#: samples over the time they span, :func:`emofeat.eeg_input.read_recording`) is taken to be
#: the extractor's nominal ``sfreq``. An estimate never equals the nominal rate exactly:
#: consumer devices' clocks are off by tens of ppm, hosts stamp samples as they receive them,
#: and timestamps are rounded (the Muse files' to 1 ms). The Muse files (256 Hz headband)
#: give 256.02 Hz, 80 ppm off, the shortest (4 s) up to 0.09 % off (one, stamped unevenly
#: around its gaps, 254.2 Hz: refused). 0.1 % (0.26 Hz at 256 Hz) is above that and far
#: below the gap between nominal rates (250/256, 500/512, 125/128 Hz: 2.4 %), so a recording
#: at another rate is still refused. A rate a header or the caller declares must match
#: exactly (:func:`analysis_rate`). A short recording's estimate is also off by its stamps'
#: rounding over its span (1 ms over 0.5 s: 0.2 %): the tolerance widens to one sample
#: interval over the span, :func:`estimated_rate_rtol`, at most :data:`MAX_ESTIMATED_RATE_RTOL`.
ESTIMATED_RATE_RTOL = 1e-3
#: the widest tolerance, for the shortest recordings: below the 2.4 % between nominal rates
MAX_ESTIMATED_RATE_RTOL = 1e-2


def estimated_rate_rtol(n_intervals: int) -> float:
    """The relative tolerance of a rate estimated over ``n_intervals`` sample intervals:
    :data:`ESTIMATED_RATE_RTOL`, or one interval over the span when that is wider (stamps
    rounded to about a sample interval move the estimate by as much), at most
    :data:`MAX_ESTIMATED_RATE_RTOL`."""
    return min(MAX_ESTIMATED_RATE_RTOL, max(ESTIMATED_RATE_RTOL, 1.0 / max(1, n_intervals)))


class EstimatedRate(float):
    """A sampling rate in Hz estimated from timestamps, with the number of sample intervals
    it was estimated over (``n_intervals``): what :func:`emofeat.eeg_input.read_recording`
    gives a CSV recording as its ``sfreq``.

    It is a float (equal to, printed and computed with as the estimate; arithmetic gives
    plain floats), so that the recording's ``sfreq`` keeps saying it was estimated wherever
    it goes with the samples: ``(rec.data, rec.sfreq)`` is then analysed as the recording's
    path is (:func:`analysis_rate`). A plain float is a rate someone declared.

    Parameters
    ----------
    rate : float
        The estimate, Hz.
    n_intervals : int
        Sample intervals it was estimated over (samples less one per gap-free stretch).
    """

    __slots__ = ("n_intervals",)

    def __new__(cls, rate: float, n_intervals: int) -> EstimatedRate:
        self = super().__new__(cls, rate)
        self.n_intervals = int(n_intervals)
        return self

    def __reduce__(self):
        # pickled (worker processes, sklearn's clone) as what it is, not as a plain float
        return (EstimatedRate, (float(self), self.n_intervals))

    @property
    def rtol(self) -> float:
        """The relative tolerance of this estimate, :func:`estimated_rate_rtol`."""
        return estimated_rate_rtol(self.n_intervals)


def analysis_rate(source: str, sfreq: Any, want_sfreq: float | None) -> float:
    """The rate an input at ``sfreq`` is analysed at by an extractor set to ``want_sfreq``:
    the one rule of every EEG input form (path, recording, tuple, MNE object, signal).

    ``want_sfreq`` None: ``sfreq`` (a float; still an :class:`EstimatedRate` if it was
    one). A declared rate (a plain number: a file header's, an MNE
    object's ``info["sfreq"]``, one the caller writes) must equal ``want_sfreq`` (within
    1e-6 Hz) and stays as it is; an :class:`EstimatedRate` within its
    :func:`estimated_rate_rtol` of ``want_sfreq`` is analysed at ``want_sfreq``, the rate
    the device was set to (the estimate is off by clock drift and rounding only).

    Raises
    ------
    SignalTypeError
        Naming ``source``: a rate that is not positive and finite, or another rate than
        ``want_sfreq`` (EEG is never resampled silently).
    """
    rate = float(sfreq)
    # an infinite rate (1 / 0 of repeated timestamps) sized segments and filters with
    # float('inf') samples: an OverflowError naming nothing, until session 57
    if not 0 < rate < float("inf"):
        raise SignalTypeError(source, f"invalid sampling rate {sfreq} (a rate in Hz must be "
                              "a finite number above 0)")
    if want_sfreq is None:
        # an estimate stays one: the signals made of it are then taken by an extractor
        # with a nominal sfreq as the recording would be
        return sfreq if isinstance(sfreq, EstimatedRate) else rate
    want = float(want_sfreq)
    if isinstance(sfreq, EstimatedRate):
        rtol = sfreq.rtol
        if not abs(rate - want) <= rtol * want:
            raise SignalTypeError(
                source, f"sampled at {rate:.6g} Hz (estimated from its timestamps), the "
                f"extractor expects {want:g} Hz (EEG is never resampled silently; a rate "
                f"estimated from this recording's timestamps may differ from it by "
                f"{rtol:.2g} relative)")
        return want
    if abs(rate - want) > 1e-6:
        raise SignalTypeError(source, f"sampled at {rate:g} Hz, the extractor expects "
                              f"{want:g} Hz (EEG is never resampled silently)")
    return rate


def _with_rate(signal: EEGSignal, rate: float) -> EEGSignal:
    """``signal`` at ``rate``, the same samples (and the reader's non-finite flags)."""
    import dataclasses

    return _kept_flags(dataclasses.replace(signal, sfreq=rate), signal)


def _kept_flags(out: EEGSignal, signal: EEGSignal) -> EEGSignal:
    """``out``, a copy of ``signal``, with the reader's non-finite flags of ``signal``."""
    flags = getattr(signal, "_nonfinite", None)
    if flags is not None:
        _keep_nonfinite(out, flags)
    return out


def _recording_signals(rec: EEGRecording, want_sfreq: float | None) -> list[EEGSignal]:
    """An :class:`~emofeat.eeg_input.EEGRecording` (a CSV file's, given as its path or as the
    recording): one signal per stretch between its breaks (``epoch`` = stretch index), so
    that no window spans a gap, at its :func:`analysis_rate`."""
    import dataclasses

    sfreq = analysis_rate(rec.source, rec.sfreq, want_sfreq)  # of the whole: as estimated
    edges = [0, *rec.breaks, rec.n_times]
    joins = getattr(rec, "joins", False) and len(edges) > 2
    # each stretch's start on the recording's one clock (its windows' start/end are on it)
    clock = tuple(getattr(rec, "stretch_starts", ()))
    if not clock and joins:
        clock = tuple(a / float(rec.sfreq) for a in edges[:-1])
    cut = len(edges) > 2 or bool(clock and clock[0])  # a hole at the start: a clock too
    untimed = tuple(getattr(rec, "untimed_breaks", ())) if clock else ()
    out = []
    for k, (a, b) in enumerate(zip(edges[:-1], edges[1:], strict=True)):
        # the first break before this stretch whose length its clock does not know
        unknown = next((u for u in untimed[:k] if u), "")
        for sig in _epochs(rec.source, rec.data[:, a:b], sfreq, rec.ch_names, want_sfreq):
            stretch = dataclasses.replace(sig, meta={"epoch": k},  # the same data
                                          stretch=cut, offset=clock[k] if clock else None)
            _keep_nonfinite(stretch, sig._nonfinite)
            object.__setattr__(stretch, "_clock", (joins, unknown))
            out.append(stretch)
    return out


def stretch_clock_of(signal: Any) -> tuple[bool | None, str]:
    """Of a gap-free stretch the reader made (:func:`_recording_signals`), whether its
    recording's breaks are joins of raws (``EDGE boundary``: no sample missing; ``None``
    where not known: a stretch made otherwise) and, where its start on the recording's clock
    is only the earliest it can be, the break that makes it so (``""``: known)."""
    return getattr(signal, "_clock", (None, ""))


# --------------------------------------------------------------------------------- text
@dataclass(frozen=True)
class TextReader(Reader):
    """Text: each item is one text. Missing values (``None``, NaN, and the other missing-value
    scalars pandas recognises, such as ``pd.NA`` in a ``string`` column) become the empty
    text, which every text set turns into a defined row; other non-strings are refused."""

    modality: ClassVar[str] = "text"
    input_column: ClassVar[str] = "text"
    timed: ClassVar[bool] = False

    def check_item(self, item: Any, position: int) -> None:
        if isinstance(item, str | TextSignal) or _is_missing(item):
            return
        if isinstance(item, NonText):
            raise SignalTypeError(item.source, item.problem or f"{type(item.value).__name__} "
                                  "is not a text (give strings)")
        raise SignalTypeError(f"<text {position}>",
                              f"{type(item).__name__} is not a text (give strings)")

    def label(self, item: Any, position: int) -> str:
        if isinstance(item, str):
            text = item
        elif isinstance(item, TextSignal):
            text = item.text
        elif _is_missing(item):
            return ""
        elif isinstance(item, NonText):
            return item.source  # where the cell is: "texts.jsonl:3"
        else:  # not a text: named by its position, as its error is ("<text 3>"), not str(5)
            return f"<text {position}>"
        # the identity column is stored as UTF-8, which has no lone surrogates (a JSON "\ud800",
        # an undecodable byte of a .txt file): they are written as their escape, the features
        # come from the text as it is
        return text.encode("utf-8", "backslashreplace").decode("utf-8")

    def key(self, item: Any, position: int) -> tuple[str, int, int]:
        if isinstance(item, NonText):
            # each such cell its own failure, listed with its line: two records without the
            # key, or both 5, were one input ("repeated"), the second not in the errors table
            return content_key(b"\0emofeat non-text cell\0" + item.source.encode(
                "utf-8", "surrogatepass"))
        return content_key(_as_text(item).encode("utf-8", "surrogatepass"))

    def read(self, item: Any, position: int = 0) -> list[TextSignal]:
        self.check_item(item, position)
        if isinstance(item, TextSignal):
            return [item]
        return [TextSignal(_as_text(item), f"<text {position}>")]


@dataclass(frozen=True, eq=False)
class NonText:
    """A manifest cell that is not a text (a number, a list, ``true`` in a JSON-lines
    record), with where it is (``"texts.jsonl:3"``, the CLI's reader makes them): the text
    reader refuses it with a :class:`~emofeat.errors.SignalTypeError` naming that place,
    which is also the ``path`` of its row of the errors table."""

    value: Any
    source: str
    #: what is wrong, where it is no value of the wrong type (a record without the key)
    problem: str | None = None

    def __str__(self) -> str:
        return str(self.value)


def _as_text(item: Any) -> str:
    if isinstance(item, str):
        return item
    if isinstance(item, TextSignal):
        return item.text
    if _is_missing(item):
        return ""
    return str(item)


def _is_missing(item: Any) -> bool:
    """Whether ``item`` is a missing value: ``None``, a NaN number, or a scalar ``pd.isna``
    recognises (``pd.NA``, ``NaT``)."""
    if item is None:
        return True
    if isinstance(item, str | bytes | TextSignal):
        return False
    if isinstance(item, Number):
        return item != item  # NaN: a missing manifest cell
    pd = sys.modules.get("pandas")  # without pandas loaded, no pandas missing value exists
    if pd is None or not pd.api.types.is_scalar(item):
        return False
    try:
        return bool(pd.isna(item))
    except (TypeError, ValueError):
        return False


READERS: dict[str, type[Reader]] = {"audio": AudioReader, "eeg": EEGReader, "text": TextReader}
