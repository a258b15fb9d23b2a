"""Review of the EEG commits of session 42 (9582614, 2d33c2d, 31972f1): each test fails on
the code before its mend."""

from __future__ import annotations

import numpy as np
import pytest
from conftest import shared_path

mne = pytest.importorskip("mne")

MUSE = ("eeg", "muse_mental_state")


def _muse_path(name: str = "subjecta-neutral-1.csv") -> str:
    return str(shared_path(*MUSE, name))


def test_a_long_filter_convolves_the_channels_in_blocks_within_its_budget(monkeypatch):
    """Regression: ``_apply_fir`` convolved every channel at once, so the memory of a filter
    under ``MAX_FIR_TAPS`` grew with channels x (samples + taps): 73 channels of 1 s at
    2048 Hz with 2,096,151 taps peaked at 3.8 GB (MNE's filter_data, one channel at a time,
    372 MB), 160 channels under 8 GiB were a MemoryError. The channels now go in blocks
    within ``_FIR_BLOCK_BYTES``; counted here at scipy's ``oaconvolve`` with the budget made
    two rows of a 0.1 Hz highpass on the Muse recording, the result MNE's."""
    import scipy.signal
    from emofeat.extractors import eeg

    from emofeat.eeg_input import filter_recording, read_recording

    rec = read_recording(_muse_path())
    n_h = eeg.fir_length(rec.sfreq, 0.1, None)[0]
    padded = rec.n_times + 2 * (min(n_h, rec.n_times) - 1) + n_h
    monkeypatch.setattr(eeg, "_FIR_BLOCK_BYTES", 16 * padded * 2 + 15, raising=False)
    rows = []
    real = scipy.signal.oaconvolve

    def counted(a, b, *args, **kwargs):
        rows.append(np.shape(a)[0])
        return real(a, b, *args, **kwargs)

    monkeypatch.setattr(scipy.signal, "oaconvolve", counted)
    got = filter_recording(rec, l_freq=0.1).data
    assert len(rec.ch_names) > 2  # the case: more channels than one block holds
    assert sum(rows) == len(rec.ch_names) and max(rows) == 2, rows
    want = mne.filter.filter_data(rec.data, rec.sfreq, 0.1, None, verbose="error")
    np.testing.assert_allclose(got, want, rtol=0, atol=1e-9)


def _muse_signal(names) -> object:
    """The first 4 s of the Muse recording's channels as an ``EEGSignal`` named ``names``."""
    from emofeat.eeg_input import read_recording
    from emofeat.readers import EEGSignal

    rec = read_recording(_muse_path())
    n = int(4 * rec.sfreq)
    return EEGSignal(rec.data[: len(names), :n], rec.sfreq, tuple(names), "muse-4s")


def test_numpy_string_names_are_checked_as_str_names():
    """Regression: names that are numpy ``str_`` (what ``scipy.io.loadmat`` gives: SEED,
    DEAP) skipped the names' check (its fast path tested ``type(n) is not str``), so
    ``'F\\u200d4'`` gave a column holding the zero-width joiner, and ``'Fe\\u0301'`` one that
    does not join ``'F\\xe9'``'s. They are checked and made NFC ``str`` as ``str`` names are."""
    import emofeat
    from emofeat.eeg_input import EEGChannelError

    hidden = _muse_signal(np.array(["TP9", "F\u200d4"]))
    with pytest.raises(EEGChannelError, match=r"muse-4s: channel name 'F\\u200d4' holds U\+200D"):
        emofeat.extract([hidden], "eeg_hjorth")
    numpy_names = emofeat.extract([_muse_signal(np.array(["TP9", "Fe\u0301"]))], "eeg_hjorth")
    str_names = emofeat.extract([_muse_signal(["TP9", "F\xe9"])], "eeg_hjorth")
    assert numpy_names.feature_names == str_names.feature_names
    assert "eeg_hjorth_activity_F\xe9" in str_names.feature_names
    np.testing.assert_array_equal(numpy_names.X, str_names.X)
    # and stored as str, not np.str_ (which compares equal to one): the fitted channels and
    # the read signal's, for ASCII names too
    from emofeat.registry import get_extractor

    for names in (np.array(["TP9", "AF7"]), np.array(["TP9", "Fe\u0301"])):
        signal = _muse_signal(names)
        ext = get_extractor("eeg_hjorth").fit([signal])
        stored = list(ext.channels_) + list(ext.reader().read(signal)[0].ch_names)
        assert [type(n) for n in stored] == [str] * 4


