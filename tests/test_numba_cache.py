"""Where Numba's cache goes (emofeat._numba.choose_cache_dir): never a folder someone else can
write into (its files are pickles), never a folder that cannot be written (Numba would refuse
to decorate a kernel: "no locator available"), and a run never stops for want of a cache.

Read-only folders are simulated in ways that hold for root too (this suite may run as root,
whom chmod does not stop): a path under a regular file, or a patched ``is_writable``; the
chmod variant runs where it means something. Ownership is checked with a real ``chown`` as
root, and with a patched user id otherwise.
"""

from __future__ import annotations

import os
import pickle
import stat
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
from test_cmd_speed import needs_tested_numba

from emofeat import _numba, cli

posix_only = pytest.mark.skipif(not hasattr(os, "getuid"), reason="ownership is POSIX")
ROOT = hasattr(os, "getuid") and os.getuid() == 0


@pytest.fixture
def chain(tmp_path, monkeypatch):
    """A read-only install, no cache variables, the user cache and the temporary folder in
    ``tmp_path``: ``(read-only source dirs, user cache folder, temporary folder)``."""
    for var in ("NUMBA_CACHE_DIR", "EMOFEAT_CACHE_DIR", _numba._HANDOFF):
        monkeypatch.delenv(var, raising=False)
    blocker = tmp_path / "file"
    blocker.write_text("x")  # a folder under a regular file cannot be made, even by root
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    tmp = tmp_path / "tmp"
    tmp.mkdir(mode=0o755)
    monkeypatch.setattr(tempfile, "tempdir", str(tmp))
    monkeypatch.setattr(_numba, "_MADE_HERE", {})
    return (blocker / "pkg",), tmp_path / "xdg" / "emofeat" / "numba", tmp

#: a subprocess's code that runs one small kernel (and so loads Numba's runtime)
_CEPSTRA_CALL = ("from emofeat.extractors import _mfcc_kernels as KM\n"
                 "KM.cepstra(np.zeros((5, 40)), 1.0, 0.0, -np.inf, np.zeros((13, 40)), "
                 "np.zeros((5, 13)))\n")


def _shared(tmp: Path) -> Path:
    return tmp / f"emofeat-numba-{_numba._UID if _numba._UID is not None else 'user'}"


def _no_user_cache(monkeypatch, tmp_path):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "file" / "xdg"))


def _chown_away(path: Path, monkeypatch) -> None:
    """Make ``path`` someone else's: chown as root, else pretend to be someone else."""
    if ROOT:
        os.chown(path, 12345, 12345, follow_symlinks=False)
    else:
        monkeypatch.setattr(_numba, "_UID", os.getuid() + 1)


def test_unwritable_numba_cache_dir_falls_through(chain, tmp_path, monkeypatch):
    """A NUMBA_CACHE_DIR that cannot be written (a read-only image's baked cache: Numba
    cannot use it either) is passed over for emofeat's chain, and said so."""
    src, user, tmp = chain
    monkeypatch.setenv("NUMBA_CACHE_DIR", str(tmp_path / "file" / "baked"))
    problems: list[str] = []
    assert _numba.choose_cache_dir(src, problems) == user
    assert problems == [f"NUMBA_CACHE_DIR={tmp_path / 'file' / 'baked'} is not writable"]
    # a real folder that refuses writes (patched: root writes anyway), writable sources: the
    # fallback is still emofeat's chain, not Numba's in-tree default
    baked = tmp_path / "baked"
    baked.mkdir()
    monkeypatch.setenv("NUMBA_CACHE_DIR", str(baked))
    real = _numba.is_writable
    monkeypatch.setattr(_numba, "is_writable", lambda f: Path(f) != baked and real(f))
    sources = tmp_path / "src"
    sources.mkdir()
    assert _numba.choose_cache_dir((sources,)) == user
    monkeypatch.setenv("EMOFEAT_CACHE_DIR", str(tmp_path / "mine"))
    assert _numba.choose_cache_dir((sources,)) == tmp_path / "mine" / "numba"
    monkeypatch.setenv("EMOFEAT_CACHE_DIR", str(tmp_path / "file" / "mine"))
    problems = []
    _no_user_cache(monkeypatch, tmp_path)
    assert _numba.choose_cache_dir((sources,), problems) == _shared(tmp)
    assert len(problems) == 2 and "EMOFEAT_CACHE_DIR" in problems[1]


