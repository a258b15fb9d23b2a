"""Shared fixtures: the real data beside the repository, skipped cleanly when absent."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SHARED_DATA = Path(os.environ.get("EMOFEAT_SHARED_DATA", REPO.parent / "shared" / "data"))


# Two test processes by default (pytest-xdist; pyproject.toml's addopts say ``-n auto --dist
# loadfile --no-loadscope-reorder``): CI's machine has two cores. ``-n 0`` or ``-p no:xdist``
# runs the suite in this one process; without pytest-xdist the options are accepted, ignored.
MAX_WORKERS = 4  # more test processes would each compile every Numba kernel and hold ~1 GB


def pytest_addoption(parser, pluginmanager):
    if not pluginmanager.has_plugin("xdist"):
        group = parser.getgroup("xdist", "pytest-xdist not installed or disabled: ignored")
        # _addoption: a lowercase short option, as pytest-xdist itself registers it
        group._addoption("-n", "--numprocesses", dest="numprocesses", default=None,
                        help="ignored: pytest-xdist is not installed (or -p no:xdist)")
        group.addoption("--dist", dest="dist", default="no",
                        help="ignored: pytest-xdist is not installed (or -p no:xdist)")
        group.addoption("--no-loadscope-reorder", dest="loadscopereorder",
                        action="store_false",
                        help="ignored: pytest-xdist is not installed (or -p no:xdist)")


@pytest.hookimpl(optionalhook=True)  # a pytest-xdist hook: unknown without it
def pytest_xdist_auto_num_workers(config):
    """``-n auto``: one test process per CPU this process may run on, at most MAX_WORKERS
    (``PYTEST_XDIST_AUTO_NUM_WORKERS`` overrides it, as in pytest-xdist)."""
    if os.environ.get("PYTEST_XDIST_AUTO_NUM_WORKERS"):
        return None  # pytest-xdist's own hook reads it
    try:
        cpus = len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        cpus = os.cpu_count() or 1
    return max(1, min(cpus, MAX_WORKERS))


def _share_the_cpus_between_workers() -> None:
    """In a pytest-xdist worker, BLAS threads for this worker's share of the CPUs (one each on
    two cores with two workers), here and in the programs it starts: two processes each
    running a thread per core on two cores spin-wait in OpenBLAS (see test_notebooks.py).
    An environment that sets the variables itself keeps them."""
    workers = int(os.environ.get("PYTEST_XDIST_WORKER_COUNT", "1"))
    if not os.environ.get("PYTEST_XDIST_WORKER") or workers < 2:
        return
    try:
        cpus = len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        cpus = os.cpu_count() or 1
    threads = str(max(1, cpus // workers))
    for var in ("OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
        os.environ.setdefault(var, threads)
    import numpy  # noqa: F401  (loads OpenBLAS with the limit, if nothing loaded it before)
    from threadpoolctl import threadpool_limits  # a scikit-learn dependency

    threadpool_limits(int(os.environ["OPENBLAS_NUM_THREADS"]), user_api="blas")


_share_the_cpus_between_workers()


def _numba_cache_of_this_worker() -> None:
    """In a pytest-xdist worker, a Numba cache folder of its own (kept between runs), here and
    in the programs it starts: Numba updates a kernel's cache index by read, add, write, so two
    processes saving different signatures of one kernel at once can leave the index naming
    the other's data file. An environment that sets ``NUMBA_CACHE_DIR`` itself keeps it."""
    worker = os.environ.get("PYTEST_XDIST_WORKER")
    if not worker or os.environ.get("NUMBA_CACHE_DIR"):
        return
    import tempfile

    user = getattr(os, "getuid", lambda: 0)()  # no getuid on Windows
    base = Path(tempfile.gettempdir()) / f"emofeat-tests-numba-{user}"
    try:
        os.mkdir(base, 0o700)
    except FileExistsError:
        pass
    st = os.lstat(base)
    if hasattr(os, "getuid") and (not stat.S_ISDIR(st.st_mode) or st.st_uid != user
                                  or st.st_mode & 0o022):
        # a name anyone can predict, made by someone else (or open to others): its cache
        # files are pickles, so a folder of this run instead (as emofeat._numba does)
        base = Path(tempfile.mkdtemp(prefix="emofeat-tests-numba-"))
    folder = base / worker
    folder.mkdir(exist_ok=True)
    os.environ["NUMBA_CACHE_DIR"] = str(folder)  # read when Numba is first imported


_numba_cache_of_this_worker()


def shared_path(*parts: str) -> Path:
    """A path under ../shared/data, or skip the test (with the reason) if it is absent."""
    path = SHARED_DATA.joinpath(*parts)
    if not path.exists():
        pytest.skip(f"real data not available at {path}: this test compares emofeat with the "
                    "reference tools on full public corpora (RAVDESS, EmoDB, GoEmotions, MNE "
                    "test EEG, ...) kept beside the repository in ../shared/data, or where "
                    "EMOFEAT_SHARED_DATA points")
    return path


