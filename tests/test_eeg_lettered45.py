"""BioSemi's block-numbered labels are no 10-20 positions (session 45).

BioSemi numbers the electrodes of its 128- to 256-channel caps by blocks of 32: ``A1``..``A32``,
``B1``..``B32``, ``C1``, ... The asymmetry pairing read ``C1``..``C16``, ``F1``..``F16`` and
``I1``..``I8`` of MNE's real BioSemi EDF test file as 10-20 positions (C, F and I are 10-20
rows): DASM paired ``C3``-``C4``, ``F3``-``F4``, ``I1``-``I2`` and FAA ``F3``-``F4`` and
``F7``-``F8``, electrodes of blocks C and F that lie nowhere near those sites, without a word.
"""

from __future__ import annotations

import numpy as np
import pytest
from conftest import shared_path
from emofeat.extractors import eeg as E
from emofeat.extractors.eeg_sets import EEGAsymmetry, EEGDifferentialEntropy

mne = pytest.importorskip("mne")


def _raw(name: str, reader: str):
    path = shared_path("eeg", "mne_testdata", name)  # skips with a reason when absent
    return getattr(mne.io, reader)(path, preload=True, verbose=False)


def _biosemi_edf():
    return _raw("test.edf", "read_raw_edf")


def test_block_labels_of_a_real_biosemi_file_are_not_paired():
    ch = _biosemi_edf().ch_names
    # the file is what the rule is for: blocks A..I of 16 (I of 8), beside Ergo and Status
    assert {"A5", "B5", "C3", "C4", "F3", "F4", "F7", "F8", "I1", "I2"} <= set(ch)
    assert E.symmetric_pairs(ch) == []
    assert E.caudal_pairs(ch) == []
    assert E.faa_pairs(ch) == []
    assert E._readings(ch).lettered


def test_asymmetry_refuses_a_biosemi_montage_and_says_how_to_pair_it():
    raw = _biosemi_edf()
    with pytest.raises(ValueError, match="BioSemi") as err:
        EEGAsymmetry().fit([raw])
    assert "rename_channels" in str(err.value)
    with pytest.raises(ValueError, match="BioSemi"):
        EEGAsymmetry(kinds=("faa",)).fit([raw])


def test_renamed_channels_of_the_file_pair_as_their_new_names():
    # the way out the refusal names: the channels to pair, picked and given 10-20 names
    raw = _biosemi_edf()
    raw.pick(["C3", "C4", "F3", "F4"]).rename_channels(
        {"C3": "AF3", "C4": "AF4", "F3": "F3", "F4": "F4"})
    assert not E._readings(raw.ch_names).lettered
    ext = EEGAsymmetry(kinds=("dasm", "faa")).fit([raw])
    names = ext.feature_names()
    assert "eeg_asymmetry_dasm_alpha_AF3-AF4" in names
    assert "eeg_asymmetry_faa_F3-F4" in names
    row = ext.transform([raw])[0]
    de = EEGDifferentialEntropy().fit([raw])
    de_row, de_names = de.transform([raw])[0], de.feature_names()
    for band in ("theta", "alpha", "beta"):
        want = (de_row[de_names.index(f"eeg_de_{band}_AF3")]
                - de_row[de_names.index(f"eeg_de_{band}_AF4")])
        np.testing.assert_allclose(row[names.index(f"eeg_asymmetry_dasm_{band}_AF3-AF4")],
                                   want, rtol=1e-12)


@pytest.mark.parametrize(("name", "reader"), [("test.bdf", "read_raw_bdf"),
                                              ("test.vhdr", "read_raw_brainvision")])
def test_ten_twenty_montages_with_ear_channels_are_not_block_numbered(name, reader):
    # real 10-20 montages (BioSemi 64 with M1/M2, BrainVision 32), given both ear electrodes
    # A1 and A2 as a 10-20 recording may hold them: their pairs are as without the ears
    ch = list(_raw(name, reader).ch_names)
    with_ears = [*ch, "A1", "A2"]
    assert not E._readings(with_ears).lettered
    for find in (E.symmetric_pairs, E.caudal_pairs, E.faa_pairs):
        assert find(ch), find.__name__
        assert find(with_ears) == find(ch), find.__name__
