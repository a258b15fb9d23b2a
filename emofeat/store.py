"""Where a batch extraction writes: parts that survive a crash, and resume.

A run writes its results shard by shard. Each shard becomes one *part* (a parquet file in a
dataset folder, an Arrow IPC file in the parts folder of a single-file output), written under a
temporary hidden name and renamed into place (``os.replace``, atomic on POSIX and Windows), so
a run killed at any moment leaves whole parts and, at worst, a stray temporary file that the
next run removes. Every part records in its metadata which inputs it holds, keyed by path, size,
modification time and, for manifest segments, ``start``/``end``.

Two layouts:

``dataset`` (a folder)
    ``out/part-<first input>-<run>.parquet`` files plus ``out/_common_metadata`` (the schema with
    the emofeat metadata: feature names, identity columns, provenance) and
    ``out/_emofeat_run.json`` (the parameters the folder was made with). Any parquet reader
    reads the folder as one table (files starting with ``_`` or ``.`` are ignored).
``file`` (one ``.parquet`` file)
    Parts go to ``<out>.parts/`` while the run goes on and are merged, streaming, into
    ``<out>`` at the end (temporary file, then rename), with the rows already there, in input
    order (the new rows of inputs that failed or changed go to their positions); the folder
    is then removed. These parts are nobody else's to read, so they are Arrow IPC files
    (``part-*.arrow``, uncompressed: a tenth of a parquet part's cost to write and to read
    back, memory-mapped at the end), their input keys in a last, empty record batch's
    metadata. Parquet parts (``part-*.parquet``, what earlier versions wrote there) are read
    as well, so an output interrupted by one version resumes with another.

Resume: opening an existing output with the same parameters returns the keys already done, and
the run skips them. Opening it with other parameters raises :class:`ParameterMismatchError`
(``overwrite=True`` starts afresh instead): one table never mixes two configurations. Nor two
sets of feature columns: where the names come from the data (EEG sets name theirs by the
channels of the first recording they read), a run whose names are not the output's (in any
order) raises :class:`FeatureNamesMismatchError` before anything is written, instead of
rewriting the output without the columns it lacks.

Overwrite: the output being replaced stays as it was, readable, until the new one is complete.
A file output's parts folder holds :data:`SUPERSEDED_FILE` (the file there is neither read nor
merged, only replaced by the rename at the end); a dataset folder's new parts go to a staging
folder beside it, ``<out>.overwrite``, renamed into the output's place at the end (the old
folder renamed to ``<out>.replaced`` first, then removed). A run killed on the way is continued
by the next run on the output without ``overwrite`` (with it, started again): the marker, or
the staging folder, says that the old rows are not to be kept.
"""

from __future__ import annotations

import collections
import contextlib
import functools
import hashlib
import json
import logging
import os
import re
import shutil
import stat
import uuid
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any

from ._numbers import installed_changes, numbers_changes, sets_named, sets_said
from ._version import __version__
from ._wording import NFC_NAMES_SINCE, alike_in_nfc, counted, names_shown
from .errors import option
from .table import METADATA_KEY, _jsonable, _refuse_repeated_columns

log = logging.getLogger("emofeat.store")

DONE_KEY = b"emofeat_done"
#: a part's metadata key for the libraries its shard used (emofeat._libraries), written with
#: its keys: a run interrupted before it recorded them in the output's provenance
LIBRARIES_KEY = b"emofeat_libraries"
#: the key, in ``_common_metadata``'s emofeat metadata, of the number of inputs the dataset
#: folder held when its run finished (:func:`_check_parts`)
HELD_INFO = "n_inputs_held"
#: the key, in ``_common_metadata``'s emofeat metadata, of the names of the parts the folder
#: held when its run finished: a part not listed is an interrupted run's (a copy or a clock
#: cannot change a name, as it can a modification time; :meth:`FeatureStore._unfinished`)
FINISHED_INFO = "finished_parts"
#: the provenance entry (and the run file's) saying what an output's relative paths are
#: relative to: ``{"folder": the working folder of the runs that wrote them,
#: "folder_from_output": that folder relative to the output's}`` (:func:`relative_folder`)
RELATIVE_PATHS = "relative_paths"
RUN_FILE = "_emofeat_run.json"
#: what is said of an output whose run stopped before its first part: inputs may have been
#: extracted, but rows reach the output only a part (up to chunk_size inputs) at a time
NOTHING_SAVED = ("before it had saved any rows (rows are saved a part at a time), so nothing "
                 "is kept")


def nothing_saved_yet(holder: str | None) -> str:
    """What the readers say of an output whose run has saved no part yet: of a run that
    holds its lock now (``holder``, :func:`writing_now`), that it has saved no rows yet;
    else that it was interrupted (or is still running) before it saved any. 'still writing
    it (pid ...) before it had saved any rows, so nothing is kept yet' was said of a run
    going on until session 57 C2."""
    if holder:
        return (f"a run into it is still writing it ({holder}) and has saved no rows yet "
                "(rows are saved a part at a time)")
    return f"a run into it was interrupted (or is still running) {NOTHING_SAVED} yet"
#: what :func:`relative_folder` gives for an output of an older emofeat (no folder
#: recorded) whose relative paths do not name, from the working folder, the files it holds:
#: no folder is recorded, the run's relative paths are stored absolute, and a held relative
#: path is taken for a listed file only where size and modification time agree (never
#: removed as changed)
NO_FOLDER = "<not recorded>"
#: what a dataset folder's parts are being renamed and split into (FeatureStore._reorder_parts):
#: there while that goes on, finished by the next run if it was interrupted
REORDER_FILE = "_emofeat_reorder.json"
COMMON_METADATA = "_common_metadata"
PART_PREFIX = "part-"
TMP_PREFIX = ".tmp-"
#: in the parts folder of a file output: its parts are those of a run with ``overwrite``, so
#: the file there (the output they replace) is neither read nor merged, only replaced at the end
SUPERSEDED_FILE = "_emofeat_overwrite.json"

#: the first (and last) bytes of a parquet file
PARQUET_MAGIC = b"PAR1"
#: the names of the files emofeat writes in a parts folder or a dataset folder (prefixes)
OURS = (PART_PREFIX, TMP_PREFIX, RUN_FILE, COMMON_METADATA, REORDER_FILE, SUPERSEDED_FILE)
#: beside a dataset folder that a run with ``overwrite`` replaces: the new folder while the
#: run goes on (complete, to be renamed into place, once it has ``_common_metadata``), and the
#: old one while it is removed
STAGING_SUFFIX, REPLACED_SUFFIX = ".overwrite", ".replaced"
#: suffixes of parts: parquet (dataset folders; file outputs of earlier versions) and Arrow
#: IPC (the parts of a file output, merged at the end)
PARQUET, ARROW = ".parquet", ".arrow"
#: the names of a parquet file output, in any case (``f.parquet``, ``f.pq``, ``F.PARQUET``): one
#: rule for its layout, its errors table's name and whether ``overwrite`` may replace it
PARQUET_SUFFIXES = (PARQUET, ".pq")
#: rows and bytes of one row group of a merged file at most (a table of functionals is one)
MERGED_ROWS, MERGED_BYTES = 65_536, 64 << 20
#: parts whose reader the merge keeps open from the key scan to the rows (each holds a file
#: descriptor; the parts beyond are opened again: a run of many parts stays far below
#: the usual limit of 1,024 open files)
KEEP_OPEN_PARTS = 128

InputKey = tuple  # (path, size, mtime_ns, start, end)
Node = tuple[int, int, int, int]  # a file: (st_dev, st_ino, st_size, st_mtime_ns)


class ParameterMismatchError(ValueError):
    """The output exists and was made with other extraction parameters.

    Parameters
    ----------
    message : str
        The refusal, with its advice.
    reason : str, optional
        What differs, in words, without the refusal's advice ('made with other extraction
        parameters: mfcc sr: 8000 there, 16000 now'), for a caller that acts on it rather
        than refusing (a run that starts an output without rows again).
    """

    def __init__(self, message: str, reason: str | None = None) -> None:
        super().__init__(message)
        self.reason = reason


class FeatureNamesMismatchError(ParameterMismatchError):
    """The output exists with other feature columns than the run would write (same
    parameters, names learnt from other data: the channels of EEG recordings)."""


class ColumnTypeMismatchError(ParameterMismatchError):
    """The output holds a label or id column with values of another type than this run's
    (text against numbers, decimals against whole numbers): rows of both in one output made
    a dataset folder no reader could read, or a file run fail on pyarrow's words."""


class OutputLockedError(ValueError):
    """Another run is writing to the same output."""


class OutputNotWritableError(ValueError):
    """The output's lock file cannot be created beside it: its folder is not writable (no
    permission, a read-only file system, a folder such as ``/proc`` that takes no files)."""


