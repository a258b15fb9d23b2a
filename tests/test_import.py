"""Import hygiene and the Numba cache policy."""

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


def test_kernels_cache_to_disk():
    from emofeat.extractors import _mfcc_kernels

    assert _mfcc_kernels.cepstra._cache is not None
    assert type(_mfcc_kernels.cepstra._cache).__name__ == "FunctionCache"
