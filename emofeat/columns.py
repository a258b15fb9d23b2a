"""A run's identity columns without pandas: the ``emofeat extract`` command's fast path.

A run carries, for every input, the manifest's columns (``path``, ``speaker``, labels ...)
into its output. The Python API takes and returns them as pandas DataFrames; the command
writing a parquet file needs no DataFrame at all, and importing pandas was a tenth of its
time on 1,440 files (0.3-0.45 s of start-up, serial for ``-j 2`` as for ``-j 1``).

:class:`Columns` holds those columns as numpy arrays (``str`` columns as object arrays of
``str`` with ``None`` for a missing cell, ``int64`` columns as ``int64`` arrays), and
:func:`read_manifest_csv` reads a manifest CSV into one **exactly** as
:func:`emofeat.datasets.load_manifest` reads it (pandas' inference on the same cells), or
returns ``None`` when that is not certain (quotes, blank or ragged lines, float, boolean or
empty columns, segment manifests, an older pandas ...): the caller then reads it with
pandas, as before. Parts are then made straight from Arrow arrays with the same types and the
same schema metadata, pandas' own included (:func:`part_schema`, :func:`arrow_rows`), so the
output is the same file whichever way the manifest was read.
"""

from __future__ import annotations

import json
import os
import re
import sys
from pathlib import Path
from typing import Any

import numpy as np

#: identifier-like manifest columns read as strings, so that ``"03"`` stays ``"03"``
#: (:func:`emofeat.datasets.load_manifest`)
ID_COLUMNS = frozenset({"path", "speaker", "subject", "session", "actor", "trial",
                        "statement", "repetition"})

#: the kinds of column :class:`Columns` holds: numpy dtype, and pandas' ``pandas_type`` /
#: ``numpy_type`` in the ``pandas`` schema metadata that ``pyarrow.Table.from_pandas`` writes
#: for the column (``str``: pandas' default string dtype, whose entry depends on the installed
#: pandas: :func:`str_spec`)
KINDS = {
    "str": (object, None, None),
    "int64": (np.int64, "int64", "int64"),
    "float64": (np.float64, "float64", "float64"),
}

#: how ``pyarrow.Table.from_pandas`` writes a column of pandas' default string dtype, by
#: pandas' major version: Arrow type, ``pandas_type``, ``numpy_type``. pandas 2's default is
#: NumPy's object dtype (Arrow ``string``), pandas 3's its ``str`` dtype, which keeps the
#: strings in an Arrow ``large_string`` array. :func:`str_spec` picks one without importing
#: pandas; a test checks each against pyarrow's own entry for the installed pandas
STR_SPECS = {
    2: ("string", "unicode", "object"),
    3: ("large_string", "object", "str"),
}

#: the first pyarrow whose ``pandas`` metadata has an ``attributes`` entry (the frame's
#: ``attrs``; apache/arrow#47147, in 22.0): written as that pyarrow writes it
_ATTRIBUTES_SINCE = 22

_INT = re.compile(r"[+-]?[0-9]{1,18}")  # what pandas reads as int64 for certain
#: characters of a cell pandas might read as a number (digits, signs, point, exponent,
#: spaces); a cell with any other is text, unless it is one of these words
_NUMERIC_CHARS = re.compile(r"[0-9+\-.eE \t]*")
_WORDS = frozenset({"inf", "+inf", "-inf", "infinity", "+infinity", "-infinity", "nan",
                    "+nan", "-nan", "true", "false"})


