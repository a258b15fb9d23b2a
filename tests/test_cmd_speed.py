"""Issue 9, the whole command's speed: what `emofeat extract` leaves out of its start-up and
its end, and that none of it changes a number.

* the MFCC FFT goes to scipy's compiled pocketfft without importing ``scipy.fft``: the same
  values bit for bit as ``scipy.fft.rfft``;
* Numba's BLAS check finds ``scipy.linalg.cython_blas`` without ``scipy.linalg`` being
  imported, in the extract command only;
* no tqdm without a progress bar, no joblib without joblib's workers;
* the extract process ends without module teardown, with its exit code and output intact;
* worker processes (fork backend) started at the beginning of the run give the same table.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from _heap import freed_heap_bytes, has_mallinfo2
from conftest import emofeat_program

SKIPPED_AT_START = ("scipy.fft", "scipy.special", "scipy.linalg", "tqdm", "joblib")


def _shortcuts_skip():
    """Skip marker of the tests of the start-up shortcuts that reach into Numba's internals
    (lean typing, implementation environments, runtime machine code): the command applies
    them only on the Numba releases they were checked on, and loads kernels as Numba does
    on any other (0.60, the floor), where there is nothing of theirs to test."""
    import numba

    from emofeat import cli

    return pytest.mark.skipif(
        not cli._numba_release_tested(),
        reason=f"Numba {numba.__version__}: the command's start-up shortcuts are applied only "
               f"on the Numba releases they were checked on "
               f"({', '.join(f'{a}.{b}' for a, b in sorted(cli._NUMBA_RELEASES_TESTED))})")


needs_tested_numba = _shortcuts_skip()


def test_rfft_rows_equals_scipy_bit_for_bit():
    import scipy.fft

    from emofeat._fft import _pocketfft, rfft_rows

    assert _pocketfft() is not None, "scipy's compiled pocketfft was not found"
    rng = np.random.default_rng(0)
    for dtype, n in ((np.float32, 400), (np.float64, 400), (np.float32, 512), (np.float32, 1)):
        x = rng.standard_normal((37, n)).astype(dtype)
        ours = rfft_rows(x.copy())
        ref = scipy.fft.rfft(x.copy(), axis=1)
        assert ours.dtype == ref.dtype
        np.testing.assert_array_equal(ours, ref)


def test_a_missing_scipy_extension_is_none():
    from emofeat._fft import load_scipy_extension

    assert load_scipy_extension("scipy.no_such_package.module") is None


def test_worker_count_as_joblib_counts():
    from joblib import effective_n_jobs

    from emofeat.schedule import n_workers

    for n in (1, 2, 3, -1, -2, -100):
        assert n_workers(n) == effective_n_jobs(n), n
    with pytest.raises(ValueError, match="n_jobs == 0"):
        n_workers(0)


def test_no_progress_bar_is_a_silent_stand_in():
    from emofeat.schedule import progress_bar

    with progress_bar(3, False) as bar:
        bar.update(2)
        bar.set_postfix(errors=1, refresh=False)


def test_extract_process_skips_start_up_and_ends_cleanly(tmp_path):
    """A whole `python -m emofeat extract` in a fresh process: exit code 0, the table written
    and equal to the in-process run, and none of the modules the extraction does not need
    imported (checked at the end of the command, as the process ends)."""
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
        ["extract", "--set", "mfcc", str(manifest), "-o", str(out), "-q"],
        f"json.dumps([m for m in {SKIPPED_AT_START!r} if m in sys.modules])")
    assert proc.returncode == 0, proc.stderr
    assert last == "[]", f"imported: {proc.stdout}"
    assert "2 inputs, 2 done" in proc.stderr
    table = FeatureTable.read_parquet(out)
    ref = run(pd.DataFrame({"path": paths}), [get_extractor("mfcc")]).table
    np.testing.assert_array_equal(table.X, ref.X)


def test_extract_process_exit_code_of_failures(tmp_path):
    """The fast end keeps the command's exit code (3: some inputs failed) and error table."""
    bad = tmp_path / "bad.flac"
    bad.write_bytes(b"not audio")
    out = tmp_path / "f.parquet"
    proc = subprocess.run([sys.executable, "-m", "emofeat", "extract", "--set", "mfcc",
                           str(bad), "-o", str(out), "-q"], capture_output=True, text=True)
    assert proc.returncode == 3, proc.stderr
    assert "1 input failed" in proc.stderr
    assert (tmp_path / "f.errors.csv").read_text().count("\n") == 2


