"""An output's relative paths are read against the folder they were written from (recorded in
its provenance since a31bab1), not the working folder of the rerun: a rerun from another
folder that names the same files resumes, one that names other files by the same relative
spelling adds them; a project moved or copied with its output, or an output written before,
resumes as it did."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow.parquet as pq
import pytest

from emofeat.cli import main
from emofeat.registry import get_extractor
from emofeat.runner import run
from emofeat.store import FeatureStore, done_keys_of
from emofeat.table import FeatureTable


@pytest.fixture
def project(tmp_path, sample, monkeypatch) -> Path:
    """A project folder (the working folder) holding three real recordings, ``a``, ``b``,
    ``c``, and a folder ``elsewhere`` beside it holding a fourth recording named ``a.flac``."""
    folder = tmp_path / "project"
    folder.mkdir()
    for name, p in zip(("a.flac", "b.flac", "c.flac"), sample["path"].iloc[:3], strict=True):
        shutil.copy2(p, folder / name)
    (tmp_path / "elsewhere").mkdir()
    shutil.copy2(sample["path"].iloc[3], tmp_path / "elsewhere" / "a.flac")
    monkeypatch.chdir(folder)
    return folder


def _features(files: list[str]) -> np.ndarray:
    return run(files, [get_extractor("mfcc")]).table.X


@pytest.mark.parametrize("n_jobs", [1, 2])
@pytest.mark.parametrize("output", ["o.parquet", "ds"])
@pytest.mark.parametrize("interrupted", [False, True])
def test_a_rerun_from_another_folder_finds_the_files_done(tmp_path, project, monkeypatch,
                                                          capsys, n_jobs, output, interrupted):
    """Written from the project folder as ``a.flac``, read from ``elsewhere`` as
    ``elsewhere/a.flac``: a rerun naming the project's files as ``../project/a.flac``
    extracted them again, a second row each, and one listing ``a.flac`` (another recording)
    took the place of the project's ``a.flac``, its row replaced by the other's features."""
    out = tmp_path / output
    first = pd.DataFrame({"path": ["a.flac", "b.flac"], "emotion": ["happy", "sad"]})
    with monkeypatch.context() as m:
        if interrupted:  # parts written, the output never finalised
            m.setattr(FeatureStore, "finalize", lambda self, *args, **kwargs: None)
        run(first, [get_extractor("mfcc")], output=out, chunk_size=1, n_jobs=n_jobs)
    want = _features([str(project / n) for n in ("a.flac", "b.flac", "c.flac")])
    monkeypatch.chdir(tmp_path / "elsewhere")
    again = pd.DataFrame({"path": ["../project/a.flac", "../project/b.flac",
                                   "../project/c.flac"], "emotion": ["happy", "sad", "calm"]})
    res = run(again, [get_extractor("mfcc")], output=out, n_jobs=n_jobs)
    assert (res.n_skipped, res.n_rows) == (2, 1)
    table = FeatureTable.read_parquet(out)
    # held as written; a new listing from another folder absolute (read from the project
    # folder, '../project/c.flac' would name another file)
    assert table.index["path"].tolist() == ["a.flac", "b.flac", str(project / "c.flac")]
    assert table.index["emotion"].tolist() == ["happy", "sad", "calm"]
    np.testing.assert_array_equal(table.X, want)
    assert table.provenance["relative_paths"]["folder"] == str(project)
    # the command from there: absolute paths, the same files, done
    assert main(["extract", "../project/b.flac", "../project/a.flac", "-o", str(out), "-q",
                 "-j", str(n_jobs)]) == 0
    assert "2 skipped (already done)" in capsys.readouterr().err
    # 'a.flac' from here is another recording: an input of its own, the project's row kept
    res = run(["a.flac"], [get_extractor("mfcc")], output=out, n_jobs=n_jobs)
    assert (res.n_skipped, res.n_rows) == (0, 1)
    table = FeatureTable.read_parquet(out)
    paths = table.index["path"].tolist()
    assert sorted(paths) == sorted(["a.flac", "b.flac", str(project / "c.flac"),
                                    str(tmp_path / "elsewhere" / "a.flac")])
    rows = dict(zip(paths, table.X, strict=True))
    np.testing.assert_array_equal(rows["a.flac"], want[0])
    np.testing.assert_array_equal(rows[str(tmp_path / "elsewhere" / "a.flac")],
                                  _features([str(tmp_path / "elsewhere" / "a.flac")])[0])


@pytest.mark.parametrize("output", ["o.parquet", "ds"])
def test_a_project_moved_or_copied_with_its_output_resumes(tmp_path, project, monkeypatch,
                                                           output):
    """The project folder copied (the original still there) or moved, its output inside:
    its relative paths name the files beside the output now, as they did before the folder
    was recorded; an output moved alone keeps naming the project's files."""
    files = ["a.flac", "b.flac", "c.flac"]
    run(files, [get_extractor("mfcc")], output=output)
    want = FeatureTable.read_parquet(project / output)
    copy = tmp_path / "copy"
    shutil.copytree(project, copy)  # copy2: modification times kept
    for folder in (copy, tmp_path / "moved"):
        if folder.name == "moved":
            os.rename(copy, folder)
        monkeypatch.chdir(folder)
        res = run(files, [get_extractor("mfcc")], output=output)
        assert (res.n_skipped, res.n_rows) == (3, 0), folder.name
        table = FeatureTable.read_parquet(folder / output)
        assert table.index["path"].tolist() == files
        np.testing.assert_array_equal(table.X, want.X)
    # the output moved alone (out of the project), rerun from the project folder
    monkeypatch.chdir(project)
    shutil.move(project / output, tmp_path / output)
    res = run(files, [get_extractor("mfcc")], output=tmp_path / output)
    assert (res.n_skipped, res.n_rows) == (3, 0)


