"""The Dask backend on a real distributed cluster of two worker processes."""

from __future__ import annotations

import re

import numpy as np
import pandas as pd
import pytest

from emofeat.cli import main
from emofeat.registry import get_extractor
from emofeat.runner import run
from emofeat.store import done_keys_of
from emofeat.table import FeatureTable

distributed = pytest.importorskip("distributed")


@pytest.fixture(scope="module")
def cluster():
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                  dashboard_address=None) as cl:
        yield cl


@pytest.fixture(scope="module")
def manifest(sample):
    return sample.iloc[::12].reset_index(drop=True)  # 20 files with labels


def test_dask_dataset_equals_local_run(tmp_path, cluster, manifest):
    mfcc = get_extractor("mfcc")
    local = run(manifest, [mfcc]).table
    out = tmp_path / "ds"
    with distributed.Client(cluster) as client:
        res = run(manifest, [mfcc], output=out, scheduler=client, chunk_size=3,
                  on_error="record")
        workers = set(client.scheduler_info()["workers"])
    assert res.n_failed == 0 and res.n_rows == 20
    assert len(workers) == 2
    parts = sorted(out.glob("part-*.parquet"))
    assert len(parts) == 7 and (out / "_common_metadata").is_file()
    table = FeatureTable.read_parquet(out)
    np.testing.assert_array_equal(table.X, local.X)
    pd.testing.assert_frame_equal(table.index, local.index)
    assert table.feature_names == local.feature_names


def test_cli_scheduler_address_resume_and_errors(tmp_path, cluster, manifest, capsys):
    files = list(manifest["path"])
    out = tmp_path / "ds"
    missing = str(tmp_path / "missing.flac")
    listed = tmp_path / "listed.csv"
    pd.DataFrame({"path": [missing]}).to_csv(listed, index=False)
    args = ["extract", *files[:8], str(listed), "-o", str(out), "--scheduler",
            cluster.scheduler_address, "--chunk-size", "2", "-q"]
    assert main(args) == 3
    assert "1 failed" in capsys.readouterr().err
    assert list(pd.read_csv(tmp_path / "ds_errors.csv")["path"]) == [missing]
    assert main(["extract", *files, "-o", str(out), "--scheduler", cluster.scheduler_address,
                 "-q"]) == 0
    assert "8 skipped" in capsys.readouterr().err
    assert sorted(k[0] for k in done_keys_of(out)) == sorted(files)
    local = run(files, [get_extractor("mfcc")]).table
    np.testing.assert_array_equal(FeatureTable.read_parquet(out).X, local.X)


def test_relative_output_is_written_where_the_run_is(tmp_path, cluster, manifest,
                                                     monkeypatch):
    """The workers of a cluster started elsewhere (another working folder) write the parts
    of an output given as a relative path into the run's folder, not their own: a relative
    ``-o features/`` failed on every worker (no such folder there), or wrote into the
    worker's own folder of that name."""
    files = list(manifest["path"])[:6]
    monkeypatch.chdir(tmp_path)  # the cluster's workers stay in the folder they started in
    name = f"rel-{tmp_path.name}"
    assert not (tmp_path / name).exists()
    with distributed.Client(cluster) as client:
        workers_cwd = set(client.run(lambda: __import__("os").getcwd()).values())
        assert str(tmp_path) not in workers_cwd
        res = run(files, [get_extractor("mfcc")], output=name, scheduler=client,
                  chunk_size=2)
    assert res.n_rows == 6
    assert len(list((tmp_path / name).glob("part-*.parquet"))) == 3
    local = run(files, [get_extractor("mfcc")]).table
    np.testing.assert_array_equal(FeatureTable.read_parquet(tmp_path / name).X, local.X)


def test_worker_warnings_come_back_to_the_run(tmp_path, cluster, manifest, capsys):
    """A warning shown on a Dask worker (here: a WAV file cut short) is sent back with the
    shard's counts and shown by the run, once, naming the file; the CLI shows it as one line.
    Before, it stayed in the worker's own output (a remote worker's log), so a user never saw
    that a file of the dataset was truncated."""
    import soundfile as sf

    from emofeat.errors import TruncatedAudioWarning

    y, sr = sf.read(manifest["path"][0], dtype="float32")
    whole = tmp_path / "whole.wav"
    sf.write(whole, y, sr, subtype="PCM_16")
    cut = tmp_path / "cut.wav"
    cut.write_bytes(whole.read_bytes()[:whole.stat().st_size // 2])
    files = [*list(manifest["path"])[:3], str(cut)]
    with distributed.Client(cluster) as client:
        with pytest.warns(TruncatedAudioWarning, match=re.escape(str(cut))) as caught:
            res = run(files, [get_extractor("mfcc")], output=tmp_path / "ds",
                      scheduler=client, chunk_size=1)
    assert res.n_rows == 4 and res.n_failed == 0
    assert len([w for w in caught if w.category is TruncatedAudioWarning]) == 1
    assert main(["extract", *files, "-o", str(tmp_path / "cli"), "--scheduler",
                 cluster.scheduler_address, "--chunk-size", "1", "-q"]) == 0
    err = [line for line in capsys.readouterr().err.splitlines() if str(cut) in line]
    assert len(err) == 1 and "truncated" in err[0], err


def test_warnings_of_shards_run_side_by_side_on_one_worker_each_come_back(tmp_path, manifest):
    """A worker of several threads (`dask worker --nthreads 4`) runs shards at once: the
    warnings of each come back, every file's once (a process-wide catch_warnings per shard
    lost or misassigned them when shards overlapped)."""
    import soundfile as sf

    from emofeat.errors import TruncatedAudioWarning

    cuts = []
    for i, path in enumerate(list(manifest["path"])[:8]):
        y, sr = sf.read(path, dtype="float32")
        whole = tmp_path / f"whole{i}.wav"
        sf.write(whole, y, sr, subtype="PCM_16")
        cut = tmp_path / f"cut{i}.wav"
        cut.write_bytes(whole.read_bytes()[:whole.stat().st_size // 2])
        cuts.append(str(cut))
    with distributed.LocalCluster(n_workers=1, threads_per_worker=4, processes=True,
                                  dashboard_address=":0") as cl, distributed.Client(cl) as client:
        with pytest.warns(TruncatedAudioWarning) as caught:
            res = run(cuts, [get_extractor("mfcc")], output=tmp_path / "ds", scheduler=client,
                      chunk_size=1)
    assert res.n_rows == 8 and res.n_failed == 0
    named = sorted(c for c in cuts for w in caught
                   if w.category is TruncatedAudioWarning and f"{c}:" in str(w.message))
    assert named == sorted(cuts)
