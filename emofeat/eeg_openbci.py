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
import warnings
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import numpy as np

from ._wording import clock_seconds, counted, names_shown
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
_BOARD = re.compile(r"^%\s*Board\s*=\s*(.*)$", re.IGNORECASE)
#: the Cyton's sample index is the board's one-byte packet counter: it counts 0..255 and wraps,
#: by 1 a sample (Cyton, 250 Hz), by 2 with the Daisy (16 channels at 125 Hz: a sample is a
#: Cyton packet and a Daisy packet)
INDEX_MODULUS = 256
#: the ADS1299's (Cyton, Daisy) input limits in microvolts at each gain it can be set to
#: (1, 2, 4, 6, 8, 12, 24; 24 the default): its 24-bit codes are ``code * 4.5 V / gain /
#: (2**23 - 1)`` (OpenBCI's Cyton data format, BrainFlow's conversion), so the highest code
#: 2**23 - 1 is ``4.5 V / gain`` (+187,500 uV at gain 24) and the lowest, -2**23, that times
#: ``2**23 / (2**23 - 1)``; an input beyond them gives those codes (TI's ADS1299 data sheet).
#: ``(gain, top, bottom)``; a sample within :data:`RAIL_CODES` codes of one is clipped
ADS1299_GAINS = (1, 2, 4, 6, 8, 12, 24)
ADS1299_RAILS_UV = tuple(
    (g, 4.5e6 / g, -4.5e6 / g * 2**23 / (2**23 - 1)) for g in ADS1299_GAINS
)
#: how near an end a written sample is that end, in codes of its gain: the file holds
#: rounded microvolts (2 decimals are up to 0.224 code at gain 24, less at the others), and
#: neither the code next to the end (1 code away) nor, at the top ends, another gain's
#: samples: a gain-h code lies ``gcd(g, h) / h`` codes of gain g or more from gain g's top
#: (2**23 - 1 shares no factor with the gains), a third of a code at the nearest (gain 6's
#: code 6,291,455 at gain 8's top: 562,499.978 uV, written to 2 decimals 562,499.98, 0.298
#: code of gain 8 away, which a tolerance of 0.3 took for that end). So 0.25: above 2
#: decimals' rounding, under a third of a code less that rounding (0.259 at gain 8). The
#: bottom ends are ``-2**23`` codes, so where ``g / gcd(g, h)`` is a power of two one code
#: of gain h is gain g's bottom exactly (-2**22 at gain 12 and -2**21 at gain 6 are gain
#: 24's -187,500.02 uV, -6,291,456 at gain 6 is gain 8's): a sample there is taken for
#: clipped, one code among 2**24, the file not saying the gain
RAIL_CODES = 0.25


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


def _board(comments: list[str]) -> str:
    """The ``%Board = ...`` line's board (``OpenBCI_GUI$BoardCytonSerial``), else ``''``."""
    return next((m.group(1).strip() for m in map(_BOARD.match, comments) if m), "")


#: how much shorter (s) than a loss's least count the timestamps may show it and still be
#: arrival times that tell its turns of the counter: the chunked delivery's jitter, tens of
#: ms; a file whose times were written per row, without the gaps, shows each loss as none
STAMP_SLACK = 0.1


