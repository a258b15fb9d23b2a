"""Exact zeros where the true value is 0 (numbers version 1 of ``mfcc``, ``librosa`` and
``rqa_speech``): the MFCCs of frames at the ``top_db`` floor from c1 on, the deltas of a
stretch of equal frames, and the mean of ``rqa_speech``'s first differences where the
utterance begins and ends alike. Version 0 left rounding residue there (1e-15, 1e-17 of the
value, 1e-30 in delta medians), which sklearn's ``StandardScaler`` took for a feature's spread
and scaled up by as much: a subject-dependent ridge regression on RAVDESS MFCCs had an RMSE
of 1e25. Real RAVDESS clips, about half of whose samples are digital zeros; librosa is the
reference, with the tolerances of the parity tests (tests/test_mfcc.py)."""

from __future__ import annotations

import warnings

import numpy as np
import pytest
from emofeat.extractors.mfcc import MFCC

from emofeat.functionals import deltas

#: the parity tests' absolute tolerance against librosa (tests/test_mfcc.py)
ATOL = 1e-3
SPEECH = dict(n_mfcc=13, n_fft=400, hop_length=160, n_mels=40)


def _constant_windows(x: np.ndarray, width: int) -> np.ndarray:
    """(n, d) mask: the interior frames whose ``width`` frames are all equal, column by
    column (the frames whose true delta is 0)."""
    n, half = x.shape[0], width // 2
    mask = np.zeros(x.shape, dtype=bool)
    for i in range(half, n - half):
        block = x[i - half : i + half + 1]
        mask[i] = (block == block[0]).all(axis=0)
    return mask


def _silent_clips(ravdess_dir, n=4):
    files = sorted(ravdess_dir.glob("Actor_0[1-4]/*.flac"))[::15][:n]
    if not files:
        pytest.skip("RAVDESS is not in ../shared/data/speech/ravdess")
    return files


def test_mfcc_of_floored_frames_is_zero_from_c1_and_deltas_of_equal_frames_zero(ravdess_dir):
    """Frames at the top_db floor (librosa's power_to_db frame all one value) have c1 on
    exactly 0, and every delta whose 9 frames are equal is exactly 0; librosa's values there
    are residue under 1e-10, and everywhere else ours are within the parity tolerance."""
    librosa = pytest.importorskip("librosa")
    import soundfile as sf

    ext = MFCC(level="lld", **SPEECH)
    floored_seen = constant_seen = 0
    for path in _silent_clips(ravdess_dir):
        y, sr = sf.read(path, dtype="float32")
        S = librosa.power_to_db(librosa.feature.melspectrogram(
            y=y, sr=sr, n_fft=400, hop_length=160, n_mels=40), top_db=80.0)
        m = librosa.feature.mfcc(S=S, n_mfcc=13)
        ref = np.concatenate([m, librosa.feature.delta(m), librosa.feature.delta(m, order=2)]).T
        got, _ = ext.compute_lld(str(path))
        assert got.shape == ref.shape
        np.testing.assert_allclose(got, ref, rtol=0, atol=ATOL, err_msg=str(path))
        floored = (S == S.min(axis=0)).all(axis=0) & (S.min(axis=0) == S.min())
        floored_seen += int(floored.sum())
        np.testing.assert_array_equal(got[floored, 1:13], 0.0, err_msg=str(path))
        assert np.abs(ref[floored, 1:13]).max(initial=0.0) < 1e-10
        ceps = got[:, :13]
        same = _constant_windows(ceps, 9)
        constant_seen += int(same.sum())
        for order in (1, 2):
            cols = slice(13 * order, 13 * (order + 1))
            np.testing.assert_array_equal(got[:, cols][same], 0.0, err_msg=str(path))
            assert np.abs(ref[:, cols][same]).max(initial=0.0) < 1e-10
    # the clips do hold such frames: without them this test would check nothing
    assert floored_seen > 100 and constant_seen > 1000


