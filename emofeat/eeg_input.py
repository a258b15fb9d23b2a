"""EEG input handling as pure functions: recordings, windows with ids, filtering, baseline.

An :class:`EEGRecording` is one continuous recording (or one trial of a corpus) with its rate,
channel names, where it came from and the identity columns of its rows (``subject``,
``trial``, labels). :func:`window_recording` cuts it into fixed windows that carry those ids,
so that trial-wise and subject-wise protocols keep the windows of one trial together;
windows never straddle a gap in the recording (Muse exports have some).

Readers here: :func:`read_recording` (EDF, BDF, GDF, BrainVision, FIF, EEGLAB through MNE,
and CSV with a timestamp column, Mind Monitor's exports among them; OpenBCI GUI files,
:mod:`emofeat.eeg_openbci`). Corpus readers (DEAP,
DREAMER, SEED, the Muse mental-state recordings) are in :mod:`emofeat.datasets.eeg_corpora`.

Units: MNE formats come in volts as MNE stores them unless ``units="uV"``; CSV and corpus
files keep their own unit (microvolts for Muse, DEAP, DREAMER, SEED). Absolute band power
and differential entropy depend on the unit (a constant offset in log features); relative
power, asymmetry differences of log features, Hjorth mobility and complexity do not.
"""

from __future__ import annotations

import contextlib
import contextvars
import functools
import os
import re
import warnings
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any

import numpy as np

from ._libraries import used
from ._thread_warnings import caught as thread_caught
from ._wording import counted, names_shown, noun
from .columns import exact_floats
from .errors import (
    ChannelError,
    EEGReadError,
    EmptyInputError,
    InputError,
    NonFiniteInputError,
    TooShortError,
)
from .signal import masked_as_nan

if TYPE_CHECKING:
    from .readers import EstimatedRate

MNE_EXTENSIONS = (".edf", ".bdf", ".gdf", ".vhdr", ".fif", ".set", ".fif.gz")
TIME_COLUMNS = ("timestamps", "timestamp", "time")
#: text recordings read by :func:`read_recording` itself: CSV with a time column (Muse
#: exports), and OpenBCI GUI files (``OpenBCI-RAW-*.txt``, :mod:`emofeat.eeg_openbci`)
TEXT_EXTENSIONS = (".csv", ".txt")
#: the MNE channel types the EEG readers take from a file or an MNE object, unless told
#: otherwise: EEG and the other recordings of the brain's electrical potential (sEEG, ECoG,
#: DBS; ``csd``: EEG after a current source density transform). Not MEG (a magnetic field,
#: in tesla), fNIRS, nor EOG, ECG, EMG, stim or misc channels: MNE's ``"data"`` pick took
#: the MEG channels of a MEG+EEG FIF file as EEG.
EEG_CHANNEL_TYPES = ("eeg", "csd", "seeg", "ecog", "dbs")
#: first words of a channel label ("EOG VEOG_I", "ECG ECG1", "DIG DTRIG") that name another
#: signal than EEG: EDF and GDF labels are "<type> <name>" (EDF+), and MNE, which reads
#: every EDF channel as EEG, leaves the type in the label
OTHER_SIGNAL_WORDS = frozenset({"EOG", "ECG", "EKG", "EMG", "ERG", "RESP", "TEMP", "SAO2",
                                "SPO2", "BIO", "MISC", "STIM", "TRIG", "DIG", "EVENT"})
#: what a channel's name begins with when it holds another signal than EEG, besides
#: :data:`OTHER_SIGNAL_WORDS`: MNE's names of the channel types that are not EEG (``eog``,
#: ``ecg``, ``emg``, ``stim``, ``misc``, ``resp``, ``bio``, ``temp``, ``gsr``, ``syst``,
#: ``eyegaze``, ``pupil``), the names MNE's EDF/BDF reader types ``stim`` itself
#: (``Status``, ``Trigger``) and its stim channels' (``STI 014``, ``STI101``), event and
#: marker columns (muse-lsl's ``Marker0``), motion sensors, and MEG (``MEG 0113``: an MNE
#: Raw of MEG and EEG written with ``to_data_frame``). Matched on the name's leading letters,
#: case aside, whole (``Marker0``, ``Trigger``, ``STI 014``, ``Accel Channel 0``)
OTHER_SIGNAL_NAME_WORDS = frozenset({
    *OTHER_SIGNAL_WORDS, "MEG", "GSR", "SYST", "EYEGAZE", "PUPIL", "STI", "STATUS", "TRIGGER",
    "TRIGGERS", "MARKER", "MARKERS", "EVENTS", "ACC", "ACCEL", "GYRO", "ACCELEROMETER",
    "GYROSCOPE", "MOT",
    # TUH's labels of its eye (LOC, ROC), photic stimulation, inter-burst interval, burst
    # and suppression channels ("EEG LOC-REF", "PHOTIC-REF", "IBI", "BURSTS", "SUPPR")
    "LOC", "ROC", "PHOTIC", "IBI", "BURSTS", "SUPPR",
    # Emotiv exports' sample counter, interpolation flag, contact quality and battery
    # ("EEG.Counter", "EEG.Interpolated", "EEG.RawCq", "CQ.AF3", "EEG.Battery")
    "COUNTER", "INTERPOLATED", "RAWCQ", "CQ", "BATTERY",
    # BioSemi's ERGO inputs of the AD-box (response switches or sensors, floating when
    # nothing is plugged in; BioSemi's FAQ on trigger signals): "Ergo-Left", "Ergo-Right"
    # of MNE's BioSemi EDF test file, read as two more EEG channels until session 52
    "ERGO",
    # BioSemi ActiView's plethysmograph input ("Plet", beside "Erg1", "Resp", "Temp");
    # Muse exports' "Elements" column (blink, jaw-clench events as text, mostly empty),
    # read as an EEG channel of NaN samples until session 52
    "PLET", "ELEMENTS",
    # a reference electrode's own channel by its long name ("Reference"; "REF_EEG" below)
    "REFERENCE"})
#: the reference electrode's own channel, by the form amplifiers' files give its label:
#: "REF_EEG REF_EEG" of MNE's EDF test file with a stim channel (the reference's potential
#: against the amplifier's ground, a DC offset of 176 mV there), any label beginning "REF_":
#: no scalp site's EEG, which BIDS types REF apart from EEG; read as an EEG channel until
#: session 54. A bare "Ref" stays EEG: easycap-M43's montage places an electrode so named, and MNE's
#: add_reference_channels names the reference site so, a scalp site once re-referenced; a
#: channel referenced to it ("EEG Fp1-REF") keeps its site's leading letters
_REFERENCE_CHANNEL = re.compile(r"REF_", re.IGNORECASE)
#: EOG, ECG and EMG leads: a name whose leading letters begin with one of these, after up to
#: two letters of the lead's place (``EOG2``, ``VEOG``, ``HEOGL``, BioSemi's ``LEOG``,
#: ``REOG``, ``IEOG``, ``ECG1``, ``EMGchin``), which no electrode name of the 10-20 or 10-5
#: systems is
OTHER_SIGNAL_LEADS = ("EOG", "ECG", "EKG", "EMG")
_LEADING_LETTERS = re.compile(r"[^\W\d_]+")
#: a label's leading word naming its recording rather than its signal: TUH's and Nihon
#: Kohden's EDF labels ("EEG LOC-REF", "EEG EKG1-REF", "POL EKG"), Emotiv's columns
#: ("EEG.Counter", "EEG.AF3"); the rule reads the rest of the name
_RECORDING_WORD = re.compile(r"(?:EEG|POL)[ .](?=\S)")
#: the first word of a camel-case name ("MarkerIndex", "AccX", "GyroX")
_CAMEL_WORD = re.compile(r"[^\W\d_][^\W\d_A-Z]*")
_LEAD = re.compile(rf"[A-Z]{{0,2}}(?:{'|'.join(OTHER_SIGNAL_LEADS)})")


def other_signal_name(name: Any, *, aux: bool = True) -> bool:
    """Whether a channel (or CSV column) named ``name`` holds another signal than EEG, by its
    name: an EOG, ECG or EMG lead (:data:`OTHER_SIGNAL_LEADS`), a trigger, stim, marker or
    event channel, a motion sensor (:data:`OTHER_SIGNAL_NAME_WORDS`), an EDF+ label's type
    word (``EOG VEOG_I``, :data:`OTHER_SIGNAL_WORDS`), and with ``aux`` (a CSV's columns) an
    auxiliary input, a name holding ``AUX`` (Muse's ``Right AUX``). A leading ``EEG`` or
    ``POL`` word names the recording (``EEG EKG1-REF``, ``POL EKG``, ``EEG.Counter``): the
    rest of the name is read; a camel-case name is read on its first word too
    (``MarkerIndex``, ``AccX``). A CSV carries no channel
    types and MNE types every channel of an EDF or BDF file EEG (BioSemi's ``LEOG``,
    ``REOG``, ``IEOG`` among them), so :func:`eeg_picks` and the CSV reader leave such
    channels out, as MNE leaves out the EOG, ECG, EMG, stim and misc channels it knows: they
    gave band powers of blinks, heartbeats and trigger codes beside the EEG's. (An MNE
    channel of an EEG type named ``AUX1`` stays EEG: an amplifier's auxiliary input may
    hold an electrode, and a file MNE reads may say so by its type.)"""
    plain = _nfc(name).strip()
    recording = _RECORDING_WORD.match(plain.upper())
    if recording:
        plain = plain[recording.end():]
    text = plain.upper()
    if aux and "AUX" in text:
        return True
    if _REFERENCE_CHANNEL.match(text):
        return True
    letters = _LEADING_LETTERS.match(text)
    word = letters.group(0) if letters else ""
    if word in OTHER_SIGNAL_NAME_WORDS or _LEAD.match(word) is not None:
        return True
    # a camel-case name's first word ("MarkerIndex", "AccX"): only where a lower-case
    # letter is followed by a capital, so "Fp1", "FCz" and "AFp3h" keep their letters
    camel = _CAMEL_WORD.match(plain)
    return (camel is not None and camel.end() < len(plain) and plain[camel.end()].isupper()
            and camel.group(0).upper() in OTHER_SIGNAL_NAME_WORDS)


#: names of MNE epochs files (MNE's naming convention, gzipped or not): read with
#: ``mne.read_epochs``, every other FIF file with ``mne.io.read_raw``
EPOCHS_FIF_SUFFIXES = ("-epo.fif", "_epo.fif", "-epo.fif.gz", "_epo.fif.gz")


def is_epochs_fif(path: str | os.PathLike) -> bool:
    """Whether ``path`` names an MNE epochs file (:data:`EPOCHS_FIF_SUFFIXES`, any case).

    The one rule :func:`read_recording` and the extractors' reader
    (:func:`emofeat.readers.read_eeg_file`) share: ``mne.io.read_raw`` refuses an epochs
    file ("No raw data"), so a name one of them reads as epochs must be read so by both.
    """
    return os.fspath(path).lower().endswith(EPOCHS_FIF_SUFFIXES)


#: a channel of an EEG input cannot be analysed (flat, NaN, missing): the core's ChannelError
EEGChannelError = ChannelError

#: Unicode categories a channel name may not hold: control (Cc), format (Cf: zero-width
#: joiner and space, soft hyphen, byte order mark, direction marks), surrogates (Cs), line
#: and paragraph separators (Zl, Zp). None shows in a feature column's name, so
#: ``alpha_db_rel_power_AF3`` of one recording and of another would look equal and not join.
INVISIBLE_CATEGORIES = frozenset(("Cc", "Cf", "Cs", "Zl", "Zp"))

#: code points a channel name may not hold besides those categories, as ``(first, last)``:
#: Unicode's Default_Ignorable_Code_Point (DerivedCoreProperties.txt; equal to the ``regex``
#: module's ``\p{Default_Ignorable_Code_Point}``, tested), which fonts draw as nothing, and
#: U+2800 BRAILLE PATTERN BLANK, a blank glyph. Not all are Cf: the combining grapheme joiner
#: U+034F and variation selectors (Mn), the Hangul fillers U+115F, U+1160, U+3164, U+FFA0 (Lo)
INVISIBLE_RANGES = (
    (0x00AD, 0x00AD), (0x034F, 0x034F), (0x061C, 0x061C), (0x115F, 0x1160),
    (0x17B4, 0x17B5), (0x180B, 0x180F), (0x200B, 0x200F), (0x202A, 0x202E),
    (0x2060, 0x206F), (0x2800, 0x2800), (0x3164, 0x3164), (0xFE00, 0xFE0F),
    (0xFEFF, 0xFEFF), (0xFFA0, 0xFFA0), (0xFFF0, 0xFFF8), (0x1BCA0, 0x1BCA3),
    (0x1D173, 0x1D17A), (0xE0000, 0xE0FFF),
)


def _invisible(char: str) -> bool:
    """Whether ``char`` shows as nothing (:data:`INVISIBLE_CATEGORIES`,
    :data:`INVISIBLE_RANGES`)."""
    import unicodedata

    code = ord(char)
    return (unicodedata.category(char) in INVISIBLE_CATEGORIES
            or any(first <= code <= last for first, last in INVISIBLE_RANGES))


def column_channel_names(names: Sequence[Any], source: str) -> tuple[Any, ...]:
    """Channel names as feature columns carry them: in Unicode's composed form (NFC).

    A name written with a combining mark (``'Fe\u0301'``, as macOS and some exports write
    it) and the same name composed (``'F\xe9'``) look alike and are one channel: both become
    the composed form, so that the columns of two recordings join. ASCII names (nearly all)
    and names that are not strings are kept as they are; a subclass of ``str`` (numpy's
    ``str_``) becomes a ``str``.

    Raises
    ------
    ChannelError
        Naming ``source`` and the channel, its code points shown: a name holding an invisible
        character (:data:`INVISIBLE_CATEGORIES`), whose columns would look like those of the
        name without it and not join them; two names that are one in NFC.
    """
    names = tuple(names)
    # a str subclass (numpy's str_, as .mat files give names) takes the checked way
    if all(not isinstance(n, str) or (type(n) is str and n.isascii() and n.isprintable())
           for n in names):
        return names
    names = tuple(str(n) if isinstance(n, str) else n for n in names)
    got, problem = _composed_names(names)
    if problem:
        raise EEGChannelError(source, problem)
    return got


@functools.lru_cache(maxsize=64)
def _composed_names(names: tuple[Any, ...]) -> tuple[tuple[Any, ...], str | None]:
    """``(names in NFC, None)``, or ``(names, the problem)`` (:func:`column_channel_names`;
    a montage's names are checked once, not for every window)."""
    import unicodedata

    for name in names:
        if not isinstance(name, str):
            continue
        hidden = [c for c in name if _invisible(c)]
        if hidden:
            what = ", ".join(f"U+{ord(c):04X} ({unicodedata.name(c, 'a control character')})"
                             for c in dict.fromkeys(hidden))
            shown = "".join(c for c in name if c not in hidden)
            return names, (f"channel name {ascii(name)} holds {what}, invisible: a feature "
                           f"column named from it would look like one of channel {shown!r} "
                           "and not join it; rename the channel (mne's rename_channels, or "
                           "the file's header)")
    composed = tuple(unicodedata.normalize("NFC", n) if isinstance(n, str) else n
                     for n in names)
    first: dict[Any, Any] = {}
    for name, nfc in zip(names, composed, strict=True):
        if nfc in first and first[nfc] != name:
            return names, (f"channel names {ascii(first[nfc])} and {ascii(name)} are one "
                           f"name ({nfc!r}) in Unicode's composed form (NFC), which feature "
                           "columns carry: rename one of them")
        first.setdefault(nfc, name)
    return composed, None


