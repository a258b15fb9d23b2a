"""Train a model on a whole table, save it, and predict on new tables.

A :class:`TrainedModel` remembers the feature names it was trained on and refuses a table
whose feature columns differ, with a message saying which. It also remembers how those
features were extracted, and the training rows' feature statistics and class shares: a table
extracted with other parameters is refused, and predictions on inputs far from the training
distribution, or collapsed onto one class, come with a warning
(see :mod:`~emofeat.classifiers.compatibility`).
"""

from __future__ import annotations

import os
import warnings
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from emofeat._wording import counted
from emofeat.errors import option

from . import compatibility as C
from .fitting import (
    FittedModel,
    build_estimator,
    check_class_weights,
    default_model,
    fit_model,
    limited_threads,
    model_threads,
    pairwise_scores,
    standardization,
)
from .label_maps import labels_as
from .metrics import sort_labels
from .models import list_models
from .reporting import library_versions, model_label
from .validation import (
    DataError,
    check_columns,
    keep_identity_columns,
    prepare,
    refuse_mixed_ids,
    refuse_written_two_ways,
    require_table,
    without_blank_rows,
)

FORMAT_VERSION = 1


@dataclass
class TrainedModel:
    """A fitted pipeline with what it needs to be applied to new feature tables.

    Attributes
    ----------
    estimator : fitted sklearn estimator
    feature_names : list of str
    target : str
    task : {"classification", "regression"}
    classes : list
        Class labels (classification), in display order, of the kind ``pred`` holds:
        integers for integer labels, booleans for boolean ones, floats for numbers not all
        whole (2.0 and 2.5), else strings (models saved before this: strings).
    groups : str or None
        Group column needed at prediction time (``standardize="group"``).
    settings : dict
        Model name, parameters, label map (and ``label_mapping``: the class each training
        label went to, ``None`` dropped), seeds, versions, training size.
    feature_provenance : dict or None
        Level, feature sets and their extraction parameters of the training table
        (:func:`~emofeat.classifiers.compatibility.feature_provenance`).
    feature_stats : dict or None
        ``mean`` and ``std`` of every feature over the training rows.
    class_shares : dict or None
        Share of each class among the training rows (classification).

    The last three are ``None`` in models saved before emofeat recorded them; those checks
    are then skipped.
    """

    estimator: Any
    feature_names: list[str]
    target: str
    task: str
    classes: list = field(default_factory=list)
    groups: str | None = None
    settings: dict[str, Any] = field(default_factory=dict)
    # defaults (class attributes) keep models pickled before these fields existed loadable
    feature_provenance: dict[str, Any] | None = None
    feature_stats: dict[str, np.ndarray] | None = None
    class_shares: dict[str, float] | None = None

    def describe(self, verbose: bool = False) -> str:
        """What the model predicts and how it was trained, as ``emofeat info MODEL`` prints
        it: model, task and target; the classes with their training rows (a regression: the
        training target's range and mean); how the training labels became them (as given, of
        which type, or which label a label map took where and which it dropped); the
        standardisation and the group column it needs; the pipeline's steps, the model with
        its effective hyper-parameters (an XGBoost model's rounds, depth, learning rate,
        subsampling and bins as emofeat sets them, not XGBoost's defaults); the features
        (count, groups, first and last name, level and sets); the training rows left out,
        the seed and the versions.

        Parameters
        ----------
        verbose : bool
            Also every parameter of every step, every label, and every feature name, a line
            per feature group (else the first few labels, the first and last feature name,
            and the model's main hyper-parameters and those that differ from the defaults).

        Returns
        -------
        str
            One item a line.
        """
        from .model_info import describe_model

        return "\n".join(describe_model(self, verbose))

    def check_features(self, table) -> None:
        """Raise :class:`DataError` unless ``table`` has exactly the training features
        (:class:`TypeError` where it is no FeatureTable)."""
        require_table(table)
        names = list(table.feature_names)
        if names == self.feature_names:
            return
        given, trained = set(names), set(self.feature_names)  # once: quadratic a name
        missing = [n for n in self.feature_names if n not in given]
        extra = [n for n in names if n not in trained]
        if not missing and not extra:
            raise DataError("the table has the model's features in a different order; "
                            "reorder with table.select(model.feature_names)")
        # the likely cause, when the extraction records it (another level, other parameters)
        diffs = C.provenance_differences(self.feature_provenance, table.provenance)
        # a count of 0 said as 'none' ('0 unexpected (e.g. [])' read as a garbled message)
        said = [f"{len(x)} {what} (e.g. {x[:3]})" if x else f"none {what}"
                for x, what in ((missing, "missing"), (extra, "unexpected"))]
        if not missing and not diffs:
            # a model of a selection of the table's columns (train(table.select(...))): to
            # extract the table again with the same sets, as was said, gives the same columns
            from emofeat.table import set_names

            ours = set_names(self.feature_provenance)
            more_sets = [s for s in set_names(getattr(table, "provenance", None))
                         if s not in ours]
            why = (f"the table has sets the model lacks ({', '.join(more_sets)}), or the model "
                   "was trained on a selection of a table's columns; give it "
                   if more_sets and ours else
                   "the model was trained on a selection of a table's columns; give it ")
            raise DataError(
                f"the table has the model's {len(self.feature_names)} features and "
                f"{len(extra)} more (e.g. {extra[:3]}): {why}the same selection, "
                "table.select(model.feature_names) (written with to_parquet for emofeat "
                "predict)" + (f", or a table of the model's sets alone ({', '.join(ours)}) "
                             "if it was trained on every column of theirs"
                             if more_sets and ours else ""))
        raise DataError(
            f"the table's features differ from the model's: {', '.join(said)}; extract the "
            f"table with the same feature sets and parameters "
            f"({self.settings.get('feature_sets', '?')})"
            + (f"; the table's extraction differs: {'; '.join(diffs)}" if diffs else "")
        )

    def check_provenance(self, table, *, force: bool = False) -> list[str]:
        """Raise :class:`~emofeat.classifiers.compatibility.ProvenanceError` if ``table``'s
        features were extracted with other parameters than the training table's.

        Parameters
        ----------
        table : FeatureTable
        force : bool
            Warn (:class:`~emofeat.classifiers.compatibility.PredictionWarning`) instead.

        Returns
        -------
        list of str
            The differences (empty when none).
        """
        require_table(table)
        return C.check_provenance(
            self.feature_provenance, table.provenance, force=force,
            subject="the table's features and the model's training table's",
            remedy="Extract the table with the model's parameters, or pass force=True "
                   "(emofeat predict --force) to predict anyway")

    def predict(self, table, *, force: bool = False,
                new_groups: bool | Iterable[Any] | None = None) -> pd.DataFrame:
        """Predictions for every row of ``table``: its identity columns plus ``pred`` (and one
        ``proba_<class>`` column per class when the model gives probabilities, else a
        ``score_<class>`` column of decision scores when it has a ``decision_function`` with
        one score per class: not an SVC's ``decision_function_shape="ovo"``, whose scores are
        per pair of classes). An identity column named like one of those added is kept as
        ``table_<name>``. A table without rows gives a frame without rows, with those
        columns. A model trained with a named label map (``label_map="ekman"``) adds
        ``true``, the table's ``target`` column mapped with it (through the training
        labels' corpus when the table's labels are all of its vocabulary, else the corpus
        detected from them; ``None`` for a label the map drops), when the table has that
        column.
        A model named by emofeat predicts on the threads it was trained on (one, or the
        ``n_jobs`` given to ``xgb``/``knn``: :func:`~emofeat.classifiers.fitting.model_threads`),
        a limit the main thread sets (a predict from another thread runs with the process's
        counts); a model of your own, on the libraries' threads.
        ``pred`` holds the training table's labels: integers for integer labels
        (``Int64`` when some rows have no prediction), booleans for boolean ones
        (``boolean``), floats for numbers not all whole (NaN without a prediction), else
        strings.
        ``attrs["emofeat_predictions"]`` records the model (settings, versions,
        training table's extraction) and the table (fingerprint, extraction); ``to_parquet``
        keeps it. Missing (NaN) and infinite features are imputed with the training medians,
        but a row without any finite feature gets no prediction: ``pred`` missing (``None``,
        NaN for regression) and NaN probabilities or scores. Columns are matched by name:
        the model's features in another order are reordered.

        Parameters
        ----------
        table : FeatureTable
        force : bool
            Predict even if the table's features were extracted with other parameters than
            the training table's (a warning instead of
            :class:`~emofeat.classifiers.compatibility.ProvenanceError`).
        new_groups : bool or iterable of ids, optional
            For a model that stores its training speakers' statistics
            (``GroupStandardScaler(seen_groups="fit")``): whether the table's speakers whose
            ids are a training speaker's are other people (``True``; an iterable: those ids),
            standardised with their own rows' statistics as any new speaker, or the training
            speakers themselves (``False``), standardised with the statistics stored for
            them. ``None`` (the default) is ``False`` with a warning naming those ids: ids
            alone cannot tell (EmoDB's speaker ``03`` and RAVDESS's actor ``03`` are two
            people). Ids are matched as text, as written: ``1`` and ``"01"`` are two ids
            (a warning names a table's id that is the same whole number as one training
            id, ``"01"`` beside training's ``1``, unless ``True`` or those ids are given).
            Ignored by other models.

        Warns
        -----
        PredictionWarning
            Rows without any finite feature (left without a prediction), rows of an empty
            text (no token: predicted from no text at all), the table was
            extracted by another emofeat version than the training table,
            the table's features sit far from the training distribution, the predictions
            collapsed onto one class, or (a per-group standardised model) a speaker has fewer
            than ``MIN_ROWS_PER_GROUP`` rows in the table, or rows of one recording only
            (its windows or frames: one ``path``; one segment of a segment manifest), unless
            the model standardises that speaker with statistics stored at training
            (``GroupStandardScaler(seen_groups="fit")``, an id seen in training) (see
            :mod:`~emofeat.classifiers.compatibility`), or (such a model, ``new_groups``
            not given) the table has speakers of ids seen in training, or (such a model)
            a speaker's id is the same whole number as one training id but written
            otherwise (``"01"`` here, ``1`` in training), unless ``new_groups`` names it new.

        Raises
        ------
        DataError
            Other feature columns than the model's (missing or unexpected names), or (a
            per-group standardised model) the group column missing or empty for some rows.
        TypeError
            ``table`` is no FeatureTable (a DataFrame: ``emofeat.read_table(path)`` reads an
            output as one), or ``new_groups`` is neither a bool nor an iterable of ids.
        ValueError
            ``new_groups`` names ids that are no speaker of the table.
        """
        require_table(table)
        table = C.matched_by_name(table, self.feature_names)
        self.check_features(table)
        self.check_provenance(table, force=force)
        for said in (C.version_message(self.feature_provenance, table.provenance),
                     C.numbers_message(self.feature_provenance, table.provenance)):
            if said:
                warnings.warn(said, C.PredictionWarning, stacklevel=2)
        g, stored = (None, False) if self.groups is None else self._groups_of(table,
                                                                              new_groups)
        X = np.asarray(table.X, dtype=np.float64)
        X = np.where(np.isinf(X), np.nan, X)
        pred, proba, prefix = self._outputs(X, g)
        # a row without a single finite feature (a failed or silent segment) would be imputed
        # whole with the training medians and get the same confident-looking prediction as
        # every such row: it gets none
        blank = ~np.isfinite(X).any(axis=1)
        # classes are fitted as canonical strings ("3"); a table of integer (boolean) labels
        # gets integers (booleans) back, so that pred == table's target compares numbers,
        # not 3 == "3"
        kind = self.settings.get("label_kind") if self.task == "classification" else None
        typed = kind in ("int", "bool")
        if typed or kind == "float":  # float labels as the floats they were (2.0, not "2")
            pred = labels_as(pred, kind)
        if blank.any():
            if self.task == "classification" and kind != "float":
                pred = (pd.array(pred, dtype="Int64" if kind == "int" else "boolean") if typed
                        else pred.astype(object))
                pred[blank] = None
            else:
                pred[blank] = np.nan
            if proba is not None:
                proba[blank] = np.nan
            warnings.warn(C.blank_rows_message(np.flatnonzero(blank), len(X)),
                          C.PredictionWarning, stacklevel=2)
        # an empty text is a row of zeros, not a blank one: it gets the model's prediction for
        # no text at all, as confident-looking as any (a CARER model: "sadness" at 0.41)
        empty = C.empty_text_rows(list(self.feature_names), X) & ~blank
        if empty.any():
            warnings.warn(C.empty_text_message(np.flatnonzero(empty), len(X),
                                               np.asarray(pred, dtype=object)[empty]),
                          C.PredictionWarning, stacklevel=2)
        self._warn_if_short_or_silent(table, X, blank, np.asarray(pred, dtype=object))
        truth = self._mapped_truth(table)
        scores = [f"{prefix}{c}" for c in self.estimator.classes_] if proba is not None else []
        # an identity column named like an added one is kept, as "table_<name>"
        out = keep_identity_columns(table.index.reset_index(drop=True),
                                    (["true"] if truth is not None else []) + ["pred"] + scores
                                    ).copy()
        if truth is not None:
            out["true"] = truth
        out["pred"] = pred
        for j, col in enumerate(scores):
            out[col] = proba[:, j]
        self._warn_if_unreliable(X[~blank], out["pred"].to_numpy()[~blank], stored)
        out.attrs["emofeat_predictions"] = self._provenance_of(table, force)
        return out

    def _provenance_of(self, table, force: bool) -> dict[str, Any]:
        """Which model made the predictions, from which table: kept in the frame's ``attrs``
        and so in a parquet file written with ``to_parquet``."""
        import json
        from datetime import UTC, datetime

        from emofeat._version import __version__

        prov = table.provenance or {}
        record = {
            "created": datetime.now(UTC).isoformat(timespec="seconds"),
            "emofeat_version": __version__,
            "model": {"target": self.target, "task": self.task, "classes": self.classes,
                      "groups": self.groups, **self.settings,
                      "training_table": self.feature_provenance},
            "table": {k: prov.get(k) for k in ("fingerprint", "created", "emofeat_version",
                                               "level", "segments")},
            "forced": bool(force),
        }
        # plain JSON (model parameters may hold anything): what parquet metadata can keep
        return json.loads(json.dumps(record, default=str))

    def _mapped_truth(self, table) -> np.ndarray | None:
        """The table's target mapped with the model's named label map (``None``: no named
        map, no target column, or labels of no known corpus, with a warning): the raw labels
        of another corpus ("happiness") never equal the predicted taxonomy's ("joy")."""
        name = self.settings.get("label_map")
        if not isinstance(name, str) or name == "custom" or self.target not in table.index:
            return None
        from .label_maps import CORPORA, label_str, map_labels

        labels = table.index[self.target].reset_index(drop=True)
        # the training labels' corpus when the table's labels are of its vocabulary: detected
        # from a subset ("love", "joy", "neutral" of GoEmotions), they read as canonical names
        # and "love" would map to nothing
        corpus = self.settings.get("corpus")
        if corpus not in CORPORA or not {label_str(v) for v in labels.dropna()} <= set(
                CORPORA[corpus]):
            corpus = None
        try:
            return map_labels(labels, name, corpus=corpus).to_numpy()
        except ValueError as exc:
            warnings.warn(f"the table's {self.target!r} column is not mapped to the model's "
                          f"{name!r} labels (no 'true' column): {exc}", C.PredictionWarning,
                          stacklevel=3)
            return None

    def _outputs(self, X: np.ndarray, g: np.ndarray | None
                 ) -> tuple[np.ndarray, np.ndarray | None, str]:
        """Predictions, class probabilities or decision scores (``None``: neither) and the
        prefix of their columns. A table without rows gets none, with their columns (the
        estimators refuse an empty ``X``)."""
        classify = self.task == "classification"
        if not len(X):
            if not classify:
                return np.empty(0), None, "proba_"
            classes = self.estimator.classes_
            prefix = ("proba_" if hasattr(self.estimator, "predict_proba") else
                      "score_" if hasattr(self.estimator, "decision_function")
                      and not pairwise_scores(self.estimator) else None)
            return (np.empty(0, dtype=classes.dtype),
                    np.empty((0, len(classes))) if prefix else None, prefix or "proba_")
        fitted = FittedModel.of(self.estimator)
        # the threads it was trained on: predict ran k-NN's distances and logreg's products on
        # every core (OpenMP, OpenBLAS), where train and evaluate hold a named model to one
        with limited_threads(self._threads()):
            pred = fitted.predict(X, groups=g)
            # None for a model without probabilities (an SVC without probability=True)
            proba = fitted.predict_proba(X, groups=g) if classify else None
            prefix = "proba_"
            if proba is None and classify:
                # no probabilities (an SVC): the decision scores, to rank and threshold
                proba, prefix = fitted.decision_scores(X, groups=g), "score_"
        return pred, proba, prefix

    def _threads(self) -> int | None:
        """The BLAS/OpenMP threads of a named model, as :func:`train` gave them
        (:func:`~emofeat.classifiers.fitting.model_threads` of its recorded name and
        parameters); ``None`` (the libraries' own) for an estimator of your own, recorded by
        its class name."""
        name = self.settings.get("model")
        if not isinstance(name, str) or not any(
                name in list_models(task) for task in ("classification", "regression")):
            return None
        return model_threads(name, self.settings.get("model_params"))

    def _groups_of(self, table, new_groups: bool | Iterable[Any] | None = None
                   ) -> tuple[np.ndarray, bool]:
        """The group of every row for a per-group standardised model, the ids of
        ``new_groups`` renamed so that no scaler finds statistics stored for them, and
        whether any id of the table is standardised with statistics stored at training;
        warns on small groups and (``new_groups=None``) on ids whose stored statistics are
        used."""
        try:
            check_columns(table, self.groups)
        except DataError as exc:  # "no column 'speaker'" did not say why one was wanted
            raise DataError(
                f"{exc}: this model standardises each {self.groups} with the statistics of "
                f"its own rows (trained with per-{self.groups} standardisation) and needs "
                f"every row's {self.groups}") from None
        col = table.index[self.groups]
        missing = int(col.isna().sum())
        if missing:
            raise DataError(
                f"{missing} of {len(col)} rows have no {self.groups!r} value: this model "
                f"standardises each {self.groups} with the statistics of its own rows and "
                f"needs every row's {self.groups} (give recordings of an unknown "
                f"{self.groups} an id of their own, e.g. the session)")
        # '03' and 3 of one speaker would be standardised apart, each with half its rows
        refuse_mixed_ids(col, self.groups)
        refuse_written_two_ways(col, self.groups, harm=(
            f"two groups to this model's per-{self.groups} standardisation, each standardised "
            "apart with the statistics of its own rows"))
        g = col.astype(str).to_numpy()
        names, counts = np.unique(g, return_counts=True)
        # windows or frames of one recording are many rows, but their statistics are that
        # recording's: standardised with them, a recording loses its own level, the emotion
        # or state it holds (Muse, a subject's recordings predicted one at a time: accuracy
        # 0.27-0.33 of 3 states, 0.45-0.95 together)
        recordings, unit = _recordings_per_group(table, g)
        # a scaler with seen_groups="fit" standardises an id it saw in training with the
        # statistics stored then: its rows here set nothing, however few or of one recording
        from .models import groups_kept_from_fit

        stored = groups_kept_from_fit(self.estimator, every=False)
        count_of = dict(zip(names.tolist(), counts.tolist(), strict=True))
        if (isinstance(new_groups, Iterable)
                and not isinstance(new_groups, bool | np.bool_ | str | bytes)):
            # read once: a generator is used up by _new_groups, and the ids it named new
            # would then be warned of below as respelled training ids
            new_groups = list(new_groups)
        new = self._new_groups(new_groups, set(names.tolist()), stored, counts=count_of)
        # '03' here and 3 in training (one table's ids read as text, the other's as
        # integers) do not match as text: say so, unless told they are new speakers
        respelled = C.respelled_groups(set(names.tolist()), stored) if stored else {}
        if isinstance(new_groups, bool | np.bool_):
            respelled = {} if new_groups else respelled
        elif new_groups is not None:  # ids named new (checked by _new_groups)
            respelled = {k: v for k, v in respelled.items()
                         if k not in {str(i) for i in new_groups}}
        if respelled:
            warnings.warn(C.respelled_groups_message(self.groups, respelled, count_of),
                          C.PredictionWarning, stacklevel=3)
        kept = groups_kept_from_fit(self.estimator) - new
        # the collapse warning points to new_groups=True only where stored statistics were
        # used: not for a table of ids unseen in training, nor after new_groups=True
        used_stored = bool((set(names.tolist()) & stored) - new)
        small = {}
        for k, c in zip(names, counts, strict=True):
            if str(k) in kept:
                continue
            n_rec = None if recordings is None else int(recordings.get(k, 0))
            if c < C.MIN_ROWS_PER_GROUP or (n_rec == 1 and c > 1):
                small[str(k)] = (int(c), n_rec)
        if small:
            warnings.warn(C.small_groups_message(self.groups, small, unit),
                          C.PredictionWarning, stacklevel=3)
        if new:
            # an id no scaler stored statistics for: each scaler takes the rows' own, as for
            # any speaker it did not see (distinct ids stay distinct)
            taken = set(names.tolist()) | stored
            suffix = " (new)"
            while any(f"{k}{suffix}" in taken for k in new):
                suffix += "'"
            g = np.array([f"{k}{suffix}" if k in new else k for k in g.tolist()],
                         dtype=object)
        return g, used_stored

    def _new_groups(self, new_groups: bool | Iterable[Any] | None, names: set[str],
                    stored: frozenset[str], counts: dict[str, int]) -> set[str]:
        """The table's ids (as text) to standardise as new speakers; warns where
        ``new_groups`` is not given and ids seen in training take stored statistics."""
        seen = sorted(names & stored)
        if new_groups is None:
            if seen:
                warnings.warn(C.seen_groups_message(self.groups, {k: counts[k] for k in seen}),
                              C.PredictionWarning, stacklevel=4)
            return set()
        if isinstance(new_groups, bool | np.bool_):
            return set(seen) if new_groups else set()
        if isinstance(new_groups, str | bytes) or not isinstance(new_groups, Iterable):
            raise TypeError(f"new_groups must be True, False or an iterable of "
                            f"{self.groups} ids, got {new_groups!r}")
        # ids compared as text, as the table's column is (3 and "3" are one speaker)
        asked = {str(v) for v in new_groups}
        unknown = sorted(asked - names)
        if unknown:
            shown = C._first_five(list(map(repr, unknown)))
            raise ValueError(f"{option('new_groups', '--new-groups')} names "
                             f"{counted(len(unknown), 'id')} that "
                             f"{'is' if len(unknown) == 1 else 'are'} no {self.groups} of the "
                             f"table: {shown}")
        return asked & stored

    def _warn_if_short_or_silent(self, table, X: np.ndarray, blank: np.ndarray,
                                 pred: np.ndarray) -> None:
        """Warn on rows of a functionals table whose input was much shorter than every
        training input, or whose features are those of a constant signal (a silent file):
        each got a prediction as confident-looking as any (a RAVDESS model: 'fearful' for a
        silent file and for a 0.2 s clip, with equal scores)."""
        prov = table.provenance or {}
        if prov.get("modality") != "audio" or prov.get("level") == "lld":
            # a frame is short, and silent frames are part of every utterance; text features
            # (counts, mostly 0) take few distinct values in every row
            return
        paths = (table.index["path"].astype(str).to_numpy() if "path" in table.index
                 else None)
        shortest = self.settings.get("shortest_input_s")
        durations = C.input_durations(table.index)
        short = np.zeros(len(X), dtype=bool)
        if shortest and durations is not None:
            with np.errstate(invalid="ignore"):
                short = (durations < C.SHORT_INPUT_SHARE * shortest) & ~blank
            if short.any():
                warnings.warn(C.short_input_message(np.flatnonzero(short), len(X), durations,
                                                    shortest, paths, pred[short]),
                              C.PredictionWarning, stacklevel=3)
        silent = C.constant_signal_rows(X) & ~blank & ~short
        if silent.any():
            warnings.warn(C.constant_signal_message(np.flatnonzero(silent), len(X), paths,
                                                    pred[silent]),
                          C.PredictionWarning, stacklevel=3)

    def _warn_if_unreliable(self, X: np.ndarray, pred: np.ndarray,
                            stored: bool = False) -> None:
        """Warn on features far from the training distribution and on collapsed classes
        (``stored``: rows of the table were standardised with statistics stored at
        training, see :meth:`_groups_of`)."""
        # a per-group standardised model removes each speaker's level itself: the raw
        # features of a new corpus are expected to be shifted
        if self.feature_stats is not None and self.groups is None \
                and len(X) >= C.MIN_ROWS_SHIFT:
            median_z, worst = C.feature_shift(self.feature_stats, X, self.feature_names)
            if median_z > C.SHIFT_Z:
                warnings.warn(C.shift_message(median_z, worst), C.PredictionWarning,
                              stacklevel=3)
        if self.task == "classification" and self.class_shares:
            hit = C.class_collapse(pred, self.class_shares)
            if hit is not None:
                label, share = hit
                # stored: said "new_groups=True" of any model with a "fit" scaler, also
                # where no id of the table was seen in training or new_groups=True was given
                warnings.warn(C.collapse_message(
                    label, share, len(pred), self.class_shares.get(label, 0.0),
                    grouped=self.groups, stored=stored),
                    C.PredictionWarning, stacklevel=3)

    def save(self, path: str | os.PathLike) -> None:
        """Write the model with joblib (load with :func:`load_model`), to a temporary name
        renamed into place: an interrupted save leaves the previous file whole.

        Warns
        -----
        UserWarning
            The estimator holds a class or function defined in the running script or
            notebook (module ``__main__``): pickle stores its name only, so another process
            (``emofeat predict``) cannot load the file.
        """
        from emofeat.table import replace_into

        local = _defined_in_main(self.estimator)
        if local:
            warnings.warn(f"{path}: the model holds {', '.join(local)}, defined in the script "
                          f"or notebook that trains it (module __main__): {_MAIN_REMEDY}",
                          UserWarning, stacklevel=2)
        # '~' is the home folder, as in the CLI and a lexicon's path (os.path.expanduser:
        # '~name' with no such user stays as written)
        replace_into(os.path.expanduser(path), self._dump)

    def _dump(self, path: str | os.PathLike) -> None:
        import joblib

        joblib.dump({"format": FORMAT_VERSION, "model": self}, os.fspath(path))


