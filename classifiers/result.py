"""The result of an evaluation: figures, predictions, settings, importances and a report."""

from __future__ import annotations

import json
import os
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from emofeat._natural import natural_key
from emofeat._wording import counted
from emofeat.errors import option

_LABELS = {"uar": "UAR", "wa": "WA", "macro_f1": "macro-F1", "weighted_f1": "weighted-F1",
           "ccc": "CCC", "pearson": "Pearson r", "rmse": "RMSE",
           "off_by_one": "off-by-one acc.", "micro_f1": "micro-F1",
           "subset_accuracy": "subset acc.", "jaccard": "Jaccard", "hamming_loss": "Hamming loss"}


@dataclass
class EvaluationResult:
    """Pooled, per-fold and per-group figures of one evaluation, with its predictions.

    Attributes
    ----------
    task : {"classification", "regression", "multilabel"}
    scores : dict
        The headline figures: ``uar, wa, macro_f1, weighted_f1`` (classification),
        ``micro_f1, macro_f1, subset_accuracy, jaccard, hamming_loss`` (multi-label) or
        ``ccc, pearson, rmse`` (regression), plus ``off_by_one`` for integer ratings
        (``evaluate(..., ordinal=)``; ``settings["ordinal"]`` says whether it was scored);
        pooled over all held-out predictions (for
        ``subject_dependent``: the mean over subjects). Also reachable as attributes
        (``result.uar``).
    per_fold : DataFrame
        One row per fold: held-out groups, sizes and figures (and the best parameters of a
        nested search).
    per_group : DataFrame
        One row per speaker / subject: n and figures. No row where the evaluation had no
        groups (``trialwise`` or ``cross_corpus`` without ``groups=``).
    predictions : DataFrame
        One row per evaluated row: ``row`` (position in the input table), its identity
        columns, ``group`` (missing without ``groups=``), ``fold``, ``true``, ``pred``
        (multi-label: the label sets joined by the separator, ``""`` for none).
    labels : list
        Class order of :attr:`confusion` (classification); the labels (multi-label).
    confusion : ndarray or None
        Pooled confusion matrix, rows true, columns predicted (None for multi-label).
    per_class : DataFrame or None
        Recall of each class; multi-label: support, predictions, precision, recall and F1
        of each label.
    settings : dict
        Everything needed to rerun: model and parameters, protocol, seeds, label map,
        standardisation, dropped rows, library versions.
    importances, group_importances : DataFrame or None
        Permutation importance on held-out folds per feature / feature group
        (``evaluate(..., importance=True)``).
    builtin_importances : DataFrame or None
        Tree models' own importances averaged over folds.
    """

    task: str
    scores: dict[str, float]
    per_fold: pd.DataFrame
    per_group: pd.DataFrame
    predictions: pd.DataFrame
    labels: list = field(default_factory=list)
    confusion: np.ndarray | None = None
    per_class: pd.DataFrame | None = None
    settings: dict[str, Any] = field(default_factory=dict)
    importances: pd.DataFrame | None = None
    group_importances: pd.DataFrame | None = None
    builtin_importances: pd.DataFrame | None = None

    def __getattr__(self, name: str) -> Any:
        scores = self.__dict__.get("scores", {})
        if name in scores:
            return scores[name]
        if name in _LABELS:  # a figure of the other task
            return None
        raise AttributeError(f"{type(self).__name__!s} has no attribute {name!r}")

    # ------------------------------------------------------------------ text
    def summary(self) -> str:
        """One line: model, protocol, sizes and the headline figures."""
        s = self.settings
        figs = "  ".join(f"{_LABELS.get(k, k)} {v:.3f}" for k, v in self.scores.items())
        what = (counted(len(self.labels), "class", "classes") if self.task == "classification"
                else f"{counted(len(self.labels), 'label')}, multi-label"
                if self.task == "multilabel" else f"target {s.get('target')}")
        std = {"group": ", per-group standardised",
               "corpus": ", per-corpus standardised"}.get(s.get("standardize"), "")
        spread = ""
        pg = self.per_group
        if pg is not None and len(pg) > 1 and "uar" in getattr(pg, "columns", ()):
            # the spread over speakers/subjects: how much one held-out voice moves the figure
            spread = (f"  (per {s.get('groups') or 'group'} UAR {pg['uar'].mean():.3f} +- "
                      f"{pg['uar'].std(ddof=1):.3f})")
        # trialwise splits by trials; cross-corpus by corpus: "by -" said nothing (hunt of
        # session 46), and "by speaker" read as folds of speakers where the groups only
        # standardise and score the test table per speaker (session 48) or, in trialwise
        # folds, every speaker's other trials are trained on (session 49)
        trials = s.get("trials") and f"trials ({s.get('trials')})"
        if s.get("protocol") == "trialwise" and not trials and s.get("pool"):
            trials = f"utterances ({s.get('pool')})"  # pooled without trials=: the trials
        by = ("corpus" if s.get("protocol") == "cross_corpus"
              else trials if s.get("protocol") == "trialwise" and trials
              else s.get("groups") or trials)
        return (f"{s.get('model', '?')} | {s.get('protocol', '?')}{f' by {by}' if by else ''}"
                f"{std} ({counted(s.get('n_folds', '?'), 'fold')}, "
                f"{counted(len(self.predictions), 'row')}, {what}): "
                f"{figs}{spread}")

    def table(self) -> str:
        """The headline figures as a Markdown table."""
        head = "| " + " | ".join(_LABELS.get(k, k) for k in self.scores) + " |"
        sep = "|" + "---|" * len(self.scores)
        vals = "| " + " | ".join(f"{v:.3f}" for v in self.scores.values()) + " |"
        return "\n".join([head, sep, vals])

    def __str__(self) -> str:
        return self.summary()

    def to_dict(self) -> dict[str, Any]:
        """Figures, importances and settings as JSON-ready data (no predictions).

        An undefined figure (NaN, e.g. the CCC of a one-row fold) or an infinite one is
        ``None`` (``null`` in ``result.json``, which stays strict JSON; ``json.load`` and
        every JSON reader take it).
        """
        return _finite_or_none(json.loads(json.dumps({
            "task": self.task, "scores": self.scores, "labels": list(self.labels),
            "confusion": None if self.confusion is None else self.confusion.tolist(),
            "per_group": self.per_group.to_dict(orient="records"),
            "per_fold": self.per_fold.to_dict(orient="records"), "settings": self.settings,
            **{name: (None if df is None else df.to_dict(orient="records"))
               for name, df in (("importances", self.importances),
                                ("group_importances", self.group_importances),
                                ("builtin_importances", self.builtin_importances))},
        }, default=_json_default)))

    # ------------------------------------------------------------------ report
    def plot_confusion(self, path=None):
        """Normalised confusion matrix (see :func:`emofeat.classifiers.plots.plot_confusion`)."""
        from .plots import plot_confusion

        if self.confusion is None:
            raise ValueError("no confusion matrix for a regression")
        return plot_confusion(self.confusion, self.labels, path, title=self.settings.get(
            "model", "") + " - normalised confusion matrix")

    def _group_metric(self) -> str:
        """The headline figure of the per-group figure, and of the per-group and per-fold
        tables."""
        return {"classification": "uar", "multilabel": "macro_f1"}.get(self.task, "ccc")

    def _group_noun(self) -> str:
        """What a group is, as the evaluation named its column (``'subject'``), else
        ``'group'``."""
        name = self.settings.get("groups")
        return name if isinstance(name, str) and name else "group"

    def plot_per_group(self, path=None):
        """The headline figure per speaker / subject.

        Raises
        ------
        ValueError
            The evaluation had no groups (``per_group`` has no row).
        """
        from .plots import plot_per_group

        if not len(self.per_group):
            raise ValueError("no per-group figures to plot: the evaluation had no groups "
                             "(groups=None)")
        metric = self._group_metric()
        chance = 1 / len(self.labels) if self.task == "classification" and self.labels else None
        return plot_per_group(self.per_group, metric, path, chance=chance,
                              group_name=self._group_noun())

    def report(self, folder: str | os.PathLike, title: str | None = None) -> Path:
        """Write ``report.md`` with the tables and PNG plots, plus CSVs and ``result.json``.

        Parameters
        ----------
        folder : path
            Created if needed.
        title : str, optional

        Returns
        -------
        Path
            The Markdown file.
        """
        from .plots import plot_importance

        out = Path(folder)
        out.mkdir(parents=True, exist_ok=True)
        # an earlier report's files that this one may not write (importances, confusion):
        # left in place they would read as this evaluation's
        for stale in _REPORT_FILES:
            (out / stale).unlink(missing_ok=True)
        s = self.settings
        lines = [f"# {title or 'emofeat evaluation'}", "", self.summary(), "", self.table(), ""]
        lines += ["## Settings", "", "| setting | value |", "|---|---|"]
        for key in ("model", "model_params", "protocol", "target", "groups", "trials",
                    "n_splits", "n_folds", "label_map", "standardize", "param_grid",
                    "inner_splits", "best_params", "pool", "frame_scores",
                    "max_frames_per_unit", "max_test_frames_per_unit", "importance",
                    "n_repeats", "feature_groups",
                    "random_state", "dropped_rows", "rows_without_features", "n_features",
                    "shared_labels",
                    # a cross-corpus run's labels left out, and how the tables' extractions
                    # differ when forced: a report without them read as a clean run
                    "unshared_labels", "unmapped_labels", "provenance_differences", "task",
                    "label_sep", "versions"):
            value = s.get(key)
            # {"train": [], "test": []}: no label left out, nothing to say
            if value not in (None, {}, []) and not (
                    isinstance(value, dict) and all(v == [] for v in value.values())):
                lines.append(f"| {key} | {_md_escape(value)} |")
        lines.append("")
        if self.confusion is not None:
            self.plot_confusion(out / "confusion.png")
            # labels as they are (float labels 2.0 and 2.5, not the figures' "2.000")
            shown = [str(lab) for lab in self.labels]
            lines += ["## Confusion matrix", "", "![normalised confusion matrix](confusion.png)",
                      "", _md_table(pd.DataFrame(self.confusion, index=shown,
                                                 columns=shown).reset_index(
                                                     names="true \\ predicted")), ""]
            lines += ["## Recall per class", "",
                      _md_table(self.per_class.assign(label=self.per_class["label"].map(str))),
                      ""]
        elif self.per_class is not None:  # multi-label
            lines += ["## Per label", "", _md_table(self.per_class), ""]
        if len(self.per_group):
            self.plot_per_group(out / "per_group.png")
            lines += ["## Per group", "", "![per group](per_group.png)", "",
                      *_capped_md(_groups_shown(self.per_group), self._group_metric(),
                                  "group", "per_group.csv"),
                      ""]
        else:  # an empty figure and table said nothing; the reason does
            said = option("`groups=`", "`--groups`")
            lines += ["## Per group", "", "No groups: evaluated without a group column "
                      f"({said}), so no figures per speaker or subject.", ""]
        lines += ["## Per fold", "",
                  *_capped_md(_fold_groups_capped(self.per_fold, self._group_noun()),
                              self._group_metric(), "fold", "per_fold.csv"), ""]
        if _groups_cut(self.per_fold):
            noun = self._group_noun()
            lines += [f"A fold holding more than {IDS_IN_CELL} {noun}s shows their number and "
                      f"the first {IDS_SHOWN}; `per_fold.csv` lists every held-out {noun}.", ""]
        for name, df, label in (("importance", self.importances, "Permutation importance "
                                 "per feature (held-out folds)"),
                                ("group_importance", self.group_importances,
                                 "Permutation importance per feature group (held-out folds)"),
                                ("builtin_importance", self.builtin_importances,
                                 "Built-in tree importances (mean over folds)")):
            if df is not None:
                plot_importance(df, out / f"{name}.png", title=label)
                df.to_csv(out / f"{name}.csv", index=False)
                lines += [f"## {label}", "", f"![{name}]({name}.png)", "",
                          _md_table(df.head(20)), ""]
        self.predictions.to_csv(out / "predictions.csv", index=False)
        self.per_group.to_csv(out / "per_group.csv", index=False)
        self.per_fold.to_csv(out / "per_fold.csv", index=False)
        # allow_nan=False: to_dict already wrote NaN as null; bare NaN is not JSON
        (out / "result.json").write_text(json.dumps(self.to_dict(), indent=2, allow_nan=False))
        lines += ["Predictions: `predictions.csv`; all figures and settings: `result.json`.", ""]
        path = out / "report.md"
        path.write_text("\n".join(lines))
        return path


