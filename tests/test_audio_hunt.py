"""Audio files as users meet them: other rates, bit depths, channel counts, odd file names,
and in-memory arrays as other readers return them; checked against librosa and libsndfile."""

from __future__ import annotations

import os
import sys

import numpy as np
import pytest
import soundfile as sf
from emofeat.extractors import MFCC

from emofeat.audio import load_audio, prepare_signal
from emofeat.errors import SignalTypeError


@pytest.fixture(scope="module")
def speech(ravdess_files):
    y, sr = sf.read(ravdess_files[5], dtype="float64")
    return y, sr


def _librosa_mfcc(path) -> np.ndarray:
    """The reference: librosa's reading (soxr_hq, mean of the channels) and MFCC, with the
    ``mfcc`` set's parameters."""
    librosa = pytest.importorskip("librosa")
    y, _ = librosa.load(path, sr=16000, res_type="soxr_hq", mono=True)
    return librosa.feature.mfcc(y=y, sr=16000, n_mfcc=13, n_fft=400, hop_length=160,
                                n_mels=40, center=True, pad_mode="constant").T


@pytest.mark.parametrize("rate", [8000, 11025, 22050, 44100, 48000, 96000])
@pytest.mark.parametrize("channels", [1, 2, 3])
def test_mfcc_of_files_at_other_rates_and_channel_counts_equals_librosa(
        tmp_path, speech, rate, channels):
    soxr = pytest.importorskip("soxr")
    y, sr = speech
    y = soxr.resample(y, sr, rate, quality="VHQ")
    # channels that differ (a delayed, quieter copy; an inverted one), so that the rule of
    # the downmix matters: the mean, as librosa's mono=True
    x = np.stack([y, 0.5 * np.roll(y, 100), -0.3 * y][:channels], axis=1)
    path = tmp_path / f"x{rate}.wav"
    sf.write(path, x, rate, subtype="PCM_16")
    ours, _ = MFCC(level="lld", deltas=0).fit().features_of(load_audio(path))
    ref = _librosa_mfcc(path)
    assert ours.shape == ref.shape
    # float32 spectra both ways: values up to ~700 dB-scaled units agree to ~1e-4
    np.testing.assert_allclose(ours, ref, atol=1e-3, rtol=0)
    assert load_audio(path).orig_channels == channels


def test_unsigned_8_bit_arrays_are_centred_as_the_file_is(tmp_path, speech):
    """scipy.io.wavfile reads an 8-bit WAV as uint8, silence at 128: the array given as
    ``(y, sr)`` is the signal libsndfile reads from the file, not one offset by +0.5."""
    wavfile = pytest.importorskip("scipy.io.wavfile")
    y, sr = speech
    path = tmp_path / "u8.wav"
    sf.write(path, y, sr, subtype="PCM_U8")
    rate, u8 = wavfile.read(path)
    assert u8.dtype == np.uint8
    from_array = prepare_signal(u8, rate, 16000, source="<array 0>")
    np.testing.assert_array_equal(from_array.y, load_audio(path).y)
    ex = MFCC().fit()
    np.testing.assert_allclose(ex.transform([(u8, rate)]), ex.transform([path]), atol=1e-4)
    ends = prepare_signal(np.array([0, 128, 255], np.uint8), 16000, 16000, source="x").y
    np.testing.assert_array_equal(ends, [-1.0, 0.0, 127 / 128])
    ends16 = prepare_signal(np.array([0, 32768, 65535], np.uint16), 16000, 16000, source="x").y
    np.testing.assert_array_equal(ends16, [-1.0, 0.0, 32767 / 32768])


@pytest.mark.skipif(os.name == "nt" or sys.platform == "darwin",
                    reason="file names there are Unicode: no name holds undecodable bytes")
