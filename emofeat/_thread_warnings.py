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

What a thread is doing is its stack of open blocks, nothing else: whether it catches
everything, and whether any thread does (the filter's life), are made to agree with the
stacks at each entry and exit (:func:`_settle`), not counted up and down, so that a Ctrl-C
or an exception thrown into the thread in the middle of the bookkeeping leaves nothing
behind once the block is left (a count left above zero kept the filter for good; a thread
left catching everything showed warnings the user had turned off).
"""

from __future__ import annotations

import collections
import contextlib
import functools
import itertools
import operator
import os
import threading
import warnings
import weakref
from collections.abc import Callable, Iterator
from typing import Any

#: a warning shown: message, category, file and line of the code that warned
Caught = tuple[str, type[Warning], str, int]

_LOCAL = threading.local()  # .thread: this thread's _Thread
# re-entrant: a garbage collection while we hold it (any allocation may start one) can
# finalize a block an interrupt left open, whose exit settles again in this thread (with a
# plain Lock, that thread and every later block of any thread hung: review 2 of session 47)
_LOCK = threading.RLock()


class _Thread:
    """A thread's open :func:`caught` blocks, innermost last, each ``(list, always)``;
    ``listed``: whether it may be in :data:`_CATCHING`, or its leaving was not seen through
    (set before it goes in, cleared once the filter is gone if it was the last, so that an
    interruption between the two errs on looking again); ``ref``: what goes in the set."""

    __slots__ = ("logs", "listed", "ref", "__weakref__")

    def __init__(self) -> None:
        self.logs: list[tuple[list[Caught], bool]] = []
        self.listed = False
        self.ref = weakref.ref(self, _gone)


#: the threads inside ``caught(always=True)``, by weak references: a thread that ended inside
#: one (its exit interrupted again and again) drops out, and the filter goes at the next
#: block's end. A set of them, not a WeakSet, whose Python methods cost a microsecond a block
_CATCHING: set[weakref.ref[_Thread]] = set()


def _gone(ref: weakref.ref[_Thread]) -> None:
    # a thread never inside such a block was never hashed, nor put in the set
    with contextlib.suppress(TypeError):
        _CATCHING.discard(ref)


def _after_fork_in_child() -> None:
    """A forked child's lock, unheld: a thread of the parent holding it at the fork (a
    program whose threads extract while one forks its workers) left it held for good, and
    the child's first ``caught`` hung (review 3 of session 46: 33-35 of 200 children). The
    parent's other threads, which the child does not have, are no longer inside a block."""
    global _LOCK, _CATCHING
    _LOCK = threading.RLock()
    _CATCHING = set()
    me = getattr(_LOCAL, "thread", None)
    if me is not None:
        me.listed = True  # look again: the filter may be there for threads the child lacks
        _settle(me)


if hasattr(os, "register_at_fork"):  # not on Windows, which does not fork
    os.register_at_fork(after_in_child=_after_fork_in_child)


class _Collect:
    """The process's ``warnings.showwarning`` once :func:`caught` was used: into the
    innermost :func:`caught` list of the thread that warned, else to the ``showwarning``
    it replaced (each one keeps its own, so that a caller that put one back, as the
    ``emofeat`` program does when a command ends, gets its own display back)."""

    def __init__(self, shown_by: Callable[..., Any]) -> None:
        self.shown_by = shown_by

    def __call__(self, message, category, filename, lineno, file=None, line=None) -> None:
        me = getattr(_LOCAL, "thread", None)
        if me is not None and me.logs:
            me.logs[-1][0].append((str(message), category, filename, lineno))
        else:
            self.shown_by(message, category, filename, lineno, file, line)


def catching() -> bool:
    """Whether this thread is inside a :func:`caught` block: what it warns goes to a list
    (an emofeat run's, which says each warning once a run), not to the display."""
    me = getattr(_LOCAL, "thread", None)
    return me is not None and bool(me.logs)


def filter_action(message: str, category: type[Warning], module: str, lineno: int) -> str:
    """The action the process's first matching warnings filter takes on a ``category``
    warning of ``message`` from ``module`` at ``lineno``, as ``warnings.warn`` finds it
    (``warnings.defaultaction`` where none matches)."""
    for action, text, cat, mod, line in list(warnings.filters):
        if ((text is None or text.match(message)) and issubclass(category, cat)
                and (mod is None or mod.match(module)) and (line == 0 or line == lineno)):
            return action
    return warnings.defaultaction


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
    match = {}.get  # set to id in a thread inside caught(always=True): see _settle

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


def _settle(me: _Thread) -> None:
    """Make this thread's filter ``match`` and the filter's place in ``warnings.filters``
    agree with its stack of blocks, whatever they were before: done again, it changes
    nothing, so that an interrupted one is mended by the next (see :func:`caught`). Done
    until the stack it settled for is the stack there is: a block finalized by a garbage
    collection meanwhile (see :data:`_LOCK`) changed it under this one."""
    for _ in range(8):
        if _settle_for(me, _wants_always(me)) is _wants_always(me):
            return