#: every file :meth:`EvaluationResult.report` writes
_REPORT_FILES = ("report.md", "confusion.png", "per_group.png", "importance.png",
                 "importance.csv", "group_importance.png", "group_importance.csv",
                 "builtin_importance.png", "builtin_importance.csv", "predictions.csv",
                 "per_group.csv", "per_fold.csv", "result.json")


def _json_default(obj: Any) -> Any:
    if isinstance(obj, np.generic):
        return obj.item()
    if isinstance(obj, np.ndarray):
        return obj.tolist()
    return str(obj)


def _finite_or_none(obj: Any) -> Any:
    """``obj`` (parsed JSON) with every NaN or infinite float replaced by ``None``: Python's
    ``json`` writes them as the bare ``NaN`` / ``Infinity``, which strict JSON readers
    (JavaScript, jq, most languages' parsers) refuse."""
    if isinstance(obj, float):
        return obj if np.isfinite(obj) else None
    if isinstance(obj, dict):
        return {k: _finite_or_none(v) for k, v in obj.items()}
    if isinstance(obj, list):
        return [_finite_or_none(v) for v in obj]
    return obj


def _md_escape(value: Any) -> str:
    """``value`` as one Markdown table cell: ``|`` escaped, and a line break shown as ``\\n``
    (``\\r``), which would otherwise end the row and break the table."""
    text = value if isinstance(value, str) else json.dumps(value, default=_json_default)
    return text.replace("|", "\\|").replace("\r", "\\r").replace("\n", "\\n")


