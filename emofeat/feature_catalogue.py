"""The feature catalogue: what every feature of every registered set is.

Each feature family keeps its descriptors' metadata next to its code, in
``extractors/_catalogue_<family>.py`` (a list ``SETS`` of :class:`SetDoc`). This module
gathers them, matches them against the feature names the extractors really emit, and renders
the catalogue page of the documentation (``docs/catalogue.md``, written at build time) and the
DataFrame of :func:`catalogue`. Parameter defaults are read from the extractors
(``get_params()``), never written twice; ``tests/test_catalogue.py`` fails when an emitted
name has no entry or an entry matches no emitted name.

A descriptor name is a pattern with placeholders: ``{set}`` (the set's name), ``{k}`` (an
index), ``{q}`` (a percentile), ``{ch}`` (a channel), ``{pair}`` (two channels ``L-R``),
``{band}`` (a frequency band), ``{desc}`` (a descriptor name) and ``{pitch}`` (a pitch
class, ``C`` .. ``B``). A functional-level name is ``<descriptor>_<functional>``.

Examples
--------
>>> from emofeat.feature_catalogue import catalogue
>>> cat = catalogue("mfcc")
>>> cat.name.tolist()
['mfcc{k}', 'mfcc{k}_delta', 'mfcc{k}_delta2']
>>> cat.reference[0]
'librosa.feature.mfcc / HTK MFCC_0'
"""

from __future__ import annotations

import functools
import importlib
import re
from dataclasses import dataclass, field
from typing import Any

#: modules holding the catalogue of each family of sets
FAMILY_MODULES: tuple[str, ...] = (
    "emofeat.extractors._catalogue_mfcc",
    "emofeat.extractors._catalogue_librosa",
    "emofeat.extractors._catalogue_paa",
    "emofeat.extractors._catalogue_prosody",
    "emofeat.extractors._catalogue_egemaps",
    "emofeat.extractors._catalogue_rqa",
    "emofeat.extractors._catalogue_eeg",
    "emofeat.extractors._catalogue_text",
)

KINDS = ("lld", "row", "functional")
#: channels of the representative EEG input: every kind of electrode pair occurs
EEG_CHANNELS = ("AF3", "AF4", "F3", "F4", "FC5", "CP5")

_PLACEHOLDERS = {
    "k": r"\d+",
    "q": r"\d+(?:\.\d+)?",
    "ch": r"[^_]+",
    "pair": r"[^_]+-[^_]+",
    "band": r"[A-Za-z0-9]+",
    "pitch": r"[A-G]#?",
    "desc": r"[A-Za-z0-9]*[a-z0-9]",
}
#: a channel or pair that ends a row feature's name may hold "_" ("EEG_F3", as some EDF
#: exports label electrodes), as nothing follows it; elsewhere, and before a frame-level
#: descriptor's functional, it may not ("rqa_eeg_det_rr_{ch}" beside "rqa_eeg_det_{ch}")
_LAST_PLACEHOLDERS = {"ch": r".+", "pair": r".+-.+"}
_FIELD = re.compile(r"\{(\w+)\}")


