"""scikit-learn's random forest with balanced class weights that work on every label type."""

from __future__ import annotations

import numpy as np
from sklearn.ensemble import RandomForestClassifier
from sklearn.utils.class_weight import compute_class_weight
from sklearn.utils.validation import check_array


class RandomForestLabelClassifier(RandomForestClassifier):
    """scikit-learn's random forest, whose ``class_weight="balanced"`` also works on class
    labels that read as integers (``"1"``, ``"2"``: ratings, which
    :func:`~emofeat.classifiers.validation.prepare` turns into strings).

    scikit-learn (1.9) turns ``"balanced"`` into a dict keyed by the labels and then looks
    each label up as ``int(label)``, which fails ("The classes, [1, 2], are not in
    class_weight"). Here the same balanced weights (inverse class frequencies
    counted with any ``sample_weight`` and multiplying it, as scikit-learn does)
    are passed to the trees as sample weights instead. Parameters,
    attributes and every other behaviour are :class:`~sklearn.ensemble.RandomForestClassifier`'s.
    """

    def fit(self, X, y, sample_weight=None) -> RandomForestLabelClassifier:
        """Fit the forest; ``class_weight="balanced"`` becomes per-sample weights."""
        if y is None or not (isinstance(self.class_weight, str)
                             and self.class_weight == "balanced"):
            # without y: scikit-learn's own "requires y to be passed"
            return super().fit(X, y, sample_weight=sample_weight)
        # y checked as scikit-learn would (NaN, inf) before its classes are counted
        y_arr = check_array(y, ensure_2d=False, dtype=None, input_name="y")
        if y_arr.ndim != 1:  # multi-output: scikit-learn's own path
            return super().fit(X, y, sample_weight=sample_weight)
        weight = balanced_sample_weight(y_arr, sample_weight)
        self.class_weight = None
        try:
            super().fit(X, y, sample_weight=weight)
        finally:
            self.class_weight = "balanced"  # the parameter as the user set it
        return self


def balanced_sample_weight(y: np.ndarray, sample_weight=None) -> np.ndarray:
    """Per-row weights of ``class_weight="balanced"``: inverse class frequencies counted with
    ``sample_weight`` and multiplied by it (scikit-learn 1.9's own rule), the forest's and
    the XGBoost classifier's alike. A class whose rows all weigh 0 weighs 0, as its rows do
    (its weight would be 1 / 0, and inf * 0 a NaN weight the trees refuse)."""
    y = np.asarray(y)
    sw = None if sample_weight is None else np.asarray(sample_weight, dtype=float)
    classes, codes = np.unique(y, return_inverse=True)
    with np.errstate(divide="ignore"):
        per_class = compute_class_weight("balanced", classes=classes, y=y, sample_weight=sw)
    per_class[~np.isfinite(per_class)] = 0.0
    return per_class[codes] if sw is None else per_class[codes] * sw
