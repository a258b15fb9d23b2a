"""The encoding, separator and header names of a manifest or text file, from its first bytes,
and the records of a JSON-lines manifest.

One place for what :func:`emofeat.datasets.load_manifest` and the text manifests of
``emofeat extract`` both need before pandas reads the file (no pandas here: the command's
fast path imports this).
"""

from __future__ import annotations

import csv
import io
import os
import re
import warnings
from collections.abc import Iterable
from pathlib import Path
from typing import Any, NamedTuple

#: byte-order marks and the codec that reads (and drops) each, longest first: a UTF-32 LE
#: mark begins as a UTF-16 LE one
BOMS = ((b"\xff\xfe\x00\x00", "utf-32"), (b"\x00\x00\xfe\xff", "utf-32"),
        (b"\xef\xbb\xbf", "utf-8-sig"), (b"\xff\xfe", "utf-16"), (b"\xfe\xff", "utf-16"))

#: bytes read to find the encoding and the header line
HEAD_BYTES = 4096

#: the suffixes of JSON-lines manifests, one JSON object a line (HuggingFace datasets'
#: ``to_json`` writes ``.json`` files of that form, other exporters ``.jsonl``/``.ndjson``)
JSON_LINES = (".jsonl", ".ndjson", ".json")


def bom_encoding(head: bytes) -> str | None:
    """The codec of a text file that starts with a byte-order mark, ``None`` without one."""
    for bom, codec in BOMS:
        if head.startswith(bom):
            return codec
    return None


def head_encoding(head: bytes) -> str | None:
    """The codec of the byte-order mark that starts ``head`` (a file's first bytes), or
    ``None`` for UTF-8; a ``ValueError`` when it looks like UTF-16/32 without a mark (every
    other byte NUL in ASCII text: read as UTF-8 it gave texts or names of interleaved NULs)."""
    codec = bom_encoding(head[:4])
    if codec is None and len(head) >= 2 and head.count(0) * 4 >= len(head):
        raise ValueError("it looks like UTF-16 or UTF-32 without a byte-order mark (a quarter "
                         "or more of its bytes are NUL); save it as UTF-8, or with a "
                         "byte-order mark")
    return codec


class Sniffed(NamedTuple):
    """What :func:`sniff` found: the ``encoding`` to give pandas (``"utf-8"`` for UTF-8 with
    or without a mark: pandas drops it), the cell ``separator``, and the ``header`` names as
    written (``None`` when the header line is not within the bytes read)."""

    encoding: str
    separator: str
    header: list[str] | None


_QUOTED = re.compile(r'"[^"]*(?:"|$)')
#: a line with its end (line ends only: not U+2028 and the others str.splitlines knows)
_LINE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+$")


def sniff(path: Path) -> Sniffed:
    """Encoding, separator and header names of a manifest CSV/TSV, reading its first
    :data:`HEAD_BYTES` once.

    The separator is a tab in a ``.tsv`` file; otherwise ``,``, or ``;`` (Excel's CSV where
    the decimal mark is a comma: German, French, ... locales), a tab or ``|`` (ISEAR as
    distributed) when the header line (the first non-blank line, as pandas skips blank ones)
    holds that and none of those before it outside quotes (``path;"valence, arousal"`` is a
    ``;`` header). An unreadable file gives UTF-8 and ``,``: pandas then says what is wrong.

    Raises
    ------
    ValueError
        The file looks like UTF-16/UTF-32 without a byte-order mark.
    """
    tsv = path.suffix.lower() == ".tsv"
    try:
        with open(path, "rb") as fh:
            head = fh.read(HEAD_BYTES)
    except OSError:
        return Sniffed("utf-8", "\t" if tsv else ",", None)
    codec = head_encoding(head)
    text = head.decode(codec or "utf-8", errors="replace").removeprefix("\ufeff")
    lines = _LINE.findall(text)
    first = next((i for i, line in enumerate(lines) if line.strip()), None)
    line = lines[first] if first is not None else ""
    if tsv:
        sep = "\t"
    else:
        bare = _QUOTED.sub("", line)
        sep = next((c for c in ",;\t|" if c in bare), ",")
    # a header cut off by the end of the bytes read is not known whole
    whole = first is not None and (line.endswith(("\n", "\r")) or len(head) < HEAD_BYTES)
    header = next(csv.reader([line.rstrip("\r\n")], delimiter=sep)) if whole else None
    return Sniffed("utf-8" if codec in (None, "utf-8-sig") else codec, sep, header)


