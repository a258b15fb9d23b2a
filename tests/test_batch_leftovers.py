"""Batch-run leftovers: every output has an errors table of its own (outputs named alike,
given by links, a stale table of an earlier run), and a rerun with nothing left to do."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pandas as pd
import pytest

from emofeat.cli import main


@pytest.fixture
def corpus(tmp_path, sample) -> list[str]:
    """Four short real recordings copied to a folder the test may change, and a file that
    is not audio (it fails to read) as the last input."""
    folder = tmp_path / "corpus"
    folder.mkdir()
    for p in sample["path"].iloc[:4]:
        shutil.copy(p, folder / Path(p).name)
    broken = folder / "broken.flac"
    broken.write_bytes(b"not a FLAC file")
    return sorted(str(p) for p in folder.glob("*.flac") if p != broken) + [str(broken)]


def _extract(capsys, inputs, output, *options) -> int:
    code = main(["extract", *map(str, inputs), "-o", str(output), "-q", *options])
    capsys.readouterr()
    return code


def _failed(table: Path) -> list[str]:
    return list(pd.read_csv(table)["path"])


def _bad_copy(tmp_path: Path, name: str) -> str:
    """Another file that fails to read, named so that the tables can be told apart."""
    path = tmp_path / name
    path.write_bytes(b"not a FLAC file either")
    return str(path)


@pytest.mark.parametrize(("first", "second"), [
    (("out.parquet",), ("out",)),                           # a file and a folder
    (("out.parquet",), ("out", "--format", "file")),        # two files, one without .parquet
    (("out.parquet", "--format", "dataset"), ("out",)),     # two folders
])
def test_outputs_named_alike_keep_their_own_errors_table(tmp_path, corpus, capsys, first,
                                                         second):
    """``out.parquet`` and ``out`` (either layout) in one folder both wrote
    ``out.errors.csv``: each run overwrote the other's table, and the one without failures
    removed it."""
    other_bad = _bad_copy(tmp_path, "other.flac")
    a, *a_opts = first
    b, *b_opts = second
    assert _extract(capsys, corpus, tmp_path / a, *a_opts) == 3
    assert _extract(capsys, [*corpus[:2], other_bad], tmp_path / b, *b_opts) == 3
    tables = sorted(p.name for p in tmp_path.glob("*errors.csv"))
    assert len(tables) == 2, tables
    table_a, table_b = tmp_path / "out.errors.csv", tmp_path / "out_errors.csv"
    assert _failed(table_a) == [corpus[-1]]
    assert _failed(table_b) == [other_bad]
    # the second output's rerun without failures removes its own table, not the first's
    assert _extract(capsys, corpus[:2], tmp_path / b, *b_opts) == 0
    assert not table_b.exists()
    assert _failed(table_a) == [corpus[-1]]


def test_an_output_given_by_links_has_one_errors_table_beside_its_target(tmp_path, corpus,
                                                                         capsys):
    """Two links to one output (``latest.parquet`` and ``best.parquet``) each had a table
    beside the link: a rerun through the other one without failures left the first
    claiming failures that no longer exist."""
    runs = tmp_path / "runs"
    runs.mkdir()
    target = runs / "r1.parquet"
    (tmp_path / "latest.parquet").symlink_to(target)
    (tmp_path / "best.parquet").symlink_to(target)
    assert _extract(capsys, corpus, tmp_path / "latest.parquet") == 3
    assert sorted(p.name for p in tmp_path.rglob("*errors.csv")) == ["r1.errors.csv"]
    assert _failed(runs / "r1.errors.csv") == [corpus[-1]]
    os.unlink(corpus[-1])  # no longer an input: the next run has no failure
    assert _extract(capsys, corpus[:-1], tmp_path / "best.parquet") == 0
    assert list(tmp_path.rglob("*errors.csv")) == []
    assert (tmp_path / "latest.parquet").is_symlink()


def test_fail_fast_leaves_no_table_of_an_earlier_run(tmp_path, corpus, capsys):
    """``--fail-fast`` writes no errors table; the earlier run's stayed, listing an input
    that this run extracted before it stopped."""
    out = tmp_path / "feats.parquet"
    assert _extract(capsys, corpus, out, "--chunk-size", "1") == 3
    table = tmp_path / "feats.errors.csv"
    assert _failed(table) == [corpus[-1]]
    fixed = corpus[-1]
    shutil.copy(corpus[0], fixed)  # the failed input now reads
    later_bad = _bad_copy(tmp_path, "later.flac")
    assert _extract(capsys, [*corpus, later_bad], out, "--fail-fast") == 3
    assert not table.exists()


def test_a_file_in_the_way_of_the_errors_table_is_left_alone(tmp_path, corpus, capsys):
    """A file named as another output's errors table (``res.errors.csv``: a user's own CSV,
    or, before ``-o x.csv`` was refused, a parquet file of ``--format file``) was replaced by
    that table, or removed as a stale one."""
    other = tmp_path / "res.errors.csv"
    other.write_text("path,emotion\na.wav,happy\n", encoding="utf-8")
    before = other.read_bytes()
    for inputs in (corpus, corpus[:2]):  # with failures (written) and without (removed)
        code = main(["extract", *inputs, "-o", str(tmp_path / "res.parquet"), "-q"])
        err = capsys.readouterr().err
        assert code == 2
        assert f"{other}, where the errors table of {tmp_path / 'res.parquet'} goes" in err
        assert other.read_bytes() == before
    assert not (tmp_path / "res.parquet").exists()  # refused before the run


@pytest.mark.parametrize("beside", [None, "ds.parquet", "ds.pq"])
def test_a_folders_table_of_earlier_versions_is_removed(tmp_path, corpus, capsys, beside):
    """A dataset folder ``ds/`` had its table in ``ds.errors.csv``: a run now removes it
    (it would go on claiming failures), unless a parquet output ``ds.parquet`` or ``ds.pq``
    is beside, whose table it is then."""
    out = tmp_path / "ds"
    assert _extract(capsys, corpus, out) == 3
    legacy = tmp_path / "ds.errors.csv"
    shutil.copy(tmp_path / "ds_errors.csv", legacy)
    if beside:
        assert _extract(capsys, corpus[:1], tmp_path / beside) == 0
        shutil.copy(tmp_path / "ds_errors.csv", legacy)
    assert _extract(capsys, corpus[:-1], out) == 0
    assert not (tmp_path / "ds_errors.csv").exists()
    assert legacy.exists() == bool(beside)


@pytest.mark.parametrize("name", ["f.pq", "F.PARQUET", "f.Pq", "f.pq/"])
def test_every_parquet_name_has_its_table_by_its_stem(tmp_path, corpus, capsys, name):
    """``-o f.parquet`` had ``f.errors.csv`` but ``-o f.pq`` (and ``F.PARQUET``) had
    ``f.pq_errors.csv``, although ``extract`` takes either for one parquet file (a folder
    with ``--format dataset``)."""
    options = ("--format", "dataset") if name.endswith("/") else ()
    out = tmp_path / name.rstrip("/")
    table = tmp_path / f"{out.stem}.errors.csv"
    assert _extract(capsys, corpus, out, *options) == 3
    assert sorted(p.name for p in tmp_path.glob("*errors.csv")) == [table.name]
    assert _failed(table) == [corpus[-1]]
    assert out.is_dir() == bool(options)
    assert _extract(capsys, corpus[:-1], out, *options) == 0
    assert not table.exists()


@pytest.mark.parametrize("fail_fast", [False, True])
@pytest.mark.parametrize("name", ["f.pq", "F.PARQUET"])
def test_a_parquet_names_table_of_earlier_versions_is_removed(tmp_path, corpus, capsys, name,
                                                              fail_fast):
    """The table an earlier version wrote beside ``-o f.pq`` (``f.pq_errors.csv``) is
    removed by a run, which writes ``f.errors.csv`` (it would go on claiming failures); by a
    ``--fail-fast`` run too, which writes none (it removed only the new-named table)."""
    out = tmp_path / name
    assert _extract(capsys, corpus, out) == 3
    old = tmp_path / f"{name}_errors.csv"
    shutil.copy(tmp_path / f"{out.stem}.errors.csv", old)
    assert _extract(capsys, corpus, out, *(["--fail-fast"] * fail_fast)) == 3
    assert not old.exists()
    if fail_fast:  # stopped at the failure: no table claims what this run did not finish
        assert not (tmp_path / f"{out.stem}.errors.csv").exists()
    else:
        assert _failed(tmp_path / f"{out.stem}.errors.csv") == [corpus[-1]]


@pytest.mark.parametrize("name", ["f.parquet", "f.pq", "F.PARQUET", "f.Pq"])
def test_a_parquet_name_of_an_output_cut_short_is_replaced_with_overwrite(tmp_path, corpus,
                                                                           capsys, name):
    """A file named as a parquet output but cut short (its first 3 bytes, 'PAR'): ``-o
    f.parquet --overwrite`` replaced it, but ``f.pq`` and ``F.PARQUET``, one parquet file to
    ``extract`` as ``f.parquet`` is, were "not a parquet file ...: not touching it, even with
    --overwrite", from the command and from Python. (Since session 52 a file that is no
    parquet file at all, whatever its name, is never replaced: test_batch_overwrite_foreign52.)"""
    from emofeat.registry import get_extractor
    from emofeat.runner import run

    out = tmp_path / name
    for overwrite in (False, True):
        out.write_bytes(b"PAR")
        code = main(["extract", *corpus[:2], "-o", str(out), "-q"])
        err = capsys.readouterr().err
        assert code == 2 and "cannot read it as a parquet file" in err
        assert "pass --overwrite to replace it" in err and "not touching it" not in err
        assert out.read_bytes() == b"PAR"
        if overwrite:
            assert _extract(capsys, corpus[:2], out, "--overwrite") == 0
        else:
            with pytest.raises(ValueError, match="pass overwrite=True to replace it"):
                run(corpus[:2], [get_extractor("mfcc")], output=out)
            run(corpus[:2], [get_extractor("mfcc")], output=out, overwrite=True)
        assert sorted(pd.read_parquet(out)["path"]) == corpus[:2]


def test_two_parquet_names_of_one_stem_are_refused(tmp_path, corpus, capsys):
    """``-o f.pq`` beside ``f.parquet``: both tables are ``f.errors.csv``, and a run of
    either would overwrite or remove the other's, so the second output is refused."""
    first, second = tmp_path / "f.parquet", tmp_path / "f.pq"
    assert _extract(capsys, corpus, first) == 3
    table = tmp_path / "f.errors.csv"
    before = table.read_bytes()
    code = main(["extract", *corpus[:2], "-o", str(second), "-q"])
    assert code == 2
    assert (f"{table}, where the errors table of {second} goes, is that of {first} too"
            in capsys.readouterr().err)
    assert table.read_bytes() == before
    assert not second.exists()


