"""Batch runs and feature tables broken as users break them: a set that fails one input
with an arithmetic error."""

from __future__ import annotations

import hashlib
import os
import sys
import warnings

import numpy as np
import pandas as pd
import pytest
from emofeat.extractors import MFCC

from emofeat.runner import run
from emofeat.table import FeatureTable


class _DividesByZero(MFCC):
    """MFCC that raises ``error`` on the durations listed in ``bad`` (a degenerate input)."""

    set_name = "divides_by_zero"

    def __init__(self, bad: tuple[float, ...] = (), error: type = ZeroDivisionError) -> None:
        super().__init__()
        self.bad = bad
        self.error = error

    def features_of(self, audio):
        if round(audio.duration, 6) in self.bad:
            raise self.error("float division by zero")
        return super().features_of(audio)


@pytest.mark.parametrize("error", [ZeroDivisionError, OverflowError])
@pytest.mark.parametrize("output", [None, "f.parquet", "ds"])
def test_an_arithmetic_error_of_a_set_fails_its_input_only(tmp_path, sample, error, output):
    """A set's ZeroDivisionError or OverflowError on one input is that input's failure,
    recorded once with its stage and type, the others extracted (it stopped the whole run:
    only FloatingPointError of the ArithmeticErrors was caught)."""
    paths = list(sample["path"].iloc[:4])
    clean = run(paths, [MFCC()]).table
    bad = round(float(clean.index["end"].iloc[1]), 6)
    assert bad not in {round(float(e), 6) for e in clean.index["end"].drop(index=1)}
    ext = _DividesByZero(bad=(bad,), error=error)
    res = run(paths, [ext], on_error="record",
              output=None if output is None else tmp_path / output)
    assert res.errors["path"].tolist() == [paths[1]]
    assert res.errors[["stage", "error_type"]].values.tolist() == [["extract", error.__name__]]
    table = res.table if output is None else FeatureTable.read_parquet(tmp_path / output)
    assert table.index["path"].tolist() == [p for i, p in enumerate(paths) if i != 1]
    np.testing.assert_array_equal(table.X, clean.X[[0, 2, 3]])


@pytest.mark.parametrize("fail_fast", [False, True])
def test_the_command_reports_an_arithmetic_error_of_a_set(tmp_path, sample, monkeypatch,
                                                          capsys, fail_fast):
    """``emofeat extract``: a set's ZeroDivisionError is the input's row of the errors table
    (exit 3), or with ``--fail-fast`` the stop at the first failure (exit 3, the message
    naming it), not a traceback."""
    from emofeat.cli import main

    paths = list(sample["path"].iloc[:3])
    clean = run(paths, [MFCC()]).table
    bad = round(float(clean.index["end"].iloc[1]), 6)
    features_of = MFCC.features_of

    def divides(self, audio):
        if round(audio.duration, 6) == bad:
            raise ZeroDivisionError("float division by zero")
        return features_of(self, audio)

    monkeypatch.setattr(MFCC, "features_of", divides)
    out = tmp_path / "f.parquet"
    code = main(["extract", *paths, "-o", str(out), "-q", *(["--fail-fast"] * fail_fast)])
    assert code == 3
    err = capsys.readouterr().err
    if fail_fast:
        assert "ZeroDivisionError: float division by zero" in err and "--fail-fast" in err
    else:
        errors = pd.read_csv(tmp_path / "f.errors.csv")
        assert errors["path"].tolist() == [paths[1]]
        assert errors["error_type"].tolist() == ["ZeroDivisionError"]
        assert FeatureTable.read_parquet(out).index["path"].tolist() == [paths[0], paths[2]]


def _read_quietly(out):
    """The table of ``out``, any warning an error."""
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        return FeatureTable.read_parquet(out)


def test_a_dataset_of_inputs_listed_twice_reads_without_a_warning(tmp_path, sample):
    """Inputs listed twice (extracted and stored once) and a failing input listed twice
    (its error once): the folder holds each input once and reads without an
    IncompleteDatasetWarning, which said "a part is missing" on every read (the check took
    the run's n_inputs - n_failed, counting each listing)."""
    paths = list(sample["path"].iloc[:5])
    bad = tmp_path / "bad.flac"
    bad.write_bytes(b"fLaC not really")
    out = tmp_path / "ds"
    listed = paths + paths[:3] + [str(bad), str(bad)]
    res = run(listed, [MFCC()], output=out, on_error="record", chunk_size=2)
    assert res.errors["path"].tolist() == [str(bad)]
    table = _read_quietly(out)
    assert table.index["path"].tolist() == paths
    assert table.provenance["n_inputs"] == len(listed)  # the run's, as its summary says


