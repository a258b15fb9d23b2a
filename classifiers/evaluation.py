"""Leakage-safe evaluation of a model on a :class:`~emofeat.table.FeatureTable`.

:func:`evaluate` runs a protocol (:mod:`emofeat.classifiers.protocols`): every fold's model,
imputer, scaler, per-group standardiser and optional hyperparameter search are fitted on that
fold's training rows only. :func:`evaluate_cross_corpus` trains on one table and tests on
another after mapping both to a shared label set.

The work is split along its seams: :mod:`~emofeat.classifiers.fitting` (one fold loop that
clones, searches and fits), :mod:`~emofeat.classifiers.pooling` (frames into utterances) and
:mod:`~emofeat.classifiers.reporting` (figures and settings); this module checks the
arguments and connects them.
"""

from __future__ import annotations

import functools
import os
from typing import Any, NamedTuple

import numpy as np
import pandas as pd

from emofeat._wording import counted, noun
from emofeat.errors import option

from . import compatibility as C
from . import metrics as M
from .explain import FoldImportances
from .fitting import (
    Search,
    build_estimator,
    check_class_weights,
    default_model,
    fit_folds,
    fit_model,
    limited_threads,
    model_threads,
    selection_score,
    standardization,
)
from .label_maps import get_label_map, label_kind, label_str, map_labels
from .models import nested_parts, scalers_see_features, uses_groups
from .pooling import PooledScores, Utterances, spaced_rows
from .protocols import (
    GROUPS_HELD_OUT,
    Fold,
    ProtocolError,
    _is_count,
    split,
    warn_recordings_in_two_groups,
    warn_split_recordings,
)
from .reporting import (
    build_result,
    check_covered,
    fold_row,
    library_versions,
    model_label,
    ordinal_labels,
    task_scores,
)
from .result import EvaluationResult
from .standardize import GroupRows, GroupStandardScaler
from .validation import (
    DataError,
    Prepared,
    check_columns,
    infer_task,
    prepare,
    refuse_written_two_ways_across,
    require_table,
    without_blank_rows,
)

__all__ = ["EvaluationResult", "build_estimator", "evaluate", "evaluate_cross_corpus"]


class _UnscoredRows:
    """Rows of a table that are not scored (no label, or one the label map or the shared
    labels leave out: EmoDB's boredom under ``'ekman'``) whose group is known and which have
    a finite feature. With per-group standardisation they join their group's statistics
    (:class:`~.standardize.GroupRows`), in training and on the held-out rows alike, so that
    a group is standardised over all its rows, as :meth:`~.persistence.TrainedModel.predict`
    does over the rows it is given. Over the scored rows alone, a held-out group's statistics
    depended on which of its rows carry a label the map keeps, that is on the test labels
    (EmoDB, leave one speaker out, ``'ekman'``: UAR 0.764; 0.783 with every speaker's
    statistics over all its rows, as scikit-learn alone gives).

    Parameters
    ----------
    table : FeatureTable
    scored : ndarray of int
        Positions in ``table`` of the rows scored (``Prepared.rows``).
    groups : str, optional
        The group column; ``None``: every row is of group ``whole`` (per-corpus
        standardisation of a table).
    whole : str
        The group of every row without ``groups``.
    """

    def __init__(self, table, scored: np.ndarray, groups: str | None, whole: str = "all"):
        rest = np.ones(len(table), dtype=bool)
        rest[np.asarray(scored, dtype=int)] = False
        if groups is not None:
            rest &= table.index[groups].notna().to_numpy()
        rows = np.flatnonzero(rest)
        X = np.asarray(table.X[rows], dtype=np.float64)
        X = np.where(np.isinf(X), np.nan, X)
        finite = np.isfinite(X).any(axis=1)
        self.X = X[finite]
        self.rows = rows[finite]
        self.groups = (table.index[groups].iloc[self.rows].astype(str).to_numpy()
                       if groups is not None else np.full(int(finite.sum()), whole))

    def spaced(self, units: np.ndarray | None, n: int | None) -> _UnscoredRows:
        """These rows cut as pooled evaluation cuts the scored ones: at most ``n`` evenly
        spaced frames of each utterance (:func:`~.pooling.spaced_rows`; ``units``: the
        utterance code of every row of the table, -1 where it has none; unread, may be
        ``None``, where ``n`` is ``None``). With all their frames, an unscored utterance
        weighed more in its speaker's statistics than a scored one cut to ``n`` frames, so
        the statistics depended on which utterances carry a kept label (EmoDB half-second
        frames, ``'ekman'``, at most 2 a file: UAR 0.652; 0.661 with boredom's frames cut as
        the others are). A frame of no utterance (-1) joins only uncut (``n`` ``None``):
        which of its utterance's frames a cut keeps is unknown."""
        if n is None:
            kept = np.ones(len(self.rows), dtype=bool)
        else:
            known = units[self.rows] >= 0
            kept = np.isin(self.rows, spaced_rows(self.rows[known], units, n))
        out = object.__new__(_UnscoredRows)
        out.rows, out.X, out.groups = self.rows[kept], self.X[kept], self.groups[kept]
        return out

    def of(self, g: np.ndarray):
        """``g`` (the group of each scored row) as the ``groups`` to give the model: a
        :class:`~.standardize.GroupRows` where there are unscored rows, else ``g``."""
        return GroupRows(g, self.X, self.groups) if len(self.groups) else g


def _unscored(table, rows: np.ndarray, estimator, groups: str | None,
              standardize: str | None, whole: str = "all",
              side: str = "the table") -> _UnscoredRows | None:
    """The table's unscored rows (:class:`_UnscoredRows`) that join their groups'
    statistics: where the model standardises per group and its scalers receive the features
    as they are (:func:`~.models.scalers_see_features`); ``None`` where there are none or
    they cannot join (a scaler behind another step keeps statistics of the scored rows, with
    a warning naming ``side``, the table they are of: docs/classifiers.md). ``rows``: the
    positions in ``table`` of the scored rows."""
    if standardize not in ("group", "corpus"):
        return None
    unscored = _UnscoredRows(table, rows, groups, whole)
    if not len(unscored.groups):
        return None
    if scalers_see_features(estimator):
        return unscored
    import warnings

    from emofeat.extractor import _outside_emofeat

    # the statistics then depend on which rows carry a (kept) label: say so rather than
    # let the figures differ from predict's without a word
    warnings.warn(
        f"the model's GroupStandardScaler receives the output of another step (it is not "
        f"the pipeline's first step, or sits in a ColumnTransformer), so the "
        f"{counted(len(unscored.groups), 'row')} of {side} that are not scored (no "
        "label, or one the label map leaves out) cannot join their groups' statistics: "
        "each group is standardised over its scored rows only, which depend on the "
        "labels, and predict on the same rows would standardise over all of them; put "
        "the GroupStandardScaler first (make_classifier(..., standardize='group') does)",
        UserWarning, stacklevel=_outside_emofeat(2))
    return None


def _model_groups(table, rows: np.ndarray, g: np.ndarray, estimator, groups: str | None,
                  standardize: str | None, whole: str = "all", side: str = "the table"):
    """The ``groups`` to fit and predict with: ``g``, with the table's unscored rows
    (:func:`_unscored`) where they join their groups' statistics. ``rows``: the positions
    in ``table`` of the scored rows; ``side``: the table, as the warning names it."""
    unscored = _unscored(table, rows, estimator, groups, standardize, whole, side)
    return g if unscored is None else unscored.of(g)


