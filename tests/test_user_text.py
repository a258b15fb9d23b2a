"""The package's messages do not name the project's work sessions: users know emofeat's
versions, not the sessions in which it was changed."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SESSION = re.compile(r"\bsessions? \d+", re.IGNORECASE)


def _docstring_nodes(tree: ast.AST) -> set[int]:
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)):
            body = node.body
            if (body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant)
                    and isinstance(body[0].value.value, str)):
                found.add(id(body[0].value))
    return found


def _runtime_strings(path: Path) -> list[tuple[int, str]]:
    """The string literals of a module that are not docstrings (messages, f-string parts),
    with their line numbers; comments are not in the tree."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    docs = _docstring_nodes(tree)
    return [(node.lineno, node.value) for node in ast.walk(tree)
            if isinstance(node, ast.Constant) and isinstance(node.value, str)
            and id(node) not in docs]


@pytest.mark.parametrize("package", ["emofeat", "extractors", "classifiers"])
def test_messages_name_no_session(package):
    bad = [f"{path.relative_to(ROOT)}:{line}: {text!r}"
           for path in sorted((ROOT / package).rglob("*.py"))
           for line, text in _runtime_strings(path) if SESSION.search(text)]
    assert not bad, "\n".join(bad)


def test_public_docstrings_name_no_session():
    """The docstrings the API reference renders (docs/api.rst) of the objects changed with
    these messages."""
    from emofeat import flat_channels, runner

    for doc in (flat_channels.__doc__, flat_channels.flat_reports.__doc__,
                runner.RunResult.__doc__):
        assert not SESSION.search(doc or ""), doc
