"""The LibROSA feature set (``librosa``): the usual ``librosa.feature`` descriptors from one STFT.

Every spectral descriptor is computed from a single centred STFT per input (``n_fft`` 2048,
hop 512, periodic Hann, zero padding: librosa's defaults), exactly as the corresponding
``librosa.feature`` 0.11 function computes it from that spectrogram:

==========================  =====================================================================
``chroma_C .. chroma_B``    ``chroma_stft(S=|X|**2, tuning=None)``: 12 Gaussian chroma filters
                            (``ctroct`` 5, ``octwidth`` 2, unit 2-norm per bin, rows from C) on the
                            power spectrum, tuning estimated from the spectrum's peaks as
                            ``estimate_tuning`` does, each frame divided by its maximum
``mel_0 .. mel_127``        ``melspectrogram(S=|X|**2)``: 128 Slaney mel bands (power)
``spectral_centroid``       ``spectral_centroid(S=|X|)`` in Hz
``spectral_bandwidth``      ``spectral_bandwidth(S=|X|)``, p = 2, in Hz
``spectral_contrast_0..6``  ``spectral_contrast(S=|X|)``: 6 octave bands from 200 Hz + the rest,
                            quantile 0.02, dB of peak minus dB of valley (``power_to_db``)
``spectral_flatness``       ``spectral_flatness(S=|X|)`` on the power, floor 1e-10
``spectral_rolloff``        ``spectral_rolloff(S=|X|)``, 85 %, in Hz
``zcr``                     ``zero_crossing_rate(y, frame_length=n_fft, hop_length=hop)``: the one
                            time-domain descriptor (edge-padded frames, not the STFT)
``rms``                     ``rms(S=|X|, frame_length=n_fft)``: RMS of the *windowed* frame, from
                            the spectrum by Parseval
``tonnetz_0 .. 5``          ``tonnetz(chroma=chroma)``: the tonal centroid of the STFT chroma above
                            (librosa's default would compute a CQT chroma: a second transform)
``poly_f1``, ``poly_f0``    ``poly_features(S=|X|, order=1)``: slope and intercept of a line
                            fitted to the magnitude spectrum over frequency
``mfcc_0 .. 19``            ``mfcc(S=power_to_db(mel))``: orthonormal DCT-II, 80 dB floor
``mfcc_K_delta(2)``         ``librosa.feature.delta`` (width 9) of the MFCCs
==========================  =====================================================================

Bad input: digital silence gives 0 for chroma, mel, centroid, bandwidth, roll-off, RMS, ZCR,
tonnetz, contrast and the polynomial, 1 for flatness and constant MFCCs, as librosa does (a
frame whose sum is below the smallest normal float is left unnormalised); the tuning of a
silent input is 0. NaN samples are refused by the audio reader; if admitted, frames that touch
them are NaN and the functionals skip them. A DC offset is not removed (as librosa): it shows
in bins 0 and 1 and moves the spectral shape of quiet speech far (docs/feature_sets.md, Bad
input: remove the mean first); clipping needs
nothing special; an input shorter than one FFT is zero-padded (librosa warns and does the same).
"""

from __future__ import annotations

import functools
import math
from collections.abc import Iterable, Sequence
from typing import NamedTuple

import numpy as np

from emofeat._wording import counted, noun
from emofeat.audio import Audio

from .base import (
    MAX_FRAME,
    MAX_PARAM_VALUES,
    FrameExtractor,
    check_frame_length,
    check_mel_sizes,
    check_param_size,
    empty_mel_filters,
    frames_per_pass,
    warn_of_empty_filters,
    warn_overflow,
)
from .filters import analysis_window, dct_matrix, mel_filterbank, sparse_filterbank
from .functionals import DEFAULT_FUNCTIONALS, deltas

PITCH_CLASSES = ("C", "C#", "D", "D#", "E", "F", "F#", "G", "G#", "A", "A#", "B")
#: an input whose chroma tuning is estimated is analysed in one pass over all its frames up to
#: this much memory (the spectra of every frame give the estimate); beyond, the tuning comes
#: from a first pass of its own, so that a long n_fft does not hold gigabytes of spectra
ONE_PASS_BYTES = 1 << 30
#: the float64 frames the STFT transforms at a time (16 frames of 2,048 samples)
FFT_BLOCK_BYTES = 1 << 18


