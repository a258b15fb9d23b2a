"""Does a trained model apply to a new feature table?

Checks made by :meth:`TrainedModel.predict <emofeat.classifiers.TrainedModel.predict>`:

* **provenance** (refusal): same column names do not mean same features. A model trained on
  ``mfcc`` at 16 kHz accepts a table extracted at 8 kHz with identical column names, and
  predicts nonsense. The model keeps the extraction parameters of its training table; a
  table computed with other ones is refused with :class:`ProvenanceError` naming each
  differing parameter (``force=True`` / ``--force`` predicts anyway, with a warning).
* **feature shift** (warning): the mean of each feature over the new table, in standard
  deviations of the training rows. Another corpus, microphone or loudness moves most
  features by more than one standard deviation; the model then sees inputs it never saw.
* **collapse** (warning): one class takes almost every prediction although it was a
  minority in training, the usual symptom of the shift above.
* **emofeat version** (warning): the table was extracted by another emofeat version than
  the training table; a feature whose definition changed keeps its name and parameters.

Both warnings point to per-speaker / per-corpus standardisation (``standardize="group"``,
``emofeat train --per-group-std``), which removes such level shifts. They are
:class:`PredictionWarning` s, never errors: a table of one class is legitimate.
"""

from __future__ import annotations

import re
import warnings
from typing import Any

import numpy as np
import pandas as pd

from emofeat._wording import counted, noun
from emofeat.errors import option
from emofeat.table import rate_difference, rate_text

from .validation import DataError

__all__ = ["COLLAPSE_SHARE", "COLLAPSE_TRAIN_SHARE", "MIN_ROWS_COLLAPSE", "MIN_ROWS_PER_GROUP",
           "MIN_ROWS_SHIFT", "SHIFT_Z", "PredictionWarning", "ProvenanceError",
           "blank_rows_message", "check_provenance", "class_collapse", "collapse_message",
           "empty_text_message", "empty_text_rows", "feature_provenance", "feature_shift",
           "feature_stats", "numbers_message", "provenance_differences", "shift_message",
           "seen_groups_message", "small_groups_message", "version_message"]

# Extraction parameters not compared as recorded: float32 vs float64 computation gives the
# same features in most configurations (MFCC functionals of band-limited RAVDESS at the
# default settings: within 1.4e-4 of a standard deviation), but not where a set says that
# float32's rounding shows (its precision_matters(): MFCC with power=1, up to 0.94 standard
# deviations; the librosa set on band-limited input, 2.7): there the precisions the two
# tables were computed in are compared (_precision_difference), "auto" as it resolved.
IGNORED_PARAMS = frozenset({"precision"})

# median |z| of the feature means above which the table is "far". Calibrated on mfcc
# functionals: a model trained on 20 RAVDESS actors sees each held-out actor at 0.29-0.49
# (0.15-0.23 for groups of 4), each EmoDB speaker at 1.11-1.49 (1.2 for the corpus).
SHIFT_Z = 0.75
MIN_ROWS_SHIFT = 10  # fewer rows give a mean too noisy to judge a shift
COLLAPSE_SHARE = 0.9  # one class predicted for at least this share of rows ...
MIN_ROWS_COLLAPSE = 20  # ... of at least this many rows ...
COLLAPSE_TRAIN_SHARE = 0.5  # ... while it was at most this share of the training rows
# fewest rows of a speaker for per-speaker statistics worth having at prediction time: on
# mfcc functionals of 3 new RAVDESS actors (4 emotions, model trained on 8 actors) accuracy
# was 0.33 / 0.44 / 0.61 / 0.64 / 0.64 with 1 / 2 / 4 / 6 / 12 rows per speaker and call
MIN_ROWS_PER_GROUP = 10

_STANDARDISE_HINT = ("per-speaker or per-corpus standardisation removes such level shifts: "
                     "train with standardize='group' (emofeat train --per-group-std) and give "
                     "the speaker/corpus column at prediction time")


class ProvenanceError(DataError):
    """The table's features were computed with other parameters than the model's."""


class PredictionWarning(UserWarning):
    """Predictions that are likely unreliable (inputs far from training, collapsed classes)."""


def matched_by_name(table, names: list[str]):
    """``table`` with its features in the order of ``names`` when it holds the same features
    in another order (sets extracted in another order, a table written by another tool):
    columns are matched by name, not by position. Otherwise ``table`` as it is (the caller
    reports other names)."""
    own = list(table.feature_names)
    if own != names and sorted(own) == sorted(names) and len(set(own)) == len(own):
        return table.select(names)
    return table


