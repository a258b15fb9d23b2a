"""Long recordings in blocks: bounded memory whatever the length of the file.

A file longer than ``long_file_seconds`` is read in pieces (soundfile), resampled as a stream
(``soxr.ResampleStream``) and analysed in blocks of ``block_seconds`` with ``context_seconds``
of real signal on both sides. Each block keeps the frames whose centre falls inside it, so
frames near block borders see the same samples as in a whole-file analysis; the frame-level
descriptors of all blocks are then joined and, at the functionals level, summarised over the
whole file (exact statistics, not statistics of statistics).

The block protocol
------------------
A set takes part by declaring ``blockwise = True`` (a class attribute or property; off by
default) and a ``hop_length``. The runner then calls, all of them defined with defaults on
:class:`emofeat.extractors.base.FrameExtractor`:

``frame_state(piece, summary)``
    First stage on each block (with its context): per-frame state and frame times. Default:
    the descriptors (``_compute``).
``from_frame_state(parts)``
    Second stage on the joined states of the whole recording: what needs the whole sequence
    (MFCC's ``top_db`` floor relative to the file's loudest frame, DCT, deltas). Default: the
    states are the descriptors.
``whole_signal_summary(chunks)``, when ``needs_signal_summary``
    Numbers of the whole signal every frame needs (pyAudioAnalysis's DC removal and peak
    normalisation), from a first streaming pass; passed to ``frame_state`` as ``summary``.
``frame_times(n_frames)``
    The whole-recording frame times, to the bit (default ``None``: block offsets plus
    block-relative times, equal to 1e-13 s).
``functionals_of(lld, times)``
    The functionals row over the whole recording (exact statistics, not statistics of
    statistics).
``block_decoder()``
    ``None``, or a decoder fed each block's kept ``frame_state`` rows in order, returning the
    rows it has settled (``feed``) and the rest at the end (``finish``): a decoding that runs
    over the whole recording, as prosody's pYIN Viterbi (exact across blocks).
``context_seconds``
    Real signal each block needs on both sides (eGeMAPS's voicing and F0 paths: 5 s).

What is and is not identical to a whole-file analysis: a set whose numbers are functions of
the samples within ``context_seconds`` of each frame, and whose whole-sequence steps are in
``from_frame_state``, matches exactly (MFCC on 148 s of speech in 7 s blocks: identical frames,
functionals equal to 2e-15); a resampled file goes through the streaming resampler, whose
output can differ from the one-shot resampler in the last bits.
"""

from __future__ import annotations

import functools
import math
import os
from collections.abc import Iterator
from typing import Any

import numpy as np

from ._libraries import used
from .audio import (
    Audio,
    check_resampled_rate,
    decode_error,
    fit_length,
    float64_overflow,
    header_frames,
    prepare_signal,
    read_frames_at,
    resampled_length,
    sf_path,
    undeclared_bytes,
    warn_truncated,
    warn_undeclared,
)
from .errors import EmptyInputError


def supports_blocks(ext: Any) -> bool:
    """Whether ``ext`` takes part in the block protocol (an audio set that says
    ``blockwise = True``; a set whose numbers need the whole input does not)."""
    return getattr(ext, "modality", "") == "audio" and bool(getattr(ext, "blockwise", False))


def file_frames(path: str | os.PathLike) -> tuple[int, int] | None:
    """``(frames, rate)`` of an audio file from its header, ``None`` if it cannot be read or
    its header does not know its length (then it is read whole)."""
    from .audio import _SF_COUNT_MAX, file_stream_info

    info = file_stream_info(path)
    if info is not None:  # FLAC: no decoder opened; length 0: unknown (written to a pipe)
        return (info[0], info[1]) if info[0] > 0 else None
    if not os.path.isfile(path):  # libsndfile would wait for ever on a named pipe
        return None
    import soundfile as sf  # here: a FLAC run need not import it (5-10 ms, in every worker)

    try:
        with sf.SoundFile(sf_path(os.fspath(path))) as f:  # a third of sf.info's cost
            frames, rate = f.frames, f.samplerate
    except Exception:
        return None
    return (frames, rate) if rate and frames < _SF_COUNT_MAX else None


def file_seekable(path: str | os.PathLike) -> bool:
    """Whether libsndfile can seek in an audio file (``False`` for the codecs
    :func:`emofeat.audio.read_all` reads in sequence, and for a file it cannot open)."""
    from .audio import file_stream_info

    if file_stream_info(path) is not None:  # FLAC: no decoder opened
        return True
    import soundfile as sf

    try:
        with sf.SoundFile(sf_path(os.fspath(path))) as f:
            return bool(f.seekable())
    except Exception:
        return False


