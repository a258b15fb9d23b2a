"""MFCC at parameters off the defaults, checked against librosa and against the whole-file
analysis: uncentred frames whose window is shorter than the FFT (``center=False``,
``win_length < n_fft``)."""

from __future__ import annotations

import numpy as np
import pytest
import soundfile as sf
from emofeat.extractors import MFCC

from emofeat.blocks import blockwise_features
from emofeat.errors import TooShortError
from emofeat.table import FeatureTable

librosa = pytest.importorskip("librosa")

# uncentred frames of n_fft samples whose window holds only the middle win_length of them
UNCENTRED = dict(n_mfcc=13, n_fft=512, win_length=400, hop_length=160, n_mels=40, center=False)


def test_uncentred_signal_between_window_and_fft_length_is_too_short(ravdess_files):
    """librosa frames an uncentred signal in n_fft samples, the window in the middle: 450
    samples (>= win_length 400, < n_fft 512) hold no frame. They gave 0 frames and a
    functionals row of NaN without a word; now TooShortError naming the input, as librosa
    refuses them. n_fft samples give librosa's one frame."""
    y, sr = sf.read(ravdess_files[0], dtype="float32")
    y = y[sr : 2 * sr]  # speech, not the leading silence
    with pytest.raises(librosa.util.exceptions.ParameterError):
        librosa.feature.mfcc(y=y[:450], sr=sr, **UNCENTRED)
    for level in ("lld", "functionals"):
        with pytest.raises(TooShortError, match=r"<array 0>.*450 samples.*512 samples"):
            MFCC(level=level, **UNCENTRED).fit_transform([y[:450]])
    got, _ = MFCC(level="lld", deltas=0, **UNCENTRED).compute_lld(y[:512])
    ref = librosa.feature.mfcc(y=y[:512], sr=sr, **UNCENTRED).T
    assert got.shape == ref.shape == (1, 13)
    np.testing.assert_allclose(got, ref, rtol=0, atol=1e-3)


def test_uncentred_blocks_with_an_fft_longer_than_the_context_equal_whole_file(
        tmp_path, ravdess_files):
    """Blocks of a long file keep the frames centred in them, each block read with context on
    both sides. An uncentred frame spans n_fft samples, of which the window (win_length) is
    only the middle; the context covered twice the window, not half the frame: frames near
    the block edges did not fit in their block and were dropped (45 s of speech with n_fft
    2**16, win_length 400, 3.3 s blocks and the default 1 s of context: 1,473 of 4,135 frames
    kept; here 982 of 1,042)."""
    path = tmp_path / "long.flac"
    with sf.SoundFile(path, "w", 16000, 1, "PCM_16") as out:
        for f in ravdess_files[:3]:
            out.write(sf.read(f, dtype="int16")[0])
    ext = MFCC(level="lld", n_fft=2048, win_length=200, hop_length=160, n_mels=40,
               center=False)
    whole, whole_times = ext.compute_lld(str(path))
    # 10 ms of context asked for: the set's frame must set what a block needs
    rows, times, _ = blockwise_features(ext, path, block_seconds=1.0, context_seconds=0.01)
    assert rows.shape == whole.shape
    np.testing.assert_array_equal(rows, whole)
    np.testing.assert_array_equal(times, whole_times)


@pytest.mark.parametrize("ref", [-1.0, -1e-3])
@pytest.mark.parametrize("top_db", [None, 80.0])
def test_negative_ref_is_taken_as_its_magnitude_as_librosa(ravdess_files, ref, top_db):
    """librosa.power_to_db divides by max(amin, |ref|); max(amin, ref) made a negative
    reference amin (1e-10): every dB value 100 dB off, c0 by 632 with 40 mels."""
    y, sr = sf.read(ravdess_files[1], dtype="float32")
    kw = dict(n_fft=400, hop_length=160, n_mels=40)
    S = librosa.power_to_db(librosa.feature.melspectrogram(y=y, sr=sr, **kw), ref=ref,
                            top_db=top_db)
    ref_mfcc = librosa.feature.mfcc(S=S, n_mfcc=13).T
    got, _ = MFCC(level="lld", deltas=0, ref=ref, top_db=top_db, **kw).compute_lld(y)
    np.testing.assert_allclose(got, ref_mfcc, rtol=0, atol=1e-3)


