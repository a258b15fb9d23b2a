"""Classifiers and honest evaluation (installed as ``emofeat.classifiers``).

Ready sklearn pipelines (:func:`make_classifier`) and leakage-safe protocols
(:func:`evaluate`): speaker- or subject-independent splits group every row of one speaker
on the same side of every fold.
"""

from .evaluation import EvaluationResult, evaluate
from .metrics import unweighted_average_recall, weighted_accuracy
from .models import list_models, make_classifier

__all__ = [
    "EvaluationResult",
    "evaluate",
    "list_models",
    "make_classifier",
    "unweighted_average_recall",
    "weighted_accuracy",
]
