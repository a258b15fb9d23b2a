"""The feature catalogue covers exactly what the extractors emit.

Every registered set is instantiated at its default parameters and asked for its feature names
at every level it offers, for a small representative input of its modality (EEG: channels
AF3, AF4, F3, F4, FC5, CP5, so every kind of electrode pair occurs). Each name must be
explained by a catalogue entry (a descriptor, a row feature, or a frame-level descriptor with
one of the set's functionals), and each entry must explain at least one name of its sets.
"""

from __future__ import annotations

import pytest

from emofeat import feature_catalogue as fc
from emofeat.functionals import validate_functionals
from emofeat.registry import get_extractor, list_sets

SETS = [info.name for infos in list_sets().values() for info in infos]
DOCS = list({id(d): d for d in fc.set_docs().values()}.values())


@pytest.mark.parametrize("name", SETS)
def test_every_emitted_feature_has_an_entry(name):
    missing = fc.check_set(name)
    assert not missing, f"{len(missing)} names of {name!r} have no catalogue entry: {missing[:10]}"


@pytest.mark.parametrize("doc", DOCS, ids=[d.sets[0] for d in DOCS])
def test_no_entry_is_stale(doc):
    assert not fc.stale_entries(doc), f"entries matching no emitted feature: " \
                                      f"{fc.stale_entries(doc)}"


def test_only_registered_sets_are_documented():
    assert set(fc.set_docs()) <= set(SETS), set(fc.set_docs()) - set(SETS)


@pytest.mark.parametrize("doc", DOCS, ids=[d.sets[0] for d in DOCS])
def test_entries_are_complete_and_name_real_parameters(doc):
    for d in doc.descriptors:
        assert d.kind in fc.KINDS, d
        assert d.unit.strip() and d.definition.strip(), d
        for s in doc.sets:
            d.pattern(s)  # placeholders are known
        if d.kind == "functional":
            continue
        assert d.reference.strip() and (d.agreement.strip() or d.reference == "none"), d
        for s in doc.sets:
            params = get_extractor(s).get_params(deep=False)
            unknown = [p for p in d.params if p not in params]
            assert not unknown, f"{d.display(s)} names parameters {unknown} that {s!r} lacks"
    assert doc.reference.strip() and doc.agreement.strip() and doc.page.endswith(".md")


def test_shared_functionals_are_the_functionals_module():
    """Every simple shared entry is a functional emofeat.functionals accepts, and every
    functional it accepts has an entry."""
    names = {f.name for f in fc.SHARED_FUNCTIONALS}
    simple = names - {"p{q}"}
    validate_functionals(tuple(simple))
    from emofeat.functionals import _SIMPLE

    assert simple == set(_SIMPLE)


def test_an_unknown_name_is_reported():
    """The check can fail: a name no entry explains, and a functional the set lacks."""
    explain = fc.name_matcher("mfcc")
    assert explain("mfcc3_mean") and explain("mfcc3_delta2_p25") and explain("mfcc12")
    assert not explain("mfcc3_unknownstat")
    assert not explain("mfcc_energy")
    explain = fc.name_matcher("egemaps")
    assert explain("egemaps_loudness_sma3_percentile50.0")
    assert not explain("egemaps_loudness_sma3_p50")  # eGeMAPS has openSMILE's functionals only


def test_catalogue_frame_and_describe(capsys):
    import emofeat
    from emofeat.cli import main

    cat = emofeat.catalogue()
    assert set(cat["set"]) == set(SETS)
    assert list(cat.columns) == ["set", "modality", "kind", "name", "unit", "definition",
                                 "parameters", "reference", "agreement"]
    row = cat[(cat["set"] == "mfcc") & (cat["name"] == "mfcc{k}")].iloc[0]
    assert "n_mfcc=13" in row.parameters  # read from the extractor, not written twice
    with pytest.raises(ValueError, match="no catalogue"):
        emofeat.catalogue("nope")

    assert main(["sets", "--describe", "eeg_hjorth"]) == 0
    out = capsys.readouterr().out
    assert "eeg_hjorth_complexity_{ch}" in out and "mne-features" in out
    assert main(["sets", "--describe", "nope"]) == 2


def test_catalogue_page_lists_every_set():
    page = fc.catalogue_markdown()
    for name in SETS:
        assert f"### `{name}`" in page
    assert "## Shared functionals" in page
