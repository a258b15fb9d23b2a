"""Sphinx extension of the emofeat docs.

* Writes the feature catalogue page (``catalogue.md``) from
  :mod:`emofeat.feature_catalogue` when the build starts, so the page always describes the
  extractors being documented.
* Lets the root toctree name optional pages: a toctree line ``results`` is dropped when
  ``results.md`` does not exist yet, and the notebooks index's glob is replaced by a sentence
  while ``notebooks/`` holds no notebook (an empty glob is a warning, and warnings are errors).
"""

from __future__ import annotations

from pathlib import Path

OPTIONAL = ("results",)
NB_GLOB_START = "<!-- notebooks-toctree -->"
NB_GLOB_END = "<!-- /notebooks-toctree -->"


def _write_catalogue(app) -> None:
    from emofeat.feature_catalogue import catalogue_markdown

    page = Path(app.srcdir) / "catalogue.md"
    text = catalogue_markdown()
    # rewrite only on change, so an incremental build does not redo the page every time
    if not page.exists() or page.read_text(encoding="utf-8") != text:
        page.write_text(text, encoding="utf-8")


def _source_read(app, docname: str, source: list[str]) -> None:
    src = Path(app.srcdir)
    text = source[0]
    if docname == "index":
        lines = []
        for line in text.splitlines(keepends=True):
            name = line.strip()
            if name in OPTIONAL and not (src / f"{name}.md").exists():
                continue
            lines.append(line)
        text = "".join(lines)
    elif docname == "notebooks/index" and not any((src / "notebooks").glob("*.ipynb")):
        head, sep, rest = text.partition(NB_GLOB_START)
        if sep:
            _, _, tail = rest.partition(NB_GLOB_END)
            text = head + "*No notebook has been added yet.*\n" + tail
    source[0] = text


def setup(app):
    app.connect("builder-inited", _write_catalogue)
    app.connect("source-read", _source_read)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
