"""``--param flag=false`` for a user's own set written without type hints (the documented way:
tests/test_estimator_base51.py's FrameRMS) is the bool False, as it is for the registered
sets' annotated flags. Before, the word reached the set as the text ``'false'``, which Python
reads as true: the run silently used the default (review of session 51's --param words).

Reference: NumPy's frame RMS of the same EmoDB files (rtol 1e-6: float32 audio); the
default, ``squared=True``, gives its square.
"""

from __future__ import annotations

import numpy as np
import pytest
from test_estimator_base51 import FrameRMS

from emofeat import read_table
from emofeat.cli import main


class FrameLevel(FrameRMS):
    """The frame RMS, or its square (``squared=True``): a flag without a type hint."""

    set_name = "my_level"

    def __init__(self, *, level="functionals", functionals=("mean",), sr=16000,
                 resample=True, squared=True):
        super().__init__(level=level, functionals=functionals, sr=sr, resample=resample)
        self.squared = squared

    def descriptor_names(self):
        return ["my_level"]

    def _compute(self, signal):
        rms, times = super()._compute(signal)
        return (rms**2 if self.squared else rms), times


@pytest.mark.parametrize("word", ["false", "False", "FALSE"])
def test_a_user_set_s_flag_word_is_a_bool(tmp_path, monkeypatch, capsys, emodb_dir, word):
    import soundfile as sf

    import emofeat.registry as registry

    monkeypatch.setitem(registry._REGISTRY, "my_level", registry.SetInfo(
        "my_level", f"{__name__}:FrameLevel", "a user's frame level (tests)"))
    files = sorted(emodb_dir.glob("*.flac"))[:3]
    out = tmp_path / "f.parquet"
    argv = ["extract", "-q", "--set", "my_level", *map(str, files), "-o", str(out),
            "--param", f"squared={word}"]
    assert main(argv) == 0, capsys.readouterr().err
    got = read_table(out).to_pandas()["my_level_mean"].to_numpy()
    for value, f in zip(got, files, strict=True):
        y, _ = sf.read(f, dtype="float32")
        frames = np.lib.stride_tricks.sliding_window_view(y.astype(np.float64), 512)[::160]
        # the RMS: 'false' read as text (truthy) gave its square
        np.testing.assert_allclose(value, np.sqrt(np.mean(frames**2, axis=1)).mean(),
                                   rtol=1e-6)