def file_seconds(path: str | os.PathLike) -> float | None:
    """Duration of an audio file from its header, ``None`` if it cannot be read."""
    got = file_frames(path)
    return None if got is None else got[0] / got[1]


def _chunks(path: str, sr: int, resample: bool, read_frames: int
            ) -> tuple[int, int, Iterator[np.ndarray]]:
    import soundfile as sf

    try:
        f = sf.SoundFile(sf_path(path))
    except Exception as exc:

        raise decode_error(path, exc) from exc
    used("libsndfile")  # the run's provenance names the libraries whose samples it analysed
    orig_sr, channels = f.samplerate, f.channels
    warn_truncated(path, header_frames(f), f.frames, orig_sr)
    undeclared = undeclared_bytes(path, f)
    if undeclared is not None:
        warn_undeclared(path, undeclared, f.frames, orig_sr)
    if orig_sr != sr and not resample:
        f.close()
        prepare_signal(np.zeros(1, np.float32), orig_sr, sr, source=path, resample=False)
    if orig_sr != sr:  # a rate below any audio rate is refused as the whole-file read refuses it
        try:
            check_resampled_rate(orig_sr, sr, path)
        except Exception:
            f.close()
            raise

    def gen() -> Iterator[np.ndarray]:
        import soxr


        stream = (soxr.ResampleStream(orig_sr, sr, 1, dtype="float32", quality="HQ")
                  if orig_sr != sr else None)
        if stream is not None:
            used("soxr")
        # libsndfile (1.2) decodes the first MP3 frames of a read that continues a file
        # wrongly: an MP3's blocks are read as spans (read_frames_at), others in sequence
        mp3 = str(f.format).upper() == "MP3"
        pos = made = 0  # samples read, samples made
        with f:
            while True:
                try:
                    block = (read_frames_at(f, pos, read_frames) if mp3 and pos
                             else f.read(read_frames, dtype="float32", always_2d=True))
                except Exception as exc:  # a stream that breaks off (a FLAC file cut short)

                    raise decode_error(path, exc) from exc
                pos += block.shape[0]
                last = block.shape[0] < read_frames
                mono = np.ascontiguousarray(block.mean(axis=1) if channels > 1 else block[:, 0])
                if not np.all(np.isfinite(mono)):
                    from .errors import NonFiniteInputError

                    # a float64 file's samples beyond float32 became infinite in its read:
                    # said so (the block read again as float64), as the whole-file read says
                    said = float64_overflow(path, pos - block.shape[0], block.shape[0])
                    if said is not None:
                        raise NonFiniteInputError(path, f"{said.problem} (in the block read "
                                                  f"from {(pos - block.shape[0]) / orig_sr:.3f}"
                                                  " s on: the file is read in blocks)")
                    raise NonFiniteInputError(path, "the signal holds NaN or infinite samples")
                if stream is None:
                    yield mono
                else:
                    out = stream.resample_chunk(mono, last=last)
                    made += out.shape[0]
                    if last:  # the length of the whole file resampled at once (librosa's)
                        out = fit_length(out, max(0, out.shape[0] + resampled_length(
                            pos, orig_sr, sr) - made))
                    yield out
                if last:
                    return

    return orig_sr, channels, gen()


