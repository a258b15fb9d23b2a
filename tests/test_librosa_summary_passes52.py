"""The ``librosa`` set's streamed tuning pass keeps its temporaries bounded (session 52).

For a long file (:mod:`emofeat.blocks`) the chroma tuning is estimated first from every
frame's spectrum, the signal given in blocks. Since the FFT runs in float64 (f271679) a
block's frames at once (1,875 of a 60 s block at the defaults: float64 frames, complex128
and complex64 spectra, power) took 81 MB, outside :data:`PASS_BYTES`' bound that the
set's other passes keep: a one-hour file's peak memory grew by 49 MB (302 -> 351 MB,
benchmarks/mem_long_file.py). Now the frames run in passes of
``frames_per_pass(bytes per frame, 1024)`` as :meth:`frame_state`'s.

Tolerances: the estimate equal (exactly) to the one of the whole signal's STFT and to
``librosa.estimate_tuning`` of librosa's float32 analysis, for every block size; the peak of
the memory ``tracemalloc`` traces (NumPy's arrays) during the pass with 60 s blocks at most
``PASS_BYTES`` plus two blocks of float32 samples (the buffer and the block appended to it):
74.8 MB; observed 37.7 MB after the fix, 81.3 MB before (at 48a3e66).
"""

from __future__ import annotations

import tracemalloc

import numpy as np
import pytest
from emofeat.extractors.base import PASS_BYTES
from emofeat.extractors.librosa_set import LibrosaFeatures

from emofeat.audio import load_audio

librosa = pytest.importorskip("librosa")

SR = 16000


@pytest.fixture(scope="module")
def speech(ravdess_dir) -> np.ndarray:
    """60 RAVDESS files of actors 1 and 2 (every second file) end to end: 226 s."""
    files = sorted(ravdess_dir.glob("Actor_0[12]/*.flac"))[::2]
    assert len(files) == 60
    return np.concatenate([load_audio(f, SR).y for f in files])


def _blocks(y: np.ndarray, size: int):
    return (y[i : i + size] for i in range(0, y.shape[0], size))


def test_streamed_tuning_equals_the_whole_signals(speech):
    """Blocks of 60 s, 7 s and 12,345 samples (a block boundary inside a frame, passes
    across blocks): the estimate of the whole STFT, which is librosa's float32 one."""
    ext = LibrosaFeatures()
    whole = ext.estimate_tuning(np.abs(ext.stft(speech)) ** 2)
    S = np.abs(librosa.stft(speech, n_fft=2048, hop_length=512)) ** 2
    assert whole == librosa.estimate_tuning(S=S, sr=SR, n_fft=2048)
    for size in (60 * SR, 7 * SR, 12345):
        assert ext.whole_signal_summary(_blocks(speech, size)) == whole, size
    e64 = LibrosaFeatures(precision="float64")
    y64 = speech.astype(np.float64)
    assert e64.whole_signal_summary(_blocks(y64, 60 * SR)) == e64.estimate_tuning(
        np.abs(e64.stft(y64)) ** 2)


def test_streamed_tuning_pass_stays_within_pass_bytes(speech):
    """60 s blocks (as emofeat.blocks reads a long file): the pass's traced peak stays within
    PASS_BYTES plus two blocks of samples (81.3 MB before, 37.7 MB after)."""
    ext = LibrosaFeatures()
    ext.whole_signal_summary(_blocks(speech[: 10 * SR], 60 * SR))  # warm (compile, plans)
    tracemalloc.start()
    try:
        ext.whole_signal_summary(_blocks(speech, 60 * SR))
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak <= PASS_BYTES + 2 * 60 * SR * 4, peak / 1e6
