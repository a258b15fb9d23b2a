"""An infinite sampling rate, segment or window is refused naming what is wrong (session 57).

A rate computed as ``1 / step`` of repeated timestamps is ``inf``; given with a real Muse
recording, the spectral sets sized their Welch segments as ``int(round(inf))`` samples and
failed with Python's ``OverflowError: cannot convert float infinity to integer``, naming
neither the input nor the parameter; eeg_hjorth and eeg_stats took it (their rows' times at
sample / inf). ``segment=inf`` and ``window_recording(..., window=inf)`` failed the same way.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from conftest import shared_path
from emofeat.extractors import EEGStats
from emofeat.extractors.eeg_sets import (
    EEGAsymmetry,
    EEGBandPower,
    EEGDifferentialEntropy,
    EEGHjorth,
    EEGSpectral,
)

from emofeat.eeg_input import EEGRecording, window_recording
from emofeat.errors import SignalTypeError

NAMES = ("TP9", "AF7", "AF8", "TP10")
#: eeg_asymmetry on the Muse montage says it has no DCAU pair: not this test's point
pytestmark = pytest.mark.filterwarnings("ignore::emofeat.readers.EEGMontageWarning")
SETS = [EEGBandPower, EEGDifferentialEntropy, EEGAsymmetry, EEGSpectral, EEGHjorth, EEGStats]


@pytest.fixture(scope="module")
def muse() -> np.ndarray:
    path = shared_path("eeg", "muse_mental_state", "subjecta-relaxed-1.csv")
    return np.ascontiguousarray(pd.read_csv(path, usecols=list(NAMES), nrows=2048)
                                .to_numpy(float).T)


@pytest.mark.parametrize("cls", SETS, ids=lambda c: c.__name__)
def test_an_infinite_rate_of_an_input_is_refused_naming_it(cls, muse):
    with pytest.raises(SignalTypeError, match=r"^<array 0>: invalid sampling rate inf \(a "
                       r"rate in Hz must be a finite number above 0\)"):
        cls().fit_transform([(muse, float("inf"), NAMES)])
    assert np.isfinite(cls().fit_transform([(muse, 256.0, NAMES)])).all()   # the data are fine


@pytest.mark.parametrize("cls", SETS, ids=lambda c: c.__name__)
def test_an_infinite_sfreq_or_segment_parameter_is_refused_naming_it(cls, muse):
    with pytest.raises(ValueError, match=r"sfreq must be a positive, finite rate in Hz, got inf"):
        cls(sfreq=float("inf")).fit_transform([muse])
    if cls not in (EEGHjorth, EEGStats):
        with pytest.raises(ValueError, match=r"segment must be a finite number of seconds > 0 "
                           r"\(a segment longer than a window is shortened to it\), got inf"):
            cls(segment=float("inf")).fit_transform([(muse, 256.0, NAMES)])


@pytest.mark.parametrize("what", ["window", "hop"])
def test_an_infinite_window_or_hop_is_refused_naming_it(what, muse):
    rec = EEGRecording(muse, 256.0, NAMES, source="muse")
    kw = {"window": 2.0, "hop": 1.0, what: float("inf")}
    with pytest.raises(ValueError, match=rf"{what} must be a finite number of seconds > 0, "
                       r"got inf"):
        window_recording(rec, **kw)