def test_deltas_of_constant_stretches_are_exactly_zero_and_equal_librosa_elsewhere():
    """Piecewise-constant columns (the MFCCs of silence between words), float32 and float64,
    every width and order: the deltas are exactly 0 where the window's frames are equal (the
    edges: where the first or last ``width`` frames are), and equal librosa.feature.delta to
    rtol 1e-6 (atol 1e-9 of the largest) elsewhere."""
    librosa = pytest.importorskip("librosa")
    rng = np.random.default_rng(7)
    n = 120
    x = np.cumsum(rng.standard_normal((n, 5)), axis=0) * 10 - 300.0
    x[:15] = x[15]  # a constant start, middle stretch and end, as silence around speech
    x[50:70] = x[50]
    x[-20:] = x[-21]
    x[:, 4] = -412.25  # one column constant throughout
    for dtype in (np.float64, np.float32):
        xd = x.astype(dtype)
        for width in (3, 5, 7, 9, 11):
            half = width // 2
            same = _constant_windows(xd, width)
            for order in (1, 2):
                got = deltas(xd, order, width)
                assert got.dtype == dtype
                np.testing.assert_array_equal(got[same], 0.0)
                np.testing.assert_array_equal(got[:half, :], 0.0)  # first `width` equal
                np.testing.assert_array_equal(got[-half:, :], 0.0)
                np.testing.assert_array_equal(got[:, 4], 0.0)
                want = librosa.feature.delta(xd.astype(np.float64).T, width=width,
                                             order=order).T
                np.testing.assert_allclose(got.astype(np.float64), want, rtol=1e-6,
                                           atol=1e-9 * np.abs(want).max())
                assert np.abs(want[same]).max() < 1e-9  # librosa's residue there


@pytest.mark.parametrize("order", [1, 2, 3])
@pytest.mark.parametrize("bad", [np.nan, np.inf, -np.inf])
def test_a_single_non_finite_frame_spoils_the_deltas_of_its_windows(ravdess_files, order,
                                                                   bad):
    """One NaN or infinite frame (a dropout in one MFCC frame) makes non-finite every delta
    whose window holds it, its own included (the pair sums left out the centre frame at odd
    orders, whose weight is 0, and gave it a finite delta), and no other. librosa refuses
    non-finite frames, so the reference elsewhere is librosa.feature.delta of the frames with
    that one set to 0 (no other output depends on it), with the parity tolerance."""
    librosa = pytest.importorskip("librosa")
    x = MFCC(level="lld", deltas=0, precision="float64").compute_lld(str(ravdess_files[0]))[0]
    n, width, half = x.shape[0], 5, 2
    for at in (2, 40, n - 1):  # the first edge rows, the interior, the last row
        y = x.copy()
        y[at, 3] = bad
        got = deltas(y, order, width)
        holds = np.abs(np.arange(n) - at) <= half  # interior windows holding frame `at`
        if at < width:  # the first rows are the fit to the first `width` frames
            holds[:half] = True
        if at >= n - width:
            holds[n - half :] = True
        assert not np.isfinite(got[holds, 3]).any(), at  # NaN, or +-inf for an inf frame
        y[at, 3] = 0.0
        want = librosa.feature.delta(y.T, width=width, order=order).T
        keep = np.ones(got.shape, dtype=bool)
        keep[holds, 3] = False
        np.testing.assert_allclose(got[keep], want[keep], rtol=1e-6,
                                   atol=1e-9 * np.abs(want).max(), err_msg=str(at))


def test_mfcc_medians_over_silence_are_exact_zeros(ravdess_dir):
    """Where the exact zeros of silence straddle a column's middle rank (fewer than half its
    frames below 0 and fewer than half above), its median is exactly 0 (version 0: 1e-15 for
    c1 on, 1e-30 for the deltas: most RAVDESS clips' delta medians), and the functionals
    row equals the functionals of the LLDs."""
    from emofeat.functionals import compute_functionals

    lld_ext, row_ext = MFCC(level="lld"), MFCC()
    names = row_ext.feature_names()
    zeros = 0
    for path in _silent_clips(ravdess_dir):
        lld, times = lld_ext.compute_lld(str(path))
        row = np.asarray(row_ext.fit_transform([str(path)]))[0]
        np.testing.assert_allclose(row, compute_functionals(lld, times, row_ext.functionals),
                                   rtol=1e-12, atol=1e-12)
        half = lld.shape[0] / 2
        middle = ((lld < 0).sum(axis=0) < half - 1) & ((lld > 0).sum(axis=0) < half - 1)
        for d in np.flatnonzero(middle):
            stem = lld_ext.descriptor_names()[d]
            assert row[names.index(f"{stem}_p50")] == 0.0, (path, stem)
            zeros += 1
    assert zeros >= 20  # most delta medians of these clips: the check has work to do