def feature_provenance(provenance: dict[str, Any] | None) -> dict[str, Any]:
    """What a model keeps of its training table's provenance: level, sets with their class
    and parameters, emofeat version."""
    prov = provenance or {}
    out = {
        "level": prov.get("level"),
        "emofeat_version": prov.get("emofeat_version"),
        # a set's data files' contents ({path: sha256}: a lexicon given by its path) are
        # kept with its parameters: the same path may hold another lexicon at prediction time
        # the class as info prints it for a table ('set mfcc (emofeat.extractors.mfcc.MFCC)')
        "sets": [{"name": s.get("name"),
                  **({"class": s["class"]} if isinstance(s.get("class"), str) else {}),
                  "params": dict(s.get("params") or {}),
                  **({"files": dict(s["files"])} if isinstance(s.get("files"), dict) else {}),
                  # absent: 0 (the set never changed its numbers for the same parameters)
                  **({"numbers_version": s["numbers_version"]}
                     if isinstance(s.get("numbers_version"), int) else {})}
                 for s in prov.get("sets", []) if isinstance(s, dict)],
    }
    if "segments" in prov:  # recorded by extract (None: whole inputs); absent in memory
        out["segments"] = prov["segments"]
    if prov.get("sfreq") is not None:  # EEG: the rate the sets were fitted at
        out["sfreq"] = prov["sfreq"]
    return out


def _window(segments: Any) -> float | None:
    """The window length of a run cut into fixed windows; ``None`` for whole inputs or a
    manifest's segments (rows of their own length either way)."""
    return float(segments["segment"]) if isinstance(segments, dict) \
        and segments.get("segment") is not None else None


def _rows_text(window: float | None) -> str:
    return "whole inputs or manifest segments" if window is None else f"windows of {window:g} s"


def provenance_differences(trained: dict[str, Any] | None,
                           provenance: dict[str, Any] | None) -> list[str]:
    """How the table's extraction differs from the model's training table, one line each.

    Only what both sides record is compared: the level and the parameters of every set both
    record (a table built in memory has no parameters to compare; a parameter added in a
    later emofeat version is not a difference; a set only one side records is left to the
    feature names).

    Parameters
    ----------
    trained : dict
        :func:`feature_provenance` of the training table.
    provenance : dict
        The new table's ``provenance``.

    Returns
    -------
    list of str
        ``"mfcc.sr = 8000 (model: 16000)"`` and the like; empty when nothing differs.
    """
    if not trained:
        return []
    new = feature_provenance(provenance)
    out = []
    if trained.get("level") and new["level"] and trained["level"] != new["level"]:
        out.append(f"level = {new['level']!r} (model: {trained['level']!r})")
    # functionals summarise a row's frames: over 1 s windows they are other statistics than
    # over whole utterances (range, slope, percentiles grow with the duration); the hop only
    # says where rows start. LLD frames do not depend on the cut.
    if "segments" in trained and "segments" in new and new["level"] != "lld":
        old_w, new_w = _window(trained["segments"]), _window(new["segments"])
        if old_w != new_w:
            out.append(f"rows = {_rows_text(new_w)} (model: {_rows_text(old_w)})")
    # EEG sets with sfreq=None analyse each recording at its own rate: the same column names
    # at another rate are other features (Hjorth's mobility is per sample: a Muse recording
    # kept one sample in two has 1.6 times its median), so the rates must agree as the
    # parameters do, within EEG_RATE_RTOL (a Muse file with dropped samples estimates 0.7 % off)
    old_r, new_r = trained.get("sfreq"), new.get("sfreq")
    if rate_difference(old_r, new_r):
        # the rate each table's sets were fitted at: the first recording's, or that of the
        # recording a set was fitted on before the run (5ba4e7d)
        out.append(f"sampling rate = {rate_text(new_r)} (model: {rate_text(old_r)}; the "
                   "rate each table's sets were fitted at)")
    # where both record the rate analysed at, that rate is compared, not the sets' sfreq
    # parameter: sfreq=256 and sfreq=None (the Muse estimate, 256.01 Hz) give the same
    # features, and were refused as 'eeg_bands.sfreq = 256 (model: None)'
    ignored = IGNORED_PARAMS | ({"sfreq"} if _recorded(old_r) and _recorded(new_r) else set())
    # sets without recorded parameters (a table built in memory) cannot be compared
    old_sets = {s["name"]: s["params"] for s in trained.get("sets", []) if s["params"]}
    new_sets = {s["name"]: s["params"] for s in new["sets"] if s["params"]}
    old_files = {s["name"]: s["files"] for s in trained.get("sets", []) if s.get("files")}
    new_files = {s["name"]: s["files"] for s in new["sets"] if s.get("files")}
    # the sets each side records are not compared, only the parameters of the sets both
    # record: the columns are matched by name, and each name starts with its set's, so a set
    # only one side records either has no column the model uses (dropped with select(), a
    # table extracted with more sets) or leaves columns missing, which check_features names.
    # Neither is their order (the same sets extracted in another order, reordered).
    for name, old in old_sets.items():
        cur = new_sets.get(name)
        if cur is None:
            continue
        of, nf = old_files.get(name), new_files.get(name)
        for key in sorted(set(old) & set(cur) - ignored):
            # where both sides record the set's files, a path is compared by its content: a
            # lexicon edited in place gives other features under the same path, a copy of it
            # elsewhere the same ones (a model recording no files compares the paths)
            a, b = (old[key], cur[key]) if not (of and nf) else \
                (_by_content(old[key], of), _by_content(cur[key], nf))
            if not _same(a, b):
                out.append(_param_difference(name, key, cur[key], old[key], nf, of))
        if "precision" in old and "precision" in cur:
            line = _precision_difference(name, old, cur)
            if line:
                out.append(line)
    return out