def test_extract_under_a_profiler_ends_the_usual_way(tmp_path):
    """`python -m cProfile -o F -m emofeat extract ...` writes its profile: the fast end is
    skipped when a profiler is set (cProfile writes after the module returns)."""
    from emofeat.datasets import load_sample

    path = load_sample()["path"].iloc[0]
    prof = tmp_path / "extract.prof"
    proc = subprocess.run([sys.executable, "-m", "cProfile", "-o", str(prof), "-m", "emofeat",
                           "extract", "--set", "mfcc", str(path), "-o",
                           str(tmp_path / "f.parquet"), "-q"], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    assert prof.stat().st_size > 0
    import pstats

    assert any(fn[2] == "cmd_extract" for fn in pstats.Stats(str(prof)).stats)


def test_fast_end_waits_for_a_monitoring_tool(monkeypatch):
    """A tool of ``sys.monitoring`` (Python 3.12+: ``python -m cProfile`` is one, and
    ``sys.getprofile()`` stays ``None`` under it) makes the command end the usual way: the
    fast end (``os._exit``) lost cProfile's output file on 3.12 and 3.13, as the test above
    shows there. A stand-in ``sys.monitoring`` here, so that 3.11 checks it too."""
    from emofeat import cli

    class Monitoring:
        def get_tool(self, tool_id: int) -> str | None:
            return "cProfile" if tool_id == 2 else None

    def ended_fast(rc):
        raise AssertionError("os._exit: the profiler's results would be lost")

    monkeypatch.setattr(sys, "monitoring", Monitoring(), raising=False)
    monkeypatch.setattr(cli.os, "_exit", ended_fast)
    monkeypatch.setattr("atexit._run_exitfuncs", lambda: None)  # never this process's own
    with pytest.raises(SystemExit) as ended:
        cli._end_now(3)
    assert ended.value.code == 3


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the fork backend: Linux")
def test_early_fork_pool_equals_serial_and_resumes(tmp_path):
    """Workers forked at the start of the run: the same table as one process, in input
    order, and a second run resumes (nothing to do) without starting work."""
    import pandas as pd

    from emofeat import FeatureTable
    from emofeat.datasets import load_sample
    from emofeat.registry import get_extractor
    from emofeat.runner import run

    paths = list(load_sample()["path"].iloc[:6])
    df = pd.DataFrame({"path": paths, "label": list("abcdef")})
    ext = get_extractor("mfcc", functionals=("mean", "std"))
    serial = run(df, [ext]).table
    out = tmp_path / "o.parquet"
    res = run(df, [ext], n_jobs=2, chunk_size=2, output=out)
    assert res.n_rows == 6 and res.n_failed == 0
    table = FeatureTable.read_parquet(out)
    np.testing.assert_array_equal(table.X, serial.X)
    assert list(table.index["label"]) == list("abcdef")
    again = run(df, [ext], n_jobs=2, chunk_size=2, output=out)
    assert again.n_skipped == 6 and again.n_rows == 0


def _program_equals_in_process(tmp_path, set_name: str, expr: str) -> str:
    """Run `emofeat extract --set set_name` on three sample files in the `emofeat` program;
    assert its table equals, bit for bit, the one this process computes with Numba as it is;
    return ``expr`` evaluated as the program ends (``""`` when the cache was cold: a cold
    cache compiles in a child process)."""
    import pandas as pd

    from emofeat import FeatureTable
    from emofeat.datasets import load_sample
    from emofeat.registry import get_extractor
    from emofeat.runner import run

    paths = list(load_sample()["path"].iloc[:3])
    out = tmp_path / "f.parquet"
    proc, last = emofeat_program(["extract", "--set", set_name, *paths, "-o", str(out), "-q"],
                                 expr)
    assert proc.returncode == 0, proc.stderr
    table = FeatureTable.read_parquet(out)
    ref = run(pd.DataFrame({"path": paths}), [get_extractor(set_name)]).table
    np.testing.assert_array_equal(table.X, ref.X)
    return "" if "compiling" in proc.stderr else last


def test_extract_process_loads_cached_kernels_without_numbas_registries(tmp_path):
    """The `emofeat` program loads the kernels from Numba's disk cache without importing
    Numba's typing and lowering registries (which only compiling uses); the table is equal,
    bit for bit, to the one this process computes with Numba as it is."""
    last = _program_equals_in_process(tmp_path, "mfcc", "'numba.np.linalg' in sys.modules")
    assert last in ("", "False"), last


@needs_tested_numba
def test_extract_process_rebuilds_numbas_implementation_environments_lazily(tmp_path):
    """eGeMAPS in the `emofeat` program: the kernels load without importing the modules of
    Numba's own implementations they inline (``numba.np.arrayobj``, ``numba.np.npyimpl``:
    their environments get stand-in globals), ``numpy.ma`` (Numba's masked-array check
    when it types arrays) or ``yaml`` (Numba first imported by the set's module), without Numba's LLVM-lock event callbacks and
    without reading the entry points of every installed distribution, and the table is
    equal, bit for bit, to the one this process computes with Numba as it is (no
    tolerance)."""
    last = _program_equals_in_process(
        tmp_path, "egemaps",
        "[m for m in ('numba.np.arrayobj', 'numba.np.npyimpl', 'numpy.ma', 'yaml')"
        " if m in sys.modules]"
        " + [len(__import__('llvmlite.binding.ffi', fromlist=['lib']).lib._lock._cblist)]"
        " + [__import__('numba.core.entrypoints', fromlist=['x'])._already_initialized]")
    assert last in ("", "[0, False]"), last


@needs_tested_numba
def test_lean_array_typing_is_numbas():
    """The `emofeat` program's array typing (no ``numpy.ma`` import) gives Numba's types for
    every layout, dtype and flag, and still refuses masked arrays once ``numpy.ma`` exists."""
    code = (
        "import sys, numpy as np\n"
        "if sys.argv[1] == 'lean':\n"
        "    import emofeat.cli as cli; cli._lean_cache_loads()\n"
        "from numba.core.typing.typeof import typeof, Purpose\n"
        "x = np.zeros((2, 3, 4), np.float32)\n"
        "arrs = (np.zeros((3, 4)), np.zeros((3, 4))[:, ::2], np.zeros(5, np.int8), x[:, 1],\n"
        "        np.zeros((2, 2)).T, np.frombuffer(b'abcdefgh', np.float64),\n"
        "        np.zeros(3, complex), np.zeros(0, bool), np.zeros(3, 'M8[s]'))\n"
        "print([str(typeof(a, Purpose.argument)) for a in arrs], 'numpy.ma' in sys.modules)\n"
        "import numpy.ma\n"
        "try:\n"
        "    typeof(np.ma.masked_array([1.0]), Purpose.argument)\n"
        "except Exception as e:\n"
        "    print(type(e).__name__)\n")
    out = {}
    for mode in ("lean", "numba"):
        proc = subprocess.run([sys.executable, "-c", code, mode], capture_output=True,
                              text=True)
        assert proc.returncode == 0, proc.stderr
        out[mode] = proc.stdout.splitlines()
    assert out["lean"][0].endswith("False"), out["lean"]
    assert out["lean"][0].rsplit(" ", 1)[0] == out["numba"][0].rsplit(" ", 1)[0]
    assert out["lean"][1] == out["numba"][1] == "NumbaTypeError"


def test_elf_symbols_of_a_kernel_are_its_bitcodes():
    """The symbols read from a kernel's ELF object code (what the `emofeat` program answers
    from without parsing the kernel's bitcode) are defined by its bitcode too, entry points
    included; anything but an ELF object gives None (Numba's way then)."""
    import platform

    from numba import njit

    from emofeat.cli import _elf_defined_symbols

    @njit
    def twice(x):
        return 2.0 * x

    twice(1.0)
    lib = twice.overloads[twice.signatures[0]].library
    obj = lib._get_compiled_object()
    assert _elf_defined_symbols(b"not an object") is None
    assert _elf_defined_symbols(obj[:40]) is None
    if not (obj[:4] == b"\x7fELF" and platform.machine() in ("x86_64", "AMD64", "aarch64")):
        pytest.skip("not an ELF64 little-endian platform")
    symbols = _elf_defined_symbols(obj)
    module = lib._get_module_for_linking()
    bitcode = {g.name for gs in (module.functions, module.global_variables) for g in gs
               if not g.is_declaration}
    cres = twice.overloads[twice.signatures[0]]
    assert cres.fndesc.llvm_cpython_wrapper_name in symbols
    assert symbols and symbols <= bitcode


def test_lean_loads_then_a_compile_links_a_cached_kernel(tmp_path):
    """In the `emofeat` program's lean loading, a kernel compiled in the process that calls
    a kernel loaded from the cache links the latter's bitcode (parsed then), and both cache
    files read back in a process with Numba as it is; the same values either way."""
    (tmp_path / "kmod_f.py").write_text(
        "import numpy as np\nfrom numba import njit\n\n\n@njit(cache=True)\n"
        "def f(n):\n    a = np.empty(n)\n    for i in range(n):\n        a[i] = np.sqrt(i)\n"
        "    return a.sum()\n")
    (tmp_path / "kmod_g.py").write_text(
        "from numba import njit\n\nimport kmod_f\n\n\n@njit(cache=True)\n"
        "def g(n):\n    return 2.0 * kmod_f.f(n)\n")
    code = (
        "import sys\n"
        f"sys.path.insert(0, {str(tmp_path)!r})\n"
        "if sys.argv[1] == 'lean':\n"
        "    import emofeat.cli as cli; cli._lean_cache_loads()\n"
        "import kmod_f\n"
        "a = kmod_f.f(10)\n"
        "import kmod_g\n"
        "print(repr(a), repr(kmod_g.g(10)), dict(kmod_f.f.stats.cache_hits),"
        " dict(kmod_g.g.stats.cache_hits))\n")
    env = {**__import__("os").environ, "NUMBA_CACHE_DIR": str(tmp_path / "cache")}

    def run(mode):
        proc = subprocess.run([sys.executable, "-c", code, mode], capture_output=True,
                              text=True, env=env)
        assert proc.returncode == 0, proc.stderr
        return proc.stdout.split()

    first = run("numba")  # compiles and caches f, then g
    (tmp_path / "kmod_g.py").write_text((tmp_path / "kmod_g.py").read_text() + "\n")
    lean = run("lean")  # f from the cache, g compiled again (its source changed)
    assert lean[:2] == first[:2]
    assert "(int64,):" in lean[2]  # f was a cache hit
    again = run("numba")  # both from the caches the lean process wrote or read
    assert again[:2] == first[:2]


@needs_tested_numba
def test_lean_runtime_machine_code_is_kept_and_read_back(tmp_path):
    """The `emofeat` program saves the object code of Numba's runtime functions once and
    later processes load it instead of compiling it: kernels that allocate, return and free
    arrays give the same values; an unreadable file is compiled again and replaced."""
    import os

    (tmp_path / "kmod_a.py").write_text(
        "import numpy as np\nfrom numba import njit\n\n\n@njit(cache=True)\n"
        "def ramp(n):\n    a = np.empty(n)\n    for i in range(n):\n        a[i] = i * 0.5\n"
        "    b = a.copy()\n    return b[::2]\n")
    code = (
        "import sys\n"
        f"sys.path.insert(0, {str(tmp_path)!r})\n"
        "import emofeat.cli as cli; cli._lean_cache_loads()\n"
        "import kmod_a\n"
        "out = [float(kmod_a.ramp(n).sum()) for n in (0, 1, 7, 1000) for _ in range(50)]\n"
        "from numba.core.runtime import rtsys\n"
        "print(repr(out[-1]), len(set(out)), "
        "'_emofeat_shared_bitcode' in vars(rtsys.library))\n")
    cache = tmp_path / "cache"
    env = {**os.environ, "NUMBA_CACHE_DIR": str(cache)}

    def run():
        proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                              env=env)
        assert proc.returncode == 0, proc.stderr
        return proc.stdout.split()

    first = run()  # compiles the runtime (and the kernel) and saves both
    saved = list(cache.glob("emofeat-nrt-*.nbc"))
    assert len(saved) == 1 and first[2] == "False"
    second = run()  # the runtime read from the file
    assert second[2] == "True" and second[:2] == first[:2]
    assert first[0] == repr(float(sum(i * 0.5 for i in range(0, 1000, 2))))
    saved[0].write_bytes(b"not a pickle")
    third = run()  # unreadable: compiled and saved again
    assert third[:2] == first[:2] and third[2] == "False"
    assert saved[0].read_bytes() != b"not a pickle"


