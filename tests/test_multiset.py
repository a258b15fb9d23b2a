"""Several sets in one run (librosa, paa, prosody): one table, frames aligned on the first set."""

from __future__ import annotations

import numpy as np
import pytest

from emofeat.registry import get_extractor
from emofeat.runner import align_frames, extract


def test_align_frames_nearest():
    rows = np.arange(5.0)[:, None]
    times = np.array([0.0, 0.1, 0.2, 0.3, 0.4])
    ref = np.array([0.0, 0.04, 0.05, 0.06, 0.26, 0.9])
    np.testing.assert_array_equal(align_frames(rows, times, ref)[:, 0], [0, 0, 0, 1, 3, 4])
    assert align_frames(rows, times, times) is rows
    # exact half-way centres, as frame times are computed (sums and products of float
    # seconds): the earlier frame, whichever way the rounding of the two distances went
    sr = 16000
    other = (np.arange(6) * 512 + 1024) / sr  # frame centres, 512-sample hops
    halfway = (np.arange(5) * 512 + 1280) / sr
    tied = align_frames(np.arange(6.0)[:, None], other, halfway)[:, 0]
    np.testing.assert_array_equal(tied, np.arange(5))
    eps = 1e-13  # a centre a rounding error past half-way is still a tie
    np.testing.assert_array_equal(align_frames(np.arange(6.0)[:, None], other, halfway + eps)[:, 0],
                                  np.arange(5))
    # computed as the sets compute them: 0.025 s lies half-way between 0.02 and 0.03 s, but
    # 0.025 - 0.02 > 0.03 - 0.025 in float64 (the later frame was taken)
    hop = 0.01
    assert align_frames(np.array([[0.0], [1.0]]), np.array([hop * 2, hop * 3]),
                        np.array([2.5 * hop]))[0, 0] == 0.0
    np.testing.assert_array_equal(align_frames(rows[:1], times[:1], ref)[:, 0], np.zeros(6))


def test_three_sets_one_table(ravdess_files):
    files = [str(f) for f in ravdess_files[:2]]
    table = extract(files, "prosody,librosa,paa", level="functionals")
    names = list(table.feature_names)
    assert len(table) == 2
    for s in ("prosody", "librosa", "paa"):
        expected = list(get_extractor(s).get_feature_names_out())
        assert [n for n in names if n.startswith(s + "_")] == expected
    lld = extract(files[:1], "prosody,librosa,paa", level="lld")
    pros = get_extractor("prosody", level="lld")
    own, times = pros.compute_lld(files[0])
    assert len(lld) == own.shape[0]  # the first set's frame grid
    paa = get_extractor("paa", level="lld")
    paa_rows, paa_times = paa.compute_lld(files[0])
    got = lld.X[:, list(lld.feature_names).index("paa_energy")]
    want = align_frames(paa_rows, paa_times, times)[:, paa.descriptor_names().index("paa_energy")]
    np.testing.assert_array_equal(got, want)


def test_admitted_nan_samples_give_nan_frames_not_errors():
    """With ``allow_nonfinite``, exactly the frames whose window touches NaN samples are NaN
    (energy of every set, prosody included) and functionals skip them."""
    from emofeat.audio import prepare_signal

    rng = np.random.default_rng(0)
    sr = 16000
    y = (0.1 * rng.standard_normal(sr)).astype(np.float32)
    y[5000:5100] = np.nan
    audio = prepare_signal(y, sr, sr, source="<nan>", allow_nonfinite=True)
    for name, column, window in (("paa", "paa_energy", 800), ("librosa", "librosa_rms", 2048),
                                 ("prosody", "prosody_rms", 2048)):
        lld_ext = get_extractor(name, level="lld")
        rows, times = lld_ext.features_of(audio)
        col = rows[:, lld_ext.feature_names().index(column)]
        centre = np.rint(times * sr)
        touches = (centre + window / 2 > 5000) & (centre - window / 2 < 5100)
        nan = np.isnan(col)
        assert nan.any(), name
        assert not (nan & ~touches).any(), f"{name}: NaN frames away from the NaN samples"
        far = (centre + window / 2 + 400 < 5000) | (centre - window / 2 - 400 > 5100)
        assert not nan[far].any(), name
        row, _ = get_extractor(name).features_of(audio)
        names = list(get_extractor(name).get_feature_names_out())
        finite = np.isfinite(row[0])
        # every functional of a descriptor with some finite frames is finite
        defined = [i for i, n in enumerate(names) if "f0" not in n and "voiced_segment_s" not in n]
        assert finite[defined].all(), name  # (noise has no voiced frame: F0 stats are NaN)


