"""Surface cues of texts: the smallest text set, and a template for the lexicon sets.

A text's tokens are its frames: each token gets four descriptors, and the shared functionals
summarise them over the text, exactly as frame-level audio descriptors are summarised over an
utterance. Tokens are runs of word characters (with inner apostrophes: ``don't``) or single
other non-space characters, so ``"WOW!!"`` is ``WOW``, ``!``, ``!``.

Descriptors per token (prefix ``text_surface_``):

``chars``
    Its length in characters.
``exclamation``, ``question``
    1 for a ``!`` / ``?`` token, else 0.
``allcaps``
    For a word token of two or more characters with a cased letter: 1 if every cased letter
    is upper case (``str.isupper``), else 0. NaN for other tokens (``I``, numbers,
    punctuation, emoji), so that functionals count word tokens only.

Default functionals: ``count`` (tokens; for ``allcaps``: word tokens), ``sum`` (characters,
exclamation and question marks), ``mean`` (``text_surface_allcaps_mean`` is the all-caps ratio).
An empty text has 0 tokens: counts and sums 0, means NaN.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any, ClassVar

import numpy as np

from emofeat.signal import TextSignal

from .base import FrameExtractor

_TOKEN = re.compile(r"\w+(?:['\u2019]\w+)*|[^\w\s]")
DESCRIPTORS = ("chars", "exclamation", "question", "allcaps")


def tokenize(text: str) -> list[str]:
    """Word tokens (with inner apostrophes) and single punctuation or symbol tokens."""
    return _TOKEN.findall(text)


def _caps(tok: str) -> float:
    if len(tok) < 2 or not (tok[0].isalnum() or tok[0] == "_"):
        return np.nan
    if tok.isupper():
        return 1.0
    return 0.0 if tok.islower() or tok != tok.upper() else np.nan  # no cased letter: NaN


class TextSurface(FrameExtractor):
    """Token, character, exclamation, question-mark and all-caps cues of texts.

    Parameters
    ----------
    level : {"functionals", "lld"}, default "functionals"
        One row per text, or one row per token.
    functionals : sequence of str, default ("count", "sum", "mean")
        Statistics over tokens (:mod:`emofeat.functionals`).

    Examples
    --------
    >>> from emofeat.extractors import TextSurface
    >>> ts = TextSurface().fit(["a"])
    >>> X = ts.transform(["I LOVE it!!", "meh"])
    >>> float(dict(zip(ts.get_feature_names_out(), X[0]))["text_surface_exclamation_sum"])
    2.0
    """

    modality: ClassVar[str] = "text"
    set_name: ClassVar[str] = "text_surface"
    kernels: ClassVar[tuple[str, ...]] = (
        "emofeat._functionals_kernels:summarize",
    )

    def __init__(self, *, level: str = "functionals",
                 functionals: Sequence[str] = ("count", "sum", "mean")) -> None:
        self.level = level
        self.functionals = functionals

    def descriptor_names(self) -> list[str]:
        return [f"{self.set_name}_{d}" for d in DESCRIPTORS]

    def _compute(self, signal: TextSignal) -> tuple[np.ndarray, np.ndarray]:
        # str methods per token (C loops); tokens are few per text, so no kernel is needed
        tokens = tokenize(signal.text)
        lld = np.empty((len(tokens), len(DESCRIPTORS)))
        lld[:, 0] = [len(t) for t in tokens]
        lld[:, 1] = [t == "!" for t in tokens]
        lld[:, 2] = [t == "?" for t in tokens]
        lld[:, 3] = [_caps(t) for t in tokens]
        return lld, np.arange(len(tokens), dtype=np.float64)

    def warmup_input(self) -> Any:
        return "What a WONDERFUL day!! Isn't it? :)"
