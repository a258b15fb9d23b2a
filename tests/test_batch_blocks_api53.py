"""``emofeat.runner.run``'s block options checked as ``extract --long-file/--block`` are
(leftover of session 52).

Since session 52 the command refuses ``--long-file`` and ``--block`` with text and EEG sets
(texts have no time axis, EEG recordings are read whole) and values that are no number of
seconds. The Python API took them all without a word: ``run(texts, [TextSurface()],
long_file_seconds=5, block_seconds=3)`` wrote the same table as without them, a Muse
recording was read whole under ``long_file_seconds=10``, ``long_file_seconds=-3`` put every
audio file in blocks and ``block_seconds=nan`` failed each file with "cannot convert float
NaN to integer". One check (:func:`emofeat._run_options.check_blocks`) now serves both.
"""

from __future__ import annotations

import math

import pytest
from _text_data import carer_texts
from conftest import shared_path

from emofeat.registry import get_extractor
from emofeat.runner import run


@pytest.fixture(scope="module")
def texts() -> list[str]:
    return carer_texts(shared_path("text"), "test")[:5]


@pytest.mark.parametrize(("options", "named"), [
    ({"long_file_seconds": 5}, "long_file_seconds: "),
    ({"block_seconds": 3}, "block_seconds: "),
    ({"long_file_seconds": 0, "block_seconds": 2}, "long_file_seconds and block_seconds: "),
    ({"long_file_seconds": 600.0}, "long_file_seconds: "),  # the default's value, given
    ({"long_file_seconds": None}, "long_file_seconds: "),
])
def test_text_runs_refuse_the_block_options(texts, options, named):
    with pytest.raises(ValueError) as err:
        run(texts, [get_extractor("text_surface")], **options)
    # the command's words, the API's names (before: the table, the options unused)
    assert str(err.value).startswith(named + "text inputs have no time axis to read in "
                                     "blocks"), err.value
    assert "audio files only" in str(err.value)
    # not given, the same run works: the refusal is the options', not the input's
    assert run(texts, [get_extractor("text_surface")]).table.shape[0] == len(texts)


def test_eeg_runs_refuse_them(tmp_path):
    muse = str(shared_path("eeg", "muse_mental_state", "subjecta-concentrating-1.csv"))
    out = tmp_path / "e.parquet"
    with pytest.raises(ValueError, match=r"^long_file_seconds: EEG recordings are read whole; "
                                         r"it applies to audio files only"):
        run([muse], [get_extractor("eeg_stats")], long_file_seconds=10, output=out)
    assert not out.exists()  # refused before any work


@pytest.mark.parametrize(("options", "said"), [
    ({"long_file_seconds": -3}, "long_file_seconds -3: expected 0 or more seconds"),
    ({"long_file_seconds": math.nan}, "long_file_seconds nan: expected 0 or more seconds"),
    ({"block_seconds": math.nan},
     "block_seconds nan: expected a positive, finite number of seconds"),
    ({"block_seconds": 0}, "block_seconds 0: expected a positive, finite number of seconds"),
    ({"block_seconds": math.inf},
     "block_seconds inf: expected a positive, finite number of seconds"),
])
def test_audio_runs_refuse_values_that_are_no_seconds(emodb_dir, options, said):
    # before: -3 and NaN put every file in blocks, a NaN/infinite block failed each file
    # ("cannot convert float NaN to integer"), 0 too
    with pytest.raises(ValueError) as err:
        run([str(emodb_dir / "03a01Fa.flac")], [get_extractor("mfcc")],
            **{"long_file_seconds": 0, **options})
    assert str(err.value) == said


def test_audio_runs_keep_them(emodb_dir):
    """The control: blocks of a 2 s EmoDB file equal its whole analysis (both through run),
    to the tolerance of the blocks' own tests (rtol 1e-5 on MFCC functionals)."""
    import numpy as np

    path = [str(emodb_dir / "03a01Fa.flac")]
    whole = run(path, [get_extractor("mfcc")], long_file_seconds=None).table.X
    blocks = run(path, [get_extractor("mfcc")], long_file_seconds=0, block_seconds=1).table.X
    assert whole.shape == blocks.shape == (1, whole.shape[1])
    np.testing.assert_allclose(blocks, whole, rtol=1e-5, atol=1e-6)
