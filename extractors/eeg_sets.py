"""EEG emotion feature sets: band power, differential entropy, asymmetry, Hjorth, spectral shape.

Each set is an EEG-modality extractor: one row per recording, epoch or window
(``--segment 4s --hop 2s`` on the CLI; :func:`emofeat.eeg_input.window_recordings` in
Python), features per channel (never averaged over channels), named
``<set>_<what>_<band>_<channel>``:

=================  ==========================================================================
``eeg_bands``      ``eeg_bands_abs_alpha_AF3``, ``eeg_bands_rel_alpha_AF3``,
                   ``eeg_bands_db_alpha_AF3``: Welch band power, absolute / relative / dB
``eeg_de``         ``eeg_de_alpha_AF3``: differential entropy (Gaussian), filter or PSD based
``eeg_asymmetry``  ``eeg_asymmetry_dasm_alpha_AF7-AF8``, ``..._rasm_...``,
                   ``..._dcau_alpha_FC5-CP5``, ``eeg_asymmetry_faa_AF7-AF8``: asymmetry of
                   symmetric 10-20 pairs, of electrodes or of bipolar derivations
                   (``eeg_asymmetry_dasm_alpha_(FP1-F7)-(FP2-F8)``)
``eeg_hjorth``     ``eeg_hjorth_activity_AF3``, ``..._mobility_...``, ``..._complexity_...``
``eeg_spectral``   ``eeg_spectral_entropy_AF3``, ``eeg_spectral_sef50_AF3``, ``..._sef90_...``
=================  ==========================================================================

The numbers come from the pure functions of :mod:`emofeat.extractors.eeg` (definitions and
reference agreement in ``docs/eeg.md``). Channel names are learnt by :meth:`fit` from the
first recording (or given as ``ch_names``); another montage later is refused, naming the
input. A flat channel, or one with NaN samples, gives NaN features for that channel and an
:class:`~emofeat.extractors.eeg.EEGChannelWarning` naming the input and the channel.
"""

from __future__ import annotations

import functools
import inspect
import math
import warnings
from collections.abc import Callable, Mapping, Sequence
from typing import Any, ClassVar

import numpy as np

from emofeat._wording import counted, noun, too_few_samples
from emofeat.extractor import Extractor, distinct_names
from emofeat.readers import EstimatedRate, known_nonfinite, warn_montage
from emofeat.signal import unmasked

from . import eeg as E

# the Numba kernels each set's default path calls (announced and compiled first when cold)
_KM = "emofeat.extractors._eeg_kernels"
_WELCH_KERNELS = (f"{_KM}:welch_segments,welch_average,band_sums,row_status",)
# the windows of a recording at once (the runner's --segment/--hop)
# (every one compiled by the set's warmup: a kernel listed here that it leaves cold would make
# every later run announce a compilation and warm up again, tested)
# (continues_run and welch_segments_win, of epochs of 2**17+ samples that continue one another,
# given through the API, compile on first use)
_WINDOW_KERNELS = (f"{_KM}:welch_segments_at,welch_bands_at,band_rows,status_at,status_blocks,"
                   "status_known,segment_plan,continues_hint,rebuild_run",)
_SPECTRAL_KERNELS = (f"{_KM}:welch_segments,welch_average,row_status",)
# the EEG reader's check of every input (emofeat.readers): every EEG set reads through it
_READ_KERNELS = (f"{_KM}:nonfinite_rows",)
_HJORTH_KERNELS = (f"{_KM}:row_status,status_at,status_blocks,status_known,hjorth_at,"
                   "hjorth_blocks,hjorth_status,continues_hint,rebuild_run",)

BAND_KINDS = ("abs", "rel", "db")


@functools.cache
def _row_kind_codes(kinds: tuple[str, ...]) -> np.ndarray | None:
    """Kind codes of :func:`band_rows` (0 abs, 1 rel), or ``None`` when a kind is one it does
    not make ("db": numpy's log10, through ``_kinds_of_sums``)."""
    if not set(kinds) <= {"abs", "rel"}:
        return None
    return np.array([("abs", "rel").index(k) for k in kinds], dtype=np.int64)

_F64 = np.dtype(np.float64)
_KIND_TO_FN = {"abs": "absolute", "rel": "relative", "db": "db"}
ASYM_KINDS = ("dasm", "rasm", "dcau", "faa")
HJORTH = ("activity", "mobility", "complexity")


def _bands(bands: Mapping[str, Sequence[float]] | None) -> dict[str, tuple[float, float]]:
    if bands is None:
        return dict(E.DEFAULT_BANDS)
    if not isinstance(bands, Mapping):
        raise ValueError(f"bands must be a mapping name -> (lo, hi) in Hz, got {bands!r}")
    return {str(k): tuple(v) for k, v in bands.items()}


def _check_distinct(set_name: str, names: Sequence[str]) -> None:
    """Refuse feature names that repeat: a band name and a channel name are joined with
    ``_`` (band ``a`` with channel ``b_c`` and band ``a_b`` with channel ``c`` both give
    ``..._a_b_c``), which gave two columns of one name (the runner then said "give each set
    once" of a single set)."""
    if len(set(names)) == len(names):
        return
    seen: set[str] = set()
    twice = list(dict.fromkeys(n for n in names if n in seen or seen.add(n)))
    shown = ", ".join(repr(n) for n in twice[:3]) + (", ..." if len(twice) > 3 else "")
    raise ValueError(f"{set_name}: the band and channel names give the feature "
                     f"{noun(len(twice), 'name')} {shown} more than once (names "
                     "are joined with '_'); rename the bands or channels so that they do not "
                     "run into one another")


def _spectral_ranges(bands: Mapping[str, Sequence[float]], sfreq: float) -> tuple | None:
    """``((label, (lo, hi)), ...)`` of ``bands`` (half-open, as the band sets count bins) for
    :func:`_resolution_problem`, or ``None`` when they are malformed or reach beyond Nyquist
    (errors of their own, whatever the length)."""
    try:
        ranges = tuple((f"band {k}", (float(lo), float(hi)))
                       for k, (lo, hi) in bands.items())
    except (TypeError, ValueError):
        return None  # malformed bands: check_bands names them
    if any(not 0 <= lo < hi <= sfreq / 2 for _, (lo, hi) in ranges):
        return None  # so are bands beyond Nyquist, whatever the length
    return ranges


@functools.lru_cache(maxsize=1024)
def _resolution_problem(set_name: str, ranges: tuple, closed: bool, sfreq: float,
                        n_times: int, n_seg: int | None) -> tuple[bool, str] | None:
    """Why a spectrum of ``n_times`` samples at ``sfreq`` leaves a band of ``ranges``
    (``((label, (lo, hi)), ...)``) without a bin, or ``None`` when every band has one.

    ``n_seg``: the Welch segment in samples (the FFT length; shortened to the signal when
    longer), ``None`` for a spectrum of the whole signal (multitaper). Returns ``(too_short,
    problem)``: ``too_short`` False when the signal is as long as a segment, so that the
    segment parameter, not the input, is what is too short. Cached: asked once per window.
    """
    bands = dict(ranges)
    n_fft = n_times if n_seg is None else max(min(n_seg, n_times), 1)
    empty = E.empty_bands(bands, sfreq, n_fft, closed=closed, psd_method=_method(n_seg))
    if not empty:
        return None
    label = empty[0]
    lo, hi = bands[label]
    gap = f"bins {sfreq / n_fft:.3g} Hz apart leave {label} ({lo:g}-{hi:g} Hz) without one"
    enough = E.fft_length_for(bands, sfreq)
    if enough is None:
        return False, f"{gap} at {sfreq:g} Hz (it lies above Nyquist, {sfreq / 2:g} Hz)"
    if n_seg is not None and n_times >= n_seg:
        return False, (f"Welch segments of {n_seg} samples ({n_seg / sfreq:.3g} s) at "
                       f"{sfreq:g} Hz: {gap}; the '{set_name}' set needs a segment of "
                       f"{enough / sfreq:.3g} s or more")
    need = _resolution_min(ranges, closed, sfreq, n_seg)  # every length from there on
    return True, (f"{too_few_samples(n_times, sfreq)} "
                  f"for the '{set_name}' set: {gap}; {need} samples "
                  f"({need / sfreq:.3g} s) or more are enough")


@functools.lru_cache(maxsize=256)
def _resolution_min(ranges: tuple, closed: bool, sfreq: float, n_seg: int | None) -> int:
    """Fewest samples from which on no length is too short for ``ranges`` in the sense of
    :func:`_resolution_problem` (a band without a bin, the input at fault): one more than
    the longest such length below where every band surely holds a bin (the narrowest band's
    width apart, :func:`~emofeat.extractors.eeg.fft_length_for`) or the segment (from there
    on the segment, not the input, is at fault). A shorter length may still hold a bin in
    every band, by where the bins fall. Found by :func:`_last_length` on the PSD's own bins
    (until session 58 a walk down the lengths, a grid each: hours at 1e8 Hz). Cached per
    layout."""
    bands = dict(ranges)
    enough = E.fft_length_for(bands, sfreq)
    if enough is None:
        return 1  # a band is empty whatever the length: a parameter problem
    top = enough if n_seg is None else min(enough, max(n_seg, 1))
    method = _method(n_seg)
    edges = [e for lo, hi in bands.values() for e in (lo, hi)]

    def empty(n: int) -> bool:  # E.empty_bands(bands, sfreq, n, closed, method) != []
        return any(_bins_below(hi, sfreq, n, method, closed) <= _bins_below(lo, sfreq, n, method)
                   for lo, hi in bands.values())

    return _last_length(empty, top - 1, edges, sfreq) + 1


def _bin(k: int, sfreq: float, n: int, method: str) -> float:
    """Bin ``k`` of the ``n``-point PSD at ``sfreq``, bit for bit as :func:`~emofeat.
    extractors.eeg.bin_freqs` computes it (``float(k)`` times the same step)."""
    if method == "multitaper":  # rfftfreq(n, 1 / sfreq): k * (1 / (n * (1 / sfreq)))
        return float(k) * (1.0 / (n * (1.0 / float(sfreq))))
    return float(k) * (float(sfreq) / n)


def _bins_below(f: float, sfreq: float, n: int, method: str = "welch",
                closed: bool = False) -> int:
    """How many bins of the ``n``-point PSD at ``sfreq`` lie below ``f`` (at or below it,
    ``closed``): ``searchsorted(bin_freqs(n, sfreq, method), f, 'right' if closed else
    'left')``, from the few bins around ``f`` alone (the bins ascend)."""
    n = max(int(n), 1)
    last = n // 2
    k = min(max(int(f / (float(sfreq) / n)), 0), last + 1)  # near f: f * n may overflow

    def below(j: int) -> bool:
        b = _bin(j, sfreq, n, method)
        return b <= f if closed else b < f

    while k > 0 and not below(k - 1):
        k -= 1
    while k <= last and below(k):
        k += 1
    return k


