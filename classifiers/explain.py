"""Explanations: permutation importance on held-out folds, per feature and per feature group,
and the built-in importances of tree models.

Permutation importance of a feature (or of a group of features permuted together) is the drop
of the score (UAR for classification, CCC for regression) when that feature's values are
shuffled among the *test* rows of a fold, with the model trained on the other folds. It is
averaged over repeats and folds. Group importance answers "how much do all MFCC functionals
matter?" even when single features are redundant with each other.
"""

from __future__ import annotations

import functools
import re
import warnings
from collections.abc import Callable, Mapping, Sequence

import numpy as np
import pandas as pd

from emofeat._wording import counted

_INDEX_SUFFIX = re.compile(r"\d+$")


def feature_group(name: str) -> str:
    """The default group of a feature name: its descriptor, without the coefficient number,
    pitch class, channel and functional.

    A name emitted by a registered set is grouped by the feature catalogue's descriptor that
    explains it: ``mfcc3_mean`` -> ``mfcc``; ``mfcc3_delta_std`` -> ``mfcc_delta``;
    ``mfcc_htk3_mean`` -> ``mfcc_htk``; ``librosa_mel_12_p50`` -> ``librosa_mel``;
    ``librosa_chroma_C#_std`` -> ``librosa_chroma``; ``paa_mfcc_4_std`` -> ``paa_mfcc``;
    ``egemaps_mfcc2_sma3_amean`` -> ``egemaps_mfcc_sma3``; ``rqa_speech_det_range75_mean``
    -> ``rqa_speech_det``; ``eeg_bands_rel_alpha_AF3`` -> ``eeg_bands_rel_alpha`` (the band
    is kept, the channel goes). Any other name: its first part without the coefficient number
    and the last part (``f0_mean`` -> ``f0``, a short prefix keeps its digits;
    ``F0semitoneFrom27.5Hz_sma3nz_amean`` -> ``F0semitoneFrom27.5Hz_sma3nz``); a name without
    ``_`` is its own group.

    A column of the text set ``lexicon`` is grouped by its lexicon, as an audio column by its
    descriptor: ``lexicon_vader_compound`` -> ``lexicon_vader``, ``lexicon_afinn_n_pos`` ->
    ``lexicon_afinn``, ``lexicon_style_n_emoji`` -> ``lexicon_style`` (the style cues), and
    a lexicon of your files by its name less its category and statistic:
    ``lexicon_nrc_vad_valence_mean`` -> ``lexicon_nrc_vad``. (:func:`group_features` takes
    the lexicons' names from their ``lexicon_<name>_n_matched`` columns, so a category
    with ``_`` in its name stays in its lexicon's group.)
    """
    return _default_group(name, ())


def _default_group(name: str, lexicons: Sequence[str]) -> str:
    """:func:`feature_group`, knowing the names of the table's lexicons (``lexicons``)."""
    if name.startswith(_LEXICON):
        return _lexicon_group(name, lexicons)
    got = _catalogue_group(name)
    if got is not None:
        return got
    parts = name.split("_")
    if len(parts) == 1:
        return name
    head = _INDEX_SUFFIX.sub("", parts[0])
    if len(head) < 3:  # f0, F1 (formant): the digits are part of the name
        head = parts[0]
    return "_".join([head, *parts[1:-1]])


_LEXICON = "lexicon_"
#: the lexicons the set always has (``style``: its style cues)
_FIXED_LEXICONS = ("vader", "afinn", "style")
#: statistics of a signed or rating lexicon's category (a binary category has none)
_LEXICON_STATS = ("_sum", "_mean", "_n_pos", "_n_neg")
_MATCHED = "_n_matched"


def _lexicon_group(name: str, lexicons: Sequence[str]) -> str:
    """``lexicon_<lexicon>`` of a ``lexicon`` set column. Its catalogue descriptors are
    single columns, so grouping by descriptor gave one group per column (30 groups of 30
    columns at the defaults)."""
    rest = name[len(_LEXICON):]
    for lex in sorted({*_FIXED_LEXICONS, *lexicons}, key=len, reverse=True):
        if rest.startswith(lex + "_"):
            return _LEXICON + lex
    # a lexicon of the user's, met alone: <name>_<category>[_<statistic>] or <name>_n_matched
    if rest.endswith(_MATCHED):
        return name[:-len(_MATCHED)]
    stat = next((st for st in _LEXICON_STATS if rest.endswith(st)), "")
    head = rest[:len(rest) - len(stat)].rpartition("_")[0]
    return _LEXICON + head if head else name


# placeholders of a catalogue name pattern kept in a group's name (the band of an EEG
# feature, the descriptor of an eGeMAPS voiced/unvoiced statistic); the others (coefficient,
# percentile, pitch class, channel, channel pair) are what a group spans
_KEPT_FIELDS = ("band", "desc")


