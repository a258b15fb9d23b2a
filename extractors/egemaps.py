"""eGeMAPSv02 and GeMAPSv01b (Eyben et al. 2016) without openSMILE.

An independent implementation, written from the GeMAPS paper, the published parameters and
measurements of openSMILE 3.0 (``opensmile`` 2.6) outputs on real speech; no openSMILE code
or configuration was read or copied. Column names are openSMILE's, so that an eGeMAPS
analysis can be rerun column by column; ``docs/egemaps.md`` has the per-feature agreement.

Frame grid (16 kHz)
-------------------
10 ms hop. Loudness, spectral descriptors and MFCC come from 20 ms (320-sample) Hamming
frames (symmetric window, 512-point FFT, no pre-emphasis); pitch, voicing and voice quality
from 60 ms (960-sample) frames with a Gaussian window (sigma 0.4 of the half length, FFT
1024). Frame ``t`` starts at sample ``160 t`` for both. openSMILE's LLD table has
``(n - 960) // 160 + 2`` rows (the full 60 ms frames and one partial frame, zero padded
here, whose row holds the row before's 60 ms descriptors unsmoothed, as openSMILE's table
has it). The row after the last one the voiced functionals see (row ``m``, typically ``n_rows -
3`` on whole files) likewise repeats row ``m - 1``'s raw 60 ms descriptors, voicing included,
and row ``m - 1`` is smoothed as if the rows ended there, as openSMILE's table has them
(measured). Its functionals use every full 20 ms frame for the 20 ms descriptors. Samples are
analysed as openSMILE reads them, truncated to 16-bit PCM (:func:`pcm16`).

LLDs (the measured conventions behind openSMILE's columns)
----------------------------------------------------------
Loudness        26 mel bands (HTK mel, 20-8000 Hz, triangles linear in mel, FFT bins from
                ``int(20 / df + 1.5)`` on: HTK's lowest-bin rule) on the power spectrum, each
                band floored, weighted by Hermansky's equal-loudness curve at the band's
                mel centre times ``1e32 / (w**7 + 1.7e31)`` (``w = 2 pi f``), compressed by
                ``** 0.33`` and averaged over the 26 bands (openSMILE's own samples are
                ``k / 32767``: the weights carry ``(32768 / 32767) ** 0.66``). Measured on
                openSMILE's auditory bands (session 51): its weight of every band to 5e-7.
alphaRatio      ``10 log10`` of the power in 1-5 kHz (bins 1000 <= f <= 5000) over the
                power below 1 kHz (openSMILE's sign: negative when the low band dominates).
hammarbergIndex ``10 log10`` of the peak power below 2 kHz over the peak in 2-5 kHz.
slope0-500, slope500-1500
                slope (dB/Hz) of the dB power spectrum (floored at -140 dB) over 0-500 and
                500-1500 Hz, both ends included, by the least-squares formula with the point
                count taken one lower than the points summed (measured: this is what makes
                openSMILE's slope depend on the level, and read 0.112 / 0.0764 on digital
                silence; reproduced to 1e-5).
spectralFlux    L2 norm of the frame-to-frame change of the magnitude spectrum below 5 kHz,
                divided by 12.6487 (``~sqrt(160)``, measured).
mfcc1-4         natural log of the same 26 floored mel bands, HTK DCT-II (``sqrt(2/N)``),
                lifter 22.
F0semitoneFrom27.5Hz
                openSMILE's pitch path, measured on its own components
                (docs/egemaps.md, "openSMILE's pitch path"): the 60 ms Gaussian frame's
                1024-point magnitude spectrum
                with every bin farther than 2 bins from a local maximum set to 0, smoothed
                [1/4, 1/2, 1/4], a natural cubic spline through the bins at 513 log2-spaced
                points from 25 to 8000 Hz, an auditory weighting (an arctangent of log2
                frequency, measured);
                subharmonic summation (15 harmonics, compression 0.85, measured point
                offsets); candidates: the 6 highest maxima in 55-1000 Hz, voicing
                ``1 - mean / peak`` of the summation. Voicing and F0: openSMILE's Viterbi
                smoother over the candidates and an unvoiced state in its measured cost
                form with its default weights (:func:`K.pitch_smoother`: 99.93 % of its
                decisions on its own candidates; with its own first step, and the path over
                the full 60 ms frames, for inputs that start in speech), which
                chooses the voiced frames and their candidate; then frames whose
                Gaussian-windowed 60 ms frame has an RMS (over its 960 samples) <= 0.001,
                the published gate, unvoiced (a mask on the decided path). Frame agreement
                with openSMILE's voicing 99.91 %.
                ``12 log2(F0 / 27.5)``.
HNRdBACF        ``10 log10(r / (1 - r))`` with ``r`` the normalised circular autocorrelation
                (1024 points) of the Gaussian-windowed frame at its positive local maximum
                nearest the period in whole samples, ``int(16000 / F0)`` (the earlier of two
                equally near), none: no value (not the largest value within 0.8-1.2
                periods, which under a DC offset is a ripple peak near 0.8 periods):
                equal to openSMILE's to ~1e-6 dB where both call a frame voiced, with or
                without a DC offset.
logRelF0-H1-H2  openSMILE's column measures the level of harmonic 2 (2 F0) over harmonic 3
                (it counts F0 as H0), each harmonic the local spectral maximum closest to
                the bin of h F0 (the upper first at equal distance) at the vertex of the
                parabola through it, among the maxima whose bin lies within half an F0
                and half a bin of h F0, the harmonic before's peak excluded (measured).
                A harmonic without one is missing: openSMILE then writes
                ``+-(200 + min(L, 1))`` dB, L the other harmonic's level re F0's peak, and
                nothing (0) when F0 itself has no peak. Equal to openSMILE's where the F0 is
                (every such frame of 161 files).
logRelF0-H1-A3  harmonic 2 over A3, the highest harmonic whose peak (its parabola's vertex)
                lies within 20 % of F3 (measured; not the help text's "half
                bandwidth left and right", which reproduces half as many frames); harmonic 2
                missing: ``-200 - min(LA3, 1)``. Equal to openSMILE's on 95 % of the frames
                where the F0 is (the rest follows F3).
jitterLocal, shimmerLocaldB
                openSMILE's cPitchJitter as measured on its own outputs: glottal
                periods chained through each voiced run from the start of its first frame;
                each period compares L samples with the L that follow for every whole lag L
                within 0.9-1.1 periods of the frame's F0 (Pearson correlation), takes the
                largest interior maximum (none: not a period, the chain steps one F0 period
                on), refines it with a parabola and is accepted at a correlation of 0.5; the
                chain steps the whole lag on. Jitter = mean ``|T_k - T_(k-1)|`` over the
                frame's accepted periods with an accepted predecessor / their mean length;
                shimmer = ``20 log10(1 + sum |A2 - A1| / sum (A1 + A2) / 2)`` of the two
                windows' peak-to-peak amplitudes. Given openSMILE's F0 this equals its values
                on ~99 % of the frames; the rest of the difference follows the F0.
F1-F3 frequency, bandwidth
                what openSMILE's columns compute (measured on its own
                intermediate outputs): the 20 ms Hamming frame centred in 512 points (96
                zeros each side), resynthesised at 11 kHz from its 512-point spectrum's
                bins below 3.4 kHz only (bins 0-109, the DC bin counted twice), at the
                times ``512 / 352 n`` for n < 220: the first 220 of the 352 samples of the
                padded frame, so the frame's last ~100 samples are left out (hence the
                dependence on phase and time direction measured on openSMILE's output).
                LPC of order 11 by Levinson-Durbin on that autocorrelation; the roots of
                ``1 - sum a_k z^-k`` (the opposite sign), frequency ``angle fs / 2 pi``,
                bandwidth ``|ln |z|| fs / pi`` (roots outside the unit circle occur); the
                lowest three in 50-5450 Hz (0 when missing). A frame silent at 16 bits
                (every ``|y| < 2**-15``) has none (0). Roots by a warm-started Aberth
                iteration. LLD r 0.997-0.999 (the band 3.4-5.5 kHz of the analysed frame is
                empty, so the LPC is ill-conditioned and openSMILE's float32 rounding moves
                some frames by a few Hz).
F1-F3 amplitudeLogRelF0
                the highest harmonic within 20 % of the formant (as A3) over the raw
                magnitude of F0's spectral peak (dB; 0, i.e. missing, when no harmonic lies
                there or F0's own peak is the highest: its level is that raw magnitude),
                and -201 in unvoiced frames and where F0 has no peak:
                openSMILE writes that constant there and its functionals average it over
                the rows they see (measured: reproduces its functionals from its own LLDs on
                1,946 of 1,975 files). Equal to openSMILE's on 98 / 96 / 95 % of the frames
                both call voiced (87 / 96 / 95 % with F0's parabola vertex as the reference).

Functionals (measured conventions)
----------------------------------
``amean``: mean; ``stddevNorm``: population std / mean; percentiles: linear interpolation
(numpy's default); ``pctlrange0-2``: p80 - p20. F0 statistics over the voiced frames of the
LLD rows; loudness, flux and MFCC over every full 20 ms frame. ``...V_sma3nz`` (voiced) and
voice-quality/formant statistics: the raw descriptor kept in voiced frames, ``sma3nz``
smoothed, statistics of its non-zero values among the rows before ``n_seen`` (voice quality
and formants smoothed as if the rows ended there, the last its own right neighbour, as
openSMILE's LLD table and functionals have it; where the pitch smoother's
paths agree late or never, ``n_seen_vq`` rows, the voiced 20 ms ones each smoothed as if
the rows ended there); ``...UV_sma3nz_amean``: the
same over the unvoiced rows before ``n_seen``, smoothed with the rest (measured).
``loudnessPeaksPerSec``: the maxima among the turning points of the slope rule below
(openSMILE's count on 98.6 % of files). Rising/falling slopes (loudness, and
F0 over its concatenated voiced contour; measured on openSMILE's own
contours and its peak debug list):
segments between turning points, strict local extrema kept by openSMILE's peak-list rule
with a threshold of 10 % of the range (``_egemaps_functionals_kernels._turns``: a
lower minimum replaces the last turn's minimum, a maximum replaces its maximum only when 5
% higher or higher and a threshold above the lowest extremum since the maximum turn), the
first segment from the
contour's start; a segment ending in a maximum is a rise, one
ending in a minimum a fall (per second); the open segment from the last turn to the end is
a slope of the other kind, signed as a rise, that counts in the mean but not in the sum
of squares of the std (both over the number of slopes); a contour without a turn gives
``(last - first) / n`` (per frame). On openSMILE's own contours this reproduces its four
slope statistics to 1e-4 on 99.04 % (F0) and 99.4-99.6 % (loudness) of files. Voiced
and unvoiced segments: over the rows the voiced functionals see (at 5 rows, 90-99 ms,
those of the pitch smoother's plain run, without its first step: ``n_seen_seg``),
1-frame unvoiced gaps do not split a voiced segment, runs under 3 frames are none,
length ``(frames - 1) x 10 ms``, a lone voiced frame not splitting an unvoiced segment;
the voiced rate over those rows x 10 ms (openSMILE's on every whole file; docs/egemaps.md,
"2026-12-07 (session 50): unvoiced segments and a lone voiced frame"). ``equivalentSoundLevel_dBp``:
``10 log10`` of the mean power of the 20 ms frames, floored at -120 dB.

All LLDs are smoothed by a 3-frame moving average (``_sma3``, edges repeat the end frame);
F0-gated ones (``_sma3nz``) are zero in unvoiced frames and averaged over voiced neighbours.
"""