class Columns:
    """Identity columns of a run's inputs, one value per input, without pandas.

    Parameters
    ----------
    data : dict of str to ndarray
        One array per column, in order, all of the same length: ``object`` arrays of ``str``
        (``None``: missing) for ``str`` columns, ``int64`` or ``float64`` arrays.
    kinds : dict of str to str
        Each column's kind, a key of :data:`KINDS`.
    """

    __slots__ = ("data", "kinds", "n")

    def __init__(self, data: dict[str, np.ndarray], kinds: dict[str, str]) -> None:
        self.data = data
        self.kinds = kinds
        self.n = len(next(iter(data.values()))) if data else 0

    @property
    def columns(self) -> list[str]:
        return list(self.data)

    def __len__(self) -> int:
        return self.n

    def __repr__(self) -> str:
        return f"Columns({self.n} rows: {', '.join(f'{c} {k}' for c, k in self.kinds.items())})"

    def column(self, name: str) -> np.ndarray:
        return self.data[name]

    def take(self, rows: Any) -> Columns:
        """The rows at positions ``rows``, in that order."""
        rows = np.asarray(rows, dtype=np.int64)
        return Columns({c: v[rows] for c, v in self.data.items()}, dict(self.kinds))

    def to_pandas(self, extra: dict[str, Any] | None = None):
        """The DataFrame pandas would have made of the same manifest (what
        :func:`emofeat.datasets.load_manifest` returns): default string dtype for ``str``
        columns (missing cells NaN), ``int64``/``float64`` arrays as they are; ``extra``:
        more columns (arrays of as many rows, owned by the frame), set as ``dict.update``
        would."""

        from .table import frame_of, str_dtype

        cols: dict[str, Any] = {}
        for c, v in self.data.items():
            if self.kinds[c] == "str":
                cols[c] = _str_array(v, str_dtype())
            else:
                cols[c] = np.array(v, dtype=KINDS[self.kinds[c]][0])
        if extra:
            cols.update(extra)
        return frame_of(cols, self.n)


def _str_array(values: np.ndarray, dtype: Any) -> Any:
    """``pd.array(list(values), dtype=dtype)`` of an object array of ``str`` (``None``
    missing), pandas' default string dtype: when that dtype keeps its strings in an Arrow
    ``large_string`` array (pandas 3), the Arrow array is made directly and wrapped (the same
    array, a third of pandas' time after other code has run: no inference of each value);
    anything else, or a value Arrow refuses, through ``pd.array``."""
    import pandas as pd

    if isinstance(dtype, np.dtype):
        # pandas 2 without ``future.infer_string``: the default string dtype is NumPy's object
        # dtype, which has no array type of its own; missing cells are NaN, as read_csv gives
        out = np.array(values, dtype=object)
        out[pd.isna(out)] = np.nan
        return out
    cls = dtype.construct_array_type()
    if getattr(dtype, "storage", None) == "pyarrow" and cls.__name__ == "ArrowStringArray":
        import pyarrow as pa

        try:
            arrow = pa.array(values, type=pa.large_string(), from_pandas=True)
        except (pa.ArrowInvalid, pa.ArrowTypeError, UnicodeError):
            arrow = None
        if arrow is not None:
            return cls(pa.chunked_array([arrow]), dtype=dtype)
    return pd.array(list(values), dtype=dtype)


def concat_files(parts: list[Columns]) -> Columns:
    """One :class:`Columns` of several with the same single ``str`` column (files)."""
    name = parts[0].columns[0]
    values = np.empty(sum(len(p) for p in parts), dtype=object)
    values[:] = [v for p in parts for v in p.data[name]]
    return Columns({name: values}, {name: "str"})


def str_values(values: list[Any]) -> np.ndarray:
    """``values`` as a 1-D object array (``np.array`` would make a ``<U`` array)."""
    out = np.empty(len(values), dtype=object)
    out[:] = values
    return out


def pandas_version() -> str | None:
    """pandas' ``__version__``, read from its installed files without importing it (``None``
    when the files are not where pandas keeps them): the version the ``pandas`` schema
    metadata records, and whose default string dtype :func:`str_spec` describes."""
    got = _PANDAS_VERSION
    if got:
        return got[0]
    version = None
    if "pandas" in sys.modules:
        version = str(sys.modules["pandas"].__version__)
    else:
        from importlib.util import find_spec

        try:
            spec = find_spec("pandas")
        except (ImportError, ValueError):  # pragma: no cover - a broken environment
            spec = None
        if spec is not None and spec.origin:
            try:
                text = (Path(spec.origin).parent / "_version_meson.py").read_text()
            except OSError:
                text = ""
            m = re.search(r"""^__version__\s*=\s*["']([^"']+)["']""", text, re.M)
            version = m.group(1) if m else None
    _PANDAS_VERSION.append(version)
    return version