#: what to do with a model holding classes of ``__main__`` (pickled by name only)
_MAIN_REMEDY = ("a process that does not define them, such as emofeat predict, cannot load "
                "the file; define them in a module of their own, imported by the training "
                "script and before load_model")


def _defined_in_main(estimator: Any) -> list[str]:
    """The classes and functions of ``estimator`` (its parameters, deeply: pipeline steps,
    a FunctionTransformer's ``func``) defined in module ``__main__``."""
    objs = [estimator]
    if hasattr(estimator, "get_params"):
        objs += list(estimator.get_params(deep=True).values())
    found = []
    for obj in objs:
        what = obj if callable(obj) and hasattr(obj, "__qualname__") else type(obj)
        name = what.__qualname__
        if getattr(what, "__module__", None) == "__main__" and name not in found:
            found.append(name)
    return found


def _corpus_of(labels, label_map: Any, corpus: str | None) -> str | None:
    """The corpus of the training labels a named label map was applied with (given, or
    detected as :func:`~emofeat.classifiers.label_maps.map_labels` detects it)."""
    if not isinstance(label_map, str):
        return None
    if corpus is not None:
        return corpus.lower()
    from .label_maps import detect_corpus, label_str

    return detect_corpus({label_str(v) for v in labels.dropna()})


