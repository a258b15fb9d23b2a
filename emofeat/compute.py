"""Computing: the features of one input, and of one shard of inputs.

This is the part of a batch run that workers execute (:mod:`emofeat.schedule` sends them
shards, :mod:`emofeat.runner` plans the run and gathers the results). Per input item:

1. every extractor's reader turns it into signals, once per distinct reader (two audio sets at
   the same rate share one decoding; an epoched EEG recording gives one signal per epoch);
2. each signal, or each window of it (``segment``/``hop``), becomes one *piece*: the rows of
   every set side by side (frame-level sets aligned on the first set's frame times) and the
   identity columns of those rows (``start``/``end`` for timed signals, the reader's own:
   ``orig_sr`` and ``orig_channels`` for audio, ``epoch`` for EEG);
3. audio files longer than ``long_file_seconds`` go block by block (:mod:`emofeat.blocks`) or,
   cut in windows, window by window from disk.
"""

from __future__ import annotations

import contextlib
import functools
import logging
import math
import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np

from ._libraries import counting, run_libraries
from ._window_warnings import SHOWN, WindowWarnings
from .blocks import blockwise_features, file_frames, file_seekable, supports_blocks
from .columns import Columns, arrow_rows, label_of
from .errors import EEGReadError, InputError, TooShortError, command_line
from .extractor import check_same_modality
from .segments import FixedSegments, ForwardStream, check_span, manifest_spans, read_span
from .table import EEG_RATE_RTOL, FeatureTable, frame_of, rate_difference

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

log = logging.getLogger("emofeat.runner")

ROW_GROUP = 65_536  # rows per parquet row group in parts

#: what a failing input may raise without stopping a recording run; ``Warning``: a warning
#: the user turned into an error (``PYTHONWARNINGS=error::UserWarning``) fails its input;
#: ``ArithmeticError``: a set's OverflowError or ZeroDivisionError on one degenerate input
#: (FloatingPointError alone was caught: the others stopped the whole run)
CAUGHT = (InputError, ValueError, OSError, RuntimeError, ArithmeticError, Warning)


@dataclass
class Plan:
    """Everything a shard needs, sent once to each worker task (picklable)."""

    extractors: list[Any]
    level: str
    names: list[str]
    provenance: dict[str, Any]
    catch: bool
    input_column: str = "path"
    timed: bool = True
    meta_columns: dict[str, str] = field(default_factory=dict)
    segments: FixedSegments | None = None
    spans: bool = False
    occurrence: bool = False  # rows of repeated texts numbered (inputs.OCCURRENCE)
    #: rows of signals in memory carry their resume key (store.SIGNAL_KEY), in an output
    signal_key: bool = False
    long_file_seconds: float | None = 600.0
    block_seconds: float = 60.0
    part_dir: str | None = None
    schema: Any = None  # pyarrow.Schema of a part, in store mode
    driver_pid: int | None = None  # set for local worker processes
    #: shards give their rows, not a table; the run makes one table at the end (a serial run
    #: without an output: the shards exist for the progress bar and the errors' order only)
    gather_only: bool = False
    #: ``frozenset(names)`` when the runner found them distinct and all ``str`` (the table
    #: is then made without checking them again)
    name_set: frozenset[str] | None = None
    #: the recording whose rate the run records (provenance ``sfreq``: the EEG sets' fit,
    #: which may be before the run), ``None`` where it is the sets' ``sfreq``
    rate_source: str | None = None
    #: the ``emofeat`` command runs (:func:`emofeat.errors.command_line`): each shard's
    #: failures name its options in whatever process runs it (a loky or Dask worker does not
    #: inherit the driver's context; a manifest listed in a manifest said "read with
    #: emofeat.datasets.load_manifest" there)
    command_line: bool = False

    @property
    def audio(self) -> bool:
        return self.extractors[0].modality == "audio"

    def __getstate__(self) -> dict[str, Any]:
        # what read_slots keys by id() is remade in each process the plan is sent to
        state = dict(self.__dict__)
        state.pop("_read_slots", None)
        # not sent to workers (thousands of names twice): their tables check the names
        state["name_set"] = None
        return state

    def reader_of(self, ext: Any) -> Any:
        """``ext.reader()``, made once a run (per input it cost three reader objects)."""
        pairs = self.__dict__.get("_readers")
        if pairs is None:  # (extractor, reader) pairs: they pickle together, keeping identity
            pairs = self.__dict__["_readers"] = [(e, e.reader()) for e in self.extractors]
        for e, reader in pairs:
            if e is ext:
                return reader
        return ext.reader()

    def read_slots(self) -> tuple[dict[int, int], list[Any]]:
        """``({id(set): slot}, readers)``: each set's reader as an index into the run's
        distinct readers (equal readers share a slot: one read per input), made once a run;
        a dict of equal readers keyed per call hashed the (frozen dataclass) reader about ten
        times an input."""
        got = self.__dict__.get("_read_slots")
        if got is None:
            slots: dict[int, int] = {}
            readers: list[Any] = []
            for e in self.extractors:
                reader = self.reader_of(e)
                for k, r in enumerate(readers):
                    if r == reader:
                        slots[id(e)] = k
                        break
                else:
                    slots[id(e)] = len(readers)
                    readers.append(reader)
            got = self.__dict__["_read_slots"] = (slots, readers)
        return got

    def shortest_window(self, rate: float) -> float:
        """:func:`tail_seconds` of the run's sets and windows at ``rate``, remembered per
        rate (EEG rates differ)."""
        known = self.__dict__.setdefault("_shortest", {})
        shortest = known.get(rate)
        if shortest is None:
            shortest = known[rate] = tail_seconds(self.extractors, self.segments, rate)
        return shortest

    def short_stretch(self, sig: Any) -> TooShortError | None:
        """Why an EEG signal (a gap-free stretch or an epoch) that is one of several of its
        input is left out by the tail rule, or ``None``: one under the rule's
        :meth:`TailRule.shortest` (a quarter second or less), or, in a windowed run, under a
        whole window where windows are shorter, is the rule's tail for every set. In a
        windowed run the first window of each signal was kept however short; read whole,
        each stretch is one row (``epoch`` k) and each set's own minimum decided it (until
        :attr:`TailRule.stretches_since`): a 40-sample stretch between two gaps was a row of
        eeg_stats and no row of eeg_bands, so their tables did not join. A set's own longer
        minimum is left to the set, which refuses the signal in its own words."""
        if self.segments is None:  # read whole: the stretch is the row
            return short_stretch_read_whole(self.extractors, sig)
        rule = tail_rule(self.extractors)
        if rule is not TAIL_RULES["eeg"]:
            return None
        rate = float(sig.rate)
        n = int(np.shape(sig.data)[-1])
        # the same sums as tail_seconds, less the sets' own minimum
        whole = max(1, round(self.segments.segment * rate))
        if whole / rate < rule.shortest(rate):
            if not n < whole:
                return None
            why = (f"under the {whole} of a whole {self.segments.segment:g} s window, the "
                   "shortest tail EEG windows that short keep (left out of every set, as a "
                   "recording's tail)")
        else:
            if not n / rate < rule.shortest(rate):
                return None
            why = (f"under the {math.ceil(rule.shortest(rate) * rate - 1e-9)} the tail rule "
                   "of EEG windows keeps (a quarter second or less is left out of every set, "
                   "as a recording's tail)")
        return TooShortError(sig.source, f"{n} samples ({n / rate:.3f} s at {rate:g} Hz), {why}")

    def window_spans(self, n: int, rate: float) -> np.ndarray:
        """:meth:`FixedSegments.span_array` of a signal of ``n`` samples at ``rate``, tails
        shorter than :func:`tail_seconds` left out (the first window is kept however short),
        read-only and remembered per layout (:data:`_WINDOW_SPANS`)."""
        rate = float(rate)
        shortest = self.shortest_window(rate)
        key = (self.segments, int(n), rate, shortest)
        got = _WINDOW_SPANS.get(key)
        if got is None:
            spans = self.segments.span_array(n, rate)
            keep = ~((spans[:, 1] - spans[:, 0]) / rate < shortest)
            keep[0] = True  # the first window, however short; later ones too short go
            got = spans if keep.all() else spans[keep]
            got.flags.writeable = False
            if len(_WINDOW_SPANS) >= 256:
                _WINDOW_SPANS.clear()
            _WINDOW_SPANS[key] = got
        return got


#: the window spans of a (segments, length, rate, shortest window) layout: the trials or
#: stretches of a corpus share a few lengths, and every pass over a data set repeats them;
#: making them was a tenth of the Python time of a short recording
_WINDOW_SPANS: dict[tuple, np.ndarray] = {}


@dataclass
class Shard:
    positions: list[int]
    items: list[Any]
    ident: pd.DataFrame | Columns
    keys: list[tuple] | None = None
    part_name: str | None = None


@dataclass
class ShardReport:
    first: int = 0  # position of the shard's first input
    n_ok: int = 0
    n_segments: int = 0
    n_rows: int = 0
    seconds: float = 0.0  # duration of the signals analysed
    errors: list[tuple[str, str, str, str]] = field(default_factory=list)
    table: FeatureTable | None = None
    rows: Rows | None = None  # instead of ``table`` when the plan says ``gather_only``
    part: str | None = None
    #: versions of the libraries the shard used where it ran (emofeat._libraries), for the
    #: run's provenance: a worker's, which the run's process may not have loaded
    libraries: dict[str, str] = field(default_factory=dict)


