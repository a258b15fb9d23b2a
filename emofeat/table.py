"""The feature table: one type that carries features from extractor to parquet to classifier.

A :class:`FeatureTable` holds

* ``X``: the feature matrix, one row per input (``functionals``) or per frame (``lld``);
* ``feature_names``: one name per column, saying what it is (``mfcc3_mean``);
* ``index``: the identity of each row, a DataFrame with ``path``, any manifest columns
  (``speaker``, ``emotion``, ...), segment ``start``/``end`` in seconds and, at frame level,
  ``frame`` and ``time``;
* ``provenance``: how the numbers were made (emofeat version, feature sets with their full
  parameters, level, sample rate, creation time, ...).

In parquet, identity columns and feature columns are stored side by side as ordinary columns,
and the roles and provenance go into the schema metadata under the key ``emofeat``, so any
parquet reader sees a plain table and emofeat reads back an equal :class:`FeatureTable`.
"""

from __future__ import annotations

import copy
import json
import math
import os
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np

from ._numbers import numbers_changes, numbers_differ
from ._wording import NFC_NAMES_SINCE, alike_in_nfc, counted, names_shown, noun

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

# pandas is imported where a DataFrame is made or read, not with this module: the
# ``emofeat extract`` command writes tables without one (emofeat.columns)

METADATA_KEY = b"emofeat"
#: where :meth:`FeatureTable.to_pandas` leaves the provenance in ``DataFrame.attrs``
ATTRS_KEY = "emofeat"
SCHEMA_VERSION = 1


def _naming_pyarrow(arrow):
    """``arrow`` (:meth:`FeatureTable.to_arrow`'s) whose provenance's ``environment`` names
    the pyarrow that writes it to parquet, as a run's output does (a table in memory names
    none); a version an earlier writer recorded stays beside it. Unchanged where the
    provenance has no environment (a table not made by a run)."""
    import pyarrow as pa

    from ._libraries import merged

    meta = dict(arrow.schema.metadata or {})
    try:
        info = json.loads(meta[METADATA_KEY])
        environment = info["provenance"]["environment"]
    except (KeyError, TypeError, ValueError):
        return arrow
    if not isinstance(environment, dict):
        return arrow
    old = environment.get("pyarrow")
    found = [{"pyarrow": v} for v in old.split(", ")] if isinstance(old, str) else []
    environment["pyarrow"] = merged([*found, {"pyarrow": pa.__version__}])["pyarrow"]
    meta[METADATA_KEY] = json.dumps(info).encode()
    return arrow.replace_schema_metadata(meta)