_FIELDS = re.compile(r"Expected (\d+) fields in line (\d+), saw (\d+)")
#: the columns of ISEAR's isear.csv, which holds unquoted "|" inside some of its texts
_ISEAR = ("ID", "EMOT", "Field1", "SIT")


def fields_message(exc: Exception, separator: str, header: list[str] | None,
                   path: Path | None = None, encoding: str = "utf-8") -> str:
    """pandas' message of a CSV line with more cells than its header ("Error tokenizing
    data. C error: Expected 43 fields in line 199, saw 44") in words, or its own message;
    the line of the file ``path`` where pandas counts records (a quoted cell may span
    lines: Excel's multi-line cells)."""
    m = _FIELDS.search(str(exc))
    if m is None:
        return str(exc).strip()
    want, line, got = m.groups()
    if path is not None:
        line = str(_record_line(path, separator, encoding, int(line)))
    shown = {"\t": "tab", " ": "space"}.get(separator, repr(separator))
    said = (f"line {line} has {got} {shown}-separated cells where the header has {want}: "
            "quote a cell that holds the separator")
    if header is not None and all(c in header for c in _ISEAR):
        said += ("; this is ISEAR's isear.csv, whose texts hold unquoted '|': "
                 "emofeat.datasets.load_isear reads it (write its frame to a manifest CSV)")
    return said


def _record_line(path: Path, separator: str, encoding: str, record: int) -> int:
    """The line of the file on which its ``record``-th record starts (1-based, the header
    and blank lines counted as pandas counts them); ``record`` itself where it cannot
    tell."""
    try:
        with open(path, encoding=encoding.replace("utf-8", "utf-8-sig"), errors="replace",
                  newline="") as fh:
            reader = csv.reader(fh, delimiter=separator)
            start = 1
            for k, _ in enumerate(reader, 1):
                if k == record:
                    return start
                start = reader.line_num + 1
    except (OSError, csv.Error, LookupError):
        pass
    return record


def json_lines(path: Path) -> list[tuple[int, dict[str, Any]]]:
    """The records of a JSON-lines file with their 1-based line numbers (blank lines skipped):
    UTF-8, or the encoding its byte-order mark names (the mark dropped).

    Raises
    ------
    ValueError
        Naming the line: not JSON, or not a JSON object (a JSON array as ``to_json`` writes it
        without ``lines=True`` says so); the file looks like UTF-16/UTF-32 without a mark.
    """
    import json

    with open(path, "rb") as fh:
        encoding = head_encoding(fh.read(HEAD_BYTES))
    records = []
    with open(path, encoding=encoding or "utf-8") as fh:
        for n, line in enumerate(fh, 1):
            if not line.strip():
                continue
            try:
                rec = json.loads(line)
            except json.JSONDecodeError as exc:
                # the position in the line (json counts a line end in it as a second line)
                column = min(exc.pos, len(line.rstrip("\r\n"))) + 1
                # json's "Invalid control character at" said "at at column 21" of a NUL
                where = (f"line {n}: a NUL character at column {line.index(chr(0)) + 1}: the "
                         "file is binary, or its copy or save was cut short"
                         if "\0" in line else
                         f"line {n}: {exc.msg.removesuffix(' at')} at column {column}")
                raise ValueError(where + (_document(path, encoding) if not records
                                          else "")) from None
            if not isinstance(rec, dict):
                raise ValueError(f"line {n}: expected a JSON object, got "
                                 f"{type(rec).__name__}" + (_ARRAY if isinstance(rec, list)
                                                            else ""))
            records.append((n, rec))
    return records


