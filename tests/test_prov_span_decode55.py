"""A segment manifest's span that fails after libsndfile opened its file counts no decoder
call (helper C4, session 55, review RC2, as dca2c59 did for load_audio).

emofeat.segments.read_span counted libsndfile where it opened the file, before the span was
checked (starting after the file's end, holding no sample) and before its samples' NaN
check, so a run whose only rows came from another decoder could name libsndfile for a span
that failed. A span that reads names it. Realistic inputs: a short PCM WAV and a float WAV of
NaN samples; exact comparison of call counts (no tolerance: counted or not).
"""

from __future__ import annotations

import numpy as np
import pytest
import soundfile as sf

from emofeat import _libraries
from emofeat.errors import InputError
from emofeat.segments import ForwardStream, read_span


def _counted(fn) -> int:
    before = _libraries.calls()["libsndfile"]
    try:
        fn()
    except InputError:
        pass
    return _libraries.calls()["libsndfile"] - before


@pytest.mark.parametrize("streamed", [False, True])
def test_a_failed_span_counts_no_libsndfile_a_read_one_does(tmp_path, streamed):
    short = tmp_path / "short.wav"
    sf.write(short, np.full(1600, 0.1, np.float32), 16000, subtype="PCM_16")  # 0.1 s
    nan = tmp_path / "nan.wav"
    sf.write(nan, np.full(16000, np.nan, np.float32), 16000, subtype="FLOAT")

    def span(path, start, end):
        stream = ForwardStream(str(path)) if streamed else None
        return lambda: read_span(str(path), 16000, start, end, stream=stream)

    assert _counted(span(short, 5.0, 6.0)) == 0  # after the file's end
    assert _counted(span(short, 0.05, 0.05)) == 0  # no sample
    assert _counted(span(nan, 0.0, 0.5)) == 0  # NaN samples
    assert _counted(span(short, 0.0, 0.05)) >= 1  # read: named