def _label_mapping(labels, label_map: Any, corpus: str | None) -> dict[str, str | None] | None:
    """Each distinct training label (canonical string) and the class a label map took it to
    (``None``: dropped), as :func:`~emofeat.classifiers.validation.prepare` maps them;
    ``None`` without a label map."""
    if label_map is None:
        return None
    from .label_maps import label_str, map_labels

    given = pd.Series(labels, dtype=object).dropna().drop_duplicates()
    mapped = map_labels(given, label_map, corpus=corpus)
    to = {label_str(r): (None if m is None or str(m) == "None" else label_str(m))
          for r, m in zip(given, mapped, strict=True)}
    return {str(raw): to[str(raw)] for raw in sort_labels(list(to))}


def load_model(path: str | os.PathLike) -> TrainedModel:
    """Read a model written by :meth:`TrainedModel.save`.

    Warns
    -----
    PredictionWarning
        The model was written with another scikit-learn (or, for an XGBoost model, xgboost)
        version than the one installed: one warning naming the file and both versions, in
        place of scikit-learn's warning per pickled estimator.

    Raises
    ------
    DataError
        The file is not a model written by :meth:`TrainedModel.save`, is truncated or
        corrupt, or cannot be read with the installed libraries (or lacks a class of the
        script or notebook that trained it, module ``__main__``).
    """
    import joblib
    from sklearn.exceptions import InconsistentVersionWarning

    try:
        with warnings.catch_warnings(record=True) as caught:
            # scikit-learn's warnings per estimator are replaced by one naming the file
            warnings.simplefilter("always", InconsistentVersionWarning)
            obj = joblib.load(os.path.expanduser(os.fspath(path)))  # '~': as save()
    except FileNotFoundError:
        raise
    except (ImportError, AttributeError) as exc:
        if isinstance(exc, AttributeError) and "__main__" in str(exc):
            # a class of the script or notebook that trained the model, pickled by name only
            raise DataError(f"{path}: holds a class or function defined in the script or "
                            f"notebook that trained it ({exc}): {_MAIN_REMEDY}") from exc
        # a class the pickle names is gone or moved: written with other library versions
        raise DataError(f"{path}: cannot be read with the installed libraries "
                        f"({type(exc).__name__}: {exc}); it was probably written with other "
                        f"versions of emofeat, scikit-learn or xgboost: train it again with "
                        f"`emofeat train`") from exc
    except Exception as exc:  # unpickling garbage raises anything (KeyError, EOFError, ...)
        raise DataError(f"{path}: not a readable emofeat model file: truncated, corrupt or "
                        f"another kind of file ({type(exc).__name__})") from exc
    if isinstance(obj, dict) and isinstance(obj.get("format"), int) \
            and obj["format"] > FORMAT_VERSION:
        # fields this version does not know would be silently ignored, or missing
        raise DataError(f"{path}: a model file of format {obj['format']}, written by a newer "
                        f"emofeat than this one (reads format {FORMAT_VERSION}); upgrade "
                        f"emofeat or train the model again")
    if not isinstance(obj, dict) or not isinstance(obj.get("model"), TrainedModel):
        raise DataError(f"{path}: not an emofeat model file (written by `emofeat train`)")
    model = obj["model"]
    # a model of a selection of columns saved before b39743f records the sets it left out:
    # their parameters were compared with the table's (prosody.fmin of an mfcc model)
    from emofeat.table import _healed_sets

    model.feature_provenance = _healed_sets(model.feature_provenance, model.feature_names)
    _heal_own_group_column(model)
    pickled = None
    for w in caught:
        if isinstance(w.message, InconsistentVersionWarning):
            pickled = w.message.original_sklearn_version
        else:
            warnings.warn_explicit(w.message, w.category, w.filename, w.lineno)
    _warn_other_versions(path, model, pickled)
    return model


