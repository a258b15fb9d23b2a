"""SIGTERM stops ``emofeat extract`` as Ctrl-C does (session 57, helper C's hunt): a batch
system's time limit (SLURM, Kubernetes), ``docker stop`` and ``kill`` send SIGTERM first, and
the program ended at once without a word (exit -15, nothing on stderr), though the rows
written were kept. Now: the workers ended, one line saying what is kept and that the same
command finishes the run, exit 143 (128 + 15), and the next run resumes to the table of one
uninterrupted run. Twelve short RAVDESS recordings, a set that takes 0.15 s an input."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest
from test_batch_hunt import LOGGED_SET, _equals_one_run, _lines, corpus  # noqa: F401

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="signals: Linux")

# the emofeat program itself (console_main), with the logged set registered
DRIVER = '''
    from emofeat.cli import console_main
    from emofeat.registry import SetInfo, register

    if __name__ == "__main__":
        register(SetInfo("logged_mfcc", "loggedset:LoggedMFCC", "MFCC, logged (tests)"))
        console_main()
'''

KEPT = "interrupted (SIGTERM); the inputs extracted so far are kept: the same command finishes"


def _start(tmp_path: Path, files: list[str], out: Path, *more: str, driver: str = DRIVER,
           chunk: str = "2") -> subprocess.Popen:
    """The ``emofeat`` program (``driver``) extracting ``files`` into ``out``, shards of
    ``chunk`` inputs, in a process group of its own."""
    (tmp_path / "loggedset.py").write_text(textwrap.dedent(LOGGED_SET))
    (tmp_path / "driver.py").write_text(textwrap.dedent(driver))
    # the emofeat this test imports: a PYTHONPATH given to the tests (an old tree's, for
    # a "fails before" check) kept behind the driver's folder, not replaced by it
    path = os.pathsep.join(p for p in (str(tmp_path), os.environ.get("PYTHONPATH")) if p)
    env = dict(os.environ, PYTHONPATH=path, LOGGED_SET_LOG=str(tmp_path / "log"))
    return subprocess.Popen(
        [sys.executable, str(tmp_path / "driver.py"), "extract", *files, "-o", str(out),
         "--set", "logged_mfcc", "--chunk-size", chunk, "-q", *more],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, start_new_session=True)


def _wait_lines(tmp_path: Path, proc: subprocess.Popen, n: int) -> int:
    log = tmp_path / "log"
    while _lines(log) < n and proc.poll() is None:
        time.sleep(0.01)
    return _lines(log)


def _finish_and_compare(tmp_path: Path, files: list[str], out: Path, *more: str) -> None:
    proc = _start(tmp_path, files, out, *more)
    err = proc.communicate(timeout=120)[1].decode()
    assert proc.returncode == 0, err
    _equals_one_run(out, files)  # the logged set is MFCC's: the same numbers


def test_sigterm_to_a_serial_run_says_what_is_kept(tmp_path, corpus):  # noqa: F811
    out = tmp_path / "f.parquet"
    proc = _start(tmp_path, corpus, out)
    _wait_lines(tmp_path, proc, 5)  # two parts written, the third begun
    proc.send_signal(signal.SIGTERM)
    err = proc.communicate(timeout=60)[1].decode()
    assert proc.returncode == 143, (proc.returncode, err)  # was -15, nothing said
    assert KEPT in err and "Traceback" not in err, err
    _finish_and_compare(tmp_path, corpus, out)


def test_sigterm_to_the_run_alone_ends_its_workers_at_once(tmp_path, corpus):  # noqa: F811
    """``docker stop`` or ``kill <pid>``: the signal reaches the run's process only."""
    out = tmp_path / "ds"
    proc = _start(tmp_path, corpus, out, "-j", "2")
    at_signal = _wait_lines(tmp_path, proc, 6)  # a part of each worker written
    proc.send_signal(signal.SIGTERM)
    err = proc.communicate(timeout=60)[1].decode()
    assert proc.returncode == 143, (proc.returncode, err)
    assert KEPT in err and "Traceback" not in err, err
    time.sleep(0.3)
    assert _lines(tmp_path / "log") - at_signal <= 2  # an input each worker had nearly done
    with pytest.raises(ProcessLookupError):  # no worker left behind
        os.killpg(proc.pid, 0)
    _finish_and_compare(tmp_path, corpus, out, "-j", "2")


def test_sigterm_to_the_whole_group_is_one_quiet_line(tmp_path, corpus):  # noqa: F811
    """A batch system's time limit signals every process of the job: the workers die of
    it, the run says it was interrupted (not that a worker died) and exits 143."""
    out = tmp_path / "g.parquet"
    proc = _start(tmp_path, corpus, out, "-j", "2")
    _wait_lines(tmp_path, proc, 3)
    os.killpg(proc.pid, signal.SIGTERM)
    err = proc.communicate(timeout=60)[1].decode()
    assert proc.returncode == 143, (proc.returncode, err)
    assert "interrupted (SIGTERM)" in err and "Traceback" not in err, err
    assert "worker process died" not in err, err
    _finish_and_compare(tmp_path, corpus, out, "-j", "2")


def test_a_callers_sigterm_is_left_as_it_was(monkeypatch):
    """Only the emofeat program takes SIGTERM, and only where nobody else has: main()
    called in someone's process, or a program with its own handler, keeps its own."""
    import emofeat.cli as cli

    assert signal.getsignal(signal.SIGTERM) is signal.SIG_DFL
    with cli._sigterm_interrupts():  # a caller of main(): not the program
        assert signal.getsignal(signal.SIGTERM) is signal.SIG_DFL
    monkeypatch.setattr(cli, "_CONSOLE", True)
    with cli._sigterm_interrupts():
        assert signal.getsignal(signal.SIGTERM) is cli._terminated
    assert signal.getsignal(signal.SIGTERM) is signal.SIG_DFL

    def own(signum, frame):  # pragma: no cover - never called
        pass

    before = signal.signal(signal.SIGTERM, own)
    try:
        with cli._sigterm_interrupts():
            assert signal.getsignal(signal.SIGTERM) is own
        assert signal.getsignal(signal.SIGTERM) is own
    finally:
        signal.signal(signal.SIGTERM, before)
