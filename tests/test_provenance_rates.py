"""A provenance's EEG rate (``sfreq``) that is not a number.

``FeatureTable.concat`` and the model's provenance check compared rates with ``float()``: a
provenance edited by hand or written by another tool (``"256 Hz"``) made both leak
``float()``'s bare ValueError ("could not convert string to float") instead of saying which
tables differ, and two tables that both said ``"256 Hz"`` could not be stacked at all.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from classifiers.compatibility import provenance_differences
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
