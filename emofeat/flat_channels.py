"""Flat EEG channels, reported as data.

A set that finds a channel of a signal flat (constant: a loose electrode) says so with
:func:`say_flat`. Inside a :func:`flat_reports` block of the same thread the report is kept,
a :class:`FlatChannel`, for the caller to say once for an input of several signals or sets
(the runner, a set's ``transform``: one warning counting the epochs, gap-free stretches or
windows a channel is flat in); elsewhere it is the set's own
:class:`~emofeat.readers.EEGChannelWarning`, ``"<source>: channel <name> has a flat
(constant) signal; <what the features are>"``. A set's own warning of a flat channel, not
made through :func:`say_flat`, is not gathered: it goes out as raised.
"""

from __future__ import annotations

import contextlib
import sys
import threading
import warnings
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from .readers import EEGChannelWarning

_LOCAL = threading.local()  # .logs: this thread's flat_reports() lists, innermost last


@dataclass(frozen=True)
class FlatChannel:
    """One set's report of one flat channel of one signal.

    ``source`` names the signal's input, ``channel`` the channel, ``said`` what the set's
    features of it are (``"its features are NaN"``); ``message`` is the set's warning, which
    :meth:`show` gives as the set would have, from where it would have (``filename``,
    ``lineno``, ``module`` and its warnings ``registry``). Two reports are equal, and hash
    alike, by what they say and where: the registry, a dict the warnings machinery fills,
    is left out (a report in a set, or as a dict key, raised ``TypeError: unhashable``)."""

    source: str
    channel: str
    said: str
    message: str
    filename: str
    lineno: int
    module: str
    registry: dict[Any, Any] = field(compare=False, repr=False)

    def show(self) -> None:
        """The set's own warning, as :func:`warnings.warn` gives it at its place."""
        warnings.warn_explicit(self.message, EEGChannelWarning, self.filename, self.lineno,
                               self.module, self.registry)


def say_flat(source: str, channel: str, said: str, stacklevel: int = 1) -> None:
    """Say that ``channel`` of the signal of ``source`` is flat and what its features are
    (``said``): kept by the innermost :func:`flat_reports` of this thread, else warned.

    Parameters
    ----------
    source : str
        The signal's input (its ``source``).
    channel : str
        The channel's name.
    said : str
        What the set's features of the channel are (``"its features are NaN"``).
    stacklevel : int
        As :func:`warnings.warn`'s, counted from the caller of this function.
    """
    message = f"{source}: channel {channel} has a flat (constant) signal; {said}"
    logs = getattr(_LOCAL, "logs", None)
    if not logs:
        warnings.warn(message, EEGChannelWarning, stacklevel=stacklevel + 1)
        return
    try:  # the place warnings.warn gives the warning (its frame, or sys's)
        frame = sys._getframe(stacklevel)
        where, filename, lineno = frame.f_globals, frame.f_code.co_filename, frame.f_lineno
    except ValueError:
        where, filename, lineno = sys.__dict__, "sys", 1
    logs[-1].append(FlatChannel(source, channel, said, message, filename, lineno,
                                where.get("__name__", "<string>"),
                                where.setdefault("__warningregistry__", {})))


@contextlib.contextmanager
def flat_reports() -> Iterator[list[FlatChannel]]:
    """The flat channels :func:`say_flat` reports in this thread inside the block (not
    warned); other threads' are theirs. A block that fails keeps them in the list.

    Yields
    ------
    list of FlatChannel
        The block's ``as`` target: the list of this thread's reports made inside it, in
        the order made (nested blocks: the innermost keeps them). The caller says them
        (:meth:`FlatChannel.show`, or one warning of its own for several).
    """
    logs = _LOCAL.__dict__.setdefault("logs", [])
    got: list[FlatChannel] = []
    logs.append(got)
    try:
        yield got
    finally:
        logs.pop()


def pass_on(reports: list[FlatChannel]) -> None:
    """Hand ``reports`` kept by an inner :func:`flat_reports` block to the block around it,
    or warn them where there is none (a try whose reports are dropped if it fails)."""
    logs = getattr(_LOCAL, "logs", None)
    if logs:
        logs[-1].extend(reports)
        return
    for report in reports:
        report.show()
