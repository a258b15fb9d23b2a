"""The provenance names MNE where an EEG run used it, not where the process had loaded it.

Until session 55 an EEG run named MNE whenever the process had it loaded (emofeat._libraries):
a run of eeg_bands on arrays (Welch PSD computed by emofeat, no MNE call) named MNE because an
earlier run had read an EDF with it. MNE's file read (eeg_input.read_mne) and each use of an
MNE filter design (cached for the process's life) or multitaper PSD now count a call, and a
run names MNE where its shards called it. Real data: MNE's test.edf (its EEG channels).
Exact comparisons of names and versions (no tolerance: a name is or is not recorded).
"""

from __future__ import annotations

import pytest
from conftest import shared_path

from emofeat.registry import get_extractor
from emofeat.runner import run

mne = pytest.importorskip("mne")



def _mne(table) -> str | None:
    return table.provenance["environment"].get("mne")


@pytest.mark.parametrize("n_jobs", [1, 2])
def test_an_array_run_after_an_edf_run_names_mne_only_where_its_sets_used_it(n_jobs):
    edf = shared_path("eeg", "mne_testdata", "test.edf")
    a = run([str(edf)], [get_extractor("eeg_bands")], n_jobs=n_jobs).table
    assert _mne(a) == mne.__version__  # read by MNE
    raw = mne.io.read_raw_edf(edf, preload=True, verbose="error")
    sfreq = float(raw.info["sfreq"])
    x = raw.get_data(picks="eeg")[:4, : int(20 * sfreq)]
    inputs = [(x, sfreq), (x[:, ::-1].copy(), sfreq)]
    b = run(inputs, [get_extractor("eeg_bands")], n_jobs=n_jobs).table
    assert b.shape[0] == 2
    assert _mne(b) is None  # emofeat's own Welch PSD: no MNE call (before: named, loaded)
    # MNE's FIR design decides eeg_de(method="filter")'s numbers: named, also where the
    # design comes from the process's cache (the second run)
    for _ in range(2):
        c = run(inputs, [get_extractor("eeg_de", method="filter")], n_jobs=n_jobs).table
        assert _mne(c) == mne.__version__


@pytest.mark.parametrize("n_jobs", [1, 2])
def test_an_mne_object_names_mne(n_jobs):
    # its samples are MNE's get_data (a lazy Epochs' read from its file by MNE): named,
    # also where no set designs an MNE filter (1a3c762 left such a run without it)
    edf = shared_path("eeg", "mne_testdata", "test.edf")
    raw = mne.io.read_raw_edf(edf, preload=True, verbose="error").pick("eeg")
    x = raw.get_data()
    assert _mne(run([(x, raw.info["sfreq"])], [get_extractor("eeg_bands")],
                    n_jobs=n_jobs).table) is None
    got = run([raw], [get_extractor("eeg_bands")], n_jobs=n_jobs).table
    assert got.shape[0] == 1
    assert _mne(got) == mne.__version__


@pytest.mark.parametrize("n_jobs", [1, 2])
def test_a_recording_read_by_mne_names_mne(n_jobs):
    # read_recording's EEGRecording of an EDF: MNE decoded its samples, before the run (its
    # read counted then, outside the run): named (1a3c762 left it without MNE); the same
    # samples in a recording built from arrays, though under the file's name, name none
    from emofeat.eeg_input import EEGRecording, read_recording

    edf = str(shared_path("eeg", "mne_testdata", "test.edf"))
    rec = read_recording(edf)
    got = run([rec], [get_extractor("eeg_bands")], n_jobs=n_jobs).table
    assert got.shape[0] >= 1
    assert _mne(got) == mne.__version__
    built = EEGRecording(rec.data, rec.sfreq, rec.ch_names, rec.source)
    assert _mne(run([built], [get_extractor("eeg_bands")], n_jobs=n_jobs).table) is None
    # a recording derived from the read one (dataclasses.replace) keeps MNE's samples
    from dataclasses import replace

    half = replace(rec, data=rec.data * 0.5)
    assert _mne(run([half], [get_extractor("eeg_bands")], n_jobs=n_jobs).table) == mne.__version__
