"""glibc's free heap bytes after an 8 MB array is freed: what ``keep_freed_memory`` changes.

Kept to ctypes and NumPy so that a probe process importing it has a heap of its own making.
"""

from __future__ import annotations

import ctypes

import numpy as np


class _MallInfo2(ctypes.Structure):
    _fields_ = [(n, ctypes.c_size_t) for n in ("arena", "ordblks", "smblks", "hblks", "hblkhd",
                                               "usmblks", "fsmblks", "uordblks", "fordblks",
                                               "keepcost")]


def has_mallinfo2() -> bool:
    """Whether this C library is glibc >= 2.33 (``mallinfo2``)."""
    try:
        ctypes.CDLL("libc.so.6").mallinfo2  # noqa: B018
    except (OSError, AttributeError):
        return False
    return True


def freed_heap_bytes() -> int:
    """Free bytes in glibc's heap after an 8 MB array is made and freed."""
    libc = ctypes.CDLL("libc.so.6")
    libc.mallinfo2.restype = _MallInfo2
    a = np.ones(1 << 20)
    del a
    return int(libc.mallinfo2().fordblks)
