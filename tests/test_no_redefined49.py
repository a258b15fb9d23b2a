"""No module of emofeat defines a top-level function or class twice (session 49): a second
``def _inputs_held(parts)`` in emofeat/cli.py (26d1446) replaced the first, ``(output,
layout)``, which ``extract --fail-fast`` calls, and a stopped run exited 1 with a TypeError
where it exits 3 saying what is kept. ruff's F811 does not see it: the first was used, inside
a function body, before the second was defined."""

from __future__ import annotations

import ast
from collections import Counter
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SOURCES = sorted(p for d in ("emofeat", "extractors", "classifiers")
                 for p in (ROOT / d).rglob("*.py"))


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: str(p.relative_to(ROOT)))
def test_no_top_level_name_is_defined_twice(path):
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names = Counter(node.name for node in tree.body
                    if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef))
    twice = sorted(n for n, c in names.items() if c > 1)
    assert not twice, f"{path.relative_to(ROOT)} defines {twice} more than once"
