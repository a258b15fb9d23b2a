"""emofeat: emotion features from speech, EEG and text, and honest classical baselines.

Importing :mod:`emofeat` is cheap: it imports neither Numba nor any extractor and compiles
nothing. The public names below are resolved lazily on first use.

>>> import os, tempfile
>>> import emofeat
>>> from emofeat.datasets import load_sample
>>> sample = load_sample()                        # 240 bundled RAVDESS recordings
>>> table = emofeat.extract(sample.head(4), "mfcc")
>>> table.shape                                   # 4 files x 663 MFCC functionals
(4, 663)
>>> path = os.path.join(tempfile.mkdtemp(), "features.parquet")
>>> table.to_parquet(path)
>>> emofeat.read_table(path).feature_names[:2]
['mfcc0_mean', 'mfcc0_std']
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from ._version import __version__

_LAZY = {
    "FeatureTable": "emofeat.table",
    "read_table": "emofeat.table",
    "get_extractor": "emofeat.registry",
    "list_extractors": "emofeat.registry",
    "warmup": "emofeat.registry",
    "load_audio": "emofeat.audio",
    "extract": "emofeat.runner",
    "datasets": "emofeat.datasets",
    "extractors": "emofeat.extractors",
    "classifiers": "emofeat.classifiers",
    "catalogue": "emofeat.feature_catalogue",
}

__all__ = ["__version__", *sorted(_LAZY)]

if TYPE_CHECKING:  # pragma: no cover
    from . import classifiers, datasets, extractors
    from .audio import load_audio
    from .feature_catalogue import catalogue
    from .registry import get_extractor, list_extractors, warmup
    from .runner import extract
    from .table import FeatureTable, read_table


def __getattr__(name: str) -> Any:
    try:
        module_name = _LAZY[name]
    except KeyError:
        raise AttributeError(f"module 'emofeat' has no attribute {name!r}") from None
    module = importlib.import_module(module_name)
    value = module if module_name.endswith("." + name) else getattr(module, name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return __all__