def _heal_own_group_column(model: TrainedModel) -> None:
    """Give a model file written before 4eaf989 the group column its own per-group scaler
    needs: ``train`` then kept ``groups`` only with ``standardize="group"``, so a pipeline
    of the user's holding a GroupStandardScaler was saved with ``groups=None`` (the column in
    ``settings["groups"]``) and every ``predict`` failed "transform needs groups=". The
    column is the one it was trained with, as a model trained now keeps it."""
    from .models import uses_groups

    column = model.settings.get("groups")
    if model.groups is None and isinstance(column, str) and uses_groups(model.estimator):
        model.groups = column
        if model.settings.get("standardize") is None:
            model.settings["standardize"] = "group"  # what the model does, as train records


def _warn_other_versions(path: str | os.PathLike, model: TrainedModel,
                         pickled_sklearn: str | None) -> None:
    """One warning when the libraries that hold the fitted model differ from the ones that
    wrote it (``pickled_sklearn``: the version scikit-learn found in the pickle): scikit-learn
    does not promise that a model unpickled by another version predicts the same."""
    saved = dict(model.settings.get("versions") or {})
    if pickled_sklearn:
        saved["sklearn"] = pickled_sklearn
    now = library_versions()
    libs = ["sklearn"] + (["xgboost"] if _uses_xgboost(model.estimator) else [])
    diffs = [f"{lib} {saved[lib]} (installed: {now.get(lib, 'none')})" for lib in libs
             if saved.get(lib) and saved[lib] != now.get(lib)]
    if diffs:
        warnings.warn(f"{path} was written with {', '.join(diffs)}: its predictions may differ "
                      f"from the ones it gave when saved; train it again with `emofeat train` "
                      f"with the installed versions", C.PredictionWarning, stacklevel=3)