@dataclass(eq=False)
class FeatureTable:
    """Features with their names, row identity and provenance.

    Parameters
    ----------
    X : ndarray, shape (n_rows, n_features)
    feature_names : sequence of str, length n_features
    index : DataFrame, n_rows rows, optional
        Row identity; a default one with no columns is made if omitted.
    provenance : dict, optional
        JSON-serialisable description of how the features were made.
    """

    X: np.ndarray
    feature_names: list[str]
    index: pd.DataFrame = field(default=None)  # type: ignore[assignment]
    provenance: dict[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        import pandas as pd

        X = np.asarray(self.X)
        if X.ndim != 2:
            raise ValueError(f"X must be 2-D, got shape {X.shape}")
        if X.dtype.kind not in "fiub":
            # as from_pandas: strings or objects here failed later, in a model's fit
            raise ValueError(f"X must be numeric, got dtype {X.dtype}")
        self.X = X
        self.feature_names = [str(n) for n in self.feature_names]
        if len(self.feature_names) != X.shape[1]:
            raise ValueError(f"{len(self.feature_names)} feature names for {X.shape[1]} columns")
        if len(set(self.feature_names)) != len(self.feature_names):
            dup = pd.Index(self.feature_names)
            raise ValueError(f"duplicate feature names: {sorted(set(dup[dup.duplicated()]))[:5]}")
        if self.index is None:
            self.index = pd.DataFrame(index=pd.RangeIndex(X.shape[0]))
        else:
            self.index = pd.DataFrame(self.index).reset_index(drop=True)
            if not self.index.columns.is_unique:
                dup = self.index.columns[self.index.columns.duplicated()]
                raise ValueError(f"duplicate identity column names: {sorted(map(str, set(dup)))}")
            if not all(isinstance(c, str) for c in self.index.columns):
                # parquet column names are strings: a column 0 would be written as "0" and
                # not found again under 0 when the file is read
                names = [str(c) for c in self.index.columns]
                if len(set(names)) != len(names):
                    raise ValueError(f"identity column names collide as strings: "
                                     f"{list(self.index.columns)}")
                self.index = self.index.set_axis(names, axis=1)
        if len(self.index) != X.shape[0]:
            raise ValueError(f"index has {counted(len(self.index), 'row')}, X has {X.shape[0]}")
        clash = set(self.index.columns) & set(self.feature_names)
        if clash:
            raise ValueError(f"names used both as identity and feature columns: {sorted(clash)}")

    @classmethod
    def _of_checked(cls, X: np.ndarray, feature_names: list[str], index: pd.DataFrame,
                    provenance: dict[str, Any],
                    name_set: frozenset[str] | None = None,
                    index_names: list[str] | None = None) -> FeatureTable:
        """A table from parts already checked by the caller (the runner): ``X`` 2-D,
        ``feature_names`` distinct ``str``, ``index`` a fresh frame with a ``RangeIndex``;
        the row count and identity/feature clashes are still checked. A tenth of the
        constructor's time on thousands of names (a copy of the index and a set of names
        less). ``name_set``: ``frozenset(feature_names)`` when the caller has it (the
        clash check then looks up the few identity columns, not every name); ``index_names``:
        the index's column names when the caller has them as a list (what iterating the
        index's columns gives)."""
        if len(index) != X.shape[0] or len(feature_names) != X.shape[1]:
            raise ValueError(f"index has {counted(len(index), 'row')} and "
                             f"{counted(len(feature_names), 'name')}, "
                             f"X has shape {X.shape}")
        columns = index.columns if index_names is None else index_names
        clash = (set(columns).intersection(feature_names) if name_set is None
                 else {c for c in columns if c in name_set})
        if clash:
            raise ValueError(f"names used both as identity and feature columns: {sorted(clash)}")
        table = cls.__new__(cls)
        table.X, table.feature_names = X, list(feature_names)
        table.index, table.provenance = index, provenance
        return table

    # ----------------------------------------------------------------- basic views
    @property
    def shape(self) -> tuple[int, int]:
        return self.X.shape

    def __len__(self) -> int:
        return self.X.shape[0]

    def __repr__(self) -> str:
        sets = ",".join(s.get("name", "?") for s in self.provenance.get("sets", [])) or "?"
        return (
            f"FeatureTable({counted(self.X.shape[0], 'row')} x "
            f"{counted(self.X.shape[1], 'feature')}, sets={sets}, "
            f"level={self.provenance.get('level', '?')}, identity={list(self.index.columns)})"
        )

    def column(self, name: str) -> pd.Series:
        """An identity column (``speaker``, ``emotion``, ...) or a feature column by name."""
        if name in self.index.columns:
            return self.index[name]
        if name in self.feature_names:
            import pandas as pd

            return pd.Series(self.X[:, self.feature_names.index(name)], name=name)
        raise KeyError(
            f"no column {name!r}; identity columns: {list(self.index.columns)}, "
            f"and {len(self.feature_names)} feature columns"
        )

    def to_pandas(self) -> pd.DataFrame:
        """Identity columns followed by feature columns, as one DataFrame.

        The provenance and the feature names go with it, as JSON in
        ``df.attrs["emofeat"]`` (``{"feature_names": [...], "provenance": {...}}``), which
        pandas carries through most operations on the frame (selecting rows or columns,
        sorting, adding a column, ``concat`` of frames with the same attrs, ``to_parquet``
        then ``read_parquet``; not ``merge`` with a frame without them, nor CSV), so that
        :meth:`from_pandas` gives the table its provenance back. ``groupby`` keeps them
        too: the identity columns and their kinds are recorded beside, so that a frame
        aggregated over rows (one whose row keys are gone, or whose integer columns became
        floats) gets none. A string, not a dict: pandas deep-copies ``attrs`` into every frame
        and column an operation makes (2 ms a column of 6000 names, against 0.015 ms).
        """
        import pandas as pd

        feats = pd.DataFrame(self.X, columns=self.feature_names)
        df = pd.concat([self.index.reset_index(drop=True), feats], axis=1)
        if self.provenance:
            df.attrs[ATTRS_KEY] = json.dumps(
                {"feature_names": self.feature_names, "provenance": self.provenance,
                 "identity": {c: _column_kind(t) for c, t in self.index.dtypes.items()}},
                default=_json_default)
        return df

    @classmethod
    def from_pandas(
        cls,
        df: pd.DataFrame,
        feature_names: Sequence[str],
        provenance: dict[str, Any] | None = None,
    ) -> FeatureTable:
        """Split a DataFrame into feature columns (``feature_names``) and identity columns.

        Parameters
        ----------
        df : DataFrame
        feature_names : sequence of str
            The feature columns, in order; every other column of ``df`` is an identity column.
        provenance : dict, optional
            How the features were made. By default the provenance :meth:`to_pandas` left in
            ``df.attrs["emofeat"]``, without ``n_inputs`` and ``n_failed`` (stale once rows
            are selected), when every one of ``feature_names`` is a feature column it
            recorded (a subset, as :meth:`select` keeps it, and, as it does, recording only
            the sets of the columns kept) and the rows are still the
            table's: its row keys (``path``, ``text``, ``occurrence``, ``signal_key``,
            ``start``, ``end``, ``epoch``, ``frame``, ``time``, those it had) are identity
            columns of ``df``, and no identity column it had changed kind (an integer column
            become float by a mean; not a float column made ``Int64`` by ``convert_dtypes()``,
            a lossless change); attrs written before the identity columns were
            recorded: the row keys every table of that provenance has (the input, the frame,
            the segment). None for a frame
            without it, when a feature column is not one of those (added or renamed since:
            the provenance would claim it), or for rows aggregated by ``groupby`` (which
            keeps ``attrs``: per-file means of frames are no frames). Values changed in
            pandas under the same names (z-scoring) and an aggregation that keeps every row
            key with its kind are not detected: pass ``provenance=``. ``{}``: no provenance.

        Returns
        -------
        FeatureTable
            ``X`` has the float columns' own dtype when every feature column is a NumPy float
            column (a float32 table stays float32), else float64: integer and boolean columns
            (nullable ones too, a missing value becoming NaN) are converted to float64.

        Raises
        ------
        KeyError
            A name of ``feature_names`` is not a column of ``df``.
        ValueError
            If a feature column is not numeric (strings, objects, categories, dates, complex).
        """
        from pandas.api.types import is_bool_dtype, is_float_dtype, is_integer_dtype

        if isinstance(feature_names, str):
            feature_names = [feature_names]  # one name, not its characters (as select)
        feature_names = list(feature_names)
        absent = [n for n in feature_names if n not in df.columns]
        if absent:
            # pandas said "['nope'] not in index", or listed the characters of one name
            raise KeyError(f"{counted(len(absent), 'name')} of feature_names not among the "
                           f"frame's columns: {absent[:5]}{' ...' if len(absent) > 5 else ''}"
                           f" (the frame has {counted(len(df.columns), 'column')})")
        names = set(feature_names)
        ident = [c for c in df.columns if c not in names]
        feats = df[feature_names]
        dtypes = list(feats.dtypes.items())
        # an object column would make X an object array that sklearn and parquet choke on
        # far from here, and a string column one of labels taken for features
        bad = [f"{c!r} ({t})" for c, t in dtypes
               if not (is_float_dtype(t) or is_integer_dtype(t) or is_bool_dtype(t))]
        if bad:
            raise ValueError(
                f"feature columns must be numeric; not numeric: {', '.join(bad[:10])}"
                f"{f' and {len(bad) - 10} more' if len(bad) > 10 else ''}. Convert them "
                f"(df.astype(float)) or leave them out of feature_names to keep them as "
                f"identity columns")
        if dtypes and all(isinstance(t, np.dtype) and t.kind == "f" for _, t in dtypes):
            X = feats.to_numpy()
        else:
            # integers, booleans and nullable or Arrow-backed columns (their missing values
            # NaN); no column at all: float64, not the object array pandas gives for (n, 0)
            X = feats.to_numpy(dtype=np.float64, na_value=np.nan)
        if provenance is None:
            provenance = _provenance_in_attrs(df, names, ident)
        index = df[ident].reset_index(drop=True)
        # the table's provenance is its own: not kept twice, stale once it changes
        index.attrs.pop(ATTRS_KEY, None)
        return cls(X=X, feature_names=feature_names, index=index, provenance=dict(provenance))

    def select(self, features: Sequence[str] | None = None, rows=None) -> FeatureTable:
        """A table with a subset of feature columns and/or rows (mask, positions, one position
        or a slice).

        The provenance records the sets of the columns kept: a set whose every column was left
        out is removed from ``provenance["sets"]`` (a set's columns are those whose names begin
        with the set's name), so that ``info``, a model trained on the table and its checks of
        the tables it is given claim no set that is not there. Rows selected other than all
        of them in order, the provenance has no ``n_inputs`` and ``n_failed``: they count the
        inputs and failures of the run that made the table, and 100 rows of a 1,440-file run
        would claim them as their own (:meth:`from_pandas` and :meth:`concat` leave them out
        too); every row in order (``rows=slice(None)``, a mask of all True) is the table.

        Raises
        ------
        ValueError
            A name in ``features`` is not a feature column (an identity column is said so),
            or a mask of ``rows`` holds missing values (a comparison of a nullable column).
        """
        if features is None:
            cols = np.arange(self.X.shape[1])
        else:
            if isinstance(features, str):
                features = [features]  # one name, not its characters
            position = {name: j for j, name in enumerate(self.feature_names)}
            unknown = [f for f in features if f not in position]
            if unknown:
                ident = [f for f in unknown if f in self.index.columns]
                raise ValueError(
                    f"{counted(len(unknown), 'name')} not among the feature columns: "
                    f"{unknown[:5]}{' ...' if len(unknown) > 5 else ''}"
                    + (f" ({ident[:5]} are identity columns)" if ident else "")
                    + f"; the table has {len(self.feature_names)} feature columns")
            cols = np.array([position[f] for f in features], dtype=int)
        import pandas as pd

        dtype = getattr(rows, "dtype", None)
        # a mask that can hold missing values: pandas' boolean, pyarrow's bool[pyarrow] (a
        # frame read with dtype_backend="pyarrow"), an object column of True/False/NA
        missing = (np.asarray(pd.isna(rows), dtype=bool)
                   if isinstance(dtype, pd.api.extensions.ExtensionDtype)
                   or (dtype is not None and np.dtype(dtype) == object) else None)
        floats = dtype is not None and pd.api.types.is_float_dtype(dtype)
        if floats and missing is None:
            missing = np.isnan(np.asarray(rows, dtype=float))  # float positions with NaN
        if missing is not None and missing.any() and (
                floats or pd.api.types.is_integer_dtype(dtype)
                or pd.api.types.infer_dtype(rows, skipna=True)
                in ("integer", "floating", "mixed-integer-float")):
            raise ValueError(  # positions, not a mask: fillna(False) would pick row 0
                f"the row positions hold {counted(int(missing.sum()), 'missing value')}: "
                "leave them out, e.g. rows=positions.dropna()")
        if missing is not None and missing.any():  # (pd.isna of a scalar: no mask)
            # NumPy said only "arrays used as indices must be of integer (or boolean) type"
            raise ValueError(
                f"the row mask holds {counted(int(missing.sum()), 'missing value')} "
                "(a comparison of a column with missing values, such as a nullable age > 30): "
                "say whether those rows are kept, e.g. rows=mask.fillna(False)")
        if missing is not None:  # NumPy's own bools or positions (it refuses object arrays)
            rows = np.asarray(list(rows))
        r = (slice(None) if rows is None else rows if isinstance(rows, slice)
             else np.atleast_1d(rows))  # one position: a table of that row
        if isinstance(r, np.ndarray) and r.size == 0:
            r = r.astype(np.intp)  # np.asarray([]) is float: no rows, not a bad index
        names = [self.feature_names[i] for i in cols]
        provenance = copy.deepcopy(self.provenance)  # no nested dict shared
        if features is not None:
            # the sets whose every column was left out: info, a model's record and its
            # provenance checks claimed them (the mfcc columns of an mfcc,prosody table
            # refused for prosody parameters they were not made with)
            _drop_unselected_sets(provenance, self.feature_names, names)
        X = self.X[r][:, cols]  # a bad row index is numpy's error, before it is compared
        if rows is not None and not _every_row(len(self.X), r):
            _drop_run_counts(provenance)
        return FeatureTable(
            X=X,
            feature_names=names,
            index=self.index.iloc[r] if rows is not None else self.index,
            provenance=provenance,
        )

    def equals(self, other: object) -> bool:
        """Equal matrices (NaN equal to NaN), names, identity and provenance."""
        if not isinstance(other, FeatureTable):
            return False
        return (
            self.feature_names == other.feature_names
            and self.X.shape == other.X.shape
            and self.X.dtype == other.X.dtype
            and np.array_equal(self.X, other.X, equal_nan=True)
            and self.index.equals(other.index)
            and list(self.index.columns) == list(other.index.columns)
            and _json_equal(_jsonable(self.provenance), _jsonable(other.provenance))
        )

    # ----------------------------------------------------------------- combining
    @classmethod
    def concat(cls, tables: Sequence[FeatureTable]) -> FeatureTable:
        """Stack tables with the same feature names row-wise (provenance of the first,
        without its run's ``n_inputs`` and ``n_failed`` when more than one table holds rows:
        they counted that run's inputs, not the stack's rows; where one table holds every
        row, the others empty, the stack is that table, provenance and all).

        Warns
        -----
        ~emofeat.errors.SharedIdWarning
            Two tables whose recordings lie in separate folders, neither inside the other,
            share a ``speaker``, ``subject``, ``actor`` or ``participant`` id: one person to
            evaluation and per-speaker standardisation. Two corpora (RAVDESS's actor ``03``,
            EmoDB's speaker ``03``) want a prefix on each one's ids; sibling folders of one
            corpus (RAVDESS's speech and song) share their people rightly. The ids are left as
            they are. Tables without file paths (in-memory inputs, texts) and a relative
            path beside an absolute one are not compared.
        UserWarning
            Some tables record no provenance and others do: the stack has none, since the
            others' would describe rows it does not.

        Raises
        ------
        ValueError
            Other feature names, or another extraction recorded in the provenance (the
            parameters of a set both record, the level, the segmentation, the modality,
            EEG rates more than 2 % apart, ``EEG_RATE_RTOL``, a set's numbers version); an
            identity column held as text and as numbers (``'03'`` in one table, ``3`` in a
            table read from CSV: two groups to evaluation, and no parquet column), named with
            the tables and an example pair."""
        tables = list(tables)
        stacked = cls._stack(tables)
        full = [t for t in tables if len(t)]
        if len(full) == 1 and full[0].provenance:
            # the empty start of an accumulation beside one table: the rows are that
            # table's, and so is their record (an empty table's run described none of them)
            stacked.provenance = copy.deepcopy(full[0].provenance)
        elif len(tables) > 1:
            _drop_run_counts(stacked.provenance)
        # a table of no rows without provenance (the empty start of an accumulation)
        # describes none: it neither strips the others' provenance nor gives its own
        unknown = [k + 1 for k, t in enumerate(tables) if not t.provenance and len(t)]
        if unknown and any(t.provenance for t in tables):
            import warnings

            # the first table's provenance claimed the rows of one that records none (a
            # frame of features read from CSV): a model's check passed them, and the stack
            # had a provenance or none by the order it was given in
            warnings.warn(
                f"{noun(len(unknown), 'table', 'tables')} {', '.join(map(str, unknown[:5]))}"
                f"{' ...' if len(unknown) > 5 else ''} of {len(tables)} "
                f"{noun(len(unknown), 'records', 'record')} no provenance "
                "(how the features were made: a table built in memory, from_pandas of a "
                "frame without it): the stack has none, since the others' describes only "
                "their rows, and a model trained on it cannot check how the tables it "
                "predicts were made; keep the provenance by extracting with emofeat, or by "
                "moving tables as parquet (to_parquet, or pandas' to_parquet of to_pandas(), "
                "which keeps it), not CSV", UserWarning, stacklevel=2)
            stacked.provenance = {}
        mixed = _mixed_ids_across([t.index for t in tables])
        if mixed:
            raise ValueError(mixed)
        merged = _shared_person_ids([(f"table {k + 1}", t.index)
                                     for k, t in enumerate(tables)])
        if merged:
            import warnings

            from .errors import SharedIdWarning

            warnings.warn(merged, SharedIdWarning, stacklevel=2)
        return stacked

    @classmethod
    def _stack(cls, tables: list[FeatureTable]) -> FeatureTable:
        """:meth:`concat` without the check of shared person ids, for the runner's work
        chunks: parts of one input list, not sources (checked, they warned or not by how
        ``n_jobs`` or Dask cut the list)."""
        import pandas as pd

        if not tables:
            raise ValueError("no tables to concatenate")
        names = tables[0].feature_names
        # the tables' extraction compared with the first one that records it (an empty
        # start without provenance compared nothing with the tables after it), by the
        # positions given
        ref, first = next(((k, t.provenance) for k, t in enumerate(tables, start=1)
                           if t.provenance), (1, {}))
        for k, t in enumerate(tables[1:], start=2):
            if t.feature_names != names:
                # which table, and how its names differ (it said neither: the same names in
                # another order, or an n_mfcc=20 table's 357 more, read alike)
                raise ValueError(f"table {k} has other feature names than table 1 and "
                                 f"cannot be stacked: {_names_differ(names, t.feature_names)}")
        ruled = None  # the segments' record with the tail rule, where the first lacks it
        ruled_at: tuple[int, dict[str, Any]] = (0, {})  # the table holding it
        for k, t in enumerate(tables, start=1):
            other = t.provenance or {}
            if k != ref and other is not first:
                # same names, other parameters (sr, n_fft, level...): the result would carry
                # the first table's provenance and pass a model's provenance check unseen
                differ = [k for k in EXTRACTION_KEYS if k in first and k in other
                          and (_sets_differ(first[k], other[k]) if k == "sets"
                               else first[k] != other[k])]
                if differ == ["segments"] and _tail_rule_moot(first, other,
                                                              tables[ref - 1], t):
                    differ = []
                    # the stack's rows are as cut now (whole recordings: None before)
                    if isinstance(other["segments"], dict) and "tail" in other["segments"]:
                        ruled, ruled_at = other["segments"], (k, other)
                shown = [_difference(k, first[k], other[k]) for k in differ]
                if "segments" in differ:
                    shown = [_tail_rule_differs(ref, first, k, other, said,
                                                (tables[ref - 1], t))
                             if d == "segments" else said
                             for d, said in zip(differ, shown, strict=True)]
                numbers = numbers_changes(first.get("sets"), other.get("sets"))
                if numbers:
                    # same parameters, other numbers (a set's fix): the stack would keep
                    # the first table's version and pass a model's check unseen
                    shown.append(f"{numbers_differ(numbers)}: the same parameters computed "
                                 "otherwise by another emofeat; extract the older table "
                                 "again")
                if rate_difference(first.get("sfreq"), other.get("sfreq")):
                    # same names at another rate: the first's rate would pass a model's check
                    shown.append(f"sampling rate {rates_text(first['sfreq'], other['sfreq'])}")
                if shown:
                    shown = "; ".join(shown)
                    raise ValueError(f"tables {ref} and {k} were extracted differently "
                                     f"({shown}) "
                                     "and cannot be stacked")
        provenance = copy.deepcopy(first)  # no nested dict shared
        if ruled is not None:
            # every table recorded as the first, without the rule, takes the stack's record:
            # each must hold rows the rule gives (the first's were checked above, the others,
            # equal records, were not: an older table with a short stretch beside longer
            # ones was stacked under the rule)
            # (a table recording nothing is not one of them: the stack warns of it below;
            # a table sharing the first's record object is, its rows may be others)
            j, rule_record = ruled_at
            for k, t in enumerate(tables, start=1):
                was = t.provenance
                if (k != ref and was and was.get("segments") is None
                        and not _tail_rule_moot(was, rule_record, t, None)):
                    said = _tail_rule_differs(k, was, j, rule_record, _difference(
                        "segments", was.get("segments"), rule_record.get("segments")),
                        (t, tables[j - 1]))
                    low, high = sorted((k, j))
                    raise ValueError(f"tables {low} and {high} were extracted differently "
                                     f"({said}) and cannot be stacked")
            provenance["segments"] = copy.deepcopy(ruled)
        return cls(
            X=np.concatenate([t.X for t in tables], axis=0),
            feature_names=list(names),
            index=pd.concat([t.index for t in tables], ignore_index=True),
            provenance=provenance,
        )

    # ----------------------------------------------------------------- parquet
    def to_arrow(self):
        """A ``pyarrow.Table``: identity and feature columns, roles and provenance in metadata."""
        import pyarrow as pa

        try:
            ident = pa.Table.from_pandas(self.index.reset_index(drop=True),
                                         preserve_index=False)
        except (pa.ArrowTypeError, pa.ArrowInvalid) as exc:
            raise ValueError(_unwritable_columns(self.index) or str(exc)) from exc
        columns = np.ascontiguousarray(self.X.T)  # one contiguous row per feature column
        arrays = list(ident.columns) + [pa.array(columns[j]) for j in range(columns.shape[0])]
        names = list(ident.column_names) + self.feature_names
        meta = dict(ident.schema.metadata or {})
        meta[METADATA_KEY] = json.dumps(
            {
                "schema_version": SCHEMA_VERSION,
                "index_columns": list(self.index.columns),
                "feature_names": self.feature_names,
                "dtype": self.X.dtype.str,
                "provenance": _jsonable(self.provenance),
                # only when there is something to say: a batch run's parts (columns.part_schema)
                # have the same metadata as a table of theirs written here
                **({"column_kinds": kinds} if (kinds := _column_kinds(self.index)) else {}),
            }
        ).encode()
        if not arrays:
            # no identity and no feature column: ``from_arrays([])`` has 0 rows, and so has
            # a table without columns after ``replace_schema_metadata``, while one selected
            # out of a column keeps the column's row count (and the metadata given with it)
            return pa.table({"_": pa.nulls(len(self))}, metadata=meta).select([])
        return pa.Table.from_arrays(arrays, names=names).replace_schema_metadata(meta)

    def to_parquet(self, path: str | os.PathLike, **kwargs: Any) -> None:
        """Write the table to ``path`` atomically (temporary file, then rename); a leading
        ``~`` is the home folder.

        Extra keyword arguments go to :func:`pyarrow.parquet.write_table`
        (e.g. ``compression="zstd"``).

        Raises
        ------
        ValueError
            If the table has rows but neither identity nor feature columns: a parquet file
            without columns holds no row count (it would read back with no rows); an identity
            column that mixes kinds of value (text and integer ids), named.
        """
        import pyarrow.parquet as pq

        if len(self) and not len(self.index.columns) and not self.feature_names:
            raise ValueError(
                f"a table of {len(self)} rows without identity or feature columns cannot be "
                f"written to parquet: a file without columns keeps no row count and would read "
                f"back with 0 rows; keep an identity column (e.g. 'path') or a feature")
        arrow = _naming_pyarrow(self.to_arrow())
        # '~' is the home folder, as for a model's save() and on the command line
        replace_into(os.path.expanduser(os.fspath(path)),
                     lambda tmp: pq.write_table(arrow, tmp, **kwargs))

    @classmethod
    def from_arrow(cls, table) -> FeatureTable:
        """The table :meth:`to_arrow` made, or a file's contents read with pyarrow.

        Parameters
        ----------
        table : pyarrow.Table
            Columns and emofeat's schema metadata (key ``emofeat``: feature names, identity
            columns and their kinds, provenance), as :meth:`to_arrow` and
            :meth:`to_parquet` write them.

        Returns
        -------
        FeatureTable
            Equal to the table written (:meth:`equals`). A column the metadata does not
            name (a label appended with pyarrow) is read as an identity column.

        Raises
        ------
        ValueError
            The schema holds no emofeat metadata (a pyarrow operation such as
            ``Table.rename_columns`` drops it: the message says how to keep it), a column
            the metadata names is missing, a column name is held twice, or a feature column
            holds no numbers.
        """
        import pandas as pd

        meta = (table.schema.metadata or {}).get(METADATA_KEY)
        if meta is None:
            raise ValueError(_not_a_table(table.schema.metadata or {}))
        info = json.loads(meta)
        names = info["feature_names"]
        ident_cols = list(info["index_columns"])
        _refuse_repeated_columns(table.column_names)
        have = set(table.column_names)
        missing = [c for c in [*ident_cols, *names] if c not in have]
        if missing:
            # a column dropped by another tool (which kept the metadata), a partition column
            raise ValueError(f"the file lacks {counted(len(missing), 'column')} its emofeat "
                             f"metadata names: {missing[:5]}"
                             f"{' ...' if len(missing) > 5 else ''}")
        # columns another tool added (a label joined with pyarrow): identity columns, kept
        named = set(ident_cols) | set(names)
        ident_cols += [c for c in table.column_names if c not in named]
        pandas_meta = {k: v for k, v in table.schema.metadata.items() if k == b"pandas"}
        ident = table.select(ident_cols).replace_schema_metadata(pandas_meta)
        index = ident.to_pandas() if ident_cols else pd.DataFrame(index=pd.RangeIndex(len(table)))
        if ident_cols:
            _restore_object_strings(index, ident, pandas_meta.get(b"pandas"))
            _restore_kinds(index, ident, info.get("column_kinds") or {})
        _refuse_non_numeric_features(table.schema, names)
        dtype = np.dtype(info.get("dtype", "<f8"))
        X = np.empty((table.num_rows, len(names)), dtype=dtype)
        for j, name in enumerate(names):
            X[:, j] = table.column(name).to_numpy(zero_copy_only=False)
        return cls(X=X, feature_names=names, index=index,
                   provenance=_healed_sets(info["provenance"], names))

    @classmethod
    def read_parquet(cls, path: str | os.PathLike) -> FeatureTable:
        """Read a table written by :meth:`to_parquet` or a batch run: a file, or a dataset
        folder of parts (read in part order, with the folder's ``_common_metadata``); a
        leading ``~`` is the home folder.

        Raises
        ------
        FileNotFoundError
            No file or folder at ``path``.
        ValueError
            A file that is no table of emofeat's (no metadata, a column it names missing, a
            column name held twice, a feature column that holds no numbers); the message
            starts with ``path``.
        """
        import pyarrow.parquet as pq

        path = os.path.expanduser(os.fspath(path))  # '~': as load_model and the commands
        folder = os.path.isdir(path)
        if folder or not os.path.exists(path):
            from .store import unfinished_file_output

            # an interrupted run into a file output: the same run finishes it
            unfinished = unfinished_file_output(path)
            if unfinished is not None:
                raise (ValueError if folder else FileNotFoundError)(unfinished)
        if folder:
            from .store import read_dataset

            arrow = read_dataset(path)
        elif not os.path.exists(path):  # pyarrow's FileNotFoundError said only the path
            raise FileNotFoundError(f"no such file or folder: {os.fspath(path)!r} (a features "
                                    "table emofeat extract wrote: .parquet, or its folder)")
        else:  # a dataset folder's schema file or one of its parts, given as the table
            from .store import check_dataset_piece

            check_dataset_piece(path)
        try:
            if not folder:
                # pyarrow reads no file of a column name written twice: its "Multiple
                # matches for FieldRef.Name(speaker)" was followed by the whole schema
                _refuse_repeated_columns(pq.read_schema(os.fspath(path)).names)
                arrow = pq.read_table(os.fspath(path))
            return cls.from_arrow(arrow)
        except ValueError as exc:
            # what is wrong with the file, said of the file (from_arrow has no name for it)
            raise ValueError(f"{os.fspath(path)}: {exc}") from exc


#: the provenance entries that say how features were extracted (FeatureTable.concat)
EXTRACTION_KEYS = ("modality", "level", "sets", "segments")
#: EEG rates (provenance ``sfreq``: the rate the sets were fitted at) further apart than
#: this (relative) are another extraction: estimates of one device's rate differ by clock
#: drift and dropped samples (the Muse files 254.2-256.02 Hz), never by a few percent
EEG_RATE_RTOL = 0.02


def _rate_number(rate: Any) -> float | None:
    """A provenance's ``sfreq`` as a rate in Hz; ``None`` where it is no positive finite
    number (a provenance edited by hand, or written by another tool)."""
    if isinstance(rate, (bool, np.bool_)):
        return None
    try:
        rate = float(rate)
    except (TypeError, ValueError, OverflowError):
        return None
    return rate if math.isfinite(rate) and rate > 0 else None


def rate_difference(a: Any, b: Any) -> bool:
    """Whether two provenances' EEG rates (``sfreq``, either may be absent) differ by more
    than :data:`EEG_RATE_RTOL`. A rate that is no positive number (``"256 Hz"``, NaN) is
    compared as it is written: it differs from anything but itself."""
    try:
        if not a or not b:  # absent (None, or 0 and '' as before)
            return False
    except ValueError:  # an array: written, so compared below
        pass
    ra, rb = _rate_number(a), _rate_number(b)
    if ra is None or rb is None:
        # float() of it escaped concat and the model check as a bare ValueError
        return not (ra is None and rb is None and _written_alike(a, b))
    return abs(rb - ra) > EEG_RATE_RTOL * ra


def _written_alike(a: Any, b: Any) -> bool:
    """Whether two rates that are no number are the same value: NaN as NaN (``np.float64``
    or ``float``), anything else by its ``repr``."""
    try:
        if math.isnan(a) and math.isnan(b):
            return True
    except (TypeError, ValueError, OverflowError):
        pass
    return repr(a) == repr(b)


def rates_text(a: Any, b: Any) -> str:
    """Two provenances' rates as concat's message shows them: ``256.016 vs 128.008 Hz``, or
    each by :func:`rate_text` where one is no number."""
    ra, rb = _rate_number(a), _rate_number(b)
    if ra is not None and rb is not None:
        return f"{ra:g} vs {rb:g} Hz"
    return f"{rate_text(a)} vs {rate_text(b)}"


def rate_text(rate: Any) -> str:
    """A provenance's ``sfreq`` as a message shows it: ``256 Hz``, or what is written
    (``'256 Hz'``) where it is no number."""
    number = _rate_number(rate)
    return f"{number:g} Hz" if number is not None else f"{rate!r}"


#: identity columns naming a person: the groups of speaker- or subject-independent evaluation
PERSON_COLUMNS = ("speaker", "subject", "actor", "participant")


def _distinct(values: Any) -> Any:
    """``values`` without repeats where they are a pandas column (the frames of a recording
    repeat its path and speaker thousands of times)."""
    return values.unique() if hasattr(values, "unique") else values


def _folder(paths: Any) -> str | None:
    """The deepest folder holding every one of ``paths``, normalised (``"."``: the folder a
    relative path is relative to). ``None``: no file path (in-memory inputs are named
    ``<array k>``, texts have none), or paths that share no folder (relative beside
    absolute)."""
    folders = {os.path.normpath(os.path.dirname(p)) for p in _distinct(paths)
               if isinstance(p, str) and p and not (p.startswith("<") and p.endswith(">"))}
    try:
        return os.path.normpath(os.path.commonpath(list(folders))) if folders else None
    except ValueError:
        return None


def _nested(a: str, b: str) -> bool | None:
    """Whether one of the normalised folders ``a`` and ``b`` is or holds the other; ``None``
    for a relative folder beside an absolute one: the folder a relative path is relative to
    (the working folder of its extraction) is not recorded. Relative folders are taken as
    relative to one folder, which holds them all (``"."``)."""
    if os.path.isabs(a) != os.path.isabs(b):
        return None

    def inside(x: str, y: str) -> bool:
        if y == os.curdir:
            return x.split(os.sep)[0] != os.pardir
        return x == y or x.startswith(y.rstrip(os.sep) + os.sep)

    return inside(a, b) or inside(b, a)


def _no_id(v: Any) -> bool:
    """None, NaN or ``pd.NA`` (whose comparison has no truth value)."""
    try:
        return v is None or bool(v != v)
    except TypeError:
        return True


def _ids(values: Any) -> set[str]:
    return {str(v) for v in _distinct(values) if not _no_id(v)}


def _id_kinds(values: Any) -> set[str]:
    """The kinds of value an identity column holds, ``"text"`` and ``"number"`` (booleans,
    missing values and other objects are neither): two would make one id read two ways
    (``'03'`` from a manifest written by pandas, ``3`` from one read as CSV) two groups."""
    import pandas as pd

    col = values if isinstance(values, pd.Series) else pd.Series(values, dtype=object)
    if isinstance(col.dtype, pd.CategoricalDtype):
        col = col.astype(object)
    dtype = col.dtype
    plain = isinstance(dtype, np.dtype) and dtype.kind == "O"  # pandas' str is kind "O" too
    if pd.api.types.is_bool_dtype(dtype):
        return set()
    if pd.api.types.is_numeric_dtype(dtype) or (
            not plain and pd.api.types.is_string_dtype(dtype)):
        kind = "number" if pd.api.types.is_numeric_dtype(dtype) else "text"
        return {kind} if col.notna().any() else set()
    if not plain:
        return set()
    # one pass in C for a column of one kind; a mixed one is looked at value by value
    inferred = pd.api.types.infer_dtype(col, skipna=True)
    if inferred == "string":
        return {"text"}
    if inferred in ("integer", "floating", "mixed-integer-float", "decimal"):
        return {"number"}
    if inferred not in ("mixed-integer", "mixed"):
        return set()
    kinds: set[str] = set()
    for v in col:
        if isinstance(v, str):
            kinds.add("text")
        elif _is_id_number(v):
            kinds.add("number")
        if len(kinds) == 2:
            break
    return kinds


def _is_id_number(v: Any) -> bool:
    return (isinstance(v, int | float | np.integer | np.floating)
            and not isinstance(v, bool | np.bool_) and not _no_id(v))


def _ids_of_kind(values: Any, kind: str) -> list[Any]:
    """The distinct values of ``kind`` (:func:`_id_kinds`) in a column, in order."""
    test = (lambda v: isinstance(v, str)) if kind == "text" else _is_id_number
    try:
        values = _distinct(values)
    except TypeError:  # unhashable cells (lists) among them
        pass
    return list(dict.fromkeys(v for v in values if test(v)))


def mixed_ids(values: Any) -> tuple[list[str], list[Any]] | None:
    """The distinct texts and numbers of an identity column holding an id read two ways
    (:func:`_read_two_ways`), else ``None``: text and numbers otherwise (``'3'`` and ``3``,
    ``'S03'`` and ``12``, ``''``) are compared as text, as ``evaluate`` does."""
    if len(_id_kinds(values)) < 2:
        return None
    texts, numbers = _ids_of_kind(values, "text"), _ids_of_kind(values, "number")
    return (texts, numbers) if _read_two_ways(texts, numbers) else None


def _read_two_ways(texts: list[Any], numbers: list[Any]) -> tuple[str, Any] | None:
    """The first text ``t`` and number ``n`` that are one value to ``float`` and two as text
    (``float(t) == n`` and ``t != str(n)``: ``'03'`` and ``3``, ``'3'`` and ``3.0``), else
    ``None``. Compared as text, as ``evaluate`` compares groups, ``'3'`` and ``3`` are one
    id already."""
    return next(_one_value(texts, numbers), None)


def _one_value(texts: list[Any], numbers: list[Any], as_text: bool = False
               ) -> Iterator[tuple[str, Any]]:
    """Each text ``t`` and number ``n`` that are one value (:func:`_read_two_ways`), in
    order; ``as_text``: those one value as text too (``'3'`` and ``3``)."""
    by_value: dict[float, list[Any]] = {}
    for n in numbers:
        n = n.item() if isinstance(n, np.generic) else n  # str(np.float32(0.1)) is '0.1'
        try:
            by_value.setdefault(float(n), []).append(n)
        except OverflowError:  # an int past float's range (10**400): no text is it as float
            continue
    for t in texts:
        try:
            value = float(t)
        except (TypeError, ValueError, OverflowError):
            continue
        for n in by_value.get(value, ()):
            if (as_text or str(t) != str(n)) and _same_integer(t, n):
                yield str(t), n


def _same_integer(t: Any, n: Any) -> bool:
    """Whether text ``t`` and number ``n``, equal as floats, are one value where both are
    integers: compared exactly (``'9007199254740993'`` is not ``2**53``, one float apart
    from it); ``True`` where either is not an integer (``'0.1'`` and ``0.1``)."""
    from decimal import Decimal, InvalidOperation

    if not (isinstance(n, int) or (isinstance(n, float) and n.is_integer())):
        return True
    try:
        exact = Decimal(str(t))  # blanks, signs, underscores and non-ASCII digits as float
    except (InvalidOperation, ValueError):
        return True
    return not (exact.is_finite() and exact == exact.to_integral_value()) or exact == n


def _mixed_ids_across(frames: list[pd.DataFrame]) -> str | None:
    """Why the identity columns of ``frames`` cannot be stacked (``concat``): a column some
    hold as text and others (or the same) as numbers, the tables named by their place;
    ``None`` when none is mixed."""
    for col in dict.fromkeys(c for f in frames for c in f.columns):
        kinds = [_id_kinds(f[col]) if col in f.columns else set() for f in frames]
        if len(set().union(*kinds)) < 2:
            continue
        held = {kind: [k for k, got in enumerate(kinds) if kind in got]
                for kind in ("text", "number")}
        ids = {kind: list(dict.fromkeys(v for k in held[kind]
                                        for v in _ids_of_kind(frames[k][col], kind)))
               for kind in held}
        if _read_two_ways(ids["text"], ids["number"]) is None:
            continue  # compared as text, as evaluate does: '3' and 3 are one value

        def tables(at: list[int]) -> str:
            return (f"{noun(len(at), 'table', 'tables')} "
                    f"{', '.join(str(k + 1) for k in at[:5])}{' ...' if len(at) > 5 else ''}")

        return (f"{tables(held['text'])} {noun(len(held['text']), 'holds', 'hold')} "
                f"{col!r} ids as text and {tables(held['number'])} as numbers; stacked, "
                + mixed_ids_said(col, ids["text"], ids["number"], "t.index",
                                 " before stacking", groups=col in PERSON_COLUMNS,
                                 apart=_apart(frames, held) if col in PERSON_COLUMNS
                                 else None))
    return None


def _apart(frames: list[pd.DataFrame], held: dict[str, list[int]]
           ) -> tuple[str, str, str, str] | None:
    """The folders of a table holding ids as text and one holding them as numbers whose
    recordings lie in separate folders (as :func:`_shared_person_ids` tells two corpora),
    else ``None``."""
    folders = [_folder(f["path"]) if "path" in f.columns else None for f in frames]
    for i in held["text"]:
        for j in held["number"]:
            a, b = folders[i], folders[j]
            if i != j and a is not None and b is not None and _nested(a, b) is False:
                return f"table {i + 1}", a, f"table {j + 1}", b
    return None


def mixed_ids_said(column: str, texts: list[str], numbers: list[Any], where: str,
                   before: str = "", groups: bool = True,
                   apart: tuple[str, str, str, str] | None = None) -> str:
    """What is wrong with an identity ``column`` holding the ``texts`` and the ``numbers``
    (distinct values, in order) as ids, and the way out, editing the frame ``where``
    (``table.index``, ``t.index``) ``before`` what (``" before stacking"``): an example
    pair, one id read two ways (``'03'`` and ``3``) where there is one. ``groups``: the
    column is one of groups (a person's, or given as groups); else said of any value.
    ``apart``: two tables holding the two kinds whose recordings lie in separate folders
    (name, folder, name, folder): maybe two corpora, whose ids padded alike would merge two
    people (EmoDB's speaker ``'03'``, RAVDESS's actor ``3`` read from CSV), so a prefix of
    each corpus's own is the way given first."""
    # as Python writes them: NumPy's repr is np.int64(3)
    texts = [str(t) for t in texts]
    numbers = [n.item() if isinstance(n, np.generic) else n for n in numbers]
    pair = _read_two_ways(texts, numbers)
    t, n = pair or (texts[0], numbers[0])
    # the pair first: "holds ids of two kinds" read as a complaint about the column's type
    same = (f"holds {t!r} and {n!r}, one id read two ways (a manifest written by pandas beside "
            "one read from CSV), as text and as a number: two" if pair else
            f"holds ids of two kinds, text and numbers (such as {t!r} and {n!r}): ids read two "
            "ways would be two")
    fix = _one_kind(f"{where}[{column!r}]", texts, numbers)
    if not groups:  # a target, a column of conditions: no person to split
        return (f"{column!r} holds {t!r} and {n!r}, one value read two ways (a file written "
                "by pandas beside one read from CSV), as text and as a number: two values to "
                "evaluation and training (two classes of a target, two groups of a split); "
                f"make them one kind{before}, {fix}")
    head = (f"{column!r} {same} groups to evaluation and training (one {column} on both "
            f"sides of a split, with two sets of statistics to per-group standardisation); ")
    if apart is None:
        return f"{head}make them one kind{before}, {fix}"
    a_name, a, b_name, b = apart
    return (f"{head}the recordings of {a_name} lie under {a!r} and those of {b_name} under "
            f"{b!r}: if these are two corpora, give each corpus's ids a prefix of its own"
            f"{before} (padded alike, EmoDB's speaker '03' and RAVDESS's actor 3 would be "
            f"one {column}), e.g. {where}[{column!r}] = 'emodb_' + "
            f"{where}[{column!r}].astype(\"string\"); if they are one corpus in sibling "
            f"folders, make them one kind, {fix}")


#: the pairs of an id read two ways that the refusal's map of numbers to texts lists
SHOWN_PAIRS = 5


def _one_kind(col: str, texts: list[str], numbers: list[Any]) -> str:
    """The way out of ``texts`` and ``numbers`` that are one id read two ways, as advice
    assigning to the column ``col`` (``"e.g. <col> = <expression>"``): the first way that,
    applied to them, makes each text and number of one value (:func:`_one_value`, ``'3'``
    and ``3`` too) one string; else a map of each such number to its text."""
    linked = list(_one_value(texts, numbers, as_text=True))
    ways: list[Callable[[str], str]] = []
    # padded only where every digit text of a number has one length and the numbers are
    # whole: '012' beside '03' left 12 the '12' (two groups still), '5' beside 5 would be
    # split by the padded '05', 3.5 would be made '03' by int(v)
    digits = {len(t) for t, _ in linked if t.isascii() and t.isdigit()}
    if len(digits) == 1 and all(_whole(v) for v in numbers):
        width = digits.pop()
        # na_action: int() of a missing value (NaN beside numbers) would raise
        ways.append(lambda c: f"{c}.map(lambda v: v if isinstance(v, str) else "
                              f"f\"{{int(v):0{width}d}}\", na_action=\"ignore\")")
    if all(_is_number_text(v) for v in texts):
        # '3.0' beside 3: text would keep them two ('3.0', '3'); pandas reads no '３' nor
        # '3_0', which float reads as the refusal did
        ways.append((lambda c: f"pd.to_numeric({c})") if _pandas_reads(texts) else
                    (lambda c: f"{c}.map(float, na_action=\"ignore\")"))
    ways.append(lambda c: f"{c}.astype(\"string\").str.strip()")
    for way in ways:
        if _makes_one(way("s"), texts, numbers, linked):
            return f"e.g. {col} = {way(col)}"
    # '3.0' beside 'S1' and 3: no way of the column's kind makes the pair one ('3.0', '3')
    to_text: dict[Any, str] = {}
    for t, n in linked:
        to_text.setdefault(n, t)  # a number's first text
    mapped = "{c}.map(lambda v: {m}.get(v, v) if not isinstance(v, str) else v)"
    if len(to_text) > SHOWN_PAIRS:
        # hundreds of ids: the map of every pair was the message (21,688 characters of
        # ISEAR's 1,095 pairs); a few, and how to build it from the column itself, where
        # that builds the same map: pandas reads no '１.０' and a float no 2**53 + 1, which
        # left such ids two kinds
        recipe = _to_text_recipe(texts)
        if _makes_one(mapped.format(c="s", m="to_text"), texts, numbers, linked,
                      setup=recipe("s")):
            shown = dict(list(to_text.items())[:SHOWN_PAIRS])
            return (f"each number mapped to its text ({len(to_text)} pairs, such as "
                    f"{repr(shown)[:-1]}, ...}}), the map made from the column, e.g. "
                    f"{recipe(col)}; {col} = {mapped.format(c=col, m='to_text')}")
    return f"e.g. {col} = {mapped.format(c=col, m=repr(to_text))}"


def _to_text_recipe(texts: list[str]) -> Callable[[str], str]:
    """Statements of the column ``c`` building ``to_text``, the map of each number a text of
    the column reads as to that text: pandas' reading where it reads every text that is a
    number, else ``float``'s (``'１.０'``) of the texts of digits and a point."""
    pick = "text = {c}[{c}.map(lambda v: isinstance(v, str))]; "
    if _pandas_reads([t for t in texts if _is_number_text(t)]):
        read = "dict(zip(pd.to_numeric(text, errors=\"coerce\"), text))"
    else:
        read = "{{float(t): t for t in text if t.replace(\".\", \"\", 1).isdecimal()}}"
    return lambda c: (pick + "to_text = " + read).format(c=c)


def _makes_one(way: str, texts: list[str], numbers: list[Any],
               linked: list[tuple[str, Any]], setup: str = "") -> bool:
    """Whether ``way`` (an expression of the column ``s``, after the statements ``setup``),
    applied to ``texts`` and ``numbers``, makes each pair of ``linked`` one string."""
    import pandas as pd

    column = pd.Series([*texts, *numbers], dtype=object)
    scope = {"pd": pd, "s": column}
    try:
        # statements and an expression made above, of the column's own ids as literals
        exec(setup, scope)  # noqa: S102
        after = list(eval(way, scope).astype(str))  # noqa: S307
    except Exception:  # noqa: BLE001 - a way that fails on these ids is no way out
        return False
    at = {("t", t): k for k, t in enumerate(texts)}
    at.update({("n", n): len(texts) + k for k, n in enumerate(numbers)})
    return all(after[at["t", t]] == after[at["n", n]] for t, n in linked)


def _pandas_reads(texts: list[str]) -> bool:
    """Whether ``pd.to_numeric`` reads every one of ``texts`` as a number."""
    import pandas as pd

    try:
        pd.to_numeric(pd.Series(texts, dtype=object))
    except (TypeError, ValueError):
        return False
    return True


def _whole(v: Any) -> bool:
    """Whether number ``v`` is a whole number (``3``, ``3.0``; a missing one passes, as the
    padding leaves it)."""
    return isinstance(v, int) or (isinstance(v, float) and (v.is_integer() or v != v))


def _is_number_text(v: str) -> bool:
    try:
        float(v)
    except ValueError:
        return False
    return True


def _shared_person_ids(parts: Sequence[tuple[str, Any]], path_column: str = "path",
                       remedy: str = "give each corpus's ids a prefix of its own before "
                                     "stacking (t.index[{col!r}] = 'emodb_' + "
                                     "t.index[{col!r}])") -> str | None:
    """The message of a :class:`~emofeat.errors.SharedIdWarning` for stacking ``parts``, else
    ``None``.

    ``parts`` are ``(name, columns)`` pairs (``columns`` a DataFrame, or a mapping of column
    names to values): the tables :meth:`FeatureTable.concat` stacks, the manifests of one
    ``emofeat extract``. Two parts whose recordings (``path_column``) lie in separate
    folders, neither inside the other, may be two corpora; when they share a value of a
    :data:`PERSON_COLUMNS` column, that value is one person to every protocol and to
    per-speaker standardisation. Whether it is one person the folders cannot tell: EmoDB
    and RAVDESS side by side are two corpora, RAVDESS's speech and song side by side one, so
    the message gives the way for both. Parts without file paths, and a part of relative
    paths beside one of absolute paths, are not compared. ``remedy`` is the way for two
    corpora (``{col}``: the column).
    """
    folders = [_folder(cols[path_column]) if path_column in cols else None
               for _, cols in parts]
    for i in range(len(parts)):
        for j in range(i + 1, len(parts)):
            a, b = folders[i], folders[j]
            if a is None or b is None or _nested(a, b) is not False:
                continue
            for col in PERSON_COLUMNS:
                if col not in parts[i][1] or col not in parts[j][1]:
                    continue
                shared = sorted(_ids(parts[i][1][col]) & _ids(parts[j][1][col]))
                if not shared:
                    continue
                shown = ", ".join(repr(v) for v in shared[:5]) + (
                    f", ... ({len(shared)} in all)" if len(shared) > 5 else "")
                return (f"{parts[i][0]} (recordings under {a!r}) and {parts[j][0]} (under "
                        f"{b!r}) share {col} ids {shown}, and evaluate, train and per-{col} "
                        f"standardisation take each id for one {col} (one group, on one side "
                        f"of every split; one set of statistics). If these are different "
                        f"people (two corpora, as EmoDB's speaker '03' and RAVDESS's actor "
                        f"'03'), {remedy.format(col=col)}; if they are the same people "
                        f"(sessions, conditions or parts of one corpus in sibling folders, as "
                        f"RAVDESS's speech and song), keep the ids: a prefix would make each "
                        f"{col} two, on both sides of a leave-one-{col}-out split")
    return None


def _set_of_column(name: str, set_names: list[str]) -> str | None:
    """The set whose column ``name`` is: the longest of ``set_names`` that begins it (a set's
    feature names begin with its name: ``mfcc0_mean``, ``mfcc_htk0_mean``), else ``None``."""
    return max((s for s in set_names if name.startswith(s)), key=len, default=None)


def set_names(provenance: Any) -> list[str]:
    """The names of the sets a provenance records (none for a table without one)."""
    sets = provenance.get("sets") if isinstance(provenance, dict) else None
    if not isinstance(sets, list):
        return []
    return [s["name"] for s in sets if isinstance(s, dict) and isinstance(s.get("name"), str)]


def _drop_unselected_sets(provenance: dict[str, Any], before: list[str],
                          after: list[str]) -> None:
    """Remove from ``provenance["sets"]``, in place, each set that had columns among
    ``before`` and has none among ``after``. A set none of whose columns begins with its name
    (a set of one's own that names them otherwise) is kept: which columns are its is not
    known."""
    sets = provenance.get("sets")
    if not isinstance(sets, list):
        return
    names = set_names(provenance)
    had = {_set_of_column(c, names) for c in before}
    gone = had - {_set_of_column(c, names) for c in after} - {None}
    if gone:
        provenance["sets"] = [s for s in sets
                              if not (isinstance(s, dict) and s.get("name") in gone)]


def _healed_sets(provenance: Any, names: Sequence[str]) -> Any:
    """``provenance`` without the sets none of whose columns is among ``names`` (a new dict;
    ``provenance`` itself where nothing is dropped), as :meth:`FeatureTable.select` leaves
    them out since b39743f: a file written or a model saved before it by a selection of
    columns still records the sets it left out (a select of ``mfcc`` lists ``mfcc`` and
    ``prosody``, and its model refused a table whose ``prosody`` was extracted otherwise).
    Only where every one of ``names`` begins with a recorded set's name, and every set that
    owns a column and every set dropped is emofeat's own (:func:`_emofeat_set`): a set of
    one's own that names its columns otherwise leaves columns of no set, or begins them with
    another set's name (a set ``delta`` of columns ``mfcc_delta0_mean``, all owned by
    ``mfcc`` by their names: ``delta`` was dropped on every read), and then nothing is
    dropped."""
    if not (isinstance(provenance, dict) and names):
        return provenance
    sets = provenance.get("sets")
    if not isinstance(sets, list):
        return provenance
    named = {s["name"]: s for s in sets
             if isinstance(s, dict) and isinstance(s.get("name"), str)}
    owners = {_set_of_column(c, list(named)) for c in names}
    if None in owners or owners == set(named):
        return provenance
    if not all(_emofeat_set(s) for s in named.values()):
        return provenance
    return {**provenance, "sets": [s for s in sets if not (
        isinstance(s, dict) and isinstance(s.get("name"), str) and s["name"] not in owners)]}


def _emofeat_set(record: dict[str, Any]) -> bool:
    """Whether a provenance's set record is one of emofeat's sets, whose columns begin with
    its name: its class recorded in ``emofeat.``, or, with no class recorded, its name one
    emofeat registers itself (not a third party's)."""
    cls = record.get("class")
    if isinstance(cls, str):
        return cls.startswith("emofeat.")
    from .registry import _REGISTRY

    info = _REGISTRY.get(record["name"])
    return info is not None and info.target.startswith("emofeat.")


def _params_by_set(sets: Any) -> dict[str, Any] | None:
    """A provenance's ``sets`` as ``{name: params}``; ``None`` when it is not a list of
    named sets (then compared as it is)."""
    try:
        return {s["name"]: s.get("params") for s in sets}
    except (TypeError, KeyError):
        return None


def _sets_differ(a: Any, b: Any) -> bool:
    """Whether two provenances' ``sets`` record another extraction of the same columns: a set
    both record with other parameters, or no set in common. Neither the order of the sets nor
    a set only one side records (its columns dropped with ``select``) is a difference: the
    columns are the same names, each starting with its set's."""
    pa, pb = _params_by_set(a), _params_by_set(b)
    if pa is None or pb is None:
        return a != b
    common = pa.keys() & pb.keys()
    return (pa != pb if not common else any(pa[n] != pb[n] for n in common)) \
        or bool(_files_differ(a, b))


def _files_differ(a: Any, b: Any) -> list[str]:
    """``set: path`` for each file both provenances' sets record (``files``: a lexicon given
    by its path) with other contents: the same parameters scored with another lexicon."""
    def files(sets: Any) -> dict[str, dict]:
        return {s["name"]: s["files"] for s in sets
                if isinstance(s, dict) and isinstance(s.get("files"), dict)}

    fa, fb = files(a), files(b)
    return [f"{n}: {path}" for n in fa.keys() & fb.keys()
            for path in fa[n].keys() & fb[n].keys() if fa[n][path] != fb[n][path]]


def _tail_rule_moot(a: dict[str, Any], b: dict[str, Any], ta: FeatureTable | None = None,
                    tb: FeatureTable | None = None) -> bool:
    """Whether the windows of one of two tables lack only the tail rule and its sets give
    the same rows under it (:func:`emofeat.compute.recorded_tail_rule_moot`: the EEG band
    sets), or, recordings read whole, that table's rows (``ta``, ``tb``) hold no stretch
    the rule leaves out beside a longer one of its input
    (:func:`emofeat.compute.stretch_rows_moot`): an output written before the rule and
    resumed with nothing to do keeps its record, and stacks with a table made now."""
    from .compute import recorded_tail_rule_moot, stretch_rows_moot
    from .store import tail_rule_said

    for was, now, table in ((a, b, ta), (b, a, tb)):
        if recorded_tail_rule_moot(was, now.get("segments")):
            return True
        if (table is not None and was.get("segments") is None
                and tail_rule_said(None, now.get("segments"))
                and {"path", "start", "end"} <= set(table.index.columns)
                and stretch_rows_moot(table.index["path"].to_numpy(),
                                      table.index["start"].to_numpy(),
                                      table.index["end"].to_numpy())):
            return True
    return False


def _tail_rule_differs(ref: int, first: dict[str, Any], k: int, other: dict[str, Any],
                       said: str, tables: tuple[FeatureTable, FeatureTable] | None = None
                       ) -> str:
    """``said`` (the two segments' records) with why, where one table's windows lack the
    tail rule only: the parameters the user gave look the same, and only extracting the
    older table again makes the two stack. ``tables`` (table ``ref``'s and ``k``'s): the
    older table's rows of recordings read whole say which row differs
    (:func:`emofeat.compute.stretch_rows_said`)."""
    from .store import tail_rule_said

    for n, was, now, table in ((ref, first, other, tables and tables[0]),
                               (k, other, first, tables and tables[1])):
        why = tail_rule_said(was.get("segments"), now.get("segments"))
        if why:
            rows = "rows" if was.get("segments") is None else "windows"
            shown = _stretch_rows_shown(table, was) if was.get("segments") is None else ""
            return (f"{said}: table {n}'s {rows} were {why}; extract the older table again "
                    f"(emofeat extract with --overwrite, or to a new output){shown}")
    return said


def _stretch_rows_shown(table: FeatureTable | None, was: dict[str, Any]) -> str:
    """Which row of ``table`` (recordings read whole, before the tail rule, recorded as
    ``was``) a run now leaves out, as the end of :func:`_tail_rule_differs`'s reason; ``''``
    where its index lacks the columns to tell. A stack of many recordings refused as a
    whole left the user to search them for the one that differs."""
    from .compute import stretch_rows_said

    if table is None or not {"path", "start", "end"} <= set(table.index.columns):
        return ""
    idx = table.index
    differ = stretch_rows_said(idx["path"].to_numpy(), idx["start"].to_numpy(),
                               idx["end"].to_numpy(),
                               idx["epoch"].to_numpy() if "epoch" in idx.columns else None)
    return f"; its rows show it: {differ}" if differ else ""


def _difference(key: str, a: Any, b: Any) -> str:
    """What differs between two provenances' ``key``, for a message: the parameters of each
    set both record (``mfcc n_mels: 40 vs 64``), else the two values."""
    pa, pb = (_params_by_set(a), _params_by_set(b)) if key == "sets" else (None, None)
    if pa is not None and pb is not None:
        common = pa.keys() & pb.keys()
        if not common:
            return f"sets {sorted(pa)} vs {sorted(pb)}"
        parts = []
        for n in common:
            x, y = pa[n] or {}, pb[n] or {}
            if isinstance(x, dict) and isinstance(y, dict):
                parts += [f"{n} {p}: {x.get(p)!r} vs {y.get(p)!r}"
                          for p in sorted(x.keys() | y.keys(), key=str) if x.get(p) != y.get(p)]
        if parts:
            return "set parameters " + ", ".join(sorted(parts)[:5]) + (
                ", ..." if len(parts) > 5 else "")
        files = _files_differ(a, b)
        if files:
            return "the content of " + ", ".join(sorted(files)[:5])
    return f"{key}: {a!r} vs {b!r}"


def replace_into(path: str | os.PathLike, write: Callable[[str], Any]) -> None:
    """``write`` a file to a temporary name beside ``path`` and rename it into place (atomic
    on POSIX and Windows): an interrupted or failed write leaves the previous file whole and
    no temporary behind. The temporary name keeps ``path``'s suffixes, which choose the
    compression of joblib and pandas writers.

    Raises
    ------
    OSError
        The file cannot be written (no such folder, no permission, a folder of that name),
        said of ``path``: the writers named the temporary file ("Failed to open local file
        'out/.tmp-30197-x.parquet'")."""
    folder, name = os.path.split(os.fspath(path))
    tmp = os.path.join(folder, f".tmp-{os.getpid()}-{name}")
    try:
        write(tmp)
        os.replace(tmp, path)
    except OSError as exc:
        if not exc.errno:
            raise
        raise OSError(exc.errno, os.strerror(exc.errno), os.fspath(path)) from exc
    finally:
        if os.path.exists(tmp):
            os.remove(tmp)


def _unwritable_columns(index: pd.DataFrame, where: str = "table.index") -> str | None:
    """What Arrow cannot write of the identity columns, by column: one that mixes kinds of
    value (a stack of a table's text speaker ids with a CSV's integers: '03' and 3) was
    pyarrow's ``("Expected bytes, got a 'int' object", 'Conversion failed for column speaker
    with type object')``, a ``TypeError``; one of a kind parquet has no type for (paths),
    another. ``where`` is the frame the way out edits (a manifest: ``manifest``). ``None``
    when each column alone converts."""
    import pyarrow as pa

    said, mixed, sets, refused = [], False, [], []
    for name in index.columns:
        try:
            pa.array(index[name], from_pandas=True)
        except (pa.ArrowTypeError, pa.ArrowInvalid, pa.ArrowNotImplementedError):
            kinds = index[name].dropna().map(lambda v: type(v).__name__).value_counts()
            mixed = mixed or len(kinds) > 1
            if {"list", "tuple", "ndarray", "set"} & set(kinds.index):
                sets.append(name)  # label sets (read_parquet gives their cells as ndarray)
            refused.append(name)
            said.append(f"{name!r} ("
                        + ", ".join(f"{k} in {counted(int(n), 'row')}" for k, n in kinds.items())
                        + ")")
    if not said:
        return None
    what = ("identity columns that mix kinds of value" if mixed
            else "identity columns of values parquet has no type for")
    # label sets beside single labels: text would make the lists "['a', 'b']"
    lists = (f"; make every cell of {', '.join(map(repr, sets[:3]))} a list of labels, e.g. "
             f"{where}[col] = {where}[col].map(lambda v: [v] if isinstance(v, str) else "
             f"list(v))") if sets else ""
    head = f"{what} cannot be written to parquet (one type a column): {'; '.join(said[:5])}"
    if len(sets) == len(said):
        return head + lists
    # "string", not str: pandas 2's astype(str) made missing values the text 'nan'/'None'
    others = (f" of the others ({', '.join(repr(n) for n in refused if n not in sets)})"
              if sets else "")
    return (f"{head}{lists}; make each{others} one text, e.g. {where}[col] = "
            f"{where}[col].astype(\"string\") (missing values stay missing; where ids were "
            f"read two ways, '03' and 3, they are two groups to evaluate until made one)")


def _names_differ(first: list[str], other: list[str]) -> str:
    """How ``other`` feature names differ from ``first``: the same in another order, or the
    names one lacks and the other has (a few of each)."""
    if sorted(first) == sorted(other):
        return ("the same names in another order; reorder it first, "
                "table.select(tables[0].feature_names)")
    # sets built once: a set a name made this quadratic (20,000 names: 18.8 s)
    have, had = set(other), set(first)
    lacks = [n for n in first if n not in have]
    more = [n for n in other if n not in had]
    apart = alike_in_nfc(lacks, more)  # names printing alike: shown by ascii()
    said = ", and ".join(f"it {what} {counted(len(x), 'name')} {whose} (e.g. "
                         f"{names_shown(x[:3], apart)})"
                         for x, what, whose in ((lacks, "lacks", "of table 1's"),
                                                (more, "has", "table 1 lacks")) if x)
    if apart:
        said += ("; names alike but for their Unicode form: one table was written before "
                 f"emofeat made EEG channel names NFC ({NFC_NAMES_SINCE}); extract it again")
    return said


def _not_a_table(metadata: dict[bytes, bytes]) -> str:
    """Why a parquet file without emofeat's metadata is no features table, by what wrote it:
    ``emofeat predict`` (its predictions, which ``info`` and ``evaluate`` of them called
    "not written by emofeat"), pandas from :meth:`FeatureTable.to_pandas` (the frame's
    ``attrs`` hold the feature names, which ``from_pandas`` needs), another tool; a table
    with no metadata at all, which pyarrow's ``rename_columns``, and ``cast`` to a schema
    built without metadata, leave of one of emofeat's (said "not written by emofeat", as if
    the user's own file were foreign)."""
    try:
        attrs = json.loads(metadata.get(b"PANDAS_ATTRS", b"{}"))
    except ValueError:
        attrs = {}
    if isinstance(attrs, dict) and "emofeat_predictions" in attrs:
        return ("this parquet file holds predictions emofeat predict wrote, not features: "
                "give the features table emofeat extract wrote")
    if isinstance(attrs, dict) and ATTRS_KEY in attrs:
        return ("this parquet file was written by pandas (DataFrame.to_parquet of a table's "
                "to_pandas()), without the metadata emofeat reads; its attrs name the "
                "features (from Python): df = pd.read_parquet(path); names = [c for c in "
                "json.loads(df.attrs['emofeat'])['feature_names'] if c in df]; "
                "FeatureTable.from_pandas(df, names).to_parquet(path) (add the names of "
                "features you added or renamed in pandas)")
    if not metadata:
        # every writer of tables (emofeat, pandas) leaves some: none at all is what pyarrow
        # leaves of an emofeat table renamed, or cast to a schema built without metadata
        # (cast keeps the target schema's), which read as a foreign file
        return ("the table has no schema metadata at all, so not emofeat's (the key "
                "'emofeat' holds its feature names and provenance): it was not written by "
                "emofeat, or a pyarrow operation that drops schema metadata, such as "
                "Table.rename_columns or Table.cast to a schema built without metadata, lost "
                "it. Put it back when no column was renamed: "
                "table.replace_schema_metadata(original.schema.metadata); rename "
                "identity columns in emofeat: t = FeatureTable.from_arrow(original); "
                "t.index = t.index.rename(columns={'old': 'new'}); else use "
                "FeatureTable.from_pandas with the feature column names")
    return ("this parquet file was not written by emofeat (no 'emofeat' schema metadata); "
            "use FeatureTable.from_pandas with the feature column names")


def _refuse_repeated_columns(names: list[str], what: str = "the file") -> None:
    """A ``ValueError`` naming the column names given more than once (a column appended
    again by another tool, which kept the metadata): a table's columns have one name each.
    ``what``: what holds them, as the message begins."""
    if len(set(names)) == len(names):
        return
    seen: set[str] = set()
    twice = sorted({c for c in names if c in seen or seen.add(c)})
    raise ValueError(f"{what} has more than one column named {twice[:5]}"
                     f"{' ...' if len(twice) > 5 else ''}: a table's column names are "
                     "distinct; drop or rename the copies")


def _refuse_non_numeric_features(schema, names: list[str]) -> None:
    """A ``ValueError`` naming the feature columns of ``schema`` that hold no numbers (a
    feature column edited by another tool: cast to strings, dates, categories), as
    :meth:`FeatureTable.from_pandas` refuses them: NumPy parsed strings of numbers into ``X``
    silently, made dates numbers and said only "could not convert string to float: 'abc'"
    of other text."""
    import pyarrow as pa

    t = pa.types
    of = dict(zip(schema.names, schema.types, strict=True))
    # each distinct type judged once: a table of 6000 double columns has one (13 -> 4 ms)
    wrong = {typ for typ in {of[name] for name in names}
             if not any(is_(typ) for is_ in (t.is_integer, t.is_floating, t.is_boolean,
                                              t.is_decimal, t.is_null))}
    bad = [f"{name!r} ({of[name]})" for name in names if of[name] in wrong] if wrong else []
    if bad:
        raise ValueError(
            f"feature columns must be numeric; not numeric in the file: {', '.join(bad[:10])}"
            f"{f' and {len(bad) - 10} more' if len(bad) > 10 else ''} (edited since emofeat "
            "wrote it?): write them back as numbers, or extract the table again")


def require_table(table: Any, what: str = "table") -> None:
    """Raise :class:`TypeError` where ``table`` is a DataFrame or has none of a
    :class:`FeatureTable`'s ``X``, ``index`` and ``feature_names``, naming the ways to one
    from the DataFrame a user read an output as (``pd.read_parquet``), for the functions
    that take a table. An object that forwards them (a wrapper of a table) is taken."""
    if isinstance(table, FeatureTable):
        return
    import pandas as pd

    if isinstance(table, pd.DataFrame) or not all(
            hasattr(table, name) for name in ("X", "index", "feature_names")):
        # a DataFrame failed deep inside ("'RangeIndex' object has no attribute 'columns'",
        # "'DataFrame' object has no attribute 'feature_names'")
        raise TypeError(
            f"{what} must be a FeatureTable, got {type(table).__name__}: read an output "
            "with emofeat.read_table(path), or make one of a DataFrame with "
            "FeatureTable.from_pandas(df, feature_names)")


def read_table(path: str | os.PathLike) -> FeatureTable:
    """Read a feature table from a parquet file or dataset folder written by emofeat.

    The same as :meth:`FeatureTable.read_parquet`.

    Parameters
    ----------
    path : str or path-like
        A file :meth:`FeatureTable.to_parquet` or ``emofeat extract`` wrote, or an
        ``emofeat extract`` dataset folder of parts; a leading ``~`` is the home folder.

    Returns
    -------
    FeatureTable
        Features, identity columns and provenance, equal to the table written but for the
        provenance's ``environment``, which also names the pyarrow that wrote the file.

    Raises
    ------
    FileNotFoundError
        No file or folder at ``path``.
    ValueError
        The file is no table of emofeat's (not parquet, a parquet file written by another
        tool such as pandas, a column its metadata names missing or held twice, a feature
        column that holds no numbers); the message starts with ``path``.
    """
    return FeatureTable.read_parquet(path)


_COLUMNS: dict[tuple[str, ...], Any] = {}  # pandas Index objects


def frame_of(cols: dict[str, Any], n: int) -> pd.DataFrame:
    """``pd.DataFrame(cols, index=pd.RangeIndex(n))`` (columns of length ``n``, fresh arrays
    owned by the frame), a quarter of its time: the columns' ``Index`` (dtype inferred from
    the names, 50 us) is made once per set of names, and the arrays are not copied again."""
    import pandas as pd

    key = tuple(cols)
    from_arrays = getattr(pd.DataFrame, "_from_arrays", None)
    if from_arrays is None or not all(type(c) is str for c in key):
        return pd.DataFrame(cols, index=pd.RangeIndex(n))
    columns = _COLUMNS.get(key)
    if columns is None:
        if len(_COLUMNS) >= 64:
            _COLUMNS.clear()
        columns = _COLUMNS[key] = pd.DataFrame(columns=list(key)).columns
    return from_arrays(list(cols.values()), columns=columns, index=pd.RangeIndex(n),
                       verify_integrity=False)


_STR_DTYPE: dict[Any, Any] = {}


def str_dtype() -> Any:
    """pandas' default string dtype: the dtype of ``pd.DataFrame({c: [some str]})[c]``."""
    import pandas as pd

    key = None
    if int(pd.__version__.split(".")[0]) < 3:  # pragma: no cover - pandas 2: the option
        try:
            key = pd.get_option("future.infer_string")
        except (KeyError, pd.errors.OptionError):
            key = None
    dtype = _STR_DTYPE.get(key)
    if dtype is None:
        dtype = _STR_DTYPE[key] = pd.DataFrame({"c": ["a"]})["c"].dtype
    return dtype


def str_column(values: list[str]) -> Any:
    """``values`` (a non-empty list of ``str``) as the array ``pd.DataFrame({c: values})``
    would make (pandas' default string dtype), without inferring the type of every value."""
    import pandas as pd

    return pd.array(values, dtype=str_dtype())


def _restore_object_strings(index: pd.DataFrame, ident, pandas_meta: bytes | None) -> None:
    """Give back, in place, their ``object`` dtype to the identity columns that were ``object``
    columns of strings when written (``None`` missing, as in the table written).

    pyarrow writes such a column as an Arrow string column and says in the ``pandas``
    metadata it was ``object`` (``numpy_type``), but with pandas 3 ``to_pandas`` makes every
    string column pandas' ``str`` dtype, ``None`` becoming NaN: the table read back would not
    equal the one written. A ``str`` column is written with ``numpy_type`` ``"str"`` and is
    left as it is."""
    import pandas as pd

    if not pandas_meta:
        return
    try:
        columns = json.loads(pandas_meta).get("columns") or []
    except (ValueError, AttributeError):  # not pandas' metadata: nothing to go by
        return
    for col in columns:
        name = col.get("field_name", col.get("name"))
        if (col.get("pandas_type") != "unicode" or col.get("numpy_type") != "object"
                or name not in index.columns or index[name].dtype == object):
            continue
        # Arrow's own conversion: an object array of str, None where the value is missing
        values = ident.column(name).to_numpy(zero_copy_only=False)
        index[name] = pd.Series(values, index=index.index, dtype=object)


def _column_kinds(index: pd.DataFrame) -> dict[str, Any]:
    """What parquet cannot say about the identity columns, for :func:`_restore_kinds`: a
    column of lists (``"list"``) or of tuples (``"tuple"``; ``None`` allowed in both), and a
    categorical column's categories and order (parquet keeps a dictionary type for string
    values only, and never the unused categories)."""
    import pandas as pd

    kinds: dict[str, Any] = {}
    for name in index.columns:
        col = index[name]
        if isinstance(col.dtype, pd.CategoricalDtype):
            cats = _jsonable(col.cat.categories.tolist())
            if json.loads(json.dumps(cats)) == col.cat.categories.tolist():  # JSON keeps them
                kinds[name] = {"categories": cats, "ordered": bool(col.cat.ordered)}
        elif col.dtype == object:
            first = next((v for v in col if v is not None), None)  # strings: one look
            if type(first) in (list, tuple) and all(v is None or type(v) is type(first)
                                                     for v in col):
                kinds[name] = type(first).__name__
    return kinds


def _restore_kinds(index: pd.DataFrame, ident, kinds: dict[str, Any]) -> None:
    """Give back, in place, the lists, tuples and categories :func:`_column_kinds` recorded:
    Arrow reads a list column as NumPy arrays and an integer categorical as integers."""
    import pandas as pd

    for name, kind in kinds.items():
        if name not in index.columns:
            continue
        if kind in ("list", "tuple"):
            make = list if kind == "list" else tuple
            values = [None if v is None else make(v)
                      for v in ident.column(name).to_pylist()]
            index[name] = pd.Series(values, index=index.index, dtype=object)
        elif isinstance(kind, dict) and "categories" in kind:
            index[name] = pd.Categorical(index[name].astype(object), categories=kind["categories"],
                                         ordered=kind.get("ordered", False))


#: identity columns that tell a table's rows apart (a file or a text, a repeated text's
#: occurrence, the key of a signal given in memory in an output, its segment, its frame): a
#: frame that lost one of them was aggregated over it (``groupby("path")``,
#: ``groupby("label")`` of a text table), or is not the table's
ROW_KEYS = ("path", "text", "occurrence", "signal_key", "start", "end", "epoch", "frame",
            "time")
#: provenance entries about the run's inputs, not the features: stale once rows are selected
_RUN_COUNTS = ("n_inputs", "n_failed")


def _every_row(n: int, rows: Any) -> bool:
    """Whether ``rows`` (as NumPy indexes an array: a slice, a mask, positions) of a table
    of ``n`` rows are all of them, in order: the run's rows, whose counts stay theirs."""
    kept = np.arange(n)[rows]
    return kept.shape == (n,) and bool((kept == np.arange(n)).all())


def _drop_run_counts(provenance: dict[str, Any]) -> None:
    """Remove the run's counts from ``provenance`` (in place): a table of other rows than
    the run's (selected, stacked, a frame's) would claim the run's inputs and failures as its
    own (100 rows of a 1,440-file run said 1,440 inputs)."""
    for key in _RUN_COUNTS:
        provenance.pop(key, None)


def _column_kind(dtype: Any) -> str:
    """The kind of an identity column's dtype (numpy's ``dtype.kind``; ``"O"`` for a
    pandas dtype without one): an aggregate turns an integer column into floats. Text is
    ``"O"`` whatever holds it: pyarrow-backed strings (``pd.read_parquet(...,
    dtype_backend="pyarrow")``) are kind ``"U"``, and their frame lost the provenance."""
    return _folded(str(getattr(dtype, "kind", "O")))


def _folded(kind: str) -> str:
    """A dtype kind with text's kinds as one: object and pandas' str (``"O"``), Arrow
    strings (``"U"``), bytes (``"S"``)."""
    return "O" if kind in ("O", "U", "S") else kind


def _provenance_in_attrs(df: pd.DataFrame, names: set[str],
                         ident: list[str]) -> dict[str, Any]:
    """The provenance :meth:`FeatureTable.to_pandas` left in ``df.attrs``, if it describes
    every feature column in ``names`` and the rows of ``df`` are still the table's (its row
    keys among ``ident``, its identity columns' kinds unchanged); else ``{}`` (none there,
    not emofeat's, a column it does not know, rows aggregated). Without the run's counts."""
    raw = df.attrs.get(ATTRS_KEY)
    if not isinstance(raw, str):
        return {}
    try:
        info = json.loads(raw)
    except ValueError:
        return {}
    if not (isinstance(info, dict) and isinstance(info.get("provenance"), dict)
            and isinstance(info.get("feature_names"), list)
            and isinstance(info.get("identity", {}), dict)):
        return {}
    if not names <= set(info["feature_names"]):
        return {}
    have = set(ident)
    kinds = info.get("identity")
    if kinds is None:
        # written before the identity columns were recorded (1327865: a frame kept, or a
        # parquet file pandas wrote with it): the row keys a table of that provenance has
        if not _old_rows_kept(info["provenance"], have):
            return {}
        kinds = {}
    if any(key in kinds and key not in have for key in ROW_KEYS):
        return {}
    dtypes = df.dtypes
    if any(c in have and not _same_kind(_folded(kind), dtypes[c]) for c, kind in kinds.items()):
        return {}
    provenance = dict(info["provenance"])
    _drop_run_counts(provenance)
    # the sets of the columns kept, as select keeps them
    _drop_unselected_sets(provenance, info["feature_names"], list(names))
    return _healed_sets(provenance, list(names))


def _same_kind(recorded: str, dtype: Any) -> bool:
    """Whether an identity column recorded of kind ``recorded`` still is, as ``dtype`` has it.
    A float column become integers of a pandas extension dtype is: ``convert_dtypes()`` makes
    whole-number (or all-missing) floats ``Int64`` (``int64[pyarrow]``), a lossless change of
    type, while aggregations give NumPy dtypes (a count's ``int64``)."""
    kind = _column_kind(dtype)
    if kind == recorded:
        return True
    import pandas as pd

    return (recorded == "f" and kind in ("i", "u")
            and isinstance(dtype, pd.api.extensions.ExtensionDtype))


def _old_rows_kept(provenance: dict[str, Any], have: set[str]) -> bool:
    """Whether a frame whose attrs do not list its identity columns (written before they
    were) still has the row keys every table of its ``provenance`` has: the input (``path``
    or ``text``), the frame (``frame`` or ``time``) at level ``lld``, the segment
    (``start``) where segments were cut. Weaker than the kinds recorded since: an
    aggregation keeping them, or over a key only some tables have (``epoch``), passes."""
    if not have & {"path", "text"}:
        return False
    if provenance.get("level") == "lld" and not have & {"frame", "time"}:
        return False
    return not provenance.get("segments") or "start" in have


def _json_equal(a: Any, b: Any) -> bool:
    """``a == b`` for values as :func:`_jsonable` gives them, except that NaN equals NaN at
    any depth (``==`` finds a provenance with a NaN parameter unequal to itself read back:
    only the very same float object is equal to a NaN)."""
    if type(a) is dict:
        return (type(b) is dict and a.keys() == b.keys()
                and all(_json_equal(v, b[k]) for k, v in a.items()))
    if type(a) is list:
        return (type(b) is list and len(a) == len(b)
                and all(_json_equal(x, y) for x, y in zip(a, b, strict=True)))
    if type(a) is float and type(b) is float and a != a and b != b:
        return True
    return a == b


def _jsonable(obj: Any) -> Any:
    """Provenance as it will read back from JSON (tuples become lists, numpy scalars numbers)."""
    try:
        # plain dicts, lists and scalars (a run's provenance and config) copied directly: the
        # JSON round trip is 40-60 us a call, twice a run
        return _plain_copy(obj, 0)
    except _NotPlain:
        return json.loads(json.dumps(obj, default=_json_default))


#: the types :func:`_plain_copy` returns as they are
_SCALAR_TYPES = frozenset((str, int, float, bool, type(None)))


class _NotPlain(Exception):
    """Raised by :func:`_plain_copy` on anything JSON would change other than tuples."""


def _plain_copy(obj: Any, depth: int) -> Any:
    """What ``json.loads(json.dumps(obj, default=_json_default))`` gives, for exact ``dict``
    (string keys), ``list``, ``tuple``, ``str``, ``int``, ``float``, ``bool``, ``None`` and
    real numpy scalars (other subclasses, keys and types, and deep nesting raise
    :class:`_NotPlain`)."""
    t = type(obj)
    if t is str or t is int or t is float or t is bool or obj is None:
        return obj
    if depth > 64:
        raise _NotPlain
    if t is dict:
        out = {}
        for k, v in obj.items():
            if type(k) is not str:
                raise _NotPlain
            out[k] = _plain_copy(v, depth + 1)
        return out
    if t is list or t is tuple:
        out = list(obj)
        # a list of plain strings (channel names, feature names) or numbers needs no call per
        # element (the element types gathered in C: 3x faster than a generator over 138 names)
        if set(map(type, out)) <= _SCALAR_TYPES:
            return out
        return [_plain_copy(v, depth + 1) for v in out]
    if t is np.float64:  # what .item() gives (band edges: a third of a run's provenance copy)
        return float(obj)
    if isinstance(obj, np.number | np.bool_):
        value = obj.item()  # as _json_default, which JSON reads back as this number
        if type(value) is float or type(value) is int or type(value) is bool:
            return value
    raise _NotPlain


def _json_default(obj: Any) -> Any:
    if isinstance(obj, np.generic):
        return obj.item()
    if isinstance(obj, np.ndarray):
        return obj.tolist()
    if isinstance(obj, os.PathLike):
        return os.fspath(obj)
    return repr(obj)
