"""Audio leftovers of session 42: the manifest segments of a file libsndfile cannot seek in
kept in one shard, so that worker processes do not each decode its start.

Every test runs on real EmoDB and RAVDESS files beside the repository (skipped when absent).
"""

from __future__ import annotations

import os

import numpy as np
import pandas as pd
import pytest

import emofeat
from emofeat.runner import run
from emofeat.schedule import make_shards

sf = pytest.importorskip("soundfile")


@pytest.fixture(scope="module")
def g721_long(emodb_dir, tmp_path_factory):
    """Four EmoDB clips joined (16 kHz, 8 s), written as G.721 ADPCM in AU, and its samples
    as soundfile.read decodes them."""
    y = np.concatenate([sf.read(emodb_dir / f"{name}.flac", dtype="float32")[0]
                        for name in ("03a01Fa", "03a01Nc", "03a01Wa", "03a02Fc")])
    path = tmp_path_factory.mktemp("g721") / "joined.au"
    sf.write(path, y, 16000, format="AU", subtype="G721_32")
    with sf.SoundFile(path) as f:
        assert not f.seekable()  # the case these tests are about
    return path, sf.read(path, dtype="float32")[0]


def _count_decoded_in_every_process(monkeypatch, path, log):
    """Append to ``log`` the frames each soundfile read of ``path`` decodes, from this
    process and the workers it forks (one small write each: appended whole)."""
    read = sf.SoundFile.read

    def counting(self, *args, **kwargs):
        got = read(self, *args, **kwargs)
        if str(self.name) == str(path):
            fd = os.open(log, os.O_WRONLY | os.O_APPEND | os.O_CREAT)
            try:
                os.write(fd, f"{got.shape[0]}\n".encode())
            finally:
                os.close(fd)
        return got

    monkeypatch.setattr(sf.SoundFile, "read", counting)


def test_segments_of_an_unseekable_file_decode_it_once_with_two_workers(
        g721_long, ravdess_files, tmp_path, monkeypatch):
    """Eight manifest segments of one G.721 file, in rising order, between RAVDESS files, with
    -j 2: the default shards (one input each here) sent them to eight tasks, each decoding
    the file from its start up to its segment (313,600 frames decoded against 126,400 up to
    the last segment's end). They now stay in one shard, read forward once: exactly the frames up to the last
    segment's end are decoded, and the rows (in manifest order) equal the segments cut from
    soundfile.read's samples, exactly; the RAVDESS files keep shards of their own."""
    path, ref = g721_long
    sr = 16000
    spans = [(0.2 + k, 0.9 + k) for k in range(8)]
    paths = ([str(ravdess_files[0]), str(ravdess_files[1])] + [str(path)] * len(spans)
             + [str(ravdess_files[2])])
    bounds = [(np.nan, np.nan)] * 2 + spans + [(np.nan, np.nan)]
    manifest = pd.DataFrame({"path": paths, "start": [a for a, _ in bounds],
                             "end": [b for _, b in bounds]})
    log = tmp_path / "decoded.txt"
    _count_decoded_in_every_process(monkeypatch, path, log)
    mfcc = emofeat.get_extractor("mfcc")
    result = run(manifest, [mfcc], n_jobs=2, backend="fork")
    decoded = [int(n) for n in log.read_text().split()]
    assert sum(decoded) == round(spans[-1][1] * sr)

    table = result.table
    assert table.column("path").tolist() == paths
    for row, (a, b) in zip(table.X[2:-1], spans, strict=True):
        cut = ref[round(a * sr):round(b * sr)]
        np.testing.assert_array_equal(row, emofeat.extract([(cut, sr)], "mfcc").X[0])
    whole = emofeat.extract([str(p) for p in ravdess_files[:3]], "mfcc").X
    np.testing.assert_array_equal(table.X[[0, 1, -1]], whole)


def test_shards_of_seekable_files_and_other_files_keep_their_size(g721_long, ravdess_files):
    """Only consecutive segments of one file libsndfile cannot seek in are kept together:
    segments of a seekable file (FLAC) are cut as before, and so is a manifest whose runs
    are not asked to keep files (EEG, or audio without start/end)."""
    path, _ = g721_long
    flac = [str(ravdess_files[0])] * 12
    g721 = [str(path)] * 12
    for items, keep, sizes in ((flac, True, [2] * 6), (g721, True, [12]),
                               (g721, False, [2] * 6), (flac + g721, True, [2] * 6 + [12])):
        ident = pd.DataFrame({"path": items})
        positions = list(range(len(items)))
        shards = make_shards(positions, items, ident, None, None, 1, 2, forward_files=keep)
        assert [len(s.positions) for s in shards] == sizes
        assert [p for s in shards for p in s.positions] == positions
