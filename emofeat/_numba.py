"""Numba set-up shared by every kernel module.

Kernel modules import :func:`njit` from here instead of from Numba, so that the cache location
is settled before the first kernel is decorated. Importing this module imports Numba but
compiles nothing: kernels compile on first call (or in :func:`emofeat.warmup`) and are cached
on disk (``cache=True``).

Numba caches next to the source (``__pycache__``). When the install is read-only (system
site-packages, containers, some clusters; librosa#1099), the cache goes to the first writable
of ``$EMOFEAT_CACHE_DIR``, the user cache directory, and the temporary directory.
"""

from __future__ import annotations

import functools
import os
import tempfile
from pathlib import Path

import numba

_PACKAGE_DIRS = (
    Path(__file__).resolve().parent,
    Path(__file__).resolve().parent.parent / "extractors",
)


def is_writable(folder: Path) -> bool:
    """Whether files can really be created in ``folder`` (created if missing).

    Tries to write, rather than trusting ``os.access``, which says yes to root on read-only
    mounts.
    """
    try:
        folder.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=folder, prefix=".emofeat-probe-"):
            pass
    except OSError:
        return False
    return True


def choose_cache_dir(source_dirs: tuple[Path, ...] = _PACKAGE_DIRS) -> Path | None:
    """Return the folder Numba should cache in, or ``None`` to keep its in-tree default."""
    if os.environ.get("NUMBA_CACHE_DIR"):
        return Path(os.environ["NUMBA_CACHE_DIR"])
    existing = [d for d in source_dirs if d.exists()]
    if existing and all(is_writable(d / "__pycache__") for d in existing):
        return None
    candidates = []
    if os.environ.get("EMOFEAT_CACHE_DIR"):
        candidates.append(Path(os.environ["EMOFEAT_CACHE_DIR"]) / "numba")
    xdg = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    candidates.append(Path(xdg) / "emofeat" / "numba")
    uid = os.getuid() if hasattr(os, "getuid") else "user"
    candidates.append(Path(tempfile.gettempdir()) / f"emofeat-numba-{uid}")
    for folder in candidates:
        if is_writable(folder):
            return folder
    return None  # nothing writable: Numba will warn and run without a disk cache


@functools.cache
def configure_cache() -> Path | None:
    folder = choose_cache_dir()
    if folder is not None:
        numba.config.CACHE_DIR = str(folder)
    return folder


configure_cache()


def njit(*args, **kwargs):
    """``numba.njit`` with emofeat's defaults: ``cache=True``, ``nogil=True``.

    fastmath stays off by default (it would let results drift from the reference
    implementations); a kernel may ask for reassociation alone to vectorise a reduction.
    """
    kwargs.setdefault("cache", True)
    kwargs.setdefault("nogil", True)
    return numba.njit(*args, **kwargs)


def cold_kernels(kernels: tuple[str, ...] | list[str]) -> list[str]:
    """The kernels that have no usable disk cache yet (they will compile on first use).

    ``kernels``: ``"package.module:kernel_a,kernel_b"`` entries (a bare module name means all
    its kernels). Imports the modules (Numba) but compiles nothing.
    """
    import importlib

    from numba.core.registry import CPUDispatcher

    cold = []
    for entry in kernels:
        name, _, wanted = entry.partition(":")
        module = importlib.import_module(name)
        names = wanted.split(",") if wanted else list(vars(module))
        for attr in names:
            obj = getattr(module, attr)
            if not isinstance(obj, CPUDispatcher) or obj._cache is None:
                continue
            try:
                warm = bool(obj._cache._cache_file._load_index())  # empty when stale or absent
            except (AttributeError, OSError):  # pragma: no cover - Numba internals moved
                warm = True
            if not warm:
                cold.append(f"{name}.{attr}")
    return cold
