"""The resume key of an in-memory input (an array, an audio or EEG tuple, an MNE Raw or
Epochs) is hashed without copying the data: ``header + a.tobytes()`` and the joins after
it made two to three copies of a 100 MB input just to key it (before 575a54a). The key must
stay byte-identical to that formula, or outputs written before would not resume."""

from __future__ import annotations

import hashlib
import tracemalloc

import numpy as np
import pytest
from conftest import shared_path

from emofeat import readers
from emofeat.readers import AudioReader, EEGReader


def _old_key(payload: bytes) -> tuple[str, int, int]:
    """The key as it was computed before: the SHA-256 of the joined bytes."""
    return ("sha256:" + hashlib.sha256(payload).hexdigest()[:32], len(payload), -1)


def _old_array_bytes(a) -> bytes:
    a = np.ascontiguousarray(a)
    return str((a.dtype.str, a.shape)).encode() + a.tobytes()


def _arrays() -> dict[str, object]:
    rng = np.random.default_rng(38)
    x = rng.standard_normal((4, 3, 50))
    return {
        "float64 C": x,
        "float32": x.astype(np.float32),
        "int16": (1000 * x).astype(np.int16),
        "Fortran order": np.asfortranarray(x),
        "non-contiguous": x[:, ::2, 1::3],
        "negative strides": x[::-1, :, ::-1],
        "big-endian": x.astype(">f8"),
        "complex": x[0] + 1j * x[1],
        "bool": x > 0,
        "datetime64": np.arange(12).astype("datetime64[s]").reshape(3, 4)[:, ::2],
        "0-d": np.array(2.5),
        "numpy scalar": np.float32(1.5),
        "empty 2-D": np.empty((0, 3)),
        "empty Fortran": np.empty((3, 0), order="F"),
        "list": [[1.0, 2.0], [3.0, 4.0]],
    }


@pytest.fixture(params=[None, 64], ids=["default blocks", "64-byte blocks"])
def blocks(request, monkeypatch):
    # small blocks walk every path of the non-contiguous hashing on small arrays
    if request.param:
        monkeypatch.setattr(readers, "_HASHED_AT_ONCE", request.param)


@pytest.mark.parametrize("name", list(_arrays()))
def test_array_keys_equal_the_joined_bytes_formula(name, blocks):
    from emofeat.audio import Audio
    from emofeat.eeg_input import EEGRecording
    from emofeat.signal import EEGSignal

    a = _arrays()[name]
    head = _old_array_bytes(a)
    assert EEGReader().key(a, 0) == _old_key(head)
    assert AudioReader().key(a, 0) == _old_key(head)
    assert EEGReader().key((a, 256.0), 0) == _old_key(head + repr((256.0,)).encode())
    assert EEGReader().key((a, 256.0, ("a", "b")), 0) == _old_key(
        head + repr((256.0, ("a", "b"))).encode())
    assert AudioReader().key((a, 16000), 0) == _old_key(head + b"16000")
    audio = Audio(np.asarray(a), 16000, "x.wav", 16000, 1)
    assert AudioReader().key(audio, 0) == _old_key(head + b"16000")
    sig = EEGSignal(np.asarray(a), 256.0, ("a",), "x", {"epoch": 0})
    assert EEGReader().key(sig, 0) == _old_key(head + repr((256.0, ("a",))).encode())
    rec = EEGRecording(np.asarray(a), 256.0, ("a",), "x", {}, ())
    assert EEGReader().key(rec, 0) == _old_key(
        head + repr((256.0, ("a",), rec.breaks)).encode())


def _mne_objects(mne) -> dict[str, object]:
    vhdr = shared_path("eeg", "mne_testdata", "test.vhdr")
    raw = mne.io.read_raw(vhdr, preload=True, verbose="error")
    lazy = mne.io.read_raw(shared_path("eeg", "mne_testdata", "test.edf"), verbose="error")
    events, ids = mne.events_from_annotations(raw, verbose="error")
    epochs = mne.Epochs(raw, events, tmin=-0.1, tmax=0.3, baseline=None, preload=True,
                        verbose="error")
    return {"Raw (BrainVision)": raw,
            "Raw read lazily (EDF)": lazy,
            "Raw cropped": raw.copy().crop(1.0, 3.0),
            "Raw float32 array": mne.io.RawArray(raw.get_data()[:5].astype(np.float32),
                                                 mne.create_info(5, 1000.0, "eeg"),
                                                 verbose="error"),
            "Epochs": epochs,
            "Epochs selected": epochs[[0, 2, 5]],
            "Epochs not preloaded": mne.Epochs(raw, events, tmin=0, tmax=0.2, baseline=None,
                                               preload=False, verbose="error"),
            "fixed-length Epochs": mne.make_fixed_length_epochs(raw, 1.0, preload=True,
                                                                verbose="error")}


@pytest.mark.parametrize("block", [None, 64, 10_000, 25_000])
def test_mne_keys_equal_the_joined_bytes_formula(block, monkeypatch):
    # real recordings: the key of a Raw hashes a block of channels at a time (64 bytes: one
    # channel a block; 25,000: 3 of 32 channels, the last block short), an Epochs' data in place
    mne = pytest.importorskip("mne")
    if block:
        monkeypatch.setattr(readers, "_HASHED_AT_ONCE", block)
    objects = _mne_objects(mne)
    for name, obj in objects.items():
        old = _old_key(_old_array_bytes(obj.get_data())
                       + repr(readers._mne_description(obj)).encode())
        assert EEGReader().key(obj, 0) == old, name
    assert len({EEGReader().key(o, 0) for o in objects.values()}) == len(objects)


def _peak_mb(fn) -> float:
    tracemalloc.start()
    try:
        fn()
        return tracemalloc.get_traced_memory()[1] / 1e6
    finally:
        tracemalloc.stop()


def test_keying_an_input_does_not_copy_it(monkeypatch):
    # a 32 MB input: the joined bytes took 64 MB (array) to 96 MB (an MNE object) at the
    # peak. Blocks of 1 MB here (16 MB by default, which with two alive at once let a copy
    # of the whole 32 MB pass as well): where a block at a time is copied, a quarter of the
    # input is far above the peak and far below one copy (raising=False: code without the
    # blocks is measured as it is)
    monkeypatch.setattr(readers, "_HASHED_AT_ONCE", 1 << 20, raising=False)
    x = np.random.default_rng(0).standard_normal((64, 62_500))
    limit = 0.25 * x.nbytes / 1e6
    assert _peak_mb(lambda: EEGReader().key((x, 256.0), 0)) < 1
    assert _peak_mb(lambda: AudioReader().key(x[0], 0)) < 1
    # a non-contiguous array: a block at a time
    fortran = np.asfortranarray(x)
    assert _peak_mb(lambda: EEGReader().key(fortran, 0)) < limit
    mne = pytest.importorskip("mne")
    # the first key of a Raw loads code (about 30 MB of objects, once a process): not a copy
    EEGReader().key(mne.io.RawArray(x[:2, :10], mne.create_info(2, 1000.0, "eeg"),
                                    verbose="error"), 0)
    epochs = mne.EpochsArray(x.reshape(8, 50, 10_000).transpose(1, 0, 2).copy(),
                             mne.create_info(8, 1000.0, "eeg"), verbose="error")
    raw = mne.io.RawArray(x, mne.create_info(64, 1000.0, "eeg"), verbose="error")
    assert _peak_mb(lambda: EEGReader().key(epochs, 0)) < 1
    assert _peak_mb(lambda: EEGReader().key(raw, 0)) < limit
