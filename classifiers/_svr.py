"""scikit-learn's support vector regression, fitted to the target in standard units."""

from __future__ import annotations

import numpy as np
from sklearn.svm import SVR
from sklearn.utils.validation import check_array, check_is_fitted, column_or_1d


# not TransformedTargetRegressor(SVR(), StandardScaler()): its scaler ignores sample_weight,
# and it would rename the grid keys users give (C -> regressor__C) and the model's description
class ScaledTargetSVR(SVR):
    """scikit-learn's :class:`~sklearn.svm.SVR`, fitted to the training target z-scored
    (its mean and population standard deviation, weighted by any ``sample_weight``), its
    predictions mapped back to the target's unit.

    The pipelines z-score the features, but an SVR's ``C`` and ``epsilon`` are in the
    target's unit: with ``C=1`` and ``epsilon=0.1`` the same EmoDB arousal ratings scored
    leave-one-speaker-out CCC 0.55 on a 0-100 scale, 0.78 on 0-1 and 0.07 on 0-1000 (the
    box ``C`` cannot reach a wide target's spread, and the predictions stay near its
    centre). Here ``epsilon`` is in standard deviations of the training target, and the
    figures do not depend on the unit. A target of no spread is centred only. Parameters,
    attributes and every other behaviour are :class:`~sklearn.svm.SVR`'s; ``y_mean_`` and
    ``y_scale_`` hold the training target's mean and the scale divided by.
    """

    def fit(self, X, y, sample_weight=None) -> ScaledTargetSVR:
        """Fit the SVR to ``(y - mean) / sd`` of the training rows."""
        if y is None:  # SVR's own "requires y to be passed"
            return super().fit(X, y, sample_weight=sample_weight)
        # checked as SVR checks it (NaN, inf, 2-D): the refusal is sklearn's own
        y_arr = check_array(y, ensure_2d=False, dtype="numeric", input_name="y")
        if y_arr.ndim == 2 and y_arr.shape[1] == 1:  # a column: SVR's warning, then 1-D
            y_arr = column_or_1d(y_arr, warn=True)
        if y_arr.ndim != 1:
            return super().fit(X, y, sample_weight=sample_weight)
        y_arr = y_arr.astype(float)
        w = None if sample_weight is None else np.asarray(sample_weight, dtype=float)
        if w is not None and w.shape == y_arr.shape:
            w = np.clip(w, 0.0, None)  # SVR drops a row of negative weight as of weight 0
        if w is not None and (w.shape != y_arr.shape or not np.sum(w) > 0):
            w = None  # SVR's own checks report a bad sample_weight
        mean = float(np.average(y_arr, weights=w)) if len(y_arr) else 0.0
        scale = (float(np.sqrt(np.average((y_arr - mean) ** 2, weights=w)))
                 if len(y_arr) else 1.0)
        # as StandardScaler: a spread at rounding level of the mean is no spread
        if not scale > 10 * np.finfo(float).eps * max(abs(mean), 1.0):
            scale = 1.0
        super().fit(X, (y_arr - mean) / scale, sample_weight=sample_weight)
        self.y_mean_, self.y_scale_ = mean, scale
        return self

    def predict(self, X) -> np.ndarray:
        """The SVR's predictions in the target's unit."""
        check_is_fitted(self)
        pred = super().predict(X)
        if not hasattr(self, "y_scale_"):  # fitted on a 2-D y by SVR itself
            return pred
        return pred * self.y_scale_ + self.y_mean_
