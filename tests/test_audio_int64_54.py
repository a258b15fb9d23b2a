"""64-bit integer samples that all fit 32 bits are refused, saying which type to give them in.

Integer samples are read on their type's full scale (int16 by 32768, int64 by 2**63: a 64-bit
WAV, as ``scipy.io.wavfile`` writes it and reads any depth of 33 to 64 bits; 18212f1 refused
those too, "no audio format holds 64-bit integers", until the mend below). Values that all
fit 32 bits are PCM widened on the way (``np.array`` of a list of Python ints, ``.tolist()`` of int16 samples, a DataFrame's integer column). On the scale of 2**63 the
16-bit EmoDB speech below peaks near 4e-15, and every set measured digital silence without a
word: the ``mfcc`` set gave every coefficient the silence constants (mfcc0 -632.46 in every
frame, the value of a file of zeros). librosa refuses integer audio altogether ("Audio data
must be floating-point"). The same samples as int16 (or as int64 narrowed back) are read as
the file is, to the bit.
"""

from __future__ import annotations

import numpy as np
import pytest
from emofeat.extractors import MFCC
from emofeat.extractors.prosody import Prosody

from emofeat.errors import AudioReadError, SignalTypeError

sf = pytest.importorskip("soundfile")
wavfile = pytest.importorskip("scipy.io.wavfile")


@pytest.fixture(scope="module")
def pcm16(emodb_dir):
    path = sorted(emodb_dir.glob("*.flac"))[0]
    y, sr = sf.read(path, dtype="int16")
    assert y.ndim == 1 and np.abs(y.astype(np.int64)).max() > 1000  # real speech, 16-bit
    return path, y, sr


@pytest.mark.parametrize("extractor", [MFCC, Prosody])
@pytest.mark.parametrize("widen", ["astype", "tolist"])
def test_int64_samples_are_refused_naming_the_type_to_give(pcm16, extractor, widen):
    _, y, sr = pcm16
    wide = y.astype(np.int64) if widen == "astype" else y.tolist()
    with pytest.raises(SignalTypeError) as err:
        extractor().fit_transform([(wide, sr)])
    message = str(err.value)
    assert message.startswith("<array 0>: samples of type int64"), message
    assert "y.astype(np.int16)" in message and "digital silence" in message, message


def test_uint64_and_24_bit_values_are_refused_with_their_width(pcm16):
    _, y, sr = pcm16
    with pytest.raises(SignalTypeError, match=r"24-bit PCM: y / 2\*\*23"):
        MFCC().fit_transform([(y.astype(np.int64) * 256, sr)])
    # 8-bit PCM (unsigned, 128 its silence) widened to uint64
    u8 = (y // 256 + 128).astype(np.uint8)
    with pytest.raises(SignalTypeError, match=r"samples of type uint64.*y.astype\(np.uint8\)"):
        MFCC().fit_transform([(u8.astype(np.uint64), sr)])


def test_the_narrow_types_are_the_file_to_the_bit(pcm16):
    """Control (passes before and after): int16 samples and int64 narrowed back to int16 give
    the file's features exactly (tolerance: none)."""
    path, y, sr = pcm16
    ext = MFCC()
    want = ext.fit_transform([str(path)])
    np.testing.assert_array_equal(ext.fit_transform([(y, sr)]), want)
    np.testing.assert_array_equal(ext.fit_transform([(y.astype(np.int64).astype(np.int16),
                                                      sr)]), want)


@pytest.mark.parametrize("extractor", [MFCC, Prosody])
def test_a_64_bit_wav_gives_the_features_of_the_same_speech_as_floats(pcm16, extractor,
                                                                      tmp_path):
    """EmoDB speech scaled to 2**62 (half of int64's full scale), written and read back by
    scipy.io.wavfile, equals the same speech given as floats at half scale (y / 2**16: the
    int16 samples * 2**47 are exact in float32, so the tolerance, rtol 1e-6 and atol 1e-6 of
    each column's scale, is only for the order of float operations)."""
    _, y, sr = pcm16
    path = tmp_path / "speech64.wav"
    wavfile.write(path, sr, y.astype(np.int64) * 2**47)  # int16 * 2**47: peak near 2**62
    rate, y64 = wavfile.read(path)
    assert rate == sr and y64.dtype == np.int64 and np.abs(y64).max() > 2**61
    ext = extractor()
    got = ext.fit_transform([(y64, rate)])
    want = ext.fit_transform([((y / 2.0**16).astype(np.float32), sr)])
    want, got = np.asarray(want, dtype=float), np.asarray(got, dtype=float)
    scale = np.nanmax(np.abs(want), axis=0, initial=0.0)
    np.testing.assert_allclose(got, want, rtol=1e-6, atol=1e-6 * scale.max())
    assert np.array_equal(np.isnan(got), np.isnan(want))


def test_values_that_fit_32_bits_name_a_type_that_holds_both_ends(pcm16):
    """+32768 fits no int16 (astype(np.int16) wraps it to -32768): the next width is named;
    -32768 alone still fits int16."""
    _, y, sr = pcm16
    wide = y.astype(np.int64)
    up = wide.copy()
    up[100] = 2**15
    with pytest.raises(SignalTypeError, match=r"24-bit PCM: y / 2\*\*23") as err:
        MFCC().fit_transform([(up, sr)])
    assert "np.int16" not in str(err.value)
    down = wide.copy()
    down[100] = -(2**15)
    with pytest.raises(SignalTypeError, match=r"16-bit PCM: y.astype\(np.int16\)"):
        MFCC().fit_transform([(down, sr)])
    top = wide * 2**16
    top[100] = 2**31  # the peak of 32-bit PCM's scale, one past int32's largest value
    with pytest.raises(SignalTypeError, match=r"y / 2\*\*31 as floats"):
        MFCC().fit_transform([(top, sr)])


def test_a_64_bit_wav_file_named_by_path_says_how_to_read_it(pcm16, tmp_path):
    """libsndfile reads PCM up to 32 bits: the 64-bit WAV scipy.io.wavfile writes said only
    "cannot decode audio (... unimplemented format.)". The error now names the reader that
    takes it, and its (samples, rate) pair gives the features of the same speech as floats
    at half scale (tolerance as above)."""
    _, y, sr = pcm16
    path = tmp_path / "speech64.wav"
    wavfile.write(path, sr, y.astype(np.int64) * 2**47)
    ext = MFCC()
    with pytest.raises(AudioReadError, match=r"64-bit integer PCM, which libsndfile does not "
                       r"read: read it with scipy.io.wavfile.read"):
        ext.fit_transform([str(path)])
    got = ext.fit_transform([wavfile.read(path)[::-1]])
    want = ext.fit_transform([((y / 2.0**16).astype(np.float32), sr)])
    np.testing.assert_allclose(got, want, rtol=1e-6, atol=1e-6 * np.abs(want).max())
