"""Explanations: permutation importance on held-out folds, per feature and per feature group,
and the built-in importances of tree models.

Permutation importance of a feature (or of a group of features permuted together) is the drop
of the score (UAR for classification, CCC for regression) when that feature's values are
shuffled among the *test* rows of a fold, with the model trained on the other folds. It is
averaged over repeats and folds. Group importance answers "how much do all MFCC functionals
matter?" even when single features are redundant with each other.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence

import numpy as np
import pandas as pd

_INDEX_SUFFIX = re.compile(r"\d+$")


def feature_group(name: str) -> str:
    """The default group of a feature name: its set prefix without the coefficient number,
    and its delta order.

    ``mfcc3_mean`` -> ``mfcc``; ``mfcc3_delta_std`` -> ``mfcc_delta``;
    ``F0semitoneFrom27.5Hz_sma3nz_amean`` -> ``F0semitoneFrom27.5Hz_sma3nz``;
    ``f0_mean`` -> ``f0`` (a short prefix keeps its digits);
    a name without ``_`` is its own group.
    """
    parts = name.split("_")
    if len(parts) == 1:
        return name
    head = _INDEX_SUFFIX.sub("", parts[0])
    if len(head) < 3:  # f0, F1 (formant): the digits are part of the name
        head = parts[0]
    return "_".join([head, *parts[1:-1]])


def group_features(
    feature_names: Sequence[str],
    groups: Callable[[str], str] | Mapping[str, str] | Mapping[str, Sequence[str]] | None = None,
) -> dict[str, list[int]]:
    """Column positions of each feature group.

    Parameters
    ----------
    feature_names : sequence of str
    groups : callable, dict or None
        ``None``: :func:`feature_group`. A callable: name -> group. A dict of
        ``{feature: group}``, or of ``{group: regex}`` / ``{group: [features]}``.
    """
    names = list(feature_names)
    out: dict[str, list[int]] = {}
    if groups is None or callable(groups):
        fn = groups or feature_group
        for i, n in enumerate(names):
            out.setdefault(fn(n), []).append(i)
        return out
    groups = dict(groups)
    if all(n in groups for n in names) and all(isinstance(v, str) for v in groups.values()) \
            and set(groups) <= set(names):
        for i, n in enumerate(names):
            out.setdefault(groups[n], []).append(i)
        return out
    for grp, spec in groups.items():
        if isinstance(spec, str):
            rx = re.compile(spec)
            idx = [i for i, n in enumerate(names) if rx.search(n)]
        else:
            wanted = set(spec)
            idx = [i for i, n in enumerate(names) if n in wanted]
        if idx:
            out[grp] = idx
    return out


def permutation_drops(
    predict: Callable[[np.ndarray], np.ndarray],
    X: np.ndarray,
    y: np.ndarray,
    score: Callable[[np.ndarray, np.ndarray], float],
    columns: Sequence[Sequence[int]],
    n_repeats: int = 5,
    rng: np.random.Generator | None = None,
) -> np.ndarray:
    """Score drops when each set of columns is permuted (rows shuffled jointly), per repeat.

    Parameters
    ----------
    predict : callable
        ``X -> predictions`` of a fitted model (closing over any predict-time metadata).
    X, y : held-out rows
    score : callable ``(y_true, y_pred) -> float``, higher is better
    columns : list of lists of column positions; each is permuted as a block
    n_repeats : int
    rng : numpy Generator

    Returns
    -------
    ndarray, shape (len(columns), n_repeats)
    """
    rng = rng or np.random.default_rng(0)
    base = score(y, predict(X))
    drops = np.empty((len(columns), n_repeats))
    Xp = X.copy()
    for r in range(n_repeats):
        perm = rng.permutation(len(y))
        for j, cols in enumerate(columns):
            cols = list(cols)
            Xp[:, cols] = X[perm][:, cols]
            drops[j, r] = base - score(y, predict(Xp))
            Xp[:, cols] = X[:, cols]
    return drops


def summarize_importance(drops_per_fold: list[np.ndarray], names: Sequence[str],
                         label: str = "feature") -> pd.DataFrame:
    """Mean and standard deviation of the drops over folds and repeats, sorted by mean.

    The first column is called ``label`` (``feature`` or ``group``).
    """
    allv = np.concatenate(drops_per_fold, axis=1)
    df = pd.DataFrame({label: list(names), "importance": allv.mean(axis=1),
                       "std": allv.std(axis=1)})
    return df.sort_values("importance", ascending=False, ignore_index=True)


def builtin_importances(estimator) -> np.ndarray | None:
    """``feature_importances_`` of a fitted tree model (inside a pipeline or search), else None."""
    est = getattr(estimator, "best_estimator_", estimator)
    if hasattr(est, "steps"):
        est = est.steps[-1][1]
    imp = getattr(est, "feature_importances_", None)
    return None if imp is None else np.asarray(imp, dtype=float)


class FoldImportances:
    """Importances collected fold by fold during an evaluation.

    Parameters
    ----------
    feature_names : sequence of str
    mode : bool or {"all", "groups"}
        ``False``: built-in importances only; ``True`` / ``"all"``: permutation importance
        per feature and per group; ``"groups"``: per group only.
    feature_groups : callable or dict, optional
        As in :func:`group_features`.
    score : callable ``(y_true, y_pred) -> float``
    n_repeats : int
    rng : numpy Generator
    """

    def __init__(self, feature_names: Sequence[str], mode: bool | str = False,
                 feature_groups=None, *, score: Callable | None = None, n_repeats: int = 3,
                 rng: np.random.Generator | None = None):
        if mode not in (False, True, "all", "groups"):
            raise ValueError(f"importance must be True, False, 'all' or 'groups', got {mode!r}")
        self.names = list(feature_names)
        self.mode, self.score, self.n_repeats = mode, score, n_repeats
        self.rng = rng if rng is not None else np.random.default_rng(0)
        self.groups = group_features(self.names, feature_groups) if mode else {}
        self.feature_drops: list[np.ndarray] = []
        self.group_drops: list[np.ndarray] = []
        self.builtin: list[np.ndarray] = []

    def add(self, estimator, predict: Callable[[np.ndarray], np.ndarray], X: np.ndarray,
            y: np.ndarray) -> None:
        """Record one fold: the fitted ``estimator``'s built-in importances and, if asked,
        the permutation drops of its ``predict`` on the held-out ``X``, ``y``."""
        imp = builtin_importances(estimator)
        if imp is not None and len(imp) == len(self.names):
            self.builtin.append(imp)
        if not self.mode:
            return
        if self.mode != "groups":
            self.feature_drops.append(permutation_drops(
                predict, X, y, self.score, [[j] for j in range(len(self.names))],
                self.n_repeats, self.rng))
        self.group_drops.append(permutation_drops(predict, X, y, self.score,
                                                  list(self.groups.values()), self.n_repeats,
                                                  self.rng))

    def tables(self) -> dict[str, pd.DataFrame | None]:
        """``importances``, ``group_importances`` and ``builtin`` (None where not computed)."""
        return {
            "importances": (summarize_importance(self.feature_drops, self.names)
                            if self.feature_drops else None),
            "group_importances": (summarize_importance(self.group_drops, list(self.groups),
                                                       label="group")
                                  if self.group_drops else None),
            "builtin": (pd.DataFrame({"feature": self.names,
                                      "importance": np.mean(self.builtin, axis=0)})
                        .sort_values("importance", ascending=False, ignore_index=True)
                        if self.builtin else None),
        }