@pytest.mark.parametrize("output", ["o.parquet", "ds"])
def test_a_project_moved_with_its_output_resumes_from_another_folder(tmp_path, project,
                                                                      monkeypatch, output):
    """The project moved (the recorded folder gone), its output inside, and the run started
    from a folder beside it, listing the files as seen from there: the output's relative
    paths are read against the moved project, not the working folder, which gave every file
    a second row (8 rows of 4 files, 'a.flac' and '../moved/a.flac')."""
    files = ["a.flac", "b.flac", "c.flac"]
    run(files, [get_extractor("mfcc")], output=output)
    want = FeatureTable.read_parquet(project / output)
    moved = tmp_path / "moved"
    os.rename(project, moved)
    (tmp_path / "beside").mkdir()
    monkeypatch.chdir(tmp_path / "beside")
    for _ in range(2):  # the file output keeps the folder it recorded: twice
        res = run([f"../moved/{f}" for f in files], [get_extractor("mfcc")],
                  output=moved / output)
        assert (res.n_skipped, res.n_rows) == (3, 0)
        table = FeatureTable.read_parquet(moved / output)
        assert table.index["path"].tolist() == files
        np.testing.assert_array_equal(table.X, want.X)


@pytest.mark.parametrize("output", ["o.parquet", "ds"])
def test_an_output_moved_alone_after_its_project_moved_resumes(tmp_path, project, monkeypatch,
                                                               output):
    """The project moved, its output moved out of it, the run started in the project: the
    folder placed as the project was relative to the output is the output's own (it sat in
    the project), which holds none of the files; read against it, every file got a second
    row. The working folder names them."""
    files = ["a.flac", "b.flac", "c.flac"]
    run(files, [get_extractor("mfcc")], output=output)
    moved = tmp_path / "moved"
    os.rename(project, moved)
    (tmp_path / "outputs").mkdir()
    os.rename(moved / output, tmp_path / "outputs" / output)
    monkeypatch.chdir(moved)
    res = run(files, [get_extractor("mfcc")], output=tmp_path / "outputs" / output)
    assert (res.n_skipped, res.n_rows) == (3, 0)


@pytest.mark.parametrize("output", ["o.parquet", "ds"])
def test_a_project_copied_with_its_output_resumes_from_beside_it(tmp_path, project,
                                                                 monkeypatch, output):
    """The project copied (the original still there) and the copy's output rerun from a
    folder beside it, listing the copy's files: they are the files the copy's output holds."""
    files = ["a.flac", "b.flac", "c.flac"]
    run(files, [get_extractor("mfcc")], output=output)
    shutil.copytree(project, tmp_path / "copy")  # copy2: modification times kept
    (tmp_path / "beside").mkdir()
    monkeypatch.chdir(tmp_path / "beside")
    res = run([f"../copy/{f}" for f in files], [get_extractor("mfcc")],
              output=tmp_path / "copy" / output)
    assert (res.n_skipped, res.n_rows) == (3, 0)
    assert FeatureTable.read_parquet(tmp_path / "copy" / output).index["path"].tolist() == files