def _nfc(name: Any) -> str:
    """``name`` as a feature column spells it (NFC), to match a pick or an exclusion given
    in the spelling ``rec.ch_names`` shows against a file's own spelling."""
    import unicodedata

    return unicodedata.normalize("NFC", str(name))


def _spelled_as(picks: Any, names: Sequence[Any]) -> Any:
    """``picks`` with each name that is not one of ``names`` but equals one in NFC given as
    that name's spelling (MNE's ``pick`` matches names exactly); anything else unchanged."""
    # MNE's other picks (None, a slice, an int, an array of indices) name no channel
    if not isinstance(picks, (str, list, tuple, np.ndarray)) or (
            isinstance(picks, np.ndarray) and picks.dtype.kind not in "OSU"):
        return picks
    by_nfc = {_nfc(n): n for n in names}
    if isinstance(picks, str):  # a name, or MNE's type or group ("eeg", "data")
        return picks if picks in names else by_nfc.get(_nfc(picks), picks)
    return [by_nfc.get(_nfc(p), p) if isinstance(p, str) and p not in names else p
            for p in picks]


class EEGReadWarning(UserWarning):
    """An EEG file was read, but its samples may not be what it claims: a truncated file
    (MNE infers the length from the file size), a possibly corrupt one; or an MNE object or
    file holds projectors not applied to its data (:func:`warn_unapplied_projectors`). Names
    the file or object."""


#: MNE warnings worth passing on: they say samples may be missing or wrong (MNE's other
#: warnings, about header details, are left out, as its info messages are)
_MNE_DATA_WARNINGS = re.compile(r"file size|corrupt|truncat", re.IGNORECASE)


@dataclass(frozen=True)
class EEGRecording:
    """A continuous EEG recording or one trial of a corpus.

    Attributes
    ----------
    data : ndarray of float64, shape (n_channels, n_times)
        A ``numpy.ma`` masked array given is read once, when the recording is made: its
        masked samples as NaN samples (float64, integers too), one masking nothing as its
        data. The ``baseline`` too.
    sfreq : float
        Sampling rate in Hz: as a file header declares it, or, for a CSV, estimated from the
        timestamps (an :class:`~emofeat.readers.EstimatedRate`, which the extractors take as
        their nominal ``sfreq`` within :func:`~emofeat.readers.estimated_rate_rtol`, in
        every form: the recording itself, :meth:`as_tuple`, ``(data, sfreq)``).
    ch_names : tuple of str
    source : str
        File path (and variable, for corpus files), used in every error message.
    ids : mapping
        Identity and label columns that every window of this recording carries
        (``subject``, ``trial``, ``session``, ``valence``, ...).
    breaks : tuple of int
        Sample indices where the recording has a gap (a window never spans one); kept
        sorted, once each, strictly inside the recording (a break at its start or end, or
        outside it, separates nothing).
    baseline : ndarray or None, shape (n_channels, n_baseline)
        The recording's baseline (rest) segment, when the corpus has one.
    joins : bool
        The breaks are joins that took no sample (the ``EDGE boundary`` annotations of raws
        joined by :func:`mne.concatenate_raws`): the recording's time runs through them, as
        MNE's ``raw.times`` does, so a manifest segment is placed on it. False where a break
        is a gap (a CSV's timestamp gaps, ``BAD_ACQ_SKIP`` holes, packet losses: samples
        missing, so no manifest segment is placed across them).
    stretch_starts : tuple of float
        The seconds at which each gap-free stretch begins (the first, then one per break),
        on the recording's one clock, which runs through its gaps: MNE's ``raw.times``
        through ``BAD_ACQ_SKIP`` holes, a CSV's timestamps from its first, an OpenBCI file's
        sample counter with the samples lost counted in. Its windows' and rows' ``start``
        and ``end`` are on that clock. Empty: no such clock (the epochs of an epochs file,
        breaks given without it, or replaced, ``dataclasses.replace(rec, breaks=...)``, to
        another count of stretches): each stretch is timed from its own start.
    untimed_breaks : tuple of str
        Per break, ``""`` where the clock knows how long the gap there took, else what it
        is, said where a manifest segment would lie after it (an OpenBCI file's ``"at least
        44 samples lost at 2.2 s"``, whose count the counter gives modulo a turn and no
        ``Timestamp`` column told; an impedance check without one): the stretches after
        such a break begin at ``stretch_starts`` only at the earliest, so no manifest segment
        is placed there; their windows' ``start``/``end`` are those lower bounds (in order,
        their lengths true), as the reader's warning says. Empty: every break timed (or no
        clock). Given with ``stretch_starts`` of the breaks, one text a break: another
        count, or a plain string, is refused (``ValueError``), not taken as every break
        timed.
    read_by_mne : bool
        MNE decided its samples: decoded them (:func:`read_recording` of an EDF, BDF, GDF,
        BrainVision, FIF or EEGLAB file; kept by ``dataclasses.replace``) or filtered them
        (:func:`filter_recording` where a filter ran, whose filters are MNE's design; since
        session 56):
        a run given the recording names MNE in its provenance. False for a recording
        built from arrays or read from a CSV, unfiltered (not compared, not shown).
    """

    data: np.ndarray
    sfreq: float
    ch_names: tuple[str, ...]
    source: str
    ids: Mapping[str, Any] = field(default_factory=dict)
    breaks: tuple[int, ...] = ()
    baseline: np.ndarray | None = None
    joins: bool = False
    stretch_starts: tuple[float, ...] = ()
    untimed_breaks: tuple[str, ...] = ()
    read_by_mne: bool = field(default=False, compare=False, repr=False)

    def __post_init__(self) -> None:
        # the names its features' columns carry (composed form; invisible characters refused)
        names = column_channel_names(self.ch_names, self.source)
        if names is not self.ch_names:  # a tuple always (a list given), in NFC
            object.__setattr__(self, "ch_names", names)
        # masked samples are missing (NaN) samples, here once: window_recording,
        # filter_recording, as_tuple and the reader all take the data as it is held, and
        # NumPy's conversion keeps the values under a mask
        for name in ("data", "baseline"):
            given = getattr(self, name)
            data = masked_as_nan(given)
            if data is not given:
                object.__setattr__(self, name, data)
        if self.stretch_starts:
            starts = tuple(float(t) for t in self.stretch_starts)
            object.__setattr__(self, "stretch_starts", starts)
        untimed = self.untimed_breaks
        if not isinstance(untimed, str | bytes):
            untimed = tuple(untimed)
        if isinstance(untimed, str | bytes) or not all(isinstance(u, str) for u in untimed):
            # a plain string would be taken a character a break, None as the text "None"
            raise ValueError(f"{self.source}: untimed_breaks must be a tuple of str, one a "
                             "break ('' where the clock knows its length), got "
                             f"{untimed!r}")
        object.__setattr__(self, "untimed_breaks", tuple(untimed))
        if not self.breaks:
            self._check_stretch_starts()
            return
        # as window_starts and filter_recording take them: the runner cut the recording at
        # the breaks as given, and unsorted, repeated or edge ones made an empty stretch,
        # refused as "the recording has no samples"
        n = np.shape(self.data)[-1]
        given = [int(b) for b in self.breaks]
        if any(g != b for g, b in zip(given, self.breaks, strict=True)):
            raise ValueError(f"{self.source}: breaks must be sample indices (integers), "
                             f"got {self.breaks!r}")
        object.__setattr__(self, "breaks", tuple(sorted({b for b in given if 0 < b < n})))
        self._check_stretch_starts()

    def _check_stretch_starts(self) -> None:
        starts, untimed = self.stretch_starts, self.untimed_breaks
        if not starts:
            # said of the breaks on its clock: none without one
            object.__setattr__(self, "untimed_breaks", ())
            return
        if untimed and len(starts) == len(self.breaks) + 1 and len(untimed) != len(self.breaks):
            # emptied, every break would be taken as timed: segments placed after a break
            # whose length is not known
            raise ValueError(f"{self.source}: untimed_breaks must give one text for each "
                             f"of its {len(self.breaks)} breaks ('' where the clock knows "
                             f"its length), got {len(untimed)}: {untimed!r}")
        if len(starts) != len(self.breaks) + 1:
            # the times of the breaks the recording was read with: a copy whose breaks were
            # replaced without them (dataclasses.replace(rec, breaks=())) has no such clock
            object.__setattr__(self, "stretch_starts", ())
            object.__setattr__(self, "untimed_breaks", ())
        elif not np.all(np.isfinite(starts)) or np.any(np.diff(starts) <= 0):
            raise ValueError(f"{self.source}: stretch_starts must be one increasing, finite "
                             f"time a stretch, got {starts!r}")

    @property
    def n_times(self) -> int:
        return int(self.data.shape[1])

    @property
    def duration(self) -> float:
        return self.n_times / float(self.sfreq)

    def as_tuple(self) -> tuple[np.ndarray, float, tuple[str, ...]]:
        """``(data, sfreq, ch_names)``, the array input every EEG extractor takes (the
        recording itself is one too, cut at its ``breaks`` as its file is; the tuple is not
        cut)."""
        return self.data, self.sfreq, self.ch_names


# --------------------------------------------------------------------------- reading


def read_recording(
    path: str | os.PathLike,
    *,
    picks: str | Sequence[str] | None = None,
    units: str | None = None,
    ids: Mapping[str, Any] | None = None,
    gap_factor: float = 2.0,
    exclude: str | Sequence[str] | None = None,
) -> EEGRecording:
    """Read an EEG file into an :class:`EEGRecording`.

    Parameters
    ----------
    path : path
        EDF/BDF/GDF, BrainVision ``.vhdr``, FIF (raw, or epochs named ``-epo.fif`` or
        ``_epo.fif``, gzipped or not), EEGLAB ``.set`` (through MNE; one holding epochs,
        ``EEG.trials`` > 1, is read as epochs: the epochs of either are joined with a break
        between each), or a CSV with a ``timestamps``/``timestamp``/``time``
        column (Muse exports): numbers, in seconds, or a Mind Monitor export (its
        ``TimeStamp`` date-times, ``2021-05-01 12:34:56.789``; the recording of its
        ``RAW_TP9`` ... ``RAW_TP10`` columns as channels ``TP9`` ... ``TP10``, rows without
        a sample, its ``Elements`` markers, skipped), or an OpenBCI GUI recording
        (``OpenBCI-RAW-*.txt``, or such a file named ``.csv``: its first line starts with
        ``%``; :mod:`emofeat.eeg_openbci`): its ``EXG Channel`` columns in microvolts at
        its ``%Sample Rate`` line's rate, its other columns read only when picked.
    picks : str, list of str or None
        MNE formats: None (default) for the EEG channels as the extractors read them
        (:func:`eeg_picks`: the types in :data:`EEG_CHANNEL_TYPES`, not MEG, EOG, ECG,
        EMG, stim or misc channels; bad channels kept), or an MNE channel selection
        (``"eeg"``, ``"data"``, names). For CSV, a list of column names (default: every
        numeric column but the time, ``exclude`` and the columns named as other signals,
        :func:`other_signal_name`: ``EOG``, ``ECG2``, ``Trigger``, ``Marker0``,
        ``Right AUX``, read only when picked, as MNE leaves out channels of those types;
        for a Mind Monitor export its ``RAW_`` columns, and a pick may name an electrode,
        ``"TP9"`` for ``RAW_TP9``, or another
        column, ``"AUX_RIGHT"``). A name matches in the file's spelling or in NFC, as
        ``ch_names`` gives it.
    units : str or None
        MNE formats: ``"uV"`` to read microvolts (default volts, as MNE), or another
        sub-multiple of volts (``"mV"``, ``"nV"``; ``"µV"``, the Greek ``"μV"`` too). A CSV
        holds numbers without a unit (Muse exports: microvolts) and is read as they are:
        ``units`` given for one is a ``ValueError``.
    ids : mapping, optional
        Identity columns the recording's windows carry.
    gap_factor : float
        CSV: a timestamp step longer than ``gap_factor`` times the median step is a gap
        (a Mind Monitor export stamped per packet: a step over :data:`PACKET_GAP`).
    exclude : str, sequence of str or None
        Channels never read, left out of those ``picks`` selects, named as ``picks`` name
        them (the file's spelling, or without the blanks around it and in NFC; for a Mind
        Monitor export the column or the electrode, ``"RAW_TP9"`` or ``"TP9"``). For the
        files MNE reads, ``"bads"`` (a name no channel has) names the file's bad channels
        (``info["bads"]``), as in MNE. A name that matches no column or channel of the file
        is refused (:class:`EEGChannelError`, with the one it may mean where only case or
        blanks differ), except, in a CSV, the name of another signal
        (:func:`other_signal_name`: one holding ``AUX``, an EOG, ECG or EMG lead, a
        trigger, stim, marker or event column): such columns are never read as channels
        unless picked (Muse's unused ``Right AUX``, muse-lsl's ``Marker0``), so naming them
        is no error where a file lacks them. Default: nothing more.

    Raises
    ------
    EEGReadError
        Naming the file: missing, unreadable or corrupt (an :class:`InputError`).
    EmptyInputError
        An empty (0-byte) file, no channel, no rows; epochs with no epoch left (every one
        dropped, or left out by a selection or event_id), saying how many; a recording
        whose every sample lies under a ``BAD_ACQ_SKIP`` annotation.
    InputError
        Naming the file: no increasing timestamps, no time column; a Mind Monitor export
        with a stamp that is not a date-time, without ``RAW_`` columns or rows of samples
        (an :class:`EmptyInputError`), or under :data:`MIND_MONITOR_MIN_RATE` (recorded at
        an interval, its ``RAW_`` columns a sample of each).

    Warns
    -----
    EEGReadWarning
        The file was read, but MNE found it truncated or possibly corrupt (the warning names
        the file and gives MNE's words).
    EEGChannelWarning
        A CSV channel column with cells that are not numbers: they are read as NaN (the
        warning names the file, the column, how many cells and the first one's row).
    """
    source = os.fspath(path)
    ids = dict(ids or {})
    exclude = _exclude_names(exclude)
    check_file(source)
    if source.lower().endswith(TEXT_EXTENSIONS):
        from .eeg_openbci import is_openbci, read_openbci, refuse_other_text

        if units is not None:
            # it was ignored: units="V" gave a Muse file's microvolts as they are
            raise ValueError(f"{source}: units={units!r} applies to the files MNE reads; a "
                             "CSV's or OpenBCI GUI file's numbers carry no unit and are read "
                             "as they are (Muse exports, OpenBCI's EXG channels: "
                             "microvolts): leave units out, or scale the data")
        if is_openbci(source):  # '%' lines first: an OpenBCI GUI file, .txt or .csv
            return read_openbci(source, picks, ids, exclude)
        if source.lower().endswith(".txt"):
            refuse_other_text(source, (*MNE_EXTENSIONS, ".csv"))
        return _read_csv(source, picks, ids, gap_factor, exclude)
    if units is not None:
        units = _mne_units(units)
    try:
        import mne
    except ImportError as exc:  # pragma: no cover - depends on the install
        raise EEGReadError(source,
                           "reading EEG files needs MNE: pip install 'emofeat[eeg]'") from exc
    try:
        got = read_mne(source, epochs=is_epochs_fif(source))
        if isinstance(got, mne.BaseEpochs):  # an epochs FIF, an EEGLAB file of epochs
            ep = refuse_no_epochs(got, source)
            dropped = _mne_excluded(source, ep, exclude)
            ep.pick(eeg_picks(ep, source) if picks is None else _spelled_as(picks, ep.ch_names))
            _drop_excluded(source, ep, dropped, picks)
            # copy=False said: MNE 1.6 warned (FutureWarning) for the default it changed in
            # 1.7; the view is not written to (the epochs are joined into a new array)
            x = ep.get_data(units=units, copy=False)
            warn_unapplied_projectors(ep, ep.ch_names, source)
            n = x.shape[2]
            breaks = tuple(n * k for k in range(1, x.shape[0]))
            data = np.concatenate(list(x), axis=1)
            return EEGRecording(
                np.ascontiguousarray(data, dtype=np.float64),
                float(ep.info["sfreq"]),
                tuple(ep.ch_names),
                source,
                ids,
                breaks,
                read_by_mne=True,
            )
        raw = got
        dropped = _mne_excluded(source, raw, exclude)
        raw.pick(eeg_picks(raw, source) if picks is None else _spelled_as(picks, raw.ch_names))
        _drop_excluded(source, raw, dropped, picks)
    except InputError:
        raise
    except Exception as exc:
        raise EEGReadError(source, f"cannot read EEG ({type(exc).__name__}: {exc})"
                           + audio_file_hint(source)) from exc
    if not raw.ch_names:
        raise EmptyInputError(source, f"no channel matches picks={picks!r}")
    data = raw.get_data(units=units) if units else raw.get_data()
    warn_unapplied_projectors(raw, raw.ch_names, source)
    n_times = data.shape[-1]
    data, breaks, lead, starts = skip_cut(raw, data, source)
    return EEGRecording(
        np.ascontiguousarray(data, dtype=np.float64),
        float(raw.info["sfreq"]),
        tuple(raw.ch_names),
        source,
        ids,
        breaks,
        joins=bool(breaks) and data.shape[-1] == n_times,  # EDGE joins only: no sample cut
        stretch_starts=starts if breaks or lead else (),
        read_by_mne=True,
    )


