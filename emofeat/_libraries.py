"""The versions of the libraries besides emofeat that decided a run's numbers.

A run's provenance records them (``environment``) next to Python, NumPy, SciPy and Numba:
the FLAC decoder (miniaudio's dr_flac), libsndfile (every other format, and FLAC where
dr_flac cannot read it), soxr (resampling), MNE (EEG files, multitaper spectra, filter
design) and pyarrow (the parquet written).

The three audio libraries and MNE are named where the run called them: each decode and
resample call site, MNE's file read and each use of an MNE filter design (the EEG sets keep
the designs for the process's life: a run reusing one calls no MNE, though MNE's design
decided its numbers) or multitaper PSD counts its call (:func:`used`, a dict increment),
and a shard names those it called while it ran (:func:`counting`, :func:`run_libraries`),
in whichever process ran it (a forked worker, a Dask worker), so that a run in a notebook
or a test process names what it used, not what an earlier run loaded. The shard's count is
its own (a context variable, each thread's): two runs at once in threads of one process,
or a Dask worker of several threads serving both, name each their own (until session 56
the count was the process's, and a shard named what the other thread called meanwhile).
pyarrow is named where the run wrote an output (in memory, a table has been written by
nothing). Nothing is imported here (an audio run's start-up stays without MNE, issue 9):
versions are read from the modules loaded, or, for a library called but not loaded in the
process (a loky worker given an ``EEGRecording`` that MNE decoded or filtered, since
session 56), from its installed distribution's metadata.
"""

from __future__ import annotations

import contextlib
import contextvars
import functools
import importlib.util
import os
import sys
from collections.abc import Iterator
from typing import Any

#: (module loaded, name in the provenance, modality that uses it or None for any, how the
#: version is read: an attribute of the module or, for miniaudio, whose compiled module
#: emofeat loads alone, the name of its installed distribution)
_WATCHED = (
    ("_miniaudio", "miniaudio", "audio", "dist:miniaudio"),
    ("soundfile", "libsndfile", "audio", "__libsndfile_version__"),
    ("soxr", "soxr", "audio", "__version__"),
    ("mne", "mne", "eeg", "__version__"),
    ("pyarrow", "pyarrow", None, "__version__"),
)


#: the libraries whose calls are counted where emofeat calls them (:func:`used`)
COUNTED = ("miniaudio", "libsndfile", "soxr", "mne")
#: calls of each since the process started (a forked worker starts with its parent's)
_CALLS = dict.fromkeys(COUNTED, 0)
#: the calls of the shard running in this thread (:func:`counting`); None outside one
_SHARD: contextvars.ContextVar[dict[str, int] | None] = contextvars.ContextVar(
    "emofeat_library_calls", default=None)


def used(name: str) -> None:
    """Count a call into library ``name`` (one of :data:`COUNTED`): called where emofeat
    decodes with miniaudio or libsndfile, resamples with soxr, reads an EEG file with MNE
    or filters with (or takes a PSD from) MNE's designs, cached or not, so that a run
    names the libraries it called (:func:`run_libraries`)."""
    _CALLS[name] += 1
    shard = _SHARD.get()
    if shard is not None:
        shard[name] += 1


def calls() -> dict[str, int]:
    """The calls counted so far in this process, every thread's."""
    return dict(_CALLS)


@contextlib.contextmanager
def counting() -> Iterator[dict[str, int]]:
    """Count the calls made in this context (a shard, in the thread that runs it) apart
    from those of other threads, for :func:`run_libraries`'s ``counted``.

    Yields
    ------
    dict of str to int
        The calls of each :data:`COUNTED` library made within, up to date as they are
        made; on leaving, also added to an enclosing count.
    """
    shard = dict.fromkeys(COUNTED, 0)
    token = _SHARD.set(shard)
    try:
        yield shard
    finally:
        _SHARD.reset(token)
        outer = _SHARD.get()
        if outer is not None:  # a run within a shard: the enclosing shard called them too
            for name, n in shard.items():
                outer[name] += n


