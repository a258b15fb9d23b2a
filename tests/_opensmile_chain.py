"""openSMILE's own components run as a black box, from definitions written here.

emofeat's kernels are compared with openSMILE's intermediate levels by running its
components (named and described in the help text ``SMILExtract -H`` prints) on our signals.
The chains are defined here as Python data, in our own terms: a list of stages, each the
level it writes, the component, the level it reads and the options set; :func:`render`
turns that into the text ``opensmile.Smile`` loads, at run time. No openSMILE configuration
file is read, copied or kept in the repository. Test and benchmark use only.

Where each piece comes from: the component and option names and their values, from the
components' help texts and our own measurements (docs/egemaps.md); the frame around the
stages (the component manager and data memory, the source and sink includes and the closing
``cVectorConcat``) and the form of every instance, section, reader and writer line, from the
custom-configuration template that ``opensmile.Smile``'s own docstring publishes as its
interface for user configurations, read from that docstring at run time (:func:`_template`):
no configuration text is kept here.
"""

from __future__ import annotations

# (level written, component, level read, options); the level name is also the instance name
Stage = tuple[str, str, str, dict]

# 60 ms frames every 10 ms, the Gaussian window (sigma 0.4), FFT magnitude: the published
# eGeMAPS pitch frames (ANCHORS.md)
_SPECTRUM: list[Stage] = [
    ("frames", "cFramer", "wave", {"frameSize": "0.060", "frameStep": "0.010"}),
    ("windowed", "cWindower", "frames", {"winFunc": "gau", "sigma": "0.4"}),
    ("fft", "cTransformFFT", "windowed", {}),
    ("magnitude", "cFFTmagphase", "fft", {}),
]
# the log2 scale with the three switches eGeMAPSv02's pitch was measured to need
_SCALE = {"scale": "octave", "sourceScale": "lin", "interpMethod": "spline",
          "specSmooth": "1", "specEnhance": "1", "auditoryWeighting": "1"}
# subharmonic summation with the published parameters; candidates with scores and voicing
_SHS = {"maxPitch": "1000", "minPitch": "55", "nHarmonics": "15", "compressionFactor": "0.85",
        "voicingCutoff": "0.70", "octaveCorrection": "0", "nCandidates": "6", "scores": "1",
        "voicing": "1", "voicingC1": "0", "F0raw": "0", "voicingClip": "0"}


# the smoother's outputs: its final F0 alone, with eGeMAPSv02's 90-frame buffer
_SMOOTHER_OUT = {"F0final": "1", "F0finalLog": "0", "F0raw": "0", "voicingFinalClipped": "0",
                 "voicingC1": "0", "voicingFinalUnclipped": "0", "voicingClip": "0",
                 "bufferLength": "90"}


def pitch_chain(**smoother: str) -> list[Stage]:
    """Spectrum -> log2 scale -> SHS candidates (greedy peaks) -> Viterbi smoother; the
    output is the candidates' level followed by the smoother's. ``smoother`` sets the
    smoother's options (its weights ``wLocal``, ``wTvv``, ``wTvuv``, ``wThr``, ``wRange``, ...;
    the component's defaults otherwise)."""
    return [
        *_SPECTRUM,
        ("logspec", "cSpecScale", "magnitude", _SCALE),
        ("shs", "cPitchShs", "logspec", {**_SHS, "greedyPeakAlgo": "1", "F0C1": "0"}),
        ("vit", "cPitchSmootherViterbi", "shs",
         {"reader2.dmLevel": "shs", **_SMOOTHER_OUT, **smoother}),
    ]


def jitter_chain(period_file: str, min_cc: float = 0.5, peak_to_peak: int = 0,
                 greedy: bool = False) -> list[Stage]:
    """The pitch chain's smoothed F0 driving the jitter component, every per-frame output on
    and its per-period dump written to ``period_file``; the output is the smoother's level
    (F0, voicing) followed by the jitter level."""
    shs = {**_SHS, "greedyPeakAlgo": "1"} if greedy else _SHS
    return [
        *_SPECTRUM,
        ("logspec", "cSpecScale", "magnitude",
         {**_SCALE, "minF": "25", "maxF": "-1", "nPointsTarget": "0"}),
        ("shs", "cPitchShs", "logspec", shs),
        ("pitchF", "cPitchSmootherViterbi", "shs",
         {"reader2.dmLevel": "shs", "F0final": "1", "F0finalEnv": "0",
          "voicingFinalClipped": "0", "voicingFinalUnclipped": "1", "bufferLength": "90"}),
        ("jitter", "cPitchJitter", "wave",
         {"F0reader.dmLevel": "pitchF", "F0field": "F0final", "searchRangeRel": "0.1",
          "jitterLocal": "1", "jitterDDP": "0", "shimmerLocal": "1", "shimmerLocalDB": "1",
          "sourceQualityMean": "1", "sourceQualityRange": "1", "refinedF0": "1",
          "minCC": str(min_cc), "minNumPeriods": "2", "onlyVoiced": "0",
          "useBrokenJitterThresh": "0", "usePeakToPeakPeriodLength": str(peak_to_peak),
          "periodOutputFile": period_file, "inputMaxDelaySec": "2.0"}),
    ]


