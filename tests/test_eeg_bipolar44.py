"""Bipolar derivations in the asymmetry features (session 44).

Clinical EEG and the corpora that follow it (TUH, CHB-MIT: the "double banana") name their
channels as derivations, "FP1-F7", "EEG T3-T5". Until session 44 these were never paired:
DASM, RASM, DCAU and FAA had no column for them and a wholly bipolar montage was refused at
fit ("no symmetric 10-20 electrode pair"); in a bipolar montage "C3-CZ" was read as the
single electrode C3 (Cz taken for a reference) and paired with a single-electrode C4.
"""

from __future__ import annotations

import numpy as np
import pytest
from conftest import shared_path
from emofeat.extractors import eeg as E
from emofeat.extractors.eeg_sets import EEGAsymmetry, EEGDifferentialEntropy

# TUH's TCP ("double banana") montage as its EDF labels would read, with the old temporal
# names and the "EEG " prefix
TUH = ["EEG FP1-F7", "EEG F7-T3", "EEG T3-T5", "EEG T5-O1", "EEG FP2-F8", "EEG F8-T4",
       "EEG T4-T6", "EEG T6-O2", "EEG A1-T3", "EEG T3-C3", "EEG C3-CZ", "EEG CZ-C4",
       "EEG C4-T4", "EEG T4-A2", "EEG FP1-F3", "EEG F3-C3", "EEG C3-P3", "EEG P3-O1",
       "EEG FP2-F4", "EEG F4-C4", "EEG C4-P4", "EEG P4-O2"]

# CHB-MIT's montage as MNE reads its EDFs: the label T8-P8 is there twice, numbered by MNE
CHB = ["FP1-F7", "F7-T7", "T7-P7", "P7-O1", "FP1-F3", "F3-C3", "C3-P3", "P3-O1", "FP2-F4",
       "F4-C4", "C4-P4", "P4-O2", "FP2-F8", "F8-T8", "T8-P8-0", "P8-O2", "FZ-CZ", "CZ-PZ",
       "P7-T7", "T7-FT9", "FT9-FT10", "FT10-T8", "T8-P8-1"]


def _named(ch, pairs):
    return [(ch[i], ch[j]) for i, j in pairs]


def test_double_banana_pairs_each_left_derivation_with_its_mirror():
    assert _named(TUH, E.symmetric_pairs(TUH)) == [
        ("EEG FP1-F7", "EEG FP2-F8"), ("EEG F7-T3", "EEG F8-T4"), ("EEG T3-T5", "EEG T4-T6"),
        ("EEG T5-O1", "EEG T6-O2"),
        # the transverse chain runs left to right: the mirror runs the other way; it starts
        # at the left ear, so A1 and A2 are its electrodes, not a reference ("T4-A2" was
        # read as T4 and the pair was missing)
        ("EEG A1-T3", "EEG T4-A2"), ("EEG T3-C3", "EEG C4-T4"), ("EEG C3-CZ", "EEG CZ-C4"),
        ("EEG FP1-F3", "EEG FP2-F4"), ("EEG F3-C3", "EEG F4-C4"), ("EEG C3-P3", "EEG C4-P4"),
        ("EEG P3-O1", "EEG P4-O2"),
    ]
    # caudality: the mirror about the central row, T and C rows their own mirror
    assert _named(TUH, E.caudal_pairs(TUH)) == [
        ("EEG FP1-F7", "EEG T5-O1"), ("EEG F7-T3", "EEG T3-T5"), ("EEG FP2-F8", "EEG T6-O2"),
        ("EEG F8-T4", "EEG T4-T6"), ("EEG FP1-F3", "EEG P3-O1"), ("EEG F3-C3", "EEG C3-P3"),
        ("EEG FP2-F4", "EEG P4-O2"), ("EEG F4-C4", "EEG C4-P4"),
    ]
    # FAA's pairs are single electrodes: none in a bipolar montage
    assert E.faa_pairs(TUH) == []


