"""emofeat works offline: decoding and extraction open no network connection.

miniaudio (the fast FLAC decoder's package) imports ``urllib``, ``http.client`` and ``ssl``
for its internet-radio streaming functions; emofeat loads only its compiled module and never
that Python module. These tests make any connection or name lookup fail and run the decoders
and the ``emofeat`` program through it.
"""

import socket
import subprocess
import sys

import numpy as np
import pandas as pd
import pytest
import soundfile as sf

from emofeat import audio
from emofeat.errors import AudioReadError


def _refuse(*args, **kwargs):
    raise AssertionError(f"a network call was attempted: {args!r}")


@pytest.fixture
def no_network(monkeypatch):
    monkeypatch.setattr(socket.socket, "connect", _refuse)
    monkeypatch.setattr(socket.socket, "connect_ex", _refuse)
    monkeypatch.setattr(socket, "create_connection", _refuse)
    monkeypatch.setattr(socket, "getaddrinfo", _refuse)


def test_every_decoder_path_reads_local_files_offline(no_network, monkeypatch, tmp_path,
                                                      ravdess_files):
    """dr_flac through miniaudio's compiled module and libsndfile (where that module is
    missing or of another layout) give the same samples with the network refused; a URL is a
    file that does not exist, never a download."""
    flac = str(ravdess_files[0])
    fast = audio.load_audio(flac).y
    monkeypatch.setattr(audio, "_dr_flac", lambda: None)  # no compiled module: libsndfile
    assert audio._read_flac_fast(flac) is None
    np.testing.assert_array_equal(audio.load_audio(flac).y, fast)
    wav = tmp_path / "x.wav"
    sf.write(wav, sf.read(flac, dtype="float32")[0], 16000, subtype="FLOAT")
    np.testing.assert_array_equal(audio.load_audio(wav).y, fast)  # libsndfile
    with pytest.raises(AudioReadError, match="no such file"):
        audio.load_audio("https://example.org/speech.flac")


OFFLINE_PROGRAM = """
import socket, sys

def refuse(*args, **kwargs):
    raise AssertionError("a network call was attempted: %r" % (args,))

socket.socket.connect = socket.socket.connect_ex = refuse
socket.create_connection = socket.getaddrinfo = refuse
sys.argv = ["emofeat", *sys.argv[1:]]
from emofeat.cli import console_main
console_main()
"""


def test_the_program_extracts_offline(tmp_path, ravdess_files):
    """The ``emofeat`` program (its own start-up path) extracts with every connection
    refused; a URL in the manifest is recorded as a failed input, the rest done."""
    manifest = tmp_path / "files.csv"
    pd.DataFrame({"path": [str(ravdess_files[0]), str(ravdess_files[1]),
                           "https://example.org/speech.flac"]}).to_csv(manifest, index=False)
    out = tmp_path / "out.parquet"
    res = subprocess.run([sys.executable, "-c", OFFLINE_PROGRAM, "extract", str(manifest),
                          "--set", "mfcc", "-o", str(out), "-q"],
                         capture_output=True, text=True)
    assert res.returncode == 3, res.stderr  # some inputs failed, the rest written
    assert "network call" not in res.stderr
    from emofeat.table import FeatureTable

    assert len(FeatureTable.read_parquet(out)) == 2
    errors = pd.read_csv(tmp_path / "out.errors.csv")
    assert len(errors) == 1 and errors["path"].iat[0].endswith("example.org/speech.flac")
    # named as a URL, not as a path joined to the manifest's folder (185c335)
    assert errors["message"].iat[0].startswith("no such file (a URL: emofeat reads files on "
                                               "disk")
