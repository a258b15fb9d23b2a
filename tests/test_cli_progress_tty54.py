"""``emofeat extract`` draws its progress bar only where stderr is a terminal (CLI leftover of
session 53): into a pipe or a log file (CI, ``2> run.log``) every redraw of the bar stayed,
carriage returns and all, among the warnings and the summary. As pip, cargo and git do, the
bar is for a terminal; ``--progress`` draws it anywhere, ``-q`` nowhere (the two together are
a usage error). The lines the command prints (the cold start's compile message, the
summary) are written either way. The inputs are three EmoDB recordings.
"""

from __future__ import annotations

import os
import struct
import subprocess
import sys

import pytest
from conftest import shared_path

BAR = "file/s]"  # tqdm's rate field, in every drawing of the bar


@pytest.fixture(scope="module")
def emodb_three():
    folder = shared_path("speech", "emodb")
    return [str(folder / n) for n in ("03a01Fa.flac", "03a01Nc.flac", "03a01Wa.flac")]


def _extract(args, env=None, tty=False):
    """``(exit code, stderr)`` of ``emofeat extract ARGS`` in a fresh process, its stderr a
    pipe or (``tty``) a pseudo-terminal."""
    cmd = [sys.executable, "-m", "emofeat", "extract", *args]
    if not tty:
        proc = subprocess.run(cmd, capture_output=True, text=True, env=env)
        return proc.returncode, proc.stderr
    fcntl, pty, termios = (pytest.importorskip(m, reason="a POSIX terminal")
                           for m in ("fcntl", "pty", "termios"))
    leader, follower = pty.openpty()
    # a terminal of 100 columns (a fresh pseudo-terminal has 0: tqdm would draw nothing)
    fcntl.ioctl(follower, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 100, 0, 0))
    try:
        proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=follower, env=env)
        os.close(follower)
        chunks = []
        while True:
            try:
                chunk = os.read(leader, 65536)
            except OSError:  # EIO: the process closed its end
                break
            if not chunk:
                break
            chunks.append(chunk)
        return proc.wait(), b"".join(chunks).decode("utf-8", "replace")
    finally:
        os.close(leader)


def test_no_bar_into_a_pipe(tmp_path, emodb_three):
    code, err = _extract(["--set", "mfcc", "-o", str(tmp_path / "f.parquet"), *emodb_three])
    assert code == 0, err
    assert BAR not in err and "\r" not in err, repr(err[:300])
    assert "emofeat extract: 3 inputs, 3 done, 0 failed" in err  # the summary stays


def test_progress_draws_it_into_a_pipe(tmp_path, emodb_three):
    code, err = _extract(["--set", "mfcc", "--progress", "-o", str(tmp_path / "f.parquet"),
                          *emodb_three])
    assert code == 0, err
    assert BAR in err and "3/3" in err


def test_a_terminal_gets_the_bar(tmp_path, emodb_three):
    code, err = _extract(["--set", "mfcc", "-o", str(tmp_path / "f.parquet"), *emodb_three],
                         tty=True)
    assert code == 0, err
    assert BAR in err and "emofeat extract: 3 inputs, 3 done" in err


def test_quiet_and_progress_together_are_refused(tmp_path, emodb_three):
    code, err = _extract(["--set", "mfcc", "-q", "--progress", "-o",
                          str(tmp_path / "f.parquet"), *emodb_three])
    assert code == 2, err
    assert "not allowed with argument" in err
    assert not (tmp_path / "f.parquet").exists()


def test_the_cold_start_line_stays(tmp_path):
    """A cold Numba cache (an empty cache folder): the compile message is written into the
    pipe, the bar is not (eeg_stats on a Muse recording: its 2 kernels compile in about 2 s)."""
    muse = shared_path("eeg", "muse_mental_state", "subjecta-neutral-1.csv")
    env = {**os.environ, "NUMBA_CACHE_DIR": str(tmp_path / "cache")}
    code, err = _extract(["--set", "eeg_stats", "-o", str(tmp_path / "f.parquet"), str(muse)],
                         env=env)
    assert code == 0, err
    assert "emofeat: compiling 2 Numba kernels of 'eeg_stats'" in err, err
    assert BAR not in err and "\r" not in err, repr(err[:300])