def test_chb_mit_montage_with_mne_numbered_repeats():
    assert _named(CHB, E.symmetric_pairs(CHB)) == [
        ("FP1-F7", "FP2-F8"), ("F7-T7", "F8-T8"), ("T7-P7", "T8-P8-0"), ("P7-O1", "P8-O2"),
        ("FP1-F3", "FP2-F4"), ("F3-C3", "F4-C4"), ("C3-P3", "C4-P4"), ("P3-O1", "P4-O2"),
        ("T7-FT9", "FT10-T8"),
    ]
    assert _named(CHB, E.caudal_pairs(CHB)) == [
        ("FP1-F7", "P7-O1"), ("F7-T7", "P7-T7"), ("FP1-F3", "P3-O1"), ("F3-C3", "C3-P3"),
        ("FP2-F4", "P4-O2"), ("F4-C4", "C4-P4"), ("FP2-F8", "P8-O2"), ("F8-T8", "T8-P8-0"),
        ("FZ-CZ", "CZ-PZ"),
    ]


def test_midline_and_crossing_derivations_have_no_hemispheric_mirror():
    ch = ["FZ-CZ", "CZ-PZ", "C3-C4", "FT9-FT10", "FP1-F7", "FP2-F8", "F3-C3"]
    # Fz-Cz is its own mirror, C3-C4 and FT9-FT10 span both sides, F3-C3's mirror is absent
    assert _named(ch, E.symmetric_pairs(ch)) == [("FP1-F7", "FP2-F8")]
    # front to back Fz-Cz is mirrored by Cz-Pz; C3-C4 lies on the central row, its own
    # mirror; FP1-F7's mirror O1-P7 and F3-C3's P3-C3 are absent
    assert _named(ch, E.caudal_pairs(ch)) == [("FZ-CZ", "CZ-PZ")]
    assert E.caudal_pairs(["FZ-CZ", "C3-C4", "FP1-O1", "O1-FP1"]) == []


def test_mixed_montage_pairs_like_with_like():
    ch = ["F3", "F4-C4", "FP1", "F3-C3", "F4", "FP2-F4", "FP1-F3", "C4"]
    assert _named(ch, E.symmetric_pairs(ch)) == [
        ("F3", "F4"), ("F3-C3", "F4-C4"), ("FP1-F3", "FP2-F4")]
    # a single electrode never takes a derivation for its mirror, nor the other way
    assert _named(["F3", "F4-C4", "FP1-F7"], E.symmetric_pairs(["F3", "F4-C4", "FP1-F7"])) == []
    # in a chain running on from Cz ("CZ-C4") "C3-CZ" is a link, not C3 referenced to Cz: it
    # was paired with the single electrode C4
    ch = ["C3-CZ", "CZ-C4", "C4", "FP1-F7", "FP2-F8"]
    assert _named(ch, E.symmetric_pairs(ch)) == [("C3-CZ", "CZ-C4"), ("FP1-F7", "FP2-F8")]
    # where no channel starts at Cz, "C3-CZ" is C3 as it was read before derivations were
    # paired (review of 2ddf382), beside derivations too
    ch = ["C3-CZ", "C4", "FP1-F7", "FP2-F8"]
    assert _named(ch, E.symmetric_pairs(ch)) == [("C3-CZ", "C4"), ("FP1-F7", "FP2-F8")]
    ch = ["F3", "F4", "F3-C3", "F4-C4"]
    assert _named(ch, E.faa_pairs(ch)) == [("F3", "F4")]


