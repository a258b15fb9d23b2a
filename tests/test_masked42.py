"""Masked arrays (``numpy.ma``) given in memory: the mask is read, for every set, where the
in-memory signal becomes samples (``prepare_signal`` for audio, the EEG reader's arrays).

NumPy's conversion keeps a masked array's data, the values under the mask included: until
session 42 every set measured a masked array as if nothing were masked (the clipping or
artefacts a user masked out entered the features). Now masked samples follow the rule of
missing (NaN) samples of their modality: audio refuses them (as NaN audio), saying they are
masked; EEG reads them as NaN (NaN features for the channels holding them, the others
untouched, with the channel warning). A masked array with nothing masked is its data.
"""

from __future__ import annotations

import warnings

import numpy as np
import pytest
import soundfile as sf
from conftest import shared_path

import emofeat
from emofeat import get_extractor
from emofeat.audio import Audio, prepare_signal
from emofeat.errors import NonFiniteInputError
from emofeat.readers import AudioReader, EEGChannelWarning, EEGReader
from emofeat.signal import EEGSignal

MASKED = slice(20000, 20010)  # ten samples in the speech of the clip (1.25 s)


@pytest.fixture(scope="module")
def ravdess_clip(ravdess_files):
    """A real RAVDESS clip at its own rate (16 kHz in ../shared/data), as soundfile reads it."""
    y, sr = sf.read(ravdess_files[3], dtype="float32")
    assert y.ndim == 1 and y.shape[0] > MASKED.stop
    return y, sr


def _masked(y: np.ndarray, where=MASKED, value=0.99) -> np.ma.MaskedArray:
    """``y`` with the samples at ``where`` set to ``value`` (clipping) and masked."""
    data = np.array(y, copy=True)
    data[where] = value
    mask = np.zeros(data.shape, dtype=bool)
    mask[where] = True
    return np.ma.MaskedArray(data, mask=mask)


def _as_nan(m: np.ma.MaskedArray) -> np.ndarray:
    return m.astype(np.float64).filled(np.nan)


# ------------------------------------------------------------------------------ audio
def test_masked_audio_is_refused_as_nan_audio_is(ravdess_clip):
    """NaN audio is a NonFiniteInputError; masked audio is the same error, its message
    saying masked and the way out, whatever form the item takes."""
    y, sr = ravdess_clip
    m = _masked(y)
    n = y.shape[0]
    with pytest.raises(NonFiniteInputError, match="3 of") as nan_error:
        get_extractor("mfcc").fit_transform([(_as_nan(_masked(y, slice(0, 3))), sr)])
    assert nan_error.value.source == "<array 0>"
    said = (rf"<array 0>: 10 of {n} samples are masked \(a numpy.ma masked array\).*"
            r"\.filled\(0\.0\).*\.compressed\(\)")
    for item in ((m, sr), Audio(m, sr, "<array 0>", sr, 1)):
        with pytest.raises(NonFiniteInputError, match=said):
            get_extractor("mfcc").fit_transform([item])
    short = _masked(y[:16000], slice(100, 110))  # a bare array is at the set's rate
    with pytest.raises(NonFiniteInputError, match=r"<array 0>: 10 of 16000 samples are masked"):
        get_extractor("prosody").fit_transform([short])
    with pytest.raises(NonFiniteInputError, match="samples are masked"):
        emofeat.extract([(m, sr)], "mfcc")
    stereo = np.ma.MaskedArray(np.stack([y, y], axis=1), mask=False)
    stereo.mask[5, 1] = True
    with pytest.raises(NonFiniteInputError,
                       match=rf"1 of {2 * n} values of the \(samples, channels\) array is masked"):
        get_extractor("mfcc").fit_transform([(stereo, sr)])
    every = np.ma.MaskedArray(y, mask=True)  # mask=True: every sample, a scalar mask given
    with pytest.raises(NonFiniteInputError,
                       match=rf"<array 0>: {n} of {n} samples are masked") as caught:
        get_extractor("mfcc").fit_transform([(every, sr)])
    # nothing left to drop: only the fill is offered (.compressed() would leave no samples)
    assert ".filled(0.0)" in str(caught.value) and "compressed" not in str(caught.value)


def test_masked_audio_read_anyway_is_nan_audio(ravdess_clip):
    """``allow_nonfinite=True`` reads NaN samples; masked ones are read as NaN there, the
    integer scaling applied first."""
    y, sr = ravdess_clip
    m = _masked(y)
    got = prepare_signal(m, sr, None, source="x", allow_nonfinite=True)
    want = prepare_signal(_as_nan(m), sr, None, source="x", allow_nonfinite=True)
    np.testing.assert_array_equal(got.y, want.y)
    assert np.isnan(got.y).sum() == 10
    pcm = np.ma.MaskedArray((y * 32767).astype(np.int16), mask=m.mask)
    got = prepare_signal(pcm, sr, None, source="x", allow_nonfinite=True)
    want = pcm.data.astype(np.float32) / np.float32(32768)
    want[MASKED] = np.nan
    np.testing.assert_array_equal(got.y, want)
    every = prepare_signal(np.ma.MaskedArray(y, mask=True), sr, None, source="x",
                           allow_nonfinite=True)
    assert every.y.shape == y.shape and np.isnan(every.y).all()


