"""An interrupted output names the libraries its rows were decoded and resampled with.

Until session 55 the libraries of a run (emofeat._libraries) were recorded only when the run
finished (``_common_metadata``, the file's metadata): a dataset folder interrupted by Ctrl-C
showed none in ``emofeat info`` (Python, NumPy, SciPy and Numba alone), and a resumed run
whose own inputs needed other libraries recorded only those (16 kHz FLAC decoded by dr_flac
after 48 kHz WAV files decoded by libsndfile and resampled by soxr: 'miniaudio' alone,
where the uninterrupted run records all three). Each part now records the libraries its
shard used. Real data: EmoDB recordings, four written as 48 kHz WAV, four 16 kHz FLAC.
Exact comparisons of names and versions (no tolerance).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap

import pyarrow.parquet as pq
import pytest
import soundfile as sf
from test_batch_hunt import LOGGED_DRIVER, LOGGED_SET
from test_cli_interrupt49 import _interrupted

from emofeat.audio import _dr_flac

pytestmark = [
    pytest.mark.skipif(not sys.platform.startswith("linux"), reason="signals: Linux"),
    pytest.mark.skipif(_dr_flac() is None, reason="miniaudio (dr_flac) is not installed: "
                       "FLAC goes to libsndfile"),
]

WATCHED = ("miniaudio", "libsndfile", "soxr", "pyarrow")


@pytest.fixture
def mixed(tmp_path, emodb_dir) -> list[str]:
    """Four EmoDB recordings as 48 kHz 16-bit WAV (first in input order), four as FLAC."""
    import soxr

    flacs = sorted(emodb_dir.glob("*.flac"))[:8]
    folder = tmp_path / "corpus"
    folder.mkdir()
    out = []
    for i, f in enumerate(flacs[:4]):
        y, sr = sf.read(f, dtype="float32")
        path = folder / f"{i}_{f.stem}.wav"
        sf.write(path, soxr.resample(y, sr, 48000), 48000, subtype="PCM_16")
        out.append(str(path))
    return out + [str(f) for f in flacs[4:]]


def _libraries(schema_file) -> dict:
    env = json.loads(pq.read_schema(schema_file).metadata[b"emofeat"])["provenance"][
        "environment"]
    return {k: v for k, v in env.items() if k in WATCHED}


def _finish(tmp_path, files, out) -> None:
    """The same command as _interrupted's, run to its end."""
    (tmp_path / "loggedset.py").write_text(textwrap.dedent(LOGGED_SET))
    (tmp_path / "driver.py").write_text(textwrap.dedent(LOGGED_DRIVER))
    path = os.pathsep.join(p for p in (str(tmp_path), os.environ.get("PYTHONPATH")) if p)
    env = dict(os.environ, PYTHONPATH=path, LOGGED_SET_LOG=str(tmp_path / "log2"))
    proc = subprocess.run(
        [sys.executable, str(tmp_path / "driver.py"), "extract", *files, "-o", str(out),
         "--set", "logged_mfcc", "--chunk-size", "2", "-q"],
        env=env, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr


@pytest.mark.parametrize("output", ["ds", "f.parquet"])
def test_interrupted_then_resumed_names_the_libraries_of_every_row(tmp_path, mixed, output,
                                                                   capsys):
    import pyarrow
    import soxr

    from emofeat.cli import main

    # what an uninterrupted run records: the WAVs decoded by libsndfile and resampled by
    # soxr, the FLAC files decoded by dr_flac (miniaudio), the output written by pyarrow
    ref = {"libsndfile": sf.__libsndfile_version__, "soxr": soxr.__version__,
           "pyarrow": pyarrow.__version__}
    out = tmp_path / output
    _interrupted(tmp_path, mixed, out)  # two parts (the four WAVs) written, the third begun
    if output == "ds":  # a dataset folder is read as it is; emofeat info shows its libraries
        assert main(["info", str(out)]) == 0
        shown = capsys.readouterr().out
        line = next(ln for ln in shown.splitlines() if ln.startswith("with "))
        for name, label in (("libsndfile", "libsndfile"), ("soxr", "soxr")):
            assert f"{label} {ref[name]}" in line, line
    _finish(tmp_path, mixed, out)  # the resumed run decodes FLAC only
    got = _libraries(out / "_common_metadata" if output == "ds" else out)
    assert set(got) == {*ref, "miniaudio"} and ref.items() <= got.items(), got
