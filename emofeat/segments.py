"""Segments: fixed windows over each input, or spans listed in a manifest.

Two ways to get one output row (or one block of frame rows) per segment instead of per file:

* fixed windows, ``segment=3.0, hop=1.0`` (CLI ``--segment 3s --hop 1s``): windows start at
  ``0, hop, 2 hop, ...``; the last window is the first one that reaches the end of the input and
  may be shorter than ``segment``, and is dropped when too short (audio: under 60 ms, EEG: a
  quarter second or less, whatever the sets, :func:`emofeat.compute.tail_seconds`); an input
  shorter than one window gives one segment covering all of it;
* a segment manifest: a CSV (or DataFrame) with ``path``, ``start`` and ``end`` in seconds and
  any label columns; each row is one segment, read from disk on its own (a seek, not a decode of
  the whole file; a file libsndfile cannot seek in is decoded from its start, or read on from
  the last segment of the file where they follow each other, :class:`ForwardStream`).

Rows carry ``start`` and ``end`` in seconds from the start of the file; at the LLD level frame
``time`` is counted from the start of the file too.
"""

from __future__ import annotations

import contextlib
import math
import os
import re
from dataclasses import dataclass
from typing import Any

import numpy as np

from ._libraries import used
from .audio import (
    Audio,
    decode_error,
    float64_overflow,
    header_frames,
    prepare_signal,
    read_frames_at,
    resampled_length,
    sf_path,
    skip_frames,
    undeclared_bytes,
    warn_truncated,
    warn_undeclared,
)
from .errors import AudioReadError, EmptyInputError, InputError, NonFiniteInputError

_DURATION = re.compile(r"^\s*([0-9]*\.?[0-9]+(?:[eE][-+]?[0-9]+)?)\s*(ms|s|sec|min|m|h)?\s*$")
_UNIT = {None: 1.0, "s": 1.0, "sec": 1.0, "ms": 1e-3, "min": 60.0, "m": 60.0, "h": 3600.0}


def parse_duration(text: str | float | int) -> float:
    """Seconds from ``"3s"``, ``"500ms"``, ``"1.5"``, ``"2min"`` or a number.

    Raises
    ------
    ValueError
        Not a positive, finite duration ("1e400" is infinite).
    """
    if isinstance(text, int | float):
        value = float(text)
    else:
        m = _DURATION.match(str(text))
        if not m:
            raise ValueError(f"not a duration: {text!r} (examples: 3s, 500ms, 1.5, 2min)")
        value = float(m.group(1)) * _UNIT[m.group(2)]
    if not value > 0 or not math.isfinite(value):
        raise ValueError(f"a duration must be a positive, finite number of seconds, got "
                         f"{text!r}")
    return value