_PANDAS_VERSION: list[str | None] = []


def pandas_major() -> int | None:
    """The major version of the installed pandas (:func:`pandas_version`), ``None`` when
    unknown."""
    version = pandas_version()
    major = None if version is None else re.match(r"\d+", version)
    return None if major is None else int(major.group())


def exact_floats() -> dict[str, str]:
    """``pandas.read_csv``'s arguments for numbers read as the doubles nearest to what the
    file says (Python's ``float`` of each cell): pandas 2's default parser can be a unit in
    the last place off (a recording written by ``to_csv`` read back 3.6e-15 from its
    samples, pandas 2.2.2); pandas 3 reads them so by default and deprecates the argument.
    Python's parser (``round_trip``) is slower. Called before ``read_csv``, so pandas'
    own version is asked (:func:`pandas_version` may know none)."""
    import pandas as pd

    return {"float_precision": "round_trip"} if int(pd.__version__.split(".")[0]) < 3 else {}


def str_spec() -> tuple[str, str, str] | None:
    """How ``pyarrow.Table.from_pandas`` writes a column of pandas' default string dtype under
    the installed pandas: Arrow type name, ``pandas_type`` and ``numpy_type`` (``None`` when
    unknown: the caller goes through pandas).

    Without pandas imported its default is that of its version (:data:`STR_SPECS`); an
    imported pandas may have had its default changed (``future.infer_string``), so pyarrow
    is asked how it writes a one-cell frame (pandas costs nothing more then)."""
    pd = sys.modules.get("pandas")
    if pd is None:
        major = pandas_major()
        if major is None:
            return None
        return STR_SPECS[3] if major >= 3 else STR_SPECS.get(major)
    # the default string dtype itself, not the option (pandas 3 deprecates reading it, and
    # silencing that warning changed the filters of every thread in the process: a Dask
    # worker's other shards lost their warnings)
    key = repr(pd.Series(["a"]).dtype)
    spec = _STR_SPEC.get(key)
    if spec is None:
        import pyarrow as pa

        table = pa.Table.from_pandas(pd.DataFrame({"c": ["a"]}), preserve_index=False)
        entry = json.loads(table.schema.metadata[b"pandas"])["columns"][0]
        spec = _STR_SPEC[key] = (str(table.schema.field("c").type), entry["pandas_type"],
                                 entry["numpy_type"])
    return spec


_STR_SPEC: dict[Any, tuple[str, str, str]] = {}


def read_manifest_csv(csv: Path, path_column: str = "path") -> Columns | None:
    """A manifest CSV as :func:`emofeat.datasets.load_manifest` (``check_files=False``) reads
    it, or ``None`` when this reader cannot be sure to read it the same way (the caller then
    uses pandas).

    Read here: UTF-8 files without quotes, blank lines or rows of another length than the
    header, distinct non-empty column names, at least one row; identifier columns
    (:data:`ID_COLUMNS`) and columns holding a cell that is text for certain are ``str``
    (empty cells missing), columns of whole numbers with no empty cell are ``int64``, as
    pandas infers them. Float, boolean and empty columns, and segment manifests (``start``,
    ``end``), go to pandas. Relative paths are resolved against the CSV's folder.
    """
    if str_spec() != STR_SPECS[3]:
        # the inference below is read_csv's with pandas 3's default string dtype; with
        # another (pandas 2's object) pandas reads the manifest
        return None
    try:
        text = csv.read_bytes().decode("utf-8")
    except (OSError, UnicodeDecodeError):
        return None  # pandas says what is wrong
    if '"' in text or text.startswith("\ufeff"):
        return None
    if "\r" in text:
        text = text.replace("\r\n", "\n")
        if "\r" in text:
            return None
    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    if len(lines) < 2 or "" in lines:
        return None
    header = lines[0].split(",")
    width = len(header)
    if (path_column not in header or "start" in header or "end" in header
            or len(set(header)) != width or any(not h or h != h.strip() for h in header)):
        return None
    rows = [line.split(",") for line in lines[1:]]
    if any(len(r) != width for r in rows):
        return None
    data: dict[str, np.ndarray] = {}
    kinds: dict[str, str] = {}
    for j, name in enumerate(header):
        cells = [r[j] for r in rows]
        kind = _kind_of(cells, name.lower() in ID_COLUMNS)
        if kind is None:
            return None
        if kind == "int64":
            data[name] = np.array([int(v) for v in cells], dtype=np.int64)
        else:
            data[name] = str_values([v if v != "" else None for v in cells])
        kinds[name] = kind
    if kinds[path_column] != "str":
        return None  # pandas reads it otherwise (numbers), or not at all
    paths = data[path_column]
    if any(p is None or p.startswith("~") or "://" in p for p in paths):
        # an empty cell: load_manifest's error names it; "~" it expands; a URL it keeps
        return None
    base = csv.resolve().parent
    # os.path.isabs is Path.is_absolute on POSIX (a leading "/"), at a tenth of its cost;
    # paths are joined as written (".." kept): they are the resume keys of existing outputs
    absolute = os.path.isabs if os.name == "posix" else (lambda p: Path(p).is_absolute())
    data[path_column] = str_values([p if absolute(p) else str(base / p) for p in paths])
    return Columns(data, kinds)