def _pooled_unscored(table, unscored: _UnscoredRows | None, pool: str,
                     max_frames: tuple[int | None, int | None]) -> tuple[Any, Any]:
    """The unscored rows that join their groups' statistics in pooled evaluation, in
    training and held out: ``unscored`` cut to ``max_frames`` (training, held out) evenly
    spaced frames of each utterance, as the scored frames are (:meth:`_UnscoredRows.spaced`).

    A frame without a ``pool`` value (not scored: its utterance is unknown) joins uncut, and
    with a cut is left out with a warning naming its recordings: which of its utterance's
    frames the cut keeps is unknown, and taken together as one utterance (as text, ``'nan'``)
    such frames of every speaker were cut to ``n`` in all; with pandas 3 the missing value
    made ``evaluate`` fail with a ``TypeError``."""
    if unscored is None:
        return None, None
    units = None  # the utterance codes, wanted only where a cap cuts (spaced(units, None))
    if any(n is not None for n in max_frames):
        values = table.index[pool]
        missing = values.isna().to_numpy()
        units = np.full(len(values), -1)
        units[~missing] = np.unique(values[~missing].astype(str).to_numpy(),
                                    return_inverse=True)[1]
        lost = unscored.rows[missing[unscored.rows]]
        if len(lost):
            _warn_frames_of_no_unit(table, lost, pool, max_frames)
    return tuple(unscored.spaced(units, n) for n in max_frames)


def _warn_frames_of_no_unit(table, lost: np.ndarray, pool: str,
                            max_frames: tuple[int | None, int | None]) -> None:
    """Warn that the frames ``lost`` (positions in ``table``), which have no ``pool`` value,
    are left out of their groups' statistics on the side(s) where ``max_frames`` (training,
    held out) cuts the utterances; on a side without a cap they join them whole."""
    import warnings

    from emofeat.extractor import _outside_emofeat

    if "path" in table.index.columns:
        paths = table.index["path"].iloc[lost].astype(str).map(os.path.basename).unique()
        of = (f" of {counted(len(paths), 'recording')} ("
              f"{', '.join(paths[:3])}{', ...' if len(paths) > 3 else ''})")
    else:
        of = f" (rows {C._rows_named(lost, None)})"
    cuts = [option(f"{name}={n}", f"{flag} {n}")
            for n, name, flag in zip(max_frames, ("max_frames_per_unit",
                                                  "max_test_frames_per_unit"),
                                     ("--max-frames", "--max-test-frames"), strict=True)
            if n is not None]
    one = len(lost) == 1
    they, them, are = ("it", "it", "is") if one else ("they", "them", "are")
    # the group(s) the frames belong to: statistics left out on the capped side(s) only
    g_it, g_trains, g_is = ("it", "trains", "is") if one else ("they", "train", "are")
    whose = "its group's" if one else "their groups'"
    side = {(True, False): f"when {g_it} {g_trains}",
            (False, True): f"when {g_it} {g_is} held out",
            (True, True): f"when {g_it} {g_trains} and when {g_it} {g_is} held out"}[
        (max_frames[0] is not None, max_frames[1] is not None)]
    warnings.warn(
        f"{counted(len(lost), 'frame')}{of} {noun(len(lost), 'has', 'have')} no {pool!r} "
        f"value: {they} {are} not scored, and as {'its' if one else 'their'} utterance is "
        f"unknown {they} cannot be cut as the others are "
        f"({' and '.join(cuts)} evenly spaced frames of each utterance), so {they} {are} "
        f"left out of {whose} statistics {side} too; give {them} "
        f"{'its' if one else 'their'} utterance's {pool!r} value, or leave {them} out of "
        "the table",
        UserWarning, stacklevel=_outside_emofeat(2))