def _written_before(out: Path, **provenance) -> None:
    """The output as written before a31bab1: no folder recorded (and ``provenance``
    fields as given)."""
    table = pq.read_table(out)
    meta = dict(table.schema.metadata)
    info = json.loads(meta[b"emofeat"])
    del info["provenance"]["relative_paths"]
    info["provenance"].update(provenance)
    meta[b"emofeat"] = json.dumps(info).encode()
    pq.write_table(table.replace_schema_metadata(meta), out)


def test_an_output_written_before_rerun_from_elsewhere_records_no_folder(tmp_path, project,
                                                                       monkeypatch):
    """An output that records no folder, rerun from another folder: that folder was recorded
    for good (a31bab1), so the output's relative rows were read there from then on, and a
    rerun from the project folder extracted its files again (a second row). Now the working
    folder is recorded only where the held relative paths name from it files of the held
    size and modification time; else nothing, the run's relative paths stored absolute."""
    out = tmp_path / "o.parquet"
    want = _features([str(project / "a.flac"), str(tmp_path / "elsewhere" / "a.flac")])
    run(["a.flac", "b.flac"], [get_extractor("mfcc")], output=out)
    _written_before(out)
    monkeypatch.chdir(tmp_path / "elsewhere")
    with pytest.warns(UserWarning, match=r"o.parquet holds relative paths but not the folder "
                      r"they are relative to .* 2 of its 2 relative paths name no file .*"
                      r"start afresh with overwrite=True"):
        res = run(["../project/a.flac", "a.flac"], [get_extractor("mfcc")], output=out)
    assert res.n_rows == 2  # the project's a.flac is not found there (as before a31bab1)
    table = FeatureTable.read_parquet(out)
    assert "relative_paths" not in table.provenance
    paths = table.index["path"].tolist()
    assert paths == ["a.flac", "b.flac", str(project / "a.flac"),
                     str(tmp_path / "elsewhere" / "a.flac")]
    # elsewhere's a.flac, another recording, did not replace the held row
    np.testing.assert_array_equal(table.X[[0, 3]], want)
    monkeypatch.chdir(project)
    res = run(["a.flac", "b.flac", "c.flac"], [get_extractor("mfcc")], output=out)
    assert (res.n_skipped, res.n_rows) == (2, 1)  # nothing extracted again
    table = FeatureTable.read_parquet(out)
    assert table.provenance["relative_paths"]["folder"] == str(project)
    assert table.index["path"].tolist()[:2] == ["a.flac", "b.flac"]
    np.testing.assert_array_equal(table.X[0], want[0])


def test_an_output_written_before_resumes_as_before(tmp_path, project, monkeypatch):
    """An output that records no folder (written before a31bab1): its relative paths are
    read against the working folder, as then; the rerun records that folder."""
    out = tmp_path / "o.parquet"
    run(["a.flac", "b.flac"], [get_extractor("mfcc")], output=out)
    table = pq.read_table(out)
    meta = dict(table.schema.metadata)
    info = json.loads(meta[b"emofeat"])
    del info["provenance"]["relative_paths"]
    meta[b"emofeat"] = json.dumps(info).encode()
    keys = done_keys_of(out)
    pq.write_table(table.replace_schema_metadata(meta), out)
    assert done_keys_of(out) == keys
    assert "relative_paths" not in FeatureTable.read_parquet(out).provenance
    res = run(["./a.flac", str(project / "b.flac"), "c.flac"], [get_extractor("mfcc")],
              output=out)
    assert (res.n_skipped, res.n_rows) == (2, 1)
    table = FeatureTable.read_parquet(out)
    assert table.index["path"].tolist() == ["a.flac", "b.flac", "c.flac"]
    assert table.provenance["relative_paths"]["folder"] == str(project)


