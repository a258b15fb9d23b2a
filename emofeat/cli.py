"""The ``emofeat`` command line.

::

    emofeat extract --set mfcc INPUT... -o features.parquet [--level lld] [--param n_mfcc=20]
            [-j N] [--segment 3s --hop 1s] [--scheduler tcp://host:8786] [--format dataset]
    emofeat info features.parquet
    emofeat sets
    emofeat warmup
    emofeat demo
    emofeat evaluate features.parquet --target emotion --groups speaker --model svm --protocol loso
    emofeat train features.parquet --target emotion -o model.joblib
    emofeat predict model.joblib features.parquet -o predictions.parquet
"""

from __future__ import annotations

import argparse
import ast
import contextlib
import errno
import functools
import hashlib
import os
import re
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from . import _walk
from ._run_options import (
    BLOCK_SECONDS,
    LONG_FILE_SECONDS,
    OTHER_FORMATS,
    check_blocks,
    check_output,
)
from ._version import __version__
from ._wording import counted

EXIT_OK = 0
EXIT_USAGE = 2
EXIT_SOME_FAILED = 3


def _parse_param(text: str) -> tuple[str, Any]:
    name, sep, raw = text.partition("=")
    if not sep or not name.strip():
        raise argparse.ArgumentTypeError(f"--param expects name=value, got {text!r}")
    try:
        value = ast.literal_eval(raw)
    except (ValueError, SyntaxError):
        value = raw
    return name.strip(), value


def _literal_hint(message: str, given: list[tuple[str, Any]], sets: Any = ()) -> str:
    """What a refusal of a bare ``--param fmax=none`` adds where it reaches several sets and
    only some take None (:func:`_meant_params` gave None to those, the text stayed for the
    others): ``--param mfcc.fmax=None`` gives None to that set alone."""
    if message.startswith("set '"):  # of several sets, the one that refused it named first
        message = message.partition("': ")[2]
    for name, value in given:
        param = name.rpartition(".")[2]
        # the refusal of this parameter (not another's of the same text)
        if ("." in name or not isinstance(value, str)
                or value.strip().lower() not in _NONE_WORDS
                or not (message.startswith(f"{param} must be") and f"got {value!r}" in message)):
            continue
        reached = _sets_having(sets, param)
        taking = _sets_taking_none(reached, param) if len(reached) > 1 else []
        if taking:
            return (f" (--param {name}={value}: "
                    + ", ".join(f"--param {s}.{param}=None" for s in taking)
                    + " gives None to that set alone)")
    return ""


#: the words a user types for a value that is not text (``--param htk=true``, ``fmax=none``,
#: ``top_db=inf``), whatever their case: read so by :func:`_meant_params` where the parameter
#: takes that value and not the text
_BOOL_WORDS = {"true": True, "false": False}
_NONE_WORDS = frozenset({"none", "null"})
_FLOAT_WORDS = frozenset({"inf", "+inf", "-inf", "infinity", "+infinity", "-infinity", "nan",
                          "+nan", "-nan"})


def _meant_params(routed: dict[str, dict[str, Any]]) -> dict[str, dict[str, Any]]:
    """The ``--param`` values as the user means them, set by set (``routed``, changed in
    place and returned): a value the parameter's declared type refuses, read so where the
    type takes it. ``true``/``false`` are booleans for a parameter of type ``bool``,
    ``none``/``null`` None for one that takes None, ``inf``, ``-inf``, ``nan`` floats for one
    of type ``float``, and a whole number written as a float (``1e3``, ``512.0``) an int for
    one of type ``int`` alone; they were refused as the text ``'inf'`` or the float
    ``1000.0``. A parameter that takes text keeps it (``--param negation=none`` is the
    lexicon's mode 'none'), but for ``none``/``null`` where the set refuses that text and
    takes None (``mel_norm=none``), and ``inf``, ``-inf``, ``nan`` where it refuses the text
    and the type takes a float (``mel_norm=inf``). Anything else is left for the set's own
    check, whose refusal names the parameter and its type."""
    from .extractor import _declared_types, params_warned
    from .registry import get_extractor

    for s, params in routed.items():
        cls = type(get_extractor(s))
        declared, flags = _declared_types(cls), _unannotated_flags(cls)

        def takes(param: str, value: Any, s: str = s) -> bool:
            try:
                with params_warned():
                    get_extractor(s, **{param: value}).check_params()
            except (ValueError, TypeError):
                return False
            return True

        for param, value in params.items():
            word = value.strip().lower() if isinstance(value, str) else None
            if param in flags and word in _BOOL_WORDS:
                # a set written without type hints: 'false' is truthy text to it
                params[param] = _BOOL_WORDS[word]
                continue
            if param not in declared:
                continue  # sequences, mappings: the set's own
            types, optional = declared[param]
            if isinstance(value, float) and int in types and float not in types:
                if value.is_integer():
                    params[param] = int(value)
                continue
            if word is None:
                continue
            if str in types:
                if word in _NONE_WORDS and optional and not takes(param, value) \
                        and takes(param, None):
                    params[param] = None
                elif word in _FLOAT_WORDS and float in types and not takes(param, value):
                    params[param] = float(word)  # mfcc's mel_norm=inf: the norm, not text
            elif word in _BOOL_WORDS and bool in types:
                params[param] = _BOOL_WORDS[word]
            elif word in _NONE_WORDS and optional:
                params[param] = None
            elif word in _FLOAT_WORDS and float in types:
                params[param] = float(word)
    return routed


@functools.cache
def _unannotated_flags(cls: type) -> frozenset[str]:
    """The parameters of ``cls`` without a type hint whose default is a bool (a set a user
    wrote without hints, as docs/architecture.md's example is)."""
    import inspect

    return frozenset(name for name, p in inspect.signature(cls.__init__).parameters.items()
                     if p.annotation is inspect.Parameter.empty
                     and isinstance(p.default, bool))


def _sets_taking_none(sets: list[str], param: str) -> list[str]:
    """The sets of ``sets`` whose parameter ``param`` takes None (their own check)."""
    from .registry import get_extractor

    out = []
    for s in sets:
        try:
            get_extractor(s, **{param: None}).check_params()
        except (ValueError, TypeError):
            continue
        out.append(s)
    return out


def _sets_having(sets: Any, param: str) -> list[str]:
    """The sets of ``sets`` (names) with a parameter ``param``."""
    from .registry import get_extractor

    try:
        return [s for s in sets if param in get_extractor(s).get_params(deep=False)]
    except ValueError:  # a set name the refusal was about
        return []


