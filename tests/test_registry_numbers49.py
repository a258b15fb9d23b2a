"""The installed numbers version of a set, read without importing the set (session 49).

``emofeat info`` compares a table's or model's numbers versions with the installed emofeat's
(session 48). It made each set to ask its class, so ``info`` of an egemaps table imported the
eGeMAPS module, its kernels and Numba (0.56 s more) to print one number. emofeat's own sets
declare their version in the registry (``SetInfo.numbers_version``); these tests hold each
declaration to its class, and ``info`` to importing no Numba.
"""

from __future__ import annotations

import pytest
from conftest import emofeat_program

from emofeat.registry import _REGISTRY, get_extractor, installed_class, installed_numbers_version

NO_NUMBA = "[m for m in ('numba', 'emofeat.extractors.egemaps') if m in sys.modules]"


@pytest.mark.parametrize("name", sorted(_REGISTRY))
def test_each_set_declares_its_class_s_numbers_version(name):
    """A set whose class bumps ``numbers_version`` bumps its registration too (this fails
    until it does), or ``info`` would compare tables with the old version."""
    info = _REGISTRY[name]
    cls = type(get_extractor(name))
    assert info.numbers_version == cls.numbers_version, (
        f"emofeat/registry.py: register the {name!r} set with numbers_version="
        f"{cls.numbers_version} (its class's), not {info.numbers_version}")
    assert info.class_path == f"{cls.__module__}.{cls.__qualname__}"
    assert installed_numbers_version(name) == cls.numbers_version
    assert installed_numbers_version(name, info.class_path) == cls.numbers_version
    assert installed_numbers_version(name, "mypkg.sets.Other") is None  # not comparable
    assert installed_class(name) == info.class_path


def test_a_set_of_one_s_own_and_an_unknown_name():
    assert installed_numbers_version("no_such_set") is None
    assert installed_numbers_version(None) is None
    assert installed_class("no_such_set") is None


@pytest.fixture(scope="module")
def egemaps_tables(tmp_path_factory, emodb_dir):
    """An egemaps table of three EmoDB files at the installed numbers version, and one at the
    version before (as the emofeat before the last bump wrote it)."""
    from emofeat.extractors.egemaps import EGeMAPS

    from emofeat.cli import main

    folder = tmp_path_factory.mktemp("eg")
    files = [str(p) for p in sorted(emodb_dir.glob("*.flac"))[:3]]
    now = EGeMAPS.numbers_version
    assert main(["extract", "-q", "--set", "egemaps", *files, "-o",
                 str(folder / "now.parquet")]) == 0
    mp = pytest.MonkeyPatch()
    mp.setattr(EGeMAPS, "numbers_version", now - 1)
    try:
        assert main(["extract", "-q", "--set", "egemaps,gemaps", *files, "-o",
                     str(folder / "old.parquet")]) == 0
    finally:
        mp.undo()
    return folder, now


def test_info_of_an_egemaps_table_imports_no_numba(egemaps_tables):
    folder, now = egemaps_tables
    proc, imported = emofeat_program(["info", str(folder / "now.parquet")], NO_NUMBA)
    assert proc.returncode == 0, proc.stderr
    assert f"set egemaps (emofeat.extractors.egemaps.EGeMAPS; numbers version {now}):" \
        in proc.stdout.splitlines(), proc.stdout
    assert imported == "[]", f"emofeat info imported {imported}"


def test_info_of_an_older_table_says_the_installed_version_importing_no_numba(
        egemaps_tables):
    folder, now = egemaps_tables
    proc, imported = emofeat_program(["info", str(folder / "old.parquet")], NO_NUMBA)
    assert proc.returncode == 0, proc.stderr
    lines = proc.stdout.splitlines()
    for name, cls in (("egemaps", "EGeMAPS"), ("gemaps", "GeMAPS")):
        assert (f"set {name} (emofeat.extractors.egemaps.{cls}; numbers version {now - 1}; "
                f"the installed emofeat computes numbers version {now}):") in lines, lines
    assert imported == "[]", f"emofeat info imported {imported}"