class OutputLock:
    """An advisory lock on an output, held by one run at a time.

    ``fcntl.flock`` on ``<output>.lock``: the kernel releases it when the holder exits, even by
    SIGKILL, so a lock is never stale on a local file system; the file holds the holder's pid,
    host and start time for the message a second run prints. Without ``fcntl`` (Windows) runs
    are not locked.
    """

    def __init__(self, path: Path) -> None:
        self.path = path
        self._fh = None
        #: the folders a file output's parts links lead to, locked with it (hold_folder)
        self._folders: dict[str, int] = {}

    def acquire(self) -> None:
        if self._fh is not None:
            # held already: handed on by the store of the same run (an output without rows
            # started again under the lock that found it so)
            return
        try:
            import fcntl
        except ImportError:  # pragma: no cover - Windows
            log.warning("no advisory locks on this platform: do not run two extractions "
                        "into %s at once", self.path)
            return
        import datetime as dt
        import socket

        try:
            # a file or a broken link where the folder goes: mkdir's reason is "File exists",
            # which read as the lock file's; opening it gives the way's own ("Not a directory")
            with contextlib.suppress(FileExistsError):
                self.path.parent.mkdir(parents=True, exist_ok=True)
            fh = open(self.path, "a+")  # noqa: SIM115 - held open for the run's lifetime
        except OSError as exc:
            # the first file a run writes: pyarrow's or Python's bare "[Errno 13] Permission
            # denied: '/sys/kernel/xd.parquet.lock'" named a file the user never asked for
            import errno

            folder = self.path.parent
            # the folder's fault only where the system says so and nothing on the way is:
            # a name too long, a folder in the lock file's place, a broken link there or
            # a file on the way said "the folder ... is not writable" too (/proc: ENOENT)
            why = blocked_path(self.path) or (
                f"the folder {folder} is not writable; give an output in a folder you can "
                "write to" if exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS,
                                            errno.ENOENT)
                else "give another output")
            raise OutputNotWritableError(
                f"cannot write {self.path.with_suffix('')}: cannot create its lock file "
                f"{self.path} beside it ({exc.strerror or exc}): {why}") from exc
        try:
            fcntl.flock(fh.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            fh.seek(0)
            owner = fh.read().strip() or "unknown"
            fh.close()
            raise OutputLockedError(
                f"another emofeat run is writing to {self.path.with_suffix('')} ({owner}); "
                "wait for it to finish, or stop it, then run again (it resumes)") from None
        fh.seek(0)
        fh.truncate()
        fh.write(f"pid {os.getpid()} on {socket.gethostname()}, since "
                 f"{dt.datetime.now().isoformat(timespec='seconds')}")
        fh.flush()
        self._fh = fh

    def hold_folder(self, folder: Path, output: Path) -> None:
        """Lock, for as long as the output's lock, the folder that ``folder`` (a file output's
        parts folder that is a symbolic link) leads to: two outputs whose parts links lead to
        the same folder (``a.parquet.parts`` and ``b.parquet.parts -> scratch/x``) have two
        lock files, and a run into each at once took the other's parts for those of an
        interrupted run of its own, and its merge removed them (review RB4, session 58).
        ``fcntl.flock`` on the folder itself: no file is added to it. Where the system
        refuses that lock for another reason than its being held, the run goes on with the
        output's lock alone, as before."""
        if self._fh is None:
            return  # no lock at all (Windows), or none held
        import fcntl

        real = os.path.realpath(folder)
        if real in self._folders:
            return  # held already: handed on by the store of the same run
        try:
            fd = os.open(real, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
        except OSError:
            return  # not a folder: left to the open's own checks
        # the plain parts folder of another output (a.parquet.parts -> b.parquet.parts),
        # whose run locks its output only (review RB5 of ea57e4bb): that output's lock
        theirs = real[:-len(".parts")] if real.endswith(".parts") else None
        try:
            if theirs is not None and _lock_file(theirs) != self.path and writing_now(theirs):
                raise BlockingIOError
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(fd)
            raise OutputLockedError(
                f"cannot write {output}: its parts folder {folder} is a symbolic link to "
                f"{os.readlink(folder)}, where another emofeat run is writing its parts now; "
                f"wait for it to finish, or link {folder} to a folder of its own") from None
        except OSError:
            os.close(fd)
            return
        self._folders[real] = fd

    def check_folder(self, folder: Path, output: Path) -> None:
        """Refuse a file output's plain parts ``folder`` while another run holds its lock
        (:meth:`hold_folder`: that run's own parts folder is a symbolic link to this one),
        read from the kernel's table of locks, as :func:`writing_now`: no lock is taken on
        a plain parts folder. A run into each at once went on together in one folder
        (review RB5 of ea57e4bb)."""
        if self._fh is None:
            return  # no lock at all (Windows), or none held
        try:
            st = os.stat(folder)
            with open("/proc/locks") as fh:
                table = fh.read()
        except OSError:
            return  # no folder yet (a link to it is refused as broken), or not Linux
        if _flock_holder(table, st) is not None:
            raise OutputLockedError(
                f"cannot write {output}: another emofeat run is writing into its "
                f"parts folder {folder} now, through a symbolic link to it; wait "
                "for it to finish, then run again")

    def release(self) -> None:
        for fd in self._folders.values():
            os.close(fd)  # closing releases the flock
        self._folders = {}
        if self._fh is not None:
            self._fh.close()  # closing releases the flock
            self._fh = None


def writing_now(output: str | os.PathLike) -> str | None:
    """The run that holds ``output``'s lock now, as its lock file names it (``pid 7841 on
    vm, since 2026-12-07T22:46:25``); ``None`` where none does or it cannot be told. Read
    from the kernel's table of locks (``/proc/locks``, Linux), which takes no lock: taking
    one to test would refuse a run starting at that instant. Elsewhere ``None``: the readers
    then say "interrupted, or still running" as before.

    ``output`` is resolved first: a run into a symbolic link locks its target's lock file
    (:class:`FeatureStore`), and ``.`` (a dataset folder read from inside it) has no name
    to add ``.lock`` to (``ValueError``, which ``emofeat info .`` raised until session 57
    C2)."""
    try:
        lock = _lock_file(output)  # ValueError: '/' has no name
        st = os.stat(lock)
        with open("/proc/locks") as fh:
            table = fh.read()
        holder = lock.read_text().strip()
    except (OSError, UnicodeDecodeError, ValueError):
        return None
    pid = _flock_holder(table, st, holder)
    return None if pid is None else holder or f"pid {pid}"


def _flock_holder(table: str, st: os.stat_result, holder: str = "") -> str | None:
    """The pid of the process holding a write flock on the file ``st`` in the kernel's table
    of locks (``/proc/locks``), or ``None``; ``holder``: the lock file's own line, whose pid
    confirms a lock on a device the kernel names otherwise than stat (a btrfs subvolume)."""
    for line in table.splitlines():
        # '1: FLOCK  ADVISORY  WRITE 7841 fe:00:3760248 0 EOF' ('1: -> FLOCK ...' waits)
        f = line.split()
        if len(f) < 6 or f[1] != "FLOCK" or f[3] != "WRITE" or f[5].count(":") != 2:
            continue
        major, minor, inode = f[5].split(":")
        try:
            same = int(inode) == st.st_ino and (
                os.makedev(int(major, 16), int(minor, 16)) == st.st_dev
                or holder.startswith(f"pid {f[4]} "))
        except (ValueError, OverflowError):  # a malformed line (os.makedev's range)
            continue
        if same:
            return f[4]
    return None


def folder_writer(folder: str | os.PathLike) -> tuple[str | None, str | None]:
    """The run writing now into ``folder`` (:func:`writing_now`), a dataset folder or a
    file output's ``.parts`` folder, and, where it is the output's run that holds the lock
    (a file output's parts folder is locked, and read, as its output), that output's path:
    as typed where ``folder`` is typed by its own name, else its resolved path (``.`` or a
    link typed: the folder's own name, resolved, says whose parts it is). ``(None, None)``
    where no run holds either lock or it cannot be told."""
    holder = writing_now(folder)
    if holder:  # its own lock first: a dataset output may be named '*.parts' too
        return holder, None
    output = parts_output(folder)
    holder = writing_now(output) if output is not None else None
    return holder, output if holder else None


def parts_output(folder: str | os.PathLike) -> str | None:
    """The file output whose parts ``folder`` holds, by its name (``OUT.parquet.parts``:
    ``OUT.parquet``): as typed where ``folder`` is typed by its own name (:func:`names_itself`),
    else beside its resolved path (``.`` or a link typed: the folder's own name, resolved,
    says whose parts it is; a link of the same name in another folder is not the output's
    folder, review RG), else beside the name typed where only that ends in ``.parts`` (a
    parts folder that is a link to a folder of another name: the run wrote through it).
    A link of the output's own name is written through too, by a run given the output
    beside it: that output where its run holds its lock, or where it has a lock file and
    the resolved one has none. ``None`` where neither name does (a folder named just
    ``.parts`` has no output's name). A trailing ``/`` or ``/.`` is not part of the name."""
    def named(name: str) -> bool:
        return name.endswith(".parts") and len(name) > len(".parts")

    typed = os.fspath(folder)
    while True:  # 'OUT.parquet.parts/.' typed: its '/.' cut, not 'rts/.' ('OUT.parquet.p')
        bare = typed.rstrip("/\\")
        bare = bare[:-2] if bare.endswith(("/.", "\\.")) else bare
        if bare in (typed, ""):
            break
        typed = bare
    real = Path(os.path.realpath(typed))
    own = typed[:-len(".parts")] if named(Path(typed).name) else None
    if not named(real.name) or names_itself(typed, real):
        return own
    resolved = str(real.with_name(real.name[:-len(".parts")]))
    # a link named as the output it is beside: a run given that output writes through it
    # too (review of 82931dca): that output where its run holds its lock, or where only it
    # has a lock file (a run was given it, none the resolved one)
    if own is not None and not writing_now(resolved) and (
            writing_now(own) or (not _lock_file(resolved).exists()
                                 and _lock_file(own).exists())):
        return own
    return resolved


def _lock_file(output: str | os.PathLike) -> Path:
    """The lock file of a run into ``output`` (:class:`FeatureStore`: beside the resolved
    path)."""
    out = Path(os.path.realpath(output))
    return out.with_name(out.name + ".lock")


def blocked_path(path: Path) -> str | None:
    """What on the way to ``path`` stops a file being made there, said as what it is, or
    ``None``: a symbolic link to nothing (``path`` itself, or a folder on the way), or a
    file where the way needs a folder (``-o notes.txt/out.parquet``)."""
    import errno

    try:
        for step in [*reversed(path.parents), path]:  # from the top down
            try:
                mode = os.stat(step).st_mode
            except OSError as exc:
                if not step.is_symlink():
                    return None  # not there: made by the run, or the system's reason
                to = os.readlink(step)
                if exc.errno == errno.ELOOP:
                    return (f"{step} is a symbolic link to {to}, which leads back to itself "
                            "(a loop of links); remove the link, or give another output")
                if step != path:  # a folder on the way: making its target mends it too
                    # a relative target is the link's folder's, not the working folder's
                    made = os.path.normpath(os.path.join(step.parent, to))
                    return (f"{step} is a symbolic link to {to}"
                            + (f" ({made})" if made != to else "")
                            + ", which does not exist (a broken link); make that folder, "
                            "remove the link, or give another output")
                return (f"{step} is a symbolic link to {to}, which does not exist and "
                        "cannot be made (a broken link); remove the link, or give another "
                        "output")
            if step != path and not stat.S_ISDIR(mode):
                return f"{step} is a file, not a folder; give an output in a folder"
    except OSError:  # cannot look: the system's reason is all there is to say
        return None
    return None


def link_loop(path: Path) -> str | None:
    """:func:`blocked_path`'s words where ``path`` is a symbolic link in a loop of links
    (``a.parquet -> b.parquet -> a.parquet``), else ``None``. Such an output has no target
    to write: ``run`` wrote a file in the link's place, and the command refused it as the
    errors table's namesake ('a.errors.csv ... is that of a.parquet too'; session 58)."""
    import errno

    try:
        os.stat(path)
    except OSError as exc:
        # the output's own link (a loop on its way is the lock file's: blocked_path)
        if exc.errno == errno.ELOOP and path.is_symlink():
            return blocked_path(path) or f"{path} is a loop of symbolic links"
    return None


#: the size and modification time in the key of a file that does not exist (:func:`input_key`)
MISSING = -1


def input_key(path: str, start: float | None = None, end: float | None = None) -> InputKey:
    """The resume key of one input: path, size, modification time (ns) and segment bounds.

    A file that does not exist gets size and time ``-1`` (it will fail and be retried).
    """
    try:
        st = os.stat(path)
        size, mtime = int(st.st_size), int(st.st_mtime_ns)
    except OSError:
        size, mtime = MISSING, MISSING
    return (str(path), size, mtime, _bound(start), _bound(end))


def file_identities(paths: Iterable[str], folder: str | None = None,
                    keys: Sequence[InputKey] | None = None,
                    named: Callable[[], Iterable[str]] | None = None) -> list[str]:
    """Each file path as one string however it is spelled: ``a.flac``, ``./a.flac``,
    ``sub/../a.flac`` and its absolute path give the normalised absolute path (relative paths
    read against ``folder``, default the working folder), and so does a symbolic link whose
    target is named too: it gives the target's real path (``os.path.realpath``) where that is
    the normalised path of one of ``paths`` (or of ``named()``: paths named elsewhere, such
    as an output's, normalised already), so a link and its listed target are one file. Two
    links to a target that is not named stay two: dataset tools that store identical content
    once (git-annex and DataLad, DVC's link cache, the Hugging Face hub cache) make two
    entries of one content two links to one hidden file, two entries of the dataset (their
    labels may differ). Paths of one file that are not links are one where they are one
    folder entry seen through two mounts (a bind mount: :func:`_one_file`). Hard links stay
    two: corpora deduplicated with ``hardlink``, ``jdupes -L`` or ``rdfind``, ``cp -al``
    backups, DVC's hard-link cache and git-annex's ``annex.thin`` make entries of one
    content hard links, each entry a recording of its own (their labels may differ).

    The real path of each folder is worked out once, and each file costs one ``lstat``, to
    tell whether it is a link itself (and which file it is): 4.7 ms for RAVDESS's 1,440
    files, 3.9 ms more than the normalised paths alone (``os.path.normpath``, which followed
    no link), against seconds to read the files. ``keys``: the paths' resume keys, made
    already (a ``stat`` each, which follows links): one file has one size and modification
    time, so only the paths that share theirs with another can be one file with it, and only
    those are resolved; the others are normalised, which costs no ``lstat`` (a rerun with
    nothing to do pays nothing for links). Such strings serve to compare these paths with
    one another only."""
    paths = list(paths)
    base = os.getcwd() if folder is None else folder
    nodes: list[Node | None] = []
    if keys is not None:
        shared = collections.Counter(k[1:3] for k in keys)
        if max(shared.values(), default=0) < 2:
            return _normalised(paths, base)
        alike = [i for i, k in enumerate(keys) if shared[k[1:3]] > 1]
        out = _normalised(paths, base)
        reals = _real_paths([paths[i] for i in alike], base, nodes)
        linked = [(i, real) for i, real in zip(alike, reals, strict=True) if real != out[i]]
        norm = out
    else:
        alike = None
        out = _real_paths(paths, base, nodes)
        reals = list(out)
        linked, norm = [], None
        join, normpath = os.path.join, os.path.normpath
        for i, (p, real) in enumerate(zip(paths, out, strict=True)):
            if real == p or real == f"{base}/{p}":  # the path as written: no link on it
                continue
            plain = normpath(join(base, p))
            if real != plain:  # a link on the way: the normalised path unless its target is
                out[i] = plain  # named (below)
                linked.append((i, real))
        if linked:
            norm = _normalised(paths, base)
    if linked:
        listed = set(norm)
        if named is not None:
            listed.update(named())
        for i, real in linked:
            if real in listed:
                out[i] = real
    files = [n for n in nodes if n is not None]
    if len(set(files)) < len(files):  # one file at two paths (hard links, mounts): rare
        at = range(len(paths)) if alike is None else alike
        ones = {at[i]: at[j] for i, j in _one_file(nodes, reals).items()}
        if ones:  # each name's string, and a link's that gave it, is its file's first one
            again = {out[i]: out[j] for i, j in ones.items()}
            out = [again.get(x, x) for x in out]
    return out


def _one_file(nodes: Sequence[tuple | None], reals: Sequence[str]) -> dict[int, int]:
    """Which paths name one folder entry with an earlier one: ``{i: j}``, ``j`` the first path
    of the entry ``i`` names. ``nodes``: each path's file, ``(st_dev, st_ino, st_size,
    st_mtime_ns, ...)`` (``None``: a link, missing, or an ``st_ino`` of 0; fields after are
    compared too: segment bounds); ``reals``: each path with its folder's real path.

    Paths of one file are one where they are one entry of one folder seen through two mounts
    (a bind mount): the folder's ``st_dev`` and ``st_ino``, and the name. Hard links are
    entries of their own, each a recording (deduplicated corpora, ``cp -al`` backups, DVC's
    hard-link cache, git-annex's ``annex.thin``: their labels may differ). File systems that
    give no inode numbers (``st_ino`` 0: some FUSE, 9p and CIFS mounts, and Windows) tell
    nothing: a file or folder of ``st_ino`` 0 is one of its own. Size and modification time
    are part of the key so that a file system reusing inode numbers cannot join two files
    that differ there. A ``stat`` of each folder holding such paths."""
    folders: dict[str, tuple] = {}

    def entry(i: int) -> tuple:
        where, name = os.path.split(reals[i])
        got = folders.get(where)
        if got is None:
            try:
                st = os.stat(where)
            except OSError:
                st = None
            got = folders[where] = ((where,) if st is None or not st.st_ino
                                    else (st.st_dev, st.st_ino))
        return (*got, name)

    groups: dict[tuple, list[int]] = {}
    for i, node in enumerate(nodes):
        if node is not None:
            groups.setdefault(node, []).append(i)
    out: dict[int, int] = {}
    for members in groups.values():
        if len(members) < 2:
            continue
        first: dict[tuple, int] = {}
        for i in members:
            j = first.setdefault(entry(i), i)
            if j != i:
                out[i] = j
    return out


def _real_paths(paths: list[str], base: str, nodes: list[Node | None] | None = None
                ) -> list[str]:
    """Each path's real path (``os.path.realpath``, relative ones read against ``base``):
    each folder resolved once, an ``lstat`` a file. ``nodes``: where each path's file,
    ``(st_dev, st_ino, st_size, st_mtime_ns)``, is appended (``None`` for a link, a missing
    file, or one whose file system gives no inode number, ``st_ino`` 0)."""
    if os.name != "posix":  # drives and UNC names: realpath's own rules
        if nodes is not None:
            nodes.extend(None for _ in paths)
        return [os.path.realpath(os.path.join(base, p)) for p in paths]
    real, lstat, is_link = os.path.realpath, os.lstat, stat.S_ISLNK
    folders: dict[str, str] = {}
    out = []
    append = out.append
    node = nodes.append if nodes is not None else None
    for p in paths:
        full = p if p[:1] == "/" else f"{base}/{p}"
        cut = full.rfind("/")
        name = full[cut + 1:]
        if name in ("", ".", ".."):  # 'a/..', 'a/': the whole path resolved
            append(real(full))
            if node is not None:
                node(None)
            continue
        head = full[:cut]
        parent = folders.get(head)
        if parent is None:
            parent = folders[head] = real(head or "/")
        path = f"{parent}/{name}" if parent != "/" else f"/{name}"
        try:
            st = lstat(path)
            link = is_link(st.st_mode)
        except OSError:  # missing: its own path (the run names it as listed)
            st, link = None, False
        if node is not None:
            node(None if link or st is None or not st.st_ino
                 else (st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns))
        # a link's target, itself resolved (a broken link: where it points)
        append(real(path) if link else path)
    return out


def _normalised(paths: list[str], base: str) -> list[str]:
    """The normalised absolute paths (links not followed; ``base``: the folder relative ones
    are read against, read once: ``abspath`` reads the working folder for every path)."""
    join, norm = os.path.join, os.path.normpath
    return [norm(join(base, p)) for p in paths]


#: identity column numbering the rows of a text that a manifest lists more than once
OCCURRENCE = "occurrence"
#: the identity column of the rows of signals given in memory in an output: their resume key
#: (``sha256:...``, ``#n`` for a repeat), by which a rerun finds their rows; their name
#: (``<array 3>``) and labels are then those of the current listing, like any manifest column
SIGNAL_KEY = "signal_key"
#: the name of a signal given in memory by its place (readers: ``<array 3>``, an MNE object
#: without a file ``<RawArray 3>``), which a rerun marks on the rows of a signal the current
#: list no longer holds
_PLACE = re.compile(r"<[A-Za-z_][A-Za-z0-9_]* [0-9]+>")
EARLIER_LIST = "of an earlier list"


def is_content_key(key0: Any) -> bool:
    """Whether the first field of a resume key is a hash of the input's content (a text, a
    signal given in memory), not a file's path."""
    return str(key0).startswith("sha256:")


def with_occurrence(key0: str, occurrence: Any) -> str:
    """The first element of a text's resume key for its ``occurrence``-th row (0: the key
    itself), so each row of a repeated text is an input of its own."""
    n = 0 if _missing(occurrence) else int(occurrence)
    return key0 if n == 0 else f"{key0}#{n}"


def _bound(x: float | None) -> float | None:
    if x is None:
        return None
    x = float(x)
    return None if x != x else round(x, 6)


def numbers_said(changes: list[tuple[str, int, int]], written: dict[str, Any]) -> str:
    """``changes`` (:func:`~emofeat._numbers.numbers_changes`) in words: ``"the lexicon set's
    numbers changed for the same parameters since these rows were computed (written
    2026-12-05 10:14 UTC; numbers version 0 there, 1 now)"``.

    ``written`` is what the output records of them: ``created`` (its date is named) and
    ``emofeat_version`` (named only where it is not the installed one: the version was not
    bumped when the numbers changed, so the installed one tells nothing).
    """
    if len(changes) == 1:
        how = f"numbers version {changes[0][1]} there, {changes[0][2]} now"
    else:
        how = "numbers versions " + "; ".join(f"{name} {old} there, {new} now"
                                              for name, old, new in changes)
    told = "; ".join(w for w in (_written_by(written), how) if w)
    return (f"{sets_said(changes)} numbers changed for the same parameters since these rows "
            f"were computed ({told})")


def _written_by(written: dict[str, Any]) -> str:
    """``'written 2026-12-05 10:14 UTC by emofeat 0.0.9'`` from a record's ``created`` and
    ``emofeat_version`` (named only where it is not the installed one); ``''`` if neither."""
    version = written.get("emofeat_version")
    by = f"by emofeat {version}" if version and version != __version__ else ""
    return " ".join(w for w in (_written_said(written.get("created")), by) if w)


def _written_said(created: Any) -> str:
    """``'written 2026-12-05 10:14 UTC'`` from a provenance's ``created``; ``''`` if none."""
    import datetime as _dt

    if not isinstance(created, str):
        return ""
    try:
        when = _dt.datetime.fromisoformat(created)
    except ValueError:
        return f"written {created}"
    if when.tzinfo is not None:
        when = when.astimezone(_dt.UTC)
    return f"written {when:%Y-%m-%d %H:%M}" + (" UTC" if when.tzinfo is not None else "")


def tail_rule_said(was: Any, now: Any) -> str:
    """Why windows whose segments' record lacks the one tail rule (recorded since 7ad05b3,
    applied since cc2283f) are not resumed or stacked with windows recorded now, where the
    rule is all the two records differ by: the parameters look the same to the user.
    ``''`` where that is not the difference. Also :meth:`FeatureTable.concat`'s reason.
    Recordings read whole (``was`` ``None``, ``now`` ``{"tail": seconds}``): the rule's
    short gap-free stretches (:attr:`emofeat.compute.TailRule.stretches_since`)."""
    from .compute import recorded_tail_rule

    if was is None and isinstance(now, dict) and list(now) == ["tail"]:
        rule = recorded_tail_rule(now["tail"])
        if rule is None or rule.stretches_since is None:
            return ""
        return ("written by an emofeat that did not record the tail rule for recordings read "
                f"whole (before {rule.stretches_since}); before that rule each set left out a "
                "short gap-free stretch by its own minimum (the tables of two sets did not "
                f"join), now {rule.stretches_said()} is left out whatever the set")
    if not (isinstance(was, dict) and isinstance(now, dict) and "tail" in now
            and "tail" not in was and {**was, "tail": now["tail"]} == now):
        return ""
    rule = recorded_tail_rule(now["tail"])
    if rule is None:  # a tail no rule of this emofeat records: not a difference it explains
        return ""
    return (f"written by an emofeat that did not record the tail rule (before {rule.since}); "
            "before that rule each set dropped a short tail window by its own minimum (the "
            f"tables of two sets did not join), now {rule.said()} is dropped whatever the set")


def _tail_rule_said(was: Any, now: Any) -> str:
    """:func:`tail_rule_said` as a sentence of the resume refusal."""
    said = tail_rule_said(was, now)
    return f" Its {'rows' if was is None else 'windows'} were {said}." if said else ""


def _classes(config: dict[str, Any]) -> dict[str, Any]:
    """Each set's recorded class (``module.Class``; ``None``: not recorded) by its name."""
    sets = config.get("sets")
    return {s["name"]: s.get("class") for s in sets if isinstance(s, dict)
            and isinstance(s.get("name"), str)} if isinstance(sets, list) else {}


def _moved(written: dict[str, Any], now: dict[str, Any]) -> frozenset[str]:
    """The sets that moved class within emofeat between an output's record (``written``) and
    this run's config (``now``): made now by the class registered to the name, recorded
    there under one of the name's former classes (:data:`registry._FORMER_CLASSES`:
    ``mfcc_htk`` was ``MFCC`` at numbers version 1, is ``MFCCHTK`` at 2), whose numbers
    versions the class now goes on from. Any other change of class is another computation
    (``MFCC.htk()`` against ``MFCC(convention="htk")``, a user's subclass), said as such."""
    from .registry import _FORMER_CLASSES, installed_class

    was = _classes(written)
    return frozenset(name for name, cls in _classes(now).items()
                     if cls is not None and cls == installed_class(name)
                     and was.get(name) in _FORMER_CLASSES.get(name, ()))


def _without_numbers(config: dict[str, Any],
                     moved: frozenset[str] = frozenset()) -> dict[str, Any]:
    """A run config (``sets``, ``level``, ``segments``) with its sets' numbers versions left
    out, and the class of the sets in ``moved`` (:func:`_moved`): equal to another's when
    only the numbers differ. The same command's output of ``mfcc_htk``'s former class was
    refused as one of 'other extraction parameters', naming none; leaving every set's class
    out made a truly different class (a user's subclass of ``MFCC`` at numbers version 3)
    pass for 'the same parameters'."""
    sets = config.get("sets")
    if isinstance(sets, list):
        sets = [{k: v for k, v in s.items() if k != "numbers_version"
                 and not (k == "class" and s.get("name") in moved)}
                if isinstance(s, dict) else s for s in sets]
    return {"sets": sets, "level": config.get("level"), "segments": config.get("segments")}


#: a list parameter longer than this is shown by its first and last values and its length
#: (:func:`value_shown`): mfcc's window as an array of 400 numbers made a line of 8,457
#: characters in ``emofeat info`` and a refusal of 16,434
LIST_SHOWN = 8


def value_shown(value: Any, text: Any = repr) -> str:
    """``value`` as ``text`` shows it (``repr``; ``str`` for ``emofeat info``; the items of
    a list, tuple or dict as ``repr``, as ``str`` shows them), a list or tuple of more than
    :data:`LIST_SHOWN` items, at any depth, by its first three items and its last with its
    length: ``[0.0, 6.199333200590518e-05, 0.0002479579553307798, ..., 0.0] (400 values)``."""
    if isinstance(value, list | tuple):
        items = [value_shown(v) for v in (
            value if len(value) <= LIST_SHOWN else (*value[:3], value[-1]))]
        if len(value) > LIST_SHOWN:
            items[3:3] = ["..."]
        close = "]" if isinstance(value, list) else (",)" if len(value) == 1 else ")")
        shown = ("[" if isinstance(value, list) else "(") + ", ".join(items) + close
        return shown + (f" ({len(value)} values)" if len(value) > LIST_SHOWN else "")
    if isinstance(value, dict):
        return "{" + ", ".join(f"{value_shown(k)}: {value_shown(v)}"
                               for k, v in value.items()) + "}"
    return text(value)


def _first_difference(x: Any, y: Any) -> str:
    """Where two long lists of one length (:data:`LIST_SHOWN`) first differ, for a refusal
    that shows them shortened, where that item is not shown: ``' (item 200 first differs:
    1.0 there, 0.5 now)'``."""
    if not (isinstance(x, list) and isinstance(y, list) and len(x) == len(y) > LIST_SHOWN):
        return ""
    i = next((i for i, (a, b) in enumerate(zip(x, y, strict=True)) if a != b), None)
    if i is None or i < 3 or i == len(x) - 1:
        return ""  # none, or one of the items shown
    return f" (item {i} first differs: {value_shown(x[i])} there, {value_shown(y[i])} now)"


def parameters_said(written: dict[str, Any], now: dict[str, Any], shown: int = 5,
                    numbers: dict[str, tuple[int, int]] | None = None,
                    notes: dict[str, str] | None = None) -> str:
    """The extraction parameters by which an output's record (``written``: its provenance or
    run config) and this run's config differ, each with both values: ``"mfcc n_mfcc: 13
    there, 20 now"``, ``"level 'functionals' there, 'lld' now"``, ``"sets egemaps there,
    mfcc now"``; ``''`` where none does (a record that holds no parameters). The
    fingerprints alone left the user to guess which parameter of dozens it was. A parameter
    or class one side does not record is said ``not recorded`` (it was said ``None``, a
    value the parameter may take).

    ``numbers`` (``{name: (there, now)}``) adds each set's change of numbers version after
    that set's parameters, ``"prosody: the same parameters, numbers version 1 there, 2
    now"`` where none of its parameters differs, ``"mfcc numbers version 1 there, 2 now"``
    where some do; ``notes`` (``{name: text}``) ends that item. At most ``shown``
    differences of parameters are said (the rest ``and N more``); every numbers version
    is. Until session 57 the
    numbers were said in a sentence of their own, ``Besides, the X set's numbers changed for
    the same parameters``, whatever that set's parameters."""
    def plain(x: Any) -> Any:  # as recorded: JSON's lists, numbers and strings
        return json.loads(json.dumps(_jsonable(x), sort_keys=True))

    moved = _moved(written, now)
    old, new = plain(_without_numbers(written, moved)), plain(_without_numbers(now, moved))
    said: list[str] = []
    numbers, notes = numbers or {}, notes or {}
    told: set[str] = set()  # the sets whose numbers are said
    versions: set[int] = set()  # the items of said that say a numbers version

    def by_set(sets: Any) -> dict[str, Any] | None:
        if not isinstance(sets, list) or not all(
                isinstance(d, dict) and isinstance(d.get("name"), str) for d in sets):
            return None
        # the class is compared with the set's parameters ("mfcc_htk class:
        # '...MFCCHTK' there, '...MFCC' now"): another class computes otherwise
        return {d["name"]: {"class": d["class"], **d["params"]}
                if "class" in d and isinstance(d.get("params"), dict) else d.get("params")
                for d in sets}

    a, b = by_set(old["sets"]), by_set(new["sets"])
    # each set records the level too: said once, as the output's
    same = set() if old["level"] == new["level"] else {"level"}
    if a is not None and b is not None:
        if list(a) != list(b):
            # the same sets in another order (--set prosody --set mfcc after --set mfcc
            # --set prosody): the keys compared equal as sets, and the refusal named no
            # difference
            order = (" (the same sets in another order, which the table's columns follow)"
                     if a.keys() == b.keys() else "")
            said.append(f"sets {', '.join(a) or 'none'} there, {', '.join(b) or 'none'} "
                        f"now{order}")
        # each set that both name is compared parameter by parameter (mfcc with n_mfcc 13
        # there, mfcc with 20 and prosody now said only the sets); the others are said by
        # name alone (their whole records, 1,467 characters for mfcc against prosody, told
        # the user nothing more)
        for name, x in a.items():
            if name not in b:
                continue
            y = b[name]
            before = len(said)
            if isinstance(x, dict) and isinstance(y, dict):
                said += [f"{name} {k}: {_recorded_shown(x, k)} there, {_recorded_shown(y, k)} "
                         f"now{_first_difference(x.get(k), y.get(k))}"
                         for k in sorted((x.keys() | y.keys()) - same)
                         if k not in x or k not in y or x[k] != y[k]]
            elif x != y:
                said.append(f"{name} parameters {value_shown(x)} there, {value_shown(y)} now")
            said += _files_said(name, old["sets"], new["sets"])
            if name in numbers:
                same_params = "" if len(said) > before else ": the same parameters,"
                versions.add(len(said))
                said.append(f"{name}{same_params} numbers version {numbers[name][0]} there, "
                            f"{numbers[name][1]} now{notes.get(name, '')}")
                told.add(name)
    elif old["sets"] is not None and old["sets"] != new["sets"]:
        # sets records of no known shape (edited by hand, another tool's): shown as they are
        said.append(f"sets {old['sets']!r} there, {new['sets']!r} now")
    for key in ("level", "segments"):
        if old[key] != new[key] and not (key == "segments"
                                         and tail_rule_said(old[key], new[key])):
            said.append(f"{key} {old[key]!r} there, {new[key]!r} now")
    for name, (was, is_) in numbers.items():
        if name not in told:
            versions.add(len(said))
            said.append(f"{name} numbers version {was} there, {is_} now{notes.get(name, '')}")
    # a set's numbers version is never left in 'and N more', nor counted in shown: no
    # parameter given to this run matches it (an older emofeat's output, its parameters
    # 'not recorded' six times, hid 'mfcc numbers version 0 there, 1 now')
    hidden = set([i for i in range(len(said)) if i not in versions][shown:])
    more = f"; and {len(hidden)} more" if hidden else ""
    return "; ".join(x for i, x in enumerate(said) if i not in hidden) + more


def _files_said(name: str, old_sets: list[Any], new_sets: list[Any]) -> list[str]:
    """Each file the set ``name`` reads in both records (``files``: ``{path: sha256}``, a
    lexicon given by its path) whose content differs: ``"lexicon file '/w/words.csv':
    content sha256 1f0c7ab2... there, 9d41e0c3... now"``; a path one side alone reads is a
    parameter of its own, said as one. Without it a set whose file was edited was said to
    have 'the same parameters' beside its numbers version."""
    def files(sets: list[Any]) -> dict[str, Any]:
        got = next((d.get("files") for d in sets if d.get("name") == name), None)
        return got if isinstance(got, dict) else {}

    a, b = files(old_sets), files(new_sets)
    return [f"{name} file {path!r}: content sha256 {str(a[path])[:8]}... there, "
            f"{str(b[path])[:8]}... now" for path in a if path in b and a[path] != b[path]]


def _recorded_shown(params: dict[str, Any], key: str) -> str:
    """A set's recorded parameter (or ``class``) ``key`` as a refusal shows it; ``not
    recorded`` where the record lacks it (a set record without a class, a parameter the
    emofeat that wrote it did not have), which ``None`` would misstate."""
    return value_shown(params[key]) if key in params else "not recorded"


def _numbers_as_declared(config: dict[str, Any]) -> dict[str, Any]:
    """``config`` (a run config or an output's record of one: ``sets``, ``level``,
    ``segments``) with each set's whole number given to a parameter its class declares
    ``float`` written as that float (``fmin`` 0 as 0.0, ``mel_norm`` 2 as 2.0): the same
    parameter, spelled otherwise on the command line or in Python. A bool stays a bool (True
    is no 1.0), a parameter declared ``int`` alone or not declared stays as given, and a set
    that is not installed under its recorded class is left as it is."""
    from .extractor import _declared_types
    from .registry import get_extractor

    sets = config.get("sets")
    if not isinstance(sets, list):
        return config
    out = []
    for entry in sets:
        params = entry.get("params") if isinstance(entry, dict) else None
        try:
            cls = type(get_extractor(entry["name"])) if isinstance(params, dict) else None
        except Exception:  # noqa: BLE001 - not installed (a plugin's set; its module or a
            # file its constructor reads missing: ImportError, OSError): compared as recorded,
            # so that the refusal naming the parameters is still given
            cls = None
        if cls is None or entry.get("class") != f"{cls.__module__}.{cls.__qualname__}":
            out.append(entry)
            continue
        declared = _declared_types(cls)
        out.append({**entry, "params": {
            k: float(v) if type(v) is int and k in declared and float in declared[k][0]
            else v for k, v in params.items()}})
    return {**config, "sets": out}


def fingerprint(config: dict[str, Any]) -> str:
    """A short stable hash of the extraction parameters (``config`` made JSON-safe)."""
    text = json.dumps(_jsonable(config), sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def is_parquet_name(path: str | os.PathLike) -> bool:
    """Whether ``path`` is named as a parquet file: it ends in one of
    :data:`PARQUET_SUFFIXES`, in any case.

    Parameters
    ----------
    path : str or os.PathLike

    Returns
    -------
    bool
    """
    return Path(path).suffix.lower() in PARQUET_SUFFIXES


def infer_layout(output: str | os.PathLike, layout: str = "auto") -> str:
    """``"file"`` or ``"dataset"``: ``auto`` means a folder unless the name ends in ``.parquet``
    or ``.pq`` (any case), or an existing file is there. A name written with a slash at its
    end (``feats.parquet/``, as Spark and Dask name their dataset folders) is a folder, as
    the slash says, unless a file is there already or the parts of a file output's
    unfinished run (``feats.parquet.parts/`` with its run file): that run is resumed."""
    if layout in ("file", "dataset"):
        return layout
    if layout != "auto":
        raise ValueError(f"layout must be 'auto', 'file' or 'dataset', got {layout!r}")
    p = Path(output)
    if p.is_dir():
        return "dataset"
    if p.is_file() or (p.name and (p.with_name(p.name + ".parts") / RUN_FILE).is_file()):
        # a file output, or the parts of its interrupted run: named 'feats.parquet/' on the
        # rerun, a new folder was begun beside them, every input extracted again
        return "file"
    # Path drops the slash: the name as given tells a folder
    if is_parquet_name(p) and not _folder_named(output):
        return "file"
    return "dataset"


def _folder_named(output: str | os.PathLike) -> bool:
    """Whether ``output`` is written with a folder separator at its end (``feats.parquet/``)."""
    name = os.fspath(output)
    ends = ("/", os.sep) if isinstance(name, str) else (b"/", os.fsencode(os.sep))
    return name.endswith(ends)


def _tag(key: InputKey) -> str:
    return json.dumps(list(key))


def _run_tag(parts: Iterable[Path] = ()) -> str:
    """A run's tag, which ends the names of the parts it writes: ``t``, the time it is made
    (nanoseconds, 16 hex digits) and 4 random hex digits. Parts of one number from two
    runs (an interrupted run's beside those of the runs before it) sort in the order the
    runs wrote them: with random tags they sorted by chance, and so did the rows of an input
    no longer listed, which go after the row before them in name order (``_merge_order``).
    The ``t`` sorts after the random hex tags of earlier versions, whose parts are older.

    The time is past that of the newest tag of ``parts`` (the parts already there): a clock
    behind that of the run before (another machine, a clock stepped back) would have put
    this run's parts before that run's, silently."""
    import time

    newest = max((t for p in parts if (t := _tag_time(p)) is not None), default=-1)
    return f"t{max(time.time_ns(), newest + 1):016x}{uuid.uuid4().hex[:4]}"


def _tag_time(part: Path) -> int | None:
    """The time of a part's run tag (:func:`_run_tag`); ``None``: not such a tag (a random
    one of an earlier version, or not a part)."""
    tag = part.name.rsplit(".", 1)[0].rsplit("-", 1)[-1]
    if len(tag) != 21 or tag[0] != "t":
        return None
    try:
        return int(tag[1:17], 16)
    except ValueError:
        return None


def _is_arrow(path: Path) -> bool:
    return path.suffix == ARROW


def _arrow_reader(path: Path):
    """An Arrow IPC file, memory-mapped (closed with the last reference to it)."""
    import pyarrow as pa
    import pyarrow.ipc as ipc

    return ipc.open_file(pa.memory_map(str(path)))


class UnreadableOutputError(ValueError):
    """A file of an output (the file itself, a part) that is not what emofeat wrote there:
    not parquet, empty, cut short. The message names it."""


def _overwrite() -> str:
    return option("overwrite=True", "--overwrite")


def _layout(name: str) -> str:
    return option(f"layout={name!r}", f"--format {name}")


def _unreadable(path: Path, exc: BaseException) -> UnreadableOutputError:
    """The error of an output file that cannot be read, naming it and what is wrong, in one
    line (pyarrow's messages name neither the file nor always the problem)."""
    why = " ".join(str(exc).split()) or type(exc).__name__
    try:
        if path.is_file() and path.stat().st_size == 0:
            why = "empty: 0 bytes"
    except OSError:
        pass
    kind = "an Arrow IPC part" if _is_arrow(path) else "a parquet file"
    where = ("a part of this output, perhaps cut short by a crash or a full disk; move it "
             "away and run again (its inputs are extracted again)"
             if path.name.startswith(PART_PREFIX) else
             "not an output emofeat wrote, or a damaged one; write to another output, or "
             f"pass {_overwrite()} to replace it")
    return UnreadableOutputError(f"{path}: cannot read it as {kind} ({why}): {where}")


def _replaceable(path: Path) -> bool:
    """Whether a file output may be read as emofeat's, and replaced by ``overwrite``, by its
    content, whatever its name: a parquet file (its magic number first: one cut short or
    damaged too) or the start of one (an output cut to 0..3 bytes). Not a file of another
    kind: ``-o *.wav`` (the output's name forgotten) makes the first recording the output,
    and the error's advice, ``--overwrite``, replaced it with the features of the others;
    a user's notes or a CSV named ``*.parquet`` by mistake were replaced too (until session
    52, a name ending in ``.parquet`` made any file replaceable)."""
    try:
        with open(path, "rb") as fh:
            return PARQUET_MAGIC.startswith(fh.read(4))
    except OSError:  # unreadable: not ours to remove
        return False


def _foreign_table(path: Path) -> bool:
    """Whether ``path`` is a readable parquet file without emofeat's metadata: someone's
    table (pandas, ``emofeat predict``'s predictions), never replaced, not even by
    ``overwrite`` (which replaced it until session 52). A file that cannot be read is not
    said to be one (an output cut short: :func:`_unreadable` says what to do)."""
    try:
        schema = _output_schema(path, keep=True)
    except (OSError, ValueError):
        return False
    return METADATA_KEY not in (schema.metadata or {})


def _foreign_part(folder: Path, first: bool = False) -> Path | None:
    """The first part (or schema file) of a dataset folder that is a readable parquet file
    without emofeat's metadata: a dataset another tool wrote (pyarrow's ``write_dataset``
    names its files ``part-0.parquet``), never replaced. ``None`` where there is none.
    ``first``: judge by the first readable file alone (a resume reads no more footers)."""
    import pyarrow.ipc as ipc
    import pyarrow.parquet as pq

    for part in [folder / COMMON_METADATA, *_part_files(folder)]:
        try:
            # pyarrow's write_dataset(format="ipc") names its files part-0.arrow
            meta = ((ipc.open_file(str(part)).schema if _is_arrow(part)
                     else pq.read_schema(part)).metadata or {})
        except (OSError, ValueError):  # absent, or damaged: emofeat's to replace
            continue
        if METADATA_KEY not in meta:
            return part
        if first:
            break
    return None


def _foreign_message(path: Path) -> str:
    """The refusal of a parquet file emofeat did not write as features, given as the output."""
    return (f"{path} exists and is no features table emofeat wrote (no emofeat metadata); not "
            f"touching it, even with {_overwrite()}; give another output")


def _read_done(part: Path, readers: dict[Path, Any] | None = None) -> list[InputKey]:
    """The input keys of a part or a parquet file (``readers``: where to keep the opened Arrow
    reader of a part, for :func:`_batches` to read its rows without opening it again).

    Raises
    ------
    UnreadableOutputError
        The file is not an Arrow or parquet file (empty, cut short, something else).
    """
    try:
        keys, names = _read_done_of(part, readers)
    except (OSError, ValueError) as exc:  # pyarrow.ArrowInvalid is a ValueError
        raise _unreadable(part, exc) from exc
    # a resume takes these keys as done and rewrites the source's rows by column name: a
    # column appended again (999.0) was kept, the run "up to date" (review of 8092f7a)
    if part.name.startswith(PART_PREFIX):
        _refuse_repeated_part_columns(part, names)
    else:
        _refuse_repeated_columns(names, f"{os.fspath(part)}: the file")
    return keys


def _read_done_of(part: Path, readers: dict[Path, Any] | None
                  ) -> tuple[list[InputKey], list[str]]:
    """The input keys of ``part`` and its column names, from one open of it."""
    meta, names = _read_part_meta(part, readers)
    return [tuple(k) for k in json.loads(meta.get(DONE_KEY, b"[]"))], names


def _read_part_meta(part: Path, readers: dict[Path, Any] | None
                    ) -> tuple[dict[bytes, bytes], list[str]]:
    """The closing metadata of ``part`` (its keys, :func:`_keys_metadata`) and its column
    names, from one open of it."""
    if _is_arrow(part):
        reader = _arrow_reader(part)
        if readers is not None and len(readers) < KEEP_OPEN_PARTS:
            readers[part] = reader
        meta = {}
        if reader.num_record_batches:  # the keys: the last (empty) batch's metadata
            _, meta = reader.get_batch_with_custom_metadata(reader.num_record_batches - 1)
        meta = meta or {}
        names = reader.schema.names
    else:
        import pyarrow.parquet as pq

        footer = pq.read_metadata(part)
        meta = footer.metadata or {}
        names = footer.schema.names  # the leaves': a name held twice is said by Arrow's
        if len(set(names)) != len(names):  # (1.6 ms on 663 columns, a third of the read)
            names = footer.schema.to_arrow_schema().names
    meta = dict(meta)
    _remember_libraries(part, meta)
    return meta, names


def _read_schema(path: Path):
    """The schema (with its metadata) of a part or a parquet file (an
    :class:`UnreadableOutputError` naming it when it is neither)."""
    try:
        if _is_arrow(path):
            return _arrow_reader(path).schema
        import pyarrow.parquet as pq

        return pq.read_schema(path)
    except (OSError, ValueError) as exc:
        raise _unreadable(path, exc) from exc


def _batches(path: Path, reader: Any = None):
    """The rows of a part or a parquet file, as tables of one row group or batch each
    (``reader``: the part's reader, opened already)."""
    import pyarrow as pa

    if _is_arrow(path):
        reader = _arrow_reader(path) if reader is None else reader
        for i in range(reader.num_record_batches):
            batch = reader.get_batch(i)
            if batch.num_rows:
                yield pa.Table.from_batches([batch])
        return
    import pyarrow.parquet as pq

    pf = pq.ParquetFile(path)
    for i in range(pf.num_row_groups):
        yield pf.read_row_group(i)


def _read_rows(path: Path):
    """A whole part or parquet file as one table, in memory (not mapped: it may be
    rewritten in place)."""
    if _is_arrow(path):
        import pyarrow as pa
        import pyarrow.ipc as ipc

        with pa.OSFile(str(path), "rb") as fh:
            return ipc.open_file(fh).read_all()
    import pyarrow.parquet as pq

    # the one file, not pq.read_table: that makes a ParquetDataset even of one file, which
    # imports pyarrow.dataset and pandas (0.2 s, in every rerun that checks the labels)
    with pq.ParquetFile(path) as pf:
        return pf.read()


def _plain_floats(schema) -> list[str]:
    """The columns worth dictionary encoding in parquet: identity columns (paths, labels),
    not float features (a dictionary of distinct floats costs time and bytes)."""
    import pyarrow as pa

    return [f.name for f in schema if not pa.types.is_floating(f.type)]


class _ArrowPart:
    """Writes a part as an Arrow IPC file: the tables, then an empty batch whose metadata
    holds the input keys (known once the tables are written)."""

    def __init__(self, path: Path, schema) -> None:
        import pyarrow as pa
        import pyarrow.ipc as ipc

        self.schema = schema
        self._sink = pa.OSFile(str(path), "wb")
        self._writer = ipc.new_file(self._sink, schema)
        self._empty = None

    def write_table(self, table) -> None:
        self._writer.write_table(table)
        if self._empty is None:
            batches = table.to_batches()
            if batches:  # an empty batch of the schema: a slice (5 ms from a pylist)
                self._empty = batches[0].slice(0, 0)

    def add_keys(self, keys: Sequence[InputKey], libraries: dict[str, str] | None = None
                 ) -> None:
        import pyarrow as pa

        empty = self._empty
        if empty is None:
            empty = pa.RecordBatch.from_pylist([], schema=self.schema)
        self._writer.write_batch(empty, custom_metadata={
            k.decode(): v for k, v in _keys_metadata(keys, libraries).items()})

    def close(self) -> None:
        try:
            self._writer.close()
        finally:
            self._sink.close()


class _ParquetPart:
    """Writes a part as a parquet file, the input keys in its file metadata."""

    def __init__(self, path: Path, schema) -> None:
        import pyarrow.parquet as pq

        self._writer = pq.ParquetWriter(path, schema, use_dictionary=_plain_floats(schema))

    def write_table(self, table) -> None:
        self._writer.write_table(table)

    def add_keys(self, keys: Sequence[InputKey], libraries: dict[str, str] | None = None
                 ) -> None:
        self._writer.add_key_value_metadata(
            {k.decode(): v for k, v in _keys_metadata(keys, libraries).items()})

    def close(self) -> None:
        self._writer.close()


def _keys_metadata(keys: Sequence[InputKey], libraries: dict[str, str] | None
                   ) -> dict[bytes, str]:
    """A part's closing metadata: its input keys, and the libraries its shard used."""
    out = {DONE_KEY: json.dumps([list(k) for k in keys])}
    if libraries:
        out[LIBRARIES_KEY] = json.dumps(libraries)
    return out


#: :data:`LIBRARIES_KEY` of the parts :func:`_read_part_meta` read, by path and
#: :func:`_signature`: the finalize takes an interrupted run's parts' libraries from the read
#: of their keys at the open instead of opening each part once more
_LIBRARIES_READ: dict[tuple[str, tuple[int, int, int]], bytes] = {}


def _remember_libraries(part: Path, meta: dict[bytes, bytes]) -> None:
    if len(_LIBRARIES_READ) > 4096:  # a long-lived process: forget the oldest runs' parts
        _LIBRARIES_READ.clear()
    try:
        _LIBRARIES_READ[(os.fspath(part), _signature(part))] = meta.get(LIBRARIES_KEY, b"{}")
    except OSError:
        pass


def part_libraries(part: Path) -> dict[str, str]:
    """The libraries a part's shard used (:data:`LIBRARIES_KEY`); ``{}`` for a part that
    records none (written before session 55) or cannot be read (said where it is read)."""
    try:
        raw = _LIBRARIES_READ.get((os.fspath(part), _signature(part)))
        if raw is None:
            raw = _read_part_meta(part, None)[0].get(LIBRARIES_KEY, b"{}")
        got = json.loads(raw)
    except (OSError, ValueError):
        return {}
    if not isinstance(got, dict):
        return {}
    return {k: v for k, v in got.items() if isinstance(k, str) and isinstance(v, str)}


class PartName(str):
    """A part's name (:meth:`FeatureStore.part_name`) that knows the position of each input
    of its shard, so that the part is named by the first one it holds (see
    :meth:`written`): when the first inputs of a shard fail, the part must not take their
    position, which the part of a later run that extracts them again takes (parts are read
    in name order; of two parts of one position, the part of the later run second: the
    inputs extracted again would follow those after them). Pickled with its positions to
    workers."""

    positions: dict[InputKey, int]

    def __new__(cls, name: str, positions: dict[InputKey, int]) -> PartName:
        self = super().__new__(cls, name)
        self.positions = positions
        return self

    def __reduce__(self):
        return (PartName, (str(self), self.positions))

    def written(self, keys: Sequence[InputKey]) -> str:
        """The name of a part holding ``keys``: its number the position of the first."""
        name = str(self)
        at = self.positions.get(tuple(keys[0])) if keys else None
        if at is None or not name.startswith(PART_PREFIX):
            return name
        rest = name[len(PART_PREFIX):].split("-", 1)
        return f"{PART_PREFIX}{at:0{len(rest[0])}d}-{rest[1]}" if len(rest) == 2 else name


def write_part(
    tables: Iterable[Any],
    schema: Any,
    part_dir: str | os.PathLike,
    name: str,
    keys: Sequence[InputKey],
    still_wanted: Callable[[], bool] = lambda: True,
    libraries: Callable[[], dict[str, str]] | None = None,
) -> Path | None:
    """Write one part atomically: a hidden temporary file, then a rename.

    Parameters
    ----------
    tables : iterable of pyarrow.Table
        The rows of the shard, one row group each, made while the part is written.
    schema : pyarrow.Schema
        Schema of the part, emofeat metadata included.
    part_dir : folder of the parts
    name : file name of the part (``.arrow``: an Arrow IPC file; otherwise parquet); a
        :class:`PartName` is numbered by the first input the part holds
    keys : the input keys the part holds, stored in its metadata once ``tables`` is
        exhausted (it may be filled while ``tables`` runs)
    still_wanted : callable
        Asked before the rename; ``False`` drops the part.
    libraries : callable, optional
        Called once ``tables`` is exhausted: the libraries the shard used
        (:mod:`emofeat._libraries`), stored with the keys, so that an output whose run was
        interrupted still names them.

    Returns
    -------
    Path or None
        The part, or ``None`` when ``tables`` held no rows (or the part was dropped).
    """
    part_dir = Path(part_dir)
    final = part_dir / name
    tmp = part_dir / f"{TMP_PREFIX}{name}.{os.getpid()}.{uuid.uuid4().hex[:8]}"
    kind = _ArrowPart if _is_arrow(final) else _ParquetPart
    writer = None
    try:
        for table in tables:
            if writer is None:
                writer = kind(tmp, schema)
            if not table.schema.equals(schema, check_metadata=False):
                table = table.cast(schema)  # e.g. a label column all missing in a shard
            writer.write_table(table.replace_schema_metadata(schema.metadata))
        if writer is None:
            return None
        writer.add_keys(keys, None if libraries is None else libraries())
        writer.close()
        writer = None
        with open(tmp, "rb") as fh:  # the data is on disk before the name says it is done
            os.fsync(fh.fileno())
        if not still_wanted():
            return None
        if isinstance(name, PartName):  # its first inputs may have failed
            final = part_dir / name.written(keys)
        os.replace(tmp, final)
    finally:
        if writer is not None:
            writer.close()
        if tmp.exists():
            tmp.unlink()
    return final


class FeatureStore:
    """The output of a batch run: a parquet file or a dataset folder, resumable.

    Parameters
    ----------
    output : path
        ``features.parquet`` (file layout) or ``features/`` (dataset layout).
    config : dict
        The extraction parameters that define the output (sets with their parameters, level,
        segments); their :func:`fingerprint` must match to resume.
    layout : {"auto", "file", "dataset"}
    overwrite : bool
        Replace an existing output instead of resuming: it stays as it was until the new one
        is complete (see the module's docstring), then goes; the parts of an interrupted run
        go at once.
    feature_names : sequence of str, optional
        The feature columns of this run's rows: :meth:`open` refuses an output holding
        others (:class:`FeatureNamesMismatchError`). ``None``: not checked.
    tail_moot : callable, optional
        ``tail_moot(sfreq)``: whether the run's sets give the same rows with and without
        the windows' tail rule at the output's recorded rate (``None`` where it recorded
        none), so that an output whose record differs only by lacking the rule is resumed
        (:func:`emofeat.compute.tail_rule_moot`). ``None``: such an output is refused.
    """

    def __init__(
        self,
        output: str | os.PathLike,
        config: dict[str, Any],
        *,
        layout: str = "auto",
        overwrite: bool = False,
        key_column: str | None = "path",
        feature_names: Sequence[str] | None = None,
        tail_moot: Callable[[float | None], bool] | None = None,
    ) -> None:
        self.output = Path(output)
        self.tail_moot = tail_moot
        if self.output.is_symlink():
            # the file or folder it names: written there (a file output replaced the link
            # with a file of its own, leaving the target as it was) and locked there (a run
            # given the target's own name took another lock file)
            self.output = Path(os.path.realpath(self.output))
        # the identity column holding the first field of every key (None: keys are content
        # hashes, which never change in place, so no row is ever dropped by key)
        self.key_column = key_column
        self.layout = infer_layout(output, layout)
        self.config = _jsonable(config)
        self.key = fingerprint(config)
        self.overwrite = overwrite
        self.feature_names = None if feature_names is None else list(feature_names)
        self.run_tag = _run_tag()
        if self.layout == "dataset":
            self.part_dir = self.output
        else:
            self.part_dir = self.output.with_name(self.output.name + ".parts")
        self.lock = OutputLock(self.output.with_name(self.output.name + ".lock"))
        # a file output: the parts are those of a run with overwrite (SUPERSEDED_FILE), the
        # file there is not this output's (set by open)
        self._replacing = False
        self._scanned: dict[Path, list[InputKey]] = {}  # keys of each source, by _scan
        # the keys _scan read, with each file's signature before it was read: finalize's
        # scan reads again only the files changed since (a finished rerun of a dataset
        # folder read every part's footer twice, 2 ms each)
        self._keys_read: Held = {}
        self._readers: dict[Path, Any] = {}  # the parts' open readers, during finalize only
        #: identity columns this run writes in another type than the rows held: decimals
        #: where they are whole numbers, any where they are blank
        #: (:func:`with_written_types`): a dataset folder's parts of them are rewritten
        self.widened: set[str] = set()
        # this run's input keys in input order (given to open): where re-extracted rows go
        self._current: list[InputKey] | None = None
        #: this run's input keys (file paths) held under another spelling of their file:
        #: the key held, which the run uses for the input (set by open)
        self.aliases: dict[InputKey, InputKey] = {}
        #: this run's input keys of files missing now whose rows are held under another
        #: spelling of their path: the key held. The input still fails (no such file); its
        #: rows are kept and labelled by the listing (set by open; the run adds them to
        #: :attr:`aliased_rows`)
        self.missing_spellings: dict[InputKey, InputKey] = {}
        #: the identity (key columns) of rows held under another spelling than the first
        #: listing of their file, and that listing's: what :class:`Relabel` places and
        #: labels them by (set by the run)
        self.aliased_rows: dict[tuple, tuple] = {}
        #: the folder the output's relative paths are read against (set by open; ``None``:
        #: the working folder)
        self.relative_to: str | None = None
        #: what :meth:`relative_paths` gave when :meth:`open` recorded it in the run file
        #: (``None``: not a run of files, or no folder known), for the run's provenance
        self.record: dict[str, str] | None = None
        # the file output's provenance (open): the folder it records, which a rerun with
        # nothing new writes there when it is missing (finalize), the rest kept as it is
        self._file_provenance: dict[str, Any] = {}
        #: whether finalize rewrote the file output only to record the folder of its
        #: relative paths, its rows and the rest of its provenance as they were
        self.recorded_folder = False
        #: whether the output was written before its sets' tail rule was recorded, its rows
        #: those of this run (:meth:`_tail_rule_moot`): the run records the rule, rows kept
        self.recorded_rule = False
        # which row of an output written before the tail rule a run now leaves out, in
        # words, where its rows show that they differ (_tail_rule_moot), for the refusal
        self._rows_differ = ""
        #: rows of the parts of interrupted runs (killed before they finished the output)
        #: that finalize put in the output: in no output until then
        self.n_merged = 0
        #: set by the run (:func:`emofeat.runner.run`): the output held no rows and was
        #: refused for the run's parameters, so the run opened it again with ``overwrite``
        self.restarted = False
        self.staged_kept = 0  # inputs staged by a replacement that keep_replaced left staged
        #: the held keys of the inputs whose rows open removed as those of a file changed
        #: since (other size or modification time; a set: one input held in two sources
        #: counts once): the run extracts them again, and where that fails the output
        #: holds one input fewer ('nothing new written' was said of it)
        self.changed: set[InputKey] = set()
        #: whether finalize put the rows already in the output in another order (a manifest
        #: that lists their inputs in another order)
        self.reordered = False
        # the parts of a dataset folder in no finished output (open): its interrupted runs'
        self._interrupted: set[str] = set()
        # _common_metadata's schema and the signature of the file read (_common_schema)
        self._common_read: tuple[Any, Any] | None = None
        self._content_keys: bool | None = None  # holds_content_keys, per scan

    def close(self) -> None:
        """Release the output's lock (the end of a run, successful or not)."""
        self.lock.release()

    # ----------------------------------------------------------------- opening
    def open(self, current: Iterable[InputKey] = (), held: Held | None = None,
             by_file: bool = False, folder: str | None = None) -> set[InputKey]:
        """Check the parameters, clean temporary files and return the keys already done.

        Parameters
        ----------
        current : input keys of this run
            Rows of an input that changed since it was extracted (same path and segment,
            other size or modification time) are removed from the output, so that the run
            extracts it again and the table holds it once.
        held : dict, optional
            The output's keys read before (:func:`keys_held`): the files unchanged since are
            not read again.
        by_file : bool
            The keys' first fields are file paths: an input held under another spelling of
            its file (``a.flac`` held, ``./a.flac`` listed) is that input (:attr:`aliases`),
            and its rows are removed if it changed since (:meth:`_spellings`).
        folder : str, optional
            With ``by_file``: the folder the output's relative paths are relative to
            (:func:`relative_folder`; default the working folder), recorded in the run file
            (:data:`RELATIVE_PATHS`) before any part is written.
        """
        if self.layout == "file" and self.output.is_file() and not _replaceable(self.output):
            # before the lock: no lock file beside someone's recording either
            raise UnreadableOutputError(
                f"{self.output} exists and is not a parquet file (not an output emofeat "
                f"wrote): not touching it, even with {_overwrite()}; give another output")
        if self.layout == "file" and self.output.is_file() and _foreign_table(self.output):
            raise ValueError(_foreign_message(self.output))
        if self.layout == "dataset" and self.output.is_dir():
            # before the lock, as a file's checks: a lock file stayed beside a folder of
            # notes refused as an output, and beside another tool's dataset (without
            # overwrite its first part's provenance was read after the lock)
            _check_ours(self.output)
            foreign = _foreign_part(self.output, first=not self.overwrite)
            if foreign is not None:
                # named as emofeat names its parts (pyarrow's write_dataset: part-0.parquet)
                # but another tool's table: replaced by overwrite until session 52
                raise ValueError(_foreign_message(foreign))
        looped = link_loop(self.output)  # resolved: still a link where it is a loop
        if looped:
            raise OutputNotWritableError(f"cannot write {self.output}: {looped}")
        if self.layout == "file" and self.part_dir.is_symlink() and not self.part_dir.exists():
            # a parts folder linked to a folder that is not there (scratch storage not
            # mounted): its mkdir said '[Errno 17] File exists: OUT.parquet.parts'
            raise OutputNotWritableError(f"cannot write {self.output}: " + (
                blocked_path(self.part_dir / RUN_FILE)
                or f"its parts folder {self.part_dir} is a broken symbolic link"))
        self.lock.acquire()
        if self.layout == "file" and self.part_dir.is_symlink():
            self.lock.hold_folder(self.part_dir, self.output)
        elif self.layout == "file" and self.part_dir.is_dir():
            self.lock.check_folder(self.part_dir, self.output)
        current = list(current)
        self._current = current or None
        if self.layout == "file" and self.output.is_dir():
            raise ValueError(f"{self.output} is a folder; use the dataset layout for it "
                             f"({_layout('dataset')})")
        if self.layout == "dataset" and self.output.is_file():
            raise ValueError(f"{self.output} is a file; use the file layout for it "
                             f"({_layout('file')})")
        if self.layout == "dataset":
            self._finish_swap()
            self._open_staging()
        elif self.overwrite:
            self._start_replacing(self.part_dir)
        self._replacing = (self.layout == "file"
                           and (self.part_dir / SUPERSEDED_FILE).is_file())
        old_schema = _output_schema(self.output) if self._old_file() else None
        if old_schema is not None:
            provenance = self._provenance_of(self.output, old_schema)
            self._check_key(provenance.get("fingerprint"), self.output, provenance)
            self._file_provenance = provenance
        run_info = None  # the run file, read once (its fingerprint and relative_paths)
        if self.part_dir.is_dir():
            _check_ours(self.part_dir)
            run_info = self._run_info()
            if run_info is not None:
                self._check_key(run_info["fingerprint"], self.part_dir,
                                {**(run_info.get("config") or {}),
                                 "emofeat_version": run_info.get("emofeat_version")})
            else:
                parts = self.parts()
                first = self._provenance_of(parts[0]) if parts else {}
                self._check_key(first.get("fingerprint"), self.part_dir, first)
        # before anything is removed, rewritten or written
        self._check_feature_names(old_schema)
        if self.layout == "file":
            for tmp in self.output.parent.glob(f"{TMP_PREFIX}{self.output.name}.*"):
                log.info("removing %s, left by an interrupted run", tmp)
                tmp.unlink(missing_ok=True)
        if self.part_dir.is_dir():
            for tmp in self.part_dir.glob(f"{TMP_PREFIX}*"):
                log.info("removing %s, left by an interrupted run", tmp)
                tmp.unlink(missing_ok=True)
            # classified before the journal of a killed reorder renames or builds any part
            self._interrupted = self._interrupted_parts()
            self._finish_reorder()
        self.relative_to = folder
        done = self._scan(current, held=held)
        # after the parts there, whatever the clock says (the scan listed them)
        self.run_tag = _run_tag(self._scanned)
        self.aliases = {}
        self.missing_spellings = {}
        if by_file and current and done:
            done = self._spellings(current, done)
        self.part_dir.mkdir(parents=True, exist_ok=True)
        self.record = record = None if not by_file else self.relative_paths()
        if run_info is None or (record is not None and run_info.get(RELATIVE_PATHS) != record):
            # an interrupted run's parts are read against it, as the finished output's
            info = {"fingerprint": self.key, "config": self.config,
                    "emofeat_version": __version__}
            if record is not None:
                info[RELATIVE_PATHS] = record
            _atomic_write_text(self.part_dir / RUN_FILE, json.dumps(info, indent=1))
        return done

    def _interrupted_parts(self) -> set[str]:
        """The names of the dataset folder's parts that no finished run counted
        (:meth:`_unfinished`), as they will be named once the journal of a killed reorder
        (:data:`REORDER_FILE`) is done: a part it builds is an interrupted run's where one of
        the parts it is cut from is, a part it renames where that part is. Taken before the
        open rewrites, builds or renames any part. A file output's parts are all such parts
        (the finished output is the file): not listed."""
        if self.layout != "dataset":
            return set()
        parts = self.parts()
        unfinished = {p.name for p in self._unfinished(parts)}
        journal = self.part_dir / REORDER_FILE
        if not journal.is_file():
            return unfinished
        try:
            plan = json.loads(journal.read_text())
        except (OSError, ValueError):
            return unfinished  # _finish_reorder reports it
        # the rows of finished runs reordered by the killed run's journal, finished here
        self.reordered = bool(plan.get("reordered"))
        recorded = self._finished_record()
        there = {p.name for p in parts}
        by_time = frozenset(unfinished)

        def interrupted(name: str, instead: str) -> bool:
            if recorded is not None:
                return name not in recorded
            # by modification time: a part gone already (cut into others) by the part
            # built or renamed from it
            return (name if name in there else instead) in by_time

        builds = [(name, [src for src, _, _ in pieces])
                  for name, pieces, _ in plan.get("build", [])]
        builds += [(name, [src]) for src, cuts in plan.get("split", [])
                   for name, *_ in cuts]
        for name, sources in builds:
            unfinished.discard(name)
            if any(interrupted(src, name) for src in sources):
                unfinished.add(name)
        for src, name in plan.get("rename", []):
            unfinished.discard(name)
            if interrupted(src, name):
                unfinished.add(name)
        return unfinished

    def _finished_record(self) -> set[str] | None:
        """The names of the parts that ``_common_metadata`` records as finished
        (:data:`FINISHED_INFO`); ``None`` where it records none (written by an earlier
        version, or not there)."""
        common = self.part_dir / COMMON_METADATA
        if self.layout != "dataset" or not common.is_file():
            return None
        names = _emofeat_info(self._common_schema()).get(FINISHED_INFO)
        return None if names is None else set(names)

    def _common_schema(self) -> Any:
        """The schema of the dataset folder's ``_common_metadata``, read again only where the
        file has changed since it was read: an open asks for it up to three times (the
        feature names, the finished parts twice; 2 ms a read of 674 columns)."""
        common = self.part_dir / COMMON_METADATA
        try:
            signature = (common, _signature(common))
        except OSError:
            signature = None  # _read_schema names the file and the problem
        read = self._common_read
        if signature is None or read is None or read[0] != signature:
            read = self._common_read = (signature, _read_schema(common))
        return read[1]

    def _unfinished(self, parts: list[Path]) -> list[Path]:
        """Those of a dataset folder's ``parts`` that no finished run counted: not listed in
        ``_common_metadata`` (:data:`FINISHED_INFO`), which each finalize writes last; all of
        them where there is none. Where it lists none (written by an earlier version), those
        modified since it was, a part modified in the same clock tick counted too (a file
        system of 1-2 s times: its columns are read, and its rows may be reported as an
        interrupted run's once)."""
        if self.layout != "dataset":
            return list(parts)
        common = self.part_dir / COMMON_METADATA
        if not common.is_file():
            return list(parts)
        recorded = self._finished_record()
        if recorded is not None:
            return [p for p in parts if p.name not in recorded]
        since = common.stat().st_mtime_ns
        return [p for p in parts if p.stat().st_mtime_ns >= since]

    def holds_content_keys(self) -> bool:
        """Whether the output holds inputs keyed by their content (texts, signals given in
        memory), as the open found them."""
        if self._content_keys is None:  # reset by each scan
            self._content_keys = any(is_content_key(k[0]) for keys in self._scanned.values()
                                     for k in keys)
        return self._content_keys

    def signals_without_key(self) -> list[Path]:
        """The file or parts holding rows of signals given in memory without their
        :data:`SIGNAL_KEY` column (written by an earlier version), which nothing but their
        name, a place in the list, tells apart."""
        return [src for src, keys in self._scanned.items()
                if any(is_content_key(k[0]) for k in keys)
                and SIGNAL_KEY not in _read_schema(src).names]

    def relative_paths(self) -> dict[str, str] | None:
        """What the output's relative paths are relative to (:data:`RELATIVE_PATHS`): the
        folder (``open``'s, default the working folder), also as seen from the output's
        folder (which tells a project folder moved or copied with its output); ``None``
        where it is not known (:data:`NO_FOLDER`): nothing is recorded."""
        if self.relative_to == NO_FOLDER:
            return None
        folder = self.relative_to or os.getcwd()
        try:
            seen = os.path.relpath(folder, os.path.dirname(os.path.abspath(self.output)))
        except ValueError:  # Windows: on another drive, no relative path to it
            return {"folder": folder}
        return {"folder": folder, "folder_from_output": seen}

    def _scan(self, current: Iterable[InputKey] = (), keep_readers: bool = False,
              held: Held | None = None) -> set[InputKey]:
        """The keys held by the output; rows held twice or of changed inputs are removed.

        ``held``: keys read before (:func:`keys_held`, or the open's scan): a file unchanged
        since is not read again, but for an Arrow part when ``keep_readers``. That keeps the
        parts open in ``_readers`` for the finalize (an Arrow part's reader is its open
        file: the kept columns, the merge's row runs and its rows then take it instead of
        opening the part three times; up to :data:`KEEP_OPEN_PARTS` of them).
        """
        sources = ([self.output] if self._old_file() else []) + self.parts()
        done: set[InputKey] = set()
        by_ident = {(k[0], k[3], k[4]): k for k in current}
        self._scanned = {}  # each kept source's keys, in order
        self._content_keys = None
        readers = self._readers if keep_readers else None
        keys_read: Held = {}
        for src in sources:
            keep = (readers is not None and _is_arrow(src)
                    and len(readers) < KEEP_OPEN_PARTS)
            keys = None if keep else _known_keys(held, src)
            if keys is not None:
                keys_read[src] = held[src]
            else:
                signature, keys = _signed_keys(src, readers)
                if signature is not None:
                    keys_read[src] = (signature, keys)
            if src != self.output and keys and all(k in done for k in keys):
                # merged into the file by a run that died before removing its parts, or
                # written by a worker that outlived a killed run
                log.info("removing %s: its inputs are already in the output", src)
                self._readers.pop(src, None)
                src.unlink()
                continue
            # an input whose file is missing now (size -1: an unmounted drive, a corpus
            # moved) did not change: its rows are kept, and the run records it as failed
            drop = {k for k in keys if k in done or (
                (now := by_ident.get((k[0], k[3], k[4]), k)) != k and now[1] != MISSING)}
            self.changed |= drop - done  # the rest: rows held twice
            if drop:
                self._readers.pop(src, None)  # rewritten below: its reader maps the old file
                keys = _drop_inputs(src, drop, self.key_column)
            done |= set(keys)
            self._scanned[src] = keys
        self._keys_read = keys_read
        return done

    def _spellings(self, current: list[InputKey], done: set[InputKey]) -> set[InputKey]:
        """Match the inputs not held under their listed spelling to those held under another
        spelling of their file (a symbolic link too), compared as real paths
        (:func:`file_identities`) with the segment bounds: where size and modification time
        agree the input is done, its held key in :attr:`aliases` (and in :attr:`_current`);
        where they do not, the file changed since and its rows are removed, as under one
        spelling. The keys done are returned.

        A path held relative is read against :attr:`relative_to`, the folder the output
        records for them (:func:`relative_folder`; :data:`NO_FOLDER`: the working folder,
        and such a held path is never removed as changed), a path listed relative against
        the working folder. Only the keys left unmatched are normalised (none in a rerun that lists
        every file as it did)."""
        # after _scan, a key held under a listed spelling and bounds is the listed key
        # itself (one that differs went as changed): the keys not done are not held under
        # their spelling, the keys done but not listed are held under no listed spelling
        new = [k for k in current if k not in done]
        if not new:
            return done
        stale: set[InputKey] = set()
        for k, got in _other_spellings(new, self._scanned.values(), current,
                                       self.relative_to).items():
            if got[1] == k[1] and got[2] == k[2]:  # size and modification time
                self.aliases[k] = got
            elif k[1] == MISSING:
                # the file is missing now, not changed: its rows are kept (_scan), and
                # labelled as this listing gives them (they kept their old labels)
                self.missing_spellings[k] = got
            elif self.relative_to != NO_FOLDER or os.path.isabs(got[0]):
                # (a relative path of an unknown folder may name another file from here)
                stale.add(got)
        if stale:
            self.changed |= stale
            for src, keys in list(self._scanned.items()):
                gone = stale.intersection(keys)
                if gone:
                    self._readers.pop(src, None)
                    self._scanned[src] = _drop_inputs(src, gone, self.key_column)
            done = {k for keys in self._scanned.values() for k in keys}
        if self.aliases:
            self._say_held_as_targets()
            if self._current is not None:
                self._current = [self.aliases.get(k, k) for k in self._current]
        return done

    def _say_held_as_targets(self) -> None:
        """Warn once where listed paths with a symbolic link on the way are found done under
        their target's path (not listed): an earlier version of emofeat's command named a
        typed link by its target, and a run may have listed the target; the row keeps that name,
        which the listing does not show. Only the inputs found so (:attr:`aliases`, rarely
        any) cost an ``lstat`` of their folders (``os.path.realpath``)."""
        cwd = os.getcwd()
        base = cwd if self.relative_to in (None, NO_FOLDER) else self.relative_to
        norm, real, join = os.path.normpath, os.path.realpath, os.path.join
        found = []
        for k, got in self.aliases.items():
            listed = norm(join(cwd, str(k[0])))
            target = real(listed)
            if target != listed and norm(join(base, str(got[0]))) == target:
                found.append((k[0], got[0]))
        if found:
            listed, held = found[0]
            log.warning("%s found done under the path of %s target (such as %s, held as "
                        "%s), as an earlier run listed it or an earlier version of emofeat "
                        "named a typed link so: %s that name; start afresh with %s to name %s "
                        "by the paths listed", counted(len(found), "input with a symbolic "
                        "link on its path", "inputs with a symbolic link on their path"),
                        "its" if len(found) == 1 else "their", listed, held,
                        "its row keeps" if len(found) == 1 else "their rows keep",
                        option("overwrite=True", "--overwrite"),
                        "it" if len(found) == 1 else "them")

    def _run_info(self) -> dict[str, Any] | None:
        """The parts folder's run file (:data:`RUN_FILE`), ``None`` where there is none."""
        try:
            return json.loads((self.part_dir / RUN_FILE).read_text())
        except FileNotFoundError:
            return None

    @staticmethod
    def _provenance_of(path: Path, schema: Any = None) -> dict[str, Any]:
        schema = _read_schema(path) if schema is None else schema
        meta = (schema.metadata or {}).get(METADATA_KEY)
        if meta is None:
            raise ValueError(_foreign_message(path))
        return json.loads(meta).get("provenance", {})

    def _check_key(self, found: str | None, where: Path,
                   written: dict[str, Any] | None = None) -> None:
        """Refuse an output of another fingerprint than this run's; ``written`` (its
        provenance: ``sets``, ``emofeat_version``) says whether a set's numbers changed."""
        if found == self.key or (found is not None and self._spelled_alike(found, written)):
            return
        self._rows_differ = ""
        if found is not None and self._tail_rule_moot(written, where):
            # a dataset folder records it in _common_metadata, its run file and parts keep
            # the old record: recorded by an earlier resume where that says this run's
            self.recorded_rule = self.recorded_rule or not self._rule_recorded()
            return
        if found is None:
            if where.is_dir():
                return  # an empty folder
            raise ParameterMismatchError(
                f"{where} exists but was not written by a resumable run (no fingerprint); "
                f"refusing to add to it. Write to another output, or pass {_overwrite()} "
                "to replace it.", reason="not written by a resumable run (no fingerprint)"
            )
        files = [f for s in (self.config.get("sets") or []) if isinstance(s, dict)
                 for f in (s.get("files") or {})]
        read = (f" The sets read {', '.join(map(repr, files))}, whose content is one of "
                "the parameters: edited since?" if files else "")
        written = written or {}
        read += _tail_rule_said(written.get("segments"), self.config.get("segments"))
        if self._rows_differ:
            # which input and stretch: an output of many recordings refused as a whole
            # left the user to search them for the one that differs
            read += f" Its rows show it: {self._rows_differ}."
        moved = _moved(written, self.config)
        was, now = _classes(written), _classes(self.config)
        # a set made by another class there (MFCC.htk() against MFCC(convention="htk"), a
        # user's subclass) is said by its class: its numbers versions count another class's
        # changes, and 'numbers changed for the same parameters' was said of it falsely
        changes = [c for c in numbers_changes(written.get("sets"), self.config.get("sets"))
                   if None in (was.get(c[0]), now.get(c[0])) or was[c[0]] == now[c[0]]
                   or c[0] in moved]
        # rows of a former class may be today's (MFCC(convention="htk") still records
        # them as mfcc_htk at version 1): 'changed since these rows were computed' alone
        # sent such a user looking for a change after their run
        formers = {name: before for name, before, _ in changes if name in moved
                   and former_class_now(name, was.get(name)) == before}
        others = [name for name, _, _ in changes if name not in formers]
        # the parts a killed run with overwrite staged to replace the output: 'write to
        # another output' said of a folder the user never named (features.overwrite),
        # and nothing said that the output itself was kept as it was
        staged = where == self.part_dir and (where / SUPERSEDED_FILE).is_file()
        replacement = (f"{where} holds the replacement of {self.output} that a run with "
                       f"{_overwrite()} staged before it was interrupted")
        kept = f"{self.output} itself is kept as it was."
        if changes and (_without_numbers(written, moved)
                        == _without_numbers(self.config, moved)):
            # only the numbers differ: 'other extraction parameters' would send the user
            # looking for a difference they cannot find
            said = numbers_said(changes, self._when_written(written))
            # the former class resumes the output only where no other set changed
            resumes = ("resuming this output" if not others else
                       f"{sets_named(others)} {_change_refuses(others)} that run all "
                       "the same")
            for name, before in formers.items():
                said += (f" (class {was[name]} made these rows, as the {name} set did "
                         f"before and {was[name].rpartition('.')[2]} with these parameters "
                         f"still does at numbers version {before}, {resumes}; "
                         f"the {name} set is now class {now[name]})")
            # for the reason: of the versions alone ('since these rows were computed' said
            # of an output without rows)
            versions = "; ".join(f"{name} {old} there, {new} now"
                                 for name, old, new in changes)
            subject, way = (f"{where} holds rows", f"Write to another output, or pass "
                            f"{_overwrite()} to extract it again.")
            if staged:
                # a replacement an emofeat before an upgrade staged (session 57 C2: it was
                # told 'Write to another output', of a folder the user never named)
                subject = f"{replacement}, rows"
                way = (f"{kept} Pass {_overwrite()} to start the replacement again at the "
                       "installed numbers" + (
                           ", or finish it with the emofeat that began it." if others else
                           ", or finish it with the class that made its rows (without "
                           f"{_overwrite()})."))
            raise ParameterMismatchError(
                f"{subject} whose numbers emofeat now computes otherwise: {said}; refusing "
                f"to mix the two in one table (fingerprint {found}, now {self.key}). {way}",
                reason=f"written at another numbers version ({versions})"
            )
        # the parameters differ too: each set's numbers version is said beside its
        # parameters ('Besides, the lexicon set's numbers changed for the same parameters'
        # was said of a set whose own parameters differed), and no former class is said
        # to resume the output (its run differs from this one's parameters as well)
        numbers = {name: (old, new) for name, old, new in changes}
        notes = {name: f" (class {was[name]} made these rows, as the {name} set did before, "
                       f"and still computes numbers version {before} with the parameters "
                       f"recorded; the {name} set is now class {now[name]})"
                 for name, before in formers.items()}
        differ = parameters_said(written, self.config, numbers=numbers, notes=notes
                                 ) if written.get("sets") else ""
        # the reason, without the notes (the same words where there are none)
        brief = differ if not notes else parameters_said(
            written, self.config, numbers=numbers) if written.get("sets") else ""
        what = "other extraction parameters" + (" and numbers versions" if changes else "")
        unrecorded = [name for name in now if name in was and was[name] is None]
        if unrecorded:
            # a record without a class (emofeat records every set's; edited, or another
            # tool's) was compared as the class None ('mfcc class: None there'): its rows
            # may be any class's under the name, so they are not resumed by this one
            read += (" The output does not record the class that made its rows of the "
                     + " and ".join(unrecorded) + f" set{'s' * (len(unrecorded) > 1)}: they "
                     "cannot be shown to be this run's class's.")
        when = _written_by(self._when_written(written)) if changes else ""
        read += f" These rows were {when}." if when else ""
        made, way = f"{where} was made", (f"Write to another output, or pass {_overwrite()} "
                                          "to start it again.")
        if staged:
            made = f"{replacement}, made"
            # where a set's numbers changed too, that extraction run again is refused
            # here as well: the emofeat that began the replacement finishes it
            finish = (f"Run that extraction again without {_overwrite()} to finish the "
                      "replacement, or pass" if not others else "Pass")
            way = (f"{kept} {finish} {_overwrite()} to start a replacement with this run's "
                   "parameters" + (" (or finish the replacement with the emofeat that "
                                   "began it)." if others else "."))
        raise ParameterMismatchError(
            f"{made} with {what}{f': {differ}' if differ else ''} (fingerprint "
            f"{found}, now {self.key}); refusing to mix them in one table.{read} {way}",
            reason=f"made with {what}{f': {brief}' if brief else f' (fingerprint {found})'}"
        )

    def _spelled_alike(self, found: str, written: dict[str, Any] | None) -> bool:
        """Whether ``written`` (an output's record) holds this run's parameters with numbers
        spelled otherwise (``--param fmin=0`` there, ``fmin=0.0`` now:
        :func:`_numbers_as_declared`), which give the same rows; the run then takes the
        output's fingerprint (``found``) and record, which its parts and provenance keep.
        Until session 55 such a run was refused as one of 'other extraction parameters',
        naming none."""
        if not written or not isinstance(written.get("sets"), list):
            return False
        recorded = {"sets": written.get("sets"), "level": written.get("level"),
                    "segments": written.get("segments")}
        if fingerprint(_numbers_as_declared(recorded)) != fingerprint(
                _numbers_as_declared(self.config)):
            return False
        self.key, self.config = found, _jsonable(recorded)
        return True

    def _tail_rule_moot(self, written: dict[str, Any] | None, where: Path | None = None
                        ) -> bool:
        """Whether ``written`` (an output's record) differs from this run's only by lacking
        the windows' tail rule, and the run's sets give the same rows under both
        (:attr:`tail_moot` at the recorded rate: the EEG band sets, whose own minimum is
        the rule's), or, recordings read whole, the rows held (in ``where``) show that no
        stretch the rule leaves out sits beside a longer one of its input
        (:func:`emofeat.compute.stretch_rows_moot`). Its rows are then this run's; the run
        records the rule. Where the rows differ, :attr:`_rows_differ` says which, for the
        refusal (:func:`emofeat.compute.stretch_rows_said`)."""
        from .compute import recorded_tail_rule_moot, stretch_rows_moot, stretch_rows_said

        if self.tail_moot is None or not written:
            return False
        now = self.config.get("segments")
        upgraded = {"sets": written.get("sets"), "level": written.get("level"),
                    "segments": now}
        if fingerprint(upgraded) != self.key:
            return False
        sfreq = written.get("sfreq")
        if sfreq is None and self.part_dir.is_dir():  # a run file: its parts record the rate
            parts = self.parts()
            with contextlib.suppress(OSError, ValueError):
                sfreq = self._provenance_of(parts[0]).get("sfreq") if parts else None
        if recorded_tail_rule_moot({**written, "sfreq": sfreq}, now, self.tail_moot):
            return True
        if where is None or written.get("segments") is not None or not tail_rule_said(
                None, now):
            return False
        rows = self._stretch_rows(where)
        if rows is None:
            return False
        if stretch_rows_moot(*rows[:3]):
            return True
        self._rows_differ = stretch_rows_said(*rows)
        return False

    def _rule_recorded(self) -> bool:
        """Whether a dataset folder's ``_common_metadata`` records this run's fingerprint
        already (a resume recorded the tail rule there before)."""
        if self.layout != "dataset":
            return False
        try:
            meta = (self._common_schema().metadata or {}).get(METADATA_KEY)
            return json.loads(meta)["provenance"]["fingerprint"] == self.key
        except (OSError, ValueError, KeyError, TypeError):
            return False

    def _stretch_rows(self, where: Path) -> tuple[Any, Any, Any, Any] | None:
        """The input keys, starts, ends and epoch numbers (``None`` where a file has no
        epoch column) of the rows held in ``where`` (the file output, or a folder of parts);
        ``None`` where they cannot be read (no key column)."""
        files = self.parts() if where.is_dir() else [where]
        column = self.key_column
        paths: list[Any] = []
        starts: list[Any] = []
        ends: list[Any] = []
        epochs: list[Any] | None = []
        for f in files:
            try:
                table = _read_rows(f)
            except (OSError, ValueError):
                return None
            if column is None or not {column, "start", "end"} <= set(table.column_names):
                return None
            paths += table.column(column).to_pylist()
            starts += table.column("start").to_pylist()
            ends += table.column("end").to_pylist()
            if epochs is not None and "epoch" in table.column_names:
                epochs += table.column("epoch").to_pylist()
            else:
                epochs = None
        return paths, starts, ends, epochs

    def _when_written(self, written: dict[str, Any]) -> dict[str, Any]:
        """``written`` with the ``created`` date and ``emofeat_version`` of the rows: a run
        file records no date, nor, written by an older emofeat, the version; its first
        part (the first rows written) does."""
        if written.get("created") and written.get("emofeat_version"):
            return written
        parts = self.parts() if self.part_dir.is_dir() else []
        try:
            first = self._provenance_of(parts[0]) if parts else {}
        except (OSError, ValueError):
            first = {}
        return {"created": written.get("created") or first.get("created"),
                "emofeat_version": written.get("emofeat_version")
                or first.get("emofeat_version")}

    def _check_feature_names(self, old_schema: Any = None) -> None:
        """Refuse an output whose feature columns are not this run's (same names in another
        order are the same columns: rows are matched by name). The finalised output rewrites
        every row with this run's columns, so the rows already there would silently lose
        the columns it lacks, and hold missing values in those it adds.

        The columns are those of the file kept (``old_schema``, read already), of a dataset's
        ``_common_metadata`` (every part finalised with it) and of the parts written since
        (by an interrupted run; all of them without ``_common_metadata``).

        Raises
        ------
        FeatureNamesMismatchError
            Naming the output, the columns it has that this run would not produce and those
            this run adds (a few of each, and their counts), and what to do.
        """
        if self.feature_names is None:
            return
        sources: list[tuple[Path, Any]] = []
        if old_schema is not None:
            sources.append((self.output, old_schema))
        parts = self.parts()
        common = self.part_dir / COMMON_METADATA
        if self.layout == "dataset" and common.is_file():
            sources.append((common, self._common_schema()))
            parts = self._unfinished(parts)
        sources += [(p, None) for p in parts]
        wanted = set(self.feature_names)
        seen: set[bytes] = set()  # the parts of one run share their metadata
        for src, schema in sources:
            schema = _read_schema(src) if schema is None else schema
            raw = (schema.metadata or {}).get(METADATA_KEY)
            if raw is None or raw in seen:
                continue
            seen.add(raw)
            have = _emofeat_info(schema).get("feature_names")
            if have is None or set(have) == wanted:
                continue
            held = set(have)
            gone = [n for n in have if n not in wanted]
            added = [n for n in self.feature_names if n not in held]
            where = "" if src in (self.output, common) else f" (its part {src.name})"
            apart = alike_in_nfc(gone, added)  # names printing alike: shown by ascii()
            nfc = (" Names alike but for their Unicode form: the output was written before "
                   f"emofeat made EEG channel names NFC ({NFC_NAMES_SINCE})."
                   if apart else "")
            raise FeatureNamesMismatchError(
                f"{self.output}{where} has {len(have)} feature columns and this run, with "
                f"the same parameters, would write {len(self.feature_names)}: the output's "
                f"rows would lose {_few(gone, apart=apart)}, and this run adds "
                f"{_few(added, apart=apart)}. Some sets "
                "name their features by the data (the EEG sets by the channels of the first "
                f"recording they read).{nfc} Refusing to mix two sets of columns in one table; "
                "nothing was written. Write to another output (one per montage), or pass "
                f"{_overwrite()} to replace it.",
                reason=f"made with {len(have)} feature columns, this run's "
                       f"{len(self.feature_names)}")

    def _with_earlier_libraries(self, provenance: dict[str, Any]) -> dict[str, Any]:
        """``provenance`` with the libraries (:mod:`emofeat._libraries`: soxr, libsndfile,
        ...) that the finished output it resumes records and this run did not load, or
        loaded at another version: their rows stay, so do they (a rerun with nothing left to
        extract dropped a dataset's soxr). An output replaced (``overwrite``) keeps none."""
        from ._libraries import with_earlier

        earlier: Any = {}
        if self._old_file():
            earlier = self._file_provenance
        elif (self.layout == "dataset" and self.part_dir == self.output
              and (self.output / COMMON_METADATA).is_file()):
            try:
                earlier = self._provenance_of(self.output / COMMON_METADATA)
            except (OSError, ValueError):  # unreadable: the run's own record
                earlier = {}
        environment = provenance.get("environment")
        if not isinstance(earlier, dict) or not isinstance(environment, dict):
            return provenance
        environment = with_earlier(environment, earlier.get("environment"))
        # the parts of an interrupted run, whose rows this run keeps: the libraries their
        # shards used (none recorded them elsewhere; a fresh run reads no part here)
        for part in self._unfinished(self.parts()) if not self._replacing else []:
            if not self._written_now(part):
                environment = with_earlier(environment, part_libraries(part))
        return {**provenance, "environment": environment}

    def _old_file(self) -> bool:
        """Whether the output is a file whose rows this run keeps (not one it replaces)."""
        return self.layout == "file" and not self._replacing and self.output.is_file()

    def _staging(self) -> Path:
        """The folder a dataset replaced by ``overwrite`` is written to (beside it)."""
        return self.output.with_name(self.output.name + STAGING_SUFFIX)

    def _replaced(self) -> Path:
        """Where the old dataset folder goes while a staged one replaces it (beside it)."""
        return self.output.with_name(self.output.name + REPLACED_SUFFIX)

    def _open_staging(self) -> None:
        """Where this run writes a dataset: the output itself, or, replacing an existing one
        (``overwrite``, or an interrupted run with it to continue), the staging folder. Only
        a folder marked :data:`SUPERSEDED_FILE` is a staging folder (another output may
        have its name)."""
        staging = self._staging()
        marked = (staging / SUPERSEDED_FILE).is_file()
        if self.overwrite:
            if staging.exists() and not marked:
                raise ValueError(
                    f"{staging} is in the way: {_overwrite()} writes the new "
                    f"{self.output} there until it is complete; move it away")
            if self.output.is_dir():
                _check_ours(self.output)  # a folder of someone else's is not replaced either
            if self.output.is_dir():
                self._start_replacing(staging)
                # the new folder will be the output: its group and mode those of the old
                # one (a new folder had the default ones: a folder shared with a group, or
                # closed to others, was no longer), the owner's rights kept to write it
                _carry_mode(self.output, staging, stat.S_IRWXU)
                self.part_dir = staging
            else:
                _remove_ours(staging)  # an interrupted run's parts: started again
        elif marked:
            log.info("%s: continuing the run that replaces %s", staging, self.output)
            self.part_dir = staging

    def _start_replacing(self, folder: Path) -> None:
        """``folder`` made afresh (an interrupted run's parts removed: started again) and
        marked :data:`SUPERSEDED_FILE`: its parts replace the output."""
        _remove_ours(folder)
        folder.mkdir(parents=True, exist_ok=True)
        _atomic_write_text(folder / SUPERSEDED_FILE, json.dumps({"replaces": self.output.name}))

    def keep_replaced(self) -> bool:
        """Give up replacing the output, where this run was to replace one that exists
        (``overwrite``, or an interrupted run with it continued) and nothing is staged to
        replace it (every input failed): the staging folder and its marker removed, the
        output left as it was. Whether it was.

        A run with ``--overwrite`` whose every input failed (the corpus on a drive not
        mounted, a share down), or the continuation of one stopped by ``--fail-fast``,
        replaced the output by an empty table, where the command said "nothing new
        written": the rows of every earlier run were gone.

        The continuation of a replacement that had staged rows before it stopped, whose
        every input fails now, keeps the output too and leaves those rows staged
        (:attr:`staged_kept` counts their inputs): swapping them in replaced the 4 rows of
        the output by the 1 row staged, and the next continuation, with the inputs back,
        goes on from them.
        """
        if self.part_dir == self.output or not (self.part_dir / SUPERSEDED_FILE).is_file():
            return False  # no replacement (never the output itself, whatever marks it)
        if not (self.output.is_file() if self.layout == "file" else self.output.is_dir()):
            return False  # a new output: written, empty
        if self.parts():
            # rows staged by an interrupted run: kept there for the continuation that can
            # read its inputs; the output stays whole until then
            self.staged_kept = max(1, inputs_held(self.part_dir))
            return True
        _remove_ours(self.part_dir)
        return True

    def _finish_swap(self) -> None:
        """Finish what :meth:`_swap_in` began if a run was killed while it did it: a staging
        folder with ``_common_metadata`` is complete, renamed into place; then the old
        folder and the marker the new one brought along go."""
        staging = self._staging()
        if (staging / SUPERSEDED_FILE).is_file() and (staging / COMMON_METADATA).is_file():
            log.info("%s: complete; renaming it to %s", staging, self.output)
            self._swap_in(staging)
            return
        _remove_replaced(self._replaced())
        if self.output.is_dir():
            (self.output / SUPERSEDED_FILE).unlink(missing_ok=True)

    def _swap_in(self, staging: Path) -> None:
        """Replace the dataset folder by ``staging``, complete: the old folder marked and
        renamed away, the new one renamed into its place, then the old one removed. A reader
        sees the old folder or the new one, never their parts mixed (between the two renames,
        no folder); each step is finished by the next run if this one is killed."""
        replaced = self._replaced()
        _remove_replaced(replaced)
        if replaced.exists():
            raise ValueError(
                f"{replaced} is in the way of replacing {self.output} with {staging}, which "
                "is complete: move it away and run again (no input is extracted again)")
        if self.output.is_dir():
            _atomic_write_text(self.output / SUPERSEDED_FILE,
                               json.dumps({"replaced_by": staging.name}))
            os.replace(self.output, replaced)
        os.replace(staging, self.output)
        self.part_dir = self.output
        _remove_replaced(replaced)
        (self.output / SUPERSEDED_FILE).unlink()

    # ----------------------------------------------------------------- parts
    def written_schemas(self) -> list[tuple[Path, Any]]:
        """``(path, schema)`` of what the output holds already: its file (the file layout),
        its ``_common_metadata`` (a dataset folder), else the parts of an interrupted first
        run; nothing when the run overwrites it."""
        if self.overwrite:
            return []
        # the output's types, one read (a part's footer is 1-2 ms): every finished run wrote
        # them, and the parts of a run since then were checked against them as it started
        if self.layout != "dataset" and self.output.is_file():
            return [(self.output, _output_schema(self.output))]
        if self.layout == "dataset" and (self.part_dir / COMMON_METADATA).is_file():
            return [(self.part_dir / COMMON_METADATA, self._common_schema())]
        return [(p, _read_schema(p)) for p in self.parts()]  # a first run interrupted

    def retype_held(self, schema) -> None:
        """Give the rows a dataset folder holds the types of ``schema`` (this run's part
        schema) in the columns :attr:`widened` names, before this run writes a part: each
        part rewritten beside itself and renamed over it, then ``_common_metadata``.

        Rewritten at the end, the folder read as nothing until then: a run interrupted
        between its first part of decimals and the rewrite left parts of 0.5 beside a
        ``_common_metadata`` (and first parts) of whole numbers, which emofeat and pandas
        refused ("Float value 0.5 was truncated") until a rerun finished it. In this order
        the folder reads at every step: the parts rewritten so far hold the same values
        (whole numbers as decimals, a blank column as blank text), which any of the types
        reads, and this run's values come after the folder's type is theirs."""
        if self.layout != "dataset" or self.overwrite or not self.widened:
            return
        import pyarrow.parquet as pq

        targets = {n: schema.field(n) for n in self.widened if n in schema.names}
        for part in self.parts():
            have = _read_schema(part)
            if _types_differ(have, schema, targets):
                log.info("%s: columns %s written as %s", part, sorted(targets),
                         [str(f.type) for f in targets.values()])
                _relabel_file(part, part, None, _retyped(have, targets, schema))
        common = self.part_dir / COMMON_METADATA
        if common.is_file():
            tmp = self.part_dir / f"{TMP_PREFIX}{COMMON_METADATA}"
            pq.write_metadata(_retyped(self._common_schema(), targets, schema), tmp)
            os.replace(tmp, common)

    def parts(self) -> list[Path]:
        """The finished parts, in name order (which is input order)."""
        if not self.part_dir.is_dir():
            return []
        return _part_files(self.part_dir)

    def _written_now(self, path: Path) -> bool:
        """Whether ``path`` is a part this run wrote (from the current manifest)."""
        return path.parent == self.part_dir and path.name.startswith(PART_PREFIX) and \
            path.stem.endswith(f"-{self.run_tag}")

    def part_name(self, first_position: int) -> str:
        """Name of the part whose first input is at ``first_position``: parquet in a dataset
        folder (the output itself), Arrow IPC in the parts folder of a file output. A run
        gives it as a :class:`PartName` (:func:`emofeat.schedule.make_shards`), which
        :func:`write_part` numbers by the first input the part holds."""
        suffix = PARQUET if self.layout == "dataset" else ARROW
        return f"{PART_PREFIX}{first_position:010d}-{self.run_tag}{suffix}"

    # ----------------------------------------------------------------- finishing
    def prepare(self) -> None:
        """Import what :meth:`finalize` writes with (pyarrow's parquet module, 0.02-0.05 s),
        called by the run while its workers compute, not after them."""
        import pyarrow.parquet  # noqa: F401

    def finalize(self, schema, provenance: dict[str, Any], relabel: Relabel | None = None
                 ) -> None:
        """Make the output readable as one table.

        Dataset: rewrite the parts whose manifest columns are stale (``relabel``), name the
        parts in input order (:meth:`_reorder_parts`), then write ``_common_metadata``.
        File: merge the existing file (if any) and the parts into a new file, streaming, in
        the current input order (by input position where they interleave or the manifest
        was reordered since, see :func:`_merge_order`), with the manifest columns of the
        current manifest, then rename it over the output (its group and mode kept) and
        remove the parts (an unchanged file is left alone). ``schema`` is
        the pyarrow schema of the rows (with the emofeat metadata); ``provenance`` replaces
        the provenance in it.
        """
        try:
            self._finalize(schema, provenance, relabel)
        finally:
            self._readers = {}  # the parts' memory maps closed (Windows keeps a mapped file)

    def _finalize(self, schema, provenance: dict[str, Any], relabel: Relabel | None) -> None:
        import pyarrow as pa
        import pyarrow.parquet as pq

        held_now = self._scan(keep_readers=self.layout == "file", held=self._keys_read)
        plan_schema = schema
        meta = dict(schema.metadata or {})
        info = json.loads(meta[METADATA_KEY])
        info["provenance"] = _jsonable(self._with_earlier_libraries(provenance))
        meta[METADATA_KEY] = json.dumps(info).encode()
        schema = schema.with_metadata(meta)
        # identity columns of the rows already there that this run's inputs lack (labels of
        # a manifest, then a folder of new files): kept, missing in this run's own rows
        schema = self._kept_columns(schema, relabel)
        kept = len(schema) != len(plan_schema)
        meta = dict(schema.metadata)
        if self.layout == "dataset":
            for part in self.parts():
                now = self._written_now(part)
                # the labels a run updates are those of the rows a finished run wrote; an
                # interrupted run's rows are counted as merged, whatever their labels
                merged = not now and part.name in self._interrupted
                if merged:
                    self.n_merged += pq.read_metadata(part).num_rows
                stale_check = relabel is not None and not now
                if stale_check:  # the part opened once, for its schema and its labels
                    stale, have = _stale_and_schema(part, relabel, schema)
                else:
                    stale, have = False, (_read_schema(part) if kept or self.widened
                                          else None)
                if stale:
                    _relabel_file(part, part, relabel, schema, count=not merged)
                elif _types_differ(have, schema, self.widened):
                    # rewritten as the run began (retype_held); a part left since (a worker
                    # that outlived an earlier run) is rewritten here
                    _relabel_file(part, part, None, schema)
                elif kept and not _has_fields(have, schema):
                    # every part has every column, so that any reader (which may take the
                    # schema of the first part) sees them all
                    _relabel_file(part, part, relabel, schema, count=not (now or merged))
            self._reorder_parts(relabel)
            # the inputs the folder holds, each once, that a reader checks its parts against:
            # the run's n_inputs - n_failed counted an input listed twice twice (a false
            # "part is missing" on every read) and none of the inputs of earlier runs
            info = json.loads(schema.metadata[METADATA_KEY])
            info[HELD_INFO] = len(held_now)
            info[FINISHED_INFO] = [p.name for p in self.parts()]
            schema = schema.with_metadata({**schema.metadata,
                                           METADATA_KEY: json.dumps(info).encode()})
            tmp = self.part_dir / f"{TMP_PREFIX}{COMMON_METADATA}"
            pq.write_metadata(schema, tmp)
            os.replace(tmp, self.part_dir / COMMON_METADATA)
            if self.part_dir != self.output:  # staged (overwrite): complete now
                self._swap_in(self.part_dir)
            return
        sources = ([self.output] if self._old_file() else []) + self.parts()
        held = self._held(sources)
        # Rows go in input order, that of the current manifest. Sources are each in input
        # order already, as a rule; read one after the other they are too, unless rows of an
        # earlier run (the file) and new parts interleave (inputs failed or changed, then
        # extracted again, or newly listed), or the manifest was reordered since: then they
        # are merged by input position, streaming. A run's own parts never interleave (each
        # shard holds the inputs of the run's list after those of the shard before):
        # nothing to check in a fresh run.
        order = None
        if relabel is not None and self._current is not None and not all(
                self._written_now(src) for src in sources):
            order = _merge_order(_positions_of(held, self._current))
        if order is not None and self._old_file():
            ours = [i for s, i in order if s == 0]  # the file's rows: sources[0]
            self.reordered = any(a > b for a, b in zip(ours, ours[1:], strict=False))
        if sources == [self.output] and order is None and (
                relabel is None or not _stale_and_schema(self.output, relabel, schema)[0]):
            unrecorded = self._unrecorded(held)
            # resumed without the tail rule's record (_tail_rule_moot: its rows are this
            # run's): the record says the rule, as a dataset folder's does after any run
            unruled = self._file_provenance.get("fingerprint") != self.key
            if not (unrecorded or unruled):
                _remove_merged(self.part_dir)
                return  # nothing new: the file stays as it is
            # only the record to mend: the file's provenance is still that of the runs that
            # wrote its rows (version, environment, date, n_inputs)
            provenance = dict(self._file_provenance)
            if unrecorded:
                provenance[RELATIVE_PATHS] = self.record
                self.recorded_folder = True
            if unruled:
                provenance.update(segments=self.config.get("segments"), fingerprint=self.key)
            info = json.loads(meta[METADATA_KEY])
            info["provenance"] = _jsonable(provenance)
            meta[METADATA_KEY] = json.dumps(info).encode()
        if order is None:
            done = [k for keys in held for k in keys]
        else:
            done = [held[s][i] for s, i in order]
        meta[DONE_KEY] = json.dumps([list(k) for k in done]).encode()
        schema = schema.with_metadata(meta)
        tmp = self.output.with_name(f"{TMP_PREFIX}{self.output.name}.{os.getpid()}")
        try:
            # rows gathered into row groups of up to MERGED_ROWS / MERGED_BYTES (a parquet
            # row group costs the same per column whatever its rows: one per part of 663
            # columns was most of the merge's time); floats plainly encoded
            with pq.ParquetWriter(tmp, schema, use_dictionary=_plain_floats(schema)) as writer:
                waiting: list[Any] = []
                n_rows = n_bytes = 0
                # the bytes of a part of this run: its fixed-width columns (the features) by
                # the bytes per row of the first part, its variable-width ones (paths, labels,
                # texts) measured (all 674 columns measured: 0.4 ms a part)
                varying = [i for i, f in enumerate(schema) if not pa.types.is_primitive(f.type)]
                fixed_row_bytes = None
                ours_now = {src for src in sources if self._written_now(src)}

                def fit(rows, src: Path):
                    """A batch of ``rows`` of ``src`` as ``schema``, and its bytes."""
                    nonlocal fixed_row_bytes
                    now = src in ours_now
                    if not (now or src == self.output):  # an interrupted run's part
                        self.n_merged += rows.num_rows
                    # parts of this run have the schema of the run (write_part casts to it)
                    # and the current manifest's columns already: no check, no relabelling;
                    # labels updated are counted in the finished output's rows only
                    if not (relabel is None or now):
                        rows = relabel.apply(rows, schema, count=src == self.output)
                    elif now and kept:  # the columns kept from earlier runs, missing here
                        rows = _conform(rows, schema)
                    elif not now and not rows.schema.equals(schema, check_metadata=False):
                        rows = _conform(rows, schema)  # a cast of 663 columns: 8 ms a part
                    if now and fixed_row_bytes is None and rows.num_rows:
                        fixed_row_bytes = (rows.get_total_buffer_size()
                                           - _bytes_of(rows, varying)) / rows.num_rows
                    if now and fixed_row_bytes is not None:
                        return rows, rows.num_rows * fixed_row_bytes + _bytes_of(rows, varying)
                    return rows, rows.get_total_buffer_size()  # nbytes: 2 ms a part

                if order is None:
                    pieces = (fit(rows, src) for src in sources
                              for rows in _batches(src, self._readers.pop(src, None)))
                else:
                    pieces = self._merged(sources, relabel, fit)
                for rows, size in pieces:
                    waiting.append(rows)
                    n_rows += rows.num_rows
                    n_bytes += size
                    if n_rows >= MERGED_ROWS or n_bytes >= MERGED_BYTES:
                        _write_group(writer, waiting, schema)
                        waiting, n_rows, n_bytes = [], 0, 0
                if waiting:
                    _write_group(writer, waiting, schema)
                # the parts' memory maps closed before their folder goes (Windows keeps a
                # mapped file)
                waiting = rows = pieces = None
            # the file replaced keeps its group and mode (a new file had the default ones)
            _carry_mode(self.output, tmp)
            os.replace(tmp, self.output)
        finally:
            tmp.unlink(missing_ok=True)
        # the marker first: parts without it are merged into the file already (the next run
        # removes them), the marker without all its parts would lose rows
        (self.part_dir / SUPERSEDED_FILE).unlink(missing_ok=True)
        _remove_merged(self.part_dir)

    def _unrecorded(self, held: list[list[InputKey]]) -> bool:
        """Whether the file output records no folder for its relative paths (written by an
        earlier version of emofeat) where this run found one (the working folder), and holds
        a relative path (``held``: each source's keys): a rerun with nothing new rewrites it
        once, its rows and the rest of its provenance as they are, to record it. Left as it
        was, every rerun worked the folder out again (:func:`_unrecorded_folder`: the keys
        read and a ``stat`` of each relative path held). An output of absolute paths only
        (the command's) has nothing to read against a folder: left alone."""
        if self.record is None or RELATIVE_PATHS in self._file_provenance:
            return False
        isabs = os.path.isabs
        return any(not isabs(str(k[0])) for keys in held for k in keys)

    def _held(self, sources: list[Path]) -> list:
        """The input keys each source holds: those :meth:`_scan` read just now (each part's
        footer parsed once), else read from the source."""
        return [k if (k := self._scanned.get(src)) is not None else _read_done(src)
                for src in sources]

    def _reorder_parts(self, relabel: Relabel | None) -> None:
        """Name the parts of a dataset folder so that name order is input order.

        A part is named by the position of its first input in the manifest of the run that
        wrote it. Inputs a later run extracts with another manifest (newly listed, or changed
        and so dropped from their old part) are named by their position in it: they came
        back after the whole old part that surrounds them, or after another part of the
        same number written before (:func:`_run_tag`); and a manifest reordered
        since lists the inputs of the old parts in another order. The rows go where the
        single file puts them (:func:`_merge_order`, by the keys of the parts' footers, read
        already): every listed input at its position in the current manifest, as a fresh
        run writes it, an input no longer listed after its neighbour. Where name order is not
        that order, the parts out of place are renamed, and the parts whose inputs are not
        to stay together (an old part with new rows between its inputs, a part whose inputs
        the manifest reorders, a part of this run holding inputs among those of earlier
        runs) are cut, the consecutive pieces joined into parts of up to as many inputs as
        the largest part (256 at least), not a part per piece. A part is numbered by its
        first listed input's position; one holding only inputs no longer listed sorts after
        the part before it (``~k``), or first (``+k``).

        What is renamed and rewritten is written first (:data:`REORDER_FILE`), then done
        (:meth:`_finish_reorder`): a run killed in between leaves it to the next run, which
        finishes it before it reads the parts (name order is the order of the rows already
        there: half done, it was not)."""
        if self._current is None or relabel is None:
            return
        parts = self.parts()
        now = [self._written_now(p) for p in parts]
        if all(now):
            return  # a run's own parts never interleave
        held = self._held(parts)
        ranks = _positions_of(held, self._current)
        # the rows already there as one source, as the single file holds them
        old = [(s, i) for s in range(len(parts)) if not now[s] for i in range(len(held[s]))]
        new = [s for s in range(len(parts)) if now[s]]
        order = _merge_order([[ranks[s][i] for s, i in old]] + [ranks[s] for s in new])
        if order is None:
            order = [(0, j) for j in range(len(old))] + [
                (1 + k, i) for k, s in enumerate(new) for i in range(len(held[s]))]
        wanted = [old[j] if src == 0 else (new[src - 1], j) for src, j in order]
        if wanted == [(s, i) for s in range(len(parts)) for i in range(len(held[s]))]:
            return  # name order is input order
        stretches: list[list[int]] = []  # [part, first item, end item], in input order
        for s, i in wanted:
            if stretches and stretches[-1][0] == s and stretches[-1][2] == i:
                stretches[-1][2] += 1
            else:
                stretches.append([s, i, i + 1])
        # the new parts: a whole part (renamed if need be), or pieces of parts joined
        most = max(256, *map(len, held))

        def whole(st: list[int]) -> bool:
            return (st[1], st[2]) == (0, len(held[st[0]]))

        groups: list[list[list[int]]] = []  # a whole part alone, or pieces to join
        for st in stretches:
            if (groups and not whole(st) and not whole(groups[-1][0])
                    and sum(b - a for _, a, b in groups[-1]) + st[2] - st[1] <= most):
                groups[-1].append(st)
            else:
                groups.append([st])
        cut = {s for g in groups if not whole(g[0]) for s, _, _ in g}
        runs = {s: _row_runs(parts[s], relabel) for s in cut}
        if any([r for _, _, r in runs[s]] != ranks[s] for s in cut):
            # the rows' inputs (by their identity columns) not matched one to one with the
            # keys (no key column): left as they are
            log.info("%s: parts not in input order, and not split by input", self.part_dir)
            return
        # the rows of finished runs in another order among themselves: the manifest's
        ours = [si for si in wanted if not now[si[0]]
                and parts[si[0]].name not in self._interrupted]
        self.reordered = self.reordered or any(
            a > b for a, b in zip(ours, ours[1:], strict=False))
        numbers = _ordered_numbers([
            next((r for s, a, b in g for r in ranks[s][a:b] if r is not None), None)
            for g in groups])
        tag = _run_tag(parts)
        renames, builds = [], []
        for g, number in zip(groups, numbers, strict=True):
            s = g[0][0]
            name = f"{PART_PREFIX}{number}-{tag}{parts[s].suffix}"
            if s not in cut:
                if _number_of(parts[s]) != number:
                    renames.append([parts[s].name, name])
                continue
            pieces = []  # [part, first row, rows] of each piece's inputs a to b
            for s, a, b in g:
                first = runs[s][a][0]
                end = runs[s][b - 1][0] + runs[s][b - 1][1]
                pieces.append([parts[s].name, first, end - first])
            builds.append([name, pieces, [list(k) for s, a, b in g for k in held[s][a:b]]])
        # "reordered": said by the run that finishes it, if this one is killed
        _atomic_write_text(self.part_dir / REORDER_FILE, json.dumps(
            {"build": builds, "remove": [parts[s].name for s in sorted(cut)],
             "rename": renames, "reordered": self.reordered}))
        self._finish_reorder()

    def _finish_reorder(self) -> None:
        """Do what :data:`REORDER_FILE` says (if it is there), then remove it: the parts to
        build from pieces of others, in turn (each written unless it is there already), each
        part they were cut from removed once the last part built from it is written, then the
        renames (those not done yet). Each step can be done again: a part not written yet
        still has every part it is cut from. A part to build whose part to cut is gone (not
        by this journal: it is removed only after) is not built, with an
        :class:`IncompleteDatasetWarning`, and the other parts it was to be cut from are left
        as they are (their rows kept: the next run keeps each input once, and extracts the
        missing ones again). The journal of earlier versions (``split``: the parts cut from
        each part, that part removed once they are written) is done the same way."""
        import warnings

        journal = self.part_dir / REORDER_FILE
        if not journal.is_file():
            return
        plan = json.loads(journal.read_text())
        builds = [(name, pieces, keys) for name, pieces, keys in plan.get("build", [])]
        remove = list(plan.get("remove", []))
        for src, cuts in plan.get("split", []):
            builds += [(name, [[src, first, n]], keys) for name, first, n, keys in cuts]
            remove.append(src)
        # a part cut goes as soon as its last piece is in a part written, so that a run
        # killed on the way leaves twice only the rows of parts built from parts still there
        last = {src: j for j, (_, pieces, _) in enumerate(builds) for src, _, _ in pieces}
        gone_after: dict[int, list[str]] = {}
        for src in remove:
            gone_after.setdefault(last.get(src, -1), []).append(src)
        rows = _Gather()
        kept: set[str] = set()  # the parts to cut into a part that cannot be built

        def drop(sources: list[str]) -> None:
            for src in sources:
                rows.drop(src)  # closed before it goes (Windows keeps an open file)
                if src not in kept and (self.part_dir / src).is_file():
                    log.info("removing %s, cut into parts in input order", src)
                    (self.part_dir / src).unlink()

        def fit(table, src: Path):
            meta = {k: v for k, v in (table.schema.metadata or {}).items() if k != DONE_KEY}
            table = table.replace_schema_metadata(meta)
            return table, table.nbytes

        drop(gone_after.get(-1, []))
        for j, (name, pieces, keys) in enumerate(builds):
            if not (self.part_dir / name).is_file():
                missing = sorted({src for src, _, _ in pieces
                                  if not (self.part_dir / src).is_file()})
                if missing:
                    others = sorted({src for src, _, _ in pieces} - set(missing))
                    kept.update(others)
                    warnings.warn(
                        f"{self.part_dir}: missing part {', '.join(missing)}, to be cut into "
                        f"{name} (input order): the rows of its inputs are lost, {name} not "
                        "written" + (f", and {', '.join(others)} left as it is" if others
                                     else "")
                        + ". Rerun the extraction on this folder to compute the missing inputs "
                        "again", IncompleteDatasetWarning, stacklevel=2)
                    continue
                log.info("writing %s from %s of %s (input order)", name,
                         counted(len(pieces), "piece"),
                         counted(len({src for src, _, _ in pieces}), "part"))
                for src, _, _ in pieces:
                    if src not in rows.sources:
                        rows.sources[src] = _Rows(self.part_dir / src, None, fit)
                table, _ = rows.take(pieces)
                write_part([table], table.schema, self.part_dir, name,
                           [tuple(k) for k in keys])
                table = None
                if len(rows.sources) > 64:  # a shuffle of many parts: not all of them open
                    rows.sources.clear()  # (the groups kept stay)
            drop(gone_after.get(j, []))
        for src, name in plan["rename"]:
            if (self.part_dir / src).is_file():
                log.info("renaming %s to %s (input order)", src, name)
                os.replace(self.part_dir / src, self.part_dir / name)
        journal.unlink()

    def _kept_columns(self, schema, relabel: Relabel | None):
        """``schema`` (this run's rows) with the identity columns that rows of earlier runs
        have and this run's inputs lack (see :func:`_keep_columns`), from the file, the
        dataset's ``_common_metadata`` (the columns of every part, written by the last run;
        each part's footer otherwise) and the parts of interrupted runs.

        Which survive: a run without labels (a folder, files) keeps every such column for
        the rows already there; a manifest with labels decides the labels of the rows it
        lists (:attr:`Relabel.kept` are missing there), so a column is kept only while some
        row of an input it does not list is left (a column renamed in a manifest that lists
        every input is gone, as before)."""
        if relabel is not None and relabel.columns:
            # the rows of listed files missing now, held under another spelling, are
            # listed too: relabelled by the manifest (an all-empty old column stayed)
            current = set(self._current or ()) | set(self.missing_spellings.values())
            if all(k in current for src, keys in self._scanned.items()
                   if not self._written_now(src) for k in keys):
                return schema  # every row already there is listed: the manifest decides all
        olds = []
        if self._old_file():
            olds.append(self.output)
        common = self.part_dir / COMMON_METADATA
        earlier = [p for p in self.parts() if not self._written_now(p)]
        if self.layout == "dataset" and common.is_file():
            olds.append(common)
            # the common schema holds the columns of every part finalised with it; only
            # the parts of interrupted runs (and of a reorder since) are read themselves
            earlier = self._unfinished(earlier)
        olds += earlier
        wider = schema
        for src in olds:
            reader = self._readers.get(src)
            wider = _keep_columns(wider, reader.schema if reader is not None
                                  else _read_schema(src))
        if len(wider) == len(schema):
            return schema
        if relabel is not None and relabel.columns:
            relabel.kept = frozenset(wider.names) - frozenset(schema.names)
        return wider

    def _merged(self, sources: list[Path], relabel: Relabel, fit):
        """The rows of ``sources`` merged by input position, streaming: each source's rows
        cut at its inputs (found by its identity columns, read alone), the stretches of all
        sources put in the current manifest's order (:func:`_merge_order`), each source
        opened when first needed, and taken a chunk of the output at a time (up to
        ``MERGED_ROWS`` rows, about ``MERGED_BYTES`` by the sources' metadata): each row group
        (an Arrow part's batch) the chunk needs read once for it (:class:`_Gather`), so once
        in all where the rows keep their order, at most once a chunk where a manifest
        reordered since shuffles them. Yields ``(rows, bytes)`` as ``fit`` makes them."""
        import math

        runs = [_row_runs(src, relabel, self._readers.get(src)) for src in sources]
        order = _merge_order([[r for _, _, r in rs] for rs in runs])
        if order is None:  # the rows are in order (the keys were not): read in turn
            order = [(s, i) for s, rs in enumerate(runs) for i in range(len(rs))]
        stretches: list[list[int]] = []  # [source, first row, rows]: consecutive rows
        for s, i in order:
            first, n, _ = runs[s][i]
            if stretches and stretches[-1][0] == s and sum(stretches[-1][1:]) == first:
                stretches[-1][2] += n
            else:
                stretches.append([s, first, n])
        left = [sum(n for _, n, _ in rs) for rs in runs]
        rows = _Gather()
        chunk: list[tuple[int, int, int]] = []
        done: list[int] = []  # the sources the chunk takes the last rows of
        n_rows, n_bytes = 0, 0.0
        for s, first, n in stretches:
            while n > 0:
                if s not in rows.sources:
                    src = sources[s]
                    rows.sources[s] = _Rows(src, self._readers.pop(src, None), fit)
                per_row = rows.sources[s].bytes_a_row
                k = min(n, MERGED_ROWS - n_rows)
                if per_row > 0:
                    k = max(1, min(k, math.ceil((MERGED_BYTES - n_bytes) / per_row)))
                chunk.append((s, first, k))
                n_rows, n_bytes = n_rows + k, n_bytes + k * per_row
                first, n, left[s] = first + k, n - k, left[s] - k
                if not left[s]:
                    done.append(s)
                if n_rows >= MERGED_ROWS or n_bytes >= MERGED_BYTES:
                    yield rows.take(chunk)
                    for d in done:  # done with it: its file closed
                        rows.drop(d)
                    chunk, done, n_rows, n_bytes = [], [], 0, 0.0
        if chunk:
            yield rows.take(chunk)


def _joined(tables: list[Any]):
    """Pieces of parts as one table with the first one's metadata: the columns by name,
    a column all missing in one piece (``null``) taking the type of the others."""
    import pyarrow as pa

    if len(tables) == 1:
        return tables[0]
    meta = tables[0].schema.metadata
    joined = pa.concat_tables([t.replace_schema_metadata(None) for t in tables],
                              promote_options="default")
    return joined.combine_chunks().replace_schema_metadata(meta)


class _Rows:
    """A source's rows by row number, read a row group (an Arrow part's batch) at a time;
    ``bytes_a_row``: their size by the source's metadata, before they are read (an estimate:
    ``fit`` may add columns). ``fit(rows)``: rows taken from it as ``fit(rows, src)`` makes
    them, and their bytes."""

    def __init__(self, src: Path, reader: Any, fit) -> None:
        import numpy as np
        import pyarrow as pa

        if _is_arrow(src):
            reader = _arrow_reader(src) if reader is None else reader
            batches = [reader.get_batch(i) for i in range(reader.num_record_batches)]
            sizes = [b.num_rows for b in batches]
            nbytes = sum(b.nbytes for b in batches)
            self.read = lambda i: pa.Table.from_batches([reader.get_batch(i)])
        else:
            import pyarrow.parquet as pq

            pf = pq.ParquetFile(src)
            groups = [pf.metadata.row_group(i) for i in range(pf.num_row_groups)]
            sizes = [g.num_rows for g in groups]
            nbytes = sum(g.total_byte_size for g in groups)
            self.read = pf.read_row_group
        self.starts = np.cumsum([0, *sizes])
        self.bytes_a_row = nbytes / max(1, self.starts[-1])
        self.fit = lambda rows: fit(rows, src)


class _Gather:
    """The rows of sources (``sources``: a :class:`_Rows` by any key) taken in any order, a
    list of pieces at a time: each row group the list needs is read once for it, the rows
    taken from it copied out (but for a whole group: a slice would keep the group in memory
    after the cache let it go) and made as ``fit`` makes them (only those: relabelling a
    group for each chunk that takes a row of it was most of the time of a shuffled merge).
    The groups read last are kept, up to ``MERGED_BYTES`` in all (at least one), so rows
    taken in order read each group once."""

    def __init__(self) -> None:
        self.sources: dict[Any, _Rows] = {}
        # (source, group) -> (rows as read, their bytes); Table.nbytes walks every buffer, so
        # each group's is taken once and the total kept as it changes
        self._kept: dict[tuple[Any, int], tuple[Any, int]] = {}
        self._held = 0

    def _group(self, s: Any, g: int):
        got = self._kept.pop((s, g), None)
        if got is None:
            rows = self.sources[s].read(g)
            got = rows, rows.nbytes
            while self._kept and self._held + got[1] > MERGED_BYTES:
                self._held -= self._kept.pop(next(iter(self._kept)))[1]  # least recently used
            self._held += got[1]
        self._kept[(s, g)] = got
        return got[0]

    def take(self, pieces: list[tuple[Any, int, int]]) -> tuple[Any, float]:
        """The rows ``first`` to ``first + n`` of each ``(source, first, n)`` of ``pieces``,
        in that order, as one table (:func:`_joined`) and its bytes."""
        import numpy as np

        wanted: dict[tuple[Any, int], list[tuple[int, int]]] = {}  # (at, rows) in a group
        counts: dict[tuple[Any, int], int] = {}
        bits = []  # (source, group, first row of the group's rows taken, rows)
        for s, first, n in pieces:
            starts = self.sources[s].starts
            while n > 0:
                g = int(np.searchsorted(starts, first, side="right")) - 1
                at, k = first - int(starts[g]), min(n, int(starts[g + 1]) - first)
                wanted.setdefault((s, g), []).append((at, k))
                bits.append((s, g, counts.get((s, g), 0), k))
                counts[s, g] = counts.get((s, g), 0) + k
                first, n = first + k, n - k
        tables, base, size, at_row = [], {}, 0.0, 0
        for (s, g), ranges in wanted.items():
            rows = self._group(s, g)
            if ranges != [(0, rows.num_rows)]:
                rows = rows.take(np.concatenate([np.arange(a, a + k) for a, k in ranges]))
            rows, nbytes = self.sources[s].fit(rows)
            tables.append(rows)
            base[s, g], at_row, size = at_row, at_row + rows.num_rows, size + nbytes
        joined = _joined(tables)
        order = np.concatenate([np.arange(at, at + k) + base[s, g] for s, g, at, k in bits])
        if (order[1:] < order[:-1]).any():  # the groups' rows interleave
            joined = joined.take(order)
        return joined, size

    def drop(self, s: Any) -> None:
        """Forget source ``s`` (its file closed with the last reference to it)."""
        self.sources.pop(s, None)
        for key in [key for key in self._kept if key[0] == s]:
            self._held -= self._kept.pop(key)[1]


def _number_of(part: Path) -> str:
    """The number of a part's name (``part-<number>-<tag>.parquet``)."""
    return part.stem[len(PART_PREFIX):].rsplit("-", 1)[0]


def _ordered_numbers(firsts: list[int | None]) -> list[str]:
    """Part numbers whose name order is the given order of parts (``firsts``: the input
    position of each part's first input still listed, None when it holds none): a part's
    own position where it is past the number before, else the number before and ``~k``
    (sorts after every part of that number: ``~`` comes after the ``-`` that ends a
    number), or, before any, ``0`` and ``+k`` (sorts before every ``0-``: ``+`` comes
    before ``-``)."""
    out = []
    prev, k = None, 0
    for p in firsts:
        if p is not None and (prev is None or p > prev):
            prev, k = p, 0
            out.append(f"{p:010d}")
        else:
            k += 1
            out.append(f"{0:010d}+{k:06d}" if prev is None else f"{prev:010d}~{k:06d}")
    return out


def _positions_of(held: list[list[InputKey]], current: list[InputKey]
                  ) -> list[list[int | None]]:
    """The position in ``current`` (first occurrence) of every key of every source (None:
    not in it)."""
    position: dict[InputKey, int] = {}
    for i, k in enumerate(current):
        position.setdefault(k, i)
    return [[position.get(k) for k in keys] for keys in held]


def _merge_order(ranks: list[list[int | None]]) -> list[tuple[int, int]] | None:
    """The order of the items of several sources (``ranks``: each item's input position,
    None for an input no longer in the manifest) by input position, as ``(source, item)``;
    None when the sources one after the other are in order already.

    Every listed item goes to its position in the current manifest, as a fresh run of it
    writes them, whatever its order in its source (a manifest reordered since reorders the
    rows already there). An item not in the manifest stays after the listed item before it
    in its source (its neighbour there, wherever that goes now), the items of one place in
    their order; when none is before it, at the start of the output in the first source (the
    file), in the others before the first item of their source that is in the manifest; a
    source of such items only stays after the sources before it."""
    keyed = []
    before = -1  # the last position of the sources before
    for s, seq in enumerate(ranks):
        known = [r for r in seq if r is not None]
        if not known:
            keyed += [(before, 3, s, i) for i in range(len(seq))]
            continue
        prev = None
        for i, r in enumerate(seq):
            if r is not None:
                prev = r
                keyed.append((r, 1, s, i))
            elif prev is not None:
                keyed.append((prev, 2, s, i))
            else:
                keyed.append((-1, 0, s, i) if s == 0 else (known[0], 0, s, i))
        before = max(before, max(known))
    if all(a < b for a, b in zip(keyed, keyed[1:], strict=False)):
        return None
    return [(s, i) for *_, s, i in sorted(keyed)]


def _row_runs(src: Path, relabel: Relabel, reader: Any = None
              ) -> list[tuple[int, int, int | None]]:
    """The rows of each input in ``src``, in order: ``(first row, rows, position)``, the
    position of the input in the current manifest (None: not in it). Only the identity
    columns are read; a new stretch starts where they change from one row to the next."""
    import numpy as np
    import pyarrow as pa
    import pyarrow.compute as pc

    if _is_arrow(src):
        table = (_arrow_reader(src) if reader is None else reader).read_all()
        table = table.select([c for c in relabel.key_columns if c in table.column_names])
    else:
        import pyarrow.parquet as pq

        with pq.ParquetFile(src) as pf:  # not pq.read_table: see _read_rows
            names = pf.schema_arrow.names
            table = pf.read(columns=[c for c in relabel.key_columns if c in names])
    n = table.num_rows
    if n == 0:
        return []
    new = np.ones(n, dtype=bool)  # a row whose identity differs from the row before
    if table.num_columns:
        new[1:] = False
        for column in table.columns:
            a = column.combine_chunks()
            if pa.types.is_dictionary(a.type):
                a = a.dictionary_decode()
            x, y = a.slice(1), a.slice(0, n - 1)
            try:
                same = pc.fill_null(pc.equal(x, y), False)
                same = pc.or_(same, pc.and_(x.is_null(), y.is_null()))
                if pa.types.is_floating(a.type):
                    same = pc.or_(same, pc.fill_null(pc.and_(pc.is_nan(x), pc.is_nan(y)),
                                                      False))
                new[1:] |= ~same.to_numpy(zero_copy_only=False)
            except pa.ArrowNotImplementedError:  # not comparable: every row on its own
                new[1:] = True
    heads = np.flatnonzero(new)
    positions = relabel.positions(table.take(pa.array(heads)))
    ends = [*heads[1:].tolist(), n]
    return [(int(a), int(b) - int(a), None if p < 0 else int(p))
            for a, b, p in zip(heads, ends, positions, strict=True)]


def _few(names: Sequence[str], shown: int = 3, *, apart: bool = False) -> str:
    """A few names and how many there are: ``'a', 'b', 'c' and 12 more (15 columns)``; by
    ``ascii()`` where ``apart`` (names printing alike)."""
    if not names:
        return "no column"
    head = names_shown(names[:shown], apart)[1:-1]
    rest = f" and {len(names) - shown} more" if len(names) > shown else ""
    return f"{head}{rest} ({counted(len(names), 'column')})"


def _emofeat_info(schema) -> dict[str, Any]:
    """The emofeat metadata of a schema (empty when it has none, or none readable)."""
    try:
        return json.loads((schema.metadata or {}).get(METADATA_KEY, b"{}"))
    except ValueError:
        return {}


def _identity_names(schema, info: dict[str, Any] | None = None) -> list[str]:
    """The identity columns of a schema written by emofeat, in order (its metadata's
    ``index_columns``; without them every column that is not a feature; ``info``: its
    :func:`_emofeat_info`, when the caller has parsed it)."""
    info = _emofeat_info(schema) if info is None else info
    names = info.get("index_columns")
    if names is None:
        features = set(info.get("feature_names") or [])
        names = [n for n in schema.names if n not in features]
    return [n for n in names if n in schema.names]


def _type_kind(t) -> str:
    import pyarrow as pa

    if pa.types.is_null(t):
        return "null"
    if pa.types.is_boolean(t):
        return "booleans"
    if pa.types.is_integer(t):
        return "whole numbers"
    if pa.types.is_floating(t):
        return "decimal numbers"
    if pa.types.is_string(t) or pa.types.is_large_string(t):
        return "text"
    return str(t)


def _holds_no_value(path: Path, name: str) -> bool:
    """Whether column ``name`` of a part or output file is missing in every row (a manifest's
    blank column, which pandas reads and pyarrow writes as decimal numbers); a dataset
    folder's ``_common_metadata``: in every part."""
    if path.name == COMMON_METADATA:
        parts = _part_files(path.parent)
        return bool(parts) and all(_holds_no_value(p, name) for p in parts)
    try:
        if _is_arrow(path):
            column = _arrow_reader(path).read_all().column(name)
        else:
            import pyarrow.parquet as pq

            column = pq.read_table(path, columns=[name]).column(name)
    except (OSError, ValueError, KeyError):
        return False
    return column.null_count == len(column)


def with_written_types(schema, written: Sequence[tuple[Path, Any]], missing: set[str],
                       output: Path, layout: str = "file") -> tuple[Any, set[str]]:
    """``(schema, widened)``: ``schema``, this run's part schema, with each identity column
    typed as the rows the output holds already (``written``: ``(part or file, its
    schema)``) where this run's values fit that type: a column this run holds no value of
    (``missing``), whole numbers where the output holds decimals, a text type beside
    another. Decimals where it holds whole numbers stay decimals, the wider type, and a
    column the rows held leave blank takes this run's type (``widened`` names those columns
    where the rows held are a dataset folder's parts, which the run rewrites; a file's merge
    casts its rows). Other types (text beside numbers) are a
    :class:`ColumnTypeMismatchError` naming the column, both types and the way out: one
    output held both, which no reader could read."""
    import pyarrow as pa

    fields = {f.name: f for f in schema}
    changed = False
    widened: set[str] = set()
    for name in _identity_names(schema):
        for where, old in written:
            if name not in old.names:
                continue
            was, now = old.field(name).type, fields[name].type
            if was == now or pa.types.is_null(was):
                continue  # a column an earlier run held no value of takes any type
            kind_was, kind_now = _type_kind(was), _type_kind(now)
            if layout != "dataset" and _holds_no_value(where, name):
                continue  # the merge casts the rows held (all missing) to this run's type
            if (name in missing or pa.types.is_null(now) or kind_was == kind_now
                    or (kind_was, kind_now) == ("decimal numbers", "whole numbers")):
                fields[name] = fields[name].with_type(was)
                changed = True
                continue
            if (kind_was, kind_now) == ("whole numbers", "decimal numbers"):
                # wider (a blank cell makes a column of whole numbers decimal; 0.5 s after
                # whole seconds): a file's merge casts the rows held, a folder's parts are
                # rewritten as the run begins (FeatureStore.retype_held; a reader taking the
                # first part's int64 refused 0.5)
                widened.add(name)
                continue
            # read only here: a folder's blank column is its every part's column
            if layout == "dataset" and _holds_no_value(where, name):
                # the rows held leave it blank (a manifest's blank column, which pandas reads
                # as decimals): this run's type, to which the parts are rewritten, as a file
                # output's merge casts its rows
                widened.add(name)
                continue
            how = ("as decimal numbers, 3.0 for 3" if kind_was == "decimal numbers"
                   else f"as {kind_was}")
            harm = ("a dataset folder of both is unreadable, to pandas too" if layout ==
                    "dataset" else "their rows cannot be merged into one file")
            raise ColumnTypeMismatchError(
                f"{output}: column {name!r} holds {kind_now} ({now}) in this run's inputs and "
                f"{kind_was} ({was}) in the rows the output holds ({where.name}): one output "
                f"cannot hold both ({harm}); write the column {how}, or extract again with "
                f"{_overwrite()}")
    if not changed:
        return schema, widened
    return pa.schema([fields[f.name] for f in schema], metadata=schema.metadata), widened


def _types_differ(have, schema, names: Iterable[str]) -> bool:
    """Whether a part's schema ``have`` types one of the columns ``names`` otherwise than
    this run's ``schema`` (a part to retype: :attr:`FeatureStore.widened`)."""
    return any(n in have.names and n in schema.names and have.field(n).type != schema.field(n).type
               for n in names)


def _retyped(schema, targets: dict[str, Any], source):
    """``schema`` with the fields of ``targets`` (by name) in their types where it has them,
    and pandas' record of each taken from ``source`` (the schema they come from), so that
    pandas does not read a column by the type it had."""
    import pyarrow as pa

    fields = [targets[f.name].with_name(f.name) if f.name in targets else f for f in schema]
    meta = dict(schema.metadata or {})
    if b"pandas" in meta and b"pandas" in (source.metadata or {}):
        try:
            pandas = json.loads(meta[b"pandas"])
            theirs = {c.get("field_name", c.get("name")): c
                      for c in json.loads(source.metadata[b"pandas"])["columns"]}
            pandas["columns"] = [
                theirs[name] if (name := c.get("field_name", c.get("name"))) in targets
                and name in theirs else c for c in pandas["columns"]]
            meta[b"pandas"] = json.dumps(pandas).encode()
        except (ValueError, KeyError, TypeError, AttributeError):
            pass  # not pandas' metadata: left as it is
    return pa.schema(fields, metadata=meta)


def _keep_columns(schema, old):
    """``schema`` with the identity columns of ``old`` that it lacks.

    ``schema`` is the schema of this run's rows, ``old`` that of rows an earlier run wrote.
    A rerun whose inputs carry fewer columns (a folder of new files, a manifest without some
    labels) must not drop the labels of the rows already there: the output accumulates, like
    its rows. Each kept column has its type in ``old`` (an ``int64`` label stays one; the
    rows of this run hold it missing) and goes after the column before it in ``old``; the
    emofeat metadata (``index_columns``) and pandas' metadata say so. The fingerprint is the
    extraction parameters' and does not change.
    """
    have = set(schema.names)
    old_ident = _identity_names(old)
    info = _emofeat_info(schema)  # parsed once: it holds every feature name
    features = set(info.get("feature_names") or [])
    missing = [n for n in old_ident if n not in have and n not in features]
    if not missing:
        return schema
    ident = _identity_names(schema, info)
    order = list(ident)
    for n in missing:  # after the nearest column before it in ``old`` that is there
        before = old_ident[:old_ident.index(n)]
        at = max((order.index(b) + 1 for b in before if b in order), default=0)
        order.insert(at, n)
    import pyarrow as pa

    fields = [schema.field(n) if n in have else old.field(n) for n in order]
    ident_set = set(ident)
    fields += [f for f in schema if f.name not in ident_set]
    meta = dict(schema.metadata or {})
    if info:
        info["index_columns"] = order
        meta[METADATA_KEY] = json.dumps(info).encode()
    if b"pandas" in meta:
        try:
            pandas = json.loads(meta[b"pandas"])
            entries = {c.get("field_name", c.get("name")): c for c in pandas["columns"]}
            for c in json.loads((old.metadata or {}).get(b"pandas", b"{}")).get("columns", []):
                entries.setdefault(c.get("field_name", c.get("name")), c)
            in_order = set(order)
            pandas["columns"] = [entries[n] for n in order if n in entries] + [
                c for n, c in entries.items() if n not in in_order]
            meta[b"pandas"] = json.dumps(pandas).encode()
        except (ValueError, KeyError, TypeError, AttributeError):
            pass  # not pandas' metadata: left as it is
    return pa.schema(fields, metadata=meta)


def _has_fields(have, schema) -> bool:
    """Whether a part's schema ``have`` holds every column of ``schema``."""
    names = set(have.names)
    return all(n in names for n in schema.names)


def _column_index(rows) -> dict[str, int]:
    """The position of each column of ``rows`` by name; a name held twice is refused (the
    last copy would be taken without a word: :func:`_read_done` names the source first)."""
    names = rows.schema.names
    index = {name: i for i, name in enumerate(names)}
    if len(index) != len(names):
        _refuse_repeated_columns(names, "the rows to rewrite")
    return index


def _conform(rows, schema):
    """``rows`` as ``schema``: columns cast to its types, its columns that ``rows`` lack
    missing (null) in every row."""
    import pyarrow as pa

    index = _column_index(rows)
    arrays = []
    for field in schema:
        i = index.get(field.name)
        if i is None:
            arrays.append(pa.nulls(rows.num_rows, field.type))
        else:
            col = rows.column(i)
            arrays.append(col.cast(field.type) if col.type != field.type else col)
    return pa.Table.from_arrays(arrays, schema=schema)


def _bytes_of(table, columns: list[int]) -> int:
    """The buffer bytes of some columns of a table."""
    return sum(table.column(i).get_total_buffer_size() for i in columns)


def _write_group(writer, tables: list[Any], schema) -> None:
    """Tables written as one row group (``row_group_size``: all their rows), each column in
    one piece: parquet's writer pays about 1 us per column per piece (0.1 s for 120 parts of
    674 columns), more than joining them in memory (at most ``MERGED_BYTES``) costs."""
    import pyarrow as pa

    table = tables[0] if len(tables) == 1 else pa.concat_tables(tables).combine_chunks()
    writer.write_table(table.replace_schema_metadata(schema.metadata),
                       row_group_size=max(1, table.num_rows))


def _stale_and_schema(path: Path, relabel: Relabel, schema) -> tuple[bool, Any]:
    """Whether a parquet file's manifest columns (or its identity schema) differ from the
    current, and the file's schema, from one open of it (an :class:`UnreadableOutputError`
    naming the file when it cannot be opened, or its identity columns cannot be read)."""
    import pyarrow.parquet as pq

    try:
        pf = pq.ParquetFile(path)  # not pq.read_table: see _read_rows
    except (OSError, ValueError) as exc:
        raise _unreadable(path, exc) from exc
    with pf:
        have = pf.schema_arrow
        wanted = [f.name for f in schema if f.name in relabel.columns or f.name in
                  relabel.key_columns]
        kept = [n for n in have.names if n in relabel.kept]
        if [n for n in have.names if n in wanted] != wanted:
            return True, have
        try:
            rows = pf.read(columns=wanted + kept)
        except (OSError, ValueError) as exc:  # a damaged page: pyarrow names no file
            raise _unreadable(path, exc) from exc
        return relabel.stale(rows), have


def _relabel_file(src: Path, dst: Path, relabel: Relabel | None, schema,
                  count: bool = False) -> None:
    """Rewrite ``src`` into ``dst`` (atomically) with the current manifest columns (``None``:
    its own, only made ``schema``), keeping its input keys; ``count``: the rows whose labels
    change counted (:attr:`Relabel.n_changed`)."""
    import pyarrow.parquet as pq

    log.info("%s: manifest columns changed since it was written; rejoining them", src)
    keys = (pq.read_metadata(src).metadata or {}).get(DONE_KEY, b"[]")  # file-level
    part_schema = schema.with_metadata({**(schema.metadata or {}), DONE_KEY: keys})
    tmp = dst.with_name(f"{TMP_PREFIX}{dst.name}.{os.getpid()}")
    try:
        pf = pq.ParquetFile(src)
        with pq.ParquetWriter(tmp, part_schema) as writer:
            for i in range(pf.num_row_groups):
                rows = pf.read_row_group(i)
                writer.write_table(_conform(rows, part_schema) if relabel is None
                                   else relabel.apply(rows, part_schema, count=count))
        os.replace(tmp, dst)
    finally:
        tmp.unlink(missing_ok=True)


def read_dataset(path: str | os.PathLike):
    """A dataset folder written by emofeat as one ``pyarrow.Table``, parts in name order, with
    the schema and metadata of ``_common_metadata`` when present."""
    import pyarrow.dataset as ds
    import pyarrow.parquet as pq

    path = Path(path)
    files = sorted(str(p) for p in path.glob(f"{PART_PREFIX}*.parquet"))
    common = path / COMMON_METADATA
    if not files:
        files = sorted(str(p) for p in path.rglob("*.parquet")
                       if not p.name.startswith(("_", ".")))
        if files and not common.is_file() and not (path / RUN_FILE).is_file():
            _refuse_folder_of_outputs(path, files)
    schema = pq.read_schema(common) if common.is_file() else None
    if not files:
        if schema is None and (path / RUN_FILE).is_file():
            # the folder of a run stopped before its first part, not some other folder
            holder, output = folder_writer(path)
            raise ValueError(f"{path}: no rows yet: {nothing_saved_yet(holder)}; "
                             + ((f"read {output or 'it'} once that run has finished")
                                if holder else "run the same extraction again"))
        if schema is None:
            raise ValueError(f"{path}: no parquet parts in this folder")
        return schema.empty_table()
    if schema is not None:
        used = _check_parts(path, [Path(f) for f in files], schema)
        metadata = schema.metadata
        if used:  # the rows of a run that has not finished, beside a finished run's
            metadata = _with_part_libraries(metadata, used)
    else:
        rows = 0
        ours = False  # parts of emofeat's (their input keys): an interrupted first run's
        libraries: list[bytes] = []
        for f in files:
            try:
                meta = pq.read_metadata(f)
                part = meta.schema.to_arrow_schema()
            except (OSError, ValueError) as exc:  # said of the part, as _check_parts does
                raise _unreadable(Path(f), exc) from exc
            _refuse_repeated_part_columns(f, part.names)
            if f == files[0]:
                metadata = part.metadata  # the first part's, read once
            rows += meta.num_rows
            ours = ours or DONE_KEY in (meta.metadata or {})
            used = (meta.metadata or {}).get(LIBRARIES_KEY)
            if used:
                libraries.append(used)
        if libraries:  # no run recorded the libraries its parts' shards used: they did
            metadata = _with_part_libraries(metadata, libraries)
        if ours:
            _warn_unfinished(path, rows, len(files), rows, first=True,
                             provenance=_emofeat_info(part).get("provenance"))
    table = ds.dataset(files, format="parquet", schema=schema).to_table()
    return table.replace_schema_metadata(
        {k: v for k, v in (metadata or {}).items() if k != DONE_KEY})


def _with_part_libraries(metadata: Any, libraries: list[bytes]) -> Any:
    """A part's schema ``metadata`` with the libraries the parts' shards used
    (:data:`LIBRARIES_KEY` of each) merged into its provenance's environment."""
    from ._libraries import with_earlier

    try:
        info = json.loads(metadata[METADATA_KEY])
        environment = info["provenance"]["environment"]
        for one in libraries:
            environment = with_earlier(environment, json.loads(one))
    except (KeyError, TypeError, ValueError):  # no emofeat provenance: left as it is
        return metadata
    info["provenance"]["environment"] = environment
    return {**metadata, METADATA_KEY: json.dumps(info).encode()}


def _refuse_folder_of_outputs(path: Path, files: list[str]) -> None:
    """Refuse a folder that is no dataset emofeat wrote (no parts at its top, no schema file,
    no run file) but holds features tables emofeat wrote, file outputs or dataset folders:
    a project folder read as one table concatenated them, the rows of one input as many
    times as its outputs hold it (``emofeat info`` said "16 rows" of 4 inputs, and that a
    run into the folder had not finished). A folder of another tool's parquet files is read
    as before."""
    import pyarrow.parquet as pq

    owners: list[str] = []
    for f in files:
        try:
            meta = pq.read_metadata(f).metadata or {}
        except (OSError, ValueError):
            continue  # said by the read that follows, naming the file
        top = Path(f).relative_to(path).parts[0]
        if METADATA_KEY in meta and top not in owners:
            owners.append(top)
    if owners:
        shown = os.fspath(path)
        first = os.path.join(shown, owners[0])
        if len(owners) == 1:
            held = f"a features table emofeat wrote, {owners[0]!r}; read it ({first})"
        else:
            held = (f"{len(owners)} features tables emofeat wrote, each a table of its own "
                    f"({names_shown(owners[:5])}{' ...' if len(owners) > 5 else ''}); read "
                    f"one of them ({first})")
        raise ValueError(f"{shown} is no dataset folder emofeat wrote (no {PART_PREFIX}*.parquet "
                         f"parts in it): it holds {held}")


def _refuse_repeated_part_columns(part: str | os.PathLike, names: list[str]) -> None:
    """A ``ValueError`` naming ``part`` and its column names held more than once (a column
    appended again by another tool): the dataset's reader took the first copy of each
    without a word."""
    _refuse_repeated_columns(names, f"{os.fspath(part)}: the part")


class IncompleteDatasetWarning(UserWarning):
    """A dataset folder holds the rows of fewer inputs than the run that wrote it, the rows
    of an input twice (in two parts), or rows of a run that has not finished it
    (interrupted, or still running)."""


def check_dataset_piece(path: str | os.PathLike) -> None:
    """Refuse the schema file of an emofeat dataset folder, and warn of one of its parts,
    read as a table (``read_table``, ``emofeat info``): ``emofeat info feats/_common_metadata``
    said "0 rows x 751 features" of a folder of 200 rows, and a part its 5 rows, each as if it
    were the table. A part is still read (its rows are the folder's); a folder is recognised
    by its parts beside ``_common_metadata`` or by its run file."""
    import warnings

    import pyarrow.parquet as pq

    from .extractor import _outside_emofeat

    path = Path(path)
    folder = path.parent
    shown = os.path.dirname(os.fspath(path)) or "."
    if path.name in (COMMON_METADATA, "_metadata"):
        if _part_files(folder):
            raise ValueError(f"{os.fspath(path)}: the schema file of the dataset folder "
                             f"{shown}, which holds no rows; read the folder: {shown}")
        return
    if not (path.name.startswith(PART_PREFIX) and path.suffix == PARQUET and (
            (folder / COMMON_METADATA).is_file() or (folder / RUN_FILE).is_file())):
        return
    try:
        rows = pq.read_metadata(path).num_rows
    except (OSError, ValueError):
        return  # the reader says what is wrong with it
    parts = len(_part_files(folder))
    warnings.warn(f"{os.fspath(path)}: one of the {counted(parts, 'part')} of the dataset "
                  f"folder {shown}, read alone: its {counted(rows, 'row')}, not the table's; "
                  f"read the folder for the whole table: {shown}", UserWarning,
                  stacklevel=_outside_emofeat(2))


def _recorded_sets(folder: Path, provenance: Any = None) -> Any:
    """The sets whose rows an output's parts folder holds: its run file's (the run that has
    not finished it), else ``provenance``'s (its parts' or ``_common_metadata``'s)."""
    try:
        return json.loads((folder / RUN_FILE).read_text())["config"]["sets"]
    except (OSError, ValueError, KeyError, TypeError):
        return provenance.get("sets") if isinstance(provenance, dict) else None


def former_class_now(name: Any, recorded_class: Any) -> int | None:
    """The numbers version the class that made a set's rows computes now, where that class
    is one the set ``name`` was made by before its class now (:data:`registry._FORMER_CLASSES`:
    ``mfcc_htk`` was ``MFCC(convention="htk")`` at numbers version 1, is ``MFCCHTK`` at 2);
    ``None`` otherwise. Such rows are refused by the set now and resumed by the class that
    made them: both are said. Imports that class's module (only for such a record: an old
    ``mfcc_htk`` table)."""
    import importlib

    from .registry import _FORMER_CLASSES, installed_class

    if (not isinstance(recorded_class, str) or recorded_class == installed_class(name)
            or recorded_class not in _FORMER_CLASSES.get(name, ())):
        return None
    module, _, qualname = recorded_class.rpartition(".")
    try:  # emofeat's own classes only (those of _FORMER_CLASSES)
        return int(getattr(importlib.import_module(module), qualname).numbers_version)
    except (ImportError, AttributeError, TypeError, ValueError):
        return None


def _change_refuses(changed: list) -> str:
    """The verb after :func:`sets_named`: one set's change refuses, several sets' changes
    refuse."""
    return "change refuses" if len(changed) < 2 else "changes refuse"


def refused_again(folder: str | os.PathLike, provenance: Any = None) -> str:
    """What finishes the unfinished output whose parts are in ``folder`` where the installed
    emofeat computes one of its sets at another numbers version: there the same extraction is
    refused (:meth:`FeatureStore._check_key`), not resumed, so the readers' "run the same
    extraction again" (``read_table``, ``emofeat info``) sent the user into that refusal.
    ``""`` where the versions agree (or a set is not this emofeat's).

    Rows of a set made by one of its former classes (:func:`former_class_now`) are said
    both ways: the set now refuses them, the class that made them, at the same numbers
    version still, resumes them. An interrupted run of ``MFCC(convention="htk")`` (recorded
    as ``mfcc_htk``, class ``MFCC``, version 1) was told "the same extraction is refused ...
    run it with --overwrite", while the same run resumed it."""
    from .registry import installed_class

    sets = _recorded_sets(Path(folder), provenance)
    changes = installed_changes(sets)
    if not changes:
        return ""
    classes = _classes({"sets": sets})
    former = {name: former_class_now(name, classes.get(name)) for name, _, _ in changes}
    same = [(name, old, new) for name, old, new in changes if former[name] != old]
    again = option("--overwrite (the emofeat extract command; emofeat.runner.run: "
                   "overwrite=True)", "--overwrite")
    said = []
    if same:
        how = ", and ".join(f"the {name} set's numbers at version {new}, these rows' at {old}"
                            for name, old, new in same)
        said.append(f"the installed emofeat computes {how} (they changed for the same "
                    "parameters), so the same extraction is refused, not resumed: it would "
                    f"mix the two in one table. Run it with {again} to extract every input "
                    "again at the installed numbers (or finish the run with the emofeat that "
                    "began it)")
    for name, old, new in changes:
        if former[name] != old:
            continue
        # the sets named above refuse the former class's run too ('the sets above' named
        # one set as several until session 57)
        resumes = ("and resumes them (run the same extraction again with it)" if not same
                   else f"({sets_said(same)} {_change_refuses(same)} that run all the "
                        "same)")
        said.append(
            f"these rows' {name} set was made by class {classes[name]} at numbers version "
            f"{old}, the {name} set's class before: the {name} set now "
            f"({option(f'get_extractor({name!r})', f'emofeat extract --set {name}')}) is "
            f"class {installed_class(name)} at numbers version {new} and refuses these "
            f"rows (with {again} it extracts every input again at version {new}); the "
            f"class that made them, {classes[name]} with the parameters recorded, still "
            f"computes version {old} {resumes}")
    return "; ".join(said)


def inputs_held(parts: Path) -> int:
    """The inputs whose rows the parts in the folder ``parts`` hold (the parts alone: a file
    output beside them is another run's), for the messages of an unfinished run; a part that
    cannot be read ends the count (the count is all it costs)."""
    keys: set = set()
    try:
        for part in _part_files(parts):
            keys.update(_read_done(part))
    except (OSError, ValueError):
        pass
    return len(keys)


def parts_folder(output: Path) -> Path:
    """The folder of a file output's parts while its run goes on: ``OUT.parquet.parts``
    beside it, or beside the link's target where ``output`` is a symbolic link (a run into
    a link writes there, :class:`FeatureStore`), which leads to nothing until the run's
    first merge: the readers looked beside the link and said 'no such file or folder'."""
    real = written_at(output)
    return real.with_name(real.name + ".parts")


def written_at(output: Path) -> Path:
    """Where a run given ``output`` writes it, and beside which it keeps its parts, lock and
    staging: the link's target where ``output`` is a symbolic link (a chain of them followed
    to its end, :class:`FeatureStore`), else ``output`` as given."""
    return Path(os.path.realpath(output)) if output.is_symlink() else output


def unfinished_file_output(path: str | os.PathLike) -> str | None:
    """What to tell a reader of a file output whose run has not finished: ``path`` missing
    beside its ``path.parts`` folder of Arrow parts, or that folder itself (no
    ``_common_metadata``, no parquet part: a dataset folder named so is read as one);
    ``None`` otherwise.
    ``read_table`` said 'no such file or folder' of the one and 'no parquet parts' of the
    other (its Arrow parts), where the run that wrote them finishes the table."""
    path = Path(path)
    # '.' or a link typed: the output its resolved name says (parts_output)
    output = parts_output(path) if path.is_dir() else None
    if output is not None:
        parts = path
    elif not path.exists():
        parts, output = parts_folder(path), None
    else:
        return None
    if not parts.is_dir() or (parts / COMMON_METADATA).exists():
        return None
    files = _part_files(parts)
    # a file output's run writes Arrow parts, a dataset folder's parquet ones: a dataset
    # output the user named *.parts, interrupted or copied without _common_metadata, was
    # called the parts of another output and refused
    if not files and output is None and (parts / RUN_FILE).is_file():
        # the run stopped before its first part: 'no such file or folder' of the output
        holder = writing_now(path)
        return (f"{os.fspath(path)}: not written yet: {nothing_saved_yet(holder)}; "
                + ("read it once that run has finished" if holder else
                   "run the same extraction again"))
    if not files or not all(_is_arrow(f) for f in files):
        return None
    n_held = inputs_held(parts)
    held = f"{counted(n_held, 'input')} extracted so far"
    holder = writing_now(path if output is None else output)
    how = (f"is still writing it ({holder})" if holder
           else "was interrupted (or is still running)")
    # the parts' folder is read by extract alone: read the output, once finished
    again = (f"read {output or 'it'} once that run has finished" if holder
             else refused_again(parts) or (
                 "run the same extraction again to finish it (the emofeat extract command, "
                 "or emofeat.runner.run with the same output=); it resumes where the run "
                 "stopped"))
    if output is None:
        return (f"{os.fspath(path)}: not written yet: a run into it {how}; {held} "
                f"{'are' if n_held != 1 else 'is'} kept in {parts}, which only that "
                f"extraction reads: {again}")
    return (f"{parts} holds the parts of {output}, not written yet: a run into it {how}; "
            f"{held}, which only that extraction reads: "
            f"{again}{'' if holder else f'; then read {output}'}")


def _warn_unfinished(folder: Path, rows: int, parts: int, total: int, *, first: bool,
                     provenance: Any = None, stacklevel: int = 4) -> None:
    """Warn (:class:`IncompleteDatasetWarning`) that ``rows`` of the ``total`` a dataset
    folder holds, in ``parts`` parts, are those of a run that has not finished it (killed, or
    still running): parts that its ``_common_metadata``, which each finished run writes
    last, does not list, or every part where there is none yet (``first``). Read without a
    word, such a folder passed for a whole table: a quarter of a corpus evaluated as if it
    were all of it. The same command finishes the run (it resumes), unless the installed
    emofeat computes a set at another numbers version (:func:`refused_again`)."""
    import warnings

    of = f"{counted(parts, 'part')}"
    # a run holding the output's lock is writing it now: 'interrupted, or still running'
    # and 'run the same command again' (refused while it runs) left the user to find out
    holder = writing_now(folder)
    how = (f"that is still writing to it ({holder})" if holder
           else "that has not finished (interrupted, or still running)")
    if first:
        said = (f"its {counted(rows, 'row')} ({of}) are those of a run into it {how}: no "
                "run has written the whole table yet")
    else:
        said = (f"{rows} of its {counted(total, 'row')} ({of}) are those of a run into it "
                f"{how}, beside the rows of the runs that finished it")
    again = ("Read it again once that run has finished" if holder else
             _sentence(refused_again(folder, provenance)) or (
                 "Run the same emofeat extract command again to finish it (it resumes where "
                 "the run stopped)"))
    warnings.warn(f"{folder}: {said}. {again}", IncompleteDatasetWarning,
                  stacklevel=stacklevel)


def names_itself(typed: str | os.PathLike, real: Path) -> bool:
    """Whether the path ``typed`` names the folder or file ``real`` (its resolved path) by
    its own name: not ``.``, nor a link, nor one in a folder reached through a link, where
    a name beside it must be said in full (the name alone matched a link named as its
    target in another folder, review RC3)."""
    return Path(typed).name == real.name and os.path.abspath(typed) == str(real)


def _sentence(text: str) -> str:
    return text[:1].upper() + text[1:]


def _check_parts(folder: Path, files: list[Path], schema) -> list[bytes]:
    """Refuse a part that is not this dataset's (read with the folder's schema, its rows would
    come back as NaN), and warn when the parts hold fewer inputs than the run that wrote
    ``_common_metadata`` finished (a part deleted or lost), or an input twice (a run killed
    while it split a part, a worker that outlived its run): none is read silently.

    Returns the libraries (:data:`LIBRARIES_KEY`) of the parts ``_common_metadata`` does not
    list, a later run's that has not finished: their rows are read too, so their decoders are
    named with the finished run's."""
    import warnings

    import pyarrow.parquet as pq

    info = _emofeat_info(schema)
    features = set(info.get("feature_names") or [])
    keys: set[InputKey] = set()
    held = 0
    finished = info.get(FINISHED_INFO)  # None: written by an earlier version, which kept
    # no record by name (modification times would take a copied folder for an unfinished one)
    finished = None if finished is None else set(finished)
    rows = unfinished_rows = unfinished = 0
    used: list[bytes] = []  # the libraries of the unfinished parts' shards
    for f in files:
        try:
            meta = pq.read_metadata(f)
        except (OSError, ValueError) as exc:  # the message names the part, not only pyarrow's
            raise _unreadable(f, exc) from exc
        rows += meta.num_rows
        if finished is not None and f.name not in finished:
            unfinished += 1
            unfinished_rows += meta.num_rows
            if (meta.metadata or {}).get(LIBRARIES_KEY):
                used.append(meta.metadata[LIBRARIES_KEY])
        names = meta.schema.to_arrow_schema().names
        _refuse_repeated_part_columns(f, names)
        if features and not features & set(names):
            raise ValueError(f"{f}: not a part of the dataset {folder}: it has none of its "
                             f"{len(features)} feature columns; move it out of the folder")
        done = (meta.metadata or {}).get(DONE_KEY)
        if done:
            got = json.loads(done)
            held += len(got)
            keys.update(tuple(k) for k in got)
    prov = info.get("provenance") or {}
    if held > len(keys):
        refused = _sentence(refused_again(folder, prov))
        warnings.warn(
            f"{folder}: {counted(held - len(keys), 'input')} "
            f"{'is' if held - len(keys) == 1 else 'are'} held by two parts, their rows twice "
            "(a run was killed while it renamed and split the parts, or a worker wrote a part "
            "after its run was killed). "
            + (refused or "Rerun the extraction on this folder: it keeps each input once"),
            IncompleteDatasetWarning, stacklevel=4)
    if unfinished:
        _warn_unfinished(folder, unfinished_rows, unfinished, rows, first=False,
                         provenance=prov, stacklevel=5)
    try:
        if HELD_INFO in info:
            expected = int(info[HELD_INFO])
            why = "the inputs the folder then held"
        else:  # written before HELD_INFO
            expected = int(prov["n_inputs"]) - int(prov.get("n_failed", 0))
            why = f"{counted(prov['n_inputs'], 'input')}, {prov.get('n_failed', 0)} failed"
    except (KeyError, TypeError, ValueError):
        return used
    if len(keys) < expected:
        warnings.warn(
            f"{folder}: its parts hold the rows of {counted(len(keys), 'input')}, but the run "
            "that wrote "
            f"it finished {expected} ({why}): a part is missing. "
            + (_sentence(refused_again(folder, prov)) or "Rerun the extraction on this folder "
               "to compute the missing inputs again"), IncompleteDatasetWarning, stacklevel=4)
    return used


#: the schema of an output file :func:`relative_folder` read, with what the file was then
#: (:func:`_signature`), for the run's opening of the output, which reads it again (3.4 ms
#: of a 1,440-file RAVDESS output's 0.05 s finished rerun)
_KEPT_SCHEMA: dict[Path, tuple[tuple[int, int, int], Any]] = {}


def _output_schema(path: Path, keep: bool = False):
    """:func:`_read_schema` of an output file, or the schema kept (``keep``: keep it) where
    the file is still the one read then."""
    got = _KEPT_SCHEMA.pop(path, None)
    try:
        now = _signature(path)
    except OSError:
        now = None
    schema = got[1] if got is not None and now is not None and got[0] == now else \
        _read_schema(path)
    if keep and now is not None:
        _KEPT_SCHEMA.clear()
        _KEPT_SCHEMA[path] = (now, schema)
    return schema


def relative_folder(output: str | os.PathLike, layout: str = "auto") -> str | None:
    """The folder an output's relative paths are read against: the one it records
    (:data:`RELATIVE_PATHS`, in its run file or its provenance), or the working folder where
    it stands to the output as the recorded one stood to where the output was (the output
    moved or copied with its files: a project folder); where the recorded one no longer
    exists, the folder that stands so to the output (the project moved, the run started
    from another folder), else the working folder (the files moved without the output).
    An output that records none (written by an earlier version of emofeat):
    :func:`_unrecorded_folder` (the working folder, where its relative paths name the files
    held from there; else :data:`NO_FOLDER`). ``None``: not there, or no relative path
    held: the working folder."""
    store = FeatureStore(output, {}, layout=layout)
    record = None
    run_file = store.part_dir / RUN_FILE
    try:
        if run_file.is_file():
            record = json.loads(run_file.read_text()).get(RELATIVE_PATHS)
        if record is None and store.layout == "file" and store.output.is_file():
            meta = (_output_schema(store.output, keep=True).metadata or {}).get(METADATA_KEY)
            # a parquet file without emofeat's metadata (a predictions table, pandas' own):
            # json.loads(None) was a TypeError, "a bug in emofeat" with its traceback
            if meta is not None:
                record = (json.loads(meta).get("provenance") or {}).get(RELATIVE_PATHS)
    except (OSError, ValueError, AttributeError):  # the run says what is wrong with it
        return None
    if record is None:
        return _unrecorded_folder(store)
    if not isinstance(record, dict) or not isinstance(record.get("folder"), str):
        return None
    folder, seen, cwd = record["folder"], record.get("folder_from_output"), os.getcwd()
    if folder == cwd:
        return folder
    moved = (os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(store.output)),
                                           seen)) if isinstance(seen, str) else None)
    if moved == cwd:
        return cwd  # the output moved with the folder (the recorded one is elsewhere)
    if moved not in (None, folder) and os.path.isdir(moved) and _names_held(store, moved):
        # the folder moved or copied with the output, the run started elsewhere: the working
        # folder gave every file held a second row, under the spelling of this run
        return moved
    return folder if os.path.isdir(folder) else cwd


