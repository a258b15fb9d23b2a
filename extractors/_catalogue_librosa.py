"""Feature catalogue of the ``librosa`` set (see :mod:`emofeat.feature_catalogue`)."""

from emofeat.feature_catalogue import Descriptor, SetDoc

_AG = ("rtol 1e-5 (float64, tests/test_librosa_set.py), 1e-4 (float32 default against librosa's "
       "float32 analysis, tests/test_librosa_float32_52.py)")
_STFT = ("n_fft", "hop_length")

SETS = [
    SetDoc(
        sets=("librosa",),
        reference="`librosa.feature.*` 0.11 on one centred STFT (n_fft 2048, hop 512)",
        agreement="per column `|ours - ref| <= rtol |ref| + atol max|col|`: rtol 1e-5, atol 1e-7 "
                  "in float64 (most columns ~1e-13); rtol 1e-4, atol 1e-5 in the default "
                  "float32 against librosa on float32 audio (spectral contrast within 1e-3 "
                  "dB); roll-off within one bin; tuning equal to `librosa.estimate_tuning` "
                  "(tests/test_librosa_set.py, tests/test_librosa_float32_52.py).",
        page="feature_sets.md",
        descriptors=(
            Descriptor("{set}_chroma_{pitch}", "1 (max-normalised energy)",
                       "Chroma of the power STFT (chroma_stft, tuning estimated per input as "
                       "estimate_tuning); one per pitch class C .. B.",
                       params=(*_STFT, "tuning"), reference="librosa.feature.chroma_stft",
                       agreement=_AG + "; the tuning estimate equals librosa's in each "
                       "precision (240 of 240 RAVDESS files at 16 kHz; float32 and float64 "
                       "estimates differ on 9 of them, in librosa too: see feature_sets.md)"),
            Descriptor("{set}_mel_{k}", "power (amplitude squared)",
                       "Mel spectrogram band k of the power STFT (Slaney mels, Slaney norm).",
                       params=(*_STFT, "n_mels"), reference="librosa.feature.melspectrogram",
                       agreement=_AG + " (observed ~1e-7: librosa's float32 filters)"),
            Descriptor("{set}_spectral_centroid", "Hz",
                       "Magnitude-weighted mean frequency of the frame.",
                       params=_STFT, reference="librosa.feature.spectral_centroid",
                       agreement=_AG),
            Descriptor("{set}_spectral_bandwidth", "Hz",
                       "Magnitude-weighted p=2 deviation of frequency around the centroid.",
                       params=_STFT, reference="librosa.feature.spectral_bandwidth",
                       agreement=_AG),
            Descriptor("{set}_spectral_contrast_{k}", "dB",
                       "Peak minus valley (quantile 0.02) of octave sub-band k (n_bands octaves "
                       "from contrast_fmin, plus the rest).",
                       params=(*_STFT, "n_bands", "contrast_fmin"),
                       reference="librosa.feature.spectral_contrast", agreement=_AG),
            Descriptor("{set}_spectral_flatness", "1",
                       "Geometric over arithmetic mean of the power spectrum (floor 1e-10).",
                       params=_STFT, reference="librosa.feature.spectral_flatness",
                       agreement=_AG),
            Descriptor("{set}_spectral_rolloff", "Hz",
                       "Frequency below which roll_percent of the spectral magnitude lies.",
                       params=(*_STFT, "roll_percent"),
                       reference="librosa.feature.spectral_rolloff",
                       agreement="exact (float64), within one bin (float32)"),
            Descriptor("{set}_zcr", "1 (crossings per sample)",
                       "Share of sign changes in the n_fft-sample frame (time domain, edge "
                       "padding).", params=_STFT,
                       reference="librosa.feature.zero_crossing_rate", agreement="exact"),
            Descriptor("{set}_rms", "amplitude (full scale 1)",
                       "Root mean square of the windowed frame, from the spectrum.",
                       params=_STFT, reference="librosa.feature.rms", agreement=_AG),
            Descriptor("{set}_tonnetz_{k}", "1",
                       "Tonal centroid k (fifths, minor and major thirds; x and y each) of the "
                       "STFT chroma above.", params=_STFT,
                       reference="librosa.feature.tonnetz(chroma=...)",
                       agreement=_AG + "; the chroma's tuning applies"),
            Descriptor("{set}_poly_f{k}", "magnitude per Hz**k (f1: per Hz, f0: magnitude)",
                       "Coefficient of frequency**k of the polynomial of order poly_order "
                       "fitted to the magnitude spectrum over frequency, k = poly_order .. 0 "
                       "(order 1, the default: f1 slope, f0 intercept).",
                       params=(*_STFT, "poly_order"),
                       reference="librosa.feature.poly_features", agreement=_AG),
            Descriptor("{set}_mfcc_{k}", "dB",
                       "MFCC k of power_to_db of the mel spectrogram above (orthonormal "
                       "DCT-II).", params=(*_STFT, "n_mfcc", "n_mels"),
                       reference="librosa.feature.mfcc", agreement=_AG),
            Descriptor("{set}_mfcc_{k}_delta", "dB per frame",
                       "First-order delta of mfcc_k (width 9).",
                       params=(*_STFT, "n_mfcc", "n_mels", "deltas"),
                       reference="librosa.feature.delta", agreement=_AG),
            Descriptor("{set}_mfcc_{k}_delta2", "dB per frame squared",
                       "Second-order delta of mfcc_k (width 9).",
                       params=(*_STFT, "n_mfcc", "n_mels", "deltas"),
                       reference="librosa.feature.delta", agreement=_AG),
        ),
    ),
]
