"""``metrics.normalized_confusion`` of predictions with a missing label (session 55, helper A).

``TrainedModel.predict`` of a model trained with ``label_map="ekman"`` gives ``true`` None
for a label the map drops (EmoDB's boredom) and ``pred`` None for a row without a finite
feature. UAR, WA, the F1s and per-class recall refuse such labels with a ``ValueError``
naming the metric and the count; ``normalized_confusion`` handed them to scikit-learn, which
failed with "'<' not supported between instances of 'str' and 'float'". Reference for the
figures of the labelled rows: ``sklearn.metrics.confusion_matrix(normalize="true")``.
"""

from __future__ import annotations

import warnings

import numpy as np
import pytest
from emofeat.classifiers import train
from emofeat.classifiers.metrics import normalized_confusion
from sklearn.metrics import confusion_matrix


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
    # the labelled rows: scikit-learn's row-normalised matrix, to rounding (1e-12)
    kept = p["true"].notna().to_numpy()
    t, q = p["true"].to_numpy()[kept], p["pred"].to_numpy()[kept]
    labels = sorted(set(t))
    np.testing.assert_allclose(normalized_confusion(t, q, labels=labels),
                               confusion_matrix(t, q, labels=labels, normalize="true"),
                               rtol=0, atol=1e-12)
