"""Run extractors over many inputs: shared decoding, parallel files, recorded failures.

:func:`run` is what the CLI, :func:`emofeat.extract` and ``Extractor.extract`` go through.
Each input is decoded and resampled once per distinct analysis rate, however many feature
sets are asked for; inputs are processed in chunks by joblib worker processes when
``n_jobs > 1``; output order is input order whatever ``n_jobs`` is.
"""

from __future__ import annotations

import contextlib
import datetime as _dt
import logging
import os
import platform
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import partial
from typing import TYPE_CHECKING, Any

import numpy as np

from ._libraries import merged, run_libraries
from ._run_options import (
    BLOCK_SECONDS,
    LONG_FILE_SECONDS,
    check_blocks,
    check_output,
)
from ._version import __version__
from ._wording import counted
from .audio import file_warnings_once
from .columns import Columns, str_values, supported
from .compute import (  # noqa: F401
    CAUGHT,
    ROW_GROUP,
    Plan,
    Rows,
    _min_seconds,
    align_frames,
    identity_columns,
    table_of,
    tail_rule,
    tail_rule_moot,
)
from .eeg_input import epochs_loaded_once
from .errors import option
from .extractor import Extractor, check_same_modality
from .inputs import (
    check_duplicates,
    check_identity_columns,
    input_keys,
    key_columns,
    normalize_inputs,
)
from .schedule import (
    MOST_PER_PART,
    choose_backend,
    make_shards,
    progress_bar,
    run_shards,
    start_fork_pool,
)
from .segments import FixedSegments, manifest_spans, parse_duration
from .store import (
    OCCURRENCE,
    SIGNAL_KEY,
    ParameterMismatchError,
    Relabel,
    file_identities,
    is_content_key,
)
from .table import FeatureTable, _jsonable

if TYPE_CHECKING:  # pragma: no cover
    from pathlib import Path

    import pandas as pd

# pandas is imported where a DataFrame is given or asked for (a manifest DataFrame, a table in
# memory, ``RunResult.errors``): the command writing a file reads its manifest into
# emofeat.columns.Columns and makes its parts with pyarrow alone

log = logging.getLogger("emofeat.runner")

ERROR_COLUMNS = ["path", "stage", "error_type", "message"]


@dataclass
class RunResult:
    """What a run produced.

    Attributes
    ----------
    table : FeatureTable or None
        Features of every input that succeeded (``None`` if none did, or when the run wrote
        to an ``output``: read it with :meth:`FeatureTable.read_parquet`).
    errors : DataFrame
        One row per failed input: ``path`` (the input's label: its path, ``<array i>``, or
        the text), ``stage`` (``read`` or ``extract``), ``error_type``, ``message``, and
        ``start``, ``end`` for the segments of a segment manifest. Made from
        ``error_rows`` when first asked for.
    error_rows : list of tuple
        The same rows as tuples, in the order of ``error_columns``.
    n_inputs : int
        Inputs given (files, or manifest rows).
    seconds : float
        Wall time of the run.
    audio_seconds : float
        Total duration of the signals processed in this run that succeeded (0 for text).
    n_skipped : int
        Inputs skipped because the output already held them (resume).
    n_repeated : int
        Inputs listed again after their first listing: the same file (however its path is
        spelled: ``a.wav``, ``./a.wav`` and its absolute path are one) and segment, with or
        without an output, extracted once, its row that of the first listing. Texts are
        never repeats (each listing is a row of its own); signals given in memory are with
        an output only (their key is a hash of their content: an equal copy too).
    n_segments : int
        Segments analysed (one per input unless cutting into windows).
    n_rows : int
        Rows produced in this run.
    texts : bool
        The inputs were texts: :meth:`summary` leaves the segments out.
    output : str or None
        Where the rows were written.
    kept_output : bool
        The run was to replace the output (``overwrite=True``, or the continuation of such
        a run that had staged no row) and every input failed: the output is left as it
        was, its earlier rows kept (it used to be replaced by an empty table).
    restarted : bool
        The output held no rows (every input of the run that wrote it failed) and was
        refused for this run's parameters: the run started it again, as ``overwrite=True``
        would (with a warning). With ``kept_output`` too, every input failed again and the
        restart wrote nothing: the output is the earlier run's, without rows, and the
        failures are this run's.
    n_staged_kept : int
        With ``kept_output``: the inputs whose rows a replacement stopped before (by
        ``fail_fast``, or killed) had staged, left staged for the continuation that can read
        its inputs (they replaced the whole output before: 4 rows by 1); 0 where none.
    recorded_folder : bool
        The run wrote no rows but rewrote the output file, written by an earlier version of
        emofeat, to record the folder its relative paths are read against (provenance
        ``relative_paths``; its rows and the rest of its provenance as they were).
    recorded_rule : bool
        The output was written before its sets' tail rule was recorded and holds the rows
        the rule gives: the run resumed it and recorded the rule (a file output with nothing
        new to write is rewritten for it, its rows as they were).
    n_relabelled : int
        Rows of the finished output (written by earlier runs that finished it) whose manifest
        columns (labels) the run rewrote with other values, as the current manifest gives
        them: a rerun with nothing new to extract may still update labels. The rows of an
        interrupted run are counted in ``n_merged`` instead, whatever their labels.
    n_merged : int
        Rows of the parts an interrupted run left (killed before it finished the output: in
        no finished output until then) that the run took into the output (merged into a
        file; in a dataset folder, its parts kept), labelled as the current manifest gives
        them whatever labels that run gave them (not counted in ``n_relabelled``); their
        inputs are counted in ``n_skipped``.
    reordered : bool
        The rows already in the output are in another order among themselves: the manifest
        lists their inputs in another order than the output held them.
    n_renamed : int
        Rows of the finished output of signals given in memory, named by their place in the
        list (``<array 3>``), whose name the run rewrote (found by their content key,
        ``signal_key``): listed at another place now, or no longer listed (``<array 3 of an
        earlier list>``).
    n_changed : int
        Inputs of the output whose file changed since its rows were written (same path,
        other size or modification time), segments of a manifest where its rows are
        segments (:attr:`spans`): their old rows were removed and the run extracted
        them again (counted in ``n_rows`` or, failing now, in the errors, where the output
        then holds no row of them).
    """

    table: FeatureTable | None
    n_inputs: int = 0
    seconds: float = 0.0
    audio_seconds: float = 0.0
    n_skipped: int = 0
    n_repeated: int = 0
    n_segments: int = 0
    n_rows: int | None = None
    texts: bool = False
    output: str | None = None
    error_rows: list[tuple] = field(default_factory=list)
    error_columns: tuple[str, ...] = tuple(ERROR_COLUMNS)
    recorded_folder: bool = False
    recorded_rule: bool = False
    kept_output: bool = False
    restarted: bool = False
    n_staged_kept: int = 0
    n_relabelled: int = 0
    n_merged: int = 0
    reordered: bool = False
    n_renamed: int = 0
    n_changed: int = 0

    def __post_init__(self) -> None:
        if self.n_rows is None:
            self.n_rows = 0 if self.table is None else len(self.table)

    @property
    def errors(self) -> pd.DataFrame:
        got = self.__dict__.get("_errors")
        if got is None:
            import pandas as pd

            got = self.__dict__["_errors"] = (
                pd.DataFrame(self.error_rows, columns=list(self.error_columns))
                if self.error_rows else _no_errors(self.error_columns))
        return got

    @property
    def n_failed(self) -> int:
        return len(self.error_rows)

    @property
    def spans(self) -> bool:
        """The inputs were a segment manifest's rows (its errors carry ``start``, ``end``):
        :meth:`summary` and the command count segments, not files, as ``emofeat info``
        does (a failed segment's file may have rows of its other segments)."""
        return "start" in self.error_columns

    def read(self) -> FeatureTable | None:
        """The features: the table in memory, or the whole ``output`` read back (rows of
        earlier runs included)."""
        if self.table is not None or self.output is None:
            return self.table
        return FeatureTable.read_parquet(self.output)

    def summary(self) -> str:
        """One line: files, done, skipped, repeated, failed, segments, rows, rows of an
        interrupted run kept, rows relabelled, rows reordered (those three where any), time,
        times real time."""
        done = self.n_inputs - self.n_failed - self.n_skipped - self.n_repeated
        skipped = f"{self.n_skipped} skipped (already done), " if self.n_skipped else ""
        if self.n_repeated:  # a repeat was "skipped (already done)" in a fresh output
            skipped += f"{self.n_repeated} repeated (extracted once), "
        if self.audio_seconds > 0:  # timed signals: speed as a multiple of real time
            speed = f"{self.audio_seconds / max(self.seconds, 1e-9):.0f}x real time"
        else:
            unit = "segments" if self.spans else "inputs"
            speed = f"{done / max(self.seconds, 1e-9):.0f} {unit}/s"
        changes = "".join(f"{c}, " for c in self.changes())
        # a text is no segment of anything: "20 segments" of 20 texts read as a slip
        segments = "" if self.texts else f"{counted(self.n_segments, 'segment')}, "
        inputs = counted(self.n_inputs, "input")
        if self.spans:  # a manifest's rows are segments: "3 inputs" of 2 files misled
            inputs, segments = f"{counted(self.n_inputs, 'segment')} (manifest rows)", ""
        return (
            f"{inputs}, {done} done, {skipped}{self.n_failed} failed, "
            f"{segments}{counted(self.n_rows, 'row')}, "
            f"{changes}{self.seconds:.1f} s ({speed})"
        )

    def changes(self) -> list[str]:
        """What the run changed in the rows already there or left by an interrupted run.

        Returns
        -------
        list of str
            In words, as the summary line and the command say them
            (``['2 rows of an interrupted run kept', 'labels of 1 row updated']``): old
            rows of changed inputs removed (``n_changed``), rows
            kept (``n_merged``), labels updated (``n_relabelled``), rows of signals in
            memory renamed (``n_renamed``), rows reordered (``reordered``); empty where the
            run changed none of these.
        """
        out = []
        if self.n_changed:
            # said where the input failed again too: the output then lost its rows, and
            # 'nothing new written to OUT' was all the command said
            # a manifest's inputs are its segments: '3 inputs' was said of 3 segments of
            # one file
            unit = "segment" if self.spans else "input"
            out.append(f"old rows of {counted(self.n_changed, unit)} changed since removed")
        if self.n_merged:
            out.append(f"{counted(self.n_merged, 'row')} of an interrupted run kept")
        if self.n_relabelled:
            out.append(f"labels of {counted(self.n_relabelled, 'row')} updated")
        if self.n_renamed:
            out.append(f"{counted(self.n_renamed, 'row')} of signals in memory renamed by "
                       "their place in the list")
        if self.reordered:
            out.append("rows reordered as the manifest lists them")
        return out


