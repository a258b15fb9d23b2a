"""Per-speaker / per-subject standardisation.

Speech emotion recognition usually removes speaker identity from the features by z-scoring
each speaker's rows with that speaker's own mean and standard deviation. The statistics are
*unsupervised*: they use the features of a speaker's rows, never their labels, so applying
them to a held-out speaker is legitimate (it needs that speaker's unlabelled recordings).

:class:`GroupStandardScaler` does this as an sklearn transformer that takes the group of each
row as ``groups`` metadata, both when fitting and when transforming. Two ways to give it the
groups:

* inside :func:`emofeat.classifiers.evaluate` (``standardize="group"``), which passes each
  fold's groups itself;
* in your own sklearn code, with the group as a column of a DataFrame (works everywhere,
  scoring included)::

      pipe = make_classifier("svm", standardize="group", group_column="speaker")
      df = table.to_pandas()[["speaker", *table.feature_names]]
      cross_validate(pipe, df, y, groups=df["speaker"], cv=GroupKFold(5))

* or with metadata routing enabled, passing ``groups`` to ``fit`` and ``predict``::

      sklearn.set_config(enable_metadata_routing=True)
      pipe = make_classifier("svm", standardize="group")   # requests ``groups``
      pipe.fit(X, y, groups=g)
      pipe.predict(X_new, groups=g_new)

  (sklearn 1.9's scorers do not forward metadata to ``predict``, so ``cross_validate`` with
  routing can fit but not score such a pipeline; use the DataFrame form there.)
"""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
from sklearn.base import BaseEstimator, OneToOneFeatureMixin, TransformerMixin
from sklearn.utils.validation import check_is_fitted, validate_data


class GroupRows:
    """The group of each row, with further rows of those groups that only add to their
    statistics: rows of the same speakers that are not scored (no label, or one a label map
    leaves out), so that a speaker's statistics do not depend on which of its rows carry a
    label. Give it as ``groups=`` to a :class:`GroupStandardScaler` that receives the
    features as they are (the first step of a pipeline).

    Parameters
    ----------
    ids : array-like of shape (n_rows,)
        The group of each row.
    X : ndarray of shape (n_extra, n_features)
        The further rows (NaN for a missing value).
    groups : array-like of shape (n_extra,)
        Their groups. Where these and ``ids`` are of different types (numbers and text),
        both are compared as text (3 and "3" are one group); a ``ValueError`` where then
        none of them is a group of ``ids`` (3.0 and "3").
    """

    def __init__(self, ids, X: np.ndarray, groups):
        self.ids = np.asarray(ids)
        self.X = np.asarray(X, dtype=np.float64)
        self.groups = np.asarray(groups)

    def __len__(self) -> int:
        return len(self.ids)

    def __getitem__(self, rows) -> GroupRows:
        """The groups of ``rows``, with the same further rows."""
        return GroupRows(self.ids[rows], self.X, self.groups)