def blockwise_features(
    ext: Any,
    path: str | os.PathLike,
    *,
    block_seconds: float = 60.0,
    context_seconds: float = 1.0,
) -> tuple[np.ndarray, np.ndarray, Audio]:
    """Features of a long file computed block by block.

    Parameters
    ----------
    ext : frame-level extractor
    path : path of the audio file
    block_seconds : float
        Signal analysed per block (rounded to whole hops).
    context_seconds : float
        Real signal added on both sides of each block (rounded up to whole hops); must cover
        the analysis window and the delta window.

    Returns
    -------
    rows : ndarray
        Frame rows (LLD level) or one row of functionals.
    times : ndarray
        Frame times in seconds (empty at the functionals level).
    audio : Audio
        A stand-in for the file with an empty signal: ``source``, ``sr``, ``orig_sr``,
        ``orig_channels``, and ``duration`` through :attr:`BlockAudio.duration`.
    """
    source = os.fspath(path)
    sr = int(ext.sr)
    hop = int(ext.hop_length)
    block = max(1, int(round(block_seconds * sr / hop))) * hop
    # a set may ask for more context (a Viterbi decode settling far from the block's edges)
    context_seconds = max(context_seconds, float(ext.context_seconds))
    context = max(1, math.ceil(context_seconds * sr / hop)) * hop
    # the frame a set reads: a set that zero pads a short input (librosa's n_fft, prosody's
    # frame_length) reads more than its min_samples
    context = max(context, math.ceil(2 * ext.frame_span() / hop) * hop)
    orig_sr, channels, chunks = _chunks(source, sr, bool(ext.resample), read_frames=block)
    stage = ext.frame_state
    decoder = ext.block_decoder()
    if ext.needs_signal_summary:
        # numbers of the whole signal every frame needs (pyAudioAnalysis's DC removal and peak
        # normalisation): one streaming pass over the file before the blocks
        first_pass = _chunks(source, sr, bool(ext.resample), read_frames=block)[2]
        stage = functools.partial(stage, summary=ext.whole_signal_summary(first_pass))

    buf = np.empty(0, dtype=np.float32)  # samples from buf_start on
    buf_start = 0
    b0 = 0  # start of the next block's core
    expected = _expected_frames(source, sr, hop)
    rows = _Rows(expected)
    # the frame times in one array too: a small array kept per block, allocated between
    # each block's temporaries, pins the heap pages around it (measured: ~50 MB more
    # resident at the end of a one-hour file)
    time_rows = _Rows(expected)
    exhausted = False
    it = iter(chunks)
    while True:
        # fill until the window [b0 - context, b0 + block + context) is in the buffer or EOF
        while not exhausted and buf_start + buf.shape[0] < b0 + block + context:
            try:
                buf = np.concatenate([buf, next(it)])
            except StopIteration:
                exhausted = True
        n_known = buf_start + buf.shape[0]
        if n_known == 0:
            raise EmptyInputError(source, "the signal has no samples")
        last = exhausted and b0 + block >= n_known
        w0 = max(0, b0 - context)
        w1 = n_known if last else b0 + block + context
        piece = Audio(y=buf[w0 - buf_start : w1 - buf_start], sr=sr, source=source,
                      orig_sr=orig_sr, orig_channels=channels)
        lld, times = stage(piece)
        centre = np.rint(times * sr).astype(np.int64) + w0
        keep = centre >= b0
        if not last:
            keep &= centre < b0 + block
        # the kept frames are one run where frame centres ascend: a view, not a copy of the
        # block's rows (tens of megabytes of pYIN observations in 60 s blocks)
        at = np.flatnonzero(keep)
        kept = (lld[at[0] : at[-1] + 1] if at.size and at[-1] - at[0] + 1 == at.size
                else lld[keep])
        if decoder is None:
            rows.add(kept)
        else:  # rows settled so far; a decoder may hold back the last ones
            rows.add(decoder.feed(kept))
        del lld, kept, at
        time_rows.add(times[keep] + w0 / sr)
        del times, keep, centre, piece
        if last:
            if decoder is not None:
                rows.add(decoder.finish())
            break
        b0 += block
        drop = max(0, b0 - context - buf_start)  # samples no later window needs
        buf = buf[drop:].copy()
        buf_start += drop
    n_samples = buf_start + buf.shape[0]
    if n_samples < ext.min_samples():
        raise ext.too_short(n_samples, sr, source)  # the whole-file analysis's words
    del buf
    parts = [rows.take()]
    del rows
    times = time_rows.take()
    release_heap()
    # the list holds the only reference: the second stage may free it as it goes
    lld = ext.from_frame_state(parts)
    whole = ext.frame_times(times.shape[0])  # the whole-file times, to the bit
    if whole is not None:
        times = whole
    stub = BlockAudio(y=np.empty(0, np.float32), sr=sr, source=source, orig_sr=orig_sr,
                      orig_channels=channels, n_samples=n_samples)
    if ext.level == "lld":
        return lld, times, stub
    row = ext.functionals_of(lld, times)[None, :]
    # the frame rows and the functionals' temporaries are freed here, not in the caller: the
    # table and the parquet writer then start from the memory of the start of the run
    del lld, times
    release_heap()
    return row, np.empty(0), stub


def _expected_frames(path: str, sr: int, hop: int) -> int:
    seconds = file_seconds(path) or 0.0
    return int(math.ceil(seconds * sr / hop)) + 8