def test_a_file_name_that_is_not_utf8_is_read(tmp_path, speech):
    """A Latin-1 file name (from an old archive) is a str with a lone surrogate in Python;
    soundfile refused to open it ('surrogates not allowed'), whatever the path of the read."""
    from emofeat.blocks import file_frames
    from emofeat.segments import read_span

    y, sr = speech
    plain = tmp_path / "plain.wav"
    sf.write(plain, y, sr, subtype="PCM_16")
    name = os.path.join(os.fsencode(tmp_path), b"caf\xe9 44k.wav")
    sf.write(name, sf.read(plain)[0], sr, subtype="PCM_16")
    path = os.fsdecode(name)
    assert "\udce9" in path
    np.testing.assert_array_equal(load_audio(path).y, load_audio(plain).y)
    ex = MFCC().fit()
    np.testing.assert_array_equal(ex.transform([path]), ex.transform([str(plain)]))
    np.testing.assert_array_equal(read_span(path, 16000, 0.5, 1.0).y,
                                  read_span(plain, 16000, 0.5, 1.0).y)
    assert file_frames(path) == file_frames(plain) == (len(y), sr)


@pytest.mark.skipif(os.name == "nt" or sys.platform == "darwin",
                    reason="file names there are Unicode: no name holds undecodable bytes")
def test_a_batch_with_a_file_name_that_is_not_utf8_is_refused_before_any_work(
        tmp_path, speech, capsys):
    """The output stores paths as UTF-8: such a name made the whole run fail at its end,
    after every input was computed (the API: UnicodeEncodeError; the command: exit 2 with
    "'utf-8' codec can't encode character '\\udce9'", naming no file, or a traceback when
    another input had failed). Now refused first, naming the file and the remedy."""
    from emofeat.cli import EXIT_USAGE, main
    from emofeat.runner import run

    y, sr = speech
    folder = tmp_path / "corpus"
    folder.mkdir()
    sf.write(folder / "ok.wav", y, sr, subtype="PCM_16")
    (folder / "broken.wav").write_bytes(b"RIFF....WAVE")  # a failure to record
    sf.write(os.path.join(os.fsencode(folder), b"caf\xe9.wav"), y, sr, subtype="PCM_16")
    path = os.fsdecode(os.path.join(os.fsencode(folder), b"caf\xe9.wav"))
    message = r"caf\\xe9\.wav: the file name is not valid UTF-8"
    with pytest.raises(ValueError, match=message):
        run([str(folder / "ok.wav"), path], [MFCC()])
    out = tmp_path / "out.parquet"
    assert main(["extract", str(folder), "-o", str(out), "-q"]) == EXIT_USAGE
    err = capsys.readouterr().err
    assert "caf\\xe9.wav: the file name is not valid UTF-8" in err and "rename" in err
    assert not list(tmp_path.glob("out.parquet*"))  # nothing started


@pytest.mark.parametrize("shape,problem", [
    ((2, 3, 400), "expected a 1-D signal or \\(samples, channels\\)"),
    ((2, 4000), "looks like \\(channels, samples\\)"),  # librosa.load(mono=False)'s layout
])
def test_arrays_of_the_wrong_shape_are_signal_type_errors(shape, problem):
    """Not 'EmptyInputError' (the type the errors table shows) for samples that are there."""
    with pytest.raises(SignalTypeError, match=problem):
        prepare_signal(np.zeros(shape, np.float32), 16000, 16000, source="<array 0>")


