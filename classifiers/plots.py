"""Plots of an evaluation, rendered with matplotlib's Agg canvas (no display needed).

Each function returns the :class:`matplotlib.figure.Figure` and, given ``path``, saves a PNG.
"""

from __future__ import annotations

import os
from collections.abc import Sequence

import numpy as np
import pandas as pd


def _figure(width: float, height: float):
    # a bare Figure (no pyplot) renders PNGs with the Agg canvas and leaves the user's
    # interactive backend alone
    from matplotlib.figure import Figure

    return Figure(figsize=(width, height), layout="constrained")


def _save(fig, path: str | os.PathLike | None):
    if path is not None:
        fig.savefig(os.fspath(path), dpi=110)
    return fig


def plot_confusion(confusion: np.ndarray, labels: Sequence[str], path=None, title: str = ""):
    """Row-normalised confusion matrix (recall on the diagonal), with the values printed."""
    cm = np.asarray(confusion, dtype=float)
    rows = cm.sum(axis=1, keepdims=True)
    norm = np.divide(cm, rows, out=np.zeros_like(cm), where=rows > 0)
    k = len(labels)
    title = title or "normalised confusion matrix"
    # room for the title and the colourbar's label also with two or three classes, whose
    # cells alone made a figure narrower than its title (cut off on both sides)
    fig = _figure(max(1.2 + 0.65 * k, 1.5 + 0.1 * len(title)), max(1.0 + 0.6 * k, 3.0))
    ax = fig.subplots()
    im = ax.imshow(norm, vmin=0, vmax=1, cmap="Blues")
    ax.set_xticks(range(k), labels, rotation=45, ha="right")
    ax.set_yticks(range(k), labels)
    ax.set_xlabel("predicted")
    ax.set_ylabel("true")
    for i in range(k):
        for j in range(k):
            ax.text(j, i, f"{norm[i, j]:.2f}", ha="center", va="center", fontsize=8,
                    color="white" if norm[i, j] > 0.5 else "black")
    fig.colorbar(im, ax=ax, shrink=0.8, label="share of true class")
    ax.set_title(title)
    return _save(fig, path)


def plot_importance(importance: pd.DataFrame, path=None, top: int = 20, title: str = ""):
    """Horizontal bars of the ``top`` most important features or groups (with std whiskers).

    ``importance`` has the names in its first column, then ``importance`` (and ``std``).
    """
    df = importance.head(top).iloc[::-1]
    fig = _figure(7, 1.0 + 0.28 * len(df))
    ax = fig.subplots()
    xerr = df["std"] if "std" in df else None
    ax.barh(df.iloc[:, 0].astype(str), df["importance"], xerr=xerr, color="#4C72B0")
    ax.axvline(0, color="black", linewidth=0.8)
    ax.set_xlabel("importance")
    # over the figure, not the axes: long names (eGeMAPS groups) push the axes right, and
    # a report's title centred over them ran off the figure's right edge
    fig.suptitle(title or "importance")
    return _save(fig, path)


#: most groups drawn one bar each; more are drawn as a histogram of their figures (1096
#: ISEAR respondents made a figure 42361 pixels wide, its bars and names unreadable)
MAX_BARS = 60


def plot_per_group(per_group: pd.DataFrame, metric: str = "uar", path=None, chance=None,
                   title: str = "", group_name: str = "group"):
    """One bar per speaker / subject with its figure, the mean as a line, chance dashed; for
    more than :data:`MAX_BARS` groups, a histogram of their figures with the same lines."""
    if len(per_group) > MAX_BARS:
        return _save(_per_group_histogram(per_group[metric], metric, chance, title,
                                          group_name), path)
    fig = _figure(max(4, 0.35 * len(per_group) + 1.5), 3.2)
    ax = fig.subplots()
    ax.bar(per_group["group"].astype(str), per_group[metric], color="#55A868")
    ax.axhline(per_group[metric].mean(), color="black", linewidth=1, label="mean")
    if chance is not None:
        ax.axhline(chance, color="grey", linestyle="--", linewidth=1, label="chance")
    ax.set_ylabel(metric.upper())
    ax.set_xlabel(group_name)
    ax.tick_params(axis="x", rotation=90)
    ax.legend(loc="upper left", bbox_to_anchor=(1.0, 1.0), fontsize=8)
    ax.set_title(title or f"{metric.upper()} per {group_name}")
    return _save(fig, path)


def _per_group_histogram(values: pd.Series, metric: str, chance, title: str, group_name: str):
    """How many groups have each figure (undefined ones left out), mean and chance as
    vertical lines."""
    values = pd.to_numeric(values, errors="coerce")
    shown = values[np.isfinite(values)]
    fig = _figure(6, 3.2)
    ax = fig.subplots()
    ax.hist(shown, bins=min(30, max(5, len(shown) // 10)), color="#55A868")
    ax.axvline(shown.mean(), color="black", linewidth=1, label="mean")
    if chance is not None:
        ax.axvline(chance, color="grey", linestyle="--", linewidth=1, label="chance")
    ax.set_xlabel(metric.upper())
    ax.set_ylabel(f"{group_name}s")
    ax.legend(loc="upper left", bbox_to_anchor=(1.0, 1.0), fontsize=8)
    left = len(values) - len(shown)
    ax.set_title(title or f"{metric.upper()} of {len(values)} {group_name}s"
                 + (f" ({left} undefined)" if left else ""))
    return fig
