"""Reruns on an output whose inputs changed since: the rows follow the current list of inputs
as a fresh run writes them (inputs no longer listed kept beside their old neighbours), new
inputs among done ones make parts of the usual size (and a rerun killed on the way still
resumes), a dataset's reordering killed holds twice only the part it wrote last and one
missing a part loses no other rows, a shuffled merge reads each row group a few times and
holds bounded memory, and a dataset folder replaced by ``overwrite`` keeps its group and
mode."""

from __future__ import annotations

import os
import shutil
import stat
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import emofeat.store as store
from emofeat.registry import get_extractor
from emofeat.runner import run
from emofeat.store import FeatureStore, done_keys_of
from emofeat.table import FeatureTable

RAVDESS = Path("/work/shared/data/speech/ravdess/Actor_01")


@pytest.fixture(scope="module")
def recordings() -> list[Path]:
    files = sorted(RAVDESS.glob("*.flac"))[:12]
    if len(files) < 12:
        pytest.skip(f"needs 12 RAVDESS recordings in {RAVDESS}")
    return files


@pytest.fixture
def corpus(tmp_path, recordings) -> list[str]:
    """12 real recordings copied to a folder the test owns, in name order."""
    folder = tmp_path / "corpus"
    folder.mkdir()
    for p in recordings:
        shutil.copy(p, folder / p.name)
    return sorted(str(p) for p in folder.glob("*.flac"))


def _manifest(files: list[str], which: list[int]) -> pd.DataFrame:
    return pd.DataFrame({"path": [files[i] for i in which],
                         "label": [f"input {i}" for i in which]})


def _extract(manifest: pd.DataFrame, out: Path, jobs: int = 1, **kw):
    return run(manifest, [get_extractor("mfcc")], output=out, n_jobs=jobs,
               **{"chunk_size": 3, **kw})


def _rows(table: FeatureTable, paths: list[str]) -> FeatureTable:
    at = {p: i for i, p in enumerate(table.index["path"])}
    return table.select(rows=[at[p] for p in paths])


def _same(a: FeatureTable, b: FeatureTable) -> None:
    assert a.feature_names == b.feature_names
    np.testing.assert_array_equal(a.X, b.X)
    pd.testing.assert_frame_equal(a.index.reset_index(drop=True),
                                  b.index.reset_index(drop=True))


FIRST = [0, 1, 2, 3, 4, 5, 6, 7]
# 2 and 5 dropped, 8 and 9 added, the rest in another order
AGAIN = [9, 7, 0, 8, 3, 1, 6, 4]
# each input no longer listed after its old neighbour (1 before 2, 4 before 5)
EXPECTED = [9, 7, 0, 8, 3, 1, 2, 6, 4, 5]


@pytest.mark.parametrize("jobs", [1, 2])
@pytest.mark.parametrize("name", ["o.parquet", "ds"])
def test_a_rerun_follows_the_current_order_like_a_fresh_run(tmp_path, corpus, name, jobs):
    """A manifest that dropped inputs, added others and listed the rest in another order:
    the rerun extracts only the new ones, and its output is that of a fresh run of the
    manifest row for row (order, labels, numbers), the inputs no longer listed kept (the
    output accumulates) after the input before them in the old output. Before, the rows
    already there kept the first manifest's order, the new ones went among them."""
    out = tmp_path / name
    _extract(_manifest(corpus, FIRST), out, jobs)
    first = FeatureTable.read_parquet(out)
    res = _extract(_manifest(corpus, AGAIN), out, jobs)
    assert res.n_skipped == 6 and res.n_rows == 2
    got = FeatureTable.read_parquet(out)
    assert list(got.index["path"]) == [corpus[i] for i in EXPECTED]
    fresh = _extract(_manifest(corpus, AGAIN), tmp_path / f"fresh-{name}", jobs).read()
    _same(_rows(got, [corpus[i] for i in AGAIN]), fresh)
    gone = [corpus[2], corpus[5]]
    _same(_rows(got, gone), _rows(first, gone))  # as the first run wrote them
    assert [k[0] for k in done_keys_of(out)] == [corpus[i] for i in EXPECTED]
    if name == "ds":  # any reader: the parts' name order
        assert pd.read_parquet(out)["path"].tolist() == [corpus[i] for i in EXPECTED]
    # nothing to do, the order kept; a manifest reordered again reorders the rows again
    again = _extract(_manifest(corpus, AGAIN), out, jobs)
    assert again.n_rows == 0
    _same(FeatureTable.read_parquet(out), got)
    back = [i for i in EXPECTED if i not in (2, 5)][::-1]
    _extract(_manifest(corpus, back), out, jobs)
    got = FeatureTable.read_parquet(out)
    _same(_rows(got, [corpus[i] for i in back]),
          _extract(_manifest(corpus, back), tmp_path / f"back-{name}", jobs).read())
    assert list(got.index["path"]) == [corpus[i] for i in [4, 5, 6, 1, 2, 3, 8, 0, 7, 9]]


