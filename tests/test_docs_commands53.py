"""The commands and calls the pages show are ones emofeat accepts (helper E of session 53,
walking the pages as a new user would).

``tests/test_docs_names49.py`` checks that every option a page gives a command is one of that
command's; these go further, to what a reader copies:

* every ``emofeat ...`` line of a shell block parses with the real argparse parser (a missing
  required argument, a value outside an option's choices, ``--level frames``);
* every ``--set`` / ``--describe`` on a command line, in a block or a code span, names a
  registered set;
* every ``--param name=value`` given to ``emofeat extract`` reaches one of that line's sets
  (``emofeat.registry.route_params``, what the command runs: ``--param normalise=raw`` with
  ``--set lexicon``, not with the default ``mfcc``);
* in Python blocks and code spans, the keyword arguments of a call to emofeat's public
  classes and functions are parameters they have, ``get_extractor("set", name=...)`` names a
  parameter of that set, and ``emofeat.extract(inputs, "sets", params={...})`` routes.

No command runs and no data is read: a few hundred lines parsed, in well under a second.
"""

from __future__ import annotations

import ast
import contextlib
import inspect
import io
import re
import shlex
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
PAGES = [REPO / "README.md", *sorted((REPO / "docs").glob("*.md")),
         *sorted((REPO / "docs" / "notebooks").glob("*.md"))]
SHELL_BLOCK = re.compile(r"^```(?:bash|sh|shell|console)\n(.*?)^```", re.MULTILINE | re.DOTALL)
PYTHON_BLOCK = re.compile(r"^```(?:python|py)\n(.*?)^```", re.MULTILINE | re.DOTALL)
SPAN = re.compile(r"(?<!`)`([^`\n]+)`(?!`)")
COMMAND = re.compile(r"(?<![\w.-])emofeat (extract|info|sets|warmup|demo|evaluate|train|predict)"
                     r"\b([^`\n]*)")
# a line that stands for many (``emofeat evaluate ... [--label-map ekman]``, ``<features>``)
PLACEHOLDER = re.compile(r"\.\.\.|…|^\[|\]$|^<|>$")


def _argv(rest: str) -> list[str] | None:
    try:
        return shlex.split(rest, comments=True)
    except ValueError:  # an unbalanced quote in prose: not a command to copy
        return None


def _shell_lines(text: str) -> list[str]:
    lines = []
    for block in SHELL_BLOCK.findall(text):
        for line in block.replace("\\\n", " ").splitlines():
            line = line.strip().removeprefix("$ ")
            if line.startswith("emofeat "):
                lines.append(line.split(" && ")[0].split(" | ")[0])
    return lines


def _command_lines(text: str) -> list[tuple[str, list[str]]]:
    """(command, arguments) of every ``emofeat`` command a page shows, in blocks or spans."""
    found = []
    for line in _shell_lines(text) + [m.group(1) for m in SPAN.finditer(text)]:
        for match in COMMAND.finditer(line):
            argv = _argv(match.group(2))
            if argv is not None:
                found.append((match.group(1), argv))
    return found


def _values(argv: list[str], flag: str) -> list[str]:
    return [argv[i + 1] for i, a in enumerate(argv[:-1]) if a == flag]