def _wants_always(me: _Thread) -> bool:
    # a loop, not any() over a generator, whose closing early ran code where Ctrl-C landed
    for _, each in me.logs:
        if each:
            return True
    return False


def _settle_for(me: _Thread, always: bool) -> bool:
    """One settling of ``me`` for ``always`` (whether its stack holds an ``always``
    block); returns ``always``."""
    if always:
        _ALWAYS[3].match = id  # a builtin returning a true value: see _InCaughtAlways
    else:
        _ALWAYS[3].__dict__.pop("match", None)  # the class's {}.get again: matches nothing
    filters = warnings.filters
    if (isinstance(warnings.showwarning, _Collect) and me.listed is always
            and (not always or (filters and filters[0] is _ALWAYS))):
        return always
    with _LOCK:
        if not isinstance(warnings.showwarning, _Collect):
            warnings.showwarning = _Collect(warnings.showwarning)  # type: ignore[assignment]
        if always:
            me.listed = True
            _CATCHING.add(me.ref)
            filters = warnings.filters
            # ours, not an equal one unpickled from a parent process (loky), whose match
            # this process never sets
            if not (filters and filters[0] is _ALWAYS):
                if _ours_in(filters):  # behind a filter added since: moved first
                    _bind_anew((_ALWAYS,))
                else:
                    # in place: a reader looping over the list meanwhile sees one entry
                    # twice, which adds no filter
                    filters.insert(0, _ALWAYS)
        else:
            _CATCHING.discard(me.ref)
            if not _CATCHING and _ours_in(warnings.filters):
                _bind_anew(())
            me.listed = False  # last: interrupted before, the next settle looks again
    return always


def _ours_in(filters: list) -> bool:
    # C code throughout (no generator, whose closing early ran code where Ctrl-C landed)
    return any(map(_IS_OURS, filters))


_IS_OURS = functools.partial(operator.is_, _ALWAYS)
_NOT_OURS = functools.partial(operator.is_not, _ALWAYS)
#: the filters lists last replaced, a few: see _bind_anew
_RETIRED: collections.deque[Any] = collections.deque(maxlen=16)


def _bind_anew(first: tuple) -> None:
    """Bind ``warnings.filters`` to a copy without our filter but for ``first``: without
    it once no thread is inside ``caught(always=True)``, so that an extraction leaves the
    process's filters as it found them (the entry stayed for good, and code reading the
    filters met an object of ours); with it first where a filter added since stood before
    it (inserted again instead, it came once more at each block while blocks overlapped).

    A copy, not the list edited in place: scikit-learn's ``Parallel`` hands the live list
    to each task, which loops over it, and a removal at its head meanwhile shifted the
    rest, so that the task skipped one of the user's filters (review 3 of session 46). The
    list is read, copied and bound in one call of C code, with no Python code between in
    which another thread could run and add a filter to the list being replaced (lost).
    The replaced lists are kept, the last 16: CPython's ``warn`` (3.11) walks the list
    it last read, held through the interpreter's state only, and a thread switching during
    the walk, while another bound a new list and warned, freed it (a segmentation fault
    in session 46, when our ``match`` was Python code). The registries are left as they
    are: our filter, ``always``, records nothing in them."""
    _RETIRED.append(warnings.filters)
    # warnings.filters = [*first, *filter(_NOT_OURS, warnings.filters)], as one call
    for _ in map(setattr, (warnings,), ("filters",), map(list, map(
            itertools.chain, (first,), map(filter, (_NOT_OURS,),
                                            map(getattr, (warnings,), ("filters",)))))):
        pass


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
    log: list[Caught] = []
    try:
        # inside the try: an interrupt anywhere after the entry began reaches the finally
        _enter(log, always)
        if afresh:
            registries_afresh()
        yield log
    finally:
        # again if interrupted inside (a second Ctrl-C, an exception thrown into the
        # thread), and the interrupt raised once the state is right: half done, this
        # thread stayed catching everything, or the filter stayed for good
        late = None
        for _ in (0, 1, 2):
            try:
                _leave(log)
                break
            except BaseException as exc:
                late = exc
        if late is not None:
            raise late


def _enter(log: list[Caught], always: bool) -> None:
    me = getattr(_LOCAL, "thread", None)
    if me is None:
        me = _LOCAL.thread = _Thread()
    me.logs.append((log, always))
    _settle(me)


def _leave(log: list[Caught]) -> None:
    """Take this block (and any left open inside it by an interrupted exit) off this
    thread's stack, if it is there still, and settle."""
    me = getattr(_LOCAL, "thread", None)
    if me is None:
        return
    logs = me.logs
    for i in range(len(logs) - 1, -1, -1):
        if logs[i][0] is log:
            del logs[i:]
            break
    _settle(me)
