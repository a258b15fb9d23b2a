"""Feature catalogue of the ``prosody`` set (see :mod:`emofeat.feature_catalogue`)."""

from emofeat.feature_catalogue import Descriptor, SetDoc

_PITCH = ("method", "fmin", "fmax", "frame_length", "hop_length")
_AG_PYIN = ("pYIN: voicing identical on >= 99 % of frames, F0 rtol 1e-9 where both voiced; "
            "YIN: F0 rtol 1e-6 where the lag is a CMNDF trough under 0.1, rtol 1e-4 on voiced "
            "frames (CMNDF under 0.5) with >= 99.5 % of them within 1e-6 (observed at most "
            "8.8e-6 on 84 files) (tests/test_prosody.py)")

SETS = [
    SetDoc(
        sets=("prosody",),
        reference="`librosa.pyin` (default) / `librosa.yin`, `librosa.feature.rms`",
        agreement=_AG_PYIN + "; RMS rtol 1e-5.",
        page="feature_sets.md",
        descriptors=(
            Descriptor("{set}_f0_hz", "Hz", "Fundamental frequency by pYIN (or YIN); NaN in "
                       "unvoiced frames, so functionals summarise voiced frames only.",
                       params=_PITCH, reference="librosa.pyin / librosa.yin",
                       agreement=_AG_PYIN),
            Descriptor("{set}_f0_semitones", "semitones re 27.5 Hz",
                       "12 log2(f0 / 27.5); NaN in unvoiced frames.", params=_PITCH,
                       reference="librosa.pyin / librosa.yin", agreement=_AG_PYIN),
            Descriptor("{set}_voiced", "1 (0 or 1)", "Voicing decision of the frame (YIN: CMNDF "
                       "at the chosen lag below voicing_threshold).",
                       params=(*_PITCH, "voicing_threshold"), reference="librosa.pyin",
                       agreement="identical on >= 99 % of frames (pYIN)"),
            Descriptor("{set}_voiced_prob", "1", "pYIN's voicing probability; YIN: 1 - CMNDF "
                       "at the chosen lag, clipped to [0, 1], 0 in digital silence.", params=_PITCH,
                       reference="librosa.pyin",
                       agreement="pYIN: 1e-6 on >= 99 % of frames"),
            Descriptor("{set}_rms", "amplitude (full scale 1)",
                       "Root mean square of the centred analysis frame.",
                       params=("frame_length", "hop_length"),
                       reference="librosa.feature.rms", agreement="rtol 1e-5"),
            Descriptor("{set}_voiced_fraction", "1", "Voiced frames / frames.", kind="row",
                       params=_PITCH, reference="none", agreement="from the voicing above"),
            Descriptor("{set}_voiced_segments_per_s", "1/s",
                       "Runs of voiced frames per second.", kind="row", params=_PITCH,
                       reference="none", agreement="from the voicing above"),
            Descriptor("{set}_mean_voiced_segment_s", "s",
                       "Mean length of the runs of voiced frames (NaN without one).",
                       kind="row", params=_PITCH, reference="none",
                       agreement="from the voicing above"),
            Descriptor("{set}_mean_unvoiced_segment_s", "s",
                       "Mean length of the runs of unvoiced frames (NaN without one).",
                       kind="row", params=_PITCH, reference="none",
                       agreement="from the voicing above"),
        ),
    ),
]