def test_reference_suffixes_stay_single_electrodes():
    ch = ["EEG FP1-REF", "EEG FP2-REF", "F3-LE", "F4-LE", "T3-A1", "T4-A2", "C3-M1", "C4-M2",
          "P3-AVG", "P4-AVG"]
    got = E.pair_names(ch, E.symmetric_pairs(ch))
    assert got == ["EEG FP1-REF-EEG FP2-REF", "F3-LE-F4-LE", "T3-A1-T4-A2", "C3-M1-C4-M2",
                   "P3-AVG-P4-AVG"]
    assert E.pair_names(ch, E.faa_pairs(ch)) == ["EEG FP1-REF-EEG FP2-REF", "F3-LE-F4-LE"]
    # a Cz-referenced recording: Cz ends every derivation-like name, so it is the reference
    cz = ["FP1-CZ", "FP2-CZ", "F3-CZ", "F4-CZ", "P3-CZ", "P4-CZ"]
    assert E.pair_names(cz, E.symmetric_pairs(cz)) == ["FP1-CZ-FP2-CZ", "F3-CZ-F4-CZ",
                                                        "P3-CZ-P4-CZ"]
    assert E.pair_names(cz, E.caudal_pairs(cz)) == ["F3-CZ-P3-CZ", "F4-CZ-P4-CZ"]
    assert E.pair_names(cz, E.faa_pairs(cz)) == ["FP1-CZ-FP2-CZ", "F3-CZ-F4-CZ"]
    assert [E.normalise_channel_name(n) for n in ("EEG FP1-REF", "F3-CZ", "FP1-F7")] == [
        "FP1", "F3", "FP1-F7"]


@pytest.mark.parametrize("ch", [
    ["FP1-X1", "FP2-X2"],            # an end that is no 10-20 position
    ["E1-E2", "E3-E4"],              # EGI numbers
    ["A1-B3", "A2-B4"],              # BioSemi labels
    ["FP1-FP1", "FP2-FP2"],          # one electrode twice
    ["FP1-F7-F3", "FP2-F8-F4"],      # three electrodes
    ["HL-HR", "Vb-ReRef"],
])
def test_unparsable_labels_are_not_paired(ch):
    assert E.symmetric_pairs(ch) == E.caudal_pairs(ch) == E.faa_pairs(ch) == []
    with pytest.raises(ValueError, match="no symmetric 10-20 electrode pair"):
        EEGAsymmetry(sfreq=256.0, ch_names=ch).fit(None)


def test_faa_pairs_given_as_derivations():
    assert _named(TUH, E.faa_pairs(TUH, [("FP1-F3", "F4-FP2"), ("EEG F3-C3", "F4-C4")])) == [
        ("EEG FP1-F3", "EEG FP2-F4"), ("EEG F3-C3", "EEG F4-C4")]
    with pytest.raises(ValueError, match=r"faa pair \('F3', 'F4-C4'\) pairs a single "
                                         r"electrode with a bipolar derivation"):
        E.faa_pairs(TUH, [("F3", "F4-C4")])
    mono = ["F3", "F4", "C3", "C4"]
    assert E.faa_pairs(mono, [("F3-C3", "F4-C4")]) == []


def test_bipolar_column_names_are_unambiguous_and_catalogued():
    from emofeat.feature_catalogue import name_matcher

    assert E.pair_names(CHB, E.symmetric_pairs(CHB))[:2] == ["(FP1-F7)-(FP2-F8)",
                                                            "(F7-T7)-(F8-T8)"]
    ext = EEGAsymmetry(sfreq=256.0, ch_names=CHB).fit(None)
    names = list(ext.get_feature_names_out())
    assert "eeg_asymmetry_dasm_alpha_(FP1-F7)-(FP2-F8)" in names
    assert "eeg_asymmetry_dcau_gamma_(FZ-CZ)-(CZ-PZ)" in names
    assert not any("_faa_" in n for n in names) and len(set(names)) == len(names) == 5 * 27
    explain = name_matcher("eeg_asymmetry")
    assert all(explain(n) for n in names)


# the double banana on the BrainVision test file (no T7/T8 there: F7-P7 links the temporal
# chain), with the transverse links C3-Cz, Cz-C4 and FC5-FC1, FC2-FC6
_ANODES = ["FP1", "F7", "P7", "FP2", "F8", "P8", "FP1", "F3", "C3", "P3", "FP2", "F4", "C4",
           "P4", "Fz", "Cz", "C3", "Cz", "FC5", "FC2"]
_CATHODES = ["F7", "P7", "O1", "F8", "P8", "O2", "F3", "C3", "P3", "O1", "F4", "C4", "P4",
             "O2", "Cz", "Pz", "Cz", "C4", "FC1", "FC6"]