#: rows at each end of report.md's per-group and per-fold tables when there are more than the
#: per-group figure draws as bars (ISEAR's 1096 respondents were 1096 rows of report.md)
GROUPS_SHOWN = 20


def _capped_md(df: pd.DataFrame, metric: str, noun: str, csv: str) -> list[str]:
    """report.md's per-group (``noun`` ``"group"``) or per-fold (``"fold"``) table: every row
    up to :data:`~.plots.MAX_BARS`, else the :data:`GROUPS_SHOWN` lowest and highest by
    ``metric`` (undefined ones counted), with a line naming ``csv``, which holds them all."""
    from .plots import MAX_BARS

    if len(df) <= MAX_BARS or metric not in df:
        return [_md_table(df)]
    values = pd.to_numeric(df[metric], errors="coerce")
    ranked = df.loc[values[np.isfinite(values)].sort_values(kind="stable").index]
    undefined = len(df) - len(ranked)
    name = _LABELS.get(metric, metric)
    out = [f"{counted(len(df), noun)}: the {GROUPS_SHOWN} lowest and the {GROUPS_SHOWN} "
           f"highest by {name} are shown"
           + (f" ({undefined} with an undefined {name} are not)" if undefined else "")
           + f"; every {noun} is in `{csv}`.", "",
           f"Lowest {name}:", "", _md_table(ranked.head(GROUPS_SHOWN)), "",
           f"Highest {name}:", "", _md_table(ranked.tail(GROUPS_SHOWN).iloc[::-1])]
    return out


