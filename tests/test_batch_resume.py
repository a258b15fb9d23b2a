"""Batch runs that survive: resume, refusal to mix parameters, error table, SIGKILL."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow.parquet as pq
import pytest
from _slow_set import DRIVER, SLOW_SET

from emofeat.cli import main
from emofeat.registry import get_extractor
from emofeat.runner import run
from emofeat.store import FeatureStore, ParameterMismatchError, _read_rows, done_keys_of
from emofeat.table import FeatureTable


@pytest.fixture
def corpus(tmp_path, sample) -> Path:
    """12 short real recordings copied to a folder the test may change."""
    folder = tmp_path / "corpus"
    folder.mkdir()
    for p in sample["path"].iloc[:12]:
        shutil.copy(p, folder / Path(p).name)
    return folder


def _files(folder: Path) -> list[str]:
    return sorted(str(p) for p in folder.glob("*.flac"))


def _same(a: FeatureTable, b: FeatureTable) -> None:
    assert a.feature_names == b.feature_names
    np.testing.assert_array_equal(a.X, b.X)
    pd.testing.assert_frame_equal(a.index, b.index)


@pytest.mark.parametrize("output", ["f.parquet", "ds"])
def test_resume_skips_done_inputs_and_equals_one_run(tmp_path, corpus, output):
    files = _files(corpus)
    mfcc = get_extractor("mfcc")
    full = run(files, [mfcc]).table
    out = tmp_path / output
    first = run(files[:7], [mfcc], output=out, chunk_size=3)
    assert first.n_rows == 7 and first.table is None
    second = run(files, [mfcc], output=out, chunk_size=3)
    assert second.n_skipped == 7 and second.n_rows == 5
    _same(second.read(), full)
    third = run(files, [mfcc], output=out)
    assert third.n_skipped == 12 and third.n_rows == 0
    _same(FeatureTable.read_parquet(out), full)
    assert sorted(k[0] for k in done_keys_of(out)) == files


def test_changed_file_is_extracted_again_once(tmp_path, corpus):
    files = _files(corpus)
    out = tmp_path / "f.parquet"
    run(files, [get_extractor("mfcc")], output=out, chunk_size=4)
    shutil.copy(files[1], files[5])  # same path, other content and mtime
    st = os.stat(files[5])
    os.utime(files[5], ns=(st.st_atime_ns, st.st_mtime_ns + 10**9))
    again = run(files, [get_extractor("mfcc")], output=out, chunk_size=4)
    assert again.n_skipped == 11 and again.n_rows == 1
    table = FeatureTable.read_parquet(out)
    assert sorted(table.index["path"]) == files
    rows = table.to_pandas().set_index("path")
    np.testing.assert_array_equal(rows.loc[files[5], table.feature_names].to_numpy(float),
                                  rows.loc[files[1], table.feature_names].to_numpy(float))


def _interrupted(monkeypatch, files, out, part_suffix=".arrow"):
    """A file output left as a run killed before its end leaves it: parts, no file
    (``part_suffix``: ``.parquet`` for the parts earlier versions wrote)."""
    with monkeypatch.context() as m:
        m.setattr(FeatureStore, "part_name", lambda self, i: f"part-{i:010d}-{self.run_tag}"
                  f"{part_suffix}")
        m.setattr(FeatureStore, "finalize", lambda self, *a, **k: None)
        run(files, [get_extractor("mfcc")], output=out, chunk_size=2)
    assert not out.exists()
    return sorted((out.parent / (out.name + ".parts")).glob("part-*"))


def test_file_output_resumes_the_parquet_parts_of_earlier_versions(tmp_path, corpus,
                                                                   monkeypatch):
    """Earlier versions wrote a file output's parts as parquet, this one as Arrow IPC: a run
    interrupted by one resumes with the other, each input once, values as one run."""
    files = _files(corpus)
    out = tmp_path / "o.parquet"
    parts = _interrupted(monkeypatch, files[:4], out, ".parquet")
    assert [p.suffix for p in parts] == [".parquet", ".parquet"]
    seen = []
    finalize = FeatureStore.finalize

    def spy(self, *args, **kwargs):
        seen.extend(p.suffix for p in self.parts())
        return finalize(self, *args, **kwargs)

    monkeypatch.setattr(FeatureStore, "finalize", spy)
    res = run(files, [get_extractor("mfcc")], output=out, chunk_size=2)
    assert res.n_skipped == 4 and res.n_rows == 8
    assert sorted(set(seen)) == [".arrow", ".parquet"]  # both kinds merged
    _same(FeatureTable.read_parquet(out), run(files, [get_extractor("mfcc")]).table)
    assert not (tmp_path / "o.parquet.parts").exists()


def test_merge_of_many_parts_in_row_groups_equals_one_run(tmp_path, corpus, monkeypatch):
    """Parts of an interrupted run and of the run that resumes it (one input each), merged
    in row groups of at most ``MERGED_ROWS`` rows (here 5), some read through the reader of
    the key scan and the rest opened again (``KEEP_OPEN_PARTS``): the table of one run, each
    input once, in input order, the parts gone."""
    import emofeat.store as store

    files = _files(corpus)
    out = tmp_path / "o.parquet"
    assert len(_interrupted(monkeypatch, files[:5], out)) == 3  # 2 + 2 + 1 rows
    monkeypatch.setattr(store, "MERGED_ROWS", 5)
    monkeypatch.setattr(store, "KEEP_OPEN_PARTS", 4)  # the other parts opened twice
    res = run(files, [get_extractor("mfcc")], output=out, chunk_size=1)
    assert res.n_skipped == 5 and res.n_rows == 7
    meta = pq.ParquetFile(out).metadata
    assert [meta.row_group(i).num_rows for i in range(meta.num_row_groups)] == [5, 5, 2]
    table = FeatureTable.read_parquet(out)
    assert list(table.index["path"]) == files
    _same(table, run(files, [get_extractor("mfcc")]).table)
    assert not (tmp_path / "o.parquet.parts").exists()


def test_merged_row_groups_count_the_bytes_of_long_labels(tmp_path, corpus, monkeypatch):
    """The merge's row groups stay under ``MERGED_BYTES`` when the manifest's columns grow
    long part after part (the features' bytes a row are taken from the first part, the
    text columns are measured in every part): 200 kB notes on the last six inputs cut the
    groups after every second of them."""
    import emofeat.store as store

    files = _files(corpus)
    manifest = pd.DataFrame({"path": files, "note": ["short"] * 6 + ["x" * 200_000] * 6})
    monkeypatch.setattr(store, "MERGED_BYTES", 300_000)
    out = tmp_path / "o.parquet"
    run(manifest, [get_extractor("mfcc")], output=out, chunk_size=1)
    meta = pq.ParquetFile(out).metadata
    assert [meta.row_group(i).num_rows for i in range(meta.num_row_groups)] == [8, 2, 2]
    table = FeatureTable.read_parquet(out)
    assert table.index["note"].tolist() == manifest["note"].tolist()
    _same(table, run(manifest, [get_extractor("mfcc")]).table)


def test_changed_file_in_an_arrow_part_is_extracted_again_once(tmp_path, corpus, monkeypatch):
    """An input changed since an interrupted run wrote it to an Arrow part: its rows leave
    the part (rewritten in place, keys included) and it is extracted again, once."""
    files = _files(corpus)[:6]
    out = tmp_path / "o.parquet"
    parts = _interrupted(monkeypatch, files, out)
    assert [p.suffix for p in parts] == [".arrow"] * 3
    shutil.copy(files[1], files[3])  # same path, other content and mtime
    st = os.stat(files[3])
    os.utime(files[3], ns=(st.st_atime_ns, st.st_mtime_ns + 10**9))
    again = run(files, [get_extractor("mfcc")], output=out, chunk_size=2)
    assert again.n_skipped == 5 and again.n_rows == 1
    table = FeatureTable.read_parquet(out)
    assert sorted(table.index["path"]) == files
    rows = table.to_pandas().set_index("path")
    np.testing.assert_array_equal(rows.loc[files[3], table.feature_names].to_numpy(float),
                                  rows.loc[files[1], table.feature_names].to_numpy(float))


def test_other_parameters_are_refused_not_mixed(tmp_path, corpus, capsys):
    out = tmp_path / "ds"
    files = _files(corpus)[:3]
    run(files, [get_extractor("mfcc")], output=out)
    with pytest.raises(ParameterMismatchError, match="other extraction parameters"):
        run(files, [get_extractor("mfcc", n_mfcc=20)], output=out)
    code = main(["extract", *files, "-o", str(out), "--param", "n_mfcc=20", "-q"])
    assert code == 2
    assert "refusing to mix" in capsys.readouterr().err
    assert main(["extract", *files, "-o", str(out), "--param", "n_mfcc=20", "-q",
                 "--overwrite"]) == 0
    table = FeatureTable.read_parquet(out)
    assert len(table) == 3 and "mfcc19_mean" in table.feature_names


def test_error_table_summary_exit_code_and_retry(tmp_path, corpus, capsys):
    files = _files(corpus)[:5]
    broken = corpus / "broken.wav"
    broken.write_bytes(b"RIFF not really a wav file")
    missing = str(corpus / "missing.flac")
    listed = tmp_path / "listed.csv"  # listed in a manifest: an input failure, not a typo
    pd.DataFrame({"path": [missing]}).to_csv(listed, index=False)
    out = tmp_path / "feats.parquet"
    code = main(["extract", *files, str(broken), str(listed), "-o", str(out), "-q",
                 "--chunk-size", "2"])
    assert code == 3
    err = capsys.readouterr().err
    assert "7 inputs, 5 done, 2 failed" in err
    errors = pd.read_csv(tmp_path / "feats.errors.csv")
    assert list(errors.columns) == ["path", "stage", "error_type", "message"]
    assert set(errors["path"]) == {str(broken), missing}
    assert set(errors["stage"]) == {"read"}
    assert set(errors["error_type"]) == {"AudioReadError"}
    assert len(FeatureTable.read_parquet(out)) == 5
    # the failed inputs are tried again, the done ones are not
    shutil.copy(files[0], missing)
    code = main(["extract", *files, str(broken), str(listed), "-o", str(out), "-q"])
    assert code == 3
    assert "5 skipped" in capsys.readouterr().err
    assert list(pd.read_csv(tmp_path / "feats.errors.csv")["path"]) == [str(broken)]
    assert len(FeatureTable.read_parquet(out)) == 6


def test_fail_fast_stops_and_keeps_finished_parts(tmp_path, corpus, capsys):
    files = _files(corpus)
    broken = corpus / "broken.flac"
    broken.write_bytes(b"fLaC not really")
    out = tmp_path / "ds"
    code = main(["extract", *files[:4], str(broken), *files[4:], "-o", str(out), "-q",
                 "--fail-fast", "--chunk-size", "2"])
    assert code == 3
    assert "--fail-fast" in capsys.readouterr().err
    assert len(done_keys_of(out)) == 4  # the shards before the failing one
    assert main(["extract", *files, "-o", str(out), "-q"]) == 0
    assert sorted(FeatureTable.read_parquet(out).index["path"]) == files


def _processes_writing(out: Path) -> list:
    import psutil

    found = []
    for p in psutil.process_iter(["cmdline"]):
        try:
            if str(out) in " ".join(p.info["cmdline"] or []):
                found.append(p)
        except psutil.Error:
            pass
    return found


@pytest.mark.parametrize("output, jobs", [("f.parquet", "1"), ("ds", "1"), ("ds", "2")])
def test_sigkill_in_the_middle_then_resume(tmp_path, corpus, output, jobs):
    """A real process killed with SIGKILL mid-run leaves only whole parts (and, with worker
    processes, no worker behind); the resumed run finishes the rest and every input appears
    exactly once, as in an uninterrupted run."""
    (tmp_path / "slowset.py").write_text(textwrap.dedent(SLOW_SET))
    (tmp_path / "driver.py").write_text(textwrap.dedent(DRIVER))
    # the emofeat this test imports: a PYTHONPATH given to the tests (an old tree's, for
    # a "fails before" check) kept behind the driver's folder, not replaced by it
    path = os.pathsep.join(p for p in (str(tmp_path), os.environ.get("PYTHONPATH")) if p)
    env = dict(os.environ, PYTHONPATH=path)
    out = tmp_path / output
    parts = tmp_path / "f.parquet.parts" if output == "f.parquet" else out
    cmd = [sys.executable, str(tmp_path / "driver.py"), "extract", str(corpus), "-o", str(out),
           "--set", "slow_mfcc", "--chunk-size", "2", "-q", "-j", jobs]
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        # a dataset's parts are parquet, a file output's parts Arrow IPC files
        while len(list(parts.glob("part-*"))) < 2 and proc.poll() is None:
            time.sleep(0.02)
        assert proc.poll() is None, proc.communicate()[1].decode()
        time.sleep(0.1)  # most likely in the middle of writing or computing the next shard
        proc.send_signal(signal.SIGKILL)
    finally:
        proc.wait()
    assert proc.returncode == -signal.SIGKILL
    for _ in range(600):  # forked workers end with their parent
        if not _processes_writing(out):
            break
        time.sleep(0.05)
    assert not _processes_writing(out), "a worker outlived the killed run"
    if output == "f.parquet":
        assert not out.exists()  # the single file only appears, whole, at the end
    done = done_keys_of(parts)
    assert 2 <= len(done) < 12
    for part in parts.glob("part-*"):
        # every part that has a name is complete
        pq.read_table(part) if part.suffix == ".parquet" else _read_rows(part)

    res = subprocess.run(cmd, env=env, capture_output=True, text=True)
    assert res.returncode == 0, res.stderr
    assert f"{len(done)} skipped" in res.stderr
    table = FeatureTable.read_parquet(out)
    files = _files(corpus)
    assert list(table.index["path"]) == files  # each exactly once, in input order
    ref = run(files, [get_extractor("mfcc")]).table
    np.testing.assert_array_equal(table.X, ref.X)
    assert not list(tmp_path.rglob(".tmp-*"))


def test_part_written_twice_is_kept_once(tmp_path, corpus):
    """A worker that outlives a killed run can write a shard that the resumed run also did:
    the next open (or the end of a run) keeps each input once."""
    files = _files(corpus)
    out = tmp_path / "ds"
    run(files[:6], [get_extractor("mfcc")], output=out, chunk_size=3)
    first = sorted(out.glob("part-*.parquet"))[0]
    shutil.copy(first, out / first.name.replace(first.name[-16:-8], "deadbeef"))
    res = run(files, [get_extractor("mfcc")], output=out, chunk_size=3)
    assert res.n_skipped == 6
    table = FeatureTable.read_parquet(out)
    assert list(table.index["path"]) == files


def test_a_folder_with_other_files_is_not_an_output(tmp_path, corpus):
    out = tmp_path / "mine"
    out.mkdir()
    (out / "notes.txt").write_text("keep me")
    with pytest.raises(ValueError, match="did not write"):
        run(_files(corpus)[:2], [get_extractor("mfcc")], output=out, overwrite=True)
    assert (out / "notes.txt").read_text() == "keep me"


def test_an_input_listed_twice_is_stored_once(tmp_path, corpus):
    files = _files(corpus)[:3]
    res = run([*files, files[0]], [get_extractor("mfcc")], output=tmp_path / "o.parquet")
    assert res.n_rows == 3
    assert list(FeatureTable.read_parquet(tmp_path / "o.parquet").index["path"]) == files


@pytest.mark.parametrize("layout", ["file", "dataset"])
def test_labels_follow_the_current_manifest(tmp_path, corpus, layout):
    """Features are kept across runs; labels are joined from the manifest of the latest run:
    an edited label, a new label column, a first run without labels (issue: stale labels)."""
    files = _files(corpus)[:4]
    out = tmp_path / ("o.parquet" if layout == "file" else "o")
    ext = get_extractor("mfcc")
    run(pd.DataFrame({"path": files}), [ext], output=out)  # no labels at all
    first = FeatureTable.read_parquet(out)
    manifest = pd.DataFrame({"path": files, "emotion": ["a", "b", "c", "d"]})
    res = run(manifest, [ext], output=out)
    assert res.n_skipped == 4  # nothing recomputed
    table = FeatureTable.read_parquet(out)
    assert table.index["emotion"].tolist() == ["a", "b", "c", "d"]
    manifest.loc[2, "emotion"] = "edited"
    manifest["speaker"] = ["s1", "s1", "s2", "s2"]
    run(manifest, [ext], output=out)
    table = FeatureTable.read_parquet(out)
    assert table.index["emotion"].tolist() == ["a", "b", "edited", "d"]
    assert table.index["speaker"].tolist() == ["s1", "s1", "s2", "s2"]
    np.testing.assert_array_equal(table.X, first.X)  # the features were never recomputed
    assert not (tmp_path / "o.parquet.parts").exists()


def test_conflicting_duplicate_rows_are_refused(tmp_path, corpus):
    files = _files(corpus)[:2]
    manifest = pd.DataFrame({"path": [files[0], files[1], files[0]],
                             "emotion": ["happy", "sad", "angry"]})
    with pytest.raises(ValueError, match=r"2 times with different labels \(rows 2, 4"):
        run(manifest, [get_extractor("mfcc")])
    same = pd.DataFrame({"path": [files[0], files[0]], "emotion": ["happy", "happy"]})
    assert len(run(same, [get_extractor("mfcc")]).table) == 1  # extracted once, one row


def test_an_input_listed_twice_is_one_row_with_or_without_an_output(tmp_path, corpus,
                                                                    capsys, caplog):
    """A manifest listing a recording twice (the same labels): ``emofeat extract`` wrote one
    row ("1 skipped (already done)", into a fresh output) and ``run``/``emofeat.extract``
    in memory two. Now one row everywhere, where it is first listed, said once a run."""
    import emofeat

    files = _files(corpus)[:2]
    manifest = pd.DataFrame({"path": [files[0], files[1], files[0]],
                             "emotion": ["happy", "sad", "happy"]})
    listed = tmp_path / "labels.csv"
    manifest.to_csv(listed, index=False)
    want = run(files, [get_extractor("mfcc")]).table  # each once, in first-listing order

    memory = run(manifest, [get_extractor("mfcc")])
    stored = run(manifest, [get_extractor("mfcc")], output=tmp_path / "api.parquet")
    for result in (memory, stored):
        assert (result.n_inputs, result.n_repeated, result.n_skipped) == (3, 1, 0)
        assert "1 repeated (extracted once)" in result.summary()
        assert "skipped" not in result.summary()
    repeats = [r for r in caplog.records if "listed more than once" in r.getMessage()]
    assert len(repeats) == 2 and files[0] in repeats[0].getMessage()  # once per run
    tables = {"memory": memory.table, "api": FeatureTable.read_parquet(tmp_path / "api.parquet"),
              "extract": emofeat.extract(manifest, "mfcc")}
    assert main(["extract", str(listed), "-o", str(tmp_path / "cli.parquet"), "-q"]) == 0
    assert "3 inputs, 2 done, 1 repeated (extracted once), 0 failed" in capsys.readouterr().err
    tables["cli"] = FeatureTable.read_parquet(tmp_path / "cli.parquet")
    for name, table in tables.items():
        assert table.index["path"].tolist() == files, name
        assert table.index["emotion"].tolist() == ["happy", "sad"], name
        np.testing.assert_array_equal(table.X, want.X)
    # a rerun: both inputs already done, the repeat still a repeat
    again = run(manifest, [get_extractor("mfcc")], output=tmp_path / "api.parquet")
    assert (again.n_skipped, again.n_repeated, again.n_rows) == (2, 1, 0)


def test_one_file_under_several_spellings_is_one_input(tmp_path, corpus, monkeypatch, caplog):
    """'a.flac', './a.flac' and its absolute path are one file: ``run`` gave a row per
    spelling (repeats were found on the path as typed) where ``emofeat extract``, which makes
    paths absolute, gave one. The row and the stored key keep the first listing's text;
    segments of one file with other bounds stay apart; labels that differ are refused."""
    import logging

    monkeypatch.chdir(corpus)
    a, b = (os.path.basename(f) for f in _files(corpus)[:2])
    listed = [a, os.path.join(".", a), os.path.abspath(a), b, os.path.join("..", "corpus", b)]
    want = run([a, b], [get_extractor("mfcc")]).table
    with caplog.at_level(logging.WARNING, logger="emofeat.runner"):
        memory = run(listed, [get_extractor("mfcc")])
        stored = run(listed, [get_extractor("mfcc")], output=tmp_path / "o.parquet")
    for table, result in ((memory.table, memory),
                          (FeatureTable.read_parquet(tmp_path / "o.parquet"), stored)):
        assert table.index["path"].tolist() == [a, b]  # the first listing's text
        np.testing.assert_array_equal(table.X, want.X)
        assert (result.n_inputs, result.n_repeated) == (5, 3)
    # two files listed more than once (3 repeat listings): "2 inputs are", not "3 inputs"
    said = [r.getMessage() for r in caplog.records if "more than once" in r.getMessage()]
    assert said and all(m.startswith("2 inputs are listed more than once") for m in said)
    caplog.clear()
    with caplog.at_level(logging.WARNING, logger="emofeat.runner"):
        run([a, "./" + a], [get_extractor("mfcc")])
    assert any(r.getMessage().startswith("1 input is listed more than once")
               for r in caplog.records)
    # the spelling the row keeps, then the repeat's (it named the repeat's alone)
    assert any(f"(such as {a}, listed again as ./{a})" in r.getMessage()
               for r in caplog.records)
    # a rerun listing another spelling first: done, not stored again under the new text
    again = run([os.path.abspath(a), b, a], [get_extractor("mfcc")], output=tmp_path / "o.parquet")
    assert (again.n_skipped, again.n_repeated, again.n_rows) == (2, 1, 0)
    assert FeatureTable.read_parquet(tmp_path / "o.parquet").index["path"].tolist() == [a, b]
    # segments: one file under two spellings, the same bounds one input, others apart
    segments = pd.DataFrame({"path": [a, "./" + a, a], "start": [0.0, 0.0, 0.5],
                             "end": [0.5, 0.5, 1.0]})
    cut = run(segments, [get_extractor("mfcc")])
    assert cut.n_repeated == 1
    assert cut.table.index[["path", "start", "end"]].values.tolist() == [[a, 0.0, 0.5],
                                                                         [a, 0.5, 1.0]]
    labelled = pd.DataFrame({"path": [a, "./" + a], "emotion": ["happy", "sad"]})
    with pytest.raises(ValueError, match=r"2 times with different labels, as '[^.].*' "
                       r"\(row 2\) and '\./.*' \(row 3\), counting the header as row 1: one "
                       r"path spelled two ways"):
        run(labelled, [get_extractor("mfcc")])


@pytest.mark.parametrize("interrupted", [False, True])
@pytest.mark.parametrize("output", ["o.parquet", "ds"])
def test_a_rerun_finds_a_file_done_under_another_spelling(tmp_path, corpus, monkeypatch,
                                                          output, interrupted):
    """An output's keys were compared as stored: a rerun listing a file only under another
    spelling ('./a.flac' or its absolute path after a run of 'a.flac') extracted it again
    and stored a second row of it. Now found done, finished or interrupted: no set called,
    one row, the stored spelling kept, placed and labelled by the current manifest; the
    command (absolute paths) finds the API's relative keys done too. A file changed since,
    listed under another spelling, is extracted again and held once."""
    import emofeat.extractors.mfcc as mfcc_module

    monkeypatch.chdir(corpus)
    a, b, c, d = (os.path.basename(f) for f in _files(corpus)[:4])
    out = tmp_path / output
    first = pd.DataFrame({"path": [a, b], "emotion": ["happy", "sad"]})
    with monkeypatch.context() as m:
        if interrupted:  # parts written, the output never finalised
            m.setattr(FeatureStore, "finalize", lambda self, *args, **kwargs: None)
        run(first, [get_extractor("mfcc")], output=out, chunk_size=1)
    calls = []
    compute = mfcc_module.MFCC._compute

    def counted(self, *args, **kwargs):
        calls.append(1)
        return compute(self, *args, **kwargs)

    monkeypatch.setattr(mfcc_module.MFCC, "_compute", counted)
    again = pd.DataFrame({"path": [c, "./" + b, os.path.abspath(a)],
                          "emotion": ["angry", "bored", "happy"]})
    res = run(again, [get_extractor("mfcc")], output=out)
    assert (res.n_skipped, res.n_repeated, res.n_rows, len(calls)) == (2, 0, 1, 1)
    table = FeatureTable.read_parquet(out)
    assert table.index["path"].tolist() == [c, b, a]  # as held, in the manifest's order
    assert table.index["emotion"].tolist() == ["angry", "bored", "happy"]
    np.testing.assert_array_equal(table.X, run([c, b, a], [get_extractor("mfcc")]).table.X)
    calls.clear()
    listed = corpus / "labels.csv"  # its relative paths are of its folder's files
    pd.DataFrame({"path": [os.path.join(".", c), b, a],
                  "emotion": ["angry", "bored", "happy"]}).to_csv(listed, index=False)
    assert main(["extract", c, os.path.join(".", b), "-o", str(out), "-q"]) == 0
    assert main(["extract", str(listed), "-o", str(out), "-q"]) == 0
    assert not calls and len(FeatureTable.read_parquet(out)) == 3
    # changed since, listed under another spelling: its old row goes, one new row
    shutil.copy(_files(corpus)[3], c)
    st = os.stat(c)
    os.utime(c, ns=(st.st_atime_ns, st.st_mtime_ns + 10**9))
    res = run(["./" + c, a, b], [get_extractor("mfcc")], output=out)
    assert (res.n_skipped, res.n_rows, len(calls)) == (2, 1, 1)
    table = FeatureTable.read_parquet(out)
    assert table.index["path"].tolist() == ["./" + c, a, b]
    np.testing.assert_array_equal(table.X[0], run([d], [get_extractor("mfcc")]).table.X[0])


def test_a_second_run_into_the_same_output_exits_2_naming_the_first(tmp_path, corpus):
    """Two real processes: while one holds the output, the other says who does and exits 2;
    once the first is gone (even killed), its lock is gone with it."""
    files = _files(corpus)[:3]
    out = tmp_path / "o.parquet"
    holder = subprocess.Popen(
        [sys.executable, "-c", textwrap.dedent(f"""
            import sys, time
            from emofeat.store import FeatureStore
            store = FeatureStore({str(out)!r}, {{"sets": []}})
            store.lock.acquire()
            print("locked", flush=True)
            time.sleep(60)
        """)], stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "locked"
        second = subprocess.run(
            [sys.executable, "-m", "emofeat", "extract", "--set", "mfcc", *files, "-o", str(out),
             "-q"], capture_output=True, text=True, timeout=300)
        assert second.returncode == 2, second.stderr
        assert f"another emofeat run is writing to {out} (pid {holder.pid} on" in second.stderr
        assert not out.exists()
    finally:
        holder.kill()
        holder.wait()
    res = run(files, [get_extractor("mfcc")], output=out)  # the killed holder left no lock
    assert res.n_rows == 3
    again = run(files, [get_extractor("mfcc")], output=out)  # and this process released its own
    assert again.n_skipped == 3


# ------------------------------------------- rows extracted again keep their input position
def _same_file(got: Path, clean: Path) -> None:
    """Two single-file outputs equal as files: columns, rows in order, values, input keys
    and metadata (but the creation time)."""
    import json

    a, b = pq.read_table(got), pq.read_table(clean)
    assert a.column("path").to_pylist() == b.column("path").to_pylist()
    assert a.schema.remove_metadata().equals(b.schema.remove_metadata())
    assert a.equals(b)

    def meta(table):
        out = dict(table.schema.metadata)
        info = json.loads(out.pop(b"emofeat"))
        del info["provenance"]["created"]
        return info, json.loads(out.pop(b"emofeat_done")), out

    assert meta(a) == meta(b)


def _manifest(tmp_path: Path, files: list[str], kind: str) -> tuple[Path, list[str]]:
    """A manifest of ``files`` with a label (``segments``: two segments of each file), and
    the options of the run (``windows``: windows of 1 s every 0.5 s)."""
    frame = pd.DataFrame({"path": files, "emotion": [f"e{i % 3}" for i in range(len(files))]})
    if kind == "segments":
        frame = pd.concat([frame.assign(start=0.0, end=1.0), frame.assign(start=1.0, end=2.5)])
        frame = frame.sort_index(kind="stable")[["path", "start", "end", "emotion"]]
    csv = tmp_path / f"manifest-{kind}.csv"
    frame.to_csv(csv, index=False)
    return csv, (["--segment", "1s", "--hop", "0.5s"] if kind == "windows" else [])


def _extract(csv: Path, out: Path, options: list[str], *more: str) -> int:
    return main(["extract", str(csv), "-o", str(out), "-q", "--chunk-size", "3", *options,
                 *more])


@pytest.mark.parametrize("kind", ["whole", "windows", "segments"])
def test_failed_inputs_fixed_and_rerun_equal_a_clean_run(tmp_path, corpus, kind):
    """Inputs that failed, fixed and extracted by the rerun, take their input position in the
    single file (not its end): the file equals that of a clean run, bit for bit but the
    creation time, whole inputs, windows or manifest segments alike."""
    files = _files(corpus)
    csv, options = _manifest(tmp_path, files, kind)
    saved = tmp_path / "saved"
    saved.mkdir()
    for i in (0, 4, 9):  # the first one, inside a part, the last part's first one
        shutil.copy2(files[i], saved / Path(files[i]).name)
        Path(files[i]).write_bytes(b"fLaC not really")
    out = tmp_path / "o.parquet"
    assert _extract(csv, out, options) == 3
    for p in saved.iterdir():
        shutil.copy2(p, corpus / p.name)
    assert _extract(csv, out, options) == 0
    clean = tmp_path / "clean.parquet"
    assert _extract(csv, clean, options) == 0
    _same_file(out, clean)
    assert not (tmp_path / "o.parquet.parts").exists()


@pytest.mark.parametrize("kind", ["whole", "windows"])
def test_a_changed_input_extracted_again_keeps_its_position(tmp_path, corpus, kind):
    """An input touched since the file was written: its rows are dropped and extracted again
    into its input position; the file equals a clean run's."""
    files = _files(corpus)
    csv, options = _manifest(tmp_path, files, kind)
    out = tmp_path / "o.parquet"
    assert _extract(csv, out, options) == 0
    for i in (2, 3, 7):
        st = os.stat(files[i])
        os.utime(files[i], ns=(st.st_atime_ns, st.st_mtime_ns + 10**9))
    assert _extract(csv, out, options) == 0
    clean = tmp_path / "clean.parquet"
    assert _extract(csv, clean, options) == 0
    _same_file(out, clean)


