"""Pitch and energy prosody (``prosody``): YIN or pYIN F0, voicing, RMS, and rate proxies.

Pitch trackers (librosa 0.11 definitions, reimplemented in Numba):

``method="yin"``
    ``librosa.yin``: centred frames (zero padding) of ``frame_length`` samples, YIN's
    cumulative mean normalised difference from an FFT autocorrelation, the first trough below
    ``trough_threshold`` (else the global minimum), parabolic refinement, ``f0 = sr / lag``.
    librosa's YIN has no voicing decision; emofeat calls a frame *voiced* when the CMNDF at
    the chosen lag (its aperiodicity) is below ``voicing_threshold`` (0.5) and the frame is
    not digital silence. (librosa's difference function omits YIN's tail term, which adds
    about ``lag / (2 frame)`` to the CMNDF, so the 0.1 trough threshold alone marks only ~10 %
    of RAVDESS frames voiced; 0.5 agrees with pYIN's voicing on 87 % of them.)
``method="pyin"`` (default)
    ``librosa.pyin``: the same difference function; each trough weighted by a Beta(2, 18) prior
    over 100 thresholds and a Boltzmann prior on its rank; pitch bins of 0.1 semitone from
    ``fmin``; a voiced and an unvoiced copy of every bin; local transitions (at most
    ``max_transition_rate`` octaves per second, triangular) and a voicing switch probability;
    Viterbi decoding. The Viterbi is banded, with the same result as librosa's dense one.

Frame-level descriptors (``prosody_`` prefix):

``f0_hz``            F0 in Hz, NaN in unvoiced frames (librosa's ``fill_na=np.nan``; for YIN,
                     librosa returns a value for every frame: see :meth:`Prosody.yin_f0`)
``f0_semitones``     ``12 log2(f0 / 27.5)``, NaN in unvoiced frames
``voiced``           1 voiced, 0 unvoiced
``voiced_prob``      pYIN's voicing probability; with YIN, ``1 - aperiodicity`` clipped to [0, 1]
                     (the CMNDF at the chosen lag), 0 in digital silence
``rms``              frame RMS of the same centred frames (``librosa.feature.rms(y,
                     frame_length, hop_length)``)

At the functionals level, the functionals of these (NaN frames left out, so F0 statistics are
over voiced frames) are followed by four rate proxies: ``voiced_fraction`` (voiced frames /
frames), ``voiced_segments_per_s`` (runs of voiced frames per second of frames),
``mean_voiced_segment_s`` and ``mean_unvoiced_segment_s`` (NaN when there is no such run).

Long files: beyond the runner's ``long_file_seconds`` a file is analysed in blocks
(:mod:`emofeat.blocks`, bounded memory). YIN, the RMS and pYIN's observations are per frame,
hence identical to a whole-file analysis; pYIN's Viterbi runs on from block to block (the
scores of the last frame carried, :class:`_PyinStream`), and a frame is given once every path
that can still become the best one agrees on its output (unvoiced, or one pitch bin), which is
the whole-file decode exactly: the 24 RAVDESS test files joined without gaps (89 s), 5 s, 2 s
and 0.5 s blocks, every frame equal. Until numbers version 2 each block was decoded on its own
with 3 s of signal on both sides, and that was not enough (24 of those 8,886 frames unvoiced
in blocks, voiced at 511 Hz whole, just before a block edge; 32 of 89 functionals moved). The
frames that wait for the paths to meet keep 4 bytes a state (3.2 kB a frame at the default
pitch range): speech settles within about a second of frames (40 EmoDB files joined: at most
104 frames beyond a block), digital silence at once, but noise without voicing keeps paths
apart (60 s of white noise at -60 dBFS: 53 s of frames waited); beyond ``MAX_WAITING_BYTES``
(64 MiB, 210 s of frames) the oldest frames are given the best path so far, the one case that
can differ from a whole-file analysis (with the bound lowered to 4 MiB, 13 s, on that noise:
0 of 14,000 frames differed).

Bad input: digital silence is unvoiced (F0 NaN, voicing probability 0, RMS 0, voiced
fraction 0, mean voiced segment NaN, mean unvoiced segment the input's length); a DC offset
is not removed (as librosa, whose difference function is not invariant to one: 0.001 added to
a RAVDESS clip of peak 0.040 leaves pYIN 120 of its 168 voiced frames, the median F0 103 ->
111 Hz; a 200 Hz tone of amplitude 0.2 over a 0.3 offset reads 203 Hz); clipping needs
nothing special; one frame works; NaN samples are refused by the audio reader (if admitted,
frames touching them are unvoiced with NaN RMS and voicing probability).
"""

from __future__ import annotations

import functools
import math
from collections.abc import Sequence
from typing import NamedTuple

import numpy as np

