"""Audio input: formats, downmix, resampling, and errors that name the file."""

import numpy as np
import pytest
import soundfile as sf

from emofeat.audio import load_audio, prepare_signal
from emofeat.errors import AudioReadError, EmptyInputError, NonFiniteInputError, SampleRateError


@pytest.fixture(scope="module")
def speech(ravdess_files):
    y, sr = sf.read(ravdess_files[2], dtype="float32")
    return y, sr


@pytest.mark.parametrize("fmt,subtype,atol", [
    ("WAV", "PCM_16", 1 / 32768), ("WAV", "FLOAT", 0), ("FLAC", "PCM_24", 1 / 2**15),
    ("OGG", "VORBIS", None),
])
def test_formats_decode_to_the_same_signal(tmp_path, speech, fmt, subtype, atol):
    y, sr = speech
    path = tmp_path / f"x.{fmt.lower()}"
    sf.write(path, y, sr, format=fmt, subtype=subtype)
    audio = load_audio(path)
    assert audio.sr == 16000 and audio.orig_sr == sr and audio.y.dtype == np.float32
    if atol is None:  # lossy: compare energy only
        assert abs(np.std(audio.y) / np.std(y) - 1) < 0.05
    else:
        np.testing.assert_allclose(audio.y, y, atol=atol)


def test_integer_arrays_are_scaled_and_stereo_downmixed():
    ints = np.array([[16384, -16384], [32767, 0]], dtype=np.int16)
    audio = prepare_signal(ints, 16000, 16000, source="x")
    np.testing.assert_allclose(audio.y, [0.0, 32767 / 65536], atol=1e-7)
    assert audio.orig_channels == 2


def test_resampling_and_refusal(speech):
    y, sr = speech
    audio = prepare_signal(y, sr, 8000, source="s")
    assert audio.sr == 8000 and abs(len(audio.y) - len(y) / 2) <= 1
    with pytest.raises(SampleRateError, match="s: sample rate is 16000 Hz"):
        prepare_signal(y, sr, 8000, source="s", resample=False)


def test_unreadable_files_name_the_file(tmp_path):
    bad = tmp_path / "corrupt.wav"
    bad.write_bytes(b"RIFF\x00\x00\x00\x00WAVEfmt garbage")
    with pytest.raises(AudioReadError, match="corrupt.wav: cannot decode audio"):
        load_audio(bad)
    with pytest.raises(AudioReadError, match="missing.flac: no such file"):
        load_audio(tmp_path / "missing.flac")
    with pytest.raises(AudioReadError, match="not a regular file"):
        load_audio(tmp_path)


def test_empty_and_nan(tmp_path):
    empty = tmp_path / "empty.wav"
    sf.write(empty, np.zeros(0, dtype=np.float32), 16000)
    # a header without samples: the file's size is said, not "the signal has no samples"
    with pytest.raises(EmptyInputError,
                       match=r"empty.wav: the file decodes to no samples \(\d+ bytes: a header"):
        load_audio(empty)
    zero = tmp_path / "zero.flac"
    zero.write_bytes(b"")
    with pytest.raises(EmptyInputError, match=r"zero.flac: the file is empty \(0 bytes\)"):
        load_audio(zero)
    nan = tmp_path / "nan.wav"
    sf.write(nan, np.array([0.1, np.nan, 0.2], dtype=np.float32), 16000, subtype="FLOAT")
    with pytest.raises(NonFiniteInputError, match="nan.wav: 1 of 3 samples"):
        load_audio(nan)
    assert np.isnan(load_audio(nan, allow_nonfinite=True).y[1])


def test_errors_survive_pickling():
    import pickle

    err = pickle.loads(pickle.dumps(AudioReadError("a.wav", "cannot decode audio")))
    assert err.source == "a.wav" and str(err) == "a.wav: cannot decode audio"


@pytest.mark.parametrize("subtype", ["PCM_S8", "PCM_16", "PCM_24"])
@pytest.mark.parametrize("channels", [1, 2, 6])
def test_fast_flac_path_equals_libsndfile(tmp_path, subtype, channels):
    """FLAC goes through miniaudio's decoder when it is installed (twice as fast as
    libsndfile on speech); the signal must be libsndfile's bit for bit."""
    pytest.importorskip("miniaudio")
    from emofeat.audio import _read_flac_fast

    rng = np.random.default_rng(channels)
    x = np.clip(0.3 * rng.standard_normal((24_001, channels)), -1, 1)
    path = tmp_path / "x.flac"
    sf.write(path, x, 22050, subtype=subtype)
    ref, sr = sf.read(path, dtype="float32", always_2d=True)
    fast = _read_flac_fast(str(path))
    assert fast is not None and fast[1] == sr
    np.testing.assert_array_equal(fast[0], ref)
    audio = load_audio(path, sr=None)
    np.testing.assert_array_equal(audio.y, ref.mean(axis=1) if channels > 1 else ref[:, 0])
    assert (audio.orig_sr, audio.orig_channels) == (22050, channels)


