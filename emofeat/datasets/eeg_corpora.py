"""Readers of the EEG emotion corpora (DEAP, DREAMER, SEED) and the Muse mental-state recordings.

DEAP, DREAMER and SEED are distributed under signed agreements: point these readers at the
files you obtained; nothing is downloaded. Each reader returns a list of
:class:`emofeat.eeg_input.EEGRecording` (one per trial) whose ``ids`` carry ``subject``,
``trial`` (and ``session``) and the labels, ready for
:func:`emofeat.eeg_input.window_recordings` and the trial-wise / subject-wise protocols.

Expected layouts
----------------
DEAP (``data_preprocessed_python``)
    ``sNN.dat``: a Python pickle (written by Python 2) holding ``{"data": (40, 40, 8064),
    "labels": (40, 4)}``: 40 trials x 40 channels (32 EEG in the Geneva order of
    :data:`DEAP_EEG_CHANNELS`, then 8 peripheral) x 63 s at 128 Hz, the first 3 s being the
    pre-trial baseline; labels valence, arousal, dominance, liking (1-9).
DREAMER (``DREAMER.mat``)
    A MATLAB struct ``DREAMER`` with ``EEG_SamplingRate`` (128), ``EEG_Electrodes`` (14
    names) and ``Data``, a 1 x 23 cell of subject structs with ``Age``, ``Gender``,
    ``ScoreValence``/``ScoreArousal``/``ScoreDominance`` (18 ratings, 1-5) and ``EEG`` with
    ``baseline`` and ``stimuli``: 18 x 1 cells of (n_samples x 14) arrays (time in rows).
SEED (``Preprocessed_EEG``)
    One file per subject and session, ``<subject>_<date>.mat``, with 15 variables
    ``<initials>_eeg1`` ... ``<initials>_eeg15``, each (62 x n_samples) at 200 Hz in the
    channel order :data:`SEED_CHANNELS`, and ``label.mat`` beside them holding ``label``
    (1 x 15: -1 negative, 0 neutral, 1 positive).
Muse mental state (Bird et al. 2018)
    ``subject<id>-<state>-<session>.csv`` with ``timestamps,TP9,AF7,AF8,TP10,Right AUX``
    in microvolts at 256 Hz (the headband's rate; the timestamps are rounded to milliseconds,
    so their median step, 4 ms, says 250 Hz: the rate is read as the samples over the time
    their timestamps span, :func:`emofeat.eeg_input.read_recording`).
"""

from __future__ import annotations

import os
import pickle
import re
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pandas as pd

from emofeat._natural import natural_key
from emofeat.audio import is_apple_double
from emofeat.datasets._names import corpus_folder, warn_skipped
from emofeat.eeg_input import EEGRecording, read_recording
from emofeat.errors import InputError

DEAP_EEG_CHANNELS: tuple[str, ...] = (
    "Fp1",
    "AF3",
    "F3",
    "F7",
    "FC5",
    "FC1",
    "C3",
    "T7",
    "CP5",
    "CP1",
    "P3",
    "P7",
    "PO3",
    "O1",
    "Oz",
    "Pz",
    "Fp2",
    "AF4",
    "Fz",
    "F4",
    "F8",
    "FC6",
    "FC2",
    "Cz",
    "C4",
    "T8",
    "CP6",
    "CP2",
    "P4",
    "P8",
    "PO4",
    "O2",
)
DEAP_PERIPHERAL_CHANNELS: tuple[str, ...] = (
    "hEOG",
    "vEOG",
    "zEMG",
    "tEMG",
    "GSR",
    "Respiration",
    "Plethysmograph",
    "Temperature",
)
DEAP_LABELS: tuple[str, ...] = ("valence", "arousal", "dominance", "liking")
DEAP_SFREQ = 128.0
DEAP_BASELINE_S = 3.0

DREAMER_LABELS: tuple[str, ...] = ("valence", "arousal", "dominance")