@dataclass(frozen=True)
class Descriptor:
    """One catalogue entry: a descriptor (or a family of them) of a feature set.

    Parameters
    ----------
    name : str
        Name pattern of the emitted feature(s), e.g. ``"{set}{k}_delta"``.
    unit : str
        Unit of the values (``"dB"``, ``"Hz"``, ``"1"`` for a dimensionless ratio, ...).
    definition : str
        The formula or algorithm in one or two sentences.
    kind : str
        ``"lld"``: a frame-level descriptor, one value per frame, summarised at the
        functionals level by the set's functionals (``<name>_<functional>``); ``"row"``: one
        value per input; ``"functional"``: a statistic the set computes over frames.
    params : tuple of str
        The extractor parameters that shape this descriptor (their defaults are read from
        ``get_params()``).
    reference : str
        The reference implementation it matches, or ``"none"``.
    agreement : str
        The measured agreement with the reference, and where it is tested.
    needs : dict
        Parameters under which the descriptor is emitted, when the default set does not emit
        it (e.g. ``{"kinds": ("abs", "rel", "db", "ratio")}``).
    """

    name: str
    unit: str
    definition: str
    kind: str = "lld"
    params: tuple[str, ...] = ()
    reference: str = "none"
    agreement: str = ""
    needs: dict[str, Any] = field(default_factory=dict)

    def pattern(self, set_name: str) -> str:
        """Regular expression (no anchors) of the names this entry stands for in a set."""
        out, pos = [], 0
        for m in _FIELD.finditer(self.name):
            out.append(re.escape(self.name[pos:m.start()]))
            key = m.group(1)
            if key == "set":
                out.append(re.escape(set_name))
            elif key in _PLACEHOLDERS:
                out.append(f"(?:{self.placeholder(key, m.end())})")
            else:
                raise ValueError(f"catalogue entry {self.name!r}: unknown placeholder {{{key}}}")
            pos = m.end()
        out.append(re.escape(self.name[pos:]))
        return "".join(out)

    def placeholder(self, key: str, end: int) -> str:
        """Regular expression of the placeholder ``key`` ending at ``end`` in the name."""
        if self.kind == "row" and end == len(self.name) and key in _LAST_PLACEHOLDERS:
            return _LAST_PLACEHOLDERS[key]
        return _PLACEHOLDERS[key]

    def display(self, set_name: str) -> str:
        """The name pattern with the set's name filled in."""
        return self.name.replace("{set}", set_name)


@dataclass(frozen=True)
class SetDoc:
    """The catalogue of one or more registered sets that share their descriptors.

    Parameters
    ----------
    sets : tuple of str
        Registry names documented by this entry.
    reference : str
        The reference tool of the set as a whole.
    agreement : str
        The set's measured agreement in one sentence.
    page : str
        The documentation page with the details (``"mfcc.md"``).
    descriptors : tuple of Descriptor
        Every descriptor, row feature and set-specific functional.
    uses_shared_functionals : bool
        Whether the set's frame-level descriptors are summarised by
        :mod:`emofeat.functionals` (its ``functionals`` parameter).
    notes : str
        Columns that appear only with optional inputs (your own lexicon files, ...), in words.
    """

    sets: tuple[str, ...]
    reference: str
    agreement: str
    page: str
    descriptors: tuple[Descriptor, ...]
    uses_shared_functionals: bool = True
    notes: str = ""


#: the statistics of :mod:`emofeat.functionals`, shared by every frame-level set
SHARED_FUNCTIONALS: tuple[Descriptor, ...] = (
    Descriptor("mean", "as the descriptor", "Arithmetic mean of the finite frames.",
               kind="functional", reference="numpy.mean"),
    Descriptor("std", "as the descriptor", "Population standard deviation (ddof=0).",
               kind="functional", reference="numpy.std"),
    Descriptor("var", "descriptor squared", "Population variance (ddof=0).",
               kind="functional", reference="numpy.var"),
    Descriptor("min", "as the descriptor", "Smallest finite frame value.", kind="functional"),
    Descriptor("max", "as the descriptor", "Largest finite frame value.", kind="functional"),
    Descriptor("range", "as the descriptor", "max - min.", kind="functional"),
    Descriptor("skew", "1", "Fisher-Pearson skewness, biased; 0 for a constant descriptor.",
               kind="functional", reference="scipy.stats.skew"),
    Descriptor("kurtosis", "1", "Excess kurtosis, biased; 0 for a constant descriptor.",
               kind="functional", reference="scipy.stats.kurtosis"),
    Descriptor("median", "as the descriptor", "The 50th percentile.", kind="functional",
               reference="numpy.median"),
    Descriptor("p{q}", "as the descriptor",
               "Percentile q in [0, 100] with linear interpolation (p1, p5, p25, ...).",
               kind="functional", reference="numpy.percentile"),
    Descriptor("iqr", "as the descriptor", "p75 - p25.", kind="functional"),
    Descriptor("slope", "descriptor per second",
               "Slope of the least-squares line over frame time in seconds.", kind="functional",
               reference="numpy.polyfit"),
    Descriptor("offset", "as the descriptor",
               "Value at time 0 (start of the input) of the least-squares line.",
               kind="functional", reference="numpy.polyfit"),
    Descriptor("valid_fraction", "1", "Share of frames whose value is finite.",
               kind="functional"),
    Descriptor("count", "frames", "Number of finite frames (tokens of a text, voiced frames).",
               kind="functional"),
    Descriptor("sum", "as the descriptor", "Sum over the finite frames.", kind="functional"),
)