@pytest.mark.parametrize("rate", [11025, 22050])
def test_windows_of_a_long_file_whose_rate_makes_no_whole_hop_are_the_in_memory_ones(
        tmp_path, ravdess_files, rate):
    """0.5 s is 5512.5 samples at 11025 Hz (and 0.35 s 7717.5 at 22050 Hz): windows of a
    long file counted on the file's own grid started 45 us late per window (3.8 ms after
    43 s, MFCC functionals off by up to 23), while the file decoded whole is cut on the
    16 kHz grid, where the hop is whole; --long-file changed the rows."""
    from emofeat.runner import run
    from emofeat.segments import read_span

    soxr = pytest.importorskip("soxr")
    y = np.concatenate([sf.read(f, dtype="float64")[0] for f in ravdess_files[:3]])
    path = tmp_path / f"three_{rate}.wav"
    sf.write(path, soxr.resample(y, 16000, rate, quality="VHQ"), rate, subtype="FLOAT")
    full = load_audio(path, 16000).y
    for t0, t1 in [(0.5, 1.5), (3.5, 4.0), (4.55, len(full) / 16000)]:  # not on the file's grid
        got = read_span(path, 16000, t0, t1, context=0.05).y
        want = full[int(round(t0 * 16000)):int(round(t1 * 16000))]
        assert got.shape == want.shape
        np.testing.assert_allclose(got, want, rtol=0, atol=1e-6)  # float32 rounding
    hop = "0.5s" if rate == 11025 else "0.35s"
    whole = run([path], [MFCC()], segment="1s", hop=hop, long_file_seconds=None).table
    long = run([path], [MFCC()], segment="1s", hop=hop, long_file_seconds=0.0).table
    np.testing.assert_array_equal(long.index["start"], whole.index["start"])
    np.testing.assert_array_equal(long.index["end"], whole.index["end"])
    np.testing.assert_allclose(long.X, whole.X, rtol=0, atol=5e-3)  # dB and deltas


def test_an_audio_item_at_another_rate_keeps_its_source_rate_and_channels(tmp_path, speech):
    """``load_audio(path, sr=None)`` of a 48 kHz stereo file, given to a 16 kHz set: the
    rows said orig_sr 48000 but orig_channels 1 (the resampling started a new origin)."""
    import emofeat

    soxr = pytest.importorskip("soxr")
    y, sr = speech
    y48 = soxr.resample(y, sr, 48000, quality="VHQ")
    path = tmp_path / "stereo48k.wav"
    sf.write(path, np.stack([y48, 0.5 * y48], axis=1), 48000, subtype="FLOAT")
    own_rate = load_audio(path, sr=None)
    at_22k = load_audio(path, sr=22050)
    table = emofeat.extract([own_rate, at_22k, str(path)], "mfcc").to_pandas()
    assert table["orig_sr"].tolist() == [48000] * 3
    assert table["orig_channels"].tolist() == [2] * 3


@pytest.mark.parametrize("set_name", ["mfcc", "paa", "rqa", "rqa_speech"])
def test_a_file_too_short_for_blocks_is_refused_in_the_whole_file_words(tmp_path, speech,
                                                                         set_name):
    """A file analysed in blocks (``--long-file 0``) that is shorter than one frame was
    refused as '300 samples at 16000 Hz is shorter than one analysis frame (400 samples)',
    without the set the whole-file analysis names ('... of the 'mfcc' set'): the same file
    gave two messages in errors.csv, by its length against --long-file. Now the same words,
    from the CLI's errors and the Python API alike."""
    from emofeat.blocks import blockwise_features
    from emofeat.cli import main
    from emofeat.errors import TooShortError
    from emofeat.registry import get_extractor

    path = tmp_path / "short.wav"
    sf.write(path, speech[0][20000:20300], speech[1], subtype="PCM_16")  # 300 samples
    ext = get_extractor(set_name)
    with pytest.raises(TooShortError) as whole:
        ext.fit_transform([str(path)])
    with pytest.raises(TooShortError) as blocks:
        blockwise_features(ext, path, block_seconds=1.0)
    assert str(blocks.value) == str(whole.value)
    assert f"of the '{set_name}' set" in str(whole.value)
    lines = []
    for long_file in ("inf", "0"):
        out = tmp_path / f"{long_file}.parquet"
        assert main(["extract", str(path), "-o", str(out), "--set", set_name, "-q",
                     "--long-file", long_file]) == 3
        lines.append(out.with_suffix(".errors.csv").read_text())
    assert lines[0] == lines[1] and f"of the '{set_name}' set" in lines[1]