from __future__ import annotations

import functools
import threading
import warnings
from typing import ClassVar, NamedTuple

import numpy as np

from emofeat._wording import counted, noun

from . import _egemaps_kernels as K
from . import _spectral_kernels as KS
from .base import FrameExtractor
from .filters import dct_matrix, hz_to_mel, lifter_weights, mel_filterbank, sparse_filterbank

SR = 16000
HOP = 160
N_SHORT = 320  # 20 ms
N_FFT_SHORT = 512
N_LONG = 960  # 60 ms
N_FFT_LONG = 1024

LLD_NAMES = [
    "Loudness_sma3", "alphaRatio_sma3", "hammarbergIndex_sma3", "slope0-500_sma3",
    "slope500-1500_sma3", "spectralFlux_sma3", "mfcc1_sma3", "mfcc2_sma3", "mfcc3_sma3",
    "mfcc4_sma3", "F0semitoneFrom27.5Hz_sma3nz", "jitterLocal_sma3nz", "shimmerLocaldB_sma3nz",
    "HNRdBACF_sma3nz", "logRelF0-H1-H2_sma3nz", "logRelF0-H1-A3_sma3nz", "F1frequency_sma3nz",
    "F1bandwidth_sma3nz", "F1amplitudeLogRelF0_sma3nz", "F2frequency_sma3nz",
    "F2bandwidth_sma3nz", "F2amplitudeLogRelF0_sma3nz", "F3frequency_sma3nz",
    "F3bandwidth_sma3nz", "F3amplitudeLogRelF0_sma3nz",
]

# measured constants (see the module docstring)
# openSMILE's 16-bit samples are k / 32767, ours k / 32768 (pcm16): its band powers are
# ours times PCM_POWER
PCM_POWER = (32768.0 / 32767.0) ** 2
# the floor of the 26 mel bands: 9.3e-10 of openSMILE's band power (session 51: with the
# weights below, digital silence's loudness is openSMILE's 0.0010339657 at 9.299996e-10, its
# float32 output; session 48 had fitted 9.3034e-10 of ours to the weights before)
MEL_FLOOR = 9.3e-10 / PCM_POWER
# the MFCC's floor of the same bands: 1 in 16-bit integer units, 2**-30 of ours (session 51:
# the MFCC 1-4 of 22 files' frames against openSMILE's LLDs, p99 error 7.3e-4 with the
# loudness floor, 2.6e-5 with this; it had shared the loudness floor)
MFCC_FLOOR = 2.0**-30
# loudness is the mean of the 26 weighted, compressed bands (openSMILE's auditory spectrum
# divided by 26: measured to 1e-7, session 51; a fitted 0.0692 before), in openSMILE's units
LOUD_SCALE = PCM_POWER**0.33 / 26.0
# the equal-loudness weight's high-frequency factor 1e32 / (w**7 + 1.7e31), w = 2 pi f at the
# band's mel centre: openSMILE's weight of each of the 26 bands divided by Hermansky's curve
# (session 51; ``1 / (1 + w**6 / 5e26)``, fitted to tones, before)
LOUD_HF = 1.7e31
FLUX_SCALE = 12.648725
DB_FLOOR = 1e-14  # -140 dB: openSMILE's slopes on digital silence (measured)
# The Hammarberg index of a 20 ms frame holding one nonzero sample (a one-step sample in
# digital silence). Its spectrum is flat, so both peaks are equal and the index is 0 dB,
# which the unvoiced mean's nonzero smoothing reads as "no value"; openSMILE's float32 FFT
# leaves the two peaks a few float32 steps apart at 97 of the 320 positions of the sample in
# the frame (measured as a black box, cSpectral fed frames holding one sample: the same
# positions and values for samples of 1, -1 and 2 steps, other positions and values for 3, 5
# and 100 steps), so there openSMILE's unvoiced mean counts the frame. The character at
# position p is k + 6, as a letter from "a", for openSMILE's index k * LONE_SAMPLE_DB_STEP
# dB (k in -6..6; 0 where the peaks are equal). Only one-step samples (and power-of-two
# steps, the same float32 values scaled) occur in the corpus files: 4,499 such frames in 889
# of the 1,975 files, all +-1 step. A sample of another size (a gained or peak-normalised
# file) keeps our FFT's value: openSMILE's positions for it differ from size to size, by no
# rule we can state (docs/egemaps.md, "2026-12-07 (session 51)").
LONE_SAMPLE_DB_STEP = 5 * np.log10(1.0 + 2.0**-23)  # half of 10 log10 of one float32 step
LONE_SAMPLE_HAMMARBERG = (
    "gkggckdggkgiggkgggggigegcggggggggggggggggggkgggggkggkgggggkkigiegigigggigiekkgkgggdkgg"
    "dgggggggggggkggmggigddggkdggagdigiggfdiggigggieggggggiegiggieggieggggggggggggggiggggg"
    "ggiggiggggiggeggggggegggibidgiggggkgdggdiggkgigeggggggggegkggdkggggkggmgggkiigggggggkg"
    "kgiekgiggggggkggmeigggggggggggdgggggggkgggiiggigggggggigegggggg")
# the level gate of the voicing: frames whose Gaussian-windowed 60 ms frame has an RMS over its
# 960 samples at or below VOICING_RMS (the published 0.001) are unvoiced, a mask on the decided
# path (measured: openSMILE's gate cuts runs after its path is decided). Over the 960 samples,
# not the 1024 points of the zero-padded FFT frame: openSMILE voices every frame our path
# voices above 0.9375 = 960 / 1024 of the gate measured over 1024 points and none below it
# (7,500 frames near the gate on 988 files; docs/egemaps.md, "the level gate over the
# frame's 960 samples, and where the F0 slopes are lost")
VOICING_RMS = 0.001
# frames under the level gate whose pitch is analysed: those within this many frames of a
# frame above it (deeper inside a stretch under the gate every frame ends unvoiced whatever
# its pitch; the same voicing, to the frame, as analysing every frame, on all 1,975
# RAVDESS/EmoDB files)
GATE_CONTEXT = 4
# the final LLD rows whose pitch is analysed below the gate too (n_seen as openSMILE's on
# 288 of 288 files ending unvoiced with 8 or 16, 282 with 4, 281 with 0)
END_ROWS_ANALYSED = 8
SHS_LOW_HZ = 27.5
F0_MIN = 55.0
# pitch path (docs/egemaps.md, "openSMILE's pitch path"), measured on openSMILE's own
# components (cSpecScale -> cPitchShs ->
# cPitchSmootherViterbi run through a configuration written here; no source or .conf read):
# the 60 ms magnitude spectrum with the bins between the first and the last local maximum
# farther than 2 bins from every local maximum set to 0, smoothed [1/4, 1/2, 1/4], a natural
# cubic spline through the bins on log2-frequency knots (measured) at PITCH_POINTS
# log2-spaced points from PITCH_SCALE_LO to PITCH_SCALE_HI Hz, weighted by the auditory
# weighting (PITCH_WEIGHTING_*) and floored at 0; subharmonic summation over 15 harmonics
# (compression 0.85) at the measured point offsets PITCH_SHS_OFFSETS (not all the nearest
# points to log2(h) x points per octave: measured to 3e-7 of openSMILE's candidate scores);
# candidates: of the N_PITCH_CANDIDATES local maxima over all points with the highest
# parabola vertex, those in 55-1000 Hz, the strongest first (the "greedy" peak algorithm:
# eGeMAPSv02's voicing follows it, 99.9 % of frames against 99.5 % with the other), voicing
# 1 - (mean of the summation over all points) / (the vertex).
# Voicing and F0: the Viterbi of K.pitch_smoother (the cost form measured on openSMILE's
# smoother, with its default weights: 99.92 % of its voiced/unvoiced decisions
# and 99.1 % of its F0 choices on its own candidates of 988 files) decides the voiced frames
# and their candidate, and the level gate masks them. Not SHS on a linear grid with a
# two-state evidence Viterbi and run rules: that path agreed with openSMILE's voicing on
# 97.6 % of frames against 99.7 % (docs/egemaps.md, "openSMILE's pitch path", keeps the
# comparison).
PITCH_SCALE_LO = 25.0
PITCH_SCALE_HI = 8000.0
PITCH_POINTS = 513
PITCH_SHS_OFFSETS = (0, 61, 97, 123, 143, 159, 173, 184, 195, 204, 213, 220, 228, 234, 240)
# the auditory weighting at point p: 0.5 + arctan(3 (x_p - PITCH_WEIGHTING_CENTRE)) / pi,
# x_p = log2(PITCH_SCALE_LO) + p log2(PITCH_SCALE_HI / PITCH_SCALE_LO) / PITCH_POINTS: the
# point's log2 frequency with the range divided into PITCH_POINTS steps, not the
# PITCH_POINTS - 1 the points are placed on (cSpecScale's output with over without
# it, 1 file at a 0.1 offset, 512 points, fits it to 3.5e-8, float32's precision, with the
# slope free too it comes out 3.0000000; 43 knots linearly interpolated were
# off by up to 0.33 % between knots, which decided the voicing of frames near the cut-off
# under a DC offset, where the lowest points hold the DC bin's spline, and how many
# candidates openSMILE lists: docs/egemaps.md, "the auditory weighting, and the LLD rows
# after the seen ones")
PITCH_WEIGHTING_SLOPE = 3.0
PITCH_WEIGHTING_CENTRE = 4.98992365  # log2 Hz (31.78 Hz)
N_PITCH_CANDIDATES = 6
PITCH_CUTOFF = 0.7  # eGeMAPS's published voicing cut-off
# cPitchSmootherViterbi's default weights (read off by equality of outputs:
# wLocal, wTvv, wTvuv, wThr, wRange), its voicing floor in the local cost and its decision
# lag (bufferLength 90, decided 89 frames on; measured)
PITCH_W_LOCAL = 2.0
PITCH_W_JUMP = 10.0
PITCH_W_SWITCH = 10.0
PITCH_W_THRESHOLD = 4.0
PITCH_W_RANGE = 1.0
PITCH_VOICING_FLOOR = 0.01
PITCH_LAG = 89
# formant LPC (measured on openSMILE's own intermediate levels, docs/egemaps.md,
# "openSMILE's formant path (frequencies and bandwidths)"):
# the 20 ms Hamming frame centred in 512 points (96 zeros each side), resynthesised at
# 11 kHz from its 512-point spectrum's bins 0 .. FORMANT_BINS - 1 only (up to 3.4 kHz, the
# DC bin counted twice) at the times 512 / 352 n of the padded frame, n < FORMANT_LEN (the
# first 220 of its 352 samples: the frame's last ~100 samples are cut); LPC of order 11 by
# the autocorrelation method; formants from the roots of 1 - sum a_k z^-k (the predictor's
# coefficients with the opposite sign), bandwidth |ln |z|| fs / pi
FORMANT_ORDER = 11
FORMANT_FS = 11000.0
FORMANT_NFFT = 352  # the 512-point frame at 11 kHz
FORMANT_LEN = 220  # samples analysed
FORMANT_BINS = 110  # spectrum bins synthesised
FORMANT_PAD = (N_FFT_SHORT - N_SHORT) // 2  # the frame's offset in its 512 points
# 16-bit silence: openSMILE reads 16-bit samples (opensmile-python truncates ``32768 x``),
# and a frame of zeros there has no formants (0 in every formant column)
FORMANT_SILENT = 1.0 / 32768.0
F0_MAX = 1000.0
_MAX_LAG = int(SR / F0_MIN * 1.2) + 2  # autocorrelation lags any use reads
# formant amplitude relative to F0 in frames without F0 (openSMILE writes this constant, a
# log of a floored zero, in every unvoiced frame, and its functionals average it: measured;
# also in voiced frames whose F0 has no spectral peak)
AMP_UNVOICED = K.AMP_UNVOICED
# jitter/shimmer periods (openSMILE's cPitchJitter, measured on its own outputs:
# docs/egemaps.md, "openSMILE's jitter path" and "openSMILE's period chain, measured"; the
# rules are in K.period_jitter's docstring): lags searched
# within 1 -+ JITTER_SEARCH F0 periods, a period rejected below a correlation of
# JITTER_MIN_CC (eGeMAPSv02's value: 0.3 and 0.7 change openSMILE's columns, 0.5 reproduces
# them), frame t takes periods while the chain's window pair at the longest lag ends before
# sample hop t + JITTER_LIMIT, and one more when the chain lies before hop t + JITTER_FIRST
# (fitted on pulse trains of 100-166-sample periods and on speech)
JITTER_SEARCH = 0.1
JITTER_MIN_CC = 0.5
JITTER_LIMIT = 157
JITTER_FIRST = -1
BLOCK_FRAMES = 4096  # frames analysed at once (41 s): bounded memory on long inputs
LONG_BLOCK_FRAMES = 1024  # the same within a block of a long recording (emofeat.blocks)


