"""Whether this platform lists the locks a process holds, for the tests that expect a reader
to name the run holding an output's lock (session 58).

``emofeat info`` and ``read_table`` name a running run from the kernel's table of locks
(``/proc/locks``, :func:`emofeat.store.writing_now`). Where that table is missing (not
Linux) or lists no locks (gVisor's ``/proc/locks`` is empty), the readers cannot name the
run and say 'interrupted (or is still running)' instead; the tests holding a lock to see
the run named failed there rather than skip. :data:`lists_own_locks` skips them: the probe
takes a lock on a temporary file with the call the store's lock takes (``fcntl.flock``,
exclusive, not blocking), in the folder pytest's ``tmp_path`` is made in, and looks for
that file's inode in the table.
"""
from __future__ import annotations

import functools
import os
import tempfile

import pytest

import emofeat.store as store


@functools.cache
def locks_listed() -> bool:
    """Whether ``/proc/locks`` lists a flock this process holds on a temporary file."""
    try:
        import fcntl
    except ImportError:  # not a POSIX system: no flock, no table
        return False
    with tempfile.TemporaryDirectory() as folder:
        with open(os.path.join(folder, "probe.lock"), "a+") as fh:
            fcntl.flock(fh.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
            inode = os.fstat(fh.fileno()).st_ino
            try:
                with open("/proc/locks") as table:
                    lines = table.read().splitlines()
            except OSError:
                return False
    # '1: FLOCK  ADVISORY  WRITE 7841 fe:00:3760248 0 EOF'
    return any(len(f) >= 6 and f[1] == "FLOCK" and f[5].endswith(f":{inode}")
               for f in (line.split() for line in lines))


lists_own_locks = pytest.mark.skipif(
    not locks_listed(),
    reason="this platform's table of locks (/proc/locks) does not list a lock this process "
           "holds (missing, or empty as under gVisor): the readers cannot name a running run")


def test_the_store_finds_a_lock_the_platform_lists(tmp_path):
    """Where the probe finds its lock, the store finds a held output lock too: the skip
    above is the platform's, never a fault of :func:`emofeat.store.writing_now`."""
    out = tmp_path / "feats.parquet"
    lock = store.OutputLock(tmp_path / "feats.parquet.lock")
    lock.acquire()
    try:
        holder = store.writing_now(out)
    finally:
        lock.release()
    if locks_listed():
        assert holder == (tmp_path / "feats.parquet.lock").read_text().strip(), holder
    else:  # the readers then keep the words of a run they cannot tell from an interrupted one
        assert holder is None
    assert store.writing_now(out) is None  # released