def _precision_difference(name: str, old: dict[str, Any], cur: dict[str, Any]) -> str | None:
    """The line of a precision that gives the table other features than the model's: the
    set (as this emofeat version defines it, with each side's parameters) says float32 and
    float64 differ in that configuration (``precision_matters()``), and the precisions the
    two tables ran in differ (``"auto"`` as :meth:`frame_precision` resolves it; an output
    records it resolved). ``None`` otherwise, and for a set this version cannot build."""
    from emofeat.registry import get_extractor

    try:
        exts = [get_extractor(name, **params) for params in (old, cur)]
        if not any(getattr(e, "precision_matters", lambda: False)() for e in exts):
            return None
        ran = [e.frame_precision() if hasattr(e, "frame_precision") else e.precision
               for e in exts]
    except (ValueError, TypeError):
        # get_extractor's refusal of a set unknown here or of parameters it does not take
        # (ValueError), or a recorded value of a type the set cannot compare (TypeError): not
        # compared; anything else is a bug that should show
        return None
    if ran[0] == ran[1]:
        return None
    # precision_matters() is a rule, not a measurement of these tables: where it holds the
    # measured difference ranges from ~0.002 to ~1 standard deviation, so "may"
    return (f"{name}.precision = {ran[1]!r} (model: {ran[0]!r}): float32 and float64 may give "
            f"other {name} features with these parameters (emofeat's conservative rule: "
            f"precision is compared wherever float32's rounding may show in {name})")


class _Content(str):
    """A data file's path in a set's parameters, compared by its recorded content hash."""


def _by_content(value: Any, files: dict[str, str]) -> Any:
    """``value`` with each path that ``files`` records replaced by its content hash."""
    if isinstance(value, list | tuple):
        return [_by_content(v, files) for v in value]
    if isinstance(value, dict):
        return {k: _by_content(v, files) for k, v in value.items()}
    if isinstance(value, str) and value in files:
        return _Content(f"sha256:{files[value]}")
    return value


def _param_difference(name: str, key: str, cur: Any, old: Any, new_files: dict | None,
                      old_files: dict | None) -> str:
    """The line of a differing parameter; when its paths are the model's, the files whose
    content differs."""
    line = f"{name}.{key} = {cur!r} (model: {old!r})"
    if new_files and old_files:
        edited = [p for p in new_files.keys() & old_files.keys()
                  if new_files[p] != old_files[p]]
        if edited:
            line += (f": {', '.join(map(repr, sorted(edited)))} has other contents than when "
                     "the model's training table was extracted (edited since?)")
    return line


def version_message(trained: dict[str, Any] | None,
                    provenance: dict[str, Any] | None) -> str | None:
    """The warning when the table was extracted by another emofeat version than the model's
    training table (``None`` when both record the same one, or either records none).

    Not a refusal: most features keep their definition from one version to the next, but
    some change (a fix, a reference followed more closely) with the same names and
    parameters, which :func:`provenance_differences` cannot see.
    """
    old = (trained or {}).get("emofeat_version")
    new = (provenance or {}).get("emofeat_version")
    if not old or not new or str(old) == str(new):
        return None
    return (f"the table was extracted by emofeat {new}, the model's training table by emofeat "
            f"{old}: features whose definition changed between the two versions keep their "
            f"names and parameters, so predictions may be off without any other sign; extract "
            f"both tables with one version (or train the model again on a table of {new})")