def test_inputs_no_longer_listed_stay_beside_their_neighbours(tmp_path, corpus):
    """Inputs dropped from the manifest stay in the output (it accumulates, as it always
    did) where they were: after the input before them in the file, the first one at its
    start. Inputs that failed before, fixed meanwhile, go to their input positions: the rows
    are those of a clean run of the first manifest, in its order."""
    files = _files(corpus)
    out = tmp_path / "o.parquet"
    saved = tmp_path / "saved"
    saved.mkdir()
    for i in (1, 6):
        shutil.copy2(files[i], saved / Path(files[i]).name)
        Path(files[i]).write_bytes(b"fLaC not really")
    res = run(files, [get_extractor("mfcc")], output=out, chunk_size=3, on_error="record")
    assert res.n_failed == 2
    for p in saved.iterdir():
        shutil.copy2(p, corpus / p.name)
    kept = [f for i, f in enumerate(files) if i not in (0, 4, 5)]  # 0, 4 and 5 dropped
    res = run(kept, [get_extractor("mfcc")], output=out, chunk_size=3)
    assert res.n_skipped == 7 and res.n_rows == 2
    table = FeatureTable.read_parquet(out)
    assert list(table.index["path"]) == files
    _same(table, run(files, [get_extractor("mfcc")]).table)
    assert [k[0] for k in done_keys_of(out)] == files