def packet_losses(
    source: str, index: np.ndarray, board: str = "", first_line: int = 1,
    same_as_before: np.ndarray | None = None, stamps: np.ndarray | None = None,
    rate: float | None = None, cuts: Sequence[int] = (), lines: np.ndarray | None = None,
    impedance: tuple[int, int] = (0, 0),
) -> tuple[tuple[int, ...], tuple[float, ...], tuple[str, ...]]:
    """The rows after each packet loss of an OpenBCI recording, found in its sample index
    (the breaks of the recording: the samples on either side are not contiguous in time),
    and the time of each gap-free stretch's first sample on the board's clock, the samples
    lost counted in (:func:`stretch_clock`), with one
    :class:`~emofeat.eeg_input.EEGReadWarning` naming the file, the losses (the first by
    its line: ``first_line`` is the file's line of the first row) and the samples lost,
    with their fraction.

    The index is the Cyton's packet counter (:data:`INDEX_MODULUS`): it steps by 1 a sample
    (by 2 with the Daisy), so a step of another size is a loss of packets the board sent
    and the computer never received (Bluetooth or radio). The counter wraps at 256, so a
    loss is known modulo 256 samples (128 with the Daisy): the count is the least one. A
    Daisy row that repeats the previous row's index *and* its channels 1-8 (a Cyton+Daisy
    sample whose odd packet was lost: BrainFlow writes it with the previous row's index and
    channels 1-8) is no loss: said in the same warning, kept, not cut
    (:func:`_judged_steps`). Any other step of 0 is a loss of a whole turn of the counter
    (255 samples, 127 with the Daisy: a radio dropout of about a second), cut.
    A Ganglion's index (BLE, through BrainFlow) numbers its packets of two samples, each
    written on two rows (:func:`_ganglion_steps`): a packet number that does not follow
    the one before (in its turn of 200 samples, or 201 with firmware 2's one-sample packet
    0 at every turn) is a loss, as a packet number repeated a turn later. A Ganglion's
    impedance rows (packet numbers 201-205, :func:`ganglion_impedance_rows`) are left out by
    the reader before: where they were, the recording is cut (``cuts``), the stretch after
    timed by the ``Timestamp`` column (the board streamed no EEG while it measured the
    impedance; the packet number may start again after it), and the packets on either side
    are judged each in their own stretch. An index that is neither
    (values past 255 or not whole; one that wraps before 254; a step of neither 1 nor 2 in
    most rows; a Ganglion's index of one row a sample, as over WiFi) is not judged: no
    break, no warning.

    Parameters
    ----------
    source : str
        The file, named in the warning.
    index : ndarray of float
        The sample index column, one value a row.
    board : str
        The ``%Board`` line's board (``""``: none).
    first_line : int
        The file's line of the first row.
    same_as_before : ndarray of bool, optional
        Per row after the first: whether its channels 1-8 (``EXG Channel 0-7``) equal the
        previous row's exactly; ``None``: not known (no step of 0 is then a repeat).
    stamps : ndarray of float, optional
        The ``Timestamp`` column (the computer's arrival times, Unix seconds), which tells
        how many turns of the counter a loss took (:func:`stretch_clock`).
    rate : float, optional
        The ``%Sample Rate``; without it (or ``stamps``) a loss counts its least samples.
    cuts : sequence of int
        Rows (of ``index``) after an impedance check whose rows were left out: breaks that
        are no loss, timed by ``stamps`` (none: the stretch after follows the one before).
    lines : ndarray of int, optional
        The file's line of each row (rows were left out); ``None``: from ``first_line`` on.
    impedance : (int, int)
        The impedance rows left out and the file's line of the first, for the warning.

    Returns
    -------
    breaks : tuple of int
        The row after each loss, sorted: the recording's breaks.
    stretch_starts : tuple of float
        Seconds from the first sample at which each stretch begins (empty without a loss;
        none without ``rate``).
    untimed_breaks : tuple of str
        Per break, what it is where the ``Timestamp`` column did not tell its length (``"at
        least 44 samples lost at 2.2 s"``): the stretches after it begin at
        ``stretch_starts`` at the earliest (:attr:`EEGRecording.untimed_breaks`); empty
        where every break was timed.
    """
    cuts = sorted(int(c) for c in cuts)
    line_of = (lines.tolist() if lines is not None
               else list(range(first_line, first_line + index.size)))
    if index.size < 3 and not cuts and not impedance[0]:
        return (), (), ()
    with np.errstate(invalid="ignore"):
        whole = bool(index.size and np.all(np.isfinite(index))
                     and np.all(index == np.round(index)) and index.min() >= 0)
    ganglion = _ganglion_steps(index, cuts) if whole and index.size >= 3 else None
    repeats: list[int] = []
    step = 1
    if ganglion is not None or cuts:
        losses, least, turn = ganglion or ([], [], 2 * GANGLION_PACKETS)
        counter = ("the Ganglion's packet number, by 1 a packet of 2 samples (rows), "
                   f"{turn} samples a turn" + (
                       " with the one-sample packet 0 of firmware 2"
                       if turn > 2 * GANGLION_PACKETS else ""))
    else:
        # a counter that wraps before 254 (ids 1..200, as a Ganglion's compressed packets
        # are numbered) is not the Cyton's, whose index reaches 255 (254 with the Daisy)
        # each cycle
        if ("ganglion" in board.lower() or not whole or index.max() >= INDEX_MODULUS
                or (index.size > 2 * INDEX_MODULUS and index.max() < INDEX_MODULUS - 2)):
            return (), (), ()
        steps = np.diff(index.astype(np.int64)) % INDEX_MODULUS
        step = int(np.bincount(steps, minlength=3).argmax())
        if step not in (1, 2) or 2 * int(np.count_nonzero(steps == step)) <= steps.size:
            return (), (), ()
        odd = np.flatnonzero(steps != step)
        if not odd.size:
            return (), (), ()
        losses, repeats, least = _judged_steps(
            steps, odd, step, same_as_before if step == 2 else None)
        turn = INDEX_MODULUS // step
        counter = f"the board's counter, 0-255 by {step}"
    if not losses and not repeats and not cuts and not impedance[0]:
        return (), (), ()
    # an impedance check's cut: no samples lost that the counter tells (least 0), the time
    # the stamps tell counted in samples one by one (a turn of 1)
    order = sorted([(b, c, turn, True) for b, c in zip(losses, least, strict=True)]
                   + [(b, 0, 1, False) for b in cuts])
    breaks = [o[0] for o in order]
    counts, told = stretch_clock(index.size, breaks, [o[1] for o in order],
                                 [o[2] for o in order], rate, stamps)
    lost = sum(c for c, o in zip(counts, order, strict=True) if o[3])
    checked = [c for c, o in zip(counts, order, strict=True) if not o[3]]
    total = index.size + lost
    starts: tuple[float, ...] = ()
    untimed: tuple[str, ...] = ()
    if breaks and rate:
        edges = [0, *breaks]
        at = np.cumsum([0, *(b - a + c for a, b, c in zip(edges[:-1], edges[1:], counts,
                                                          strict=True))])
        starts = tuple((at / float(rate)).tolist())
        if not told:
            # a loss's count is its least (modulo a turn), a check's time none: where the
            # samples after it lie on the clock is not known (the starts after it are the
            # earliest they can be), said where a manifest segment would lie there
            ended = [at[k] + (b - a) for k, (a, b) in enumerate(zip(edges[:-1], breaks,
                                                                    strict=True))]
            untimed = tuple(
                (f"at least {counted(c, 'sample')} lost at {clock_seconds(e / rate)} s"
                 if o[3] else f"an impedance check at {clock_seconds(e / rate)} s whose "
                 "length is not known (no Timestamp column of arrival times)")
                for c, o, e in zip(counts, order, ended, strict=True))
    said = []
    if impedance[0]:
        n_rows, line = impedance
        where = "the recording not cut (they lie before or after its EEG rows)"
        if cuts:
            # every stretch after a check, not only the next, is early by its length
            span = (f"{sum(checked) / rate:.3g} s in all, told by the Timestamp column"
                    if told and rate else (
                        "its length not known: no Timestamp column of arrival times, so "
                        "the stretches after it are timed as if it took no time"
                        if len(cuts) == 1 else
                        "their lengths not known: no Timestamp column of arrival times, so "
                        "the stretches after them are timed as if they took no time"))
            where = f"the recording cut at {counted(len(cuts), 'impedance check')} ({span})"
        said.append(
            f"{counted(n_rows, 'impedance row', 'impedance rows')} (packet numbers 201-205, "
            f"the first at line {line}: the electrodes' impedance, which the Ganglion sends "
            "instead of EEG while the GUI checks it; the rows' EXG columns hold no samples) "
            f"left out, and {where}")
    if losses:
        many = (f"{counted(lost, 'sample')} lost of {total} ({100 * lost / total:.2g} %; "
                "the turns of the counter told by the Timestamp column)" if told else
                f"at least {counted(lost, 'sample')} lost of {total} "
                f"({100 * lost / total:.2g} %)")
        said.append(
            f"{counted(len(losses), 'packet loss', 'packet losses')} in its sample index "
            f"({counter}; the first at line "
            f"{line_of[losses[0]]}): {many}; the recording is cut at each loss, so that "
            "no window spans one (a row per gap-free stretch, numbered in 'epoch', timed on "
            + ("the board's clock with the samples lost counted in)" if told else
               # the counter tells a loss modulo a turn: the times after it are the
               # earliest, said so that a user aligning events with them knows
               "the board's clock with the least samples lost counted in: the stretches "
               "after a loss start at the earliest they can, their windows' start/end "
               "earlier than the samples' by whole turns of the counter "
               f"({_turn_words(turn, rate)}) where more packets were lost"
               # a stretch after a check is early by the check's length, no whole turn;
               # after several, by all of theirs before it
               + ("" if not cuts else ", and after an impedance check by its unknown length"
                  if len(cuts) == 1 else
                  ", and after impedance checks by their unknown lengths")
               + "; a Timestamp column of arrival times would tell)"))
    if repeats:
        said.append(
            f"{counted(len(repeats), 'row repeats', 'rows repeat')} the previous row's "
            f"sample index (the first at line {line_of[repeats[0]]}): no sample is "
            "missing there, " + (
                "the row of a Cyton+Daisy sample whose odd (Cyton) packet was lost, which "
                "BrainFlow writes with the previous row's index and samples of channels 1-8 "
                "(EXG Channel 0-7; channels 9-16 are the row's own); kept, not cut"
                if step == 2 else "kept, not cut"))
    from .eeg_input import EEGReadWarning

    warnings.warn(f"{source}: " + "; and ".join(said), EEGReadWarning, stacklevel=5)
    return tuple(breaks), starts, untimed


