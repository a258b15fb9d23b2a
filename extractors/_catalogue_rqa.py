"""Feature catalogue of the ``rqa``, ``rqa_speech`` and ``rqa_eeg`` sets (see
:mod:`emofeat.feature_catalogue`)."""

from emofeat.feature_catalogue import Descriptor, SetDoc

_REF = "pyunicorn 1.0 `RecurrencePlot` (preset `pyunicorn`); PyRQA 8.1 (preset `pyrqa`)"
_AG = ("histograms identical, measures within 1e-12 of pyunicorn on 210 speech frames and 16 "
       "EEG segments (tests/test_rqa.py, run by CI); PyRQA: histograms identical, measures "
       "within 1e-6 relative on 24 speech frames (observed 6.2e-9; PyRQA returns float32), "
       "on pocl's CPU OpenCL runtime from the test extra, run by CI where pocl compiles for "
       "the CPU")
_PARAMS = ("dim", "delay", "metric", "radius", "radius_std", "recurrence_rate", "theiler",
           "preset")

# stem, unit, definition, line-length parameters (P(l): diagonal lines, V(v): vertical lines,
# W(w): white vertical lines, of the recurrence plot of the embedded frame)
_MEASURES = (
    ("rr", "1", "Recurrence rate: recurrent pairs / N^2 (/ N (N - 1) with "
     "main_diagonal=False).", ("main_diagonal",)),
    ("det", "1", "Determinism: share of the recurrences outside the Theiler window that "
     "lie on diagonal lines of length >= l_min.",
     ("l_min",)),
    ("l_mean", "points", "Mean length of diagonal lines >= l_min.", ("l_min",)),
    ("l_max", "points", "Longest diagonal line outside the Theiler window.", ()),
    ("div", "1/points", "Divergence: 1 / Lmax (0 without a line).", ()),
    ("l_entr", "nats (entropy_base)", "Shannon entropy of the diagonal line-length histogram "
     "from l_min on.", ("l_min", "entropy_base")),
    ("lam", "1", "Laminarity: share of recurrences on vertical lines of length >= v_min.",
     ("v_min",)),
    ("tt", "points", "Trapping time: mean length of vertical lines >= v_min.", ("v_min",)),
    ("v_max", "points", "Longest vertical line.", ()),
    ("v_entr", "nats (entropy_base)", "Entropy of the vertical line-length histogram from "
     "v_min on.", ("v_min", "entropy_base")),
    ("w_max", "points", "Longest white vertical line (longest recurrence time).", ()),
    ("w_mean", "points", "Mean white vertical line length >= w_min (mean recurrence time).",
     ("w_min",)),
    ("w_entr", "nats (entropy_base)", "Entropy of the white vertical line-length histogram "
     "from w_min on.", ("w_min", "entropy_base")),
    ("det_rr", "1", "DET / RR (0 if RR = 0).", ()),
    ("lam_det", "1", "LAM / DET (0 if DET = 0).", ()),
)
_SPEECH = ("rr", "l_max", "det", "l_mean", "l_entr", "v_max", "lam", "tt", "v_entr", "w_max",
           "w_mean", "w_entr")


def _measures(template, stems, extra=(), definition_suffix=""):
    return tuple(
        Descriptor(template.format(stem=stem), unit, definition + definition_suffix,
                   params=_PARAMS + extra + p, reference=_REF, agreement=_AG)
        for stem, unit, definition, p in _MEASURES if stem in stems
    )


_ALL = tuple(m[0] for m in _MEASURES)
_FRAMES = ("frame_length", "hop_length")

_RQA_SPEECH_STATS = tuple(
    Descriptor(name, unit, definition, kind="functional",
               reference="Tzinis et al. (2018) code (`stat_funcs`)",
               agreement="rtol 1e-9 vs scipy.stats and sorted indices (tests/test_rqa.py)")
    for name, unit, definition in (
        ("mean", "as the measure", "Mean over frames."),
        ("var", "measure squared", "Population variance."),
        ("kurtosis", "1", "Excess kurtosis, biased (0 for a constant column)."),
        ("skew", "1", "Skewness, biased (0 for a constant column)."),
        ("median", "as the measure", "Median."),
        ("min", "as the measure", "Minimum."),
        ("max", "as the measure", "Maximum."),
        ("p{q}", "as the measure",
         "Percentile q (1, 5, 25, 50, 75, 95, 99) as the sorted frame at index int(q n), not "
         "interpolated."),
        ("range{k}_{k}", "as the measure", "Difference of two of those percentiles: 99-1, "
         "75-25, 50-25, 75-50."),
    )
)

SETS = [
    SetDoc(
        sets=("rqa",),
        reference=_REF,
        agreement=_AG + "; brute force over every option within 1e-12.",
        page="rqa.md",
        descriptors=_measures("{{set}}_{stem}", _ALL, _FRAMES,
                              " Per 20 ms frame, embedded with dim/delay."),
    ),
    SetDoc(
        sets=("rqa_speech",),
        reference="Tzinis et al. (2018) recipe (their nldrp code, pyunicorn `RecurrencePlot`)",
        agreement="rows equal `rqa_measures` of the authors' frames; statistics rtol 1e-9; "
                  "measures as `rqa` (tests/test_rqa.py).",
        page="rqa.md",
        descriptors=_measures("{{set}}_{stem}", _SPEECH, _FRAMES)
        + tuple(Descriptor(d.name + "_delta", d.unit + " per frame",
                           "First difference m[t] - m[t-1] of " + d.name.removeprefix("{set}_")
                           + " (NaN in the first frame).", params=d.params,
                           reference=d.reference, agreement=d.agreement)
                for d in _measures("{{set}}_{stem}", _SPEECH))
        + _RQA_SPEECH_STATS,
        uses_shared_functionals=False,
    ),
    SetDoc(
        sets=("rqa_eeg",),
        reference=_REF,
        agreement=_AG + ".",
        page="rqa.md",
        descriptors=_measures("{{set}}_{stem}_{{ch}}", _ALL, ("window", "hop"),
                              " Per EEG channel and window."),
    ),
]


