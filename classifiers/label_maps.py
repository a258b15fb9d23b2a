"""Label mappings between emotion taxonomies.

Mapping goes in two steps:

1. a corpus's own labels -> emofeat's *canonical* names (``anger, disgust, fear, joy,
   sadness, surprise, neutral`` plus ``calm, boredom, love, guilt, shame``);
2. canonical names -> a target taxonomy:

   ============  ===========================================================================
   ``ekman``     Ekman's six + neutral: anger, disgust, fear, joy, sadness, surprise, neutral
   ``valence``   binary valence: positive (joy, calm, love) / negative (anger, disgust, fear,
                 sadness, boredom, guilt, shame); neutral and surprise are dropped
   ``arousal``   binary arousal: high (anger, fear, joy, disgust, surprise) / low (sadness,
                 calm, boredom, neutral); love, guilt and shame are dropped
   ``4class``    the IEMOCAP-style set: angry, happy, neutral, sad; everything else dropped
   ============  ===========================================================================

A label that has no place in the target (e.g. RAVDESS *calm* in ``ekman``) maps to ``None``
and its rows are dropped by :func:`apply_label_map`, which says how many.

Shipped corpus mappings: ``ravdess``, ``emodb``, ``goemotions`` (the official GoEmotions
27 -> Ekman mapping of Demszky et al. 2020), ``carer`` and ``isear``. Labels that are already
canonical map to themselves. Your own mapping: pass a dict ``{your_label: target_label}``
(``None`` to drop), or register a corpus with :func:`register_corpus`.
"""

from __future__ import annotations

import functools
import warnings
from collections.abc import Callable, Iterable, Mapping
from typing import Any

import numpy as np
import pandas as pd

from emofeat.errors import option

CANONICAL = ("anger", "disgust", "fear", "joy", "sadness", "surprise", "neutral",
             "calm", "boredom", "love", "guilt", "shame")

TAXONOMIES: dict[str, dict[str, str | None]] = {
    "ekman": {c: (c if c in CANONICAL[:7] else None) for c in CANONICAL},
    "valence": {
        "joy": "positive", "calm": "positive", "love": "positive",
        "anger": "negative", "disgust": "negative", "fear": "negative", "sadness": "negative",
        "boredom": "negative", "guilt": "negative", "shame": "negative",
        "neutral": None, "surprise": None,
    },
    "arousal": {
        "anger": "high", "fear": "high", "joy": "high", "disgust": "high", "surprise": "high",
        "sadness": "low", "calm": "low", "boredom": "low", "neutral": "low",
        "love": None, "guilt": None, "shame": None,
    },
    "4class": {
        "anger": "angry", "joy": "happy", "neutral": "neutral", "sadness": "sad",
        **{c: None for c in ("disgust", "fear", "surprise", "calm", "boredom", "love", "guilt",
                             "shame")},
    },
}

# the official GoEmotions -> Ekman mapping (ekman_mapping.json of the GoEmotions release)
_GOEMOTIONS_EKMAN = {
    "anger": ["anger", "annoyance", "disapproval"],
    "disgust": ["disgust"],
    "fear": ["fear", "nervousness"],
    "joy": ["joy", "amusement", "approval", "excitement", "gratitude", "love", "optimism",
            "relief", "pride", "admiration", "desire", "caring"],
    "sadness": ["sadness", "disappointment", "embarrassment", "grief", "remorse"],
    "surprise": ["surprise", "realization", "confusion", "curiosity"],
    "neutral": ["neutral"],
}

CORPORA: dict[str, dict[str, str]] = {
    "ravdess": {"neutral": "neutral", "calm": "calm", "happy": "joy", "sad": "sadness",
                "angry": "anger", "fearful": "fear", "disgust": "disgust",
                "surprised": "surprise"},
    "emodb": {"anger": "anger", "boredom": "boredom", "disgust": "disgust", "fear": "fear",
              "happiness": "joy", "sadness": "sadness", "neutral": "neutral"},
    "goemotions": {fine: ekman for ekman, fines in _GOEMOTIONS_EKMAN.items() for fine in fines},
    "carer": {"sadness": "sadness", "joy": "joy", "love": "love", "anger": "anger",
              "fear": "fear", "surprise": "surprise"},
    "isear": {"anger": "anger", "disgust": "disgust", "fear": "fear", "guilt": "guilt",
              "joy": "joy", "sadness": "sadness", "shame": "shame"},
}