_SYM = [("FP1-F7", "FP2-F8"), ("F7-P7", "F8-P8"), ("P7-O1", "P8-O2"), ("FP1-F3", "FP2-F4"),
        ("F3-C3", "F4-C4"), ("C3-P3", "C4-P4"), ("P3-O1", "P4-O2"), ("C3-Cz", "Cz-C4"),
        ("FC5-FC1", "FC2-FC6")]
_CAU = [("FP1-F7", "P7-O1"), ("FP2-F8", "P8-O2"), ("FP1-F3", "P3-O1"), ("F3-C3", "C3-P3"),
        ("FP2-F4", "P4-O2"), ("F4-C4", "C4-P4"), ("Fz-Cz", "Cz-Pz")]


@pytest.fixture(scope="module")
def brainvision_eeg():
    mne = pytest.importorskip("mne")
    raw = mne.io.read_raw_brainvision(
        shared_path("eeg", "mne_testdata", "test.vhdr"), preload=True, verbose="error"
    )
    return raw.pick("eeg")


@pytest.fixture(scope="module")
def bipolar_raw(brainvision_eeg):
    mne = pytest.importorskip("mne")
    raw = brainvision_eeg
    bip = mne.set_bipolar_reference(raw, _ANODES, _CATHODES, drop_refs=True, copy=True,
                                    verbose="error")
    # the derivations are the differences of the recorded channels
    x = raw.get_data()
    for a, c in zip(_ANODES, _CATHODES, strict=True):
        d = bip.get_data(picks=[f"{a}-{c}"])[0]
        np.testing.assert_array_equal(d, x[raw.ch_names.index(a)] - x[raw.ch_names.index(c)])
    return bip


def _by_hand(X, names, de, de_names, kind, pairs, bands):
    got, want = [], []
    for b in bands:
        for left, right in pairs:
            col = f"eeg_asymmetry_{kind}_{b}_({left})-({right})"
            got.append(X[:, names.index(col)])
            dl = de[:, de_names.index(f"eeg_de_{b}_{left}")]
            dr = de[:, de_names.index(f"eeg_de_{b}_{right}")]
            want.append(dl / dr if kind == "rasm" else dl - dr)
    return np.stack(got, 1), np.stack(want, 1)


def _ordered(ch, pairs):
    # in the order of the left (frontal) derivations' channels
    return sorted(pairs, key=lambda p: ch.index(p[0]))


def test_bipolar_recording_against_its_own_de(bipolar_raw):
    """Every DASM/RASM/DCAU column of the bipolar BrainVision recording is the difference
    (ratio) of the eeg_de features of its two derivations, pairs written out above; the
    single electrodes left over (FCz, CPz, POz, CP1, CP2) pair among themselves."""
    ch = bipolar_raw.ch_names
    assert ch[:5] == ["FCz", "CPz", "POz", "CP1", "CP2"]
    ext = EEGAsymmetry()
    X = ext.fit_transform([bipolar_raw])
    names = list(ext.get_feature_names_out())
    de_ext = EEGDifferentialEntropy()
    de = de_ext.fit_transform([bipolar_raw])
    de_names = list(de_ext.get_feature_names_out())
    bands = list(E.DEFAULT_BANDS)
    sym, cau = _ordered(ch, _SYM), _ordered(ch, _CAU)
    want_names = []
    for kind, pairs, mono in (("dasm", sym, "CP1-CP2"), ("rasm", sym, "CP1-CP2"),
                              ("dcau", cau, "FCz-CPz")):
        want_names += [f"eeg_asymmetry_{kind}_{b}_{p}" for b in bands
                       for p in [mono] + [f"({a})-({c})" for a, c in pairs]]
    assert names == want_names  # no FAA: its pairs are single electrodes
    for kind, pairs in (("dasm", sym), ("rasm", sym), ("dcau", cau)):
        got, want = _by_hand(X, names, de, de_names, kind, pairs, bands)
        tol = {"rtol": 1e-12} if kind == "rasm" else {"rtol": 0, "atol": 1e-12}
        np.testing.assert_allclose(got, want, **tol, err_msg=kind)
    assert np.isfinite(X).all()