@pytest.fixture(scope="module")
def sets() -> set[str]:
    from emofeat.registry import list_sets

    return {info.name for infos in list_sets().values() for info in infos}


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.name)
def test_shell_command_lines_parse(page):
    from emofeat.cli import build_parser

    wrong = []
    for line in _shell_lines(page.read_text(encoding="utf-8")):
        argv = _argv(line)
        if argv is None or any(PLACEHOLDER.search(a) for a in argv):
            continue
        err = io.StringIO()
        try:
            with contextlib.redirect_stderr(err), contextlib.redirect_stdout(io.StringIO()):
                build_parser().parse_args(argv[1:])
        except SystemExit as exc:
            if exc.code:
                wrong.append(f"{line}: {err.getvalue().strip().splitlines()[-1]}")
    assert not wrong, f"{page.name} shows command lines emofeat refuses: {wrong}"


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.name)
def test_sets_and_params_on_command_lines_exist(page, sets):
    from emofeat.cli import _parse_param
    from emofeat.registry import route_params

    wrong = []
    for command, argv in _command_lines(page.read_text(encoding="utf-8")):
        named = [s for flag in ("--set", "--describe") for v in _values(argv, flag)
                 for s in v.split(",") if s and not PLACEHOLDER.search(s)]
        wrong += [f"emofeat {command}: no set {s!r}" for s in named if s not in sets]
        params = [p for p in _values(argv, "--param")
                  if "=" in p and not p.endswith("=") and not PLACEHOLDER.search(p)]
        if command != "extract" or not params:
            continue
        try:  # as the command routes them: to the line's sets, else the default set
            route_params([s for s in named if s in sets] or ["mfcc"],
                         [_parse_param(p) for p in params])
        except ValueError as exc:
            wrong.append(f"emofeat {command} --set {','.join(named) or 'mfcc'} "
                         f"{' '.join('--param ' + p for p in params)}: {exc}")
    assert not wrong, f"{page.name}: {wrong}"


def _callables() -> dict[str, object]:
    """Public names a page calls by their bare name, and what they are."""
    import emofeat.classifiers
    import emofeat.extractors

    import emofeat
    import emofeat.datasets
    import emofeat.runner
    from emofeat import FeatureTable

    found: dict[str, object] = {}
    for module in (emofeat, emofeat.extractors, emofeat.classifiers, emofeat.datasets,
                   emofeat.runner):
        for name in getattr(module, "__all__", ()):
            obj = getattr(module, name, None)
            if inspect.isclass(obj) or inspect.isfunction(obj):
                found.setdefault(name, obj)
    found["run"] = emofeat.runner.run
    for name in ("select", "concat", "from_pandas", "to_parquet"):
        found[name] = getattr(FeatureTable, name)
    return found


def _accepted(obj) -> set[str] | None:
    try:
        sig = inspect.signature(obj.__init__ if inspect.isclass(obj) else obj)
    except (TypeError, ValueError):
        return None
    if any(p.kind is p.VAR_KEYWORD for p in sig.parameters.values()):
        return None  # takes any keyword: checked by name below where it is a set's
    return set(sig.parameters)


def _python(text: str) -> list[ast.AST]:
    trees = []
    for code in PYTHON_BLOCK.findall(text) + [m.group(1) for m in SPAN.finditer(text)]:
        if "(" not in code:
            continue
        try:
            trees.append(ast.parse(code))
        except SyntaxError:  # prose in a code span, a fragment of a call
            continue
    return trees


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.name)
def test_keyword_arguments_in_python_examples_exist(page, sets):
    from emofeat import get_extractor
    from emofeat.registry import route_params

    known = _callables()
    wrong = []
    for tree in _python(page.read_text(encoding="utf-8")):
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call):
                continue
            func = node.func
            name = (func.id if isinstance(func, ast.Name)
                    else func.attr if isinstance(func, ast.Attribute) else None)
            keywords = [k.arg for k in node.keywords if k.arg]
            first = (node.args[0].value if node.args and isinstance(node.args[0], ast.Constant)
                     else None)
            if name == "get_extractor" and isinstance(first, str) and first in sets:
                have = set(get_extractor(first).get_params())
                wrong += [f"get_extractor({first!r}, {k}=...)" for k in keywords
                          if k not in have]
            elif name == "extract" and len(node.args) > 1 and isinstance(
                    node.args[1], ast.Constant) and isinstance(node.args[1].value, str):
                names = [s.strip() for s in node.args[1].value.split(",")]
                for k in node.keywords:
                    if k.arg == "params" and isinstance(k.value, ast.Dict):
                        given = {key.value: None for key in k.value.keys
                                 if isinstance(key, ast.Constant)}
                        if all(n in sets for n in names):
                            try:
                                route_params(names, given)
                            except ValueError as exc:
                                wrong.append(f"extract(..., {names}, params=...): {exc}")
            if name in known:
                accepted = _accepted(known[name])
                if accepted is not None:
                    wrong += [f"{name}({k}=...)" for k in keywords if k not in accepted]
    assert not wrong, f"{page.name} calls with parameters that do not exist: {wrong}"