def numbers_message(trained: dict[str, Any] | None, provenance: dict[str, Any] | None, *,
                    sides: tuple[str, str] = ("the model's training table", "this table"),
                    remedies: tuple[str, str] = (
                        "train the model again on a table extracted now",
                        "extract this table again with the emofeat installed")) -> str | None:
    """The warning when a set's numbers version
    (:attr:`emofeat.extractor.Extractor.numbers_version`) differs between the model's
    training table and the table (``None`` otherwise; only sets whose parameters both record
    are compared, as by :func:`provenance_differences`).

    Not a refusal: the columns and parameters are the same and the numbers may be close
    (version 1 of the lexicon set's tokenisation changed 45 GoEmotions rows of
    81,929 corpus texts), but a model's predictions on the other numbers may be off.

    Parameters
    ----------
    trained, provenance
        As in :func:`provenance_differences`.
    sides : tuple of str
        What the two are called in the message.
    remedies : tuple of str
        The way out where the first side, or the second, holds the older numbers (the
        side to compute again); both where each holds some older set's.
    """
    from emofeat._numbers import numbers_changes, sets_said

    if not trained:
        return None
    new = feature_provenance(provenance)
    changes = numbers_changes([s for s in trained.get("sets", []) if s.get("params")],
                              [s for s in new["sets"] if s["params"]])
    if not changes:
        return None
    old_v = ", ".join(str(o) for _, o, _ in changes)
    new_v = ", ".join(str(n) for _, _, n in changes)
    # the side of the lower version is the one computed before the set's fix
    older = [remedies[0]] if any(o < n for _, o, n in changes) else []
    older += [remedies[1]] if any(o > n for _, o, n in changes) else []
    return (f"{sets_said(changes)} numbers changed for the same parameters between "
            f"{sides[0]} (numbers version {old_v}) and {sides[1]} ({new_v}): the same columns "
            f"hold other numbers for some inputs, so predictions may be off; "
            f"{' and '.join(older)}")


def check_provenance(trained: dict[str, Any] | None, provenance: dict[str, Any] | None, *,
                     force: bool, subject: str, remedy: str, stacklevel: int = 3) -> list[str]:
    """Raise :class:`ProvenanceError` (``force``: warn) when the extractions differ.

    Parameters
    ----------
    trained, provenance
        As in :func:`provenance_differences`.
    force : bool
        Warn (:class:`PredictionWarning`) instead of raising.
    subject : str
        What is compared, for the messages ("the table's features ... the model's training
        table").
    remedy : str
        What to do instead, for the error.
    stacklevel : int
        Of the warning, counted from the caller.

    Returns
    -------
    list of str
        The differences (empty when none).
    """
    diffs = provenance_differences(trained, provenance)
    if diffs:
        what = "; ".join(diffs)
        if not force:
            raise ProvenanceError(f"{subject} were extracted with other parameters: {what}. "
                                  f"{remedy}")
        warnings.warn(f"going on although {subject} were extracted with other parameters: "
                      f"{what}", PredictionWarning, stacklevel=stacklevel + 1)
    return diffs


def _recorded(rate: Any) -> bool:
    """Whether a provenance records a rate (``sfreq``): ``None``, 0 and ``''`` record none, as
    :func:`~emofeat.table.rate_difference` reads them; an array (edited by hand) is a record
    (its truth value is ambiguous)."""
    try:
        return bool(rate)
    except ValueError:
        return True


def _same(a: Any, b: Any) -> bool:
    """Parameter equality across a JSON round trip (tuples are lists, 16000 is 16000.0)."""
    if isinstance(a, list | tuple) and isinstance(b, list | tuple):
        return len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b, strict=True))
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(_same(a[k], b[k]) for k in a)
    if isinstance(a, bool) or isinstance(b, bool):
        return a is b
    if isinstance(a, int | float) and isinstance(b, int | float):
        return float(a) == float(b)
    return a == b


def feature_stats(X: np.ndarray) -> dict[str, np.ndarray]:
    """Mean and standard deviation of each training column (NaN ignored; an undefined or
    zero deviation is stored as NaN, which the shift check skips)."""
    import warnings

    with warnings.catch_warnings(), np.errstate(all="ignore"):
        warnings.simplefilter("ignore", RuntimeWarning)  # all-NaN columns
        mean = np.nanmean(X, axis=0)
        std = np.nanstd(X, axis=0)
    std = np.where(np.isfinite(std) & (std > 1e-12), std, np.nan)
    return {"mean": mean, "std": std}


