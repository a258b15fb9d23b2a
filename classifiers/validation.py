"""Checks of a feature table before training: clear messages instead of sklearn tracebacks.

Handling documented here and in ``docs/classifiers.md``:

* a missing target / group / trial column: :class:`DataError` naming the columns there are;
* rows whose target is missing (NaN, empty) or mapped to ``None`` by a label map: dropped,
  and the count is recorded in the result's settings (``dropped_rows``);
* class labels are compared in their canonical string form
  (:func:`~emofeat.classifiers.label_maps.label_str`): ``3``, ``3.0`` (an integer column
  with a missing cell is a float column) and ``"3"`` are the class ``"3"``; predictions are
  handed back as labels of the table's kind
  (:func:`~emofeat.classifiers.label_maps.label_kind`): integers when every label is one
  (an ``object`` column of Python ints included), booleans when every label is one, floats
  when every label is a number and some is not whole (2.0 and 2.5 come back as those floats),
  else strings;
* a class with fewer than ``min_class_size`` (default 2) rows: :class:`DataError` naming it
  (drop or merge it, e.g. with a label map);
* NaN features: imputed with the training folds' median inside the pipeline; infinite values
  are treated as NaN; a column that is NaN in every training row becomes 0;
* a row without any finite feature: left out of an evaluation and of train with a warning
  (:func:`without_blank_rows`), as predict gives it no prediction;
* too few groups for the protocol: :class:`~emofeat.classifiers.protocols.ProtocolError`.

Multi-label targets (``task="multilabel"``): each cell is a label set, a list / tuple / set
(detected with ``task="auto"``) or a string of labels joined by ``label_sep`` (``"3,27"``)
or, with the comma separator, written as Python writes a tuple, list or set
(``"('joy', 'anger')"``: a CSV of label sets) or as NumPy prints an array (``"['joy' 'anger']"``;
a column whose every given cell is so written, sets of different sizes, is detected with
``task="auto"`` too; sets all of one size stay classes, with a warning from two labels);
missing cells (None, NaN) are dropped; a label map maps every label of a set and a row whose
labels all map to ``None`` is dropped; ``y`` is the 0/1 indicator matrix of
:class:`~sklearn.preprocessing.MultiLabelBinarizer` over the sorted label names
(``Prepared.classes``), and a label with fewer than ``min_class_size`` positive rows is refused.
"""

from __future__ import annotations

import ast
import io
import tokenize
from collections.abc import Iterable
from dataclasses import dataclass, replace

import numpy as np
import pandas as pd
from sklearn.preprocessing import MultiLabelBinarizer

from emofeat._wording import counted, noun
from emofeat.errors import EmofeatError, option
from emofeat.table import mixed_ids, mixed_ids_said, require_table

from .label_maps import get_label_map, label_kind, label_str, map_labels
from .protocols import _is_count


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
    classes: list[str] | None = None  # multi-label: the label of each column of ``y``
    # classification: "int", "bool", "float" or "str", the type of the labels handed back
    # (label_kind)
    label_kind: str | None = None


def without_blank_rows(prep: Prepared, positions: np.ndarray | None = None,
                       what: str = "rows", training: bool = False
                       ) -> tuple[Prepared, int | None]:
    """``prep`` less its rows without any finite feature, with a warning naming them (by
    ``positions``, default ``prep.rows``, and path): an evaluation leaves them out, training
    and figures, and ``train`` (``training=True``) its fit, as
    :meth:`~.persistence.TrainedModel.predict` gives them no prediction (imputed whole, each
    would be the training medians' row, the same class for all). Also returns how many were
    left out (``None``: none)."""
    import warnings

    from emofeat.extractor import _outside_emofeat

    from .compatibility import blank_rows_message

    blank = ~np.isfinite(prep.X).any(axis=1)
    n_blank = int(blank.sum())
    if not n_blank:
        return prep, None
    pos = (prep.rows if positions is None else np.asarray(positions))[blank]
    paths = (dict(zip(pos.tolist(), prep.index["path"][blank].astype(str), strict=True))
             if "path" in prep.index.columns else None)
    left_out = (f"left out of the training (imputed whole, "
                f"{noun(n_blank, 'it', 'each')} would be a sample of the "
                "training medians' row)" if training else
                "left out of the evaluation (no prediction, not in the figures)")
    warnings.warn(blank_rows_message(pos, len(blank), f"{left_out}, as predict gives such rows "
                                     "no prediction", what, paths),
                  UserWarning, stacklevel=_outside_emofeat(2))
    keep = ~blank
    return replace(prep, X=prep.X[keep], y=prep.y[keep], rows=prep.rows[keep],
                   index=prep.index[keep].reset_index(drop=True)), n_blank


