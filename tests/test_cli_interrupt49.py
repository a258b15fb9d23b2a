"""Ctrl-C during ``emofeat extract`` says what was kept and how the run is finished
(session 49, helper C's finding): it said "emofeat: interrupted" alone, though the rows written
are kept and the same command resumes (without ``--overwrite`` where the interrupted run
replaced an output: with it, the run starts again)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest
from test_batch_hunt import LOGGED_DRIVER, LOGGED_SET, _lines, corpus  # noqa: F401

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="signals: Linux")


def _interrupted(tmp_path: Path, files: list[str], out: Path, *more: str) -> str:
    (tmp_path / "loggedset.py").write_text(textwrap.dedent(LOGGED_SET))
    (tmp_path / "driver.py").write_text(textwrap.dedent(LOGGED_DRIVER))
    log = tmp_path / "log"
    log.unlink(missing_ok=True)
    # the emofeat this test imports: a PYTHONPATH given to the tests (an old tree's, for
    # a "fails before" check) kept behind the driver's folder, not replaced by it
    path = os.pathsep.join(p for p in (str(tmp_path), os.environ.get("PYTHONPATH")) if p)
    env = dict(os.environ, PYTHONPATH=path, LOGGED_SET_LOG=str(log))
    proc = subprocess.Popen(
        [sys.executable, str(tmp_path / "driver.py"), "extract", *files, "-o", str(out),
         "--set", "logged_mfcc", "--chunk-size", "2", "-q", *more],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    while _lines(log) < 5 and proc.poll() is None:  # two parts written, the third begun
        time.sleep(0.01)
    proc.send_signal(signal.SIGINT)
    err = proc.communicate(timeout=60)[1].decode()
    assert proc.returncode == 130, err
    return err


def test_an_interrupted_run_says_the_same_command_finishes_it(tmp_path, corpus):  # noqa: F811
    out = tmp_path / "f.parquet"
    err = _interrupted(tmp_path, corpus, out)
    assert "interrupted; the inputs extracted so far are kept: the same command finishes" in err
    assert f"emofeat info {out} counts them" in err and "Traceback" not in err


def test_an_interrupted_overwrite_says_to_finish_without_it(tmp_path, corpus):  # noqa: F811
    from emofeat.cli import main

    out = tmp_path / "ds"
    assert main(["extract", *corpus[:2], "-o", str(out), "--set", "mfcc", "-q"]) == 0
    err = _interrupted(tmp_path, corpus, out, "--overwrite")
    assert (f"kept, and {out} is not replaced yet: the same command without --overwrite "
            "finishes the run") in err, err


def _args(tmp_path: Path, out: Path, *more: str):
    from emofeat.cli import build_parser

    args = build_parser().parse_args(["extract", str(tmp_path / "x.flac"), "-o", str(out),
                                      *more])
    args.output_existed = out.exists()
    return args


def test_an_overwrite_stopped_before_its_parts_replaced_nothing(tmp_path, corpus):  # noqa: F811
    """Review 1 of session 49: stopped before it marked its parts (in its imports), the
    --overwrite run replaced nothing, and 'without --overwrite' would keep the old rows."""
    from emofeat.cli import _resume_hint, main

    for out in (tmp_path / "f.parquet", tmp_path / "ds"):
        assert main(["extract", *corpus[:2], "-o", str(out), "--set", "mfcc", "-q"]) == 0
        hint = _resume_hint(_args(tmp_path, out, "--overwrite"))
        assert hint == f"; nothing was replaced: {out} is as it was, and the same command starts again"


def test_nothing_is_promised_where_nothing_was_left(tmp_path):
    from emofeat.cli import _resume_hint, build_parser

    for more in ((), ("--overwrite",)):
        assert _resume_hint(_args(tmp_path, tmp_path / "o.parquet", *more)) == ""
    assert _resume_hint(build_parser().parse_args(["sets"])) == ""


def test_an_overwrite_stopped_while_the_old_output_goes_says_it_is_done(tmp_path, corpus):  # noqa: F811
    """Review 2 of session 49: stopped after the new output was in place, while the old one's
    leftovers went (a dataset's old folder renamed aside, the marker brought into the new
    one; a merged file's unmarked parts), the line said 'nothing was replaced'. The states
    are the ones the store leaves there (checked by interrupting real runs at those steps:
    /tmp/s49_r2/intr/harness.py); a run without --overwrite then tidies them."""
    from emofeat.cli import _resume_hint, main
    from emofeat.store import REPLACED_SUFFIX, SUPERSEDED_FILE

    out = tmp_path / "ds"
    assert main(["extract", *corpus[:2], "-o", str(out), "--set", "mfcc", "-q"]) == 0
    args = _args(tmp_path, out, "--overwrite")
    aside = tmp_path / f"ds{REPLACED_SUFFIX}"
    out.rename(aside)  # the old folder renamed aside, the new one not yet in place
    assert _resume_hint(args) == (f"; the new {out} is complete, not yet in place: a run "
                                  "without --overwrite puts it in place")
    assert main(["extract", *corpus[:2], "-o", str(aside), "--set", "mfcc", "-q"]) == 0
    aside.rename(out)
    (out / SUPERSEDED_FILE).write_text("{}")  # the new folder, with the marker it brought
    done = (f"; the replacement is done: {out} holds the new rows, and a run without "
            "--overwrite removes what is left of the old output")
    assert _resume_hint(args) == done
    f = tmp_path / "f.parquet"
    assert main(["extract", *corpus[:2], "-o", str(f), "--set", "mfcc", "-q"]) == 0
    args = _args(tmp_path, f, "--overwrite")
    parts = tmp_path / "f.parquet.parts"
    parts.mkdir()
    (parts / "part-0.arrow").write_bytes(b"")  # merged: the marker gone, the parts not yet
    assert _resume_hint(args) == done.replace(str(out), str(f))