def _uses_xgboost(estimator: Any) -> bool:
    """Whether a fitted estimator holds an XGBoost model anywhere: itself, a part at any
    depth (:func:`~.models.nested_parts`: a pipeline's steps, a nested pipeline's, a
    ColumnTransformer's or FeatureUnion's transformers) or an estimator a part takes as a
    parameter (``SelectFromModel(estimator=...)``, a stacking or voting ensemble's
    ``estimators``, ``OneVsRestClassifier(estimator=...)``). Only a pipeline's own steps were
    looked at: an XGBoost model in a nested pipeline or in a ColumnTransformer's feature
    selection loaded under another xgboost without a word."""
    from .models import _XGBBase, nested_parts

    def xgb(obj) -> bool:
        return isinstance(obj, _XGBBase) or type(obj).__module__.split(".")[0] == "xgboost"

    def held(value) -> list:
        # a parameter's estimators: itself, or inside lists of them or of (name, est, ...)
        if isinstance(value, list | tuple):
            return [e for v in value for e in held(v)]
        return [value] if hasattr(value, "get_params") else []

    todo, seen = list(nested_parts(estimator)), set()
    while todo:
        part = todo.pop()
        if id(part) in seen:
            continue
        seen.add(id(part))
        if xgb(part):
            return True
        params = part.get_params(deep=False) if hasattr(part, "get_params") else {}
        todo += [p for value in params.values() for e in held(value)
                 for p in nested_parts(e)]
    return False