def _decomposed_muse_csv(tmp_path) -> str:
    """The Muse recording with its AF7 column named ``'Fe\\u0301'`` (a combining mark)."""
    text = open(_muse_path(), encoding="utf-8").read()
    header, rest = text.split("\n", 1)
    assert ",AF7," in header
    path = tmp_path / "decomposed.csv"
    path.write_text(header.replace(",AF7,", ",Fe\u0301,") + "\n" + rest, encoding="utf-8")
    return str(path)


def test_picks_and_exclude_match_the_names_as_recordings_show_them(tmp_path):
    """Regression: ``picks`` and ``exclude`` were matched against a file's own spelling,
    while ``rec.ch_names`` (and the columns) are NFC: on a CSV whose header holds
    ``'Fe\\u0301'``, ``picks=['F\\xe9']`` was refused as "no column Fé (columns: [..., 'Fé'])"
    and ``exclude=('F\\xe9',)`` was ignored; an MNE file the same (``raw.pick`` is exact).
    Either spelling now picks or excludes the channel; a pick matching nothing is refused
    with the names shown by ``ascii()``."""
    from test_eeg_hunt42 import _renamed_vhdr, _saved

    from emofeat.eeg_input import EEGChannelError, read_recording

    path = _decomposed_muse_csv(tmp_path)
    whole = read_recording(path)
    assert whole.ch_names == ("TP9", "F\xe9", "AF8", "TP10")
    for spelled in ("F\xe9", "Fe\u0301"):
        got = read_recording(path, picks=["TP9", spelled])
        assert got.ch_names == ("TP9", "F\xe9")
        np.testing.assert_array_equal(got.data, whole.data[:2])
        assert read_recording(path, exclude=("Right AUX", spelled)).ch_names == (
            "TP9", "AF8", "TP10")
    with pytest.raises(EEGChannelError, match=r"no column 'F\\u200de' \(columns: "
                       r"\['timestamps', 'TP9', 'Fe\\u0301', "):
        read_recording(path, picks=["F\u200de"])
    eeglab = _saved(_renamed_vhdr({"F3": "Fe\u0301"}), tmp_path / "renamed.set")
    picked = read_recording(eeglab, picks=["F\xe9", "F4"])
    assert picked.ch_names == ("F\xe9", "F4")


def test_eeg_de_filter_refusal_names_the_input():
    """Regression: ``eeg_de`` with ``method="filter"`` refused a band whose filter is longer
    than the recording and than ``MAX_FIR_TAPS`` with a bare ``ValueError`` through the API,
    naming no input (a 0.0003 Hz edge on the Muse subjectd-concentrating-2, 888 samples):
    it is an ``InputError`` naming the recording, as the sets' other refusals."""
    import emofeat
    from emofeat.errors import InputError

    short = _muse_path("subjectd-concentrating-2.csv")
    with pytest.raises(InputError) as err:
        emofeat.extract([short], "eeg_de",
                        params={"method": "filter", "bands": {"slow": (0.0003, 4.0)}})
    assert err.value.source == short
    assert str(err.value).startswith(f"{short}: band 'slow' (0.0003, 4.0)'s lower edge ")
    assert "longer than the signal (888 samples" in str(err.value)


