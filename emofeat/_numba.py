"""Numba set-up shared by every kernel module.

Kernel modules import :func:`njit` from here instead of from Numba, so that the cache location
is settled before the first kernel is decorated. Importing this module imports Numba but
compiles nothing: kernels compile on first call (or in :func:`emofeat.warmup`) and are cached
on disk (``cache=True``).

Where the cache goes (:func:`choose_cache_dir`): ``$NUMBA_CACHE_DIR`` when it is set and
writable; else next to the source (``__pycache__``) when the install is writable; else the
first usable of ``$EMOFEAT_CACHE_DIR/numba``, the user cache directory
(``$XDG_CACHE_HOME`` or ``~/.cache``, then ``emofeat/numba``) and
``<temporary folder>/emofeat-numba-<uid>``; else a private folder of this process
(``tempfile.mkdtemp``, removed at exit; the processes it starts use it too); else no disk
cache at all (kernels compile in every process). A read-only install (system site-packages,
containers, some clusters; librosa#1099) or a read-only ``$NUMBA_CACHE_DIR`` therefore never
stops a run.

Numba's cache files, and emofeat's cache of Numba's runtime (:mod:`emofeat.cli`), are
pickles: whoever can write the folder can run code in every process that loads it. Folders
the user named (``$NUMBA_CACHE_DIR``, ``$EMOFEAT_CACHE_DIR``) are taken as named. The folders
emofeat picks itself must be the user's own (POSIX): the user cache folder must be owned by
this user and not writable by others (group-writable is accepted: a umask of 002 makes it
so), and no folder above it may be writable by others without the sticky bit; the shared
temporary folder, whose name anyone can predict, must be a real folder (not a symbolic
link) owned by this user and writable by nobody else, in a temporary folder where others
cannot replace it (sticky, as ``/tmp``), and is made with mode 0700. A folder that fails is
not used (with a one-line warning naming it and why). Windows: nothing is checked.
"""

from __future__ import annotations

import functools
import os
import stat
import tempfile
from pathlib import Path

import numba

_PACKAGE_DIRS = (
    Path(__file__).resolve().parent,
    Path(__file__).resolve().parent.parent / "extractors",
)

#: this user's id (``None`` on Windows, where no ownership is checked)
_UID: int | None = os.getuid() if hasattr(os, "getuid") else None

#: set by a process that fell back from the usual folders (a warning, or a private folder),
#: for the processes it starts (the compiling child, loky workers): the folder it chose, so
#: that they reuse its private folder and do not repeat its warning
_HANDOFF = "EMOFEAT_NUMBA_CACHE_FALLBACK"

#: private folders made by this process (removed when it exits)
_MADE_HERE: dict[str, int] = {}

#: False when no folder at all could hold a disk cache: :func:`njit` then compiles without
_DISK_CACHE = True


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


def _write_bits(group: bool) -> int:
    """The mode bits by which others (and, with ``group``, the group) may write a folder."""
    return (stat.S_IWGRP | stat.S_IWOTH) if group else stat.S_IWOTH


def _open_to_others(st: os.stat_result, group: bool) -> bool:
    """Whether others (and, with ``group``, the group) may create or rename entries in a
    folder: writable by them, without the sticky bit that keeps them to their own entries."""
    return bool(st.st_mode & _write_bits(group)) and not st.st_mode & stat.S_ISVTX


def _parents_problem(folder: Path, group: bool) -> str | None:
    """Why a folder above ``folder`` lets someone else replace it (``None``: none does)."""
    for parent in folder.absolute().parents:
        try:
            st = os.stat(parent)
        except OSError:
            continue  # not there (yet): made by us below, or the folder is not writable
        if _open_to_others(st, group):
            return f"{parent} above it is writable by others (mode {stat.S_IMODE(st.st_mode):o})"
    return None


def _mode_problem(st: os.stat_result, group: bool) -> str | None:
    if st.st_uid != _UID:
        return f"it is owned by uid {st.st_uid}, not by this user (uid {_UID})"
    if st.st_mode & _write_bits(group):
        who = "its group or others" if group else "others"
        return f"it is writable by {who} (mode {stat.S_IMODE(st.st_mode):o})"
    return None


