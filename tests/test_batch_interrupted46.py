"""Batch runs (hunt of session 46): what a reader of an unfinished dataset folder is told, and
the messages of a run refused for other parameters or an output it cannot write.

A dataset folder whose first run was killed (parts, no ``_common_metadata``) read as a whole
table without a word: ``emofeat info`` said "360 rows" and ``evaluate`` ran on 6 of 24
speakers; so did a finished folder beside the parts of an interrupted rerun. The reader now
warns (``IncompleteDatasetWarning``), naming the folder, the rows of the unfinished run and
that the same command finishes it; pandas reads the folder as before.
"""

from __future__ import annotations

import warnings

import pandas as pd
import pytest

from emofeat import read_table
from emofeat.cli import main
from emofeat.store import IncompleteDatasetWarning, OutputNotWritableError


@pytest.fixture(scope="module")
def files(ravdess_two_speakers_six):
    return ravdess_two_speakers_six


def _manifest(tmp_path, files, name="m.csv"):
    manifest = tmp_path / name
    pd.DataFrame({"path": files, "speaker": [f[-8:-6] for f in files]}).to_csv(
        manifest, index=False)
    return manifest


def _extract(manifest, out, *extra):
    return main(["extract", "--set", "mfcc", str(manifest), "-o", str(out), "-q",
                 "--chunk-size", "1", *extra])


def _killed(monkeypatch, manifest, out):
    """A run killed before it finished the folder: its parts written, no record of them."""
    import emofeat.store as store

    with monkeypatch.context() as m:
        def killed(*args, **kwargs):
            raise KeyboardInterrupt

        m.setattr(store.FeatureStore, "finalize", killed)
        assert _extract(manifest, out) == 130


def _read_warned(out) -> tuple[int, list[str]]:
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        rows = read_table(out).shape[0]
    return rows, [str(w.message) for w in caught
                  if issubclass(w.category, IncompleteDatasetWarning)]


def test_a_folder_whose_first_run_was_killed_is_read_with_a_warning(tmp_path, files,
                                                                      monkeypatch, capsys):
    out = tmp_path / "feats"
    manifest = _manifest(tmp_path, files)
    _killed(monkeypatch, manifest, out)
    assert not (out / "_common_metadata").exists()
    rows, said = _read_warned(out)
    assert rows == 6
    assert said == [f"{out}: its 6 rows (6 parts) are those of a run into it that has not "
                    "finished (interrupted, or still running): no run has written the whole "
                    "table yet. Run the same emofeat extract command again to finish it (it "
                    "resumes where the run stopped)"]
    capsys.readouterr()
    assert main(["info", str(out)]) == 0
    err = capsys.readouterr().err
    assert "emofeat info: warning: " in err and "has not finished" in err
    assert len(pd.read_parquet(out)) == 6  # any other reader: as before
    assert _extract(manifest, out) == 0  # the same command finishes it
    assert _read_warned(out) == (6, [])


def test_a_finished_folder_beside_an_interrupted_rerun_is_read_with_a_warning(
        tmp_path, files, monkeypatch):
    out = tmp_path / "feats"
    assert _extract(_manifest(tmp_path, files[:2], "a.csv"), out) == 0
    assert _read_warned(out) == (2, [])
    manifest = _manifest(tmp_path, files)
    _killed(monkeypatch, manifest, out)
    rows, said = _read_warned(out)
    assert rows == 6
    assert len(said) == 1
    assert said[0].startswith(f"{out}: 4 of its 6 rows (4 parts) are those of a run into it "
                              "that has not finished (interrupted, or still running), beside "
                              "the rows of the runs that finished it. Run the same emofeat "
                              "extract command again")
    assert len(pd.read_parquet(out)) == 6
    assert _extract(manifest, out) == 0
    assert _read_warned(out) == (6, [])


@pytest.mark.parametrize("layout", ["file", "dataset"])
def test_other_parameters_are_named_with_both_values(tmp_path, files, layout, capsys):
    out = tmp_path / ("o.parquet" if layout == "file" else "o")
    manifest = _manifest(tmp_path, files[:2])
    assert _extract(manifest, out) == 0
    capsys.readouterr()
    assert _extract(manifest, out, "--param", "n_mfcc=20", "--param", "n_mels=64") == 2
    err = capsys.readouterr().err
    assert (f"{out} was made with other extraction parameters: mfcc n_mels: 40 there, 64 "
            "now; mfcc n_mfcc: 13 there, 20 now (fingerprint ") in err
    assert _extract(manifest, out, "--level", "lld") == 2
    err = capsys.readouterr().err
    # each set records the level too: said once
    assert "parameters: level 'functionals' there, 'lld' now (fingerprint" in err


@pytest.mark.parametrize("fail_fast", [False, True])
def test_an_output_whose_lock_file_cannot_be_created_is_the_outputs_problem(
        tmp_path, files, capsys, fail_fast):
    # run as root, a folder's permissions stop nothing: /proc takes no new file for anyone
    out = "/proc/emofeat-test-out.parquet"
    code = _extract(_manifest(tmp_path, files[:1]), out, *(["--fail-fast"] * fail_fast))
    err = capsys.readouterr().err
    assert code == 2, err
    assert err.startswith(f"emofeat: cannot write {out}: cannot create its lock file "
                          f"{out}.lock beside it (")
    assert err.rstrip().endswith("the folder /proc is not writable; give an output in a "
                                 "folder you can write to")


def test_the_api_raises_the_lock_files_problem_as_the_outputs(tmp_path, files):
    from emofeat.registry import get_extractor
    from emofeat.runner import run

    with pytest.raises(OutputNotWritableError, match="cannot create its lock file") as got:
        run([files[0]], [get_extractor("mfcc")], output="/proc/emofeat-test-out")
    assert isinstance(got.value.__cause__, OSError)


def test_a_folder_in_the_lock_files_place_is_not_called_an_unwritable_folder(tmp_path, files,
                                                                            capsys):
    # review 2 of b5453dd: every OSError said "the folder . is not writable"
    out = tmp_path / "o.parquet"
    (tmp_path / "o.parquet.lock").mkdir()
    assert _extract(_manifest(tmp_path, files[:1]), str(out)) == 2
    err = capsys.readouterr().err
    assert "beside it (Is a directory): give another output" in err, err
    assert "not writable" not in err
