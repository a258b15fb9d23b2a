"""Mel filterbanks, windows and DCT against librosa and scipy (tolerance 1e-6 relative)."""

import warnings

import numpy as np
import pytest
import scipy.fft
import scipy.signal
from emofeat.extractors.filters import (
    analysis_window,
    dct_matrix,
    hz_to_mel,
    mel_filterbank,
    mel_to_hz,
)

librosa = pytest.importorskip("librosa")


@pytest.mark.parametrize("sr,n_fft,n_mels,fmin,fmax,htk,norm", [
    (16000, 400, 40, 0.0, None, False, "slaney"),
    (16000, 512, 26, 20.0, 8000.0, True, None),
    (22050, 2048, 128, 0.0, None, False, "slaney"),
    (8000, 256, 23, 100.0, 3800.0, False, None),
    (44100, 1024, 64, 30.0, 16000.0, True, "slaney"),
    # fmax above sr / 2: laid out up to fmax, cut at sr / 2 (the last two leave filters empty)
    (16000, 400, 40, 0.0, 9000.0, False, "slaney"),
    (16000, 512, 26, 20.0, 16000.0, True, None),
    (8000, 400, 40, 0.0, 8000.0, False, "slaney"),
])
def test_mel_filterbank_matches_librosa(sr, n_fft, n_mels, fmin, fmax, htk, norm):
    ours = mel_filterbank(sr, n_fft, n_mels, fmin, fmax, htk, norm)
    with warnings.catch_warnings():  # librosa: "Empty filters detected"
        warnings.simplefilter("ignore", UserWarning)
        ref = librosa.filters.mel(sr=sr, n_fft=n_fft, n_mels=n_mels, fmin=fmin, fmax=fmax,
                                  htk=htk, norm=norm, dtype=np.float64)
    np.testing.assert_allclose(ours, ref, rtol=1e-6, atol=1e-12)


def test_mel_scales_match_librosa_and_invert():
    f = np.array([0.0, 100.0, 999.0, 1000.0, 4000.0, 8000.0])
    for htk in (False, True):
        np.testing.assert_allclose(hz_to_mel(f, htk), librosa.hz_to_mel(f, htk=htk), rtol=1e-9)
        np.testing.assert_allclose(mel_to_hz(hz_to_mel(f, htk), htk), f, atol=1e-9)


def test_window_is_centred_like_librosa():
    w = analysis_window("hann", 400, 512)
    ref = librosa.util.pad_center(scipy.signal.get_window("hann", 400, fftbins=True), size=512)
    np.testing.assert_array_equal(w, ref)


def test_dct_matrix_is_scipy_ortho_dct():
    x = np.random.default_rng(0).standard_normal(40)
    np.testing.assert_allclose(dct_matrix(13, 40) @ x,
                               scipy.fft.dct(x, type=2, norm="ortho")[:13], atol=1e-12)
    htk = dct_matrix(13, 40, "htk") @ x
    np.testing.assert_allclose(htk[1:], scipy.fft.dct(x, type=2, norm="ortho")[1:13], atol=1e-12)
    np.testing.assert_allclose(htk[0], np.sqrt(2 / 40) * x.sum())


def test_bad_band_edges_are_refused():
    for fmin, fmax in ((0.0, float("inf")), (0.0, float("nan")), (500.0, 400.0), (-1.0, 400.0)):
        with pytest.raises(ValueError, match="fmax"):
            mel_filterbank(16000, 400, 40, fmin, fmax)