@dataclass
class Piece:
    """Rows of one signal (or window) with the identity columns they share."""

    meta: dict[str, Any]
    rows: np.ndarray
    times: np.ndarray
    #: segments (windows) the piece holds; with more than one, its ``start``/``end`` meta are
    #: arrays with one value per row
    count: int = 1


#: seconds read on each side of a window of a long file or a manifest segment that is resampled
#: (segments.read_span). soxr's HQ impulse response reaches about 11 ms each side at 8 kHz
#: (above 1e-6 of its peak; 4 ms at 22.05 kHz) and grows as 1 / min(rate in, rate out):
#: 50 ms covers it down to about 2 kHz
SPAN_CONTEXT = 0.05

#: two frame distances within this many seconds are a tie (align_frames)
TIE_SECONDS = 1e-9


# ------------------------------------------------------------------------------ one input
def align_frames(rows: np.ndarray, times: np.ndarray, ref_times: np.ndarray) -> np.ndarray:
    """Frame rows of one set resampled onto another set's frame times (frame-level runs).

    Sets with different frame rates land in one table on the frames of the *first* set: each
    reference time takes the row of the frame whose time (centre) is nearest, the earlier one
    on a tie; no interpolation, so every value is one the set computed. Rows whose times
    already match are returned unchanged.
    """
    if rows.shape[0] == ref_times.shape[0] and np.allclose(times, ref_times, atol=1e-9):
        return rows
    if rows.shape[0] == 0:
        return np.full((ref_times.shape[0], rows.shape[1]), np.nan)
    if times.shape[0] == 1:
        return rows[np.zeros(ref_times.shape[0], dtype=np.int64)]
    right = np.clip(np.searchsorted(times, ref_times), 1, times.shape[0] - 1)
    left = right - 1
    # a tie goes to the earlier frame whatever the rounding of the two distances: times are
    # sums of float seconds, and an exact half-way centre can land 1e-17 s to either side
    # (1e-9 s is far below half a sample at any rate, and far above float64's error at hours)
    later = (ref_times - times[left]) - (times[right] - ref_times) > TIE_SECONDS
    return rows[np.where(later, right, left)]


def rows_of(extractors: Sequence[Any], signal_of) -> tuple[np.ndarray, np.ndarray]:
    """Rows of every set for one signal, columns side by side (``signal_of(ext)`` gives the
    signal as the set reads it)."""
    blocks, times = [], None
    for ext in extractors:
        rows, t = ext.features_of(signal_of(ext))
        # at the frame level a set without frames (a signal shorter than its frame) still
        # lands on the first set's grid, as NaN rows (functionals: no times, nothing to align)
        if blocks and (t.size or times.size):
            rows = align_frames(rows, t, times)
        blocks.append(np.asarray(rows, dtype=np.float64))
        if times is None:
            times = t
    return (blocks[0] if len(blocks) == 1 else np.concatenate(blocks, axis=1)), times


def _clock(signal: Any) -> float:
    """Where a gap-free stretch of a recording begins on the recording's one clock (its
    ``offset``: MNE's ``raw.times`` through holes and joins, a CSV's timestamps, an OpenBCI
    file's counter with its lost samples counted in), so that its rows' ``start``/``end``
    are on that clock; 0 for a whole signal, an epoch, a stretch without a clock."""
    offset = getattr(signal, "offset", None)
    return float(offset) if offset is not None and getattr(signal, "stretch", False) else 0.0


def _piece(plan: Plan, signal: Any, t0: float, t1: float, rows: np.ndarray,
           times: np.ndarray) -> Piece:
    meta = {"start": t0, "end": t1} if plan.timed else {}
    meta.update(signal.meta)
    return Piece(meta, rows, times + t0 if times.size else times)


def process_one(plan: Plan, item: Any, position: int,
                span: tuple[float, float] | None = None,
                streams: dict[str, ForwardStream | None] | None = None) -> dict[str, Any]:
    """Features of one input item (or one manifest segment of a file; ``streams``: the file
    of the last such segment held open, :func:`_stream_for`).

    Returns ``{"ok": True, "pieces": [Piece, ...], "duration": seconds}`` or
    ``{"ok": False, "stage": "read" | "extract", "exc": exception}``.
    """
    exts = plan.extractors
    stage = "read"
    try:
        if plan.audio and isinstance(item, str | os.PathLike):
            special = _audio_file_paths(plan, item, span, streams)
            if special is not None:
                return special
        slots, readers = plan.read_slots()
        if span is not None:  # a manifest segment of a recording read whole (EEG)
            check_span(readers[0].label(item, position), *span, EEGReadError)
        if len(exts) == 1 and span is None and plan.segments is None:
            # one set over whole signals (the usual command): what the general path below
            # does for it, without its per-input closures and look-ups
            ext = exts[0]
            reader = readers[slots[id(ext)]]
            reader.check_item(item, position)
            signals = reader.read(item, position)
            check_run_rate(plan, signals, reader.label(item, position))
            stage = "extract"
            if len(signals) == 1:
                sig = signals[0]
                rows, times = ext.features_of(sig)
                t0 = _clock(sig)
                return {"ok": True, "duration": sig.duration, "pieces": [_piece(
                    plan, sig, t0, t0 + sig.duration, np.asarray(rows, dtype=np.float64),
                    times)]}

            flat = _flat_of(plan, reader, True, item)

            def whole(k: int, sig: Any) -> list[Piece]:
                with _gathering(flat):
                    rows, times = ext.features_of(sig)
                t0 = _clock(sig)
                return [_piece(plan, sig, t0, t0 + sig.duration,
                               np.asarray(rows, dtype=np.float64), times)]

            pieces, duration = _pieces_of_signals(signals, whole, plan.short_stretch)
            _warn_flat_windows(reader.label(item, position), flat)
            return {"ok": True, "pieces": pieces, "duration": duration}
        cache: list[Any] = [None] * len(readers)

        def signals_of(ext: Any) -> list[Any]:
            k = slots.get(id(ext))
            if k is None:  # not one of the plan's sets
                reader = plan.reader_of(ext)
                reader.check_item(item, position)
                return reader.read(item, position)
            got = cache[k]
            if got is None:
                reader = readers[k]
                reader.check_item(item, position)
                got = cache[k] = reader.read(item, position)
            return got

        for ext in exts:
            signals_of(ext)
        first = signals_of(exts[0])
        check_run_rate(plan, first, readers[0].label(item, position))
        if span is not None:  # a manifest segment of a recording read whole (EEG)
            first = _segment_of(readers[0].label(item, position), exts[0], first, span)
        stage = "extract"
        # the flat channels of all the recording's windows, gap-free stretches (or epochs)
        # and sets, said once
        flat = _flat_of(plan, readers[0], len(first) > 1 or len(exts) > 1, item)
        pieces, duration = _pieces_of_signals(
            first, lambda k, sig: _signal_pieces(plan, exts, sig, k, signals_of, span, flat),
            plan.short_stretch)
        _warn_flat_windows(readers[0].label(item, position), flat)
        return {"ok": True, "pieces": pieces, "duration": duration}
    except CAUGHT as exc:
        return {"ok": False, "stage": stage, "exc": exc}


def check_run_rate(plan: Plan, signals: Sequence[Any], label: str) -> None:
    """Refuse an EEG recording analysed at a rate more than :data:`EEG_RATE_RTOL` from the
    run's (provenance ``sfreq``: the rate the sets were fitted at, the first recording's
    of the run, or of an earlier fit, :attr:`Plan.rate_source`). A table records one rate,
    which ``predict`` and ``FeatureTable.concat`` compare: a 128 Hz recording in a run of
    256 Hz ones gave rows of other features (Hjorth mobility is per sample) under the
    first's rate, and passed both checks."""
    run_rate = plan.provenance.get("sfreq")
    if run_rate is None:
        return
    for sig in signals:
        if rate_difference(run_rate, sig.rate):
            of = "its sfreq" if plan.rate_source is None else plan.rate_source
            raise InputError(
                label, f"analysed at {sig.rate:g} Hz, more than {EEG_RATE_RTOL:.0%} from the "
                f"rate the set was fitted at, {run_rate:g} Hz ({of}), the one rate a table "
                "records: extract the recordings of each rate into their own table")


def _signal_pieces(plan: Plan, exts: Sequence[Any], sig: Any, k: int, signals_of,
                   span: tuple[float, float] | None, flat: dict[str, Any]) -> list[Piece]:
    """The pieces of the ``k``-th signal of an input (``sig``: the first set's), every set's
    rows side by side: whole, or cut into the run's windows (their flat channels added to
    the input's ``flat``, :func:`_window_pieces`)."""
    def own(ext: Any) -> Any:
        s = signals_of(ext)[k]
        if span is None:
            return s
        if getattr(s, "stretch", False) and getattr(s, "offset", None) is not None:
            # a recording cut at joins or gaps: the span is placed on its one clock, as
            # the first set's was (_segment_of)
            return _joined_segment(s.source, ext, signals_of(ext), span)
        return _window(ext, s, *span)

    if plan.segments is None:
        with _gathering(flat):
            rows, times = rows_of(exts, own)
        t0 = span[0] if span is not None else _clock(sig)
        return [_piece(plan, sig, t0, t0 + sig.duration, rows, times)]
    n = int(np.shape(sig.data)[-1])
    if all(hasattr(ext, "features_of_windows") for ext in exts):
        return _window_pieces(plan, exts, sig, own, plan.window_spans(n, sig.rate), flat)
    shortest = tail_seconds(exts, plan.segments, sig.rate)
    spans = [(a, b) for j, (a, b) in enumerate(plan.segments.spans(n, sig.rate))
             if not (j and (b - a) / sig.rate < shortest)]  # a tail too short (tail_seconds)
    pieces = []
    said = WindowWarnings(sig.source)  # the sets' warnings, naming the windows, once
    clock = _clock(sig)
    for a, b in spans:
        t0, t1 = a / sig.rate, b / sig.rate

        def seg_of(ext: Any, t0: float = t0, t1: float = t1) -> Any:
            return _window(ext, own(ext), t0, t1)

        with _gathering(flat, every=True), said.window(clock + t0, clock + t1):
            rows, times = rows_of(exts, seg_of)
        pieces.append(_piece(plan, sig, clock + t0, clock + t1, rows, times))
    said.say()
    return pieces