def user_dir_problem(folder: Path) -> str | None:
    """Why the user cache folder ``folder`` (existing) may not hold the cache, or ``None``:
    it must be a folder owned by this user, not writable by others, under no folder writable
    by others without the sticky bit. Group-writable is accepted (a umask of 002). Symbolic
    links are followed (``~/.cache`` may live elsewhere). Nothing is checked on Windows."""
    if _UID is None:
        return None
    try:
        st = os.stat(folder)
    except OSError as exc:
        return f"it cannot be examined ({exc.strerror})"
    if not stat.S_ISDIR(st.st_mode):
        return "it is not a folder"
    return _mode_problem(st, group=False) or _parents_problem(folder, group=False)


def _own_problem(folder: Path) -> str | None:
    """Why the shared folder itself (made 0700 when missing) may not hold the cache."""
    try:
        os.mkdir(folder, 0o700)
    except FileExistsError:
        pass
    except OSError as exc:
        return f"it cannot be made ({exc.strerror})"
    try:
        st = os.lstat(folder)
    except OSError as exc:
        return f"it cannot be examined ({exc.strerror})"
    if stat.S_ISLNK(st.st_mode):
        return "it is a symbolic link"
    if not stat.S_ISDIR(st.st_mode):
        return "it is not a folder"
    return _mode_problem(st, group=True)


def shared_dir_problem(folder: Path) -> str | None:
    """Why ``folder``, a name anyone can predict in a folder anyone can write (the temporary
    folder), may not hold the cache, or ``None``: it must be a real folder (not a symbolic
    link) owned by this user and writable by nobody else, in a folder where others cannot
    replace it (sticky, like ``/tmp``). Made with mode 0700 when missing (another process
    making it meanwhile is fine: it is then examined like any). A problem of the folder itself
    (not of the folder above it) says that removing it has it made anew. Nothing is checked
    on Windows."""
    if _UID is None:
        return None
    problem = _parents_problem(folder, group=True)
    if problem:
        return problem
    problem = _own_problem(folder)
    # made by someone else, or by hand: emofeat makes it again, mode 700
    return problem and f"{problem} (remove it to have it made anew)"


def _inherited_private_dir(rejected: Path) -> Path | None:
    """The private folder of the process that started this one (:data:`_HANDOFF`), if it
    still is one: a real folder owned by this user, open to nobody else, writable, and not
    the shared folder (``rejected``) this process has just found unsafe."""
    named = os.environ.get(_HANDOFF)
    if not named or Path(named) == rejected:
        return None
    folder = Path(named)
    try:
        st = os.lstat(folder)
    except OSError:
        return None
    if not stat.S_ISDIR(st.st_mode) or (_UID is not None and (
            st.st_uid != _UID or st.st_mode & (stat.S_IRWXG | stat.S_IRWXO))):
        return None
    return folder if is_writable(folder) else None


def choose_cache_dir(source_dirs: tuple[Path, ...] = _PACKAGE_DIRS,
                     problems: list[str] | None = None) -> Path | None:
    """Return the folder Numba should cache in, or ``None`` to keep its in-tree default.

    The chain is the module's (above). A private folder, made when nothing else is usable,
    is kept in :data:`_MADE_HERE`. ``problems`` receives a sentence for each folder passed
    over that the user should hear about: a ``$NUMBA_CACHE_DIR`` or ``$EMOFEAT_CACHE_DIR``
    that cannot be written, a folder emofeat picks that is not safe, or the lack of any
    lasting folder. Raises ``OSError`` when not even a private folder can be made.
    """
    problems = [] if problems is None else problems
    numba_dir = os.environ.get("NUMBA_CACHE_DIR")
    if numba_dir:
        if is_writable(Path(numba_dir)):
            return Path(numba_dir)
        problems.append(f"NUMBA_CACHE_DIR={numba_dir} is not writable")
    else:
        existing = [d for d in source_dirs if d.exists()]
        if existing and all(is_writable(d / "__pycache__") for d in existing):
            return None
    if os.environ.get("EMOFEAT_CACHE_DIR"):
        folder = Path(os.environ["EMOFEAT_CACHE_DIR"]) / "numba"
        if is_writable(folder):
            return folder
        problems.append(f"EMOFEAT_CACHE_DIR: {folder} is not writable")
    xdg = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    folder = Path(xdg) / "emofeat" / "numba"
    if is_writable(folder):  # else a read-only home: the usual case of containers, quietly
        problem = user_dir_problem(folder)
        if problem is None:
            return folder
        problems.append(f"{folder} is not safe: {problem}")
    folder = Path(tempfile.gettempdir()) / f"emofeat-numba-{_UID if _UID is not None else 'user'}"
    problem = shared_dir_problem(folder)
    if problem is None and is_writable(folder):
        return folder
    problems.append(f"{folder} is not writable" if problem is None else
                    f"{folder} is not safe: {problem}")
    folder = _inherited_private_dir(folder)
    if folder is None:
        folder = Path(tempfile.mkdtemp(prefix="emofeat-numba-"))  # mode 0700, a new name
        _MADE_HERE[str(folder)] = os.getpid()
    problems.append(f"no lasting folder for compiled kernels: caching in {folder} for this "
                    "run only (set EMOFEAT_CACHE_DIR to a writable folder of your own)")
    return folder