def test_lean_environments_pickle_as_numbas(tmp_path):
    """An environment pickled in a process with the lean loader (a kernel compiled and cached
    there) names Numba's own ``_rebuild_env``, and reads back in any process."""
    import pickle

    code = (
        "import pickle, sys\n"
        "import emofeat.cli as cli\n"
        "cli._lean_cache_loads()\n"
        "from numba.core import environment as e\n"
        "env = e.Environment({'__name__': 'numba.np.arrayobj'})\n"
        "env.env_name = 'emofeat-test-env'\n"
        "sys.stdout.buffer.write(pickle.dumps(env))\n")
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True)
    assert proc.returncode == 0, proc.stderr
    assert b"_rebuild_env" in proc.stdout and b"emofeat.cli" not in proc.stdout
    env = pickle.loads(proc.stdout)
    assert env.env_name == "emofeat-test-env"


def test_extract_process_initialises_numbas_extensions_only_to_compile(tmp_path):
    """The `emofeat` program loads cached kernels without Numba's scan of every installed
    package's entry points (its extensions); anything that compiles in such a process still
    initialises them first."""
    from emofeat.datasets import load_sample

    paths = list(load_sample()["path"].iloc[:2])
    proc, last = emofeat_program(
        ["extract", *paths, "-o", str(tmp_path / "f.parquet"), "-q"],
        "sys.modules['numba.core.entrypoints']._already_initialized")
    assert proc.returncode == 0, proc.stderr
    if "compiling" not in proc.stderr:  # a cold cache compiles (in a child process)
        assert last == "False", proc.stdout
    code = ("import numba\nfrom numba.core import entrypoints\nfrom emofeat import cli\n"
            "cli._extensions_when_compiling()\n"
            "f = numba.njit(lambda x: x + 1)\n"
            "print(entrypoints._already_initialized, f(1), entrypoints._already_initialized)\n")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["False", "2", "True"]