_ARRAY = ("; a JSON array is not JSON lines: write one object a line (pandas: "
          "to_json(orient='records', lines=True))")


def _document(path: Path, encoding: str | None) -> str:
    """What a file whose first record is no JSON is, when it is one JSON document over several
    lines (a pretty-printed array or object: ``to_json(indent=...)``, a BIDS sidecar)."""
    import json

    try:
        with open(path, encoding=encoding or "utf-8") as fh:
            doc = json.load(fh)
    except (ValueError, OSError):  # not JSON at all: the line's error says it
        return ""
    if isinstance(doc, list):
        return _ARRAY
    return (f"; the file is one JSON {'object' if isinstance(doc, dict) else 'value'} over "
            "several lines, not JSON lines: write one object a line")


#: the time columns the EEG reader takes from a CSV recording (emofeat.eeg_input.TIME_COLUMNS,
#: not imported: it would import the EEG reader to list a folder)
TIME_COLUMNS = ("timestamps", "timestamp", "time")

#: the most characters of a CSV's first line read to tell a recording from a manifest (1 Mi:
#: 30,000 channels of 30-character names)
HEADER_CHARS = 1 << 20


#: the fewest columns of a BrainFlow row: every board descriptor has a packet counter, an
#: EEG (or other) channel, a timestamp and a marker column
BRAINFLOW_MIN_COLUMNS = 4
#: a BrainFlow timestamp: Unix time in seconds (2001-09-09 to 2286-11-20), as every board
#: descriptor's ``timestamp_channel`` holds it
UNIX_SECONDS = (1e9, 1e10)


def numbers_row(line: str) -> int:
    """How many tab-separated numbers ``line`` is (0: fewer than two, or a cell that is no
    number): a first line of a table with no header."""
    cells = line.strip().split("\t")
    if len(cells) < 2:
        return 0
    try:
        for c in cells:
            float(c)
    except ValueError:
        return 0
    return len(cells)


def is_brainflow_row(line: str) -> bool:
    """A first line as BrainFlow's ``DataFilter.write_file`` writes rows: tab-separated
    numbers, no header, at least :data:`BRAINFLOW_MIN_COLUMNS` of them, one a Unix time in
    seconds (:data:`UNIX_SECONDS`, the board's timestamp column). Tab-separated numbers
    without one (a labels file's '1\t0\t2', an events table) are no BrainFlow file."""
    if numbers_row(line) < BRAINFLOW_MIN_COLUMNS:
        return False
    low, high = UNIX_SECONDS
    return any(low <= abs(float(c)) < high for c in line.strip().split("\t"))


#: what each kind of :func:`recording_kind` is, in a message's words
RECORDING_WORDS = {
    "openbci": "an EEG recording (OpenBCI GUI)",
    "brainflow": "a BrainFlow file (EEG: tab-separated numbers with no header line, which "
                 "an EEG set refuses saying how to read it)",
    "csv": "an EEG recording (a time column)",
}


def is_eeg_recording(path: str | Path, column: str = "path") -> bool:
    """Whether ``path`` is an EEG recording (:func:`recording_kind`), not a manifest."""
    return bool(recording_kind(path, column))


