"""A warning shown by ``emofeat extract`` while its progress bar is drawn starts a line of
its own (session 48, helper A): it was written after the bar's text, so a terminal showed
``  0%|          | 0/2 [00:00<?, ?file/s]emofeat extract: warning: ...``. Now the bar is
cleared for the line (tqdm's ``write``) and drawn again under it."""

from __future__ import annotations

import re

import numpy as np
import soundfile as sf
from conftest import emofeat_program


def test_warning_is_not_written_after_the_progress_bar(tmp_path):
    t = np.arange(16000) / 16000
    whole = tmp_path / "whole.wav"
    sf.write(whole, 0.3 * np.sin(2 * np.pi * 220 * t), 16000, subtype="PCM_16")
    cut = tmp_path / "cut.wav"
    cut.write_bytes(whole.read_bytes()[:20000])  # its header promises 1 s: a warning
    out = tmp_path / "out.parquet"
    proc, _ = emofeat_program(["extract", "--set", "mfcc", "--progress", str(whole), str(cut),
                               "-o", str(out)], "0")
    assert proc.returncode == 0, proc.stderr
    err = proc.stderr
    assert "file/s]" in err  # the bar is drawn (--progress: stderr is a pipe here)
    starts = [m.start() for m in re.finditer("emofeat extract: warning: ", err)]
    assert len(starts) == 1, err
    # what precedes it on the terminal's line: nothing, or a bar wiped by blanks
    before = err[:starts[0]]
    line = before[max(before.rfind("\r"), before.rfind("\n")) + 1:]
    assert line == "", repr(before[-80:])
    assert err[starts[0]:].split("\n", 1)[0].endswith("are there and read")