def _held_relative(store: FeatureStore) -> list[tuple[str, int, int]] | None:
    """The relative paths an output holds, each once, with the size and modification time
    held (``None``: its keys cannot be read). The Arrow parts of an interrupted file run are
    not read (that starts threads before a run's workers fork)."""
    sources = [store.output] if store.layout == "file" and store.output.is_file() else []
    sources += [p for p in store.parts() if not _is_arrow(p)]
    try:
        held = [k for src in sources for k in _read_done(src)
                if k[1] >= 0 and not os.path.isabs(k[0]) and not is_content_key(k[0])]
    except (OSError, ValueError):  # the run says what is wrong with it
        return None
    return list(dict.fromkeys((k[0], k[1], k[2]) for k in held))  # a file's segments: one


def _names_held(store: FeatureStore, folder: str) -> bool:
    """Whether every relative path the output holds names, from ``folder``, a file of the
    size and modification time held (a ``stat`` each)."""
    held = _held_relative(store)
    return bool(held) and all(input_key(os.path.join(folder, k[0]))[1:3] == k[1:3]
                              for k in held)


def _unrecorded_folder(store: FeatureStore) -> str | None:
    """:func:`relative_folder` of an output that records no folder (written by an
    earlier version of emofeat): the working folder where every relative path it holds
    names from there a file of the size and modification time held (a ``stat`` each, once:
    the run records it), else :data:`NO_FOLDER`, with a warning (read against the working
    folder, the rows of another folder's run would be taken for files of this one, and that
    folder recorded for good). ``None``: it holds no relative path (or is not there). The
    Arrow parts of an interrupted file run are not read (that starts threads before a run's
    workers fork)."""
    held = _held_relative(store)
    if not held:
        return None
    cwd = os.getcwd()
    other = [k for k in held if input_key(k[0])[1:3] != k[1:3]]
    if not other:
        return cwd
    import warnings

    warnings.warn(
        f"{store.output} holds relative paths but not the folder they are relative to "
        f"(written by an earlier version of emofeat), and from {cwd} {len(other)} of its "
        f"{counted(len(held), 'relative path')} {'names' if len(other) == 1 else 'name'} no "
        f"file of the size and modification time held (such as {other[0][0]!r}): "
        "they are not read against this folder, which is not recorded, and this run's "
        "relative paths are stored absolute. Run once from the folder the output was "
        "written from (it is then recorded), or start afresh with "
        f"{_overwrite()}", stacklevel=4)
    return NO_FOLDER


