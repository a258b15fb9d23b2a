"""The documentation builds with Sphinx, warnings as errors (as CI builds it).

The whole site is built into a temporary folder: Markdown pages and notebooks (MyST-NB, not
executed), the API reference from the numpydoc docstrings, the CLI reference from the argparse
parser and the generated feature catalogue. A broken link between pages, a malformed
docstring or a toctree entry without a page is a warning, and fails this test.
"""

from __future__ import annotations

import importlib.util
import os
import subprocess
import sys
import time
from pathlib import Path
from types import SimpleNamespace

import pytest

DOCS = Path(__file__).resolve().parents[1] / "docs"
NEEDED = ("sphinx", "myst_nb", "numpydoc", "pydata_sphinx_theme", "sphinxarg")
MISSING = [m for m in NEEDED if importlib.util.find_spec(m) is None]
needs_sphinx = pytest.mark.skipif(
    bool(MISSING), reason=f"docs dependencies not installed ({', '.join(MISSING)}): "
                          "pip install -e '.[docs]'")


@needs_sphinx
def test_docs_build_without_warnings(tmp_path):
    cmd = [sys.executable, "-m", "sphinx", "-W", "--keep-going", "-b", "html", "-q",
           "-d", str(tmp_path / "doctrees"), str(DOCS), str(tmp_path / "html")]
    env = {**os.environ, "MPLBACKEND": "Agg", "PYTHONWARNINGS": "ignore"}
    t0 = time.perf_counter()
    proc = subprocess.run(cmd, capture_output=True, text=True, env=env, timeout=600)
    elapsed = time.perf_counter() - t0
    out = proc.stdout + proc.stderr
    assert proc.returncode == 0, f"sphinx-build failed ({elapsed:.0f} s):\n{out[-6000:]}"
    assert "WARNING" not in out, out[-6000:]
    html = tmp_path / "html"
    for page in ("index", "getting_started", "catalogue", "cli", "api", "notebooks/index"):
        assert (html / f"{page}.html").is_file(), page
    # the generated pages carry what they are generated from
    assert "eeg_hjorth_mobility_{ch}" in (html / "catalogue.html").read_text(encoding="utf-8")
    cli = (html / "cli.html").read_text(encoding="utf-8")
    assert "--normalize-per" in cli and "--describe" in cli


def _extension():
    sys.path.insert(0, str(DOCS / "_ext"))
    try:
        import emofeat_docs
    finally:
        sys.path.remove(str(DOCS / "_ext"))
    return emofeat_docs


def test_optional_pages_leave_the_toctree_while_absent(tmp_path):
    """results.md and the notebooks are written by other work: the site builds without them
    (an entry without a page, or an empty glob, would be a warning) and lists them once there."""
    ext = _extension()
    app = SimpleNamespace(srcdir=str(tmp_path))
    (tmp_path / "notebooks").mkdir()
    index = (DOCS / "index.md").read_text(encoding="utf-8")
    nb_index = (DOCS / "notebooks" / "index.md").read_text(encoding="utf-8")
    assert "\nresults\n" in index and ":glob:" in nb_index

    src = [index]
    ext._source_read(app, "index", src)
    assert "\nresults\n" not in src[0] and "\ncatalogue\n" in src[0]
    src = [nb_index]
    ext._source_read(app, "notebooks/index", src)
    assert ":glob:" not in src[0] and "No notebook" in src[0]

    (tmp_path / "results.md").write_text("# Results\n", encoding="utf-8")
    (tmp_path / "notebooks" / "a.ipynb").write_text("{}", encoding="utf-8")
    src = [index]
    ext._source_read(app, "index", src)
    assert src[0] == index
    src = [nb_index]
    ext._source_read(app, "notebooks/index", src)
    assert src[0] == nb_index

    # the folder's README, when there is one, is the page's introduction
    (tmp_path / "notebooks" / "README.md").write_text("# Notebooks\n\nSix notebooks.\n",
                                                     encoding="utf-8")
    src = [nb_index]
    ext._source_read(app, "notebooks/index", src)
    assert "Six notebooks." in src[0] and "# Notebooks\n" not in src[0]
    assert ":glob:" in src[0]
