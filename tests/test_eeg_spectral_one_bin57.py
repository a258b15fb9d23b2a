"""eeg_spectral needs two frequency bins in its range (session 57).

With one bin in ``[fmin, fmax]`` the normalised spectrum is that bin alone: its Shannon
entropy is 0, its normalised entropy ``0 / log2(1)`` undefined, and every spectral edge that
bin's frequency, whatever the signal. The set gave entropy -0.0 and edges at the bin for
every such input (a narrow range, ``fmin=10, fmax=10.5`` with 1 s segments; 2 to 11 samples
at 256 Hz with the default 1-45 Hz range). It is refused now, as a range without a bin
and an ``fmin`` at Nyquist (one bin, that of Nyquist) were: an ``InputError`` where the
segment is at fault, ``TooShortError`` where a longer input gives two bins; the pure
function's normalised entropy of one bin is NaN, its entropy +0.0.

The reference where the set computes: MNE's ``psd_array_welch`` with the set's segments and
the Shannon entropy of ``scipy.stats.entropy`` (base 2) over the range's bins, divided by
``log2`` of their number.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from conftest import shared_path
from emofeat.extractors import eeg as E
from emofeat.extractors.eeg_sets import EEGSpectral
from scipy import stats

from emofeat.errors import InputError, TooShortError

NAMES = ("TP9", "AF7", "AF8", "TP10")
SF = 256.0
#: float64 Welch PSDs of the same samples and an entropy of a few bins (seen 1e-15)
RTOL = 1e-9


@pytest.fixture(scope="module")
def muse() -> np.ndarray:
    path = shared_path("eeg", "muse_mental_state", "subjecta-relaxed-1.csv")
    return np.ascontiguousarray(pd.read_csv(path, usecols=list(NAMES), nrows=4096)
                                .to_numpy(float).T)


def reference_entropy(x: np.ndarray, n_seg: int, lo: float, hi: float) -> np.ndarray:
    mne = pytest.importorskip("mne")
    psd, f = mne.time_frequency.psd_array_welch(
        x, SF, fmin=0, fmax=np.inf, n_fft=n_seg, n_per_seg=n_seg, n_overlap=n_seg // 2,
        verbose="error")
    keep = (f >= lo) & (f <= hi)
    assert keep.sum() >= 2
    return stats.entropy(psd[:, keep], base=2, axis=1) / np.log2(keep.sum())


def test_a_range_holding_one_bin_with_the_segments_is_refused(muse):
    ext = EEGSpectral(fmin=10.0, fmax=10.5, sfreq=SF, ch_names=NAMES)
    with pytest.raises(InputError, match=r"<array 0>: Welch segments of 256 samples \(1 s\) "
                       r"at 256 Hz: bins 1 Hz apart leave one \(10 Hz\) in the range "
                       r"\(10-10.5 Hz\)") as exc:
        ext.fit_transform([(muse[:, :2048], SF, NAMES)])
    assert not isinstance(exc.value, TooShortError)   # no longer input mends it
    # the file itself, at the rate read from its stamps (256.012 Hz): the 1 Hz range 10-11
    # Hz holds one of its 1.00005 Hz bins (10.0005 Hz), 11.0005 Hz is out
    alpha = EEGSpectral(fmin=10.0, fmax=11.0)
    rec = alpha.read(str(shared_path("eeg", "muse_mental_state", "subjecta-relaxed-1.csv")))[0]
    assert 256.0 < rec.sfreq < 256.1
    with pytest.raises(InputError, match=r"leave one \(10 Hz\) in the range \(10-11 Hz\)"):
        alpha.fit_transform([rec])
    # 4 s segments: bins 0.25 Hz apart, three in the range
    ext = EEGSpectral(fmin=10.0, fmax=10.5, segment=4.0, sfreq=SF, ch_names=NAMES)
    entropy = ext.fit_transform([(muse, SF, NAMES)])[0][:4]
    np.testing.assert_allclose(entropy, reference_entropy(muse, 1024, 10.0, 10.5),
                               rtol=RTOL, atol=0)


def test_an_input_too_short_for_two_bins_of_the_default_range_is_refused(muse):
    ext = EEGSpectral(sfreq=SF, ch_names=NAMES).fit()
    assert ext.min_samples() == 12   # bins 21.3 Hz apart: 21.3 and 42.7 Hz in 1-45 Hz
    for a in (0, 1000, 3000):
        with pytest.raises(TooShortError, match=r"11 samples .* leave one \(23.27 Hz\) in the "
                           r"range \(1-45 Hz\).* 12 samples \(0.0469 s\) or more"):
            ext.transform([(muse[:, a:a + 11], SF, NAMES)])
        x = muse[:, a:a + 12]
        entropy = ext.transform([(x, SF, NAMES)])[0][:4]
        np.testing.assert_allclose(entropy, reference_entropy(x, 12, 1.0, 45.0),
                                   rtol=RTOL, atol=0)
    # explicit windows of one recording: the 11-sample one NaN (with a warning), not 0
    sig = ext.read((muse, SF, NAMES))[0]
    with pytest.warns(UserWarning, match=r"1 window from 4.000 s on gives NaN features"):
        rows = ext.features_of_windows(sig, [(0, 1024), (1024, 1035)])
    assert np.isfinite(rows[0]).all() and np.isnan(rows[1]).all()


def test_the_normalised_entropy_of_one_bin_is_undefined(muse):
    """The pure function: entropy of one bin +0.0 (the sum gave -0.0), normalised NaN (0 /
    log2(1); it gave the unnormalised 0)."""
    psd, freqs = E.welch_psd(muse[:, :2048], SF, n_fft=256)
    h = E.spectral_entropy(psd, freqs, fmin=10.0, fmax=10.5)
    assert (h == 0).all() and not np.signbit(h).any()
    assert np.isnan(E.spectral_entropy(psd, freqs, fmin=10.0, fmax=10.5, normalize=True)).all()
    # two bins: the definition's value, as before
    two = E.spectral_entropy(psd, freqs, fmin=10.0, fmax=11.0, normalize=True)
    q = psd[:, 10:12] / psd[:, 10:12].sum(axis=1, keepdims=True)
    np.testing.assert_allclose(two, -(q * np.log2(q)).sum(axis=1), rtol=1e-12, atol=0)
