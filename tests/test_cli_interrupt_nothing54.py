"""Ctrl-C before a run has saved any rows says so (helper C, session 54): the command
said 'the inputs extracted so far are kept: the same command finishes the run without
extracting them again (emofeat info OUT counts them)', and that info then said 'OUT: no
parquet parts in this folder' (a dataset folder, exit 2) or '0 inputs extracted so far are
kept' (a file output); read_table said 'no such file or folder' of a file output. The run
is six EmoDB recordings in one shard of a set that takes 0.15 s an input
(tests/test_batch_hunt.py's), interrupted once it has extracted the first (rows are saved a
part at a time: review RC of session 54 found the words 'it had extracted no input yet' said
of a run that had extracted 20).
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest
from conftest import shared_path
from test_batch_hunt import LOGGED_DRIVER, LOGGED_SET, _lines

import emofeat
from emofeat.cli import main

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="signals: Linux")


@pytest.fixture(scope="module")
def six() -> list[str]:
    return [str(p) for p in sorted(shared_path("speech", "emodb").glob("*.flac"))[:6]]


def _interrupted_at_once(tmp_path: Path, files: list[str], out: Path) -> str:
    (tmp_path / "loggedset.py").write_text(textwrap.dedent(LOGGED_SET))
    (tmp_path / "driver.py").write_text(textwrap.dedent(LOGGED_DRIVER))
    log = tmp_path / "log"
    # the emofeat this test imports (a PYTHONPATH given to the tests kept)
    path = os.pathsep.join(p for p in (str(tmp_path), os.environ.get("PYTHONPATH")) if p)
    env = dict(os.environ, PYTHONPATH=path, LOGGED_SET_LOG=str(log))
    proc = subprocess.Popen(
        [sys.executable, str(tmp_path / "driver.py"), "extract", *files, "-o", str(out),
         "--set", "logged_mfcc", "--chunk-size", "6", "-q"],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    # the second input begun, so the first extracted; no part yet (the warm-ups log nothing)
    while _lines(log) < 2 and proc.poll() is None:
        time.sleep(0.005)
    proc.send_signal(signal.SIGINT)
    err = proc.communicate(timeout=60)[1].decode()
    assert proc.returncode == 130, err
    assert _lines(log) < 6  # stopped before the shard's part
    return err


@pytest.mark.parametrize("name", ["f.parquet", "ds"])
def test_an_interrupt_before_any_input_says_nothing_is_kept(tmp_path, six, capsys, name):
    out = tmp_path / name
    err = _interrupted_at_once(tmp_path, six, out)
    assert ("interrupted; stopped before it had saved any rows (rows are saved a part at a "
            "time), so nothing is kept: the same command starts the run again") in err, err
    assert "extracted no input" not in err
    assert "counts them" not in err
    capsys.readouterr()
    assert main(["info", str(out)]) == 2
    said = capsys.readouterr().err
    assert "before it had saved any rows (rows are saved a part at a time), so nothing is " \
           "kept yet" in said, said
    assert "no parquet parts" not in said and "0 inputs" not in said
    # the Python API's reader alike ('no such file or folder' of the file output)
    with pytest.raises((FileNotFoundError, ValueError), match="before it had saved any rows"):
        emofeat.read_table(out)