def evaluate(
    table,
    target: str,
    groups: str | None = None,
    model: Any = None,
    protocol: str = "loso",
    *,
    trials: str | None = None,
    n_splits: int = 5,
    label_map: Any = None,
    corpus: str | None = None,
    standardize: str | None = None,
    model_params: dict[str, Any] | None = None,
    param_grid: dict[str, list] | None = None,
    inner_splits: int = 3,
    task: str = "auto",
    importance: bool | str = False,
    feature_groups: Any = None,
    n_repeats: int = 3,
    random_state: int = 0,
    min_class_size: int = 2,
    pool: str | None = None,
    max_frames_per_unit: int | None = None,
    max_test_frames_per_unit: int | None = None,
    progress: Any = None,
    label_sep: str | None = None,
    n_jobs: int | None = 1,
    ordinal: bool | None = None,
) -> EvaluationResult:
    """Evaluate a model on a feature table with a leakage-free protocol.

    Parameters
    ----------
    table : FeatureTable
    target : str
        Identity column with the labels (``emotion``), a numeric dimension (``valence``), or
        label sets for a multi-label target (lists, or strings such as ``"3,27"`` with
        ``task="multilabel"`` / ``label_sep``).
    groups : str, optional
        Identity column with the speaker / subject. Required except for ``trialwise``.
    model : str or sklearn estimator, optional
        A name for :func:`make_classifier` / :func:`make_regressor` or an estimator (cloned
        for every fold). Default: ``svm`` for classes and label sets, ``svr`` for a numeric
        target (as ``task`` decides).
    protocol : {"loso", "logo", "group_kfold", "subject_dependent", "trialwise"}
        See :mod:`emofeat.classifiers.protocols`.
    trials : str, optional
        Identity column with the trial / recording of each row (windowed data): the units
        of ``trialwise`` folds, kept whole inside each subject by ``subject_dependent``.
        ``loso``, ``logo`` and ``group_kfold`` hold out whole groups, so there it changes
        no fold (only the ``trial`` column of the predictions; ``emofeat evaluate``
        refuses ``--trials`` with them).
    n_splits : int
        Folds of the k-fold protocols.
    label_map : str, dict or callable, optional
        Map the target first (``"ekman"``, ``"valence"``, ``"arousal"``, ``"4class"`` or your
        own dict); rows mapped to ``None`` are dropped.
    corpus : str, optional
        Corpus of a named label map (detected from the labels when omitted).
    standardize : {None, "group"}
        ``"group"``: z-score each speaker / subject with its own statistics (unsupervised,
        fitted per fold): a held-out group whose other rows train the fold's model
        (``subject_dependent``, ``trialwise``) with the statistics of those training rows,
        one with no training rows (``loso``, ``group_kfold``) with its own rows'.
    model_params : dict, optional
        Overrides of the model's defaults.
    param_grid : dict, optional
        Hyperparameter grid searched inside each training fold (``{"C": [0.1, 1, 10]}``; keys
        without ``__`` address the model step), with inner folds grouped like the protocol
        and, for classes, stratified (``StratifiedGroupKFold``, ``GroupKFold`` where it
        cannot split).
    inner_splits : int
        Folds of the nested search.
    task : {"auto", "classification", "regression", "multilabel"}
        ``auto``: label sets (lists, tuples, sets) are multi-label, floats regression (except
        integer values with at most 10 distinct values, e.g. 1-5 ratings, which are
        classes, scored with UAR and off-by-one accuracy), anything else classes.
        ``multilabel``: one-vs-rest over the label indicator matrix (each label a binary
        problem of the model; a pipeline's imputation and scaling are shared); figures are
        micro/macro-F1, subset accuracy, Jaccard, Hamming loss, with per-label precision,
        recall and F1 in ``per_class``; k-fold protocols are not stratified.
    importance : bool or {"all", "groups"}
        Compute permutation importance on each held-out fold, per feature and per feature
        group (``True`` / ``"all"``), or per feature group only (``"groups"``, much faster
        for large feature sets).
    feature_groups : callable or dict, optional
        How features are grouped for group importance (see
        :func:`emofeat.classifiers.explain.group_features`).
    n_repeats : int
        Permutations per feature and fold.
    random_state : int
        Seed of the model, the k-fold shuffling, the search and the permutations.
    min_class_size : int
        Fewest rows a class may have.
    pool : str, optional
        Frame-level classification with per-utterance pooling: the identity column naming
        the utterance of each row (``"path"`` for an LLD table). Frames are the training rows;
        the model's class probabilities (``predict_proba``, or for a model without it such as
        the default SVC the softmax over classes of ``decision_function``) are averaged over
        the frames of each held-out utterance, the argmax is the utterance's prediction and
        every figure, per-group row and prediction is per utterance. All frames of an
        utterance must share one speaker and one label, and they stay on one side of every
        split. Classification only; not combined with ``param_grid`` or ``importance``.
    max_frames_per_unit : int, optional
        With ``pool``: train on at most this many frames per utterance, evenly spaced over it
        (deterministic). Default ``None``: every frame (an RBF SVM on a whole corpus' frames
        is slow; 10-50 is a practical range).
    max_test_frames_per_unit : int, optional
        With ``pool``: score held-out utterances on at most this many evenly spaced frames
        each. Default ``None``: every frame.

    progress : callable, optional
        Called after each fold as ``progress(row, n_folds)`` with the fold's row of
        :attr:`EvaluationResult.per_fold` (fold number, held-out groups, sizes, scores): a
        long evaluation reports as it goes (the CLI prints one line per fold).
    label_sep : str, optional
        Multi-label: the separator of the labels in a string cell (default ``","``); giving
        it asks for a multi-label target.
    n_jobs : int or None
        Folds fitted at once in separate processes (``-1``: one per core). Figures equal a
        serial run. The named models use one thread each (unless ``model_params`` gives
        ``xgb`` or ``knn`` threads of their own), so ``n_jobs`` up to the number of cores does
        not oversubscribe them. ``None`` is 1; a value that is no whole number, or 0, is a
        ``ValueError``.
    ordinal : bool or None
        Whether the class labels are ratings, ordered steps, scored with off-by-one accuracy
        (``scores["off_by_one"]``, per group too). ``None`` (default): where the labels are
        whole numbers more than one step apart, which integer class codes of nominal
        categories (ISEAR's emotion codes 1-7) are too; ``False`` for such codes, so that no
        off-by-one figure is reported; ``True`` requires whole-number labels more than one
        step apart (else a ``DataError``). ``settings["ordinal"]`` says which was used.

    Returns
    -------
    EvaluationResult
        Pooled, per-fold and per-group figures, predictions, settings (seeds, versions) and
        importances. With ``pool``: one prediction per utterance, with ``n_frames`` (frames
        scored) and ``p_<class>`` (pooled probabilities) columns.

    Raises
    ------
    DataError
        Missing column, too rare class, no rows; ``ordinal=True`` for labels that are no
        whole numbers more than one step apart.
    ProtocolError
        Too few groups or trials for the protocol.
    ValueError
        ``n_repeats`` (with ``importance``), ``max_frames_per_unit`` or
        ``max_test_frames_per_unit`` not an integer of at least 1; a frame cap without
        ``pool``.
    TypeError
        ``table`` is no FeatureTable (a DataFrame: ``emofeat.read_table(path)`` reads an
        output as one), or ``ordinal`` is neither a bool nor ``None``.
    """
    require_table(table)
    if protocol != "trialwise" and groups is None:
        raise ProtocolError(f"protocol {protocol!r} needs {option('groups=', '--groups')} (the "
                            "speaker/subject column)")
    if importance and not _is_count(n_repeats, 1):
        # no permutation gives no drop: every importance NaN, with numpy's warnings only
        raise ValueError(f"n_repeats must be an integer of at least 1, got {n_repeats!r}")
    if pool is None and (max_frames_per_unit is not None
                         or max_test_frames_per_unit is not None):
        raise ValueError(option("max_frames_per_unit / max_test_frames_per_unit need pool=",
                                "--max-frames / --max-test-frames need --pool"))
    for name, n in (("max_frames_per_unit", max_frames_per_unit),
                    ("max_test_frames_per_unit", max_test_frames_per_unit)):
        # 2.5 and "2" failed deep inside with a TypeError naming neither, and True ran as 1
        if n is not None and not _is_count(n, 1):
            raise ValueError(f"{name} must be an integer of at least 1 (or None: every "
                             f"frame), got {n!r}")
    if n_jobs is not None and not (_is_count(n_jobs, -(2**62)) and n_jobs != 0):
        # 2.5 ran as 2 and True as 1 in joblib, '2' and 0 failed inside it naming neither;
        # run() and the command's -j take whole numbers alone as well
        raise ValueError(f"n_jobs must be None or a whole number other than 0 (the folds "
                         f"fitted at once; -1: one per core), got {n_jobs!r}")
    ordinal = _ordinal_option(ordinal)
    prep = prepare(table, target, columns=(groups, trials, pool), label_map=label_map,
                   corpus=corpus, task=task, min_class_size=min_class_size,
                   label_sep=label_sep)
    prep, blank = without_blank_rows(prep)
    scored_ordinal = ordinal_labels(prep.y, prep.task, ordinal, target)
    if pool is not None:
        _check_pooling(prep, param_grid, importance)
    g = (prep.index[groups].astype(str).to_numpy() if groups is not None
         else np.full(len(prep.y), "all"))
    t = None if trials is None else prep.index[trials].astype(str).to_numpy()
    warn_split_recordings(prep.index, protocol, trials, pool)
    warn_recordings_in_two_groups(prep.index, protocol, groups, prep.X)
    if pool is None:
        _warn_frames_scored_alone(table, prep, param_grid, importance)
    model = default_model(model, prep.task)
    estimator = build_estimator(model, prep.task, standardize=standardize,
                                model_params=model_params, random_state=random_state)
    # a GroupStandardScaler in the user's own pipeline standardises as standardize="group"
    # does: the summary, the settings and the own-statistics warning say so
    standardize = standardization(estimator, standardize, groups)
    if standardize == "group" and protocol not in GROUPS_HELD_OUT:
        _standardise_seen_groups(estimator, "fit")
    if prep.task == "classification":
        check_class_weights(estimator, prep.y, label_map)
    settings = {
        "model": model_label(model), "model_params": dict(model_params or {}),
        "estimator": repr(estimator), "protocol": protocol, "target": target,
        "groups": groups, "trials": trials,
        "n_splits": n_splits if protocol not in ("loso", "logo") else None,
        "label_map": label_map if isinstance(label_map, str | None) else "custom",
        "standardize": standardize, "param_grid": param_grid, "random_state": random_state,
        "dropped_rows": prep.dropped, "rows_without_features": blank,
        "n_features": len(table.feature_names),
        "importance": importance,
        "n_repeats": n_repeats if importance else None,
        "feature_groups": (None if not importance else "default" if feature_groups is None
                           else feature_groups if isinstance(feature_groups, dict)
                           else "custom"),
        "versions": library_versions(),
        "ordinal": scored_ordinal,
    }
    if prep.task == "multilabel":
        settings.update(task="multilabel", labels=list(prep.classes),
                        label_sep="," if label_sep is None else label_sep)
    # a named model is single-threaded (its fits, predictions and permutations here, its fits
    # in the workers of n_jobs), as documented: folds are the parallel unit
    threads = model_threads(model, model_params)
    # a group is standardised over all its rows, the unscored ones included (training, held out)
    unscored = _unscored(table, prep.rows, estimator, groups, standardize)
    max_frames = (max_frames_per_unit, max_test_frames_per_unit)
    joined = ((unscored, unscored) if pool is None
              else _pooled_unscored(table, unscored, pool, max_frames))
    gm = tuple(g if u is None else u.of(g) for u in joined)
    # what a held-out group's own statistics may be of: one recording (see _warn_own_statistics)
    recordings = (_Recordings.of(table, trials, prep.rows, joined[1])
                  if standardize == "group" else None)
    if pool is not None:
        utts = Utterances(prep, pool, g, (groups, target))
        with limited_threads(threads):
            return _evaluate_pooled(prep, g, t, utts, estimator, protocol, settings,
                                    n_splits=n_splits, random_state=random_state,
                                    max_frames=max_frames,
                                    progress=progress, n_jobs=n_jobs, threads=threads,
                                    recordings=recordings, gm=gm)
    gm = gm[0]
    imp = FoldImportances(table.feature_names, importance, feature_groups,
                          score=selection_score(prep.task), n_repeats=n_repeats,
                          rng=np.random.default_rng(random_state),
                          constant_undefined=prep.task == "regression")
    search = None
    if param_grid:
        search = Search(param_grid, inner_units(protocol, g, t), inner_splits, random_state)
    with limited_threads(threads):
        return _evaluate_rows(prep, g, t, estimator, protocol, settings, imp, search,
                              n_splits=n_splits, random_state=random_state,
                              progress=progress, n_jobs=n_jobs, threads=threads,
                              recordings=recordings, gm=gm)


