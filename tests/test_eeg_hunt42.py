"""EEG leftovers of session 42: each test reproduces a defect found on real recordings and fails
on the code before its fix."""

from __future__ import annotations

import json
import re
import subprocess
import sys
import textwrap

import numpy as np
import pytest
from conftest import shared_path

mne = pytest.importorskip("mne")

MUSE = ("eeg", "muse_mental_state")

#: address space a subprocess of a filter test may take: the code before the length check
#: allocated a filter of any length MNE's rule asked for (6 TiB for l_freq=1e-9)
_FILTER_MEMORY = 3 << 30


def _muse_path(name: str = "subjecta-neutral-1.csv") -> str:
    return str(shared_path(*MUSE, name))


def test_fir_length_is_the_length_of_mnes_filter():
    """``fir_length`` (computed, no filter designed) is the length of the filter MNE's
    ``create_filter`` designs for the same edges, at the rates of the real recordings (the
    Muse rate estimated from its timestamps, BrainVision's 1000 Hz, BDF's 2048 Hz)."""
    from emofeat.extractors.eeg import fir_length

    from emofeat.eeg_input import read_recording

    rates = (read_recording(_muse_path()).sfreq, 1000.0, 2048.0)
    for sfreq in rates:
        for l_freq, h_freq in ((0.001, None), (0.01, None), (0.1, None), (1.0, 4.0),
                               (None, 40.0), (0.5, 45.0), (7.3, None),
                               (None, sfreq / 2 - 0.01), (0.03, sfreq / 2 - 0.05)):
            h = mne.filter.create_filter(None, sfreq, l_freq, h_freq, verbose="error")
            assert fir_length(sfreq, l_freq, h_freq)[0] == len(h), (sfreq, l_freq, h_freq)


def test_a_filter_longer_than_the_recording_is_mnes_as_long_as_mne_designs_it():
    """Where MNE's filter is longer than the signal, ``mne.filter.filter_data`` filters with
    its warning ("filter_length ... is longer than the signal"): ``filter_recording`` gives
    its result there (a 0.001 Hz highpass, a filter of 844,867 samples, on a 15,204-sample
    Muse recording), to 1e-9 uV."""
    from emofeat.extractors.eeg import MAX_FIR_TAPS, fir_length

    from emofeat.eeg_input import filter_recording, read_recording

    rec = read_recording(_muse_path())
    n_taps = fir_length(rec.sfreq, 0.001, None)[0]
    assert rec.n_times < n_taps <= MAX_FIR_TAPS  # the case
    with pytest.warns(RuntimeWarning, match="is longer than the signal"):
        want = mne.filter.filter_data(rec.data, rec.sfreq, 0.001, None)
    np.testing.assert_allclose(filter_recording(rec, l_freq=0.001).data, want, rtol=0,
                               atol=1e-9)


def test_a_filter_past_the_cap_is_designed_only_for_a_signal_as_long():
    """The rule, without designing anything: refused when longer than both the signal and
    ``MAX_FIR_TAPS`` samples; a signal at least as long as the filter takes any length."""
    from emofeat.extractors.eeg import MAX_FIR_TAPS, check_fir_length, fir_length

    sfreq = 256.0
    l_freq = 3.3 * sfreq / (MAX_FIR_TAPS + 100)  # just past the cap
    n_taps = fir_length(sfreq, l_freq, None)[0]
    assert MAX_FIR_TAPS < n_taps < MAX_FIR_TAPS + 200
    check_fir_length(sfreq, l_freq, None, n_taps)  # a long recording: its filter designed
    with pytest.raises(ValueError, match=f"l_freq={l_freq} needs a filter of {n_taps} "):
        check_fir_length(sfreq, l_freq, None, n_taps - 1)
    check_fir_length(sfreq, 3.3 * sfreq / (MAX_FIR_TAPS - 100), None, 1000)  # under the cap