def test_main_in_process_leaves_numba_and_the_collector_as_they_were(tmp_path):
    """`main(["extract", ...])` called by a program (not the `emofeat` program) keeps
    Numba's cache loading as it is, and gives the garbage collector back enabled and with
    nothing frozen, also when the command fails early."""
    import gc

    from numba.core import caching

    from emofeat.cli import main
    from emofeat.datasets import load_sample

    path = str(load_sample()["path"].iloc[0])
    assert main(["extract", path, "-o", str(tmp_path / "f.parquet"), "-q"]) == 0
    assert main(["extract", path, "-o", str(tmp_path / "g.parquet"), "-q",
                 "--segment", "nonsense"]) == 2
    assert not getattr(caching.Cache.load_overload, "_emofeat_lean", False)
    assert gc.isenabled() and gc.get_freeze_count() == 0


def test_shards_of_several_workers_end_in_smaller_ones():
    """With several workers the last quarter of the inputs goes in shards a quarter of the
    size, consecutive and in order, covering every input once; one worker: equal shards."""
    import pandas as pd

    from emofeat.schedule import make_shards

    class Store:  # an output: shards up to 256 inputs, each a part
        def part_name(self, first: int) -> str:
            return f"part-{first}"

    n = 1440
    positions = list(range(n))
    ident = pd.DataFrame({"path": [f"f{i}" for i in positions]})
    items = ident["path"].tolist()
    shards = make_shards(positions, items, ident, None, Store(), 2, None)
    assert [p for s in shards for p in s.positions] == positions
    assert [len(s.positions) for s in shards] == [180] * 6 + [45] * 8
    assert shards[-1].part_name == "part-1395"
    one = make_shards(positions, items, ident, None, Store(), 1, None)
    assert [len(s.positions) for s in one] == [256] * 5 + [160]
    given = make_shards(positions, items, ident, None, Store(), 2, 100)
    assert {len(s.positions) for s in given[:-1]} == {100}