def test_a_part_of_an_earlier_run_lost_is_warned_of(tmp_path, sample):
    """A part of an earlier run deleted after a rerun that listed only a new input: the
    folder then held every input, and a reader is warned (the check took the last run's
    1 input and missed it)."""
    from emofeat.store import IncompleteDatasetWarning

    paths = list(sample["path"].iloc[:6])
    out = tmp_path / "ds"
    run(paths[:5], [MFCC()], output=out, chunk_size=2)
    run(paths[5:], [MFCC()], output=out)
    assert _read_quietly(out).index["path"].tolist() == paths
    first = sorted(out.glob("part-*.parquet"))[0]
    first.unlink()
    with pytest.warns(IncompleteDatasetWarning, match="rows of 4 inputs.*finished 6"):
        FeatureTable.read_parquet(out)


MUSE = "/work/shared/data/eeg/muse_mental_state/subjecta-relaxed-1.csv"  # 59.4 s, 4 channels


@pytest.mark.parametrize("start, end, says", [
    (1.0, 1.0, "segment 1.0-1.0 s is empty: its end must be after its start"),
    (2.0, 1.0, "segment 2.0-1.0 s is empty: its end must be after its start"),
    (-1.0, 1.0, "segment -1.0-1.0 s starts before the recording (start must be 0 or more)"),
    (0.0, np.inf, "segment 0.0-inf s: start and end must be finite seconds"),
    (np.nan, 1.0, "segment nan-1.0 s: start and end must be finite seconds"),
    (100.0, 102.0, "segment starts at 100.0 s, after the end of the recording (59.386 s)"),
])
def test_eeg_manifest_segments_out_of_bounds_fail_their_row_saying_why(start, end, says):
    """An EEG manifest's segment whose bounds select nothing fails its row, as an audio
    segment does, saying why (it was a bare "cannot convert float NaN to integer", an
    OverflowError for an infinite end, or a TooShortError of 0 samples), the rows beside it
    extracted."""
    from emofeat.registry import get_extractor

    man = pd.DataFrame({"path": [MUSE] * 2, "start": [0.0, start], "end": [2.0, end]})
    res = run(man, [get_extractor("eeg_bands")], on_error="record")
    assert res.table.index[["start", "end"]].values.tolist() == [[0.0, 2.0]]
    assert res.errors[["path", "stage", "error_type"]].values.tolist() == [
        [MUSE, "read", "EEGReadError"]]
    assert res.errors["message"].iat[0].startswith(says)


@pytest.mark.parametrize("start, end, says", [
    (2.0, 1.0, "segment 2.0-1.0 s is empty: its end must be after its start"),
    (np.nan, 1.0, "segment nan-1.0 s: start and end must be finite seconds"),
])
def test_audio_manifest_segments_out_of_bounds_say_why(sample, start, end, says):
    """The audio side of the same bounds: "invalid segment 2.0-1.0 s" said which, not why."""
    path = sample["path"].iat[0]
    man = pd.DataFrame({"path": [path] * 2, "start": [0.0, start], "end": [1.0, end]})
    res = run(man, [MFCC()], on_error="record")
    assert len(res.table) == 1
    assert res.errors[["stage", "error_type"]].values.tolist() == [["read", "AudioReadError"]]
    assert res.errors["message"].iat[0].startswith(says)


@pytest.mark.parametrize("name", ["o.parquet", "ds"])
def test_an_output_resumed_after_its_lexicon_file_was_edited_is_refused(tmp_path, name):
    """A user lexicon given by its path and edited between two runs into one output: the
    second run is refused naming the file (the fingerprint held the path only, and the
    table mixed rows scored with both contents); the file rewritten with the same content
    resumes, and the provenance records the content's digest."""
    import hashlib

    from emofeat.registry import get_extractor
    from emofeat.store import ParameterMismatchError

    lex = tmp_path / "mine.tsv"
    lex.write_text("happy\tjoy\t1\nsad\tjoy\t0\n")
    texts = pd.DataFrame({"text": ["I am happy", "so sad", "happy happy", "sad day"]})
    out = tmp_path / name

    def sets():
        return [get_extractor("lexicon", lexicons=[("user", str(lex), "mine")])]

    run(texts.iloc[:2], sets(), output=out)
    lex.write_text("happy\tjoy\t1\nsad\tjoy\t0\n")  # the same content, written again
    assert run(texts.iloc[:3], sets(), output=out).n_rows == 1
    table = FeatureTable.read_parquet(out)
    digest = hashlib.sha256(lex.read_bytes()).hexdigest()
    assert table.provenance["sets"][0]["files"] == {str(lex): digest}
    lex.write_text("happy\tjoy\t0\nsad\tjoy\t1\n")
    with pytest.raises(ParameterMismatchError, match=f"read '{lex}', whose content"):
        run(texts, sets(), output=out)
    assert FeatureTable.read_parquet(out).equals(table)


