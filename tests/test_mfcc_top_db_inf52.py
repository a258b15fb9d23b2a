"""``top_db=inf`` is no floor, as librosa reads it (leftover of session 51).

``librosa.power_to_db(S, top_db=inf)`` floors at ``S.max() - inf = -inf``: nothing, the
numbers of ``top_db=None``. The mfcc set refused it ("top_db must be a finite number >= 0
..."), from Python and from ``--param top_db=inf``. It now takes it with librosa's meaning:
coefficients equal to ``top_db=None``'s (exact, same code path), to librosa's within the
1e-3 of tests/test_mfcc.py, and one fingerprint, so either output resumes the other. Files:
EmoDB recordings zero-padded to 2 s (digital silence, where a floor would show) and a
RAVDESS one.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
import soundfile as sf
from emofeat.extractors import MFCC

from emofeat import read_table
from emofeat.cli import main

librosa = pytest.importorskip("librosa")

ATOL = 1e-3  # tests/test_mfcc.py's bound against librosa (float FFT differences)
# zero-padded at the end (1,610..8,963 samples of digital silence)
EMODB = ["03a01Fa.flac", "03a01Nc.flac", "03a02Nc.flac"]


def _librosa_mfcc(y, sr, top_db):
    mel = librosa.feature.melspectrogram(y=y, sr=sr, n_fft=400, hop_length=160, n_mels=40)
    return librosa.feature.mfcc(S=librosa.power_to_db(mel, top_db=top_db), n_mfcc=13).T


@pytest.fixture
def files(emodb_dir, ravdess_files) -> list:
    return [emodb_dir / n for n in EMODB] + [ravdess_files[0]]


def test_inf_is_no_floor_as_in_librosa(files):
    for path in files:
        y, sr = sf.read(path, dtype="float32")
        ref = _librosa_mfcc(y, sr, np.inf)
        # the reference's own meaning: inf and None are one (exact)
        np.testing.assert_array_equal(ref, _librosa_mfcc(y, sr, None))
        got, _ = MFCC(level="lld", deltas=0, top_db=np.inf).compute_lld(y)  # refused before
        none, _ = MFCC(level="lld", deltas=0, top_db=None).compute_lld(y)
        np.testing.assert_array_equal(got, none)  # exact: the same computation
        np.testing.assert_allclose(got, ref, rtol=0, atol=ATOL)
        floored, _ = MFCC(level="lld", deltas=0, top_db=80.0).compute_lld(y)
        assert np.abs(floored - got).max() > 1.0, path  # the floor matters on these files


def test_the_command_takes_inf_and_resumes_none(tmp_path, capsys, files):
    a, b = tmp_path / "inf.parquet", tmp_path / "none.parquet"
    paths = [str(f) for f in files]
    code = main(["extract", "-q", "--set", "mfcc", *paths, "-o", str(a), "--param", "top_db=inf"])
    assert code == 0, capsys.readouterr().err  # exit 2 before
    assert main(["extract", "-q", "--set", "mfcc", *paths, "-o", str(b),
                 "--param", "top_db=none"]) == 0
    ta, tb = pd.read_parquet(a), pd.read_parquet(b)
    names = [c for c in ta.columns if c.startswith("mfcc")]
    np.testing.assert_array_equal(ta[names].to_numpy(), tb[names].to_numpy())  # exact
    assert read_table(a).provenance["fingerprint"] == read_table(b).provenance["fingerprint"]
    capsys.readouterr()
    # the top_db=None output resumed with top_db=inf: up to date, not refused
    assert main(["extract", "-q", "--set", "mfcc", *paths, "-o", str(b),
                 "--param", "top_db=inf"]) == 0
    assert "up to date" in capsys.readouterr().err
