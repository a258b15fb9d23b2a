"""``--fail-fast`` at ``-j 2`` stops the workers taking shards once the run stops, as before
a91838d4. That commit left the shards not begun to the pool's end (``ForkPool.close``) to
remove a race with the executor's own thread; until then the workers went on taking queued
shards while the run ended (the store closed, its lock released), so a slow end let every
queued shard run and write its part after the stop. The run's loop now drops them at once,
through the executor's own thread (``shutdown(cancel_futures=True)`` without waiting).

The end is made slow on purpose (the store's close takes 1.5 s in the driver), so that the
shards the run let go on are seen: the first input is not audio, each shard is one input of
12 RAVDESS recordings, and at most the two workers' shards and the executor's queue (one
more each, and one) may still be done."""

from __future__ import annotations

import re
import sys

import pytest
from test_batch_hunt import corpus  # noqa: F401
from test_cli_sigterm57 import _start

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="fork: Linux")

DRIVER = '''
    import time

    import emofeat.store as store
    from emofeat.cli import console_main
    from emofeat.registry import SetInfo, register

    close = store.FeatureStore.close

    def slow_close(self, *args, **kwargs):
        time.sleep(1.5)
        return close(self, *args, **kwargs)

    if __name__ == "__main__":
        register(SetInfo("logged_mfcc", "loggedset:LoggedMFCC", "MFCC, logged (tests)"))
        store.FeatureStore.close = slow_close
        console_main()
'''


def test_fail_fast_drops_the_queued_shards_at_once(tmp_path, corpus):  # noqa: F811
    bad = tmp_path / "bad.wav"
    bad.write_text("not audio")
    proc = _start(tmp_path, [str(bad), *corpus], tmp_path / "out.parquet", "-j", "2",
                  "--fail-fast", driver=DRIVER, chunk="1")
    err = proc.communicate(timeout=120)[1].decode()
    assert proc.returncode == 3, err
    assert "stopped at the first failure (--fail-fast)" in err, err
    held = int(re.search(r"\((\d+) inputs? in the output", err)[1])
    # 12 at a91838d4 (every queued shard ran during the slow end); 4 before it and now
    assert held <= 6, err
