"""``columns.str_spec`` leaves the process' warning filters alone.

Regression (cec74ae): it read pandas' deprecated ``future.infer_string`` option inside
``warnings.catch_warnings()``, which swaps the filters of the whole process, not of the
calling thread: while a Dask worker's thread converted a shard's text columns, the warnings
of its other shards' threads were dropped (5,594 of 20,000 shown in review). It now asks
pandas' default string dtype itself, which warns of nothing.
"""

from __future__ import annotations

import threading
import warnings

import pytest


def test_str_spec_does_not_hide_other_threads_warnings(monkeypatch):
    pytest.importorskip("pandas")
    from emofeat import columns

    shown = []
    with warnings.catch_warnings():
        warnings.simplefilter("always")
        monkeypatch.setattr(warnings, "showwarning", lambda *a, **k: shown.append(1))
        stop = threading.Event()

        def spec_in_a_loop():
            while not stop.is_set():
                columns.str_spec()

        def warn(n):
            for i in range(n):
                warnings.warn(f"shard warning {i}", UserWarning, stacklevel=1)

        other = threading.Thread(target=spec_in_a_loop)
        other.start()
        try:
            warner = threading.Thread(target=warn, args=(20000,))
            warner.start()
            warner.join()
        finally:
            stop.set()
            other.join()
    assert len(shown) == 20000


def test_str_spec_warns_of_nothing():
    pytest.importorskip("pandas")
    from emofeat import columns

    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert columns.str_spec() is not None