def _last_length(short: Callable[[int], bool], top: int, edges: Sequence[float],
                 sfreq: float) -> int:
    """The longest length ``n`` in ``[1, top]`` with ``short(n)`` (0: none), as a walk down
    from ``top`` finds it, without asking every length. ``short`` counts bins in ranges whose
    ends are ``edges``: in exact arithmetic the count changes only at the lengths where an
    end falls on a bin, ``k * sfreq / e``, and the PSD's float bins (a few ulps from
    ``k * sfreq / n``) differ from exact ones only within an ulp-sized distance of those
    lengths. So a length farther than ``n * 1e-12`` from every such point answers for all
    lengths up to the next one: where it is not short, the walk goes on just above the point
    below, and asks each length near a point."""
    ends = [float(e) for e in edges if e > 0]  # an end at 0 Hz: bin 0, exactly, always in
    sf = float(sfreq)
    n = int(top)
    while n >= 1:
        if short(n):
            return n
        near = n * 1e-12  # float bins are a few ulps from exact ones: 1e-16 of n or so
        below, above = 0.0, math.inf
        for e in ends:
            apart = sf / e  # lengths between two where e falls on a bin (inf: never again)
            k = math.floor(n / apart)
            below = max(below, k * apart if k else 0.0)
            above = min(above, (k + 1) * apart)
        if n - below > near and above - n > near:
            n = min(n - 1, int(below + near))  # every length between answers as n does
        else:
            n -= 1
    return 0


#: the most float64 values one NumPy array holds (its size in bytes is an ``intp``): a
#: spectrum of more points cannot be counted, whatever the memory
_MOST_POINTS = np.iinfo(np.intp).max // 8


def _rate_refusal(set_name: str, sfreq: float, points: float, what: str) -> str:
    """The words of :meth:`_EEGSet._refuse_rate`: ``points`` (a float, perhaps ``inf``) are
    more than :data:`_MOST_POINTS`, or more than the memory there is."""
    count = f"{points:.3g}" if points < np.inf else "more than 1.8e+308"
    return (f"invalid sampling rate {sfreq:g} (the '{set_name}' set counts the bins of "
            f"spectra of up to {count} points at this rate, {what}: more than an array can "
            "hold)")


def _method(n_seg: int | None) -> str:
    """The PSD whose bins :func:`_resolution_problem` counts: Welch segments of ``n_seg``
    samples, or (``None``) a multitaper spectrum of the whole signal."""
    return "multitaper" if n_seg is None else "welch"


def _range_bins(lo: float, hi: float, sfreq: float, n_fft: int) -> np.ndarray:
    """The frequencies of the bins of an ``n_fft``-point Welch PSD at ``sfreq`` in the closed
    range ``[lo, hi]``, bit for bit as the PSD has them (:func:`~emofeat.extractors.eeg.
    bin_freqs`) and :func:`~emofeat.extractors.eeg.spectral_entropy` keeps them."""
    f = E.bin_freqs(n_fft, sfreq)
    return f[(f >= lo) & (f <= hi)]


