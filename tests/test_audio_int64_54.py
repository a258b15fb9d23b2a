"""64-bit integer samples given in memory are refused, saying which type to give them in.

Integer samples are read on their type's full scale (int16 by 32768). No audio format holds
64-bit integers: an int64 array is PCM widened on the way (``np.array`` of a list of Python
ints, ``.tolist()`` of int16 samples, a DataFrame's integer column). On the scale of 2**63 the
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

from emofeat.errors import SignalTypeError

sf = pytest.importorskip("soundfile")


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
    with pytest.raises(SignalTypeError, match="samples of type uint64"):
        MFCC().fit_transform([(y.astype(np.int64).astype(np.uint64), sr)])


def test_the_narrow_types_are_the_file_to_the_bit(pcm16):
    """Control (passes before and after): int16 samples and int64 narrowed back to int16 give
    the file's features exactly (tolerance: none)."""
    path, y, sr = pcm16
    ext = MFCC()
    want = ext.fit_transform([str(path)])
    np.testing.assert_array_equal(ext.fit_transform([(y, sr)]), want)
    np.testing.assert_array_equal(ext.fit_transform([(y.astype(np.int64).astype(np.int16),
                                                      sr)]), want)