def test_bipolar_channels_leave_the_single_electrode_columns_as_they_were(bipolar_raw):
    """The leftover single electrodes give the same columns and values with or without the
    derivations beside them (bit for bit)."""
    mono = bipolar_raw.copy().pick(["FCz", "CPz", "POz", "CP1", "CP2"])
    alone = EEGAsymmetry()
    A = alone.fit_transform([mono])
    mixed = EEGAsymmetry()
    X = mixed.fit_transform([bipolar_raw])
    names = list(mixed.get_feature_names_out())
    cols = list(alone.get_feature_names_out())
    assert cols == [n for n in names if "(" not in n]
    np.testing.assert_array_equal(X[:, [names.index(c) for c in cols]], A)


def test_faa_of_given_derivations_on_real_data(bipolar_raw):
    ch = bipolar_raw.ch_names
    x = bipolar_raw.get_data()
    sf = bipolar_raw.info["sfreq"]
    # either direction: the alpha power of a derivation is that of its negative
    pairs = E.faa_pairs(ch, [("F3-FP1", "FP2-F4"), ("F4-C4", "C3-F3")])
    assert _named(ch, pairs) == [("FP1-F3", "FP2-F4"), ("F4-C4", "F3-C3")]
    alpha = E.band_power_features(x, sf, {"alpha": (8.0, 13.0)}, kinds=("absolute",),
                                  n_fft=1000)["absolute"][:, 0]
    want = [np.log(alpha[ch.index(r)]) - np.log(alpha[ch.index(left)])
            for left, r in _named(ch, pairs)]
    np.testing.assert_allclose(E.frontal_alpha_asymmetry(alpha, pairs), want, rtol=1e-12)


# --------------------------------------------------------------- review mends (session 44)
# Until these mends one label not ending at Cz made a Cz-referenced montage bipolar (its
# columns renamed, FAA gone), any other common reference ("Fp1-FCz") was read as
# derivations, and TCP's ear links were half read.


@pytest.fixture(scope="module")
def cz_referenced(brainvision_eeg):
    """The BrainVision test file re-referenced to Cz, labels "FP1-Cz", "F3-Cz", ..."""
    mne = pytest.importorskip("mne")
    raw = brainvision_eeg
    anodes = [c for c in raw.ch_names if c != "Cz"]
    cz = mne.set_bipolar_reference(raw, anodes, ["Cz"] * len(anodes), drop_refs=False,
                                   copy=True, verbose="error")
    cz.pick([f"{a}-Cz" for a in anodes])
    return raw, cz


def _with(raw, cz, anodes, cathodes):
    mne = pytest.importorskip("mne")
    extra = mne.set_bipolar_reference(raw, anodes, cathodes, drop_refs=False, copy=True,
                                      verbose="error")
    return cz.copy().add_channels([extra.pick([f"{a}-{c}" for a, c in
                                               zip(anodes, cathodes, strict=True)])])


def test_a_stray_derivation_leaves_a_cz_referenced_recording_as_it_was(cz_referenced):
    raw, cz = cz_referenced
    alone = EEGAsymmetry()
    A = alone.fit_transform([cz])
    cols = list(alone.get_feature_names_out())
    assert "eeg_asymmetry_faa_FP1-Cz-FP2-Cz" in cols and "(" not in "".join(cols)
    # a horizontal EOG-like F7-F8 has no mirror: the same columns, bit for bit
    stray = EEGAsymmetry()
    X = stray.fit_transform([_with(raw, cz, ["F7"], ["F8"])])
    assert list(stray.get_feature_names_out()) == cols
    np.testing.assert_array_equal(X, A)
    # two mirrored derivations add their pair and leave the electrodes' columns
    both = EEGAsymmetry()
    X = both.fit_transform([_with(raw, cz, ["FP1", "FP2"], ["F7", "F8"])])
    names = list(both.get_feature_names_out())
    assert [n for n in names if "(" not in n] == cols
    assert "eeg_asymmetry_dasm_alpha_(FP1-F7)-(FP2-F8)" in names
    np.testing.assert_array_equal(X[:, [names.index(c) for c in cols]], A)


