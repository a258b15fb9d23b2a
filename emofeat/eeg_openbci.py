"""OpenBCI GUI recordings (``OpenBCI-RAW-*.txt``): the text files the OpenBCI GUI writes.

Read here from their public description (the GUI's own files and the board docs); no code of
OpenBCI's is used. A file begins with comment lines starting with ``%``::

    %OpenBCI Raw EXG Data            (GUI 5; "%OpenBCI Raw EEG Data" before)
    %Number of channels = 8          (GUI 4 and 5; absent in the oldest files)
    %Sample Rate = 250 Hz            ("250.0 Hz" in older files)
    %Board = OpenBCI_GUI$BoardCytonSerial

Then either a header line and the rows (GUI 4 and 5)::

    Sample Index, EXG Channel 0, ..., EXG Channel 7, Accel Channel 0, ..., Timestamp, ...

or, in the older files, the rows alone, laid out as their comment lines say
(``%First Column = SampleIndex``, ``%Last Column = Timestamp``, ``%Other Columns = EEG
data in microvolts followed by Accel Data (in G) interleaved with Aux Data``): the sample
index, the EEG channels, three accelerometer columns, and a time of day.

The ``EXG Channel`` columns are the electrodes, in microvolts; the sample index,
accelerometer, digital, analog, timestamp, marker and ``Other``/``Not Used`` columns are
other signals, read only when picked. The rate is the header's (the board's clock): the
timestamps are the computer's arrival times of packets, not sample times.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import numpy as np

from ._wording import names_shown
from .columns import exact_floats
from .errors import EEGReadError, EmptyInputError, InputError
from .table import _is_number_text as _is_number

if TYPE_CHECKING:
    from .eeg_input import EEGRecording

#: the prefix of the electrode columns of an OpenBCI GUI file (GUI 4 and 5), and the names
#: given to the EEG columns of an older file without a header line
EXG_PREFIX = "EXG Channel "
_RATE = re.compile(r"^%\s*Sample\s*Rate\s*=\s*([0-9]+(?:\.[0-9]*)?)\s*Hz", re.IGNORECASE)
_COUNT = re.compile(r"^%\s*Number\s+of\s+channels\s*=\s*([0-9]+)", re.IGNORECASE)
_LAST_TIME = re.compile(r"^%\s*Last\s+Column\s*=\s*Timestamp", re.IGNORECASE)
#: the accelerometer columns the older files hold after the EEG (x, y, z, in g)
OLD_ACCEL_COLUMNS = 3


def is_openbci(source: str) -> bool:
    """Whether the text file ``source`` begins as an OpenBCI GUI recording: a first line
    starting with ``%`` (the GUI's comment lines; a CSV's header never does)."""
    try:
        with open(source, encoding="utf-8-sig", errors="replace") as f:
            first = f.readline(4096)
    except OSError:
        return False
    return first.lstrip().startswith("%")


def _comments(source: str) -> tuple[list[str], str | None]:
    """The leading ``%`` lines of ``source`` and its first other non-blank line (None: none)."""
    lines: list[str] = []
    with open(source, encoding="utf-8-sig", errors="replace") as f:
        for text in f:
            text = text.strip()
            if text.startswith("%"):
                lines.append(text)
            elif text:
                return lines, text
    return lines, None


def _header_rate(source: str, comments: list[str]) -> float:
    for line in comments:
        got = _RATE.match(line)
        if got:
            rate = float(got.group(1))
            if not rate > 0:
                raise InputError(source, f"its rate line {line!r} gives {rate:g} Hz, where a "
                                 "rate above 0 is needed")
            return rate
    raise InputError(source, "an OpenBCI GUI file without its rate: no '%Sample Rate = ... Hz' "
                     f"line among its {len(comments)} '%' lines")


def _old_names(source: str, comments: list[str], first: list[str]) -> list[str]:
    """The column names of an older file's rows (no header line): the sample index, the EEG
    channels (``%Number of channels``, else every column between the index and the three
    accelerometer columns before the time of day: the first column that is no number, or
    the last where the file says its last column is the time), the rest."""
    n_cols = len(first)
    declared = next((int(m.group(1)) for m in map(_COUNT.match, comments) if m), None)
    # the time of day ("15:31:23.878"); some files add a number after it (Unix time)
    time_at = next((i for i in range(1, n_cols) if not _is_number(first[i])), None)
    if time_at is None and any(_LAST_TIME.match(line) for line in comments):
        time_at = n_cols - 1
    end = n_cols if time_at is None else time_at  # the EEG and accelerometer columns end
    n_eeg = end - 1 - OLD_ACCEL_COLUMNS if declared is None else declared
    if not 0 < n_eeg <= end - 1:
        said = (f"the {declared} EEG channels its '%Number of channels' line declares"
                if declared is not None else
                "an EEG channel besides the accelerometer and time columns")
        raise InputError(source, f"an OpenBCI GUI file whose rows of {n_cols} columns cannot "
                         f"hold {said} after the sample index")
    names = ["Sample Index", *(f"{EXG_PREFIX}{k}" for k in range(n_eeg))]
    names += [f"Accel Channel {k}" for k in range(min(OLD_ACCEL_COLUMNS, end - len(names)))]
    names += [f"Other {k}" for k in range(end - len(names))]
    if time_at is not None:
        names.append("Timestamp (Formatted)")
        names += ["Timestamp" if k == 0 else f"Other {end + k}"
                  for k in range(n_cols - len(names))]
    return names


def read_openbci(
    source: str, picks: Any, ids: dict, exclude: tuple[str, ...]
) -> EEGRecording:
    """An OpenBCI GUI recording (module docstring) as an :class:`EEGRecording` of its
    ``EXG Channel`` columns (or the columns ``picks`` names), in microvolts, at the rate of
    its ``%Sample Rate`` line.

    Raises
    ------
    InputError
        No ``%Sample Rate`` line; rows too short for the channels the file declares.
    EmptyInputError
        No rows, or no ``EXG Channel`` column (and nothing picked).
    EEGChannelError
        A pick or an ``exclude`` that names no column of the file.
    """
    import pandas as pd

    from .eeg_input import (
        EEGRecording,
        _coerce_channel,
        _excluded,
        _without_excluded,
        picked_columns,
        without_cut_row,
    )

    comments, first = _comments(source)
    rate = _header_rate(source, comments)
    if first is None:
        raise EmptyInputError(source, "an OpenBCI GUI file with no rows after its "
                              f"{len(comments)} '%' lines")
    cells = [c.strip() for c in first.split(",")]
    header = not _is_number(cells[0])  # "Sample Index, EXG Channel 0, ..." (GUI 4 and 5)
    try:
        # index_col=False: rows with more fields than the header line (a header written
        # without the 'Marker Channel' its rows hold) made pandas take the sample index as
        # the index and shift every column left: EXG Channel 0 read EXG Channel 1's samples
        df = pd.read_csv(source, skiprows=len(comments), header=0 if header else None,
                         skipinitialspace=True, low_memory=False, encoding="utf-8-sig",
                         index_col=False, **exact_floats())
    except Exception as exc:
        raise EEGReadError(source, f"cannot read the OpenBCI GUI file's rows "
                           f"({type(exc).__name__}: {exc})") from exc
    df = without_cut_row(source, df)  # the GUI stopped while writing a row
    if header:
        df.columns = [str(c).strip() for c in df.columns]
    else:
        df.columns = _old_names(source, comments, cells)
    columns = list(df.columns)
    excluded = _excluded(source, columns, exclude)
    if picks is None or isinstance(picks, str):
        chans = [c for c in columns if c.upper().startswith(EXG_PREFIX.upper())]
        if not chans:
            raise EmptyInputError(source, f"an OpenBCI GUI file without '{EXG_PREFIX}...' "
                                  f"columns (columns: {names_shown(columns)})")
        chans = _without_excluded(source, chans, excluded, picks)
    else:
        chans = _without_excluded(source, picked_columns(source, columns, picks), excluded,
                                  picks)
    if len(df) == 0:
        raise EmptyInputError(source, "an OpenBCI GUI file with no rows of samples")
    data = np.vstack([_coerce_channel(source, c, df[c]).to_numpy() for c in chans])
    return EEGRecording(np.ascontiguousarray(data, dtype=np.float64), rate,
                        tuple(chans), source, ids)


def refuse_other_text(source: str, extensions: Sequence[str]) -> None:
    """Refuse a ``.txt`` file given as EEG that is no OpenBCI GUI recording, saying what
    the EEG readers read."""
    raise EEGReadError(source, "a .txt file is read as EEG only as an OpenBCI GUI recording "
                       "(its first lines '%OpenBCI Raw EXG Data', '%Sample Rate = ... Hz'); "
                       f"this one is not: EEG files are {', '.join(extensions)} or such a .txt")
