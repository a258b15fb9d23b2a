"""A float64 file beyond float32 is refused saying so on every read path, not as NaN.

09137ca gave the whole-file read of a DOUBLE WAV whose samples overflow float32 (EmoDB speech
written at 1e40) prepare_signal's words ("... overflow float32 ..."), as docs/feature_sets.md
and docs/mfcc.md say of every path; the long-file block read (``--long-file``) and a
manifest segment (start/end) still said "NaN or infinite" of a file that holds neither. Each
now reads the failing span again as float64 on the way to its error (one helper,
``float64_overflow``); a real NaN keeps its words on each path.
"""

from __future__ import annotations

import numpy as np
import pytest
from emofeat.extractors import MFCC

from emofeat.blocks import blockwise_features
from emofeat.errors import NonFiniteInputError
from emofeat.segments import read_span

sf = pytest.importorskip("soundfile")


@pytest.fixture(scope="module")
def files(emodb_dir, tmp_path_factory):
    y, sr = sf.read(sorted(emodb_dir.glob("*.flac"))[0], dtype="float64")
    where = tmp_path_factory.mktemp("double")
    loud, nan = where / "loud.wav", where / "nan.wav"
    sf.write(loud, y * 1e40, sr, subtype="DOUBLE")
    bad = y.copy()
    bad[100] = np.nan
    sf.write(nan, bad, sr, subtype="DOUBLE")
    return loud, nan


def test_long_file_blocks_say_overflow(files):
    loud, nan = files
    with pytest.raises(NonFiniteInputError) as err:
        blockwise_features(MFCC(), loud, block_seconds=1.0)
    message = str(err.value)
    assert message.startswith(f"{loud}: ") and "overflow float32" in message, message
    assert "NaN" not in message and "read in blocks" in message, message
    with pytest.raises(NonFiniteInputError, match="NaN or infinite"):
        blockwise_features(MFCC(), nan, block_seconds=1.0)


def test_a_segment_says_overflow(files):
    loud, nan = files
    with pytest.raises(NonFiniteInputError) as err:
        read_span(loud, 16000, 0.5, 1.5)
    message = str(err.value)
    assert message.startswith(f"{loud}: ") and "overflow float32" in message, message
    assert "NaN" not in message and "of 16000 samples" in message, message
    with pytest.raises(NonFiniteInputError, match="1 of 16000 samples is NaN or infinite"):
        read_span(nan, 16000, 0.0, 1.0)
