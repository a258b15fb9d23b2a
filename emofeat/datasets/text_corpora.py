"""Readers of the text emotion corpora GoEmotions, CARER and ISEAR, and the bundled GoEmotions
sample.

Each reader returns a *manifest* of texts: a DataFrame with a ``text`` column and label
columns, ready for :func:`emofeat.extract` (text sets read the ``text`` column), the text
extractors' ``fit_transform(df.text)`` or a scikit-learn pipeline. Nothing is downloaded:
point the readers at the files you obtained.

Expected layouts
----------------
GoEmotions (Demszky et al. 2020, Apache-2.0)
    ``<root>/{train,dev,test}.tsv``: no header, columns text, comma-separated label ids,
    comment id; ``<root>/emotions.txt``: the 28 label names (27 emotions + neutral), one a
    line, in id order. A copy grouped by the release's ``ekman_mapping.json`` (the
    ``ekman/`` folder: Ekman's six emotions + neutral) or ``sentiment_mapping.json``
    (positive, negative, ambiguous + neutral) has the same three files, its ids indexing
    ``labels.txt`` instead.
CARER (Saravia et al. 2018; "emotion" on the Hugging Face hub)
    ``<root>/{train,val,test}.txt``: ``text;label_name`` lines, after a header line
    ``text;label_name`` in the Hugging Face copy (other copies have none).
ISEAR (Scherer & Wallbott 1994)
    ``isear.csv``: ``|``-separated with a header line; the respondent ``ID`` first, the
    emotion ``Field1`` and the situation text ``SIT`` among the 43 columns. Some texts hold
    ``|`` themselves, so a line is read by position: the fields before ``SIT`` and the fields
    after it are counted from the header, the text is everything between.
"""

from __future__ import annotations

import csv
import io
import os
from pathlib import Path

import pandas as pd

from emofeat.datasets._names import corpus_folder

from .._wording import counted

GOEMOTIONS_SAMPLE_DIR = Path(__file__).resolve().parent / "goemotions_sample"


def _read_text(path: Path) -> str:
    """A UTF-8 file's text (a byte-order mark dropped, line ends as they are), refused with
    the line of its first NUL character: no text of a corpus holds one, the file is binary
    or was cut short (as the command refuses a manifest's; the texts were kept with it)."""
    with open(path, encoding="utf-8-sig", newline="") as fh:
        text = fh.read()
    at = text.find("\0")
    if at >= 0:
        raise ValueError(f"{path}: line {text.count(chr(10), 0, at) + 1} holds a NUL "
                         "character: no text holds one, so the file is binary or was cut "
                         "short; get a fresh copy of the corpus")
    return text


def _lines(path: Path) -> list[str]:
    """The lines of a UTF-8 file (a byte-order mark dropped), split on "\\n" only:
    str.splitlines also breaks at U+2028, U+0085, form feeds... inside a text, and reading in
    text mode would break at a lone "\\r"."""
    return [line.removesuffix("\r") for line in _read_text(path).split("\n")]