@pytest.mark.skipif(ROOT or not hasattr(os, "getuid"), reason="chmod does not stop root")
def test_read_only_numba_cache_dir_by_chmod(chain, tmp_path, monkeypatch):
    src, user, _ = chain
    baked = tmp_path / "baked"
    baked.mkdir()
    baked.chmod(0o500)
    try:
        monkeypatch.setenv("NUMBA_CACHE_DIR", str(baked))
        assert _numba.choose_cache_dir(src) == user
    finally:
        baked.chmod(0o700)


@posix_only
def test_shared_temp_folder_is_made_private(chain, tmp_path, monkeypatch):
    src, _, tmp = chain
    _no_user_cache(monkeypatch, tmp_path)
    problems: list[str] = []
    assert _numba.choose_cache_dir(src, problems) == _shared(tmp)
    st = os.lstat(_shared(tmp))
    assert stat.S_IMODE(st.st_mode) == 0o700 and st.st_uid == os.getuid()
    assert problems == [] and _numba._MADE_HERE == {}
    # made before with a usual umask (0755): still fine
    _shared(tmp).chmod(0o755)
    assert _numba.choose_cache_dir(src) == _shared(tmp)


def _planted(kind: str, tmp: Path, monkeypatch) -> tuple[Path, str]:
    """Someone else's doing at the predictable name in ``tmp``: the folder, and the reason
    expected in the warning."""
    if kind == "someone else's" and not ROOT:
        monkeypatch.setattr(_numba, "_UID", os.getuid() + 1)  # before the name is taken
    folder = _shared(tmp)
    if kind == "world-writable":
        folder.mkdir()
        folder.chmod(0o777)  # what another user's mkdir + chmod leaves (owner aside)
        return folder, "writable by its group or others (mode 777)"
    if kind == "group-writable":
        folder.mkdir()
        folder.chmod(0o770)
        return folder, "writable by its group or others (mode 770)"
    if kind == "someone else's":
        folder.mkdir(mode=0o700)
        if ROOT:
            os.chown(folder, 12345, 12345)
        return folder, "owned by uid"
    if kind == "symlink":
        target = folder.parent / "elsewhere"
        target.mkdir(mode=0o700)
        folder.symlink_to(target)
        return folder, "a symbolic link"
    if kind == "file":
        folder.write_bytes(b"")
        return folder, "not a folder"
    raise AssertionError(kind)


@posix_only
@pytest.mark.parametrize("kind", ["world-writable", "group-writable", "someone else's",
                                  "symlink", "file"])
def test_unsafe_shared_temp_folder_is_not_used(chain, tmp_path, monkeypatch, kind):
    """/tmp/emofeat-numba-<uid> made by another user (or otherwise open to others) is not
    used: a private folder of this process instead, and a warning naming the folder and why."""
    src, _, tmp = chain
    _no_user_cache(monkeypatch, tmp_path)
    shared, why = _planted(kind, tmp, monkeypatch)
    problems: list[str] = []
    chosen = _numba.choose_cache_dir(src, problems)
    assert chosen != shared and chosen.parent == tmp and chosen.name.startswith("emofeat-numba-")
    st = os.lstat(chosen)
    assert stat.S_ISDIR(st.st_mode) and stat.S_IMODE(st.st_mode) == 0o700
    assert list(_numba._MADE_HERE) == [str(chosen)]
    assert f"{shared} is not safe" in problems[0] and why in problems[0]
    assert "for this run only" in problems[-1] and str(chosen) in problems[-1]
    if kind == "symlink":
        assert not list((tmp / "elsewhere").iterdir())  # nothing written through the link


