"""Feature sets by name: what the CLI's ``--set`` and :func:`get_extractor` understand.

The registry stores where each extractor lives, not the class itself, so listing the sets
imports no extractor and no Numba.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class SetInfo:
    """One registered feature set."""

    name: str
    target: str  # "module:attribute", a class or a factory returning an extractor
    description: str
    modality: str = "speech"
    defaults: dict[str, Any] = field(default_factory=dict)

    def load(self):
        module, _, attr = self.target.partition(":")
        obj = importlib.import_module(module)
        for part in attr.split("."):
            obj = getattr(obj, part)
        return obj


_REGISTRY: dict[str, SetInfo] = {}


def register(info: SetInfo, *, replace: bool = False) -> None:
    """Add a feature set (a third-party package can register its own)."""
    if info.name in _REGISTRY and not replace:
        raise ValueError(f"feature set {info.name!r} is already registered")
    _REGISTRY[info.name] = info


register(SetInfo(
    "mfcc",
    "emofeat.extractors.mfcc:MFCC",
    "MFCC (librosa conventions: 13 coefficients, 40 Slaney mels, 25/10 ms) with deltas",
))
register(SetInfo(
    "mfcc_htk",
    "emofeat.extractors.mfcc:MFCC.htk",
    "MFCC with HTK conventions (MFCC_0: 26 filters, lifter 22, pre-emphasis 0.97) with deltas",
))
register(SetInfo(
    "paa",
    "emofeat.extractors.paa:PyAudioAnalysis",
    "pyAudioAnalysis 0.3.14's 34 short-term features + deltas (50/25 ms frames), mean/std",
))
register(SetInfo(
    "librosa",
    "emofeat.extractors.librosa_set:LibrosaFeatures",
    "librosa.feature chroma, mel, spectral shape/contrast, ZCR, RMS, tonnetz, poly, MFCC+deltas "
    "from one STFT",
))
register(SetInfo(
    "prosody",
    "emofeat.extractors.prosody:Prosody",
    "Pitch (pYIN or YIN as librosa), voicing, RMS energy, voiced fraction and segment-rate proxies",
))


def list_extractors() -> dict[str, str]:
    """Registered feature-set names with a one-line description each."""
    return {name: info.description for name, info in sorted(_REGISTRY.items())}


def get_extractor(name: str, **params: Any):
    """A configured extractor for the feature set ``name``.

    Parameters
    ----------
    name : str
        A name from :func:`list_extractors` (``"mfcc"``, ...).
    **params
        Extractor parameters, e.g. ``n_mfcc=20, level="lld"``.

    Examples
    --------
    >>> ext = get_extractor("mfcc", n_mfcc=20)                      # doctest: +SKIP
    """
    try:
        info = _REGISTRY[name]
    except KeyError:
        raise ValueError(
            f"unknown feature set {name!r}; available: {', '.join(sorted(_REGISTRY))}"
        ) from None
    factory = info.load()
    try:
        return factory(**{**info.defaults, **params})
    except TypeError as exc:
        raise ValueError(f"feature set {name!r}: {exc}") from exc


def set_name_of(extractor: Any) -> str:
    """The registry name an extractor instance reports in provenance."""
    return getattr(extractor, "set_name", "") or type(extractor).__name__.lower()


def warmup(names: list[str] | None = None, verbose: bool = False) -> dict[str, float]:
    """Compile (or load from the disk cache) the kernels of the given sets, all by default.

    Returns the seconds each set took; the first call after install compiles, later ones
    load the cache.
    """
    import time

    timings: dict[str, float] = {}
    for name in names or sorted(_REGISTRY):
        t0 = time.perf_counter()
        for level in ("lld", "functionals"):
            get_extractor(name, level=level).warmup()
        timings[name] = time.perf_counter() - t0
        if verbose:
            print(f"{name}: {timings[name]:.2f} s")
    return timings