def _turn_words(turn: int, rate: float | None) -> str:
    """A turn of the counter in samples and, at a known rate, seconds: ``256 samples,
    1.024 s``."""
    return f"{turn} samples" + (f", {clock_seconds(turn / rate)} s" if rate else "")


#: a Ganglion's packet numbers in one turn: 1-100 (18-bit packets, with the accelerometer)
#: or 101-200 (19-bit) after the uncompressed packet 0 with firmware 2, 0-99 or 100-199 with
#: firmware 3 (OpenBCI's Ganglion data format; BrainFlow's ganglion decoder writes the
#: number on both rows of a packet)
GANGLION_PACKETS = 100


def _ganglion_steps(index: np.ndarray, cuts: Sequence[int] = ()
                    ) -> tuple[list[int], list[int], int] | None:
    """The rows after each packet loss of a Ganglion's sample index, the samples lost at
    least at each, and the samples of a turn of its packet number; ``None`` where the index
    is no Ganglion's. The Ganglion sends 200 samples a second in BLE packets of two
    (delta-compressed), numbered (the ``Byte ID``), and BrainFlow writes a packet's number
    on both its rows, so the index is a number twice a row pair. Taken for one where its
    values are 0-200 and most runs of one value are two rows long.

    Firmware 3 numbers the packets 0-99 (or 100-199): a turn of 100 packets, 200 samples.
    Firmware 2 (OpenBCI_Ganglion_Library: its sample counter runs 0-200, and at 0 it sends
    the uncompressed packet 0 of one sample) numbers them 1-100 (or 101-200) after a packet
    0 of one row at every turn: ``0, 1, 1, ..., 100, 100, 0, 1, 1, ...``, a turn of 201
    samples; a file is read so where most runs of 100 (200) are followed by one row of 0.
    Each packet's first
    sample has its place in the turn; a packet follows the one before where its place is
    that one's plus its samples, else the samples between are lost (a missing 0 between 100
    and 1 is one sample); a run of one number longer than its packet is that packet again a
    whole turn later, the turn less the packet lost between. ``cuts`` are rows after an
    impedance check (its rows left out): the packets on either side are judged in their
    own stretch, none against the other, and the packets next to a cut may be cut short."""
    iv = index.astype(np.int64)
    if iv.max() > 2 * GANGLION_PACKETS:
        return None
    cut = np.zeros(iv.size, dtype=bool)
    cut[[c for c in cuts if 0 < c < iv.size]] = True
    firsts = np.r_[0, np.flatnonzero((np.diff(iv) != 0) | cut[1:]) + 1]
    lengths = np.diff(np.r_[firsts, iv.size])
    # the file's first and last packet may be cut, and those next to an impedance check
    whole_run = np.ones(firsts.size, dtype=bool)
    whole_run[[0, -1]] = False
    at_cut = np.flatnonzero(cut[firsts])
    whole_run[at_cut] = False
    whole_run[at_cut - 1] = False
    inner = lengths[whole_run]
    if inner.size < 2 or 2 * int(np.count_nonzero(inner == 2)) <= inner.size:
        return None
    values = iv[firsts]
    # firmware 2's turn ends at packet 100 (200), then the one row of packet 0; a file of
    # firmware 3 never steps from 100 or 200 to 0 (its turns end at 99 and 199), nor does
    # one numbered 1-100 after a single packet 0 at its start
    ends = np.flatnonzero((values[:-1] > 0) & (values[:-1] % GANGLION_PACKETS == 0))
    lone_zero = (values[ends + 1] == 0) & (lengths[ends + 1] == 1)
    firmware2 = 2 * int(np.count_nonzero(lone_zero)) > ends.size
    if firmware2:
        turn = 2 * GANGLION_PACKETS + 1
        size = np.where(values == 0, 1, 2)
        place = np.where(values == 0, 0, 2 * ((values - 1) % GANGLION_PACKETS) + 1)
    else:
        turn = 2 * GANGLION_PACKETS
        size = np.full(values.size, 2)
        place = 2 * (values % GANGLION_PACKETS)
    gap = (place[1:] - place[:-1] - size[:-1]) % turn  # samples missing before run j + 1
    gap[cut[firsts[1:]]] = 0  # an impedance check between: no packet follows another there
    at = np.flatnonzero(gap) + 1
    losses = firsts[at].tolist()
    least = gap[at - 1].tolist()
    # a run longer than its packet: the same packet again a turn later (rare: a loop)
    for j in np.flatnonzero(lengths > size).tolist():
        a, n, k = int(firsts[j]), int(lengths[j]), int(size[j])
        for b in range(a + k, a + n, k):
            losses.append(b)
            least.append(turn - k)
    if len(losses) > len(at):
        order = np.argsort(losses, kind="stable")
        losses = [losses[i] for i in order]
        least = [least[i] for i in order]
    return losses, least, turn