def _mne_units(units: Any) -> str:
    """``units`` as MNE's ``get_data`` takes it, or a ``ValueError`` naming the parameter
    (MNE's own came after the file was read and named neither)."""
    if isinstance(units, str):
        # the Greek small mu (U+03BC) where MNE knows the micro sign (U+00B5): the two look
        # alike and keyboards give either
        units = units.replace("\u03bc", "\u00b5")
        if re.fullmatch("[munpf\u00b5]?V", units):
            return units
    raise ValueError(f"units={units!r}: give volts ('V') or a sub-multiple ('mV', 'uV', "
                     "'nV', ...)")


def refuse_no_epochs(inst: Any, source: str) -> Any:
    """Raise :class:`~emofeat.errors.EmptyInputError` naming ``source`` where ``inst`` is an
    MNE Epochs that holds no epoch (every one dropped: a rejection threshold too strict, a
    flat criterion; or left out by a selection, ``epochs[[]]``, or its ``event_id``), saying
    how many were dropped and left out. MNE's own words were a ``RuntimeError`` or
    ``RuntimeWarning`` of a method ("epochs.adding, dropping, or reordering channels() can't
    run because this Epochs-object is empty"), or "no samples (shape (0, 26, 301))".

    Returns
    -------
    object
        What to read: ``inst`` itself, or of an Epochs made with ``preload=False`` its
        loaded copy (:func:`loaded_epochs`), ``inst`` left as it was.
    """
    import mne

    if not isinstance(inst, mne.BaseEpochs):
        return inst
    inst = loaded_epochs(inst)
    if len(inst) > 0:
        return inst
    # "IGNORED": events not of the event_id asked for, or left out by a selection
    # (epochs[[]]): not dropped, and an Epochs emptied so was "0 epochs dropped"
    dropped = [d for d in inst.drop_log if d and d != ("IGNORED",)]
    ignored = sum(d == ("IGNORED",) for d in inst.drop_log)
    why = sorted({r for d in dropped for r in d})
    shown = ", ".join(why[:5]) + (", ..." if len(why) > 5 else "")
    said = [f"{counted(len(dropped), 'epoch')} dropped"
            + (f" (drop_log reasons: {shown})" if shown else "")] if dropped else []
    if ignored or not dropped:
        said.append(f"{ignored} left out by a selection or event_id")
    raise EmptyInputError(source, "no epoch is left: " + ", ".join(said))


#: within a run (:func:`epochs_loaded_once`): ``[the lazy Epochs, its loaded copy]`` last
#: loaded, or empty; ``None`` outside a run, where nothing is kept
_LAST_LOADED: contextvars.ContextVar[list | None] = contextvars.ContextVar(
    "emofeat_last_loaded_epochs", default=None)


def epochs_loaded_once(fn: Callable[..., Any]) -> Callable[..., Any]:
    """``fn`` (a run) with the loaded copy of the lazy Epochs it last read kept until the next
    one is read, or the run ends: keying an input, learning the channels from it and
    extracting it read a lazy Epochs from its Raw three times (MNE's ``get_data`` once).
    Only the last is kept, none across runs (the object may change between them). The
    reader takes the kept copy's samples in place where it reads all its channels
    (:func:`~emofeat.readers.mne_data`), so that the run's peak is a read's without the
    keeping; of an Epochs with other channels too (EOG, misc), EEG channels side by side
    are read in place too, others copied once beside the kept copy. A context variable: where a
    run's work goes to threads that do not see its context, they load as before."""

    @functools.wraps(fn)
    def run(*args: Any, **kwargs: Any) -> Any:
        token = _LAST_LOADED.set([])
        try:
            return fn(*args, **kwargs)
        finally:
            _LAST_LOADED.reset(token)

    return run


def loaded_epochs(inst: Any) -> Any:
    """An MNE Epochs with its data in memory: ``inst`` where it is, else its loaded copy,
    read from its Raw once (``copy().load_data()``), quietly (an empty one is said by
    :func:`refuse_no_epochs`).

    Within a run the copy is kept and handed back for the same ``inst``
    (:func:`epochs_loaded_once`): it and its samples must not be changed in place (no
    ``pick``, ``drop``, ``apply_function`` on it: the next read of ``inst`` in the run would
    get the changed copy; :func:`read_recording`'s ``pick`` is on an object of its own).

    The user's object is not touched: its ``drop_bad`` was run in place, and MNE 1.13's
    skips its reading where no rejection is asked for (no ``reject``/``flat``,
    ``reject_by_annotation=False``), so an epoch running past the recording's end stayed
    unmarked and the read after it failed ("could not broadcast input array from shape
    (32,271) into shape (32,301)"), the user's object left so (its ``get_data`` failed
    too). ``load_data`` reads as MNE's ``get_data`` does (the 13 BrainVision test events:
    11 epochs, the last two too short).
    """
    if getattr(inst, "preload", True):
        return inst
    held = _LAST_LOADED.get()
    if held and held[0] is inst:  # read again in the same run (epochs_loaded_once)
        return held[1]
    from mne.utils import use_log_level

    # load_data takes no verbose: its log lines and the warning of an empty one kept quiet
    with use_log_level("error"):
        loaded = inst.copy().load_data()
    if held is not None:
        held[:] = [inst, loaded]
    return loaded


def eeg_picks(inst: Any, source: str) -> list[int]:
    """The indices of the EEG channels (:data:`EEG_CHANNEL_TYPES`) of an MNE Raw or Epochs,
    in its order, the channels in ``info["bads"]`` kept (so that every recording of a
    montage has the same channels): the one rule of :func:`read_recording` and the
    extractors' reader. A channel named as another signal (:func:`other_signal_name`: an
    EDF+ label's type word, ``"ECG"``, ``"EOG VEOG_I"``, ``"ECG ECG1"``; an EOG, ECG or EMG
    lead, BioSemi's ``"LEOG"``; a trigger or marker channel; not ``AUX``, which keeps its
    type) is not EEG where its type is ``eeg`` (MNE types every channel of an EDF or BDF file
    EEG), as a CSV column so named; an sEEG, ECoG or DBS type is kept whatever the name.

    Raises
    ------
    EmptyInputError
        Naming ``source`` and the channel types it has (or, where every channel of an EEG
        type is labelled as another signal, those labels): no EEG channel.
    """
    types = inst.get_channel_types()
    # a channel of an EEG type labelled as another signal is not EEG: an EDF's EOG, ECG and
    # trigger channels gave band powers of blinks, heartbeats and trigger codes
    typed = [i for i, k in enumerate(types) if k in EEG_CHANNEL_TYPES]
    # only channels typed "eeg", the type MNE's EDF/BDF readers give every channel: an
    # explicit sEEG, ECoG or DBS type says what the contact is (sEEG shafts are named by
    # their place: TEMP1, ACC1, LEMG1)
    picks = [i for i in typed
             if types[i] != "eeg" or not other_signal_name(inst.ch_names[i], aux=False)]
    if not picks and typed:
        labels = [str(inst.ch_names[i]) for i in typed]
        more = f", ... ({len(labels)} in all)" if len(labels) > 10 else ""
        raise EmptyInputError(source, "no EEG (data) channel: its EEG-typed channels are "
                              f"labelled as other signals ({', '.join(labels[:10])}{more})")
    if not picks:
        raise EmptyInputError(source, f"no EEG (data) channel among its channel types "
                              f"{sorted(set(types))} (EEG channels are of the types "
                              f"{', '.join(EEG_CHANNEL_TYPES)})")
    return picks


def warn_unapplied_projectors(inst: Any, names: Sequence[str], source: str,
                              stacklevel: int = 2) -> None:
    """Warn (:class:`EEGReadWarning`, naming ``source``) where an MNE Raw or Epochs holds
    projectors that are not applied to the channels ``names`` read: ``get_data`` gives the
    data as stored, without them, while MNE applies them to Epochs (``proj=True``, its
    default). An average reference set with ``set_eeg_reference(projection=True)`` gave a
    Raw's band powers up to 12,000 times those of the Epochs made from it, without a word.
    The data are read as stored all the same (the features of a file do not change)."""
    read = set(names)
    idle = [str(p["desc"]) for p in inst.info["projs"]
            if not p["active"] and read & set(p["data"]["col_names"])]
    if idle:
        from mne import BaseEpochs

        # Epochs hold them unapplied only where made so: 'as MNE gives Epochs' read oddly there
        how = ("as these Epochs were made (proj=False or 'delayed')"
               if isinstance(inst, BaseEpochs) else
               "not as MNE gives Epochs (proj=True applies them)")
        warnings.warn(
            f"{source}: {noun(len(idle), 'projector')} {', '.join(map(repr, idle))} "
            f"{noun(len(idle), 'is', 'are')} not applied: its features are of the data as "
            f"stored, {how}; call apply_proj() first to analyse the projected data, or "
            "del_proj() to drop them",
            EEGReadWarning, stacklevel=stacklevel + 1)


def audio_file_hint(source: str) -> str:
    """What to say of an audio file given as EEG (a WAV or FLAC listed for an EEG set said
    only MNE's "Unsupported file type (.wav)"): that its kind of file is audio, and the
    audio sets. Said of the name's extension, not of the bytes (a text file named
    ``notes.wav`` is no audio file, but no EEG reader takes that name either)."""
    from .audio import AUDIO_EXTENSIONS

    ext = next((e for e in AUDIO_EXTENSIONS if source.lower().endswith(e)), None)
    if ext is None:
        return ""
    from .registry import list_sets

    names = [info.name for info in list_sets("audio").get("audio", [])]
    return (f"; a {ext} file is audio, not EEG: give it to an audio set "
            f"({', '.join(names)})")


def check_file(source: str) -> None:
    """Refuse what is not an EEG file to read before any reader sees it: a missing path, a
    folder or a named pipe (:func:`~emofeat.audio.check_regular_file`), an empty (0-byte)
    file (MNE's own words for the last are "Bad EDF file")."""
    from .audio import check_regular_file

    if check_regular_file(source, EEGReadError).st_size == 0:
        raise EmptyInputError(source, "the file is empty (0 bytes)")


def read_mne(source: str, *, epochs: bool = False):
    """``mne.io.read_raw`` (or ``mne.read_epochs``; ``mne.read_epochs_eeglab`` for an EEGLAB
    file of epochs) with the data loaded, quietly, except for what says the samples may be
    wrong.

    MNE reads a truncated EDF by inferring its length from the file size, and says so in a
    warning only; quieted entirely (``verbose="error"``), such a file would pass unnoticed.
    Its warnings that the file is truncated or corrupt, or that a BrainVision marker file
    was not found (the recording read without its annotations), are passed on as one
    :class:`EEGReadWarning` each, naming the file; the rest of what MNE says is not. (MNE
    1.6.1 raises ``FileNotFoundError`` for a missing marker file instead: not read.)

    A header that is a symbolic link (``rec.vhdr -> elsewhere/test.vhdr``, an EEGLAB
    ``.set`` whose ``.fdt`` stays beside the target) has its companion files looked for
    beside the link by MNE; where one is missing there, or the marker file is, the file is
    read through the link's target (the input keeps the link's name: the caller's). A
    companion that is a broken symbolic link (a DataLad or git-annex dataset whose content
    was not fetched) is said to be one, without that retry.

    Raises
    ------
    FileNotFoundError
        A companion file that is a broken symbolic link, saying where it points; a header
        that is a link whose companions are found neither beside it nor beside its target,
        saying where they were looked for.
    Exception
        MNE's own, for the caller to turn into an :class:`EEGReadError` naming the file.
    """
    # this thread's warnings only, every one (not warnings.catch_warnings(record=True),
    # which took in those of other threads, as a Dask worker's other shards, and could
    # leave the process's display pointing at its list)
    with thread_caught(always=True) as caught:
        through_target = False
        try:
            got = _mne_read(source, epochs)
        except FileNotFoundError as exc:
            _refuse_unfetched(source, exc)
            # a link itself, not a path through a linked folder (macOS /tmp, /home -> /gpfs),
            # whose companions are where MNE looked
            target = os.path.realpath(source)
            if not os.path.islink(source) or not os.path.isfile(target):
                raise  # no link, or a broken one: MNE's words name what is missing
            # what MNE said of the read that failed is not said of the file (its missing
            # marker file was told twice)
            del caught[:]
            through_target = True
            try:
                got = _mne_read(target, epochs)
            except FileNotFoundError as again:
                here = os.path.dirname(os.path.abspath(source))
                raise FileNotFoundError(
                    f"{source} is a symbolic link to {target}; a file that goes with it "
                    f"was looked for beside the link, in {here} ({exc}), and beside its "
                    f"target, in {os.path.dirname(target)} "
                    f"({again}): put the header's companion files beside one of them"
                ) from again
        said = list(caught)
        if (not through_target and os.path.islink(source) and _no_markers(said)
                and _marker_file_beside(os.path.realpath(source))):
            # the .vmrk beside the target only: read it there, where MNE finds it (where
            # none is there, or the file was read there, that read the recording again to
            # the same end)
            del caught[:]
            try:
                again = _mne_read(os.path.realpath(source), epochs)
            except Exception:  # noqa: BLE001 - the .eeg beside the link only: keep that read
                pass
            else:
                if not _no_markers(caught):
                    got, said = again, list(caught)
    for message, *_ in said:
        if _MNE_DATA_WARNINGS.search(message) or _NO_MARKERS.search(message):
            warnings.warn(f"{source}: {message}", EEGReadWarning, stacklevel=3)
    used("mne")  # read: the run's provenance names MNE (emofeat._libraries)
    return got