def _band_limited(path):
    """RAVDESS speech resampled to 8 kHz (peak 0.99): nothing above 4 kHz once analysed at
    16 kHz but what the resampler leaves."""
    import soxr

    y16, sr = sf.read(path, dtype="float32")
    return soxr.resample(y16 / np.abs(y16).max() * 0.99, sr, 8000).astype(np.float32)


@pytest.mark.parametrize("params", [dict(power=1.0), dict(power=1.0, top_db=60.0),
                                    dict(power=1.5), dict(top_db=None), dict(log="ln"),
                                    dict()],
                         ids=lambda p: ",".join(f"{k}={v}" for k, v in p.items()) or "defaults")
def test_band_limited_input_matches_librosa_off_the_default_floor(params, ravdess_files):
    """8 kHz speech analysed at the default 16 kHz (resampled: nothing above 4 kHz but what
    the resampler leaves, 100-150 dB down). The float32 FFT is exact to about 1e-7 of a
    frame's largest magnitude; librosa's FFT runs in float64 even on float32 audio. With
    ``power=1`` the default 80 dB floor keeps mel bands down there, and ``top_db=None``
    keeps everything: the coefficients were up to 1.4 away from librosa's (``power=1``;
    0.0023 with ``top_db=60``, 0.0034 without a floor, 0.0011 at ``power=1.5``).
    Such configurations now run in float64; the default (``power=2``, ``top_db=80``, whose
    floor hides the rounding) stays float32. Tolerance: the module's 1e-3 (test_mfcc.py).
    The values are checked before ``frame_precision``: the code before 9c0b3c8 fails the
    first four cases on their values (1.4, 0.0023, 0.0011, 0.0034), the last two (within
    1e-3 there) only on the missing method."""
    from emofeat.audio import prepare_signal

    kw = dict(n_mfcc=13, n_fft=512, hop_length=160, n_mels=40, deltas=0, **params)
    ext = MFCC(level="lld", **kw)
    for path in ravdess_files[:3]:
        y8 = _band_limited(path)
        y = prepare_signal(y8, 8000, 16000, source="x").y  # what the set analyses
        mel = librosa.feature.melspectrogram(y=y, sr=16000, n_fft=512, hop_length=160,
                                             n_mels=40, power=params.get("power", 2.0))
        S = (np.log(np.maximum(1e-10, mel)) if params.get("log") == "ln"
             else librosa.power_to_db(mel, top_db=params.get("top_db", 80.0)))
        ref = librosa.feature.mfcc(S=S, n_mfcc=13).T
        got, _ = ext.compute_lld((y8, 8000))
        np.testing.assert_allclose(got, ref, rtol=0, atol=1e-3, err_msg=str(path))
    assert ext.frame_precision() == ("float32" if not params else "float64")


def test_an_explicit_precision_is_used_as_given(ravdess_files):
    """``precision`` defaults to ``"auto"`` (float64 where float32's FFT rounding shows,
    test above); an explicit ``"float32"`` is used as given, as an sklearn parameter is
    (get_params and clone keep it). 9c0b3c8 ran ``power=1`` in float64 even when the user
    asked for float32: the explicit choice was overridden. On band-limited input float32's
    coefficients at ``power=1`` are more than 0.01 from float64's (up to 1.4: test above),
    so the two must differ; ``"auto"`` gives float64's bits there, and float32's bits with
    the default settings."""
    from sklearn.base import clone

    assert MFCC().get_params()["precision"] == "auto"
    assert clone(MFCC(precision="float32")).get_params()["precision"] == "float32"
    y8 = _band_limited(ravdess_files[0])
    kw = dict(level="lld", deltas=0)
    for power in (1.0, 2.0):
        got = {p: MFCC(power=power, precision=p, **kw).compute_lld((y8, 8000))[0]
               for p in ("auto", "float32", "float64")}
        same = "float64" if power == 1.0 else "float32"
        np.testing.assert_array_equal(got["auto"], got[same])
        if power == 1.0:
            assert np.abs(got["float32"] - got["float64"]).max() > 1e-2