def test_sets_together_equal_each_set_alone(ravdess_files, emodb_dir):
    """mfcc, prosody and egemaps in one run give, column for column and bit for bit, what
    each set gives alone: functionals, and at the frame level each set's own frames on the
    first set's times (the nearest frame, align_frames), with or without --segment windows."""
    from emofeat.runner import run

    files = [str(ravdess_files[3]), str(sorted(emodb_dir.glob("*.flac"))[0])]
    sets = ("mfcc", "prosody", "egemaps")
    for level in ("functionals", "lld"):
        for segment in (None, "1s"):
            kw = {"segment": segment, "hop": "0.5s" if segment else None}
            both = run(files, [get_extractor(s, level=level) for s in sets], **kw).table
            assert [p["name"] for p in both.provenance["sets"]] == list(sets)
            names = list(both.feature_names)
            start = 0
            for k, s in enumerate(sets):
                alone = run(files, [get_extractor(s, level=level)], **kw).table
                cols = list(alone.feature_names)
                assert names[start:start + len(cols)] == cols, (s, level)  # in the listed order
                got = both.X[:, start:start + len(cols)]
                start += len(cols)
                if level == "functionals" or k == 0:
                    assert both.index.equals(alone.index)
                    np.testing.assert_array_equal(got, alone.X, err_msg=f"{s} {level}")
                    continue
                for key in both.index[["path", "start"]].drop_duplicates().itertuples(index=False):
                    here = ((both.index["path"] == key.path)
                            & (both.index["start"] == key.start)).to_numpy()
                    mine = ((alone.index["path"] == key.path)
                            & (alone.index["start"] == key.start)).to_numpy()
                    want = align_frames(alone.X[mine], alone.index["time"].to_numpy()[mine],
                                        both.index["time"].to_numpy()[here])
                    np.testing.assert_array_equal(got[here], want, err_msg=f"{s} {key}")
            assert start == len(names)


def test_set_without_frames_is_nan_on_the_first_sets_grid(ravdess_files, tmp_path):
    """A clip shorter than egemaps' 60 ms pitch frame (no egemaps LLD rows, a warning) beside
    mfcc at the frame level: mfcc's frames with NaN egemaps columns (was numpy's 'all the
    input array dimensions ... must match'); egemaps first: its (empty) grid, no rows."""
    import soundfile as sf

    y, sr = sf.read(str(ravdess_files[3]))
    clip = tmp_path / "clip.wav"
    sf.write(clip, y[sr: sr + int(0.03 * sr)], sr)  # 30 ms of speech
    mfcc = extract([str(clip)], "mfcc", level="lld")
    with pytest.warns(UserWarning, match="no eGeMAPS LLD rows"):
        both = extract([str(clip)], "mfcc,egemaps", level="lld")
    assert len(mfcc) > 0 and len(both) == len(mfcc)
    np.testing.assert_array_equal(both.index["time"], mfcc.index["time"])
    n = mfcc.X.shape[1]
    np.testing.assert_array_equal(both.X[:, :n], mfcc.X)
    assert both.X.shape[1] == n + 25 and np.isnan(both.X[:, n:]).all()
    with pytest.warns(UserWarning, match="no eGeMAPS LLD rows"):
        first = extract([str(clip)], "egemaps,mfcc", level="lld")
    assert len(first) == 0 and first.X.shape[1] == n + 25


def test_text_frames_are_token_positions():
    """Text at the frame level: one row per token, ``frame`` and ``time`` the token's position
    from 0 in each text, the rows of each text as the set gives them alone (GoEmotions)."""
    from conftest import shared_path
    from emofeat.extractors.text_surface import TextSurface

    lines = shared_path("text", "goemotions", "dev.tsv").read_text(encoding="utf-8").splitlines()
    texts = [line.split("\t")[0] for line in lines[:5]]
    table = extract(texts, "text_surface", level="lld")
    for text in texts:
        here = (table.index["text"] == text).to_numpy()
        own = TextSurface(level="lld").fit_transform([text])
        n = own.shape[0]
        assert n > 1 and here.sum() == n
        np.testing.assert_array_equal(table.index["frame"].to_numpy()[here], np.arange(n))
        np.testing.assert_array_equal(table.index["time"].to_numpy()[here], np.arange(n))
        np.testing.assert_array_equal(table.X[here], own)
