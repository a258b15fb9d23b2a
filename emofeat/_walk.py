"""The walk of a folder given as input (the command's folders, :mod:`emofeat.datasets`'
corpus loaders): every file under it, hidden folders left out, those holding inputs named."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

#: hidden folders of tools, left out without a word or a look inside: git's and git-annex's
#: (git-annex keeps each content there once, under its extension), DataLad's, DVC's, caches,
#: Python's virtual environments and Jupyter's checkpoints; other hidden folders (``.raw``,
#: ``.backup``: a user's data, perhaps) are named where the walk leaves out inputs in them
TOOL_FOLDERS = frozenset({".git", ".datalad", ".dvc", ".cache", ".venv",
                          ".ipynb_checkpoints"})


def folder_files(folder: Path, suffixes: tuple[str, ...],
                 wanted: Callable[[Path], bool] | None = None
                 ) -> tuple[list[Path], list[Path]]:
    """The files under ``folder`` (recursively, in the walk's order) and the hidden folders
    under it that were not searched though they hold an input, at any depth: a file whose
    name ends with one of ``suffixes`` (lower case), for which ``wanted`` is true if given.

    A folder whose name starts with ``.`` below ``folder`` is not searched (``folder`` itself
    is, hidden or not): given a DataLad or git-annex dataset's root, ``.git`` holds each
    content once under its own extension (``.git/annex/objects/.../SHA256E-...wav``), an
    input that made the dataset's entries, links to it, one input named by the object.
    Such a folder is looked into only to tell whether to name it, until its first input
    (editors', caches' and trash folders, ``.idea``, ``.pytest_cache``, ``.Trash-1000``,
    hold none and are not named); :data:`TOOL_FOLDERS` are neither searched nor looked
    into. Links to folders are not followed (as :meth:`Path.rglob`). Every entry that is
    not a folder is listed, a link, a broken one too."""
    found: list[Path] = []
    hidden: list[Path] = []
    for where, folders, names in os.walk(folder):
        kept = []
        for d in folders:
            if not d.startswith("."):
                kept.append(d)
            elif d not in TOOL_FOLDERS and _holds(Path(where, d), suffixes, wanted):
                hidden.append(Path(where, d))
        folders[:] = kept
        found.extend(Path(where, n) for n in names)
    return found, sorted(hidden)


def _holds(folder: Path, suffixes: tuple[str, ...],
           wanted: Callable[[Path], bool] | None) -> bool:
    # the first input found ends the look (tools' folders inside left out, as at the top);
    # the names are tested as strings first: a cache of 20,000 files in 200 folders costs
    # its os.walk, ~30 ms
    for where, folders, names in os.walk(folder):
        folders[:] = [d for d in folders if d not in TOOL_FOLDERS]
        for n in names:
            if n.lower().endswith(suffixes) and (wanted is None or wanted(Path(where, n))):
                return True
    return False


def hidden_said(hidden: list[Path], shown: int = 3) -> str:
    """The hidden folders not searched, for a message: ``''`` where none;
    ``'; hidden folder d/.raw not searched (give it as a folder to search it)'``."""
    if not hidden:
        return ""
    names = ", ".join(str(h) for h in hidden[:shown])
    if len(hidden) > shown:
        names += f" and {len(hidden) - shown} more"
    one = len(hidden) == 1
    return (f"; {'hidden folder' if one else 'hidden folders'} {names} not searched (give "
            f"{'it' if one else 'them'} as {'a folder' if one else 'folders'} to search "
            f"{'it' if one else 'them'})")