def test_fast_flac_path_on_real_files_and_broken_files(tmp_path, sample):
    """The bundled RAVDESS sample decodes identically; a truncated or fake FLAC is left to
    libsndfile (same signal or the same error as without the fast path)."""
    pytest.importorskip("miniaudio")
    from emofeat.audio import _read_flac_fast

    for path in list(sample["path"])[:8]:
        ref, sr = sf.read(path, dtype="float32", always_2d=True)
        fast = _read_flac_fast(str(path))
        assert fast is not None
        np.testing.assert_array_equal(fast[0], ref)
    data = open(sample["path"].iloc[0], "rb").read()
    cut = tmp_path / "cut.flac"
    cut.write_bytes(data[: len(data) // 2])
    assert _read_flac_fast(str(cut)) is None  # fewer frames than the header says
    fake = tmp_path / "fake.flac"
    fake.write_bytes(b"not a flac file at all" * 10)
    assert _read_flac_fast(str(fake)) is None
    with pytest.raises(AudioReadError, match="fake.flac"):
        load_audio(fake)


def test_fast_flac_path_decodes_in_place_as_miniaudio_does(tmp_path, sample):
    """The FLAC path calls dr_flac through miniaudio's compiled module, decoding into the
    returned array: the same samples as miniaudio's own ``flac_read_file_f32`` (the path it
    replaced) on real files and on 8- to 24-bit multichannel ones, and no import of the
    ``miniaudio`` module (urllib, http, ssl) in a fresh process."""
    import subprocess
    import sys

    miniaudio = pytest.importorskip("miniaudio")
    from emofeat.audio import _dr_flac, _read_flac_fast

    def _read_flac_miniaudio(path):  # miniaudio's own function, the reference
        d = miniaudio.flac_read_file_f32(path)
        y = np.frombuffer(d.samples, dtype=np.float32).reshape(int(d.num_frames), d.nchannels)
        return y, int(d.sample_rate)

    assert _dr_flac() is not None
    paths = [str(p) for p in list(sample["path"])[:8]]
    rng = np.random.default_rng(7)
    for k, (subtype, channels) in enumerate([("PCM_S8", 2), ("PCM_16", 1), ("PCM_24", 3)]):
        path = tmp_path / f"x{k}.flac"
        sf.write(path, np.clip(0.3 * rng.standard_normal((9_999, channels)), -1, 1), 16000,
                 subtype=subtype)
        paths.append(str(path))
    for path in paths:
        fast, ref = _read_flac_fast(path), _read_flac_miniaudio(path)
        assert fast is not None and ref is not None and fast[1] == ref[1]
        assert fast[0].shape == ref[0].shape and fast[0].flags.c_contiguous
        np.testing.assert_array_equal(fast[0].view(np.int32), ref[0].view(np.int32))
    code = ("import sys; from emofeat.audio import load_audio; load_audio(sys.argv[1]); "
            "print(sorted(m for m in ('miniaudio', 'urllib.request', 'ssl') "
            "if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code, paths[0]], capture_output=True,
                         text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_flac_stream_info_equals_libsndfile(tmp_path, sample):
    """The FLAC header read directly (file length checks, the fast decode path) agrees with
    libsndfile; a non-FLAC file gives None."""
    from emofeat.audio import flac_stream_info
    from emofeat.blocks import file_seconds

    for path in list(sample["path"])[:4]:
        with sf.SoundFile(path) as f:
            assert flac_stream_info(path) == (f.frames, f.samplerate, f.channels)
            assert file_seconds(path) == f.frames / f.samplerate
    x = np.zeros((1000, 3), dtype=np.float32)
    sf.write(tmp_path / "x.flac", x, 44100, subtype="PCM_24")
    assert flac_stream_info(tmp_path / "x.flac") == (1000, 44100, 3)
    sf.write(tmp_path / "x.wav", x, 8000)
    assert flac_stream_info(tmp_path / "x.wav") is None
    assert file_seconds(tmp_path / "x.wav") == 1000 / 8000


def test_header_read_for_the_long_file_check_serves_the_decoder_once(tmp_path):
    """The runner's long-file check reads a FLAC header that the decoder then uses instead of
    reading it again; a file replaced in between is still decoded as it is now (the decoder
    checks the stream it opens against the header), and the header serves one decode only."""
    from emofeat.audio import _RECENT_INFO, file_stream_info, flac_stream_info

    rng = np.random.default_rng(5)
    path = str(tmp_path / "x.flac")
    for first, second in ((16000, 8000), (8000, 8000)):
        sf.write(path, 0.1 * rng.standard_normal(first), 16000, subtype="PCM_16")
        assert file_stream_info(path) == flac_stream_info(path)
        y = 0.1 * rng.standard_normal(second)
        sf.write(path, y, 16000, subtype="PCM_16")  # replaced after the check
        want = sf.read(path, dtype="float32")[0]
        np.testing.assert_array_equal(load_audio(path).y, want)
        assert not _RECENT_INFO
        np.testing.assert_array_equal(load_audio(path).y, want)


def test_samples_beyond_float32_are_reported_as_overflow():
    """Finite float64 samples beyond float32's range used to be reported as "NaN or infinite"
    (the float32 cast made them inf before the check): the error says they overflow float32,
    and still counts real NaN/inf samples apart."""
    y = np.full(100, 0.5)
    y[:3] = 1e40
    with pytest.raises(NonFiniteInputError, match=r"3 of 100 samples \(up to 1e\+40 in "
                                                  r"magnitude\) overflow float32"):
        prepare_signal(y, 16000, 16000, source="x")
    y[5] = np.nan
    with pytest.raises(NonFiniteInputError, match="overflow float32.*; 1 more is NaN"):
        prepare_signal(y, 16000, 16000, source="x")
    with pytest.raises(NonFiniteInputError, match="1 of 100 samples is NaN or infinite"):
        prepare_signal(np.where(np.arange(100) == 5, np.nan, 0.5), 16000, 16000, source="x")