def _kind_of(cells: list[str], identifier: bool) -> str | None:
    """``str`` or ``int64`` as pandas infers a column of these cells (``identifier``: read
    as strings), ``None`` when another type (float, bool) or doubt."""
    if identifier:
        return "str"
    if all(_INT.fullmatch(v) for v in cells):
        return "int64"
    for v in cells:
        if v and not _NUMERIC_CHARS.fullmatch(v) and v.strip().lower() not in _WORDS:
            return "str"  # pandas reads no number or bool from it: the column is text
    return None


def take_rows(ident: Any, rows: list[int]) -> Any:
    """The identity rows at positions ``rows`` (``ident.iloc[rows]`` of a DataFrame)."""
    return ident.take(rows) if isinstance(ident, Columns) else ident.iloc[rows]


def label_of(ident: Any, column: str, i: int) -> str:
    """The label of the ``i``-th input, as its error row names it."""
    if isinstance(ident, Columns):
        return str(ident.column(column)[i])
    return str(ident[column].iat[i])


# ------------------------------------------------------------------------------ to Arrow
def supported(kinds: dict[str, str]) -> bool:
    """Whether every kind (identity column dtype) is one :class:`Columns` turns into Arrow,
    as pandas would (``str``: where its default string dtype is written as an Arrow
    ``string`` or ``large_string``, which :func:`_arrow_array` makes)."""
    if any(k not in KINDS for k in kinds.values()):
        return False
    if "str" not in kinds.values():
        return True
    spec = str_spec()
    return spec is not None and spec[0] in ("string", "large_string")


def _arrow_type(kind: str):
    import pyarrow as pa

    if kind == "str":
        return pa.type_for_alias(str_spec()[0])
    return {"int64": pa.int64(), "float64": pa.float64()}[kind]


def _pandas_types(kind: str) -> tuple[str, str]:
    """``pandas_type`` and ``numpy_type`` of a column of this kind in the ``pandas`` metadata."""
    if kind == "str":
        return str_spec()[1:]
    return KINDS[kind][1:]


def identity_kinds(ident: Columns, added: dict[str, str]) -> dict[str, str]:
    """The identity columns of a run's rows: the manifest's, then those the run adds that
    the manifest has not."""
    kinds = dict(ident.kinds)
    for c, k in added.items():
        kinds.setdefault(c, k)
    return kinds


def pandas_metadata(kinds: dict[str, str]) -> bytes:
    """The ``pandas`` schema metadata ``pyarrow.Table.from_pandas(frame,
    preserve_index=False)`` writes for a frame of these columns (without ``attrs``), under
    the installed pandas and pyarrow."""
    import pyarrow as pa

    columns = []
    for c, k in kinds.items():
        pandas_type, numpy_type = _pandas_types(k)
        columns.append({"name": c, "field_name": c, "pandas_type": pandas_type,
                        "numpy_type": numpy_type, "metadata": None})
    meta: dict[str, Any] = {"index_columns": [], "column_indexes": [], "columns": columns}
    if int(pa.__version__.split(".")[0]) >= _ATTRIBUTES_SINCE:
        meta["attributes"] = {}
    meta["creator"] = {"library": "pyarrow", "version": pa.__version__}
    meta["pandas_version"] = pandas_version()
    return json.dumps(meta).encode("utf8")


