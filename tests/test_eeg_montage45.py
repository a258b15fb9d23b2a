"""What a montage's labels allow the asymmetry set (session 45).

A kind asked for that the montage has no pair for gave no column without a word: a bipolar
montage's FAA (its pairs are single electrodes), the DCAU of a Muse headband (TP9, AF7, AF8,
TP10: no frontal/posterior pair). Now one ``EEGMontageWarning`` at fit names the kind, what
its pairs are and the ``kinds`` that ask only for what the montage has.

BioSemi's block-numbered labels are no 10-20 positions.

BioSemi numbers the electrodes of its 128- to 256-channel caps by blocks of 32: ``A1``..``A32``,
``B1``..``B32``, ``C1``, ... The asymmetry pairing read ``C1``..``C16``, ``F1``..``F16`` and
``I1``..``I8`` of MNE's real BioSemi EDF test file as 10-20 positions (C, F and I are 10-20
rows): DASM paired ``C3``-``C4``, ``F3``-``F4``, ``I1``-``I2`` and FAA ``F3``-``F4`` and
``F7``-``F8``, electrodes of blocks C and F that lie nowhere near those sites, without a word.
"""

from __future__ import annotations

import warnings

import numpy as np
import pytest
from conftest import shared_path
from emofeat.extractors import eeg as E
from emofeat.extractors.eeg_sets import EEGAsymmetry, EEGDifferentialEntropy

from emofeat.cli import main
from emofeat.readers import EEGMontageWarning, read_eeg_file

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


def _montage_warnings(fit) -> list[str]:
    with warnings.catch_warnings(record=True) as got:
        warnings.simplefilter("always")
        fit()
    return [str(w.message) for w in got if issubclass(w.category, EEGMontageWarning)]


def _muse():
    path = shared_path("eeg", "muse_mental_state", "subjecta-neutral-1.csv")
    return path, read_eeg_file(path)


def test_a_muse_headband_is_told_it_has_no_dcau_pair():
    _, rec = _muse()
    got = _montage_warnings(lambda: EEGAsymmetry().fit([rec]))
    assert len(got) == 1, got
    assert "no 'dcau' column" in got[0] and "frontal/posterior" in got[0]
    assert "4 channels" in got[0] and "no 'faa'" not in got[0] and "'dasm' or" not in got[0]
    # the kinds it names ask for what the montage has, without a word
    assert "kinds=('dasm', 'rasm', 'faa')" in got[0]
    ext = EEGAsymmetry(kinds=("dasm", "rasm", "faa"))
    assert _montage_warnings(lambda: ext.fit([rec])) == []
    with pytest.warns(EEGMontageWarning):
        every = EEGAsymmetry().fit([rec]).feature_names()
    assert ext.feature_names() == [n for n in every if "_dcau_" not in n]


def test_a_bipolar_montage_is_told_it_has_no_faa_site():
    # real recording, derivations as MNE makes them: the two chains of each side
    raw = _raw("test.vhdr", "read_raw_brainvision")
    anodes = ["FP1", "F7", "P7", "FP1", "F3", "C3", "FP2", "F8", "P8", "FP2", "F4", "C4"]
    cathodes = ["F7", "P7", "O1", "F3", "C3", "P3", "F8", "P8", "O2", "F4", "C4", "P4"]
    bip = mne.set_bipolar_reference(raw, anodes, cathodes, drop_refs=True, verbose=False)
    bip.pick([f"{a}-{c}" for a, c in zip(anodes, cathodes, strict=True)])
    got = _montage_warnings(lambda: EEGAsymmetry().fit([bip]))
    assert len(got) == 1, got
    assert "no 'faa' column" in got[0] and "a bipolar derivation is no FAA site" in got[0]
    assert "F3/F4" in got[0] and "kinds=('dasm', 'rasm', 'dcau')" in got[0]
    names = EEGAsymmetry(kinds=("dasm", "rasm", "dcau")).fit([bip]).feature_names()
    assert "eeg_asymmetry_dasm_alpha_(FP1-F7)-(FP2-F8)" in names


def test_dasm_and_rasm_missing_share_one_clause():
    raw = _raw("test.vhdr", "read_raw_brainvision").pick(["Fz", "FCz", "F3", "P3"])
    got = _montage_warnings(lambda: EEGAsymmetry().fit([raw]))
    assert len(got) == 1, got
    assert got[0].count("left/right pair") == 1 and "no 'dasm' or 'rasm' column" in got[0]
    assert "no 'faa' column" in got[0] and "bipolar" not in got[0]
    assert "kinds=('dcau',)" in got[0]


def test_the_command_says_it_once_whatever_the_workers(tmp_path, capsys):
    path, _ = _muse()
    out = tmp_path / "out.parquet"
    code = main(["extract", str(path), str(path.with_name("subjectb-neutral-1.csv")), "-o",
                 str(out), "--set", "eeg_asymmetry", "-j", "2", "-q"])
    assert code == 0
    err = capsys.readouterr().err
    assert err.count("no 'dcau' column") == 1, err
    code = main(["extract", str(path), "-o", str(tmp_path / "two.parquet"), "--set",
                 "eeg_asymmetry", "--param", "kinds=('dasm', 'rasm', 'faa')", "-q"])
    assert code == 0 and "column" not in capsys.readouterr().err