def test_an_edge_whose_filter_no_memory_holds_is_refused_naming_it():
    """Regression: ``filter_recording(rec, l_freq=1e-9)`` was NumPy's MemoryError ("Unable to
    allocate 6.15 TiB"), naming no parameter: MNE's automatic length for a 1e-9 Hz transition
    band is 844,867,131,889 samples at the Muse rate; an ``h_freq`` 1e-7 Hz under Nyquist was
    67 GB; an edge just past ``MAX_FIR_TAPS`` (2**21 taps, 350 MB and seconds of MNE's
    design for a 59 s recording) was designed; the ``eeg_de`` set's ``method="filter"`` with
    a band from 1e-9 Hz was the same MemoryError. Each is now a ``ValueError`` naming the
    recording, the edge, the filter's length in samples and seconds, the recording's, and the
    way out, raised before any filter is designed. Run in a process of limited address space,
    so that the code before the check cannot take the machine's memory."""
    path = _muse_path()
    code = textwrap.dedent(f"""
        import json, resource
        resource.setrlimit(resource.RLIMIT_AS, ({_FILTER_MEMORY}, {_FILTER_MEMORY}))
        import emofeat
        from emofeat.eeg_input import filter_recording, read_recording
        from emofeat.extractors.eeg import fir_length
        rec = read_recording({path!r})
        print(json.dumps(["rec", fir_length(rec.sfreq, 1e-9, None)[0], rec.n_times,
                          float(rec.sfreq)]), flush=True)
        cap = 2 ** 21
        calls = {{
            "l": lambda: filter_recording(rec, l_freq=1e-9),
            "h": lambda: filter_recording(rec, h_freq=rec.sfreq / 2 - 1e-7),
            "cap": lambda: filter_recording(rec.data, rec.sfreq,
                                            l_freq=3.3 * rec.sfreq / (cap + 100)),
            "de": lambda: emofeat.extract([{path!r}], "eeg_de", params={{
                "method": "filter", "bands": {{"slow": (1e-9, 4.0), "alpha": (8.0, 13.0)}}}}),
        }}
        for key, call in calls.items():
            try:
                call()
                got = ("no error", "")
            except Exception as exc:
                got = (type(exc).__name__, str(exc))
            print(json.dumps([key, *got]), flush=True)
    """)
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    got = {k: tuple(rest) for k, *rest in
           (json.loads(line) for line in proc.stdout.splitlines() if line.startswith("["))}
    assert set(got) == {"rec", "l", "h", "cap", "de"}, proc.stderr[-2000:]
    n_taps, n_times, sfreq = got.pop("rec")
    assert all(got[k][0] == "ValueError" for k in ("l", "h", "cap")), got
    assert got["de"][0] == "InputError", got  # a ValueError naming the input
    l_msg, h_msg, cap_msg, de_msg = (got[k][1] for k in ("l", "h", "cap", "de"))
    # the rate as the docs give it (6 digits: 256.02 Hz, not 256.0203429964151)
    assert l_msg.startswith(f"{path}: l_freq=1e-09 needs a filter of {n_taps} samples "
                            f"({n_taps / sfreq:.6g} s at {sfreq:.6g} Hz: ")
    assert f"longer than the signal ({n_times} samples, {n_times / sfreq:.6g} s)" in l_msg
    assert l_msg.endswith("give a larger l_freq, or l_freq=None (or 0) for no highpass")
    assert h_msg.startswith(f"{path}: h_freq=") and "further below Nyquist" in h_msg
    assert "h_freq=None for no lowpass" in h_msg
    assert cap_msg.startswith("l_freq=") and "than the 2097152 samples" in cap_msg
    assert de_msg.startswith(f"{path}: band 'slow' (1e-09, 4.0)'s lower edge 1e-09 Hz needs "
                             f"a filter of {n_taps} samples")
    assert de_msg.endswith("give a larger lower edge, or 0 for no highpass")


def _renamed_vhdr(renames: dict[str, str]):
    """The BrainVision test recording (32 channels, 1000 Hz), its first 2 s, with channels
    renamed by MNE's ``rename_channels``."""
    raw = mne.io.read_raw(shared_path("eeg", "mne_testdata", "test.vhdr"), preload=True,
                          verbose="error").crop(0, 2)
    return raw.rename_channels(renames)


