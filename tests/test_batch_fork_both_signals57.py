"""SIGINT and SIGTERM both sent while ForkPool forks: CPython runs every pending handler (a
program's flag-setting SIGTERM handler runs although SIGINT's raised KeyboardInterrupt);
ForkPool raised the held signals one after another and stopped at the first exception."""
from __future__ import annotations

import os
import signal
import threading
import time

import pytest
from test_batch_fork_restore57 import undo

from emofeat.schedule import ForkPool


@pytest.mark.skipif(not hasattr(signal, "pthread_sigmask"), reason="POSIX signal masks")
def test_both_handlers_run(monkeypatch):
    stop = threading.Event()
    other = threading.Thread(target=stop.wait, daemon=True)
    other.start()  # takes the signals while the forking thread blocks them
    before = {s: signal.getsignal(s) for s in (signal.SIGINT, signal.SIGTERM)}
    flag = []
    signal.signal(signal.SIGTERM, lambda s, f: flag.append(s))
    signal.signal(signal.SIGINT, signal.default_int_handler)
    real_fork = os.fork
    sent = []

    def fork():
        if not sent:
            sent.append(True)
            os.kill(os.getpid(), signal.SIGINT)
            os.kill(os.getpid(), signal.SIGTERM)
            time.sleep(0.1)
        return real_fork()

    try:
        monkeypatch.setattr(os, "fork", fork)
        with pytest.raises(KeyboardInterrupt):
            ForkPool([], 1)
        assert flag == [signal.SIGTERM], flag
    finally:
        undo(stop, before)