def test_rqa_speech_delta_mean_is_the_telescoped_sum(ravdess_dir):
    """rqa_speech's ``*_delta_mean``: ``(m[-1] - m[0]) / (n - 1)`` where every frame is
    finite, equal to the mean of the differences to 1e-12 of their largest, and exactly 0
    where the first and last frames' measures are equal (every RAVDESS clip for most
    measures: it begins and ends in silence); a NaN frame keeps the mean of the finite
    differences."""
    from emofeat.extractors.rqa import RQASpeech

    lld_ext, row_ext = RQASpeech(level="lld"), RQASpeech()
    names = row_ext.feature_names()
    stems = row_ext.descriptor_names()
    n_meas = len(stems) // 2
    exact = 0
    for path in _silent_clips(ravdess_dir, 3):
        lld, times = lld_ext.compute_lld(str(path))
        row = row_ext.functionals_of(lld, times)
        for j in range(n_meas):
            m, d = lld[:, j], lld[1:, n_meas + j]
            got = row[names.index(f"{stems[n_meas + j]}_mean")]
            assert got == (m[-1] - m[0]) / (len(m) - 1)
            assert abs(got - d.mean()) <= 1e-12 * max(np.abs(d).max(), 1e-300)
            if m[-1] == m[0]:
                assert got == 0.0
                exact += 1
        holed = lld.copy()
        holed[5, :] = np.nan  # a NaN frame: its difference and the next are NaN too
        holed[5:7, n_meas:] = np.nan
        row = row_ext.functionals_of(holed, times)
        for j in range(n_meas):
            d = holed[1:, n_meas + j]
            np.testing.assert_allclose(row[names.index(f"{stems[n_meas + j]}_mean")],
                                       np.nanmean(d), rtol=1e-12,
                                       atol=1e-12 * np.nanmax(np.abs(d)))
    assert exact >= 10


@pytest.mark.slow
def test_subject_dependent_ridge_on_ravdess_mfcc_does_not_blow_up(ravdess_dir):
    """The hunt's finding: per-speaker folds of silent-majority clips made delta medians of
    pure residue, scaled up 1e30 by StandardScaler (RMSE 1e25 on the whole corpus). Four
    actors, a numeric target: the RMSE stays near the target's spread (the bound, 3 times
    its standard deviation, is what any sane model meets)."""
    from emofeat.classifiers import evaluate

    from emofeat import extract
    from emofeat.datasets import load_ravdess

    man = load_ravdess(ravdess_dir)
    man = man[man["speaker"].astype(int) <= 4].reset_index(drop=True)
    if len(man) < 200:
        pytest.skip("RAVDESS actors 1-4 are not all in ../shared/data/speech/ravdess")
    codes = {e: i + 1.0 for i, e in enumerate(sorted(man["emotion"].unique()))}
    man["code"] = man["emotion"].map(codes) + 0.5 * (man["intensity"] == "strong")
    table = extract(man, sets="mfcc")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        res = evaluate(table, "code", groups="speaker", model="ridge",
                       protocol="subject_dependent", task="regression")
    assert res.scores["rmse"] < 3 * man["code"].std()


@pytest.mark.parametrize("name", ["mfcc", "mfcc_htk", "librosa", "rqa_speech"])
def test_an_output_begun_at_numbers_version_0_is_not_resumed(name, ravdess_files, tmp_path,
                                                            monkeypatch):
    """The exact zeros changed these sets' numbers for the same parameters: an output begun
    at version 0 (residue rows) is refused rather than finished with rows of the other
    numbers beside them; overwrite extracts it again at version 1."""
    import json

    import pyarrow.parquet as pq

    from emofeat.registry import get_extractor
    from emofeat.runner import run
    from emofeat.store import ParameterMismatchError

    def sets(path):
        return json.loads(pq.read_schema(path).metadata[b"emofeat"])["provenance"]["sets"]

    files = [str(f) for f in ravdess_files[:2]]
    out = tmp_path / "out.parquet"
    cls = type(get_extractor(name))
    # 1 since the exact zeros (rqa_speech 2 since session 50: constant frames, radius 0;
    # librosa 2 since session 52: the float32 analysis's FFT in float64, as librosa's;
    # mfcc_htk 2 since session 56: HCopy's passband, class MFCCHTK; librosa 3 since
    # session 57: an odd n_fft's chroma tuning)
    now = cls.numbers_version
    assert now == {"rqa_speech": 2, "librosa": 3, "mfcc_htk": 2}.get(name, 1)
    with monkeypatch.context() as m:
        m.setattr(cls, "numbers_version", 0)  # the code before: version 0, not recorded
        run(files[:1], [get_extractor(name)], output=out)
    assert "numbers_version" not in sets(out)[0]
    with pytest.raises(ParameterMismatchError,
                       match=rf"the {name} set's numbers changed for the same parameters.*"
                             rf"numbers version 0 there, {now} now"):
        run(files, [get_extractor(name)], output=out)
    run(files, [get_extractor(name)], output=out, overwrite=True)
    assert sets(out)[0]["numbers_version"] == now
    assert run(files, [get_extractor(name)], output=out).n_skipped == 2