LabelMap = Mapping[Any, str | None] | Callable[[str], str | None]


def list_label_maps() -> dict[str, list[str]]:
    """Target taxonomies and their label sets; and the corpora with shipped mappings."""
    out = {name: sorted({v for v in m.values() if v is not None})
           for name, m in TAXONOMIES.items()}
    out["corpora"] = sorted(CORPORA)
    return out


def register_corpus(name: str, mapping: Mapping[str, str]) -> None:
    """Add a corpus: ``mapping`` takes its labels to canonical names (see :data:`CANONICAL`)."""
    bad = sorted({v for v in mapping.values() if v not in CANONICAL})
    if bad:
        raise ValueError(f"targets {bad} are not canonical labels {list(CANONICAL)}")
    CORPORA[name.lower()] = dict(mapping)


def detect_corpus(labels: Iterable[str]) -> str | None:
    """The shipped corpus whose label vocabulary covers ``labels`` (``"canonical"`` when the
    labels are already canonical names; ``None`` when no mapping covers them)."""
    found = {str(x) for x in labels}
    if found <= set(CANONICAL):
        return "canonical"
    for name, mapping in CORPORA.items():
        if found <= set(mapping):
            return name
    return None


def get_label_map(to: str, corpus: str | None = None,
                  labels: Iterable[str] | None = None) -> dict[str, str | None]:
    """The mapping from a corpus's labels to taxonomy ``to``.

    Parameters
    ----------
    to : {"ekman", "valence", "arousal", "4class"}
    corpus : str, optional
        ``ravdess``, ``emodb``, ``goemotions``, ``carer``, ``isear`` or a registered one;
        detected from ``labels`` when omitted.
    labels : iterable of str, optional
        The labels to map, for detection.

    Returns
    -------
    dict
        Corpus label -> target label or ``None`` (dropped).

    Raises
    ------
    ValueError
        An unknown taxonomy or corpus, labels no shipped mapping covers (corpus omitted), or
        a named corpus whose vocabulary lacks some of ``labels`` that another corpus covers
        (RAVDESS labels with ``corpus="emodb"``: all but two labels would map to nothing).
    """
    if to not in TAXONOMIES:
        raise ValueError(f"unknown label map {to!r}; choose from {sorted(TAXONOMIES)} "
                         "or pass a dict")
    named = corpus is not None
    if corpus is None:
        if labels is None:
            raise ValueError("give the corpus or the labels to detect it from")
        labels = [str(x) for x in labels]
        corpus = detect_corpus(labels)
        if corpus is None:
            # GoEmotions' "approval,neutral" read as one label: the sets' members are covered
            joined = any("," in x for x in labels) and detect_corpus(
                {p.strip() for x in labels for p in x.split(",") if p.strip()}) is not None
            padded = _padded_said(labels)
            if padded:
                raise ValueError(padded)
            raise ValueError(
                f"no shipped mapping covers the labels {sorted(set(labels))[:12]}; "
                f"name the corpus ({sorted(CORPORA)}) or pass your own dict"
                + ("; they look like label sets joined by ',': evaluate them as such with "
                   "task='multilabel' (emofeat evaluate --multilabel)"
                   # map_labels and apply_label_map read them with the separator named
                   + option("; map_labels and apply_label_map read them with sep=','", "")
                   if joined else "")
            )
    if corpus == "canonical":
        to_canonical = {c: c for c in CANONICAL}
    else:
        try:
            to_canonical = CORPORA[corpus.lower()]
        except KeyError:
            raise ValueError(f"no label mapping for corpus {corpus!r}; shipped: "
                             f"{sorted(CORPORA)}") from None
    if named and labels is not None:
        _check_vocabulary(corpus, to_canonical, labels)
    target = TAXONOMIES[to]
    return {raw: target[canon] for raw, canon in to_canonical.items()}