class GroupStandardScaler(TransformerMixin, BaseEstimator):
    """Standardise each group (speaker, subject) with its own mean and standard deviation.

    Statistics are computed from the rows passed to :meth:`transform` (or :meth:`fit_transform`)
    for each group separately, with the further rows of a :class:`GroupRows` given as
    ``groups``; labels are never looked at. A group with fewer than ``min_samples`` rows in
    the call (further rows included) falls back to the pooled statistics learnt
    in :meth:`fit` (a single utterance cannot give a standard deviation). Constant columns
    within a group become 0. NaN values are ignored by the statistics and stay NaN.

    A deviation too small to divide by is a standard deviation of at most 1e-12 of the
    column's magnitude in the training rows (its largest absolute value, at most 1; 1 where
    that is 0); a column is constant within a group where its spread is at most 1e-12 of
    that magnitude or of the group's ``|mean|``, whichever is larger. So features far below
    1, EEG powers in V^2 (about 1e-11), are scaled as they are in microvolts (but for
    deviations within 1e-12 of a column's largest value, and a column all 0 in the training
    rows: docs/classifiers.md); exact zeros stay exactly 0.

    Parameters
    ----------
    with_mean : bool
        Subtract each group's mean.
    with_std : bool
        Divide by each group's standard deviation.
    min_samples : int
        Fewest rows of a group for its own statistics to be used.
    group_column : str, optional
        Take the groups from this column of a DataFrame ``X`` (and drop it from the output)
        instead of from ``groups=``.
    seen_groups : {"own", "fit"}
        How :meth:`transform` standardises a group that :meth:`fit` saw. ``"own"``: with
        the statistics of its rows in the call, as any group. ``"fit"``: with the
        statistics of its rows in :meth:`fit` (and of the further rows fit was given), so
        that held-out rows of a speaker whose other rows trained the model are z-scored as
        its training rows were, not with statistics of the held-out rows themselves
        (``evaluate``'s ``subject_dependent`` and ``trialwise`` folds; ``evaluate_cross_corpus``
        sets ``"own"``, with a warning, as a test table's ids name other speakers). A group
        that fit did not see uses its own statistics either way. Groups are matched as text.
        A model trained (``train``) with ``"fit"`` stores every training group's statistics
        (``group_stats_``) and its ``predict`` standardises the rows of an id seen in
        training with them, whatever rows of it the table holds: ids must then name the
        same people in every table predicted (``train`` warns of it; ``predict`` warns of
        such ids unless ``new_groups=`` says whether they are new people).

    Attributes
    ----------
    mean_, scale_ : ndarray of shape (n_features,)
        Pooled statistics of the training rows (the fall-back).
    unit_ : ndarray of shape (n_features,)
        Each column's magnitude in the training rows (largest finite absolute value, at most
        1; 1 for a column of zeros): the tolerances above are 1e-12 of it.
    n_groups_fit_ : int
        Number of groups seen in :meth:`fit`.
    group_stats_ : dict
        With ``seen_groups="fit"``: each group of :meth:`fit` (as text) to its mean, standard
        deviation and constant columns, or ``None`` where it had fewer than ``min_samples``
        rows (the pooled statistics).
    """

    # ask for ``groups`` by default when sklearn's metadata routing is on
    __metadata_request__fit = {"groups": True}
    __metadata_request__transform = {"groups": True}

    def __init__(self, *, with_mean: bool = True, with_std: bool = True, min_samples: int = 2,
                 group_column: str | None = None, seen_groups: str = "own"):
        self.with_mean = with_mean
        self.with_std = with_std
        self.min_samples = min_samples
        self.group_column = group_column
        self.seen_groups = seen_groups

    def __setstate__(self, state):
        # a scaler pickled before seen_groups existed standardised every group with its own
        # statistics
        state.setdefault("seen_groups", "own")
        super().__setstate__(state)

    def _split_groups(self, X, groups):
        if self.group_column is None:
            return X, groups
        if not hasattr(X, "columns") or self.group_column not in X.columns:
            raise ValueError(f"GroupStandardScaler(group_column={self.group_column!r}) needs a "
                             "DataFrame with that column")
        return X.drop(columns=[self.group_column]), X[self.group_column].to_numpy()

    def fit(self, X, y=None, groups=None) -> GroupStandardScaler:
        """Learn the pooled fall-back statistics; ``y`` is ignored."""
        X, groups = self._split_groups(X, groups)
        X = validate_data(self, X, ensure_all_finite="allow-nan", dtype=np.float64)
        if groups is None:
            raise ValueError(
                "GroupStandardScaler needs the group of each row: fit(X, y, groups=...); with "
                "sklearn pipelines enable metadata routing (sklearn.set_config("
                "enable_metadata_routing=True)) and pass groups=..."
            )
        if self.seen_groups not in ("own", "fit"):
            raise ValueError(f"seen_groups must be 'own' or 'fit', got {self.seen_groups!r}")
        further = groups
        groups = _check_groups(_ids(groups), X.shape[0])
        self.unit_ = _unit(X)
        self.mean_, self.scale_ = _stats(X, self.unit_)
        self.n_groups_fit_ = len(np.unique(groups))
        if self.seen_groups == "fit":
            extra_X, extra_g = _further_rows(further, X.shape[1])
            self.group_stats_ = {str(grp): stats for grp, _, stats in
                                 self._each_group(X, groups, extra_X, extra_g, self.unit_)}
        elif hasattr(self, "group_stats_"):
            del self.group_stats_  # of an earlier fit with "fit"
        return self

    def _each_group(self, X, groups, extra_X, extra_g, unit, known=None):
        """``(group, rows, statistics)`` of every group of ``groups``: its rows (a mask) and
        its mean, standard deviation and constant columns over those rows of ``X`` and its
        further rows, or ``None`` where those are fewer than ``min_samples`` (the pooled
        statistics stand in). A group of ``known`` (a dict of groups as text) gets its
        statistics from there."""
        if extra_g is not None:
            groups, extra_g = _comparable(groups, extra_g)
        for grp in np.unique(groups):
            rows = groups == grp
            if known is not None and str(grp) in known:
                yield grp, rows, known[str(grp)]
                continue
            # the group's rows here and its further rows (GroupRows): the statistics of all
            of_group = X[rows] if extra_g is None else np.vstack([X[rows],
                                                                  extra_X[extra_g == grp]])
            if len(of_group) >= self.min_samples:
                mean, scale = _stats(of_group, unit)
                yield grp, rows, (mean, scale, _constant(of_group, mean, unit))
            else:
                yield grp, rows, None

    def transform(self, X, groups=None) -> np.ndarray:
        """Standardise each group of ``X`` with statistics of its own rows in ``X`` (with
        ``seen_groups="fit"``, a group seen in :meth:`fit` with those of its rows there)."""
        check_is_fitted(self, "mean_")
        X, groups = self._split_groups(X, groups)
        X = validate_data(self, X, ensure_all_finite="allow-nan", dtype=np.float64, reset=False)
        if groups is None:
            raise ValueError("GroupStandardScaler.transform needs groups=... (one per row)")
        extra_X, extra_g = _further_rows(groups, X.shape[1])
        groups = _check_groups(_ids(groups), X.shape[0])
        # a model fitted before unit_ existed keeps the absolute tolerances it was fitted with
        unit = getattr(self, "unit_", np.ones(X.shape[1]))
        # seen_groups="fit": a group of fit keeps its training statistics (the held-out rows
        # of a subject whose other rows trained the model); the others take their own
        seen = getattr(self, "group_stats_", None) if self.seen_groups == "fit" else None
        out = np.empty_like(X)
        for _, rows, stats in self._each_group(X, groups, extra_X, extra_g, unit, seen):
            mean, scale, const = (self.mean_, self.scale_, None) if stats is None else stats
            block = X[rows]
            if self.with_mean:
                block = block - mean
                if const is not None and const.any():
                    # a column constant within the group is exactly 0, not the rounding
                    # residue of ``x - mean`` (~1e-17): a later StandardScaler would blow that
                    # residue up to O(1) noise that differs between training and test rows
                    block[:, const] = np.where(np.isnan(block[:, const]), np.nan, 0.0)
            if self.with_std:
                block = block / scale
            out[rows] = block
        return out

    def fit_transform(self, X, y=None, groups=None, **fit_params) -> np.ndarray:
        return self.fit(X, y, groups=groups).transform(X, groups=groups)

    def get_feature_names_out(self, input_features=None) -> np.ndarray:
        """The input feature names (the group column left out): one output per feature.

        Parameters
        ----------
        input_features : array-like of str, optional
            The columns of ``X`` (with or without ``group_column``), checked as sklearn's
            transformers check them: the names seen in :meth:`fit`, or as many as its columns.

        Returns
        -------
        ndarray of str
        """
        check_is_fitted(self, "mean_")
        if input_features is not None and self.group_column is not None:
            # the columns of X as given: the group column is read, not transformed
            input_features = [f for f in input_features if f != self.group_column]
        return OneToOneFeatureMixin.get_feature_names_out(self, input_features)

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.allow_nan = True
        return tags