def _positive_int(text: str) -> int:
    """A count of 1 or more (``--chunk-size 0`` or ``-3`` made shards of one input each)."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number, got {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"expected 1 or more, got {value}")
    return value


def _folds(text: str) -> int:
    """``--folds``: 2 or more (the message was about ``n_splits``, a name the command has
    not)."""
    value = _positive_int(text)
    if value < 2:
        raise argparse.ArgumentTypeError(f"expected 2 or more folds, got {value}")
    return value


def _column_name(text: str) -> str:
    """``--input-column``: a name (an empty one was taken for the default, silently)."""
    if not text.strip():
        raise argparse.ArgumentTypeError(f"expected a column name, got {text!r}")
    return text


def _scheduler_address(text: str) -> str:
    """``--scheduler``: an address, checked as ``run`` checks its ``scheduler``, at parsing
    (before the inputs are listed)."""
    from .errors import command_line
    from .schedule import check_scheduler

    try:
        with command_line():  # not yet entered by main: the option's words
            check_scheduler(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None
    return text


def _user_path(text: str) -> str:
    """A path argument with a leading ``~`` or ``~user`` read as a home folder, as the shell
    reads it unquoted and as a manifest's paths are read: the shell leaves it in a quoted
    argument and after ``=`` (``--output=~/f.parquet``), which made a folder named ``~`` in
    the current one. ``~take2.wav``, with no user of that name, stays as it is."""
    return os.path.expanduser(text) if text.startswith("~") else text


def _output_path(text: str) -> str:
    """An ``-o`` argument: :func:`_user_path`, and not ``-`` (standard output, which a
    parquet table, a model and a resumable run cannot be written to: ``-o -`` wrote a file or
    a dataset folder named ``-``)."""
    if text == "-":
        raise argparse.ArgumentTypeError("'-' (standard output) is not an output here: give "
                                         "a file name")
    return _user_path(text)



MANIFEST_SUFFIXES = (".csv", ".tsv", ".jsonl", ".ndjson", ".json", ".txt")
#: the text inputs that have columns (every other file is read one text a line)
_TEXT_MANIFESTS = tuple(x for x in MANIFEST_SUFFIXES if x != ".txt")
#: the manifests of audio and EEG inputs (a ``.csv`` of EEG may be a recording instead)
_AUDIO_MANIFESTS = _TEXT_MANIFESTS


class _SetsAction(argparse.Action):
    """``--set`` given more than once adds its sets to the earlier ones' (``--set eeg_bands --set
    eeg_hjorth`` is ``--set eeg_bands,eeg_hjorth``; argparse kept the last one only, silently)."""

    def __call__(self, parser, namespace, values, option_string=None):
        flag = "_" + self.dest + "_given"
        if getattr(namespace, flag, False):
            values = f"{getattr(namespace, self.dest)},{values}"
        setattr(namespace, flag, True)
        setattr(namespace, self.dest, values)


class _GivenAction(argparse.Action):
    """Stores the value and that it was typed (``_<dest>_given``), so that a message can
    tell an option the user gave from its default (``--protocol loso (the default)``)."""

    def __call__(self, parser, namespace, values, option_string=None):
        setattr(namespace, "_" + self.dest + "_given", True)
        setattr(namespace, self.dest, values)


class UsageError(Exception):
    """A command-line mistake: printed as one line, exit code 2."""


def collect_inputs(inputs: list[str], modality: str = "audio",
                   input_column: str | None = None, sources: list | None = None):
    """Turn INPUT arguments into one manifest: a DataFrame, or the same columns as
    :class:`emofeat.columns.Columns` (without importing pandas) when they are files and
    folders only, or one manifest CSV that :func:`emofeat.columns.read_manifest_csv` reads
    as pandas would.

    Audio and EEG: files, folders (searched for the modality's file types) and manifests
    (CSV, TSV, JSON lines: :func:`emofeat.datasets.load_manifest`).
    Text: manifests (CSV, TSV, JSON lines) with a text column, or plain ``.txt`` files with one
    text per line. ``input_column`` names the manifests' column of inputs; given when no
    input is a manifest, it is refused (:func:`_refuse_unused_column`). ``sources``: a list
    to which the manifest's :data:`~emofeat.inputs.RowSource` is appended (audio and EEG),
    which names a row by its manifest line or the argument that listed it.
    """
    from .columns import Columns, concat_files, read_manifest_csv, str_values

    if modality == "text":
        import pandas as pd

        for raw in inputs:
            if not os.path.exists(raw):
                _refuse_url(raw)
        frames = [_read_texts(Path(raw), input_column or "text") for raw in inputs]
        # a table saved as .txt first, whatever --input-column says: "leave --input-column
        # out" sent the user of CARER's val.txt with --input-column text to this refusal
        for raw, frame in zip(inputs, frames, strict=True):
            if Path(raw).suffix.lower() not in _TEXT_MANIFESTS:
                _refuse_table_as_text(Path(raw), frame.iloc[:, 0], input_column or "text")
        if input_column is not None and not any(
                Path(raw).suffix.lower() in _TEXT_MANIFESTS for raw in inputs):
            _refuse_unused_column(input_column, [
                f"{raw} is a plain text file, one text a line" for raw in inputs],
                "CSV, TSV or JSON-lines manifest")
        return pd.concat(frames, ignore_index=True)
    if modality == "eeg":
        from .readers import EEG_EXTENSIONS

        # a .txt of a folder only where it is an OpenBCI GUI recording (_folder_files)
        suffixes = (*EEG_EXTENSIONS, ".txt")
    else:
        from .audio import AUDIO_EXTENSIONS as suffixes
    column = input_column or "path"
    frames = []
    csvs: list[tuple[Path, bool] | None] = []  # of each frame: (manifest, read by pandas)
    for raw in inputs:
        p = Path(raw)
        if p.is_dir():
            files, hidden = _folder_files(p, suffixes, column)
            if not files:
                # a folder of Muse exports given to an audio set (mfcc, the default)
                eeg = (modality != "eeg" and next(
                    (c for c in sorted([*p.glob("*.csv"), *p.glob("*.txt")])
                     if _is_recording(c, column)), None))
                said = (f"; {eeg} is an EEG recording: give an EEG set with --set (eeg_bands, "
                        "eeg_de, ...: emofeat sets lists them)" if eeg else "")
                kinds = ", ".join(".txt (OpenBCI GUI)" if x == ".txt" else x for x in suffixes)
                raise UsageError(f"no {modality} files ({kinds}) "
                                 f"under {p}{said}{_walk.hidden_said(hidden)}")
            frames.append(Columns({column: str_values(files)}, {column: "str"}))
            csvs.append(None)
            manifests = sorted(str(c) for c in p.glob("*")
                               if c.suffix.lower() in _AUDIO_MANIFESTS and _has_column(c, column))
            hint = (f"; {manifests[0]} is a manifest: give it instead of the folder to carry "
                    "its labels" if manifests else
                    f"; give a manifest ({column}, emotion, speaker, ...: CSV, TSV or JSON "
                    "lines) to carry labels")
            print(f"emofeat: {counted(len(files), 'file')} under {p}, without labels{hint}"
                  f"{_walk.hidden_said(hidden)}", file=sys.stderr)
        elif p.suffix.lower() in _AUDIO_MANIFESTS and not (
                (is_recording := p.suffix.lower() == ".csv" and _is_recording(p, column))
                and modality == "eeg"):
            if is_recording:
                # a Muse export given to an audio set (mfcc, the default): read as a
                # manifest, it said "a manifest needs a 'path' column, found ['timestamps', ...]"
                raise UsageError(
                    f"{p} is {_recording_words(p, column)}, which "
                    f"{modality} sets do not read: give an EEG set with --set (eeg_bands, "
                    "eeg_de, ...: emofeat sets lists them), or a manifest of "
                    f"{modality} files with a {column!r} column")
            if not p.is_file():
                raise UsageError(f"manifest {p} does not exist{_tilde_hint(raw)}"
                                 if not p.exists() else
                                 f"manifest {p} is not a regular file")
            # a TSV or JSON lines was an input file that could not be decoded (exit 3)
            fast = read_manifest_csv(p, column) if p.suffix.lower() == ".csv" else None
            if fast is not None:
                from ._manifest_sniff import warn_if_relative_to_cwd

                warn_if_relative_to_cwd(p, fast.data[column])
                frames.append(fast)
                csvs.append((p, False))
                continue
            from .datasets import load_manifest

            if p.stat().st_size == 0:
                raise UsageError(f"manifest {p} is empty (0 bytes)")
            try:
                frame = load_manifest(p, check_files=False, path_column=column)
            except ValueError as exc:
                text = str(exc)
                raise UsageError(text if str(p) in text else f"{p}: {text}") from None
            except OSError as exc:  # no permission: main() said "cannot write" the manifest
                raise UsageError(f"cannot read manifest {p}: {exc.strerror or exc}") from None
            if not len(frame):  # as an empty folder: nothing to do is a mistake, not success
                what = ("rows, only a header" if p.suffix.lower() in (".csv", ".tsv")
                        else "records (JSON objects)")
                raise UsageError(f"manifest {p} has no {what}")
            frames.append(frame)
            csvs.append((p, True))
        elif not p.exists():
            # a path typed on the command line that does not exist is a typo: nothing is run
            _refuse_url(raw)
            raise UsageError(f"{p}: {_not_there(p)}{_tilde_hint(raw)}")
        elif p.suffix.lower() == ".txt" and not (
                (bci := _is_recording(p, column)) and modality == "eeg"):
            # a list of files, one a line (as a text set reads a .txt): it was a recording
            # that could not be decoded (exit 3)
            if bci:  # an OpenBCI GUI recording (or a BrainFlow file) given to an audio set
                raise UsageError(
                    f"{p} is {_recording_words(p, column)}, which {modality} sets do not "
                    "read: give an EEG set with --set (eeg_bands, eeg_de, ...: emofeat sets "
                    "lists them)")
            raise UsageError(f"{p}: a .txt file is no {modality} input (a .txt is read by "
                             f"text sets, one text a line); to list {modality} files give a "
                             f"manifest (CSV, TSV or JSON lines) with a {column!r} column")
        else:
            # a broken file is recorded as an error of the run (exit 3), not a usage error.
            # Named as a folder's files are (_folder_files): its folder made absolute, its
            # own name kept, a link's too (resolving it named the row by the target: a
            # content-addressed dataset's hidden object, and two of its entries typed were
            # one input where listed in a folder or a manifest they are two)
            frames.append(Columns({column: str_values([str(p.parent.resolve() / p.name)])},
                                  {column: "str"}))
            csvs.append(None)
    if input_column is not None and not any(csvs):
        _refuse_unused_column(input_column, [
            f"{raw} is a folder" if Path(raw).is_dir() else
            f"{raw} is an EEG recording (a time column, no {column!r} column)"
            if Path(raw).suffix.lower() == ".csv" else f"{raw} is a file" for raw in inputs],
            "manifest (CSV, TSV or JSON lines)")
    if all(isinstance(f, Columns) for f in frames) and len(frames) == 1:
        manifest = frames[0]
    elif all(isinstance(f, Columns) for f in frames) and all(f.columns == [column]
                                                             for f in frames):
        manifest = concat_files(frames)
    else:
        import pandas as pd

        manifest = pd.concat([f.to_pandas() if isinstance(f, Columns) else f for f in frames],
                             ignore_index=True)
    where = _check_manifest_rows(manifest, column, inputs, [len(f) for f in frames], csvs)
    if sources is not None:
        sources.append(where)
    if sum(c is not None for c in csvs) > 1:  # two manifests may be two corpora
        import warnings

        from .errors import SharedIdWarning
        from .table import _shared_person_ids

        merged = _shared_person_ids(
            [(f"manifest {raw}", f if not isinstance(f, Columns)
              else {c: f.column(c) for c in f.columns})
             for raw, f, c in zip(inputs, frames, csvs, strict=True) if c is not None],
            column, "give each corpus's ids a prefix of its own in its manifest ('emodb_03', "
                    "'ravdess_03')")
        if merged:
            warnings.warn(merged, SharedIdWarning, stacklevel=2)
    return manifest


_NOT_THERE = "no such file or folder"


def _not_there(p: Path) -> str:
    """Why a typed path that ``Path.exists()`` calls missing is not there: a loop of symbolic
    links (``os.stat``'s error, which ``exists()`` hides: it was "no such file or folder", as
    the reader's was until session 57; a name too long or a folder that cannot be searched
    reach here from Python 3.12, where ``exists()`` no longer raises for them), else
    :data:`_NOT_THERE`."""
    from .audio import _STAT_PROBLEMS

    try:
        os.stat(p)
    except OSError as exc:
        return _STAT_PROBLEMS.get(exc.errno, _NOT_THERE)
    except ValueError:  # a NUL character
        pass
    return _NOT_THERE


def _refuse_url(raw: str) -> None:
    """Refuse an input typed as a URL (``https://host/a.wav``, ``s3://bucket/a.flac``) that
    names no file, as typed and saying why: ``Path`` made ``https:/host/a.wav`` of it, and
    the message said that no such file or folder exists."""
    from .audio import _url_said

    if said := _url_said(raw):
        raise UsageError(f"{raw}: no such file or folder{said}")


def _tilde_hint(raw: str) -> str:
    """What a missing path that still starts with ``~`` (``~name/...``, and no user named
    ``name``: :func:`_user_path` leaves it) means; of ``-``, that standard input is not read
    (the Unix convention a user may try: it was 'no such file or folder' alone)."""
    if raw == "-":
        return (" ('-' is not standard input here: emofeat reads files, folders and manifests; "
                "save the inputs to a file and give its name; a text set reads the texts of a "
                ".txt, .csv, .tsv or .jsonl file)")
    if not raw.startswith("~"):
        return ""
    user = raw[1:].split("/", 1)[0]
    return (f" (no user is named {user!r}: ~ is a home folder as ~/ or ~user/, otherwise part "
            "of the name)")


#: the separators of a table saved as a .txt file (CARER's ``text;label_name``, Excel's ``;``,
#: tabs, commas), with the suffix under which the manifest readers take each
_TXT_TABLE_SEPARATORS = ((";", "';'", ".csv"), ("\t", "tab", ".tsv"), (",", "','", ".csv"))


#: a header cell: a name of a few words, no sentence punctuation (label_name, Label ID)
_COLUMN_NAME = re.compile(r"[^\W\d][\w .()/-]{0,39}")


def _refuse_table_as_text(p: Path, lines: Any, column: str) -> None:
    """Refuse a ``.txt`` file that is a table: its first line a header naming the text
    column (``text;label_name``) and every line holding its separator.

    Read one text a line, as a ``.txt`` is, CARER's files (``text;label_name``, one header
    line) gave a row of the header and texts that ended in their label (``...snap out of it
    soon;sadness``): the label was in every row's lexicon features (all 2,000 rows of
    CARER's val.txt differ from those of its texts), and the run succeeded."""
    if len(lines) < 2 or not isinstance(lines.iloc[0], str):
        return
    head = lines.iloc[0]
    for sep, said, suffix in _TXT_TABLE_SEPARATORS:
        cells = [c.strip().strip('"').strip() for c in head.split(sep)]
        if len(cells) < 2 or column.lower() not in (c.lower() for c in cells):
            continue
        # a header's other cells are column names, not a sentence's pieces ("Text, in the
        # end, is all we have" is a text whose first word is the column's name)
        if not all(_COLUMN_NAME.fullmatch(c) and len(c.split()) <= 3 for c in cells if c):
            continue
        # every row has the header's separators (a trailing one, Excel's, may be missing)
        least = sum(1 for c in cells if c) - 1
        if all(not isinstance(line, str) or not line.strip() or line.count(sep) >= least
               for line in lines.iloc[1:]):
            others = ", ".join(repr(c) for c in cells if c and c.lower() != column.lower())
            raise UsageError(
                f"{p} is a table, not one text a line: its first line {head!r} is a header "
                f"of {said}-separated columns and every line holds {said}; read as texts, "
                f"the header would be a text and each line's other cells ({others}) part of "
                f"its text, in its features; give the table as a manifest: a copy named "
                f"{p.stem}{suffix} is read by its {column!r} column"
                f"{'' if column == 'text' else f' (with --input-column {column})'}, its "
                "other columns carried as labels")


def _refuse_unused_column(column: str, inputs: list[str], manifest: str) -> None:
    """Refuse ``--input-column`` when no input is a manifest: files, folders and plain text
    files have no columns, so the flag would choose nothing (it named the output's input
    column only, and a ``.txt`` file of ``text;label`` lines was read whole, its header a
    text, as if the flag had picked a column)."""
    raise UsageError(f"--input-column {column}: no input has columns to choose from "
                     f"({'; '.join(inputs)}); leave --input-column out, or give a {manifest} "
                     f"with a {column!r} column")


def _check_manifest_rows(manifest, column: str, inputs: list[str], sizes: list[int],
                          csvs: list[tuple[Path, bool] | None]):
    """The run's refusals of a manifest's rows, here where the files are known (an input
    listed twice with different labels, segment bounds that are not seconds): the message
    names each row by its line in its manifest file (blank lines and quoted cells spanning
    lines counted, as the message of an empty path cell does), or by the input argument that
    listed it (a file or folder); returns that naming (a RowSource)."""
    import bisect
    import itertools

    from .inputs import check_duplicates

    keys = [column] + (["start", "end"] if {"start", "end"} <= set(manifest.columns) else [])
    starts = list(itertools.accumulate(sizes, initial=0))  # the first row of each input
    lines: dict[int, list[int]] = {}

    def where(i: int) -> tuple[str, int | None]:
        k = bisect.bisect_right(starts, i) - 1
        row = i - starts[k]
        if csvs[k] is None:
            return f"the argument {inputs[k]}", None
        csv, by_pandas = csvs[k]
        if not by_pandas:  # read_manifest_csv reads files without blank lines or quotes only
            return inputs[k], row + 2
        if k not in lines:
            from .datasets import _row_lines

            lines[k] = _row_lines(csv)  # the line each row starts on, blank lines skipped
        return inputs[k], lines[k][row] if row < len(lines[k]) else None

    try:
        check_duplicates(manifest, keys, where)
        if len(keys) == 3:  # bounds that are not seconds, named by their line too
            from .segments import manifest_spans

            manifest_spans(manifest, where, column)
    except ValueError as exc:
        raise UsageError(str(exc)) from None
    return where


def _folder_files(folder: Path, suffixes: tuple[str, ...], column: str = "path"
                  ) -> tuple[list[str], list[Path]]:
    """The input files under ``folder`` (recursively), sorted: every entry with one of the
    modality's extensions that is not a folder (a CSV only when it is an EEG recording,
    :func:`_is_recording`: manifests are not inputs). A broken symbolic
    link or a named pipe with such a name is listed too, so that the run records it as a
    failed input naming it (as a missing file of a manifest), instead of leaving it out
    silently. Every file, a link too, is named by its own path under the folder, not by
    where it points. Hidden folders under it are not searched
    (:func:`emofeat._walk.folder_files`): those holding such a file are returned second,
    tools' own (``.git``, ...) left out."""
    from .audio import is_apple_double

    double = tuple(x for x in suffixes if x.count(".") > 1)  # ".fif.gz": Path.suffix is ".gz"

    def wanted(f: Path) -> bool:
        name = f.name.lower()
        suffix = next((x for x in double if name.endswith(x)), f.suffix.lower())
        # a CSV is an input only as an EEG recording (a timestamp column, no path column):
        # the Muse exports; a manifest in the folder is not an input; a .txt (EEG sets) only
        # as an OpenBCI GUI recording
        return not (suffix not in suffixes
                    or (suffix in (".csv", ".txt") and not _is_recording(f, column))
                    or is_apple_double(f))

    # the folder made absolute once; a file keeps its own name under it: two links to one
    # file are two inputs (resolving each merged them, and named the row by the target)
    root = folder.resolve()
    found, hidden = _walk.folder_files(folder, suffixes, wanted)
    # a broken link or named pipe too: the reader says what it is
    files = [str(root / f.relative_to(folder)) for f in found if wanted(f) and not f.is_dir()]
    return sorted(files), hidden


def _has_column(manifest: Path, column: str) -> bool:
    """Whether the first line of a manifest (CSV, TSV, JSON lines) names ``column``."""
    if not manifest.is_file():  # a named pipe would block the open below
        return False
    if manifest.suffix.lower() in (".csv", ".tsv"):
        from ._manifest_sniff import sniff

        try:  # the header as the manifest reader splits it (separator, quotes, marks)
            header = sniff(manifest).header
        except ValueError:  # UTF-16/32 without a byte-order mark: the reader refuses it
            return False
        return header is not None and column in [c.strip().strip('"') for c in header]
    try:
        with open(manifest, encoding="utf-8-sig", errors="replace") as fh:
            line = fh.readline()
    except OSError:
        return False
    import json

    try:
        record = json.loads(line)
    except ValueError:
        return False
    return isinstance(record, dict) and column in record


def _is_recording(path: Path, column: str = "path") -> bool:
    """:func:`emofeat._manifest_sniff.is_eeg_recording`, imported when a CSV is met."""
    from ._manifest_sniff import is_eeg_recording

    return is_eeg_recording(path, column)


def _recording_words(path: Path, column: str = "path") -> str:
    """What the EEG recording ``path`` is (an OpenBCI GUI file, a BrainFlow file, a CSV with
    a time column), for a message: a BrainFlow .txt was called an OpenBCI GUI recording."""
    from ._manifest_sniff import RECORDING_WORDS, recording_kind

    kind = recording_kind(path, column)
    if kind == "csv":
        return f"an EEG recording (a time column, no {column!r} column)"
    return RECORDING_WORDS.get(kind, "an EEG recording")


def _head_encoding(p: Path, head: bytes) -> str | None:
    """The codec of the byte-order mark that starts ``head`` (the file's first 4 KB), or
    ``None`` for UTF-8; a file that looks like UTF-16/32 without a mark is refused."""
    from ._manifest_sniff import head_encoding

    try:
        return head_encoding(head)
    except ValueError as exc:
        raise UsageError(f"cannot read {p}: {exc}") from None


def _text_lines(p: Path) -> list[str]:
    """The lines of a plain text file: UTF-8 (a byte-order mark dropped; bytes that are not
    UTF-8, a Latin-1 or Windows-1252 file, refused naming the line, as a CSV's are), or
    UTF-16/UTF-32 when a byte-order mark says so.
    """
    from ._manifest_sniff import HEAD_BYTES

    data = p.read_bytes()
    codec = _head_encoding(p, data[:HEAD_BYTES])
    if codec in (None, "utf-8-sig") and b"\0" in data:
        # no text holds a NUL: a recording given to a text set was read as "texts" of its
        # bytes, one a line (163 of them for a RAVDESS FLAC), and the run succeeded; past
        # the first 4 KB, a block of NULs (a copy cut short) was kept in a text
        raise UsageError(_binary_text(p, _line_of(data, data.index(b"\0"))))
    if codec is None or codec == "utf-8-sig":
        body = data[3 if codec else 0:]
        try:
            text = body.decode("utf-8")
        except UnicodeDecodeError as exc:
            # refused, as a CSV/TSV that is not UTF-8 is: read with its bytes as lone
            # surrogates, a Latin-1 'naïve café' became 'na', '\udcef', 've', ... (7 tokens
            # for 4), matching no lexicon entry, and the run succeeded
            raise UsageError(
                f"cannot read {p}: line {_line_of(body, exc.start)} is not UTF-8 (byte "
                f"0x{body[exc.start]:02x}: {exc.reason}); save it as UTF-8 (its accented "
                "letters and quotes, read otherwise, would be other tokens)") from None
    else:
        try:  # lone surrogates kept, as a JSON "\ud800" is; bytes that are no code unit refused
            text = data.decode(codec, "surrogatepass")
        except UnicodeDecodeError as exc:
            name = codec.upper()
            raise UsageError(f"cannot read {p}: it starts with a {name} byte-order mark but is "
                             f"not valid {name} ({exc.reason} at byte {exc.start})") from None
        if "\0" in text:  # a NUL character, not the NUL bytes of UTF-16/32 code units
            raise UsageError(_binary_text(p, _line_of(text, text.index("\0"))))
    # line ends only: str.splitlines also splits at U+2028, U+0085, form feeds and the
    # separators \x1c-\x1e, which are characters of a text (a labels file lost alignment)
    lines = _LINE_ENDS.split(text)
    if lines and lines[-1] == "":  # the final line end ends the last line
        lines.pop()
    return lines


_LINE_ENDS = re.compile(r"\r\n|\r|\n")
_BYTE_LINE_ENDS = re.compile(rb"\r\n|\r|\n")


def _line_of(text: str | bytes, at: int) -> int:
    """The 1-based line of ``text`` (or of a file's bytes) holding position ``at``, lines
    ending as :func:`_text_lines` ends them."""
    ends = _BYTE_LINE_ENDS if isinstance(text, bytes) else _LINE_ENDS
    return sum(1 for _ in ends.finditer(text, 0, at)) + 1


def _binary_text(p: Path, where: str | int) -> str:
    """The message of a text input holding a NUL character at ``where`` (a line number, or
    a row, line and column in words)."""
    where = f"line {where}" if isinstance(where, int) else where
    return (f"{p} is not text: it holds a NUL character ({where}), which no text holds: it "
            "is a binary file (a recording?) or one whose copy or save was cut short; "
            f"{_TEXT_INPUTS}")


def _nul_cell(p: Path, encoding: str, sep: str) -> str | None:
    """Where a CSV/TSV text manifest first holds a NUL character, in words (its row, line
    and column), or ``None``. pandas 3 keeps a NUL in its cell, while pandas 2 ends the
    cell there (``"ab\\0c"`` read as ``"ab"``, ``"\\0abc"`` as a missing text), so the
    file is read here, as pandas counts rows: blank lines skipped, a quoted cell may span
    lines."""
    import csv
    import io

    data = p.read_bytes()
    if encoding == "utf-8" and b"\0" not in data:  # no decoding for the common case
        return None
    text = data.decode(encoding.replace("utf-8", "utf-8-sig"), errors="replace")
    if "\0" not in text:  # UTF-16/32: NUL bytes of the code units only
        return None
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=sep)
    header: list[str] | None = None
    start, row = 1, 0
    with contextlib.suppress(csv.Error):  # a file cut short in a quoted cell: its line below
        for cells in reader:
            if cells and not (len(cells) == 1 and not cells[0].strip()):
                at = next((j for j, c in enumerate(cells) if "\0" in c), None)
                if at is not None:
                    if header is None:
                        return f"the header, line {start}"
                    name = (repr(header[at].strip()) if at < len(header)
                            else f"{at + 1} (past the header's {len(header)})")
                    return f"row {row + 1}, line {start}, column {name}"
                if header is None:
                    header = cells
                else:
                    row += 1
            start = reader.line_num + 1
    return f"line {_line_of(text, text.index(chr(0)))}"  # not in a cell the reader returned
#: what a text set reads, for the messages of inputs it cannot
_TEXT_INPUTS = ("text sets read .txt files (one text a line) and CSV, TSV or JSON-lines "
                "manifests with a text column")


def _read_texts(p: Path, column: str):
    """Texts from a CSV/TSV/JSON-lines manifest or a plain text file (one text a line).

    Files are UTF-8, or UTF-16/UTF-32 with a byte-order mark (any mark is dropped). A cell
    of a JSON-lines record that is not a text (a number, a list) is kept as a
    :class:`~emofeat.readers.NonText` naming its file and line, which the run records as a
    failed input. A file with no rows is refused, as an empty folder is."""
    import pandas as pd

    from .readers import NonText

    if not p.is_file():
        raise UsageError(((f"{p} does not exist" if (why := _not_there(p)) == _NOT_THERE
                           else f"{p}: {why}") + _tilde_hint(str(p))) if not p.exists() else
                         f"{p} is a folder; {_TEXT_INPUTS}" if p.is_dir() else
                         f"{p} is not a regular file")
    from ._manifest_sniff import JSON_LINES, json_lines

    suffix = p.suffix.lower()
    try:
        if p.stat().st_size == 0:
            raise UsageError(f"{p} is empty (0 bytes): no texts")
        if suffix in (".csv", ".tsv"):
            from ._manifest_sniff import sniff
            from .datasets import _tidy_header

            encoding, sep, header = sniff(p)  # Excel's ";" too
            from .columns import ID_COLUMNS, exact_floats

            nul = _nul_cell(p, encoding, sep)
            # before pandas: a file cut short inside a quoted cell is no "EOF inside string"
            if nul is not None:
                raise UsageError(_binary_text(p, nul))
            head = pd.read_csv(p, sep=sep, nrows=0, encoding=encoding).columns
            # the text column as it is; identifier columns (speaker, subject, ...) as strings,
            # as an audio manifest's and load_isear's: subject "011001" stayed no 11001
            dtype = {c: str for c in head if c.strip().lower() in ID_COLUMNS}
            dtype.update({c: object for c in head if c.strip() == column})
            try:
                df = _tidy_header(pd.read_csv(
                    p, sep=sep, dtype=dtype, keep_default_na=False, na_values=[""],
                    encoding=encoding, **exact_floats()), p, header)
            except pd.errors.ParserError as exc:
                from ._manifest_sniff import fields_message

                raise ValueError(fields_message(exc, sep, header, p, encoding)) from None
        elif suffix in JSON_LINES:
            from .datasets import _read_json_lines

            records = json_lines(p)
            # once, not per record: a file of many records without the key was quadratic
            keyed = any(column in r for _, r in records)
            for n, rec in records:
                if keyed and column not in rec:
                    # a misspelled key ("Text", "txt") was read as a missing text, the empty
                    # one, and scored as such without a word; a missing text is written null
                    keys = ", ".join(map(repr, rec)) or "none"
                    rec[column] = NonText(None, f"{p}:{n}", (
                        f"the record has no {column!r} key (its keys: {keys}); a text that "
                        f"is missing is written \"{column}\": null"))
                    continue
                value = rec.get(column)
                if not (value is None or isinstance(value, str)
                        or (isinstance(value, float) and value != value)):
                    rec[column] = NonText(value, f"{p}:{n}")
            df = _read_json_lines(p, column, records)[0]
        else:
            df = pd.DataFrame({column: _without_header(p, _text_lines(p), column)},
                              dtype=object)
    except UnicodeDecodeError as exc:  # a CSV/TSV in another encoding (Latin-1, cp1252)
        raise UsageError(f"cannot read {p}: {exc}; save it as UTF-8") from None
    except (ValueError, OSError) as exc:
        raise UsageError(f"cannot read {p}: {exc}") from None
    if not len(df):  # as an empty folder: nothing to do is a mistake, not success
        what = ("records" if suffix in JSON_LINES else "rows, only a header"
                if suffix in (".csv", ".tsv") else "texts (no lines)")
        raise UsageError(f"{p} has no {what}: nothing to extract")
    if column not in df.columns:
        raise UsageError(f"{p} has no {column!r} column (columns: "
                         f"{', '.join(map(str, df.columns))}); "
                         f"{_name_the_column(df, suffix, column)}")
    return df


