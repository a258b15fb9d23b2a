"""MNE is named where a filter of its design ran, and only there, in every kind of worker.

``filter_recording`` returns an ``EEGRecording`` that names MNE (its filters, MNE's design,
decided the samples; 12cb442). Review RC of session 56 found two holes:

- asked for no filter (every edge and the notch None, or ``l_freq=0`` alone) it returns the
  samples unchanged, yet the recording named MNE, which decided nothing;
- a run of two filtered recordings with ``n_jobs=2`` under loky (fresh worker processes, each
  given one recording, which never import MNE) named no MNE, as the version was read from
  the module loaded only; the same held since session 55 for recordings MNE decoded (an EDF
  read by ``read_recording``).

Real data: a Muse CSV of the mental-state set (20 s of it, two halves of 10 s, so that each
of the two workers gets one). Exact comparisons of names and versions (no tolerance).
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest
from conftest import shared_path

from emofeat.registry import get_extractor
from emofeat.runner import run

mne = pytest.importorskip("mne")


def _recording():
    from emofeat.eeg_input import read_recording

    rec = read_recording(str(shared_path("eeg", "muse_mental_state",
                                         "subjecta-relaxed-1.csv")))
    return replace(rec, data=rec.data[:, : int(20 * rec.sfreq)], breaks=())


@pytest.mark.parametrize("kw", [{}, {"l_freq": 0},
                                {"l_freq": None, "h_freq": None, "notch": None}])
def test_no_filter_names_no_mne(kw):
    from emofeat.eeg_input import filter_recording

    rec = _recording()
    same = filter_recording(rec, **kw)
    assert np.array_equal(same.data, rec.data)  # nothing filtered
    assert not same.read_by_mne
    got = run([same], [get_extractor("eeg_bands")]).table
    assert got.provenance["environment"].get("mne") is None


@pytest.mark.parametrize("backend", ["fork", "loky"])
def test_two_workers_name_mne(backend):
    from emofeat.eeg_input import filter_recording

    rec = _recording()
    half = rec.data.shape[1] // 2
    recs = [filter_recording(replace(rec, data=rec.data[:, a:b], source=f"{rec.source}#{i}"),
                             notch=50.0)
            for i, (a, b) in enumerate([(0, half), (half, 2 * half)])]
    got = run(recs, [get_extractor("eeg_bands")], n_jobs=2, backend=backend).table
    assert got.shape[0] == 2
    assert got.provenance["environment"].get("mne") == mne.__version__, backend
