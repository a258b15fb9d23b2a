"""A reference electrode's own channel is no EEG channel (session 54).

EDF files of common amplifiers label their channels ``EEG Fp1-REF`` (TUH, Nihon Kohden),
``EEG Fp1-LE`` (linked ears), and some hold the reference electrode's own channel
(``REF_EEG REF_EEG`` in MNE's EDF test file with a stim channel: 176 mV of DC offset, the
reference's potential against the amplifier's ground; BIDS types such a channel ``REF``,
apart from ``EEG``). MNE types every EDF channel EEG, so until session 54 the reference
channel had band powers, DE and Hjorth columns beside the scalp sites'. The channels
referenced to it keep their labels as the file writes them (as MNE's ``read_raw_edf``
keeps them) and are paired by their sites (``EEG Fp1-REF`` with ``EEG Fp2-REF``), as
before. The EDF written here holds real EEG (12 sites of MNE's BrainVision test recording),
in the plain EDF layout (header, int16 records), read back by MNE.
"""

from __future__ import annotations

import warnings

import numpy as np
import pytest
from conftest import shared_path
from emofeat.extractors import EEGAsymmetry, EEGBandPower

from emofeat.eeg_input import read_recording

SITES = ["Fp1", "Fp2", "F3", "F4", "C3", "C4", "P3", "P4", "O1", "O2", "F7", "F8"]


def _quiet(fn, *args, **kw):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return fn(*args, **kw)


def _field(value, width):
    return str(value)[:width].ljust(width).encode("ascii")


def _write_edf(path, data_uv, sfreq, labels):
    """A plain EDF file (the EDF specification's header, int16 samples, 1 s records)."""
    n_ch, n = data_uv.shape
    per = int(sfreq)
    n_rec = n // per
    x = data_uv[:, :n_rec * per]
    pmin, pmax = np.floor(x.min(axis=1)) - 1, np.ceil(x.max(axis=1)) + 1
    dmin, dmax = -32768, 32767
    step = (pmax - pmin) / (dmax - dmin)
    digital = np.round((x - pmin[:, None]) / step[:, None] + dmin).astype("<i2")
    head = b"".join([_field(0, 8), _field("X X X X", 80), _field("Startdate X X X X", 80),
                     _field("01.01.24", 8), _field("10.00.00", 8),
                     _field(256 * (n_ch + 1), 8), _field("", 44), _field(n_rec, 8),
                     _field(1, 8), _field(n_ch, 4)])
    for values, width in ((labels, 16), (["AgAgCl electrode"] * n_ch, 80),
                          (["uV"] * n_ch, 8), ([f"{v:g}" for v in pmin], 8),
                          ([f"{v:g}" for v in pmax], 8), ([dmin] * n_ch, 8),
                          ([dmax] * n_ch, 8), ([""] * n_ch, 80), ([per] * n_ch, 8),
                          ([""] * n_ch, 32)):
        head += b"".join(_field(v, width) for v in values)
    path.write_bytes(head + digital.reshape(n_ch, n_rec, per).transpose(1, 0, 2).tobytes())
    # the samples as MNE reads them back (the int16 codes' physical values)
    return (digital.astype(np.float64) - dmin) * step[:, None] + pmin[:, None]


def test_the_reference_channel_of_mnes_edf_test_file_is_left_out():
    mne = pytest.importorskip("mne")
    path = shared_path("eeg", "mne_testdata", "test_edf_stim_channel.edf")
    raw = mne.io.read_raw_edf(path, verbose="error")
    assert "REF_EEG REF_EEG" in raw.ch_names and set(raw.get_channel_types()) == {"eeg"}
    got = _quiet(read_recording, path).ch_names
    assert "REF_EEG REF_EEG" not in got
    assert got == tuple(n for n in raw.ch_names if n.startswith("EEG "))  # the 19 sites
    names = _quiet(EEGBandPower().fit, [str(path)]).channels_
    assert "REF_EEG REF_EEG" not in names and len(names) == 19
    # picked, it is read as any channel
    assert _quiet(read_recording, path, picks=["EEG Fp1", "REF_EEG REF_EEG"]).ch_names == (
        "EEG Fp1", "REF_EEG REF_EEG")


def test_referential_labels_keep_their_sites_and_pairs(tmp_path):
    mne = pytest.importorskip("mne")
    raw = mne.io.read_raw_brainvision(shared_path("eeg", "mne_testdata", "test.vhdr"),
                                      preload=True, verbose="error")
    raw.pick([s.upper() if s.startswith("Fp") else s for s in SITES])
    raw.resample(256, verbose="error")
    eeg = raw.get_data(units="uV")
    reference = eeg.mean(axis=0, keepdims=True) + 5000.0  # a reference's own channel
    labels = [f"EEG {s}-REF" for s in SITES] + ["REF_EEG", "EEG A1-REF", "Reference"]
    path = tmp_path / "referential.edf"
    written = _write_edf(path, np.vstack([eeg, reference, eeg[:1] * 0.5, reference]),
                         256.0, labels)
    read = mne.io.read_raw_edf(path, preload=True, verbose="error")
    assert read.ch_names == labels
    np.testing.assert_allclose(read.get_data() * 1e6, written, rtol=0, atol=1e-6)
    rec = _quiet(read_recording, path)
    # the two reference channels left out; the sites and the ear electrode A1 kept
    assert rec.ch_names == tuple(labels[:12] + ["EEG A1-REF"])
    # the asymmetry pairs of the sites, as of the same samples named by their sites alone
    ext = EEGAsymmetry()
    got = _quiet(ext.fit_transform, [str(path)])
    plain = _quiet(EEGAsymmetry().fit_transform,
                   [(written[[*range(12), 13]] * 1e-6, 256.0, [*SITES, "A1"])])
    assert got.shape == plain.shape and got.shape[1] > 0
    np.testing.assert_allclose(got, plain, rtol=1e-7)  # MNE's volts, as its scaling rounds
    assert "eeg_asymmetry_dasm_alpha_EEG Fp1-REF-EEG Fp2-REF" in ext.get_feature_names_out()