#: a Ganglion's impedance packets: ids 201-204 the channels 1-4, 205 the reference, each
#: an ASCII value ending in 'Z' (OpenBCI's "Ganglion Data Format"), which BrainFlow writes as
#: a row of its own, the id as the packet number, the EXG columns 0 and the values in its
#: resistance columns (the GUI's 'Other' columns); sent instead of EEG while the impedance
#: is checked ('z' ... 'Z')
GANGLION_IMPEDANCE_IDS = (201, 205)


def ganglion_impedance_rows(index: np.ndarray, board: str = "") -> np.ndarray | None:
    """The rows of a Ganglion file that are impedance packets (packet numbers 201-205,
    :data:`GANGLION_IMPEDANCE_IDS`), as a mask; ``None`` where there are none or the index
    is no Ganglion's (BLE): where the other rows' index is not one
    (:func:`_ganglion_steps`), or, with no other row, where the ``%Board`` line does not
    name the Ganglion. A Cyton's counter passes 201-205 on every turn, one row each: its
    index is no Ganglion's (runs of one row), so its rows stay."""
    with np.errstate(invalid="ignore"):
        if not (index.size and np.all(np.isfinite(index))
                and np.all(index == np.round(index))):
            return None
        lo, hi = GANGLION_IMPEDANCE_IDS
        mask = (index >= lo) & (index <= hi)
    if not mask.any():
        return None
    rest = index[~mask]
    if not rest.size:
        return mask if "ganglion" in board.lower() else None
    if rest.min() < 0 or rest.size < 3:
        return None
    kept = np.flatnonzero(~mask)
    # the rows after each block of impedance rows, among the kept ones
    cuts = np.flatnonzero(np.diff(kept) > 1) + 1
    return mask if _ganglion_steps(rest, cuts.tolist()) is not None else None