@functools.lru_cache(maxsize=1)
def _catalogue_matchers() -> list[tuple[str, Callable, list]]:
    """``(set name, matcher, [(descriptor, named regex, group template)])`` of every
    documented set, longest set name first."""
    from emofeat import feature_catalogue as FC

    out = []
    docs = FC.set_docs()
    for set_name in sorted(docs, key=len, reverse=True):
        doc = docs[set_name]
        entries = []
        for d in doc.descriptors:
            if d.kind == "functional":
                continue
            rx, template, pos, named = [], [], 0, set()
            for m in FC._FIELD.finditer(d.name):
                rx.append(re.escape(d.name[pos:m.start()]))
                template.append(d.name[pos:m.start()])
                key = m.group(1)
                if key == "set":
                    rx.append(re.escape(set_name))
                    template.append(set_name)
                elif key in named:  # a placeholder used twice: captured once
                    rx.append(f"(?:{d.placeholder(key, m.end())})")
                    template.append("")
                else:
                    named.add(key)
                    rx.append(f"(?P<{key}>{d.placeholder(key, m.end())})")
                    template.append("{" + key + "}" if key in _KEPT_FIELDS else "")
                pos = m.end()
            rx.append(re.escape(d.name[pos:]))
            template.append(d.name[pos:])
            entries.append((d, re.compile("".join(rx)), "".join(template)))
        out.append((set_name, FC.name_matcher(set_name, doc), entries))
    return out


def _kept(field: str, value: str) -> str:
    """A kept placeholder's part of a group name: an eGeMAPS ``{desc}`` without its
    coefficient number, as any other descriptor's (``mfcc2V_sma3nz`` -> ``mfccV_sma3nz``,
    beside ``mfcc2_sma3`` -> ``mfcc_sma3``: each voiced MFCC was a group of its own); a
    short one keeps its digits, as :func:`_default_group`'s."""
    if field != "desc":
        return value
    head = _INDEX_SUFFIX.sub("", value)
    return head if len(head) >= 3 else value


def _catalogue_group(name: str) -> str | None:
    """:func:`feature_group` of a name some registered set emits, else ``None``."""
    try:
        matchers = _catalogue_matchers()
    except Exception:  # noqa: BLE001 - a broken catalogue must not break an evaluation
        return None
    for set_name, explain, entries in matchers:
        if not name.startswith(set_name):
            continue
        hits = [d for d in explain(name) if d.kind != "functional"]
        if not hits:
            continue
        for d, rx, template in entries:
            if d is not hits[0]:
                continue
            # the descriptor's own part of the name: all of it, or what precedes a functional
            heads = [name] + [name[:i] for i in range(len(name) - 1, 0, -1) if name[i] == "_"]
            for head in heads:
                m = rx.fullmatch(head)
                if m is not None:
                    group = template.format(**{k: _kept(k, m.group(k)) for k in _KEPT_FIELDS
                                               if k in rx.groupindex})
                    # what a dropped placeholder leaves: "mel_" , "slopeV-_sma3nz"
                    group = re.sub(r"-(?=_|$)|(?<=_)-", "", group)
                    return re.sub(r"_{2,}", "_", group).strip("_")
    return None


def group_features(
    feature_names: Sequence[str],
    groups: Callable[[str], str] | Mapping[str, str] | Mapping[str, Sequence[str]] | None = None,
) -> dict[str, list[int]]:
    """Column positions of each feature group.

    Parameters
    ----------
    feature_names : sequence of str
    groups : callable, dict or None
        ``None``: :func:`feature_group`. A callable: name -> group. A dict of
        ``{feature: group}`` (every key a feature name; features it does not name are in no
        group), or of ``{group: regex}`` / ``{group: [features]}``.

    Raises
    ------
    ValueError
        A dict that forms no group at all (no key or pattern names a feature).
    """
    names = list(feature_names)
    out: dict[str, list[int]] = {}
    if groups is None or callable(groups):
        lexicons = [n[len(_LEXICON):-len(_MATCHED)] for n in names
                    if n.startswith(_LEXICON) and n.endswith(_MATCHED)]
        fn = groups or functools.partial(_default_group, lexicons=lexicons)
        for i, n in enumerate(names):
            out.setdefault(fn(n), []).append(i)
        return out
    groups = dict(groups)
    if groups and set(groups) <= set(names) and all(isinstance(v, str)
                                                   for v in groups.values()):
        # {feature: group}: the keys are features (a partial map too: read as
        # {group: regex}, its keys and values would swap roles silently)
        for i, n in enumerate(names):
            if n in groups:
                out.setdefault(groups[n], []).append(i)
        return out
    for grp, spec in groups.items():
        if isinstance(spec, str):
            rx = re.compile(spec)
            idx = [i for i, n in enumerate(names) if rx.search(n)]
        else:
            wanted = set(spec)
            idx = [i for i, n in enumerate(names) if n in wanted]
        if idx:
            out[grp] = idx
    if not out:
        raise ValueError(f"feature_groups forms no group: none of its {len(groups)} keys is a "
                         "feature name and no pattern or list names a feature")
    return out