# the fields cPitchShs writes (its output's column names) and their sizes
CANDIDATE_FIELDS = (("nCandidates", 1), ("F0Cand", 6), ("candVoicing", 6), ("candScores", 6))


def write_htk(path: str, x) -> None:
    """``x`` (frames, values) as an HTK parameter file (big-endian header and float32
    samples, 10 ms period, USER kind), the format ``cHtkSource`` reads."""
    import struct

    import numpy as np

    x = np.ascontiguousarray(x, dtype=">f4")
    with open(path, "wb") as f:
        f.write(struct.pack(">iihh", x.shape[0], 100000, 4 * x.shape[1], 9))
        f.write(x.tobytes())


def candidate_chain(htk_files: dict[str, str], **smoother: str) -> list[Stage]:
    """Designed pitch candidates -> ``cPitchSmootherViterbi`` (its cost form measured): one
    ``cHtkSource`` per field of ``CANDIDATE_FIELDS`` (``htk_files``: field -> HTK file of
    that field's values per frame), joined under cPitchShs's field names by ``cVectorConcat``
    (``includeSingleElementFields`` on: without it the smoother reads every array one element
    early), then the smoother with ``smoother``'s options. Its voicing cut-off comes from the
    metadata of the level cPitchShs writes, so here it is 0 (its log says so). The output
    level is ``vit`` (F0 final)."""
    stages: list[Stage] = [
        (f"h{name}", "cHtkSource", "",
         {"filename": htk_files[name], "featureName": name, "buffersize": "100000",
          "writer.levelconf.growDyn": "1", "writer.levelconf.isRb": "0"})
        for name, _ in CANDIDATE_FIELDS]
    stages.append(("cands", "cVectorConcat", ";".join(f"h{n}" for n, _ in CANDIDATE_FIELDS),
                   {"includeSingleElementFields": "1", "writer.levelconf.growDyn": "1",
                    "writer.levelconf.isRb": "0", "writer.levelconf.nT": "100000"}))
    stages.append(("vit", "cPitchSmootherViterbi", "cands",
                   {"reader2.dmLevel": "cands", **_SMOOTHER_OUT, **smoother}))
    return stages


# eGeMAPS's 20 ms spectral frames (Hamming, every 10 ms from the first sample), as the
# loudness and the spectral band descriptors read them
SHORT_SPECTRUM: list[Stage] = [
    ("frames", "cFramer", "wave",
     {"frameSize": "0.020", "frameStep": "0.010", "frameCenterSpecial": "left"}),
    ("windowed", "cWindower", "frames", {"winFunc": "hamming"}),
    ("fft", "cTransformFFT", "windowed", {}),
    ("magnitude", "cFFTmagphase", "fft", {}),
]
# cPlp with every stage but the auditory spectrum off: the equal-loudness weighting and the
# intensity-loudness compression (the published 0.33) of each mel band
_AUDITORY = {"firstCC": "0", "lpOrder": "5", "cepLifter": "22", "compression": "0.33",
             "htkcompatible": "0", "doIDFT": "0", "doLpToCeps": "0", "doLP": "0",
             "doInvLog": "0", "doAud": "1", "doLog": "0", "newRASTA": "0", "RASTA": "0"}


def loudness_chain() -> list[Stage]:
    """20 ms spectrum -> 26 mel band powers (20-8000 Hz, not HTK's own variant) ->
    ``cPlp``'s auditory spectrum (each band weighted and compressed) -> their L1 norm by
    ``cVectorOperation``: the loudness as eGeMAPS builds it, each step visible. The outputs
    are the levels ``mel`` (26), ``aud`` (26) and ``loud`` (1), in that order
    (``render(loudness_chain(), ["mel", "aud", "loud"])``)."""
    return [
        *SHORT_SPECTRUM,
        ("mel", "cMelspec", "magnitude",
         {"htkcompatible": "0", "nBands": "26", "usePower": "1", "lofreq": "20",
          "hifreq": "8000", "specScale": "mel", "showFbank": "0"}),
        ("aud", "cPlp", "mel", _AUDITORY),
        ("loud", "cVectorOperation", "aud",
         {"nameAppend": "loudness", "copyInputName": "0", "processArrayFields": "0",
          "operation": "ll1", "nameBase": "loudness"}),
    ]