#: MNE's words for a BrainVision header whose marker file is missing (read without annotations)
_NO_MARKERS = re.compile(r"MarkerFile .* not found; no annotations")


def _no_markers(said: list) -> bool:
    return any(_NO_MARKERS.search(message) for message, *_ in said)


#: a BrainVision header's entry naming its marker file, read as MNE's configparser reads it
#: (the key in any case, ``=`` or ``:`` after it, the value stripped; CRLF lines)
_MARKER_ENTRY = re.compile(rb"^[ \t]*MarkerFile[ \t]*[=:][ \t]*([^\r\n]*?)[ \t]*\r?$",
                           re.M | re.I)


def _marker_file_beside(header: str) -> bool:
    """Whether a marker file that MNE reads for the BrainVision ``header`` is beside it: the
    one its ``MarkerFile`` entry names, or the header's name with ``.vmrk`` (MNE's fallback
    for a stale entry). ``True`` where the header cannot be read (MNE then tells)."""
    folder = os.path.dirname(header)
    names = [os.path.splitext(header)[0] + ".vmrk"]
    try:
        with open(header, "rb") as f:
            entry = _MARKER_ENTRY.search(f.read(1 << 16))
    except OSError:
        return True
    if entry and entry.group(1):
        names.append(os.path.join(folder, os.fsdecode(entry.group(1))))
    return any(os.path.isfile(name) for name in names)


def _refuse_unfetched(source: str, exc: FileNotFoundError) -> None:
    """Raise, where the companion MNE did not find is a broken symbolic link: a DataLad or
    git-annex entry whose content is not in this copy, which no other place would mend."""
    missing = exc.filename
    if not isinstance(missing, str) or not os.path.islink(missing):
        return
    try:
        points = os.readlink(missing)
    except OSError:
        return
    raise FileNotFoundError(
        f"{source}: a file that goes with it, {missing}, is a broken symbolic link to "
        f"{points} (its content is not in this copy: in a DataLad or git-annex dataset, "
        f"fetch it, e.g. datalad get {missing}, or git annex get {missing})") from exc


def _mne_read(source: str, epochs: bool):
    import mne

    if epochs:
        return mne.read_epochs(source, preload=True, verbose="warning")
    try:
        return mne.io.read_raw(source, preload=True, verbose="warning")
    except (TypeError, ValueError) as exc:
        # an EEGLAB file of epochs (EEG.trials > 1): read_raw refuses it, naming the reader
        # of epochs ("The number of trials is 3. It must be 1 for raw files. Please use
        # mne.io.read_epochs_eeglab ..."), which was the input's error
        if not (source.lower().endswith(".set") and "read_epochs_eeglab" in str(exc)):
            raise
    return mne.read_epochs_eeglab(source, verbose="warning")


def skip_cut(raw, data: np.ndarray, source: str = "<raw>"
             ) -> tuple[np.ndarray, tuple[int, ...], int, tuple[float, ...]]:
    """``data`` (``(..., n_times)`` of ``raw``) without the samples under its ``BAD_ACQ_SKIP``
    annotations, the breaks where they and its ``EDGE`` annotations were, the number of
    samples a hole took from the start (after which the data's time starts), and the time
    of each gap-free stretch's first sample on MNE's clock (``raw.times``, which runs
    through the holes; :attr:`EEGRecording.stretch_starts`).

    ``BAD_ACQ_SKIP`` annotations mark holes in discontinuous recordings (EDF+D, FIF skips,
    EGI, NSx): MNE fills them with zeros (FIF: "loaded as 0s"), which are not samples of the
    signal. A hole becomes a break between the stretches around it; an annotation of no
    duration is a break only. ``EDGE`` annotations (``EDGE boundary``, which
    :func:`mne.concatenate_raws` puts where one raw ends and the next begins) are breaks and
    take no sample: the two skip annotations of MNE's ``Raw.filter``
    (``skip_by_annotation=("edge", "bad_acq_skip")``), read as MNE reads them (a description
    starting so, in any case). A recording whose every sample lies under a ``BAD_ACQ_SKIP``
    annotation is an
    :class:`~emofeat.errors.EmptyInputError` naming ``source`` and saying so (it was "the
    recording has no samples (shape (2, 0))").
    """
    sfreq, n = raw.info["sfreq"], data.shape[-1]
    keep = np.ones(n, dtype=bool)
    cuts = []
    for a in raw.annotations:
        desc = str(a["description"]).upper()
        skip, edge = desc.startswith("BAD_ACQ_SKIP"), desc.startswith("EDGE")
        if skip or edge:
            a0 = int(round((a["onset"] - raw.first_time) * sfreq))
            # the end rounded as MNE rounds it (its time, not onset plus a rounded duration:
            # one sample apart for spans off the sample grid)
            a1 = int(round((a["onset"] - raw.first_time + a["duration"]) * sfreq))
            cuts.append(a0)
            if skip:
                keep[max(a0, 0):max(min(a1, n), 0)] = False
            elif a1 > a0:
                # a span (not what concatenate_raws writes): MNE's filter leaves it out,
                # so it is a stretch of its own here
                cuts.append(a1)
    kept = int(keep.sum())
    if n and not kept:
        raise EmptyInputError(source, f"every sample ({n / sfreq:g} s) lies under a "
                              "BAD_ACQ_SKIP annotation (a hole of the recording, which MNE "
                              "fills with zeros): no sample of the signal is left")
    # a break where each hole began, counted in the samples kept
    breaks = sorted({int(keep[:max(c, 0)].sum()) for c in cuts} - {0, kept})
    out = data if kept == n else np.ascontiguousarray(data[..., keep])
    # the samples kept, by their place in the raw: a stretch's first sample is at its time
    firsts = np.flatnonzero(keep)[[0, *breaks]] if kept else np.zeros(1, dtype=np.int64)
    return (out, tuple(breaks), (0 if n == 0 or keep[0] else int(np.argmax(keep)) or n),
            tuple((firsts / sfreq).tolist()))


def _excluded(source: str, columns: Sequence[Any], exclude: tuple[str, ...], *,
              what: str = "column", aliases: Mapping[str, Any] | None = None,
              aux_exempt: bool = True, bads: Sequence[Any] | None = None) -> set[Any]:
    """The columns (or channels) ``exclude`` names, matched as picks are: a name the file
    spells exactly names that column alone; one it does not, the columns equal to it without
    the blanks around them and in NFC (the spelling ``rec.ch_names`` shows). ``aliases``:
    other names of columns (a Mind Monitor electrode, ``TP9`` for ``RAW_TP9``); ``bads``: the
    channels ``"bads"`` names, where it names none itself (MNE's idiom).

    A name matching nothing is refused, as a pick is: ``exclude='tp9'`` kept TP9 in the
    features without a word. With ``aux_exempt`` (CSV), names of other signals are not
    (:func:`other_signal_name`: ``Right AUX``, ``EOG``, ``Trigger``): such columns are left
    out unless picked, so they need not be in every file."""
    aliases = dict(aliases or {})
    by_key: dict[str, list[Any]] = {}
    for c in [*columns, *aliases]:
        by_key.setdefault(_nfc(str(c).strip()), []).append(aliases.get(c, c))
    out, missing = set(), []
    for e in exclude:
        if e in columns:
            out.add(e)
        elif e in aliases:
            out.add(aliases[e])
        elif e == "bads" and bads is not None:
            out.update(bads)
        elif _nfc(e.strip()) in by_key:
            out.update(by_key[_nfc(e.strip())])
        elif not (aux_exempt and other_signal_name(e)):
            missing.append(e)
    if missing:
        folded = {k.casefold(): k for k in by_key}  # a name that would match
        near = [folded[k] for k in (_nfc(m).strip().casefold() for m in missing) if k in folded]
        hint = f"; did you mean {names_shown(near)[1:-1]}?" if near else ""
        listed = f"{what}s: {names_shown(list(columns))}"
        if aliases:
            listed += f"; electrodes: {names_shown(list(aliases))}"
        raise EEGChannelError(source, f"no {what} {names_shown(missing)[1:-1]} to exclude "
                              f"({listed}){hint}")
    return out


def _exclude_names(exclude: Any) -> tuple[str, ...]:
    """``exclude`` as a tuple of names (``None``: none), or a ``TypeError``: a string is one
    name, and bytes iterated as integers (``b'TP9'`` excluded nothing)."""
    if exclude is None:
        return ()
    if isinstance(exclude, str):
        return (exclude,)
    if isinstance(exclude, (bytes, bytearray)) or not isinstance(exclude, Iterable):
        raise TypeError(f"exclude: a channel name (str) or a sequence of them, not "
                        f"{type(exclude).__name__} {exclude!r}")
    names = tuple(exclude)
    for e in names:
        if not isinstance(e, str):
            raise TypeError(f"exclude: channel names are str, not {type(e).__name__} {e!r}")
    return names


def _mne_excluded(source: str, inst: Any, exclude: tuple[str, ...]) -> set[Any]:
    """The channels of an MNE object ``exclude`` names, checked against all of its channels
    (a name of a channel ``picks`` leaves out anyway is no error). It was ignored for these
    files: ``exclude=['T7']`` of an EDF kept T7 without a word."""
    if not exclude:
        return set()
    return _excluded(source, list(inst.ch_names), exclude, what="channel", aux_exempt=False,
                     bads=list(inst.info["bads"]))


def _without_excluded(source: str, chans: list[Any], dropped: set[Any], picks: Any
                      ) -> list[Any]:
    """``chans`` less the ``dropped``; none left is an :class:`EmptyInputError`."""
    keep = [c for c in chans if c not in dropped]
    if chans and not keep:
        raise EmptyInputError(source, f"no channel left: picks={picks!r} selects "
                              f"{names_shown(chans)[1:-1]}, all excluded")
    return keep


def _drop_excluded(source: str, inst: Any, dropped: set[Any], picks: Any) -> None:
    keep = _without_excluded(source, list(inst.ch_names), dropped, picks)
    if len(keep) < len(inst.ch_names):
        inst.pick(keep)


#: pandas' name of a column whose header cell is empty: the row index ``DataFrame.to_csv``
#: writes first by default (0, 1, 2, ...), never an electrode
_UNNAMED_COLUMN = re.compile(r"Unnamed: \d+")


def _row_names(index: Any) -> bool:
    """R's row names: 1, 2, ..., n (write.table's default) or text; not the first column of
    a file whose header is one name short (timestamps)."""
    if index.dtype == object:
        return True
    return bool(np.issubdtype(index.dtype, np.integer)
                and np.array_equal(index.to_numpy(), np.arange(1, len(index) + 1)))


def picked_columns(source: str, columns: list[Any], picks: Sequence[Any]) -> list[Any]:
    """The columns of a text recording (CSV, OpenBCI GUI file) that ``picks`` names, in their
    order: a pick names a column as its channel is named, without the blanks around it and
    in NFC (as ``rec.ch_names`` shows it); an :class:`EEGChannelError` names the picks that
    match no column."""
    by_name = {_nfc(str(c).strip()): c for c in columns}
    missing = [c for c in picks if c not in columns and _nfc(str(c).strip()) not in by_name]
    if missing:
        raise EEGChannelError(source, f"no column {names_shown(missing)[1:-1]} (columns: "
                              f"{names_shown(columns)})")
    return [c if c in columns else by_name[_nfc(str(c).strip())] for c in picks]


def _auxiliary(column: Any, excluded: set[Any]) -> bool:
    # auxiliary inputs (Muse's "Right AUX"), EOG/ECG/EMG leads, triggers and markers are not
    # EEG channels; nor is a column without a name (a pandas index read its samples' row
    # numbers as a channel)
    return (column in excluded or other_signal_name(column)
            or _UNNAMED_COLUMN.fullmatch(str(column)) is not None)


def _numeric_column(column) -> bool:
    """Whether a CSV column holds samples: numbers, or mostly numbers with a few cells that
    are not (a corrupt or hand-edited cell; counted against the other filled cells).

    A column of text (Muse's ``Elements`` markers, notes, event labels) is not a channel;
    dropping a sample column because one cell in thousands is not a number would lose the
    channel without a word and change the recording's montage."""
    import pandas as pd

    if pd.api.types.is_numeric_dtype(column):
        return True
    if pd.api.types.is_bool_dtype(column) or not (
        pd.api.types.is_object_dtype(column) or pd.api.types.is_string_dtype(column)
    ):
        return False  # booleans, dates, categories: not samples
    filled = column.notna()
    n_numbers = int(pd.to_numeric(column[filled], errors="coerce").notna().sum())
    return n_numbers > int(filled.sum()) - n_numbers


def _coerce_channel(source: str, name: Any, column):
    """A channel column with cells that are not numbers, as float64 with those cells NaN,
    and an :class:`EEGChannelWarning` naming the file, the column, how many cells and the
    data row of the first (1: the row after the header). Its features then follow the NaN
    rule: NaN for that channel, the others untouched."""
    import pandas as pd

    from .readers import EEGChannelWarning

    values = pd.to_numeric(column, errors="coerce")
    bad = np.flatnonzero(values.isna().to_numpy() & column.notna().to_numpy())
    if bad.size:
        first = int(bad[0])
        what = ("is not a number (in" if bad.size == 1 else "are not numbers (the first in")
        warnings.warn(
            f"{source}: column {name!r} has {counted(bad.size, 'cell')} that {what} data "
            f"row {first + 1}: {column.iloc[first]!r}); read as NaN",
            EEGChannelWarning,
            stacklevel=4,
        )
    return values.astype(np.float64)


#: the ``attrs`` key of a CSV recording's frame that holds the codec it was read with
_CSV_ENCODING = "emofeat_csv_encoding"


def _csv_encoding(source: str) -> str | None:
    """The codec of a CSV recording's byte-order mark (``None``: UTF-8, pandas' default),
    as manifests are read: a UTF-16 file (Excel's "Unicode text", a Windows tool's export)
    was refused as "'utf-8' codec can't decode byte 0xff in position 0"."""
    from ._manifest_sniff import HEAD_BYTES, head_encoding

    try:
        with open(source, "rb") as f:
            codec = head_encoding(f.read(HEAD_BYTES))
    except OSError:
        return None  # pandas' read says what is wrong with the file
    except ValueError as exc:  # UTF-16/32 without a mark
        raise EEGReadError(source, f"cannot read CSV: {exc}") from None
    return None if codec == "utf-8-sig" else codec  # pandas drops a UTF-8 mark itself


def _csv_record_line(source: str, i: int, encoding: str | None) -> int:
    """The line of the file (the header's is 1) that holds data record ``i`` (0-based) of a
    CSV recording, counted as pandas reads it, blank lines skipped: a message naming the
    record's index ("row 5000") sent a user two lines above it in an editor."""
    n = -2  # the header is record -1
    with open(source, encoding=encoding or "utf-8-sig", errors="replace", newline="") as f:
        for line, text in enumerate(f, 1):
            if text.strip():
                n += 1
                if n == i:
                    return line
    return i + 2  # not reached for a file pandas read