@posix_only
def test_temp_folder_under_a_folder_open_to_others(chain, tmp_path, monkeypatch):
    """The temporary folder itself must keep others to their own entries (sticky, as /tmp),
    or anyone could swap emofeat's folder for theirs."""
    src, _, _ = chain
    _no_user_cache(monkeypatch, tmp_path)
    open_tmp = tmp_path / "open"
    open_tmp.mkdir()
    open_tmp.chmod(0o777)
    monkeypatch.setattr(tempfile, "tempdir", str(open_tmp))
    problems: list[str] = []
    chosen = _numba.choose_cache_dir(src, problems)
    assert chosen != _shared(open_tmp) and "above it is writable by others" in problems[0]
    assert _numba._MADE_HERE.pop(str(chosen)) == os.getpid()
    open_tmp.chmod(0o1777)  # sticky: fine
    assert _numba.choose_cache_dir(src) == _shared(open_tmp)


@posix_only
def test_user_cache_must_be_the_users(chain, tmp_path, monkeypatch):
    """The user cache folder is used if it is this user's and not writable by others;
    group-writable (a umask of 002) is accepted."""
    src, user, tmp = chain
    assert _numba.choose_cache_dir(src) == user
    user.chmod(0o775)
    assert _numba.choose_cache_dir(src) == user
    user.chmod(0o777)
    problems: list[str] = []
    assert _numba.choose_cache_dir(src, problems) == _shared(tmp)
    assert problems == [f"{user} is not safe: it is writable by others (mode 777)"]
    user.chmod(0o755)
    (tmp_path / "xdg").chmod(0o777)  # a folder above it open to others
    problems = []
    assert _numba.choose_cache_dir(src, problems) == _shared(tmp)
    assert "above it is writable by others" in problems[0]
    (tmp_path / "xdg").chmod(0o755)
    _chown_away(user, monkeypatch)  # e.g. sudo keeping another user's HOME
    problems = []
    chosen = _numba.choose_cache_dir(src, problems)
    assert chosen != user and "is owned by uid" in problems[0]


@posix_only
def test_inherited_private_folder_is_reused(chain, tmp_path, monkeypatch):
    """A process started by one that fell back to a private folder (the compiling child,
    loky workers) uses that folder, while it exists and is private."""
    src, _, tmp = chain
    _no_user_cache(monkeypatch, tmp_path)
    _planted("world-writable", tmp, monkeypatch)
    first = _numba.choose_cache_dir(src)
    monkeypatch.setenv(_numba._HANDOFF, str(first))
    monkeypatch.setattr(_numba, "_MADE_HERE", {})
    assert _numba.choose_cache_dir(src) == first and _numba._MADE_HERE == {}
    first.chmod(0o755)  # no longer private: a new one
    assert _numba.choose_cache_dir(src) not in (first, _shared(tmp))
    # the unsafe shared folder named as the parent's choice is not taken either
    monkeypatch.setenv(_numba._HANDOFF, str(_shared(tmp)))
    assert _numba.choose_cache_dir(src) != _shared(tmp)


def test_no_folder_at_all_raises(chain, tmp_path, monkeypatch):
    src, _, _ = chain
    _no_user_cache(monkeypatch, tmp_path)
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path / "file" / "tmp"))
    with pytest.raises(OSError):
        _numba.choose_cache_dir(src)


KERNEL = (
    "import sys, numpy as np, numba\n"
    "from emofeat.extractors import _mfcc_kernels as KM\n"
    "KM.cepstra(np.zeros((5, 40)), 1.0, 0.0, -np.inf, np.zeros((13, 40)), np.zeros((5, 13)))\n"
    "print(numba.config.CACHE_DIR)\n"
    "import subprocess\n"
    "child = subprocess.run([sys.executable, '-c', 'import emofeat._numba, numba; "
    "print(numba.config.CACHE_DIR)'], capture_output=True, text=True)\n"
    "print(child.stdout.strip(), repr(child.stderr))\n"
)


