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

from emofeat.audio import AUDIO_EXTENSIONS
from emofeat.columns import ID_COLUMNS as _ID_COLUMNS  # read as strings ("03" stays "03")

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
_EMODB_NAME = re.compile(
    r"^(?P<speaker>\d\d)(?P<text>[ab]\d\d)(?P<emotion>[WLEAFTN])(?P<version>[a-z])$"
)


def _audio_files(root: Path) -> list[Path]:
    return sorted(
        p for p in root.rglob("*") if p.is_file() and p.suffix.lower() in AUDIO_EXTENSIONS
    )


def _check_root(root: str | os.PathLike, corpus: str) -> Path:
    path = Path(root).expanduser()
    if not path.is_dir():
        raise FileNotFoundError(f"{corpus}: {path} is not a folder")
    return path.resolve()


def load_ravdess(root: str | os.PathLike, *, include_song: bool = False) -> pd.DataFrame:
    """Manifest of a RAVDESS folder, labels read from the file-name codes.

    File names are ``modality-channel-emotion-intensity-statement-repetition-actor``
    (``03-01-05-02-01-01-12.wav``); odd actors are male, even actors female.

    Parameters
    ----------
    root : path
        Folder holding the audio files (any depth, WAV or FLAC).
    include_song : bool
        Keep the song recordings (vocal channel 02) too.

    Returns
    -------
    DataFrame
        ``path, speaker, gender, emotion, intensity, statement, repetition, channel``.
    """
    root = _check_root(root, "RAVDESS")
    rows = []
    for p in _audio_files(root):
        m = _RAVDESS_NAME.match(p.stem)
        if not m or m["modality"] == "02":  # 02 = video only
            continue
        channel = "speech" if m["channel"] == "01" else "song"
        if channel == "song" and not include_song:
            continue
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
    if not rows:
        raise FileNotFoundError(f"RAVDESS: no files named like 03-01-05-02-01-01-12.wav in {root}")
    return pd.DataFrame(rows)


def load_emodb(root: str | os.PathLike) -> pd.DataFrame:
    """Manifest of a Berlin EmoDB folder, labels read from the file names.

    Names are ``SSTTTEv`` (``03a01Fa.wav``): speaker, text code, emotion letter (German
    initials: W anger, L boredom, E disgust, A fear, F happiness, T sadness, N neutral),
    version.

    Returns
    -------
    DataFrame
        ``path, speaker, gender, emotion, text, version``.
    """
    root = _check_root(root, "EmoDB")
    rows = []
    for p in _audio_files(root):
        m = _EMODB_NAME.match(p.stem)
        if not m:
            continue
        rows.append({
            "path": str(p),
            "speaker": m["speaker"],
            "gender": "male" if m["speaker"] in EMODB_MALE else "female",
            "emotion": EMODB_EMOTIONS[m["emotion"]],
            "text": m["text"],
            "version": m["version"],
        })
    if not rows:
        raise FileNotFoundError(f"EmoDB: no files named like 03a01Fa.wav in {root}")
    return pd.DataFrame(rows)


def load_manifest(csv: str | os.PathLike, *, check_files: bool = True,
                  path_column: str = "path") -> pd.DataFrame:
    """Read a manifest CSV: a ``path`` column (or ``path_column``) plus any label, speaker or
    subject columns.

    Relative paths are resolved against the CSV's folder (``..`` kept: the paths are the
    resume keys of an output).
    Cells are separated by ``,``, or by ``;`` or tabs when the header line holds those and
    no comma (Excel in locales with a decimal comma); spaces around header names are ignored
    and an unnamed empty column (rows ending in the separator) is dropped.
    Identifier-like columns (``speaker``, ``subject``, ``session``, ``actor``, ``trial``,
    ``statement``, ``repetition``) are read as strings so that ``"03"`` stays ``"03"``.

    Raises
    ------
    ValueError
        No ``path`` column, or a header naming a column twice (spaces ignored).
    FileNotFoundError
        With ``check_files=True``, listing the first missing files.
    """
    csv = Path(csv)
    sep = _separator(csv)
    head = pd.read_csv(csv, nrows=0, sep=sep)
    ids = {c: str for c in head.columns if c.strip().lower() in _ID_COLUMNS}
    df = pd.read_csv(csv, sep=sep, dtype=ids, keep_default_na=False, na_values=[""])
    # Excel's habits: a header "path , emotion" (names stripped), and a trailing empty column
    # from a row ending in the separator (pandas names it "Unnamed: 3"; dropped when empty)
    df = df.drop(columns=[c for c in df.columns
                          if _UNNAMED.fullmatch(c) and df[c].isna().all()])
    names = [c.strip() for c in df.columns]
    if len(set(names)) < len(names):
        twice = sorted({n for n in names if names.count(n) > 1})
        raise ValueError(f"{csv}: the header names the column(s) {twice} twice (spaces around "
                         "a name are ignored)")
    df.columns = names
    if path_column not in df.columns:
        raise ValueError(f"{csv}: a manifest needs a {path_column!r} column, found "
                         f"{list(df.columns)}")
    empty = df.index[df[path_column].isna()].tolist()
    if empty:
        lines = _row_lines(csv)
        rows = ", ".join(str(lines[i] if i < len(lines) else i + 2) for i in empty[:5])
        raise ValueError(f"{csv}: empty {path_column!r} cell in row(s) {rows} (line numbers "
                         "of the file)")
    base = csv.resolve().parent
    # joined as written (".." kept, as emofeat.columns.read_manifest_csv does): the paths are
    # the resume keys of outputs written before
    df[path_column] = [str(p if Path(p).is_absolute() else base / p) for p in df[path_column]]
    if check_files:
        missing = [p for p in df[path_column] if not Path(p).is_file()]
        if missing:
            more = f" (and {len(missing) - 3} more)" if len(missing) > 3 else ""
            raise FileNotFoundError(f"{csv}: {len(missing)} listed files do not exist: "
                                    f"{missing[:3]}{more}")
    return df


#: the name pandas gives a column whose header cell is empty
_UNNAMED = re.compile(r"Unnamed: \d+")


def _separator(csv: Path) -> str:
    """The manifest's cell separator: ``,``, or ``;`` (Excel's CSV where the decimal mark is a
    comma: German, French, ... locales) or a tab when the header line holds that and no comma
    (read with ``,`` such a header was one column, "needs a 'path' column")."""
    try:
        with open(csv, encoding="utf-8-sig", errors="replace") as fh:
            header = fh.readline()
    except OSError:
        return ","  # pandas says what is wrong
    if "," in header:
        return ","
    return ";" if ";" in header else "\t" if "\t" in header else ","


def _row_lines(csv: Path) -> list[int]:
    """The line of the file (1-based) on which each data row of a CSV starts, as pandas
    counts rows: blank (or white-space) lines skipped, a quoted cell may span lines."""
    import csv as csv_module

    out: list[int] = []
    header = False
    with open(csv, encoding="utf-8-sig", errors="replace", newline="") as fh:
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


# text corpora (GoEmotions, CARER) live in their own module; re-exported here
from emofeat.datasets.text_corpora import (  # noqa: E402
    GOEMOTIONS_SAMPLE_DIR,
    load_carer,
    load_goemotions,
)

__all__ = ["GOEMOTIONS_SAMPLE_DIR", "SAMPLE_DIR", "load_carer", "load_emodb", "load_goemotions",
           "load_manifest", "load_ravdess", "load_sample"]
