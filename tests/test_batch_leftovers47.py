"""Batch runs and output stores: session 46's leftovers, mended in session 47.

A WAV read segment by segment (a manifest's ``start``/``end``, the windows of a long file)
said that it is cut short, or that its header declares less audio than follows, at several of
its segments (3 times for 6 with ``-j 1``: Python forgets what it showed whenever a library
changes the filters, as pandas does inside a run), where the docs say once per file.
"""

from __future__ import annotations

import struct
import warnings

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


def test_the_command_says_it_once(odd_wavs, tmp_path, capsys):
    manifest = tmp_path / "m.csv"
    _segments(odd_wavs["undeclared"]).to_csv(manifest, index=False)
    assert main(["extract", "--set", "mfcc", str(manifest), "-o", str(tmp_path / "o.parquet"),
                 "-q", "-j", "1"]) == 0
    said = [line for line in capsys.readouterr().err.splitlines()
            if "its header declares" in line]
    assert len(said) == 1, said