def short_stretch_read_whole(exts: Sequence[Any], sig: Any) -> TooShortError | None:
    """:meth:`Plan.short_stretch` of a signal read whole (no windows) by the sets ``exts``:
    the run's rule and a set's own ``transform`` (:func:`rows_of_signals`) share it."""
    rule = tail_rule(exts)
    if rule is not TAIL_RULES["eeg"]:
        return None
    rate = float(sig.rate)
    n = int(np.shape(sig.data)[-1])
    if not n / rate < rule.shortest(rate):  # stretch_rows_moot asks the same in seconds
        return None
    return TooShortError(sig.source, (
        f"{n} samples ({n / rate:.3f} s at {rate:g} Hz), under the "
        f"{math.ceil(rule.shortest(rate) * rate - 1e-9)} the tail rule of EEG keeps "
        f"({rule.stretches_said()} is left out of every set)"))


def stretch_rows_moot(paths: Sequence[Any], starts: Any, ends: Any) -> bool:
    """Whether the rows of EEG recordings read whole written before the tail rule was
    recorded (each row a gap-free stretch: ``end - start`` its length) are the rows a run
    gives now: no input (``paths``) has a stretch the rule leaves out, a quarter second or
    less (``floor(rate / 4)`` samples or fewer at its rate), beside a longer one. Before the
    rule a set left such a stretch out only under its own minimum, so an ``eeg_stats``
    output of a recording whose gaps are all far apart was refused on resume though a run
    gives the same rows. :func:`stretch_rows_said` says which row differs where they do.

    Decided in seconds, whatever the rate: ``n < floor(rate / 4) + 1`` samples is
    ``n / rate <= 1/4`` for a whole ``n``. Counting samples at the one recorded rate (the
    first recording's) misjudged another recording of the run within its 2 %: 64 samples
    at 256 Hz are left out, but read as 64 at 254.2 Hz they were not. A stretch within
    1e-9 s above a quarter second counts as left out (the seconds written are rounded):
    at worst an output is refused that could have been resumed."""
    changed = _stretch_rows_changed(paths, starts, ends)[2]
    return changed is not None and not changed.any()


def _stretch_rows_changed(paths: Sequence[Any], starts: Any, ends: Any
                          ) -> tuple[np.ndarray, np.ndarray, np.ndarray | None]:
    """The rows' starts, ends and, per row, whether a run now leaves it out
    (:func:`stretch_rows_moot`); ``None`` for that where a start or end is no finite
    number (the rows cannot show it)."""
    rule = TAIL_RULES["eeg"]
    starts = np.asarray(starts, dtype=np.float64)
    ends = np.asarray(ends, dtype=np.float64)
    if not (np.isfinite(starts).all() and np.isfinite(ends).all()):
        return starts, ends, None
    short = (ends - starts) <= rule.seconds + 1e-9
    if not short.any():
        return starts, ends, short
    keys = np.asarray([str(p) for p in paths], dtype=object)
    longer = set(keys[~short].tolist())
    return starts, ends, short & np.fromiter((k in longer for k in keys), bool, len(keys))


def stretch_rows_said(paths: Sequence[Any], starts: Any, ends: Any, epochs: Any = None
                      ) -> str:
    """Which row of EEG recordings read whole written before the tail rule a run now
    leaves out (:func:`stretch_rows_moot`), in words for the refusal of a resume or a
    stack: the input (its ``paths`` key), the stretch (its ``epochs`` number, where given,
    its start and end as the row records them, timed from the stretch's own start, and its
    length in seconds, the rule's unit: the rows record one rate, the first input's, not
    each input's, so no count of samples) and how many more such rows there are. The
    refusal named neither, so the user could not tell which recording of a large output to
    look at. ``''`` where no row differs."""
    paths = np.asarray([str(p) for p in paths], dtype=object)
    starts, ends, changed = _stretch_rows_changed(paths, starts, ends)
    if changed is None:
        bad = int(np.count_nonzero(~(np.isfinite(starts) & np.isfinite(ends))))
        return (f"{bad} of its {len(starts)} rows {'has' if bad == 1 else 'have'} no finite "
                "start or end, so its rows cannot show that a run now gives the rows it "
                "holds")
    rows = np.flatnonzero(changed)
    if not rows.size:
        return ""
    i = int(rows[0])
    t0, t1 = float(starts[i]), float(ends[i])
    length = f"{t1 - t0:.6g} s"
    epoch = ""
    if epochs is not None:
        epoch = f", epoch {np.asarray(epochs, dtype=object)[i]}"
    keys = set(paths[rows].tolist())
    more = ""
    if rows.size > 1:
        more = (f"; {rows.size - 1} more such row{'s' if rows.size > 2 else ''}"
                + (f", of {len(keys)} inputs in all" if len(keys) > 1 else ""))
    rule = TAIL_RULES["eeg"]
    return (f"the row of {paths[i]}{epoch} (start {t0:g} s, end {t1:g} s, the stretch timed "
            f"from its own start: {length}) is {rule.stretches_said()}, which a run now "
            f"leaves out{more}")


def rows_of_signals(ext: Any, signals: Sequence[Any], unit: str = "epochs"
                    ) -> list[np.ndarray]:
    """A set's (``ext``) own ``transform`` of one input's EEG ``signals`` (its gap-free
    stretches or epochs, ``unit``: :func:`signals_unit`): the rows of each signal, those a
    run reading the input whole gives (:func:`process_one`). A signal the tail rule leaves
    out (:func:`short_stretch_read_whole`), or one the set refuses, among others it keeps is
    left out with the run's warning (``1 of 3 epochs left out (epoch 1), too short: ...``);
    ``transform`` gave the 40 samples between two Muse gaps a row of ``eeg_stats`` and failed
    the whole recording for ``eeg_bands``. Flat channels are said once for the input,
    counting the signals that gave rows (:func:`flat_said_once`).

    The signals the rule keeps go to the set's ``features_of_many`` together, which computes
    runs of equal-length stretches in one call: one ``features_of`` per stretch made
    ``transform`` of a recording with many gaps 2-4 times slower for ``eeg_bands``. Each run
    of one shape, rate and montage (:func:`_signal_runs`) is one call, so a run the set
    refuses costs only itself: only its signals are computed again one at a time, to leave
    out just those it refuses. One call for all of them threw the runs computed before the
    refusal away and computed every signal again."""
    from .flat_channels import flat_reports, pass_on

    kept: list[Any] = []
    ruled = _ruled_out(signals, lambda sig: short_stretch_read_whole([ext], sig))
    keep = [k for k, exc in enumerate(ruled) if exc is None]
    got: dict[int, np.ndarray] = {}
    short = [(k, exc) for k, exc in enumerate(ruled) if exc is not None]
    with flat_said_once(signals, ext, unit, counted=kept):
        for run in _signal_runs(signals, keep):
            try:
                with flat_reports() as tried:
                    rows = ext.features_of_many([signals[k] for k in run])
            except TooShortError:
                # the run's flat reports are dropped: computing each again makes them again.
                # A set refuses a signal by its length and rate, so it refuses a run of one
                # shape and rate at its check, before it computes any of it
                for k in run:
                    try:
                        got[k] = ext.features_of(signals[k])[0]
                    except TooShortError as exc:
                        if len(signals) == 1:
                            raise
                        short.append((k, exc))
                continue
            pass_on(tried)
            got.update(zip(run, (r for r, _ in rows), strict=True))
        kept += [signals[k] for k in sorted(got)]
        if short:
            _say_left_out(signals, sorted(short, key=lambda s: s[0]), ruled, stacklevel=3)
    return [np.asarray(got[k], dtype=np.float64) for k in sorted(got)]


def _signal_runs(signals: Sequence[Any], keep: Sequence[int]) -> list[list[int]]:
    """``keep`` (positions in ``signals``) cut into runs of consecutive positions whose
    signals have one shape, rate and montage: what a set's ``features_of_many`` computes in
    one call (a signal left out between two does not end a run)."""
    runs: list[list[int]] = []
    last = None
    for k in keep:
        sig = signals[k]
        key = (np.shape(sig.data), float(sig.rate), tuple(getattr(sig, "channels", ()) or ()))
        if runs and key == last:
            runs[-1].append(k)
        else:
            runs.append([k])
        last = key
    return runs


def _ruled_out(signals: Sequence[Any], too_short=None) -> list[TooShortError | None]:
    """Per signal of an input, why the tail rule (``too_short(signal)``) leaves it out before
    any set sees it, or ``None``: only among signals it keeps (the only signal, or signals
    all that short, keep their only window, as each set takes it)."""
    ruled = [None if too_short is None or len(signals) == 1 else too_short(s) for s in signals]
    if all(exc is not None for exc in ruled):
        ruled = [None] * len(signals)
    return ruled


