"""Exceptions and warnings raised by emofeat. Each names the input it concerns and the problem."""

from __future__ import annotations

import contextlib
import contextvars
from collections.abc import Iterator

# the emofeat command is running: messages name its options, not the API's parameters
_COMMAND_LINE = contextvars.ContextVar("emofeat_command_line", default=False)


def option(api: str, cli: str) -> str:
    """How a message names what to change: ``cli`` (``"--overwrite"``) while the ``emofeat``
    command runs (:func:`command_line`), else ``api`` (``"overwrite=True"``), so that each
    reader gets the spelling they can type (messages said ``--overwrite (overwrite=True)``
    to both).

    Parameters
    ----------
    api : str
        The words for a caller of the Python API.
    cli : str
        The words for a user of the command line.

    Returns
    -------
    str
        One of the two.
    """
    return cli if _COMMAND_LINE.get() else api


@contextlib.contextmanager
def command_line() -> Iterator[None]:
    """Messages raised inside name the command's options (:func:`option`)."""
    token = _COMMAND_LINE.set(True)
    try:
        yield
    finally:
        _COMMAND_LINE.reset(token)


class EmofeatError(Exception):
    """Base class of every emofeat error."""


class InputError(EmofeatError, ValueError):
    """An input (file, signal, text, recording) cannot be turned into features.

    Parameters
    ----------
    source : str
        The file path, or a description such as ``"<array 3>"`` for in-memory input.
    problem : str
        What is wrong, in words a user can act on.
    """

    def __init__(self, source: str, problem: str) -> None:
        self.source = str(source)
        self.problem = problem
        super().__init__(f"{self.source}: {problem}")

    def __reduce__(self):
        # keep the two fields across process boundaries (joblib, dask), and what else was
        # set on it (a shard's warnings: emofeat.schedule.with_warnings)
        return (type(self), (self.source, self.problem), self.__dict__ or None)


class AudioReadError(InputError):
    """The file is missing, unreadable, corrupt, or not an audio format libsndfile reads."""


class EEGReadError(InputError):
    """The EEG file is missing, unreadable, corrupt, or not a format emofeat reads (MNE's
    formats, or a CSV with a time column)."""


class EmptyInputError(InputError):
    """The input holds no samples."""


class NonFiniteInputError(InputError):
    """The signal contains NaN or infinite samples."""


class TooShortError(InputError):
    """The signal is shorter than one analysis frame."""


class SampleRateError(InputError):
    """The signal's rate differs from the one asked for and resampling was turned off."""


class SignalTypeError(InputError):
    """The input is not a signal of the extractor's modality (a feature matrix given to an
    audio extractor, complex samples, an object that is not a text, ...)."""


class ChannelError(InputError):
    """An EEG input's channels differ from the ones the extractor was fitted on, or a
    channel cannot be analysed."""


class TruncatedAudioWarning(UserWarning):
    """An audio file holds less than its header promises (a download or copy cut short): the
    samples it holds are read, as libsndfile and librosa read them, and the warning names the
    file, the duration the header promises and the duration read."""


class UndeclaredAudioWarning(UserWarning):
    """More audio follows a WAV file's data chunk than its header declares (a recorder or
    program that stopped before it wrote the final length): the samples the header declares
    are read, as libsndfile and librosa read them, and the warning names the file, the
    duration declared, the bytes that follow and how to read them (rewrite the header)."""


class SharedIdWarning(UserWarning):
    """Two tables or manifests stacked together, their recordings in separate folders, share
    a ``speaker``, ``subject``, ``actor`` or ``participant`` id: one person to every protocol
    and to per-speaker standardisation. Two corpora (EmoDB's speaker ``03``, RAVDESS's actor
    ``03``) want a prefix on each one's ids; sessions or parts of one corpus in sibling folders
    (RAVDESS's speech and song, SEED-IV's session folders) share their people rightly, and
    the warning can be filtered (``warnings.filterwarnings("ignore",
    category=SharedIdWarning)``; not by ``-W`` or ``PYTHONWARNINGS``, which Python reads
    before it can import this class: docs/cli.md says what works for a command)."""