#: the input keys of an output's files (its file, or its parts) read before its run opened
#: it (:func:`keys_held`), by file, with what the file was then (:func:`_signature`)
Held = dict[Path, tuple[tuple[int, int, int], list[InputKey]]]


def keys_held(output: str | os.PathLike, layout: str = "auto") -> Held | None:
    """The input keys an output holds, by file, as a run that resumes it finds them, read
    before that run takes the lock or forks its workers (:func:`emofeat.runner.run`: with
    nothing left to do, it forks none); :meth:`FeatureStore.open` given them reads again
    only the files changed since.

    Changes nothing and starts no thread: it reads the footers of parquet files (pyarrow's
    thread pools start when rows are read, and when an Arrow IPC file is opened, even without
    threads asked for: ``tests/test_batch_leftovers.py`` counts the process's threads).
    ``None`` where that cannot be told so, or the run may find other keys when it opens the
    output: the Arrow parts of a file output (an interrupted run), a dataset being replaced
    (``overwrite``'s staging folder) or reordered, an output of the other layout, a file
    that cannot be read. An output not there holds nothing.
    """
    store = FeatureStore(output, {}, layout=layout)
    out = store.output
    if store.layout == "dataset":
        if out.is_file() or (store._staging() / SUPERSEDED_FILE).exists() or \
                (out / REORDER_FILE).exists():
            return None
        sources = store.parts()
    else:
        if out.is_dir() or store.part_dir.exists():
            return None
        sources = [out] if out.is_file() else []
    if any(_is_arrow(src) for src in sources):
        return None
    held: Held = {}
    try:
        for src in sources:
            signature, keys = _signed_keys(src)
            if signature is None:
                return None
            held[src] = (signature, keys)
    except (OSError, ValueError):  # the run says what is wrong with it
        return None
    return held


