"""Batch runs that must lose nothing, found by breaking them as users do: a dataset folder
rerun with inputs added, changed or no longer listed keeps its rows in input order; an output
given by a link or by mistake (a recording); Ctrl-C with worker processes."""

from __future__ import annotations

import os
import random
import shutil
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from emofeat.registry import get_extractor
from emofeat.runner import run
from emofeat.store import _ordered_numbers
from emofeat.table import FeatureTable


@pytest.fixture
def corpus(tmp_path, sample) -> list[str]:
    """12 short real recordings copied to a folder the test may change, in input order."""
    folder = tmp_path / "corpus"
    folder.mkdir()
    for p in sample["path"].iloc[:12]:
        shutil.copy(p, folder / Path(p).name)
    return sorted(str(p) for p in folder.glob("*.flac"))


def _touch(path: str) -> None:
    st = os.stat(path)
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns + 10**9))


def _equals_one_run(out: Path, files: list[str]) -> None:
    """The dataset's rows, read by emofeat and by pandas (name order of the parts), are
    those of one run of ``files``: each input once, in input order, the same numbers."""
    table = FeatureTable.read_parquet(out)
    assert list(table.index["path"]) == files
    assert pd.read_parquet(out)["path"].tolist() == files
    clean = run(files, [get_extractor("mfcc")]).table
    np.testing.assert_array_equal(table.X, clean.X)
    pd.testing.assert_frame_equal(table.index, clean.index)


def test_dataset_changed_inputs_keep_their_position(tmp_path, corpus):
    """An input changed since (its rows dropped from its part, extracted again into a part
    named by its position) came back after the rest of its old part (input 4 of a part of
    3, 4 and 5: 3, 5, 4), or, first of its part, before or after it by the order of two
    random run tags."""
    files = corpus
    out = tmp_path / "ds"
    run(files, [get_extractor("mfcc")], output=out, chunk_size=3)
    for i in (3, 4, 9):
        _touch(files[i])
    res = run(files, [get_extractor("mfcc")], output=out, chunk_size=3)
    assert res.n_rows == 3 and res.n_skipped == 9
    _equals_one_run(out, files)


def test_dataset_added_inputs_go_to_their_position(tmp_path, corpus):
    """Inputs listed for the first time (files added to the folder) between inputs of an
    earlier run's part: that part is split around them. Before, the part of input 4 came
    after the earlier part numbered 3 (by the first run's positions) holding 3, 5 and 6."""
    files = corpus
    out = tmp_path / "ds"
    first = [f for i, f in enumerate(files) if i not in (4, 7)]
    run(first, [get_extractor("mfcc")], output=out, chunk_size=3)
    res = run(files, [get_extractor("mfcc")], output=out, chunk_size=3)
    assert res.n_rows == 2 and res.n_skipped == 10
    _equals_one_run(out, files)
    again = run(files, [get_extractor("mfcc")], output=out, chunk_size=3)
    assert again.n_rows == 0  # nothing moved: the names stay
    _equals_one_run(out, files)


def test_dataset_rows_are_the_single_files_across_manifests(tmp_path, corpus):
    """A folder that lost files and gained others between runs, then a manifest in another
    order: at every step the dataset holds the rows of the single file written by the same
    runs, in its order (inputs no longer listed after the input before them, rows already
    there in their order, new ones at their input positions). Before, the parts came back
    in the order of their numbers, each from the manifest of the run that wrote it, and
    of the random tags of two runs for one number."""
    files = corpus
    steps = (([0, 1, 2, 5, 10, 11], 1), ([2, 5, 7], 4), ([9, 3, 0, 4], 2),
             ([0, 3, 4, 6, 8, 9], 3))
    for listed, chunk in steps:
        for out in (tmp_path / "ds", tmp_path / "f.parquet"):
            run([files[i] for i in listed], [get_extractor("mfcc")], output=out,
                chunk_size=chunk)
        ds = FeatureTable.read_parquet(tmp_path / "ds")
        single = FeatureTable.read_parquet(tmp_path / "f.parquet")
        pd.testing.assert_frame_equal(ds.index, single.index)
        np.testing.assert_array_equal(ds.X, single.X)
        assert pd.read_parquet(tmp_path / "ds")["path"].tolist() == list(ds.index["path"])
        if listed == [2, 5, 7]:  # 0, 1, 10 and 11 not listed: they stay beside 2 and 5
            assert list(ds.index["path"]) == [files[i] for i in (0, 1, 2, 5, 10, 11, 7)]


