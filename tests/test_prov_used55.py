"""The provenance names the libraries a run CALLED, not those its process had loaded.

Until session 55 a run's ``environment`` named miniaudio, libsndfile and soxr where the
process had them loaded (emofeat._libraries, a588085): in a notebook or a test process a
run that decoded 16 kHz FLAC only (dr_flac, nothing resampled) named libsndfile and soxr
because an earlier run, which read a 48 kHz WAV, had loaded them, and that WAV run named
miniaudio, which an earlier FLAC read had loaded. The decode and resample call sites now
count their calls, and a shard names what was called while it ran, in whichever process
ran it. Real data: EmoDB recordings (16 kHz FLAC), one of them written as a 48 kHz WAV.
Exact comparisons of library names and versions (no tolerance: names either are or are not
recorded).
"""

from __future__ import annotations

import json

import numpy as np
import pyarrow.parquet as pq
import pytest
import soundfile as sf
from conftest import emofeat_program

from emofeat.audio import _dr_flac
from emofeat.registry import get_extractor
from emofeat.runner import run

COUNTED = ("miniaudio", "libsndfile", "soxr")
FILES = ("03a01Fa.flac", "03a01Nc.flac")

needs_dr_flac = pytest.mark.skipif(_dr_flac() is None, reason="miniaudio (dr_flac) is not "
                                   "installed: FLAC goes to libsndfile")


def _counted(environment: dict) -> dict:
    return {k: v for k, v in environment.items() if k in COUNTED}


def _wav48(emodb_dir, tmp_path):
    """EmoDB 03a01Fa as a 48 kHz 16-bit WAV (a file the run must resample to 16 kHz)."""
    import soxr

    y, sr = sf.read(emodb_dir / FILES[0], dtype="float32")
    path = tmp_path / "a48.wav"
    sf.write(path, soxr.resample(y, sr, 48000), 48000, subtype="PCM_16")
    return path


@needs_dr_flac
@pytest.mark.parametrize("n_jobs", [1, 2])
def test_a_flac_run_after_a_resampled_wav_run_names_only_its_decoder(
        tmp_path, emodb_dir, n_jobs):
    mfcc = get_extractor("mfcc")
    a = run([str(_wav48(emodb_dir, tmp_path))], [mfcc], n_jobs=n_jobs)
    assert a.table.shape[0] == 1
    got_a = _counted(a.table.provenance["environment"])
    assert set(got_a) == {"libsndfile", "soxr"}, got_a
    assert got_a["libsndfile"] == sf.__libsndfile_version__
    b = run([str(emodb_dir / f) for f in FILES], [mfcc], n_jobs=n_jobs)
    assert b.table.shape[0] == 2
    got_b = _counted(b.table.provenance["environment"])
    assert set(got_b) == {"miniaudio"}, got_b  # neither soxr nor libsndfile: not called
    # an in-memory table was written by no pyarrow
    assert "pyarrow" not in b.table.provenance["environment"]


def test_segments_of_a_flac_name_libsndfile_not_soxr(tmp_path, emodb_dir):
    """Segments are read with libsndfile (a seek), at the file's own rate: no soxr, even
    after a run that resampled (in this process)."""
    import pandas as pd

    mfcc = get_extractor("mfcc")
    run([str(_wav48(emodb_dir, tmp_path))], [mfcc])
    manifest = pd.DataFrame({"path": [str(emodb_dir / FILES[0])] * 2,
                             "start": [0.0, 1.0], "end": [1.0, 2.0]})
    got = run(manifest, [mfcc])
    assert got.table.shape[0] == 2
    assert set(_counted(got.table.provenance["environment"])) == {"libsndfile"}


@needs_dr_flac
def test_the_commands_provenance_is_the_apis_for_the_same_run(tmp_path, emodb_dir):
    """In this process, after a run that resampled a WAV, the API's run of two FLAC files to
    a parquet file records the environment the command (a fresh process) records."""
    mfcc = get_extractor("mfcc")
    run([str(_wav48(emodb_dir, tmp_path))], [mfcc])
    paths = [str(emodb_dir / f) for f in FILES]
    api = tmp_path / "api.parquet"
    run(paths, [mfcc], output=api)
    cli = tmp_path / "cli.parquet"
    proc, _ = emofeat_program(["extract", "--set", "mfcc", *paths, "-o", str(cli), "-q"], "0")
    assert proc.returncode == 0, proc.stderr
    envs = [json.loads(pq.read_schema(p).metadata[b"emofeat"])["provenance"]["environment"]
            for p in (api, cli)]
    assert envs[0] == envs[1], envs
    assert set(_counted(envs[0])) == {"miniaudio"} and "pyarrow" in envs[0], envs[0]
    np.testing.assert_array_equal(pq.read_table(api).column("mfcc1_mean").to_numpy(),
                                  pq.read_table(cli).column("mfcc1_mean").to_numpy())
