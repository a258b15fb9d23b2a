"""The pyAudioAnalysis feature set (``paa``): 34 short-term descriptors, deltas, mid-term stats.

Reproduces ``pyAudioAnalysis.ShortTermFeatures.feature_extraction`` and
``MidTermFeatures.mid_feature_extraction`` (version 0.3.14) to 1e-6 relative on real speech,
conventions and quirks included:

* The signal (on the 16-bit scale, as pyAudioAnalysis reads files) is divided by 2**15, its mean
  is removed and it is divided by ``max|x| + 1e-10`` (whole-signal DC removal and peak
  normalisation).
* Frames of ``window`` samples every ``step`` samples from sample 0, no padding:
  ``1 + (n - window) // step`` frames. Rectangular window.
* Spectrum: ``|FFT(x)|`` of bins ``0 .. window//2 - 1``, divided by ``window // 2``.
* ``zcr``: sign changes / 2 / (window - 1) (``sign(0) = 0`` counts half a change);
  ``energy``: mean square; ``energy_entropy``: entropy in bits of the energies of 10
  consecutive sub-frames over the frame energy.
* ``spectral_centroid`` / ``spectral_spread``: of the peak-normalised magnitude over the bin
  frequencies ``(k + 1) sr / (2 (window // 2))``, both divided by ``sr / 2``;
  ``spectral_entropy``: as energy entropy over 10 sub-bands of the magnitude;
  ``spectral_flux``: squared difference of the sum-normalised magnitudes of consecutive
  frames (0 for the first frame);
  ``spectral_rolloff``: first bin where the cumulative squared magnitude exceeds 0.90 of the
  total, divided by ``window // 2``.
* ``mfcc_1 .. mfcc_13``: orthonormal DCT-II of ``log10`` of a filterbank of 13 linear
  (from 133.33 Hz, 66.67 Hz apart) and 27 logarithmic (x 1.0711703) triangular filters of
  height ``2 / bandwidth`` applied to the *magnitude*. As in pyAudioAnalysis, the filter
  positions use the bin frequencies ``k sr / (window // 2)`` (twice the true ones).
* ``chroma_1 .. chroma_12``, ``chroma_std``: pyAudioAnalysis's chroma map (bins to
  ``round(12 log2(f / 27.5))``, its per-bin normalisation and its fold into 12 classes, all
  kept as they are), divided by the frame's spectral energy; ``chroma_std`` is the population
  std of the 12 values.
* ``delta_<name>``: difference with the previous frame (0 for the first frame).
* Mid-term (``mid_window`` set): windows of ``round((mid - (window - step)) / step)`` short
  frames every ``round(mid_step / step)`` frames, clipped at the end; mean and population std
  of every short-term descriptor over the window's finite frames (NaN if none: a frame
  touching admitted NaN samples is left out, where pyAudioAnalysis's ``nan_to_num``, which
  finite input never reaches, would make the window's statistics 0).

Bad input: NaN samples are refused by the audio reader (``allow_nonfinite=False``, the
default; admitted, a frame touching one is NaN in every descriptor, as are the next frame's
flux and deltas); digital silence, DC offset and clipping give finite values for every descriptor
(the signal is DC-removed and peak-normalised; silence gives 0 for every time/spectral
descriptor and chroma, and ``log10(eps)``-based constants for the MFCCs, exactly as
pyAudioAnalysis). One frame is enough (deltas are 0).
"""

from __future__ import annotations

import functools
import math
from collections.abc import Iterable, Sequence
from typing import NamedTuple

import numpy as np

from emofeat.audio import Audio

from .base import MAX_FRAME, FrameExtractor
from .filters import dct_matrix, sparse_filterbank

SHORT_NAMES: tuple[str, ...] = (
    "zcr", "energy", "energy_entropy", "spectral_centroid", "spectral_spread",
    "spectral_entropy", "spectral_flux", "spectral_rolloff",
    *(f"mfcc_{i}" for i in range(1, 14)),
    *(f"chroma_{i}" for i in range(1, 13)),
    "chroma_std",
)


#: most samples in a short-term window, the longest analysis frame of every audio set (65.5 s
#: at 16 kHz): the dense filterbank of such a window is 40 x 2**19 float64 values (168 MB);
#: pyAudioAnalysis's own windows are 20-100 ms
MAX_WINDOW = MAX_FRAME