def test_an_output_of_the_old_default_precision_is_not_resumed_with_new_numbers(
        ravdess_files, tmp_path):
    """An output's fingerprint is its parameters, not emofeat's version. 9c0b3c8 changed
    the numbers of ``power=1``, ``top_db=None`` and ``log="ln"`` (float64 frames: up to 1.4
    apart on band-limited speech), so an unfinished or added-to output written before with
    the then default ``precision="float32"`` must not take new rows beside its old ones.
    The default is now ``"auto"``, recorded as it resolves (``resolved_params``): float64
    there, another fingerprint, and the resume is refused with the usual message and its way
    out. Before c5d40a3 the default kept ``"float32"`` and the run added float64 rows to the
    float32 ones. An explicit ``"float32"`` (the same numbers as before 9c0b3c8) resumes,
    and so does an output of the default settings, whose numbers did not change (c5d40a3
    alone refused every MFCC output written before it)."""
    import pyarrow.parquet as pq

    from emofeat.runner import run
    from emofeat.store import ParameterMismatchError

    out = tmp_path / "out.parquet"
    files = [str(f) for f in ravdess_files[:2]]
    # what a run before 9c0b3c8 recorded for MFCC(power=1): precision="float32"
    run(files[:1], [MFCC(power=1.0, precision="float32")], output=out)
    with pytest.raises(ParameterMismatchError,
                       match=r"other extraction parameters.*overwrite=True"):
        run(files, [MFCC(power=1.0)], output=out)
    result = run(files, [MFCC(power=1.0, precision="float32")], output=out)
    assert result.n_skipped == 1 and pq.read_table(out).num_rows == 2
    # the default settings: written with precision="float32" (the default before), resumed
    # with the default "auto", which runs float32 there: the same numbers, the same output
    default = tmp_path / "default.parquet"
    run(files[:1], [MFCC(precision="float32")], output=default)
    result = run(files, [MFCC()], output=default)
    assert result.n_skipped == 1 and pq.read_table(default).num_rows == 2
    alone = run(files, [MFCC(precision="float32")]).table
    np.testing.assert_array_equal(FeatureTable.read_parquet(default).X, alone.X)


def test_frames_touching_admitted_nan_samples_are_nan_as_in_the_other_sets(ravdess_files):
    """Audio read with ``allow_nonfinite`` (NaN samples admitted): the other audio sets give
    NaN in the frames that touch them (docs/feature_sets.md). MFCC turned such a frame's mel
    energies into ``amin`` (``max(amin, NaN)``): the frame read as digital silence, finite
    coefficients of nothing, averaged into the functionals; a NaN loudest energy would also
    have dropped the ``top_db`` floor. Now those frames are NaN (their deltas too, within
    the delta window), the other frames are librosa's of the clean signal (tolerance 1e-3,
    as test_mfcc.py), and the functionals are over the finite frames."""
    from emofeat.audio import prepare_signal

    y, sr = sf.read(ravdess_files[3], dtype="float32")
    bad = y.copy()
    bad[30000:30100] = np.nan
    audio = prepare_signal(bad, sr, sr, source="<nan>", allow_nonfinite=True)
    kw = dict(n_mfcc=13, n_fft=400, hop_length=160, n_mels=40)
    ext = MFCC(level="lld", **kw)
    got, _ = ext.features_of(audio)
    m = librosa.feature.mfcc(y=y, sr=sr, **kw)
    ref = np.concatenate([m, librosa.feature.delta(m), librosa.feature.delta(m, order=2)]).T
    centre = np.arange(got.shape[0]) * 160
    touches = (centre + 200 > 30000) & (centre - 200 < 30100)
    assert touches.sum() == 3 and np.isnan(got[touches]).all()
    near = np.convolve(touches, np.ones(9), mode="same") > 0  # the delta window of 9
    assert not np.isnan(got[~touches, :13]).any() and not np.isnan(got[~near]).any()
    np.testing.assert_allclose(got[~touches, :13], ref[~touches, :13], rtol=0, atol=1e-3)
    np.testing.assert_allclose(got[~near], ref[~near], rtol=0, atol=1e-3)
    row, _ = MFCC(functionals=("mean",), **kw).features_of(audio)
    np.testing.assert_allclose(row[0], np.nanmean(got, axis=0), rtol=1e-9)