def permutation_drops(
    predict: Callable[[np.ndarray], np.ndarray],
    X: np.ndarray,
    y: np.ndarray,
    score: Callable[[np.ndarray, np.ndarray], float],
    columns: Sequence[Sequence[int]],
    n_repeats: int = 5,
    rng: np.random.Generator | None = None,
) -> np.ndarray:
    """Score drops when each set of columns is permuted (rows shuffled jointly), per repeat.

    Parameters
    ----------
    predict : callable
        ``X -> predictions`` of a fitted model (closing over any predict-time metadata).
    X, y : held-out rows
    score : callable ``(y_true, y_pred) -> float``, higher is better
    columns : list of lists of column positions; each is permuted as a block
    n_repeats : int
    rng : numpy Generator

    Returns
    -------
    ndarray, shape (len(columns), n_repeats)
        NaN where the score is undefined (NaN) with the intact or the permuted rows: e.g.
        the CCC of a one-row fold; :func:`summarize_importance` leaves those out.
    """
    rng = rng or np.random.default_rng(0)
    base = score(y, predict(X))
    drops = np.empty((len(columns), n_repeats))
    Xp = X.copy()
    for r in range(n_repeats):
        perm = rng.permutation(len(y))
        for j, cols in enumerate(columns):
            cols = list(cols)
            Xp[:, cols] = X[perm][:, cols]
            drops[j, r] = base - score(y, predict(Xp))
            Xp[:, cols] = X[:, cols]
    return drops


def summarize_importance(drops_per_fold: list[np.ndarray], names: Sequence[str],
                         label: str = "feature") -> pd.DataFrame:
    """Mean and standard deviation of the drops over folds and repeats, sorted by mean.

    The first column is called ``label`` (``feature`` or ``group``). A drop is NaN where the
    score is undefined on a fold (the CCC of a one-row held-out fold): those are left out,
    and the figures are over the folds and repeats with a defined drop. A feature without
    any defined drop is NaN, with a warning.
    """
    allv = np.concatenate(drops_per_fold, axis=1)
    defined = ~np.isnan(allv)
    if not defined.any(axis=1).all():
        from emofeat.extractor import _outside_emofeat

        # called from tables() inside evaluate(): the user's line is where it is attributed
        n_undefined = int((~defined.any(axis=1)).sum())
        warnings.warn(f"permutation importance undefined for {counted(n_undefined, label)}: "
                      "the score is undefined (NaN) on every held-out fold "
                      "(e.g. the CCC of folds of one row, or of a target constant in each "
                      "held-out fold); their importance is NaN",
                      UserWarning, stacklevel=_outside_emofeat(2))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # all-NaN rows: NaN, warned above
        mean, std = np.nanmean(allv, axis=1), np.nanstd(allv, axis=1)
    df = pd.DataFrame({label: list(names), "importance": mean, "std": std})
    return df.sort_values("importance", ascending=False, ignore_index=True)


_INPUT_COLUMN = re.compile(r"(?:^|__)x(\d+)$")


def builtin_importances(estimator, n_features: int | None = None) -> np.ndarray | None:
    """``feature_importances_`` of a fitted tree model (inside a pipeline or search; of a
    multi-label one-vs-rest model, the mean over its labels' models), one per input column,
    else None.

    In a pipeline the model sees the columns its earlier steps give it: they are traced back
    to the input columns through ``get_feature_names_out`` (a column a step dropped gets 0;
    the importances of columns made from one input are summed). When the steps cannot say
    and the model sees another number of columns than ``n_features``, ``None`` with a
    warning: values given by position would name the wrong features.
    """
    est = getattr(estimator, "best_estimator_", estimator)
    head = None
    if hasattr(est, "steps"):
        head = est[:-1] if len(est.steps) > 1 else None
        est = est.steps[-1][1]
    imp = getattr(est, "feature_importances_", None)
    if imp is None:
        imp = _mean_over_labels(est)
    if imp is None:
        return None
    imp = np.asarray(imp, dtype=float)
    if head is None or n_features is None:
        return imp
    try:
        seen = head.get_feature_names_out([f"x{i}" for i in range(n_features)])
    except Exception:  # noqa: BLE001 - a step without get_feature_names_out, any error
        seen = None
    if seen is not None and len(seen) == len(imp):
        cols = [_INPUT_COLUMN.search(str(n)) for n in seen]
        if all(cols):
            out = np.zeros(n_features)
            np.add.at(out, [int(m.group(1)) for m in cols], imp)
            return out
    if len(imp) == n_features and seen is None:
        return imp  # steps that keep the columns (imputer, scalers) without names
    warnings.warn(f"built-in importances left out: the model sees {len(imp)} columns that "
                  f"the pipeline's steps do not trace back to the {n_features} features "
                  "(get_feature_names_out)", UserWarning, stacklevel=3)
    return None


