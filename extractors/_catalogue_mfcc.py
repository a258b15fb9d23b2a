"""Feature catalogue of the ``mfcc`` and ``mfcc_htk`` sets (see
:mod:`emofeat.feature_catalogue`)."""

from emofeat.feature_catalogue import Descriptor, SetDoc

_TEST = "tests/test_mfcc.py"
_AGREE = ("librosa: max abs. difference 1e-3 dB tested on every frame of the 240 sample files "
          "and 24 RAVDESS files (observed ~1.4e-4); HTK: rtol 1e-4, atol 1e-3")
_MFCC_PARAMS = ("n_mfcc", "n_mels", "n_fft", "win_length", "hop_length", "window", "fmin",
                "fmax", "htk", "mel_norm", "power", "log", "amin", "lifter", "preemphasis",
                "ref", "top_db")

SETS = [
    SetDoc(
        sets=("mfcc", "mfcc_htk"),
        reference="`librosa.feature.mfcc` + `librosa.feature.delta` (`mfcc`); the HTK book's "
                  "MFCC_0 formulas (`mfcc_htk`)",
        agreement=_AGREE + f" ({_TEST}; mel filterbank vs `librosa.filters.mel` rtol 1e-6).",
        page="mfcc.md",
        descriptors=(
            Descriptor(
                "{set}{k}", "dB (`log=\"db\"`) or ln (`log=\"ln\"`, HTK)",
                "Coefficient k of the DCT-II of the log mel-band energies (librosa: "
                "orthonormal DCT, Slaney mels, power spectrum, dB with top_db; HTK: DCT scaled "
                "sqrt(2/N) for every k, HTK mels, magnitude, ln, lifter 22, pre-emphasis "
                "0.97); k = 0 .. n_mfcc - 1.",
                params=_MFCC_PARAMS, reference="librosa.feature.mfcc / HTK MFCC_0",
                agreement="max abs. 1e-3 (observed ~1.4e-4) vs librosa; rtol 1e-4 vs HTK",
            ),
            Descriptor(
                "{set}{k}_delta", "as mfcc{k} per frame",
                "First-order delta: Savitzky-Golay derivative over delta_width frames with "
                "interpolated edges, as librosa.feature.delta.",
                params=("deltas", "delta_width"), reference="librosa.feature.delta",
                agreement="max abs. 1e-3 vs librosa (same test)",
            ),
            Descriptor(
                "{set}{k}_delta2", "as mfcc{k} per frame squared",
                "Second-order delta (order=2 of librosa.feature.delta).",
                params=("deltas", "delta_width"), reference="librosa.feature.delta",
                agreement="max abs. 1e-3 vs librosa (same test)",
            ),
        ),
    ),
]