@pytest.mark.parametrize("kill", ["before", "split", "rename"])
def test_dataset_reorder_interrupted_is_finished_by_the_next_run(tmp_path, corpus,
                                                                 monkeypatch, kill):
    """A run killed while it renames and splits parts (before the first step, after the
    first new part of a split, after the first rename) leaves what is left to do beside
    the parts; the next run does it before it reads them: each input once, in input order.
    Half done, the names were in no order that said where the rows of earlier runs go."""
    import emofeat.store as store

    files = corpus
    out = tmp_path / "ds"
    # parts of 0-2, 3/5/6, 7-9 (numbered 6) and 10-11 (numbered 9): input 4 splits the
    # second, and the last two are renamed 7 and 10
    run([f for i, f in enumerate(files) if i != 4], [get_extractor("mfcc")], output=out,
        chunk_size=3)
    steps: list[str] = []
    finishing = []
    real_finish, real_write, real_replace = (store.FeatureStore._finish_reorder,
                                             store.write_part, os.replace)

    def finish(self):
        finishing.append(True)
        try:
            if kill == "before" and (self.part_dir / store.REORDER_FILE).is_file():
                raise KeyboardInterrupt
            real_finish(self)
        finally:
            finishing.pop()

    def step(what):
        if finishing:
            steps.append(what)
            if steps.count(kill) == 2:
                raise KeyboardInterrupt

    def write(*args, **kwargs):
        step("split")
        return real_write(*args, **kwargs)

    def replace(src, dst):
        if not Path(src).name.startswith(store.TMP_PREFIX):
            step("rename")
        return real_replace(src, dst)

    with monkeypatch.context() as m:
        m.setattr(store.FeatureStore, "_finish_reorder", finish)
        m.setattr(store, "write_part", write)
        m.setattr(store.os, "replace", replace)
        with pytest.raises(KeyboardInterrupt):
            run(files, [get_extractor("mfcc")], output=out, chunk_size=3)
    assert (out / store.REORDER_FILE).is_file()
    if kill == "split":  # a reader meanwhile is told
        with pytest.warns(store.IncompleteDatasetWarning, match="1 input is held by two"):
            assert len(FeatureTable.read_parquet(out)) == 13
    res = run(files, [get_extractor("mfcc")], output=out, chunk_size=3)
    assert res.n_rows == 0 and res.n_skipped == 12
    assert not (out / store.REORDER_FILE).exists()
    _equals_one_run(out, files)


def test_ordered_numbers_sort_in_the_given_order():
    """The names of parts renumbered in input order sort in that order whatever the run
    tags: a part's first listed input where it grows, otherwise after the part before it
    (``~k``) or before every part (``+k``)."""
    rng = random.Random(0)
    for firsts in ([None, None, 0, 1, None, 3, None, None, 2, 7],
                   [4, 2, 9, None], [None], [0, 5, 5, 6]):
        names = [f"part-{n}-{rng.randbytes(4).hex()}.parquet"
                 for n in _ordered_numbers(firsts)]
        assert sorted(names) == names
        assert len(set(n[:-17] for n in names)) == len(names)
    assert _ordered_numbers([3, None, 8]) == ["0000000003", "0000000003~000001",
                                              "0000000008"]


@pytest.mark.parametrize("layout", ["f.parquet", "ds"])
def test_an_output_given_by_a_symbolic_link_is_its_target(tmp_path, corpus, layout):
    """``-o latest.parquet``, a link to the output: the run adds to the target and the link
    stays a link (the file layout replaced the link with a file of its own, the target left
    as it was), and a run given the target's own name meanwhile is refused (each name took
    its own lock)."""
    from emofeat.store import FeatureStore, OutputLockedError

    files = corpus[:4]
    target = tmp_path / layout
    run(files[:2], [get_extractor("mfcc")], output=target)
    link = tmp_path / f"latest{target.suffix}"
    link.symlink_to(target.name)
    res = run(files, [get_extractor("mfcc")], output=link)
    assert res.n_skipped == 2 and res.n_rows == 2
    assert link.is_symlink() and link.resolve() == target
    _equals_one_run(target, files)
    holder = FeatureStore(link, {})  # the lock a run given the link takes
    holder.lock.acquire()
    try:
        with pytest.raises(OutputLockedError):
            run(files, [get_extractor("mfcc")], output=target)
    finally:
        holder.close()