_SHARED_TEST = "emofeat.functionals, tested against NumPy/SciPy in tests/test_functionals.py"


def set_docs() -> dict[str, SetDoc]:
    """The catalogue of every documented set, by registry name."""
    return dict(_set_docs())


@functools.lru_cache(maxsize=1)
def _set_docs() -> dict[str, SetDoc]:
    out: dict[str, SetDoc] = {}
    for module in FAMILY_MODULES:
        for doc in importlib.import_module(module).SETS:
            for name in doc.sets:
                if name in out:
                    raise ValueError(f"feature set {name!r} is documented twice")
                out[name] = doc
    return out


def _functional_entries(doc: SetDoc) -> list[Descriptor]:
    own = [d for d in doc.descriptors if d.kind == "functional"]
    return own + (list(SHARED_FUNCTIONALS) if doc.uses_shared_functionals else [])


def _alternation(patterns: list[str]) -> str:
    return "(?:" + "|".join(patterns) + ")" if patterns else "(?!)"


def name_matcher(set_name: str, doc: SetDoc | None = None):
    """A function telling, for one emitted feature name of ``set_name``, the catalogue entries
    that explain it (an empty list: the name is not catalogued)."""
    doc = doc or set_docs()[set_name]
    llds = [d for d in doc.descriptors if d.kind == "lld"]
    rows = [d for d in doc.descriptors if d.kind == "row"]
    fns = _functional_entries(doc)
    compiled = [(d, re.compile(d.pattern(set_name))) for d in llds + rows]
    fn_compiled = [(f, re.compile(f.pattern(set_name))) for f in fns]
    lld_alt = re.compile(_alternation([d.pattern(set_name) for d in llds]))

    def explain(name: str) -> list[Descriptor]:
        hits = [d for d, rx in compiled if rx.fullmatch(name)]
        if hits:
            return hits
        # <lld>_<functional>: try every split at an underscore
        for i in range(len(name) - 1, 0, -1):
            if name[i] != "_":
                continue
            head, tail = name[:i], name[i + 1:]
            fn = [f for f, rx in fn_compiled if rx.fullmatch(tail)]
            if fn and lld_alt.fullmatch(head):
                return [d for d, rx in compiled if d.kind == "lld" and rx.fullmatch(head)] + fn
        return []

    return explain


def emitted_names(set_name: str, level: str | None = None, **params: Any) -> list[str]:
    """Feature names a set emits at default parameters (plus ``params``) for a small
    representative input of its modality (EEG: channels AF3, AF4, F3, F4, FC5, CP5 at 128 Hz,
    so every kind of electrode pair occurs)."""
    from .registry import get_extractor

    ext = get_extractor(set_name, **params)
    if level is not None and "level" in ext.get_params(deep=False):
        ext.set_params(level=level)
    ext.fit(_representative_input(ext.modality))
    return [str(n) for n in ext.get_feature_names_out()]


def _representative_input(modality: str) -> list:
    import numpy as np

    if modality == "eeg":
        rng = np.random.default_rng(0)
        return [(rng.standard_normal((len(EEG_CHANNELS), 512)) * 1e-5, 128.0, EEG_CHANNELS)]
    if modality == "text":
        return ["I LOVE this!! :)", "not good at all..."]
    sr = 16000
    t = np.arange(sr) / sr
    return [((0.1 * np.sin(2 * np.pi * 150 * t)).astype(np.float32), sr)]


def _levels(set_name: str) -> tuple[str, ...]:
    from .registry import get_extractor

    ext = get_extractor(set_name)
    if "level" not in ext.get_params(deep=False):
        return ("functionals",)
    return tuple(getattr(ext, "levels", ("functionals",)))