def feature_shift(stats: dict[str, np.ndarray], X: np.ndarray,
                  names: list[str]) -> tuple[float, list[tuple[str, float]]]:
    """How far the new rows' feature means sit from the training means.

    Returns
    -------
    (median |z|, worst)
        ``z`` of a feature is (new mean - training mean) / training standard deviation;
        ``worst`` lists the three features with the largest ``|z|`` as ``(name, z)``.
        ``(nan, [])`` when no feature can be compared.
    """
    import warnings

    with warnings.catch_warnings(), np.errstate(all="ignore"):
        warnings.simplefilter("ignore", RuntimeWarning)
        z = (np.nanmean(X, axis=0) - stats["mean"]) / stats["std"]
    ok = np.isfinite(z)
    if not ok.any():
        return float("nan"), []
    order = np.argsort(-np.abs(np.where(ok, z, 0)))[:3]
    return float(np.median(np.abs(z[ok]))), [(names[j], float(z[j])) for j in order if ok[j]]


def class_collapse(pred: np.ndarray, train_shares: dict[Any, float]) -> tuple[Any, float] | None:
    """``(label, share)`` when one class takes at least :data:`COLLAPSE_SHARE` of at least
    :data:`MIN_ROWS_COLLAPSE` predictions although it was at most
    :data:`COLLAPSE_TRAIN_SHARE` of the training rows; else ``None``."""
    pred = np.asarray(pred)
    if len(pred) < MIN_ROWS_COLLAPSE or not train_shares:
        return None
    labels, counts = np.unique(pred.astype(str), return_counts=True)
    top = int(np.argmax(counts))
    share = counts[top] / len(pred)
    trained = {str(k): v for k, v in train_shares.items()}.get(labels[top], 0.0)
    if share >= COLLAPSE_SHARE and trained <= COLLAPSE_TRAIN_SHARE:
        return str(labels[top]), float(share)
    return None


def shift_message(median_z: float, worst: list[tuple[str, float]]) -> str:
    """The text of the feature-shift warning."""
    detail = ", ".join(f"{n} z={z:+.1f}" for n, z in worst)
    return (f"the table's features sit far from the training distribution: the feature means "
            f"are a median {median_z:.1f} training standard deviations away (largest: "
            f"{detail}); predictions are likely unreliable. {_STANDARDISE_HINT}")


def recording_columns(table: Any, index: pd.DataFrame) -> list[str] | None:
    """The index columns that name each row's recording: ``path`` (its ``--segment`` windows
    or frames are rows of one), and in a table of a segment manifest (provenance
    ``segments`` ``manifest``) ``path``, ``start`` and ``end`` (utterances cut from one long
    file are recordings of their own, each its own emotion); ``None`` without ``path``.
    One rule for ``evaluate``'s and ``predict``'s warnings on rows standardised with a
    single recording's statistics."""
    if "path" not in index.columns:
        return None
    keys = ["path"]
    if (getattr(table, "provenance", None) or {}).get("segments") == "manifest" and \
            {"start", "end"} <= set(index.columns):
        keys += ["start", "end"]
    return keys


def small_groups_message(column: str, counts: dict[str, tuple[int, int | None]],
                         unit: str = "recording") -> str:
    """The text of the warning on speakers with few rows at prediction time, or with rows
    of a single recording.

    Parameters
    ----------
    column : str
        The group column (``speaker``, ``subject``).
    counts : dict
        Each such group's ``(rows, recordings)`` (``recordings`` ``None`` when the table
        names no recording: no ``path`` column).
    unit : str
        What a recording is in this table: ``"recording"`` (a ``path``), or ``"segment"``
        (a ``path``, ``start`` and ``end`` of a segment manifest: utterances cut from one
        long file).

    Returns
    -------
    str
        The message.
    """
    small = sorted(counts.items(), key=lambda kv: kv[1][0])

    def said(rows: int, recordings: int | None) -> str:
        of = f" of {recordings} {unit}" if recordings == 1 and rows > 1 else ""
        return f"{counted(rows, 'row')}{of}"

    shown = _first_five([f"{k!r}: {said(*v)}" for k, v in small])
    return (f"{counted(len(small), f'{column} value')} "
            f"{'has' if len(small) == 1 else 'have'} fewer than {MIN_ROWS_PER_GROUP} rows, or rows "
            f"of a single {unit}, in this table ({shown}): the model standardises each "
            f"{column} with the statistics of its own rows in the table, which so few rows give "
            f"poorly (a single row falls back to the training statistics), and the rows of "
            f"one {unit} give that {unit}'s own statistics: if each {unit} holds one emotion "
            f"or state, standardising with them removes what sets it apart, so its "
            f"predictions depend on which rows are predicted together. Predict each "
            f"{column}'s recordings in one table, ideally covering several emotions")


