"""Evaluation protocols: which rows train and which test in each fold.

=====================  =====================================================================
protocol               folds
=====================  =====================================================================
``loso`` / ``logo``    leave one group (speaker, subject) out: one fold per group
``group_kfold``        ``n_splits`` folds of whole groups (stratified by label when possible)
``subject_dependent``  inside each subject, stratified ``n_splits``-fold (of whole trials
                       when ``trials`` is given), also with classes of fewer rows or
                       trials than folds; figures are averaged over subjects; a
                       subject whose training split would hold one class is refused
``trialwise``          ``n_splits`` folds of whole trials: windows of one trial never on both
                       sides (stratified by label when possible)
=====================  =====================================================================

Cross-corpus evaluation (train on one table, test on another) is
:func:`emofeat.classifiers.evaluate_cross_corpus`.

Every splitter yields ``(train, test)`` arrays of row positions. None of them looks at
features; the stratified ones use the labels of all rows only to balance the classes across
folds (which rows land in which fold, never what a model sees).
"""

from __future__ import annotations

import warnings
from collections.abc import Iterator
from dataclasses import dataclass

import numpy as np
import pandas as pd
from sklearn.model_selection import (
    GroupKFold,
    LeaveOneGroupOut,
    StratifiedGroupKFold,
    StratifiedKFold,
)

from emofeat._wording import counted, noun
from emofeat.errors import option

PROTOCOLS = {
    "loso": "leave one group (speaker/subject) out",
    "logo": "alias of loso",
    "group_kfold": "k folds of whole groups",
    "subject_dependent": "stratified k-fold inside each subject, averaged over subjects",
    "trialwise": "k folds of whole trials (windows of a trial stay together)",
}


#: the protocols that hold whole groups (speakers, subjects) out of training
GROUPS_HELD_OUT = ("loso", "logo", "group_kfold")


class ProtocolError(ValueError):
    """The data cannot be split by the requested protocol (too few groups, classes, trials)."""


class LeakageWarning(UserWarning):
    """A protocol that splits rows was asked to split rows of one recording (its windows, or
    copies of it), which puts the recording on both sides of a fold."""


def _is_count(v, least: int) -> bool:
    """Whether ``v`` is an integer (bool is not one) of at least ``least``."""
    return isinstance(v, int | np.integer) and not isinstance(v, bool) and v >= least


def warn_split_recordings(index, protocol: str, trials: str | None,
                          pool: str | None) -> None:
    """Warn (:class:`LeakageWarning`) when ``subject_dependent`` without ``trials`` would
    split rows of one recording (a ``path`` that repeats: windows, frames or copies of one
    input). Neighbouring windows are near copies, so such folds measure memory, not
    recognition (docs/classifiers.md, "leakage")."""
    if (protocol != "subject_dependent" or trials is not None or pool is not None
            or "path" not in index.columns):
        return
    paths = index["path"]
    n_rec = int(paths.nunique(dropna=True))
    if n_rec < int(paths.notna().sum()):
        warnings.warn(LeakageWarning(
            f"{len(paths)} rows come from {n_rec} recordings ('path' repeats: windows, frames "
            f"or copies of one input): subject_dependent without "
            f"{option('trials=', '--trials')} splits rows, so one recording lands in training "
            f"and in test; pass {_by_path()} to keep each recording on one side"), stacklevel=3)


