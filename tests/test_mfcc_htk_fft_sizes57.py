"""``mfcc_htk`` at an FFT size HTK never takes runs in float64 (session 57).

HTK's FFT sizes are powers of two (HSigP), and ``MFCC.htk()`` sizes its FFT so; scipy's
float32 FFT of another size (a prime's Bluestein or generic passes) rounds worse: on 2 s of
a RAVDESS file, ``MFCC.htk(n_fft=401)`` in float32 was 2.4e-3 from the HTK book's formulas
(11 of 2,574 values beyond the HTK tests' atol 1e-3), where 512 points gave 8.8e-5. It is
scipy's single-precision FFT, not a limit of float32 frames: the same float32 frames through a
float64 FFT gave 5e-5 (NumPy's ``rfft`` of float32 input is that: computed in double, bit
for bit the float64 result cast). ``precision="auto"`` now resolves to float64 in the HTK
convention at a non-power-of-two ``n_fft`` (an output records it: another fingerprint
than the float32 such an output recorded before, so it is not resumed with other numbers),
and stays float32 at HTK's own sizes (since the mend of review RD, at every 2, 3, 5, 7,
11-smooth size, and in ``MFCCHTK`` alone: tests/test_mfcc_htk_precision57.py). Tolerance: the
HTK tests' rtol 1e-4, atol 1e-3.
"""

from __future__ import annotations

import numpy as np
import pytest
import soundfile as sf
from emofeat.extractors import MFCC
from test_mfcc import htk_reference

RTOL, ATOL = 1e-4, 1e-3


@pytest.fixture(scope="module")
def speech(ravdess_files):
    y, sr = sf.read(ravdess_files[1], dtype="float32")
    return y[: sr * 2], sr  # two seconds, as tests/test_mfcc_htk_passband56.py


def test_a_prime_fft_size_follows_the_htk_book(speech):
    y, sr = speech
    ext = MFCC.htk(level="lld", deltas=0, n_fft=401)
    got, _ = ext.compute_lld((y, sr))
    ref = htk_reference(y, sr, n_fft=401)
    assert got.shape == ref.shape
    np.testing.assert_allclose(got, ref, rtol=RTOL, atol=ATOL)


@pytest.mark.parametrize("kw,expected", [
    (dict(), "float32"), (dict(sr=8000), "float32"), (dict(n_fft=1024), "float32"),
    (dict(n_fft=401), "float64"), (dict(n_fft=400), "float32"), (dict(n_fft=403), "float64"),
    (dict(n_fft=401, precision="float32"), "float32"),
])
def test_auto_resolves_by_the_fft_size_and_is_recorded(kw, expected):
    ext = MFCC.htk(**kw)
    assert ext.frame_precision() == expected
    if kw.get("precision") is None:
        assert ext.resolved_params()["precision"] == expected