def _pieces_of_signals(signals: Sequence[Any], pieces_of, too_short=None, ruled=None
                       ) -> tuple[list[Piece], float]:
    """The pieces ``pieces_of(k, signal)`` of an input's signals and the seconds analysed. A
    signal too short for a set is left out with a warning when the input has others that are
    not: a stretch of a recording between two gaps (Muse timestamp gaps, ``BAD_ACQ_SKIP``)
    may be a fraction of a second, and failed the whole recording. An input whose signals
    are all too short fails with the first one's error, a set's where the sets refused the
    signals the rule left them. ``too_short(signal)``: the error of a signal left out before
    any set sees it (:meth:`Plan.short_stretch`), where the input has signals it keeps (the
    only signal, or signals all that short, keep their only window, as each set takes it);
    ``ruled``: those errors decided already (:func:`_ruled_out`)."""
    pieces: list[Piece] = []
    short: list[tuple[int, TooShortError]] = []
    if ruled is None:
        ruled = _ruled_out(signals, too_short)
    for k, sig in enumerate(signals):
        if ruled[k] is not None:
            short.append((k, ruled[k]))
            continue
        try:
            pieces += pieces_of(k, sig)
        except TooShortError as exc:
            if len(signals) == 1:
                raise
            short.append((k, exc))
    if not short:
        return pieces, sum(s.duration for s in signals)
    left = _say_left_out(signals, short, ruled)
    return pieces, sum(s.duration for k, s in enumerate(signals) if k not in left)


def _say_left_out(signals: Sequence[Any], short: list[tuple[int, TooShortError]],
                  ruled: Sequence[TooShortError | None], stacklevel: int = 4) -> set[int]:
    """Warn of the signals ``short`` (``(k, error)``) left out of an input's ``signals``
    and return their ``k``; all of them: raise, a set's error where the sets refused the
    signals the rule (``ruled``) left them. One warning per reason, the tail rule's in its
    words and the sets' in theirs: one warning in the first one's words put a stretch a set
    refused under the rule. ``stacklevel``: as :func:`warnings.warn`'s."""
    if len(short) == len(signals):
        # the sets refused what the rule left them: that fails the input, not the rule
        raise next((exc for k, exc in short if ruled[k] is None), short[0][1])
    import warnings

    reasons: dict[bool, list[tuple[int, TooShortError]]] = {}
    for k, exc in short:
        reasons.setdefault(ruled[k] is not None, []).append((k, exc))
    for some in reasons.values():
        exc = some[0][1]
        # the first few named, the rest counted: an hour of an OpenBCI file with 1 % of its
        # packets lost named some 4,000 stretches here
        epochs = ", ".join(str(signals[k].meta.get("epoch", k)) for k, _ in some[:SHOWN])
        if len(some) > SHOWN:
            epochs += f" and {len(some) - SHOWN} more"
        warnings.warn(f"{exc.source}: {len(some)} of {len(signals)} epochs left out "
                      f"(epoch {epochs}), too short: {exc.problem}", UserWarning,
                      stacklevel=stacklevel)
    return {k for k, _ in short}


def _window_pieces(plan: Plan, exts: Sequence[Any], sig: Any, own, spans,
                   flat: dict[str, Any]) -> list[Piece]:
    """The windows of one signal from sets that compute all the windows of a signal in one
    call (``features_of_windows(signal, spans)`` -> rows ``(n_windows, n_features)``, one row
    per window: EEG sets, whose overlapping windows share work), as one piece whose ``start``
    and ``end`` are arrays, one value per row (:func:`assemble` spreads them).

    The sets leave the windows' flat channels in the dict they share (``"flat"``: ``{name:
    windows}``) rather than warn: they are added to the input's ``flat`` (``"windows"``, and
    ``"channels"``: ``{name: windows}``), said once for the recording whatever its gaps (a
    Muse file with 9 gaps and AF7 flat gave 10 warnings, one per gap-free stretch)."""
    blocks = []
    rate = sig.rate
    samples = np.asarray(spans, dtype=np.int64).reshape(-1, 2)
    shared: dict[int, dict] = {}  # per signal: what its sets share (bad channels of windows)
    for ext in exts:
        s = own(ext)
        # the samples _window would cut from this set's own signal (round half to even, as
        # Python's round)
        own_spans = (samples if s.rate == rate
                     else np.round(samples / rate * s.rate).astype(np.int64))
        blocks.append(np.asarray(ext.features_of_windows(s, own_spans,
                                                         shared=shared.setdefault(id(s), {})),
                                 dtype=np.float64))
    rows = blocks[0] if len(blocks) == 1 else np.concatenate(blocks, axis=1)
    here: dict[str, int] = {}  # each set's signal (its own rate) flat in the same windows
    for got in shared.values():
        for name, k in got.get("flat", {}).items():
            here[name] = max(here.get(name, 0), k)
    flat["windows"] += rows.shape[0]
    if here:  # the window path's sets say what their features are (NaN: FLAT_NAN)
        from .extractors.eeg_sets import flat_words

        for ext in exts:
            said = flat_words(ext)
            if said:  # eeg_stats (None) gives a flat channel values and says nothing
                flat["said"].setdefault(said, None)
    for name, k in here.items():
        flat["channels"][name] = flat["channels"].get(name, 0) + k
    clock = _clock(sig)
    meta = ({"start": clock + samples[:, 0] / rate, "end": clock + samples[:, 1] / rate}
            if plan.timed else {})
    meta.update(sig.meta)
    return [Piece(meta, rows, np.empty(0), count=rows.shape[0])]


def signals_unit(item: Any) -> str:
    """What an EEG input's several signals are, as its flat-channel warning counts them:
    the ``"epochs"`` of an epochs file (``-epo.fif``, an EEGLAB ``.set``: read whole, a
    continuous one is one signal), an MNE Epochs or an array of epochs; else the ``"gap-free
    stretches"`` of a continuous recording: a CSV's timestamp gaps, an OpenBCI ``.txt``'s
    packet losses, a raw file's or Raw object's ``BAD_ACQ_SKIP`` holes and ``EDGE`` joins,
    an :class:`~emofeat.eeg_input.EEGRecording`'s breaks. (Until session 53 only a CSV and
    an ``EEGRecording`` were said so: an OpenBCI file's and a joined raw FIF's stretches
    were counted as "epochs".)"""
    import sys

    from .eeg_input import EEGRecording, is_epochs_fif

    stretches = "gap-free stretches"
    if isinstance(item, str | os.PathLike):
        epochs = is_epochs_fif(item) or os.fspath(item).lower().endswith(".set")
        return "epochs" if epochs else stretches
    if isinstance(item, EEGRecording):
        return stretches
    mne = sys.modules.get("mne")  # an MNE object is made with MNE imported
    if mne is not None and isinstance(item, mne.io.BaseRaw):
        return stretches
    return "epochs"


def _flat_of(plan: Plan, reader: Any, several: bool, item: Any = None) -> dict[str, Any]:
    """What :func:`_window_pieces` and :func:`_gathering` gather of an input's flat
    channels, for :func:`_warn_flat_windows`: ``windows`` (rows counted: windows, or whole
    signals, ``unit``: of ``item``, :func:`signals_unit`), ``channels`` (``{name: rows
    flat in}``), ``said`` (what the sets' reports said of the features), ``sets`` (the
    run's, named with what they said) and ``messages`` (the reports,
    :class:`~emofeat.flat_channels.FlatChannel`, by their warning's text). ``gather``: the
    sets' reports of whole signals are gathered (an EEG input of ``several`` signals, its
    epochs or gap-free stretches, or sets)."""
    eeg = reader.modality == "eeg"
    return {"windows": 0, "channels": {}, "said": {}, "messages": {},
            "unit": "windows" if plan.segments is not None else signals_unit(item),
            "gather": eeg and several, "eeg": eeg, "sets": plan.extractors}


@contextlib.contextmanager
def _gathering(flat: dict[str, Any], every: bool = False):
    """Count one row (a whole signal, or a window with ``every`` for an EEG input) of
    ``flat``, the sets' reports of its flat channels gathered
    (:func:`emofeat.flat_channels.flat_reports`) to be said once for the input
    (:func:`_warn_flat_windows`): a recording with 9 gaps and AF7 flat, or an epochs file,
    gave a warning per stretch or epoch and set. A block that fails leaves its flat channels
    unsaid (its signal has no row)."""
    if not (flat["gather"] or (every and flat["eeg"])):
        yield
        return
    from .flat_channels import flat_reports

    with flat_reports() as said:
        yield
    flat["windows"] += 1
    for name in dict.fromkeys(report.channel for report in said):
        flat["channels"][name] = flat["channels"].get(name, 0) + 1
    for report in said:
        flat["said"].setdefault(report.said, None)
        flat["messages"].setdefault(report.message, report)


@contextlib.contextmanager
def flat_said_once(signals: Sequence[Any], ext: Any, unit: str = "epochs",
                   counted: Sequence[Any] | None = None):
    """A set's (``ext``) ``transform`` of one input's EEG ``signals``: the flat-channel
    warnings of its several signals (its epochs, or the gap-free stretches of a recording
    with gaps, ``unit``: :func:`signals_unit`) said once for the input, counting its
    signals, as a run says them (:func:`_warn_flat_windows`): ``transform(['gaps.csv'])``
    gave one per stretch. An input of one signal keeps the set's own words. One input's
    signals only: ``transform(['gaps.csv', 'gaps.csv'])`` said '20 of 20'. ``counted``:
    the signals that gave rows, filled in the block (a signal left out is not counted, as
    a run counts rows); ``None``: all of ``signals``."""
    n: dict[str, int] = {}
    for sig in signals:
        n[sig.source] = n.get(sig.source, 0) + 1
    if all(k == 1 for k in n.values()):
        yield
        return
    from .flat_channels import flat_reports

    with flat_reports() as said:
        yield
    if counted is not None:
        n = {}
        for sig in counted:
            n[sig.source] = n.get(sig.source, 0) + 1
    flats = {src: {"windows": k, "channels": {}, "said": {}, "messages": {}, "unit": unit,
                   "sets": [ext]} for src, k in n.items() if k > 1}
    for report in said:
        flat = flats.get(report.source)
        if flat is None:
            report.show()
        else:  # a set reports once per signal and channel: the signals it is flat in
            flat["channels"][report.channel] = flat["channels"].get(report.channel, 0) + 1
            flat["said"].setdefault(report.said, None)
    for source, flat in flats.items():
        _warn_flat_windows(source, flat)