def _standardise_seen_groups(estimator, how: str) -> bool:
    """Set ``seen_groups=how`` on every :class:`~.standardize.GroupStandardScaler` of
    ``estimator`` (built for this run: a clone); whether a scaler was set otherwise (a
    pipeline of the user's set to ``"fit"``, which ``evaluate_cross_corpus`` says it
    overrides).

    ``"fit"`` (``evaluate``'s ``subject_dependent`` and ``trialwise``): a held-out group whose
    other rows trained the fold's model is standardised with the statistics of those
    training rows. Those folds test rows of subjects the model trained on; z-scored with
    their own statistics, the held-out rows were standardised with what only the test fold
    can give: its mean depends on which labels it holds (a stratified fold: every class in
    proportion), a transductive use of the test set that no deployed subject-dependent
    system has. Muse windows, folds of whole recordings: a held-out recording's own mean is
    its state, and UAR fell to 0.278 (3 states) where the training statistics give 0.613, as
    without per-subject standardisation (docs/classifiers.md).

    ``"own"`` (``evaluate_cross_corpus``): the test table's speakers are not the training
    table's, even where an id is in both (EmoDB's ``03`` and RAVDESS's actor ``03``), so
    each takes its own statistics, also in a pipeline of the user's set to ``"fit"``."""
    changed = False
    for part in nested_parts(estimator):
        if isinstance(part, GroupStandardScaler) and part.group_column is None:
            changed |= part.seen_groups != how
            part.set_params(seen_groups=how)
    return changed


def _warn_frames_scored_alone(table, prep: Prepared, param_grid=None, importance=None, *,
                              cross_corpus: bool = False, training: bool = False) -> None:
    """Warn when a frame-level table (provenance level ``lld``) is evaluated without
    ``pool``: every frame is then a sample of its own, so the figures are per frame (a
    recording counted once per frame, its frames scored separately), not per recording as
    for functionals. The way out named is one that runs: ``pool='path'``, else (pooling
    refused: :func:`_check_pooling`) functionals, or for several segments of one file (a
    segment manifest, where ``pool='path'`` would pool them) a column naming each.
    ``cross_corpus``: ``table`` and ``prep`` are the test table of
    :func:`evaluate_cross_corpus`, which has no pooling: functionals are the way out.
    ``training``: ``table`` and ``prep`` are those of :func:`~.persistence.train`, which has
    no pooling either: the model is one of frames, and functionals are the way out."""
    prov = getattr(table, "provenance", None) or {}
    if prov.get("level") != "lld":
        return
    import warnings

    index = prep.index
    n = len(index)
    of = (f", frames of {index['path'].nunique()} recordings" if "path" in index.columns
          else "")
    functionals = option("extract functionals (level='functionals')",
                         "extract functionals (emofeat extract --level functionals)")
    refused = [why for why, on in (("a regression or multi-label target",
                                    prep.task != "classification"),
                                   ("param_grid", bool(param_grid)),
                                   (option("importance", "--importance"),
                                    bool(importance))) if on]
    several = False  # a file holding several of a segment manifest's segments
    if prov.get("segments") == "manifest" and {"path", "start", "end"} <= set(index.columns):
        spans = index[["path", "start", "end"]].drop_duplicates()
        several = len(spans) > spans["path"].nunique()
        if several:
            of = f", frames of {len(spans)} segments of {spans['path'].nunique()} files"
    by_path = option("pool='path'", "--pool path")
    if training:
        advice = (f"{option('train', 'emofeat train')} does not pool frames (no "
                  f"{option('pool=', '--pool')}); for a model of recordings {functionals}")
    elif cross_corpus:
        advice = ("evaluate_cross_corpus does not pool frames (no pool=); for figures per "
                  f"recording {functionals} of both tables")
    elif refused:
        advice = (f"pooling ({option('pool=', '--pool')}) is not available with "
                  f"{' or '.join(refused)}; for figures per recording {functionals}")
    elif several:
        # from Python the id can be added to the table read: no extraction again
        by_id = option("a column such as 'utterance' in table.index, with no need to extract "
                       "again (table.index['utterance'] = table.index.groupby(['path', "
                       "'start', 'end']).ngroup()) or in the manifest, and pass "
                       "pool='utterance'",
                       "a column such as 'utterance' in the manifest, and give --pool "
                       "utterance (from Python such a column can be added to table.index "
                       "with no need to extract again)")
        advice = (f"one file holds several of the manifest's segments, which {by_path} would "
                  "pool as one utterance (refused where their labels or speakers differ): "
                  f"give each segment an id of its own, {by_id}; or {functionals}")
    else:
        advice = (f"{option('pass', 'give')} {by_path} to average each recording's frame "
                  "scores and score recordings")
    unpooled = ("" if cross_corpus or training
                else f" and {option('pool=', '--pool')} was not given")
    what = ("the model is fitted on every frame as a sample of its own, so it learns and "
            "predicts frames, not recordings (a long recording counting more than a short "
            "one)" if training else
            "every frame is scored as a sample of its own, so the figures are per frame, not "
            "per recording (the frames of one recording are scored separately, a long "
            "recording counting more than a short one)")
    warnings.warn(
        f"the {'test ' if cross_corpus else ''}table is frame-level (level 'lld': {n} "
        f"rows{of}){unpooled}: {what}; {advice}", UserWarning, stacklevel=3)


def inner_units(protocol: str, g: np.ndarray, t: np.ndarray | None) -> np.ndarray:
    """What the inner folds of a nested search keep together: what the outer protocol does.

    Speakers for the group protocols (trials or not: a search over trials of the training
    speakers would pick its parameters speaker-dependently), speaker-and-trial for
    ``trialwise``, and trials (else rows) inside the one subject of a ``subject_dependent``
    training fold.
    """
    if protocol == "trialwise":
        return t if g is None else np.array([f"{a}\x1f{b}" for a, b in zip(g, t, strict=True)])
    if protocol == "subject_dependent":
        return t if t is not None else np.arange(len(g)).astype(str)
    return g


def _unshared_labels(mapped, shared: list[str]) -> dict[str, list[tuple[str, int]]]:
    """The (mapped) labels of each table that the other lacks, with their row counts."""
    out = {}
    for side, lab in zip(("train", "test"), mapped, strict=True):
        counts = lab.dropna().value_counts()
        out[side] = [(str(k), int(counts[k]))
                     for k in M.sort_labels([k for k in counts.index if k not in shared])]
    return out


def _unmapped_labels(raw, mapped) -> list[tuple[str, int]]:
    """The labels of a table (canonical strings) that its label map takes to nothing, with
    their row counts (missing labels are not counted)."""
    gone = raw.notna().to_numpy() & mapped.isna().to_numpy()
    counts = raw[gone].map(label_str).value_counts()
    return [(str(k), int(counts[k])) for k in M.sort_labels(list(counts.index))]


def _labels_of_each_table(labels: dict[str, list[tuple[str, int]]]) -> list[str]:
    """``the training table's 'calm' (192 rows)`` and the like, one item per table."""
    return [f"the {side} table's " + ", ".join(f"{lab!r} ({n} rows)" for lab, n in labs)
            for side, labs in (("training", labels["train"]), ("test", labels["test"]))
            if labs]