def _padded_said(labels: Iterable[str], corpus: str | None = None,
                 vocabulary: Mapping[str, str] | None = None) -> str | None:
    """The refusal of labels that a shipped mapping covers once the white space or invisible
    characters around them are taken off (``'happy '`` from a padded CSV cell), else ``None``:
    without it they read as labels of no known corpus, or (``corpus`` named, its
    ``vocabulary`` given) map to nothing, their rows dropped with a count only."""
    from .validation import _bare, _shown, _way_out

    labels = {str(x) for x in labels}
    if vocabulary is None:
        padded = sorted(x for x in labels if _bare(x) != x)
        corpus = detect_corpus({_bare(x) for x in labels}) if padded else None
        if corpus is None:
            return None
        whose = f"every label is one of {corpus}'s, which a shipped mapping covers"
    else:
        padded = sorted(x for x in labels if x not in vocabulary and _bare(x) != x
                        and _bare(x) in vocabulary)
        if not padded:
            return None
        whose = f"they are labels of corpus {corpus!r}, which otherwise map to nothing"
    around, strip = _way_out(*padded)
    shown = ", ".join(map(_shown, padded[:5])) + (f" and {len(padded) - 5} more"
                                                  if len(padded) > 5 else "")
    return (f"the labels {shown} have {around.replace('around it', 'around them')}: "
            f"taken off, {whose}; strip them first, e.g. labels.str.{strip}")


def label_str(value) -> str:
    """The canonical string form of a class label: ``str(value)``, except that an integer
    stored as a float is written as the integer (``3.0`` -> ``"3"``).

    A column of integer labels becomes a float column as soon as one cell is missing
    (pandas), so ``3`` and ``3.0`` must name the same class wherever labels are compared:
    two tables, a table and a label map, a table and a ``class_weight`` dict.
    """
    if isinstance(value, float | np.floating) and float(value).is_integer():
        return str(int(value))  # 3.0 from a float column is the label "3"
    return str(value)


def _is_int_label(value) -> bool:
    if isinstance(value, bool | np.bool_):
        return False
    if isinstance(value, int | np.integer):
        return True
    return isinstance(value, float | np.floating) and float(value).is_integer()


def _is_number_label(value) -> bool:
    return (isinstance(value, int | float | np.integer | np.floating)
            and not isinstance(value, bool | np.bool_))


def label_kind(labels: pd.Series) -> str:
    """``"int"`` when every given (non-missing) label is an integer, ``"bool"`` when every
    one is a boolean, ``"float"`` when every one is a number and some is not whole (a rating
    of 2.5, a target of 0.5 and 1.0), else ``"str"``.

    Integers are read from the values, not the column's dtype: an ``int64`` column, a float
    column of whole numbers (an integer column with a missing cell) and an ``object`` column
    of Python ints (a column built from mixed sources, ``astype(object)``) all hold integer
    labels. Strings (also ``"3"``: text from a CSV, kept as text, as sklearn does) are
    ``"str"``. Labels through a label map are the map's values: names of a taxonomy are
    strings, ``{1: 0, 2: 0, 3: 1}`` gives integers. Float labels come back as the floats
    they were (``2.0`` and ``2.5``, not the text ``"2"`` and ``"2.5"``).

    Classes are fitted and named by their canonical strings (:func:`label_str`); this decides
    the type of the labels handed back (:func:`labels_as`).

    Parameters
    ----------
    labels : Series
        The target column (missing cells are ignored).

    Returns
    -------
    {"int", "bool", "float", "str"}
    """
    given = labels.dropna()
    if len(given) and (pd.api.types.is_bool_dtype(given)
                       or all(isinstance(v, bool | np.bool_) for v in given)):
        return "bool"
    if pd.api.types.is_numeric_dtype(given):
        vals = given.to_numpy(dtype=np.float64)
        return ("int" if np.all(np.isfinite(vals) & (vals == np.round(vals)))
                else "float" if len(given) else "str")
    if len(given) and all(_is_int_label(v) for v in given):
        return "int"
    return "float" if len(given) and all(_is_number_label(v) for v in given) else "str"


def labels_as(values, kind: str | None) -> np.ndarray:
    """Canonical class strings (``"3"``, ``"True"``) as labels of ``kind``.

    Parameters
    ----------
    values : array-like of str
        Canonical labels (:func:`label_str`).
    kind : {"int", "bool", "float", "str"} or None
        As :func:`label_kind` gives it.

    Returns
    -------
    ndarray
        ``int64`` for ``"int"``, ``bool`` for ``"bool"``, ``float64`` for ``"float"`` (the
        canonical string of a float is its shortest exact form: ``"2.5"`` reads back as
        2.5, ``"2"`` as 2.0), else the values unchanged.
    """
    values = np.asarray(values)
    if kind == "int":
        return values.astype(np.int64)
    if kind == "float":
        return values.astype(np.float64)
    if kind == "bool":
        return values.astype(str) == "True"
    return values