def _first_five(items: list[str]) -> str:
    """The first five ``items`` joined, and ``...`` where there are more."""
    return ", ".join(items[:5]) + (", ..." if len(items) > 5 else "")


def seen_groups_message(column: str, counts: dict[str, int]) -> str:
    """The text of the warning on a table's speakers whose ids a model that stores its
    training speakers' statistics (``GroupStandardScaler(seen_groups="fit")``) saw in
    training: their rows are standardised with those statistics, right for the training
    speakers themselves, wrong for other people of the same ids (another corpus's).

    Parameters
    ----------
    column : str
        The group column (``speaker``, ``subject``).
    counts : dict
        Each such id's rows in the table.

    Returns
    -------
    str
        The message.
    """
    ids = sorted(counts)
    shown = _first_five([f"{k!r}: {counted(counts[k], 'row')}" for k in ids])
    return (f"{counted(len(ids), f'{column} id')} of this table "
            f"{'was' if len(ids) == 1 else 'were'} seen in training ({shown}): the model "
            f"stores its training {column}s' statistics (GroupStandardScaler(seen_groups="
            f"'fit')) and standardises these rows with them, as the training {column}s of "
            f"those ids, not with the rows' own statistics; ids alone cannot tell whether "
            f"they are the same people (another corpus's {column} '03' is not this one's). "
            f"Say which: {option('predict(table, new_groups=True)', '--new-groups')} "
            f"standardises them as new {column}s (or "
            f"{option('new_groups=[ids]', '--new-groups=IDS, comma-separated,')} some of "
            f"them), "
            + option(f"new_groups=False as the training {column}s, without this warning",
                     f"--same-groups as the training {column}s, without this warning; "
                     f"without either they are standardised as the training {column}s"))


_WHOLE = re.compile(r"([+-]?[0-9]+)(?:\.0*)?")


def id_number(value: str) -> int | None:
    """The whole number an id written as text stands for (``'03'``, ``'3'``, ``'3.0'``: 3), or
    ``None`` where it is no whole number (``'S03'``, ``'3.5'``, ``'1e1'``)."""
    # read as text, not through float: two ids of 17 digits (10000000000000000 and
    # 10000000000000001) are one float; '3.0' is how a float column writes a whole number
    m = _WHOLE.fullmatch(value.strip())
    if m is None:
        return None
    return int(m.group(1))


def respelled_groups(names: set[str], stored: frozenset[str]) -> dict[str, str]:
    """The ids of a table (``names``, as text) that are no id stored at training but the same
    whole number as one (``'03'`` beside a stored ``'3'``: a column read as text in one table
    and as integers in the other), each with that stored id; only where the number names a
    single stored id."""
    by_number: dict[int, list[str]] = {}
    for k in stored:
        n = id_number(k)
        if n is not None:
            by_number.setdefault(n, []).append(k)
    if not by_number:  # no statistics stored, or no id of them a number
        return {}
    out = {}
    for k in names - stored:
        n = id_number(k)
        same = by_number.get(n, []) if n is not None else []
        if len(same) == 1:
            out[k] = same[0]
    return out


def respelled_groups_message(column: str, pairs: dict[str, str], counts: dict[str, int]
                             ) -> str:
    """The text of the warning on a table's ids that a model storing its training speakers'
    statistics (``GroupStandardScaler(seen_groups="fit")``) saw spelled otherwise (``'03'``
    here, ``3`` in training): ids are matched as text, so these rows take their own
    statistics, as new speakers.

    Parameters
    ----------
    column : str
        The group column (``speaker``, ``subject``).
    pairs : dict
        Each such id of the table with the training id of the same number
        (:func:`respelled_groups`).
    counts : dict
        Each id's rows in the table.

    Returns
    -------
    str
        The message.
    """
    ids = sorted(pairs, key=lambda k: (id_number(k), k))
    shown = _first_five([f"{k!r} ({counted(counts[k], 'row')}) is training's {pairs[k]!r}"
                         for k in ids])
    return (f"{counted(len(ids), f'{column} id')} of this table "
            f"{'is' if len(ids) == 1 else 'are'} the same number as a training {column}'s id "
            f"but written otherwise ({shown}): ids are matched as text, so these rows are "
            f"standardised as new {column}s, with their own rows' statistics, not with the "
            f"statistics the model stores for its training {column}s "
            f"(GroupStandardScaler(seen_groups='fit')). If they are the training {column}s, "
            f"write the ids of the table as training did ({ids[0]!r} as "
            f"{pairs[ids[0]]!r}); if they are other people, "
            + option("say so with new_groups=True", "say so with --new-groups")
            + ", without this warning")