def _two_bins_from(lo: float, hi: float, sfreq: float, first: int) -> int:
    """The fewest FFT points from which on (``first`` at least) every length puts two bins
    in ``[lo, hi]``: bins ``d`` apart, the top one at ``sfreq / 2 - d / 2`` or above, leave
    two in it once ``d <= (hi - lo) / 2.5``; the lengths between are counted, vectorised,
    on the Welch PSD's own bins (``k * (sfreq / n)``, :func:`~emofeat.extractors.eeg.
    bin_freqs`): the first bin at or above ``lo`` and the last at or below ``hi`` are found
    among the few around ``lo * n / sfreq`` and ``hi * n / sfreq``."""
    last = max(int(np.ceil(2.5 * sfreq / (hi - lo))), first)
    n = np.arange(first, last + 1)
    step = float(sfreq) / n.astype(float)
    near = np.arange(-2, 3)
    k = np.floor(lo * n / sfreq)[:, None] + near  # candidates for the first bin in range
    k_lo = k[:, 0] + np.argmax(k * step[:, None] >= lo, axis=1)
    k = np.floor(hi * n / sfreq)[:, None] + near  # and for the last
    k_hi = k[:, 0] + (k.shape[1] - 1 - np.argmax((k * step[:, None] <= hi)[:, ::-1], axis=1))
    short = np.flatnonzero(np.minimum(k_hi, n // 2) - k_lo + 1 < 2)
    return int(n[short[-1]] + 1) if short.size else first


@functools.lru_cache(maxsize=1024)
def _range_problem(set_name: str, lo: float, hi: float, sfreq: float, n_times: int,
                   n_seg: int) -> tuple[bool, str] | None:
    """Why the spectrum of ``n_times`` samples (Welch segments of ``n_seg``, shortened to the
    signal) puts fewer than two bins in ``eeg_spectral``'s range ``[lo, hi]``, or ``None``.
    One bin is the whole distribution: its entropy is 0 (normalised, 0 / log2(1), undefined)
    and every edge that bin's frequency, whatever the signal. ``(too_short, problem)`` as
    :func:`_resolution_problem`: not too short when the segment holds fewer than two bins,
    which no input length mends."""
    n_fft = max(min(n_seg, n_times), 1)
    inside = _range_bins(lo, hi, sfreq, n_fft)
    if inside.size >= 2:
        return None
    span = f"the range ({lo:g}-{hi:g} Hz)"
    gap = f"bins {sfreq / n_fft:.3g} Hz apart leave " + (
        f"{span} without one" if inside.size == 0 else
        f"one ({inside[0]:.4g} Hz) in {span}, whose entropy would be 0 and edges "
        f"{inside[0]:.4g} Hz whatever the signal")
    if _range_count(lo, hi, sfreq, n_seg) < 2:
        enough = _two_bins_from(lo, hi, sfreq, n_seg + 1)
        return False, (f"Welch segments of {n_seg} samples ({n_seg / sfreq:.3g} s) at "
                       f"{sfreq:g} Hz: {gap}; the '{set_name}' set needs two bins in its "
                       f"range, a segment of {enough / sfreq:.3g} s or more")
    need = _range_min(lo, hi, sfreq, n_seg)
    return True, (f"{too_few_samples(n_times, sfreq)} for the '{set_name}' set: {gap}; "
                  f"{need} samples ({need / sfreq:.3g} s) or more are enough")


def _range_count(lo: float, hi: float, sfreq: float, n_fft: int) -> int:
    """``_range_bins(lo, hi, sfreq, n_fft).size``, from the bins around ``lo`` and ``hi``
    alone (a segment's grid at 1e9 Hz is gigabytes)."""
    return max(_bins_below(hi, sfreq, n_fft, closed=True) - _bins_below(lo, sfreq, n_fft), 0)


@functools.lru_cache(maxsize=256)
def _range_min(lo: float, hi: float, sfreq: float, n_seg: int) -> int:
    """Fewest samples from which on no length is too short for :func:`_range_problem`: one
    more than the longest below the segment (and below where two bins are sure) whose
    spectrum puts fewer than two bins in ``[lo, hi]`` (:func:`_last_length`); 1 when the
    segment itself does (a parameter problem at every length)."""
    if _range_count(lo, hi, sfreq, n_seg) < 2:
        return 1
    top = min(int(np.ceil(2.5 * sfreq / (hi - lo))), n_seg)
    return _last_length(lambda n: _range_count(lo, hi, sfreq, n) < 2, top - 1, (lo, hi),
                        sfreq) + 1


def short_windows(ext: Any, signal, spans: np.ndarray, stacklevel: int = 3
                  ) -> np.ndarray | None:
    """Which windows ``spans`` (sample ``[a, b)`` rows) of ``signal`` are too short for the
    set ``ext`` (``None``: none is), with a warning naming the input and their times;
    ``TooShortError`` when the first is (the whole recording is shorter than what the set
    can analyse). ``ext`` says what is too short with ``_length_problem(n_times, sfreq)``
    and raises with ``_check_length(source, n_times, sfreq)``. The runner drops a last
    window shorter than the set's ``min_samples`` before asking: this is for windows given
    explicitly. ``stacklevel``: the warning's, counted from here (3: the caller of the
    ``features_of_windows`` that calls this)."""
    lengths = spans[:, 1] - spans[:, 0]
    sf = float(signal.sfreq)
    # an EEG set refuses a rate too high to count its spectra's bins first, naming the input
    # (a --segment run's windows at 1e20 Hz: NumPy's 'Maximum allowed size exceeded' until
    # session 58)
    problem_of = getattr(ext, "_problem_of", None)
    if problem_of is None:
        bad = {int(n): ext._length_problem(int(n), sf) for n in np.unique(lengths)}
    else:
        bad = {int(n): problem_of(signal.source, int(n), sf) for n in np.unique(lengths)}
    if not any(bad.values()):
        return None
    ext._check_length(signal.source, int(lengths[0]), sf)
    short = np.array([bad[int(n)] is not None for n in lengths])
    problem = next(p for p in bad.values() if p is not None)[1]
    k = int(np.flatnonzero(short)[0])
    n_short = int(short.sum())
    warnings.warn(
        f"{signal.source}: {counted(n_short, 'window')} from {spans[k, 0] / sf:.3f} s "
        f"on {noun(n_short, 'gives', 'give')} NaN features: {problem}",
        E.EEGChannelWarning,
        stacklevel=stacklevel,
    )
    return short


#: feature names per (set class, set name, channels, parameters) (_EEGSet._names)
_NAMES: dict[tuple, tuple[str, ...]] = {}


#: the arrays _stack last found evenly spaced in one buffer (weak references: nothing is kept
#: alive) and their spacing: the sets of one pipeline transform the same list in turn
_EVENLY: list[tuple[tuple, int]] = [((), 0)]


def _stack(arrays: list[np.ndarray]) -> np.ndarray:
    """``(n, n_channels, n_times)`` of equal-shaped float64 arrays: a read-only view when they
    are evenly spaced views of one buffer (the rows of a windows array), else a stacked copy."""
    import operator
    import weakref

    a0 = arrays[0]
    if len(arrays) > 1:
        refs, step = _EVENLY[0]  # one tuple: threads see a whole entry
        # the same array objects as last time (their bases, data pointers and strides cannot
        # have changed): the spacing found then; reading each array's address costs 2-5 us
        if not (len(refs) == len(arrays) and all(
                map(operator.is_, map(weakref.ref.__call__, refs), arrays))):
            step = 0
            base = a0.base
            if base is not None and all(a.base is base for a in arrays):
                p0 = a0.__array_interface__["data"][0]
                step = arrays[1].__array_interface__["data"][0] - p0
                if not (step > 0 and all(a.strides == a0.strides for a in arrays) and all(
                        a.__array_interface__["data"][0] == p0 + k * step
                        for k, a in enumerate(arrays))):
                    step = 0
                _EVENLY[0] = (tuple(weakref.ref(a) for a in arrays), step)
        if step > 0:
            return np.lib.stride_tricks.as_strided(
                a0, shape=(len(arrays), *a0.shape), strides=(step, *a0.strides),
                writeable=False)
    return np.stack(arrays)


@functools.lru_cache(maxsize=64)
def _takes_warn_flat(features_of: Callable[..., Any]) -> bool:
    """Whether a set's ``features_of`` takes ``warn_flat`` (by name or ``**kwargs``)."""
    try:
        params = inspect.signature(features_of).parameters.values()
    except (TypeError, ValueError):
        return False
    return any(p.name == "warn_flat" or p.kind is p.VAR_KEYWORD for p in params)


#: what a set's warning of one flat channel of one signal says its features are (the EEG
#: sets'; rqa_eeg says its measures are a constant series': its ``flat_said``)
FLAT_NAN = "its features are NaN"


def flat_words(ext: Any) -> str | None:
    """What ``ext``'s warning says of a flat channel's features: its ``flat_said``
    (``None``: nothing, eeg_stats); an EEG set (:class:`_EEGSet`) that sets ``None`` or
    ``""`` says :data:`FLAT_NAN`, in one signal's warning and in a recording's windows'
    alike, as its features of a flat channel are NaN."""
    said = getattr(ext, "flat_said", FLAT_NAN)
    return FLAT_NAN if not said and isinstance(ext, _EEGSet) else said


class _EEGSet(Extractor):
    """Shared parameters and plumbing of the EEG sets (Welch settings, channels, bands)."""

    modality: ClassVar[str] = "eeg"
    names_from_data: ClassVar[bool] = True
    #: what the warning of a flat channel says the set's features of it are, ``"its ..."``
    #: (one signal: "channel AF7 has a flat (constant) signal; its features are NaN"; a
    #: recording's windows: "its <set> features in those windows are NaN"); a subclass whose
    #: features of a flat channel are something else says so here. ``None`` (as eeg_stats,
    #: whose flat channels get defined values) does not silence an EEG set, whose features of
    #: a flat channel are NaN whatever it says: it says FLAT_NAN (:func:`flat_words`)
    flat_said: ClassVar[str | None] = FLAT_NAN

    def _check_common(self) -> None:
        if self.sfreq is not None and not 0 < float(self.sfreq) < np.inf:
            raise ValueError(f"sfreq must be a positive, finite rate in Hz, got {self.sfreq}")
        if hasattr(self, "bands"):
            bands = _bands(self.bands)
            # band edges are checked against Nyquist per recording; here only their form
            E.check_bands(bands, float("inf"))
        # inf sized the segment as float('inf') samples: an OverflowError until session 57
        if hasattr(self, "segment") and not 0 < float(self.segment) < np.inf:
            raise ValueError(f"segment must be a finite number of seconds > 0 (a segment "
                             f"longer than a window is shortened to it), got {self.segment}")
        if hasattr(self, "overlap") and not 0 <= float(self.overlap) < 1:
            raise ValueError(f"overlap must be a fraction in [0, 1), got {self.overlap}")
        if self.sfreq is not None:
            # 1e308 Hz was NumPy's 'Maximum allowed size exceeded' until session 58
            try:
                problem = self._rate_problem(float(self.sfreq))
            except (TypeError, ValueError, KeyError):
                # a malformed parameter further on (kind 'faa' without an alpha band: a
                # KeyError until review RC of 085de84): its own check names it
                problem = None
            if problem is not None:
                raise ValueError(f"sfreq={float(self.sfreq):g} Hz: {problem}")

    def reader(self):
        # the base derives the reader from get_params(), which inspects __init__'s signature
        # on every call; per window that was a third of the time of a small montage
        from emofeat.readers import EEGReader

        return EEGReader(
            sfreq=self.sfreq, ch_names=None if self.ch_names is None else tuple(self.ch_names)
        )

    def _channels(self) -> tuple[str, ...]:
        return tuple(getattr(self, "channels_", None) or tuple(self.ch_names or ()))

    def _names(self, make, *params: Any) -> list[str]:
        """Feature names from ``make()``, made once per set, montage and ``params`` (the
        parameters they depend on): thousands of strings on a large montage, asked for by
        every run and table."""
        key = (type(self), self.set_name, self._channels(), repr(params))
        names = _NAMES.get(key)
        if names is None:
            names = tuple(make())
            _check_distinct(self.set_name, names)
            if len(_NAMES) >= 256:
                _NAMES.clear()
            _NAMES[key] = names
        return list(names)

    def _welch_kwargs(self, sfreq: float, n_times: int) -> dict[str, int]:
        # segments of `segment` seconds, shortened to the window when it is shorter
        n_per_seg = max(min(int(round(float(self.segment) * sfreq)), n_times), 1)
        return {
            "n_fft": n_per_seg,
            "n_per_seg": n_per_seg,
            # rounded to samples, and a step of one sample at least: overlap=0.999 of 256
            # samples rounded to all 256, which Welch refused naming n_overlap, not overlap
            "n_overlap": min(int(round(float(self.overlap) * n_per_seg)), n_per_seg - 1),
        }

    def _length_problem(self, n_times: int, sfreq: float) -> tuple[bool, str] | None:
        """``(too_short, problem)`` when ``n_times`` samples at ``sfreq`` cannot be analysed
        by this set (``too_short`` False: a parameter is at fault, not the input's length),
        else ``None``. The band sets: a band without a frequency bin."""
        return None

    def _spectral_problem(self, bands: Mapping[str, Sequence[float]], n_times: int,
                          sfreq: float, welch: bool = True) -> tuple[bool, str] | None:
        """:meth:`_length_problem` of a spectrum over half-open ``bands`` (Welch segments of
        ``segment`` seconds, or the whole signal)."""
        n_seg = int(round(float(self.segment) * sfreq)) if welch else None
        ranges = _spectral_ranges(bands, sfreq)
        if ranges is None:
            return None
        return _resolution_problem(self.set_name, ranges, False, float(sfreq), int(n_times),
                                   n_seg)

    def min_samples(self, sfreq: float | None = None) -> int:
        """Fewest samples from which on every recording (or window) at ``sfreq`` Hz (default:
        the set's own ``sfreq``) is long enough for this set; a shorter one may be refused
        with :class:`~emofeat.errors.TooShortError`. The runner drops a ``--segment`` run's
        last window when it is shorter, as it drops an audio run's last window shorter than
        60 ms. A signal's first window is kept however short only where it is the only
        signal of its input (or all its signals are that short); a shorter gap-free stretch
        or epoch among longer ones is left out, with this set's refusal as the reason (the
        EEG tail rule's where it is a quarter second or less). Without a rate: what holds at
        every rate (1 for the spectral sets, whose minimum grows with the rate)."""
        sf = self.sfreq if sfreq is None else sfreq
        if sf is not None and self._rate_problem(float(sf)) is not None:
            return 1  # refused at every length, naming the input (_refuse_rate)
        try:
            return self._min_samples(None if sf is None else float(sf))
        except MemoryError:
            return 1  # likewise (_check_length)

    def _min_samples(self, sfreq: float | None) -> int:
        """:meth:`min_samples` at ``sfreq`` (``None``: at every rate); mirrors
        :meth:`_length_problem`."""
        return 1

    def _spectral_min(self, bands: Mapping[str, Sequence[float]], sfreq: float | None,
                      welch: bool = True) -> int:
        """:meth:`_min_samples` of :meth:`_spectral_problem`."""
        if sfreq is None:
            return 1
        ranges = _spectral_ranges(bands, sfreq)
        if ranges is None:
            return 1
        n_seg = int(round(float(self.segment) * sfreq)) if welch else None
        return _resolution_min(ranges, False, float(sfreq), n_seg)

    def _spectrum_points(self, sfreq: float) -> tuple[float, str] | None:
        """``(points, what)``: the most points of the spectra whose bins this set's length
        checks count at ``sfreq`` (a float: at an absurd rate more than any ``int`` an
        array takes), ``what`` naming them; ``None`` for a set without spectra."""
        return None

    def _bands_points(self, bands: Mapping[str, Sequence[float]], sfreq: float,
                      welch: bool = True) -> tuple[float, str] | None:
        """:meth:`_spectrum_points` of :meth:`_spectral_min`: up to the length from which
        every band surely holds a bin (:func:`~emofeat.extractors.eeg.fft_length_for`), the
        Welch segment at most."""
        ranges = _spectral_ranges(bands, sfreq)
        if ranges is None:
            return None  # malformed, or past Nyquist: refused with reasons of their own
        sure = sfreq / min(hi - lo for _, (lo, hi) in ranges)
        segment = float(self.segment) * sfreq if welch else np.inf
        if sure <= segment:
            return sure, "bins the narrowest band's width apart"
        return segment, f"its Welch segments of {float(self.segment):g} s"

    def _rate_problem(self, sfreq: float) -> str | None:
        """Why nothing can be analysed at ``sfreq`` Hz, or ``None``: the bins of spectra
        of more points than a NumPy array holds cannot be counted (:data:`_MOST_POINTS`;
        until session 58, NumPy's own 'Maximum allowed size exceeded' or Python's
        OverflowError, naming nothing)."""
        got = self._spectrum_points(sfreq)
        if got is None or not got[0] > _MOST_POINTS:
            return None
        return _rate_refusal(self.set_name, sfreq, got[0], got[1])

    def _refuse_rate(self, source: str, sfreq: float) -> None:
        """Refuse ``source`` where its rate is too high for this set's spectra to be counted
        (:meth:`_rate_problem`), as :func:`emofeat.readers.analysis_rate` refuses an
        infinite one: :class:`~emofeat.errors.SignalTypeError` naming it."""
        problem = self._rate_problem(float(sfreq))
        if problem is not None:
            from emofeat.errors import SignalTypeError

            raise SignalTypeError(source, problem)

    def _problem_of(self, source: str, n_times: int, sfreq: float
                    ) -> tuple[bool, str] | None:
        """:meth:`_length_problem` of ``source``, whose rate :meth:`_refuse_rate` checks
        first; a ``MemoryError`` of its counting is that refusal too, in other words, where
        the rate's spectra are longer than the input (which the memory holds)."""
        self._refuse_rate(source, sfreq)
        try:
            return self._length_problem(int(n_times), float(sfreq))
        except MemoryError:
            # an array NumPy could make, but not in this memory (the lengths eeg_spectral
            # scans for a segment too short for two bins, _two_bins_from, at 1e12 Hz; the
            # searches for the fewest samples build no grid since session 58 helper C2); a
            # grid no longer than the input (a multitaper spectrum of a long input at 256 Hz)
            # is the memory's fault, not the rate's (review RC of 085de84)
            from emofeat.errors import SignalTypeError

            points = self._spectrum_points(float(sfreq))
            if points is None or not points[0] > n_times:
                raise
            raise SignalTypeError(source, _rate_refusal(
                self.set_name, float(sfreq), *points).replace(
                    "more than an array can hold", "more than this memory holds")) from None

    def _check_length(self, source: str, n_times: int, sfreq: float) -> None:
        """Refuse a signal (or window) this set cannot analyse, naming it, before any work
        or warning: too short for the set's frequency resolution (a band with no bin would
        give -inf or NaN features, silently) or for Hjorth's differences.

        Raises
        ------
        TooShortError
            Naming the input, its length and what would be enough.
        InputError
            The set's parameters leave a band without a bin at this rate, whatever the
            input's length.
        """
        got = self._problem_of(source, n_times, sfreq)
        if got is not None:
            from emofeat.errors import InputError, TooShortError

            raise (TooShortError if got[0] else InputError)(source, got[1])

    def _data(self, signal, warn_flat: bool = True) -> np.ndarray:
        """The samples of ``signal`` checked, its flat channels named (``warn_flat=False``:
        not, for a window of a recording whose windows are said at once, as
        :meth:`features_of_windows` does; an argument, not ``warnings.catch_warnings``,
        which changes the filters of every thread of a Dask worker)."""
        self.check_channels(signal)
        self._check_length(signal.source, np.shape(signal.data)[-1], signal.sfreq)
        x = np.ascontiguousarray(signal.data, dtype=np.float64)
        if warn_flat:
            # the reader named non-finite channels already: one warning per channel
            E.warn_bad_channels(x, signal.channels, signal.source, nonfinite=False,
                                said=flat_words(self))
        return x

    def _status(self, signal, status: np.ndarray) -> None:
        """Warn naming each flat channel of ``signal`` from its row status ``(...,
        n_channels)`` (the reader named the non-finite ones)."""
        from emofeat.flat_channels import say_flat

        per_channel = status.reshape(-1, status.shape[-1])
        flat = (per_channel == 1).any(axis=0) & ~(per_channel == 2).any(axis=0)
        for c in np.flatnonzero(flat):
            names = signal.channels
            say_flat(signal.source, names[c] if c < len(names) else f"#{c}",
                     flat_words(self), stacklevel=3)

    # ---------------------------------------------------------------- batched paths
    #: sets that compute many equal-shaped signals, or the windows of a recording, in one call
    #: implement ``_rows_of_stack(x (n, n_channels, n_times), first signal)``, returning
    #: ``(rows (n, n_features), row status (n, n_channels))``, and ``_rows_of_windows(x
    #: (n_channels, n_times), signal, starts, ends, status (n, n_channels))`` returning rows
    _batched: ClassVar[bool] = False

    def features_of_many(self, signals: list[Any]) -> list[tuple[np.ndarray, np.ndarray]]:
        """Features of many signals; runs of signals with one shape, rate and montage (the
        windows of a recording given as a list) go through one batched computation."""
        if not self._batched:
            return [self.features_of(s) for s in signals]
        out: list[tuple[np.ndarray, np.ndarray]] = []
        i = 0
        while i < len(signals):
            first = signals[i]
            key = (np.shape(first.data), float(first.sfreq), tuple(first.channels))
            j = i + 1
            while j < len(signals) and (
                np.shape(signals[j].data), float(signals[j].sfreq), tuple(signals[j].channels)
            ) == key:
                j += 1
            if j - i == 1 or not self._stackable(first):
                out += [self.features_of(s) for s in signals[i:j]]
            else:
                # stacks of about a megabyte: small montages share one call, a large one (the
                # EDF's 138 x 1024 samples) goes alone and stays in cache
                per = max(1, E._CHUNK_DOUBLES // max(int(np.prod(key[0])), 1))
                for g in range(i, j, per):
                    out += self._stacked(signals[g : min(g + per, j)])
            i = j
        return out

    def _stacked(self, group: list[Any]) -> list[tuple[np.ndarray, np.ndarray]]:
        for s in group:
            self.check_channels(s)
        self._check_length(group[0].source, np.shape(group[0].data)[-1], group[0].sfreq)
        if len(group) == 1:
            x = np.ascontiguousarray(group[0].data, dtype=np.float64)[None]
        else:
            x = np.stack([np.asarray(s.data, dtype=np.float64) for s in group])
        rows, status = self._rows_of_stack(x, group[0])
        for s, st in zip(group, status, strict=True):
            if (st == 1).any():
                self._status(s, st)
        return [(r[None, :], np.empty(0)) for r in rows]

    def _stackable(self, signal) -> bool:
        return True

    # ---------------------------------------------------------------- transform
    def transform(self, X: Any) -> np.ndarray:
        """Features of each input item (one row per item, one per epoch of epoched input or
        gap-free stretch of a recording with gaps, a short one among longer ones left out
        as a run leaves it out: :meth:`emofeat.extractor.Extractor.transform`).

        The batched sets read runs of ``(array, sfreq[, ch_names])`` items of one shape, rate
        and montage without a reader call per item (the first of a run is read and checked in
        full; the others only differ in their samples), and compute runs of equal-shaped
        signals together; consecutive windows that continue one another (window ``k + 1``
        repeats the last samples of window ``k``, bit for bit: overlapping windows of one
        recording) are computed as the windows of that recording, each shared Welch segment
        transformed once. The values are those of each window computed on its own.
        """
        if not self._batched:
            return super().transform(X)
        from emofeat.compute import flat_said_once, rows_of_signals, signals_unit

        self.check_params()
        self._check_fitted()
        reader = self.reader()
        items = self._items(X)
        parts: list[np.ndarray] = []
        i = 0
        while i < len(items):
            j, first, sigs = self._simple_run(reader, items, i)
            if first is not None:
                arrays = [items[k][0] for k in range(i, j)]
                parts.append(self._rows_of_arrays(arrays, first, reader, items, i))
            else:
                if sigs is None:  # not read yet
                    sigs = reader.read(items[i], i)
                for sig in sigs:
                    self.check_channels(sig)
                same = len(sigs) > 1 and all(
                    np.shape(g.data) == np.shape(sigs[0].data) for g in sigs)
                if same and self._stackable(sigs[0]):
                    # epochs of one item (a 3-D array, mne.Epochs), all of one length: none
                    # is a short one among longer ones; the reader named their non-finite
                    # channels already
                    with flat_said_once(sigs, self, signals_unit(items[i])):  # one warning
                        parts.append(self._rows_of_arrays([g.data for g in sigs], sigs[0],
                                                          None, None, 0, sources=sigs))
                elif len(sigs) > 1:
                    # gap-free stretches (or epochs not stacked): a short one among longer
                    # ones left out, as a run reading the recording whole leaves it out
                    parts += rows_of_signals(self, sigs, signals_unit(items[i]))
                else:
                    parts += [np.asarray(r, dtype=np.float64)
                              for r, _ in self.features_of_many(sigs)]
            i = j
        if not parts:
            return np.empty((0, len(self.feature_names())))
        return parts[0] if len(parts) == 1 else np.concatenate(parts, axis=0)

    def _simple_run(self, reader, items: list[Any], i: int) -> tuple[int, Any, Any]:
        """``(j, first signal, None)``: items ``i:j`` are ``(array, sfreq[, ch_names])`` tuples
        with float64 2-D arrays of one shape, one rate and one montage, ``items[i]`` read and
        checked in full; ``(i + 1, None, signals of items[i] or None if not read)`` when
        ``items[i]`` is not such an item."""
        item = items[i]
        # a masked array (an ndarray) is read by the reader, its masked samples NaN: the
        # run's arrays are stacked as they are
        if not (isinstance(item, tuple) and len(item) in (2, 3)
                and isinstance(item[0], np.ndarray) and item[0].ndim == 2
                and item[0].dtype == np.float64 and unmasked(item[0])[0] is item[0]):
            return i + 1, None, None
        sigs = reader.read(item, i)
        first = sigs[0]
        self.check_channels(first)
        if not self._stackable(first):
            return i + 1, None, sigs
        shape, sf, n = item[0].shape, item[1], len(item)
        names = item[2] if n == 3 else None
        # an estimated rate and a declared one of equal value are read differently (the
        # first taken as the extractor's sfreq, the second exactly): one run only when the
        # rate is the same object or no estimate is involved
        estimated = isinstance(sf, EstimatedRate)
        j = i + 1
        n_items = len(items)
        while j < n_items:
            it = items[j]
            if type(it) is not tuple or len(it) != n:
                break
            a, r = it[0], it[1]
            # (the dtype object itself first: comparing with the np.float64 type converts it,
            # most of this loop's time over hundreds of windows)
            if not (isinstance(a, np.ndarray) and a.shape == shape
                    and (a.dtype is _F64 or a.dtype == _F64) and unmasked(a)[0] is a
                    and (r is sf or (r == sf and not estimated
                                     and not isinstance(r, EstimatedRate)))):
                break
            if n == 3 and it[2] is not names and tuple(str(c) for c in it[2]) != first.channels:
                break
            j += 1
        return j, first, None

    def _rows_of_arrays(self, arrays: list[np.ndarray], first, reader, items, i0: int,
                        sources: list[Any] | None = None) -> np.ndarray:
        """Rows of equal-shaped signals ``arrays`` (rate and montage of ``first``): runs of
        windows that continue one another through :meth:`_rows_of_windows` on the recording
        they come from, the rest stacked about a megabyte at a time."""
        self._check_length(first.source, np.shape(arrays[0])[-1], first.sfreq)
        S = _stack(arrays)
        n, n_ch, n_t = S.shape
        n_out = len(self.feature_names())
        rows = np.empty((n, n_out))
        status = np.empty((n, n_ch), dtype=np.int8)
        hop = E._hop(S) if n > 1 else 0
        sig_spans = np.array([[0, n_t]], dtype=np.int64)
        if hop and not self._windowable(first, sig_spans)[0]:
            hop = 0
        # the band power set reads a run's samples in its windows (a C-contiguous stack) when
        # they fill a megabyte or more and overlap by half a window at most (E._window_runs)
        direct = bool(hop) and self._reads_windows and S.flags.c_contiguous
        per = max(1, E._CHUNK_DOUBLES // max(n_ch * n_t, 1))
        for k, m, x, starts, ends, st, windows in E._window_runs(S, hop, direct):
            if x is not None:  # windows k..m-1 of one recording, every hop samples
                if windows is None:
                    rows[k:m] = self._rows_of_windows(x, first, starts, ends, st)
                else:
                    rows[k:m] = self._rows_of_windows(x, first, starts, ends, st,
                                                      windows=windows)
                status[k:m] = st
                continue
            # a run of windows that share nothing: stacks of about a megabyte
            for g in range(k, m, per):
                h = min(g + per, m)
                chunk = S[g:h]
                if not chunk.flags.c_contiguous:
                    chunk = E._scratch("stack", chunk.shape, np.float64)
                    chunk[...] = S[g:h]
                rows[g:h], status[g:h] = self._rows_of_stack(chunk, first)
        self._warn_windows(status, first, reader, items, i0, sources)
        return rows

    def _warn_windows(self, status, first, reader, items, i0, sources) -> None:
        """The warnings of each signal, as the per-item path gives them: non-finite channels
        (the reader's, for the items not read in full) and flat ones."""
        import dataclasses

        flagged = np.flatnonzero((status > 0).any(axis=1))
        for k in flagged:
            if sources is not None:
                sig = sources[k]
            else:
                if k and (status[k] == 2).any():
                    reader.read(items[i0 + k], i0 + k)  # names its non-finite channels
                sig = dataclasses.replace(first, source=reader.label(items[i0 + k], i0 + k))
            if (status[k] == 1).any():
                self._status(sig, status[k])

    def features_of_windows(
        self, signal, spans: Sequence[tuple[int, int]], *, shared: dict | None = None
    ) -> np.ndarray:
        """Rows ``(n_windows, n_features)`` of the windows ``signal.data[:, a:b]`` of one
        recording (what the runner's ``--segment``/``--hop`` asks): one batched computation
        where the set has one (overlapping windows share their Welch segments), else window by
        window. Equal to :meth:`features_of` of each window.

        Flat channels are said once for all the windows: one
        :class:`~emofeat.extractors.eeg.EEGChannelWarning` naming each channel flat in some
        window and in how many (:func:`flat_windows_message`). ``shared``: a dict the caller
        passes to every set it runs on these windows of this signal (the runner does), so
        that their flat and non-finite channels are found once; given it, the set warns
        nothing but leaves its flat channels' window counts in ``shared["flat"]`` (``{name:
        count}``), for the caller to say once for the recording (the runner gathers a
        recording's gap-free stretches).
        """
        self.check_channels(signal)
        spans = np.asarray(spans, dtype=np.int64).reshape(-1, 2)
        short = self._short_windows(signal, spans)
        if short is None:
            rows, status = self._windows_rows(signal, spans, shared)
        else:
            # the last window of a recording cut every `hop` (shorter than the others): a
            # row of NaN, not the loss of the recording's other windows
            rows = np.full((spans.shape[0], len(self.feature_names())), np.nan)
            status = np.zeros((0, len(signal.channels)), dtype=np.int8)
            if not short.all():
                rows[~short], status = self._windows_rows(signal, spans[~short], shared)
        flat = np.count_nonzero(status == 1, axis=0)
        counts = {(signal.channels[c] if c < len(signal.channels) else f"#{c}"): int(flat[c])
                  for c in np.flatnonzero(flat)}
        if shared is not None:
            shared["flat"] = counts
        elif counts:
            # the windows counted are the rows given, a short one (NaN) among them
            warnings.warn(flat_windows_message(signal.source, counts, spans.shape[0],
                                               sets=[self]),
                          E.EEGChannelWarning, stacklevel=2)
        return rows

    def _windows_rows(self, signal, spans: np.ndarray, shared: dict | None
                      ) -> tuple[np.ndarray, np.ndarray]:
        """Rows of windows none of which is short, and their row status ``(n_windows,
        n_channels)`` (0 usable, 1 flat, 2 non-finite); flat channels not warned about."""
        fast = self._windowable(signal, spans) if self._batched else None
        n_fast = 0 if fast is None else int(np.count_nonzero(fast))
        x = np.ascontiguousarray(signal.data, dtype=np.float64)
        if n_fast:
            every = n_fast == spans.shape[0]
            if every:  # checked once per layout (remembered)
                starts, ends = E._spans(spans, x.shape[1])
            else:
                starts = np.ascontiguousarray(spans[fast, 0])
                ends = np.ascontiguousarray(spans[fast, 1])
            status = _windows_status(x, signal, starts, ends, shared)
            r = self._rows_of_windows(x, signal, starts, ends, status)
            if every:
                return r, status
        rows = np.empty((spans.shape[0], len(self.feature_names())))
        if n_fast:
            rows[fast] = r
        slow = np.arange(spans.shape[0]) if fast is None else np.flatnonzero(~fast)
        for w in slow:
            rows[w] = self._window_features(
                signal.span(int(spans[w, 0]), int(spans[w, 1])))[0][0]
        slow_status = _windows_status(x, signal, np.ascontiguousarray(spans[slow, 0]),
                                      np.ascontiguousarray(spans[slow, 1]), shared)
        return rows, slow_status if not n_fast else np.concatenate([status, slow_status])

    def _window_features(self, window) -> tuple[np.ndarray, np.ndarray]:
        """:meth:`features_of` of one window, its flat channels not named (the recording's
        windows are, at once). A subclass whose ``features_of`` takes no ``warn_flat``
        (written before it existed) is called without it, and the flat channels it reports
        of the window (:func:`emofeat.flat_channels.say_flat`, as the sets' helpers do) are
        left out (it raised a TypeError)."""
        if _takes_warn_flat(type(self).features_of):
            return self.features_of(window, warn_flat=False)
        from emofeat.flat_channels import flat_reports

        with flat_reports():
            return self.features_of(window)

    def _short_windows(self, signal, spans: np.ndarray) -> np.ndarray | None:
        """:func:`short_windows` of this set."""
        return short_windows(self, signal, spans, stacklevel=4)

    #: whether :meth:`_rows_of_windows` takes ``windows`` (the run's windows, each
    #: continuing the one before bit for bit) and reads the samples there
    _reads_windows = False

    def _windowable(self, signal, spans: np.ndarray) -> np.ndarray:
        return np.ones(spans.shape[0], dtype=bool)

    def _check_bands_for(self, signal) -> dict[str, tuple[float, float]]:
        from emofeat.errors import InputError

        try:
            return E.check_bands(_bands(self.bands), float(signal.sfreq))
        except ValueError as exc:
            raise InputError(signal.source, str(exc)) from None

    def warmup(self) -> None:
        """Compile every kernel of :attr:`kernels`: those of single inputs and, for the
        batched sets, of the windows of a recording (``--segment``/``--hop``: windows
        overlapping 2x and 4x; the windows' status where the reader has not flagged their
        non-finite rows, on a grid of spans and off it), and of windows given one by one that
        continue one another."""
        super().warmup()
        x, sf, names = self.warmup_input()
        n = x.shape[1]
        E.row_status(x)  # whole rows whose non-finite samples the reader has not flagged
        for hop in (n // 4, 3):  # spans on a grid of 8+ samples (blocks), and off it
            a = np.arange(0, n // 2 + 1, hop, dtype=np.int64)
            E._status_at(np.ascontiguousarray(x), a, a + n // 2)
        if not self._batched:
            return
        ext = self._clone().fit([(x, sf, names)])  # no sklearn import on a cold start
        sig = ext.reader().read((x, sf, names))[0]
        for hop in (n // 4, n // 16):
            ext.features_of_windows(sig, [(a, a + n // 2) for a in range(0, n // 2 + 1, hop)])
        # transform of windows that continue one another (their overlap found, then the
        # windows path)
        ext.transform([(x[:, a : a + n // 2], sf, names) for a in (0, n // 4)])

    def warmup_input(self) -> Any:
        rng = np.random.default_rng(0)
        sfreq = float(self.sfreq or 128.0)
        names = tuple(self.ch_names or ("AF3", "F7", "F3", "FC5", "CP5", "F4", "F8", "AF4"))
        return rng.standard_normal((len(names), int(4 * sfreq))) * 1e-5, sfreq, names


def _windows_status(x: np.ndarray, signal, starts: np.ndarray, ends: np.ndarray,
                    shared: dict | None) -> np.ndarray:
    """Row status ``(n_windows, n_channels)`` of the windows ``x[:, starts:ends]`` of
    ``signal``, found once for all the sets sharing ``shared`` (the runner's dict of this
    signal)."""
    key = ("status", starts.tobytes(), ends.tobytes())
    status = None if shared is None else shared.get(key)
    if status is None:
        # the reader's non-finite channels of these samples, when it read them: the
        # windows' status without another pass over the recording
        status = E._status_at(x, starts, ends, nonfinite=known_nonfinite(signal))
        if shared is not None:
            shared[key] = status
    return status


def _joined(names: Sequence[str]) -> str:
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} and {names[-1]}"


def flat_windows_message(source: str, counts: dict[str, int], n_windows: int,
                         unit: str = "windows", said: Sequence[str] = (FLAT_NAN,),
                         sets: Sequence[Any] = ()) -> str:
    """The one flat-channel warning of a recording cut into ``n_windows`` windows (``unit``:
    or of its ``n_windows`` ``"epochs"`` or ``"gap-free stretches"``), ``counts`` the
    windows each flat channel is flat in (``{"AF7": 15}``); ``said``: what the sets' own
    warnings said of the features (:data:`FLAT_NAN`, or rqa_eeg's words), each said once,
    naming the ``sets`` (the run's) that said it; the asymmetry pairs only where an
    asymmetry set ran (the Muse file with AF7 flat, ``eeg_de`` alone, spoke of them)."""
    shown = [f"{name} ({k} of {n_windows} {unit})" for name, k in counts.items()]
    many = len(shown) > 1
    its, it = ("their", "them") if many else ("its", "it")
    by_said: dict[str, list[Any]] = {}
    for ext in sets:  # a set saying nothing of a flat channel (eeg_stats) is not named
        by_said.setdefault(flat_words(ext), []).append(ext)
    clauses = []
    for what in said:
        exts = by_said.get(what, [])
        names = list(dict.fromkeys(e.set_name or type(e).__name__ for e in exts))
        if what == FLAT_NAN:
            pairs = list(dict.fromkeys(e.set_name or type(e).__name__ for e in exts
                                       if isinstance(e, EEGAsymmetry)))
            own = [n for n in names if n not in pairs]
            parts = [f"{its} {_joined(own)} features"] if own else []
            if not names:  # a set of another name's said it
                parts = [f"{its} features"]
            if pairs:
                parts.append(f"the {_joined(pairs)} features of the pairs with {it}")
            clauses.append(f"{' and '.join(parts)} in those {unit} are NaN")
        elif names and what.startswith("its RQA measures"):
            clauses.append(f"{its} {_joined(names)} measures{what[len('its RQA measures'):]}")
        elif what.startswith("its "):
            # another set's words (a user's flat_said, "its features are zero"): its name and
            # the windows put in as in the clause above, "its" for the channels named
            rest = what[len("its "):]
            if rest.startswith("features "):
                rest = f"features in those {unit} {rest[len('features '):]}"
            clauses.append(" ".join([its, *([_joined(names)] if names else []), rest]))
        else:
            clauses.append(f"{_joined(names)}: {what}" if names else what)
    return (f"{source}: flat (constant) signal in channel{'s' if many else ''} "
            f"{', '.join(shown)}; " + "; ".join(clauses))


class EEGBandPower(_EEGSet):
    """Band power of every channel: absolute, relative and dB, from one Welch PSD per window.

    Parameters
    ----------
    bands : mapping name -> (lo, hi) Hz, default delta 1-4, theta 4-8, alpha 8-13,
        beta 13-30, gamma 30-45 (half-open ``[lo, hi)``).
    kinds : sequence of {"abs", "rel", "db"}
        ``abs``: PSD integrated over the band (unit^2); ``rel``: over the power of
        ``relative_to``; ``db``: ``10 log10(abs)``.
    relative_to : {"bands", "all"}
        Denominator of relative power: the span of the bands (lowest to highest edge,
        default) or the whole spectrum 0 Hz to Nyquist (mne-features' convention).
    psd_method : {"welch", "multitaper"}
    segment : float
        Welch segment length in seconds (shortened to the window when longer); the FFT has
        as many points as the segment.
    overlap : float
        Overlap of Welch segments, a fraction of the segment (rounded to whole samples,
        leaving a step of one sample at least).
    sfreq, ch_names
        Rate and channel names of bare arrays (files and MNE objects carry theirs).
    """

    set_name: ClassVar[str] = "eeg_bands"
    #: 1 (session 57): bins counted on the PSD's own grid (f4254bc) move the set's minimum
    #: at some rates and bands (a 17.5-20 Hz band at 1000 Hz, 8-12 Hz at 300 Hz), and so
    #: which tail windows a ``--segment`` run keeps: an output of those rows is refused on
    #: resume rather than finished with the other row set (also eeg_de, eeg_asymmetry)
    numbers_version: ClassVar[int] = 1
    kernels: ClassVar[tuple[str, ...]] = _WELCH_KERNELS + _WINDOW_KERNELS + _READ_KERNELS

    def __init__(
        self,
        *,
        bands: Mapping[str, Sequence[float]] | None = None,
        kinds: Sequence[str] = BAND_KINDS,
        relative_to: str = "bands",
        psd_method: str = "welch",
        segment: float = 1.0,
        overlap: float = 0.5,
        sfreq: float | None = None,
        ch_names: Sequence[str] | None = None,
    ) -> None:
        self.bands = bands
        self.kinds = kinds
        self.relative_to = relative_to
        self.psd_method = psd_method
        self.segment = segment
        self.overlap = overlap
        self.sfreq = sfreq
        self.ch_names = ch_names

    def _check_params(self) -> None:
        self._check_common()
        distinct_names(self.kinds, "kinds", BAND_KINDS)
        if self.relative_to not in ("bands", "all"):
            raise ValueError(f"relative_to must be 'bands' or 'all', got {self.relative_to!r}")
        if self.psd_method not in ("welch", "multitaper"):
            raise ValueError(f"psd_method must be 'welch' or 'multitaper', got {self.psd_method!r}")

    def _length_problem(self, n_times: int, sfreq: float) -> tuple[bool, str] | None:
        return self._spectral_problem(_bands(self.bands), n_times, sfreq,
                                      welch=self.psd_method == "welch")

    def _min_samples(self, sfreq: float | None) -> int:
        return self._spectral_min(_bands(self.bands), sfreq, welch=self.psd_method == "welch")

    def _spectrum_points(self, sfreq: float) -> tuple[float, str] | None:
        return self._bands_points(_bands(self.bands), sfreq, welch=self.psd_method == "welch")

    def feature_names(self) -> list[str]:
        return self._names(lambda: [
            f"{self.set_name}_{k}_{b}_{c}"
            for k in self.kinds
            for b in _bands(self.bands)
            for c in self._channels()
        ], tuple(self.kinds), self.bands)

    _batched: ClassVar[bool] = True

    def _total(self, bands) -> tuple[float, float] | None:
        if self.relative_to != "bands":
            return None
        # the edges are checked floats: min and max are exact either way
        return (min(lo for lo, _ in bands.values()), max(hi for _, hi in bands.values()))

    def _rows(self, out: dict[str, np.ndarray], n: int) -> np.ndarray:
        # kind-major, then band, then channel (the order of feature_names), written in place
        kinds = self.kinds
        first = out[_KIND_TO_FN[kinds[0]]]
        n_ch, nb = first.shape[-2], first.shape[-1]
        rows = np.empty((n, len(kinds), nb, n_ch))
        for j, k in enumerate(kinds):
            rows[:, j] = np.swapaxes(out[_KIND_TO_FN[k]].reshape(n, n_ch, nb), 1, 2)
        return rows.reshape(n, -1)

    def features_of(self, signal, *, warn_flat: bool = True) -> tuple[np.ndarray, np.ndarray]:
        x = self._data(signal, warn_flat)
        bands = self._check_bands_for(signal)
        sf = float(signal.sfreq)
        kw = self._welch_kwargs(sf, x.shape[1]) if self.psd_method == "welch" else {}
        out = E.band_power_features(
            x,
            sf,
            bands,
            kinds=[_KIND_TO_FN[k] for k in self.kinds],
            total_band=self._total(bands),
            psd_method=self.psd_method,
            **kw,
        )
        return self._rows(out, 1), np.empty(0)

    def _stackable(self, signal) -> bool:
        return self.psd_method == "welch"

    def _rows_of_stack(self, x: np.ndarray, signal) -> tuple[np.ndarray, np.ndarray]:
        bands = self._check_bands_for(signal)
        sf = float(signal.sfreq)
        rows, lead = E.as_rows(x)
        status = E.row_status(rows)
        p, f, _ = E._welch_rows(rows, sf, status=status, scratch=True,
                                **self._welch_kwargs(sf, x.shape[-1]))
        out = E._band_features(p, f, status > 0, bands, [_KIND_TO_FN[k] for k in self.kinds],
                               self._total(bands))
        out = {k: v.reshape(lead + (len(bands),)) for k, v in out.items()}
        return self._rows(out, x.shape[0]), status.reshape(lead)

    def _windowable(self, signal, spans: np.ndarray) -> np.ndarray:
        if self.psd_method != "welch":
            return np.zeros(spans.shape[0], dtype=bool)
        # windows shorter than a segment get a shorter segment of their own (features_of)
        n_seg = int(round(float(self.segment) * float(signal.sfreq)))
        return (spans[:, 1] - spans[:, 0]) >= max(n_seg, 1)

    #: ``transform``'s continuing windows are read where they are (``windows`` of
    #: :meth:`_rows_of_windows`), not copied into their recording first
    _reads_windows = True

    def warmup(self) -> None:
        """As every EEG set's, and the windows of absolute and relative power alone, which
        one kernel makes from the band sums (:func:`band_rows`; with ``db`` NumPy does)."""
        super().warmup()
        x, sf, names = self.warmup_input()
        ext = self._clone().set_params(kinds=("abs", "rel")).fit([(x, sf, names)])
        n = x.shape[1]
        ext.features_of_windows(ext.reader().read((x, sf, names))[0],
                                [(a, a + n // 2) for a in range(0, n // 2 + 1, n // 4)])

    def _rows_of_windows(self, x, signal, starts, ends, status, windows=None) -> np.ndarray:
        bands = self._check_bands_for(signal)
        sf = float(signal.sfreq)
        kw = self._welch_kwargs(sf, int((ends - starts).max()))
        codes = _row_kind_codes(tuple(self.kinds))
        if codes is not None:
            # absolute and relative power: the rows made from the sums in one kernel pass
            # (_kinds_of_sums + _rows: a dozen numpy calls a recording, the same operations)
            sums, f = E._welch_window_sums(x, sf, starts, ends, bands, self._total(bands),
                                           windows=windows, **kw)
            rows = np.empty((starts.shape[0], len(codes) * len(bands) * x.shape[0]))
            E._kernels().band_rows(sums.reshape(-1, sums.shape[-1]),
                                   f[1] - f[0] if f.size > 1 else 1.0,
                                   status.reshape(-1) > 0, codes, rows)
            return rows
        out = E._welch_window_bands(x, sf, starts, ends, bands,
                                    [_KIND_TO_FN[k] for k in self.kinds], self._total(bands),
                                    status, windows=windows, **kw)
        out = {k: v.reshape(starts.shape[0], x.shape[0], len(bands)) for k, v in out.items()}
        return self._rows(out, starts.shape[0])


class EEGDifferentialEntropy(_EEGSet):
    """Differential entropy of every channel in every band (Gaussian closed form, nats).

    Parameters
    ----------
    bands : mapping name -> (lo, hi) Hz, default as :class:`EEGBandPower`
    method : {"psd", "filter"}, default "psd"
        ``filter``: ``0.5 ln(2 pi e var)`` of the window band-passed by MNE's zero-phase FIR
        (SEED/DEAP/DREAMER); ``psd``: ``0.5 ln(2 pi e P)`` with ``P`` the Welch band power
        (the band-passed variance by Parseval, for an ideal band-pass; the FIR's transition
        bands widen each band, the two differ by 0.1-0.3 nats in median: docs/eeg.md). The
        function :func:`~emofeat.extractors.eeg.differential_entropy` defaults to
        ``filter``, this set to ``psd``.
        For windows shorter than the filters (the 1 Hz delta edge needs 3.3 s), band-pass the
        continuous recording first (:func:`emofeat.eeg_input.filter_recording`) or use
        ``psd``.
    segment, overlap : float
        Welch settings of ``method="psd"`` (as :class:`EEGBandPower`).
    sfreq, ch_names
        Rate and channel names of bare arrays.

    Notes
    -----
    Smoothing over consecutive windows with a linear dynamical system (SEED's ``de_LDS``)
    needs the windows of a trial together: apply :func:`emofeat.extractors.eeg.lds_smooth`
    to each trial's rows of the feature table.
    """

    set_name: ClassVar[str] = "eeg_de"
    #: 1 (session 57): as :class:`EEGBandPower`'s (eeg_asymmetry inherits it)
    numbers_version: ClassVar[int] = 1
    kernels: ClassVar[tuple[str, ...]] = (
        "emofeat.extractors._eeg_kernels:welch_segments,welch_average,band_sums,row_status",
        *_READ_KERNELS,
    )

    def __init__(
        self,
        *,
        bands: Mapping[str, Sequence[float]] | None = None,
        method: str = "psd",
        segment: float = 1.0,
        overlap: float = 0.5,
        sfreq: float | None = None,
        ch_names: Sequence[str] | None = None,
    ) -> None:
        self.bands = bands
        self.method = method
        self.segment = segment
        self.overlap = overlap
        self.sfreq = sfreq
        self.ch_names = ch_names

    def _check_params(self) -> None:
        self._check_common()
        if self.method not in ("filter", "psd"):
            raise ValueError(f"method must be 'filter' or 'psd', got {self.method!r}")

    def _length_problem(self, n_times: int, sfreq: float) -> tuple[bool, str] | None:
        if self.method != "psd":
            return None  # band-passed samples: see the class notes on short windows
        return self._spectral_problem(_bands(self.bands), n_times, sfreq)

    def _min_samples(self, sfreq: float | None) -> int:
        if self.method != "psd":
            return 1
        return self._spectral_min(_bands(self.bands), sfreq)

    def _spectrum_points(self, sfreq: float) -> tuple[float, str] | None:
        # method="filter": no spectrum; its filters' lengths are checked (check_fir_length)
        return self._bands_points(_bands(self.bands), sfreq) if self.method == "psd" else None

    def feature_names(self) -> list[str]:
        return self._names(lambda: [f"{self.set_name}_{b}_{c}" for b in _bands(self.bands)
                                    for c in self._channels()], self.bands)

    def _de(self, x: np.ndarray, signal) -> np.ndarray:
        bands = self._check_bands_for(signal)
        sf = float(signal.sfreq)
        if self.method == "psd":
            return E.differential_entropy(x, sf, bands, method="psd",
                                          **self._welch_kwargs(sf, x.shape[1]))
        return E.differential_entropy(x, sf, bands, method="filter", source=signal.source)

    def features_of(self, signal, *, warn_flat: bool = True) -> tuple[np.ndarray, np.ndarray]:
        x = self._data(signal, warn_flat)
        return self._de(x, signal).T.reshape(1, -1), np.empty(0)


class EEGAsymmetry(EEGDifferentialEntropy):
    """Hemispheric asymmetry of symmetric electrode pairs, found from 10-20/10-10 names.

    Parameters
    ----------
    kinds : sequence of {"dasm", "rasm", "dcau", "faa"}
        ``dasm``: left - right differential entropy per band (pairs ``F3``-``F4``,
        ``AF7``-``AF8``, ``TP9``-``TP10``, ...); ``rasm``: left / right; ``dcau``: frontal -
        posterior (``FC5``-``CP5``, ``FT7``-``TP7``, ...); ``faa``: frontal alpha asymmetry
        ``ln(alpha_right) - ln(alpha_left)`` of ``Fp1``-``Fp2``, ``AF3``-``AF4``,
        ``AF7``-``AF8``, ``F3``-``F4``, ``F7``-``F8`` (needs a band named ``alpha``).
    bands, method, segment, overlap, sfreq, ch_names
        As :class:`EEGDifferentialEntropy` (the features whose asymmetry is taken). FAA is
        always the difference of Welch alpha log powers, as the field reports it, also with
        ``method="filter"``, which changes the DE-based kinds (DASM, RASM, DCAU) only.

    Bipolar derivations (``FP1-F7``, ``EEG T3-T5``: a double banana) pair with the
    derivation of the mirrored electrodes for ``dasm``, ``rasm`` and ``dcau``, named
    ``(FP1-F7)-(FP2-F8)``; single electrodes pair with single electrodes only. The ``faa``
    pairs are single electrodes, so a bipolar montage has no FAA column (see
    :func:`emofeat.extractors.eeg.symmetric_pairs`, ``caudal_pairs``, ``faa_pairs``).

    A kind with no pair in the montage gives no column and an
    :class:`~emofeat.readers.EEGMontageWarning` at :meth:`fit`; a montage with no pair at
    all is refused there.
    """

    set_name: ClassVar[str] = "eeg_asymmetry"
    kernels: ClassVar[tuple[str, ...]] = (
        "emofeat.extractors._eeg_kernels:welch_segments,welch_average,band_sums,row_status",
        *_READ_KERNELS,
    )

    def __init__(
        self,
        *,
        kinds: Sequence[str] = ASYM_KINDS,
        bands: Mapping[str, Sequence[float]] | None = None,
        method: str = "psd",
        segment: float = 1.0,
        overlap: float = 0.5,
        sfreq: float | None = None,
        ch_names: Sequence[str] | None = None,
    ) -> None:
        super().__init__(
            bands=bands,
            method=method,
            segment=segment,
            overlap=overlap,
            sfreq=sfreq,
            ch_names=ch_names,
        )
        self.kinds = kinds

    def _check_params(self) -> None:
        super()._check_params()
        kinds = distinct_names(self.kinds, "kinds", ASYM_KINDS)
        if "faa" in kinds and "alpha" not in _bands(self.bands):
            raise ValueError("kind 'faa' needs a band named 'alpha' in bands")

    def _length_problem(self, n_times: int, sfreq: float) -> tuple[bool, str] | None:
        # FAA comes from a Welch alpha power whatever the method: with method="filter" the
        # DE sets check nothing, and an alpha band without a bin gave a silent NaN
        problem = super()._length_problem(n_times, sfreq)
        if problem is None and "faa" in self.kinds and self.method != "psd":
            problem = self._spectral_problem(self._faa_band(), n_times, sfreq)
        return problem

    def _min_samples(self, sfreq: float | None) -> int:
        least = super()._min_samples(sfreq)
        if "faa" in self.kinds and self.method != "psd":
            least = max(least, self._spectral_min(self._faa_band(), sfreq))
        return least

    def _spectrum_points(self, sfreq: float) -> tuple[float, str] | None:
        if "faa" in self.kinds and self.method != "psd":
            return self._bands_points(self._faa_band(), sfreq)
        return super()._spectrum_points(sfreq)

    def _faa_band(self) -> dict[str, Sequence[float]]:
        return {"alpha": _bands(self.bands)["alpha"]}

    def _pairs(self) -> dict[str, list[tuple[int, int]]]:
        ch = self._channels()
        found = {
            "dasm": E.symmetric_pairs(ch),
            "rasm": E.symmetric_pairs(ch),
            "dcau": E.caudal_pairs(ch),
            "faa": E.faa_pairs(ch),
        }
        return {k: found[k] for k in self.kinds}

    def fit(self, X: Any = None, y: Any = None) -> EEGAsymmetry:
        super().fit(X, y)
        if not self.feature_names():
            ch = list(self._channels())
            kinds = list(self.kinds)
            # FAA pairs the single electrodes of FAA_PAIRS only (derivations through
            # E.faa_pairs alone): say so rather than speak of derivation pairs it never takes
            why = "FAA_PAIRS"
            if E._readings(ch).bipolar:
                why += "; a bipolar derivation is no FAA site"
            faa = (
                "kind 'faa' needs a pair of single electrodes "
                + ", ".join(f"{a}/{b}" for a, b in E.FAA_PAIRS)
                + f" ({why})"
            )
            blocks = self._blocks_said(ch)
            blocks = f"; {blocks}" if blocks else ""
            if kinds == ["faa"]:
                raise ValueError(f"{self.set_name}: {faa}; channels {ch} have none{blocks}")
            also = f"; {faa}, of which there is none" if "faa" in kinds else ""
            raise ValueError(
                f"{self.set_name}: no symmetric 10-20 electrode pair or bipolar derivation "
                f"pair among channels {ch} for kinds {kinds}{also}{blocks}"
            )
        self._warn_kinds_without_pairs()
        ch = self._channels()
        alike = E._block_lookalikes(ch)
        if alike:
            warn_montage(f"{self.set_name}: {self._blocks_said(ch, alike)}", ch)
        return self

    @staticmethod
    def _blocks_said(ch: Sequence[str], alike: list[str] | None = None) -> str:
        """What a montage numbered by blocks (BioSemi's A1..D32) means for its pairs, and
        what to do; "" for any other montage. ``alike``: its
        :func:`~emofeat.extractors.eeg._block_lookalikes`, where known."""
        blocks = sorted(E._readings(ch).blocks)
        if not blocks:
            return ""
        said = (f"the montage numbers its electrodes by blocks {blocks[0]}..{blocks[-1]} "
                "(BioSemi's A1..A32, B1..B32, ...), which name no 10-20 site")
        alike = E._block_lookalikes(ch) if alike is None else alike
        if alike:
            shown = ", ".join(alike[:6]) + (f", ... ({len(alike)} in all)" if len(alike) > 6
                                            else "")
            letters = sorted({E._ends(a)[0][0] for a in alike})
            said += (f": {shown} {noun(len(alike), 'is an electrode', 'are electrodes')} of "
                     f"{noun(len(letters), 'block', 'blocks')} {', '.join(letters)}, not the "
                     f"10-20 {noun(len(alike), 'site', 'sites')} of "
                     f"{noun(len(alike), 'that name', 'those names')}")
        return (said + "; to pair electrodes, pick them and give them their 10-20 names "
                "(raw.pick([...]).rename_channels({...}))")

    #: what a pair of each kind is, for the word on a kind the montage has none of
    _PAIR_WORDS: ClassVar[dict[str, str]] = {
        "dasm": "left/right pair (n and n + 1 of one 10-20 row, or mirrored derivations)",
        "rasm": "left/right pair (n and n + 1 of one 10-20 row, or mirrored derivations)",
        "dcau": "frontal/posterior pair (rows FC/CP, FT/TP, F/P, AF/PO, Fp/O, or mirrored "
                "derivations)",
        "faa": "pair of single electrodes " + ", ".join(f"{a}/{b}" for a, b in E.FAA_PAIRS),
    }

    def _warn_kinds_without_pairs(self) -> None:
        # a kind asked for (by default too) that gives no column: said once, at fit, as a
        # bipolar montage's missing FAA or a Muse headband's missing DCAU went unnoticed
        missing = [k for k, p in self._pairs().items() if not p]
        if not missing:
            return
        ch = self._channels()
        by_words: dict[str, list[str]] = {}  # dasm and rasm share their pairs: one clause
        for k in missing:
            by_words.setdefault(self._PAIR_WORDS[k], []).append(repr(k))
        why = [f"no {' or '.join(ks)} column, as they hold no {w}" for w, ks in by_words.items()]
        if "faa" in missing and E._readings(ch).bipolar:
            why = [w + ": a bipolar derivation is no FAA site" if "'faa'" in w else w
                   for w in why]
        kept = tuple(k for k in self.kinds if k not in missing)
        warn_montage(
            f"{self.set_name}, {counted(len(ch), 'channel')}: {'; '.join(why)}; "
            f"kinds={kept!r} asks only for what they have",
            ch,
        )

    def feature_names(self) -> list[str]:
        return self._names(self._make_names, tuple(self.kinds), self.bands)

    def _make_names(self) -> list[str]:
        ch = self._channels()
        names = []
        for kind, pairs in self._pairs().items():
            labels = E.pair_names(ch, pairs)
            if kind == "faa":
                names += [f"{self.set_name}_faa_{p}" for p in labels]
            else:
                names += [
                    f"{self.set_name}_{kind}_{b}_{p}" for b in _bands(self.bands) for p in labels
                ]
        return names

    def features_of(self, signal, *, warn_flat: bool = True) -> tuple[np.ndarray, np.ndarray]:
        x = self._data(signal, warn_flat)
        de = None
        parts = []
        for kind, pairs in self._pairs().items():
            if not pairs:
                continue
            if kind == "faa":
                sf = float(signal.sfreq)
                kw = self._welch_kwargs(sf, x.shape[1])
                alpha = {"alpha": _bands(self.bands)["alpha"]}
                E.check_bands(alpha, sf)
                p = E.band_power_features(x, sf, alpha, kinds=("absolute",), **kw)["absolute"][:, 0]
                parts.append(E.frontal_alpha_asymmetry(p, pairs))
            else:
                if de is None:
                    de = self._de(x, signal)
                parts.append(E.asymmetry(de, pairs, kind).T.reshape(-1))
        return np.concatenate(parts)[None, :], np.empty(0)


class EEGHjorth(_EEGSet):
    """Hjorth activity, mobility and complexity of every channel.

    Parameters
    ----------
    convention : {"hjorth", "mne_features"}
        ``hjorth``: Hjorth (1970), population variances of the signal and its differences;
        ``mne_features``: mne-features 0.3 (a zero prepended before each difference, sample
        variances), biased by a DC offset.
    sfreq, ch_names
        Rate and channel names of bare arrays.

    Mobility is per sample (multiply by the rate for Hz), as mne-features.
    """

    set_name: ClassVar[str] = "eeg_hjorth"
    kernels: ClassVar[tuple[str, ...]] = _HJORTH_KERNELS + _READ_KERNELS

    def __init__(
        self,
        *,
        convention: str = "hjorth",
        sfreq: float | None = None,
        ch_names: Sequence[str] | None = None,
    ) -> None:
        self.convention = convention
        self.sfreq = sfreq
        self.ch_names = ch_names

    def _check_params(self) -> None:
        self._check_common()
        if self.convention not in ("hjorth", "mne_features"):
            raise ValueError(
                f"convention must be 'hjorth' or 'mne_features', got {self.convention!r}"
            )

    def feature_names(self) -> list[str]:
        return self._names(lambda: [f"{self.set_name}_{h}_{c}" for h in HJORTH
                                    for c in self._channels()])

    def _fewest(self) -> int:
        """Fewest samples from which every parameter depends on the samples: 4 in Hjorth's
        convention, whose complexity with 3 samples is the variance of one second
        difference, 0 whatever they are (the rounding's 1e-15 at most); 3 in mne-features',
        whose differences start from a prepended zero."""
        return 4 if self.convention == "hjorth" else 3

    def _length_problem(self, n_times: int, sfreq: float) -> tuple[bool, str] | None:
        need = self._fewest()
        if n_times >= need:
            return None
        why = ("the complexity's second differences: with 3 samples there is one, whose "
               "variance is 0 whatever they are" if need == 4 else "a second difference")
        return True, (f"{too_few_samples(n_times, sfreq)} for the '{self.set_name}' set: "
                      f"Hjorth parameters need {need} samples ({why})")

    def _min_samples(self, sfreq: float | None) -> int:
        return self._fewest()

    def features_of(self, signal, *, warn_flat: bool = True) -> tuple[np.ndarray, np.ndarray]:
        x = self._data(signal, warn_flat)  # TooShortError under _fewest() samples
        h = E.hjorth_parameters(x, convention=self.convention)
        return h.T.reshape(1, -1), np.empty(0)

    _batched: ClassVar[bool] = True

    def _stackable(self, signal) -> bool:
        # else features_of names the short input
        return np.shape(signal.data)[-1] >= self._fewest()

    def _rows_of_stack(self, x: np.ndarray, signal) -> tuple[np.ndarray, np.ndarray]:
        rows, lead = E.as_rows(x)
        h, status = E._hjorth_status_rows(rows, self.convention)
        h = h.reshape(lead + (3,))
        return np.swapaxes(h, -1, -2).reshape(x.shape[0], -1), status.reshape(lead)

    def _windowable(self, signal, spans: np.ndarray) -> np.ndarray:
        return (spans[:, 1] - spans[:, 0]) >= self._fewest()

    def _rows_of_windows(self, x, signal, starts, ends, status) -> np.ndarray:
        h, _ = E._hjorth_windows(x, starts, ends, self.convention, status)
        return np.swapaxes(h, -1, -2).reshape(starts.shape[0], -1)

    def _rows_of_arrays(self, arrays: list[np.ndarray], first, reader, items, i0: int,
                        sources: list[Any] | None = None) -> np.ndarray:
        """As the base, but windows each sample of which lies in at most 3 of them (hop at
        least a third of the window: 50 % overlap, every layout but the dense ones) are
        computed as they are, rows of the windows array: the base would rebuild their
        recording (a pass over every window, a write of the recording) only to compute the
        same ``hjorth_row`` of the same samples per window (:func:`E._hjorth_at` takes the
        per-block sums of ``hjorth_blocks`` only for windows denser than that), and no
        continuity check is needed for values computed window by window. Each window's
        status (flat, non-finite) in one vectorised pass over its rows."""
        S = _stack(arrays)
        n, n_ch, n_t = S.shape
        if n < 2 or n_t < self._fewest() or not S.flags.c_contiguous:
            return super()._rows_of_arrays(arrays, first, reader, items, i0, sources)
        hop = E._hop(S)
        if hop and n_t > 3 * hop:  # dense: the recording's block sums are faster
            return super()._rows_of_arrays(arrays, first, reader, items, i0, sources)
        K = E._kernels()
        rows2 = S.reshape(n * n_ch, n_t)
        st = np.empty(n * n_ch, dtype=np.int8)
        h = np.empty((n * n_ch, 3))
        # each row's status and Hjorth while the row is in cache (one read of the windows)
        K.hjorth_status(rows2, self.convention == "mne_features", h, st)
        status = st.reshape(n, n_ch)
        h = E._nan_bad_rows(h, st > 0).reshape(n, n_ch, 3)
        self._warn_windows(status, first, reader, items, i0, sources)
        return np.swapaxes(h, -1, -2).reshape(n, -1)


class EEGSpectral(_EEGSet):
    """Spectral shape of every channel: entropy and edge frequencies of the Welch PSD.

    Parameters
    ----------
    fmin, fmax : float
        Frequency range (Hz) the spectrum is taken over (default 1-45 Hz; ``fmax`` is cut to
        Nyquist).
    edges : sequence of float
        Spectral edge fractions (default 0.5 and 0.9: ``sef50``, ``sef90``).
    normalize : bool
        Entropy divided by ``log2(n_bins)`` (1 for a flat spectrum).
    segment, overlap, sfreq, ch_names
        As :class:`EEGBandPower`.
    """

    set_name: ClassVar[str] = "eeg_spectral"
    #: 1 (session 57): a range must hold two PSD bins (90bfd32), which raised the set's
    #: minimum for narrow ranges above the EEG tail rule's quarter second (8-13 Hz: 99
    #: samples at 256 Hz, the rule 65), so a ``--segment`` run drops tail windows of 65-98
    #: samples for every set of the run that it kept before: an output of those rows is
    #: refused on resume rather than finished with the other row set
    numbers_version: ClassVar[int] = 1
    kernels: ClassVar[tuple[str, ...]] = (
        "emofeat.extractors._eeg_kernels:welch_segments,welch_average,row_status",
        *_READ_KERNELS,
    )

    def __init__(
        self,
        *,
        fmin: float = 1.0,
        fmax: float = 45.0,
        edges: Sequence[float] = (0.5, 0.9),
        normalize: bool = True,
        segment: float = 1.0,
        overlap: float = 0.5,
        sfreq: float | None = None,
        ch_names: Sequence[str] | None = None,
    ) -> None:
        self.fmin = fmin
        self.fmax = fmax
        self.edges = edges
        self.normalize = normalize
        self.segment = segment
        self.overlap = overlap
        self.sfreq = sfreq
        self.ch_names = ch_names

    def _check_params(self) -> None:
        self._check_common()
        if not 0 <= float(self.fmin) < float(self.fmax):
            raise ValueError(f"need 0 <= fmin < fmax, got {self.fmin}, {self.fmax}")
        try:
            edges = tuple(float(e) for e in self.edges)
        except (TypeError, ValueError):
            edges = None  # a bare number or non-numbers: refused below, naming the parameter
        if edges is None or any(not 0 < e < 1 for e in edges) or len(
            {self._edge_name(e) for e in edges}
        ) != len(edges):
            raise ValueError("edges must be a sequence of distinct fractions in (0, 1) (e.g. "
                             f"(0.5, 0.9)), got {self.edges!r}")

    @staticmethod
    def _edge_name(e: float) -> str:
        # the percentage to 10 decimals, not rounded to one: 0.9996 was named 'sef100' (the
        # edge of all the power), 0.0004 'sef0', and 0.0004 with 0.0003 refused as one name
        pct = np.format_float_positional(100 * float(e), precision=10, trim="-")
        return f"sef{pct}".replace(".", "p")

    def _length_problem(self, n_times: int, sfreq: float) -> tuple[bool, str] | None:
        lo, hi = float(self.fmin), min(float(self.fmax), sfreq / 2)
        if lo >= hi:  # fmax is cut to Nyquist: nothing of the range is left at this rate
            return False, (f"fmin={lo:g} Hz is not below Nyquist ({sfreq / 2:g} Hz at "
                           f"{sfreq:g} Hz): the '{self.set_name}' set has no range to analyse")
        # two bins at least: with one, entropy and edges do not depend on the signal
        return _range_problem(self.set_name, lo, hi, float(sfreq), int(n_times),
                              self._segment_samples(sfreq))

    def _min_samples(self, sfreq: float | None) -> int:
        if sfreq is None:
            return 1
        lo, hi = float(self.fmin), min(float(self.fmax), sfreq / 2)
        if lo >= hi:
            return 1
        return _range_min(lo, hi, float(sfreq), self._segment_samples(sfreq))

    def _spectrum_points(self, sfreq: float) -> tuple[float, str] | None:
        # the segment's own bins are counted (_range_min), whatever the input's length
        return float(self.segment) * sfreq, f"its Welch segments of {float(self.segment):g} s"

    def _segment_samples(self, sfreq: float) -> int:
        """The Welch segment in samples, as :meth:`_welch_kwargs` takes it."""
        return max(int(round(float(self.segment) * sfreq)), 1)

    def feature_names(self) -> list[str]:
        kinds = ["entropy", *(self._edge_name(e) for e in self.edges)]
        return [f"{self.set_name}_{k}_{c}" for k in kinds for c in self._channels()]

    def features_of(self, signal, *, warn_flat: bool = True) -> tuple[np.ndarray, np.ndarray]:
        x = self._data(signal, warn_flat)
        sf = float(signal.sfreq)
        psd, freqs = E.welch_psd(x, sf, **self._welch_kwargs(sf, x.shape[1]))
        lo, hi = float(self.fmin), min(float(self.fmax), sf / 2)
        parts = [E.spectral_entropy(psd, freqs, fmin=lo, fmax=hi, normalize=bool(self.normalize))]
        parts += [E.spectral_edge_frequency(psd, freqs, e, fmin=lo, fmax=hi) for e in self.edges]
        out = np.stack(parts)
        bad = E.bad_channel_mask(x)
        out[:, bad] = np.nan
        return out.reshape(1, -1), np.empty(0)
