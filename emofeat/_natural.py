"""Natural order of ids read as text: numbers in them compared by value."""

from __future__ import annotations

import re

__all__ = ["natural_key"]


def natural_key(value: object) -> list:
    """Sort key of a group id read as text, numbers in it by value: speakers ``3`` before
    ``10``, ``Actor_2`` before ``Actor_10`` (text order put ``10`` first)."""
    parts = re.split(r"(\d+)", str(value))
    return [int(p) if i % 2 else p for i, p in enumerate(parts)]