def _numba_only_in(env_cache: str, tmp_path: Path, tmpdir: Path) -> dict:
    """An environment where Numba may cache only in NUMBA_CACHE_DIR (its in-tree and user
    cache locators off, as in a read-only install with a read-only home): before the fix, a
    NUMBA_CACHE_DIR that cannot be written meant "RuntimeError: cannot cache function ...:
    no locator available"."""
    env = {k: v for k, v in os.environ.items()
           if k not in ("EMOFEAT_CACHE_DIR", _numba._HANDOFF)}
    env.update(NUMBA_CACHE_DIR=env_cache, NUMBA_CACHE_LOCATOR_CLASSES="UserProvidedCacheLocator",
               XDG_CACHE_HOME=str(tmp_path / "file" / "xdg"), TMPDIR=str(tmpdir))
    return env


def _nothing_lasting(tmp_path: Path) -> tuple[dict, Path, Path]:
    """An environment with no lasting cache folder: a read-only NUMBA_CACHE_DIR, no user
    cache, and a shared temporary folder planted open to everyone; the environment, the
    temporary folder and the planted folder."""
    (tmp_path / "file").write_text("x")
    tmpdir = tmp_path / "tmp"
    tmpdir.mkdir()
    planted = tmpdir / f"emofeat-numba-{os.getuid()}"
    planted.mkdir()
    planted.chmod(0o777)
    return _numba_only_in(str(tmp_path / "file" / "baked"), tmp_path, tmpdir), tmpdir, planted


@posix_only
def test_nothing_writable_never_crashes(tmp_path):
    """Read-only NUMBA_CACHE_DIR, no user cache, a planted shared temp folder: the kernels
    run, cached in a private folder that the processes it starts reuse (without warning
    again) and that is gone at exit; one warning line."""
    env, tmpdir, planted = _nothing_lasting(tmp_path)
    proc = subprocess.run([sys.executable, "-c", KERNEL], env=env, capture_output=True,
                          text=True)
    assert proc.returncode == 0, proc.stderr
    folder, child, child_err = proc.stdout.split()
    assert Path(folder).parent == tmpdir and Path(folder) != planted
    assert child == folder and child_err == "''"
    warned = [line for line in proc.stderr.splitlines() if "Numba cache" in line]
    assert len(warned) == 1, proc.stderr
    assert f"NUMBA_CACHE_DIR={tmp_path / 'file' / 'baked'} is not writable" in warned[0]
    assert f"{planted} is not safe" in warned[0] and folder in warned[0]
    assert not Path(folder).exists()  # removed at exit
    assert not list(planted.iterdir())


@posix_only
def test_unwritable_numba_cache_dir_runs(tmp_path):
    """The read-only NUMBA_CACHE_DIR case end to end: cached in the (safe) shared temporary
    folder instead, one warning line, the processes it starts agree silently."""
    (tmp_path / "file").write_text("x")
    tmpdir = tmp_path / "tmp"
    tmpdir.mkdir()
    env = _numba_only_in(str(tmp_path / "file" / "baked"), tmp_path, tmpdir)
    proc = subprocess.run([sys.executable, "-c", KERNEL], env=env, capture_output=True,
                          text=True)
    assert proc.returncode == 0, proc.stderr
    folder, child, child_err = proc.stdout.split()
    assert folder == child == str(tmpdir / f"emofeat-numba-{os.getuid()}")
    assert child_err == "''"
    assert list(Path(folder).rglob("*cepstra*.nbc"))  # a lasting cache
    assert sum("Numba cache" in line for line in proc.stderr.splitlines()) == 1