@pytest.mark.parametrize("name", ["o.parquet", "ds"])
def test_a_reordered_manifest_of_windows_equals_a_fresh_run(tmp_path, corpus, monkeypatch,
                                                            name):
    """Windows (rows of several per input) of a manifest that lists every input again, in
    another order, with one more: the file equals a fresh run's (rows, values, input keys,
    metadata but the creation time), read in row groups of 7 rows of which one is kept at a
    time, so that the merge reads groups again where the order jumps back; a dataset folder
    reads back as the fresh one."""
    from test_batch_resume import _same_file

    monkeypatch.setattr(store, "MERGED_ROWS", 7)
    monkeypatch.setattr(store, "MERGED_BYTES", 1)
    out = tmp_path / name
    windows = {"segment": "1s", "hop": "0.5s"}
    _extract(_manifest(corpus, FIRST), out, **windows)
    order = [3, 0, 7, 1, 8, 2, 6, 5, 4]
    res = _extract(_manifest(corpus, order), out, **windows)
    assert res.n_skipped == 8
    fresh = tmp_path / f"fresh-{name}"
    _extract(_manifest(corpus, order), fresh, **windows)
    if name == "o.parquet":
        _same_file(out, fresh)
    else:
        _same(FeatureTable.read_parquet(out), FeatureTable.read_parquet(fresh))
        assert pd.read_parquet(out)["path"].tolist() == pd.read_parquet(fresh)["path"].tolist()


def _parts_merged(monkeypatch) -> list[int]:
    """The number of parts each run of a file output finalises (its own and earlier ones)."""
    seen: list[int] = []
    real = FeatureStore.finalize

    def spy(self, *args, **kwargs):
        seen.append(sum(self._written_now(p) for p in self.parts()))
        return real(self, *args, **kwargs)

    monkeypatch.setattr(FeatureStore, "finalize", spy)
    return seen


@pytest.mark.parametrize("jobs", [1, 2])
@pytest.mark.parametrize("name", ["o.parquet", "ds"])
def test_new_inputs_among_done_ones_make_parts_of_the_usual_size(tmp_path, corpus,
                                                                 monkeypatch, name, jobs):
    """Six new inputs, each between two done ones, with three inputs a shard: two parts, as
    a fresh run of six inputs writes (it was six parts of one input, and a dataset folder
    then held twelve parts of one input after their reordering); the output equals a fresh
    run's, and a dataset folder holds no more parts than a fresh run of all the inputs."""
    every = list(range(12))
    out = tmp_path / name
    _extract(_manifest(corpus, every[::2]), out, jobs)
    seen = _parts_merged(monkeypatch)
    res = _extract(_manifest(corpus, every), out, jobs)
    assert res.n_skipped == 6 and res.n_rows == 6
    assert seen == [2]
    fresh = tmp_path / f"fresh-{name}"
    _extract(_manifest(corpus, every), fresh, jobs)
    _same(FeatureTable.read_parquet(out), FeatureTable.read_parquet(fresh))
    if name == "ds":
        assert pd.read_parquet(out)["path"].tolist() == corpus
        assert len(list(out.glob("part-*"))) <= len(list(fresh.glob("part-*")))


