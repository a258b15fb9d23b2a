"""What the sets warn of an input's windows, said once per input and naming the windows.

A set warns of the signal it is given, ``"<source>: no voiced frame: ..."``; given a window of
a ``--segment`` run, that named the file only, once per window (or once in all under
Python's default filter): a user with 300 windows a file could not find the one meant.
:class:`WindowWarnings` catches the sets' warnings of each window (every one, whatever the
filters: each window is counted) and says each once for the input, naming the windows it
was said of as the table's ``start``/``end`` give them, a few and a count:
``"a.wav, windows 1-1.5, 1.5-2 and 2-2.5 s (3 of 7): no voiced frame: ..."``. The
warning then goes through the caller's filters as the set's own would (its category, and
the set's file and line). A warning that does not name the input (not of one signal) is
said as it was, once per input. An input cut into one window keeps the sets' words.
"""

from __future__ import annotations

import contextlib
import sys
import warnings
from collections.abc import Iterator

from . import _thread_warnings
from ._wording import noun

#: windows named in a warning; more are counted
SHOWN = 5


def seconds(t: float) -> str:
    """A window bound as a message gives it: ``'1.5'``, ``'2'``, ``'0.9953'`` (0.1 ms)."""
    return f"{t:.4f}".rstrip("0").rstrip(".")


class WindowWarnings:
    """The warnings of one input's windows (:meth:`window`), said by :meth:`say`.

    Parameters
    ----------
    source : str
        The input as the sets name it (the prefix ``"<source>: "`` of their warnings).
    unit : {"window", "segment"}
        What a span is called: a window of ``--segment``, or a manifest's segment (named
        even alone: it is not the whole file).
    """

    def __init__(self, source: str, unit: str = "window") -> None:
        self.source = str(source)
        self.unit = unit
        self.count = 0
        #: (message, category, file, line) -> the spans it was said of, in order
        self.said: dict[tuple, list[tuple[float, float]]] = {}

    @contextlib.contextmanager
    def window(self, start: float, end: float) -> Iterator[None]:
        """Catch what the block warns of the window ``[start, end)`` seconds. A block that
        raises has what was caught until then said (:meth:`say`) before its error goes on."""
        self.count += 1
        try:
            # registries not afresh: a read's warning between two windows (a file cut short,
            # read window by window from disk) was said again after each
            with _thread_warnings.caught(always=True, afresh=False) as log:
                yield
        except BaseException:
            self._keep(log, start, end)
            # under an error filter say() raises the earlier windows' warning, which would
            # replace the block's own error (the one that failed the input) in the report
            with contextlib.suppress(Warning):
                self.say()
            raise
        self._keep(log, start, end)

    def _keep(self, log: list, start: float, end: float) -> None:
        for caught in log:
            spans = self.said.setdefault(caught, [])
            if not spans or spans[-1] != (start, end):
                spans.append((start, end))

    def say(self) -> None:
        """Each warning caught, once, naming the windows it was said of, under the caller's
        filters (``error`` raises it here, failing the input as the set's own did)."""
        said, self.said = self.said, {}
        prefix = f"{self.source}: "
        for (message, category, filename, lineno), spans in said.items():
            if message.startswith(prefix) and (self.count > 1 or self.unit != "window"):
                message = f"{self.source}, {self._where(spans)}: {message[len(prefix):]}"
            module = _module_of(filename)
            # from the set's file and line, under its module's name and registry, as
            # warnings.warn gives the set's own
            name = module.__name__ if module is not None else filename.removesuffix(".py")
            registry = (vars(module).setdefault("__warningregistry__", {})
                        if module is not None else None)
            warnings.warn_explicit(message, category, filename, lineno, module=name,
                                   registry=registry)

    def _where(self, spans: list[tuple[float, float]]) -> str:
        """``'window 1-1.5 s (1 of 7)'``, ``'windows 1-1.5, 2-2.5 s and 3 more (5 of 9)'``,
        ``'segment 0.5-1 s'``."""
        # only the spans shown are formatted: a warning of every window of a long file had
        # each of its thousands of spans formatted to show five
        bounds = [f"{seconds(a)}-{seconds(b)}" for a, b in spans[:SHOWN]]
        if len(spans) > SHOWN:
            listed = f"{', '.join(bounds)} s and {len(spans) - SHOWN} more"
        elif len(bounds) > 1:
            listed = f"{', '.join(bounds[:-1])} and {bounds[-1]} s"
        else:
            listed = f"{bounds[0]} s"
        of = f" ({len(spans)} of {self.count})" if self.count > 1 else ""
        return f"{noun(len(spans), self.unit)} {listed}{of}"


#: filename -> its module, found by :func:`_module_of`
_MODULES: dict[str, object] = {}
#: filename of no module -> :func:`_loaded` when :func:`_module_of` looked
_NO_MODULE: dict[str, tuple[int, object]] = {}


def _loaded() -> tuple[int, object]:
    """How many modules are loaded and the name of the last: one module unloaded and the
    file's own loaded leave the count alone, not the last."""
    return len(sys.modules), next(reversed(sys.modules), None)


def _module_of(filename: str):
    """The module whose file is ``filename``, ``None`` for none. What was found is kept, a
    file of no module too: each warning said scanned every module loaded (a thousand and
    more with SciPy and Numba), and one from a file of no module (a script's, ``<string>``)
    still did each time. A module no longer loaded is looked for again, as is a file of no
    module once other modules are loaded."""
    module = _MODULES.get(filename)
    if module is not None and sys.modules.get(module.__name__) is module:
        return module
    if _NO_MODULE.get(filename) == _loaded():
        return None
    for module in list(sys.modules.values()):
        if getattr(module, "__file__", None) == filename:
            _MODULES[filename] = module
            _NO_MODULE.pop(filename, None)
            return module
    _NO_MODULE[filename] = _loaded()
    return None
