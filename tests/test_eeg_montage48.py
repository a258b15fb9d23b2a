"""Picks of BioSemi blocks without A and B (session 48).

A montage was read as numbered by blocks only where it held four ``A<n>`` and four ``B<n>``
labels, so a pick without blocks A and B read every ``C<n>``, ``F<n>`` and ``I<n>`` as a
10-20 position whatever its number: on MNE's real BioSemi EDF test file picked without blocks
A and B, DASM/RASM paired ``C1-C2`` .. ``C15-C16``, ``F1-F2`` .. ``F15-F16`` and ``I1-I2`` ..
``I7-I8``, and FAA ``F3-F4``, ``F7-F8``: electrodes of one block side by side, without a
word. Now a label numbered past its 10-5 row (``C7``, ``F11``, ``I3``) is no position, and
letters in turn with four labels at least, each no row (``D``, ``E``) or numbered past its
row, are blocks where such a row is among them.
"""

from __future__ import annotations

import warnings

import pytest
from conftest import shared_path
from emofeat.extractors import eeg as E
from emofeat.extractors.eeg_sets import EEGAsymmetry

mne = pytest.importorskip("mne")


def _biosemi_edf_without_blocks_a_and_b():
    path = shared_path("eeg", "mne_testdata", "test.edf")  # skips with a reason when absent
    raw = mne.io.read_raw_edf(path, preload=True, verbose=False)
    return raw.pick([c for c in raw.ch_names if c[0] in "CDEFGHI" and c[1:].isdigit()])


def test_a_pick_of_biosemi_blocks_without_a_and_b_is_read_by_its_blocks():
    raw = _biosemi_edf_without_blocks_a_and_b()
    assert E._readings(raw.ch_names).blocks == frozenset("CDEFGHI")
    assert E.symmetric_pairs(raw.ch_names) == [] and E.faa_pairs(raw.ch_names) == []
    with pytest.raises(ValueError, match=r"by blocks C\.\.I .*raw\.pick\(\[\.\.\.\]\)"):
        EEGAsymmetry().fit([raw])
    # two of its electrodes given 10-20 names pair, the others said to be blocks' electrodes
    named = raw.copy().rename_channels({"D1": "AF3", "D2": "AF4"})
    ext = EEGAsymmetry(kinds=("dasm",), bands={"alpha": (8.0, 13.0)})
    with warnings.catch_warnings(record=True) as said:
        warnings.simplefilter("always")
        ext.fit([named])
    assert [n.rsplit("_", 1)[1] for n in ext.get_feature_names_out()] == ["AF3-AF4"]
    assert any("C1, C2, C3, C4, C5, C6, ..." in str(w.message) for w in said)


@pytest.mark.parametrize("labels", [
    [f"{b}{n}" for b in "GH" for n in range(1, 9)] + ["C3", "C4"],  # an ECoG grid and strip
    [f"E{n}" for n in range(1, 65)] + ["C3", "C4", "Cz"],  # EGI's E-numbers
    [f"{b}{n}" for b in "DE" for n in range(1, 9)] + [f"C{n}" for n in range(1, 7)],
    [f"C{n}" for n in range(1, 33)] + ["F3", "F4"],  # one row letter alone
])
def test_runs_without_a_row_numbered_past_its_sites_are_no_blocks(labels):
    assert E._readings(labels).blocks == frozenset()
    assert ("C3", "C4") in [(labels[i], labels[j]) for i, j in E.symmetric_pairs(labels)]


def test_labels_past_their_row_are_neither_electrodes_nor_derivation_ends():
    ch = ["C7", "C8", "FC7", "FC8", "P11", "P12", "I3", "I4", "C3", "C4", "C7-C9", "C8-C10"]
    assert E.symmetric_pairs(ch) == [(8, 9)]
    readings = E._readings(ch).readings
    assert readings[:8] == (None,) * 8 and readings[10:] == (None, None)
    assert readings[8] == ("mono", ("C", "3"))


@pytest.mark.parametrize("montage", ["standard_1005", "easycap-M1", "standard_1020"])
def test_every_numbered_site_of_the_10_5_system_is_still_a_position(montage):
    # a guard: the rows' last sites (F10, T10, O10, FT10, PO10, AFp10, Cb2, N2) keep pairing
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # MNE's deprecation of some montage names
        ch = mne.channels.make_standard_montage(montage).ch_names
    numbered = [n for n in ch if E._TEN_TWENTY.match(E.normalise_channel_name(n))
                and E.normalise_channel_name(n).rstrip("0123456789Z") in E._ROWS]
    assert len(numbered) > 30
    assert [n for n in numbered if E._parse(n) is None] == []
    # the rows' ends of MNE's spherical_1005 (not in MNE 1.6, the floor) and easycap-M1
    ends = ["N1", "N2", "NFp1", "NFp2", "Cb1", "Cb2", "O9", "O10", "AFp10", "FT10", "I2", "C6"]
    assert [n for n in ends if E._parse(n) is None] == []
