"""Numbers versions (:attr:`emofeat.extractor.Extractor.numbers_version`): which sets two
recorded extractions computed with other numbers for the same parameters, in words shared by
the store's refusal, ``FeatureTable.concat`` and a model's warnings."""

from __future__ import annotations

from typing import Any

__all__ = ["installed_changes", "numbers_changes", "numbers_differ", "sets_named",
           "sets_said"]


def numbers_changes(old_sets: Any, new_sets: Any) -> list[tuple[str, int, int]]:
    """The sets both descriptions hold whose ``numbers_version`` differs (absent: 0), as
    ``(name, old, new)``: the same parameters give other numbers there.

    Parameters
    ----------
    old_sets, new_sets : list of dict
        The ``sets`` of two provenances or run configs (``name``, ``numbers_version``).

    Returns
    -------
    list of tuple
        In ``new_sets``' order; empty when none differs.
    """
    def versions(sets: Any) -> dict[str, int]:
        if not isinstance(sets, (list, tuple)):
            return {}
        return {d["name"]: int(d.get("numbers_version") or 0) for d in sets
                if isinstance(d, dict) and isinstance(d.get("name"), str)}

    old, new = versions(old_sets), versions(new_sets)
    return [(name, old[name], v) for name, v in new.items() if name in old and old[name] != v]


def installed_changes(sets: Any) -> list[tuple[str, int, int]]:
    """The sets of ``sets`` (a provenance's or run config's) that the installed emofeat
    computes at another numbers version, as ``(name, recorded, installed)``: an output of
    them is not resumed here. A set this emofeat does not register, or registers to another
    class, is left out (:func:`emofeat.registry.installed_numbers_version`); nothing is
    imported for emofeat's own sets."""
    from .registry import installed_numbers_version

    out = []
    for d in sets if isinstance(sets, (list, tuple)) else ():
        if not isinstance(d, dict):
            continue
        now = installed_numbers_version(d.get("name"), d.get("class"))
        try:
            old = int(d.get("numbers_version") or 0)
        except (TypeError, ValueError):
            continue
        if now is not None and now != old:
            out.append((d["name"], old, now))
    return out


def sets_said(changes: list[tuple[str, int, int]]) -> str:
    """``"the lexicon set's"``, ``"the lexicon and text_surface sets'"`` (:func:`sets_named`
    of the changes' names)."""
    return sets_named([name for name, _, _ in changes])


def sets_named(names: list[str]) -> str:
    """The possessive of sets named: ``"the prosody set's"``, ``"the prosody and paa
    sets'"``, ``"the mfcc, prosody and paa sets'"`` (``"the prosody set's and the paa
    set's change"`` was said until session 57)."""
    if len(names) < 2:
        return f"the {''.join(names)} set's"
    return f"the {', '.join(names[:-1])} and {names[-1]} sets'"


def numbers_differ(changes: list[tuple[str, int, int]]) -> str:
    """``"lexicon numbers version 0 vs 1"`` (``, text_surface ...`` for several)."""
    return ", ".join(f"{name} numbers version {old} vs {new}" for name, old, new in changes)