def test_no_folder_at_all_compiles_without_cache(tmp_path):
    """Not even a private folder: kernels compile without a disk cache instead of Numba
    refusing to decorate them."""
    (tmp_path / "file").write_text("x")
    code = ("import sys, tempfile\n"
            "tempfile.tempdir = sys.argv[1]\n"
            "import numpy as np\n"
            "from emofeat import _numba\n"
            + _CEPSTRA_CALL +
            "print(_numba._DISK_CACHE)\n")
    env = _numba_only_in(str(tmp_path / "file" / "baked"), tmp_path, tmp_path)
    proc = subprocess.run([sys.executable, "-c", code, str(tmp_path / "file" / "tmp")],
                          env=env, capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.split() == ["False"]
    assert "they compile in every process" in proc.stderr


def test_read_own_file(tmp_path, monkeypatch):
    good = tmp_path / "good.nbc"
    good.write_bytes(b"data")
    good.chmod(0o644)
    assert _numba.read_own_file(good) == b"data"
    if not hasattr(os, "getuid"):
        return
    good.chmod(0o664)  # a umask of 002
    assert _numba.read_own_file(good) == b"data"
    good.chmod(0o666)
    with pytest.raises(PermissionError):
        _numba.read_own_file(good)
    good.chmod(0o644)
    link = tmp_path / "link.nbc"
    link.symlink_to(good)
    with pytest.raises(OSError):
        _numba.read_own_file(link)
    with pytest.raises(OSError):
        _numba.read_own_file(tmp_path)  # not a regular file
    if ROOT:
        os.chown(good, 12345, 12345)
    else:
        monkeypatch.setattr(_numba, "_UID", os.getuid() + 1)
    with pytest.raises(PermissionError):
        _numba.read_own_file(good)


class _Plant:
    """A pickle that, loaded, leaves a mark (what a planted cache file would do)."""

    def __init__(self, mark: str) -> None:
        self.mark = mark

    def __reduce__(self):
        return (Path(self.mark).write_text, ("loaded",))


@posix_only
@needs_tested_numba
def test_nrt_cache_file_open_to_others_is_not_loaded(tmp_path):
    """emofeat's cache of Numba's runtime (emofeat.cli._cached_runtime) is a pickle: one that
    others can write, or a symbolic link, is compiled again and replaced, never loaded."""
    code = ("import numpy as np\n"
            "import emofeat.cli as cli; cli._lean_cache_loads()\n"
            + _CEPSTRA_CALL +
            "from numba.core.runtime import rtsys\n"
            "print('_emofeat_shared_bitcode' in vars(rtsys.library))\n")
    cache = tmp_path / "cache"
    env = {**os.environ, "NUMBA_CACHE_DIR": str(cache)}

    def run() -> str:
        proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                              env=env)
        assert proc.returncode == 0, proc.stderr
        return proc.stdout.strip()

    run()
    (saved,) = cache.glob("emofeat-nrt-*.nbc")
    assert run() == "True"  # read from the file
    mark = tmp_path / "pwned"
    evil = pickle.dumps(_Plant(str(mark)))
    saved.write_bytes(evil)
    saved.chmod(0o666)
    assert run() == "False" and not mark.exists()
    assert saved.read_bytes() != evil and not os.stat(saved).st_mode & stat.S_IWOTH
    elsewhere = tmp_path / "evil.nbc"
    elsewhere.write_bytes(evil)
    saved.unlink()
    saved.symlink_to(elsewhere)
    assert run() == "False" and not mark.exists()
    assert not saved.is_symlink() and elsewhere.read_bytes() == evil