def test_merge_order_rules():
    """The merge by input position: None when the sources in turn are in order (the
    streaming copy); an input no longer listed (None) after the input before it in its
    source, at the start in the first source, before its source's first listed input in
    the others; a source of such inputs after the sources before it."""
    from emofeat.store import _merge_order

    assert _merge_order([[0, 1, None, 2], [3, 4], [None], [5]]) is None
    assert _merge_order([[None, 1, None, 4], [0], [2, 3]]) == [
        (0, 0), (1, 0), (0, 1), (0, 2), (2, 0), (2, 1), (0, 3)]
    assert _merge_order([[0, 3], [None, 2], [1]]) == [
        (0, 0), (2, 0), (1, 0), (1, 1), (0, 1)]
    assert _merge_order([[0, 3], [None], [1]]) == [(0, 0), (2, 0), (0, 1), (1, 0)]


# --------------------------------- a rerun with fewer columns keeps the labels already there
@pytest.mark.parametrize("layout", ["file", "dataset"])
def test_a_rerun_without_labels_keeps_the_labels_of_the_rows_already_there(tmp_path, corpus,
                                                                          layout):
    """Labels of a manifest, then a folder of new files (no labels at all): the rows already
    there keep their labels (the output accumulates), the new rows have them missing, with
    the type the column had; pandas, pyarrow and FeatureTable see the columns in both
    layouts (every part and ``_common_metadata`` have them). A later, smaller manifest
    relabels the columns it has and leaves the others. Before, the merge took the schema
    of the last run only: every label was gone, exit 0."""
    files = _files(corpus)
    csv = tmp_path / "lab.csv"
    pd.DataFrame({"path": files[:3], "emotion": ["a", "b", "c"], "speaker": ["01", "01", "02"],
                  "score": [0.5, 1.5, 2.5]}).to_csv(csv, index=False)
    new = tmp_path / "new"
    new.mkdir()
    shutil.copy(files[3], new / Path(files[3]).name)
    out = tmp_path / ("l.parquet" if layout == "file" else "l")
    assert main(["extract", str(csv), "-o", str(out), "-q", "--chunk-size", "2"]) == 0
    first = FeatureTable.read_parquet(out)
    assert main(["extract", str(new), "-o", str(out), "-q"]) == 0
    table = FeatureTable.read_parquet(out)
    index = table.index.set_index("path")
    added = str(new / Path(files[3]).name)
    assert {"emotion", "speaker", "score"} <= set(table.index.columns)
    assert index.loc[files[:3], "emotion"].tolist() == ["a", "b", "c"]
    assert index.loc[files[:3], "speaker"].tolist() == ["01", "01", "02"]
    assert index.loc[files[:3], "score"].tolist() == [0.5, 1.5, 2.5]
    assert index.loc[[added], ["emotion", "speaker", "score"]].isna().all(axis=None)
    assert table.index["score"].dtype == np.float64  # the column's type, not strings
    np.testing.assert_array_equal(table.to_pandas().set_index("path").loc[
        files[:3], table.feature_names].to_numpy(), first.X)  # features kept as they were
    assert {"emotion", "speaker", "score"} <= set(pd.read_parquet(out).columns)
    if layout == "dataset":
        for f in [out / "_common_metadata", *out.glob("part-*.parquet")]:
            assert {"emotion", "speaker", "score"} <= set(pq.read_schema(f).names), f
    # a smaller manifest decides the labels of the rows it lists (a column it lacks is
    # missing there); the rows of inputs it does not list keep theirs
    pd.DataFrame({"path": [files[1]], "emotion": ["edited"]}).to_csv(csv, index=False)
    assert main(["extract", str(csv), "-o", str(out), "-q"]) == 0
    index = FeatureTable.read_parquet(out).index.set_index("path")
    assert index.loc[files[:3], "emotion"].tolist() == ["a", "edited", "c"]
    assert index.loc[[files[0], files[2]], "speaker"].tolist() == ["01", "02"]
    assert index.loc[[files[1], added], "speaker"].isna().all()
    assert len(index) == 4