def class_weight_key(label) -> int | str:
    """How a class is looked up in a ``class_weight`` dict: the integer of its canonical
    string (:func:`label_str`) when that reads as one, else that string.

    This is scikit-learn's own lookup (``compute_class_weight`` tries ``int(c)``, then
    ``str(c)``; before 1.9 the class itself, and then the canonical string is the key),
    applied to both the dict's keys and the labels, so ``{1: 2.0}``, ``{1.0: 2.0}`` and
    ``{"1": 2.0}`` all name the class ``"1"``.
    """
    text = label_str(label)
    if not _sklearn_reads_int_keys():
        return text
    try:
        return int(text)
    except ValueError:  # a label that is not an integer
        return text


@functools.cache
def _sklearn_reads_int_keys() -> bool:
    """Whether scikit-learn's ``compute_class_weight`` looks a class up as ``int(c)`` (1.9)
    rather than as the class itself (1.8, the floor: ``{"1": w}`` names the class ``"1"``,
    ``{1: w}`` nothing); :func:`class_weight_key` gives the keys it reads."""
    from sklearn.utils.class_weight import compute_class_weight

    one = np.array(["1"])
    try:
        got = compute_class_weight({1: 2.0}, classes=one, y=one)
    except ValueError:  # "The classes, ['1'], are not in class_weight"
        return False
    return float(got[0]) == 2.0


def _check_vocabulary(corpus: str, to_canonical: Mapping[str, str],
                      labels: Iterable[str]) -> None:
    """Refuse labels of another corpus than the one named: outside its vocabulary they all
    map to nothing, and their rows would be dropped with a count only (RAVDESS labels with
    ``corpus="emodb"``: 1152 of 1440 rows, a model of disgust and neutral)."""
    found = {str(x) for x in labels}
    padded = _padded_said(found, corpus, to_canonical)
    if padded:
        raise ValueError(padded)
    foreign = sorted(found - set(to_canonical))
    other = detect_corpus(found) if foreign else None
    if other is None:  # no corpus covers them (a typo, label sets joined by ','): dropped
        return
    which = ("emofeat's canonical names: leave the corpus out" if other == "canonical"
             else f"those of corpus {other!r}: name it, or leave the corpus out to have it "
             "detected")
    raise ValueError(
        f"the labels {foreign[:8]}{' ...' if len(foreign) > 8 else ''} are not labels of "
        f"corpus {corpus!r} ({sorted(to_canonical)[:12]}), so they would map to nothing and "
        f"their rows be dropped; the labels are {which}")