def _refuse_brainflow(source: str, encoding: str | None) -> None:
    """Refuse a CSV whose first non-blank line is tab-separated numbers (a BrainFlow file,
    another table with no header: :func:`~emofeat.eeg_openbci.brainflow_refusal`), from
    that line: the decision pandas' read made of it as the header's one cell, without
    reading the file (0.14 s for 6 minutes of a Cyton's 24 columns, under a millisecond so).
    A line with a comma is a CSV's header line, read as such."""
    try:
        with open(source, encoding=encoding or "utf-8-sig", errors="replace") as f:
            line = f.readline(1 << 16)  # a row of BrainFlow's is far shorter
            while line and not line.strip():
                line = f.readline(1 << 16)
    except OSError:
        return  # pandas' read says what is wrong with the file
    if "," not in line:
        from .eeg_openbci import brainflow_refusal

        brainflow_refusal(source, line)


def _read_csv(
    source: str, picks, ids: dict, gap_factor: float, exclude: str | Sequence[str]
) -> EEGRecording:
    import pandas as pd

    encoding = _csv_encoding(source)
    _refuse_brainflow(source, encoding)
    try:
        # low_memory=False: in chunks, a column empty in some (a Mind Monitor export's
        # Elements, text on a few marker rows of an hour-long file) and text in others made
        # pandas warn of mixed types (DtypeWarning) to the user; whole, it is one column of text
        # index_col=False: rows with one field more than the header (a delimiter ending
        # each row, "...,0.977,") made pandas take the first column (the timestamps) as
        # the index and shift every column left by one: TP9's samples read as the time
        # this thread's warnings only (not warnings.catch_warnings, which takes in those of
        # other threads, as a Dask worker's other shards: see read_mne)
        with thread_caught(always=True) as said:
            df = pd.read_csv(source, low_memory=False, encoding=encoding, index_col=False,
                             **exact_floats())
        if any(issubclass(category, pd.errors.ParserWarning) for _, category, *_ in said):
            # the extra field holds values: a header without the rows' first column (R's
            # write.table row names), which pandas' default takes as the index
            named = pd.read_csv(source, low_memory=False, encoding=encoding,
                                **exact_floats())
            if _row_names(named.index):
                said = []
                df = named.reset_index(drop=True)
        for message, category, filename, lineno in said:
            warnings.warn_explicit(message, category, filename, lineno)
        df.attrs[_CSV_ENCODING] = encoding  # the header's second read (repeated names)
        df = without_cut_row(source, df, encoding)
    except UnicodeDecodeError as exc:
        raise EEGReadError(source, f"cannot read CSV: it is not {encoding or 'UTF-8'} text "
                           f"({exc.reason}: byte {exc.object[exc.start:exc.start + 1]!r}); "
                           "save it as UTF-8") from exc
    except Exception as exc:
        raise EEGReadError(source, f"cannot read CSV ({type(exc).__name__}: {exc})") from exc
    tcol = next((c for c in df.columns if str(c).strip().lower() in TIME_COLUMNS), None)
    if tcol is None:
        raise InputError(
            source,
            f"an EEG CSV needs a time column (one of {', '.join(TIME_COLUMNS)}), "
            f"found {list(df.columns)}",
        )
    if _is_mind_monitor(df, tcol):
        return _read_mind_monitor(source, df, tcol, picks, ids, gap_factor, exclude)
    excluded = _excluded(source, list(df.columns), exclude)
    if picks is None or isinstance(picks, str):
        chans = [
            c
            for c in df.columns
            if c != tcol and not _auxiliary(c, excluded) and _numeric_column(df[c])
        ]
    else:
        # a list of picks (read_muse's default) ignored exclude
        chans = _without_excluded(source, picked_columns(source, list(df.columns), picks),
                                  excluded, picks)
    _channel_columns(source, df, chans, picks)
    t = pd.to_numeric(df[tcol], errors="coerce").to_numpy(dtype=np.float64)
    other = [c for c in df.columns if c != tcol and other_signal_name(c)]
    if not chans and other:
        raise EmptyInputError(source, f"no EEG channel column: its columns "
                              f"{names_shown(other)[1:-1]} are named as other signals (EOG, "
                              "ECG, EMG, trigger, marker, auxiliary), which are not read "
                              "unless picked (read_recording's picks)")
    if not chans or len(t) < 2:
        raise EmptyInputError(source, "no numeric channel columns or fewer than 2 rows")
    if not np.isfinite(t).all():
        raise InputError(source, f"non-numeric or missing values in the time column {tcol!r}")
    dt = np.diff(t)
    step = float(np.median(dt))
    if not step > 0:
        raise InputError(source, f"time column {tcol!r} is not increasing")
    if (dt <= 0).any():
        k = int(np.flatnonzero(dt <= 0)[0])
        line = _csv_record_line(source, k + 1, df.attrs.get(_CSV_ENCODING))
        raise InputError(source, f"time column {tcol!r} goes backwards or repeats at line "
                         f"{line} ({float(t[k + 1])!r} after {float(t[k])!r})")
    breaks = _gap_rows(t, dt, gap_factor * step)
    rate = _timestamp_rate(t, breaks)
    _check_time_unit(source, tcol, rate)
    data = df[chans].to_numpy(dtype=np.float64).T
    # "timestamps, TP9, AF7" (a blank after each comma) named the channels " TP9", " AF7":
    # features "eeg_bands_abs_delta_ TP9", another montage than the same file without blanks
    names = tuple(str(c).strip() for c in chans)
    # a Muse file by its own EEG columns, so that picking "Right AUX" too keeps the warning
    if MUSE_ELECTRODES.intersection(names):
        own = {str(c).strip() for c in df.columns
               if c != tcol and not _auxiliary(c, set()) and _numeric_column(df[c])}
        if own <= MUSE_ELECTRODES:
            warn_muse_clipping(source, data, names)
    return EEGRecording(np.ascontiguousarray(data), rate, names, source, ids, breaks,
                        stretch_starts=_stamp_starts(t, breaks))


#: the Muse headband's electrodes, as its CSV exports (muse-lsl, the mental-state corpus)
#: name the channels
MUSE_ELECTRODES = frozenset({"TP9", "AF7", "AF8", "TP10"})
#: the Muse's input limits in microvolts: its 12-bit samples (0..4095) become
#: 0.48828125 * (code - 2048) uV, so the lowest code is -1000 and the highest +999.51171875
#: (999.512 as the exports write it). A sample there is clipped: the signal went beyond it
MUSE_RAIL_UV = (-1000.0, 999.51)


def warn_muse_clipping(source: str, data: np.ndarray, names: Sequence[str]) -> None:
    """Warn (:class:`EEGChannelWarning`) of a Muse CSV recording's channels with samples at
    the headband's input limits (:data:`MUSE_RAIL_UV`): naming the file and each such
    channel with how many samples and what fraction. They are kept, as a flat or NaN
    channel's are reported and kept: their band powers hold the clipping's steps (broadband
    power), which the user may want to exclude or window around. For a Muse file only, which
    the caller judges by the file's EEG columns (all of them Muse electrodes,
    :data:`MUSE_ELECTRODES`): another amplifier's limits are not these. Channels read that
    are no electrode (a picked ``Right AUX``) are not judged."""
    low, high = MUSE_RAIL_UV
    with np.errstate(invalid="ignore"):
        at_rail = (data <= low) | (data >= high)
    judged = [name in MUSE_ELECTRODES for name in names]
    warn_clipped(source, at_rail, names, judged, "the Muse's input limits (-1000 or +999.5 uV")


def warn_clipped(source: str, at_rail: np.ndarray, names: Sequence[str],
                 judged: Sequence[bool], limits: str, stacklevel: int = 5) -> None:
    """One :class:`EEGChannelWarning` naming ``source`` and each channel judged with samples
    at a device's input limits (``at_rail``, a mask of the samples; ``limits`` says which,
    an open parenthesis the message closes), with its count and fraction; nothing where no
    judged channel has one. The samples are kept."""
    n = at_rail.shape[1]
    counts = at_rail.sum(axis=1).tolist()
    said = [f"{name} {k} of {n} samples ({100 * k / n:.2g} %)"
            for name, k, j in zip(names, counts, judged, strict=True) if k and j]
    if not said:
        return
    from .readers import EEGChannelWarning

    warnings.warn(
        f"{source}: {counted(len(said), 'channel')} clipped at {limits}, where the signal "
        f"went beyond them): {'; '.join(said)}; the samples are kept, and the features of "
        "the windows holding them include the clipping (exclude the channel, or the "
        "windows)", EEGChannelWarning, stacklevel=stacklevel)


#: Mind Monitor's raw EEG range in microvolts: the Muse's 12-bit samples (codes 0..4095),
#: unsigned (about 800 uV is the middle), so the lowest code is 0.0 and the highest the
#: top: 1682.815 as Interaxon's SDK documents ``/muse/eeg`` ("0.0 - 1682.815"), 1650.0 in
#: real exports (technoshaman001/EEG's museMonitor_2020-10-31 and 2021-03-14,
#: mindMonitor_2023-01-11: samples on a grid of 1650 / 4095 uV a code, 792.96704 = code
#: 1968). ``(low, high)``: the range judged (an export beyond it is of another scale)
MIND_MONITOR_RAIL_UV = (0.0, 1682.815)
#: the highest code in each scale (see :data:`MIND_MONITOR_RAIL_UV`); within
#: :data:`MIND_MONITOR_RAIL_TOL_UV` of it a sample is clipped. Neither scale has a code
#: within 0.06 uV of the other's top (codes 4015 and 4016 of the SDK's are 1649.94 and 1650.35)
MIND_MONITOR_TOPS_UV = (1650.0, 1682.815)
#: how near an end a written sample is at it: exports written to 3 decimals (1682.815 as
#: 1682.81)
MIND_MONITOR_RAIL_TOL_UV = 5e-3


def warn_mind_monitor_clipping(source: str, data: np.ndarray, names: Sequence[str]) -> None:
    """Warn, as :func:`warn_muse_clipping` does, of a Mind Monitor export's electrodes with
    samples at its input limits (0 and the top of its scale, :data:`MIND_MONITOR_TOPS_UV`:
    1682.815 where a sample lies above 1650, else 1650). Only where every sample of the
    channels read lies within :data:`MIND_MONITOR_RAIL_UV`: an export whose values fall
    outside it (a headband or app version with another scale) is not judged by it."""
    low, high = MIND_MONITOR_RAIL_UV
    tol = MIND_MONITOR_RAIL_TOL_UV
    with np.errstate(invalid="ignore"):
        if bool(np.any((data < low) | (data > high + tol))):
            return
        # the real exports' scale tops at 1650.0; one above it is the SDK's
        top = next(t for t in MIND_MONITOR_TOPS_UV if not np.any(data > t + tol))
        at_rail = (data <= low) | (data >= top - tol)
    judged = [name in MUSE_ELECTRODES for name in names]
    warn_clipped(source, at_rail, names, judged,
                 f"Mind Monitor's input limits (0 or {top:.7g} uV")


#: how much of a text recording's end :func:`without_cut_row` reads for its last line (bytes)
_TAIL_BYTES = 1 << 16


def without_cut_row(source: str, df, encoding: str | None = None):
    """``df`` (a text recording's rows as pandas read them) without its last row where the
    file ends in the middle of it: no line break at the end, and fewer fields on the last
    line than the header has columns and than the line before it (a recording cut short:
    the app stopped while writing, a copy interrupted). That row's missing cells were NaN
    samples, which made the whole recording's features of those channels NaN, and its last
    cell a number cut short (17.09 read as 2). An :class:`EEGReadWarning` names the file
    and the fields of that line. A last line with every field, without a line break, is
    kept (many writers end so)."""
    if len(df) == 0 or encoding not in (None, "utf-8", "utf-8-sig"):
        return df  # UTF-16/32: its bytes are no ASCII text to look at
    try:
        with open(source, "rb") as f:
            f.seek(max(0, f.seek(0, os.SEEK_END) - _TAIL_BYTES))
            tail = f.read()
    except OSError:
        return df
    if not tail or tail.endswith((b"\n", b"\r")):
        return df
    lines = tail.rstrip(b"\r\n").split(b"\n")
    last = lines[-1].decode("utf-8", "replace").strip()
    if not last:
        return df  # blanks after the last line break: no row, pandas skipped them
    fields = last.count(",") + 1
    # the row before it, where the tail holds one: a writer that leaves out empty cells at
    # a row's end writes every row short of the header, the last one no shorter
    before = lines[-2].count(b",") + 1 if len(lines) > 2 else len(df.columns)
    if fields >= min(before, len(df.columns)):
        return df
    shown = last if len(last) <= 60 else f"{last[:57]}..."
    warnings.warn(f"{source}: it ends in the middle of a row (a file cut short: its last line "
                  f"{shown!r} has {fields} of {len(df.columns)} fields, without a line "
                  "break): that row is left out", EEGReadWarning, stacklevel=4)
    return df.iloc[:-1]


def _gap_rows(t: np.ndarray, dt: np.ndarray, limit: float) -> tuple[int, ...]:
    """The rows after a timestamp step longer than ``limit`` (s): the breaks of a CSV
    recording. Longer beyond the doubles' own rounding of the stamps: a stamp is within half
    an ulp of the time written, so a step and the median step within an ulp each, and a step
    of exactly ``gap_factor`` medians (one sample lost at a whole rate, 8 ms after steps of
    4 ms) was a gap or not by that rounding alone (17 of 40 such losses in Unix stamps to
    1 ms at 250 Hz were gaps)."""
    noise = 4 * float(np.spacing(np.max(np.abs(t))))
    return tuple(int(i) + 1 for i in np.flatnonzero(dt > limit + noise))


#: a CSV recording estimated below this rate (Hz) holds no EEG: its time column is in another
#: unit than seconds (milliseconds: a 256 Hz Muse reads 0.256 Hz), or it is not raw EEG
MIN_CSV_RATE = 10.0


def _check_time_unit(source: str, tcol: str, rate: float) -> None:
    """Refuse a CSV whose timestamps give a rate no EEG has, saying which unit they look like
    (the features would otherwise fail later on bands "above Nyquist" of a 0.128 Hz signal)."""
    if rate >= MIN_CSV_RATE:
        return
    unit = next(((name, f) for name, f in (("milliseconds", 1_000), ("microseconds", 10**6),
                                           ("nanoseconds", 10**9))
                 if MIN_CSV_RATE <= rate * f <= 100_000), None)
    hint = (f"; they look like {unit[0]} ({rate * unit[1]:.4g} Hz if so): divide the column "
            f"by {unit[1]}" if unit else "")
    raise InputError(
        source, f"its time column {tcol!r} gives {float(rate):.4g} Hz, which no EEG recording "
        f"has (under {MIN_CSV_RATE:g} Hz): the timestamps must be in seconds{hint}")