#: held-out groups a per-fold cell of report.md lists whole; past it the cell gives their
#: number and the first :data:`IDS_SHOWN` (group_kfold over ISEAR's 1096 respondents held
#: out about 220 a fold, ~1,500 characters a row)
IDS_IN_CELL = 10
IDS_SHOWN = 5


def join_group_ids(ids: Any) -> str:
    """Group ids as one ``test_groups`` cell: joined by commas, an id holding a comma, a
    double quote or a line break (or an empty id) quoted as a CSV field would be
    (``03,"Smith, J"``);
    :func:`split_group_ids` reads it back. Ids without those characters, every id of the
    bundled corpora, read as before (``01,02,03``): until 2026-12-05 they were joined bare,
    and an id with a comma read as two.

    Parameters
    ----------
    ids : iterable of str

    Returns
    -------
    str
    """
    return ",".join(map(_csv_field, ids))


def _csv_field(value: Any) -> str:
    text = str(value)
    if text and not any(c in text for c in ',"\r\n'):
        return text
    return '"' + text.replace('"', '""') + '"'


def split_group_ids(cell: str) -> list[str]:
    """The group ids of a ``test_groups`` cell (:func:`join_group_ids`), a CSV record: what
    ``csv.reader`` reads of it. A cell of a result saved before 2026-12-05 reads the same
    where no id held a comma or began with a double quote.

    Parameters
    ----------
    cell : str

    Returns
    -------
    list of str
    """
    import csv
    import io

    return next(csv.reader(io.StringIO(cell, newline="")), [])