@pytest.mark.parametrize("name", ["o.parquet", "ds"])
def test_a_rerun_of_interleaved_inputs_killed_resumes(tmp_path, corpus, monkeypatch, name):
    """The rerun of the test above killed (Ctrl-C) after its first part, whose inputs lie
    between done ones: the next run extracts only the three left, and the output equals a
    fresh run's, each input once."""
    from test_batch_overwrite import _interrupted_after

    every = list(range(12))
    out = tmp_path / name
    _extract(_manifest(corpus, every[::2]), out)
    _interrupted_after(monkeypatch, 1, _manifest(corpus, every), [get_extractor("mfcc")],
                       output=out, chunk_size=3)
    res = _extract(_manifest(corpus, every), out, 2)
    assert res.n_skipped == 9 and res.n_rows == 3
    fresh = _extract(_manifest(corpus, every), tmp_path / f"fresh-{name}").read()
    _same(FeatureTable.read_parquet(out), fresh)
    assert [k[0] for k in done_keys_of(out)] == corpus


def _killed_in_reorder(monkeypatch, after: int, *args, **kwargs) -> list[Path]:
    """``_extract(*args, **kwargs)`` killed (Ctrl-C) as soon as its reordering of a dataset
    folder has written ``after`` parts (0: before the first); the parts written."""
    real = store.write_part
    written: list[Path] = []

    def finish(self, real_finish=FeatureStore._finish_reorder):
        def write(*a, **k):
            if after:
                written.append(real(*a, **k))
            if len(written) == after:
                raise KeyboardInterrupt
            return written[-1]

        with monkeypatch.context() as m:
            m.setattr(store, "write_part", write)
            real_finish(self)

    with monkeypatch.context() as m:
        m.setattr(FeatureStore, "_finish_reorder", finish)
        with pytest.raises(KeyboardInterrupt):
            _extract(*args, **kwargs)
    assert len(written) == after
    return written


def test_a_dataset_killed_while_it_joins_pieces_is_finished_by_the_next_run(
        tmp_path, corpus, monkeypatch):
    """The interleaved rerun of a dataset folder killed once it has written the part joined
    from pieces of the others, before it removed them: a reader meanwhile is warned of the
    inputs held twice, and the next run finishes the reordering without extracting anything:
    each input once, in input order, as a fresh run."""
    every = list(range(12))
    out = tmp_path / "ds"
    _extract(_manifest(corpus, every[::2]), out)
    joined = _killed_in_reorder(monkeypatch, 1, _manifest(corpus, every), out)
    assert (out / store.REORDER_FILE).is_file()
    with pytest.warns(store.IncompleteDatasetWarning, match="12 inputs are held by two"):
        FeatureTable.read_parquet(out)
    res = _extract(_manifest(corpus, every), out)
    assert res.n_skipped == 12 and res.n_rows == 0
    assert not (out / store.REORDER_FILE).exists()
    assert [p.name for p in out.glob("part-*")] == [joined[0].name]
    _same(FeatureTable.read_parquet(out),
          _extract(_manifest(corpus, every), tmp_path / "fresh").read())


# with three inputs a shard, then two: the parts [0 2 4] [5 6 7] [8 10], then [1 3] [9 11];
# the reordering joins 0-4 (from the first and the fourth) and 8-11 (the third and the fifth)
# and keeps [5 6 7] whole
SPREAD = [0, 2, 4, 5, 6, 7, 8, 10]


