"""``emofeat warmup`` of ``prosody`` compiles the kernels its long-file blocks use: the blocks'
exact pYIN decode (session 51) calls the Viterbi forward pass from Python on views of the
blocks' rows, a specialisation the whole-file decode never compiles, so after a warmup every
first ``--long-file`` run announced "compiling 1 Numba kernels of 'prosody'" and compiled for
1.2 s. The blocked rows equal the whole file's (tests/test_prosody_blocks51.py)."""

from __future__ import annotations

import os
import subprocess
import sys

import numpy as np


def test_a_warm_prosody_compiles_nothing_for_long_file_blocks(tmp_path, emodb_dir):
    import soundfile as sf

    files = sorted(emodb_dir.glob("*.flac"))[:3]
    y = np.concatenate([sf.read(f, dtype="float32")[0] for f in files])
    sf.write(tmp_path / "joined.wav", y, 16000)  # 8 s, four 2 s blocks
    env = {**os.environ, "NUMBA_CACHE_DIR": str(tmp_path / "cache")}
    env.pop("NUMBA_DISABLE_JIT", None)
    emofeat = [sys.executable, "-m", "emofeat"]
    subprocess.run([*emofeat, "warmup", "--set", "prosody"], env=env, check=True,
                   capture_output=True)
    run = subprocess.run([*emofeat, "extract", "-q", "--set", "prosody",
                          str(tmp_path / "joined.wav"), "-o", str(tmp_path / "f.parquet"),
                          "--long-file", "1", "--block", "2"],
                         env=env, capture_output=True, text=True)
    assert run.returncode == 0, run.stderr
    assert "compiling" not in run.stderr, run.stderr
