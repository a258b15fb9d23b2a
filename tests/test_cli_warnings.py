"""Warnings as the ``emofeat`` program shows them: one line each in the command's own style
(``emofeat extract: warning: <message>``), from the command's process and from the worker
processes it forks, instead of Python's ``/path/to/emofeat/audio.py:383:
TruncatedAudioWarning: <message>`` and the source line under it. Only the display changes:
the warning filters decide as before, and the Python API warns as before."""

from __future__ import annotations

import warnings
from pathlib import Path

import numpy as np
import pytest
import soundfile as sf
from conftest import emofeat_program

from emofeat.audio import load_audio
from emofeat.cli import EXIT_OK, EXIT_SOME_FAILED, _warning_shown, _warning_text, main
from emofeat.errors import TruncatedAudioWarning


@pytest.fixture(scope="module")
def cut_set(tmp_path_factory, ravdess_files) -> tuple[list[Path], list[tuple[Path, Path]]]:
    """Four RAVDESS recordings as 16-bit WAV files, and two of them cut short (a half, four
    fifths): ``(whole files, [(cut file, the whole file it was cut from)])``."""
    folder = tmp_path_factory.mktemp("cut")
    whole = []
    for i, src in enumerate(ravdess_files[:4]):
        y, sr = sf.read(src, dtype="float64")
        path = folder / f"f{i}.wav"
        sf.write(path, y, sr, subtype="PCM_16")
        whole.append(path)
    cuts = []
    for i, fraction in ((1, 0.5), (3, 0.8)):
        data = whole[i].read_bytes()
        cut = folder / f"cut{i}.wav"
        cut.write_bytes(data[:int(len(data) * fraction)])
        cuts.append((cut, whole[i]))
    return whole, cuts


def _expected_line(cut: Path, whole: Path) -> str:
    """The line for ``cut``: the samples of the whole file (its header's promise) and those
    libsndfile reads of the cut one, as soundfile counts them."""
    info = sf.info(whole)
    promised, rate = info.frames, info.samplerate
    read = sf.read(cut, dtype="float32")[0].shape[0]
    assert 0 < read < promised
    return (f"emofeat extract: warning: {cut}: the file is truncated: its header promises "
            f"{promised} samples ({promised / rate:.3f} s) of audio, {read} "
            f"({read / rate:.3f} s) are there and read")


def _check_stderr(stderr: str, cuts) -> None:
    """One line per cut file, in the command's style; nothing of Python's format."""
    lines = stderr.splitlines()
    for cut, whole in cuts:
        assert lines.count(_expected_line(cut, whole)) == 1, stderr
    assert sum(": warning: " in line for line in lines) == len(cuts), stderr
    assert "TruncatedAudioWarning" not in stderr and ".py:" not in stderr, stderr
    assert "load_audio(" not in stderr, stderr  # the source line Python prints under it


@pytest.mark.slow
@pytest.mark.parametrize("jobs", [["-j", "1"], ["-j", "2"], ["-j", "2", "--backend", "loky"]],
                         ids=["j1", "j2-fork", "j2-loky"])
def test_truncated_file_is_one_line_from_the_program_and_its_workers(cut_set, tmp_path, jobs):
    """``emofeat extract`` as a user runs it (``-j 2``: the files are read in worker
    processes, forked, or spawned by loky): each cut file's warning is one line naming the
    file and both durations."""
    whole, cuts = cut_set
    out = tmp_path / "out.parquet"
    inputs = [str(p) for p in whole + [c for c, _ in cuts]]
    proc, _ = emofeat_program(["extract", "--set", "mfcc", *inputs, "-o", str(out), "-q",
                               *jobs], "0", cwd=tmp_path)
    assert proc.returncode == EXIT_OK, proc.stderr
    _check_stderr(proc.stderr, cuts)
    from emofeat import read_table

    assert len(read_table(out)) == len(inputs)  # the cut files' rows are written


