"""Labels numbered past their 10-5 row are no positions (session 48).

A pick of BioSemi blocks without A and B is not recognised as block-numbered (docs/eeg.md:
its ``C3`` or ``F3`` reads as the 10-20 site). Beyond that documented limit, the asymmetry
pairing also read every ``C<n>``, ``F<n>`` and ``I<n>`` as a position whatever its number: on
MNE's real BioSemi EDF test file picked without blocks A and B, DASM/RASM paired ``C7-C8``
.. ``C15-C16``, ``F11-F12`` .. ``F15-F16`` and ``I3-I4`` .. ``I7-I8``, electrodes of one block
side by side, which no 10-20/10-5 system names (the C row ends at C6, F at F10, I at I2).
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


def test_a_pick_of_biosemi_blocks_pairs_no_label_numbered_past_its_row():
    raw = _biosemi_edf_without_blocks_a_and_b()
    ext = EEGAsymmetry(kinds=("dasm",), bands={"alpha": (8.0, 13.0)})
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # the missing kinds' and lookalikes' warnings
        ext.fit([raw])
    pairs = {n.rsplit("_", 1)[1] for n in ext.get_feature_names_out()}
    # what is left is the documented limit: C1..C6, F1..F10 and I1/I2 read as the sites
    assert pairs == {"C1-C2", "C3-C4", "C5-C6", "F1-F2", "F3-F4", "F5-F6", "F7-F8", "F9-F10",
                     "I1-I2"}


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
