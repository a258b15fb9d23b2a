"""Feature extractors, each an sklearn transformer (installed as ``emofeat.extractors``).

Importing this package imports Numba but compiles nothing; kernels compile on first use or in
:func:`emofeat.warmup`, and are cached on disk. Every set's class is exported here; the
registry (:func:`emofeat.get_extractor`) builds them by name.
"""

from emofeat.extractor import Extractor
from emofeat.functionals import DEFAULT_FUNCTIONALS, compute_functionals, deltas

from .base import FrameExtractor
from .eeg_sets import EEGAsymmetry, EEGBandPower, EEGDifferentialEntropy, EEGHjorth, EEGSpectral
from .eeg_stats import EEGStats
from .egemaps import EGeMAPS, GeMAPS
from .lexicon import LexiconFeatures
from .librosa_set import LibrosaFeatures
from .mfcc import MFCC
from .paa import PyAudioAnalysis
from .prosody import Prosody
from .rqa import RQA, RQAEEG, RQASpeech, rqa_measures
from .text_surface import TextSurface

__all__ = [
    "DEFAULT_FUNCTIONALS",
    "EEGAsymmetry",
    "EEGBandPower",
    "EEGDifferentialEntropy",
    "EEGHjorth",
    "EEGSpectral",
    "EEGStats",
    "EGeMAPS",
    "Extractor",
    "FrameExtractor",
    "GeMAPS",
    "LexiconFeatures",
    "LibrosaFeatures",
    "MFCC",
    "Prosody",
    "PyAudioAnalysis",
    "RQA",
    "RQAEEG",
    "RQASpeech",
    "TextSurface",
    "compute_functionals",
    "deltas",
    "rqa_measures",
]
