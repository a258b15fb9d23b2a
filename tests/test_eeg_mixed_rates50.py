"""An EEG set fitted without ``sfreq`` refuses, in ``transform``, a recording analysed at
another rate than the one it was fitted at, as a run refuses it (hunt of session 50).

``emofeat.runner.run`` and ``emofeat extract`` refuse a recording more than 2 % from the
run's rate (docs/eeg.md: a table never mixes 256 Hz and 128 Hz recordings under one rate),
but a set's own ``fit_transform`` / ``transform`` took any rate: Hjorth mobility, line
length, zero-crossing rate and RQA's delays count samples, so the BrainVision test file and
the same recording at 500 Hz gave one matrix whose mobility of FP1 was 0.0895 and 0.171
(1.9x), line length 1.74x, without a word."""

from __future__ import annotations

import numpy as np
import pytest
from conftest import shared_path
from emofeat.extractors.eeg_sets import EEGBandPower, EEGHjorth
from emofeat.extractors.eeg_stats import EEGStats
from emofeat.extractors.rqa import RQAEEG

from emofeat.errors import SignalTypeError

mne = pytest.importorskip("mne")
CHANNELS = ["FP1", "FP2", "F3", "F4"]


@pytest.fixture(scope="module")
def two_rates(tmp_path_factory):
    """The BrainVision test file (1000 Hz, four channels) and the same recording resampled
    to 500 Hz by MNE, saved as FIF: paths."""
    vhdr = shared_path("eeg", "mne_testdata", "test.vhdr")
    raw = mne.io.read_raw_brainvision(vhdr, preload=True, verbose="error").pick(CHANNELS)
    full = tmp_path_factory.mktemp("rates") / "full_raw.fif"
    half = full.with_name("half_raw.fif")
    raw.save(full, verbose="error")
    raw.copy().resample(500.0, verbose="error").save(half, verbose="error")
    return str(full), str(half)


@pytest.mark.parametrize("cls", [EEGHjorth, EEGStats, RQAEEG, EEGBandPower])
def test_a_recording_of_another_rate_is_refused_naming_both(cls, two_rates):
    full, half = two_rates
    with pytest.raises(SignalTypeError, match=r"half_raw\.fif: analysed at 500 Hz, more than "
                       r"2% from the rate \w+ was fitted at, 1000 Hz \(.*full_raw\.fif\)"):
        cls().fit_transform([full, half])
    ext = cls().fit([full])
    with pytest.raises(SignalTypeError, match="fit one for each rate"):
        ext.transform([half])
    # each rate alone, or the same rate twice, as before
    assert cls().fit_transform([half, half]).shape[0] == 2
    np.testing.assert_array_equal(ext.transform([full]), cls().fit_transform([full]))


def test_estimates_of_one_device_s_rate_stay_in_one_matrix():
    """The Muse files' estimated rates (256.01-256.20 Hz, and 254.22 with gaps) are within
    2 % of one another: read together as before, one row per gap-free stretch."""
    folder = shared_path("eeg", "muse_mental_state")
    paths = [str(folder / f) for f in ("subjecta-neutral-1.csv", "subjecta-concentrating-2.csv",
                                       "subjectb-relaxed-2.csv")]
    assert EEGHjorth().fit_transform(paths).shape == (1 + 1 + 10, 12)