SEED_CHANNELS: tuple[str, ...] = (
    "FP1",
    "FPZ",
    "FP2",
    "AF3",
    "AF4",
    "F7",
    "F5",
    "F3",
    "F1",
    "FZ",
    "F2",
    "F4",
    "F6",
    "F8",
    "FT7",
    "FC5",
    "FC3",
    "FC1",
    "FCZ",
    "FC2",
    "FC4",
    "FC6",
    "FT8",
    "T7",
    "C5",
    "C3",
    "C1",
    "CZ",
    "C2",
    "C4",
    "C6",
    "T8",
    "TP7",
    "CP5",
    "CP3",
    "CP1",
    "CPZ",
    "CP2",
    "CP4",
    "CP6",
    "TP8",
    "P7",
    "P5",
    "P3",
    "P1",
    "PZ",
    "P2",
    "P4",
    "P6",
    "P8",
    "PO7",
    "PO5",
    "PO3",
    "POZ",
    "PO4",
    "PO6",
    "PO8",
    "CB1",
    "O1",
    "OZ",
    "O2",
    "CB2",
)
SEED_SFREQ = 200.0
SEED_EMOTIONS = {-1: "negative", 0: "neutral", 1: "positive"}

_DEAP_NAME = re.compile(r"^s(?P<subject>\d+)$")
_MUSE_NAME = re.compile(r"^subject(?P<subject>[^-]+)-(?P<state>[a-z]+)-(?P<session>\d+)$")
_SEED_NAME = re.compile(r"^(?P<subject>\d+)_(?P<date>\d+)$")
_SEED_VAR = re.compile(r"^(?P<prefix>[A-Za-z]+)_eeg(?P<trial>\d+)$")


# --------------------------------------------------------------------------- DEAP


def read_deap(
    path: str | os.PathLike, *, peripheral: bool = False, split_baseline: bool = True
) -> list[EEGRecording]:
    """Trials of one DEAP subject file (``sNN.dat`` of ``data_preprocessed_python``).

    Parameters
    ----------
    path : path
    peripheral : bool
        Keep the 8 peripheral channels after the 32 EEG channels.
    split_baseline : bool
        Move the first 3 s (pre-trial baseline) to ``baseline`` and keep the 60 s of stimulus
        as ``data``; False keeps all 63 s as ``data``.

    Returns
    -------
    list of EEGRecording
        40 trials; ``ids``: ``subject`` (``"01"``), ``trial`` (1-40), valence, arousal,
        dominance, liking.
    """
    source = os.fspath(path)
    try:
        with open(source, "rb") as fh:
            obj = pickle.load(fh, encoding="latin1")
        data = np.asarray(obj["data"], dtype=np.float64)
        labels = np.asarray(obj["labels"], dtype=np.float64)
    except (OSError, pickle.UnpicklingError, KeyError, TypeError, EOFError, ValueError) as exc:
        raise InputError(
            source, f"not a DEAP preprocessed .dat file ({type(exc).__name__}: {exc})"
        ) from exc
    n_eeg = len(DEAP_EEG_CHANNELS)
    if data.ndim != 3 or data.shape[1] < n_eeg or labels.shape != (data.shape[0], 4):
        raise InputError(
            source,
            "expected data (trials, 40, samples) and labels (trials, 4), "
            f"got {data.shape} and {labels.shape}",
        )
    names = DEAP_EEG_CHANNELS + (DEAP_PERIPHERAL_CHANNELS if peripheral else ())
    data = data[:, : len(names)]
    m = re.search(r"(\d+)", Path(source).stem)
    subject = m.group(1).zfill(2) if m else Path(source).stem
    n_base = int(DEAP_BASELINE_S * DEAP_SFREQ)
    out = []
    for t in range(data.shape[0]):
        scores = dict(zip(DEAP_LABELS, labels[t].tolist(), strict=True))
        ids = {"subject": subject, "trial": t + 1, **scores}
        x = np.ascontiguousarray(data[t])
        base = None
        if split_baseline:
            base, x = np.ascontiguousarray(x[:, :n_base]), np.ascontiguousarray(x[:, n_base:])
        out.append(EEGRecording(x, DEAP_SFREQ, names, f"{source}#trial{t + 1}", ids, (), base))
    return out