class PyAudioAnalysis(FrameExtractor):
    """pyAudioAnalysis's short-term (and optionally mid-term) features as an sklearn transformer.

    Parameters
    ----------
    sr : int, default 16000
        Analysis rate; inputs at another rate are resampled.
    window : float, default 0.050
        Short-term frame length in seconds (``round(window * sr)`` samples, 20 to
        ``2**20``).
    step : float, default 0.025
        Short-term frame step in seconds.
    deltas : bool, default True
        Add ``delta_<name>`` (frame-to-frame differences), as pyAudioAnalysis's default.
    mid_window, mid_step : float or None
        Mid-term window and step in seconds. ``None`` (default): frame rows are the short-term
        frames. Set: frame rows are mid-term windows holding ``<name>_mean`` and
        ``<name>_std`` (``MidTermFeatures.mid_feature_extraction``); ``mid_step`` defaults to
        ``mid_window`` and needs it.
    input_scale : float, default 32768.0
        Factor taking emofeat's [-1, 1] samples to the scale pyAudioAnalysis reads files at
        (16-bit integers); it only matters through the ``1e-10`` of the peak normalisation.
    level : {"functionals", "lld"}, default "functionals"
    functionals : sequence of str, default ("mean", "std")
        At the functionals level; ``mean`` and ``std`` of the short-term frames equal
        pyAudioAnalysis's mid-term statistics over one window spanning the whole input.
    resample : bool, default True

    Notes
    -----
    Names are pyAudioAnalysis's prefixed by ``paa_``: ``paa_zcr``, ``paa_mfcc_1``,
    ``paa_delta_zcr``; mid-term ``paa_zcr_mean``, ``paa_delta_zcr_std``. See the module
    docstring for the definitions. Frame times are frame centres.

    Examples
    --------
    >>> from emofeat.extractors.paa import PyAudioAnalysis
    >>> paa = PyAudioAnalysis().fit([])     # paa.fit_transform(paths) gives (n_files, 136)
    >>> names = paa.get_feature_names_out()
    >>> len(names), str(names[0]), str(names[-1])
    (136, 'paa_zcr_mean', 'paa_delta_chroma_std_std')
    """

    set_name = "paa"
    kernels = (
        "emofeat.extractors._paa_kernels:short_term",
        "emofeat.extractors._spectral_kernels:frame_signal,mel_from_spectrum",
        "emofeat._functionals_kernels:summarize",
    )
    needs_signal_summary = True  # the whole signal's DC offset and peak

    def __init__(
        self,
        *,
        sr: int = 16000,
        window: float = 0.050,
        step: float = 0.025,
        deltas: bool = True,
        mid_window: float | None = None,
        mid_step: float | None = None,
        input_scale: float = 32768.0,
        level: str = "functionals",
        functionals: Sequence[str] = ("mean", "std"),
        resample: bool = True,
    ) -> None:
        self.sr = sr
        self.window = window
        self.step = step
        self.deltas = deltas
        self.mid_window = mid_window
        self.mid_step = mid_step
        self.input_scale = input_scale
        self.level = level
        self.functionals = functionals
        self.resample = resample

    @property
    def hop_length(self) -> int:
        """Short-term step in samples (long files are analysed in blocks of whole steps)."""
        return self._hop()

    @property
    def blockwise(self) -> bool:
        """Long files go block by block (:mod:`emofeat.blocks`) unless mid-term windows are on."""
        return self.mid_window is None

    # ------------------------------------------------------------------ definition
    def _win(self) -> int:
        return int(round(self.window * self.sr))

    def _hop(self) -> int:
        return int(round(self.step * self.sr))

    def _check_params(self) -> None:
        for name in ("window", "step", "input_scale", "mid_window", "mid_step"):
            value = getattr(self, name)
            if value is not None and not (np.isfinite(value) and value > 0):
                raise ValueError(f"{name} must be a finite number > 0, got {value}")
        # before any filterbank is built: it is dense, 40 x window / 2 float64 values (a
        # window of 100000 s would ask for 6 GiB at fit)
        if self.window * self.sr > MAX_WINDOW:
            raise ValueError(
                f"window={self.window} s is {self.window * self.sr:.0f} samples at {self.sr} Hz; "
                f"a short-term window may span at most {MAX_WINDOW} samples "
                f"({MAX_WINDOW / self.sr:g} s at {self.sr} Hz): its filterbank holds 40 x "
                "window / 2 values (use mid_window for long-term statistics)")
        if self._win() < 20:
            raise ValueError(f"window must span at least 20 samples, got {self._win()}")
        if self._hop() <= 0:
            raise ValueError(f"step must be positive, got {self.step}")
        if self.mid_step is not None and self.mid_window is None:
            # it was ignored without a word: the rows stayed the short-term frames
            raise ValueError(f"mid_step={self.mid_step} needs mid_window (the mid-term window "
                             "in seconds); without it the rows are the short-term frames")
        if self.mid_window is not None:  # > 0: checked above
            win_ratio, step_ratio = self._mid_ratios()
            if step_ratio <= 0:
                # name the parameter the user gave: without mid_step it is mid_window's value
                # (the message named mid_step alone, which the user had not set)
                given = (f"mid_step={self.mid_step} s" if self.mid_step is not None else
                         f"mid_window={self.mid_window} s (mid_step defaults to it)")
                raise ValueError(
                    f"{given} is less than one short-term step: mid_step / step rounds to "
                    f"{step_ratio} steps of step={self.step} s (as pyAudioAnalysis rounds it); "
                    "the mid-term step must be at least one short-term step")
            if win_ratio <= 0:
                raise ValueError(
                    f"mid_window={self.mid_window} s spans no short-term frame: "
                    f"pyAudioAnalysis's round((mid_window - (window - step)) / step) gives "
                    f"{win_ratio} frames at window={self.window} s, step={self.step} s; "
                    "the mid-term window must span at least one frame")
        _plan(int(self.sr), self._win())  # validates the chroma map

    def short_term_names(self) -> list[str]:
        """Short-term descriptor names without the set prefix, pyAudioAnalysis's order."""
        names = list(SHORT_NAMES)
        if self.deltas:
            names += [f"delta_{n}" for n in SHORT_NAMES]
        return names

    def descriptor_names(self) -> list[str]:
        names = self.short_term_names()
        if self.mid_window is not None:
            names = [f"{n}_mean" for n in names] + [f"{n}_std" for n in names]
        return [f"paa_{n}" for n in names]

    def min_samples(self) -> int:
        return self._win()

    def _mid_ratios(self) -> tuple[int, int]:
        """Mid-term window and step in short-term frames, computed as pyAudioAnalysis does."""
        sr = self.sr
        mid_win = round(self.mid_window * sr)
        mid_step = round((self.mid_step if self.mid_step is not None else self.mid_window) * sr)
        win, hop = self._win(), self._hop()
        return int(round((mid_win - (win - hop)) / hop)), int(round(mid_step / hop))

    # ------------------------------------------------------------------ computation
    def whole_signal_summary(self, chunks: Iterable[np.ndarray]) -> tuple[float, float]:
        """``(mean, peak + 1e-10)`` of the scaled signal: pyAudioAnalysis's DC offset and
        normalisation divisor, from consecutive pieces of the signal.

        The sum runs over fixed stretches of ``2**16`` samples from the start of the signal
        (pairwise within each, then in order), so that any cut into pieces gives the same
        bits; the peak is ``max|x - mean|`` exactly. Non-finite samples are left out.
        """
        c = float(self.input_scale) / 2.0**15
        stretch = 1 << 16
        total, count = 0.0, 0
        lo, hi = np.inf, -np.inf
        carry = np.empty(0, dtype=np.float64)

        def add(block: np.ndarray) -> None:
            nonlocal total, count, lo, hi
            block = block[np.isfinite(block)]
            if block.size:
                total += float(np.sum(block))
                count += block.size
                lo, hi = min(lo, float(block.min())), max(hi, float(block.max()))

        for piece in chunks:
            carry = np.concatenate([carry, np.asarray(piece, dtype=np.float64) * c])
            n_full = carry.shape[0] // stretch * stretch
            for k in range(0, n_full, stretch):
                add(carry[k : k + stretch])
            carry = carry[n_full:]
        add(carry)
        if count == 0:
            return 0.0, 1e-10
        mean = total / count
        return mean, max(hi - mean, mean - lo) + 1e-10

    def short_term_frames(self, y: np.ndarray, summary: tuple[float, float] | None = None
                          ) -> np.ndarray:
        """Short-term descriptors (and deltas) of a signal at ``sr``: (n_frames, 34 or 68).

        ``summary``: the whole signal's ``(mean, divisor)`` when ``y`` is a piece of it
        (:meth:`whole_signal_summary`); by default those of ``y``.
        """
        # scipy's pocketfft without importing scipy.fft (its import costs a command ~0.09 s)
        from emofeat._fft import rfft_rows

        from . import _paa_kernels as KP
        from . import _spectral_kernels as KS

        win, hop = self._win(), self._hop()
        plan = _plan(int(self.sr), win)
        if summary is None:
            summary = self.whole_signal_summary([y])
        mean, divisor = summary
        x = np.asarray(y, dtype=np.float64) * (float(self.input_scale) / 2.0**15)
        x -= mean
        x /= divisor
        n_frames = max(0, 1 + (x.shape[0] - win) // hop)
        frames = np.empty((n_frames, win), dtype=np.float64)
        KS.frame_signal(x, plan.rect, hop, n_frames, 0, 0, win, 0.0, KS.PAD_CONSTANT, frames)
        spec = rfft_rows(frames, overwrite_x=False)  # the frames are read again below
        m = win // 2
        mel = np.empty((n_frames, plan.starts.shape[0]), dtype=np.float64)
        KS.mel_from_spectrum(spec[:, :m], 1.0, plan.starts, plan.lengths, plan.band, mel)
        n_out = KP.N_SHORT * (2 if self.deltas else 1)
        out = np.empty((n_frames, n_out), dtype=np.float64)
        short = out[:, : KP.N_SHORT]
        KP.short_term(frames, spec, mel, plan.basis, plan.chroma_bin, plan.chroma_class,
                      plan.chroma_weight, float(self.sr), 10, 0.90, short)
        if self.deltas:
            delta = out[:, KP.N_SHORT :]
            delta[:1] = 0.0
            np.subtract(short[1:], short[:-1], out=delta[1:])
        return out

    def frame_times(self, n_frames: int) -> np.ndarray:
        """Short-term frame centres in seconds."""
        return (np.arange(n_frames) * self._hop() + self._win() / 2.0) / self.sr

    def mid_term_frames(self, short: np.ndarray) -> np.ndarray:
        """Mid-term mean/std windows of short-term descriptors: (n_windows, 2 n_short)."""
        from . import _paa_kernels as KP

        win_ratio, step_ratio = self._mid_ratios()
        n = short.shape[0]
        n_win = -(-n // step_ratio) if n else 0
        out = np.empty((n_win, 2 * short.shape[1]), dtype=np.float64)
        KP.mid_term(np.ascontiguousarray(short), win_ratio, step_ratio, out)
        return out

    def frame_state(self, audio: Audio, summary: tuple[float, float] | None = None
                    ) -> tuple[np.ndarray, np.ndarray]:
        return self._compute(audio, summary)

    def _compute(self, audio: Audio, summary: tuple[float, float] | None = None
                 ) -> tuple[np.ndarray, np.ndarray]:
        short = self.short_term_frames(audio.y, summary)
        times = self.frame_times(short.shape[0])
        if self.mid_window is None:
            return short, times
        win_ratio, step_ratio = self._mid_ratios()
        mid = self.mid_term_frames(short)
        first = np.arange(mid.shape[0]) * step_ratio
        last = np.minimum(first + win_ratio, short.shape[0]) - 1
        return mid, (times[first] + times[last]) / 2.0


class _Plan(NamedTuple):
    rect: np.ndarray
    starts: np.ndarray
    lengths: np.ndarray
    band: np.ndarray  # filterbank weights with the 1 / (window // 2) normalisation folded in
    basis: np.ndarray
    chroma_bin: np.ndarray
    chroma_class: np.ndarray
    chroma_weight: np.ndarray


def paa_filterbank(sr: int, n_bins: int, low: float = 133.33, lin_step: float = 200 / 3,
                   log_step: float = 1.0711703, n_lin: int = 13, n_log: int = 27) -> np.ndarray:
    """pyAudioAnalysis's MFCC filterbank, shape ``(n_lin + n_log, n_bins)``.

    Edge frequencies: ``n_lin`` linearly spaced from ``low``, then geometric steps of
    ``log_step``; filter ``i`` rises from edge ``i`` to ``i+1`` and falls to ``i+2`` with
    peak height ``2 / (f[i+2] - f[i])``. Bin ``k`` sits at ``k sr / n_bins`` Hz and belongs to
    the rising side for ``floor(f_i n/sr) < k <= floor(f_{i+1} n/sr)``, to the falling side up
    to ``floor(f_{i+2} n/sr)`` (bins past the spectrum are dropped).
    """
    n_filt = n_lin + n_log
    edges = np.empty(n_filt + 2)
    edges[:n_lin] = low + np.arange(n_lin) * lin_step
    edges[n_lin:] = edges[n_lin - 1] * log_step ** np.arange(1, n_log + 3)
    heights = 2.0 / (edges[2:] - edges[:-2])
    bin_hz = np.arange(n_bins) / (1.0 * n_bins) * sr
    fb = np.zeros((n_filt, n_bins))
    for i in range(n_filt):
        lo, mid, hi = edges[i], edges[i + 1], edges[i + 2]
        k_lo, k_mid, k_hi = (int(np.floor(f * n_bins / sr)) + 1 for f in (lo, mid, hi))
        rise = np.arange(k_lo, min(k_mid, n_bins))
        fall = np.arange(k_mid, min(k_hi, n_bins))
        fb[i, rise] = heights[i] / (mid - lo) * (bin_hz[rise] - lo)
        fb[i, fall] = heights[i] / (hi - mid) * (hi - bin_hz[fall])
    return fb


def paa_chroma_map(sr: int, n_bins: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """pyAudioAnalysis's chroma map as ``(bin, class, weight)`` triples.

    Bin ``k`` (at ``(k+1) sr / (2 n_bins)`` Hz) gets the index ``c_k = round(12 log2(f/27.5))``.
    pyAudioAnalysis scatters the squared magnitudes into a vector of ``n_bins`` slots at those
    indices (the last bin wins a shared slot), divides slot ``j`` by the number of bins that
    share the index of bin ``j`` (``count[c_j]``, with count indexed by bin, as written), and
    sums the slots with equal ``j mod 12``. The same arithmetic is returned here as sparse
    triples; an index at or beyond ``n_bins`` (short windows at high rates) is refused, as
    pyAudioAnalysis cannot compute it either.
    """
    freqs = (np.arange(n_bins) + 1.0) * sr / (2 * n_bins)
    idx = np.round(12.0 * np.log2(freqs / 27.5)).astype(int)
    if idx.max() >= n_bins:
        # the top bin is sr / 2 whatever the window, so the slots needed are fixed by sr:
        # a window of twice as many samples holds them (its length in seconds rounded up
        # to the microsecond, so that the value printed, given back, is long enough)
        need = 2 * (int(idx.max()) + 1)
        raise ValueError(
            f"pyAudioAnalysis's chroma needs a longer window at {sr} Hz: "
            f"{2 * n_bins} samples give only {n_bins} bins for {idx.max() + 1} chroma slots; "
            f"a window of at least {need} samples holds them: window >= "
            f"{math.ceil(need / sr * 1e6) / 1e6:g} s"
        )
    count = np.zeros(n_bins)
    for u in np.unique(idx):
        members = np.nonzero(idx == u)[0]
        count[members] = members.size
    source = np.full(n_bins, -1, dtype=np.int64)
    source[idx] = np.arange(n_bins)  # numpy keeps the last of repeated indices
    slots = np.nonzero(source >= 0)[0]
    weight = 1.0 / count[idx[slots]]
    return source[slots], (slots % 12).astype(np.int64), weight


@functools.lru_cache(maxsize=16)
def _plan(sr: int, win: int) -> _Plan:
    m = win // 2
    starts, lengths, band = sparse_filterbank(paa_filterbank(sr, m))
    chroma_bin, chroma_class, chroma_weight = paa_chroma_map(sr, m)
    return _Plan(
        np.ones(win), starts, lengths, band / m, np.ascontiguousarray(dct_matrix(13, 40)),
        chroma_bin, chroma_class, chroma_weight,
    )
