"""Corpora: the bundled sample and loaders for full corpora kept in a local folder.

Every loader returns a *manifest*: a DataFrame with an absolute ``path`` column and label
columns (``speaker``, ``gender``, ``emotion``, ...). A manifest is what
:func:`emofeat.extract`, extractors' ``transform`` and the CLI (as a CSV) take, and its columns
travel into the feature table, so labels and speaker ids stay attached to the features.

Nothing here downloads anything: point the loaders at a folder you obtained yourself.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pandas as pd

from emofeat._manifest_sniff import (
    JSON_LINES,
    is_url,
    json_lines,
    sniff,
    warn_if_relative_to_cwd,
)
from emofeat.audio import AUDIO_EXTENSIONS, is_apple_double
from emofeat.columns import ID_COLUMNS as _ID_COLUMNS  # read as strings ("03" stays "03")
from emofeat.columns import exact_floats
from emofeat.datasets._names import (
    SkippedFileWarning,
    corpus_folder,
    refuse_duplicates,
    warn_skipped,
)

from .._wording import counted

SAMPLE_DIR = Path(__file__).resolve().parent / "sample"

RAVDESS_EMOTIONS = {
    "01": "neutral", "02": "calm", "03": "happy", "04": "sad",
    "05": "angry", "06": "fearful", "07": "disgust", "08": "surprised",
}
_RAVDESS_NAME = re.compile(
    r"^(?P<modality>\d\d)-(?P<channel>\d\d)-(?P<emotion>\d\d)-(?P<intensity>\d\d)-"
    r"(?P<statement>\d\d)-(?P<repetition>\d\d)-(?P<actor>\d\d)$"
)

EMODB_EMOTIONS = {
    "W": "anger", "L": "boredom", "E": "disgust", "A": "fear",
    "F": "happiness", "T": "sadness", "N": "neutral",
}
EMODB_MALE = {"03", "10", "11", "12", "15"}
EMODB_FEMALE = {"08", "09", "13", "14", "16"}
#: age in years of each EmoDB speaker at recording, from the corpus's documentation
#: ("Information about the speakers", http://emodb.bilderbar.info/docu/; Burkhardt et al. 2005)
EMODB_AGES = {"03": 31, "08": 34, "09": 21, "10": 32, "11": 26, "12": 30, "13": 32, "14": 35,
              "15": 25, "16": 31}
_EMODB_SPEAKERS = EMODB_MALE | EMODB_FEMALE
#: the ten sentences of EmoDB (its documentation's "Code of texts")
EMODB_TEXTS = ("a01", "a02", "a04", "a05", "a07", "b01", "b02", "b03", "b09", "b10")
_EMODB_NAME = re.compile(
    r"^(?P<speaker>\d\d)(?P<text>[ab]\d\d)(?P<emotion>[WLEAFTN])(?P<version>[a-z])$"
)


def _audio_files(root: Path, corpus: str) -> list[Path]:
    # the command's walk (hidden folders left out: a DataLad copy's .git holds each
    # recording once more, as git-annex's object); a macOS resource fork
    # ("._03-01-....wav") is no recording and no misnamed one either
    from .._walk import folder_files, hidden_said

    def wanted(p: Path) -> bool:
        return p.suffix.lower() in AUDIO_EXTENSIONS and not is_apple_double(p)

    found, hidden = folder_files(root, AUDIO_EXTENSIONS, wanted)
    if hidden:  # a user's copy or backup, perhaps: the walk's words, as the command says
        import warnings

        warnings.warn(f"{corpus}: {root}: {hidden_said(hidden).removeprefix('; ')}",
                      SkippedFileWarning, stacklevel=3)
    return sorted(p for p in found if wanted(p) and p.is_file())


def _check_root(root: str | os.PathLike, corpus: str) -> Path:
    return corpus_folder(root, corpus).resolve()


def load_ravdess(root: str | os.PathLike, *, include_song: bool = False) -> pd.DataFrame:
    """Manifest of a RAVDESS folder, labels read from the file-name codes.

    File names are ``modality-channel-emotion-intensity-statement-repetition-actor``
    (``03-01-05-02-01-01-12.wav``); odd actors are male, even actors female.

    Parameters
    ----------
    root : path
        Folder holding the audio files (any depth, WAV or FLAC; hidden folders under it,
        such as a DataLad copy's ``.git``, are not searched, as by ``emofeat extract``).
    include_song : bool
        Keep the song recordings (vocal channel 02) too.

    Returns
    -------
    DataFrame
        ``path, speaker, gender, emotion, intensity, statement, repetition, channel``, one
        row per file, sorted by path.

    Raises
    ------
    ValueError
        Naming the file, when a code is outside the RAVDESS code tables (emotion 09,
        intensity 03, actor 25, a strong neutral, a song (channel 02) coded disgust 07 or
        surprised 08, which the song part does not have, ...), when the actor code of a
        file loaded (not a video-only one, nor a song without ``include_song``) is not
        that of the ``Actor_XX`` folder holding it, or when a recording is found
        twice under ``root`` (two copies of the corpus, or WAV and FLAC of one file).

    Warns
    -----
    SkippedFileWarning
        Naming the audio files left out because their names do not follow the convention,
        and the hidden folders under ``root`` holding audio files, which are not searched.
    """
    root = _check_root(root, "RAVDESS")
    rows, skipped = [], []
    for p in _audio_files(root, "RAVDESS"):
        m = _RAVDESS_NAME.match(p.stem)
        if not m:
            skipped.append(p)
            continue
        _check_ravdess_codes(p, m)
        if m["modality"] == "02":  # 02 = video only
            continue
        channel = "speech" if m["channel"] == "01" else "song"
        if channel == "song" and not include_song:
            continue
        # of the files loaded only: a video-only file (or a song left out) in another
        # actor's folder is never read, and stopped the load
        _check_actor_folder(p, m, root)
        rows.append({
            "path": str(p),
            "speaker": m["actor"],
            "gender": "male" if int(m["actor"]) % 2 else "female",
            "emotion": RAVDESS_EMOTIONS[m["emotion"]],
            "intensity": "normal" if m["intensity"] == "01" else "strong",
            "statement": m["statement"],
            "repetition": m["repetition"],
            "channel": channel,
        })
    warn_skipped("RAVDESS", root, skipped, "03-01-05-02-01-01-12.wav")
    if not rows:
        raise FileNotFoundError(f"RAVDESS: no files named like 03-01-05-02-01-01-12.wav in {root}")
    refuse_duplicates("RAVDESS", (Path(r["path"]) for r in rows))
    return pd.DataFrame(rows)


# the code tables of the RAVDESS documentation (Livingstone & Russo 2018)
_RAVDESS_CODES = {
    "modality": ("01", "02", "03"), "channel": ("01", "02"), "emotion": tuple(RAVDESS_EMOTIONS),
    "intensity": ("01", "02"), "statement": ("01", "02"), "repetition": ("01", "02"),
}
# the song part has no disgust and no surprised (README of the corpus)
_RAVDESS_NOT_SUNG = ("07", "08")


def _check_ravdess_codes(path: Path, m: re.Match) -> None:
    # a code outside the tables is a mislabelled file: decoding it anyway (intensity 03 read
    # as "strong", emotion 09 a bare KeyError) would put a wrong label into a study
    for field, allowed in _RAVDESS_CODES.items():
        if m[field] not in allowed:
            raise ValueError(f"RAVDESS: {path}: {field} code {m[field]!r} is not one of "
                             f"{', '.join(allowed)}")
    if not 1 <= int(m["actor"]) <= 24:
        # the gender would have been guessed from the parity of an actor who does not exist
        raise ValueError(f"RAVDESS: {path}: actor code {m['actor']!r} is not one of 01 to 24")
    if m["emotion"] == "01" and m["intensity"] == "02":
        raise ValueError(f"RAVDESS: {path}: neutral (01) has no strong intensity (02)")
    if m["channel"] == "02" and m["emotion"] in _RAVDESS_NOT_SUNG:
        raise ValueError(f"RAVDESS: {path}: the song part (channel 02) has no "
                         f"{RAVDESS_EMOTIONS[m['emotion']]} ({m['emotion']}): songs are "
                         "neutral, calm, happy, sad, angry or fearful (01-06)")


_ACTOR_FOLDER = re.compile(r"^actor_(\d+)$", re.IGNORECASE)


def _check_actor_folder(path: Path, m: re.Match, root: Path) -> None:
    """Refuse a file whose actor code is not the one of the nearest ``Actor_XX`` folder
    holding it (up to ``root``): a file copied into another actor's folder, or renamed,
    gave its code's speaker, which the corpus's layout contradicts, and put one actor's
    recordings under two speakers of a speaker-wise split."""
    for folder in path.parents:
        got = _ACTOR_FOLDER.match(folder.name)
        if got:
            if int(got.group(1)) != int(m["actor"]):
                raise ValueError(
                    f"RAVDESS: {path}: actor code {m['actor']!r} disagrees with its folder "
                    f"{folder.name} (the corpus holds each actor's files in Actor_<code>): "
                    "rename the file or move it to its actor's folder")
            return
        if folder == root:
            return


def load_emodb(root: str | os.PathLike) -> pd.DataFrame:
    """Manifest of a Berlin EmoDB folder, labels read from the file names.

    Names are ``SSTTTEv`` (``03a01Fa.wav``): speaker, text code, emotion letter (German
    initials: W anger, L boredom, E disgust, A fear, F happiness, T sadness, N neutral),
    version.

    Speakers 03, 10, 11, 12 and 15 are male, 08, 09, 13, 14 and 16 female; their ages
    (21 to 35 years, ``EMODB_AGES``) are those of the corpus documentation's speaker
    table (http://emodb.bilderbar.info/docu/). Hidden folders under ``root`` (such as a
    DataLad copy's ``.git``) are not searched, as by ``emofeat extract``.

    Returns
    -------
    DataFrame
        ``path, speaker, gender, age, emotion, text, version``, one row per file, sorted by
        path; ``age`` in years, an integer.

    Raises
    ------
    ValueError
        Naming the file, for a speaker id that is not one of the ten EmoDB speakers, a text
        code that is not one of its ten sentences (``a03``), or a recording found twice
        under ``root``.

    Warns
    -----
    SkippedFileWarning
        Naming the audio files left out because their names do not follow the convention,
        and the hidden folders under ``root`` holding audio files, which are not searched.
    """
    root = _check_root(root, "EmoDB")
    rows, skipped = [], []
    for p in _audio_files(root, "EmoDB"):
        m = _EMODB_NAME.match(p.stem)
        if not m:
            skipped.append(p)
            continue
        if m["speaker"] not in _EMODB_SPEAKERS:
            # EmoDB has ten speakers; any other id would have been given a guessed gender
            raise ValueError(f"EmoDB: {p}: speaker {m['speaker']!r} is not one of the ten EmoDB "
                             f"speakers {', '.join(sorted(_EMODB_SPEAKERS))}")
        if m["text"] not in EMODB_TEXTS:
            # a text-wise split (unseen sentences) would count a sentence that does not exist
            raise ValueError(f"EmoDB: {p}: text code {m['text']!r} is not one of the ten EmoDB "
                             f"sentences {', '.join(EMODB_TEXTS)}")
        rows.append({
            "path": str(p),
            "speaker": m["speaker"],
            "gender": "male" if m["speaker"] in EMODB_MALE else "female",
            "age": EMODB_AGES[m["speaker"]],
            "emotion": EMODB_EMOTIONS[m["emotion"]],
            "text": m["text"],
            "version": m["version"],
        })
    warn_skipped("EmoDB", root, skipped, "03a01Fa.wav")
    if not rows:
        raise FileNotFoundError(f"EmoDB: no files named like 03a01Fa.wav in {root}")
    refuse_duplicates("EmoDB", (Path(r["path"]) for r in rows))
    return pd.DataFrame(rows)


def load_manifest(csv: str | os.PathLike, *, check_files: bool = True,
                  path_column: str = "path") -> pd.DataFrame:
    """Read a manifest CSV, TSV or JSON-lines file: a ``path`` column (or ``path_column``)
    plus any label, speaker or subject columns.

    Relative paths are resolved against the manifest's folder (``..`` kept: the paths are the
    resume keys of an output); ``~/`` or ``~user/`` at the start of a path is a home folder
    (``~take2.wav``, with no such user, is a file beside the manifest).
    Cells are separated by ``,``, or by ``;`` or tabs when the header line holds those and
    no comma (Excel in locales with a decimal comma); a ``.tsv`` file by tabs; spaces around
    header names are ignored and an unnamed empty column (rows ending in the separator) is
    dropped. Identifier-like columns (``speaker``, ``subject``, ``session``, ``actor``,
    ``trial``, ``statement``, ``repetition``) are read as strings so that ``"03"`` stays
    ``"03"``. A ``.jsonl``, ``.ndjson`` or ``.json`` file holds one JSON object a line (the
    keys are the columns, a key a record lacks is a missing cell), its values as JSON types
    them.

    Raises
    ------
    ValueError
        No ``path`` column, an empty ``path`` cell (naming its line), a header naming a
        column twice (spaces ignored), a file that looks like UTF-16 without a byte-order
        mark or is not UTF-8; in JSON lines, a line that is not a JSON object, a path that is
        not a string, or a column that mixes types (strings and numbers: no table column
        holds both).
    FileNotFoundError
        With ``check_files=True``, listing the first missing files.

    Warns
    -----
    UserWarning
        When the manifest is in another folder than the working one and its first relative
        paths name no file beside it but files in the working folder (``meta/train.csv``
        listing ``audio/a.wav``, read from the project's folder), as ``emofeat extract``
        warns: the paths are read from the manifest's folder all the same.
    """
    csv = Path(csv)
    if csv.suffix.lower() in JSON_LINES:
        df, lines = _read_json_lines(csv, path_column)
        # the dtypes pandas gives the same cells of a CSV (column by column: a frame's
        # infer_objects leaves a block of strings as objects)
        df = pd.DataFrame({c: df[c].infer_objects() for c in df.columns})
    else:
        df, lines = _read_csv(csv), None
    if path_column not in df.columns:
        # "Path" or "file": the flag that reads it was not named (the message named none)
        alike = [c for c in df.columns
                 if isinstance(c, str) and c.strip().lower() == path_column.lower()]
        hint = (f"; to read {alike[0]!r}: path_column={alike[0]!r} (emofeat extract: "
                f"--input-column {alike[0]})" if alike else
                "; if a column of another name holds the paths, name it with path_column= "
                "(emofeat extract: --input-column)")
        raise ValueError(f"{csv}: a manifest needs a {path_column!r} column, found "
                         f"{list(df.columns)}{hint}")
    paths = df[path_column]
    empty = [i for i, p in enumerate(paths) if p is None or p != p or p == ""]
    if empty:
        lines = lines or _row_lines(csv)
        rows = ", ".join(str(lines[i] if i < len(lines) else i + 2) for i in empty[:5])
        more = ", ..." if len(empty) > 5 else ""
        raise ValueError(f"{csv}: empty {path_column!r} cell in {counted(len(empty), 'row')}: "
                         f"{rows}{more} (line numbers of the file)")
    if lines is not None:  # JSON types its values: a number is no file name
        bad = next((i for i, p in enumerate(paths) if not isinstance(p, str)), None)
        if bad is not None:
            # HuggingFace's audio column is an object {"path": ..., "array": [...]}: its
            # samples are not printed
            shown = _short(paths[bad])
            hint = (f" (its 'path' key is the file: flatten it to a {path_column!r} string)"
                    if isinstance(paths[bad], dict) and "path" in paths[bad] else "")
            raise ValueError(f"{csv}: line {lines[bad]}: {path_column!r} is "
                             f"{_json_type(paths[bad])} {shown}{hint}, not a file path "
                             "(a JSON string)")
    base = csv.resolve().parent
    # joined as written (".." kept, as emofeat.columns.read_manifest_csv does): the paths are
    # the resume keys of outputs written before
    # "~/corpus/a.wav" is the user's home folder, as in a shell (it was joined with the
    # manifest's folder: "<folder>/~/corpus/a.wav", no such file); os.path.expanduser leaves
    # "~take2.wav" (no user of that name) as it is, a file beside the manifest
    # a URL is kept as written: reading it fails naming it (emofeat reads files on disk)
    df[path_column] = [q if os.path.isabs(q := os.path.expanduser(p)) or is_url(p)
                       else str(base / p) for p in paths]
    # paths written from the working folder, as ``emofeat extract`` warns of them (a warning
    # only: such a manifest is right when the working folder is the manifest's)
    warn_if_relative_to_cwd(csv, df[path_column])
    if check_files:
        missing = [p for p in df[path_column] if not Path(p).is_file()]
        if missing:
            more = f" (and {len(missing) - 3} more)" if len(missing) > 3 else ""
            raise FileNotFoundError(f"{csv}: {len(missing)} listed files do not exist: "
                                    f"{missing[:3]}{more}")
    return df


def _read_csv(csv: Path) -> pd.DataFrame:
    """A manifest CSV/TSV as pandas reads it, with Excel's separators and header habits."""
    try:
        encoding, sep, header = sniff(csv)
    except ValueError as exc:  # UTF-16 without a byte-order mark
        raise ValueError(f"{csv}: {exc}") from None
    try:
        head = pd.read_csv(csv, nrows=0, sep=sep, encoding=encoding)
        ids = {c: str for c in head.columns if c.strip().lower() in _ID_COLUMNS}
        # start / end exactly as written (pandas 2's parser read some a last bit off)
        df = pd.read_csv(csv, sep=sep, encoding=encoding, dtype=ids, keep_default_na=False,
                         na_values=[""], **exact_floats())
    except UnicodeDecodeError:  # Excel's "CSV (Comma delimited)" is cp1252, not UTF-8
        raise ValueError(_not_utf8(csv, encoding)) from None
    except pd.errors.ParserError as exc:
        from .._manifest_sniff import fields_message

        raise ValueError(f"{csv}: {fields_message(exc, sep, header, csv, encoding)}") from None
    return _tidy_header(df, csv, header)


def _not_utf8(path: Path, encoding: str) -> str:
    """The message of a manifest that does not decode: the line of its first bad byte."""
    data = path.read_bytes()  # pandas' position is within a chunk: find the line here
    try:
        data.decode(encoding)
        where = ""
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        where = f": line {line} has the byte 0x{data[exc.start]:02x}"
    return (f"{path} is not {encoding.upper()}{where}; save it as UTF-8 (Excel: "
            "\"CSV UTF-8\")")


def _read_json_lines(path: Path, keep: str | None = None, records=None
                     ) -> tuple[pd.DataFrame, list[int]]:
    """A JSON-lines manifest as a frame of object columns (each value as JSON types it: the
    standard json module keeps what pandas' parser drops, lone surrogates), and the line of
    the file each row is on. ``records``: the file's :func:`json_lines`, already read.

    A column other than ``keep`` (the input column, checked by its reader) that mixes types
    (``"speaker": 1`` on one line, ``"speaker": "x"`` on another) is a ``ValueError`` naming
    the file, the column and a line of each: no table column holds both (the run failed at
    its end, "Could not convert 'x' with type str: tried to convert to int64")."""
    if records is None:
        try:
            records = json_lines(path)
        except UnicodeDecodeError:
            raise ValueError(_not_utf8(path, "utf-8")) from None
        except ValueError as exc:
            raise ValueError(f"{path}: {exc}") from None
    lines = [n for n, _ in records]
    df = pd.DataFrame([rec for _, rec in records], dtype=object)
    if not records and keep is not None:  # as a CSV with a header only: no rows
        df = pd.DataFrame({keep: []}, dtype=object)
    df = _named_keys(df, path, lines)
    for column in df.columns:
        if column == keep:
            continue
        first: dict[str, int] = {}
        for i, v in enumerate(df[column]):
            if v is not None and v == v:  # a missing key is NaN here, null None
                first.setdefault(_json_type(v), i)
        if len(first) > 1:
            (a, i), (b, j) = sorted(first.items(), key=lambda kv: kv[1])[:2]
            raise ValueError(
                f"{path}: the column {column!r} holds {a}s (line {lines[i]}: "
                f"{_short(df[column][i])}) and {b}s (line {lines[j]}: {_short(df[column][j])}); a "
                "column of the table holds one type: write them all as strings, or all as "
                "numbers")
    return df, lines


def _named_keys(df: pd.DataFrame, path: Path, lines: list[int]) -> pd.DataFrame:
    """``df`` (a JSON-lines manifest's records) with each key that names nothing (``""``,
    or spaces: what pandas' ``to_json`` writes of a column named ``''``) as a CSV manifest
    has it (:func:`_warn_unnamed`): dropped where no record gives it a value, else kept
    under pandas' name for its place, ``Unnamed: N``, with a warning naming the file, the
    first line that gives it a value and its neighbours. It was an identity column named
    ``''`` in the table, without a word."""
    unnamed = [c for c in df.columns if isinstance(c, str) and not c.strip()]
    if not unnamed:
        return df
    # a missing key is NaN in the frame, null None
    valued = {c: [i for i, v in enumerate(df[c]) if v is not None and v == v] for c in unnamed}
    df = df.drop(columns=[c for c in unnamed if not valued[c]])
    columns = list(df.columns)
    names = {}
    for c in unnamed:
        if not valued[c]:
            continue
        i = columns.index(c)
        name = f"Unnamed: {i}"
        if name in columns:  # a key named so already: no name to give it
            raise ValueError(
                f"{path}: line {lines[valued[c][0]]}: the key {c!r} names no column, and "
                f"{name!r}, the name it would be kept under, is a key too: give it a name")
        names[c] = name
        beside = [f"after {columns[i - 1]!r}" if i else "first",
                  f"before {columns[i + 1]!r}" if i + 1 < len(columns) else "last"]
        import warnings

        from emofeat.extractor import _outside_emofeat

        warnings.warn(
            f"{path}: line {lines[valued[c][0]]}: the key {c!r} names no column; its values "
            f"are kept as {name!r} ({', '.join(beside)}), the name pandas gives an unnamed "
            "column of a CSV by its place (a key added before it would rename it): give it "
            "a name, or remove it", UserWarning, stacklevel=_outside_emofeat(2))
    return df.rename(columns=names)


def _short(value: object) -> str:
    """``repr(value)`` cut to 80 characters (a cell may hold a long array of samples)."""
    shown = repr(value)
    return shown if len(shown) <= 80 else shown[:77] + "..."


def _json_type(value: object) -> str:
    """What JSON calls the type of a decoded value: string, number, boolean, array, object."""
    if isinstance(value, str):
        return "string"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int | float):
        return "number"
    return "array" if isinstance(value, list) else "object"


#: the name pandas gives a column whose header cell is empty
_UNNAMED = re.compile(r"Unnamed: \d+")


def _row_numbers(values: pd.Series) -> bool:
    """Whether a column holds 0, 1, ..., n - 1 in order, as text or numbers."""
    want = [str(i) for i in range(len(values))]
    return [str(v) for v in values] == want


def _distinct_counts(values: pd.Series) -> bool:
    """Whether a column holds distinct whole numbers from 0, as pandas writes its index:
    some of 0, 1, 2, ... in any order (a frame filtered or sorted before ``to_csv``), or a
    column of ids or trial numbers a user left without a name: the two cannot be told."""
    texts = [str(v) for v in values]
    return (all(t.isascii() and t.isdigit() and (t == "0" or t[0] != "0") for t in texts)
            and len(set(texts)) == len(texts))


def _tidy_header(df: pd.DataFrame, csv: Path, header: list[str] | None = None) -> pd.DataFrame:
    """A manifest as pandas read it, less Excel's habits: spaces around header names
    (``path , emotion``) stripped, a trailing empty column from rows ending in the
    separator (pandas names it ``Unnamed: 3``) dropped, and so a first column without a
    name holding 0, 1, ..., n - 1 (pandas' index, written by ``to_csv`` without
    ``index=False``); one of other distinct whole numbers (the index of a frame filtered or
    sorted, or a user's unnamed ids) is kept with a warning. A name that then repeats, or
    that
    ``header`` (the names as written, :func:`emofeat._manifest_sniff.sniff`) repeats, is a
    ``ValueError`` naming the file: pandas renames a repeated name (``emotion.1``)."""
    df = df.drop(columns=[c for c in df.columns
                          if _UNNAMED.fullmatch(c) and df[c].isna().all()])
    said: set[str] = set()
    if len(df.columns) and df.columns[0] == "Unnamed: 0":
        if _row_numbers(df.iloc[:, 0]):
            # pandas' own index, written by to_csv without index=False: row numbers, no
            # label (it became an identity column of every output row)
            df = df.iloc[:, 1:]
        elif _distinct_counts(df.iloc[:, 0]):
            # a filtered or sorted frame's index, or a user's unnamed ids: kept, and said
            import warnings

            from emofeat.extractor import _outside_emofeat

            warnings.warn(
                f"{csv}: its first column has no name and holds distinct whole numbers, "
                "kept as the column 'Unnamed: 0' in every row: if it is pandas' index of a "
                "frame filtered or sorted before to_csv, write the manifest with "
                "index=False; if it is a column of ids, give it a name", UserWarning,
                stacklevel=_outside_emofeat(2))
            said = {"Unnamed: 0"}
    _warn_unnamed(df, csv, header, said)
    names = [c.strip() for c in df.columns]
    written = [h.strip() for h in header or () if h.strip()]  # empty ones pandas numbers
    twice = sorted({n for n in names + written
                    if names.count(n) > 1 or written.count(n) > 1})
    if twice:
        raise ValueError(f"{csv}: the header names {counted(len(twice), 'column')} twice: "
                         f"{twice} (spaces around a name are ignored)")
    df.columns = names
    return df


def _warn_unnamed(df: pd.DataFrame, csv: Path, header: list[str] | None,
                  said: set[str]) -> None:
    """Warn of the columns of ``df`` that hold values under no name in the header: kept,
    as pandas keeps them, under pandas' name ``Unnamed: N`` (R's readr keeps them as
    ``...N`` and says so too). That name is the column's place, not a label: it becomes
    another column's as soon as a column is added before it (a rerun relabels the rows,
    the old column dropped), and names nothing a reader of the table can tell. Columns
    whose header names them so (``header``: the names as written) and those in ``said``
    (warned of already) are left out."""
    written = {h.strip() for h in header or ()}
    unnamed = [c for c in df.columns
               if _UNNAMED.fullmatch(c) and c not in written and c not in said]
    if not unnamed:
        return
    import warnings

    from emofeat.extractor import _outside_emofeat

    columns = list(df.columns)

    def where(c: str) -> str:
        i = columns.index(c)
        beside = [f"after {columns[i - 1]!r}" if i else "first",
                  f"before {columns[i + 1]!r}" if i + 1 < len(columns) else "last"]
        return f"{c!r} ({', '.join(beside)})"

    one = len(unnamed) == 1
    warnings.warn(
        f"{csv}: {'a column holds' if one else f'{len(unnamed)} columns hold'} values under "
        f"no name in the header, kept as {', '.join(map(where, unnamed))}, the name pandas "
        f"gives {'it' if one else 'each'} by {'its' if one else 'their'} place (a column "
        "added before it would rename it): give "
        f"{'it a name' if one else 'each a name'} in the header, or remove "
        f"{'it' if one else 'them'}", UserWarning, stacklevel=_outside_emofeat(2))


def _row_lines(csv: Path) -> list[int]:
    """The line of the file (1-based) on which each data row of a CSV starts, as pandas
    counts rows: blank (or white-space) lines skipped, a quoted cell may span lines."""
    import csv as csv_module

    if csv.suffix.lower() in JSON_LINES:  # a record a line: the lines of the records
        return [n for n, _ in json_lines(csv)]
    out: list[int] = []
    header = False
    encoding = sniff(csv).encoding.replace("utf-8", "utf-8-sig")
    with open(csv, encoding=encoding, errors="replace", newline="") as fh:
        reader = csv_module.reader(fh)
        start = 1
        for row in reader:
            blank = not row or (len(row) == 1 and not row[0].strip())
            if not blank:
                if header:
                    out.append(start)
                header = True
            start = reader.line_num + 1
    return out


def load_sample() -> pd.DataFrame:
    """The bundled sample: 240 RAVDESS speech files from 4 actors (2 female, 2 male).

    All 8 emotions; CC BY-NC-SA 4.0 (see ``sample/LICENSE.txt``).

    Returns
    -------
    DataFrame
        ``path`` (absolute), ``speaker``, ``gender``, ``emotion``, ``intensity``,
        ``statement``, ``repetition``.

    Examples
    --------
    >>> from emofeat.datasets import load_sample
    >>> sample = load_sample()
    >>> sample.speaker.nunique(), sample.emotion.nunique(), len(sample)
    (4, 8, 240)
    """
    return load_manifest(SAMPLE_DIR / "labels.csv")


# text corpora (GoEmotions, CARER, ISEAR) live in their own module; re-exported here
from emofeat.datasets.text_corpora import (  # noqa: E402
    GOEMOTIONS_SAMPLE_DIR,
    load_carer,
    load_goemotions,
    load_isear,
)

__all__ = ["GOEMOTIONS_SAMPLE_DIR", "SAMPLE_DIR", "SkippedFileWarning", "load_carer", "load_emodb",
           "load_goemotions", "load_isear", "load_manifest", "load_ravdess", "load_sample"]
