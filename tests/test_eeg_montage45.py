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
    assert E._readings(ch).blocks == frozenset("ABCDEFGHI")


def test_asymmetry_refuses_a_biosemi_montage_and_says_how_to_pair_it():
    raw = _biosemi_edf()
    with pytest.raises(ValueError, match="BioSemi") as err:
        EEGAsymmetry().fit([raw])
    assert "blocks A..I" in str(err.value) and "raw.pick([...]).rename_channels" in str(err.value)
    assert "C1, C2, C3, C4, C5, C6, ... (" in str(err.value)
    with pytest.raises(ValueError, match="BioSemi"):
        EEGAsymmetry(kinds=("faa",)).fit([raw])


def test_renamed_channels_of_the_file_pair_as_their_new_names():
    # the way out the refusal names: the channels to pair, picked and given 10-20 names
    raw = _biosemi_edf()
    raw.pick(["C3", "C4", "F3", "F4"]).rename_channels(
        {"C3": "AF3", "C4": "AF4", "F3": "F3", "F4": "F4"})
    assert not E._readings(raw.ch_names).blocks
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
    assert not E._readings(with_ears).blocks
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


def _biosemi128():
    """The real BioSemi EDF's first 128 channels under the labels of a 128-channel cap."""
    raw = _biosemi_edf()
    raw.pick(raw.ch_names[:128])
    names = mne.channels.make_standard_montage("biosemi128").ch_names  # A1..D32
    return raw.rename_channels(dict(zip(raw.ch_names, names, strict=True)))


def test_a_128_channel_cap_pairs_the_10_20_names_given_to_some_of_its_electrodes():
    # review of c284c82: with the rest of the cap kept, renamed one-letter sites were dropped
    # as block electrodes (FAA lost F3-F4 and F7-F8 without a word); blocks run A..D, so F3
    # is no block's
    raw = _biosemi128()
    given = {"C29": "Fp1", "C17": "Fp2", "D7": "F3", "B29": "F4", "D4": "AF3", "C4": "AF4",
             "D23": "F7", "B24": "F8"}
    raw.rename_channels(given)
    ch = raw.ch_names
    assert E._readings(ch).blocks == frozenset("ABCD")
    assert E.pair_names(ch, E.faa_pairs(ch)) == ["Fp1-Fp2", "AF3-AF4", "F3-F4", "F7-F8"]
    assert set(E.pair_names(ch, E.symmetric_pairs(ch))) == {"Fp1-Fp2", "AF3-AF4", "F3-F4",
                                                            "F7-F8"}
    # the electrodes of block C that bear 10-20 names are said to be block C's
    got = _montage_warnings(lambda: EEGAsymmetry(kinds=("dasm", "faa")).fit([raw]))
    assert len(got) == 1, got
    assert "blocks A..D" in got[0]
    assert "C1, C2, C3, C5, C6 are electrodes of block C, not the 10-20 sites" in got[0]


def test_a_256_channel_cap_says_which_labels_are_its_blocks():
    # blocks A..H hold C and F: a C3 there is block C's, whatever the user meant by it
    raw = _biosemi_edf()  # blocks A..I of 16: C1..C16 and F1..F16 are blocks' electrodes
    raw.rename_channels({"A5": "Fp1", "B5": "Fp2"})
    assert E.pair_names(raw.ch_names, E.faa_pairs(raw.ch_names)) == ["Fp1-Fp2"]
    got = _montage_warnings(lambda: EEGAsymmetry(kinds=("faa",)).fit([raw]))
    assert len(got) == 1, got
    assert "C1, C2, C3, C4, C5, C6, ... (" in got[0] and "of blocks C, F, I" in got[0]
    assert "raw.pick([...]).rename_channels" in got[0]


def test_block_labels_against_a_10_20_reference_are_blocks_too():
    # review of c284c82: "C3-Pz" (a block electrode against Pz) was read by its whole label
    ch = [f"EEG {c}-Pz" for c in _biosemi128().ch_names]
    assert E._readings(ch).blocks == frozenset("ABCD")
    assert E.symmetric_pairs(ch) == [] and E.faa_pairs(ch) == []


def test_the_faa_clause_says_why_a_bipolar_montage_has_none():
    # review of 880b5df: the bipolar note went to the last clause, dcau's
    raw = _raw("test.vhdr", "read_raw_brainvision")
    bip = mne.set_bipolar_reference(raw, ["C3", "F3"], ["P3", "C3"], drop_refs=True,
                                    verbose=False).pick(["C3-P3", "F3-C3"])
    got = _montage_warnings(lambda: EEGAsymmetry(kinds=("faa", "dasm", "dcau")).fit([bip]))
    assert len(got) == 1, got
    faa, dasm = got[0].split("; no 'dasm'")
    assert "bipolar derivation is no FAA site" in faa and "bipolar" not in dasm


def test_warmup_says_nothing_of_its_own_made_up_input():
    # review of 880b5df: a warm-up with the Muse's channel names warned of its made-up input
    assert _montage_warnings(EEGAsymmetry(ch_names=["TP9", "AF7", "AF8", "TP10"]).warmup) == []


def test_a_64_channel_cap_pairs_the_c3_c4_a_user_named():
    # review 3 of a7efff4 (which made C a block whatever the cap): a cap of blocks A and B
    # has no block C, so the C3 and C4 its user named are the 10-20 sites
    raw = _biosemi128()
    raw.pick(raw.ch_names[:64]).rename_channels({"A5": "C3", "B5": "C4", "A7": "F3",
                                                 "B7": "F4"})
    ch = raw.ch_names
    assert E._readings(ch).blocks == frozenset("AB")
    assert set(E.pair_names(ch, E.symmetric_pairs(ch))) == {"C3-C4", "F3-F4"}
    assert _montage_warnings(lambda: EEGAsymmetry(kinds=("dasm", "faa")).fit([raw])) == []
