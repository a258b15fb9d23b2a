"""Pooling: frame-level predictions averaged into one prediction per utterance.

With ``evaluate(..., pool="path")`` the rows of the table are frames (an LLD table), the
model trains on frames, and each held-out utterance is scored by the mean of its frames'
class probabilities. This module knows the utterances: it checks that every utterance is
one speaker and one label, keeps an utterance's frames on one side of every split, chooses
the frames used (:func:`spaced_rows`) and accumulates the pooled probabilities.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from emofeat._wording import counted

from .protocols import Fold, ProtocolError
from .validation import DataError, Prepared, keep_identity_columns

__all__ = ["PooledScores", "Utterances", "spaced_rows"]


def spaced_rows(rows: np.ndarray, units: np.ndarray, n: int | None) -> np.ndarray:
    """At most ``n`` rows of each unit, evenly spaced over the unit's rows (in table order).

    Parameters
    ----------
    rows : ndarray of int
        Row positions to choose from.
    units : ndarray of int
        Unit code of every row of the table (indexed by ``rows``).
    n : int or None
        Rows to keep per unit; ``None`` keeps all.

    Returns
    -------
    ndarray of int
        The kept positions, sorted.
    """
    if n is None:
        return np.asarray(rows)
    if n < 1:
        raise ValueError(f"frames per unit must be at least 1, got {n}")
    order = rows[np.argsort(units[rows], kind="stable")]
    _, starts, counts = np.unique(units[order], return_index=True, return_counts=True)
    keep = [order[s:s + c] if c <= n
            else order[s + np.unique(np.round(np.linspace(0, c - 1, n)).astype(int))]
            for s, c in zip(starts, counts, strict=True)]
    return np.sort(np.concatenate(keep)) if keep else np.asarray(rows[:0])


class Utterances:
    """The utterances of a frame table: which frames belong to which utterance.

    Parameters
    ----------
    prep : Prepared
        The frames.
    pool : str
        Identity column naming the utterance of each frame.
    groups : ndarray
        Speaker / subject of every frame.
    names : tuple of (str or None, str)
        Column names of the groups and the target, for the messages.

    Raises
    ------
    DataError
        An utterance whose frames have more than one group or label.
    """

    def __init__(self, prep: Prepared, pool: str, groups: np.ndarray,
                 names: tuple[str | None, str]):
        self.column = pool
        self.ids, self.code = np.unique(prep.index[pool].astype(str).to_numpy(),
                                        return_inverse=True)
        _, self.first = np.unique(self.code, return_index=True)
        for what, values, col in (("speaker/group", groups, names[0]),
                                  ("label", prep.y, names[1])):
            spans = pd.Series(values).groupby(self.code).nunique()
            if (spans > 1).any():
                bad = self.ids[spans.index[spans > 1].to_numpy()[:3]]
                n_bad = int((spans > 1).sum())
                raise DataError(f"the frames of {counted(n_bad, 'utterance')} of "
                                f"{pool!r} have more than one {what} ({col!r}), e.g. "
                                f"{list(bad)}; {pool!r} must name one utterance of one speaker")

    def __len__(self) -> int:
        return len(self.ids)

    def of_frames(self) -> np.ndarray:
        """The utterance id of every frame (the units trial-based protocols keep together)."""
        return self.ids[self.code]

    def check_folds(self, folds: list[Fold]) -> None:
        """Raise :class:`ProtocolError` if a fold splits the frames of an utterance."""
        for k, fold in enumerate(folds):
            if np.intersect1d(self.code[fold.train], self.code[fold.test]).size:
                raise ProtocolError(f"fold {k} puts frames of one utterance on both sides")

    def selector(self, max_train: int | None, max_test: int | None):
        """``select(rows, side)`` for :func:`~emofeat.classifiers.fitting.fit_folds`: at most
        ``max_train`` / ``max_test`` evenly spaced frames of each utterance."""
        def select(rows: np.ndarray, side: str) -> np.ndarray:
            return spaced_rows(rows, self.code, max_train if side == "train" else max_test)
        return select

    def prepared(self, prep: Prepared, n_frames: np.ndarray) -> Prepared:
        """The utterances as evaluated units: the first frame's label and identity columns
        (less the columns that vary over an utterance's frames) and ``n_frames``."""
        varying = prep.index.groupby(self.code).nunique(dropna=False).max()
        index = prep.index.iloc[self.first].drop(columns=list(varying.index[varying > 1]))
        # an identity column "n_frames" is kept as "table_n_frames"
        index = keep_identity_columns(index.reset_index(drop=True), ("n_frames",))
        index["n_frames"] = n_frames
        return Prepared(X=np.empty((len(self), 0)), y=prep.y[self.first],
                        rows=prep.rows[self.first], index=index, task=prep.task,
                        dropped=prep.dropped, label_kind=prep.label_kind)


class PooledScores:
    """Mean class probabilities of every utterance's held-out frames.

    Parameters
    ----------
    utterances : Utterances
    labels : ndarray of str
        All class labels, sorted (the columns of :attr:`proba`).
    """

    def __init__(self, utterances: Utterances, labels: np.ndarray):
        self.utt = utterances
        self.labels = labels
        self.proba = np.zeros((len(utterances), len(labels)))
        self.n_frames = np.zeros(len(utterances), dtype=int)
        self.fold_of = np.full(len(utterances), -1)

    def add(self, k: int, frames: np.ndarray, frame_proba: np.ndarray,
            classes: Any) -> np.ndarray:
        """Pool the probabilities of held-out ``frames`` (rows in ``classes`` order) of fold
        ``k``; returns the codes of the utterances scored."""
        cols = np.searchsorted(self.labels, np.asarray(classes).astype(str))
        codes, inv = np.unique(self.utt.code[frames], return_inverse=True)
        sums = np.zeros((len(codes), len(self.labels)))
        np.add.at(sums, (inv[:, None], cols[None, :]), frame_proba)
        counts = np.bincount(inv, minlength=len(codes))
        self.proba[codes] = sums / counts[:, None]
        self.n_frames[codes] = counts
        self.fold_of[codes] = k
        return codes

    def predict(self, codes: np.ndarray | slice = slice(None)) -> np.ndarray:
        """The pooled prediction (argmax of the mean probabilities) of utterances ``codes``."""
        return self.labels[self.proba[codes].argmax(axis=1)]
