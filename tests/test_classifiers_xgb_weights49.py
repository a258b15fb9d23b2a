"""XGBLabelClassifier's balanced class weights count the classes with ``sample_weight``, as
RandomForestLabelClassifier's and scikit-learn's do (helper B of session 49's finding): it
counted them without, then multiplied, so weights that zero out most of a class balanced the
two models differently ([1, 1] against the forest's [0.6, 3.0] on 10 + 10 rows, 8 of class b
weighing 0)."""

from __future__ import annotations

import numpy as np
import pytest
from conftest import shared_path
from emofeat.classifiers.models import XGBLabelClassifier

import emofeat

pytest.importorskip("xgboost")


@pytest.fixture(scope="module")
def emodb():
    files = sorted(shared_path("speech", "emodb").rglob("*.flac"))[:60]
    table = emofeat.extract([str(f) for f in files], "mfcc")
    y = np.array(["anger" if f.name[5] == "W" else "other" for f in files])
    return np.asarray(table.X), y


def test_balanced_weights_count_classes_with_sample_weight(emodb, monkeypatch):
    import xgboost

    X, y = emodb
    rng = np.random.default_rng(0)
    sw = rng.uniform(0.2, 3.0, len(y))
    sw[np.flatnonzero(y == "anger")[2:]] = 0.0  # two anger rows weigh anything
    seen = {}
    fit = xgboost.XGBClassifier.fit

    def spy(self, X, y, sample_weight=None, **kw):
        seen["w"] = np.asarray(sample_weight)
        return fit(self, X, y, sample_weight=sample_weight, **kw)

    monkeypatch.setattr(xgboost.XGBClassifier, "fit", spy)
    XGBLabelClassifier(n_estimators=5).fit(X, y, sample_weight=sw)
    # the forest's weights of the same rows: balanced over the weighted class totals
    from emofeat.classifiers._forest import balanced_sample_weight

    want = balanced_sample_weight(y, sw)
    np.testing.assert_allclose(seen["w"], want, rtol=1e-12)
    totals = {c: want[y == c].sum() for c in np.unique(y)}
    assert totals["anger"] == pytest.approx(totals["other"], rel=1e-12)  # balanced
    XGBLabelClassifier(n_estimators=5).fit(X, y)
    np.testing.assert_allclose(seen["w"], balanced_sample_weight(y), rtol=1e-12)