def _without_header(p: Path, lines: list[str], column: str) -> list[str]:
    """The texts of a ``.txt`` file's ``lines``: all of them, but where the first line is the
    name of the text column alone (``text``, any case, quoted or not): a one-column table
    saved as ``.txt`` (``df[["text"]].to_csv("texts.txt", index=False)``), whose first line
    is its header, not a text (it was read as the text "text", a row of its own). Its texts
    are then read as the CSV writer wrote them (a text holding a comma, a quote or a line
    end in quotes, its quotes doubled), where every row is one such cell; a file whose rows
    are not (a comma outside quotes, a quote inside a plain cell) keeps its lines as they
    are. Said on stderr, naming the file and the line."""
    if len(lines) < 2 or lines[0].strip().strip('"').strip().lower() != column.lower():
        return lines
    print(f"emofeat: {p}: its first line {lines[0]!r} is read as the header naming the "
          f"text column, not as a text (a file whose first text is {lines[0].strip()!r} "
          f"keeps it with a line {column!r} above it)", file=sys.stderr)
    body = lines[1:]
    if not any('"' in line for line in body):
        return body  # nothing quoted: each line a text, as read
    import csv
    import io

    try:
        rows = list(csv.reader(io.StringIO("\n".join(body)), strict=True))
    except csv.Error:
        return body
    if any(len(row) > 1 for row in rows):
        return body  # a comma outside quotes: not a CSV writer's one column
    return [row[0] if row else "" for row in rows]


def _name_the_column(df, suffix: str, column: str) -> str:
    """How to name the text column of a manifest that has none named ``--input-column``'s.

    A header-less file (GoEmotions' TSVs: ``text<TAB>label_ids<TAB>id``) has its first row
    for a header: "name it with --input-column" alone sent the user to name a text
    (``--input-column 'Is this in New Orleans?? ...'``), which read every other row. A cell
    that is a number or of more than two words suggests such a file, but real headers
    hold such cells too ("Positive Feedback Count", a year): both ways are said."""
    names = [str(c) for c in df.columns]
    alike = [n for n in names if n.strip().lower() == column.lower()]
    if alike:  # "Text": the flag takes the name as written
        return f"name it with --input-column, here --input-column {alike[0]!r}"
    if suffix in (".csv", ".tsv") and any(
            re.fullmatch(r"[-+]?\d+(\.\d*)?", n.strip()) or len(n.split()) > 2 for n in names):
        return ("if its first line is its header, name the text column with "
                "--input-column; its first line is read as the header: a file without one "
                "(one row of texts and labels a line, as GoEmotions' TSVs) wants a header "
                "line naming the columns (text, labels, ...) added, then --input-column "
                "names the text column if it is not 'text'")
    return "name it with --input-column"


def _set_params(sets: list[str], given: list[tuple[str, Any]]) -> dict[str, dict[str, Any]]:
    """Parameters of each set from ``--param`` (:func:`emofeat.registry.route_params`, which
    ``emofeat.extract``'s ``params`` takes too), its refusals said as ``--param name``."""
    from .registry import route_params

    return route_params(sets, given, said=lambda name: f"--param {name}",
                        level_is="--level (functionals or lld)",
                        describe="emofeat sets --describe SET")


def _with_home_folders(ext: Any) -> Any:
    """``ext`` with a leading ``~`` of each file it reads (its ``data_files()``: a user or
    NRC lexicon's path in ``--param lexicons=...``) read as a home folder, as
    :func:`_user_path` reads the command's path arguments: the value reached the set as
    typed, quoted, and the file was "not found" (:func:`emofeat.runner.home_folder_params`,
    which a run from Python records too)."""
    from .runner import home_folder_params

    changed = home_folder_params(ext)
    return ext.set_params(**changed) if changed else ext


def _named_output(output: Path) -> Path:
    """``output`` by the name its errors table is made from: a link's target, the folder
    ``-o .`` or ``-o ..`` is."""
    if output.is_symlink():
        return Path(os.path.realpath(output))
    if output.name in ("", ".."):
        return Path(os.path.abspath(output))
    return output


def _errors_path(output: Path) -> Path:
    """Where the errors table of ``output`` goes, beside it: a parquet name, ``.parquet`` or
    ``.pq`` in any case (``features.parquet``, ``features.pq``), gives ``features.errors.csv``,
    any other name (a dataset folder ``features/``) that name and ``_errors.csv``
    (``features_errors.csv``). No two outputs of a folder share a table: the folder
    ``features/`` had ``features.errors.csv`` too, and the two runs overwrote or removed each
    other's (two parquet names of one stem, ``features.parquet`` and ``features.pq``, are
    refused instead: :func:`_namesakes`). An output given by a symbolic link is its target
    (as for the store: written and locked there), so its table is the target's, whatever
    link names it.
    """
    from .store import is_parquet_name

    output = _named_output(output)
    if is_parquet_name(output):
        return output.with_name(output.stem + ".errors.csv")
    return output.with_name(output.name + "_errors.csv")


def _namesakes(err_path: Path) -> list[Path]:
    """The parquet outputs beside ``err_path`` whose errors table it is: for
    ``features.errors.csv``, ``features.parquet``, ``features.pq``, ``features.PARQUET``, ...
    that exist (none for a table of another name)."""
    from .store import is_parquet_name

    stem = err_path.name.removesuffix(".errors.csv")
    if stem == err_path.name:
        return []
    try:
        names = os.listdir(err_path.parent)
    except OSError:  # the folder not there yet, or unreadable: no output in it to clash with
        return []
    return [err_path.with_name(n) for n in sorted(names)
            if Path(n).stem == stem and is_parquet_name(n)]


def _table_shared_with(output: Path, err_path: Path) -> Path | None:
    """Another output already beside ``output`` whose errors table is ``err_path`` too
    (``features.parquet`` for ``-o features.pq``), or ``None``."""
    for other in _namesakes(err_path):
        try:
            if not (output.exists() and os.path.samefile(other, output)):
                return other
        except OSError:  # gone meanwhile
            continue
    return None


def _legacy_errors_paths(output: Path, err_path: Path) -> list[Path]:
    """The tables earlier versions wrote for ``output`` and no other output has now: for a
    name not of a parquet file (``features/``), ``features.errors.csv`` unless a parquet
    output of that stem is beside it (``features.parquet``), whose table it is then; for a
    parquet name other than ``.parquet`` (``features.pq``, ``features.PARQUET``), that name
    and ``_errors.csv`` (until December 2026)."""
    name = err_path.name.removesuffix("_errors.csv")
    if name != err_path.name:
        legacy = err_path.with_name(name + ".errors.csv")
        return [] if _namesakes(legacy) else [legacy]
    real = _named_output(output)
    if real.suffix == ".parquet":
        return []
    return [real.with_name(real.name + "_errors.csv")]


def _remove_legacy_errors_tables(output: Path, err_path: Path) -> None:
    """Remove the tables of :func:`_legacy_errors_paths`, which would go on claiming
    failures beside the table of this version (or where a run wrote none)."""
    for legacy in _legacy_errors_paths(output, err_path):
        _remove_errors_table(legacy)


def _errors_table_in_the_way(path: Path) -> bool:
    """Whether something other than an errors table emofeat wrote is at ``path`` (an output
    named so, a folder, someone's file): it is never replaced or removed."""
    import stat

    from .runner import ERROR_COLUMNS

    try:
        if not stat.S_ISREG(os.lstat(path).st_mode):  # a folder, a link, a pipe
            return True
        head = ",".join(ERROR_COLUMNS).encode()
        with open(path, "rb") as fh:
            return fh.read(len(head)) != head
    except FileNotFoundError:
        return False
    except OSError:  # unreadable
        return True


def _remove_errors_table(path: Path) -> None:
    """Remove a stale errors table (an earlier run's), never anything else."""
    if not _errors_table_in_the_way(path):
        path.unlink(missing_ok=True)


def _lean_numba_start() -> None:
    """Let Numba's first use skip importing ``scipy.linalg`` (0.2-0.4 s of CPU) in this
    process.

    The first kernel a process runs, even from the disk cache, makes Numba load its library
    of implementations, and one of them (``numba.np.arraymath``) checks that BLAS is there by
    importing ``scipy.linalg.cython_blas``, which runs the whole ``scipy.linalg`` package
    (and scipy's array-API layer) first. Here the compiled ``cython_blas`` module is loaded
    by itself and registered under its name, so Numba's check finds it; the kernels of
    ``emofeat extract`` call no BLAS. Only the ``extract`` command does this (its process
    runs nothing but the extraction); a later ``import scipy.linalg`` works as usual and
    gets the same module. Does nothing when scipy.linalg or Numba's library is loaded
    already, or when the module is not where this scipy keeps it.
    """
    name = "scipy.linalg.cython_blas"
    if name in sys.modules or "scipy.linalg" in sys.modules or "numba.np.arraymath" in \
            sys.modules:
        return
    from ._fft import load_scipy_extension

    module = load_scipy_extension(name)
    if module is not None:
        sys.modules[name] = module


@contextlib.contextmanager
def _numba_config_without_yaml(active: bool) -> Iterator[None]:
    """Let Numba's import skip PyYAML (15-20 ms of CPU) where it has nothing to read with it.

    Numba's configuration imports ``yaml`` for one purpose: reading a
    ``.numba_config.yaml`` in the current folder, when there is one. Without such a file,
    and in the ``emofeat`` program only (``active``), ``import yaml`` fails while Numba is
    first imported (Numba then proceeds as without PyYAML, which changes nothing else) and
    works again afterwards. Nothing is done when Numba or yaml is loaded already or the
    file exists.
    """
    block = (active and "numba" not in sys.modules and "yaml" not in sys.modules
             and not os.path.exists(".numba_config.yaml"))
    if block:
        sys.modules["yaml"] = None  # type: ignore[assignment]  # import yaml: ImportError
    try:
        yield
    finally:
        if block and sys.modules.get("yaml", False) is None:
            del sys.modules["yaml"]


def _lean_cache_loads() -> None:
    """Let kernels load from Numba's disk cache without Numba's library of implementations
    (0.15-0.3 s of CPU, a fifth of the command's start-up), in the ``emofeat`` program only.

    Numba's ``Cache.load_overload`` refreshes the target context before it loads a kernel's
    object code: that starts Numba's runtime (NRT, which cached code links to) and imports
    and installs every typing and lowering registry Numba has (``numba.np.linalg``,
    ``numba.typed``, ``jitclass``, ...), which only compiling uses. Here the load starts
    the runtime and loads the code; the machine code run is the very same. Whatever
    compiles later (a cold cache, a new signature) refreshes the contexts itself
    (``numba.core.compiler.CompilerBase``), and a lowering lookup that misses refreshes
    them too (``BaseContext.get_function``). Nothing is changed when Numba's cache class
    does not look as expected; tests that call :func:`main` in their own process keep
    Numba as it is (only :func:`console_main` asks for this).
    """
    try:
        from numba.core import caching
        from numba.core.runtime import rtsys
    except ImportError:  # pragma: no cover - Numba moved these
        return
    global _LEAN_LOADS
    cache = getattr(caching, "Cache", None)
    if (_LEAN_LOADS or cache is None or getattr(cache.load_overload, "_emofeat_lean", False)
            or not hasattr(cache, "_load_overload")
            or not hasattr(cache, "_guard_against_spurious_io_errors")
            or not hasattr(rtsys, "initialize")):
        return

    def load_overload(self, sig, target_context):
        rtsys.initialize(target_context)  # what cached code links to (NRT)
        with self._guard_against_spurious_io_errors():
            return self._load_overload(sig, target_context)

    load_overload._emofeat_lean = True
    cache.load_overload = load_overload
    if _numba_release_tested():
        # these reach into how Numba lays out its cached libraries and environments, which
        # its releases may change without renaming anything: only on releases tested here
        _lean_environments()
        _quiet_llvm_lock()
        _typeof_arrays_without_numpy_ma()
        _lazy_linking_modules()
        _cached_runtime()
    _LEAN_LOADS = True  # once a process (a profiler may wrap the method after this)
    _extensions_when_compiling()


#: Numba releases (major, minor) on which the start-up shortcuts below were checked
#: (tests/test_cmd_speed.py); on any other the command loads kernels as Numba does
_NUMBA_RELEASES_TESTED = frozenset({(0, 68)})


def _numba_release_tested() -> bool:
    """Whether the installed Numba is a release the start-up shortcuts were checked on."""
    import numba

    try:
        release = tuple(int(part) for part in numba.__version__.split(".")[:2])
    except ValueError:  # a development version string: Numba's own way
        return False
    return release in _NUMBA_RELEASES_TESTED


def _extensions_when_compiling() -> None:
    """Let Numba initialise its extensions (the ``numba_extensions`` entry points of every
    installed package) when something compiles, not on the first call of a kernel loaded from
    the cache (with :func:`_lean_cache_loads`, in the ``emofeat`` program only).

    A dispatcher's first call runs ``numba.core.entrypoints.init_all`` before anything else,
    cache hit or not: it imports ``importlib.metadata`` and reads the entry points of every
    installed distribution (30-35 ms of CPU in this project's environment, a twelfth of the
    command's start-up). Extensions add types and their compilation; loading cached machine
    code for NumPy arrays and floats uses neither. Here the first call skips it, and
    ``numba.core.compiler.compile_extra`` (what every compilation of a dispatcher goes
    through: a cold cache, a new signature, a kernel without cache) runs it first, so that
    whatever compiles sees the extensions as before. Nothing is changed when Numba does not
    look as expected.
    """
    try:
        from numba.core import compiler, dispatcher, entrypoints
    except ImportError:  # pragma: no cover - Numba moved these
        return
    base = getattr(dispatcher, "_DispatcherBase", None)
    original = getattr(compiler, "compile_extra", None)
    if (base is None or original is None or getattr(original, "_emofeat_lean", False)
            or not hasattr(base, "_compilation_chain_init_hook")
            or not hasattr(entrypoints, "init_all")):
        return

    def compile_extra(*args, **kwargs):
        entrypoints.init_all()  # once a process: it returns at once afterwards
        return original(*args, **kwargs)

    compile_extra._emofeat_lean = True
    compiler.compile_extra = compile_extra
    base._compilation_chain_init_hook = lambda self: None


def _lazy_linking_modules() -> None:
    """Parse a cached kernel's LLVM bitcode only if something links with it.

    A kernel cached as object code carries, besides its machine code, the bitcode of its
    functions so that code compiled later can inline them; Numba's loader parses that
    bitcode on every load (``LLVMPY_ParseBitcode``: about a third of the time of loading
    the 17 eGeMAPS kernels) to record the symbols it defines. Running the machine code needs
    neither. Here the bitcode is kept as bytes and parsed, with its symbols recorded, when a
    compilation links the library in (``_get_module_for_linking``), or when the JIT engine
    is asked about a symbol that no loaded library is known to define (all pending libraries
    then, before Numba's own answer). The symbols a loaded kernel is asked about (its entry
    point, as the dispatcher takes its address) are read from the symbol table of its ELF
    object code, whose global and weak symbols are those its bitcode defines but for
    private constants (checked on every eGeMAPS kernel); any other object format is parsed
    as Numba does. The host CPU's name, part of every cache index key, is read from LLVM
    once instead of once per kernel."""
    try:
        from llvmlite import binding as ll
        from numba.core import codegen as cg
        from numba.core import config as numba_config
    except ImportError:  # pragma: no cover - moved
        return
    lib_cls = getattr(cg, "CPUCodeLibrary", None)
    engine_cls = getattr(cg, "JitEngine", None)
    codegen_cls = getattr(cg, "CPUCodegen", None)
    unserialize = getattr(lib_cls, "_unserialize", None)
    linking = getattr(lib_cls, "_get_module_for_linking", None)
    defined = getattr(engine_cls, "is_symbol_defined", None)
    cpu_name = getattr(codegen_cls, "_get_host_cpu_name", None)
    if (None in (unserialize, linking, defined, cpu_name)
            or getattr(linking, "_emofeat_lean", False)
            or not hasattr(engine_cls, "_load_defined_symbols")):
        return
    numba_unserialize = unserialize.__func__

    def _parse_shared(lib) -> None:
        bitcode = lib.__dict__.pop("_emofeat_shared_bitcode", None)
        if bitcode is not None:
            lib._shared_module = ll.parse_bitcode(bitcode)
            lib._codegen._engine._load_defined_symbols(lib._shared_module)

    def _unserialize(cls, codegen, state):
        name, kind, data = state
        if kind != "object":
            return numba_unserialize(cls, codegen, state)
        object_code, shared_bitcode = data
        self = codegen.create_library(name)
        assert isinstance(self, cls)
        self.enable_object_caching()
        self._set_compiled_object(object_code)
        symbols = _elf_defined_symbols(object_code)
        if symbols is None:  # not an ELF object: Numba's way
            self._shared_module = ll.parse_bitcode(shared_bitcode)
            self._finalize_final_module()
            codegen._engine._load_defined_symbols(self._shared_module)
            return self
        self._emofeat_shared_bitcode = shared_bitcode
        self._finalize_final_module()
        engine = codegen._engine.__dict__
        engine.setdefault("_emofeat_pending", []).append(self)
        engine.setdefault("_emofeat_object_symbols", set()).update(symbols)
        return self

    def _get_module_for_linking(self):
        _parse_shared(self)
        return linking(self)

    def is_symbol_defined(self, name):
        if name in self.__dict__.get("_emofeat_object_symbols", ()):
            return True  # defined by the object code of a loaded kernel
        pending = self.__dict__.get("_emofeat_pending")
        while pending:
            _parse_shared(pending.pop())
        return defined(self, name)

    host = []

    def _get_host_cpu_name(self):
        if numba_config.CPU_NAME is not None:
            return numba_config.CPU_NAME
        if not host:
            host.append(ll.get_host_cpu_name())
        return host[0]

    _get_module_for_linking._emofeat_lean = True
    lib_cls._unserialize = classmethod(_unserialize)
    lib_cls._get_module_for_linking = _get_module_for_linking
    engine_cls.is_symbol_defined = is_symbol_defined
    codegen_cls._get_host_cpu_name = _get_host_cpu_name