def map_labels(labels: Iterable, mapping: str | LabelMap, corpus: str | None = None,
               sep: str | None = None) -> pd.Series:
    """Map labels; missing, unmapped or dropped labels become ``None``.

    Parameters
    ----------
    labels : iterable
        Labels, or label sets (lists, tuples, sets or arrays: GoEmotions' ``labels`` column
        from :func:`~emofeat.datasets.load_goemotions`). A set is
        mapped label by label, as :func:`~emofeat.classifiers.evaluate` maps a multi-label
        target: its mapped labels once each, as a tuple, in the order they first come (sorted
        for a ``set`` or ``frozenset``, which have no order); labels mapped to nothing are
        left out of it, and a set of which every label maps to nothing becomes ``None``
        (a tuple that is itself a key of a dict ``mapping`` is mapped whole). A string is one
        label, whatever it looks like: a class written ``"('high', 'low')"`` stays a class
        (:func:`apply_label_map` reads a column of such strings as sets).
    mapping : str, dict or callable
        A taxonomy name (see :func:`get_label_map`), a dict, or a function of one label.
        A dict is looked up with the label itself first, then with its canonical string
        form (:func:`label_str`) against the canonical forms of the dict's keys, so
        ``{1: "low"}`` maps the labels ``1``, ``1.0`` and ``"1"`` alike. A function gets
        the canonical string form (``"1"`` for ``1`` and ``1.0``).
    corpus : str, optional
        With a taxonomy name: the corpus whose labels these are (detected when omitted).
    sep : str, optional
        The separator of the labels in a text cell (``","`` reads ``"anger,annoyance"``
        as the set of two labels), as ``evaluate(..., label_sep=sep)`` and ``emofeat
        evaluate --label-sep`` read a multi-label target: each text cell is then a label
        set, mapped label by label, and comes back as text, its mapped labels joined by
        ``sep`` (``"anger"``), so that the column reads back the same way; a cell that
        ``sep=","`` reads as a set written by Python (``"('anger', 'annoyance')"``)
        comes back as a tuple. Without it a text cell is one label.

    Returns
    -------
    Series
        The mapped labels, in the order given, ``None`` where nothing maps.

    Raises
    ------
    ValueError
        ``sep=""``; or, with a taxonomy name and a corpus, labels outside the corpus's
        vocabulary that are another corpus's: their rows would map to nothing.
    TypeError
        ``sep`` is not a string.
    """
    if sep is not None and not isinstance(sep, str):
        raise TypeError(f"sep must be a string (the separator of the labels in a text cell, "
                        f"such as ','), not {type(sep).__name__}")
    if sep == "":
        # str.split's own "empty separator" named neither the parameter nor the way out
        raise ValueError("sep='' separates nothing: give the separator of the labels in a "
                         "text cell (sep=',' reads 'anger,annoyance' as two labels), or leave "
                         "sep out to read each cell as one label")
    raw = pd.Series(list(labels), dtype=object)
    present = raw.notna().to_numpy()  # a missing label stays missing, not the label "nan"
    own = raw[present]
    # a label set's members are labels of their own: each was its str() as a whole, which
    # no map knows, so a set of GoEmotions labels mapped to None (apply_label_map dropped
    # every row) or named no corpus
    whole = isinstance(mapping, Mapping)
    sets = [None if whole and _hashable(v) and v in mapping else _set_of(v, sep) for v in own]
    members = [v for cell, many in zip(own, sets, strict=True)
               for v in ((cell,) if many is None else many) if _none_if_missing(v) is not None]
    if isinstance(mapping, str):
        mapping = get_label_map(mapping, corpus=corpus,
                                labels=pd.unique(pd.Series([label_str(v) for v in members],
                                                           dtype=object)))
    if callable(mapping) and not isinstance(mapping, Mapping):
        def one(v):
            return _none_if_missing(mapping(label_str(v)))
    else:
        # integer labels read as floats (a missing cell) or as strings (a CSV) must still
        # find the user's {1: ...} keys, and integer labels the {"1": ...} keys
        by_str = {label_str(k): v for k, v in mapping.items()}

        def one(v):
            found = mapping[v] if _hashable(v) and v in mapping else by_str.get(label_str(v))
            return _none_if_missing(found)

    def cell(v, many: list | None):
        # the user's own value first: a dict key that is a tuple ({(1, 2): "pair"}) maps
        # that tuple whole (sets is None there)
        if many is None:
            return one(v)
        out = [m for m in (one(x) for x in many if _none_if_missing(x) is not None)
               if m is not None]
        if isinstance(v, set | frozenset):
            out.sort(key=label_str)  # no order of their own: hash order changes by process
        # as evaluate's multi-label target: a set all of whose labels map to nothing is
        # dropped, an empty one stays empty
        if not out and many:
            return None
        out = tuple(dict.fromkeys(out))
        if isinstance(v, str) and not _written(v, sep):
            # the user's own form back: "anger,annoyance" -> "anger", which evaluate and
            # the CLI read with the same separator (a tuple would not survive a CSV)
            return sep.join(label_str(m) for m in out)
        return out

    mapped = iter([cell(v, many) for v, many in zip(own, sets, strict=True)])
    return pd.Series([next(mapped) if p else None for p in present], index=raw.index,
                     dtype=object)


#: the cells that are label sets (as evaluate's multi-label target reads them)
_LABEL_SETS = (list, tuple, set, frozenset, np.ndarray)


def _set_of(value, sep: str | None = None) -> list | None:
    """The members of a label-set cell, else None (a single label): a list, tuple, set or
    array of at least one dimension (a 0-d array is one label), and with ``sep`` a text
    cell, read as evaluate reads a multi-label target with ``label_sep=sep``."""
    if sep is not None and isinstance(value, str):
        from .validation import _label_set  # validation imports this module

        return _label_set(value, sep)
    if isinstance(value, np.ndarray):
        return list(value) if value.ndim >= 1 else None
    if isinstance(value, _LABEL_SETS):
        return list(value)
    return None


