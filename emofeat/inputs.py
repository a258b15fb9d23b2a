"""Inputs: what a run processes, and how each input is named and recognised.

A run's inputs are a list of items or a manifest (a DataFrame, or a CSV/TSV/JSON-lines/text
file read by the CLI). The reader of the run's modality decides the input column (``path`` for
files, ``text`` for texts; another with ``input_column``), the label of items given outside a
manifest (a path, ``<array 3>``, the text itself) and each input's resume key (path, size and
modification time for files; a content hash for in-memory items and texts).
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Collection, Iterable, Sequence
from typing import TYPE_CHECKING, Any

import numpy as np

from ._wording import counted, noun
from .columns import Columns, str_values
from .readers import Reader
from .segments import manifest_spans
from .store import OCCURRENCE, SIGNAL_KEY, InputKey, _bound, input_key, with_occurrence
from .table import frame_of, str_column

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd


def _is_frame(obj: Any) -> bool:
    """Whether ``obj`` is a pandas DataFrame (without importing pandas: none exists before)."""
    pd = sys.modules.get("pandas")
    return pd is not None and isinstance(obj, pd.DataFrame)


def normalize_inputs(inputs: Any, reader: Reader, input_column: str | None = None
                     ) -> tuple[list[Any], pd.DataFrame | Columns, str]:
    """Split inputs into the items to process and their identity columns.

    Returns
    -------
    items : list
        What the reader reads.
    ident : DataFrame or Columns
        One row per item: the manifest's columns, or the input column alone (a
        :class:`~emofeat.columns.Columns` for a :class:`Columns` manifest and for a list of
        files or signals; the runner makes a DataFrame of it for a table in memory).
    column : str
        The name of the input column in ``ident``.
    """
    # None is the reader's column; a falsy name (0, a column of a frame read without a
    # header) is a name: `or` read the default column for it without a word
    column = reader.input_column if input_column is None else input_column
    if _is_frame(inputs) and not all(isinstance(c, str) for c in inputs.columns):
        # columns named by numbers (a frame read without a header line: 0, 1, 2) are named
        # as a parquet output names them, '0', in memory too: a table in memory had 0 where
        # the output had '0', and a resume of that output failed on 0 after its work
        names = [str(c) for c in inputs.columns]
        twice = sorted({n for n in names if names.count(n) > 1})
        if twice:
            raise ValueError(f"the manifest's column names {', '.join(map(repr, twice))} are "
                             "one name as text (a table stores its column names as text): "
                             "rename one of them")
        inputs = inputs.set_axis(names, axis=1)
    if not isinstance(column, str):
        column = str(column)  # input_column=0 names the column '0', as above
    if isinstance(inputs, Columns):
        if column not in inputs.columns:
            hint = ("; name it with input_column= (CLI: --input-column)"
                    if input_column is None else "")
            raise ValueError(f"a manifest needs a {column!r} column{hint}")
        if reader.modality == "text":  # repeated texts are numbered with pandas
            inputs = inputs.to_pandas()
        else:
            ident = Columns(dict(inputs.data), dict(inputs.kinds))
            ident.data[column] = str_values([os.fspath(p) for p in inputs.data[column]])
            _check_utf8_paths(ident.data[column])
            return list(ident.data[column]), ident, column
    labelled = None  # a manifest DataFrame of signals in memory, read as a list of them
    if _is_frame(inputs):
        if column not in inputs.columns:
            hint = ("; name it with input_column= (CLI: --input-column)"
                    if input_column is None else "")
            raise ValueError(f"a manifest needs a {column!r} column{hint}")
        ident = inputs.reset_index(drop=True).copy()
        if reader.modality == "text":
            items = list(ident[column])
            ident[column] = [reader.label(it, i) for i, it in enumerate(items)]
            _number_repeats(ident, column)
        elif all(isinstance(p, str | os.PathLike) for p in ident[column]):
            ident[column] = ident[column].map(os.fspath)
            items = list(ident[column])
            _check_utf8_paths(items)
        else:
            pd = sys.modules["pandas"]  # a DataFrame came in: pandas is imported
            empty = [i for i, p in enumerate(ident[column])
                     if pd.api.types.is_scalar(p) and pd.isna(p)]
            if empty:
                rows = ", ".join(map(str, empty[:5])) + (", ..." if len(empty) > 5 else "")
                raise ValueError(f"empty {column!r} cell in {counted(len(empty), 'row')}: {rows} "
                                 "(positions in the DataFrame, from 0)")
            # in-memory signals (arrays, (array, sr) pairs, MNE objects) beside their labels:
            # named and checked by the list path below (os.fspath's TypeError named neither
            # the row nor the problem), the frame keeping its columns
            labelled, inputs = ident, list(ident[column])
        if labelled is None:
            return items, ident, column
    pd = sys.modules.get("pandas")
    if pd is not None and isinstance(inputs, pd.Series):
        inputs = list(inputs)
    elif isinstance(inputs, str | os.PathLike) and reader.modality != "text":
        inputs = [inputs]
    elif isinstance(inputs, str):
        raise ValueError("give a list of texts (a single string is not a list of inputs)")
    if isinstance(inputs, np.ndarray) and inputs.dtype != object and inputs.ndim < 3:
        raise ValueError(f"expected a list of {reader.modality} inputs, got a "
                         f"{inputs.ndim}-D array of shape {inputs.shape}; wrap a single "
                         "signal in a list")
    items = list(inputs)
    for i, it in enumerate(items):
        reader.check_item(it, i)
    items = reader.with_file_labels(items)
    labels = [reader.label(it, i) for i, it in enumerate(items)]
    if reader.modality != "text":
        _check_utf8_paths(labels)
    if labelled is not None:
        labelled[column] = labels
        return items, labelled, column
    if labels and reader.modality != "text" and set(map(type, labels)) == {str}:
        return items, Columns({column: str_values(labels)}, {column: "str"}), column
    import pandas as pd

    if labels and set(map(type, labels)) == {str}:
        # the frame pd.DataFrame({column: labels}) gives, a third of its time, and with a
        # columns Index whose look-ups are ready (a new one builds its table on the first)
        ident = frame_of({column: str_column(labels)}, len(labels))
    else:
        ident = pd.DataFrame({column: labels})
    if reader.modality == "text":
        _number_repeats(ident, column)
    return items, ident, column


def _check_utf8_paths(paths: Iterable[Any]) -> None:
    """Refuse, before any work, a file path that is not valid UTF-8 (a Latin-1 name from an
    old archive, which Python holds as a str with lone surrogates): the output's identity
    column and errors table store paths as UTF-8, and a run that met one at the end failed
    there ("surrogates not allowed"), after every input had been computed."""
    for p in paths:
        if isinstance(p, str) and not p.isascii():
            try:
                p.encode("utf-8")
            except UnicodeEncodeError:
                shown = p.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
                raise ValueError(
                    f"{shown}: the file name is not valid UTF-8 (the bytes shown as \\x..), "
                    "and the output stores paths as UTF-8; rename the file (convmv -f latin1 "
                    "-t utf8 converts Latin-1 names)") from None


def _number_repeats(ident: pd.DataFrame, column: str) -> None:
    """Give each row of a text listed more than once its own identity (an ``occurrence``
    column: 0, 1, ... in manifest order): two rows of the same text are two samples of a
    corpus, possibly with different labels, and each keeps its row (features are computed
    from the text alone, so they are equal)."""
    repeated = ident[column].duplicated()
    if not repeated.any():
        return
    if OCCURRENCE in ident.columns:
        raise ValueError(f"the manifest repeats texts and has an {OCCURRENCE!r} column, the "
                         "name emofeat gives the row number of a repeated text; rename it")
    ident[OCCURRENCE] = ident.groupby(column, sort=False).cumcount().astype("int64")


def input_keys(items: list[Any], ident: pd.DataFrame, reader: Reader) -> list[InputKey]:
    """The resume key of every input: the reader's key plus manifest segment bounds."""
    bounds = manifest_spans(ident)
    # looked up once: per-row pandas access costs more than hashing a text
    occurrence = (ident[OCCURRENCE].to_numpy()
                  if OCCURRENCE in ident.columns and reader.modality == "text" else None)
    keys = []
    seen: dict[InputKey, int] = {}  # signals in memory: listings of each key so far
    for i, it in enumerate(items):
        start, end = bounds[i] if bounds is not None else (None, None)
        if reader.modality != "text" and isinstance(it, str | os.PathLike):
            keys.append(input_key(os.fspath(it), start, end))
            continue
        key = (*reader.key(it, i), _bound(start), _bound(end))
        if occurrence is not None:
            key = (with_occurrence(key[0], occurrence[i]), *key[1:])
        elif reader.modality != "text":
            # a signal in memory is named by its place (<array 3>) and is a row of its own
            # there, as in a run without an output: the same samples listed again are
            # another input (an output had kept one row of them, under the first's name)
            n = seen.get(key, 0)
            seen[key] = n + 1
            if n:
                key = (with_occurrence(key[0], n), *key[1:])
        keys.append(key)
    return keys