def warn_recordings_in_two_groups(index, protocol: str, groups: str | None,
                                  X: np.ndarray) -> None:
    """Warn (:class:`LeakageWarning`) when a protocol that holds groups out finds one
    recording's rows (its ``path``, and its ``start``/``end`` where the table has them, with
    the same features) under two group ids: a copy filed under another speaker (EmoDB's
    speaker 03 appended again as '03b') is trained on when the other is tested, each scored
    UAR 1.0, without a word.

    Rows of one path whose features differ are parts of the recording, not copies: a dialog
    file holding two speakers' segments, in a table without ``start``/``end``, is two
    speakers' rows, which loso rightly splits; only a recording whose rows under one id are
    all found, with equal features, under another (the same frames or the same utterance
    twice) is warned about."""
    if (protocol not in GROUPS_HELD_OUT or groups is None
            or "path" not in index.columns or groups not in index.columns):
        return
    keys = [c for c in ("path", "start", "end") if c in index.columns]
    rows = index[keys + [groups]].reset_index(drop=True).dropna(subset=["path", groups])
    ids = pd.factorize(rows[groups].astype(str))[0]
    # a code per recording, vectorised: a groupby of every row's ids took 4.3 s at 100,000
    # windows
    recording = rows.groupby(keys, dropna=False, sort=False).ngroup().to_numpy()
    shared = _under_two_ids(recording, ids)
    if not shared.any():
        return
    # only the rows of recordings under two ids are hashed, so a clean table costs nothing more
    at = rows.index.to_numpy()[shared]
    # one hash of the recording and the features: the same frames or utterance filed twice
    copy = pd.factorize(pd.util.hash_pandas_object(
        pd.DataFrame(X[at], copy=False).assign(recording=recording[shared]), index=False))[0]
    copied = _under_two_ids(copy, ids[shared])
    if not copied.any():
        return
    # a copy is every row of one id found under another: a few equal rows of two speakers'
    # turns (frames of digital silence in a dialog) are no copy
    rec = recording[shared]
    whole = pd.DataFrame({"rec": rec, "id": ids[shared], "copied": copied}).groupby(
        ["rec", "id"], sort=False)["copied"].all()
    copied &= np.isin(rec, whole[whole].index.get_level_values("rec"))
    if not copied.any():
        return
    n = len(np.unique(rec[copied]))
    first = np.flatnonzero(copied)[0]
    names = pd.unique(rows[groups].astype(str).to_numpy()[shared][copy == copy[first]])
    path = rows["path"].to_numpy()[shared][first]
    warnings.warn(LeakageWarning(
        f"{noun(n, 'a recording', f'{n} recordings')} {noun(n, 'is', 'are')} listed under "
        f"two {groups} ids or more with the same features (e.g. {path} as {names[0]!r} and "
        f"{names[1]!r}): {protocol} can train on one copy while it tests the other; give "
        f"each recording one {groups} id"), stacklevel=3)


