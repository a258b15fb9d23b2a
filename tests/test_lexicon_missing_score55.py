"""A user lexicon whose category is a number and whose score is missing (``NA``).

``happy<TAB>1<TAB>NA`` (a numeric category, such as a class label, with a score R or pandas
wrote as NA) was told only that its fields are in the order word, score, category, NRC Affect
Intensity v0.5's layout: not what is wrong with it. The message names the missing score too.
"""

from __future__ import annotations

import pytest
from emofeat.extractors import LexiconFeatures
from emofeat.extractors._lexicons import LexiconFormatError


def test_a_numeric_category_without_a_score_is_said_so(tmp_path):
    path = tmp_path / "mine.tsv"
    path.write_text("happy\t1\tNA\nsad\t2\t0.5\n", encoding="utf-8")
    with pytest.raises(LexiconFormatError) as info:
        LexiconFeatures(lexicons=[("user", str(path))]).fit_transform(["so happy"])
    message = str(info.value)
    assert "line 1" in message and "'NA'" in message
    assert "or the score is missing" in message