def release_heap() -> None:
    """Hand the heap's free pages back to the system (glibc's ``malloc_trim``; nothing
    elsewhere).

    glibc returns freed memory to the system only from the top of its heap, and after the
    first large array is freed it serves arrays of up to that size from the heap instead of
    separate mappings (its dynamic mmap threshold). A block's temporaries (spectra, frames:
    megabytes each) then stay resident after they are freed, wherever a longer-lived
    allocation sits above them: measured on a one-hour eGeMAPS file, 50-90 MB of the peak.
    ``malloc_trim`` releases every free page of the heap, wherever it is (under a
    millisecond). Called after the blocks and after the functionals, not after every block:
    the pages it releases fault in again when the next block allocates (three times the
    page faults of the block loop, for the same peak)."""
    libc = _glibc()
    if libc is not None:
        libc.malloc_trim(0)


#: glibc's ``mallopt`` parameters (malloc.h)
_M_TRIM_THRESHOLD, _M_MMAP_THRESHOLD = -1, -3
#: the largest mmap threshold glibc's own dynamic threshold reaches on 64-bit systems
HEAP_KEEP_BYTES = 32 << 20


def keep_freed_memory(limit: int = HEAP_KEEP_BYTES) -> bool:
    """Let glibc reuse freed memory instead of handing it back and faulting it in again:
    arrays of up to ``limit`` bytes come from the heap, and up to ``limit`` bytes of free
    memory at the heap's top stay mapped (``mallopt``: ``M_MMAP_THRESHOLD`` and
    ``M_TRIM_THRESHOLD``). Returns whether it was set (False elsewhere than glibc).

    For a process that analyses file after file (the ``emofeat extract`` command): each
    file's arrays (the decoded samples, frames, spectra: about half a megabyte each for a
    4 s recording) are freed at the end of the file; by default glibc then trims its heap's
    top (its trim threshold follows its dynamic mmap threshold: about twice the largest
    mapped array freed so far) and serves the next file's arrays from fresh mappings or a
    regrown heap, whose zeroed pages fault in one by one: 240 page faults a file, a fifth to
    a third of the ``mfcc`` command's CPU time on the 1,440 RAVDESS files (measured with
    ``MALLOC_MMAP_THRESHOLD_``/``MALLOC_TRIM_THRESHOLD_``; either alone does not help).
    ``limit`` bounds the free memory kept; :func:`release_heap` still hands back everything
    free after a long recording's blocks.
    """
    libc = _glibc()
    if libc is None:
        return False
    # the trim threshold first: setting either stops glibc's dynamic adjustment of both
    return bool(libc.mallopt(_M_TRIM_THRESHOLD, int(limit))
                and libc.mallopt(_M_MMAP_THRESHOLD, int(limit)))


@functools.cache
def _glibc():
    """glibc as a ctypes library, or ``None`` (another system or C library)."""
    import sys

    if not sys.platform.startswith("linux"):
        return None
    try:
        import ctypes

        libc = ctypes.CDLL("libc.so.6")
        libc.gnu_get_libc_version  # noqa: B018 - glibc's own symbol: not musl or another
        libc.malloc_trim, libc.mallopt  # noqa: B018
    except (OSError, AttributeError):  # not glibc (musl has no malloc_trim)
        return None
    return libc


class _Rows:
    """Frame rows gathered block by block into one array allocated once (one long-lived
    allocation instead of many blocks interleaved with temporaries, which fragments the heap
    and keeps the process's memory high). Rows of a 2-D array, or values of a 1-D one."""

    def __init__(self, expected: int) -> None:
        self.expected = max(expected, 1)
        self.data: np.ndarray | None = None
        self.n = 0

    def add(self, block: np.ndarray) -> None:
        k = block.shape[0]
        if self.data is None:
            self.data = np.empty((self.expected, *block.shape[1:]), dtype=block.dtype)
        if self.n + k > self.data.shape[0]:  # the header understated the length
            grown = np.empty((max(2 * self.data.shape[0], self.n + k), *self.data.shape[1:]),
                             dtype=self.data.dtype)
            grown[: self.n] = self.data[: self.n]
            self.data = grown
        self.data[self.n : self.n + k] = block
        self.n += k

    def take(self) -> np.ndarray:
        data, self.data = self.data, None
        if data is None:
            return np.empty((0, 0))
        return data[: self.n]


class BlockAudio(Audio):
    """An :class:`Audio` whose samples were analysed in blocks and are no longer held."""

    def __init__(self, *, n_samples: int, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        object.__setattr__(self, "n_samples", n_samples)

    @property
    def duration(self) -> float:
        return self.n_samples / self.sr
