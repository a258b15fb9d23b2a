"""Per-channel time-domain statistics of EEG: the smallest EEG set, and a template for others.

One row per recording, epoch or window (``--segment 4s --hop 2s``); one column per statistic
and channel, named ``eeg_stats_<stat>_<channel>`` (``eeg_stats_std_AF3``). Channels are never
averaged together. The channel names are learnt by :meth:`fit` from the first recording (or
given as ``ch_names``); a later recording with other channels is refused, naming it.

Statistics (population moments, as ``scipy.stats`` with ``bias=True``):

``mean``, ``std``
    of the samples, in the recording's unit (volts for MNE objects and files).
``skew``, ``kurtosis``
    Fisher-Pearson skewness and excess kurtosis; 0 for a flat channel (not NaN).
``line_length``
    Mean absolute first difference, ``mean(|x[t+1] - x[t]|)``: the per-sample line length of
    Esteller et al. (2001), as ``mne_features``' ``line_length``.

Every statistic is defined for finite samples of any magnitude: rows whose moments' sums
would overflow or underflow (deviations past about 1e77 or under 1e-68) are computed on
samples scaled by an exact power of two, and the mean, std and line length scaled back.

A channel with a NaN or infinite sample gets NaN for every statistic (the reader names it in
an ``EEGChannelWarning``), as in the other EEG sets; a flat channel gets its defined values
(std 0, skewness and kurtosis 0).

A recording (or window) too short for a statistic to depend on its samples is refused with
:class:`~emofeat.errors.TooShortError` naming it: ``mean`` needs 1 sample, ``std`` and
``line_length`` 2 (one sample has no spread and no difference), ``skew`` 3 (0 with 2 samples,
whatever they are), ``kurtosis`` 4 (-2 with 2 samples and -1.5 with 3, whatever they are);
the set needs the most of its ``stats`` (:meth:`EEGStats.min_samples`: 4 for all five).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, ClassVar

import numpy as np

from emofeat._wording import too_few_samples
from emofeat.errors import TooShortError
from emofeat.extractor import Extractor, distinct_names
from emofeat.signal import EEGSignal

STATS = ("mean", "std", "skew", "kurtosis", "line_length")

#: fewest samples from which each statistic depends on the samples, and why no fewer
MIN_SAMPLES = {"mean": 1, "std": 2, "skew": 3, "kurtosis": 4, "line_length": 2}
_WHY = {
    "std": "one sample has no spread",
    "skew": "with 2 samples it is 0 whatever they are",
    "kurtosis": "with 2 or 3 samples it is -2 or -1.5 whatever they are",
    "line_length": "one sample has no difference",
}


class EEGStats(Extractor):
    """Per-channel mean, std, skewness, kurtosis and line length of EEG recordings.

    Parameters
    ----------
    stats : sequence of str, default all of ``mean, std, skew, kurtosis, line_length``
        Which statistics, in output order (statistic-major: every channel's ``mean``, then
        every channel's ``std``...).
    sfreq : float or None
        Rate of bare arrays; recordings at another rate are refused (never resampled).
    ch_names : sequence of str or None
        Channel names of bare arrays; default ``ch0, ch1, ...`` (MNE objects and files carry
        their own).

    Attributes
    ----------
    channels_ : tuple of str
        The channels learnt by :meth:`fit`.

    Examples
    --------
    >>> import numpy as np
    >>> from emofeat.extractors import EEGStats
    >>> x = np.random.default_rng(0).standard_normal((10, 4, 512))   # epochs, channels, times
    >>> EEGStats(sfreq=128, ch_names=["AF3", "F7", "F3", "FC5"]).fit_transform(x).shape
    (10, 20)
    """

    modality: ClassVar[str] = "eeg"
    set_name: ClassVar[str] = "eeg_stats"
    #: a flat channel gets defined values and no warning: a run's flat-channel warning does
    #: not name this set among those whose features are NaN
    flat_said: ClassVar[str | None] = None
    kernels: ClassVar[tuple[str, ...]] = (
        "emofeat.extractors._eeg_stats_kernels:channel_stats",
        "emofeat.extractors._eeg_kernels:nonfinite_rows",  # the EEG reader's check
    )
    names_from_data: ClassVar[bool] = True
    #: 1 (session 56): skewness and kurtosis about the mean corrected in the second pass
    #: (they erred by up to 2e-9 and 5e-8 relative on channels on a DC offset), the mean a
    #: compensated sum's (within a unit in the last place); 2 (session 57): rows whose moments'
    #: sums over- or underflow (deviations past about 1e77 or under 1e-68, samples near
    #: 1.8e308) taken on samples rescaled by powers of two (they were NaN or wrong)
    numbers_version: ClassVar[int] = 2

    def __init__(self, *, stats: Sequence[str] = STATS, sfreq: float | None = None,
                 ch_names: Sequence[str] | None = None) -> None:
        self.stats = stats
        self.sfreq = sfreq
        self.ch_names = ch_names

    def _check_params(self) -> None:
        distinct_names(self.stats, "stats", STATS)
        if self.sfreq is not None and not 0 < float(self.sfreq) < np.inf:
            raise ValueError(f"sfreq must be a positive, finite rate in Hz, got {self.sfreq}")

    def feature_names(self) -> list[str]:
        channels = getattr(self, "channels_", None) or tuple(self.ch_names or ())
        return [f"{self.set_name}_{s}_{c}" for s in self.stats for c in channels]

    def min_samples(self, sfreq: float | None = None) -> int:
        """Fewest samples every statistic of ``stats`` needs (:data:`MIN_SAMPLES`; 4 for all
        five), at any rate; a shorter input is refused with
        :class:`~emofeat.errors.TooShortError`, and the runner drops a ``--segment`` run's last
        window when it is shorter (the first is kept however short), as for audio."""
        return max(MIN_SAMPLES[s] for s in self.stats)

    def _length_problem(self, n_times: int, sfreq: float) -> tuple[bool, str] | None:
        """``(True, problem)`` when ``n_times`` samples are too short for a statistic."""
        need = self.min_samples()
        if n_times >= need:
            return None
        stat = next(s for s in self.stats if MIN_SAMPLES[s] == need)
        return True, (f"{too_few_samples(n_times, sfreq)} for the '{self.set_name}' set: "
                      f"{stat} needs {need} samples ({_WHY[stat]})")

    def _check_length(self, source: str, n_times: int, sfreq: float) -> None:
        """``TooShortError`` naming ``source``, its length and the minimum, when too short."""
        got = self._length_problem(int(n_times), float(sfreq))
        if got is not None:
            raise TooShortError(source, got[1])

    def features_of(self, signal: EEGSignal) -> tuple[np.ndarray, np.ndarray]:
        from . import _eeg_stats_kernels as K

        self.check_channels(signal)
        self._check_length(signal.source, signal.data.shape[-1], signal.sfreq)
        out = np.empty((signal.data.shape[0], K.N_STATS))
        K.channel_stats(np.ascontiguousarray(signal.data, dtype=np.float64), out)
        cols = [STATS.index(s) for s in self.stats]
        return out[:, cols].T.reshape(1, -1), np.empty(0)

    def features_of_windows(self, signal: EEGSignal, spans: Sequence[tuple[int, int]], *,
                            shared: dict | None = None) -> np.ndarray:
        """Rows ``(n_windows, n_features)`` of the windows ``signal.data[:, a:b]`` of one
        recording (the runner's ``--segment``/``--hop``), each :meth:`features_of` of its
        window. As the other EEG sets: a window too short for the set (given explicitly)
        gives NaN features and a warning naming the input, ``TooShortError`` when it is the
        first."""
        from .eeg_sets import short_windows

        self.check_channels(signal)
        spans = np.asarray(spans, dtype=np.int64).reshape(-1, 2)
        short = short_windows(self, signal, spans)
        n_out = len(self.feature_names())
        rows = np.full((spans.shape[0], n_out), np.nan)
        for w in range(spans.shape[0]) if short is None else np.flatnonzero(~short):
            rows[w] = self.features_of(signal.span(int(spans[w, 0]), int(spans[w, 1])))[0][0]
        return rows

    def warmup_input(self) -> Any:
        rng = np.random.default_rng(0)
        sfreq = float(self.sfreq or 128.0)
        n_ch = len(self.ch_names) if self.ch_names else 4
        return (rng.standard_normal((n_ch, int(4 * sfreq))) * 1e-5, sfreq,
                tuple(self.ch_names or (f"ch{k}" for k in range(n_ch))))