@pytest.mark.parametrize("after", [1, 2])
def test_a_reordering_killed_holds_twice_only_the_part_it_wrote_last(tmp_path, corpus,
                                                                     monkeypatch, after):
    """A dataset's reordering that builds two parts from pieces of four, killed once it has
    written one or both: a reader sees twice only the inputs of the part written last (the
    parts it was cut from not removed yet), and the next run finishes with a fresh run's
    table. Before, every part cut stayed until all were built: killed after the second, the
    inputs of the first were held twice too."""
    out = tmp_path / "ds"
    _extract(_manifest(corpus, SPREAD), out)
    every = _manifest(corpus, list(range(12)))
    written = _killed_in_reorder(monkeypatch, after, every, out, chunk_size=2)
    paths = pd.read_parquet(out)["path"].tolist()
    twice = sorted(p for p in set(paths) if paths.count(p) > 1)
    assert twice == sorted(pd.read_parquet(written[-1])["path"])
    assert sorted(set(paths)) == corpus
    res = _extract(every, out)
    assert res.n_skipped == 12 and res.n_rows == 0
    assert not (out / store.REORDER_FILE).exists()
    assert pd.read_parquet(out)["path"].tolist() == corpus
    _same(FeatureTable.read_parquet(out), _extract(every, tmp_path / "fresh").read())


def test_a_part_to_cut_that_is_gone_is_warned_of_and_the_others_are_kept(tmp_path, corpus,
                                                                          monkeypatch):
    """The reordering above killed before it built anything, then the part holding inputs
    0, 2 and 4 removed by hand: the next run warns (naming it) that the part to build from
    it cannot be, leaves the part of inputs 1 and 3 it was to be cut from too, extracts only
    the three inputs lost, and ends with a fresh run's table. Before, the part to build was
    skipped silently and the part of 1 and 3 removed all the same: their rows lost (here
    extracted again, as the manifest lists them)."""
    out = tmp_path / "ds"
    _extract(_manifest(corpus, SPREAD), out)
    every = _manifest(corpus, list(range(12)))
    _killed_in_reorder(monkeypatch, 0, every, out, chunk_size=2)
    lost = next(p for p in out.glob("part-*")
                if corpus[0] in pd.read_parquet(p)["path"].tolist())
    lost.unlink()
    with pytest.warns(store.IncompleteDatasetWarning, match=lost.name):
        res = _extract(every, out)
    assert res.n_skipped == 9 and res.n_rows == 3
    assert pd.read_parquet(out)["path"].tolist() == corpus
    _same(FeatureTable.read_parquet(out), _extract(every, tmp_path / "fresh").read())


def _buffers(tables) -> int:
    """The bytes of the memory ``tables`` hold (a slice holds all of its parent's)."""
    seen = {}
    for t in tables:
        for col in t.columns:
            for chunk in col.chunks:
                seen.update((b.address, b.size) for b in chunk.buffers() if b is not None)
    return sum(seen.values())


