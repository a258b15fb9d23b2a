"""RQA bug hunt, session 41: regressions of what the hunt found (docs/rqa.md).

* A ``recurrence_rate`` threshold counted the pairs of its bisection one at a time, the
  metric tested inside (each counting pass cost about 17 sweeps of the whole plot), and on
  quantised data (ties) bisected down to adjacent doubles (about 60 passes): a 15,204-point
  Muse channel took 21.6 s of CPU against 0.09 s for a fixed radius, and ``rqa_eeg --param
  recurrence_rate=0.05`` on one Muse file 92.6 s of CPU against 1.0 s. The passes now compute
  the distances in vectorised loops, as the kernels do, and the bracket jumps to values that
  occur (11-15 passes); the radius is still pyunicorn's order statistic.
* ``kernel="dense"`` forced on a plot too large to allocate: Numba's bare "Allocation failed
  (probably too large)"; now a MemoryError naming the kernel, the size and the sweep.
* ``frame_measures`` measured the real part of complex values (NumPy's ComplexWarning only)
  and failed on strings naming no input; it now checks its series as ``rqa_measures`` does.
* Integer options beyond int64 (``theiler=10**30``) failed in Numba's typing; now refused.
* ``radius_std`` radii of long frames gathered 1024 frames at a time whatever their length.
"""

from __future__ import annotations

import numpy as np
import pytest
from conftest import shared_path
from emofeat.extractors.rqa import rqa_measures

from emofeat.errors import TooShortError


def _muse_channel(n: int) -> np.ndarray:
    folder = shared_path("eeg", "muse_mental_state")
    data = np.loadtxt(folder / "subjecta-neutral-1.csv", delimiter=",", skiprows=1,
                      usecols=(2,), max_rows=n + 500)
    return data[500:500 + n]  # AF7, microvolts, after the headband settles


@pytest.mark.parametrize("metric", ["euclidean", "supremum", "manhattan"])
def test_recurrence_rate_radius_is_pyunicorns_order_statistic(metric):
    """The threshold for a recurrence rate equals pyunicorn's ``threshold_from_recurrence_rate``
    on its own distance matrix (real EEG, quantised in the Muse's steps: many ties), exactly,
    serial and parallel, and the plot is pyunicorn's."""
    pytest.importorskip("pyunicorn")
    from pyunicorn.timeseries import RecurrencePlot

    x = _muse_channel(1200)
    rp = RecurrencePlot(x, dim=3, tau=2, metric=metric, recurrence_rate=0.05,
                        silence_level=10)
    ref = RecurrencePlot.threshold_from_recurrence_rate(rp.distance_matrix(metric), 0.05)
    got = rqa_measures(x, preset="pyunicorn", dim=3, delay=2, metric=metric,
                       recurrence_rate=0.05, histograms=True)
    assert got["radius"] == float(ref)
    assert got["RR"] == rp.recurrence_rate()
    assert np.array_equal(got["diagonal_hist"][1:], rp.diagline_dist())
    par = rqa_measures(x, preset="pyunicorn", dim=3, delay=2, metric=metric,
                       recurrence_rate=0.05, parallel=True, n_blocks=3)
    assert par["radius"] == float(ref) and par["RR"] == got["RR"]


@pytest.mark.parametrize("parallel", [False, True])
@pytest.mark.parametrize("metric", ["euclidean", "supremum", "manhattan"])
def test_recurrence_rate_takes_a_few_counting_passes(metric, parallel, monkeypatch):
    """Selecting the radius of a recurrence rate counts the pairs at or below a trial value,
    pass after pass; on the Muse's quantised steps (many equal distances) the bisection ran
    down to adjacent doubles: 16, 64 and 24 passes on these 1,500 points (euclidean,
    supremum, manhattan), each a sweep of the whole plot. The bracket now jumps to values
    that occur: 10, 11 and 9 passes, serial and parallel (d08a907 gave the parallel passes
    the jumps too). Counted, not timed (the CPU figures are in docs/rqa.md):
    the kernel's Python form runs with its counting pass wrapped, and gives the compiled
    kernel's radius."""
    import emofeat.extractors._rqa_kernels as K
    from emofeat.extractors.rqa import METRICS

    x = _muse_channel(1500)
    m, tau = 3, 2
    n = x.shape[0] - (m - 1) * tau
    q = int(0.05 * (n * n - 1))
    passes = []
    name = "_count_le_parallel" if parallel else "_count_le"
    search = K.quantile_value_parallel if parallel else K.quantile_value_serial
    count = getattr(K, name)

    def counted(*args):
        passes.append(args[-1])
        return count(*args)

    monkeypatch.setattr(K, name, counted)  # the search's py_func looks it up at call time
    got = search.py_func(x, m, tau, METRICS[metric], q)
    monkeypatch.undo()
    assert got == K.quantile_value(x, m, tau, METRICS[metric], q, parallel)
    assert 3 <= len(passes) <= 12, len(passes)  # counted, and few