#: Mind Monitor (the Muse app) CSV exports: the raw EEG of electrode ``X`` is the column
#: ``RAW_X``; its other columns (``Delta_TP9`` ... ``Gamma_TP10``: the app's own band
#: powers, ``AUX_*``, accelerometer, gyro, ``HeadBandOn``, ``HSI_*``, ``Battery``) are not EEG
MIND_MONITOR_RAW_PREFIX = "RAW_"
#: a Mind Monitor export below this rate holds one sample per recording interval (its
#: "recording interval" setting other than every sample): too few for the EEG bands
MIND_MONITOR_MIN_RATE = 100.0
#: timestamps stamped per packet (every sample of one Bluetooth packet at its arrival, as
#: Mind Monitor does: 12 samples, 47 ms, at 256 Hz): a step longer than this (seconds) is a
#: gap, shorter ones are packet delivery
PACKET_GAP = 0.25
#: a step back of one hour (s) in date-times without a UTC offset: the clock set back at
#: the end of daylight-saving time, the stamps after it an hour on (within PACKET_GAP)
DST_STEP = 3600.0
#: the range of local clock readings (s after midnight, both ends included: 00:00 to 04:00)
#: within which clocks are set back; it holds the hours at which they are: 01:00 (the
#: Azores, Cuba), 02:00 (North America), 03:00 (Europe), 24:00 (Chile, Paraguay) read as
#: 00:00. A step back of an hour from a reading outside it is no daylight-saving change
DST_WINDOW = (0.0, 4 * 3600.0)
# a UTC offset ending a date-time (Z, +01, +0100, +01:00), after its time of day
_UTC_OFFSET = re.compile(r"\d:\d\d(?::\d\d(?:[.,]\d*)?)?\s*(?:[zZ]|[+-]\d\d(?::?\d\d)?)$")
# the other columns that say a CSV is a Mind Monitor export, with or without RAW_ columns
_MIND_MONITOR_COLUMNS = re.compile(
    r"^((delta|theta|alpha|beta|gamma|raw|hsi)_.+|headbandon|elements)$", re.IGNORECASE
)


def _is_mind_monitor(df, tcol: Any) -> bool:
    """A Mind Monitor export: its time column holds date-time text (``2021-05-01
    12:34:56.789``) and it has Mind Monitor's columns. A CSV with numeric timestamps is
    read as it always was, whatever its columns."""
    if _numeric_column(df[tcol]):  # numbers, or mostly: read as before
        return False
    return any(_MIND_MONITOR_COLUMNS.match(str(c).strip()) for c in df.columns)


def _read_mind_monitor(
    source: str, df, tcol: Any, picks, ids: dict, gap_factor: float,
    exclude: tuple[str, ...] = (),
) -> EEGRecording:
    """A Mind Monitor export as the recording of its ``RAW_`` columns, named without the
    prefix (``TP9``, ``AF7``, ``AF8``, ``TP10``, as the Muse's other CSV exports name them).

    Rows without a sample in the channels read (``Elements`` markers and events) are
    skipped. The time column is parsed as date-times. Stamps evenly spread (one a sample,
    rounded to 1 ms) are read as any CSV's: a step over ``gap_factor`` times the median is a
    gap, the rate is the samples over the time they span (:func:`_timestamp_rate`). Stamps
    per packet (the median step under half the mean one: each Bluetooth packet's samples
    stamped at its arrival, many repeated; the mean taken over the steps up to
    :data:`PACKET_GAP`) are the arrival times of packets: a step over
    :data:`PACKET_GAP` is a gap, and the rate is the least-squares slope of samples over
    time within the gap-free stretches, which the packets' delivery jitter moves far less
    than it moves the first and last stamps."""

    raw = [c for c in df.columns if str(c).strip().upper().startswith(MIND_MONITOR_RAW_PREFIX)]
    # an electrode is excluded by its column or its name ("RAW_TP9" or "TP9"), as picked
    electrode = {str(c)[len(MIND_MONITOR_RAW_PREFIX):]: c for c in raw}
    excluded = _excluded(source, list(df.columns), exclude, aliases=electrode)
    if picks is None or isinstance(picks, str):
        if not raw:
            raise EmptyInputError(
                source, "a Mind Monitor export without raw EEG (no RAW_ column): its "
                "Delta_ ... Gamma_ columns are the app's band powers, not samples; export it "
                f"with the raw EEG recorded (columns: {list(df.columns)})")
        chans = raw
    else:
        chans = []
        by_name = {_nfc(c): c for c in df.columns}
        for p in picks:  # a column of the file, or an electrode: "TP9" for RAW_TP9
            c = p if p in df.columns else MIND_MONITOR_RAW_PREFIX + str(p)
            c = c if c in df.columns else by_name.get(_nfc(c), c)
            if c not in df.columns:
                raise EEGChannelError(source, f"no column {names_shown([p])[1:-1]} (columns: "
                                      f"{names_shown(list(df.columns))})")
            chans.append(c)
    chans = _without_excluded(source, chans, excluded, picks)
    _channel_columns(source, df, chans, picks)
    # markers and events (the Elements column) are rows of their own, their sensor cells empty
    rows = df[chans].notna().any(axis=1).to_numpy()
    if not rows.any():
        raise EmptyInputError(
            source, f"no row holds an EEG sample ({', '.join(map(str, chans))} are empty "
            f"in all {len(df)} rows: markers or events only)")
    lines = np.flatnonzero(rows) + 2  # the file's line of each sample (the header is line 1)
    t, day, text = _date_seconds(source, tcol, df[tcol][rows], lines)
    if len(t) < 2:
        raise EmptyInputError(source, "fewer than 2 rows with EEG samples")
    dt = _clock_set_back(source, tcol, t, lines, day, text)
    if (dt < 0).any():
        k = int(np.flatnonzero(dt < 0)[0])
        raise InputError(source, f"time column {tcol!r} goes backwards at line {lines[k + 1]}")
    if not t[-1] > t[0]:
        raise InputError(source, f"time column {tcol!r} is not increasing")
    step = float(np.median(dt))
    # per packet, most steps are within a packet (0-1 ms) and the mean step (without the
    # gaps) is the sample interval; stamped a sample each, the median is that interval
    short = dt[dt <= PACKET_GAP]
    mean = float(short.mean()) if short.size else 0.0
    # every step within PACKET_GAP a repeat (packets 0.3 s apart, each stamped once): per
    # packet too, where _packet_rate refuses it; read per sample, the gaps at every step left
    # no time to divide by (a ZeroDivisionError)
    packets = bool(short.size) and (step < 0.5 * mean or mean == 0.0)
    breaks = _gap_rows(t, dt, PACKET_GAP if packets else gap_factor * step)
    rate = _packet_rate(source, t, breaks) if packets else _timestamp_rate(t, breaks)
    if rate < MIND_MONITOR_MIN_RATE:
        raise InputError(
            source, f"a Mind Monitor export at {float(rate):.3g} Hz (estimated from its "
            f"timestamps): its RAW_ columns hold one sample per recording interval, not the "
            f"EEG (under {MIND_MONITOR_MIN_RATE:g} Hz the EEG bands are lost); record with "
            "Mind Monitor's recording interval set to every sample ('Constant')")
    names = tuple(
        str(c)[len(MIND_MONITOR_RAW_PREFIX):] if c in raw else str(c) for c in chans
    )
    data = df.loc[rows, chans].to_numpy(dtype=np.float64).T  # the channels only: a wide export
    warn_mind_monitor_clipping(source, data, names)
    return EEGRecording(np.ascontiguousarray(data), rate, names, source, ids, breaks,
                        stretch_starts=_stamp_starts(t, breaks))


def _stamp_starts(t: np.ndarray, breaks: Sequence[int]) -> tuple[float, ...]:
    """The times of the first rows of a CSV's gap-free stretches from its first row (its
    timestamps are the recording's one clock: :attr:`EEGRecording.stretch_starts`); none
    without a gap."""
    if not breaks:
        return ()
    return tuple((t[[0, *breaks]] - t[0]).tolist())


def _clock_set_back(source: str, tcol: Any, t: np.ndarray, lines: np.ndarray, day: float,
                    text) -> np.ndarray:
    """The steps of the stamps ``t`` (s from the first, changed in place), where a step back
    of one hour (:data:`DST_STEP`, the next stamp within :data:`PACKET_GAP` of it) is the
    clock set back at the end of daylight-saving time: the stamps after it are moved an hour
    on, with an :class:`EEGReadWarning` naming the file and the line. Only where no stamp
    carries a UTC offset (looked for in ``text``, the stamps as written, only once such a
    step is found: stamps with one are compared in UTC, where the change is no step back),
    once a file (clocks go back once a year), and where the clock is set back from a reading
    within :data:`DST_WINDOW` (``day``: the first stamp's seconds after midnight). Such a
    step that is not the clock change is refused, ``goes backwards ...: not a
    daylight-saving change``, naming why and the way out; any other step back is left for
    the caller to refuse. (A clock set forward is an hour's gap, which cuts the recording
    there.)"""
    dt = np.diff(t)
    back = np.flatnonzero((dt < 0) & (dt + DST_STEP >= 0) & (dt + DST_STEP <= PACKET_GAP))
    if not back.size:
        return dt
    k = int(back[0])
    # the clock's reading when it was set back: the stamp after the step, an hour on; to the
    # microsecond, as it is written in a refusal, so the check and the words agree
    reading = round((day + t[k + 1] + DST_STEP) % 86400.0, 6)
    why = None
    # read from the text: utc=True made every stamp UTC, offset or not. Scanned here, not on
    # every read: on an hour-long export it took longer than parsing the stamps
    if bool(text.str.contains(_UTC_OFFSET).any()):
        why = "its stamps carry UTC offsets, in which the clock change is no step back"
    elif back.size > 1:
        why = (f"it steps back an hour again at line {lines[back[1] + 1]} (clocks go back "
               "once a year)")
    elif not DST_WINDOW[0] <= reading <= DST_WINDOW[1]:
        why = (f"set back at {_clock_reading(reading)}, where clocks go back from "
               f"{_clock_reading(DST_WINDOW[0])} to {_clock_reading(DST_WINDOW[1])} at the "
               "latest")
    if why is not None:
        raise InputError(source, f"time column {tcol!r} goes backwards at line "
                                 f"{lines[k + 1]}: not a daylight-saving change ({why}); "
                                 "correct the stamps, or cut the file at that line and read "
                                 "each part as a recording of its own")
    t[k + 1:] += DST_STEP
    dt[k] += DST_STEP
    warnings.warn(
        f"{source}: time column {tcol!r} steps back one hour at line {lines[k + 1]}: read as "
        "the end of daylight-saving time (no stamp carries a UTC offset), the recording "
        "continuing there", EEGReadWarning, stacklevel=4)
    return dt


def _clock_reading(seconds: float) -> str:
    """A clock reading (s after midnight) as hh:mm, with the seconds (to the microsecond)
    where it is not on the minute: 04:00:00.1 is not 04:00, the window's end."""
    us = int(round(seconds * 1e6))
    h, rest = divmod(us, 3_600_000_000)
    m, rest = divmod(rest, 60_000_000)
    if not rest:
        return f"{h:02d}:{m:02d}"
    return f"{h:02d}:{m:02d}:{rest / 1e6:09.6f}".rstrip("0")


def _channel_columns(source: str, df, chans: list, picks) -> None:
    """Check a CSV's channel columns and make them numbers in place: a picked column of text
    is refused, repeated names too (:func:`_refuse_repeated_names`), and a column pandas
    read as text with a few odd cells is coerced (:func:`_coerce_channel`)."""
    import pandas as pd

    if picks is not None and not isinstance(picks, str):
        text = [c for c in chans if not _numeric_column(df[c])]
        if text:
            raise EEGChannelError(
                source, f"column {text[0]!r} holds text, not samples (picks={list(picks)})")
    _refuse_repeated_names(source, df, chans)
    for c in chans:
        if not pd.api.types.is_numeric_dtype(df[c]):
            df[c] = _coerce_channel(source, c, df[c])


def _date_seconds(source: str, tcol: Any, column, lines: np.ndarray
                  ) -> tuple[np.ndarray, float, Any]:
    """Date-time text (Mind Monitor's ``2021-05-01 12:34:56.789``, or any ISO 8601) as
    seconds from the first, exact to the nanosecond before the float; the first stamp's
    seconds after midnight as written; the stamps' text, stripped (where
    :func:`_clock_set_back` looks for UTC offsets). Stamps with a UTC offset are compared in
    UTC (a clock change is then no step back); stamps without one as they are written."""
    import pandas as pd

    text = column.astype("string").str.strip()
    when = pd.to_datetime(text, format="ISO8601", errors="coerce", utc=True)
    bad = np.flatnonzero(when.isna().to_numpy())
    if bad.size:
        k = int(bad[0])
        cell = "an empty cell" if pd.isna(column.iloc[k]) else repr(column.iloc[k])
        raise InputError(
            source, f"time column {tcol!r}: {cell} in line {lines[k]} is not a "
            f"date-time (Mind Monitor writes 'YYYY-MM-DD hh:mm:ss.sss'; "
            f"{counted(bad.size, 'such row')} with EEG samples)")
    ns = when.to_numpy(dtype="datetime64[ns]").astype(np.int64)
    day = float(ns[0] % 86_400_000_000_000) / 1e9  # as written where no stamp has an offset
    return (ns - ns[0]) / 1e9, day, text


def _packet_rate(source: str, t: np.ndarray, breaks: Sequence[int] = ()) -> EstimatedRate:
    """Sampling rate of timestamps stamped per packet (:func:`_read_mind_monitor`): one
    over the least-squares slope of time against sample number, one intercept per gap-free
    stretch. An :class:`~emofeat.readers.EstimatedRate` over the sample intervals of the
    stretches of two samples or more, as :func:`_timestamp_rate`."""
    from .readers import EstimatedRate

    edges = np.array([0, *breaks, len(t)])
    num = den = 0.0
    n_intervals = 0
    for a, b in zip(edges[:-1], edges[1:], strict=True):
        if b - a < 2:
            continue
        i = np.arange(b - a, dtype=np.float64)
        i -= i.mean()
        num += float(np.dot(i, t[a:b] - t[a:b].mean()))
        den += float(np.dot(i, i))
        n_intervals += b - a - 1
    if not num > 0:  # every packet alone between gaps: no stretch to measure a rate over
        raise InputError(source, "the timestamps increase only across gaps (steps over "
                         f"{PACKET_GAP} s), never within a gap-free stretch")
    return EstimatedRate(den / num, n_intervals)


def _refuse_repeated_names(source: str, df, chans: Sequence[Any]) -> None:
    """Refuse channel columns whose header names repeat: pandas renames the second ``AF7`` to
    ``AF7.1``, which then passed as a channel of its own (arrays with repeated names are
    refused by the reader, ``ChannelError``)."""
    import pandas as pd

    header = pd.read_csv(source, header=None, nrows=1, dtype=str,
                         encoding=df.attrs.get(_CSV_ENCODING)).iloc[0].tolist()
    names = [str(header[df.columns.get_loc(c)]).strip() for c in chans]
    repeated = sorted({str(n) for n in names if names.count(n) > 1})
    if repeated:
        raise EEGChannelError(
            source, f"channel names repeat in the header: {', '.join(map(repr, repeated))}"
        )


