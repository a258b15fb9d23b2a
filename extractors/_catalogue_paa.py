"""Feature catalogue of the ``paa`` set (see :mod:`emofeat.feature_catalogue`)."""

from emofeat.feature_catalogue import Descriptor, SetDoc

_REF = "pyAudioAnalysis 0.3.14 ShortTermFeatures.feature_extraction"
_AG = "rtol 1e-6 (observed ~1e-11), tests/test_paa.py"
_FR = ("window", "step")


def _d(name, unit, definition):
    return Descriptor("{set}_" + name, unit, definition, params=_FR, reference=_REF,
                      agreement=_AG)


_SHORT = (
    _d("zcr", "1", "Sign changes / 2 / (window - 1) of the frame (sign(0) = 0)."),
    _d("energy", "amplitude squared (peak-normalised signal)", "Mean square of the frame."),
    _d("energy_entropy", "bits",
       "Entropy of the energies of 10 consecutive sub-frames over the frame energy."),
    _d("spectral_centroid", "1 (fraction of sr/2)",
       "Centroid of the peak-normalised magnitude over bin frequencies (k+1) sr / (2 (window "
       "// 2)) Hz (k = 0 .. window // 2 - 1; (k+1) sr / window for an even window), divided by "
       "sr/2."),
    _d("spectral_spread", "1 (fraction of sr/2)",
       "Spread of the magnitude around the centroid, divided by sr/2."),
    _d("spectral_entropy", "bits", "Entropy of 10 sub-band energies of the magnitude."),
    _d("spectral_flux", "1",
       "Squared difference of sum-normalised magnitudes of consecutive frames (first frame 0)."),
    _d("spectral_rolloff", "1 (fraction of window/2)",
       "First bin where the cumulative squared magnitude exceeds 0.90 of the total, / (window/2)."),
    _d("mfcc_{k}", "log10 magnitude",
       "Orthonormal DCT-II of log10 of 13 linear + 27 log triangular filters on the magnitude "
       "(k = 1 .. 13)."),
    _d("chroma_{k}", "1", "pyAudioAnalysis's chroma map over the frame's spectral energy "
       "(k = 1 .. 12, its normalisation and fold, quirks included)."),
    _d("chroma_std", "1", "Standard deviation of the 12 chroma values."),
)

_DELTA = tuple(
    Descriptor("{set}_delta_" + d.name.removeprefix("{set}_"), d.unit + " per frame",
               "Difference with the previous frame (0 for the first) of "
               + d.name.removeprefix("{set}_") + ".",
               params=("deltas", *_FR), reference=_REF, agreement=_AG)
    for d in _SHORT
)

SETS = [
    SetDoc(
        sets=("paa",),
        reference=f"`{_REF}` and `MidTermFeatures.mid_feature_extraction`",
        agreement="rtol 1e-6 plus 1e-10 of the column's scale (observed ~1e-11); the default "
                  "mean/std functionals equal pyAudioAnalysis's mid-term statistics over one "
                  "window spanning the file (tests/test_paa.py).",
        page="feature_sets.md",
        descriptors=_SHORT + _DELTA,
    ),
]