@posix_only
def test_warmup_says_whether_kernels_are_kept(tmp_path):
    """``emofeat warmup`` names the folder where kernels are kept; with only a private folder
    of the run (nothing lasting writable or safe), it says they are not kept (it said
    "cache: <the private folder>" as if they were)."""
    env, tmpdir, planted = _nothing_lasting(tmp_path)
    cmd = [sys.executable, "-m", "emofeat", "warmup", "--set", "eeg_stats"]
    proc = subprocess.run(cmd, env=env, capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    assert "this run's only: no lasting cache folder" in proc.stdout, proc.stdout
    planted.rmdir()  # now the shared folder can be made, private to this user: kept
    proc = subprocess.run(cmd, env=env, capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    assert f"(cache: {planted})" in proc.stdout, proc.stdout


EEG_SETS = ("eeg_bands", "eeg_hjorth", "eeg_de", "eeg_asymmetry", "eeg_spectral", "eeg_stats")


@pytest.mark.parametrize("name", EEG_SETS)
def test_warmup_leaves_none_of_the_sets_kernels_cold(name, tmp_path):
    """A set's ``warmup`` (what ``emofeat warmup`` and a first run do) compiles every kernel
    its ``kernels`` lists, on an empty cache of its own: a listed kernel it leaves cold made
    every later command announce "compiling 6 Numba kernels" and warm up again (0.9 s of
    ``eeg_bands``' 1.4 s on one recording). The EEG sets, whose windows have several paths;
    ``bench_coldstart.py`` checks every set the same way after its warm run."""
    code = ("import sys\n"
            "from emofeat.registry import get_extractor\n"
            "from emofeat._numba import cold_kernels\n"
            "e = get_extractor(sys.argv[1]); e.warmup()\n"
            "print(cold_kernels(e.kernels))\n")
    env = {**os.environ, "NUMBA_CACHE_DIR": str(tmp_path / "cache")}
    env.pop("NUMBA_DISABLE_JIT", None)
    run = subprocess.run([sys.executable, "-c", code, name], capture_output=True, text=True,
                         env=env, check=True)
    assert run.stdout.strip() == "[]", run.stdout


def test_one_cache_folder_keeps_each_python_versions_files_apart(tmp_path):
    """Python 3.11, 3.12 and 3.13 installs may share one cache folder (``$NUMBA_CACHE_DIR``,
    a team's cache, the in-tree ``__pycache__`` of a source checkout run by several
    interpreters): compiled code of one version must neither be loaded by another nor
    overwrite it. Numba names its index and data files after the interpreter
    (``<kernel>-<line>.py313.nbi``, abiflags included); emofeat's runtime cache
    (``emofeat-nrt-<key>.nbc``, :func:`emofeat.cli._cached_runtime`) takes Python's version
    into its key. Another version is pretended here by changing ``sys.version_info`` around a
    second compilation of the runtime: it must save a file of its own. Checked across real
    interpreters (3.11.7, 3.12.1, 3.13.0): docs/performance.md."""
    code = ("import sys\n"
            "import numpy as np\n"
            "import emofeat.cli as cli; cli._cached_runtime()\n"
            + _CEPSTRA_CALL +
            "from numba.core.compiler_lock import global_compiler_lock\n"
            "from numba.core.registry import cpu_target\n"
            "from numba.core.runtime import nrtdynmod\n"
            "real = sys.version_info\n"
            "sys.version_info = (real[0], real[1] + 1, 0, 'final', 0)\n"
            "try:\n"
            "    with global_compiler_lock:\n"
            "        nrtdynmod.compile_nrt_functions(cpu_target.target_context)\n"
            "finally:\n"
            "    sys.version_info = real\n")
    cache = tmp_path / "cache"
    env = {**os.environ, "NUMBA_CACHE_DIR": str(cache)}
    env.pop("NUMBA_DISABLE_JIT", None)
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          env=env)
    assert proc.returncode == 0, proc.stderr
    tag = f".py{sys.version_info[0]}{sys.version_info[1]}{getattr(sys, 'abiflags', '')}."
    numba_files = [p.name for p in cache.rglob("*.nb[ic]") if not p.name.startswith("emofeat-")]
    assert any(n.startswith("_mfcc_kernels.cepstra-") for n in numba_files), numba_files
    assert all(tag in n for n in numba_files), (tag, numba_files)
    if not cli._numba_release_tested():
        pytest.skip(f"Numba {_numba.numba.__version__}: Numba's own files checked; emofeat's runtime "
                    "cache is applied only on the Numba releases it was checked on")
    assert len(list(cache.glob("emofeat-nrt-*.nbc"))) == 2  # this version's and the other's