def _written(text: str, sep: str | None) -> bool:
    """Whether ``sep`` reads the text cell ``text`` as a set written by Python."""
    from .validation import _written_label_set

    return sep is not None and _written_label_set(text, sep) is not None


def _written_sets(cells: pd.Series) -> pd.Series:
    """A column whose every present cell is a set as Python writes it (``"('joy',
    'anger')"``: GoEmotions' ``labels`` read back from a CSV, the form ``evaluate`` reads)
    as tuples; any other column as it is."""
    from .validation import _written_label_set  # validation imports this module

    present = cells.notna().to_numpy()
    if not present.any():
        return cells
    read = [_written_label_set(v, ",") if isinstance(v, str) else None
            for v in cells[present]]
    if any(r is None for r in read):
        return cells
    out = cells.astype(object).copy()
    out[present] = pd.Series([tuple(r) for r in read], dtype=object).to_numpy()
    return out


def _hashable(value) -> bool:
    try:
        hash(value)
    except TypeError:
        return False
    return True


def _none_if_missing(v):
    return None if v is None or (isinstance(v, float) and np.isnan(v)) else v


def _warn_joined_sets(dropped: pd.Series, mapping: str | LabelMap,
                      corpus: str | None) -> None:
    """Warn where rows ``apply_label_map`` drops hold label sets joined by ``","`` that
    ``sep=","`` maps: GoEmotions' dev split joined by ',' with ``corpus="goemotions"`` lost
    its 878 rows of two labels or more with a count only (without the corpus it is refused,
    naming ``sep=','``)."""
    text = dropped[[isinstance(v, str) and "," in v for v in dropped]]
    if text.empty:
        return
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            read = map_labels(text, mapping, corpus=corpus, sep=",")
        except (ValueError, TypeError, KeyError):
            return  # not label sets of this map either
    joined = text[read.notna().to_numpy()]
    if joined.empty:
        return
    shown = ", ".join(repr(v) for v in pd.unique(joined)[:3])
    warnings.warn(
        f"apply_label_map dropped {len(joined)} rows whose labels are label sets joined by "
        f"',' ({shown}, ...): each such cell was looked up whole and maps to nothing; give "
        "sep=',' to map them label by label (or evaluate them with task='multilabel')",
        UserWarning, stacklevel=3)


def apply_label_map(table, column: str, mapping: str | LabelMap, corpus: str | None = None,
                    new_column: str | None = None, sep: str | None = None):
    """A table with ``column`` mapped; rows whose label maps to ``None`` are dropped.

    Parameters
    ----------
    table : FeatureTable
    column : str
        The label column.
    mapping : str, dict or callable
        As in :func:`map_labels`.
    corpus : str, optional
    new_column : str, optional
        Write the mapped labels here and keep ``column`` as it was.
    sep : str, optional
        The separator of the labels in a text cell (``"anger,annoyance"`` with ``","``),
        as in :func:`map_labels`: each such cell is mapped label by label and written back
        joined by ``sep``.

    Returns
    -------
    FeatureTable, int
        The mapped table and the number of rows dropped.

    Warns
    -----
    UserWarning
        Without ``sep``: dropped rows whose text cells are label sets joined by ``","``
        that ``sep=","`` maps (``"admiration,amusement"``), named with their count.

    Raises
    ------
    TypeError
        ``table`` is no FeatureTable (a DataFrame: ``emofeat.read_table(path)`` reads an
        output as one).

    Notes
    -----
    A column whose every label is a set as Python writes it (``"('joy', 'anger')"``: a
    GoEmotions ``labels`` column read back from a CSV) is mapped as sets, as
    :func:`map_labels` maps tuples.
    """
    from .validation import require_table

    require_table(table)
    cells = table.index[column]
    mapped = map_labels(cells if sep is not None else _written_sets(cells), mapping,
                        corpus=corpus, sep=sep)
    keep = mapped.notna().to_numpy()
    if sep is None:
        _warn_joined_sets(cells[~keep & cells.notna().to_numpy()], mapping, corpus)
    out = table.select(rows=np.flatnonzero(keep))
    out.index = out.index.copy()
    out.index[new_column or column] = mapped[keep].to_numpy()
    return out, int((~keep).sum())