def _ids(groups):
    """The group of each row: ``groups`` itself, or the ``ids`` of a :class:`GroupRows`."""
    return groups.ids if isinstance(groups, GroupRows) else groups


def _further_rows(groups, n_features: int) -> tuple[np.ndarray | None, np.ndarray | None]:
    """The further rows of a :class:`GroupRows` and their groups (as :func:`_check_groups`
    writes ids), or ``(None, None)``."""
    if not isinstance(groups, GroupRows):
        return None, None
    if groups.X.shape[1] != n_features:
        # rows of the table's features cannot join rows a step before this one changed
        raise ValueError(f"GroupRows holds rows of {groups.X.shape[1]} features and the "
                         f"scaler receives {n_features}: give GroupRows to a "
                         "GroupStandardScaler that is the first step of the pipeline")
    ids = np.asarray(groups.groups)
    return groups.X, ids.astype(str) if ids.dtype == object else ids


def _comparable(ids: np.ndarray, further: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The ids of the rows and of the further rows of a :class:`GroupRows`, comparable: as
    text where one is text and the other numbers (speaker 3 of an integer column and "3"
    read from a CSV), as evaluate and split() compare ids. Compared as they were given, no
    further row of int ids equalled a text id, so the further rows were left out of every
    group's statistics without a word.

    Raises
    ------
    ValueError
        Where the two are of different types and none of the further rows' groups is, as
        text, a group of the rows (3.0 and "3"): they would join no group.
    """
    text = ids.dtype.kind in "USO", further.dtype.kind in "USO"
    if text[0] == text[1]:
        return ids, further
    as_text = ids.astype(str), further.astype(str)
    # a further group that is no group of the rows as text but is one as a number (3 and
    # "03": EmoDB's speaker read by pandas from a CSV): with speakers 03 ... 16 the two-digit
    # ones matched and 03, 08, 09 lost their further rows without a word
    matched = np.isin(as_text[1], as_text[0])
    unmatched = np.unique(as_text[1][~matched])
    as_numbers = pd.to_numeric(pd.Series(unmatched), errors="coerce").to_numpy()
    of_rows = pd.to_numeric(pd.Series(np.unique(as_text[0])), errors="coerce").to_numpy()
    clash = unmatched[np.isin(as_numbers, of_rows[~np.isnan(of_rows)])]
    if len(clash):
        raise ValueError(
            f"GroupRows: the further rows' groups {_shown(clash)} are no group of the rows "
            f"as text ({_shown(ids)}) but are as numbers: give both as one type, spelt "
            "alike (e.g. both as emofeat's text ids)")
    if not matched.any():
        kinds = ["text" if t else "numbers" for t in text]
        raise ValueError(
            f"GroupRows: the groups of the further rows ({_shown(further)}) are {kinds[1]} "
            f"and the rows' ids ({_shown(ids)}) {kinds[0]}, and none of the further rows' "
            "groups is, as text, a group of the rows: give both as one type (e.g. as text, "
            ".astype(str))")
    return as_text


def _shown(values: np.ndarray) -> str:
    """The first three distinct ``values``, for a message."""
    distinct = np.unique(values)
    return ", ".join(map(repr, distinct[:3].tolist())) + (", ..." if len(distinct) > 3 else "")


def _check_groups(groups, n_rows: int) -> np.ndarray:
    """``groups`` as an array of one group per row, none of them missing."""
    groups = np.asarray(groups)
    if groups.ndim != 1 or len(groups) != n_rows:
        raise ValueError(f"groups has {len(groups)} entries for {n_rows} rows")
    # a missing group (None, NaN) equals no other row, not even itself: refuse it rather than
    # standardise its rows with statistics of nothing
    missing = pd.isna(groups) if groups.dtype == object or groups.dtype.kind == "f" \
        else np.zeros(n_rows, dtype=bool)
    if missing.any():
        where = np.flatnonzero(missing)
        shown = ", ".join(str(i) for i in where[:5]) + (", ..." if len(where) > 5 else "")
        raise ValueError(
            f"groups is missing for {len(where)} of {n_rows} rows (rows {shown}): per-group "
            "standardisation needs the speaker/subject of every row (give recordings of an "
            "unknown speaker an id of their own, e.g. the session)")
    if groups.dtype == object:
        # ids of mixed types (1 and "a" from a hand-made column) cannot be sorted: compared as
        # text, as evaluate and split() compare them
        groups = groups.astype(str)
    return groups


def _unit(X: np.ndarray) -> np.ndarray:
    """Each column's magnitude over the training rows: its largest finite ``|x|``, at most 1,
    and 1 where it is 0 or none is finite (no magnitude to go by: the absolute tolerance).

    Over all training rows, not a group's: a tolerance relative to a group's own values would
    scale rounding residue of a quantity that is 0 in that group up to unit variance
    (docs/classifiers.md); a column's magnitude over every speaker is set by the rows where
    it is not 0, however few (a count of zeros would not do: a flat EEG channel's exact-0
    powers in some subjects left another subject's powers in V^2 unscaled). Capped at 1 so
    that columns of ordinary magnitude keep the tolerances they had."""
    with np.errstate(all="ignore"):
        a = np.where(np.isfinite(X), np.abs(X), 0.0)
    top = a.max(axis=0) if a.shape[0] else np.zeros(a.shape[1])
    return np.where(top > 0, np.minimum(top, 1.0), 1.0)


def _constant(X: np.ndarray, mean: np.ndarray, unit: np.ndarray) -> np.ndarray:
    """Columns taken as constant: a spread (max - min, NaN ignored) of at most 1e-12 of the
    column's ``unit`` (:func:`_unit`) or of the group's ``|mean|``, whichever is larger, or
    a spread that is not finite (an all-NaN column, an infinite value)."""
    with np.errstate(all="ignore"), warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # all-NaN columns
        spread = np.nanmax(X, axis=0) - np.nanmin(X, axis=0)
    tol = 1e-12 * np.maximum(unit, np.abs(mean))
    return ~np.isfinite(spread) | (spread <= tol)


def _stats(X: np.ndarray, unit: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Column means and standard deviations ignoring NaN; scales of at most 1e-12 of the
    column's ``unit`` (:func:`_unit`), or undefined, become 1."""
    with np.errstate(all="ignore"), warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # all-NaN columns
        mean = np.nanmean(X, axis=0)
        std = np.nanstd(X, axis=0)
    mean = np.where(np.isfinite(mean), mean, 0.0)
    std = np.where(np.isfinite(std) & (std > 1e-12 * unit), std, 1.0)
    return mean, std