@pytest.mark.parametrize("layout", ["file", "dataset"])
def test_a_column_renamed_in_a_manifest_listing_every_input_is_gone(tmp_path, corpus,
                                                                     layout):
    """Labels follow the latest manifest: a column it renamed ('emotion' -> 'label') is not
    kept when it lists every input already there (only the rows of inputs it does not list
    keep columns it lacks), so a rename needs no --overwrite."""
    files = _files(corpus)
    csv = tmp_path / "lab.csv"
    pd.DataFrame({"path": files[:2], "emotion": ["a", "b"], "speaker": ["01", "02"]}).to_csv(
        csv, index=False)
    out = tmp_path / ("l.parquet" if layout == "file" else "l")
    assert main(["extract", str(csv), "-o", str(out), "-q"]) == 0
    pd.DataFrame({"path": files[:3], "label": ["a", "b", "c"],
                  "speaker": ["01", "02", "03"]}).to_csv(csv, index=False)
    assert main(["extract", str(csv), "-o", str(out), "-q"]) == 0
    table = FeatureTable.read_parquet(out)
    assert "emotion" not in table.index.columns
    assert table.index["label"].tolist() == ["a", "b", "c"]
    assert "emotion" not in pd.read_parquet(out).columns


def test_dataset_rows_stay_in_input_order_after_failed_inputs_are_retried(tmp_path, corpus):
    """A part is named by the first input it holds, not by its shard's first input: when
    that one failed, the part of the run that extracts it again would take the same number
    and the random run tags would decide the order of the rows."""
    files = _files(corpus)[:6]
    csv = tmp_path / "m.csv"
    pd.DataFrame({"path": files, "emotion": [f"e{i}" for i in range(6)]}).to_csv(
        csv, index=False)
    hold = tmp_path / "hold"
    hold.mkdir()
    for i in (2, 4):
        shutil.move(files[i], hold / Path(files[i]).name)
    out = tmp_path / "ds"
    assert main(["extract", str(csv), "-o", str(out), "-q", "--chunk-size", "2"]) == 3
    # shards [0, 1], [2, 3], [4, 5]: the parts of the last two hold inputs 3 and 5 only
    assert sorted(p.name[:15] for p in out.glob("part-*")) == [
        "part-0000000000", "part-0000000003", "part-0000000005"]
    for i in (2, 4):
        shutil.move(hold / Path(files[i]).name, files[i])
    assert main(["extract", str(csv), "-o", str(out), "-q", "--chunk-size", "2"]) == 0
    assert FeatureTable.read_parquet(out).index["emotion"].tolist() == [
        f"e{i}" for i in range(6)]
    assert pd.read_parquet(out)["emotion"].tolist() == [f"e{i}" for i in range(6)]