@functools.cache
def _usage(set_name: str) -> tuple[tuple[str, ...], frozenset[int]]:
    """Emitted names of a set that no entry explains, and the indices (in its
    :class:`SetDoc`'s ``descriptors``) of the entries that explain at least one name."""
    doc = set_docs()[set_name]
    explain = name_matcher(set_name, doc)
    index = {id(d): i for i, d in enumerate(doc.descriptors)}
    used: set[int] = set()
    missing: list[str] = []
    for level in _levels(set_name):
        for n in emitted_names(set_name, level):
            hits = explain(n)
            if not hits:
                missing.append(f"{n} ({level})")
            used.update(index[id(d)] for d in hits if id(d) in index)
    for i, d in enumerate(doc.descriptors):
        if i in used or not d.needs:
            continue
        try:
            names = [n for lv in _levels(set_name)
                     for n in emitted_names(set_name, lv, **d.needs)]
        except (ValueError, TypeError):  # the condition does not apply to this set
            continue
        if any(d in explain(n) for n in names):
            used.add(i)
    return tuple(missing), frozenset(used)


def check_set(set_name: str) -> list[str]:
    """Emitted names of a registered set (every level, default parameters) that no catalogue
    entry explains; the whole set when it has no catalogue."""
    if set_name not in set_docs():
        return [f"{set_name}: the whole set (no catalogue)"]
    return list(_usage(set_name)[0])


def stale_entries(doc: SetDoc) -> list[str]:
    """Entries of a :class:`SetDoc` that explain no name emitted by any of its sets (at default
    parameters, or with the entry's ``needs``)."""
    used = set().union(*(_usage(s)[1] for s in doc.sets))
    return [d.display(doc.sets[0]) for i, d in enumerate(doc.descriptors) if i not in used]


def entries_of(set_name: str) -> list[Descriptor]:
    """The catalogue entries that describe names the set emits."""
    doc = set_docs()[set_name]
    used = _usage(set_name)[1]
    return [d for i, d in enumerate(doc.descriptors) if i in used]


def _param_text(set_name: str, names: tuple[str, ...]) -> str:
    from .registry import get_extractor

    params = get_extractor(set_name).get_params(deep=False)
    return ", ".join(f"{n}={params[n]!r}" for n in names if n in params)


def catalogue(set_name: str | None = None):
    """The feature catalogue as a table, one row per descriptor of every registered set.

    Parameters
    ----------
    set_name : str, optional
        Only this set.

    Returns
    -------
    pandas.DataFrame
        Columns ``set``, ``modality``, ``kind`` (``lld``, ``row`` or ``functional``),
        ``name`` (the pattern of the emitted names), ``unit``, ``definition``,
        ``parameters`` (with their defaults, read from the extractor), ``reference`` and
        ``agreement``.

    Examples
    --------
    >>> import emofeat
    >>> cat = emofeat.catalogue("eeg_hjorth")
    >>> cat.name.tolist()
    ['eeg_hjorth_activity_{ch}', 'eeg_hjorth_mobility_{ch}', 'eeg_hjorth_complexity_{ch}']
    """
    import pandas as pd

    from .registry import list_sets

    docs = set_docs()
    rows = []
    for modality, infos in list_sets().items():
        for info in infos:
            if set_name is not None and info.name != set_name:
                continue
            for d in entries_of(info.name) if info.name in docs else ():
                rows.append({
                    "set": info.name, "modality": modality, "kind": d.kind,
                    "name": d.display(info.name), "unit": d.unit,
                    "definition": d.definition,
                    "parameters": _param_text(info.name, d.params),
                    "reference": d.reference, "agreement": d.agreement,
                })
    if set_name is not None and not rows:
        raise ValueError(f"no catalogue for feature set {set_name!r}")
    return pd.DataFrame(rows, columns=["set", "modality", "kind", "name", "unit", "definition",
                                       "parameters", "reference", "agreement"])


# ------------------------------------------------------------------ rendering
def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _code(name: str) -> str:
    return f"`{name}`"


def _params_block(set_name: str) -> str:
    from .registry import get_extractor

    params = get_extractor(set_name).get_params(deep=False)
    return ", ".join(f"`{k}={v!r}`" for k, v in sorted(params.items()))