def _stamp_step(t: np.ndarray) -> float:
    """The coarsest decimal step ``10**-d`` (``d`` 0 to 9) on which every stamp of ``t``
    lies within the float64 precision of the stamps, or 0.0 where none is coarser than that
    precision: the rounding of stamps written with ``d`` decimals (``1533058199.795``: 1 ms),
    which no float arithmetic on the stamps can undo."""
    big = float(np.max(np.abs(t)))
    ulp = float(np.spacing(big))
    head = t[:1024]  # most grids fail on the first stamps: the whole column read once then
    for d in range(10):
        scale = 10.0 ** d
        # a stamp read from text is within half an ulp of its decimal value, so within
        # ulp * scale / 2 steps of the grid, and the product is rounded once more
        tol = 0.5 * (ulp * scale + float(np.spacing(big * scale)))
        if tol > 0.05:  # stamps on the next finer grid, 0.1 step off, could pass: too fine
            break
        if all(float(np.max(np.abs(part * scale - np.rint(part * scale)))) <= tol
               for part in (head, t)):
            return 1.0 / scale
    return 0.0


def _timestamp_rate(t: np.ndarray, breaks: Sequence[int] = ()) -> EstimatedRate:
    """Sampling rate of increasing timestamps ``t`` (s) with gaps before the rows ``breaks``:
    the number of sample intervals over the time they span within the gap-free stretches,
    ``sum(n_i - 1) / sum(t_last_i - t_first_i)``. (The median step finds the gaps, so some
    stretch holds two samples or more; it is no estimate of the rate.) An
    :class:`~emofeat.readers.EstimatedRate` carrying ``sum(n_i - 1)``: wherever the rate goes
    with the samples, the extractors give it the tolerance of an estimate.

    An estimate within the stamps' own precision of a whole number of hertz is that number,
    when no other whole number is within it: stamps ``t0 + k / 250`` stored as doubles
    (Unix times, or seconds from an offset) span a few ulps more or less than the exact
    time, and the quotient came out 249.99999957 Hz, which put the Welch bins on whole hertz
    (4, 8, 13, 30 Hz with 1 s segments) a hair below the bands' edges, each in the band
    below its own. Stamps written with ``d`` decimals (:func:`_stamp_step`) are each off
    their time by up to half a step ``10**-d``, so each stretch's span by up to a step:
    ``k / 128`` written with 6 decimals gave 127.99999180 Hz over 1000 samples."""
    from .readers import EstimatedRate

    t = np.asarray(t, dtype=np.float64)
    edges = np.array([0, *breaks, len(t)])
    first, stop = edges[:-1], edges[1:]
    keep = stop - first >= 2
    # ms-rounded timestamps (Muse at 256 Hz: steps of 3 and 4 ms) make 1/median step 250 Hz
    ends = np.concatenate([t[stop[keep] - 1], t[first[keep]]])
    span = float(np.sum(t[stop[keep] - 1] - t[first[keep]]))
    n_intervals = int(np.sum(stop[keep] - first[keep] - 1))
    rate = n_intervals / span
    # each stamp is within half an ulp of the largest stamp of its exact time (twice that
    # where it was computed, t0 + k / rate, before it was written), so each stretch's span
    # within two ulps, plus the rounding of the differences and of their sum; stamps
    # written with fewer decimals, within a step of those decimals more
    ulp = float(np.spacing(np.max(np.abs(ends))))
    n_spans = int(keep.sum())
    floats = 2 * n_spans * (2 * ulp + float(np.spacing(span))) / span + 4 * np.finfo(float).eps
    whole = round(rate)
    off = abs(rate - whole)

    def within_decimals() -> bool:
        # a reach of half a hertz or more holds two whole numbers: the decimals then do not
        # say which
        reach = (floats + n_spans * _stamp_step(t) / span) * whole
        return off <= reach < 0.5

    # within the doubles' own precision the rate is whole however short the recording (1.5 s
    # of exact 1 ms stamps at 1000 Hz: a step's reach of 0.67 Hz); the stamps are read again
    # for their decimals only where that did not decide
    if whole > 0 and (off <= floats * whole or within_decimals()):
        rate = float(whole)
    return EstimatedRate(rate, n_intervals)


# --------------------------------------------------------------------------- checks


def check_channels(
    data: np.ndarray,
    ch_names: Sequence[str],
    source: str = "<array>",
    *,
    on_bad: str = "warn",
) -> np.ndarray:
    """Find flat (constant) and non-finite channels of ``(..., n_channels, n_times)`` data.

    Parameters
    ----------
    on_bad : {"warn", "raise", "ignore"}
        ``warn``: :class:`emofeat.extractors.eeg.EEGChannelWarning` naming the source and each
        bad channel (their features become NaN); ``raise``: :class:`EEGChannelError` naming
        them.

    Returns
    -------
    ndarray of bool, shape (n_channels,)
        True for channels bad in any epoch.
    """
    from emofeat.extractors.eeg import bad_channel_mask, warn_bad_channels

    x = np.asarray(data)
    if x.ndim < 2 or x.shape[-2] != len(ch_names):
        raise EEGChannelError(source, f"{len(ch_names)} channel names for data of shape {x.shape}")
    if on_bad == "warn":
        mask = warn_bad_channels(x, ch_names, source)
    elif on_bad in ("raise", "ignore"):
        mask = bad_channel_mask(x)
    else:
        raise ValueError(f"on_bad must be 'warn', 'raise' or 'ignore', got {on_bad!r}")
    per_channel = mask.reshape(-1, mask.shape[-1]).any(axis=0)
    if on_bad == "raise" and per_channel.any():
        bad = [ch_names[i] for i in np.flatnonzero(per_channel)]
        nonfinite = (~np.isfinite(x).all(axis=-1)).reshape(-1, x.shape[-2]).any(axis=0)
        kinds = [
            "non-finite samples" if nonfinite[i] else "flat" for i in np.flatnonzero(per_channel)
        ]
        detail = ", ".join(f"{n} ({k})" for n, k in zip(bad, kinds, strict=True))
        err = NonFiniteInputError if all(nonfinite[per_channel]) else EEGChannelError
        raise err(source, f"{noun(len(bad), 'bad channel')}: {detail}")
    return per_channel


# --------------------------------------------------------------------------- windows


def window_starts(
    n_times: int,
    sfreq: float,
    window: float,
    hop: float | None = None,
    *,
    breaks: Sequence[int] = (),
) -> np.ndarray:
    """Start samples of fixed windows over a recording, none spanning a break.

    Parameters
    ----------
    n_times : int
    sfreq : float
    window, hop : float
        Window length and hop in seconds (``hop`` defaults to ``window``: no overlap;
        overlap = window - hop). Lengths are rounded to whole samples.
    breaks : sequence of int
        Gap positions; windows are laid out afresh in each gap-free stretch.

    Returns
    -------
    ndarray of int64
        Start samples; the recording's tail shorter than a window is dropped.
    """
    n_win, n_hop = window_samples(sfreq, window, hop)
    edges = [0, *sorted(b for b in breaks if 0 < b < n_times), n_times]
    starts = [
        np.arange(a, b - n_win + 1, n_hop, dtype=np.int64)
        for a, b in zip(edges[:-1], edges[1:], strict=True)
        if b - a >= n_win
    ]
    return np.concatenate(starts) if starts else np.empty(0, dtype=np.int64)


def window_samples(sfreq: float, window: float, hop: float | None = None) -> tuple[int, int]:
    """Window and hop in whole samples (``ValueError`` naming a bad parameter)."""
    # finite: an infinite one was an OverflowError of int(round(inf)) until session 57
    if not 0 < sfreq < np.inf:
        raise ValueError(f"sfreq must be a finite number > 0, got {sfreq}")
    if not 0 < window < np.inf:
        raise ValueError(f"window must be a finite number of seconds > 0, got {window}")
    hop = window if hop is None else hop
    if not 0 < hop < np.inf:
        raise ValueError(f"hop must be a finite number of seconds > 0, got {hop}")
    for name, seconds in (("window", window), ("hop", hop)):
        if not seconds * sfreq < np.inf:  # 2 s at 1e308 Hz: an OverflowError until session 58
            raise ValueError(f"{name} of {seconds} s at {sfreq} Hz is more samples than a "
                             "number holds")
    n_win = int(round(window * sfreq))
    n_hop = max(int(round(hop * sfreq)), 1)
    if n_win < 1:
        raise ValueError(f"window of {window} s is shorter than one sample at {sfreq} Hz")
    return n_win, n_hop


def _cut_rate(recording: EEGRecording, sfreq: float | None) -> float:
    """The rate :func:`window_recording` cuts ``recording`` at: its own, or ``sfreq`` by the
    extractors' rule (:func:`emofeat.readers.analysis_rate`: a rate estimated from a CSV's
    timestamps within its tolerance of ``sfreq``, a declared one equal to it)."""
    from .readers import analysis_rate

    return float(analysis_rate(recording.source, recording.sfreq, sfreq))


def window_recording(
    recording: EEGRecording,
    window: float,
    hop: float | None = None,
    *,
    sfreq: float | None = None,
) -> tuple[np.ndarray, pd.DataFrame]:  # noqa: F821
    """Cut a recording into windows that carry its ids.

    Parameters
    ----------
    recording : EEGRecording
    window, hop : float
        Window length and hop in seconds (:func:`window_starts`).
    sfreq : float, optional
        The rate to cut at, as an extractor's ``sfreq``: a CSV recording's rate is an
        estimate from its timestamps (the Muse files: 255.77-256.20 Hz, one 254.22), cut at
        ``sfreq`` (256) when within its tolerance, as the extractors analyse it; a declared
        rate must equal it. Default: the recording's own rate.

    Returns
    -------
    epochs : ndarray, shape (n_windows, n_channels, n_window_samples)
        Copies (safe to modify).
    meta : DataFrame
        One row per window: the recording's ``ids``, ``source``, ``window`` (index within the
        recording), ``start`` and ``end`` in seconds on the recording's clock, as a run's
        rows: after a break, from its stretch's start (:attr:`EEGRecording.stretch_starts`:
        a CSV's timestamps, MNE's ``raw.times``, an OpenBCI file's counter); without them,
        the recording's samples counted from its first (until session 54 always so).

    Raises
    ------
    TooShortError
        Naming the recording when no full window fits.
    SignalTypeError
        Naming the recording: its rate is not ``sfreq`` (EEG is never resampled).
    """
    import pandas as pd

    rate = _cut_rate(recording, sfreq)
    n_win, _ = window_samples(rate, window, hop)
    starts = window_starts(recording.n_times, rate, window, hop, breaks=recording.breaks)
    if starts.size == 0:
        raise TooShortError(
            recording.source,
            f"{recording.n_times / rate:.3f} s holds no {window} s window"
            + (" between its gaps" if recording.breaks else ""),
        )
    idx = starts[:, None] + np.arange(n_win)[None, :]
    epochs = np.ascontiguousarray(np.moveaxis(recording.data[:, idx], 1, 0))
    at = starts / rate
    if recording.stretch_starts:
        # each window on the clock from its stretch's start (a window lies in one stretch)
        edges = np.asarray([0, *recording.breaks])
        which = np.searchsorted(edges, starts, side="right") - 1
        at = np.asarray(recording.stretch_starts)[which] + (starts - edges[which]) / rate
    meta = pd.DataFrame(
        {
            **{k: [v] * len(starts) for k, v in recording.ids.items()},
            "source": recording.source,
            "window": np.arange(len(starts)),
            "start": at,
            "end": at + n_win / rate,
        }
    )
    return epochs, meta


def window_recordings(
    recordings: Sequence[EEGRecording],
    window: float,
    hop: float | None = None,
    *,
    sfreq: float | None = None,
) -> tuple[np.ndarray, pd.DataFrame]:  # noqa: F821
    """:func:`window_recording` over several recordings (same rate and channels), stacked.

    Recordings with no full window are skipped with a warning naming them. ``sfreq``: the
    rate to cut every recording at (see :func:`window_recording`); needed for CSV
    recordings, whose rates are estimated from their timestamps and differ from file to
    file (the Muse corpus: 255.77-256.20 Hz, so 4 s were 1024 samples in one file and 1025
    in another); the windows then go to an extractor with that ``sfreq``.

    Raises
    ------
    ChannelError
        Naming the first recording whose channels or rate differ from the first one's.
    """
    import warnings

    import pandas as pd

    from .extractor import channel_difference
    from .readers import EstimatedRate

    if not recordings:
        raise ValueError("no recordings to window")
    first = recordings[0]
    first_rate = _cut_rate(first, sfreq)
    parts, metas = [], []
    for rec in recordings:
        rate = _cut_rate(rec, sfreq)
        differ = []
        if tuple(rec.ch_names) != tuple(first.ch_names):
            # what differs first, as an extractor says it: two lists of 64 names hid it
            which = channel_difference(rec.ch_names, first.ch_names,
                                       theirs="in the first recording")
            differ.append(f"its channels differ from {first.source}'s: {which} "
                          f"({list(rec.ch_names)} against {list(first.ch_names)})")
        if rate != first_rate:
            differ.append(f"its rate {rate} Hz differs from {first.source}'s {first_rate} Hz")
            if any(isinstance(r.sfreq, EstimatedRate) for r in (rec, first)):
                differ.append("rates estimated from timestamps differ from file to file: "
                              "pass sfreq (the device's rate) to cut them all at it")
        if differ:
            raise EEGChannelError(rec.source, "; ".join(differ))
        try:
            ep, meta = window_recording(rec, window, hop, sfreq=sfreq)
        except TooShortError as exc:
            warnings.warn(str(exc), stacklevel=2)
            continue
        parts.append(ep)
        metas.append(meta)
    if not parts:
        raise TooShortError(first.source, f"no recording holds a {window} s window")
    return np.concatenate(parts), pd.concat(metas, ignore_index=True)


# --------------------------------------------------------------------------- filtering


