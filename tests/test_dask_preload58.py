"""A Dask run on its own local cluster keeps the user's configured worker preloads, with their
arguments (review RA of cea2bff7). cea2bff7 adds emofeat.dask_backend to the workers'
preloads; given with the user's ``distributed.worker.preload`` alone, a ``preload-argv`` of
a list per preload (the form distributed documents for arguments of each preload: "Run
custom modules with Worker", https://docs.dask.org/en/latest/how-to/customize-initialization.html)
no longer matched: every worker failed to start ("preload and preload_argv have mismatched
lengths 2 != 1"), and the run with it. Each worker must run the user's preload with its
arguments, as at cea2bff7's parent. Four RAVDESS sample recordings, two workers."""

from __future__ import annotations

import textwrap

import pytest

from emofeat.registry import get_extractor
from emofeat.runner import run

distributed = pytest.importorskip("distributed")
dask = pytest.importorskip("dask")

PRELOAD = '''
    import os

    import click

    @click.command()
    @click.option("--tag", default="none")
    def dask_setup(worker, tag):
        with open({log!r}, "a") as fh:
            fh.write(f"{{os.getpid()}} {{tag}}\\n")
'''


@pytest.mark.parametrize("argv", [[["--tag", "mine"]], ["--tag", "mine"]],
                         ids=["a list per preload", "one list for all"])
def test_the_users_preload_runs_with_its_arguments(tmp_path, sample, argv):
    log = tmp_path / "preload.log"
    module = tmp_path / "userpre.py"
    module.write_text(textwrap.dedent(PRELOAD.format(log=str(log))))
    files = list(sample["path"].iloc[:4])
    with dask.config.set({"distributed.worker.preload": [str(module)],
                          "distributed.worker.preload-argv": argv}):
        res = run(files, [get_extractor("mfcc")], n_jobs=2, backend="dask",
                  output=tmp_path / "o.parquet", chunk_size=1)
    assert res.n_failed == 0 and res.n_rows == 4
    lines = log.read_text().split("\n")[:-1]
    assert len(lines) == 2 and {line.split()[1] for line in lines} == {"mine"}, lines