#: seconds of rows on either side of a loss whose stamps tell its arrival times
STAMP_SECONDS = 4.0
#: the quantile of those rows' projected stamps taken as the arrival (stamps are late only)
STAMP_QUANTILE = 0.1


def stretch_clock(n_rows: int, losses: Sequence[int], least: Sequence[int],
                  turn: int | Sequence[int], rate: float | None, stamps: np.ndarray | None
                  ) -> tuple[list[int], bool]:
    """The samples lost at each loss of an OpenBCI recording, and whether its timestamps
    told them: the counter gives each loss modulo a turn (``turn`` samples: 256, 128 with
    the Daisy, 200 or 201 of a Ganglion), ``least`` the least count; the ``Timestamp``
    column (arrival times, Unix seconds) gives the time that passed, so each loss takes the
    count of its class nearest that time. The time is read next to the loss: the arrival of
    the row before it is the 10th percentile (:data:`STAMP_QUANTILE`) of each row's stamp
    plus the samples from it to that row, over the rows of up to 4 s before the loss
    (:data:`STAMP_SECONDS`; no more than the stretches on either side), that of the row
    after it likewise from the rows after. Host stamps are only ever late (a chunk's rows
    take its arrival, a stalled host stamps the rows it reads late with the stall's end), so
    a low quantile, not the median, is the arrival: a stall of 1.2 s right after a loss of
    10 samples made the median of a second's rows tell 266 (review R2 of 06d1c6b); the
    latency drops out, and a board's clock off its nominal rate (the ADS1299's internal
    oscillator, +-0.5 %) errs by that fraction of 2 s (2.5 samples at 250 Hz), not of the
    stretches' lengths (a median over each whole stretch, as until session 54, erred by the
    fraction of half of them: 276 samples lost told where 20 were, 2-minute stretches of a
    board 0.5 % slow). A turn is 1.024 s at 250 Hz (125 Hz with
    the Daisy), about 1 s of a Ganglion, so a count is told right while the stamps err by
    under half a second. Stamps that are missing, not Unix seconds, or that show some loss
    more than :data:`STAMP_SLACK` shorter than its least count (a time written per row,
    without the gaps: no arrival times) tell nothing: each loss counts its least samples.
    ``turn`` may be given per loss (a Ganglion's impedance check: least 0, a turn of 1, so
    the samples its time took)."""
    counts = list(least)
    turns = [turn] * len(counts) if isinstance(turn, int) else list(turn)
    if not counts or not rate or stamps is None or stamps.size != n_rows:
        return counts, False
    with np.errstate(invalid="ignore"):
        if not (np.all(np.isfinite(stamps)) and 1e9 <= stamps.min()
                and stamps.max() < 1e10):
            return counts, False
    edges = [0, *losses, n_rows]
    for k in range(len(losses)):
        a, b, c = edges[k], edges[k + 1], edges[k + 2]
        m = max(1, min(b - a, c - b, int(STAMP_SECONDS * rate)))
        # the arrival times of rows b - 1 (the last before the loss) and b (the first after);
        # a low quantile, not the median: host stamps are only ever late (chunks, stalls)
        last = float(np.quantile(stamps[b - m:b] + np.arange(m - 1, -1, -1) / rate,
                                 STAMP_QUANTILE))
        first = float(np.quantile(stamps[b:b + m] - np.arange(m) / rate, STAMP_QUANTILE))
        # samples that passed between them beyond the one step and the least loss: turns
        extra = (first - last) * rate - 1 - least[k]
        if extra < -STAMP_SLACK * rate:
            return list(least), False
        counts[k] += turns[k] * int(round(max(extra, 0.0) / turns[k]))
    return counts, True