def run_libraries(modality: str | None, counted: dict[str, int] | None = None, *,
                  output: bool = False) -> dict[str, str]:
    """The versions of the watched libraries that a run of ``modality`` used in this process
    (``{'libsndfile': '1.2.2', 'soxr': '1.1.0', 'pyarrow': '26.0.1'}``): a counted library
    (:data:`COUNTED`) where ``counted`` holds a call of it, pyarrow where ``output``.

    Parameters
    ----------
    modality : str or None
        The run's modality (``"audio"``, ``"eeg"``, ``"text"``); ``None``: every library.
    counted : dict or None
        The calls of the run (shard), :func:`counting`'s; ``None``: no counted library
        (the run's own process where its shards ran elsewhere or reported theirs).
    output : bool
        Whether the run (shard) wrote parquet here (pyarrow wrote it).

    Returns
    -------
    dict of str to str
        Name to version, for the libraries used whose version could be read.
    """
    out = {}
    for module, name, used_by, how in _WATCHED:
        if used_by is not None and modality is not None and used_by != modality:
            continue
        if name in _CALLS and (counted is None or not counted.get(name)):
            continue
        if name == "pyarrow" and not output:
            continue
        if sys.modules.get(module) is None:
            if name not in _CALLS:
                continue
            # called, yet not loaded here: a loky worker given an EEGRecording that MNE
            # decoded or filtered counts MNE without importing it, and named none. Read
            # from the distribution where the module's version is the distribution's (not
            # libsndfile's, a C library's version soundfile reports)
            if how != "__version__" and not how.startswith("dist:"):
                continue
            version = _version(module, how if how.startswith("dist:") else f"dist:{module}",
                               loaded=False)
        else:
            version = _version(module, how)
        if version:
            out[name] = version
    return out


@functools.cache
def _version(module: str, how: str, loaded: bool = True) -> str | None:
    """The version of ``module``, read once per process: loaded, from ``how`` (an attribute
    of the module, or ``dist:NAME``, its distribution's metadata); not loaded (``loaded``
    False), from the metadata of the distribution ``how`` names, found where an import
    would find the module, which is not imported (MNE's import: 0.1 s)."""
    if not how.startswith("dist:"):
        version = getattr(sys.modules.get(module), how, None)
        return version if isinstance(version, str) else None
    # the distribution's metadata folder beside the module (site-packages): a listing of one
    # folder, not importlib.metadata's walk of every path entry (30 ms) nor the miniaudio
    # Python module's import (40 ms: urllib and more)
    if loaded:
        where = os.path.dirname(getattr(sys.modules.get(module), "__file__", None) or "")
    else:
        try:
            spec = importlib.util.find_spec(module)  # a search of the path, no import
        except (ImportError, ValueError):
            return None
        if spec is None or not spec.origin:
            return None
        where = os.path.dirname(spec.origin)
        if spec.submodule_search_locations is not None:  # a package: mne/__init__.py
            where = os.path.dirname(where)
    prefix = how[len("dist:"):] + "-"
    try:
        names = os.listdir(where or ".")
    except OSError:
        return None
    found = [n[len(prefix):-len(".dist-info")] for n in names
             if n.startswith(prefix) and n.endswith(".dist-info")]
    return found[0] if len(found) == 1 else None


def merged(found: list[dict[str, str]]) -> dict[str, str]:
    """The versions of several processes as one record: a library's version, or its
    versions sorted and comma-separated where processes differed (a Dask cluster's
    workers of other installs).

    Parameters
    ----------
    found : list of dict
        :func:`run_libraries` of each process (shard).

    Returns
    -------
    dict of str to str
        Name to version(s), in :data:`_WATCHED`'s order.
    """
    versions: dict[str, set[str]] = {}
    for libs in found:
        for name, version in libs.items():
            versions.setdefault(name, set()).add(version)
    order = [name for _, name, _, _ in _WATCHED]
    return {name: ", ".join(sorted(versions[name])) for name in order if name in versions}


def with_earlier(environment: dict[str, Any], earlier: Any) -> dict[str, Any]:
    """``environment`` (a run's) with the watched libraries of ``earlier`` (the environment
    an output recorded, whose rows the run keeps) merged in (:func:`merged`); the rest
    (Python, NumPy, platform) is the run's.

    Parameters
    ----------
    environment : dict
        The run's provenance ``environment``.
    earlier : dict or None
        The output's recorded ``environment``; anything else is ignored.

    Returns
    -------
    dict
        A new environment.
    """
    if not isinstance(earlier, dict):
        return environment
    names = {name for _, name, _, _ in _WATCHED}
    old = {k: v for k, v in earlier.items() if k in names and isinstance(v, str)}
    if not old:
        return environment
    now = {k: v for k, v in environment.items() if k in names}
    # a record of several versions ('1.0.0, 1.1.0') is split back into them
    found = [{k: one} for k, v in old.items() for one in v.split(", ")] + [now]
    return {**{k: v for k, v in environment.items() if k not in names}, **merged(found)}
