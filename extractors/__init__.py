"""Feature extractors, each an sklearn transformer (installed as ``emofeat.extractors``).

Importing this package imports no extractor (each is imported on first use) and compiles nothing;
kernels compile on first use or in
:func:`emofeat.warmup`, and are cached on disk. Every set's class is exported here; the
registry (:func:`emofeat.get_extractor`) builds them by name.
"""

from __future__ import annotations

import importlib
from typing import Any

# Every name is imported on first use (PEP 562): `emofeat extract --set mfcc` imports the MFCC
# module only, not every set's dependencies (scipy.signal, the text tokenizer, ...), and
# `from emofeat.extractors import MFCC` works as before.
_WHERE = {
    "DEFAULT_FUNCTIONALS": "emofeat.functionals",
    "compute_functionals": "emofeat.functionals",
    "deltas": "emofeat.functionals",
    "Extractor": "emofeat.extractor",
    "FrameExtractor": ".base",
    "EEGAsymmetry": ".eeg_sets",
    "EEGBandPower": ".eeg_sets",
    "EEGDifferentialEntropy": ".eeg_sets",
    "EEGHjorth": ".eeg_sets",
    "EEGSpectral": ".eeg_sets",
    "EEGStats": ".eeg_stats",
    "EGeMAPS": ".egemaps",
    "GeMAPS": ".egemaps",
    "LexiconFeatures": ".lexicon",
    # what reading a lexicon file raises or warns, to catch or filter
    "LexiconFormatError": "._lexicons",
    "LexiconWarning": "._lexicons",
    "LibrosaFeatures": ".librosa_set",
    "MFCC": ".mfcc",
    "MFCCHTK": ".mfcc",
    "PyAudioAnalysis": ".paa",
    "Prosody": ".prosody",
    "RQA": ".rqa",
    "RQAEEG": ".rqa",
    "RQASpeech": ".rqa",
    "rqa_measures": ".rqa",
    "TextSurface": ".text_surface",
}


def __getattr__(name: str) -> Any:
    where = _WHERE.get(name)
    if where is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(where, __name__), name)
    globals()[name] = value  # later lookups skip this function
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_WHERE))


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
    "LexiconFormatError",
    "LexiconWarning",
    "LibrosaFeatures",
    "MFCC",
    "MFCCHTK",
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
