"""Batch runs and output stores: session 46's leftovers, mended in session 47.

A WAV read segment by segment (a manifest's ``start``/``end``, the windows of a long file)
said that it is cut short, or that its header declares less audio than follows, at several of
its segments (3 times for 6 with ``-j 1``: Python forgets what it showed whenever a library
changes the filters, as pandas does inside a run), where the docs say once per file.
"""

from __future__ import annotations

import re
import struct
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from conftest import shared_path

import emofeat
from emofeat.cli import main
from emofeat.errors import TruncatedAudioWarning, UndeclaredAudioWarning
from emofeat.runner import run

STARTS = (0.0, 0.5, 1.0, 1.5, 2.0, 2.5)


@pytest.fixture(scope="module")
def odd_wavs(tmp_path_factory):
    """``{"cut": a WAV cut in half, "undeclared": a WAV declaring 4 s of its 10}``: EmoDB
    speech repeated to 10 s."""
    import soundfile as sf

    y, sr = sf.read(shared_path("speech", "emodb", "03a01Fa.flac"))
    folder = tmp_path_factory.mktemp("odd")
    whole = folder / "whole.wav"
    sf.write(whole, np.tile(y, 10)[: 10 * sr], sr, subtype="PCM_16")
    data = bytearray(whole.read_bytes())
    (folder / "cut.wav").write_bytes(bytes(data[: len(data) // 2]))
    at = data.index(b"data")
    data[at + 4 : at + 8] = struct.pack("<I", 2 * sr * 4)
    (folder / "undeclared.wav").write_bytes(bytes(data))
    return {"cut": str(folder / "cut.wav"), "undeclared": str(folder / "undeclared.wav")}


CATEGORY = {"cut": TruncatedAudioWarning, "undeclared": UndeclaredAudioWarning}


def _segments(path: str) -> pd.DataFrame:
    return pd.DataFrame({"path": path, "start": STARTS, "end": [s + 0.5 for s in STARTS]})


def _said(kind: str, action: str, call) -> int:
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter(action)
        call()
    return sum(issubclass(w.category, CATEGORY[kind]) for w in caught)


@pytest.mark.parametrize("kind", ["cut", "undeclared"])
@pytest.mark.parametrize("n_jobs", [1, 2])
def test_a_file_read_in_segments_warns_once(odd_wavs, kind, n_jobs):
    def call():
        table = emofeat.extract(_segments(odd_wavs[kind]), "mfcc", n_jobs=n_jobs)
        assert table.X.shape[0] == len(STARTS)

    assert _said(kind, "default", call) == 1


@pytest.mark.parametrize("action", ["default", "always"])
@pytest.mark.parametrize("kind", ["cut", "undeclared"])
def test_a_long_file_read_in_windows_warns_once(odd_wavs, kind, action):
    # windows read from disk one by one (a file longer than long_file_seconds); a serial
    # run says it once under "always" too: it is one file's
    def call():
        result = run([odd_wavs[kind]], [emofeat.get_extractor("mfcc")], segment=0.5,
                     long_file_seconds=1.0)
        assert result.table.X.shape[0] > 4

    assert _said(kind, action, call) == 1


def test_once_a_run_under_always_and_again_in_the_next_run(odd_wavs):
    # the record is the run's: the next run says it again
    def call():
        emofeat.extract(_segments(odd_wavs["cut"]), "mfcc", n_jobs=1)

    assert [_said("cut", "always", call) for _ in range(2)] == [1, 1]


@pytest.mark.parametrize("n_jobs", [1, 2])
def test_an_error_filter_fails_every_segment_of_the_file(odd_wavs, n_jobs):
    # a warning raised is not counted as said: no segment of the file passes after the first
    with warnings.catch_warnings():
        warnings.simplefilter("error", TruncatedAudioWarning)
        result = run(_segments(odd_wavs["cut"]), [emofeat.get_extractor("mfcc")],
                     n_jobs=n_jobs, on_error="record")
    assert result.n_failed == len(STARTS)


@pytest.mark.parametrize("kind", ["cut", "undeclared"])
def test_a_read_under_ignore_does_not_use_up_the_files_warning(odd_wavs, kind):
    # review 2 of session 47 (N1): a read under an "ignore" filter (the runner's look at a
    # first input for its channels does one) counted the file's warning as said, and the
    # run's own reads of it said nothing
    from emofeat.audio import file_warnings_once, load_audio

    with file_warnings_once():
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            load_audio(odd_wavs[kind])
        assert _said(kind, "default", lambda: load_audio(odd_wavs[kind])) == 1
        assert _said(kind, "default", lambda: load_audio(odd_wavs[kind])) == 0


def test_the_command_says_it_once(odd_wavs, tmp_path, capsys):
    manifest = tmp_path / "m.csv"
    _segments(odd_wavs["undeclared"]).to_csv(manifest, index=False)
    assert main(["extract", "--set", "mfcc", str(manifest), "-o", str(tmp_path / "o.parquet"),
                 "-q", "-j", "1"]) == 0
    said = [line for line in capsys.readouterr().err.splitlines()
            if "its header declares" in line]
    assert len(said) == 1, said


# --- a dataset folder whose column a run widens, interrupted (session 46, review 2 S3) ------
# Whole numbers held, then decimals (or a blank column, then words): the folder's parts are
# given the new type. Rewritten at the end, the run's first parts of 0.5 beside parts and a
# _common_metadata of whole numbers left a folder that emofeat and pandas refused ("Float
# value 0.5 was truncated") until a rerun; now they are rewritten first, each atomically.

CHANGES = {
    "widened": ("intensity", [1, 2, 3], [1.5, None, 2.0]),
    "filled": ("split", [None, None, None], ["test", "train", "test"]),
}


@pytest.fixture(scope="module")
def six_files(ravdess_two_speakers_six):
    return ravdess_two_speakers_six


def _batch(tmp_path, name, files, column, values):
    manifest = tmp_path / name
    pd.DataFrame({"path": files, column: values}).to_csv(manifest, index=False)
    return manifest


def _extract(manifest, out):
    return main(["extract", "--set", "mfcc", str(manifest), "-o", str(out), "-q",
                 "--chunk-size", "1"])


def _column(out, column):
    """The column as pandas and emofeat.read_table read the folder (both must read it), by
    path, and the IncompleteDatasetWarnings said."""
    from emofeat import read_table
    from emofeat.store import IncompleteDatasetWarning

    frame = pd.read_parquet(out)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        table = read_table(out)
    got = _by_path(frame, column)
    assert _by_path(table.index, column) == got
    return got, [w for w in caught if issubclass(w.category, IncompleteDatasetWarning)]


def _by_path(frame, column):
    # missing as None: pandas 2 reads a blank text as None, pandas 3 as NaN
    return {p: None if pd.isna(v) else v
            for p, v in zip(frame["path"], frame[column].tolist(), strict=True)}


def _expected(files, values):
    return dict(zip(files, values, strict=True))


def _first_run(tmp_path, six_files, change):
    column, held, new = CHANGES[change]
    out = tmp_path / "out"
    assert _extract(_batch(tmp_path, "a.csv", six_files[:3], column, held), out) == 0
    return out, column, held, new


@pytest.mark.parametrize("change", sorted(CHANGES))
def test_a_widening_run_interrupted_after_its_parts_leaves_the_folder_readable(
        tmp_path, six_files, change, monkeypatch):
    import emofeat.store as store

    out, column, held, new = _first_run(tmp_path, six_files, change)
    second = _batch(tmp_path, "b.csv", six_files[3:], column, new)
    with monkeypatch.context() as m:
        def killed(*args, **kwargs):
            raise KeyboardInterrupt

        m.setattr(store.FeatureStore, "finalize", killed)  # every part written, no record
        assert _extract(second, out) == 130
    got, said = _column(out, column)
    assert got == {**_expected(six_files[:3], held), **_expected(six_files[3:], new)}
    assert len(said) == 1  # the unfinished run's rows, said
    assert _extract(second, out) == 0
    assert _column(out, column) == (got, [])


@pytest.mark.parametrize("change", sorted(CHANGES))
@pytest.mark.parametrize("step", [0, 1, 2, 3])  # parts 0-2 rewritten, then _common_metadata
def test_a_widening_run_interrupted_while_it_rewrites_the_folder(
        tmp_path, six_files, change, step, monkeypatch):
    import emofeat.store as store

    out, column, held, new = _first_run(tmp_path, six_files, change)
    second = _batch(tmp_path, "b.csv", six_files[3:], column, new)
    done = []
    real = store._retyped

    def interrupted(*args, **kwargs):
        if len(done) == step:
            raise KeyboardInterrupt
        done.append(1)
        return real(*args, **kwargs)

    with monkeypatch.context() as m:
        m.setattr(store, "_retyped", interrupted)
        assert _extract(second, out) == 130
    # the rows held, read by both readers with nothing said: no part of the run was written
    assert _column(out, column) == (_expected(six_files[:3], held), [])
    assert _extract(second, out) == 0
    assert _column(out, column) == (
        {**_expected(six_files[:3], held), **_expected(six_files[3:], new)}, [])


# --- an output whose lock file cannot be made: said by what is in the way (review 3 N3) -----
# A broken link in the lock file's place and a path through a regular file said "the folder
# ... is not writable" (or only "File exists: give another output"). The command makes the
# output's folder before the lock (its own message, emofeat.cli); run() does not.

def _refused(tmp_path, files, out, capsys=None):
    """The message of a run into ``out`` (the command's with ``capsys``, else run()'s)."""
    if capsys is None:
        from emofeat.store import OutputNotWritableError

        with pytest.raises(OutputNotWritableError) as got:
            run(files[:1], [emofeat.get_extractor("mfcc")], output=out)
        err = str(got.value)
    else:
        manifest = tmp_path / "m.csv"
        pd.DataFrame({"path": files[:1]}).to_csv(manifest, index=False)
        assert main(["extract", "--set", "mfcc", str(manifest), "-o", str(out), "-q"]) == 2
        err = capsys.readouterr().err.rstrip()
    assert f"cannot create its lock file {out}.lock beside it (" in err, err
    assert "not writable" not in err, err
    return err


@pytest.mark.parametrize("under", ["notes.txt/o.parquet", "notes.txt/sub/o.parquet",
                                   "notes.txt/feats"])
def test_a_file_on_the_outputs_way_is_named(tmp_path, six_files, under):
    (tmp_path / "notes.txt").write_text("not a folder")
    err = _refused(tmp_path, six_files, tmp_path / under)
    assert err.endswith(f"{tmp_path / 'notes.txt'} is a file, not a folder; give an output "
                        "in a folder"), err


def test_a_broken_link_in_the_lock_files_place_is_named(tmp_path, six_files, capsys):
    gone = tmp_path / "gone" / "x"
    (tmp_path / "o.parquet.lock").symlink_to(gone)
    err = _refused(tmp_path, six_files, tmp_path / "o.parquet", capsys)
    assert err.endswith(f"{tmp_path / 'o.parquet.lock'} is a symbolic link to {gone}, which "
                        "does not exist and cannot be made (a broken link); remove the link, "
                        "or give another output"), err


@pytest.mark.parametrize("loop", [False, True])
def test_a_broken_link_on_the_outputs_way_is_named(tmp_path, six_files, loop):
    link, to = tmp_path / "a", tmp_path / ("b" if loop else "gone")
    link.symlink_to(to)
    if loop:
        to.symlink_to(link)
    err = _refused(tmp_path, six_files, link / "o.parquet")
    what = ("leads back to itself (a loop of links); " if loop
            else "does not exist (a broken link); make that folder, ")
    assert err.endswith(f"{link} is a symbolic link to {to}, which {what}remove the link, "
                        "or give another output"), err
    if not loop:  # the way out said: the folder made, the run writes through the link
        to.mkdir()
        assert _extract(_batch(tmp_path, "m.csv", six_files, "x", [1] * len(six_files)),
                        link / "o.parquet") == 0
        assert (to / "o.parquet").is_file()


def test_a_relative_broken_link_on_the_way_names_the_folder_to_make(tmp_path, six_files,
                                                                      monkeypatch):
    # review 3 of session 47 (N4): w/out -> data said "make that folder" naming 'data', which
    # made in the working folder does not mend the run: the target is w/data
    monkeypatch.chdir(tmp_path)
    (tmp_path / "w").mkdir()
    (tmp_path / "w" / "out").symlink_to("data")
    err = _refused(tmp_path, six_files, Path("w") / "out" / "o.parquet")
    assert err.endswith("w/out is a symbolic link to data (w/data), which does not exist (a "
                        "broken link); make that folder, remove the link, or give another "
                        "output"), err


# --- emofeat.extract's backend (helper D's leftover of session 47) --------------------------
# A program whose threads extract while one forks workers can hang a worker on a lock held at
# the fork; docs/batch.md says to start loky workers instead, which extract could not ask for.

def test_extract_runs_on_the_backend_asked_for(six_files, monkeypatch):
    import emofeat.runner as runner

    serial = emofeat.extract(six_files, "mfcc")
    asked = []
    real = runner.run

    def spy(*args, **kwargs):
        asked.append(kwargs.get("backend"))
        return real(*args, **kwargs)

    monkeypatch.setattr(runner, "run", spy)
    table = emofeat.extract(six_files, "mfcc", n_jobs=2, backend="loky")
    assert asked == ["loky"]
    np.testing.assert_allclose(table.X, serial.X, rtol=1e-6, atol=1e-9)
    assert list(table.index["path"]) == list(serial.index["path"])


@pytest.mark.parametrize(("backend", "said"), [
    ("dask", "the Dask backend writes parts: use emofeat.runner.run(..., output=..., "
             "backend='dask')"),
    ("threads", "backend must be 'auto', 'fork' or 'loky', got 'threads'")])
def test_extract_refuses_a_backend_it_cannot_run(six_files, backend, said):
    with pytest.raises(ValueError, match=re.escape(said)):
        emofeat.extract(six_files[:1], "mfcc", n_jobs=2, backend=backend)