def _warn_flat_windows(source: str, flat: dict[str, Any]) -> None:
    """The one flat-channel warning of a recording cut into windows (:func:`_window_pieces`
    gathered ``flat``), or of its epochs or gap-free stretches and sets
    (:func:`_gathering`), worded as a set's own (``flat_windows_message``). A single
    signal's is the sets' own words, each said once (their sets alike say one)."""
    if not flat["channels"]:
        return
    import warnings

    from .extractors.eeg_sets import FLAT_NAN, flat_windows_message
    from .readers import EEGChannelWarning

    if flat["unit"] != "windows" and flat["windows"] == 1:
        for report in flat["messages"].values():
            report.show()
        return
    warnings.warn(flat_windows_message(source, flat["channels"], flat["windows"],
                                       flat["unit"], list(flat["said"]) or [FLAT_NAN],
                                       flat.get("sets", ())),
                  EEGChannelWarning, stacklevel=2)


def _segment_of(label: str, ext: Any, signals: Sequence[Any], span: tuple[float, float]
                ) -> list[Any]:
    """Seconds ``span`` of an EEG recording read whole (a manifest segment): of the recording,
    or of each of its epochs (an epochs file or object: time-locked, a row per epoch). A
    recording cut at gaps or joins whose stretches are timed on its one clock (``offset``:
    MNE's ``raw.times``, a CSV's timestamps, an OpenBCI board's clock) is cut on that clock
    (:func:`_joined_segment`): a span within one gap-free stretch gives its samples there, a
    span across a gap or a join is refused naming them. One whose stretches are not timed
    (made in Python with ``breaks`` alone) is refused: the span cut from each stretch gave
    a row per stretch, all under the manifest's one row."""
    cut = [s for s in signals if getattr(s, "stretch", False)]
    if cut and len(cut) == len(signals) and all(s.offset is not None for s in cut):
        return [_joined_segment(label, ext, cut, span)]
    if cut:
        what = (f"whose samples are {len(signals)} gap-free stretches, samples missing "
                "between them" if len(signals) > 1 else
                "that starts with a gap (MNE's BAD_ACQ_SKIP): its first samples are missing")
        raise EEGReadError(
            label, f"a segment (start {span[0]:g} s, end {span[1]:g} s) of a recording with "
            f"gaps {what}, and no clock that times them (breaks given without "
            "stretch_starts), so the segment is not cut. List that recording without "
            "start/end (in a manifest of its own) and cut it into windows (each window "
            "within a stretch, epoch numbering the stretch), or save the part you want as a "
            "recording of its own")
    if signals and all(span[0] >= s.duration for s in signals):
        longest = f"{max(s.duration for s in signals):.3f} s"
        of = (f"each of its {len(signals)} epochs (the longest {longest})"
              if len(signals) > 1 else f"the recording ({longest})")
        raise EEGReadError(label, f"segment starts at {span[0]} s, after the end of {of}")
    return [_window(ext, s, *span) for s in signals]


def _joined_segment(label: str, ext: Any, stretches: Sequence[Any],
                    span: tuple[float, float]) -> Any:
    """Seconds ``span`` of a recording cut into gap-free ``stretches`` timed on its one
    clock (each stretch's ``offset``: raws joined end to end, whose ``EDGE boundary`` takes
    no sample; MNE's ``BAD_ACQ_SKIP`` holes; a CSV's timestamp gaps; an OpenBCI file's
    packet losses), placed on that clock as MNE's ``raw.times`` and ``raw.crop`` place it:
    the samples of one stretch, as one signal of the recording (no ``epoch``), or a refusal
    naming the file, the segment and the join or gap it crosses or starts in (its samples
    would not be one stretch of contiguous samples, which no window of the recording mixes)."""
    import dataclasses

    from ._wording import clock_seconds
    from .readers import _kept_flags, stretch_clock_of

    t0, t1 = span
    rate = stretches[0].rate
    # the gaps' edges as the recording's clock gives them (not rounded to samples): each
    # stretch's samples lie at its offset + j / rate, and the span is cut from the stretch
    # on those times, so a gap's edges, its remedies and the cut agree
    first = [float(s.offset) for s in stretches]
    last = [f + s.n_times / rate for f, s in zip(first, stretches, strict=True)]
    sizes = [s.n_times for s in stretches]
    cuts = [(_sample_in(t0, f, rate), _sample_in(t1, f, rate)) for f in first]
    k = next((j for j, ((a, _), n) in enumerate(zip(cuts, sizes, strict=True)) if a < n),
             len(stretches) - 1)
    a, b = cuts[k]
    segment = f"the segment (start {t0:g} s, end {t1:g} s)"
    joins, unknown = stretch_clock_of(stretches[k])
    if a >= sizes[k] and not unknown:
        raise EEGReadError(label, f"segment starts at {t0} s, after the end of the recording "
                                  f"({last[-1]:.3f} s)")
    if unknown:
        # its stretch's start on the clock is only the earliest it can be (an OpenBCI loss
        # counted modulo the counter's turn): the samples there are not those at that time
        raise EEGReadError(
            label, f"{segment} lies after a break of the recording whose length is not "
                   f"known, {unknown}: where the samples after it lie on the clock is not "
                   "known, so no segment is placed there (its windows, without start/end, "
                   "are timed from the earliest)")
    if a < 0:
        # no sample there: a hole at the start, or a gap between two stretches
        since = last[k - 1] if k else 0.0
        raise EEGReadError(
            label, f"{segment} starts in a gap of the recording, from "
                   f"{clock_seconds(since)} s to {clock_seconds(first[k])} s, where no sample "
                   f"was recorded: start it at {clock_seconds(first[k], 'up')} s or "
                   "later")
    if k < len(stretches) - 1 and b > sizes[k]:
        # the times offered are the gap's edges (the first sample after it rounded up, the
        # end of the last before it down): typed back, they cut those stretches' samples
        end_by = clock_seconds(last[k], "down")
        start_at = clock_seconds(first[k + 1], "up")
        after = stretch_clock_of(stretches[k + 1])[1]
        if after:
            raise EEGReadError(
                label, f"{segment} spans a break of the recording whose length is not "
                       f"known, {after}: where the samples after it lie on the clock is not "
                       f"known; end it by {end_by} s")
        touching = _sample_in(first[k + 1], first[k], rate) == sizes[k]
        if joins or (joins is None and touching):
            raise EEGReadError(
                label, f"{segment} crosses the join of two raws at {end_by} s (the EDGE "
                       "boundary of mne.concatenate_raws): its samples would be of two "
                       "recordings; end it by that time, or start it there")
        if touching:
            raise EEGReadError(
                label, f"{segment} crosses a break of the recording at {end_by} s where its "
                       "clock shows no sample missing (the EDGE boundary of raws joined by "
                       "mne.concatenate_raws, say): its samples would be of two stretches; "
                       "end it by that time, or start it there")
        raise EEGReadError(
            label, f"{segment} spans a gap of the recording, from {clock_seconds(last[k])} s "
                   f"to {clock_seconds(first[k + 1])} s, where no sample was recorded: its "
                   f"samples would not be contiguous; end it by {end_by} s, or start it at "
                   f"{start_at} s or later")
    s = stretches[k]
    whole = _kept_flags(dataclasses.replace(s, meta={}, stretch=False, offset=None), s)
    return ext.reader().window(whole, a, b)


def _sample_in(t: float, offset: float, rate: float) -> int:
    """The sample of a stretch starting at ``offset`` s (on its recording's clock) nearest
    ``t`` s, as :func:`_window` rounds: of a stretch on the recording's sample grid (a join
    of raws, an MNE hole, an OpenBCI loss of whole samples) the index the unbroken
    recording's cut gives; of one off it (a CSV's timestamps) from its own first sample
    (the grid's index was up to half a sample off the samples' times: a gap said to begin at
    857.84717 s was offered 'end it by 857.848982 s' on Muse subjectb-relaxed-2)."""
    grid = offset * rate
    if abs(grid - round(grid)) < 1e-6:
        return int(round(t * rate)) - int(round(grid))
    return int(round((t - offset) * rate))


def _window(ext: Any, signal: Any, t0: float, t1: float) -> Any:
    """Seconds ``[t0, t1)`` of a timed signal, at the signal's own rate."""
    rate = signal.rate
    return ext.reader().window(signal, int(round(t0 * rate)), int(round(t1 * rate)))


def _min_seconds(exts: Sequence[Any], rate: float | None = None) -> float:
    """The shortest signal every set can analyse, in seconds: each set's ``min_samples()``
    at its own rate (``sr``, ``sfreq``), or, for an EEG set without one (it reads every
    recording at the recording's rate), ``min_samples(rate)`` at the signal's ``rate``."""
    out = 0.0
    for e in exts:
        own = getattr(e, "sr", None) or getattr(e, "sfreq", None)
        if own:
            out = max(out, int(getattr(e, "min_samples", lambda: 1)()) / float(own))
        elif rate and getattr(e, "modality", "") == "eeg" and hasattr(e, "min_samples"):
            out = max(out, int(e.min_samples(float(rate))) / float(rate))
    return out