def train(
    table,
    target: str,
    model: Any = None,
    *,
    groups: str | None = None,
    standardize: str | None = None,
    label_map: Any = None,
    corpus: str | None = None,
    model_params: dict[str, Any] | None = None,
    task: str = "auto",
    random_state: int = 0,
) -> TrainedModel:
    """Fit a model on every row of ``table`` (after the same checks as :func:`evaluate`).

    Parameters
    ----------
    table : FeatureTable
    target : str
    model : str or estimator, optional
        Default: ``svm`` for classes, ``svr`` for a numeric target (as ``task`` decides).
    groups : str, optional
        Speaker / subject column; required with ``standardize="group"`` (and then also in
        the tables given to :meth:`TrainedModel.predict`), and used for nothing else:
        without ``standardize="group"`` the model is the one trained without ``groups``,
        but for rows without a group, dropped (``emofeat train`` refuses ``--groups``
        alone).
    standardize : {None, "group"}
    label_map, corpus : optional
        As in :func:`evaluate`.
    model_params : dict, optional
    task : {"auto", "classification", "regression"}
    random_state : int

    Returns
    -------
    TrainedModel

    Warns
    -----
    UserWarning
        Among others: a ``GroupStandardScaler`` of the model has ``seen_groups="fit"``
        (the model keeps each training group's statistics and standardises the rows of an
        id seen in training with them at prediction time).
    """
    if standardize == "group" and groups is None:
        raise ValueError("standardize='group' needs groups=")
    prep = prepare(table, target, columns=(groups,), label_map=label_map, corpus=corpus,
                   task=task, verb="training")
    if prep.task == "multilabel":
        raise DataError(f"column {target!r} holds label sets: a multi-label model can be "
                        "evaluated (evaluate(..., task='multilabel')) but not yet trained and "
                        "saved with train()")
    from .evaluation import _model_groups, _warn_frames_scored_alone

    # as evaluate() says of its figures: a model of frames, where functionals give recordings
    _warn_frames_scored_alone(table, prep, training=True)
    # as evaluate() leaves them out: fitted, each was a sample of the training medians' row
    prep, blank = without_blank_rows(prep, training=True)
    model = default_model(model, prep.task)
    est = build_estimator(model, prep.task, standardize=standardize, model_params=model_params,
                          random_state=random_state)
    # a GroupStandardScaler in the user's own pipeline needs each row's group at prediction
    # too: the model keeps the column (it predicted nothing, "transform needs groups=")
    standardize = standardization(est, standardize, groups)
    _warn_fit_groups_kept(est, groups)
    if prep.task == "classification":
        check_class_weights(est, prep.y, label_map)
    g = None if groups is None else prep.index[groups].astype(str).to_numpy()
    if g is not None:
        # each speaker standardised over all its rows, those without a (mapped) label
        # included, as evaluate does and predict does over the rows it is given
        g = _model_groups(table, prep.rows, g, est, groups, standardize)
    # single-threaded, as in evaluate
    with limited_threads(model_threads(model, model_params)):
        fit_model(est, prep.X, prep.y, g)
    shares = None
    if prep.task == "classification":
        labels, counts = np.unique(prep.y, return_counts=True)
        shares = {str(k): float(c / len(prep.y)) for k, c in zip(labels, counts, strict=True)}
    return TrainedModel(
        estimator=est, feature_names=list(table.feature_names), target=target, task=prep.task,
        classes=(labels_as(sort_labels(prep.y), prep.label_kind).tolist()
                 if prep.task == "classification" else []),
        groups=groups if standardize == "group" else None,
        settings={
            "model": model_label(model),
            "model_params": dict(model_params or {}), "standardize": standardize,
            # the group column given (rows without a group were left out), with or without
            # standardize="group"
            "groups": groups,
            "label_map": label_map if isinstance(label_map, str | None) else "custom",
            "corpus": _corpus_of(table.index[target], label_map, corpus),
            # what the map did to each training label (a dict or function is not kept)
            "label_mapping": _label_mapping(table.index[target], label_map, corpus),
            "random_state": random_state, "n_train": int(len(prep.y)),
            "dropped_rows": prep.dropped, "rows_without_features": blank,
            "feature_sets": [s.get("name") for s in table.provenance.get("sets", [])],
            # "int" / "bool" / "float": predict hands such labels back of their type
            # (label_kind)
            "label_kind": prep.label_kind,
            # predict() warns on inputs much shorter than every training input
            "shortest_input_s": _shortest_input(table, prep.index),
            "versions": library_versions(),
            # a regression's target: what its predictions can be read against
            **({"target_summary": {"min": float(np.min(prep.y)), "max": float(np.max(prep.y)),
                                   "mean": float(np.mean(prep.y))}}
               if prep.task == "regression" else {}),
        },
        feature_provenance=C.feature_provenance(table.provenance),
        feature_stats=C.feature_stats(prep.X),
        class_shares=shares,
    )