def test_transform_keeps_a_row_per_item_where_extract_keeps_one_per_file(corpus):
    """The documented difference (docs/inputs.md, MFCC.transform's docstring): scikit-learn
    needs transform's rows to line up with ``y``, so an item listed twice is two rows there,
    while ``.extract`` and ``emofeat.extract`` extract a file listed twice once."""
    from emofeat.extractors import MFCC

    import emofeat

    a, b = _files(corpus)[:2]
    rows = MFCC().fit_transform([a, a, b])
    assert rows.shape[0] == 3
    np.testing.assert_array_equal(rows[0], rows[1])
    table = MFCC().extract([a, a, b])
    assert table.index["path"].tolist() == [a, b]
    np.testing.assert_array_equal(table.X, rows[[0, 2]])
    assert len(emofeat.extract([a, a, b], "mfcc")) == 2


@pytest.mark.parametrize("interrupted", [False, True])
def test_a_dataset_rerun_listing_repeats_sorts_its_parts(tmp_path, corpus, monkeypatch, caplog,
                                                         capsys, interrupted):
    """Relabel numbered inputs among the inputs once each, the store by their first listing:
    after a file listed twice every position was off by one, so a dataset folder whose new
    parts go between old rows was left unsorted ('parts not in input order, and not split by
    input'; 8 files, 4 done, listed with 4 repeats: rows 0 2 3 1 4 6 5 7). Now its rows are a
    clean run's of the list without repeats (order, labels, values), API and command line,
    -j 1 and -j 2, finished or interrupted, the manifest in its order or reversed."""
    import logging

    f = _files(corpus)[:8]
    label = {p: f"e{i}" for i, p in enumerate(f)}

    def manifest(paths):
        return pd.DataFrame({"path": paths, "emotion": [label[p] for p in paths]})

    listed = [f[0], f[3], f[0], f[1], f[3], f[2], f[4], f[4], f[5], f[6], f[1], f[7]]
    for i, (how, order) in enumerate([("api", 1), ("cli", -1)]):
        out = tmp_path / f"ds{i}"
        with monkeypatch.context() as m:
            if interrupted:  # parts written, the folder never finalised
                m.setattr(FeatureStore, "finalize", lambda self, *args, **kwargs: None)
            run(manifest(f[0:8:2]), [get_extractor("mfcc")], output=out, chunk_size=2,
                layout="dataset")
        now = listed[::order]
        want = list(dict.fromkeys(now))
        clean = run(want, [get_extractor("mfcc")]).table
        for jobs in (1, 2):  # the rerun sorts the parts, the next finds it all done
            caplog.clear()
            with caplog.at_level(logging.INFO, logger="emofeat"):
                if how == "api":
                    res = run(manifest(now), [get_extractor("mfcc")], output=out,
                              chunk_size=2, n_jobs=jobs)
                    assert (res.n_repeated, res.n_rows) == (4, 4 if jobs == 1 else 0)
                else:
                    csv = tmp_path / f"m{i}.csv"
                    manifest(now).to_csv(csv, index=False)
                    assert main(["extract", str(csv), "-o", str(out), "-q", "--chunk-size",
                                 "2", "-j", str(jobs)]) == 0
            assert not [r for r in caplog.records if "not split" in r.getMessage()]
            table = FeatureTable.read_parquet(out)
            assert table.index["path"].tolist() == want, (how, jobs)
            assert table.index["emotion"].tolist() == [label[p] for p in want]
            np.testing.assert_array_equal(table.X, clean.X)
            assert pd.read_parquet(out)["path"].tolist() == want  # pandas reads it so too
    capsys.readouterr()