def key_columns(plan: Any) -> list[str]:
    """The identity columns that say which input a row comes from."""
    return ([plan.input_column] + (["start", "end"] if plan.spans else [])
            + ([OCCURRENCE] if plan.occurrence else [])
            + ([SIGNAL_KEY] if plan.signal_key else []))


#: where a manifest row comes from: ``where(i)`` of row ``i`` (0-based, in manifest order) is
#: ``(file, line)``, the file as given and the 1-based line of the file the row starts on (the
#: header is line 1; blank lines and the lines of a quoted cell spanning lines counted, as an
#: editor numbers them), or ``(input, None)`` for a row that no manifest file lists (a file or
#: folder given as an input)
RowSource = Callable[[int], tuple[str, int | None]]


def check_identity_columns(ident: pd.DataFrame | Columns, added: Iterable[str],
                           spans: bool, column: str,
                           features: Collection[Any] = ()) -> None:
    """Refuse a manifest with a column named like one emofeat adds to every row (``added``:
    :func:`emofeat.compute.identity_columns`), which would otherwise replace the computed
    values (``orig_sr``, ``epoch``, ``frame``, ``time``, ``start``/``end``) with the
    manifest's; a ``start`` or ``end`` column alone, which is not a segment; and a column
    named like one of the run's ``features``, which would give the table two columns of one
    name (a parquet file nothing reads back).

    ``spans``: the manifest lists segments (both ``start`` and ``end``), whose bounds are
    the rows' ``start``/``end``."""
    have = set(ident.columns)
    named = [c for c in ident.columns if c in features]
    if named:
        shown = ", ".join(repr(c) for c in named[:3]) + (", ..." if len(named) > 3 else "")
        raise ValueError(f"the manifest has {noun(len(named), 'a column', 'columns')} "
                         f"named like features of this run ({shown}); rename "
                         f"{noun(len(named), 'it', 'them')}")
    lone = {"start", "end"} & have
    if len(lone) == 1 and "start" in added:  # a timed input: the pair would be segments
        (given,) = lone
        other = ({"start", "end"} - lone).pop()
        article = "an" if given == "end" else "a"
        raise ValueError(f"the manifest has {article} {given!r} column but no {other!r}: segments "
                         "need both (seconds), or rename the column")
    clash = [c for c in added if c in have and c != column
             and not (spans and c in ("start", "end"))]
    if clash:
        names = ", ".join(repr(c) for c in clash)
        raise ValueError(f"the manifest has {noun(len(clash), 'a column', 'columns')} {names}, "
                         "which emofeat adds to every row of this run (computed from the "
                         f"input); rename or drop {noun(len(clash), 'it', 'them')}")


