"""Feature extractors, each an sklearn transformer (installed as ``emofeat.extractors``).

Importing this package imports Numba but compiles nothing; kernels compile on first use or in
:func:`emofeat.warmup`, and are cached on disk.
"""

from .base import FrameExtractor
from .functionals import DEFAULT_FUNCTIONALS, compute_functionals, deltas
from .mfcc import MFCC

__all__ = ["DEFAULT_FUNCTIONALS", "MFCC", "FrameExtractor", "compute_functionals", "deltas"]