def _other_spellings(new: list[InputKey], held: Iterable[list[InputKey]],
                     listed: Iterable[InputKey], folder: str | None = None
                     ) -> dict[InputKey, InputKey]:
    """The key each of ``new`` (keys of files not held as listed) is held under by another
    spelling of its file (:func:`file_identities`, with the segment bounds), among the keys
    ``held`` that are not ``listed``; in the output's order, the first of two spellings held
    (written by an earlier version of emofeat). Only those keys are normalised: the held
    ones read against ``folder`` (:func:`relative_folder`; default the working folder), the
    new ones against the working folder."""
    listed = set(listed)
    unlisted = [k for keys in held for k in keys if k not in listed]
    if not unlisted:
        return {}
    if folder == NO_FOLDER:  # read here, taken only where size and mtime agree (_spellings)
        folder = None
    held_paths, new_paths = [str(k[0]) for k in unlisted], [str(k[0]) for k in new]
    new_norm = _normalised(new_paths, os.getcwd())
    # a link is its target where the target is listed now or held (file_identities)
    held_by: dict[tuple, InputKey] = {}
    for k, path in zip(unlisted, file_identities(held_paths, folder,
                                                 named=lambda: new_norm), strict=True):
        held_by.setdefault((path, k[3], k[4]), k)
    out = {}
    taken: dict[InputKey, tuple] = {}
    ids = file_identities(new_paths, named=lambda: _normalised(
        held_paths, os.getcwd() if folder is None else folder))
    unmatched = []
    for k, path, plain in zip(new, ids, new_norm, strict=True):
        got = held_by.get((path, k[3], k[4]))
        if got is None:
            unmatched.append((k, plain))
            continue
        # two links (other names) to one held file it was listed under: the first takes
        # it, the other is an input of its own, as in a run without the output
        if taken.setdefault(got, (plain, k[3], k[4])) == (plain, k[3], k[4]):
            out[k] = got
    # held as the same folder entry reached through another mount (_one_file): only files
    # whose size, modification time and bounds a held key shares are looked at
    alike = {k[1:] for k, _ in unmatched if k[1] >= 0}
    others = [k for k in unlisted if k[1:] in alike]
    if others:
        held_alike = {k[1:] for k in others}
        mine = [(k, plain) for k, plain in unmatched if k[1:] in held_alike]
        found: list[Node | None] = []
        reals = _real_paths([str(k[0]) for k in others], os.getcwd() if folder is None
                            else folder, found)
        reals += _real_paths([str(k[0]) for k, _ in mine], os.getcwd(), found)
        keyed = [*others, *(k for k, _ in mine)]  # the held ones first: the file's first
        bounded = [None if n is None else (*n, k[3], k[4])
                   for n, k in zip(found, keyed, strict=True)]
        for i, j in _one_file(bounded, reals).items():
            if i >= len(others) and j < len(others):
                k, plain = mine[i - len(others)]
                got = others[j]
                if taken.setdefault(got, (plain, k[3], k[4])) == (plain, k[3], k[4]):
                    out[k] = got
    return out


