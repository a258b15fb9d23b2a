"""Counts in messages and reports, worded in the singular for one."""

from __future__ import annotations

from typing import Any

__all__ = ["counted"]


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
    return f"{n} {one if n == 1 else many or one + 's'}"