def load_deap(root: str | os.PathLike, **kwargs) -> list[EEGRecording]:
    """Every ``sNN.dat`` of a DEAP ``data_preprocessed_python`` folder (see :func:`read_deap`),
    in subject order.

    Raises
    ------
    FileNotFoundError
        ``root`` is not a folder or holds no ``sNN.dat``.
    ValueError
        Naming both files, when two name one subject (``s1.dat`` and ``s01.dat``).

    Warns
    -----
    SkippedFileWarning
        Naming the ``.dat`` files left out because they are not named ``sNN.dat``
        (``s01 (1).dat``, a second copy, was read as subject 01 again).
    """
    root = corpus_folder(root, "DEAP")
    files, skipped = {}, []
    for f in sorted(root.glob("*.dat")):
        m = _DEAP_NAME.match(f.stem)
        if not m:
            if not is_apple_double(f):
                skipped.append(f)
            continue
        subject = m["subject"].zfill(2)
        if subject in files:
            raise ValueError(f"DEAP: {files[subject]} and {f} are both subject {subject}")
        files[subject] = f
    warn_skipped("DEAP", root, skipped, "s01.dat")
    if not files:
        # data_preprocessed_matlab (sNN.mat) holds the same arrays, but only the pickles are read
        raise FileNotFoundError(f"DEAP: no sNN.dat file (s01.dat ... s32.dat) in {root}: point "
                                "the loader at the data_preprocessed_python folder")
    return [rec for _, f in sorted(files.items(), key=lambda kv: int(kv[0]))
            for rec in read_deap(f, **kwargs)]


# --------------------------------------------------------------------------- DREAMER


def _field(obj, name: str, source: str):
    try:
        return getattr(obj, name)
    except AttributeError:
        raise InputError(source, f"DREAMER struct has no field {name!r}") from None


def read_dreamer(path: str | os.PathLike) -> list[EEGRecording]:
    """Trials of ``DREAMER.mat``: 23 subjects x 18 clips, 14 channels at 128 Hz.

    Returns
    -------
    list of EEGRecording
        One per subject and clip: the stimulus EEG as ``data`` and the clip's baseline
        recording as ``baseline`` (both channels x samples); ``ids``: ``subject``
        (``"01"``-``"23"``), ``trial`` (1-18), ``age``, ``gender``, valence, arousal,
        dominance.
    """
    from scipy.io import loadmat

    source = os.fspath(path)
    try:
        mat = loadmat(source, squeeze_me=True, struct_as_record=False)
    except (OSError, ValueError, NotImplementedError) as exc:
        raise InputError(source, f"cannot read DREAMER.mat ({type(exc).__name__}: {exc})") from exc
    if "DREAMER" not in mat:
        raise InputError(
            source,
            f"no DREAMER variable (found {sorted(k for k in mat if not k.startswith('__'))})",
        )
    top = mat["DREAMER"]
    sfreq = float(_field(top, "EEG_SamplingRate", source))
    names = tuple(str(n) for n in np.atleast_1d(_field(top, "EEG_Electrodes", source)))
    out = []
    for s, subj in enumerate(np.atleast_1d(_field(top, "Data", source))):
        eeg = _field(subj, "EEG", source)
        stimuli = np.atleast_1d(_field(eeg, "stimuli", source))
        baselines = np.atleast_1d(_field(eeg, "baseline", source))
        scores = {
            lab: np.atleast_1d(_field(subj, "Score" + lab.capitalize(), source))
            for lab in DREAMER_LABELS
        }
        _check_dreamer_counts(f"{source}#subject{s + 1}", len(stimuli), {
            "EEG.baseline": len(baselines),
            **{"Score" + lab.capitalize(): len(v) for lab, v in scores.items()}})
        for t in range(len(stimuli)):
            x = np.asarray(stimuli[t], dtype=np.float64)
            b = np.asarray(baselines[t], dtype=np.float64)
            where = f"{source}#subject{s + 1}/trial{t + 1}"
            if x.ndim != 2 or x.shape[1] != len(names) or b.ndim != 2 or b.shape[1] != len(names):
                raise InputError(
                    where, f"expected (n_samples, {len(names)}) arrays, got {x.shape} and {b.shape}"
                )
            ids = {
                "subject": str(s + 1).zfill(2),
                "trial": t + 1,
                "age": _scalar(getattr(subj, "Age", None)),
                "gender": _scalar(getattr(subj, "Gender", None)),
                **{lab: float(scores[lab][t]) for lab in DREAMER_LABELS},
            }
            out.append(
                EEGRecording(
                    np.ascontiguousarray(x.T),
                    sfreq,
                    names,
                    where,
                    ids,
                    (),
                    np.ascontiguousarray(b.T),
                )
            )
    return out


