"""Long list parameters are shown by their ends and length (helper C2, session 55).

mfcc takes its window as an array of ``win_length`` values (0c3dd37), recorded as a list:
``emofeat info`` printed the 400 values of a Hann window on one line of 8,461 characters and
a resume of other parameters was refused with both lists in full (16,434 characters). A list
longer than 8 items is now shown by its first three and last items and its length, in full
under ``info -v``; a refusal whose lists differ only past the items shown names the first
item that differs. Real data: EmoDB recordings. Lengths are bounds on what a reader sees, the
values compared exactly with numpy's windows.
"""

from __future__ import annotations

import json

import numpy as np
import pytest
from emofeat.extractors.mfcc import MFCC

from emofeat.cli import main
from emofeat.runner import run
from emofeat.store import ParameterMismatchError


@pytest.fixture
def hann_output(tmp_path, emodb_dir):
    files = [str(f) for f in sorted(emodb_dir.glob("*.flac"))[:2]]
    out = tmp_path / "w.parquet"
    run(files[:1], [MFCC(window=np.hanning(400))], output=out)
    return files, out


def test_info_shows_a_long_list_by_its_ends_and_in_full_under_v(capsys, hann_output):
    _, out = hann_output
    capsys.readouterr()
    assert main(["info", str(out)]) == 0
    lines = capsys.readouterr().out.splitlines()
    params = next(line for line in lines if "window=" in line)
    assert len(params) < 600, len(params)  # before: 8,461 characters
    assert "window=[0.0, " in params and ", ..., 0.0] (400 values)" in params
    assert main(["info", "-v", str(out)]) == 0
    shown = capsys.readouterr().out
    start = shown.index("{", shown.index("set mfcc"))
    params = json.JSONDecoder().raw_decode(shown[start:])[0]
    np.testing.assert_array_equal(params["window"], np.hanning(400))  # all of them


def test_a_refusal_shows_both_lists_shortened(hann_output):
    files, out = hann_output
    with pytest.raises(ParameterMismatchError) as caught:
        run(files, [MFCC(window=np.hamming(400))], output=out)
    said = str(caught.value)
    assert len(said) < 1000, len(said)  # before: 16,434 characters
    assert "mfcc window: [0.0, " in said and "(400 values) there, [0.08" in said
    # a window that differs only inside: the first item that differs is named
    inside = np.hanning(400)
    inside[200] = 0.5
    with pytest.raises(ParameterMismatchError) as caught:
        run(files, [MFCC(window=inside)], output=out)
    said = str(caught.value)
    assert len(said) < 1000, len(said)
    assert f"(item 200 first differs: {float(np.hanning(400)[200])!r} there, 0.5 now)" in said
