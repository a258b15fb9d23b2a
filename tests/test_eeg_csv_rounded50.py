"""CSV stamps written with few decimals say a whole rate when it is within their rounding
(hunt of session 50, the leftover of tests/test_eeg_csv_rate49.py).

Session 49 took an estimate within the stamps' float64 precision of a whole number of hertz
for that number. Stamps written with ``d`` decimals are each off their time by up to half a
step ``10**-d``, far more than float precision: ``k / 128`` s with 6 decimals read
127.99999180 Hz over 1000 samples, 15 s of Unix times ``t0 + k / 512`` with 5 decimals
511.99989419 Hz, and with the sets' 1 s Welch segments the bins on 4, 8, 13 and 30 Hz
then lay a hair below those edges, each in the band below its own. The reach of the rounding (a step per gap-free stretch over
the time the stretches span) now decides: the Muse files, stamped to 1 ms, reach 0.004 Hz
over their 59 s and still read 256.01-256.20 Hz."""

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
    first timestamp (Unix seconds, 1 ms)."""
    frame = pd.read_csv(shared_path("eeg", "muse_mental_state", "subjecta-neutral-1.csv"))
    assert len(frame) >= n
    return frame[CHANNELS].to_numpy()[:n].T, float(frame["timestamps"].iloc[0])


def _write(path, x: np.ndarray, stamps: np.ndarray, decimals: int):
    """The samples as a CSV whose stamps are written with ``decimals`` decimals, as a
    logger that formats them so writes them."""
    frame = pd.DataFrame(x.T, columns=CHANNELS)
    frame.insert(0, "timestamps", [f"{s:.{decimals}f}" for s in stamps])
    frame.to_csv(path, index=False)
    return path


@pytest.mark.parametrize(("rate", "unix", "decimals", "n"), [
    (128.0, False, 6, 1000),   # the leftover: 127.99999180 Hz before
    (128.0, False, 4, 3840),   # 30 s: 127.99994665 Hz before
    (512.0, True, 5, 7680),    # 15 s of Unix times: 511.99989419 Hz before
    (256.0, True, 3, 7680),    # a 256 Hz device stamping to 1 ms: 256.00080170 Hz before
    # 1.5 s at 1000 Hz on the 1 ms grid: exact within the doubles' precision, where the
    # rounding's reach (0.67 Hz, two whole rates) must not undo session 49's snap; the first
    # form of this fix read 999.9999999999999 and 1000.0001107 Hz, and 59 of 60 columns were
    # more than 1 % off (review of session 50)
    (1000.0, False, 3, 1500),
    (1000.0, True, 3, 1500),
])
def test_rounded_stamps_read_at_their_whole_rate(tmp_path, rate, unix, decimals, n):
    """``n`` real Muse samples stamped ``t0 + k / rate`` (t0 the file's Unix stamp or 0)
    and written with ``decimals`` decimals: the estimate is exactly ``rate`` (still an
    :class:`EstimatedRate`), and the file's eeg_bands row equals that of the same samples
    given with the rate (rtol 1e-12: the same bins and segments, the same arithmetic).
    Before, the three estimates below the rate put the bins on 4, 8, 13 and 30 Hz in the
    band below, and the rows differed by more than 1 % in 55 to 58 of the 60 columns (up to
    160 %: relative beta power of TP10 at 128 Hz, 6 decimals, 0.146 against 0.056); the
    estimate above 256 Hz gave the same row within rounding (the bins' bands unchanged, the
    rate cancelling from the band integral) but an estimated rate 3e-6 off."""
    x, t0 = _muse_samples(n)
    stamps = (t0 if unix else 0.0) + np.arange(n) / rate
    path = _write(tmp_path / "rounded.csv", x, stamps, decimals)
    rec = read_recording(path)
    assert isinstance(rec.sfreq, EstimatedRate) and float(rec.sfreq) == rate
    got = EEGBandPower().fit_transform([str(path)])
    want = EEGBandPower().fit_transform([(x, rate, tuple(CHANNELS))])
    np.testing.assert_allclose(got, want, rtol=1e-12)


def test_a_rate_beyond_the_rounding_keeps_its_estimate(tmp_path):
    """Stamps of a 128.001 Hz clock written with 6 decimals: 1000 samples span 7.8 s, so the
    rounding moves the estimate by 1.6e-5 Hz at most; 0.001 Hz off 128 is another rate, and
    the estimate stays within that rounding's reach of 999 / span (rtol 1e-12 of the
    quotient as computed here)."""
    x, _ = _muse_samples(1000)
    stamps = np.arange(x.shape[1]) / 128.001
    path = _write(tmp_path / "drift.csv", x, stamps, 6)
    rec = read_recording(path)
    written = np.array([float(f"{s:.6f}") for s in stamps])
    assert float(rec.sfreq) == pytest.approx(999 / (written[-1] - written[0]), rel=1e-12)
    assert abs(float(rec.sfreq) - 128.001) < 2e-5


def test_short_stamps_too_coarse_to_tell_whole_rates_apart_keep_their_estimate(tmp_path):
    """30 samples of a 397.3 Hz clock stamped to 1 ms (0.073 s: the rounding reaches 5.4 Hz
    about the estimate, 397.26 Hz) could be any of 11 whole rates: the estimate is kept, not
    snapped to the nearest (397)."""
    x, _ = _muse_samples(30)
    stamps = np.arange(30) / 397.3
    path = _write(tmp_path / "short.csv", x, stamps, 3)
    rec = read_recording(path)
    written = np.array([float(f"{s:.3f}") for s in stamps])
    assert float(rec.sfreq) == pytest.approx(29 / (written[-1] - written[0]), rel=1e-12)
    assert float(rec.sfreq) != round(float(rec.sfreq))


def test_muse_files_stamped_to_a_millisecond_keep_their_estimates():
    """The 24 Muse files: stamps to 1 ms reach 0.004-0.07 Hz over their stretches, and no
    estimate (256.01-256.20 Hz, 255.77 and 255.97 for the two short ones, 254.22 with gaps)
    is within that of 256: none is read as a whole rate."""
    folder = shared_path("eeg", "muse_mental_state")
    files = sorted(folder.glob("*.csv"))
    assert len(files) == 24
    for f in files:
        rate = float(read_recording(f).sfreq)
        assert rate != round(rate) and 254 < rate < 256.3, f.name
