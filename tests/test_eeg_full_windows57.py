"""Full ``--segment`` windows are never dropped, and the band sets are at numbers version 1
(session 57, review RB2 of f4254bc and 271da47).

1. A run's windows after the first were dropped when they were shorter than a set's minimum,
   the length from which *every* longer window can be analysed, though the window itself
   could be: eeg_spectral at 8-13 Hz takes 99 samples at 256 Hz, and 90-sample windows hold
   two bins (8.53 and 11.38 Hz). The real Muse recording ``subjecta-concentrating-1`` in
   0.35 s windows gave 169 rows before 90bfd32 and 1 after it, without a word. Now every full
   window is analysed (or refused) as the first is; only a tail shorter than a window goes.
2. f4254bc counts the band sets' bins on the PSD's own grid, which moves their minimum at
   some rates and bands, and so which tail windows a ``--segment`` run keeps: MNE's
   ``test.vhdr`` (1000 Hz) in 1.51 s windows with a 17.5-20 Hz band gave 6 rows, the last a
   350-sample tail whose PSD has no bin in the band (absolute power 0, -inf dB); it gives 5.
   An output begun before is refused on resume rather than finished with the other row set.
"""

from __future__ import annotations

import numpy as np
import pytest
from conftest import shared_path


def test_windows_shorter_than_a_sets_minimum_are_all_kept():
    from emofeat.registry import get_extractor
    from emofeat.runner import run

    path = str(shared_path("eeg", "muse_mental_state", "subjecta-concentrating-1.csv"))
    spectral = get_extractor("eeg_spectral", fmin=8, fmax=13)
    assert spectral.min_samples(256.012) > round(0.35 * 256.012)  # 99 > 90
    both = run([path], [get_extractor("eeg_stats"), spectral], segment=0.35).table
    alone = run([path], [get_extractor("eeg_stats")], segment=0.35).table
    assert len(both) >= 168  # was 1
    # the same windows as eeg_stats alone keeps, but for a tail shorter than a window
    starts = both.index["start"].to_numpy()
    starts_alone = alone.index["start"].to_numpy()
    assert len(alone) - len(both) in (0, 1)
    np.testing.assert_array_equal(starts, starts_alone[: len(both)])
    stats = [c for c in both.feature_names if c.startswith("eeg_stats")]
    np.testing.assert_array_equal(both.select(stats).X, alone.select(stats).X[: len(both)])
    ent = both.select([c for c in both.feature_names if "entropy" in c]).X
    assert np.isfinite(ent).all() and len(np.unique(ent[:, 0])) > 100  # signal-dependent


def test_a_band_set_output_of_version_0_is_refused_on_resume(tmp_path, monkeypatch):
    from emofeat.extractors.eeg_sets import EEGAsymmetry, EEGBandPower, EEGDifferentialEntropy

    from emofeat.registry import get_extractor, installed_numbers_version
    from emofeat.runner import run
    from emofeat.store import ParameterMismatchError

    for cls, name in ((EEGBandPower, "eeg_bands"), (EEGDifferentialEntropy, "eeg_de"),
                      (EEGAsymmetry, "eeg_asymmetry")):
        assert cls.numbers_version == installed_numbers_version(name) == 1
    path = str(shared_path("eeg", "mne_testdata", "test.vhdr"))

    def bands():
        return get_extractor("eeg_bands", bands={"b": [17.5, 20]}, kinds=["abs", "db"])

    assert len(run([path], [bands()], segment=1.51).table) == 5  # the empty-band tail gone
    out = tmp_path / "b.parquet"
    with monkeypatch.context() as m:
        m.setattr(EEGBandPower, "numbers_version", 0)  # the code before: version 0
        run([path], [bands()], output=out, segment=1.51)
    with pytest.raises(ParameterMismatchError, match=r"numbers version 0 there, 1 now"):
        run([path], [bands()], output=out, segment=1.51)
