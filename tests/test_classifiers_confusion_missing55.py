"""``metrics.normalized_confusion`` of predictions with a missing label (session 55, helper A).

``TrainedModel.predict`` of a model trained with ``label_map="ekman"`` gives ``true`` None
for a label the map drops (EmoDB's boredom) and ``pred`` None for a row without a finite
feature. UAR, WA, the F1s and per-class recall refuse such labels with a ``ValueError``
naming the metric and the count; ``normalized_confusion`` handed them to scikit-learn, which
failed with "'<' not supported between instances of 'str' and 'float'". Reference for the
figures of the labelled rows: ``sklearn.metrics.confusion_matrix``'s counts over each class's
rows in ``y_true`` (its ``normalize="true"`` with the default labels), whose diagonal is
``recall_score(average=None)`` (helper A2: the diagonal was no recall where a class absent
from the truth was predicted).
"""

from __future__ import annotations

import warnings

import numpy as np
import pytest
from emofeat.classifiers import train
from emofeat.classifiers.metrics import normalized_confusion
from sklearn.metrics import confusion_matrix, recall_score


def test_missing_labels_are_refused_by_name_and_labelled_rows_equal_sklearn(emodb_mfcc):
    spk = emodb_mfcc.index["speaker"].astype(str).to_numpy()
    held = np.isin(spk, ["03", "08"])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        model = train(emodb_mfcc.select(rows=~held), "emotion", groups="speaker",
                      standardize="group", label_map="ekman")
        p = model.predict(emodb_mfcc.select(rows=held))
    boredom = int((emodb_mfcc.index["emotion"].to_numpy()[held] == "boredom").sum())
    assert boredom > 0 and int(p["true"].isna().sum()) == boredom
    with pytest.raises(ValueError, match=rf"normalized_confusion: y_true holds {boredom} "
                                         rf"missing labels \(None/NaN\) of {len(p)}"):
        normalized_confusion(p["true"], p["pred"])
    pred = p["pred"].to_numpy(dtype=object).copy()
    pred[0] = None  # a row without a prediction
    with pytest.raises(ValueError, match=r"normalized_confusion: y_pred holds 1 missing"):
        normalized_confusion(np.where(p["true"].isna(), "anger", p["true"]), pred)
    # the labelled rows: the counts of scikit-learn's matrix, each row divided by its class's
    # rows in y_true (confusion_matrix(normalize="true") with labels given divides by the
    # row's sum over those labels, which leaves out rows predicted as another class), to
    # rounding (1e-12)
    kept = p["true"].notna().to_numpy()
    t, q = p["true"].to_numpy()[kept], p["pred"].to_numpy()[kept]
    labels = sorted(set(t))
    counts = np.array([(t == lab).sum() for lab in labels], dtype=float)
    np.testing.assert_allclose(normalized_confusion(t, q, labels=labels),
                               confusion_matrix(t, q, labels=labels) / counts[:, None],
                               rtol=0, atol=1e-12)


def test_diagonal_is_recall_where_a_class_is_predicted_but_absent_from_the_truth(emodb_mfcc):
    """EmoDB speaker 08 has no disgust recording; leave-one-speaker-out predicts disgust for
    some of its rows. normalized_confusion took its labels from y_true only, so
    confusion_matrix dropped those rows and each row was divided by its sum without them:
    the diagonal was no recall (the RAVDESS ekman model predicting EmoDB: anger 0.133,
    recall 0.110). Reference: sklearn's recall_score(average=None) and, with the default
    labels (every class of either side, as sklearn's), confusion_matrix(normalize="true");
    tolerance 1e-12 (the same counts divided)."""
    spk = emodb_mfcc.index["speaker"].astype(str).to_numpy()
    held = spk == "08"
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        model = train(emodb_mfcc.select(rows=~held), "emotion", groups="speaker",
                      standardize="group", label_map="ekman")
        p = model.predict(emodb_mfcc.select(rows=held))
    kept = p["true"].notna().to_numpy()
    t = p["true"].to_numpy()[kept].astype(str)
    q = p["pred"].to_numpy()[kept].astype(str)
    # the case: a class predicted that the truth lacks
    assert "disgust" not in set(t) and (q == "disgust").sum() > 0
    truth = sorted(set(t))
    recall = recall_score(t, q, labels=truth, average=None, zero_division=0)
    # default labels: every class of t and q; the rows of t's classes hold their recalls
    both = sorted(set(t) | set(q))
    cm = normalized_confusion(t, q)
    assert cm.shape == (len(both), len(both))
    at = [both.index(c) for c in truth]
    np.testing.assert_allclose(cm.diagonal()[at], recall, rtol=0, atol=1e-12)
    np.testing.assert_allclose(cm, confusion_matrix(t, q, normalize="true"), rtol=0,
                               atol=1e-12)
    # labels given (the truth's classes): still each class's recall on the diagonal, and a
    # row sums to 1 less the share predicted as disgust
    given = normalized_confusion(t, q, labels=truth)
    np.testing.assert_allclose(given.diagonal(), recall, rtol=0, atol=1e-12)
    outside = np.array([((t == c) & (q == "disgust")).sum() / (t == c).sum() for c in truth])
    np.testing.assert_allclose(given.sum(axis=1), 1 - outside, rtol=0, atol=1e-12)