def _unshared_message(unshared: dict[str, list[tuple[str, int]]], label_map,
                      unmapped: dict[str, list[tuple[str, int]]] | None = None) -> str:
    """The text of the warning on labels left out: because one table lacks them
    (``unshared``), and because the label map takes them to nothing (``unmapped``)."""
    said = []
    parts = _labels_of_each_table(unshared)
    if parts:
        hint = ("; the tables name their classes differently? map both to one taxonomy "
                "(label_map='ekman', '4class', ...)" if label_map is None else "")
        said.append("evaluate_cross_corpus keeps the labels both (mapped) tables have, and "
                    f"leaves out the rows of labels only one has: {'; '.join(parts)}{hint}")
    dropped = _labels_of_each_table(unmapped or {"train": [], "test": []})
    if dropped:
        mapping = repr(label_map) if isinstance(label_map, str) else "the label map"
        said.append(("it also leaves out" if said else "evaluate_cross_corpus leaves out")
                    + f" the rows of labels {mapping} maps to nothing: {'; '.join(dropped)}")
    return "; ".join(said)


def _recording_ids(table, index) -> np.ndarray | None:
    """The recording of every row (:func:`~.compatibility.recording_columns` joined);
    ``None`` without a ``path`` column. A row missing one of them is a recording of its own
    (no other row is known to be of it)."""
    keys = C.recording_columns(table, index)
    if keys is None:
        return None
    return _ids_of_rows(index[keys])


def _ids_of_rows(columns: pd.DataFrame) -> np.ndarray:
    """``columns`` joined as text, one id per row; a row with a missing cell gets an id no
    other row has."""
    text = [columns[c].astype(object).fillna("").astype(str) for c in columns.columns]
    # joined column by column: a row-wise agg took seconds on a corpus of frames
    ids = functools.reduce(lambda a, b: a + "\x1f" + b, text).to_numpy(dtype=object)
    missing = columns.isna().any(axis=1).to_numpy()
    ids[missing] = [f"\x00{i}" for i in np.flatnonzero(missing)]
    return ids


def _table_recordings(table, trials: str | None) -> np.ndarray | None:
    """The recording of every row of ``table``: its ``trials`` value where given, else
    :func:`_recording_ids`; ``None`` where the table names none."""
    if trials is not None:
        return _ids_of_rows(table.index[[trials]])
    return _recording_ids(table, table.index)


class _Recordings(NamedTuple):
    """What per-group statistics are of, for :func:`_warn_own_statistics`: the recording of
    every scored row, and the groups and recordings of the unscored rows that join the
    held-out groups' statistics (``None``: none join)."""

    rows: np.ndarray | None
    further_groups: np.ndarray | None
    further: np.ndarray | None

    @classmethod
    def of(cls, table, trials: str | None, rows: np.ndarray,
           unscored: _UnscoredRows | None) -> _Recordings | None:
        """The recordings of ``table``'s scored ``rows`` (positions in it) and of the
        ``unscored`` rows that join their groups' statistics (:func:`_table_recordings`:
        the ``trials`` value, else the path); ``None`` where the table names none."""
        of_table = _table_recordings(table, trials)
        if of_table is None:
            return None
        return cls(of_table[rows], *((unscored.groups, of_table[unscored.rows])
                                     if unscored is not None else (None, None)))


def _warn_own_statistics(folds, g: np.ndarray, recordings: _Recordings | None,
                         groups: str | None, cross_corpus: bool = False) -> None:
    """Warn when per-group standardisation (``recordings`` given) z-scores a held-out
    group's rows with the statistics of a single recording (its windows or frames): the
    rows of one recording share its emotion or state, and their own mean is what sets them
    apart, so it is subtracted: a group of one recording held out by ``loso``, or (until
    session 54, when held-out rows of a group took their own statistics) Muse
    ``subject_dependent`` folds of whole recordings (``trials="path"``): UAR 0.278 with
    per-subject standardisation, below chance (0.333), 0.613 without; ``predict`` warns in
    the same case.

    A held-out group with training rows in the fold (``subject_dependent``,
    ``trialwise``) is standardised with their statistics
    (:func:`_standardise_seen_groups`), not its own, and is not counted.

    The statistics are of the group's held-out rows and of its unscored rows
    (:class:`_UnscoredRows`: a label the map leaves out, no label), so both count: with
    ``'neutral'`` left out of the Muse states, each subject's two neutral recordings join
    every held-out recording's statistics, and the warning said 15 of 15 sets were of a
    single recording (session 53).

    ``cross_corpus``: the one fold of :func:`evaluate_cross_corpus`, whose held-out rows
    are the test table's (Muse subjects a and b -> one recording each of c and d: UAR 0.500
    per subject standardised, 0.931 without, and it said nothing where ``predict`` of the
    same rows warns)."""
    if recordings is None:
        return
    import warnings

    from emofeat.extractor import _outside_emofeat

    rec = recordings.rows
    fg, fr = recordings.further_groups, recordings.further
    one, total, shown = 0, 0, []
    for fold in folds:
        te = fold.test
        # a group with training rows in the fold keeps their statistics (evaluate's
        # seen_groups="fit"); the test table's groups of a cross-corpus run are its own
        trained = () if cross_corpus else np.unique(g[fold.train])
        for grp in np.setdiff1d(np.unique(g[te]), trained):
            rows = te[g[te] == grp]
            of = rec[rows] if fg is None else np.concatenate([rec[rows], fr[fg == grp]])
            if len(of) < 2:  # a single row is standardised with the training statistics
                continue
            total += 1
            if len(np.unique(of)) == 1:
                one += 1
                if len(shown) < 3:
                    what = " ".join(os.path.basename(part) if i == 0 else part for i, part
                                    in enumerate(str(of[0]).split("\x1f")))
                    shown.append(f"{grp}: {len(of)} rows of {what}")
    if not one:
        return
    noun = groups or "group"
    std = option("standardize='group'", f"--normalize-per {noun}")
    held, way = ((f"the rows of each {noun} in the test table",
                  f"evaluate with a test table holding several recordings of each {noun}")
                 if cross_corpus else
                 (f"the held-out rows of each {noun} in a fold",
                  f"give each {noun} held out several recordings (a {noun} whose other "
                  f"rows train the fold's model takes their statistics: subject_dependent, "
                  f"trialwise)"))
    warnings.warn(
        f"{std} z-scores {held} with their "
        f"own statistics, and {one} of those {counted(total, 'set')} of rows are of a single "
        f"recording ({'; '.join(shown)}{', ...' if one > len(shown) else ''}): a recording's "
        "rows share its emotion or state, and subtracting its own mean takes away what sets "
        "it apart: the figures can fall below chance (measured in the classifiers guide, "
        f"'Per-speaker / per-subject standardisation'); {way}, or without {std}",
        UserWarning, stacklevel=_outside_emofeat(2))


def _warn_unseen_classes(folds, y: np.ndarray, g: np.ndarray, groups: str | None) -> None:
    """Warn when a fold of a protocol holding groups out tests a class its training rows
    lack (a class only one speaker has, held out by ``loso``): the class's recall there is
    0 by construction, which lowers UAR (EmoDB with disgust kept for speaker 11 alone:
    recall 0.000, UAR 0.590 against WA 0.697), and nothing said why."""
    import warnings

    from emofeat.extractor import _outside_emofeat

    unseen: dict[str, list[str]] = {}
    for fold in folds:
        missing = set(np.unique(y[fold.test])) - set(np.unique(y[fold.train]))
        for label in sorted(missing, key=str):
            held = sorted({str(v) for v in g[fold.test][y[fold.test] == label]})
            unseen.setdefault(str(label), []).extend(held)
    if not unseen:
        return
    noun_g = groups or "group"
    label, held = next(iter(unseen.items()))
    listed = ", ".join(repr(k) for k in list(unseen)[:5]) + (", ..." if len(unseen) > 5
                                                            else "")
    warnings.warn(
        f"{counted(len(unseen), 'class', 'classes')} ({listed}) "
        f"{noun(len(unseen), 'is', 'are')} tested in folds whose training rows lack "
        f"{noun(len(unseen), 'it', 'them')}: e.g. {label!r} where {noun_g} "
        f"{', '.join(held[:3])}{', ...' if len(held) > 3 else ''} "
        f"{noun(len(held), 'is', 'are')} held out, the only one"
        f"{noun(len(held), '', 's')} with it; recall there is 0 by construction, which "
        "lowers UAR and macro-F1: drop or merge such classes, or give them rows of more "
        f"{noun_g}s",
        UserWarning, stacklevel=_outside_emofeat(2))


