"""Frame-level extractors: descriptors x frames, then statistical functionals.

Modality-free: a frame is an analysis window of audio, a window of an EEG channel, or a token of
a text. A subclass supplies :meth:`FrameExtractor.descriptor_names` (set-prefixed) and
:meth:`FrameExtractor._compute` (the frame-level descriptors of one signal and the frame
times); this base adds the ``level`` and ``functionals`` parameters, the output rows, the
feature names and, through :class:`emofeat.extractor.Extractor`, everything sklearn and the batch
runner need.

Audio sets that can analyse a long recording block by block implement the block protocol of
:mod:`emofeat.blocks` (``blockwise = True`` and the ``frame_state`` / ``from_frame_state`` /
``whole_signal_summary`` / ``frame_times`` hooks below).
"""

from __future__ import annotations

import numbers
from collections.abc import Callable, Iterable
from typing import Any, ClassVar

import numpy as np

from emofeat._wording import counted, noun
from emofeat.errors import TooShortError
from emofeat.extractor import Extractor, warn_param
from emofeat.functionals import compute_functionals, functional_names, validate_functionals

LEVELS = ("functionals", "lld")

#: the longest analysis frame (or FFT) in samples an audio set accepts: 65.5 s at 16 kHz, far
#: beyond any real analysis window; a frame of 10**9 samples asked for gigabytes (one frame's
#: buffers, a filterbank over its bins) before anything refused it
MAX_FRAME = 2**20
#: the most values one array sized by parameters alone may hold (a filterbank, a DCT or a
#: transition matrix): 256 MiB of float64, about 1 GiB with the temporaries of building it
MAX_PARAM_VALUES = 2**25
#: bytes of frame buffers one pass over an input's frames may hold, in the sets whose frames
#: are independent (long frames make shorter passes, so memory does not grow with the frame)
PASS_BYTES = 64 << 20


