"""The ``librosa``, ``paa`` and ``prosody`` sets call scipy's compiled FFT without importing
``scipy.fft`` (whose import, with ``scipy.special`` and scipy's array-API layer, cost each
command about 0.09 s on the 2-core VM): the transforms equal scipy.fft's bit for bit, and a
command of ``librosa`` or ``paa`` ends without ``scipy.fft`` imported."""

from __future__ import annotations

import numpy as np
import pytest
from conftest import emofeat_program


def test_irfft_rows_equals_scipy_bit_for_bit():
    import scipy.fft

    from emofeat._fft import irfft_rows, rfft_rows

    rng = np.random.default_rng(1)
    for n in (1024, 1025, 2187, 8):
        x = rng.standard_normal((29, n))
        spec = scipy.fft.rfft(x, axis=1)
        ours = irfft_rows(spec.copy(), n)
        ref = scipy.fft.irfft(spec.copy(), n=n, axis=1)
        assert ours.dtype == ref.dtype
        np.testing.assert_array_equal(ours, ref)
        # prosody's zero padding: rfft of the padded rows is scipy's rfft(x, n=...)
        padded = np.zeros((29, n + 17))
        padded[:, :n] = x
        np.testing.assert_array_equal(rfft_rows(padded), scipy.fft.rfft(x, n=n + 17, axis=1))


def test_next_fast_len_real_equals_scipy():
    import scipy.fft

    from emofeat._fft import next_fast_len_real

    for n in list(range(1, 700)) + [1323, 2205, 2646, 4411, 9601, 44101]:
        assert next_fast_len_real(n) == scipy.fft.next_fast_len(n, real=True), n


@pytest.mark.parametrize("name", ["librosa", "paa"])
def test_command_imports_no_scipy_fft(tmp_path, name):
    import pandas as pd

    from emofeat import FeatureTable
    from emofeat.datasets import load_sample
    from emofeat.registry import get_extractor
    from emofeat.runner import run

    paths = list(load_sample()["path"].iloc[:2])
    manifest = tmp_path / "m.csv"
    pd.DataFrame({"path": paths}).to_csv(manifest, index=False)
    out = tmp_path / "f.parquet"
    proc, last = emofeat_program(
        ["extract", "--set", name, str(manifest), "-o", str(out), "-q"],
        "json.dumps([m for m in ('scipy.fft', 'scipy.special') if m in sys.modules])")
    assert proc.returncode == 0, proc.stderr
    assert last == "[]", f"imported: {proc.stdout}"
    table = FeatureTable.read_parquet(out)
    ref = run(pd.DataFrame({"path": paths}), [get_extractor(name)]).table
    np.testing.assert_array_equal(table.X, ref.X)