def test_both_parquet_names_of_an_earlier_version_are_two_outputs_once_one_is_renamed(
        tmp_path, corpus, capsys):
    """``f.parquet`` and ``f.pq`` both there (an earlier version gave them ``f.errors.csv``
    and ``f.pq_errors.csv``): a run on either is refused; the way out docs/batch.md gives,
    renaming one with its old table, makes them two outputs again."""
    first, second = tmp_path / "f.parquet", tmp_path / "f.pq"
    assert _extract(capsys, corpus, first) == 3
    shutil.copy(first, second)
    shutil.copy(tmp_path / "f.errors.csv", tmp_path / "f.pq_errors.csv")
    for output in (first, second):
        assert _extract(capsys, corpus, output) == 2
    (tmp_path / "f.pq").rename(tmp_path / "f_b.pq")
    (tmp_path / "f.pq_errors.csv").rename(tmp_path / "f_b.errors.csv")
    assert _extract(capsys, corpus, tmp_path / "f_b.pq") == 3
    assert _extract(capsys, corpus, first) == 3
    assert _failed(tmp_path / "f_b.errors.csv") == _failed(tmp_path / "f.errors.csv") == \
        [corpus[-1]]


# ----------------------------------------------------------------- nothing left to do


@pytest.fixture
def forks(monkeypatch) -> list[int]:
    """The worker pools the run forks (the one started with the run, or one forked later),
    each recorded by its number of workers."""
    import emofeat.schedule as schedule

    started: list[int] = []

    class Recorded(schedule.ForkPool):
        def __init__(self, extractors, workers):
            started.append(workers)
            super().__init__(extractors, workers)

    monkeypatch.setattr(schedule, "ForkPool", Recorded)
    return started