def filter_recording(
    data: np.ndarray | EEGRecording,
    sfreq: float | None = None,
    l_freq: float | None = None,
    h_freq: float | None = None,
    *,
    notch: float | Sequence[float] | None = None,
    breaks: Sequence[int] = (),
) -> np.ndarray | EEGRecording:
    """Notch and band-pass filtering through MNE (zero-phase FIR, MNE's defaults), in that
    order: the notch first, then the band-pass (as ``raw.notch_filter(...)`` then
    ``raw.filter(...)``; the two orders differ only where a filter is longer than the
    signal).

    A recording with gaps (``breaks``: samples dropped by a wireless headset, a
    ``BAD_ACQ_SKIP`` span cut out, the join of two raws, ``EDGE boundary``) is filtered
    stretch by stretch, as MNE's
    ``Raw.filter`` filters the segments between its skip annotations, so that no filter
    spreads one side of a gap over the other.

    Parameters
    ----------
    data : ndarray, shape (..., n_times), or EEGRecording
        A recording gives its own ``sfreq`` and ``breaks`` and comes back as a recording
        (the same channels, ids and breaks, the data filtered). The masked samples of a
        ``numpy.ma`` masked array are NaN samples (see ``notch``).
    sfreq : float
        The rate (Hz) of an array; a recording's own by default.
    l_freq, h_freq : float or None
        High-pass and low-pass edges in Hz (None: not applied).
    notch : float or sequence of float or None
        Line frequencies to notch out (e.g. ``50`` or ``(50, 100)``): the filter of
        :func:`mne.filter.notch_filter` (FIR, its defaults), applied as the band-pass is, so
        that a NaN or infinite sample makes NaN only the outputs within the filters' reach.
    breaks : sequence of int
        Sample indices of an array's gaps (a recording's own by default).

    Returns
    -------
    ndarray of float64, same shape, or EEGRecording

    Raises
    ------
    ValueError
        Naming the recording and the parameter: an edge or notch the rate cannot take, or an
        edge whose filter (MNE's automatic length) is longer than the recording and than
        :data:`emofeat.extractors.eeg.MAX_FIR_TAPS` samples (``l_freq=1e-9`` asked MNE for
        6 TiB).
    """
    if isinstance(data, EEGRecording):
        rec = data
        try:
            out = filter_recording(rec.data, rec.sfreq if sfreq is None else sfreq, l_freq,
                                   h_freq, notch=notch, breaks=breaks or rec.breaks)
        except ValueError as exc:
            # a parameter its rate cannot take: said of the recording, which a loop over a
            # corpus's trials needs to know (the rate is the recording's)
            raise ValueError(f"{rec.source}: {exc}") from exc
        # the filters are MNE's design (create_filter): MNE decided the samples, as it
        # decides eeg_de(method="filter")'s numbers, so a run given them names it; asked
        # for no filter (every edge and the notch None, l_freq=0 alone), the samples come
        # back unchanged, which MNE did not decide
        filtered = (notch is not None or h_freq is not None
                    or (l_freq is not None and l_freq != 0))
        return replace(rec, data=out, read_by_mne=rec.read_by_mne or filtered)
    if sfreq is None:
        raise ValueError("filter_recording needs sfreq for an array (a recording has its own)")
    if l_freq is not None and l_freq == 0:
        # no highpass, as mne.filter.filter_data takes it (l_freq=0 alone was that already,
        # l_freq=0 beside h_freq was refused)
        l_freq = None
    freqs = _notch_and_edges(sfreq, l_freq, h_freq, notch)
    # masked samples as NaN ones, whose reach the filters keep to (a masked array's data
    # filtered spread the values under its mask over seconds)
    x = np.asarray(masked_as_nan(data), dtype=np.float64)
    if l_freq is not None or h_freq is not None:
        from emofeat.extractors.eeg import check_fir_length

        # against the whole recording, before any stretch is filtered: a filter no longer
        # than the recording is designed, even where a stretch between gaps is shorter
        check_fir_length(sfreq, l_freq, h_freq, x.shape[-1])
    edges = sorted({0, *(int(b) for b in breaks if 0 < int(b) < x.shape[-1]), x.shape[-1]})
    if len(edges) > 2:
        return np.concatenate([_filtered(x[..., a:b], sfreq, l_freq, h_freq, freqs)
                               for a, b in zip(edges[:-1], edges[1:], strict=True)], axis=-1)
    return _filtered(x, sfreq, l_freq, h_freq, freqs)


def _notch_and_edges(sfreq: float, l_freq: float | None, h_freq: float | None,
                     notch: float | Sequence[float] | None) -> np.ndarray | None:
    """The notch frequencies as an array (``None``: no notch), once every edge and notch
    is one the rate can take: a ``ValueError`` saying which is not, before any stretch is
    filtered."""
    # NaN, as an edge or a notch, was MNE's "cannot convert float NaN to integer"
    for name, value in (("l_freq", l_freq), ("h_freq", h_freq)):
        if value is not None and not np.isfinite(value):
            raise ValueError(f"{name} must be a finite number of Hz or None, got {value}")
    freqs = None
    if notch is not None:
        freqs = np.atleast_1d(np.asarray(notch, dtype=float))
        if freqs.ndim != 1:  # [[50]] was NumPy's "only 0-dimensional arrays ..."
            raise ValueError(f"notch={notch!r} must be a frequency or a flat sequence of "
                             "them in Hz")
        if freqs.size == 0:  # it was NumPy's "can only convert an array of size 1"
            raise ValueError(f"notch={notch!r} holds no frequency: give one or more in Hz, "
                             "or None for no notch")
        if not np.isfinite(freqs).all():
            raise ValueError(f"notch frequencies must be finite numbers of Hz, got {freqs}")
        if (freqs <= 0).any() or (freqs >= sfreq / 2).any():
            raise ValueError(f"notch frequencies must lie in (0, {sfreq / 2}) Hz, got {freqs}")
    if l_freq is not None and h_freq is not None and not 0 < l_freq < h_freq:
        raise ValueError(f"need 0 < l_freq < h_freq (l_freq 0 or None: no highpass), got "
                         f"{l_freq}, {h_freq}")
    # one edge alone: h_freq=0 was taken (a lowpass at 0 Hz), l_freq past Nyquist was
    # scipy's "Invalid cutoff frequency", naming neither
    if h_freq is not None and h_freq <= 0:
        raise ValueError(f"h_freq={h_freq} must be above 0 Hz (None: no lowpass)")
    if l_freq is not None and l_freq < 0:
        raise ValueError(f"l_freq={l_freq} must be above 0 Hz (0 or None: no highpass)")
    for name, value in (("l_freq", l_freq), ("h_freq", h_freq)):
        if value is not None and value >= sfreq / 2:
            raise ValueError(f"{name}={value} must be below Nyquist ({sfreq / 2} Hz)")
    return freqs


def _filtered(x: np.ndarray, sfreq: float, l_freq: float | None, h_freq: float | None,
              freqs: np.ndarray | None) -> np.ndarray:
    from emofeat.extractors.eeg import _fir_filter_unchecked, _fir_notch

    if freqs is not None:
        # mne.filter.notch_filter's filter, applied so that a NaN sample does not spread
        x = _fir_notch(x, sfreq, freqs)
    if l_freq is not None or h_freq is not None:
        x = _fir_filter_unchecked(x, sfreq, l_freq, h_freq)  # filter_recording checked it
    return x


# --------------------------------------------------------------------------- baseline


def baseline_correct(
    features: np.ndarray, baseline: np.ndarray, *, mode: str = "subtract"
) -> np.ndarray:
    """Correct features by those of a baseline segment (DREAMER and DEAP practice).

    Parameters
    ----------
    features : ndarray, shape (n_windows, n_features) or (n_features,)
        Features of the stimulus windows of one trial.
    baseline : ndarray, shape (n_baseline_windows, n_features) or (n_features,)
        Features of the trial's baseline windows; they are averaged first, feature by
        feature over the windows where it is finite (a window holding a NaN sample, or of
        a flat channel, is a missing observation, as in :func:`smooth_table`); a feature
        with no finite baseline window is NaN after correction. A 1-D baseline (features
        already averaged) is used as it is.
    mode : {"subtract", "ratio"}
        ``subtract``: ``f - mean(b)`` (for log features such as dB power and DE);
        ``ratio``: ``f / mean(b)`` (for linear power, as Katsigiannis and Ramzan 2018).

    Returns
    -------
    ndarray, shape of ``features``
    """
    f = np.asarray(features, dtype=np.float64)
    b = np.asarray(baseline, dtype=np.float64)
    if f.ndim not in (1, 2) or b.ndim not in (1, 2):
        raise ValueError("features and baseline must be (n_windows, n_features) or "
                         f"(n_features,), got shapes {f.shape} and {b.shape}")
    if b.ndim == 2 and b.shape[0] == 0:
        raise ValueError("the baseline has no windows to average")
    # averaged whatever the features' shape: a 1-D trial with 2-D baseline windows gave
    # one row per baseline window. NaN (and infinite) windows left out, as smooth_table's
    # LDS leaves them out: one NaN sample in a 6 s baseline made that channel's every
    # corrected feature of the trial NaN
    if b.ndim == 2:
        finite = np.isfinite(b)
        count = finite.sum(axis=0)
        with np.errstate(invalid="ignore", divide="ignore"):
            ref = np.where(finite, b, 0.0).sum(axis=0) / count
        ref[count == 0] = np.nan
    else:
        ref = b
    if ref.shape[-1] != f.shape[-1]:
        raise ValueError(f"baseline has {ref.shape[-1]} features, the trial {f.shape[-1]}")
    if mode == "subtract":
        return f - ref
    if mode == "ratio":
        with np.errstate(divide="ignore", invalid="ignore"):
            return f / ref
    raise ValueError(f"baseline mode must be 'subtract' or 'ratio', got {mode!r}")


# --------------------------------------------------------------------------- tables


def extract_recordings(
    recordings: Sequence[EEGRecording],
    sets: Sequence[Any] | str,
    *,
    segment: float | None = None,
    hop: float | None = None,
    baseline: str | None = None,
    n_jobs: int = 1,
):
    """Features of corpus trials (DEAP, DREAMER, SEED readers) as a feature table with their ids.

    Parameters
    ----------
    recordings : sequence of EEGRecording
    sets : feature set names (``"eeg_de"``, ``["eeg_bands", "eeg_asymmetry"]``) or extractors
    segment, hop : float, optional
        Windows in seconds (the runner's windows: the last one may be shorter, down to what
        the sets can analyse).
    baseline : {None, "subtract", "ratio"}
        Correct each recording's rows by the mean features of the windows of its
        ``baseline`` segment (:func:`baseline_correct`; ``subtract`` for log features such as
        DE and dB power, ``ratio`` for linear power).
    n_jobs : int
        Worker processes of the runner.

    Returns
    -------
    FeatureTable
        One row per window (or recording), with ``path`` = the recording's ``source``, its
        ``ids`` as columns, ``start``/``end``/``epoch``: a recording with ``breaks`` is cut
        there (``epoch`` numbers its gap-free stretches, ``start``/``end`` count from the
        start of each), as the runner cuts it.
    """
    from .registry import get_extractor
    from .runner import run

    if isinstance(sets, str):
        sets = [s.strip() for s in sets.split(",")]
    exts = [get_extractor(s) if isinstance(s, str) else s for s in sets]
    recordings = list(recordings)
    if not recordings:
        raise ValueError("no recordings given")
    # the recordings themselves, cut at their breaks as the runner cuts them (their tuples
    # have no breaks: windows spanned the gaps of a Muse file, 20 where 18 fit between
    # them); named by position, matched back below
    def positioned(items: list, sources: list[str]):
        """The run's table of ``items`` (named ``<array k>`` in it, ``sources[k]`` in its
        warnings and errors) and each row's position ``k``."""
        with _named_by_source(sources):
            got = run(items, exts, segment=segment, hop=hop, n_jobs=n_jobs,
                      on_error="raise").table
        at = got.index["path"].str.extract(f"^{_POSITION.pattern}$")[0]
        return got, at.astype(int).to_numpy()

    table, pos = positioned(
        [replace(r, source=f"<array {k}>") for k, r in enumerate(recordings)],
        [r.source for r in recordings])
    if baseline is not None:
        if baseline not in ("subtract", "ratio"):
            raise ValueError(f"baseline must be None, 'subtract' or 'ratio', got {baseline!r}")
        missing = [r.source for r in recordings if r.baseline is None]
        if missing:
            raise InputError(missing[0], "has no baseline segment to correct with")
        base, bpos = positioned([(r.baseline, r.sfreq, r.ch_names) for r in recordings],
                                [f"{r.source} (baseline)" for r in recordings])
        X = np.array(table.X, dtype=np.float64, copy=True)
        for k in range(len(recordings)):
            X[pos == k] = baseline_correct(X[pos == k], base.X[bpos == k], mode=baseline)
        table.X = X
    index = table.index
    index["path"] = [recordings[k].source for k in pos]
    keys = list(dict.fromkeys(k for r in recordings for k in r.ids))
    for i, key in enumerate(keys):
        index.insert(1 + i, key, [recordings[k].ids.get(key) for k in pos])
    return table


#: how a run labels the ``k``-th recording given in memory (``readers``' ``<array k>``):
#: extract_recordings matches its rows back, and renames its messages, by it
_POSITION = re.compile(r"<array (\d+)>")


@contextlib.contextmanager
def _named_by_source(sources: Sequence[str]) -> Iterator[None]:
    """The warnings and the input error of a run over recordings named ``<array k>`` (so
    that its rows can be matched back) name ``sources[k]`` instead: a DREAMER trial's flat
    channel or short recording was ``<array 1>: ...``, naming no trial. The error's problem
    too, where it names another recording (the one whose rate the sets were fitted at)."""
    def named(text: str) -> str:
        return _POSITION.sub(lambda m: sources[int(m.group(1))]
                             if int(m.group(1)) < len(sources) else m.group(0), text)

    failed = None
    with warnings.catch_warnings(record=True) as caught:
        try:
            yield
        except InputError as exc:
            failed = exc
    # outside the recording: the caller's filters decide what is shown
    for w in caught:
        warnings.warn_explicit(named(str(w.message)), w.category, w.filename, w.lineno)
    if failed is not None:
        cls, args = failed.__reduce__()[:2]
        raise cls(*(named(a) if isinstance(a, str) else a for a in args)) from failed


def smooth_table(
    table,
    *,
    by: Sequence[str] = ("path", "signal_key", "epoch"),
    prefix: str = "eeg_de_",
    process_var: float = 1e-3,
    obs_var: float = 1.0,
):
    """Smooth features over the consecutive windows of each recording (SEED's ``de_LDS``).

    Applies :func:`emofeat.extractors.eeg.lds_smooth` to the columns starting with ``prefix``,
    separately for every group of rows sharing ``by`` (a recording, or a gap-free stretch of
    it; in an output, two objects of one file are told apart by their ``signal_key``), in
    time order (``start``); never across recordings. Other columns are unchanged.

    Parameters
    ----------
    table : FeatureTable
        Windows of recordings (``segment=``), with ``start``.
    by : sequence of str
        The identity columns whose values make one series (those the table has).
    prefix : str
        The feature columns to smooth.
    process_var, obs_var : float
        The LDS's variances (:func:`emofeat.extractors.eeg.lds_smooth`).

    Raises
    ------
    TypeError
        Where ``table`` is no FeatureTable (a DataFrame: ``emofeat.read_table(path)`` reads
        an output as one).
    ValueError
        Where a group repeats a window start: two inputs that ``by`` does not tell apart
        (two crops of one file extracted without an output, which has no ``signal_key``).

    Returns
    -------
    FeatureTable
        A copy with the smoothed columns.
    """
    import copy

    from emofeat.extractors.eeg import lds_smooth
    from emofeat.table import require_table

    require_table(table)
    cols = [i for i, n in enumerate(table.feature_names) if n.startswith(prefix)]
    if not cols:
        raise ValueError(f"no feature column starts with {prefix!r}")
    keys = [k for k in by if k in table.index.columns]
    if not keys:
        raise ValueError(f"none of the grouping columns {list(by)} is in the table")
    out = copy.copy(table)
    X = np.array(table.X, dtype=np.float64, copy=True)
    order = table.index.sort_values([*keys, "start"] if "start" in table.index else keys)
    # a file's rows have no signal_key (None): a group of their own, not dropped
    for group, rows in order.groupby(keys, sort=False, dropna=False).groups.items():
        rows = np.asarray(rows)
        if "start" in order and order.loc[rows, "start"].duplicated().any():
            shown = dict(zip(keys, group if isinstance(group, tuple) else (group,), strict=True))
            raise ValueError(
                f"rows of {shown} repeat a window's start: two inputs that {keys} do not tell "
                "apart (two crops of one file?), which one series would interleave; extract "
                "them into an output, whose signal_key column tells them apart, or give by= "
                "columns that do")
        X[np.ix_(rows, cols)] = lds_smooth(
            X[np.ix_(rows, cols)], process_var=process_var, obs_var=obs_var
        )
    out.X = X
    return out