def test_any_common_reference_is_read_as_one():
    fcz = ["Fp1-FCz", "Fp2-FCz", "F3-FCz", "F4-FCz", "P3-FCz", "P4-FCz"]
    assert E.pair_names(fcz, E.symmetric_pairs(fcz)) == [
        "Fp1-FCz-Fp2-FCz", "F3-FCz-F4-FCz", "P3-FCz-P4-FCz"]
    assert E.pair_names(fcz, E.caudal_pairs(fcz)) == ["F3-FCz-P3-FCz", "F4-FCz-P4-FCz"]
    assert E.pair_names(fcz, E.faa_pairs(fcz)) == ["Fp1-FCz-Fp2-FCz", "F3-FCz-F4-FCz"]
    # and with a stray derivation beside it, which keeps its own reading
    ch = [*fcz, "FP1-F7"]
    assert E.pair_names(ch, E.faa_pairs(ch)) == ["Fp1-FCz-Fp2-FCz", "F3-FCz-F4-FCz"]
    assert E.pair_names(ch, E.symmetric_pairs(ch))[0] == "Fp1-FCz-Fp2-FCz"
    # an end shared by fewer than half of the links is no reference (O1 ends two links of
    # TUH's double banana: test_double_banana...), nor one that a channel starts at, nor
    # the end of one stray derivation among single electrodes (FP1-F7 is not Fp1)
    for ch in (["FP1-F7", "FP2-F8", "F3-F7", "F4-F8", "T3-F7", "F8-T4"],
               ["F3-Cz", "F4-Cz", "C3-Cz", "Cz-C4"], ["FP1-F7", "Fp1", "Fp2"]):
        assert not E._readings(ch).reference
    assert _named(["FP1-F7", "Fp1", "Fp2"], E.symmetric_pairs(["FP1-F7", "Fp1", "Fp2"])) == [
        ("Fp1", "Fp2")]


def test_ear_electrodes_are_positions_only_of_a_chain_that_starts_at_one():
    ch = ["EEG A1-T3", "EEG T3-C3", "EEG C3-CZ", "EEG CZ-C4", "EEG C4-T4", "EEG T4-A2"]
    assert E.pair_names(ch, E.symmetric_pairs(ch)) == [
        "(EEG A1-T3)-(EEG T4-A2)", "(EEG T3-C3)-(EEG C4-T4)", "(EEG C3-CZ)-(EEG CZ-C4)"]
    # beside such a chain a referential T3 no longer pairs with its link T4-A2
    ch += ["EEG T3-REF"]
    assert E.pair_names(ch, E.symmetric_pairs(ch))[0] == "(EEG A1-T3)-(EEG T4-A2)"
    assert "EEG T3-REF" not in " ".join(E.pair_names(ch, E.symmetric_pairs(ch)))
    # without one, T4-A2 is T4 referenced to the ear (as before session 44); the ear channels
    # of a Cz-referenced 10-05 cap ("A1-Cz") are no chain, and no electrode pair
    ch = ["EEG T3-REF", "EEG FP1-F7", "EEG FP2-F8", "EEG T4-A2"]
    assert E.pair_names(ch, E.symmetric_pairs(ch)) == [
        "EEG T3-REF-EEG T4-A2", "(EEG FP1-F7)-(EEG FP2-F8)"]
    ch = ["F3-Cz", "F4-Cz", "A1-Cz", "A2-Cz", "M1-Cz", "M2-Cz"]
    assert E.pair_names(ch, E.symmetric_pairs(ch)) == ["F3-Cz-F4-Cz"]


