"""Counts in messages and reports, worded in the singular for one."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

__all__ = ["NFC_NAMES_SINCE", "alike_in_nfc", "clock_seconds", "counted", "names_shown",
           "noun", "too_few_samples"]


def counted(n: Any, one: str, many: str | None = None) -> str:
    """``n`` and the noun, singular for 1 only: ``'1 fold'``, ``'2 folds'``, ``'? folds'``.

    Parameters
    ----------
    n : int or str
        The count (``'?'`` where it is not known: plural).
    one : str
        The noun in the singular.
    many : str, optional
        The plural, where it is not ``one + 's'`` (``'class'``, ``'classes'``).
    """
    return f"{n} {noun(n, one, many)}"


def noun(n: Any, one: str, many: str | None = None) -> str:
    """The noun alone, singular for 1 only, for messages that give the count elsewhere or
    not at all: ``noun(1, 'channel')`` is ``'channel'``, ``noun(2, 'a class', 'classes')``
    ``'classes'``.

    Parameters
    ----------
    n : int or str
        The count (``'?'`` where it is not known: plural).
    one : str
        The words for one.
    many : str, optional
        The words for several, where they are not ``one + 's'``.

    Returns
    -------
    str
        ``one`` or ``many``.
    """
    return one if n == 1 else many or one + "s"


def clock_seconds(t: float, rounded: str = "nearest") -> str:
    """A time in seconds as a message gives it to be typed back: to the microsecond, the
    trailing zeros trimmed (``'3'``, ``'720.667968'``), so that it names one sample at any
    rate under 500 kHz (``'%.6g'`` gave ``'720.669'``, a sample past the end offered).

    Parameters
    ----------
    t : float
        Seconds.
    rounded : {'nearest', 'down', 'up'}
        To the nearest microsecond, or down or up to one: an "end it by" time down and a
        "start it at" time up, so that the time given stays within the samples offered.
    """
    import math

    us = round(float(t) * 1e6, 3)  # the float's own error (2.9999999999999996) is no step
    us = {"down": math.floor, "up": math.ceil}.get(rounded, round)(us)
    out = f"{us / 1e6:.6f}".rstrip("0").rstrip(".")
    return "0" if out == "-0" else out


def too_few_samples(n: int, rate: float) -> str:
    """``'1 sample (0.004 s at 256 Hz) is too short'``, ``'2 samples (...) are too short'``:
    the start of an EEG set's refusal of a signal too short for it."""
    return (f"{counted(n, 'sample')} ({n / rate:.3g} s at {rate:g} Hz) "
            f"{noun(n, 'is', 'are')} too short")


#: when EEG channel names began to go into feature columns in NFC (2d33c2d): a model fitted,
#: an output or a table written before may hold a name decomposed that now comes composed
NFC_NAMES_SINCE = "2026-12-06 03:58 UTC"


def alike_in_nfc(first: Iterable[Any], other: Iterable[Any]) -> bool:
    """Whether a name of ``other`` differs from one of ``first`` but is the same name in
    Unicode's composed form (NFC): the two print alike (``'Fe\\u0301'``, ``'F\\xe9'``)."""
    import unicodedata

    composed = {unicodedata.normalize("NFC", str(n)): n for n in first}
    return any(composed.get(unicodedata.normalize("NFC", str(n)), n) != n for n in other)


def names_shown(names: Sequence[Any], apart: bool | None = None) -> str:
    """A list of names for a message, each by ``ascii()`` where ``apart`` (names printing
    alike in it: :func:`alike_in_nfc`), else by ``repr()``; ``apart=None``: by ``ascii()``
    where a name is not ASCII (one might hide a combining mark or an invisible character)."""
    if apart is None:
        apart = not all(str(n).isascii() for n in names)
    return "[" + ", ".join((ascii if apart else repr)(n) for n in names) + "]"