@pytest.mark.parametrize("overwrite", [[], ["--overwrite"]])
def test_a_recording_given_as_the_output_is_left_alone(tmp_path, corpus, capsys, overwrite):
    """``emofeat extract -o corpus/*.flac`` (the output's name forgotten) makes the first
    recording the output. Its refusal advised ``--overwrite``, which replaced the recording
    with the features of the others; a file that is not parquet is now never replaced."""
    from emofeat.cli import main

    first = Path(corpus[0])
    before = first.read_bytes()
    assert main(["extract", "-q", *overwrite, "-o", *corpus[:3]]) == 2
    err = capsys.readouterr().err
    assert f"{first} exists and is not a parquet file" in err and "another output" in err
    assert "pass --overwrite" not in err
    assert first.read_bytes() == before
    assert not first.with_name(first.name + ".lock").exists()


# a set that logs each input it analyses, so that a test sees whether a worker goes on
LOGGED_SET = '''
    import os
    import time
    from emofeat.extractors import MFCC

    class LoggedMFCC(MFCC):
        """MFCC that takes its time and writes a line per input to $LOGGED_SET_LOG."""

        set_name = "logged_mfcc"

        def features_of(self, audio):
            # only the inputs of the run: the warm-ups (a cold cache's compile, the fork
            # pool's before it forks) run this on a made-up '<array 0>', and a test that
            # signals at the first line then signalled during the compile or the fork
            if not audio.source.startswith("<array"):
                time.sleep(0.15)
                with open(os.environ["LOGGED_SET_LOG"], "a") as fh:
                    fh.write("x\\n")
            return super().features_of(audio)
'''

LOGGED_DRIVER = '''
    import os
    import sys
    import time
    from emofeat.cli import main
    from emofeat.registry import SetInfo, register

    if __name__ == "__main__":
        register(SetInfo("logged_mfcc", "loggedset:LoggedMFCC", "MFCC, logged (tests)"))
        if os.environ.get("MERGING"):  # the merge of a file output says so, then takes its time
            import emofeat.store as store

            write_group = store._write_group

            def slow_group(*args, **kwargs):
                open(os.environ["MERGING"], "w").close()
                time.sleep(5)
                return write_group(*args, **kwargs)

            store._write_group = slow_group
        sys.exit(main(sys.argv[1:]))
'''