def _check_pooling(prep: Prepared, param_grid, importance) -> None:
    if prep.task != "classification":
        raise ValueError("pool= applies to single-label classification (averaged class "
                         "probabilities)")
    if param_grid or importance:
        raise ValueError("pool= cannot be combined with param_grid or importance yet")


def _evaluate_rows(prep: Prepared, g, t, estimator, protocol: str, settings: dict[str, Any],
                   imp: FoldImportances, search: Search | None, *, n_splits: int,
                   random_state: int, progress: Any = None,
                   n_jobs: int | None = 1, threads: int | None = None,
                   recordings: _Recordings | None = None, gm=None) -> EvaluationResult:
    """Every row is a unit: predict the held-out rows of each fold. ``gm``: the groups the
    model is given (:func:`_model_groups`; default ``g``)."""
    gm = g if gm is None else gm
    # a multi-label target is not stratified (label sets are too many to balance)
    folds = list(split(protocol, prep.y if prep.task == "classification" else None, g, t,
                       n_splits=n_splits, random_state=random_state))
    _warn_own_statistics(folds, g, recordings, settings.get("groups"))
    if prep.task == "classification" and protocol in GROUPS_HELD_OUT:
        _warn_unseen_classes(folds, prep.y, g, settings.get("groups"))
    n = len(prep.y)
    if prep.task == "multilabel":
        pred = np.zeros(prep.y.shape, dtype=np.int64)  # held-out indicator rows
    else:
        pred = np.empty(n, dtype=object if prep.task == "classification" else float)
    fold_of = np.full(n, -1)
    fold_rows, best_params = [], []
    for f in fit_folds(estimator, folds, prep.X, prep.y, gm, prep.task, search=search,
                       n_jobs=n_jobs, threads=threads):
        te = f.test
        pred[te] = f.model.predict(prep.X[te], groups=gm[te])
        fold_of[te] = f.k
        row = _held_out(fold_row(f.k, f.fold, g[te], n_train=len(f.train), n_test=len(te)),
                        settings)
        row.update(task_scores(prep.task, prep.y[te], pred[te]))
        if search is not None:
            row["best_params"] = str(f.best_params)
            best_params.append(f.best_params)
        fold_rows.append(row)
        if progress is not None:
            progress(row, len(folds))
        imp.add(f.model.est, lambda X, _f=f.model, _g=gm[te]: _f.predict(X, groups=_g),
                prep.X[te], prep.y[te])
    check_covered(fold_of, "rows")
    settings = {**settings, "n_folds": len(folds),
                "inner_splits": search.inner_splits if search is not None else None,
                "best_params": best_params}
    return _groups_typed(build_result(prep, pred, g, t, fold_of, fold_rows, protocol,
                                      settings, **imp.tables()))


def _evaluate_pooled(prep: Prepared, g, t, utts: Utterances, estimator, protocol: str,
                     settings: dict[str, Any], *, n_splits: int, random_state: int,
                     max_frames: tuple[int | None, int | None],
                     progress: Any = None, n_jobs: int | None = 1,
                     threads: int | None = None,
                     recordings: _Recordings | None = None,
                     gm: tuple[Any, Any] | None = None) -> EvaluationResult:
    """Frames train; the held-out utterances are scored by their frames' mean probabilities.
    ``gm``: the groups the model is fitted with and those it scores the held-out frames with
    (:func:`_pooled_unscored`; default ``g`` for both)."""
    gm_fit, gm_test = (g, g) if gm is None else gm
    # utterances are the units kept together by trial-based protocols
    folds = list(split(protocol, prep.y, g, t if t is not None else utts.of_frames(),
                       n_splits=n_splits, random_state=random_state))
    utts.check_folds(folds)
    _warn_own_statistics(folds, g, recordings, settings.get("groups"))
    if protocol in GROUPS_HELD_OUT:
        _warn_unseen_classes(folds, prep.y, g, settings.get("groups"))
    pooled = PooledScores(utts, np.array(sorted(np.unique(prep.y))))
    y_u, g_u = prep.y[utts.first], g[utts.first]
    fold_rows, how, n_train_frames = [], None, []
    for f in fit_folds(estimator, folds, prep.X, prep.y, gm_fit, prep.task,
                       select=utts.selector(*max_frames), n_jobs=n_jobs, threads=threads):
        frame_p, how = f.model.frame_scores(prep.X[f.test], groups=gm_test[f.test])
        codes = pooled.add(f.k, f.test, frame_p, f.model.est.classes_)
        n_train_frames.append(len(f.train))
        row = _held_out(fold_row(f.k, f.fold, g[f.test], n_train=len(f.train),
                                 n_train_units=len(np.unique(utts.code[f.train])),
                                 n_test=len(codes), n_test_frames=len(f.test)), settings)
        row.update(task_scores(prep.task, y_u[codes], pooled.predict(codes)))
        fold_rows.append(row)
        if progress is not None:
            progress(row, len(folds))
    check_covered(pooled.fold_of, "utterances")
    settings = {**settings, "n_folds": len(folds), "param_grid": None, "pool": utts.column,
                "frame_scores": how, "max_frames_per_unit": max_frames[0],
                "max_test_frames_per_unit": max_frames[1], "n_frames": len(prep.y),
                "n_units": len(utts), "mean_train_frames": float(np.mean(n_train_frames))}
    p_columns = tuple(f"p_{lab}" for lab in pooled.labels)
    res = build_result(utts.prepared(prep, pooled.n_frames), pooled.predict().astype(object),
                       g_u, None if t is None else t[utts.first], pooled.fold_of, fold_rows,
                       protocol, settings, extra_columns=p_columns)
    for j, col in enumerate(p_columns):
        res.predictions[col] = pooled.proba[:, j]
    return _groups_typed(res)


def _held_out(row: dict[str, Any], settings: dict[str, Any]) -> dict[str, Any]:
    """``row`` (:func:`fold_row`) whose ``test_groups`` is missing where the table was split
    without groups: the placeholder group of every row said ``all``, which read as if every
    group were held out; the summary says what such folds split (``trialwise by trials``)."""
    if settings.get("groups") is None:
        row["test_groups"] = None
    return row


def _groups_typed(res: EvaluationResult) -> EvaluationResult:
    """``res`` of a table split without groups (``trialwise``, or ``cross_corpus``, whose
    test table was one placeholder group ``test``): no group was held out, so the per-fold
    ``test_groups`` and the predictions' ``group`` are missing, and ``per_group`` has no row.
    The placeholder group ``all`` of every row read as one group called ``all``, and its
    per-group row repeated the pooled figures as if a speaker's (session 47's leftover).
    The missing cells have the type of a column of ids (text, as pandas reads ids), not
    ``object`` as a column of ``None`` would."""
    if res.settings.get("groups") is not None:
        return res
    text = pd.Series(["id"]).dtype
    held = res.per_fold.get("test_groups")
    if held is not None:
        res.per_fold["test_groups"] = pd.Series([None] * len(held), index=held.index,
                                                dtype=text)
    res.predictions["group"] = pd.Series([None] * len(res.predictions),
                                         index=res.predictions.index, dtype=text)
    empty = res.per_group.iloc[:0].copy()
    empty["group"] = empty["group"].astype(text)
    res.per_group = empty
    return res