def test_nothing_masked_is_the_audio_itself(ravdess_clip):
    """A masked array masking nothing (or an integer one) gives the plain array's features."""
    y, sr = ravdess_clip
    plain = get_extractor("mfcc").fit_transform([(y, sr)])
    for given in (np.ma.MaskedArray(y), np.ma.MaskedArray(y, mask=np.zeros(y.shape, bool))):
        np.testing.assert_array_equal(get_extractor("mfcc").fit_transform([(given, sr)]), plain)
    pcm = (y * 32767).astype(np.int16)
    np.testing.assert_array_equal(
        get_extractor("mfcc").fit_transform([(np.ma.MaskedArray(pcm, mask=False), sr)]),
        get_extractor("mfcc").fit_transform([(pcm, sr)]))
    assert (AudioReader().key(np.ma.MaskedArray(y), 0) == AudioReader().key(y, 0)
            != AudioReader().key(_masked(y, MASKED, y[MASKED]), 0))


# -------------------------------------------------------------------------------- EEG
@pytest.fixture(scope="module")
def muse():
    """A real Muse recording (4 channels, uV, gap-free), 20 s of it, as the command reads it."""
    from emofeat.datasets.eeg_corpora import read_muse

    rec = read_muse(shared_path("eeg", "muse_mental_state", "subjecta-concentrating-1.csv"))
    assert not rec.breaks and rec.data.shape[0] == 4
    return rec.data[:, :5120].copy(), rec.sfreq, rec.ch_names


def _eeg_masked(data: np.ndarray) -> np.ma.MaskedArray:
    """AF7 (row 1) with a masked artefact of five samples at 1e6 uV."""
    m = np.ma.MaskedArray(np.array(data, copy=True), mask=np.zeros(data.shape, bool))
    m.data[1, 300:305] = 1e6
    m.mask[1, 300:305] = True
    return m


def _rows(name: str, items, **params) -> tuple[np.ndarray, list[str]]:
    with warnings.catch_warnings(record=True) as record:
        warnings.simplefilter("always")
        X = get_extractor(name, sfreq=256.0, **params).fit_transform(items)
    return X, [str(w.message) for w in record if issubclass(w.category, EEGChannelWarning)]


@pytest.mark.parametrize("name", ["eeg_bands", "eeg_stats"])
def test_masked_eeg_samples_are_nan_samples(muse, name):
    """Masked samples are NaN samples: the rows of the NaN-filled recording (NaN for the
    channel holding them, the others as the plain recording's), with the channel warning
    saying they were masked; as a tuple, in a run of tuples, as epochs, as a recording, a
    signal or an MNE Raw."""
    data, sfreq, names = muse
    m = _eeg_masked(data)
    nan = _as_nan(m)
    want, said = _rows(name, [(nan, sfreq, names)] * 2)
    assert np.isnan(want).any() and not np.isnan(_rows(name, [(data, sfreq, names)])[0]).any()
    got, told = _rows(name, [(m, sfreq, names)] * 2)  # a run of equal tuples: stacked
    np.testing.assert_array_equal(got, want)
    assert told and all("masked (read as NaN)" in t and "AF7" in t for t in told), told
    assert not any("masked" in t for t in said)
    epochs = np.ma.stack([m, np.ma.MaskedArray(data)])  # 3-D: two epochs, the first masked
    got, _ = _rows(name, [(epochs, sfreq, names)])
    np.testing.assert_array_equal(got, _rows(name, [(np.stack([nan, data]), sfreq, names)])[0])
    from emofeat.eeg_input import EEGRecording

    rec = EEGRecording(m, sfreq, names, "rec")
    np.testing.assert_array_equal(_rows(name, [rec])[0],
                                  _rows(name, [EEGRecording(nan, sfreq, names, "rec")])[0])
    sig = EEGSignal(m, 256.0, names, "sig")
    (got, told), (want_sig, said_sig) = (_rows(name, [sig]),
                                         _rows(name, [EEGSignal(nan, 256.0, names, "sig")]))
    np.testing.assert_array_equal(got, want_sig)
    assert told == said_sig == []  # a signal is not read: no warning, for NaN as for masked
    with pytest.warns(EEGChannelWarning, match="masked"):
        table = emofeat.extract([(m, sfreq, names)], name, params={"sfreq": 256.0})
    np.testing.assert_array_equal(table.X, want[:1])