#: a later window of an audio input (its tail) shorter than this is dropped, whatever the
#: sets: the longest frame an audio set reads at its defaults is eGeMAPS's 60 ms pitch frame
#: (paa 50 ms, mfcc 25 ms, rqa 20 ms; librosa and prosody zero pad a shorter input to their
#: frame, which is then mostly padding). Each set's own minimum made the rows of one file
#: differ between sets: a 10 ms tail was an all-NaN eGeMAPS row, a row of librosa and
#: prosody, and no row of mfcc, paa and rqa_speech, so their tables did not join
AUDIO_TAIL_SECONDS = 0.06


#: a later window of an EEG recording (its tail) of this many seconds or less is dropped,
#: whatever the sets: the band sets' delta band (1-4 Hz) gets no frequency bin from a
#: quarter second or less at any rate (their minimum, ``floor(rate / 4) + 1`` samples: 65
#: at 256 Hz), where rqa_eeg takes 3 samples, Hjorth and eeg_stats 4 and eeg_spectral 12
#: (47 ms: two frequency bins in its range).
#: Each set's own minimum made the rows of one recording differ between sets: a 0.2 s
#: tail was a row of eeg_hjorth and eeg_stats and no row of eeg_bands, so their tables did
#: not join
EEG_TAIL_SECONDS = 0.25


@dataclass(frozen=True)
class TailRule:
    """A modality's rule for the tail window of a ``--segment`` run (a window after the
    first), the same for every set: what :func:`tail_seconds` applies, the windows' record
    (:meth:`FixedSegments.describe`'s ``tail``) and the words of a refusal of an output
    recorded before it (:func:`emofeat.store.tail_rule_said`) come from one place."""

    #: the tail's length in seconds the rule is stated by
    seconds: float
    #: whether a tail of exactly :attr:`seconds` (at the rate's whole samples) is dropped
    #: too: EEG's quarter second is what the band sets cannot analyse, audio's 60 ms is a
    #: frame they can
    or_less: bool
    #: when outputs began recording it: outputs written before are refused on resume
    since: str
    #: when outputs of recordings read whole (no windows) began recording it, where the rule
    #: also leaves out a short gap-free stretch among longer ones of a recording read whole
    #: (EEG): recorded as ``{"tail": seconds}`` where the windows' record would be ``None``.
    #: ``None``: inputs read whole are not cut (audio)
    stretches_since: str | None = None

    def shortest(self, rate: float) -> float:
        """Seconds of the shortest tail kept, its length counted at ``rate``."""
        if self.or_less:
            return (math.floor(self.seconds * rate) + 1) / rate  # one sample over
        return self.seconds

    def said(self) -> str:
        """The tails it drops, in words: ``'a tail of 250 ms or less'``."""
        ms = f"{self.seconds * 1000:g} ms"
        return f"a tail of {ms} or less" if self.or_less else f"a tail under {ms}"

    def stretches_said(self) -> str:
        """The stretches it leaves out of a recording read whole, in words: ``'a gap-free
        stretch of 250 ms or less among longer ones'``."""
        ms = f"{self.seconds * 1000:g} ms"
        what = f"of {ms} or less" if self.or_less else f"under {ms}"
        return f"a gap-free stretch {what} among longer ones"


#: each timed modality's :class:`TailRule`
TAIL_RULES = {
    # applied 22 minutes before it was recorded (7ad05b3, 2026-12-06 01:47:39 UTC): not all
    # such rows predate it, and the day alone was untrue for that day's outputs
    "audio": TailRule(AUDIO_TAIL_SECONDS, or_less=False, since="2026-12-06 01:48 UTC"),
    # stretches_since: the commit that applied it to recordings read whole and recorded it
    "eeg": TailRule(EEG_TAIL_SECONDS, or_less=True, since="2026-12-06 04:00 UTC",
                    stretches_since="2026-12-06 06:54 UTC"),
}


def tail_seconds(exts: Sequence[Any], segments: FixedSegments, rate: float) -> float:
    """Seconds below which a window after the first (the input's tail) is dropped, its
    length counted at ``rate`` (the windows' grid): the sets' own minimum
    (:func:`_min_seconds`), and at least their modality's :class:`TailRule`, but never
    more than a whole window: a full window is never dropped, it is analysed or refused as
    the first is. The sets' minimum is the length from which *every* longer one can be
    analysed; a window shorter than it may still be (eeg_spectral at 8-13 Hz: 90 samples
    at 256 Hz hold two bins, its minimum is 99), and such windows after the first were
    dropped without a word (169 windows of a Muse recording gave 1 row, session 57)."""
    shortest = _min_seconds(exts, rate)
    rule = tail_rule(exts)
    whole = max(1, round(segments.segment * rate)) / rate  # FixedSegments.spans' window
    if rule is not None:
        shortest = max(shortest, rule.shortest(rate))
    return min(shortest, whole)


def tail_rule_moot(exts: Sequence[Any], rate: Any) -> bool:
    """Whether ``exts`` give the same windows at ``rate`` with and without the EEG tail rule:
    EEG sets whose own minimum is at least the rule's, ``floor(rate / 4) + 1`` samples (the
    band sets: eeg_bands, eeg_de, eeg_asymmetry with their default bands). An output of
    them written before the rule was recorded holds the rows a run gives now. Audio sets'
    minimum is not counted at the recording's rate: never moot for them, nor where ``rate``
    is not a number (none recorded)."""
    rule = tail_rule(exts)
    if (not isinstance(rate, int | float) or isinstance(rate, bool)
            or rule is not TAIL_RULES["eeg"]):
        return False
    rate = float(rate)
    if not (math.isfinite(rate) and rate > 0):  # a provenance edited by hand: NaN, inf
        return False
    least = round(rule.shortest(rate) * rate)
    return all(int(e.min_samples(rate)) >= least for e in exts)


def recorded_tail_rule_moot(was: dict[str, Any], now: Any,
                            tail_moot: Callable[[Any], bool] | None = None) -> bool:
    """Whether windows recorded as ``was`` (a table's or an output's provenance) differ from
    windows whose segments are recorded as ``now`` only by lacking the tail rule
    (:func:`emofeat.store.tail_rule_said`), and give the same rows under both:
    ``tail_moot(rate)`` at ``was``'s ``sfreq``, by default :func:`tail_rule_moot` of the
    sets ``was`` records, made again by the registry
    (:func:`emofeat.registry.sets_of_record`). Resume and :meth:`FeatureTable.concat`
    accept such a record (the band sets' outputs written before the rule)."""
    from .store import tail_rule_said

    if not tail_rule_said(was.get("segments"), now):
        return False
    if tail_moot is None:
        from .registry import sets_of_record

        exts = sets_of_record(was.get("sets"))
        if not exts:
            return False
        tail_moot = functools.partial(tail_rule_moot, exts)
    return bool(tail_moot(was.get("sfreq")))


def tail_rule(exts: Sequence[Any]) -> TailRule | None:
    """The :class:`TailRule` of ``exts``'s windows (one modality, as a run checks:
    :func:`emofeat.extractor.check_same_modality`), ``None`` for texts (not cut in
    windows) or no sets."""
    return TAIL_RULES.get(check_same_modality(exts)) if exts else None


def recorded_tail_rule(seconds: Any) -> TailRule | None:
    """The :class:`TailRule` a windows' record's ``tail`` names, ``None`` where none does."""
    return next((r for r in TAIL_RULES.values() if r.seconds == seconds), None)


def _audio_file_paths(plan: Plan, path: Any, span: tuple[float, float] | None,
                      streams: dict[str, ForwardStream | None] | None = None
                      ) -> dict[str, Any] | None:
    """The audio-file paths that read from disk piece by piece: manifest segments, windows
    of a long file, long files in blocks. ``None``: read the file whole."""
    exts = plan.extractors
    if span is not None:
        return _process_spans(plan, path, [span], None, manifest=True,
                              stream=_stream_for(streams, path))
    if plan.long_file_seconds is None:
        return None
    got = file_frames(path)
    if got is None or got[0] / got[1] <= plan.long_file_seconds:
        return None
    frames, rate = got
    seconds = frames / rate
    if plan.segments is not None:
        # the windows of the whole file decoded at the first set's rate, as in memory: a
        # grid of milliseconds cut the last window short by up to half a millisecond
        spans = plan.segments.file_spans(frames, rate, getattr(exts[0], "sr", None))
        # a stream libsndfile cannot seek in is read forward once, window after window:
        # each window read from the file opened afresh decoded it from its start (G.721 at
        # about 190x real time: hours for the windows of an hour), and decoded whole it was
        # held in memory whole
        stream = None if file_seekable(path) else ForwardStream(os.fspath(path))
        try:
            return _process_spans(plan, path, spans, seconds, stream=stream)
        finally:
            if stream is not None:
                stream.close()
    if all(supports_blocks(e) for e in exts):
        return _process_blocks(plan, path)
    return None


def _stream_for(streams: dict[str, ForwardStream | None] | None, path: Any
                ) -> ForwardStream | None:
    """The file of a manifest's segment held open where libsndfile cannot seek in it, so that
    its next segments in the shard, in rising order, go on decoding where the last one
    ended (each decoded the file from its start: 37 s for a 3 s segment at the end of an
    hour of G.721). One file is held, the last one's: ``streams`` is the shard's."""
    if streams is None:
        return None
    key = os.fspath(path)
    if key not in streams:
        for held in streams.values():
            if held is not None:
                held.close()
        streams.clear()
        # not opened unless a regular file: a named pipe would block (read_span says)
        regular = os.path.isfile(key)
        streams[key] = None if not regular or file_seekable(key) else ForwardStream(key)
    return streams[key]


