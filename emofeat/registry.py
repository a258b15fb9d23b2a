"""Feature sets by name: what the CLI's ``--set`` and :func:`get_extractor` understand.

The registry stores where each extractor lives, not the class itself, so listing the sets
imports no extractor and no Numba. emofeat's own sets also declare their numbers version
(:attr:`SetInfo.numbers_version`), so that ``emofeat info`` and ``read_table`` compare an
output's with the installed one without importing a set's module and its kernels.
"""

from __future__ import annotations

import importlib
import sys
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class SetInfo:
    """One registered feature set."""

    name: str
    target: str  # "module:attribute", a class or a factory returning an extractor
    description: str
    modality: str = "audio"  # "audio", "eeg" or "text": which reader, and how sets group
    defaults: dict[str, Any] = field(default_factory=dict)
    #: the :attr:`~emofeat.extractor.Extractor.numbers_version` of the class ``target`` makes,
    #: declared by emofeat's own sets (tests/test_registry_numbers49.py holds each to its
    #: class: bump both): :func:`installed_numbers_version` reads it without importing the
    #: set's module (the eGeMAPS one imports Numba and its kernels, 0.5 s). ``None``: read
    #: from the class (a set of one's own).
    numbers_version: int | None = None

    @property
    def class_path(self) -> str:
        """``module.Class`` of the class ``target`` makes, where it is a class or one of its
        factory methods (``mfcc:MFCC.htk``: ``mfcc.MFCC``)."""
        module, _, attr = self.target.partition(":")
        return f"{module}.{attr.partition('.')[0]}"

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
    numbers_version=1,
))
register(SetInfo(
    "mfcc_htk",
    "emofeat.extractors.mfcc:MFCCHTK.htk",
    "MFCC with HTK conventions (MFCC_0: 26 filters, lifter 22, pre-emphasis 0.97) with deltas",
    numbers_version=2,
))
register(SetInfo(
    "paa",
    "emofeat.extractors.paa:PyAudioAnalysis",
    "pyAudioAnalysis 0.3.14's 34 short-term features + deltas (50/25 ms frames), mean/std",
    numbers_version=0,
))
register(SetInfo(
    "librosa",
    "emofeat.extractors.librosa_set:LibrosaFeatures",
    "librosa.feature chroma, mel, spectral shape/contrast, ZCR, RMS, tonnetz, poly, MFCC+deltas "
    "from one STFT",
    numbers_version=3,
))
register(SetInfo(
    "prosody",
    "emofeat.extractors.prosody:Prosody",
    "Pitch (pYIN or YIN as librosa), voicing, RMS energy, voiced fraction and segment-rate proxies",
    numbers_version=2,
))


register(SetInfo(
    "egemaps",
    "emofeat.extractors.egemaps:EGeMAPS",
    "eGeMAPSv02 without openSMILE: 25 LLDs / 88 functionals (loudness, spectral balance, MFCC "
    "1-4, F0, voice quality, formants), openSMILE's column names",
    numbers_version=12,
))
register(SetInfo(
    "gemaps",
    "emofeat.extractors.egemaps:GeMAPS",
    "GeMAPSv01b without openSMILE: 18 LLDs / 62 functionals (the eGeMAPSv02 subset)",
    numbers_version=12,
))
register(SetInfo(
    "rqa",
    "emofeat.extractors.rqa:RQA",
    "Recurrence quantification analysis per frame (RR, DET, L, Lmax, DIV, ENTR, LAM, TT, Vmax, "
    "V_ENTR, W_max, W_mean, W_ENTR, DET/RR, LAM/DET) without an N x N matrix",
    numbers_version=1,
))
register(SetInfo(
    "rqa_speech",
    "emofeat.extractors.rqa:RQASpeech",
    "Tzinis et al. (2018) RQA recipe: 12 measures + deltas of 20 ms frames (m=3, euclidean, "
    "radius 0.1), 18 statistics: 432 features",
    numbers_version=2,
))