def test_frame_measures_checks_its_series_as_rqa_measures_does():
    """``frame_measures`` (what the feature sets run, and public) took complex values with
    NumPy's ComplexWarning, measuring the real part, and failed on strings in NumPy's
    conversion ('could not convert string to float'), naming no input; ``rqa_measures``
    refused both naming the series. Now both refuse them alike."""
    from emofeat.extractors.rqa import frame_measures, resolve_options

    opts = resolve_options(radius=0.3, dim=3)
    x = np.sin(0.3 * np.arange(100))
    for bad, said in ((x + 1j, "must be a real series, got complex values"),
                      (np.array(["a"] * 100), "must be a series of numbers, got dtype <U1"),
                      (np.array(["a"] * 100, dtype=object),
                       "must be a series of numbers: could not convert")):
        with pytest.raises(ValueError, match=f"<frames> {said}"):
            frame_measures(bad, [0, 10], 50, opts, source="<frames>")
        with pytest.raises(ValueError, match=f"x {said}"):
            rqa_measures(bad, radius=0.3, dim=3)
    # what is a series of numbers is measured as before, as rqa_measures of each frame
    ref = rqa_measures(x[10:60], radius=0.3, dim=3)["DET"]
    for ok in (x, x.astype(object), list(x)):
        assert frame_measures(ok, [10], 50, opts)[0, 1] == ref


def test_a_dense_plot_too_large_to_allocate_is_named():
    """``kernel="dense"`` forced on a long series: Numba's bare 'Allocation failed (probably
    too large)'; now a MemoryError that says what the dense kernel holds, how much that is
    and that the sweep needs O(N) memory. (10 million state vectors: 11,641 GiB of bits,
    which no machine allocates; refused at once.)"""
    with pytest.raises(MemoryError, match=r"kernel='dense' holds the recurrence plot as "
                                          r"bits: 10,000,000 state vectors need 11,641.5 GiB"
                                          r".*kernel='sweep'.*O\(N\) memory"):
        rqa_measures(np.zeros(10_000_000), radius=0.1, kernel="dense")


def test_a_dense_plot_larger_than_the_machine_is_refused_before_the_kernel(monkeypatch):
    """Where the system overcommits memory, Numba's allocation of a plot larger than the
    machine can succeed, and the dense sweep then touches pages until the OOM killer ends
    the process: the plot's size is compared with the physical memory first (here a
    machine of 1 MB for a plot of 12,000 state vectors, 17 MiB)."""
    import emofeat.extractors.rqa as rqa

    monkeypatch.setattr(rqa, "_physical_memory", lambda: 1e6, raising=False)
    with pytest.raises(MemoryError, match=r"12,000 state vectors need 17 MiB, more than this "
                                          r"machine's memory \(1 MiB\); kernel='sweep'"):
        rqa_measures(_muse_channel(12_000), radius=20.0, kernel="dense")
    assert rqa.rqa_measures(_muse_channel(300), radius=20.0, kernel="dense")["RR"] > 0


def test_the_memory_a_dense_plot_is_compared_with(monkeypatch, tmp_path):
    """The physical memory, or a container's cgroup limit where lower (a container sees the
    host's pages, and its OOM killer acts at the limit); 'max' is no limit; a sysconf answer
    of -1 (not known) is no limit either (it refused every dense plot, 'auto' ones too)."""
    import emofeat.extractors.rqa as rqa

    host = rqa._physical_memory()
    limit = tmp_path / "memory.max"
    monkeypatch.setattr(rqa, "_CGROUP_LIMITS", (str(tmp_path / "absent"), str(limit)))
    limit.write_text("max\n")
    assert rqa._physical_memory() == host
    limit.write_text("1048576\n")
    assert rqa._physical_memory() == 1048576.0
    with pytest.raises(MemoryError, match=r"need 17 MiB, more than this machine's memory "
                                          r"\(1 MiB\)"):
        rqa_measures(_muse_channel(12_000), radius=20.0, kernel="dense")
    limit.write_text("max\n")
    monkeypatch.setattr(rqa.os, "sysconf", lambda name: -1)
    assert rqa._physical_memory() == float("inf")
    assert rqa_measures(_muse_channel(300), radius=20.0)["RR"] > 0  # auto: dense


