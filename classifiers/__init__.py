"""Classifiers and honest evaluation (installed as ``emofeat.classifiers``).

* :func:`make_classifier`, :func:`make_regressor`: ready sklearn pipelines (imputation and
  scaling fitted inside each training fold; defaults for small, imbalanced corpora).
* :class:`GroupStandardScaler`: per-speaker / per-subject standardisation.
* :func:`evaluate`: speaker/subject-independent, subject-dependent and trial-wise protocols,
  nested search, permutation importance; :func:`evaluate_cross_corpus`.
* :mod:`~emofeat.classifiers.metrics`, :mod:`~emofeat.classifiers.label_maps`,
  :mod:`~emofeat.classifiers.plots`.
* :func:`train`, :class:`TrainedModel`: a model that remembers its feature names and how
  they were extracted (:mod:`~emofeat.classifiers.compatibility`).
"""

from .compatibility import PredictionWarning, ProvenanceError
from .evaluation import build_estimator, evaluate, evaluate_cross_corpus
from .explain import feature_group, group_features
from .label_maps import apply_label_map, get_label_map, list_label_maps, map_labels
from .metrics import (
    classification_scores,
    concordance_correlation,
    macro_f1,
    multilabel_scores,
    off_by_one_accuracy,
    pearson,
    per_class_recall,
    per_label_scores,
    regression_scores,
    rmse,
    sequential_top2_hit_rate,
    top2_hit_rate,
    unweighted_average_recall,
    weighted_accuracy,
    weighted_f1,
)
from .models import XGBLabelClassifier, list_models, make_classifier, make_regressor
from .persistence import TrainedModel, load_model, train
from .protocols import PROTOCOLS, LeakageWarning, ProtocolError, split
from .result import EvaluationResult
from .standardize import GroupStandardScaler
from .validation import DataError

__all__ = [
    "PROTOCOLS", "DataError", "EvaluationResult", "GroupStandardScaler", "PredictionWarning",
    "LeakageWarning", "ProtocolError", "ProvenanceError",
    "TrainedModel", "XGBLabelClassifier", "apply_label_map", "build_estimator",
    "classification_scores", "concordance_correlation", "evaluate", "evaluate_cross_corpus",
    "feature_group", "get_label_map", "group_features", "list_label_maps", "list_models",
    "load_model", "macro_f1", "make_classifier", "make_regressor", "map_labels",
    "multilabel_scores", "off_by_one_accuracy", "pearson", "per_class_recall", "per_label_scores",
    "regression_scores", "rmse", "sequential_top2_hit_rate", "split", "top2_hit_rate", "train",
    "unweighted_average_recall", "weighted_accuracy", "weighted_f1",
]
