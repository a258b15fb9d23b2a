"""Rows of an interrupted run beside a finished run's, in one dataset folder, name their
libraries (review RC of 5f0d7af, helper C3, session 55).

A dataset folder finished with two 16 kHz FLAC files (decoded by dr_flac) then given a run of
four 48 kHz WAV files more (libsndfile, resampled by soxr), interrupted after two of its parts:
``read_dataset`` (and ``emofeat info``) read all six inputs' rows but named only miniaudio and
pyarrow, the finished run's ``_common_metadata``'s, because the parts' own libraries were merged
only into a folder without ``_common_metadata``. Real data: EmoDB recordings (the fixture of
test_batch_interrupted_libraries55). Exact comparison of the versions (no tolerance).
"""

from __future__ import annotations

import json

import pytest
import soundfile as sf
from test_batch_interrupted_libraries55 import _finish, mixed, pytestmark  # noqa: F401
from test_cli_interrupt49 import _interrupted


def test_rows_of_an_interrupted_run_beside_a_finished_runs_name_their_libraries(
        tmp_path, mixed):  # noqa: F811
    import soxr

    from emofeat.store import read_dataset

    out = tmp_path / "ds"
    _finish(tmp_path, mixed[6:], out)  # finished: two FLAC files, miniaudio
    _interrupted(tmp_path, mixed, out)  # the four WAVs' two parts written, the third begun
    with pytest.warns(UserWarning, match="4 of its 6 rows"):  # said, as before
        table = read_dataset(out)
    assert table.num_rows > 2  # the interrupted run's rows are read with the finished run's
    env = json.loads(table.schema.metadata[b"emofeat"])["provenance"]["environment"]
    assert env.get("libsndfile") == sf.__libsndfile_version__, env
    assert env.get("soxr") == soxr.__version__, env
    assert "miniaudio" in env, env
