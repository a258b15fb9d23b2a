"""Feature catalogue of the ``egemaps`` and ``gemaps`` sets (see :mod:`emofeat.feature_catalogue`).

Agreement figures are those of ``benchmarks/egemaps_parity.py --step 1`` (all 1,440 RAVDESS and
535 EmoDB files, docs/egemaps_parity.md, regenerated at numbers version 12): Pearson r across
frames (LLDs) or files (functionals) against openSMILE 3.0 through ``opensmile`` 2.6.
"""

from emofeat.feature_catalogue import Descriptor, SetDoc

_REF = "openSMILE 3.0 eGeMAPSv02 (`opensmile` 2.6)"
_P = ("sr",)


def _lld(name, unit, definition, agreement):
    return Descriptor("{set}_" + name, unit, definition, params=_P, reference=_REF,
                      agreement=agreement)


def _row(name, unit, definition, agreement):
    return Descriptor("{set}_" + name, unit, definition, kind="row", params=_P, reference=_REF,
                      agreement=agreement)


def _fn(name, unit, definition):
    return Descriptor(name, unit, definition, kind="functional", reference=_REF,
                      agreement="openSMILE's measured conventions (see the descriptors)")


_DESCRIPTORS = (
    # ---- frame-level descriptors (level="lld"), 10 ms hop
    _lld("Loudness_sma3", "sone-like (loudness units)",
         "26 HTK mel bands (20-8000 Hz) of the 20 ms power spectrum, each floored, weighted by "
         "Hermansky's equal-loudness curve with openSMILE's high-frequency factor, compressed "
         "by ** 0.33 and averaged over the bands; 3-frame moving average (sma3), as every LLD.",
         "LLD r = 1.0000, median rel. error 1e-7"),
    _lld("alphaRatio_sma3", "dB",
         "10 log10 of the power in 1-5 kHz over the power below 1 kHz (openSMILE's sign: "
         "negative when the low band dominates).",
         "LLD r = 1.0000 (6e-8)"),
    _lld("hammarbergIndex_sma3", "dB",
         "10 log10 of the peak power below 2 kHz over the peak in 2-5 kHz.",
         "LLD r = 1.0000 (5e-8)"),
    _lld("slope0-500_sma3", "dB/Hz",
         "Regression slope of the dB spectrum (-140 dB floor) over 0-500 Hz, openSMILE's "
         "point count.", "LLD r = 1.0000 (5e-6)"),
    _lld("slope500-1500_sma3", "dB/Hz", "As slope0-500 over 500-1500 Hz.",
         "LLD r = 1.0000 (6e-6)"),
    _lld("spectralFlux_sma3", "magnitude",
         "L2 norm of the frame-to-frame change of the magnitude spectrum below 5 kHz, "
         "divided by 12.6487 (measured).",
         "LLD r = 1.0000 (3e-8)"),
    _lld("mfcc{k}_sma3", "ln mel energy",
         "MFCC 1-4: natural log of the 26 floored mel bands, HTK DCT-II, lifter 22.",
         "LLD r = 1.0000 (3e-7 .. 8e-7)"),
    _lld("F0semitoneFrom27.5Hz_sma3nz", "semitones re 27.5 Hz",
         "12 log2(F0 / 27.5), F0 by subharmonic summation (15 harmonics, 55-1000 Hz) on 60 ms "
         "Gaussian frames on openSMILE's pitch path (peak-enhanced, smoothed spectrum on a "
         "spline log2 scale, auditory weighting); voicing by a Viterbi path over 6 SHS "
         "candidates and an unvoiced state (openSMILE's smoother: its cost form measured, its "
         "default weights), which also chooses the candidate; 0 in unvoiced frames.",
         "close: voicing agrees on 99.98 % of frames, F0 LLD r 1.0000, median relative error "
         "4e-7 where both voiced"),
    _lld("jitterLocal_sma3nz", "1 (fraction of the period)",
         "Mean |T_k - T_(k-1)| over the mean T_k of the frame's accepted glottal periods "
         "(openSMILE's cPitchJitter, measured): periods chained through the voiced run, each "
         "the lag within +-10 % of the F0 period that best correlates two consecutive "
         "stretches of that length (Pearson), refined to a fraction of a sample.",
         "LLD r = 0.989, median relative error 5e-7; functionals r 0.988 / 0.993 (all 1,975 "
         "files); openSMILE's values on 98.8 % of frames given its F0"),
    _lld("shimmerLocaldB_sma3nz", "dB",
         "20 log10(1 + sum |A2 - A1| / sum (A1 + A2) / 2) of the peak-to-peak amplitudes of "
         "each accepted period's two correlated stretches, periods as for jitterLocal.",
         "LLD r = 0.998, median relative error 8e-8; functionals r 0.9996 / 0.9992 (all 1,975 "
         "files); openSMILE's values on 99.4 % of frames given its F0"),
    _lld("HNRdBACF_sma3nz", "dB",
         "10 log10(r / (1 - r)), r the normalised circular autocorrelation of the 60 ms "
         "Gaussian frame at its positive local maximum nearest the period in whole samples "
         "(int(16000 / F0), the earlier of two equally near), none: no value.",
         "LLD r = 0.999 (2e-7) where both call a frame voiced; functionals' median error 6e-8 "
         "(115 files), also under a DC offset"),
    _lld("logRelF0-H1-H2_sma3nz", "dB",
         "As openSMILE's column measures it: the level of harmonic 2 (2 F0) over harmonic 3 "
         "(dB), each the spectral peak closest to its bin at its parabola's vertex, among "
         "the peaks within half an F0 of the harmonic; a harmonic without one enters as "
         "openSMILE writes it, +-(200 + min(L, 1)) dB.",
         "reproduced where the F0 is openSMILE's; LLD r = 0.9999, mean r = 1.0000, CoV r = "
         "1.0000"),
    _lld("logRelF0-H1-A3_sma3nz", "dB",
         "Harmonic 2 (2 F0) over the highest harmonic within 20 % of F3 (dB).",
         "reproduced on 95 % of the frames where the F0 is openSMILE's (the rest follows "
         "F3); LLD r = 0.9996, mean r = 0.9999, CoV r = 0.9999"),
    _lld("F{k}frequency_sma3nz", "Hz",
         "Formant k (1-3) as openSMILE computes it: the 20 ms Hamming frame resynthesised "
         "at 11 kHz from its spectrum below 3.4 kHz (first 220 samples), LPC order 11, the "
         "lowest roots of 1 - sum a z^-k in 50-5450 Hz.",
         "LLD r = 0.997-0.998, functionals r = 0.998-1.000"),
    _lld("F{k}bandwidth_sma3nz", "Hz", "Formant k bandwidth, |ln|z|| fs / pi of its root.",
         "LLD r = 0.987-0.992, functionals r = 0.974-0.998"),
    _lld("F{k}amplitudeLogRelF0_sma3nz", "dB",
         "The highest harmonic within 20 % of formant k over the magnitude of the peak at F0 "
         "(dB; F0's own peak: 0 dB, left out); -201 in unvoiced frames, as openSMILE writes, "
         "and its functionals average over the frames the voiced functionals see.",
         "reproduced on 95-98 % of the voiced frames; functionals r = 1.0000; LLD r = "
         "0.998-1.000"),
    # ---- descriptor names used by the functionals only (openSMILE's column names)
    _lld("loudness_sma3", "as Loudness_sma3",
         "Loudness over all frames, as openSMILE names it in the functionals.",
         "functionals r = 1.0000 (distribution and rising/falling slopes)"),
    _lld("{desc}V_sma3nz", "as the descriptor",
         "A spectral descriptor (alphaRatio, hammarbergIndex, spectralFlux, mfcc1-4) over "
         "voiced frames only.", "functionals r = 1.0000 for the means and the CoVs of all 7 "
         "(egemaps_parity.md)"),
    _lld("slopeV{k}-{k}_sma3nz", "dB/Hz",
         "Spectral slope 0-500 / 500-1500 Hz over voiced frames only.",
         "mean r = 1.0000 / 1.0000; CoV r 1.0000 / 1.0000"),
    _lld("{desc}UV_sma3nz", "as the descriptor",
         "A spectral descriptor (alphaRatio, hammarbergIndex, spectralFlux) over unvoiced "
         "frames only.", "mean r = 1.0000 for all 3"),
    _lld("slopeUV{k}-{k}_sma3nz", "dB/Hz",
         "Spectral slope 0-500 / 500-1500 Hz over unvoiced frames only.",
         "mean r = 1.0000 / 1.0000"),
    # ---- one value per recording
    _row("loudnessPeaksPerSec", "1/s",
         "Loudness peaks per second: the maxima among the turning points of the slope rule "
         "(strict local extrema kept with a threshold of 10 % of the contour's range).",
         "r = 1.0000"),
    _row("VoicedSegmentsPerSec", "1/s", "Voiced segments per second (1-frame gaps do not "
         "split a segment; runs under 3 frames are none).", "r = 1.0000"),
    _row("MeanVoicedSegmentLengthSec", "s", "Mean voiced segment length ((frames - 1) x "
         "10 ms).", "r = 1.0000"),
    _row("StddevVoicedSegmentLengthSec", "s", "Standard deviation of voiced segment lengths.",
         "r = 1.0000"),
    _row("MeanUnvoicedSegmentLength", "s", "Mean unvoiced segment length ((frames - 1) x "
         "10 ms, runs under 3 frames left out; a lone voiced frame, not the first or last row, "
         "counts as unvoiced, and only then are 1-frame gaps between voiced frames filled).",
         "r = 1.0000"),
    _row("StddevUnvoicedSegmentLength", "s", "Standard deviation of unvoiced segment lengths.",
         "r = 1.0000"),
    _row("equivalentSoundLevel_dBp", "dB",
         "10 log10 of the mean power of the 20 ms frames, floored at -120 dB.",
         "r = 1.0000 (7e-6)"),
    # ---- openSMILE's functionals
    _fn("amean", "as the descriptor", "Arithmetic mean (sma3nz: over voiced frames)."),
    _fn("stddevNorm", "1", "Coefficient of variation: population std over the mean."),
    _fn("percentile{q}", "as the descriptor",
        "Percentile 20, 50 or 80, linearly interpolated."),
    _fn("pctlrange0-2", "as the descriptor", "percentile80.0 - percentile20.0."),
    _fn("meanRisingSlope", "descriptor per second",
        "Mean slope of the rising parts of the contour, between the turning points "
        "openSMILE's peak list keeps (its rule, measured on its debug output: 99 % of its "
        "own contours to 1e-4; functionals r 0.9985-0.9999 for F0, 0.9996-0.9998 for "
        "loudness)."),
    _fn("stddevRisingSlope", "descriptor per second",
        "Standard deviation of the rising slopes."),
    _fn("meanFallingSlope", "descriptor per second", "Mean slope of the falling parts."),
    _fn("stddevFallingSlope", "descriptor per second",
        "Standard deviation of the falling slopes."),
)

SETS = [
    SetDoc(
        sets=("egemaps", "gemaps"),
        reference=_REF + " (`gemaps`: GeMAPSv01b, its 62-functional subset)",
        agreement="close: loudness, alpha ratio, Hammarberg, flux, MFCC 1-4, spectral slopes "
                  "and Leq r = 1.0000 (rel. 1e-3 .. 1e-7), their voiced means and CoVs too; "
                  "F0 mean/percentiles/CoV r 1.0000, slopes 0.9994-0.9999; formants r "
                  "0.97-0.9997, their levels 0.994-1.0000; jitter and shimmer 0.988-0.9995 "
                  "(openSMILE's period chain, measured); median r over the 88 functionals "
                  "1.0000, 82 of 83 targets met (the HNR CoV's r 0.80 from one file "
                  "whose HNR is wrong on 12 nearly aperiodic frames, its std 21 % off; "
                  "median error 8e-8) "
                  "(benchmarks/egemaps_parity.py, docs/egemaps_parity.md, "
                  "tests/test_egemaps.py).",
        page="egemaps.md",
        descriptors=_DESCRIPTORS,
        uses_shared_functionals=False,
    ),
]
