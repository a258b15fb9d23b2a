"""MP3 files at 22.05 and 24 kHz (MPEG-2 layer III) read in blocks or spans hold the samples
of one whole read (session 51).

A read that does not start an MP3 file starts ``MP3_OVERLAP`` samples early (libsndfile
decodes the first frames after a seek wrongly). Eight MPEG-1 frames (9,216 samples) were
enough at 8-48 kHz but for the MPEG-2 rates 22.05 and 24 kHz, whose frames are 576 samples
and, at the low bit rates such files have, few bytes, so that the bit reservoir reaches back
over more of them: RAVDESS speech encoded by libsndfile at 24 kHz (compression level 0.9,
14 kbps) had block starts off the whole read by up to 0.25 (the speech's RMS is 0.0075),
decoded with libmpg123's "part2_3_length too large" errors, and MFCC frames off by up to 13;
12 MPEG-1 frames of overlap gave float32 rounding at every rate tried (8, 11.025, 12, 16,
22.05, 24, 32, 44.1, 48 kHz), and 16 are read."""

from __future__ import annotations

import numpy as np
import pytest
import soundfile as sf

from emofeat.blocks import _chunks
from emofeat.registry import get_extractor
from emofeat.runner import run
from emofeat.segments import read_span


@pytest.fixture(scope="module", params=[22050, 24000])
def mpeg2_mp3(request, tmp_path_factory, ravdess_files):
    """24 RAVDESS files (87 s) resampled to an MPEG-2 rate and written as MP3, and its whole
    decode."""
    if "MP3" not in sf.available_formats():
        pytest.skip("this libsndfile writes no MP3")
    import soxr

    sr = request.param
    y = np.concatenate([sf.read(f, dtype="float32")[0] for f in ravdess_files[:24]])
    path = tmp_path_factory.mktemp("mp3") / f"speech{sr}.mp3"
    sf.write(path, soxr.resample(y, 16000, sr), sr, format="MP3", compression_level=0.9)
    return path, sr, sf.read(path, dtype="float32")[0]


@pytest.mark.parametrize("seconds", [1.0, 0.37])
def test_blocks_hold_the_whole_decode(mpeg2_mp3, seconds):
    """Reads of ``seconds`` in sequence equal one whole read to float32 rounding (atol 1e-6;
    measured up to 2.4e-7; before: up to 0.021 at 22.05 kHz, 0.25 at 24 kHz)."""
    path, sr, whole = mpeg2_mp3
    _, _, chunks = _chunks(str(path), sr, True, int(sr * seconds))
    got = np.concatenate(list(chunks))
    assert got.shape == whole.shape
    np.testing.assert_allclose(got, whole, rtol=0, atol=1e-6)


def test_spans_hold_the_whole_decode(mpeg2_mp3):
    """Spans read after a seek (manifest segments, windows of a long file) equal the whole
    read's samples to float32 rounding (atol 1e-6; before: 2e-4 at 24 kHz)."""
    path, sr, whole = mpeg2_mp3
    for t0 in np.random.default_rng(0).uniform(1.0, len(whole) / sr - 1.0, 20):
        got = read_span(path, sr, t0, t0 + 0.5).y  # the file's rate: no resampling
        a = int(round(t0 * sr))
        np.testing.assert_allclose(got, whole[a:a + got.shape[0]], rtol=0, atol=1e-6)


def test_mfcc_in_blocks_equals_the_whole_file(mpeg2_mp3):
    """MFCC frames of 2.5 s blocks equal the whole file's to 1e-2 (as for 44.1 kHz MP3 in
    test_batch_blocks.py; float32 rounding of the samples moves the MFCCs of near-silent
    frames most; before: off by up to 0.023 at 22.05 kHz, 13.5 at 24 kHz)."""
    path, _, _ = mpeg2_mp3
    ext = get_extractor("mfcc", level="lld")
    one = run([path], [ext], long_file_seconds=None).table
    blocks = run([path], [ext], long_file_seconds=1.0, block_seconds=2.5).table
    np.testing.assert_allclose(blocks.X, one.X, rtol=0, atol=1e-2)