def recording_kind(path: str | Path, column: str = "path") -> str:
    """An EEG CSV recording (a time column the EEG reader takes) rather than a manifest (a
    column of inputs: ``path``, or the one ``--input-column`` names), an OpenBCI GUI
    recording (its first line ``%OpenBCI Raw ...``), or a BrainFlow file (rows of
    tab-separated numbers with a Unix time, :func:`is_brainflow_row`), which the EEG reader
    refuses saying how to read it: ``"csv"``, ``"openbci"``, ``"brainflow"`` (words:
    :data:`RECORDING_WORDS`), or ``""`` where it is none."""
    path = Path(path)
    if not path.is_file():  # a named pipe would block the open below
        return ""
    try:
        with open(path, "rb") as fh:
            # the codec of its byte-order mark, as the EEG reader reads it: a UTF-16
            # recording was taken for a manifest ("a manifest needs a 'path' column")
            codec = bom_encoding(fh.read(4))
            fh.seek(0)
            # the whole first line, not HEAD_BYTES of it: 200 channels of 28 bytes' names
            # with the time column last are a 5,610-byte header, taken for a manifest
            with io.TextIOWrapper(fh, encoding=codec or "utf-8-sig", errors="replace") as text:
                # bounded: a file of no line break (a binary file named .csv) was read whole
                header = text.readline(HEADER_CHARS).lower()
    except OSError:
        return ""
    if header.lstrip().startswith("%openbci"):
        return "openbci"  # an OpenBCI GUI recording (.txt, or renamed .csv): '%' lines first
    if is_brainflow_row(header):
        # a BrainFlow file (tab-separated numbers, no header): the EEG reader refuses it
        # saying how to read it; as a manifest it was "the header names 5 columns twice"
        return "brainflow"
    cells = [c.strip().strip('"') for c in header.split(",")]
    # the columns the reader takes, exactly: a file with 'lsl_timestamp' alone was called a
    # recording, which the EEG reader then refused ("an EEG CSV needs a time column")
    return "csv" if column.lower() not in cells and any(c in TIME_COLUMNS for c in cells) else ""


#: a URL's start, ``scheme://`` (``https://``, ``s3://``, ``gs://``, ``file://``): RFC 3986's
#: scheme, then the authority's ``//``
_URL = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*://")


def is_url(path: object) -> bool:
    """Whether a manifest's path cell is a URL (``https://host/a.wav``, ``s3://bucket/a``).

    A URL is kept as written, not joined to the manifest's folder: joined, pathlib made
    ``<folder>/https:/host/a.wav`` of it (one ``/`` of the two dropped), a path nobody wrote.
    """
    return isinstance(path, str) and _URL.match(path) is not None


def warn_if_relative_to_cwd(manifest: Path, paths: Iterable[Any], look: int = 3,
                            stacklevel: int = 3) -> None:
    """Warn where a manifest's relative paths were written from the working folder, not its
    own.

    A manifest kept in a subfolder (``meta/train.csv`` listing ``audio/a.wav``, run from the
    project's folder) failed every row with "no such file" under
    ``<project>/meta/audio/a.wav``, a path the user did not write. Said when none of the
    first ``look`` relative paths is a file beside the manifest and each is one in the
    working folder (paths read from disk: a few ``stat`` calls). One function for
    ``emofeat extract`` and :func:`emofeat.datasets.load_manifest`, which until session 50
    said nothing of it.

    Parameters
    ----------
    manifest : Path
        The manifest file, as given (named so in the warning).
    paths : iterable of str
        Its input column with relative paths already joined to the manifest's folder.
    look : int
        How many relative paths are checked at most.
    stacklevel : int
        Passed to :func:`warnings.warn`: the default names the caller's caller.
    """
    base = manifest.resolve().parent
    try:
        cwd = Path.cwd()
    except OSError:  # the working folder was removed: no file is in it
        return
    if base == cwd.resolve():
        return
    prefix = str(base) + os.sep
    raws = []
    for joined in paths:
        if not isinstance(joined, str) or not joined.startswith(prefix):
            continue  # an absolute path, or a path of the home folder
        raw = joined[len(prefix):]
        if os.path.exists(joined) or not os.path.exists(cwd / raw):
            return
        raws.append(raw)
        if len(raws) == look:
            break
    if raws:
        said = (f"first {len(raws)} paths ({raws[0]!r}, ...) name no file there but files"
                if len(raws) > 1 else f"first path ({raws[0]!r}) names no file there but a file")
        warnings.warn(
            f"{manifest}: its paths are read from its own folder ({base}), and its {said} "
            f"in the working folder ({cwd}): write them relative to the manifest's folder, or "
            "absolute (a row whose path names no file fails: no such file)", UserWarning,
            stacklevel=stacklevel)