def test_a_folder_no_relative_path_leads_to_is_recorded_alone(tmp_path, project, monkeypatch):
    """Windows, the working folder on another drive than the output's: ``os.path.relpath``
    raises ValueError (raised at the opening of the output before 0c21067). The folder is
    recorded alone, and a rerun from another folder reads the relative paths there (no move
    rule without ``folder_from_output``)."""
    out = tmp_path / "o.parquet"

    def relpath(path, start=None):
        raise ValueError("path is on mount 'D:', start on mount 'C:'")

    with monkeypatch.context() as m:
        m.setattr(os.path, "relpath", relpath)
        assert run(["a.flac", "b.flac"], [get_extractor("mfcc")], output=out).n_rows == 2
    assert FeatureTable.read_parquet(out).provenance["relative_paths"] == {
        "folder": str(project)}
    monkeypatch.chdir(tmp_path / "elsewhere")
    res = run(["../project/a.flac", "a.flac"], [get_extractor("mfcc")], output=out)
    assert (res.n_skipped, res.n_rows) == (1, 1)
    table = FeatureTable.read_parquet(out)
    assert table.index["path"].tolist() == ["a.flac", "b.flac",
                                            str(tmp_path / "elsewhere" / "a.flac")]


def test_a_finished_rerun_of_an_output_written_before_records_its_folder(tmp_path, project,
                                                                        monkeypatch):
    """A file output that records no folder (written before a31bab1), rerun with nothing
    to do: the folder was worked out (its keys read, a ``stat`` of every relative path held)
    but recorded only by a run that wrote rows, so every finished rerun did it again. The
    first finished rerun now writes it, the rows as they were; the next ones read it."""
    import emofeat.store as store

    out = tmp_path / "o.parquet"
    run(["a.flac", "b.flac"], [get_extractor("mfcc")], output=out)
    # the provenance of the run that wrote the rows, which the rewrite must keep
    written = {"emofeat_version": "0.1.old", "created": "2025-01-01T00:00:00+00:00",
               "n_inputs": 5, "environment": {"python": "3.9.0", "numpy": "1.21.0"}}
    _written_before(out, **written)
    rows = pq.read_table(out)
    res = run(["a.flac", "b.flac"], [get_extractor("mfcc")], output=out)
    assert (res.n_skipped, res.n_rows, res.recorded_folder) == (2, 0, True)
    table = FeatureTable.read_parquet(out)
    assert table.provenance["relative_paths"]["folder"] == str(project)
    old = json.loads(rows.schema.metadata[b"emofeat"])["provenance"]
    assert {k: v for k, v in table.provenance.items() if k != "relative_paths"} == old
    again = pq.read_table(out)
    assert again.drop(["path"]).equals(rows.drop(["path"]))
    assert again["path"].to_pylist() == rows["path"].to_pylist() == ["a.flac", "b.flac"]
    assert done_keys_of(out) == [tuple(k) for k in json.loads(
        rows.schema.metadata[b"emofeat_done"])]

    def unrecorded(store_):
        raise AssertionError("the folder is worked out again")

    monkeypatch.setattr(store, "_unrecorded_folder", unrecorded)
    before = os.stat(out).st_mtime_ns
    res = run(["a.flac", "./b.flac"], [get_extractor("mfcc")], output=out)
    assert (res.n_skipped, res.n_rows) == (2, 0)
    assert os.stat(out).st_mtime_ns == before  # nothing rewritten now


def test_the_command_says_it_recorded_the_folder_and_leaves_absolute_outputs_alone(
        tmp_path, project, capsys):
    """A finished rerun that rewrote an output written before a31bab1 to record its
    folder said 'nothing new to write: ... is up to date'; it says what it did now. An output
    of absolute paths only (every output of the command's folders and manifests) has
    nothing to read against a folder: it was rewritten all the same, now left alone."""
    out = tmp_path / "o.parquet"
    run(["a.flac", "b.flac"], [get_extractor("mfcc")], output=out)
    _written_before(out)
    capsys.readouterr()
    assert main(["extract", "a.flac", "b.flac", "-o", str(out)]) == 0
    err = capsys.readouterr().err
    assert f"recorded the folder of its relative paths in {out} (rows unchanged)" in err, err
    assert "nothing new to write" not in err
    assert FeatureTable.read_parquet(out).provenance["relative_paths"]["folder"] == str(project)
    absolute = tmp_path / "abs.parquet"
    assert main(["extract", str(project), "-o", str(absolute), "-q"]) == 0
    assert all(Path(p).is_absolute() for p in pq.read_table(absolute)["path"].to_pylist())
    _written_before(absolute)
    before = os.stat(absolute).st_mtime_ns
    capsys.readouterr()
    assert main(["extract", str(project), "-o", str(absolute)]) == 0
    assert f"nothing new to write: {absolute} is up to date" in capsys.readouterr().err
    assert os.stat(absolute).st_mtime_ns == before
    assert "relative_paths" not in FeatureTable.read_parquet(absolute).provenance