def _mean_over_labels(est) -> np.ndarray | None:
    """The mean ``feature_importances_`` of a multi-label wrapper's binary models
    (one-vs-rest, multi-output: each sees the same columns), else ``None``. A label constant
    in the training rows has a constant predictor without importances: left out."""
    from sklearn.multiclass import OneVsRestClassifier
    from sklearn.multioutput import MultiOutputClassifier

    if not isinstance(est, OneVsRestClassifier | MultiOutputClassifier):
        return None
    per = [np.asarray(e.feature_importances_, dtype=float)
           for e in getattr(est, "estimators_", ()) if hasattr(e, "feature_importances_")]
    if not per or len({len(p) for p in per}) != 1:
        return None
    return np.mean(per, axis=0)


class FoldImportances:
    """Importances collected fold by fold during an evaluation.

    Parameters
    ----------
    feature_names : sequence of str
    mode : bool or {"all", "groups"}
        ``False``: built-in importances only; ``True`` / ``"all"``: permutation importance
        per feature and per group; ``"groups"``: per group only.
    feature_groups : callable or dict, optional
        As in :func:`group_features`.
    score : callable ``(y_true, y_pred) -> float``
    n_repeats : int
    rng : numpy Generator
    constant_undefined : bool
        A held-out fold whose target is constant gets undefined (NaN) drops: the CCC of a
        constant truth is 0 whatever the predictions, so every drop would be 0 (a numeric
        target constant per speaker, held out one speaker a fold: "no feature matters").
    """

    def __init__(self, feature_names: Sequence[str], mode: bool | str = False,
                 feature_groups=None, *, score: Callable | None = None, n_repeats: int = 3,
                 rng: np.random.Generator | None = None, constant_undefined: bool = False):
        if mode not in (False, True, "all", "groups"):
            raise ValueError(f"importance must be True, False, 'all' or 'groups', got {mode!r}")
        self.names = list(feature_names)
        self.mode, self.score, self.n_repeats = mode, score, n_repeats
        self.constant_undefined = constant_undefined
        self.rng = rng if rng is not None else np.random.default_rng(0)
        self.groups = group_features(self.names, feature_groups) if mode else {}
        self.feature_drops: list[np.ndarray] = []
        self.group_drops: list[np.ndarray] = []
        self.builtin: list[np.ndarray] = []

    def add(self, estimator, predict: Callable[[np.ndarray], np.ndarray], X: np.ndarray,
            y: np.ndarray) -> None:
        """Record one fold: the fitted ``estimator``'s built-in importances and, if asked,
        the permutation drops of its ``predict`` on the held-out ``X``, ``y``."""
        imp = builtin_importances(estimator, len(self.names))
        if imp is not None and len(imp) == len(self.names):
            self.builtin.append(imp)
        if not self.mode:
            return
        drops = permutation_drops
        if self.constant_undefined and len(y) and np.all(np.asarray(y) == np.asarray(y)[0]):
            drops = self._undefined
        if self.mode != "groups":
            self.feature_drops.append(drops(
                predict, X, y, self.score, [[j] for j in range(len(self.names))],
                self.n_repeats, self.rng))
        self.group_drops.append(drops(predict, X, y, self.score, list(self.groups.values()),
                                      self.n_repeats, self.rng))

    @staticmethod
    def _undefined(predict, X, y, score, columns, n_repeats, rng) -> np.ndarray:
        """:func:`permutation_drops` of a fold whose score cannot change: NaN, with the
        permutations drawn all the same (the other folds' drops stay those of the seed)."""
        for _ in range(n_repeats):
            rng.permutation(len(y))
        return np.full((len(columns), n_repeats), np.nan)

    def tables(self) -> dict[str, pd.DataFrame | None]:
        """``importances``, ``group_importances`` and ``builtin`` (None where not computed)."""
        return {
            "importances": (summarize_importance(self.feature_drops, self.names)
                            if self.feature_drops else None),
            "group_importances": (summarize_importance(self.group_drops, list(self.groups),
                                                       label="group")
                                  if self.group_drops else None),
            "builtin": (pd.DataFrame({"feature": self.names,
                                      "importance": np.mean(self.builtin, axis=0)})
                        .sort_values("importance", ascending=False, ignore_index=True)
                        if self.builtin else None),
        }