def _process_spans(plan: Plan, path: str | os.PathLike, spans: Sequence[tuple[float, float]],
                   duration: float | None, manifest: bool = False,
                   stream: ForwardStream | None = None) -> dict[str, Any]:
    """Audio segments read one by one from disk (manifest segments, or windows of a long
    file; ``duration``: of the whole file, ``None`` to count the segments' own; ``stream``:
    the file held open, read forward, where libsndfile cannot seek in it)."""
    exts = plan.extractors
    pieces, first = [], None
    rate = float(exts[0].sr)  # the windows' grid (FixedSegments.file_spans)
    shortest = 0.0 if manifest else tail_seconds(exts, plan.segments, rate)
    # the sets' warnings, naming the windows (or the manifest's segment), once
    said = WindowWarnings(os.fspath(path), "segment" if manifest else "window")
    for k, (t0, t1) in enumerate(spans):
        # a tail window too short to analyse, counted in samples as the in-memory cut counts
        # it: in seconds, a 400-sample tail at 16 kHz was 1.025 - 1.0 = 0.02499999999999991 s,
        # shorter than one 400-sample frame, and dropped here while the in-memory cut kept it
        if not manifest and k and (round(t1 * rate) - round(t0 * rate)) / rate < shortest:
            continue
        cache: dict[int, Any] = {}

        def audio_of(ext: Any, t0: float = t0, t1: float = t1, cache: dict = cache) -> Any:
            sr = int(ext.sr)
            if sr not in cache:
                # the samples of the whole file resampled and cut, as a shorter file's windows
                # are cut; a manifest segment too: resampled on its own, its first and last
                # milliseconds held the resampler's edge effects (MFCCs of its first and last
                # frames off by a median 1-3 dB). No cost where no resampling is needed
                cache[sr] = read_span(path, sr, t0, t1, resample=getattr(ext, "resample", True),
                                      context=SPAN_CONTEXT, stream=stream)
            return cache[sr]

        try:
            for ext in exts:
                audio_of(ext)
        except CAUGHT as exc:
            # the earlier windows' warnings, said; under an error filter one would raise
            # here and be reported in place of the read error that failed the input
            with contextlib.suppress(Warning):
                said.say()
            return {"ok": False, "stage": "read", "exc": exc}
        au = cache[int(exts[0].sr)]
        first = first or au
        try:
            with said.window(t0, t1):
                rows, times = rows_of(exts, audio_of)
        except CAUGHT as exc:
            return {"ok": False, "stage": "extract", "exc": exc}
        # a window's end as the in-memory cut gives it (its samples over the rate: t0 + the
        # duration was 2.0999999999999996 for 2.1); a manifest segment's as read (the file
        # may end before it)
        pieces.append(_piece(plan, au, t0, t0 + au.duration if manifest else t1, rows, times))
    try:
        said.say()
    except CAUGHT as exc:  # a warning the caller's filters make an error
        return {"ok": False, "stage": "extract", "exc": exc}
    return {"ok": True, "pieces": pieces,
            "duration": duration if duration is not None else first.duration}


def _process_blocks(plan: Plan, path: Any) -> dict[str, Any]:
    """A long audio file, block by block, one set after the other."""
    parts, times, stub = [], None, None
    for ext in plan.extractors:
        try:
            rows, t, stub = blockwise_features(ext, path, block_seconds=plan.block_seconds)
        except CAUGHT as exc:
            return {"ok": False, "stage": "extract", "exc": exc}
        if parts and t.size and times is not None and times.size:
            rows = align_frames(rows, t, times)
        parts.append(rows)
        times = t if times is None else times
    rows = parts[0] if len(parts) == 1 else np.concatenate(parts, axis=1)
    piece = Piece({"start": 0.0, "end": stub.duration, **stub.meta}, rows, times)
    return {"ok": True, "pieces": [piece], "duration": stub.duration}


# ------------------------------------------------------------------------------ a shard
def error_row(label: str, res: dict[str, Any]) -> tuple[str, str, str, str]:
    exc = res["exc"]
    message = exc.problem if isinstance(exc, InputError) else str(exc)
    return (label, res["stage"], type(exc).__name__, message)


def identity_columns(plan: Plan) -> dict[str, str]:
    """The columns every run adds to the manifest's, with their dtypes."""
    extra = {"start": "float64", "end": "float64"} if plan.timed else {}
    extra.update(plan.meta_columns)
    if plan.level == "lld":
        extra.update(frame="int64", time="float64")
    return extra


@dataclass
class Rows:
    """The rows of some inputs before they become a table: where each row's identity is in
    the manifest, the feature blocks, and the identity columns the pieces add (numpy).

    A serial run without an output keeps one per shard and makes the table once at the end
    (:func:`table_of`): no pandas index, column inserts and table checks per shard."""

    owner: np.ndarray  # row of the manifest (``ident``) each output row belongs to
    blocks: list[np.ndarray]  # feature rows, in order
    columns: dict[str, np.ndarray]  # added identity columns, one value per row, typed

    @classmethod
    def concat(cls, parts: Sequence[Rows]) -> Rows:
        parts = list(parts)
        if len(parts) == 1:
            return parts[0]
        return cls(np.concatenate([p.owner for p in parts]),
                   [b for p in parts for b in p.blocks],
                   {c: np.concatenate([p.columns[c] for p in parts]) for c in parts[0].columns})


def gather(plan: Plan, ident_columns: Any, done: list[tuple[int, dict]],
           positions: Sequence[int] | None = None) -> Rows:
    """:class:`Rows` of some inputs (``done``: local row in the shard's manifest, result;
    ``positions``: the shard's rows in the whole manifest, to point ``owner`` there)."""
    rows, owner, counts = [], [], []
    # one value per piece, repeated over its rows at the end (a run cut in windows has one
    # piece per window: thousands of small arrays otherwise)
    extra = identity_columns(plan)
    added: dict[str, list[Any]] = {c: [] for c in extra}
    frames: dict[str, list[np.ndarray]] = {"frame": [], "time": []}
    for i, res in done:
        for p in res["pieces"]:
            n = p.rows.shape[0]
            rows.append(p.rows)
            owner.append(i if positions is None else positions[i])
            counts.append(n)
            for col, value in p.meta.items():
                if col in added:
                    added[col].append(value)
            if plan.level == "lld":
                frames["frame"].append(np.arange(n, dtype=np.int64))
                frames["time"].append(np.asarray(p.times, dtype=np.float64))
    counts_a = np.asarray(counts, dtype=np.int64)
    n_rows = int(counts_a.sum())
    columns: dict[str, np.ndarray] = {}
    for col, dtype in extra.items():
        if col in ident_columns:
            continue
        if plan.level == "lld" and col in frames:
            values = np.concatenate(frames[col]) if frames[col] else np.zeros(0)
        elif len(added[col]) == len(counts) and any(isinstance(v, np.ndarray)
                                                     for v in added[col]):
            # pieces of many windows give one value per row (compute._window_pieces)
            values = np.concatenate([v if isinstance(v, np.ndarray) else np.repeat(v, c)
                                     for v, c in zip(added[col], counts, strict=True)])
        elif len(added[col]) == len(counts):
            values = np.repeat(np.asarray(added[col]), counts_a)
        else:  # a column some pieces lack: what the pieces give, in order
            values = np.asarray(added[col])
        values = values.astype(dtype) if len(values) else np.zeros(n_rows, dtype=dtype)
        if len(values) != n_rows:
            raise ValueError(f"Length of values ({len(values)}) does not match length of "
                             f"index ({n_rows})")
        columns[col] = values
    return Rows(np.repeat(np.asarray(owner, dtype=np.int64), counts_a), rows, columns)


def table_of(plan: Plan, ident: pd.DataFrame | Columns, rows: Rows) -> FeatureTable:
    """The table of :class:`Rows` (``ident``: the manifest ``rows.owner`` points into)."""
    index_names = None
    if isinstance(ident, Columns) and ident.data:
        # the rows' cells taken from the manifest's arrays, then one frame with the added
        # columns: not a frame of the whole manifest first, then a take of each column (the
        # same frame: to_pandas converts cell by cell)
        index = ident.take(rows.owner).to_pandas(rows.columns)
        # the frame's column names as made (iterating its Index of Arrow strings: 40 us)
        index_names = [*ident.data, *rows.columns]
    elif isinstance(ident, Columns):
        return table_of(plan, ident.to_pandas(), rows)
    elif ident.columns.is_unique:
        # the manifest's columns taken row by row (dtypes kept: categories, nullable
        # integers, strings) and the added ones, in one frame: a third of the time of
        # ``iloc`` and a column insert per added column
        cols = {c: ident[c].array.take(rows.owner) for c in ident.columns}
        cols.update(rows.columns)
        index = frame_of(cols, len(rows.owner))
    else:  # pragma: no cover - a manifest with repeated column names
        index = ident.iloc[rows.owner].reset_index(drop=True)
        for col, values in rows.columns.items():
            index[col] = values
    X = rows.blocks[0] if len(rows.blocks) == 1 else np.concatenate(rows.blocks, axis=0)
    if X.ndim == 2 and (plan.name_set is not None or set(map(type, plan.names)) <= {str}):
        # names checked distinct by the runner, the index made here: not checked again
        return FeatureTable._of_checked(X, plan.names, index, plan.provenance, plan.name_set,
                                        index_names=index_names)
    return FeatureTable(X=X, feature_names=plan.names, index=index, provenance=plan.provenance)