def _saved(raw, path) -> str:
    """``raw`` written as an EEGLAB file by MNE (FIF cannot hold names that are not ASCII)."""
    pytest.importorskip("eeglabio")
    mne.export.export_raw(str(path), raw, overwrite=True, verbose="error")
    return str(path)


def test_a_channel_decomposed_in_one_recording_is_the_same_column(tmp_path):
    """Regression: a channel name written with a combining mark in one recording
    (``'Fe\\u0301'``, as macOS and some exports write it) and composed in another
    (``'F\\xe9'``) gave columns that look equal and do not join: the second recording was
    refused as having other channels (the API's ``ChannelError``, the command's failed row),
    and tables extracted from each alone had two columns printing ``eeg_hjorth_activity_Fé``.
    Names are now taken in Unicode's composed form (NFC): one column, each recording's
    values in it. The BrainVision test recording renamed with MNE's ``rename_channels``;
    through the command, saved as EEGLAB files by ``mne.export``."""
    import unicodedata

    import emofeat
    from emofeat.cli import EXIT_OK, main

    composed = unicodedata.normalize("NFC", "F\u00e93")
    decomposed = unicodedata.normalize("NFD", composed)
    assert composed != decomposed  # the case
    nfc, nfd = _renamed_vhdr({"F3": composed}), _renamed_vhdr({"F3": decomposed})
    column = f"eeg_hjorth_activity_{composed}"
    files = [_saved(nfc, tmp_path / "nfc.set"), _saved(nfd, tmp_path / "nfd.set")]
    table = emofeat.extract(files, "eeg_hjorth")
    alone = emofeat.extract([nfd], "eeg_hjorth")  # the renamed object itself
    assert column in table.feature_names and column in alone.feature_names
    assert not any(decomposed in n for n in table.feature_names + alone.feature_names)
    np.testing.assert_array_equal(table.X[0], table.X[1])  # the same samples
    # the channel's value, from the file (float32 in EEGLAB) and from the object
    np.testing.assert_allclose(table.X[1, table.feature_names.index(column)],
                               alone.X[0, alone.feature_names.index(column)], rtol=1e-5)
    # the command, one file of each form
    out = tmp_path / "out.parquet"
    assert main(["extract", "-q", "--set", "eeg_hjorth", "-o", str(out), *files]) == EXIT_OK
    got = emofeat.read_table(out)
    assert len(got) == 2 and got.feature_names == table.feature_names
    np.testing.assert_array_equal(got.X, table.X)


def test_a_channel_name_with_an_invisible_character_is_refused_naming_it(tmp_path):
    """Regression: a channel name holding a zero-width joiner (``'F\u200d4'``) went into the
    columns (``eeg_hjorth_activity_F\u200d4``, printed as ``..._F4``), which look like
    another recording's ``F4`` columns and do not join them; two names of one recording that
    are one in NFC gave two columns printing alike. Each is now a ``ChannelError`` naming
    the recording and the channel, its code points shown, through the API and the command
    (a failed row of the errors table, the other file extracted). Plain names are untouched:
    the recording renamed back is extracted as the file."""
    import unicodedata

    import pandas as pd

    import emofeat
    from emofeat.cli import EXIT_SOME_FAILED, main
    from emofeat.errors import ChannelError

    hidden = _renamed_vhdr({"F4": "F\u200d4"})
    with pytest.raises(ChannelError) as err:
        emofeat.extract([hidden], "eeg_hjorth")
    vhdr = str(shared_path("eeg", "mne_testdata", "test.vhdr"))
    assert str(err.value).startswith(f"{vhdr}: channel name 'F\\u200d4' holds "
                                     "U+200D (ZERO WIDTH JOINER), invisible")
    assert "rename the channel" in str(err.value)
    for char, words in (("\u200b", "U+200B (ZERO WIDTH SPACE)"), ("\ufeff", "U+FEFF"),
                        ("\x00", "U+0000 (a control character)")):
        with pytest.raises(ChannelError, match=re.escape(words)):
            emofeat.extract([_renamed_vhdr({"F4": "F4" + char})], "eeg_hjorth")
    both = _renamed_vhdr({"F3": unicodedata.normalize("NFC", "F\u00e9"),
                          "F4": unicodedata.normalize("NFD", "F\u00e9")})
    with pytest.raises(ChannelError, match=re.escape(
            "channel names 'F\\xe9' and 'Fe\\u0301' are one name ('F\u00e9') in Unicode's "
            "composed form (NFC)")):
        emofeat.extract([both], "eeg_hjorth")
    # a guard, not a regression (the same before the check): plain names renamed back give
    # the recording's own columns and values
    plain = _renamed_vhdr({"F4": "F4"})
    np.testing.assert_array_equal(emofeat.extract([plain], "eeg_hjorth").X,
                                  emofeat.extract([_renamed_vhdr({})], "eeg_hjorth").X)
    # the command: the file of the hidden name fails alone, named in the errors table
    good = _saved(plain, tmp_path / "plain.set")
    bad = _saved(hidden, tmp_path / "hidden.set")
    out = tmp_path / "out.parquet"
    assert main(["extract", "-q", "--set", "eeg_hjorth", "-o", str(out), good, bad]
                ) == EXIT_SOME_FAILED
    errors = pd.read_csv(tmp_path / "out.errors.csv")
    assert len(errors) == 1 and errors.iloc[0].astype(str).str.contains("hidden.set", regex=False).any()
    assert errors.iloc[0].astype(str).str.contains("U+200D", regex=False).any()
    table = emofeat.read_table(out)
    assert len(table) == 1 and not any("\u200d" in n for n in table.feature_names)