def _rows_named(rows: np.ndarray, paths, extra=None) -> str:
    """Up to 5 rows by position, with their path when the table has one (and ``extra[r]``)."""
    def one(r):
        r = int(r)
        inner = [str(paths[r])] if paths is not None else []
        inner += [extra[r]] if extra is not None else []
        return f"{r} ({', '.join(inner)})" if inner else str(r)
    return ", ".join(one(r) for r in rows[:5]) + (", ..." if len(rows) > 5 else "")


def _predicted(labels: Any) -> str:
    """Up to three of the classes predicted for the rows a warning names."""
    return ", ".join(sorted({str(v) for v in labels})[:3])


def _for(rows: np.ndarray, one: str, many: str) -> str:
    """``one`` for a single row, else ``many`` (the verbs and pronouns of a rows warning)."""
    return noun(len(rows), one, many)


def blank_rows_message(rows: np.ndarray, n: int, fate: str | None = None,
                       what: str = "rows", paths: dict[int, str] | None = None) -> str:
    """The text of the warning on rows without any finite feature: predict's, and with
    ``fate`` (what becomes of them) an evaluation's or a training's (imputed whole, each
    would be the training medians' row).

    Parameters
    ----------
    rows : ndarray of int
        Their positions.
    n : int
        How many ``what`` there are (``"rows of the test table"``).
    fate : str or None
        What becomes of them; predict's by default (``"they get no prediction ..."``,
        ``"it ..."`` for one row).
    what : str
        What the rows are.
    paths : dict or None
        The path of each position, named beside it.

    Returns
    -------
    str
    """
    if fate is None:
        fate = (f"{_for(rows, 'it gets', 'they get')} no prediction (pred missing, "
                "probabilities NaN)")
    one = what.replace("rows", "row", 1)
    # '1 of the 1 row has' reads as a slip
    which = (f"the only {one}" if n == 1 and len(rows) == 1
             else f"{len(rows)} of the {counted(n, one, what)}")
    return (f"{which} {_for(rows, 'has', 'have')} no finite feature "
            f"({_for(rows, 'row', 'rows')} {_rows_named(rows, paths)}): {fate} rather than "
            "the training medians' class")


# an input much shorter than every training input (a 0.2 s clip for a model of 3 s
# utterances): functionals of a few frames, predicted as confidently as any row
SHORT_INPUT_SHARE = 0.25  # a row shorter than this share of the shortest training input
# a constant signal (digital silence) gives functionals that take few distinct values (every
# frame alike: equal means, minima and maxima, zero deviations); a real recording's
# functionals are nearly all distinct (RAVDESS / EmoDB mfcc + prosody: at least 94%; a
# silent file: 17%, and 2-16% for each of paa, prosody, egemaps, rqa, librosa)
CONSTANT_DISTINCT_SHARE = 0.5
MIN_FEATURES_CONSTANT = 20  # fewer features say too little about the signal


def input_durations(index) -> np.ndarray | None:
    """Seconds of every row's input (``end - start``), or ``None`` without those columns."""
    if "start" not in index or "end" not in index:
        return None
    with np.errstate(all="ignore"):
        d = (pd.to_numeric(index["end"], errors="coerce")
             - pd.to_numeric(index["start"], errors="coerce")).to_numpy(dtype=float)
    return d


def constant_signal_rows(X: np.ndarray) -> np.ndarray:
    """Rows whose finite features take fewer than ``CONSTANT_DISTINCT_SHARE`` distinct
    values (at least ``MIN_FEATURES_CONSTANT`` finite features): the functionals of a
    constant signal, such as a silent file."""
    X = np.asarray(X, dtype=np.float64)
    finite = np.isfinite(X)
    n = finite.sum(axis=1)
    # all rows at once (no np.unique per row): sorted, the non-finite last, a row's distinct
    # values are its first and each change among its n finite ones
    S = np.sort(np.where(finite, X, np.inf), axis=1)
    changes = (S[:, 1:] != S[:, :-1]) & (np.arange(1, X.shape[1]) < n[:, None])
    distinct = (n > 0) + changes.sum(axis=1)
    return (n >= MIN_FEATURES_CONSTANT) & (distinct < CONSTANT_DISTINCT_SHARE * n)


