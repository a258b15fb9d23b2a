"""A CSV recording stamped exactly at a whole rate reads at that rate (hunt of session 49).

Stamps ``t0 + k / 250`` stored as doubles (Unix times, as the Muse files carry, or seconds
from an offset) span a few ulps more or less than the exact time, and the estimate
``n_intervals / span`` came out 249.99999957 Hz: with the sets' 1 s Welch segments (250
samples) the bins on 4, 8, 13 and 30 Hz then lay a hair below those edges, each in the band
below its own, so 56 of the 60 ``eeg_bands`` columns of 30 s of real Muse samples differed
by more than 1 % from the same samples given as ``(x, 250.0)`` (relative gamma power of AF8
0.0260 against 0.0143, 82 %). An estimate within the stamps' own float precision of a whole
number of hertz is now that number (since session 50: within the stamps' rounding, where
they are written with few decimals); an estimate of stamps that say another rate (the Muse
files' 255.77-256.20 Hz, stamps rounded to 1 ms) is kept as it was."""

from __future__ import annotations

import numpy as np
import pytest
from conftest import shared_path
from emofeat.extractors.eeg_sets import EEGBandPower

from emofeat.eeg_input import read_recording
from emofeat.readers import EstimatedRate

pd = pytest.importorskip("pandas")

CHANNELS = ["TP9", "AF7", "AF8", "TP10"]


def _muse_samples(n: int) -> tuple[np.ndarray, float]:
    """The first ``n`` samples of a real Muse recording (channels x samples, uV) and its
    first timestamp (Unix seconds)."""
    frame = pd.read_csv(shared_path("eeg", "muse_mental_state", "subjecta-neutral-1.csv"))
    return frame[CHANNELS].to_numpy()[:n].T, float(frame["timestamps"].iloc[0])


def _write(path, x: np.ndarray, stamps: np.ndarray):
    frame = pd.DataFrame(x.T, columns=CHANNELS)
    frame.insert(0, "timestamps", stamps)
    frame.to_csv(path, index=False)
    return path


@pytest.mark.parametrize(("rate", "offset", "seconds"),
                         [(250.0, None, 30), (500.0, 12.3, 15), (128.0, 0.0, 30)])
def test_exact_stamps_read_at_their_rate(tmp_path, rate, offset, seconds):
    """Real samples stamped t0 + k / rate (t0 the Muse file's first Unix stamp, or a small
    offset): the rate is exactly ``rate`` (still an estimate) and the eeg_bands row of the
    file equals that of the samples given with the rate (rtol 1e-12). Before: 30 s at 250 Hz
    read 249.99999957 Hz, 15 s at 500 Hz from 12.3 s 499.99999999999994 Hz, and their rows
    differed by up to 82 % and 41 % (128 Hz from 0 was exact already)."""
    x, t0 = _muse_samples(int(seconds * rate))
    stamps = (t0 if offset is None else offset) + np.arange(x.shape[1]) / rate
    path = _write(tmp_path / "exact.csv", x, stamps)
    rec = read_recording(path)
    assert isinstance(rec.sfreq, EstimatedRate) and float(rec.sfreq) == rate
    got = EEGBandPower().fit_transform([str(path)])
    want = EEGBandPower().fit_transform([(x, rate, tuple(CHANNELS))])
    np.testing.assert_allclose(got, want, rtol=1e-12)


def test_estimates_of_stamps_that_say_another_rate_are_kept():
    """Every real Muse file keeps its estimate, sum(n_i - 1) / sum(t_last_i - t_first_i)
    over its gap-free stretches (256.01-256.20 Hz, two short ones 255.77 and 255.97,
    subjectb-relaxed-2 254.22): none is a whole number of hertz."""
    folder = shared_path("eeg", "muse_mental_state")
    files = sorted(folder.glob("*.csv"))
    assert len(files) == 24
    for f in files:
        rec = read_recording(f)
        t = pd.read_csv(f)["timestamps"].to_numpy()
        edges = [0, *rec.breaks, len(t)]
        spans = [(a, b) for a, b in zip(edges[:-1], edges[1:], strict=True) if b - a >= 2]
        want = sum(b - a - 1 for a, b in spans) / sum(t[b - 1] - t[a] for a, b in spans)
        assert float(rec.sfreq) == pytest.approx(want, rel=1e-12), f.name
        assert float(rec.sfreq) != round(float(rec.sfreq)), f.name


def test_stamps_rounded_coarser_than_float_read_at_the_whole_rate(tmp_path):
    """Stamps written with 6 decimals at 128 Hz (1/128 s is 0.0078125: rounded, not exact)
    say a rate 1.7e-8 off 128 Hz, beyond the float precision of the stamps but within their
    rounding: kept as that estimate until session 50, 128 Hz since (the rounding's reach
    decides, tests/test_eeg_csv_rounded50.py)."""
    x, _ = _muse_samples(1000)
    stamps = np.round(np.arange(x.shape[1]) / 128.0, 6)
    rec = read_recording(_write(tmp_path / "rounded.csv", x, stamps))
    assert (x.shape[1] - 1) / (stamps[-1] - stamps[0]) != 128.0
    assert float(rec.sfreq) == 128.0