def _remove_private_dir(folder: str, pid: int) -> None:
    """At exit: remove a private cache folder, in the process that made it only (a forked
    child exits without exit handlers; one that runs them leaves its parent's folder)."""
    if os.getpid() == pid:
        import shutil

        shutil.rmtree(folder, ignore_errors=True)


@functools.cache
def configure_cache() -> Path | None:
    """Settle Numba's cache folder once a process (:func:`choose_cache_dir`), and warn, on
    one line, about folders passed over (not again in the processes this one starts)."""
    global _DISK_CACHE
    problems: list[str] = []
    try:
        folder = choose_cache_dir(problems=problems)
    except OSError as exc:  # not even a private folder
        folder, _DISK_CACHE = None, False
        problems.append(f"no folder at all for compiled kernels ({exc.strerror or exc}): "
                        "they compile in every process")
    if folder is not None:
        numba.config.CACHE_DIR = str(folder)
        if str(folder) in _MADE_HERE:
            import atexit

            atexit.register(_remove_private_dir, str(folder), _MADE_HERE[str(folder)])
    if problems:
        said = os.environ.get(_HANDOFF)
        if said is None or said != str(folder):  # the parent said it, for the same folder
            import logging

            if folder is not None and not any(str(folder) in p for p in problems):
                problems.append(f"caching in {folder}")
            logging.getLogger("emofeat.cache").warning("emofeat: Numba cache: %s",
                                                       "; ".join(problems))
        if folder is not None:
            os.environ[_HANDOFF] = str(folder)
    return folder


configure_cache()


def lasting_cache() -> str | None:
    """Where compiled kernels are kept for later runs (a folder, or ``"next to the installed
    modules"``), or ``None`` when they are not: a private folder of this run (nothing
    lasting was writable or safe, :func:`choose_cache_dir`) or no disk cache at all."""
    folder = configure_cache()
    if not _DISK_CACHE:
        return None
    if folder is None:
        return "next to the installed modules"
    # the private folder is made (and removed at exit) by the command's own process, the one
    # that says where kernels are kept
    return None if str(folder) in _MADE_HERE else str(folder)


def njit(*args, **kwargs):
    """``numba.njit`` with emofeat's defaults: ``cache=True``, ``nogil=True``.

    fastmath stays off by default (it would let results drift from the reference
    implementations); a kernel may ask for reassociation alone to vectorise a reduction.
    Without any folder for a disk cache, kernels compile without one (Numba would refuse to
    decorate them: "no locator available").
    """
    kwargs.setdefault("cache", True)
    kwargs.setdefault("nogil", True)
    if not _DISK_CACHE:
        kwargs["cache"] = False
    return numba.njit(*args, **kwargs)


def read_own_file(path: Path) -> bytes:
    """The bytes of a cache file that this user's processes wrote: a regular file (a symbolic
    link is not followed) owned by this user or root and not writable by others; otherwise
    ``PermissionError``. For pickles read from a cache folder (POSIX; Windows: any file)."""
    flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_BINARY", 0)
    fd = os.open(path, flags)
    with os.fdopen(fd, "rb") as f:
        st = os.fstat(fd)
        if _UID is not None and (not stat.S_ISREG(st.st_mode) or st.st_uid not in (_UID, 0)
                                 or st.st_mode & stat.S_IWOTH):
            raise PermissionError(f"{path}: not a file of this user's")
        return f.read()


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