def holds_every_input(held: Held, keys: Sequence[InputKey], by_file: bool = False,
                      folder: str | None = None) -> bool:
    """Whether an output (its keys read by :func:`keys_held`) holds every one of ``keys`` as
    a run that resumes it finds them: each key as listed or, ``by_file`` (file paths), a file
    held under another spelling with the same size and modification time
    (:meth:`FeatureStore._spellings`)."""
    have: set[InputKey] = set().union(*(k for _, k in held.values()))
    new = [k for k in keys if k not in have]
    if not new:
        return True
    if not by_file:
        return False
    # against every key held of the same size, modification time and bounds (a resume with
    # inputs left to do normalises none of the others): a file held as listed and listed
    # again under another spelling is done too (the run stores that listing under the held
    # key). Should the run find otherwise, it extracts serially, which is safe
    alike = {k[1:] for k in new}
    found = _other_spellings(new, ([k for _, keys in held.values() for k in keys
                                    if k[1:] in alike],), (), folder)
    return all((got := found.get(k)) is not None and got[1:3] == k[1:3] for k in new)


def _signature(path: Path) -> tuple[int, int, int]:
    """Inode, size and modification time: a part or file rewritten (always to a temporary
    file renamed into place) is another inode."""
    st = path.stat()
    return (st.st_ino, st.st_size, st.st_mtime_ns)


