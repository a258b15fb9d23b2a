"""Checks shared by the corpus loaders that read labels from file names."""

from __future__ import annotations

import os
import warnings
from collections.abc import Iterable
from pathlib import Path

from .._wording import counted


class SkippedFileWarning(UserWarning):
    """A corpus loader left out files whose names do not follow the corpus's convention."""


def corpus_folder(root: str | os.PathLike, corpus: str) -> Path:
    """``root`` as a path (``~`` expanded), or a ``FileNotFoundError`` naming the corpus when
    it is not a folder (a misspelt one gave "no ... file in <root>" or a bare errno)."""
    path = Path(root).expanduser()
    if not path.is_dir():
        raise FileNotFoundError(f"{corpus}: {path} is not a folder")
    return path


def warn_skipped(corpus: str, root: Path, skipped: list[Path], example: str) -> None:
    """Warn, naming them, about files a loader left out: a renamed or trimmed copy
    (``..._trim.wav``) would otherwise vanish from a study without a trace."""
    if not skipped:
        return
    names = ", ".join(str(p.relative_to(root)) for p in skipped[:5])
    more = f" and {len(skipped) - 5} more" if len(skipped) > 5 else ""
    were = "was" if len(skipped) == 1 else "were"
    warnings.warn(f"{corpus}: {counted(len(skipped), 'file')} in {root} not named like "
                  f"{example} {were} left out: {names}{more}", SkippedFileWarning, stacklevel=3)


def refuse_duplicates(corpus: str, paths: Iterable[Path]) -> None:
    """Refuse a recording found twice (one name in two sub-folders, or as WAV and FLAC): its
    copies would count twice and could fall on both sides of a split."""
    seen: dict[str, Path] = {}
    twice: list[tuple[Path, Path]] = []
    for p in paths:
        if p.stem in seen:
            twice.append((seen[p.stem], p))
        else:
            seen[p.stem] = p
    if twice:
        a, b = twice[0]
        appear = "appears" if len(twice) == 1 else "appear"
        raise ValueError(f"{corpus}: {counted(len(twice), 'recording')} {appear} more than "
                         f"once, e.g. {a} and {b}: point the loader at a folder holding one "
                         "copy of the corpus")