class FrameExtractor(Extractor):
    """Frame-level descriptors (LLDs) summarised by functionals, or kept per frame.

    Subclasses declare every parameter in ``__init__`` (keyword-only, sklearn's rule),
    including ``level`` and ``functionals`` (audio sets also ``sr`` and ``resample``).
    """

    modality: ClassVar[str] = "audio"
    levels: ClassVar[tuple[str, ...]] = LEVELS
    _base_only: ClassVar[bool] = True  # FrameExtractor() is refused: see Extractor.__init__

    # ---- the block protocol for long recordings (emofeat.blocks); off unless a set opts in
    #: the set can analyse a long recording block by block (needs ``hop_length``)
    blockwise: ClassVar[bool] = False
    #: seconds of real signal each block needs on both sides (beyond the analysis window)
    context_seconds: ClassVar[float] = 0.0
    #: the set needs numbers of the whole signal (:meth:`whole_signal_summary`) in every block
    needs_signal_summary: ClassVar[bool] = False

    # ------------------------------------------------------------ to implement
    def descriptor_names(self) -> list[str]:
        """Names of the frame-level descriptors, in column order, each starting with the
        set's prefix."""
        raise NotImplementedError

    def _compute(self, signal: Any) -> tuple[np.ndarray, np.ndarray]:
        """Return ``(lld, times)``: (n_frames, n_descriptors) values and frame times in
        seconds (token positions for text)."""
        raise NotImplementedError

    def min_samples(self) -> int:
        """Fewest samples (along the time axis) that make one frame of real signal."""
        return 1

    def frame_span(self) -> int:
        """Samples one analysis frame reads (a block of a long recording holds twice as many
        of real signal on both sides of the frames it keeps, :mod:`emofeat.blocks`): one
        frame, :meth:`min_samples`, unless the set zero pads a shorter input to its frame."""
        return self.min_samples()

    # ------------------------------------------------------------ block protocol hooks
    def frame_state(self, signal: Any, summary: Any = None) -> tuple[np.ndarray, np.ndarray]:
        """First stage of a block: what each frame needs from the signal, and frame times.
        By default the descriptors themselves."""
        return self._compute(signal)

    def from_frame_state(self, parts: list[np.ndarray]) -> np.ndarray:
        """Second stage, over the whole recording's frame states (a list the hook may empty
        as it goes, to free memory). By default the states are the descriptors."""
        return parts.pop() if len(parts) == 1 else np.concatenate(parts, axis=0)

    def block_decoder(self) -> Any:
        """A decoder run over a long file's blocks in order (``None``: none), for a set whose
        frames depend on all frames before them (pYIN's Viterbi): its ``feed(rows)`` takes a
        block's :meth:`frame_state` rows and returns the rows it has settled, ``finish()``
        the rest at the end of the file."""
        return None

    def whole_signal_summary(self, chunks: Iterable[np.ndarray]) -> Any:
        """Numbers of the whole signal every frame needs (``needs_signal_summary``), from a
        first streaming pass over its sample chunks."""
        return None

    def frame_times(self, n_frames: int) -> np.ndarray | None:
        """Frame times of a whole-recording analysis with ``n_frames`` frames (``None``: the
        block runner derives them from the blocks)."""
        return None

    def functionals_of(self, lld: np.ndarray, times: np.ndarray) -> np.ndarray:
        """The functionals row of one input's descriptors (a set may add whole-input
        statistics)."""
        return compute_functionals(lld, times, self.functionals)

    # ------------------------------------------------------------ shared machinery
    def check_params(self) -> None:
        self._check_functionals_param()
        # before the declared-type check of super(): every set's _check_params computes with
        # sr, so sr=None or sr="abc" must be refused here, naming it, not by int() or a
        # comparison deep inside a set
        if "sr" in self.get_params(deep=False):
            sr = self.sr
            if (isinstance(sr, bool) or not isinstance(sr, numbers.Integral)
                    or not sr > 0):
                raise ValueError(f"sr must be a positive whole number of Hz, got {sr!r}")
        super().check_params()

    def _check_functionals_param(self) -> None:
        """Refuse an unknown ``functionals`` (a set with a recipe of its own overrides this)."""
        _check_functionals(self.functionals)

    def compute_lld(self, item: Any) -> tuple[np.ndarray, np.ndarray]:
        """Frame-level descriptors of one input item (its first signal).

        Returns
        -------
        lld : ndarray, shape (n_frames, n_descriptors)
        times : ndarray, shape (n_frames,)
            Time of each frame's centre in seconds.

        Raises
        ------
        TooShortError
            The input is shorter than :meth:`min_samples`.
        """
        self.check_params()
        return self._compute_checked(self.read(item)[0])

    def to_audio(self, item: Any, position: int = 0) -> Any:
        """One input item read as this set's signal (kept for audio callers)."""
        return self.read(item, position)[0]

    def too_short(self, n_samples: int, rate: float, source: Any) -> TooShortError:
        """The refusal of an input of ``n_samples`` at ``rate``, fewer than
        :meth:`min_samples`: one wording for the whole-file analysis and the block-by-block
        one (:mod:`emofeat.blocks`), so one file gives one message in an errors table
        whatever its length against ``--long-file``.

        Parameters
        ----------
        n_samples : int
            Samples of the input, at the set's analysis rate.
        rate : float
            That rate in Hz.
        source : str or None
            The input as the error names it.

        Returns
        -------
        TooShortError
        """
        return TooShortError(
            source,
            f"{counted(n_samples, 'sample')} at {rate:g} Hz {noun(n_samples, 'is', 'are')} "
            "shorter than one analysis frame "
            f"({self.min_samples()} samples) of the '{self.set_name}' set",
        )

    def _compute_checked(self, signal: Any) -> tuple[np.ndarray, np.ndarray]:
        if signal.rate is not None:  # timed signals: the last axis is time
            n = int(np.shape(signal.data)[-1])
            if n < self.min_samples():
                raise self.too_short(n, signal.rate, signal.source)
        return self._compute(signal)

    def features_of(self, signal: Any) -> tuple[np.ndarray, np.ndarray]:
        """Output rows of one signal at this extractor's level: one functionals row (and empty
        times), or one row per frame with frame times."""
        self.check_channels(signal)
        lld, times = self._compute_checked(signal)
        if self.level == "lld":
            return lld, times
        return self.functionals_of(lld, times)[None, :], np.empty(0)

    def feature_names(self) -> list[str]:
        desc = self.descriptor_names()
        if self.level == "lld":
            return list(desc)
        return functional_names(desc, validate_functionals(self.functionals))

    def warmup_input(self) -> Any:
        """Two seconds of a voiced, vowel-like signal with noise: long enough for pitch
        trackers, deltas and every percentile to run their real paths."""
        if self.modality != "audio":
            raise NotImplementedError
        sr = int(self.sr)
        t = np.arange(2 * sr) / sr
        f0 = 140.0 + 20.0 * np.sin(2 * np.pi * 3 * t)
        phase = 2 * np.pi * np.cumsum(f0) / sr
        y = sum(np.sin(k * phase) / k for k in range(1, 8)) * 0.1
        y = y * (t < 1.5) + 0.01 * np.random.default_rng(0).standard_normal(t.size)
        return (y.astype(np.float32), sr)


