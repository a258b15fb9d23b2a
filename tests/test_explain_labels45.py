"""Feature groups and catalogue entries of EEG features whose channel labels hold "_".

The catalogue's channel placeholder matched no "_", so a label such as ``EEG_F3`` or
``Fp1_Ref`` left every EEG feature uncatalogued and grouped by the fallback rule:
``eeg_de_alpha_EEG_F3`` -> ``eeg_de_alpha_EEG`` (beside ``eeg_de_alpha`` of the same feature
of ``F3``), ``eeg_asymmetry_dasm_alpha_EEG_F3-EEG_F4`` -> a group per pair. A channel that
ends a row feature's name may hold "_" now (session 45).
"""

from __future__ import annotations

import pytest
from conftest import shared_path
from emofeat.classifiers.explain import feature_group, group_features

from emofeat.feature_catalogue import name_matcher

mne = pytest.importorskip("mne")

SETS = ("eeg_stats", "eeg_bands", "eeg_de", "eeg_asymmetry", "eeg_hjorth", "eeg_spectral")


def _names(raw, set_name):
    import emofeat

    ext = emofeat.get_extractor(set_name)
    return [str(n) for n in ext.fit([raw]).get_feature_names_out()]


@pytest.mark.parametrize("form", ["EEG_{}", "{}_Ref"])
def test_labels_with_underscores_group_and_explain_as_plain_ones(form):
    path = shared_path("eeg", "mne_testdata", "test.vhdr")
    raw = mne.io.read_raw_brainvision(path, preload=True, verbose=False)
    raw.pick(["FP1", "FP2", "F3", "F4", "F7", "F8", "FC5", "CP5", "C3", "C4", "P3", "P4"])
    labelled = raw.copy().rename_channels({c: form.format(c) for c in raw.ch_names})
    for set_name in SETS:
        plain, under = _names(raw, set_name), _names(labelled, set_name)
        assert len(plain) == len(under) and plain != under, set_name
        assert any(n.endswith(form.format("F3")) or form.format("F3") + "-" in n
                   for n in under), set_name
        explain = name_matcher(set_name)
        for p, u in zip(plain, under, strict=True):
            assert feature_group(u) == feature_group(p), (u, p)
            assert explain(u) == explain(p) != [], (u, p)
        # the groups of the whole table: as many, of the same columns
        assert list(group_features(under).values()) == list(group_features(plain).values())