def _interrupted(monkeypatch, files, out, **kw) -> None:
    """A run of ``files`` into ``out`` stopped before it finalised: its parts left."""
    from emofeat.registry import get_extractor
    from emofeat.runner import run
    from emofeat.store import FeatureStore

    def stop(*_a, **_k):
        raise RuntimeError("stopped")

    with monkeypatch.context() as m:
        m.setattr(FeatureStore, "finalize", stop)
        with pytest.raises(RuntimeError, match="stopped"):
            run(files, [get_extractor("mfcc")], output=out, chunk_size=1, **kw)


@pytest.mark.parametrize("name", ["out.parquet", "ds"])
def test_a_rerun_with_nothing_left_to_do_forks_no_workers(tmp_path, corpus, forks, name):
    """``-j 2`` on a finished output forked its workers (and loaded the kernels for them)
    before it read the output, only to find nothing to do."""
    from emofeat.registry import get_extractor
    from emofeat.runner import run

    files, out = corpus[:-1], tmp_path / name
    first = run(files, [get_extractor("mfcc")], n_jobs=2, output=out, chunk_size=1)
    assert first.n_rows == len(files) and forks == [2]
    again = run(files, [get_extractor("mfcc")], n_jobs=2, output=out, chunk_size=1)
    assert (again.n_skipped, again.n_rows) == (len(files), 0)
    assert forks == [2]
    # the CLI goes through the same run
    assert main(["extract", *files, "-o", str(out), "-q", "-j", "2"]) == 0
    assert forks == [2]
    # one input changed: work to do, workers forked as before
    shutil.copy(corpus[0], files[1])
    res = run(files, [get_extractor("mfcc")], n_jobs=2, output=out, chunk_size=1)
    assert (res.n_skipped, res.n_rows) == (len(files) - 1, 1)
    assert forks == [2, 2]


