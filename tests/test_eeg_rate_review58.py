"""Review RC of 085de84 (session 58): the refusal of an absurd sampling rate blames the rate
only where the rate is at fault.

085de84 checks an ``sfreq`` parameter's rate while the set's parameters are checked, and
calls a ``MemoryError`` raised while a spectral set counts its bins "invalid sampling rate
... more than this memory holds". Two cases it got wrong, at an ordinary rate:

* ``EEGAsymmetry(method="filter", bands={"theta": ...}, sfreq=256)`` (kind ``faa``, no
  alpha band): a bare ``KeyError: 'alpha'`` where the tree before said ``kind 'faa' needs a
  band named 'alpha' in bands``;
* a multitaper ``eeg_bands`` counts the bins of a spectrum of the whole input: where that
  grid did not fit the memory (simulated here by a ``bin_freqs`` that fails above 4,096
  points), a 15,000-sample Muse recording at 256 Hz was refused as "invalid sampling rate
  256 (... spectra of up to 64 points at this rate ...: more than this memory holds)", a
  machine-dependent refusal blaming the rate for the input's length. The memory's
  ``MemoryError`` is raised as before 085de84. (A rate whose own grids, longer than the
  input, failed was refused naming it; since helper C2 of session 58 the length checks build
  no such grid.)
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from conftest import shared_path
from emofeat.extractors import eeg
from emofeat.extractors.eeg_sets import EEGAsymmetry, EEGBandPower

from emofeat.errors import TooShortError

NAMES = ("TP9", "AF7", "AF8", "TP10")
pytestmark = pytest.mark.filterwarnings("ignore::emofeat.readers.EEGMontageWarning")


@pytest.fixture(scope="module")
def muse() -> np.ndarray:
    path = shared_path("eeg", "muse_mental_state", "subjecta-relaxed-1.csv")
    return np.ascontiguousarray(pd.read_csv(path, usecols=list(NAMES)).to_numpy(float).T)


@pytest.mark.parametrize("sfreq", [256.0, 1e20])
def test_faa_without_alpha_names_the_missing_band_with_a_rate_given(sfreq):
    # method="filter" counts the alpha band's bins for FAA alone: 085de84's rate check
    # looked it up before the check that names it was reached
    with pytest.raises(ValueError, match=r"^kind 'faa' needs a band named 'alpha' in bands$"):
        EEGAsymmetry(method="filter", bands={"theta": (4, 8)}, sfreq=sfreq).fit(None)


def _small_memory(monkeypatch, most: int) -> None:
    """``bin_freqs`` fails as NumPy does where memory runs out, above ``most`` points."""
    real = eeg.bin_freqs

    def bin_freqs(n_fft, sfreq, psd_method="welch"):
        if n_fft > most:
            raise MemoryError(f"Unable to allocate a grid of {n_fft // 2 + 1} bins")
        return real(n_fft, sfreq, psd_method)

    monkeypatch.setattr(eeg, "bin_freqs", bin_freqs)


def test_a_memory_error_of_a_long_input_is_not_called_an_invalid_rate(muse, monkeypatch):
    assert muse.shape[1] > 4096
    _small_memory(monkeypatch, 4096)
    with pytest.raises(MemoryError):   # as at 085de84's parent: the memory, not the rate
        EEGBandPower(psd_method="multitaper").fit_transform([(muse, 256.0, NAMES)])


def test_a_high_rate_needs_no_grid_of_its_own_size(muse, monkeypatch):
    """Until helper C2 of session 58 the length check of 2,048 samples at 1e6 Hz walked down
    from grids of 3.3e5 points, and where they did not fit, refused the rate ("... more than
    this memory holds"). The search now asks the bins around the band edges alone: the input
    is refused as too short, naming the definition's fewest samples (test_eeg_fast_min58)."""
    from test_eeg_fast_min58 import _expected

    least = _expected(dict(eeg.DEFAULT_BANDS), 1e6, 1.0)   # before bin_freqs is cut
    _small_memory(monkeypatch, 4096)
    with pytest.raises(TooShortError, match=rf"^<array 0>: 2048 samples .* are too short for "
                       rf"the 'eeg_bands' set: .*; {least} samples \(.*\) or more are enough$"):
        EEGBandPower().fit_transform([(muse[:, :2048], 1e6, NAMES)])