def _judged_steps(steps: np.ndarray, odd: np.ndarray, step: int,
                  same_as_before: np.ndarray | None = None
                  ) -> tuple[list[int], list[int], list[int]]:
    """The rows after each packet loss, the rows that repeat the previous row's index, and
    the samples lost at least at each loss, of a sample index whose ``steps`` (modulo 256)
    are ``step`` but at the positions ``odd``.

    A step of 0 of a row whose channels 1-8 equal the row's before (``same_as_before``; a
    Daisy file's) is a repeated index, not a loss: BrainFlow joins a Cyton+Daisy sample's odd
    packet (channels 1-8, whose counter value the row takes) to the even one (9-16) and
    writes the row when the even one arrives, so an odd packet lost leaves a row with the
    previous row's index and channels 1-8 (its ``read_thread``): the row is the sample's
    time, and the step after it (4, as from N-2 to N+2) counts from the index the row stood
    for. Any other step is a loss of packets: the least count of samples (the counter wraps;
    ceil: a Daisy file that lost one packet of a pair steps by 3, a sample short), a step of
    0 without the repeated channels a whole turn of the counter (a radio dropout: 255
    samples, 127 with the Daisy; review R2 of d42b40d, which had taken every step of 0 for a
    repeat and joined the two sides of such a dropout)."""
    losses: list[int] = []
    repeats: list[int] = []
    lost: list[int] = []
    pending = 0
    before = -2
    for k in odd.tolist():
        if k != before + 1:
            pending = 0  # a step of the counter's own size came between
        before = k
        size = int(steps[k])
        if size == 0 and same_as_before is not None and bool(same_as_before[k]):
            repeats.append(k + 1)
            pending += 1
            continue
        # counted from the index the repeated rows before it stood for
        shifted = pending > 0
        size = (size - pending * step) % INDEX_MODULUS
        pending = 0
        if size == step or (shifted and size == 0):
            continue
        lost.append(-(-((size - step) % INDEX_MODULUS) // step))
        losses.append(k + 1)
    return losses, repeats, lost


def warn_openbci_clipping(source: str, data: np.ndarray, names: Sequence[str],
                          board: str = "") -> None:
    """Warn (:class:`~emofeat.readers.EEGChannelWarning`, as a Muse file's clipping is) of
    an OpenBCI Cyton or Daisy recording's ``EXG`` channels with samples at the ADS1299's
    input limits (:data:`ADS1299_RAILS_UV`, any gain, within :data:`RAIL_CODES`): naming
    the file and each channel
    with its count and fraction. Not for a Ganglion (another converter, other limits)."""
    if "ganglion" in board.lower():
        return
    from .eeg_input import warn_clipped

    tols = [RAIL_CODES * 4.5e6 / gain / (2**23 - 1) for gain, _, _ in ADS1299_RAILS_UV]
    # every end is at least 187,500 uV from 0: only samples that far out are compared with
    # the 14 ends (over the whole array, 0.7-0.9 s for an hour of Cyton data; NaN is none)
    floor = min(min(top, -bottom) - tol
                for (_, top, bottom), tol in zip(ADS1299_RAILS_UV, tols, strict=True))
    with np.errstate(invalid="ignore"):
        far = np.abs(data) >= floor
    v = data[far]
    hit = np.zeros(v.shape, dtype=bool)
    for (_, top, bottom), tol in zip(ADS1299_RAILS_UV, tols, strict=True):
        hit |= (np.abs(v - top) <= tol) | (np.abs(v - bottom) <= tol)
    at_rail = np.zeros(data.shape, dtype=bool)
    at_rail[far] = hit
    judged = [n.upper().startswith(EXG_PREFIX.upper()) for n in names]
    warn_clipped(source, at_rail, names, judged,
                 "the Cyton's input limits (+-187,500 uV at gain 24, +-4.5 V / gain", 6)


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
    index = pd.to_numeric(df[columns[0]], errors="coerce").to_numpy(dtype=np.float64)
    board = _board(comments)
    # the file's line of the first row: after the '%' lines and the header line
    first_line = len(comments) + header + 1
    lines = None
    cuts: list[int] = []
    impedance = (0, 0)
    checked = ganglion_impedance_rows(index, board)
    if checked is not None:
        # a Ganglion's impedance rows hold no EEG (their EXG columns are 0): left out, the
        # recording cut where they were
        at = np.flatnonzero(checked)
        if checked.all():
            raise EmptyInputError(source, f"an OpenBCI Ganglion file whose {len(df)} rows "
                                  "are all impedance rows (packet numbers 201-205, written "
                                  "while the GUI checks the electrodes' impedance): no EEG "
                                  "samples")
        impedance = (int(at.size), first_line + int(at[0]))
        kept = np.flatnonzero(~checked)
        cuts = (np.flatnonzero(np.diff(kept) > 1) + 1).tolist()
        lines = first_line + kept
        df = df.iloc[kept].reset_index(drop=True)
        index = index[kept]
    data = np.vstack([_coerce_channel(source, c, df[c]).to_numpy() for c in chans])
    # BrainFlow's repeated Daisy row carries the previous row's channels 1-8 exactly (read
    # only where the index repeats a value: no other file asks for it)
    first8 = [c for c in columns if c.upper().startswith(EXG_PREFIX.upper())][:8]
    same = None
    if first8 and len(df) > 1 and bool(np.any(np.diff(index) == 0)):
        exg = np.vstack([pd.to_numeric(df[c], errors="coerce").to_numpy(dtype=np.float64)
                         for c in first8])
        same = np.all(exg[:, 1:] == exg[:, :-1], axis=0)
    # the computer's arrival times, which tell how many turns of the counter a loss took
    stamps = (pd.to_numeric(df["Timestamp"], errors="coerce").to_numpy(dtype=np.float64)
              if "Timestamp" in df.columns else None)
    breaks, starts, untimed = packet_losses(source, index, board, first_line, same, stamps,
                                            rate, cuts, lines, impedance)
    warn_openbci_clipping(source, data, chans, board)
    return EEGRecording(np.ascontiguousarray(data, dtype=np.float64), rate,
                        tuple(chans), source, ids, breaks, stretch_starts=starts,
                        untimed_breaks=untimed)


#: how to read a BrainFlow file, said where one is refused
BRAINFLOW_HOW = (
    "read it with BrainFlow, which knows the board's columns: data = "
    "DataFilter.read_file(path); eeg = data[BoardShim.get_eeg_channels(board_id)] (uV); "
    "sfreq = BoardShim.get_sampling_rate(board_id); and give (eeg, sfreq, names) to the "
    "extractors, or save mne.io.RawArray(eeg * 1e-6, mne.create_info(names, sfreq, 'eeg')) "
    "as a FIF file")


def brainflow_refusal(source: str, first: str) -> None:
    """Refuse a BrainFlow file (``DataFilter.write_file``, the OpenBCI GUI's
    ``BrainFlow-RAW_*.csv``: one row per sample, the board descriptor's columns
    tab-separated, no header line) whose first line is ``first``, saying why and how to read
    it; and another table of tab-separated numbers with no header, saying what it is;
    return where ``first`` is neither. Which columns of a BrainFlow file are EEG, their order
    and the rate depend on the board (BrainFlow's board id), which the file does not record:
    guessing them would give features of the packet counter, the accelerometer or the
    timestamps, or of the right columns at a wrong rate.

    Raises
    ------
    InputError
        ``first`` is a BrainFlow row (:func:`~emofeat._manifest_sniff.is_brainflow_row`), or
        two or more tab-separated numbers.
    """
    from ._manifest_sniff import BRAINFLOW_MIN_COLUMNS, is_brainflow_row, numbers_row

    n_columns = numbers_row(first)
    if not n_columns:
        return
    if not is_brainflow_row(first):
        # a labels or events table, or a BrainFlow file cut to a few columns: no time the
        # reader can trust, no names
        raise InputError(source, f"a table of {n_columns} tab-separated numbers a row with "
                         "no header line, and no BrainFlow file (which has at least "
                         f"{BRAINFLOW_MIN_COLUMNS} columns, one a Unix time in seconds): no "
                         "EEG input; an EEG CSV has a header line naming its channels and a "
                         "time column")
    raise InputError(source, f"a BrainFlow file (DataFilter.write_file: {n_columns} "
                     "tab-separated numbers a row, no header line): which columns are EEG, "
                     "and the rate, depend on the board, which the file does not record; "
                     + BRAINFLOW_HOW)


def refuse_other_text(source: str, extensions: Sequence[str]) -> None:
    """Refuse a ``.txt`` file given as EEG that is no OpenBCI GUI recording, saying what
    the EEG readers read (a BrainFlow file named ``.txt``: :func:`brainflow_refusal`)."""
    try:
        with open(source, encoding="utf-8-sig", errors="replace") as f:
            first = f.readline(1 << 16)
    except OSError:
        first = ""
    brainflow_refusal(source, first)
    raise EEGReadError(source, "a .txt file is read as EEG only as an OpenBCI GUI recording "
                       "(its first lines '%OpenBCI Raw EXG Data', '%Sample Rate = ... Hz'); "
                       f"this one is not: EEG files are {', '.join(extensions)} or such a .txt")
