"""Ctrl-C or SIGTERM to the whole group of an ``emofeat extract --backend dask -j 2`` run (a
terminal's Ctrl-C, a batch system's time limit): the local cluster's worker processes are in
the group too. Each worker printed the traceback of its own KeyboardInterrupt, and distributed
logged its warnings of the workers' end (a task cancelled by the worker's close, a worker
unknown to the scheduler, a worker killed after 4 s), after the run's one line. Now the
workers leave the signals to the run (``emofeat.dask_backend.dask_setup``, their preload),
which closes the cluster: the one line alone on stderr.

With the workers in the middle of long shards (review RA of cea2bff7): a shard being
computed goes on until the cluster's close kills its worker (distributed's nanny, after
4 s), and the nanny logged a WARNING for each in the run's process, 'Worker process still
alive after 4.0 seconds, killing', after the one line. The cluster is the run's own: ending
its workers at the run's end is what the run asked for. There each input takes a minute in
the set (logging its start), four files."""

from __future__ import annotations

import os
import signal
import sys
import textwrap
import time

import pytest
from test_batch_hunt import _lines, corpus  # noqa: F401
from test_cli_sigterm57 import _start

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="signals: Linux")


LONG_SET = '''
    import os
    import time
    from emofeat.extractors import MFCC

    class LongMFCC(MFCC):
        """MFCC that logs its start on an input, then takes a minute."""

        set_name = "long_mfcc"

        def features_of(self, audio):
            if not audio.source.startswith("<array"):
                with open(os.environ["LOGGED_SET_LOG"], "a") as fh:
                    fh.write("x\\n")
                time.sleep(60)
            return super().features_of(audio)
'''

LONG_DRIVER = '''
    from emofeat.cli import console_main
    from emofeat.registry import SetInfo, register

    if __name__ == "__main__":
        register(SetInfo("logged_mfcc", "longset:LongMFCC", "MFCC, a minute an input (tests)"))
        console_main()
'''


@pytest.mark.parametrize("shards", ["short", "long"])
@pytest.mark.parametrize("name,code,said", [
    ("SIGINT", 130, "emofeat: interrupted;"),
    ("SIGTERM", 143, "emofeat: interrupted (SIGTERM);"),
])
def test_a_signal_to_the_group_of_a_dask_run_is_one_line(tmp_path, corpus, name, code,  # noqa: F811
                                                         said, shards):
    pytest.importorskip("distributed")
    out = tmp_path / "d.parquet"
    if shards == "short":
        proc = _start(tmp_path, corpus, out, "-j", "2", "--backend", "dask")
        begun = 3  # both workers at work
    else:
        (tmp_path / "longset.py").write_text(textwrap.dedent(LONG_SET))
        proc = _start(tmp_path, corpus[:4], out, "-j", "2", "--backend", "dask",
                      driver=LONG_DRIVER, chunk="1")
        begun = 2  # both workers in a shard
    while _lines(tmp_path / "log") < begun and proc.poll() is None:
        time.sleep(0.01)
    assert proc.poll() is None, proc.communicate()[1].decode()
    os.killpg(proc.pid, getattr(signal, name))
    err = proc.communicate(timeout=120)[1].decode()
    assert proc.returncode == code, (proc.returncode, err)
    lines = err.splitlines()
    assert len(lines) == 1 and lines[0].startswith(said), err
