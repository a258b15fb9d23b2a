"""RQA leftovers, session 42 (docs/rqa.md).

* The ``recurrence_rate`` radius search took a runtime ``parallel`` flag inside one Numba
  function, which typed (and so compiled) both counting kernels: a serial first call paid for
  the parallel one too. The serial and the parallel search are now separate functions, each
  compiling only its own counting kernel.
"""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

#: a fresh process: one recurrence-rate call, then the compiled signatures of both counting
#: kernels (serial, parallel)
_FIRST_CALL = (
    "import sys\n"
    "import numpy as np\n"
    "from emofeat.extractors.rqa import rqa_measures\n"
    "import emofeat.extractors._rqa_kernels as K\n"
    "x = np.sin(0.37 * np.arange(400)) + 0.1 * np.cos(1.9 * np.arange(400))\n"
    "rqa_measures(x, dim=3, delay=2, recurrence_rate=0.05, parallel=sys.argv[1] == 'p')\n"
    "print(len(K._count_le.signatures), len(K._count_le_parallel.signatures))\n"
)


@pytest.mark.parametrize("kind, compiled", [("s", "1 0"), ("p", "0 1")])
def test_a_rate_search_compiles_only_its_own_counting_kernel(kind, compiled, tmp_path):
    """On an empty kernel cache, a serial first ``recurrence_rate`` call compiles the serial
    counting kernel and not the parallel one (it compiled both: one function chose between
    them by a runtime flag), and a parallel call the converse. Counted, not timed."""
    env = {**os.environ, "NUMBA_CACHE_DIR": str(tmp_path / "cache")}
    env.pop("NUMBA_DISABLE_JIT", None)
    run = subprocess.run([sys.executable, "-c", _FIRST_CALL, kind], capture_output=True,
                         text=True, env=env, timeout=600)
    assert run.returncode == 0, run.stderr
    assert run.stdout.split("\n")[-2] == compiled, run.stdout