def test_option_values_that_name_a_file_of_the_folder_are_not_its_files(tmp_path,
                                                                       monkeypatch):
    """Only the files a set reads are hashed into its description: a file of the working
    folder named as an option value ('flip', 'hann', 'vader') keyed the output, which was
    then refused when resumed from another folder or after that file changed."""
    from emofeat.registry import get_extractor
    from emofeat.runner import _describe_sets

    monkeypatch.chdir(tmp_path)
    for name in ("flip", "vader", "afinn", "hann", "slaney"):
        (tmp_path / name).write_text("unrelated")
    lex = tmp_path / "mine.tsv"
    lex.write_text("happy\tjoy\t1\n")
    described = _describe_sets([get_extractor("lexicon"), get_extractor("mfcc"),
                                get_extractor("lexicon", lexicons=["vader",
                                                                   ("user", "mine.tsv")])])
    assert [d.get("files") for d in described] == [None, None, {"mine.tsv": hashlib.sha256(
        lex.read_bytes()).hexdigest()}]


def test_tables_scored_with_two_contents_of_a_lexicon_are_not_stacked(tmp_path):
    """FeatureTable.concat of two tables of the same set and parameters whose lexicon file
    had other contents is refused naming the file (it stacked them, the first table's
    provenance carrying both)."""
    from emofeat.registry import get_extractor

    lex = tmp_path / "mine.tsv"
    texts = pd.DataFrame({"text": ["I am happy", "so sad"]})

    def table():
        return run(texts, [get_extractor("lexicon", lexicons=[("user", str(lex), "mine")])]
                   ).table

    lex.write_text("happy\tjoy\t1\nsad\tjoy\t0\n")
    first, again = table(), table()
    assert len(FeatureTable.concat([first, again])) == 4  # the same content
    lex.write_text("happy\tjoy\t0\nsad\tjoy\t1\n")
    with pytest.raises(ValueError, match=f"extracted differently \\(the content of lexicon: {lex}"):
        FeatureTable.concat([first, table()])


class _DiesOnce(MFCC):
    """MFCC whose worker process is killed (SIGKILL, as the out-of-memory killer does) on
    its first input in a worker while the file ``$DIES_ONCE`` exists, the file removed."""

    set_name = "dies_once"

    def __init__(self) -> None:
        super().__init__()
        self.driver = os.getpid()  # not the process that warms the set up before the fork

    def features_of(self, audio):
        import signal

        marker = os.environ.get("DIES_ONCE", "")
        if marker and os.getpid() != self.driver:
            # one worker only: the one whose remove succeeds dies; two workers seeing the
            # marker at once made the other's remove raise FileNotFoundError (a flaky failure)
            try:
                os.remove(marker)
            except FileNotFoundError:
                return super().features_of(audio)
            os.kill(os.getpid(), signal.SIGKILL)
        return super().features_of(audio)


@pytest.mark.skipif(sys.platform != "linux", reason="forked workers")
def test_a_worker_killed_is_told_and_the_run_resumes(tmp_path, sample, monkeypatch):
    """A forked worker killed mid-run: the error says a worker died, how, and that the same
    run resumes (it was Python's "A process in the process pool was terminated abruptly
    while the future was running or pending"); the rerun completes the table."""
    from emofeat.schedule import WorkerDiedError

    paths = list(sample["path"].iloc[:8])
    marker = tmp_path / "die"
    marker.touch()
    monkeypatch.setenv("DIES_ONCE", str(marker))
    out = tmp_path / "ds"
    ext = _DiesOnce()
    with pytest.raises(WorkerDiedError, match="a worker process died while extracting "
                       r"\(killed by SIGKILL.*run again with the same output"):
        run(paths, [ext], n_jobs=2, backend="fork", output=out, chunk_size=2)
    run(paths, [ext], n_jobs=2, backend="fork", output=out, chunk_size=2)
    table = _read_quietly(out)
    assert table.index["path"].tolist() == paths
    np.testing.assert_array_equal(table.X, run(paths, [MFCC()]).table.X)


def test_a_worker_killed_under_the_cli_is_exit_3(tmp_path, sample, monkeypatch, capsys):
    """emofeat extract whose worker died: its message and exit 3 (the run stopped with some
    inputs not done; the same command resumes), not exit 2, which says the command line was
    wrong."""
    import emofeat.runner
    from emofeat.cli import main
    from emofeat.schedule import WorkerDiedError

    def dies(*args, **kwargs):
        raise WorkerDiedError("a worker process died while extracting (killed by SIGKILL)")

    monkeypatch.setattr(emofeat.runner, "run", dies)
    code = main(["extract", sample["path"][0], "-o", str(tmp_path / "f.parquet"), "-q"])
    assert code == 3
    assert "emofeat: a worker process died while extracting" in capsys.readouterr().err
