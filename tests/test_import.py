"""Import hygiene and the Numba cache policy."""

import os
import subprocess
import sys
from pathlib import Path

import emofeat
from emofeat import _numba


def test_import_is_light():
    code = ("import sys, emofeat; "
            "heavy = [m for m in ('numba', 'scipy', 'sklearn', 'pandas', 'librosa') if m in sys.modules]; "
            "print(','.join(heavy))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "", f"import emofeat pulled in: {out.stdout}"


def test_lazy_public_names():
    assert emofeat.get_extractor("mfcc").n_mfcc == 13
    assert "mfcc" in emofeat.list_extractors()
    assert emofeat.FeatureTable.__name__ == "FeatureTable"
    assert "FeatureTable" in dir(emofeat)


def test_cache_falls_back_when_the_install_is_read_only(tmp_path, monkeypatch):
    monkeypatch.delenv("NUMBA_CACHE_DIR", raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    blocker = tmp_path / "file"
    blocker.write_text("x")  # a folder under a regular file cannot be created, even by root
    chosen = _numba.choose_cache_dir((blocker / "pkg",))
    assert chosen == tmp_path / "xdg" / "emofeat" / "numba"
    monkeypatch.setenv("EMOFEAT_CACHE_DIR", str(tmp_path / "mine"))
    assert _numba.choose_cache_dir((blocker / "pkg",)) == tmp_path / "mine" / "numba"
    writable = tmp_path / "src"
    writable.mkdir()
    assert _numba.choose_cache_dir((writable,)) is None  # Numba's own in-tree cache
    monkeypatch.setenv("NUMBA_CACHE_DIR", str(tmp_path / "n"))
    assert _numba.choose_cache_dir((blocker / "pkg",)) == Path(tmp_path / "n")


def test_kernels_cache_to_disk(tmp_path):
    """A first process compiles a kernel and writes it to the cache folder; a second process
    loads it from there instead of compiling."""
    import subprocess
    import sys

    code = (
        "import numpy as np\n"
        "from emofeat.extractors import _mfcc_kernels as KM\n"
        "KM.cepstra(np.zeros((5, 40)), 1.0, 0.0, -np.inf, np.zeros((13, 40)), np.zeros((5, 13)))\n"
        "s = KM.cepstra.stats\n"
        "print(sum(s.cache_hits.values()), sum(s.cache_misses.values()))\n"
    )
    env = {**os.environ, "NUMBA_CACHE_DIR": str(tmp_path)}
    runs = [subprocess.run([sys.executable, "-c", code], env=env, capture_output=True,
                           text=True, check=True).stdout.split() for _ in range(2)]
    assert runs[0] == ["0", "1"], runs  # compiled, missed the empty cache
    assert runs[1] == ["1", "0"], runs  # loaded from disk
    assert list(tmp_path.rglob("*cepstra*.nbi")) and list(tmp_path.rglob("*cepstra*.nbc"))


def test_every_registered_set_class_is_exported():
    """``from emofeat.extractors import X`` works for the class of every registered set."""
    import emofeat.extractors as ext

    from emofeat.registry import get_extractor, list_extractors

    for name in list_extractors():
        cls = type(get_extractor(name))
        assert getattr(ext, cls.__name__, None) is cls, f"{name}: {cls.__name__} not exported"
        assert cls.__name__ in ext.__all__