def test_a_run_holds_one_loaded_copy_of_a_lazy_epochs(tmp_path):
    """Regression: the run's keeping of a lazy Epochs' loaded copy (31972f1) held it while the
    reader took ``get_data``'s copy of it beside, so ``extract`` of a lazy Epochs peaked at
    three loaded copies where a read without the keeping (b808095) peaked at two (16 ch,
    300 s at 500 Hz, 598 epochs: 57.8 MB against 38.7 MB). The reader now takes the kept copy's
    samples in place where it reads all its channels. Measured with tracemalloc on the EEG
    channels of the BrainVision test recording cut in overlapping 1 s epochs every 0.1 s
    (the bytes of one loaded copy counted from it, a run first so that compiling and imports
    are not in the peak); the table equals the loaded Epochs'."""
    import tracemalloc

    import emofeat
    from emofeat.registry import get_extractor
    from emofeat.runner import run

    raw = mne.io.read_raw(shared_path("eeg", "mne_testdata", "test.vhdr"), preload=True,
                          verbose="error").pick("eeg")
    events = mne.make_fixed_length_events(raw, duration=0.1, overlap=0.0)

    def lazy():
        return mne.Epochs(raw, events, tmin=0, tmax=1.0, baseline=None, preload=False,
                          verbose="error")

    loaded = lazy().load_data()
    copy = loaded.get_data(copy=False).nbytes
    assert copy > 10e6  # the case: the data, not the bookkeeping, make the peak
    want = emofeat.extract([loaded], "eeg_hjorth")
    del loaded
    for output in (None, tmp_path / "o.parquet"):
        item = lazy()
        tracemalloc.start()
        try:
            if output is None:
                got = emofeat.extract([item], "eeg_hjorth")
            else:
                assert run([item], [get_extractor("eeg_hjorth")],
                           output=str(output)).errors.empty
                got = emofeat.read_table(output)
            peak = tracemalloc.get_traced_memory()[1]
        finally:
            tracemalloc.stop()
        assert peak < 1.6 * copy, (output, peak / copy)
        np.testing.assert_array_equal(got.X, want.X)


def _names_as_before_nfc(monkeypatch) -> None:
    """Channel names kept as given, as emofeat took them before 2d33c2d made them NFC: what
    a model fitted or an output written then holds."""
    from emofeat import eeg_input, readers

    def as_given(names, source):
        return tuple(names)

    monkeypatch.setattr(readers, "column_channel_names", as_given)
    monkeypatch.setattr(eeg_input, "column_channel_names", as_given)


def test_outputs_made_before_names_were_nfc_are_refused_saying_so(tmp_path, monkeypatch):
    """Regression: a model fitted, an output or a table written before channel names were
    made NFC, of a channel ``'Fe\\u0301'``, is refused beside today's ``'F\\xe9'``, but the
    resume and concat refusals printed the two names alike ("would lose
    'eeg_hjorth_activity_Fé' ... adds 'eeg_hjorth_activity_Fé'") and the model's said the
    user's data changed: now the names are shown by ``ascii()`` and each says the thing was
    made before names became NFC, and to fit, extract or write again. The old ones are made
    here with the names kept as given (the real Muse recording, its AF7 named
    ``'Fe\\u0301'``)."""
    import emofeat
    from emofeat.eeg_input import EEGChannelError
    from emofeat.registry import get_extractor
    from emofeat.runner import run
    from emofeat.store import FeatureNamesMismatchError

    path = _decomposed_muse_csv(tmp_path)
    output = tmp_path / "old.parquet"
    with monkeypatch.context() as before:
        _names_as_before_nfc(before)
        model = get_extractor("eeg_hjorth").fit([path])
        assert run([path], [get_extractor("eeg_hjorth")], output=str(output)).errors.empty
        old = emofeat.read_table(output)
    assert "eeg_hjorth_activity_Fe\u0301" in old.feature_names  # the case
    with pytest.raises(EEGChannelError, match=r"'Fe\\u0301' fitted, 'F\\xe9' here; the "
                       "extractor was fitted before emofeat made channel names NFC .*fit it "
                       r"again \(\['TP9', 'F\\xe9', "):
        model.transform([path])
    with pytest.raises(FeatureNamesMismatchError,
                       match=r"lose 'eeg_hjorth_activity_Fe\\u0301', .* adds "
                       r"'eeg_hjorth_activity_F\\xe9', .*the output was written before "
                       "emofeat made EEG channel names NFC"):
        run([path], [get_extractor("eeg_hjorth")], output=str(output))
    with pytest.raises(ValueError, match=r"\(e.g. \['eeg_hjorth_activity_Fe\\u0301', .*"
                       r"\(e.g. \['eeg_hjorth_activity_F\\xe9', .*one table was written "
                       "before emofeat made EEG channel names NFC"):
        emofeat.FeatureTable.concat([old, emofeat.extract([path], "eeg_hjorth")])