def part_schema(kinds: dict[str, str], names: list[str], provenance: dict[str, Any]):
    """The schema (with its metadata) ``FeatureTable.to_arrow`` gives a table of these
    identity columns and float64 features."""
    import pyarrow as pa

    from .table import METADATA_KEY, SCHEMA_VERSION, _jsonable

    fields = [pa.field(c, _arrow_type(k)) for c, k in kinds.items()]
    fields += [pa.field(n, pa.float64()) for n in names]
    meta = {b"pandas": pandas_metadata(kinds)}
    meta[METADATA_KEY] = json.dumps({
        "schema_version": SCHEMA_VERSION, "index_columns": list(kinds),
        "feature_names": list(names), "dtype": np.dtype(np.float64).str,
        "provenance": _jsonable(provenance),
    }).encode()
    return pa.schema(fields, metadata=meta)


def arrow_rows(ident: Columns, owner: np.ndarray, added: dict[str, np.ndarray],
               blocks: list[np.ndarray], schema):
    """A ``pyarrow.Table`` of ``schema`` (its metadata left out): the manifest's columns at
    rows ``owner``, the added identity columns, the features (``blocks`` of rows), with the
    values ``pa.Table.from_pandas`` gives the identity columns (NaN floats missing).

    The arrays are made from their buffers: ``pyarrow.array`` imports pandas whenever it is
    installed, to check whether what it is given is a pandas object."""
    import pyarrow as pa

    arrays = []
    for c, v in ident.data.items():
        arrays.append(_arrow_array(v[owner], ident.kinds[c]))
    for c, v in added.items():
        if c not in ident.data:
            arrays.append(_arrow_array(v, "float64" if v.dtype.kind == "f" else "int64"))
    X = blocks[0] if len(blocks) == 1 else np.concatenate(blocks, axis=0)
    columns = np.ascontiguousarray(np.asarray(X, dtype=np.float64).T)  # a row per feature
    n = columns.shape[1]
    arrays += [pa.Array.from_buffers(pa.float64(), n, [None, pa.py_buffer(columns[j])],
                                     null_count=0) for j in range(columns.shape[0])]
    return pa.Table.from_arrays(arrays, schema=schema.remove_metadata())


def _arrow_array(values: np.ndarray, kind: str):
    """``values`` as the Arrow array ``pa.Table.from_pandas`` makes of a column of this kind
    (``str``: ``None`` missing; ``float64``: NaN missing), from buffers."""
    import pyarrow as pa

    n = len(values)
    if kind == "str":
        arrow_type = _arrow_type(kind)  # string (32-bit offsets) or large_string (64-bit)
        valid = np.fromiter((v is not None for v in values), dtype=bool, count=n)
        try:
            encoded = [b"" if v is None else v.encode("utf-8") for v in values]
        except UnicodeEncodeError:  # what pyarrow says of it
            return pa.array(values, type=arrow_type)
        offsets = np.zeros(n + 1, dtype=np.int64)
        np.cumsum(np.fromiter(map(len, encoded), dtype=np.int64, count=n), out=offsets[1:])
        if arrow_type == pa.string():
            if offsets[-1] > np.iinfo(np.int32).max:  # pyarrow's error for it
                return pa.array(values, type=arrow_type)
            offsets = offsets.astype(np.int32)
        buffers = [pa.py_buffer(offsets), pa.py_buffer(b"".join(encoded))]
    else:
        dtype = KINDS[kind][0]
        data = np.ascontiguousarray(values, dtype=dtype)
        valid = ~np.isnan(data) if kind == "float64" else np.ones(n, dtype=bool)
        buffers = [pa.py_buffer(data)]
        arrow_type = _arrow_type(kind)
    nulls = n - int(np.count_nonzero(valid))
    validity = pa.py_buffer(np.packbits(valid, bitorder="little")) if nulls else None
    return pa.Array.from_buffers(arrow_type, n, [validity, *buffers], null_count=nulls)