def short_input_message(rows: np.ndarray, n: int, durations: np.ndarray, shortest: float,
                        paths, labels: Any) -> str:
    """The text of the warning on rows of inputs much shorter than every training input."""
    secs = {int(r): f"{durations[int(r)]:.2f} s" for r in rows[:5]}
    its = _for(rows, "its", "their")
    return (f"{len(rows)} of the {counted(n, 'row')} "
            f"{_for(rows, 'is an input', 'are inputs')} shorter than "
            f"{SHORT_INPUT_SHARE:.0%} of the shortest training input ({shortest:.2f} s): "
            f"{_for(rows, 'row', 'rows')} {_rows_named(rows, paths, secs)}; {its} features "
            f"summarise a few frames, so {its} prediction ({_predicted(labels)}) is "
            f"unreliable; drop {_for(rows, 'that row', 'those rows')} or treat {its} "
            f"{_for(rows, 'prediction', 'predictions')} as missing")


def constant_signal_message(rows: np.ndarray, n: int, paths, labels: Any) -> str:
    """The text of the warning on rows whose features are those of a constant signal."""
    its = _for(rows, "its", "their")
    return (f"{len(rows)} of the {counted(n, 'row')} {_for(rows, 'has', 'have')} the features of a "
            f"constant signal (silence: most features equal): {_for(rows, 'row', 'rows')} "
            f"{_rows_named(rows, paths)}; {its} prediction ({_predicted(labels)}) says nothing "
            f"about an emotion; drop {_for(rows, 'that row', 'those rows')}, or treat {its} "
            f"{_for(rows, 'prediction', 'predictions')} as missing")


# the text sets' token counts: 0 for an empty, blank or missing text (None), whose row is
# then the features of no text at all (every lexicon column 0), a valid row to a model
EMPTY_TEXT_COLUMNS = ("lexicon_style_n_tokens", "text_surface_chars_count")


def empty_text_rows(names: list[str], X: np.ndarray) -> np.ndarray:
    """Rows of ``X`` (columns ``names``) whose text had no token: the first of
    :data:`EMPTY_TEXT_COLUMNS` among ``names`` is 0. All false without such a column."""
    for col in EMPTY_TEXT_COLUMNS:
        if col in names:
            return np.asarray(X[:, names.index(col)] == 0)
    return np.zeros(len(X), dtype=bool)


def empty_text_message(rows: np.ndarray, n: int, labels: Any) -> str:
    """The text of the warning on rows of empty texts (positions ``rows``, their ``labels``)."""
    its = _for(rows, "its", "their")
    return (f"{len(rows)} of the {counted(n, 'row')} {_for(rows, 'holds', 'hold')} an "
            f"empty text (no token: an empty, blank or missing text; {_for(rows, 'row', 'rows')} "
            f"{_rows_named(rows, None)}): {its} features are those of no text, so {its} "
            f"prediction ({_predicted(labels)}) says nothing about a text; drop "
            f"{_for(rows, 'that row', 'those rows')}, or treat {its} "
            f"{_for(rows, 'prediction', 'predictions')} as missing")


def collapse_message(label: Any, share: float, n: int, train_share: float,
                     grouped: str | None = None, stored: bool = False) -> str:
    """The text of the collapsed-predictions warning.

    Parameters
    ----------
    label : object
        The class the predictions collapsed onto.
    share : float
        Its share of the predictions.
    n : int
        Number of predictions.
    train_share : float
        Its share of the training rows.
    grouped : str, optional
        The group column of a per-group standardised model, which standardises already:
        the advice to train with per-speaker standardisation is then no way out.
    stored : bool
        Some of the table's rows were standardised with statistics the model stored for a
        training group of the same id (``seen_groups="fit"``, the id not declared new with
        ``new_groups``): only then is ``new_groups=True`` a way out.

    Returns
    -------
    str
        The message.
    """
    said = (f"{share:.0%} of the {n} predictions are {label!r}, a class that was "
            f"{train_share:.0%} of the training rows: the predictions have collapsed onto one "
            f"class, usually because the features shifted (other corpus, microphone or "
            f"level). ")
    if grouped is None:
        return said + _STANDARDISE_HINT
    # a per-speaker model told to train with per-speaker standardisation (RAVDESS -> EmoDB
    # with stored statistics: every prediction 'fear')
    return said + (f"The model standardises each {grouped} already, which fails where a "
                   f"{grouped}'s rows are few or of one emotion (predict each {grouped}'s "
                   f"recordings together)" + (
                       f", or where another table's {grouped}s take the statistics stored "
                       f"for training {grouped}s of the same ids ("
                       + option("predict(table, new_groups=True)", "--new-groups")
                       + " if they are other people)" if stored else ""))
