"""Every value a spectral-contrast refusal of the librosa set offers is taken (session 55).

The set refuses ``contrast_fmin``/``n_bands``/``n_fft`` where a band reaches Nyquist (as
librosa's ``spectral_contrast``, "Frequency band exceeds Nyquist") or holds no FFT bin, band 0
(``[0, contrast_fmin]``) one besides DC (librosa leaves each band's top bin out: NaN there).
The band-0 refusal offered ``contrast_fmin`` "to sr / n_fft Hz or more", printed with ``:g``,
and "raise n_fft" without a value. At librosa's own defaults (22.05 kHz, ``n_fft=2048``) with
``contrast_fmin=10`` it said "10.7666 Hz or more", below the bin (10.7666015625 Hz): refused
again. At 48 kHz with 11 bands and ``contrast_fmin=20`` it said "23.4375 Hz or more", which
the Nyquist check refuses (``23.4375 * 2**10 = 24000``). A reviewer's sweep found 480 of 878
band-0 refusals offering a value refused. Now the offer is the ``n_fft`` that holds a bin at
the ``contrast_fmin`` given, and the ``contrast_fmin`` range (cents: the bottom rounded up,
the top down) that does at the ``n_fft`` given, where there is one.

The check is on the definition of the refusals (fit only, no audio): every offer of every
refusal over a grid of sr x n_fft x n_bands x contrast_fmin, each end of a range, is accepted
and the refusal of a band names a value (exact: accepted or not).
"""

from __future__ import annotations

import itertools
import re
import warnings

import pytest
from emofeat.extractors.librosa_set import LibrosaFeatures


def _refusal(**kw) -> str | None:
    try:
        with warnings.catch_warnings():  # mel filters without a bin at small n_fft: said
            warnings.simplefilter("ignore", UserWarning)
            LibrosaFeatures(**kw).fit()
    except ValueError as err:
        return str(err)
    return None


def _offers(message: str, given: dict) -> list[dict]:
    """The parameter sets the remedy after "; lower " or "; raise " names, each end of a
    contrast_fmin range its own."""
    remedy = re.split(r"; (?:lower|raise) ", message, maxsplit=1)
    assert len(remedy) == 2, message
    out = []
    for offer in remedy[1].split(" or "):
        params = dict(given)
        named = False
        if m := re.search(r"n_bands to (\d+)", offer):
            params["n_bands"], named = int(m[1]), True
        if m := re.search(r"n_fft (?:raised )?to (\d+)", offer):
            params["n_fft"], named = int(m[1]), True
        m = re.search(r"contrast_fmin to ([\d.]+)-([\d.]+) Hz", offer)
        assert named or m, f"an offer without a value: {offer!r} in {message!r}"
        if m:
            assert float(m[1]) <= float(m[2]), offer
            out += [{**params, "contrast_fmin": float(f)} for f in (m[1], m[2])]
        else:
            out.append(params)
    return out


def _refused_offers(**kw) -> list[tuple[dict, str]]:
    message = _refusal(**kw)
    assert message is not None, kw
    return [(offer, said) for offer in _offers(message, kw)
            if (said := _refusal(**offer)) is not None]


def test_band_0_at_librosas_defaults_offers_values_taken():
    """22.05 kHz, n_fft=2048: the first bin is 10.7666015625 Hz."""
    kw = dict(sr=22050, n_fft=2048, contrast_fmin=10.0)
    message = _refusal(**kw)
    assert message is not None and "band 0 (0-10 Hz) holds no FFT bin but DC" in message
    assert message.endswith("; raise n_fft to 4096 or contrast_fmin to 10.77-344.53 Hz")
    assert _refusal(sr=22050, contrast_fmin=10.7666) is not None  # the old offer, refused
    assert _refused_offers(**kw) == []


def test_band_0_where_no_contrast_fmin_fits_this_n_fft_offers_the_n_fft():
    """48 kHz, 11 bands, n_fft=2048: band 0 needs contrast_fmin >= 23.4375 Hz, Nyquist
    below 24000 / 2**10 = 23.4375 Hz: only a longer FFT fits."""
    kw = dict(sr=48000, n_bands=11, contrast_fmin=20.0)
    message = _refusal(**kw)
    assert message is not None and message.endswith("; raise n_fft to 4096"), message
    assert _refusal(sr=48000, n_bands=11, contrast_fmin=23.4375) is not None  # the old offer
    assert _refused_offers(**kw) == []


def test_every_offer_of_every_contrast_refusal_is_taken():
    refused, checked, bad = 0, 0, []
    for sr, n_fft, n_bands, fmin in itertools.product(
            (8000, 11025, 22050, 48000), (256, 1000, 2048), (1, 6, 11, 12),
            (1.0, 5.0, 10.0, 20.0, 200.0, 500.0)):
        kw = dict(sr=sr, n_fft=n_fft, n_bands=n_bands, contrast_fmin=fmin)
        message = _refusal(**kw)
        if message is None:
            continue
        assert "spectral-contrast band" in message, message  # the grid's only refusals
        refused += 1
        for offer in _offers(message, kw):
            checked += 1
            if (said := _refusal(**offer)) is not None:
                bad.append((kw, offer, said))
    assert refused > 100 and checked > refused, (refused, checked)
    assert bad == [], f"{len(bad)} of {checked} offers refused, e.g. {bad[:3]}"


@pytest.mark.parametrize("kw", [dict(sr=48000, contrast_fmin=1e-4),
                                dict(sr=48000, n_bands=14, contrast_fmin=1e-4),
                                dict(sr=16000, n_fft=32)])
def test_offers_beyond_the_grid(kw):
    """contrast_fmin far below any bin the size limits allow; bins wider than band 0."""
    assert _refused_offers(**kw) == []
