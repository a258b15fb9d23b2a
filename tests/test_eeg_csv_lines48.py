"""A CSV recording whose timestamps step back is refused naming the file's line (session 48).

The refusal said "goes backwards or repeats at row 5000" for the record at index 5000, which
is line 5002 of the file (the header is line 1): a user opening it in an editor at line 5000
found nothing wrong there. It now names the line, as a Mind Monitor export's refusal does, and
the two stamps.
"""

from __future__ import annotations

import pytest
from conftest import shared_path

from emofeat.eeg_input import read_recording
from emofeat.errors import InputError


def _muse_lines(n: int) -> list[str]:
    path = shared_path("eeg", "muse_mental_state", "subjecta-neutral-1.csv")  # skips if absent
    with open(path) as f:
        return [next(f) for _ in range(n)]


def test_a_repeated_stretch_is_named_by_its_line_and_stamps(tmp_path):
    lines = _muse_lines(400)
    # data records 0..299 on lines 2..301, then records 290..299 again: line 302 repeats
    bad = tmp_path / "repeat.csv"
    bad.write_text("".join(lines[:301] + lines[291:301] + lines[301:]))
    with pytest.raises(InputError) as err:
        read_recording(str(bad))
    back, before = lines[291].split(",")[0], lines[300].split(",")[0]
    assert float(back) < float(before)
    assert f"goes backwards or repeats at line 302 ({back} after {before})" in str(err.value)


def test_blank_lines_do_not_move_the_line_named(tmp_path):
    lines = _muse_lines(200)
    # two blank lines after line 51 (pandas skips them), then the stamps of lines 100 and
    # 101 swapped: the step back is at the file's line 103
    swapped = lines[:99] + [lines[100], lines[99]] + lines[101:]
    bad = tmp_path / "swap.csv"
    bad.write_text("".join(swapped[:51] + ["\n", "\n"] + swapped[51:]))
    with pytest.raises(InputError) as err:
        read_recording(str(bad))
    later, earlier = lines[99].split(",")[0], lines[100].split(",")[0]
    assert f"at line 103 ({later} after {earlier})" in str(err.value)