def _check_dreamer_counts(where: str, n_trials: int, counts: dict[str, int]) -> None:
    """Refuse a DREAMER subject whose baselines or scores are not one per stimulus trial:
    a score array shorter than the trials was a bare ``IndexError`` naming nothing, and a
    longer one cannot say which trial each score belongs to."""
    wrong = [f"{name} has {n}" for name, n in counts.items() if n != n_trials]
    if wrong:
        raise InputError(where, f"{n_trials} trials in EEG.stimuli, but {', '.join(wrong)} "
                         "(one per trial expected)")


def _scalar(v):
    if v is None:
        return None
    v = np.asarray(v)
    return v.item() if v.size == 1 else str(v)


# --------------------------------------------------------------------------- SEED


def read_seed_labels(path: str | os.PathLike) -> np.ndarray:
    """The 15 trial labels (-1, 0, 1) of SEED's ``label.mat``."""
    from scipy.io import loadmat

    if not Path(path).is_file():
        raise FileNotFoundError(f"SEED: {path} does not exist (label.mat of Preprocessed_EEG "
                                "holds the 15 trial labels)")
    mat = loadmat(os.fspath(path), squeeze_me=True)
    if "label" not in mat:
        raise InputError(os.fspath(path), "no 'label' variable")
    return np.atleast_1d(mat["label"]).astype(int)


def _seed_ids(path: Path) -> tuple[str, str]:
    """``(subject, session)`` of a SEED session file ``<subject>_<date>.mat``, the subject
    without leading zeros as the corpus writes it (``01_20140404.mat``, a renamed copy, was
    subject ``"01"`` beside ``1_20131027.mat``'s ``"1"``: one person as two subjects of a
    subject-wise split); the file's stem and no session for another name."""
    m = _SEED_NAME.match(path.stem)
    if not m:
        return path.stem, ""
    return str(int(m.group("subject"))), m.group("date")


def read_seed(path: str | os.PathLike, labels: Sequence[int] | None = None) -> list[EEGRecording]:
    """Trials of one SEED session file (``Preprocessed_EEG/<subject>_<date>.mat``).

    Parameters
    ----------
    path : path
    labels : sequence of int, optional
        Trial labels; default: ``label.mat`` in the same folder.

    Returns
    -------
    list of EEGRecording
        15 trials in trial order; ``ids``: ``subject``, ``session`` (the date), ``trial``,
        ``label`` (-1/0/1) and ``emotion`` (negative/neutral/positive).
    """
    from scipy.io import loadmat

    source = os.fspath(path)
    try:
        mat = loadmat(source)
    except (OSError, ValueError, NotImplementedError) as exc:
        raise InputError(source, f"cannot read SEED .mat ({type(exc).__name__}: {exc})") from exc
    trials = sorted(
        ((int(m.group("trial")), k) for k in mat if (m := _SEED_VAR.match(k))), key=lambda kv: kv[0]
    )
    if not trials:
        raise InputError(
            source, "no <initials>_eeg<N> variables (not a SEED Preprocessed_EEG file)"
        )
    if labels is None:
        label_file = Path(source).with_name("label.mat")
        if not label_file.is_file():
            raise InputError(source, f"no labels given and no {label_file.name} beside the file")
        labels = read_seed_labels(label_file)
    labels = list(labels)
    if len(labels) < trials[-1][0]:
        raise InputError(source, f"{len(labels)} labels for trials up to {trials[-1][0]}")
    subject, session = _seed_ids(Path(source))
    out = []
    for trial, key in trials:
        x = np.asarray(mat[key], dtype=np.float64)
        if x.ndim != 2 or x.shape[0] != len(SEED_CHANNELS):
            raise InputError(
                f"{source}#{key}", f"expected ({len(SEED_CHANNELS)}, n_samples), got {x.shape}"
            )
        lab = int(labels[trial - 1])
        if lab not in SEED_EMOTIONS:
            raise InputError(source, f"trial {trial}: label {lab} is not -1, 0 or 1 "
                             "(negative, neutral, positive)")
        ids = {
            "subject": subject,
            "session": session,
            "trial": trial,
            "label": lab,
            "emotion": SEED_EMOTIONS[lab],
        }
        out.append(
            EEGRecording(np.ascontiguousarray(x), SEED_SFREQ, SEED_CHANNELS, f"{source}#{key}", ids)
        )
    return out