@pytest.mark.parametrize("name", ["out.parquet", "ds"])
def test_a_rerun_listing_files_under_other_spellings_forks_no_workers(tmp_path, corpus, forks,
                                                                      monkeypatch, name):
    """Every input done, one listed under another spelling ('./a.flac', or its absolute path,
    after a run of 'a.flac'): the run finds it done (store.file_identities), but the check
    made before forking compared the keys as stored and forked the workers for nothing.
    A file changed since, under another spelling, is still work: workers forked."""
    from emofeat.registry import get_extractor
    from emofeat.runner import run

    monkeypatch.chdir(Path(corpus[0]).parent)
    a, b, c, d = (os.path.basename(f) for f in corpus[:4])
    out = tmp_path / name
    run([a, b, c], [get_extractor("mfcc")], n_jobs=2, output=out, chunk_size=1)
    assert forks == [2]
    for listed in ([os.path.join(".", a), b, os.path.abspath(c)],
                   [b, os.path.join(".", b), a, c]):  # held as listed and again otherwise
        again = run(listed, [get_extractor("mfcc")], n_jobs=2, output=out, chunk_size=1)
        assert (again.n_rows, again.n_skipped + again.n_repeated) == (0, len(listed))
        assert forks == [2]
    assert main(["extract", a, b, c, "-o", str(out), "-q", "-j", "2"]) == 0  # absolute
    assert forks == [2]
    shutil.copy(d, c)  # changed since: extracted again, with workers
    res = run([a, b, os.path.join(".", c)], [get_extractor("mfcc")], n_jobs=2, output=out,
              chunk_size=1)
    assert (res.n_skipped, res.n_rows) == (2, 1) and forks == [2, 2]


def test_inputs_changed_after_the_check_are_extracted_serially(tmp_path, corpus, forks,
                                                               monkeypatch):
    """Should the output lose an input between the check and the run opening it (another
    process, a file changed meanwhile), the run does it serially: forking after the output
    is read is not safe (schedule.ForkPool)."""
    import emofeat.runner as runner
    import emofeat.store as store
    from emofeat.registry import get_extractor
    from emofeat.table import FeatureTable

    files, out = corpus[:-1], tmp_path / "out.parquet"
    monkeypatch.setattr(store, "keys_held", lambda *a: {
        tmp_path / "gone.parquet": ((0, 0, 0), [store.input_key(f) for f in files])})
    res = runner.run(files, [get_extractor("mfcc")], n_jobs=2, output=out, chunk_size=1)
    assert res.n_rows == len(files) and forks == []
    serial = runner.run(files, [get_extractor("mfcc")]).table
    got = FeatureTable.read_parquet(out)
    pd.testing.assert_frame_equal(got.to_pandas(), serial.to_pandas())


