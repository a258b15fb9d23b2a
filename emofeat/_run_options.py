"""Options of a run checked once for :func:`emofeat.runner.run` and ``emofeat extract``:
the block options of audio runs (``long_file_seconds``/``--long-file``,
``block_seconds``/``--block``), their defaults, and the output options (``output``/``-o``,
``layout``/``--format``, ``backend``/``--backend``, ``scheduler``/``--scheduler``). Imports
nothing heavy: the command's parser takes its defaults from here."""

from __future__ import annotations

import math
import os
from pathlib import Path
from typing import Any

__all__ = ["BLOCK_SECONDS", "LONG_FILE_SECONDS", "OTHER_FORMATS", "Unsaid", "check_blocks",
           "check_output"]

#: suffixes of other formats than parquet: an output named so is refused (it became a folder
#: of parquet parts named so, or with a file layout parquet bytes in a file named so)
OTHER_FORMATS = (".csv", ".tsv", ".txt", ".json", ".jsonl", ".ndjson", ".xlsx", ".xls",
                 ".h5", ".hdf5", ".pkl", ".pickle", ".npy", ".npz", ".feather", ".arrow",
                 ".mat", ".joblib", ".arff")


class Unsaid(float):
    """A default the caller did not give, equal to the number it stands for: an option that
    does not apply to a run (``long_file_seconds`` of texts) is refused only where given."""


#: :func:`emofeat.runner.run`'s defaults of ``long_file_seconds`` and ``block_seconds``
#: (the command's of ``--long-file`` and ``--block``), told apart from the same numbers given
LONG_FILE_SECONDS, BLOCK_SECONDS = Unsaid(600.0), Unsaid(60.0)


def check_blocks(modality: str, long_file_seconds: float | None, block_seconds: float,
                 names: tuple[str, str] = ("long_file_seconds", "block_seconds")) -> None:
    """Refuse block options that cannot mean what they say, the one check of
    :func:`emofeat.runner.run` and ``emofeat extract``: a value that is no number of seconds
    (NaN, negative, ``0`` or infinity for the block; ``long_file_seconds`` takes 0, every
    file in blocks, infinity or ``None``, none), and either option given (not left at its
    :class:`Unsaid` default) for ``modality`` other than audio, where nothing is read in
    blocks (texts have no time axis, EEG recordings are read whole): they were taken and did
    nothing. ``names`` are the options as the caller knows them (``("--long-file",
    "--block")``).

    Raises
    ------
    ValueError
        Naming the option, or both.
    """
    for name, value, zero in ((names[0], long_file_seconds, True),
                              (names[1], block_seconds, False)):
        if value is None and zero:
            continue
        try:
            seconds = float(value)
        except (TypeError, ValueError):
            seconds = math.nan
        if math.isnan(seconds) or seconds < 0 or (seconds == 0 and not zero) or (
                math.isinf(seconds) and not zero):
            what = "0 or more" if zero else "a positive, finite number of"
            raise ValueError(f"{name} {value!r}: expected {what} seconds")
    given = [n for n, v in zip(names, (long_file_seconds, block_seconds), strict=True)
             if not isinstance(v, Unsaid)]
    if not given or modality == "audio":
        return
    # they were taken and did nothing: an hour of EEG read whole all the same, where the
    # user had asked for bounded memory (as segments of texts, refused)
    if modality == "text":
        why = "text inputs have no time axis to read in blocks"
    else:
        why = f"{modality.upper() if modality == 'eeg' else modality} recordings are read whole"
    one = len(given) == 1
    raise ValueError(f"{' and '.join(given)}: {why}; {'it applies' if one else 'they apply'} "
                     f"to audio files only: leave {'it' if one else 'them'} out")


def check_output(output: Any, layout: str = "auto", backend: str = "auto",
                 scheduler: Any = None) -> None:
    """Refuse output options that would not do what they say, the one check of
    :func:`emofeat.runner.run` and ``emofeat extract`` (each message names the options as
    the caller types them, :func:`emofeat.errors.option`): a ``scheduler`` with a backend
    other than Dask (the scheduler won, the backend asked for was ignored), an ``output``
    named like another format (``features.csv`` became a folder of parquet parts named so)
    unless it is a dataset folder (``layout="dataset"``, or a folder there), and a folder
    name (a trailing ``/``) with ``layout="file"`` (the name without its ``/`` was written as
    one file).

    Raises
    ------
    ValueError
        Naming the option and the way out.
    """
    from .errors import option

    if scheduler is not None and backend not in ("auto", "dask"):
        raise ValueError(
            f"{option('scheduler=', '--scheduler')} runs the inputs on a Dask cluster, not "
            f"with {option(f'backend={backend!r}', f'--backend {backend}')}; leave one of "
            "the two out")
    if output is None:
        return
    text = os.fspath(output)
    said = option(f"output={text!r}", f"-o {text}")
    suffix = Path(text).suffix.lower()
    # where run writes: '~/feats.csv', a dataset folder in the home folder, was refused as
    # no folder (a '~' in the working folder); the messages keep the user's text
    where = Path(os.path.expanduser(text))
    if suffix in OTHER_FORMATS and layout != "dataset" and not where.is_dir():
        raise ValueError(f"{said}: {option('run', 'extract')} writes parquet, not "
                         f"{suffix[1:].upper()}: give a .parquet file, or a folder "
                         "(pandas.read_parquet reads either)")
    if layout == "file" and text.endswith(("/", os.sep)):
        one = option("layout='file'", "--format file")
        folder = option("layout='dataset'", "--format dataset")
        raise ValueError(f"{said} names a folder, and {one} writes one file: give a file "
                         f"name, or {folder}")