def test_default_ignorable_characters_in_a_channel_name_are_refused():
    """Regression: only the categories Cc, Cf, Cs, Zl, Zp were refused, so the combining
    grapheme joiner U+034F, the variation selector U+FE0F (Mn), the Hangul fillers U+3164 and
    U+115F (Lo) and U+2800 BRAILLE PATTERN BLANK gave columns printing as another channel's.
    Unicode's Default_Ignorable_Code_Point (its ranges equal the ``regex`` module's
    property) and U+2800 are refused now, naming the code point."""
    import emofeat
    from emofeat.eeg_input import EEGChannelError

    for char in ("\u034f", "\ufe0f", "\u3164", "\u115f", "\u2800"):
        with pytest.raises(EEGChannelError, match=f"holds U\\+{ord(char):04X} "):
            emofeat.extract([_muse_signal(["TP9", "AF7" + char])], "eeg_hjorth")
    from emofeat.eeg_input import INVISIBLE_RANGES

    regex = pytest.importorskip("regex")
    ignorable = regex.compile(r"\p{Default_Ignorable_Code_Point}")
    ours = {c for first, last in INVISIBLE_RANGES for c in range(first, last + 1)} - {0x2800}
    assert ours == {c for c in range(0x110000)
                    if not 0xD800 <= c <= 0xDFFF and ignorable.match(chr(c))}


def test_a_recording_s_channel_names_are_a_tuple():
    """Regression: ``EEGRecording.ch_names`` became a tuple only where a name was made NFC;
    a list of ASCII names stayed a list."""
    from emofeat.eeg_input import EEGRecording, read_recording

    rec = read_recording(_muse_path())
    for given in (list(rec.ch_names), ["TP9", "Fe\u0301", "AF8", "TP10"]):
        assert type(EEGRecording(rec.data, rec.sfreq, given, "muse").ch_names) is tuple


def test_long_filters_are_cached_within_a_bound_on_their_taps(monkeypatch):
    """Regression: the cache of designed filters (128 of them) kept filters of up to
    ``MAX_FIR_TAPS`` taps, 2 GB in all; then (49f1d40) a filter of more than 2**16 taps (a
    0.01 Hz highpass at the Muse rate: 84,000) was designed at each use, in ``eeg_de``'s
    ``method="filter"`` once per window and band. Long filters are now kept while those
    used since hold at most ``_FIR_LONG_TAPS`` taps (MNE's ``create_filter`` counted): each
    designed once on the Muse recording and in ``eeg_de`` of ten 1 s windows; with the bound
    holding one of two long filters, the other designed again after it."""
    import mne.filter
    from emofeat.extractors import eeg

    from emofeat.eeg_input import EEGRecording, filter_recording, read_recording
    from emofeat.registry import get_extractor
    from emofeat.runner import run

    rec = read_recording(_muse_path())
    calls = []
    design = mne.filter.create_filter

    def counted(*args, **kwargs):
        calls.append(args[2:4])
        return design(*args, **kwargs)

    def cleared():
        eeg._fir_cached.cache_clear()
        getattr(eeg, "_fir_long", {}).clear()  # none before this cache
        calls.clear()

    monkeypatch.setattr(mne.filter, "create_filter", counted)
    taps = {f: eeg.fir_length(rec.sfreq, f, None)[0] for f in (0.01, 0.005)}
    assert min(taps.values()) > eeg._FIR_CACHED_TAPS  # the case
    cleared()
    for _ in range(2):
        filter_recording(rec, l_freq=0.01)
        filter_recording(rec, l_freq=1.0)
    assert calls == [(0.01, None), (1.0, None)]

    cleared()
    ten = EEGRecording(rec.data[:, : int(10 * rec.sfreq)], rec.sfreq, rec.ch_names, "muse")
    de = get_extractor("eeg_de", method="filter", bands={"slow": (0.01, 4.0)})
    assert len(run([ten], [de], segment=1.0).table) == 10
    assert calls == [(0.01, 4.0)]

    cleared()
    monkeypatch.setattr(eeg, "_FIR_LONG_TAPS", taps[0.01] + taps[0.005] - 1)
    for f in (0.01, 0.005, 0.005, 0.01):
        filter_recording(rec, l_freq=f)
    assert calls == [(0.01, None), (0.005, None), (0.01, None)]
    assert sum(h.shape[0] for h in eeg._fir_long.values()) <= eeg._FIR_LONG_TAPS
