"""A recording filtered by ``filter_recording`` names MNE in the run's provenance.

``filter_recording``'s notch and band-pass are filters of MNE's design
(``mne.filter.create_filter``: its automatic length and transition bands), applied by
emofeat: MNE decided every sample the run is given, as it decides ``eeg_de(method="filter")``'s
numbers, which name it. Until session 56 a recording built from arrays (here a Muse CSV, read
without MNE) named no MNE once filtered, so its table could not be told from one of the raw
samples by its environment. The recording now carries ``read_by_mne`` (MNE decided its samples)
out of ``filter_recording``. Real data: a Muse CSV of the mental-state set (20 s of it, 50 Hz
notch and 1-40 Hz band-pass). Exact comparisons of names and versions (no tolerance).
"""

from __future__ import annotations

from dataclasses import replace

import pytest
from conftest import shared_path

from emofeat.registry import get_extractor
from emofeat.runner import run

mne = pytest.importorskip("mne")


def _mne(table) -> str | None:
    return table.provenance["environment"].get("mne")


@pytest.mark.parametrize("n_jobs", [1, 2])
def test_a_recording_filtered_by_mne_names_mne(n_jobs):
    from emofeat.eeg_input import filter_recording, read_recording

    rec = read_recording(str(shared_path("eeg", "muse_mental_state",
                                         "subjecta-relaxed-1.csv")))
    rec = replace(rec, data=rec.data[:, : int(20 * rec.sfreq)], breaks=())
    sets = [get_extractor("eeg_bands")]
    assert _mne(run([rec], sets, n_jobs=n_jobs).table) is None  # read without MNE
    for kw in ({"notch": 50.0}, {"l_freq": 1.0, "h_freq": 40.0}):
        filtered = filter_recording(rec, **kw)
        got = run([filtered], sets, n_jobs=n_jobs).table
        assert got.shape[0] == 1
        assert _mne(got) == mne.__version__, kw