def _shown_id(value: str) -> str:
    """A group id as the command's per-fold line shows it: as it is, or, where it holds a
    comma, a double quote, a line break or a backslash (or is empty), as a JSON string
    (``"Smith, 01"``, ``"a\\nb"``, ``"the \\"02\\""``): one line, no CSV doubled quotes,
    a list of such ids still reads as the ids it holds, and a line break (``"a\\nb"``) is
    told from a backslash and an n (``"a\\\\nb"``)."""
    if value and not any(c in value for c in ',"\r\n\\'):
        return value
    return json.dumps(value, ensure_ascii=False)


def _md_id(value: Any) -> str:
    """A group id as report.md shows it, in the per-fold and the per-group table alike:
    :func:`_shown_id`'s JSON string in a code span, where Markdown shows its backslashes
    as written (outside one, CommonMark reads ``\\"`` as ``"``); other ids as they are."""
    text = str(value)
    shown = _shown_id(text)
    if shown == text:
        return text
    longest = max((len(r) for r in re.findall("`+", shown)), default=0)
    fence = "`" * (longest + 1)  # a backtick in the id does not end the span
    return f"{fence}{shown}{fence}"


def shown_group_ids(cell: Any, sep: str = ",", show: Callable[[str], str] = _shown_id) -> Any:
    """A ``test_groups`` cell (:func:`join_group_ids`) for reading: its ids joined by ``sep``,
    each as ``show`` shows it (:func:`_shown_id`; report.md's :func:`_md_id`); ``cell``
    itself where it is no such list."""
    ids = _held_out(cell)
    return cell if ids is None else sep.join(map(show, ids))


def _held_out(cell: Any) -> list[str] | None:
    """The held-out groups of a per-fold ``test_groups`` cell (a CSV record of them:
    :func:`join_group_ids`), or ``None`` where the cell is no such list."""
    return split_group_ids(cell) if isinstance(cell, str) and cell else None


def _groups_cut(per_fold: pd.DataFrame) -> bool:
    """Whether some per-fold cell of report.md shortens its held-out groups."""
    return "test_groups" in per_fold and any(
        len(ids) > IDS_IN_CELL for ids in map(_held_out, per_fold["test_groups"]) if ids)


def _fold_groups_capped(per_fold: pd.DataFrame, noun: str = "group") -> pd.DataFrame:
    """``per_fold`` for report.md: a ``test_groups`` cell of more than :data:`IDS_IN_CELL`
    groups becomes their number, named ``noun`` (the group column), and the first
    :data:`IDS_SHOWN` in natural order ('220 subjects: 1, 2, 10, 100, 1000, ...'); every
    id shown as :func:`_md_id` (not the CSV record's doubled quotes); the frame itself
    (and per_fold.csv) keeps every id as it is."""
    if "test_groups" not in per_fold:
        return per_fold

    def cell(value: Any) -> Any:
        if value is None or value is pd.NA or (isinstance(value, float) and np.isnan(value)):
            return ""  # a protocol without groups held none out: no 'nan' in the table
        ids = _held_out(value)
        if ids is None or len(ids) <= IDS_IN_CELL:
            return shown_group_ids(value, show=_md_id)
        # natural order also for a result saved before fold_row sorted so (text order put
        # ISEAR's 101001 before 11002)
        first = sorted(ids, key=natural_key)[:IDS_SHOWN]
        return f"{counted(len(ids), noun)}: {', '.join(map(_md_id, first))}, ..."

    return per_fold.assign(test_groups=per_fold["test_groups"].map(cell))


def _groups_shown(per_group: pd.DataFrame) -> pd.DataFrame:
    """``per_group`` for report.md: its ids as the per-fold table shows them (:func:`_md_id`);
    the frame itself (and per_group.csv) keeps them as they are."""
    if "group" not in per_group:
        return per_group
    return per_group.assign(group=per_group["group"].map(_md_id))


def _md_table(df: pd.DataFrame) -> str:
    cols = list(df.columns)
    lines = ["| " + " | ".join(str(c) for c in cols) + " |", "|" + "---|" * len(cols)]
    for row in df.itertuples(index=False):
        cells = [f"{v:.3f}" if isinstance(v, float | np.floating) else _md_escape(str(v))
                 for v in row]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)
