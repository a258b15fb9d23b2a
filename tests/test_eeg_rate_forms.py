"""A Muse CSV gives the same EEG features whichever form it reaches an extractor in: its path,
the :class:`~emofeat.eeg_input.EEGRecording` ``read_muse``/``read_recording`` make of it, or
that recording's ``(data, sfreq[, ch_names])``. Its rate is estimated from millisecond-rounded
timestamps (256.02 Hz for the 256 Hz headband) and every form takes it as the extractor's
nominal ``sfreq`` within the one tolerance (``emofeat.readers.analysis_rate``); a rate that
is really another (250, 500 Hz, the recording with dropped samples that estimates 254.2 Hz)
is refused in every form, and a declared rate (a plain number, an MNE object's) must match
exactly, as before."""

from __future__ import annotations

import copy
import pickle

import numpy as np
import pytest
from conftest import shared_path
from emofeat.extractors import EEGBandPower, EEGHjorth, EEGSpectral, EEGStats

from emofeat.datasets.eeg_corpora import read_muse
from emofeat.eeg_input import read_recording
from emofeat.errors import SignalTypeError
from emofeat.readers import EEGReader, EstimatedRate, estimated_rate_rtol
from emofeat.signal import EEGSignal

MUSE = ("eeg", "muse_mental_state")
#: the recording whose timestamps have gaps and which estimates 254.2 Hz (samples dropped)
DROPPED = "subjectb-relaxed-2.csv"


def _forms(rec):
    """Every in-memory form of a recording an EEG extractor takes, by name."""
    return {
        "recording": rec,
        "as_tuple": rec.as_tuple(),
        "(data, sfreq)": (rec.data, rec.sfreq),
        "(data, sfreq, ch_names)": (rec.data, rec.sfreq, list(rec.ch_names)),
    }


def _muse_files():
    folder = shared_path(*MUSE)
    return sorted(p for p in folder.glob("*.csv") if p.name != DROPPED)


def test_every_form_of_every_muse_file_gives_the_features_of_its_path():
    """Regression: ``read_muse(path)`` handed to an extractor with ``sfreq=256`` was refused
    (the recording: "not an EEG recording"; its ``(data, sfreq)``: "sampled at 256.02 Hz")
    while the path was analysed at 256 Hz. Every form now gives the path's row, bit for bit
    (both at the nominal rate); the spectral set shows the rate matters (at the estimate its
    edge frequencies move by up to 10 %)."""
    files = _muse_files()
    assert len(files) == 23
    for path in files:
        rec = read_muse(path)
        assert isinstance(rec.sfreq, EstimatedRate) and rec.sfreq != 256.0
        for cls in (EEGSpectral, EEGBandPower):
            want = cls(sfreq=256).fit_transform([str(path)])
            for name, item in _forms(rec).items():
                got = cls(sfreq=256).fit_transform([item])
                np.testing.assert_array_equal(got, want, err_msg=f"{path.name}, {name}")
            # the same samples at the estimated rate: another row, so the above is no tautology
            assert not np.array_equal(
                cls().fit_transform([(rec.data, float(rec.sfreq), rec.ch_names)]), want)


def test_without_sfreq_every_form_is_analysed_at_the_estimate():
    """An extractor with no ``sfreq`` analyses the path and the recording's forms alike, at
    the rate estimated from the timestamps (there is no nominal rate to take)."""
    path = shared_path(*MUSE, "subjectc-neutral-2.csv")  # 9 s: a wider tolerance
    rec = read_muse(path)
    want = EEGSpectral().fit_transform([str(path)])
    np.testing.assert_array_equal(
        want, EEGSpectral().fit_transform([(rec.data, float(rec.sfreq), rec.ch_names)]))
    for name, item in _forms(rec).items():
        np.testing.assert_array_equal(EEGSpectral().fit_transform([item]), want, err_msg=name)
    sigs = EEGReader().read(rec)
    assert [s.sfreq for s in sigs] == [rec.sfreq] and isinstance(sigs[0].sfreq, EstimatedRate)
    # the reader's signals keep saying their rate is an estimate
    np.testing.assert_array_equal(EEGSpectral(sfreq=256).fit_transform(sigs),
                                  EEGSpectral(sfreq=256).fit_transform([str(path)]))


