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
NB_INTRO_START = "<!-- notebooks-intro -->"
NB_INTRO_END = "<!-- /notebooks-intro -->"


def _replace_block(text: str, start: str, end: str, new: str) -> str:
    head, sep, rest = text.partition(start)
    if not sep:
        return text
    _, _, tail = rest.partition(end)
    return head + new + tail


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
    elif docname == "notebooks/index":
        readme = src / "notebooks" / "README.md"
        if readme.is_file():
            # the folder's README (what GitHub shows) is the introduction of the site's page;
            # it is excluded as a page of its own (conf.py)
            body = readme.read_text(encoding="utf-8").split("\n")
            if body and body[0].startswith("# "):
                body = body[1:]
            text = _replace_block(text, NB_INTRO_START, NB_INTRO_END, "\n".join(body) + "\n")
        if not any((src / "notebooks").glob("*.ipynb")):
            text = _replace_block(text, NB_GLOB_START, NB_GLOB_END,
                                  "*No notebook has been added yet.*\n")
    source[0] = text


def setup(app):
    app.connect("builder-inited", _write_catalogue)
    app.connect("source-read", _source_read)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