@dataclass(frozen=True)
class FixedSegments:
    """Fixed windows of ``segment`` seconds every ``hop`` seconds (``hop`` defaults to
    ``segment``: no overlap)."""

    segment: float
    hop: float | None = None

    def __post_init__(self) -> None:
        if not self.segment > 0:
            raise ValueError(f"segment must be positive, got {self.segment}")
        if self.hop is not None and not self.hop > 0:
            raise ValueError(f"hop must be positive, got {self.hop}")

    @property
    def step(self) -> float:
        return self.segment if self.hop is None else self.hop

    def spans(self, n_samples: int, sr: int) -> list[tuple[int, int]]:
        """Sample spans ``[(a, b), ...]`` of the windows over ``n_samples`` at ``sr``."""
        seg = max(1, int(round(self.segment * sr)))
        hop = max(1, int(round(self.step * sr)))
        spans = []
        a = 0
        while True:
            b = min(a + seg, n_samples)
            spans.append((a, b))
            if b >= n_samples:
                return spans
            a += hop

    def span_array(self, n_samples: int, sr: float) -> np.ndarray:
        """:meth:`spans` as an ``(n_windows, 2)`` int64 array, made without a Python loop
        (a long recording cut every few samples has thousands of windows)."""
        seg = max(1, int(round(self.segment * sr)))
        hop = max(1, int(round(self.step * sr)))
        last = max(0, -(-(int(n_samples) - seg) // hop))  # the first window reaching the end
        a = np.arange(last + 1, dtype=np.int64) * hop
        return np.stack([a, np.minimum(a + seg, int(n_samples))], axis=1)

    def file_spans(self, frames: int, rate: int, sr: int | None) -> list[tuple[float, float]]:
        """The windows of a file of ``frames`` samples at ``rate`` Hz, in seconds, as they are
        cut from the file decoded whole and brought to ``sr`` (``None``: kept at ``rate``):
        on the grid of ``sr``, not of ``rate``. Whole samples of 11025 Hz make no 0.5 s
        hop (5512.5), so windows counted at the file's rate drift from those of the decoded
        signal, by a millisecond every 22 windows."""
        if sr is None or int(sr) == rate:
            return [(a / rate, b / rate) for a, b in self.spans(frames, rate)]

        sr = int(sr)
        n = resampled_length(frames, rate, sr)  # the decoded signal's length (librosa's)
        return [(a / sr, b / sr) for a, b in self.spans(n, sr)]

    def describe(self, tail: float | None = None) -> dict[str, float]:
        """The windows as a run's config and provenance record them (its fingerprint, the
        resume key). ``tail``: the seconds under which a tail window is dropped whatever the
        set (:func:`emofeat.compute.tail_rule`: audio sets, ``AUDIO_TAIL_SECONDS``; EEG
        sets, ``EEG_TAIL_SECONDS``, that long or less); recorded so that an output whose
        tails each set cut by its own minimum (audio before 2026-12-06 01:26 UTC, EEG before
        04:00 UTC: its tables did not join) is not resumed with rows cut the new way."""
        out = {"segment": self.segment, "hop": self.step}
        if tail is not None:
            out["tail"] = tail
        return out


def slice_audio(audio: Audio, a: int, b: int) -> Audio:
    """Samples ``a:b`` of a prepared signal, with the same rate and origin."""
    return Audio(y=audio.y[a:b], sr=audio.sr, source=audio.source, orig_sr=audio.orig_sr,
                 orig_channels=audio.orig_channels)


def check_span(source: str, start: float, end: float,
               error: type[InputError] = AudioReadError) -> None:
    """Refuse the bounds of a manifest segment that select nothing of any recording, saying
    why (it was "invalid segment nan-1.0 s" for audio, and for EEG a bare "cannot convert
    float NaN to integer", an OverflowError for an infinite end, or "0 samples" for an end
    before the start).

    Raises
    ------
    InputError
        ``error`` naming ``source``: a bound not finite, a start below 0, an end not after
        the start.
    """
    bounds = f"segment {start}-{end} s"
    if not (math.isfinite(start) and math.isfinite(end)):
        raise error(source, f"{bounds}: start and end must be finite seconds (leave both "
                            "empty for the whole recording)")
    if start < 0:
        raise error(source, f"{bounds} starts before the recording (start must be 0 or more)")
    if end <= start:
        raise error(source, f"{bounds} is empty: its end must be after its start")


class ForwardStream:
    """An audio file libsndfile cannot seek in (G.721 and the others of
    :func:`emofeat.audio.read_all`) held open and read forward, so that spans asked for in
    rising order (the windows of a long file, a manifest's segments of one file) decode it
    once: each span read from a file opened afresh decoded the stream from its start (a 3 s
    segment at the end of an hour of G.721: 37 s). The frames from :attr:`KEEP` seconds
    before the last span's start on are kept (the next window overlaps it by the hop; the
    same window read for a set at another rate starts up to a second earlier, on the two
    rates' common grid); a span starting before them opens the file again.

    Parameters
    ----------
    source : str
        The file.
    """

    #: seconds of frames kept before the start of the last span read
    KEEP = 2.0

    def __init__(self, source: str) -> None:
        self.source = source
        self.file: Any = None
        self.start = 0  # the frame that self.buf begins with
        self.buf = np.empty((0, 1), dtype=np.float32)

    def open(self) -> Any:
        """The open ``soundfile.SoundFile`` (opened at its start where it is not open)."""
        import soundfile as sf

        if self.file is None:
            self.file = sf.SoundFile(sf_path(self.source))
            self.start = 0
            self.buf = np.empty((0, self.file.channels), dtype=np.float32)
        return self.file

    def read(self, a: int, n: int) -> np.ndarray:
        """``n`` frames from frame ``a`` (float32, 2-D; fewer where the file ends).

        A read that fails closes the file (the next span opens it again): libsndfile may
        have decoded frames that were not counted, and the runner keeps the stream for the
        file's next segment, whose frames would be shifted without a word."""
        try:
            return self._read(a, n)
        except BaseException:
            # the read's error is the one to report, not a close of a broken stream's
            with contextlib.suppress(Exception):
                self.close()
            raise

    def _read(self, a: int, n: int) -> np.ndarray:
        if self.file is not None and a < self.start:
            self.close()  # before the frames kept: from the start again
        f = self.open()
        keep = max(0, a - int(self.KEEP * f.samplerate))
        if keep > self.start:
            drop = min(keep - self.start, self.buf.shape[0])
            # a view would hold the whole previous buffer (a window's frames and more) until
            # the next join: copied where most of it is dropped
            self.buf = (self.buf[drop:].copy() if 2 * drop > self.buf.shape[0]
                        else self.buf[drop:])
            self.start += drop
            if self.start < keep:  # nothing kept: frames up to ``keep`` decoded, dropped
                self.start += skip_frames(f, keep - self.start)
        have = self.start + self.buf.shape[0]
        if a + n > have:
            more = f.read(a + n - have, dtype="float32", always_2d=True)
            self.buf = np.concatenate([self.buf, more]) if self.buf.shape[0] else more
        i = max(0, a - self.start)
        return self.buf[i:i + n].copy()  # a copy: the buffer is cut and joined later

    def close(self) -> None:
        """Close the file (a later :meth:`read` opens it again)."""
        if self.file is not None:
            channels = self.buf.shape[1]
            try:
                self.file.close()
            finally:  # a close that fails leaves no file to read on from
                self.file = None
                self.buf = np.empty((0, channels), dtype=np.float32)  # a view kept it alive


def read_span(
    path: str | os.PathLike, sr: int, start: float, end: float, *, resample: bool = True,
    context: float = 0.0, stream: ForwardStream | None = None,
) -> Audio:
    """Read ``[start, end)`` seconds of an audio file as a mono signal at ``sr``: a seek, not
    a decode of the whole file, but for a file libsndfile cannot seek in, decoded from its
    start (or from ``stream``'s frames).

    ``context``: seconds read on each side when the span is resampled, then cut off, so that
    the span's samples are those of the whole file resampled and cut (the resampler's edge
    effects fall in the context; the read starts on a sample where the two rates' grids
    meet, so that the cut lands on the whole file's samples). The runner gives it for
    manifest segments and the windows of long files alike. Without it the span is resampled
    on its own, as ``librosa.load(offset=..., duration=...)`` does.

    ``stream``: the file held open (a file libsndfile cannot seek in, :class:`ForwardStream`),
    read from there instead of from the file opened afresh.

    Raises
    ------
    AudioReadError
        Missing or undecodable file, or a span outside the file.
    """
    import soundfile as sf

    from .audio import check_regular_file

    source = os.fspath(path)
    check_regular_file(source)  # before libsndfile opens it: a named pipe would block
    check_span(source, start, end)
    try:
        with contextlib.ExitStack() as opened:
            f = (stream.open() if stream is not None
                 else opened.enter_context(sf.SoundFile(sf_path(source))))
            orig_sr, frames = f.samplerate, f.frames
            warn_truncated(source, header_frames(f), frames, orig_sr)
            undeclared = undeclared_bytes(source, f)
            if undeclared is not None:
                warn_undeclared(source, undeclared, frames, orig_sr)
            a = int(round(start * orig_sr))
            b = min(int(round(end * orig_sr)), frames)
            if a >= frames:
                raise AudioReadError(
                    source, f"segment starts at {start} s, after the end of the file "
                    f"({frames / orig_sr:.3f} s)")
            if b <= a:  # said so, not "the signal has no samples"
                raise EmptyInputError(
                    source, f"segment {start}-{end} s holds no sample of the file (its "
                    f"bounds round to sample {a} at {orig_sr} Hz)")
            a0, b0 = a, b
            if context > 0 and resample and sr is not None and int(sr) != orig_sr:
                grid = orig_sr // math.gcd(orig_sr, int(sr))  # input samples per common tick
                pad = int(math.ceil(context * orig_sr))
                a0 = max(0, (a - pad) // grid * grid)
                b0 = min(frames, b + pad)
            y = (stream.read(a0, b0 - a0) if stream is not None
                 else read_frames_at(f, a0, b0 - a0))
    except (AudioReadError, EmptyInputError):
        raise
    except Exception as exc:

        raise decode_error(source, exc) from exc
    y = y[:, 0] if y.shape[1] == 1 else y
    try:
        audio = prepare_signal(y, orig_sr, sr, source=source, resample=resample)
    except NonFiniteInputError as exc:  # float64 samples beyond float32: said so
        raise (float64_overflow(source, a0, b0 - a0) or exc) from None
    # counted once the span holds samples, as load_audio does: a span that failed (after the
    # file's end, no sample, NaN) names no decoder in the run's provenance
    used("libsndfile")
    if (a0, b0) == (a, b):
        return audio
    # the span's samples in the resampled read, as the whole file's cut would take them:
    # the bounds rounded on the grid of sr, where the whole file's windows are cut (a bound
    # rounded first to the coarser grid of 11025 Hz can miss a 16 kHz sample)
    k0 = a0 * int(sr) // orig_sr
    n = audio.y.shape[0]
    i0 = min(n, int(round(start * sr)) - k0)
    i1 = n if b == frames else min(n, int(round(end * sr)) - k0)
    return slice_audio(audio, i0, i1)


def manifest_spans(ident, where=None, column: str | None = None) -> np.ndarray | None:
    """``(n, 2)`` array of segment bounds when a manifest has ``start`` and ``end`` columns.

    A bound that is not a number is refused (``ValueError``) naming its row: with ``where``
    (:data:`emofeat.inputs.RowSource`, a manifest read from files) by its file and line,
    else by its position counting a header as 1, and the row's input (its ``column``; when
    not given ``path``, else the first column)."""
    if "start" in ident.columns and "end" in ident.columns:
        import pandas as pd

        from .columns import Columns

        if isinstance(ident, Columns):
            ident = ident.to_pandas()

        bounds = ident[["start", "end"]].apply(pd.to_numeric, errors="coerce")
        given = ident[["start", "end"]].notna() & (ident[["start", "end"]] != "")
        bad = (bounds.isna() & given).any(axis=1)
        if bad.any():
            k = int(np.flatnonzero(bad.to_numpy())[0])
            place = f"manifest row {k + 2} (counting the header as 1)"
            if where is not None:
                name, line = where(k)
                place = f"{name}:{line}" if line is not None else f"{name}, row {k + 2}"
            raise ValueError(f"{place}: start/end must "
                             f"be seconds, got start={_cell(ident['start'].iat[k])}, "
                             f"end={_cell(ident['end'].iat[k])} for "
                             f"{_input_of(ident, k, column)!r}")
        return bounds.to_numpy(dtype=np.float64)
    return None


def _input_of(ident, k: int, column: str | None) -> object:
    """The input of row ``k``: its ``column``, else its ``path`` (the first column was a
    label in ``emotion,path,start,end``), else its first cell."""
    if column is None:
        column = "path" if "path" in ident.columns else ident.columns[0]
    return ident[column].iat[k]


def _cell(value: object) -> str:
    """A manifest cell as the user wrote it (``abc`` quoted, ``1`` not ``np.int64(1)``)."""
    return repr(value.item() if isinstance(value, np.generic) else value)