def load_goemotions(root: str | os.PathLike | None = None, split: str = "train") -> pd.DataFrame:
    """Manifest of one GoEmotions split: ``text``, ``labels``, ``label_ids``, ``comment_id``.

    Parameters
    ----------
    root : path, optional
        Folder with ``train.tsv``, ``dev.tsv``, ``test.tsv`` and ``emotions.txt`` (the
        layout of the GoEmotions release), or a grouped copy of them (such as ``ekman/``)
        whose ids index ``labels.txt`` instead. ``None``: the bundled
        sample (600 train and 300 test comments drawn at random from the official splits,
        Apache-2.0; see ``goemotions_sample/README.md``).
    split : {"train", "dev", "test"}

    Returns
    -------
    DataFrame
        ``text``; ``labels``, the tuple of label names of the comment (multi-label: most
        comments have one, some two or three); ``label_ids`` as in the file (``"3,27"``);
        ``comment_id``.

    Raises
    ------
    FileNotFoundError
        ``root`` is not a folder, has neither ``emotions.txt`` nor ``labels.txt``, or has no
        ``<split>.tsv``.
    ValueError
        Naming the file and line, when a line has not 3 tab-separated fields or a label id is
        not an index into ``emotions.txt`` (0 to the number of names - 1: a negative id is
        refused, not read from the end).

    Examples
    --------
    >>> from emofeat.datasets import load_goemotions
    >>> sample = load_goemotions(split="test")     # the bundled sample
    >>> len(sample), sample.columns.tolist()
    (300, ['text', 'labels', 'label_ids', 'comment_id'])
    """
    base = GOEMOTIONS_SAMPLE_DIR if root is None else corpus_folder(root, "GoEmotions")
    if split not in ("train", "dev", "test"):
        raise ValueError(f"GoEmotions: split must be 'train', 'dev' or 'test', got {split!r}")
    (names_file, names), data_file = _goemotions_names(base), base / f"{split}.tsv"
    if not data_file.is_file():
        hint = (": the bundled sample has train and test only; pass the folder of the release "
                "as root" if root is None else "")
        raise FileNotFoundError(f"GoEmotions: {data_file} does not exist{hint}")
    rows = []
    # a byte-order mark (a file saved by a Windows editor) is no part of the first text
    with io.StringIO(_read_text(data_file), newline="") as fh:
        # texts may contain quotes: read the three tab-separated fields as they are
        for i, fields in enumerate(csv.reader(fh, delimiter="\t", quoting=csv.QUOTE_NONE), 1):
            if not fields:
                continue
            if len(fields) != 3:
                raise ValueError(f"{data_file}: line {i} has {len(fields)} tab-separated fields,"
                                 " expected 3 (text, label ids, comment id)")
            text, ids, cid = fields
            try:
                idx = [int(k) for k in ids.split(",")]
            except ValueError:
                idx = [-1]
            # range-checked here: names[-1] would quietly read an id -1 as the last name
            if not all(0 <= k < len(names) for k in idx):
                raise ValueError(f"{data_file}: line {i}: label ids {ids!r} are not indices "
                                 f"into the {len(names)} names of {names_file.name}")
            labels = tuple(names[k] for k in idx)
            rows.append({"text": text, "labels": labels, "label_ids": ids, "comment_id": cid})
    return pd.DataFrame(rows, columns=["text", "labels", "label_ids", "comment_id"])


def _goemotions_names(base: Path) -> tuple[Path, list[str]]:
    """The file naming the label ids of ``base``, ``emotions.txt`` of the release or
    ``labels.txt`` of a grouped copy (``ekman/``, ``sentiment/``), and its names."""
    found = [f for f in (base / "emotions.txt", base / "labels.txt") if f.is_file()]
    if not found:
        raise FileNotFoundError(
            f"GoEmotions: {base} has no emotions.txt (the 28 names of the release) and no "
            "labels.txt (the names of a grouped copy, such as ekman/): pass the "
            "folder holding train.tsv, dev.tsv, test.tsv and one of them")
    names = _label_names(found[0])
    if len(found) == 2 and names != _label_names(found[1]):
        # which of them the ids index cannot be told from the files
        raise ValueError(f"GoEmotions: {base} has both emotions.txt and labels.txt, naming "
                         "different labels: keep the one that the .tsv files' ids index")
    return found[0], names


def _label_names(path: Path) -> list[str]:
    # "utf-8-sig": a byte-order mark made the first name "\ufeffadmiration"
    return path.read_text(encoding="utf-8-sig").split()


