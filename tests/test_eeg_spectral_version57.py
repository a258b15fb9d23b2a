"""eeg_spectral is at numbers version 1: its two-bin rule (90bfd32) drops rows (session 57).

A range must hold two PSD bins, so a narrow range needs more samples: 8-13 Hz takes 99 at
256 Hz (40 before), above the EEG tail rule's quarter second (65). A ``--segment`` run's
last window of 65-98 samples, kept before, is now dropped for every set of the run: the real
Muse recording ``subjecta-concentrating-1`` in 59 s windows gave 2 rows, it gives 1. An
output begun before is refused on resume (naming the numbers version) rather than finished
with the other row set beside its rows.
"""

from __future__ import annotations

import json

import pytest
from conftest import shared_path


def test_an_output_of_eeg_spectral_version_0_is_refused_on_resume(tmp_path, monkeypatch):
    import pyarrow.parquet as pq
    from emofeat.extractors.eeg_sets import EEGSpectral

    from emofeat.registry import get_extractor, installed_numbers_version
    from emofeat.runner import run
    from emofeat.store import ParameterMismatchError

    path = shared_path("eeg", "muse_mental_state", "subjecta-concentrating-1.csv")
    assert EEGSpectral.numbers_version == installed_numbers_version("eeg_spectral") == 1

    def sets():
        return [get_extractor("eeg_stats"), get_extractor("eeg_spectral", fmin=8, fmax=13)]

    assert sets()[1].min_samples(256.0) > 256 // 4 + 1  # above the tail rule's quarter second
    out = tmp_path / "m.parquet"
    with monkeypatch.context() as m:
        m.setattr(EEGSpectral, "numbers_version", 0)  # the code before: version 0, unrecorded
        run([str(path)], sets(), output=out, segment=59)
    meta = json.loads(pq.read_schema(out).metadata[b"emofeat"])["provenance"]["sets"]
    assert "numbers_version" not in meta[1]
    with pytest.raises(ParameterMismatchError,
                       match=r"eeg_spectral set's numbers changed for the same parameters.*"
                             r"numbers version 0 there, 1 now"):
        run([str(path)], sets(), output=out, segment=59)
