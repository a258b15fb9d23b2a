"""Checks of a feature table before training: clear messages instead of sklearn tracebacks.

Handling documented here and in ``docs/classifiers.md``:

* a missing target / group / trial column: :class:`DataError` naming the columns there are;
* rows whose target is missing (NaN, empty) or mapped to ``None`` by a label map: dropped,
  and the count is recorded in the result's settings (``dropped_rows``);
* a class with fewer than ``min_class_size`` (default 2) rows: :class:`DataError` naming it
  (drop or merge it, e.g. with a label map);
* NaN features: imputed with the training folds' median inside the pipeline; infinite values
  are treated as NaN; a column that is NaN in every training row becomes 0;
* too few groups for the protocol: :class:`~emofeat.classifiers.protocols.ProtocolError`.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from emofeat.errors import EmofeatError

from .label_maps import map_labels


class DataError(EmofeatError, ValueError):
    """The table cannot be used as asked (missing column, too rare class, ...)."""


@dataclass
class Prepared:
    """Rows kept, with features, labels and the identity columns asked for."""

    X: np.ndarray
    y: np.ndarray
    rows: np.ndarray  # positions in the original table
    index: pd.DataFrame
    task: str
    dropped: int


def check_columns(table, *columns: str | None) -> None:
    """Raise :class:`DataError` unless every named column is an identity column of ``table``."""
    have = list(table.index.columns)
    for col in columns:
        if col is not None and col not in have:
            hint = " (it is a feature column)" if col in table.feature_names else ""
            raise DataError(f"no column {col!r} in the table{hint}; identity columns are {have}")


def infer_task(values: pd.Series, task: str = "auto") -> str:
    """``classification`` or ``regression``: floats are regression, anything else a class."""
    if task in ("classification", "regression"):
        return task
    if task != "auto":
        raise ValueError(f"task must be 'auto', 'classification' or 'regression', got {task!r}")
    if pd.api.types.is_float_dtype(values):
        nonnull = values.dropna()
        if len(nonnull) and np.allclose(nonnull, np.round(nonnull)) and nonnull.nunique() <= 10:
            return "classification"  # integer ratings stored as floats
        return "regression"
    return "classification"


def prepare(
    table,
    target: str,
    *,
    columns: tuple[str | None, ...] = (),
    label_map=None,
    corpus: str | None = None,
    task: str = "auto",
    min_class_size: int = 2,
) -> Prepared:
    """Validate ``table`` and return the rows to use, with ``X`` (inf as NaN) and ``y``.

    Parameters
    ----------
    table : FeatureTable
    target : str
    columns : tuple of str
        Further identity columns that must exist (groups, trials).
    label_map : str, dict or callable, optional
        Mapping of the target labels (see :mod:`emofeat.classifiers.label_maps`).
    corpus : str, optional
        The corpus for a named label map (detected when omitted).
    task : {"auto", "classification", "regression"}
    min_class_size : int
        Fewest rows a class may have.
    """
    check_columns(table, target, *columns)
    if table.X.shape[1] == 0:
        raise DataError("the table has no feature columns")
    raw = table.index[target]
    if label_map is not None:
        raw = map_labels(raw.where(raw.notna(), None), label_map, corpus=corpus)
        raw = raw.where(raw.notna() & (raw != "None"), None)
    task = infer_task(raw, task)
    missing = raw.isna().to_numpy() | (raw.astype(str).str.strip() == "").to_numpy()
    for col in columns:
        if col is not None:
            missing |= table.index[col].isna().to_numpy()
    rows = np.flatnonzero(~missing)
    if len(rows) == 0:
        raise DataError(f"no rows left: every {target!r} value is missing or unmapped")
    if task == "classification":
        y = raw.iloc[rows].astype(str).to_numpy()
        labels, counts = np.unique(y, return_counts=True)
        if len(labels) < 2:
            raise DataError(f"column {target!r} has a single class ({labels[0]!r}): "
                            "nothing to classify")
        rare = {str(lab): int(c)
                for lab, c in zip(labels, counts, strict=True) if c < min_class_size}
        if rare:
            raise DataError(
                f"class(es) with fewer than {min_class_size} rows in {target!r}: {rare}; drop "
                "those rows or merge the classes (e.g. with label_map=...) before evaluating"
            )
    else:
        y = pd.to_numeric(raw.iloc[rows], errors="coerce").to_numpy(dtype=float)
        if np.isnan(y).any():
            raise DataError(f"column {target!r} holds non-numeric values for a regression")
    X = np.asarray(table.X[rows], dtype=np.float64)
    if not np.isfinite(X).all():
        X = np.where(np.isinf(X), np.nan, X)
    return Prepared(X=X, y=y, rows=rows, index=table.index.iloc[rows].reset_index(drop=True),
                    task=task, dropped=int(len(raw) - len(rows)))
