"""RQA leftovers, session 42 (docs/rqa.md).

* The ``recurrence_rate`` radius search took a runtime ``parallel`` flag inside one Numba
  function, which typed (and so compiled) both counting kernels: a serial first call paid for
  the parallel one too. The serial and the parallel search are now separate functions, each
  compiling only its own counting kernel.
* A masked array was measured as its data, the values under the mask included (NumPy's
  conversion drops the mask). ``rqa_measures`` now refuses masked values naming the series;
  ``frame_measures`` reads them as missing samples (NaN: the frames touching them give NaN
  rows, as for a NaN sample).
"""

from __future__ import annotations

import os
import subprocess
import sys

import numpy as np
import pytest
from emofeat.extractors.rqa import frame_measures, resolve_options, rqa_measures

from emofeat.errors import NonFiniteInputError

#: a fresh process: one radius search of a recurrence rate of 0.05 (dim 3, delay 2,
#: euclidean), then the compiled signatures of both counting kernels (serial, parallel). The
#: search is called directly: through rqa_measures the call also compiled the measures and
#: histogram kernels, 11 s (serial) and 25 s (parallel) of CPU per CI run for nothing
_FIRST_CALL = (
    "import sys\n"
    "import numpy as np\n"
    "import emofeat.extractors._rqa_kernels as K\n"
    "x = np.sin(0.37 * np.arange(400)) + 0.1 * np.cos(1.9 * np.arange(400))\n"
    "n = x.size - 2 * 2\n"
    "K.quantile_value(x, 3, 2, K.METRIC_EUCLIDEAN, int(0.05 * (n * n - 1)),\n"
    "                 sys.argv[1] == 'p')\n"
    "print(len(K._count_le.signatures), len(K._count_le_parallel.signatures))\n"
)


@pytest.mark.parametrize("kind, compiled", [("s", "1 0"), ("p", "0 1")])
def test_a_rate_search_compiles_only_its_own_counting_kernel(kind, compiled, tmp_path):
    """On an empty kernel cache, a serial first radius search of a ``recurrence_rate``
    compiles the serial counting kernel and not the parallel one (it compiled both: one
    function chose between them by a runtime flag), and a parallel search the converse.
    Counted, not timed."""
    env = {**os.environ, "NUMBA_CACHE_DIR": str(tmp_path / "cache")}
    env.pop("NUMBA_DISABLE_JIT", None)
    run = subprocess.run([sys.executable, "-c", _FIRST_CALL, kind], capture_output=True,
                         text=True, env=env, timeout=600)
    assert run.returncode == 0, run.stderr
    assert run.stdout.split("\n")[-2] == compiled, run.stdout


def test_masked_values_are_refused_or_missing():
    """``rqa_measures`` of a masked array measured the values under its mask (here 1e6 where
    the sine is masked, which no recurrence reached); it now refuses them naming ``x`` and
    the way out. ``frame_measures`` reads them as NaN: the frames touching a masked sample
    give NaN rows, the others the frames of the plain series. A masked array with nothing
    masked is its data."""
    x = np.sin(0.3 * np.arange(300))
    under = x.copy()
    under[150:160] = 1e6
    xm = np.ma.masked_array(under, mask=(np.arange(300) >= 150) & (np.arange(300) < 160))
    # refused as NaN values are (NonFiniteInputError, a ValueError), saying they are masked
    with pytest.raises(NonFiniteInputError, match=r"^x: 10 of 300 samples are masked \(a "
                                                  r"numpy.ma masked array\): RQA has no rule "
                                                  r"for gaps.*x\.compressed\(\)"):
        rqa_measures(xm, radius=0.3, dim=3)
    with pytest.raises(NonFiniteInputError, match="contains NaN"):
        rqa_measures(np.where(xm.mask, np.nan, x), radius=0.3, dim=3)
    with pytest.raises(NonFiniteInputError, match=r"^x: 1 of 4 samples is masked"):
        rqa_measures(np.ma.masked_invalid([1.0, np.nan, 2.0, 3.0]), radius=0.3, dim=2)
    opts = resolve_options(radius=0.3, dim=3)
    starts = [0, 60, 120, 155, 200]
    got = frame_measures(xm, starts, 50, opts, source="<m>")
    ref = frame_measures(x, starts, 50, opts)
    touched = np.array([False, False, True, True, False])  # frames over samples 150-159
    assert np.isnan(got[touched]).all()
    assert np.array_equal(got[~touched], ref[~touched])
    assert under[150] == 1e6 and not np.ma.is_masked(xm[0])  # the caller's array untouched
    none = np.ma.masked_array(x, mask=np.zeros(300, bool))
    assert rqa_measures(none, radius=0.3, dim=3)["DET"] == rqa_measures(x, radius=0.3,
                                                                         dim=3)["DET"]


@pytest.mark.parametrize("masked", [np.ma.masked_all(300),
                                    np.ma.masked_array(np.arange(300.0), mask=True)],
                         ids=["masked_all", "mask=True"])
def test_an_all_masked_series_is_not_told_to_compress(masked):
    """A series with every sample masked was told to give ``x.compressed()``, which is empty
    (and then refused as too short); only ``x.filled(value)`` is offered there."""
    assert masked.compressed().size == 0
    with pytest.raises(NonFiniteInputError) as err:
        rqa_measures(masked, radius=0.3, dim=3)
    said = str(err.value)
    assert said.startswith("x: 300 of 300 samples are masked (a numpy.ma masked array): RQA "
                           "has no rule for gaps in a series; give x.filled(value)")
    assert "compressed" not in said


def test_a_masked_array_is_checked_for_its_values_and_shape_before_its_mask():
    """A masked array is checked as a plain one first, then for its mask. A masked (200, 2)
    array was told to give ``x.compressed()``, which joins both channels into one series (and
    was then measured without a word), where the plain array is refused for its shape; masked
    complex values got the mask's advice instead of the complex refusal. A masked column
    (n, 1) is a series, as a plain one: refused for its mask."""
    rng = np.random.default_rng(0)
    two = np.ma.masked_array(rng.normal(size=(200, 2)), mask=np.zeros((200, 2), bool))
    two.mask[50, 1] = True
    opts = resolve_options(radius=0.5, dim=2)
    with pytest.raises(ValueError, match=r"^x must be a 1-D series, got shape \(200, 2\)$"):
        rqa_measures(two, radius=0.5, dim=2)
    with pytest.raises(ValueError, match=r"^<m> must be a 1-D series, got shape \(200, 2\)$"):
        frame_measures(two, [0], 50, opts, source="<m>")
    cplx = np.ma.masked_array(np.arange(40) + 1j, mask=np.arange(40) == 5)
    with pytest.raises(ValueError, match="x must be a real series, got complex values"):
        rqa_measures(cplx, radius=0.5, dim=2)
    with pytest.raises(ValueError, match="<m> must be a real series, got complex values"):
        frame_measures(cplx, [0], 10, opts, source="<m>")
    column = np.ma.masked_array(two.data[:, :1], mask=two.mask[:, 1:])
    with pytest.raises(NonFiniteInputError, match=r"1 of 200 samples is masked.*"
                                                  r"x\.compressed\(\)"):
        rqa_measures(column, radius=0.5, dim=2)
    # the column's advice gives the series without the masked sample
    assert rqa_measures(column.compressed(), radius=0.5, dim=2) == rqa_measures(
        np.delete(two.data[:, 0], 50), radius=0.5, dim=2)