def check_columns(table, *columns: str | None) -> None:
    """Raise :class:`DataError` unless every named column is an identity column of ``table``
    (:class:`TypeError` where ``table`` is no FeatureTable)."""
    require_table(table)
    have = list(table.index.columns)
    for col in columns:
        if col is not None and col not in have:
            hint = " (it is a feature column)" if col in table.feature_names else ""
            raise DataError(f"no column {col!r} in the table{hint}; identity columns are {have}")


def keep_identity_columns(index: pd.DataFrame, added: Iterable[str]) -> pd.DataFrame:
    """``index`` with every column named like one of the ``added`` output columns renamed
    ``table_<name>``, so that adding them keeps the user's column.

    A predictions table is the evaluated rows' identity columns plus columns the package adds
    (``row``, ``group``, ``fold``, ``true``, ``pred``, ...); an identity column of that name
    (an official ``fold`` of the corpus, a ``group`` of participants) must neither be
    overwritten nor make the insertion fail. The prefix is repeated until the name is free.
    """
    added = set(added)
    clash = [c for c in index.columns if c in added]
    if not clash:
        return index
    taken = set(index.columns) | added
    names = {}
    for col in clash:
        new = f"table_{col}"
        while new in taken:
            new = f"table_{new}"
        names[col] = new
        taken.add(new)
    return index.rename(columns=names)


TASKS = ("auto", "classification", "regression", "multilabel")


def _is_label_set(value) -> bool:
    return isinstance(value, list | tuple | set | frozenset | np.ndarray)


def infer_task(values: pd.Series, task: str = "auto") -> str:
    """``classification``, ``regression`` or ``multilabel``: cells that are lists (tuples,
    sets, arrays) are label sets, and so is a column of text cells each written as Python
    writes a tuple, list or set of labels or as NumPy prints an array (a CSV of label sets
    written by pandas, ``"('joy', 'anger')"``), where the sets differ in size (all of one
    size, they may be classes coded as tuples: classes); floats (a float column, or Python floats in
    an ``object`` column) are regression, except integer values with at most 10 distinct
    values (ratings such as 1-5 read as floats because of a missing cell), which are classes;
    anything else a class. Pass ``task`` to decide yourself."""
    if task in ("classification", "regression", "multilabel"):
        return task
    if task != "auto":
        raise ValueError(f"task must be one of {TASKS}, got {task!r}")
    if values.dtype == object and any(_is_label_set(v) for v in values):
        return "multilabel"
    if _sets_vary(_written_sets(values)):
        return "multilabel"
    if values.dtype == object:
        # Python floats in an object column (built from mixed sources, astype(object)) are
        # the numbers of a float column, not one class per value
        given = values.dropna()
        if len(given) and all(isinstance(v, int | float | np.integer | np.floating)
                              and not isinstance(v, bool | np.bool_) for v in given) \
                and any(isinstance(v, float | np.floating) for v in given):
            values = given.astype(np.float64)
    if pd.api.types.is_float_dtype(values):
        nonnull = values.dropna()
        # whole numbers exactly: allclose took 2.000001 and 1000000.5 (rtol 1e-5) for
        # integer ratings
        if (len(nonnull) and bool((nonnull == np.round(nonnull)).all())
                and nonnull.nunique() <= 10):
            return "classification"  # integer ratings stored as floats
        return "regression"
    return "classification"


def _written_sets(values: pd.Series) -> list[list[str] | None] | None:
    """Each cell's labels (``None``: missing) where every given cell of a text column is a
    label set as Python or NumPy writes one (:func:`_written_label_set`), else ``None``."""
    if not (values.dtype == object or pd.api.types.is_string_dtype(values)):
        return None
    given = values.dropna()
    # the bracket test first, stopping at the first cell without one: a column of class
    # names is decided by its first cell
    if not len(given) or not all(
            isinstance(v, str) and v.strip()[:1] in ("(", "[", "{") for v in given):
        return None
    # empty labels kept: ("joy", "") is a tuple of two, as ("joy", "anger") (classes coded
    # as tuples of one size), which dropping it made a set of one
    sets = [None if _missing(v) else _written_label_set(v, ",", keep_empty=True)
            for v in values]
    if any(s is None for s, v in zip(sets, values, strict=True) if not _missing(v)):
        return None
    return sets


