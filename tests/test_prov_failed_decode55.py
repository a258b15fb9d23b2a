"""A file libsndfile decodes to no samples, or to NaN samples, names no decoder in the
provenance (review RC of e9f8bfb, helper C3, session 55).

docs/feature_table.md says "a file that failed to decode names none", but the used-flag was set
in the libsndfile read itself, before load_audio's empty and NaN checks: a run of a WAV header
without samples (or a float WAV of NaN) and EmoDB 03a01Fa.flac (dr_flac), with
on_error="record", named libsndfile though its only row came from dr_flac. Exact comparison
of library names (no tolerance).
"""

from __future__ import annotations

import numpy as np
import pytest
import soundfile as sf

from emofeat.audio import _dr_flac
from emofeat.registry import get_extractor
from emofeat.runner import run


@pytest.mark.skipif(_dr_flac() is None, reason="miniaudio (dr_flac) is not installed: FLAC "
                    "goes to libsndfile")
@pytest.mark.parametrize("kind", ["empty", "nan"])
def test_a_wav_that_fails_after_decoding_names_no_libsndfile(tmp_path, emodb_dir, kind):
    bad = tmp_path / f"{kind}.wav"
    if kind == "empty":
        sf.write(bad, np.zeros(0, dtype=np.float32), 16000, subtype="PCM_16")
    else:
        sf.write(bad, np.full(1600, np.nan, dtype=np.float32), 16000, subtype="FLOAT")
    result = run([str(bad), str(emodb_dir / "03a01Fa.flac")], [get_extractor("mfcc")],
                 on_error="record")
    assert result.table.shape[0] == 1 and len(result.errors) == 1, result.errors
    environment = result.table.provenance["environment"]
    assert "libsndfile" not in environment, environment
    assert "miniaudio" in environment, environment
