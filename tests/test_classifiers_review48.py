"""Mends of review 1 of session 48 (classifiers).

- A wrapper that forwards a FeatureTable's attributes is evaluated as before 8cd8784, which
  refused everything but a FeatureTable; a DataFrame stays refused, also by
  ``apply_label_map`` and a model's ``check_features``/``check_provenance``, which failed
  deep inside ("'DataFrame' object has no attribute 'feature_names'", an IndexError).
- ``evaluate_cross_corpus`` without ``groups=`` holds out no group, as ``trialwise`` without
  groups since e5339f0: no per-group row repeating the pooled figures under the placeholder
  group ``test``, predictions' ``group`` missing.
- ``ScaledTargetSVR`` (53a0399): a negative sample weight counts as 0 in the target's mean and
  scale, as SVR drops such a row; ``fit(X, None)`` gives SVR's own refusal.
"""

from __future__ import annotations

import numpy as np
import pytest
from emofeat.classifiers import apply_label_map, evaluate, evaluate_cross_corpus, train
from emofeat.classifiers._svr import ScaledTargetSVR

import emofeat

WAY = r"must be a FeatureTable, got DataFrame: read an output with emofeat\.read_table"


@pytest.fixture(scope="module")
def table(sample):
    return emofeat.extract(sample, "mfcc")  # the bundled RAVDESS sample: real speech


class _Forwarding:
    """A user's wrapper of a table: every attribute is the table's."""

    def __init__(self, table):
        self._table = table

    def __getattr__(self, name):
        return getattr(self._table, name)


def test_a_forwarding_wrapper_is_evaluated_as_its_table(table):
    wrapped = evaluate(_Forwarding(table), "emotion", "speaker", "logreg", "loso")
    plain = evaluate(table, "emotion", "speaker", "logreg", "loso")
    assert wrapped.uar == plain.uar and len(wrapped.per_group) == 4


def test_label_map_and_model_checks_refuse_a_dataframe(table):
    frame = table.to_pandas()
    with pytest.raises(TypeError, match="table " + WAY):
        apply_label_map(frame, "emotion", "ekman")
    model = train(table, "emotion", model="logreg")
    with pytest.raises(TypeError, match="table " + WAY):
        model.check_features(frame)
    with pytest.raises(TypeError, match="table " + WAY):
        model.check_provenance(frame)


def test_cross_corpus_without_groups_holds_out_no_group(table):
    speakers = table.index["speaker"].astype(str).to_numpy()
    first = sorted(set(speakers))[:2]
    on = np.isin(speakers, first)
    train_t, test_t = table.select(rows=np.flatnonzero(on)), table.select(rows=np.flatnonzero(~on))
    res = evaluate_cross_corpus(train_t, test_t, "emotion", model="logreg", label_map=None)
    assert len(res.per_group) == 0
    assert res.predictions["group"].isna().all() and res.per_fold["test_groups"].isna().all()
    with_groups = evaluate_cross_corpus(train_t, test_t, "emotion", model="logreg",
                                        label_map=None, groups="speaker")
    assert len(with_groups.per_group) == 2  # the test table's speakers
    assert res.uar == with_groups.uar  # groups only score per speaker here


def test_scaled_svr_takes_a_negative_weight_as_svr_does():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(120, 4))
    y = 50 + 20 * X[:, 0] + rng.normal(size=120)
    y[:12] += 100  # rows SVR leaves out at a weight of 0 or below
    neg, zero = np.ones(120), np.ones(120)
    neg[:12], zero[:12] = -1.0, 0.0
    a = ScaledTargetSVR().fit(X, y, sample_weight=neg)
    b = ScaledTargetSVR().fit(X, y, sample_weight=zero)
    assert (a.y_mean_, a.y_scale_) == (b.y_mean_, b.y_scale_)
    np.testing.assert_array_equal(a.predict(X), b.predict(X))
    with pytest.raises(ValueError, match="requires y to be passed"):
        ScaledTargetSVR().fit(X, None)