def test_faa_alone_on_a_bipolar_montage_says_what_faa_needs():
    ch = ["FP1-F7", "FP2-F8", "F3-C3", "F4-C4"]
    with pytest.raises(ValueError) as got:
        EEGAsymmetry(sfreq=256.0, ch_names=ch, kinds=("faa",)).fit(None)
    msg = str(got.value)
    want = ", ".join(f"{a}/{b}" for a, b in E.FAA_PAIRS)
    assert f"kind 'faa' needs a pair of single electrodes {want}" in msg
    assert "a bipolar derivation is no FAA site" in msg and f"channels {ch} have none" in msg
    assert "derivation pair among" not in msg
    # with other kinds that pair nothing either, both are said
    with pytest.raises(ValueError, match=r"no symmetric 10-20 electrode pair .*; kind 'faa' "
                                         r"needs a pair of single electrodes Fp1/Fp2"):
        EEGAsymmetry(sfreq=256.0, ch_names=["X1", "X2"]).fit(None)


def test_review_cz_reference_ears_and_an_ear_referenced_montage_read_as_before():
    """Review of 2ddf382. (1) A Cz-referenced montage with two EOG channels named after
    positions ("F7-F8", "Fp1-Fp2"): Cz needed half the labels to end at it, so F3-Cz, F4-Cz
    became derivations and FAA was gone; Cz is the reference wherever no channel starts at
    it, as before derivations were paired. (2) Plain labels with the ear channels "A1-Cz",
    "A2-Cz": the ears became positions and a pair (A1-Cz)-(A2-Cz) appeared (9 of the 34 MNE
    montages so written differed from 610f1f2). (3) An ear-referenced montage ("F3-A1", ...)
    with one "A2-Fpz": every label became a derivation and fit was refused."""
    ch = ["F3-Cz", "F4-Cz", "F7-F8", "Fp1-Fp2"]
    assert E.pair_names(ch, E.symmetric_pairs(ch)) == ["F3-Cz-F4-Cz"]
    assert E.pair_names(ch, E.faa_pairs(ch)) == ["F3-Cz-F4-Cz"]
    ch = ["Fp1", "Fp2", "F3", "F4", "C3", "C4", "A1-Cz", "A2-Cz"]
    assert E.pair_names(ch, E.symmetric_pairs(ch)) == ["Fp1-Fp2", "F3-F4", "C3-C4"]
    ch = ["F3-A1", "F4-A1", "C3-A1", "C4-A1", "A2-Fpz"]
    assert E.pair_names(ch, E.symmetric_pairs(ch)) == ["F3-A1-F4-A1", "C3-A1-C4-A1"]
    assert E.pair_names(ch, E.faa_pairs(ch)) == ["F3-A1-F4-A1"]
    # the TCP chain is still one: A1-T3 with T4-A2
    tcp = ["EEG A1-T3", "EEG T3-C3", "EEG C3-CZ", "EEG CZ-C4", "EEG C4-T4", "EEG T4-A2"]
    assert ("EEG A1-T3", "EEG T4-A2") in _named(tcp, E.symmetric_pairs(tcp))


def test_review3_recordings_against_the_ears_keep_their_electrodes_beside_an_ear_link():
    """Review of a1b2279: with ipsilateral or contralateral ears, or the AASM sleep montage's
    mastoids, no single ear was the montage's common end, so one channel from an ear to a
    position ("A2-Fpz", "M1-Fpz", "A1-T3") made every label a derivation: fit refused, or
    FAA gone and every name changed. Read as before session 44 now."""
    contra = ["Fp1-A2", "Fp2-A1", "F3-A2", "F4-A1", "C3-A2", "C4-A1", "O1-A2", "O2-A1"]
    ipsi = ["Fp1-A1", "Fp2-A2", "F3-A1", "F4-A2", "C3-A1", "C4-A2", "T3-A1", "T4-A2"]
    aasm = ["F4-M1", "F3-M2", "C4-M1", "C3-M2", "O2-M1", "O1-M2", "E1-M2", "E2-M1"]
    for montage, stray in ((contra, "A2-Fpz"), (ipsi, "A1-T3"), (aasm, "M1-Fpz")):
        with_stray = [*montage, stray]
        for pairs in (E.symmetric_pairs, E.faa_pairs):
            assert (E.pair_names(with_stray, pairs(with_stray))
                    == E.pair_names(montage, pairs(montage))), (montage, stray)
        assert E.faa_pairs(with_stray), montage