def _sets_vary(sets: list[list[str] | None] | None) -> bool:
    """Whether written label sets (:func:`_written_sets`) hold different numbers of labels:
    a CSV of label sets (GoEmotions' 1-5 labels a comment, written by pandas' ``to_csv``).
    Sets all of one size may be classes coded as tuples (a quadrant ``('high', 'low')``,
    where ``('low', 'high')`` is another class), which only the user can tell apart."""
    # an empty set is no size: one-label tuples with some "()" are still classes
    return sets is not None and len({len(s) for s in sets if s}) > 1


def _tuple_example(raw: pd.Series, sets: list[list[str] | None]) -> tuple[int, str] | None:
    """The size of a column's written tuples of two labels or more, and a cell as written
    (``None`` where the tuples hold one label or none)."""
    k = next((i for i, s in enumerate(sets) if s), None)
    if k is None or len(sets[k]) < 2:
        return None
    return len(sets[k]), str(raw.iloc[k]).strip()


def _warn_many_whole_numbers(target: str, raw: pd.Series, task: str) -> None:
    """Say that an integer column of more than 10 values was read as classes: the same
    values with a missing cell (a float column) are a regression (:func:`infer_task`), and a
    0-100 rating read as 18 classes gave UAR 0.12 where its regression gave CCC 0.54."""
    import warnings

    from emofeat.extractor import _outside_emofeat

    if task != "classification" or not pd.api.types.is_integer_dtype(raw) \
            or pd.api.types.is_bool_dtype(raw):
        return
    n = int(raw.nunique())
    if n <= 10:
        return
    warnings.warn(
        f"column {target!r} holds {n} distinct whole numbers ({raw.min()} to {raw.max()}), "
        f"read as {n} classes; "
        f"{option('pass task=' + repr('regression'), 'give --task regression')} if they are "
        "ratings or scores (a float column of them, one cell missing, is read as a "
        f"regression), {option('task=' + repr('classification'), '--task classification')} "
        "to keep them as classes without this warning",
        UserWarning, stacklevel=_outside_emofeat(2))


def _warn_same_size_sets(target: str, raw: pd.Series, sets: list[list[str] | None]) -> None:
    """Say that a column of tuples of one size (two labels or more) was read as classes."""
    import warnings

    from emofeat.extractor import _outside_emofeat

    example = _tuple_example(raw, sets)
    if example is None:
        return  # one label a cell (or none): its classes are its labels, whatever the brackets
    size, cell = example
    warnings.warn(
        f"every cell of column {target!r} is a tuple or list of {size} labels as Python writes "
        f"it (e.g. {cell!r}): read as classes, one per distinct tuple; "
        f"{option('pass task=' + repr('multilabel'), 'give --multilabel')} if each cell is a "
        f"set of labels (then {cell!r} is {size} labels)",
        UserWarning, stacklevel=_outside_emofeat(2))


