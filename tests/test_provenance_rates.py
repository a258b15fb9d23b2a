"""A provenance's EEG rate (``sfreq``) that is not a number.

``FeatureTable.concat`` and the model's provenance check compared rates with ``float()``: a
provenance edited by hand or written by another tool (``"256 Hz"``) made both leak
``float()``'s bare ValueError ("could not convert string to float") instead of saying which
tables differ, and two tables that both said ``"256 Hz"`` could not be stacked at all.
"""

from __future__ import annotations

import copy
import math

import numpy as np
import pandas as pd
import pytest
from emofeat.classifiers.compatibility import provenance_differences

from emofeat.table import EEG_RATE_RTOL, FeatureTable, rate_difference


def _table(sfreq) -> FeatureTable:
    return FeatureTable(X=np.zeros((1, 1)), feature_names=["eeg_x"],
                        index=pd.DataFrame({"path": ["a.edf"]}),
                        provenance={"modality": "eeg", "level": "functionals", "sets": [],
                                    "sfreq": sfreq})


@pytest.mark.parametrize("other", ["256 Hz", "fast", float("nan"), [256, 256], True])
def test_concat_names_a_rate_that_is_no_number(other):
    with pytest.raises(ValueError, match=r"tables 1 and 2 were extracted differently "
                                         r"\(sampling rate 256 Hz vs .+\)"):
        FeatureTable.concat([_table(256.0), _table(other)])


@pytest.mark.parametrize("rate", ["256 Hz", float("nan"), [256, 256]])
def test_tables_written_alike_stack(rate):
    out = FeatureTable.concat([_table(rate), _table(rate)])
    assert out.provenance["sfreq"] == rate or (isinstance(rate, float) and math.isnan(rate))
    assert len(out) == 2


def test_numbers_as_before():
    # the rule for numbers is unchanged: within EEG_RATE_RTOL is one extraction
    near = 256.0 * (1 + EEG_RATE_RTOL / 2)
    far = 256.0 * (1 + EEG_RATE_RTOL * 2)
    assert not rate_difference(256.0, near)
    assert rate_difference(256.0, far)
    assert rate_difference(256.0, str(far))  # a number written as text is still a number
    assert not rate_difference(None, "256 Hz") and not rate_difference(256.0, None)
    assert len(FeatureTable.concat([_table(256.0), _table(near)])) == 2


def test_the_model_check_names_a_rate_that_is_no_number():
    trained = _table(256.0).provenance
    said = provenance_differences(trained, _table("256 Hz").provenance)
    assert any("sampling rate = '256 Hz' (model: 256 Hz" in s for s in said), said


# -------------------------------------------------------- review mends (session 43)


@pytest.fixture(scope="module")
def muse_bands():
    from conftest import shared_path

    from emofeat.registry import get_extractor
    from emofeat.runner import run

    path = shared_path("eeg", "muse_mental_state", "subjecta-neutral-1.csv")
    return run([str(path)], [get_extractor("eeg_bands")], segment=2.0, hop=2.0).table


@pytest.mark.parametrize("rate", [float("nan"), float("inf"), np.float64("nan")])
def test_the_tail_rule_check_of_concat_takes_a_rate_that_is_no_number(muse_bands, rate):
    """A real eeg_bands table twice, one without the tail rule recorded: concat asks whether
    the rule is moot at the recorded rate, and ``round()`` of NaN leaked ValueError
    ('cannot convert float NaN to integer'); of inf, OverflowError. Now it is not moot (a
    rate that is no number tells nothing), so the tables differ by the rule."""
    a, b = copy.deepcopy(muse_bands), copy.deepcopy(muse_bands)
    a.provenance["sfreq"] = b.provenance["sfreq"] = rate
    seg = dict(b.provenance["segments"])
    seg.pop("tail")
    b.provenance["segments"] = seg
    with pytest.raises(ValueError, match="extracted differently"):
        FeatureTable.concat([a, b])
    a.provenance["sfreq"] = b.provenance["sfreq"] = 256.0
    assert len(FeatureTable.concat([a, b])) == 2 * len(muse_bands)  # moot at 256 Hz


def test_nan_rates_written_as_numpy_and_python_floats_are_alike():
    assert not rate_difference(np.float64("nan"), float("nan"))
    assert len(FeatureTable.concat([_table(np.float64("nan")), _table(float("nan"))])) == 2


def test_the_model_check_takes_a_rate_written_as_an_array():
    """``provenance_differences`` asked ``old_r and new_r``: an array's truth value is
    ambiguous (ValueError) where rate_difference compares it."""
    said = provenance_differences(_table(256.0).provenance, _table(np.array([256.0, 256.0]))
                                  .provenance)
    assert any("sampling rate = array([256., 256.])" in s for s in said), said


def test_info_shows_a_rate_that_is_no_number(tmp_path, capsys):
    """``emofeat info`` formatted the rate with ``:g``: a text rate made it a bug report
    ('Unknown format code ...')."""
    from emofeat.cli import main

    path = tmp_path / "t.parquet"
    _table("256 Hz").to_parquet(path)
    assert main(["info", str(path)]) == 0
    assert "sampling rate: '256 Hz' (" in capsys.readouterr().out
    _table(256.0).to_parquet(path)
    assert main(["info", str(path)]) == 0
    assert "sampling rate: 256 Hz (" in capsys.readouterr().out
