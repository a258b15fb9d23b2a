"""A run of forked workers stopped by an error (``on_error="raise"``) returns once its workers
have ended, as at 6f33286 and a91838d4 (review RA of a91838d4 and its follow-up 392638de).

392638de drops the shards not begun as the run's loop stops, by
``executor.shutdown(wait=False, cancel_futures=True)``; CPython then forgets the executor's
thread, so the pool's end (``ForkPool.close``, ``shutdown(wait=True)``) no longer waited for
the shards the workers had begun: ``run`` raised with both workers alive, which went on
computing and wrote their parts into the output after its lock was released (a program
retrying at once, or another run of the same output, then ran beside them).

Each input takes 1 s in the set, so that the workers are at work when the first input (not
audio) fails; 12 RAVDESS sample recordings after it, shards of one."""

from __future__ import annotations

import multiprocessing as mp
import os
import sys
import time

import pytest
from emofeat.extractors import MFCC
from test_batch_hunt import corpus  # noqa: F401

from emofeat.runner import run

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="fork: Linux")


class SlowMFCC(MFCC):
    """MFCC taking a second an input, logging each input it finishes to ``trace``."""

    set_name = "slow_mfcc"

    def __init__(self, trace: str, **kwargs) -> None:
        super().__init__(**kwargs)
        self.trace = trace

    def features_of(self, audio):
        if not audio.source.startswith("<array"):  # not the pool's warm-up
            time.sleep(1.0)
            with open(self.trace, "a") as fh:
                fh.write(f"{os.getpid()}\n")
        return super().features_of(audio)


def _done(log) -> int:
    return len(log.read_text().splitlines()) if log.exists() else 0


def test_an_error_returns_with_the_workers_ended(tmp_path, corpus):  # noqa: F811
    bad = tmp_path / "bad.wav"
    bad.write_text("not audio")
    log = tmp_path / "log"
    before = {p.pid for p in mp.active_children()}
    with pytest.raises(Exception, match="cannot decode audio"):
        run([str(bad), *corpus], [SlowMFCC(str(log))], n_jobs=2, chunk_size=1,
            on_error="raise", output=str(tmp_path / "out.parquet"))
    alive = [p for p in mp.active_children() if p.pid not in before]
    done = _done(log)
    for p in alive:  # ended here, whatever the assertion says
        p.join(60)
    assert not alive, f"{len(alive)} workers still running after run raised"
    assert _done(log) == done, f"{_done(log) - done} inputs computed after run raised"
