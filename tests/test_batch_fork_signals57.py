"""A Ctrl-C or SIGTERM that comes while ``-j N``'s workers are forked stops the run, also with
other threads in the process (review RM of e38d25b, session 57). SIGINT and SIGTERM are blocked
in the forking thread, but a signal sent to the process goes to a thread that does not block
it (OpenBLAS's, two threads here), and its Python handler then ran in the main thread inside an
at-fork callback, where CPython prints 'Exception ignored' and drops the exception: the run went
on and exited 0 (tests/test_batch_fork_sigint54.py passed only where OpenBLAS had one thread,
as under xdist). The signal is made to come during the fork without timing: the driver's own
at-fork callback sends it, once, to its own process. Four EmoDB recordings, ``-j 2``."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap

import pytest
from conftest import shared_path

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="fork, signals: Linux")

DRIVER = '''
    import os
    import signal

    from emofeat.cli import console_main

    if __name__ == "__main__":
        numpy_threads_started = __import__("numpy").ones((64, 64)) @ __import__("numpy").ones((64, 64))
        sent = []

        def before_fork():  # the signal while the first worker is being forked
            if not sent:
                sent.append(True)
                os.kill(os.getpid(), getattr(signal, os.environ["SIGNAL_AT_FORK"]))

        os.register_at_fork(before=before_fork)
        console_main()
'''


@pytest.mark.parametrize("name,code", [("SIGINT", 130), ("SIGTERM", 143)])
def test_a_signal_during_the_fork_stops_the_run(tmp_path, name, code):
    files = [str(p) for p in sorted(shared_path("speech", "emodb").glob("*.flac"))[:4]]
    (tmp_path / "driver.py").write_text(textwrap.dedent(DRIVER))
    out = tmp_path / "f.parquet"
    command = [sys.executable, str(tmp_path / "driver.py"), "extract", *files, "-o", str(out),
               "--set", "mfcc", "-q", "-j", "2"]
    # OpenBLAS's threads: the process' other threads, as on any machine of 2+ cores
    env = dict(os.environ, SIGNAL_AT_FORK=name, OPENBLAS_NUM_THREADS="2", OMP_NUM_THREADS="2")
    done = subprocess.run(command, env=env, capture_output=True, timeout=300)
    err = done.stderr.decode()
    assert done.returncode == code, err  # was 0: the run went on
    assert "interrupted" in err and "Traceback" not in err and "ignored" not in err, err
    assert not out.exists()