def _lines(path: Path) -> int:
    return len(path.read_text().splitlines()) if path.exists() else 0


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="fork workers: Linux")
def test_ctrl_c_stops_forked_workers_at_once_and_quietly(tmp_path, corpus):
    """SIGINT to a run with forked workers (`kill -INT`, `timeout -s INT`): the workers end
    at once, the run exits 130 and the next run resumes. Before, the run waited for every
    shard running or queued (up to one more than the workers). Ctrl-C in a terminal (the
    whole process group) while workers wait for work: one line, no traceback (each worker
    printed the traceback of its KeyboardInterrupt)."""
    import signal
    import subprocess
    import textwrap
    import time

    (tmp_path / "loggedset.py").write_text(textwrap.dedent(LOGGED_SET))
    (tmp_path / "driver.py").write_text(textwrap.dedent(LOGGED_DRIVER))
    log = tmp_path / "log"
    # the emofeat this test imports: a PYTHONPATH given to the tests (an old tree's, for
    # a "fails before" check) kept behind the driver's folder, not replaced by it
    path = os.pathsep.join(p for p in (str(tmp_path), os.environ.get("PYTHONPATH")) if p)
    env = dict(os.environ, PYTHONPATH=path, LOGGED_SET_LOG=str(log))
    out = tmp_path / "ds"

    def start(chunk: str, output: Path = out, **more: str) -> subprocess.Popen:
        return subprocess.Popen(
            [sys.executable, str(tmp_path / "driver.py"), "extract", *corpus, "-o",
             str(output), "--set", "logged_mfcc", "--chunk-size", chunk, "-q", "-j", "2"],
            env=dict(env, **more), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
            start_new_session=True)

    # three shards of 4 on two workers: the signal after the first inputs
    proc = start("4")
    while _lines(log) < 2 and proc.poll() is None:
        time.sleep(0.01)
    at_signal = _lines(log)
    proc.send_signal(signal.SIGINT)
    err = proc.communicate(timeout=60)[1].decode()
    assert proc.returncode == 130, err
    assert _lines(log) - at_signal <= 2  # an input each worker had nearly done, at most
    assert "Traceback" not in err

    # Ctrl-C (the whole process group) while a file output is merged: the workers wait
    merging = tmp_path / "merging"
    proc = start("4", tmp_path / "m.parquet", MERGING=str(merging))
    while not merging.exists() and proc.poll() is None:
        time.sleep(0.01)
    time.sleep(0.2)
    os.killpg(proc.pid, signal.SIGINT)
    err = proc.communicate(timeout=60)[1].decode()
    assert proc.returncode == 130, err
    assert "Traceback" not in err and "interrupted" in err

    proc = start("4")
    err = proc.communicate(timeout=120)[1].decode()
    assert proc.returncode == 0, err
    _equals_one_run(out, corpus)  # the set is MFCC's: the same numbers


def test_a_part_written_twice_is_told_to_a_reader(tmp_path, corpus):
    """A cluster worker that finished its task after its run was killed wrote a part the
    resumed run also wrote: a reader before the next run got those rows twice, silently."""
    from emofeat.store import IncompleteDatasetWarning

    out = tmp_path / "ds"
    run(corpus[:6], [get_extractor("mfcc")], output=out, chunk_size=3)
    first = sorted(out.glob("part-*.parquet"))[0]
    shutil.copy(first, out / first.name.replace(first.name[-16:-8], "deadbeef"))
    with pytest.warns(IncompleteDatasetWarning, match="3 inputs are held by two parts"):
        assert len(FeatureTable.read_parquet(out)) == 9
    run(corpus[:6], [get_extractor("mfcc")], output=out, chunk_size=3)
    _equals_one_run(out, corpus[:6])


def test_the_logged_counts_are_worded_for_one(corpus, tmp_path, caplog):
    """The run's and the store's progress lines count in the singular for one: an input
    added to a dataset of parts of 3 said '1 inputs to do in 1 shards (backend serial, 1
    jobs)' and the part it splits was written 'from 1 piece(s) of 1 part(s)'."""
    import logging

    out = tmp_path / "ds"
    run([f for i, f in enumerate(corpus) if i != 4], [get_extractor("mfcc")], output=out,
        chunk_size=3)
    with caplog.at_level(logging.INFO, logger="emofeat"):
        run(corpus, [get_extractor("mfcc")], output=out, chunk_size=3)
    said = [r.getMessage() for r in caplog.records]
    assert f"1 input to do in 1 shard (backend serial, 1 job), writing {out}" in said, said
    assert any(m.endswith("from 1 piece of 1 part (input order)") for m in said), said
    _equals_one_run(out, corpus)
    # one input changed since: its rows dropped ('the rows of 1 inputs'); one input listed
    one = tmp_path / "one.parquet"
    run(corpus[:1], [get_extractor("mfcc")], output=one)
    _touch(corpus[0])
    caplog.clear()
    with caplog.at_level(logging.INFO, logger="emofeat"):
        run(corpus[:1], [get_extractor("mfcc")], output=one)
    said = [r.getMessage() for r in caplog.records]
    assert f"{one}: dropping the rows of 1 input (changed since, or held twice)" in said, said
    caplog.clear()
    with caplog.at_level(logging.INFO, logger="emofeat"):
        run(corpus[:1], [get_extractor("mfcc")], output=one)
    said = [r.getMessage() for r in caplog.records]
    assert f"{one}: 1 of 1 input already done, skipped" in said, said
