"""docs/text.md's worked example of the ``text_surface`` set says what the set gives.

The page's figures for ``"I LOVE it!!"`` follow from the set's definition by hand: the tokens
``I``, ``LOVE``, ``it``, ``!``, ``!`` (5 tokens, 1 + 4 + 2 + 1 + 1 = 9 characters, two ``!``);
the words of two or more characters with a cased letter are ``LOVE`` and ``it``, one of them
all capitals (ratio 0.5). An empty text has no token: counts and sums 0, means NaN.
"""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np

PAGE = Path(__file__).resolve().parents[1] / "docs" / "text.md"
BY_HAND = {"text_surface_chars_count": 5, "text_surface_chars_sum": 9,
           "text_surface_exclamation_sum": 2, "text_surface_allcaps_count": 2,
           "text_surface_allcaps_mean": 0.5}


def test_the_page_quotes_the_figures_the_definition_gives():
    text = PAGE.read_text(encoding="utf-8")
    section = text[text.index("## The `text_surface` set"):text.index("## Bad input")]
    assert '`TextSurface().fit_transform(["I LOVE it!!", "meh."])`' in section
    for name, value in BY_HAND.items():
        assert re.search(rf"`{name}` {value:g}\b", section), name


def test_the_set_gives_them():
    from emofeat.extractors import TextSurface

    ts = TextSurface().fit(["a"])
    names = list(ts.get_feature_names_out())
    assert len(names) == 12  # the page: 12 columns at the default functionals
    row, empty = ts.transform(["I LOVE it!!", ""])
    got = dict(zip(names, row, strict=True))
    for name, value in BY_HAND.items():  # counts are exact; the ratio is 1 / 2
        assert got[name] == value, name
    counts = [i for i, n in enumerate(names) if n.endswith(("_count", "_sum"))]
    means = [i for i, n in enumerate(names) if n.endswith("_mean")]
    assert np.all(empty[counts] == 0) and np.all(np.isnan(empty[means]))