def load_carer(root: str | os.PathLike, split: str = "train") -> pd.DataFrame:
    """Manifest of one CARER split: ``text`` and ``emotion`` (sadness, joy, love, anger, fear,
    surprise).

    CARER may not be redistributed (research and education only), so nothing is bundled:
    ``root`` is the folder with ``train.txt``, ``val.txt`` and ``test.txt``, each a
    ``text;label`` line per tweet, with or without a ``text;label_name`` header line.

    Raises
    ------
    ValueError
        Naming the file and line, for a line without ``;``.
    """
    base = corpus_folder(root, "CARER")
    if split not in ("train", "val", "test"):
        raise ValueError(f"CARER: split must be 'train', 'val' or 'test', got {split!r}")
    path = base / f"{split}.txt"
    if not path.is_file():
        raise FileNotFoundError(f"CARER: {path} does not exist")
    lines = _lines(path)
    # the header line (text;label_name) is in the Hugging Face copy only: the copies without
    # it lost their first tweet when line 1 was always skipped
    first = 1 if lines and lines[0].rpartition(";")[0].strip().lower() == "text" else 0
    rows = []
    for i, line in enumerate(lines[first:], first + 1):
        if not line.strip():
            continue
        text, sep, label = line.rpartition(";")
        if not sep:
            raise ValueError(f"{path}: line {i} has no ';' between text and label")
        rows.append((text, label.strip()))
    return pd.DataFrame(rows, columns=["text", "emotion"])


# ISEAR's EMOT codes (the codebook), checked against its Field1 names
ISEAR_EMOTIONS = {"1": "joy", "2": "fear", "3": "anger", "4": "sadness", "5": "disgust",
                  "6": "shame", "7": "guilt"}


def load_isear(path: str | os.PathLike) -> pd.DataFrame:
    """Manifest of ISEAR: ``text``, ``emotion`` and ``subject`` (the respondent's ``ID``).

    ISEAR may not be redistributed (research, non-commercial), so nothing is bundled.

    Parameters
    ----------
    path : path
        ``isear.csv`` (``|``-separated, a header line), or the folder holding it.

    Returns
    -------
    DataFrame
        One row per line of the file, in file order: ``text`` (``SIT`` as in the file, with
        the ``á`` the distributed file has where the questionnaire had line breaks),
        ``emotion`` (``Field1``: joy, fear, anger, sadness, disgust, shame, guilt) and
        ``subject`` (``ID``, a string: each respondent described up to seven situations, so
        group cross-validation by it).

    Raises
    ------
    ValueError
        Naming the file and line, for a line with fewer fields than the header, or whose
        ``Field1`` name disagrees with its ``EMOT`` code.
    """
    path = Path(path).expanduser()
    if path.is_dir():
        path = path / "isear.csv"
    if not path.is_file():
        raise FileNotFoundError(f"ISEAR: {path} does not exist")
    lines = _lines(path)
    header = lines[0].split("|")
    missing = [c for c in ("ID", "EMOT", "Field1", "SIT") if c not in header]
    if missing:
        raise ValueError(f"{path}: line 1 is not ISEAR's header: it lacks "
                         f"{counted(len(missing), 'column')}, {missing}")
    sit, n_after = header.index("SIT"), len(header) - header.index("SIT") - 1
    col = {c: header.index(c) for c in ("ID", "EMOT", "Field1")}
    rows = []
    for i, line in enumerate(lines[1:], 2):
        if not line.strip():
            continue
        fields = line.split("|")
        if len(fields) < len(header):
            raise ValueError(f"{path}: line {i} has {len(fields)} '|'-separated fields, the "
                             f"header {len(header)}")
        emotion = fields[col["Field1"]]
        if ISEAR_EMOTIONS.get(fields[col["EMOT"]]) != emotion:
            raise ValueError(f"{path}: line {i}: Field1 {emotion!r} disagrees with EMOT code "
                             f"{fields[col['EMOT']]!r}")
        text = "|".join(fields[sit:len(fields) - n_after])
        rows.append((text, emotion, fields[col["ID"]]))
    return pd.DataFrame(rows, columns=["text", "emotion", "subject"])


__all__ = ["GOEMOTIONS_SAMPLE_DIR", "ISEAR_EMOTIONS", "load_carer", "load_goemotions",
           "load_isear"]