def load_seed(root: str | os.PathLike) -> list[EEGRecording]:
    """Every session file of a SEED ``Preprocessed_EEG`` folder (see :func:`read_seed`).

    Files are read in natural order, subject by subject (``2_...`` before ``10_...``) and
    each subject's sessions by date.

    Raises
    ------
    FileNotFoundError
        ``root`` is not a folder, or holds no ``label.mat`` or no ``<subject>_<date>.mat``.

    Warns
    -----
    SkippedFileWarning
        Naming the ``.mat`` files (other than ``label.mat``) left out because they are not
        named ``<subject>_<date>.mat``.
    """
    root = corpus_folder(root, "SEED")
    labels = read_seed_labels(root / "label.mat")
    files, skipped = [], []
    for f in root.glob("*.mat"):
        if _SEED_NAME.match(f.stem):
            files.append(f)
        elif f.name != "label.mat" and not is_apple_double(f):
            skipped.append(f)
    warn_skipped("SEED", root, sorted(skipped), "1_20131027.mat")
    if not files:
        raise FileNotFoundError(f"SEED: no <subject>_<date>.mat file in {root}")
    seen: dict[tuple[str, str], Path] = {}
    for f in sorted(files):
        ids = _seed_ids(f)
        if ids in seen:  # 1_20140404.mat and 01_20140404.mat: one session read twice
            raise ValueError(f"SEED: {seen[ids]} and {f} are both subject {ids[0]}, session "
                             f"{ids[1]}")
        seen[ids] = f
    # by name, "10_..." came before "1_...": subjects out of order in every table
    files.sort(key=lambda f: natural_key(f.stem))
    return [rec for f in files for rec in read_seed(f, labels)]


# --------------------------------------------------------------------------- Muse


def load_muse_mental_state(root: str | os.PathLike) -> pd.DataFrame:
    """Manifest of the Muse mental-state recordings: ``path``, ``subject``, ``state``, ``session``.

    Labels come from the file names ``subject<id>-<state>-<session>.csv``; rows are sorted
    by file name.

    Warns
    -----
    SkippedFileWarning
        Naming the CSV files left out because their names do not follow the pattern.
    """
    root = corpus_folder(root, "Muse")
    rows, skipped = [], []
    for f in sorted(root.glob("*.csv")):
        if is_apple_double(f):  # a macOS resource fork
            continue
        m = _MUSE_NAME.match(f.stem)
        if m:
            rows.append({"path": str(f.resolve()), **m.groupdict()})
        else:
            skipped.append(f)
    warn_skipped("Muse", root, skipped, "subjecta-relaxed-1.csv")
    if not rows:
        raise FileNotFoundError(f"Muse: no subject<id>-<state>-<session>.csv file in {root}")
    return pd.DataFrame(rows)


def read_muse(path: str | os.PathLike, **kwargs) -> EEGRecording:
    """One Muse CSV: TP9, AF7, AF8, TP10 in microvolts (``Right AUX`` dropped), gaps as breaks.

    ``ids`` hold ``subject``, ``state`` and ``session`` parsed from the file name when it
    follows the corpus's pattern. Keyword arguments go to
    :func:`emofeat.eeg_input.read_recording`.

    The rate is estimated from the timestamps (about 256.02 Hz for the 256 Hz headband), an
    :class:`~emofeat.readers.EstimatedRate`: an extractor with ``sfreq=256`` analyses the
    recording, its ``as_tuple()`` or ``(data, sfreq)`` at 256 Hz, as it does the file.
    """
    m = _MUSE_NAME.match(Path(path).stem)
    ids = {**(m.groupdict() if m else {}), **kwargs.pop("ids", {})}
    kwargs.setdefault("picks", ["TP9", "AF7", "AF8", "TP10"])
    return read_recording(path, ids=ids, **kwargs)
