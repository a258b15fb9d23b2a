"""Counts in messages and reports, worded in the singular for one."""

from __future__ import annotations

from typing import Any

__all__ = ["counted", "noun", "too_few_samples"]


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


def too_few_samples(n: int, rate: float) -> str:
    """``'1 sample (0.004 s at 256 Hz) is too short'``, ``'2 samples (...) are too short'``:
    the start of an EEG set's refusal of a signal too short for it."""
    return (f"{counted(n, 'sample')} ({n / rate:.3g} s at {rate:g} Hz) "
            f"{noun(n, 'is', 'are')} too short")
