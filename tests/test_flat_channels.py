"""Flat EEG channels reported as data (emofeat.flat_channels): kept by the innermost
``flat_reports`` block of the thread that reports them, warned elsewhere, as the set's own
warning from the set's place."""

from __future__ import annotations

import dataclasses
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


def test_a_report_is_hashable_and_equal_by_what_it_says():
    """Regression: the record held its warnings registry, a dict, so ``hash()``
    of a report (a set of them, a dict key) raised ``TypeError: unhashable type: 'dict'``."""
    with flat_reports() as got:
        _set_code("a.csv")
        _set_code("a.csv")
    first, second = got
    assert first.registry is second.registry and first.lineno == second.lineno - 1
    assert first != second and len({first, second}) == 2  # two places
    same = dataclasses.replace(first, registry={})
    assert same == first and hash(same) == hash(first) and len({first, same}) == 1


def test_a_kept_report_shown_under_default_is_said_once_at_its_place():
    """``show`` warns with the set's module and registry, so the 'default' filter says a
    report once per place, as the set's own ``warnings.warn`` does."""
    with flat_reports() as got:
        for _ in range(3):
            _set_code("a.csv")
    with warnings.catch_warnings(record=True) as rec:
        warnings.simplefilter("default")
        for report in got:
            report.show()
    assert [(str(w.message), w.filename) for w in rec] == [(got[0].message, __file__)]
    assert got[0].module == __name__


def test_a_set_s_other_warning_in_a_gathered_run_is_shown_once_under_default():
    """A user's set warning of something else (not a flat channel) for each epoch of a run's
    epochs input: shown once under the 'default' filter, as with -j 2 workers. 0013d61 keeps
    this: until then the runner caught the gathered block's warnings and showed them again
    after resetting the process's warnings registries, so it was shown once per epoch (3).
    The flat channel is one warning counting the epochs."""
    import numpy as np
    from emofeat.extractors.eeg_sets import EEGHjorth

    from emofeat.runner import run

    class Noisy(EEGHjorth):
        def features_of(self, signal, *args, **kwargs):
            warnings.warn("noisy: an approximation used", UserWarning, stacklevel=1)
            return super().features_of(signal, *args, **kwargs)

    rng = np.random.default_rng(0)
    epochs = rng.standard_normal((3, 4, 1024))
    epochs[:, 1] = 3.0
    # the set's kernels compiled first: Numba's compiler enters catch_warnings, whose exit
    # invalidates every warnings registry, so a first compile between two epochs shows the
    # warning again (2 of 3 with a cold Numba cache, on 3.11 as on 3.13: other libraries'
    # catch_warnings, a known leftover)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        run([(epochs, 256.0, ["TP9", "AF7", "AF8", "TP10"])], [EEGHjorth()])
    with warnings.catch_warnings(record=True) as rec:
        warnings.simplefilter("default")
        res = run([(epochs, 256.0, ["TP9", "AF7", "AF8", "TP10"])], [Noisy()])
    assert len(res.table.X) == 3
    said = sorted((w.category.__name__, str(w.message)) for w in rec)
    assert [c for c, _ in said] == ["EEGChannelWarning", "UserWarning"], said
    assert said[0][1].startswith("<array 0>: flat (constant) signal in channel AF7 (3 of 3 "
                                 "epochs)") and said[1][1] == "noisy: an approximation used"