def test_keys_held_are_the_outputs_and_unknown_where_opening_may_change_them(
        tmp_path, corpus, monkeypatch):
    from emofeat.registry import get_extractor
    from emofeat.runner import run
    from emofeat.store import done_keys_of, keys_held

    files = corpus[:-1]
    assert keys_held(tmp_path / "none.parquet") == {}
    assert keys_held(tmp_path / "none") == {}
    for name in ("out.parquet", "ds"):
        run(files[:2], [get_extractor("mfcc")], output=tmp_path / name, chunk_size=1)
        held = keys_held(tmp_path / name)
        assert len(held) == (1 if name == "out.parquet" else 2)  # the file, or two parts
        keys = [k for _, got in held.values() for k in got]
        assert sorted(keys) == sorted(done_keys_of(tmp_path / name))
        assert len(keys) == 2
    # an interrupted run's Arrow parts beside the file: not read (opening one starts
    # pyarrow's threads); an interrupted --overwrite of a dataset: its next run may find
    # other keys
    _interrupted(monkeypatch, files, tmp_path / "out.parquet")
    assert list((tmp_path / "out.parquet.parts").glob("part-*.arrow"))
    assert keys_held(tmp_path / "out.parquet") is None
    _interrupted(monkeypatch, files, tmp_path / "ds", overwrite=True)
    assert keys_held(tmp_path / "ds") is None
    (tmp_path / "junk.parquet").write_bytes(b"PAR1 cut short")
    assert keys_held(tmp_path / "junk.parquet") is None


_THREADS = r"""
import os, sys, threading

def threads():  # the process's threads, Python's and pyarrow's (C++) alike
    return len(os.listdir("/proc/self/task"))

import pyarrow.ipc, pyarrow.parquet as pq  # imported before the fork today
from emofeat.store import keys_held
before = threads()
for out in sys.argv[1:]:
    assert keys_held(out), out
assert threads() == before and threading.active_count() == 1, (before, threads())
pq.read_table(sys.argv[1])  # rows read: pyarrow's thread pool, which the probe sees
assert threads() > before, (before, threads())
print("ok")
"""


@pytest.mark.skipif(not os.path.isdir("/proc/self/task"), reason="counts threads in /proc")
def test_keys_held_starts_no_thread(tmp_path, corpus):
    """The check comes before the workers are forked, which is safe only while no other
    thread runs (a lock held by one at the fork stays locked in the workers)."""
    import subprocess
    import sys

    from emofeat.registry import get_extractor
    from emofeat.runner import run

    files = corpus[:-1]
    for name in ("out.parquet", "ds"):
        run(files[:2], [get_extractor("mfcc")], output=tmp_path / name, chunk_size=1)
    proc = subprocess.run([sys.executable, "-c", _THREADS, str(tmp_path / "out.parquet"),
                           str(tmp_path / "ds")], capture_output=True, text=True,
                          cwd=tmp_path)
    assert proc.returncode == 0 and proc.stdout.strip() == "ok", proc.stderr


def test_the_run_reads_again_only_the_files_changed_since_the_check(tmp_path, corpus,
                                                                    monkeypatch):
    """The keys read before the fork serve the run's opening of the output: each part is read
    once, as in a serial run, and a part changed in between is read again."""
    import emofeat.store as store
    from emofeat.registry import get_extractor
    from emofeat.runner import run

    files, out = corpus[:-1], tmp_path / "ds"
    run(files, [get_extractor("mfcc")], output=out, chunk_size=1)
    reads: list[str] = []
    real_read, real_held = store._read_done, store.keys_held
    monkeypatch.setattr(store, "_read_done",
                        lambda path, *a: reads.append(path.name) or real_read(path, *a))
    run(files, [get_extractor("mfcc")], output=out)  # serial: no check before
    serial = sorted(reads)
    assert len(serial) >= len(files)
    reads.clear()
    assert run(files, [get_extractor("mfcc")], n_jobs=2, output=out).n_skipped == len(files)
    assert sorted(reads) == serial
    touched = sorted(out.glob("part-*"))[1]

    def then_touched(*args):
        got = real_held(*args)
        st = touched.stat()
        os.utime(touched, ns=(st.st_atime_ns, st.st_mtime_ns + 1))
        return got

    monkeypatch.setattr(store, "keys_held", then_touched)
    reads.clear()
    assert run(files, [get_extractor("mfcc")], n_jobs=2, output=out).n_skipped == len(files)
    assert sorted(reads) == sorted([*serial, touched.name])