def test_text_runs_write_larger_parts(tmp_path):
    """Texts cost microseconds each against a part's ~10 ms: a text run with an output cuts
    shards of up to MOST_PER_PART["text"] texts (it cut 256, and 43,227 texts spent more time
    on their 169 parts than on their features), audio keeps 256 a part."""
    from emofeat.registry import get_extractor
    from emofeat.runner import run
    from emofeat.schedule import MOST_PER_PART
    from emofeat.store import done_keys_of

    # a quarter of the run a shard at most, and no more than the cap
    texts = [f"text number {i}, quite good!" for i in range(4 * MOST_PER_PART["text"] + 40)]
    seen = []
    import emofeat.runner as R

    real = R.make_shards

    def spy(*args, **kwargs):
        shards = real(*args, **kwargs)
        seen.append([len(s.positions) for s in shards])
        return shards

    R.make_shards = spy
    try:
        result = run(texts, [get_extractor("text_surface")], output=tmp_path / "t.parquet")
    finally:
        R.make_shards = real
    assert seen == [[MOST_PER_PART["text"]] * 4 + [40]]
    assert len(done_keys_of(tmp_path / "t.parquet")) == len(texts) and result.n_failed == 0


_HEAP_PROBE = r"""
import sys
sys.path.insert(0, sys.argv[2])
from _heap import freed_heap_bytes
from emofeat.blocks import keep_freed_memory

kept = keep_freed_memory() if sys.argv[1] == "keep" else None
print(kept, freed_heap_bytes())
"""


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="glibc's mallopt")
def test_keep_freed_memory_keeps_a_freed_array_in_the_heap():
    """What the extract command sets: an 8 MB array freed stays in glibc's heap for the next
    file (free heap bytes >= 8 MB) instead of going back to the system (glibc's defaults:
    it is a mapping of its own, unmapped when freed)."""
    if not has_mallinfo2():
        pytest.skip("not glibc >= 2.33")
    got = {}
    for mode in ("keep", "plain"):
        out = subprocess.run([sys.executable, "-c", _HEAP_PROBE, mode,
                              str(Path(__file__).parent)],
                             capture_output=True, text=True, check=True)
        kept, free = out.stdout.split()
        got[mode] = (kept, int(free))
    assert got["keep"][0] == "True"
    assert got["keep"][1] >= 8 << 20 > got["plain"][1]


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="fork and glibc's mallopt")
def test_forked_workers_keep_freed_memory():
    """Workers forked for a run (also from the Python API) keep freed memory for the next
    file, as the `emofeat` program does."""
    from emofeat.schedule import ForkPool

    if not has_mallinfo2():
        pytest.skip("not glibc >= 2.33")
    pool = ForkPool([], 1)
    try:
        assert pool.executor.submit(freed_heap_bytes).result(timeout=60) >= 8 << 20
    finally:
        pool.close()


def test_numba_startup_shortcuts_only_on_tested_releases(monkeypatch):
    """The start-up shortcuts that reach into Numba's cached-library layout are applied on
    the Numba releases they were checked on and on no other (an untested release loads
    kernels as Numba does)."""
    import numba

    from emofeat import cli

    major, minor = sorted(cli._NUMBA_RELEASES_TESTED)[-1]
    monkeypatch.setattr(numba, "__version__", f"{major}.{minor}.1")
    assert cli._numba_release_tested()
    monkeypatch.setattr(numba, "__version__", f"{major}.{minor + 1}.0")
    assert not cli._numba_release_tested()
    monkeypatch.setattr(numba, "__version__", "0.0.0dev0+abc")
    assert not cli._numba_release_tested()
