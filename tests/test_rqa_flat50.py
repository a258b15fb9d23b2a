"""A constant series has no recurrence under ``radius_std``, whatever its level (hunt of
session 50).

RQA depends on differences of samples only, so a series and the series shifted by a constant
have one recurrence plot. ``radius_std`` takes the radius as a multiple of the standard
deviation, and NumPy's two-pass ``std`` of a constant series is the rounding of its mean
(``np.full(400, -80.3).std()`` is 1.4e-14): a radius above the zero distances of a constant
series, so every cell was recurrent (RR 1, DET 1) where the constant 12.7, or 0, gave the
documented values (no recurrence: 0 but ``W_max`` and ``W_mean``, docs/rqa.md). A flat EEG
channel (a loose electrode holding a value) at the first sample of 51 of the 72 channels of
the BioSemi test file, and at 136 of the first 200 Muse samples, was so; rqa_eeg's warning
of the flat channel said "no recurrence" all the same. A constant series or frame now has
radius 0 (pyunicorn, whose std is NumPy's, still makes such a series all recurrent: a
documented difference of the ``pyunicorn`` preset). Audio read from files is float32, whose
constant frames NumPy's std gives 0 exactly (320 float32 values sum exactly in float64: the
RAVDESS and EmoDB frames, 42,977 of them constant, all at 0, are unchanged)."""

from __future__ import annotations

import warnings

import numpy as np
import pytest
from conftest import shared_path
from emofeat.extractors.rqa import RQAEEG, rqa_measures

from emofeat.readers import EEGChannelWarning

mne = pytest.importorskip("mne")


def _bdf():
    """The BioSemi test file's EEG channels (V, DC-coupled: offsets up to 0.26 V)."""
    path = shared_path("eeg", "mne_testdata", "test.bdf")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        raw = mne.io.read_raw_bdf(path, preload=True, verbose="error")
    raw.pick("eeg")
    return raw


def _constant_levels() -> np.ndarray:
    """The first sample of each channel of the BioSemi file: levels a stuck channel holds."""
    return _bdf().get_data()[:, 0]


@pytest.mark.parametrize("preset", [None, "pyunicorn"])
def test_a_constant_series_is_measured_as_the_constant_zero(preset):
    """Every level of the file, as a constant series of 500 samples: the measures equal
    those of zeros exactly (translation invariance; rtol 0), RR 0. Before: 52 of the 72
    levels (float64) gave RR 1 and DET 1."""
    zero = rqa_measures(np.zeros(500), preset=preset, dim=3, delay=1, radius_std=0.25)
    assert zero["RR"] == 0.0 and zero["W_max"] == 498
    levels = _constant_levels()
    wrong = [v for v in levels
             if rqa_measures(np.full(500, v), preset=preset, dim=3, delay=1,
                             radius_std=0.25) != zero]
    assert not wrong, f"{len(wrong)} of {len(levels)} levels, e.g. {wrong[0]!r}"


def test_a_stuck_eeg_channel_is_measured_as_flat_at_zero():
    """The BioSemi recording (1 s at 2048 Hz) with AF7 stuck at its first sample
    (0.012457 V): its rqa_eeg columns equal those with AF7 stuck at 0 (rtol 0), no
    recurrence (RR, DET 0; W_max the 2046 state vectors), as the flat-channel warning says;
    the other channels' columns are those of the recording as read. Before: RR 1, DET 1 for
    the stuck channel."""
    raw = _bdf()
    data = raw.get_data()
    rows = {}
    assert raw.ch_names[1] == "AF7"
    for name, level in (("level", data[1, 0]), ("zero", 0.0)):
        d = data.copy()
        d[1] = level
        with pytest.warns(EEGChannelWarning, match="no recurrence"):
            rows[name] = RQAEEG(level="lld").fit_transform(
                [mne.io.RawArray(d, raw.info, verbose="error")])
    ext = RQAEEG(level="lld").fit([raw])
    names = list(ext.get_feature_names_out())
    as_read = ext.transform([raw])
    np.testing.assert_array_equal(rows["level"], rows["zero"])
    af7 = [i for i, n in enumerate(names) if n.endswith("_AF7")]
    assert len(af7) == 15
    got = dict(zip([names[i] for i in af7], rows["level"][0, af7], strict=True))
    assert got["rqa_eeg_rr_AF7"] == got["rqa_eeg_det_AF7"] == 0.0
    assert got["rqa_eeg_w_max_AF7"] == 2046
    others = [i for i in range(len(names)) if i not in af7]
    np.testing.assert_array_equal(rows["level"][:, others], as_read[:, others])