from emofeat.audio import Audio
from emofeat.extractor import warn_param

from .base import (
    FrameExtractor,
    check_frame_length,
    check_param_size,
    frames_per_pass,
)
from .functionals import DEFAULT_FUNCTIONALS, compute_functionals

RATE_NAMES = ("voiced_fraction", "voiced_segments_per_s", "mean_voiced_segment_s",
              "mean_unvoiced_segment_s")

#: most lags YIN's difference function may span (``sr / fmin``: fmin down to ~1 Hz at 16 kHz);
#: every frame keeps that many values until the pitch is decoded
MAX_LAGS = 2**14
#: most pYIN pitch bins (0.01 semitone over 13.6 octaves): every frame keeps two
#: observations a bin, and the transition plan is built row by row (n_bins**2 work)
MAX_PITCH_BINS = 2**14
#: most memory the back-pointers of a long file's undecided pYIN frames may hold
#: (:class:`_PyinStream`): 64 MiB, 210 s of frames at the default pitch range
MAX_WAITING_BYTES = 64 << 20


class Prosody(FrameExtractor):
    """F0 (YIN or pYIN), voicing, RMS energy, and voicing-rate proxies.

    Parameters
    ----------
    sr : int, default 16000
    method : {"pyin", "yin"}, default "pyin"
    fmin, fmax : float, default 60.0, 600.0
        Pitch search range in Hz; ``sr / fmin`` at most 2**14 lags (fmin >= 0.98 Hz at 16 kHz).
    frame_length : int, default 1024
        Analysis frame (64 ms at 16 kHz), at most 2**20 samples; ``sr / fmin`` must stay
        below ``frame_length - 1`` (one period of ``fmin`` in the frame: librosa's rule);
        under two periods (``sr / fmin >= frame_length // 2``, e.g. ``sr=44100`` with the
        default frame) a ``UserWarning`` says so, as librosa warns. A frame longer than the
        input is zero padded, as librosa's.
    hop_length : int, default 160
        Frame step (10 ms at 16 kHz).
    trough_threshold : float, default 0.1
        YIN's absolute threshold (lag choice, as librosa); finite, >= 0.
    voicing_threshold : float, default 0.5
        YIN only: voiced when the CMNDF at the chosen lag is below this; finite, > 0.
    n_thresholds, beta_parameters, boltzmann_parameter, resolution, max_transition_rate,
    switch_prob, no_trough_prob
        pYIN parameters, librosa's defaults (100, (2, 18), 2, 0.1, 35.92, 0.01, 0.01). Valid
        ranges (librosa's): ``n_thresholds >= 1``; ``beta_parameters`` two numbers > 0;
        ``boltzmann_parameter > 0``; ``0 < resolution <= 1`` (semitones per pitch bin);
        ``max_transition_rate >= 0`` (octaves per second); ``0 < switch_prob < 1`` (at 0 the
        voicing would never change, at 1 it would change every frame); ``0 <= no_trough_prob
        < 1`` (at 1 every voiced probability is 1, so rounding would decide the voicing).
        The transition width
        ``round(max_transition_rate * 12 * hop_length / sr) * ceil(1 / resolution) + 1`` must
        not exceed the pitch grid's ``floor(12 ceil(1 / resolution) log2(fmax / fmin)) + 1``
        bins (a long ``hop_length`` allows larger jumps per frame). Sizes: the pitch grid at
        most 2**14 bins (cents over 13.6 octaves); the banded transitions (pitch bins x band,
        within and across voicing) and the thresholds at most 2**25 values.
    level : {"functionals", "lld"}
    functionals : sequence of str
    resample : bool, default True
    """

    set_name = "prosody"
    #: 1: YIN's voicing probability is 0 in digital silence (version 0 gave it 1 there, the
    #: CMNDF of a frame of zeros being 0, in frames it called unvoiced), and the difference
    #: function's d(1) lacks x_0**2 as librosa's (it moved pYIN's voicing of loud frames).
    #: 2: a long file in blocks decodes pYIN's Viterbi across blocks, exactly the whole
    #: file's (3 s of context per block flipped 24 of 8,886 frames of 89 s of joined speech)
    numbers_version = 2
    kernels = (
        "emofeat.extractors._prosody_kernels:"
        "cmndf,power_in_place,pyin_observations,viterbi_banded,viterbi_banded_forward,"
        "viterbi_settled,viterbi_traceback,voiced_runs",
        "emofeat.extractors._spectral_kernels:frame_signal",
        "emofeat._functionals_kernels:summarize",
    )
    #: long files go block by block (:mod:`emofeat.blocks`): every frame is its own samples,
    #: and pYIN's Viterbi runs on across blocks (:meth:`block_decoder`; module notes: "Long
    #: files"), so no context beyond a frame is needed
    blockwise = True
    context_seconds = 0.0

    def __init__(
        self,
        *,
        sr: int = 16000,
        method: str = "pyin",
        fmin: float = 60.0,
        fmax: float = 600.0,
        frame_length: int = 1024,
        hop_length: int = 160,
        trough_threshold: float = 0.1,
        voicing_threshold: float = 0.5,
        n_thresholds: int = 100,
        beta_parameters: tuple[float, float] = (2, 18),
        boltzmann_parameter: float = 2,
        resolution: float = 0.1,
        max_transition_rate: float = 35.92,
        switch_prob: float = 0.01,
        no_trough_prob: float = 0.01,
        level: str = "functionals",
        functionals: Sequence[str] = DEFAULT_FUNCTIONALS,
        resample: bool = True,
    ) -> None:
        self.sr = sr
        self.method = method
        self.fmin = fmin
        self.fmax = fmax
        self.frame_length = frame_length
        self.hop_length = hop_length
        self.trough_threshold = trough_threshold
        self.voicing_threshold = voicing_threshold
        self.n_thresholds = n_thresholds
        self.beta_parameters = beta_parameters
        self.boltzmann_parameter = boltzmann_parameter
        self.resolution = resolution
        self.max_transition_rate = max_transition_rate
        self.switch_prob = switch_prob
        self.no_trough_prob = no_trough_prob
        self.level = level
        self.functionals = functionals
        self.resample = resample

    # ------------------------------------------------------------------ definition
    def _or_fmin(self, bound: float) -> str:
        """``" or fmin to <least value above bound> Hz"``, or ``""`` where that value is not
        below ``fmax`` (a short frame at 192 kHz: fmin 752.95 Hz above fmax 400, refused)."""
        least = _above(bound)
        return f" or fmin to {least:.2f} Hz" if least < self.fmax else ""

    def _check_params(self) -> None:
        if self.method not in ("yin", "pyin"):
            raise ValueError(f"method must be 'yin' or 'pyin', got {self.method!r}")
        # before any frame exists: difference_function's buffers are frame_length long
        check_frame_length("frame_length", int(self.frame_length), int(self.sr))
        if not 0 < self.fmin < self.fmax <= self.sr / 2:
            raise ValueError(f"need 0 < fmin < fmax <= sr/2, got {self.fmin}, {self.fmax}")
        # the lag bound first: the frame's remedies below then stay within it (fmin=0.3 at
        # 44.1 kHz was offered 0.34 Hz, which this refused)
        if self.sr / self.fmin > MAX_LAGS:
            raise ValueError(f"fmin={self.fmin} is too low: sr / fmin = {self.sr / self.fmin:.0f} "
                             f"lags at {self.sr} Hz, more than the {MAX_LAGS} allowed (YIN's "
                             "difference function keeps that many values for every frame); fmin "
                             f"must be at least {_at_least(self.sr / MAX_LAGS):g} Hz")
        if self.sr / self.fmin >= self.frame_length - 1:
            # the way out, as librosa's error gives one (a default frame_length of 1024 at a
            # file's own 48 kHz fits no period of 40 Hz)
            raise ValueError(f"fmin={self.fmin:g} Hz is too low for frame_length="
                             f"{self.frame_length} at {self.sr} Hz: one period of fmin "
                             f"({self.sr / self.fmin:.4g} samples) must fit into the frame "
                             "less one sample; raise frame_length to "
                             f"{math.floor(self.sr / self.fmin) + 2}"
                             f"{self._or_fmin(self.sr / (self.frame_length - 1))}")
        if self.sr / self.fmin >= self.frame_length // 2:
            # librosa.yin/pyin warn here; the frame is in samples, so an sr raised to a
            # file's own 44.1 or 48 kHz shrinks it to 23 ms, and pYIN then found half the
            # voiced frames of a low male voice (RAVDESS actor 1) without a word
            warn_param(f"fmin={self.fmin:g} Hz, sr={self.sr} and frame_length="
                       f"{self.frame_length} ({1000 * self.frame_length / self.sr:.3g} ms): "
                       "less than two periods of fmin fit into the frame, which makes pitch "
                       "and voicing unreliable near fmin (librosa warns the same); raise "
                       f"frame_length to {2 * (math.floor(self.sr / self.fmin) + 1)}"
                       f"{self._or_fmin(self.sr / (self.frame_length // 2))}")
        if self.hop_length <= 0:
            raise ValueError(f"hop_length must be positive, got {self.hop_length}")
        # thresholds on the CMNDF (>= 0): NaN or a negative voicing_threshold left every YIN
        # frame unvoiced, whatever the signal, and NaN trough_threshold took the global
        # minimum everywhere, without a word
        if not 0.0 <= self.trough_threshold < np.inf:
            raise ValueError("trough_threshold must be a finite number >= 0 (YIN's threshold "
                             "on the normalised difference, librosa's 0.1), got "
                             f"{self.trough_threshold}")
        if not 0.0 < self.voicing_threshold < np.inf:
            raise ValueError("voicing_threshold must be a finite number > 0 (YIN: voiced where "
                             "the normalised difference at the chosen lag is below it; at 0 "
                             f"no frame could be voiced), got {self.voicing_threshold}")
        # the endpoints librosa.pyin runs but documents out of its range (0, 1) decode the
        # voicing without the signal: switch_prob 0 or 1 fixes it (never or always changing),
        # no_trough_prob 1 puts every voiced probability at 1 up to the last bit of a sum
        if not 0.0 < self.switch_prob < 1.0:
            raise ValueError(
                f"switch_prob must lie in (0, 1), librosa.pyin's range, got {self.switch_prob}: "
                "at 0 the voicing could never change (every frame voiced, or every frame "
                "unvoiced, whatever the signal), at 1 it would have to change every frame")
        if not 0.0 <= self.no_trough_prob < 1.0:
            raise ValueError(
                f"no_trough_prob must lie in [0, 1), got {self.no_trough_prob}: at 1 each "
                "threshold's whole mass goes to a trough or the global minimum, so every "
                "frame's voiced probability is 1 (its unvoiced observation 0 or rounding noise) "
                "and the voicing would be decided by rounding")
        try:
            beta = [float(b) for b in self.beta_parameters]
        except (TypeError, ValueError):
            beta = []
        if len(beta) != 2 or not all(np.isfinite(b) and b > 0 for b in beta):
            raise ValueError(f"beta_parameters must be two positive numbers (a, b) of the Beta "
                             f"prior over pYIN's thresholds, got {self.beta_parameters!r}")
        # pYIN's other parameters, with the ranges librosa.pyin documents: each would
        # otherwise pass fit and fail (or give an all-unvoiced F0) at transform
        if self.n_thresholds < 1:
            raise ValueError(f"n_thresholds must be an integer >= 1 (pYIN's trough thresholds; "
                             f"none would leave every frame unvoiced), got {self.n_thresholds}")
        check_param_size(int(self.n_thresholds) + 1, f"pYIN's n_thresholds={self.n_thresholds} "
                         "thresholds", "lower n_thresholds (librosa's default is 100)")
        if not (np.isfinite(self.boltzmann_parameter) and self.boltzmann_parameter > 0):
            raise ValueError("boltzmann_parameter must be a finite number > 0 (the Boltzmann "
                             f"prior on a trough's rank), got {self.boltzmann_parameter}")
        if not 0.0 < self.resolution <= 1.0:
            raise ValueError("resolution must lie in (0, 1]: the width of pYIN's pitch bins in "
                             f"semitones (0.01: cents), got {self.resolution}")
        if not (np.isfinite(self.max_transition_rate) and self.max_transition_rate >= 0):
            raise ValueError("max_transition_rate must be a finite rate >= 0 in octaves per "
                             f"second, got {self.max_transition_rate}")
        if self.method == "pyin":
            per_semitone, n_bins, width = _pitch_grid(
                float(self.sr), float(self.fmin), float(self.fmax), int(self.hop_length),
                float(self.resolution), float(self.max_transition_rate))
            if width > n_bins:
                # librosa refuses it too (transition_local's window is wider than its states)
                raise ValueError(
                    f"pYIN's pitch-transition width round(max_transition_rate * 12 * "
                    f"hop_length / sr) * {per_semitone} + 1 = {width} bins (max_transition_rate"
                    f"={self.max_transition_rate}, hop_length={self.hop_length}, sr={self.sr}) "
                    f"exceeds its pitch grid of {n_bins} bins (fmin={self.fmin} to fmax="
                    f"{self.fmax} at resolution={self.resolution}): lower hop_length or "
                    "max_transition_rate, or widen fmin..fmax")
            if n_bins > MAX_PITCH_BINS:
                raise ValueError(
                    f"pYIN's pitch grid of {n_bins} bins (fmin={self.fmin} to fmax={self.fmax} at "
                    f"resolution={self.resolution} semitones) exceeds the {MAX_PITCH_BINS} "
                    "allowed (every frame keeps two observations a bin): raise resolution "
                    "(0.01: cents) or narrow fmin..fmax")
            # the banded transitions _pyin_plan builds, into and across the voicing blocks
            check_param_size(2 * n_bins * (2 * (width // 2 + 1) + 1),
                             f"pYIN's banded transitions ({n_bins} pitch bins x a band of "
                             f"{width} bins)", "raise resolution, or lower max_transition_rate "
                             "or hop_length")

    def descriptor_names(self) -> list[str]:
        return [f"prosody_{n}" for n in ("f0_hz", "f0_semitones", "voiced", "voiced_prob",
                                         "rms")]

    def feature_names(self) -> list[str]:
        names = super().feature_names()
        if self.level == "functionals":
            names += [f"prosody_{n}" for n in RATE_NAMES]
        return names

    def frame_span(self) -> int:
        """``frame_length``: a shorter input is zero padded, but a frame reads that many."""
        return int(self.frame_length)

    def _periods(self) -> tuple[int, int]:
        sr = self.sr
        return int(np.floor(sr / self.fmax)), min(int(np.ceil(sr / self.fmin)),
                                                  int(self.frame_length) - 1)

    # ------------------------------------------------------------------ computation
    def difference_function(self, y: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """YIN's CMNDF per centred frame, ``(n_frames, max_period - min_period + 1)``, and
        the frames' RMS."""
        # scipy's pocketfft without importing scipy.fft (its import costs a command ~0.09 s)
        from emofeat._fft import irfft_rows, next_fast_len_real, rfft_rows

        from . import _prosody_kernels as KP
        from . import _spectral_kernels as KS

        n_len, hop = int(self.frame_length), int(self.hop_length)
        min_p, max_p = self._periods()
        y = np.asarray(y, dtype=np.float64)
        n_frames = 1 + (y.shape[0] + 2 * (n_len // 2) - n_len) // hop
        # autocorrelation up to max_p by FFT: n_len + max_p points suffice (circular wrap-around
        # only reaches lags above max_p), fewer than librosa's 2 n_len - 1
        n_pad = next_fast_len_real(n_len + max_p)
        d = np.empty((n_frames, max_p - min_p + 1), dtype=np.float64)
        rms = np.empty(n_frames, dtype=np.float64)
        tiny = float(np.finfo(np.float64).tiny)
        ones = _ones(n_len)
        # frames per pass: bounded temporaries on long inputs and long frames (the frames,
        # their zero-padded copy and spectrum, the autocorrelation)
        step = frames_per_pass(8 * (n_len + 3 * n_pad + max_p), 1024)
        for a in range(0, n_frames, step):
            n = min(step, n_frames - a)
            frames = np.empty((n, n_len), dtype=np.float64)
            KS.frame_signal(y, ones, hop, n, a * hop - n_len // 2, 0, n_len, 0.0,
                            KS.PAD_CONSTANT, frames)
            # zero-padded to n_pad, as scipy.fft.rfft(frames, n=n_pad) pads them
            padded = np.zeros((n, n_pad), dtype=np.float64)
            padded[:, :n_len] = frames
            spec = rfft_rows(padded)
            del padded
            KP.power_in_place(spec)
            acf = irfft_rows(spec, n_pad)[:, : max_p + 1]
            KP.cmndf(frames, np.ascontiguousarray(acf), min_p, max_p, tiny, d[a : a + n],
                     rms[a : a + n])
        return d, rms

    def yin_f0(self, y: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """``(f0, has_trough, aperiodicity)`` per frame: ``f0`` equals ``librosa.yin`` (defined
        in every frame); ``has_trough`` is 1 where a CMNDF trough below ``trough_threshold``
        gave the lag (0 where librosa falls back to the global minimum); ``aperiodicity`` is
        the CMNDF at the chosen lag."""
        d, _ = self.difference_function(y)
        return self._yin(d)

    def _yin(self, d):
        from . import _prosody_kernels as KP

        n = d.shape[0]
        f0, voiced, aper = np.empty(n), np.empty(n), np.empty(n)
        KP.yin_pick(d, self._periods()[0], float(self.trough_threshold), float(self.sr), f0,
                    voiced, aper)
        return f0, voiced, aper

    def pyin_f0(self, y: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """``(f0, voiced_flag, voiced_prob)`` per frame, as ``librosa.pyin`` (f0 NaN where
        unvoiced)."""
        d, _ = self.difference_function(y)
        return self._pyin(d)

    def _plan(self) -> _PyinPlan:
        return _pyin_plan(float(self.sr), float(self.fmin), float(self.fmax),
                          int(self.hop_length), int(self.n_thresholds),
                          tuple(float(b) for b in self.beta_parameters),
                          float(self.resolution), float(self.max_transition_rate),
                          float(self.switch_prob))

    def _log_observations(self, d, plan, obs=None, vprob=None):
        """pYIN's log observation probabilities ``(n_frames, 2 n_bins)`` and voicing
        probabilities of the CMNDF frames ``d`` (into ``obs`` and ``vprob`` if given)."""
        from . import _prosody_kernels as KP

        n_frames = d.shape[0]
        n = plan.n_pitch_bins
        obs = np.empty((n_frames, 2 * n)) if obs is None else obs
        vprob = np.empty(n_frames) if vprob is None else vprob
        KP.pyin_observations(d, self._periods()[0], float(self.sr), float(self.fmin),
                             plan.thresholds, plan.beta_probs, float(self.boltzmann_parameter),
                             float(self.no_trough_prob), plan.n_bins_per_semitone, n, obs,
                             vprob)
        obs += _TINY
        return np.log(obs, out=obs), vprob

    def _pyin(self, d):
        from . import _prosody_kernels as KP

        plan = self._plan()
        log_obs, vprob = self._log_observations(d, plan)
        states = np.empty(d.shape[0], dtype=np.int64)
        KP.viterbi_banded(log_obs, plan.log_init, plan.into_stay, plan.into_switch,
                          plan.max_stay, plan.max_switch, plan.half, _LOG_TINY, states)
        return _pitch_of_states(states, plan) + (vprob,)

    def _compute(self, audio: Audio) -> tuple[np.ndarray, np.ndarray]:
        d, rms = self.difference_function(audio.y)
        if self.method == "yin":
            f0, _, aper = self._yin(d)
            sound = rms > 0
            voiced = (aper < self.voicing_threshold) & sound
            f0 = np.where(voiced, f0, np.nan)
            # a frame of zeros has a CMNDF of 0 (0 over the tiny guard), which read as
            # certainly voiced: it is unvoiced, and pYIN gives it 0 too
            prob = np.where(sound, np.clip(1.0 - aper, 0.0, 1.0), 0.0)
        else:
            f0, voiced, prob = self._pyin(d)
        lld = _lld_rows(f0, voiced, prob, rms)
        return lld, self.frame_times(lld.shape[0])

    def frame_state(self, signal: Audio, summary: None = None) -> tuple[np.ndarray, np.ndarray]:
        """A long file's block (:mod:`emofeat.blocks`): with pYIN, per frame its voicing
        probability, RMS and log observations, which :meth:`block_decoder` decodes in order
        across blocks; with YIN, the descriptors (per frame)."""
        if self.method != "pyin":
            return self._compute(signal)
        d, rms = self.difference_function(signal.y)
        plan = self._plan()
        # the observations written in place: a block's are tens of megabytes (60 s blocks)
        state = np.empty((d.shape[0], 2 + 2 * plan.n_pitch_bins))
        vprob = np.empty(d.shape[0])
        self._log_observations(d, plan, state[:, 2:], vprob)
        state[:, 0] = vprob
        state[:, 1] = rms
        return state, self.frame_times(state.shape[0])

    def block_decoder(self) -> _PyinStream | None:
        """pYIN's Viterbi over a long file's blocks, exact (see :class:`_PyinStream`);
        ``None`` for YIN (per frame)."""
        return _PyinStream(self._plan()) if self.method == "pyin" else None

    def frame_times(self, n_frames: int) -> np.ndarray:
        """Frame centres in seconds (centred frames: ``t * hop / sr``)."""
        return np.arange(n_frames) * (self.hop_length / self.sr)

    def warmup(self) -> None:
        """Compile (or load) the kernels of both trackers, YIN and pYIN."""
        super().warmup()
        other = self._clone().set_params(method="yin" if self.method == "pyin" else "pyin")
        FrameExtractor.warmup(other)
        # a long file's blocks call pYIN's forward pass from Python, on views of the blocks'
        # rows: a specialisation of its own, which the whole-file decode never compiles
        pyin = self if self.method == "pyin" else other
        y, sr = pyin.warmup_input()
        state, _ = pyin.frame_state(Audio(y=y, sr=sr, source="warmup", orig_sr=sr,
                                          orig_channels=1))
        decoder = pyin.block_decoder()
        half = state.shape[0] // 2
        decoder.feed(state[:half])
        decoder.feed(state[half:])
        decoder.finish()

    def rate_proxies(self, voiced: np.ndarray) -> np.ndarray:
        """``voiced_fraction, voiced_segments_per_s, mean_voiced_segment_s,
        mean_unvoiced_segment_s`` of a 0/1 voicing track."""
        from . import _prosody_kernels as KP

        voiced = np.ascontiguousarray(voiced, dtype=np.float64)
        out = np.empty(4)
        KP.voiced_runs(voiced, out)
        n = voiced.shape[0]
        frame_s = self.hop_length / self.sr
        return np.array([
            out[1] / n if n else np.nan,
            out[0] / (n * frame_s) if n else np.nan,
            out[2] * frame_s,
            out[3] * frame_s,
        ])

    def functionals_of(self, lld: np.ndarray, times: np.ndarray) -> np.ndarray:
        """The functionals row: statistics of the descriptors, then the rate proxies."""
        stats = compute_functionals(lld, times, self.functionals)
        return np.concatenate([stats, self.rate_proxies(lld[:, 2])])


def _ones(n: int) -> np.ndarray:
    return np.ones(n, dtype=np.float64)


#: pYIN's guard against log(0), librosa's (``np.finfo(float).tiny``)
_TINY = float(np.finfo(np.float64).tiny)
_LOG_TINY = float(np.log(_TINY))


def _pitch_of_states(states: np.ndarray, plan: _PyinPlan) -> tuple[np.ndarray, np.ndarray]:
    """``(f0, voiced)`` of Viterbi states (the voiced copies of the pitch bins first)."""
    n = plan.n_pitch_bins
    voiced = states < n
    f0 = plan.freqs[states % n]
    f0[~voiced] = np.nan
    return f0, voiced


def _lld_rows(f0, voiced, prob, rms) -> np.ndarray:
    """The descriptor rows ``[f0_hz, f0_semitones, voiced, voiced_prob, rms]``."""
    # a frame touching admitted NaN samples (NaN RMS) has no voicing probability: YIN's
    # was NaN, pYIN's a 0 that the functionals averaged in. Infinite samples alike: their
    # RMS was inf (not NaN) and pYIN's probability 0
    broken = ~np.isfinite(rms)
    prob = np.where(broken, np.nan, prob)
    rms = np.where(broken, np.nan, rms)
    voiced = np.asarray(voiced, dtype=np.float64)
    with np.errstate(divide="ignore", invalid="ignore"):
        semitones = 12.0 * np.log2(f0 / 27.5)
    return np.column_stack([f0, semitones, voiced, prob, rms])


class _PyinStream:
    """pYIN's Viterbi decoding of a long file fed block by block, equal to the whole file's.

    The forward pass runs on from block to block with the scores of the last frame carried
    (the same arithmetic as one pass over the file). A frame's output is given as soon as
    every path still able to become the best one agrees on it (all unvoiced, or one voiced
    pitch bin: :func:`viterbi_settled`); the others wait, with their back-pointers, for the
    next block, and the end of the file decides the rest from the best last state, as the
    whole-file decode does. Memory: the back-pointers of the frames that wait (4 bytes a
    state: 3.2 kB a frame at the default pitch range), at most ``MAX_WAITING_BYTES``; frames
    that would wait longer are given the best path so far (module notes: "Long files").
    """

    def __init__(self, plan: _PyinPlan) -> None:
        self.plan = plan
        self.value: np.ndarray | None = None  # the scores of the last frame fed
        self.ptr = np.empty((0, 2 * plan.n_pitch_bins), dtype=np.int32)
        self.side = np.empty((0, 2))  # voicing probability and RMS of the waiting frames
        self.m = 0  # frames waiting
        self.most_waiting = 0  # the most frames that waited at once (measurements)
        self.forced = 0  # frames given before their paths met (MAX_WAITING_BYTES)

    def feed(self, state: np.ndarray) -> np.ndarray:
        """The descriptor rows settled by the next frames' states (rows of
        :meth:`Prosody.frame_state`, in order)."""
        from . import _prosody_kernels as KP

        k = state.shape[0]
        if k == 0:
            return np.empty((0, 5))
        plan = self.plan
        if self.m + k > self.ptr.shape[0]:
            grown = np.empty((max(2 * self.ptr.shape[0], self.m + k), self.ptr.shape[1]),
                             dtype=np.int32)
            grown[: self.m] = self.ptr[: self.m]
            side = np.empty((grown.shape[0], 2))
            side[: self.m] = self.side[: self.m]
            self.ptr, self.side = grown, side
        log_obs = state[:, 2:]  # a view: no copy of a block's observations
        self.side[self.m : self.m + k] = state[:, :2]
        start = 0
        if self.value is None:  # the file's first frame: the initial distribution
            self.value = log_obs[0] + plan.log_init
            self.ptr[0] = -1
            start = 1
        KP.viterbi_banded_forward(log_obs[start:], self.value, plan.into_stay,
                                  plan.into_switch, plan.max_stay, plan.max_switch, plan.half,
                                  _LOG_TINY, self.ptr[self.m + start : self.m + k])
        self.m += k
        self.most_waiting = max(self.most_waiting, self.m)
        states = np.empty(self.m, dtype=np.int64)
        p = KP.viterbi_settled(self.ptr, self.m, plan.n_pitch_bins, states)
        cap = max(1, MAX_WAITING_BYTES // (4 * self.ptr.shape[1]))
        if self.m - p > cap:
            # paths that have not met for that long (noise without voicing, measured: white
            # noise at -60 dBFS): the oldest frames are given the best path so far, as if the
            # file ended here, so that memory stays bounded; the only case that can differ
            # from a whole-file analysis
            KP.viterbi_traceback(self.ptr, self.m, self.value, states)
            p = self.m - cap
            self.forced += p
        return self._give(states, p)

    def finish(self) -> np.ndarray:
        """The rows of the frames still waiting, from the best last state."""
        from . import _prosody_kernels as KP

        if self.m == 0:
            return np.empty((0, 5))
        states = np.empty(self.m, dtype=np.int64)
        KP.viterbi_traceback(self.ptr, self.m, self.value, states)
        return self._give(states, self.m)

    def _give(self, states: np.ndarray, p: int) -> np.ndarray:
        f0, voiced = _pitch_of_states(states[:p], self.plan)
        rows = _lld_rows(f0, voiced, self.side[:p, 0], self.side[:p, 1])
        rest = self.m - p
        self.ptr[:rest] = self.ptr[p : self.m]
        self.side[:rest] = self.side[p : self.m]
        self.m = rest
        return rows


class _PyinPlan(NamedTuple):
    thresholds: np.ndarray
    beta_probs: np.ndarray
    n_bins_per_semitone: int
    n_pitch_bins: int
    freqs: np.ndarray
    log_init: np.ndarray
    half: int
    into_stay: np.ndarray
    into_switch: np.ndarray
    max_stay: np.ndarray
    max_switch: np.ndarray


def _pitch_grid(sr: float, fmin: float, fmax: float, hop: int, resolution: float,
                max_rate: float) -> tuple[int, int, int]:
    """``(bins per semitone, pitch bins, transition width in bins)`` of pYIN, as librosa
    computes them (also what :meth:`Prosody._check_params` checks: the width must not exceed
    the grid)."""
    per_semitone = int(np.ceil(1.0 / resolution))
    n = int(np.floor(12 * per_semitone * np.log2(fmax / fmin))) + 1
    width = round(max_rate * 12 * hop / sr) * per_semitone + 1
    return per_semitone, n, width


@functools.lru_cache(maxsize=8)
def _pyin_plan(sr, fmin, fmax, hop, n_thresholds, beta, resolution, max_rate, switch_prob
               ) -> _PyinPlan:
    """Thresholds, Beta weights, pitch grid and the banded log transition matrix of pYIN."""
    # scipy.special, not scipy.stats and scipy.signal (0.6 s of imports, more than the pYIN of
    # a few files): the Beta CDF is the regularised incomplete beta function (the same
    # numbers as scipy.stats.beta.cdf, tested) and the triangle is filters.get_window's
    from scipy.special import betainc

    from .filters import get_window

    thresholds = np.linspace(0, 1, n_thresholds + 1)
    beta_probs = np.diff(betainc(beta[0], beta[1], thresholds))
    per_semitone, n, width = _pitch_grid(sr, fmin, fmax, hop, resolution, max_rate)
    # the local transition matrix, row by row as librosa builds it (a triangle centred on the
    # row's bin, cut at the ends, rows normalised), kept as a band: into_*[j, c] is the log
    # transition into bin j from bin j - half + c
    half = width // 2 + 1
    win = get_window("triangle", width, periodic=False)
    padded = np.zeros(n)
    left = (n - width) // 2
    padded[left : left + width] = win
    keep = 1.0 - switch_prob
    switch = 1.0 - keep  # librosa's transition_loop arithmetic
    tiny = np.finfo(np.float64).tiny
    into_stay = np.full((n, 2 * half + 1), np.log(tiny))
    into_switch = np.full((n, 2 * half + 1), np.log(tiny))
    offsets = np.arange(-half, half + 1)
    for i in range(n):
        row = np.roll(padded, n // 2 + i + 1)
        row[min(n, i + width // 2 + 1) :] = 0
        row[: max(0, i - width // 2)] = 0
        row = row / row.sum()
        j = i - offsets  # targets j whose band holds i at column half + (i - j)
        inside = (j >= 0) & (j < n)
        cols = half + offsets[inside]
        into_stay[j[inside], cols] = np.log(keep * row[j[inside]] + tiny)
        into_switch[j[inside], cols] = np.log(switch * row[j[inside]] + tiny)
    log_init = np.log(np.ones(2 * n) / (2 * n) + tiny)
    freqs = fmin * 2 ** (np.arange(n) / (12 * per_semitone))
    return _PyinPlan(thresholds, beta_probs, per_semitone, n, freqs, log_init, half,
                     into_stay, into_switch, into_stay.max(axis=1), into_switch.max(axis=1))


def _at_least(bound: float) -> float:
    """The least value of two decimals at or above ``bound``: a least ``fmin`` typed back as
    printed is taken (44.1 kHz: 2.69165 Hz was printed 2.69, which was refused again)."""
    return math.ceil(bound * 100) / 100


def _above(bound: float) -> float:
    """The least value of two decimals above ``bound``: a remedy typed back as printed
    silences the warning (86.13 Hz, ``bound`` 86.1328 rounded, still warned)."""
    return (math.floor(bound * 100) + 1) / 100
