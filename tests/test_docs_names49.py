"""Every module, class or function a page names as ``emofeat.a.b`` exists, every file of
the repository it names by its path (``extractors/egemaps.py``, ``tests/test_mfcc.py``,
``benchmarks/scaling.py``) is there, and every option a page gives an ``emofeat`` command
(``emofeat evaluate ... --normalize-per speaker``) is one of that command's (helper E of session 49, reading the pages as a new user
would: docs/egemaps.md sent readers to ``emofeat/extractors/egemaps.py`` for the definitions,
a path the repository does not have; the module is ``extractors/egemaps.py``, installed as
``emofeat.extractors.egemaps``). The Sphinx build checks links between pages, not names in
code spans; the CLI reference it generates lists the options, not those the pages type."""

from __future__ import annotations

import argparse
import importlib
import re
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
PAGES = [REPO / "README.md", *sorted((REPO / "docs").glob("*.md")),
         *sorted((REPO / "docs" / "notebooks").glob("*.md"))]
NAME = re.compile(r"`(emofeat\.[A-Za-z_][A-Za-z0-9_.]*[A-Za-z0-9_])")
PATH = re.compile(r"`((?:emofeat|extractors|classifiers|benchmarks|tests|docs|\.ci)/"
                  r"[A-Za-z0-9_./-]*)`")
COMMAND = re.compile(r"(?<![\w.-])emofeat (extract|info|sets|warmup|demo|evaluate|train|predict)"
                     r"\b([^`\n]*)")
OPTION = re.compile(r"(?<![\w-])(--[a-z][a-z0-9-]*)")
SCRIPT = re.compile(r"(?<![\w/.])((?:tests|benchmarks)/[A-Za-z0-9_]+\.py)")
# paths a page names on purpose that this tree has not, with why
ELSEWHERE = {
    ("performance.md", "emofeat/prefetch.py"): "a prototype the page says is not on main",
    ("egemaps.md", "emofeat/extractors/"): "main's tree exported with extractors/ copied in",
    ("building.md", "docs/catalogue.md"): "written by the docs build, not committed",
}


def _resolves(name: str) -> bool:
    parts = name.split(".")
    for i in range(len(parts), 0, -1):
        try:
            obj = importlib.import_module(".".join(parts[:i]))
        except ImportError:
            continue
        break
    else:
        return False
    for part in parts[i:]:
        if not hasattr(obj, part):
            return False
        obj = getattr(obj, part)
    return True


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.name)
def test_names_in_code_spans_exist(page):
    text = page.read_text(encoding="utf-8")
    missing = [n for n in sorted(set(NAME.findall(text))) if not _resolves(n)]
    assert not missing, f"{page.name} names what emofeat does not have: {missing}"


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.name)
def test_repository_paths_exist(page):
    text = page.read_text(encoding="utf-8")
    named = set(PATH.findall(text)) | set(SCRIPT.findall(text))
    missing = [p for p in sorted(named)
               if (page.name, p) not in ELSEWHERE and not (REPO / p).exists()]
    assert not missing, f"{page.name} names files the repository does not have: {missing}"


def test_the_exceptions_are_still_named():
    # an exception no page needs any more goes, so that the list cannot hide a new mistake
    for (page, path), why in ELSEWHERE.items():
        assert f"`{path}`" in (REPO / "docs" / page).read_text(encoding="utf-8"), (page, why)


def _options() -> dict[str, set[str]]:
    from emofeat.cli import build_parser

    for action in build_parser()._actions:
        if isinstance(action, argparse._SubParsersAction):
            return {name: {o for a in sub._actions for o in a.option_strings}
                    for name, sub in action.choices.items()}
    raise AssertionError("emofeat's parser has no commands")


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.name)
def test_options_given_to_a_command_are_its_own(page):
    options = _options()
    wrong = set()
    for line in page.read_text(encoding="utf-8").splitlines():
        for match in COMMAND.finditer(line):
            command, rest = match.groups()
            for opt in OPTION.findall(rest.split("#")[0]):  # not a shell comment's words
                if opt not in options[command]:
                    wrong.add(f"emofeat {command} {opt}")
    assert not wrong, f"{page.name} gives commands options they do not have: {sorted(wrong)}"