def emofeat_program(argv: list[str], report: str, cwd: Path | None = None):
    """Run ``emofeat ARGV`` as the installed program runs (``console_main``) in a fresh
    process that prints ``report`` (a Python expression, ``sys`` and ``json`` imported) at
    exit: ``(process, the last line it printed)``, for what the command imported."""
    import subprocess
    import sys

    code = ("import atexit, json, sys\n"
            f"atexit.register(lambda: print({report}, flush=True))\n"
            f"sys.argv = ['emofeat', *{list(argv)!r}]\n"
            "from emofeat.cli import console_main\n"
            "console_main()\n")
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          cwd=cwd)
    lines = proc.stdout.strip().splitlines()
    return proc, lines[-1] if lines else ""


def ravdess_mfcc_read_back_from_csv(folder: Path, manifest):
    """``(table, read)``: the ``mfcc`` features of the RAVDESS ``manifest`` (a frame of
    :func:`emofeat.datasets.load_ravdess`) extracted by the command into ``folder``, and the
    same table written to CSV by pandas and read back, as a user's round trip does (ids such
    as the actor '03' come back as numbers)."""
    import pandas as pd

    import emofeat
    from emofeat.cli import EXIT_OK, main
    from emofeat.table import FeatureTable

    manifest.to_csv(folder / "ravdess.csv", index=False)
    assert main(["extract", str(folder / "ravdess.csv"), "--set", "mfcc", "-q", "-o",
                 str(folder / "ravdess.parquet")]) == EXIT_OK
    table = emofeat.read_table(folder / "ravdess.parquet")
    table.to_pandas().to_csv(folder / "features.csv", index=False)
    return table, FeatureTable.from_pandas(pd.read_csv(folder / "features.csv"),
                                           table.feature_names)


@pytest.fixture(scope="session")
def ravdess_dir() -> Path:
    return shared_path("speech", "ravdess")


@pytest.fixture(scope="session")
def ravdess_two_speakers_six(ravdess_dir) -> list[str]:
    """Three RAVDESS files of actor 1, then three of actor 2 (batch tests' two runs)."""
    paths = sorted(ravdess_dir.glob("Actor_0[12]/*.flac"))
    return [str(p) for p in paths[:3] + paths[60:63]]


@pytest.fixture(scope="session")
def emodb_dir() -> Path:
    return shared_path("speech", "emodb")


@pytest.fixture(scope="session")
def ravdess_files(ravdess_dir) -> list[Path]:
    """A spread of 24 RAVDESS files: one per actor, all 8 emotions, both intensities and
    statements (actor k's file number 37 k mod 60; the first files of the actors would all be
    the same neutral sentence)."""
    files = sorted(ravdess_dir.glob("Actor_*/*.flac"))
    per_actor = 60
    return [files[k * per_actor + (37 * k) % per_actor] for k in range(24)]


@pytest.fixture(scope="session")
def ravdess_four_speakers_mfcc():
    """The ``mfcc`` table of 80 RAVDESS files, the first 20 of each of four actors (speaker
    ids as text), for the tests of ids and labels written two ways."""
    import emofeat
    from emofeat.datasets import load_ravdess

    manifest = load_ravdess(shared_path("speech", "ravdess"))
    manifest["speaker"] = manifest.speaker.astype(str)
    keep = sorted(manifest.speaker.unique())[:4]
    manifest = manifest[manifest.speaker.isin(keep)].groupby("speaker").head(20)
    manifest = manifest.reset_index(drop=True)
    assert len(manifest) == 80
    return emofeat.extract(manifest, "mfcc", n_jobs=1)


@pytest.fixture(scope="session")
def emodb_mfcc():
    """The ``mfcc`` table of the whole EmoDB corpus (535 files, 10 speakers)."""
    import emofeat
    from emofeat.datasets import load_emodb

    return emofeat.extract(load_emodb(shared_path("speech", "emodb")), "mfcc", n_jobs=1)


@pytest.fixture(scope="session")
def sample():
    from emofeat.datasets import load_sample

    return load_sample()


@pytest.fixture(autouse=True)
def _sigint_as_python_sets_it():
    """Every test starts with SIGINT's default Python handler and SIGINT/SIGTERM unblocked in
    its process, which the programs the tests start inherit. In session 58's CI, 8 SIGINT
    tests on one xdist worker (gw0) saw their programs end normally, as if SIGINT were
    ignored there, twice at 8e03d0cf; they pass alone and after every earlier file in one
    process, and the test that leaves the worker so is not found yet (see the closing note)."""
    import signal

    if signal.getsignal(signal.SIGINT) is not signal.default_int_handler:
        signal.signal(signal.SIGINT, signal.default_int_handler)
    blocked = signal.pthread_sigmask(signal.SIG_BLOCK, [])
    if blocked & {signal.SIGINT, signal.SIGTERM}:
        signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT, signal.SIGTERM})
    yield
