"""Sphinx configuration of the emofeat documentation (``sphinx-build -W -b html docs out``).

Markdown pages and the teaching notebooks are read by MyST-NB; the notebooks are rendered
with their committed outputs (never executed here). The API reference comes from the numpydoc
docstrings, the CLI reference from the argparse parser and the feature catalogue from the
extractors' own metadata, so none of them can drift from the code.
"""

from __future__ import annotations

import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE / "_ext"))

import emofeat  # noqa: E402

project = "emofeat"
author = "the emofeat authors"
copyright = "emofeat authors, BSD 3-Clause"  # noqa: A001
release = emofeat.__version__
version = ".".join(release.split(".")[:2])

extensions = [
    "myst_nb",  # Markdown pages (MyST) and notebooks
    "sphinx.ext.autodoc",
    "sphinx.ext.autosummary",
    "numpydoc",
    "sphinx.ext.mathjax",
    "sphinxarg.ext",  # the CLI reference, from emofeat.cli.build_parser
    "emofeat_docs",  # the feature catalogue page, optional toctree entries
]

source_suffix = {".rst": "restructuredtext", ".md": "myst-nb", ".ipynb": "myst-nb"}
root_doc = "index"
# notebooks/README.md is what GitHub shows for the folder; the site uses it as the
# introduction of notebooks/index (docs/_ext/emofeat_docs.py)
exclude_patterns = ["_build", "**.ipynb_checkpoints", "notebooks/README.md"]
templates_path = ["_templates"]

# ---- MyST / MyST-NB
myst_enable_extensions = ["dollarmath", "colon_fence"]
myst_heading_anchors = 4  # links such as classifiers.md#multi-label-targets
nb_execution_mode = "off"  # notebooks carry their committed (full-mode) outputs
nb_merge_streams = True
# an output with only a mime type the static site cannot show (e.g. a custom renderer's
# JSON) is left out rather than failing the build
# a notebook saved without language metadata is shown without syntax highlighting
# (myst-nb reports these under two type names, "mystnb" and "myst-nb")
suppress_warnings = [f"{t}.{s}" for t in ("mystnb", "myst-nb")
                     for s in ("unknown_mime_type", "lexer")]

# ---- API reference
autosummary_generate = True
autosummary_imported_members = False
autodoc_typehints = "none"  # numpydoc renders the types written in the docstrings
# sklearn generates set_*_request methods on every estimator subclass; their docstrings point
# into sklearn's own docs, which are not part of this site
autodoc_default_options = {
    "exclude-members": ", ".join(
        f"set_{m}_request" for m in ("fit", "score", "transform", "predict", "partial_fit",
                                      "predict_proba", "split", "inverse_transform")),
}
numpydoc_show_class_members = False
numpydoc_class_members_toctree = False
numpydoc_validation_checks: set[str] = set()
numpydoc_xref_param_type = False

# ---- HTML
html_theme = "pydata_sphinx_theme"
html_title = f"emofeat {release}"
html_theme_options = {
    "navigation_with_keys": False,
    "show_toc_level": 2,
    "header_links_before_dropdown": 6,
    "secondary_sidebar_items": ["page-toc"],
    "footer_start": ["copyright"],
    "footer_end": [],
}
html_sidebars = {"**": ["sidebar-nav-bs"]}
html_static_path: list[str] = []
html_show_sourcelink = False