def check_duplicates(ident: pd.DataFrame | Columns, keys: list[str],
                     where: RowSource | None = None,
                     listed: Sequence[str] | None = None,
                     items: Sequence[Any] | None = None) -> None:
    """Refuse a manifest that lists one input twice with different labels (which would keep
    one of them silently); identical repeats are allowed and extracted once.

    The message names the rows: with ``where`` (a manifest read from files, see
    :data:`RowSource`), by their line in the file (``labels.csv: ... (rows 3, 9: line numbers
    of the file)``, or ``(a.csv:3, b.csv:2)`` across files); without it (a table in memory), by
    their position counting a header as 1 (row 2 is the first row), as a CSV of the table
    would number them. ``listed`` (with a DataFrame): the paths as listed, where ``ident``
    holds each file's identity instead (one file spelled two ways, a link and its target, a
    folder entry seen through two mounts): the message names the spellings
    (:class:`ListedTwiceError`). ``items``: the run's inputs, row by row; a row whose input
    is in memory (an array, an MNE object: extracted on its own, whatever its label, such as
    ``epochs['pos']`` and ``epochs['neg']`` both named by their file) is no repeat of
    another."""
    others = [c for c in ident.columns if c not in keys]
    if len(ident) < 2 or not others:  # no labels that could differ
        return
    if isinstance(ident, Columns):
        _check_duplicates_columns(ident, keys, others, where)
        return
    repeated = ident.duplicated(subset=keys, keep=False).to_numpy()
    if items is not None and repeated.any():
        on_file = np.array([isinstance(it, str | os.PathLike) for it in items], dtype=bool)
        repeated = repeated & on_file
    if not repeated.any():
        return
    dup = ident[repeated]
    dup.index = np.flatnonzero(repeated)  # positions, whatever the frame's index
    for _, group in dup.groupby(keys, dropna=False, sort=False):
        if len(group[others].astype(str).drop_duplicates()) > 1:
            rows = list(group.index)
            if listed is not None and len({listed[i] for i in rows}) > 1:
                spelled = [listed[i] for i in rows]
                raise ListedTwiceError(_listed_twice(rows, spelled, where), rows, spelled)
            _refuse(group.iloc[0][keys[0]], rows, where,
                    _segment_named(keys, tuple(group.iloc[0][keys])))


