"""The librosa set at 8 kHz: its refusal names the n_bands and contrast_fmin that fit.

The spectral-contrast bands (from ``contrast_fmin`` 200 Hz, 6 octaves) end at 6400 Hz,
beyond the 4 kHz Nyquist of telephone speech: the set refuses ``sr=8000`` as librosa's
``spectral_contrast`` does. The error said "lower contrast_fmin=200.0 or n_bands=6", the
values given, leaving the user to work out which fit. Now it names them ("lower n_bands to 5
or contrast_fmin to 124.99 Hz or lower": the bound, 125 Hz, is itself refused, as "below 125
Hz" said; at 11.025 kHz "172.26 Hz or lower", the bound 172.265625 rounded down; since
session 55 a range, "3.91-124.99 Hz", whose bottom is the first FFT bin, which band 0 must
hold besides DC), and each,
given back, analyses EmoDB speech at 8 kHz. Where neither alone fits (contrast_fmin above
Nyquist, so many bands that no cent is left) the remedy was empty ("... = inf Hz); lower ");
now librosa's 6 bands with the contrast_fmin that fits them.
"""

from __future__ import annotations

import re

import numpy as np
import pytest
from emofeat.extractors.librosa_set import LibrosaFeatures

import emofeat


@pytest.fixture(scope="module")
def path(emodb_dir):
    return str(sorted(emodb_dir.glob("*.flac"))[0])


def test_the_refusal_at_8_khz_names_values_that_fit(path):
    with pytest.raises(ValueError, match=r"^spectral-contrast bands exceed Nyquist: .*= 4000 Hz "
                       r"\(200 \* 2\*\*5 = 6400 Hz\); lower n_bands to 5 or contrast_fmin "
                       r"to 3.91-124.99 Hz$"):
        emofeat.extract([path], ["librosa"], params={"sr": 8000})
    for fixed in (dict(n_bands=5), dict(contrast_fmin=124.99)):
        row = LibrosaFeatures(sr=8000, **fixed).fit_transform([path])
        assert np.isfinite(row).all()


def test_the_bound_printed_is_below_the_true_one():
    """11.025 kHz: 5512.5 / 32 = 172.265625 Hz; the value printed is accepted as it is."""
    with pytest.raises(ValueError, match=r"lower n_bands to 5 or contrast_fmin to "
                       r"5.39-172.26 Hz$") as err:
        LibrosaFeatures(sr=11025).fit()
    bound = float(re.search(r"-([\d.]+) Hz$", str(err.value))[1])
    LibrosaFeatures(sr=11025, contrast_fmin=bound).fit()


def test_a_remedy_is_named_where_neither_value_alone_fits(path):
    """contrast_fmin 5000 Hz above the 4 kHz Nyquist and 100000 bands: no band count fits
    from 5000 Hz and no cent is left below 4000 / 2**99999; the error named nothing. Now
    n_bands 6 and contrast_fmin 124.99 Hz, which, given back, analyse EmoDB at 8 kHz."""
    with pytest.raises(ValueError, match=r"= inf Hz\); lower n_bands to 6 \(librosa's default\) "
                       r"and contrast_fmin to 3.91-124.99 Hz$"):
        LibrosaFeatures(sr=8000, contrast_fmin=5000.0, n_bands=100000).fit()
    row = LibrosaFeatures(sr=8000, contrast_fmin=124.99, n_bands=6).fit_transform([path])
    assert np.isfinite(row).all()