def test_masked_mne_raw_and_integer_eeg(muse):
    """An MNE RawArray keeps a masked array as its data; integer samples have no NaN: both
    read as the float NaN-filled recording."""
    mne = pytest.importorskip("mne")
    data, sfreq, names = muse
    m = _eeg_masked(data)
    info = mne.create_info(list(names), 256.0, "eeg")
    raw = mne.io.RawArray(m, info, verbose="error")
    plain = mne.io.RawArray(_as_nan(m), info, verbose="error")
    np.testing.assert_array_equal(_rows("eeg_bands", [raw])[0], _rows("eeg_bands", [plain])[0])
    assert EEGReader().key(raw, 0) != EEGReader().key(mne.io.RawArray(m.data, info,
                                                                      verbose="error"), 0)
    # an EpochsArray keeps no mask (MNE holds a plain array): the data under it, as the docs
    # say; filled first, the NaN rows
    epochs = mne.EpochsArray(np.ma.stack([m]), info, verbose="error")
    np.testing.assert_array_equal(_rows("eeg_bands", [epochs])[0],
                                  _rows("eeg_bands", [(m.data, sfreq, names)])[0])
    filled = mne.EpochsArray(m.filled(np.nan)[None], info, verbose="error")
    np.testing.assert_array_equal(_rows("eeg_bands", [filled])[0],
                                  _rows("eeg_bands", [plain])[0])
    whole = np.ma.MaskedArray(np.trunc(m.data).astype(np.int64), mask=m.mask)
    # float32 samples read as float64, the mask kept (astype keeps it); mask=True: all NaN
    every = np.ma.MaskedArray(data, mask=True)
    for given in (whole, m.astype(np.float32), every):
        got, told = _rows("eeg_stats", [(given, sfreq, names)])
        np.testing.assert_array_equal(got, _rows("eeg_stats", [(_as_nan(given), sfreq,
                                                                names)])[0])
        assert np.isnan(got).any() and told and "masked (read as NaN)" in told[0]
    assert np.isnan(_rows("eeg_stats", [(every, sfreq, names)])[0]).all()


def test_nothing_masked_is_the_eeg_itself(muse):
    data, sfreq, names = muse
    for name in ("eeg_bands", "eeg_stats"):
        np.testing.assert_array_equal(
            _rows(name, [(np.ma.MaskedArray(data), sfreq, names)] * 2)[0],
            _rows(name, [(data, sfreq, names)] * 2)[0])
    item = (np.ma.MaskedArray(data), sfreq, names)
    assert EEGReader().key(item, 0) == EEGReader().key((data, sfreq, names), 0)
    m = _eeg_masked(data)
    assert EEGReader().key((m, sfreq, names), 0) != EEGReader().key((m.data, sfreq, names), 0)


def test_masked_recording_through_the_recording_helpers(muse):
    """An ``EEGRecording`` of a masked array is the NaN-filled recording through every helper
    taking its data: ``window_recording``, ``filter_recording`` (a recording or an array),
    ``as_tuple`` and its baseline. They took the data under the mask (the 1e6 uV artefact):
    plain windows whose AF7 band powers were finite (~4e9), and a filter spreading it over
    about 3 s where the NaN recording has NaN within the filter's reach."""
    from emofeat.eeg_input import EEGRecording, filter_recording, window_recording

    data, sfreq, names = muse
    m = _eeg_masked(data)
    nan = _as_nan(m)
    rec = EEGRecording(m, sfreq, names, "rec", breaks=(2560,), baseline=m[:, :1024])
    want = EEGRecording(nan, sfreq, names, "rec", breaks=(2560,), baseline=nan[:, :1024])
    np.testing.assert_array_equal(rec.as_tuple()[0], want.as_tuple()[0])
    np.testing.assert_array_equal(rec.baseline, want.baseline)
    got_ep, got_meta = window_recording(rec, 2.0)
    want_ep, want_meta = window_recording(want, 2.0)
    np.testing.assert_array_equal(got_ep, want_ep)
    assert np.isnan(got_ep[0, 1]).any() and got_meta.equals(want_meta)
    filtered = filter_recording(rec, l_freq=1.0, h_freq=40.0)
    np.testing.assert_array_equal(filtered.data,
                                  filter_recording(want, l_freq=1.0, h_freq=40.0).data)
    assert np.isnan(filtered.data[1]).any() and not np.isnan(filtered.data[[0, 2, 3]]).any()
    np.testing.assert_array_equal(filter_recording(m, sfreq, 1.0, 40.0),
                                  filter_recording(nan, sfreq, 1.0, 40.0))
    whole = np.ma.MaskedArray(np.trunc(m.data).astype(np.int64), mask=m.mask)
    np.testing.assert_array_equal(EEGRecording(whole, sfreq, names, "rec").data, _as_nan(whole))
    np.testing.assert_array_equal(EEGRecording(np.ma.MaskedArray(data), sfreq, names, "r").data,
                                  data)