# cFunctionalPeaks2's outputs other than the four slope statistics (switched off)
_PEAKS2_OFF = ("numPeaks", "meanPeakDist", "peakDistStddev", "peakRangeAbs", "peakRangeRel",
               "peakMeanAbs", "peakMeanMeanDist", "peakMeanRel", "ptpAmpMeanAbs",
               "ptpAmpMeanRel", "ptpAmpStddevAbs", "ptpAmpStddevRel", "minRangeAbs",
               "minRangeRel", "minMeanAbs", "minMeanMeanDist", "minMeanRel", "mtmAmpMeanAbs",
               "mtmAmpMeanRel", "mtmAmpStddevAbs", "mtmAmpStddevRel")
PEAKS2_SLOPES = ("meanRisingSlope", "stddevRisingSlope", "meanFallingSlope",
                 "stddevFallingSlope")


def slope_chain(csv_file: str, positions_file: str | None = None,
                **peaks: str) -> list[Stage]:
    """A contour read from ``csv_file`` (one value a line, one line a 10 ms frame: read as
    written, no scaling) -> ``cFunctionals`` over the whole input with ``cFunctionalPeaks2``
    alone, its four slope statistics on and its defaults otherwise (``peaks`` overrides its
    options, e.g. ``relThresh="0.2"``); ``positions_file``: its debug list of the maxima and
    minima it kept (``XXXX_MAX: x=.. y=..`` lines). The output level is ``slopes``. The
    contour source runs beside opensmile-python's own (feed ``process_signal`` any short
    signal)."""
    opts = {**{k: "0" for k in _PEAKS2_OFF}, **{k: "1" for k in PEAKS2_SLOPES}, **peaks}
    if positions_file:
        opts["posDbgOutp"] = positions_file
    return [
        ("contour", "cCsvSource", "",
         {"filename": csv_file, "header": "no", "delimChar": ",", "period": "0.01",
          "buffersize": "1000000", "writer.levelconf.growDyn": "1",
          "writer.levelconf.isRb": "0"}),
        ("slopes", "cFunctionals", "contour",
         {"frameMode": "full", "frameSize": "0", "frameStep": "0", "noPostEOIprocessing": "0",
          "functionalsEnabled": "Peaks2", "nonZeroFuncts": "0",
          **{f"Peaks2.{k}": v for k, v in opts.items()}}),
    ]


def _template() -> list[str]:
    """The lines of the custom-configuration template that opensmile-python's ``Smile``
    docstring publishes as its interface for user configurations (comments and blank lines
    left out), read at run time so that no configuration text is kept here: the component
    manager and data memory, the source include, the closing ``cVectorConcat`` with its
    reader, writer and single-element switch, and the sink include."""
    import opensmile

    doc = opensmile.Smile.__doc__ or ""
    block = doc.split(".. code-block::", 1)[-1].split(".. note::", 1)[0]
    lines = [x.strip() for x in block.splitlines() if x.strip() and not x.strip().startswith(";")]
    if len(lines) != 10 or lines[0] != lines[3]:
        raise RuntimeError("opensmile.Smile's docstring no longer shows the configuration "
                           "template the black-box chains are written into")
    return lines


def render(stages: list[Stage], outputs: list[str]) -> str:
    """The configuration text of ``stages``, the ``outputs`` levels concatenated into the
    level ``allout``, written into opensmile-python's published template (:func:`_template`):
    every instance, section, reader and writer line follows the template's own
    ``cVectorConcat`` lines, with our level and component names put in."""
    manager, memory, source, _, instance, section, reader, writer, single, sink = _template()
    name, component = section.strip("[]").split(":")
    reader_key, writer_key = (x.split("=")[0].strip() for x in (reader, writer))

    def named(line: str, level: str, comp: str) -> str:
        return line.replace(name, level).replace(component, comp)

    lines = [manager, memory, source, manager]
    lines += [named(instance, level, comp) for level, comp, _, _ in stages]
    lines.append(named(instance, "allout", component))
    for level, comp, reads, options in stages:
        lines.append(named(section, level, comp))
        if reads:  # a source (reads "") has no reader
            lines.append(f"{reader_key}={reads}")
        lines.append(f"{writer_key}={level}")
        lines += [f"{k}={v}" for k, v in options.items()]
    lines += [named(section, "allout", component), f"{reader_key}={';'.join(outputs)}",
              f"{writer_key}=allout", "".join(single.split()), sink]
    return "\n".join(lines) + "\n"