def _refuse_other_task(values: pd.Series, target: str, side: str, label_map) -> None:
    """Refuse a target that :func:`evaluate` reads as label sets or as a regression
    (:func:`~emofeat.classifiers.validation.infer_task`): evaluate_cross_corpus scores one
    class a row. Until session 49 it took each distinct value for a class: an arousal rating
    of 0-1 in steps of 0.1 (EmoDB, 5 speakers -> 5) ran as 11 classes, UAR 0.24, without a
    word, and GoEmotions' label sets were one class per combination. Numbers that a label
    map of the user's own (a dict or callable) takes to classes are classes."""
    task = infer_task(values)
    if task == "multilabel":
        raise DataError(
            f"the {side} table's {target!r} holds sets of labels (a multi-label target, as "
            "evaluate reads it); evaluate_cross_corpus scores one class a row: train("
            f"train_table, {target!r}, task='multilabel') and predict the test table, or "
            "evaluate each table with task='multilabel'")
    if task == "regression" and (label_map is None or isinstance(label_map, str)):
        given = pd.to_numeric(values, errors="coerce").dropna()
        raise DataError(
            f"the {side} table's {target!r} holds numbers read as a regression target "
            f"({given.nunique()} distinct values, {given.min():g} to {given.max():g}), as "
            "evaluate reads them; evaluate_cross_corpus scores classes, one per value: "
            f"train(train_table, {target!r}, task='regression'), predict the test table and "
            "score the predictions with emofeat.classifiers.regression_scores (CCC), map "
            "the numbers to classes with a label_map of your own (a dict or callable), or, "
            "for class codes, pass task='classification'")


def _ordinal_option(ordinal: Any) -> bool | None:
    """``ordinal=`` checked, as ``True``, ``False`` or ``None``: numpy's booleans made Python's,
    since ``np.False_ is False`` is false (it scored off-by-one as ``None`` did)."""
    if ordinal is not None and not isinstance(ordinal, bool | np.bool_):
        raise TypeError(f"ordinal must be True, False or None (decided from the labels), "
                        f"got {ordinal!r}")
    return None if ordinal is None else bool(ordinal)