def _cached_runtime() -> None:
    """Keep the machine code of Numba's runtime functions (NRT: reference counts, atomic
    operations) on disk beside emofeat's kernels.

    Numba generates those few functions as LLVM IR and compiles them in every process, the
    first time a kernel is loaded (22 ms of CPU, a third of loading the eGeMAPS kernels). Here
    its compile step (``nrtdynmod.compile_nrt_functions``) reads the object code a previous
    process saved (under a key of the Numba and llvmlite versions, the CPU and its features,
    the NRT debug settings and Python's version), compiling and saving it as Numba does when
    there is none or it cannot be read; the runtime's initialisation is otherwise Numba's.
    The same machine code: what the compile step produces, loaded as any cached kernel."""
    try:
        import llvmlite
        import numba
        from numba.core import config as numba_config
        from numba.core.runtime import nrtdynmod
    except ImportError:  # pragma: no cover - moved
        return
    compile_nrt = getattr(nrtdynmod, "compile_nrt_functions", None)
    create = getattr(nrtdynmod, "create_nrt_module", None)
    if compile_nrt is None or create is None or getattr(compile_nrt, "_emofeat_lean", False):
        return

    def path_for(ctx):
        from . import _numba as emofeat_numba

        folder = emofeat_numba.configure_cache() or Path(emofeat_numba.__file__).parent / (
            "__pycache__")
        key = repr((1, numba.__version__, llvmlite.__version__, ctx.codegen().magic_tuple(),
                    numba_config.DEBUG_NRT, numba_config.DEBUG_NRT_STACK_LIMIT,
                    numba_config.MACHINE_BITS, sys.version_info[:2]))
        return Path(folder) / f"emofeat-nrt-{hashlib.sha1(key.encode()).hexdigest()[:16]}.nbc"

    def compile_nrt_functions(ctx):
        import pickle

        try:
            from ._numba import read_own_file

            path = path_for(ctx)
            # a pickle: loaded only if this user's processes wrote it (not a link, not
            # writable by others; the folder is safe too: emofeat._numba.choose_cache_dir)
            state = pickle.loads(read_own_file(path))
            ok = (isinstance(state, tuple) and len(state) == 3 and state[1] == "object"
                  and isinstance(state[2], tuple) and len(state[2]) == 2)
        except Exception:  # noqa: BLE001 - no file, unreadable, other key: compile
            path, ok = None, False
        if ok:
            return ctx.codegen().unserialize_library(state)
        # Numba's compile step, with the object code kept so that it can be saved
        ir_mod, library = create(ctx)
        library.enable_object_caching()
        library.add_ir_module(ir_mod)
        library.finalize()
        try:
            path = path or path_for(ctx)
            path.parent.mkdir(parents=True, exist_ok=True)
            tmp = path.with_name(f"{path.name}.{os.getpid()}.tmp")
            tmp.write_bytes(pickle.dumps(library.serialize_using_object_code(), protocol=4))
            os.replace(tmp, path)
        except Exception:  # noqa: BLE001 - a read-only or full disk: compile next time
            pass
        return library

    compile_nrt_functions._emofeat_lean = True
    nrtdynmod.compile_nrt_functions = compile_nrt_functions


def _elf_defined_symbols(obj: bytes) -> set[str] | None:
    """The names of the global and weak symbols an ELF64 little-endian object file defines
    (its symbol table), or ``None`` for anything else."""
    import struct

    if len(obj) < 64 or obj[:4] != b"\x7fELF" or obj[4] != 2 or obj[5] != 1:
        return None
    (sh_off,) = struct.unpack_from("<Q", obj, 0x28)
    sh_size, sh_num = struct.unpack_from("<HH", obj, 0x3A)
    if sh_size != 64 or sh_off + sh_num * 64 > len(obj):
        return None
    names: set[str] = set()
    try:
        for i in range(sh_num):
            head = sh_off + i * 64
            if struct.unpack_from("<I", obj, head + 4)[0] != 2:  # SHT_SYMTAB
                continue
            off, size = struct.unpack_from("<QQ", obj, head + 24)
            link = struct.unpack_from("<I", obj, head + 40)[0]
            if struct.unpack_from("<Q", obj, head + 56)[0] != 24 or link >= sh_num:
                return None
            strtab = struct.unpack_from("<Q", obj, sh_off + link * 64 + 24)[0]
            for sym in range(off, off + size, 24):
                name, info, _, section = struct.unpack_from("<IBBH", obj, sym)
                if section == 0 or info >> 4 not in (1, 2):  # undefined, or not global/weak
                    continue
                start = strtab + name
                names.add(obj[start : obj.index(b"\0", start)].decode())
    except (struct.error, ValueError, UnicodeDecodeError):
        return None
    return names


def _typeof_arrays_without_numpy_ma() -> None:
    """Type NumPy arrays for Numba's dispatcher without importing ``numpy.ma``.

    The first call with each array signature types its arguments in Python, where Numba
    refuses masked arrays with ``isinstance(val, np.ma.MaskedArray)``: NumPy imports
    ``numpy.ma`` on that attribute access (7-8 ms of CPU per command, nothing else here uses
    it). A masked array cannot exist before ``numpy.ma`` is imported, so until then the
    check is skipped; after it, Numba's own function types every array (the same type)."""
    import sys

    try:
        import numpy as np
        from numba.core.typing import typeof as typeof_mod
    except ImportError:  # pragma: no cover - moved
        return
    impl = getattr(typeof_mod, "typeof_impl", None)
    registry = getattr(impl, "registry", None)
    numba_fn = registry.get(np.ndarray) if registry is not None else None
    if (numba_fn is None or getattr(numba_fn, "_emofeat_lean", False)
            or getattr(numba_fn, "__name__", "") != "_typeof_ndarray"
            or getattr(numba_fn, "__module__", "") != typeof_mod.__name__):
        return
    from numba.core import types
    from numba.np import numpy_support

    def _typeof_ndarray(val, c):
        if "numpy.ma" in sys.modules:
            return numba_fn(val, c)
        # Numba's function without the masked-array check
        try:
            dtype = numpy_support.from_dtype(val.dtype)
        except Exception:  # noqa: BLE001 - Numba's own error for an unsupported dtype
            return numba_fn(val, c)
        return types.Array(dtype, val.ndim, numpy_support.map_layout(val),
                           readonly=not val.flags.writeable)

    _typeof_ndarray._emofeat_lean = True
    impl.register(np.ndarray)(_typeof_ndarray)


def _quiet_llvm_lock() -> None:
    """Take Numba's ``numba:llvm_lock`` event callbacks off llvmlite's lock.

    Numba registers two callbacks that broadcast an event each time llvmlite takes and
    releases its lock, i.e. around every call into LLVM (about 4,000 while an eGeMAPS command
    loads its 17 kernels: 1.6 us each, 11-14 ms of CPU per command, measured). Their only
    listener is the timer a compilation installs to record the time spent holding the lock
    in the compile result's metadata (``timers["llvm_lock"]``, informational): a compilation
    in this process then records no LLVM lock time. Nothing else changes."""
    try:
        from llvmlite.binding import ffi
        from numba.core import base  # noqa: F401 - registers the callbacks on import
    except ImportError:  # pragma: no cover - moved
        return
    lock = getattr(getattr(ffi, "lib", None), "_lock", None)
    callbacks = getattr(lock, "_cblist", None)
    if not isinstance(callbacks, list) or not hasattr(ffi, "unregister_lock_callback"):
        return
    for acquire, release in list(callbacks):
        # Numba's pair only (defined in numba.core.base); any other listener stays
        if getattr(acquire, "__module__", "") == "numba.core.base":
            ffi.unregister_lock_callback(acquire, release)


def _lean_environments() -> None:
    """Rebuild the environments of Numba's own implementations (``numba.np.arrayobj``,
    ``numba.np.npyimpl``, ...) that a cached kernel carries without importing their modules
    (25-35 ms of CPU per command, ``numba.np.arrayobj`` alone pulls in
    ``numba.cpython.unicode`` and ``charseq``).

    Every function compiled into a kernel has an environment: its module's globals and the
    Python constants of its object-mode parts, which compiled code reads only to box or
    unbox Python objects. Numba's loader imports the module of each to rebuild it. The
    implementations of NumPy and array operations inlined into nopython kernels have no such
    constants; for those (a ``numba.*`` module not imported yet, no constants) the
    environment gets a stand-in globals dict naming the module. The kernel's own module's
    environment, and any with constants, are rebuilt as Numba does. Whatever compiles later
    imports those modules itself (typing and lowering need them)."""
    import sys

    try:
        from numba.core import environment as env_mod
    except ImportError:  # pragma: no cover - Numba moved it
        return
    rebuild = getattr(env_mod, "_rebuild_env", None)
    if (rebuild is None or getattr(rebuild, "_emofeat_lean", False)
            or not hasattr(env_mod, "lookup_environment")
            or not hasattr(env_mod, "Environment")):
        return

    def _rebuild_env(modname, consts, env_name):
        if (isinstance(modname, str) and modname.startswith("numba.")
                and modname not in sys.modules and not len(consts)
                and env_mod.lookup_environment(env_name) is None):
            env = env_mod.Environment({"__name__": modname})
            env.env_name = env_name
            env_mod.Environment._memo[env_name] = env
            return env
        return rebuild(modname, consts, env_name)

    _rebuild_env._emofeat_lean = True
    # pickled by name like Numba's (Environment.__reduce__ names the module's function, and a
    # kernel compiled in this process is cached with it): a process without this reads it
    # back as Numba's own
    _rebuild_env.__module__ = rebuild.__module__
    _rebuild_env.__qualname__ = rebuild.__qualname__
    env_mod._rebuild_env = _rebuild_env


#: whether :func:`_lean_cache_loads` has replaced Numba's cache loading in this process
_LEAN_LOADS = False


def cmd_extract(args: argparse.Namespace) -> int:
    """``emofeat extract``: :func:`_extract` with Python's garbage collector paused while it
    imports and loads the kernels.

    Those imports (pandas, pyarrow, Numba and its library of implementations) create about
    150,000 objects, no garbage among them to speak of; the collector would walk them all
    several times (0.1-0.15 s of CPU, a start-up cost of every command). Once they are
    loaded they are moved out of its way (``gc.freeze``), so that the collections of the
    run itself only walk what the run creates. Both are undone when the command returns.
    """
    import gc

    enabled = gc.isenabled()
    gc.disable()
    frozen: list[bool] = []

    def started() -> None:  # the imports done: the collector back, on the run's objects
        if not frozen:
            frozen.append(True)
            gc.freeze()
            if enabled:
                gc.enable()

    try:
        return _extract(args, started)
    finally:
        if frozen:
            gc.unfreeze()
        if enabled:
            gc.enable()


#: the block options as the command names them, in check_blocks' messages
_BLOCK_OPTIONS = ("--long-file", "--block")


