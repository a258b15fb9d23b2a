"""The provenance of a run names the versions of the libraries besides emofeat that decided
its numbers, where the run used them (CLI leftover of session 53): the FLAC decoder
(miniaudio's dr_flac), libsndfile (other formats), soxr (resampling), MNE (EEG files) and
pyarrow, next to Python, NumPy, SciPy and Numba, which alone it named before. A library the
run did not use is not named (an audio run names no MNE and does not import it: the
command's start-up, issue 9), and a rerun that extracts nothing keeps what the rows already
there were computed with. ``emofeat info`` shows the line.

Versions are compared with the installed libraries' own (no expected number of ours).
"""

from __future__ import annotations

import importlib.metadata
import json

import numpy as np
import pyarrow
import pyarrow.parquet as pq
import pytest
from conftest import emofeat_program, shared_path

from emofeat.cli import EXIT_OK, main


def _environment(path):
    meta = pq.read_schema(path).metadata
    return json.loads(meta[b"emofeat"])["provenance"]["environment"]


@pytest.fixture(scope="module")
def emodb_flac():
    folder = shared_path("speech", "emodb")
    return [str(folder / n) for n in ("03a01Fa.flac", "03a01Nc.flac", "03a01Wa.flac")]


def test_workers_resampling_flac_are_recorded(tmp_path, emodb_flac):
    """-j 2: the rows are computed (decoded by dr_flac, resampled 16 kHz -> 8 kHz by soxr) in
    worker processes; the run's own process loaded neither."""
    soxr = pytest.importorskip("soxr")
    out = tmp_path / "out.parquet"
    proc, loaded = emofeat_program(
        ["extract", "--set", "mfcc", "--param", "sr=8000", "-j", "2", "-q", "-o", str(out),
         *emodb_flac], "json.dumps(sorted(m for m in ('mne', 'soxr') if m in sys.modules))")
    assert proc.returncode == EXIT_OK, proc.stderr
    assert json.loads(loaded) == [], "the run's process imported " + loaded
    env = _environment(out)
    assert env["soxr"] == soxr.__version__
    assert env["miniaudio"] == importlib.metadata.version("miniaudio")
    assert env["pyarrow"] == pyarrow.__version__
    assert "mne" not in env and "libsndfile" not in env, env
    assert env["numba"] and env["numpy"] == np.__version__


def test_info_shows_the_libraries(tmp_path, emodb_flac, capsys):
    soxr = pytest.importorskip("soxr")
    out = tmp_path / "out.parquet"
    assert main(["extract", "--set", "mfcc", "--param", "sr=8000", "-q", "-o", str(out),
                 *emodb_flac[:1]]) == EXIT_OK
    capsys.readouterr()
    assert main(["info", str(out)]) == EXIT_OK
    shown = [line for line in capsys.readouterr().out.splitlines() if line.startswith("with ")]
    assert len(shown) == 1, shown
    assert f"soxr {soxr.__version__}" in shown[0] and f"NumPy {np.__version__}" in shown[0]


def test_a_rerun_with_nothing_to_do_keeps_the_libraries(tmp_path, emodb_flac):
    """A dataset folder rerun: the rerun resamples nothing (soxr not even imported), and the
    rows it keeps were resampled by soxr."""
    soxr = pytest.importorskip("soxr")
    out = tmp_path / "feats"
    argv = ["extract", "--set", "mfcc", "--param", "sr=8000", "-q", "-o", str(out),
            *emodb_flac[:2]]
    assert main(argv) == EXIT_OK
    assert _environment(out / "_common_metadata")["soxr"] == soxr.__version__
    proc, loaded = emofeat_program(argv, "'soxr' in sys.modules")
    assert proc.returncode == EXIT_OK, proc.stderr
    assert loaded == "False"  # nothing resampled by the rerun
    assert _environment(out / "_common_metadata").get("soxr") == soxr.__version__


def test_unresampled_flac_names_no_soxr(tmp_path, emodb_flac):
    out = tmp_path / "out.parquet"
    proc, _ = emofeat_program(["extract", "--set", "mfcc", "-q", "-o", str(out),
                               *emodb_flac[:1]], "0")
    assert proc.returncode == EXIT_OK, proc.stderr
    env = _environment(out)
    assert "soxr" not in env and "mne" not in env, env
    assert env["miniaudio"] == importlib.metadata.version("miniaudio")


def test_wav_records_libsndfile(tmp_path, emodb_flac):
    """A WAV file (EmoDB's first recording, written as 16-bit WAV) is decoded by libsndfile."""
    sf = pytest.importorskip("soundfile")
    y, rate = sf.read(emodb_flac[0], dtype="int16")
    wav = tmp_path / "a.wav"
    sf.write(wav, y, rate, subtype="PCM_16")
    out = tmp_path / "out.parquet"
    assert main(["extract", "--set", "mfcc", "-q", "-o", str(out), str(wav)]) == EXIT_OK
    assert _environment(out)["libsndfile"] == sf.__libsndfile_version__


def test_eeg_files_record_mne(tmp_path):
    mne = pytest.importorskip("mne")
    edf = shared_path("eeg", "mne_testdata", "test.edf")
    out = tmp_path / "out.parquet"
    assert main(["extract", "--set", "eeg_stats", "-q", "-o", str(out), str(edf)]) == EXIT_OK
    env = _environment(out)
    assert env["mne"] == mne.__version__
    assert "soxr" not in env and "miniaudio" not in env, env