@pytest.mark.parametrize("chunk", [300, 30])
def test_a_shuffled_rerun_of_a_file_of_many_row_groups_reads_each_a_few_times(
        tmp_path, monkeypatch, chunk):
    """600 real texts in a file of 30 row groups of 20 rows, rerun with the manifest
    shuffled, the file merged in chunks of ``chunk`` rows (``MERGED_BYTES``: as many rows by
    the file's size): the file equals a fresh run's, each row group of the old file is read
    at most once a chunk of the output (2 chunks of 300 rows), and the rows waiting to be
    written hold no more than twice ``MERGED_BYTES`` (30 rows a chunk). Before, a group was
    read again for each of its rows not in the groups kept (up to 11 times with 300), and
    the rows waiting were slices that held every group they came from (the whole file, 17
    times ``MERGED_BYTES``, with 30)."""
    import collections

    import pyarrow.parquet as pq
    from _text_data import carer_texts

    root = Path("/work/shared/data/text")
    if not (root / "carer").is_dir():
        pytest.skip(f"needs the CARER corpus in {root}")
    texts = list(dict.fromkeys(carer_texts(root)))[:600]
    manifest = pd.DataFrame({"text": texts, "label": [f"l{i % 5}" for i in range(600)]})
    shuffled = manifest.sample(frac=1, random_state=0)
    extractors = [get_extractor("text_surface")]
    out = tmp_path / "o.parquet"
    monkeypatch.setattr(store, "MERGED_ROWS", 20)
    run(manifest, extractors, output=out, chunk_size=20)
    fresh = tmp_path / "fresh.parquet"
    run(shuffled, extractors, output=fresh, chunk_size=20)
    meta = pq.read_metadata(out)
    assert meta.num_row_groups == 30
    a_row = sum(meta.row_group(i).total_byte_size for i in range(30)) / meta.num_rows
    monkeypatch.setattr(store, "MERGED_ROWS", chunk)
    monkeypatch.setattr(store, "MERGED_BYTES", int(chunk * a_row))
    reads: collections.Counter = collections.Counter()
    read = pq.ParquetFile.read_row_group

    def counted(self, i, *args, **kwargs):
        if self.metadata.num_row_groups == 30:  # the old file
            reads[i] += 1
        return read(self, i, *args, **kwargs)

    held: list[int] = []
    write_group = store._write_group

    def measured(writer, tables, schema):
        held.append(_buffers(tables))
        return write_group(writer, tables, schema)

    monkeypatch.setattr(pq.ParquetFile, "read_row_group", counted)
    monkeypatch.setattr(store, "_write_group", measured)
    res = run(shuffled, extractors, output=out, chunk_size=20)
    assert res.n_skipped == 600 and res.n_rows == 0
    got = pq.read_table(out)
    assert got.column("text").to_pylist() == shuffled["text"].tolist()
    assert got.equals(pq.read_table(fresh))
    assert done_keys_of(out) == done_keys_of(fresh)
    assert sorted(reads) == list(range(30))
    assert max(reads.values()) <= -(-600 // chunk)
    assert max(held) <= 2 * store.MERGED_BYTES


def _other_group(path: Path) -> int | None:
    """A group of the user's that ``path`` does not have (None: the user has no other)."""
    if not hasattr(os, "getgroups"):
        return None
    gid = path.stat().st_gid
    return next((g for g in os.getgroups() if g != gid), None)


@pytest.mark.parametrize("name", ["ds", "o.parquet"])
def test_an_output_replaced_keeps_its_group_and_mode(tmp_path, corpus, name):
    """An output given a mode other than the default (closed to others, open to its group)
    and, where the user has two groups, another group, then replaced by ``overwrite`` (a new
    folder, a new file) or, a file, rewritten by a rerun: the same group and mode. Before,
    the new folder or file had the default ones (here 0o755 / 0o644 by the umask)."""
    out = tmp_path / name
    _extract(_manifest(corpus, [0, 1]), out)
    mode = 0o2750 if out.is_dir() else 0o640
    group = _other_group(out)
    if group is not None:
        os.chown(out, -1, group)
    os.chmod(out, mode)
    before = out.stat()
    old = os.umask(0o022)
    try:
        _extract(_manifest(corpus, [2, 3]), out, overwrite=True)
        after = out.stat()
        assert (stat.S_IMODE(after.st_mode), after.st_gid) == (mode, before.st_gid)
        assert list(FeatureTable.read_parquet(out).index["path"]) == corpus[2:4]
        if name == "o.parquet":
            _extract(_manifest(corpus, [2, 3, 4]), out)
            after = out.stat()
            assert (stat.S_IMODE(after.st_mode), after.st_gid) == (mode, before.st_gid)
    finally:
        os.umask(old)
    assert not out.with_name(out.name + store.STAGING_SUFFIX).exists()