def test_the_runner_gives_the_recording_the_rows_of_its_path():
    """``extract`` (the runner, windows of ``segment`` seconds) on the recording: the rows and
    their times of the path, named by the recording's source."""
    path = shared_path(*MUSE, "subjectd-concentrating-2.csv")  # 3.5 s
    rec = read_recording(path)
    ext = EEGBandPower(sfreq=256)
    from emofeat.runner import run

    want = run([str(path)], [ext], segment=1.0, on_error="raise").table
    got = run([rec], [ext], segment=1.0, on_error="raise").table
    np.testing.assert_array_equal(got.X, want.X)
    np.testing.assert_array_equal(got.index["start"], want.index["start"])
    assert list(got.index["path"]) == [str(path)] * len(want.X)


def test_a_recording_is_cut_at_its_gaps_as_its_file_is():
    """The recording form is cut at its ``breaks`` (one row per gap-free stretch), as the
    path; at its own estimated rate (no ``sfreq``) both forms agree."""
    path = shared_path(*MUSE, DROPPED)
    rec = read_muse(path)
    assert len(rec.breaks) == 9
    want = EEGStats().fit_transform([str(path)])
    got = EEGStats().fit_transform([rec])
    assert got.shape[0] == len(rec.breaks) + 1
    np.testing.assert_array_equal(got, want)


@pytest.mark.parametrize(("name", "want"), [(DROPPED, 256), ("subjecta-neutral-1.csv", 250),
                                            ("subjecta-neutral-1.csv", 500)])
def test_a_rate_really_off_is_refused_in_every_form(name, want):
    """The recording with dropped samples estimates 254.2 Hz, 0.7 % below 256 Hz: refused at
    ``sfreq=256`` in every form, with the message naming the estimate and its tolerance; a
    256 Hz recording is refused at 250 and 500 Hz in every form."""
    path = shared_path(*MUSE, name)
    rec = read_muse(path)
    rtol = estimated_rate_rtol(rec.n_times - 1 - len(rec.breaks))
    assert abs(rec.sfreq - want) > rtol * want
    msg = (rf"sampled at {rec.sfreq:.6g} Hz \(estimated from its timestamps\), the extractor "
           rf"expects {want} Hz \(EEG is never resampled silently; a rate estimated from this "
           rf"recording's timestamps may differ from it by {rtol:.2g} relative\)")
    for cls in (EEGStats, EEGHjorth, EEGBandPower):
        for label, item in [("path", str(path)), *_forms(rec).items()]:
            source = str(path) if label in ("path", "recording") else "<array 0>"
            with pytest.raises(SignalTypeError, match=f"^{source}: {msg}$"):
                cls(sfreq=want).fit_transform([item])


