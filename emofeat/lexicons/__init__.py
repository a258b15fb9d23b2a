"""Bundled sentiment lexicons (VADER, MIT; AFINN, Apache-2.0), each with its licence file.

The NRC lexicons are not here: their terms forbid redistribution; load them from your own copy
(:mod:`emofeat.extractors._lexicons`).
"""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path


def lexicon_path(*parts: str) -> Path:
    """Path of a bundled lexicon file, e.g. ``lexicon_path("vader", "vader_lexicon.txt")``."""
    return Path(str(files(__name__).joinpath(*parts)))