def describe_set(set_name: str) -> str:
    """A plain-text description of one set's catalogue (``emofeat sets --describe``)."""
    from .registry import _info

    info = _info(set_name)
    doc = set_docs().get(set_name)
    lines = [f"{set_name} ({info.modality}): {info.description}"]
    if doc is None:
        return "\n".join(lines + ["  (no catalogue entry)"])
    lines.append(f"  reference: {doc.reference}; agreement: {doc.agreement}")
    lines.append(f"  details: docs/{doc.page}")
    for d in entries_of(set_name):
        params = _param_text(set_name, d.params)
        lines.append(f"  {d.display(set_name)} [{d.unit}] ({d.kind}): {d.definition}"
                     + (f" Parameters: {params}." if params else ""))
    return "\n".join(lines)


def catalogue_markdown() -> str:
    """The catalogue page of the documentation, in MyST Markdown."""
    from .registry import list_sets

    docs = set_docs()
    out = [
        "# Feature catalogue",
        "",
        "Generated from the extractors when the documentation is built "
        "(`emofeat.feature_catalogue`; the metadata lives in "
        "`extractors/_catalogue_<family>.py` beside the code), so it lists exactly the features "
        "the installed version emits. Parameter values are the extractor's defaults "
        "(`get_params()`). `tests/test_catalogue.py` fails when a feature name lacks an entry "
        "or an entry matches no feature. In Python: `emofeat.catalogue()`; on the command "
        "line: `emofeat sets --describe`.",
        "",
        "Names are patterns: `{k}` an index, `{ch}` a channel, `{pair}` two channels `L-R`, "
        "`{band}` a frequency band, `{desc}` a descriptor, `{pitch}` a pitch class, `{q}` a "
        "percentile. *lld* entries are frame-level descriptors: at `level=\"lld\"` one value "
        "per frame, at "
        "`level=\"functionals\"` summarised as `<name>_<functional>`; *row* entries are one "
        "value per input.",
        "",
    ]
    titles = {"audio": "Speech and audio", "eeg": "EEG", "text": "Text"}
    for modality, infos in list_sets().items():
        out += [f"## {titles.get(modality, modality)}", ""]
        for info in infos:
            doc = docs.get(info.name)
            out += [f"### `{info.name}`", "", info.description + ".", ""]
            if doc is None:
                out += ["*No catalogue entry.*", ""]
                continue
            n = {lv: len(emitted_names(info.name, lv)) for lv in _levels(info.name)}
            counts = ", ".join(f"{v} at level `{k}`" for k, v in n.items())
            if modality == "eeg":
                counts += f" (for the {len(EEG_CHANNELS)} channels {', '.join(EEG_CHANNELS)})"
            out += [
                f"- **Reference:** {doc.reference}",
                f"- **Agreement:** {doc.agreement}",
                f"- **Features at default parameters:** {counts}",
                f"- **Details:** [{doc.page.removesuffix('.md')}]({doc.page})",
                f"- **Parameters (defaults):** {_params_block(info.name)}",
                *([f"- **Optional columns:** {doc.notes}"] if doc.notes else []),
                "",
                "| name | kind | unit | definition | parameters | reference | agreement |",
                "|---|---|---|---|---|---|---|",
            ]
            for d in entries_of(info.name):
                out.append("| " + " | ".join([
                    _code(d.display(info.name)), d.kind, _cell(d.unit), _cell(d.definition),
                    _cell(_param_text(info.name, d.params)), _cell(d.reference),
                    _cell(d.agreement),
                ]) + " |")
            out.append("")
    out += [
        "## Shared functionals",
        "",
        "The statistics of `emofeat.functionals`, used by every frame-level set's "
        "`functionals` parameter; frames whose value is NaN (e.g. pitch of unvoiced frames) "
        f"are left out per descriptor. Reference: {_SHARED_TEST}.",
        "",
        "| name | unit | definition | reference |",
        "|---|---|---|---|",
    ]
    for f in SHARED_FUNCTIONALS:
        out.append(f"| {_code(f.name)} | {_cell(f.unit)} | {_cell(f.definition)} | "
                   f"{_cell(f.reference)} |")
    out.append("")
    return "\n".join(out)


if __name__ == "__main__":  # python -m emofeat.feature_catalogue > catalogue.md
    print(catalogue_markdown())