def _extract(args: argparse.Namespace, started) -> int:
    import logging

    global _END_FAST
    _END_FAST = True  # the process may end without module teardown (console_main)

    from .dask_backend import WorkerVersionError
    from .inputs import ListedTwiceError
    from .registry import get_extractor
    from .runner import run
    from .schedule import WorkerDiedError
    from .segments import parse_duration
    from .store import OutputLockedError, OutputNotWritableError, ParameterMismatchError

    if args.verbose:
        logging.basicConfig(level=logging.DEBUG if args.verbose > 1 else logging.INFO,
                            format="%(asctime)s %(name)s %(levelname)s: %(message)s")
    sets: list[str] = []
    try:
        sets = _set_names(args.set)
        # values no number of seconds, refused before the sets are made (audio or not)
        check_blocks("audio", args.long_file, args.block, _BLOCK_OPTIONS)
        # an extractor's module may import Numba (eGeMAPS imports its kernel module): the
        # first import of Numba, in the emofeat program without yaml (were the block below
        # after it, such a set would import yaml with Numba, to read its configuration)
        with _numba_config_without_yaml(_CONSOLE):
            routed = _meant_params(_set_params(sets, args.param or []))
            extractors = [_with_home_folders(get_extractor(s, level=args.level, **params))
                          for s, params in routed.items()]
        from .extractor import check_same_modality, check_sets_params

        check_sets_params(zip(routed, extractors, strict=True))  # refused here early

        modality = check_same_modality(extractors)
        # given (not the parser's Unsaid defaults) with text or EEG sets: refused, as run()
        # refuses them, before any work
        check_blocks(modality, args.long_file, args.block, _BLOCK_OPTIONS)
        for option, d in (("--segment", args.segment), ("--hop", args.hop)):
            if d is not None:
                try:
                    parse_duration(d)
                except ValueError as exc:  # which of the two, said
                    raise ValueError(f"{option} {d}: {exc}") from None
        if args.hop is not None and args.segment is None:
            raise ValueError("--hop needs --segment")
        problem = _jobs_problem(args.jobs)
        if problem:
            raise ValueError(problem)
        # before the inputs are listed; run() checks them again, as from Python
        check_output(args.output, args.format, args.backend, args.scheduler)
        # another output inside a dataset folder of features (its own folder is not "in" it)
        if (features := _features_folder(Path(args.output).parent)) is not None:
            raise ValueError(f"-o {args.output} is in {features}, a dataset folder of "
                             "features written by emofeat extract, which would take this "
                             "output's files for someone else's and refuse to resume or "
                             "replace it: give an output outside it")
    except ValueError as exc:
        hint = _literal_hint(str(exc), args.param or [], sets)
        print(f"emofeat: {exc}{hint}", file=sys.stderr)
        return EXIT_USAGE
    try:
        sources: list = []
        manifest = collect_inputs(args.inputs, modality, args.input_column, sources)
    except UsageError as exc:
        print(f"emofeat: {exc}", file=sys.stderr)
        return EXIT_USAGE
    from .registry import compile_cold

    _lean_numba_start()
    if _CONSOLE:
        with _numba_config_without_yaml(True):  # Numba is first imported here
            _lean_cache_loads()
        from .blocks import keep_freed_memory

        # the process is ours and analyses file after file: each file's arrays reuse the
        # memory of the one before instead of faulting fresh pages in (forked workers
        # inherit the setting)
        keep_freed_memory()
    compile_cold(extractors, announce=lambda m: print(f"emofeat: {m}", file=sys.stderr,
                                                      flush=True))
    output = Path(args.output)
    try:
        output.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:  # read-only file system, a file in the way, no such mount
        from .store import blocked_path

        # a file or a broken link on the way is named as what it is, as run() names it
        why = blocked_path(output)
        print(f"emofeat: cannot write {output}: " + (
            why if why else f"cannot create its folder {output.parent} "
                            f"({exc.strerror or exc})"), file=sys.stderr)
        return EXIT_USAGE
    from .store import link_loop

    looped = link_loop(output)  # before its errors table is looked for (no name to take)
    if looped:
        print(f"emofeat: cannot write {output}: {looped}", file=sys.stderr)
        return EXIT_USAGE
    layout = args.format
    if layout == "auto" and not output.is_file():
        from .store import infer_layout

        # as typed: Path(args.output) dropped a slash at the end ('-o feats.parquet/', a
        # folder as Spark and Dask name them, was written as one file)
        layout = infer_layout(args.output)
    if layout == "auto" and (args.scheduler or args.backend == "dask"):
        from .store import is_parquet_name

        layout = "file" if is_parquet_name(output) and not output.is_dir() else "dataset"
    err_path = _errors_path(output)
    if _errors_table_in_the_way(err_path):
        print(f"emofeat: {err_path}, where the errors table of {output} goes, is not an "
              "errors table emofeat wrote: not replacing it; move it away or give another "
              "output", file=sys.stderr)
        return EXIT_USAGE
    namesake = _table_shared_with(output, err_path)
    if namesake is not None:
        print(f"emofeat: {err_path}, where the errors table of {output} goes, is that of "
              f"{namesake} too: give another output name, or move {namesake} away",
              file=sys.stderr)
        return EXIT_USAGE
    started()
    existed = output.exists()  # a run whose every input fails writes a table without rows
    try:
        result = run(
            manifest, extractors, n_jobs=args.jobs,
            on_error="raise" if args.fail_fast else "record", progress=_progress_bar(args),
            chunk_size=args.chunk_size, segment=args.segment, hop=args.hop, output=output,
            layout=layout, overwrite=args.overwrite, backend=args.backend,
            scheduler=args.scheduler, long_file_seconds=args.long_file,
            block_seconds=args.block, input_column=args.input_column,
        )
    except (ParameterMismatchError, OutputLockedError, OutputNotWritableError,
            WorkerVersionError) as exc:
        # a worker of another install is the cluster's set-up, not this run's first failure;
        # an output that cannot be written is the command's, even with --fail-fast
        print(f"emofeat: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except WorkerDiedError as exc:  # the run stopped unfinished, not a usage error (exit 2)
        print(f"emofeat: {exc}", file=sys.stderr)
        return EXIT_SOME_FAILED
    except ListedTwiceError as exc:  # its rows named by manifest line or argument
        print(f"emofeat: {exc.located(sources[0]) if sources else exc}", file=sys.stderr)
        return EXIT_USAGE
    except (ValueError, OSError, RuntimeError, ArithmeticError) as exc:
        if not args.fail_fast:
            print(f"emofeat: {exc}", file=sys.stderr)
            return EXIT_USAGE
        held = _inputs_held(output, layout)
        staged = _staged_replacement(args.output, output)
        # a segment manifest's rows are segments, as the summary and info count them
        unit = ("segment" if "start" in getattr(manifest, "columns", ())
                and "end" in getattr(manifest, "columns", ()) else "input")
        # the same command stops at the same input again: said with the way on (until
        # session 57 'run the same command again to resume' alone, which a user followed
        # in a loop, 37 RAVDESS inputs kept and the same corrupt FLAC each time)
        again = (f"it stops at that {unit} again until it is fixed or left out of the "
                 f"inputs (without --fail-fast the run records the failures in "
                 f"{err_path.name} and goes on)")
        # an earlier run's table would be read as this run's failures: some of them may
        # have succeeded in this run before it stopped; so would one by an old name
        _remove_errors_table(err_path)
        _remove_legacy_errors_tables(output, err_path)
        if staged is not None:
            # a replacement: "run the same command again" (--overwrite) started it again,
            # and the count was of the old output's inputs and the staged ones together
            print(f"emofeat: stopped at the first failure (--fail-fast): "
                  f"{type(exc).__name__}: {exc}\n{args.output} is kept as it was until its "
                  f"replacement is complete; {counted(staged[0], unit)} of the "
                  f"replacement {'are' if staged[0] != 1 else 'is'} kept in {staged[1]} "
                  f"({unit}s done in the failing shard are not kept); run the same command "
                  "without --overwrite to go on from them (with --overwrite it starts "
                  f"again): {again}", file=sys.stderr)
            return EXIT_SOME_FAILED
        print(f"emofeat: stopped at the first failure (--fail-fast): {type(exc).__name__}: "
              f"{exc}\nonly completed parts are kept ({counted(held, unit)} in the output; "
              f"{unit}s done "
              f"in the failing shard are not kept); run the same command again to resume: "
              f"{again}", file=sys.stderr)
        return EXIT_SOME_FAILED
    if result.n_failed:
        tmp = err_path.with_name(f".{err_path.name}.tmp-{os.getpid()}")
        _write_errors(result, tmp)
        os.replace(tmp, err_path)
    else:
        _remove_errors_table(err_path)  # a stale error table from an earlier run would mislead
    _remove_legacy_errors_tables(output, err_path)
    print(f"emofeat extract: {result.summary()}", file=sys.stderr)
    # a segment manifest's rows are segments, as the summary counts them (bd5f09a)
    unit = "segment" if result.spans else "input"
    if result.n_rows:
        print(f"wrote {output}", file=sys.stderr)
    elif result.kept_output and result.n_staged_kept:
        staged = counted(result.n_staged_kept, unit)
        print(f"nothing new extracted: {output} kept as it was, nothing replaced; the rows of "
              f"the {staged} the replacement staged before it stopped stay staged, and the "
              "same command without --overwrite goes on with them once its inputs can be "
              "read", file=sys.stderr)
    elif result.kept_output and result.restarted:
        # not 'kept as it was ... --overwrite replaces it': the errors table is this run's
        # and the output was started again already
        print(f"every {unit} failed again: the restart of {output} wrote nothing (it holds no "
              f"rows, of the run before); {err_path} lists this run's failures",
              file=sys.stderr)
    elif result.kept_output:
        print(f"every {unit} failed: {output} kept as it was, nothing replaced (--overwrite "
              "replaces it by a run that extracts something)", file=sys.stderr)
    elif result.recorded_folder:
        rule = " and the tail rule" if result.recorded_rule else ""
        print(f"recorded the folder of its relative paths{rule} in {output} (rows unchanged)",
              file=sys.stderr)
    elif result.recorded_rule and not result.changes():
        # an output written before its sets' tail rule was recorded: rewritten to record it
        print(f"nothing new to write; recorded the tail rule in {output} (rows unchanged)",
              file=sys.stderr)
    elif changes := result.changes():  # not "up to date": the run rewrote the output
        print(f"nothing new {'extracted' if result.n_failed else 'to extract'}; "
              f"{', '.join(changes)} in {output}", file=sys.stderr)
    elif output.exists() and not result.n_failed:
        print(f"nothing new to write: {output} is up to date", file=sys.stderr)
    elif output.exists() and not existed:  # a fresh run, every input failed
        print(f"wrote {output} without rows: every {unit} failed (the same command resumes "
              "it; one with other parameters starts it again)", file=sys.stderr)
    elif output.exists():  # every input left to do failed: not up to date
        print(f"nothing new written to {output}", file=sys.stderr)
    if result.n_failed:
        print(f"{counted(result.n_failed, unit)} failed, listed in {err_path}:",
              file=sys.stderr)
        cols = result.error_columns
        for row in result.error_rows[:5]:
            print(_one_line(f"  {_failed_where(row, cols)}: {row[cols.index('error_type')]}: "
                            f"{row[cols.index('message')]}"), file=sys.stderr)
        return EXIT_SOME_FAILED
    return EXIT_OK


def _failed_where(row: tuple, cols: tuple[str, ...]) -> str:
    """A failed input as the command lists it: its path, and a manifest segment's bounds as
    its warnings name them (``a.flac, segment 50-51 s``): two segments of one file that
    failed read as the same input listed twice. A manifest row of the whole file (no bounds)
    is its path."""
    import math

    path = row[cols.index("path")]
    if "start" not in cols:
        return str(path)
    start, end = row[cols.index("start")], row[cols.index("end")]
    if not all(isinstance(t, (int, float)) and math.isfinite(t) for t in (start, end)):
        return str(path)
    from ._window_warnings import seconds

    return f"{path}, segment {seconds(start)}-{seconds(end)} s"


#: control characters (C0, DEL, C1) and the backslash, as the command's lines escape them
_CONTROL = re.compile(r"[\\\x00-\x1f\x7f-\x9f]")


def _one_line(text: str) -> str:
    """``text`` with its control characters escaped (``\\n``, ``\\t``, ``\\x1b``) and
    its backslashes doubled, as ``ls -b`` shows file names: a line of a failed input or a
    warning stays one line on the terminal (a file named with a line break split it in two,
    and an escape sequence in a name or message was run by the terminal), and a name holding
    a backslash and ``n`` is not shown as one holding a line break. The errors table and the
    output keep the text as it is."""
    return _CONTROL.sub(lambda m: repr(m.group())[1:-1], text)


def _inputs_held(output: Path, layout: str) -> int:
    """The inputs an output holds (its file and its parts, finished or merged), for the
    message of a stopped run."""
    from .store import _part_files, done_keys_of, infer_layout, parts_folder

    try:
        if infer_layout(output, layout) == "dataset":
            return len(set(done_keys_of(output))) if output.is_dir() else 0
        parts = parts_folder(output)  # a link's: beside its target, where its run writes
        keys = set(done_keys_of(output)) if output.is_file() else set()
        for part in _part_files(parts) if parts.is_dir() else []:
            keys.update(done_keys_of(part))
        return len(keys)
    except (OSError, ValueError):  # unreadable: nothing to count by
        return 0


def _write_errors(result, path: Path) -> None:
    """The errors table as ``result.errors.to_csv(path, index=False)`` writes it: with the
    csv module as pandas does (its writer, its dialect) when every cell is a string, with
    pandas otherwise (the ``start``/``end`` seconds of a segment manifest)."""
    rows = result.error_rows
    if not all(type(v) is str for row in rows for v in row):
        result.errors.to_csv(path, index=False)
        return
    import csv

    with open(path, "w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh, lineterminator=os.linesep, quoting=csv.QUOTE_MINIMAL)
        writer.writerow(result.error_columns)
        writer.writerows(rows)


def _not_a_table(path: str) -> int:
    print(f"emofeat: {path} is not a parquet file: info describes a features table emofeat "
          "extract wrote (.parquet, or its dataset folder) or a model emofeat train wrote",
          file=sys.stderr)
    return EXIT_USAGE


def _info_model(path: str, verbose: bool = False) -> int:
    """``emofeat info MODEL``: what the model predicts, how it was trained
    (:meth:`~emofeat.classifiers.TrainedModel.describe`) and the extraction it expects."""
    from .classifiers import load_model
    from .classifiers.validation import DataError

    try:
        model = load_model(path)
    except DataError as exc:
        # a pickle that is no readable model (cut short, of a newer emofeat, of classes no
        # longer installed) said what predict says of it, not 'is not a parquet file'
        if not _looks_pickled(_file_head(Path(path), 8)):
            return _not_a_table(path)
        print(f"emofeat: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except (OSError, ValueError, EOFError):
        return _not_a_table(path)
    print(f"{path}: {model.describe(verbose)}")
    prov = model.feature_provenance or {}
    _print_rows_and_rate(prov, "the rate the training table's sets were fitted at")
    _print_sets(prov.get("sets", []), verbose, model=True)
    return EXIT_OK


def _print_sets(sets: list, verbose: bool, model: bool = False) -> None:
    """``info``'s lines on each feature set and the parameters it ran with (``-v``: as
    JSON, with the functionals; else a long list by its ends and length, ``window=[0.0,
    6.2e-05, 0.000248, ..., 0.0] (400 values)``); ``model``: the sets of a model's training
    table, which has no rows to resume."""
    import json

    from .store import value_shown

    for s in sets:
        # a set's fix of its numbers for the same parameters (0, never changed: not said)
        numbers = (f"; numbers version {s['numbers_version']}"
                   if s.get("numbers_version") else "")
        print(f"set {s.get('name')} "
              f"({s.get('class') or _class_not_recorded(s.get('name'))}{numbers}"
              f"{_numbers_now(s, sets, model)}):")
        params = s.get("params", {})
        if verbose:
            print(json.dumps(params, indent=2, default=str))
        else:
            print("  " + ", ".join(f"{k}={value_shown(v, str)}" for k, v in params.items()
                                   if k != "functionals"))


def _numbers_now(s: dict, sets: list = (), model: bool = False) -> str:
    """Where the installed emofeat computes a set's numbers at another version than its
    table's or model's: an output of the old numbers is refused on resume and refused in a
    stack, and a model warns, but ``info`` showed its version alone, with nothing to compare
    it with; empty otherwise (the same version, or a set this emofeat does not know, or
    another class under the name: its versions are not comparable). ``sets``: all the sets
    of the table (or ``model``'s training table), of which another set's change refuses a
    run of the former class too."""
    from ._numbers import installed_changes, sets_named
    from .registry import installed_class, installed_numbers_version
    from .store import _classes, former_class_now

    now = installed_numbers_version(s.get("name"), s.get("class"))
    version = int(s.get("numbers_version") or 0)
    if now is None or now == version:
        return ""
    # a set whose class changed with its numbers (mfcc_htk: MFCC at version 1, MFCCHTK at 2)
    cls = installed_class(s.get("name"))
    moved = f" (class {cls})" if s.get("class") and cls != s.get("class") else ""
    # the class that made the rows still computes them at their version: its run resumes
    # them, where the set now refuses them (both are true; saying one misled)
    if former_class_now(s.get("name"), s.get("class")) == version:
        # ... unless another set of the table changed its numbers under its own class
        # (session 57: 'and resumes them' was printed under the warning that the run of
        # these sets is refused for that set), or the rows are a model's training table's
        classes = _classes({"sets": sets})
        others = [name for name, old, _ in installed_changes(
            [x for x in sets if isinstance(x, dict) and x.get("name") != s.get("name")])
            if former_class_now(name, classes.get(name)) != old]
        made = "its training rows" if model else "these rows"
        whose = sets_named(others)
        resumes = ("" if model else " and resumes them" if not others else
                   f"; {whose} numbers changed, so no run of the installed emofeat "
                   "resumes them")
        moved = (f" (class {cls}; {s.get('class')}, which made {made}, still computes "
                 f"version {s.get('numbers_version')}{resumes})")
    return f"; the installed emofeat computes numbers version {now}{moved}"


def _class_not_recorded(name: Any) -> str:
    """What ``info`` says of a set whose class its table or model does not record (a model
    saved before 2026-12-05): that, and the class this emofeat gives the set's name, which
    is likely, not certainly, the one that ran."""
    from .registry import installed_class

    now = installed_class(name)
    if now is None:  # a name this emofeat does not know (a set of one's own)
        return "class not recorded"
    return f"class not recorded; emofeat's {name!r} set is now {now}"


def _environment_line(environment: Any) -> str:
    """``info``'s line on the libraries that computed the rows, from the provenance's
    ``environment`` (``'with Python 3.11.9, numpy 2.1.3, ..., soxr 1.1.0, pyarrow 26.0.1 on
    Linux-...'``); ``''`` where there is none (a table of another tool, edited by hand)."""
    if not isinstance(environment, dict) or not environment:
        return ""
    named = {"python": "Python", "numpy": "NumPy", "scipy": "SciPy", "numba": "Numba",
             "miniaudio": "miniaudio (FLAC)", "mne": "MNE"}
    libraries = ", ".join(f"{named.get(name, name)} {version}"
                          for name, version in environment.items() if name != "platform")
    where = environment.get("platform")
    return f"with {libraries}{f' on {where}' if where else ''}"


def _print_rows_and_rate(prov: dict, whose: str) -> None:
    """``info``'s lines on how an extraction cut its inputs and, EEG, the rate it analysed."""
    segments = prov.get("segments")
    if isinstance(segments, dict) and "segment" in segments:  # --segment/--hop: windows
        print(f"segments: windows of {segments.get('segment')} s every {segments.get('hop')} s")
    elif segments == "manifest":
        print("segments: listed by the manifest (start, end)")
    if prov.get("sfreq") is not None:  # EEG: the sets' fit, not always the first recording's
        from .table import rate_text

        print(f"sampling rate: {rate_text(prov['sfreq'])} ({whose})")


def _staged_replacement(arg: str, path: Path) -> tuple[int, str, Path] | None:
    """The inputs staged, and where (as said, and the folder), by a run with ``--overwrite``
    that began to replace the output ``path`` (``arg`` as typed) and has not finished: its
    new parts wait beside it (``OUT.parquet.parts/``, ``OUT.overwrite/``, marked as
    replacing it). ``None`` where no replacement is pending.

    The output is resolved first: a run into a symbolic link stages beside the link's
    target (:class:`~emofeat.store.FeatureStore`), and ``emofeat info .`` of a dataset
    folder, read from inside it, raised ``ValueError: PosixPath('.') has an empty name``
    until session 57 C2 (the staging folder is then named in full)."""
    from .store import (
        PARQUET_SUFFIXES,
        STAGING_SUFFIX,
        SUPERSEDED_FILE,
        inputs_held,
        names_itself,
    )

    real = Path(os.path.realpath(path))
    if not real.name:  # '/': no output's name to stage beside
        return None
    bare = arg.rstrip("/\\")
    if path.is_dir():
        suffix = STAGING_SUFFIX
    elif path.suffix.lower() in PARQUET_SUFFIXES:
        suffix = ".parts"
    else:
        return None
    staging = real.with_name(real.name + suffix)
    if not (staging / SUPERSEDED_FILE).is_file():
        return None
    # as typed where that names the output ('feats' -> 'feats.overwrite'); in full for '.'
    # or a link, whose typed name is not the staging folder's
    return inputs_held(staging), (f"{bare}{suffix}" if names_itself(bare, real)
                                  else str(staging)), staging


def _replacement_pending(arg: str, path: Path) -> str | None:
    """What ``info`` adds of an output that a run with ``--overwrite`` began to replace and
    has not finished (interrupted, or still running): the output read is the old one, which
    ``info`` described without a word of the new parts (:func:`_staged_replacement`).
    ``None`` otherwise."""
    staged = _staged_replacement(arg, path)
    if staged is None:
        return None
    from .store import _sentence, refused_again, writing_now

    held, shown, staging = staged
    holder = writing_now(path)
    if holder:  # the run is going on: nothing to finish
        return (f"being replaced: a run with --overwrite is writing its replacement now "
                f"({holder}); its {counted(held, 'input')} extracted so far "
                f"{'are' if held != 1 else 'is'} kept in {shown}, and this is the output "
                "before it, until that run has finished")
    # staged where the installed emofeat computes a set otherwise: the same command is
    # refused (review RC3: 'without --overwrite finishes the replacement' sent the user there)
    way = (_sentence(refused_again(staging))
           or "The same extract command without --overwrite finishes the replacement "
              "(with --overwrite it starts again)")
    return (f"being replaced: a run with --overwrite into it was interrupted (or is still "
            f"running); its {counted(held, 'input')} extracted so far "
            f"{'are' if held != 1 else 'is'} kept in {shown}, and this is the output before "
            f"it. {way}")


def _unfinished_file_output(arg: str, path: Path) -> str | None:
    """What ``info`` says of a single-file output that a run has not merged yet, or of the
    folder of its parts; None for anything else.

    Until its run ends, ``-o OUT.parquet`` is ``OUT.parquet.parts/`` alone (Arrow parts,
    which only ``extract`` reads): an interrupted run, a ``--fail-fast`` stop (whose message
    counts the inputs "in the output") or a run still going. Said plainly, ``info OUT.parquet``
    was 'no such file or folder' and ``info OUT.parquet.parts`` 'no parquet parts in this
    folder', neither of which tells the user that the same command finishes it."""
    from .store import (
        COMMON_METADATA,
        RUN_FILE,
        _part_files,
        folder_writer,
        inputs_held,
        nothing_saved_yet,
        parts_folder,
        parts_output,
        refused_again,
        writing_now,
    )

    # a run stopped by --fail-fast stops again at the same input
    resume = ("run the same extract command again to finish it (where --fail-fast stopped "
              "it at an input, fix or remove that input first, or run without --fail-fast, "
              "which records failures and goes on)")
    bare = arg.rstrip("/\\")  # as typed, without the slash a folder may be given with

    def run_of(output: Path) -> tuple[str, str, str | None]:
        # a run holding the output's lock is writing it now: 'interrupted (or is still
        # running)' and 'run the same command again' (refused while it runs) said otherwise
        holder = writing_now(output)
        if holder:
            return (f"a run into it is still writing it ({holder})",
                    "read it once that run has finished", holder)
        return "a run into it was interrupted (or is still running)", resume, None

    if not path.exists():
        parts = parts_folder(path)  # a link's: beside its target, said in full
        kept = str(parts) if path.is_symlink() else f"{bare}.parts"
        if not parts.is_dir() or (parts / COMMON_METADATA).exists():
            return None  # no parts, or a dataset folder named so: refused as before
        stopped, again, holder = run_of(path)
        if not _part_files(parts):  # '0 inputs extracted so far are kept'
            return f"{arg}: not written yet: {nothing_saved_yet(holder)}; {again}"
        held = inputs_held(parts)
        return (f"{arg}: not written yet: {stopped}; {counted(held, 'input')} extracted so "
                f"far {'are' if held != 1 else 'is'} kept in {kept}, which only "
                f"emofeat extract reads: {holder and again or refused_again(parts) or again}")
    if (path.is_dir() and (path / RUN_FILE).is_file() and not _part_files(path)
            and not (path / COMMON_METADATA).exists()):
        # a dataset folder (or a file output's parts folder) of a run stopped before its
        # first part: 'no parquet parts in this folder' told nothing of the run
        holder, output = folder_writer(bare or arg)  # '/' stripped is ''
        # the parts folder is extract's: read the output
        again = (f"run emofeat info {output} once that run has finished" if output
                 else "read it once that run has finished" if holder else resume)
        return f"{arg}: no rows yet: {nothing_saved_yet(holder)}; {again}"
    # '.' or a link typed: the output its resolved name says, as for a folder with no part
    # yet (review of 370277a: a link of the same name in another folder took the typed name)
    shown = parts_output(bare or arg) if path.is_dir() else None
    if shown is None:
        return None
    if (path / COMMON_METADATA).exists() or not _part_files(path):
        return None  # a dataset folder named so, or no parts: read or refused as before
    stopped, again, holder = run_of(Path(shown))
    held = inputs_held(path)
    # the run going on: the output is read once it has finished ('read it once that run
    # has finished; then emofeat info OUT' sent the user to read the parts first)
    then = (f"run emofeat info {shown} once that run has finished" if holder
            else f"{refused_again(path) or again}; then emofeat info {shown}")
    return (f"{arg} holds the parts of {shown}, not written yet: {stopped}; "
            f"{counted(held, 'input')} extracted so far, which only emofeat extract reads: "
            f"{then}")


def _inputs_with_rows(table: Any) -> int | None:
    """How many inputs have rows in ``table``, for ``info``'s ``inputs:`` line: files by
    their path, signals given in memory by their key, texts by their row's identity less
    the frame (a text's labels are its own; a repeated text is an input of its own, told
    apart by its ``occurrence``). ``None`` where the rows name no input (a table made by
    hand). A text table had no such line: its inputs have no ``path``."""
    from .store import SIGNAL_KEY

    index = table.index
    modality = table.provenance.get("modality")
    if modality != "text":  # a text manifest's 'path' column is a label (a text's source)
        for key in ("path", SIGNAL_KEY):
            if key in index.columns:
                return int(index[key].nunique())
        if modality is not None or "text" not in index.columns:
            return None
    # every identity column of a text's rows holds one value, but frame and time (lld)
    per_input = index.drop(columns=[c for c in ("frame", "time") if c in index.columns])
    if per_input.columns.empty:
        return None
    # as text: a label may be a list (a JSON-lines manifest's label ids), which no hash takes
    return int(len(per_input.astype(str).drop_duplicates()))


def _failed_line(prov: dict[str, Any], path: Path) -> str:
    """``info``'s line of the inputs that failed in the run that wrote the output
    (``n_failed`` of its provenance): they have no rows, and only the errors table of the
    command said so (``inputs: 6`` of a folder of 8 files, two of them no audio). A rerun
    tries each of them again, so the last run's count is that of the inputs left without
    rows. ``""`` where none failed or the table records no count (rows selected from one)."""
    failed = prov.get("n_failed")
    if not isinstance(failed, int) or isinstance(failed, bool) or failed <= 0:
        return ""
    of = prov.get("n_inputs")
    of = f" of {of}" if isinstance(of, int) and not isinstance(of, bool) else ""
    errors = _errors_path(path)
    listed = f", listed in {errors}" if errors.is_file() else ""
    if prov.get("segments") == "manifest":  # a failed span: its file may have other rows
        return (f"failed: {counted(failed, 'segment')}{of} (manifest rows) in the run that "
                f"wrote it{listed} (the same command tries them again)")
    return (f"failed: {counted(failed, 'input')}{of} in the run that wrote it, without rows"
            f"{listed} (the same command tries them again)")


def cmd_info(args: argparse.Namespace) -> int:
    import warnings

    from .store import IncompleteDatasetWarning
    from .table import FeatureTable

    path = Path(args.path)
    unfinished = _unfinished_file_output(args.path, path)
    if unfinished:
        print(f"emofeat: {unfinished}", file=sys.stderr)
        return EXIT_USAGE
    if not path.exists():
        print(f"emofeat: {args.path}: no such file or folder", file=sys.stderr)
        return EXIT_USAGE
    if not (path.is_file() or path.is_dir()):  # a named pipe would block the read
        print(f"emofeat: {args.path}: not a regular file or folder (a parquet file or a "
              "dataset folder of emofeat)", file=sys.stderr)
        return EXIT_USAGE
    if path.is_file() and not _file_head(path, 4).startswith(b"PAR1"):
        # a model (emofeat train's) is described; other files said pyarrow's 'Parquet magic
        # bytes not found in footer. Either the file is corrupted or this is not a parquet file'
        return (_info_model(args.path, args.verbose) if _is_model_file(path)
                else _not_a_table(args.path))
    try:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always", IncompleteDatasetWarning)
            table = FeatureTable.read_parquet(args.path)
    except (OSError, ValueError) as exc:
        text = str(exc) or type(exc).__name__
        # the message names the file, or is prefixed with it (an error that is just the
        # path, as some OSErrors are, says what went wrong too)
        if text.strip() in (args.path, str(path)):
            text = f"{args.path}: cannot read it ({type(exc).__name__})"
        print(f"emofeat: {text if args.path in text else f'{args.path}: {text}'}",
              file=sys.stderr)
        return EXIT_USAGE
    for w in caught:  # shown once the table is read (main's display: one line each)
        warnings.showwarning(w.message, w.category, w.filename, w.lineno)
    prov = table.provenance
    print(f"{args.path}: {counted(table.shape[0], 'row')} x "
          f"{counted(table.shape[1], 'feature')}, "
          f"level {prov.get('level', '?')}")
    print(f"identity columns: {', '.join(table.index.columns)}")
    inputs = _inputs_with_rows(table)
    if inputs is not None:
        print(f"inputs: {inputs}")
    failed = _failed_line(prov, path)
    if failed:
        print(failed)
    print(f"created {prov.get('created', '?')} by emofeat {prov.get('emofeat_version', '?')}")
    environment = _environment_line(prov.get("environment"))
    if environment:
        print(environment)
    pending = _replacement_pending(args.path, path)
    if pending:
        print(pending)
    _print_rows_and_rate(prov, "the rate the sets were fitted at")
    _print_sets(prov.get("sets", []), args.verbose)
    names = table.feature_names
    print(f"features: {', '.join(names[:6])}{', ...' if len(names) > 6 else ''}")
    return EXIT_OK


def cmd_sets(args: argparse.Namespace) -> int:
    from .registry import list_sets

    if args.describe is not None:
        from .feature_catalogue import describe_set

        names = args.describe or [i.name for infos in list_sets().values() for i in infos]
        try:
            print("\n\n".join(describe_set(n) for n in names))
        except ValueError as exc:
            print(f"emofeat: {exc}", file=sys.stderr)
            return EXIT_USAGE
        return EXIT_OK
    by_modality = list_sets()
    width = max(len(info.name) for infos in by_modality.values() for info in infos)
    for modality, infos in by_modality.items():
        print(f"{modality}:")
        for info in infos:
            print(f"  {info.name:<{width}}  {info.description}")
    return EXIT_OK


def _set_names(arg: str) -> list[str]:
    """The set names of a ``--set`` argument; none at all (``--set ,``) is a ``ValueError``."""
    names = [s.strip() for s in arg.split(",") if s.strip()]
    if not names:
        raise ValueError(f"--set {arg!r} names no feature set; give one or more, "
                         "comma-separated (emofeat sets lists them)")
    return names


def cmd_warmup(args: argparse.Namespace) -> int:
    from ._numba import configure_cache, lasting_cache
    from .registry import get_extractor, warmup

    names = None
    if args.set is not None:
        try:
            names = _set_names(args.set)
            for name in names:  # an unknown set is a usage error, as for extract
                kind = getattr(get_extractor(name), "modality", "audio") or "audio"
                # both given, the sets are warmed and --modality was silently ignored
                if args.modality is not None and kind != args.modality:
                    raise ValueError(f"--set {name} is a set of {kind}, not of --modality "
                                     f"{args.modality}; give one of the two options")
        except ValueError as exc:
            print(f"emofeat: {exc}", file=sys.stderr)
            return EXIT_USAGE
    t0 = time.perf_counter()
    warmup(names, verbose=True, modality=args.modality)
    cache = lasting_cache()
    if cache is None:  # a private folder of this run, or none: nothing is kept
        folder = configure_cache()
        cache = (f"{folder}, this run's only: no lasting cache folder, see the warning above"
                 if folder is not None else "none: kernels compile in every process")
    print(f"kernels ready in {time.perf_counter() - t0:.1f} s (cache: {cache})")
    return EXIT_OK


def _add_progress_args(p: argparse.ArgumentParser, quiet: str) -> None:
    """``-q`` and ``--progress``, one or the other (:func:`_progress_bar`)."""
    group = p.add_mutually_exclusive_group()
    group.add_argument("-q", "--quiet", action="store_true", help=quiet)
    group.add_argument("--progress", action="store_true",
                       help="draw the progress bar even where stderr is no terminal (a log "
                            "file, a pipe); by default it is drawn on a terminal only")


def _progress_bar(args: argparse.Namespace) -> bool:
    """Whether a command draws its progress bar: not with ``-q``, always with
    ``--progress``, else only where stderr is a terminal. A bar is redrawn with carriage
    returns several times a second: in a CI log or a ``2> run.log`` file each redraw stayed,
    the warnings and the summary lost among them; as pip, cargo and git do, the bar is for a
    terminal. The lines the command prints (the cold start's compile message, warnings, the
    summary) are written either way."""
    if args.quiet:
        return False
    if args.progress:
        return True
    try:
        return bool(sys.stderr is not None and sys.stderr.isatty())
    except (AttributeError, ValueError, OSError):  # no stderr, or closed: nothing to draw on
        return False


def _jobs_problem(jobs: int) -> str | None:
    """What is wrong with ``-j jobs`` (``None``: nothing), named by the option: ``-j 0`` was
    "n_jobs == 0 has no meaning" (extract), joblib's "n_jobs == 0 in Parallel has no
    meaning" (evaluate), or a traceback (demo)."""
    from .schedule import n_workers

    try:
        n_workers(jobs)
    except ValueError as exc:  # in the command's words (main: command_line)
        return str(exc)
    return None


def cmd_demo(args: argparse.Namespace) -> int:
    from .classifiers import evaluate, list_models
    from .datasets import load_sample
    from .registry import compile_cold, get_extractor
    from .runner import run

    # said before the extraction, not after it (a traceback, exit 1)
    models = list_models("classification")
    if args.model not in models:
        print(f"emofeat demo: --model {args.model}: not a classifier; choose from "
              f"{', '.join(sorted(models))}", file=sys.stderr)
        return EXIT_USAGE
    problem = _jobs_problem(args.jobs)
    if problem:
        print(f"emofeat demo: {problem}", file=sys.stderr)
        return EXIT_USAGE
    out = Path(args.out)
    try:
        out.mkdir(parents=True, exist_ok=True)
    except FileExistsError:  # a file, not a folder, of that name (or above it)
        print(f"emofeat demo: --out {args.out}: a file is in the way of the folder",
              file=sys.stderr)
        return EXIT_USAGE
    sample = load_sample()
    print(f"emofeat demo: {len(sample)} RAVDESS recordings, {sample.speaker.nunique()} speakers, "
          f"{sample.emotion.nunique()} emotions (bundled sample, CC BY-NC-SA 4.0)", flush=True)
    mfcc = get_extractor("mfcc")
    # the first run after install compiles the kernels: said on stderr, as extract says it
    # (the demo paused for seconds without a word)
    compile_cold([mfcc], announce=lambda m: print(f"emofeat demo: {m}", file=sys.stderr,
                                                  flush=True))
    result = run(sample, [mfcc], n_jobs=args.jobs, on_error="record",
                 progress=_progress_bar(args))
    table = result.table
    path = out / "sample_mfcc.parquet"
    table.to_parquet(path)
    print(f"MFCC functionals: {result.summary()}; wrote {path} "
          f"({table.shape[0]} x {table.shape[1]})")
    print("speaker-independent evaluation (leave one speaker out):")
    for standardize, label in ((None, "global scaling"), ("group", "per-speaker standardisation")):
        res = evaluate(table, target="emotion", groups="speaker", model=args.model,
                       protocol="loso", standardize=standardize)
        per = ", ".join(f"{r.group} {r.uar:.3f}" for r in res.per_group.itertuples())
        print(f"  {label}: per speaker UAR {per}")
        print(f"  {res.summary()}")
    n_spk = table.index["speaker"].nunique()
    print(f"chance level UAR: {1 / len(res.labels):.3f} ({len(res.labels)} classes). With "
          f"{n_spk} speakers each figure rests on {n_spk} held-out voices: a rough estimate; "
          "the full corpora give the figures in docs/classifiers.md.")
    return EXIT_OK if not result.n_failed else EXIT_SOME_FAILED


def _write_output(command: str, path: Path, write) -> bool:
    """``write`` the output to a temporary name beside ``path`` (its suffixes kept, which
    choose the compression) and rename it into place, after creating its folder: an
    interrupted or failed write leaves the previous file whole. ``False`` with one line on
    stderr when the output cannot be written (a file where a folder should be, no
    permission, a full or read-only disk), so the command exits 2 as ``extract`` does."""
    from .table import replace_into

    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        replace_into(path, write)
    except OSError as exc:
        if isinstance(exc, FileExistsError | NotADirectoryError):
            why = f"its folder {path.parent} cannot be created: a file is in the way"
        else:
            why = exc.strerror or str(exc)
        print(f"emofeat {command}: cannot write {path}: {why}", file=sys.stderr)
        return False
    return True


def _output_is_an_input(command: str, output: str, inputs: dict[str, str]) -> bool:
    """Say so on stderr (``True``) when ``output`` names one of the command's ``inputs``
    (``{option: path}``): writing there would destroy that input (a features table replaced
    by a model or by predictions, a model by predictions)."""
    out = Path(output)
    for what, path in inputs.items():
        p = Path(path)
        try:
            same = (out.exists() and p.exists() and os.path.samefile(out, p)) \
                or out.resolve() == p.resolve()
        except (OSError, RuntimeError):  # a loop of links (pathlib: RuntimeError): the
            same = False                 # write says what is wrong, not a traceback
        if same:
            print(f"emofeat {command}: the output {output} is the {what} {path}: writing it "
                  f"would destroy it; give another -o", file=sys.stderr)
            return True
    return False


def _output_in_the_way(command: str, output: str, what: str, ours) -> bool:
    """Say so on stderr (``True``) when ``-o output`` cannot be the file the command writes:
    a folder (a name ending in ``/`` was written as a file of that name), or an existing file
    that is not a ``what`` emofeat wrote (``ours(path)`` is false: a labels CSV or a feature
    table named by mistake was replaced, where ``extract`` refuses to)."""
    out = Path(output)
    if output.endswith(("/", os.sep)) or out.is_dir():
        why = f"names a folder; give a file name ({out / 'NAME'})"
    elif (features := _features_folder(out.parent)) is not None:
        why = (f"is in {features}, a dataset folder of features written by emofeat extract, "
               f"which would take the {what} for someone else's file and refuse to resume "
               "or replace it: give a file outside it")
    elif out.is_file() and out.stat().st_size and not ours(out):
        why = (f"exists and is not a {what} emofeat wrote: not replacing it; give another "
               "-o, or remove it first")
    else:
        return False
    print(f"emofeat {command}: -o {output} {why}", file=sys.stderr)
    return True


def _file_head(path: Path, size: int = 4096) -> bytes:
    try:
        with open(path, "rb") as fh:
            return fh.read(size)
    except OSError:  # unreadable: the write says what is wrong
        return b""


def _is_text(head: bytes) -> bool:
    """Whether a file's first bytes are text (UTF-8, no NUL), as a CSV or a list is."""
    if b"\0" in head:
        return False
    try:
        head.decode("utf-8")
    except UnicodeDecodeError as exc:
        return exc.start >= len(head) - 3  # a character cut off by the end of the bytes read
    return True


def _is_model_file(path: Path) -> bool:
    """Whether an existing file may be a model (joblib's pickle, compressed or not): not a
    parquet table and not a text file."""
    head = _file_head(path)
    return not (head.startswith(b"PAR1") or _is_text(head))


#: how joblib's files start: a pickle (protocol 2+), or one compressed with zlib, gzip,
#: bz2, xz, lzma or lz4 (joblib.dump picks the compressor from the file's suffix)
_PICKLE_HEADS = (b"\x80", b"\x78", b"\x1f\x8b", b"BZh", b"\xfd7zXZ", b"\x5d\x00",
                 b"\x04\x22\x4d\x18")


def _looks_pickled(head: bytes) -> bool:
    """Whether a file's first bytes are those of a joblib file (a model, maybe unreadable)."""
    return head.startswith(_PICKLE_HEADS)


def _is_predictions(path: Path) -> bool:
    """Whether an existing file holds predictions as ``predict`` writes them: a CSV or parquet
    table with a ``pred`` column."""
    head = _file_head(path)
    if head.startswith(b"PAR1"):
        import pyarrow.parquet as pq

        try:
            return "pred" in pq.read_schema(path).names
        except (OSError, ValueError):  # cut short, corrupt: not a table to keep
            return True
    if not _is_text(head):
        return False
    import csv

    line = head.decode("utf-8", "replace").lstrip("\ufeff").splitlines()[:1]
    return bool(line) and "pred" in next(csv.reader(line))


def _read_table_or_none(path: str, command: str):
    """The features table at ``path``, or ``None`` with one line on stderr saying why not; a
    file that is no parquet (a labels CSV given by mistake) says what is expected (it was
    pyarrow's "Parquet file size is 4 bytes, smaller than the minimum file footer")."""
    from .table import FeatureTable

    p = Path(path)
    if p.is_file() and not _file_head(p, 4).startswith(b"PAR1"):
        print(f"emofeat {command}: {path} is not a parquet file: give the features table "
              "emofeat extract wrote (.parquet, or its dataset folder)", file=sys.stderr)
        return None
    try:
        return FeatureTable.read_parquet(path)
    except (OSError, ValueError) as exc:
        text = str(exc)  # read_parquet names the file of what is wrong with its content
        print(f"emofeat {command}: {text if text.startswith(path) else f'{path}: {text}'}",
              file=sys.stderr)
        return None


def _model_params(args: argparse.Namespace) -> dict[str, Any]:
    """The model's ``--param`` values, a word read as the user means it where the model
    takes that value and refuses the text, as :func:`_meant_params` reads a set's
    (``C=inf``: "The 'C' parameter of SVC must be a float in the range (0.0, inf]. Got 'inf'
    instead."; ``class_weight=none``, ``shrinking=false``, ``n_estimators=3e2``)."""
    params = dict(args.param or [])
    asked = [(n, v, m) for n, v in params.items() if (m := _word_meant(v)) is not _NO_WORD]
    if not asked:
        return params
    from .classifiers.models import _classifier, _regressor

    models = []
    name = args.model or ("svm" if args.task != "regression" else "svr")
    for build in (_classifier, _regressor):
        try:
            models.append(build(name, None, {}))
        except (ValueError, TypeError, ImportError):
            continue  # not such a model, or its library missing: the run says so
    for param, value, meant in asked:
        for model in models:
            if (param in model.get_params(deep=False) and _refuses(model, param, value)
                    and _refuses(model, param, meant) is False):
                params[param] = meant
                break
    return params


_NO_WORD = object()


def _word_meant(value: Any) -> Any:
    """What a ``--param`` value that is no Python literal but a word means (``true``,
    ``none``, ``inf``, any case), or a whole number written as a float (``3e2``) as an int;
    :data:`_NO_WORD` for any other value."""
    if isinstance(value, float):
        return int(value) if value.is_integer() else _NO_WORD
    if not isinstance(value, str):
        return _NO_WORD
    word = value.strip().lower()
    if word in _BOOL_WORDS:
        return _BOOL_WORDS[word]
    if word in _NONE_WORDS:
        return None
    if word in _FLOAT_WORDS:
        return float(word)
    return _NO_WORD


def _refuses(model: Any, param: str, value: Any) -> bool | None:
    """Whether scikit-learn's check of ``model``'s parameters refuses ``value`` for ``param``
    (None: the model has no such check)."""
    from sklearn.base import clone

    # XGBoost's estimators inherit _validate_params but declare no _parameter_constraints
    if not isinstance(getattr(model, "_parameter_constraints", None), dict):
        return None
    try:
        clone(model).set_params(**{param: value})._validate_params()
    except (ValueError, TypeError):
        return True
    return False


def _fold_line():
    """A progress callback printing one line per fold: held-out groups, score, time."""
    t0 = time.perf_counter()

    from .classifiers.result import shown_group_ids

    def line(row: dict[str, Any], n_folds: int) -> None:
        # the task's headline, as the per-fold table's: a multi-label fold has no UAR, and
        # its line said "fold 1/5 (test ...): , 1 s"
        score = next((f"{name} {row[k]:.3f}" for k, name in (
            ("uar", "UAR"), ("ccc", "CCC"), ("macro_f1", "macro-F1"), ("r2", "R2"))
            if k in row), "")
        held = row.get("test_groups")
        if held is None:  # split without groups (trialwise): no group to name
            where = ""
        else:
            # an id's line break or CSV-doubled quotes would break or garble the line
            held = str(shown_group_ids(held))
            where = f" (test {held if len(held) <= 40 else held[:37] + '...'})"
        print(f"fold {row['fold'] + 1}/{n_folds}{where}: {score}, "
              f"{time.perf_counter() - t0:.0f} s", file=sys.stderr, flush=True)

    return line


def _normalization(args: argparse.Namespace) -> str | None:
    """``standardize`` from --normalize-per / --per-group-std (sets --groups if absent)."""
    column = getattr(args, "normalize_per", None)
    if column is not None:
        if args.groups is None:
            args.groups = column
        elif args.groups != column:
            raise ValueError(f"--normalize-per {column} must name the --groups column "
                             f"({args.groups})")
        return "group"
    if args.per_group_std and args.groups is None:
        raise ValueError("--per-group-std needs --groups COLUMN (the speaker/subject column); "
                         "or give --normalize-per COLUMN")
    return "group" if args.per_group_std else None


def _features_folder(path: Path) -> Path | None:
    """The dataset folder of features (``emofeat extract -o feats/``) that ``path`` is, or
    is in, else ``None``. A report, model or predictions file written there (``--report
    feats/``, ``train -o feats/model.joblib``) made every later ``extract`` into the output
    exit 2, "holds files that emofeat did not write"."""
    from .store import COMMON_METADATA, RUN_FILE

    # absolute first: the lexical parents of "../r" are ".." and "." (the folder one is in),
    # of "feats/../r" "feats/.." and "feats", neither of which holds r
    path = Path(os.path.abspath(path))
    for at in (path, *path.parents):
        if at.is_dir() and ((at / RUN_FILE).is_file() or (at / COMMON_METADATA).is_file()):
            return at
    return None


def _report_folder_problem(folder: str) -> str | None:
    """Why ``--report FOLDER`` cannot be written (``None``: it can), checked before the
    evaluation runs: a file in its place, or a file where one of its parent folders should
    be."""
    path = Path(folder)
    if path.exists() and not path.is_dir():
        return f"--report {folder}: {folder} exists and is not a folder"
    if (features := _features_folder(path)) is not None:
        return (f"--report {folder}: {features} is a dataset folder of features written by "
                "emofeat extract, which would take the report's files for someone else's "
                "and refuse to resume or replace it: give a folder outside it")
    for parent in path.parents:
        if parent.exists():
            if not parent.is_dir():
                return f"--report {folder}: {parent} is not a folder"
            if not os.access(parent, os.W_OK | os.X_OK) and not path.exists():
                return f"--report {folder}: cannot create it in {parent} (no permission)"
            break
    return None


def cmd_evaluate(args: argparse.Namespace) -> int:
    from .classifiers import evaluate

    if args.report is not None:
        problem = _report_folder_problem(args.report)
        if problem is not None:  # said now, not after every fold has run
            print(f"emofeat evaluate: {problem}", file=sys.stderr)
            return EXIT_USAGE
    problem = _jobs_problem(args.jobs)
    if problem:
        print(f"emofeat evaluate: {problem}", file=sys.stderr)
        return EXIT_USAGE
    named = f"--protocol {args.protocol}" + ("" if getattr(args, "_protocol_given", False)
                                             else " (the default)")
    if args.folds is not None and args.protocol in ("loso", "logo"):
        # the protocol holds out one group a fold: --folds was ignored
        print(f"emofeat evaluate: --folds {args.folds}: {named} holds out "
              "one group a fold, whatever --folds says; give --protocol group_kfold for k "
              "folds of whole groups, or leave --folds out", file=sys.stderr)
        return EXIT_USAGE
    if args.trials is not None and args.protocol in ("loso", "logo", "group_kfold"):
        # the folds hold out whole groups, so every trial is on one side already: the
        # figures were those without --trials, which looked like a trial-wise evaluation
        print(f"emofeat evaluate: --trials {args.trials}: {named} holds out "
              "whole groups (each speaker's or subject's trials all on one side), so the "
              "trials change no fold and no figure; --trials keeps trials whole in "
              "--protocol trialwise and subject_dependent: give one of those, or leave "
              "--trials out", file=sys.stderr)
        return EXIT_USAGE
    table = _read_table_or_none(args.features, "evaluate")
    if table is None:
        return EXIT_USAGE
    try:
        standardize = _normalization(args)  # may set args.groups
        res = evaluate(
            table, target=args.target, groups=args.groups, model=args.model,
            protocol=args.protocol, trials=args.trials,
            n_splits=5 if args.folds is None else args.folds,
            label_map=args.label_map, corpus=args.corpus,
            standardize=standardize,
            model_params=_model_params(args), importance=args.importance,
            random_state=args.seed, pool=args.pool, max_frames_per_unit=args.max_frames,
            max_test_frames_per_unit=args.max_test_frames,
            progress=None if args.quiet else _fold_line(),
            task="multilabel" if args.multilabel or args.label_sep else args.task,
            label_sep=args.label_sep, n_jobs=args.jobs, ordinal=args.ordinal,
        )
    except (ValueError, TypeError) as exc:  # DataError, ProtocolError, bad parameters
        print(f"emofeat evaluate: {exc}", file=sys.stderr)
        return EXIT_USAGE
    _dropped_note("evaluate", args, res.settings.get("dropped_rows"), table.shape[0],
                  None if res.task == "multilabel" else _joined_label(table, args.target))
    print(res.summary())
    print(res.table())
    if res.task == "classification":
        print(f"chance level UAR: {1 / len(res.labels):.3f}")
    elif res.task == "multilabel":
        print(f"F1 per label ({len(res.labels)} labels):")
        print(res.per_class.to_string(index=False, float_format=lambda v: f"{v:.3f}"))
    if args.importance:
        _print_importances(res, bool(args.report))
    if args.report:
        path = res.report(args.report)
        print(f"wrote {path}", file=sys.stderr)
    return EXIT_OK


#: rows of each importance table evaluate --importance prints (all of them: --report)
_TOP_IMPORTANCES = 10


def _print_importances(res: Any, reported: bool) -> None:
    """The top of the permutation importances --importance computed: without --report they
    were computed (the slow part of the run) and thrown away without a word."""
    metric = {"classification": "UAR", "multilabel": "macro-F1"}.get(res.task, "CCC")
    for df, what in ((res.group_importances, "feature group"), (res.importances, "feature")):
        if df is None:
            continue
        top = df.head(_TOP_IMPORTANCES)
        more = (f", the top {len(top)} of {len(df)}" + ("" if reported else "; all: --report")
                if len(top) < len(df) else "")
        print(f"permutation importance per {what} (drop of {metric} on the held-out folds"
              f"{more}):")
        print(top.to_string(index=False, float_format=lambda v: f"{v:.3f}"))


def _joined_label(table: Any, target: str) -> str | None:
    """A label of the table's ``target`` column that looks like a label set joined by ','
    (GoEmotions' "approval,neutral"), else ``None``."""
    try:
        values = table.index[target]
    except (KeyError, AttributeError, TypeError):
        return None
    return next((v for v in values if isinstance(v, str) and "," in v), None)


def _dropped_note(command: str, args: argparse.Namespace, dropped: object, n: int,
                  joined: str | None = None) -> None:
    """Say on stderr how many rows the model never saw (a missing target, a label that
    --label-map maps to nothing: CARER's 135 'love' of 1500 with ekman), which only the
    settings recorded: the row count of the summary changed without a word."""
    if not isinstance(dropped, int) or dropped <= 0:
        return
    why = ["the target missing"]
    if args.label_map:
        why.append(f"a label that --label-map {args.label_map} maps to nothing")
    if getattr(args, "groups", None):
        why.append(f"the {args.groups} missing")
    # a label map names single labels: "approval,neutral" maps to nothing, row dropped
    hint = (f"; labels such as {joined!r} are label sets, mapped label by label with "
            "--multilabel (emofeat evaluate)" if joined and args.label_map else "")
    print(f"emofeat {command}: note: {dropped} of the table's {n} rows left out "
          f"({', or '.join(why)}){hint}", file=sys.stderr)


def cmd_train(args: argparse.Namespace) -> int:
    from .classifiers import train

    if _output_is_an_input("train", args.output, {"features table": args.features}) or \
            _output_in_the_way("train", args.output, "model file", _is_model_file):
        return EXIT_USAGE
    from .store import PARQUET_SUFFIXES

    suffix = Path(args.output).suffix.lower()
    if suffix in (*OTHER_FORMATS, *PARQUET_SUFFIXES) and suffix not in (
            ".joblib", ".pkl", ".pickle"):
        # a pickle was written under that name (train for predict: "-o predictions.csv")
        print(f"emofeat train: -o {args.output}: a model is a joblib file, not "
              f"{suffix[1:].upper()}: give a name such as model.joblib (predictions are "
              "written by emofeat predict)", file=sys.stderr)
        return EXIT_USAGE
    if args.groups is not None and not args.per_group_std and args.normalize_per is None:
        # train fits every row alike: the groups only give per-group standardisation its
        # statistics (without it the model was the same, and predict never asked for them)
        print(f"emofeat train: --groups {args.groups}: train uses the group column only to "
              f"standardise each {args.groups} with its own statistics, which was not asked "
              f"for, so it changed nothing; give --normalize-per {args.groups} for that (its "
              "tables to predict then need the column too), or leave --groups out (folds of "
              "whole groups are emofeat evaluate's)", file=sys.stderr)
        return EXIT_USAGE
    table = _read_table_or_none(args.features, "train")
    if table is None:
        return EXIT_USAGE
    try:
        standardize = _normalization(args)  # may set args.groups
        model = train(table, target=args.target, model=args.model, groups=args.groups,
                      standardize=standardize,
                      label_map=args.label_map, corpus=args.corpus,
                      model_params=_model_params(args), task=args.task,
                      random_state=args.seed)
    except (ValueError, TypeError) as exc:
        print(f"emofeat train: {exc}", file=sys.stderr)
        return EXIT_USAGE
    if not _write_output("train", Path(args.output), model._dump):
        return EXIT_USAGE
    _dropped_note("train", args, model.settings.get("dropped_rows"), table.shape[0],
                  _joined_label(table, args.target))
    print(f"wrote {args.output}: {model.settings['model']} on {model.settings['n_train']} rows x "
          f"{len(model.feature_names)} features, target {args.target!r}"
          + (f", classes {model.classes}" if model.classes else ""), file=sys.stderr)
    return EXIT_OK


def cmd_predict(args: argparse.Namespace) -> int:
    from .classifiers import load_model
    from .classifiers.validation import DataError

    if _output_is_an_input("predict", args.output,
                           {"model": args.model, "features table": args.features}):
        return EXIT_USAGE
    from .store import PARQUET_SUFFIXES

    if Path(args.output).suffix.lower() not in ("", ".csv", *PARQUET_SUFFIXES):
        # anything but .csv was written as parquet: a .tsv or .txt holding parquet bytes
        print(f"emofeat predict: -o {args.output}: write .csv or .parquet predictions",
              file=sys.stderr)
        return EXIT_USAGE
    if _output_in_the_way("predict", args.output, "predictions table", _is_predictions):
        return EXIT_USAGE
    try:
        new_groups = False if args.same_groups else _new_groups(args.new_groups)
    except ValueError as exc:
        print(f"emofeat predict: {exc}", file=sys.stderr)
        return EXIT_USAGE
    try:
        model = load_model(args.model)
    except (OSError, ValueError, EOFError) as exc:
        # load_model's own errors start with the file's name
        where = "" if isinstance(exc, DataError) else f"{args.model}: "
        print(f"emofeat predict: {where}{exc}", file=sys.stderr)
        return EXIT_USAGE
    table = _read_table_or_none(args.features, "predict")
    if table is None:
        return EXIT_USAGE
    import warnings

    from .classifiers.compatibility import PredictionWarning

    try:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always", PredictionWarning)
            pred = model.predict(table, force=args.force, new_groups=new_groups)
    except ValueError as exc:
        print(f"emofeat predict: {args.features}: {exc}", file=sys.stderr)
        return EXIT_USAGE
    for w in caught:  # shown once the predictions are made (main's display: one line each)
        warnings.showwarning(w.message, w.category, w.filename, w.lineno)
    with open(args.model, "rb") as f:  # streamed: a forest's model file can be large
        digest = hashlib.file_digest(f, "sha256").hexdigest()
    pred.attrs["emofeat_predictions"].update(
        model_file=str(Path(args.model).resolve()), model_sha256=digest,
        features_file=str(Path(args.features).resolve()))
    out = Path(args.output)
    write = ((lambda p: pred.to_csv(p, index=False)) if out.suffix.lower() == ".csv"
             else (lambda p: pred.to_parquet(p, index=False)))
    if not _write_output("predict", out, write):
        return EXIT_USAGE
    print(f"wrote {out} ({counted(len(pred), 'prediction')})", file=sys.stderr)
    return EXIT_OK


class _NewGroupsIds(argparse.Action):
    """``--new-groups [IDS]``: its optional value refused where it comes before the files and
    is a file or names one (``--new-groups m.joblib t.parquet -o p.csv`` took the model as the
    ids, and argparse then said the features file was missing). After the files every value
    is ids: a speaker's folder ``03/`` in the working directory is no reason to refuse
    ``--new-groups=03``."""

    def __call__(self, parser, namespace, values, option_string=None):
        if isinstance(values, str) and getattr(namespace, "features", None) is None and (
                os.path.isfile(values) or values.lower().endswith(
                    (".joblib", ".parquet", ".pq", ".csv", ".tsv", ".jsonl"))):
            raise argparse.ArgumentError(
                self, f"took {values!r} as its ids: put --new-groups after the files, or "
                      "write --new-groups=IDS")
        setattr(namespace, self.dest, values)


def _new_groups(value: str | bool | None) -> bool | list[str] | None:
    """``--new-groups``: ``True`` without a value (every id seen in training is a new
    person), the ids of a comma-separated list, ``None`` where not given
    (``TrainedModel.predict``'s ``new_groups``); ids are text, as predict matches them."""
    if not isinstance(value, str):
        return value
    ids = [v.strip() for v in value.split(",")]
    if not all(ids):
        raise ValueError(f"--new-groups {value!r}: give ids separated by commas ('03,08'), "
                         "or no value for every id seen in training")
    return ids


def _add_model_args(p: argparse.ArgumentParser, evaluating: bool = True) -> None:
    p.add_argument("features", type=_user_path, help="feature parquet file (emofeat extract)")
    p.add_argument("--target", required=True, help="label column (e.g. emotion)")
    p.add_argument("--model", default=None, help="svm, linear_svm, logreg, rf, xgb, knn "
                   "(regression: svr, ridge, rf, xgb, knn); default svm, or svr for a "
                   "regression target")
    p.add_argument("--label-map", default=None,
                   help="map labels first: ekman, valence, arousal, 4class")
    p.add_argument("--corpus", default=None,
                   help="corpus of the labels for --label-map (detected when omitted)")
    p.add_argument("--normalize-per", default=None, metavar="COLUMN",
                   help="z-score the features of each speaker/subject with its own statistics "
                        "(COLUMN must be the --groups column; sets it when --groups is absent)")
    p.add_argument("--per-group-std", action="store_true",
                   help="the same as --normalize-per with the --groups column (older name)")
    p.add_argument("--param", action="append", type=_parse_param, metavar="NAME=VALUE",
                   help="model parameter, repeatable (e.g. --param C=10)")
    p.add_argument("--task", choices=("auto", "classification", "regression"), default="auto",
                   help="auto (default): floats are regression, except integer ratings with "
                        "at most 10 values (e.g. 1-5), which are classes; force either")
    p.add_argument("--seed", type=int, default=0,
                   help="seed of the model, the k-fold shuffling and the permutations "
                        "(default 0)" if evaluating else "seed of the model (default 0)")


def build_parser() -> argparse.ArgumentParser:
    from ._version import __version__

    parser = argparse.ArgumentParser(
        prog="emofeat", description="Emotion features from speech, EEG and text.",
    )
    parser.add_argument("--version", action="version", version=f"emofeat {__version__}")
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("extract", help="extract features into a parquet file")
    p.add_argument("inputs", nargs="+", metavar="INPUT", type=_user_path,
                   help="audio or EEG files, folders (searched recursively; hidden folders under "
                        "them are not, and are named where they hold such files), manifests (CSV, "
                        "TSV, JSON lines); for text sets a CSV/TSV/JSON-lines manifest or a "
                        ".txt file")
    p.add_argument("-o", "--output", required=True, type=_output_path,
                   help="output: a .parquet file, or a folder (a parquet dataset of parts); "
                        "an existing output made with the same parameters is resumed")
    p.add_argument("--set", default="mfcc", action=_SetsAction,
                   help="feature set(s), comma-separated or repeated (emofeat sets; default mfcc)")
    p.add_argument("--level", choices=("functionals", "lld"), default="functionals",
                   help="one row per input (functionals, the default) or per frame (lld)")
    p.add_argument("--param", action="append", type=_parse_param, metavar="NAME=VALUE",
                   help="extractor parameter, repeatable (e.g. --param n_mfcc=20)")
    p.add_argument("-j", "--jobs", type=int, default=1, help="worker processes (-1: all cores)")
    p.add_argument("--fail-fast", action="store_true", help="stop at the first failing input")
    _add_progress_args(p, "no progress bar")
    p.add_argument("-v", "--verbose", action="count", default=0,
                   help="log what the run does (-vv: every part written)")
    p.add_argument("--format", choices=("auto", "file", "dataset"), default="auto",
                   help="one parquet file, or a dataset folder of parts (auto: a file if the "
                        "output ends in .parquet or .pq)")
    p.add_argument("--overwrite", action="store_true",
                   help="start the output again instead of resuming it")
    p.add_argument("--chunk-size", type=_positive_int, default=None, metavar="N",
                   help="inputs per shard: per worker task and per part (default: about 4 shards "
                        "per worker, at most 256, or 4096 texts)")
    p.add_argument("--segment", default=None, metavar="DURATION",
                   help="cut inputs into windows of this length (3s, 500ms); a manifest with "
                        "start and end columns gives segments instead")
    p.add_argument("--hop", default=None, metavar="DURATION",
                   help="step between windows (default: --segment, no overlap)")
    p.add_argument("--backend", choices=("auto", "fork", "loky", "dask"), default="auto",
                   help="how -j runs: processes forked with the kernels loaded (fork, the "
                        "default on Linux), joblib's fresh processes (loky), or a Dask cluster")
    p.add_argument("--scheduler", default=None, metavar="ADDRESS", type=_scheduler_address,
                   help="Dask scheduler address (tcp://host:8786); implies --backend dask")
    p.add_argument("--long-file", type=float, default=LONG_FILE_SECONDS, metavar="SECONDS",
                   help="analyse audio files longer than this in blocks (bounded memory; 0: "
                        "every file, inf: none; default 600); refused for text and EEG sets")
    p.add_argument("--input-column", default=None, metavar="NAME", type=_column_name,
                   help="manifest column holding the inputs (default: path; text for text "
                        "sets); refused when no input is a manifest")
    p.add_argument("--block", type=float, default=BLOCK_SECONDS, metavar="SECONDS",
                   help="block length for long audio files (positive; default 60); refused "
                        "for text and EEG sets")
    p.set_defaults(func=cmd_extract)

    p = sub.add_parser("info", help="describe a feature parquet file (or a model file)")
    p.add_argument("path", type=_user_path)
    p.add_argument("-v", "--verbose", action="store_true", help="all parameters, as JSON")
    p.set_defaults(func=cmd_info)

    p = sub.add_parser("sets", help="list the feature sets")
    p.add_argument("--describe", nargs="*", default=None, metavar="SET",
                   help="every descriptor of these sets (all without a name): name pattern, "
                        "unit, definition, parameters, reference, agreement")
    p.set_defaults(func=cmd_sets)

    p = sub.add_parser("warmup", help="compile the Numba kernels (cached on disk)")
    p.add_argument("--set", default=None, action=_SetsAction,
                   help="only these sets, comma-separated or repeated")
    p.add_argument("--modality", default=None, choices=("audio", "eeg", "text"),
                   help="only the sets of this modality")
    p.set_defaults(func=cmd_warmup)

    p = sub.add_parser("demo", help="extract the bundled sample and evaluate a classifier")
    p.add_argument("--out", default="emofeat_demo", type=_user_path,
                   help="folder for the demo's output (default emofeat_demo)")
    p.add_argument("-j", "--jobs", type=int, default=1,
                   help="worker processes for the extraction (default 1)")
    p.add_argument("--model", default="svm", help="classifier (default svm)")
    _add_progress_args(p, "no progress indication")
    p.set_defaults(func=cmd_demo)

    p = sub.add_parser("evaluate", help="evaluate a classifier with a leakage-free protocol")
    _add_model_args(p)
    p.add_argument("-q", "--quiet", action="store_true", help="no line per fold")
    p.add_argument("-j", "--jobs", type=int, default=1,
                   help="folds fitted at once, one process each (-1: all cores); the models "
                        "are single-threaded, so up to the number of cores")
    p.add_argument("--groups", default=None, help="speaker/subject column (e.g. speaker)")
    p.add_argument("--protocol", default="loso", action=_GivenAction,
                   choices=("loso", "logo", "group_kfold", "subject_dependent", "trialwise"),
                   help="loso: leave one speaker out (default); logo: the same, leave one "
                        "group out; group_kfold: k folds of whole groups; subject_dependent: "
                        "k-fold inside each subject; trialwise: k folds of whole trials")
    p.add_argument("--trials", default=None,
                   help="trial column, for windowed data: the units of --protocol trialwise, "
                        "kept whole inside each subject by subject_dependent (refused with "
                        "loso, logo and group_kfold, whose folds hold out whole groups)")
    p.add_argument("--folds", type=_folds, default=None,
                   help="folds of the k-fold protocols: group_kfold, subject_dependent, "
                        "trialwise (default 5)")
    p.add_argument("--importance", nargs="?", const="all", default=False,
                   choices=("all", "groups"),
                   help="permutation importance on held-out folds, per feature and group "
                        "(all, slow for big sets) or per feature group only (groups)")
    p.add_argument("--report", default=None, metavar="DIR", type=_user_path,
                   help="write a Markdown report with plots into DIR")
    p.add_argument("--pool", default=None, metavar="COLUMN",
                   help="frame-level table: train on frames, average class probabilities over "
                        "the frames of each utterance named by COLUMN (e.g. path) and score "
                        "utterances")
    p.add_argument("--max-frames", type=_positive_int, default=None, metavar="N",
                   help="with --pool: at most N evenly spaced training frames per utterance "
                        "(default: all)")
    p.add_argument("--max-test-frames", type=_positive_int, default=None, metavar="N",
                   help="with --pool: at most N evenly spaced frames scored per held-out "
                        "utterance (default: all)")
    p.add_argument("--multilabel", action="store_true",
                   help="the target holds label sets (e.g. GoEmotions' \"3,27\"): one-vs-rest "
                        "over the labels; micro/macro-F1, subset accuracy, F1 per label")
    p.add_argument("--label-sep", default=None, metavar="SEP",
                   help="separator of the labels in a multi-label target (default ','; "
                        "implies --multilabel)")
    # evaluate(ordinal=): integer class codes of nominal classes (ISEAR's EMOT 1-7) were
    # scored off-by-one on the command line with no way out
    p.add_argument("--ordinal", action=argparse.BooleanOptionalAction, default=None,
                   help="whether whole-number class labels are ratings, scored with "
                        "off-by-one accuracy: --no-ordinal for integer codes of nominal "
                        "classes; --ordinal requires whole numbers more than one step "
                        "apart (default: decided from the labels)")
    p.set_defaults(func=cmd_evaluate)

    p = sub.add_parser("train", help="train a model on a whole feature table")
    _add_model_args(p, evaluating=False)
    p.add_argument("--groups", default=None,
                   help="speaker/subject column, with --per-group-std (refused without it: "
                        "train uses it for nothing else)")
    p.add_argument("-o", "--output", required=True, type=_output_path,
                   help="model file (joblib)")
    p.set_defaults(func=cmd_train)

    p = sub.add_parser("predict", help="apply a trained model to a feature table")
    p.add_argument("model", type=_user_path, help="model file from emofeat train")
    p.add_argument("features", type=_user_path,
                   help="feature parquet file with the model's features")
    p.add_argument("-o", "--output", required=True, type=_output_path,
                   help="predictions (.parquet or .csv)")
    p.add_argument("--force", action="store_true",
                   help="predict even if the table's features were extracted with other "
                        "parameters than the model's training table")
    groups = p.add_mutually_exclusive_group()
    groups.add_argument("--new-groups", nargs="?", const=True, default=None, metavar="IDS",
                        action=_NewGroupsIds,
                        help="a model that stores its training speakers' statistics: the "
                             "table's speakers whose ids were seen in training are other "
                             "people, standardised with their own rows' statistics (every "
                             "such id, or those listed: --new-groups=03,08)")
    groups.add_argument("--same-groups", action="store_true",
                        help="a model that stores its training speakers' statistics: the "
                             "table's speakers whose ids were seen in training are those "
                             "speakers, standardised with the stored statistics (what is "
                             "done without either option, but without its warning)")
    p.set_defaults(func=cmd_predict)
    return parser


def _warning_text(message: Warning | str, category: type[Warning]) -> str:
    """A warning's text: its message, led by its category's name where that says something
    the message does not (a warning of numpy, pandas or scikit-learn, such as a
    ``RuntimeWarning``); emofeat's own warnings and plain ``UserWarning`` name the input and
    the problem themselves."""
    text = str(message)
    if category is UserWarning or category.__module__.partition(".")[0] == "emofeat":
        return text
    return f"{category.__name__}: {text}"


def _warning_shown(message: Warning | str, category: type[Warning], filename: str) -> str:
    """A warning's text as the command shows it (:func:`_warning_text`), its control
    characters escaped (:func:`_one_line`). emofeat's own messages are one line, so a line
    break in one is a file name's and is escaped as the listing of failed inputs escapes it
    (joined with a space until session 55, a name 'c<LF>d.wav' read 'c d.wav'); another
    library's message keeps its own line breaks, each further line indented under the first
    (scikit-learn's ConvergenceWarning: joined until session 55, '... REACHED LIMIT Increase
    the number of iterations ...')."""
    text = _warning_text(message, category)
    # MNE's warn() names the first frame outside MNE, emofeat's own code where emofeat called
    # MNE: the file tells emofeat's plain UserWarning only, not another library's category
    if category.__module__.partition(".")[0] == "emofeat" or (
            category is UserWarning and _of_emofeat(filename)):
        return _one_line(text)
    lines = [line.rstrip() for line in text.replace("\r\n", "\n").split("\n")]
    return "\n  ".join(_one_line(line) for line in lines if line.strip())


def _of_emofeat(filename: str) -> bool:
    """Whether a warning's ``filename`` (where it was warned) is emofeat's code: the package's
    folder, or that of its extractors and classifiers (beside it in a source checkout)."""
    folders = {os.path.dirname(getattr(sys.modules.get(name), "__file__", None) or "")
               for name in ("emofeat", "emofeat.extractors", "emofeat.classifiers")}
    where = os.path.abspath(filename or "")
    return any(f and where.startswith(f + os.sep) for f in folders)


class _WarningLine:
    """The ``warnings.showwarning`` of a command (:func:`_cli_warnings`): a warning as one
    line, ``emofeat <command>: warning: <message>``, on stderr.

    A shard's warnings come back to the run's process and are shown there
    (:class:`emofeat.schedule.WarningRelay`), through this. It is picklable and equal for the
    same command, so that the worker processes loky starts (spawned, not forked:
    :func:`emofeat.schedule.loky_shards`) show the same way what they warn of outside a
    shard, and joblib still reuses its workers from one run to the next."""

    #: loky workers take it on (emofeat.schedule)
    for_workers = True

    def __init__(self, command: str) -> None:
        self.command = command

    def __eq__(self, other: object) -> bool:
        return type(other) is _WarningLine and other.command == self.command

    def __hash__(self) -> int:
        return hash(self.command)

    def __call__(self, message, category, filename, lineno, file=None, line=None) -> None:
        stream = sys.stderr if file is None else file
        # escaped as the failure listing is: a file's name reaches the line in many warnings
        said = _warning_shown(message, category, filename)
        text = f"emofeat {self.command}: warning: {said}\n"
        try:
            # one write, line and newline together: the lines of workers writing at the
            # same time do not run into each other (print writes the newline on its own)
            bar = getattr(sys.modules.get("tqdm"), "tqdm", None)
            if getattr(bar, "_instances", None):
                # the run's progress bar is cleared for the line and drawn again under it;
                # written plainly, the line ran on from the bar's text on the terminal
                # ('  0%|   | 0/4 [00:00<?, ?file/s]emofeat extract: warning: ...')
                bar.write(text, file=stream, end="")
            else:
                stream.write(text)
            stream.flush()
        except (AttributeError, OSError, ValueError):  # no stderr, or closed: as Python's own
            pass


@contextlib.contextmanager
def _cli_warnings(command: str) -> Iterator[None]:
    """While a command runs, each warning it shows is one line in the command's style
    (:class:`_WarningLine`), instead of Python's
    ``/path/to/emofeat/audio.py:383: TruncatedAudioWarning: <message>`` and the source
    line, which tell a user of the program nothing. Warnings of the workers' shards are
    shown by the run's process (:class:`emofeat.schedule.WarningRelay`); worker processes
    forked during the command inherit it, and loky's workers are given it, for what they
    show themselves. Only the display changes: the
    filters (``-W``, ``PYTHONWARNINGS``, ``warnings.catch_warnings``) decide as before which
    warnings are shown, and the previous ``warnings.showwarning`` is back when the command
    returns (the Python API and its callers' handlers are left as they are)."""
    import warnings

    previous = warnings.showwarning
    warnings.showwarning = _WarningLine(command)
    try:
        yield
    finally:
        warnings.showwarning = previous


def _resume_hint(args: argparse.Namespace) -> str:
    """What an interrupted ``extract`` leaves and how it is finished, where it left anything
    (its output, or the parts beside it): "interrupted" alone left the user to find out
    that the rows written are kept and that the same command resumes (docs/batch.md). An
    ``--overwrite`` run is finished without ``--overwrite`` once it has marked its parts as
    the replacement; stopped before that, it replaced nothing and is started again."""
    out = getattr(args, "output", None)
    if args.command != "extract" or not out:
        return ""
    from .store import REPLACED_SUFFIX, STAGING_SUFFIX, SUPERSEDED_FILE, written_at

    path = Path(out)
    existed = getattr(args, "output_existed", False)
    overwrite = getattr(args, "overwrite", False)
    try:
        # a link's run writes beside its target: its parts and staging were looked for
        # beside the link, and a first run into a link to nothing yet said 'interrupted'
        # alone (session 58)
        real = written_at(path)
        parts = real.with_name(real.name + ".parts")
        staging = real.with_name(real.name + STAGING_SUFFIX)
        marked = any((p / SUPERSEDED_FILE).is_file() for p in (parts, staging))
        left = path.exists() or parts.exists()
        # stopped while the old output's leftovers went: a dataset's old folder (renamed
        # aside, the marker brought into the new one), a merged file's parts (unmarked)
        aside = real.with_name(real.name + REPLACED_SUFFIX).exists()
        done = ((aside and path.exists()) or (path / SUPERSEDED_FILE).is_file()
                or (overwrite and existed and not marked
                    and parts.is_dir() and any(parts.iterdir())))
    except OSError:
        return ""
    if done:
        return (f"; the replacement is done: {out} holds the new rows, and a run without "
                "--overwrite removes what is left of the old output")
    if aside:  # the old folder renamed aside, the new one not yet renamed into place
        return (f"; the new {out} is complete, not yet in place: a run without --overwrite "
                "puts it in place")
    if marked or (overwrite and left and not existed):
        return ("; the inputs extracted so far are kept"
                + (f", and {out} is not replaced yet" if existed else "")
                + ": the same command without --overwrite finishes the run, skipping them "
                  "(with --overwrite it starts again)")
    if overwrite and existed:
        return f"; nothing was replaced: {out} is as it was, and the same command starts again"
    if overwrite or not left:
        return ""
    if _nothing_extracted(path, parts):
        # stopped before its first part: 'the inputs extracted so far are kept (emofeat
        # info counts them)' sent the user to an info that found 0 inputs, or no parts;
        # inputs may have been extracted (up to a part's on each worker), none saved
        from .store import NOTHING_SAVED

        return f"; stopped {NOTHING_SAVED}: the same command starts the run again"
    return ("; the inputs extracted so far are kept: the same command finishes the run "
            f"without extracting them again (emofeat info {out} counts them)")


def _nothing_extracted(path: Path, parts: Path) -> bool:
    """Whether the output ``path`` of an interrupted run (a dataset folder, or a file whose
    parts are in ``parts``) holds no rows at all: no file, no finished dataset, no part."""
    from .store import COMMON_METADATA, _part_files

    try:
        if path.is_file() or (path / COMMON_METADATA).exists():
            return False
        return not any(_part_files(folder) for folder in (path, parts) if folder.is_dir())
    except OSError:
        return False


class Terminated(KeyboardInterrupt):
    """SIGTERM received by the ``emofeat`` program: a command stops as Ctrl-C stops it."""


#: seconds a command stopped by SIGTERM may take to end before it ends at once
_TERM_GRACE_S = 10.0


def _terminated(signum: int, frame: object) -> None:
    import threading

    # the end is bounded, as a batch system expects of SIGTERM, a backstop: one CI run of
    # test_cli_sigterm57's whole-group case did not end in 60 s (the fork pool's race with
    # the executor's thread, removed in a91838d4); the parts written are whole either way,
    # as after a kill
    timer = threading.Timer(_TERM_GRACE_S, os._exit, (143,))
    timer.daemon = True
    timer.start()
    raise Terminated


@contextlib.contextmanager
def _sigterm_interrupts() -> Iterator[None]:
    """In the ``emofeat`` program (console_main), SIGTERM stops a command as Ctrl-C does:
    its workers ended, the one-line message saying what is kept, exit 143. SIGTERM is what
    a batch system's time limit (SLURM, Kubernetes), ``docker stop`` and ``kill`` send
    first; it ended the process at once without a word (the rows written were kept all the
    same). A caller of :func:`main` in its own process, or one that set its own handler,
    keeps its SIGTERM as it was."""
    import signal  # imported by the run anyway (Numba's, the fork pool's)

    taken = False
    if _CONSOLE and signal.getsignal(signal.SIGTERM) is signal.SIG_DFL:
        try:
            signal.signal(signal.SIGTERM, _terminated)
            taken = True
        except ValueError:  # not the main thread: signals are the main thread's
            pass
    try:
        yield
    finally:
        if taken:
            signal.signal(signal.SIGTERM, signal.SIG_DFL)


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command == "extract":  # for what Ctrl-C says (_resume_hint)
        try:
            args.output_existed = Path(args.output).exists()
        except OSError:
            args.output_existed = False
    from .errors import command_line

    try:
        with _cli_warnings(args.command), command_line(), _sigterm_interrupts():
            return args.func(args)
    except Terminated:
        print(f"emofeat: interrupted (SIGTERM){_resume_hint(args)}", file=sys.stderr)
        return 143  # 128 + SIGTERM, as a shell reports a process that SIGTERM ended
    except KeyboardInterrupt:
        print(f"emofeat: interrupted{_resume_hint(args)}", file=sys.stderr)
        return 130
    except BrokenPipeError:  # e.g. `emofeat sets | head`
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_OK
    except (PermissionError, IsADirectoryError, NotADirectoryError) as exc:
        # an output that cannot be written (no permission, a folder in the way)
        print(f"emofeat: cannot write {exc.filename or ''}: {exc.strerror}", file=sys.stderr)
        return EXIT_USAGE
    except OSError as exc:
        if exc.errno in (errno.ENAMETOOLONG, errno.ELOOP):
            # a path typed that no file system takes (a name over 255 bytes, a loop of
            # links): a mistake in the command line, not a bug (it was a traceback, exit 1)
            print(f"emofeat: {exc.filename or ''}: {exc.strerror}", file=sys.stderr)
            return EXIT_USAGE
        if exc.errno in (errno.EROFS, errno.ENOSPC, errno.EDQUOT):
            # a read-only file system or a full disk: a plain OSError, not a PermissionError
            print(f"emofeat: cannot write {exc.filename or ''}: {exc.strerror}",
                  file=sys.stderr)
            return EXIT_USAGE
        return _report_bug()
    except Exception:
        return _report_bug()


#: set by commands whose process may end without Python's module teardown (console_main)
_END_FAST = False
#: the ``emofeat`` program's own process (console_main), not a caller of main()
_CONSOLE = False


def console_main() -> None:
    """The ``emofeat`` program (console script and ``python -m emofeat``): :func:`main`, then
    the end of the process.

    After ``emofeat extract`` the process ends without Python's teardown of every module
    (0.3-0.6 s here for Numba's, pandas' and pyarrow's objects, a fifth of a one-file
    command): standard streams are flushed, the exit handlers run (logging,
    multiprocessing, ``weakref.finalize``), then ``os._exit``. Everything the command
    writes is closed and renamed into place before :func:`main` returns. Only when no other
    thread is running and no profiler, tracer or monitoring tool is set (``python -m
    cProfile`` writes its results after this returns: :func:`_watched`); otherwise, and for
    the other commands, the usual ``sys.exit``.
    """
    global _CONSOLE
    _CONSOLE = True
    rc = main()
    if _END_FAST:
        _end_now(rc)
    sys.exit(rc)


def _watched() -> bool:
    """Whether a profiler, tracer or monitoring tool watches this process: one set with
    ``sys.setprofile``/``sys.settrace``, or a tool of ``sys.monitoring`` (Python 3.12+, where
    ``python -m cProfile`` registers as one and ``sys.getprofile()`` stays ``None``)."""
    if sys.getprofile() is not None or sys.gettrace() is not None:
        return True
    monitoring = getattr(sys, "monitoring", None)
    # tool ids 0-5 (PEP 669): debugger 0, coverage 1, profiler 2, optimizer 5; 3-4 unnamed
    return monitoring is not None and any(monitoring.get_tool(i) is not None for i in range(6))


def _end_now(rc: int) -> None:
    import atexit
    import threading

    run_exit_handlers = getattr(atexit, "_run_exitfuncs", None)
    # a profiler or tracer (python -m cProfile/trace) writes its results after main() returns
    if threading.active_count() > 1 or run_exit_handlers is None or _watched():
        sys.exit(rc)
    try:
        sys.stdout.flush()
        sys.stderr.flush()
        run_exit_handlers()
        sys.stdout.flush()
        sys.stderr.flush()
    except Exception:  # noqa: BLE001 - e.g. a closed pipe: let the usual exit report it
        sys.exit(rc)
    os._exit(rc)


def _report_bug() -> int:
    """A genuine bug: the traceback, and where to report it (exit 1)."""
    import traceback

    traceback.print_exc()
    print(f"emofeat {__version__}: this is a bug in emofeat, not in your input; please "
          "report it with the command line and the traceback above", file=sys.stderr)
    return 1


if __name__ == "__main__":
    console_main()
