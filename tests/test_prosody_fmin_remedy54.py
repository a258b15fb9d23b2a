"""``fmin`` too low for the frame: the error gives the way out, which then works.

A default ``frame_length`` of 1024 samples at a file's own 48 kHz holds no whole period of
40 Hz plus one sample (1,200 samples): the ``prosody`` set refused ``fmin=40`` with
"fmin=40 is too low for frame_length=1024 at 48000 Hz", naming no way out, where
``librosa.pyin`` says which ``fmin`` or ``frame_length`` would do. Now the error names both
(``frame_length`` 1202 or ``fmin`` 46.93 Hz), and each, typed back as printed, is taken and
analyses EmoDB speech resampled to 48 kHz. The "less than two periods" warning's
``frame_length`` takes the floor of the true ratio: at ``fmin`` 8000 / 106 Hz it offered 212,
which still warned (``sr // fmin`` is 105 where ``sr / fmin`` is 106 in floating point; 10,716
of 24,500 such ratios at 8-48 kHz).
"""

from __future__ import annotations

import re

import numpy as np
import pytest
from emofeat.extractors.prosody import Prosody


@pytest.fixture(scope="module")
def path(emodb_dir):
    return str(sorted(emodb_dir.glob("*.flac"))[0])


def test_the_error_names_a_frame_length_and_an_fmin_that_work(path):
    with pytest.raises(ValueError, match=r"fmin=40 Hz is too low for frame_length=1024 at "
                       r"48000 Hz: .*raise frame_length to (\d+) or fmin to ([\d.]+) Hz") as e:
        Prosody(sr=48000, fmin=40.0).fit_transform([path])
    got = re.search(r"frame_length to (\d+) or fmin to ([\d.]+) Hz", str(e.value))
    assert got[1] == "1202" and got[2] == "46.93"  # 48000 / 40 + 2; 48000 / 1023 rounded up
    for fixed in (dict(frame_length=int(got[1])), dict(fmin=float(got[2]))):
        with pytest.warns(UserWarning, match="less than two periods"):  # still < 2 periods
            row = Prosody(sr=48000, **{"fmin": 40.0, **fixed}).fit_transform([path])
        assert np.isfinite(row[0, 0])  # prosody_f0_hz_mean: voiced frames found


def test_the_boundary_remedy_is_enough():
    """sr / fmin a whole number in floating point (16000 / (16000 / 1023) = 1023): the
    frame_length offered must exceed it by two."""
    fmin = 16000 / 1023
    with pytest.raises(ValueError, match="raise frame_length to 1025 or fmin to 15.65 Hz"):
        Prosody(fmin=fmin).fit([])
    with pytest.warns(UserWarning, match="less than two periods"):
        Prosody(fmin=fmin, frame_length=1025).fit([])


def test_the_two_period_warnings_frame_length_silences_it():
    """The warning's frame_length, typed back, silences it; at 8000 / 106 Hz (sr / fmin = 106
    in floating point, sr // fmin = 105) it offered 212, which still warned."""
    import warnings

    fmin = 8000 / 106
    with pytest.warns(UserWarning, match=r"raise frame_length to (\d+) ") as told:
        Prosody(sr=8000, fmin=fmin, fmax=400.0, frame_length=200).fit([])
    offered = int(re.search(r"raise frame_length to (\d+) ", str(told[0].message))[1])
    assert offered == 214
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        Prosody(sr=8000, fmin=fmin, fmax=400.0, frame_length=offered).fit([])


def test_the_lag_bound_comes_first_and_its_fmin_is_taken():
    """YIN keeps at most 2**14 lags: fmin >= sr / 16384 (2.6917 Hz at 44.1 kHz). With a
    frame long enough for any period (2**17), fmin=0.3 was first refused for the frame,
    offered 0.34 Hz, then refused for the lags, offered 2.69 Hz, printed rounded down and
    refused again. Now the lag bound is said first, rounded up (2.7 Hz), and taken."""
    with pytest.raises(ValueError, match=r"fmin must be at least 2.7 Hz$"):
        Prosody(sr=44100, fmin=0.3, fmax=400.0, frame_length=2**17).fit([])
    Prosody(sr=44100, fmin=2.7, fmax=400.0, frame_length=2**17).fit([])


def test_no_fmin_is_offered_above_fmax(path):
    """A 256-sample frame at 192 kHz holds no period of 20 Hz; the fmin that would fit
    (192000 / 255 = 752.95 Hz) is above fmax (400 Hz), and was offered, then refused ("need
    0 < fmin < fmax"). Only frame_length is offered now, which given back analyses EmoDB
    speech (the first 0.5 s, resampled to 192 kHz by the set)."""
    with pytest.raises(ValueError, match=r"raise frame_length to (\d+)$") as e:
        Prosody(sr=192000, frame_length=256, fmin=20.0).fit([])
    assert "fmin to" not in str(e.value)
    length = int(re.search(r"frame_length to (\d+)$", str(e.value))[1])
    assert length == 9602  # 192000 / 20 + 2
    sf = pytest.importorskip("soundfile")
    y, sr = sf.read(path, dtype="float32", frames=8000)
    with pytest.warns(UserWarning, match="less than two periods"):
        row = Prosody(sr=192000, frame_length=length, hop_length=4800,
                      fmin=20.0).fit_transform([(y, sr)])
    assert row.shape[0] == 1 and np.isfinite(row[0, 0])