def test_main_shows_warnings_in_its_style_and_puts_the_display_back(cut_set, tmp_path, capsys):
    """``main()`` in a caller's process: the same line, and ``warnings.showwarning`` is the
    caller's again when it returns (the API's warnings are recorded as before)."""
    whole, cuts = cut_set
    before = warnings.showwarning
    out = tmp_path / "out.parquet"
    code = main(["extract", "--set", "mfcc", str(whole[0]), str(cuts[0][0]), "-o", str(out),
                 "-q"])
    err = capsys.readouterr().err
    assert code == EXIT_OK, err
    _check_stderr(err, cuts[:1])
    assert warnings.showwarning is before
    with pytest.warns(TruncatedAudioWarning, match="the file is truncated"):
        load_audio(cuts[0][0])


def test_warning_filters_still_decide(cut_set, tmp_path, capsys):
    """A filter that ignores the warning (``-W ignore::...``, ``PYTHONWARNINGS``) still
    silences it; one that makes it an error still raises it."""
    whole, cuts = cut_set
    out = tmp_path / "out.parquet"
    argv = ["extract", "--set", "mfcc", str(cuts[0][0]), "-o", str(out), "-q"]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", TruncatedAudioWarning)
        assert main(argv) == EXIT_OK
    assert ": warning: " not in capsys.readouterr().err
    with warnings.catch_warnings():
        warnings.simplefilter("error", TruncatedAudioWarning)
        with pytest.raises(TruncatedAudioWarning):
            load_audio(cuts[0][0])


def test_warning_text_names_other_libraries_categories():
    """emofeat's warnings and plain UserWarnings say what they are about; a warning of
    another library (numpy's RuntimeWarning) keeps its category's name; a message of
    several lines keeps its lines where it is another library's."""
    assert _warning_text(TruncatedAudioWarning("a.wav: cut"), TruncatedAudioWarning) == (
        "a.wav: cut")
    assert _warning_text(UserWarning("x: clipped"), UserWarning) == "x: clipped"
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        np.log(np.zeros(1))
    w = caught[0]
    assert _warning_text(w.message, w.category) == (
        "RuntimeWarning: divide by zero encountered in log")
    # another library's lines kept, further ones indented (tests/test_cli_warning_lines55.py)
    assert _warning_shown("first line\n  second line\n", UserWarning, "/x/lib.py") == (
        "first line\n    second line")


@pytest.mark.slow
@pytest.mark.parametrize("jobs", ["1", "2"])
def test_a_warning_made_an_error_fails_its_input_only(cut_set, tmp_path, jobs):
    """``PYTHONWARNINGS=error::UserWarning`` (refuse what emofeat warns about: here truncated
    files; Python resolves no third-party category in ``-W`` and ``PYTHONWARNINGS``, so a
    user names ``UserWarning``, which ``TruncatedAudioWarning`` is): each cut file is a
    failed input in the errors table, the whole ones are extracted. Before, the first cut
    file stopped the command with a traceback called a bug in emofeat."""
    import os
    import subprocess
    import sys

    import pandas as pd

    from emofeat import read_table

    whole, cuts = cut_set
    out = tmp_path / "out.parquet"
    inputs = [str(p) for p in whole + [c for c, _ in cuts]]
    env = {**os.environ, "PYTHONWARNINGS": "error::UserWarning"}
    proc = subprocess.run([sys.executable, "-m", "emofeat", "extract", "--set", "mfcc",
                           *inputs, "-o", str(out), "-q", "-j", jobs],
                          capture_output=True, text=True, cwd=tmp_path, env=env)
    assert "Traceback" not in proc.stderr and "bug" not in proc.stderr, proc.stderr
    assert proc.returncode == EXIT_SOME_FAILED, proc.stderr
    assert sorted(read_table(out).index["path"]) == sorted(map(str, whole))
    errors = pd.read_csv(tmp_path / "out.errors.csv")
    assert sorted(errors.iloc[:, 0]) == sorted(str(c) for c, _ in cuts)
    assert (errors["error_type"] == "TruncatedAudioWarning").all(), errors
    assert errors["message"].str.contains("the file is truncated").all(), errors
