"""Signals: one input item made ready for an extractor, whatever its modality.

Every reader (:mod:`emofeat.readers`) turns an input item (a file, an array, an MNE object, a
string) into one or more signals, and every extractor computes its features from a signal.
A signal carries its data, its rate, where it came from (named in every error) and the identity
columns it adds to its output rows. Three kinds exist:

* :class:`~emofeat.audio.Audio`: ``data`` ``(n_samples,)`` float32 mono, ``rate`` in Hz,
  ``meta`` ``orig_sr`` and ``orig_channels``;
* :class:`EEGSignal`: ``data`` ``(n_channels, n_times)`` float64, ``rate`` in Hz, ``channels``,
  ``meta`` ``epoch`` (epoched input);
* :class:`TextSignal`: ``data`` the text, ``rate`` ``None``, no ``meta``.
"""

from __future__ import annotations

import sys
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol, runtime_checkable

import numpy as np


def unmasked(x: Any) -> tuple[Any, np.ndarray | None]:
    """``x`` without a ``numpy.ma`` mask: its data, and the mask where it masks a value.

    Every in-memory signal goes through this where it becomes samples (:mod:`emofeat.audio`'s
    ``prepare_signal``, the EEG reader): NumPy's conversion keeps a masked array's data, the
    values under the mask included, so a masked array was measured as if nothing were masked.

    Parameters
    ----------
    x : any
        An input's samples, as given.

    Returns
    -------
    data : any
        ``x.data`` of a masked array (a plain ndarray), else ``x`` itself.
    mask : ndarray of bool or None
        The mask (``x``'s shape) where it masks at least one value; ``None`` for a masked
        array with nothing masked (it is its data) and for any other input.
    """
    # a masked array cannot exist before numpy.ma is imported, and the command does not
    # import it (np.ma would: 7-8 ms)
    ma = sys.modules.get("numpy.ma")
    if ma is None or not isinstance(x, ma.MaskedArray):
        return x, None
    mask = ma.getmaskarray(x)
    return x.data, (mask if mask.any() else None)


def nan_filled(data: Any, mask: np.ndarray | None, dtype: Any = None) -> np.ndarray:
    """A C-contiguous copy of ``data``, NaN where ``mask`` is true: a masked array's masked
    samples read as missing (NaN) samples, wherever a modality's rule reads them so.

    Parameters
    ----------
    data : array_like
        A masked array's data (:func:`unmasked`'s first result).
    mask : ndarray of bool or None
        Where to put NaN (``data``'s shape, or one that broadcasts to it); ``None``: nowhere.
    dtype : dtype, optional
        Of the copy. Default: ``data``'s promoted with a float as NumPy promotes it (float32
        stays float32, integers and bool become float64), as ``np.where(mask, np.nan, data)``
        gives it.

    Returns
    -------
    ndarray
    """
    data = np.asarray(data)
    out = np.array(data, dtype=np.result_type(data, np.nan) if dtype is None else dtype,
                   order="C", copy=True)
    if mask is not None:
        np.copyto(out, np.nan, where=mask)
    return out


def masked_as_nan(x: Any) -> Any:
    """``x`` itself, unless it is a ``numpy.ma`` masked array: then as EEG reads one, its
    masked samples NaN in a C-contiguous float64 copy (:func:`nan_filled`), or its data
    where nothing is masked (:func:`unmasked`). One call for what
    :class:`~emofeat.eeg_input.EEGRecording`, ``filter_recording`` and the EEG reader of an
    ``EEGSignal`` do with what they are given."""
    data, mask = unmasked(x)
    return data if mask is None else nan_filled(data, mask, np.float64)


@runtime_checkable
class Signal(Protocol):
    """What every extractor reads from an input item (see the module table)."""

    @property
    def data(self) -> Any: ...

    @property
    def rate(self) -> float | None: ...

    @property
    def source(self) -> str: ...

    @property
    def channels(self) -> tuple[str, ...]: ...

    @property
    def meta(self) -> Mapping[str, Any]: ...

    @property
    def duration(self) -> float: ...


@dataclass(frozen=True)
class EEGSignal:
    """A multichannel recording (or one epoch of it); never downmixed.

    Attributes
    ----------
    data : ndarray of float64, shape (n_channels, n_times)
        Volts, as MNE stores them (or the unit of the array given).
    sfreq : float
        Sampling rate in Hz.
    ch_names : tuple of str
        One name per row of ``data``.
    source : str
        File path, or a description of in-memory input (``<array 3>``).
    meta : mapping
        Identity columns of the rows of this signal (``epoch`` for epoched input).
    stretch : bool
        One gap-free stretch of a recording cut at its gaps (a CSV's timestamp gaps, MNE's
        ``BAD_ACQ_SKIP``, the ``EDGE boundary`` of joined raws, an OpenBCI file's packet
        losses), numbered in ``epoch``; where it begins on the recording's clock is
        ``offset``.
    offset : float or None
        Of a gap-free stretch, the seconds from the recording's start at which it begins, on
        the recording's one clock (MNE's ``raw.times`` through joins and ``BAD_ACQ_SKIP``
        holes, a CSV's timestamps, an OpenBCI file's counter with the samples lost counted
        in; :attr:`~emofeat.eeg_input.EEGRecording.stretch_starts`), where its rows'
        ``start``/``end`` are; ``None`` without such a clock (each stretch timed from its own
        start) and for whole signals.
    """

    data: np.ndarray
    sfreq: float
    ch_names: tuple[str, ...]
    source: str
    meta: Mapping[str, Any] = field(default_factory=dict)
    stretch: bool = False
    offset: float | None = None

    @property
    def rate(self) -> float:
        return float(self.sfreq)

    @property
    def channels(self) -> tuple[str, ...]:
        return self.ch_names

    @property
    def n_times(self) -> int:
        return int(self.data.shape[1])

    @property
    def duration(self) -> float:
        return self.n_times / float(self.sfreq)

    def span(self, a: int, b: int) -> EEGSignal:
        """Samples ``a:b`` of every channel (a window of a continuous recording)."""
        return EEGSignal(self.data[:, a:b], self.sfreq, self.ch_names, self.source, self.meta,
                         self.stretch,
                         None if self.offset is None else self.offset + a / float(self.sfreq))


@dataclass(frozen=True)
class TextSignal:
    """One text. Extractors tokenise it themselves (tokens are their frames).

    Attributes
    ----------
    text : str
        The text, as given (``None`` and NaN in a manifest become ``""``).
    source : str
        ``<text 3>`` (its position), or ``file.csv:row 3`` for a manifest row.
    """

    text: str
    source: str
    meta: Mapping[str, Any] = field(default_factory=dict)

    @property
    def data(self) -> str:
        return self.text

    @property
    def rate(self) -> None:
        return None

    @property
    def channels(self) -> tuple[str, ...]:
        return ()

    @property
    def duration(self) -> float:
        return 0.0