def _provenance(extractors: Sequence[Any], level: str,
                sets: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    import numba
    import scipy

    return _jsonable({
        "emofeat_version": __version__,
        "created": _dt.datetime.now(_dt.UTC).isoformat(timespec="seconds"),
        "level": level,
        "sets": _describe_sets(extractors) if sets is None else sets,
        "environment": {
            "python": platform.python_version(),
            "numpy": np.__version__,
            "scipy": scipy.__version__,
            "numba": numba.__version__,
            "platform": platform.platform(),
        },
    })


def _describe_sets(extractors: Sequence[Any]) -> list[dict[str, Any]]:
    from .registry import set_name_of

    out = []
    for ext in extractors:
        # a data file's ~ recorded as read, the home folder, as the command's --param does:
        # '~/x' from Python and the command's expanded path gave two fingerprints of one run
        # parameters given as a value that stands for another (MFCC's precision="auto") are
        # recorded as they take effect: a change of default keeps the fingerprint of an output
        # whose numbers it leaves alone, and changes that of one whose numbers it changes
        params = {**ext.get_params(deep=False), **home_folder_params(ext),
                  **getattr(ext, "resolved_params", dict)()}
        desc = {"name": set_name_of(ext),
                "class": f"{type(ext).__module__}.{type(ext).__qualname__}",
                "params": params}
        files = _data_files(ext)
        if files:  # absent otherwise: the fingerprints of outputs without files stay
            desc["files"] = files
        numbers = numbers_version(ext)
        if numbers:  # 0 absent, likewise: outputs written before it existed keep resuming
            desc["numbers_version"] = numbers
        out.append(desc)
    return out


def numbers_version(ext: Any) -> int:
    """The set's :attr:`~emofeat.extractor.Extractor.numbers_version` (0 for a set of a
    user's that does not derive from ``Extractor``)."""
    return int(getattr(type(ext), "numbers_version", 0) or 0)


def home_folder_params(ext: Any) -> dict[str, Any]:
    """The parameters of ``ext`` that name a file it reads (its ``data_files()``: a user or
    NRC lexicon's path) with a leading ``~``, that ``~`` read as the home folder (as the set
    reads the file, and the command its path arguments); only those changed. Only the
    strings the set names as its files, wherever they are in its parameters, change."""
    try:
        files = getattr(ext, "data_files", list)()
    except (TypeError, ValueError):  # parameters it cannot read: check_params says what
        return {}
    homes = {f: os.path.expanduser(f) for f in files if isinstance(f, str) and f[:1] == "~"}
    homes = {f: home for f, home in homes.items() if home != f}
    if not homes:
        return {}

    def expand(value: Any) -> Any:
        if isinstance(value, str):
            return homes.get(value, value)
        if isinstance(value, tuple | list):
            return type(value)(expand(v) for v in value)
        return value

    params = {k: v for k, v in ext.get_params(deep=False).items()
              if isinstance(v, str | tuple | list)}
    return {k: expand(v) for k, v in params.items() if expand(v) != v}


def _data_files(ext: Any) -> dict[str, str]:
    """``{path: sha256}`` of the files a set says it reads (``data_files()``: a user or NRC
    lexicon given by its path), in the set's description: an output resumed after the file
    was edited is refused for its other fingerprint, where the path alone let rows of both
    contents mix in one table; and the provenance says which content the numbers come from.
    Asked of the set, not guessed from its string parameters: an option value such as
    ``'flip'`` named a file of the working folder, whose hash then keyed the output."""
    import hashlib

    found: dict[str, str] = {}
    for path in getattr(ext, "data_files", list)():
        # a leading ~ is the home folder, as where the set reads the file, and so recorded
        # (home_folder_params): one key from Python and from the command
        path = os.path.expanduser(path) if isinstance(path, str) else path
        if path in found:
            continue
        try:
            with open(path, "rb") as fh:
                found[path] = hashlib.file_digest(fh, "sha256").hexdigest()
        except OSError:  # unreadable: the set says so when it reads it
            pass
    return found


#: tuples of feature names found distinct (a run's sets give the same names run after run;
#: a set of thousands of names was a tenth of a millisecond a run)
_DISTINCT: dict[tuple[str, ...], frozenset[str] | None] = {}


def _distinct(names: list[str]) -> tuple[bool, frozenset[str] | None]:
    """Whether ``names`` are distinct and, when they are all ``str``, their set (for the
    table's checks, compute.table_of; ``None`` otherwise): the tuple of names made and
    hashed once a run (it was twice, once more to look the set up)."""
    key = tuple(names)
    got = _DISTINCT.get(key, _MISSING)
    if got is not _MISSING:
        return True, got
    if len(set(names)) != len(names):
        return False, None
    if len(_DISTINCT) >= 16:
        _DISTINCT.clear()
    got = _DISTINCT[key] = frozenset(names) if set(map(type, names)) <= {str} else None
    return True, got


_MISSING = object()


def _fit_names(extractors: Sequence[Any], items: Sequence[Any]) -> None:
    """Fit the extractors whose feature names depend on the data (EEG channels) on the first
    input each can read.

    An input that cannot be read here is passed over, not raised: it fails again where every
    input is read, and is recorded (or raised, naming it) there like any other, so that one
    broken file at the head of a batch does not stop the run. Each input is read at most once
    per reader, and the first readable one is handed to ``fit`` as the signal read.

    Raises
    ------
    ValueError
        No input given.
    InputError
        No input could be read: the first input's error (the one ``on_error="raise"`` would
        give), its message saying that none could be read.
    """
    import warnings

    from .errors import EmptyInputError

    pending = [ext for ext in extractors
               if ext.names_from_data and getattr(ext, "channels_", None) is None]
    if not pending:
        return
    if not items:
        raise ValueError(f"{type(pending[0]).__name__} learns its channels from the first "
                         "input; no input given")
    read: dict[tuple[Any, int], Any] = {}  # (reader, position) -> first signal or the error
    for ext in pending:
        reader = ext.reader()
        first_error = None
        for i, item in enumerate(items):
            got = read.get((reader, i))
            if got is None:
                try:
                    with warnings.catch_warnings():
                        # the channel names only: a bad channel is reported once, when the
                        # input's features are computed
                        warnings.simplefilter("ignore", UserWarning)
                        reader.check_item(item, i)
                        signals = reader.read(item, i)
                    got = signals[0] if signals else EmptyInputError(
                        reader.label(item, i), "no signal in it")
                except CAUGHT as exc:
                    got = exc
                read[(reader, i)] = got
            if isinstance(got, BaseException):
                log.info("%s: channels not learnt from %s (%s: %s); trying the next input",
                         ext.set_name or type(ext).__name__, reader.label(item, i),
                         type(got).__name__, got)
                first_error = first_error or got
                continue
            ext.fit([got])  # a signal: the reader hands it back as it is
            break
        else:
            raise _none_readable(ext, len(items), first_error)


def _none_readable(ext: Any, n: int, first: BaseException | None) -> BaseException:
    """The error of a run none of whose ``n`` inputs could be read to learn ``ext``'s
    channels: of the first input's type, naming it."""
    from .errors import InputError

    name = f"the {ext.set_name!r} set" if ext.set_name else type(ext).__name__
    none = "its one input could not" if n == 1 else f"none of the {n} inputs could"
    why = f"{name} learns its channel names from the first input it can read, and {none} be read"
    if isinstance(first, InputError):
        err = type(first)(first.source, f"{first.problem} ({why})")
    else:
        err = InputError("<inputs>", f"{why} (first: {type(first).__name__}: {first})")
    err.__cause__ = first
    return err


def _check_extractors(extractors: Sequence[Any], items: Sequence[Any]
                      ) -> tuple[list[Any], str, list[str], frozenset[str] | None]:
    """Checked extractors (fitted on the first readable input where names depend on the
    data, :func:`_fit_names`), their common level, the output's feature names and their set
    (``None`` unless all are ``str``)."""
    levels = {getattr(ext, "level", "functionals") for ext in extractors}
    if len(levels) != 1:
        raise ValueError(f"all sets must be at the same level, got {sorted(levels)}")
    for ext in extractors:
        ext.check_params()
    _fit_names(extractors, items)
    names: list[str] = []
    for ext in extractors:
        if type(ext).get_feature_names_out is Extractor.get_feature_names_out:
            # the base's names without its object array (the same strings)
            ext._check_fitted()
            names += ext.feature_names()
        else:
            names += list(ext.get_feature_names_out())
    distinct, name_set = _distinct(names)
    if not distinct:
        seen, clash = set(), []
        for n in names:
            if n in seen:
                clash.append(n)
            seen.add(n)
        raise ValueError(f"the feature sets produce clashing feature names ({clash[:3]}); "
                         "give each set once")
    return list(extractors), levels.pop(), names, name_set


@epochs_loaded_once  # a lazy Epochs keyed, fitted on and extracted: one load
# a file cut short says so once a run, not once per segment or window read from it (around
# the fork: the workers take the run's record along)
@file_warnings_once()
def run(
    inputs: Iterable[Any] | pd.DataFrame,
    extractors: Sequence[Any],
    *,
    n_jobs: int | None = 1,
    on_error: str = "raise",
    progress: bool = False,
    chunk_size: int | None = None,
    segment: float | str | None = None,
    hop: float | str | None = None,
    output: str | os.PathLike | None = None,
    layout: str = "auto",
    overwrite: bool = False,
    backend: str = "auto",
    scheduler: Any = None,
    long_file_seconds: float | None = LONG_FILE_SECONDS,
    block_seconds: float = BLOCK_SECONDS,
    input_column: str | None = None,
) -> RunResult:
    """Extract features of ``inputs`` with one or more extractors into one table.

    Parameters
    ----------
    inputs : list of input items, or a manifest DataFrame
        Items of the extractors' modality: audio paths, arrays or ``(array, sr)`` pairs; EEG
        recordings (paths, ``(array, sfreq[, ch_names])``, MNE objects); texts. A manifest
        has the input column (``path`` for files, ``text`` for texts, or ``input_column``)
        and any label columns, carried into the output; with ``start`` and ``end`` columns
        (seconds) it lists segments: one output row (per frame at the LLD level) per
        manifest row.
    extractors : sequence of extractors
        All of one modality and at the same ``level``; their columns are concatenated in
        order.
    n_jobs : int or None, default 1
        Worker processes (see ``backend``), or the workers of a local Dask cluster; ``-1``
        for one per core; ``None``: 1, as in joblib. Another value than a whole number (not
        0) is a ``ValueError``.
    on_error : {"raise", "record"}
        Raise the first error (naming the input), or record every failure in
        ``RunResult.errors`` and go on with the rest.
    progress : bool
        Show a progress bar (rate and remaining time).
    chunk_size : int, optional
        Inputs per shard (a task for a worker; a part of the output). Default: a balance of
        overhead and load: about four shards per worker, at most 32 inputs (256 with
        ``output``, where each shard is a parquet part). The consecutive manifest segments
        of one audio file libsndfile cannot seek in stay in one shard, however many: it
        reads them forward, decoding the file once. A whole number of 1 or more (as
        ``--chunk-size``); anything else is a ``ValueError``.
    segment, hop : float or str, optional
        Cut every timed input into windows of ``segment`` seconds every ``hop`` seconds
        (``"3s"``, ``"500ms"``); see :mod:`emofeat.segments`.
    output : path, optional
        Write to this parquet file or dataset folder (a leading ``~``: the home folder)
        shard by shard instead of returning the table: crash-safe and resumable (inputs
        already in it are skipped, recognised by path,
        however spelled, ``a.wav`` or ``./a.wav`` or absolute or a symbolic link to it
        (or its folder entry reached through another mount; hard links are inputs of their
        own),
        size and modification time, or by content for in-memory items and texts). The
        output records the folder its relative paths are relative to (provenance
        ``relative_paths``): a rerun from another folder reads them there, and stores its
        own relative paths absolute; see
        :mod:`emofeat.store`. ``RunResult.table`` is then ``None``.
    layout : {"auto", "file", "dataset"}
        With ``output``: one file, or a folder of parts (``auto``: a file if the name ends
        in ``.parquet``).
    overwrite : bool
        With ``output``: start again instead of resuming.
    backend : {"auto", "fork", "loky", "dask"}
        How ``n_jobs > 1`` runs. ``fork``: worker processes forked from this one once the
        kernels are loaded, so they start at once (POSIX; the default on Linux). ``loky``:
        joblib's fresh worker processes, each importing emofeat and loading the kernels (about
        2 s each; the default elsewhere). ``dask``: shards on a Dask distributed cluster
        (``scheduler``), each worker writing its own parts; needs ``output`` on a file system
        every worker sees.
    scheduler : str or distributed.Client, optional
        Address of a Dask scheduler (``tcp://host:8786``) or a client; implies
        ``backend="dask"``. Without it, ``backend="dask"`` starts a local cluster of ``n_jobs``
        worker processes.
    long_file_seconds : float or None, default 600
        Audio files longer than this are analysed in blocks (bounded memory; see
        :mod:`emofeat.blocks`). ``0``: every file; ``None`` (or ``inf``): never. Audio
        only: given with text or EEG extractors, it is a ``ValueError`` (as ``--long-file``).
    block_seconds : float, default 60
        Block length for long audio files (positive, finite); audio only, as
        ``long_file_seconds``.
    input_column : str, optional
        The manifest column holding the inputs (default: the reader's, ``path`` or ``text``).
        An empty name is a ``ValueError``, as an empty ``--input-column`` is.

    Returns
    -------
    RunResult
    """
    if on_error not in ("raise", "record"):
        raise ValueError(f"on_error must be 'raise' or 'record', got {on_error!r}")
    _check_chunk_size_and_column(chunk_size, input_column)
    from .schedule import n_workers

    # None is one process, as in joblib and scikit-learn (it was a TypeError); the count is
    # checked before any work, where 0.5 was a ZeroDivisionError in the shards' sizes
    n_jobs = 1 if n_jobs is None else n_jobs
    n_workers(n_jobs)
    # as the command checks -o, --format, --backend and --scheduler
    check_output(output, layout, backend, scheduler)
    backend = choose_backend(backend, scheduler)
    if output is not None:
        # '~/x.parquet' as read_table and to_parquet read it: the parts went to a folder
        # named '~' in the working one while pyarrow's write went to the home folder, and
        # the finish failed (FileNotFoundError)
        output = os.path.expanduser(os.fspath(output))
    if backend == "dask" and output is None:
        raise ValueError("the dask backend writes parts: give an output")
    t0 = time.perf_counter()
    extractors = list(extractors)
    if not extractors:
        raise ValueError("no extractor given")
    modality = check_same_modality(extractors)
    check_blocks(modality, long_file_seconds, block_seconds)
    long_file_seconds = None if long_file_seconds is None else float(long_file_seconds)
    block_seconds = float(block_seconds)
    reader = extractors[0].reader()
    items, ident, column = normalize_inputs(inputs, reader, input_column)
    if output is not None and modality != "text":
        _check_signal_key_free(ident, items)
    if output is not None and not isinstance(ident, Columns):
        from .table import _unwritable_columns

        # before the output is opened: pyarrow's "Expected bytes, got a 'int' object" of a
        # speaker column of '03' and 3 came when the parts' schema was made
        said = _unwritable_columns(ident, where="manifest")
        if said:
            raise ValueError(f"the manifest's {said}")
    extractors, level, names, name_set = _check_extractors(extractors, items)
    fixed = _windows(segment, hop, reader)
    spans = manifest_spans(ident) is not None
    if spans and fixed is not None:
        raise ValueError("the manifest lists segments (start, end); do not also cut windows")
    if fixed is not None:
        _check_windows(fixed, extractors)
    if spans and not reader.timed:
        raise ValueError(f"{modality} inputs have no time axis: a manifest cannot list "
                         "start/end segments of them")
    folder = None
    if (output is not None and not overwrite and reader.modality != "text"
            and _all_paths(items)):
        from .store import relative_folder

        # the folder the output's relative paths are relative to (an older emofeat's
        # output records none). From another folder this run's relative paths are made
        # absolute, as the command makes them: stored as listed, they would be read against
        # that folder
        folder = relative_folder(output, layout)
        if folder is not None and folder != os.getcwd():
            items, ident = _made_absolute(items, ident, column)
    pool, keys, held = None, None, None
    if backend == "fork" and n_jobs != 1:
        if output is not None:
            # what the workers write their parts with, imported once here for all of them
            # (imported after the fork, each worker paid it again: 0.05-0.1 s of CPU)
            import pyarrow.ipc  # noqa: F401

            keys = _early_keys(items, ident, reader)
            if keys is not None and not overwrite:
                from .store import holds_every_input, keys_held

                held = keys_held(output, layout)  # starts no thread: the fork stays safe
        if held is not None and holds_every_input(held, keys, by_file=reader.modality != "text",
                                                  folder=folder):
            # a rerun with nothing left to do forks no workers (loading the kernels for them
            # was 0.03-0.2 s of CPU). Should an input change before the output is opened, the
            # run is serial: forking after the output is read and locked is not safe
            log.info("%s holds every input: no worker processes", output)
            n_jobs = 1
        else:
            # kernels loaded, workers forked now (before any thread or lock), then the plan
            pool = start_fork_pool(extractors, n_jobs, len(items))
    # Ctrl-C: the pool ends its workers now, not after their shards (ForkPool.__exit__)
    with pool if pool is not None else contextlib.nullcontext():
        return _plan_and_execute(extractors, level, names, name_set, items, ident, column,
                                 reader, modality, fixed, spans, n_jobs, on_error, progress,
                                 chunk_size, output, layout, overwrite, backend, scheduler,
                                 long_file_seconds, block_seconds, pool, t0, keys, held,
                                 folder)


def _check_chunk_size_and_column(chunk_size: Any, input_column: Any) -> None:
    """Refuse what the command refuses of ``--chunk-size`` and ``--input-column``, where
    ``run`` took it without a word: a chunk size that is no whole number of 1 or more (``0``,
    ``-5``, ``2.5``, ``True``: the shards were made of one input each, or of 2.5), and an
    empty input column name (``''``, like ``None``, read the default column: a manifest
    whose inputs are in another column was read from ``path``)."""
    import numbers

    if chunk_size is not None and (isinstance(chunk_size, bool)
                                   or not isinstance(chunk_size, numbers.Integral)
                                   or chunk_size < 1):
        raise ValueError(f"chunk_size must be a whole number of 1 or more inputs (None: "
                         f"chosen by the run), got {chunk_size!r}")
    if isinstance(input_column, str) and not input_column.strip():
        raise ValueError(f"input_column must name a column (None: the reader's, path or "
                         f"text), got {input_column!r}")


def _all_paths(items: Sequence[Any]) -> bool:
    """Whether every input is a path (a file), none a signal or object in memory."""
    return all(isinstance(it, str | os.PathLike) for it in items)


def _check_signal_key_free(ident: Any, items: Sequence[Any]) -> None:
    """Refuse a manifest of signals in memory with a column named like the one an output
    gives their rows (their resume key, :data:`emofeat.store.SIGNAL_KEY`)."""
    if SIGNAL_KEY in ident.columns and not _all_paths(items):
        raise ValueError(_signal_key_taken("an output", " or extract without an output"))


def _signal_key_taken(output: str, other_way: str = "") -> str:
    """The refusal of a manifest column named like the key column of ``output``."""
    return (f"the manifest has a {SIGNAL_KEY!r} column, the name of the column in which "
            f"{output} keeps the key of each signal given in memory; rename it{other_way}")


def _key_signals(plan: Plan, ident: Any, keys: Sequence[tuple], store: Any) -> None:
    """Give the rows of signals in memory their resume key in an output (a column,
    :data:`emofeat.store.SIGNAL_KEY`), by which a rerun finds them: their name is their place
    in the list (``<array 3>``, an MNE object by its file), which a reordered or longer list
    gives another signal, so their name and labels are the current listing's, found by the
    key (a file's rows: none, found by their path). Where the output holds such rows, a
    run of files alone renames them too where it no longer lists them; where they have no
    key (an earlier version's), signals in memory are refused the output."""
    held = store.holds_content_keys()
    values = [k[0] if is_content_key(k[0]) else None for k in keys]
    listed = any(v is not None for v in values)
    if not (held or listed):
        return
    if SIGNAL_KEY in ident.columns:  # a manifest of files (beside signals: refused before)
        raise ValueError(_signal_key_taken(str(store.output)))
    old = store.signals_without_key() if held else []
    if old and not listed:
        return  # files into an earlier version's output: its rows as they were, unkeyed
    if old:
        where = (f" ({counted(len(old), 'part')} of it)"
                 if len(old) > 1 or old[0] != store.output else "")
        raise ValueError(
            f"{store.output}{where} holds rows of signals given in memory written by an "
            f"earlier version of emofeat, without their content key ({SIGNAL_KEY}): nothing "
            "but their name tells which signal each is, a place in the list (<array 3>) for "
            "most, and a list in another order would give them other signals' names and "
            "labels; extract again with overwrite=True, or give another output")
    plan.signal_key = True
    if isinstance(ident, Columns):
        import numpy as np

        ident.data[SIGNAL_KEY] = np.array(values, dtype=object)
        ident.kinds[SIGNAL_KEY] = "str"
    else:
        ident[SIGNAL_KEY] = values


def _made_absolute(items: list[Any], ident: Any, column: str) -> tuple[list[Any], Any]:
    """The file ``items`` and ``ident``'s ``column`` with each relative path made absolute
    (normalised, against the working folder)."""
    cwd, isabs, norm, join = os.getcwd(), os.path.isabs, os.path.normpath, os.path.join

    def absolute(values: Iterable[Any]) -> list[str]:
        return [p if isabs(p) else norm(join(cwd, p)) for p in map(os.fspath, values)]

    if isinstance(ident, Columns):
        ident.data[column] = str_values(absolute(ident.column(column)))
    else:
        ident[column] = absolute(ident[column])
    return absolute(items), ident


def _early_keys(items: Sequence[Any], ident: Any, reader: Any) -> list[tuple] | None:
    """The inputs' keys where making them before the run's checks costs little and cannot
    fail: file paths (a ``stat`` each) and texts (a hash each); ``None`` for other items
    (arrays, MNE objects), whose keys the store makes after the checks."""
    if reader.modality == "text":
        cheap = all(type(it) is str for it in items)
    else:
        cheap = _all_paths(items)
    return input_keys(items, ident, reader) if cheap else None


def _plan_and_execute(extractors, level, names, name_set, items, ident, column, reader, modality,
                      fixed, spans, n_jobs, on_error, progress, chunk_size, output, layout,
                      overwrite, backend, scheduler, long_file_seconds, block_seconds, pool, t0,
                      keys=None, held=None, folder=None) -> RunResult:
    """The run's plan, its output opened (or resumed), the shards executed."""
    # the config (the output's fingerprint) only where there is an output: its sets' copy
    # was a tenth of a millisecond a run
    config = None if output is None else _run_config(extractors, level, fixed, spans)
    # the sets described once: their files hashed once, the same content in both
    provenance = _provenance(extractors, level, None if config is None else config["sets"])
    provenance["segments"] = (_jsonable(_segments_of(fixed, spans, extractors)) if config is None
                              else config["segments"])
    provenance["modality"] = modality
    fitted = next((e for e in extractors if getattr(e, "sfreq_", None)), None)
    rate = None if fitted is None else fitted.sfreq_
    if rate is not None:  # the first recording's analysis rate (EEG: the sets' fit)
        provenance["sfreq"] = round(float(rate), 3)
    plan = Plan(extractors=extractors, level=level, names=names, provenance=provenance,
                catch=on_error == "record", input_column=column, timed=reader.timed,
                meta_columns=dict(reader.meta_columns), segments=fixed, spans=spans,
                occurrence=OCCURRENCE in ident.columns and modality == "text",
                long_file_seconds=long_file_seconds, block_seconds=float(block_seconds),
                name_set=name_set,
                rate_source=None if fitted is None else getattr(fitted, "sfreq_source_",
                                                                    "an earlier fit"),
                command_line=bool(option(api="", cli="command line")))
    if (isinstance(ident, Columns) and output is not None
            and not supported({**ident.kinds, **identity_columns(plan)})):
        # Columns serve the parts of an output; a table in memory takes its rows' cells from
        # them (table_of: one frame of the rows, not one of the whole manifest and a take).
        # Parts whose columns Columns cannot type as pandas would (a string dtype pyarrow
        # writes otherwise than as string or large_string) are made through pandas
        ident = ident.to_pandas()
    positions, repeated = list(range(len(items))), 0
    store = None
    check_identity_columns(ident, identity_columns(plan), spans, column,
                           name_set if name_set is not None else set(names))
    check_duplicates(ident, key_columns(plan), items=items)
    # the listings that are files (not texts: a repeated text is a row of its own, its
    # occurrence; nor signals in memory, a row each)
    at = ([i for i, it in enumerate(items) if isinstance(it, str | os.PathLike)]
          if modality != "text" and len(items) > 1 else [])
    files = len(at) == len(items) > 1
    if files and output is not None and keys is None:
        # the keys an output needs, made now: they tell which files may be one (a link and
        # its target have one size and modification time), and only those are resolved
        keys = input_keys(items, ident, reader)
    # one file however it is spelled ('a.flac', './a.flac', its absolute path, a symbolic
    # link to it), as on the command line, which makes paths absolute: not one row per
    # spelling, also beside signals in memory (None for those)
    paths = norm = (_identities(items, at, keys if files and output is not None else None)
                    if len(at) > 1 else None)
    if paths is not None and (len({paths[i] for i in at})
                              < len({os.fspath(items[i]) for i in at})):
        _check_spellings(ident, key_columns(plan), paths)
    else:  # no file under two spellings: the keys as listed tell the repeats
        paths = None
    if output is not None:
        store, keys, positions, repeated = _open_store(output, config, layout, overwrite,
                                                       items, ident, reader, plan, keys, held,
                                                       paths, folder)
    elif norm is not None and len({norm[i] for i in at}) < len(at):
        # files as an output stores them (a stat each), only where some file is listed twice
        # (a repeat is one file, same bounds). Signals in memory are a row each, not hashed:
        # their key is a hash of their content, a third of an MFCC run's time
        keys = (input_keys(items, ident, reader) if files
                else _listed_keys(items, ident, at))
        positions, repeated = _first_listings(keys, same=_listing_keys(keys, paths),
                                              given=getattr(items, "given", None),
                                              spans=plan.spans)
    try:
        return _execute(plan, items, ident, keys, store, positions, output, n_jobs,
                        chunk_size, backend, scheduler, progress, t0, pool, repeated)
    finally:
        if store is not None:
            store.close()


def _execute(plan, items, ident, keys, store, positions, output, n_jobs, chunk_size, backend,
             scheduler, progress, t0, pool=None, repeated=0) -> RunResult:
    """Shards to workers, reports back, the output finalised."""
    serial = store is None and backend != "dask" and n_jobs == 1
    if serial and chunk_size is None and not progress and plan.timed:
        # shards serve checkpoints (parts), workers and the progress bar: a serial run of
        # signals in memory without a bar is one shard (texts keep theirs: a shard is one
        # batched call of each set, whose size the shards bound)
        chunk_size = max(1, len(positions))
    # texts are cheap against a part's fixed cost: larger parts for them
    most = MOST_PER_PART["text"] if store is not None and not plan.timed else None
    shards = make_shards(positions, items, ident, keys, store, n_jobs, chunk_size, most,
                         forward_files=plan.spans and plan.audio)
    # a serial run in memory: shards give numpy rows, the table is made once (_finish);
    # workers and an output store keep a table (a part) per shard
    plan.gather_only = (store is None and backend != "dask"
                        and (n_jobs == 1 or len(shards) <= 1))
    log.info("%s to do in %s (backend %s, %s)%s", counted(len(positions), "input"),
             counted(len(shards), "shard"),
             backend if n_jobs != 1 or backend == "dask" else "serial", counted(n_jobs, "job"),
             "" if output is None else f", writing {output}")
    reports = []
    relabel = None
    with progress_bar(len(positions), progress) as bar:
        for shard, rep in run_shards(plan, shards, backend=backend, n_jobs=n_jobs,
                                     scheduler=scheduler, pool=pool):
            reports.append(rep)
            bar.update(len(shard.positions))
            if rep.errors:
                bar.set_postfix(errors=sum(len(r.errors) for r in reports), refresh=False)
            if relabel is None and store is not None:
                # what the end needs, made while workers (if any) go on with the rest
                relabel = Relabel(ident, key_columns(plan), store.aliased_rows)
                store.prepare()
    if relabel is None and store is not None:
        relabel = Relabel(ident, key_columns(plan), store.aliased_rows)
    return _finish(reports, plan, store, relabel, len(items),
                   len(items) - len(positions) - repeated, output, t0, ident, repeated)


def _check_windows(fixed: FixedSegments, extractors: Sequence[Any]) -> None:
    """Refuse windows that no input can give: a hop shorter than one sample (taken as one:
    a 2 s file gave 16,001 windows) or a window shorter than a set can analyse (every input
    failed, each with its TooShortError), where the sets' rate is known (audio; EEG sets
    with ``sfreq``)."""
    # windows are cut at the first set's rate (Plan.window_spans, _process_spans)
    rate = getattr(extractors[0], "sr", None) or getattr(extractors[0], "sfreq", None)
    if not rate:
        return
    for name, seconds in (("segment", fixed.segment), ("hop", fixed.step)):
        if seconds * rate < 1:
            raise ValueError(f"{name} {seconds:g} s is shorter than one sample at {rate:g} Hz; "
                             f"give a {name} of at least {1 / rate:.3g} s")
    shortest = _min_seconds(extractors)
    if fixed.segment < shortest:
        raise ValueError(f"segment {fixed.segment:g} s is shorter than the sets can analyse "
                         f"({shortest:.3g} s, the shortest signal they take); give a longer "
                         "segment")


def _windows(segment: Any, hop: Any, reader: Any) -> FixedSegments | None:
    if segment is None:
        if hop is not None:
            raise ValueError("hop needs segment")
        return None
    if not reader.timed:
        raise ValueError(f"{reader.modality} inputs have no time axis to cut into windows")
    return FixedSegments(parse_duration(segment), None if hop is None else parse_duration(hop))


def _holds_no_rows(output: Any, out: Path, layout: str) -> bool:
    """Whether ``output`` (at ``out``, its store's path) is a finished table of emofeat's (a
    parquet file, or a dataset folder with its ``_common_metadata``) that holds no rows and
    has no parts of an unfinished run beside it: what a run whose every input failed
    leaves."""
    from .store import COMMON_METADATA, keys_held

    meta = out / COMMON_METADATA if out.is_dir() else out
    if not meta.is_file():
        return False
    held = keys_held(output, layout)  # None: parts of a run not finished, or unreadable
    if held is None or any(keys for _, keys in held.values()):
        return False
    try:
        import pyarrow.parquet as pq

        # rows that emofeat's record of their keys would not show
        return all(pq.read_metadata(src).num_rows == 0 for src in {meta, *held})
    except (OSError, ValueError):
        return False


def _open_store(output, config, layout, overwrite, items, ident, reader, plan, keys=None,
                held=None, paths=None, folder=None):
    """Open (or resume) the output: the store, every input's key (``keys``: made already;
    ``held``: the output's keys read already, :func:`emofeat.store.keys_held`), the
    positions still to do and the listings that repeat one of them (:func:`_first_listings`).
    ``folder``: the one the output's relative paths are relative to
    (:func:`emofeat.store.relative_folder`; ``None``: the working folder), recorded in the
    provenance of a run of files."""
    from .store import RELATIVE_PATHS, FeatureStore, with_written_types

    files = _all_paths(items)
    key_column = plan.input_column if files or reader.modality == "text" else None
    store = FeatureStore(output, config, layout=layout, overwrite=overwrite,
                         key_column=key_column, feature_names=plan.names,
                         tail_moot=partial(tail_rule_moot, plan.extractors))
    plan.provenance["fingerprint"] = store.key
    if keys is None:
        keys = input_keys(items, ident, reader)
    # takes the output's lock first; files: one held under another spelling is done
    by_file = files and reader.modality != "text"
    try:
        try:
            done = store.open(keys, held, by_file=by_file, folder=folder)
        except ParameterMismatchError as exc:
            # decided under the output's lock, which the first store still holds and hands
            # to the second: closed in between, a run of the old parameters finishing in the
            # gap had its rows replaced by this restart without a word
            if overwrite or not _holds_no_rows(output, store.output, layout):
                raise
            # a run whose every input failed wrote a table without rows; the run of other
            # parameters that the failures made the user correct was refused, 'refusing to
            # mix them in one table', a table with nothing to mix or keep: started again
            import warnings

            from .errors import option
            from .extractor import _outside_emofeat

            why = f", {exc.reason}" if exc.reason else ""
            warnings.warn(
                f"{store.output} holds no rows (every input of the run that wrote it failed)"
                f"{why}: started again with this run's parameters, as "
                f"{option('overwrite=True', '--overwrite')} would", UserWarning,
                stacklevel=_outside_emofeat(2, also=("contextlib",)))
            again = FeatureStore(output, config, layout=layout, overwrite=True,
                                 key_column=key_column, feature_names=plan.names,
                                 tail_moot=partial(tail_rule_moot, plan.extractors))
            again.lock = store.lock  # held: no run comes between the check and the restart
            store = again
            store.restarted = True
            done = store.open(keys, None, by_file=by_file, folder=folder)
    except BaseException:
        store.close()  # whichever store holds the lock now
        raise
    if store.key != plan.provenance["fingerprint"]:
        # resumed an output of this run's parameters spelled otherwise (fmin=0 there, 0.0
        # now: FeatureStore._spelled_alike): its fingerprint and record go on
        plan.provenance.update(fingerprint=store.key, sets=store.config["sets"])
    record = store.record  # what open() recorded in the run file
    if record is not None:  # None: not known (an output written before, read from elsewhere)
        plan.provenance[RELATIVE_PATHS] = record
    listed = keys
    if store.aliases:  # held under another spelling: the key held is the input's, which
        keys = store._current  # open() put in place of the listed one
    same = _listing_keys(listed, paths)
    if paths is not None:
        # a file under several spellings: each listing's key is the one its file is held
        # under (else its first listing's), which the output orders its rows by: a file done
        # under one spelling and listed first under another goes where it is first listed
        stored: dict[tuple, tuple] = {}
        for key, one in zip(keys, same, strict=True):
            if one not in stored or (key in done and stored[one] not in done):
                stored[one] = key
        keys = store._current = [stored[one] for one in same]
    pending, repeated = _first_listings(keys, done, same, listed,
                                        given=getattr(items, "given", None), spans=plan.spans)
    if store.aliases or paths is not None:
        store.aliased_rows = _aliased_rows(keys, listed, same, plan.spans)
    for key, held_key in store.missing_spellings.items():
        # a file missing now, its rows held under another spelling: the input fails (no
        # such file) as listed, its rows kept and labelled as the listing gives them
        store.aliased_rows.setdefault(*(((k[0], k[3], k[4]) if plan.spans else (k[0],))
                                        for k in (held_key, key)))
    if len(items) - len(pending) - repeated:
        log.info("%s: %d of %s already done, skipped", output,
                 len(items) - len(pending) - repeated, counted(len(items), "input"))
    # absolute: a Dask worker writes its parts from its own working folder (an output given
    # as ``features/`` went to, or failed on, the worker's ``features/``)
    plan.part_dir = os.path.abspath(store.part_dir)
    try:
        if reader.modality != "text" and (not files or store.holds_content_keys()):
            _key_signals(plan, ident, keys, store)
        plan.schema, store.widened = with_written_types(
            _part_schema(plan, ident), store.written_schemas(), _all_missing(ident),
            store.output, store.layout)
        store.retype_held(plan.schema)  # before any part of this run: the folder reads
    except BaseException:
        store.close()
        raise
    return store, keys, pending, repeated


def _all_missing(ident: Any) -> set[str]:
    """The identity columns of which this run holds no value (a manifest's blank column)."""
    if isinstance(ident, Columns):
        return set()  # files and folders: their columns are paths and folder labels
    return {c for c in ident.columns if len(ident) and ident[c].isna().all()}


def _check_spellings(ident: Any, keys: list[str], paths: list[str | None]) -> None:
    """:func:`check_duplicates` with each file's identity (``paths``, :func:`file_identities`)
    for its listed one: ``a.flac`` and ``./a.flac`` (or a link to it) with different labels
    are one input listed with two (one kept silently), as when listed alike."""
    frame = ident.to_pandas() if isinstance(ident, Columns) else ident.copy()
    listed = [os.fspath(p) for p in frame[keys[0]]]
    frame[keys[0]] = [p if p is not None else at for p, at in zip(paths, listed, strict=True)]
    check_duplicates(frame, keys, listed=listed)


def _identities(items: Sequence[Any], at: Sequence[int],
                keys: Sequence[tuple] | None) -> list[str | None]:
    """:func:`file_identities` of the listings ``at`` (the files; ``keys``: all listings'
    resume keys, made already, or None), None for the others (signals in memory)."""
    ids = file_identities([os.fspath(items[i]) for i in at],
                          keys=None if keys is None else [keys[i] for i in at])
    out: list[str | None] = [None] * len(items)
    for i, path in zip(at, ids, strict=True):
        out[i] = path
    return out


def _listed_keys(items: Sequence[Any], ident: Any, at: Sequence[int]) -> list[tuple]:
    """The keys that tell a run without an output which of its files beside signals in
    memory are listed twice (same bounds), as with an output: each file's resume key, and
    for each signal a key of its own (a row each, not hashed). An EEG object read from a
    file listed there has become that path
    (:meth:`emofeat.readers.EEGReader.with_file_labels`)."""
    from .store import input_key

    bounds = manifest_spans(ident)
    keys: list[tuple] = [(f"<in memory {i}>",) for i in range(len(items))]
    for i in at:
        keys[i] = input_key(os.fspath(items[i]),
                            *(bounds[i] if bounds is not None else (None, None)))
    return keys


def _listing_keys(keys: Sequence[tuple],
                  paths: Sequence[str | None] | None) -> Sequence[tuple]:
    """The keys by which listings are one input: a file's key with its identity (``paths``,
    :func:`file_identities`; None for a signal in memory, whose key stays; ``None``: no file
    under two spellings, the keys as they are). The key stored stays the first listing's, a
    resume key as before."""
    if paths is None:
        return keys
    return [key if path is None else (path, *key[1:])
            for path, key in zip(paths, keys, strict=True)]


def _aliased_rows(current: Sequence[tuple], listed: Sequence[tuple], same: Sequence[tuple],
                  spans: bool) -> dict[tuple, tuple]:
    """The rows held under another spelling than their file's first listing (``current``:
    the key each listing is stored under; ``listed``: its own; ``same``: the keys that make
    listings one input), as the identity their rows hold and that of the first listing:
    :class:`~emofeat.store.Relabel` places and labels them there (they were "not listed")."""
    def row(key: tuple) -> tuple:
        return (key[0], key[3], key[4]) if spans else (key[0],)

    first: dict[tuple, int] = {}
    out: dict[tuple, tuple] = {}
    for i, (key, one) in enumerate(zip(current, same, strict=True)):
        f = first.setdefault(one, i)
        if key[0] != listed[f][0]:
            out.setdefault(row(key), row(listed[f]))
    return out


def _first_listings(keys: Sequence[tuple], done: Any = frozenset(),
                    same: Sequence[tuple] | None = None,
                    listed: Sequence[tuple] | None = None,
                    given: dict[int, str] | None = None,
                    spans: bool = False) -> tuple[list[int], int]:
    """The positions to extract, the first listing of each input not ``done``, and how many
    listings repeat an earlier one: a file listed twice is extracted once and has one row,
    with or without an output (the table in memory had one row per listing, the output
    one), said once. ``same``: the keys by which two listings are one input
    (:func:`_listing_keys`; default ``keys``); one is done when any of its listings' keys
    is in ``done``. ``listed``: the listings' own keys, where ``keys`` holds the key an
    input is held under (default ``keys``): the warning names the spelling kept (the row's)
    and the repeat's. ``given``: the listings that were MNE objects holding a file's data,
    named as they were given (:class:`emofeat.readers.ObjectsAsPaths`): the log says such a
    file was given again as that object, not listed twice. ``spans``: the listings are a
    segment manifest's rows, which the warnings call segments, the example with its bounds
    (a file's path alone left out which of its segments was listed twice)."""
    same = keys if same is None else same
    listed = keys if listed is None else listed
    done_same = {s for key, s in zip(keys, same, strict=True) if key in done} if done else done
    first: dict[tuple, int] = {}
    twice: set[tuple] = set()
    held_twice: dict[tuple, tuple] = {}
    pending = []
    repeated, example, example_key = 0, None, None
    for i, key in enumerate(same):
        if key in first:  # a repeat, whether its first listing is to do or done
            repeated += 1
            if done and listed[i] in done and listed[i] != keys[first[key]]:
                # the output holds this listing's row besides the one kept (written by an
                # older emofeat, which took a link and its target for two inputs): both
                # rows stay
                held_twice.setdefault(key, (keys[first[key]][0], listed[i][0]))
                continue
            twice.add(key)
            if example is None:
                example = (keys[first[key]][0], listed[first[key]][0], listed[i][0],
                           (given or {}).get(first[key]) or (given or {}).get(i))
                example_key = keys[first[key]]
            continue
        first[key] = i
        if key not in done_same:
            pending.append(i)
    unit = "segment" if spans else "input"
    if held_twice:
        from .errors import option

        kept, again = next(iter(held_twice.values()))
        log.warning("%d %s held twice in the output (such as %s, also held as %s: one path "
                    "spelled two ways, a symbolic link and its target, or one folder entry "
                    "reached through two mounts), written by an earlier version that took "
                    "them for two inputs: both rows are kept; "
                    "start afresh with %s to make %s one row", len(held_twice),
                    f"{unit} is" if len(held_twice) == 1 else f"{unit}s are", kept, again,
                    option("overwrite=True", "--overwrite"),
                    "it" if len(held_twice) == 1 else "each")
    if twice:
        # inputs, not listings: a file listed three times is one (n_repeated counts 2)
        # the spelling the row keeps (its first listing's, or the one the output holds it
        # under), and another listing's
        kept, *others, obj = example
        again = next((o for o in others if o != kept), None)
        bounds = example_key[3:5] if spans else ()
        if len(bounds) == 2 and None not in bounds:
            from ._window_warnings import seconds

            # as the run's warnings and the failures name a manifest's segment
            kept = f"{kept}, segment {seconds(bounds[0])}-{seconds(bounds[1])} s"
        if is_content_key(example[0]):
            shown = ""
        elif obj is not None:
            shown = f" (such as {kept}, given again as {obj})"
        elif again is None:
            shown = f" (such as {kept})"
        else:
            shown = f" (such as {kept}, listed again as {again})"
        log.warning("%d %s %s more than once%s: each is extracted once, one row where it "
                    "is first listed", len(twice),
                    f"{unit} is" if len(twice) == 1 else f"{unit}s are",
                    "listed" if obj is None else "given", shown)
    return pending, repeated


def _finish(reports, plan, store, relabel, n, n_skipped, output, t0, ident=None, n_repeated=0
            ) -> RunResult:
    """Reports back in input order; the table (in memory) or the output finalised."""
    reports.sort(key=lambda r: r.first)  # shards finish in any order; report in input order
    columns = ERROR_COLUMNS + (["start", "end"] if plan.spans else [])
    rows = [e for r in reports for e in r.errors]
    plan.provenance["n_inputs"] = n
    plan.provenance["n_failed"] = len(rows)
    # the libraries that decided the numbers, as the shards used them where they ran (a
    # worker's soxr) and the run's own process (its pyarrow where it writes an output; a
    # decoder counts in the shard that called it): after Numba's in the environment
    plan.provenance["environment"].update(merged(
        [r.libraries for r in reports]
        + [run_libraries(plan.provenance.get("modality"), output=store is not None)]))
    table = None
    kept = False
    if store is not None:
        # a replacement whose every input failed replaces nothing (store.keep_replaced); one
        # with staged inputs skipped finishes as an uninterrupted --overwrite would
        kept = (bool(rows) and not n_skipped and not any(r.n_rows for r in reports)
                and store.keep_replaced())
        if not kept:
            store.finalize(plan.schema, plan.provenance, relabel)
    elif any(r.rows is not None for r in reports):  # a serial run: one table of all rows
        table = table_of(plan, ident, Rows.concat([r.rows for r in reports
                                                   if r.rows is not None]))
    else:
        tables = [r.table for r in reports if r.table is not None]
        if tables:
            table = FeatureTable._stack(tables)  # one run's chunks: no sources to compare
            table.provenance = plan.provenance
    return RunResult(
        table=table, error_rows=rows, error_columns=tuple(columns), n_inputs=n,
        seconds=time.perf_counter() - t0,
        audio_seconds=float(sum(r.seconds for r in reports)), n_skipped=n_skipped,
        n_repeated=n_repeated,
        n_segments=sum(r.n_segments for r in reports),
        n_rows=sum(r.n_rows for r in reports),
        texts=plan.provenance.get("modality") == "text",
        output=None if output is None else os.fspath(output),
        kept_output=kept,
        restarted=store is not None and store.restarted,
        n_staged_kept=0 if store is None else store.staged_kept,
        recorded_folder=store is not None and store.recorded_folder,
        recorded_rule=store is not None and store.recorded_rule,
        n_relabelled=0 if store is None or relabel is None else relabel.n_changed,
        n_merged=0 if store is None else store.n_merged,
        n_renamed=0 if store is None or relabel is None else relabel.n_renamed,
        reordered=store is not None and store.reordered,
        n_changed=0 if store is None else len(store.changed),
    )


_NO_ERRORS: dict[tuple[str, ...], Any] = {}  # DataFrames


def _no_errors(columns: tuple[str, ...]) -> pd.DataFrame:
    """An empty errors table (object columns, as ``pd.DataFrame([], columns=...)``): a copy
    of one made once, a twentieth of the time of making it (0.4 ms a run)."""
    import pandas as pd

    empty = _NO_ERRORS.get(columns)
    if empty is None:
        empty = _NO_ERRORS[columns] = pd.DataFrame([], columns=list(columns))
    return empty.copy()


def _segments_of(fixed, spans, extractors) -> Any:
    """How a run cuts its inputs, as its config and provenance record it: with audio or EEG
    sets, their tail rule too (FixedSegments.describe); EEG recordings read whole,
    ``{"tail": seconds}`` (the rule leaves out their short gap-free stretches, where
    ``None`` was recorded before: such outputs are refused on resume)."""
    rule = tail_rule(extractors)
    if fixed is None:
        if spans:
            return "manifest"
        return None if rule is None or rule.stretches_since is None else {"tail": rule.seconds}
    return fixed.describe(tail=None if rule is None else rule.seconds)


def _run_config(extractors, level, fixed, spans) -> dict[str, Any]:
    """What defines the numbers of an output (its fingerprint is the resume key)."""
    return _jsonable({
        "sets": _describe_sets(extractors),
        "level": level,
        "segments": _segments_of(fixed, spans, extractors),
    })


def _part_schema(plan: Plan, ident: pd.DataFrame | Columns):
    """The pyarrow schema of every part: identity columns typed from the whole manifest (a
    shard whose labels are all missing still gets string columns), then the features."""
    if isinstance(ident, Columns):
        from .columns import identity_kinds, part_schema

        return part_schema(identity_kinds(ident, identity_columns(plan)), plan.names,
                           plan.provenance)
    import pandas as pd
    import pyarrow as pa

    cols: dict[str, Any] = {c: ident[c].iloc[:0] for c in ident.columns}
    for c, dt in identity_columns(plan).items():
        cols.setdefault(c, pd.Series([], dtype=dt))
    empty = FeatureTable(X=np.empty((0, len(plan.names))), feature_names=plan.names,
                         index=pd.DataFrame(cols), provenance=plan.provenance).to_arrow()
    # a manifest of identity columns pyarrow cannot type was refused by run(), up front
    full = pa.Schema.from_pandas(ident, preserve_index=False)
    fields = [full.field(f.name) if f.name in full.names and f.type == pa.null() else f
              for f in empty.schema]
    # the key of a run of files alone is all empty: strings, as the keys the output holds
    # (a null column cannot take them: "Unsupported cast from large_string to null")
    return pa.schema([f.with_type(pa.string()) if f.name == SIGNAL_KEY
                      and f.type == pa.null() else f for f in fields],
                     metadata=_pandas_entries_of(empty.schema.metadata, full.metadata))


def _pandas_entries_of(meta: dict[bytes, bytes], full: dict[bytes, bytes] | None):
    """``meta`` with the ``pandas`` entries of the manifest's columns taken from ``full``, the
    whole manifest's: the empty frame's describe no value, and pyarrow says an ``object``
    column without values is ``empty`` where pandas 2's text columns (object dtype) are
    ``unicode`` in the table written (pandas 3's ``str`` dtype says ``str`` either way)."""
    import json

    if not full or b"pandas" not in full or b"pandas" not in meta:
        return meta
    whole = {c["name"]: c for c in json.loads(full[b"pandas"])["columns"]}
    pandas = json.loads(meta[b"pandas"])
    pandas["columns"] = [whole.get(c["name"], c) for c in pandas["columns"]]
    return {**meta, b"pandas": json.dumps(pandas).encode("utf8")}


def extract(
    inputs: Iterable[Any] | pd.DataFrame,
    sets: str | Sequence[str] = "mfcc",
    *,
    level: str = "functionals",
    params: dict[str, Any] | None = None,
    n_jobs: int = 1,
    progress: bool = False,
    backend: str = "auto",
) -> FeatureTable:
    """Extract one or more feature sets by name into a :class:`FeatureTable`.

    Parameters
    ----------
    inputs : list of inputs, or a manifest DataFrame
        What the sets read: audio (paths, arrays, ``(array, sr)`` pairs), EEG (recording
        files, ``(array, sfreq)`` pairs, MNE ``Raw``/``Epochs``) or texts (``str``; ``None``
        is an empty text), as :func:`run` takes them; a manifest names them in its ``path``
        (or ``text``) column, its other columns become labels.
    sets : str or list of str
        Feature-set names (``"mfcc"``, ``"mfcc,mfcc_htk"`` ...); see
        :func:`emofeat.list_extractors`.
    level : {"functionals", "lld"}
    params : dict, optional
        Parameters of the sets, as the command's ``--param``: a bare name goes to every set
        that has it (``{"n_mfcc": 20}`` reaches ``mfcc`` and not ``prosody``), ``set.name``
        to that set alone (``{"mfcc.n_mels": 64}``); a name no set has, or ``level`` (the
        ``level`` argument), is a ``ValueError`` naming it.
    n_jobs : int or None, default 1
        Worker processes; ``-1`` for one per core; ``None``: 1, as in joblib (see :func:`run`).
    progress : bool
        Show a progress bar.
    backend : {"auto", "fork", "loky"}
        How ``n_jobs > 1`` runs, as in :func:`run`: ``fork`` (the default on Linux) starts
        workers at once; ``loky`` starts fresh ones, the safe choice where other threads of
        the program run emofeat or import modules meanwhile (a forked worker can wait for
        good on a lock such a thread held at the fork: docs/batch.md). The Dask backend
        writes parts, so it needs :func:`run` with an ``output``.

    Returns
    -------
    FeatureTable
        One row per input (per segment or frame where the sets make them), the sets' columns
        side by side, the manifest's labels and the run's provenance.

    Raises
    ------
    emofeat.errors.InputError
        For the first input that cannot be processed (the message names it).
    """
    from .registry import get_extractor, route_params

    if backend not in ("auto", "fork", "loky"):
        raise ValueError(f"backend must be 'auto', 'fork' or 'loky', got {backend!r}"
                         + ("; the Dask backend writes parts: use emofeat.runner.run(..., "
                            "output=..., backend='dask')" if backend == "dask" else ""))

    if isinstance(sets, str):
        sets = [s.strip() for s in sets.split(",") if s.strip()]
    # routed as --param is: every set got every parameter, and one a set lacks was
    # "Prosody.__init__() got an unexpected keyword argument 'n_mfcc'"
    routed = route_params(list(sets), params or {})
    extractors = [get_extractor(s, level=level, **routed[s]) for s in sets]
    if len(extractors) > 1:  # refused here early, naming the set
        from .extractor import check_sets_params

        check_sets_params(zip(sets, extractors, strict=True))
    result = run(inputs, extractors, n_jobs=n_jobs, on_error="raise", progress=progress,
                 backend=backend)
    if result.table is None:
        raise ValueError("no inputs given")
    return result.table
