"""The block options of audio runs (``long_file_seconds``/``--long-file``,
``block_seconds``/``--block``): their defaults and their one check, shared by
:func:`emofeat.runner.run` and ``emofeat extract``. Imports nothing heavy: the command's
parser takes its defaults from here."""

from __future__ import annotations

import math

__all__ = ["BLOCK_SECONDS", "LONG_FILE_SECONDS", "Unsaid", "check_blocks"]


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