def test_a_declared_rate_must_match_exactly(tmp_path):
    """A plain number is a rate someone declared: ``(rec.data, float(rec.sfreq))``, an MNE
    Raw built with the estimate (MNE keeps a plain float in ``info["sfreq"]``, in memory and
    in the FIF it saves) and a signal at another rate are refused at ``sfreq=256``; an MNE
    Raw built with the nominal rate gives the path's row."""
    mne = pytest.importorskip("mne")
    path = shared_path(*MUSE, "subjecta-relaxed-1.csv")
    rec = read_muse(path)
    raw = mne.io.RawArray(rec.data, mne.create_info(list(rec.ch_names), rec.sfreq, "eeg"),
                          verbose="error")
    assert type(raw.info["sfreq"]) is float
    fif = tmp_path / "muse_raw.fif"
    raw.save(fif, verbose="error")
    declared = {
        "FIF": str(fif),
        "(data, float)": (rec.data, float(rec.sfreq), rec.ch_names),
        "Raw": raw,
        "signal": EEGSignal(rec.data, float(rec.sfreq), rec.ch_names, "<signal>"),
    }
    for item in declared.values():
        with pytest.raises(SignalTypeError, match=r"sampled at 256.02 Hz, the extractor expects "
                           r"256 Hz \(EEG is never resampled silently\)$"):
            EEGBandPower(sfreq=256).fit_transform([item])
    nominal = mne.io.RawArray(rec.data, mne.create_info(list(rec.ch_names), 256.0, "eeg"),
                              verbose="error")
    np.testing.assert_array_equal(EEGSpectral(sfreq=256).fit_transform([nominal]),
                                  EEGSpectral(sfreq=256).fit_transform([str(path)]))


def test_a_signal_at_another_rate_is_refused():
    """Regression: an :class:`EEGSignal` item was analysed at its own rate whatever the
    extractor's ``sfreq`` (500 Hz samples at ``sfreq=256``, silently)."""
    x = np.random.default_rng(0).standard_normal((4, 2000))
    sig = EEGSignal(x, 500.0, ("a", "b", "c", "d"), "<signal>")
    with pytest.raises(SignalTypeError, match="<signal>: sampled at 500 Hz, the extractor "
                       "expects 256 Hz"):
        EEGStats(sfreq=256).fit_transform([sig])
    with pytest.raises(SignalTypeError, match="expects 256 Hz"):
        EEGReader(sfreq=256).read(sig)
    assert EEGReader(sfreq=500).read(sig) == [sig]


def test_a_run_of_windows_does_not_carry_an_estimate_over_to_a_declared_rate():
    """The batched sets read a run of equal-shaped ``(array, sfreq)`` windows through its
    first: a window with a declared rate equal to the estimate of the one before must still
    be refused, not analysed at the nominal rate the estimate was taken as."""
    path = shared_path(*MUSE, "subjecta-neutral-2.csv")
    rec = read_muse(path)
    a, b = rec.data[:, :1024], rec.data[:, 1024:2048]
    ext = EEGBandPower(sfreq=256)
    rows = ext.fit_transform([(a, rec.sfreq), (b, rec.sfreq)])
    np.testing.assert_array_equal(rows, ext.fit_transform([(a, 256.0), (b, 256.0)]))
    with pytest.raises(SignalTypeError, match=r"^<array 1>: sampled at 256.02\d* Hz, the "):
        ext.fit_transform([(a, rec.sfreq), (b, float(rec.sfreq))])


def test_an_estimated_rate_survives_copies_and_gives_plain_floats():
    """Pickling (worker processes), deep copies (sklearn's clone) keep the estimate's
    interval count; arithmetic on it gives plain floats (a derived number is no estimate)."""
    from sklearn.base import clone

    r = EstimatedRate(256.0203, 15203)
    for c in (pickle.loads(pickle.dumps(r)), copy.deepcopy(r), clone(EEGStats(sfreq=r)).sfreq):
        assert type(c) is EstimatedRate and c == r and c.n_intervals == 15203
    assert type(r * 2) is float and type(float(r)) is float and repr(r) == "256.0203"
    assert r.rtol == estimated_rate_rtol(15203) == 1e-3
    assert EstimatedRate(255.0, 100).rtol == pytest.approx(0.01)


def test_a_bare_recording_gets_the_message_of_any_single_input():
    """A recording passed without a list is refused like a path or a signal, with the remedy
    (it said "expected a list of eeg inputs, got EEGRecording")."""
    rec = read_muse(_muse_files()[0])
    with pytest.raises(ValueError, match="expects a list of inputs; wrap a single input"):
        EEGBandPower(sfreq=256).fit_transform(rec)
