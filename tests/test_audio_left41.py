"""Audio leftovers of session 41: files libsndfile cannot seek in, warnings that name the
window they are about, and the one rule for a short tail window.

Every test runs on real EmoDB and RAVDESS files beside the repository (skipped when absent).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import emofeat
from emofeat.cli import main
from emofeat.errors import TruncatedAudioWarning
from emofeat.runner import run

sf = pytest.importorskip("soundfile")

#: the codecs libsndfile (1.2) decodes forward only (SoundFile.seekable() is False), in each
#: container soundfile writes them to
UNSEEKABLE = [("AU", "G721_32", "au"), ("AU", "G723_24", "au"), ("AU", "G723_40", "au"),
              ("WAV", "G721_32", "wav"), ("WAV", "GSM610", "wav"),
              ("WAV", "NMS_ADPCM_16", "wav"), ("WAV", "NMS_ADPCM_32", "wav"),
              ("W64", "GSM610", "w64"), ("AIFF", "GSM610", "aiff"), ("XI", "DPCM_16", "xi")]


@pytest.fixture(scope="module")
def emodb_clip(emodb_dir):
    """A real EmoDB clip (16 kHz) as float32 samples."""
    y, sr = sf.read(emodb_dir / "03a01Fa.flac", dtype="float32")
    assert sr == 16000
    return y, sr


def _written(tmp_path, y, sr, fmt, subtype, ext):
    path = tmp_path / f"clip_{subtype}.{ext}"
    sf.write(path, y, sr, format=fmt, subtype=subtype)
    with sf.SoundFile(path) as f:
        assert not f.seekable()  # the case this test is about
    return path


@pytest.mark.parametrize("fmt,subtype,ext", UNSEEKABLE)
def test_a_file_libsndfile_cannot_seek_in_decodes_as_soundfile_read(
        tmp_path, emodb_clip, fmt, subtype, ext):
    """A G.721 AU file (and every other codec libsndfile cannot seek in) failed with
    soundfile's "frames must be specified for non-seekable files"; soundfile.read reads it.
    The samples are soundfile.read's, exactly (its float32), and the MFCC functionals
    those of soundfile.read's array, exactly."""
    path = _written(tmp_path, *emodb_clip, fmt, subtype, ext)
    ref, sr = sf.read(path, dtype="float32")
    got = emofeat.load_audio(path, sr=None)
    assert got.sr == sr
    np.testing.assert_array_equal(got.y, ref)
    table = emofeat.extract([str(path)], "mfcc")
    expected = emofeat.extract([(ref, sr)], "mfcc")
    np.testing.assert_array_equal(table.X, expected.X)


def test_unseekable_file_through_the_command_segments_and_long_file_paths(
        tmp_path, emodb_clip):
    """The same G.721 AU file through the command, a segment manifest (a span read from
    disk: it seeked, which such a stream refuses), --segment windows of a long file (read
    from disk window by window) and a long file in blocks: the rows of soundfile.read's
    array, cut the same way, exactly."""
    y, sr = emodb_clip
    path = _written(tmp_path, y, sr, "AU", "G721_32", "au")
    ref, _ = sf.read(path, dtype="float32")
    mfcc = emofeat.get_extractor("mfcc")

    out = tmp_path / "cli.parquet"
    assert main(["extract", str(path), "-o", str(out), "-q"]) == 0
    np.testing.assert_array_equal(emofeat.read_table(out).X,
                                  emofeat.extract([(ref, sr)], "mfcc").X)

    spans = [(0.5, 1.0), (1.2, 1.9)]
    manifest = pd.DataFrame({"path": [str(path)] * 2, "start": [a for a, _ in spans],
                             "end": [b for _, b in spans]})
    got = run(manifest, [mfcc]).table.X
    for row, (a, b) in zip(got, spans, strict=True):
        cut = ref[round(a * sr):round(b * sr)]
        np.testing.assert_array_equal(row, emofeat.extract([(cut, sr)], "mfcc").X[0])

    windows = run([(ref, sr)], [mfcc], segment=0.5).table
    for long_file in (None, 0):  # read whole, then as a long file (windows from disk)
        got = run([str(path)], [mfcc], segment=0.5, long_file_seconds=long_file).table
        np.testing.assert_array_equal(got.X, windows.X)
        np.testing.assert_array_equal(got.column("start"), windows.column("start"))
    blocks = run([str(path)], [mfcc], long_file_seconds=0).table
    np.testing.assert_allclose(blocks.X, emofeat.extract([(ref, sr)], "mfcc").X, atol=1e-9)


def test_unseekable_file_cut_short_warns_and_reads_what_is_there(tmp_path, emodb_clip):
    """A G.721 AU file cut to two thirds: the samples there (soundfile.read's), with the
    warning that the file is truncated, as for a PCM file cut short."""
    path = _written(tmp_path, *emodb_clip, "AU", "G721_32", "au")
    data = path.read_bytes()
    path.write_bytes(data[:len(data) * 2 // 3])
    ref, _ = sf.read(path, dtype="float32")
    with pytest.warns(TruncatedAudioWarning, match="truncated"):
        got = emofeat.load_audio(path, sr=None)
    np.testing.assert_array_equal(got.y, ref)
