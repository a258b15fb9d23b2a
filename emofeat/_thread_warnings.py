"""Warnings caught per thread: what ``warnings.catch_warnings(record=True)`` does for the
code of one thread, without swapping process-wide state.

``catch_warnings`` saves and restores ``warnings.showwarning`` and ``warnings.filters`` of
the whole process: on a Dask worker running several shards at once (``--nthreads 4``), or in
any program whose threads extract at the same time, one thread's ``catch_warnings`` took the
others' warnings into its list (lost with it), and its exit could put back a state another
thread had left, so that later shards recorded nothing. Here ``warnings.showwarning`` is
replaced once (:func:`_Collect`, again if someone replaced it since), and sends what a thread
shows to the innermost :func:`caught` list of that thread; other threads' warnings go where
they went before. The filters are the process's (they decide what is shown, as before),
except in a thread inside ``caught(always=True)``: a filter entry of ours, first in
``warnings.filters`` and matching in such a thread only, shows it everything (the
``simplefilter("always")`` that ``catch_warnings`` was entered with). The entry leaves the
filters when the last such block ends; a ``catch_warnings`` block of another thread that
outlasts ours puts back a list holding it, where it matches nothing and runs no Python
code (its ``match`` is a builtin: see :class:`_InCaughtAlways`).
"""

from __future__ import annotations

import contextlib
import os
import threading
import warnings
from collections.abc import Callable, Iterator
from typing import Any

#: a warning shown: message, category, file and line of the code that warned
Caught = tuple[str, type[Warning], str, int]

_LOCAL = threading.local()  # .logs: this thread's caught() lists; .always: caught(always) depth
_LOCK = threading.Lock()


def _lock_afresh() -> None:
    """A forked child's lock, unheld: a thread of the parent holding it at the fork (a
    program whose threads extract while one forks its workers) left it held for good, and
    the child's first ``caught`` hung (review 3 of session 46: 33-35 of 200 children)."""
    global _LOCK
    _LOCK = threading.Lock()


if hasattr(os, "register_at_fork"):  # not on Windows, which does not fork
    os.register_at_fork(after_in_child=_lock_afresh)


class _Collect:
    """The process's ``warnings.showwarning`` once :func:`caught` was used: into the
    innermost :func:`caught` list of the thread that warned, else to the ``showwarning``
    it replaced (each one keeps its own, so that a caller that put one back, as the
    ``emofeat`` program does when a command ends, gets its own display back)."""

    def __init__(self, shown_by: Callable[..., Any]) -> None:
        self.shown_by = shown_by

    def __call__(self, message, category, filename, lineno, file=None, line=None) -> None:
        logs = getattr(_LOCAL, "logs", None)
        if logs:
            logs[-1].append((str(message), category, filename, lineno))
        else:
            self.shown_by(message, category, filename, lineno, file, line)


def display() -> Callable[..., Any]:
    """``warnings.showwarning`` as the caller set it (the one :class:`_Collect` stands in
    front of, if it does)."""
    shown = warnings.showwarning
    while isinstance(shown, _Collect):
        shown = shown.shown_by
    return shown


class _InCaughtAlways(threading.local):
    """The module pattern of our ``always`` filter: matches in a thread inside
    ``caught(always=True)`` only. Picklable (loky's workers take the caller's filters).

    Its ``match`` is a builtin, per thread (``id``, truthy, where a block is entered;
    ``{}.get``, None, elsewhere), never Python code: CPython's ``warn`` (3.11) walks the
    filters list it last read, held through the interpreter's state only, and calls each
    pattern's ``match`` on the way; a Python ``match`` let threads switch there, and a
    ``catch_warnings`` block another thread left meanwhile (pandas, NumPy and scikit-learn
    enter them) freed the list being walked: a segmentation fault (review 2 of session 46,
    2 of 6 stress runs at a 1 microsecond switch interval)."""

    #: what code copying the filters as text takes (scikit-learn's ``Parallel`` hands the
    #: caller's filters to its workers through ``warnings.filterwarnings(module=pattern)``,
    #: and failed on its absence: ``AttributeError: ... no attribute 'pattern'``, every
    #: ``model="rf"`` after an extraction): a regular expression matching no module, as
    #: this filter matches nothing in a thread that is not inside ``caught(always=True)``
    pattern = "(?!)"
    match = {}.get  # set to id in a thread inside caught(always=True): see _enter_always

    def __reduce__(self):
        return (_InCaughtAlways, ())

    def __eq__(self, other: object) -> bool:
        return isinstance(other, _InCaughtAlways)

    def __hash__(self) -> int:
        return hash(_InCaughtAlways)

    def __repr__(self) -> str:
        return "<emofeat: a thread catching every warning>"