def _signed_keys(src: Path, readers: dict[Path, Any] | None = None
                 ) -> tuple[tuple[int, int, int] | None, list[InputKey]]:
    """The keys of ``src`` (:func:`_read_done`) and its signature taken before they were
    read (``None``: it could not be taken), so that a file replaced meanwhile is read
    again, not taken for the one read."""
    try:
        signature = _signature(src)
    except OSError:
        signature = None
    return signature, _read_done(src, readers)


def _known_keys(held: Held | None, src: Path) -> list[InputKey] | None:
    """The keys of ``src`` that :func:`keys_held` read, if it is still the file read then."""
    got = None if held is None else held.get(src)
    if got is None:
        return None
    try:
        return got[1] if _signature(src) == got[0] else None
    except OSError:
        return None


def done_keys_of(path: str | os.PathLike) -> list[InputKey]:
    """The input keys recorded in a file or in every part of a dataset folder."""
    path = Path(path)
    files: Iterable[Path] = _part_files(path) if path.is_dir() else [path]
    out: list[InputKey] = []
    for f in files:
        out += _read_done(f)
    return out


def _part_files(folder: Path) -> list[Path]:
    """The finished parts in a folder, parquet and Arrow, in name order (input order)."""
    return sorted([*folder.glob(f"{PART_PREFIX}*{PARQUET}"),
                   *folder.glob(f"{PART_PREFIX}*{ARROW}")], key=lambda p: p.name)