def test_integer_options_beyond_int64_are_refused_naming_them():
    """A Theiler window or line minimum beyond int64 (``theiler=10**30`` for "no diagonal
    lines at all") failed in Numba's typing with a 40-line TypingError, ``delay=2**63`` with
    ``dim=1`` in an OverflowError; ``v_min=2**63`` happened to pass as an unsigned integer.
    Now ValueErrors naming the option; the largest int64 itself is measured, as any value
    above the series' length (no line reaches it)."""
    x = np.sin(0.3 * np.arange(100))
    for name, least in (("theiler", 0), ("l_min", 1), ("v_min", 1), ("w_min", 1), ("dim", 1),
                        ("delay", 1)):
        for big in (2**63, 10**30):
            with pytest.raises(ValueError, match=rf"{name} must be at most 2\*\*63 - 1, "
                                                 rf"got {big}"):
                rqa_measures(x, radius=0.3, **{name: big})
        # the bound is said only where it is the matter, not for a common mistake
        with pytest.raises(ValueError, match=rf"{name} must be an integer >= {least}, got "
                                             r"3\.0$"):
            rqa_measures(x, radius=0.3, **{name: 3.0})
    top = 2**63 - 1
    for name in ("theiler", "l_min", "v_min", "w_min"):
        assert rqa_measures(x, radius=0.3, **{name: top}) == rqa_measures(
            x, radius=0.3, **{name: 101})
    assert rqa_measures(x, radius=0.3, delay=top) == rqa_measures(x, radius=0.3)  # dim 1
    from emofeat.extractors.rqa import RQA

    with pytest.raises(ValueError, match="theiler must be at most 2\\*\\*63 - 1"):
        RQA(theiler=10**30).fit()


def test_numpy_integer_options_are_measured_as_python_ints():
    """NumPy integers passed the option checks and then failed or misled in the kernels:
    ``theiler=np.uint64(2)`` a 53-line Numba TypingError (the very error the int64 bound
    removed), ``dim=np.int64(2**62 + 1), delay=np.int64(4)`` wrapped around in
    ``(dim - 1) * delay`` (NumPy's 'array is too big' instead of TooShortError), and every
    other NumPy integer type compiled the kernels again. The checked options are ints."""
    from emofeat.extractors.rqa import RQAOptions, frame_measures, resolve_options

    x = _muse_channel(300)
    ref = rqa_measures(x, radius=20.0, dim=3, theiler=2, l_min=3)
    for kind in (np.uint64, np.int64, np.int8, np.uint8):
        got = rqa_measures(x, radius=20.0, dim=kind(3), theiler=kind(2), l_min=kind(3))
        assert got == ref, kind
        got = frame_measures(x, [0, 100], 150, resolve_options(radius=20.0, dim=kind(3),
                                                               theiler=kind(2)))
        assert np.array_equal(got, frame_measures(x, [0, 100], 150, resolve_options(
            radius=20.0, dim=3, theiler=2)))
    opts = RQAOptions(dim=np.uint64(3), theiler=np.int16(2), radius=1.0).check()
    assert all(type(getattr(opts, n)) is int for n in ("dim", "delay", "theiler", "l_min"))
    # options given to the public frame_measures unchecked are ints too
    unchecked = RQAOptions(dim=np.uint64(3), theiler=np.uint64(2), radius=20.0)
    assert type(unchecked.theiler) is int and type(unchecked.dim) is int
    assert np.array_equal(frame_measures(x, [0, 100], 150, unchecked), frame_measures(
        x, [0, 100], 150, resolve_options(radius=20.0, dim=3, theiler=2)))
    with pytest.raises(TooShortError):
        rqa_measures(x, radius=20.0, dim=np.int64(2**62 + 1), delay=np.int64(4))


def test_radius_std_of_long_frames_gathers_a_bounded_number_of_samples():
    """``frame_radii_std`` (the radii of ``radius_std`` in the sets) gathered 1024 frames at a
    time whatever their length: 1024 EEG windows of 10 s at 2048 Hz were 168 MB of rows and
    as much again of indices, where the docs promise O(len(x) + frame) memory. Now at most
    2**20 samples a gather (1024 speech frames of 320 samples, as before); radii unchanged,
    to the bit. Here 1024 windows of 8000 samples: peak 131 MB before, 25 MB now."""
    import tracemalloc

    from emofeat.extractors.rqa import frame_radii_std, radius_of, resolve_options

    x = np.random.default_rng(3).standard_normal(9024)
    starts = np.arange(1024)
    opts = resolve_options(radius_std=0.25, dim=3)
    tracemalloc.start()
    try:
        radii = frame_radii_std(x, starts, 8000, opts)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 48e6, peak
    for s in (0, 130, 131, 700, 1023):  # both sides of a gather's edge
        assert radii[s] == radius_of(x[s:s + 8000], opts)
