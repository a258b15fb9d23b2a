"""Flat EEG channels reported as data (emofeat.flat_channels): kept by the innermost
``flat_reports`` block of the thread that reports them, warned elsewhere, as the set's own
warning from the set's place."""

from __future__ import annotations

import sys
import threading
import warnings

import pytest

from emofeat.flat_channels import flat_reports, say_flat
from emofeat.readers import EEGChannelWarning


def _set_code(source: str) -> None:  # a set's helper, warning from its caller's line
    say_flat(source, "AF7", "its features are NaN", stacklevel=2)


def test_reports_are_kept_by_the_innermost_block_of_their_thread_only():
    """A block keeps its own thread's reports, not another thread's (a Dask worker runs
    several shards at once): that one's warning goes out as the set's own, worded and
    placed as it is outside any block."""
    started, done = threading.Event(), threading.Event()

    def other() -> None:
        started.wait(5)
        _set_code("b.csv")
        done.set()

    with warnings.catch_warnings(record=True) as rec:
        warnings.simplefilter("always")
        t = threading.Thread(target=other)
        t.start()
        with flat_reports() as outer:
            with flat_reports() as inner:
                started.set()
                done.wait(5)
                _set_code("a.csv")
                line = sys._getframe().f_lineno - 1
            _set_code("c.csv")
        t.join()
        _set_code("d.csv")
    assert [(r.source, r.channel, r.said) for r in inner] == [
        ("a.csv", "AF7", "its features are NaN")]
    assert [r.source for r in outer] == ["c.csv"]
    assert [str(w.message) for w in rec] == [
        "b.csv: channel AF7 has a flat (constant) signal; its features are NaN",
        "d.csv: channel AF7 has a flat (constant) signal; its features are NaN"]
    assert all(w.category is EEGChannelWarning and w.filename == __file__ for w in rec)
    # a report shown later is the warning the set would have given, at the same place
    with warnings.catch_warnings(record=True) as shown:
        warnings.simplefilter("always")
        inner[0].show()
    assert str(shown[0].message) == inner[0].message and shown[0].filename == __file__
    assert shown[0].lineno == inner[0].lineno == line


def test_a_failing_block_keeps_its_reports_unsaid():
    with pytest.raises(RuntimeError), warnings.catch_warnings():
        warnings.simplefilter("error")  # nothing is warned inside a block
        with flat_reports() as got:
            _set_code("a.csv")
            raise RuntimeError
    assert [r.source for r in got] == ["a.csv"]
