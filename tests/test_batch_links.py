"""A symbolic link and its target are one input of a batch run: one row at its first listing,
found done by a rerun that lists the other (from Python and the command line, file lists
and manifests, -j 1 and -j 2); ``transform`` keeps a row per item."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from emofeat.cli import main
from emofeat.registry import get_extractor
from emofeat.runner import run
from emofeat.table import FeatureTable

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="symbolic links need rights")


@pytest.fixture
def corpus(tmp_path, sample, monkeypatch) -> Path:
    """Three short real recordings copied to a folder (the working folder), and links to the
    first: ``link.flac`` beside it, ``other/far.flac`` in another folder, absolute."""
    folder = tmp_path / "corpus"
    folder.mkdir()
    for name, p in zip(("a.flac", "b.flac", "c.flac"), sample["path"].iloc[:3], strict=True):
        shutil.copy(p, folder / name)
    (folder / "link.flac").symlink_to("a.flac")
    (tmp_path / "other").mkdir()
    (tmp_path / "other" / "far.flac").symlink_to(folder / "a.flac")
    monkeypatch.chdir(folder)
    return folder


def _want(files: list[str]) -> FeatureTable:
    return run(files, [get_extractor("mfcc")]).table


@pytest.mark.parametrize("n_jobs", [1, 2])
def test_a_link_and_its_target_listed_in_one_run_are_one_row(tmp_path, corpus, n_jobs):
    """``[a.flac, link.flac]`` gave two rows of one recording, with or without an output."""
    far = str(tmp_path / "other" / "far.flac")
    listed = ["a.flac", "b.flac", "link.flac", far]
    want = _want(["a.flac", "b.flac"])
    memory = run(listed, [get_extractor("mfcc")], n_jobs=n_jobs)
    assert (memory.n_inputs, memory.n_repeated) == (4, 2)
    assert memory.table.index["path"].tolist() == ["a.flac", "b.flac"]  # first listings
    np.testing.assert_array_equal(memory.table.X, want.X)
    for output in ("o.parquet", "ds"):
        stored = run(listed, [get_extractor("mfcc")], n_jobs=n_jobs, output=tmp_path / output,
                     chunk_size=1)
        assert (stored.n_repeated, stored.n_rows) == (2, 2), output
        table = FeatureTable.read_parquet(tmp_path / output)
        assert table.index["path"].tolist() == ["a.flac", "b.flac"], output
        np.testing.assert_array_equal(table.X, want.X)
    # a manifest: the same labels, one row; other labels, refused as one file listed twice
    same = pd.DataFrame({"path": ["link.flac", "b.flac", "a.flac"],
                         "emotion": ["happy", "sad", "happy"]})
    table = run(same, [get_extractor("mfcc")], n_jobs=n_jobs).table
    assert table.index["path"].tolist() == ["link.flac", "b.flac"]
    np.testing.assert_array_equal(table.X, want.X)
    other = same.assign(emotion=["happy", "sad", "angry"])
    with pytest.raises(ValueError, match=r"one file 2 times with different labels, as "
                       r"'link.flac' \(row 2\) and 'a.flac' \(row 4\), counting the header as "
                       r"row 1: one path spelled two ways, a symbolic link and its target, "
                       r"or one folder entry reached through two mounts; keep one$"):
        run(other, [get_extractor("mfcc")], n_jobs=n_jobs)


def test_a_link_and_its_target_with_two_labels_are_named_where_each_is_listed(tmp_path, corpus,
                                                                              capsys):
    """The refusal of one file listed with two labels named the file's real path, which may
    be neither listing, and on the command line rows of the manifests and folders joined
    ('the manifest lists ... (rows 2, 3 counting the header as 1)' for a manifest's line 2
    and a folder's link): now each spelling, and each listing by manifest line or argument."""
    folder = tmp_path / "links"
    folder.mkdir()
    (folder / "x.flac").symlink_to(corpus / "b.flac")
    manifest = tmp_path / "m.csv"
    manifest.write_text(f"path,emotion\n{corpus / 'a.flac'},happy\n{corpus / 'b.flac'},sad\n")
    assert main(["extract", str(manifest), str(folder), "-o", str(tmp_path / "o.parquet"),
                 "-q"]) == 2
    err = capsys.readouterr().err
    assert (f"emofeat: the inputs list one file 2 times with different labels, as "
            f"'{corpus / 'b.flac'}' ({manifest}:3) and '{folder / 'x.flac'}' (the argument "
            f"{folder}): one path spelled two ways, a symbolic link and its target, or one "
            "folder entry reached through two mounts; keep one" in err), err
    assert not (tmp_path / "o.parquet").exists()
    # in memory: the listings' spellings, and their rows as a CSV of the table numbers them
    table = pd.DataFrame({"path": ["b.flac", "a.flac", str(folder / "x.flac"), "./b.flac"],
                          "emotion": ["sad", "happy", "calm", "sad"]})
    with pytest.raises(ValueError) as caught:
        run(table, [get_extractor("mfcc")])
    assert str(caught.value) == (
        f"the inputs list one file 3 times with different labels, as 'b.flac' (row 2), "
        f"'{folder / 'x.flac'}' (row 4) and './b.flac' (row 5), counting the header as row 1: "
        "one path spelled two ways, a symbolic link and its target, or one folder entry "
        "reached through two mounts; keep one")
    # one spelling listed twice: its rows together
    table = pd.DataFrame({"path": ["b.flac", "./b.flac", "b.flac"],
                          "emotion": ["sad", "calm", "sad"]})
    with pytest.raises(ValueError) as caught:
        run(table, [get_extractor("mfcc")])
    assert str(caught.value).startswith(
        "the inputs list one file 3 times with different labels, as 'b.flac' (rows 2, 4) and "
        "'./b.flac' (row 3), counting the header as row 1: ")


def test_transform_keeps_a_row_per_item(corpus):
    """The rule of scikit-learn's ``transform``: one row per item, lined up with ``y``."""
    mfcc = get_extractor("mfcc")
    got = mfcc.fit_transform(["a.flac", "link.flac", "b.flac"])
    assert len(got) == 3
    np.testing.assert_array_equal(got[0], got[1])


@pytest.mark.parametrize("n_jobs", [1, 2])
@pytest.mark.parametrize("output", ["o.parquet", "ds"])
@pytest.mark.parametrize("interrupted", [False, True])
def test_a_rerun_finds_a_file_done_under_a_link(tmp_path, corpus, monkeypatch, n_jobs,
                                                 output, interrupted):
    """A rerun listing a link where the first run listed its target (or the other way
    round) extracted the file again and stored a second row of it. Now found done, one row,
    the stored spelling kept, labelled by the current manifest."""
    from emofeat.store import FeatureStore

    out = tmp_path / output
    first = pd.DataFrame({"path": ["a.flac", "link.flac", "b.flac"],
                          "emotion": ["happy", "happy", "sad"]})
    with monkeypatch.context() as m:
        if interrupted:  # parts written, the output never finalised
            m.setattr(FeatureStore, "finalize", lambda self, *args, **kwargs: None)
        res = run(first, [get_extractor("mfcc")], output=out, chunk_size=1, n_jobs=n_jobs)
    assert (res.n_rows, res.n_repeated) == (2, 1)
    far = str(tmp_path / "other" / "far.flac")
    again = pd.DataFrame({"path": ["c.flac", "b.flac", far], "emotion": ["angry", "sad", "calm"]})
    res = run(again, [get_extractor("mfcc")], output=out, n_jobs=n_jobs)
    assert (res.n_skipped, res.n_repeated, res.n_rows) == (2, 0, 1)
    table = FeatureTable.read_parquet(out)
    assert table.index["path"].tolist() == ["c.flac", "b.flac", "a.flac"]  # as held
    assert table.index["emotion"].tolist() == ["angry", "sad", "calm"]
    np.testing.assert_array_equal(table.X, _want(["c.flac", "b.flac", "a.flac"]).X)
    # the command line: a manifest listing the link (its relative paths are of its folder)
    listed = corpus / "labels.csv"
    pd.DataFrame({"path": [str(corpus / "link.flac"), str(corpus / "b.flac"), "c.flac"],
                  "emotion": ["calm", "sad", "angry"]}).to_csv(listed, index=False)
    assert main(["extract", str(listed), "-o", str(out), "-q", "-j", str(n_jobs)]) == 0
    table = FeatureTable.read_parquet(out)
    assert table.index["path"].tolist() == ["a.flac", "b.flac", "c.flac"]
    assert table.index["emotion"].tolist() == ["calm", "sad", "angry"]


@pytest.mark.parametrize("n_jobs", [1, 2])
def test_the_command_takes_a_folder_with_a_link_to_one_of_its_files_once(tmp_path, corpus,
                                                                         capsys, n_jobs):
    out = tmp_path / "cli.parquet"
    assert main(["extract", str(corpus), "-o", str(out), "-q", "-j", str(n_jobs)]) == 0
    assert "4 inputs, 3 done, 1 repeated (extracted once)" in capsys.readouterr().err
    table = FeatureTable.read_parquet(out)
    root = corpus.resolve()
    assert table.index["path"].tolist() == [str(root / n) for n in ("a.flac", "b.flac",
                                                                     "c.flac")]
    np.testing.assert_array_equal(table.X, _want(["a.flac", "b.flac", "c.flac"]).X)
    # a rerun giving the link alone: done
    assert main(["extract", str(tmp_path / "other"), "-o", str(out), "-q"]) == 0
    assert "1 skipped (already done)" in capsys.readouterr().err
    assert len(FeatureTable.read_parquet(out)) == 3


@pytest.fixture
def annexed(tmp_path, sample) -> Path:
    """A dataset as git-annex / DataLad keep one (OpenNeuro), DVC's link cache or the
    Hugging Face hub cache: identical content stored once in a hidden object folder, each
    entry a link to it by its own name. Two entries, one content."""
    root = tmp_path / "dataset"
    key = "MD5E-s123--0a1b2c.flac"
    obj = root / ".git" / "annex" / "objects" / "Xy" / "Zw" / key / key
    obj.parent.mkdir(parents=True)
    shutil.copy(sample["path"].iloc[0], obj)
    for entry in ("sub-01/happy.flac", "sub-02/sad.flac"):
        (root / entry).parent.mkdir()
        (root / entry).symlink_to(obj)
    return root


@pytest.mark.parametrize("n_jobs", [1, 2])
def test_two_entries_of_one_content_in_an_annexed_dataset_are_two_rows(tmp_path, annexed,
                                                                       monkeypatch, n_jobs):
    """Two links by other names to a file not listed (a content-addressed dataset's two
    entries of one content) are two inputs, as they were before 87118ba, which made them one
    input, a row dropped as a repeat, and with different labels the run refused (exit 2)."""
    monkeypatch.chdir(annexed)
    entries = pd.DataFrame({"path": ["sub-01/happy.flac", "sub-02/sad.flac"],
                            "emotion": ["happy", "sad"]})
    want = _want(["sub-01/happy.flac"]).X[0]
    memory = run(entries, [get_extractor("mfcc")], n_jobs=n_jobs)
    assert (memory.n_rows, memory.n_repeated) == (2, 0)
    assert memory.table.index["emotion"].tolist() == ["happy", "sad"]
    for output in ("o.parquet", "ds"):
        res = run(entries, [get_extractor("mfcc")], output=tmp_path / output, n_jobs=n_jobs,
                  chunk_size=1)
        assert (res.n_rows, res.n_repeated) == (2, 0), output
        table = FeatureTable.read_parquet(tmp_path / output)
        assert table.index["path"].tolist() == entries["path"].tolist()
        np.testing.assert_array_equal(table.X, [want, want])
        res = run(entries, [get_extractor("mfcc")], output=tmp_path / output, n_jobs=n_jobs)
        assert (res.n_skipped, res.n_rows) == (2, 0), output
    manifest = annexed / "labels.csv"
    entries.to_csv(manifest, index=False)
    assert main(["extract", str(manifest), "-o", str(tmp_path / "cli.parquet"), "-q",
                 "-j", str(n_jobs)]) == 0
    assert len(FeatureTable.read_parquet(tmp_path / "cli.parquet")) == 2
    # an output holding the object itself (listed by an earlier run): the first entry is
    # that file, found done; the second is an input of its own, as in a run without it
    obj = next(annexed.glob(".git/annex/objects/*/*/*/*"))
    out = tmp_path / "held.parquet"
    run([str(obj)], [get_extractor("mfcc")], output=out)
    res = run(entries, [get_extractor("mfcc")], output=out, n_jobs=n_jobs)
    assert (res.n_skipped, res.n_rows) == (1, 1)
    table = FeatureTable.read_parquet(out)
    assert table.index["path"].tolist() == [str(obj), "sub-02/sad.flac"]
    assert table.index["emotion"].tolist() == ["happy", "sad"]


@pytest.mark.parametrize("output", ["o.parquet", "ds"])
def test_an_output_holding_a_link_and_its_target_twice_says_so(tmp_path, corpus, caplog,
                                                               output):
    """An output written before a link and its target were one input (87118ba) holds a file
    and a link to it as two rows; a
    rerun listing both keeps both but said '1 input is listed more than once ... one row
    where it is first listed', untrue of that output. It says the output holds it twice
    and how to make it one row."""
    twin = corpus / "twin.flac"  # a copy with the same size and modification time, made a
    shutil.copy2(corpus / "a.flac", twin)  # link to a.flac once the output holds it
    listed = pd.DataFrame({"path": ["a.flac", "twin.flac", "b.flac"],
                           "emotion": ["happy", "happy", "sad"]})
    out = tmp_path / output
    assert run(listed, [get_extractor("mfcc")], output=out).n_rows == 3
    twin.unlink()
    twin.symlink_to("a.flac")
    with caplog.at_level("WARNING", logger="emofeat"):
        res = run(listed, [get_extractor("mfcc")], output=out)
    assert (res.n_rows, res.n_skipped) == (0, 2)
    said = [r.getMessage() for r in caplog.records]
    assert not any("listed more than once" in m for m in said), said
    assert any(m.startswith("1 input is held twice in the output (such as a.flac, also held "
                            "as twin.flac") and "start afresh with overwrite=True to make it "
               "one row" in m for m in said), said
    assert FeatureTable.read_parquet(out).index["path"].tolist() == ["a.flac", "twin.flac",
                                                                    "b.flac"]
    res = run(listed, [get_extractor("mfcc")], output=out, overwrite=True)
    assert FeatureTable.read_parquet(out).index["path"].tolist() == ["a.flac", "b.flac"]


@pytest.mark.parametrize("n_jobs", [1, 2])
def test_a_link_keeps_its_name_typed_in_a_folder_or_in_a_manifest(tmp_path, annexed, corpus,
                                                                  monkeypatch, capsys, caplog,
                                                                  n_jobs):
    """The command named a link typed on the command line by its target (Path.resolve), and
    one found in a folder or a manifest by its own name: two entries of an annexed dataset
    typed were one input named by the hidden object ('1 repeated'), two rows listed the
    other ways. Now each way names the entry, its folder made absolute."""
    monkeypatch.chdir(annexed)
    root = annexed.resolve()
    entries = ["sub-01/happy.flac", "sub-02/sad.flac"]
    named = [str(root / e) for e in entries]
    want = _want([named[0]]).X[0]
    pd.DataFrame({"path": entries}).to_csv("labels.csv", index=False)
    ways = {"typed": entries, "folders": ["sub-01", "sub-02"], "manifest": ["labels.csv"]}
    for way, given in ways.items():
        out = tmp_path / f"{way}.parquet"
        assert main(["extract", *given, "-o", str(out), "-q", "-j", str(n_jobs)]) == 0, way
        assert "2 inputs, 2 done, 0 failed" in capsys.readouterr().err, way
        table = FeatureTable.read_parquet(out)
        assert table.index["path"].tolist() == named, way
        np.testing.assert_array_equal(table.X, [want, want])
    # a link beside its target, typed: its own name, one input with the target
    monkeypatch.chdir(corpus)
    out = tmp_path / "link.parquet"
    assert main(["extract", "link.flac", "b.flac", "a.flac", "-o", str(out), "-q"]) == 0
    assert "3 inputs, 2 done, 1 repeated" in capsys.readouterr().err
    table = FeatureTable.read_parquet(out)
    assert table.index["path"].tolist() == [str(corpus.resolve() / n)
                                            for n in ("link.flac", "b.flac")]
    # an output the command wrote before, holding the target's path: the link is done
    out = tmp_path / "before.parquet"
    run([str(corpus.resolve() / "a.flac")], [get_extractor("mfcc")], output=out)
    caplog.clear()
    with caplog.at_level("WARNING", logger="emofeat"):
        assert main(["extract", "link.flac", "-o", str(out), "-q"]) == 0
    assert "1 skipped (already done)" in capsys.readouterr().err
    assert FeatureTable.read_parquet(out).index["path"].tolist() == [
        str(corpus.resolve() / "a.flac")]
    # ... which the command says, naming the row and the way out (it took the row silently)
    said = [r.getMessage() for r in caplog.records if "symbolic link on" in r.getMessage()]
    assert len(said) == 1, said
    assert said[0] == (f"1 input with a symbolic link on its path found done under the path of its "
            f"target (such as {corpus.resolve() / 'link.flac'}, held as "
            f"{corpus.resolve() / 'a.flac'}), as an earlier run listed it or an earlier "
            "version of emofeat named a typed link so: its row keeps that name; start afresh "
            "with --overwrite to name it by the paths listed")
    assert main(["extract", "link.flac", "-o", str(out), "-q", "--overwrite"]) == 0
    assert FeatureTable.read_parquet(out).index["path"].tolist() == [
        str(corpus.resolve() / "link.flac")]


@pytest.mark.parametrize("n_jobs", [1, 2])
def test_hard_links_are_separate_inputs(tmp_path, sample, monkeypatch, capsys, n_jobs):
    """A corpus deduplicated with hard links (hardlink(1), jdupes -L, rdfind, a ``cp -al``
    backup): ``calm/baseline.flac`` and ``stress/baseline.flac`` are one file, two entries
    with their own labels. 3744e3d took every listed name of a file for one input: the
    manifest was refused (one file with two labels, no way out) and the folder gave one row.
    Hard links are entries of their own: two rows, exit 0, as before 3744e3d."""
    import os

    root = tmp_path / "study"
    for condition in ("calm", "stress"):
        (root / condition).mkdir(parents=True)
    shutil.copy(sample["path"].iloc[0], root / "calm" / "baseline.flac")
    os.link(root / "calm" / "baseline.flac", root / "stress" / "baseline.flac")
    os.link(root / "calm" / "baseline.flac", root / "calm" / "again.flac")
    shutil.copy(sample["path"].iloc[1], root / "stress" / "x.flac")
    monkeypatch.chdir(root)
    names = ["calm/baseline.flac", "stress/baseline.flac", "stress/x.flac"]
    pd.DataFrame({"path": names, "condition": ["calm", "stress", "stress"]}).to_csv(
        "m.csv", index=False)
    one = _want(["calm/baseline.flac"]).X[0]
    assert main(["extract", "m.csv", "-o", "o.parquet", "-q", "-j", str(n_jobs)]) == 0
    table = FeatureTable.read_parquet("o.parquet")
    assert table.index["condition"].tolist() == ["calm", "stress", "stress"]
    np.testing.assert_array_equal(table.X[:2], [one, one])
    # every name listed (three of the file's three), in memory and with an output
    listed = ["calm/baseline.flac", "calm/again.flac", "stress/baseline.flac"]
    memory = run(listed, [get_extractor("mfcc")], n_jobs=n_jobs)
    assert (memory.n_rows, memory.n_repeated) == (3, 0)
    for output in ("h.parquet", "ds"):
        run(listed[:1], [get_extractor("mfcc")], output=tmp_path / output)
        res = run(listed, [get_extractor("mfcc")], n_jobs=n_jobs, output=tmp_path / output)
        assert (res.n_skipped, res.n_rows) == (1, 2), output
        assert FeatureTable.read_parquet(tmp_path / output).index["path"].tolist() == listed
    capsys.readouterr()
    assert main(["extract", ".", "-o", "f.parquet", "-q", "-j", str(n_jobs)]) == 0
    assert "4 inputs, 4 done, 0 failed" in capsys.readouterr().err
    assert len(FeatureTable.read_parquet("f.parquet")) == 4


def test_a_file_system_without_inode_numbers_joins_no_files(tmp_path, monkeypatch):
    """Where ``st_ino`` is 0 for every file and folder (some FUSE, 9p and CIFS mounts), two
    different recordings of one size and modification time (as unpacked from one archive),
    also of one name in two folders, looked like one folder entry: one input. Each stays one
    of its own.

    What fails where: ``one/a.wav`` and ``two/a.wav`` are joined only when both checks of
    ``st_ino`` 0 are removed, the file's (``_real_paths``: no node) and its folder's
    (``_one_file``: the folder named by its path), as each alone keeps them apart here;
    ``a.wav`` and ``b.wav`` have other names, which no check joins (they guard the count
    only). The folder's check alone is tested below: hard links (entries of their own) in
    two folders that give no inode numbers while their files do."""
    import os
    import stat

    import soundfile as sf

    rng = np.random.default_rng(0)
    names = ["a.wav", "b.wav", "one/a.wav", "two/a.wav"]
    for name in names:
        (tmp_path / name).parent.mkdir(exist_ok=True)
        sf.write(tmp_path / name, rng.standard_normal(8000) * 0.1, 16000)
        os.utime(tmp_path / name, ns=(1_600_000_000_000_000_000,) * 2)
    monkeypatch.chdir(tmp_path)
    want = _want(names).X

    class NoInode:
        def __init__(self, st):
            self._st = st

        def __getattr__(self, name):
            return 0 if name == "st_ino" else getattr(self._st, name)

    real_stat, real_lstat = os.stat, os.lstat
    monkeypatch.setattr(os, "stat", lambda p, *a, **k: NoInode(real_stat(p, *a, **k)))
    monkeypatch.setattr(os, "lstat", lambda p, *a, **k: NoInode(real_lstat(p, *a, **k)))
    res = run(names, [get_extractor("mfcc")])
    assert (res.n_rows, res.n_repeated) == (4, 0)
    np.testing.assert_array_equal(res.table.X, want)
    out = tmp_path / "o.parquet"
    run(names[:1] + names[2:3], [get_extractor("mfcc")], output=out)
    res = run(names, [get_extractor("mfcc")], output=out)
    assert (res.n_skipped, res.n_rows) == (2, 2)
    held = FeatureTable.read_parquet(out)
    assert sorted(held.index["path"]) == names
    np.testing.assert_array_equal(held.X[np.argsort(held.index["path"].to_numpy())], want)
    # folders of st_ino 0, files with theirs: one file, hard-linked as one/h.wav and
    # two/h.wav, is two entries, two inputs (joined when the folder's st_ino is trusted)
    monkeypatch.undo()
    monkeypatch.chdir(tmp_path)
    os.link(tmp_path / "one" / "a.wav", tmp_path / "two" / "h.wav")
    os.link(tmp_path / "one" / "a.wav", tmp_path / "one" / "h.wav")

    class NoFolderInode(NoInode):
        def __getattr__(self, name):
            if name == "st_ino" and stat.S_ISDIR(self._st.st_mode):
                return 0
            return getattr(self._st, name)

    monkeypatch.setattr(os, "stat", lambda p, *a, **k: NoFolderInode(real_stat(p, *a, **k)))
    monkeypatch.setattr(os, "lstat", lambda p, *a, **k: NoFolderInode(real_lstat(p, *a, **k)))
    res = run(["one/h.wav", "two/h.wav"], [get_extractor("mfcc")])
    assert (res.n_rows, res.n_repeated) == (2, 0)


@pytest.mark.parametrize("n_jobs", [1, 2])
def test_entries_of_a_hard_link_cache_stay_two_inputs(tmp_path, sample, monkeypatch, n_jobs):
    """DVC's hard-link cache (git-annex's annex.thin alike) makes two entries of one content
    two hard links to a cache object, which is never listed: they are two entries of the
    dataset, their labels may differ. Listing some names of a file only, they stay two
    inputs, in one run and across reruns."""
    import os

    root = tmp_path / "project"
    obj = root / ".dvc" / "cache" / "files" / "md5" / "0a" / "1b2c3d"
    obj.parent.mkdir(parents=True)
    shutil.copy(sample["path"].iloc[0], obj)
    for entry in ("happy.flac", "sad.flac"):
        os.link(obj, root / entry)
    monkeypatch.chdir(root)
    entries = pd.DataFrame({"path": ["happy.flac", "sad.flac"], "emotion": ["happy", "sad"]})
    want = _want(["happy.flac"]).X[0]
    memory = run(entries, [get_extractor("mfcc")], n_jobs=n_jobs)
    assert (memory.n_rows, memory.n_repeated) == (2, 0)
    np.testing.assert_array_equal(memory.table.X, [want, want])
    for output in ("o.parquet", "ds"):
        run(entries.iloc[:1], [get_extractor("mfcc")], output=tmp_path / output)
        res = run(entries, [get_extractor("mfcc")], output=tmp_path / output, n_jobs=n_jobs)
        assert (res.n_skipped, res.n_rows) == (1, 1), output
        table = FeatureTable.read_parquet(tmp_path / output)
        assert table.index["emotion"].tolist() == ["happy", "sad"], output


def test_one_file_seen_through_two_mounts_is_one_input(tmp_path, corpus, monkeypatch):
    """A folder bind-mounted at a second place: one file, one folder entry, reached by two
    paths (one ``st_dev`` and ``st_ino``, no link on the way) was two inputs. Simulated:
    ``mnt/`` holds copies that ``os.stat``/``os.lstat`` see as the files of ``corpus/``."""
    import os

    mnt = tmp_path / "mnt"
    shutil.copytree(corpus, mnt, symlinks=True)
    real_stat, real_lstat = os.stat, os.lstat

    def seen(path):
        text = os.fspath(path)
        return (str(corpus) + text[len(str(mnt)):]
                if text == str(mnt) or text.startswith(f"{mnt}/") else path)

    monkeypatch.setattr(os, "stat", lambda p, *a, **k: real_stat(seen(p), *a, **k))
    monkeypatch.setattr(os, "lstat", lambda p, *a, **k: real_lstat(seen(p), *a, **k))
    listed = ["a.flac", str(mnt / "a.flac"), "b.flac"]
    res = run(listed, [get_extractor("mfcc")])
    assert (res.n_rows, res.n_repeated) == (2, 1)
    out = tmp_path / "o.parquet"
    run(["a.flac"], [get_extractor("mfcc")], output=out)
    res = run([str(mnt / "a.flac"), "b.flac"], [get_extractor("mfcc")], output=out)
    assert (res.n_skipped, res.n_rows) == (1, 1)
    assert FeatureTable.read_parquet(out).index["path"].tolist() == ["a.flac", "b.flac"]


def test_the_command_given_an_annexed_dataset_leaves_its_hidden_objects_out(tmp_path, annexed,
                                                                           capsys):
    """The folder walk went into ``.git``: git-annex's object, which keeps its extension, was
    an input, and each entry a link to it, so the dataset's two entries were one input
    named by the object ('3 inputs, 1 done, 2 repeated'). Hidden folders are not searched."""
    out = tmp_path / "o.parquet"
    assert main(["extract", str(annexed), "-o", str(out), "-q"]) == 0
    assert "2 inputs, 2 done, 0 failed" in capsys.readouterr().err
    root = annexed.resolve()
    assert FeatureTable.read_parquet(out).index["path"].tolist() == [
        str(root / "sub-01" / "happy.flac"), str(root / "sub-02" / "sad.flac")]
    # a hidden folder given itself is searched (only those under it are left out)
    assert main(["extract", str(annexed / ".git"), "-o", str(tmp_path / "obj.parquet"),
                 "-q"]) == 0
    obj = next(annexed.glob(".git/annex/objects/*/*/*/*")).resolve()
    assert FeatureTable.read_parquet(tmp_path / "obj.parquet").index["path"].tolist() == [
        str(obj)]


def test_hidden_folders_left_out_are_named(tmp_path, sample, capsys):
    """The walk left hidden folders out without a word: a folder whose recordings are all in
    ``.raw`` gave 'no audio files under ...' and no hint, one with some there counted the
    others only. Both now name the hidden folders not searched that hold recordings, tools'
    own (``.git``) left out of that list; given itself, a hidden folder is searched. One
    holding no recording (an editor's ``.idea``, ``.pytest_cache``) is not named: a folder
    holding only ``.idea`` was refused with the advice to give ``.idea``."""
    root = tmp_path / "study"
    (root / ".idea").mkdir(parents=True)
    (root / ".idea" / "workspace.xml").write_text("<project/>")
    (root / ".pytest_cache" / "v").mkdir(parents=True)
    (root / ".pytest_cache" / "v" / "lastfailed").write_text("{}")
    out = tmp_path / "o.parquet"
    assert main(["extract", str(root), "-o", str(out), "-q"]) == 2
    err = capsys.readouterr().err
    assert err.endswith(f"under {root}\n") and "not searched" not in err, err
    (root / ".raw").mkdir(parents=True)
    (root / ".git" / "annex").mkdir(parents=True)
    for name, p in zip(("a.flac", "b.flac"), sample["path"].iloc[:2], strict=True):
        shutil.copy(p, root / ".raw" / name)
    shutil.copy(sample["path"].iloc[2], root / ".git" / "annex" / "c.flac")
    assert main(["extract", str(root), "-o", str(out), "-q"]) == 2
    err = capsys.readouterr().err
    assert err.endswith(f"under {root}; hidden folder {root / '.raw'} not searched (give it as a "
                        "folder to search it)\n"), err
    assert ".git" not in err and ".idea" not in err
    shutil.copy(sample["path"].iloc[2], root / "c.flac")
    (root / "sub" / ".backup" / "deep").mkdir(parents=True)
    (root / "sub" / ".empty").mkdir(parents=True)
    shutil.copy(sample["path"].iloc[0], root / "sub" / ".backup" / "deep" / "a.flac")
    assert main(["extract", str(root), "-o", str(out), "-q"]) == 0
    err = capsys.readouterr().err
    assert (f"emofeat: 1 file under {root}, without labels; give a manifest (path, emotion, "
            "speaker, ...: CSV, TSV or JSON lines) to carry labels; hidden folders "
            f"{root / '.raw'}, {root / 'sub' / '.backup'} not searched (give them as folders "
            "to search them)\n" in err), err
    assert main(["extract", str(root / ".raw"), "-o", str(tmp_path / "raw.parquet"),
                 "-q"]) == 0
    assert len(FeatureTable.read_parquet(tmp_path / "raw.parquet")) == 2


def test_the_corpus_loaders_walk_as_the_command(tmp_path, ravdess_dir, emodb_dir):
    """load_ravdess and load_emodb searched hidden folders (rglob): a DataLad copy of RAVDESS
    has git-annex's objects in ``.git``, each a recording once more under a name that is not
    RAVDESS's (a warning naming it as skipped), and a hidden backup of an actor's folder made
    every recording in it found twice (refused). They walk as the command does now, and
    name as it does the hidden folders that hold recordings (they skipped them silently)."""
    import warnings

    from emofeat.datasets import SkippedFileWarning, load_emodb, load_ravdess

    if not ravdess_dir.is_dir():
        pytest.skip("RAVDESS is not in ../shared/data")
    files = sorted((ravdess_dir / "Actor_01").glob("*.flac"))[:2]
    root = tmp_path / "ravdess"
    (root / "Actor_01").mkdir(parents=True)
    for f in files:
        shutil.copy(f, root / "Actor_01" / f.name)
    obj = root / ".git" / "annex" / "objects" / "Xy" / "Zw" / "SHA256E-s1--ab.flac"
    obj.mkdir(parents=True)
    shutil.copy(files[0], obj / obj.name)
    (root / ".idea").mkdir()
    (root / ".idea" / "workspace.xml").write_text("<project/>")
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        table = load_ravdess(root)
    assert table["path"].tolist() == [str(root.resolve() / "Actor_01" / f.name) for f in files]
    # a hidden folder holding recordings is left out with a word (.idea, holding none, not)
    shutil.copytree(root / "Actor_01", root / ".backup" / "Actor_01")
    with pytest.warns(SkippedFileWarning) as rec:
        table = load_ravdess(root)
    assert table["path"].tolist() == [str(root.resolve() / "Actor_01" / f.name) for f in files]
    assert [str(w.message) for w in rec] == [
        f"RAVDESS: {root.resolve()}: hidden folder {root.resolve() / '.backup'} not searched "
        "(give it as a folder to search it)"]
    # EmoDB alike
    emo = sorted(emodb_dir.glob("*.flac"))[:1]
    (tmp_path / "emodb" / ".old").mkdir(parents=True)
    (tmp_path / "emodb" / ".Trash-1000").mkdir()
    shutil.copy(emo[0], tmp_path / "emodb" / emo[0].name)
    shutil.copy(emo[0], tmp_path / "emodb" / ".Trash-1000" / "notes.txt")
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert len(load_emodb(tmp_path / "emodb")) == 1
    shutil.copy(emo[0], tmp_path / "emodb" / ".old" / emo[0].name)
    with pytest.warns(SkippedFileWarning, match=r"^EmoDB: .*: hidden folder .*/emodb/\.old not"):
        assert len(load_emodb(tmp_path / "emodb")) == 1