def _drop_inputs(src: Path, stale: set[InputKey], column: str | None = "path"
                 ) -> list[InputKey]:
    """Rewrite ``src`` (atomically) without the rows of the ``stale`` inputs; return the keys
    left in it. Without a key column (content-hash keys) the part is left alone."""
    import pyarrow as pa
    import pyarrow.compute as pc
    import pyarrow.parquet as pq

    if column is None:
        return _read_done(src)

    log.info("%s: dropping the rows of %s (changed since, or held twice)",
             src, counted(len(stale), "input"))
    table = _read_rows(src)
    values = table.column(column)
    if all(is_content_key(k[0]) for k in stale):
        # texts: the key is the hash of the text the row holds
        from .readers import content_key

        occ = (table.column(OCCURRENCE).to_pylist() if OCCURRENCE in table.column_names
               else [0] * table.num_rows)
        texts = values.to_pylist()
        values = pa.array([with_occurrence(content_key(str(v).encode("utf-8",
                                                                     "surrogatepass"))[0], n)
                           for v, n in zip(texts, occ, strict=True)], type=pa.string())
    keep = pc.invert(pc.is_in(values, value_set=_pa_strings(k[0] for k in stale)))
    paths_gone = {k[0] for k in stale}
    keys = [k for k in _read_done(src) if k[0] not in paths_gone]
    table = table.filter(keep)
    tmp = src.with_name(f"{TMP_PREFIX}{src.name}.{os.getpid()}")
    if _is_arrow(src):
        part = _ArrowPart(tmp, table.schema)
        try:
            part.write_table(table)
            part.add_keys(keys, part_libraries(src))
        finally:
            part.close()
    else:  # the part's libraries (LIBRARIES_KEY) stay in the metadata read with its rows
        meta = dict(table.schema.metadata or {})
        meta[DONE_KEY] = json.dumps([list(k) for k in keys]).encode()
        pq.write_table(table.replace_schema_metadata(meta), tmp)
    os.replace(tmp, src)
    return keys


def _pa_strings(values: Iterable[str]):
    import pyarrow as pa

    return pa.array(sorted(set(values)), type=pa.string())


def _ours_name(name: str) -> bool:
    """Whether ``name`` is one emofeat gives the files of a parts or dataset folder: a part
    is a parquet or Arrow file (a user's part-1.csv, pyarrow's part-0.feather, are not)."""
    if name.startswith(PART_PREFIX):
        return name.endswith((PARQUET, ARROW))
    return name.startswith(OURS)


def _check_ours(folder: Path) -> None:
    """Refuse a folder that holds other things than an emofeat output."""
    others = [p.name for p in folder.iterdir() if not _ours_name(p.name)]
    if others:
        raise ValueError(
            f"{folder} holds files that emofeat did not write ({others[:3]}); "
            "give an empty or new folder as output"
        )


def _remove_ours(folder: Path) -> None:
    """Remove a parts or dataset folder (refused, untouched, when it holds files emofeat did
    not write); one that is a symbolic link is emptied, the link and its folder left
    (:func:`_remove_merged`)."""
    if not folder.is_dir():
        return
    _check_ours(folder)
    for f in folder.iterdir():
        f.unlink()
    if not folder.is_symlink():  # a link and its folder are the user's (_remove_merged)
        folder.rmdir()


def _remove_merged(folder: Path) -> None:
    """Remove a file output's parts folder once its rows are in the file. A parts folder that
    is a symbolic link (the user's, to keep the parts on other storage:
    ``proj/out.parquet.parts -> /scratch/x``) stays, and so does the folder it leads to: the
    files emofeat wrote there go, its run file last, and nothing else. ``shutil.rmtree``
    refuses a link, and its error was ignored: every part and the run file stayed, and
    ``emofeat info`` of the folder called the finished run interrupted (session 58)."""
    if not folder.is_symlink():
        shutil.rmtree(folder, ignore_errors=True)
        return
    try:
        files = sorted(folder.iterdir(), key=lambda f: f.name == RUN_FILE)
    except OSError:
        return
    for f in files:
        if _ours_name(f.name):
            with contextlib.suppress(OSError):  # as rmtree's ignore_errors
                f.unlink()


def _remove_replaced(folder: Path) -> None:
    """Remove the old dataset folder a staged one replaced (marked :data:`SUPERSEDED_FILE`,
    the mark removed last: another folder may have its name): the files emofeat wrote; one
    holding others too (put there during the run) is left, and said so."""
    mark = folder / SUPERSEDED_FILE
    if not mark.is_file():
        return
    for f in folder.iterdir():
        if _ours_name(f.name) and f != mark and f.is_file():
            f.unlink()
    mark.unlink()
    if any(folder.iterdir()):
        log.warning("%s: the dataset folder this run replaced holds files emofeat did not "
                    "write; left there", folder)
    else:
        folder.rmdir()


def _carry_mode(old: Path, new: Path, least: int = 0) -> None:
    """Give ``new``, which replaces ``old``, the group and the permission bits (mode) of
    ``old``, where it is there (``least``: bits ``new`` keeps whatever ``old`` has). The group
    is changed only where the user may, without privileges (a group of theirs); else it is
    left as it is, and logged."""
    try:
        st = old.stat()
    except OSError:
        return
    if hasattr(os, "chown") and st.st_gid != new.stat().st_gid:
        try:
            os.chown(new, -1, st.st_gid)  # before the mode: a chown clears the set-group-ID bit
        except OSError as exc:
            log.info("%s: not given the group of %s (%s)", new, old, exc)
    os.chmod(new, stat.S_IMODE(st.st_mode) | least)


def _atomic_write_text(path: Path, text: str) -> None:
    tmp = path.with_name(f"{TMP_PREFIX}{path.name}.{os.getpid()}")
    tmp.write_text(text)
    os.replace(tmp, path)


class Relabel:
    """The identity columns of every input as the current manifest gives them.

    Features are a function of the input and the parameters, and are kept across runs;
    manifest columns (labels, speaker, ...) are a function of the manifest, and are joined
    again from the current one whenever an output is finalised. Rows are matched on the
    key columns (the input column, and ``start``/``end`` for segment manifests); a row of a
    signal given in memory on its content key (:data:`SIGNAL_KEY`) instead of its name, which
    is a place in the list (``<array 3>``) and is rewritten like a manifest column.

    Parameters
    ----------
    ident : DataFrame or emofeat.columns.Columns
        The current manifest (one row per input, after normalisation); the command's
        :class:`~emofeat.columns.Columns` are used as they are, without pandas.
    key_columns : list of str
        Columns that identify an input in the rows.
    aliases : dict, optional
        Rows held under another spelling of a listed file (``a.flac`` held, ``./a.flac``
        listed): the key columns' values such rows hold, and those of the listing they are
        placed and labelled by (the file's first listing).
    """

    def __init__(self, ident, key_columns: Sequence[str],
                 aliases: dict[tuple, tuple] | None = None) -> None:
        self.key_columns = list(key_columns)
        #: where the rows' content key is among the key columns (signals in memory), or None:
        #: a row holding one is that signal's, whatever its name (:func:`_identity`)
        self._signal = (self.key_columns.index(SIGNAL_KEY) if SIGNAL_KEY in self.key_columns
                        else None)
        self._names = None  # the current names of the listings, where _signal is set
        # rows held under another spelling of a listed file: their identity, and that of
        # the listing that places and labels them (FeatureStore.aliased_rows)
        self.aliases = aliases or {}
        self.columns = [c for c in ident.columns if c not in self.key_columns]
        #: columns of earlier rows that this manifest lacks, kept for the rows of inputs it
        #: does not list and missing in those it lists (set by FeatureStore._kept_columns)
        self.kept: frozenset[str] = frozenset()
        self._ident = ident
        self._values = self._position = None
        from .columns import Columns

        #: whether the manifest is a DataFrame (the API's) rather than the command's
        #: :class:`emofeat.columns.Columns`, which is relabelled from without pandas
        self._frame = not isinstance(ident, Columns)
        self._frame_values = None  # values of a Columns manifest as a DataFrame, once asked
        #: rows of the finished output (of runs that finished it) written again with other
        #: values in their manifest columns (and :attr:`kept` ones) than they held: their
        #: labels updated by this run (counted by :meth:`apply` where the store rewrites
        #: them, ``count=True``; not the rows of an interrupted run's parts, which the
        #: store counts as merged)
        self.n_changed = 0
        #: rows of signals in memory of the finished output whose name :meth:`apply` rewrote
        #: (``count=True``): listed at another place now, or no longer listed
        self.n_renamed = 0

    def _prepare(self) -> None:
        """The manifest's rows by key, made when rows of an earlier run are relabelled (not
        in a run whose parts are all its own)."""
        if self._position is not None:
            return
        ident = self._ident
        # positions are those of the listings, each input at its first one: the store's
        # input positions (_positions_of over its keys, one per listing), which
        # _reorder_parts compares these with. Numbered among the inputs once each, every
        # input after a repeat was off by one and a dataset's parts were left unsorted
        if self._frame:
            self._values = ident[self.columns].reset_index(drop=True)
            keys = ident[self.key_columns].itertuples(index=False, name=None)
        else:
            from .columns import Columns

            # the command's manifest as it is, its arrays: a DataFrame of them imported pandas
            # (0.2 s) in every rerun (tolist: the values itertuples gives, None for NaN,
            # which _row_key takes alike)
            self._values = Columns({c: ident.column(c) for c in self.columns},
                                   {c: ident.kinds[c] for c in self.columns})
            keys = (zip(*(ident.column(c).tolist() for c in self.key_columns), strict=True)
                    if self.key_columns else [()] * len(ident))
        self._position = {}
        sk = self._signal
        if sk is not None:
            keys = list(keys)
            self._names = [k[0] for k in keys]
        identity = _row_key if sk is None else functools.partial(_identity, signal=sk)
        for i, k in enumerate(keys):
            self._position.setdefault(identity(k), i)
        for held, listed in self.aliases.items():
            if sk is not None:  # a file's: an empty key cell
                held, listed = (*held[:sk], None, *held[sk:]), (*listed[:sk], None, *listed[sk:])
            at = self._position.get(_row_key(listed))
            if at is not None:
                self._position[_row_key(held)] = at
        self._ident = None

    @property
    def values(self):
        """The manifest columns of each listing (a DataFrame; an input's are those of its
        first listing, its row here by :attr:`position`). For the API and tests: the
        relabelling reads a Columns manifest's arrays, and this imports pandas to make a
        DataFrame of them (made once)."""
        self._prepare()
        if self._frame:
            return self._values
        if self._frame_values is None:
            self._frame_values = self._values.to_pandas()
        return self._frame_values

    @property
    def position(self) -> dict[tuple, int]:
        """Row of ``values`` of each input's key: the position of its first listing in the
        manifest, as the store numbers inputs."""
        self._prepare()
        return self._position

    def positions(self, table) -> Any:
        """Row of the current manifest for each row of ``table`` (-1: not in the manifest)."""
        import numpy as np

        n = table.num_rows
        names = set(table.column_names)
        absent = [c for c in self.key_columns
                  if c not in names and c not in (OCCURRENCE, SIGNAL_KEY)]
        if absent:
            raise KeyError(f"{absent} not in the rows' columns")
        columns = []
        for c in self.key_columns:
            # Python values, without pandas (a DataFrame of the rows gave NaN where these give
            # None, floats where an int column has missing cells: _row_key takes them alike)
            values = table.column(c).to_pylist() if c in names else [None] * n
            if c == OCCURRENCE:
                # rows written before a text was repeated are its first occurrence
                values = [0 if _missing(v) else int(v) for v in values]
            columns.append(values)
        keys = zip(*columns, strict=True) if columns else [()] * n
        position, sk = self.position, self._signal
        if sk is None:  # files and texts: the values are the identity
            return np.fromiter((position.get(_row_key(k), -1) for k in keys),
                               dtype=np.int64, count=n)
        # rows without the column (of files, written before signals ran into the output):
        # an empty key cell, found by their path
        return np.fromiter((position.get(_identity(k, sk), -1) for k in keys),
                           dtype=np.int64, count=n)

    def stale(self, table) -> bool:
        """Whether ``table``'s manifest columns (and :attr:`kept` ones) differ from what the
        current manifest gives them."""
        if set(self.columns) - set(table.column_names) or (
                self._signal is not None and SIGNAL_KEY not in table.column_names):
            return True
        names = self.key_columns + self.columns + sorted(self.kept & set(table.column_names))
        wanted = table.select(names)
        return not self.apply(table, wanted.schema, strict=False).equals(wanted)

    def _objects(self, name: str) -> Any:
        """The manifest column ``name`` as an object array (missing: None or NaN)."""
        if self._frame:
            return self._values[name].to_numpy(dtype=object)
        return self._values.column(name).astype(object)

    def _arrow_column(self, name: str, pos: Any, known: Any, old: Any, arrow_type: Any):
        """The manifest column ``name`` of rows at manifest positions ``pos`` as an Arrow
        array of ``arrow_type``, made from the command's arrays (``known``: the rows in the
        manifest; the others keep their values in ``old``, the rows' column, or None);
        ``None`` where it is made otherwise: a DataFrame manifest, another type, a missing
        int.

        ``pyarrow.array`` of the values, which this gives the same array as, imports pandas
        to check what it is given."""
        import numpy as np

        from .columns import KINDS, _arrow_array, _arrow_type

        if self._frame:
            return None
        kind = self._values.kinds[name]
        if (kind not in KINDS or _arrow_type(kind) != arrow_type
                or (old is not None and old.type != arrow_type)):
            return None
        values = self._values.column(name)[np.where(known, pos, 0)]
        if known.all():
            return _arrow_array(values, kind)
        values = values.astype(object)
        gone = np.flatnonzero(~known)
        if old is None:
            held = [None] * len(gone)
        else:  # not old.take: Arrow's take imports pyarrow.compute (30 ms)
            rows = old.to_pylist()
            held = [rows[j] for j in gone]
        if kind == "int64" and None in held:
            return None
        values[gone] = [np.nan if v is None and kind == "float64" else v for v in held]
        return _arrow_array(values, kind)

    def apply(self, table, schema, strict: bool = True, count: bool = False):
        """``table`` with its manifest columns replaced by the current values, as ``schema``
        (rows of inputs no longer in the manifest keep their values); ``count``: the rows
        whose manifest columns change added to :attr:`n_changed`."""
        import numpy as np
        import pyarrow as pa

        pos = self.positions(table)
        known = pos >= 0
        # by index: a lookup by name scans every column (O(columns^2) on 5,000-column tables)
        index = _column_index(table)
        manifest = set(self.columns)
        self._prepare()
        arrays = []
        for field in schema:
            i = index.get(field.name)
            if field.name in manifest:
                arr = self._arrow_column(field.name, pos, known,
                                         None if i is None else table.column(i), field.type)
                if arr is None:
                    new = self._objects(field.name)[np.where(known, pos, 0)]
                    if not known.all():
                        old = (table.column(i).to_pandas().to_numpy(dtype=object)
                               if i is not None else np.full(len(pos), None))
                        new = np.where(known, new, old)
                    arr = pa.array([None if _missing(v) else v for v in new], from_pandas=True)
                    arr = arr.cast(field.type) if arr.type != field.type else arr
                arrays.append(arr)
            elif field.name in self.kept and i is not None:
                # a column this manifest lacks: the rows it lists follow it (missing there)
                import pyarrow.compute as pc

                col = table.column(i)
                col = col.cast(field.type) if col.type != field.type else col
                arrays.append(pc.if_else(pa.array(known), pa.scalar(None, field.type), col)
                              if known.any() else col)
            elif field.name == self.key_columns[0] and self._signal is not None \
                    and i is not None:
                arrays.append(self._renamed(table, table.column(i), pos, known, field.type,
                                            count))
            elif field.name == OCCURRENCE and i is None:
                arrays.append(pa.array(np.zeros(table.num_rows, dtype=np.int64))
                              .cast(field.type))
            elif i is not None:
                col = table.column(i)
                arrays.append(col.cast(field.type) if col.type != field.type else col)
            elif strict:
                arrays.append(pa.nulls(table.num_rows, field.type))
        out = pa.Table.from_arrays(arrays, schema=schema)
        if count:
            self.n_changed += _rows_changed(table, out, manifest | self.kept)
        return out

    def _renamed(self, table, names, pos, known, arrow_type, count: bool = False):
        """The input column ``names`` of ``table`` with the rows of signals in memory named
        as the manifest names them now where it lists them (found by their key): ``<array
        3>`` is a place in the list, which a reordered list gives another signal. A signal
        it does not list keeps its rows, a place name marked as past (``<array 3 of an
        earlier list>``), which the current list's ``<array 3>`` is not. ``count``: the rows
        renamed added to :attr:`n_renamed`."""
        import numpy as np
        import pyarrow as pa

        same = names.cast(arrow_type) if names.type != arrow_type else names
        if SIGNAL_KEY not in table.column_names:
            return same
        keyed = np.asarray(table.column(SIGNAL_KEY).is_valid(), dtype=bool)
        if not keyed.any():
            return same
        values = names.to_pylist()
        for j in np.flatnonzero(keyed).tolist():
            old = values[j]
            if known[j]:
                values[j] = self._names[pos[j]]
            elif isinstance(old, str) and _PLACE.fullmatch(old):
                values[j] = f"{old[:-1]} {EARLIER_LIST}>"
            if count and values[j] != old:
                self.n_renamed += 1
        return pa.array(values, type=arrow_type)


def _identity(values: tuple, signal: int | None) -> tuple:
    """The key by which a row (its key columns' ``values``) is found in the manifest: those
    values (:func:`_row_key`), without the name where the row holds a signal's content key
    (``signal``: its place among them), which names the signal whatever its place in the
    list."""
    if signal is not None and not _missing(values[signal]):
        return _row_key((None, *values[1:]))
    return _row_key(values)


def _missing(v: Any) -> bool:
    return v is None or (isinstance(v, float) and v != v)


def _rows_changed(old, new, names: set[str]) -> int:
    """The rows whose columns ``names`` of ``new`` hold other values than in ``old`` (a column
    ``old`` lacks: missing there; missing values alike, NaN or None). Compared by Arrow, and
    counted by it: NumPy arrays of its masks (``to_numpy``) and Python scalars given to it
    import pandas, which the command does not."""
    import numpy as np
    import pyarrow as pa
    import pyarrow.compute as pc

    n = new.num_rows
    changed = None  # an Arrow bool array
    by_value = None  # the same for the columns Arrow cannot compare, as NumPy
    have = set(old.column_names)
    for name in [c for c in new.column_names if c in names]:
        after = new.column(name)
        if name not in have:
            these = pc.invert(_missing_mask(after))
        else:
            before = old.column(name)
            if before.type == after.type and before.equals(after):
                continue  # the usual case: no label edited in these rows (NaN: never equal)
            try:
                these = pc.invert(_alike(before, after))
            except (pa.ArrowNotImplementedError, pa.ArrowInvalid, pa.ArrowTypeError):
                # types Arrow cannot compare (a list; a string against a number): each row
                # as Python compares it (1 == 1.0), as the values are written
                if by_value is None:
                    by_value = np.zeros(n, dtype=bool)
                by_value |= np.fromiter(
                    (not ((_missing(a) and _missing(b)) or (not _missing(a) and a == b))
                     for a, b in zip(before.to_pylist(), after.to_pylist(), strict=True)),
                    dtype=bool, count=n)
                continue
        changed = these if changed is None else pc.or_(changed, these)
    if by_value is None:
        return 0 if changed is None else pc.sum(changed).as_py() or 0
    if changed is not None:
        by_value |= np.fromiter(changed.to_pylist(), dtype=bool, count=n)
    return int(by_value.sum())


def _missing_mask(a) -> Any:
    """Where an Arrow array (or chunked array) is missing, null or NaN: an Arrow bool array
    without nulls."""
    import pyarrow as pa
    import pyarrow.compute as pc

    if pa.types.is_dictionary(a.type):
        a = a.cast(a.type.value_type)
    missing = a.is_null()
    if pa.types.is_floating(a.type):  # NaN, and not null where a is null
        missing = pc.or_(missing, pc.and_kleene(pc.is_nan(a), a.is_valid()))
    return missing


def _alike(x, y) -> Any:
    """Where two Arrow arrays of one length hold equal values or are both missing (null or
    NaN): an Arrow bool array without nulls; raises where Arrow cannot compare their types."""
    import pyarrow as pa
    import pyarrow.compute as pc

    if pa.types.is_dictionary(x.type):
        x = x.cast(x.type.value_type)
    if pa.types.is_dictionary(y.type):
        y = y.cast(y.type.value_type)
    equal = pc.equal(x, y)
    equal = pc.and_kleene(equal, equal.is_valid())  # null (either missing): not equal
    return pc.or_(equal, pc.and_(_missing_mask(x), _missing_mask(y)))


def _row_key(values: tuple) -> tuple:
    """A hashable key of one row's key columns: floats rounded as resume keys are, NaN and
    None alike."""
    out = []
    for v in values:
        if _missing(v):
            out.append(None)
        elif isinstance(v, float):
            out.append(round(v, 6))
        else:
            out.append(v)
    return tuple(out)