def prepare(
    table,
    target: str,
    *,
    columns: tuple[str | None, ...] = (),
    label_map=None,
    corpus: str | None = None,
    task: str = "auto",
    min_class_size: int = 2,
    label_sep: str | None = None,
    verb: str = "evaluating",
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
    task : {"auto", "classification", "regression", "multilabel"}
    min_class_size : int
        Fewest rows a class may have (multi-label: fewest positive rows of a label); 0 or 1
        keeps every class.
    label_sep : str, optional
        Multi-label: the separator of labels in a string cell (default ``","``); giving it
        with ``task="auto"`` asks for a multi-label target.
    verb : str
        What the rows are prepared for, as a refusal's advice ends (``"... before training"``).
    """
    check_columns(table, target, *columns)
    if table.X.shape[1] == 0:
        raise DataError("the table has no feature columns")
    if not _is_count(min_class_size, 0):
        # -3 and True refused no class, 2.5 refused classes of 2 rows, and "5" failed in
        # numpy ("ufunc 'less' did not contain a loop"), none of them naming the parameter;
        # 0, "no minimum", ran before and keeps every class as 1 does
        raise ValueError(f"min_class_size must be an integer of at least 0 (0 or 1 keeps "
                         f"every class), got {min_class_size!r}")
    if label_sep is not None and (not isinstance(label_sep, str) or not label_sep):
        # str.split's own "empty separator" named neither the option nor the way out
        raise ValueError(f"label_sep (--label-sep) must be the separator of the labels in a "
                         f"multi-label cell, such as ',' ('3,27' is two labels), got "
                         f"{label_sep!r}")
    raw = table.index[target]
    if task == "auto" and label_sep is not None:
        task = "multilabel"
    written = None
    if task == "auto":
        # decided here, each cell parsed once (infer_task would parse them again); None for
        # a column of lists (no text cells), which infer_task takes below
        written = _written_sets(raw)
        if written is not None:
            if _sets_vary(written):
                task = "multilabel"
                written = [None if w is None else [v for v in w if v] for w in written]
            else:
                _warn_same_size_sets(target, raw, written)
                if all(s is None or len(s) <= 1 for s in written):
                    # "('joy',)": the class joy, which a label map knows (a GoEmotions CSV
                    # of single-label rows); "()" no label, a row without a class
                    raw = pd.Series([s[0] if s else None for s in written],
                                    index=raw.index, dtype=object)
                task = "classification"
    if infer_task(raw, task) == "multilabel":
        return _prepare_multilabel(table, target, raw, columns, label_map, corpus,
                                   "," if label_sep is None else label_sep, min_class_size,
                                   verb, written)
    if label_map is not None:
        example = None if written is None else _tuple_example(raw, written)
        before = raw
        raw = map_labels(raw.where(raw.notna(), None), label_map, corpus=corpus)
        raw = raw.where(raw.notna() & (raw != "None"), None)
        if example is not None and raw.isna().all():
            # "no rows left: every value is missing or unmapped" did not say why
            raise DataError(
                f"no rows left: no {target!r} value maps, as its cells are tuples of "
                f"{example[0]} labels read as classes (e.g. {example[1]!r}), which "
                f"{option('label_map', '--label-map')} does not know; "
                f"{option('pass task=' + repr('multilabel'), 'give --multilabel')} to map "
                "each label of a set")
        if raw.isna().all() and before.notna().any():
            raise _nothing_maps(target, before[before.notna()], label_map, corpus)
    auto = task == "auto"
    task = infer_task(raw, task)
    if auto:
        _warn_many_whole_numbers(target, raw, task)
    missing = raw.isna().to_numpy() | (raw.astype(str).str.strip() == "").to_numpy()
    rows = _usable_rows(table, target, missing, columns)
    if task == "classification":
        # canonical strings: 3 and 3.0 (an integer column with a missing cell) are one class
        y = raw.iloc[rows].map(label_str).to_numpy().astype(str)
        labels, counts = np.unique(y, return_counts=True)
        refuse_written_two_ways([str(v) for v in labels], target, "label")
        if len(labels) < 2:
            # str: NumPy's repr said "np.str_('anger')"
            raise DataError(f"column {target!r} has a single class ({str(labels[0])!r}): "
                            "nothing to classify")
        rare = {str(lab): int(c)
                for lab, c in zip(labels, counts, strict=True) if c < min_class_size}
        if rare:
            # a numeric target read as classes has one class per value: name a few, not all
            shown = dict(list(rare.items())[:10])
            more = f" and {len(rare) - 10} more" if len(rare) > 10 else ""
            numeric = pd.to_numeric(pd.Series(labels), errors="coerce").notna().all()
            regression = option("pass task='regression'", "give --task regression")
            hint = f" (a numeric target? {regression})" if numeric and len(labels) > 10 else ""
            raise DataError(
                f"{noun(len(rare), 'a class', 'classes')} with fewer than "
                f"{counted(min_class_size, 'row')} in {target!r}: {shown}{more}"
                f"{hint}; drop those rows or merge the classes (e.g. with "
                f"{option('label_map=...', '--label-map')}) before {verb}"
            )
    else:
        y = pd.to_numeric(raw.iloc[rows], errors="coerce").to_numpy(dtype=float)
        if np.isnan(y).any():
            raise DataError(f"column {target!r} holds non-numeric values for a regression")
        if not np.isfinite(y).all():  # no error is defined against an infinite target
            raise DataError(f"column {target!r} holds "
                            f"{counted(int((~np.isfinite(y)).sum()), 'infinite value')} for a "
                            "regression; drop those rows or give finite targets")
    X = np.asarray(table.X[rows], dtype=np.float64)
    if not np.isfinite(X).all():
        X = np.where(np.isinf(X), np.nan, X)
    return Prepared(X=X, y=y, rows=rows, index=table.index.iloc[rows].reset_index(drop=True),
                    task=task, dropped=int(len(raw) - len(rows)),
                    label_kind=(label_kind(raw.iloc[rows])
                                if task == "classification" else None))


def _usable_rows(table, target: str, missing: np.ndarray, columns: Iterable[str | None]
                 ) -> np.ndarray:
    """Rows whose target is given and whose grouping columns are not missing."""
    # bool whatever made it: the label sets' list of no rows was float64, whose ~ failed
    # ("ufunc 'invert' not supported") where a table of no rows should say so
    missing = np.asarray(missing, dtype=bool)
    given = ~missing
    empty = []  # grouping columns without a value: the rows are gone whatever the target
    for col in columns:
        if col is not None:
            absent = table.index[col].isna().to_numpy()
            if len(absent) and absent.all():
                empty.append(col)
            missing = missing | absent
    rows = np.flatnonzero(~missing)
    for col in dict.fromkeys(c for c in columns if c is not None):
        refuse_mixed_ids(table.index[col].iloc[rows], col)
        refuse_written_two_ways(table.index[col].iloc[rows], col)
    if len(rows) == 0:
        # the target was blamed for a group column without a value (every emotion given)
        if not len(missing):
            why = "the table has no rows"
        elif not given.any():
            why = f"every {target!r} value is missing or unmapped"
        elif empty:
            why = (f"the {empty[0]!r} column has no value (a row is used only with its "
                   f"{empty[0]!r}; {counted(int(given.sum()), 'row')} have their {target!r}): "
                   f"fill it, or group by another column")
        else:
            shown = " and ".join(repr(c) for c in dict.fromkeys(c for c in columns if c))
            why = f"no row has both a {target!r} value and a {shown} value"
        raise DataError(f"no rows left: {why}")
    return rows


def _strippable(char: str) -> bool:
    """White space, or a format character pasted with a cell that ``str.strip`` keeps (a
    zero-width space, a byte-order mark, a direction mark): not a joiner, a variation
    selector or a tag character, which end emoji sequences and flags."""
    import unicodedata

    return char.isspace() or (unicodedata.category(char) == "Cf" and char != "\u200d"
                              and not 0xE0000 <= ord(char) <= 0xE007F)


def _bounds(text: str) -> tuple[int, int]:
    """Where ``text`` starts and ends without the white space and the invisible format
    characters around it (:func:`_strippable`)."""
    i, j = 0, len(text)
    while i < j and _strippable(text[i]):
        i += 1
    while j > i and _strippable(text[j - 1]):
        j -= 1
    return i, j


def _bare(text: str) -> str:
    """``text`` without what :func:`_bounds` leaves out around it."""
    i, j = _bounds(text)
    return text[i:j]


def _stripped(text: str) -> str:
    """The characters :func:`_bare` takes off ``text``."""
    i, j = _bounds(text)
    return text[:i] + text[j:]


def _shown(text: str) -> str:
    """``repr(text)`` with its invisible characters escaped (a variation selector, which
    ``repr`` prints as itself, showed ``'\u2764\ufe0f'`` as ``'\u2764'``)."""
    from emofeat.eeg_input import _invisible

    return "'" + "".join(
        (f"\\u{ord(c):04x}" if ord(c) <= 0xFFFF else f"\\U{ord(c):08x}")
        if _invisible(c) and not c.isspace() else "\\'" if c == "'" else repr(c)[1:-1]
        for c in text) + "'"


def _written_two_ways(values: Iterable) -> tuple[str, str] | None:
    """Two distinct texts among ``values`` that differ only by surrounding white space or
    invisible characters, or by Unicode form (``'01 '`` and ``'01'``; ``'\\ufeff01'`` and
    ``'01'``; ``'José'`` composed and decomposed, as macOS writes names), else ``None``."""
    import unicodedata

    seen: dict[str, str] = {}
    for v in dict.fromkeys(v for v in values if isinstance(v, str)):
        key = _bare(unicodedata.normalize("NFC", v))
        if key in seen:
            return seen[key], v
        seen[key] = v
    return None


def refuse_written_two_ways(values: Iterable, column: str, what: str = "id",
                            where: str = "table.index", harm: str | None = None) -> None:
    """Raise :class:`DataError` when ``column`` holds one value written two ways (white space
    around it, or two Unicode forms): two groups of a split (a speaker on both sides), two
    classes of a target, without a word (UAR 0.40 read 0.66 on RAVDESS with every other
    row's speaker ``'01 '``). ``harm``: what the two do, where it is not a split's or a
    target's (a model standardising each group with its own rows)."""
    pair = _written_two_ways(values)
    if pair is None:
        return
    a, b = pair
    two = harm or (f"two groups to evaluation and training (one {column} on both sides of a "
                   "split)" if what == "id" else "two classes")
    around, strip = _way_out(a, b)
    if not _bare(a) and not _bare(b):
        # '' beside ' ': no value at all, twice; the strip below made them one group of every
        # row without an id, as if one speaker's
        raise DataError(_blanks_said(a, b, column, what, where, harm, strip))
    raise DataError(
        f"column {column!r} holds {_shown(a)} and {_shown(b)}, one {what} written two ways "
        f"({around}, "
        f"or two Unicode forms, NFC and NFD): {two}; make them one, e.g. "
        f"{where}[{column!r}] = {where}[{column!r}].str.{strip}.str.normalize('NFC')")


def _way_out(*texts: str) -> tuple[str, str]:
    """What ``texts`` (one value written two ways) differ by, in words, and the
    ``strip(...)`` that makes them one."""
    import string

    # str.strip() keeps a zero-width space or a BOM, and strip(chars) keeps the white
    # space it is not given (a no-break space): name every character taken off
    taken = set("".join(map(_stripped, texts)))
    hidden = "".join(sorted(taken - set(string.whitespace)))
    strip = f"strip({_shown(string.whitespace + hidden)})" if hidden else "strip()"
    around = ("spaces or invisible characters around it"
              if any(not c.isspace() for c in taken) else "spaces around it")
    return around, strip


def refuse_written_two_ways_across(train: Iterable, test: Iterable, column: str,
                                   mapped: bool = False) -> None:
    """Raise :class:`DataError` when the labels of a cross-corpus pair hold one label written
    two ways (``'happy '`` and ``'happy'``), across the tables or within one: two labels,
    so a cross-corpus evaluation left rows out as labels only one table has, its warning
    listing them as such. Every spelling counts, whatever the order of the rows (review 1
    of session 47: the test table's own second spelling hid the first, or was blamed on the
    training table). ``mapped``: the labels are a label map's, which may be what writes
    them so (a hand-typed dict), and the way out says so."""
    import unicodedata

    held: dict[str, list[str]] = {}  # spelling -> the tables holding it
    for name, values in (("training", train), ("test", test)):
        for v in dict.fromkeys(v for v in values if isinstance(v, str)):
            held.setdefault(v, []).append(name)
    spellings: dict[str, list[str]] = {}
    for v in held:
        if k := _bare(unicodedata.normalize("NFC", v)):
            spellings.setdefault(k, []).append(v)
    groups = [vs for vs in spellings.values() if len(vs) > 1]
    if not groups:
        return

    def whose(v: str) -> str:
        return "both tables' " if len(held[v]) == 2 else f"the {held[v][0]} table's "

    around, strip = _way_out(*(v for vs in groups for v in vs))
    shown = ", ".join(" and ".join(whose(v) + _shown(v) for v in vs)
                      for vs in groups[:5]) + (f" and {len(groups) - 5} more"
                                               if len(groups) > 5 else "")
    across = all(len(vs) == 2 and {held[vs[0]][0], held[vs[1]][0]} == {"training", "test"}
                 and len(held[vs[0]]) == len(held[vs[1]]) == 1 for vs in groups)
    harm = ("read as labels that one table has and the other lacks, their rows would be "
            "left out" if across else "read as different labels, rows of one spelling would "
            "be left out as a label one table lacks, or scored as another class")
    cells = f"table.index[{column!r}]"
    raise DataError(
        f"column {column!r}: {shown}: {noun(len(groups), 'one label', 'labels')} written two "
        f"ways ({around}, or two Unicode forms, NFC and NFD): {harm}; make them one in both "
        f"tables, e.g. {cells} = {cells}.str.{strip}.str.normalize('NFC')"
        # the table's strip changes nothing where the map's values are what is padded
        + (f"; where a label map writes them so, in the map, e.g. label_map = {{k: "
           f"v.{strip} if isinstance(v, str) else v for k, v in label_map.items()}}"
           if mapped else ""))


def _blanks_said(a: str, b: str, column: str, what: str, where: str, harm: str | None,
                 strip: str) -> str:
    """The refusal of two blank values (``''`` and ``' '``), with the way out: the rows
    given their values, or the blanks made missing (rows left out, as a missing cell's are);
    a model standardising each group refuses rows without an id, so there only the first."""
    one = "one group of every row without one" if what == "id" else "one class"
    said = (f"column {column!r} holds {_shown(a)} and {_shown(b)}, blank {what}s written two "
            f"ways: made one, they would be {one}")
    cells = f"{where}[{column!r}]"
    if harm is not None:
        return (f"{said}, standardised as if one {column}'s; give those rows their {column} "
                f"ids (recordings of an unknown {column} an id of their own, e.g. the "
                "session)")
    if what == "id":
        said += f" (on one side of every split, as if one {column}'s)"
    return (f"{said}; give those rows their {column} {what}s, or make the blank cells "
            f"missing so that their rows are left out, e.g. "
            f"{cells} = {cells}.mask({cells}.str.{strip} == '')")


def refuse_mixed_ids(values: pd.Series, column: str, where: str = "table.index") -> None:
    """Raise :class:`DataError` when the group ``column`` holds text and numbers: ``'03'``
    and ``3`` (a manifest read two ways) were two groups, one speaker on both sides of a
    split."""
    mixed = mixed_ids(values)
    if mixed is not None:
        raise DataError(f"column {mixed_ids_said(column, *mixed, where)}")


def _label_set(value, sep: str) -> list[str] | None:
    """The labels of one multi-label cell (``None`` when the cell is missing)."""
    if _is_label_set(value):
        # a blank member is no label, as in a written set ("('joy', '')") and a blank cell:
        # ('joy', '') beside ('joy',) made '' a label of its own, scored as a class
        return [lab for lab in (label_str(v) for v in value if not _missing(v)) if _bare(lab)]
    if _missing(value):
        return None
    if isinstance(value, str):
        written = _written_label_set(value, sep)
        if written is not None:
            return written
        return [p.strip() for p in value.split(sep) if p.strip()]
    return [label_str(value)]  # a single label stored as a number (pandas read "25" as 25)


def _written_label_set(text: str, sep: str, keep_empty: bool = False) -> list[str] | None:
    """The labels of a tuple, list or set as Python writes it (``"('joy', 'anger')"``), or of
    a NumPy array of labels as it prints (``"['joy' 'anger']"``), else None.

    A DataFrame of label sets written to CSV (``load_goemotions(...).to_csv``, as docs/text.md
    does) holds each set's repr (a column read from parquet or Arrow holds arrays: their
    ``str``); split on the separator it gave the labels ``"('joy'"`` and ``"'anger')"``,
    figures of labels that do not exist, without an error. Read so only with the comma
    separator, the one these forms use: with another, a column of the user's own format
    would read some cells one way and some the other.
    """
    text = text.strip()
    if sep != "," or (text[:1], text[-1:]) not in (("(", ")"), ("[", "]"), ("{", "}")):
        return None
    try:
        tokens = [t for t in tokenize.generate_tokens(io.StringIO(text).readline)
                  if t.type not in (tokenize.NL, tokenize.NEWLINE, tokenize.ENDMARKER)]
    except (tokenize.TokenError, SyntaxError):
        return None  # "(a,b": text that only looks like one
    inner = tokens[1:-1]
    values = [t for t in inner if t.type in (tokenize.STRING, tokenize.NUMBER)]
    if text[0] == "[" and values and len(values) == len(inner):  # NumPy's "['a' 'b']"
        items = [ast.literal_eval(t.string) for t in values]
    else:
        try:
            value = ast.literal_eval(text)
        except (ValueError, SyntaxError, MemoryError, RecursionError):
            return None  # "(none)": text that only looks like one
        # "('a' 'b')" is one string to Python: adjacent literals joined, a label made up
        if not isinstance(value, tuple | list | set) or len(values) != len(value):
            return None  # "('a')" is a string
        items = list(value)
    if not all(isinstance(v, str | int | float) and not isinstance(v, bool) for v in items):
        return None  # a set holds label names or ids only
    labels = [label_str(v).strip() for v in items]
    return labels if keep_empty else [v for v in labels if v]


def _missing(value) -> bool:
    return value is None or (isinstance(value, float) and np.isnan(value)) or value is pd.NA


def _nothing_maps(target: str, labels: Iterable, label_map, corpus) -> DataError:
    """The error of a label map that maps none of a column's labels, naming some of them and
    some the map knows ("no rows left: every value is missing or unmapped" said neither)."""
    from collections.abc import Mapping

    from emofeat._natural import natural_key

    given = sorted({label_str(v) for v in labels}, key=natural_key)
    keys: list[str] = []
    if isinstance(label_map, str):
        try:
            keys = [str(k) for k in get_label_map(label_map, corpus=corpus, labels=given)]
        except ValueError:
            keys = []
    elif isinstance(label_map, Mapping):
        keys = [label_str(k) for k in label_map]

    def some(values):
        return ", ".join(map(repr, values[:8])) + (", ..." if len(values) > 8 else "")

    said = f"no rows left: no {target!r} label maps ({some(given)})"
    known = set(keys)
    dropped = [g for g in given if g in known]
    if dropped:  # {"a": None}: the map knows them, and takes them to nothing
        said += f"; the map takes {some(dropped)} to nothing"
    elif keys:
        said += f"; the map knows {some(sorted(set(keys), key=natural_key))}"
        numbers = pd.to_numeric(pd.Series(given), errors="coerce").notna().all()
        if numbers and not pd.to_numeric(pd.Series(keys), errors="coerce").notna().any():
            said += "; the labels are numbers where the map knows names: give the names"
            if corpus == "goemotions" or "admiration" in keys:
                said += (" (GoEmotions' ids index its emotions.txt, from 0; "
                         "emofeat.datasets.load_goemotions reads its files with the names)")
    return DataError(said)


def _map_sets(sets: list[list[str] | None], label_map, corpus) -> list[list[str] | None]:
    """Map every label of every set; a set whose labels all map to nothing becomes ``None``."""
    flat = [lab for s in sets if s for lab in s]
    mapped = (dict(zip(flat, map_labels(flat, label_map, corpus=corpus), strict=True))
              if flat else {})
    out = []
    for s in sets:
        if s is None:
            out.append(None)
            continue
        new = sorted({str(mapped[lab]) for lab in s
                      if mapped[lab] is not None and str(mapped[lab]) not in ("None", "nan")})
        out.append(new if new or not s else None)
    return out


def _prepare_multilabel(table, target: str, raw: pd.Series, columns: Iterable[str | None],
                        label_map, corpus, sep: str, min_class_size: int,
                        verb: str, sets: list[list[str] | None] | None = None) -> Prepared:
    if sets is None:
        sets = [_label_set(v, sep) for v in raw]
    if label_map is not None:
        given = [lab for s in sets if s for lab in s]
        sets = _map_sets(sets, label_map, corpus)
        if given and all(s is None for s in sets):
            raise _nothing_maps(target, given, label_map, corpus)
    rows = _usable_rows(table, target, np.array([s is None for s in sets]), columns)
    classes = sorted({lab for i in rows for lab in sets[i]})
    refuse_written_two_ways(classes, target, "label")
    if len(classes) < 1:
        raise DataError(f"column {target!r} holds no label: nothing to classify")
    mlb = MultiLabelBinarizer(classes=classes)
    y = mlb.fit_transform([sets[i] for i in rows]).astype(np.int64)
    counts = y.sum(axis=0)
    rare = {lab: int(c) for lab, c in zip(classes, counts, strict=True) if c < min_class_size}
    if rare:
        raise DataError(
            f"{counted(len(rare), 'label')} with fewer than {min_class_size} positive rows in "
            f"{target!r}: {rare}; "
            f"drop or merge them (e.g. with {option('label_map=...', '--label-map')}) before "
            f"{verb}")
    X = np.asarray(table.X[rows], dtype=np.float64)
    if not np.isfinite(X).all():
        X = np.where(np.isinf(X), np.nan, X)
    return Prepared(X=X, y=y, rows=rows, index=table.index.iloc[rows].reset_index(drop=True),
                    task="multilabel", dropped=int(len(raw) - len(rows)), classes=classes)
