"""An absurd finite sampling rate is refused naming the input, as an infinite one is (58).

At 1e308 or 1e20 Hz the spectral sets' length checks sized arrays of bins for the Welch
segment (or for bins the narrowest band's width apart) at that rate: NumPy's own
``ValueError: Maximum allowed size exceeded`` (or at 1e12 Hz ``MemoryError``), naming
neither the input nor its rate; ``window_recording`` of a 2 s window at 1e308 Hz was
Python's ``OverflowError`` of ``int(round(inf))``. Session 57 refused ``inf`` the same way
(tests/test_eeg_rate_finite57.py).
"""

from __future__ import annotations

import re

import numpy as np
import pytest
import test_eeg_rate_finite57 as finite57
from emofeat.extractors.eeg_sets import (
    EEGAsymmetry,
    EEGBandPower,
    EEGDifferentialEntropy,
    EEGSpectral,
)

from emofeat.eeg_input import EEGRecording, window_recording
from emofeat.errors import SignalTypeError

NAMES = finite57.NAMES
muse = finite57.muse  # its fixture: 2048 samples of a Muse recording
pytestmark = pytest.mark.filterwarnings("ignore::emofeat.readers.EEGMontageWarning")
SPECTRAL_SETS = [EEGBandPower, EEGDifferentialEntropy, EEGAsymmetry, EEGSpectral]


@pytest.mark.parametrize("rate", [1e308, 1e20])
@pytest.mark.parametrize("cls", SPECTRAL_SETS, ids=lambda c: c.__name__)
def test_an_absurd_rate_of_an_input_is_refused_naming_it(cls, rate, muse):
    shown = re.escape(f"{rate:g}")
    with pytest.raises(SignalTypeError, match=rf"^<array 0>: invalid sampling rate {shown} "
                       rf"\(the '{cls.set_name}' set counts the bins of spectra of up to "
                       r"\S+ points at this rate, .*: more than an array can hold\)$"):
        cls().fit_transform([(muse, rate, NAMES)])
    with pytest.raises(ValueError, match=rf"^sfreq={shown} Hz: invalid sampling rate"):
        cls(sfreq=rate).fit_transform([muse])
    assert cls().min_samples(rate) == 1   # refused at every length, by the check above
    assert np.isfinite(cls().fit_transform([(muse, 256.0, NAMES)])).all()   # the data are fine


def test_a_huge_multitaper_spectrum_is_refused_too(muse):
    with pytest.raises(SignalTypeError, match=r"^<array 0>: invalid sampling rate 1e\+20 .*"
                       r"bins the narrowest band's width apart: more than an array can hold"):
        EEGBandPower(psd_method="multitaper").fit_transform([(muse, 1e20, NAMES)])


@pytest.mark.parametrize("what", ["window", "hop"])
def test_a_window_or_hop_of_more_samples_than_a_float_is_refused(what, muse):
    rec = EEGRecording(muse, 1e308, NAMES, source="muse")
    kw = {"window": 1.0, "hop": 1.0, what: 2.0}
    with pytest.raises(ValueError, match=rf"^{what} of 2.0 s at 1e\+308 Hz is more samples "
                       "than a number holds$"):
        window_recording(rec, **kw)


@pytest.mark.parametrize("segment", [None, "1e-17s"])
@pytest.mark.parametrize("set_name", ["eeg_bands", "eeg_spectral"])
def test_a_file_at_an_absurd_rate_is_a_failed_input_naming_it(set_name, segment, muse,
                                                              tmp_path):
    """A CSV whose timestamps step 1e-20 s (1e20 Hz): a row of the errors table naming the
    file, its rate and why, whole or cut into --segment windows (that path asked the set's
    length check of each window without the input's checks)."""
    import pandas as pd

    from emofeat.cli import main

    path = tmp_path / "fast.csv"
    table = pd.DataFrame(muse.T, columns=list(NAMES))
    table.insert(0, "timestamps", np.arange(muse.shape[1]) * 1e-20)
    table.to_csv(path, index=False)
    out = tmp_path / "out.parquet"
    main(["extract", "--set", set_name, str(path), "-o", str(out), "-q",
          *(["--segment", segment] if segment else [])])
    errors = pd.read_csv(tmp_path / "out.errors.csv")
    assert errors[["path", "error_type"]].values.tolist() == [[str(path), "SignalTypeError"]]
    said = errors.loc[0, "message"]
    assert said.startswith(f"invalid sampling rate 1e+20 (the '{set_name}' set counts the "
                           "bins of spectra of up to "), said
    assert said.endswith(": more than an array can hold)"), said