def _check_duplicates_columns(ident: Columns, keys: list[str], others: list[str],
                              where: RowSource | None = None) -> None:
    """:func:`check_duplicates` of :class:`Columns`: the same rows found, the same message
    (labels compared as text, a missing cell equal only to another missing cell)."""
    columns = [ident.column(c) for c in keys]
    if len(set(columns[0] if len(columns) == 1 else zip(*columns, strict=True))) == len(ident):
        return  # every input listed once (the usual manifest): nothing to compare
    rows: dict[tuple, list[int]] = {}
    for i, k in enumerate(zip(*columns, strict=True)):
        rows.setdefault(k, []).append(i)
    for k, listed in rows.items():  # in the order of first appearance, as groupby(sort=False)
        if len(listed) < 2:
            continue
        labels = {tuple(None if v is None else str(v) for v in
                        (ident.column(c)[i] for c in others)) for i in listed}
        if len(labels) > 1:
            _refuse(k[0], listed, where, _segment_named(keys, k))


class ListedTwiceError(ValueError):
    """One file listed under two spellings (a link and its target, a mount seen twice) with
    different labels: ``rows``, its listings' positions, and ``spellings``, each one's path
    as listed, let a caller that knows where each row comes from (the CLI's manifests and
    folders) say it again with :meth:`located`."""

    def __init__(self, message: str, rows: list[int], spellings: list[str]):
        super().__init__(message)
        self.rows, self.spellings = rows, spellings

    def located(self, where: RowSource) -> str:
        """The message with each listing named by ``where``."""
        return _listed_twice(self.rows, self.spellings, where)


def _listed_twice(rows: list[int], spellings: list[str], where: RowSource | None) -> str:
    """The message of one file listed at ``rows`` (positions) as ``spellings`` (the path of
    each, as listed) with different labels: each spelling with the place of its listings,
    by ``where`` (``labels.csv:3``, ``the argument /links``) or, in memory, by row counting
    the header as 1 (the file's real path may be none of the listed ones)."""
    at: dict[str, list[int]] = {}
    for i, spelled in zip(rows, spellings, strict=True):
        at.setdefault(spelled, []).append(i)

    def places(listed: list[int]) -> str:
        shown, more = listed[:4], ", ..." if len(listed) > 4 else ""
        if where is None:
            return (f"{noun(len(listed), 'row')} "
                    f"{', '.join(str(i + 2) for i in shown)}{more}")
        return ", ".join(f if line is None else f"{f}:{line}"
                         for f, line in map(where, shown)) + more

    named = [f"{spelled!r} ({places(listed)})" for spelled, listed in list(at.items())[:4]]
    named += ["..."] if len(at) > 4 else []
    header = ", counting the header as row 1" if where is None else ""
    return (f"the inputs list one file {len(rows)} times with different labels, as "
            f"{', '.join(named[:-1])} and {named[-1]}{header}: one path spelled two ways, "
            "a symbolic link and its target, or one folder entry reached through two "
            "mounts; keep one")


def _segment_named(keys: list[str], values: tuple) -> str:
    """`` (segment 1.5-3 s)`` of a segment manifest's row (its ``start``/``end`` among the
    key ``values``), else ``""``: a file with several segments is named with the one meant."""
    if "start" not in keys or "end" not in keys:
        return ""
    start, end = values[keys.index("start")], values[keys.index("end")]
    gone = [v is None or (isinstance(v, float) and v != v) for v in (start, end)]
    if all(gone):
        return " (the whole file)"

    def shown(v: Any, missing: bool, what: str) -> str:
        # as written: the command checks bounds as seconds after this (text such as '0:00')
        if missing:
            return what
        if isinstance(v, int | float | np.integer | np.floating):
            return f"{float(v):.10g}"
        return repr(v)

    return (f" (segment {shown(start, gone[0], 'no start')}-"
            f"{shown(end, gone[1], 'no end')} s)")


def _refuse(item: Any, rows: list[int], where: RowSource | None, segment: str = "") -> None:
    """The error of an input listed at ``rows`` (positions) with different labels
    (``segment``: which of its segments, :func:`_segment_named`)."""
    shown = rows[:4]
    more = ", ..." if len(rows) > len(shown) else ""
    prefix = ""
    if where is None:
        place = f"rows {', '.join(str(i + 2) for i in shown)}{more} counting the header as 1"
    else:
        sources = [where(i) for i in shown]
        files = {f for f, _ in sources}
        if len(files) == 1 and all(line is not None for _, line in sources):
            prefix = f"{files.pop()}: "  # as the message of an empty path cell
            place = (f"rows {', '.join(str(line) for _, line in sources)}{more}: line numbers "
                     "of the file")
        else:
            place = ", ".join(f if line is None else f"{f}:{line}"
                              for f, line in sources) + more
    raise ValueError(f"{prefix}the manifest lists {item!r}{segment} {len(rows)} times with "
                     f"different labels ({place}); keep one")
