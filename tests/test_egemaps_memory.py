"""The eGeMAPS set's long-recording and command-level plumbing (docs/egemaps.md, "Memory and
long recordings"): the kernels it declares for the cold-cache check, one compiled
specialisation per kernel whichever path runs, the autocorrelations without scipy.fft, and
the heap release of the block loop. The one-hour peak itself is asserted by the slow test of
tests/test_batch_blocks.py and measured by benchmarks/mem_long_file.py."""

from __future__ import annotations

import warnings

import numpy as np
import pytest
import scipy.fft
from emofeat.extractors import _egemaps_kernels as K
from emofeat.extractors import egemaps as E
from numba.core.registry import CPUDispatcher

from emofeat._numba import cold_kernels
from emofeat.audio import load_audio
from emofeat.blocks import release_heap


@pytest.fixture(scope="module")
def speech(ravdess_files):
    return np.concatenate([load_audio(f, 16000).y for f in ravdess_files[:4]]).astype(
        np.float64)


def test_declared_kernels_exist_and_are_what_the_set_calls():
    """Every declared kernel is a dispatcher of the kernel module (the command's cold-cache
    check imports them by name), and the check runs without compiling."""
    import importlib

    from emofeat.extractors import _egemaps_functionals_kernels as KF

    modules = [entry.partition(":")[0] for entry in E.EGeMAPS.kernels]
    assert modules == [K.__name__, KF.__name__]  # the descriptors' and the functionals'
    for entry in E.EGeMAPS.kernels:
        module, _, names = entry.partition(":")
        for name in names.split(","):
            assert isinstance(getattr(importlib.import_module(module), name),
                              CPUDispatcher), name
    assert isinstance(cold_kernels(E.EGeMAPS.kernels), list)
    assert E.GeMAPS.kernels == E.EGeMAPS.kernels


def test_functionals_warmup_compiles_every_declared_kernel():
    """In a fresh process, the functionals level's warmup gives every declared kernel a
    compiled (or cached) specialisation: a kernel it left out stays cold for the command's
    cold-cache check, which then announced a compile and ran a child warmup on every run
    (``sma3``/``sma3nz``, used by the LLD level only, before)."""
    import json
    import subprocess
    import sys

    code = (
        "import importlib, json, sys\n"
        "from emofeat.extractors import egemaps as E\n"
        "E.EGeMAPS(level='functionals').warmup()\n"
        "missing = []\n"
        "for entry in E.EGeMAPS.kernels:\n"
        "    module, _, names = entry.partition(':')\n"
        "    for name in names.split(','):\n"
        "        if not getattr(importlib.import_module(module), name).signatures:\n"
        "            missing.append(name)\n"
        "print(json.dumps(missing))\n")
    res = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         timeout=600)
    assert res.returncode == 0, res.stderr[-2000:]
    assert json.loads(res.stdout.strip().splitlines()[-1]) == []


def test_block_path_uses_the_kernels_the_warmup_compiles(speech):
    """A long recording's blocks (no kept spectra) call every kernel with the argument types
    of a short file (kept spectra): one compiled voiced_quality_levels, not two (a second
    one was compiled, cached and loaded for long files only)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        E.egemaps_functionals(speech[:32000])  # one block: kept spectra
        n = len(K.voiced_quality_levels.signatures)
        E.descriptors(speech, block_frames=97)  # several blocks: recomputed spectra
    assert len(K.voiced_quality_levels.signatures) == n


def test_autocorrelation_is_scipy_dct(speech):
    """The 60 ms autocorrelations (the DCT-I of the power spectrum as a half-length real FFT)
    equal ``scipy.fft.dct(type=1)`` of the power spectrum (the full-length transform of the
    even extension, what this computed before) to 1e-13 of the zero lag; measured 1.1e-14."""
    rows = np.arange(0, (speech.shape[0] - E.N_LONG) // E.HOP, 7)
    mag, acf = E._long_spectra(speech, rows, "_test")
    ref = scipy.fft.dct(mag * mag, type=1, axis=1)[:, : E._MAX_LAG]
    zero = ref[:, 0] == 0  # digital silence: exact zeros either way
    assert zero.sum() < zero.size // 2
    np.testing.assert_array_equal(acf[zero], 0.0)
    err = np.abs(acf - ref)[~zero] / ref[~zero, :1]
    assert err.max() < 1e-13, err.max()
    # the even lags are the FFT's real parts (no running sum): tighter
    assert err[:, ::2].max() < 1e-14


def test_release_heap_is_harmless():
    """Callable anywhere (a no-op off glibc) and changes no array."""
    x = np.arange(10.0)
    release_heap()
    np.testing.assert_array_equal(x, np.arange(10.0))