register(SetInfo(
    "eeg_stats",
    "emofeat.extractors.eeg_stats:EEGStats",
    "Per-channel time-domain statistics of EEG windows/epochs: mean, std, skew, kurtosis, "
    "line length",
    modality="eeg",
    numbers_version=2,
))
for _name, _cls, _what in (
    ("eeg_bands", "EEGBandPower", "EEG band power per channel and band (delta..gamma): absolute, "
     "relative and dB, from a Welch PSD equal to MNE's psd_array_welch"),
    ("eeg_de", "EEGDifferentialEntropy", "EEG differential entropy per channel and band "
     "(Gaussian closed form, from the Welch band power or the MNE FIR band-passed variance)"),
    ("eeg_asymmetry", "EEGAsymmetry", "EEG hemispheric asymmetry of 10-20 electrode pairs: "
     "DASM, RASM, caudality (DCAU) of differential entropy, frontal alpha asymmetry"),
    ("eeg_hjorth", "EEGHjorth", "EEG Hjorth activity, mobility and complexity per channel"),
    ("eeg_spectral", "EEGSpectral", "EEG spectral entropy and spectral edge frequencies "
     "(50 %, 90 %) per channel, 1-45 Hz"),
):
    register(SetInfo(_name, f"emofeat.extractors.eeg_sets:{_cls}", _what, modality="eeg",
                     numbers_version={"eeg_spectral": 1, "eeg_bands": 1, "eeg_de": 1,
                                      "eeg_asymmetry": 1}.get(_name, 0)))
register(SetInfo(
    "text_surface",
    "emofeat.extractors.text_surface:TextSurface",
    "Surface cues of a text from its tokens: token and character counts, exclamation and "
    "question marks, all-caps ratio",
    modality="text",
    numbers_version=1,
))
register(SetInfo(
    "rqa_eeg",
    "emofeat.extractors.rqa:RQAEEG",
    "Recurrence quantification analysis of every EEG channel over windows (15 measures per "
    "channel), without an N x N matrix",
    modality="eeg",
    numbers_version=1,
))


register(SetInfo(
    "lexicon",
    "emofeat.extractors.lexicon:LexiconFeatures",
    "VADER (identical to vaderSentiment 3.3.2, plus sentence aggregates), AFINN, NRC/user "
    "lexicons from your files with negation and intensifiers, and style cues of texts",
    modality="text",
    numbers_version=14,
))


def list_sets(modality: str | None = None) -> dict[str, list[SetInfo]]:
    """Registered sets grouped by modality (``audio``, ``eeg``, ``text``), names sorted."""
    groups: dict[str, list[SetInfo]] = {}
    for m in ("audio", "eeg", "text"):
        groups[m] = []
    for name in sorted(_REGISTRY):
        info = _REGISTRY[name]
        if modality is None or info.modality == modality:
            groups.setdefault(info.modality, []).append(info)
    return {m: infos for m, infos in groups.items() if infos}