def assemble(plan: Plan, ident: pd.DataFrame, done: list[tuple[int, dict]]) -> FeatureTable:
    """One table from the results of some inputs (``done``: local row in ``ident``, result)."""
    return table_of(plan, ident, gather(plan, ident.columns, done))


@dataclass
class _Batch:
    """The results of a shard of untimed inputs computed at once: the inputs that succeeded
    (local rows of the shard), their feature rows, and the failures in input order."""

    ok: np.ndarray
    X: np.ndarray
    failed: list[tuple[int, dict[str, Any]]]

    def rows(self, positions: Sequence[int] | None = None) -> Rows:
        """:class:`Rows` as :func:`gather` makes them for inputs without identity columns of
        their own (``positions``: point ``owner`` into the whole manifest)."""
        owner = self.ok if positions is None else np.asarray(positions, dtype=np.int64)[self.ok]
        return Rows(owner, [self.X], {})


def _batched(plan: Plan, shard: Shard) -> _Batch | None:
    """Results of a whole shard of untimed inputs (texts) through each set's batched
    ``features_of_many``, kept as one block of rows: thousands of small inputs a second,
    with no per-input result objects. ``None`` when a set fails on the batch (or an input
    gives several signals), so that the inputs go one by one through the general path and
    the failing one is named."""
    exts = plan.extractors
    readers = list(dict.fromkeys(ext.reader() for ext in exts))  # once a shard, not an input
    signals: list[list[Any]] = [[] for _ in readers]
    failed: list[tuple[int, dict[str, Any]]] = []
    good: list[int] = []
    for i, (position, item) in enumerate(zip(shard.positions, shard.items, strict=True)):
        try:
            read = []
            for reader in readers:
                reader.check_item(item, position)
                sigs = reader.read(item, position)
                if len(sigs) != 1:
                    return None  # several signals per input: the general path
                read.append(sigs[0])
        except CAUGHT as exc:
            failed.append((i, {"ok": False, "stage": "read", "exc": exc}))
            continue
        good.append(i)
        for got, sig in zip(signals, read, strict=True):
            got.append(sig)
    if not good:
        return _Batch(np.zeros(0, dtype=np.int64), np.zeros((0, len(plan.names))), failed)
    by_reader = dict(zip(readers, signals, strict=True))
    try:
        per_set = [ext.features_of_many(by_reader[ext.reader()]) for ext in exts]
    except CAUGHT:
        return None
    # each set's (1, n) rows stacked at once, then the sets side by side
    blocks = [np.concatenate([r for r, _ in out], axis=0).astype(np.float64, copy=False)
              for out in per_set]
    X = blocks[0] if len(blocks) == 1 else np.concatenate(blocks, axis=1)
    return _Batch(np.asarray(good, dtype=np.int64), X, failed)


def _batch_of(plan: Plan, shard: Shard, report: ShardReport) -> _Batch | None:
    """A shard of untimed inputs at the functionals level computed at once (:func:`_batched`),
    its failures recorded in ``report`` (or the first raised without ``catch``) and its
    inputs counted; ``None`` where the inputs must go one by one (identity columns of the
    reader's own, or segments of a manifest, take the general path: :func:`gather`)."""
    if plan.timed or plan.level != "functionals" or plan.meta_columns or plan.spans:
        return None
    batch = _batched(plan, shard)
    if batch is None:
        return None
    for i, res in batch.failed:
        _record_failure(plan, shard, report, i, res)
    n = len(batch.ok)
    report.n_ok += n
    report.n_segments += n
    report.n_rows += n
    return batch


def _record_failure(plan: Plan, shard: Shard, report: ShardReport, i: int,
                    res: dict[str, Any], span: tuple[float, float] | None = None) -> None:
    """A failed input's row of the errors table (with the segment's bounds when the
    manifest has them), or its exception raised without ``catch``."""
    if not plan.catch:
        raise res["exc"]
    row = error_row(label_of(shard.ident, plan.input_column, i), res)
    if plan.spans:  # which segment of the file failed
        row = (*row, *(span if span is not None else (np.nan, np.nan)))
    report.errors.append(row)


def shard_results(plan: Plan, shard: Shard, report: ShardReport):
    """Process a shard's inputs one by one, counting into ``report``; yield ``(local row,
    result)`` for each that succeeded (failures are recorded, or raised without ``catch``)."""
    spans = manifest_spans(shard.ident) if plan.spans else None
    streams: dict[str, ForwardStream | None] = {}  # the last segment's file (_stream_for)
    try:
        for i, (position, item) in enumerate(zip(shard.positions, shard.items, strict=True)):
            span = None  # a manifest row without start and end is the whole file
            if spans is not None and not np.isnan(spans[i]).all():
                span = (float(spans[i, 0]), float(spans[i, 1]))
            res = process_one(plan, item, position, span, streams if spans is not None
                              else None)
            if not res["ok"]:
                _record_failure(plan, shard, report, i, res, span)
                continue
            report.n_ok += 1
            report.n_segments += sum(p.count for p in res["pieces"])
            report.n_rows += sum(p.rows.shape[0] for p in res["pieces"])
            report.seconds += float(res["duration"])
            yield i, res
    finally:
        for held in streams.values():
            if held is not None:
                held.close()


def _arrow_tables(plan: Plan, ident: Any, rows: Rows):
    """Arrow tables of ``ROW_GROUP`` rows at most of :class:`Rows` whose ``owner`` points into
    the shard's manifest ``ident``."""
    if isinstance(ident, Columns):  # the Arrow table made directly
        table = arrow_rows(ident, rows.owner, rows.columns, rows.blocks, plan.schema)
        for a in range(0, table.num_rows, ROW_GROUP):
            yield table.slice(a, ROW_GROUP)
        return
    table = table_of(plan, ident, rows)
    for a in range(0, len(table), ROW_GROUP):
        yield FeatureTable(
            X=table.X[a : a + ROW_GROUP], feature_names=plan.names,
            index=table.index.iloc[a : a + ROW_GROUP], provenance=plan.provenance,
        ).to_arrow()


def _row_groups(plan: Plan, shard: Shard, report: ShardReport, keys: list[tuple]):
    """Arrow row groups of a shard, made as its inputs finish: rows are written once
    ``ROW_GROUP`` of them are waiting, so that a shard of long recordings at the LLD level
    holds about one recording in memory, not all of them. Appends the key of every input
    that succeeded to ``keys``."""
    batch = _batch_of(plan, shard, report)
    if batch is not None:
        keys.extend(shard.keys[i] for i in batch.ok)
        if len(batch.ok):
            yield from _arrow_tables(plan, shard.ident, batch.rows())
        return
    waiting: list[tuple[int, dict]] = []
    n_waiting = 0
    results = shard_results(plan, shard, report)
    while True:
        item = next(results, None)
        if item is not None:
            waiting.append(item)
            keys.append(shard.keys[item[0]])
            n_waiting += sum(p.rows.shape[0] for p in item[1]["pieces"])
        if waiting and (item is None or n_waiting >= ROW_GROUP):
            rows = gather(plan, shard.ident.columns, waiting)
            waiting, n_waiting = [], 0
            yield from _arrow_tables(plan, shard.ident, rows)
            del rows
        if item is None:
            return


def run_shard(plan: Plan, shard: Shard) -> ShardReport:
    """Extract one shard; in store mode write it as one part and return only the counts."""
    report = ShardReport(first=shard.positions[0])
    # the shard's own calls: another thread's run in this process counts apart
    with (command_line() if plan.command_line else contextlib.nullcontext()), \
            counting() as called:
        try:
            return _run_shard(plan, shard, report, called)
        finally:  # what the shard called, failed or not (a few dict lookups)
            report.libraries = run_libraries(plan.provenance.get("modality"), called,
                                             output=plan.part_dir is not None)


def _run_shard(plan: Plan, shard: Shard, report: ShardReport, called: dict[str, int]
               ) -> ShardReport:
    if plan.part_dir is None:
        batch = _batch_of(plan, shard, report)
        if batch is not None:
            if len(batch.ok) and plan.gather_only:
                report.rows = batch.rows(shard.positions)
            elif len(batch.ok):
                report.table = table_of(plan, shard.ident, batch.rows())
            return report
        done = list(shard_results(plan, shard, report))
        if done and plan.gather_only:
            report.rows = gather(plan, shard.ident.columns, done, shard.positions)
        elif done:
            report.table = assemble(plan, shard.ident, done)
        return report
    from .store import write_part

    keys: list[tuple] = []
    # the part records the libraries its shard used: an output whose run is interrupted
    # before its provenance is written still names them (emofeat info, a resumed run)
    part = write_part(_row_groups(plan, shard, report, keys), plan.schema, plan.part_dir,
                      shard.part_name, keys, still_wanted=lambda: _run_alive(plan),
                      libraries=lambda: run_libraries(plan.provenance.get("modality"),
                                                      called, output=True))
    if part is not None:
        report.part = str(part)
        log.debug("wrote %s (%d rows)", part, report.n_rows)
    return report


def _run_alive(plan: Plan) -> bool:
    """False in a local worker whose run was killed (a resumed run may be doing its shard)."""
    if plan.driver_pid is None or os.getpid() == plan.driver_pid:
        return True
    if os.getppid() == plan.driver_pid:
        return True
    log.warning("the run that started this worker is gone; not writing its shard")
    return False