class LibrosaFeatures(FrameExtractor):
    """librosa's spectral, chroma, tonal, mel and MFCC descriptors from one shared STFT.

    Parameters
    ----------
    sr : int, default 16000
        Analysis rate (librosa's own default, 22050, would resample 16 kHz speech).
    n_fft : int, default 2048
        At most 2**20 samples (65.5 s at 16 kHz).
    hop_length : int, default 512
    n_mels : int, default 128
    n_mfcc : int, default 20
        The mel filterbank (``n_mels x (n_fft // 2 + 1)``), the DCT (``n_mfcc x n_mels``) and
        the polynomial fit (``(poly_order + 1) x (n_fft // 2 + 1)``) at most 2**25 values each.
    deltas : {0, 1, 2}, default 2
        MFCC deltas (Savitzky-Golay, width 9, as ``librosa.feature.delta``).
    tuning : float or None, default None
        Chroma tuning in fractions of a semitone; ``None`` estimates it per input. Values
        beyond [-0.5, 0.5) rotate and taper the filters as librosa's do; a tuning whose
        filters overflow, are not finite, or are below 2.2e-16 at every bin (about +-20
        octaves from A440: every chroma 0) is refused.
    roll_percent : float, default 0.85
    n_bands : int, default 6
        Spectral-contrast octave bands (plus one for the rest).
    contrast_fmin : float, default 200.0
        Top of band 0; every band ``[contrast_fmin 2**(k-1), contrast_fmin 2**k]`` must hold
        an FFT bin and start below ``sr / 2``, and band 0 one besides DC
        (``contrast_fmin >= sr / n_fft``).
    poly_order : int, default 1
        At most the order whose ``(sr / 2)**poly_order`` fits in float64 (78 at 16 kHz).
    precision : {"float32", "float64"}, default "float32"
        librosa's analysis of float32 or float64 audio: the samples in that precision, the
        frames windowed and transformed in float64 and, in float32, the spectrum rounded to
        complex64 (``librosa.stft`` of float32 audio), with the frame-level descriptors stored
        in that precision; every sum is accumulated in float64. Not a detail on band-limited
        input (:meth:`precision_matters`).
    level : {"functionals", "lld"}
    functionals : sequence of str
    resample : bool, default True

    Notes
    -----
    Names: ``librosa_<descriptor>`` (module docstring), e.g. ``librosa_chroma_C#``,
    ``librosa_mel_12``, ``librosa_spectral_contrast_3``, ``librosa_mfcc_4_delta``; frame
    times are ``t * hop / sr`` (centred frames).
    """

    set_name = "librosa"
    #: 1: its MFCCs and their deltas as the ``mfcc`` set's version 1 (exact zeros where
    #: version 0 left rounding residue)
    #: 2: the float32 analysis takes a float64 FFT rounded to complex64, as librosa's
    #: (version 1 ran the FFT in float32: up to 3.7 dB off librosa's spectral contrast)
    #: 3: with an odd ``n_fft`` the chroma tuning is estimated at the bin frequencies of
    #: ``n_fft - 1``, as ``chroma_stft``'s ``estimate_tuning`` infers them
    #: (:meth:`pitch_candidates`); every even ``n_fft`` (the default 2048) gives version 2's numbers
    numbers_version = 3
    kernels = (
        "emofeat.extractors._librosa_kernels:pitch_candidates,spectral_frames,zero_crossing_rate",
        "emofeat.extractors._mfcc_kernels:cepstra",
        "emofeat.extractors._spectral_kernels:frame_signal",
        "emofeat._functionals_kernels:summarize,savgol_deltas",
    )
    blockwise = True
    needs_signal_summary = True  # the chroma tuning of the whole signal
    #: long files go block by block (:mod:`emofeat.blocks`): the tuning comes from a first
    #: streaming pass, the dB floors from a second stage over all frames; same bits as whole

    def __init__(
        self,
        *,
        sr: int = 16000,
        n_fft: int = 2048,
        hop_length: int = 512,
        n_mels: int = 128,
        n_mfcc: int = 20,
        deltas: int = 2,
        tuning: float | None = None,
        roll_percent: float = 0.85,
        n_bands: int = 6,
        contrast_fmin: float = 200.0,
        poly_order: int = 1,
        precision: str = "float32",
        level: str = "functionals",
        functionals: Sequence[str] = DEFAULT_FUNCTIONALS,
        resample: bool = True,
    ) -> None:
        self.sr = sr
        self.n_fft = n_fft
        self.hop_length = hop_length
        self.n_mels = n_mels
        self.n_mfcc = n_mfcc
        self.deltas = deltas
        self.tuning = tuning
        self.roll_percent = roll_percent
        self.n_bands = n_bands
        self.contrast_fmin = contrast_fmin
        self.poly_order = poly_order
        self.precision = precision
        self.level = level
        self.functionals = functionals
        self.resample = resample

    # ------------------------------------------------------------------ definition
    def _longest_n_fft(self) -> int:
        """The longest ``n_fft`` the size checks admit with the other parameters: the frame
        (:data:`MAX_FRAME`) and the mel, chroma and polynomial arrays over its bins."""
        rows = max(int(self.n_mels), int(self.poly_order) + 1, 12)
        return min(MAX_FRAME, 2 * (MAX_PARAM_VALUES // rows) - 1)

    def precision_matters(self) -> bool:
        """Whether float32 and float64 analyses give other features: yes, through the chroma
        tuning. Its estimate is the mode of a histogram with exact ties, which the complex64
        rounding of librosa's float32 spectrum decides otherwise than float64 on some files
        (9 of 240 RAVDESS files, in librosa as here). Measured at numbers version 2 on 20
        RAVDESS files (every 72nd), default parameters, in standard deviations of each
        functional over the files: up to 3.3 on chroma and tonnetz columns (204 of 3,747
        beyond 0.1, no other column); the same files written at 8 kHz and read at 16 kHz up to
        0.47 (68 chroma columns). At version 1 (a float32 FFT) the band-limited files moved
        4.8 (306 columns, 214 of them mel bands). A trained model compares the precision of
        its training table with a new table's (``emofeat.classifiers.compatibility``)."""
        return True

    def _check_params(self) -> None:
        if self.n_fft < 16 or self.hop_length <= 0:
            raise ValueError(f"need n_fft >= 16 and hop_length > 0, got {self.n_fft}, "
                             f"{self.hop_length}")
        # before rfftfreq, the filterbanks over n_fft // 2 + 1 bins or any frame are built
        check_frame_length("n_fft", int(self.n_fft), int(self.sr))
        if not 1 <= self.n_mfcc <= self.n_mels:
            raise ValueError(f"need 1 <= n_mfcc <= n_mels, got {self.n_mfcc}, {self.n_mels}")
        n_bins = int(self.n_fft) // 2 + 1
        check_mel_sizes(int(self.n_mels), int(self.n_fft), int(self.n_mfcc))
        if self.deltas not in (0, 1, 2):
            raise ValueError(f"deltas must be 0, 1 or 2, got {self.deltas!r}")
        if self.tuning is not None and not np.isfinite(self.tuning):
            raise ValueError(f"tuning must be a finite fraction of a semitone or None, got "
                             f"{self.tuning}")
        if not 0.0 < self.roll_percent < 1.0:
            raise ValueError(f"roll_percent must lie in (0, 1), got {self.roll_percent}")
        if self.precision not in ("float32", "float64"):
            raise ValueError(f"precision must be 'float32' or 'float64', got {self.precision!r}")
        if self.poly_order < 0:
            raise ValueError(f"poly_order must be >= 0, got {self.poly_order}")
        nyquist = 0.5 * self.sr
        if nyquist > 1.0 and self.poly_order * np.log(nyquist) >= np.log(np.finfo(float).max):
            # the fit's Vandermonde matrix holds frequency**poly_order: past float64's range
            # it is infinite and the fit fails (numpy's "SVD did not converge")
            top = int(np.log(np.finfo(float).max) / np.log(nyquist))
            raise ValueError(
                f"poly_order={self.poly_order} is too high: frequency**poly_order overflows "
                f"float64 at the top FFT bin ({nyquist:g} Hz at sr={self.sr}); poly_order "
                f"must be at most about {top}")
        check_param_size((int(self.poly_order) + 1) * n_bins, f"the polynomial fit of "
                         f"poly_order={self.poly_order} over {n_bins} FFT bins",
                         "lower poly_order or n_fft")
        if not (np.isfinite(self.contrast_fmin) and self.contrast_fmin > 0):
            raise ValueError(f"contrast_fmin must be a finite frequency > 0 in Hz, got "
                             f"{self.contrast_fmin}")
        if self.n_bands < 1:
            raise ValueError(f"n_bands must be an integer >= 1, got {self.n_bands}")
        # ldexp: fmin * 2**(n_bands - 1) exactly, inf (not OverflowError) for huge n_bands
        with np.errstate(over="ignore"):
            top_edge = np.ldexp(float(self.contrast_fmin), int(self.n_bands) - 1)
        if top_edge >= nyquist:
            raise ValueError(f"spectral-contrast bands exceed Nyquist: contrast_fmin * "
                             f"2**(n_bands - 1) must stay below sr / 2 = {nyquist:g} Hz "
                             f"({self.contrast_fmin:g} * 2**{int(self.n_bands) - 1} = "
                             f"{top_edge:g} Hz); "
                             + _contrast_remedy(float(self.contrast_fmin), int(self.n_bands),
                                                int(self.sr), int(self.n_fft),
                                                self._longest_n_fft()))
        freq = np.fft.rfftfreq(int(self.n_fft), 1.0 / int(self.sr))
        empty = _empty_contrast_band(freq, float(self.contrast_fmin), int(self.n_bands))
        if empty is not None:
            # band 0 of the DC bin alone: librosa drops each band's top bin before its sort,
            # so it is empty there (NaN, "Mean of empty slice"); here its valley was 0 and the
            # contrast a constant 192 dB (EmoDB at 16 kHz, contrast_fmin=5, until session 55)
            lo, hi = (0.0 if empty == 0 else self.contrast_fmin * 2.0 ** (empty - 1),
                      self.contrast_fmin * 2.0 ** empty)
            what = ("holds no FFT bin but DC" if empty == 0 else "holds no FFT bin")
            why = ("the band's peak and valley leave out its top bin (librosa's "
                   "spectral_contrast gives NaN there)" if empty == 0 else
                   "librosa's spectral_contrast fails there too")
            raise ValueError(
                f"spectral-contrast band {empty} ({lo:g}-{hi:g} Hz) {what}: n_fft="
                f"{self.n_fft} at sr={self.sr} spaces bins {self.sr / self.n_fft:g} Hz apart, "
                f"and {why}; "
                + _empty_band_remedy(float(self.contrast_fmin), int(self.n_bands),
                                     int(self.sr), int(self.n_fft), self._longest_n_fft()))
        if self.tuning is not None:
            _check_tuning(int(self.sr), int(self.n_fft), float(self.tuning))
        plan = self._plan()
        # mel filters with no FFT bin (mel_k and the MFCCs over them constant), as the mfcc set
        # says of its own filterbank and librosa's filters.mel warns
        empty, message = empty_mel_filters(plan.mel_lengths, int(self.n_fft), int(self.sr))
        if message is not None:
            warn_of_empty_filters(message, empty, len(plan.mel_lengths))

    def descriptor_names(self) -> list[str]:
        names = [f"chroma_{c}" for c in PITCH_CLASSES]
        names += [f"mel_{k}" for k in range(self.n_mels)]
        names += ["spectral_centroid", "spectral_bandwidth"]
        names += [f"spectral_contrast_{k}" for k in range(self.n_bands + 1)]
        names += ["spectral_flatness", "spectral_rolloff", "zcr", "rms"]
        names += [f"tonnetz_{k}" for k in range(6)]
        names += [f"poly_f{p}" for p in range(self.poly_order, -1, -1)]
        mfcc = [f"mfcc_{k}" for k in range(self.n_mfcc)]
        names += mfcc
        if self.deltas >= 1:
            names += [f"{m}_delta" for m in mfcc]
        if self.deltas >= 2:
            names += [f"{m}_delta2" for m in mfcc]
        return [f"librosa_{n}" for n in names]

    def min_samples(self) -> int:
        return 1

    def frame_span(self) -> int:
        """``n_fft``: a shorter input is zero padded, but a frame reads ``n_fft`` samples."""
        return int(self.n_fft)

    def _plan(self) -> _Plan:
        return _plan(int(self.sr), int(self.n_fft), int(self.n_mels), int(self.n_mfcc),
                     int(self.n_bands), float(self.contrast_fmin), int(self.poly_order),
                     self.precision)

    # ------------------------------------------------------------------ computation
    def stft(self, y: np.ndarray) -> np.ndarray:
        """The shared STFT, frames along axis 0: (n_frames, n_fft // 2 + 1) complex."""
        n_fft, hop = int(self.n_fft), int(self.hop_length)
        return self._spectrum(y, 0, 1 + (y.shape[0] + 2 * (n_fft // 2) - n_fft) // hop)

    def _spectrum(self, y: np.ndarray, first: int, n: int, start: int = 0) -> np.ndarray:
        """The STFT of frames ``first .. first + n`` (centred, zero padded): (n, n_bins);
        ``y`` holds the signal from sample ``start`` on (a streamed piece)."""
        # scipy's pocketfft without importing scipy.fft (its import costs a command ~0.09 s)
        from emofeat._fft import rfft_rows

        from . import _spectral_kernels as KS

        plan = self._plan()
        n_fft, hop = int(self.n_fft), int(self.hop_length)
        y = y.astype(self._dtype(), copy=False)
        out = np.empty((n, n_fft // 2 + 1), dtype=self._spectrum_dtype())
        # a few frames at a time, so that the float64 frames and their complex128 FFT stay
        # in the cache: the whole file's at once made the STFT memory-bound (1.47 against
        # 0.69 ms a file in bench_librosa.py --profile; every row's FFT is the same, bit for bit)
        step = max(1, FFT_BLOCK_BYTES // (8 * n_fft))
        frames = np.empty((min(step, n), n_fft), dtype=np.float64)
        for a in range(0, n, step):
            block = frames[:min(step, n - a)]
            KS.frame_signal(y, plan.window, hop, block.shape[0],
                            (first + a) * hop - n_fft // 2 - start, 0, n_fft, 0.0,
                            KS.PAD_CONSTANT, block)
            # stored in the analysis precision (see _spectrum_dtype)
            out[a:a + block.shape[0]] = rfft_rows(block)
        return out

    def _bytes_per_frame(self) -> int:
        """Temporary bytes a frame takes in :meth:`_spectrum` and after it, an upper bound:
        float64 frame and complex128 FFT (16 n_fft bytes; only for the block of frames
        :meth:`_spectrum` transforms at a time), the spectrum in the analysis precision,
        float64 power and magnitude rows, its mel energies."""
        itemsize = np.dtype(self._dtype()).itemsize
        return int(self.n_fft) * (2 * itemsize + 32) + 8 * int(self.n_mels)

    def _spectrum_dtype(self) -> type:
        """The spectrum's type in the analysis precision: complex64 in float32, as
        ``librosa.stft`` stores the float64 FFT of float32 audio (a float64 window times
        float32 samples). A float32 FFT (numbers version 1) rounded each bin to float32's
        resolution of the *frame's* energy, not the bin's: bins 135 dB below the frame's peak
        (the top spectral-contrast band's valleys, the empty mel bands of band-limited input)
        came out up to 3.7 dB off librosa's, and the tuning histogram's ties fell otherwise
        than librosa's float32 ones."""
        return np.complex64 if self.precision == "float32" else np.complex128

    def _tuning_in_passes(self, y: np.ndarray, n_frames: int, step: int) -> float:
        """The tuning estimate of every frame's spectrum, in passes of ``step`` frames: the
        same peaks in the same order, hence the same estimate, as one pass."""
        found = [self.pitch_candidates(_power(self._spectrum(y, a, min(step, n_frames - a))))
                 for a in range(0, n_frames, step)]
        return self.tuning_from_candidates(np.concatenate([p for p, _ in found]),
                                           np.concatenate([m for _, m in found]))

    def pitch_candidates(self, power: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Spectral peaks (frequency, magnitude) for the tuning estimate (librosa's
        ``piptrack``: 150-4000 Hz, above 0.1 of the frame maximum, parabolic refinement),
        float32 for a float32 ``power`` as librosa's (its median and histogram of the peaks
        then run in float32 too: a tie of the histogram can hang on the last bit)."""
        from . import _librosa_kernels as KL

        plan = self._plan()
        # chroma_stft calls estimate_tuning(S=S) without n_fft, and piptrack infers it from
        # the spectrogram as 2 (bins - 1): an odd n_fft's peaks are placed at the bin
        # frequencies of n_fft - 1 (numbers version 3; version 2 took n_fft's, and its
        # chroma was up to 0.89 from librosa's at n_fft 1001 and 2047 on RAVDESS speech)
        n_fft = 2 * (int(self.n_fft) // 2)
        freq = plan.freq if n_fft == int(self.n_fft) else np.fft.rfftfreq(n_fft, 1.0 / self.sr)
        pitches = np.empty(power.size, dtype=np.float64)
        mags = np.empty(power.size, dtype=np.float64)
        n = KL.pitch_candidates(power, freq, 150.0, min(4000.0, self.sr / 2.0), 0.1,
                                float(self.sr), n_fft, power.dtype == np.float32,
                                pitches, mags)
        dtype = np.float32 if power.dtype == np.float32 else np.float64
        return pitches[:n].astype(dtype), mags[:n].astype(dtype)

    @staticmethod
    def tuning_from_candidates(pitches: np.ndarray, mags: np.ndarray) -> float:
        """Of the peaks at or above the median peak magnitude, the most common deviation from
        the equal-tempered grid (A440) in 0.01-semitone bins, the bin's lower edge
        (``librosa.pitch_tuning``); 0.0 when there is no peak."""
        positive = pitches > 0
        if not positive.any():
            return 0.0
        keep = pitches[(mags >= np.median(mags[positive])) & positive]
        residual = np.mod(12 * np.log2(keep / (440.0 / 16)), 1.0)
        residual[residual >= 0.5] -= 1.0
        edges = np.linspace(-0.5, 0.5, 101)
        counts, edges = np.histogram(residual, edges)
        return float(edges[np.argmax(counts)])

    def estimate_tuning(self, power: np.ndarray) -> float:
        """Tuning deviation (semitones) from a power spectrogram, as ``librosa.estimate_tuning``."""
        return self.tuning_from_candidates(*self.pitch_candidates(power))

    def _spectra(self, spec: np.ndarray, chroma_fb: np.ndarray
                 ) -> tuple[np.ndarray, ...]:
        """``(shape, peak, valley, chroma, poly)`` of an STFT (:func:`spectral_frames`):
        ``chroma`` is the power spectrum projected on ``chroma_fb`` (unnormalised), ``poly``
        the polynomial fit of the magnitude spectrum."""
        from . import _librosa_kernels as KL

        plan = self._plan()
        n_frames, n_bins = spec.shape
        shape = np.empty((n_frames, KL.N_SHAPE))
        peak = np.empty((n_frames, plan.band_lo.shape[0]))
        valley = np.empty_like(peak)
        chroma = np.empty((n_frames, chroma_fb.shape[0]))
        poly = np.empty((n_frames, plan.poly.shape[0]))
        KL.spectral_frames(spec, plan.freq, float(self.roll_percent), 1e-10, 2.0,
                           int(self.n_fft), self._tiny(), plan.band_lo, plan.band_hi,
                           plan.band_q, np.empty(n_bins), np.empty(n_bins), shape, peak, valley,
                           chroma_fb, chroma, plan.poly, poly)
        return shape, peak, valley, chroma, poly

    def _dtype(self) -> type:
        return np.float32 if self.precision == "float32" else np.float64

    def _tiny(self) -> float:
        return float(np.finfo(np.float32 if self.precision == "float32" else np.float64).tiny)

    def whole_signal_summary(self, chunks: Iterable[np.ndarray]) -> float:
        """The chroma tuning of a whole signal given in consecutive pieces (a first streaming
        pass for long files, :mod:`emofeat.blocks`): the same frames, peaks and estimate as
        one STFT of the whole signal."""
        if self.tuning is not None:
            return float(self.tuning)
        n_fft, hop, half = int(self.n_fft), int(self.hop_length), int(self.n_fft) // 2
        buf = np.empty(0, dtype=self._dtype())
        start = 0  # signal index of buf[0]
        t = 0  # next frame
        found_p, found_m = [], []
        # a block's frames (1,875 of a 60 s block at the defaults) in bounded passes, as
        # frame_state's: at once they took 49 MB more of a one-hour file's peak memory
        step = frames_per_pass(self._bytes_per_frame(), 1024)

        def frames_up_to(t_end: int) -> None:
            nonlocal t
            while t < t_end:
                n = min(step, t_end - t)
                p, m = self.pitch_candidates(np.abs(self._spectrum(buf, t, n, start)) ** 2)
                found_p.append(p)
                found_m.append(m)
                t += n

        for piece in chunks:
            buf = np.concatenate([buf, np.asarray(piece, dtype=self._dtype())])
            end = start + buf.shape[0]
            frames_up_to(max(t, (end - half) // hop + 1 if end >= half else 0))
            drop = max(0, min(t * hop - half - start, buf.shape[0]))
            buf = buf[drop:]
            start += drop
        n_total = start + buf.shape[0]
        frames_up_to(1 + (n_total + 2 * half - n_fft) // hop)
        return self.tuning_from_candidates(np.concatenate(found_p) if found_p else np.empty(0),
                                           np.concatenate(found_m) if found_m else np.empty(0))

    def frame_state(self, audio: Audio, summary: float | None = None
                     ) -> tuple[np.ndarray, np.ndarray]:
        """First stage (per frame, :mod:`emofeat.blocks`): every descriptor that needs only its
        frame, plus the linear contrast peaks and valleys; ``summary`` is the whole input's
        tuning (estimated from ``audio`` when not given)."""
        from . import _librosa_kernels as KL

        y = audio.y
        n_fft, hop = int(self.n_fft), int(self.hop_length)
        n_frames = 1 + (y.shape[0] + 2 * (n_fft // 2) - n_fft) // hop
        tuning = summary if summary is not None else self.tuning
        lay = self._layout()
        # descriptors are stored in the analysis precision (float32 by default: a one-hour
        # file's 221 columns at 31 frames/s take 100 MB instead of 200 MB)
        state = np.full((n_frames, lay["width"]), np.nan, dtype=self._dtype())
        # frames in passes of at most 1024 (bounded temporaries in long files and long
        # frames: frames, spectra, peak candidates, mel energies), all at once when the tuning
        # has to be estimated from every frame's spectrum, unless that takes gigabytes
        frames_y = y.astype(self._dtype(), copy=False)  # cast once, not per pass
        per_frame = self._bytes_per_frame()
        step = frames_per_pass(per_frame, 1024)
        if tuning is None:
            if n_frames * per_frame <= ONE_PASS_BYTES:
                step = max(1, n_frames)
            else:
                tuning = self._tuning_in_passes(frames_y, n_frames, step)
        for a in range(0, n_frames, step):
            self._state_rows(frames_y, a, min(step, n_frames - a), tuning, state[a : a + step], lay)
        zcr = np.empty(n_frames)
        # a frame touching a NaN or infinite sample has a non-finite spectrum, hence RMS
        # (frame for frame the ZCR's samples), so where every RMS is finite the samples are
        # not searched for non-finite ones: nearly every input, as the readers admit such
        # samples only with allow_nonfinite
        nonfinite = not np.isfinite(state[:, lay["flatness"] + 3]).all()
        KL.zero_crossing_rate(y, n_fft, hop, n_frames, 1e-10, nonfinite, zcr)
        state[:, lay["flatness"] + 2] = zcr
        return state, self.frame_times(n_frames)

    def _state_rows(self, y: np.ndarray, first: int, n: int, tuning: float | None,
                    out: np.ndarray, lay: dict[str, int]) -> None:
        """Frames ``first .. first + n`` of the first stage into ``out`` (see
        :meth:`_layout`: the contrast columns hold the peaks, the valley columns the valleys,
        the MFCC columns wait for the second stage)."""
        from . import _librosa_kernels as KL
        from . import _mfcc_kernels as KM

        plan = self._plan()
        n_fft = int(self.n_fft)
        spec = self._spectrum(y, first, n)
        tiny = self._tiny()
        if tuning is None:
            # the tuning is the mode of a histogram with exact ties on about a third of real
            # files, so its input must be librosa's to the last bit: NumPy's complex abs,
            # squared (the kernel's re^2 + im^2 differs in the last place)
            tuning = self.estimate_tuning(_power(spec))
        chroma_fb = chroma_filterbank(int(self.sr), n_fft, float(tuning))
        # one pass over the spectrum: shape descriptors, contrast, chroma and poly projections
        shape, peak, valley, chroma, poly = self._spectra(spec, chroma_fb)
        chroma /= _norm_or_one(np.abs(chroma).max(axis=1, keepdims=True), tiny)
        out[:, :12] = chroma
        rest = lay["flatness"]
        out[:, rest + 4 : rest + 10] = (
            chroma / _norm_or_one(np.abs(chroma).sum(axis=1, keepdims=True), tiny)
        ) @ plan.tonnetz.T
        out[:, rest + 10 : rest + 10 + poly.shape[1]] = poly
        mel = np.empty((n, int(self.n_mels)))
        KM.mel_energies(spec, 2.0, plan.mel_starts, plan.mel_lengths, plan.mel_band, 0.0, mel)
        out[:, lay["mel"] : lay["mel"] + int(self.n_mels)] = mel
        out[:, lay["centroid"]] = shape[:, KL.I_CENTROID]
        out[:, lay["centroid"] + 1] = shape[:, KL.I_BANDWIDTH]
        out[:, lay["contrast"] : lay["contrast"] + peak.shape[1]] = peak
        out[:, lay["valley"] : lay["valley"] + valley.shape[1]] = valley
        out[:, rest] = shape[:, KL.I_FLATNESS]
        out[:, rest + 1] = shape[:, KL.I_ROLLOFF]
        out[:, rest + 3] = shape[:, KL.I_RMS]

    def _layout(self) -> dict[str, int]:
        """Column positions of the output (and of the first stage's state)."""
        n_mels, n_bands = int(self.n_mels), int(self.n_bands) + 1
        mel = 12
        centroid = mel + n_mels
        contrast = centroid + 2
        flatness = contrast + n_bands
        mfcc = flatness + 10 + int(self.poly_order) + 1
        n_out = mfcc + int(self.n_mfcc) * (1 + int(self.deltas))
        inside = int(self.n_mfcc) >= n_bands
        return {"mel": mel, "centroid": centroid, "contrast": contrast, "flatness": flatness,
                "mfcc": mfcc, "n_out": n_out, "valley": mfcc if inside else n_out,
                "width": n_out if inside else n_out + n_bands}

    def from_frame_state(self, state: np.ndarray | list[np.ndarray]) -> np.ndarray:
        """Second stage (whole input), in place on the state: the contrast's and the MFCC's
        dB floors, relative to the input's maxima, then the MFCC and their deltas. ``state``
        may be a list holding the frames (:mod:`emofeat.blocks`); it is emptied."""
        from . import _mfcc_kernels as KM

        plan = self._plan()
        if isinstance(state, list):
            blocks, state = state, None
            state = blocks.pop(0) if len(blocks) == 1 else np.concatenate(blocks)
            blocks.clear()
        lay = self._layout()
        n_mels, n_bands, n_mfcc = int(self.n_mels), int(self.n_bands) + 1, int(self.n_mfcc)
        mel = state[:, lay["mel"] : lay["mel"] + n_mels]
        peak = state[:, lay["contrast"] : lay["contrast"] + n_bands]
        valley = state[:, lay["valley"] : lay["valley"] + n_bands]

        def top(x: np.ndarray) -> float:  # maximum of the finite values
            return float(np.max(x, initial=-np.inf, where=np.isfinite(x)))

        mel_floor = KM.DB_PER_NEPER * np.log(max(top(mel), 1e-10)) - 80.0
        peak_floor = 10.0 * np.log10(max(top(peak), 1e-10)) - 80.0
        valley_floor = 10.0 * np.log10(max(top(valley), 1e-10)) - 80.0
        mfcc = np.empty((state.shape[0], n_mfcc))
        step = 8192  # frames per pass: bounded temporaries on long inputs
        for a in range(0, state.shape[0], step):
            rows = slice(a, a + step)
            with np.errstate(invalid="ignore"):  # inf - inf: a frame of admitted inf samples
                peak[rows] = _db(peak[rows], peak_floor) - _db(valley[rows], valley_floor)
            KM.cepstra(np.log(np.maximum(mel[rows], 1e-10)), KM.DB_PER_NEPER, 0.0, mel_floor,
                       plan.dct, mfcc[rows])
        m0 = lay["mfcc"]
        state[:, m0 : m0 + n_mfcc] = mfcc
        for order in range(1, int(self.deltas) + 1):
            col = m0 + order * n_mfcc
            state[:, col : col + n_mfcc] = deltas(mfcc, order, 9)
        return state if state.shape[1] == lay["n_out"] else state[:, : lay["n_out"]]

    def frame_times(self, n_frames: int) -> np.ndarray:
        """Frame centres in seconds (centred frames: ``t * hop / sr``)."""
        return np.arange(n_frames) * (self.hop_length / self.sr)

    def _compute(self, audio: Audio, summary: float | None = None
                 ) -> tuple[np.ndarray, np.ndarray]:
        state, times = self.frame_state(audio, summary)
        lld = self.from_frame_state(state)
        if not np.isfinite(lld.sum()):  # one sum a file: a descriptor is NaN or inf
            self._warn_nonfinite(audio, lld)
        return lld, times

    def _warn_nonfinite(self, audio: Audio, lld: np.ndarray) -> None:
        """Warn, naming the input, when finite samples gave non-finite descriptors: samples
        far beyond [-1, 1] (1e20) overflow the float32 power spectrum (as librosa's own
        float32 analysis does), and the rows were NaN with only NumPy's warning."""
        bad = int(np.count_nonzero(~np.isfinite(lld).all(axis=1)))
        warn_overflow(audio, self.precision, lambda peak: (
            f"{bad} of {counted(lld.shape[0], 'frame')} {noun(bad, 'has', 'have')} NaN or "
            "infinite descriptors: samples up to "
            f"{peak:.3g} lie far beyond [-1, 1], where the {self.precision} analysis "
            "overflows"))


def _db(x: np.ndarray, floor: float) -> np.ndarray:
    """``10 log10(max(1e-10, x))`` floored at ``floor`` (NaN stays NaN)."""
    return np.maximum(10.0 * np.log10(np.maximum(1e-10, x)), floor)


def power_to_db(x: np.ndarray, amin: float = 1e-10, top_db: float = 80.0) -> np.ndarray:
    """librosa's ``power_to_db`` (``ref`` 1): ``10 log10(max(amin, x))`` floored ``top_db``
    below its maximum over the whole array."""
    db = 10.0 * np.log10(np.maximum(amin, x))
    top = np.max(db, initial=-np.inf, where=np.isfinite(db))  # NaN frames stay NaN alone
    return np.maximum(db, top - top_db)


def _norm_or_one(length: np.ndarray, tiny: float) -> np.ndarray:
    """librosa's ``util.normalize`` rule: a norm below ``tiny`` is replaced by 1."""
    return np.where(length < tiny, 1.0, length)


class _Plan(NamedTuple):
    window: np.ndarray
    freq: np.ndarray
    band_lo: np.ndarray
    band_hi: np.ndarray
    band_q: np.ndarray
    mel_starts: np.ndarray
    mel_lengths: np.ndarray
    mel_band: np.ndarray
    dct: np.ndarray  # (n_mfcc, n_mels)
    tonnetz: np.ndarray
    poly: np.ndarray  # (order + 1, n_bins)


def contrast_bands(freq: np.ndarray, sr: int, fmin: float, n_bands: int
                   ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Spectral-contrast bands as librosa draws them: ``(first bin, end bin, n averaged)``.

    Band ``k`` spans ``[fmin 2**(k-1), fmin 2**k]`` Hz (band 0: ``[0, fmin]``), plus the bin
    just below for ``k > 0`` and every bin above for the last band; all bands but the last
    drop their top bin from the sort. ``n averaged`` is ``max(1, rint(0.02 * bins in band))``.
    """
    edges = np.zeros(n_bands + 2)
    edges[1:] = fmin * 2.0 ** np.arange(0, n_bands + 1)
    lo, hi, q = [], [], []
    for k in range(n_bands + 1):
        inside = np.flatnonzero((freq >= edges[k]) & (freq <= edges[k + 1]))
        first = inside[0] - 1 if k > 0 else inside[0]
        last = freq.shape[0] - 1 if k == n_bands else inside[-1]
        count = last - first + 1
        lo.append(first)
        hi.append(last + 1 if k == n_bands else last)
        q.append(max(1, int(np.rint(0.02 * count))))
    return np.array(lo, np.int64), np.array(hi, np.int64), np.array(q, np.int64)


def _check_tuning(sr: int, n_fft: int, tuning: float) -> None:
    """``ValueError`` when ``tuning`` leaves no chroma to compute: the reference
    ``440 * 2**(tuning / 12)`` Hz beyond float64 (librosa's ``filters.chroma`` raises an
    OverflowError) or filters that are not finite, or so many octaves from A440 that the
    filters' octave taper is below float64's resolution at every FFT bin (beyond about 15
    octaves: every chroma and tonnetz value 0, or decided by the taper's underflowing tail,
    for every input; librosa gives the same numbers)."""
    try:
        with np.errstate(all="ignore"):
            fb = chroma_filterbank(sr, n_fft, tuning)
    except OverflowError:
        fb = None
    eps = float(np.finfo(np.float64).eps)
    if fb is not None and np.isfinite(fb).all() and fb.max() >= eps:
        return
    problem = ("beyond float64's range" if fb is None or not np.isfinite(fb).all() else
               f"so far from every FFT bin that each chroma filter weight is below {eps:.3g} "
               "(every chroma and tonnetz value would be 0, or decided by the filters' "
               "underflowing octave taper)")
    raise ValueError(f"tuning={tuning:g} moves the chroma reference 440 * 2**(tuning / 12) Hz "
                     f"by {tuning / 12:.3g} octaves, {problem}: tuning is a deviation from A440 "
                     "in fractions of a chroma bin (librosa's estimate lies in [-0.5, 0.5)); "
                     "None estimates it per input")


def _empty_contrast_band(freq: np.ndarray, fmin: float, n_bands: int) -> int | None:
    """The first spectral-contrast band (``0..n_bands``, as :func:`contrast_bands` numbers
    them) with no FFT bin in ``[fmin 2**(k-1), fmin 2**k]``, or ``None``. Band 0,
    ``[0, fmin]``, needs a bin besides DC: its peak and valley leave out its top bin, as
    librosa's do (a band of the DC bin alone is empty there: NaN)."""
    if freq.shape[0] < 2 or not freq[1] <= fmin:
        return 0
    for k in range(1, n_bands + 1):
        lo, hi = fmin * 2.0 ** (k - 1), fmin * 2.0 ** k
        if not np.any((freq >= lo) & (freq <= hi)):
            return k
    return None


def _contrast_remedy(fmin: float, n_bands: int, sr: int, n_fft: int, longest: int) -> str:
    """What makes spectral-contrast bands whose top edge ``fmin 2**(n_bands - 1)`` reaches
    Nyquist fit, as values that the set then accepts: the most bands that fit below it from
    ``fmin`` (none where ``fmin`` itself reaches it), or a ``contrast_fmin`` range whose top
    is the largest value of two decimals below ``sr / 2 / 2**(n_bands - 1)`` (the defaults at
    8 kHz, telephone speech: 5 bands, or 3.91-124.99 Hz); where neither alone fits
    (``contrast_fmin`` above Nyquist and so many bands that no cent is left below the
    bound), librosa's default of 6 bands with the ``contrast_fmin`` range that fits them.
    librosa's spectral_contrast refuses such bands too ("Frequency band exceeds Nyquist").

    The range's bottom is the first FFT bin above DC (``sr / n_fft``), which band 0,
    ``[0, contrast_fmin]``, must hold, the set's other check (below it librosa's
    spectral_contrast gives NaN for band 0; below half of it, an IndexError). Where no
    ``contrast_fmin`` passes both at this ``n_fft`` (48 kHz with 12 bands and
    ``n_fft=2048``: below 11.72 Hz for Nyquist, from 23.44 Hz for a bin), the smallest
    power of two of ``n_fft`` up to
    ``longest`` (the set's size limits) that lets one pass is named with it; the offer of
    ``contrast_fmin`` alone was refused by the other check (until session 55)."""
    nyquist = 0.5 * sr
    fits = 0
    while fits < n_bands and np.ldexp(fmin, fits) < nyquist:  # bands 1 .. fits + 1 fit
        fits += 1
    offers = []
    if fits:
        raised = _n_fft_for_bands(sr, n_fft, fmin, fits, longest)
        if raised is not None:
            offers.append(f"n_bands to {fits}" + _raised(raised, n_fft, sr))
    fmin_range = _contrast_fmin_range(sr, n_fft, n_bands, longest)
    if fmin_range is None and not offers and n_bands != 6:
        # librosa's default, with the contrast_fmin that fits it
        fmin_range = _contrast_fmin_range(sr, n_fft, 6, longest)
        if fmin_range is not None:
            offers.append("n_bands to 6 (librosa's default) and "
                          "contrast_fmin to {:.2f}-{:.2f} Hz".format(*fmin_range[:2])
                          + _raised(fmin_range[2], n_fft, sr))
    elif fmin_range is not None:
        lo, hi, raised = fmin_range
        offers.append(f"contrast_fmin to {lo:.2f}-{hi:.2f} Hz" + _raised(raised, n_fft, sr))
    if not offers:
        return "lower n_bands or contrast_fmin"
    return "lower " + " or ".join(offers)


def _empty_band_remedy(fmin: float, n_bands: int, sr: int, n_fft: int, longest: int
                       ) -> str:
    """What gives every spectral-contrast band below Nyquist (checked before) an FFT bin, as
    values that the set then accepts: the smallest power of two of ``n_fft`` (up to
    ``longest``) that does it at this ``contrast_fmin``, and the ``contrast_fmin`` range that
    does it at this ``n_fft`` (cents from the first bin rounded up to the largest below the
    Nyquist bound, as the Nyquist refusal's range; none where the two bounds meet: 48 kHz,
    11 bands, ``n_fft=2048`` needs ``contrast_fmin`` from 23.4375 Hz and below 23.4375 Hz).
    Until session 55 band 0's refusal offered ``sr / n_fft`` printed with ``:g``
    (10.7666 Hz at 22.05 kHz, below the bin 10.7666015625 Hz: refused again; at 48 kHz with
    11 bands 23.4375 Hz, refused by the Nyquist check) and "raise n_fft" without a value."""
    offers = []
    raised = _n_fft_for_bands(sr, n_fft, fmin, n_bands, longest)
    if raised is not None:
        offers.append(f"n_fft to {raised}")
    fmin_range = _contrast_fmin_range(sr, n_fft, n_bands, n_fft)
    if fmin_range is not None:
        offers.append("contrast_fmin to {:.2f}-{:.2f} Hz".format(*fmin_range[:2]))
    if not offers:  # no n_fft within the size limits and no contrast_fmin at this one
        fmin_range = _contrast_fmin_range(sr, n_fft, n_bands, longest)
        if fmin_range is None:
            return "raise n_fft or contrast_fmin, or lower n_bands"
        return ("raise contrast_fmin to {:.2f}-{:.2f} Hz".format(*fmin_range[:2])
                + _raised(fmin_range[2], n_fft, sr))
    return "raise " + " or ".join(offers)


def _raised(n_fft_needed: int, n_fft: int, sr: int) -> str:
    """`` with n_fft raised to N`` where the offer needs a longer FFT, else nothing."""
    if n_fft_needed == n_fft:
        return ""
    return (f" with n_fft raised to {n_fft_needed} (band 0, [0, contrast_fmin], needs an FFT "
            f"bin besides DC: n_fft={n_fft} spaces them {sr / n_fft:g} Hz apart)")


def _contrast_bands_hold_bins(sr: int, n_fft: int, fmin: float, n_bands: int) -> bool:
    freq = np.fft.rfftfreq(n_fft, 1.0 / sr)
    return _empty_contrast_band(freq, fmin, n_bands) is None


def _n_fft_for_bands(sr: int, n_fft: int, fmin: float, n_bands: int, longest: int
                     ) -> int | None:
    """``n_fft``, or the smallest power of two above it (up to ``longest``) whose bins put
    one in every contrast band from ``fmin``; ``None`` if none does."""
    size = n_fft
    while size <= longest:
        if _contrast_bands_hold_bins(sr, size, fmin, n_bands):
            return size
        size = 1 << size.bit_length()  # the smallest power of two above size
    return None


def _contrast_fmin_range(sr: int, n_fft: int, n_bands: int, longest: int
                         ) -> tuple[float, float, int] | None:
    """``(lowest, highest, n_fft)``: the ``contrast_fmin`` values of two decimals from
    ``lowest`` to ``highest`` pass both checks of ``n_bands`` bands (below Nyquist, a bin in
    every band) at that ``n_fft`` (the one given, or the smallest power of two above it that
    admits one); ``None`` if none does up to ``longest``."""
    hi = _cents_below(0.5 * sr, n_bands)
    if hi <= 0:
        return None
    size = n_fft
    while size <= longest:
        # band 0, [0, f], holds the bin sr / size from f = sr / size up (and then every
        # wider band one); checked as the set checks it (the bins as rfftfreq computes
        # them), a cent up if the rounding of the bound leaves it out
        lo = math.ceil(sr / size * 100) / 100
        for _ in range(3):
            if lo > hi or _contrast_bands_hold_bins(sr, size, lo, n_bands):
                break
            lo = round(lo + 0.01, 2)
        if lo <= hi and _contrast_bands_hold_bins(sr, size, lo, n_bands) \
                and _contrast_bands_hold_bins(sr, size, hi, n_bands):
            return lo, hi, size
        size = 1 << size.bit_length()
    return None


def _cents_below(nyquist: float, n_bands: int) -> float:
    """The largest value of two decimals strictly below ``nyquist / 2**(n_bands - 1)`` (the
    bound is refused: 125 Hz at 8 kHz and 6 bands, so 124.99; 172.26 at 11.025 kHz, below
    172.265625), printed with ``.2f`` so that it is taken as typed; 0 where no cent is
    left."""
    return (math.ceil(np.ldexp(nyquist, 1 - n_bands) * 100) - 1) / 100


def _power(spec: np.ndarray) -> np.ndarray:
    """``np.abs(spec) ** 2``, the power spectrum the tuning is estimated from (NumPy's complex
    abs, squared: librosa's bits). Samples far beyond [-1, 1] (1e20) overflow it in float32:
    such frames are NaN in every descriptor and the set's own warning names the input
    (:func:`warn_overflow`), so NumPy's "overflow encountered in square", which named none
    (the command showed it as ``warning: RuntimeWarning: ...``), is not raised beside it."""
    with np.errstate(over="ignore"):
        return np.abs(spec) ** 2


@functools.lru_cache(maxsize=64)
def chroma_filterbank(sr: int, n_fft: int, tuning: float = 0.0, n_chroma: int = 12,
                      ctroct: float = 5.0, octwidth: float = 2.0) -> np.ndarray:
    """STFT-to-chroma filters as ``librosa.filters.chroma``: (n_chroma, n_fft // 2 + 1).

    Each bin spreads over the chroma classes with a Gaussian (width: the bin's spacing in
    chroma units, at least 1) around its pitch class, weights normalised to unit 2-norm per
    bin, then tapered by a Gaussian in octaves around ``ctroct`` (width ``octwidth``); rows
    start at C. The DC bin is placed 1.5 octaves below the first bin.
    """
    freqs = np.linspace(0, sr, n_fft, endpoint=False)[1:]
    a440 = 440.0 * 2.0 ** (tuning / n_chroma)
    frq = n_chroma * np.log2(freqs / (a440 / 16))
    frq = np.concatenate(([frq[0] - 1.5 * n_chroma], frq))
    width = np.concatenate((np.maximum(frq[1:] - frq[:-1], 1.0), [1]))
    dist = np.subtract.outer(frq, np.arange(0, n_chroma, dtype="d")).T
    half = np.round(float(n_chroma) / 2)
    dist = np.remainder(dist + half + 10 * n_chroma, n_chroma) - half
    wts = np.exp(-0.5 * (2 * dist / width[None, :]) ** 2)
    wts /= _norm_or_one(np.sqrt((wts**2).sum(axis=0, keepdims=True)), np.finfo(float).tiny)
    wts *= np.exp(-0.5 * ((frq / n_chroma - ctroct) / octwidth) ** 2)[None, :]
    wts = np.roll(wts, -3 * (n_chroma // 12), axis=0)
    out = np.ascontiguousarray(wts[:, : n_fft // 2 + 1])
    out.setflags(write=False)
    return out


def tonnetz_basis() -> np.ndarray:
    """(6, 12) tonal-centroid projection: fifths, minor and major thirds as (x, y) pairs."""
    pcs = np.arange(12.0)
    scale = np.array([7.0 / 6, 7.0 / 6, 3.0 / 2, 3.0 / 2, 2.0 / 3, 2.0 / 3])
    angle = np.multiply.outer(scale, pcs)
    angle[::2] -= 0.5
    radius = np.array([1, 1, 1, 1, 0.5, 0.5])
    return radius[:, None] * np.cos(np.pi * angle)


def poly_fit_matrix(freq: np.ndarray, order: int) -> np.ndarray:
    """Least-squares fit as a matrix: ``coef = M @ spectrum``, highest power first (polyfit).

    Columns of the Vandermonde matrix are scaled to unit norm before the pseudo-inverse, as
    ``numpy.polyfit`` does, to keep the fit well conditioned.
    """
    v = np.vander(freq, order + 1)
    scale = np.sqrt((v * v).sum(axis=0))
    return np.linalg.pinv(v / scale) / scale[:, None]


@functools.lru_cache(maxsize=16)
def _plan(sr, n_fft, n_mels, n_mfcc, n_bands, contrast_fmin, poly_order, precision) -> _Plan:
    # float64 in both precisions: librosa windows float32 samples with its float64 window
    window = analysis_window("hann", n_fft, n_fft, True).astype(np.float64)
    freq = np.fft.rfftfreq(n_fft, 1.0 / sr)
    band_lo, band_hi, band_q = contrast_bands(freq, sr, contrast_fmin, n_bands)
    starts, lengths, band = sparse_filterbank(mel_filterbank(sr, n_fft, n_mels))
    return _Plan(window, freq, band_lo, band_hi, band_q, starts, lengths, band,
                 np.ascontiguousarray(dct_matrix(n_mfcc, n_mels)), tonnetz_basis(),
                 np.ascontiguousarray(poly_fit_matrix(freq, poly_order)))
