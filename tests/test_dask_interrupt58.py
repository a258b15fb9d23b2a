"""Ctrl-C or SIGTERM to the whole group of an ``emofeat extract --backend dask -j 2`` run (a
terminal's Ctrl-C, a batch system's time limit): the local cluster's worker processes are in
the group too. Each worker printed the traceback of its own KeyboardInterrupt, and distributed
logged its warnings of the workers' end (a task cancelled by the worker's close, a worker
unknown to the scheduler, a worker killed after 4 s), after the run's one line. Now the
workers leave the signals to the run (``emofeat.dask_backend.dask_setup``, their preload),
which closes the cluster: the one line alone on stderr."""

from __future__ import annotations

import os
import signal
import sys
import time

import pytest
from test_batch_hunt import _lines, corpus  # noqa: F401
from test_cli_sigterm57 import _start

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="signals: Linux")


@pytest.mark.parametrize("name,code,said", [
    ("SIGINT", 130, "emofeat: interrupted;"),
    ("SIGTERM", 143, "emofeat: interrupted (SIGTERM);"),
])
def test_a_signal_to_the_group_of_a_dask_run_is_one_line(tmp_path, corpus, name, code,  # noqa: F811
                                                         said):
    pytest.importorskip("distributed")
    out = tmp_path / "d.parquet"
    proc = _start(tmp_path, corpus, out, "-j", "2", "--backend", "dask")
    while _lines(tmp_path / "log") < 3 and proc.poll() is None:  # both workers at work
        time.sleep(0.01)
    assert proc.poll() is None, proc.communicate()[1].decode()
    os.killpg(proc.pid, getattr(signal, name))
    err = proc.communicate(timeout=120)[1].decode()
    assert proc.returncode == code, (proc.returncode, err)
    lines = err.splitlines()
    assert len(lines) == 1 and lines[0].startswith(said), err
