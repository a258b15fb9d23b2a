"""A float64 audio file whose samples overflow float32 is refused saying so, not as NaN.

Audio is analysed in float32, and libsndfile decodes a float64 (``DOUBLE``) WAV to float32 as
asked, making the samples beyond float32's range (3.4e38) infinite. The reader then said
"11011 of 32000 samples are NaN or infinite" of a file that holds neither, where the same
samples given in memory as a float64 array were refused in the right words ("... overflow
float32 ...", docs/feature_sets.md). The file now gets the array's message; a file with a
real NaN keeps "NaN or infinite", and float64 files of ordinary speech read as before (the
float32 samples librosa.load gives, to the bit).
"""

from __future__ import annotations

import numpy as np
import pytest

from emofeat.audio import load_audio
from emofeat.errors import NonFiniteInputError

sf = pytest.importorskip("soundfile")


@pytest.fixture(scope="module")
def speech(emodb_dir):
    y, sr = sf.read(sorted(emodb_dir.glob("*.flac"))[0], dtype="float64")
    return y, sr


def test_float64_file_beyond_float32_says_overflow(speech, tmp_path):
    y, sr = speech
    path = tmp_path / "loud.wav"
    sf.write(path, y * 1e40, sr, subtype="DOUBLE")
    with pytest.raises(NonFiniteInputError) as err:
        load_audio(path)
    message = str(err.value)
    assert message.startswith(f"{path}: ") and "overflow float32" in message, message
    assert "NaN" not in message, message


def test_real_nan_and_ordinary_float64_files_are_as_before(speech, tmp_path):
    """Control (passes before and after): a real NaN is called NaN; ordinary speech reads as
    librosa.load reads it, to the bit."""
    librosa = pytest.importorskip("librosa")
    y, sr = speech
    nan = y.copy()
    nan[100] = np.nan
    sf.write(tmp_path / "nan.wav", nan, sr, subtype="DOUBLE")
    with pytest.raises(NonFiniteInputError, match="1 of 32000 samples is NaN or infinite"):
        load_audio(tmp_path / "nan.wav")
    sf.write(tmp_path / "plain.wav", np.stack([y, 0.5 * y], axis=1), sr, subtype="DOUBLE")
    np.testing.assert_array_equal(load_audio(tmp_path / "plain.wav").y,
                                  librosa.load(tmp_path / "plain.wav", sr=None)[0])