def _check_functionals(functionals: Any) -> tuple[str, ...]:
    """``validate_functionals`` with the parameter named: ``functionals=None`` (or a number)
    is a ``ValueError`` saying what ``functionals`` must be, not "'NoneType' object is not
    iterable", and an unknown or missing name says which parameter holds it."""
    if not isinstance(functionals, str):
        try:
            items = list(functionals)
        except TypeError:
            items = None
        if items is None or not all(isinstance(f, str) for f in items):
            raise ValueError("functionals must be a sequence of functional names (or one "
                             f"comma-separated string), got {functionals!r}")
    try:
        return validate_functionals(functionals)
    except ValueError as e:
        raise ValueError(f"functionals: {e}") from None


def check_frame_length(name: str, n: int, sr: int) -> None:
    """``ValueError`` naming parameter ``name`` when its frame of ``n`` samples is longer than
    :data:`MAX_FRAME` (checked at fit, before any buffer or filterbank of that size exists)."""
    if n > MAX_FRAME:
        raise ValueError(f"{name}={n} samples ({n / sr:g} s at {sr} Hz) is longer than the "
                         f"longest analysis frame allowed, {MAX_FRAME} samples ({MAX_FRAME / sr:g}"
                         f" s at {sr} Hz)")


def check_param_size(n_values: int, what: str, remedy: str) -> None:
    """``ValueError`` when an array the parameters size (``what``, naming them) would hold more
    than :data:`MAX_PARAM_VALUES` values; checked before it is built. ``remedy`` says which
    parameter to lower."""
    if n_values > MAX_PARAM_VALUES:
        raise ValueError(f"{what} would hold {n_values:,} values ({8 * n_values / 2**30:.3g} GiB "
                         f"of float64), more than the {MAX_PARAM_VALUES:,} allowed: {remedy}")


def check_mel_sizes(n_mels: int, n_fft: int, n_mfcc: int) -> None:
    """:func:`check_param_size` of the dense mel filterbank (``n_mels x (n_fft // 2 + 1)``)
    and DCT (``n_mfcc x n_mels``) the MFCC of the ``mfcc`` and ``librosa`` sets build."""
    n_bins = n_fft // 2 + 1
    check_param_size(n_mels * n_bins, f"the mel filterbank of n_mels={n_mels} filters x "
                     f"{n_bins} FFT bins (n_fft={n_fft})", "lower n_mels or n_fft")
    check_param_size(n_mfcc * n_mels, f"the DCT of n_mfcc={n_mfcc} x n_mels={n_mels}",
                     "lower n_mfcc or n_mels")


def empty_mel_filters(lengths: np.ndarray, n_fft: int, sr: int) -> tuple[int, str | None]:
    """How many mel filters hold no FFT bin (``lengths``: bins per filter), and what to say
    of them, None when every filter holds one; a filter with no bin gives a constant
    coefficient, which librosa's ``filters.mel`` warns of too."""
    empty = int(np.count_nonzero(np.asarray(lengths) == 0))
    if not empty:
        return 0, None
    return empty, (f"{empty} of {len(lengths)} mel filters hold no FFT bin (n_fft={n_fft} "
                   f"gives {n_fft // 2 + 1} bins at {sr} Hz); raise n_fft or lower n_mels")


def warn_of_empty_filters(message: str, empty: int, n_filters: int) -> None:
    """Warn of ``empty`` of ``n_filters`` mel filters holding no FFT bin
    (:func:`empty_mel_filters`), or refuse when most are empty: most coefficients would then
    be constant."""
    if 2 * empty > n_filters:
        raise ValueError(message + ": most coefficients would be constant")
    warn_param(message)


def frames_per_pass(bytes_per_frame: int, most: int) -> int:
    """Frames per pass (at least 1, at most ``most``) whose buffers of ``bytes_per_frame``
    each stay within :data:`PASS_BYTES`."""
    return max(1, min(int(most), PASS_BYTES // max(1, int(bytes_per_frame))))


def warn_overflow(audio: Any, precision: str, problem: Callable[[float], str]) -> None:
    """Warn, naming the input, that finite samples far beyond [-1, 1] overflowed a set's
    analysis (its rows hold NaN): ``problem(peak)`` says what happened, this adds the remedy.
    Inputs with non-finite samples (admitted on purpose) are not overflow: no warning."""
    y = audio.y
    if not np.isfinite(y).all():
        return
    import warnings

    remedy = "" if precision == "float64" else " or use precision='float64'"
    warnings.warn(f"{audio.source}: {problem(float(np.max(np.abs(y))))}; scale the signal "
                  f"towards [-1, 1]{remedy}", UserWarning, stacklevel=3)