def evaluate_cross_corpus(
    train_table,
    test_table,
    target: str,
    model: Any = None,
    *,
    label_map: Any = "ekman",
    train_corpus: str | None = None,
    test_corpus: str | None = None,
    groups: str | None = None,
    standardize: str | None = None,
    model_params: dict[str, Any] | None = None,
    random_state: int = 0,
    force: bool = False,
    task: str = "auto",
    ordinal: bool | None = None,
) -> EvaluationResult:
    """Train on one table, test on another, both mapped to a shared label set.

    Parameters
    ----------
    train_table, test_table : FeatureTable
        Must have the same feature names (extract both with the same sets and parameters);
        the test table's columns are matched to the training table's by name, in any order.
    target : str
        Label column in both tables. Labels are compared in their canonical string form
        (:func:`~emofeat.classifiers.label_maps.label_str`): the ratings ``1`` of one table
        and ``1.0`` of the other (a float column, from a missing cell) are one class.
    model : str or estimator, optional
        Default (``None``): ``svm``, as in :func:`evaluate` and :func:`train`.
    label_map : str, dict or callable, or a pair of them
        Taxonomy both corpora are mapped to (``"ekman"``, ``"4class"``, ...), or one mapping per
        table ``(train_map, test_map)``. Only labels present in both mapped tables are kept.
    train_corpus, test_corpus : str, optional
        Corpora of a named label map (detected from the labels when omitted).
    groups : str, optional
        Speaker column (both tables): per-speaker figures of the test table, and required by
        ``standardize="group"``. Left out with a model of your own holding a
        :class:`~emofeat.classifiers.standardize.GroupStandardScaler`, each corpus is
        standardised with its own statistics (per-corpus normalisation;
        ``settings["standardize"]`` is ``"corpus"``).
    standardize : {None, "group"}
    model_params : dict, optional
    random_state : int
    force : bool
        Evaluate even if the two tables' features were extracted with different parameters
        (a warning instead of :class:`~emofeat.classifiers.compatibility.ProvenanceError`).
    task : {"auto", "classification"}
        ``auto``: a target :func:`evaluate` reads as a regression (numbers, not mapped to
        classes by a ``label_map`` of your own) or as label sets is refused, since this scores
        classes. ``classification``: every distinct value is a class, as with
        ``evaluate(..., task="classification")`` (class codes of more than 10 classes, codes
        stored as floats because of a missing cell).
    ordinal : bool or None
        Whether the shared class labels are ratings, scored with off-by-one accuracy, as in
        :func:`evaluate`: ``None`` (default) where they are whole numbers more than one
        step apart; ``False`` for integer codes of nominal classes; ``True`` requires such
        labels (else a ``DataError``). ``settings["ordinal"]`` says which was used.

    Returns
    -------
    EvaluationResult
        One fold; ``settings["shared_labels"]`` lists the label set,
        ``settings["unshared_labels"]`` the labels only one table has and
        ``settings["unmapped_labels"]`` those the label map takes to nothing, per table
        (their rows are left out, with a ``UserWarning`` naming them and their counts),
        ``settings["provenance_differences"]`` how the test table's extraction differs,
        ``settings["extraction_warnings"]`` the warnings on tables of another emofeat version
        or numbers version (:func:`~emofeat.classifiers.compatibility.version_message`,
        :func:`~emofeat.classifiers.compatibility.numbers_message`).

    Warns
    -----
    ~emofeat.classifiers.compatibility.PredictionWarning
        The two tables were extracted by other emofeat versions, or a set's numbers version
        differs (the same parameters computed otherwise), as on ``predict``.

    Raises
    ------
    DataError
        The tables have different feature columns; or a table's target is one that
        :func:`evaluate` reads as a regression (numbers, not mapped to classes by a
        ``label_map`` of your own) or as label sets (multi-label): this scores classes;
        ``ordinal=True`` for shared labels that are no whole numbers more than one step
        apart.
    ProvenanceError
        The same columns, extracted with different parameters (``sr``, ``n_fft``, ...), which
        makes every feature mean something else in the two corpora; unless ``force``.
    TypeError
        A table is no FeatureTable (a DataFrame: ``emofeat.read_table(path)`` reads an
        output as one), or ``ordinal`` is neither a bool nor ``None``.
    """
    require_table(train_table, "train_table")
    require_table(test_table, "test_table")
    names = list(train_table.feature_names)
    test_table = C.matched_by_name(test_table, names)
    if names != list(test_table.feature_names):
        a, b = set(names), set(test_table.feature_names)
        raise DataError(
            "the two tables have different feature columns "
            f"({len(a - b)} only in training, {len(b - a)} only in test); extract both "
            "with the same feature sets and parameters")
    trained = C.feature_provenance(train_table.provenance)
    diffs = C.check_provenance(
        trained, test_table.provenance, force=force,
        subject="the test table's features and the training table's",
        remedy="Extract both with the same parameters, or pass force=True to evaluate anyway",
        stacklevel=2)
    # not refusals, as on predict: the same columns and parameters, computed by another
    # emofeat (its definitions, or a set's numbers version, changed since)
    told = [said for said in (
        C.version_message(trained, test_table.provenance),
        C.numbers_message(trained, test_table.provenance,
                          sides=("the training table", "the test table"),
                          remedies=("extract the training table again",
                                    "extract the test table again"))) if said]
    import warnings

    for said in told:
        warnings.warn(said, C.PredictionWarning, stacklevel=2)
    if task not in ("auto", "classification"):
        raise ValueError(f"task must be 'auto' or 'classification' (evaluate_cross_corpus "
                         f"scores classes), got {task!r}")
    ordinal = _ordinal_option(ordinal)
    maps = label_map if isinstance(label_map, tuple) else (label_map, label_map)
    mapped, kinds = [], set()
    for side, tab, mp, corp in (("training", train_table, maps[0], train_corpus),
                                ("test", test_table, maps[1], test_corpus)):
        check_columns(tab, target, groups)
        if task == "auto":
            _refuse_other_task(tab.index[target], target, side, mp)
        if isinstance(mp, str):
            mp = get_label_map(mp, corpus=corp, labels=tab.index[target].dropna().astype(str))
        lab = (map_labels(tab.index[target], mp) if mp is not None
               else tab.index[target].astype(object))
        kinds.add(label_kind(lab))
        # one canonical form in both tables before comparing: integer labels of a table with
        # a missing cell are floats (1.0), and prepare() would make "1" and "1.0" of them
        mapped.append(lab.map(label_str, na_action="ignore"))
    # before the shared labels: 'happy ' and 'happy' were two labels only one table has
    # each, their rows left out (or fewer than 2 labels shared, without saying why)
    refuse_written_two_ways_across(mapped[0].dropna(), mapped[1].dropna(), target,
                                   mapped=any(mp is not None for mp in maps))
    shared = [str(lab) for lab in M.sort_labels(
        list(set(mapped[0].dropna()) & set(mapped[1].dropna())))]
    if len(shared) < 2:
        raise DataError(f"the mapped tables share fewer than 2 labels ({shared}); choose "
                        "another label map")
    unshared = _unshared_labels(mapped, shared)
    # the classes the map itself takes to nothing (RAVDESS's calm, EmoDB's boredom with
    # ekman) were left out with a row count in dropped_rows only, while the warning named
    # the labels one table lacks, as if those were all the classes left out
    unmapped = {side: _unmapped_labels(tab.index[target], lab)
                for side, tab, lab in (("train", train_table, mapped[0]),
                                       ("test", test_table, mapped[1]))}
    if any(unshared.values()) or any(unmapped.values()):
        import warnings

        warnings.warn(_unshared_message(unshared, label_map, unmapped), UserWarning,
                      stacklevel=2)

    def restricted(tab, lab):
        keep = np.flatnonzero(lab.isin(shared).to_numpy())
        sub = tab.select(rows=keep)
        sub.index = sub.index.copy()
        sub.index[target] = lab.iloc[keep].to_numpy()
        return sub, keep

    train_sub, keep_tr = restricted(train_table, mapped[0])
    test_sub, keep_te = restricted(test_table, mapped[1])
    drop_tr, drop_te = len(train_table) - len(keep_tr), len(test_table) - len(keep_te)
    ptr = prepare(train_sub, target, columns=(groups,), task="classification")
    pte = prepare(test_sub, target, columns=(groups,), task="classification", min_class_size=1)
    # the predictions name rows of the test table as given, with its own labels in the
    # target column (the mapped ones are `true`), as evaluate() does
    pte.rows = keep_te[pte.rows]
    pte.index[target] = test_table.index[target].iloc[pte.rows].to_numpy()
    # the shared labels are canonical strings; integers (booleans) come back when both
    # tables' (mapped) labels are integers (booleans)
    pte.label_kind = (kinds.pop() if len(kinds) == 1
                      else "float" if kinds == {"int", "float"} else "str")
    # rows of no finite feature: left out as in evaluate (predict gives them no prediction)
    ptr, blank_tr = without_blank_rows(ptr, keep_tr[ptr.rows], "rows of the training table")
    pte, blank_te = without_blank_rows(pte, what="rows of the test table")
    scored_ordinal = ordinal_labels(np.concatenate([ptr.y, pte.y]), "classification",
                                    ordinal, target)
    _warn_frames_scored_alone(test_table, pte, cross_corpus=True)
    # None is the default model, as in evaluate and train (it reached clone: a TypeError)
    model = default_model(model, "classification")
    estimator = build_estimator(model, "classification", standardize=standardize,
                                model_params=model_params, random_state=random_state)
    # the test table's groups are other speakers than the training table's, whatever their ids
    if _standardise_seen_groups(estimator, "own"):
        import warnings

        warnings.warn("evaluate_cross_corpus standardises the test table's speakers with their "
                      "own statistics: seen_groups='fit' of the model's GroupStandardScaler is "
                      "not used (the test table's ids name other people than the training "
                      "table's)", UserWarning, stacklevel=2)
    if groups is None and standardize != "group" and uses_groups(estimator):
        # a GroupStandardScaler of the user's without groups=: each corpus standardised with
        # its own statistics (per-corpus normalisation, a cross-corpus technique), the
        # training table one group and the test table another, as until 4eaf989, which
        # refused it naming no way out (EmoDB 5 speakers -> 5: UAR 0.648 against 0.621 plain)
        standardize = "corpus"
    elif standardize == "group" and groups is None:
        raise ValueError(
            "standardize='group' needs groups= (the speaker column of both tables); to "
            "standardise each corpus with its own statistics instead, leave groups= out and "
            "give a pipeline of your own holding a GroupStandardScaler() as model=")
    else:
        standardize = standardization(estimator, standardize, groups)
    check_class_weights(estimator, ptr.y, maps[0])
    gtr = (ptr.index[groups].astype(str).to_numpy() if groups else np.full(len(ptr.y), "train"))
    gte = (pte.index[groups].astype(str).to_numpy() if groups else np.full(len(pte.y), "test"))
    with limited_threads(model_threads(model, model_params)):
        # each table's groups standardised over all their rows (_UnscoredRows): the rows
        # whose labels the map or the shared labels leave out included
        fitted = fit_model(estimator, ptr.X, ptr.y, _model_groups(
            train_table, keep_tr[ptr.rows], gtr, estimator, groups, standardize, whole="train",
            side="the training table"))
        unscored = _unscored(test_table, pte.rows, estimator, groups, standardize,
                             whole="test", side="the test table")
        pred = np.asarray(fitted.predict(
            pte.X, groups=gte if unscored is None else unscored.of(gte)), dtype=object)
    if standardize == "group":
        # as evaluate warns of a held-out speaker, and predict of the same rows
        _warn_own_statistics([Fold(np.arange(len(ptr.y)), np.arange(len(pte.y)))], gte,
                             _Recordings.of(test_table, None, pte.rows, unscored), groups,
                             cross_corpus=True)
    # the fold holds out the test table: with groups=, its groups are those held out, as
    # every other protocol's test_groups lists its held-out groups (until session 49 the
    # cell said 'test table' whatever the groups); without, the test table is one
    # placeholder group, none held out (as trialwise: _groups_typed makes the cell missing)
    fold = {**fold_row(0, Fold(np.arange(len(ptr.y)), np.arange(len(pte.y))), gte,
                       n_train=len(ptr.y), n_test=len(pte.y)),
            **M.classification_scores(pte.y, pred.astype(str))}
    return _groups_typed(build_result(
        pte, pred, gte, None, np.zeros(len(pte.y), dtype=int), [fold], "cross_corpus",
        settings={
            "model": model_label(model),
            "model_params": dict(model_params or {}), "protocol": "cross_corpus",
            "target": target, "groups": groups, "n_folds": 1, "shared_labels": shared,
            "provenance_differences": diffs, "extraction_warnings": told,
            "label_map": [m if isinstance(m, str | None) else "custom" for m in maps],
            "standardize": standardize, "random_state": random_state,
            "dropped_rows": {"train": drop_tr + ptr.dropped, "test": drop_te + pte.dropped},
            "rows_without_features": ({"train": blank_tr or 0, "test": blank_te or 0}
                                      if blank_tr or blank_te else None),
            "unshared_labels": {k: [lab for lab, _ in v] for k, v in unshared.items()},
            "unmapped_labels": {k: [lab for lab, _ in v] for k, v in unmapped.items()},
            "n_features": len(train_table.feature_names), "versions": library_versions(),
            "ordinal": scored_ordinal,
        },
    ))