def modality_of(name: str) -> str:
    """The modality of a registered set."""
    return _info(name).modality


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
    >>> from emofeat import get_extractor
    >>> ext = get_extractor("mfcc", n_mfcc=20)
    >>> ext.n_mfcc, ext.level
    (20, 'functionals')
    >>> len(ext.fit([]).get_feature_names_out())   # 20 MFCC x 3 (deltas) x 17 functionals
    1020
    """
    info = _info(name)
    factory = info.load()
    if "level" in params and not _accepts(factory, "level"):
        # a set with one row per input only (EEG epoch statistics): "functionals" is its level
        if params["level"] != "functionals":
            raise ValueError(f"feature set {name!r} gives one row per input only; "
                             f"level {params['level']!r} is not offered")
        params = {k: v for k, v in params.items() if k != "level"}
    try:
        return factory(**{**info.defaults, **params})
    except TypeError as exc:
        raise ValueError(f"feature set {name!r}: {exc}") from exc


def route_params(sets: list[str], given: Any, *, said: Any = None,
                 level_is: str = "extract's level argument ('functionals' or 'lld')",
                 describe: str = "emofeat.get_extractor(name).get_params()"
                 ) -> dict[str, dict[str, Any]]:
    """The parameters of each of ``sets``: ``set.name`` for that set alone, a bare ``name``
    for every set that has that parameter (``n_mfcc`` reaches ``mfcc``, not ``prosody``).

    Parameters
    ----------
    sets : list of str
        Set names.
    given : dict or sequence of (name, value)
        The parameters as given (``emofeat.extract``'s ``params``, the command's ``--param``).
    said : callable, optional
        How a refusal names a parameter (the command: ``--param name``; default
        ``params['name']``).
    level_is : str
        Where the level is chosen, for the refusal of ``level`` among them.
    describe : str
        What lists a set's parameters, for the refusal of a name no set has.

    Returns
    -------
    dict
        ``{set: {param: value}}``, every set present.

    Raises
    ------
    ValueError
        A name that no set asked for has, naming it with what it may be a misspelling of
        (it was Python's "Prosody.__init__() got an unexpected keyword argument"), a
        ``set.name`` of a set not asked for, and ``level``.
    """
    items = list(given.items()) if isinstance(given, dict) else list(given)
    said = said or (lambda name: f"params[{name!r}]")
    out: dict[str, dict[str, Any]] = {s: {} for s in sets}
    known: dict[str, list[str]] = {}

    def params_of(s: str) -> list[str]:
        if s not in known:
            known[s] = list(get_extractor(s).get_params(deep=False))
        return known[s]

    # a set's own value (set.name) wins over a bare name's, whatever their order
    items = sorted(items, key=lambda item: "." in str(item[0]))
    for name, value in items:
        target, dot, param = str(name).rpartition(".")
        if param == "level":
            raise ValueError(f"{said(name)}: the level is chosen with {level_is}")
        if dot and target not in out:
            raise ValueError(f"{said(name)}: {target!r} is not one of the sets "
                             f"asked for ({', '.join(sets)})")
        having = [s for s in ([target] if dot else sets) if param in params_of(s)]
        if not having:
            raise ValueError(_unknown_param(said(name), param, [target] if dot else sets,
                                            known, describe))
        for s in having:
            out[s][param] = value
    return out


def _unknown_param(said: str, param: str, sets: list[str], known: dict[str, list[str]],
                   describe: str) -> str:
    """The refusal of a parameter that none of ``sets`` has."""
    import difflib

    names = sorted({p for s in sets for p in known[s]} - {"level"})
    close = difflib.get_close_matches(param, names, n=3)
    hint = (f"did you mean {' or '.join(close)}?" if close else
            f"its parameters: {', '.join(names)}" if len(sets) == 1 else
            f"{describe} lists the parameters of a set")
    which = f"the set {sets[0]!r} has no" if len(sets) == 1 else \
        f"none of the sets {', '.join(sets)} has a"
    return f"{said}: {which} parameter {param!r}; {hint}"


def _accepts(factory: Any, param: str) -> bool:
    import inspect

    target = factory.__init__ if isinstance(factory, type) else factory
    try:
        sig = inspect.signature(target)
    except (TypeError, ValueError):
        return True
    return param in sig.parameters or any(
        p.kind is inspect.Parameter.VAR_KEYWORD for p in sig.parameters.values())


def _info(name: str) -> SetInfo:
    try:
        return _REGISTRY[name]
    except KeyError:
        raise ValueError(
            f"unknown feature set {name!r}; available: {', '.join(sorted(_REGISTRY))}"
        ) from None


def set_name_of(extractor: Any) -> str:
    """The registry name an extractor instance reports in provenance."""
    return getattr(extractor, "set_name", "") or type(extractor).__name__.lower()


def sets_of_record(sets: Any) -> list[Any] | None:
    """The sets a provenance's ``sets`` records, made again by :func:`get_extractor` with
    their recorded parameters; ``None`` where one cannot be: not a list of named sets, a
    name this emofeat does not register, a recorded class other than the one it makes, or
    parameters it refuses."""
    if not isinstance(sets, list):
        return None
    out = []
    for record in sets:
        if not isinstance(record, dict) or record.get("name") not in _REGISTRY:
            return None
        params = record.get("params") or {}
        if not isinstance(params, dict):
            return None
        try:
            ext = get_extractor(record["name"], **params)
            ext.check_params()  # a set checks most parameters at fit, not when made
        except (TypeError, ValueError):
            return None
        cls = record.get("class")
        if cls is not None and cls != f"{type(ext).__module__}.{type(ext).__qualname__}":
            return None  # another package's set registered under the name
        out.append(ext)
    return out


def installed_numbers_version(name: Any, recorded_class: Any = None) -> int | None:
    """The numbers version the installed emofeat computes the set ``name`` at: what an
    output or model recorded of it is compared with (``emofeat info``, ``read_table``'s
    advice on an unfinished output). ``None`` for a name not registered here, or registered
    to another class than ``recorded_class`` (``module.Class``, as provenance records it;
    ``None``: not recorded), whose versions are not comparable.

    An emofeat set whose module is not imported yet is answered from its registration
    (:attr:`SetInfo.numbers_version`), importing nothing: ``emofeat info`` of an egemaps
    table imported Numba and the eGeMAPS kernels for it. Otherwise the class says it.
    """
    got = _installed(name)
    same = (None, got[0], *_FORMER_CLASSES.get(name, ())) if got is not None else ()
    return got[1] if got is not None and recorded_class in same else None


#: the classes a registered set was made by before its class now, whose numbers versions the
#: class now goes on from (comparable, unlike another class under the name): mfcc_htk was
#: MFCC(convention="htk") at numbers version 1 until 12c1d64, MFCCHTK at 2 since, and
#: ``emofeat info`` of a table of version 1 said nothing of version 2
_FORMER_CLASSES = {"mfcc_htk": ("emofeat.extractors.mfcc.MFCC",)}


def installed_class(name: Any) -> str | None:
    """``module.Class`` of the extractor the set ``name`` makes here (``None``: not
    registered), importing nothing where :func:`installed_numbers_version` does not."""
    got = _installed(name)
    return None if got is None else got[0]


def _installed(name: Any) -> tuple[str, int] | None:
    """The class path and numbers version of the registered set ``name``."""
    info = _REGISTRY.get(name) if isinstance(name, str) else None
    if info is None:
        return None
    if info.numbers_version is not None and info.target.partition(":")[0] not in sys.modules:
        return info.class_path, info.numbers_version
    try:
        cls = type(get_extractor(name))
    except Exception:  # a set of one's own that cannot be made here
        return None
    return f"{cls.__module__}.{cls.__qualname__}", int(getattr(cls, "numbers_version", 0) or 0)


def warmup(names: list[str] | None = None, verbose: bool = False,
           modality: str | None = None) -> dict[str, float]:
    """Compile (or load from the disk cache) the kernels of the given sets, all by default
    (or all of one ``modality``).

    Each set runs its own :meth:`~emofeat.extractor.Extractor.warmup_input` at every level
    it offers; the first call after install compiles, later ones load the cache.

    Parameters
    ----------
    names : list of str, optional
        The sets (``["mfcc", "egemaps"]``); ``None``: every registered set (of ``modality``).
    verbose : bool, default False
        Print each set's time as it is done.
    modality : {"audio", "eeg", "text"}, optional
        With ``names=None``, only the sets of this modality.

    Returns
    -------
    dict of str to float
        The seconds each set took.
    """
    import time

    if names is None:
        names = [i.name for infos in list_sets(modality).values() for i in infos]
    timings: dict[str, float] = {}
    for name in names:
        t0 = time.perf_counter()
        ext = get_extractor(name)
        for level in getattr(ext, "levels", ("functionals",)):
            params = {"level": level} if "level" in ext.get_params(deep=False) else {}
            get_extractor(name, **params).warmup()
        timings[name] = time.perf_counter() - t0
        if verbose:
            print(f"{name} ({_info(name).modality}): {timings[name]:.2f} s")
    return timings


def compile_cold(extractors: list[Any], announce=None) -> dict[str, float]:
    """Compile the kernels of the extractors whose disk cache is cold, announcing each set
    before it compiles (``announce(message)``; a first run would otherwise pause for seconds
    without a word). Returns the seconds each compiled set took; warm sets are skipped."""
    import time

    from ._numba import cold_kernels

    timings: dict[str, float] = {}
    for ext in extractors:
        cold = cold_kernels(getattr(ext, "kernels", ()))
        if not cold:
            continue
        name = set_name_of(ext)
        if announce:
            from ._numba import lasting_cache

            kept = ("cached for every later run; 'emofeat warmup' does it ahead"
                    if lasting_cache() is not None else
                    "not kept after this run: no lasting cache folder, see the warning above")
            announce(f"compiling {len(cold)} Numba kernels of '{name}' (first use after "
                     f"install; {kept}) ...")
        t0 = time.perf_counter()
        kernels = getattr(ext, "kernels", ())
        if not (_warmup_in_child(name, ext) and not cold_kernels(kernels)):
            ext.warmup()
        timings[name] = time.perf_counter() - t0
        if announce:
            announce(f"'{name}' kernels ready in {timings[name]:.1f} s")
    return timings


def _warmup_in_child(name: str, ext: Any) -> bool:
    """Compile a registered set's kernels in a child process, which writes them to the disk
    cache; this process then only loads them.

    Compiling leaves LLVM's memory in the compiling process for the rest of its life
    (measured: 40-60 MB more peak memory for a one-hour eGeMAPS file on a cold cache);
    the child returns it when it exits. Returns False (the caller compiles here) when the
    set is not a registered one with JSON-able parameters or the child failed; the caller
    also compiles here when the child could not write the cache (read-only, or another
    ``emofeat`` on the child's path)."""
    import json
    import subprocess
    import sys

    try:
        if type(get_extractor(name)) is not type(ext):
            return False
        params = json.dumps(ext.get_params(deep=False))
    except (TypeError, ValueError):
        return False
    code = ("import json, sys; from emofeat.registry import get_extractor; "
            "get_extractor(sys.argv[1], **json.loads(sys.argv[2])).warmup()")
    try:
        res = subprocess.run([sys.executable, "-c", code, name, params],
                             capture_output=True, timeout=3600)
    except (OSError, subprocess.SubprocessError):
        return False
    return res.returncode == 0
