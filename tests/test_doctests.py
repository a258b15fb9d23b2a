"""The examples in the docstrings run, and print what they say (doctests).

Every module of ``emofeat``, ``emofeat.extractors`` and ``emofeat.classifiers`` is imported
under its installed name (so classes are the ones the registry builds) and its examples are
run with :mod:`doctest`. Examples use the bundled sample or small synthetic arrays; none reads
``../shared/data`` or the network.
"""

from __future__ import annotations

import doctest
import importlib
import pkgutil

import pytest

PACKAGES = ("emofeat", "emofeat.extractors", "emofeat.classifiers", "emofeat.datasets",
            "emofeat.lexicons")
FLAGS = doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE


def _modules() -> list[str]:
    names = set()
    for pkg_name in PACKAGES:
        pkg = importlib.import_module(pkg_name)
        names.add(pkg_name)
        for info in pkgutil.iter_modules(pkg.__path__):
            if info.name != "__main__":
                names.add(f"{pkg_name}.{info.name}")
    return sorted(names)


def _with_examples(names: list[str]) -> list[str]:
    finder = doctest.DocTestFinder(exclude_empty=True)
    return [n for n in names
            if any(t.examples for t in finder.find(importlib.import_module(n), n))]


MODULES = _modules()
WITH_EXAMPLES = _with_examples(MODULES)


def test_every_package_is_searched():
    assert {"emofeat.registry", "emofeat.extractors.mfcc", "emofeat.classifiers.evaluation",
            "emofeat.feature_catalogue"} <= set(MODULES)
    assert {"emofeat", "emofeat.registry", "emofeat.extractors.mfcc"} <= set(WITH_EXAMPLES)


@pytest.mark.parametrize("module_name", WITH_EXAMPLES)
def test_docstring_examples(module_name, tmp_path, monkeypatch):
    module = importlib.import_module(module_name)
    monkeypatch.chdir(tmp_path)  # examples that write a file write it here
    finder = doctest.DocTestFinder(exclude_empty=True)
    tests = [t for t in finder.find(module, module_name)
             if t.examples]
    runner = doctest.DocTestRunner(optionflags=FLAGS)
    failures = []
    for test in tests:
        result = runner.run(test, out=failures.append)
        assert result.attempted
    assert not runner.failures, "".join(failures)


def test_no_example_is_skipped():
    """Examples are real: none is marked +SKIP."""
    skipped = []
    for module_name in MODULES:
        for test in doctest.DocTestFinder().find(importlib.import_module(module_name)):
            skipped += [f"{test.name}: {ex.source.strip()}" for ex in test.examples
                        if ex.options.get(doctest.SKIP)]
    assert not skipped, skipped