_ALWAYS = ("always", None, Warning, _InCaughtAlways(), 0)


def registries_afresh() -> None:
    """Make every module's warnings registry stale, as entering ``catch_warnings`` does:
    a warning shown once already (``default``, ``module``) is shown again. Threads at work
    lose theirs too, which shows a warning again at most."""
    mutated = getattr(warnings, "_filters_mutated", None)
    if mutated is not None:
        mutated()
        return
    # 3.11.7, 3.12.1 and 3.13.0 have _filters_mutated (checked); 3.14 (not run here) defines
    # both in _py_warnings
    locked = getattr(warnings, "_filters_mutated_lock_held", None)
    if locked is not None:
        with getattr(warnings, "_lock", contextlib.nullcontext()):
            locked()


_ALWAYS_USERS = [0]  # blocks inside caught(always=True), every thread's: the filter's life


def _enter_always() -> None:
    """This thread inside one more ``caught(always=True)``: our filter matches in it."""
    _LOCAL.always = getattr(_LOCAL, "always", 0) + 1
    _ALWAYS[3].match = id  # a builtin returning a true value: see _InCaughtAlways


def _leave_always() -> None:
    _LOCAL.always -= 1
    if _LOCAL.always == 0:
        del _ALWAYS[3].match  # the class's {}.get again: matches nothing


def _install(always: bool) -> None:
    with _LOCK:
        if not isinstance(warnings.showwarning, _Collect):
            warnings.showwarning = _Collect(warnings.showwarning)  # type: ignore[assignment]
        if always:
            _ALWAYS_USERS[0] += 1
            # ours, not an equal one unpickled from a parent process (loky), whose match
            # this process never sets
            if not (warnings.filters and warnings.filters[0] is _ALWAYS):
                _edit_filters(lambda filters: (_remove(filters), filters.insert(0, _ALWAYS)))


def _remove(filters: list) -> None:
    while _ALWAYS in filters:
        filters.remove(_ALWAYS)


def _edit_filters(edit: Callable[[list], Any]) -> None:
    """Change ``warnings.filters`` in place, never binding a new list: CPython's ``warn``
    (3.11) walks the list it last read, holding it through the interpreter's state only;
    a new list bound while a thread switched during the walk (in our ``match`` when it was
    Python code), then read by another thread's ``warn``, freed the one being walked (a
    segmentation fault, once this filter came and went with each block). In place, a
    ``warn`` under way may see the list shift by one entry. The registries are left as
    they are: ``caught`` starts them afresh where it should, and our filter, ``always``,
    records nothing in them."""
    edit(warnings.filters)


def _uninstall_always() -> None:
    """Take our filter out of ``warnings.filters`` once no thread is inside
    ``caught(always=True)``: an extraction leaves the process's filters as it found them
    (the entry stayed for good, and code reading the filters met an object of ours)."""
    with _LOCK:
        _ALWAYS_USERS[0] -= 1
        if _ALWAYS_USERS[0] == 0 and _ALWAYS in warnings.filters:
            _edit_filters(_remove)


@contextlib.contextmanager
def caught(always: bool = False, afresh: bool = True) -> Iterator[list[Caught]]:
    """The warnings this thread shows inside the block, in a list (not shown); those of
    other threads are not in it and go where they went.

    Parameters
    ----------
    always : bool, default False
        Show this thread every warning (the ``simplefilter("always")`` of a
        ``catch_warnings`` block); otherwise the process's filters decide, as for anyone.
    afresh : bool, default True
        Start the warnings registries afresh at the entry (as at ``catch_warnings``'s), so
        that a warning shown before the block is caught again. ``False`` for a block entered
        once per window of an input: afresh, a warning shown between two windows (a read's)
        was shown again after each.
    """
    logs = _LOCAL.__dict__.setdefault("logs", [])
    log: list[Caught] = []
    logs.append(log)
    counted = False
    try:
        # inside the try: an interrupt after the count (Ctrl-C) still takes it back
        _install(always)
        counted = always
        if always:
            _enter_always()
        if afresh:
            registries_afresh()
        yield log
    finally:
        logs.pop()
        if counted:
            if getattr(_LOCAL, "always", 0) > 0:
                _leave_always()
            _uninstall_always()
