"""`emofeat evaluate --max-frames N` (or `--max-test-frames N`) without `--pool` names the
command's options (found by helper E of session 49, running docs/cli.md's synopsis
`[--pool COLUMN [--max-frames N] [--max-test-frames N]]`): it said `max_frames_per_unit /
max_test_frames_per_unit need pool=`, the Python API's parameters, which the command has not.
On the frames of six real EmoDB files of two speakers."""

from __future__ import annotations

import pytest
from conftest import shared_path

from emofeat.cli import EXIT_USAGE, main

FILES = ("03a01Fa", "03a01Nc", "03a01Wa", "08a01Fd", "08a01Na", "08a01Wa")


@pytest.fixture(scope="module")
def frames(tmp_path_factory):
    import pandas as pd

    import emofeat

    folder = shared_path("speech", "emodb")
    manifest = pd.DataFrame({"path": [str(folder / f"{f}.flac") for f in FILES],
                             "speaker": [f[:2] for f in FILES],
                             "emotion": [f[5] for f in FILES]})
    out = tmp_path_factory.mktemp("frames") / "lld.parquet"
    emofeat.extract(manifest, "mfcc", level="lld").to_parquet(out)
    return out


@pytest.mark.parametrize("given", [["--max-frames", "20"], ["--max-test-frames", "5"],
                                   ["--max-frames", "20", "--max-test-frames", "5"]])
def test_the_command_names_its_options(frames, capsys, given):
    capsys.readouterr()
    assert main(["evaluate", str(frames), "--target", "emotion", "--groups", "speaker", "-q",
                 *given]) == EXIT_USAGE
    err = capsys.readouterr().err
    assert "--pool" in err and "--max-frames" in err and "--max-test-frames" in err
    assert "pool=" not in err and "max_frames_per_unit" not in err


def test_python_names_its_parameters(frames):
    from emofeat.classifiers import evaluate

    import emofeat

    with pytest.raises(ValueError, match="max_frames_per_unit / max_test_frames_per_unit "
                                         "need pool="):
        evaluate(emofeat.read_table(frames), target="emotion", groups="speaker",
                 max_frames_per_unit=20)
