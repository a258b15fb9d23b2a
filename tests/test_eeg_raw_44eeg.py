"""Session 44: MNE's private ``Raw._data`` is read in one place,
:func:`emofeat.readers.raw_samples`, which falls back to ``get_data()`` where a version of
MNE holds no such array; the resume key of a preloaded Raw (hashed a block of channels at a
time, checked for a mask on the array itself) is the same either way.

The real recordings are MNE's test files beside the repository (skipped when absent).
"""

from __future__ import annotations

import numpy as np
import pytest
from conftest import shared_path

from emofeat import readers
from emofeat.readers import EEGReader, raw_samples

mne = pytest.importorskip("mne")


def _raws() -> dict[str, object]:
    raw = mne.io.read_raw(shared_path("eeg", "mne_testdata", "test.vhdr"), preload=True,
                          verbose="error")
    x = raw.get_data()[:4, :2000]
    masked = np.ma.masked_array(x, mask=np.zeros(x.shape, dtype=bool))
    masked.mask[2, 100:140] = True
    info = mne.create_info(4, raw.info["sfreq"], "eeg")
    return {"BrainVision": raw,
            "cropped": raw.copy().crop(1.0, 3.0),
            "EDF": mne.io.read_raw(shared_path("eeg", "mne_testdata", "test.edf"),
                                   preload=True, verbose="error"),
            "masked RawArray": mne.io.RawArray(masked, info, verbose="error")}


def test_raw_samples_are_the_array_the_raw_holds():
    """Where MNE holds the samples (``_data``, MNE 1.6 to 1.13), they are handed as they
    are: no copy, a masked array masked."""
    for name, raw in _raws().items():
        got = raw_samples(raw)
        assert got is raw._data, name
    assert np.ma.isMaskedArray(raw_samples(_raws()["masked RawArray"]))


@pytest.mark.parametrize("attribute", ["_no_such_attribute", "times"],
                         ids=["missing", "another shape"])
def test_without_the_private_attribute_the_samples_and_keys_are_the_same(monkeypatch,
                                                                         attribute):
    """An MNE without ``_data`` (or with an attribute of that name holding something else:
    here ``times``, one value per sample): ``get_data()``'s samples, the same numbers, mask
    and resume keys."""
    raws = _raws()
    want = {name: (np.array(raw_samples(r)), np.ma.getmaskarray(raw_samples(r)),
                   EEGReader().key(r, 0)) for name, r in raws.items()}
    monkeypatch.setattr(readers, "_RAW_SAMPLES", attribute)
    for name, raw in raws.items():
        got = raw_samples(raw)
        assert got is not raw._data, name  # the fallback's copy
        np.testing.assert_array_equal(np.array(got), want[name][0], err_msg=name)
        np.testing.assert_array_equal(np.ma.getmaskarray(got), want[name][1], err_msg=name)
        assert EEGReader().key(raw, 0) == want[name][2], name
    assert want["masked RawArray"][1].any()
    assert len({w[2] for w in want.values()}) == len(want)