class _Plan(NamedTuple):
    starts: np.ndarray
    lengths: np.ndarray
    band: np.ndarray
    eql: np.ndarray
    dct: np.ndarray
    bands: np.ndarray
    ham: np.ndarray
    gauss: np.ndarray
    gauss2_lo: np.ndarray  # least / largest squared window value in each hop of the frame
    gauss2_hi: np.ndarray
    fmt_shift: np.ndarray
    dct1_sin: np.ndarray
    dct1_cos: np.ndarray


@functools.cache
def _plan() -> _Plan:
    df = SR / N_FFT_SHORT
    w = np.array(mel_filterbank(SR, N_FFT_SHORT, 26, 20.0, 8000.0, htk=True, norm=None,
                                interpolate="mel"))
    w[:, : int(20.0 / df + 1.5)] = 0.0  # HTK's lowest bin (measured: bins 0 and 1 unused)
    starts, lengths, band = sparse_filterbank(w)
    edges = np.linspace(hz_to_mel(20.0, htk=True), hz_to_mel(8000.0, htk=True), 28)
    fc = 700.0 * (10.0 ** (edges[1:-1] / 2595.0) - 1.0)
    w2 = (2.0 * np.pi * fc) ** 2
    eql = ((w2 + 56.8e6) * w2**2 / ((w2 + 6.3e6) ** 2 * (w2 + 0.38e9))
           * 1e32 / (w2**3 * np.sqrt(w2) + LOUD_HF))
    dct = np.array(dct_matrix(5, 26, "htk"))[1:] * lifter_weights(5, 22.0, "htk")[1:, None]
    f = np.arange(N_FFT_SHORT // 2 + 1) * df
    bands = np.array([
        0, int(np.sum(f < 1000.0)),  # alpha: low band
        int(np.sum(f < 1000.0)), int(np.sum(f <= 5000.0)),  # alpha: high band
        0, int(np.sum(f < 2000.0)),  # Hammarberg: low
        int(np.sum(f < 2000.0)), int(np.sum(f <= 5000.0)),  # Hammarberg: high
        int(np.sum(f < 5000.0)), 0,  # flux: bins below 5 kHz
    ], dtype=np.int64)
    n = np.arange(N_SHORT)
    ham = 0.54 - 0.46 * np.cos(2.0 * np.pi * n / (N_SHORT - 1))
    n = np.arange(N_LONG)
    half = (N_LONG - 1) / 2.0
    gauss = np.exp(-0.5 * ((n - half) / (0.4 * half)) ** 2)
    gauss2 = (gauss * gauss).reshape(N_LONG // HOP, HOP)
    gauss2_lo, gauss2_hi = gauss2.min(axis=1), gauss2.max(axis=1)
    # the formant frame's shift to the centre of its 512 points, per bin synthesised
    fmt_shift = np.exp(-2j * np.pi * np.arange(FORMANT_BINS) * FORMANT_PAD / N_FFT_SHORT)
    # the half-length DCT-I's tables (_long_spectra)
    j = np.arange(N_FFT_LONG // 4)
    dct1_sin = np.sin(np.pi * j / (N_FFT_LONG // 2))
    dct1_cos = np.cos(np.pi * j / (N_FFT_LONG // 2))
    return _Plan(starts, lengths, band, eql, dct, bands, ham, gauss, gauss2_lo, gauss2_hi,
                 fmt_shift, dct1_sin, dct1_cos)


def _frames(y: np.ndarray, n: int, n_frames: int, window: np.ndarray,
            n_fft: int | None = None) -> np.ndarray:
    """Windowed ``n``-sample frames every ``HOP`` samples, zero padded to ``n_fft`` columns
    (and past the end of the signal)."""
    out = np.empty((n_frames, n_fft or n), dtype=np.float64)
    KS.frame_signal(y, window, HOP, n_frames, 0, 0, n, 0.0, KS.PAD_CONSTANT, out)
    return out


class _PitchPlan(NamedTuple):
    pos_i: np.ndarray
    pos_b: np.ndarray
    pos_h: np.ndarray
    aw: np.ndarray
    thomas_c: np.ndarray
    thomas_d: np.ndarray
    offsets: np.ndarray
    weights: np.ndarray
    lo_k: int
    hi_k: int
    p_lo: float
    p_hi: float
    log_lo: float
    ppo: float


def _pitch_knots(n_bins: int) -> np.ndarray:
    """The scale spline's knots: bin ``k`` at ``log2(k)``, the DC bin at ``log2(1/2)``
    (measured on cSpecScale's output to float32 precision)."""
    return np.log2(np.r_[0.5, np.arange(1, n_bins, dtype=np.float64)])


@functools.cache
def _pitch_plan() -> _PitchPlan:
    """Tables of :func:`K.shs_pitch`: the natural spline on
    the knots :func:`_pitch_knots` (per point its interval ``pos_i``, the fraction ``pos_b``
    of the interval in log2 frequency and ``h^2 / 6`` of the interval; the tridiagonal
    system's forward factors ``thomas_d`` (weights of ``s[k-1], s[k], s[k+1]`` and of the
    previous step) and back-substitution factors ``thomas_c``)."""
    n_bins = N_FFT_LONG // 2 + 1
    ppo = (PITCH_POINTS - 1) / np.log2(PITCH_SCALE_HI / PITCH_SCALE_LO)
    pts = np.arange(PITCH_POINTS)
    pos = PITCH_SCALE_LO * 2.0 ** (pts / ppo) / (SR / N_FFT_LONG)
    pos_i = np.minimum(np.floor(pos).astype(np.int64), n_bins - 2)
    t = _pitch_knots(n_bins)
    h = np.diff(t)
    pos_b = (np.log2(pos) - t[pos_i]) / h[pos_i]
    pos_h = h[pos_i] ** 2 / 6.0
    x = np.log2(PITCH_SCALE_LO) + pts * np.log2(PITCH_SCALE_HI / PITCH_SCALE_LO) / PITCH_POINTS
    aw = 0.5 + np.arctan(PITCH_WEIGHTING_SLOPE * (x - PITCH_WEIGHTING_CENTRE)) / np.pi
    # h[k-1] M[k-1] + 2 (h[k-1] + h[k]) M[k] + h[k] M[k+1]
    #   = 6 ((s[k+1] - s[k]) / h[k] - (s[k] - s[k-1]) / h[k-1]),  M 0 at both ends
    thomas_c = np.zeros(n_bins)
    thomas_d = np.zeros((n_bins, 4))
    c = 0.0
    for k in range(1, n_bins - 1):
        den = 2.0 * (h[k - 1] + h[k]) - h[k - 1] * c
        r_lo = 6.0 / h[k - 1] / den
        r_hi = 6.0 / h[k] / den
        thomas_d[k] = r_lo, -(r_lo + r_hi), r_hi, h[k - 1] / den
        c = h[k] / den
        thomas_c[k] = c
    offsets = np.array(PITCH_SHS_OFFSETS, dtype=np.int64)
    weights = 0.85 ** np.arange(offsets.size)
    # the maxima over all points but the ends, the candidates among the strongest N_PITCH_
    # CANDIDATES of them those in F0_MIN .. F0_MAX (openSMILE's candidate list, measured)
    lo_k = 1
    hi_k = PITCH_POINTS - 2
    p_lo = float(np.log2(F0_MIN / PITCH_SCALE_LO) * ppo)
    p_hi = float(np.log2(F0_MAX / PITCH_SCALE_LO) * ppo)
    return _PitchPlan(pos_i, pos_b, pos_h, aw, thomas_c, thomas_d, offsets, weights, lo_k,
                      hi_k, p_lo, p_hi, float(np.log2(PITCH_SCALE_LO)), float(ppo))


def frame_counts(n_samples: int) -> tuple[int, int, int]:
    """``(n_short, n_long, n_lld)``: full 20 ms frames, full 60 ms frames, LLD table rows."""
    n_short = max(0, (n_samples - N_SHORT) // HOP + 1)
    n_long = max(0, (n_samples - N_LONG) // HOP + 1)
    return n_short, n_long, n_long + 1 if n_samples >= N_LONG else 0


class Descriptors(NamedTuple):
    """Raw (unsmoothed) descriptors of one signal on both frame grids."""

    spectral: np.ndarray  # (n_short, 10) raw spectral descriptors
    voiced: np.ndarray  # (n_lld,) bool
    f0: np.ndarray  # (n_lld,) Hz, 0 unvoiced
    voice: np.ndarray  # (n_lld, 5) hnr, h1h2, h1a3, jitter, shimmer (0 unvoiced)
    formants: np.ndarray  # (n_lld, 9) F1 freq, bw, amp, F2 ..., F3 ...
    rms_long: np.ndarray  # (n_lld,) RMS of the 60 ms frames
    energy_short: np.ndarray  # (n_short,) mean square of the 20 ms frames
    n_seen: int  # LLD rows the voiced-only functionals see (openSMILE's end rows)
    # LLD rows the voice quality and formant functionals (and then the voiced 20 ms ones,
    # each row smoothed as the last) see, -1: n_seen (n_lld - 1 only
    # where the pitch smoother's paths never agree, or from 5 rows agree only once the last
    # full frame is in, in inputs under ~120 ms, where the F0 functionals see the first row
    # alone, unsmoothed, as openSMILE's); see vq_rows
    n_seen_vq: int
    # LLD rows the voiced and unvoiced segment statistics see, -1: n_seen (set at 5 rows
    # only, where openSMILE's follow the plain pitch smoother run); see segment_rows
    n_seen_seg: int = -1

    @property
    def vq_rows(self) -> int:
        """The LLD rows the voice quality and formant functionals see: ``n_seen_vq``, or
        ``n_seen`` where that is -1."""
        return self.n_seen if self.n_seen_vq < 0 else self.n_seen_vq

    @property
    def segment_rows(self) -> int:
        """The LLD rows the voiced and unvoiced segment statistics see: ``n_seen_seg``, or
        ``n_seen`` where that is -1."""
        return self.n_seen if self.n_seen_seg < 0 else self.n_seen_seg


def pcm16(y: np.ndarray, source: str = "eGeMAPS input") -> np.ndarray:
    """The samples openSMILE analyses: ``y`` truncated toward zero to multiples of
    ``2**-15`` (16-bit PCM), as a new contiguous float64 array.

    openSMILE reads 16-bit samples: its eGeMAPSv02 output for a float signal (through
    ``process_signal``, or a 32-bit float WAV through ``process_file``) is bit-identical
    to its output for that signal truncated so (measured; rounding, flooring or a scale of
    32767 are not). Samples already on that grid (16-bit WAV/FLAC) are unchanged; other
    inputs (resampled, 24-bit, decoded MP3) gain the quantisation noise openSMILE adds,
    which decides the spectral descriptors of bands that are otherwise empty (telephone
    speech upsampled to 16 kHz: MFCC 2 mean 41 % off without it). Samples beyond the 16-bit
    range are clipped to it, ``[-1, 32767/32768]``, as a 16-bit recording of the signal
    would be, with a :class:`UserWarning` when any lies beyond +-1 (openSMILE wraps them
    around as a 16-bit integer overflows: +1.5 reads -0.5, a click; a sample at exactly +1.0,
    as in a peak-normalised file, is clipped here without a warning)."""
    q = np.asarray(y, dtype=np.float64) * 32768.0
    np.trunc(q, out=q)
    if q.size and (q.max() > 32767.0 or q.min() < -32768.0):
        over = np.count_nonzero(np.abs(q) > 32768.0)
        if over:
            peak = float(np.max(np.abs(q))) / 32768.0
            # digits enough to show it beyond 1 (a full-scale file resampled overshoots by
            # 1e-4: "peak 1" said nothing)
            shown = next(t for t in (f"{peak:.3g}", f"{peak:.6g}", f"{peak:.9g}", repr(peak))
                         if float(t) > 1.0)
            warnings.warn(f"{source}: {over} of {counted(q.shape[0], 'sample')} "
                          f"{noun(over, 'lies', 'lie')} beyond +-1 "
                          f"(peak {shown}): clipped to the 16-bit "
                          "range for eGeMAPS and GeMAPS, which read 16-bit samples as openSMILE "
                          "does (the other audio sets analyse them unclipped)", UserWarning,
                          stacklevel=3)
        np.clip(q, -32768.0, 32767.0, out=q)
    q *= 1.0 / 32768.0
    return q


def _lone_sample_hammarberg(y: np.ndarray, spectral: np.ndarray) -> None:
    """Set the Hammarberg index of each 20 ms frame of ``y`` (16-bit samples) holding one
    nonzero sample of a power-of-two number of 16-bit steps to openSMILE's
    (``LONE_SAMPLE_HAMMARBERG``): our float64 FFT leaves its two peaks equal or ~1e-15 dB
    apart at other positions than openSMILE's, which decides whether the unvoiced mean
    counts the frame. A lone sample of any other size keeps our FFT's value."""
    pos = np.empty(spectral.shape[0], dtype=np.int64)
    K.lone_samples(y, HOP, N_SHORT // HOP, spectral.shape[0], pos)
    rows = np.flatnonzero(pos >= 0)
    if not rows.size:
        return
    at = pos[rows]
    mant, _ = np.frexp(np.abs(y[rows * HOP + at]) * 32768.0)
    # a sample of a power-of-two number of steps has the one-step frame's float32 values;
    # any other size keeps our FFT's value: openSMILE's positions for it follow no rule we
    # can state (3, 5 and 100 steps share them hardly more than chance), and our FFT counts
    # the frame at about as many positions (66-76 of 320 against openSMILE's 76-92), where
    # setting 0 dB dropped every such frame and biased the unvoiced mean upwards
    two = mant == 0.5
    table = np.frombuffer(LONE_SAMPLE_HAMMARBERG.encode(), dtype=np.uint8)
    k = table[at[two]].astype(np.float64) - (ord("a") + 6)
    spectral[rows[two], K.S_HAMMARBERG] = k * LONE_SAMPLE_DB_STEP


def descriptors(y: np.ndarray, all_formants: bool = True,
                block_frames: int = BLOCK_FRAMES, source: str = "eGeMAPS input") -> Descriptors:
    """Raw descriptors of a 16 kHz signal (float), before smoothing.

    ``all_formants=False`` analyses formants only in voiced frames (all the functionals
    need); openSMILE's LLD table has them in every frame. Two passes over the frames, each
    ``block_frames`` at a time, so that the spectra held at once stay bounded however long
    the signal: the first computes the 20 ms descriptors and the per-frame pitch evidence
    (SHS candidates, SHS score, autocorrelation at the period); then the voicing and the
    pitch track are decided over the whole signal (two Viterbi passes on those few numbers
    per frame); the second pass computes what needs the final F0 (voice quality, formant
    levels) and the formants. The result does not depend on ``block_frames``: every other
    step is per frame, and the flux reads the previous frame across block edges. The
    samples are first truncated to 16-bit PCM, as openSMILE reads them (:func:`pcm16`).
    """
    y = pcm16(y, source)  # source: the input the clipping warning names
    n_short, _, n_lld = frame_counts(y.shape[0])
    n_sp = max(n_short, n_lld)
    energy = np.empty(n_short)
    K.frame_power_hops(y, N_SHORT // HOP, HOP, n_short, energy)
    msq = np.empty(n_lld)
    # the level gate of the voicing (frames whose windowed 60 ms frame is at or below
    # VOICING_RMS cannot be voiced), with the plain frames' mean squares
    gate = np.empty(n_lld, dtype=np.bool_)
    plan = _plan()
    K.long_power_gate(y, HOP, N_LONG // HOP, plan.gauss, plan.gauss2_lo, plan.gauss2_hi,
                      float(N_LONG), VOICING_RMS * VOICING_RMS, n_lld, msq, gate)
    rms = np.sqrt(msq)
    spectral = np.empty((n_sp, K.N_SPECTRAL))
    # the 60 ms rows whose pitch is analysed: those above the level gate and those within
    # GATE_CONTEXT frames of one (the gate masks the path's result)
    on = np.empty(n_lld, dtype=np.bool_)
    K.dilate(gate, GATE_CONTEXT, on)
    # and the last END_ROWS_ANALYSED rows whatever their level: openSMILE has candidates in
    # every frame, and those of the last frames decide where its smoother's paths agree, so
    # the rows its voiced functionals see (n_seen below; without these rows it came 2-4 rows
    # late on files ending below the gate)
    on[max(0, n_lld - END_ROWS_ANALYSED):] = True
    step = max(1, int(block_frames))
    # a signal of one block (any utterance) keeps its spectra for the second pass instead of
    # recomputing them (same values: the same frames through the same FFTs)
    keep = n_sp <= step
    cache = None
    # openSMILE's pitch path: candidates and their voicing per analysed row
    cand_f = np.zeros((n_lld, N_PITCH_CANDIDATES))
    cand_v = np.zeros((n_lld, N_PITCH_CANDIDATES))
    for a in range(0, n_sp, step):
        cache = _pass1(y, a, min(n_sp, a + step), n_lld, on, spectral, cand_f, cand_v, keep)
    _lone_sample_hammarberg(y, spectral)
    path = np.zeros(n_lld)
    agree = np.empty(2, dtype=np.int64)
    weights = (PITCH_W_LOCAL, PITCH_W_JUMP, PITCH_W_SWITCH, PITCH_W_THRESHOLD, PITCH_W_RANGE,
               PITCH_CUTOFF, PITCH_VOICING_FLOOR, PITCH_LAG)
    # openSMILE's smoother takes its own first step (K.pitch_smoother's first_step), which
    # decides the voicing and F0 of the first rows of an input that starts in
    # speech. Its path then comes from the full 60 ms frames alone, as openSMILE's smoother
    # sees them (its pitch chain has no row for the zero-padded last frame: with that row in,
    # some 70 ms cuts lost their voiced first rows), the last row keeping the plain run's
    # value; at 2 rows that is one frame, whose value is the plain path's. The
    # agreement frame that decides the rows the functionals see (agree[0]) is
    # that run's too, and the one a frame earlier (agree[1], the "late" inputs) the
    # plain run's (all 88 functionals within 1 % of openSMILE's, plain / with the
    # first step / so, 70-80 ms cuts 0.962 / 0.987 / 0.987, 90-110 ms 0.943 / 0.905 / 0.965,
    # 120-160 ms 0.979 / 0.979 / 0.987, and 0.967 / 0.984 / 0.984, 0.951 / 0.925 / 0.964,
    # 0.979 / 0.985 / 0.987 on three other sets of 200; "plain" takes both from the plain
    # run). Why agree[1] follows the plain run is not known: the first step was measured on
    # best paths (K.pitch_smoother), not on the other states' back-pointers, which the
    # agreement frames read (docs/egemaps.md, "the auditory weighting, and the LLD rows after
    # the seen ones", item 3).
    # The condition below only saves the second run's time: the first step changes nothing
    # unless both first rows have a candidate, and taking the full-frame path for every
    # input changed no functional of 880 held-out cuts (70-500 ms) and no LLD table of 220
    # files, nor of 130 whole files (item 3), nor anything of 350
    # inputs (every 40th file from the 12th, whole and cut to 70-500 ms; measured again)
    first = n_lld > 2 and cand_f[0, 0] > 0.0 and cand_f[1, 0] > 0.0
    K.pitch_smoother(cand_f, cand_v, *weights, path, n_lld - 1, agree, False)
    plain_agree = int(agree[0])
    if first:
        first_agree = np.empty(1, dtype=np.int64)
        K.pitch_smoother(cand_f[:-1], cand_v[:-1], *weights, path[:-1], n_lld - 1,
                         first_agree, True)
        agree[0] = first_agree[0]
    # the rows openSMILE's voiced functionals see: up to the frame after the last one on
    # which the smoother's paths into every state agree once every full 60 ms frame is in,
    # and never the last two (measured: exact on all 171 files voiced to their last row
    # whose F0 is openSMILE's; typically all but the last three, where a slot of the last
    # full frame is empty)
    n_seen = _seen_of(n_lld, int(agree[0]))
    # at 5 rows (90-99 ms) openSMILE's voiced and unvoiced segment statistics follow the plain
    # run's agreement frame, its other functionals the first-step run's: on ~25 % of such
    # cuts the first step moves agree[0] a row and the segment statistics left openSMILE's
    # (taken from the plain run, the five within 1 % on three held-out
    # sets of 200 0.835 / 0.826 / 0.867 -> 0.923 / 0.937 / 0.951; at 6 rows the plain run's
    # were worse, 0.918 -> 0.891, at other counts the same: docs/egemaps.md, "the auditory
    # weighting, and the LLD rows after the seen ones", item 3)
    n_seen_seg = _seen_of(n_lld, plain_agree) if n_lld == 5 else -1
    # the level gate masks the path's voiced frames (as openSMILE's, measured)
    voiced = (path > 0.0) & gate
    # the F0 is the path's own candidate (its choice is openSMILE's on 99.1 % of
    # the frames both voice, on openSMILE's own candidates)
    f0 = np.where(voiced, path, 0.0)
    voice = np.zeros((n_lld, 5))
    ffreq = np.full((n_lld, 3), np.nan)
    fbw = np.full((n_lld, 3), np.nan)
    levels = np.full((n_lld, 3), AMP_UNVOICED)
    want = np.ones(n_lld, dtype=bool) if all_formants else voiced
    for a in range(0, n_lld, step):
        _pass2(y, a, min(n_lld, a + step), want, voiced, f0, voice, ffreq, fbw, levels, cache)
    # jitter and shimmer follow glottal periods through whole voiced runs (on the signal
    # itself: no spectra, so no blocks needed)
    K.period_jitter(y, voiced, f0, HOP, float(SR), JITTER_SEARCH, JITTER_MIN_CC,
                    float(JITTER_LIMIT), float(JITTER_FIRST), voice[:, 3], voice[:, 4])
    cache = None
    _WS.trim()
    formants = np.empty((n_lld, 9))
    K.pack_formants(ffreq, fbw, levels, formants)
    # where the paths never agree (3-11 rows), openSMILE's voice quality and formant
    # functionals see every row but the last (HNR and F1 on every fully voiced
    # 90 ms cut), its F0 ones the first row alone, unsmoothed (those columns
    # within 1 % 0.43 -> 0.79 of the 70 ms values, 0.42 -> 0.88 at 80 ms, 0.76 -> 0.87 at
    # 100 ms; the F0 ones 0.70 -> 0.93 at 80 ms, 0.73 -> 0.80 at 90 ms). From 5 rows, so
    # also where they agree only once the last full frame is in (agree[1]:
    # F0, voice quality and formant values at 90 ms within 1 % 0.69 -> 0.81 and 0.66 ->
    # 0.90 on two sets of 96 cuts, F0 alone 0.83 -> 0.92 and 0.83 -> 0.96; whole files and
    # 200 ms or more: never)
    late = n_lld >= 5 and agree[1] < 0
    n_seen_vq = n_lld - 1 if (agree[0] < 0 and n_lld > 2) or late else -1
    if n_lld == 2:
        n_seen = _one_frame_rows(voiced, f0, voice, formants)
    return Descriptors(spectral, voiced, f0, voice, formants, rms, energy, n_seen, n_seen_vq,
                       n_seen_seg if n_seen_seg != n_seen else -1)


def _seen_of(n_lld: int, agree0: int) -> int:
    """The rows openSMILE's voiced functionals see for the pitch smoother's agreement frame
    ``agree0`` (-1: none): up to the frame after it, never the last two."""
    n_seen = max(0, n_lld - 2)
    return min(n_seen, agree0 + 1) if agree0 >= 0 else n_seen


def _one_frame_rows(voiced, f0, voice, formants) -> int:
    """Make a signal with one full 60 ms frame (2 LLD rows, 60-70 ms) what openSMILE makes of
    it (in place); the rows its voiced functionals see: 1.

    openSMILE's voiced functionals see the first row's own values, unsmoothed, for every
    descriptor (F0, voice quality, formants and the voiced 20 ms descriptors: measured on
    60-70 ms cuts of RAVDESS speech, tested on EmoDB too), as when the second row, that of the
    zero-padded frame, is unvoiced and the formants there are the first row's; its LLD table
    repeats the first row in the second (:func:`lld_table`). Before (``n_seen`` 0), all the
    voiced-only functionals were NaN where openSMILE gives the first frame's values.
    """
    voiced[1] = False
    f0[1] = 0.0
    voice[1] = voice[0]
    formants[1] = formants[0]
    return 1


class _Workspace(threading.local):
    """Arrays reused from one frame block (and one file) to the next, one set per thread.

    Allocating the frame and spectrum arrays afresh for every file cost about a quarter of
    the functionals' CPU time in page faults (the allocator hands large arrays back to the
    system on free, and the next file's arrays are faulted in and zeroed again: measured by
    turning that off, 0.80 -> 0.60 s for 50 files). Buffers larger than ``KEEP_BYTES`` are
    dropped after each signal (:meth:`trim`), so a long input holds no more memory afterwards
    than before."""

    KEEP_BYTES = 8 << 20

    def __init__(self) -> None:
        self.bufs: dict[str, np.ndarray] = {}

    def take(self, name: str, shape: tuple[int, ...], dtype=np.float64) -> np.ndarray:
        """An uninitialised C-contiguous array of ``shape`` held in the buffer ``name``."""
        n = 1
        for k in shape:
            n *= int(k)
        buf = self.bufs.get(name)
        if buf is None or buf.dtype != dtype or buf.size < n:
            size = n if buf is None or buf.dtype != dtype else max(n, buf.size + buf.size // 2)
            buf = np.empty(size, dtype=dtype)
            self.bufs[name] = buf
        return buf[:n].reshape(shape)

    def trim(self) -> None:
        for name in [k for k, b in self.bufs.items() if b.nbytes > self.KEEP_BYTES]:
            del self.bufs[name]


_WS = _Workspace()


def _rfft(frames: np.ndarray, name: str) -> np.ndarray:
    """Real FFT of each row into a workspace buffer (numpy's pocketfft: the same values as
    ``scipy.fft.rfft``, bit for bit, without allocating the output)."""
    out = _WS.take(name, (frames.shape[0], frames.shape[1] // 2 + 1), np.complex128)
    return np.fft.rfft(frames, axis=1, out=out)


def _pass1(y, a, b, n_lld, rows_on, spectral, cand_f, cand_v, keep=False):
    """20 ms descriptors of frames ``a .. b - 1`` and the pitch candidates (``cand_f``, their
    voicing ``cand_v``) of the 60 ms rows among them (``< n_lld``) selected by ``rows_on``
    (the rows above the level gate and those near them: the gate masks the voicing
    afterwards). With ``keep`` (a signal of one block), returns ``(20 ms spectra of rows
    a.., 60 ms row of each active frame or -1, magnitudes, autocorrelations)`` for
    :func:`_pass2` (workspace views, valid until the next signal)."""
    plan = _plan()
    # 20 ms frames, one before the block for the flux
    a0 = max(0, a - 1)
    frames_s = _WS.take("frames_s", (b - a0, N_FFT_SHORT))
    K.gather_frames(y, np.arange(a0, b), HOP, plan.ham, frames_s)
    spec_s = _rfft(frames_s, "spec_s")
    sp = _WS.take("sp", (b - a0, K.N_SPECTRAL))
    K.spectral_descriptors(spec_s, plan.starts, plan.lengths, plan.band, MEL_FLOOR, MFCC_FLOOR,
                           plan.eql,
                           LOUD_SCALE, 0.33, plan.dct, plan.bands, SR / N_FFT_SHORT,
                           FLUX_SCALE, DB_FLOOR, sp)
    spectral[a:b] = sp[a - a0 :]
    rows = np.arange(a, min(b, n_lld))
    # 60 ms frames (the last LLD row is a partial frame, zero padded)
    active = rows[rows_on[rows]]
    if not active.size:
        return None
    mag, acf = _long_spectra(y, active)
    pp = _pitch_plan()
    K.shs_pitch(mag, active, pp.pos_i, pp.pos_b, pp.pos_h, pp.aw, pp.thomas_c, pp.thomas_d,
                pp.offsets, pp.weights, pp.lo_k, pp.hi_k, pp.p_lo, pp.p_hi, pp.log_lo, pp.ppo,
                cand_f, cand_v)
    if not keep:
        return None
    where = np.full(n_lld, -1, dtype=np.int64)
    where[active] = np.arange(active.size)
    return spec_s[a - a0 :], where, mag, acf


def _long_spectra(y: np.ndarray, rows: np.ndarray, tag: str = "") -> tuple[np.ndarray,
                                                                           np.ndarray]:
    """Magnitude spectra of the 60 ms Gaussian frames of ``rows`` and their circular
    autocorrelations up to ``_MAX_LAG`` (the DCT-I of the power spectrum of the 1024-point
    frame: no complex temporaries; the scale cancels in every use). Workspace views."""
    plan = _plan()
    frames_l = _WS.take("frames_l" + tag, (rows.size, N_FFT_LONG))
    K.gather_frames(y, rows, HOP, plan.gauss, frames_l)
    spec = _rfft(frames_l, "spec_l" + tag)
    mag = _WS.take("mag" + tag, (rows.size, N_FFT_LONG // 2 + 1))
    # the autocorrelation: the DCT-I of the power spectrum (513 bins), which scipy.fft.dct
    # (type=1) computes as the 1024-point real FFT of its even extension, here as a 512-point
    # real FFT (the first half of what the even extension's transform computes twice) with
    # O(N) steps around it: 512-point FFTs cost ~half the 1024-point ones. Not the same bits
    # as the 1024-point transform: within ~1e-14 of the zero lag (docs/egemaps.md, fifth
    # round). The magnitudes, and the FFT's input, in one pass over the spectra
    n_half = N_FFT_LONG // 2
    u = frames_l.reshape(-1)[: rows.size * n_half].reshape(rows.size, n_half)
    s1 = _WS.take("s1" + tag, (rows.size,))
    K.magnitude_dct1_input(spec, mag, _WS.take("prow", (n_half + 1,)), u, s1, plan.dct1_sin,
                           plan.dct1_cos)
    f = np.fft.rfft(u, axis=1, out=spec[:, : n_half // 2 + 1])
    # a view one column narrower than its buffer: the strided layout (``A``) every kernel
    # reading it was compiled for
    acf = _WS.take("acf" + tag, (rows.size, _MAX_LAG + 1))[:, :_MAX_LAG]
    K.dct1_output(f, s1, acf)
    return mag, acf


def _formant_acf(spec: np.ndarray, sel: np.ndarray, out: np.ndarray) -> None:
    """``out[t]`` = the autocorrelation (lags 0 .. ``FORMANT_ORDER``) of the 11 kHz formant
    frame of each row ``t`` of the 20 ms spectra ``spec`` with ``sel[t]`` set (see
    ``FORMANT_BINS``): the selected spectra's low bins shifted to the centred frame
    (:func:`K.formant_spectra`), one inverse real FFT of ``FORMANT_NFFT`` points for all, the
    first ``FORMANT_LEN`` samples' autocorrelation. Other rows are left as they are."""
    rows = np.flatnonzero(sel)
    if not rows.size:
        return
    yk = _WS.take("fmt_y", (rows.size, FORMANT_NFFT // 2 + 1), np.complex128)
    K.formant_spectra(spec, rows, _plan().fmt_shift, yk)
    x = np.fft.irfft(yk, n=FORMANT_NFFT, axis=1,
                     out=_WS.take("fmt_x", (rows.size, FORMANT_NFFT)))
    K.resampled_acf(x, FORMANT_LEN, rows, out)


def _pass2(y, a, b, want, voiced, f0, voice, ffreq, fbw, levels, cache=None):
    """Formants of the ``want`` rows and voice quality / formant levels of the voiced rows
    among ``a .. b - 1`` (needs the final F0); ``cache``: what :func:`_pass1` kept (read in
    place: the kernels skip the rows not wanted, so no spectra are copied)."""
    plan = _plan()
    # the wanted rows but the frames silent at 16 bits (no formants: 0, as openSMILE)
    sel = want[a:b].copy()
    K.clear_silent_frames(y, HOP, N_SHORT, FORMANT_SILENT, a, sel)
    if cache is not None:
        # the formant autocorrelations of the wanted rows of the kept spectra (the kernels
        # skip the others); the LPC then skips the rows not wanted in place (NaN, as ffreq /
        # fbw already hold) without ending its warm start: the same as running on the wanted
        # rows packed together, as before (its root search starts from the previous analysed
        # row)
        acf_all = _WS.take("acf_f", (b - a, FORMANT_ORDER + 1))
        # (the kept spectra start at row 0: one block; they run past the LLD rows)
        _formant_acf(cache[0][a:b], sel, acf_all)
        K.lpc_formants(acf_all, sel, FORMANT_ORDER, FORMANT_FS, 50.0, 5450.0, 3, ffreq[a:b],
                       fbw[a:b], True)
    else:
        rows = np.arange(a, b)[sel]
        if rows.size:
            frames_s = _WS.take("frames_s", (rows.size, N_FFT_SHORT))
            K.gather_frames(y, rows, HOP, plan.ham, frames_s)
            spec = _rfft(frames_s, "spec_s")
            acf_f = np.zeros((rows.size, FORMANT_ORDER + 1))
            every = np.ones(rows.size, dtype=np.bool_)
            _formant_acf(spec, every, acf_f)
            fq = np.empty((rows.size, 3))
            bw = np.empty((rows.size, 3))
            K.lpc_formants(acf_f, every, FORMANT_ORDER, FORMANT_FS, 50.0, 5450.0, 3, fq, bw,
                           True)
            ffreq[rows] = fq
            fbw[rows] = bw
    if cache is None:
        vrows = np.arange(a, b)[voiced[a:b]]
        if not vrows.size:
            return
        # acf is a strided view, as in the kept case: one compiled kernel for both (a
        # contiguous copy compiled, cached and loaded a second one for long recordings)
        mag, acf = _long_spectra(y, vrows, "2")
        where = np.full(b - a, -1, dtype=np.int64)
        where[vrows - a] = np.arange(vrows.size)
    else:
        # every voiced row's 60 ms spectrum was kept (voiced rows are active): read in place
        mag, acf, where = cache[2], cache[3], cache[1][a:b]
    if not K.voiced_quality_levels(mag, acf, where, voiced, f0, ffreq, a, b, SR / N_FFT_LONG,
                                   float(SR), voice, levels):
        # a voiced row without a kept spectrum (not possible: voiced rows lie above the gate,
        # and every such row is analysed in the first pass; kept as a guard): recompute
        _pass2(y, a, b, np.zeros_like(want), voiced, f0, voice, ffreq, fbw, levels, None)


def _smooth(x: np.ndarray, nz: bool) -> np.ndarray:
    x = np.ascontiguousarray(x, dtype=np.float64)
    if x.ndim == 1:
        return _smooth(x[:, None], nz)[:, 0]
    out = np.empty_like(x)
    if x.shape[0]:
        (K.sma3nz if nz else K.sma3)(x, out)
    return out


def _smoothed_as_last(x: np.ndarray, k: int) -> np.ndarray:
    """Row ``k`` of ``x`` smoothed (``sma3nz``) as if the rows ended there: its own right
    neighbour, as openSMILE smooths the last row it sees."""
    return _smooth(x[np.r_[max(0, k - 1):k + 1, k]], nz=True)[-2]


def lld_table(d: Descriptors) -> np.ndarray:
    """The 25 smoothed LLDs on openSMILE's LLD rows, (n_lld, 25), in ``LLD_NAMES`` order.

    Unvoiced frames hold 0 in the F0-gated columns except the formant frequencies and
    bandwidths (openSMILE writes those in every frame); formant levels are ``AMP_UNVOICED`` there.
    The 60 ms columns end twice, as openSMILE's table does: the last row (the zero-padded
    frame's) holds row ``n - 2``'s raw 60 ms values, and row ``m = d.vq_rows`` (the row
    after the last one the voiced functionals see; typically ``n - 3`` on whole files) holds
    row ``m - 1``'s, voicing included, with row ``m - 1``'s voice quality and formants
    smoothed as if the rows ended there. Where the pitch smoother's paths agree late or
    never (``m = n - 1``) row ``n - 2`` is smoothed as the last, F0 included.
    """
    from ._egemaps_functionals_kernels import _VOICE_COLUMNS

    n = d.f0.shape[0]
    out = np.zeros((n, 25))
    out[:, :10] = _smooth(d.spectral, nz=False)[:n]
    st = np.where(d.voiced, 12.0 * np.log2(np.maximum(d.f0, 1e-9) / 27.5), 0.0)
    out[:, 10] = _smooth(st, nz=True)
    # columns 11-24: the voice columns 0 in unvoiced frames, the formants as they are
    gated = np.concatenate([np.where(d.voiced[:, None], d.voice[:, list(_VOICE_COLUMNS)], 0.0),
                            d.formants], axis=1)
    out[:, 11:] = _smooth(gated, nz=True)
    m = d.vq_rows
    if 0 < m < n:
        # the last row the voiced functionals see: voice quality and formants smoothed as
        # if the rows ended there, that row its own right neighbour, as in openSMILE's LLD
        # table and functionals (measured). Its F0 LLD is so too, but where m < n - 1 its F0
        # functionals see the row smoothed with the next, so its F0 stays so here, table and
        # functionals alike; where m = n - 1 the F0 functionals see the first row alone and
        # the table's F0 of row n - 2 is smoothed as the last below
        out[m - 1, 11:] = _smoothed_as_last(gated, m - 1)
    if n == 2:
        # one full 60 ms frame: openSMILE writes the first row's 60 ms descriptors again
        # in the second (:func:`_one_frame_rows`)
        out[1, 10:] = out[0, 10:]
    elif n > 2:
        # the last row (the zero-padded 60 ms frame's) holds the row before's 60 ms
        # descriptors unsmoothed, as openSMILE's table has it (on 104-120 of 120
        # cuts per column, formants included; 1-80 with this frame's own, smoothed)
        t = n - 2
        out[n - 1, 10] = st[t]
        out[n - 1, 11:] = gated[t]
        if 0 < m < n - 1:
            # the row after the last one seen holds that one's 60 ms descriptors unsmoothed
            # too, voicing included, as at the end: openSMILE's table ends its 60 ms rows
            # there once and then goes on (its last three rows' voicing on 0.93
            # -> 1.00 of 200 cuts of 120-300 ms, F1 frequency at that row on 0.03 -> 0.91)
            out[m, 10] = st[m - 1]
            out[m, 11:] = gated[m - 1]
        else:
            # where the paths never agree or agree only late (m = n - 1: agree[0] < 0, or
            # agree[1] < 0 from 5 rows) that row is the end, the row before it smoothed as
            # the last: voice quality and formants above, F0 too (F0 of the last
            # six rows of 70-80 ms cuts within 1e-3 on 0.875 -> 0.981)
            out[t, 10] = _smoothed_as_last(st, t)
    return out


def egemaps_lld(y: np.ndarray, source: str = "eGeMAPS input") -> tuple[np.ndarray, np.ndarray]:
    """25 eGeMAPSv02 LLDs of a 16 kHz signal on openSMILE's LLD rows and their start times.

    Returns ``(lld (n_rows, 25), start times (n_rows,) s)``; no rows for a signal shorter
    than 60 ms.
    """
    d = descriptors(y, source=source)
    lld = lld_table(d)
    return lld, np.arange(lld.shape[0]) * HOP / SR


# ---------------------------------------------------------------- functionals

EGEMAPS_FUNCTIONALS = [
    *(f"F0semitoneFrom27.5Hz_sma3nz_{s}" for s in (
        "amean", "stddevNorm", "percentile20.0", "percentile50.0", "percentile80.0",
        "pctlrange0-2", "meanRisingSlope", "stddevRisingSlope", "meanFallingSlope",
        "stddevFallingSlope")),
    *(f"loudness_sma3_{s}" for s in (
        "amean", "stddevNorm", "percentile20.0", "percentile50.0", "percentile80.0",
        "pctlrange0-2", "meanRisingSlope", "stddevRisingSlope", "meanFallingSlope",
        "stddevFallingSlope")),
    *(f"{d}_sma3_{s}" for d in ("spectralFlux", "mfcc1", "mfcc2", "mfcc3", "mfcc4")
      for s in ("amean", "stddevNorm")),
    *(f"{d}_sma3nz_{s}" for d in (
        "jitterLocal", "shimmerLocaldB", "HNRdBACF", "logRelF0-H1-H2", "logRelF0-H1-A3",
        "F1frequency", "F1bandwidth", "F1amplitudeLogRelF0", "F2frequency", "F2bandwidth",
        "F2amplitudeLogRelF0", "F3frequency", "F3bandwidth", "F3amplitudeLogRelF0",
        "alphaRatioV", "hammarbergIndexV", "slopeV0-500", "slopeV500-1500", "spectralFluxV",
        "mfcc1V", "mfcc2V", "mfcc3V", "mfcc4V") for s in ("amean", "stddevNorm")),
    *(f"{d}_sma3nz_amean" for d in (
        "alphaRatioUV", "hammarbergIndexUV", "slopeUV0-500", "slopeUV500-1500",
        "spectralFluxUV")),
    "loudnessPeaksPerSec", "VoicedSegmentsPerSec", "MeanVoicedSegmentLengthSec",
    "StddevVoicedSegmentLengthSec", "MeanUnvoicedSegmentLength", "StddevUnvoicedSegmentLength",
    "equivalentSoundLevel_dBp",
]

_GEMAPS_DROP = {
    *(f"{d}_sma3_{s}" for d in ("spectralFlux", "mfcc1", "mfcc2", "mfcc3", "mfcc4")
      for s in ("amean", "stddevNorm")),
    *(f"{d}_sma3nz_{s}" for d in ("F2bandwidth", "F3bandwidth", "spectralFluxV", "mfcc1V",
                                  "mfcc2V", "mfcc3V", "mfcc4V") for s in ("amean", "stddevNorm")),
    "spectralFluxUV_sma3nz_amean", "equivalentSoundLevel_dBp",
}
#: GeMAPSv01b's 62 functionals: a subset of eGeMAPSv02's (measured: identical values)
GEMAPS_FUNCTIONALS = [n for n in EGEMAPS_FUNCTIONALS if n not in _GEMAPS_DROP]

PEAK_HYSTERESIS = 0.1  # fraction of the contour's range (measured on loudness peak counts)
# a later, higher maximum replaces the peak candidate only above this fraction of its value
# (measured on openSMILE's loudness slopes: the first of near-equal maxima is its peak)
PEAK_MARGIN = 0.05


def functionals_of(d: Descriptors) -> np.ndarray:
    """The 88 eGeMAPSv02 functionals (``EGEMAPS_FUNCTIONALS`` order) of raw descriptors.

    One Numba call (``_egemaps_functionals_kernels.egemaps_functionals``, NumPy's arithmetic
    to the bit: pairwise sums, ``numpy.std``, linearly interpolated percentiles); the two
    logarithms stay in NumPy. The conventions are those of the module docstring: F0 over
    the ``sma3nz`` semitones of the voiced rows; loudness, flux and MFCC over every full
    20 ms frame (``sma3``); voice quality, formants and voiced spectral statistics over the
    voiced LLD rows (``sma3nz``, non-zero values); formant amplitudes over every row
    (``AMP_UNVOICED`` where unvoiced, exact zeros left out); all of these over the rows
    before ``d.n_seen`` (voice quality and formants smoothed as if the rows ended there,
    the last its own right neighbour; the others with the rows after), the unvoiced
    means too (over the unvoiced ones); rising / falling slopes
    of loudness and of F0 (its concatenated voiced contour) between the turning points of
    ``_egemaps_functionals_kernels._turns`` (threshold ``PEAK_HYSTERESIS`` x range,
    replacement margin ``PEAK_MARGIN``), the loudness peaks the maxima among them; voiced
    and unvoiced segments with 1-frame gaps filled, runs under 3 frames left out; the level
    from the mean power of the 20 ms frames.
    """
    from . import _egemaps_functionals_kernels as KF

    n_short = d.energy_short.shape[0]
    st = np.where(d.voiced, 12.0 * np.log2(np.maximum(d.f0, 1e-9) / 27.5), 0.0)
    out = np.empty(KF.N_FUNCTIONALS)
    KF.egemaps_functionals(d.spectral, n_short, d.voiced, st, d.voice, d.formants,
                           d.energy_short, HOP, SR, PEAK_HYSTERESIS, PEAK_MARGIN, d.n_seen,
                           d.vq_rows, d.segment_rows, out, KF.numpy_sum_block())
    # openSMILE floors the level at -120 dB (digital silence, measured); out[-1] holds the
    # mean power of the 20 ms frames
    energy = float(out[-1])
    out[-1] = 10.0 * np.log10(max(energy, 1e-12)) if n_short else np.nan
    return out


def _no_voiced_message(d: Descriptors) -> str | None:
    """The "no voiced frame" warning's text when the voiced-only functionals are NaN, else
    None.

    Those functionals see only the first ``d.n_seen`` LLD rows (openSMILE's end rows), so
    the test is on those rows: a short input (100 ms) can be voiced only in the rows left
    out, and its voiced-only functionals were NaN without a warning. Where the pitch
    smoother's paths agree late or never (``d.n_seen_vq`` set) the F0 ones see the first
    row only.
    """
    if d.voiced[:d.n_seen].any():
        if d.n_seen_vq < 0 or d.voiced[0]:
            return None
        # a short input whose pitch smoother's paths agree late or never: the F0
        # functionals see the first row alone, as openSMILE's
        return ("the first LLD row, the only one the F0 functionals use where the pitch "
                "smoother's paths agree late or never (a short input), is unvoiced: the F0 "
                "functionals are NaN")
    n_lld = d.voiced.shape[0]
    if not d.voiced.any():
        return "no voiced frame: the voiced-only eGeMAPS functionals are NaN"
    # (a short input's voice quality and formant functionals can see a row more: n_seen_vq)
    which = ("the F0, voiced 20 ms and voiced segment functionals are NaN (the voice quality "
             f"and formant ones use {d.n_seen_vq} rows and have values)"
             if d.voiced[:max(d.n_seen_vq, 0)].any() else
             "the voiced-only eGeMAPS functionals are NaN")
    return (f"no voiced frame among the first {d.n_seen} of the {n_lld} LLD rows, those the "
            "voiced-only functionals use (openSMILE's end rows; the voiced ones lie after "
            f"them): {which}")


def egemaps_functionals(y: np.ndarray, source: str = "<signal>") -> np.ndarray:
    """The 88 eGeMAPSv02 functionals of a 16 kHz signal (``EGEMAPS_FUNCTIONALS`` order).

    Undefined values are NaN, with a :class:`UserWarning` naming ``source`` and the reason:
    every value for a signal shorter than one 60 ms pitch frame (openSMILE also gives NaN);
    the voiced-only functionals (F0, voice quality, formants, ``...V_sma3nz``, voiced segment
    statistics) when none of the LLD rows they use (``Descriptors.n_seen``, all but the last
    few) is voiced, where openSMILE writes 0.
    """
    y = np.asarray(y, dtype=np.float64)
    if y.shape[0] < N_LONG:
        warnings.warn(f"{source}: {counted(y.shape[0], 'sample')} "
                      f"{noun(y.shape[0], 'is', 'are')} shorter than one 60 ms pitch frame "
                      f"({N_LONG} samples at {SR} Hz): every eGeMAPS functional is NaN",
                      UserWarning, stacklevel=2)
        return np.full(len(EGEMAPS_FUNCTIONALS), np.nan)
    d = descriptors(y, all_formants=False, source=source)
    # the RuntimeWarnings silenced are NumPy's floating-point ones (the logarithms of
    # functionals_of; the kernel warns nothing): np.errstate is this thread's, where
    # warnings.catch_warnings swapped the process's filters under other threads
    with np.errstate(all="ignore"):
        out = functionals_of(d)
    message = _no_voiced_message(d)
    if message is not None:
        warnings.warn(f"{source}: {message}", UserWarning, stacklevel=2)
    return out


# ---------------------------------------------------------------- sklearn extractors

#: GeMAPSv01b's 18 LLDs: a subset of eGeMAPSv02's (measured: identical values)
GEMAPS_LLD_NAMES = [n for n in LLD_NAMES if n not in {
    "spectralFlux_sma3", "mfcc1_sma3", "mfcc2_sma3", "mfcc3_sma3", "mfcc4_sma3",
    "F2bandwidth_sma3nz", "F3bandwidth_sma3nz"}]


class EGeMAPS(FrameExtractor):
    """eGeMAPSv02 (Eyben et al. 2016): 25 LLDs or 88 functionals, openSMILE's column names
    prefixed ``egemaps_``.

    Parameters
    ----------
    level : {"functionals", "lld"}, default "functionals"
        ``"functionals"``: one row of 88 values per input. ``"lld"``: one row per 10 ms frame
        on openSMILE's LLD grid (``(n - 960) // 160 + 2`` rows at 16 kHz), with the frame
        times (centre of the 20 ms frame: ``0.01 + 0.01 t`` s).
    sr : int, default 16000
        Analysis rate; inputs at other rates are resampled (the set is defined at 16 kHz:
        other values are refused).
    resample : bool, default True
        Resample inputs to ``sr``; ``False`` refuses inputs at another rate.

    Notes
    -----
    Definitions, conventions and the per-feature agreement with openSMILE are in the module
    docstring and ``docs/egemaps.md``. Undefined values are NaN with a warning (no voiced
    frame: voiced-only functionals; input shorter than 60 ms: everything), where openSMILE
    writes 0 (or NaN for short input).
    """

    set_name = "egemaps"
    levels = ("functionals", "lld")
    #: 1: version 0's numbers differ in row m of the LLD table, the voicing under a DC offset,
    #: the functionals of 70-160 ms inputs and whole-file F0 functionals at 1e-7; an output
    #: begun at 0 is not resumed, a model trained on such rows warns (GeMAPS inherits it).
    #: 2: the mel bands' floor (``MEL_FLOOR``) refitted: loudness and MFCC 1-4 of frames
    #: whose bands reach it (digital silence: its loudness by 0.45 %; near-silent frames).
    #: 3: the slope rule's weak minima after a plateau (``_egemaps_functionals_kernels._turns``):
    #: the rising / falling slopes and ``loudnessPeaksPerSec`` of contours with floors (very
    #: quiet input; one RAVDESS file's F0 slopes in 494 at normal level)
    #: 4: the slope rule's last local minimum after a maximum turn and its weak replacing
    #: minima (``_turns``): the slopes and ``loudnessPeaksPerSec`` of contours with floors
    #: (very quiet input), the F0 slopes of 2 of 1,975 files at normal level
    #: 5: a lone voiced frame no longer splits an unvoiced segment
    #: (``_egemaps_functionals_kernels._run_state``): the unvoiced segment mean and std of 39
    #: of 1,975 files
    #: 6: ``VoicedSegmentsPerSec`` over the rows the segment statistics see (59 of 1,975 files)
    #: 7: a lone voiced first or last row of the segment statistics stays voiced for the
    #: unvoiced segments (cut or segmented inputs; no whole corpus file moved)
    #: 8: the Hammarberg index of a 20 ms frame holding one nonzero sample is openSMILE's
    #: (``LONE_SAMPLE_HAMMARBERG``): ``hammarbergIndexUV_sma3nz_amean`` of 889 of 1,975 files
    #: 9: openSMILE's loudness band weights, scale and floor (``LOUD_SCALE``, ``LOUD_HF``,
    #: ``MEL_FLOOR``) and the MFCC's own floor (``MFCC_FLOOR``): loudness of every frame, its
    #: functionals, MFCC 1-4 of frames with floored bands
    #: 10: the unvoiced segments leave a lone voiced frame out before filling 1-frame gaps
    #: (``_egemaps_functionals_kernels._run_state``): the unvoiced segment mean and std of 9
    #: of 1,975 files
    #: 11: the slope rule's replacing minimum that is not weak lowers the reference however
    #: little it lies below (``_turns``): F0 slopes of 5, loudness slopes and peaks of 4 files
    #: 12: version 8's table only for lone samples of a power of two of steps; any other lone
    #: sample (gained or peak-normalised input) keeps our FFT's index, not 0 dB: no corpus
    #: file moved
    numbers_version: ClassVar[int] = 12
    #: long recordings are analysed in blocks (``emofeat.blocks``): each block with
    #: ``context_seconds`` of signal on both sides gives the raw descriptors of its frames
    #: (:meth:`frame_state`); smoothing and functionals then run over the whole recording
    #: (:meth:`from_frame_state`). The voicing and F0 Viterbi paths and the period chains of
    #: jitter/shimmer are decided within each block and its context: the same decisions as a
    #: whole-file analysis wherever the paths settle within the context and no voiced run is
    #: longer than it (measured on 100 s of speech in 7.3 s blocks: the same voicing and F0,
    #: values equal to 2.2e-10 relative, the last bits of the period positions and formant
    #: roots; docs/egemaps.md "Memory and long recordings")
    blockwise = True
    context_seconds = 5.0
    #: the kernels :meth:`warmup` compiles (how the command tells a cold disk cache, announces
    #: the compilation and runs it in a child process: ``registry.compile_cold``)
    kernels = (
        "emofeat.extractors._egemaps_kernels:dct1_output,dilate,"
        "frame_power_hops,gather_frames,lpc_formants,magnitude_dct1_input,pack_formants,"
        "period_jitter,shs_pitch,pitch_smoother,sma3,sma3nz,spectral_descriptors,"
        "formant_spectra,resampled_acf,clear_silent_frames,voiced_quality_levels,"
        "long_power_gate",
        "emofeat.extractors._egemaps_functionals_kernels:egemaps_functionals",
    )
    hop_length = HOP
    _lld_names = LLD_NAMES
    _functional_names = EGEMAPS_FUNCTIONALS

    def __init__(self, *, level: str = "functionals", sr: int = SR, resample: bool = True):
        self.level = level
        self.sr = sr
        self.resample = resample

    def warmup(self) -> None:
        """Compile (or load) every kernel in :attr:`kernels`, whatever the level: the
        functionals level never smooths in Python (its kernel does), so its warmup left
        ``sma3``/``sma3nz`` uncompiled and a cold-cache check (``registry.compile_cold``)
        found the set cold on every later run, announcing a compile and starting a child
        warmup each time until the LLD level had run once."""
        super().warmup()
        x = np.zeros((4, 2))
        _smooth(x, nz=False)
        _smooth(x, nz=True)

    def check_params(self) -> None:
        # eGeMAPS's functionals are fixed: no ``functionals`` parameter to validate
        from emofeat.extractor import Extractor

        if int(self.sr) != SR:
            raise ValueError(f"sr must be {SR} (eGeMAPS is defined on 16 kHz frames), "
                             f"got {self.sr}")
        Extractor.check_params(self)

    def descriptor_names(self) -> list[str]:
        return [f"{self.set_name}_{n}" for n in self._lld_names]

    def feature_names(self) -> list[str]:
        if self.level == "lld":
            return self.descriptor_names()
        return [f"{self.set_name}_{n}" for n in self._functional_names]

    def min_samples(self) -> int:
        return 1  # shorter than 60 ms: NaN functionals / no LLD rows, with a warning

    def _columns(self, names: list[str], all_names: list[str]) -> np.ndarray | None:
        if names is all_names:
            return None
        return np.array([all_names.index(n) for n in names])

    def _compute(self, signal) -> tuple[np.ndarray, np.ndarray]:
        y = np.asarray(signal.data, dtype=np.float64)
        if y.shape[0] < N_LONG:
            warnings.warn(f"{signal.source}: {counted(y.shape[0], 'sample')} "
                          f"{noun(y.shape[0], 'is', 'are')} shorter than one 60 ms "
                          f"pitch frame: no eGeMAPS LLD rows", UserWarning, stacklevel=3)
        lld, starts = egemaps_lld(y, source=str(signal.source))
        cols = self._columns(self._lld_names, LLD_NAMES)
        if cols is not None:
            lld = lld[:, cols]
        return lld, starts + N_SHORT / (2 * SR)

    def features_of(self, signal) -> tuple[np.ndarray, np.ndarray]:
        self.check_channels(signal)
        if self.level == "lld":
            return self._compute(signal)
        row = egemaps_functionals(np.asarray(signal.data, dtype=np.float64),
                                  source=str(signal.source))
        cols = self._columns(self._functional_names, EGEMAPS_FUNCTIONALS)
        if cols is not None:
            row = row[cols]
        return row[None, :], np.empty(0)


    # ---- block protocol (emofeat.blocks)
    def frame_state(self, signal, summary=None) -> tuple[np.ndarray, np.ndarray]:
        """Raw descriptors of one block's 20 ms frames (``_STATE_COLUMNS`` layout) and the
        centres of those frames."""
        y = np.asarray(signal.data, dtype=np.float64)
        # smaller analysis blocks than for a whole file: a long recording's peak memory is
        # then the frame states, not the spectra of 41 s of frames (the same values)
        d = descriptors(y, all_formants=self.level == "lld", block_frames=LONG_BLOCK_FRAMES,
                        source=str(signal.source))
        state = _state_of(d)
        return state, (np.arange(state.shape[0]) * HOP + N_SHORT // 2) / SR

    def from_frame_state(self, parts: list[np.ndarray]) -> np.ndarray:
        """The whole recording's LLD table (``level="lld"``) or its frame states (the
        functionals are computed from them by :meth:`functionals_of`)."""
        # the blocks are done: the frame and spectrum buffers kept for the next block
        # (30-45 MB with LONG_BLOCK_FRAMES) would otherwise stay resident under the
        # whole-recording stage, where a long file's memory peaks
        _WS.bufs.clear()
        from emofeat.blocks import release_heap

        release_heap()
        state = parts.pop() if len(parts) == 1 else np.concatenate(parts, axis=0)
        if self.level != "lld":
            return state
        lld = lld_table(_descriptors_of_state(state))
        cols = self._columns(self._lld_names, LLD_NAMES)
        return lld if cols is None else lld[:, cols]

    def frame_times(self, n_frames: int) -> np.ndarray | None:
        if self.level != "lld":
            return None
        # the LLD rows are the 20 ms frames but the last three (see frame_counts); none
        # below 60 ms of signal (at most four 20 ms frames)
        starts = np.arange(n_frames - 3 if n_frames >= 5 else 0) * HOP / SR
        return starts + N_SHORT / (2 * SR)

    def functionals_of(self, lld: np.ndarray, times: np.ndarray) -> np.ndarray:
        d = _descriptors_of_state(lld)
        cols = self._columns(self._functional_names, EGEMAPS_FUNCTIONALS)
        if d.f0.shape[0] == 0:  # shorter than one 60 ms frame: as egemaps_functionals
            warnings.warn(f"shorter than one 60 ms pitch frame ({N_LONG} samples at {SR} Hz): "
                          "every eGeMAPS functional is NaN", UserWarning, stacklevel=2)
            return np.full(len(self._functional_names), np.nan)
        with np.errstate(all="ignore"):  # as in egemaps_functionals: this thread's only
            row = functionals_of(d)
        message = _no_voiced_message(d)
        if message is not None:
            warnings.warn(message, UserWarning, stacklevel=2)
        return row if cols is None else row[cols]


# frame-state columns of the block protocol: per 20 ms frame, the raw descriptors
# (Descriptors) and whether the frame is an LLD row
_ST_SPECTRAL = slice(0, 10)
_ST_ENERGY = 10
_ST_VOICED = 11
_ST_F0 = 12
_ST_VOICE = slice(13, 18)
_ST_FORMANTS = slice(18, 27)
_ST_RMS = 27
_ST_LLD = 28  # 1: an LLD row; 2: one past Descriptors.n_seen_seg, where that is set
_ST_UNSEEN = 29  # LLD rows past Descriptors.n_seen (only the last block has any left);
# 0.5: past n_seen but seen by the voice quality and formant functionals (n_seen_vq)
_STATE_COLUMNS = 30


def _state_of(d: Descriptors) -> np.ndarray:
    n_sp = d.spectral.shape[0]
    n_lld = d.f0.shape[0]
    n_short = d.energy_short.shape[0]
    state = np.zeros((n_sp, _STATE_COLUMNS))
    state[:, _ST_SPECTRAL] = d.spectral
    state[:n_short, _ST_ENERGY] = d.energy_short
    state[:n_lld, _ST_VOICED] = d.voiced
    state[:n_lld, _ST_F0] = d.f0
    state[:n_lld, _ST_VOICE] = d.voice
    state[:n_lld, _ST_FORMANTS] = d.formants
    state[:n_lld, _ST_RMS] = d.rms_long
    state[:n_lld, _ST_LLD] = 1.0
    if d.n_seen_seg >= 0:
        state[d.n_seen_seg:n_lld, _ST_LLD] = 2.0
    state[d.n_seen:n_lld, _ST_UNSEEN] = 1.0
    if d.n_seen_vq > d.n_seen:
        state[d.n_seen:d.n_seen_vq, _ST_UNSEEN] = 0.5
    return state


def _descriptors_of_state(state: np.ndarray) -> Descriptors:
    """:class:`Descriptors` of a whole recording from its joined frame states (the LLD rows
    are a prefix: only the last block has frames past them)."""
    n_lld = int(np.count_nonzero(state[:, _ST_LLD]))
    lld = state[:n_lld]
    n_seen = _seen_rows(lld)
    # n_seen_vq where set: n_seen and the rows after it flagged 0.5
    n_half = int(np.count_nonzero(lld[n_seen:, _ST_UNSEEN] == 0.5))
    n_seen_vq = n_seen + n_half if n_half else -1
    past = np.flatnonzero(lld[:, _ST_LLD] == 2.0)
    n_seen_seg = int(past[0]) if past.size else -1
    # views (each use copies what it needs, one descriptor group at a time: a long
    # recording's peak memory); the energies contiguous, as NumPy's mean sums them in the
    # same order as a whole-file analysis only then
    return Descriptors(state[:, _ST_SPECTRAL], lld[:, _ST_VOICED] > 0,
                       np.ascontiguousarray(lld[:, _ST_F0]), lld[:, _ST_VOICE],
                       lld[:, _ST_FORMANTS], lld[:, _ST_RMS],
                       np.ascontiguousarray(state[:, _ST_ENERGY]), n_seen, n_seen_vq,
                       n_seen_seg)


def _seen_rows(lld: np.ndarray) -> int:
    """``Descriptors.n_seen`` from the joined states: the LLD rows before the final run of
    rows flagged unseen (a block other than the last flags only rows of its context, which
    the join drops, but a flag left inside would not count)."""
    kept = np.flatnonzero(lld[:, _ST_UNSEEN] == 0.0)
    return int(kept[-1]) + 1 if kept.size else 0


class GeMAPS(EGeMAPS):
    """GeMAPSv01b: 18 LLDs or 62 functionals (a subset of eGeMAPSv02's, identical values in
    openSMILE), names prefixed ``gemaps_``. Parameters as :class:`EGeMAPS`."""

    set_name = "gemaps"
    _lld_names = GEMAPS_LLD_NAMES
    _functional_names = GEMAPS_FUNCTIONALS
