"""The librosa set at 48 kHz with 12 spectral-contrast bands: the refusal offers values it takes.

The bands ``[contrast_fmin 2**(k-1), contrast_fmin 2**k]`` must start below Nyquist (librosa's
``spectral_contrast`` raises "Frequency band exceeds Nyquist") and each hold an FFT bin
(librosa's fails with an IndexError). At 48 kHz with ``n_fft=2048`` and 12 bands the first
needs ``contrast_fmin < 24000 / 2**11 = 11.72 Hz``, the second ``2 contrast_fmin >= 23.44 Hz``
(the first bin above 0): no value passes both. The refusal said "lower n_bands to 7 or
contrast_fmin to 11.71 Hz or lower", and 11.71 was then refused ("band 1 (11.71-23.42 Hz)
holds no FFT bin"). Now it names the n_fft that the contrast_fmin needs ("contrast_fmin to
5.86-11.71 Hz with n_fft raised to 8192"), and every value offered is taken. Both ends of the
range give librosa's spectral contrast on EmoDB speech resampled to 48 kHz (float64, rtol
1e-5 plus 1e-7 of the band's largest value: the librosa set's float64 tolerance), and
librosa itself refuses 11.71 Hz at ``n_fft=2048``, as the set does.

The range's bottom is the first FFT bin, which band 0 (``[0, contrast_fmin]``) must hold
besides DC: each band's peak and valley leave out its top bin, so librosa's band 0 of the
DC bin alone is empty (NaN). The set took such a ``contrast_fmin`` and gave that band a
constant 192 dB (EmoDB at 16 kHz, ``contrast_fmin=5`` below the 7.8 Hz bin): now refused.
"""

from __future__ import annotations

import re

import numpy as np
import pytest
from emofeat.extractors.librosa_set import LibrosaFeatures

from emofeat.audio import load_audio

librosa = pytest.importorskip("librosa")
SR = 48000


def _offers(message: str) -> list[dict]:
    """The parameter sets the refusal's remedy names, each a dict of parameters."""
    remedy = message.partition("; lower ")[2]
    assert remedy, message
    out = []
    for offer in remedy.split(" or "):
        params: dict = {}
        if m := re.search(r"n_bands to (\d+)", offer):
            params["n_bands"] = int(m[1])
        if m := re.search(r"contrast_fmin to ([\d.]+)-([\d.]+) Hz", offer):
            params["contrast_fmin"] = (float(m[1]), float(m[2]))
        if m := re.search(r"n_fft raised to (\d+)", offer):
            params["n_fft"] = int(m[1])
        assert params, offer
        out.append(params)
    return out


def test_every_offer_at_48_khz_with_12_bands_is_taken():
    with pytest.raises(ValueError, match=r"exceed Nyquist.*; lower n_bands to 7 or "
                       r"contrast_fmin to 5\.86-11\.71 Hz with n_fft raised to 8192 ") as err:
        LibrosaFeatures(sr=SR, n_bands=12).fit()
    offers = _offers(str(err.value))
    assert len(offers) == 2
    for offer in offers:
        fmins = offer.pop("contrast_fmin", (200.0,))
        for fmin in fmins:
            LibrosaFeatures(**{"sr": SR, "n_bands": 12, "contrast_fmin": fmin, **offer}).fit()


@pytest.mark.parametrize("sr,n_bands,n_fft", [(SR, 13, 2048), (16000, 8, 256)])
def test_offers_hold_elsewhere(sr, n_bands, n_fft):
    """48 kHz with 13 bands needs n_fft 16384; 16 kHz with 8 bands and n_fft=256 (bins 62.5
    Hz apart) was offered "contrast_fmin to 62.49 Hz or lower", below the first bin."""
    kw = dict(sr=sr, n_bands=n_bands, n_fft=n_fft, contrast_fmin=200.0)
    with pytest.raises(ValueError, match="exceed Nyquist") as err:
        LibrosaFeatures(**kw).fit()
    for offer in _offers(str(err.value)):
        for fmin in offer.pop("contrast_fmin", (kw["contrast_fmin"],)):
            LibrosaFeatures(**{**kw, "contrast_fmin": fmin, **offer}).fit()


def test_the_offered_range_matches_librosa_on_emodb(emodb_dir):
    path = sorted(emodb_dir.glob("*.flac"))[100]
    y = load_audio(str(path), SR).y.astype(np.float64)
    with pytest.raises(IndexError):  # librosa refuses the old offer at n_fft=2048 too
        librosa.feature.spectral_contrast(y=y, sr=SR, n_fft=2048, n_bands=12, fmin=11.71)
    for fmin in (5.86, 11.71):
        ext = LibrosaFeatures(sr=SR, n_fft=8192, n_bands=12, contrast_fmin=fmin,
                              precision="float64", tuning=0.0, deltas=0, level="lld")
        ours, _ = ext.compute_lld((y, SR))
        names = ext.descriptor_names()
        cols = [names.index(f"librosa_spectral_contrast_{k}") for k in range(13)]
        S = np.abs(librosa.stft(y, n_fft=8192, hop_length=512))
        ref = librosa.feature.spectral_contrast(S=S, sr=SR, n_fft=8192, n_bands=12,
                                                fmin=fmin).T
        assert ours[:, cols].shape == ref.shape
        bound = 1e-5 * np.abs(ref) + 1e-7 * np.abs(ref).max(axis=0)
        assert np.all(np.abs(ours[:, cols] - ref) <= bound), (
            fmin, np.abs(ours[:, cols] - ref).max())


def test_band_0_of_the_dc_bin_alone_is_refused(emodb_dir):
    """16 kHz, n_fft=2048: bins 7.8125 Hz apart. contrast_fmin=5 leaves band 0 the DC bin
    alone: librosa's contrast is NaN (every band, in every frame); the set gave 192 dB."""
    path = sorted(emodb_dir.glob("*.flac"))[100]
    y = load_audio(str(path), 16000).y.astype(np.float64)
    with np.errstate(all="ignore"), pytest.warns(RuntimeWarning):
        ref = librosa.feature.spectral_contrast(y=y, sr=16000, fmin=5.0)
    assert np.isnan(ref).all()  # band 0's NaN reaches every band through power_to_db's max
    with pytest.raises(ValueError, match=r"band 0 \(0-5 Hz\) holds no FFT bin but DC: .*"
                       r"raise n_fft to 4096 or contrast_fmin to 7.82-249.99 Hz$"):
        LibrosaFeatures(contrast_fmin=5.0).fit()
    # from the first bin up, band 0 holds DC and that bin: librosa's numbers (band 0's
    # contrast 0, its top bin left out)
    ext = LibrosaFeatures(contrast_fmin=7.8125, precision="float64", tuning=0.0, deltas=0,
                          level="lld")
    ours, _ = ext.compute_lld((y, 16000))
    cols = [ext.descriptor_names().index(f"librosa_spectral_contrast_{k}") for k in range(7)]
    ref = librosa.feature.spectral_contrast(y=y, sr=16000, fmin=7.8125).T
    bound = 1e-5 * np.abs(ref) + 1e-7 * np.abs(ref).max(axis=0)
    assert np.all(np.abs(ours[:, cols] - ref) <= bound)
