"""The EEG length checks count the bins of the PSD they check, bit for bit (session 57).

The Welch PSD's bins are ``arange(n_fft // 2 + 1) * (sfreq / n_fft)`` (MNE's
``psd_array_welch``); the checks of ``eeg_spectral`` (two bins in ``[fmin, fmax]``) and of
the band sets (a bin in every band) counted them with ``rfftfreq(n_fft, 1 / sfreq)``, which
differs by an ulp where ``n_fft / sfreq`` is inexact: at 1000 Hz bin 7 of 350 points is
20.0 Hz in the PSD, 19.999999999999996 Hz in ``rfftfreq``. So ``eeg_spectral`` with
``fmin=20, fmax=24`` refused 350 samples of MNE's test recording ("leave one (22.86 Hz)")
although its PSD holds two bins (20 and 22.86 Hz), and ``eeg_bands`` refused a band 10-11
Hz at 700 samples (its PSD has 10.0 Hz) and passed a band 9-10 Hz there (no bin: absolute
power 0 and -inf dB on every channel, silently).

The reference: MNE's ``psd_array_welch`` with the set's segment, and the definitions (the
Shannon entropy of ``scipy.stats.entropy`` over the range's bins divided by ``log2`` of their
number; the band power as the PSD summed over ``[lo, hi)`` times the bin width).
"""

from __future__ import annotations

import numpy as np
import pytest
from conftest import shared_path
from emofeat.extractors.eeg_sets import EEGBandPower, EEGSpectral
from scipy import stats

from emofeat.errors import TooShortError

#: float64 Welch PSDs of the same samples, an entropy or a sum of a few bins (seen 1e-15)
RTOL = 1e-9


@pytest.fixture(scope="module")
def vhdr():
    mne = pytest.importorskip("mne")
    raw = mne.io.read_raw_brainvision(shared_path("eeg", "mne_testdata", "test.vhdr"),
                                      preload=True, verbose="error")
    assert raw.info["sfreq"] == 1000.0
    return np.ascontiguousarray(raw.get_data()[:, :2000]), 1000.0, list(raw.ch_names)


def mne_welch(x: np.ndarray, sf: float, n: int):
    mne = pytest.importorskip("mne")
    return mne.time_frequency.psd_array_welch(x, sf, fmin=0, fmax=np.inf, n_fft=n,
                                              n_per_seg=n, n_overlap=n // 2, verbose="error")


def test_spectral_range_with_a_bin_on_fmin_is_analysed(vhdr):
    data, sf, names = vhdr
    x = data[:, :350]
    psd, f = mne_welch(x, sf, 350)
    keep = (f >= 20) & (f <= 24)
    assert keep.sum() == 2  # 20.0 and 22.86 Hz in the PSD
    ext = EEGSpectral(fmin=20, fmax=24, segment=2.0, sfreq=sf, ch_names=names)
    got = np.asarray(ext.fit_transform([(x, sf, names)]))[0]
    want = stats.entropy(psd[:, keep], base=2, axis=1) / np.log2(keep.sum())
    np.testing.assert_allclose(got[: len(names)], want, rtol=RTOL)


def test_spectral_refuses_exactly_where_the_psd_holds_one_bin(vhdr):
    # every length up to the 2 s segment, three ranges: refused iff MNE's PSD has < 2 bins
    data, sf, names = vhdr
    wrong = []
    for lo, hi in ((20.0, 24.0), (8.0, 13.0), (30.0, 31.0)):
        ext = EEGSpectral(fmin=lo, fmax=hi, segment=2.0, sfreq=sf, ch_names=names)
        for n in range(2, 2001):
            f = np.arange(n // 2 + 1, dtype=float) * (sf / n)  # psd_array_welch's bins
            two = int(((f >= lo) & (f <= hi)).sum()) >= 2
            refused = ext._length_problem(n, sf) is not None
            if two == refused:
                wrong.append((lo, hi, n))
    assert not wrong, f"{len(wrong)} lengths refused or passed against the PSD: {wrong[:5]}"


def test_band_sets_count_the_welch_psd_bins(vhdr):
    data, sf, names = vhdr
    x = data[:, :700]
    psd, f = mne_welch(x, sf, 700)
    df = f[1] - f[0]
    inside = (f >= 10) & (f < 11)
    assert inside.sum() == 1  # 10.0 Hz
    ext = EEGBandPower(bands={"a": (10.0, 11.0)}, kinds=("abs",), segment=2.0, sfreq=sf,
                       ch_names=names)
    got = np.asarray(ext.fit_transform([(x, sf, names)]))[0]
    np.testing.assert_allclose(got, psd[:, inside].sum(-1) * df, rtol=RTOL)
    # 9-10 Hz holds no bin of that PSD (8.57 Hz, then 10.0): refused, not 0 and -inf dB
    assert not ((f >= 9) & (f < 10)).any()
    ext = EEGBandPower(bands={"a": (9.0, 10.0)}, kinds=("abs", "db"), segment=2.0, sfreq=sf,
                       ch_names=names)
    with pytest.raises(TooShortError, match=r"band a \(9-10 Hz\) without one"):
        ext.fit_transform([(x, sf, names)])