def _under_two_ids(unit: np.ndarray, ids: np.ndarray) -> np.ndarray:
    """Whether each row's ``unit`` (an integer code) holds rows of two ``ids`` or more."""
    span = int(ids.max()) + 1
    pairs = pd.unique(unit.astype(np.int64) * span + ids)  # hashed: np.unique sorts
    per_unit = np.bincount(pairs // span, minlength=int(unit.max()) + 1)
    return (per_unit > 1)[unit]


def _by_path() -> str:
    """The option keeping each recording on one side, spelt for the reader."""
    return option("trials='path'", "--trials path")


@dataclass(frozen=True)
class Fold:
    """One split: row positions for training and testing, and the subject for
    subject-dependent folds (``None`` otherwise)."""

    train: np.ndarray
    test: np.ndarray
    subject: object = None


def _kfold_of_units(y, units, n_splits, shuffle, random_state):
    """``n_splits`` folds of whole units, stratified by class whenever labels are given.

    Stratified also when a class spans fewer units than folds (a class recorded by 2 of 10
    speakers): the unstratified GroupKFold put both speakers of such a class in one test
    fold on one seed in ten (EmoDB, 5 folds), so that fold's model never saw the
    class and none of its rows could be recognised; StratifiedGroupKFold spreads a class's
    units over the folds. Units stay whole either way. GroupKFold remains where sklearn's
    stratified splitter refuses (every class has fewer rows than folds) or its greedy
    assignment leaves a fold empty.
    """
    n_units = len(np.unique(units))
    if n_units < n_splits:
        raise ProtocolError(f"{n_splits}-fold splitting needs at least {n_splits} groups/trials, "
                            f"found {n_units}")
    seed = random_state if shuffle else None
    if y is not None:
        cv = StratifiedGroupKFold(n_splits=n_splits, shuffle=shuffle, random_state=seed)
        folds = _quiet_stratified_group_folds(cv, y, np.asarray(units))
        if folds and all(len(test) for _, test in folds):
            return folds
    cv = GroupKFold(n_splits=n_splits, shuffle=shuffle, random_state=seed)
    return cv.split(np.zeros(len(units)), y, units)


def _quiet_stratified_group_folds(cv: StratifiedGroupKFold, y: np.ndarray,
                                  units: np.ndarray) -> list[tuple[np.ndarray, np.ndarray]]:
    """``cv``'s folds of the rows (``[]`` where it refuses: every class has fewer rows than
    folds), without its warning that a class has fewer rows than folds (such a class is
    missing from some test folds, as it must be).

    The warning is not filtered: ``warnings.catch_warnings`` swaps process-wide state, and
    this runs in the workers of a nested search's threads. Instead the class counts are
    checked first, and where the least class has fewer rows than folds every row is given
    ``2**m`` times, enough for no class to be short. The splitter sees the rows only through
    each unit's class counts, which it compares as shares of each class's total and as
    counts of a fold's rows against another's: scaled by a power of two, all of it exact in
    floating point, so the folds are the ones of the rows given once (checked on EmoDB's
    labels, speakers and genders, 3, 5 and 10 folds, seeds 0-4)."""
    counts = np.unique(y, return_counts=True)[1]
    if (counts < cv.n_splits).all():  # refused by the splitter ("n_splits=5 cannot be
        return []                     # greater than the number of members in each class")
    times = 1 << max(int(np.ceil(np.log2(cv.n_splits / counts.min()))), 0)
    row = np.repeat(np.arange(len(units)), times)
    try:
        folds = cv.split(np.zeros(len(row)), y[row], units[row])
        # a row's copies are in one unit, so on one side: each once, in order
        return [(row[train[::times]], row[test[::times]]) for train, test in folds]
    except ValueError:
        return []


def split(
    protocol: str,
    y: np.ndarray | None,
    groups: np.ndarray | None = None,
    trials: np.ndarray | None = None,
    n_splits: int = 5,
    shuffle: bool = True,
    random_state: int | None = 0,
) -> Iterator[Fold]:
    """Yield the folds of a protocol.

    Parameters
    ----------
    protocol : str
        One of :data:`PROTOCOLS`.
    y : array, shape (n,)
        Class labels, used only to stratify and to refuse a training fold of one class;
        ``None`` for unstratified splits (a regression target).
    groups : array, shape (n,)
        Speaker / subject of each row (required except for ``trialwise``).
    trials : array, shape (n,), optional
        Trial (recording) of each row, for windowed data: required for ``trialwise``; with
        ``subject_dependent`` the windows of a trial stay on one side.
    n_splits : int
        Folds for the k-fold protocols.
    shuffle, random_state
        Shuffling of the k-fold protocols (``loso`` is deterministic).

    Raises
    ------
    ProtocolError
        Too few groups, trials or samples for the protocol; with labels, a fold whose
        training rows would hold a single class (the held-out groups or trials named; with
        ``subject_dependent``, the subject with its class counts).
    """
    if protocol in ("group_kfold", "trialwise", "subject_dependent") and not _is_count(
            n_splits, 2):
        # subject_dependent would otherwise blame each subject's rows ("needs at least 2")
        raise ProtocolError(f"n_splits must be an integer of at least 2 for protocol "
                            f"{protocol!r}, got {n_splits!r}")
    ref = next((a for a in (y, groups, trials) if a is not None), None)
    if ref is None:
        raise ProtocolError(f"protocol {protocol!r} needs groups or trials to split by")
    n = len(ref)
    y = None if y is None else np.asarray(y)
    g = _ids(groups, "groups")
    t = _ids(trials, "trials")
    if protocol in ("loso", "logo", "group_kfold", "subject_dependent") and g is None:
        raise ProtocolError(f"protocol {protocol!r} needs groups (speaker or subject ids)")
    if protocol in ("loso", "logo"):
        n_groups = len(np.unique(g))
        if n_groups < 2:
            raise ProtocolError(f"leave-one-group-out needs at least 2 groups, found {n_groups}")
        yield from _checked_folds(y, g, LeaveOneGroupOut().split(np.zeros(n), y, g), "group")
    elif protocol == "group_kfold":
        yield from _checked_folds(y, g, _kfold_of_units(y, g, n_splits, shuffle, random_state),
                                  "group")
    elif protocol == "trialwise":
        if t is None:
            raise ProtocolError(
                f"protocol 'trialwise' needs {option('trials=', '--trials')} (one id per "
                "trial/recording; for windows of recordings "
                f"{_by_path()})")
        units = t if g is None else np.array([f"{a}\x1f{b}" for a, b in zip(g, t, strict=True)])
        yield from _checked_folds(
            y, t, _kfold_of_units(y, units, n_splits, shuffle, random_state), "trial")
    elif protocol == "subject_dependent":
        _warn_fewer_units_than_folds(g, t, n_splits)
        for subject in np.unique(g):
            rows = np.flatnonzero(g == subject)
            ys = None if y is None else y[rows]
            if t is not None:
                units = t[rows]
            else:
                units = np.arange(len(rows))
            k = min(n_splits, len(np.unique(units)))
            if k < 2:
                raise ProtocolError(
                    f"subject {str(subject)!r} has "
                    f"{counted(len(np.unique(units)), 'row' if t is None else 'trial')}: "
                    "subject-dependent folds need at least 2")
            if ys is not None and max(len(np.unique(units[ys == c]))
                                      for c in np.unique(ys)) >= k:
                # stratified also when a class has fewer rows (or trials) than folds
                # (RAVDESS: 4 neutral files per actor; most EmoDB speakers): that class is
                # missing from some test folds, as it must be, while the others stay
                # balanced. Unstratified folds instead left whole classes out of training
                # folds and cost 2-14 UAR points (docs/classifiers.md, SD-1spk)
                seed = random_state if shuffle else None
                cv = (StratifiedKFold(n_splits=k, shuffle=shuffle, random_state=seed)
                      if t is None else
                      StratifiedGroupKFold(n_splits=k, shuffle=shuffle, random_state=seed))
                with warnings.catch_warnings():
                    warnings.filterwarnings("ignore", "The least populated class in y has only",
                                            UserWarning)
                    inner = list(cv.split(np.zeros(len(rows)), ys,
                                          None if t is None else units))
            else:
                inner = list(_kfold_of_units(ys, units, k, shuffle, random_state))
            if ys is not None:
                _check_subject_classes(subject, ys, [train for train, _ in inner])
            for train, test in inner:
                yield Fold(rows[train], rows[test], subject=subject)
    else:
        raise ProtocolError(f"unknown protocol {protocol!r}; choose from {sorted(PROTOCOLS)}")


def _ids(values, name: str) -> np.ndarray | None:
    """Group or trial ids as an array that sorts: none missing, and ids of mixed types
    (``1`` and ``"1"`` from a hand-made column) compared as text, as
    :func:`~emofeat.classifiers.evaluate` reads its identity columns."""
    if values is None:
        return None
    ids = np.asarray(values)
    if ids.dtype == object or ids.dtype.kind == "f":
        missing = np.asarray(pd.isna(ids), dtype=bool)
        if missing.any():
            where = np.flatnonzero(missing)
            shown = ", ".join(str(i) for i in where[:5]) + (", ..." if len(where) > 5 else "")
            raise ProtocolError(
                f"{name} is missing (None/NaN) for {len(where)} of {len(ids)} rows (rows "
                f"{shown}): a missing id matches no other row, not even itself, so those rows "
                "would be tested in no fold or split apart; give every row its id, or drop "
                "the rows")
    if ids.dtype == object:
        ids = ids.astype(str).astype(object)  # Python strings: named as such in messages
    return ids


def _checked_folds(y: np.ndarray | None, units: np.ndarray, folds, what: str
                   ) -> Iterator[Fold]:
    """The folds, every one checked (:func:`_check_train_classes`) before the first is
    handed out."""
    folds = list(folds)
    _check_train_classes(y, units, folds, what)
    for train, test in folds:
        yield Fold(train, test)


def _check_train_classes(y: np.ndarray | None, units: np.ndarray, folds: list,
                         what: str) -> None:
    """Raise :class:`ProtocolError` if a fold's training rows hold a single class.

    Labels confounded with the groups (each speaker acted one emotion, a class recorded by
    one speaker only) leave a fold whose model cannot be fitted: some estimators raise
    without saying which fold ("The number of classes has to be greater than one"), others
    (random forest, k-NN) fit a one-class model whose figures are meaningless. The fold is
    named by the ``what`` (group, trial) it holds out.
    """
    if y is None:
        return
    for train, test in folds:
        classes = np.unique(y[train])
        if len(classes) < 2:
            held = [str(u) for u in np.unique(units[test])]
            shown = ", ".join(repr(h) for h in held[:5]) + (", ..." if len(held) > 5 else "")
            labels, counts = np.unique(y[test], return_counts=True)
            rest = {str(lab): int(c) for lab, c in zip(labels, counts, strict=True)}
            raise ProtocolError(
                f"the fold holding out {counted(len(held), what)} ({shown}) trains on the "
                f"class {str(classes[0])!r} only (the held-out rows hold {rest}), and a classifier "
                f"needs two: the classes are confounded with the {what}s; give every class "
                f"rows of several {what}s (drop or merge the classes of a single {what}, e.g. "
                f"with {option('label_map=...', '--label-map')})")


def _warn_fewer_units_than_folds(g: np.ndarray, t: np.ndarray | None, n_splits: int) -> None:
    """Warn where ``subject_dependent`` gives a subject fewer folds than ``n_splits``: a
    subject of fewer rows (trials) than folds gets one fold per row (trial), leave one out,
    so its figure comes from fewer folds, each model trained on LESS of its data than
    ``n_splits``-fold would use: (n-1)/n of n trials against (k-1)/k (a user asking for 10
    folds of the Muse recordings' 6 trials per subject got 6 folds, each trained on 5 of
    the 6 trials, 83 %, where 10-fold trains on 90 %)."""
    subjects, where = np.unique(g, return_inverse=True)
    if t is None:
        units = np.bincount(where, minlength=len(subjects))
    else:
        units = np.array([len(np.unique(t[where == i])) for i in range(len(subjects))])
    short = [(str(s), int(n)) for s, n in zip(subjects, units, strict=True) if 2 <= n < n_splits]
    if not short:
        return
    unit = "row" if t is None else "trial"
    shown = ", ".join(f"{s!r}: {n}" for s, n in short[:5]) + (
        f" and {len(short) - 5} more" if len(short) > 5 else "")
    least = int(units[units >= 2].min())
    who = "a subject has" if len(short) == 1 else f"{len(short)} subjects have"
    its = noun(len(short), "its", "their")
    # leave one out trains on (n-1)/n of a subject's data, less than k-fold's (k-1)/k as n < k
    warnings.warn(
        f"subject_dependent with {option(f'n_splits={n_splits}', f'--folds {n_splits}')}: "
        f"{who} fewer {unit}s than folds ({shown}), so each of {its} {unit}s is a fold of "
        f"its own (leave one {unit} out): a subject of {least} {unit}s gets {least} folds, "
        f"not {n_splits}, each model trained on {least - 1} of its {least} {unit}s "
        f"({100 * (least - 1) / least:.0f} %) where {n_splits}-fold trains on "
        f"{100 * (n_splits - 1) / n_splits:.0f} %; give "
        f"{option(f'n_splits={least}', f'--folds {least}')} or fewer for {least} folds in "
        f"every subject", UserWarning, stacklevel=3)


def _check_subject_classes(subject, y: np.ndarray, trains: list[np.ndarray]) -> None:
    """Raise :class:`ProtocolError` if a training split of ``subject`` holds a single class.

    No classifier can be fitted on one class; the estimator's own error ("The number of
    classes has to be greater than one") would not say which subject. Skipping the subject
    instead would quietly change the mean over subjects, so the user decides: drop the
    subject, or drop / merge its rare classes.
    """
    for train in trains:
        if len(np.unique(y[train])) < 2:
            labels, counts = np.unique(y, return_counts=True)
            shown = {str(lab): int(c) for lab, c in zip(labels, counts, strict=True)}
            raise ProtocolError(
                f"subject {subject!r} has the class counts {shown}: one of its "
                f"subject-dependent training folds holds only the class "
                f"{str(np.unique(y[train])[0])!r}, and a classifier needs two; drop this "
                "subject, or drop or merge its rare classes (e.g. with "
                f"{option('label_map=...', '--label-map')})")


def inner_folds(y: np.ndarray | None, units: np.ndarray, n_splits: int = 3,
                random_state: int | None = 0) -> list[tuple[np.ndarray, np.ndarray]]:
    """The folds of a hyperparameter search nested inside a protocol's training fold.

    ``min(n_splits, number of units)`` shuffled folds of whole ``units`` (speakers or
    subjects; trials for ``trialwise``; trials, else rows, inside the subject of a
    ``subject_dependent`` fold), so the inner folds keep units together exactly as the
    outer protocol does, and stratified by class by the outer k-fold protocols' own rule
    (:func:`_kfold_of_units`: ``StratifiedGroupKFold``, ``GroupKFold`` only where it cannot
    split; unstratified for a regression or multi-label target). The unstratified
    ``GroupKFold`` used here before left classes out of inner parts where the units allowed
    every part each class (seeds 0-19, 3 inner folds): inside EmoDB's speakers
    (``subject_dependent``) 178 of 3000 inner training parts missed a class of 2 or more
    rows, and for gender by speaker (``loso``) 85 of 600 inner test parts held one gender.

    Parameters
    ----------
    y : array, shape (n,), or None
        Class labels of the training fold's rows, only to stratify; ``None`` (a regression
        or multi-label target) for unstratified folds.
    units : array, shape (n,)
        What each inner fold keeps whole.
    n_splits : int
        Inner folds wanted (fewer when there are fewer units).
    random_state : int or None
        Seed of the shuffling: the same seed gives the same folds.

    Returns
    -------
    list of (train, test)
        Row positions into ``units``.

    Raises
    ------
    ValueError
        ``n_splits`` not an integer of at least 2.
    ProtocolError
        Fewer than 2 units.
    """
    if not _is_count(n_splits, 2):
        # not the groups' fault: the message below would blame them; 2.5 failed in
        # scikit-learn ("The number of folds must be of Integral type"), naming no parameter
        raise ValueError(f"inner_splits must be an integer of at least 2, got {n_splits!r}")
    n_units = len(np.unique(units))
    if min(n_splits, n_units) < 2:
        raise ProtocolError(f"a nested search needs at least 2 groups in each training fold, "
                            f"found {n_units}")
    return list(_kfold_of_units(None if y is None else np.asarray(y), units,
                                min(n_splits, n_units), True, random_state))
