"""The real FFT of a batch of frames: scipy's pocketfft, without importing ``scipy.fft``.

``scipy.fft.rfft(frames, axis=1)`` is a thin wrapper around the compiled function
``scipy.fft._pocketfft.pypocketfft.r2c`` (``scipy.fft._duccfft.pyduccfft.r2c`` since scipy
1.18, called alike). Importing the ``scipy.fft`` package, though, imports
``scipy.special`` and scipy's array-API layer (which touches every lazy NumPy submodule,
``numpy.f2py`` and ``numpy.testing`` included): 0.1-0.25 s of CPU, paid by every
``emofeat extract`` process before its first file, for a function that takes 0.2 ms a file.

:func:`rfft_rows` loads the compiled pocketfft module by itself (when ``scipy.fft`` is not
imported already) and calls it exactly as ``scipy.fft.rfft`` does (forward, no
normalisation, one thread), so the values are the same bit for bit (tested). Anything
unexpected (another scipy layout, a load error) falls back to ``scipy.fft.rfft``.
"""

from __future__ import annotations

import functools
import importlib.machinery
import importlib.util
import sys
from pathlib import Path
from typing import Any

import numpy as np

#: where scipy keeps its compiled FFT module: pocketfft up to scipy 1.17, ducc0's FFT (the
#: same author's successor, called the same way by ``scipy.fft``) since 1.18; without it the
#: fast path was off there and every command imported ``scipy.fft``
_NAMES = ("scipy.fft._pocketfft.pypocketfft", "scipy.fft._duccfft.pyduccfft")


def load_scipy_extension(name: str) -> Any | None:
    """The compiled scipy module ``name`` (``"scipy.fft._duccfft.pyduccfft"``) loaded by
    itself, without running the ``__init__`` of the packages above it; ``None`` when it is
    not where this scipy would keep it, or does not load.

    The module is not registered in ``sys.modules``: when its package is imported later,
    Python finds the extension it already initialised and hands out the same module.
    """
    if name in sys.modules:
        return sys.modules[name]
    try:
        spec = importlib.util.find_spec("scipy")  # finds the package, runs none of it
        if spec is None or not spec.submodule_search_locations:
            return None
        *parts, leaf = name.split(".")[1:]
        folder = Path(next(iter(spec.submodule_search_locations))).joinpath(*parts)
        for suffix in importlib.machinery.EXTENSION_SUFFIXES:
            path = folder / f"{leaf}{suffix}"
            if path.is_file():
                break
        else:
            return None
        # the full name: the module's init function is found by its last part
        loader = importlib.machinery.ExtensionFileLoader(name, str(path))
        mod_spec = importlib.util.spec_from_file_location(name, str(path), loader=loader)
        module = importlib.util.module_from_spec(mod_spec)
        loader.exec_module(module)
        return module
    except Exception:  # noqa: BLE001 - any surprise: the caller imports the usual way
        return None


@functools.cache
def _pocketfft() -> Any | None:
    """scipy's compiled FFT module (pocketfft's, or ducc0's since scipy 1.18: :data:`_NAMES`),
    or ``None`` to go through ``scipy.fft``."""
    for name in _NAMES:
        module = load_scipy_extension(name)
        if callable(getattr(module, "r2c", None)):
            return module
    return None


def rfft_rows(frames: np.ndarray, overwrite_x: bool = True) -> np.ndarray:
    """``scipy.fft.rfft(frames, axis=1)`` of a C-contiguous real 2-D array (float32 stays
    complex64), bit for bit.

    ``overwrite_x``: whether ``frames`` may be destroyed (only where ``scipy.fft`` serves the
    call; the compiled module's own call never writes to its input).
    """
    pf = _pocketfft()
    if pf is None or frames.ndim != 2 or frames.shape[1] < 1:
        import scipy.fft

        return scipy.fft.rfft(frames, axis=1, overwrite_x=overwrite_x)
    # scipy.fft.rfft's own call: axes, forward, norm "backward" (0), a new output, 1 worker
    return pf.r2c(frames, (1,), True, 0, None, 1)


def irfft_rows(spec: np.ndarray, n: int) -> np.ndarray:
    """``scipy.fft.irfft(spec, n=n, axis=1)`` of a C-contiguous complex 2-D array whose rows
    hold ``n // 2 + 1`` bins, bit for bit."""
    pf = _pocketfft()
    if (pf is None or spec.ndim != 2 or spec.shape[1] != n // 2 + 1
            or not np.iscomplexobj(spec) or not callable(getattr(pf, "c2r", None))):
        import scipy.fft

        return scipy.fft.irfft(spec, n=n, axis=1)
    # scipy.fft.irfft's own call: axes, n, backward, norm "backward" (1/n: mode 2), a new
    # output, 1 worker
    return pf.c2r(spec, (1,), int(n), False, 2, None, 1)


def next_fast_len_real(n: int) -> int:
    """``scipy.fft.next_fast_len(n, real=True)``: the smallest length >= ``n`` the real FFT
    transforms fastest."""
    good_size = getattr(_pocketfft(), "good_size", None)
    if not callable(good_size):
        import scipy.fft

        return int(scipy.fft.next_fast_len(n, real=True))
    return int(good_size(int(n), True))
