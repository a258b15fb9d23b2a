"""Every registered set is on the pages a new user reads to choose one: the README's
feature-set table, and the page of its modality, by name (helper E of session 53). A set
registered later without a line on those pages fails here; whether the page describes it
enough this cannot tell (text.md named ``text_surface`` in passing, and described it only
from b646aa5)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
# the page each modality's sets are chosen from (the user guide's pages)
MODALITY_PAGE = {"audio": "speech.md", "eeg": "eeg.md", "text": "text.md"}


def _sets() -> list[tuple[str, str]]:
    from emofeat.registry import list_sets

    return [(modality, info.name) for modality, infos in list_sets().items()
            for info in infos]


def _readme_table_sets() -> set[str]:
    text = (REPO / "README.md").read_text(encoding="utf-8")
    table = text[text.index("## Feature sets"):]
    table = table[:table.index("\n\n", table.index("| set |"))]
    return {name for row in table.splitlines()[2:]
            for name in re.findall(r"`([a-z_0-9]+)`", row.split("|")[1])}


@pytest.mark.parametrize("modality,name", _sets(), ids=lambda v: str(v))
def test_every_set_is_in_the_readme_table_and_on_its_modality_page(modality, name):
    assert name in _readme_table_sets(), f"README's feature-set table lacks {name!r}"
    page = (REPO / "docs" / MODALITY_PAGE[modality]).read_text(encoding="utf-8")
    assert f"`{name}`" in page, f"docs/{MODALITY_PAGE[modality]} does not name {name!r}"