def _warn_fit_groups_kept(estimator: Any, groups: str | None) -> None:
    """Warn once, at training, when a :class:`~.standardize.GroupStandardScaler` of the model
    has ``seen_groups="fit"``: the model then stores each training group's statistics, and
    :meth:`TrainedModel.predict` standardises the rows of an id seen in training with them,
    not with the rows' own, so another table's speaker of the same id (EmoDB's ``03`` and
    RAVDESS's actor ``03``) is standardised as this table's was (EmoDB speaker 16 renamed
    ``03``, a logreg model of the other nine: 16 of its 71 predictions differ from a
    default scaler's)."""
    from .models import group_column_of, scalers_keeping_fit_groups

    if not scalers_keeping_fit_groups(estimator):
        return
    noun = groups or group_column_of(estimator) or "group"
    warnings.warn(
        f"the model's GroupStandardScaler has seen_groups='fit': it keeps each training "
        f"{noun}'s statistics, and predict standardises the rows of a {noun} id seen in "
        f"training with them, not with those rows' own statistics, unless told that they are "
        f"new people (predict(table, new_groups=True): another corpus's {noun} '03' is not "
        f"this table's '03'; predict warns of such ids until told); leave seen_groups at "
        f"'own' to standardise every {noun} with its rows in the table predicted",
        UserWarning, stacklevel=3)


def _shortest_input(table, index) -> float | None:
    """Seconds of the shortest training input (``end - start`` of the rows used) of a
    functionals table; ``None`` for a frame-level table or without those columns."""
    if (table.provenance or {}).get("level") == "lld":
        return None
    d = C.input_durations(index)
    if d is None or not np.isfinite(d).any():
        return None
    return float(np.nanmin(d))


def _recordings_per_group(table, g: np.ndarray) -> tuple[pd.Series | None, str]:
    """How many recordings each group's rows are of (``None``: no ``path`` column), and what
    a recording is: a ``path`` (its ``--segment`` windows or frames are rows of one), or in
    a table of a segment manifest a ``path``, ``start`` and ``end`` (utterances cut from
    one long file are recordings of their own, each its own emotion; counted by path, a
    dialogue's utterances were one recording)."""
    index = table.index
    keys = C.recording_columns(table, index)
    if keys is None:
        return None, "recording"
    units = index[keys].reset_index(drop=True).assign(_group=g).drop_duplicates()
    return units.groupby("_group").size(), "recording" if len(keys) == 1 else "segment"
