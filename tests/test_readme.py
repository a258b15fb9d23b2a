"""The README's Quickstart is what CI runs: exactly two command lines, one of them pytest."""

import re
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def quickstart_lines() -> list[str]:
    text = (REPO / "README.md").read_text()
    block = re.search(r"## Quickstart.*?```bash\n(.*?)```", text, re.S)
    assert block, "README.md needs a Quickstart with a bash block"
    return [ln for ln in block.group(1).splitlines() if ln.strip()]


def test_quickstart_has_two_commands():
    lines = quickstart_lines()
    assert len(lines) == 2
    assert "emofeat demo" in lines[0] and lines[0].startswith("pip install -e")
    assert lines[1].startswith("pip install -e") and lines[1].endswith("pytest")


def test_ci_runs_the_readme_test_command():
    ci = (REPO / ".ci" / "run").read_text()
    assert "README.md" in ci and "grep -m1 'pytest'" in ci