def _lazy_events_epochs():
    """The BrainVision test recording cut at its events (0.3 s each; 13, or 14 where MNE
    keeps the file's first marker, "New Segment": MNE 1.6, the floor), not loaded."""
    raw = mne.io.read_raw(shared_path("eeg", "mne_testdata", "test.vhdr"), preload=True,
                          verbose="error")
    events, _ = mne.events_from_annotations(raw, verbose="error")
    return mne.Epochs(raw, events, tmin=0, tmax=0.3, baseline=None, preload=False,
                      verbose="error")


def test_a_lazy_epochs_is_read_from_its_raw_once_per_run(tmp_path, monkeypatch):
    """Regression: an Epochs made with ``preload=False`` was loaded from its Raw once to key
    it (a run with an output), once to learn the channels from it and once to extract it:
    the 13 BrainVision test events were read 26 times by ``extract`` and 39 with an output,
    where MNE's ``get_data`` reads them 13 times. A run now keeps the loaded copy of the lazy
    Epochs it last read: 13 reads either way (counted at MNE's ``_get_epoch_from_raw``), the
    same table as the loaded Epochs gives. Not across runs: an epoch dropped from the object
    after a run is gone from the next one's table."""
    import emofeat
    from emofeat.registry import get_extractor
    from emofeat.runner import run

    reads = []
    read_one = mne.Epochs._get_epoch_from_raw

    def counted(self, idx, *args, **kwargs):
        reads.append(idx)
        return read_one(self, idx, *args, **kwargs)

    monkeypatch.setattr(mne.Epochs, "_get_epoch_from_raw", counted)
    lazy = _lazy_events_epochs()
    lazy.get_data(verbose="error")
    by_mne = len(reads)
    assert by_mne == len(lazy.drop_log)  # the case: each event MNE cut at read once
    loaded = _lazy_events_epochs().load_data()
    want = emofeat.extract([loaded], "eeg_hjorth")
    for output in (None, tmp_path / "o.parquet"):
        lazy = _lazy_events_epochs()
        reads.clear()
        if output is None:
            got = emofeat.extract([lazy], "eeg_hjorth")
        else:
            assert run([lazy], [get_extractor("eeg_hjorth")], output=str(output)).errors.empty
            got = emofeat.read_table(output)
        assert len(reads) == by_mne, output
        np.testing.assert_array_equal(got.X, want.X)
        assert not lazy.preload  # the user's object as it was
    lazy.drop([0], verbose="error")
    assert len(emofeat.extract([lazy], "eeg_hjorth")) == len(want) - 1
